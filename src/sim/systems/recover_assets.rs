//! Tick step c: assets with no uncontained incident regain integrity.
//! Reads exposure and recovery; changes integrity.

use crate::sim::components::{Exposure, Integrity, Recovery};
use bevy_ecs::prelude::Query;

/// `h = min(1, h + recovery)` for every asset whose exposure is 0.
pub fn recover_assets(mut assets: Query<(&mut Integrity, &Recovery, &Exposure)>) {
    for (mut h, recovery, exposure) in &mut assets {
        if exposure.0 == 0 && h.0 < 1.0 {
            h.0 = (h.0 + recovery.0).min(1.0);
        }
    }
}
