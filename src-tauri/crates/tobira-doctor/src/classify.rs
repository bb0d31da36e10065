//! What an answer from the site means, from its status, headers and the
//! first part of its body. Pure functions: tested without a network.

use url::Url;

use crate::detail::Detail;

/// Secure access (client certificates) lives at `SUBDOMAIN.s.DOMAIN`.
const SECURE_ACCESS_DOMAINS: [&str; 2] = ["s.cybozu.com", "s.cybozu.cn"];
/// The kintone service domains of the three regions.
const KINTONE_DOMAINS: [&str; 3] = ["cybozu.com", "kintone.com", "cybozu.cn"];

/// A cause recognised in one answer, and what gave it away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    pub cause: &'static str,
    pub detail: Detail,
}

fn recognised(cause: &'static str, detail: Detail) -> Option<Recognised> {
    Some(Recognised { cause, detail })
}

/// Texts the service shows, and the cause each one means (`002`).
const TEXTS: [(&str, &str); 5] = [
    ("不正なリクエストです", "maintenance"),
    (
        "アクセスにはクライアント証明書が必要です",
        "client-cert-required",
    ),
    (
        "クライアント証明書の有効期限が過ぎています",
        "client-cert-expired",
    ),
    (
        "アクセスするには認証が必要です",
        "secure-access-auth-required",
    ),
    ("404 NotFound", "wrong-url"),
];

/// How the usual reverse proxies and servers say that a client certificate
/// is missing (nginx, IIS, F5 BIG-IP, Apache, HAProxy), lower case.
const PROXY_CERTIFICATE_PAGES: [&str; 6] = [
    "no required ssl certificate was sent",
    "the ssl certificate error",
    "403.7",
    "client certificate required",
    "client certificate is required",
    "certificate required to access",
];

/// The cause an answer shows, if any. `www_authenticate` is the header of
/// that name; `body` the start of the body (lossy UTF-8).
pub fn answer(status: u16, www_authenticate: Option<&str>, body: &str) -> Option<Recognised> {
    if status == 401
        && www_authenticate
            .is_some_and(|h| h.trim_start().to_ascii_lowercase().starts_with("basic"))
    {
        return recognised("basic-auth", Detail::AsksForBasicAuth);
    }
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    for (text, cause) in TEXTS {
        let needle: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.contains(&needle) {
            return recognised(
                cause,
                Detail::PageSays {
                    text: text.to_owned(),
                },
            );
        }
    }
    // "No Cert" is how the secure-access gateway names status 496.
    if status == 496 || compact.contains("NoCert") {
        return recognised(
            "client-cert-required",
            Detail::CertificateDemanded { status },
        );
    }
    let lower = body.to_lowercase();
    // A reverse proxy in front of the site asks in its own stock words.
    if PROXY_CERTIFICATE_PAGES.iter().any(|p| lower.contains(p)) {
        return recognised(
            "client-cert-required",
            Detail::CertificateDemanded { status },
        );
    }
    if status == 403 && (lower.contains("ipアドレス") || lower.contains("ip address")) {
        return recognised("ip-restricted", Detail::NetworkNotAllowed);
    }
    if status == 404 {
        return recognised("wrong-url", Detail::NoSiteHere);
    }
    None
}

/// Where a redirect leads, as far as login is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// The same site, or another page of the service: follow it.
    Follow(Url),
    /// The secure-access address of the site (`.s.`).
    SecureAccess(Url),
    /// Another organisation's server: a company sign-in page (SAML/SSO).
    IdentityProvider(Url),
    /// Not a web address Tobira follows (another scheme, user name, port).
    Refused(String),
}

