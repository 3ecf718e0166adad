//! Bots: who decides for an actor no team plays. Deterministic given the
//! candidates and, for `Random`, the draws.
//!
//! A bot sees only its actor's options (the responses available to it now,
//! with valid targets), each with what it would score against the norms in
//! force, how much it restores and how much it escalates.

use crate::engine::Choice;
use crate::scenario::Policy;

/// One option of an actor: a response on a target, and what it is worth.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The response id.
    pub response: String,
    /// The target, if any.
    pub target: Option<String>,
    /// Action points.
    pub cost: u32,
    /// Weighted score of its assessments that hold now.
    pub norm_score: i32,
    /// Integrity it restores (Restore and Assist amounts, 0.5 for each
    /// Contain or Isolate).
    pub restores: f64,
    /// Net tension it adds (its Escalate amounts).
    pub escalation: i32,
}

/// The choices of a bot with `policy`, within `capacity`; `draw` gives
/// numbers in [0, 1) for `Random`. Each response is chosen at most once.
pub fn choose(
    policy: Policy,
    candidates: &[Candidate],
    capacity: u32,
    draw: &mut dyn FnMut() -> f64,
) -> Vec<Choice> {
    let rationale = format!("Chosen by the {policy:?} bot");
    let ranked: Vec<&Candidate> = match policy {
        Policy::Passive => Vec::new(),
        Policy::NormAbiding => {
            let mut list: Vec<&Candidate> = candidates
                .iter()
                .filter(|c| c.norm_score > 0 || (c.norm_score == 0 && c.restores > 0.0))
                .collect();
            list.sort_by(|a, b| {
                b.norm_score
                    .cmp(&a.norm_score)
                    .then(b.restores.total_cmp(&a.restores))
            });
            list
        }
        Policy::Aggressive => {
            let value = |c: &Candidate| c.restores + f64::from(c.escalation.max(0)) / 10.0;
            let mut list: Vec<&Candidate> = candidates.iter().filter(|c| value(c) > 0.0).collect();
            list.sort_by(|a, b| value(b).total_cmp(&value(a)));
            list
        }
        Policy::Random => {
            let mut picked: Vec<Choice> = Vec::new();
            let mut remaining = capacity;
            loop {
                let open: Vec<&Candidate> = candidates
                    .iter()
                    .filter(|c| {
                        c.cost <= remaining && !picked.iter().any(|p| p.response == c.response)
                    })
                    .collect();
                if open.is_empty() {
                    return picked;
                }
                // One more slot than options: drawing it means "stop here".
                let k = (draw() * (open.len() + 1) as f64) as usize;
                let Some(c) = open.get(k) else {
                    return picked;
                };
                remaining -= c.cost;
                picked.push(Choice {
                    response: c.response.clone(),
                    target: c.target.clone(),
                    rationale: rationale.clone(),
                });
            }
        }
    };
    let mut out: Vec<Choice> = Vec::new();
    let mut remaining = capacity;
    for c in ranked {
        if c.cost <= remaining && !out.iter().any(|p| p.response == c.response) {
            remaining -= c.cost;
            out.push(Choice {
                response: c.response.clone(),
                target: c.target.clone(),
                rationale: rationale.clone(),
            });
        }
    }
    out
}
