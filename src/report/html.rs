//! The report as one self-contained HTML page: inline CSS and SVG charts,
//! no scripts and no external requests; readable on screen and printed.

use super::charts::{self, Node, NodeStatus, Series};
use super::{NormRecord, Report, Score, turns_text};
use crate::network::thousands;
use crate::sim::Status;
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = r#"
:root { --ink: #1d2330; --muted: #5a6275; --line: #d5d9e2; --band: #f3f5f9; --good: #1a7f4b; --bad: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; }
main { max-width: 58rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin-top: 1.8rem; }
.facts { color: var(--muted); margin: 0 0 1rem; }
nav ol { columns: 2; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.turn { border-left: 4px solid var(--line); padding: .1rem 0 .1rem 1rem; margin: 1rem 0; }
.inject { background: var(--band); padding: .5rem .8rem; border-radius: 4px; margin: .4rem 0; }
.meta { color: var(--muted); font-size: .9rem; }
.good { color: var(--good); }
.bad { color: var(--bad); }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; }
code { font-size: .88em; background: var(--band); padding: 0 .2em; border-radius: 3px; }
ul.traces { margin: .1rem 0 .4rem; font-size: .9rem; color: var(--muted); }
.action { border: 1px solid var(--line); border-radius: 4px; padding: .6rem .9rem; margin: .6rem 0; break-inside: avoid; }
footer { color: var(--muted); font-size: .85rem; margin-top: 3rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-before: page; }
  h2#overview { break-before: auto; }
  h2, h3 { break-after: avoid; }
  .turn, table, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

fn signed(s: Score) -> String {
    format!("{:+} / {:+}", s.raw, s.weighted)
}

fn class(n: i32) -> &'static str {
    match n {
        n if n > 0 => "good",
        n if n < 0 => "bad",
        _ => "",
    }
}

fn list(title: &str, items: &[String]) -> Markup {
    html! {
        @if !items.is_empty() {
            p { strong { (title) } }
            ul { @for i in items { li { (i) } } }
        }
    }
}

/// Renders the whole page.
pub fn render(r: &Report) -> String {
    let j = &r.json;
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "After-action report: " (r.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    h1 { "After-action report: " (r.title) }
                    p.facts {
                        "Scenario " code { (j.scenario.id) } " · seed " (j.seed) " · "
                        (j.turns.len()) " of " (r.turns_total) " turns of " (r.turn_length) " played · "
                        @match &j.date {
                            Some(d) => { "exercise date " (d) }
                            None => { "exercise date not recorded" }
                        }
                        @if let Some(t) = j.ended_early { " · ended by the facilitator in turn " (t) }
                    }
                    nav {
                        ol {
                            li { a href="#overview" { "Exercise overview" } }
                            li { a href="#timeline" { "Timeline" } }
                            li { a href="#outcomes" { "Outcomes" } }
                            li { a href="#scorecard" { "Norm scorecard" } }
                            li { a href="#strengths" { "Strengths and areas for improvement" } }
                            li { a href="#plan" { "Improvement plan" } }
                        }
                    }
                    (overview(r))
                    (timeline(r))
                    (outcomes(r))
                    (scorecard(r))
                    (strengths(r))
                    (plan(r))
                    footer {
                        "Written by " (crate::session::program()) " from the journal of scenario "
                        code { (j.scenario.id) } ", seed " (j.seed)
                        ". The same journal always gives the same report."
                    }
                }
            }
        }
    };
    let mut text = page.into_string();
    text.push('\n');
    text
}

fn overview(r: &Report) -> Markup {
    html! {
        h2 #overview { "1. Exercise overview" }
        @if !r.summary.is_empty() { p { (r.summary) } }
        @if !r.briefing.is_empty() { h3 { "Briefing" } p { (r.briefing) } }
        @if !r.objectives.is_empty() {
            h3 { "Objectives" }
            ul { @for o in &r.objectives { li { (o) } } }
        }
        h3 { "Norms in force" }
        @if r.frameworks.is_empty() { p { "No norm framework was in force: nothing was scored." } }
        ul { @for (id, name) in &r.frameworks { li { (name) " " code { (id) } } } }
        h3 { "Participants" }
        table {
            tr { th { "Actor" } th { "Kind" } th { "Played by" } th { "When no decision was entered" } th { "Committed to" } }
            @for t in &r.teams {
                tr {
                    td { (t.name) } td { (t.kind) }
                    td { (t.played_by) }
                    td { (t.fallback) }
                    td { @if t.commitments.is_empty() { "—" } @else { (t.commitments.join("; ")) } }
                }
            }
        }
    }
}

