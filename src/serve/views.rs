//! What the API shows: each role's view of the session, as JSON.

use crate::engine::{Engine, Source};
use crate::report::public::actor_name;
pub use crate::report::public::public_results;
use crate::scenario::Policy;
use crate::session::Session;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Display names by id: actors, assets, responses (their labels), and the
/// incidents `visible` (by their titles).
fn names(engine: &Engine, visible: impl Fn(&str) -> bool) -> BTreeMap<String, String> {
    let s = engine.scenario();
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for a in &s.actors {
        out.insert(a.id.to_string(), a.name.clone());
    }
    for a in &s.assets {
        out.insert(a.id.to_string(), a.name.clone());
    }
    for r in &s.responses {
        out.insert(r.id.to_string(), r.label.clone());
    }
    for f in engine.inject_log() {
        if let (Some(name), Some(i)) = (&f.incident, s.injects.get(f.inject))
            && visible(name)
        {
            out.insert(name.clone(), i.title.clone());
        }
    }
    out
}

/// What both roles see.
fn common(session: &Session, version: u64, role: &str) -> serde_json::Map<String, Value> {
    let e = &session.engine;
    let s = e.scenario();
    let mut m = serde_json::Map::new();
    m.insert("role".into(), json!(role));
    m.insert("version".into(), json!(version));
    m.insert(
        "scenario".into(),
        json!({
            "id": s.id.as_str(),
            "title": s.title,
            "summary": s.summary,
            "briefing": s.briefing,
            "objectives": s.objectives,
            "turns": s.turns,
            "turn_length": s.turn_length,
        }),
    );
    m.insert("turn".into(), json!(e.turn()));
    m.insert("over".into(), json!(session.is_over()));
    m.insert("ended_early".into(), json!(session.ended_early));
    m.insert("results".into(), json!(public_results(e)));
    m
}

/// A team's view: its actor's briefing and its submission, nothing else.
pub fn team(session: &Session, actor: &str, version: u64) -> Value {
    let e = &session.engine;
    let mut m = common(session, version, "team");
    m.insert("actor".into(), json!(actor));
    m.insert("name".into(), json!(actor_name(e, actor)));
    m.insert(
        "team".into(),
        json!(session.header.teams.get(actor).cloned().unwrap_or_default()),
    );
    let briefing = e.briefing(actor);
    let known: Vec<String> = briefing
        .iter()
        .flat_map(|b| b.incidents.iter().map(|i| i.name.clone()))
        .collect();
    m.insert(
        "names".into(),
        json!(names(e, |n| known.iter().any(|k| k == n))),
    );
    m.insert("briefing".into(), json!(briefing));
    m.insert("submitted".into(), json!(session.is_confirmed(actor)));
    m.insert("choices".into(), json!(session.drafts(actor)));
    Value::Object(m)
}

/// The facilitator's view: the whole truth.
pub fn facilitator(session: &Session, version: u64) -> Value {
    let e = &session.engine;
    let s = e.scenario();
    let mut m = common(session, version, "facilitator");
    m.insert("names".into(), json!(names(e, |_| true)));
    let mut truth = serde_json::to_value(e.facilitator_view()).unwrap_or(Value::Null);
    if let Value::Object(t) = &mut truth {
        t.remove("pending");
    }
    m.insert("truth".into(), truth);
    let teams: Vec<Value> = s
        .actors
        .iter()
        .map(|a| {
            let id = a.id.as_str();
            let bot: Policy = session.header.bots.get(id).copied().unwrap_or(a.policy);
            json!({
                "actor": id,
                "name": a.name,
                "team": session.header.teams.get(id).cloned().unwrap_or_default(),
                "bot": bot,
                "submitted": session.is_confirmed(id),
                "choices": session.drafts(id),
            })
        })
        .collect();
    m.insert("teams".into(), json!(teams));
    let log = e.inject_log();
    let injects: Vec<Value> = s
        .injects
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let fired: Vec<u32> = log
                .iter()
                .filter(|f| f.inject == k)
                .map(|f| f.turn)
                .collect();
            let can_fire =
                !session.is_over() && !fired.contains(&e.turn()) && (i.repeat || fired.is_empty());
            json!({"id": i.id.as_str(), "title": i.title, "fired": fired, "can_fire": can_fire})
        })
        .collect();
    m.insert("injects".into(), json!(injects));
    m.insert("scores".into(), json!(crate::report::scorecard(e)));
    let ledger: Vec<Value> = e
        .ledger()
        .iter()
        .enumerate()
        .map(|(k, l)| {
            json!({
                "number": k + 1,
                "turn": l.turn,
                "actor": l.actor,
                "norm": l.norm,
                "framework": l.framework,
                "score": l.score,
                "weighted": l.weighted,
                "source": match l.source {
                    Source::Decision => "decision",
                    Source::Obligation => "obligation",
                    Source::Adjudication => "adjudication",
                },
                "note": l.note,
                "overridden": l.overridden,
            })
        })
        .collect();
    m.insert("ledger".into(), json!(ledger));
    m.insert("notes".into(), json!(session.notes));
    let last = e
        .timeline()
        .last()
        .map(|t| t.decisions.clone())
        .unwrap_or_default();
    m.insert("decisions".into(), json!(last));
    Value::Object(m)
}
