//! Tick step d: service, synchronously from the previous tick's values.
//! Reads integrity, isolation and the network; changes service and low counters.

use crate::sim::components::{AssetIndex, Integrity, IsolatedUntil, LowTicks, Service};
use crate::sim::resources::{Adjacency, Clock};
use bevy_ecs::prelude::{Local, Query, Res};

/// Service below this counts as low (and the asset as not Operational).
pub const LOW_SERVICE: f64 = 0.8;
/// The cap on an isolated asset's service.
pub const ISOLATION_CAP: f64 = 0.5;

/// `s_i = h_i × Π_(i→j) f_ij` with `f_ij = 1 - w_ij (1 - s_j)` when
/// `low_j > backup_ij`, else 1, using the previous tick's `s_j` and `low_j`;
/// capped at 0.5 while isolated. Low counters are updated after all services.
pub fn propagate_service(
    clock: Res<Clock>,
    adjacency: Res<Adjacency>,
    mut scratch: Local<ServiceScratch>,
    mut assets: Query<(
        &AssetIndex,
        &Integrity,
        &mut Service,
        &mut LowTicks,
        &IsolatedUntil,
    )>,
) {
    let n = adjacency.len();
    let ServiceScratch {
        service,
        low,
        any_low,
    } = &mut *scratch;
    service.resize(n, 0.0);
    low.resize(n, 0);
    any_low.clear();
    any_low.resize(n.div_ceil(64), 0);
    for (index, _, s, l, _) in &assets {
        let i = index.0 as usize;
        if let (Some(s_prev), Some(l_prev), Some(bits)) =
            (service.get_mut(i), low.get_mut(i), any_low.get_mut(i / 64))
        {
            *s_prev = s.0;
            *l_prev = l.0;
            *bits |= u64::from(l.0 > 0) << (i % 64);
        }
    }
    // Every read below is of the previous tick's arrays, so the order in
    // which assets are visited does not matter.
    for (index, h, mut s, mut l, isolated) in &mut assets {
        let i = index.0 as usize;
        if i >= n {
            continue;
        }
        let mut next = h.0;
        for e in adjacency.dep_start[i] as usize..adjacency.dep_start[i + 1] as usize {
            let j = adjacency.dep_on[e] as usize;
            // Most providers have never been low: one bit each (128 KiB for
            // a million assets, which stays in cache) answers for them
            // without reading their counters.
            if (any_low[j / 64] >> (j % 64)) & 1 == 1 && low[j] > adjacency.dep_backup[e] {
                next *= 1.0 - adjacency.dep_weight[e] * (1.0 - service[j]);
            }
        }
        if isolated.0 >= clock.turn {
            next = next.min(ISOLATION_CAP);
        }
        s.0 = next;
        l.0 = if next < LOW_SERVICE { l.0 + 1 } else { 0 };
    }
}

/// Working arrays of the service step, kept between ticks so that a tick
/// allocates nothing: the previous tick's values, by asset index.
#[derive(Debug, Default)]
pub struct ServiceScratch {
    /// Service of the previous tick.
    pub service: Vec<f64>,
    /// Low counters of the previous tick.
    pub low: Vec<u32>,
    /// One bit per asset: its low counter of the previous tick is above 0.
    pub any_low: Vec<u64>,
}
