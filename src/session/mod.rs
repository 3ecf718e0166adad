//! A session: an exercise and its journal, the append-only record of every
//! input from which the exercise can be rebuilt and checked.
//!
//! Every front end changes an exercise through a [`Session`]: it applies
//! the input to the engine, then journals it (synced to disk) before it
//! returns. [`open`] rebuilds a session from its journal and checks each
//! recorded digest on the way.

pub mod journal;

use crate::engine::{Adjudication, Choice, Engine, TurnSummary};
use crate::norms::NormSet;
use crate::scenario::{self, Policy, ScenarioError};
use journal::{Header, Journal, JournalError, Line, TurnLine, Writer};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A facilitator's note.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// The turn being played when it was made (`turns + 1` after the last).
    pub turn: u32,
    /// The note.
    pub text: String,
}

/// An inject the facilitator fired.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ManualInject {
    /// The turn.
    pub turn: u32,
    /// The inject's id.
    pub inject: String,
}

/// Why a session could not be opened or continued.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// The journal is not a journal of this scenario and program, or its
    /// record differs from what the engine computes.
    #[error("{0}")]
    Invalid(String),
    /// The journal's scenario could not be loaded.
    #[error(transparent)]
    Scenario(ScenarioError),
    /// The facilitator's or a team's input was refused; nothing changed.
    #[error("{0}")]
    Refused(String),
}

impl From<JournalError> for SessionError {
    fn from(e: JournalError) -> SessionError {
        match e {
            JournalError::Io { .. } => SessionError::Io(e.to_string()),
            JournalError::Invalid { .. } => SessionError::Invalid(e.to_string()),
        }
    }
}

/// An exercise with what happened beside the engine: notes, the
/// facilitator's injects, and its journal (if it keeps one).
pub struct Session {
    /// What was played, and how.
    pub header: Header,
    /// The exercise.
    pub engine: Engine,
    /// The facilitator's notes, in order.
    pub notes: Vec<Note>,
    /// The injects the facilitator fired, in order.
    pub manual_injects: Vec<ManualInject>,
    /// The turn in which the facilitator ended the exercise early, if so.
    pub ended_early: Option<u32>,
    /// For each actor played by a team, the turns its bot decided for it
    /// (the team had submitted nothing when the turn resolved).
    pub bot_turns: BTreeMap<String, Vec<u32>>,
    /// The choices entered so far in the turn being played, by actor id.
    drafts: BTreeMap<String, Vec<Choice>>,
    /// The actors whose choices for the turn being played are confirmed.
    confirmed: BTreeSet<String>,
    writer: Option<Writer>,
}

impl Session {
    /// A session of a new engine, with the header's bot policies applied;
    /// with `journal`, the header is written there first.
    pub fn new(
        mut engine: Engine,
        header: Header,
        journal: Option<&Path>,
    ) -> Result<Session, SessionError> {
        for (actor, policy) in &header.bots {
            engine
                .set_policy(actor, *policy)
                .map_err(|e| SessionError::Invalid(e.to_string()))?;
        }
        let writer = match journal {
            Some(path) => Some(Writer::create(path, &header)?),
            None => None,
        };
        Ok(Session {
            header,
            engine,
            notes: Vec::new(),
            manual_injects: Vec::new(),
            ended_early: None,
            bot_turns: BTreeMap::new(),
            drafts: BTreeMap::new(),
            confirmed: BTreeSet::new(),
            writer,
        })
    }

    /// The actors played by teams, in scenario order.
    pub fn team_actors(&self) -> Vec<String> {
        self.engine
            .scenario()
            .actors
            .iter()
            .map(|a| a.id.to_string())
            .filter(|id| self.header.teams.contains_key(id))
            .collect()
    }

    /// The choices entered for `actor` in the turn being played.
    pub fn drafts(&self, actor: &str) -> &[Choice] {
        self.drafts.get(actor).map_or(&[], Vec::as_slice)
    }

    /// Whether `actor`'s choices for the turn being played are confirmed.
    pub fn is_confirmed(&self, actor: &str) -> bool {
        self.confirmed.contains(actor)
    }

    /// Starts the turn being played (fires its injects) if it has not
    /// started; returns the injects fired at its start.
    pub fn begin_turn(&mut self) -> &[String] {
        self.engine.begin_turn()
    }

