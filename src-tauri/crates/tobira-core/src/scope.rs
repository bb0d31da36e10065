//! The one place that decides what Tobira may open in the browser. Every
//! opener (window, CLI, later deep links) asks [`OpenScope::check`] first.
//!
//! Allowed: `https://` pages without a user name or port on the user's own
//! kintone host, on the vendor's official sites, and on the helpdesk host the
//! organisation's policy names.

use serde::Deserialize;
use url::Url;

use crate::site::SiteAddress;

/// The pages of the user's site that Tobira opens by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SitePage {
    /// `/k/`: the kintone portal, skipping the service selection screen.
    Portal,
    /// `/`: the login page.
    Login,
}

impl SitePage {
    pub fn url(self, site: &SiteAddress) -> String {
        match self {
            SitePage::Portal => site.portal_url(),
            SitePage::Login => site.login_url(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    #[error("no kintone site is set up yet; enter your kintone address first")]
    NoSite,
    #[error("'{0}' is not a valid web address")]
    NotAUrl(String),
    #[error("not allowed to open '{0}': Tobira opens only https:// pages of your kintone site, the vendor's help sites and your helpdesk")]
    NotAllowed(String),
}

crate::error_codes!(ScopeError {
    Self::NoSite => "no-site",
    Self::NotAUrl(_) => "not-a-url",
    Self::NotAllowed(_) => "url-not-allowed",
});

/// The vendor's official sites: the help centres of the three regions, the
/// product sites with the trial sign-up, and the maintenance status pages.
pub const VENDOR_HOSTS: [&str; 8] = [
    "jp.cybozu.help",
    "get.kintone.help",
    "help.cybozu.cn",
    "kintone.cybozu.co.jp",
    "www.kintone.com",
    "www.cybozu.cn",
    "cs.cybozu.co.jp",
    "kintone.statuspage.io",
];

pub fn is_vendor_host(host: &str) -> bool {
    VENDOR_HOSTS.contains(&host)
}

/// Whether a host a browser shows imitates a kintone address: a look-alike
/// ([`crate::site::is_lookalike_host`]) that is not one of the vendor's
/// hosts or domains. The browser companion warns before a password is
/// typed there.
pub fn imitates_kintone(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let vendor = is_vendor_host(&host)
        || crate::site::VENDOR_DOMAINS
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    !vendor && crate::site::is_lookalike_host(&host)
}

/// `https://`, no user name or password, no port.
pub fn is_plain_https(url: &Url) -> bool {
    url.scheme() == "https"
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
        && url.host_str().is_some()
}

/// What may be opened (see the module documentation).
#[derive(Debug, Clone)]
pub struct OpenScope {
    /// The user's own site first, then the sites they are a guest in.
    site_hosts: Vec<String>,
    helpdesk_host: Option<String>,
}

impl OpenScope {
    pub fn new(site: Option<&SiteAddress>) -> OpenScope {
        OpenScope {
            site_hosts: site.map(SiteAddress::host).into_iter().collect(),
            helpdesk_host: None,
        }
    }

    /// Also allows the sites the user is a guest in.
    pub fn with_guest_sites<'a>(
        mut self,
        sites: impl IntoIterator<Item = &'a SiteAddress>,
    ) -> OpenScope {
        self.site_hosts
            .extend(sites.into_iter().map(SiteAddress::host));
        self
    }

    /// Also allows the host of the organisation's helpdesk URL.
    pub fn with_helpdesk(mut self, helpdesk_url: Option<&str>) -> OpenScope {
        self.helpdesk_host = helpdesk_url
            .and_then(|u| Url::parse(u).ok())
            .filter(is_plain_https)
            .and_then(|u| u.host_str().map(str::to_owned));
        self
    }

    /// Returns the parsed URL if it may be opened.
    pub fn check(&self, candidate: &str) -> Result<Url, ScopeError> {
        if self.site_hosts.is_empty() {
            return Err(ScopeError::NoSite);
        }
        let url = Url::parse(candidate).map_err(|_| ScopeError::NotAUrl(candidate.to_owned()))?;
        let host = url.host_str().unwrap_or_default();
        let allowed = is_plain_https(&url)
            && (self.site_hosts.iter().any(|h| h == host)
                || is_vendor_host(host)
                || self.helpdesk_host.as_deref() == Some(host));
        if allowed {
            Ok(url)
        } else {
            Err(ScopeError::NotAllowed(candidate.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host list the browser extension's own pre-filter is tested on
    /// (`browser/test/lookalike-vectors.json` must agree; its test reads
    /// this table).
    const IMITATION_VECTORS: [(&str, bool); 16] = [
        ("example-cybozu.com", true),
        ("example.cyb0zu.com", true),
        ("example.cybozu.com.evil.test", true),
        ("example.kintone.co", true),
        ("cyboze.com", true),
        ("kintone-login.net", true),
        ("example.cybozu.com", false),
        ("example.s.cybozu.com", false),
        ("example.kintone.com", false),
        ("example.cybozu.cn", false),
        ("kintone.cybozu.co.jp", false),
        ("jp.cybozu.help", false),
        ("get.kintone.help", false),
        ("www.cybozu.co.jp", false),
        ("www.google.com", false),
        ("example.com", false),
    ];

    #[test]
    fn imitations_are_told_from_the_service_and_the_vendor() {
        for (host, imitates) in IMITATION_VECTORS {
            assert_eq!(imitates_kintone(host), imitates, "{host}");
        }
        assert!(imitates_kintone("EXAMPLE-CYBOZU.COM."));
    }
    use crate::site::Region;

    fn scope() -> OpenScope {
        let site = SiteAddress::parse("example", Region::Jp).unwrap();
        OpenScope::new(Some(&site))
    }

    #[test]
    fn allows_pages_of_the_users_site() {
        let site = SiteAddress::parse("example", Region::Jp).unwrap();
        for page in [SitePage::Portal, SitePage::Login] {
            assert!(scope().check(&page.url(&site)).is_ok());
        }
        assert!(scope()
            .check("https://example.cybozu.com/k/#/space/3")
            .is_ok());
        assert!(scope().check("https://EXAMPLE.cybozu.com/k/").is_ok());
    }

    #[test]
    fn allows_exactly_the_sites_the_user_is_a_guest_in() {
        let partner = SiteAddress::parse("partner", Region::Jp).unwrap();
        let guest_only = OpenScope::new(None).with_guest_sites([&partner]);
        assert!(guest_only
            .check("https://partner.cybozu.com/k/guest/7/")
            .is_ok());
        assert!(guest_only.check("https://other.cybozu.com/k/").is_err());
        assert!(guest_only
            .check("https://partner.cybozu.com@evil.test/")
            .is_err());
        let both = scope().with_guest_sites([&partner]);
        assert!(both.check("https://example.cybozu.com/k/").is_ok());
        assert!(both.check("https://partner.cybozu.com/k/").is_ok());
        assert!(matches!(
            OpenScope::new(None).check("https://jp.cybozu.help/"),
            Err(ScopeError::NoSite)
        ));
    }

    #[test]
    fn allows_the_vendor_sites_and_the_helpdesk() {
        let allowed = scope().with_helpdesk(Some("https://help.corp.example/kintone"));
        assert!(allowed.check("https://jp.cybozu.help/k/ja/").is_ok());
        assert!(allowed.check("https://help.corp.example/other").is_ok());
        assert!(allowed.check("http://help.corp.example/").is_err());
        assert!(allowed.check("https://jp.cybozu.help.evil.test/").is_err());
        let refused = scope().with_helpdesk(Some("http://help.corp.example/"));
        assert!(refused.check("http://help.corp.example/").is_err());
        assert!(refused.check("https://help.corp.example/").is_err());
    }

    #[test]
    fn refuses_everything_else() {
        for url in [
            "http://example.cybozu.com/k/",
            "https://other.cybozu.com/k/",
            "https://example.cybozu.com.evil.test/",
            "https://example.cybozu.com@evil.test/",
            "https://user:pw@example.cybozu.com/",
            "https://example.cybozu.com:8443/",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert!(
                matches!(scope().check(url), Err(ScopeError::NotAllowed(_))),
                "{url}"
            );
        }
        assert_eq!(scope().check("not a url").unwrap_err().code(), "not-a-url");
    }

    #[test]
    fn nothing_is_allowed_without_a_site() {
        let err = OpenScope::new(None)
            .check("https://example.cybozu.com/")
            .unwrap_err();
        assert_eq!(err, ScopeError::NoSite);
    }
}
