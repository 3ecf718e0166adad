//! Tick step b: incidents spread along dependencies.
//! Reads the network and isolation; draws from the RNG; changes infections,
//! integrity, exposure and who knows of the incident.

use crate::sim::components::{
    Exposure, Hardening, Incident, Infections, Integrity, IsolatedUntil, Knowledge,
};
use crate::sim::resources::{Adjacency, AssetEntities, Clock, DerivedAudience, SimRng};
use bevy_ecs::prelude::{Entity, Local, Query, Res, ResMut};
use rand::RngExt;

/// Incidents in firing order; for each, its uncontained infected assets as
/// they were at the start of the step, in index order; for each, its
/// neighbours (one entry per dependency edge, in index order): a neighbour
/// not yet infected by this incident and not isolated is infected with
/// probability `spread` (one draw each). Incidents with `spread` 0 draw
/// nothing.
#[allow(clippy::too_many_arguments)]
pub fn spread_incidents(
    clock: Res<Clock>,
    adjacency: Res<Adjacency>,
    entities: Res<AssetEntities>,
    audience: Res<DerivedAudience>,
    mut rng: ResMut<SimRng>,
    mut scratch: Local<SpreadScratch>,
    mut incidents: Query<(Entity, &Incident, &mut Infections, &mut Knowledge)>,
    mut assets: Query<(&mut Integrity, &Hardening, &IsolatedUntil, &mut Exposure)>,
) {
    let SpreadScratch {
        incidents: order,
        sources,
    } = &mut *scratch;
    order.clear();
    order.extend(
        incidents
            .iter()
            .filter(|(_, i, infections, _)| i.spread > 0.0 && infections.is_active())
            .map(|(e, i, _, _)| (i.order, e)),
    );
    order.sort_unstable();
    for &(_, incident_entity) in order.iter() {
        let Ok((_, incident, mut infections, mut knowledge)) = incidents.get_mut(incident_entity)
        else {
            continue;
        };
        sources.clear();
        sources.extend(infections.0.iter().filter(|(_, c)| !**c).map(|(a, _)| *a));
        for &source in sources.iter() {
            let s = source as usize;
            let (Some(&lo), Some(&hi)) = (adjacency.nb_start.get(s), adjacency.nb_start.get(s + 1))
            else {
                continue;
            };
            for &neighbour in &adjacency.nb[lo as usize..hi as usize] {
                if infections.0.contains_key(&neighbour) {
                    continue;
                }
                let Some(&entity) = entities.0.get(neighbour as usize) else {
                    continue;
                };
                let Ok((mut h, k, isolated, mut exposure)) = assets.get_mut(entity) else {
                    continue;
                };
                if isolated.0 >= clock.turn {
                    continue;
                }
                if rng.0.random::<f64>() < incident.spread {
                    infections.0.insert(neighbour, false);
                    h.0 = (h.0 - incident.damage * (1.0 - k.0)).max(0.0);
                    exposure.0 += 1;
                    for &actor in audience.of(neighbour as usize) {
                        if let Some(slot) = knowledge.0.get_mut(actor as usize)
                            && slot.is_none()
                        {
                            *slot = Some(incident.evidence);
                        }
                    }
                }
            }
        }
    }
}

/// Working list of the spread step: infected assets at the start of the step.
#[derive(Debug, Default)]
pub struct SpreadScratch {
    /// Incidents in firing order.
    pub incidents: Vec<(u32, Entity)>,
    /// Uncontained infected assets of the incident being walked.
    pub sources: Vec<u32>,
}