    /// Checks that `actor` may still enter choices this turn.
    fn check_drafting(&self, actor: &str) -> Result<(), SessionError> {
        self.check_open()?;
        if self.engine.is_finished() {
            return Err(SessionError::Refused(
                "every turn has been played".to_owned(),
            ));
        }
        let name = self.actor_name(actor)?;
        if self.confirmed.contains(actor) {
            return Err(SessionError::Refused(format!(
                "{name} has already confirmed its choices for this turn"
            )));
        }
        Ok(())
    }

    fn actor_name(&self, actor: &str) -> Result<String, SessionError> {
        self.engine
            .scenario()
            .actors
            .iter()
            .find(|a| a.id.as_str() == actor)
            .map(|a| a.name.clone())
            .ok_or_else(|| {
                SessionError::Refused(format!("`{actor}` is not an actor of this scenario"))
            })
    }

    /// Adds a choice of `actor` for the turn being played, after checking it
    /// against what the actor may do now: the response is available to it,
    /// the target is one of the response's valid targets, the cost fits the
    /// action points left, and the same choice was not entered already.
    pub fn choose(&mut self, actor: &str, choice: Choice) -> Result<(), SessionError> {
        self.check_drafting(actor)?;
        self.engine.begin_turn();
        self.check_choice(actor, &choice, self.drafts(actor))?;
        let drafts = self.drafts.entry(actor.to_owned()).or_default();
        drafts.push(choice.clone());
        let all = drafts.clone();
        self.submit_drafts(actor, all)?;
        let turn = self.engine.turn();
        self.journal(Line::Choice {
            turn,
            actor: actor.to_owned(),
            choice,
        })
    }

    /// Checks one more choice of `actor` after `earlier` ones of the same
    /// turn: available now, a valid target, not a repeat, within the action
    /// points the earlier ones leave.
    fn check_choice(
        &self,
        actor: &str,
        choice: &Choice,
        earlier: &[Choice],
    ) -> Result<(), SessionError> {
        let refused = |m: String| Err(SessionError::Refused(m));
        let Some(b) = self.engine.briefing(actor) else {
            return refused(format!("`{actor}` is not an actor of this scenario"));
        };
        let id = &choice.response;
        let Some(r) = b.responses.iter().find(|r| &r.id == id) else {
            return refused(format!("`{id}` is not available to {} now", b.name));
        };
        match (&choice.target, r.target) {
            (Some(t), crate::scenario::TargetKind::NoTarget) => {
                return refused(format!("`{id}` takes no target (got `{t}`)"));
            }
            (None, crate::scenario::TargetKind::NoTarget) => {}
            (None, _) => {
                return refused(format!(
                    "`{id}` needs a target: one of {}",
                    r.targets.join(", ")
                ));
            }
            (Some(t), _) if !r.targets.contains(t) => {
                return refused(format!(
                    "`{t}` is not a target of `{id}` for {} now; the targets are {}",
                    b.name,
                    r.targets.join(", ")
                ));
            }
            (Some(_), _) => {}
        }
        if earlier
            .iter()
            .any(|c| &c.response == id && c.target == choice.target)
        {
            return refused(format!(
                "{} has already chosen `{id}`{} this turn",
                b.name,
                choice
                    .target
                    .as_deref()
                    .map(|t| format!(" on `{t}`"))
                    .unwrap_or_default()
            ));
        }
        let s = self.engine.scenario();
        let spent: u32 = earlier
            .iter()
            .filter_map(|c| s.responses.iter().find(|r| r.id.as_str() == c.response))
            .map(|r| r.cost)
            .sum();
        let remaining = b.capacity.saturating_sub(spent);
        if r.cost > remaining {
            return refused(format!(
                "`{id}` costs {} action point{}; {} has {remaining} left this turn",
                r.cost,
                if r.cost == 1 { "" } else { "s" },
                b.name,
            ));
        }
        Ok(())
    }

    /// Replaces `actor`'s choices for the turn being played by `choices`,
    /// checked as a whole, and counts them as submitted; a team may submit
    /// again until the turn resolves (the web server's submissions).
    pub fn submit(&mut self, actor: &str, choices: Vec<Choice>) -> Result<(), SessionError> {
        self.check_open()?;
        if self.engine.is_finished() {
            return Err(SessionError::Refused(
                "every turn has been played".to_owned(),
            ));
        }
        self.actor_name(actor)?;
        self.engine.begin_turn();
        for (k, choice) in choices.iter().enumerate() {
            self.check_choice(actor, choice, &choices[..k])?;
        }
        self.drafts.insert(actor.to_owned(), choices.clone());
        self.confirmed.insert(actor.to_owned());
        self.submit_drafts(actor, choices.clone())?;
        let turn = self.engine.turn();
        self.journal(Line::Submit {
            turn,
            actor: actor.to_owned(),
            choices,
        })
    }

