//! `cyberttx play`: a scripted session from start to report, wrong entries
//! that change nothing, and sessions killed at any entry that resume as if
//! nothing had happened.

mod common;

use common::{run_in, run_with_input};
use cyberttx::engine::Engine;
use cyberttx::norms::NormSet;
use cyberttx::play::{Ending, Play, Terminal};
use cyberttx::scenario;
use cyberttx::session::{self, Session};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = include_str!("input/play/quickstart.txt");

fn args(journal: &str) -> Vec<&str> {
    vec![
        "play",
        "--team",
        "meridia=Red",
        "--team",
        "harbourpower=Blue",
        "--journal",
        journal,
        "--date",
        "2026-11-30",
    ]
}

/// The text between the first line that starts with `from` and the next
/// line that starts with `to` (a section of the transcript).
fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in\n{text}"));
    let rest = &text[start + from.len()..];
    let end = rest.find(to).unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn a_scripted_session_plays_quickstart_to_its_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run_with_input(dir.path(), &args("q.jsonl"), SCRIPT);
    assert_eq!(r.code, 0, "{r}");
    let out = &r.stdout;
    assert!(out.contains("cyberttx · Harbour Lights\n"), "{r}");
    assert!(
        out.contains("Journal: q.jsonl (every entry is saved the moment it is accepted)"),
        "{r}"
    );
    // The injects of turn 1 are read out with the actors they are for.
    assert!(out.contains("  ▸ Screens locked at the control centre  (`grid-ransomware`; for CERT-Meridia, HarbourPower Utilities)"), "{r}");
    // Fog of war: the utility sees its incident; the government does not yet.
    let red = section(
        out,
        "─── Republic of Meridia (Red) · turn 1",
        "Red · Republic of Meridia>",
    );
    assert!(red.contains("Incidents you know of\n  none\n"), "{red}");
    assert!(!red.contains("grid-ransomware"), "{red}");
    let blue = section(
        out,
        "─── HarbourPower Utilities (Blue) · turn 1",
        "Blue · HarbourPower Utilities>",
    );
    assert!(
        blue.contains("  Screens locked at the control centre (grid-ransomware): Ransomware, active;\n  your evidence points at Kingdom of Norland (confidence 30%)\n"),
        "{blue}"
    );
    assert!(
        blue.contains("  3. Report the incident to CERT-Meridia · 1 point\n"),
        "{blue}"
    );
    // Entries are confirmed back.
    assert!(out.contains("Added: “Report the incident to CERT-Meridia” on Screens locked at the control centre (grid-ransomware) — The CERT must know. 0 of 2 action points left."), "{r}");
    // The public summary shows the cascade: the substation goes down in
    // turn 1; the water works and the hospital behind it follow in turn 2.
    let t1 = section(out, "━━━ Results of turn 1 ━━━", "━━━ Turn 2");
    assert!(
        t1.contains("  - Eastern substation (Energy, HarbourPower Utilities) went down: service 29%\n    (was operational)\n"),
        "{t1}"
    );
    let t2 = section(out, "━━━ Results of turn 2 ━━━", "━━━ Turn 3");
    assert!(
        t2.contains("  - Port Meridia water works (Water, Republic of Meridia) became degraded:"),
        "{t2}"
    );
    assert!(
        t2.contains("  - St Brigid's hospital (Health, Republic of Meridia) became degraded:"),
        "{t2}"
    );
    // Decisions stay private: the summary names no response.
    assert!(!t1.contains("Isolate"), "{t1}");
    assert!(out.contains("Assessment #"), "{r}");
    assert!(
        out.ends_with(
            "The exercise is over. The after-action report:\n  q.report.md\n  q.report.html\n"
        ),
        "{r}"
    );
    let md = std::fs::read_to_string(dir.path().join("q.report.md")).expect("report");
    assert!(
        md.contains("| Republic of Meridia | State | Red | — (the team decided every turn) |"),
        "{md}"
    );
    assert!(
        md.contains("- Red asked whether Norland had been consulted"),
        "{md}"
    );
    assert!(md.contains("Chaired the crisis cell well"), "{md}");
    let html = std::fs::read_to_string(dir.path().join("q.report.html")).expect("report");
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The journal replays to the same state.
    let replay = run_in(dir.path(), &["replay", "q.jsonl"]);
    assert_eq!(replay.code, 0, "{replay}");
}

