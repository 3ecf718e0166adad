//! Decision files for headless runs: a RON list of decisions, checked when
//! loaded against the scenario (unknown actor, response or target, turn out
//! of range), each problem at its position.

use super::ids::{ActorId, ResponseId};
use super::types::{Scenario, TargetKind};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::input::{self, closest};
use crate::locate::Locations;
use serde::Deserialize;

/// One decision of a decision file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionEntry {
    /// The turn, 1..=turns.
    pub turn: u32,
    /// Who decides.
    pub actor: ActorId,
    /// What it chooses.
    pub response: ResponseId,
    /// Its target, if the response takes one.
    #[serde(default)]
    pub target: Option<String>,
    /// Why.
    #[serde(default)]
    pub rationale: String,
}

/// Parses and checks a decision file against a scenario.
pub fn check(src: &SourceFile, s: &Scenario) -> (Option<Vec<DecisionEntry>>, Diagnostics) {
    let entries = match input::parse::<Vec<DecisionEntry>>(src) {
        Ok(e) => e,
        Err(d) => return (None, Diagnostics(vec![d])),
    };
    let mut out = Vec::new();
    let mut error = |path: String, message: String, help: Option<String>| {
        let mut d = Diagnostic::error(path, 0..0, message);
        d.help = help;
        out.push(d);
    };
    let did_you_mean =
        |found: &str, ids: Vec<&str>| closest(found, ids).map(|b| format!("did you mean `{b}`?"));
    for (i, d) in entries.iter().enumerate() {
        if d.turn == 0 || d.turn > s.turns {
            error(
                format!("[{i}].turn"),
                format!(
                    "turn {} is outside the scenario's turns (1 to {})",
                    d.turn, s.turns
                ),
                None,
            );
        }
        let actor = s.actors.iter().find(|a| a.id == d.actor);
        if actor.is_none() {
            error(
                format!("[{i}].actor"),
                format!("`{}` is not an actor of the scenario", d.actor),
                did_you_mean(
                    d.actor.as_str(),
                    s.actors.iter().map(|a| a.id.as_str()).collect(),
                ),
            );
        }
        let Some(response) = s.responses.iter().find(|r| r.id == d.response) else {
            error(
                format!("[{i}].response"),
                format!("`{}` is not a response of the scenario", d.response),
                did_you_mean(
                    d.response.as_str(),
                    s.responses.iter().map(|r| r.id.as_str()).collect(),
                ),
            );
            continue;
        };
        if let Some(a) = actor
            && (!response.for_kinds.contains(&a.kind)
                || (!response.actors.is_empty() && !response.actors.contains(&a.id)))
        {
            error(
                format!("[{i}].response"),
                format!(
                    "`{}` is not available to `{}` ({:?})",
                    d.response, a.id, a.kind
                ),
                None,
            );
        }
        let path = format!("[{i}].target");
        match (response.target, &d.target) {
            (TargetKind::NoTarget, None) => {}
            (TargetKind::NoTarget, Some(t)) => error(
                path,
                format!("`{}` takes no target, but `{t}` is given", d.response),
                None,
            ),
            (kind, None) => error(
                format!("[{i}]"),
                format!("`{}` needs a target ({kind:?})", d.response),
                None,
            ),
            (TargetKind::OwnAsset | TargetKind::AnyAsset, Some(t)) => {
                match s.assets.iter().find(|x| x.id.as_str() == t) {
                    None => error(
                        path,
                        format!("`{t}` is not an asset of the scenario"),
                        did_you_mean(t, s.assets.iter().map(|x| x.id.as_str()).collect()),
                    ),
                    Some(asset)
                        if response.target == TargetKind::OwnAsset
                            && actor.is_some()
                            && asset.operator != d.actor =>
                    {
                        error(
                            path,
                            format!(
                                "`{t}` is operated by `{}`, not by `{}`",
                                asset.operator, d.actor
                            ),
                            None,
                        )
                    }
                    Some(_) => {}
                }
            }
            (TargetKind::Incident, Some(t)) => {
                let inject = t.split('#').next().unwrap_or("");
                if !s
                    .injects
                    .iter()
                    .any(|x| x.id.as_str() == inject && x.incident.is_some())
                {
                    error(
                        path,
                        format!("`{t}` names no incident of the scenario"),
                        did_you_mean(
                            inject,
                            s.injects
                                .iter()
                                .filter(|x| x.incident.is_some())
                                .map(|x| x.id.as_str())
                                .collect(),
                        ),
                    );
                }
            }
            (TargetKind::Actor | TargetKind::Request, Some(t)) => {
                if !s.actors.iter().any(|x| x.id.as_str() == t) {
                    error(
                        path,
                        format!("`{t}` is not an actor of the scenario"),
                        did_you_mean(t, s.actors.iter().map(|x| x.id.as_str()).collect()),
                    );
                }
            }
        }
    }
    if !out.is_empty() {
        let locs = Locations::of(&src.text);
        for d in &mut out {
            d.span = locs.nearest(&d.path);
        }
    }
    let mut diagnostics = Diagnostics(out);
    diagnostics.sort();
    if diagnostics.has_errors() {
        (None, diagnostics)
    } else {
        (Some(entries), diagnostics)
    }
}
