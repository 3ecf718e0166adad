//! The engine: a whole exercise turn by turn, shared by every front end
//! (terminal play, headless runs, the web server).
//!
//! A turn is `begin_turn` (injects fire), `submit` per actor, then
//! `advance` (decisions are checked and resolved, the ticks run,
//! obligations are scored and the turn is recorded). Each step is a bevy
//! schedule of exclusive systems, one per file under `systems/`.

pub mod digest;
mod facilitator;
mod options;
pub mod rules;
pub mod state;
pub mod systems;

use crate::norms::NormSet;
use crate::scenario::{ActorKind, IncidentKind, Policy, Scenario, Sector, TargetKind};
use crate::sim::components::{Incident, Infections};
use crate::sim::{Physics, ScheduleError, Sim, Status};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};
use bevy_ecs::schedule::{ScheduleLabel, SingleThreadedExecutor};
pub use facilitator::{Adjudication, FacilitatorError};
use options::Situation;
use rules::{Rules, Target, incident_named, suspect};
use serde::Serialize;
pub use state::{
    Announcement, Attribution, Choice, DecisionRecord, FiredInject, LedgerEntry, Rejection, Source,
    TurnSummary,
};
use state::{Flags, IncidentInfo, Pending, Record, Request, Tension, Timeline, TurnLog};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Labels of the turn's schedules.
#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TurnStep {
    /// Step 1: injects.
    Begin,
    /// Steps 2–3: decisions.
    Resolve,
    /// Step 5: obligations and the record.
    End,
}

fn schedule(label: TurnStep, world: &mut World) -> Result<Schedule, ScheduleError> {
    let mut s = Schedule::new(label.clone());
    s.set_executor(SingleThreadedExecutor::new())
        .set_build_settings(crate::sim::schedule::build_settings());
    match label {
        TurnStep::Begin => s.add_systems(systems::fire_injects::fire_injects),
        TurnStep::Resolve => s.add_systems(systems::resolve_decisions::resolve_decisions),
        TurnStep::End => s.add_systems(
            (
                systems::apply_obligations::apply_obligations,
                systems::record_turn::record_turn,
            )
                .chain(),
        ),
    };
    s.initialize(world)
        .map_err(|e| ScheduleError(format!("{e:?}")))?;
    Ok(s)
}

/// Why a submission was refused before the turn resolves.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubmitError {
    /// No actor has that id.
    #[error("`{0}` is not an actor of this scenario")]
    UnknownActor(String),
    /// The exercise is over.
    #[error("the exercise is over: all {0} turns have been played")]
    Finished(u32),
}

/// A running exercise.
pub struct Engine {
    sim: Sim,
    rules: Arc<Rules>,
    begin: Schedule,
    resolve: Schedule,
    end: Schedule,
}

