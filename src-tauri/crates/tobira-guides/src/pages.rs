//! What a page the browser companion saw means for the guides: which steps
//! it proves (`done_when`), and which causes its error text points to. The
//! companion only reports which of [`known_texts`] a page shows, so a text
//! Tobira does not already know never leaves the browser.

use std::collections::BTreeSet;

use tobira_core::page::{path_matches, PageKind};

use crate::body::DoneWhen;
use crate::front_matter::Kind;
use crate::library::Library;
use crate::text::normalise;

/// A page of one of the user's sites, as the companion reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenPage<'a> {
    pub kind: PageKind,
    pub path: &'a str,
    pub fragment: &'a str,
    /// The known texts the page shows.
    pub found: &'a [String],
}

impl SeenPage<'_> {
    fn shows(&self, text: &str) -> bool {
        let wanted = normalise(text);
        !wanted.is_empty() && self.found.iter().any(|f| normalise(f).contains(&wanted))
    }
}

impl DoneWhen {
    /// Whether `page` proves the step: its kind or path, and one of the
    /// texts if any are given.
    pub fn proved_by(&self, page: &SeenPage<'_>) -> bool {
        let place = match (&self.page, &self.path) {
            (Some(kind), _) => *kind == page.kind,
            (None, Some(pattern)) => path_matches(pattern, page.path, page.fragment),
            (None, None) => false,
        };
        place && (self.text.is_empty() || self.text.iter().any(|t| page.shows(t)))
    }
}

/// The texts the companion looks for on a page: every cause's error
/// message and every text a `done_when` asks for, in both languages;
/// sorted, without duplicates (callers search it by bisection).
pub fn known_texts(library: &Library) -> Vec<String> {
    let mut texts = BTreeSet::new();
    for language in [tobira_core::Language::Ja, tobira_core::Language::En] {
        for cause in library.list(language, Kind::Cause) {
            if let Some(errors) = &cause.front.error_texts {
                texts.extend(errors.get_ref().iter().cloned());
            }
        }
        for flow in library.list(language, Kind::Flow) {
            for rule in crate::view::step_rules(flow, None) {
                texts.extend(rule.done_when.into_iter().flat_map(|r| r.text));
            }
        }
    }
    texts.into_iter().collect()
}

/// A cause whose error message a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CauseSeen {
    pub cause: String,
    /// The text of the page (one of `found`) that carries the message.
    pub text: String,
}

/// The causes whose error message one of `found` is, most specific (the
/// longest message) first.
pub fn causes_of(library: &Library, found: &[String]) -> Vec<CauseSeen> {
    let found: Vec<(String, &String)> = found.iter().map(|f| (normalise(f), f)).collect();
    let mut causes: Vec<(usize, CauseSeen)> = Vec::new();
    for cause in library.list(tobira_core::Language::Ja, Kind::Cause) {
        let Some(errors) = &cause.front.error_texts else {
            continue;
        };
        // The longest of the cause's messages a found text carries (of two
        // as long, the one the cause lists first), and the first found text
        // that carries it.
        let mut best: Option<(usize, &String)> = None;
        for error in errors.get_ref().iter().map(|e| normalise(e)) {
            let length = error.chars().count();
            if length == 0 || best.is_some_and(|(longest, _)| longest >= length) {
                continue;
            }
            if let Some((_, text)) = found.iter().find(|(f, _)| f.contains(error.as_str())) {
                best = Some((length, text));
            }
        }
        if let Some((length, text)) = best {
            let seen = CauseSeen {
                cause: cause.id().to_owned(),
                text: text.clone(),
            };
            causes.push((length, seen));
        }
    }
    causes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cause.cmp(&b.1.cause)));
    causes.into_iter().map(|(_, seen)| seen).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Location, Source};

    const FLOW: &str = "+++\nid = \"f\"\nkind = \"flow\"\ntitle = \"F\"\n+++\n## A {#a}\n```step\nexpect = \"x\"\ndone_when = { page = \"account-settings\", text = [\"２要素認証\"] }\n```\n";
    const CAUSE: &str = "+++\nid = \"maintenance\"\nkind = \"cause\"\ntitle = \"M\"\nerror_texts = [\"不正なリクエストです。\"]\n+++\nText.\n";
    const CAUSE_404: &str = "+++\nid = \"wrong-url\"\nkind = \"cause\"\ntitle = \"W\"\nerror_texts = [\"Code: 404 NotFound\", \"404\"]\n+++\nText.\n";

    fn library() -> Library {
        Library::load(vec![Source {
            label: "test".into(),
            required: false,
            location: Location::Embedded(vec![
                ("ja/flows/f.md".into(), FLOW),
                ("ja/causes/m.md".into(), CAUSE),
                ("ja/causes/w.md".into(), CAUSE_404),
            ]),
        }])
    }

    fn page<'a>(kind: PageKind, found: &'a [String]) -> SeenPage<'a> {
        SeenPage {
            kind,
            path: "/settings/",
            fragment: "",
            found,
        }
    }

    #[test]
    fn a_rule_needs_the_place_and_one_of_its_texts() {
        let rule = DoneWhen {
            page: Some(PageKind::AccountSettings),
            text: vec!["2要素認証".into(), "Two-factor".into()],
            ..DoneWhen::default()
        };
        let shown = ["２要素認証の設定".to_owned()];
        assert!(rule.proved_by(&page(PageKind::AccountSettings, &shown)));
        assert!(rule.proved_by(&page(PageKind::AccountSettings, &["TWO-FACTOR".to_owned()])));
        assert!(!rule.proved_by(&page(PageKind::AccountSettings, &[])));
        assert!(!rule.proved_by(&page(PageKind::Admin, &shown)));
        let by_path = DoneWhen {
            path: Some("/settings/".into()),
            ..DoneWhen::default()
        };
        assert!(by_path.proved_by(&page(PageKind::Other, &[])));
    }

    #[test]
    fn known_texts_and_the_causes_they_name() {
        let library = library();
        assert_eq!(
            known_texts(&library),
            [
                "404",
                "Code: 404 NotFound",
                "不正なリクエストです。",
                "２要素認証"
            ]
        );
        let seen = |found: &[&str]| -> Vec<(String, String)> {
            let found: Vec<String> = found.iter().map(|f| (*f).to_owned()).collect();
            causes_of(&library, &found)
                .into_iter()
                .map(|c| (c.cause, c.text))
                .collect()
        };
        let pair = |cause: &str, text: &str| (cause.to_owned(), text.to_owned());
        assert_eq!(
            seen(&["不正なリクエストです。"]),
            [pair("maintenance", "不正なリクエストです。")]
        );
        assert_eq!(
            seen(&["Code: 404 NotFound"]),
            [pair("wrong-url", "Code: 404 NotFound")]
        );
        assert!(seen(&["ようこそ"]).is_empty());
        // The longest message decides which text is offered and which
        // cause comes first.
        assert_eq!(
            seen(&["Error 404", "Code: 404 NotFound", "不正なリクエストです。"]),
            [
                pair("wrong-url", "Code: 404 NotFound"),
                pair("maintenance", "不正なリクエストです。")
            ]
        );
    }
}
