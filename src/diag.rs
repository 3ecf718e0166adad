//! Problems found in an input file, and how they are shown.
//!
//! Every problem is one line `FILE:LINE:COL: error: PATH: MESSAGE` (grep- and
//! editor-friendly); on a terminal a source snippet with a caret follows.

use crate::locate::line_col;
use ariadne::{Config, IndexType, Label, Report, ReportKind};
use std::fmt;
use std::ops::Range;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Printed; the file is still usable.
    Warning,
    /// The file cannot be used.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The field path of the offending value, e.g. `injects[2].incident.targets[0]`
    /// (empty for the file as a whole).
    pub path: String,
    /// Byte span of the offending value in the file.
    pub span: Range<usize>,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(path: impl Into<String>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            span,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(
        path: impl Into<String>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, span, message)
        }
    }

    /// Adds a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A file's name (as the user gave it) and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name shown in messages: the path given, or `bundled:ID.ron`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

impl SourceFile {
    /// A named text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The line `FILE:LINE:COL: SEVERITY: PATH: MESSAGE` for a problem in this file,
    /// followed by the help, if any, after ` — `.
    pub fn line(&self, d: &Diagnostic) -> String {
        let (line, col) = line_col(&self.text, d.span.start);
        let mut out = format!("{}:{line}:{col}: {}: ", self.name, d.severity);
        if !d.path.is_empty() {
            out.push_str(&d.path);
            out.push_str(": ");
        }
        out.push_str(&d.message);
        if let Some(help) = &d.help {
            out.push_str(" (");
            out.push_str(help);
            out.push(')');
        }
        out
    }

    /// A source snippet with a caret under the offending value, for a terminal.
    pub fn snippet(&self, d: &Diagnostic, color: bool) -> String {
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let end = d.span.end.clamp(d.span.start, self.text.len());
        let start = d.span.start.min(end);
        let span = (self.name.as_str(), start..end.max(start));
        let mut label = Label::new(span.clone());
        if !d.path.is_empty() {
            label = label.with_message(&d.path);
        }
        let mut report = Report::build(kind, span)
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(IndexType::Byte)
                    .with_compact(true),
            )
            .with_message(&d.message)
            .with_label(label);
        if let Some(help) = &d.help {
            report = report.with_help(help);
        }
        let mut out = Vec::new();
        let cache = (
            self.name.as_str(),
            ariadne::Source::from(self.text.as_str()),
        );
        match report.finish().write(cache, &mut out) {
            Ok(()) => String::from_utf8_lossy(&out).into_owned(),
            Err(_) => String::new(),
        }
    }
}

/// The outcome of checking one file: its problems, worst first within each
/// position order.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// True if any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    /// Sorts by position in the file, keeping the order of checks for equal positions.
    pub fn sort(&mut self) {
        self.0.sort_by_key(|d| d.span.start);
    }
}

/// "1 error", "2 warnings".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
