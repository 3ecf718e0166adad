//! The after-action report: golden files, scores traced to their cause,
//! self-contained HTML, determinism in every format, and bad journals.
//!
//! `UPDATE_GOLDEN=1 cargo test --test report` rewrites the golden files;
//! review their diff like code.

mod common;
use common::{repo_path, root, run, run_in};
use cyberttx::engine::{Adjudication, Choice, Engine, LedgerEntry, Source};
use cyberttx::norms::NormSet;
use cyberttx::report::Report;
use cyberttx::scenario::{self, Policy};
use cyberttx::session::{self, Session};
use std::collections::BTreeMap;
use std::path::Path;

/// Records quickstart with the committed decision file, seed and date.
fn record(dir: &Path) -> String {
    let journal = dir.join("q.jsonl").display().to_string();
    let r = run_in(
        dir,
        &[
            "run",
            "quickstart",
            "--seed",
            "2026",
            "--decisions",
            &repo_path("tests/input/decisions/quickstart.ron"),
            "--date",
            "2026-11-22",
            "--journal",
            &journal,
        ],
    );
    assert_eq!(r.code, 0, "{r}");
    journal
}

fn report(journal: &str, format: &str) -> String {
    let r = run(&["report", journal, "--format", format]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.stderr, "", "{r}");
    r.stdout
}

fn golden(name: &str, got: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).expect("golden file written");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want != got {
        let first = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  now:    {:?}\n(if the change is intended: UPDATE_GOLDEN=1 cargo test --test report, and review the diff)",
            first + 1,
            want.lines().nth(first).unwrap_or("<end>"),
            got.lines().nth(first).unwrap_or("<end>")
        );
    }
}

#[test]
fn quickstart_reports_match_the_golden_files_and_every_format_is_repeatable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = record(dir.path());
    let md = report(&journal, "md");
    golden("quickstart.md", &md);
    let json = report(&journal, "json");
    golden("quickstart.json", &json);
    // A second recording of the same exercise gives the same bytes, in every format.
    let again = tempfile::tempdir().expect("temp dir");
    let journal2 = record(again.path());
    for format in ["md", "html", "json", "csv"] {
        assert_eq!(
            report(&journal, format),
            report(&journal2, format),
            "{format} differs between two reports of the same exercise"
        );
    }
    // -o writes the same bytes as standard output.
    let out = dir.path().join("q.md");
    let r = run(&["report", &journal, "-o", &out.display().to_string()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{r}");
    assert_eq!(std::fs::read_to_string(&out).expect("written"), md);
}

#[test]
fn the_markdown_report_has_every_section_and_traces_scores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = report(&record(dir.path()), "md");
    for heading in [
        "# After-action report: Harbour Lights",
        "## 1. Exercise overview",
        "### Objectives",
        "### Participants",
        "## 2. Timeline",
        "### Turn 1",
        "## 3. Outcomes",
        "## 4. Norm scorecard",
        "## 5. Strengths and areas for improvement",
        "## 6. Improvement plan",
    ] {
        assert!(
            md.lines().any(|l| l == heading),
            "missing {heading:?} in\n{md}"
        );
    }
    assert!(md.contains("exercise date 2026-11-22"), "{md}");
    // The decision behind a score, with its rationale in the timeline.
    assert!(
        md.contains("**Republic of Meridia**: Publicly name the state behind the attack — Screens locked at the control centre. *Rationale:* The evidence now points at Valdoria"),
        "{md}"
    );
}

#[test]
fn the_html_report_is_self_contained_well_formed_and_has_its_charts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = report(&record(dir.path()), "html");
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
        "{html}"
    );
    assert!(html.ends_with("</html>\n"));
    // No external request: the only URL is the SVG namespace.
    let urls = html.matches("http").count();
    let namespaces = html.matches("http://www.w3.org/2000/svg").count();
    assert_eq!(urls, namespaces, "an external URL in the page");
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("<link"), "no linked stylesheets");
    // The five charts.
    assert_eq!(html.matches("<svg").count(), 5, "five charts");
    for title in [
        "Civilian impact",
        "Service by sector",
        "Tension",
        "Norm scores per actor",
        "Infrastructure at the end",
    ] {
        assert!(html.contains(title), "missing {title}");
    }
    assert!(html.contains("@media print"), "a print stylesheet");
    assert_balanced(&html);
}

