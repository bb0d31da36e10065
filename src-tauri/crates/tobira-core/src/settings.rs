//! The user's settings file: TOML in the platform config directory, written
//! atomically with one backup. A file that cannot be read is moved aside under
//! a timestamped name and reported, never silently overwritten.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::audience::Audience;
use crate::bookmarks::UserBookmark;
use crate::language::Language;
use crate::site::{Region, SiteAddress};
pub use crate::toml_file::Recovery;
use crate::toml_file::{FileError, TomlFile};

/// Overrides the config directory (tests, portable installs).
pub const CONFIG_DIR_ENV: &str = "TOBIRA_CONFIG_DIR";
const FILE_NAME: &str = "settings.toml";
const HEADER: &str = "# Tobira settings. Tobira rewrites this file; unknown keys are kept.\n\n";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The user's kintone site, stored as its host.
    #[serde(
        default,
        with = "site_as_host",
        skip_serializing_if = "Option::is_none"
    )]
    pub site: Option<SiteAddress>,
    /// Region for a bare subdomain typed without a domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<Region>,
    /// The window's language; unset follows the OS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Who the user is (orders the walkthroughs); unset until they say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Audience>,
    /// The user's client certificate file (`.pfx`/`.p12`) for secure
    /// access; its password is in the keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<PathBuf>,
    /// Start Tobira when the user logs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autostart: Option<bool>,
    /// Closing the window keeps Tobira in the tray (where there is one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_in_tray: Option<bool>,
    /// The user's own bookmarks, in their order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bookmarks: Vec<UserBookmark>,
    /// Other companies' sites the user is a guest in, each with its
    /// bookmarks (a guest space lives on the inviting company's site).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guest_sites: Vec<GuestSite>,
    /// Keys this version does not know (written by a newer Tobira, or by
    /// hand): kept so that saving never drops them.
    #[serde(flatten)]
    pub other: toml::Table,
}

/// A site the user is a guest in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestSite {
    #[serde(with = "required_site_as_host")]
    pub host: SiteAddress,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bookmarks: Vec<UserBookmark>,
}

