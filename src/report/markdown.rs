//! The report in Markdown: for reading as text, pasting into a document, or
//! committing beside the journal.

use super::{NormRecord, Report, Score, turns_text};
use crate::network::thousands;
use std::fmt::Write;

/// Text for a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn score(s: Score) -> String {
    format!("{:+} / {:+}", s.raw, s.weighted)
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Writes lines to a string; `fmt::Write` on a `String` cannot fail.
struct Out(String);

impl Out {
    fn line(&mut self, text: impl AsRef<str>) {
        self.0.push_str(text.as_ref());
        self.0.push('\n');
    }

    fn blank(&mut self) {
        self.0.push('\n');
    }

    fn list(&mut self, title: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        self.line(format!("**{title}**"));
        self.blank();
        for i in items {
            self.line(format!("- {i}"));
        }
        self.blank();
    }
}

/// Renders the whole report.
pub fn render(r: &Report) -> String {
    let mut o = Out(String::with_capacity(16 * 1024));
    overview(r, &mut o);
    timeline(r, &mut o);
    outcomes(r, &mut o);
    scorecard(r, &mut o);
    strengths(r, &mut o);
    plan(r, &mut o);
    o.line("---");
    o.blank();
    o.line(format!(
        "*Written by {} from the journal of scenario `{}`, seed {}. The same journal always gives the same report.*",
        crate::session::program(),
        r.json.scenario.id,
        r.json.seed
    ));
    o.0
}

fn overview(r: &Report, o: &mut Out) {
    let j = &r.json;
    o.line(format!("# After-action report: {}", r.title));
    o.blank();
    let played = j.turns.len();
    let mut facts = vec![
        format!("Scenario `{}`", j.scenario.id),
        format!("seed {}", j.seed),
        format!(
            "{played} of {} turns of {} played",
            r.turns_total, r.turn_length
        ),
        match &j.date {
            Some(d) => format!("exercise date {d}"),
            None => "exercise date not recorded".to_owned(),
        },
    ];
    if let Some(t) = j.ended_early {
        facts.push(format!("ended by the facilitator in turn {t}"));
    }
    o.line(format!("*{}*", facts.join(" · ")));
    o.blank();
    o.line("## 1. Exercise overview");
    o.blank();
    if !r.summary.is_empty() {
        o.line(&r.summary);
        o.blank();
    }
    if !r.briefing.is_empty() {
        o.line("### Briefing");
        o.blank();
        o.line(&r.briefing);
        o.blank();
    }
    if !r.objectives.is_empty() {
        o.line("### Objectives");
        o.blank();
        for x in &r.objectives {
            o.line(format!("- {x}"));
        }
        o.blank();
    }
    o.line("### Norms in force");
    o.blank();
    if r.frameworks.is_empty() {
        o.line("No norm framework was in force: nothing was scored.");
    }
    for (id, name) in &r.frameworks {
        o.line(format!("- {name} (`{id}`)"));
    }
    o.blank();
    o.line("### Participants");
    o.blank();
    o.line("| Actor | Kind | Played by | When no decision was entered | Committed to |");
    o.line("|---|---|---|---|---|");
    for t in &r.teams {
        o.line(format!(
            "| {} | {} | {} | {} | {} |",
            cell(&t.name),
            t.kind,
            cell(&t.played_by),
            t.fallback,
            cell(&if t.commitments.is_empty() {
                "—".to_owned()
            } else {
                t.commitments.join("; ")
            })
        ));
    }
    o.blank();
}

fn timeline(r: &Report, o: &mut Out) {
    o.line("## 2. Timeline");
    o.blank();
    if r.timeline.is_empty() {
        o.line("No turn was played.");
        o.blank();
    }
    for t in &r.timeline {
        o.line(format!("### Turn {}", t.turn));
        o.blank();
        let injects: Vec<String> = t
            .injects
            .iter()
            .map(|i| {
                let by = if i.manual {
                    ", fired by the facilitator"
                } else {
                    ""
                };
                format!(
                    "**{}** (`{}`, seen by {}{by}): {}",
                    i.title,
                    i.id,
                    i.audience.join(", "),
                    i.text
                )
            })
            .collect();
        o.list("Injects", &injects);
        let decisions: Vec<String> = t
            .decisions
            .iter()
            .map(|d| {
                let mut line = format!("**{}**: {}", d.actor, d.response);
                if let Some(x) = &d.target {
                    let _ = write!(line, " — {x}");
                }
                if !d.rationale.is_empty() {
                    let _ = write!(line, ". *Rationale:* {}", d.rationale);
                }
                line
            })
            .collect();
        if decisions.is_empty() {
            o.line("**Decisions**: none.");
            o.blank();
        }
        o.list("Decisions", &decisions);
        o.list("Refused decisions", &t.rejected);
        o.list("Notable changes", &t.changes);
        o.list("Public attributions", &t.attributions);
        o.list("Facilitator's adjudications", &t.adjudications);
        o.list("Facilitator's notes", &t.notes);
        o.line(format!(
            "*End of turn {}: civilian impact {} · tension {}/100.*",
            t.turn,
            thousands(t.impact.round() as u64),
            t.tension
        ));
        o.blank();
    }
    if !r.closing_notes.is_empty() || !r.closing_adjudications.is_empty() {
        o.line("### After the last turn");
        o.blank();
        o.list("Facilitator's adjudications", &r.closing_adjudications);
        o.list("Facilitator's notes", &r.closing_notes);
    }
}

