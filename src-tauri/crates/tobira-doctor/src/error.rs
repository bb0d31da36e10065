//! The doctor's one error type: only bad input; a site that misbehaves is
//! a finding, never an error.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DoctorError {
    #[error("'{0}' is not a web address; give one such as https://example.cybozu.com/")]
    NotAUrl(String),
    #[error("'{0}': --base-url takes http:// only for this computer (127.0.0.1, ::1, localhost); a kintone site is https://")]
    PlainHttp(String),
    #[error("'{0}' is not a kintone address Tobira may probe: {1}")]
    NotKintone(String, #[source] tobira_core::SiteError),
    #[error("cannot read the client certificate {}: {source}", path.display())]
    CertificateUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the client certificate {} cannot be opened: {message}; check the file and the password stored with `tobira secrets set client-cert-password`", path.display())]
    CertificateInvalid { path: PathBuf, message: String },
}

tobira_core::error_codes!(DoctorError {
    Self::NotAUrl(_) => "not-a-url",
    Self::PlainHttp(_) => "plain-http-not-loopback",
    Self::NotKintone(..) => "not-kintone-domain",
    Self::CertificateUnreadable { .. } => "client-cert-unreadable",
    Self::CertificateInvalid { .. } => "client-cert-invalid",
});