    /// Resolves the turn being played with the choices of the actors that
    /// submitted or confirmed; bots decide for every other actor.
    pub fn resolve_submitted(&mut self) -> Result<TurnSummary, SessionError> {
        let decisions: BTreeMap<String, Vec<Choice>> = self
            .confirmed
            .iter()
            .map(|a| (a.clone(), self.drafts(a).to_vec()))
            .collect();
        self.play_turn(decisions)
    }

    fn submit_drafts(&mut self, actor: &str, choices: Vec<Choice>) -> Result<(), SessionError> {
        self.engine
            .submit(actor, choices)
            .map_err(|e| SessionError::Refused(e.to_string()))
    }

    /// Takes back `actor`'s last choice of the turn being played.
    pub fn undo(&mut self, actor: &str) -> Result<Choice, SessionError> {
        self.check_drafting(actor)?;
        let name = self.actor_name(actor)?;
        let Some(choice) = self.drafts.get_mut(actor).and_then(Vec::pop) else {
            return Err(SessionError::Refused(format!(
                "{name} has no choice to take back this turn"
            )));
        };
        let all = self.drafts(actor).to_vec();
        self.submit_drafts(actor, all)?;
        let turn = self.engine.turn();
        self.journal(Line::Undo {
            turn,
            actor: actor.to_owned(),
        })?;
        Ok(choice)
    }

    /// Confirms `actor`'s choices for the turn being played.
    pub fn confirm(&mut self, actor: &str) -> Result<(), SessionError> {
        self.check_drafting(actor)?;
        self.engine.begin_turn();
        let all = self.drafts(actor).to_vec();
        self.submit_drafts(actor, all)?;
        self.confirmed.insert(actor.to_owned());
        let turn = self.engine.turn();
        self.journal(Line::Confirm {
            turn,
            actor: actor.to_owned(),
        })
    }

    /// `actor` does nothing this turn: its choices are dropped and it is
    /// confirmed.
    pub fn skip(&mut self, actor: &str) -> Result<(), SessionError> {
        self.check_drafting(actor)?;
        self.engine.begin_turn();
        self.drafts.remove(actor);
        self.submit_drafts(actor, Vec::new())?;
        self.confirmed.insert(actor.to_owned());
        let turn = self.engine.turn();
        self.journal(Line::Skip {
            turn,
            actor: actor.to_owned(),
        })
    }

    /// Resolves the turn being played with the choices of every team actor
    /// (none for a team that entered none); bots decide for the others.
    pub fn resolve(&mut self) -> Result<TurnSummary, SessionError> {
        let decisions: BTreeMap<String, Vec<Choice>> = self
            .team_actors()
            .into_iter()
            .map(|a| {
                let choices = self.drafts(&a).to_vec();
                (a, choices)
            })
            .collect();
        self.play_turn(decisions)
    }

    /// Whether the exercise is over: every turn played, or ended early.
    pub fn is_over(&self) -> bool {
        self.ended_early.is_some() || self.engine.is_finished()
    }

    fn journal(&mut self, line: Line) -> Result<(), SessionError> {
        match &mut self.writer {
            Some(w) => Ok(w.append(&line)?),
            None => Ok(()),
        }
    }

    fn check_open(&self) -> Result<(), SessionError> {
        match self.ended_early {
            Some(t) => Err(SessionError::Refused(format!(
                "the exercise was ended in turn {t}"
            ))),
            None => Ok(()),
        }
    }

    /// Plays the current turn with the decisions submitted for it (bots
    /// decide for the other actors) and journals it.
    pub fn play_turn(
        &mut self,
        decisions: BTreeMap<String, Vec<Choice>>,
    ) -> Result<TurnSummary, SessionError> {
        self.check_open()?;
        let turn = self.engine.turn();
        self.engine.begin_turn();
        for (actor, choices) in &decisions {
            self.engine
                .submit(actor, choices.clone())
                .map_err(|e| SessionError::Refused(e.to_string()))?;
        }
        let summary = self
            .engine
            .advance()
            .cloned()
            .ok_or_else(|| SessionError::Refused("the exercise is already over".to_owned()))?;
        self.drafts.clear();
        self.confirmed.clear();
        for actor in self.header.teams.keys() {
            if !decisions.contains_key(actor) {
                self.bot_turns.entry(actor.clone()).or_default().push(turn);
            }
        }
        self.journal(Line::Turn(TurnLine {
            turn,
            decisions,
            fired: summary.fired.clone(),
            tension: summary.tension,
            impact: summary.impact,
            digest: summary.digest.clone(),
        }))?;
        Ok(summary)
    }

