//! Turn step 1: injects fire.
//! Reads the rules, flags, tension and state; starts incidents, changes
//! flags, tension and announcements; logs what fired.

use crate::engine::rules::{Acting, Rules, SharedRules, apply, holds_drawing};
use crate::engine::state::{FiredInject, IncidentInfo, Record, TurnLog};
use crate::sim::{IncidentParams, Physics};
use bevy_ecs::prelude::World;

/// In file order, each inject not yet fired (or with `repeat`) whose trigger
/// holds fires: its incident infects its targets and becomes visible to its
/// audience with confidence = evidence, then its effects apply. An earlier
/// inject's flags and tension are seen by later triggers in the same turn.
pub fn fire_injects(world: &mut World) {
    let Some(rules) = world.get_resource::<SharedRules>().map(|r| r.0.clone()) else {
        return;
    };
    let turn = world.turn();
    for (i, inject) in rules.scenario.injects.iter().enumerate() {
        let log = &world.resource::<Record>().injects;
        let count = log.iter().filter(|f| f.inject == i).count();
        let fired_this_turn = log.iter().any(|f| f.inject == i && f.turn == turn);
        if (count > 0 && !inject.repeat) || fired_this_turn {
            continue;
        }
        if !holds_drawing(world, &rules, &inject.trigger, Acting::default()) {
            continue;
        }
        fire(world, &rules, i);
    }
    world.resource_mut::<TurnLog>().begun = true;
}

/// Fires inject `i` now, whatever its trigger: its incident infects its
/// targets and becomes visible to its audience, then its effects apply.
pub fn fire(world: &mut World, rules: &Rules, i: usize) {
    let Some(inject) = rules.scenario.injects.get(i) else {
        return;
    };
    let turn = world.turn();
    let count = world
        .resource::<Record>()
        .injects
        .iter()
        .filter(|f| f.inject == i)
        .count();
    let mut name = None;
    let audience: Vec<u32> = match (&inject.audience, &inject.incident) {
        (Some(list), _) => {
            let mut a: Vec<u32> = list
                .iter()
                .filter_map(|id| rules.actors.get(id.as_str()).copied())
                .collect();
            a.sort_unstable();
            a.dedup();
            a
        }
        (None, Some(inc)) => {
            let targets: Vec<u32> = inc
                .targets
                .iter()
                .filter_map(|t| rules.assets.get(t.as_str()).copied())
                .collect();
            rules.derived_audience(&targets)
        }
        (None, None) => (0..rules.scenario.actors.len() as u32).collect(),
    };
    if let Some(inc) = &inject.incident {
        let occurrence = count as u32 + 1;
        let incident_name = if occurrence == 1 {
            inject.id.0.clone()
        } else {
            format!("{}#{occurrence}", inject.id)
        };
        let targets: Vec<u32> = inc
            .targets
            .iter()
            .filter_map(|t| rules.assets.get(t.as_str()).copied())
            .collect();
        let actor = |id: &Option<crate::scenario::ids::ActorId>| {
            id.as_ref()
                .and_then(|a| rules.actors.get(a.as_str()).copied())
        };
        let entity = world.start_incident_with(
            IncidentParams {
                inject: i as u32,
                occurrence,
                damage: inc.damage,
                ongoing: inc.ongoing,
                spread: inc.spread,
                evidence: inc.evidence,
            },
            &targets,
            &audience,
            IncidentInfo {
                name: incident_name.clone(),
                perpetrator: actor(&inc.perpetrator),
                false_flag: actor(&inc.false_flag),
            },
        );
        if let Some(list) = world.resource_mut::<Record>().incidents.get_mut(i) {
            list.push(entity);
        }
        name = Some(incident_name);
    }
    for e in &inject.effects {
        apply(world, rules, e, Acting::default());
    }
    world.resource_mut::<Record>().injects.push(FiredInject {
        turn,
        inject: i,
        incident: name,
        audience,
    });
    world
        .resource_mut::<TurnLog>()
        .fired
        .push(inject.id.0.clone());
}
