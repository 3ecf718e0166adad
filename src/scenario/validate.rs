//! Semantic checks of a parsed scenario: every problem at once, each at the
//! position of the offending value with its field path.

use super::ids::{ActorId, AssetId, FrameworkId, IncidentRef, NormId};
use super::types::{ActorKind, Condition, Effect, Scenario, ShareWith, TargetKind};
use crate::diag::{Diagnostic, Diagnostics};
use crate::input::closest;
use crate::locate::Locations;
use crate::norms::NormSet;
use std::collections::{BTreeSet, HashMap};

/// The largest number of turns, ticks per turn and action points accepted.
pub const MAX_TURNS: u32 = 1000;

/// What is wrong with an id's spelling, if anything: it must not be empty and
/// may hold only letters, digits, `-`, `_` and `.`; `kebab` ids are lower-case
/// words joined by single hyphens.
pub fn id_problem(id: &str, kebab: bool) -> Option<String> {
    if id.is_empty() {
        Some("an id must not be empty".to_owned())
    } else if kebab
        && !id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
    {
        Some(format!(
            "`{id}` is not kebab-case (lower-case letters and digits, words joined by single `-`)"
        ))
    } else if !id
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Some(format!(
            "id `{id}` may contain only letters, digits, `-`, `_` and `.`"
        ))
    } else {
        None
    }
}

/// What a condition may refer to where it stands.
#[derive(Clone, Copy)]
struct Ctx {
    /// Where it stands, for messages ("an inject trigger").
    place: &'static str,
    /// There is an acting actor.
    actor: bool,
    /// There is a target incident.
    incident: bool,
}

const TRIGGER: Ctx = Ctx {
    place: "an inject trigger",
    actor: false,
    incident: false,
};
const OBLIGATION: Ctx = Ctx {
    place: "an obligation",
    actor: true,
    incident: false,
};

/// Validates a scenario parsed from `text`. Each problem points at its value
/// in `text`; the text is located only when there is a problem to show.
pub fn validate(s: &Scenario, text: &str, norms: &NormSet) -> Diagnostics {
    let mut v = Validator::new(s, norms);
    v.scenario();
    v.actors();
    v.assets();
    v.dependencies();
    v.injects();
    v.responses();
    v.obligations();
    v.availability();
    if !v.out.is_empty() {
        let locs = Locations::of(text);
        for d in &mut v.out {
            d.span = locs.nearest(&d.path);
        }
    }
    let mut d = Diagnostics(v.out);
    d.sort();
    d
}

/// Where a value is, as a problem report names it: a path, or a closure
/// that writes one, so that the path of a value found fine (nearly all of
/// them, in a large scenario) is never formatted.
trait At {
    fn path(self) -> String;
}

impl At for &str {
    fn path(self) -> String {
        self.to_owned()
    }
}

impl At for &String {
    fn path(self) -> String {
        self.clone()
    }
}

impl At for String {
    fn path(self) -> String {
        self
    }
}

impl<F: FnOnce() -> String> At for F {
    fn path(self) -> String {
        self()
    }
}

struct Validator<'a> {
    s: &'a Scenario,
    norms: &'a NormSet,
    out: Vec<Diagnostic>,
    actors: Index<'a>,
    assets: Index<'a>,
    injects: Index<'a>,
    responses: Index<'a>,
    flags_set: BTreeSet<&'a str>,
    in_force: BTreeSet<&'a str>,
}

/// The first index of each id of a list (later duplicates are reported by
/// `duplicates`). Hashed: ids of generated scenarios share long prefixes,
/// which an ordered map compares over and over.
type Index<'a> = HashMap<&'a str, usize>;

fn index<'a>(ids: impl Iterator<Item = &'a str>) -> Index<'a> {
    let mut map = HashMap::new();
    for (i, id) in ids.enumerate() {
        map.entry(id).or_insert(i);
    }
    map
}

/// The ids of an index in order, so that "did you mean" picks the same
/// suggestion on every run.
fn sorted<'a>(index: &Index<'a>) -> Vec<&'a str> {
    let mut ids: Vec<&str> = index.keys().copied().collect();
    ids.sort_unstable();
    ids
}

