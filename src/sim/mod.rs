//! The simulation: a bevy_ecs world of assets and incidents and the tick
//! schedule that moves it (DESIGN.md, "Simulation semantics", steps 4a–e).
//!
//! Assets and incidents are entities; the clock, the RNG, the dependency
//! network (as flat arrays built once) and the metrics are resources. The
//! primitives here (infect, contain, isolate, harden, restore, damage) are
//! what injects and the effects of decisions are made of.

pub mod components;
pub mod resources;
pub mod schedule;
pub mod systems;

use crate::network::Network;
use crate::scenario::{ActorKind, Scenario};
use bevy_ecs::prelude::{Entity, Schedule, World};
pub use components::IncidentParams;
use components::{
    AssetIndex, Exposure, Hardening, Incident, Infections, Integrity, IsolatedUntil, Knowledge,
    LowTicks, Population, Recovery, Service,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use resources::{
    Adjacency, AssetEntities, Clock, DerivedAudience, IncidentEntities, Metrics, SimRng,
};
pub use schedule::ScheduleError;
pub use systems::propagate_service::{ISOLATION_CAP, LOW_SERVICE};

/// An asset's status, from its service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Status {
    /// Service of at least 0.8.
    Operational,
    /// Service of at least 0.3 and below 0.8.
    Degraded,
    /// Service below 0.3.
    Down,
}

impl Status {
    /// The status of an asset with service `s`.
    pub fn of(s: f64) -> Status {
        if s >= LOW_SERVICE {
            Status::Operational
        } else if s >= 0.3 {
            Status::Degraded
        } else {
            Status::Down
        }
    }
}

/// The starting state of one asset.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetInit {
    /// Starting integrity, which is also the starting service.
    pub integrity: f64,
    /// Integrity regained per tick with no uncontained incident.
    pub recovery: f64,
    /// People served directly.
    pub population: u64,
    /// Actors that see an incident reaching it (actor indices).
    pub audience: Vec<u32>,
}

/// A running simulation.
pub struct Sim {
    world: World,
    tick: Schedule,
}

impl Sim {
    /// The world of a validated scenario, before its first turn.
    pub fn new(s: &Scenario, seed: u64) -> Result<Sim, ScheduleError> {
        let network = Network::build(s);
        let actor_index = |id: &str| s.actors.iter().position(|a| a.id.as_str() == id);
        let jurisdiction = |a: usize| match s.actors[a].kind {
            ActorKind::State => Some(a),
            _ => s.actors[a]
                .jurisdiction
                .as_ref()
                .and_then(|j| actor_index(j.as_str())),
        };
        let assets: Vec<AssetInit> = s
            .assets
            .iter()
            .map(|a| {
                let mut audience = Vec::new();
                if let Some(op) = actor_index(a.operator.as_str()) {
                    audience.push(op as u32);
                    if let Some(j) = jurisdiction(op) {
                        for (c, actor) in s.actors.iter().enumerate() {
                            if actor.kind == ActorKind::Cert && jurisdiction(c) == Some(j) {
                                audience.push(c as u32);
                            }
                        }
                    }
                }
                audience.sort_unstable();
                audience.dedup();
                AssetInit {
                    integrity: a.integrity,
                    recovery: a.recovery,
                    population: a.population,
                    audience,
                }
            })
            .collect();
        let edges: Vec<(u32, u32, f64, u32)> = network
            .graph
            .raw_edges()
            .iter()
            .map(|e| {
                (
                    e.source().index() as u32,
                    e.target().index() as u32,
                    e.weight.weight,
                    e.weight.backup,
                )
            })
            .collect();
        Sim::from_parts(assets, edges, s.actors.len(), seed)
    }

