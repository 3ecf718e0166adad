//! The turn rules of DESIGN.md against expectations computed by hand:
//! injects, attribution with a false flag, sharing, requests and assistance,
//! obligations, tension, committed frameworks, decision checks, fog of war,
//! determinism.

use cyberttx::diag::SourceFile;
use cyberttx::engine::{Choice, Engine, Source};
use cyberttx::norms::NormSet;
use cyberttx::scenario::{self, Scenario};
use cyberttx::sim::Physics;

const RULES: &str = r#"(
    id: "rules",
    title: "Rules",
    turns: 5,
    frameworks: ["un-gge-2015", "osce-cbm"],
    actors: [
        (id: "meridia", name: "Meridia", kind: State, commitments: ["un-gge-2015"], capacity: 3),
        (id: "cert-m", name: "CERT-M", kind: Cert, jurisdiction: "meridia", capacity: 2),
        (id: "gridco", name: "GridCo", kind: Company, jurisdiction: "meridia", capacity: 2),
        (id: "valdoria", name: "Valdoria", kind: State, capacity: 3),
        (id: "norland", name: "Norland", kind: State, capacity: 3),
    ],
    assets: [
        (id: "grid", name: "Grid", sector: Energy, operator: "gridco", population: 1000, recovery: 0.0),
        (id: "water", name: "Water", sector: Water, operator: "meridia", population: 500, recovery: 0.0),
        (id: "v-grid", name: "Valdorian grid", sector: Energy, operator: "valdoria", recovery: 0.0),
    ],
    dependencies: [(from: "water", on: "grid", weight: 0.5)],
    injects: [
        (id: "hit", title: "Hit", text: "The grid is hit.", trigger: Turn(1),
         incident: (kind: Wiper, perpetrator: "valdoria", false_flag: "norland",
                    targets: ["grid", "water"], damage: 0.4, evidence: 0.3)),
        (id: "news", title: "News", text: "Public news.", trigger: TurnAtLeast(2)),
        (id: "probe", title: "Probe", trigger: TurnAtLeast(2), repeat: true,
         incident: (kind: Espionage, perpetrator: "norland", targets: ["v-grid"], damage: 0.0)),
    ],
    responses: [
        (id: "investigate", label: "Investigate", for: [State, Cert], target: Incident,
         effects: [Investigate(0.3)], norms: [(norm: "gge-13b", score: 1, note: "evidence first")]),
        (id: "attribute", label: "Attribute", for: [State], target: Incident, effects: [Attribute, Escalate(10)],
         norms: [(norm: "gge-13b", score: -2, when: ConfidenceBelow(0.6), note: "thin"),
                 (norm: "gge-13b", score: 1, when: ConfidenceAtLeast(0.6), note: "solid")]),
        (id: "share", label: "Share", for: [Cert], target: Incident, effects: [Share(All)]),
        (id: "ask", label: "Ask", for: [State], target: Actor, effects: [RequestAssistance],
         norms: [(norm: "osce-8", score: 1, note: "contact point")]),
        (id: "help", label: "Help", for: [State], target: Request, cost: 2, effects: [Assist(0.3)],
         norms: [(norm: "gge-13h", score: 2, note: "answered")]),
        (id: "escalate", label: "Escalate", for: [State], effects: [Escalate(70)]),
        (id: "calm", label: "Calm", for: [State], effects: [Escalate(-100)]),
        (id: "isolate", label: "Isolate", for: [Company], target: OwnAsset, effects: [Contain, Isolate(1)]),
    ],
    obligations: [
        (norm: "gge-13h", for: [State], when: RequestPendingFor(1), score: -2, note: "unanswered"),
    ],
)"#;

fn norms() -> NormSet {
    NormSet::load(None).expect("catalogues")
}

