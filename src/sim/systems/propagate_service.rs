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
        any_low,
        before,
        low,
    } = &mut *scratch;
    any_low.clear();
    any_low.resize(n.div_ceil(64), 0);
    low.clear();
    for (index, _, s, l, _) in &assets {
        let i = index.0 as usize;
        if l.0 > 0
            && let Some(bits) = any_low.get_mut(i / 64)
        {
            *bits |= 1 << (i % 64);
            low.push(Low {
                index: index.0,
                ticks: l.0,
                service: s.0,
            });
        }
    }
    // The low providers by asset index (the order the queries visit them
    // in, unless an asset moved to another table).
    if !low.is_sorted_by_key(|x| x.index) {
        low.sort_unstable_by_key(|x| x.index);
    }
    before.clear();
    let mut count = 0;
    before.extend(any_low.iter().map(|bits| {
        let at = count;
        count += bits.count_ones();
        at
    }));
    // Every read below is of the previous tick's values, so the order in
    // which assets are visited does not matter.
    for (index, h, mut s, mut l, isolated) in &mut assets {
        let i = index.0 as usize;
        if i >= n {
            continue;
        }
        let mut next = h.0;
        let deps =
            &adjacency.deps[adjacency.dep_start[i] as usize..adjacency.dep_start[i + 1] as usize];
        for dep in deps {
            let j = dep.on as usize;
            // Most providers have never been low: one bit each (128 KiB for
            // a million assets, which stays in cache) answers for them. A
            // low one is found among the few low providers by its rank.
            let bits = any_low[j / 64];
            if (bits >> (j % 64)) & 1 == 1 {
                let below = bits & ((1 << (j % 64)) - 1);
                let rank = before[j / 64] + below.count_ones();
                if let Some(p) = low.get(rank as usize)
                    && p.ticks > dep.backup
                {
                    next *= 1.0 - dep.weight * (1.0 - p.service);
                }
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
/// allocates nothing.
#[derive(Debug, Default)]
pub struct ServiceScratch {
    /// One bit per asset: its low counter of the previous tick is above 0.
    pub any_low: Vec<u64>,
    /// For each 64 assets, the number of low assets before them.
    pub before: Vec<u32>,
    /// The low assets of the previous tick, by index: few, and side by
    /// side, so that reading one seldom misses the cache.
    pub low: Vec<Low>,
}

/// An asset whose service was low in the previous tick.
#[derive(Clone, Copy, Debug)]
pub struct Low {
    /// Its index.
    pub index: u32,
    /// Its low counter.
    pub ticks: u32,
    /// Its service.
    pub service: f64,
}
