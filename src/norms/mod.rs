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
use crate::scenario::validate::check_id;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

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
#[derive(Clone, Debug, Default)]
pub struct NormSet {
    catalogues: Vec<Catalogue>,
    frameworks: BTreeMap<FrameworkId, usize>,
    norms: BTreeMap<NormId, (usize, usize)>,
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
        let mut set = NormSet::default();
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
        set
    }

    /// Every catalogue, embedded ones first in their usual order.
    pub fn catalogues(&self) -> &[Catalogue] {
        &self.catalogues
    }

    /// The catalogue of a framework.
    pub fn framework(&self, id: &str) -> Option<&Catalogue> {
        self.frameworks.get(id).map(|&i| &self.catalogues[i])
    }

    /// A norm and the framework it belongs to.
    pub fn norm(&self, id: &str) -> Option<(&Catalogue, &Norm)> {
        self.norms.get(id).map(|&(c, n)| {
            let cat = &self.catalogues[c];
            (cat, &cat.norms[n])
        })
    }

    /// The framework id closest to `id`, for "did you mean".
    pub fn closest_framework(&self, id: &str) -> Option<&str> {
        closest(id, self.frameworks.keys().map(FrameworkId::as_str))
    }

    /// The norm id closest to `id`, for "did you mean".
    pub fn closest_norm(&self, id: &str) -> Option<&str> {
        closest(id, self.norms.keys().map(NormId::as_str))
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
    let mut parsed: Vec<(Option<Catalogue>, Locations, Diagnostics)> = sources
        .iter()
        .map(|src| {
            let locs = Locations::of(&src.text);
            let mut diagnostics = Diagnostics::default();
            let catalogue = match input::parse::<Catalogue>(src, &locs) {
                Ok(c) => Some(c),
                Err(d) => {
                    diagnostics.push(d);
                    None
                }
            };
            (catalogue, locs, diagnostics)
        })
        .collect();

    // The catalogue that wins for each framework id: the last one.
    let mut winner: BTreeMap<&FrameworkId, usize> = BTreeMap::new();
    for (i, (c, _, _)) in parsed.iter().enumerate() {
        if let Some(c) = c {
            winner.insert(&c.id, i);
        }
    }
    let active: Vec<bool> = parsed
        .iter()
        .enumerate()
        .map(|(i, (c, _, _))| c.as_ref().is_some_and(|c| winner.get(&c.id) == Some(&i)))
        .collect();

    // Norm ids of the active catalogues: first owner.
    let mut owner: BTreeMap<&NormId, (usize, &FrameworkId)> = BTreeMap::new();
    for (i, (c, _, _)) in parsed.iter().enumerate() {
        if let (true, Some(c)) = (active[i], c) {
            for n in &c.norms {
                owner.entry(&n.id).or_insert((i, &c.id));
            }
        }
    }

    let mut extra: Vec<Vec<Diagnostic>> = vec![Vec::new(); parsed.len()];
    for (i, (c, locs, _)) in parsed.iter().enumerate() {
        let Some(c) = c else { continue };
        let mut out = Vec::new();
        check_catalogue(c, &sources[i], locs, &mut out);
        if active[i] {
            for (ni, n) in c.norms.iter().enumerate() {
                if let Some(&(j, fw)) = owner.get(&n.id)
                    && j != i
                {
                    let path = format!("norms[{ni}].id");
                    out.push(Diagnostic::error(
                        &path,
                        locs.nearest(&path),
                        format!("norm id `{}` is already used by framework `{fw}`", n.id),
                    ));
                }
                for (ri, r) in n.related.iter().enumerate() {
                    if !owner.contains_key(r) {
                        let path = format!("norms[{ni}].related[{ri}]");
                        let known = owner.keys().map(|k| k.as_str());
                        let mut d = Diagnostic::error(
                            &path,
                            locs.nearest(&path),
                            format!("related norm `{r}` is in no catalogue"),
                        );
                        if let Some(best) = closest(r.as_str(), known) {
                            d = d.with_help(format!("did you mean `{best}`?"));
                        }
                        out.push(d);
                    }
                }
            }
        }
        extra[i] = out;
    }
    for ((_, _, diagnostics), more) in parsed.iter_mut().zip(extra) {
        diagnostics.0.extend(more);
        diagnostics.sort();
    }
    parsed
        .into_iter()
        .map(|(c, _, d)| (if d.has_errors() { None } else { c }, d))
        .collect()
}

/// Checks one catalogue on its own.
fn check_catalogue(c: &Catalogue, src: &SourceFile, locs: &Locations, out: &mut Vec<Diagnostic>) {
    let at = |path: &str| locs.nearest(path);
    check_id(c.id.as_str(), "id", &at("id"), true, out);
    let file = src.name.strip_prefix("bundled:").unwrap_or(&src.name);
    let stem = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if stem != c.id.as_str() {
        out.push(
            Diagnostic::warning(
                "id",
                at("id"),
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
    for (field, value) in [
        ("name", &c.name),
        ("short", &c.short),
        ("source", &c.source),
        ("summary", &c.summary),
    ] {
        if value.trim().is_empty() {
            out.push(Diagnostic::error(
                field,
                at(field),
                format!("`{field}` must not be empty"),
            ));
        }
    }
    if c.binds.is_empty() {
        out.push(Diagnostic::error(
            "binds",
            at("binds"),
            "`binds` must name at least one of States, Industry, NonState, All",
        ));
    }
    if c.norms.is_empty() {
        out.push(Diagnostic::error(
            "norms",
            at("norms"),
            "a catalogue needs at least one norm",
        ));
    }
    let mut seen: BTreeMap<&NormId, usize> = BTreeMap::new();
    for (i, n) in c.norms.iter().enumerate() {
        let p = format!("norms[{i}]");
        check_id(
            n.id.as_str(),
            &format!("{p}.id"),
            &at(&format!("{p}.id")),
            false,
            out,
        );
        if let Some(first) = seen.insert(&n.id, i) {
            let path = format!("{p}.id");
            out.push(Diagnostic::error(
                &path,
                at(&path),
                format!(
                    "norm id `{}` is used twice in this catalogue (first at norms[{first}])",
                    n.id
                ),
            ));
        }
        for (field, value) in [
            ("title", &n.title),
            ("summary", &n.summary),
            ("guidance", &n.guidance),
        ] {
            if value.trim().is_empty() {
                let path = format!("{p}.{field}");
                out.push(Diagnostic::error(
                    &path,
                    at(&path),
                    format!("`{field}` must not be empty"),
                ));
            }
        }
        if n.binds.is_empty() {
            let path = format!("{p}.binds");
            out.push(Diagnostic::error(
                &path,
                at(&path),
                "`binds` must name at least one of States, Industry, NonState, All",
            ));
        }
        for (ri, r) in n.related.iter().enumerate() {
            if *r == n.id {
                let path = format!("{p}.related[{ri}]");
                out.push(Diagnostic::error(
                    &path,
                    at(&path),
                    format!("norm `{r}` lists itself as related"),
                ));
            }
        }
    }
}
