//! Bookmarks: the built-in pages of the user's site, the organisation's
//! bookmarks from the policy, and the user's own. A user bookmark is stored
//! as a path on the site (`/k/12/`), so it can never point anywhere else.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::language::Language;
use crate::site::{Region, SiteAddress};

/// Longer input is refused before any parsing.
pub const MAX_INPUT_CHARS: usize = 2048;
pub const MAX_NAME_CHARS: usize = 120;

/// A bookmark the user made: a name and a path on their own site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserBookmark {
    pub name: String,
    /// Path, query and fragment on the site, always starting with `/`.
    pub path: String,
}

/// What kind of kintone page a path is, recognised from its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "number", rename_all = "kebab-case")]
pub enum PageKind {
    Login,
    Portal,
    App(u64),
    Space(u64),
    GuestSpace(u64),
    GuestApp(u64),
    Page,
}

impl PageKind {
    /// Recognises `/`, `/k/`, `/k/12/`, `/k/#/space/3`,
    /// `/k/guest/7/#/space/7` and `/k/guest/7/12/`.
    pub fn of_path(path_and_fragment: &str) -> PageKind {
        let (path, fragment) = match path_and_fragment.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (path_and_fragment, None),
        };
        let path = path.split('?').next().unwrap_or_default();
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let number = |s: &str| s.parse::<u64>().ok();
        let space_in_fragment = fragment
            .and_then(|f| f.strip_prefix("/space/"))
            .and_then(|rest| number(rest.split(['/', '?']).next().unwrap_or_default()));
        match (parts.as_slice(), space_in_fragment) {
            ([], _) => PageKind::Login,
            (["k"], Some(space)) => PageKind::Space(space),
            (["k"], None) if matches!(fragment, None | Some("") | Some("/portal")) => {
                PageKind::Portal
            }
            (["k", "guest", guest], _) => {
                number(guest).map_or(PageKind::Page, PageKind::GuestSpace)
            }
            (["k", "guest", guest, app, ..], _) if number(guest).is_some() => {
                number(app).map_or(PageKind::Page, PageKind::GuestApp)
            }
            (["k", app, ..], _) => number(app).map_or(PageKind::Page, PageKind::App),
            _ => PageKind::Page,
        }
    }

    /// The name a new bookmark gets until the user renames it.
    pub fn default_name(self, language: Language) -> String {
        match (self, language) {
            (PageKind::Login, Language::En) => "Login page".into(),
            (PageKind::Login, Language::Ja) => "ログイン画面".into(),
            (PageKind::Portal, Language::En) => "Portal".into(),
            (PageKind::Portal, Language::Ja) => "ポータル".into(),
            (PageKind::App(id), Language::En) => format!("App {id}"),
            (PageKind::App(id), Language::Ja) => format!("アプリ {id}"),
            (PageKind::Space(id), Language::En) => format!("Space {id}"),
            (PageKind::Space(id), Language::Ja) => format!("スペース {id}"),
            (PageKind::GuestSpace(id), Language::En) => format!("Guest space {id}"),
            (PageKind::GuestSpace(id), Language::Ja) => format!("ゲストスペース {id}"),
            (PageKind::GuestApp(id), Language::En) => format!("Guest space app {id}"),
            (PageKind::GuestApp(id), Language::Ja) => format!("ゲストスペースのアプリ {id}"),
            (PageKind::Page, Language::En) => "kintone page".into(),
            (PageKind::Page, Language::Ja) => "kintone のページ".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BookmarkError {
    #[error("enter a page of your kintone site: a URL such as https://example.cybozu.com/k/12/ or a path such as /k/12/")]
    Empty,
    #[error("that is too long ({0} characters) to be a page address; paste only the page's URL")]
    TooLong(usize),
    #[error("'{0}' is not a web address or a path; paste a URL of your kintone site or a path such as /k/12/")]
    NotAUrl(String),
    #[error("'{0}' is not one of your kintone sites; a bookmark must be a page of your own site or of a site you are a guest in")]
    OtherSite(String),
    #[error("enter a name for the bookmark (at most {MAX_NAME_CHARS} characters)")]
    BadName,
    #[error("there is no bookmark number {0}")]
    NoSuchBookmark(usize),
    #[error("'{0}' is already a bookmark, named '{1}'")]
    Duplicate(String, String),
    #[error("which site? Set up your own kintone site first, or give the full address of a page of a site you are a guest in")]
    NoSite,
}

crate::error_codes!(BookmarkError {
    Self::Empty => "bookmark-empty",
    Self::TooLong(_) => "bookmark-too-long",
    Self::NotAUrl(_) => "bookmark-not-a-url",
    Self::OtherSite(_) => "bookmark-other-site",
    Self::BadName => "bookmark-bad-name",
    Self::NoSuchBookmark(_) => "bookmark-not-found",
    Self::Duplicate(..) => "bookmark-duplicate",
    Self::NoSite => "bookmark-no-site",
});

impl BookmarkError {
    pub fn detail(&self) -> Option<String> {
        match self {
            BookmarkError::TooLong(n) | BookmarkError::NoSuchBookmark(n) => Some(n.to_string()),
            BookmarkError::NotAUrl(s) | BookmarkError::OtherSite(s) => Some(s.clone()),
            BookmarkError::Duplicate(_, name) => Some(name.clone()),
            BookmarkError::Empty | BookmarkError::BadName | BookmarkError::NoSite => None,
        }
    }
}

/// Turns what the user pasted into a path on `site`: a path (`/k/12/`), a
/// full URL of the same site, or the URL without its scheme.
pub fn path_on_site(input: &str, site: &SiteAddress) -> Result<String, BookmarkError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(BookmarkError::Empty);
    }
    let chars = input.chars().count();
    if chars > MAX_INPUT_CHARS {
        return Err(BookmarkError::TooLong(chars));
    }
    let base = Url::parse(&site.login_url()).map_err(|_| BookmarkError::NotAUrl(site.host()))?;
    let url = if input.starts_with('/') && !input.starts_with("//") {
        base.join(input)
    } else if input.contains("://") {
        Url::parse(input)
    } else {
        Url::parse(&format!("https://{input}"))
    }
    .map_err(|_| BookmarkError::NotAUrl(input.to_owned()))?;
    let same_site = matches!(url.scheme(), "https" | "http")
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
        && url.host_str() == Some(site.host().as_str());
    if !same_site {
        let shown = url.host_str().unwrap_or(input).to_owned();
        return Err(BookmarkError::OtherSite(shown));
    }
    Ok(path_of(&url))
}

