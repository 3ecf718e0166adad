//! What an actor may do now (its options) and, for its bot, what each
//! option is worth. The incidents and open requests are read from the world
//! once per turn ([`Situation`]) and shared by every actor's options.

use super::rules::{Acting, Rules, Target, allowed, holds, open_requests};
use super::state::{IncidentInfo, Record, Request};
use crate::policy::Candidate;
use crate::scenario::{ActorKind, Effect, Response, TargetKind};
use crate::sim::Physics;
use crate::sim::components::{Exposure, Infections, Integrity, Knowledge};
use crate::sim::resources::{AssetEntities, IncidentEntities};
use bevy_ecs::prelude::{Entity, World};
use std::cell::OnceCell;

/// A response (index in the scenario) on a target.
pub(super) type Action = (usize, Option<Target>);

/// A fired incident, as options read it.
struct Seen<'w> {
    entity: Entity,
    active: bool,
    /// Each actor's confidence (`None`: not visible to it).
    knowledge: &'w [Option<f64>],
    info: Option<&'w IncidentInfo>,
}

impl Seen<'_> {
    fn confidence(&self, a: u32) -> Option<f64> {
        self.knowledge.get(a as usize).copied().flatten()
    }

    fn suspect(&self, a: u32) -> Option<u32> {
        self.info?.suspect(self.confidence(a)?)
    }
}

/// The world of the current turn, read once for the options of every actor.
pub(super) struct Situation<'w> {
    world: &'w World,
    rules: &'w Rules,
    turn: u32,
    /// Every fired incident, in firing order.
    incidents: Vec<Seen<'w>>,
    /// Open requests, in creation order.
    requests: Vec<(Entity, Request)>,
    /// Each asset's (uncontained infections > 0, integrity), read when a
    /// bot first weighs an option.
    assets: OnceCell<Vec<(bool, f64)>>,
    /// Each actor's decisions of earlier turns, read when a bot first
    /// weighs an option.
    earlier: OnceCell<Vec<Vec<Action>>>,
}

