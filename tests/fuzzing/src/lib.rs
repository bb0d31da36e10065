//! The fuzz targets' bodies: each takes arbitrary bytes, feeds them to one
//! parser or transformer of Tobira, and panics only when a property that
//! must always hold is broken. `fuzz/fuzz_targets/*.rs` call these under
//! libFuzzer (nightly); `tests/tests/fuzz_corpus.rs` replays the saved
//! corpus and every crash reproducer through them on stable, in CI.

use std::sync::OnceLock;

use tobira_core::bookmarks::{Origin, PageKind, ResolvedBookmark};
use tobira_core::{deep_link, export, policy, redact, Language, Region, SiteAddress};
use tobira_guides::matcher::Matcher;
use tobira_guides::{render, Guide, Library, RenderContext, Source};

/// One target's body: bytes in, a panic when a property breaks.
pub type Target = fn(&[u8]);

/// The targets by name, as `cargo fuzz run NAME` knows them.
pub const TARGETS: [(&str, Target); 8] = [
    ("site_input", site_input),
    ("deep_link", deep_link),
    ("policy_toml", policy_toml),
    ("policy_store", policy_store),
    ("guide_file", guide_file),
    ("matcher", matcher),
    ("redaction", redaction),
    ("export", export),
];

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// An accepted site is a plain host of a service domain, and reading it
/// again gives the same site.
pub fn site_input(data: &[u8]) {
    let input = text(data);
    for region in Region::ALL {
        if let Ok(site) = SiteAddress::parse(&input, region) {
            let host = site.host();
            assert!(
                host.is_ascii() && !host.contains(['@', '/', ':', ' ']),
                "{host}"
            );
            let again = SiteAddress::parse(&host, region).expect("an accepted host parses again");
            assert_eq!(again.host(), host);
        }
    }
}

/// Any link gives a link or an error.
pub fn deep_link(data: &[u8]) {
    let _ = deep_link::parse(&text(data), Region::Jp);
}

/// Any file gives the values in force and problems that point into it.
pub fn policy_toml(data: &[u8]) {
    let input = text(data);
    let (_, problems) = policy::parse(&input);
    let lines = input.split('\n').count();
    for problem in problems {
        let policy::ProblemPlace::Text { line, .. } = problem.place else {
            panic!("a TOML problem has a line: {problem:?}");
        };
        assert!(line >= 1 && line <= lines, "{problem:?} of {lines} lines");
    }
}

/// A regedit export or a property list (what GPO and MDM deliver): every
/// problem names the value it is about, or a line of the file (in UTF-8 or
/// UTF-16 alike, a line ends at a 0x0A byte).
pub fn policy_store(data: &[u8]) {
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    for name in ["fuzz.reg", "fuzz.mobileconfig"] {
        let loaded = policy::from_bytes(std::path::Path::new(name), data);
        let problems = loaded.stores.iter().filter_map(|s| s.problem.as_ref());
        for problem in problems {
            let policy::PolicyError::Invalid { problems, .. } = problem else {
                continue;
            };
            for p in problems {
                match &p.place {
                    policy::ProblemPlace::Value { at } => assert!(!at.is_empty(), "{p:?}"),
                    policy::ProblemPlace::Text { line, column } => {
                        assert!((1..=lines).contains(line) && *column >= 1, "{p:?}")
                    }
                }
            }
        }
    }
}

/// A guide that parses renders for every region without script or
/// javascript: links.
pub fn guide_file(data: &[u8]) {
    let input = text(data);
    let Ok(guide) = Guide::parse("fuzz.md", &input, Language::En, 0) else {
        return;
    };
    let site = SiteAddress::parse("example", Region::Jp).expect("a site");
    let scope = tobira_core::OpenScope::new(Some(&site));
    let context = RenderContext {
        site: Some(&site),
        scope: &scope,
    };
    for region in Region::ALL {
        let body = guide.body_for(region);
        for markdown in std::iter::once(&body.intro).chain(body.steps.iter().map(|s| &s.markdown)) {
            let html = render(markdown, &context).to_lowercase();
            assert!(
                !html.contains("<script") && !html.contains("javascript:"),
                "{html}"
            );
            assert!(!has_event_attribute(&html), "{html}");
        }
    }
}

/// `<… onclick=…>`: an attribute that runs script, inside a tag.
fn has_event_attribute(html: &str) -> bool {
    html.split('<').skip(1).any(|tag| {
        let tag = tag.split('>').next().unwrap_or("");
        tag.split(|c: char| c.is_whitespace() || c == '/')
            .skip(1)
            .any(|attribute| attribute.starts_with("on") && attribute.contains('='))
    })
}

fn bundled_matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let guides = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guides");
        Matcher::new(&Library::load(vec![Source::dir("bundled", guides)]))
    })
}

/// Any query ranks the bundled causes with finite scores, best first.
pub fn matcher(data: &[u8]) {
    let query = text(data);
    for language in [Language::Ja, Language::En] {
        let ranked = bundled_matcher().rank(&query, language, None);
        assert!(ranked.iter().all(|m| m.score.is_finite()));
        assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
    }
}

/// Redacted text never keeps a URL's user name and password.
pub fn redaction(data: &[u8]) {
    let input = text(data);
    for out in [redact::text(&input), redact::detail(&input)] {
        let user_info = out.split("://").skip(1).any(|rest| {
            let authority = rest
                .split(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#'))
                .next()
                .unwrap_or("");
            authority.contains('@') && !authority.starts_with(redact::REMOVED)
        });
        assert!(!user_info, "{input:?} → {out:?}");
    }
}

/// Exported files keep what a name or address says inside their own
/// syntax: no markup in the HTML, no extra line in a shortcut.
pub fn export(data: &[u8]) {
    let input = text(data);
    let (name, url) = input
        .split_once('\u{0}')
        .unwrap_or((&input, "https://example.cybozu.com/k/"));
    let html = |name: &str, url: &str| {
        let bookmark = ResolvedBookmark {
            id: "user-0".into(),
            name: name.into(),
            url: url.into(),
            origin: Origin::User,
            kind: PageKind::Page,
        };
        export::netscape_html(name, &[bookmark], 0)
    };
    // Escaped text adds no tag: as many '<' as with a plain name and URL.
    let tags = |page: String| page.matches('<').count();
    assert_eq!(tags(html(name, url)), tags(html("x", "x")), "{input:?}");
    let desktop = export::desktop_entry(name, url);
    assert_eq!(desktop.lines().count(), 6, "{desktop:?}");
    assert_eq!(export::windows_url(url).matches("\r\n").count(), 2);
    assert_eq!(tags(export::webloc(url)), tags(export::webloc("x")));
}