/// `/path?query#fragment` of a URL.
fn path_of(url: &Url) -> String {
    let mut path = url.path().to_owned();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    if let Some(fragment) = url.fragment() {
        path.push('#');
        path.push_str(fragment);
    }
    path
}

/// Characters that reorder or hide text (U+202E makes "exe.pdf" read
/// "fdp.exe"): never part of a name.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible characters (zero-width, word joiners, line and paragraph
/// separators, the byte-order mark) and bidi controls: never in a path.
fn is_hidden(c: char) -> bool {
    is_bidi_control(c)
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// A checked bookmark name: one line without control or bidi characters,
/// trimmed, not empty, not too long.
pub fn clean_name(name: &str) -> Result<String, BookmarkError> {
    let name: String = name
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if is_hidden(c) { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(BookmarkError::BadName);
    }
    Ok(name)
}

/// Adds a bookmark for `input` (named from its kind unless `name` is given)
/// and returns its index.
pub fn add(
    list: &mut Vec<UserBookmark>,
    input: &str,
    name: Option<&str>,
    site: &SiteAddress,
    language: Language,
) -> Result<usize, BookmarkError> {
    let path = path_on_site(input, site)?;
    if let Some(existing) = list.iter().find(|b| b.path == path) {
        return Err(BookmarkError::Duplicate(path, existing.name.clone()));
    }
    let name = match name {
        Some(name) => clean_name(name)?,
        None => PageKind::of_path(&path).default_name(language),
    };
    list.push(UserBookmark { name, path });
    Ok(list.len() - 1)
}

pub fn rename(list: &mut [UserBookmark], index: usize, name: &str) -> Result<(), BookmarkError> {
    let name = clean_name(name)?;
    let bookmark = list
        .get_mut(index)
        .ok_or(BookmarkError::NoSuchBookmark(index))?;
    bookmark.name = name;
    Ok(())
}

/// Moves the bookmark at `from` so that it ends up at `to`.
pub fn move_to(list: &mut Vec<UserBookmark>, from: usize, to: usize) -> Result<(), BookmarkError> {
    if from >= list.len() {
        return Err(BookmarkError::NoSuchBookmark(from));
    }
    if to >= list.len() {
        return Err(BookmarkError::NoSuchBookmark(to));
    }
    let bookmark = list.remove(from);
    list.insert(to, bookmark);
    Ok(())
}

/// Removes and returns the bookmark, so the caller can offer to undo.
pub fn remove(list: &mut Vec<UserBookmark>, index: usize) -> Result<UserBookmark, BookmarkError> {
    if index >= list.len() {
        return Err(BookmarkError::NoSuchBookmark(index));
    }
    Ok(list.remove(index))
}

/// Puts a removed bookmark back where it was (or at the end if the list
/// got shorter meanwhile).
pub fn restore(list: &mut Vec<UserBookmark>, index: usize, bookmark: UserBookmark) {
    if list.iter().any(|b| b.path == bookmark.path) {
        return;
    }
    list.insert(index.min(list.len()), bookmark);
}

/// Where a bookmark in the combined list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BookmarkOrigin"))]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Portal, login page, help centre: always there.
    Builtin,
    /// From the organisation's policy: the user cannot remove it.
    Org,
    /// The user's own: rename, reorder, remove.
    User,
    /// A page of a site the user is a guest in.
    Guest,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
            Origin::Guest => "guest",
            Origin::Org => "org",
            Origin::User => "user",
        }
    }
}

