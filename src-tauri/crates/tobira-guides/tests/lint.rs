//! The linter against a folder of broken guides: every class of mistake is
//! found, at the right place, with a message that says what to do.

use std::path::Path;

use tobira_guides::lint::{lint, AllowedHosts};
use tobira_guides::Source;

fn lint_fixture(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let prefix = format!("{}/", root.display());
    lint(&[Source::dir("fixtures", &root)], &AllowedHosts::default())
        .problems
        .iter()
        .map(|p| p.to_string().replace(&prefix, ""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn finds_every_class_of_mistake() {
    insta::assert_snapshot!(lint_fixture("broken"));
}

#[test]
fn the_bundled_guides_are_clean() {
    let guides = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../guides");
    let report = lint(&[Source::dir("bundled", &guides)], &AllowedHosts::default());
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(report.files, 14, "seven flows in two languages");
}
