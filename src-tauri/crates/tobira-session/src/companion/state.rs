//! What the companion leaves for others to read: when the extension last
//! connected (`companion.toml` in the config folder, for
//! `tobira companion status`), and what it saw last (`companion-seen.json`
//! in the runtime folder, for the window's "Tobira saw …"). Neither holds
//! an address, a path or a page's text beyond a known error message.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use tobira_core::page::PageKind;
use tobira_core::toml_file::{FileError, TomlFile};

use crate::walkthroughs::Completed;

const CONNECTION_FILE: &str = "companion.toml";
const CONNECTION_HEADER: &str =
    "# When Tobira's browser companion last connected. Tobira rewrites this file.\n\n";
const SEEN_FILE: &str = "companion-seen.json";
/// How recent the extension's last connection must be for the window to
/// promise that steps complete themselves.
pub const IN_USE_WITHIN: Duration = Duration::from_secs(14 * 24 * 3600);
/// How long what the browser showed is offered: long enough to switch to
/// Tobira, short enough that an old error is not offered tomorrow.
pub const SEEN_KEPT: Duration = Duration::from_secs(15 * 60);

/// The extension's last connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Connection {
    /// RFC 3339, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_connected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_version: Option<String>,
    /// chromium or firefox, as the extension says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// Keys of a newer Tobira, kept when saving.
    #[serde(flatten)]
    pub other: toml::Table,
}

pub struct ConnectionStore {
    file: TomlFile,
}

impl ConnectionStore {
    pub fn in_dir(dir: &Path) -> ConnectionStore {
        ConnectionStore {
            file: TomlFile::new(dir.join(CONNECTION_FILE), CONNECTION_HEADER),
        }
    }

    pub fn load(&self) -> Result<Connection, FileError> {
        Ok(self.file.load()?.0)
    }

    pub fn save(&self, connection: &Connection) -> Result<(), FileError> {
        self.file.save(connection)
    }
}

/// An error message the browser showed on one of the user's sites,
/// offered to the assistant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Offer {
    pub text: String,
    /// The causes it points to, most likely first (may be empty).
    pub causes: Vec<String>,
}

/// The last page of the user's sites the browser showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LastSeen {
    /// Seconds since 1970, to expire it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at: u64,
    pub site: String,
    pub page: PageKind,
    pub offer: Option<Offer>,
    /// Steps this page completed.
    pub completed: Vec<Completed>,
}

/// `companion-seen.json` in a runtime folder.
#[derive(Debug, Clone)]
pub struct SeenStore {
    path: PathBuf,
}

fn seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl SeenStore {
    pub fn in_dir(dir: &Path) -> SeenStore {
        SeenStore {
            path: dir.join(SEEN_FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn save(&self, seen: &LastSeen) -> std::io::Result<()> {
        let json = serde_json::to_vec(seen).map_err(std::io::Error::other)?;
        tobira_core::atomic_file::write(&self.path, &json, false)
    }

    /// What was seen, unless it is older than [`SEEN_KEPT`] at `now` (then
    /// the file is removed) or the file is missing or unreadable: it only
    /// ever holds a hint.
    pub fn load(&self, now: SystemTime) -> Option<LastSeen> {
        let seen: LastSeen = serde_json::from_slice(&std::fs::read(&self.path).ok()?).ok()?;
        if seconds(now).saturating_sub(seen.at) > SEEN_KEPT.as_secs() {
            self.clear();
            return None;
        }
        Some(seen)
    }

    /// Forgets it (the user dismissed the offer, or the host is leaving).
    pub fn clear(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Now, as [`LastSeen::at`] counts.
pub fn now_seconds() -> u64 {
    seconds(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_seen_expires() {
        let dir = tempfile::tempdir().unwrap();
        let store = SeenStore::in_dir(dir.path());
        let now = SystemTime::now();
        assert_eq!(store.load(now), None);
        let seen = LastSeen {
            at: seconds(now),
            site: "example.cybozu.com".into(),
            page: PageKind::Error,
            offer: Some(Offer {
                text: "不正なリクエストです。".into(),
                causes: vec!["maintenance".into()],
            }),
            completed: Vec::new(),
        };
        store.save(&seen).unwrap();
        assert_eq!(store.load(now), Some(seen.clone()));
        assert_eq!(store.load(now + SEEN_KEPT + Duration::from_secs(1)), None);
        assert!(!store.path().exists(), "an expired offer is removed");
        std::fs::write(store.path(), "{").unwrap();
        assert_eq!(store.load(now), None);
        store.clear();
        assert!(!store.path().exists());
    }

    #[test]
    fn the_connection_keeps_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConnectionStore::in_dir(dir.path());
        assert_eq!(store.load().unwrap(), Connection::default());
        std::fs::write(dir.path().join(CONNECTION_FILE), "future = 1\n").unwrap();
        let mut connection = store.load().unwrap();
        connection.browser = Some("chromium".into());
        store.save(&connection).unwrap();
        let again = store.load().unwrap();
        assert_eq!(again.browser.as_deref(), Some("chromium"));
        assert!(again.other.contains_key("future"));
    }
}
