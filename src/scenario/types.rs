//! The scenario format as plain serde data: the contract in `docs/scenario-format.md`.
//!
//! Nothing here has behaviour; loading, validation and the engine are built from it.

use super::ids::{
    ActorId, AssetId, FrameworkId, IncidentRef, InjectId, NormId, ResponseId, ScenarioId,
};
use serde::{Deserialize, Serialize};

fn default_turn_length() -> String {
    "1 turn".to_owned()
}
fn default_one() -> u32 {
    1
}
fn default_capacity() -> u32 {
    3
}
fn default_integrity() -> f64 {
    1.0
}
fn default_recovery() -> f64 {
    0.05
}
fn default_evidence() -> f64 {
    0.2
}

/// A whole exercise: who plays, the infrastructure, what happens and what may be done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique kebab-case id.
    pub id: ScenarioId,
    /// Title shown everywhere.
    pub title: String,
    /// One paragraph for the scenario list.
    #[serde(default)]
    pub summary: String,
    /// Read aloud at the start.
    #[serde(default)]
    pub briefing: String,
    /// What the exercise is meant to exercise.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Number of decision turns, 1..=1000.
    pub turns: u32,
    /// Label of one turn's length, e.g. "6 hours".
    #[serde(default = "default_turn_length")]
    pub turn_length: String,
    /// Physical steps between decisions, 1..=1000.
    #[serde(default = "default_one")]
    pub ticks_per_turn: u32,
    /// Default seed; the command line's `--seed` overrides it.
    #[serde(default)]
    pub seed: u64,
    /// The norm frameworks in force: the agreed norms of the exercise.
    #[serde(default)]
    pub frameworks: Vec<FrameworkId>,
    /// Who plays: at least one.
    pub actors: Vec<Actor>,
    /// The infrastructure.
    #[serde(default)]
    pub assets: Vec<Asset>,
    /// Which asset depends on which.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// What happens, and when.
    #[serde(default)]
    pub injects: Vec<Inject>,
    /// What actors may do.
    #[serde(default)]
    pub responses: Vec<Response>,
    /// Omissions scored at the end of each turn.
    #[serde(default)]
    pub obligations: Vec<Obligation>,
}

/// The kind of an actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ActorKind {
    /// A state (government).
    State,
    /// A private company.
    Company,
    /// A computer emergency response team.
    Cert,
    /// Any other organisation: an international body, an NGO, a coalition.
    Organisation,
}

/// Who decides for an actor that no person plays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Policy {
    /// Does nothing.
    #[default]
    Passive,
    /// Chooses what scores best against the norms in force.
    NormAbiding,
    /// Restores and retaliates regardless of norms.
    Aggressive,
    /// Chooses at random (seeded).
    Random,
}

/// Sectors of assets and actors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum Sector {
    Energy,
    Water,
    Health,
    Telecom,
    Finance,
    Transport,
    Government,
    Elections,
    InternetCore,
    Digital,
    Media,
    Other,
}

impl Sector {
    /// Every sector, in declaration order.
    pub const ALL: [Sector; 12] = [
        Sector::Energy,
        Sector::Water,
        Sector::Health,
        Sector::Telecom,
        Sector::Finance,
        Sector::Transport,
        Sector::Government,
        Sector::Elections,
        Sector::InternetCore,
        Sector::Digital,
        Sector::Media,
        Sector::Other,
    ];

    /// The sector's name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Sector::Energy => "Energy",
            Sector::Water => "Water",
            Sector::Health => "Health",
            Sector::Telecom => "Telecom",
            Sector::Finance => "Finance",
            Sector::Transport => "Transport",
            Sector::Government => "Government",
            Sector::Elections => "Elections",
            Sector::InternetCore => "Internet core",
            Sector::Digital => "Digital services",
            Sector::Media => "Media",
            Sector::Other => "Other",
        }
    }
}