mod required_site_as_host {
    use super::*;
    use serde::{de::Error, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(site: &SiteAddress, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&site.host())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SiteAddress, D::Error> {
        let text = String::deserialize(d)?;
        SiteAddress::parse(&text, Region::Jp).map_err(|e| D::Error::custom(format!("host: {e}")))
    }
}

mod site_as_host {
    use super::*;
    use serde::{de::Error, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(site: &Option<SiteAddress>, s: S) -> Result<S::Ok, S::Error> {
        match site {
            Some(site) => s.serialize_str(&site.host()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SiteAddress>, D::Error> {
        let text = String::deserialize(d)?;
        SiteAddress::parse(&text, Region::Jp)
            .map(Some)
            .map_err(|e| D::Error::custom(format!("site: {e}")))
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    #[error("cannot find a configuration folder for this user; set {CONFIG_DIR_ENV} to a folder Tobira may write to")]
    NoConfigDir,
    #[error(transparent)]
    File(#[from] FileError),
}

crate::error_codes!(SettingsError {
    Self::NoConfigDir => "no-config-dir",
    Self::File(FileError::Read { .. }) => "settings-unreadable",
    Self::File(FileError::Write { .. }) => "settings-unwritable",
    Self::File(FileError::MoveAside { .. }) => "settings-damaged",
});

#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub settings: Settings,
    pub recovery: Option<Recovery>,
    /// Bookmarks of the file that are not pages of the site (a hand-edited
    /// file): left out, and said so.
    pub dropped_bookmarks: Vec<crate::bookmarks::UserBookmark>,
}

/// The settings file in one directory.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    file: TomlFile,
}

impl SettingsStore {
    /// The store in `$TOBIRA_CONFIG_DIR`, else the platform config directory
    /// (`~/.config/tobira`, `%APPDATA%\Tobira\config`, `~/Library/Application Support/dev.Tobira.Tobira`).
    pub fn open_default() -> Result<SettingsStore, SettingsError> {
        Ok(SettingsStore::in_dir(config_dir()?))
    }

    pub fn in_dir(dir: impl Into<PathBuf>) -> SettingsStore {
        SettingsStore {
            file: TomlFile::new(dir.into().join(FILE_NAME), HEADER),
        }
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Reads the settings. A missing file gives the defaults. A damaged file
    /// is moved aside and the backup, if it is good, is put back.
    pub fn load(&self) -> Result<Loaded, SettingsError> {
        let (mut settings, recovery): (Settings, _) = self.file.load()?;
        let mut dropped_bookmarks = crate::bookmarks::keep_valid(&mut settings.bookmarks);
        for guest in &mut settings.guest_sites {
            dropped_bookmarks.extend(crate::bookmarks::keep_valid(&mut guest.bookmarks));
        }
        Ok(Loaded {
            settings,
            recovery,
            dropped_bookmarks,
        })
    }

    pub fn save(&self, settings: &Settings) -> Result<(), SettingsError> {
        Ok(self.file.save(settings)?)
    }
}

/// The config directory: `$TOBIRA_CONFIG_DIR` if set, else the platform's.
pub fn config_dir() -> Result<PathBuf, SettingsError> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dev", "Tobira", "Tobira")
        .map(|dirs| dirs.config_dir().to_path_buf())
        .ok_or(SettingsError::NoConfigDir)
}

/// Where Tobira keeps what lasts only for the login session (what the
/// browser companion saw last): `run/` in `$TOBIRA_CONFIG_DIR` if set, else
/// `$XDG_RUNTIME_DIR/tobira` on Linux (a memory folder, gone at logout),
/// else the app's cache folder, where readers ignore entries older than
/// they keep.
pub fn runtime_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("run"));
    }
    let dirs = directories::ProjectDirs::from("dev", "Tobira", "Tobira")?;
    Some(
        dirs.runtime_dir()
            .map_or_else(|| dirs.cache_dir().join("run"), Path::to_path_buf),
    )
}

/// Where the window writes its log: `logs/` in `$TOBIRA_CONFIG_DIR` if set
/// (tests and portable installs keep everything in one folder), else the
/// platform's place for such files (`~/.local/state/tobira/logs` on Linux,
/// the app's cache folder on macOS and Windows).
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("logs"));
    }
    let dirs = directories::ProjectDirs::from("dev", "Tobira", "Tobira")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .join("logs"),
    )
}

/// The window's log file (rotated: older ones sit beside it with a date).
pub fn log_file() -> Option<PathBuf> {
    log_dir().map(|dir| dir.join(format!("{LOG_FILE_STEM}.log")))
}

