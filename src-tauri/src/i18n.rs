//! The words the window's Rust side shows (tray labels, window titles), from
//! the one message catalogue the UI, the doctor and the CLI read too.

pub use tobira_i18n::text as message;

#[cfg(test)]
mod tests {
    use super::*;
    use tobira_core::Language;

    #[test]
    fn tray_labels_exist_in_both_languages() {
        for key in [
            "tray.open",
            "tray.portal",
            "tray.bookmarks",
            "tray.assistant",
            "tray.continue",
            "tray.quit",
            "overlay.windowTitle",
        ] {
            for language in [Language::En, Language::Ja] {
                assert!(tobira_i18n::has(language, key), "{key} in {language:?}");
            }
        }
        assert_ne!(
            message(Language::En, "tray.quit"),
            message(Language::Ja, "tray.quit")
        );
    }
}
