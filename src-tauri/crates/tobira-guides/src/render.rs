//! Markdown → HTML that can never run script in the app.
//!
//! Two layers: links are rewritten here (only the user's site, the vendor's
//! sites, the helpdesk, and in-app `cause:`/`flow:` links survive; raw HTML
//! becomes visible text; images become their alt text), then `ammonia`
//! cleans the result with an https-only allowlist.

use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use tobira_core::scope::{is_plain_https, is_vendor_host};
use tobira_core::{OpenScope, SiteAddress};
use url::Url;

use crate::front_matter::is_valid_id;

/// What a link target in a guide refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget<'a> {
    /// `cause:ID` — a cause guide in the app.
    Cause(&'a str),
    /// `flow:ID` — a walkthrough in the app.
    Flow(&'a str),
    /// `site:/PATH` — a page of the user's own kintone site.
    SitePath(&'a str),
    /// `app:KEY` — a label of Tobira's own window, named by its message key
    /// (`home.checks`); shown as the label in bold, never a link.
    AppLabel(&'a str),
    /// `https://…` — a web page (allowed only for some hosts).
    Web(Url),
    /// Anything else: never a link.
    Refused,
}

pub fn classify(dest: &str) -> LinkTarget<'_> {
    if let Some(id) = dest.strip_prefix("cause:") {
        return if is_valid_id(id) {
            LinkTarget::Cause(id)
        } else {
            LinkTarget::Refused
        };
    }
    if let Some(id) = dest.strip_prefix("flow:") {
        return if is_valid_id(id) {
            LinkTarget::Flow(id)
        } else {
            LinkTarget::Refused
        };
    }
    if let Some(key) = dest.strip_prefix("app:") {
        return if is_message_key(key) {
            LinkTarget::AppLabel(key)
        } else {
            LinkTarget::Refused
        };
    }
    if let Some(path) = dest.strip_prefix("site:") {
        let safe = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\');
        return if safe {
            LinkTarget::SitePath(path)
        } else {
            LinkTarget::Refused
        };
    }
    match Url::parse(dest) {
        Ok(url) if is_plain_https(&url) => LinkTarget::Web(url),
        _ => LinkTarget::Refused,
    }
}

/// A key of the window's message catalogues: `home.checks`, `nav.settings`.
pub fn is_message_key(key: &str) -> bool {
    let mut parts = key.split('.');
    parts.clone().count() >= 2
        && parts.all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Where the rendered page will be shown.
pub struct RenderContext<'a> {
    pub site: Option<&'a SiteAddress>,
    pub scope: &'a OpenScope,
}

impl RenderContext<'_> {
    /// The `href` a guide link becomes, or `None` to show only its text.
    fn href(&self, dest: &str) -> Option<String> {
        match classify(dest) {
            LinkTarget::Cause(id) => Some(format!("#cause/{id}")),
            LinkTarget::Flow(id) => Some(format!("#flow/{id}")),
            _ => self.page_url(dest),
        }
    }

    /// The address of a page a guide may open: `site:/PATH` on the user's
    /// site, or an allowed `https://` page; anything else is `None`.
    pub fn page_url(&self, dest: &str) -> Option<String> {
        match classify(dest) {
            LinkTarget::SitePath(path) => self
                .site
                .map(|site| format!("https://{}{path}", site.host())),
            LinkTarget::Web(url) => {
                let host = url.host_str().unwrap_or_default();
                (self.scope.check(url.as_str()).is_ok() || is_vendor_host(host))
                    .then(|| url.to_string())
            }
            LinkTarget::Cause(_)
            | LinkTarget::Flow(_)
            | LinkTarget::AppLabel(_)
            | LinkTarget::Refused => None,
        }
    }
}

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(["https"].into())
            // Only our own `#cause/…` links are relative; see `href`.
            .url_relative(ammonia::UrlRelative::PassThrough)
            .rm_tags(["img"])
            .link_rel(Some("noopener noreferrer"));
        builder
    })
}

/// What a guide link is rendered as.
enum Shown {
    Link,
    /// A label of Tobira's window: bold text.
    Label,
    /// A refused link: its text only.
    Text,
}

