//! What the facilitator types: choices and commands, parsed into what the
//! session does, or a message that says what is wrong.

use super::view::Paint;
use crate::engine::{Adjudication, Briefing, LedgerEntry};
use crate::scenario::TargetKind;

/// A facilitator's command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `help`.
    Help,
    /// `status`: the whole truth.
    Status,
    /// `brief`: show the current actor's briefing again.
    Brief,
    /// `inject ID`.
    Inject(String),
    /// `note TEXT`.
    Note(String),
    /// `adjudicate ...`.
    Adjudicate(Adjudicate),
    /// `undo`.
    Undo,
    /// `skip`.
    Skip,
    /// `done`: confirm the current actor's choices.
    Done,
    /// `end`: finish the exercise now, with the report.
    End,
    /// `quit`: stop; `--resume` goes on from here.
    Quit,
}

/// One line of input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Nothing.
    Empty,
    /// A choice: the response (or a word that is not a command) and the
    /// rest of the line.
    Choice {
        /// The response.
        response: Pick,
        /// Target and rationale.
        rest: String,
    },
    /// A command.
    Command(Command),
    /// A wrong entry, with what is wrong.
    Wrong(String),
}

/// A response as typed: its number in the briefing, or its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The number shown beside it (from 1).
    Number(usize),
    /// A word that is not a command: a response id, or a mistake.
    Word(String),
}

/// An adjudication as typed: a new assessment, or an override of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Adjudicate {
    /// `adjudicate ACTOR NORM SCORE REASON`.
    Add {
        /// The actor.
        actor: String,
        /// The norm.
        norm: String,
        /// The score.
        score: i32,
        /// Why.
        reason: String,
    },
    /// `adjudicate #N SCORE REASON`: assessment N (from 1) gets a new score.
    Override {
        /// The assessment's number, from 1.
        number: usize,
        /// The new score.
        score: i32,
        /// Why.
        reason: String,
    },
}

impl Adjudicate {
    /// The adjudication for the session; an override keeps the actor and
    /// norm of the assessment it replaces.
    pub fn resolve(self, ledger: &[LedgerEntry]) -> Result<Adjudication, String> {
        match self {
            Adjudicate::Add {
                actor,
                norm,
                score,
                reason,
            } => Ok(Adjudication {
                actor,
                norm,
                score,
                reason,
                replaces: None,
            }),
            Adjudicate::Override {
                number,
                score,
                reason,
            } => {
                let Some(l) = number.checked_sub(1).and_then(|i| ledger.get(i)) else {
                    return Err(format!(
                        "there is no assessment #{number} (there are {} so far; `status` lists them)",
                        ledger.len()
                    ));
                };
                Ok(Adjudication {
                    actor: l.actor.to_string(),
                    norm: l.norm.to_string(),
                    score,
                    reason,
                    replaces: Some(number - 1),
                })
            }
        }
    }
}

const ADJUDICATE_USAGE: &str = "write `adjudicate ACTOR NORM SCORE REASON` (e.g. `adjudicate meridia gge-13b 2 Briefed allies first`) or `adjudicate #N SCORE REASON` to change assessment N";

/// Parses one line.
pub fn parse(line: &str) -> Parsed {
    let line = line.trim();
    if line.is_empty() {
        return Parsed::Empty;
    }
    let (word, rest) = match line.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (line, ""),
    };
    if let Ok(number) = word.parse::<usize>() {
        return Parsed::Choice {
            response: Pick::Number(number),
            rest: rest.to_owned(),
        };
    }
    let bare = |c: Command| {
        if rest.is_empty() {
            Parsed::Command(c)
        } else {
            Parsed::Wrong(format!("`{word}` takes nothing after it"))
        }
    };
    match word.to_ascii_lowercase().as_str() {
        "help" | "?" => bare(Command::Help),
        "status" => bare(Command::Status),
        "brief" | "briefing" => bare(Command::Brief),
        "undo" => bare(Command::Undo),
        "skip" => bare(Command::Skip),
        "done" => bare(Command::Done),
        "end" => bare(Command::End),
        "quit" | "exit" => bare(Command::Quit),
        "inject" => match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
            [id] => Parsed::Command(Command::Inject((*id).to_owned())),
            _ => Parsed::Wrong(
                "write `inject ID` with the id of one inject (`status` lists those not yet fired)"
                    .to_owned(),
            ),
        },
        "note" => {
            if rest.is_empty() {
                Parsed::Wrong("write `note` and the text of the note".to_owned())
            } else {
                Parsed::Command(Command::Note(rest.to_owned()))
            }
        }
        "adjudicate" => parse_adjudicate(rest),
        _ => Parsed::Choice {
            response: Pick::Word(word.to_owned()),
            rest: rest.to_owned(),
        },
    }
}