impl<'w> Situation<'w> {
    /// Reads the incidents and open requests.
    pub(super) fn read(world: &'w World, rules: &'w Rules) -> Situation<'w> {
        let incidents = world
            .resource::<IncidentEntities>()
            .0
            .iter()
            .map(|&entity| Seen {
                entity,
                active: world
                    .get::<Infections>(entity)
                    .is_some_and(Infections::is_active),
                knowledge: world
                    .get::<Knowledge>(entity)
                    .map_or(&[], |k| k.0.as_slice()),
                info: world.get::<IncidentInfo>(entity),
            })
            .collect();
        Situation {
            world,
            rules,
            turn: world.turn(),
            incidents,
            requests: open_requests(world),
            assets: OnceCell::new(),
            earlier: OnceCell::new(),
        }
    }

    fn incident(&self, e: Entity) -> Option<&Seen<'w>> {
        self.incidents.iter().find(|i| i.entity == e)
    }

    fn asset(&self, i: u32) -> (bool, f64) {
        let assets = self.assets.get_or_init(|| {
            let world = self.world;
            world
                .resource::<AssetEntities>()
                .0
                .iter()
                .map(|&e| {
                    let exposure = world.get::<Exposure>(e).map_or(0, |x| x.0);
                    let integrity = world.get::<Integrity>(e).map_or(0.0, |x| x.0);
                    (exposure > 0, integrity)
                })
                .collect()
        });
        assets.get(i as usize).copied().unwrap_or((false, 0.0))
    }

    /// Actor `a`'s decisions of earlier turns: (response, target).
    fn earlier(&self, a: u32) -> &[Action] {
        let earlier = self.earlier.get_or_init(|| {
            let mut by_actor = vec![Vec::new(); self.rules.scenario.actors.len()];
            for &(_, actor, r, target) in &self.world.resource::<Record>().history {
                if let Some(list) = by_actor.get_mut(actor as usize) {
                    list.push((r as usize, target));
                }
            }
            by_actor
        });
        earlier.get(a as usize).map_or(&[], Vec::as_slice)
    }

    /// Calls `f` with each possible target of a response kind for actor
    /// `a`, in target order.
    fn each_target(&self, a: u32, kind: TargetKind, f: &mut impl FnMut(Option<Target>)) {
        let rules = self.rules;
        let s = &rules.scenario;
        match kind {
            TargetKind::NoTarget => f(None),
            TargetKind::OwnAsset | TargetKind::AnyAsset => (0..s.assets.len())
                .filter(|&i| kind == TargetKind::AnyAsset || rules.operator.get(i) == Some(&a))
                .for_each(|i| f(Some(Target::Asset(i as u32)))),
            TargetKind::Incident => self
                .incidents
                .iter()
                .filter(|i| i.confidence(a).is_some())
                .for_each(|i| f(Some(Target::Incident(i.entity)))),
            TargetKind::Actor => (0..s.actors.len() as u32)
                .filter(|&i| i != a)
                .for_each(|i| f(Some(Target::Actor(i)))),
            TargetKind::Request => self
                .requests
                .iter()
                .filter(|(_, r)| r.to == a && r.made < self.turn)
                .for_each(|&(e, _)| f(Some(Target::Request(e)))),
        }
    }

    /// Calls `f` with each response actor `a` may choose now and its valid
    /// targets (in target order), in response order. A `requires` with
    /// `Chance` counts as holding here (nothing is drawn); `Attribute` needs
    /// a suspect. A condition that does not read the target is evaluated
    /// once for the response.
    fn each_option(&self, a: u32, f: &mut impl FnMut(usize, &'w Response, &[Option<Target>])) {
        let (world, rules) = (self.world, self.rules);
        let untargeted = Acting::by(a, None);
        let mut targets = Vec::new();
        for (r, resp) in rules.scenario.responses.iter().enumerate() {
            if !allowed(rules, a, r as u32) {
                continue;
            }
            let requires = resp.requires.as_ref();
            if requires.is_some_and(|c| {
                !c.reads_target() && !holds(world, rules, c, untargeted, &mut |_| true)
            }) {
                continue;
            }
            let per_target = requires.filter(|c| c.reads_target());
            let attribute = rules.traits.get(r).is_some_and(|t| t.attributes);
            targets.clear();
            self.each_target(a, resp.target, &mut |target| {
                let acting = Acting::by(a, target);
                let available =
                    per_target.is_none_or(|c| holds(world, rules, c, acting, &mut |_| true));
                let has_suspect = match (attribute, target) {
                    (true, Some(Target::Incident(e))) => {
                        self.incident(e).and_then(|i| i.suspect(a)).is_some()
                    }
                    _ => true,
                };
                if available && has_suspect {
                    targets.push(target);
                }
            });
            if !targets.is_empty() {
                f(r, resp, &targets);
            }
        }
    }

    /// What actor `a` may do now, in response order then target order.
    pub(super) fn options(&self, a: u32) -> Vec<Action> {
        let mut out = Vec::new();
        self.each_option(a, &mut |r, _, targets| {
            out.extend(targets.iter().map(|&t| (r, t)));
        });
        out
    }

    /// Actor `a`'s options, and what each is worth to its bot.
    pub(super) fn bot_candidates(&self, a: u32) -> (Vec<Action>, Vec<Candidate>) {
        let world = self.world;
        let rules = self.rules;
        let earlier = self.earlier(a);
        // Whom the actor suspects of an incident that is still active.
        let suspects: Vec<u32> = self
            .incidents
            .iter()
            .filter(|i| i.active)
            .filter_map(|i| i.suspect(a))
            .collect();
        let can_assist = |b: u32| rules.can_assist.get(b as usize).copied().unwrap_or(false);
        let untargeted = Acting::by(a, None);
        let mut options = Vec::new();
        let mut candidates = Vec::new();
        // The assessments whose condition reads the target: (weighted score, condition).
        let mut per_target = Vec::new();
        self.each_option(a, &mut |r, resp, targets| {
            // What its assessments score whatever the target.
            per_target.clear();
            let mut fixed = 0;
            for (k, x) in resp.norms.iter().enumerate() {
                let score = rules.weight(a, r, k) * x.score;
                match &x.when {
                    None => fixed += score,
                    Some(c) if c.reads_target() => per_target.push((score, c)),
                    Some(c) => {
                        if holds(world, rules, c, untargeted, &mut |_| true) {
                            fixed += score;
                        }
                    }
                }
            }
            let traits = rules.traits.get(r).copied().unwrap_or_default();
            for &target in targets {
                let acting = Acting::by(a, target);
                let norm_score = fixed
                    + per_target
                        .iter()
                        .filter(|(_, c)| holds(world, rules, c, acting, &mut |_| true))
                        .map(|(score, _)| score)
                        .sum::<i32>();
                // What it would restore now: nothing on an intact asset, no
                // containment where nothing is uncontained.
                let (uncontained, integrity) = match target {
                    Some(Target::Asset(i)) => self.asset(i),
                    Some(Target::Incident(e)) => (self.incident(e).is_some_and(|i| i.active), 0.0),
                    _ => (false, 0.0),
                };
                let restores = resp
                    .effects
                    .iter()
                    .map(|e| match (e, target) {
                        (Effect::Restore(f), Some(Target::Asset(_))) => f.min(1.0 - integrity),
                        (Effect::Restore(f) | Effect::Assist(f), _) => *f,
                        (Effect::Contain | Effect::Isolate(_), _) if uncontained => 0.5,
                        _ => 0.0,
                    })
                    .sum();
                let isolates_healthy =
                    !uncontained && matches!(target, Some(Target::Asset(_))) && traits.isolates;
                let repeat = restores == 0.0 && earlier.contains(&(r, target));
                let asks = traits.asks;
                let aptness = match target {
                    Some(Target::Actor(b)) if asks => {
                        u8::from(can_assist(b)) + u8::from(!suspects.contains(&b))
                    }
                    Some(Target::Actor(b)) if suspects.contains(&b) => 2,
                    Some(Target::Actor(b)) => u8::from(
                        rules
                            .scenario
                            .actors
                            .get(b as usize)
                            .is_some_and(|x| x.kind == ActorKind::State),
                    ),
                    _ => 0,
                };
                let unanswerable =
                    asks && matches!(target, Some(Target::Actor(b)) if !can_assist(b));
                options.push((r, target));
                candidates.push(Candidate {
                    response: r as u32,
                    cost: resp.cost,
                    norm_score,
                    restores,
                    escalation: traits.escalation,
                    pointless: repeat || isolates_healthy || unanswerable,
                    aptness,
                });
            }
        });
        (options, candidates)
    }
}
