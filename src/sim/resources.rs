//! Resources: the state of the world that is not one entity's.

use bevy_ecs::prelude::{Entity, Resource};
use rand_chacha::ChaCha8Rng;

/// The current turn (from 1) and the ticks run so far in the whole exercise.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// The decision turn being played.
    pub turn: u32,
    /// Ticks run since the start.
    pub ticks: u64,
}

/// The one random number generator; drawn only in the documented order.
#[derive(Resource)]
pub struct SimRng(pub ChaCha8Rng);

/// The asset entities, by asset index.
#[derive(Resource, Clone, Debug, Default)]
pub struct AssetEntities(pub Vec<Entity>);

/// Who may know of an incident: how many actors there are (each incident's
/// knowledge has one slot per actor), and who sees an incident that reaches
/// an asset: its operator and the Certs of the operator's jurisdiction
/// (actor indices, ascending), by asset index, in compressed rows.
#[derive(Resource, Clone, Debug, Default)]
pub struct DerivedAudience {
    count: usize,
    start: Vec<u32>,
    actors: Vec<u32>,
}

impl DerivedAudience {
    /// From the number of actors and each asset's audience, in asset order.
    pub fn new<'a>(count: usize, rows: impl Iterator<Item = &'a [u32]>) -> DerivedAudience {
        let mut audience = DerivedAudience {
            count,
            start: vec![0],
            actors: Vec::new(),
        };
        for row in rows {
            audience.actors.extend_from_slice(row);
            audience.start.push(audience.actors.len() as u32);
        }
        audience
    }

    /// The number of actors.
    pub fn actor_count(&self) -> usize {
        self.count
    }

    /// The audience of asset `i`.
    pub fn of(&self, i: usize) -> &[u32] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.actors.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The dependency network as flat arrays, built once (compressed rows).
#[derive(Resource, Clone, Debug, Default)]
pub struct Adjacency {
    /// Dependencies of asset i are `deps[dep_start[i]..dep_start[i + 1]]`.
    pub dep_start: Vec<u32>,
    /// The dependencies, each with its provider, weight and backup side by
    /// side: the service step reads them in order, and a provider that
    /// was low needs the weight and backup of the same edge.
    pub deps: Vec<Dependency>,
    /// Neighbours of asset i along dependencies in either direction, one
    /// entry per edge, by neighbour index: `nb_start[i]..nb_start[i + 1]`.
    pub nb_start: Vec<u32>,
    /// The neighbours.
    pub nb: Vec<u32>,
}

/// One dependency edge, from the asset that depends on it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Dependency {
    /// The provider (asset index).
    pub on: u32,
    /// Its backup, in ticks.
    pub backup: u32,
    /// Its weight.
    pub weight: f64,
}

impl Adjacency {
    /// Builds the arrays for `n` assets from dependency edges `(from, on,
    /// weight, backup)`; edges keep their given order within an asset.
    pub fn build(n: usize, edges: &[(u32, u32, f64, u32)]) -> Adjacency {
        let mut dep_count = vec![0u32; n + 1];
        let mut nb_count = vec![0u32; n + 1];
        for &(from, on, _, _) in edges {
            dep_count[from as usize + 1] += 1;
            nb_count[from as usize + 1] += 1;
            nb_count[on as usize + 1] += 1;
        }
        for i in 0..n {
            dep_count[i + 1] += dep_count[i];
            nb_count[i + 1] += nb_count[i];
        }
        let mut adj = Adjacency {
            deps: vec![Dependency::default(); edges.len()],
            nb: vec![0; 2 * edges.len()],
            dep_start: dep_count.clone(),
            nb_start: nb_count.clone(),
        };
        let (mut dep_fill, mut nb_fill) = (dep_count, nb_count);
        for &(from, on, weight, backup) in edges {
            let e = dep_fill[from as usize] as usize;
            dep_fill[from as usize] += 1;
            adj.deps[e] = Dependency { on, backup, weight };
            for (a, b) in [(from, on), (on, from)] {
                let k = nb_fill[a as usize] as usize;
                nb_fill[a as usize] += 1;
                adj.nb[k] = b;
            }
        }
        for i in 0..n {
            let range = adj.nb_start[i] as usize..adj.nb_start[i + 1] as usize;
            adj.nb[range].sort_unstable();
        }
        adj
    }

    /// Number of assets.
    pub fn len(&self) -> usize {
        self.dep_start.len().saturating_sub(1)
    }

    /// True when there are no assets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Measures of the last tick.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Metrics {
    /// Civilian impact: Σ population × (1 - service).
    pub impact: f64,
}

/// Every incident entity, in firing order.
#[derive(Resource, Clone, Debug, Default)]
pub struct IncidentEntities(pub Vec<Entity>);
