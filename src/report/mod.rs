//! The after-action report of a session, in the shape of an after-action
//! report / improvement plan: overview, timeline, outcomes, norm scorecard,
//! strengths and areas for improvement, improvement plan. [`Report::build`]
//! computes it once; `markdown`, `html`, `json` and `csv` render it.
//!
//! The JSON report is the contract of DESIGN.md ("The JSON report is a
//! contract"); other tools read it (docs/report.md).

pub mod charts;
mod html;
mod markdown;
pub mod public;

use crate::engine::{Attribution, Engine, LedgerEntry, Source, TurnSummary};
use crate::norms::NormSet;
use crate::scenario::{Scenario, Sector};
use crate::session::{ManualInject, Note, Session};
use crate::sim::Status;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The scenario a report is about.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// Raw and weighted totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Sum of scores.
    pub raw: i32,
    /// Sum of weighted scores (committed frameworks count double).
    pub weighted: i32,
}

impl Score {
    fn add(&mut self, l: &LedgerEntry) {
        self.raw += l.score;
        self.weighted += l.weighted;
    }
}

/// An actor's totals against one framework.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FrameworkScore {
    /// Sum of scores.
    pub raw: i32,
    /// Sum of weighted scores.
    pub weighted: i32,
    /// Whether the actor committed to the framework.
    pub committed: bool,
}

/// The JSON report: the contract, then fields added for convenience.
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
    /// Totals per actor (every actor), without overridden assessments.
    pub scorecard: BTreeMap<String, Score>,
    /// Totals per actor and framework (frameworks with assessments, and
    /// those the actor committed to).
    pub frameworks: BTreeMap<String, BTreeMap<String, FrameworkScore>>,
    /// The day of the exercise, if recorded.
    pub date: Option<String>,
    /// The team that played each actor, by actor id.
    pub teams: BTreeMap<String, String>,
    /// The facilitator's notes.
    pub notes: Vec<Note>,
    /// The injects the facilitator fired.
    pub manual_injects: Vec<ManualInject>,
    /// The turn in which the facilitator ended the exercise early, if so.
    pub ended_early: Option<u32>,
}

/// Totals per actor of a ledger; every actor of the scenario appears.
pub fn scorecard(engine: &Engine) -> BTreeMap<String, Score> {
    let mut card: BTreeMap<String, Score> = engine
        .scenario()
        .actors
        .iter()
        .map(|a| (a.id.to_string(), Score::default()))
        .collect();
    for l in engine.ledger().iter().filter(|l| l.counts()) {
        card.entry(l.actor.to_string()).or_default().add(l);
    }
    card
}

/// Totals per actor and framework.
fn framework_scores(engine: &Engine) -> BTreeMap<String, BTreeMap<String, FrameworkScore>> {
    let s = engine.scenario();
    let mut out: BTreeMap<String, BTreeMap<String, FrameworkScore>> = BTreeMap::new();
    for a in &s.actors {
        let row = out.entry(a.id.to_string()).or_default();
        for f in &a.commitments {
            row.insert(
                f.to_string(),
                FrameworkScore {
                    raw: 0,
                    weighted: 0,
                    committed: true,
                },
            );
        }
    }
    for l in engine.ledger().iter().filter(|l| l.counts()) {
        let cell = out
            .entry(l.actor.to_string())
            .or_default()
            .entry(l.framework.to_string())
            .or_insert(FrameworkScore {
                raw: 0,
                weighted: 0,
                committed: l.committed,
            });
        cell.raw += l.score;
        cell.weighted += l.weighted;
    }
    out
}

/// The JSON report of an engine alone (a headless run with no journal).
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
        frameworks: framework_scores(engine),
        date: None,
        teams: BTreeMap::new(),
        notes: Vec::new(),
        manual_injects: Vec::new(),
        ended_early: None,
    }
}

/// An actor as the overview lists it.
#[derive(Clone, Debug)]
pub struct TeamRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// State, Company, Cert or Organisation.
    pub kind: String,
    /// Who played it: the team's name, or "no team".
    pub played_by: String,
    /// Who decided when no decision was entered: its bot; for an actor a
    /// team played, its bot in the turns the team submitted nothing (in the
    /// browser, a team that has not submitted when the turn advances), or
    /// nobody.
    pub fallback: String,
    /// Names of the frameworks it committed to.
    pub commitments: Vec<String>,
}

