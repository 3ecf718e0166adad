//! `cyberttx run` on the real binary: the readable summary, the JSON
//! contract, decision files, bots and determinism.

mod common;
use common::{repo_path, run};
use serde_json::Value;

fn json(args: &[&str]) -> (String, Value) {
    let r = run(args);
    assert_eq!(r.code, 0, "{r}");
    let v: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {r}"));
    (r.stdout, v)
}

#[test]
fn the_json_report_follows_the_contract() {
    let (_, r) = json(&["run", "quickstart", "--json"]);
    assert_eq!(r["scenario"]["id"], "quickstart");
    assert_eq!(r["scenario"]["title"], "Harbour Lights");
    assert_eq!(r["seed"], 2026, "the scenario's seed by default");
    let turns = r["turns"].as_array().expect("turns");
    assert_eq!(turns.len(), 6);
    let t1 = &turns[0];
    assert_eq!(t1["turn"], 1);
    assert_eq!(t1["fired"], serde_json::json!(["grid-ransomware"]));
    for key in ["decisions", "rejected"] {
        assert!(t1[key].is_array(), "{key}");
    }
    let d = &t1["decisions"][0];
    for key in ["actor", "response", "target", "rationale"] {
        assert!(d.get(key).is_some(), "decision.{key}");
    }
    assert_eq!(
        t1["service"].as_object().expect("service").len(),
        8,
        "every asset"
    );
    assert!(t1["impact"].is_f64());
    assert!(t1["tension"].is_u64());
    let a = &r["assessments"][0];
    for key in [
        "turn",
        "actor",
        "norm",
        "framework",
        "score",
        "weighted",
        "committed",
        "source",
        "response",
        "note",
    ] {
        assert!(a.get(key).is_some(), "assessment.{key}");
    }
    assert!(
        ["decision", "obligation", "adjudication"].contains(&a["source"].as_str().unwrap_or(""))
    );
    assert!(r["attributions"].is_array());
    let card = r["scorecard"].as_object().expect("scorecard");
    assert_eq!(card.len(), 5, "every actor");
    assert!(card["valdoria"]["raw"].is_i64() && card["valdoria"]["weighted"].is_i64());
}

#[test]
fn the_same_run_twice_is_byte_identical_and_another_seed_differs() {
    let (a, _) = json(&["run", "quickstart", "--json", "--seed", "11"]);
    let (b, _) = json(&["run", "quickstart", "--json", "--seed", "11"]);
    assert_eq!(a, b);
    let others: std::collections::BTreeSet<String> = (12..16)
        .map(|seed| json(&["run", "quickstart", "--json", "--seed", &seed.to_string()]).0)
        .collect();
    assert!(others.iter().any(|o| *o != a), "no seed changed anything");
}

#[test]
fn a_decision_file_decides_for_its_actors_and_the_rest_follow_their_policy() {
    let (_, r) = json(&[
        "run",
        "quickstart",
        "--json",
        "--decisions",
        &repo_path("tests/input/decisions/quickstart.ron"),
        "--bots",
        "valdoria=Passive,norland=Passive",
    ]);
    let t1 = &r["turns"][0]["decisions"];
    let first = t1
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["actor"] == "harbourpower")
        .expect("harbourpower decided");
    assert_eq!(first["response"], "isolate-network");
    assert_eq!(first["target"], "grid-control");
    assert_eq!(first["rationale"], "Stop the spread before anything else");
    for turn in r["turns"].as_array().expect("turns") {
        for d in turn["decisions"].as_array().expect("decisions") {
            assert!(d["actor"] != "valdoria" && d["actor"] != "norland", "{d}");
        }
    }
    let attributed = r["attributions"]
        .as_array()
        .expect("attributions")
        .iter()
        .find(|a| a["actor"] == "meridia")
        .expect("meridia attributed in turn 3");
    assert_eq!(attributed["turn"], 3);
    assert_eq!(attributed["incident"], "grid-ransomware");
}

#[test]
fn the_summary_reads_turn_by_turn() {
    let r = run(&[
        "run",
        "quickstart",
        "--decisions",
        &repo_path("tests/input/decisions/quickstart.ron"),
    ]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.starts_with("Turn 1 of 6 (4 hours)\n  Inject: Screens locked at the control centre (grid-ransomware)\n"), "{r}");
    assert!(r.stdout.contains("  HarbourPower Utilities: isolate-network on grid-control — Stop the spread before anything else\n"), "{r}");
    assert!(r.stdout.contains("  Service: Energy "), "{r}");
    assert!(r.stdout.contains("  Civilian impact: "), "{r}");
    assert!(
        r.stdout
            .contains("Scorecard (raw / weighted; committed frameworks count double)"),
        "{r}"
    );
}

#[test]
fn decision_file_problems_are_reported_with_positions_and_exit_1() {
    let file = repo_path("tests/input/decisions/broken.ron");
    let r = run(&["run", "quickstart", "--decisions", &file]);
    assert_eq!(r.code, 1, "{r}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    let expected = [
        ":2:22: error: [0].actor: `harbourpowr` is not an actor of the scenario (did you mean `harbourpower`?)",
        ":3:12: error: [1].turn: turn 9 is outside the scenario's turns (1 to 6)",
        ":4:75: error: [2].target: `water-works` is operated by `meridia`, not by `harbourpower`",
        ":5:43: error: [3].response: `counter-strik` is not a response of the scenario (did you mean `counter-strike`?)",
        ":6:67: error: [4].target: `atlantis` is not an actor of the scenario",
    ];
    for (line, want) in lines.iter().zip(expected) {
        assert_eq!(line.strip_prefix(&file), Some(want), "{r}");
    }
    assert!(r.stdout.is_empty(), "{r}");
}

#[test]
fn bad_bots_and_missing_files_are_usage_and_io_errors() {
    let r = run(&["run", "quickstart", "--bots", "atlantis=Random"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr
            .contains("--bots: `atlantis` is not an actor of this scenario"),
        "{r}"
    );
    let r = run(&["run", "quickstart", "--bots", "meridia=Chaotic"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("unknown policy `Chaotic`"), "{r}");
    let r = run(&["run", "quickstart", "--decisions", "no-such.ron"]);
    assert_eq!(r.code, 3, "{r}");
    assert!(r.stderr.contains("cannot read no-such.ron"), "{r}");
}