/// The message for a word that is neither a command nor a response.
pub fn unknown(word: &str) -> String {
    format!("`{word}` is neither a command nor a response; `help` lists the commands")
}

fn parse_adjudicate(rest: &str) -> Parsed {
    let wrong = |why: &str| Parsed::Wrong(format!("{why}: {ADJUDICATE_USAGE}"));
    let mut words = rest.splitn(2, char::is_whitespace);
    let Some(first) = words.next().filter(|w| !w.is_empty()) else {
        return wrong("adjudicate what");
    };
    let after = words.next().unwrap_or("").trim();
    let score = |text: &str| -> Result<(i32, String), String> {
        let mut w = text.splitn(2, char::is_whitespace);
        let s = w.next().unwrap_or("");
        let reason = w.next().unwrap_or("").trim().to_owned();
        let score = s
            .parse::<i32>()
            .map_err(|_| format!("`{s}` is not a score (a whole number from -3 to 3)"))?;
        Ok((score, reason))
    };
    if let Some(n) = first.strip_prefix('#') {
        let Ok(number) = n.parse::<usize>() else {
            return wrong(&format!("`{first}` is not an assessment number"));
        };
        return match score(after) {
            Ok((score, reason)) => Parsed::Command(Command::Adjudicate(Adjudicate::Override {
                number,
                score,
                reason,
            })),
            Err(m) => wrong(&m),
        };
    }
    let mut w = after.splitn(2, char::is_whitespace);
    let Some(norm) = w.next().filter(|n| !n.is_empty()) else {
        return wrong("the norm is missing");
    };
    match score(w.next().unwrap_or("").trim()) {
        Ok((score, reason)) => Parsed::Command(Command::Adjudicate(Adjudicate::Add {
            actor: first.to_owned(),
            norm: norm.to_owned(),
            score,
            reason,
        })),
        Err(m) => wrong(&m),
    }
}

/// The choice that `NUMBER TARGET RATIONALE` makes from a briefing: the
/// response by its number or id, the target by its number or id (when the
/// response has one), the rest as the rationale. `scenario` tells a
/// response that is not available now from a word that is no response.
pub fn choice(
    b: &Briefing,
    scenario: &crate::scenario::Scenario,
    response: &Pick,
    rest: &str,
) -> Result<crate::engine::Choice, String> {
    let n = b.responses.len();
    let (r, number) = match response {
        Pick::Number(number) => {
            let number = *number;
            let Some(r) = number.checked_sub(1).and_then(|i| b.responses.get(i)) else {
                return Err(match n {
                    0 => format!("{} has no response available now; `done` or `skip`", b.name),
                    1 => format!("there is no response {number}: the only one is 1"),
                    _ => format!("there is no response {number}: choose 1 to {n}"),
                });
            };
            (r, number.to_string())
        }
        Pick::Word(word) => match b.responses.iter().find(|r| &r.id == word) {
            Some(r) => (r, word.clone()),
            None if scenario.responses.iter().any(|r| r.id.as_str() == word) => {
                return Err(format!("`{word}` is not available to {} now", b.name));
            }
            None => return Err(unknown(word)),
        },
    };
    if r.target == TargetKind::NoTarget {
        return Ok(crate::engine::Choice {
            response: r.id.clone(),
            target: None,
            rationale: rest.to_owned(),
        });
    }
    let (word, rationale) = match rest.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (rest, ""),
    };
    let listed = || {
        r.targets
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {t}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if word.is_empty() {
        return Err(format!(
            "{number} ({}) needs a target: {}; e.g. `{number} {} RATIONALE`",
            r.label,
            listed(),
            r.targets.first().map_or("TARGET", String::as_str)
        ));
    }
    let target = match word.parse::<usize>() {
        Ok(k) => match k.checked_sub(1).and_then(|i| r.targets.get(i)) {
            Some(t) => t.clone(),
            None => {
                return Err(format!(
                    "there is no target {k} for {number} ({}): {}",
                    r.label,
                    listed()
                ));
            }
        },
        Err(_) if r.targets.iter().any(|t| t == word) => word.to_owned(),
        Err(_) => {
            return Err(format!(
                "`{word}` is not a target of {number} ({}) now: {}",
                r.label,
                listed()
            ));
        }
    };
    Ok(crate::engine::Choice {
        response: r.id.clone(),
        target: Some(target),
        rationale: rationale.to_owned(),
    })
}