/// An inject as the timeline shows it.
#[derive(Clone, Debug)]
pub struct InjectRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Names of the actors that saw it.
    pub audience: Vec<String>,
    /// Fired by the facilitator rather than by its trigger.
    pub manual: bool,
}

/// A decision as the timeline shows it.
#[derive(Clone, Debug)]
pub struct DecisionRow {
    /// The actor's name.
    pub actor: String,
    /// The response's label.
    pub response: String,
    /// The target, readable, if any.
    pub target: Option<String>,
    /// Why.
    pub rationale: String,
}

/// One turn of the timeline, with its outcomes.
#[derive(Clone, Debug)]
pub struct TurnView {
    /// The turn.
    pub turn: u32,
    /// Injects fired in it.
    pub injects: Vec<InjectRow>,
    /// Accepted decisions, in resolution order.
    pub decisions: Vec<DecisionRow>,
    /// Refused decision sets, with why.
    pub rejected: Vec<String>,
    /// Assets whose status changed by the end of the turn.
    pub changes: Vec<String>,
    /// Public attributions made in it.
    pub attributions: Vec<String>,
    /// The facilitator's adjudications in it.
    pub adjudications: Vec<String>,
    /// The facilitator's notes in it.
    pub notes: Vec<String>,
    /// Civilian impact at its end.
    pub impact: f64,
    /// Tension at its end.
    pub tension: u32,
    /// Mean service per sector at its end, in sector order.
    pub sectors: Vec<(Sector, f64)>,
}

/// One assessment behind a norm's score.
#[derive(Clone, Debug)]
pub struct Trace {
    /// Its number in the ledger, from 1.
    pub number: usize,
    /// The turn.
    pub turn: u32,
    /// Score and weighted score.
    pub score: Score,
    /// What caused it, readable: the decision, the omission or the
    /// facilitator's judgement, with the scenario's note.
    pub cause: String,
}

/// An actor's record against one norm: every counted assessment of one sign.
#[derive(Clone, Debug)]
pub struct NormRecord {
    /// The norm's id.
    pub norm: String,
    /// The norm's title.
    pub title: String,
    /// The framework's id.
    pub framework: String,
    /// Whether the actor committed to the framework.
    pub committed: bool,
    /// The totals of these assessments.
    pub total: Score,
    /// The assessments, in ledger order.
    pub traces: Vec<Trace>,
}

impl NormRecord {
    /// The turns of its assessments, without repeats.
    pub fn turns(&self) -> Vec<u32> {
        let mut t: Vec<u32> = self.traces.iter().map(|x| x.turn).collect();
        t.dedup();
        t
    }
}

/// An actor's scorecard.
#[derive(Clone, Debug)]
pub struct ActorCard {
    /// The actor's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its totals.
    pub total: Score,
    /// Totals per framework: (framework id, framework name, score).
    pub frameworks: Vec<(String, String, FrameworkScore)>,
    /// Norms it upheld (positive assessments), best first.
    pub upheld: Vec<NormRecord>,
    /// Norms it violated (negative assessments), worst first.
    pub violated: Vec<NormRecord>,
    /// Its strengths, readable: norms upheld, correct attributions.
    pub strengths: Vec<String>,
    /// Its areas for improvement: norms fallen short of, wrong attributions.
    pub improvements: Vec<String>,
}

/// "turn 3" or "turns 1, 2".
pub(crate) fn turns_text(list: &[u32]) -> String {
    let words: Vec<String> = list.iter().map(u32::to_string).collect();
    match words.len() {
        1 => format!("turn {}", words.join("")),
        _ => format!("turns {}", words.join(", ")),
    }
}

/// One corrective action of the improvement plan.
#[derive(Clone, Debug)]
pub struct PlanItem {
    /// The responsible actor's name.
    pub actor: String,
    /// The norm's id.
    pub norm: String,
    /// The norm's title.
    pub title: String,
    /// The framework's name.
    pub framework: String,
    /// The turns it was violated in.
    pub turns: Vec<u32>,
    /// The weighted total of the violations.
    pub weighted: i32,
    /// The corrective action: the catalogue's guidance.
    pub guidance: String,
}

