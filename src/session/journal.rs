//! The journal: JSON Lines, a header then one line per turn with the
//! decisions submitted for it and the digest of the state after it. Each
//! line is flushed and synced to disk before the program moves on.

use crate::engine::Choice;
use crate::scenario::Policy;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::Path;

/// The version of the journal format this program writes and reads.
pub const FORMAT: u32 = 1;

/// The first line: what was played, and how.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The journal format version.
    pub format: u32,
    /// The program and its version that wrote it.
    pub program: String,
    /// The scenario as it was given (a path or a bundled id).
    pub scenario: String,
    /// The scenario's id.
    pub scenario_id: String,
    /// SHA-256 of the scenario file's text.
    pub scenario_sha256: String,
    /// The seed.
    pub seed: u64,
    /// Policies that replaced the scenario's, by actor id.
    pub bots: BTreeMap<String, Policy>,
    /// The day of the exercise (`YYYY-MM-DD`), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The team that played each actor, by actor id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub teams: BTreeMap<String, String>,
    /// The web server's secret tokens, kept so that a resumed server keeps
    /// its links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<WebAccess>,
}

/// The secret tokens of a web session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebAccess {
    /// The facilitator's token.
    pub facilitator: String,
    /// Each actor's team token, by actor id.
    pub teams: BTreeMap<String, String>,
}

/// One turn: the decisions submitted for it (bots decide again on replay)
/// and what came of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnLine {
    /// The turn.
    pub turn: u32,
    /// Submitted decisions, by actor id.
    pub decisions: BTreeMap<String, Vec<Choice>>,
    /// Injects fired at its start.
    pub fired: Vec<String>,
    /// Tension at its end.
    pub tension: u32,
    /// Civilian impact at its end.
    pub impact: f64,
    /// The digest of the state at its end.
    pub digest: String,
}

/// A line of the journal. Every line after the header carries the turn
/// being played when it was written: one more than the turns recorded before
/// it (so a note after the last turn has `turns + 1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Line {
    /// The first line.
    Header(Header),
    /// A turn.
    Turn(TurnLine),
    /// A facilitator's note, during the turn being played.
    Note {
        /// The turn being played.
        turn: u32,
        /// The note.
        text: String,
    },
    /// The facilitator fired an inject, during the turn being played.
    Inject {
        /// The turn being played.
        turn: u32,
        /// The inject's id.
        inject: String,
        /// The digest of the state after it.
        digest: String,
    },
    /// The facilitator's assessment of an actor against a norm.
    Adjudicate {
        /// The turn being played.
        turn: u32,
        /// The actor judged.
        actor: String,
        /// The norm.
        norm: String,
        /// −3..=3.
        score: i32,
        /// Why.
        reason: String,
        /// The ledger index of the assessment it overrides, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replaces: Option<usize>,
        /// The digest of the state after it.
        digest: String,
    },
    /// The facilitator ended the exercise before its last turn.
    End {
        /// The turn that was being played.
        turn: u32,
    },
    /// A team's choice, entered during the turn (it resolves with the turn).
    Choice {
        /// The turn being played.
        turn: u32,
        /// The actor (id).
        actor: String,
        /// The choice.
        choice: Choice,
    },
    /// The actor's last choice of the turn was taken back.
    Undo {
        /// The turn being played.
        turn: u32,
        /// The actor (id).
        actor: String,
    },
    /// The team confirmed the actor's choices for the turn.
    Confirm {
        /// The turn being played.
        turn: u32,
        /// The actor (id).
        actor: String,
    },
    /// The actor does nothing this turn (its choices, if any, are dropped).
    Skip {
        /// The turn being played.
        turn: u32,
        /// The actor (id).
        actor: String,
    },
    /// A team submitted its whole set of choices for the turn (the web
    /// server); a later submission of the same turn replaces it.
    Submit {
        /// The turn being played.
        turn: u32,
        /// The actor (id).
        actor: String,
        /// The choices.
        choices: Vec<Choice>,
    },
}

impl Line {
    /// The turn a line belongs to (`None` for the header).
    pub fn turn(&self) -> Option<u32> {
        match self {
            Line::Header(_) => None,
            Line::Turn(t) => Some(t.turn),
            Line::Note { turn, .. }
            | Line::Inject { turn, .. }
            | Line::Adjudicate { turn, .. }
            | Line::End { turn }
            | Line::Choice { turn, .. }
            | Line::Undo { turn, .. }
            | Line::Confirm { turn, .. }
            | Line::Skip { turn, .. }
            | Line::Submit { turn, .. } => Some(*turn),
        }
    }
}

/// SHA-256 of a text, in hex.
pub fn sha256(text: &str) -> String {
    crate::engine::digest::hex(&Sha256::digest(text.as_bytes()))
}

