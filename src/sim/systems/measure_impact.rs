//! Tick step e: civilian impact.
//! Reads service and population; changes the metrics and the tick count.

use crate::sim::components::{AssetIndex, Population, Service};
use crate::sim::resources::{Clock, Metrics};
use bevy_ecs::prelude::{Local, Query, ResMut};

/// Civilian impact = Σ population × (1 - service), summed in asset order so
/// that the result does not depend on storage order.
pub fn measure_impact(
    mut clock: ResMut<Clock>,
    mut metrics: ResMut<Metrics>,
    mut scratch: Local<ImpactScratch>,
    assets: Query<(&AssetIndex, &Service, &Population)>,
) {
    let terms = &mut scratch.0;
    terms.clear();
    terms.resize(assets.iter().len(), 0.0);
    for (index, s, p) in &assets {
        if let Some(t) = terms.get_mut(index.0 as usize) {
            *t = p.0 as f64 * (1.0 - s.0);
        }
    }
    metrics.impact = terms.iter().sum();
    clock.ticks += 1;
}

/// Working array of the impact step: one term per asset, in asset order.
#[derive(Debug, Default)]
pub struct ImpactScratch(pub Vec<f64>);