/// A State, Company, Cert or Organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Unique id.
    pub id: ActorId,
    /// Display name.
    pub name: String,
    /// State, Company, Cert or Organisation.
    pub kind: ActorKind,
    /// A State actor id; required for Company and Cert.
    #[serde(default)]
    pub jurisdiction: Option<ActorId>,
    /// The actor's sector, if any.
    #[serde(default)]
    pub sector: Option<Sector>,
    /// Frameworks this actor signed or endorsed (its assessments weigh double).
    #[serde(default)]
    pub commitments: Vec<FrameworkId>,
    /// Action points per turn.
    #[serde(default = "default_capacity")]
    pub capacity: u32,
    /// Who decides when no person plays it.
    #[serde(default)]
    pub policy: Policy,
    /// Free text for briefings.
    #[serde(default)]
    pub description: String,
}

impl Actor {
    /// Whether the actor committed to the framework `framework` (its
    /// assessments under it count double).
    pub fn commits_to(&self, framework: &str) -> bool {
        self.commitments.iter().any(|c| c.as_str() == framework)
    }
}

/// A piece of infrastructure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// Unique id.
    pub id: AssetId,
    /// Display name.
    pub name: String,
    /// Its sector.
    pub sector: Sector,
    /// The actor that runs it.
    pub operator: ActorId,
    /// People served directly (civilian impact).
    #[serde(default)]
    pub population: u64,
    /// Designated critical infrastructure.
    #[serde(default)]
    pub critical: bool,
    /// Starting integrity, 0.0..=1.0.
    #[serde(default = "default_integrity")]
    pub integrity: f64,
    /// Integrity regained per tick with no active incident on it, 0.0..=1.0.
    #[serde(default = "default_recovery")]
    pub recovery: f64,
}

/// `from` depends on `on`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    /// The dependent asset.
    pub from: AssetId,
    /// The asset it depends on.
    pub on: AssetId,
    /// Share of `from`'s service lost when `on` delivers nothing, in (0, 1].
    pub weight: f64,
    /// Ticks `from` rides out a loss before it bites.
    #[serde(default)]
    pub backup: u32,
}

/// Something that happens: a story beat, usually with an incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Unique id; its incident is named by it.
    pub id: InjectId,
    /// Headline.
    pub title: String,
    /// The narrative participants read.
    #[serde(default)]
    pub text: String,
    /// When it fires.
    pub trigger: Condition,
    /// Fire again each later turn the trigger holds.
    #[serde(default)]
    pub repeat: bool,
    /// Who sees it; `None` derives the audience from the targets.
    #[serde(default)]
    pub audience: Option<Vec<ActorId>>,
    /// The incident it starts, if any.
    #[serde(default)]
    pub incident: Option<Incident>,
    /// World effects when it fires (Escalate, SetFlag, ClearFlag, Announce).
    #[serde(default)]
    pub effects: Vec<Effect>,
}

/// The kind of an incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum IncidentKind {
    Ransomware,
    Wiper,
    Ddos,
    SupplyChain,
    Espionage,
    Intrusion,
    Disinformation,
    DataTheft,
    VulnerabilityFound,
}

/// A cyber incident started by an inject.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// What kind of incident.
    pub kind: IncidentKind,
    /// The hidden truth: who did it; `None` for unknown.
    #[serde(default)]
    pub perpetrator: Option<ActorId>,
    /// Whom the first evidence points to.
    #[serde(default)]
    pub false_flag: Option<ActorId>,
    /// The assets hit when it fires: at least one.
    pub targets: Vec<AssetId>,
    /// Integrity lost by each target when it fires.
    pub damage: f64,
    /// Integrity lost per tick while active and uncontained.
    #[serde(default)]
    pub ongoing: f64,
    /// Chance per tick and dependency edge to infect a neighbour.
    #[serde(default)]
    pub spread: f64,
    /// Attribution confidence of those who see it at first.
    #[serde(default = "default_evidence")]
    pub evidence: f64,
}

/// What a response targets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetKind {
    /// No target.
    #[default]
    NoTarget,
    /// An asset the acting actor operates.
    OwnAsset,
    /// Any asset.
    AnyAsset,
    /// An incident visible to the acting actor.
    Incident,
    /// Another actor.
    Actor,
    /// An open request for assistance addressed to the acting actor, named by the requester.
    Request,
}

