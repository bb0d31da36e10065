//! Puts text on the system clipboard from Rust: WebKitGTK refuses the web
//! clipboard. One file per platform: Linux uses GTK's own clipboard, which
//! the window links anyway (X11 and Wayland alike); Windows and macOS use
//! arboard for text only.

#[cfg_attr(target_os = "linux", path = "clipboard/gtk.rs")]
#[cfg_attr(not(target_os = "linux"), path = "clipboard/arboard.rs")]
mod platform;

pub use platform::{write_text, ClipboardError};
