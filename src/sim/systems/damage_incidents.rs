//! Tick step a: ongoing damage of every uncontained infection.
//! Reads incidents and hardening; changes integrity.

use crate::sim::components::{Hardening, Incident, Infections, Integrity};
use crate::sim::resources::AssetEntities;
use bevy_ecs::prelude::{Query, Res};

/// Each uncontained (incident, asset) costs the asset `ongoing × (1 - k)`.
pub fn damage_incidents(
    entities: Res<AssetEntities>,
    incidents: Query<(&Incident, &Infections)>,
    mut assets: Query<(&mut Integrity, &Hardening)>,
) {
    for (incident, infections) in &incidents {
        if incident.ongoing <= 0.0 {
            continue;
        }
        for (&asset, &contained) in &infections.0 {
            if contained {
                continue;
            }
            let Some(&entity) = entities.0.get(asset as usize) else {
                continue;
            };
            if let Ok((mut h, k)) = assets.get_mut(entity) {
                h.0 = (h.0 - incident.ongoing * (1.0 - k.0)).max(0.0);
            }
        }
    }
}
