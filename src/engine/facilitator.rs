//! What the facilitator may do beside the teams' decisions: fire an inject
//! now, and adjudicate (add an assessment, or override one with a reason).

use super::Engine;
use super::rules::{SharedRules, ledger_entry};
use super::state::{Record, Source};
use super::systems::fire_injects::fire;

/// The facilitator's judgement of an actor against a norm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjudication {
    /// The actor judged (id).
    pub actor: String,
    /// The norm (id), of a framework in force.
    pub norm: String,
    /// −3..=3: negative violates the norm, positive upholds it.
    pub score: i32,
    /// Why: shown in the report beside the score.
    pub reason: String,
    /// The ledger index of the assessment this one overrides, if any.
    pub replaces: Option<usize>,
}

/// Why the facilitator's action was refused; nothing changed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FacilitatorError {
    /// No actor has that id.
    #[error("`{0}` is not an actor of this scenario")]
    UnknownActor(String),
    /// No inject has that id.
    #[error("`{0}` is not an inject of this scenario")]
    UnknownInject(String),
    /// The inject fired before and does not repeat.
    #[error("inject `{0}` has already fired (in turn {1}) and does not repeat")]
    AlreadyFired(String, u32),
    /// The inject fired this turn already.
    #[error("inject `{0}` has already fired this turn")]
    FiredThisTurn(String),
    /// The norm is not in a framework in force.
    #[error(
        "`{0}` is not a norm of the frameworks in force in this exercise (`cyberttx norms` lists them)"
    )]
    UnknownNorm(String),
    /// The score is outside −3..=3.
    #[error("the score must be a whole number from -3 to 3, not {0}")]
    Score(i32),
    /// An adjudication needs a reason.
    #[error("an adjudication needs a reason: it is shown in the report beside the score")]
    NoReason,
    /// No assessment has that number.
    #[error("there is no assessment #{n} (the ledger has {len})", n = .0 + 1, len = .1)]
    NoAssessment(usize, usize),
    /// The assessment was overridden already.
    #[error("assessment #{} has already been overridden", .0 + 1)]
    Overridden(usize),
    /// The override names another actor or norm than the assessment.
    #[error("assessment #{} is of {actor} against {norm}; an override keeps its actor and norm", .index + 1)]
    Mismatch {
        /// The assessment's index.
        index: usize,
        /// Its actor.
        actor: String,
        /// Its norm.
        norm: String,
    },
    /// The exercise is over.
    #[error("the exercise is over: no more injects can fire")]
    Finished,
}

impl Engine {
    /// Fires inject `id` now, in the turn being played, whatever its
    /// trigger: the facilitator's call. The turn's own injects fire first.
    pub fn fire_inject(&mut self, id: &str) -> Result<(), FacilitatorError> {
        if self.is_finished() {
            return Err(FacilitatorError::Finished);
        }
        let Some(&i) = self.rules.injects.get(id) else {
            return Err(FacilitatorError::UnknownInject(id.to_owned()));
        };
        self.begin_turn();
        let turn = self.turn();
        let i = i as usize;
        let earlier = self
            .sim
            .resource::<Record>()
            .injects
            .iter()
            .filter(|f| f.inject == i)
            .map(|f| f.turn)
            .max();
        let repeat = self.rules.scenario.injects.get(i).is_some_and(|x| x.repeat);
        match earlier {
            Some(t) if t == turn => return Err(FacilitatorError::FiredThisTurn(id.to_owned())),
            Some(t) if !repeat => return Err(FacilitatorError::AlreadyFired(id.to_owned(), t)),
            _ => {}
        }
        let rules = self.sim.resource::<SharedRules>().0.clone();
        fire(&mut self.sim, &rules, i);
        Ok(())
    }

    /// Adds the facilitator's assessment to the ledger (weighted like any
    /// other: double when the actor committed to the norm's framework); with
    /// `replaces`, the named assessment stops counting. Returns the new
    /// assessment's index.
    pub fn adjudicate(&mut self, a: &Adjudication) -> Result<usize, FacilitatorError> {
        let Some(&actor) = self.rules.actors.get(a.actor.as_str()) else {
            return Err(FacilitatorError::UnknownActor(a.actor.clone()));
        };
        if !self.rules.assessable(a.norm.as_str()) {
            return Err(FacilitatorError::UnknownNorm(a.norm.clone()));
        }
        if !(-3..=3).contains(&a.score) {
            return Err(FacilitatorError::Score(a.score));
        }
        if a.reason.trim().is_empty() {
            return Err(FacilitatorError::NoReason);
        }
        let ledger = &self.sim.resource::<Record>().ledger;
        if let Some(k) = a.replaces {
            let Some(old) = ledger.get(k) else {
                return Err(FacilitatorError::NoAssessment(k, ledger.len()));
            };
            if old.overridden {
                return Err(FacilitatorError::Overridden(k));
            }
            if *old.actor != *a.actor || *old.norm != *a.norm {
                return Err(FacilitatorError::Mismatch {
                    index: k,
                    actor: old.actor.to_string(),
                    norm: old.norm.to_string(),
                });
            }
        }
        let turn = self.turn().min(self.rules.scenario.turns);
        let assessment = self.rules.scored(&a.norm, a.score, &a.reason);
        let mut entry = ledger_entry(
            &self.rules,
            turn,
            actor,
            &assessment,
            Source::Adjudication,
            None,
            None,
        );
        entry.replaces = a.replaces;
        let ledger = &mut self.sim.resource_mut::<Record>().ledger;
        if let Some(old) = a.replaces.and_then(|k| ledger.get_mut(k)) {
            old.overridden = true;
        }
        ledger.push(entry);
        Ok(ledger.len() - 1)
    }
}
