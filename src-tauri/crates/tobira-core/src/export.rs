//! Bookmarks leave Tobira in the formats other programs read: the Netscape
//! bookmark file every browser imports, a desktop shortcut for each OS, and a
//! QR code a phone can scan to put the portal on its home screen.

use std::fmt::Write;

use serde::Serialize;

use crate::bookmarks::ResolvedBookmark;
use crate::site::SiteAddress;

pub use qrcode::types::QrError;

/// The export formats, by the name the CLI and the window use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Netscape bookmark HTML (Chromium, Firefox, Edge, Safari import it).
    Html,
    /// A freedesktop.org `.desktop` link (Linux desktops).
    Desktop,
    /// A Windows Internet shortcut (`.url`).
    Url,
    /// A macOS `.webloc` property list.
    Webloc,
    /// A QR code of the portal URL, as SVG.
    QrSvg,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Html,
        ExportFormat::Desktop,
        ExportFormat::Url,
        ExportFormat::Webloc,
        ExportFormat::QrSvg,
    ];

    /// The shortcut format of the OS Tobira runs on.
    pub fn native_shortcut() -> ExportFormat {
        if cfg!(windows) {
            ExportFormat::Url
        } else if cfg!(target_os = "macos") {
            ExportFormat::Webloc
        } else {
            ExportFormat::Desktop
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Desktop => "desktop",
            ExportFormat::Url => "url",
            ExportFormat::Webloc => "webloc",
            ExportFormat::QrSvg => "svg",
        }
    }
}

/// Escapes text for HTML content and double-quoted attributes.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The text of one export format for `site`: its bookmarks as a browser
/// import, or a shortcut or QR code of its portal.
pub fn contents(
    format: ExportFormat,
    site: &SiteAddress,
    list: &[ResolvedBookmark],
) -> Result<String, QrError> {
    let name = format!("kintone ({})", site.host());
    let portal = site.portal_url();
    Ok(match format {
        ExportFormat::Html => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            netscape_html(&name, list, now)
        }
        ExportFormat::Desktop => desktop_entry(&name, &portal),
        ExportFormat::Url => windows_url(&portal),
        ExportFormat::Webloc => webloc(&portal),
        ExportFormat::QrSvg => qr_svg(&portal)?,
    })
}

/// The file name an export of `site` is saved under.
pub fn file_name(format: ExportFormat, site: &SiteAddress) -> String {
    format!("kintone-{}.{}", site.subdomain(), format.extension())
}

/// A Netscape bookmark file with one folder named `folder`. `added` is the
/// Unix time stamped on every entry (browsers show it as "date added").
pub fn netscape_html(folder: &str, bookmarks: &[ResolvedBookmark], added: u64) -> String {
    let mut out = String::from(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\
         <!-- This is an automatically generated file.\n     It will be read and overwritten.\n     DO NOT EDIT! -->\n\
         <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\
         <TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n",
    );
    let _ = writeln!(
        out,
        "    <DT><H3 ADD_DATE=\"{added}\" LAST_MODIFIED=\"{added}\">{}</H3>\n    <DL><p>",
        html_escape(folder)
    );
    for bookmark in bookmarks {
        let _ = writeln!(
            out,
            "        <DT><A HREF=\"{}\" ADD_DATE=\"{added}\">{}</A>",
            html_escape(&bookmark.url),
            html_escape(&bookmark.name)
        );
    }
    out.push_str("    </DL><p>\n</DL><p>\n");
    out
}

/// Values in `.desktop` files escape `\` and line breaks.
fn desktop_value(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// A `.desktop` file of `Type=Link` that opens `url` in the browser.
pub fn desktop_entry(name: &str, url: &str) -> String {
    format!(
        "[Desktop Entry]\nVersion=1.0\nType=Link\nName={}\nURL={}\nIcon=text-html\n",
        desktop_value(name),
        desktop_value(url)
    )
}

/// A Windows Internet shortcut (INI format, CRLF line ends).
pub fn windows_url(url: &str) -> String {
    format!(
        "[InternetShortcut]\r\nURL={}\r\n",
        url.replace(['\r', '\n'], "")
    )
}

/// A macOS `.webloc` (an XML property list with one URL).
pub fn webloc(url: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n\t<key>URL</key>\n\t<string>{}</string>\n</dict>\n</plist>\n",
        html_escape(url)
    )
}

/// A QR code of `url` as a standalone SVG image (dark modules on white, with
/// the quiet zone scanners need).
pub fn qr_svg(url: &str) -> Result<String, QrError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookmarks::{combined, Origin, PageKind};
    use crate::language::Language;
    use crate::site::{Region, SiteAddress};

    fn bookmarks() -> Vec<ResolvedBookmark> {
        let site = SiteAddress::parse("example", Region::Jp).unwrap();
        let mut list = combined(&site, &[], &[], Language::Ja);
        list.push(ResolvedBookmark {
            id: "user-0".into(),
            name: "R&D <\"見積\">".into(),
            url: "https://example.cybozu.com/k/12/?q=a&b=c".into(),
            origin: Origin::User,
            kind: PageKind::App(12),
        });
        list
    }

    #[test]
    fn netscape_html_has_the_shape_browsers_import() {
        let html = netscape_html("kintone (example.cybozu.com)", &bookmarks(), 1_764_000_000);
        // Chromium's and Firefox's importers both look for this doctype line
        // first, then <DT><A HREF="…" ADD_DATE="…">title</A> inside <DL>.
        assert!(html.starts_with("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"));
        assert!(html.contains("charset=UTF-8"));
        assert!(html.contains(
            "<DT><H3 ADD_DATE=\"1764000000\" LAST_MODIFIED=\"1764000000\">kintone (example.cybozu.com)</H3>"
        ));
        assert!(html.contains(
            "<DT><A HREF=\"https://example.cybozu.com/k/\" ADD_DATE=\"1764000000\">ポータル</A>"
        ));
        assert!(html.contains(
            "<A HREF=\"https://example.cybozu.com/k/12/?q=a&amp;b=c\" ADD_DATE=\"1764000000\">R&amp;D &lt;&quot;見積&quot;&gt;</A>"
        ));
        assert_eq!(html.matches("<DL><p>").count(), 2);
        assert_eq!(html.matches("</DL><p>").count(), 2);
        assert_eq!(html.matches("<DT><A ").count(), bookmarks().len());
    }

    #[test]
    fn shortcuts_for_each_os() {
        let url = "https://example.cybozu.com/k/";
        assert_eq!(
            desktop_entry("kintone\nExec=rm -rf ~", url),
            "[Desktop Entry]\nVersion=1.0\nType=Link\nName=kintone\\nExec=rm -rf ~\nURL=https://example.cybozu.com/k/\nIcon=text-html\n"
        );
        assert_eq!(
            windows_url(url),
            "[InternetShortcut]\r\nURL=https://example.cybozu.com/k/\r\n"
        );
        let plist = webloc("https://example.cybozu.com/k/12/?a=1&b=2");
        assert!(plist.contains("<string>https://example.cybozu.com/k/12/?a=1&amp;b=2</string>"));
        assert!(plist.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_url() {
        let svg = qr_svg("https://example.cybozu.com/k/").unwrap();
        assert!(svg.starts_with("<?xml"), "{}", &svg[..60]);
        assert!(svg.contains("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("#000000"));
        // Same input, same picture; different input, different picture.
        assert_eq!(svg, qr_svg("https://example.cybozu.com/k/").unwrap());
        assert_ne!(svg, qr_svg("https://other.cybozu.com/k/").unwrap());
    }
}
