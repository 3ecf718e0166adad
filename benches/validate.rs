//! Loading and validating a large scenario: 10,000 assets, 30,000
//! dependencies, 200 injects, 60 responses, 50 actors.
//!
//! Run with `cargo bench --bench validate`.

use criterion::{Criterion, criterion_group, criterion_main};
use cyberttx::diag::SourceFile;
use cyberttx::locate::Locations;
use cyberttx::norms::NormSet;
use cyberttx::scenario;
use std::fmt::Write as _;
use std::hint::black_box;

const ASSETS: usize = 10_000;
const SECTORS: [&str; 6] = [
    "Energy",
    "Water",
    "Health",
    "Telecom",
    "Finance",
    "Transport",
];

/// A small deterministic generator, so the scenario is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn large_scenario() -> String {
    let mut rng = Lcg(7);
    let mut s = String::from(
        "(\n    id: \"large\",\n    title: \"Large\",\n    turns: 10,\n    frameworks: [\"un-gge-2015\", \"paris-call\"],\n    actors: [\n",
    );
    for i in 0..10 {
        let _ = writeln!(
            s,
            "        (id: \"state-{i}\", name: \"State {i}\", kind: State),"
        );
        let _ = writeln!(
            s,
            "        (id: \"cert-{i}\", name: \"CERT {i}\", kind: Cert, jurisdiction: \"state-{i}\"),"
        );
        for c in 0..3 {
            let _ = writeln!(
                s,
                "        (id: \"company-{i}-{c}\", name: \"Company {i}-{c}\", kind: Company, jurisdiction: \"state-{i}\"),"
            );
        }
    }
    s.push_str("    ],\n    assets: [\n");
    for a in 0..ASSETS {
        let operator = format!("company-{}-{}", a % 10, a % 3);
        let _ = writeln!(
            s,
            "        (id: \"asset-{a}\", name: \"Asset {a}\", sector: {}, operator: \"{operator}\", population: {}, critical: {}),",
            SECTORS[a % SECTORS.len()],
            rng.next(100_000),
            a % 7 == 0
        );
    }
    s.push_str("    ],\n    dependencies: [\n");
    for a in 1..ASSETS {
        let mut ons: Vec<usize> = (0..3).map(|_| rng.next(a)).collect();
        ons.sort_unstable();
        ons.dedup();
        for on in ons {
            let _ = writeln!(
                s,
                "        (from: \"asset-{a}\", on: \"asset-{on}\", weight: 0.{}, backup: {}),",
                1 + rng.next(9),
                rng.next(3)
            );
        }
    }
    s.push_str("    ],\n    injects: [\n");
    for i in 0..200 {
        let _ = writeln!(
            s,
            "        (id: \"inject-{i}\", title: \"Inject {i}\", trigger: All([TurnAtLeast({}), Chance(0.5)]),\n         incident: (kind: Ransomware, perpetrator: \"state-{}\", targets: [\"asset-{}\", \"asset-{}\"], damage: 0.3, spread: 0.1)),",
            1 + i % 10,
            i % 10,
            rng.next(ASSETS / 2),
            ASSETS / 2 + rng.next(ASSETS / 2)
        );
    }
    s.push_str("    ],\n    responses: [\n");
    for r in 0..20 {
        let _ = writeln!(
            s,
            "        (id: \"isolate-{r}\", label: \"Isolate {r}\", for: [Company], target: OwnAsset, effects: [Contain, Isolate(1)],\n         norms: [(norm: \"paris-1\", score: 1)]),\n        (id: \"advise-{r}\", label: \"Advise {r}\", for: [Cert], target: Incident, effects: [Share(All), Investigate(0.2)],\n         norms: [(norm: \"gge-13h\", score: 1)]),\n        (id: \"blame-{r}\", label: \"Blame {r}\", for: [State], target: Incident, effects: [Attribute, Escalate(5)],\n         norms: [(norm: \"gge-13b\", score: -2, when: ConfidenceBelow(0.6))]),"
        );
    }
    s.push_str("    ],\n)\n");
    s
}

fn bench(c: &mut Criterion) {
    let norms = NormSet::load(None).expect("embedded catalogues load");
    let src = SourceFile::new("large.ron", large_scenario());
    let (parsed, diagnostics) = scenario::check(&src, &norms);
    assert!(
        parsed.is_some(),
        "the synthetic scenario validates: {:?}",
        diagnostics.0.first()
    );

    let mut group = c.benchmark_group("validate");
    group.sample_size(20);
    group.bench_function("10k assets: parse + validate (a valid file)", |b| {
        b.iter(|| scenario::check(black_box(&src), &norms))
    });
    group.bench_function(
        "10k assets: locate every value (done only when a problem is found)",
        |b| b.iter(|| Locations::of(black_box(&src.text))),
    );
    group.bench_function("embedded norm catalogues: load and check", |b| {
        b.iter(|| NormSet::load(None))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
