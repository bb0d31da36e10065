//! The words the window's Rust side shows (tray labels, window titles).

use tobira_core::Language;

/// Strings Rust shows (tray labels, window titles) come from the window's
/// message files, so there is one place per language for every string a
/// person reads.
pub fn message(language: Language, key: &str) -> String {
    type Catalog = std::collections::HashMap<String, String>;
    static EN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    static JA: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    // Parsed once per language; a file that fails to parse shows keys.
    let parse = |text: &str| serde_json::from_str::<Catalog>(text).unwrap_or_default();
    let catalog = match language {
        Language::Ja => JA.get_or_init(|| parse(include_str!("../../ui/src/lib/messages/ja.json"))),
        Language::En => EN.get_or_init(|| parse(include_str!("../../ui/src/lib/messages/en.json"))),
    };
    catalog.get(key).cloned().unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
                assert_ne!(message(language, key), key, "{key} in {language:?}");
            }
        }
        assert_ne!(
            message(Language::En, "tray.quit"),
            message(Language::Ja, "tray.quit")
        );
    }
}
