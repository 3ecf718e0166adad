//! The command line: clap definitions, and one function per command that
//! turns resolved arguments into output and an exit code.

use crate::diag::{Diagnostics, SourceFile, plural};
use crate::engine::{Choice, Engine};
use crate::locate::Locations;
use crate::network::Network;
use crate::norms::{self, Catalogue, NormSet, NormsError};
use crate::scenario::Policy;
use crate::scenario::{self, ScenarioError};
use crate::session::{self, Session, SessionError};
use crate::text::{table, wrap};
use clap::{Args, Parser, Subcommand};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Scenario-based cyber tabletop exercises, scored against the cyber norms
/// the exercise agreed to.
#[derive(Debug, Parser)]
#[command(name = "cyberttx", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// A directory of extra norm catalogues (*.ron): each adds a framework,
    /// or replaces the bundled catalogue with the same framework id.
    #[arg(long, global = true, value_name = "DIR")]
    pub norms_dir: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 ok, 1 invalid input (scenario, catalogue), 2 usage, 3 file could not be read or written.";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a facilitated exercise in the terminal (the bundled quickstart by default).
    ///
    /// The facilitator runs the program while teams deliberate; --team names
    /// each team and its actor (without any, the program asks which actors
    /// teams play). Each turn the injects are read out to the teams that
    /// receive them, each team in turn sees only its own actor's briefing
    /// and announces its decisions,
    /// which the facilitator enters (`NUMBER TARGET RATIONALE`, then
    /// `done`); bots decide for the actors no team plays; the turn resolves
    /// into a public summary. `help` at any prompt lists the facilitator's
    /// commands (status, inject, note, adjudicate, undo, skip, end, quit).
    /// At the end the report is written next to the journal (Markdown and
    /// HTML). Every entry is saved to the journal the moment it is
    /// accepted: after a crash or `quit`, `--resume JOURNAL` goes on at the
    /// same prompt. Input may be piped from a script.
    #[command(after_help = EXIT_CODES)]
    Play(PlayArgs),
    /// Run an exercise in browsers: a page per team and a console for the facilitator.
    ///
    /// Prints the facilitator's link and one join link per actor, each with
    /// its own secret token; send each team only its own. A team's page shows
    /// only what its actor knows and takes its decisions; the facilitator's
    /// console shows the whole truth, which teams have submitted, and
    /// advances the turn (teams that have not submitted are played by their
    /// bots), fires injects, takes notes and adjudications, ends the
    /// exercise and downloads the report. Pages update by themselves. Every
    /// accepted entry is saved to the journal before it is acknowledged:
    /// `--resume JOURNAL` restarts a stopped server with the same state and
    /// links. Listens on 127.0.0.1 unless --bind says otherwise; the API is
    /// in docs/http-api.md.
    #[command(after_help = EXIT_CODES)]
    Serve(ServeArgs),
    /// Write the after-action report of a journal.
    ///
    /// Rebuilds the exercise from its journal (checking every recorded
    /// turn) and writes the report: overview, timeline, outcomes, norm
    /// scorecard, strengths and areas for improvement, improvement plan.
    /// Markdown to standard output by default; --format html gives one
    /// self-contained page with charts (for screen and print), json the
    /// report for other tools (docs/report.md), csv the scoring ledger for
    /// spreadsheets.
    #[command(after_help = EXIT_CODES)]
    Report(ReportArgs),
    /// Run an exercise without a facilitator: bots and a decision file decide.
    ///
    /// Prints each turn (injects fired, decisions, service by sector,
    /// civilian impact, tension) and the scorecard; with --json, the JSON
    /// report instead. Actors without decisions in a turn follow their
    /// policy; --bots overrides it.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Re-run a journal and check that every turn ends in the same state.
    ///
    /// Replays the recorded decisions on the recorded scenario and seed and
    /// compares each turn's digest; the first turn that differs is named,
    /// with what differs (exit 1). A journal whose scenario file has changed
    /// since (its SHA-256 differs) is refused.
    #[command(after_help = EXIT_CODES)]
    Replay(ReplayArgs),
    /// Check scenario or norm catalogue files and report every problem.
    ///
    /// Each problem is printed as FILE:LINE:COL: error: PATH: MESSAGE (and,
    /// on a terminal, with the offending line). Errors make the exit code 1;
    /// warnings are printed but the file is still usable.
    #[command(after_help = EXIT_CODES)]
    Validate(ValidateArgs),
    /// List the bundled scenarios with their titles and summaries.
    ///
    /// A bundled scenario's id can be given wherever a scenario file is
    /// expected.
    #[command(after_help = EXIT_CODES)]
    Scenarios,
    /// Show the norm frameworks, the norms of one framework, or one norm.
    ///
    /// With no argument: a table of the frameworks. With --framework ID: its
    /// norms. With a norm id (e.g. gge-13b): the norm, its guidance and
    /// related norms.
    #[command(after_help = EXIT_CODES)]
    Norms(NormsArgs),
    /// Print a scenario's infrastructure network as GraphViz DOT.
    ///
    /// Nodes are coloured by sector and labelled with operator and
    /// population; critical assets have a double border; arrows point the
    /// way service flows, labelled with weight and backup. Render it with
    /// `dot -Tsvg network.dot -o network.svg`.
    #[command(after_help = EXIT_CODES)]
    Graph(GraphArgs),
}

