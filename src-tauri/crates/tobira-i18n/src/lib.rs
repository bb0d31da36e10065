//! The message catalogue: every sentence Tobira shows, in Japanese and
//! English, from the UI's message files (`ui/src/lib/messages/{en,ja}.json`).
//! The window's Rust side, the doctor and the CLI read them here, so each
//! language has one file and one placeholder syntax (`{name}`, as
//! `ui/src/lib/i18n.ts` fills it).

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

pub use tobira_core::Language;

type Catalog = HashMap<String, String>;

fn catalog(language: Language) -> &'static Catalog {
    static EN: OnceLock<Catalog> = OnceLock::new();
    static JA: OnceLock<Catalog> = OnceLock::new();
    // Parsed once per language; the test below keeps both files parseable.
    let parse = |text: &str| serde_json::from_str::<Catalog>(text).unwrap_or_default();
    match language {
        Language::Ja => {
            JA.get_or_init(|| parse(include_str!("../../../../ui/src/lib/messages/ja.json")))
        }
        Language::En => {
            EN.get_or_init(|| parse(include_str!("../../../../ui/src/lib/messages/en.json")))
        }
    }
}

/// Whether `language`'s file has `key` (no fallback).
pub fn has(language: Language, key: &str) -> bool {
    catalog(language).contains_key(key)
}

/// The message `key` in `language`, else in English, else the key itself
/// (as the UI's translator does), with its placeholders left as they are.
pub fn text(language: Language, key: &str) -> String {
    catalog(language)
        .get(key)
        .or_else(|| catalog(Language::En).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The message `key` in `language` with its `{name}` placeholders filled
/// from `args`.
pub fn text_with(language: Language, key: &str, args: &[(&str, &dyn Display)]) -> String {
    format(&text(language, key), args)
}

/// Replaces each `{name}` of `template` with the value named `name` in
/// `args`; unknown placeholders stay visible and values are not read again
/// for placeholders (as `format` in `ui/src/lib/i18n.ts`).
pub fn format(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let value = (!name.is_empty() && after[name_len..].starts_with('}'))
            .then(|| args.iter().find(|(arg, _)| *arg == name))
            .flatten();
        match value {
            Some((_, value)) => {
                out.push_str(&value.to_string());
                rest = &after[name_len + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The codes in `codes` that have no `error.<code>` message in one of the
/// languages, as `ja.json: error.<code>`, for tests of each error enum's
/// `CODES`.
pub fn missing_error_messages(codes: &[&str]) -> Vec<String> {
    [Language::En, Language::Ja]
        .into_iter()
        .flat_map(|language| {
            codes
                .iter()
                .filter(move |code| !has(language, &format!("error.{code}")))
                .map(move |code| format!("{language}.json: error.{code}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_parse_and_speak_their_language() {
        assert!(catalog(Language::En).len() > 100);
        assert_eq!(catalog(Language::En).len(), catalog(Language::Ja).len());
        assert_eq!(text(Language::En, "setup.save"), "Save and continue");
        assert_eq!(text(Language::Ja, "setup.save"), "保存して次へ");
    }

    #[test]
    fn an_unknown_key_shows_itself() {
        assert_eq!(text(Language::Ja, "no.such.key"), "no.such.key");
        assert!(!has(Language::Ja, "no.such.key"));
    }

    #[test]
    fn fills_named_placeholders_like_the_ui() {
        assert_eq!(format("{a} and {b}", &[("a", &"x")]), "x and {b}");
        assert_eq!(format("{n} items", &[("n", &3)]), "3 items");
        assert_eq!(
            format("{a}", &[("a", &"{a}")]),
            "{a}",
            "values are not read again"
        );
        assert_eq!(format("{ a } {} {", &[("a", &1)]), "{ a } {} {");
        assert_eq!(format("「{text}」", &[("text", &"不正")]), "「不正」");
        assert_eq!(
            text_with(Language::Ja, "error.port-not-allowed", &[("detail", &8443)]),
            "「:8443」を消してください。kintone のアドレスにポート番号は付きません。"
        );
    }
}