fn outcomes(r: &Report, o: &mut Out) {
    o.line("## 3. Outcomes");
    o.blank();
    o.line("Civilian impact is the population affected by lost service (population × (1 − service), summed over assets). Service is the mean service of a sector's assets at the end of the turn.");
    o.blank();
    let mut head = "| Turn | Civilian impact | Tension |".to_owned();
    let mut rule = "|---:|---:|---:|".to_owned();
    for s in &r.sectors {
        let _ = write!(head, " {} |", s.label());
        rule.push_str("---:|");
    }
    o.line(head);
    o.line(rule);
    for t in &r.timeline {
        let mut row = format!(
            "| {} | {} | {} |",
            t.turn,
            thousands(t.impact.round() as u64),
            t.tension
        );
        for (_, v) in &t.sectors {
            let _ = write!(row, " {} |", percent(*v));
        }
        o.line(row);
    }
    o.blank();
    o.line("### Attributions");
    o.blank();
    let list: Vec<String> = r
        .timeline
        .iter()
        .flat_map(|t| {
            t.attributions
                .iter()
                .map(move |a| format!("Turn {}: {a}", t.turn))
        })
        .collect();
    if list.is_empty() {
        o.line("No public attribution was made.");
        o.blank();
    }
    for a in &list {
        o.line(format!("- {a}"));
    }
    if !list.is_empty() {
        o.blank();
    }
}

fn records(o: &mut Out, title: &str, list: &[NormRecord]) {
    if list.is_empty() {
        return;
    }
    o.line(format!("**{title}**"));
    o.blank();
    for n in list {
        let committed = if n.committed { ", committed" } else { "" };
        o.line(format!(
            "- `{}` {} ({}{committed}): {}",
            n.norm,
            n.title,
            n.framework,
            score(n.total)
        ));
        for t in &n.traces {
            o.line(format!(
                "  - #{} turn {}, {}: {}",
                t.number,
                t.turn,
                score(t.score),
                t.cause
            ));
        }
    }
    o.blank();
}

fn scorecard(r: &Report, o: &mut Out) {
    o.line("## 4. Norm scorecard");
    o.blank();
    o.line("Each assessment scores an actor from −3 (a clear violation) to +3 (clearly upholding the norm), shown as raw / weighted; the frameworks an actor committed to count double in the weighted score. Omissions are scored at the end of a turn; the facilitator's adjudications are marked as such. `#` is the assessment's number in the scoring ledger (`--format csv`).");
    o.blank();
    o.line("| Actor | Raw | Weighted |");
    o.line("|---|---:|---:|");
    for c in &r.cards {
        o.line(format!(
            "| {} | {:+} | {:+} |",
            cell(&c.name),
            c.total.raw,
            c.total.weighted
        ));
    }
    o.blank();
    for c in &r.cards {
        o.line(format!("### {}", c.name));
        o.blank();
        if c.frameworks.is_empty() {
            o.line("No assessment, and no framework committed to.");
            o.blank();
            continue;
        }
        o.line("| Framework | Committed | Raw | Weighted |");
        o.line("|---|---|---:|---:|");
        for (_, name, f) in &c.frameworks {
            o.line(format!(
                "| {} | {} | {:+} | {:+} |",
                cell(name),
                if f.committed { "yes" } else { "no" },
                f.raw,
                f.weighted
            ));
        }
        o.blank();
        records(o, "Upheld", &c.upheld);
        records(o, "Violated", &c.violated);
    }
}

fn strengths<'a>(r: &'a Report, o: &mut Out) {
    o.line("## 5. Strengths and areas for improvement");
    o.blank();
    for c in &r.cards {
        o.line(format!("### {}", c.name));
        o.blank();
        let none = ["None recorded.".to_owned()];
        let or_none = |l: &'a [String]| if l.is_empty() { &none[..] } else { l };
        o.list("Strengths", or_none(&c.strengths));
        o.list("Areas for improvement", or_none(&c.improvements));
    }
}

fn plan(r: &Report, o: &mut Out) {
    o.line("## 6. Improvement plan");
    o.blank();
    if r.plan.is_empty() {
        o.line("No norm was violated: there is no corrective action to plan.");
        o.blank();
        return;
    }
    o.line("One corrective action per norm an actor fell short of, drawn from the norm catalogue's guidance.");
    o.blank();
    for (k, p) in r.plan.iter().enumerate() {
        o.line(format!(
            "{}. **{}: {}** (`{}`, {}), {}, {:+} weighted.  ",
            k + 1,
            p.actor,
            p.title,
            p.norm,
            p.framework,
            turns_text(&p.turns),
            p.weighted
        ));
        o.line(format!("   *Corrective action:* {}", p.guidance));
    }
    o.blank();
}
