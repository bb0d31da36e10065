//! What kind of page of a kintone site a browser tab shows, from its path
//! and fragment alone (the browser companion reports nothing else). kintone
//! is a single-page app, so the fragment (`#/space/3`) matters as much as
//! the path. The rules are one table; a wrong guess is a one-line fix.
//!
//! Paths verified on the fake site and the product's own links: `/login`,
//! `/k/`, `/k/12/`, `/k/#/space/3`, `/k/guest/7/`. The settings and
//! administration paths are the service's documented prefixes but have not
//! been checked against every plan: guides that rely on them also ask for a
//! text on the page (`done_when.text`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A kind of page, named in guides' `done_when.page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PageKind {
    /// The cybozu.com login page (`/` redirects there).
    Login,
    /// The kintone portal, `/k/`.
    Portal,
    /// A kintone app, `/k/<app id>/…`.
    App,
    /// A space of the user's own site, `/k/#/space/<id>`.
    Space,
    /// A guest space, `/k/guest/<id>/…`.
    GuestSpace,
    /// The user's own settings (`/settings/…`): password, language, two-factor.
    AccountSettings,
    /// cybozu.com or kintone administration (`/admin/…`, `/k/admin/…`).
    Admin,
    /// A page showing one of the service's known error texts.
    Error,
    /// Any other page of the site.
    Other,
}

impl PageKind {
    pub const ALL: [PageKind; 9] = [
        PageKind::Login,
        PageKind::Portal,
        PageKind::App,
        PageKind::Space,
        PageKind::GuestSpace,
        PageKind::AccountSettings,
        PageKind::Admin,
        PageKind::Error,
        PageKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Login => "login",
            PageKind::Portal => "portal",
            PageKind::App => "app",
            PageKind::Space => "space",
            PageKind::GuestSpace => "guest-space",
            PageKind::AccountSettings => "account-settings",
            PageKind::Admin => "admin",
            PageKind::Error => "error",
            PageKind::Other => "other",
        }
    }
}

impl fmt::Display for PageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PageKind {
    type Err = ();

    fn from_str(name: &str) -> Result<PageKind, ()> {
        PageKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or(())
    }
}

fn is_number(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

/// The kind of the page at `path` (no query) with `fragment` (with or
/// without its `#`). Error pages are told by their text, not here.
pub fn classify(path: &str, fragment: &str) -> PageKind {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let route: Vec<&str> = fragment.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["login", ..] => PageKind::Login,
        ["admin", ..] | ["k", "admin", ..] => PageKind::Admin,
        ["settings", ..] => PageKind::AccountSettings,
        ["k", "guest", id, ..] if is_number(id) => PageKind::GuestSpace,
        ["k", app, ..] if is_number(app) => PageKind::App,
        ["k"] => match route.as_slice() {
            [] | ["portal", ..] => PageKind::Portal,
            ["space", id, ..] if is_number(id) => PageKind::Space,
            _ => PageKind::Other,
        },
        _ => PageKind::Other,
    }
}

/// Whether `path` plus `fragment` matches a guide's pattern, where `*`
/// stands for exactly one segment: `/k/guest/*/` matches `/k/guest/7/`
/// and `/k/guest/7/#/space/7` (a pattern without a fragment ignores it).
pub fn path_matches(pattern: &str, path: &str, fragment: &str) -> bool {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let (pattern_path, pattern_fragment) = match pattern.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (pattern, None),
    };
    let segments_match = |pattern: &str, actual: &str| {
        let pattern: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        let actual: Vec<&str> = actual.split('/').filter(|s| !s.is_empty()).collect();
        pattern.len() == actual.len()
            && pattern
                .iter()
                .zip(&actual)
                .all(|(p, a)| *p == "*" || p == a)
    };
    segments_match(pattern_path, path)
        && pattern_fragment.is_none_or(|f| segments_match(f, fragment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_apart_by_path_and_fragment() {
        let cases = [
            ("/login", "", PageKind::Login),
            ("/login/", "", PageKind::Login),
            ("/k/", "", PageKind::Portal),
            ("/k", "", PageKind::Portal),
            ("/k/", "#/portal", PageKind::Portal),
            ("/k/", "/portal", PageKind::Portal),
            ("/k/", "#/space/3", PageKind::Space),
            ("/k/", "#/space/3/thread/9", PageKind::Space),
            ("/k/", "#/space/x", PageKind::Other),
            ("/k/", "#/people/user/sato", PageKind::Other),
            ("/k/12/", "", PageKind::App),
            ("/k/12/show", "#record=5", PageKind::App),
            ("/k/guest/7/", "#/space/7", PageKind::GuestSpace),
            ("/k/guest/7/12/", "", PageKind::GuestSpace),
            ("/k/guest/x/", "", PageKind::Other),
            ("/k/admin/", "", PageKind::Admin),
            ("/admin/", "", PageKind::Admin),
            ("/settings/", "", PageKind::AccountSettings),
            ("/settings/security", "", PageKind::AccountSettings),
            ("/", "", PageKind::Other),
            ("/g/", "", PageKind::Other),
        ];
        for (path, fragment, kind) in cases {
            assert_eq!(classify(path, fragment), kind, "{path}{fragment}");
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in PageKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
        assert!("portl".parse::<PageKind>().is_err());
    }

    #[test]
    fn a_star_stands_for_one_segment() {
        assert!(path_matches("/k/guest/*/", "/k/guest/7/", "#/space/7"));
        assert!(path_matches(
            "/k/guest/*/#/space/*",
            "/k/guest/7/",
            "#/space/7"
        ));
        assert!(!path_matches("/k/guest/*/#/space/*", "/k/guest/7/", ""));
        assert!(!path_matches("/k/guest/*/", "/k/guest/", ""));
        assert!(!path_matches("/k/guest/*/", "/k/guest/7/12/", ""));
        assert!(path_matches("/k/", "/k", "#/portal"));
        assert!(!path_matches("/k/", "/k/12/", ""));
    }
}