impl Engine {
    /// An exercise of a validated scenario, before its first turn. The
    /// scenario is shared, not copied: exercises of the same scenario
    /// (a sweep, a resumed session) may pass the same `Arc`.
    pub fn new(
        scenario: impl Into<Arc<Scenario>>,
        norms: &NormSet,
        seed: u64,
    ) -> Result<Engine, ScheduleError> {
        let scenario: Arc<Scenario> = scenario.into();
        let mut sim = Sim::new(&scenario, seed)?;
        let rules = Arc::new(Rules::new(scenario, norms.clone()));
        sim.insert_resource(rules::SharedRules(rules.clone()));
        sim.insert_resource(Tension::default());
        sim.insert_resource(Flags::default());
        sim.insert_resource(Record {
            incidents: vec![Vec::new(); rules.scenario.injects.len()],
            ..Record::default()
        });
        sim.insert_resource(Pending::default());
        sim.insert_resource(TurnLog::default());
        sim.insert_resource(Timeline::default());
        let seats: Vec<_> = rules
            .scenario
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                sim.spawn(state::ActorSeat {
                    index: i as u32,
                    capacity: a.capacity,
                    policy: a.policy,
                })
                .id()
            })
            .collect();
        sim.insert_resource(state::ActorEntities(seats));
        let begin = schedule(TurnStep::Begin, &mut sim)?;
        let resolve = schedule(TurnStep::Resolve, &mut sim)?;
        let end = schedule(TurnStep::End, &mut sim)?;
        Ok(Engine {
            sim,
            rules,
            begin,
            resolve,
            end,
        })
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.rules.scenario
    }

    /// The turn being played (after the last one: `turns + 1`).
    pub fn turn(&self) -> u32 {
        self.sim.turn()
    }

    /// True once every turn has been played.
    pub fn is_finished(&self) -> bool {
        self.turn() > self.rules.scenario.turns
    }

    /// Step 1 of the turn: fires its injects (once); returns the ids of the
    /// injects fired this turn.
    pub fn begin_turn(&mut self) -> &[String] {
        if !self.is_finished() && !self.sim.resource::<TurnLog>().begun {
            self.begin.run(&mut self.sim);
        }
        &self.sim.resource::<TurnLog>().fired
    }

    /// Sets an actor's decisions for the current turn (replacing any earlier
    /// submission). They are checked when the turn resolves.
    pub fn submit(&mut self, actor: &str, choices: Vec<Choice>) -> Result<(), SubmitError> {
        if self.is_finished() {
            return Err(SubmitError::Finished(self.rules.scenario.turns));
        }
        let Some(&a) = self.rules.actors.get(actor) else {
            return Err(SubmitError::UnknownActor(actor.to_owned()));
        };
        self.sim.resource_mut::<Pending>().0.insert(a, choices);
        Ok(())
    }

    /// The decisions submitted so far this turn, by actor id.
    pub fn pending(&self) -> BTreeMap<String, Vec<Choice>> {
        self.sim
            .resource::<Pending>()
            .0
            .iter()
            .map(|(&a, c)| (self.rules.actor_id(a).to_owned(), c.clone()))
            .collect()
    }

    /// Plays the rest of the turn: injects (if not yet), decisions, ticks,
    /// obligations, record. `None` once the exercise is over.
    pub fn advance(&mut self) -> Option<&TurnSummary> {
        if self.is_finished() {
            return None;
        }
        self.begin_turn();
        self.run_bots();
        self.resolve.run(&mut self.sim);
        for _ in 0..self.rules.scenario.ticks_per_turn {
            self.sim.tick();
        }
        self.end.run(&mut self.sim);
        self.sim.resource::<Timeline>().0.last()
    }

    /// Every recorded turn.
    pub fn timeline(&self) -> &[TurnSummary] {
        &self.sim.resource::<Timeline>().0
    }

    /// Every assessment so far.
    pub fn ledger(&self) -> &[LedgerEntry] {
        &self.sim.resource::<Record>().ledger
    }

    /// Every public attribution so far.
    pub fn attributions(&self) -> &[Attribution] {
        &self.sim.resource::<Record>().attributions
    }

    /// Every inject fired so far, in firing order.
    pub fn inject_log(&self) -> &[FiredInject] {
        &self.sim.resource::<Record>().injects
    }

    /// Every public statement so far.
    pub fn announcements(&self) -> &[Announcement] {
        &self.sim.resource::<Record>().announcements
    }

    /// Tension, 0..=100.
    pub fn tension(&self) -> u32 {
        self.sim.resource::<Tension>().0
    }

    /// The digest of the whole state now (hex SHA-256).
    pub fn digest(&self) -> String {
        digest::digest(&self.sim)
    }

    /// The simulation's world, for reading the physics (service, integrity…).
    pub fn world(&self) -> &World {
        &self.sim
    }

    /// The world, for tests and tools that set up a situation directly.
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.sim
    }

    /// An actor's confidence about an incident, if it is visible to it.
    pub fn confidence(&self, actor: &str, incident: &str) -> Option<f64> {
        let a = *self.rules.actors.get(actor)?;
        let e = incident_named(&self.sim, &self.rules, incident)?;
        self.sim.confidence(e, a as usize)
    }

    /// An actor's current suspect (actor id) for an incident.
    pub fn suspect(&self, actor: &str, incident: &str) -> Option<String> {
        let a = *self.rules.actors.get(actor)?;
        let e = incident_named(&self.sim, &self.rules, incident)?;
        suspect(&self.sim, e, a).map(|s| self.rules.actor_id(s).to_owned())
    }

    /// Exactly what an actor knows now, and what it may do.
    pub fn briefing(&self, actor: &str) -> Option<Briefing> {
        let a = *self.rules.actors.get(actor)?;
        let world: &World = &self.sim;
        let rules = &self.rules;
        let s = &rules.scenario;
        let me = s.actors.get(a as usize)?;
        let injects = world
            .resource::<Record>()
            .injects
            .iter()
            .filter(|f| f.audience.contains(&a))
            .filter_map(|f| {
                let i = s.injects.get(f.inject)?;
                Some(InjectView {
                    turn: f.turn,
                    id: i.id.0.clone(),
                    title: i.title.clone(),
                    text: i.text.clone(),
                })
            })
            .collect();
        let mut incidents = Vec::new();
        for (name, e) in self.incidents_in_order() {
            let Some(confidence) = world.confidence(e, a as usize) else {
                continue;
            };
            let inject = world.get::<Incident>(e).map_or(0, |i| i.inject as usize);
            let Some(inj) = s.injects.get(inject) else {
                continue;
            };
            incidents.push(IncidentView {
                name,
                title: inj.title.clone(),
                kind: inj
                    .incident
                    .as_ref()
                    .map_or(IncidentKind::Intrusion, |i| i.kind),
                confidence,
                suspect: suspect(world, e, a).map(|x| rules.actor_id(x).to_owned()),
                active: world.is_active(e),
            });
        }
        let assets = s
            .assets
            .iter()
            .enumerate()
            .filter(|(i, _)| rules.operator.get(*i) == Some(&a))
            .map(|(i, asset)| self.asset_view(i, asset))
            .collect();
        let turn = world.turn();
        let requests = self
            .open_requests()
            .into_iter()
            .filter(|r| r.to == a)
            .map(|r| RequestView {
                from: rules.actor_id(r.from).to_owned(),
                to: rules.actor_id(r.to).to_owned(),
                made: r.made,
                age: turn.saturating_sub(r.made),
            })
            .collect();
        let mut responses: Vec<ResponseView> = Vec::new();
        for (r, target) in Situation::read(world, rules).options(a) {
            let Some(resp) = s.responses.get(r) else {
                continue;
            };
            let label = self.label(target);
            match responses.last_mut() {
                Some(last) if last.id == resp.id.as_str() => last.targets.extend(label),
                _ => responses.push(ResponseView {
                    id: resp.id.0.clone(),
                    label: resp.label.clone(),
                    description: resp.description.clone(),
                    cost: resp.cost,
                    target: resp.target,
                    targets: label.into_iter().collect(),
                }),
            }
        }
        let committed: u32 = world
            .resource::<Pending>()
            .0
            .get(&a)
            .map(|choices| {
                choices
                    .iter()
                    .filter_map(|c| rules.responses.get(c.response.as_str()))
                    .filter_map(|&r| s.responses.get(r as usize))
                    .map(|r| r.cost)
                    .sum()
            })
            .unwrap_or(0);
        Some(Briefing {
            turn,
            actor: me.id.0.clone(),
            name: me.name.clone(),
            kind: me.kind,
            injects,
            incidents,
            assets,
            announcements: world.resource::<Record>().announcements.clone(),
            requests,
            responses,
            capacity: me.capacity,
            remaining: me.capacity.saturating_sub(committed),
        })
    }

    /// The whole truth, for the facilitator's eyes.
    pub fn facilitator_view(&self) -> FacilitatorView {
        let world: &World = &self.sim;
        let rules = &self.rules;
        let s = &rules.scenario;
        let incidents = self
            .incidents_in_order()
            .into_iter()
            .filter_map(|(name, e)| {
                let info = world.get::<IncidentInfo>(e)?;
                let infections = world.get::<Infections>(e)?;
                let knowledge = (0..s.actors.len())
                    .filter_map(|a| {
                        let c = world.confidence(e, a)?;
                        Some(KnowledgeView {
                            actor: rules.actor_id(a as u32).to_owned(),
                            confidence: c,
                            suspect: suspect(world, e, a as u32)
                                .map(|x| rules.actor_id(x).to_owned()),
                        })
                    })
                    .collect();
                Some(TruthView {
                    name,
                    perpetrator: info.perpetrator.map(|p| rules.actor_id(p).to_owned()),
                    false_flag: info.false_flag.map(|p| rules.actor_id(p).to_owned()),
                    active: infections.is_active(),
                    infected: infections
                        .0
                        .iter()
                        .filter_map(|(&i, &contained)| {
                            Some((s.assets.get(i as usize)?.id.0.clone(), contained))
                        })
                        .collect(),
                    knowledge,
                })
            })
            .collect();
        let turn = world.turn();
        FacilitatorView {
            turn,
            tension: world.resource::<Tension>().0,
            impact: world.impact(),
            flags: world.resource::<Flags>().0.iter().cloned().collect(),
            assets: s
                .assets
                .iter()
                .enumerate()
                .map(|(i, a)| self.asset_view(i, a))
                .collect(),
            incidents,
            requests: self
                .open_requests()
                .into_iter()
                .map(|r| RequestView {
                    from: rules.actor_id(r.from).to_owned(),
                    to: rules.actor_id(r.to).to_owned(),
                    made: r.made,
                    age: turn.saturating_sub(r.made),
                })
                .collect(),
            pending: self.pending(),
        }
    }

    /// Lets actor `actor` be played by a bot with `policy` (overrides the
    /// scenario's `policy`).
    pub fn set_policy(&mut self, actor: &str, policy: Policy) -> Result<(), SubmitError> {
        let Some(&a) = self.rules.actors.get(actor) else {
            return Err(SubmitError::UnknownActor(actor.to_owned()));
        };
        if let Some(&e) = self
            .sim
            .resource::<state::ActorEntities>()
            .0
            .get(a as usize)
            && let Some(mut seat) = self.sim.get_mut::<state::ActorSeat>(e)
        {
            seat.policy = policy;
        }
        Ok(())
    }

    /// Bots decide for every actor with no submission this turn, in actor
    /// order, after all human decisions are in.
    fn run_bots(&mut self) {
        let rules = self.rules.clone();
        let world: &World = &self.sim;
        let pending = &world.resource::<Pending>().0;
        let seats: Vec<(u32, state::ActorSeat)> = world
            .resource::<state::ActorEntities>()
            .0
            .iter()
            .zip(0..)
            .filter(|(_, a)| !pending.contains_key(a))
            .filter_map(|(&e, a)| Some((a, *world.get::<state::ActorSeat>(e)?)))
            .filter(|(_, seat)| seat.policy != Policy::Passive)
            .collect();
        if seats.is_empty() {
            return;
        }
        // Every bot weighs its options in the same situation (no bot's
        // choice changes the world before the turn resolves).
        let situation = Situation::read(&self.sim, &rules);
        let weighed: Vec<_> = seats
            .into_iter()
            .map(|(a, seat)| (a, seat, situation.bot_candidates(a)))
            .collect();
        drop(situation);
        for (a, seat, (options, candidates)) in weighed {
            let policy = seat.policy;
            let picked =
                crate::policy::choose(policy, &candidates, seat.capacity, &mut || self.sim.draw());
            let rationale = crate::policy::rationale(policy);
            let choices = picked
                .into_iter()
                .filter_map(|k| {
                    let &(r, target) = options.get(k)?;
                    Some(Choice {
                        response: rules.scenario.responses.get(r)?.id.0.clone(),
                        target: self.label(target),
                        rationale: rationale.to_owned(),
                    })
                })
                .collect();
            self.sim.resource_mut::<Pending>().0.insert(a, choices);
        }
    }

    fn asset_view(&self, i: usize, a: &crate::scenario::Asset) -> AssetView {
        let world: &World = &self.sim;
        let service = world.service(i);
        AssetView {
            id: a.id.0.clone(),
            name: a.name.clone(),
            sector: a.sector,
            operator: a.operator.0.clone(),
            integrity: world.integrity(i),
            service,
            status: Status::of(service),
            isolated: world.is_isolated(i),
        }
    }

    /// Incidents that have fired, in firing order, with their names.
    fn incidents_in_order(&self) -> Vec<(String, bevy_ecs::prelude::Entity)> {
        let world: &World = &self.sim;
        let mut list: Vec<(u32, String, bevy_ecs::prelude::Entity)> = world
            .resource::<Record>()
            .incidents
            .iter()
            .flatten()
            .filter_map(|&e| {
                let order = world.get::<Incident>(e)?.order;
                let name = world.get::<IncidentInfo>(e)?.name.clone();
                Some((order, name, e))
            })
            .collect();
        list.sort_by_key(|(o, _, _)| *o);
        list.into_iter().map(|(_, n, e)| (n, e)).collect()
    }

    fn open_requests(&self) -> Vec<Request> {
        rules::open_requests(&self.sim)
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    /// The id a player types for a target.
    fn label(&self, target: Option<Target>) -> Option<String> {
        let rules = &self.rules;
        match target? {
            Target::Asset(i) => rules
                .scenario
                .assets
                .get(i as usize)
                .map(|x| x.id.0.clone()),
            Target::Actor(i) => Some(rules.actor_id(i).to_owned()),
            Target::Incident(e) => self.sim.get::<IncidentInfo>(e).map(|x| x.name.clone()),
            Target::Request(e) => self
                .sim
                .get::<Request>(e)
                .map(|r| rules.actor_id(r.from).to_owned()),
        }
    }
}

