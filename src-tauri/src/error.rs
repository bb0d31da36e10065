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
    Clipboard(#[from] tauri_plugin_clipboard_manager::Error),
}

impl Error {
    /// The codes only the window reports (the session's are in
    /// `tobira_session::Error::CODES`).
    pub const CODES: &'static [&'static str] =
        &["window-failed", "opener-failed", "clipboard-unavailable"];

    pub fn code(&self) -> &'static str {
        match self {
            Error::Session(e) => e.code(),
            Error::Window(_) => "window-failed",
            Error::Opener(_) => "opener-failed",
            Error::Clipboard(_) => "clipboard-unavailable",
        }
    }
}

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