/// Parses the answer to "who plays": actor indices (from 0), in order.
pub fn parse_teams(line: &str, actors: usize) -> Result<Vec<usize>, String> {
    let line = line.trim();
    match line.to_ascii_lowercase().as_str() {
        "" | "all" => return Ok((0..actors).collect()),
        "none" => return Ok(Vec::new()),
        _ => {}
    }
    let mut picked = Vec::new();
    for word in line.split(|c: char| c.is_whitespace() || c == ',') {
        if word.is_empty() {
            continue;
        }
        match word.parse::<usize>() {
            Ok(k) if (1..=actors).contains(&k) => {
                if !picked.contains(&(k - 1)) {
                    picked.push(k - 1);
                }
            }
            _ => {
                return Err(format!(
                    "`{word}` is not the number of an actor: use numbers from 1 to {actors}, `all` or `none`"
                ));
            }
        }
    }
    picked.sort_unstable();
    Ok(picked)
}

/// The help text.
pub fn help(paint: &Paint) -> String {
    let rows = [
        (
            "NUMBER TARGET RATIONALE",
            "add a choice for the team: the response's number (or its id), its target (number or id; none for responses without one), and why, e.g. `2 grid-control Stop the spread first`",
        ),
        (
            "done",
            "confirm this team's choices and go on to the next team",
        ),
        ("undo", "take back this team's last choice"),
        (
            "skip",
            "this team does nothing this turn (drops its choices)",
        ),
        ("brief", "show this team's briefing again"),
        (
            "status",
            "the whole truth, for the facilitator's eyes only: every asset, the real perpetrators, who knows what, the scores",
        ),
        ("inject ID", "fire an inject now (`status` lists them)"),
        ("note TEXT", "a note for the report"),
        (
            "adjudicate ACTOR NORM SCORE REASON",
            "score an actor against a norm (-3 to 3) with your reason",
        ),
        (
            "adjudicate #N SCORE REASON",
            "change the score of assessment N (numbers as in `status`)",
        ),
        ("end", "finish the exercise now and write the report"),
        (
            "quit",
            "stop here; `cyberttx play --resume JOURNAL` goes on exactly here",
        ),
    ];
    let mut out = format!("{}\n", paint.heading("Commands"));
    for (cmd, what) in rows {
        out.push_str(&format!("  {}\n", paint.strong(cmd)));
        out.push_str(&crate::text::wrap(what, "      "));
        out.push('\n');
    }
    out.push_str("Everything you enter is saved at once: a session stopped at any moment (even a crash)\ngoes on from the same prompt with `cyberttx play --resume JOURNAL`.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_into_choices_commands_or_a_message() {
        assert_eq!(parse("   "), Parsed::Empty);
        assert_eq!(
            parse("2 grid-control Stop it"),
            Parsed::Choice {
                response: Pick::Number(2),
                rest: "grid-control Stop it".into()
            }
        );
        assert_eq!(parse("DONE"), Parsed::Command(Command::Done));
        assert_eq!(
            parse("note  Teams want a break "),
            Parsed::Command(Command::Note("Teams want a break".into()))
        );
        assert_eq!(
            parse("done now"),
            Parsed::Wrong("`done` takes nothing after it".into())
        );
        assert_eq!(
            parse("isolate-network grid-control"),
            Parsed::Choice {
                response: Pick::Word("isolate-network".into()),
                rest: "grid-control".into()
            }
        );
        assert_eq!(
            parse("adjudicate meridia gge-13b -2 Named a state without evidence"),
            Parsed::Command(Command::Adjudicate(Adjudicate::Add {
                actor: "meridia".into(),
                norm: "gge-13b".into(),
                score: -2,
                reason: "Named a state without evidence".into()
            }))
        );
        assert_eq!(
            parse("adjudicate #3 0 Phoned the CERT"),
            Parsed::Command(Command::Adjudicate(Adjudicate::Override {
                number: 3,
                score: 0,
                reason: "Phoned the CERT".into()
            }))
        );
        assert_eq!(
            parse("adjudicate meridia gge-13b high"),
            Parsed::Wrong(format!(
                "`high` is not a score (a whole number from -3 to 3): {ADJUDICATE_USAGE}"
            ))
        );
    }

    #[test]
    fn teams_are_numbers_all_or_none() {
        assert_eq!(parse_teams("", 3), Ok(vec![0, 1, 2]));
        assert_eq!(parse_teams("none", 3), Ok(vec![]));
        assert_eq!(parse_teams("3, 1 3", 3), Ok(vec![0, 2]));
        assert_eq!(
            parse_teams("4", 3),
            Err(
                "`4` is not the number of an actor: use numbers from 1 to 3, `all` or `none`"
                    .into()
            )
        );
    }
}
