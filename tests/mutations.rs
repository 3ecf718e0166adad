//! Random damage to the quickstart scenario never panics loading or
//! validation, and every problem reported points inside the file.

use cyberttx::diag::SourceFile;
use cyberttx::norms::NormSet;
use cyberttx::scenario;
use proptest::prelude::*;
use std::sync::OnceLock;

const QUICKSTART: &str = include_str!("../scenarios/quickstart.ron");

fn norms() -> &'static NormSet {
    static NORMS: OnceLock<NormSet> = OnceLock::new();
    NORMS.get_or_init(|| NormSet::load(None).expect("embedded catalogues load"))
}

/// Splits text into tokens: quoted strings, words, numbers, single
/// punctuation characters and runs of white space (kept, so that joining
/// the tokens gives the text back).
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if c == '"' {
            rest[1..].find('"').map_or(rest.len(), |i| i + 2)
        } else if c.is_alphanumeric() || c == '_' || c == '-' || c == '.' {
            rest.find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '.'))
                .unwrap_or(rest.len())
        } else if c.is_whitespace() {
            rest.find(|ch: char| !ch.is_whitespace())
                .unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    out
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        any::<usize>().prop_map(Mutation::Swap),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut toks = tokens(text);
    for m in mutations {
        if toks.len() < 2 {
            break;
        }
        match *m {
            Mutation::Delete(i) => {
                toks.remove(i % toks.len());
            }
            Mutation::Duplicate(i) => {
                let i = i % toks.len();
                toks.insert(i, toks[i]);
            }
            Mutation::Swap(i) => {
                let i = i % (toks.len() - 1);
                toks.swap(i, i + 1);
            }
        }
    }
    toks.concat()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn damaged_quickstart_never_panics(mutations in proptest::collection::vec(mutation(), 1..4)) {
        let text = apply(QUICKSTART, &mutations);
        let src = SourceFile::new("mutated.ron", text.clone());
        let (_, diagnostics) = scenario::check(&src, norms());
        for d in &diagnostics.0 {
            prop_assert!(d.span.start <= text.len() && d.span.end <= text.len());
            let line = src.line(d);
            prop_assert!(line.starts_with("mutated.ron:"));
            let _ = src.snippet(d, false);
        }
    }
}

#[test]
fn the_tokenizer_gives_the_text_back() {
    assert_eq!(tokens(QUICKSTART).concat(), QUICKSTART);
}