fn parse(text: &str) -> Scenario {
    let src = SourceFile::new("test.ron", text);
    let (s, d) = scenario::check(&src, &norms());
    let errors: Vec<String> =
        d.0.iter()
            .filter(|d| d.is_error())
            .map(|x| src.line(x))
            .collect();
    s.unwrap_or_else(|| panic!("invalid test scenario:\n{}", errors.join("\n")))
}

fn engine(seed: u64) -> Engine {
    Engine::new(parse(RULES), &norms(), seed).expect("engine builds")
}

fn choice(response: &str, target: Option<&str>) -> Choice {
    Choice {
        response: response.to_owned(),
        target: target.map(str::to_owned),
        rationale: format!("because {response}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn an_inject_infects_its_targets_and_its_derived_audience_sees_it() {
    let mut e = engine(1);
    assert_eq!(e.begin_turn(), vec!["hit"]);
    let w = e.world();
    assert!(close(w.integrity(0), 0.6) && close(w.integrity(1), 0.6));
    // Operators (gridco, meridia) and the Cert of their jurisdiction see it.
    for actor in ["gridco", "meridia", "cert-m"] {
        assert_eq!(e.confidence(actor, "hit"), Some(0.3), "{actor}");
    }
    for actor in ["valdoria", "norland"] {
        assert_eq!(e.confidence(actor, "hit"), None, "{actor}");
    }
    // Firing twice in a turn is not possible.
    assert_eq!(e.begin_turn(), vec!["hit"]);
    assert_eq!(e.world().integrity(0), 0.6);
}

#[test]
fn a_repeating_inject_names_its_incidents_hash_n_and_a_public_inject_reaches_all() {
    let mut e = engine(1);
    e.advance();
    assert_eq!(e.begin_turn(), vec!["news", "probe"]);
    e.advance();
    // `news` has no incident and does not repeat: it fires once.
    assert_eq!(e.begin_turn(), vec!["probe"]);
    assert_eq!(e.confidence("valdoria", "probe"), Some(0.2));
    assert_eq!(e.confidence("valdoria", "probe#2"), Some(0.2));
    assert_eq!(e.confidence("valdoria", "probe#3"), None);
    let b = e.briefing("norland").expect("briefing");
    assert!(
        b.injects
            .iter()
            .any(|i| i.id == "news" && i.text == "Public news.")
    );
    assert!(!b.injects.iter().any(|i| i.id == "hit"));
}

#[test]
fn the_suspect_is_the_false_flag_until_confidence_reaches_0_6() {
    let mut e = engine(1);
    e.begin_turn();
    assert_eq!(e.suspect("meridia", "hit").as_deref(), Some("norland"));
    e.submit("meridia", vec![choice("investigate", Some("hit"))])
        .expect("submitted");
    e.advance();
    assert_eq!(e.confidence("meridia", "hit"), Some(0.6));
    assert_eq!(e.suspect("meridia", "hit").as_deref(), Some("valdoria"));
    // The CERT, which did not investigate, still suspects the false flag.
    assert_eq!(e.suspect("cert-m", "hit").as_deref(), Some("norland"));
}

#[test]
fn share_gives_recipients_the_higher_confidence_and_reveals_the_incident() {
    let mut e = engine(1);
    e.begin_turn();
    e.submit(
        "cert-m",
        vec![
            choice("investigate", Some("hit")),
            choice("share", Some("hit")),
        ],
    )
    .expect("submitted");
    e.advance();
    assert_eq!(e.confidence("cert-m", "hit"), Some(0.6));
    for actor in ["meridia", "gridco", "valdoria", "norland"] {
        assert_eq!(e.confidence(actor, "hit"), Some(0.6), "{actor}");
    }
}

#[test]
fn attribution_on_thin_evidence_names_the_false_flag_and_scores_double_when_committed() {
    let mut e = engine(1);
    e.begin_turn();
    e.submit("meridia", vec![choice("attribute", Some("hit"))])
        .expect("submitted");
    let summary = e.advance().expect("turn played").clone();
    assert_eq!(summary.tension, 10);
    let a = &e.attributions()[0];
    assert_eq!((a.actor.as_str(), a.incident.as_str()), ("meridia", "hit"));
    assert_eq!(a.named.as_deref(), Some("norland"));
    assert!(!a.correct);
    assert!(close(a.confidence, 0.3));
    let l = &e.ledger()[0];
    assert_eq!((&*l.norm, &*l.framework), ("gge-13b", "un-gge-2015"));
    assert_eq!((l.score, l.weighted, l.committed), (-2, -4, true));
    assert_eq!(l.source, Source::Decision);
    assert_eq!(l.response.as_deref(), Some("attribute"));
    assert_eq!(l.target.as_deref(), Some("hit"));
    assert_eq!(&*l.note, "thin");
    assert_eq!(
        e.ledger().len(),
        1,
        "the ConfidenceAtLeast assessment does not hold"
    );
    assert!(
        e.announcements()
            .iter()
            .any(|x| x.text == "Meridia publicly attributes 'Hit' (hit) to Norland.")
    );
}

#[test]
fn attribution_on_solid_evidence_is_correct_and_an_uncommitted_state_scores_single() {
    let mut e = engine(1);
    e.begin_turn();
    e.submit(
        "cert-m",
        vec![
            choice("investigate", Some("hit")),
            choice("share", Some("hit")),
        ],
    )
    .expect("submitted");
    e.advance();
    e.submit("valdoria", vec![choice("attribute", Some("hit"))])
        .expect("submitted");
    e.advance();
    let a = e.attributions().last().expect("attributed");
    assert_eq!(a.named.as_deref(), Some("valdoria"));
    assert!(a.correct);
    let l = e
        .ledger()
        .iter()
        .find(|l| &*l.actor == "valdoria")
        .expect("scored");
    assert_eq!((l.score, l.weighted, l.committed), (1, 1, false));
    assert_eq!(&*l.note, "solid");
}

#[test]
fn requests_are_answered_from_the_next_turn_and_assistance_restores_the_requester() {
    let mut e = engine(1);
    e.begin_turn();
    e.submit("meridia", vec![choice("ask", Some("valdoria"))])
        .expect("submitted");
    e.submit("valdoria", vec![choice("help", Some("meridia"))])
        .expect("submitted");
    let t1 = e.advance().expect("turn").clone();
    assert_eq!(t1.rejected.len(), 1);
    // Every set is checked before any resolves: the request does not exist yet.
    assert_eq!(
        t1.rejected[0].reason,
        "Valdoria (valdoria): decisions refused: `help`: there is no open request from `meridia` to the actor"
    );
    assert_eq!(e.briefing("valdoria").expect("b").requests.len(), 1);
    // Meridia is a State: its own water works and GridCo's grid (its
    // jurisdiction) regain 0.3; both were at 0.6.
    e.submit("valdoria", vec![choice("help", Some("meridia"))])
        .expect("submitted");
    let t2 = e.advance().expect("turn").clone();
    assert!(t2.rejected.is_empty(), "{:?}", t2.rejected);
    assert!(close(e.world().integrity(0), 0.9));
    assert!(close(e.world().integrity(1), 0.9));
    assert!(close(e.world().integrity(2), 1.0));
    assert!(e.briefing("valdoria").expect("b").requests.is_empty());
    let help = e
        .ledger()
        .iter()
        .find(|l| &*l.norm == "gge-13h")
        .expect("scored");
    assert_eq!((&*help.actor, help.score, help.turn), ("valdoria", 2, 2));
}

#[test]
fn an_obligation_is_scored_every_turn_it_holds() {
    let mut e = engine(1);
    e.submit("meridia", vec![choice("ask", Some("valdoria"))])
        .expect("submitted");
    for _ in 0..4 {
        e.advance();
    }
    let omissions: Vec<(u32, &str, i32)> = e
        .ledger()
        .iter()
        .filter(|l| l.source == Source::Obligation)
        .map(|l| (l.turn, &*l.actor, l.weighted))
        .collect();
    // Made in turn 1: age 0 at the end of turn 1, then 1, 2, 3.
    assert_eq!(
        omissions,
        vec![
            (2, "valdoria", -2),
            (3, "valdoria", -2),
            (4, "valdoria", -2)
        ]
    );
    let asked = e
        .ledger()
        .iter()
        .find(|l| &*l.norm == "osce-8")
        .expect("scored");
    assert_eq!((asked.weighted, asked.committed), (1, false));
}

#[test]
fn an_obligation_that_names_actors_scores_only_them() {
    // The same duty as RULES' obligation, but on Norland alone: every state
    // is asked, and only Norland's silence is scored.
    let text = RULES.replace(
        "when: RequestPendingFor(1), score: -2",
        "actors: [\"norland\"], when: RequestPendingFor(1), score: -2",
    );
    let mut e = Engine::new(parse(&text), &norms(), 1).expect("engine builds");
    e.submit(
        "meridia",
        vec![
            choice("ask", Some("valdoria")),
            choice("ask", Some("norland")),
        ],
    )
    .expect("submitted");
    e.advance();
    e.advance();
    let omissions: Vec<(u32, &str)> = e
        .ledger()
        .iter()
        .filter(|l| l.source == Source::Obligation)
        .map(|l| (l.turn, &*l.actor))
        .collect();
    assert_eq!(omissions, vec![(2, "norland")]);
}

#[test]
fn tension_is_clamped_to_0_100() {
    let mut e = engine(1);
    e.submit("meridia", vec![choice("escalate", None)])
        .expect("submitted");
    e.submit("norland", vec![choice("escalate", None)])
        .expect("submitted");
    assert_eq!(e.advance().expect("turn").tension, 100);
    e.submit("meridia", vec![choice("calm", None)])
        .expect("submitted");
    e.submit("norland", vec![choice("calm", None)])
        .expect("submitted");
    assert_eq!(e.advance().expect("turn").tension, 0);
}

#[test]
fn refused_decision_sets_say_who_what_and_why_and_nothing_of_them_applies() {
    let cases: [(&str, Vec<Choice>, &str); 6] = [
        (
            "meridia",
            vec![
                choice("escalate", None),
                choice("ask", Some("norland")),
                choice("help", Some("norland")),
            ],
            "Meridia (meridia): decisions refused: `help`: there is no open request from `norland` to the actor",
        ),
        (
            "meridia",
            vec![
                choice("escalate", None),
                choice("investigate", Some("hit")),
                choice("ask", Some("norland")),
                choice("calm", None),
            ],
            "Meridia (meridia): decisions refused: the decisions cost 4 action points, more than its capacity of 3",
        ),
        (
            "gridco",
            vec![choice("escalate", None)],
            "GridCo (gridco): decisions refused: `escalate` is not available to gridco (Company)",
        ),
        (
            "norland",
            vec![choice("investigate", Some("hit")), choice("escalate", None)],
            "Norland (norland): decisions refused: `investigate`: no incident `hit` is visible to the actor",
        ),
        (
            "gridco",
            vec![choice("isolate", Some("water"))],
            "GridCo (gridco): decisions refused: `isolate`: `water` is not an asset the actor operates",
        ),
        (
            "meridia",
            vec![choice("escalate", None), choice("nuke", None)],
            "Meridia (meridia): decisions refused: `nuke` is not a response of this scenario",
        ),
    ];
    for (actor, choices, message) in cases {
        let mut e = engine(1);
        e.submit(actor, choices).expect("submitted");
        let t = e.advance().expect("turn").clone();
        assert_eq!(t.rejected.len(), 1, "{message}");
        assert_eq!(t.rejected[0].actor, actor);
        assert_eq!(t.rejected[0].reason, message);
        assert!(t.decisions.is_empty(), "{message}");
        assert_eq!(t.tension, 0, "nothing applied: {message}");
        assert!(e.ledger().is_empty(), "nothing scored: {message}");
    }
    let mut e = engine(1);
    e.begin_turn();
    e.submit("meridia", vec![choice("investigate", None)])
        .expect("submitted");
    e.submit("cert-m", vec![choice("investigate", Some("grid"))])
        .expect("submitted");
    let t = e.advance().expect("turn").clone();
    assert_eq!(
        t.rejected
            .iter()
            .map(|r| r.reason.as_str())
            .collect::<Vec<_>>(),
        vec![
            "Meridia (meridia): decisions refused: `investigate`: it needs a target: an incident",
            "CERT-M (cert-m): decisions refused: `investigate`: no incident `grid` is visible to the actor",
        ]
    );
    assert_eq!(
        e.submit("atlantis", vec![]).map_err(|x| x.to_string()),
        Err("`atlantis` is not an actor of this scenario".to_owned())
    );
}

#[test]
fn decisions_resolve_in_actor_order_and_are_recorded_with_their_rationale() {
    let mut e = engine(1);
    e.begin_turn();
    e.submit("norland", vec![choice("escalate", None)])
        .expect("submitted");
    e.submit(
        "meridia",
        vec![choice("investigate", Some("hit")), choice("calm", None)],
    )
    .expect("submitted");
    let t = e.advance().expect("turn").clone();
    let order: Vec<(&str, &str)> = t
        .decisions
        .iter()
        .map(|d| (d.actor.as_str(), d.response.as_str()))
        .collect();
    assert_eq!(
        order,
        vec![
            ("meridia", "investigate"),
            ("meridia", "calm"),
            ("norland", "escalate")
        ]
    );
    assert_eq!(t.decisions[0].rationale, "because investigate");
    assert_eq!(t.tension, 70, "calm (to 0) resolves before escalate");
}

#[test]
fn a_briefing_holds_only_what_its_actor_knows() {
    let mut e = engine(1);
    e.begin_turn();
    let b = e.briefing("gridco").expect("briefing");
    assert_eq!(b.incidents.len(), 1);
    assert_eq!(b.incidents[0].suspect.as_deref(), Some("norland"));
    assert_eq!(
        b.assets.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        vec!["grid"]
    );
    let isolate = b
        .responses
        .iter()
        .find(|r| r.id == "isolate")
        .expect("isolate offered");
    assert_eq!(isolate.targets, vec!["grid"]);
    assert_eq!((b.capacity, b.remaining), (2, 2));
    let json = serde_json::to_string(&b).expect("serialises");
    assert!(!json.contains("perpetrator"), "{json}");
    assert!(!json.contains("valdoria"), "the truth leaks: {json}");

    let v = e.briefing("valdoria").expect("briefing");
    assert!(v.incidents.is_empty(), "{:?}", v.incidents);
    assert!(
        !v.responses
            .iter()
            .any(|r| r.id == "investigate" || r.id == "attribute" || r.id == "help")
    );
    let truth = e.facilitator_view();
    assert_eq!(truth.incidents[0].perpetrator.as_deref(), Some("valdoria"));
    assert_eq!(truth.incidents[0].false_flag.as_deref(), Some("norland"));
}

#[test]
fn the_same_seed_and_decisions_give_the_same_turns_and_digests() {
    let play = |seed: u64| {
        let norms = norms();
        let (_, s, _) = scenario::load("quickstart", &norms).expect("valid");
        let mut e = Engine::new(s, &norms, seed).expect("builds");
        while !e.is_finished() {
            e.begin_turn();
            if e.turn() == 1 {
                e.submit(
                    "harbourpower",
                    vec![choice("isolate-network", Some("grid-control"))],
                )
                .expect("submitted");
            }
            e.advance();
        }
        serde_json::to_string(e.timeline()).expect("serialises")
    };
    assert_eq!(play(5), play(5));
    let outcomes: std::collections::BTreeSet<String> = (0..12).map(play).collect();
    assert!(
        outcomes.len() > 1,
        "the Chance injects of quickstart never differ across seeds"
    );
}

#[test]
fn bots_follow_their_policy_and_a_team_overrides_its_bot() {
    let mut e = engine(1);
    e.set_policy("meridia", cyberttx::scenario::Policy::NormAbiding)
        .expect("known actor");
    e.set_policy("norland", cyberttx::scenario::Policy::Aggressive)
        .expect("known actor");
    e.begin_turn();
    // Meridia's options that hold: investigate (+1 × 2 committed), ask (+1),
    // attribute (-2 × 2 at confidence 0.3): it investigates, then asks. It
    // asks a State, who can answer with `help`, and not Norland, whom the
    // false flag makes it suspect.
    let t = e.advance().expect("turn").clone();
    let chosen: Vec<(&str, &str, Option<&str>)> = t
        .decisions
        .iter()
        .map(|d| (d.actor.as_str(), d.response.as_str(), d.target.as_deref()))
        .collect();
    assert_eq!(
        chosen,
        vec![
            ("meridia", "investigate", Some("hit")),
            ("meridia", "ask", Some("valdoria")),
            ("norland", "escalate", None),
        ]
    );
    assert_eq!(t.decisions[0].rationale, "Chosen by the NormAbiding bot");
    // A submission (even an empty one) replaces the bot for that turn.
    e.submit("norland", vec![]).expect("submitted");
    let t2 = e.advance().expect("turn").clone();
    assert!(!t2.decisions.iter().any(|d| d.actor == "norland"));
}

#[test]
fn bots_do_not_repeat_a_decision_that_would_achieve_nothing() {
    let mut e = engine(1);
    e.set_policy("meridia", cyberttx::scenario::Policy::NormAbiding)
        .expect("known actor");
    e.set_policy("gridco", cyberttx::scenario::Policy::NormAbiding)
        .expect("known actor");
    let decisions = |e: &mut Engine| -> Vec<(String, String, Option<String>)> {
        e.begin_turn();
        e.advance()
            .expect("turn")
            .decisions
            .iter()
            .map(|d| (d.actor.clone(), d.response.clone(), d.target.clone()))
            .collect()
    };
    let t1 = decisions(&mut e);
    // GridCo isolates its infected grid; Meridia asks Valdoria, the one
    // State that can answer and that it does not suspect.
    assert!(
        t1.contains(&("gridco".into(), "isolate".into(), Some("grid".into()))),
        "{t1:?}"
    );
    assert!(
        t1.contains(&("meridia".into(), "ask".into(), Some("valdoria".into()))),
        "{t1:?}"
    );
    let t2 = decisions(&mut e);
    // The grid is contained now: isolating it again would only halve its
    // service. Asking Valdoria again would add nothing (and Meridia's
    // investigation has since seen through the false flag: it suspects
    // Valdoria now). Norland can answer and is no longer suspected.
    assert!(!t2.iter().any(|d| d.0 == "gridco"), "{t2:?}");
    assert!(
        t2.contains(&("meridia".into(), "ask".into(), Some("norland".into()))),
        "{t2:?}"
    );
    assert_eq!(
        e.suspect("meridia", "hit").as_deref(),
        Some("valdoria"),
        "the investigation of turn 1 lifted Meridia's confidence to 0.6"
    );
}

#[test]
fn random_bots_are_reproducible_with_their_seed() {
    let play = |seed: u64| {
        let mut e = engine(seed);
        for actor in ["meridia", "cert-m", "gridco", "valdoria", "norland"] {
            e.set_policy(actor, cyberttx::scenario::Policy::Random)
                .expect("known");
        }
        while !e.is_finished() {
            e.advance();
        }
        serde_json::to_string(e.timeline()).expect("serialises")
    };
    assert_eq!(play(9), play(9));
    assert_ne!(play(9), play(10));
}
