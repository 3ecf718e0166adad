//! Turn steps 2 and 3: decisions are checked, then resolved.
//! Reads the pending decisions and the rules; changes whatever the effects
//! change; adds to the ledger, the history and the turn log.

use crate::engine::rules::{
    Acting, Rules, SharedRules, Target, allowed, apply, assess, holds_drawing, resolve_target,
    suspect,
};
use crate::engine::state::{Choice, DecisionRecord, Pending, Record, Rejection, TurnLog};
use crate::sim::Physics;
use bevy_ecs::prelude::World;

/// Each actor's decisions are checked as a whole (response, availability,
/// target, a suspect for `Attribute`, total cost within capacity); a set
/// that fails is refused with a message naming the actor, the response and
/// the reason, and nothing of it applies. Then actors in scenario order,
/// each actor's decisions in submitted order: assessments first, then effects.
pub fn resolve_decisions(world: &mut World) {
    let Some(rules) = world.get_resource::<SharedRules>().map(|r| r.0.clone()) else {
        return;
    };
    let pending = std::mem::take(&mut world.resource_mut::<Pending>().0);
    let mut accepted: Vec<(u32, Vec<Checked>, Vec<Choice>)> = Vec::new();
    for (actor, choices) in pending {
        match check(world, &rules, actor, &choices) {
            Ok(resolved) => accepted.push((actor, resolved, choices)),
            Err(reason) => {
                let a = &rules.scenario.actors[actor as usize];
                world.resource_mut::<TurnLog>().rejected.push(Rejection {
                    actor: a.id.0.clone(),
                    reason: format!("{} ({}): decisions refused: {reason}", a.name, a.id),
                });
            }
        }
    }
    let turn = world.turn();
    // What the turn adds to the record, appended once it has resolved (no
    // condition reads the current turn's history or ledger).
    let mut ledger = Vec::new();
    let mut history = Vec::new();
    let mut resolved = Vec::new();
    for (actor, decisions, choices) in accepted {
        for ((response, target), choice) in decisions.into_iter().zip(choices) {
            let acting = Acting::by(actor, target);
            assess(
                world,
                &rules,
                (actor, response),
                &choice,
                acting,
                &mut ledger,
            );
            if let Some(r) = rules.scenario.responses.get(response as usize) {
                for e in &r.effects {
                    apply(world, &rules, e, acting);
                }
            }
            history.push((turn, actor, response, target));
            resolved.push(DecisionRecord {
                actor: rules.actor_id(actor).to_owned(),
                response: choice.response,
                target: choice.target,
                rationale: choice.rationale,
            });
        }
    }
    let mut record = world.resource_mut::<Record>();
    record.ledger.append(&mut ledger);
    record.history.append(&mut history);
    world
        .resource_mut::<TurnLog>()
        .decisions
        .append(&mut resolved);
}

/// A decision that passed the checks: its response index and target.
type Checked = (u32, Option<Target>);

/// Checks an actor's decision set; the resolved decisions, or why not.
fn check(
    world: &mut World,
    rules: &Rules,
    actor: u32,
    choices: &[Choice],
) -> Result<Vec<Checked>, String> {
    let a = &rules.scenario.actors[actor as usize];
    let mut out = Vec::new();
    let mut cost = 0u64;
    for choice in choices {
        let id = &choice.response;
        let Some(&r) = rules.responses.get(id.as_str()) else {
            return Err(format!("`{id}` is not a response of this scenario"));
        };
        let response = &rules.scenario.responses[r as usize];
        if !allowed(rules, actor, r) {
            return Err(format!(
                "`{id}` is not available to {} ({:?})",
                a.id, a.kind
            ));
        }
        let target = resolve_target(
            world,
            rules,
            actor,
            response.target,
            choice.target.as_deref(),
        )
        .map_err(|reason| format!("`{id}`: {reason}"))?;
        let acting = Acting::by(actor, target);
        if let Some(req) = &response.requires
            && !holds_drawing(world, rules, req, acting)
        {
            return Err(format!(
                "`{id}` is not available now: its condition does not hold"
            ));
        }
        if rules.traits.get(r as usize).is_some_and(|t| t.attributes)
            && let Some(Target::Incident(e)) = target
            && suspect(world, e, actor).is_none()
        {
            return Err(format!(
                "`{id}`: the actor has no suspect to name for `{}`",
                choice.target.as_deref().unwrap_or("")
            ));
        }
        cost += u64::from(response.cost);
        out.push((r, target));
    }
    if cost > u64::from(a.capacity) {
        return Err(format!(
            "the decisions cost {cost} action points, more than its capacity of {}",
            a.capacity
        ));
    }
    Ok(out)
}