fn fmt_kind(k: ActorKind) -> &'static str {
    match k {
        ActorKind::State => "a State",
        ActorKind::Company => "a Company",
        ActorKind::Cert => "a Cert",
        ActorKind::Organisation => "an Organisation",
    }
}

impl<'a> Validator<'a> {
    fn new(s: &'a Scenario, norms: &'a NormSet) -> Self {
        let mut flags_set = BTreeSet::new();
        let effects = s
            .injects
            .iter()
            .flat_map(|i| &i.effects)
            .chain(s.responses.iter().flat_map(|r| &r.effects));
        for e in effects {
            if let Effect::SetFlag(f) = e {
                flags_set.insert(f.as_str());
            }
        }
        Validator {
            s,
            norms,
            out: Vec::new(),
            actors: index(s.actors.iter().map(|a| a.id.as_str())),
            assets: index(s.assets.iter().map(|a| a.id.as_str())),
            injects: index(s.injects.iter().map(|i| i.id.as_str())),
            responses: index(s.responses.iter().map(|r| r.id.as_str())),
            flags_set,
            in_force: s.frameworks.iter().map(FrameworkId::as_str).collect(),
        }
    }

    /// Records a problem at `path`; its span is filled in by `validate`.
    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.out.push(d);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    fn error(&mut self, path: impl At, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Diagnostic::error(path.path(), 0..0, message))
    }

    fn warning(&mut self, path: impl At, message: impl Into<String>) -> &mut Diagnostic {
        self.push(Diagnostic::warning(path.path(), 0..0, message))
    }

    fn id(&mut self, id: &str, path: impl At, kebab: bool) {
        if let Some(problem) = id_problem(id, kebab) {
            self.error(path, problem);
        }
    }

    fn not_empty(&mut self, value: &str, path: impl At, field: &str) {
        if value.trim().is_empty() {
            self.error(path, format!("`{field}` must not be empty"));
        }
    }

    /// Reports every id used more than once in a list, at its later uses.
    fn duplicates<'b>(&mut self, what: &str, list: &str, ids: impl Iterator<Item = &'b str>) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            if let Some(&f) = first.get(id) {
                self.error(
                    format!("{list}[{i}].id"),
                    format!("{what} id `{id}` is used twice (first at {list}[{f}])"),
                );
            } else {
                first.insert(id, i);
            }
        }
    }

    fn fraction(&mut self, value: f64, path: impl At, what: &str) {
        if !(0.0..=1.0).contains(&value) {
            self.error(
                path,
                format!("{what} must be between 0 and 1, found {value}"),
            );
        }
    }

    fn score(&mut self, score: i32, path: &str) {
        if !(-3..=3).contains(&score) {
            self.error(
                path,
                format!("a score must be a whole number from -3 to 3, found {score}"),
            )
            .help = Some("negative scores violate a norm, positive ones uphold it".to_owned());
        }
    }

    fn actor_ref(&mut self, id: &ActorId, path: impl At, role: &str) -> Option<usize> {
        let found = self.actors.get(id.as_str()).copied();
        if found.is_none() {
            let best = closest(id.as_str(), sorted(&self.actors)).map(str::to_owned);
            let d = self.error(
                path,
                format!("{role} `{id}` is not an actor of this scenario"),
            );
            if let Some(best) = best {
                d.help = Some(format!("did you mean `{best}`?"));
            }
        }
        found
    }

    fn asset_ref(&mut self, id: &AssetId, path: impl At, role: &str) -> Option<usize> {
        let found = self.assets.get(id.as_str()).copied();
        if found.is_none() {
            let best = closest(id.as_str(), sorted(&self.assets)).map(str::to_owned);
            let d = self.error(
                path,
                format!("{role} `{id}` is not an asset of this scenario"),
            );
            if let Some(best) = best {
                d.help = Some(format!("did you mean `{best}`?"));
            }
        }
        found
    }

    fn framework_ref(&mut self, id: &FrameworkId, path: &str) {
        if self.norms.framework(id.as_str()).is_none() {
            let best = self.norms.closest_framework(id.as_str()).map(str::to_owned);
            let d = self.error(path, format!("unknown norm framework `{id}`"));
            d.help = Some(match best {
                Some(b) => format!("did you mean `{b}`? `cyberttx norms` lists the frameworks"),
                None => "`cyberttx norms` lists the frameworks".to_owned(),
            });
        }
    }

    fn norm_ref(&mut self, id: &NormId, path: &str) {
        match self.norms.norm(id.as_str()) {
            None => {
                let best = self.norms.closest_norm(id.as_str()).map(str::to_owned);
                let d = self.error(path, format!("unknown norm `{id}`"));
                d.help = Some(match best {
                    Some(b) => format!("did you mean `{b}`?"),
                    None => "`cyberttx norms --framework ID` lists a framework's norms".to_owned(),
                });
            }
            Some((framework, _)) if !self.in_force.contains(framework.id.as_str()) => {
                let fw = framework.id.clone();
                let d = self.error(
                    path,
                    format!("norm `{id}` belongs to framework `{fw}`, which is not in force in this scenario"),
                );
                d.help = Some(format!(
                    "add \"{fw}\" to `frameworks`, or assess a norm of a framework in force"
                ));
            }
            Some(_) => {}
        }
    }

    fn turn_number(&mut self, n: u32, path: &str) {
        if n == 0 {
            self.error(path, "turns are numbered from 1");
        } else if n > self.s.turns && (1..=MAX_TURNS).contains(&self.s.turns) {
            self.warning(
                path,
                format!(
                    "turn {n} is after the last turn ({}), so this never holds",
                    self.s.turns
                ),
            );
        }
    }

    fn scenario(&mut self) {
        let s = self.s;
        self.id(s.id.as_str(), "id", true);
        self.not_empty(&s.title, "title", "title");
        if !(1..=MAX_TURNS).contains(&s.turns) {
            self.error(
                "turns",
                format!("turns must be from 1 to {MAX_TURNS}, found {}", s.turns),
            );
        }
        if !(1..=MAX_TURNS).contains(&s.ticks_per_turn) {
            self.error(
                "ticks_per_turn",
                format!(
                    "ticks_per_turn must be from 1 to {MAX_TURNS}, found {}",
                    s.ticks_per_turn
                ),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, f) in s.frameworks.iter().enumerate() {
            let path = format!("frameworks[{i}]");
            self.framework_ref(f, &path);
            if !seen.insert(f) {
                self.warning(&path, format!("framework `{f}` is listed twice"));
            }
        }
        if s.actors.is_empty() {
            self.error("actors", "a scenario needs at least one actor");
        }
    }

    fn actors(&mut self) {
        let s = self.s;
        self.duplicates("actor", "actors", s.actors.iter().map(|a| a.id.as_str()));
        for (i, a) in s.actors.iter().enumerate() {
            let p = format!("actors[{i}]");
            self.id(a.id.as_str(), format!("{p}.id"), false);
            self.not_empty(&a.name, format!("{p}.name"), "name");
            let jp = format!("{p}.jurisdiction");
            match (&a.jurisdiction, a.kind) {
                (None, ActorKind::Company | ActorKind::Cert) => {
                    self.error(
                        &jp,
                        format!(
                            "`{}` is {} and needs a `jurisdiction` (the id of a State actor)",
                            a.id,
                            fmt_kind(a.kind)
                        ),
                    );
                }
                (Some(j), ActorKind::State) if *j != a.id => {
                    self.error(
                        &jp,
                        format!("`{}` is a State: its jurisdiction is itself", a.id),
                    )
                    .help = Some("remove `jurisdiction`".to_owned());
                }
                (Some(j), _) => {
                    if let Some(k) = self.actor_ref(j, &jp, "jurisdiction")
                        && s.actors[k].kind != ActorKind::State
                    {
                        self.error(
                            &jp,
                            format!(
                                "jurisdiction `{j}` is {}, not a State",
                                fmt_kind(s.actors[k].kind)
                            ),
                        );
                    }
                }
                (None, _) => {}
            }
            let mut seen = BTreeSet::new();
            for (c, f) in a.commitments.iter().enumerate() {
                let path = format!("{p}.commitments[{c}]");
                self.framework_ref(f, &path);
                if !seen.insert(f) {
                    self.warning(&path, format!("framework `{f}` is listed twice"));
                }
            }
            if a.capacity > MAX_TURNS {
                self.error(
                    format!("{p}.capacity"),
                    format!(
                        "capacity must be from 0 to {MAX_TURNS} action points, found {}",
                        a.capacity
                    ),
                );
            }
        }
    }

    fn assets(&mut self) {
        let s = self.s;
        self.duplicates("asset", "assets", s.assets.iter().map(|a| a.id.as_str()));
        for (i, a) in s.assets.iter().enumerate() {
            self.id(a.id.as_str(), || format!("assets[{i}].id"), false);
            self.not_empty(&a.name, || format!("assets[{i}].name"), "name");
            self.actor_ref(&a.operator, || format!("assets[{i}].operator"), "operator");
            self.fraction(
                a.integrity,
                || format!("assets[{i}].integrity"),
                "integrity",
            );
            self.fraction(a.recovery, || format!("assets[{i}].recovery"), "recovery");
        }
    }

    fn dependencies(&mut self) {
        let s = self.s;
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, d) in s.dependencies.iter().enumerate() {
            let from = self.asset_ref(&d.from, || format!("dependencies[{i}].from"), "asset");
            let on = self.asset_ref(&d.on, || format!("dependencies[{i}].on"), "asset");
            if from.is_some() && d.from == d.on {
                self.error(
                    format!("dependencies[{i}].on"),
                    format!("asset `{}` cannot depend on itself", d.from),
                );
            }
            if let Some(first) = seen.insert((d.from.as_str(), d.on.as_str()), i)
                && from.is_some()
                && on.is_some()
            {
                self.error(
                    format!("dependencies[{i}]"),
                    format!(
                        "`{}` depends on `{}` twice (first at dependencies[{first}])",
                        d.from, d.on
                    ),
                )
                .help = Some("merge them into one dependency with the combined weight".to_owned());
            }
            if !(d.weight > 0.0 && d.weight <= 1.0) {
                self.error(
                    format!("dependencies[{i}].weight"),
                    format!(
                        "weight must be more than 0 and at most 1, found {}",
                        d.weight
                    ),
                );
            }
        }
    }

    fn injects(&mut self) {
        let s = self.s;
        self.duplicates("inject", "injects", s.injects.iter().map(|i| i.id.as_str()));
        for (i, inj) in s.injects.iter().enumerate() {
            let p = format!("injects[{i}]");
            self.id(inj.id.as_str(), format!("{p}.id"), false);
            self.not_empty(&inj.title, format!("{p}.title"), "title");
            self.condition(&inj.trigger, &format!("{p}.trigger"), TRIGGER);
            if let Some(audience) = &inj.audience {
                if audience.is_empty() {
                    self.warning(
                        format!("{p}.audience"),
                        "the audience is empty: nobody will see this inject",
                    )
                    .help = Some("write `audience: None` to derive it from the targets".to_owned());
                }
                for (k, a) in audience.iter().enumerate() {
                    self.actor_ref(a, format!("{p}.audience[{k}]"), "audience member");
                }
            }
            if let Some(inc) = &inj.incident {
                let ip = format!("{p}.incident");
                if let Some(perp) = &inc.perpetrator {
                    self.actor_ref(perp, format!("{ip}.perpetrator"), "perpetrator");
                }
                if let Some(flag) = &inc.false_flag {
                    self.actor_ref(flag, format!("{ip}.false_flag"), "false flag");
                    if inc.perpetrator.as_ref() == Some(flag) {
                        self.warning(
                            format!("{ip}.false_flag"),
                            format!("the false flag points at the real perpetrator `{flag}`"),
                        );
                    }
                }
                if inc.targets.is_empty() {
                    self.error(
                        format!("{ip}.targets"),
                        "an incident needs at least one target asset",
                    );
                }
                let mut seen = BTreeSet::new();
                for (t, target) in inc.targets.iter().enumerate() {
                    let tp = format!("{ip}.targets[{t}]");
                    self.asset_ref(target, &tp, "target");
                    if !seen.insert(target) {
                        self.error(&tp, format!("target `{target}` is listed twice"));
                    }
                }
                self.fraction(inc.damage, format!("{ip}.damage"), "damage");
                self.fraction(inc.ongoing, format!("{ip}.ongoing"), "ongoing damage");
                self.fraction(inc.spread, format!("{ip}.spread"), "spread (a probability)");
                self.fraction(
                    inc.evidence,
                    format!("{ip}.evidence"),
                    "evidence (a confidence)",
                );
            }
            for (k, e) in inj.effects.iter().enumerate() {
                let ep = format!("{p}.effects[{k}]");
                match e {
                    Effect::Escalate(_)
                    | Effect::SetFlag(_)
                    | Effect::ClearFlag(_)
                    | Effect::Announce(_) => {
                        self.effect_values(e, &ep);
                    }
                    _ => {
                        self.error(
                            &ep,
                            format!("an inject cannot have the effect `{}`: it has no acting actor or target", e.name()),
                        )
                        .help = Some("inject effects may only be Escalate, SetFlag, ClearFlag or Announce".to_owned());
                    }
                }
            }
        }
    }

    fn responses(&mut self) {
        let s = self.s;
        self.duplicates(
            "response",
            "responses",
            s.responses.iter().map(|r| r.id.as_str()),
        );
        for (i, r) in s.responses.iter().enumerate() {
            let p = format!("responses[{i}]");
            self.id(r.id.as_str(), format!("{p}.id"), false);
            self.not_empty(&r.label, format!("{p}.label"), "label");
            if r.for_kinds.is_empty() {
                self.error(
                    format!("{p}.for"),
                    "`for` must name at least one actor kind (State, Company, Cert, Organisation)",
                );
            }
            for (k, a) in r.actors.iter().enumerate() {
                let ap = format!("{p}.actors[{k}]");
                if let Some(idx) = self.actor_ref(a, &ap, "actor") {
                    let kind = s.actors[idx].kind;
                    if !r.for_kinds.is_empty() && !r.for_kinds.contains(&kind) {
                        self.error(
                            &ap,
                            format!(
                                "`{a}` is {}, but this response is only for {}",
                                fmt_kind(kind),
                                kinds_list(&r.for_kinds)
                            ),
                        );
                    }
                }
            }
            if r.cost > MAX_TURNS {
                self.error(
                    format!("{p}.cost"),
                    format!("cost must be from 0 to {MAX_TURNS}, found {}", r.cost),
                );
            }
            let ctx = Ctx {
                place: "this response",
                actor: true,
                incident: r.target == TargetKind::Incident,
            };
            if let Some(req) = &r.requires {
                self.condition(req, &format!("{p}.requires"), ctx);
            }
            for (k, e) in r.effects.iter().enumerate() {
                let ep = format!("{p}.effects[{k}]");
                self.effect_target(e, r.target, &ep);
                self.effect_values(e, &ep);
            }
            for (k, a) in r.norms.iter().enumerate() {
                let np = format!("{p}.norms[{k}]");
                self.norm_ref(&a.norm, &format!("{np}.norm"));
                self.score(a.score, &format!("{np}.score"));
                if let Some(when) = &a.when {
                    self.condition(when, &format!("{np}.when"), ctx);
                }
            }
        }
    }

    fn obligations(&mut self) {
        let s = self.s;
        for (i, o) in s.obligations.iter().enumerate() {
            let p = format!("obligations[{i}]");
            self.norm_ref(&o.norm, &format!("{p}.norm"));
            if o.for_kinds.is_empty() {
                self.error(
                    format!("{p}.for"),
                    "`for` must name at least one actor kind (State, Company, Cert, Organisation)",
                );
            }
            for (k, a) in o.actors.iter().enumerate() {
                let ap = format!("{p}.actors[{k}]");
                if let Some(idx) = self.actor_ref(a, &ap, "actor") {
                    let kind = s.actors[idx].kind;
                    if !o.for_kinds.is_empty() && !o.for_kinds.contains(&kind) {
                        self.error(
                            &ap,
                            format!(
                                "`{a}` is {}, but this obligation is only for {}",
                                fmt_kind(kind),
                                kinds_list(&o.for_kinds)
                            ),
                        );
                    }
                }
            }
            self.condition(&o.when, &format!("{p}.when"), OBLIGATION);
            self.score(o.score, &format!("{p}.score"));
        }
    }

    /// Warnings for actors with nothing to do and responses nobody can choose.
    fn availability(&mut self) {
        let s = self.s;
        let can = |a: &super::types::Actor, r: &super::types::Response| {
            r.for_kinds.contains(&a.kind) && (r.actors.is_empty() || r.actors.contains(&a.id))
        };
        for (i, a) in s.actors.iter().enumerate() {
            if !s.responses.iter().any(|r| can(a, r)) {
                self.warning(
                    format!("actors[{i}].id"),
                    format!(
                        "no response is available to `{}` ({}), so it can never act",
                        a.id,
                        fmt_kind(a.kind)
                    ),
                )
                .help =
                    Some("add its kind to a response's `for`, or add a response for it".to_owned());
            } else if !s
                .responses
                .iter()
                .any(|r| can(a, r) && r.cost <= a.capacity)
            {
                self.warning(
                    format!("actors[{i}].capacity"),
                    format!(
                        "every response available to `{}` costs more than its capacity ({})",
                        a.id, a.capacity
                    ),
                );
            }
        }
        for (i, r) in s.responses.iter().enumerate() {
            if !r.for_kinds.is_empty() && !s.actors.iter().any(|a| can(a, r)) {
                self.warning(
                    format!("responses[{i}].for"),
                    format!("no actor of this scenario can choose `{}`", r.id),
                );
            }
        }
    }

    fn effect_target(&mut self, e: &Effect, target: TargetKind, path: &str) {
        use TargetKind as T;
        let (ok, needs) = match e {
            Effect::Restore(_) | Effect::Damage(_) | Effect::Harden(_) | Effect::Isolate(_) => (
                matches!(target, T::OwnAsset | T::AnyAsset),
                "an asset target (OwnAsset or AnyAsset)",
            ),
            Effect::Contain => (
                matches!(target, T::Incident | T::OwnAsset | T::AnyAsset),
                "an incident or asset target (Incident, OwnAsset or AnyAsset)",
            ),
            Effect::Investigate(_) | Effect::Attribute | Effect::Share(_) => {
                (target == T::Incident, "an incident target (Incident)")
            }
            Effect::RequestAssistance => (target == T::Actor, "an actor target (Actor)"),
            Effect::Assist(_) => (target == T::Request, "a request target (Request)"),
            _ => (true, ""),
        };
        if !ok {
            self.error(
                path,
                format!(
                    "the effect `{}` needs {needs}, but the response's target is {target:?}",
                    e.name()
                ),
            );
        }
    }

    fn effect_values(&mut self, e: &Effect, path: &str) {
        let arg = format!("{path}.{}", e.name());
        match e {
            Effect::Restore(f) | Effect::Damage(f) | Effect::Investigate(f) | Effect::Assist(f) => {
                self.fraction(*f, &arg, e.name());
            }
            Effect::Harden(f) if !(0.0..1.0).contains(f) => {
                self.error(
                    &arg,
                    format!("Harden must be at least 0 and below 1, found {f}"),
                )
                .help = Some("Harden(1.0) would make the asset immune to all damage".to_owned());
            }
            Effect::Isolate(n) if *n == 0 || *n > MAX_TURNS => {
                self.error(
                    &arg,
                    format!("Isolate lasts from 1 to {MAX_TURNS} turns, found {n}"),
                );
            }
            Effect::Escalate(n) if !(-100..=100).contains(n) => {
                self.error(
                    &arg,
                    format!("Escalate must be from -100 to 100 (tension is 0..=100), found {n}"),
                );
            }
            Effect::SetFlag(f) | Effect::ClearFlag(f) => self.not_empty(f, &arg, "the flag name"),
            Effect::Announce(t) => self.not_empty(t, &arg, "the announcement"),
            Effect::Share(ShareWith::Actors(list)) => {
                if list.is_empty() {
                    self.warning(
                        format!("{arg}.Actors"),
                        "Share with an empty list of actors does nothing",
                    );
                }
                for (k, a) in list.iter().enumerate() {
                    self.actor_ref(a, format!("{arg}.Actors[{k}]"), "recipient");
                }
            }
            _ => {}
        }
    }

    fn incident_ref(&mut self, r: &IncidentRef, path: &str) {
        let Some((inject, n)) = r.split() else {
            self.error(path, format!("`{r}` is not an incident name: write an inject id, or `inject-id#2` for its second incident"));
            return;
        };
        let Some(&idx) = self.injects.get(inject) else {
            let best = closest(inject, sorted(&self.injects)).map(str::to_owned);
            let d = self.error(
                path,
                format!("`{inject}` is not an inject of this scenario"),
            );
            if let Some(best) = best {
                d.help = Some(format!("did you mean `{best}`?"));
            }
            return;
        };
        let inj = &self.s.injects[idx];
        if inj.incident.is_none() {
            self.error(path, format!("inject `{inject}` starts no incident"));
        } else if n > 1 && !inj.repeat {
            self.error(
                path,
                format!("inject `{inject}` does not repeat, so it has no incident `{r}`"),
            )
            .help =
                Some("`#n` names the n-th incident of an inject with `repeat: true`".to_owned());
        }
    }

    fn condition(&mut self, c: &Condition, path: &str, ctx: Ctx) {
        let arg = format!("{path}.{}", c.name());
        match c {
            Condition::Turn(n) | Condition::TurnAtLeast(n) => self.turn_number(*n, &arg),
            Condition::TurnBetween(a, b) => {
                self.turn_number(*a, &format!("{arg}[0]"));
                if a > b {
                    self.error(
                        format!("{arg}[1]"),
                        format!(
                            "TurnBetween({a}, {b}) never holds: the first turn is after the last"
                        ),
                    );
                }
            }
            Condition::Chance(p) => self.fraction(*p, &arg, "Chance (a probability)"),
            Condition::Flag(f) => {
                if f.is_empty() {
                    self.error(&arg, "the flag name must not be empty");
                } else if !self.flags_set.contains(f.as_str()) {
                    self.warning(
                        &arg,
                        format!("no effect sets the flag `{f}`, so this never holds"),
                    );
                }
            }
            Condition::IncidentActive(r) | Condition::IncidentContained(r) => {
                self.incident_ref(r, &arg)
            }
            Condition::ServiceBelow(asset, f) | Condition::ServiceAtLeast(asset, f) => {
                self.asset_ref(asset, format!("{arg}[0]"), "asset");
                self.fraction(*f, format!("{arg}[1]"), "service");
            }
            Condition::TensionAtLeast(n) => {
                if *n > 100 {
                    self.error(
                        &arg,
                        format!("tension is 0..=100, so TensionAtLeast({n}) never holds"),
                    );
                }
            }
            Condition::Responded(actor, response) => {
                self.actor_ref(actor, format!("{arg}[0]"), "actor");
                if !self.responses.contains_key(response.as_str()) {
                    let best =
                        closest(response.as_str(), sorted(&self.responses)).map(str::to_owned);
                    let d = self.error(
                        format!("{arg}[1]"),
                        format!("`{response}` is not a response of this scenario"),
                    );
                    if let Some(best) = best {
                        d.help = Some(format!("did you mean `{best}`?"));
                    }
                }
            }
            Condition::Committed(f) => {
                self.needs(c, path, ctx, ctx.actor, "an acting actor");
                self.framework_ref(f, &arg);
            }
            Condition::ConfidenceBelow(f) | Condition::ConfidenceAtLeast(f) => {
                self.needs(
                    c,
                    path,
                    ctx,
                    ctx.incident,
                    "an acting actor and a target incident",
                );
                self.fraction(*f, &arg, "confidence");
            }
            Condition::Misattributed => {
                self.needs(
                    c,
                    path,
                    ctx,
                    ctx.incident,
                    "an acting actor and a target incident",
                );
            }
            Condition::RequestPendingFor(_) => {
                self.needs(c, path, ctx, ctx.actor, "an acting actor");
            }
            Condition::All(list) | Condition::Any(list) => {
                if list.is_empty() && matches!(c, Condition::Any(_)) {
                    self.warning(&arg, "Any([]) never holds");
                }
                for (k, inner) in list.iter().enumerate() {
                    self.condition(inner, &format!("{arg}[{k}]"), ctx);
                }
            }
            Condition::Not(inner) => self.condition(inner, &arg, ctx),
        }
    }

    fn needs(&mut self, c: &Condition, path: &str, ctx: Ctx, ok: bool, what: &str) {
        if !ok {
            let help = if ctx.actor {
                "use it in a response whose target is Incident"
            } else {
                "use it in a response's `requires` or an assessment's `when`"
            };
            self.error(
                path,
                format!("`{}` needs {what}, and {} has none", c.name(), ctx.place),
            )
            .help = Some(help.to_owned());
        }
    }
}

fn kinds_list(kinds: &[ActorKind]) -> String {
    kinds
        .iter()
        .map(|k| format!("{k:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