/// What an actor knows and may do (its briefing).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Briefing {
    /// The turn.
    pub turn: u32,
    /// The actor's id.
    pub actor: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: ActorKind,
    /// Injects it has seen, oldest first.
    pub injects: Vec<InjectView>,
    /// Incidents visible to it, with its own confidence and suspect.
    pub incidents: Vec<IncidentView>,
    /// The assets it operates.
    pub assets: Vec<AssetView>,
    /// Public statements.
    pub announcements: Vec<Announcement>,
    /// Open requests for assistance addressed to it.
    pub requests: Vec<RequestView>,
    /// What it may do now, with valid targets.
    pub responses: Vec<ResponseView>,
    /// Action points per turn.
    pub capacity: u32,
    /// Action points not yet spent by this turn's submission.
    pub remaining: u32,
}

/// An inject as a participant reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InjectView {
    /// The turn it fired.
    pub turn: u32,
    /// Its id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Narrative.
    pub text: String,
}

/// An incident as one actor knows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncidentView {
    /// Its name (the id to target it with).
    pub name: String,
    /// The inject's title.
    pub title: String,
    /// What kind of incident.
    pub kind: IncidentKind,
    /// The actor's attribution confidence.
    pub confidence: f64,
    /// Whom the actor's evidence points to (not necessarily the truth).
    pub suspect: Option<String>,
    /// Whether it is still uncontained somewhere.
    pub active: bool,
}