/// Plays `script` in-process on a fresh quickstart session journaled in
/// `journal`, Red and Blue played by teams; the transcript and the ending.
fn play_in_process(journal: &Path, script: &str) -> (String, Ending) {
    let norms = NormSet::load(None).expect("catalogues");
    let (src, s, _) = scenario::load("quickstart", &norms).expect("bundled");
    let teams: BTreeMap<String, String> = [("meridia", "Red"), ("harbourpower", "Blue")]
        .into_iter()
        .map(|(a, t)| (a.to_owned(), t.to_owned()))
        .collect();
    let header = session::header(
        "quickstart",
        "quickstart",
        &src.text,
        2026,
        BTreeMap::new(),
        Some("2026-11-30".to_owned()),
        teams,
    );
    let engine = Engine::new(s, &norms, 2026).expect("engine");
    let session = Session::new(engine, header, Some(journal)).expect("session");
    let mut input = std::io::Cursor::new(script.as_bytes().to_vec());
    let mut output: Vec<u8> = Vec::new();
    let ending = Play::new(
        session,
        &norms,
        journal,
        Terminal {
            input: &mut input,
            output: &mut output,
            colour: false,
            echo: true,
        },
    )
    .run(false)
    .expect("plays");
    (String::from_utf8_lossy(&output).into_owned(), ending)
}

#[test]
fn wrong_entries_get_their_message_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = "\
3 valdoria The servers are on their territory
restore-backups water-works Prepare the water works
done
skip
quit
";
    let wrong = [
        ("9 valdoria", "there is no response 9: choose 1 to 4"),
        (
            "3 atlantis",
            "`atlantis` is not a target of 3 (Request assistance through the national point of contact) now: 1 cert-meridia, 2 harbourpower, 3 valdoria, 4 norland",
        ),
        (
            "3",
            "3 (Request assistance through the national point of contact) needs a target: 1 cert-meridia, 2 harbourpower, 3 valdoria, 4 norland; e.g. `3 cert-meridia RATIONALE`",
        ),
        (
            "dance",
            "`dance` is neither a command nor a response; `help` lists the commands",
        ),
        (
            "attribute-publicly grid-ransomware",
            "`attribute-publicly` is not available to Republic of Meridia now",
        ),
        (
            "undo",
            "Republic of Meridia has no choice to take back this turn",
        ),
        ("done now", "`done` takes nothing after it"),
        ("note", "write `note` and the text of the note"),
        (
            "inject atlantis",
            "`atlantis` is not an inject of this scenario",
        ),
        (
            "adjudicate meridia gge-99 1 Because",
            "`gge-99` is not a norm of the frameworks in force in this exercise (`cyberttx norms` lists them)",
        ),
        (
            "adjudicate #99 1 Because",
            "there is no assessment #99 (there are 0 so far; `status` lists them)",
        ),
        (
            "adjudicate meridia gge-13a 5 Because",
            "the score must be a whole number from -3 to 3, not 5",
        ),
    ];
    let after_first = [
        (
            "3 valdoria Again",
            "Republic of Meridia has already chosen `request-assistance` on `valdoria` this turn",
        ),
        (
            "restore-backups merinet One more",
            "`restore-backups` costs 2 action points; Republic of Meridia has 0 left this turn",
        ),
    ];
    let mut script = String::new();
    for (line, _) in &wrong {
        script.push_str(line);
        script.push('\n');
    }
    let mut good_lines = good.lines();
    for line in good_lines.by_ref().take(2) {
        script.push_str(line);
        script.push('\n');
    }
    for (line, _) in &after_first {
        script.push_str(line);
        script.push('\n');
    }
    for line in good_lines {
        script.push_str(line);
        script.push('\n');
    }
    let (good_out, good_end) = play_in_process(&dir.path().join("good.jsonl"), good);
    let (out, end) = play_in_process(&dir.path().join("wrong.jsonl"), &script);
    assert_eq!(
        (&good_end, &end),
        (&Ending::Quit, &Ending::Quit),
        "{good_out}\n{out}"
    );
    for (line, message) in wrong.iter().chain(after_first.iter()) {
        let expected = format!("Red · Republic of Meridia> {line}\n{message}\n");
        assert!(out.contains(&expected), "missing {expected:?} in\n{out}");
    }
    let read = |name: &str| std::fs::read(dir.path().join(name)).expect("journal");
    assert_eq!(
        read("good.jsonl"),
        read("wrong.jsonl"),
        "the wrong entries left no trace in the journal"
    );
}

