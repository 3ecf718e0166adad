//! The rules of a turn over the world: conditions, effects, decision checks
//! and assessments (DESIGN.md, "Simulation semantics").

use super::state::{
    Announcement, Attribution, Choice, Flags, IncidentInfo, LedgerEntry, Record, Request, Source,
    Tension,
};
use crate::norms::NormSet;
use crate::scenario::{ActorKind, Condition, Effect, Scenario, ShareWith, TargetKind};
use crate::sim::Physics;
use crate::sim::resources::SimRng;
use bevy_ecs::prelude::{Entity, Resource, World};
use rand::RngExt;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The rules as a resource, shared by the systems without copying.
#[derive(Resource, Clone, Debug)]
pub struct SharedRules(pub Arc<Rules>);

/// The scenario and its ids resolved to indices, once.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Actor id → index.
    pub actors: BTreeMap<String, u32>,
    /// Asset id → index.
    pub assets: BTreeMap<String, u32>,
    /// Inject id → index.
    pub injects: BTreeMap<String, u32>,
    /// Response id → index.
    pub responses: BTreeMap<String, u32>,
    /// The norm catalogues (shared).
    norms: NormSet,
    /// Operator (actor index) of each asset.
    pub operator: Vec<u32>,
    /// Jurisdiction (a State's actor index) of each actor, if any.
    pub jurisdiction: Vec<Option<u32>>,
    /// Whether response `r` is open to actor `a` by kind and by its
    /// `actors` list: `open[a * responses + r]`.
    open: Vec<bool>,
    /// Whether a response with `Assist` is open to each actor (it can
    /// answer a request for assistance).
    pub can_assist: Vec<bool>,
    /// What each response does, by response index.
    pub traits: Vec<Traits>,
    /// Each actor's id, shared by the ledger's lines.
    actor_ids: Vec<Arc<str>>,
    /// Each asset's id, shared by the turns' records.
    pub asset_ids: Vec<Arc<str>>,
    /// Each response's id, shared by the ledger's lines.
    response_ids: Vec<Arc<str>>,
    /// Each response's assessments, by response index, as the ledger writes them.
    assessments: Vec<Vec<Scored>>,
    /// Each obligation, by index, as the ledger writes it.
    obligations: Vec<Scored>,
    /// The weight of each assessment of each response for each actor (2
    /// where the actor committed to the norm's framework, else 1):
    /// `weights[a][r][k]` for `responses[r].norms[k]`.
    weights: Vec<Vec<Vec<i32>>>,
}

/// An assessment as the ledger writes it: its norm, the norm's framework,
/// its score and its note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    /// The norm.
    pub norm: Arc<str>,
    /// The norm's framework ("" for a norm of no catalogue).
    pub framework: Arc<str>,
    /// -3..=3.
    pub score: i32,
    /// Why.
    pub note: Arc<str>,
}

impl Scored {
    /// An assessment of `norm`, a norm of the catalogues `norms`.
    pub fn new(norms: &NormSet, norm: &str, score: i32, note: &str) -> Scored {
        Scored {
            norm: norm.into(),
            framework: norms.norm(norm).map_or("", |(c, _)| c.id.as_str()).into(),
            score,
            note: note.into(),
        }
    }
}

/// What a response does, as options, bots and checks ask it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traits {
    /// It has `Attribute` (the actor needs a suspect).
    pub attributes: bool,
    /// It has `RequestAssistance`.
    pub asks: bool,
    /// It has `Isolate`.
    pub isolates: bool,
    /// The tension it adds (its `Escalate` amounts).
    pub escalation: i32,
}

impl Traits {
    fn of(effects: &[Effect]) -> Traits {
        let mut t = Traits::default();
        for e in effects {
            match e {
                Effect::Attribute => t.attributes = true,
                Effect::RequestAssistance => t.asks = true,
                Effect::Isolate(_) => t.isolates = true,
                Effect::Escalate(n) => t.escalation += n,
                _ => {}
            }
        }
        t
    }
}

