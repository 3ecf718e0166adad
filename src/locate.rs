//! Where each value of a RON file stands: field path → byte span.
//!
//! serde gives us the data but not where it came from, so this module walks
//! the same text once more with a small, tolerant RON reader and records the
//! span of every value under its field path (`injects[2].incident.targets[0]`).
//! Validation uses it to point each problem at the exact value, even when the
//! same id occurs many times in the file.
//!
//! Path rules, shared with validation:
//! - a struct field appends `.name` (`actors[0].kind`); the top level has no prefix;
//! - a list or tuple element appends `[i]`;
//! - an enum variant with arguments appends `.Variant` for its argument, or
//!   `.Variant[i]` when it has several (`trigger.All[1].ServiceBelow[0]`);
//! - `Some(x)` and a struct's optional name are transparent.
//!
//! The reader never fails: on text it cannot read it stops, and values left
//! open extend to the end of the file.

use std::collections::BTreeMap;
use std::ops::Range;

/// The spans of the values of one RON text, by field path.
#[derive(Clone, Debug, Default)]
pub struct Locations {
    /// Every value in the order it starts, with its path and span.
    nodes: Vec<(String, Range<usize>)>,
    /// Path → index in `nodes` (first occurrence).
    by_path: BTreeMap<String, usize>,
}

impl Locations {
    /// Reads `text` and records the span of every value.
    pub fn of(text: &str) -> Locations {
        let mut reader = Reader {
            text,
            tokens: tokenize(text),
            pos: 0,
            end: text.len(),
            nodes: Vec::new(),
        };
        reader.skip_attributes();
        reader.value(String::new(), 0);
        let mut by_path = BTreeMap::new();
        for (i, (path, _)) in reader.nodes.iter().enumerate() {
            by_path.entry(path.clone()).or_insert(i);
        }
        Locations {
            nodes: reader.nodes,
            by_path,
        }
    }

    /// The span of the value at `path`, if the file has it.
    pub fn get(&self, path: &str) -> Option<Range<usize>> {
        self.by_path.get(path).map(|&i| self.nodes[i].1.clone())
    }

    /// The span of the value at `path`, or of its nearest ancestor the file
    /// has (a defaulted field is not in the file, but its struct is).
    pub fn nearest(&self, path: &str) -> Range<usize> {
        let mut p = path;
        loop {
            if let Some(span) = self.get(p) {
                return span;
            }
            match parent(p) {
                Some(up) => p = up,
                None => return 0..0,
            }
        }
    }

    /// The path of the innermost value that contains byte `offset`.
    pub fn path_at(&self, offset: usize) -> Option<&str> {
        self.nodes
            .iter()
            .filter(|(_, span)| span.contains(&offset))
            .max_by_key(|(path, span)| (span.start, path.len()))
            .map(|(path, _)| path.as_str())
    }

    /// The span of the value that ends last before byte `offset` (the
    /// innermost one if several end there).
    pub fn value_before(&self, offset: usize) -> Option<Range<usize>> {
        self.nodes
            .iter()
            .map(|(_, span)| span)
            .filter(|span| span.end <= offset && span.start < span.end)
            .max_by_key(|span| (span.end, std::cmp::Reverse(span.end - span.start)))
            .cloned()
    }

    /// The names of the top-level struct's fields, in file order.
    pub fn top_fields(&self) -> impl Iterator<Item = &str> {
        self.nodes
            .iter()
            .map(|(p, _)| p.as_str())
            .filter(|p| !p.is_empty() && !p.contains(['.', '[', '{']))
    }
}

/// The path one level up: `a.b[2]` → `a.b`, `a.b` → `a`, `a` → ``.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

/// Converts a byte offset to a 1-based line and column (in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Converts a 1-based line and column (in characters) to a byte offset,
/// clamped to the text.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    rest[..line_end]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(start + line_end, |(i, _)| start + i)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Open(char),
    Close(char),
    Comma,
    Colon,
    Hash,
    Bang,
    Ident,
    Literal,
    Other,
}

