//! `cyberttx play`: a facilitated exercise in the terminal.
//!
//! The facilitator runs the program; teams deliberate and announce their
//! decisions; the facilitator enters them. Each turn the injects that fired
//! are read out, each team sees only its own actor's briefing, its choices
//! are entered and confirmed, bots decide for the other actors, and the turn
//! resolves into a public summary. Every accepted entry goes to the journal
//! (synced to disk) before the program moves on, so a session stopped at any
//! moment resumes at the same prompt (`play --resume`).
//!
//! Input is read line by line, so a terminal and a piped script behave the
//! same; a wrong entry gets a message and the same prompt again.

mod commands;
mod view;

use crate::norms::NormSet;
use crate::report::Report;
use crate::session::{Session, SessionError};
use commands::{Command, Parsed};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use view::Paint;

/// How a session in the terminal ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every turn was played, or the facilitator ended the exercise; the
    /// reports were written to these files.
    Finished(Vec<PathBuf>),
    /// The facilitator stopped (`quit`); the journal resumes it.
    Quit,
    /// The input ended; the journal resumes it.
    InputEnded,
}

/// The terminal: where entries come from and where everything goes.
pub struct Terminal<'a> {
    /// Lines typed or piped in.
    pub input: &'a mut dyn BufRead,
    /// Where the session is shown.
    pub output: &'a mut dyn Write,
    /// Colour and emphasis (on a terminal that wants them).
    pub colour: bool,
    /// Repeat each entry after its prompt (for piped input, so that the
    /// transcript reads like the session).
    pub echo: bool,
}

/// A facilitated session in progress.
pub struct Play<'a, 't> {
    session: Session,
    norms: &'a NormSet,
    journal: PathBuf,
    term: Terminal<'t>,
    paint: Paint,
}

/// Why the session stops.
enum Stop {
    /// The exercise is over (ended early or finished): write the reports.
    Report,
    /// `quit`.
    Quit,
    /// No more input.
    InputEnded,
}

fn io(e: std::io::Error) -> SessionError {
    SessionError::Io(format!("cannot write to the terminal: {e}"))
}

/// Asks which actors teams play (when no `--team` was given): the numbers
/// of the actors, `all` (or an empty line) or `none`. Actors nobody plays
/// are left to their bots. `None` when the input ends first or on `quit`.
pub fn ask_teams(
    scenario: &crate::scenario::Scenario,
    bots: &BTreeMap<String, crate::scenario::Policy>,
    term: &mut Terminal<'_>,
) -> Result<Option<BTreeMap<String, String>>, SessionError> {
    let paint = Paint::new(term.colour);
    let mut text = format!(
        "{}\n",
        paint.heading(&format!("Who plays “{}”?", scenario.title))
    );
    for (i, a) in scenario.actors.iter().enumerate() {
        let policy = bots.get(a.id.as_str()).copied().unwrap_or(a.policy);
        text.push_str(&format!(
            "  {}. {} ({:?}; without a team: {})\n",
            i + 1,
            a.name,
            a.kind,
            view::policy_text(policy)
        ));
    }
    text.push_str(
        "Enter the numbers of the actors that teams play, separated by spaces (e.g. `1 3`),\n\
         `all` or just Enter for all of them, `none` to watch the bots play, or `quit`.\n",
    );
    term.output.write_all(text.as_bytes()).map_err(io)?;
    loop {
        let Some(line) = read_line(term, &paint.prompt("teams> "))? else {
            return Ok(None);
        };
        if line.trim().eq_ignore_ascii_case("quit") {
            return Ok(None);
        }
        match commands::parse_teams(&line, scenario.actors.len()) {
            Ok(picked) => {
                return Ok(Some(
                    picked
                        .into_iter()
                        .filter_map(|i| scenario.actors.get(i))
                        .map(|a| (a.id.to_string(), String::new()))
                        .collect(),
                ));
            }
            Err(message) => {
                writeln!(term.output, "{}", paint.error(&message)).map_err(io)?;
            }
        }
    }
}

