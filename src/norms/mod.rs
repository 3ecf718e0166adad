//! Norm catalogues: the frameworks an exercise is scored against.
//!
//! Nine catalogues are embedded in the binary (`assets/norms/*.ron`); a
//! directory given with `--norms-dir` adds catalogues or overrides embedded
//! ones with the same framework id. Every catalogue is checked like a
//! scenario, with every problem at its position.

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::input::{self, ReadError, closest};
use crate::locate::Locations;
use crate::scenario::ids::{FrameworkId, NormId};
use crate::scenario::validate::id_problem;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// Whom a framework or norm addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Binds {
    /// Governments.
    States,
    /// Companies.
    Industry,
    /// Non-state actors in general (industry, civil society, researchers).
    NonState,
    /// Everyone who signs it.
    All,
}

impl fmt::Display for Binds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Binds::States => "States",
            Binds::Industry => "Industry",
            Binds::NonState => "NonState",
            Binds::All => "All",
        })
    }
}

/// One framework: a set of norms with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Framework id, e.g. `un-gge-2015`; the file is named after it.
    pub id: FrameworkId,
    /// Full name.
    pub name: String,
    /// Short name for tables.
    pub short: String,
    /// The document(s) and date(s).
    pub source: String,
    /// What it is and who endorsed it.
    pub summary: String,
    /// Whom the framework addresses.
    pub binds: Vec<Binds>,
    /// Its norms.
    pub norms: Vec<Norm>,
}

/// One norm of a framework.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Norm {
    /// Stable id, e.g. `gge-13b`; unique across all catalogues.
    pub id: NormId,
    /// Short title.
    pub title: String,
    /// What the norm asks, in one or two sentences.
    pub summary: String,
    /// Whom it addresses.
    pub binds: Vec<Binds>,
    /// What good practice looks like: the corrective action in an improvement plan.
    pub guidance: String,
    /// Examples of conduct that upholds it.
    #[serde(default)]
    pub upholds: Vec<String>,
    /// Examples of conduct that violates it.
    #[serde(default)]
    pub violates: Vec<String>,
    /// Related norms in any framework.
    #[serde(default)]
    pub related: Vec<NormId>,
}

/// The catalogues embedded in the binary, as (file name, text).
pub const EMBEDDED: [(&str, &str); 9] = [
    (
        "un-gge-2015.ron",
        include_str!("../../assets/norms/un-gge-2015.ron"),
    ),
    ("dgc.ron", include_str!("../../assets/norms/dgc.ron")),
    (
        "tech-accord.ron",
        include_str!("../../assets/norms/tech-accord.ron"),
    ),
    (
        "charter-of-trust.ron",
        include_str!("../../assets/norms/charter-of-trust.ron"),
    ),
    (
        "paris-call.ron",
        include_str!("../../assets/norms/paris-call.ron"),
    ),
    (
        "pall-mall.ron",
        include_str!("../../assets/norms/pall-mall.ron"),
    ),
    (
        "geneva-manual.ron",
        include_str!("../../assets/norms/geneva-manual.ron"),
    ),
    (
        "evidence-access.ron",
        include_str!("../../assets/norms/evidence-access.ron"),
    ),
    (
        "osce-cbm.ron",
        include_str!("../../assets/norms/osce-cbm.ron"),
    ),
];

/// The catalogues in use: embedded ones plus any from `--norms-dir`.
/// Cloning shares them (every exercise of a session reads the same set).
#[derive(Clone, Debug, Default)]
pub struct NormSet(Arc<Index>);

/// The catalogues and their ids.
#[derive(Debug, Default)]
struct Index {
    catalogues: Vec<Catalogue>,
    frameworks: BTreeMap<FrameworkId, usize>,
    /// Norm id → (catalogue, norm) indices; looked up for every assessment.
    norms: HashMap<NormId, (usize, usize)>,
}

/// Why the catalogues could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum NormsError {
    /// A file or the directory could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Some catalogue has errors; each file with its problems.
    #[error("the norm catalogues have errors")]
    Invalid(Vec<(SourceFile, Diagnostics)>),
}