    /// A world from plain parts: assets by index, dependency edges
    /// `(from, on, weight, backup)`, the number of actors, and the seed.
    pub fn from_parts(
        assets: Vec<AssetInit>,
        edges: Vec<(u32, u32, f64, u32)>,
        actors: usize,
        seed: u64,
    ) -> Result<Sim, ScheduleError> {
        let mut world = World::new();
        // The flat network first, so that the edge list is freed before the
        // assets are spawned (it matters for a million assets).
        world.insert_resource(Adjacency::build(assets.len(), &edges));
        drop(edges);
        // Every resource before the assets: a resource is an entity, and one
        // spawned after a million assets would grow the entity tables again.
        world.insert_resource(Clock { turn: 1, ticks: 0 });
        world.insert_resource(SimRng(ChaCha8Rng::seed_from_u64(seed)));
        world.insert_resource(AssetEntities::default());
        world.insert_resource(DerivedAudience::new(
            actors,
            assets.iter().map(|a| a.audience.as_slice()),
        ));
        world.insert_resource(Metrics {
            impact: assets
                .iter()
                .map(|a| a.population as f64 * (1.0 - a.integrity))
                .sum(),
        });
        world.insert_resource(IncidentEntities::default());
        // One batch, so that storage is reserved once for all assets.
        let entities: Vec<Entity> = world
            .spawn_batch(assets.into_iter().enumerate().map(|(i, a)| {
                (
                    AssetIndex(i as u32),
                    Integrity(a.integrity),
                    Service(a.integrity),
                    Hardening(0.0),
                    Recovery(a.recovery),
                    LowTicks(0),
                    IsolatedUntil(0),
                    Exposure(0),
                    Population(a.population),
                )
            }))
            .collect();
        world.resource_mut::<AssetEntities>().0 = entities;
        let tick = schedule::tick_schedule(&mut world)?;
        Ok(Sim { world, tick })
    }

    /// Runs one tick (steps a–e).
    pub fn tick(&mut self) {
        self.tick.run(&mut self.world);
    }
}

impl std::ops::Deref for Sim {
    type Target = World;
    fn deref(&self) -> &World {
        &self.world
    }
}

impl std::ops::DerefMut for Sim {
    fn deref_mut(&mut self) -> &mut World {
        &mut self.world
    }
}

/// The state of assets and incidents, and the primitives that change it,
/// on the simulation's world (a `Sim` derefs to its world).
pub trait Physics {
    /// The turn being played.
    fn turn(&self) -> u32;
    /// Moves to turn `t`.
    fn set_turn(&mut self, t: u32);
    /// Ticks run so far.
    fn ticks(&self) -> u64;
    /// One draw from the RNG, in [0, 1): for `Chance` conditions and bots.
    fn draw(&mut self) -> f64;
    /// Civilian impact after the last tick (before any: of the starting state).
    fn impact(&self) -> f64;
    /// Number of assets.
    fn asset_count(&self) -> usize;
    /// An asset's integrity.
    fn integrity(&self, i: usize) -> f64;
    /// An asset's service.
    fn service(&self, i: usize) -> f64;
    /// An asset's hardening.
    fn hardening(&self, i: usize) -> f64;
    /// Consecutive ticks the asset's service has been below 0.8.
    fn low_ticks(&self, i: usize) -> u32;
    /// The last turn the asset is isolated in (0: never).
    fn isolated_until(&self, i: usize) -> u32;
    /// True while the asset is isolated in the current turn.
    fn is_isolated(&self, i: usize) -> bool;
    /// Number of uncontained infections on the asset.
    fn exposure(&self, i: usize) -> u32;
    /// `Restore(f)`: integrity + f, at most 1.
    fn restore(&mut self, i: usize, f: f64);
    /// `Damage(f)`: integrity - f × (1 - k), at least 0.
    fn damage(&mut self, i: usize, f: f64);
    /// `Harden(f)`: k = 1 - (1 - k)(1 - f).
    fn harden(&mut self, i: usize, f: f64);
    /// `Isolate(n)`: contains every incident on the asset and caps its
    /// service at 0.5 during this turn and the next n - 1 (the longer of
    /// two isolations holds).
    fn isolate(&mut self, i: usize, n: u32);
    /// Starts an incident: infects each target (at once costing it
    /// `damage × (1 - k)`) and makes it visible to `audience` with
    /// confidence = evidence. Returns the incident's entity.
    fn start_incident(&mut self, p: IncidentParams, targets: &[u32], audience: &[u32]) -> Entity {
        self.start_incident_with(p, targets, audience, ())
    }
    /// [`start_incident`](Physics::start_incident), the incident's entity
    /// spawned with `extra` components too (what the engine knows of it).
    fn start_incident_with(
        &mut self,
        p: IncidentParams,
        targets: &[u32],
        audience: &[u32],
        extra: impl bevy_ecs::bundle::Bundle,
    ) -> Entity;
    /// `Contain` on an incident: contains it on every asset it has infected so far.
    fn contain_incident(&mut self, incident: Entity);
    /// `Contain` on an asset: contains every incident on it.
    fn contain_asset(&mut self, i: usize);
    /// Whether the incident has infected the asset, and if so whether that
    /// infection is contained.
    fn infection(&self, incident: Entity, i: usize) -> Option<bool>;
    /// True while the incident is uncontained somewhere.
    fn is_active(&self, incident: Entity) -> bool;
    /// An actor's confidence about an incident, if the incident is visible to it.
    fn confidence(&self, incident: Entity, actor: usize) -> Option<f64>;
    /// Sets an actor's confidence about an incident (making it visible).
    fn set_confidence(&mut self, incident: Entity, actor: usize, c: f64);
}