/// An asset's state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssetView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its sector.
    pub sector: Sector,
    /// Its operator (actor id).
    pub operator: String,
    /// Integrity.
    pub integrity: f64,
    /// Service.
    pub service: f64,
    /// Operational, Degraded or Down.
    pub status: Status,
    /// Whether it is isolated this turn.
    pub isolated: bool,
}

/// An open request for assistance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestView {
    /// Who asked (actor id).
    pub from: String,
    /// Who was asked (actor id).
    pub to: String,
    /// The turn it was made.
    pub made: u32,
    /// Turns it has stood unanswered.
    pub age: u32,
}

/// A response an actor may choose now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseView {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its description.
    pub description: String,
    /// Action points.
    pub cost: u32,
    /// What it targets.
    pub target: TargetKind,
    /// The valid targets (empty for NoTarget).
    pub targets: Vec<String>,
}

/// The whole truth of the exercise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FacilitatorView {
    /// The turn.
    pub turn: u32,
    /// Tension.
    pub tension: u32,
    /// Civilian impact after the last tick.
    pub impact: f64,
    /// Flags that are set.
    pub flags: Vec<String>,
    /// Every asset.
    pub assets: Vec<AssetView>,
    /// Every incident with its hidden truth.
    pub incidents: Vec<TruthView>,
    /// Open requests.
    pub requests: Vec<RequestView>,
    /// Submissions of the current turn, by actor id.
    pub pending: BTreeMap<String, Vec<Choice>>,
}

/// An incident with its hidden truth.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TruthView {
    /// Its name.
    pub name: String,
    /// The real perpetrator.
    pub perpetrator: Option<String>,
    /// The false flag, if any.
    pub false_flag: Option<String>,
    /// Uncontained somewhere.
    pub active: bool,
    /// Infected assets and whether each infection is contained.
    pub infected: Vec<(String, bool)>,
    /// Who knows of it, with confidence and suspect.
    pub knowledge: Vec<KnowledgeView>,
}

/// One actor's knowledge of an incident.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KnowledgeView {
    /// The actor.
    pub actor: String,
    /// Its confidence.
    pub confidence: f64,
    /// Its suspect.
    pub suspect: Option<String>,
}
