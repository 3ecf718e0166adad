//! The real binary: each command's output and exit code.

mod common;
use common::{repo_path, run};

#[test]
fn validate_quickstart_prints_only_success() {
    let r = run(&["validate", &repo_path("scenarios/quickstart.ron")]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.is_empty(), "{r}");
    assert!(r.stdout.contains("quickstart.ron: ok"), "{r}");
    assert!(r.stdout.contains("scenario `quickstart`"), "{r}");
}

#[test]
fn validate_accepts_a_bundled_id_and_a_catalogue() {
    let r = run(&[
        "validate",
        "quickstart",
        &repo_path("assets/norms/un-gge-2015.ron"),
    ]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("bundled:quickstart.ron: ok"), "{r}");
    assert!(
        r.stdout.contains("norm catalogue `un-gge-2015`: 11 norms"),
        "{r}"
    );
}

#[test]
fn validate_reports_errors_as_file_line_col_and_exits_1() {
    let file = repo_path("tests/input/invalid/target-unknown.ron");
    let r = run(&["validate", &file]);
    assert_eq!(r.code, 1, "{r}");
    let first = r.stderr.lines().next().unwrap_or("");
    assert!(first.starts_with(&format!("{file}:")), "{r}");
    assert!(
        first.contains(": error: injects[0].incident.targets[1]: target `hospital` is not an asset of this scenario"),
        "{r}"
    );
    assert!(
        r.stderr
            .lines()
            .last()
            .unwrap_or("")
            .starts_with("error: invalid: "),
        "{r}"
    );
}

#[test]
fn validate_reports_every_file() {
    let good = repo_path("scenarios/quickstart.ron");
    let bad = repo_path("tests/input/invalid/norm-unknown.ron");
    let r = run(&["validate", &bad, &good]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stdout.contains("quickstart.ron: ok"), "{r}");
    assert!(r.stderr.contains("unknown norm `gge-13z`"), "{r}");
}

#[test]
fn validate_warnings_keep_exit_0() {
    let r = run(&[
        "validate",
        &repo_path("tests/input/invalid/warning-turn-beyond-turns.ron"),
    ]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stderr
            .contains(": warning: injects[0].trigger.Turn: turn 9 is after the last turn (3)"),
        "{r}"
    );
    assert!(r.stdout.contains("ok, 1 warning"), "{r}");
}

#[test]
fn validate_a_missing_file_exits_3() {
    let r = run(&["validate", "no/such/file.ron"]);
    assert_eq!(r.code, 3, "{r}");
    assert!(
        r.stderr
            .contains("cannot read no/such/file.ron: no such file or directory"),
        "{r}"
    );
}

#[test]
fn validate_an_unknown_bundled_id_exits_3_and_lists_the_bundled_ones() {
    let r = run(&["validate", "quikstart"]);
    assert_eq!(r.code, 3, "{r}");
    assert!(
        r.stderr
            .contains("`quikstart` is neither a file nor a bundled scenario (bundled: quickstart"),
        "{r}"
    );
}

#[test]
fn validate_a_file_that_is_not_text_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("binary.ron");
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x28]).expect("write");
    let r = run(&["validate", &path.display().to_string()]);
    assert_eq!(r.code, 3, "{r}");
    assert!(r.stderr.contains("it is not UTF-8 text"), "{r}");
}