impl NormSet {
    /// The embedded catalogues, plus those in `dir` if given (a catalogue in
    /// `dir` with the id of an embedded one replaces it).
    pub fn load(dir: Option<&Path>) -> Result<NormSet, NormsError> {
        let mut sources = embedded_sources();
        if let Some(dir) = dir {
            sources.extend(read_dir(dir)?);
        }
        let checked = check_catalogues(&sources);
        let mut problems = Vec::new();
        let mut catalogues = Vec::new();
        for (src, (catalogue, diagnostics)) in sources.into_iter().zip(checked) {
            if diagnostics.has_errors() {
                problems.push((src, diagnostics));
            } else if let Some(c) = catalogue {
                catalogues.push(c);
            }
        }
        if !problems.is_empty() {
            return Err(NormsError::Invalid(problems));
        }
        Ok(NormSet::from_catalogues(catalogues))
    }

    /// Builds the indexes; a later catalogue with the id of an earlier one replaces it.
    pub fn from_catalogues(list: Vec<Catalogue>) -> NormSet {
        let mut set = Index::default();
        for c in list {
            match set.frameworks.get(&c.id) {
                Some(&i) => set.catalogues[i] = c,
                None => {
                    set.frameworks.insert(c.id.clone(), set.catalogues.len());
                    set.catalogues.push(c);
                }
            }
        }
        for (ci, c) in set.catalogues.iter().enumerate() {
            for (ni, n) in c.norms.iter().enumerate() {
                set.norms.entry(n.id.clone()).or_insert((ci, ni));
            }
        }
        NormSet(Arc::new(set))
    }

    /// Every catalogue, embedded ones first in their usual order.
    pub fn catalogues(&self) -> &[Catalogue] {
        &self.0.catalogues
    }

    /// The catalogue of a framework.
    pub fn framework(&self, id: &str) -> Option<&Catalogue> {
        self.0.frameworks.get(id).map(|&i| &self.0.catalogues[i])
    }

    /// A norm and the framework it belongs to.
    pub fn norm(&self, id: &str) -> Option<(&Catalogue, &Norm)> {
        self.0.norms.get(id).map(|&(c, n)| {
            let cat = &self.0.catalogues[c];
            (cat, &cat.norms[n])
        })
    }

    /// The framework id closest to `id`, for "did you mean".
    pub fn closest_framework(&self, id: &str) -> Option<&str> {
        closest(id, self.0.frameworks.keys().map(FrameworkId::as_str))
    }

    /// The norm id closest to `id`, for "did you mean".
    pub fn closest_norm(&self, id: &str) -> Option<&str> {
        // In id order, so that a tie gives the same suggestion every time.
        let mut ids: Vec<&str> = self.0.norms.keys().map(NormId::as_str).collect();
        ids.sort_unstable();
        closest(id, ids)
    }
}

impl std::borrow::Borrow<str> for FrameworkId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for NormId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// The embedded catalogues as source files named `bundled:FILE`.
pub fn embedded_sources() -> Vec<SourceFile> {
    EMBEDDED
        .iter()
        .map(|(name, text)| SourceFile::new(format!("bundled:{name}"), *text))
        .collect()
}

/// Every `*.ron` file of a directory, sorted by name.
fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, ReadError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ReadError {
        path: dir.display().to_string(),
        reason: input::io_reason(&e),
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ReadError {
            path: dir.display().to_string(),
            reason: input::io_reason(&e),
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "ron") {
            paths.push(path);
        }
    }
    paths.sort();
    paths.iter().map(|p| input::read_file(p)).collect()
}

/// Parses and checks catalogues together (related ids and duplicate norm ids
/// are checked across all of them). A later file with the framework id of an
/// earlier one overrides it, so its norms do not count as duplicates.
pub fn check_catalogues(sources: &[SourceFile]) -> Vec<(Option<Catalogue>, Diagnostics)> {
    let parsed: Vec<Result<Catalogue, Diagnostic>> =
        sources.iter().map(input::parse::<Catalogue>).collect();

    // The catalogue that counts for each framework id: the last one.
    let mut winner: BTreeMap<&FrameworkId, usize> = BTreeMap::new();
    for (i, c) in parsed.iter().enumerate() {
        if let Ok(c) = c {
            winner.insert(&c.id, i);
        }
    }
    // Norm ids of the catalogues that count: first owner.
    let mut owner: BTreeMap<&NormId, (usize, &FrameworkId)> = BTreeMap::new();
    for (i, c) in parsed.iter().enumerate() {
        if let Ok(c) = c
            && winner.get(&c.id) == Some(&i)
        {
            for n in &c.norms {
                owner.entry(&n.id).or_insert((i, &c.id));
            }
        }
    }

    parsed
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let c = match c {
                Ok(c) => c,
                Err(d) => return (None, Diagnostics(vec![d.clone()])),
            };
            let mut out = Vec::new();
            check_catalogue(c, &sources[i], &mut out);
            if winner.get(&c.id) == Some(&i) {
                check_against_others(c, i, &owner, &mut out);
            }
            if !out.is_empty() {
                let locs = Locations::of(&sources[i].text);
                for d in &mut out {
                    d.span = locs.nearest(&d.path);
                }
            }
            let mut diagnostics = Diagnostics(out);
            diagnostics.sort();
            let catalogue = (!diagnostics.has_errors()).then(|| c.clone());
            (catalogue, diagnostics)
        })
        .collect()
}

