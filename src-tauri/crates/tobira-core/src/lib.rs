//! Tobira's logic, free of any GUI: the site address parser, the settings
//! file and the organisation's policy, bookmarks and their export formats,
//! atomic file writes and the one allowlist that decides what may be opened
//! in the browser. The CLI and the Tauri commands only call into here.

pub mod atomic_file;
pub mod audience;
pub mod bookmarks;
pub mod deep_link;
mod error_codes;
pub mod export;
pub mod language;
pub mod page;
pub mod policy;
pub mod position;
pub mod profile;
pub mod progress;
pub mod redact;
pub mod scope;
pub mod settings;
pub mod site;
pub mod sites;
pub mod toml_file;

pub use audience::Audience;
pub use language::Language;
pub use policy::{EffectiveSettings, Policy, PolicyError};
pub use profile::Profile;
pub use scope::{OpenScope, ScopeError};
pub use settings::{Recovery, Settings, SettingsError, SettingsStore};
pub use site::{Region, SiteAddress, SiteError};