/// Every element opened is closed, in order (void elements excepted).
fn assert_balanced(html: &str) {
    const VOID: [&str; 4] = ["meta", "br", "hr", "img"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("a tag ends");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if tag.starts_with('/') {
            let open = stack.pop();
            assert_eq!(
                open.as_deref(),
                Some(name.as_str()),
                "</{name}> closes the wrong element"
            );
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn the_csv_ledger_has_a_row_per_assessment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = record(dir.path());
    let csv = report(&journal, "csv");
    let json: serde_json::Value =
        serde_json::from_str(&report(&journal, "json")).expect("json parses");
    let assessments = json["assessments"].as_array().expect("a list").len();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "number,turn,actor,norm,framework,score,weighted,committed,source,response,target,note,replaces,overridden"
        )
    );
    assert_eq!(lines.count(), assessments);
    assert!(
        csv.contains("\n6,1,harbourpower,gm-13g,geneva-manual,1,1,false,decision,isolate-network,grid-control,Took its compromised systems off the network to stop the spread,,false\n"),
        "{csv}"
    );
}

// Scores traced: a decision, an omission and an adjudication each make an
// exact ledger entry, which the report shows beside its cause.

fn norms() -> NormSet {
    NormSet::load(None).expect("catalogues")
}

/// A quickstart session journaled in `dir`, every actor passive.
fn quiet_session(dir: &Path) -> (Session, String) {
    let norms = norms();
    let (src, s, _) = scenario::load("quickstart", &norms).expect("bundled");
    let bots: BTreeMap<String, Policy> = s
        .actors
        .iter()
        .map(|a| (a.id.to_string(), Policy::Passive))
        .collect();
    let header = session::header(
        "quickstart",
        "quickstart",
        &src.text,
        2026,
        bots,
        None,
        BTreeMap::new(),
    );
    let engine = Engine::new(s, &norms, 2026).expect("engine");
    let path = dir.join("s.jsonl");
    let session = Session::new(engine, header, Some(&path)).expect("session");
    (session, path.display().to_string())
}

/// One ledger row, written in the order the CSV export shows it.
#[allow(clippy::too_many_arguments)]
fn entry(
    turn: u32,
    actor: &str,
    norm: &str,
    framework: &str,
    (score, weighted, committed): (i32, i32, bool),
    source: Source,
    response: Option<&str>,
    target: Option<&str>,
    note: &str,
) -> LedgerEntry {
    LedgerEntry {
        turn,
        actor: actor.into(),
        norm: norm.into(),
        framework: framework.into(),
        score,
        weighted,
        committed,
        source,
        response: response.map(Into::into),
        target: target.map(str::to_owned),
        note: note.into(),
        replaces: None,
        overridden: false,
    }
}

fn md_of(journal: &str) -> String {
    let opened = session::open(Path::new(journal), &norms(), None).expect("journal opens");
    Report::build(&opened.session, &norms()).to_markdown()
}

#[test]
fn a_decision_makes_its_exact_ledger_entry_and_the_report_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut s, journal) = quiet_session(dir.path());
    let mut turn = BTreeMap::new();
    turn.insert(
        "harbourpower".to_owned(),
        vec![Choice {
            response: "report-to-cert".to_owned(),
            target: Some("grid-ransomware".to_owned()),
            rationale: "The CERT must know".to_owned(),
        }],
    );
    s.play_turn(turn).expect("turn 1");
    assert_eq!(
        s.engine.ledger(),
        &[
            entry(
                1,
                "harbourpower",
                "cot-8",
                "charter-of-trust",
                (2, 4, true),
                Source::Decision,
                Some("report-to-cert"),
                Some("grid-ransomware"),
                "Reported the incident promptly to the national CERT"
            ),
            entry(
                1,
                "harbourpower",
                "gm-13h",
                "geneva-manual",
                (1, 1, false),
                Source::Decision,
                Some("report-to-cert"),
                Some("grid-ransomware"),
                "Shared information with the CERT"
            ),
        ]
    );
    let md = md_of(&journal);
    assert!(
        md.contains("  - #1 turn 1, +2 / +4: decision “Report the incident to CERT-Meridia” on Screens locked at the control centre: Reported the incident promptly to the national CERT"),
        "{md}"
    );
}

