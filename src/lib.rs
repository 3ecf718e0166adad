//! cyberttx: scenario-based cyber tabletop exercises, scored against the
//! cyber norms the exercise agreed to.
//!
//! The library holds all the work; the `cyberttx` binary only parses the
//! command line and calls [`cli::run`].
#![warn(missing_docs)]

/// The allocator of every program built on this library (the binary, its
/// tests and benchmarks): a world and a turn are many small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod cli;
pub mod diag;
pub mod engine;
pub mod input;
pub mod locate;
pub mod network;
pub mod norms;
pub mod play;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod session;
pub mod sim;
pub mod text;
