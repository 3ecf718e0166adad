//! The systems of the tick schedule, one per file, run in the order of
//! `schedule.rs`.

pub mod damage_incidents;
pub mod measure_impact;
pub mod propagate_service;
pub mod recover_assets;
pub mod spread_incidents;
