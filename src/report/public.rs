//! The public results of each turn: what every participant may know
//! (service by sector, assets going down or coming back, civilian impact,
//! tension, public statements), shared by `play` and `serve`.

use crate::engine::Engine;
use crate::scenario::Sector;
use crate::sim::Status;
use serde::Serialize;
use std::collections::BTreeMap;

/// The public results of one turn.
#[derive(Clone, Debug, Serialize)]
pub struct PublicTurn {
    /// The turn.
    pub turn: u32,
    /// Civilian impact at its end.
    pub impact: f64,
    /// Tension at its end.
    pub tension: u32,
    /// Service by sector.
    pub sectors: Vec<SectorService>,
    /// Assets that went down or came back, as sentences.
    pub changes: Vec<String>,
    /// Public statements made in the turn.
    pub statements: Vec<String>,
}

/// One sector's service at the end of a turn.
#[derive(Clone, Debug, Serialize)]
pub struct SectorService {
    /// The sector.
    pub sector: Sector,
    /// Its name.
    pub label: &'static str,
    /// Mean service of its assets, 0 to 1.
    pub service: f64,
    /// Assets operational.
    pub operational: usize,
    /// Assets degraded.
    pub degraded: usize,
    /// Assets down.
    pub down: usize,
}

/// An actor's name, by id.
pub fn actor_name(engine: &Engine, id: &str) -> String {
    engine
        .scenario()
        .actors
        .iter()
        .find(|a| a.id.as_str() == id)
        .map_or_else(|| id.to_owned(), |a| a.name.clone())
}

/// The public results of every turn played, oldest first.
pub fn public_results(engine: &Engine) -> Vec<PublicTurn> {
    let s = engine.scenario();
    let mut before: Vec<Status> = s.assets.iter().map(|a| Status::of(a.integrity)).collect();
    engine
        .timeline()
        .iter()
        .map(|t| {
            let mut sectors: BTreeMap<Sector, SectorService> = BTreeMap::new();
            for a in &s.assets {
                let v = t.service.get(a.id.as_str()).copied().unwrap_or(0.0);
                let row = sectors.entry(a.sector).or_insert(SectorService {
                    sector: a.sector,
                    label: a.sector.label(),
                    service: 0.0,
                    operational: 0,
                    degraded: 0,
                    down: 0,
                });
                row.service += v;
                match Status::of(v) {
                    Status::Operational => row.operational += 1,
                    Status::Degraded => row.degraded += 1,
                    Status::Down => row.down += 1,
                }
            }
            let sectors = sectors
                .into_values()
                .map(|mut r| {
                    let n = (r.operational + r.degraded + r.down).max(1);
                    r.service /= n as f64;
                    r
                })
                .collect();
            let changes =
                super::status_changes(s, &mut before, &t.service, |id| actor_name(engine, id));
            PublicTurn {
                turn: t.turn,
                impact: t.impact,
                tension: t.tension,
                sectors,
                changes,
                statements: engine
                    .announcements()
                    .iter()
                    .filter(|a| a.turn == t.turn)
                    .map(|a| a.text.clone())
                    .collect(),
            }
        })
        .collect()
}
