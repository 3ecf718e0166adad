//! Reading input files and parsing RON into typed data, with errors in plain words.

use crate::diag::{Diagnostic, SourceFile};
use crate::locate::{Locations, offset_of};
use ron::error::Error as RonError;
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;
use std::path::Path;

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {reason}")]
pub struct ReadError {
    /// The path as given.
    pub path: String,
    /// What the operating system said, in plain words.
    pub reason: String,
}

/// Reads a UTF-8 text file.
pub fn read_file(path: &Path) -> Result<SourceFile, ReadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ReadError {
        path: name.clone(),
        reason: io_reason(&e),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ReadError {
        path: name.clone(),
        reason: format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    Ok(SourceFile::new(name, text))
}

/// An I/O error in plain words.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "it is a directory, not a file".to_owned(),
        _ => e.to_string(),
    }
}

/// The RON options every input is read with: `implicit_some` on.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Parses `src` as a `T`; a syntax or type error becomes one diagnostic at
/// ron's position, with the field path of the value it is in.
pub fn parse<T: DeserializeOwned>(src: &SourceFile) -> Result<T, Diagnostic> {
    ron_options().from_str::<T>(&src.text).map_err(|e| {
        let text = &src.text;
        let locs = Locations::of(text);
        // ron may point at the white space before the offending value.
        let at = offset_of(text, e.span.start.line, e.span.start.col);
        let start = at + text[at..].len() - text[at..].trim_start().len();
        let end = offset_of(text, e.span.end.line, e.span.end.col).max(start);
        let (mut message, mut help) = describe(&e.code);
        let found = word_at(text, start);
        if is_syntax(&e.code) && !found.is_empty() {
            message = format!("{message}, found `{found}`");
        }
        if is_syntax(&e.code)
            && let Some(span) = locs.value_before(start)
            && let Some(value) = text.get(span)
            && value.starts_with('"')
            && value.contains('\n')
        {
            help = Some("a text in double quotes runs over several lines here: is its closing `\"` missing?".to_owned());
        }
        let path = locs.path_at(start).unwrap_or("").to_owned();
        let d = Diagnostic::error(path, start..end, message);
        match help {
            Some(h) => d.with_help(h),
            None => d,
        }
    })
}

/// True for errors in the shape of the text (rather than in a value's type).
fn is_syntax(e: &RonError) -> bool {
    matches!(
        e,
        RonError::ExpectedComma
            | RonError::ExpectedIdentifier
            | RonError::ExpectedStructLikeEnd
            | RonError::ExpectedOptionEnd
            | RonError::ExpectedArrayEnd
            | RonError::ExpectedMapEnd
            | RonError::ExpectedMapColon
            | RonError::ExpectedStructLike
            | RonError::ExpectedArray
            | RonError::UnexpectedChar(_)
            | RonError::TrailingCharacters
    )
}

/// The word or character at `offset`, for "found `...`" (at most 30 characters).
fn word_at(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .take(30)
        .collect();
    if word.is_empty() {
        rest.chars().next().map(String::from).unwrap_or_default()
    } else {
        word
    }
}

/// A ron error as a message for people who do not write Rust, and a hint.
fn describe(e: &RonError) -> (String, Option<String>) {
    match e {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            format!("unknown field `{found}`{}", in_outer(outer)),
            Some(suggest(found, expected, "fields")),
        ),
        RonError::MissingStructField { field, outer } => (
            format!("missing required field `{field}`{}", in_outer(outer)),
            None,
        ),
        RonError::DuplicateStructField { field, outer } => (
            format!("field `{field}` is given twice{}", in_outer(outer)),
            None,
        ),
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => (
            match outer {
                Some(o) => format!("unknown {} `{found}`", kind_word(o)),
                None => format!("unknown variant `{found}`"),
            },
            Some(suggest(found, expected, "values")),
        ),
        RonError::InvalidValueForType { expected, found } => (
            format!("expected {} but found {found}", plain_type(expected)),
            None,
        ),
        RonError::ExpectedDifferentLength { expected, found } => (
            format!("expected {expected} but found {found} element(s)"),
            None,
        ),
        RonError::Eof => (
            "the file ends too early".to_owned(),
            Some("a bracket or parenthesis is probably not closed".to_owned()),
        ),
        RonError::ExpectedComma => (
            "expected a comma".to_owned(),
            Some("separate fields and list items with `,`".to_owned()),
        ),
        RonError::ExpectedIdentifier => (
            "expected a field name".to_owned(),
            Some(
                "a closing `)` may be missing before this point, or a comma is misplaced"
                    .to_owned(),
            ),
        ),
        RonError::ExpectedInteger => ("expected a whole number".to_owned(), None),
        RonError::ExpectedFloat => ("expected a number".to_owned(), None),
        RonError::ExpectedBoolean => ("expected `true` or `false`".to_owned(), None),
        RonError::ExpectedStructLike => ("expected an opening `(`".to_owned(), None),
        RonError::ExpectedArray => (
            "expected a list in square brackets `[...]`".to_owned(),
            None,
        ),
        RonError::ExpectedStructLikeEnd | RonError::ExpectedOptionEnd => (
            "expected a closing `)`".to_owned(),
            Some("a parenthesis is not closed, or a comma is missing".to_owned()),
        ),
        RonError::ExpectedArrayEnd => (
            "expected a closing `]`".to_owned(),
            Some("a list is not closed, or a comma is missing".to_owned()),
        ),
        RonError::ExpectedString => ("expected a text in double quotes".to_owned(), None),
        RonError::ExpectedStringEnd => (
            "a text in double quotes is not closed".to_owned(),
            Some("add the closing `\"`".to_owned()),
        ),
        RonError::TrailingCharacters => (
            "unexpected text after the end of the file's value".to_owned(),
            Some("the whole file is one `( ... )`: is there a `)` too many?".to_owned()),
        ),
        RonError::Message(m) => (m.clone(), None),
        other => (lowercase_first(&other.to_string()), None),
    }
}

fn in_outer(outer: &Option<String>) -> String {
    match outer {
        Some(o) => format!(" in {}", kind_word(o)),
        None => String::new(),
    }
}

/// The Rust type names that ron reports, as the words the docs use.
fn kind_word(rust_type: &str) -> String {
    let word = match rust_type {
        "Scenario" => "the scenario",
        "Actor" => "actor",
        "ActorKind" => "actor kind",
        "Asset" => "asset",
        "Dependency" => "dependency",
        "Inject" => "inject",
        "Incident" => "incident",
        "IncidentKind" => "incident kind",
        "Response" => "response",
        "Assessment" => "assessment",
        "Obligation" => "obligation",
        "Effect" => "effect",
        "Condition" => "condition",
        "TargetKind" => "target kind",
        "ShareWith" => "share recipients",
        "Sector" => "sector",
        "Policy" => "policy",
        "Catalogue" => "the catalogue",
        "Norm" => "norm",
        "Binds" => "binds value",
        "Decision" => "decision",
        other => other,
    };
    word.to_owned()
}

fn plain_type(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        other => other.to_owned(),
    }
}

/// "did you mean `x`?" plus the list of what is allowed.
fn suggest(found: &str, expected: &[&str], what: &str) -> String {
    let list = expected
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match closest(found, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? allowed {what}: {list}"),
        None => format!("allowed {what}: {list}"),
    }
}

/// The candidate closest to `found`, if it is close enough to be a typo.
pub fn closest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let found_lower = found.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&found_lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= 2.max(c.len() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
