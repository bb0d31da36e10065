//! `tobira://` links, as a welcome email or an intranet page sends them.
//!
//! One function reads every link. A link comes from anywhere (any web page
//! can ask the OS to open one), so it is checked as hostile input: only the
//! four routes below, bounded lengths, ids of the guide-id form, and a site
//! that passes the same parser as typed input. Anything else is an error
//! that says what was wrong; nothing is changed by reading a link.

use serde::Serialize;

use crate::site::{Region, SiteAddress, SiteError};

pub const SCHEME: &str = "tobira";

/// Longer links are refused before anything else is looked at.
pub const MAX_LINK_CHARS: usize = 2048;
/// A question for the assistant; longer ones are not something a person typed.
pub const MAX_QUERY_CHARS: usize = 500;
const MAX_ID_CHARS: usize = 64;

/// What a link asks Tobira to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "route", rename_all = "kebab-case")]
pub enum DeepLink {
    /// Use this kintone site (the window asks before saving it).
    Site { site: SiteAddress },
    /// Open this walkthrough.
    Flow { id: String },
    /// Open the assistant, with this question when there is one.
    Troubleshoot { query: Option<String> },
    /// Open this cause's guide.
    Cause { id: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeepLinkError {
    #[error("the link is {0} characters long; Tobira links are at most {MAX_LINK_CHARS}")]
    TooLong(usize),
    #[error("not a Tobira link: it must start with tobira://")]
    NotTobira,
    #[error(
        "Tobira does not know the link route `{0}`; it knows site, flow, troubleshoot and cause"
    )]
    UnknownRoute(String),
    #[error("the link tobira://{0}/ names nothing; add what to open, for example tobira://flow/first-login")]
    MissingValue(&'static str),
    #[error("`{value}` is not a {route} id (lowercase letters, digits and hyphens)")]
    BadId { route: &'static str, value: String },
    #[error("the link has more after the {0} id than Tobira understands")]
    ExtraPath(&'static str),
    #[error("the link is not valid percent-encoded UTF-8")]
    BadEncoding,
    #[error("the link's question is empty or too long (at most {MAX_QUERY_CHARS} characters)")]
    BadQuery,
    #[error("the link's site is not a kintone address: {0}")]
    Site(#[from] SiteError),
}

crate::error_codes!(DeepLinkError {
    Self::TooLong(_) => "link-too-long",
    Self::NotTobira => "link-not-tobira",
    Self::UnknownRoute(_) => "link-unknown-route",
    Self::MissingValue(_) => "link-missing-value",
    Self::BadId { .. } => "link-bad-id",
    Self::ExtraPath(_) => "link-extra-path",
    Self::BadEncoding => "link-bad-encoding",
    Self::BadQuery => "link-bad-query",
    Self::Site(_) => "link-bad-site",
});

/// Whether a command-line argument is meant as a link (the OS starts
/// `tobira tobira://…`), as opposed to a CLI verb.
pub fn is_link(arg: &str) -> bool {
    arg.get(..SCHEME.len() + 1)
        .is_some_and(|head| head.eq_ignore_ascii_case("tobira:"))
}

/// Reads a `tobira://` link; `default_region` completes a bare subdomain
/// in `tobira://site/example`.
pub fn parse(link: &str, default_region: Region) -> Result<DeepLink, DeepLinkError> {
    let chars = link.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(DeepLinkError::TooLong(chars));
    }
    let rest = strip_scheme(link.trim()).ok_or(DeepLinkError::NotTobira)?;
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    // A fragment is never meaningful here; `#` inside a site URL must be
    // percent-encoded by whoever wrote the link.
    let path = path.split('#').next().unwrap_or_default();
    let (route, value) = path.split_once('/').unwrap_or((path, ""));
    match route.to_ascii_lowercase().as_str() {
        "site" => {
            // Everything after `site/` is the input, slashes included
            // (`tobira://site/https%3A%2F%2Fexample.cybozu.com%2Fk%2F` or plain).
            let input = decode(value)?;
            if input.trim().is_empty() {
                return Err(DeepLinkError::MissingValue("site"));
            }
            Ok(DeepLink::Site {
                site: SiteAddress::parse(&input, default_region)?,
            })
        }
        "flow" => Ok(DeepLink::Flow {
            id: id_of("flow", value)?,
        }),
        "cause" => Ok(DeepLink::Cause {
            id: id_of("cause", value)?,
        }),
        "troubleshoot" => {
            if !value.trim_matches('/').is_empty() {
                return Err(DeepLinkError::ExtraPath("troubleshoot"));
            }
            let query = query.and_then(|q| query_param(q, "q")).transpose()?;
            Ok(DeepLink::Troubleshoot { query })
        }
        "" => Err(DeepLinkError::UnknownRoute(String::new())),
        other => Err(DeepLinkError::UnknownRoute(shorten(other))),
    }
}

fn strip_scheme(link: &str) -> Option<&str> {
    let head = link.get(..SCHEME.len() + 3)?;
    head.eq_ignore_ascii_case("tobira://")
        .then(|| &link[SCHEME.len() + 3..])
}

fn id_of(route: &'static str, value: &str) -> Result<String, DeepLinkError> {
    // One trailing slash is what link writers add by habit.
    let value = value.strip_suffix('/').unwrap_or(value);
    if value.is_empty() {
        return Err(DeepLinkError::MissingValue(route));
    }
    if value.contains('/') {
        return Err(DeepLinkError::ExtraPath(route));
    }
    let id = decode(value)?;
    let valid = id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if valid {
        Ok(id)
    } else {
        Err(DeepLinkError::BadId {
            route,
            value: shorten(&id),
        })
    }
}

/// The parameter `name` of a query string, checked as a question; `None`
/// when the query does not have it.
fn query_param(query: &str, name: &str) -> Option<Result<String, DeepLinkError>> {
    let raw = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)?;
    Some(question(raw))
}

fn question(raw: &str) -> Result<String, DeepLinkError> {
    // Form encoding: `+` is a space in a query.
    let text = decode(&raw.replace('+', " "))?;
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_QUERY_CHARS {
        return Err(DeepLinkError::BadQuery);
    }
    Ok(text.to_owned())
}

fn decode(value: &str) -> Result<String, DeepLinkError> {
    let bytes = percent_decode(value).ok_or(DeepLinkError::BadEncoding)?;
    String::from_utf8(bytes).map_err(|_| DeepLinkError::BadEncoding)
}

/// Strict percent-decoding: a `%` not followed by two hex digits is an
/// error rather than passed through.
fn percent_decode(value: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(value.len());
    let mut bytes = value.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = hex(bytes.next()?)?;
            let lo = hex(bytes.next()?)?;
            out.push(hi << 4 | lo);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Echoed values are cut so a hostile link cannot flood the message.
fn shorten(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(SHOWN).collect();
        short.push('…');
        short
    }
}

/// The link Tobira was started with, if any (`tobira tobira://…`).
pub fn link_argument(args: &[std::ffi::OsString]) -> Option<String> {
    match args.get(1..) {
        Some([link]) => link.to_str().filter(|l| is_link(l)).map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(link: &str) -> Result<DeepLink, DeepLinkError> {
        parse(link, Region::Jp)
    }

    fn code(link: &str) -> &'static str {
        read(link).unwrap_err().code()
    }

    #[test]
    fn reads_the_four_routes() {
        assert_eq!(
            read("tobira://flow/guest-space-join").unwrap(),
            DeepLink::Flow {
                id: "guest-space-join".into()
            }
        );
        assert_eq!(
            read("TOBIRA://cause/2fa-code-rejected/").unwrap(),
            DeepLink::Cause {
                id: "2fa-code-rejected".into()
            }
        );
        assert_eq!(
            read("tobira://troubleshoot?q=%E4%B8%8D%E6%AD%A3%E3%81%AA+request&x=1").unwrap(),
            DeepLink::Troubleshoot {
                query: Some("不正な request".into())
            }
        );
        assert_eq!(
            read("tobira://troubleshoot").unwrap(),
            DeepLink::Troubleshoot { query: None }
        );
        match read("tobira://site/example").unwrap() {
            DeepLink::Site { site } => assert_eq!(site.host(), "example.cybozu.com"),
            other => panic!("{other:?}"),
        }
        match parse(
            "tobira://site/https%3A%2F%2Fcorp.s.cybozu.com%2Fk%2F",
            Region::Us,
        )
        .unwrap()
        {
            DeepLink::Site { site } => assert_eq!(site.host(), "corp.s.cybozu.com"),
            other => panic!("{other:?}"),
        }
        match parse("tobira://site/example", Region::Us).unwrap() {
            DeepLink::Site { site } => assert_eq!(site.host(), "example.kintone.com"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hostile_links_are_refused_with_a_reason() {
        let cases = [
            ("https://example.cybozu.com/", "link-not-tobira"),
            ("tobira:flow/x", "link-not-tobira"),
            ("javascript:alert(1)", "link-not-tobira"),
            ("tobira://", "link-unknown-route"),
            ("tobira://settings/reset", "link-unknown-route"),
            ("tobira://flow", "link-missing-value"),
            ("tobira://flow/", "link-missing-value"),
            ("tobira://flow/../../etc/passwd", "link-extra-path"),
            ("tobira://flow/a/b", "link-extra-path"),
            ("tobira://flow/%2e%2e%2fsecret", "link-bad-id"),
            ("tobira://flow/Guest", "link-bad-id"),
            ("tobira://flow/<script>", "link-bad-id"),
            ("tobira://cause/-x", "link-bad-id"),
            ("tobira://flow/%zz", "link-bad-encoding"),
            ("tobira://flow/%ff%fe", "link-bad-encoding"),
            ("tobira://troubleshoot?q=", "link-bad-query"),
            ("tobira://troubleshoot?q=%00%01", "link-bad-query"),
            ("tobira://troubleshoot/more?q=x", "link-extra-path"),
            ("tobira://site/", "link-missing-value"),
            ("tobira://site/evil.test", "link-bad-site"),
            (
                "tobira://site/https%3A%2F%2Fx.cybozu.com%40evil.test%2F",
                "link-bad-site",
            ),
            ("tobira://site/xn--80ak6aa92e.cybozu.com", "link-bad-site"),
        ];
        for (link, expected) in cases {
            assert_eq!(code(link), expected, "{link}");
        }
        let long_id = format!("tobira://flow/{}", "a".repeat(65));
        assert_eq!(code(&long_id), "link-bad-id");
        let long_query = format!("tobira://troubleshoot?q={}", "a".repeat(501));
        assert_eq!(code(&long_query), "link-bad-query");
        let huge = format!("tobira://flow/{}", "a".repeat(100_000));
        assert_eq!(read(&huge).unwrap_err(), DeepLinkError::TooLong(100_014));
    }

    #[test]
    fn messages_do_not_echo_a_flood() {
        let link = format!("tobira://{}/x", "r".repeat(1000));
        let message = read(&link).unwrap_err().to_string();
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn command_line_links_are_told_from_verbs() {
        assert!(is_link("tobira://flow/x"));
        assert!(is_link("Tobira:x"));
        assert!(!is_link("site"));
        assert!(!is_link("tobi"));
        assert!(!is_link("tobiraX://"));
        assert!(!is_link("ｔobira:"));
    }

    proptest! {
        #[test]
        fn any_input_gives_a_link_or_an_error_never_a_panic(input in ".{0,300}") {
            let _ = read(&input);
            let _ = read(&format!("tobira://{input}"));
            let _ = read(&format!("tobira://troubleshoot?q={input}"));
        }

        #[test]
        fn accepted_ids_are_always_plain(tail in "[a-z0-9%/._-]{0,80}") {
            if let Ok(DeepLink::Flow { id }) = read(&format!("tobira://flow/{tail}")) {
                prop_assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            }
        }
    }

    #[test]
    fn only_a_lone_link_argument_is_a_link() {
        let args = |list: &[&str]| list.iter().map(Into::into).collect::<Vec<_>>();
        assert_eq!(
            link_argument(&args(&["tobira", "tobira://flow/x"])).as_deref(),
            Some("tobira://flow/x")
        );
        assert_eq!(
            link_argument(&args(&["tobira", "site", "tobira://x"])),
            None
        );
        assert_eq!(link_argument(&args(&["tobira", "site"])), None);
        assert_eq!(link_argument(&args(&["tobira"])), None);
    }
}
