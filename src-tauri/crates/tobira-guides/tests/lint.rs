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
    let report = lint(&[Source::dir("fixtures", &root)], &AllowedHosts::default());
    let warnings = report.warnings.iter().map(|w| format!("warning: {w}"));
    report
        .problems
        .iter()
        .map(ToString::to_string)
        .chain(warnings)
        .map(|line| line.replace(&prefix, ""))
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
    let problems: Vec<String> = report
        .problems
        .iter()
        .chain(&report.warnings)
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        report.files, 82,
        "7 flows, 32 causes, the question tree and the lexicon in two languages"
    );
}

/// Every step of every bundled flow, in every region and both languages,
/// ends with what the user should see when it worked.
#[test]
fn every_bundled_step_says_what_the_user_should_see() {
    use tobira_core::{Language, Region};
    use tobira_guides::body::parse_step_data;
    use tobira_guides::{Kind, Library};

    let guides = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../guides");
    let library = Library::load(vec![Source::dir("bundled", &guides)]);
    let mut checked = 0;
    for language in [Language::Ja, Language::En] {
        let flows = library.list(language, Kind::Flow);
        assert_eq!(flows.len(), 7, "seven flows in {language}");
        for flow in flows {
            for region in Region::ALL {
                for step in flow.body_for(region).steps {
                    let block = step.data_block.unwrap_or_else(|| {
                        panic!("{}: step {} has no step block", flow.path, step.id)
                    });
                    let (data, _) = parse_step_data(&flow.path, &block).unwrap();
                    assert!(
                        data.expect.is_some_and(|e| !e.trim().is_empty()),
                        "{}: step {} lacks expect",
                        flow.path,
                        step.id
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "{checked}");
}

/// Every canonical cause id has a guide in both languages.
#[test]
fn every_cause_id_has_a_guide_in_both_languages() {
    use tobira_core::Language;
    use tobira_guides::{Kind, Library, CAUSE_IDS};

    let guides = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../guides");
    let library = Library::load(vec![Source::dir("bundled", &guides)]);
    for language in [Language::Ja, Language::En] {
        for id in CAUSE_IDS {
            let (guide, found_in) = library
                .guide(language, id)
                .unwrap_or_else(|| panic!("no guide for {id}"));
            assert_eq!(
                (guide.kind(), found_in),
                (Kind::Cause, language),
                "{id} in {language}"
            );
            assert!(
                !guide
                    .front
                    .symptoms
                    .as_ref()
                    .map_or(&vec![], |s| s.get_ref())
                    .is_empty(),
                "{id} lists symptoms"
            );
        }
    }
}
