//! What a window command reports: the session's errors, and what only a
//! window can fail at. Serialised like the session's errors, as
//! `{"code": "…", "message": "…", "detail": "…"}`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Session(#[from] tobira_session::Error),
    #[error("the window could not be shown: {0}")]
    Window(#[from] tauri::Error),
    #[error("could not open the browser: {0}; open the address yourself")]
    Opener(#[from] tauri_plugin_opener::Error),
    #[error(
        "this desktop has no clipboard Tobira can use ({0}); select the text and copy it yourself"
    )]
    Clipboard(#[from] crate::clipboard::ClipboardError),
}

tobira_core::error_codes!(Error {
    Self::Window(_) => "window-failed",
    Self::Opener(_) => "opener-failed",
    Self::Clipboard(_) => "clipboard-unavailable",
} wrapped {
    Self::Session(e) => e.code(),
});

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Error::Session(e) = self {
            return e.serialize(serializer);
        }
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The session's codes are checked in `tobira-session`; these are the
    /// window's own.
    #[test]
    fn every_window_code_has_a_message_in_both_languages() {
        assert_eq!(
            tobira_i18n::missing_error_messages(Error::CODES),
            Vec::<String>::new()
        );
    }
}