/// Splits RON text into tokens with their spans; comments and white space
/// are dropped. Unterminated strings and comments run to the end.
fn tokenize(text: &str) -> Vec<(Tok, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let punctuation = match c {
            b'(' | b'[' | b'{' => Some(Tok::Open(c as char)),
            b')' | b']' | b'}' => Some(Tok::Close(c as char)),
            b',' => Some(Tok::Comma),
            b':' => Some(Tok::Colon),
            b'#' => Some(Tok::Hash),
            b'!' => Some(Tok::Bang),
            _ => None,
        };
        if let Some(tok) = punctuation {
            out.push((tok, i..i + 1));
            i += 1;
            continue;
        }
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'"' => {
                i = skip_quoted(bytes, i + 1, b'"');
                out.push((Tok::Literal, start..i));
            }
            b'\'' => {
                i = skip_quoted(bytes, i + 1, b'\'');
                out.push((Tok::Literal, start..i));
            }
            b'r' | b'b' if is_raw_or_byte_string(bytes, i) => {
                i = skip_raw_or_byte_string(bytes, i);
                out.push((Tok::Literal, start..i));
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                // raw identifiers: r#name
                if &bytes[start..i] == b"r" && bytes.get(i) == Some(&b'#') {
                    i += 1;
                    while i < bytes.len()
                        && (bytes[i].is_ascii_alphanumeric() || b"_-.+".contains(&bytes[i]))
                    {
                        i += 1;
                    }
                }
                out.push((Tok::Ident, start..i));
            }
            _ if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || bytes[i] == b'_'
                        || bytes[i] == b'.'
                        || ((bytes[i] == b'-' || bytes[i] == b'+')
                            && matches!(bytes[i - 1], b'e' | b'E')))
                {
                    i += 1;
                }
                out.push((Tok::Literal, start..i));
            }
            _ => {
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                out.push((Tok::Other, i..i + len));
                i += len;
            }
        }
    }
    out
}

fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Skips to just past the closing quote, honouring backslash escapes.
fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn is_raw_or_byte_string(bytes: &[u8], i: usize) -> bool {
    let rest = &bytes[i..];
    rest.starts_with(b"r\"")
        || rest.starts_with(b"r#\"")
        || rest.starts_with(b"r##")
        || rest.starts_with(b"b\"")
        || rest.starts_with(b"b'")
        || rest.starts_with(b"br\"")
        || rest.starts_with(b"br#")
}

