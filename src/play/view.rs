//! What the terminal shows: the opening, each turn's injects, a team's
//! briefing (its own actor's knowledge only), the public results of a turn,
//! and the facilitator's whole truth.

use crate::engine::{Choice, Source, TurnSummary};
use crate::network::thousands;
use crate::report::public::{PublicTurn, public_results};
use crate::scenario::{Policy, TargetKind};
use crate::session::Session;
use crate::sim::Status;
use crate::text::{hang, table, wrap};
use anstyle::{AnsiColor, Effects, Style};
use std::path::Path;

/// Colour and emphasis, or plain text.
#[derive(Clone, Copy, Debug)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// Colour when `on`.
    pub fn new(on: bool) -> Paint {
        Paint { on }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// A section heading.
    pub fn heading(&self, text: &str) -> String {
        self.paint(
            Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
            text,
        )
    }

    /// Emphasis.
    pub fn strong(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// A prompt.
    pub fn prompt(&self, text: &str) -> String {
        self.paint(
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            text,
        )
    }

    /// A refusal.
    pub fn error(&self, text: &str) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Red.into())), text)
    }

    /// Something that worked.
    pub fn good(&self, text: &str) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Green.into())), text)
    }

    /// A hint.
    pub fn hint(&self, text: &str) -> String {
        self.paint(Style::new().effects(Effects::DIMMED), text)
    }
}

/// A status as a word (plain: tables measure their cells without colour).
fn status_word(s: Status) -> &'static str {
    match s {
        Status::Operational => "operational",
        Status::Degraded => "degraded",
        Status::Down => "DOWN",
    }
}

/// An asset's status, and whether it is isolated.
fn asset_status(a: &crate::engine::AssetView) -> String {
    let word = status_word(a.status);
    if a.isolated {
        format!("{word}, isolated")
    } else {
        word.to_owned()
    }
}

/// How a bot policy reads.
pub fn policy_text(p: Policy) -> &'static str {
    match p {
        Policy::Passive => "does nothing",
        Policy::NormAbiding => "NormAbiding bot",
        Policy::Aggressive => "Aggressive bot",
        Policy::Random => "Random bot",
    }
}

/// An actor's name, by id.
pub fn actor_name(session: &Session, id: &str) -> String {
    crate::report::public::actor_name(&session.engine, id)
}

/// A target's readable name: an asset's or actor's name, an incident's title.
fn target_name(session: &Session, id: &str) -> String {
    let s = session.engine.scenario();
    if let Some(a) = s.assets.iter().find(|a| a.id.as_str() == id) {
        return a.name.clone();
    }
    if let Some(a) = s.actors.iter().find(|a| a.id.as_str() == id) {
        return a.name.clone();
    }
    let inject = id.split('#').next().unwrap_or(id);
    s.injects
        .iter()
        .find(|i| i.id.as_str() == inject)
        .map_or_else(|| id.to_owned(), |i| i.title.clone())
}

/// A choice as the room hears it.
pub fn choice_text(session: &Session, c: &Choice) -> String {
    let label = session
        .engine
        .scenario()
        .responses
        .iter()
        .find(|r| r.id.as_str() == c.response)
        .map_or_else(|| c.response.clone(), |r| r.label.clone());
    let mut out = format!("“{label}”");
    if let Some(t) = &c.target {
        out.push_str(&format!(" on {} ({t})", target_name(session, t)));
    }
    if !c.rationale.is_empty() {
        out.push_str(&format!(" — {}", c.rationale));
    }
    out
}

/// "2 of 3 action points left."
pub fn points_left(session: &Session, actor: &str) -> String {
    match session.engine.briefing(actor) {
        Some(b) => format!(
            "{} of {} action point{} left.",
            b.remaining,
            b.capacity,
            if b.capacity == 1 { "" } else { "s" }
        ),
        None => String::new(),
    }
}