/// The log file's name without `.log`.
pub const LOG_FILE_STEM: &str = "tobira";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atomic_file;
    use std::fs;

    fn store() -> (tempfile::TempDir, SettingsStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::in_dir(dir.path());
        (dir, store)
    }

    fn example() -> Settings {
        Settings {
            site: Some(SiteAddress::parse("example.s.cybozu.com", Region::Jp).unwrap()),
            default_region: Some(Region::Us),
            language: Some(Language::Ja),
            role: Some(Audience::Guest),
            client_certificate: Some(PathBuf::from("/home/u/cert.p12")),
            autostart: None,
            keep_in_tray: None,
            bookmarks: vec![UserBookmark {
                name: "Daily report".into(),
                path: "/k/12/".into(),
            }],
            guest_sites: vec![GuestSite {
                host: SiteAddress::parse("partner.kintone.com", Region::Jp).unwrap(),
                bookmarks: vec![UserBookmark {
                    name: "Joint project".into(),
                    path: "/k/guest/7/".into(),
                }],
            }],
            other: toml::Table::new(),
        }
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn missing_file_gives_defaults() {
        let (_dir, store) = store();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.recovery, None);
    }

    #[test]
    fn saves_and_loads_back() {
        let (_dir, store) = store();
        store.save(&example()).unwrap();
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("site = \"example.s.cybozu.com\""), "{text}");
        assert!(text.contains("default_region = \"us\""), "{text}");
        assert_eq!(store.load().unwrap().settings, example());
    }

    #[test]
    fn keeps_one_backup_of_the_previous_version() {
        let (dir, store) = store();
        store.save(&Settings::default()).unwrap();
        store.save(&example()).unwrap();
        let backup = fs::read_to_string(atomic_file::backup_path(store.path())).unwrap();
        assert!(
            !backup.contains("site"),
            "the backup holds the previous version"
        );
        assert_eq!(files_in(dir.path()), ["settings.toml", "settings.toml.bak"]);
    }

    #[test]
    fn keeps_keys_it_does_not_know() {
        let (_dir, store) = store();
        fs::write(
            store.path(),
            "site = \"example.cybozu.com\"\nfuture_key = 3\n[future_table]\nx = \"y\"\n",
        )
        .unwrap();
        let mut settings = store.load().unwrap().settings;
        settings.default_region = Some(Region::Cn);
        store.save(&settings).unwrap();
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("future_key = 3"), "{text}");
        assert!(text.contains("[future_table]"), "{text}");
        assert!(text.contains("default_region = \"cn\""), "{text}");
    }

    #[test]
    fn a_damaged_file_is_moved_aside_not_overwritten() {
        let (dir, store) = store();
        let damaged = "site = \"example.cybozu.com\"\ndefault_region = [oops\n";
        fs::write(store.path(), damaged).unwrap();
        let loaded = store.load().unwrap();
        let recovery = loaded.recovery.expect("the damage is reported");
        assert_eq!(loaded.settings, Settings::default());
        assert!(!recovery.restored_backup);
        assert!(
            recovery.problem.starts_with("line 2, column"),
            "{}",
            recovery.problem
        );
        let moved_name = recovery
            .moved_to
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            moved_name.starts_with("settings.corrupt-20"),
            "{moved_name}"
        );
        assert!(moved_name.ends_with("Z.toml"), "{moved_name}");
        assert_eq!(fs::read_to_string(&recovery.moved_to).unwrap(), damaged);
        assert!(!store.path().exists());
        // Saving afterwards does not touch the moved file.
        store.save(&example()).unwrap();
        assert_eq!(fs::read_to_string(&recovery.moved_to).unwrap(), damaged);
        assert_eq!(files_in(dir.path()).len(), 2, "{:?}", files_in(dir.path()));
    }

    #[test]
    fn a_damaged_file_is_replaced_by_a_good_backup() {
        let (_dir, store) = store();
        store.save(&example()).unwrap();
        store.save(&example()).unwrap();
        fs::write(store.path(), b"\xff\xfe not text").unwrap();
        let loaded = store.load().unwrap();
        let recovery = loaded.recovery.unwrap();
        assert!(recovery.restored_backup);
        assert!(
            recovery.problem.contains("not UTF-8"),
            "{}",
            recovery.problem
        );
        assert_eq!(loaded.settings, example());
        assert_eq!(
            store.load().unwrap().recovery,
            None,
            "the restored file is good"
        );
    }

    #[test]
    fn an_invalid_site_counts_as_damage() {
        let (_dir, store) = store();
        fs::write(store.path(), "site = \"https://x.cybozu.com@evil.test/\"\n").unwrap();
        let recovery = store.load().unwrap().recovery.unwrap();
        assert!(recovery.problem.contains("site:"), "{}", recovery.problem);
    }

    #[test]
    fn two_recoveries_in_one_second_get_different_names() {
        let (_dir, store) = store();
        fs::write(store.path(), "=").unwrap();
        let first = store.load().unwrap().recovery.unwrap().moved_to;
        fs::write(store.path(), "==").unwrap();
        let second = store.load().unwrap().recovery.unwrap().moved_to;
        assert_ne!(first, second);
        assert_eq!(fs::read_to_string(first).unwrap(), "=");
        assert_eq!(fs::read_to_string(second).unwrap(), "==");
    }
}
