//! The two languages Tobira speaks.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ja,
    En,
}

impl Language {
    /// Japanese for a `ja…` locale (`ja-JP`, `ja_JP.UTF-8`), English otherwise.
    pub fn from_locale(locale: Option<&str>) -> Language {
        match locale {
            Some(locale) if locale.to_ascii_lowercase().starts_with("ja") => Language::Ja,
            _ => Language::En,
        }
    }

    /// The language a guide falls back to.
    pub fn other(self) -> Language {
        match self {
            Language::Ja => Language::En,
            Language::En => Language::Ja,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ja => "ja",
            Language::En => "en",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
