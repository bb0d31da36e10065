//! The window. Wires the core crates into Tauri; all decisions are made in
//! `tobira-core`.

use std::process::ExitCode;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use tobira_core::scope::SitePage;
use tobira_core::{
    OpenScope, Recovery, ScopeError, Settings, SettingsError, SettingsStore, SiteAddress,
};

use crate::commands;
use crate::error::Error;

/// With `TOBIRA_EXIT_WHEN_READY=1` the app exits as soon as the first screen
/// is drawn (the startup benchmark and smoke tests use it).
pub const EXIT_WHEN_READY_ENV: &str = "TOBIRA_EXIT_WHEN_READY";

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ja,
    En,
}

impl Language {
    /// Japanese when the OS prefers it, English otherwise.
    fn from_os() -> Language {
        match sys_locale::get_locale() {
            Some(locale) if locale.to_ascii_lowercase().starts_with("ja") => Language::Ja,
            _ => Language::En,
        }
    }
}

/// Something the user should hear about at start.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StartupNotice {
    /// The settings file was damaged and moved aside.
    SettingsRecovered(Recovery),
    /// The settings could not be read at all; defaults are in use.
    SettingsUnavailable { code: &'static str, message: String },
}

/// What the UI needs to draw its first screen.
#[derive(Debug, Serialize)]
pub struct AppView {
    site: Option<SiteAddress>,
    /// The domain a bare subdomain gets, for the Setup screen's examples.
    default_domain: &'static str,
    language: Language,
    notice: Option<StartupNotice>,
}

pub struct AppState {
    /// None when the platform has no config directory for this user.
    store: Option<SettingsStore>,
    settings: Mutex<Settings>,
    notice: Option<StartupNotice>,
    language: Language,
}

impl AppState {
    fn load() -> AppState {
        AppState::from_store(SettingsStore::open_default())
    }

    fn from_store(store: Result<SettingsStore, SettingsError>) -> AppState {
        let (store, loaded) = match store {
            Ok(store) => {
                let loaded = store.load();
                (Some(store), loaded)
            }
            Err(e) => (None, Err(e)),
        };
        let (settings, notice) = match loaded {
            Ok(loaded) => (
                loaded.settings,
                loaded.recovery.map(StartupNotice::SettingsRecovered),
            ),
            Err(e) => (
                Settings::default(),
                Some(StartupNotice::SettingsUnavailable {
                    code: e.code(),
                    message: e.to_string(),
                }),
            ),
        };
        AppState {
            store,
            settings: Mutex::new(settings),
            notice,
            language: Language::from_os(),
        }
    }

    fn settings(&self) -> MutexGuard<'_, Settings> {
        // A panic while holding the lock cannot leave Settings half-written
        // (every change is one assignment), so a poisoned lock is still good.
        self.settings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn view(&self) -> AppView {
        let settings = self.settings();
        AppView {
            site: settings.site.clone(),
            default_domain: settings.default_region().domain(),
            language: self.language,
            notice: self.notice.clone(),
        }
    }

    pub fn check_site(&self, input: &str) -> Result<SiteAddress, Error> {
        let region = self.settings().default_region();
        Ok(SiteAddress::parse(input, region)?)
    }

    /// Saves the site. The in-memory settings change only once the file is
    /// safely written.
    pub fn save_site(&self, input: &str) -> Result<SiteAddress, Error> {
        let site = self.check_site(input)?;
        let mut settings = self.settings();
        let mut updated = settings.clone();
        updated.site = Some(site.clone());
        let store = self.store.as_ref().ok_or(SettingsError::NoConfigDir)?;
        // An unreadable settings file is not replaced: the write fails while
        // trying to back it up, and the user is told.
        store.save(&updated)?;
        *settings = updated;
        Ok(site)
    }

    /// The URL of a page of the user's site, after the allowlist agreed.
    pub fn page_url(&self, page: SitePage) -> Result<String, Error> {
        let settings = self.settings();
        let site = settings.site.as_ref().ok_or(ScopeError::NoSite)?;
        let url = OpenScope::new(Some(site)).check(&page.url(site))?;
        Ok(url.to_string())
    }
}

pub fn run() -> ExitCode {
    if let Some(problem) = missing_display() {
        eprintln!("tobira: {problem}");
        return ExitCode::from(2);
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::load())
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::check_site,
            commands::save_site,
            commands::open_site_page,
            commands::ready,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tobira: the window could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

/// GTK panics without a display; say so plainly instead.
#[cfg(all(unix, not(target_os = "macos")))]
fn missing_display() -> Option<&'static str> {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY")).then_some(
        "no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open; \
         run it inside a desktop session, or use a verb such as `tobira site example` (see `tobira --help`)",
    )
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn missing_display() -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_in(dir: &std::path::Path) -> AppState {
        AppState::from_store(Ok(SettingsStore::in_dir(dir)))
    }

    #[test]
    fn saves_the_site_and_shows_it() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        assert!(state.view().site.is_none());
        let site = state.save_site("ｅｘａｍｐｌｅ").unwrap();
        assert_eq!(site.host(), "example.cybozu.com");
        assert_eq!(state.view().site, Some(site));
        assert_eq!(
            state_in(dir.path()).view().site.map(|s| s.host()),
            Some("example.cybozu.com".to_owned()),
            "a new start reads it back"
        );
    }

    #[test]
    fn a_failed_save_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_dir = dir.path().join("file");
        std::fs::write(&not_a_dir, "").unwrap();
        let state = state_in(&not_a_dir);
        let err = state.save_site("example").unwrap_err();
        assert_eq!(err.code(), "settings-unwritable");
        assert!(state.view().site.is_none());
        assert!(state.save_site("a.b.cybozu.com").is_err());
    }

    #[test]
    fn opens_only_pages_of_the_saved_site() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        assert_eq!(
            state.page_url(SitePage::Portal).unwrap_err().code(),
            "no-site"
        );
        state
            .save_site("https://example.s.cybozu.cn/k/#/space/1")
            .unwrap();
        assert_eq!(
            state.page_url(SitePage::Portal).unwrap(),
            "https://example.s.cybozu.cn/k/"
        );
        assert_eq!(
            state.page_url(SitePage::Login).unwrap(),
            "https://example.s.cybozu.cn/"
        );
    }

    #[test]
    fn a_damaged_file_becomes_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.toml"), "site = [").unwrap();
        let view = state_in(dir.path()).view();
        assert!(matches!(
            view.notice,
            Some(StartupNotice::SettingsRecovered(_))
        ));
        assert!(view.site.is_none());
    }

    #[test]
    fn no_config_dir_is_a_notice_and_saving_says_why() {
        let state = AppState::from_store(Err(SettingsError::NoConfigDir));
        let view = state.view();
        assert!(matches!(
            view.notice,
            Some(StartupNotice::SettingsUnavailable {
                code: "no-config-dir",
                ..
            })
        ));
        assert_eq!(
            state.save_site("example").unwrap_err().code(),
            "no-config-dir"
        );
    }
}
