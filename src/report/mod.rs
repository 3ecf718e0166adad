//! The after-action report's data. `json` is the contract of DESIGN.md
//! ("The JSON report is a contract"); other tools read it.

use crate::engine::{Attribution, Engine, LedgerEntry, TurnSummary};
use serde::Serialize;
use std::collections::BTreeMap;

/// The scenario a report is about.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// Raw and weighted totals of an actor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Sum of scores.
    pub raw: i32,
    /// Sum of weighted scores (committed frameworks count double).
    pub weighted: i32,
}

/// The JSON report.
#[derive(Clone, Debug, Serialize)]
pub struct JsonReport {
    /// The scenario.
    pub scenario: ScenarioRef,
    /// The seed of the run.
    pub seed: u64,
    /// Every turn played.
    pub turns: Vec<TurnSummary>,
    /// Every assessment, in the order it was made.
    pub assessments: Vec<LedgerEntry>,
    /// Every public attribution.
    pub attributions: Vec<Attribution>,
    /// Totals per actor (every actor, in scenario order of ids).
    pub scorecard: BTreeMap<String, Score>,
}

/// Totals per actor of a ledger; every actor of the scenario appears.
pub fn scorecard(engine: &Engine) -> BTreeMap<String, Score> {
    let mut card: BTreeMap<String, Score> = engine
        .scenario()
        .actors
        .iter()
        .map(|a| (a.id.to_string(), Score::default()))
        .collect();
    for l in engine.ledger() {
        let s = card.entry(l.actor.clone()).or_default();
        s.raw += l.score;
        s.weighted += l.weighted;
    }
    card
}

/// The report of an exercise so far.
pub fn json_report(engine: &Engine, seed: u64) -> JsonReport {
    let s = engine.scenario();
    JsonReport {
        scenario: ScenarioRef {
            id: s.id.to_string(),
            title: s.title.clone(),
        },
        seed,
        turns: engine.timeline().to_vec(),
        assessments: engine.ledger().to_vec(),
        attributions: engine.attributions().to_vec(),
        scorecard: scorecard(engine),
    }
}
