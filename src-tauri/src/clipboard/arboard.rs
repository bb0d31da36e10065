//! arboard's clipboard, text only.

use tauri::{AppHandle, Runtime};

pub use arboard::Error as ClipboardError;

pub fn write_text<R: Runtime>(
    _app: &AppHandle<R>,
    text: String,
) -> Result<(), crate::error::Error> {
    arboard::Clipboard::new()?.set_text(text)?;
    Ok(())
}
