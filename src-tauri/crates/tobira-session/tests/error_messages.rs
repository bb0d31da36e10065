//! Every code an error of Tobira can have is worded in both message files:
//! the window shows errors by code, and so does the CLI in Japanese. Each
//! enum's `CODES` comes from the same table as its `code()`
//! (`tobira_core::error_codes!`), so a code cannot be left out of it.

use tobira_core::bookmarks::BookmarkError;
use tobira_core::deep_link::DeepLinkError;
use tobira_core::profile::ChangeError;
use tobira_core::progress::ProgressError;
use tobira_core::sites::SitesError;
use tobira_core::{PolicyError, ScopeError, SettingsError, SiteError};
use tobira_doctor::DoctorError;
use tobira_secrets::SecretError;

/// Every error enum the session reports, directly or wrapped (the window's
/// own codes are checked in the window crate).
const ERRORS: [(&str, &[&str]); 12] = [
    ("SiteError", SiteError::CODES),
    ("SettingsError", SettingsError::CODES),
    ("ProgressError", ProgressError::CODES),
    ("ScopeError", ScopeError::CODES),
    ("PolicyError", PolicyError::CODES),
    ("BookmarkError", BookmarkError::CODES),
    ("DeepLinkError", DeepLinkError::CODES),
    ("SitesError", SitesError::CODES),
    ("ChangeError", ChangeError::CODES),
    ("SecretError", SecretError::CODES),
    ("DoctorError", DoctorError::CODES),
    ("tobira_session::Error", tobira_session::Error::CODES),
];

#[test]
fn every_code_of_every_error_has_a_message_in_both_languages() {
    for (name, codes) in ERRORS {
        let mut distinct = codes.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), codes.len(), "{name} lists a code twice");
    }
    let all: Vec<&str> = ERRORS
        .iter()
        .flat_map(|(_, codes)| codes.iter().copied())
        .collect();
    assert_eq!(
        tobira_i18n::missing_error_messages(&all),
        Vec::<String>::new(),
        "add these messages to ui/src/lib/messages/"
    );
}