#[test]
fn an_omission_makes_its_exact_ledger_entry_and_an_improvement_action() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut s, journal) = quiet_session(dir.path());
    s.play_turn(BTreeMap::new()).expect("turn 1");
    assert_eq!(
        s.engine.ledger(),
        &[],
        "a turn to report before the omission counts"
    );
    s.play_turn(BTreeMap::new()).expect("turn 2");
    assert_eq!(
        s.engine.ledger(),
        &[entry(
            2,
            "harbourpower",
            "cot-8",
            "charter-of-trust",
            (-1, -2, true),
            Source::Obligation,
            None,
            None,
            "Has not reported the ransomware on its network to the national CERT"
        )]
    );
    let md = md_of(&journal);
    assert!(
        md.contains("  - #1 turn 2, -1 / -2: omission: Has not reported the ransomware on its network to the national CERT"),
        "{md}"
    );
    let guidance = norms().norm("cot-8").expect("cot-8").1.guidance.clone();
    assert!(
        md.contains(&format!("   *Corrective action:* {guidance}")),
        "{md}"
    );
}

#[test]
fn an_adjudication_adds_or_overrides_an_entry_and_survives_the_journal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut s, journal) = quiet_session(dir.path());
    s.play_turn(BTreeMap::new()).expect("turn 1");
    s.play_turn(BTreeMap::new()).expect("turn 2");
    let added = s
        .adjudicate(&Adjudication {
            actor: "meridia".to_owned(),
            norm: "gge-13b".to_owned(),
            score: 2,
            reason: "Briefed allies before any public statement".to_owned(),
            replaces: None,
        })
        .expect("adjudicated");
    let overriding = s
        .adjudicate(&Adjudication {
            actor: "harbourpower".to_owned(),
            norm: "cot-8".to_owned(),
            score: 0,
            reason: "It phoned the CERT; the form came later".to_owned(),
            replaces: Some(0),
        })
        .expect("overridden");
    assert_eq!((added, overriding), (1, 2));
    s.note("Teams asked for a break after turn 2")
        .expect("noted");

    let opened = session::open(Path::new(&journal), &norms(), None).expect("journal opens");
    let ledger = opened.session.engine.ledger();
    let mut omission = entry(
        2,
        "harbourpower",
        "cot-8",
        "charter-of-trust",
        (-1, -2, true),
        Source::Obligation,
        None,
        None,
        "Has not reported the ransomware on its network to the national CERT",
    );
    omission.overridden = true;
    let mut replacement = entry(
        3,
        "harbourpower",
        "cot-8",
        "charter-of-trust",
        (0, 0, true),
        Source::Adjudication,
        None,
        None,
        "It phoned the CERT; the form came later",
    );
    replacement.replaces = Some(0);
    assert_eq!(
        ledger,
        &[
            omission,
            entry(
                3,
                "meridia",
                "gge-13b",
                "un-gge-2015",
                (2, 4, true),
                Source::Adjudication,
                None,
                None,
                "Briefed allies before any public statement"
            ),
            replacement,
        ]
    );
    let card = cyberttx::report::scorecard(&opened.session.engine);
    assert_eq!(
        (card["harbourpower"].raw, card["harbourpower"].weighted),
        (0, 0),
        "the overridden omission no longer counts"
    );
    assert_eq!(card["meridia"].weighted, 4);
    let md = Report::build(&opened.session, &norms()).to_markdown();
    assert!(md.contains("- facilitator's adjudication, overriding assessment #1 of HarbourPower Utilities on cot-8 (+0): It phoned the CERT; the form came later"), "{md}");
    assert!(
        md.contains("- Teams asked for a break after turn 2"),
        "{md}"
    );
}

