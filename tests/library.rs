//! The bundled content: every scenario and norm catalogue loads and
//! validates, and the embedded lists match the files on disk.

use cyberttx::diag::SourceFile;
use cyberttx::engine::Engine;
use cyberttx::norms::{self, NormSet};
use cyberttx::scenario::{self, Policy, Scenario};
use std::collections::BTreeSet;
use std::path::Path;

fn ron_files(dir: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("directory exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_scenario_file_is_bundled_and_validates_without_warnings() {
    let norms = NormSet::load(None).expect("embedded catalogues load");
    let on_disk = ron_files("scenarios");
    let bundled: Vec<String> = {
        let mut v: Vec<String> = scenario::BUNDLED
            .iter()
            .map(|(id, _)| format!("{id}.ron"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(on_disk, bundled, "scenarios/ and scenario::BUNDLED differ");
    for name in on_disk {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(&name);
        let text = std::fs::read_to_string(&path).expect("readable");
        let src = SourceFile::new(&name, text);
        let (s, diagnostics) = scenario::check(&src, &norms);
        let lines: Vec<String> = diagnostics.0.iter().map(|d| src.line(d)).collect();
        assert!(lines.is_empty(), "{name}:\n{}", lines.join("\n"));
        let s = s.expect("valid");
        assert_eq!(
            format!("{}.ron", s.id),
            name,
            "a scenario file is named after its id"
        );
    }
}

#[test]
fn every_catalogue_file_is_embedded_and_validates_without_warnings() {
    let on_disk = ron_files("assets/norms");
    let mut embedded: Vec<String> = norms::EMBEDDED
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "assets/norms/ and norms::EMBEDDED differ"
    );
    let sources = norms::embedded_sources();
    for (src, (catalogue, diagnostics)) in sources.iter().zip(norms::check_catalogues(&sources)) {
        let lines: Vec<String> = diagnostics.0.iter().map(|d| src.line(d)).collect();
        assert!(lines.is_empty(), "{}:\n{}", src.name, lines.join("\n"));
        assert!(catalogue.is_some());
    }
}

/// The ids of NORMS-REFERENCE, framework by framework.
const REFERENCE: [(&str, &[&str]); 9] = [
    (
        "un-gge-2015",
        &[
            "gge-13a", "gge-13b", "gge-13c", "gge-13d", "gge-13e", "gge-13f", "gge-13g", "gge-13h",
            "gge-13i", "gge-13j", "gge-13k",
        ],
    ),
    (
        "dgc",
        &["dgc-1", "dgc-2", "dgc-3", "dgc-4", "dgc-5", "dgc-6"],
    ),
    ("tech-accord", &["cta-1", "cta-2", "cta-3", "cta-4"]),
    (
        "charter-of-trust",
        &[
            "cot-1", "cot-2", "cot-3", "cot-4", "cot-5", "cot-6", "cot-7", "cot-8", "cot-9",
            "cot-10",
        ],
    ),
    (
        "paris-call",
        &[
            "paris-1", "paris-2", "paris-3", "paris-4", "paris-5", "paris-6", "paris-7", "paris-8",
            "paris-9",
        ],
    ),
    ("pall-mall", &["pmp-acc", "pmp-pre", "pmp-ovs", "pmp-tra"]),
    (
        "geneva-manual",
        &["gm-13i", "gm-13j", "gm-13c", "gm-13f", "gm-13g", "gm-13h"],
    ),
    ("evidence-access", &["ev-1", "ev-2", "ev-3"]),
    (
        "osce-cbm",
        &[
            "osce-1", "osce-2", "osce-3", "osce-4", "osce-5", "osce-6", "osce-7", "osce-8",
            "osce-9", "osce-10", "osce-11", "osce-12", "osce-13", "osce-14", "osce-15", "osce-16",
        ],
    ),
];

#[test]
fn the_nine_frameworks_hold_every_norm_of_the_reference() {
    let set = NormSet::load(None).expect("embedded catalogues load");
    let frameworks: Vec<&str> = set.catalogues().iter().map(|c| c.id.as_str()).collect();
    let expected: Vec<&str> = REFERENCE.iter().map(|(f, _)| *f).collect();
    assert_eq!(frameworks, expected);
    for (framework, ids) in REFERENCE {
        let c = set.framework(framework).expect("framework present");
        let got: Vec<&str> = c.norms.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(got, ids.to_vec(), "norms of {framework}");
        for n in &c.norms {
            assert!(!n.guidance.trim().is_empty(), "{} has guidance", n.id);
            assert!(!n.binds.is_empty(), "{} binds someone", n.id);
        }
    }
}

#[test]
fn related_norms_follow_the_cross_walk_both_ways() {
    let set = NormSet::load(None).expect("embedded catalogues load");
    let (_, gge13f) = set.norm("gge-13f").expect("gge-13f");
    let related: BTreeSet<&str> = gge13f.related.iter().map(|r| r.as_str()).collect();
    for id in [
        "dgc-1", "paris-1", "cta-2", "gm-13f", "dgc-4", "dgc-6", "pmp-pre",
    ] {
        assert!(related.contains(id), "gge-13f relates to {id}");
    }
    for c in set.catalogues() {
        for n in &c.norms {
            for r in &n.related {
                let (_, other) = set.norm(r.as_str()).expect("related norm exists");
                assert!(
                    other.related.contains(&n.id),
                    "{} lists {} as related but not the other way round",
                    n.id,
                    r
                );
            }
        }
    }
}

#[test]
fn a_custom_catalogue_adds_a_framework_and_overrides_a_bundled_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("regional-cbm.ron"),
        r#"(
    id: "regional-cbm",
    name: "Regional confidence-building measures",
    short: "Regional CBMs",
    source: "Ministerial declaration, 2026",
    summary: "Measures agreed by the states of the region.",
    binds: [States],
    norms: [
        (id: "rcbm-1", title: "Notify the region", summary: "Tell neighbours of major incidents.",
         binds: [States], guidance: "Notify within 24 hours.", related: ["osce-8"]),
    ],
)"#,
    )
    .expect("write");
    let dgc = norms::EMBEDDED
        .iter()
        .find(|(n, _)| *n == "dgc.ron")
        .map(|(_, t)| {
            t.replace(
                "\"Digital Geneva Convention",
                "\"Digital Geneva Convention (regional edition)",
            )
        })
        .expect("dgc embedded");
    std::fs::write(dir.path().join("dgc.ron"), dgc).expect("write");

    let set = NormSet::load(Some(dir.path())).expect("custom catalogues load");
    assert_eq!(set.catalogues().len(), 10);
    assert_eq!(
        set.norm("rcbm-1").map(|(c, _)| c.id.as_str()),
        Some("regional-cbm")
    );
    let dgc = set.framework("dgc").expect("dgc");
    assert!(dgc.name.contains("regional edition"), "{}", dgc.name);
    assert_eq!(
        set.catalogues()[1].id.as_str(),
        "dgc",
        "an override keeps its place"
    );
}