#[test]
fn undo_takes_back_the_last_choice_and_the_journal_keeps_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("u.jsonl");
    let (out, _) = play_in_process(
        &journal,
        "3 valdoria First thought\n4 norland Second thought\nundo\ndone\nquit\n",
    );
    assert!(out.contains("Taken back: “Open consultations on the hotline” on Kingdom of Norland (norland) — Second thought. 2 of 3 action points left.\n"), "{out}");
    assert!(out.contains("Confirmed for Republic of Meridia:\n  - “Request assistance through the national point of contact” on Federation of Valdoria (valdoria) — First thought\n"), "{out}");
    let norms = NormSet::load(None).expect("catalogues");
    let opened = session::open(&journal, &norms, None).expect("opens");
    assert_eq!(opened.session.drafts("meridia").len(), 1);
    assert!(opened.session.is_confirmed("meridia"));
}

/// Lines of a file (complete ones).
fn line_count(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

/// The number of journal lines written once the first `n` entries of the
/// script are in: the header, one line per entry, and the turn lines that
/// follow the entry that completed a turn.
fn lines_after(journal: &[String], n: usize) -> usize {
    let mut entries = 0;
    let mut k = 1;
    while k < journal.len() && entries < n {
        if !journal[k].starts_with(r#"{"type":"turn""#) {
            entries += 1;
        }
        k += 1;
    }
    while k < journal.len() && journal[k].starts_with(r#"{"type":"turn""#) {
        k += 1;
    }
    k
}

/// Starts `play`, gives it the first `n` lines of the script, waits until
/// they are journaled, and kills it (SIGKILL).
fn kill_after(dir: &Path, n: usize, expected_lines: usize) {
    let script: Vec<&str> = SCRIPT.lines().collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cyberttx"))
        .args(args("k.jsonl"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    for line in &script[..n] {
        writeln!(stdin, "{line}").expect("written");
    }
    stdin.flush().expect("flushed");
    let journal = dir.join("k.jsonl");
    let start = Instant::now();
    while line_count(&journal) < expected_lines {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "after {n} entries the journal has {} lines, not {expected_lines}",
            line_count(&journal)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("killed");
    child.wait().expect("reaped");
    drop(stdin);
}

#[test]
fn a_session_killed_after_any_entry_resumes_as_if_nothing_happened() {
    let whole = tempfile::tempdir().expect("temp dir");
    let r = run_with_input(whole.path(), &args("k.jsonl"), SCRIPT);
    assert_eq!(r.code, 0, "{r}");
    let journal = std::fs::read_to_string(whole.path().join("k.jsonl")).expect("journal");
    let report = std::fs::read_to_string(whole.path().join("k.report.md")).expect("report");
    let journal_lines: Vec<String> = journal.lines().map(str::to_owned).collect();
    let script: Vec<&str> = SCRIPT.lines().collect();
    // After a choice, after a turn's last confirmation, after a note, after
    // a skip, and in the debrief.
    for n in [1, 6, 8, 13, script.len() - 1] {
        let dir = tempfile::tempdir().expect("temp dir");
        kill_after(dir.path(), n, lines_after(&journal_lines, n));
        let rest: String = script[n..].iter().map(|l| format!("{l}\n")).collect();
        let resumed = run_with_input(dir.path(), &["play", "--resume", "k.jsonl"], &rest);
        assert_eq!(resumed.code, 0, "resumed after {n} entries: {resumed}");
        assert!(resumed.stdout.contains("(resumed)"), "{resumed}");
        let again = std::fs::read_to_string(dir.path().join("k.jsonl")).expect("journal");
        assert!(
            again == journal,
            "after a kill at entry {n}, the journal differs:\n{again}\n---\n{journal}"
        );
        let report_again = std::fs::read_to_string(dir.path().join("k.report.md")).expect("report");
        assert_eq!(report_again, report, "after a kill at entry {n}");
    }
}

#[test]
fn a_torn_last_line_is_dropped_and_the_session_goes_on() {
    let whole = tempfile::tempdir().expect("temp dir");
    let r = run_with_input(whole.path(), &args("k.jsonl"), SCRIPT);
    assert_eq!(r.code, 0, "{r}");
    let journal = std::fs::read_to_string(whole.path().join("k.jsonl")).expect("journal");
    let journal_lines: Vec<String> = journal.lines().map(str::to_owned).collect();
    let script: Vec<&str> = SCRIPT.lines().collect();
    let n = 4;
    let dir = tempfile::tempdir().expect("temp dir");
    kill_after(dir.path(), n, lines_after(&journal_lines, n));
    let path = dir.path().join("k.jsonl");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("journal");
    f.write_all(br#"{"type":"choice","turn":1,"actor":"harbo"#)
        .expect("torn");
    drop(f);
    let rest: String = script[n..].iter().map(|l| format!("{l}\n")).collect();
    let resumed = run_with_input(dir.path(), &["play", "--resume", "k.jsonl"], &rest);
    assert_eq!(resumed.code, 0, "{resumed}");
    assert!(
        resumed.stderr.contains("warning: k.jsonl: the last line was cut short (the program stopped while writing it); it is dropped"),
        "{resumed}"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("journal"), journal);
}

#[test]
fn without_a_journal_name_one_is_made_and_quit_says_how_to_resume() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run_with_input(
        dir.path(),
        &["play", "--team", "harbourpower=Blue"],
        "quit\n",
    );
    assert_eq!(r.code, 0, "{r}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let name = &names[0];
    assert!(
        name.starts_with("quickstart-") && name.ends_with(".jsonl"),
        "{name}"
    );
    assert!(r.stdout.contains(&format!("Journal: {name} ")), "{r}");
    assert!(
        r.stdout.ends_with(&format!(
            "Stopped. Everything entered is saved in {name}; go on from here with\n  cyberttx play --resume {name}\n"
        )),
        "{r}"
    );
    // The same name again is refused rather than overwritten.
    let again = run_with_input(
        dir.path(),
        &["play", "--team", "harbourpower=Blue", "--journal", name],
        "quit\n",
    );
    assert_eq!(again.code, 2, "{again}");
    assert!(again.stderr.contains(&format!("error: {name} already exists: go on with that session with `cyberttx play --resume {name}`, or choose another --journal")), "{again}");
}

#[test]
fn without_teams_the_facilitator_is_asked_who_plays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run_with_input(
        dir.path(),
        &["play", "--journal", "t.jsonl"],
        "6\n3\nquit\n",
    );
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("teams> 6\n`6` is not the number of an actor: use numbers from 1 to 5, `all` or `none`\nteams> 3\n"), "{r}");
    assert!(r.stdout.contains("  HarbourPower Utilities — played by a team\n  Federation of Valdoria — Aggressive bot\n"), "{r}");
    assert!(r.stdout.contains("HarbourPower Utilities> quit"), "{r}");
}

#[test]
fn a_journal_of_another_program_version_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run_with_input(dir.path(), &args("v.jsonl"), "quit\n");
    assert_eq!(r.code, 0, "{r}");
    let path = dir.path().join("v.jsonl");
    let text = std::fs::read_to_string(&path).expect("journal");
    let program = format!("cyberttx {}", env!("CARGO_PKG_VERSION"));
    std::fs::write(&path, text.replace(&program, "cyberttx 0.0.1")).expect("written");
    let r = run_with_input(dir.path(), &["play", "--resume", "v.jsonl"], "quit\n");
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains(&format!("error: v.jsonl was recorded by cyberttx 0.0.1; this is {program}, whose results may differ; use the program that recorded it")), "{r}");
}

#[test]
fn end_finishes_early_with_the_report_and_inject_fires_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = "\
done
inject press-leak
status
done
end
";
    let r = run_with_input(dir.path(), &args("e.jsonl"), script);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout
            .contains("Blue · HarbourPower Utilities> inject press-leak\nFired now:\n  ▸ "),
        "{r}"
    );
    // The facilitator's view tells the truth the teams do not see.
    assert!(r.stdout.contains("Incidents (the truth)\n  Screens locked at the control centre (grid-ransomware): by Federation of\n  Valdoria, planted evidence pointing at Kingdom of Norland;"), "{r}");
    assert!(r.stdout.contains("The exercise ends here.\n"), "{r}");
    let md = std::fs::read_to_string(dir.path().join("e.report.md")).expect("report");
    assert!(md.contains("ended by the facilitator in turn 2"), "{md}");
    let json = run_in(dir.path(), &["report", "e.jsonl", "--format", "json"]);
    assert!(
        json.stdout.contains(
            r#""manual_injects": [
    {
      "turn": 1,
      "inject": "press-leak"
    }
  ],"#
        ),
        "{json}"
    );
}
