//! Which proxy the HTTP client will use for a URL, read from the same
//! environment variables it reads (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
//! `NO_PROXY`, upper or lower case), so the report can say so.

use url::Url;

/// The proxy for `url`, or `None` for a direct connection.
pub fn for_url(url: &Url) -> Option<Url> {
    proxy_from(url, |name| std::env::var(name).ok())
}

fn proxy_from(url: &Url, var: impl Fn(&str) -> Option<String>) -> Option<Url> {
    let get = |name: &str| {
        var(name)
            .or_else(|| var(&name.to_ascii_lowercase()))
            .filter(|v| !v.trim().is_empty())
    };
    let host = url
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if let Some(no_proxy) = get("NO_PROXY") {
        if bypasses(&no_proxy, &host) {
            return None;
        }
    }
    let scheme_var = if url.scheme() == "https" {
        "HTTPS_PROXY"
    } else {
        "HTTP_PROXY"
    };
    let proxy = get(scheme_var).or_else(|| get("ALL_PROXY"))?;
    let proxy = proxy.trim();
    Url::parse(proxy)
        .ok()
        .filter(|u| u.host_str().is_some())
        .or_else(|| Url::parse(&format!("http://{proxy}")).ok())
}

/// `NO_PROXY`: `*`, or a comma-separated list of hosts and domains
/// (`example.com` and `.example.com` both cover its subdomains).
fn bypasses(no_proxy: &str, host: &str) -> bool {
    no_proxy
        .split(',')
        .map(|e| e.trim().to_ascii_lowercase())
        .any(|entry| {
            let domain = entry.trim_start_matches('.');
            entry == "*"
                || (!domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}"))))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy(url: &str, vars: &[(&str, &str)]) -> Option<String> {
        let url = Url::parse(url).unwrap();
        proxy_from(&url, |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .map(|u| u.to_string())
    }

    #[test]
    fn follows_the_environment() {
        let site = "https://example.cybozu.com/";
        assert_eq!(proxy(site, &[]), None);
        assert_eq!(
            proxy(site, &[("HTTPS_PROXY", "http://proxy.corp:8080")]).as_deref(),
            Some("http://proxy.corp:8080/")
        );
        assert_eq!(
            proxy(site, &[("https_proxy", "proxy.corp:3128")]).as_deref(),
            Some("http://proxy.corp:3128/")
        );
        assert_eq!(
            proxy(site, &[("ALL_PROXY", "http://all:1")]).as_deref(),
            Some("http://all:1/")
        );
        assert_eq!(
            proxy(site, &[("HTTP_PROXY", "http://plain:1")]),
            None,
            "HTTP_PROXY is not for https"
        );
        let with = |no: &str| proxy(site, &[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", no)]);
        assert_eq!(with("cybozu.com"), None);
        assert_eq!(with(".cybozu.com"), None);
        assert_eq!(with("*"), None);
        assert_eq!(with("localhost, example.cybozu.com"), None);
        assert!(
            with("ozu.com").is_some(),
            "a suffix that is not a domain does not count"
        );
        assert!(with("").is_some());
    }
}