/// Prints `prompt`, reads one line (without its line ending); `None` at the
/// end of the input.
fn read_line(term: &mut Terminal<'_>, prompt: &str) -> Result<Option<String>, SessionError> {
    term.output.write_all(prompt.as_bytes()).map_err(io)?;
    term.output.flush().map_err(io)?;
    let mut bytes = Vec::new();
    let n = term
        .input
        .read_until(b'\n', &mut bytes)
        .map_err(|e| SessionError::Io(format!("cannot read the input: {e}")))?;
    if n == 0 {
        writeln!(term.output).map_err(io)?;
        return Ok(None);
    }
    let line = String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\n', '\r'])
        .to_owned();
    if term.echo {
        writeln!(term.output, "{line}").map_err(io)?;
    }
    Ok(Some(line))
}

impl<'a, 't> Play<'a, 't> {
    /// A session ready to play, journaled in `journal`.
    pub fn new(
        session: Session,
        norms: &'a NormSet,
        journal: &Path,
        term: Terminal<'t>,
    ) -> Play<'a, 't> {
        let paint = Paint::new(term.colour);
        Play {
            session,
            norms,
            journal: journal.to_owned(),
            term,
            paint,
        }
    }

    fn say(&mut self, text: &str) -> Result<(), SessionError> {
        self.term.output.write_all(text.as_bytes()).map_err(io)?;
        if !text.ends_with('\n') {
            self.term.output.write_all(b"\n").map_err(io)?;
        }
        Ok(())
    }

    fn refuse(&mut self, message: &str) -> Result<(), SessionError> {
        let text = self.paint.error(message);
        self.say(&text)
    }

    /// Plays until the exercise is over or the facilitator stops; `resumed`
    /// when the session was rebuilt from its journal.
    pub fn run(mut self, resumed: bool) -> Result<Ending, SessionError> {
        let intro = if resumed {
            view::resumed(&self.session, &self.journal, &self.paint)
        } else {
            view::intro(&self.session, &self.journal, &self.paint)
        };
        self.say(&intro)?;
        let stop = self.play()?;
        match stop {
            Stop::Report => {
                let paths = self.write_reports()?;
                let mut text = format!(
                    "\n{}\n",
                    self.paint
                        .heading("The exercise is over. The after-action report:")
                );
                for p in &paths {
                    text.push_str(&format!("  {}\n", p.display()));
                }
                self.say(&text)?;
                Ok(Ending::Finished(paths))
            }
            Stop::Quit | Stop::InputEnded => {
                let (why, ending) = match stop {
                    Stop::Quit => ("Stopped.", Ending::Quit),
                    _ => ("The input ended.", Ending::InputEnded),
                };
                let text = format!(
                    "{why} Everything entered is saved in {}; go on from here with\n  cyberttx play --resume {}\n",
                    self.journal.display(),
                    self.journal.display()
                );
                self.say(&text)?;
                Ok(ending)
            }
        }
    }

    fn play(&mut self) -> Result<Stop, SessionError> {
        loop {
            if self.session.ended_early.is_some() {
                return Ok(Stop::Report);
            }
            if self.session.engine.is_finished() {
                return self.debrief();
            }
            self.session.begin_turn();
            let text = view::turn_opening(&self.session, &self.paint);
            self.say(&text)?;
            for actor in self.session.team_actors() {
                if self.session.is_confirmed(&actor) {
                    continue;
                }
                let text = view::briefing(&self.session, &actor, &self.paint);
                self.say(&text)?;
                if let Some(stop) = self.actor_prompt(&actor)? {
                    return Ok(stop);
                }
            }
            let summary = self.session.resolve()?;
            let text = view::turn_results(&self.session, &summary, &self.paint);
            self.say(&text)?;
        }
    }

