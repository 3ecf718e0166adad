//! The bundled content: every scenario and norm catalogue loads and
//! validates, and the embedded lists match the files on disk.

use cyberttx::diag::SourceFile;
use cyberttx::norms::{self, NormSet};
use cyberttx::scenario;
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