/// Norm ids used by another catalogue, and related ids that no catalogue has.
fn check_against_others(
    c: &Catalogue,
    me: usize,
    owner: &BTreeMap<&NormId, (usize, &FrameworkId)>,
    out: &mut Vec<Diagnostic>,
) {
    for (ni, n) in c.norms.iter().enumerate() {
        if let Some(&(j, fw)) = owner.get(&n.id)
            && j != me
        {
            out.push(Diagnostic::error(
                format!("norms[{ni}].id"),
                0..0,
                format!("norm id `{}` is already used by framework `{fw}`", n.id),
            ));
        }
        for (ri, r) in n.related.iter().enumerate() {
            if !owner.contains_key(r) {
                let mut d = Diagnostic::error(
                    format!("norms[{ni}].related[{ri}]"),
                    0..0,
                    format!("related norm `{r}` is in no catalogue"),
                );
                if let Some(best) = closest(r.as_str(), owner.keys().map(|k| k.as_str())) {
                    d = d.with_help(format!("did you mean `{best}`?"));
                }
                out.push(d);
            }
        }
    }
}

/// Checks one catalogue on its own; spans are filled in by the caller.
fn check_catalogue(c: &Catalogue, src: &SourceFile, out: &mut Vec<Diagnostic>) {
    let mut error =
        |path: String, message: String| out.push(Diagnostic::error(path, 0..0, message));
    if let Some(problem) = id_problem(c.id.as_str(), true) {
        error("id".into(), problem);
    }
    for (field, value) in [
        ("name", &c.name),
        ("short", &c.short),
        ("source", &c.source),
        ("summary", &c.summary),
    ] {
        if value.trim().is_empty() {
            error(field.into(), format!("`{field}` must not be empty"));
        }
    }
    const BINDS: &str = "`binds` must name at least one of States, Industry, NonState, All";
    if c.binds.is_empty() {
        error("binds".into(), BINDS.into());
    }
    if c.norms.is_empty() {
        error("norms".into(), "a catalogue needs at least one norm".into());
    }
    let mut seen: BTreeMap<&NormId, usize> = BTreeMap::new();
    for (i, n) in c.norms.iter().enumerate() {
        let p = format!("norms[{i}]");
        if let Some(problem) = id_problem(n.id.as_str(), false) {
            error(format!("{p}.id"), problem);
        }
        if let Some(first) = seen.insert(&n.id, i) {
            error(
                format!("{p}.id"),
                format!(
                    "norm id `{}` is used twice in this catalogue (first at norms[{first}])",
                    n.id
                ),
            );
        }
        for (field, value) in [
            ("title", &n.title),
            ("summary", &n.summary),
            ("guidance", &n.guidance),
        ] {
            if value.trim().is_empty() {
                error(
                    format!("{p}.{field}"),
                    format!("`{field}` must not be empty"),
                );
            }
        }
        if n.binds.is_empty() {
            error(format!("{p}.binds"), BINDS.into());
        }
        for (ri, r) in n.related.iter().enumerate() {
            if *r == n.id {
                error(
                    format!("{p}.related[{ri}]"),
                    format!("norm `{r}` lists itself as related"),
                );
            }
        }
    }
    let file = src.name.strip_prefix("bundled:").unwrap_or(&src.name);
    let stem = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if stem != c.id.as_str() {
        out.push(
            Diagnostic::warning(
                "id",
                0..0,
                format!(
                    "the file is named `{stem}.ron` but the framework id is `{}`",
                    c.id
                ),
            )
            .with_help(format!(
                "name the file `{}.ron` so that it is easy to find",
                c.id
            )),
        );
    }
}
