//! Where a guide's facts come from: the `sources` of a guide or a step.
//!
//! A source is one of the project's seed documents (`seed:002`, with the
//! section's anchor where it has one: `seed:002#login_troubleshoot_second_30`),
//! a page (`https://…`: for Tobira's own guides an official page the seeds
//! point to, checked by the content tests; an organisation may cite its
//! intranet), or `general` for advice that rests on general knowledge.

use tobira_core::scope::is_plain_https;
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Citation {
    Seed {
        number: String,
        anchor: Option<String>,
    },
    Web(Url),
    General,
}

impl Citation {
    /// Reads one entry of `sources`; the error says what a source looks like.
    pub fn parse(text: &str) -> Result<Citation, String> {
        if text == "general" {
            return Ok(Citation::General);
        }
        if let Some(rest) = text.strip_prefix("seed:") {
            let (number, anchor) = match rest.split_once('#') {
                Some((number, anchor)) => (number, Some(anchor)),
                None => (rest, None),
            };
            let number_ok = number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit());
            let anchor_ok = anchor.is_none_or(|a| {
                !a.is_empty()
                    && a.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            });
            if number_ok && anchor_ok {
                return Ok(Citation::Seed {
                    number: number.to_owned(),
                    anchor: anchor.map(str::to_owned),
                });
            }
            return Err(format!(
                "source '{text}': a seed is named 'seed:NNN' or 'seed:NNN#anchor' (three digits; the anchor in letters, digits, '_' and '-')"
            ));
        }
        match Url::parse(text) {
            Ok(url) if is_plain_https(&url) => Ok(Citation::Web(url)),
            _ => Err(format!(
                "source '{text}': write 'seed:NNN#anchor', an https:// page or \"general\""
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_kind_of_source() {
        assert_eq!(Citation::parse("general"), Ok(Citation::General));
        assert_eq!(
            Citation::parse("seed:002#login_troubleshoot_second_30"),
            Ok(Citation::Seed {
                number: "002".into(),
                anchor: Some("login_troubleshoot_second_30".into())
            })
        );
        assert_eq!(
            Citation::parse("seed:000"),
            Ok(Citation::Seed {
                number: "000".into(),
                anchor: None
            })
        );
        assert!(matches!(
            Citation::parse("https://jp.cybozu.help/general/ja/login/admin_temp.html"),
            Ok(Citation::Web(_))
        ));
    }

    #[test]
    fn refuses_what_is_not_a_source() {
        for bad in [
            "seed:2",
            "seed:002#",
            "seed:002#a b",
            "http://jp.cybozu.help/",
            "my memory",
            "",
        ] {
            assert!(Citation::parse(bad).is_err(), "{bad}");
        }
    }
}
