//! Every broken scenario in `tests/input/invalid/` reports exactly the
//! problems its `// expect:` lines list, at the line and column given.

use cyberttx::diag::SourceFile;
use cyberttx::norms::NormSet;
use cyberttx::scenario;
use std::path::Path;

/// `LINE:COL: SEVERITY: PATH: MESSAGE (HELP)` for each problem, in file order.
fn problems(src: &SourceFile, norms: &NormSet) -> Vec<String> {
    let (_, diagnostics) = scenario::check(src, norms);
    let prefix = format!("{}:", src.name);
    diagnostics
        .0
        .iter()
        .map(|d| src.line(d).trim_start_matches(&prefix).to_owned())
        .collect()
}

fn expected(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("// expect: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_broken_scenario_reports_what_it_expects() {
    let norms = NormSet::load(None).expect("embedded catalogues load");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/input/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/input/invalid exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "only {} broken scenarios", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let src = SourceFile::new(name, text.clone());
        let want = expected(&text);
        assert!(!want.is_empty(), "{name} has no `// expect:` line");
        let got = problems(&src, &norms);
        if got != want {
            failures.push(format!(
                "{name}\n  expected:\n    {}\n  got:\n    {}",
                want.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_file_with_several_errors_reports_all_of_them() {
    let norms = NormSet::load(None).expect("embedded catalogues load");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/input/invalid/several-errors.ron");
    let text = std::fs::read_to_string(path).expect("readable");
    let (scenario, diagnostics) =
        scenario::check(&SourceFile::new("several-errors.ron", text), &norms);
    assert!(scenario.is_none());
    assert!(diagnostics.errors() >= 8, "{diagnostics:#?}");
}