fn asset_entity(world: &World, i: usize) -> Option<Entity> {
    world.resource::<AssetEntities>().0.get(i).copied()
}

fn get<C: bevy_ecs::component::Component + Copy>(world: &World, i: usize) -> Option<C> {
    asset_entity(world, i)
        .and_then(|e| world.get::<C>(e))
        .copied()
}

fn with_asset<C: bevy_ecs::component::Component<Mutability = bevy_ecs::component::Mutable>>(
    world: &mut World,
    i: usize,
    f: impl FnOnce(&mut C),
) {
    if let Some(e) = asset_entity(world, i)
        && let Some(mut c) = world.get_mut::<C>(e)
    {
        f(&mut c);
    }
}

/// Infects an asset with an incident (nothing if already infected).
fn infect(world: &mut World, incident: Entity, i: usize) {
    let Some(damage) = world.get::<Incident>(incident).map(|c| c.damage) else {
        return;
    };
    if i >= world.asset_count() {
        return;
    }
    let Some(mut infections) = world.get_mut::<Infections>(incident) else {
        return;
    };
    match infections.0.entry(i as u32) {
        std::collections::btree_map::Entry::Occupied(_) => return,
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(false);
        }
    }
    world.damage(i, damage);
    with_asset::<Exposure>(world, i, |x| x.0 += 1);
}

impl Physics for World {
    fn turn(&self) -> u32 {
        self.resource::<Clock>().turn
    }

    fn set_turn(&mut self, t: u32) {
        self.resource_mut::<Clock>().turn = t;
    }

    fn ticks(&self) -> u64 {
        self.resource::<Clock>().ticks
    }

    fn draw(&mut self) -> f64 {
        use rand::RngExt;
        self.resource_mut::<SimRng>().0.random::<f64>()
    }

    fn impact(&self) -> f64 {
        self.resource::<Metrics>().impact
    }

    fn asset_count(&self) -> usize {
        self.resource::<AssetEntities>().0.len()
    }

    fn integrity(&self, i: usize) -> f64 {
        get::<Integrity>(self, i).map_or(0.0, |c| c.0)
    }

    fn service(&self, i: usize) -> f64 {
        get::<Service>(self, i).map_or(0.0, |c| c.0)
    }

    fn hardening(&self, i: usize) -> f64 {
        get::<Hardening>(self, i).map_or(0.0, |c| c.0)
    }

    fn low_ticks(&self, i: usize) -> u32 {
        get::<LowTicks>(self, i).map_or(0, |c| c.0)
    }