/// One line of the combined bookmark list, ready to show and open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResolvedBookmark {
    /// Stable within one list: `portal`, `login`, `help`, `org-N`, `user-N`.
    pub id: String,
    pub name: String,
    pub url: String,
    pub origin: Origin,
    #[serde(flatten)]
    pub kind: PageKind,
}

/// The region's help centre (the vendor's official help site).
pub fn help_centre_url(region: Region, language: Language) -> &'static str {
    match (region, language) {
        (Region::Jp, Language::Ja) => "https://jp.cybozu.help/k/ja/",
        (Region::Jp, Language::En) => "https://jp.cybozu.help/k/en/",
        (Region::Us, _) => "https://get.kintone.help/k/en/",
        (Region::Cn, _) => "https://help.cybozu.cn/k/zh/",
    }
}

/// A bookmark the organisation set in the policy, already checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrgBookmark {
    pub name: String,
    /// A path on the user's site, or a full https URL the allowlist accepts.
    pub url: String,
}

/// Built-ins first, then the organisation's, then the user's.
pub fn combined(
    site: &SiteAddress,
    org: &[OrgBookmark],
    user: &[UserBookmark],
    language: Language,
) -> Vec<ResolvedBookmark> {
    let site_url = |path: &str| format!("https://{}{path}", site.host());
    let mut list = vec![
        builtin("portal", PageKind::Portal, site.portal_url(), language),
        builtin("login", PageKind::Login, site.login_url(), language),
        ResolvedBookmark {
            id: "help".into(),
            name: match language {
                Language::En => "Help centre".into(),
                Language::Ja => "ヘルプ".into(),
            },
            url: help_centre_url(site.region(), language).into(),
            origin: Origin::Builtin,
            kind: PageKind::Page,
        },
    ];
    list.extend(org.iter().enumerate().map(|(i, b)| {
        let url = if b.url.starts_with('/') {
            site_url(&b.url)
        } else {
            b.url.clone()
        };
        let kind = Url::parse(&url)
            .ok()
            .filter(|u| u.host_str() == Some(site.host().as_str()))
            .map_or(PageKind::Page, |u| PageKind::of_path(&path_of(&u)));
        ResolvedBookmark {
            id: format!("org-{i}"),
            name: b.name.clone(),
            url,
            origin: Origin::Org,
            kind,
        }
    }));
    list.extend(user.iter().enumerate().map(|(i, b)| ResolvedBookmark {
        id: format!("user-{i}"),
        name: b.name.clone(),
        url: site_url(&b.path),
        origin: Origin::User,
        kind: PageKind::of_path(&b.path),
    }));
    list
}

/// A guest site's pages: its portal, then the user's bookmarks of it; ids
/// `guest-N-portal`, `guest-N-user-I`, names saying whose site it is.
pub fn of_guest_site(
    n: usize,
    site: &SiteAddress,
    user: &[UserBookmark],
    language: Language,
) -> Vec<ResolvedBookmark> {
    let host = site.host();
    let portal = ResolvedBookmark {
        id: format!("guest-{n}-portal"),
        name: format!("{} ({host})", PageKind::Portal.default_name(language)),
        url: site.portal_url(),
        origin: Origin::Guest,
        kind: PageKind::Portal,
    };
    std::iter::once(portal)
        .chain(user.iter().enumerate().map(|(i, b)| ResolvedBookmark {
            id: format!("guest-{n}-user-{i}"),
            name: b.name.clone(),
            url: format!("https://{host}{}", b.path),
            origin: Origin::Guest,
            kind: PageKind::of_path(&b.path),
        }))
        .collect()
}