/// Judges `location` (a redirect from `from`).
pub fn redirect(from: &Url, location: &str) -> Redirect {
    let Ok(to) = from.join(location) else {
        return Redirect::Refused(location.to_owned());
    };
    if !to.username().is_empty() || to.password().is_some() {
        return Redirect::Refused(to.to_string());
    }
    let host = to.host_str().unwrap_or_default().to_ascii_lowercase();
    let same_origin = to.scheme() == from.scheme()
        && to.host_str() == from.host_str()
        && to.port() == from.port();
    if same_origin {
        return Redirect::Follow(to);
    }
    // Another scheme, or another server on a port of its own: nothing a
    // kintone site sends its users to.
    if to.scheme() != "https" || to.port().is_some() {
        return Redirect::Refused(to.to_string());
    }
    let under = |domain: &str| host.ends_with(&format!(".{domain}"));
    if SECURE_ACCESS_DOMAINS.iter().any(|d| under(d)) {
        return Redirect::SecureAccess(to);
    }
    if KINTONE_DOMAINS.iter().any(|d| under(d) || host == *d) {
        return Redirect::Follow(to);
    }
    Redirect::IdentityProvider(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(status: u16, auth: Option<&str>, body: &str) -> Option<&'static str> {
        answer(status, auth, body).map(|r| r.cause)
    }

    #[test]
    fn recognises_the_services_own_texts() {
        assert_eq!(
            cause(200, None, "<p>不正なリクエストです。</p>"),
            Some("maintenance")
        );
        assert_eq!(
            cause(404, None, "<h1>Code: 404　NotFound</h1>"),
            Some("wrong-url")
        );
        assert_eq!(cause(200, None, "Code: 404 NotFound"), Some("wrong-url"));
        assert_eq!(
            cause(403, None, "アクセスにはクライアント証明書が必要です。"),
            Some("client-cert-required")
        );
        assert_eq!(
            cause(496, None, "Code: 496 No Cert"),
            Some("client-cert-required")
        );
        assert_eq!(
            cause(403, None, "クライアント証明書の有効期限が過ぎています。"),
            Some("client-cert-expired")
        );
        assert_eq!(
            cause(401, None, "アクセスするには認証が必要です。"),
            Some("secure-access-auth-required")
        );
        assert_eq!(
            cause(401, Some("Basic realm=\"kintone\""), ""),
            Some("basic-auth")
        );
        assert_eq!(cause(401, Some("Bearer"), ""), None);
        assert_eq!(
            cause(403, None, "このIPアドレスからはアクセスできません"),
            Some("ip-restricted")
        );
        assert_eq!(
            cause(403, None, "Access from your IP address is not allowed"),
            Some("ip-restricted")
        );
        assert_eq!(cause(403, None, "Forbidden"), None);
        assert_eq!(cause(200, None, "<title>ログイン</title>"), None);
    }

    #[test]
    fn a_proxys_own_certificate_page_means_a_certificate_is_required() {
        for page in [
            "<html><head><title>400 No required SSL certificate was sent</title></head><body><center><h1>400 Bad Request</h1></center><center>No required SSL certificate was sent</center><hr><center>nginx</center></body></html>",
            "<h2>403 - Forbidden: Access is denied.</h2><h3>HTTP Error 403.7 - Forbidden</h3>",
            "<p>The SSL certificate error</p>",
            "Client certificate required. Contact your administrator.",
        ] {
            assert_eq!(cause(400, None, page), Some("client-cert-required"), "{page}");
        }
        assert_eq!(
            cause(200, None, "<p>Welcome, no certificate needed</p>"),
            None
        );
    }

    #[test]
    fn judges_redirects() {
        let from = Url::parse("https://example.cybozu.com/").unwrap();
        let follow = |l: &str| matches!(redirect(&from, l), Redirect::Follow(_));
        assert!(follow("/login?redirect=%2Fk%2F"));
        assert!(follow("https://example.cybozu.com/login"));
        assert!(follow("https://login.cybozu.com/"));
        assert!(matches!(
            redirect(&from, "https://example.s.cybozu.com/"),
            Redirect::SecureAccess(_)
        ));
        assert!(matches!(
            redirect(&from, "https://idp.corp.example/saml?SAMLRequest=x"),
            Redirect::IdentityProvider(_)
        ));
        assert!(matches!(
            redirect(&from, "https://evil.example.cybozu.com.evil.test/"),
            Redirect::IdentityProvider(_)
        ));
        assert!(matches!(
            redirect(&from, "http://example.cybozu.com/"),
            Redirect::Refused(_)
        ));
        assert!(matches!(
            redirect(&from, "javascript:alert(1)"),
            Redirect::Refused(_)
        ));
        assert!(matches!(
            redirect(&from, "https://u:p@example.cybozu.com/"),
            Redirect::Refused(_)
        ));
        // A tenant of the service on a port of its own is somebody's server.
        assert!(matches!(
            redirect(&from, "https://attacker.cybozu.com:8443/"),
            Redirect::Refused(_)
        ));
        assert!(matches!(
            redirect(&from, "https://example.cybozu.com:8443/k/"),
            Redirect::Refused(_)
        ));
        let local = Url::parse("http://127.0.0.1:8080/").unwrap();
        assert!(matches!(redirect(&local, "/login"), Redirect::Follow(_)));
        assert!(matches!(
            redirect(&local, "http://127.0.0.1:9090/"),
            Redirect::Refused(_)
        ));
    }
}