// The exercise library: every scenario plays, and playing by the norms pays.

/// The policies and seeds of the library's bot runs.
const POLICIES: [Policy; 3] = [Policy::NormAbiding, Policy::Aggressive, Policy::Random];
const SEEDS: std::ops::RangeInclusive<u64> = 1..=20;

fn library() -> Vec<(String, Scenario)> {
    let norms = NormSet::load(None).expect("embedded catalogues load");
    scenario::BUNDLED
        .iter()
        .map(|(id, _)| {
            let (_, s, _) = scenario::load(id, &norms).expect("bundled scenarios load");
            ((*id).to_owned(), s)
        })
        .collect()
}

/// A run with every actor played by `policy`: the engine at the end, and
/// every response that was open to someone at some turn.
fn bot_run(s: &Scenario, norms: &NormSet, policy: Policy, seed: u64) -> (Engine, BTreeSet<String>) {
    let mut e = Engine::new(s.clone(), norms, seed).expect("engine");
    for a in &s.actors {
        e.set_policy(a.id.as_str(), policy).expect("known actor");
    }
    let mut open = BTreeSet::new();
    while !e.is_finished() {
        e.begin_turn();
        for a in &s.actors {
            if let Some(b) = e.briefing(a.id.as_str()) {
                open.extend(b.responses.into_iter().map(|r| r.id));
            }
        }
        e.advance();
    }
    (e, open)
}