/// The after-action report of a session.
pub struct Report {
    /// The JSON report (also the source of the per-turn figures).
    pub json: JsonReport,
    /// The scenario's title.
    pub title: String,
    /// Its summary.
    pub summary: String,
    /// Its briefing.
    pub briefing: String,
    /// Its objectives.
    pub objectives: Vec<String>,
    /// How long a turn is.
    pub turn_length: String,
    /// Turns in the scenario.
    pub turns_total: u32,
    /// The frameworks in force: (id, name).
    pub frameworks: Vec<(String, String)>,
    /// The actors and who played them.
    pub teams: Vec<TeamRow>,
    /// The timeline, turn by turn.
    pub timeline: Vec<TurnView>,
    /// Facilitator notes made after the last turn played.
    pub closing_notes: Vec<String>,
    /// Adjudications made after the last turn played.
    pub closing_adjudications: Vec<String>,
    /// The scorecards, in scenario order.
    pub cards: Vec<ActorCard>,
    /// The improvement plan.
    pub plan: Vec<PlanItem>,
    /// The sectors of the infrastructure, in sector order.
    pub sectors: Vec<Sector>,
    /// Each asset: (name, sector, final status).
    pub assets: Vec<(String, Sector, Status)>,
    /// Dependencies as (supplier, dependant) asset indices.
    pub edges: Vec<(usize, usize)>,
}

/// Readable names of a scenario's things.
struct Names<'a> {
    s: &'a Scenario,
}

impl Names<'_> {
    fn actor(&self, id: &str) -> String {
        self.s
            .actors
            .iter()
            .find(|a| a.id.as_str() == id)
            .map_or_else(|| id.to_owned(), |a| a.name.clone())
    }

    fn response(&self, id: &str) -> String {
        self.s
            .responses
            .iter()
            .find(|r| r.id.as_str() == id)
            .map_or_else(|| id.to_owned(), |r| r.label.clone())
    }

    /// A target id as a reader knows it: an asset's or actor's name, an
    /// incident's inject title.
    fn target(&self, id: &str) -> String {
        if let Some(a) = self.s.assets.iter().find(|a| a.id.as_str() == id) {
            return a.name.clone();
        }
        if let Some(a) = self.s.actors.iter().find(|a| a.id.as_str() == id) {
            return a.name.clone();
        }
        let inject = id.split('#').next().unwrap_or(id);
        match self.s.injects.iter().find(|i| i.id.as_str() == inject) {
            Some(i) if inject != id => format!("{} ({id})", i.title),
            Some(i) => i.title.clone(),
            None => id.to_owned(),
        }
    }
}

/// Mean service per sector of one turn's service map.
fn sector_service(s: &Scenario, service: &BTreeMap<Arc<str>, f64>) -> Vec<(Sector, f64)> {
    let mut sums: BTreeMap<Sector, (f64, usize)> = BTreeMap::new();
    for a in &s.assets {
        let e = sums.entry(a.sector).or_default();
        e.0 += service.get(a.id.as_str()).copied().unwrap_or(0.0);
        e.1 += 1;
    }
    sums.into_iter()
        .map(|(sector, (sum, n))| (sector, sum / n as f64))
        .collect()
}

/// The assets whose status differs in `service` (a turn's service by asset
/// id) from `before`, as readable lines; `before` becomes the new statuses.
/// `actor` names an actor by id.
pub fn status_changes(
    s: &Scenario,
    before: &mut [Status],
    service: &BTreeMap<Arc<str>, f64>,
    actor: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut changes = Vec::new();
    for (a, old) in s.assets.iter().zip(before.iter_mut()) {
        let service = service.get(a.id.as_str()).copied().unwrap_or(0.0);
        let now = Status::of(service);
        if now != *old {
            let verb = match (now, *old) {
                (Status::Operational, _) => "is back to operational",
                (Status::Down, _) => "went down",
                (Status::Degraded, Status::Down) => "is partly back (degraded)",
                (Status::Degraded, _) => "became degraded",
            };
            changes.push(format!(
                "{} ({}, {}) {verb}: service {:.0}% (was {})",
                a.name,
                a.sector.label(),
                actor(a.operator.as_str()),
                service * 100.0,
                status_word(*old)
            ));
            *old = now;
        }
    }
    changes
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Operational => "operational",
        Status::Degraded => "degraded",
        Status::Down => "down",
    }
}