    /// Records a facilitator's note.
    pub fn note(&mut self, text: &str) -> Result<(), SessionError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SessionError::Refused("a note needs some text".to_owned()));
        }
        let turn = self.engine.turn();
        self.journal(Line::Note {
            turn,
            text: text.to_owned(),
        })?;
        self.notes.push(Note {
            turn,
            text: text.to_owned(),
        });
        Ok(())
    }

    /// Fires an inject now, in the turn being played.
    pub fn fire_inject(&mut self, inject: &str) -> Result<(), SessionError> {
        self.check_open()?;
        let turn = self.engine.turn();
        self.engine
            .fire_inject(inject)
            .map_err(|e| SessionError::Refused(e.to_string()))?;
        self.journal(Line::Inject {
            turn,
            inject: inject.to_owned(),
            digest: self.engine.digest(),
        })?;
        self.manual_injects.push(ManualInject {
            turn,
            inject: inject.to_owned(),
        });
        Ok(())
    }

    /// Adds the facilitator's assessment (or overrides one); returns its
    /// index in the ledger.
    pub fn adjudicate(&mut self, a: &Adjudication) -> Result<usize, SessionError> {
        let turn = self.engine.turn();
        let index = self
            .engine
            .adjudicate(a)
            .map_err(|e| SessionError::Refused(e.to_string()))?;
        // The digest below is of a begun turn, whether or not play had begun
        // it: replay then reaches the same state however it got here.
        self.engine.begin_turn();
        self.journal(Line::Adjudicate {
            turn,
            actor: a.actor.clone(),
            norm: a.norm.clone(),
            score: a.score,
            reason: a.reason.clone(),
            replaces: a.replaces,
            digest: self.engine.digest(),
        })?;
        Ok(index)
    }

    /// Ends the exercise before its last turn.
    pub fn end(&mut self) -> Result<(), SessionError> {
        self.check_open()?;
        if self.engine.is_finished() {
            return Ok(());
        }
        let turn = self.engine.turn();
        self.journal(Line::End { turn })?;
        self.ended_early = Some(turn);
        Ok(())
    }

    /// Applies one recorded line and checks the digest it records.
    fn replay(&mut self, line: &Line) -> Result<(), String> {
        match line {
            Line::Header(_) => Err("a second header".to_owned()),
            Line::Turn(t) => {
                let got = self
                    .play_turn(t.decisions.clone())
                    .map_err(|e| e.to_string())?;
                if got.digest == t.digest {
                    return Ok(());
                }
                let mut diffs = Vec::new();
                if got.fired != t.fired {
                    diffs.push(format!(
                        "injects fired: journal {:?}, now {:?}",
                        t.fired, got.fired
                    ));
                }
                if got.tension != t.tension {
                    diffs.push(format!(
                        "tension: journal {}, now {}",
                        t.tension, got.tension
                    ));
                }
                if got.impact.to_bits() != t.impact.to_bits() {
                    diffs.push(format!(
                        "civilian impact: journal {}, now {}",
                        t.impact, got.impact
                    ));
                }
                if diffs.is_empty() {
                    diffs.push(
                        "the state differs (service, incidents, knowledge or random draws)"
                            .to_owned(),
                    );
                }
                Err(format!(
                    "turn {} diverges from the journal: {}",
                    t.turn,
                    diffs.join("; ")
                ))
            }
            Line::Note { text, .. } => self.note(text).map_err(|e| e.to_string()),
            Line::Inject { inject, digest, .. } => {
                self.fire_inject(inject).map_err(|e| e.to_string())?;
                self.same_digest(digest, &format!("inject `{inject}`"))
            }
            Line::Adjudicate {
                actor,
                norm,
                score,
                reason,
                replaces,
                digest,
                ..
            } => {
                self.adjudicate(&Adjudication {
                    actor: actor.clone(),
                    norm: norm.clone(),
                    score: *score,
                    reason: reason.clone(),
                    replaces: *replaces,
                })
                .map_err(|e| e.to_string())?;
                self.same_digest(digest, &format!("the adjudication of {actor} on {norm}"))
            }
            Line::End { .. } => self.end().map_err(|e| e.to_string()),
            Line::Choice { actor, choice, .. } => self
                .choose(actor, choice.clone())
                .map_err(|e| e.to_string()),
            Line::Undo { actor, .. } => self.undo(actor).map(|_| ()).map_err(|e| e.to_string()),
            Line::Confirm { actor, .. } => self.confirm(actor).map_err(|e| e.to_string()),
            Line::Skip { actor, .. } => self.skip(actor).map_err(|e| e.to_string()),
            Line::Submit { actor, choices, .. } => self
                .submit(actor, choices.clone())
                .map_err(|e| e.to_string()),
        }
    }

    fn same_digest(&self, recorded: &str, what: &str) -> Result<(), String> {
        if self.engine.digest() == recorded {
            Ok(())
        } else {
            Err(format!("the state after {what} diverges from the journal"))
        }
    }
}

