//! A whole 10-turn run of each bundled scenario with bots, world
//! construction included (the target is on quickstart's).
//!
//! Every scenario is played for ten turns, whatever its own length. Each is
//! loaded once and shared (as `serve` and sweeps share it); everything built
//! from it — rules, world, schedules — is built in each iteration.
//! Run with `cargo bench --bench run`; `cargo bench --bench run quickstart`
//! runs quickstart's alone.

use criterion::{Criterion, criterion_group, criterion_main};
use cyberttx::engine::Engine;
use cyberttx::norms::NormSet;
use cyberttx::scenario;
use std::hint::black_box;
use std::sync::Arc;

fn bench(c: &mut Criterion) {
    let norms = NormSet::load(None).expect("embedded catalogues load");
    for (id, _) in scenario::BUNDLED {
        let (_, mut s, _) = scenario::load(id, &norms).expect("bundled scenarios are valid");
        s.turns = 10;
        let s = Arc::new(s);
        c.bench_function(
            &format!("{id}: 10 turns with bots, construction included"),
            |b| {
                b.iter(|| {
                    let mut e = Engine::new(black_box(s.clone()), &norms, 7).expect("builds");
                    while e.advance().is_some() {}
                    e.timeline().len()
                })
            },
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
