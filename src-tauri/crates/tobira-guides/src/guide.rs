//! One loaded guide file.

use tobira_core::{Audience, Language, Region};

use crate::body::{self, Body};
use crate::front_matter::{self, FrontMatter, Kind};
use crate::problem::{line_column, Problem};

/// The canonical login cause ids (`causes.md`): a public contract.
pub const CAUSE_IDS: [&str; 32] = [
    "login-url-unknown",
    "wrong-url",
    "maintenance",
    "ip-restricted",
    "basic-auth",
    "client-cert-required",
    "secure-access-auth-required",
    "client-cert-expiring",
    "client-cert-expired",
    "client-cert-reissued",
    "caps-lock",
    "stray-whitespace",
    "forgot-password",
    "password-reset-disabled",
    "forgot-login-name",
    "account-locked",
    "password-expired",
    "credentials-changed",
    "user-suspended",
    "sso-enabled",
    "browser-cookies",
    "try-another-browser",
    "auto-login",
    "2fa-code-rejected",
    "clock-skew",
    "2fa-device-lost",
    "2fa-device-change",
    "guest-verification-code",
    "admin-locked-out",
    "contact-admin",
    "invitation-not-received",
    "network-offline",
];

#[derive(Debug, Clone)]
pub struct Guide {
    pub front: FrontMatter,
    pub language: Language,
    /// Where the file came from, as shown in messages.
    pub path: String,
    /// Its place in the search path: later layers replace earlier ones.
    pub layer: usize,
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
    /// Line and column of the id in the front matter.
    pub id_position: (usize, usize),
}

impl Guide {
    pub fn parse(
        path: &str,
        text: &str,
        language: Language,
        layer: usize,
    ) -> Result<Guide, Problem> {
        if text.len() > front_matter::MAX_GUIDE_BYTES {
            return Err(Problem::new(
                path,
                (1, 1),
                format!(
                    "the file is larger than {} KiB; split it into several guides",
                    front_matter::MAX_GUIDE_BYTES / 1024
                ),
            ));
        }
        let (front, split) = front_matter::parse(path, text)?;
        Ok(Guide {
            body: split.body.to_owned(),
            body_line: line_column(text, split.body_offset).0,
            id_position: line_column(text, split.front_offset + front.id.span().start),
            front,
            language,
            path: path.to_owned(),
            layer,
        })
    }

    pub fn id(&self) -> &str {
        self.front.id.get_ref()
    }

    pub fn kind(&self) -> Kind {
        self.front.kind
    }

    pub fn title(&self) -> &str {
        self.front.title.get_ref()
    }

    pub fn summary(&self) -> Option<&str> {
        self.front.summary.as_deref()
    }

    pub fn order(&self) -> i64 {
        self.front.order.as_ref().map_or(i64::MAX, |o| *o.get_ref())
    }

    pub fn audience(&self) -> &[Audience] {
        self.front.audience.as_ref().map_or(&[], |a| a.get_ref())
    }

    /// Whether the guide is meant for users of `region`.
    pub fn applies_to(&self, region: Region) -> bool {
        self.front
            .regions
            .as_ref()
            .is_none_or(|regions| regions.get_ref().contains(&region))
    }

    /// The body for one region: intro and, for flows, the steps, with
    /// `{{% domain %}}` said as the region's service domain.
    pub fn body_for(&self, region: Region) -> Body {
        body::structure(
            &self.path,
            &self.body.replace(body::DOMAIN_SHORTCODE, region.domain()),
            self.body_line,
            self.kind() == Kind::Flow,
            Some(region),
            None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_is_the_readers_region() {
        let text = "+++\nid = \"c\"\nkind = \"cause\"\ntitle = \"T\"\n+++\nOpen `https://SUBDOMAIN.s.{{% domain %}}/`.\n";
        let guide = Guide::parse("c.md", text, Language::En, 0).unwrap();
        let intro = |region| guide.body_for(region).intro;
        assert_eq!(
            intro(Region::Jp),
            "Open `https://SUBDOMAIN.s.cybozu.com/`.\n"
        );
        assert_eq!(
            intro(Region::Cn),
            "Open `https://SUBDOMAIN.s.cybozu.cn/`.\n"
        );
        assert_eq!(
            intro(Region::Us),
            "Open `https://SUBDOMAIN.s.kintone.com/`.\n"
        );
    }
}
