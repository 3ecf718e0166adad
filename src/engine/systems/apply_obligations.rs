//! Turn step 5 (first part): obligations, the scored omissions.
//! Reads the rules and the state; adds to the ledger.

use crate::engine::rules::{Acting, SharedRules, holds_drawing, ledger_entry};
use crate::engine::state::{Record, Source};
use crate::sim::Physics;
use bevy_ecs::prelude::World;

/// Per actor in scenario order, each obligation (in file order) for its
/// kind (and, if the obligation names actors, naming it) whose `when` holds
/// for it is recorded in the ledger. Evaluated
/// before request ages advance (a request made in turn t has age 0 here).
pub fn apply_obligations(world: &mut World) {
    let Some(rules) = world.get_resource::<SharedRules>().map(|r| r.0.clone()) else {
        return;
    };
    let turn = world.turn();
    for (a, actor) in rules.scenario.actors.iter().enumerate() {
        for (k, o) in rules.scenario.obligations.iter().enumerate() {
            if !o.for_kinds.contains(&actor.kind)
                || !(o.actors.is_empty() || o.actors.contains(&actor.id))
            {
                continue;
            }
            let acting = Acting::by(a as u32, None);
            if holds_drawing(world, &rules, &o.when, acting)
                && let Some(scored) = rules.obligation(k)
            {
                let entry = ledger_entry(
                    &rules,
                    turn,
                    a as u32,
                    scored,
                    Source::Obligation,
                    None,
                    None,
                );
                world.resource_mut::<Record>().ledger.push(entry);
            }
        }
    }
}
