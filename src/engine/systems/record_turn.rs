//! Turn step 5 (second part): the turn's summary and state digest.
//! Reads everything; adds to the timeline and moves to the next turn.

use crate::engine::digest::digest;
use crate::engine::rules::SharedRules;
use crate::engine::state::{Tension, Timeline, TurnLog, TurnSummary};
use crate::sim::Physics;
use crate::sim::components::Service;
use crate::sim::resources::AssetEntities;
use bevy_ecs::prelude::World;

/// Records service by asset, civilian impact, tension, decisions and the
/// digest of the state; then the clock moves to the next turn.
pub fn record_turn(world: &mut World) {
    let Some(rules) = world.get_resource::<SharedRules>().map(|r| r.0.clone()) else {
        return;
    };
    let log = std::mem::take(&mut *world.resource_mut::<TurnLog>());
    let service = rules
        .asset_ids
        .iter()
        .zip(&world.resource::<AssetEntities>().0)
        .map(|(id, &e)| (id.clone(), world.get::<Service>(e).map_or(0.0, |s| s.0)))
        .collect();
    let summary = TurnSummary {
        turn: world.turn(),
        fired: log.fired,
        decisions: log.decisions,
        service,
        impact: world.impact(),
        tension: world.resource::<Tension>().0,
        rejected: log.rejected,
        digest: digest(world),
    };
    world.resource_mut::<Timeline>().0.push(summary);
    let next = world.turn() + 1;
    world.set_turn(next);
}