    fn isolated_until(&self, i: usize) -> u32 {
        get::<IsolatedUntil>(self, i).map_or(0, |c| c.0)
    }

    fn is_isolated(&self, i: usize) -> bool {
        self.isolated_until(i) >= self.turn()
    }

    fn exposure(&self, i: usize) -> u32 {
        get::<Exposure>(self, i).map_or(0, |c| c.0)
    }

    fn restore(&mut self, i: usize, f: f64) {
        with_asset::<Integrity>(self, i, |h| h.0 = (h.0 + f).min(1.0));
    }

    fn damage(&mut self, i: usize, f: f64) {
        let k = self.hardening(i);
        with_asset::<Integrity>(self, i, |h| h.0 = (h.0 - f * (1.0 - k)).max(0.0));
    }

    fn harden(&mut self, i: usize, f: f64) {
        with_asset::<Hardening>(self, i, |k| k.0 = 1.0 - (1.0 - k.0) * (1.0 - f));
    }

    fn isolate(&mut self, i: usize, n: u32) {
        self.contain_asset(i);
        let until = self.turn() + n.saturating_sub(1);
        with_asset::<IsolatedUntil>(self, i, |c| c.0 = c.0.max(until));
    }

    fn start_incident_with(
        &mut self,
        p: IncidentParams,
        targets: &[u32],
        audience: &[u32],
        extra: impl bevy_ecs::bundle::Bundle,
    ) -> Entity {
        let order = self.resource::<IncidentEntities>().0.len() as u32;
        let actors = self.resource::<DerivedAudience>().actor_count();
        let mut knowledge = vec![None; actors];
        for &a in audience {
            if let Some(slot) = knowledge.get_mut(a as usize) {
                *slot = Some(p.evidence);
            }
        }
        let entity = self
            .spawn((
                Incident { order, params: p },
                Infections::default(),
                Knowledge(knowledge),
                extra,
            ))
            .id();
        self.resource_mut::<IncidentEntities>().0.push(entity);
        for &t in targets {
            infect(self, entity, t as usize);
        }
        entity
    }

    fn contain_incident(&mut self, incident: Entity) {
        let newly: Vec<u32> = match self.get_mut::<Infections>(incident) {
            Some(mut infections) => infections
                .0
                .iter_mut()
                .filter(|(_, contained)| !**contained)
                .map(|(a, contained)| {
                    *contained = true;
                    *a
                })
                .collect(),
            None => return,
        };
        for a in newly {
            with_asset::<Exposure>(self, a as usize, |x| x.0 = x.0.saturating_sub(1));
        }
    }

    fn contain_asset(&mut self, i: usize) {
        let mut newly = 0;
        for k in 0..self.resource::<IncidentEntities>().0.len() {
            let e = self.resource::<IncidentEntities>().0[k];
            if let Some(mut infections) = self.get_mut::<Infections>(e)
                && let Some(contained) = infections.0.get_mut(&(i as u32))
                && !*contained
            {
                *contained = true;
                newly += 1;
            }
        }
        with_asset::<Exposure>(self, i, |x| x.0 = x.0.saturating_sub(newly));
    }

    fn infection(&self, incident: Entity, i: usize) -> Option<bool> {
        self.get::<Infections>(incident)
            .and_then(|inf| inf.0.get(&(i as u32)).copied())
    }

    fn is_active(&self, incident: Entity) -> bool {
        self.get::<Infections>(incident)
            .is_some_and(Infections::is_active)
    }

    fn confidence(&self, incident: Entity, actor: usize) -> Option<f64> {
        self.get::<Knowledge>(incident)
            .and_then(|k| k.0.get(actor).copied().flatten())
    }

    fn set_confidence(&mut self, incident: Entity, actor: usize, c: f64) {
        if let Some(mut k) = self.get_mut::<Knowledge>(incident)
            && let Some(slot) = k.0.get_mut(actor)
        {
            *slot = Some(c.clamp(0.0, 1.0));
        }
    }
}
