//! What the doctor probes: the user's kintone site over https, or (for
//! tests) a server on this computer over plain http.

use std::net::IpAddr;

use tobira_core::{Region, SiteAddress};
use url::Url;

use crate::error::DoctorError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `scheme://host[:port]/`
    pub url: Url,
    pub host: String,
    pub port: u16,
}

impl Target {
    pub fn site(site: &SiteAddress) -> Target {
        let host = site.host();
        Target {
            url: Url::parse(&format!("https://{host}/")).expect("a site host makes a URL"),
            host,
            port: 443,
        }
    }

    /// `--base-url`: https on a kintone host, or http on a loopback address.
    pub fn base_url(input: &str) -> Result<Target, DoctorError> {
        let url = Url::parse(input.trim()).map_err(|_| DoctorError::NotAUrl(input.to_owned()))?;
        let host = url
            .host_str()
            .ok_or_else(|| DoctorError::NotAUrl(input.to_owned()))?
            .to_owned();
        match url.scheme() {
            "http" if is_loopback(&host) => {
                let port = url.port_or_known_default().unwrap_or(80);
                let mut base = url.clone();
                base.set_path("/");
                base.set_query(None);
                base.set_fragment(None);
                // A user name or password in the address is never sent.
                let _ = base.set_username("");
                let _ = base.set_password(None);
                Ok(Target {
                    url: base,
                    host,
                    port,
                })
            }
            "http" => Err(DoctorError::PlainHttp(input.to_owned())),
            "https" => {
                let site = SiteAddress::parse(input, Region::Jp)
                    .map_err(|e| DoctorError::NotKintone(input.to_owned(), e))?;
                Ok(Target::site(&site))
            }
            _ => Err(DoctorError::NotAUrl(input.to_owned())),
        }
    }

    pub fn is_tls(&self) -> bool {
        self.url.scheme() == "https"
    }

    pub fn page(&self, path: &str) -> Url {
        self.url.join(path).expect("a path joins onto the base")
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_for_this_computer() {
        let local = Target::base_url("http://127.0.0.1:8080/k/").unwrap();
        assert_eq!(
            (local.url.as_str(), local.port),
            ("http://127.0.0.1:8080/", 8080)
        );
        assert!(!local.is_tls());
        assert!(Target::base_url("http://[::1]:9/").is_ok());
        assert!(Target::base_url("http://localhost:9/").is_ok());
        for bad in [
            "http://example.cybozu.com/",
            "http://10.0.0.1/",
            "http://127.0.0.1.evil.test/",
        ] {
            assert_eq!(
                Target::base_url(bad).unwrap_err().code(),
                "plain-http-not-loopback",
                "{bad}"
            );
        }
        let site = Target::base_url("https://Example.cybozu.com/k/").unwrap();
        assert_eq!(
            (site.url.as_str(), site.port),
            ("https://example.cybozu.com/", 443)
        );
        assert_eq!(
            Target::base_url("https://evil.test/").unwrap_err().code(),
            "not-kintone-domain"
        );
        assert_eq!(
            Target::base_url("ftp://x/").unwrap_err().code(),
            "not-a-url"
        );
        assert_eq!(Target::base_url("no url").unwrap_err().code(), "not-a-url");
    }
}
