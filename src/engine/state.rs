//! The turn-level state of an exercise: resources and components beside
//! the physics of `sim`, and the records the report is made of.

use bevy_ecs::prelude::{Component, Entity, Resource};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One choice of an actor for a turn: a response, its target and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The response id.
    pub response: String,
    /// The target id (asset, incident name, actor, or the requester for `Request`).
    pub target: Option<String>,
    /// Why, for the report.
    #[serde(default)]
    pub rationale: String,
}

/// An actor: its index in the scenario, its action points per turn and who
/// decides for it when no team submits.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActorSeat {
    /// Index in the scenario's `actors`.
    pub index: u32,
    /// Action points per turn.
    pub capacity: u32,
    /// The bot that decides when nobody submits.
    pub policy: crate::scenario::Policy,
}

/// The actor entities, by actor index.
#[derive(Resource, Clone, Debug, Default)]
pub struct ActorEntities(pub Vec<Entity>);

/// Tension between the parties, 0..=100.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tension(pub u32);

impl Tension {
    /// Adds `n` (negative de-escalates), clamped to 0..=100.
    pub fn add(&mut self, n: i32) {
        self.0 = (i64::from(self.0) + i64::from(n)).clamp(0, 100) as u32;
    }
}

/// Story flags that are set.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags(pub BTreeSet<String>);

/// Who an incident's hidden truth is, and its name.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct IncidentInfo {
    /// `inject-id`, or `inject-id#n` for a repeating inject's n-th incident.
    pub name: String,
    /// The real perpetrator (actor index), if any.
    pub perpetrator: Option<u32>,
    /// Whom the first evidence points to (actor index), if anyone.
    pub false_flag: Option<u32>,
}

impl IncidentInfo {
    /// The suspect of an actor with `confidence`: the false flag while one
    /// is set and the confidence is below 0.6, otherwise the perpetrator.
    pub fn suspect(&self, confidence: f64) -> Option<u32> {
        match self.false_flag {
            Some(flag) if confidence < 0.6 => Some(flag),
            _ => self.perpetrator,
        }
    }
}

/// A request for assistance.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    /// The requesting actor.
    pub from: u32,
    /// The actor asked.
    pub to: u32,
    /// The turn it was made.
    pub made: u32,
    /// The turn it was answered, if it was.
    pub answered: Option<u32>,
    /// Creation order, for a stable order.
    pub order: u32,
}

/// A public statement in everyone's briefing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Announcement {
    /// The turn it was made.
    pub turn: u32,
    /// Who made it (actor id), or nobody for the scenario's own news.
    pub by: Option<String>,
    /// What it says.
    pub text: String,
}

/// Where an assessment comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A response's assessment.
    Decision,
    /// An obligation at the end of a turn.
    Obligation,
    /// The facilitator's judgement.
    Adjudication,
}

/// One line of the scoring ledger. Its texts are shared with the rules
/// (an exercise writes hundreds of lines naming the same few norms).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerEntry {
    /// The turn.
    pub turn: u32,
    /// The actor scored (id).
    pub actor: Arc<str>,
    /// The norm.
    pub norm: Arc<str>,
    /// The norm's framework.
    pub framework: Arc<str>,
    /// -3..=3.
    pub score: i32,
    /// Doubled when the actor committed to the framework.
    pub weighted: i32,
    /// Whether the actor committed to the framework.
    pub committed: bool,
    /// Decision, obligation or adjudication.
    pub source: Source,
    /// The response, for decisions.
    pub response: Option<Arc<str>>,
    /// The decision's target, if any.
    pub target: Option<String>,
    /// Why.
    pub note: Arc<str>,
    /// For an adjudication that overrides an assessment: the overridden
    /// assessment's index in the ledger.
    pub replaces: Option<usize>,
    /// Set when an adjudication overrode this assessment; it then no longer
    /// counts in the totals.
    pub overridden: bool,
}

impl LedgerEntry {
    /// Whether the assessment counts in the totals.
    pub fn counts(&self) -> bool {
        !self.overridden
    }
}

/// A public attribution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attribution {
    /// The turn.
    pub turn: u32,
    /// Who attributed (actor id).
    pub actor: String,
    /// The incident's name.
    pub incident: String,
    /// Whom it named (actor id), if anyone.
    pub named: Option<String>,
    /// The attributing actor's confidence at the time.
    pub confidence: f64,
    /// Whether the named actor is the real perpetrator.
    pub correct: bool,
}

/// An inject that fired, and who saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct FiredInject {
    /// The turn.
    pub turn: u32,
    /// The inject's index.
    pub inject: usize,
    /// The incident's name, if it started one.
    pub incident: Option<String>,
    /// Actor indices that see it.
    pub audience: Vec<u32>,
}

/// What the exercise has recorded so far, in the order it happened. One
/// resource: the lists are written together by resolution and read
/// together by briefings, reports and the digest.
#[derive(Resource, Clone, Debug, Default)]
pub struct Record {
    /// The incidents each inject has started, in order (index = inject index).
    pub incidents: Vec<Vec<Entity>>,
    /// Every request entity, in creation order.
    pub requests: Vec<Entity>,
    /// Accepted decisions: (turn, actor, response index, target).
    pub history: Vec<(u32, u32, u32, Option<crate::engine::rules::Target>)>,
    /// Every public statement.
    pub announcements: Vec<Announcement>,
    /// Every assessment.
    pub ledger: Vec<LedgerEntry>,
    /// Every public attribution.
    pub attributions: Vec<Attribution>,
    /// Every inject fired, in firing order.
    pub injects: Vec<FiredInject>,
}

/// Decisions submitted for the current turn, by actor index.
#[derive(Resource, Clone, Debug, Default)]
pub struct Pending(pub BTreeMap<u32, Vec<Choice>>);

/// A decision as it resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionRecord {
    /// The actor (id).
    pub actor: String,
    /// The response (id).
    pub response: String,
    /// The target, if any.
    pub target: Option<String>,
    /// Why.
    pub rationale: String,
}

/// A decision set refused for a turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The actor (id).
    pub actor: String,
    /// Why, naming the actor and the response.
    pub reason: String,
}

/// What happened in the turn being played, until it is recorded.
#[derive(Resource, Clone, Debug, Default)]
pub struct TurnLog {
    /// Whether the turn's injects have fired.
    pub begun: bool,
    /// Injects fired at the start of the turn (ids).
    pub fired: Vec<String>,
    /// Accepted decisions, in resolution order.
    pub decisions: Vec<DecisionRecord>,
    /// Refused decision sets.
    pub rejected: Vec<Rejection>,
}

/// The record of one turn.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TurnSummary {
    /// The turn.
    pub turn: u32,
    /// Injects fired at its start (ids).
    pub fired: Vec<String>,
    /// Accepted decisions, in resolution order.
    pub decisions: Vec<DecisionRecord>,
    /// Service of every asset at its end, by asset id (the ids are shared
    /// with the rules).
    pub service: BTreeMap<Arc<str>, f64>,
    /// Civilian impact at its end.
    pub impact: f64,
    /// Tension at its end.
    pub tension: u32,
    /// Refused decision sets.
    pub rejected: Vec<Rejection>,
    /// A digest of the whole state at its end (hex SHA-256).
    pub digest: String,
}

/// Every recorded turn.
#[derive(Resource, Clone, Debug, Default)]
pub struct Timeline(pub Vec<TurnSummary>);