/// The user's bookmarks as read from a file someone may have edited: each
/// must be a path of the site (a path such as `@evil.test/` would make
/// `https://site@evil.test/`), names cleaned. Returns what was dropped.
pub fn keep_valid(list: &mut Vec<UserBookmark>) -> Vec<UserBookmark> {
    let mut dropped = Vec::new();
    let mut kept = Vec::with_capacity(list.len());
    for mut bookmark in list.drain(..) {
        let path_ok = bookmark.path.starts_with('/')
            && !bookmark.path.starts_with("//")
            && !bookmark.path.contains('\\')
            && !bookmark
                .path
                .chars()
                .any(|c| is_hidden(c) || c.is_whitespace())
            && bookmark.path.chars().count() <= MAX_INPUT_CHARS;
        match clean_name(&bookmark.name) {
            Ok(name) if path_ok => {
                bookmark.name = name;
                kept.push(bookmark);
            }
            _ => dropped.push(bookmark),
        }
    }
    *list = kept;
    dropped
}

fn builtin(id: &str, kind: PageKind, url: String, language: Language) -> ResolvedBookmark {
    ResolvedBookmark {
        id: id.into(),
        name: kind.default_name(language),
        url,
        origin: Origin::Builtin,
        kind,
    }
}

/// Finds a bookmark by id or by name (ignoring case and width).
pub fn find<'a>(list: &'a [ResolvedBookmark], wanted: &str) -> Option<&'a ResolvedBookmark> {
    let wanted = name_key(wanted);
    list.iter()
        .find(|b| b.id == wanted)
        .or_else(|| list.iter().find(|b| name_key(&b.name) == wanted))
}

/// The index of the user's bookmark named `wanted` (ignoring case and width).
pub fn position_by_name(list: &[UserBookmark], wanted: &str) -> Option<usize> {
    let wanted = name_key(wanted);
    list.iter().position(|b| name_key(&b.name) == wanted)
}