fn timeline(r: &Report) -> Markup {
    html! {
        h2 #timeline { "2. Timeline" }
        @if r.timeline.is_empty() { p { "No turn was played." } }
        @for t in &r.timeline {
            div.turn {
                h3 { "Turn " (t.turn) }
                @for i in &t.injects {
                    div.inject {
                        strong { (i.title) }
                        span.meta { " (" code { (i.id) } ", seen by " (i.audience.join(", "))
                            @if i.manual { ", fired by the facilitator" } ")" }
                        p { (i.text) }
                    }
                }
                p { strong { "Decisions" } }
                @if t.decisions.is_empty() { p.meta { "None." } }
                ul {
                    @for d in &t.decisions {
                        li {
                            strong { (d.actor) } ": " (d.response)
                            @if let Some(x) = &d.target { " — " (x) }
                            @if !d.rationale.is_empty() { ". " em { "Rationale: " } (d.rationale) }
                        }
                    }
                }
                (list("Refused decisions", &t.rejected))
                (list("Notable changes", &t.changes))
                (list("Public attributions", &t.attributions))
                (list("Facilitator's adjudications", &t.adjudications))
                (list("Facilitator's notes", &t.notes))
                p.meta {
                    "End of turn " (t.turn) ": civilian impact " (thousands(t.impact.round() as u64))
                    " · tension " (t.tension) "/100."
                }
            }
        }
        @if !r.closing_notes.is_empty() || !r.closing_adjudications.is_empty() {
            h3 { "After the last turn" }
            (list("Facilitator's adjudications", &r.closing_adjudications))
            (list("Facilitator's notes", &r.closing_notes))
        }
    }
}

fn outcomes(r: &Report) -> Markup {
    let impact = [Series {
        name: "Civilian impact".to_owned(),
        values: r.timeline.iter().map(|t| t.impact).collect(),
    }];
    let tension = [Series {
        name: "Tension".to_owned(),
        values: r.timeline.iter().map(|t| f64::from(t.tension)).collect(),
    }];
    let service: Vec<Series> = r
        .sectors
        .iter()
        .enumerate()
        .map(|(k, s)| Series {
            name: s.label().to_owned(),
            values: r
                .timeline
                .iter()
                .map(|t| t.sectors.get(k).map_or(0.0, |x| x.1))
                .collect(),
        })
        .collect();
    let nodes: Vec<Node> = r
        .assets
        .iter()
        .map(|(name, sector, status)| Node {
            label: name.clone(),
            sector: sector.label().to_owned(),
            status: match status {
                Status::Operational => NodeStatus::Operational,
                Status::Degraded => NodeStatus::Degraded,
                Status::Down => NodeStatus::Down,
            },
        })
        .collect();
    html! {
        h2 #outcomes { "3. Outcomes" }
        figure {
            (PreEscaped(charts::line_chart("Civilian impact", "People affected", &impact, None)))
            figcaption { "Civilian impact at the end of each turn: population × (1 − service), summed over assets." }
        }
        figure {
            (PreEscaped(charts::line_chart("Service by sector", "Mean service", &service, Some((0.0, 1.0)))))
            figcaption { "Mean service of each sector's assets at the end of each turn (1 = full service)." }
        }
        figure {
            (PreEscaped(charts::line_chart("Tension", "Tension", &tension, Some((0.0, 100.0)))))
            figcaption { "Tension between the parties at the end of each turn, 0 to 100." }
        }
        table {
            tr {
                th.num { "Turn" } th.num { "Civilian impact" } th.num { "Tension" }
                @for s in &r.sectors { th.num { (s.label()) } }
            }
            @for t in &r.timeline {
                tr {
                    td.num { (t.turn) } td.num { (thousands(t.impact.round() as u64)) } td.num { (t.tension) }
                    @for (_, v) in &t.sectors { td.num { (format!("{:.0}%", v * 100.0)) } }
                }
            }
        }
        h3 { "Infrastructure at the end" }
        figure {
            (PreEscaped(charts::network(&nodes, &r.edges)))
            figcaption { "Each asset coloured by its status at the end of the exercise; arrows point from a supplier to the asset that depends on it." }
        }
        h3 { "Attributions" }
        @let all: Vec<(u32, &String)> = r.timeline.iter().flat_map(|t| t.attributions.iter().map(move |a| (t.turn, a))).collect();
        @if all.is_empty() { p { "No public attribution was made." } }
        ul { @for (turn, a) in &all { li { "Turn " (turn) ": " (a) } } }
    }
}

