//! The one error type the session reports, serialised for the window and the CLI as
//! `{"code": "…", "message": "…", "detail": "…"}`: the UI words the message in
//! the user's language from `code` and `detail`; scripts read `code`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use tobira_core::bookmarks::BookmarkError;
use tobira_core::profile::{ChangeError, OpenError};
use tobira_core::{PolicyError, ScopeError, SettingsError, SiteError};
use tobira_secrets::SecretError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Progress(#[from] tobira_core::progress::ProgressError),
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Bookmark(#[from] BookmarkError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Doctor(#[from] tobira_doctor::DoctorError),
    #[error(transparent)]
    Link(#[from] tobira_core::deep_link::DeepLinkError),
    #[error(transparent)]
    Sites(#[from] tobira_core::sites::SitesError),
    #[error(transparent)]
    Change(#[from] ChangeError),
    #[error(transparent)]
    Companion(#[from] crate::companion::install::InstallError),
    #[error("your organisation has turned the browser companion off (policy key companion)")]
    CompanionDisabled,
    #[error(
        "could not write {path}: {source}; check that the folder exists and you may write to it"
    )]
    Export {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not make the QR code: {0}")]
    QrCode(#[from] tobira_core::export::QrError),
    #[error("could not start the network checks: {0}; close other programs and try again")]
    Runtime(#[source] std::io::Error),
    #[error("could not open the browser: {0}; open the address yourself")]
    Opener(#[source] std::io::Error),
    #[error("{0}; see `tobira --help`")]
    Usage(String),
    #[error(
        "there is no guide '{0}' here; it may have been removed, or hidden by your organisation"
    )]
    UnknownGuide(String),
    #[error(
        "the walkthrough '{flow}' has no step '{step}'; it may have changed, so open it again"
    )]
    UnknownStep { flow: String, step: String },
    #[error("{} is not a guide folder: give a folder with ja/ and en/ inside, such as guides/", .0.display())]
    NotAGuideFolder(std::path::PathBuf),
}

tobira_core::error_codes!(Error {
    Self::Export { .. } => "export-failed",
    Self::QrCode(_) => "qr-failed",
    Self::Opener(_) => "opener-failed",
    Self::Runtime(_) => "runtime-failed",
    Self::Usage(_) => "usage",
    Self::NotAGuideFolder(_) => "not-a-guide-folder",
    Self::UnknownGuide(_) => "unknown-guide",
    Self::UnknownStep { .. } => "unknown-step",
    Self::CompanionDisabled => "companion-disabled",
} wrapped {
    Self::Site(e) => e.code(),
    Self::Settings(e) => e.code(),
    Self::Progress(e) => e.code(),
    Self::Scope(e) => e.code(),
    Self::Policy(e) => e.code(),
    Self::Bookmark(e) => e.code(),
    Self::Secret(e) => e.code(),
    Self::Doctor(e) => e.code(),
    Self::Link(e) => e.code(),
    Self::Sites(e) => e.code(),
    Self::Change(e) => e.code(),
    Self::Companion(e) => e.code(),
});

impl Error {
    pub fn detail(&self) -> Option<String> {
        match self {
            Error::Site(e) => e.detail(),
            Error::Bookmark(e) => e.detail(),
            Error::Change(e) => Some(e.detail()),
            Error::UnknownGuide(id) => Some(id.clone()),
            Error::UnknownStep { step, .. } => Some(step.clone()),
            Error::Companion(e) => e.detail(),
            _ => None,
        }
    }
}

impl From<OpenError> for Error {
    fn from(error: OpenError) -> Error {
        match error {
            OpenError::Scope(e) => Error::Scope(e),
            OpenError::Bookmark(e) => Error::Bookmark(e),
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let detail = self.detail();
        let mut s = serializer.serialize_struct("Error", 3)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        match &detail {
            Some(detail) => s.serialize_field("detail", detail)?,
            None => s.skip_field("detail")?,
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_code_message_and_detail() {
        let err = Error::from(
            tobira_core::SiteAddress::parse("a.b.cybozu.com", tobira_core::Region::Jp).unwrap_err(),
        );
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "too-many-labels");
        assert_eq!(json["detail"], "a.b.cybozu.com");
        assert!(json["message"].as_str().unwrap().contains("too many parts"));
        let json = serde_json::to_value(Error::from(ScopeError::NoSite)).unwrap();
        assert_eq!(
            json.as_object().unwrap().len(),
            2,
            "no detail key without detail"
        );
    }
}
