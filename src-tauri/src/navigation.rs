//! Every window shows Tobira's own pages and nothing else. A guide link
//! opened with the context menu, or a script, could otherwise take a window
//! to a web page with no address bar until a restart; pages open in the
//! browser only through Rust's allowlist, and no page opens a new window.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::webview::NewWindowResponse;
use tauri::Runtime;
use url::Url;

/// The app's own origin as the webview serves it on each OS
/// (`tauri://localhost` on Linux and macOS, `http://tauri.localhost` on
/// Windows).
pub fn is_app_page(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        _ => false,
    }
}

/// Refuses, in every window, a navigation away from the app's pages.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|_, url| is_app_page(url))
        .build()
}

/// For `on_new_window` of every window: `window.open` and target links
/// open nothing.
pub fn refuse_new_window<R: Runtime>(
    _url: Url,
    _features: tauri::webview::NewWindowFeatures,
) -> NewWindowResponse<R> {
    NewWindowResponse::Deny
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages() {
        let page = |u: &str| is_app_page(&Url::parse(u).unwrap());
        assert!(page("tauri://localhost/index.html?view=overlay"));
        assert!(page("http://tauri.localhost/#cause/wrong-url"));
        for other in [
            "https://example.cybozu.com/k/",
            "https://jp.cybozu.help/k/ja/",
            "http://tauri.localhost.evil.test/",
            "http://tauri.localhost:8080/",
            "tauri://evil.test/",
            "javascript:alert(1)",
            "data:text/html,<script>x</script>",
            "file:///etc/passwd",
            "about:blank",
        ] {
            assert!(!page(other), "{other}");
        }
    }
}