fn team_line(session: &Session, actor: &crate::scenario::Actor) -> String {
    match session.header.teams.get(actor.id.as_str()) {
        Some(t) if !t.is_empty() => format!("played by {t}"),
        Some(_) => "played by a team".to_owned(),
        None => {
            let policy = session
                .header
                .bots
                .get(actor.id.as_str())
                .copied()
                .unwrap_or(actor.policy);
            policy_text(policy).to_owned()
        }
    }
}

fn teams(session: &Session, paint: &Paint) -> String {
    let mut out = format!("{}\n", paint.heading("Who plays"));
    for a in &session.engine.scenario().actors {
        out.push_str(&format!("  {} — {}\n", a.name, team_line(session, a)));
    }
    out
}

const HOW: &str = "Each turn: the injects are read out to the teams that receive them; then each team in turn sees its own briefing and announces its decisions, which you enter as NUMBER TARGET RATIONALE, and `done` confirms them. Bots decide for the actors no team plays, and the turn resolves. `help` lists every command, at any prompt.";

/// The opening of a new session.
pub fn intro(session: &Session, journal: &Path, paint: &Paint) -> String {
    let s = session.engine.scenario();
    let mut out = format!(
        "\n{}\n{}\n",
        paint.heading(&format!("cyberttx · {}", s.title)),
        paint.hint(&format!(
            "Scenario `{}` · {} turns of {} · seed {}",
            s.id, s.turns, s.turn_length, session.header.seed
        ))
    );
    out.push_str(&format!(
        "Journal: {} (every entry is saved the moment it is accepted)\n\n",
        journal.display()
    ));
    out.push_str(&format!("{}\n", paint.heading("Briefing")));
    out.push_str(&wrap(&s.briefing, "  "));
    out.push_str("\n\n");
    if !s.objectives.is_empty() {
        out.push_str(&format!("{}\n", paint.heading("Objectives")));
        for o in &s.objectives {
            out.push_str(&hang(o, "  - ", "    "));
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&teams(session, paint));
    out.push('\n');
    out.push_str(&wrap(HOW, ""));
    out.push('\n');
    out
}

/// The opening of a resumed session.
pub fn resumed(session: &Session, journal: &Path, paint: &Paint) -> String {
    let s = session.engine.scenario();
    let played = session.engine.timeline().len();
    let mut out = format!(
        "\n{}\n",
        paint.heading(&format!("cyberttx · {} (resumed)", s.title))
    );
    out.push_str(&format!(
        "Resumed from {}: {played} of {} turns played; every entry so far is restored.\n\n",
        journal.display(),
        s.turns
    ));
    out.push_str(&teams(session, paint));
    out.push('\n');
    out.push_str(&wrap(HOW, ""));
    out.push('\n');
    out
}

fn audience(session: &Session, audience: &[u32]) -> String {
    let s = session.engine.scenario();
    let names: Vec<&str> = audience
        .iter()
        .filter_map(|&a| s.actors.get(a as usize))
        .map(|a| a.name.as_str())
        .collect();
    if names.is_empty() {
        "nobody".to_owned()
    } else {
        names.join(", ")
    }
}

fn inject_block(session: &Session, f: &crate::engine::FiredInject, paint: &Paint) -> String {
    let Some(i) = session.engine.scenario().injects.get(f.inject) else {
        return String::new();
    };
    let mut out = format!(
        "  ▸ {}  {}\n",
        paint.strong(&i.title),
        paint.hint(&format!(
            "(`{}`; for {})",
            i.id,
            audience(session, &f.audience)
        ))
    );
    if !i.text.is_empty() {
        out.push_str(&wrap(&i.text, "    "));
        out.push('\n');
    }
    out
}

/// The start of a turn: its number and the injects that fired, each with
/// its text and the actors that receive it.
pub fn turn_opening(session: &Session, paint: &Paint) -> String {
    let s = session.engine.scenario();
    let turn = session.engine.turn();
    let mut out = format!(
        "\n{}\n",
        paint.heading(&format!(
            "━━━ Turn {turn} of {} ({}) ━━━",
            s.turns, s.turn_length
        ))
    );
    let fired: Vec<_> = session
        .engine
        .inject_log()
        .iter()
        .filter(|f| f.turn == turn)
        .collect();
    if fired.is_empty() {
        out.push_str("No new inject this turn.\n");
    } else {
        out.push_str("Read each inject to the teams it is for:\n");
        for f in fired {
            out.push_str(&inject_block(session, f, paint));
        }
    }
    out
}

/// An inject the facilitator just fired.
pub fn manual_inject(session: &Session, id: &str, paint: &Paint) -> String {
    let log = session.engine.inject_log();
    let s = session.engine.scenario();
    let latest = log
        .iter()
        .rev()
        .find(|f| s.injects.get(f.inject).is_some_and(|i| i.id.as_str() == id));
    match latest {
        Some(f) => format!(
            "{}\n{}",
            paint.good("Fired now:"),
            inject_block(session, f, paint)
        ),
        None => String::new(),
    }
}

/// A team's briefing: exactly what its actor knows, and what it may do.
pub fn briefing(session: &Session, actor: &str, paint: &Paint) -> String {
    let Some(b) = session.engine.briefing(actor) else {
        return String::new();
    };
    let team = session
        .header
        .teams
        .get(actor)
        .filter(|t| !t.is_empty())
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let mut out = format!(
        "\n{}\n",
        paint.heading(&format!(
            "─── {}{team} · turn {} — for this team's eyes only ───",
            b.name, b.turn
        ))
    );
    let new: Vec<&str> = b
        .injects
        .iter()
        .filter(|i| i.turn == b.turn)
        .map(|i| i.title.as_str())
        .collect();
    if !new.is_empty() {
        out.push_str(&format!("New this turn: {}\n", new.join("; ")));
    }
    out.push_str(&format!("{}\n", paint.strong("Incidents you know of")));
    if b.incidents.is_empty() {
        out.push_str("  none\n");
    }
    for i in &b.incidents {
        let state = if i.active { "active" } else { "contained" };
        let evidence = match &i.suspect {
            Some(x) => format!(
                "your evidence points at {} (confidence {:.0}%)",
                actor_name(session, x),
                i.confidence * 100.0
            ),
            None => format!("no suspect yet (confidence {:.0}%)", i.confidence * 100.0),
        };
        out.push_str(&wrap(
            &format!(
                "{} ({}): {:?}, {state}; {evidence}",
                i.title, i.name, i.kind
            ),
            "  ",
        ));
        out.push('\n');
    }
    if !b.assets.is_empty() {
        out.push_str(&format!("{}\n", paint.strong("Your infrastructure")));
        let mut t = table();
        t.set_header(["Asset", "Sector", "Service", "Status"]);
        for a in &b.assets {
            t.add_row([
                format!("{} ({})", a.name, a.id),
                a.sector.label().to_owned(),
                format!("{:.0}%", a.service * 100.0),
                asset_status(a),
            ]);
        }
        out.push_str(&indent(&t.to_string()));
    }
    if !b.requests.is_empty() {
        out.push_str(&format!(
            "{}\n",
            paint.strong("Requests for assistance to you")
        ));
        for r in &b.requests {
            out.push_str(&format!(
                "  {} asked in turn {} ({} turn{} unanswered)\n",
                actor_name(session, &r.from),
                r.made,
                r.age,
                if r.age == 1 { "" } else { "s" }
            ));
        }
    }
    let statements: Vec<_> = b
        .announcements
        .iter()
        .filter(|a| a.turn + 1 >= b.turn)
        .collect();
    if !statements.is_empty() {
        out.push_str(&format!("{}\n", paint.strong("Public statements")));
        for a in statements {
            out.push_str(&hang(
                &format!("turn {}: {}", a.turn, a.text),
                "  - ",
                "    ",
            ));
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "{}\n",
        paint.strong(&format!(
            "What {} can do — {} of {} action point{} left",
            b.name,
            b.remaining,
            b.capacity,
            if b.capacity == 1 { "" } else { "s" }
        ))
    ));
    if b.responses.is_empty() {
        out.push_str("  nothing is available now\n");
    }
    for (n, r) in b.responses.iter().enumerate() {
        out.push_str(&format!(
            "  {}. {} · {} point{}\n",
            n + 1,
            paint.strong(&r.label),
            r.cost,
            if r.cost == 1 { "" } else { "s" }
        ));
        if !r.description.is_empty() {
            out.push_str(&paint.hint(&wrap(&r.description, "     ")));
            out.push('\n');
        }
        if r.target != TargetKind::NoTarget {
            let targets: Vec<String> = r
                .targets
                .iter()
                .enumerate()
                .map(|(k, t)| format!("{} {t} ({})", k + 1, target_name(session, t)))
                .collect();
            out.push_str(&wrap(&format!("targets: {}", targets.join(" · ")), "     "));
            out.push('\n');
        }
    }
    let drafts = session.drafts(actor);
    if !drafts.is_empty() {
        out.push_str(&format!("{}\n", paint.strong("Chosen so far")));
        for c in drafts {
            out.push_str(&format!("  - {}\n", choice_text(session, c)));
        }
    }
    out.push_str(&paint.hint(&format!(
        "Enter NUMBER TARGET RATIONALE to add a choice for {1} (e.g. `1 {0}`), `done` to confirm, `help` for all commands.",
        b.responses
            .first()
            .and_then(|r| r.targets.first())
            .map_or("Because …", |t| t.as_str()),
        b.name
    )));
    out.push('\n');
    out
}

fn indent(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str("  ");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// What a team confirmed.
pub fn confirmed(session: &Session, actor: &str, paint: &Paint) -> String {
    let drafts = session.drafts(actor);
    let name = actor_name(session, actor);
    if drafts.is_empty() {
        return format!(
            "{} {name} does nothing this turn.\n",
            paint.good("Confirmed:")
        );
    }
    let mut out = format!("{} for {name}:\n", paint.good("Confirmed"));
    for c in drafts {
        out.push_str(&format!("  - {}\n", choice_text(session, c)));
    }
    out
}

fn sector_table(r: &PublicTurn) -> String {
    let mut t = table();
    t.set_header(["Sector", "Service", "Operational", "Degraded", "Down"]);
    for row in &r.sectors {
        t.add_row([
            row.label.to_owned(),
            format!("{:.0}%", row.service * 100.0),
            row.operational.to_string(),
            row.degraded.to_string(),
            row.down.to_string(),
        ]);
    }
    indent(&t.to_string())
}

/// The public results of a turn: service by sector, what went down or came
/// back, civilian impact, tension and public statements. Decisions stay
/// private to the teams that made them.
pub fn turn_results(session: &Session, t: &TurnSummary, paint: &Paint) -> String {
    let results = public_results(&session.engine);
    let Some(k) = results.iter().position(|r| r.turn == t.turn) else {
        return String::new();
    };
    let r = &results[k];
    let before = k.checked_sub(1).and_then(|i| results.get(i));
    let mut out = format!(
        "\n{}\n",
        paint.heading(&format!("━━━ Results of turn {} ━━━", r.turn))
    );
    out.push_str(&sector_table(r));
    if !r.changes.is_empty() {
        out.push_str(&format!("{}\n", paint.strong("What changed")));
        for c in &r.changes {
            out.push_str(&hang(c, "  - ", "    "));
            out.push('\n');
        }
    }
    let delta = before.map_or(0.0, |b| r.impact.round() - b.impact.round());
    let delta_text = if delta == 0.0 {
        String::new()
    } else {
        format!(
            " ({}{} since last turn)",
            if delta > 0.0 { "+" } else { "-" },
            thousands(delta.abs() as u64)
        )
    };
    out.push_str(&format!(
        "Civilian impact: {} people affected{delta_text}\n",
        thousands(r.impact.max(0.0).round() as u64)
    ));
    let change = i64::from(r.tension) - i64::from(before.map_or(0, |b| b.tension));
    out.push_str(&format!(
        "Tension: {}/100{}\n",
        r.tension,
        if change == 0 {
            String::new()
        } else {
            format!(" ({change:+})")
        }
    ));
    if !r.statements.is_empty() {
        out.push_str(&format!("{}\n", paint.strong("Public statements")));
        for text in &r.statements {
            out.push_str(&hang(text, "  - ", "    "));
            out.push('\n');
        }
    }
    for x in &t.rejected {
        out.push_str(&paint.error(&wrap(&format!("Refused: {}", x.reason), "")));
        out.push('\n');
    }
    out
}

/// The whole truth, for the facilitator.
pub fn status(session: &Session, paint: &Paint) -> String {
    let e = &session.engine;
    let s = e.scenario();
    let v = e.facilitator_view();
    let mut out = format!(
        "\n{}\n",
        paint.heading(&format!(
            "Facilitator's view — turn {} of {} — not for the teams",
            v.turn.min(s.turns),
            s.turns
        ))
    );
    out.push_str(&format!(
        "Tension {}/100 · civilian impact {}\n",
        v.tension,
        thousands(v.impact.max(0.0).round() as u64)
    ));
    let mut t = table();
    t.set_header([
        "Asset",
        "Sector",
        "Operator",
        "Integrity",
        "Service",
        "Status",
    ]);
    for a in &v.assets {
        t.add_row([
            format!("{} ({})", a.name, a.id),
            a.sector.label().to_owned(),
            actor_name(session, &a.operator),
            format!("{:.0}%", a.integrity * 100.0),
            format!("{:.0}%", a.service * 100.0),
            asset_status(a),
        ]);
    }
    out.push_str(&indent(&t.to_string()));
    out.push_str(&format!("{}\n", paint.strong("Incidents (the truth)")));
    if v.incidents.is_empty() {
        out.push_str("  none yet\n");
    }
    for i in &v.incidents {
        let who = i
            .perpetrator
            .as_deref()
            .map_or_else(|| "unknown".to_owned(), |p| actor_name(session, p));
        let flag = i
            .false_flag
            .as_deref()
            .map(|f| format!(", planted evidence pointing at {}", actor_name(session, f)))
            .unwrap_or_default();
        let infected: Vec<String> = i
            .infected
            .iter()
            .map(|(a, contained)| format!("{a}{}", if *contained { " (contained)" } else { "" }))
            .collect();
        out.push_str(&wrap(
            &format!(
                "{} ({}): by {who}{flag}; {}; infected: {}",
                target_name(session, &i.name),
                i.name,
                if i.active { "active" } else { "contained" },
                if infected.is_empty() {
                    "nothing".to_owned()
                } else {
                    infected.join(", ")
                }
            ),
            "  ",
        ));
        out.push('\n');
        for k in &i.knowledge {
            out.push_str(&format!(
                "      {} suspects {} ({:.0}%)\n",
                actor_name(session, &k.actor),
                k.suspect
                    .as_deref()
                    .map_or_else(|| "nobody".to_owned(), |x| actor_name(session, x)),
                k.confidence * 100.0
            ));
        }
    }
    if !v.requests.is_empty() {
        out.push_str(&format!("{}\n", paint.strong("Open requests")));
        for r in &v.requests {
            out.push_str(&format!(
                "  {} → {} (turn {}, {} unanswered)\n",
                actor_name(session, &r.from),
                actor_name(session, &r.to),
                r.made,
                r.age
            ));
        }
    }
    let teams = session.team_actors();
    if !teams.is_empty() && !e.is_finished() {
        out.push_str(&format!("{}\n", paint.strong("Entered this turn")));
        for a in &teams {
            let drafts = session.drafts(a);
            let state = if session.is_confirmed(a) {
                "confirmed"
            } else {
                "open"
            };
            out.push_str(&format!(
                "  {} ({state}): {}\n",
                actor_name(session, a),
                if drafts.is_empty() {
                    "nothing".to_owned()
                } else {
                    drafts
                        .iter()
                        .map(|c| choice_text(session, c))
                        .collect::<Vec<_>>()
                        .join("; ")
                }
            ));
        }
    }
    if let Some(last) = e.timeline().last() {
        out.push_str(&format!(
            "{}\n",
            paint.strong(&format!("Every decision of turn {}", last.turn))
        ));
        for d in &last.decisions {
            out.push_str(&wrap(
                &format!(
                    "{}: {}",
                    actor_name(session, &d.actor),
                    choice_text(
                        session,
                        &Choice {
                            response: d.response.clone(),
                            target: d.target.clone(),
                            rationale: d.rationale.clone(),
                        }
                    )
                ),
                "  ",
            ));
            out.push('\n');
        }
    }
    let unfired: Vec<&str> = s
        .injects
        .iter()
        .enumerate()
        .filter(|(k, i)| i.repeat || !e.inject_log().iter().any(|f| f.inject == *k))
        .map(|(_, i)| i.id.as_str())
        .collect();
    if !unfired.is_empty() {
        out.push_str(&format!(
            "Injects that `inject ID` can fire: {}\n",
            unfired.join(", ")
        ));
    }
    out.push_str(&scores(session, paint));
    out
}

fn scores(session: &Session, paint: &Paint) -> String {
    let e = &session.engine;
    let card = crate::report::scorecard(e);
    let mut out = format!(
        "{}\n",
        paint.strong("Scores (raw / weighted; committed frameworks count double)")
    );
    for a in &e.scenario().actors {
        if let Some(c) = card.get(a.id.as_str()) {
            out.push_str(&format!(
                "  {:<28} {:>4} / {:>4}\n",
                a.name, c.raw, c.weighted
            ));
        }
    }
    let ledger = e.ledger();
    let recent = e.turn().saturating_sub(1).max(1);
    let shown: Vec<(usize, &crate::engine::LedgerEntry)> = ledger
        .iter()
        .enumerate()
        .filter(|(_, l)| l.turn >= recent)
        .collect();
    if !shown.is_empty() {
        out.push_str(&format!(
            "{}\n",
            paint.strong("Recent assessments (`adjudicate #N SCORE REASON` changes one)")
        ));
        for (k, l) in shown {
            let source = match l.source {
                Source::Decision => "decision",
                Source::Obligation => "omission",
                Source::Adjudication => "adjudication",
            };
            let struck = if l.overridden { " [overridden]" } else { "" };
            out.push_str(&wrap(
                &format!(
                    "#{} turn {} {} {} {:+} ({source}){struck}: {}",
                    k + 1,
                    l.turn,
                    actor_name(session, &l.actor),
                    l.norm,
                    l.score,
                    l.note
                ),
                "  ",
            ));
            out.push('\n');
        }
    }
    out
}

/// The assessment an adjudication made.
pub fn adjudicated(session: &Session, index: usize) -> String {
    let Some(l) = session.engine.ledger().get(index) else {
        return String::new();
    };
    let replaced = l
        .replaces
        .map(|r| format!(", replacing #{}", r + 1))
        .unwrap_or_default();
    format!(
        "Assessment #{}: {} on {} {:+} (weighted {:+}){replaced}: {}\n",
        index + 1,
        actor_name(session, &l.actor),
        l.norm,
        l.score,
        l.weighted,
        l.note
    )
}
