//! What the doctor found: checks in the order they ran, and the causes they
//! point to. The JSON shape is part of the CLI contract.

use serde::Serialize;
use tobira_core::Language;

use crate::detail::Detail;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CheckStatus"))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    /// Not run, because an earlier check failed or it does not apply.
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// One check: `dns`, `tcp`, `tls`, `client-cert`, `http-root`,
/// `http-portal`, `basic-auth`, `clock`, `proxy`. Serialised as
/// `{"id","status","detail"}`, the detail worded in `language`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(as = "CheckJson"))]
pub struct Check {
    pub id: &'static str,
    pub status: Status,
    /// What was seen, and for a failure what it means.
    pub seen: Detail,
    pub language: Language,
}

impl Check {
    /// A check worded in English until [`Check::in_language`].
    pub fn new(id: &'static str, status: Status, seen: Detail) -> Check {
        Check {
            id,
            status,
            seen,
            language: Language::En,
        }
    }

    pub fn in_language(&self, language: Language) -> Check {
        Check {
            language,
            ..self.clone()
        }
    }

    /// One plain sentence in the check's language.
    pub fn detail(&self) -> String {
        // Details quote what servers and libraries said: nothing secret
        // in them may leave (a proxy's password, a ticket in a redirect).
        tobira_core::redact::detail(&self.seen.text(self.language))
    }
}

impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Check", 3)?;
        s.serialize_field("id", self.id)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("detail", &self.detail())?;
        s.end()
    }
}

/// A cause the checks point to, with the guide that explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    /// A canonical cause id (`causes.md`).
    pub cause: &'static str,
    /// The cause guide, as a deep link the app opens.
    pub guide: String,
}

impl Finding {
    pub fn new(cause: &'static str) -> Finding {
        Finding {
            cause,
            guide: format!("tobira://cause/{cause}"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "DoctorReport"))]
pub struct Report {
    /// The address that was probed.
    pub target: String,
    pub checks: Vec<Check>,
    pub findings: Vec<Finding>,
    pub elapsed_ms: u64,
}

impl Report {
    /// Adds a finding once.
    pub fn find(&mut self, cause: &'static str) {
        if !self.findings.iter().any(|f| f.cause == cause) {
            self.findings.push(Finding::new(cause));
        }
    }

    /// The same report with every detail in `language`.
    pub fn in_language(&self, language: Language) -> Report {
        Report {
            checks: self
                .checks
                .iter()
                .map(|c| c.in_language(language))
                .collect(),
            ..self.clone()
        }
    }

    /// Whether anything failed or warned (the CLI exits 1 then).
    pub fn has_problems(&self) -> bool {
        !self.findings.is_empty()
            || self
                .checks
                .iter()
                .any(|c| matches!(c.status, Status::Fail | Status::Warn))
    }
}
/// [`Check`] as its `Serialize` impl writes it, for its TypeScript
/// declaration; `tobira-session`'s `bindings` test serialises both and
/// compares them.
#[cfg(feature = "ts")]
#[derive(Serialize, ts_rs::TS)]
pub struct CheckJson {
    pub id: String,
    pub status: Status,
    /// One plain sentence in the check's language: what was seen.
    pub detail: String,
}
