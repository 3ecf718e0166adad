//! The tick rules of DESIGN.md ("Simulation semantics", 4a–e) against
//! expectations computed by hand.

use cyberttx::norms::NormSet;
use cyberttx::scenario;
use cyberttx::sim::{AssetInit, IncidentParams, Physics, Sim, Status};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn asset(population: u64) -> AssetInit {
    AssetInit {
        integrity: 1.0,
        recovery: 0.0,
        population,
        audience: Vec::new(),
    }
}

fn sim(assets: &[AssetInit], edges: &[(u32, u32, f64, u32)]) -> Sim {
    Sim::from_parts(assets.to_vec(), edges.to_vec(), 3, 7).expect("the schedule builds")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

macro_rules! assert_close {
    ($got:expr, $want:expr) => {{
        let (got, want) = ($got, $want);
        assert!(
            close(got, want),
            "{} = {got}, expected {want}",
            stringify!($got)
        );
    }};
}

fn incident(damage: f64, ongoing: f64, spread: f64) -> IncidentParams {
    IncidentParams {
        inject: 0,
        occurrence: 1,
        damage,
        ongoing,
        spread,
        evidence: 0.2,
    }
}

#[test]
fn a_loss_moves_one_hop_per_tick_along_a_chain() {
    // B depends on A (weight 0.5), C depends on B (weight 1).
    let mut s = sim(
        &[asset(100), asset(10), asset(1000)],
        &[(1, 0, 0.5, 0), (2, 1, 1.0, 0)],
    );
    s.damage(0, 0.6);
    s.tick();
    // A's own service drops at once; B still saw A's counter at 0.
    assert_close!(s.service(0), 0.4);
    assert_close!(s.service(1), 1.0);
    assert_close!(s.service(2), 1.0);
    s.tick();
    // A has been low for a tick: B loses 0.5 × (1 - 0.4).
    assert_close!(s.service(1), 0.7);
    assert_close!(s.service(2), 1.0);
    s.tick();
    assert_close!(s.service(2), 0.7);
    assert_close!(s.impact(), 100.0 * 0.6 + 10.0 * 0.3 + 1000.0 * 0.3);
    assert_eq!(Status::of(s.service(0)), Status::Degraded);
    assert_eq!(s.low_ticks(0), 3);
    assert_eq!(s.low_ticks(2), 1);
}

#[test]
fn backup_delays_the_loss_until_the_provider_has_been_low_longer_than_it() {
    for backup in [0u32, 1, 2, 5] {
        let mut s = sim(&[asset(0), asset(0)], &[(1, 0, 1.0, backup)]);
        s.damage(0, 1.0);
        // The provider is low from tick 1; its counter exceeds `backup` at
        // the end of tick backup + 1, so the loss bites at tick backup + 2.
        for tick in 1..=backup + 1 {
            s.tick();
            assert_close!(s.service(1), 1.0);
            assert_eq!(s.low_ticks(0), tick);
        }
        s.tick();
        assert_close!(s.service(1), 0.0);
        assert_eq!(Status::of(s.service(1)), Status::Down);
    }
}

#[test]
fn a_provider_above_0_8_causes_no_loss() {
    let mut s = sim(&[asset(0), asset(0)], &[(1, 0, 1.0, 0)]);
    s.damage(0, 0.15);
    for _ in 0..5 {
        s.tick();
    }
    assert_close!(s.service(0), 0.85);
    assert_close!(s.service(1), 1.0);
}

#[test]
fn a_cycle_settles_and_is_computed_from_the_previous_tick() {
    // A depends on B and B on A, both with weight 0.5.
    let mut s = sim(&[asset(0), asset(0)], &[(0, 1, 0.5, 0), (1, 0, 0.5, 0)]);
    s.damage(0, 0.5);
    let expected = [
        (0.5, 1.0),
        (0.5, 0.75),
        (0.4375, 0.75),
        (0.4375, 0.71875),
        (0.4296875, 0.71875),
    ];
    for (a, b) in expected {
        s.tick();
        assert_close!(s.service(0), a);
        assert_close!(s.service(1), b);
    }
}

#[test]
fn isolation_caps_service_at_half_for_n_turns_and_the_longer_isolation_holds() {
    let mut s = sim(&[asset(10), asset(10)], &[]);
    s.isolate(0, 2);
    s.isolate(1, 3);
    s.isolate(1, 1);
    for turn in 1..=4 {
        s.set_turn(turn);
        s.tick();
        let (a, b) = (s.service(0), s.service(1));
        assert_close!(a, if turn <= 2 { 0.5 } else { 1.0 });
        assert_close!(b, if turn <= 3 { 0.5 } else { 1.0 });
    }
}

#[test]
fn hardening_scales_damage_infection_and_ongoing_damage() {
    let mut s = sim(&[asset(0), asset(0)], &[]);
    s.harden(0, 0.5);
    s.damage(0, 0.4);
    assert_close!(s.integrity(0), 0.8);
    s.harden(0, 0.5);
    assert_close!(s.hardening(0), 0.75);
    s.damage(0, 0.4);
    assert_close!(s.integrity(0), 0.7);
    // Infection costs damage × (1 - k) at once, ongoing × (1 - k) per tick.
    s.start_incident(incident(0.4, 0.2, 0.0), &[0, 1], &[]);
    assert_close!(s.integrity(0), 0.6);
    assert_close!(s.integrity(1), 0.6);
    s.tick();
    assert_close!(s.integrity(0), 0.55);
    assert_close!(s.integrity(1), 0.4);
}

#[test]
fn recovery_waits_for_containment_and_stops_at_one() {
    let mut assets = [asset(0), asset(0)];
    assets[0].recovery = 0.05;
    assets[1].recovery = 0.05;
    assets[1].integrity = 0.98;
    let mut s = sim(&assets, &[]);
    let inc = s.start_incident(incident(0.3, 0.1, 0.0), &[0], &[]);
    s.tick();
    assert_close!(s.integrity(0), 0.6);
    assert_close!(s.integrity(1), 1.0);
    s.contain_incident(inc);
    assert!(!s.is_active(inc));
    s.tick();
    assert_close!(s.integrity(0), 0.65);
    s.tick();
    assert_close!(s.integrity(0), 0.7);
}

#[test]
fn containment_is_per_incident_and_asset() {
    let mut s = sim(&[asset(0), asset(0)], &[]);
    let first = s.start_incident(incident(0.0, 0.1, 0.0), &[0, 1], &[]);
    let second = s.start_incident(incident(0.0, 0.1, 0.0), &[0], &[]);
    s.contain_asset(1);
    assert_eq!(s.infection(first, 1), Some(true));
    assert_eq!(s.infection(first, 0), Some(false));
    assert!(s.is_active(first));
    s.tick();
    // Asset 0 takes both incidents' ongoing damage; asset 1 none.
    assert_close!(s.integrity(0), 0.8);
    assert_close!(s.integrity(1), 1.0);
    s.contain_incident(second);
    s.tick();
    assert_close!(s.integrity(0), 0.7);
    assert_eq!(s.exposure(0), 1);
    s.isolate(0, 1);
    assert_eq!(s.exposure(0), 0);
    assert!(!s.is_active(first));
}

#[test]
fn spread_moves_one_hop_per_tick_skips_isolated_assets_and_reveals() {
    // A chain 0 - 1 - 2 - 3 (each depends on the previous one).
    let mut assets = [asset(0), asset(0), asset(0), asset(0)];
    assets[2].audience = vec![1, 2];
    let mut s = sim(&assets, &[(1, 0, 0.5, 0), (2, 1, 0.5, 0), (3, 2, 0.5, 0)]);
    let inc = s.start_incident(incident(0.2, 0.0, 1.0), &[0], &[0]);
    assert_eq!(s.confidence(inc, 0), Some(0.2));
    assert_eq!(s.confidence(inc, 2), None);
    s.tick();
    // Newly infected assets do not spread in the tick they were infected.
    assert_eq!(s.infection(inc, 1), Some(false));
    assert_eq!(s.infection(inc, 2), None);
    assert_close!(s.integrity(1), 0.8);
    s.tick();
    assert_eq!(s.infection(inc, 2), Some(false));
    assert_eq!(s.confidence(inc, 1), Some(0.2));
    assert_eq!(s.confidence(inc, 2), Some(0.2));
    assert_eq!(s.confidence(inc, 0), Some(0.2));
    s.isolate(3, 1);
    s.tick();
    assert_eq!(s.infection(inc, 3), None);
}

#[test]
fn spread_draws_one_number_per_candidate_edge_in_the_documented_order() {
    // A star: 0 in the middle, 1..=3 depend on it; 2 is isolated, so only
    // 1 and 3 are candidates; 3 also depends on 0 twice over (two edges).
    let assets = [asset(0), asset(0), asset(0), asset(0)];
    let edges = [
        (1, 0, 0.1, 0),
        (2, 0, 0.1, 0),
        (3, 0, 0.1, 0),
        (0, 3, 0.1, 0),
    ];
    let mut s = Sim::from_parts(assets.to_vec(), edges.to_vec(), 1, 42).expect("builds");
    s.start_incident(incident(0.0, 0.0, 1e-9), &[0], &[]);
    s.isolate(2, 1);
    s.tick();
    let mut reference = ChaCha8Rng::seed_from_u64(42);
    for _ in 0..3 {
        let _: f64 = reference.random();
    }
    assert_eq!(s.draw(), reference.random::<f64>());
}

#[test]
fn the_same_seed_spreads_the_same_way_and_seeds_differ() {
    let outcome = |seed: u64| {
        let assets: Vec<AssetInit> = (0..30).map(|_| asset(1)).collect();
        let edges: Vec<(u32, u32, f64, u32)> = (1..30).map(|i| (i, i - 1, 0.5, 0)).collect();
        let mut s = Sim::from_parts(assets, edges, 1, seed).expect("builds");
        let inc = s.start_incident(incident(0.1, 0.0, 0.5), &[0], &[]);
        for _ in 0..10 {
            s.tick();
        }
        (0..30)
            .map(|i| s.infection(inc, i).is_some())
            .collect::<Vec<bool>>()
    };
    assert_eq!(outcome(3), outcome(3));
    let distinct: std::collections::BTreeSet<Vec<bool>> = (0..10).map(outcome).collect();
    assert!(distinct.len() > 1, "ten seeds gave one outcome");
}

#[test]
fn quickstart_builds_and_stands_still_without_incidents() {
    let norms = NormSet::load(None).expect("catalogues");
    let (_, s, _) = scenario::load("quickstart", &norms).expect("valid");
    let mut sim = Sim::new(&s, s.seed).expect("builds");
    assert_eq!(sim.asset_count(), s.assets.len());
    for _ in 0..4 {
        sim.tick();
    }
    assert_eq!(sim.ticks(), 4);
    assert_close!(sim.impact(), 0.0);
    for i in 0..s.assets.len() {
        assert_close!(sim.service(i), 1.0);
    }
}

#[test]
fn each_dependent_sees_its_own_provider_among_many_low_ones() {
    // Assets 0..=99 depend on 250 - i (weight 0.5): providers 151..=250,
    // spread over several 64-asset blocks, each damaged to its own level
    // (all low); assets 100..=150 are healthy and in between.
    let assets: Vec<AssetInit> = (0..=250).map(|_| asset(0)).collect();
    let edges: Vec<(u32, u32, f64, u32)> = (0..=99).map(|i| (i, 250 - i, 0.5, 0)).collect();
    let mut s = sim(&assets, &edges);
    let damage = |p: u32| 0.25 + f64::from(p % 97) * 0.005;
    for p in 151..=250 {
        s.damage(p as usize, damage(p));
    }
    s.tick();
    s.tick();
    for i in 0..=99u32 {
        let provider = 1.0 - damage(250 - i);
        assert_close!(s.service(i as usize), 1.0 - 0.5 * (1.0 - provider));
    }
    assert_close!(s.service(120), 1.0);
}