impl Rules {
    /// Resolves the ids of a validated scenario.
    pub fn new(scenario: Arc<Scenario>, norms: NormSet) -> Rules {
        let index = |ids: Vec<&str>| -> BTreeMap<String, u32> {
            let mut map = BTreeMap::new();
            for (i, id) in ids.into_iter().enumerate() {
                map.entry(id.to_owned()).or_insert(i as u32);
            }
            map
        };
        let actors = index(scenario.actors.iter().map(|a| a.id.as_str()).collect());
        let assets = index(scenario.assets.iter().map(|a| a.id.as_str()).collect());
        let injects = index(scenario.injects.iter().map(|i| i.id.as_str()).collect());
        let responses = index(scenario.responses.iter().map(|r| r.id.as_str()).collect());
        let operator = scenario
            .assets
            .iter()
            .map(|a| actors.get(a.operator.as_str()).copied().unwrap_or(0))
            .collect();
        let jurisdiction = scenario
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| match a.kind {
                ActorKind::State => Some(i as u32),
                _ => a
                    .jurisdiction
                    .as_ref()
                    .and_then(|j| actors.get(j.as_str()).copied()),
            })
            .collect();
        let open: Vec<bool> = scenario
            .actors
            .iter()
            .flat_map(|actor| {
                scenario.responses.iter().map(|resp| {
                    resp.for_kinds.contains(&actor.kind)
                        && (resp.actors.is_empty() || resp.actors.contains(&actor.id))
                })
            })
            .collect();
        let can_assist = (0..scenario.actors.len())
            .map(|a| {
                scenario.responses.iter().enumerate().any(|(r, resp)| {
                    resp.effects
                        .iter()
                        .any(|e| matches!(e, crate::scenario::Effect::Assist(_)))
                        && open
                            .get(a * scenario.responses.len() + r)
                            .copied()
                            .unwrap_or(false)
                })
            })
            .collect();
        let assessments: Vec<Vec<Scored>> = (scenario.responses.iter())
            .map(|r| {
                r.norms
                    .iter()
                    .map(|a| Scored::new(&norms, a.norm.as_str(), a.score, &a.note))
                    .collect()
            })
            .collect();
        let obligations = (scenario.obligations.iter())
            .map(|o| Scored::new(&norms, o.norm.as_str(), o.score, &o.note))
            .collect();
        let weights = scenario
            .actors
            .iter()
            .map(|actor| {
                assessments
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|x| if actor.commits_to(&x.framework) { 2 } else { 1 })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let traits = scenario
            .responses
            .iter()
            .map(|r| Traits::of(&r.effects))
            .collect();
        let actor_ids = scenario
            .actors
            .iter()
            .map(|a| a.id.as_str().into())
            .collect();
        let asset_ids = scenario
            .assets
            .iter()
            .map(|a| a.id.as_str().into())
            .collect();
        let response_ids = (scenario.responses.iter())
            .map(|r| r.id.as_str().into())
            .collect();
        Rules {
            scenario,
            actors,
            assets,
            injects,
            responses,
            norms,
            operator,
            jurisdiction,
            open,
            can_assist,
            traits,
            weights,
            actor_ids,
            asset_ids,
            response_ids,
            assessments,
            obligations,
        }
    }

    /// An assessment of `norm` (a facilitator's, for instance), as the
    /// ledger writes it.
    pub fn scored(&self, norm: &str, score: i32, note: &str) -> Scored {
        Scored::new(&self.norms, norm, score, note)
    }

    /// The `k`th assessment of response `r`, as the ledger writes it.
    pub fn assessment(&self, r: usize, k: usize) -> Option<&Scored> {
        self.assessments.get(r)?.get(k)
    }

    /// Obligation `o`, as the ledger writes it.
    pub fn obligation(&self, o: usize) -> Option<&Scored> {
        self.obligations.get(o)
    }

    /// The framework of a norm of the catalogues.
    pub fn framework_of(&self, norm: &str) -> Option<&str> {
        self.norms.norm(norm).map(|(c, _)| c.id.as_str())
    }

    /// Whether the facilitator may assess `norm`: a norm of a framework in
    /// force, or one the scenario names.
    pub fn assessable(&self, norm: &str) -> bool {
        let s = &self.scenario;
        self.framework_of(norm).is_some_and(|f| {
            s.frameworks.iter().any(|x| x.as_str() == f)
                || s.responses
                    .iter()
                    .flat_map(|r| r.norms.iter().map(|a| &a.norm))
                    .chain(s.obligations.iter().map(|o| &o.norm))
                    .any(|n| n.as_str() == norm)
        })
    }

    /// The weight for actor `a` of the `k`th assessment of response `r`.
    pub fn weight(&self, a: u32, r: usize, k: usize) -> i32 {
        self.weights
            .get(a as usize)
            .and_then(|w| w.get(r))
            .and_then(|w| w.get(k))
            .copied()
            .unwrap_or(1)
    }

