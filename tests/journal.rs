//! The journal of `run --journal` and `replay`: determinism, divergence,
//! torn lines and bad journals.

mod common;
use common::{repo_path, run, run_in};
use std::path::Path;

fn record(dir: &Path, name: &str, scenario: &str) -> String {
    let journal = dir.join(name).display().to_string();
    let r = run_in(
        dir,
        &[
            "run",
            scenario,
            "--decisions",
            &repo_path("tests/input/decisions/quickstart.ron"),
            "--journal",
            &journal,
        ],
    );
    assert_eq!(r.code, 0, "{r}");
    journal
}

fn lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("journal")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_same_run_writes_the_same_journal_and_replay_verifies_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = record(dir.path(), "a.jsonl", "quickstart");
    let b = record(dir.path(), "b.jsonl", "quickstart");
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    let l = lines(&a);
    assert_eq!(l.len(), 7, "a header and six turns");
    assert!(
        l[0].starts_with(r#"{"type":"header","format":1,"program":"cyberttx "#),
        "{}",
        l[0]
    );
    assert!(
        l[1].starts_with(
            r#"{"type":"turn","turn":1,"decisions":{"harbourpower":[{"response":"isolate-network""#
        ),
        "{}",
        l[1]
    );
    let r = run(&["replay", &a]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.ends_with("verified 6 of 6 turns of `quickstart` (seed 2026): every turn ends in the recorded state\n"), "{r}");
}

#[test]
fn an_edited_journal_is_reported_at_the_first_turn_that_diverges() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = record(dir.path(), "q.jsonl", "quickstart");
    let mut l = lines(&path);
    // Take back Meridia's public attribution of turn 3.
    assert!(
        l[3].contains(r#""response":"attribute-publicly""#),
        "{}",
        l[3]
    );
    l[3] = l[3].replace(
        r#""response":"attribute-publicly""#,
        r#""response":"investigate""#,
    );
    std::fs::write(&path, l.join("\n") + "\n").expect("write");
    let r = run(&["replay", &path]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains(&format!(
            "error: {path}:4: turn 3 diverges from the journal: tension: journal "
        )),
        "{r}"
    );
}

#[test]
fn a_torn_last_line_is_dropped_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = record(dir.path(), "q.jsonl", "quickstart");
    let text = std::fs::read_to_string(&path).expect("journal");
    let cut = text.trim_end().len() - 40;
    std::fs::write(&path, &text[..cut]).expect("write");
    let r = run(&["replay", &path]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stderr.contains(
            "the last line was cut short (the program stopped while writing it); it is ignored"
        ),
        "{r}"
    );
    assert!(r.stdout.contains("verified 5 of 6 turns"), "{r}");
}

#[test]
fn bad_journals_are_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = lines(&record(dir.path(), "q.jsonl", "quickstart"));
    let write = |name: &str, content: String| {
        let p = dir.path().join(name).display().to_string();
        std::fs::write(&p, content).expect("write");
        p
    };
    let not_json = write(
        "a.jsonl",
        format!("{}\nthis is not JSON\n{}\n", good[0], good[1]),
    );
    let r = run(&["replay", &not_json]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains(&format!("{not_json}:2: not a line of a cyberttx journal")),
        "{r}"
    );

    let version = write(
        "b.jsonl",
        good[0].replace(r#""format":1"#, r#""format":99"#) + "\n",
    );
    let r = run(&["replay", &version]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains("journal format 99 is not supported (this program reads format 1)"),
        "{r}"
    );

    let unknown = write(
        "c.jsonl",
        good[0].replace(r#""scenario":"quickstart""#, r#""scenario":"atlantis""#) + "\n",
    );
    let r = run(&["replay", &unknown]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("the journal's scenario cannot be loaded: `atlantis` is neither a file nor a bundled scenario"), "{r}");

    let headless = write("d.jsonl", good[1].clone() + "\n");
    let r = run(&["replay", &headless]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains(":1: the journal does not start with its header"),
        "{r}"
    );

    let r = run(&[
        "replay",
        &dir.path().join("missing.jsonl").display().to_string(),
    ]);
    assert_eq!(r.code, 3, "{r}");
}

#[test]
fn a_journal_of_an_edited_scenario_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("harbour.ron");
    let text = std::fs::read_to_string(repo_path("scenarios/quickstart.ron")).expect("quickstart");
    std::fs::write(&scenario, &text).expect("write");
    let journal = record(dir.path(), "q.jsonl", "harbour.ron");
    let r = run_in(dir.path(), &["replay", &journal]);
    assert_eq!(r.code, 0, "{r}");
    std::fs::write(&scenario, text.replace("damage: 0.45", "damage: 0.55")).expect("edit");
    let r = run_in(dir.path(), &["replay", &journal]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains("was recorded with another version of harbour.ron (its SHA-256 differs)"),
        "{r}"
    );
}
