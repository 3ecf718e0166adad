//! A digest of the whole state of an exercise, for the journal and replay:
//! the same inputs give the same digest on every run and machine.

use super::rules::requests;
use super::state::{Flags, Record, Tension};
use crate::sim::Physics;
use crate::sim::components::{
    Exposure, Hardening, Incident, Infections, Integrity, IsolatedUntil, Knowledge, LowTicks,
    Service,
};
use crate::sim::resources::{AssetEntities, IncidentEntities, SimRng};
use bevy_ecs::prelude::World;
use rand::RngExt;
use sha2::{Digest, Sha256};

/// Hex SHA-256 of the state: clock, tension, flags, every asset, every
/// incident and request (in creation order), every assessment, and the
/// RNG's position.
pub fn digest(world: &World) -> String {
    let mut h = Buffer(Vec::with_capacity(1024));
    h.update(world.turn().to_le_bytes());
    h.update(world.ticks().to_le_bytes());
    h.update(world.resource::<Tension>().0.to_le_bytes());
    for f in &world.resource::<Flags>().0 {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    // Each asset's components through one look-up of its entity.
    for &e in &world.resource::<AssetEntities>().0 {
        let asset = world.get_entity(e).ok();
        let real = |x: Option<f64>| x.unwrap_or(0.0).to_bits().to_le_bytes();
        let whole = |x: Option<u32>| x.unwrap_or(0).to_le_bytes();
        h.update(real(asset.and_then(|a| a.get::<Integrity>()).map(|c| c.0)));
        h.update(real(asset.and_then(|a| a.get::<Service>()).map(|c| c.0)));
        h.update(real(asset.and_then(|a| a.get::<Hardening>()).map(|c| c.0)));
        h.update(whole(asset.and_then(|a| a.get::<LowTicks>()).map(|c| c.0)));
        h.update(whole(
            asset.and_then(|a| a.get::<IsolatedUntil>()).map(|c| c.0),
        ));
        h.update(whole(asset.and_then(|a| a.get::<Exposure>()).map(|c| c.0)));
    }
    for &e in &world.resource::<IncidentEntities>().0 {
        if let Some(incident) = world.get::<Incident>(e) {
            h.update(incident.order.to_le_bytes());
        }
        if let Some(infections) = world.get::<Infections>(e) {
            for (a, c) in &infections.0 {
                h.update(a.to_le_bytes());
                h.update([u8::from(*c)]);
            }
        }
        if let Some(knowledge) = world.get::<Knowledge>(e) {
            for k in &knowledge.0 {
                h.update(k.map_or(u64::MAX, f64::to_bits).to_le_bytes());
            }
        }
    }
    for (_, r) in requests(world) {
        for x in [r.from, r.to, r.made, r.answered.unwrap_or(u32::MAX)] {
            h.update(x.to_le_bytes());
        }
    }
    for l in &world.resource::<Record>().ledger {
        h.update(l.turn.to_le_bytes());
        h.update(l.weighted.to_le_bytes());
        h.update([u8::from(l.overridden)]);
        h.update((l.norm.len() as u64).to_le_bytes());
        h.update(l.norm.as_bytes());
    }
    let position: u64 = world.resource::<SimRng>().0.clone().random();
    h.update(position.to_le_bytes());
    hex(&Sha256::digest(&h.0))
}

/// The bytes to hash, collected first and hashed once.
struct Buffer(Vec<u8>);

impl Buffer {
    fn update(&mut self, bytes: impl AsRef<[u8]>) {
        self.0.extend_from_slice(bytes.as_ref());
    }
}

/// Lower-case hexadecimal of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}
