//! The support report: what a helpdesk needs to know about this Tobira, and
//! nothing secret. Secrets are described only as "stored" or "not stored";
//! no password, cookie or token is ever read into it.

use serde::Serialize;
use tobira_core::redact;
use tobira_core::{Language, Profile};

#[derive(Debug, Serialize)]
pub struct SupportReport {
    pub app_version: &'static str,
    pub os: String,
    pub language: Language,
    pub site: Option<SiteFacts>,
    pub policy: PolicyFacts,
    pub bookmarks: BookmarkCounts,
    pub secrets: SecretFacts,
    /// The window's log file, to attach when IT asks (the home folder
    /// written as `~`, so the report does not carry the user's account name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_file: Option<String>,
    /// The browser companion: allowed, last connection, which browsers can
    /// start Tobira.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub companion: Option<CompanionFacts>,
    /// The doctor's last run, if there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<tobira_doctor::Report>,
    /// What the user told the assistant (with anything secret-looking removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assistant: Option<AssistantContext>,
}

/// `path` with the user's home folder written as `~`.
fn home_as_tilde(path: &std::path::Path) -> String {
    let home = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf());
    match home
        .as_deref()
        .and_then(|home| path.strip_prefix(home).ok())
    {
        Some(inside) => format!("~/{}", inside.display()),
        None => path.display().to_string(),
    }
}

/// The assistant's side of a report: the query, the answers given, the
/// causes shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssistantContext {
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub answers: Vec<String>,
    #[serde(default)]
    pub causes: Vec<String>,
}

