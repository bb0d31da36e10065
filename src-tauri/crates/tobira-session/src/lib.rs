//! The session layer: every decision the window and the CLI make about one
//! user's Tobira, with no window in sight. The window's state wraps a
//! [`Session`]; each CLI verb opens one. Nothing here names a Tauri type.

pub mod companion;
pub mod doctor;
pub mod error;
pub mod guides;
pub mod report;
pub mod session;
pub mod walkthroughs;

pub use error::Error;
pub use session::{AppView, Removed, Session, StartupNotice};

/// The OS's language, for whoever has no setting (the window and the CLI).
pub fn os_language() -> tobira_core::Language {
    tobira_core::Language::from_locale(sys_locale::get_locale().as_deref())
}