    /// The id of actor `i`.
    pub fn actor_id(&self, i: u32) -> &str {
        self.scenario
            .actors
            .get(i as usize)
            .map_or("", |a| a.id.as_str())
    }

    /// The operators of `targets` and the Certs of their jurisdictions
    /// (actor indices, ascending).
    pub fn derived_audience(&self, targets: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        for &t in targets {
            let Some(&op) = self.operator.get(t as usize) else {
                continue;
            };
            out.push(op);
            if let Some(j) = self.jurisdiction.get(op as usize).copied().flatten() {
                for (c, actor) in self.scenario.actors.iter().enumerate() {
                    if actor.kind == ActorKind::Cert
                        && self.jurisdiction.get(c).copied().flatten() == Some(j)
                    {
                        out.push(c as u32);
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether actor `a` committed to the framework of `norm`.
    pub fn committed(&self, a: u32, framework: &str) -> bool {
        self.scenario
            .actors
            .get(a as usize)
            .is_some_and(|actor| actor.commits_to(framework))
    }
}

/// What a decision acts on, resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// An asset (index).
    Asset(u32),
    /// An incident (entity).
    Incident(Entity),
    /// An actor (index).
    Actor(u32),
    /// An open request (entity).
    Request(Entity),
}

/// Who acts and on what, for conditions and effects.
#[derive(Clone, Copy, Debug, Default)]
pub struct Acting {
    /// The acting actor (index), if any.
    pub actor: Option<u32>,
    /// The target, if any.
    pub target: Option<Target>,
}

impl Acting {
    /// Actor `actor` acting on `target`.
    pub fn by(actor: u32, target: Option<Target>) -> Acting {
        Acting {
            actor: Some(actor),
            target,
        }
    }
}

/// The incident named `name` (`inject` or `inject#n`), if it has fired.
pub fn incident_named(world: &World, rules: &Rules, name: &str) -> Option<Entity> {
    let (inject, n) = match name.rsplit_once('#') {
        Some((inject, n)) => (inject, n.parse::<usize>().ok()?),
        None => (name, 1),
    };
    let i = *rules.injects.get(inject)?;
    world
        .resource::<Record>()
        .incidents
        .get(i as usize)
        .and_then(|list| list.get(n.checked_sub(1)?))
        .copied()
}

/// Actor `a`'s current suspect for an incident visible to it
/// ([`IncidentInfo::suspect`]).
pub fn suspect(world: &World, incident: Entity, a: u32) -> Option<u32> {
    let c = world.confidence(incident, a as usize)?;
    world.get::<IncidentInfo>(incident)?.suspect(c)
}

/// Every request (open or answered), in creation order.
pub fn requests(world: &World) -> impl Iterator<Item = (Entity, Request)> + '_ {
    world
        .get_resource::<Record>()
        .into_iter()
        .flat_map(|record| record.requests.iter())
        .filter_map(|&e| Some((e, *world.get::<Request>(e)?)))
}

/// Open (unanswered) requests, in creation order.
pub fn open_requests(world: &World) -> Vec<(Entity, Request)> {
    requests(world)
        .filter(|(_, r)| r.answered.is_none())
        .collect()
}

/// Evaluates a condition. `chance` decides each `Chance(p)` that is
/// evaluated (left to right, short-circuit).
pub fn holds(
    world: &World,
    rules: &Rules,
    c: &Condition,
    acting: Acting,
    chance: &mut dyn FnMut(f64) -> bool,
) -> bool {
    let turn = || world.turn();
    let incident = match acting.target {
        Some(Target::Incident(e)) => Some(e),
        _ => None,
    };
    let confidence = || {
        incident
            .zip(acting.actor)
            .and_then(|(e, a)| world.confidence(e, a as usize))
            .unwrap_or(0.0)
    };
    match c {
        Condition::Turn(n) => turn() == *n,
        Condition::TurnAtLeast(n) => turn() >= *n,
        Condition::TurnBetween(a, b) => (*a..=*b).contains(&turn()),
        Condition::Chance(p) => chance(*p),
        Condition::Flag(f) => world.resource::<Flags>().0.contains(f),
        Condition::IncidentActive(name) => {
            incident_named(world, rules, name.as_str()).is_some_and(|e| world.is_active(e))
        }
        Condition::IncidentContained(name) => {
            incident_named(world, rules, name.as_str()).is_some_and(|e| !world.is_active(e))
        }
        Condition::ServiceBelow(asset, f) => rules
            .assets
            .get(asset.as_str())
            .is_some_and(|&i| world.service(i as usize) < *f),
        Condition::ServiceAtLeast(asset, f) => rules
            .assets
            .get(asset.as_str())
            .is_some_and(|&i| world.service(i as usize) >= *f),
        Condition::TensionAtLeast(n) => world.resource::<Tension>().0 >= *n,
        Condition::Responded(actor, response) => {
            let turn = turn();
            match (
                rules.actors.get(actor.as_str()),
                rules.responses.get(response.as_str()),
            ) {
                (Some(&a), Some(&r)) => world
                    .resource::<Record>()
                    .history
                    .iter()
                    .any(|&(t, ha, hr, _)| t < turn && ha == a && hr == r),
                _ => false,
            }
        }
        Condition::Committed(f) => acting.actor.is_some_and(|a| rules.committed(a, f.as_str())),
        Condition::ConfidenceBelow(f) => confidence() < *f,
        Condition::ConfidenceAtLeast(f) => confidence() >= *f,
        Condition::Misattributed => match (incident, acting.actor) {
            (Some(e), Some(a)) => match suspect(world, e, a) {
                Some(s) => world
                    .get::<IncidentInfo>(e)
                    .is_some_and(|info| info.perpetrator != Some(s)),
                None => false,
            },
            _ => false,
        },
        Condition::RequestPendingFor(n) => acting.actor.is_some_and(|a| {
            let turn = turn();
            requests(world)
                .any(|(_, r)| r.to == a && r.answered.is_none() && turn - r.made.min(turn) >= *n)
        }),
        Condition::All(list) => list.iter().all(|c| holds(world, rules, c, acting, chance)),
        Condition::Any(list) => list.iter().any(|c| holds(world, rules, c, acting, chance)),
        Condition::Not(inner) => !holds(world, rules, inner, acting, chance),
    }
}

/// Evaluates a condition, drawing from the world's RNG for each `Chance`.
pub fn holds_drawing(world: &mut World, rules: &Rules, c: &Condition, acting: Acting) -> bool {
    if !c.draws() {
        return holds(world, rules, c, acting, &mut |_| false);
    }
    // The conditions read the world while the draws advance its RNG: the
    // generator is copied out and its state written back after (cheaper
    // than taking the resource out of the world and putting it back).
    let Some(mut rng) = world.get_resource::<SimRng>().map(|r| r.0.clone()) else {
        return false;
    };
    let held = holds(world, rules, c, acting, &mut |p| rng.random::<f64>() < p);
    world.resource_mut::<SimRng>().0 = rng;
    held
}

/// Applies one effect of an inject (`actor` None) or a decision.
pub fn apply(world: &mut World, rules: &Rules, e: &Effect, acting: Acting) {
    let asset = match acting.target {
        Some(Target::Asset(i)) => Some(i as usize),
        _ => None,
    };
    let incident = match acting.target {
        Some(Target::Incident(e)) => Some(e),
        _ => None,
    };
    match e {
        Effect::Restore(f) => asset.into_iter().for_each(|i| world.restore(i, *f)),
        Effect::Damage(f) => asset.into_iter().for_each(|i| world.damage(i, *f)),
        Effect::Harden(f) => asset.into_iter().for_each(|i| world.harden(i, *f)),
        Effect::Isolate(n) => asset.into_iter().for_each(|i| world.isolate(i, *n)),
        Effect::Contain => match acting.target {
            Some(Target::Incident(e)) => world.contain_incident(e),
            Some(Target::Asset(i)) => world.contain_asset(i as usize),
            _ => {}
        },
        Effect::Investigate(f) => {
            if let (Some(e), Some(a)) = (incident, acting.actor) {
                let c = world.confidence(e, a as usize).unwrap_or(0.0);
                world.set_confidence(e, a as usize, (c + f).min(1.0));
            }
        }
        Effect::Attribute => {
            if let (Some(e), Some(a)) = (incident, acting.actor) {
                let turn = world.turn();
                let named = suspect(world, e, a);
                let confidence = world.confidence(e, a as usize).unwrap_or(0.0);
                let Some(info) = world.get::<IncidentInfo>(e).cloned() else {
                    return;
                };
                let actor_name = actor_name(rules, a);
                let named_name = named.map_or("nobody".to_owned(), |n| actor_name_of(rules, n));
                world
                    .resource_mut::<Record>()
                    .announcements
                    .push(Announcement {
                        turn,
                        by: Some(rules.actor_id(a).to_owned()),
                        text: format!(
                            "{actor_name} publicly attributes {} to {named_name}.",
                            incident_title(rules, &info)
                        ),
                    });
                world
                    .resource_mut::<Record>()
                    .attributions
                    .push(Attribution {
                        turn,
                        actor: rules.actor_id(a).to_owned(),
                        incident: info.name.clone(),
                        named: named.map(|n| rules.actor_id(n).to_owned()),
                        confidence,
                        correct: named.is_some() && named == info.perpetrator,
                    });
            }
        }
        Effect::Share(with) => {
            if let (Some(e), Some(a)) = (incident, acting.actor) {
                let c = world.confidence(e, a as usize).unwrap_or(0.0);
                let recipients: Vec<u32> = match with {
                    ShareWith::Actors(ids) => ids
                        .iter()
                        .filter_map(|id| rules.actors.get(id.as_str()).copied())
                        .collect(),
                    ShareWith::Kind(kind) => rules
                        .scenario
                        .actors
                        .iter()
                        .enumerate()
                        .filter(|(_, x)| x.kind == *kind)
                        .map(|(i, _)| i as u32)
                        .collect(),
                    ShareWith::All => (0..rules.scenario.actors.len() as u32).collect(),
                };
                for r in recipients {
                    if r != a {
                        let theirs = world.confidence(e, r as usize).unwrap_or(0.0);
                        world.set_confidence(e, r as usize, theirs.max(c));
                    }
                }
            }
        }
        Effect::RequestAssistance => {
            if let (Some(Target::Actor(to)), Some(from)) = (acting.target, acting.actor) {
                let open = open_requests(world);
                if !open.iter().any(|(_, r)| r.from == from && r.to == to) {
                    let turn = world.turn();
                    let order = world.resource::<Record>().requests.len() as u32;
                    let e = world
                        .spawn(Request {
                            from,
                            to,
                            made: turn,
                            answered: None,
                            order,
                        })
                        .id();
                    world.resource_mut::<Record>().requests.push(e);
                }
            }
        }
        Effect::Assist(f) => {
            let turn = world.turn();
            if let Some(Target::Request(req)) = acting.target
                && let Some(mut r) = world.get_mut::<Request>(req)
                && r.answered.is_none()
            {
                r.answered = Some(turn);
                let requester = r.from;
                for i in requester_assets(rules, requester) {
                    if world.integrity(i) < 1.0 {
                        world.restore(i, *f);
                    }
                }
            }
        }
        Effect::Escalate(n) => world.resource_mut::<Tension>().add(*n),
        Effect::SetFlag(f) => {
            world.resource_mut::<Flags>().0.insert(f.clone());
        }
        Effect::ClearFlag(f) => {
            world.resource_mut::<Flags>().0.remove(f);
        }
        Effect::Announce(text) => {
            let turn = world.turn();
            world
                .resource_mut::<Record>()
                .announcements
                .push(Announcement {
                    turn,
                    by: acting.actor.map(|a| rules.actor_id(a).to_owned()),
                    text: text.clone(),
                });
        }
    }
}

/// The assets that assistance to `requester` restores: those it operates,
/// and for a State those operated by actors of its jurisdiction.
fn requester_assets(rules: &Rules, requester: u32) -> Vec<usize> {
    let is_state = rules
        .scenario
        .actors
        .get(requester as usize)
        .is_some_and(|a| a.kind == ActorKind::State);
    rules
        .operator
        .iter()
        .enumerate()
        .filter(|&(_, &op)| {
            op == requester
                || (is_state
                    && rules.jurisdiction.get(op as usize).copied().flatten() == Some(requester))
        })
        .map(|(i, _)| i)
        .collect()
}

fn actor_name(rules: &Rules, a: u32) -> String {
    actor_name_of(rules, a)
}

fn actor_name_of(rules: &Rules, a: u32) -> String {
    rules
        .scenario
        .actors
        .get(a as usize)
        .map_or_else(String::new, |x| x.name.clone())
}

fn incident_title(rules: &Rules, info: &IncidentInfo) -> String {
    let inject = info.name.split('#').next().unwrap_or("");
    rules
        .injects
        .get(inject)
        .and_then(|&i| rules.scenario.injects.get(i as usize))
        .map_or_else(
            || info.name.clone(),
            |i| format!("'{}' ({})", i.title, info.name),
        )
}

/// The assessments of a decision that hold now, added to `ledger` (the
/// turn's new lines, appended to the ledger once the turn resolves).
pub fn assess(
    world: &mut World,
    rules: &Rules,
    (actor, response): (u32, u32),
    choice: &Choice,
    acting: Acting,
    ledger: &mut Vec<LedgerEntry>,
) {
    let Some(r) = rules.scenario.responses.get(response as usize) else {
        return;
    };
    let id = rules.response_ids.get(response as usize);
    let turn = world.turn();
    for (k, a) in r.norms.iter().enumerate() {
        if let Some(when) = &a.when
            && !holds_drawing(world, rules, when, acting)
        {
            continue;
        }
        let Some(scored) = rules.assessment(response as usize, k) else {
            continue;
        };
        ledger.push(ledger_entry(
            rules,
            turn,
            actor,
            scored,
            Source::Decision,
            id.cloned(),
            choice.target.clone(),
        ));
    }
}

/// A ledger line for an assessment of `actor`.
pub fn ledger_entry(
    rules: &Rules,
    turn: u32,
    actor: u32,
    a: &Scored,
    source: Source,
    response: Option<Arc<str>>,
    target: Option<String>,
) -> LedgerEntry {
    let committed = rules.committed(actor, &a.framework);
    LedgerEntry {
        turn,
        actor: rules
            .actor_ids
            .get(actor as usize)
            .cloned()
            .unwrap_or_else(|| "".into()),
        norm: a.norm.clone(),
        framework: a.framework.clone(),
        score: a.score,
        weighted: if committed { 2 * a.score } else { a.score },
        committed,
        source,
        response,
        target,
        note: a.note.clone(),
        replaces: None,
        overridden: false,
    }
}

/// Whether response `r` is open to actor `a` by kind and by its `actors` list.
pub fn allowed(rules: &Rules, a: u32, r: u32) -> bool {
    let responses = rules.scenario.responses.len();
    (r as usize) < responses
        && rules
            .open
            .get(a as usize * responses + r as usize)
            .copied()
            .unwrap_or(false)
}

/// Resolves a decision's target, or says why it is not valid for actor `a`.
pub fn resolve_target(
    world: &mut World,
    rules: &Rules,
    a: u32,
    kind: TargetKind,
    target: Option<&str>,
) -> Result<Option<Target>, String> {
    let needs = |what: &str| Err(format!("it needs a target: {what}"));
    match (kind, target) {
        (TargetKind::NoTarget, None) => Ok(None),
        (TargetKind::NoTarget, Some(t)) => Err(format!("it takes no target, but `{t}` was given")),
        (TargetKind::OwnAsset, None) => needs("an asset the actor operates"),
        (TargetKind::AnyAsset, None) => needs("an asset"),
        (TargetKind::Incident, None) => needs("an incident"),
        (TargetKind::Actor, None) => needs("an actor"),
        (TargetKind::Request, None) => needs("the actor whose request it answers"),
        (TargetKind::OwnAsset | TargetKind::AnyAsset, Some(t)) => {
            let Some(&i) = rules.assets.get(t) else {
                return Err(format!("`{t}` is not an asset of this scenario"));
            };
            if kind == TargetKind::OwnAsset && rules.operator.get(i as usize) != Some(&a) {
                return Err(format!("`{t}` is not an asset the actor operates"));
            }
            Ok(Some(Target::Asset(i)))
        }
        (TargetKind::Incident, Some(t)) => match incident_named(world, rules, t) {
            Some(e) if world.confidence(e, a as usize).is_some() => Ok(Some(Target::Incident(e))),
            _ => Err(format!("no incident `{t}` is visible to the actor")),
        },
        (TargetKind::Actor, Some(t)) => match rules.actors.get(t) {
            None => Err(format!("`{t}` is not an actor of this scenario")),
            Some(&b) if b == a => Err("an actor cannot target itself".to_owned()),
            Some(&b) => Ok(Some(Target::Actor(b))),
        },
        (TargetKind::Request, Some(t)) => {
            let Some(&from) = rules.actors.get(t) else {
                return Err(format!("`{t}` is not an actor of this scenario"));
            };
            // Decisions are checked before any resolves, so every open
            // request was made in an earlier turn and can be answered.
            open_requests(world)
                .iter()
                .find(|(_, r)| r.from == from && r.to == a)
                .map(|(e, _)| Some(Target::Request(*e)))
                .ok_or_else(|| format!("there is no open request from `{t}` to the actor"))
        }
    }
}