/// What `play` and `serve` share: the session to start or go on with.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// A scenario file, or the id of a bundled scenario (default:
    /// quickstart). With --resume: the scenario file the journal was
    /// recorded with, if it has moved.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// The seed of the random draws (default: the scenario's `seed`).
    #[arg(long, value_name = "N", conflicts_with = "resume")]
    pub seed: Option<u64>,
    /// Where to keep the journal (default: SCENARIO-DATE-TIME.jsonl in the
    /// current directory). It must not exist yet.
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    pub journal: Option<PathBuf>,
    /// Go on with the session of this journal, exactly where it stopped.
    #[arg(long, value_name = "JOURNAL")]
    pub resume: Option<PathBuf>,
    /// The bot of an actor, for the turns no team decides for it:
    /// ACTOR=POLICY (Passive, NormAbiding, Aggressive or Random),
    /// comma-separated or repeated.
    #[arg(
        long,
        value_name = "ACTOR=POLICY",
        value_delimiter = ',',
        conflicts_with = "resume"
    )]
    pub bots: Vec<String>,
    /// A team and the actor it plays: ACTOR="Team name"; repeat for each
    /// team.
    #[arg(long = "team", value_name = "ACTOR=NAME", conflicts_with = "resume")]
    pub teams: Vec<String>,
    /// The day of the exercise (YYYY-MM-DD) for the report (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, conflicts_with = "resume")]
    pub date: Option<String>,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The session.
    #[command(flatten)]
    pub session: SessionArgs,
    /// The address and port to listen on; 0.0.0.0:8080 lets other machines
    /// of the network join.
    #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Serve the pages from this directory instead of the built-in ones
    /// (to adapt them; the same file names as assets/web/).
    #[arg(long, value_name = "DIR")]
    pub assets_dir: Option<PathBuf>,
}

/// Arguments of `play`: the session; without any --team, the program asks
/// which actors teams play.
#[derive(Debug, Args)]
pub struct PlayArgs {
    /// The session.
    #[command(flatten)]
    pub session: SessionArgs,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The journal of the exercise (written by `play` or `run --journal`).
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
    /// md (Markdown), html (one page with charts), json, or csv (the ledger).
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The scenario the journal was recorded with (default: the one it names).
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<String>,
}

/// The formats of `report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown.
    Md,
    /// One self-contained HTML page with charts.
    Html,
    /// The JSON report (docs/report.md).
    Json,
    /// The scoring ledger, one assessment per row.
    Csv,
}

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A scenario file, or the id of a bundled scenario.
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    /// The seed of the random draws (default: the scenario's `seed`).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// A decision file: a RON list of (turn, actor, response, target, rationale).
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<String>,
    /// Who decides for an actor: ACTOR=POLICY (Passive, NormAbiding,
    /// Aggressive or Random), comma-separated or repeated.
    #[arg(long, value_name = "ACTOR=POLICY", value_delimiter = ',')]
    pub bots: Vec<String>,
    /// Print the JSON report (the contract in docs/report.md) instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Record the session in this journal (JSON Lines, synced line by line);
    /// `cyberttx replay` checks it and `cyberttx report` reports on it.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// The day of the exercise (YYYY-MM-DD), recorded in the journal and
    /// shown in the report (default: none, so that the same run always
    /// writes the same journal).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<String>,
}

/// Checks a `--date`: a real day, written YYYY-MM-DD.
fn parse_date(text: &str) -> Result<String, String> {
    text.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD (e.g. 2026-11-22)"))
}

/// Arguments of `replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The journal to check.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
    /// The scenario to replay it with (default: the one the journal names).
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<String>,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario or norm catalogue files (a catalogue is recognised by its
    /// top-level `norms` field). Bundled scenario ids work too.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
}