impl Report {
    /// The report of a session as it stands.
    pub fn build(session: &Session, norms: &NormSet) -> Report {
        let engine = &session.engine;
        let s = engine.scenario();
        let names = Names { s };
        let header = &session.header;
        let mut json = json_report(engine, header.seed);
        json.date.clone_from(&header.date);
        json.teams.clone_from(&header.teams);
        json.notes.clone_from(&session.notes);
        json.manual_injects.clone_from(&session.manual_injects);
        json.ended_early = session.ended_early;

        let framework_name = |id: &str| {
            norms
                .framework(id)
                .map_or_else(|| id.to_owned(), |c| c.name.clone())
        };
        let teams = s
            .actors
            .iter()
            .map(|a| TeamRow {
                id: a.id.to_string(),
                name: a.name.clone(),
                kind: format!("{:?}", a.kind),
                played_by: match header.teams.get(a.id.as_str()) {
                    Some(t) if t.is_empty() => "a team (not named)".to_owned(),
                    Some(t) => t.clone(),
                    None => "no team".to_owned(),
                },
                fallback: {
                    let bot = header.bots.get(a.id.as_str()).copied().unwrap_or(a.policy);
                    let id = a.id.as_str();
                    match session.bot_turns.get(id) {
                        _ if !header.teams.contains_key(id) => format!("{bot:?} bot"),
                        Some(turns) if !turns.is_empty() => {
                            format!("{bot:?} bot in {}", turns_text(turns))
                        }
                        _ => "— (the team decided every turn)".to_owned(),
                    }
                },
                commitments: a
                    .commitments
                    .iter()
                    .map(|f| framework_name(f.as_str()))
                    .collect(),
            })
            .collect();

        let timeline = Self::timeline(session, &names, &json);
        let cards = Self::cards(engine, norms, &names, &json, &framework_name);
        let plan = Self::plan(&cards, norms, &framework_name);
        let last = json.turns.last();
        let assets = s
            .assets
            .iter()
            .map(|a| {
                let service = last
                    .and_then(|t| t.service.get(a.id.as_str()).copied())
                    .unwrap_or(a.integrity);
                (a.name.clone(), a.sector, Status::of(service))
            })
            .collect();
        let index = |id: &str| s.assets.iter().position(|a| a.id.as_str() == id);
        let edges = s
            .dependencies
            .iter()
            .filter_map(|d| Some((index(d.on.as_str())?, index(d.from.as_str())?)))
            .collect();
        let mut sectors: Vec<Sector> = s.assets.iter().map(|a| a.sector).collect();
        sectors.sort();
        sectors.dedup();
        let played = json.turns.len() as u32;
        Report {
            title: s.title.clone(),
            summary: s.summary.clone(),
            briefing: s.briefing.clone(),
            objectives: s.objectives.clone(),
            turn_length: s.turn_length.clone(),
            turns_total: s.turns,
            frameworks: s
                .frameworks
                .iter()
                .map(|f| (f.to_string(), framework_name(f.as_str())))
                .collect(),
            teams,
            timeline,
            closing_notes: session
                .notes
                .iter()
                .filter(|n| n.turn > played)
                .map(|n| n.text.clone())
                .collect(),
            closing_adjudications: json
                .assessments
                .iter()
                .filter(|l| l.source == Source::Adjudication && l.turn > played)
                .map(|l| adjudication_text(&names, l))
                .collect(),
            cards,
            plan,
            sectors,
            assets,
            edges,
            json,
        }
    }

