//! The systems of a turn, one per file, run in the order of `schedule.rs`.

pub mod apply_obligations;
pub mod fire_injects;
pub mod record_turn;
pub mod resolve_decisions;
