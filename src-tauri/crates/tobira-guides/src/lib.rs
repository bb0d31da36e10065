//! Tobira's guide files: Markdown with `+++` TOML front matter in three
//! kinds (flow, cause, assistant), loaded from a search path (bundled <
//! organisation < user), checked by the linter, rendered safely.

pub mod body;
pub mod citation;
pub mod front_matter;
pub mod guide;
pub mod lexicon;
pub mod library;
pub mod lint;
pub mod matcher;
pub mod pages;
mod problem;
pub mod render;
pub mod text;
pub mod triage;
pub mod view;
pub mod watch;

pub use front_matter::{Fixer, Kind};
pub use guide::{Guide, CAUSE_IDS};
pub use library::{Library, Location, Source};
pub use problem::Problem;
pub use render::{render, RenderContext};
pub use tobira_core::Audience;