/// Renders guide Markdown to sanitised HTML.
pub fn render(markdown: &str, context: &RenderContext<'_>) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // For every open link: what it became.
    let mut links: Vec<Shown> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if let LinkTarget::AppLabel(_) = classify(&dest_url) {
                links.push(Shown::Label);
                return Some(Event::Start(Tag::Strong));
            }
            let href = context.href(&dest_url);
            links.push(if href.is_some() {
                Shown::Link
            } else {
                Shown::Text
            });
            href.map(|href| {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                })
            })
        }
        Event::End(TagEnd::Link) => match links.pop() {
            Some(Shown::Link) => Some(event),
            Some(Shown::Label) => Some(Event::End(TagEnd::Strong)),
            Some(Shown::Text) | None => None,
        },
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        other => Some(other),
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    cleaner().clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tobira_core::Region;

    fn render_for_example(markdown: &str) -> String {
        let site = SiteAddress::parse("example", Region::Jp).unwrap();
        let scope = OpenScope::new(Some(&site));
        render(
            markdown,
            &RenderContext {
                site: Some(&site),
                scope: &scope,
            },
        )
    }

    #[test]
    fn keeps_allowed_links_and_turns_app_links_into_fragments() {
        let html = render_for_example(
            "[portal](site:/k/) [help](https://jp.cybozu.help/k/ja/) [why](cause:wrong-url) [next](flow:first-login)",
        );
        assert_eq!(
            html,
            "<p><a href=\"https://example.cybozu.com/k/\" rel=\"noopener noreferrer\">portal</a> \
             <a href=\"https://jp.cybozu.help/k/ja/\" rel=\"noopener noreferrer\">help</a> \
             <a href=\"#cause/wrong-url\" rel=\"noopener noreferrer\">why</a> \
             <a href=\"#flow/first-login\" rel=\"noopener noreferrer\">next</a></p>\n"
        );
    }

    #[test]
    fn a_label_of_tobira_is_bold_text_and_a_bad_key_plain_text() {
        assert_eq!(
            render_for_example("Click [Can't log in? Find out why](app:home.checks)."),
            "<p>Click <strong>Can't log in? Find out why</strong>.</p>\n"
        );
        assert_eq!(
            render_for_example("[x](app:Home) [y](app:javascript:alert(1))"),
            "<p>x y</p>\n"
        );
    }

    #[test]
    fn hostile_guides_render_inert() {
        let hostile = r#"<script>alert(1)</script>

<img src=x onerror="alert(2)">

[click](javascript:alert(3)) [data](data:text/html,<script>alert(4)</script>) [other](https://evil.example/)
[site escape](site://evil.example/) [vbs](VBScript:msgbox) <a href="javascript:alert(5)">raw</a>

![tracker](https://evil.example/pixel.png "t")

<div onclick="alert(6)" style="position:fixed">overlay</div> <iframe src="https://evil.example"></iframe>
"#;
        let html = render_for_example(hostile);
        // Every tag the file wrote is shown as text; no link, image or
        // attribute survives. (The escaped text may say "onerror=": inert.)
        assert_eq!(
            html,
            "&lt;script&gt;alert(1)&lt;/script&gt;\n\
             &lt;img src=x onerror=\"alert(2)\"&gt;\n\
             <p>click data other\n\
             site escape vbs &lt;a href=\"javascript:alert(5)\"&gt;raw&lt;/a&gt;</p>\n\
             <p>tracker</p>\n\
             &lt;div onclick=\"alert(6)\" style=\"position:fixed\"&gt;overlay&lt;/div&gt; \
             &lt;iframe src=\"https://evil.example\"&gt;&lt;/iframe&gt;\n"
        );
    }

    #[test]
    fn the_sanitiser_also_stops_html_that_slips_past_the_rewriting() {
        let dirty = "<p onclick=\"x()\">a<script>b</script><img src=x onerror=y><a href=\"javascript:z\">c</a><a href=\"https://jp.cybozu.help/\" target=\"_top\">d</a></p>";
        assert_eq!(
            cleaner().clean(dirty).to_string(),
            "<p>a<a rel=\"noopener noreferrer\">c</a><a href=\"https://jp.cybozu.help/\" rel=\"noopener noreferrer\">d</a></p>"
        );
    }

    #[test]
    fn site_links_need_a_site() {
        let scope = OpenScope::new(None);
        let html = render(
            "[portal](site:/k/) [help](https://jp.cybozu.help/k/ja/)",
            &RenderContext {
                site: None,
                scope: &scope,
            },
        );
        assert_eq!(html, "<p>portal <a href=\"https://jp.cybozu.help/k/ja/\" rel=\"noopener noreferrer\">help</a></p>\n");
    }
}