/// Why a journal could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file could not be created, written or read.
    #[error("{path}: {reason}")]
    Io {
        /// The journal's path.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The file is not a journal of this program.
    #[error("{path}:{line}: {reason}")]
    Invalid {
        /// The journal's path.
        path: String,
        /// The line, from 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Appends lines to a journal, each synced to disk before returning.
pub struct Writer {
    file: File,
    path: String,
}

impl Writer {
    /// Creates (or truncates) the journal and writes its header.
    pub fn create(path: &Path, header: &Header) -> Result<Writer, JournalError> {
        let name = path.display().to_string();
        let file = File::create(path).map_err(|e| JournalError::Io {
            path: name.clone(),
            reason: crate::input::io_reason(&e),
        })?;
        let mut w = Writer { file, path: name };
        w.append(&Line::Header(header.clone()))?;
        Ok(w)
    }

    /// Opens an existing journal to go on writing it, first cutting it to
    /// `len` bytes (dropping a torn last line) and ending its last line.
    pub fn reopen(path: &Path, len: u64) -> Result<Writer, JournalError> {
        let name = path.display().to_string();
        let io = |e: std::io::Error| JournalError::Io {
            path: name.clone(),
            reason: crate::input::io_reason(&e),
        };
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io)?;
        file.set_len(len).map_err(io)?;
        let mut file = file;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(io)?;
        let ends_line = len == 0 || {
            let mut last = [0u8];
            let mut reader = File::open(path).map_err(io)?;
            std::io::Seek::seek(&mut reader, std::io::SeekFrom::Start(len - 1)).map_err(io)?;
            std::io::Read::read_exact(&mut reader, &mut last).map_err(io)?;
            last[0] == b'\n'
        };
        if !ends_line {
            file.write_all(b"\n").map_err(io)?;
        }
        file.sync_data().map_err(io)?;
        Ok(Writer { file, path: name })
    }

    /// Writes one line and syncs it.
    pub fn append(&mut self, line: &Line) -> Result<(), JournalError> {
        let io = |e: std::io::Error| JournalError::Io {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let mut text = serde_json::to_string(line).map_err(|e| JournalError::Io {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        text.push('\n');
        self.file.write_all(text.as_bytes()).map_err(io)?;
        self.file.flush().map_err(io)?;
        self.file.sync_data().map_err(io)
    }
}

/// A journal as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Journal {
    /// Its header.
    pub header: Header,
    /// Every line after the header, in order, with its line number (from 1).
    pub entries: Vec<(usize, Line)>,
    /// Set when the last line was cut short (the writer stopped mid-line)
    /// and was dropped.
    pub torn: bool,
    /// The length in bytes of the complete lines (without a torn last line).
    pub len: u64,
}

/// Reads a journal. A last line without its newline that does not parse is
/// a torn write: it is dropped and reported in `torn`.
pub fn read(path: &Path) -> Result<Journal, JournalError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| JournalError::Io {
        path: name.clone(),
        reason: crate::input::io_reason(&e),
    })?;
    let invalid = |line: usize, reason: String| JournalError::Invalid {
        path: name.clone(),
        line,
        reason,
    };
    let text = String::from_utf8_lossy(&bytes);
    let complete = text.ends_with('\n');

    let lines: Vec<&str> = text.lines().collect();
    let mut header = None;
    let mut entries = Vec::new();
    let mut playing = 1;
    let mut ended = false;
    let mut torn = false;
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let parsed: Result<Line, _> = serde_json::from_str(raw);
        let line = match parsed {
            Ok(l) => l,
            Err(_) if n == lines.len() && !complete => {
                torn = true;
                break;
            }
            Err(e) => {
                return Err(invalid(
                    n,
                    format!("not a line of a cyberttx journal ({e})"),
                ));
            }
        };
        match (line, &header) {
            (Line::Header(h), None) => {
                if h.format != FORMAT {
                    return Err(invalid(
                        n,
                        format!(
                            "journal format {} is not supported (this program reads format {FORMAT})",
                            h.format
                        ),
                    ));
                }
                header = Some(h);
            }
            (Line::Header(_), Some(_)) => return Err(invalid(n, "a second header".to_owned())),
            (_, None) => {
                return Err(invalid(
                    n,
                    "the journal does not start with its header".to_owned(),
                ));
            }
            (line, Some(_)) => {
                if ended {
                    return Err(invalid(
                        n,
                        "an entry after the end of the exercise".to_owned(),
                    ));
                }
                let got = line.turn().unwrap_or(0);
                if got != playing {
                    return Err(invalid(
                        n,
                        format!("an entry of turn {got} where turn {playing} was being played"),
                    ));
                }
                match line {
                    Line::Turn(_) => playing += 1,
                    Line::End { .. } => ended = true,
                    _ => {}
                }
                entries.push((n, line));
            }
        }
    }
    let header = header.ok_or_else(|| invalid(1, "the journal is empty: no header".to_owned()))?;
    let len = if torn {
        bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
    } else {
        bytes.len()
    } as u64;
    Ok(Journal {
        header,
        entries,
        torn,
        len,
    })
}
