//! The matcher against the labelled evaluation set in
//! `tests/fixtures/troubleshoot-eval.toml`: prints top-1 and top-3
//! accuracy and every miss; fails below the targets (90 % / 98 %).

use serde::Deserialize;
use tobira_core::Language;
use tobira_guides::matcher::Matcher;
use tobira_guides::{Library, Source};
use tobira_tests::workspace_root;

#[derive(Deserialize)]
struct EvalSet {
    query: Vec<Query>,
}

#[derive(Deserialize)]
struct Query {
    text: String,
    expect: String,
}

#[test]
fn the_matcher_meets_its_accuracy_targets() {
    let text =
        std::fs::read_to_string(workspace_root().join("tests/fixtures/troubleshoot-eval.toml"))
            .unwrap();
    let set: EvalSet = toml::from_str(&text).unwrap();
    assert!(set.query.len() >= 100, "at least 100 labelled queries");
    let library = Library::load(vec![Source::dir(
        "bundled",
        workspace_root().join("guides"),
    )]);
    let matcher = Matcher::new(&library);
    let (mut top1, mut top3) = (0, 0);
    for query in &set.query {
        let language = if query.text.is_ascii() {
            Language::En
        } else {
            Language::Ja
        };
        let ranked: Vec<String> = matcher
            .rank(&query.text, language, None)
            .into_iter()
            .map(|m| m.cause)
            .collect();
        let position = ranked.iter().position(|c| *c == query.expect);
        match position {
            Some(0) => {
                top1 += 1;
                top3 += 1;
            }
            Some(1 | 2) => {
                top3 += 1;
                println!(
                    "top-3 only: {:?} → {:?} (expected {})",
                    query.text,
                    &ranked[..3.min(ranked.len())],
                    query.expect
                );
            }
            _ => println!(
                "miss: {:?} → {:?} (expected {})",
                query.text,
                ranked.iter().take(3).collect::<Vec<_>>(),
                query.expect
            ),
        }
    }
    let total = set.query.len() as f64;
    let (p1, p3) = (100.0 * top1 as f64 / total, 100.0 * top3 as f64 / total);
    println!(
        "troubleshoot matcher: {} queries, top-1 {p1:.1} %, top-3 {p3:.1} %",
        set.query.len()
    );
    assert!(
        p1 >= 90.0 && p3 >= 98.0,
        "top-1 {p1:.1} % (target 90), top-3 {p3:.1} % (target 98)"
    );
}
