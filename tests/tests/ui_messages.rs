//! The UI words every error the core can return, in both languages.

use std::collections::BTreeSet;

use tobira_core::SiteError;
use tobira_tests::message_catalog as catalog;

#[test]
fn every_site_error_has_a_message_in_both_languages() {
    for language in ["en", "ja"] {
        let messages = catalog(language);
        let missing: Vec<_> = SiteError::CODES
            .iter()
            .filter(|code| !messages.contains_key(&format!("error.{code}")))
            .collect();
        assert!(
            missing.is_empty(),
            "{language}.json lacks error.{missing:?}"
        );
    }
}

#[test]
fn both_languages_have_the_same_keys() {
    let en: BTreeSet<String> = catalog("en").keys().cloned().collect();
    let ja: BTreeSet<String> = catalog("ja").keys().cloned().collect();
    assert_eq!(
        en.difference(&ja).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "missing in ja.json"
    );
    assert_eq!(
        ja.difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "missing in en.json"
    );
}