    fn timeline(session: &Session, names: &Names, json: &JsonReport) -> Vec<TurnView> {
        let s = names.s;
        let mut before: Vec<Status> = s.assets.iter().map(|a| Status::of(a.integrity)).collect();
        let mut out = Vec::new();
        for t in &json.turns {
            let manual: Vec<&str> = session
                .manual_injects
                .iter()
                .filter(|m| m.turn == t.turn)
                .map(|m| m.inject.as_str())
                .collect();
            let log = session.engine.inject_log();
            let injects = log
                .iter()
                .filter(|f| f.turn == t.turn)
                .filter_map(|f| {
                    let i = s.injects.get(f.inject)?;
                    Some(InjectRow {
                        id: i.id.to_string(),
                        title: i.title.clone(),
                        text: i.text.clone(),
                        audience: f
                            .audience
                            .iter()
                            .filter_map(|&a| s.actors.get(a as usize).map(|a| a.name.clone()))
                            .collect(),
                        manual: manual.contains(&i.id.as_str()),
                    })
                })
                .collect();
            let decisions = t
                .decisions
                .iter()
                .map(|d| DecisionRow {
                    actor: names.actor(&d.actor),
                    response: names.response(&d.response),
                    target: d.target.as_deref().map(|x| names.target(x)),
                    rationale: d.rationale.clone(),
                })
                .collect();
            let changes = status_changes(s, &mut before, &t.service, |id| names.actor(id));
            let attributions = json
                .attributions
                .iter()
                .filter(|a| a.turn == t.turn)
                .map(|a| {
                    format!(
                        "{} publicly attributed {} to {} (confidence {:.0}%): {}",
                        names.actor(&a.actor),
                        names.target(&a.incident),
                        a.named
                            .as_deref()
                            .map_or_else(|| "nobody".to_owned(), |n| names.actor(n)),
                        a.confidence * 100.0,
                        if a.correct { "correct" } else { "wrong" }
                    )
                })
                .collect();
            let adjudications = json
                .assessments
                .iter()
                .filter(|l| l.source == Source::Adjudication && l.turn == t.turn)
                .map(|l| adjudication_text(names, l))
                .collect();
            out.push(TurnView {
                turn: t.turn,
                injects,
                decisions,
                rejected: t.rejected.iter().map(|r| r.reason.clone()).collect(),
                changes,
                attributions,
                adjudications,
                notes: session
                    .notes
                    .iter()
                    .filter(|n| n.turn == t.turn)
                    .map(|n| n.text.clone())
                    .collect(),
                impact: t.impact,
                tension: t.tension,
                sectors: sector_service(s, &t.service),
            });
        }
        out
    }

    fn cards(
        engine: &Engine,
        norms: &NormSet,
        names: &Names,
        json: &JsonReport,
        framework_name: &dyn Fn(&str) -> String,
    ) -> Vec<ActorCard> {
        let s = names.s;
        s.actors
            .iter()
            .map(|a| {
                let id = a.id.as_str();
                let mut upheld: BTreeMap<&str, NormRecord> = BTreeMap::new();
                let mut violated: BTreeMap<&str, NormRecord> = BTreeMap::new();
                for (k, l) in engine.ledger().iter().enumerate() {
                    if *l.actor != *id || !l.counts() || l.score == 0 {
                        continue;
                    }
                    let side = if l.score > 0 {
                        &mut upheld
                    } else {
                        &mut violated
                    };
                    let r = side.entry(&l.norm).or_insert_with(|| NormRecord {
                        norm: l.norm.to_string(),
                        title: norms
                            .norm(&l.norm)
                            .map_or_else(String::new, |(_, n)| n.title.clone()),
                        framework: l.framework.to_string(),
                        committed: l.committed,
                        total: Score::default(),
                        traces: Vec::new(),
                    });
                    r.total.add(l);
                    r.traces.push(Trace {
                        number: k + 1,
                        turn: l.turn,
                        score: Score {
                            raw: l.score,
                            weighted: l.weighted,
                        },
                        cause: cause(names, l),
                    });
                }
                let mut upheld: Vec<NormRecord> = upheld.into_values().collect();
                upheld.sort_by_key(|r| std::cmp::Reverse(r.total.weighted));
                let mut violated: Vec<NormRecord> = violated.into_values().collect();
                violated.sort_by_key(|r| r.total.weighted);
                let mut strengths: Vec<String> = upheld
                    .iter()
                    .map(|n| {
                        format!(
                            "Upheld “{}” ({}): {:+} weighted, {}.",
                            n.title,
                            n.norm,
                            n.total.weighted,
                            turns_text(&n.turns())
                        )
                    })
                    .collect();
                let mut improvements: Vec<String> = violated
                    .iter()
                    .map(|n| {
                        let first = n.traces.first().map_or("", |t| t.cause.as_str());
                        format!(
                            "Fell short of “{}” ({}): {:+} weighted, {}; {first}.",
                            n.title,
                            n.norm,
                            n.total.weighted,
                            turns_text(&n.turns())
                        )
                    })
                    .collect();
                for x in json.attributions.iter().filter(|x| x.actor == id) {
                    let line = format!(
                        "Attributed {} to {} in turn {}",
                        names.target(&x.incident),
                        x.named
                            .as_deref()
                            .map_or_else(|| "nobody".to_owned(), |n| names.actor(n)),
                        x.turn
                    );
                    if x.correct {
                        strengths.push(format!("{line}: the attribution was correct."));
                    } else {
                        improvements.push(format!(
                            "{line}: the attribution was wrong; attribute only on sufficient evidence."
                        ));
                    }
                }
                ActorCard {
                    id: id.to_owned(),
                    name: a.name.clone(),
                    total: json.scorecard.get(id).copied().unwrap_or_default(),
                    frameworks: json
                        .frameworks
                        .get(id)
                        .map(|m| {
                            m.iter()
                                .map(|(f, sc)| (f.clone(), framework_name(f), sc.clone()))
                                .collect()
                        })
                        .unwrap_or_default(),
                    upheld,
                    violated,
                    strengths,
                    improvements,
                }
            })
            .collect()
    }

