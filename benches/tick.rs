//! One tick on a synthetic network of 1,000,000 assets and 3,000,000
//! dependencies.
//!
//! The generator is deterministic: asset i depends on three distinct other
//! assets drawn with a fixed linear congruential generator (weights 0.1–0.9,
//! backup 0–2 ticks, so cycles are common); one asset in a hundred starts
//! with integrity 0.5, and one incident (ongoing 0.01, spread 0.001) infects
//! one asset in a thousand. Run with `cargo bench --bench tick`; the peak
//! memory of the process (VmHWM) is printed after the world is built.

use criterion::{Criterion, criterion_group, criterion_main};
use cyberttx::sim::{AssetInit, IncidentParams, Physics, Sim};

const ASSETS: u32 = 1_000_000;
const DEPENDENCIES_PER_ASSET: u32 = 3;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}

fn build() -> Sim {
    let mut rng = Lcg(2026);
    let assets: Vec<AssetInit> = (0..ASSETS)
        .map(|i| AssetInit {
            integrity: if i % 100 == 0 { 0.5 } else { 1.0 },
            recovery: 0.01,
            population: u64::from(rng.next(10_000)),
            audience: Vec::new(),
        })
        .collect();
    let mut edges = Vec::with_capacity((ASSETS * DEPENDENCIES_PER_ASSET) as usize);
    for from in 0..ASSETS {
        let mut ons = [u32::MAX; DEPENDENCIES_PER_ASSET as usize];
        for slot in 0..ons.len() {
            let mut on = rng.next(ASSETS);
            while on == from || ons.contains(&on) {
                on = rng.next(ASSETS);
            }
            ons[slot] = on;
            edges.push((from, on, f64::from(1 + rng.next(9)) / 10.0, rng.next(3)));
        }
    }
    eprintln!("inputs generated; peak memory {}", peak_memory());
    let mut sim = Sim::from_parts(assets, edges, 1, 7).expect("the schedule builds");
    let targets: Vec<u32> = (0..ASSETS).step_by(1000).collect();
    sim.start_incident(
        IncidentParams {
            inject: 0,
            occurrence: 1,
            damage: 0.3,
            ongoing: 0.01,
            spread: 0.001,
            evidence: 0.2,
        },
        &targets,
        &[],
    );
    sim
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "VmHWM: unknown".to_owned())
}

fn bench(c: &mut Criterion) {
    let mut sim = build();
    sim.tick();
    eprintln!(
        "1M assets / 3M dependencies built; peak memory {}",
        peak_memory()
    );
    let mut group = c.benchmark_group("tick");
    group.sample_size(20);
    group.bench_function("1M assets, 3M dependencies", |b| b.iter(|| sim.tick()));
    group.finish();
    eprintln!("after the ticks: peak memory {}", peak_memory());
}

criterion_group!(benches, bench);
criterion_main!(benches);