/// How names are compared: NFKC (full-width = half-width), trimmed, lower case.
fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfkc().collect::<String>().trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_control_and_bidi_characters() {
        assert_eq!(clean_name("  Pay\u{202E}fdp.exe\n").unwrap(), "Payfdp.exe");
        assert_eq!(clean_name("a\tb\u{2066}c").unwrap(), "a bc");
        assert!(clean_name("\u{202E}\u{200F}").is_err());
    }

    #[test]
    fn a_hand_edited_bookmark_that_is_not_a_page_is_dropped() {
        let good = UserBookmark {
            name: "App\u{202E} 12".into(),
            path: "/k/12/".into(),
        };
        let mut list = vec![
            good.clone(),
            UserBookmark {
                name: "x".into(),
                path: "@evil.test/".into(),
            },
            UserBookmark {
                name: "y".into(),
                path: "//evil.test/".into(),
            },
            UserBookmark {
                name: "z".into(),
                path: "/k/1/\u{202E}gnp.exe".into(),
            },
            UserBookmark {
                name: "w".into(),
                path: "/k/1/\u{200B}".into(),
            },
            UserBookmark {
                name: "\n".into(),
                path: "/k/1/".into(),
            },
        ];
        let dropped = keep_valid(&mut list);
        assert_eq!(dropped.len(), 5);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name, "App 12");
    }

    fn site() -> SiteAddress {
        SiteAddress::parse("example", Region::Jp).unwrap()
    }

    #[test]
    fn recognises_kintone_pages() {
        let cases = [
            ("/", PageKind::Login),
            ("/k/", PageKind::Portal),
            ("/k/#/portal", PageKind::Portal),
            ("/k/12/", PageKind::App(12)),
            ("/k/12/show#record=5", PageKind::App(12)),
            ("/k/#/space/3", PageKind::Space(3)),
            ("/k/#/space/3/thread/4", PageKind::Space(3)),
            ("/k/guest/7/#/space/7", PageKind::GuestSpace(7)),
            ("/k/guest/7/", PageKind::GuestSpace(7)),
            ("/k/guest/7/31/", PageKind::GuestApp(31)),
            ("/k/admin/", PageKind::Page),
            ("/k/#/space/x", PageKind::Page),
        ];
        for (path, kind) in cases {
            assert_eq!(PageKind::of_path(path), kind, "{path}");
        }
    }

    #[test]
    fn takes_paths_and_urls_of_the_same_site() {
        let site = site();
        for (input, path) in [
            ("/k/12/", "/k/12/"),
            ("  https://example.cybozu.com/k/#/space/3  ", "/k/#/space/3"),
            (
                "http://EXAMPLE.cybozu.com/k/guest/7/#/space/7",
                "/k/guest/7/#/space/7",
            ),
            ("example.cybozu.com/k/12/?view=5", "/k/12/?view=5"),
            ("/k/../k/12/", "/k/12/"),
        ] {
            assert_eq!(path_on_site(input, &site).unwrap(), path, "{input}");
        }
    }

    #[test]
    fn refuses_other_sites_and_tricks() {
        let site = site();
        for input in [
            "https://other.cybozu.com/k/",
            "//evil.test/k/",
            "https://example.cybozu.com@evil.test/k/",
            "https://example.cybozu.com:8443/k/",
            "https://example.cybozu.com.evil.test/",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ] {
            let err = path_on_site(input, &site).unwrap_err();
            assert!(
                matches!(err, BookmarkError::OtherSite(_) | BookmarkError::NotAUrl(_)),
                "{input}: {err:?}"
            );
        }
        assert_eq!(path_on_site(" ", &site).unwrap_err(), BookmarkError::Empty);
        assert_eq!(
            path_on_site(&"/k".repeat(2000), &site).unwrap_err().code(),
            "bookmark-too-long"
        );
    }

    #[test]
    fn add_rename_move_remove_and_undo() {
        let site = site();
        let mut list = Vec::new();
        add(&mut list, "/k/12/", None, &site, Language::En).unwrap();
        add(&mut list, "/k/#/space/3", None, &site, Language::Ja).unwrap();
        add(
            &mut list,
            "/k/guest/7/#/space/7",
            Some(" Partner "),
            &site,
            Language::En,
        )
        .unwrap();
        let names: Vec<&str> = list.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["App 12", "スペース 3", "Partner"]);
        assert_eq!(
            add(
                &mut list,
                "https://example.cybozu.com/k/12/",
                None,
                &site,
                Language::En
            )
            .unwrap_err()
            .code(),
            "bookmark-duplicate"
        );
        rename(&mut list, 0, "Daily report").unwrap();
        assert_eq!(
            rename(&mut list, 0, "  ").unwrap_err(),
            BookmarkError::BadName
        );
        move_to(&mut list, 2, 0).unwrap();
        assert_eq!(list[0].name, "Partner");
        let removed = remove(&mut list, 1).unwrap();
        assert_eq!(removed.name, "Daily report");
        restore(&mut list, 1, removed.clone());
        assert_eq!(list[1], removed);
        restore(&mut list, 1, removed);
        assert_eq!(list.len(), 3, "restoring twice does not duplicate");
        assert!(move_to(&mut list, 0, 3).is_err());
        assert!(remove(&mut list, 3).is_err());
    }

    #[test]
    fn the_combined_list_has_builtins_org_and_user_bookmarks() {
        let site = site();
        let org = [
            OrgBookmark {
                name: "Expenses".into(),
                url: "/k/45/".into(),
            },
            OrgBookmark {
                name: "Help".into(),
                url: "https://jp.cybozu.help/k/ja/".into(),
            },
        ];
        let user = [UserBookmark {
            name: "Mine".into(),
            path: "/k/#/space/3".into(),
        }];
        let list = combined(&site, &org, &user, Language::En);
        let ids: Vec<&str> = list.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["portal", "login", "help", "org-0", "org-1", "user-0"]);
        assert_eq!(list[0].url, "https://example.cybozu.com/k/");
        assert_eq!(list[3].url, "https://example.cybozu.com/k/45/");
        assert_eq!(list[3].kind, PageKind::App(45));
        assert_eq!(list[5].url, "https://example.cybozu.com/k/#/space/3");
        assert_eq!(find(&list, "ＥＸＰＥＮＳＥＳ").unwrap().id, "org-0");
        assert_eq!(find(&list, "portal").unwrap().origin, Origin::Builtin);
        assert!(find(&list, "nothing").is_none());
    }
}