    fn prompt_text(&self, actor: Option<&str>) -> String {
        let label = match actor {
            Some(a) => {
                let team = self.session.header.teams.get(a).filter(|t| !t.is_empty());
                let name = view::actor_name(&self.session, a);
                match team {
                    Some(t) => format!("{t} · {name}> "),
                    None => format!("{name}> "),
                }
            }
            None => "debrief> ".to_owned(),
        };
        self.paint.prompt(&label)
    }

    /// Entries for one actor until it confirms or skips (`None`), or the
    /// session stops.
    fn actor_prompt(&mut self, actor: &str) -> Result<Option<Stop>, SessionError> {
        loop {
            let prompt = self.prompt_text(Some(actor));
            let Some(line) = read_line(&mut self.term, &prompt)? else {
                return Ok(Some(Stop::InputEnded));
            };
            match commands::parse(&line) {
                Parsed::Empty => {
                    let text = self.paint.hint(&format!(
                        "Enter a choice (NUMBER TARGET RATIONALE), `done` when {} has chosen, or `help`.",
                        view::actor_name(&self.session, actor)
                    ));
                    self.say(&text)?;
                }
                Parsed::Choice { response, rest } => self.enter_choice(actor, &response, &rest)?,
                Parsed::Command(Command::Done) => match self.session.confirm(actor) {
                    Ok(()) => {
                        let text = view::confirmed(&self.session, actor, &self.paint);
                        self.say(&text)?;
                        return Ok(None);
                    }
                    Err(e) => self.session_refusal(e)?,
                },
                Parsed::Command(Command::Skip) => match self.session.skip(actor) {
                    Ok(()) => {
                        let text = format!(
                            "{} does nothing this turn.\n",
                            view::actor_name(&self.session, actor)
                        );
                        self.say(&text)?;
                        return Ok(None);
                    }
                    Err(e) => self.session_refusal(e)?,
                },
                Parsed::Command(Command::Undo) => match self.session.undo(actor) {
                    Ok(c) => {
                        let text = format!(
                            "Taken back: {}. {}\n",
                            view::choice_text(&self.session, &c),
                            view::points_left(&self.session, actor)
                        );
                        self.say(&text)?;
                    }
                    Err(e) => self.session_refusal(e)?,
                },
                Parsed::Command(Command::Brief) => {
                    let text = view::briefing(&self.session, actor, &self.paint);
                    self.say(&text)?;
                }
                Parsed::Command(Command::Inject(id)) => self.inject(&id)?,
                Parsed::Command(cmd) => {
                    if let Some(stop) = self.common(cmd)? {
                        return Ok(Some(stop));
                    }
                }
                Parsed::Wrong(message) => self.refuse(&message)?,
            }
        }
    }

    /// After the last turn: notes and adjudications until `done`.
    fn debrief(&mut self) -> Result<Stop, SessionError> {
        let text = format!(
            "\n{}\nEvery turn has been played. Add notes or adjudications for the report now,\n\
             `status` shows the whole picture, `done` writes the report.\n",
            self.paint.heading("Debrief")
        );
        self.say(&text)?;
        loop {
            let prompt = self.prompt_text(None);
            let Some(line) = read_line(&mut self.term, &prompt)? else {
                return Ok(Stop::InputEnded);
            };
            match commands::parse(&line) {
                Parsed::Empty => {}
                Parsed::Command(Command::Done | Command::End) => return Ok(Stop::Report),
                Parsed::Choice {
                    response: commands::Pick::Word(word),
                    ..
                } => self.refuse(&commands::unknown(&word))?,
                Parsed::Choice { .. }
                | Parsed::Command(
                    Command::Skip | Command::Undo | Command::Brief | Command::Inject(_),
                ) => self.refuse("every turn has been played; `done` writes the report")?,
                Parsed::Command(cmd) => {
                    if let Some(stop) = self.common(cmd)? {
                        return Ok(stop);
                    }
                }
                Parsed::Wrong(message) => self.refuse(&message)?,
            }
        }
    }