#[test]
fn the_library_has_the_quickstart_and_eight_scenarios_and_scenarios_lists_them() {
    let ids: Vec<&str> = scenario::BUNDLED.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        [
            "quickstart",
            "hospital-ransomware",
            "poisoned-update",
            "leaked-exploit",
            "grid-wiper",
            "dns-core",
            "election-leak",
            "mercenary-spyware",
            "evidence-request",
        ]
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cyberttx"))
        .arg("scenarios")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for (id, s) in library() {
        assert!(text.contains(&id), "{id} missing from\n{text}");
        assert!(text.contains(&s.title), "{} missing from\n{text}", s.title);
    }
}

#[test]
fn every_inject_fires_and_every_response_is_open_in_some_bot_run() {
    let norms = NormSet::load(None).expect("embedded catalogues load");
    for (id, s) in library() {
        let mut fired = BTreeSet::new();
        let mut open = BTreeSet::new();
        for policy in POLICIES {
            for seed in SEEDS {
                let (e, o) = bot_run(&s, &norms, policy, seed);
                fired.extend(
                    e.inject_log()
                        .iter()
                        .filter_map(|f| s.injects.get(f.inject))
                        .map(|i| i.id.to_string()),
                );
                open.extend(o);
            }
        }
        let never_fired: Vec<&str> = s
            .injects
            .iter()
            .map(|i| i.id.as_str())
            .filter(|i| !fired.contains(*i))
            .collect();
        assert!(
            never_fired.is_empty(),
            "{id}: injects that never fire: {never_fired:?}"
        );
        let never_open: Vec<&str> = s
            .responses
            .iter()
            .map(|r| r.id.as_str())
            .filter(|r| !open.contains(*r))
            .collect();
        assert!(
            never_open.is_empty(),
            "{id}: responses never open to anyone: {never_open:?}"
        );
    }
}

#[test]
fn norm_abiding_bots_outscore_aggressive_bots_in_every_scenario() {
    // `cargo test --test library -- --nocapture` shows the trade-offs.
    let norms = NormSet::load(None).expect("embedded catalogues load");
    for (id, s) in library() {
        let mean = |policy: Policy| {
            let (mut score, mut impact) = (0.0, 0.0);
            for seed in SEEDS {
                let (e, _) = bot_run(&s, &norms, policy, seed);
                score += f64::from(
                    cyberttx::report::scorecard(&e)
                        .values()
                        .map(|c| c.weighted)
                        .sum::<i32>(),
                );
                impact += e.timeline().last().map_or(0.0, |t| t.impact);
            }
            let n = SEEDS.count() as f64;
            (score / n, impact / n)
        };
        let (abiding, abiding_impact) = mean(Policy::NormAbiding);
        let (aggressive, aggressive_impact) = mean(Policy::Aggressive);
        println!(
            "{id:<20} NormAbiding: weighted score {abiding:7.1}, civilian impact {abiding_impact:10.0} | Aggressive: weighted score {aggressive:7.1}, civilian impact {aggressive_impact:10.0}"
        );
        assert!(
            abiding > aggressive,
            "{id}: NormAbiding bots score {abiding:.1} on average, Aggressive bots {aggressive:.1}"
        );
    }
}