    fn plan(
        cards: &[ActorCard],
        norms: &NormSet,
        framework_name: &dyn Fn(&str) -> String,
    ) -> Vec<PlanItem> {
        cards
            .iter()
            .flat_map(|c| {
                c.violated.iter().map(|r| PlanItem {
                    actor: c.name.clone(),
                    norm: r.norm.clone(),
                    title: r.title.clone(),
                    framework: framework_name(&r.framework),
                    turns: r.turns(),
                    weighted: r.total.weighted,
                    guidance: norms
                        .norm(&r.norm)
                        .map_or_else(String::new, |(_, n)| n.guidance.clone()),
                })
            })
            .collect()
    }

    /// The JSON report, pretty-printed, with a final newline.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(&self.json)?;
        text.push('\n');
        Ok(text)
    }

    /// The scoring ledger as CSV, one assessment per row.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        #[derive(Serialize)]
        struct Row<'a> {
            number: usize,
            turn: u32,
            actor: &'a str,
            norm: &'a str,
            framework: &'a str,
            score: i32,
            weighted: i32,
            committed: bool,
            source: Source,
            response: &'a str,
            target: &'a str,
            note: &'a str,
            replaces: Option<usize>,
            overridden: bool,
        }
        // The header is written by hand so that an empty ledger still has it.
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.write_record([
            "number",
            "turn",
            "actor",
            "norm",
            "framework",
            "score",
            "weighted",
            "committed",
            "source",
            "response",
            "target",
            "note",
            "replaces",
            "overridden",
        ])?;
        for (k, l) in self.json.assessments.iter().enumerate() {
            w.serialize(Row {
                number: k + 1,
                turn: l.turn,
                actor: &l.actor,
                norm: &l.norm,
                framework: &l.framework,
                score: l.score,
                weighted: l.weighted,
                committed: l.committed,
                source: l.source,
                response: l.response.as_deref().unwrap_or(""),
                target: l.target.as_deref().unwrap_or(""),
                note: &l.note,
                replaces: l.replaces.map(|r| r + 1),
                overridden: l.overridden,
            })?;
        }
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The report in Markdown.
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// The report as one self-contained HTML page.
    pub fn to_html(&self) -> String {
        html::render(self)
    }
}

/// What caused an assessment, readable.
fn cause(names: &Names, l: &LedgerEntry) -> String {
    let note = if l.note.is_empty() {
        String::new()
    } else {
        format!(": {}", l.note)
    };
    match l.source {
        Source::Decision => {
            let response = l
                .response
                .as_deref()
                .map_or_else(String::new, |r| names.response(r));
            match l.target.as_deref() {
                Some(t) => format!("decision “{response}” on {}{note}", names.target(t)),
                None => format!("decision “{response}”{note}"),
            }
        }
        Source::Obligation => format!("omission{note}"),
        Source::Adjudication => adjudication_text(names, l),
    }
}

fn adjudication_text(names: &Names, l: &LedgerEntry) -> String {
    let base = match l.replaces {
        Some(r) => format!(
            "facilitator's adjudication, overriding assessment #{}",
            r + 1
        ),
        None => "facilitator's adjudication".to_owned(),
    };
    format!(
        "{base} of {} on {} ({:+}): {}",
        names.actor(&l.actor),
        l.norm,
        l.score,
        l.note
    )
}