#[test]
fn usage_errors_exit_2() {
    let r = run(&["validate"]);
    assert_eq!(r.code, 2, "{r}");
    let r = run(&["frobnicate"]);
    assert_eq!(r.code, 2, "{r}");
    let r = run(&["norms", "gge-13z"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("no norm has the id `gge-13z`"), "{r}");
    let r = run(&["norms", "--framework", "un-gge-2016"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("did you mean `un-gge-2015`?"), "{r}");
}

#[test]
fn every_command_has_help() {
    for cmd in ["validate", "norms", "scenarios", "graph"] {
        let r = run(&[cmd, "--help"]);
        assert_eq!(r.code, 0, "{cmd}: {r}");
        assert!(r.stdout.contains("Usage: cyberttx"), "{cmd}: {r}");
        assert!(r.stdout.contains("Exit codes:"), "{cmd}: {r}");
    }
}

#[test]
fn norms_lists_nine_frameworks() {
    let r = run(&["norms"]);
    assert_eq!(r.code, 0, "{r}");
    for id in [
        "un-gge-2015",
        "dgc",
        "tech-accord",
        "charter-of-trust",
        "paris-call",
        "pall-mall",
        "geneva-manual",
        "evidence-access",
        "osce-cbm",
    ] {
        assert!(r.stdout.contains(id), "{id} missing: {r}");
    }
    assert!(r.stdout.contains("9 frameworks, 69 norms"), "{r}");
}

#[test]
fn norms_of_one_framework() {
    let r = run(&["norms", "--framework", "pall-mall"]);
    assert_eq!(r.code, 0, "{r}");
    for id in ["pmp-acc", "pmp-pre", "pmp-ovs", "pmp-tra"] {
        assert!(r.stdout.contains(id), "{id} missing: {r}");
    }
}

#[test]
fn one_norm_in_full() {
    let r = run(&["norms", "gge-13b"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.starts_with("gge-13b — "), "{r}");
    assert!(r.stdout.contains("Good practice:"), "{r}");
    assert!(r.stdout.contains("Related:"), "{r}");
    assert!(r.stdout.contains("osce-3"), "{r}");
}

#[test]
fn a_broken_norms_dir_is_reported_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("bad.ron"), "(id: \"bad\", name: \"Bad\")").expect("write");
    let r = run(&["--norms-dir", &dir.path().display().to_string(), "norms"]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("bad.ron:1:"), "{r}");
    assert!(
        r.stderr
            .contains("missing required field `short` in the catalogue"),
        "{r}"
    );
}

#[test]
fn a_missing_norms_dir_exits_3() {
    let r = run(&["--norms-dir", "/no/such/dir", "norms"]);
    assert_eq!(r.code, 3, "{r}");
    assert!(r.stderr.contains("cannot read /no/such/dir"), "{r}");
}

#[test]
fn scenarios_lists_the_bundled_library() {
    let r = run(&["scenarios"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("quickstart"), "{r}");
    assert!(r.stdout.contains("Harbour Lights"), "{r}");
}

#[test]
fn graph_prints_dot_with_sectors_weights_and_critical_assets() {
    let r = run(&["graph", "quickstart"]);
    assert_eq!(r.code, 0, "{r}");
    let dot = &r.stdout;
    assert!(dot.contains("digraph \"quickstart\" {"), "{r}");
    assert!(dot.contains("St Brigid's hospital\\nst-brigid · Republic of Meridia\\npopulation 80,000\\n★ critical infrastructure"), "{r}");
    assert!(dot.contains("fillcolor=\"#f7a8a8\""), "health colour: {r}");
    assert!(
        dot.contains("label=\"0.8, backup 2 ticks\" dir=back"),
        "{r}"
    );
    assert!(dot.contains("peripheries=2"), "{r}");
    assert!(dot.trim_end().ends_with('}'), "{r}");
}

#[test]
fn graph_to_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("net.dot");
    let r = run(&["graph", "quickstart", "-o", &out.display().to_string()]);
    assert_eq!(r.code, 0, "{r}");
    let dot = std::fs::read_to_string(&out).expect("written");
    assert!(dot.starts_with("// Harbour Lights (quickstart)"), "{dot}");
}

#[test]
fn graph_of_an_invalid_scenario_exits_1() {
    let r = run(&[
        "graph",
        &repo_path("tests/input/invalid/dependency-self.ron"),
    ]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("asset `water` cannot depend on itself"),
        "{r}"
    );
    assert!(r.stdout.is_empty(), "{r}");
}

#[test]
fn validate_a_custom_catalogue_reports_each_problem_at_its_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("regional.ron");
    std::fs::write(
        &path,
        r#"(
    id: "regional",
    name: "Regional norms",
    short: "Regional",
    source: "Declaration, 2026",
    summary: "Norms of the region.",
    binds: [States],
    norms: [
        (id: "gge-13a", title: "Copy", summary: "s", binds: [States], guidance: "g"),
        (id: "r-1", title: "One", summary: "s", binds: [], guidance: "g", related: ["r-1", "osce-99"]),
    ],
)
"#,
    )
    .expect("write");
    let file = path.display().to_string();
    let r = run(&["validate", &file]);
    assert_eq!(r.code, 1, "{r}");
    let lines: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with(&file)).collect();
    let expected = [
        ":9:14: error: norms[0].id: norm id `gge-13a` is already used by framework `un-gge-2015`",
        ":10:56: error: norms[1].binds: `binds` must name at least one of States, Industry, NonState, All",
        ":10:85: error: norms[1].related[0]: norm `r-1` lists itself as related",
        ":10:92: error: norms[1].related[1]: related norm `osce-99` is in no catalogue (did you mean `osce-9`?)",
    ];
    assert_eq!(lines.len(), expected.len(), "{r}");
    for (line, want) in lines.iter().zip(expected) {
        assert_eq!(&line[file.len()..], want, "{r}");
    }
}