/// Arguments of `norms`.
#[derive(Debug, Args)]
pub struct NormsArgs {
    /// Show this norm in full (e.g. gge-13b).
    #[arg(value_name = "NORM-ID", conflicts_with = "framework")]
    pub norm: Option<String>,
    /// List the norms of this framework (e.g. un-gge-2015).
    #[arg(long, value_name = "ID")]
    pub framework: Option<String>,
}

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// A scenario file, or the id of a bundled scenario.
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    /// Write the DOT text to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Why a command failed; each maps to an exit code.
#[derive(Debug)]
pub enum Failure {
    /// Invalid input (exit 1); the problems were already printed.
    Invalid(String),
    /// Wrong use of the command line (exit 2).
    Usage(String),
    /// A file could not be read or written (exit 3).
    Io(String),
}

impl Failure {
    /// The exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Invalid(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Io(_) => 3,
        }
    }

    /// The message for standard error.
    pub fn message(&self) -> &str {
        match self {
            Failure::Invalid(m) | Failure::Usage(m) | Failure::Io(m) => m,
        }
    }
}

/// Runs a parsed command line and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = load_norms(&cli).and_then(|norms| match &cli.command {
        Command::Validate(args) => validate(args, &norms),
        Command::Norms(args) => show_norms(args, &norms),
        Command::Scenarios => list_scenarios(&norms),
        Command::Graph(args) => graph(args, &norms),
        Command::Run(args) => run_exercise(args, &norms),
        Command::Replay(args) => replay(args, &norms),
        Command::Report(args) => report(args, &norms),
        Command::Play(args) => play(args, &norms),
        Command::Serve(args) => serve(args, norms),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message());
            ExitCode::from(f.code())
        }
    }
}

fn load_norms(cli: &Cli) -> Result<NormSet, Failure> {
    match NormSet::load(cli.norms_dir.as_deref()) {
        Ok(set) => Ok(set),
        Err(NormsError::Read(e)) => Err(Failure::Io(e.to_string())),
        Err(NormsError::Invalid(files)) => {
            let mut errors = 0;
            for (src, d) in &files {
                print_diagnostics(src, d);
                errors += d.errors();
            }
            let fix = match cli.norms_dir {
                Some(_) => "fix them or leave out --norms-dir",
                None => "the program's own catalogues are damaged; reinstall it",
            };
            Err(Failure::Invalid(format!(
                "the norm catalogues have {}; {fix}",
                plural(errors, "error")
            )))
        }
    }
}

