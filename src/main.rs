//! The `cyberttx` binary: parse the command line, run it, exit with its code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    cyberttx::cli::run(cyberttx::cli::Cli::parse())
}
