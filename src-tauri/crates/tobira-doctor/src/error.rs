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
    NotKintone(String, String),
    #[error("cannot read the client certificate {}: {message}", path.display())]
    CertificateUnreadable { path: PathBuf, message: String },
    #[error("the client certificate {} cannot be opened: {message}; check the file and the password stored with `tobira secrets set client-cert-password`", path.display())]
    CertificateInvalid { path: PathBuf, message: String },
}

impl DoctorError {
    pub fn code(&self) -> &'static str {
        match self {
            DoctorError::NotAUrl(_) => "not-a-url",
            DoctorError::PlainHttp(_) => "plain-http-not-loopback",
            DoctorError::NotKintone(..) => "not-kintone-domain",
            DoctorError::CertificateUnreadable { .. } => "client-cert-unreadable",
            DoctorError::CertificateInvalid { .. } => "client-cert-invalid",
        }
    }
}
