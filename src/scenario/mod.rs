//! Scenarios: the format (pure data), finding them (a path or a bundled id),
//! and loading them with every problem reported at its position.

pub mod decisions;
pub mod ids;
pub mod types;
pub mod validate;

pub use types::*;

use crate::diag::{Diagnostics, SourceFile};
use crate::input::{self, ReadError};
use crate::norms::NormSet;
use std::path::Path;

/// The scenarios shipped in the binary, as (id, text). `quickstart` first: it
/// is what `play` runs when no scenario is named.
pub const BUNDLED: [(&str, &str); 9] = [
    ("quickstart", include_str!("../../scenarios/quickstart.ron")),
    (
        "hospital-ransomware",
        include_str!("../../scenarios/hospital-ransomware.ron"),
    ),
    (
        "poisoned-update",
        include_str!("../../scenarios/poisoned-update.ron"),
    ),
    (
        "leaked-exploit",
        include_str!("../../scenarios/leaked-exploit.ron"),
    ),
    ("grid-wiper", include_str!("../../scenarios/grid-wiper.ron")),
    ("dns-core", include_str!("../../scenarios/dns-core.ron")),
    (
        "election-leak",
        include_str!("../../scenarios/election-leak.ron"),
    ),
    (
        "mercenary-spyware",
        include_str!("../../scenarios/mercenary-spyware.ron"),
    ),
    (
        "evidence-request",
        include_str!("../../scenarios/evidence-request.ron"),
    ),
];

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The argument is neither a file nor a bundled scenario.
    #[error("`{0}` is neither a file nor a bundled scenario (bundled: {list})", list = bundled_ids())]
    NotFound(String),
    /// The file has errors.
    #[error("{} has errors", .0.name)]
    Invalid(SourceFile, Diagnostics),
}

fn bundled_ids() -> String {
    BUNDLED
        .iter()
        .map(|(id, _)| *id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Finds a scenario: an existing file at `arg`, else a bundled scenario with that id.
pub fn resolve(arg: &str) -> Result<SourceFile, ScenarioError> {
    let path = Path::new(arg);
    if path.exists() {
        return Ok(input::read_file(path)?);
    }
    match BUNDLED.iter().find(|(id, _)| *id == arg) {
        Some((id, text)) => Ok(bundled_source(id, text)),
        None if arg.contains(['/', '\\']) || arg.ends_with(".ron") => Err(ReadError {
            path: arg.to_owned(),
            reason: "no such file or directory".to_owned(),
        }
        .into()),
        None => Err(ScenarioError::NotFound(arg.to_owned())),
    }
}

/// A bundled scenario as a source file named `bundled:ID.ron`.
pub fn bundled_source(id: &str, text: &str) -> SourceFile {
    SourceFile::new(format!("bundled:{id}.ron"), text)
}

/// Parses and validates: the scenario when it has no errors, and every
/// problem found (warnings included).
pub fn check(src: &SourceFile, norms: &NormSet) -> (Option<Scenario>, Diagnostics) {
    match input::parse::<Scenario>(src) {
        Err(d) => (None, Diagnostics(vec![d])),
        Ok(s) => {
            let diagnostics = validate::validate(&s, &src.text, norms);
            if diagnostics.has_errors() {
                (None, diagnostics)
            } else {
                (Some(s), diagnostics)
            }
        }
    }
}

/// Finds, parses and validates a scenario; warnings come back with it.
pub fn load(
    arg: &str,
    norms: &NormSet,
) -> Result<(SourceFile, Scenario, Diagnostics), ScenarioError> {
    let src = resolve(arg)?;
    match check(&src, norms) {
        (Some(s), warnings) => Ok((src, s, warnings)),
        (None, errors) => Err(ScenarioError::Invalid(src, errors)),
    }
}