impl AssistantContext {
    /// What the user asked and answered, with the three most likely causes
    /// (the three the window shows).
    pub fn from_outcome(query: &str, outcome: tobira_guides::matcher::Outcome) -> AssistantContext {
        AssistantContext {
            query: query.trim().to_owned(),
            answers: outcome.answered,
            causes: outcome
                .matches
                .into_iter()
                .take(3)
                .map(|m| m.cause)
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SiteFacts {
    pub host: String,
    pub region: tobira_core::Region,
    pub secure_access: bool,
    /// builtin / recommended / user / locked
    pub source: tobira_core::policy::Source,
}

#[derive(Debug, Serialize)]
pub struct CompanionFacts {
    /// The organisation's policy lets it connect.
    pub allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_connected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_version: Option<String>,
    /// chromium (any Chromium-family browser) or firefox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// "chromium (user)", "firefox (system)": manifests that name a program
    /// that exists and the extension ids this Tobira answers.
    pub hosts: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PolicyFacts {
    pub path: String,
    /// `none`, `applied`, `partly-applied` (some values dropped) or
    /// `not-applied` (unreadable).
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Users who are not administrators can change the file.
    pub writable_by_others: bool,
}

#[derive(Debug, Serialize)]
pub struct BookmarkCounts {
    pub organisation: usize,
    pub user: usize,
}

#[derive(Debug, Serialize)]
pub struct SecretFacts {
    pub keyring_available: bool,
    pub basic_auth_stored: bool,
    pub client_cert_password_stored: bool,
}

impl CompanionFacts {
    fn line(&self) -> String {
        if !self.allowed {
            return "browser companion: off by the organisation's policy\n".to_owned();
        }
        let connected = match (&self.last_connected, &self.extension_version, &self.browser) {
            (Some(at), version, browser) => format!(
                "last connected {at} (extension {}, {})",
                version.as_deref().unwrap_or("?"),
                browser.as_deref().unwrap_or("?")
            ),
            (None, ..) => "never connected".to_owned(),
        };
        let hosts = if self.hosts.is_empty() {
            "none".to_owned()
        } else {
            self.hosts.join(", ")
        };
        format!("browser companion: {connected}; browsers that can start Tobira: {hosts}\n")
    }
}

impl SupportReport {
    pub fn gather(profile: &Profile, os_language: Language) -> SupportReport {
        let effective = profile.effective();
        let site = effective.site.value.as_ref().map(|site| SiteFacts {
            host: site.host(),
            region: site.region(),
            secure_access: site.secure_access(),
            source: effective.site.source,
        });
        let secrets = match &site {
            Some(site) => {
                let status = tobira_secrets::status(&site.host);
                SecretFacts {
                    keyring_available: status.keyring_available,
                    basic_auth_stored: status.basic_auth_user.is_some(),
                    client_cert_password_stored: status.client_cert_password_stored,
                }
            }
            None => SecretFacts {
                keyring_available: false,
                basic_auth_stored: false,
                client_cert_password_stored: false,
            },
        };
        let policy_present = profile.policy().stores.iter().any(|s| s.found);
        let policy_errors: Vec<&tobira_core::PolicyError> = profile.policy_errors().collect();
        SupportReport {
            app_version: env!("CARGO_PKG_VERSION"),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            language: profile.language(os_language),
            site,
            policy: PolicyFacts {
                path: profile.policy_path.display().to_string(),
                state: match (policy_errors.first(), policy_present) {
                    (Some(tobira_core::PolicyError::Invalid { .. }), _) => "partly-applied",
                    (Some(_), _) => "not-applied",
                    (None, true) => "applied",
                    (None, false) => "none",
                },
                problem: (!policy_errors.is_empty()).then(|| {
                    let texts: Vec<String> = policy_errors.iter().map(|e| e.to_string()).collect();
                    redact::detail(&texts.join("\n"))
                }),
                writable_by_others: profile.policy_writable_by_others,
            },
            bookmarks: BookmarkCounts {
                organisation: effective.org_bookmarks.value.len(),
                user: profile.settings().bookmarks.len(),
            },
            secrets,
            log_file: tobira_core::settings::log_file().map(|path| home_as_tilde(&path)),
            companion: None,
            checks: None,
            assistant: None,
        }
    }

    pub fn with_assistant(mut self, context: Option<AssistantContext>) -> SupportReport {
        self.assistant = context.map(|c| AssistantContext {
            query: redact::text(&c.query),
            answers: c.answers.iter().take(20).map(|a| redact::text(a)).collect(),
            causes: c
                .causes
                .into_iter()
                .filter(|id| tobira_guides::front_matter::is_valid_id(id))
                .take(30)
                .collect(),
        });
        self
    }

    pub fn with_companion(mut self, companion: CompanionFacts) -> SupportReport {
        self.companion = Some(companion);
        self
    }

    pub fn with_checks(mut self, checks: Option<tobira_doctor::Report>) -> SupportReport {
        self.checks = checks;
        self
    }

    /// The report as plain text to paste into a ticket.
    pub fn text(&self) -> String {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        let mut out = format!(
            "Tobira support report\napp version: {}\nos: {}\nlanguage: {}\n",
            self.app_version, self.os, self.language
        );
        match &self.site {
            Some(site) => out.push_str(&format!(
                "site: {} (region {}, secure access {}, set by {})\n",
                site.host,
                site.region,
                yes_no(site.secure_access),
                site.source.as_str()
            )),
            None => out.push_str("site: not set up\n"),
        }
        out.push_str(&format!(
            "policy: {} ({})\n",
            self.policy.state, self.policy.path
        ));
        if let Some(problem) = &self.policy.problem {
            out.push_str(&format!("policy problem: {problem}\n"));
        }
        if self.policy.writable_by_others {
            out.push_str(
                "policy warning: the file can be changed by users who are not administrators\n",
            );
        }
        out.push_str(&format!(
            "bookmarks: {} from the organisation, {} of the user's\nkeyring available: {}\nBasic-auth credentials stored: {}\nclient-certificate password stored: {}\n",
            self.bookmarks.organisation,
            self.bookmarks.user,
            yes_no(self.secrets.keyring_available),
            yes_no(self.secrets.basic_auth_stored),
            yes_no(self.secrets.client_cert_password_stored),
        ));
        if let Some(log_file) = &self.log_file {
            out.push_str(&format!("log file: {log_file}\n"));
        }
        if let Some(companion) = &self.companion {
            out.push_str(&companion.line());
        }
        if let Some(context) = &self.assistant {
            if !context.query.is_empty() {
                out.push_str(&format!("what the user typed: {}\n", context.query));
            }
            if !context.answers.is_empty() {
                out.push_str(&format!("answers: {}\n", context.answers.join(" → ")));
            }
            if !context.causes.is_empty() {
                out.push_str(&format!("causes shown: {}\n", context.causes.join(", ")));
            }
        }
        if let Some(report) = &self.checks {
            out.push_str(&format!(
                "checks of {} ({} ms):
",
                report.target, report.elapsed_ms
            ));
            for check in &report.checks {
                out.push_str(&format!(
                    "  {:<5} {:<12} {}\n",
                    check.status.as_str(),
                    check.id,
                    // Support reads English, whatever the window speaks.
                    check.in_language(Language::En).detail()
                ));
            }
            let causes: Vec<&str> = report.findings.iter().map(|f| f.cause).collect();
            let causes = if causes.is_empty() {
                "none".to_owned()
            } else {
                causes.join(", ")
            };
            out.push_str(&format!("likely causes: {causes}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_companion_line_says_off_never_or_when_and_which_browsers() {
        let mut facts = CompanionFacts {
            allowed: false,
            last_connected: None,
            extension_version: None,
            browser: None,
            hosts: Vec::new(),
        };
        assert_eq!(
            facts.line(),
            "browser companion: off by the organisation's policy\n"
        );
        facts.allowed = true;
        assert_eq!(
            facts.line(),
            "browser companion: never connected; browsers that can start Tobira: none\n"
        );
        facts.last_connected = Some("2026-12-06T03:00:00Z".into());
        facts.extension_version = Some("0.1.0".into());
        facts.browser = Some("chromium".into());
        facts.hosts = vec!["chromium (system)".into(), "firefox (user)".into()];
        assert_eq!(
            facts.line(),
            "browser companion: last connected 2026-12-06T03:00:00Z (extension 0.1.0, chromium); browsers that can start Tobira: chromium (system), firefox (user)\n"
        );
    }

    #[test]
    fn nothing_secret_gets_into_the_report() {
        let secrets = [
            "hunter2",
            "S3cret!pass",
            "JSESSIONID=a1b2c3d4e5f6a7b8c9",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc123def456",
            "秘密のパスワード123",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        ];
        let query = format!(
            "login fails password: {} my pwd={} Cookie: {} token {} パスワード：{} key {}",
            secrets[0], secrets[1], secrets[2], secrets[3], secrets[4], secrets[5]
        );
        let context = AssistantContext {
            query,
            answers: vec!["At home".into(), format!("password {}", secrets[0])],
            causes: vec!["caps-lock".into(), "<script>".into()],
        };
        let profile = tobira_core::Profile::new(
            tobira_core::Settings::default(),
            std::path::Path::new("/nonexistent"),
        );
        let report = SupportReport::gather(&profile, tobira_core::Language::En)
            .with_assistant(Some(context));
        let text = report.text();
        let json = serde_json::to_string(&report).unwrap();
        for secret in secrets {
            assert!(
                !text.contains(secret) && !json.contains(secret),
                "{secret} leaked: {text}"
            );
        }
        assert!(
            text.contains("what the user typed: login fails password: [removed]"),
            "{text}"
        );
        assert!(text.contains("causes shown: caps-lock\n"), "{text}");
        assert!(
            text.contains("answers: At home → password [removed]"),
            "{text}"
        );
    }
}