    /// The commands that work at every prompt.
    fn common(&mut self, cmd: Command) -> Result<Option<Stop>, SessionError> {
        match cmd {
            Command::Help => {
                let text = commands::help(&self.paint);
                self.say(&text)?;
            }
            Command::Status => {
                let text = view::status(&self.session, &self.paint);
                self.say(&text)?;
            }
            Command::Note(text) => match self.session.note(&text) {
                Ok(()) => self.say("Noted.")?,
                Err(e) => self.session_refusal(e)?,
            },
            Command::Adjudicate(a) => self.adjudicate(a)?,
            Command::End => match self.session.end() {
                Ok(()) => {
                    self.say("The exercise ends here.")?;
                    return Ok(Some(Stop::Report));
                }
                Err(e) => self.session_refusal(e)?,
            },
            Command::Quit => return Ok(Some(Stop::Quit)),
            Command::Done | Command::Skip | Command::Undo | Command::Brief | Command::Inject(_) => {
            }
        }
        Ok(None)
    }

    /// Shows a refusal; a failure to write the journal stops the session.
    fn session_refusal(&mut self, e: SessionError) -> Result<(), SessionError> {
        match e {
            SessionError::Refused(m) => self.refuse(&m),
            other => Err(other),
        }
    }

    fn enter_choice(
        &mut self,
        actor: &str,
        response: &commands::Pick,
        rest: &str,
    ) -> Result<(), SessionError> {
        let Some(b) = self.session.engine.briefing(actor) else {
            return self.refuse(&format!("`{actor}` is not an actor of this scenario"));
        };
        let choice = match commands::choice(&b, self.session.engine.scenario(), response, rest) {
            Ok(c) => c,
            Err(m) => return self.refuse(&m),
        };
        match self.session.choose(actor, choice.clone()) {
            Ok(()) => {
                let text = format!(
                    "{} {}. {}\n",
                    self.paint.good("Added:"),
                    view::choice_text(&self.session, &choice),
                    view::points_left(&self.session, actor)
                );
                self.say(&text)
            }
            Err(e) => self.session_refusal(e),
        }
    }

    fn inject(&mut self, id: &str) -> Result<(), SessionError> {
        match self.session.fire_inject(id) {
            Ok(()) => {
                let text = view::manual_inject(&self.session, id, &self.paint);
                self.say(&text)
            }
            Err(e) => self.session_refusal(e),
        }
    }

    fn adjudicate(&mut self, a: commands::Adjudicate) -> Result<(), SessionError> {
        let adjudication = match a.resolve(self.session.engine.ledger()) {
            Ok(x) => x,
            Err(m) => return self.refuse(&m),
        };
        match self.session.adjudicate(&adjudication) {
            Ok(index) => {
                let text = view::adjudicated(&self.session, index);
                self.say(&text)
            }
            Err(e) => self.session_refusal(e),
        }
    }

    /// Writes the Markdown and HTML reports next to the journal.
    fn write_reports(&self) -> Result<Vec<PathBuf>, SessionError> {
        let report = Report::build(&self.session, self.norms);
        let mut paths = Vec::new();
        for (ext, text) in [("md", report.to_markdown()), ("html", report.to_html())] {
            let path = report_path(&self.journal, ext);
            std::fs::write(&path, text).map_err(|e| {
                SessionError::Io(format!(
                    "cannot write {}: {}",
                    path.display(),
                    crate::input::io_reason(&e)
                ))
            })?;
            paths.push(path);
        }
        Ok(paths)
    }
}

/// The report beside a journal: `x.jsonl` gives `x.report.md`.
pub fn report_path(journal: &Path, ext: &str) -> PathBuf {
    let stem = journal
        .file_stem()
        .map_or_else(|| "cyberttx".into(), |s| s.to_string_lossy().into_owned());
    journal.with_file_name(format!("{stem}.report.{ext}"))
}
