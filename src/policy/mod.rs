//! Bots: who decides for an actor no team plays. Deterministic given the
//! candidates and, for `Random`, the draws.
//!
//! A bot sees only its actor's options (the responses available to it now,
//! on valid targets), each with what it would score against the norms in
//! force, how much it restores and how much it escalates.

use crate::scenario::Policy;

/// What one option of an actor (a response on a target) is worth.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The response (index in the scenario); each is chosen at most once a turn.
    pub response: u32,
    /// Action points.
    pub cost: u32,
    /// Weighted score of its assessments that hold now.
    pub norm_score: i32,
    /// What it would restore now: the integrity its Restore effects give
    /// back to the target asset (at most what was lost), its Assist
    /// amounts, and 0.5 for each Contain or Isolate of a target with an
    /// uncontained infection.
    pub restores: f64,
    /// Net tension it adds (its Escalate amounts).
    pub escalation: i32,
    /// It would achieve nothing a team would want: the actor made this very
    /// decision (response and target) in an earlier turn and it would
    /// restore nothing now (a second report of the same incident), it
    /// isolates an asset that no uncontained infection has reached (halving
    /// its service for nothing), or it asks for assistance an actor to whom
    /// no response with `Assist` is open. No bot but Random chooses it.
    pub pointless: bool,
    /// Among options that tie on everything above, how apt the target is
    /// (higher first). For a request for assistance: 2 for an actor that can
    /// answer it and that the actor does not suspect of an active incident,
    /// 1 for one it suspects (an actor that cannot answer makes the option
    /// pointless). For any other response aimed at an actor: 2 for one it
    /// suspects, 1 for a State, 0 otherwise. For other targets: 0.
    pub aptness: u8,
}

/// The rationale recorded with a bot's decisions.
pub fn rationale(policy: Policy) -> &'static str {
    match policy {
        Policy::Passive => "Chosen by the Passive bot",
        Policy::NormAbiding => "Chosen by the NormAbiding bot",
        Policy::Aggressive => "Chosen by the Aggressive bot",
        Policy::Random => "Chosen by the Random bot",
    }
}

/// The candidates (by index, in the order they will resolve) that a bot
/// with `policy` chooses within `capacity`; `draw` gives numbers in [0, 1)
/// for `Random`. Each response is chosen at most once.
pub fn choose(
    policy: Policy,
    candidates: &[Candidate],
    capacity: u32,
    draw: &mut dyn FnMut() -> f64,
) -> Vec<usize> {
    let mut ranked: Vec<usize> = (0..candidates.len()).collect();
    match policy {
        Policy::Passive => return Vec::new(),
        Policy::NormAbiding => {
            ranked.retain(|&i| {
                let c = &candidates[i];
                !c.pointless && (c.norm_score > 0 || (c.norm_score == 0 && c.restores > 0.0))
            });
            ranked.sort_by(|&a, &b| {
                let (a, b) = (&candidates[a], &candidates[b]);
                b.norm_score
                    .cmp(&a.norm_score)
                    .then(b.restores.total_cmp(&a.restores))
                    .then(b.aptness.cmp(&a.aptness))
            });
        }
        Policy::Aggressive => {
            let value = |c: &Candidate| c.restores + f64::from(c.escalation.max(0)) / 10.0;
            ranked.retain(|&i| !candidates[i].pointless && value(&candidates[i]) > 0.0);
            ranked.sort_by(|&a, &b| {
                let (a, b) = (&candidates[a], &candidates[b]);
                value(b)
                    .total_cmp(&value(a))
                    .then(b.aptness.cmp(&a.aptness))
            });
        }
        Policy::Random => {
            let mut picked: Vec<usize> = Vec::new();
            let mut remaining = capacity;
            loop {
                let open: Vec<usize> = (0..candidates.len())
                    .filter(|&i| {
                        let c = &candidates[i];
                        c.cost <= remaining
                            && !picked.iter().any(|&p| candidates[p].response == c.response)
                    })
                    .collect();
                if open.is_empty() {
                    return picked;
                }
                // One more slot than options: drawing it means "stop here".
                let k = (draw() * (open.len() + 1) as f64) as usize;
                let Some(&i) = open.get(k) else {
                    return picked;
                };
                remaining -= candidates[i].cost;
                picked.push(i);
            }
        }
    }
    let mut out: Vec<usize> = Vec::new();
    let mut remaining = capacity;
    for i in ranked {
        let c = &candidates[i];
        if c.cost <= remaining && !out.iter().any(|&p| candidates[p].response == c.response) {
            remaining -= c.cost;
            out.push(i);
        }
    }
    out
}