/// A session rebuilt from its journal.
pub struct Opened {
    /// The session, at the end of its journal.
    pub session: Session,
    /// Set when the journal's last line was cut short and was dropped.
    pub torn: bool,
    /// How many turns the journal records.
    pub turns: usize,
}

/// Rebuilds a session from its journal (as [`open`]) to go on with it: new
/// entries are appended to the same journal, after dropping a torn last line.
pub fn resume(
    path: &Path,
    norms: &NormSet,
    scenario: Option<&str>,
) -> Result<Opened, SessionError> {
    let (mut opened, len) = open_with_len(path, norms, scenario)?;
    opened.session.writer = Some(Writer::reopen(path, len)?);
    Ok(opened)
}

/// Rebuilds a session from its journal, with the scenario the journal names
/// (or `scenario`), checking that the scenario is the one recorded and that
/// every recorded digest is what the engine computes now.
pub fn open(path: &Path, norms: &NormSet, scenario: Option<&str>) -> Result<Opened, SessionError> {
    open_with_len(path, norms, scenario).map(|(opened, _)| opened)
}

/// [`open`], and the length of the journal's complete lines.
fn open_with_len(
    path: &Path,
    norms: &NormSet,
    scenario: Option<&str>,
) -> Result<(Opened, u64), SessionError> {
    let name = path.display().to_string();
    let Journal {
        header,
        entries,
        torn,
        len,
    } = journal::read(path)?;
    let arg = scenario.unwrap_or(&header.scenario);
    let (src, s, _) = scenario::load(arg, norms).map_err(|e| match e {
        ScenarioError::Invalid(..) => SessionError::Scenario(e),
        other => SessionError::Invalid(format!(
            "{name}: the journal's scenario cannot be loaded: {other}; give it with --scenario FILE"
        )),
    })?;
    let program = program();
    if header.program != program {
        return Err(SessionError::Invalid(format!(
            "{name} was recorded by {}; this is {program}, whose results may differ; use the program that recorded it",
            header.program
        )));
    }
    if s.id.as_str() != header.scenario_id {
        return Err(SessionError::Invalid(format!(
            "{name} is a journal of scenario `{}`, not of `{}` ({})",
            header.scenario_id, s.id, src.name
        )));
    }
    if journal::sha256(&src.text) != header.scenario_sha256 {
        return Err(SessionError::Invalid(format!(
            "{name} was recorded with another version of {} (its SHA-256 differs); use the scenario file it was recorded with (--scenario FILE)",
            src.name
        )));
    }
    let seed = header.seed;
    let engine = Engine::new(s, norms, seed).map_err(|e| SessionError::Invalid(e.to_string()))?;
    let mut session = Session::new(engine, header, None)
        .map_err(|e| SessionError::Invalid(format!("{name}: {e}")))?;
    let mut turns = 0;
    for (n, line) in &entries {
        session
            .replay(line)
            .map_err(|e| SessionError::Invalid(format!("{name}:{n}: {e}")))?;
        if matches!(line, Line::Turn(_)) {
            turns += 1;
        }
    }
    Ok((
        Opened {
            session,
            torn,
            turns,
        },
        len,
    ))
}

/// The header of a new journal.
pub fn header(
    scenario_arg: &str,
    scenario_id: &str,
    scenario_text: &str,
    seed: u64,
    bots: BTreeMap<String, Policy>,
    date: Option<String>,
    teams: BTreeMap<String, String>,
) -> Header {
    Header {
        format: journal::FORMAT,
        program: program(),
        scenario: scenario_arg.to_owned(),
        scenario_id: scenario_id.to_owned(),
        scenario_sha256: journal::sha256(scenario_text),
        seed,
        bots,
        date,
        teams,
        web: None,
    }
}

/// This program and its version, as journals record it.
pub fn program() -> String {
    format!("cyberttx {}", env!("CARGO_PKG_VERSION"))
}