fn skip_raw_or_byte_string(bytes: &[u8], mut i: usize) -> usize {
    if bytes[i] == b'b' {
        i += 1;
        match bytes.get(i) {
            Some(b'"') => return skip_quoted(bytes, i + 1, b'"'),
            Some(b'\'') => return skip_quoted(bytes, i + 1, b'\''),
            _ => {}
        }
    }
    // r#*" ... "#*
    i += 1;
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes.len() >= i + 1 + hashes
            && bytes[i + 1..i + 1 + hashes].iter().all(|&b| b == b'#')
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// Deep enough for any real scenario; deeper input is simply not located.
const MAX_DEPTH: usize = 128;

struct Reader<'a> {
    text: &'a str,
    tokens: Vec<(Tok, Range<usize>)>,
    pos: usize,
    end: usize,
    nodes: Vec<(String, Range<usize>)>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<Tok> {
        self.tokens.get(self.pos).map(|t| t.0)
    }

    fn peek_at(&self, ahead: usize) -> Option<Tok> {
        self.tokens.get(self.pos + ahead).map(|t| t.0)
    }

    fn start(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |t| t.1.start)
    }

    /// End of the last consumed token.
    fn last_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.1.end)
    }

    fn skip_attributes(&mut self) {
        // #![enable(...)]
        while self.peek() == Some(Tok::Hash) && self.peek_at(1) == Some(Tok::Bang) {
            self.pos += 2;
            let mut depth = 0usize;
            while let Some(t) = self.peek() {
                self.pos += 1;
                match t {
                    Tok::Open(_) => depth += 1,
                    Tok::Close(_) => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The text of token `i`.
    fn token_text(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.1.clone()))
            .unwrap_or("")
    }

    /// Reads one value at `path`; returns false when the text cannot be read further.
    fn value(&mut self, path: String, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let start = self.start();
        let node = self.nodes.len();
        self.nodes.push((path.clone(), start..self.end));
        let ok = match self.peek() {
            Some(Tok::Literal) => {
                self.pos += 1;
                true
            }
            Some(Tok::Ident) => {
                let name_at = self.pos;
                self.pos += 1;
                if self.peek() == Some(Tok::Open('(')) {
                    self.pos += 1;
                    let name = self.token_text(name_at).to_owned();
                    self.parens(&path, Some(&name), depth)
                } else {
                    true
                }
            }
            Some(Tok::Open('(')) => {
                self.pos += 1;
                self.parens(&path, None, depth)
            }
            Some(Tok::Open('[')) => {
                self.pos += 1;
                self.seq(&path, ']', depth)
            }
            Some(Tok::Open('{')) => {
                self.pos += 1;
                self.map(&path, depth)
            }
            _ => false,
        };
        if ok {
            self.nodes[node].1.end = self.last_end();
        }
        ok
    }

    /// After `(` (optionally after a name): a struct, a tuple or variant
    /// arguments, up to the matching `)`.
    fn parens(&mut self, path: &str, name: Option<&str>, depth: usize) -> bool {
        let is_struct = self.peek() == Some(Tok::Ident) && self.peek_at(1) == Some(Tok::Colon);
        if is_struct {
            return self.fields(path, depth);
        }
        if self.peek() == Some(Tok::Close(')')) {
            self.pos += 1;
            return true;
        }
        // Count the top-level elements first, to know whether to index them.
        let count = self.count_elements();
        let base = match name {
            Some("Some") | None => path.to_owned(),
            Some(variant) => join_field(path, variant),
        };
        if count == 1 {
            if !self.value(base, depth + 1) {
                return false;
            }
            let _ = self.eat(Tok::Comma);
            return self.eat(Tok::Close(')'));
        }
        let mut i = 0;
        loop {
            if self.eat(Tok::Close(')')) {
                return true;
            }
            if !self.value(format!("{base}[{i}]"), depth + 1) {
                return false;
            }
            i += 1;
            if !self.eat(Tok::Comma) {
                return self.eat(Tok::Close(')'));
            }
        }
    }

    /// Elements at the top level of the current group, without consuming.
    fn count_elements(&self) -> usize {
        let mut depth = 0usize;
        let mut count = 0usize;
        let mut seen = false;
        for (tok, _) in &self.tokens[self.pos..] {
            match tok {
                Tok::Open(_) => {
                    depth += 1;
                    seen = true;
                }
                Tok::Close(_) if depth == 0 => break,
                Tok::Close(_) => depth -= 1,
                Tok::Comma if depth == 0 => {
                    if seen {
                        count += 1;
                    }
                    seen = false;
                }
                _ => seen = true,
            }
        }
        count + usize::from(seen)
    }

    fn fields(&mut self, path: &str, depth: usize) -> bool {
        loop {
            if self.eat(Tok::Close(')')) {
                return true;
            }
            if self.peek() != Some(Tok::Ident) || self.peek_at(1) != Some(Tok::Colon) {
                return false;
            }
            let field = join_field(path, self.token_text(self.pos));
            self.pos += 2;
            if !self.value(field, depth + 1) {
                return false;
            }
            if !self.eat(Tok::Comma) {
                return self.eat(Tok::Close(')'));
            }
        }
    }

    fn seq(&mut self, path: &str, close: char, depth: usize) -> bool {
        let mut i = 0;
        loop {
            if self.eat(Tok::Close(close)) {
                return true;
            }
            if !self.value(format!("{path}[{i}]"), depth + 1) {
                return false;
            }
            i += 1;
            if !self.eat(Tok::Comma) {
                return self.eat(Tok::Close(close));
            }
        }
    }

    fn map(&mut self, path: &str, depth: usize) -> bool {
        let mut i = 0;
        loop {
            if self.eat(Tok::Close('}')) {
                return true;
            }
            if !self.value(format!("{path}{{key {i}}}"), depth + 1) || !self.eat(Tok::Colon) {
                return false;
            }
            if !self.value(format!("{path}[{i}]"), depth + 1) {
                return false;
            }
            i += 1;
            if !self.eat(Tok::Comma) {
                return self.eat(Tok::Close('}'));
            }
        }
    }

    fn eat(&mut self, tok: Tok) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
}

fn join_field(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"#![enable(implicit_some)]
// a comment with "quotes" and (parens)
(
    id: "x",
    assets: [
        (id: "grid", name: "A"),
        (id: "grid", name: "B /* not a comment */"),
    ],
    injects: [
        (trigger: All([Turn(1), ServiceBelow("grid", 0.5)]), incident: Some((targets: ["grid", "grid"]))),
        (trigger: Not(Misattributed), audience: None, text: r#"raw "text""#),
    ],
    /* nested /* block */ comment */
    map: {"a": 1},
)
"##;

    fn at(locs: &Locations, path: &str) -> (usize, usize) {
        line_col(TEXT, locs.get(path).expect(path).start)
    }

    #[test]
    fn repeated_ids_are_located_by_path_not_by_text() {
        let locs = Locations::of(TEXT);
        assert_eq!(at(&locs, "assets[0].id"), (6, 14));
        assert_eq!(at(&locs, "assets[1].id"), (7, 14));
        assert_eq!(at(&locs, "injects[0].incident.targets[0]"), (10, 88));
        assert_eq!(at(&locs, "injects[0].incident.targets[1]"), (10, 96));
    }

    #[test]
    fn variant_arguments_are_named_after_the_variant() {
        let locs = Locations::of(TEXT);
        assert_eq!(at(&locs, "injects[0].trigger"), (10, 19));
        assert_eq!(at(&locs, "injects[0].trigger.All[0].Turn"), (10, 29));
        assert_eq!(
            at(&locs, "injects[0].trigger.All[1].ServiceBelow[0]"),
            (10, 46)
        );
        assert_eq!(
            at(&locs, "injects[0].trigger.All[1].ServiceBelow[1]"),
            (10, 54)
        );
        assert_eq!(at(&locs, "injects[1].trigger.Not"), (11, 23));
        assert_eq!(at(&locs, "injects[1].text"), (11, 61));
        assert_eq!(at(&locs, "map[0]"), (14, 16));
    }

    #[test]
    fn missing_paths_fall_back_to_the_nearest_ancestor() {
        let locs = Locations::of(TEXT);
        let span = locs.nearest("assets[1].population");
        assert_eq!(line_col(TEXT, span.start), (7, 9));
        assert_eq!(
            locs.nearest("nothing.here"),
            locs.get("").expect("the whole value")
        );
    }

    #[test]
    fn path_at_finds_the_innermost_value() {
        let locs = Locations::of(TEXT);
        let offset = locs.get("assets[1].name").expect("name").start + 3;
        assert_eq!(locs.path_at(offset), Some("assets[1].name"));
    }

    #[test]
    fn top_fields_are_listed() {
        let locs = Locations::of(TEXT);
        let fields: Vec<&str> = locs.top_fields().collect();
        assert_eq!(fields, ["id", "assets", "injects", "map"]);
    }

    #[test]
    fn broken_text_is_located_up_to_the_break() {
        let text = "(id: \"a\", actors: [(id: \"b\" name: \"c\")]";
        let locs = Locations::of(text);
        assert!(locs.get("actors[0].id").is_some());
        assert!(locs.get("actors[0].name").is_none());
    }

    #[test]
    fn line_col_and_offset_round_trip() {
        for offset in [0, 5, 40, 100, TEXT.len()] {
            let (l, c) = line_col(TEXT, offset);
            assert_eq!(offset_of(TEXT, l, c), offset);
        }
        assert_eq!(offset_of("ab\ncd", 9, 9), 5);
    }
}