fn records(title: &str, list: &[NormRecord]) -> Markup {
    html! {
        @if !list.is_empty() {
            p { strong { (title) } }
            ul {
                @for n in list {
                    li {
                        code { (n.norm) } " " (n.title) " "
                        span.meta { "(" (n.framework) @if n.committed { ", committed" } ")" } ": "
                        span class=(class(n.total.weighted)) { (signed(n.total)) }
                        ul.traces {
                            @for t in &n.traces {
                                li { "#" (t.number) " turn " (t.turn) ", " (signed(t.score)) ": " (t.cause) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn scorecard(r: &Report) -> Markup {
    let names: Vec<String> = r.cards.iter().map(|c| c.name.clone()).collect();
    let bars = [
        Series {
            name: "Raw".to_owned(),
            values: r.cards.iter().map(|c| f64::from(c.total.raw)).collect(),
        },
        Series {
            name: "Weighted".to_owned(),
            values: r
                .cards
                .iter()
                .map(|c| f64::from(c.total.weighted))
                .collect(),
        },
    ];
    html! {
        h2 #scorecard { "4. Norm scorecard" }
        p {
            "Each assessment scores an actor from −3 (a clear violation) to +3 (clearly upholding the norm), shown as raw / weighted; "
            "the frameworks an actor committed to count double in the weighted score. Omissions are scored at the end of a turn; "
            "the facilitator's adjudications are marked as such. # is the assessment's number in the scoring ledger (CSV export)."
        }
        figure {
            (PreEscaped(charts::bar_chart("Norm scores per actor", &names, &bars)))
            figcaption { "Total raw and weighted scores of each actor." }
        }
        table {
            tr { th { "Actor" } th.num { "Raw" } th.num { "Weighted" } }
            @for c in &r.cards {
                tr { td { (c.name) } td.num { (format!("{:+}", c.total.raw)) }
                     td.num class=(class(c.total.weighted)) { (format!("{:+}", c.total.weighted)) } }
            }
        }
        @for c in &r.cards {
            h3 { (c.name) }
            @if c.frameworks.is_empty() {
                p.meta { "No assessment, and no framework committed to." }
            } @else {
                table {
                    tr { th { "Framework" } th { "Committed" } th.num { "Raw" } th.num { "Weighted" } }
                    @for (_, name, f) in &c.frameworks {
                        tr { td { (name) } td { @if f.committed { "yes" } @else { "no" } }
                             td.num { (format!("{:+}", f.raw)) } td.num { (format!("{:+}", f.weighted)) } }
                    }
                }
                (records("Upheld", &c.upheld))
                (records("Violated", &c.violated))
            }
        }
    }
}

fn strengths(r: &Report) -> Markup {
    html! {
        h2 #strengths { "5. Strengths and areas for improvement" }
        @for c in &r.cards {
            h3 { (c.name) }
            p { strong { "Strengths" } }
            ul {
                @for x in &c.strengths { li.good { (x) } }
                @if c.strengths.is_empty() { li { "None recorded." } }
            }
            p { strong { "Areas for improvement" } }
            ul {
                @for x in &c.improvements { li.bad { (x) } }
                @if c.improvements.is_empty() { li { "None recorded." } }
            }
        }
    }
}

fn plan(r: &Report) -> Markup {
    html! {
        h2 #plan { "6. Improvement plan" }
        @if r.plan.is_empty() {
            p { "No norm was violated: there is no corrective action to plan." }
        } @else {
            p { "One corrective action per norm an actor fell short of, drawn from the norm catalogue's guidance." }
            @for (k, p) in r.plan.iter().enumerate() {
                div.action {
                    strong { (k + 1) ". " (p.actor) ": " (p.title) }
                    " " span.meta { "(" code { (p.norm) } ", " (p.framework) "), " (turns_text(&p.turns)) ", "
                        (format!("{:+}", p.weighted)) " weighted" }
                    p { em { "Corrective action: " } (p.guidance) }
                }
            }
        }
    }
}
