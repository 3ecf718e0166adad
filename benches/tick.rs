//! One tick on a synthetic network of 1,000,000 assets and 3,000,000
//! dependencies.
//!
//! The generator is deterministic: asset i depends on three distinct other
//! assets drawn with a fixed linear congruential generator (weights 0.1–0.9,
//! backup 0–2 ticks, so cycles are common); one asset in a hundred starts
//! with integrity 0.5, and one incident (ongoing 0.01, spread 0.001) infects
//! one asset in a thousand.
//!
//! Each sample builds the network afresh (not timed) and times the ticks
//! that follow, from the first: as many as fill the sample (about a dozen,
//! the span of an exercise). The same ticks are timed in every sample.
//! Ticking one network for as long as the measurement lasts would time a
//! network that the never-contained incident wears down further the longer
//! it runs, and the figure would depend on the measurement's length.
//!
//! Run with `cargo bench --bench tick`. The peak memory of the process
//! (VmHWM) is printed once a first network has been built and ticked 20
//! times, before the timing: the networks built for the samples after it
//! are freed one by one, but the allocator keeps some of their pages, so
//! the process's peak grows past that of any one network.

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use cyberttx::sim::{AssetInit, IncidentParams, Physics, Sim};
use std::time::Instant;

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
    // Peak memory: building one network (its inputs included) and ticking it.
    let mut sim = build();
    for _ in 0..20 {
        sim.tick();
    }
    eprintln!(
        "1M assets / 3M dependencies built and ticked 20 times; peak memory {}",
        peak_memory()
    );
    drop(sim);
    let mut group = c.benchmark_group("tick");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("1M assets, 3M dependencies", |b| {
        b.iter_custom(|ticks| {
            let mut sim = build();
            let start = Instant::now();
            for _ in 0..ticks {
                sim.tick();
            }
            start.elapsed()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