/// An option an actor may choose in a turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Unique id.
    pub id: ResponseId,
    /// Short label shown to players.
    pub label: String,
    /// Longer explanation.
    #[serde(default)]
    pub description: String,
    /// Actor kinds that may choose it: at least one.
    #[serde(rename = "for")]
    pub for_kinds: Vec<ActorKind>,
    /// If non-empty: only these actors may choose it.
    #[serde(default)]
    pub actors: Vec<ActorId>,
    /// What it targets.
    #[serde(default)]
    pub target: TargetKind,
    /// Action points.
    #[serde(default = "default_one")]
    pub cost: u32,
    /// Available only while this holds.
    #[serde(default)]
    pub requires: Option<Condition>,
    /// What it does.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// How it weighs against the norms.
    #[serde(default)]
    pub norms: Vec<Assessment>,
}

/// A norm assessment attached to a response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// The norm, from a framework in force.
    pub norm: NormId,
    /// -3..=3: negative violates, positive upholds.
    pub score: i32,
    /// Counts only if this holds when the decision resolves.
    #[serde(default)]
    pub when: Option<Condition>,
    /// Why, for the report.
    #[serde(default)]
    pub note: String,
}

/// A norm scored against an omission at the end of each turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    /// The norm, from a framework in force.
    pub norm: NormId,
    /// Actor kinds it applies to: at least one.
    #[serde(rename = "for")]
    pub for_kinds: Vec<ActorKind>,
    /// If non-empty: only these actors (of the kinds in `for`).
    #[serde(default)]
    pub actors: Vec<ActorId>,
    /// Evaluated per actor at the end of each turn.
    pub when: Condition,
    /// -3..=3.
    pub score: i32,
    /// Why, for the report.
    #[serde(default)]
    pub note: String,
}

/// Who an incident is shared with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ShareWith {
    /// These actors.
    Actors(Vec<ActorId>),
    /// Every actor of this kind.
    Kind(ActorKind),
    /// Every actor.
    All,
}

/// What a response or inject does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// Target asset: integrity + f.
    Restore(f64),
    /// Target asset: integrity - f (scaled down by hardening).
    Damage(f64),
    /// Target asset: future damage × (1 - f).
    Harden(f64),
    /// Target incident, or the incidents on the target asset: stops damage and spread.
    Contain,
    /// Target asset: contains it; its service is capped at 0.5 for n turns.
    Isolate(u32),
    /// Target incident: the acting actor's attribution confidence + f.
    Investigate(f64),
    /// Target incident: a public statement naming the actor's current suspect.
    Attribute,
    /// Target incident: reveals it, with the actor's confidence, to others.
    Share(ShareWith),
    /// Target actor: opens a request for assistance from the acting actor.
    RequestAssistance,
    /// Target request: the requester's damaged assets regain f integrity.
    Assist(f64),
    /// World: tension + n (negative de-escalates).
    Escalate(i32),
    /// World: set a story flag.
    SetFlag(String),
    /// World: clear a story flag.
    ClearFlag(String),
    /// All actors: a public message.
    Announce(String),
}

/// A test on the state of the exercise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// The current turn is n.
    Turn(u32),
    /// The current turn is n or later.
    TurnAtLeast(u32),
    /// The current turn is between a and b, inclusive.
    TurnBetween(u32, u32),
    /// Holds with probability p (seeded).
    Chance(f64),
    /// The story flag is set.
    Flag(String),
    /// The incident is active (uncontained somewhere).
    IncidentActive(IncidentRef),
    /// The incident has fired and is contained everywhere.
    IncidentContained(IncidentRef),
    /// The asset's service is below f.
    ServiceBelow(AssetId, f64),
    /// The asset's service is at least f.
    ServiceAtLeast(AssetId, f64),
    /// Tension is at least n.
    TensionAtLeast(u32),
    /// The actor chose the response in an earlier turn.
    Responded(ActorId, ResponseId),
    /// The acting actor committed to the framework.
    Committed(FrameworkId),
    /// The acting actor's confidence about the target incident is below f.
    ConfidenceBelow(f64),
    /// The acting actor's confidence about the target incident is at least f.
    ConfidenceAtLeast(f64),
    /// The acting actor's current suspect for the target incident is not the perpetrator.
    Misattributed,
    /// A request addressed to the acting actor has stood unanswered for n turns or more.
    RequestPendingFor(u32),
    /// All hold (left to right, short-circuit).
    All(Vec<Condition>),
    /// Any holds (left to right, short-circuit).
    Any(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
}

