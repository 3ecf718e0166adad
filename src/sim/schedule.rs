//! The order of the simulation, in one place.

use super::systems::{
    damage_incidents::damage_incidents, measure_impact::measure_impact,
    propagate_service::propagate_service, recover_assets::recover_assets,
    spread_incidents::spread_incidents,
};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, SystemSet, World};
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};

/// The tick schedule's label.
#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tick;

/// The steps of a tick, run in this order (DESIGN: "Simulation semantics", 4a–e).
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TickStep {
    /// a. ongoing damage
    Damage,
    /// b. spread
    Spread,
    /// c. recovery
    Recover,
    /// d. service
    Service,
    /// e. metrics
    Measure,
}

/// Why the schedule could not be built (a defect of the program, not of a scenario).
#[derive(Debug, thiserror::Error)]
#[error("the simulation schedule is inconsistent: {0}")]
pub struct ScheduleError(pub String);

/// The build settings of every schedule of the simulation: any ambiguity is
/// an error; no system defers commands, so no sync points are inserted.
pub fn build_settings() -> ScheduleBuildSettings {
    ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        auto_insert_apply_deferred: false,
        ..Default::default()
    }
}

/// Builds and initialises the tick schedule: single-threaded, every step
/// ordered, and any ambiguity an error.
pub fn tick_schedule(world: &mut World) -> Result<Schedule, ScheduleError> {
    let mut schedule = Schedule::new(Tick);
    schedule
        .set_executor(SingleThreadedExecutor::new())
        .set_build_settings(build_settings())
        .configure_sets(
            (
                TickStep::Damage,
                TickStep::Spread,
                TickStep::Recover,
                TickStep::Service,
                TickStep::Measure,
            )
                .chain(),
        )
        .add_systems((
            damage_incidents.in_set(TickStep::Damage),
            spread_incidents.in_set(TickStep::Spread),
            recover_assets.in_set(TickStep::Recover),
            propagate_service.in_set(TickStep::Service),
            measure_impact.in_set(TickStep::Measure),
        ));
    schedule
        .initialize(world)
        .map_err(|e| ScheduleError(format!("{e:?}")))?;
    Ok(schedule)
}