/// Prints each problem as one line, and on a terminal a snippet after it.
pub fn print_diagnostics(src: &SourceFile, diagnostics: &Diagnostics) {
    let stderr = std::io::stderr();
    let terminal = stderr.is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none();
    let mut out = String::new();
    for d in &diagnostics.0 {
        out.push_str(&src.line(d));
        out.push('\n');
        if terminal {
            out.push_str(&src.snippet(d, color));
        }
    }
    let _ = stderr.lock().write_all(out.as_bytes());
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> Result<(), Failure> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Io(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

fn scenario_failure(e: ScenarioError) -> Failure {
    match e {
        ScenarioError::Read(e) => Failure::Io(e.to_string()),
        ScenarioError::NotFound(_) => Failure::Io(e.to_string()),
        ScenarioError::Invalid(src, d) => {
            print_diagnostics(&src, &d);
            Failure::Invalid(format!("{} has {}", src.name, plural(d.errors(), "error")))
        }
    }
}

fn validate(args: &ValidateArgs, norms: &NormSet) -> Result<(), Failure> {
    let mut unreadable = Vec::new();
    let mut invalid = Vec::new();
    let mut report = String::new();
    for arg in &args.files {
        let src = match scenario::resolve(arg) {
            Ok(src) => src,
            Err(e) => {
                eprintln!("error: {e}");
                unreadable.push(arg.clone());
                continue;
            }
        };
        let is_catalogue = {
            let locs = Locations::of(&src.text);
            let fields: Vec<&str> = locs.top_fields().collect();
            fields.contains(&"norms") && !fields.contains(&"actors")
        };
        let (summary, diagnostics) = if is_catalogue {
            check_catalogue_file(&src)
        } else {
            let (s, d) = scenario::check(&src, norms);
            let summary = s.map(|s| {
                format!(
                    "scenario `{}`: {}, {}, {}, {}, {}",
                    s.id,
                    plural(s.actors.len(), "actor"),
                    plural(s.assets.len(), "asset"),
                    plural(s.injects.len(), "inject"),
                    plural(s.responses.len(), "response"),
                    plural(s.turns as usize, "turn")
                )
            });
            (summary, d)
        };
        print_diagnostics(&src, &diagnostics);
        if diagnostics.has_errors() {
            invalid.push(format!(
                "{} ({})",
                src.name,
                plural(diagnostics.errors(), "error")
            ));
        } else {
            let warnings = match diagnostics.warnings() {
                0 => String::new(),
                n => format!(", {}", plural(n, "warning")),
            };
            report.push_str(&format!(
                "{}: ok{warnings} ({})\n",
                src.name,
                summary.unwrap_or_default()
            ));
        }
    }
    emit(&report)?;
    if !unreadable.is_empty() {
        return Err(Failure::Io(format!(
            "could not read {}",
            unreadable.join(", ")
        )));
    }
    if !invalid.is_empty() {
        return Err(Failure::Invalid(format!("invalid: {}", invalid.join(", "))));
    }
    Ok(())
}

/// Checks a catalogue file together with the embedded catalogues; it
/// replaces the embedded one with its framework id, if any.
fn check_catalogue_file(src: &SourceFile) -> (Option<String>, Diagnostics) {
    let mut sources = norms::embedded_sources();
    sources.push(src.clone());
    let (catalogue, diagnostics) = norms::check_catalogues(&sources).pop().unwrap_or_default();
    let summary =
        catalogue.map(|c: Catalogue| format!("norm catalogue `{}`: {} norms", c.id, c.norms.len()));
    (summary, diagnostics)
}

fn binds_list(b: &[norms::Binds]) -> String {
    b.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn show_norms(args: &NormsArgs, norms: &NormSet) -> Result<(), Failure> {
    if let Some(id) = &args.norm {
        let Some((fw, n)) = norms.norm(id) else {
            let hint = match norms.closest_norm(id) {
                Some(b) => format!("did you mean `{b}`?"),
                None => "`cyberttx norms --framework ID` lists a framework's norms".to_owned(),
            };
            return Err(Failure::Usage(format!("no norm has the id `{id}`; {hint}")));
        };
        let mut out = format!("{} — {}\n", n.id, n.title);
        out.push_str(&format!("Framework: {} ({})\n", fw.name, fw.id));
        out.push_str(&format!("Binds: {}\n\n", binds_list(&n.binds)));
        out.push_str(&wrap(&n.summary, ""));
        out.push_str("\n\nGood practice:\n");
        out.push_str(&wrap(&n.guidance, "  "));
        out.push('\n');
        for (heading, list) in [("Upholds it", &n.upholds), ("Violates it", &n.violates)] {
            if !list.is_empty() {
                out.push_str(&format!("\n{heading}:\n"));
                for item in list {
                    let options = textwrap::Options::new(78)
                        .initial_indent("  - ")
                        .subsequent_indent("    ");
                    out.push_str(&textwrap::fill(item, options));
                    out.push('\n');
                }
            }
        }
        if !n.related.is_empty() {
            out.push_str("\nRelated:\n");
            for r in &n.related {
                match norms.norm(r.as_str()) {
                    Some((rf, rn)) => {
                        out.push_str(&format!("  {:<10} {} ({})\n", r, rn.title, rf.short))
                    }
                    None => out.push_str(&format!("  {r}\n")),
                }
            }
        }
        return emit(&out);
    }
    if let Some(id) = &args.framework {
        let Some(c) = norms.framework(id) else {
            let hint = match norms.closest_framework(id) {
                Some(b) => format!("did you mean `{b}`?"),
                None => "`cyberttx norms` lists the frameworks".to_owned(),
            };
            return Err(Failure::Usage(format!(
                "no framework has the id `{id}`; {hint}"
            )));
        };
        let mut out = format!(
            "{} ({})\n{}\nBinds: {}\n\n",
            c.name,
            c.id,
            c.source,
            binds_list(&c.binds)
        );
        out.push_str(&wrap(&c.summary, ""));
        out.push_str("\n\n");
        let mut t = table();
        t.set_header(["NORM", "TITLE", "BINDS"]);
        for n in &c.norms {
            t.add_row([n.id.as_str(), n.title.as_str(), &binds_list(&n.binds)]);
        }
        out.push_str(&t.to_string());
        out.push_str("\n\nShow one norm in full with: cyberttx norms NORM-ID\n");
        return emit(&out);
    }
    let mut t = table();
    t.set_header(["FRAMEWORK", "NAME", "BINDS", "NORMS"]);
    for c in norms.catalogues() {
        t.add_row([
            c.id.as_str(),
            c.short.as_str(),
            &binds_list(&c.binds),
            &c.norms.len().to_string(),
        ]);
    }
    let mut out = t.to_string();
    out.push_str(&format!(
        "\n{} frameworks, {} norms. List a framework's norms with: cyberttx norms --framework ID\n",
        norms.catalogues().len(),
        norms
            .catalogues()
            .iter()
            .map(|c| c.norms.len())
            .sum::<usize>()
    ));
    emit(&out)
}

fn list_scenarios(norms: &NormSet) -> Result<(), Failure> {
    let mut t = table();
    t.set_header(["SCENARIO", "TITLE", "TURNS", "SUMMARY"]);
    for (id, text) in scenario::BUNDLED {
        let src = scenario::bundled_source(id, text);
        match scenario::check(&src, norms) {
            (Some(s), _) => {
                t.add_row([
                    id,
                    s.title.as_str(),
                    &s.turns.to_string(),
                    first_sentence(&s.summary),
                ]);
            }
            (None, d) => {
                let note = format!(
                    "(does not validate: {}; run `cyberttx validate {id}`)",
                    plural(d.errors(), "error")
                );
                t.add_row([id, "", "", note.as_str()]);
            }
        }
    }
    let mut out = t.to_string();
    out.push_str("\n\nA bundled scenario's id works wherever a scenario file is expected, e.g. `cyberttx play grid-wiper`;\nits facilitator notes are in docs/scenarios/ID.md.\n");
    emit(&out)
}

/// The first sentence of a summary, for a one-line listing.
fn first_sentence(text: &str) -> &str {
    text.find(". ").map_or(text, |i| &text[..=i])
}

fn graph(args: &GraphArgs, norms: &NormSet) -> Result<(), Failure> {
    let (src, s, warnings) = scenario::load(&args.scenario, norms).map_err(scenario_failure)?;
    print_diagnostics(&src, &warnings);
    let dot = Network::build(&s).to_dot(&s);
    match &args.output {
        None => emit(&dot),
        Some(path) => std::fs::write(path, dot).map_err(|e| {
            Failure::Io(format!(
                "cannot write {}: {}",
                path.display(),
                crate::input::io_reason(&e)
            ))
        }),
    }
}

/// Parses `ACTOR=POLICY`.
fn parse_bot(spec: &str) -> Result<(&str, Policy), Failure> {
    let (actor, policy) = spec
        .split_once('=')
        .ok_or_else(|| Failure::Usage(format!("--bots takes ACTOR=POLICY, got `{spec}`")))?;
    let policy = match policy.to_ascii_lowercase().as_str() {
        "passive" => Policy::Passive,
        "normabiding" => Policy::NormAbiding,
        "aggressive" => Policy::Aggressive,
        "random" => Policy::Random,
        _ => {
            return Err(Failure::Usage(format!(
                "unknown policy `{policy}` in --bots; use Passive, NormAbiding, Aggressive or Random"
            )));
        }
    };
    Ok((actor, policy))
}

/// The `--bots` of a command line, checked against the scenario.
fn bot_overrides(
    specs: &[String],
    s: &scenario::Scenario,
) -> Result<BTreeMap<String, Policy>, Failure> {
    let mut overrides = BTreeMap::new();
    for spec in specs {
        let (actor, policy) = parse_bot(spec)?;
        if !s.actors.iter().any(|a| a.id.as_str() == actor) {
            return Err(Failure::Usage(format!(
                "--bots: `{actor}` is not an actor of this scenario ({})",
                actor_ids(s)
            )));
        }
        overrides.insert(actor.to_owned(), policy);
    }
    Ok(overrides)
}

fn actor_ids(s: &scenario::Scenario) -> String {
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    format!("its actors are {}", ids.join(", "))
}

/// The `--team ACTOR=NAME` of a command line, checked against the scenario
/// and the bots.
fn team_names(
    specs: &[String],
    s: &scenario::Scenario,
    bots: &BTreeMap<String, Policy>,
) -> Result<BTreeMap<String, String>, Failure> {
    let mut teams = BTreeMap::new();
    for spec in specs {
        let (actor, name) = spec.split_once('=').ok_or_else(|| {
            Failure::Usage(format!("--team takes ACTOR=\"Team name\", got `{spec}`"))
        })?;
        let (actor, name) = (actor.trim(), name.trim());
        if !s.actors.iter().any(|a| a.id.as_str() == actor) {
            return Err(Failure::Usage(format!(
                "--team: `{actor}` is not an actor of this scenario ({})",
                actor_ids(s)
            )));
        }
        if name.is_empty() {
            return Err(Failure::Usage(format!(
                "--team {actor}=: the team needs a name"
            )));
        }
        if bots.contains_key(actor) {
            return Err(Failure::Usage(format!(
                "`{actor}` is given both to a team (--team) and to a bot (--bots)"
            )));
        }
        if teams.insert(actor.to_owned(), name.to_owned()).is_some() {
            return Err(Failure::Usage(format!(
                "--team names two teams for `{actor}`"
            )));
        }
    }
    Ok(teams)
}

fn play(play: &PlayArgs, norms: &NormSet) -> Result<(), Failure> {
    let args = &play.session;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let echo = !stdin.is_terminal();
    let mut input = stdin.lock();
    let mut output = stdout.lock();
    let mut term = crate::play::Terminal {
        input: &mut input,
        output: &mut output,
        colour,
        echo,
    };
    let (session, journal, resumed) = match &args.resume {
        Some(path) => {
            let opened = open_journal(path, args.scenario.as_deref(), norms, Access::Resume)?;
            (opened.session, path.clone(), true)
        }
        None => {
            let ask = |s: &scenario::Scenario,
                       bots: &BTreeMap<String, Policy>,
                       named: BTreeMap<String, String>| {
                if !named.is_empty() {
                    return Ok(Some(named));
                }
                crate::play::ask_teams(s, bots, &mut term).map_err(session_failure)
            };
            match new_session("play", args, norms, ask, false)? {
                Some((session, journal)) => (session, journal, false),
                None => {
                    eprintln!("Nothing was recorded: the exercise had not started.");
                    return Ok(());
                }
            }
        }
    };
    crate::play::Play::new(session, norms, &journal, term)
        .run(resumed)
        .map_err(session_failure)?;
    Ok(())
}

/// Starts a new session of `play` or `serve`: checks the scenario, the bots
/// and the named teams, chooses the journal's path, lets `teams` decide who
/// plays (`None`: stop before anything is recorded) and, with `web`, gives
/// the header the server's tokens.
fn new_session(
    command: &str,
    args: &SessionArgs,
    norms: &NormSet,
    teams: impl FnOnce(
        &scenario::Scenario,
        &BTreeMap<String, Policy>,
        BTreeMap<String, String>,
    ) -> Result<Option<BTreeMap<String, String>>, Failure>,
    web: bool,
) -> Result<Option<(Session, PathBuf)>, Failure> {
    let arg = args.scenario.as_deref().unwrap_or("quickstart");
    let (src, s, warnings) = scenario::load(arg, norms).map_err(scenario_failure)?;
    print_diagnostics(&src, &warnings);
    let bots = bot_overrides(&args.bots, &s)?;
    let named = team_names(&args.teams, &s, &bots)?;
    let now = jiff::Zoned::now();
    let journal = new_journal_path(command, args.journal.as_ref(), s.id.as_str(), &now)?;
    let Some(teams) = teams(&s, &bots, named)? else {
        return Ok(None);
    };
    let seed = args.seed.unwrap_or(s.seed);
    let date = args.date.clone().unwrap_or_else(|| now.date().to_string());
    let mut header = session::header(arg, s.id.as_str(), &src.text, seed, bots, Some(date), teams);
    if web {
        let ids: Vec<String> = s.actors.iter().map(|a| a.id.to_string()).collect();
        header.web = Some(crate::serve::new_access(&ids).map_err(Failure::Io)?);
    }
    let engine = Engine::new(s, norms, seed).map_err(|e| Failure::Invalid(e.to_string()))?;
    let session = Session::new(engine, header, Some(&journal)).map_err(session_failure)?;
    Ok(Some((session, journal)))
}

/// The journal's path: `--journal`, or SCENARIO-DATE-TIME.jsonl here;
/// refused if it exists.
fn new_journal_path(
    command: &str,
    given: Option<&PathBuf>,
    id: &str,
    now: &jiff::Zoned,
) -> Result<PathBuf, Failure> {
    let journal = match given {
        Some(p) => p.clone(),
        None => PathBuf::from(format!("{id}-{}.jsonl", now.strftime("%Y%m%d-%H%M%S"))),
    };
    if journal.exists() {
        return Err(Failure::Usage(format!(
            "{} already exists: go on with that session with `cyberttx {command} --resume {}`, or choose another --journal",
            journal.display(),
            journal.display()
        )));
    }
    Ok(journal)
}

fn serve(serve: &ServeArgs, norms: NormSet) -> Result<(), Failure> {
    let args = &serve.session;
    let (session, journal) = match &args.resume {
        Some(path) => {
            let opened = open_journal(path, args.scenario.as_deref(), &norms, Access::Resume)?;
            (opened.session, path.clone())
        }
        None => {
            // Every actor gets a join link; named or not, it is a team's.
            let all = |s: &scenario::Scenario,
                       _: &BTreeMap<String, Policy>,
                       named: BTreeMap<String, String>| {
                Ok(Some(
                    s.actors
                        .iter()
                        .map(|a| {
                            let id = a.id.to_string();
                            let name = named.get(&id).cloned().unwrap_or_default();
                            (id, name)
                        })
                        .collect(),
                ))
            };
            new_session("serve", args, &norms, all, true)?
                .ok_or_else(|| Failure::Usage("no session was started".to_owned()))?
        }
    };
    let assets = match &serve.assets_dir {
        Some(d) => crate::serve::Assets::Dir(d.clone()),
        None => crate::serve::Assets::Embedded,
    };
    let title = session.engine.scenario().title.clone();
    let shared = crate::serve::Shared::new(session, norms, assets).map_err(Failure::Invalid)?;
    let printer = shared.clone();
    crate::serve::run(shared, serve.bind, move |addr| {
        let unspecified = addr.ip().is_unspecified();
        let host = if unspecified {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        let (facilitator, teams) = crate::serve::links(&printer, &format!("http://{host}"));
        let mut out = format!(
            "cyberttx · {title} — serving on http://{addr}\nJournal: {} (every entry is saved before it is acknowledged)\n\nFacilitator (keep this link to yourself):\n  {facilitator}\n\nJoin links (send each team only its own):\n",
            journal.display()
        );
        for (name, link) in teams {
            out.push_str(&format!("  {name}: {link}\n"));
        }
        if unspecified {
            out.push_str("\nOther machines reach the server at this machine's address: replace 127.0.0.1 in the links.\n");
        }
        out.push_str(&format!(
            "\nCtrl-C stops the server; `cyberttx serve --resume {}` starts it again with the same links.\n",
            journal.display()
        ));
        let _ = emit(&out);
    })
    .map_err(Failure::Io)
}

fn run_exercise(args: &RunArgs, norms: &NormSet) -> Result<(), Failure> {
    let (src, s, warnings) = scenario::load(&args.scenario, norms).map_err(scenario_failure)?;
    print_diagnostics(&src, &warnings);
    let decisions = match &args.decisions {
        None => Vec::new(),
        Some(path) => {
            let file = crate::input::read_file(std::path::Path::new(path))
                .map_err(|e| Failure::Io(e.to_string()))?;
            match scenario::decisions::check(&file, &s) {
                (Some(list), _) => list,
                (None, d) => {
                    print_diagnostics(&file, &d);
                    return Err(Failure::Invalid(format!(
                        "{} has {}",
                        file.name,
                        plural(d.errors(), "error")
                    )));
                }
            }
        }
    };
    let seed = args.seed.unwrap_or(s.seed);
    let overrides = bot_overrides(&args.bots, &s)?;
    let header = session::header(
        &args.scenario,
        s.id.as_str(),
        &src.text,
        seed,
        overrides,
        args.date.clone(),
        BTreeMap::new(),
    );
    let engine = Engine::new(s, norms, seed).map_err(|e| Failure::Invalid(e.to_string()))?;
    let mut session =
        Session::new(engine, header, args.journal.as_deref()).map_err(session_failure)?;
    let mut out = String::new();
    while !session.is_over() {
        let turn = session.engine.turn();
        let mut submitted: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
        for d in decisions.iter().filter(|d| d.turn == turn) {
            submitted
                .entry(d.actor.to_string())
                .or_default()
                .push(Choice {
                    response: d.response.to_string(),
                    target: d.target.clone(),
                    rationale: d.rationale.clone(),
                });
        }
        let summary = session.play_turn(submitted).map_err(session_failure)?;
        for r in &summary.rejected {
            eprintln!("turn {turn}: {}", r.reason);
        }
        if !args.json {
            out.push_str(&turn_text(&session.engine, &summary));
        }
    }
    let engine = &session.engine;
    if args.json {
        let report = crate::report::json_report(engine, seed);
        let mut text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::Invalid(format!("cannot write the report: {e}")))?;
        text.push('\n');
        return emit(&text);
    }
    out.push_str("Scorecard (raw / weighted; committed frameworks count double)\n");
    for (actor, score) in crate::report::scorecard(engine) {
        out.push_str(&format!(
            "  {actor:<24} {:>4} / {:>4}\n",
            score.raw, score.weighted
        ));
    }
    emit(&out)
}

fn session_failure(e: SessionError) -> Failure {
    match e {
        SessionError::Io(m) => Failure::Io(m),
        SessionError::Invalid(m) | SessionError::Refused(m) => Failure::Invalid(m),
        SessionError::Scenario(e) => scenario_failure(e),
    }
}

/// How a journal is opened: to read it, or to go on writing it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Resume,
}

/// Rebuilds a session from a journal, warning about a torn last line (which
/// a resumed session also cuts off the file).
fn open_journal(
    journal: &std::path::Path,
    scenario: Option<&str>,
    norms: &NormSet,
    access: Access,
) -> Result<session::Opened, Failure> {
    let opened = match access {
        Access::Read => session::open(journal, norms, scenario),
        Access::Resume => session::resume(journal, norms, scenario),
    }
    .map_err(session_failure)?;
    if opened.torn {
        let fate = match access {
            Access::Read => "ignored",
            Access::Resume => "dropped",
        };
        eprintln!(
            "warning: {}: the last line was cut short (the program stopped while writing it); it is {fate}",
            journal.display()
        );
    }
    Ok(opened)
}

fn replay(args: &ReplayArgs, norms: &NormSet) -> Result<(), Failure> {
    let opened = open_journal(&args.journal, args.scenario.as_deref(), norms, Access::Read)?;
    let h = &opened.session.header;
    emit(&format!(
        "{}: verified {} of {} turns of `{}` (seed {}): every turn ends in the recorded state\n",
        args.journal.display(),
        opened.turns,
        opened.session.engine.scenario().turns,
        h.scenario_id,
        h.seed
    ))
}

fn report(args: &ReportArgs, norms: &NormSet) -> Result<(), Failure> {
    let opened = open_journal(&args.journal, args.scenario.as_deref(), norms, Access::Read)?;
    let report = crate::report::Report::build(&opened.session, norms);
    let text = match args.format {
        ReportFormat::Md => report.to_markdown(),
        ReportFormat::Html => report.to_html(),
        ReportFormat::Json => report
            .to_json()
            .map_err(|e| Failure::Invalid(format!("cannot write the report: {e}")))?,
        ReportFormat::Csv => report
            .to_csv()
            .map_err(|e| Failure::Invalid(format!("cannot write the ledger: {e}")))?,
    };
    match &args.output {
        None => emit(&text),
        Some(path) => std::fs::write(path, text).map_err(|e| {
            Failure::Io(format!(
                "cannot write {}: {}",
                path.display(),
                crate::input::io_reason(&e)
            ))
        }),
    }
}

/// One turn as a few readable lines.
fn turn_text(engine: &Engine, t: &crate::engine::TurnSummary) -> String {
    let s = engine.scenario();
    let name = |id: &str| {
        s.actors
            .iter()
            .find(|a| a.id.as_str() == id)
            .map_or(id.to_owned(), |a| a.name.clone())
    };
    let mut out = format!("Turn {} of {} ({})\n", t.turn, s.turns, s.turn_length);
    for id in &t.fired {
        let title = s
            .injects
            .iter()
            .find(|i| i.id.as_str() == id)
            .map_or("", |i| i.title.as_str());
        out.push_str(&format!("  Inject: {title} ({id})\n"));
    }
    for d in &t.decisions {
        let target = d
            .target
            .as_deref()
            .map(|x| format!(" on {x}"))
            .unwrap_or_default();
        out.push_str(&format!("  {}: {}{target}", name(&d.actor), d.response));
        if !d.rationale.is_empty() {
            out.push_str(&format!(" — {}", d.rationale));
        }
        out.push('\n');
    }
    for r in &t.rejected {
        out.push_str(&format!("  Refused: {}\n", r.reason));
    }
    let mut sectors: BTreeMap<crate::scenario::Sector, (f64, usize)> = BTreeMap::new();
    for a in &s.assets {
        let e = sectors.entry(a.sector).or_default();
        e.0 += t.service.get(a.id.as_str()).copied().unwrap_or(0.0);
        e.1 += 1;
    }
    let service: Vec<String> = sectors
        .iter()
        .map(|(sector, (sum, n))| format!("{sector:?} {:.2}", sum / *n as f64))
        .collect();
    out.push_str(&format!("  Service: {}\n", service.join(" · ")));
    out.push_str(&format!(
        "  Civilian impact: {} · Tension: {}\n\n",
        crate::network::thousands(t.impact.round() as u64),
        t.tension
    ));
    out
}