#[test]
fn refused_adjudications_say_why_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut s, _) = quiet_session(dir.path());
    s.play_turn(BTreeMap::new()).expect("turn 1");
    s.play_turn(BTreeMap::new()).expect("turn 2");
    let digest = s.engine.digest();
    let adj =
        |actor: &str, norm: &str, score: i32, reason: &str, replaces: Option<usize>| Adjudication {
            actor: actor.to_owned(),
            norm: norm.to_owned(),
            score,
            reason: reason.to_owned(),
            replaces,
        };
    for (a, message) in [
        (
            adj("atlantis", "gge-13b", 1, "r", None),
            "`atlantis` is not an actor of this scenario",
        ),
        (
            adj("meridia", "gge-99", 1, "r", None),
            "`gge-99` is not a norm of the frameworks in force in this exercise (`cyberttx norms` lists them)",
        ),
        (
            adj("meridia", "gge-13b", 4, "r", None),
            "the score must be a whole number from -3 to 3, not 4",
        ),
        (
            adj("meridia", "gge-13b", 1, " ", None),
            "an adjudication needs a reason: it is shown in the report beside the score",
        ),
        (
            adj("meridia", "gge-13b", 1, "r", Some(9)),
            "there is no assessment #10 (the ledger has 1)",
        ),
        (
            adj("meridia", "gge-13b", 1, "r", Some(0)),
            "assessment #1 is of harbourpower against cot-8; an override keeps its actor and norm",
        ),
    ] {
        let e = s.adjudicate(&a).expect_err("refused");
        assert_eq!(e.to_string(), message);
    }
    assert_eq!(s.engine.digest(), digest, "nothing changed");
    assert_eq!(s.engine.ledger().len(), 1);
}

// Bad journals: a clear error and exit 1.

fn bad(text: &str) -> common::Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, text).expect("written");
    run(&["report", &path.display().to_string()])
}

fn header_line(journal: &str) -> String {
    std::fs::read_to_string(journal)
        .expect("journal")
        .lines()
        .next()
        .expect("a header")
        .to_owned()
}

#[test]
fn bad_journals_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = record(dir.path());
    let header = header_line(&journal);

    let r = bad("this is not a journal\n");
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains("bad.jsonl:1: not a line of a cyberttx journal"),
        "{r}"
    );

    let r = bad(&format!(
        "{}\n",
        header.replace("\"format\":1", "\"format\":9")
    ));
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains(
            "bad.jsonl:1: journal format 9 is not supported (this program reads format 1)"
        ),
        "{r}"
    );

    let r = bad(&format!(
        "{}\n",
        header.replace("\"scenario\":\"quickstart\"", "\"scenario\":\"atlantis\"")
    ));
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("the journal's scenario cannot be loaded: `atlantis` is neither a file nor a bundled scenario"), "{r}");
    assert!(r.stderr.contains("give it with --scenario FILE"), "{r}");

    let r = bad(&format!(
        "{}\n",
        header.replace("cyberttx 0", "cyberttx 99")
    ));
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("was recorded by cyberttx 99"), "{r}");

    // Cut inside the header: nothing to report on.
    let r = bad(&header[..40]);
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains("bad.jsonl:1: the journal is empty: no header"),
        "{r}"
    );

    let r = run(&[
        "report",
        &dir.path().join("missing.jsonl").display().to_string(),
    ]);
    assert_eq!(r.code, 3, "{r}");
}

#[test]
fn a_journal_cut_in_its_last_line_reports_the_turns_before_it_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = record(dir.path());
    let text = std::fs::read_to_string(&journal).expect("journal");
    let cut = &text[..text.len() - 30];
    std::fs::write(&journal, cut).expect("written");
    let r = run(&["report", &journal, "--format", "json"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.contains("the last line was cut short"), "{r}");
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(json["turns"].as_array().map(Vec::len), Some(5));
}
