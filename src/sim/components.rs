//! Components of the simulation's entities: assets and incidents.

use bevy_ecs::prelude::Component;
use std::collections::BTreeMap;

/// An asset's position in the scenario's `assets` (and in the network).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AssetIndex(pub u32);

/// Direct damage state, in [0, 1].
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Integrity(pub f64);

/// What the asset delivers, in [0, 1].
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Service(pub f64);

/// Damage multiplier is `1 - k`; k in [0, 1).
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Hardening(pub f64);

/// Integrity regained per tick while no uncontained incident is on the asset.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Recovery(pub f64);

/// Consecutive ticks with service below 0.8.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LowTicks(pub u32);

/// The last turn during whose ticks the asset is isolated (0: never).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IsolatedUntil(pub u32);

/// Number of uncontained infections on the asset; it recovers only at 0.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exposure(pub u32);

/// People served directly: civilian impact is population × (1 - service).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Population(pub u64);

/// The physical parameters of an incident.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IncidentParams {
    /// Index of the inject that starts it.
    pub inject: u32,
    /// 1 for the inject's first incident, n for `inject#n`.
    pub occurrence: u32,
    /// Integrity lost by each asset it infects.
    pub damage: f64,
    /// Integrity lost per tick by each uncontained infected asset.
    pub ongoing: f64,
    /// Chance per tick and dependency edge to infect a neighbour.
    pub spread: f64,
    /// Confidence of those who see it at first.
    pub evidence: f64,
}

/// An incident: the order it fired in (0 for the first of the exercise)
/// and its parameters (readable directly through `Deref`).
#[derive(Component, Clone, Debug, PartialEq)]
pub struct Incident {
    /// Firing order.
    pub order: u32,
    /// Which inject, and how it damages and spreads.
    pub params: IncidentParams,
}

impl std::ops::Deref for Incident {
    type Target = IncidentParams;
    fn deref(&self) -> &IncidentParams {
        &self.params
    }
}

/// The assets an incident has infected, by asset index, with whether that
/// infection is contained. Ordered by asset index, as spread walks them.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Infections(pub BTreeMap<u32, bool>);

impl Infections {
    /// True while the incident is uncontained on at least one asset.
    pub fn is_active(&self) -> bool {
        self.0.values().any(|contained| !contained)
    }
}

/// What each actor knows of an incident: `None` while it is not visible to
/// the actor, else its attribution confidence. Indexed by actor.
#[derive(Component, Clone, Debug, Default, PartialEq)]
pub struct Knowledge(pub Vec<Option<f64>>);
