//! Text for the terminal: plain tables and wrapped paragraphs.

use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle};

/// A plain table: a rule under the header, no other lines.
pub fn table() -> Table {
    let mut t = Table::new();
    t.load_style(TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' ')))
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100);
    t
}

/// `text` wrapped at 78 columns, every line starting with `indent`.
pub fn wrap(text: &str, indent: &str) -> String {
    hang(text, indent, indent)
}

/// `text` wrapped at 78 columns, the first line starting with `first` and
/// the others with `rest` (for list items). Ids with hyphens are never split.
pub fn hang(text: &str, first: &str, rest: &str) -> String {
    let options = textwrap::Options::new(78)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}
