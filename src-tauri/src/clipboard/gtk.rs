//! GTK's clipboard, on the main thread where GTK lives.

use tauri::{AppHandle, Runtime};

/// The window has no display to hold the clipboard.
#[derive(Debug, thiserror::Error)]
#[error("no display holds a clipboard")]
pub struct ClipboardError;

pub fn write_text<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<(), crate::error::Error> {
    let (done, result) = std::sync::mpsc::sync_channel(1);
    app.run_on_main_thread(move || {
        let written = gtk::gdk::Display::default()
            .and_then(|display| gtk::Clipboard::default(&display))
            .map(|clipboard| {
                clipboard.set_text(&text);
                // Asks a clipboard manager to keep the text after Tobira quits.
                clipboard.store();
            })
            .ok_or(ClipboardError);
        let _ = done.send(written);
    })?;
    result.recv().unwrap_or(Err(ClipboardError))?;
    Ok(())
}