impl Condition {
    /// True if evaluating it may draw a random number (it contains `Chance`).
    pub fn draws(&self) -> bool {
        match self {
            Condition::Chance(_) => true,
            Condition::All(list) | Condition::Any(list) => list.iter().any(Condition::draws),
            Condition::Not(inner) => inner.draws(),
            _ => false,
        }
    }

    /// True if what it says depends on the decision's target (the acting
    /// actor's confidence or suspect about the target incident): any other
    /// condition holds or not for every target of a response alike.
    pub fn reads_target(&self) -> bool {
        match self {
            Condition::ConfidenceBelow(_)
            | Condition::ConfidenceAtLeast(_)
            | Condition::Misattributed => true,
            Condition::All(list) | Condition::Any(list) => list.iter().any(Condition::reads_target),
            Condition::Not(inner) => inner.reads_target(),
            _ => false,
        }
    }

    /// The variant's name, as written in a scenario (used in field paths).
    pub fn name(&self) -> &'static str {
        match self {
            Condition::Turn(_) => "Turn",
            Condition::TurnAtLeast(_) => "TurnAtLeast",
            Condition::TurnBetween(..) => "TurnBetween",
            Condition::Chance(_) => "Chance",
            Condition::Flag(_) => "Flag",
            Condition::IncidentActive(_) => "IncidentActive",
            Condition::IncidentContained(_) => "IncidentContained",
            Condition::ServiceBelow(..) => "ServiceBelow",
            Condition::ServiceAtLeast(..) => "ServiceAtLeast",
            Condition::TensionAtLeast(_) => "TensionAtLeast",
            Condition::Responded(..) => "Responded",
            Condition::Committed(_) => "Committed",
            Condition::ConfidenceBelow(_) => "ConfidenceBelow",
            Condition::ConfidenceAtLeast(_) => "ConfidenceAtLeast",
            Condition::Misattributed => "Misattributed",
            Condition::RequestPendingFor(_) => "RequestPendingFor",
            Condition::All(_) => "All",
            Condition::Any(_) => "Any",
            Condition::Not(_) => "Not",
        }
    }
}

impl Effect {
    /// The variant's name, as written in a scenario.
    pub fn name(&self) -> &'static str {
        match self {
            Effect::Restore(_) => "Restore",
            Effect::Damage(_) => "Damage",
            Effect::Harden(_) => "Harden",
            Effect::Contain => "Contain",
            Effect::Isolate(_) => "Isolate",
            Effect::Investigate(_) => "Investigate",
            Effect::Attribute => "Attribute",
            Effect::Share(_) => "Share",
            Effect::RequestAssistance => "RequestAssistance",
            Effect::Assist(_) => "Assist",
            Effect::Escalate(_) => "Escalate",
            Effect::SetFlag(_) => "SetFlag",
            Effect::ClearFlag(_) => "ClearFlag",
            Effect::Announce(_) => "Announce",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Condition;

    #[test]
    fn conditions_that_read_the_target_are_found_at_any_depth() {
        let target = Condition::Not(Box::new(Condition::All(vec![
            Condition::TurnAtLeast(2),
            Condition::Any(vec![Condition::Flag("x".into()), Condition::Misattributed]),
        ])));
        assert!(target.reads_target());
        assert!(Condition::ConfidenceBelow(0.6).reads_target());
        assert!(Condition::ConfidenceAtLeast(0.6).reads_target());
        let untargeted = Condition::Any(vec![
            Condition::Committed("un-gge-2015".into()),
            Condition::Not(Box::new(Condition::TensionAtLeast(50))),
            Condition::RequestPendingFor(1),
        ]);
        assert!(!untargeted.reads_target());
    }
}
