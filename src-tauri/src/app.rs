//! The window. Wires the core crates into Tauri; all decisions are made in
//! `tobira-core`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Mutex, MutexGuard, OnceLock};

use tauri::{Emitter, Manager};

use serde::{Deserialize, Serialize};
use tobira_core::bookmarks::{self, ResolvedBookmark, UserBookmark};
use tobira_core::deep_link::{self, DeepLink};
use tobira_core::export::{self, ExportFormat};
use tobira_core::policy::{self, EffectiveSettings};
use tobira_core::progress::ProgressStore;
use tobira_core::{
    Audience, Language, PolicyError, Profile, Recovery, Region, ScopeError, Settings,
    SettingsError, SettingsStore, SiteAddress,
};
use tobira_guides::matcher::Outcome;
use tobira_guides::view::{AssistantView, CauseView, FlowView};
use tobira_secrets::{SecretKind, SecretsStatus};

use crate::commands;
use crate::desktop;
use crate::doctor;
use crate::error::Error;
use crate::guides;
use crate::navigation;
use crate::overlay;
use crate::report::{AssistantContext, SupportReport};
use crate::walkthroughs::{FlowList, ProgressChange, Walkthroughs};

/// With `TOBIRA_EXIT_WHEN_READY=1` the app exits as soon as the first screen
/// is drawn (the startup benchmark and smoke tests use it).
pub const EXIT_WHEN_READY_ENV: &str = "TOBIRA_EXIT_WHEN_READY";

/// The window's "Run checks" probes this instead of the user's site; it
/// takes what `tobira doctor --base-url` takes (the end-to-end tests point
/// it at a fake site on 127.0.0.1).
pub const DOCTOR_BASE_URL_ENV: &str = "TOBIRA_DOCTOR_BASE_URL";

/// Something the user should hear about at start.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StartupNotice {
    /// The settings file was damaged and moved aside.
    SettingsRecovered(Recovery),
    /// The settings could not be read at all; defaults are in use.
    SettingsUnavailable { code: &'static str, message: String },
    /// The organisation's policy file exists but could not be read.
    PolicyUnreadable { path: PathBuf, message: String },
    /// Some values of the policy were dropped; the others apply.
    PolicyProblems { path: PathBuf, message: String },
    /// Users who are not administrators can change the policy file.
    PolicyWritable { path: PathBuf },
    /// Bookmarks in the settings file that are not pages of the site.
    BookmarksDropped { count: usize },
    /// The walkthrough progress file was damaged and moved aside.
    ProgressRecovered(Recovery),
}

/// What the UI needs to draw its screens.
#[derive(Debug, Serialize)]
pub struct AppView {
    pub site: Option<SiteAddress>,
    /// Sites of other companies the user is a guest in.
    pub guest_sites: Vec<SiteAddress>,
    /// The domain a bare subdomain gets, for the Setup screen's examples.
    default_domain: &'static str,
    pub language: Language,
    notices: Vec<StartupNotice>,
    /// Every setting with its source, for the Settings screen.
    pub settings: EffectiveSettings,
    pub bookmarks: Vec<ResolvedBookmark>,
    /// Who the user said they are (orders the walkthroughs).
    role: Option<Audience>,
    /// The client certificate file the doctor checks.
    client_certificate: Option<PathBuf>,
}

/// A change the Settings screen asks for; `None` resets to the
/// organisation's recommendation (or the built-in default).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "key", content = "value", rename_all = "snake_case")]
pub enum SettingChange {
    Language(Option<Language>),
    DefaultRegion(Option<Region>),
    Role(Option<Audience>),
    /// The `.pfx`/`.p12` file for secure access (None forgets it).
    ClientCertificate(Option<String>),
    /// Start Tobira when the user logs in.
    Autostart(Option<bool>),
    /// Closing the window keeps Tobira in the tray.
    KeepInTray(Option<bool>),
}

/// Called after the settings or the progress changed (the tray menu and
/// the login item follow them).
type ChangeHook = Box<dyn Fn() + Send + Sync>;

pub struct AppState {
    /// None when the platform has no config directory for this user.
    store: Option<SettingsStore>,
    profile: Mutex<Profile>,
    notices: Vec<StartupNotice>,
    os_language: Language,
    pub walkthroughs: Walkthroughs,
    /// The doctor's last run, for the support report.
    last_checks: Mutex<Option<tobira_doctor::Report>>,
    /// A `tobira://` link (or tray choice) the window has not taken yet.
    pending_link: Mutex<Option<Result<DeepLink, Error>>>,
    on_change: OnceLock<ChangeHook>,
}

impl AppState {
    fn load() -> AppState {
        AppState::from_store(SettingsStore::open_default(), &policy::policy_path())
    }

    fn from_store(
        store: Result<SettingsStore, SettingsError>,
        policy_path: &std::path::Path,
    ) -> AppState {
        let (store, loaded) = match store {
            Ok(store) => {
                let loaded = store.load();
                (Some(store), loaded)
            }
            Err(e) => (None, Err(e)),
        };
        let mut notices = Vec::new();
        let settings = match loaded {
            Ok(loaded) => {
                notices.extend(loaded.recovery.map(StartupNotice::SettingsRecovered));
                if !loaded.dropped_bookmarks.is_empty() {
                    notices.push(StartupNotice::BookmarksDropped {
                        count: loaded.dropped_bookmarks.len(),
                    });
                }
                loaded.settings
            }
            Err(e) => {
                notices.push(StartupNotice::SettingsUnavailable {
                    code: e.code(),
                    message: e.to_string(),
                });
                Settings::default()
            }
        };
        let profile = Profile::new(settings, policy_path);
        let config_dir = store
            .as_ref()
            .and_then(|s| s.path().parent())
            .map(std::path::Path::to_path_buf);
        if let Some(dir) = &config_dir {
            // The user's guide folder: it must exist to be watched, and its
            // presence shows where guides can be dropped.
            let _ = std::fs::create_dir_all(dir.join("guides"));
        }
        let walkthroughs = Walkthroughs::load(
            guides::search_path(&profile, config_dir.as_deref()),
            config_dir.as_ref().map(ProgressStore::in_dir),
        );
        notices.extend(
            walkthroughs
                .recovery
                .clone()
                .map(StartupNotice::ProgressRecovered),
        );
        notices.extend(profile.policy_problem.as_ref().map(|e| {
            let (path, message) = (e.path().to_owned(), e.to_string());
            match e {
                PolicyError::Invalid { .. } => StartupNotice::PolicyProblems { path, message },
                _ => StartupNotice::PolicyUnreadable { path, message },
            }
        }));
        if profile.policy_writable_by_others {
            notices.push(StartupNotice::PolicyWritable {
                path: profile.policy_path.clone(),
            });
        }
        AppState {
            store,
            profile: Mutex::new(profile),
            notices,
            os_language: Language::from_locale(sys_locale::get_locale().as_deref()),
            walkthroughs,
            last_checks: Mutex::new(None),
            pending_link: Mutex::new(None),
            on_change: OnceLock::new(),
        }
    }

    /// Sets what runs after every change (once, at start).
    pub fn on_change(&self, hook: ChangeHook) {
        let _ = self.on_change.set(hook);
    }

    fn changed(&self) {
        if let Some(hook) = self.on_change.get() {
            hook();
        }
    }

    fn profile(&self) -> MutexGuard<'_, Profile> {
        // A panic while holding the lock cannot leave the profile
        // half-written (every change is one assignment), so a poisoned lock
        // is still good.
        self.profile
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn view(&self) -> AppView {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        AppView {
            site: profile.site().cloned(),
            guest_sites: profile
                .guest_sites()
                .iter()
                .map(|g| g.host.clone())
                .collect(),
            default_domain: profile.default_region().domain(),
            language,
            notices: self.notices.clone(),
            settings: profile.effective().clone(),
            bookmarks: profile.bookmarks(language),
            role: profile.settings().role,
            client_certificate: profile.settings().client_certificate.clone(),
        }
    }

    /// Applies `change` to a copy of the settings, saves it, and only then
    /// makes it the settings in force.
    fn modify<T>(
        &self,
        change: impl FnOnce(&Profile, &mut Settings) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut profile = self.profile();
        let mut updated = profile.settings().clone();
        let result = change(&profile, &mut updated)?;
        let store = self.store.as_ref().ok_or(SettingsError::NoConfigDir)?;
        // An unreadable settings file is not replaced: the write fails while
        // trying to back it up, and the user is told.
        store.save(&updated)?;
        profile.set_settings(updated);
        drop(profile);
        self.changed();
        Ok(result)
    }

    pub fn check_site(&self, input: &str) -> Result<SiteAddress, Error> {
        let region = self.profile().default_region();
        Ok(SiteAddress::parse(input, region)?)
    }

    pub fn save_site(&self, input: &str) -> Result<SiteAddress, Error> {
        let site = self.check_site(input)?;
        self.modify(|profile, settings| {
            if profile.effective().site.is_locked() {
                return Err(Error::Locked("site"));
            }
            settings.site = Some(site.clone());
            Ok(site)
        })
    }

    pub fn change_setting(&self, change: SettingChange) -> Result<AppView, Error> {
        self.modify(|profile, settings| {
            let effective = profile.effective();
            // What the organisation locked stays as it is.
            let locked = match &change {
                SettingChange::Language(_) => effective.language.is_locked().then_some("language"),
                SettingChange::DefaultRegion(_) => effective
                    .default_region
                    .is_locked()
                    .then_some("default_region"),
                SettingChange::Autostart(_) => {
                    effective.autostart.is_locked().then_some("autostart")
                }
                SettingChange::KeepInTray(_) => {
                    effective.keep_in_tray.is_locked().then_some("keep_in_tray")
                }
                SettingChange::Role(_) | SettingChange::ClientCertificate(_) => None,
            };
            if let Some(setting) = locked {
                return Err(Error::Locked(setting));
            }
            match change {
                SettingChange::Language(value) => settings.language = value,
                SettingChange::DefaultRegion(value) => settings.default_region = value,
                SettingChange::Role(value) => settings.role = value,
                SettingChange::ClientCertificate(path) => {
                    settings.client_certificate =
                        path.as_deref().map(certificate_file).transpose()?
                }
                SettingChange::Autostart(value) => settings.autostart = value,
                SettingChange::KeepInTray(value) => settings.keep_in_tray = value,
            }
            Ok(())
        })?;
        Ok(self.view())
    }

    /// A page of any of the user's sites, kept with that site.
    pub fn add_bookmark(&self, input: &str, name: Option<&str>) -> Result<AppView, Error> {
        self.modify(|profile, settings| {
            if profile.sites().is_empty() {
                return Err(ScopeError::NoSite.into());
            }
            let language = profile.language(self.os_language);
            Ok(tobira_core::sites::add_bookmark(
                settings,
                profile.site(),
                input,
                name,
                language,
            )?)
        })?;
        Ok(self.view())
    }

    /// Adds the site of a guest-space or invitation link (or an address).
    pub fn add_guest_site(&self, input: &str) -> Result<AppView, Error> {
        self.modify(|profile, settings| {
            let allowed = profile.effective().allow_guest_sites.value;
            tobira_core::sites::add_guest(settings, input, profile.default_region(), allowed)?;
            Ok(())
        })?;
        Ok(self.view())
    }

    pub fn remove_guest_site(&self, host: &str) -> Result<AppView, Error> {
        self.modify(|_, settings| {
            tobira_core::sites::remove_guest(settings, host)?;
            Ok(())
        })?;
        Ok(self.view())
    }

    pub fn rename_bookmark(&self, index: usize, name: &str) -> Result<AppView, Error> {
        self.modify(|_, settings| Ok(bookmarks::rename(&mut settings.bookmarks, index, name)?))?;
        Ok(self.view())
    }

    pub fn move_bookmark(&self, from: usize, to: usize) -> Result<AppView, Error> {
        self.modify(|_, settings| Ok(bookmarks::move_to(&mut settings.bookmarks, from, to)?))?;
        Ok(self.view())
    }

    /// Removes a user bookmark and hands it back so the window can undo.
    pub fn remove_bookmark(&self, index: usize) -> Result<Removed, Error> {
        let bookmark =
            self.modify(|_, settings| Ok(bookmarks::remove(&mut settings.bookmarks, index)?))?;
        Ok(Removed {
            index,
            bookmark,
            view: self.view(),
        })
    }

    pub fn restore_bookmark(&self, index: usize, bookmark: UserBookmark) -> Result<AppView, Error> {
        self.modify(|profile, settings| {
            // Only what `add` would accept may come back in.
            let site = profile.site().ok_or(ScopeError::NoSite)?;
            let path = bookmarks::path_on_site(&bookmark.path, site)?;
            let name = bookmarks::clean_name(&bookmark.name)?;
            bookmarks::restore(&mut settings.bookmarks, index, UserBookmark { name, path });
            Ok(())
        })?;
        Ok(self.view())
    }

    /// The URL of a bookmark (by id or name), after the allowlist agreed.
    pub fn bookmark_url(&self, wanted: &str) -> Result<String, Error> {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        Ok(profile.open_target(wanted, language)?.to_string())
    }

    /// Writes the bookmarks (or the portal shortcut) to `dir` and returns the path.
    pub fn export(&self, format: ExportFormat, dir: &std::path::Path) -> Result<PathBuf, Error> {
        let view = self.view();
        let site = view.site.as_ref().ok_or(ScopeError::NoSite)?;
        let contents = export_contents(format, site, &view.bookmarks)?;
        let path = dir.join(format!(
            "kintone-{}.{}",
            site.subdomain(),
            format.extension()
        ));
        tobira_core::atomic_file::write(&path, contents.as_bytes(), false).map_err(|source| {
            Error::Export {
                path: path.clone(),
                source,
            }
        })?;
        Ok(path)
    }

    pub fn portal_qr_svg(&self) -> Result<String, Error> {
        let profile = self.profile();
        let site = profile.site().ok_or(ScopeError::NoSite)?;
        export_contents(ExportFormat::QrSvg, site, &[])
    }

    pub fn flows(&self) -> FlowList {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        self.walkthroughs.flows(&profile, language)
    }

    pub fn flow(&self, id: &str) -> Result<FlowView, Error> {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        self.walkthroughs.flow(&profile, language, id)
    }

    pub fn change_progress(&self, id: &str, change: ProgressChange) -> Result<FlowView, Error> {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        let flow = self.walkthroughs.change(&profile, language, id, change)?;
        drop(profile);
        self.changed();
        Ok(flow)
    }

    /// Reads a `tobira://` link and keeps it (or why it was refused) for
    /// the window. A site link is refused here when the policy locks the
    /// site; a flow or cause must exist in the user's guides.
    pub fn receive_link(&self, raw: &str) {
        self.keep_link(self.check_link(raw));
    }

    fn keep_link(&self, link: Result<DeepLink, Error>) {
        *self.pending_link.lock().unwrap_or_else(|p| p.into_inner()) = Some(link);
    }

    fn check_link(&self, raw: &str) -> Result<DeepLink, Error> {
        let profile = self.profile();
        let link = deep_link::parse(raw, profile.default_region())?;
        let language = profile.language(self.os_language);
        match &link {
            DeepLink::Site { .. } if profile.effective().site.is_locked() => {
                return Err(Error::Locked("site"))
            }
            DeepLink::Flow { id } => {
                self.walkthroughs.flow(&profile, language, id)?;
            }
            DeepLink::Cause { id } if self.walkthroughs.cause(&profile, language, id).is_none() => {
                return Err(Error::UnknownGuide(id.clone()))
            }
            _ => {}
        }
        Ok(link)
    }

    /// Hands the window something to open (from the tray).
    pub fn deliver(&self, link: DeepLink) {
        self.keep_link(Ok(link));
    }

    /// The link waiting for the window, once.
    pub fn take_link(&self) -> Result<Option<DeepLink>, Error> {
        self.pending_link
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .transpose()
    }

    pub fn keeps_in_tray(&self) -> bool {
        self.profile().effective().keep_in_tray.value
    }

    pub fn autostart(&self) -> bool {
        self.profile().effective().autostart.value
    }

    /// The window's language (the setting, else the OS's).
    pub fn language(&self) -> Language {
        self.profile().language(self.os_language)
    }

    /// "Continue: <flow> (step n of m)" for the walkthrough the step panel
    /// shows, with the flow's id; `template` has `{flow}`, `{step}`, `{total}`.
    pub fn current_step_label(&self, template: String) -> Option<(String, String)> {
        let id = self.walkthroughs.overlay().flow?;
        let flow = self.flow(&id).ok()?;
        let step = flow
            .current
            .as_ref()
            .and_then(|c| flow.steps.iter().position(|s| &s.id == c))
            .map_or(flow.steps.len(), |i| i + 1);
        let label = template
            .replace("{flow}", &flow.title)
            .replace("{step}", &step.to_string())
            .replace("{total}", &flow.steps.len().to_string());
        Some((id, label))
    }

    pub fn cause(&self, id: &str) -> Option<CauseView> {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        self.walkthroughs.cause(&profile, language, id)
    }

    /// What the doctor probes (the user's site) and with which secrets.
    pub fn doctor_setup(&self) -> Result<(tobira_doctor::Target, tobira_doctor::Options), Error> {
        let profile = self.profile();
        let base_url = std::env::var(DOCTOR_BASE_URL_ENV)
            .ok()
            .filter(|u| !u.is_empty());
        let target = doctor::target(&profile, None, base_url.as_deref())?;
        let options = doctor::options(&profile, &target, tobira_doctor::DEFAULT_BUDGET, None)?;
        Ok((target, options))
    }

    /// The doctor's last run in this session, worded in Tobira's language.
    pub fn last_checks(&self) -> Option<tobira_doctor::Report> {
        let language = self.language();
        self.last_checks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|report| report.in_language(language))
    }

    pub fn remember_checks(&self, report: tobira_doctor::Report) {
        *self.last_checks.lock().unwrap_or_else(|p| p.into_inner()) = Some(report);
    }

    /// The support report as text, with the last checks and what the user
    /// told the assistant.
    pub fn support_report(&self, assistant: Option<AssistantContext>) -> String {
        let checks = self
            .last_checks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        SupportReport::gather(&self.profile(), self.os_language)
            .with_checks(checks)
            .with_assistant(assistant)
            .text()
    }

    pub fn troubleshoot(&self, query: &str, answers: &[String]) -> Result<Outcome, Error> {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        self.walkthroughs
            .troubleshoot(&profile, language, query, answers)
            .map_err(|e| Error::Usage(e.to_string()))
    }

    pub fn assistant(&self) -> Option<AssistantView> {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        self.walkthroughs.assistant(&profile, language)
    }

    fn site_host(&self) -> Result<String, Error> {
        Ok(self.profile().site().ok_or(ScopeError::NoSite)?.host())
    }

    pub fn secrets_status(&self) -> Result<SecretsStatus, Error> {
        Ok(tobira_secrets::status(&self.site_host()?))
    }

    pub fn store_basic_auth(&self, user: &str, password: &str) -> Result<SecretsStatus, Error> {
        let host = self.site_host()?;
        tobira_secrets::store_basic_auth(&host, user, password)?;
        Ok(tobira_secrets::status(&host))
    }

    pub fn store_client_cert_password(&self, password: &str) -> Result<SecretsStatus, Error> {
        let host = self.site_host()?;
        tobira_secrets::store_client_cert_password(&host, password)?;
        Ok(tobira_secrets::status(&host))
    }

    pub fn delete_secret(&self, kind: SecretKind) -> Result<SecretsStatus, Error> {
        let host = self.site_host()?;
        tobira_secrets::delete(kind, &host)?;
        Ok(tobira_secrets::status(&host))
    }
}

/// A removed bookmark, for "Undo".
#[derive(Debug, Serialize)]
pub struct Removed {
    index: usize,
    bookmark: UserBookmark,
    view: AppView,
}

/// A client certificate file as typed or pasted: an existing `.pfx` or
/// `.p12` file, kept as an absolute path.
fn certificate_file(typed: &str) -> Result<PathBuf, Error> {
    let trimmed = typed.trim().trim_matches('"');
    let path =
        std::path::absolute(trimmed).map_err(|_| Error::CertificateFile(typed.to_owned()))?;
    let is_certificate = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pfx") || e.eq_ignore_ascii_case("p12"));
    if is_certificate && path.is_file() {
        Ok(path)
    } else {
        Err(Error::CertificateFile(typed.to_owned()))
    }
}

/// The text of one export format for `site` (the CLI writes it too).
pub fn export_contents(
    format: ExportFormat,
    site: &SiteAddress,
    list: &[ResolvedBookmark],
) -> Result<String, Error> {
    let name = format!("kintone ({})", site.host());
    let portal = site.portal_url();
    Ok(match format {
        ExportFormat::Html => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            export::netscape_html(&name, list, now)
        }
        ExportFormat::Desktop => export::desktop_entry(&name, &portal),
        ExportFormat::Url => export::windows_url(&portal),
        ExportFormat::Webloc => export::webloc(&portal),
        ExportFormat::QrSvg => export::qr_svg(&portal).map_err(|e| Error::QrCode(e.to_string()))?,
    })
}

/// Where the window saves exports: the Downloads folder, else the home folder.
pub fn export_dir() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(
        dirs.download_dir()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_else(|| dirs.home_dir().to_path_buf()),
    )
}

pub fn run(link: Option<String>) -> ExitCode {
    if let Some(problem) = missing_display() {
        eprintln!("tobira: {problem}");
        return ExitCode::from(2);
    }
    let config_dir = tobira_core::settings::config_dir().ok();
    let mut window_state = tauri_plugin_window_state::Builder::new()
        // Shown or hidden is Tobira's decision (tray, panel state).
        .with_state_flags(
            tauri_plugin_window_state::StateFlags::all()
                - tauri_plugin_window_state::StateFlags::VISIBLE,
        );
    if let Some(dir) = &config_dir {
        // Beside the settings, so one profile folder holds everything.
        window_state = window_state.with_filename(dir.join("window-state.json").to_string_lossy());
    }
    let instance = desktop::Instance::of(config_dir.as_deref());
    let mut builder = tauri::Builder::default();
    if instance.hand_over_at_start {
        // First: a second start hands over before anything else is set up.
        builder = builder.plugin(desktop::single_instance(&instance.id));
    }
    #[cfg(target_os = "macos")]
    {
        builder = builder.plugin(tauri_plugin_deep_link::init());
    }
    let result = builder
        .manage(instance)
        .plugin(tauri_plugin_opener::init())
        .plugin(window_state.build())
        .plugin(navigation::guard())
        .manage(AppState::load())
        .setup(move |app| {
            let handle = app.handle();
            // The main window is described in tauri.conf.json and built here,
            // so that it too refuses to open new windows.
            if let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") {
                tauri::WebviewWindowBuilder::from_config(handle, config)?
                    .on_new_window(navigation::refuse_new_window)
                    .build()?;
            }
            start_guide_watcher(handle);
            let state = handle.state::<AppState>();
            if let Some(link) = &link {
                state.receive_link(link);
            }
            #[cfg(target_os = "macos")]
            {
                use tauri_plugin_deep_link::DeepLinkExt;
                let opener = handle.clone();
                handle.deep_link().on_open_url(move |event| {
                    for url in event.urls() {
                        desktop::receive_link(&opener, url.as_str());
                    }
                });
            }
            let follower = handle.clone();
            state.on_change(Box::new(move || {
                desktop::refresh_tray(&follower);
                desktop::apply_autostart(&follower, follower.state::<AppState>().autostart());
            }));
            let remembered = state.walkthroughs.overlay();
            // A flow that is gone by now shows as "no guide open" in the panel.
            if remembered.open && remembered.flow.is_some() {
                // Not fatal: the flow screen offers the panel again.
                if let Err(e) = overlay::show(handle) {
                    eprintln!("tobira: the step panel could not open: {e}");
                }
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if window.label() != "main" {
                return;
            }
            match event {
                tauri::WindowEvent::CloseRequested { api, .. }
                    if desktop::keeps_running_on_close(window.app_handle()) =>
                {
                    api.prevent_close();
                    let _ = window.hide();
                }
                // The panel alone does not keep Tobira running.
                tauri::WindowEvent::Destroyed => window.app_handle().exit(0),
                _ => {}
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::check_site,
            commands::save_site,
            commands::open_bookmark,
            commands::change_setting,
            commands::add_bookmark,
            commands::add_guest_site,
            commands::remove_guest_site,
            commands::rename_bookmark,
            commands::move_bookmark,
            commands::remove_bookmark,
            commands::restore_bookmark,
            commands::export_bookmarks,
            commands::portal_qr_svg,
            commands::secrets_status,
            commands::store_basic_auth,
            commands::store_client_cert_password,
            commands::delete_secret,
            commands::flows,
            commands::flow,
            commands::change_progress,
            commands::cause,
            commands::overlay_state,
            commands::show_overlay,
            commands::hide_overlay,
            commands::run_checks,
            commands::support_report,
            commands::copy_text,
            commands::troubleshoot,
            commands::last_checks,
            commands::assistant,
            commands::take_link,
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

/// Watches the organisation's and the user's guide folders; a change is
/// re-read and the windows are told to fetch what they show again.
fn start_guide_watcher<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<AppState>();
    let dirs = state.walkthroughs.watched_dirs();
    let handle = app.clone();
    let watcher = tobira_guides::watch::watch(&dirs, move |paths| {
        handle.state::<AppState>().walkthroughs.reload(&paths);
        let _ = handle.emit("guides-changed", ());
    });
    match watcher {
        Ok(watcher) => {
            app.manage(GuideWatcher { _watcher: watcher });
        }
        Err(e) => eprintln!(
            "tobira: guide folders are not watched ({e}); restart Tobira to see changed guides"
        ),
    }
}

/// Kept in the app's state: dropping it stops watching.
struct GuideWatcher {
    _watcher: tobira_guides::watch::RecommendedWatcher,
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
        AppState::from_store(Ok(SettingsStore::in_dir(dir)), &dir.join("no-policy.toml"))
    }

    fn state_with_policy(dir: &std::path::Path, policy: &str) -> AppState {
        let path = dir.join("policy.toml");
        std::fs::write(&path, policy).unwrap();
        AppState::from_store(Ok(SettingsStore::in_dir(dir)), &path)
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
        assert_eq!(state.bookmark_url("portal").unwrap_err().code(), "no-site");
        state
            .save_site("https://example.s.cybozu.cn/k/#/space/1")
            .unwrap();
        assert_eq!(
            state.bookmark_url("portal").unwrap(),
            "https://example.s.cybozu.cn/k/"
        );
        assert_eq!(
            state.bookmark_url("login").unwrap(),
            "https://example.s.cybozu.cn/"
        );
    }

    #[test]
    fn a_damaged_file_becomes_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.toml"), "site = [").unwrap();
        let view = state_in(dir.path()).view();
        assert!(matches!(
            view.notices.as_slice(),
            [StartupNotice::SettingsRecovered(_)]
        ));
        assert!(view.site.is_none());
    }

    #[test]
    fn no_config_dir_is_a_notice_and_saving_says_why() {
        let state = AppState::from_store(
            Err(SettingsError::NoConfigDir),
            std::path::Path::new("/nonexistent/policy.toml"),
        );
        let view = state.view();
        assert!(matches!(
            view.notices.as_slice(),
            [StartupNotice::SettingsUnavailable {
                code: "no-config-dir",
                ..
            }]
        ));
        assert_eq!(
            state.save_site("example").unwrap_err().code(),
            "no-config-dir"
        );
    }

    #[test]
    fn a_locked_site_cannot_be_changed_but_the_users_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        state_in(dir.path()).save_site("mine").unwrap();
        let state = state_with_policy(dir.path(), "[locked]\nsite = \"corp\"\nlanguage = \"ja\"\n");
        let view = state.view();
        assert_eq!(
            view.site.map(|s| s.host()).as_deref(),
            Some("corp.cybozu.com")
        );
        assert!(matches!(view.language, Language::Ja));
        assert_eq!(
            state.save_site("other").unwrap_err().code(),
            "setting-locked"
        );
        let err = state
            .change_setting(SettingChange::Language(Some(Language::En)))
            .unwrap_err();
        assert_eq!(err.code(), "setting-locked");
        let saved = std::fs::read_to_string(dir.path().join("settings.toml")).unwrap();
        assert!(saved.contains("site = \"mine.cybozu.com\""), "{saved}");
    }

    #[test]
    fn a_bad_policy_value_is_a_notice_and_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_with_policy(dir.path(), "[locked]\nsite = 3\n");
        let view = state.view();
        assert!(view.site.is_none());
        match view.notices.as_slice() {
            [StartupNotice::PolicyProblems { message, .. }] => {
                assert!(message.contains("policy.toml:2:8:"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_client_certificate_file_must_exist_and_be_pfx_or_p12() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let file = dir.path().join("taro.P12");
        std::fs::write(&file, b"x").unwrap();
        let change =
            |path: &str| state.change_setting(SettingChange::ClientCertificate(Some(path.into())));
        for bad in [
            "",
            "/nonexistent/taro.p12",
            dir.path().join("settings.toml").to_str().unwrap(),
        ] {
            assert_eq!(change(bad).unwrap_err().code(), "client-cert-path", "{bad}");
        }
        let view = change(&format!("  \"{}\" ", file.display())).unwrap();
        assert_eq!(view.client_certificate.as_deref(), Some(file.as_path()));
        let saved = std::fs::read_to_string(dir.path().join("settings.toml")).unwrap();
        assert!(saved.contains("taro.P12"), "{saved}");
        let view = state
            .change_setting(SettingChange::ClientCertificate(None))
            .unwrap();
        assert_eq!(view.client_certificate, None);
    }

    #[test]
    fn links_are_checked_before_the_window_gets_them() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        assert_eq!(state.take_link().unwrap(), None);
        state.receive_link("tobira://flow/guest-space-join");
        assert_eq!(
            state.take_link().unwrap(),
            Some(DeepLink::Flow {
                id: "guest-space-join".into()
            })
        );
        assert_eq!(state.take_link().unwrap(), None, "taken once");
        state.receive_link("tobira://flow/no-such-flow");
        assert_eq!(state.take_link().unwrap_err().code(), "unknown-guide");
        state.receive_link("tobira://cause/no-such-cause");
        assert_eq!(state.take_link().unwrap_err().code(), "unknown-guide");
        state.receive_link("tobira://cause/wrong-url");
        assert!(state.take_link().unwrap().is_some());
        state.receive_link("tobira://settings");
        assert_eq!(state.take_link().unwrap_err().code(), "link-unknown-route");

        let locked = state_with_policy(dir.path(), "[locked]\nsite = \"corp\"\n");
        locked.receive_link("tobira://site/other");
        assert_eq!(locked.take_link().unwrap_err().code(), "setting-locked");
        assert!(state.view().site.is_none(), "reading a link saves nothing");
    }

    #[test]
    fn autostart_and_tray_follow_the_policy() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_with_policy(dir.path(), "[locked]\nautostart = true\n");
        assert!(state.view().settings.autostart.value);
        assert!(state.keeps_in_tray(), "kept in the tray by default");
        let err = state
            .change_setting(SettingChange::Autostart(Some(false)))
            .unwrap_err();
        assert_eq!(err.code(), "setting-locked");
        state
            .change_setting(SettingChange::KeepInTray(Some(false)))
            .unwrap();
        assert!(!state.keeps_in_tray());
    }

    #[test]
    fn recommended_values_can_be_overridden_and_reset() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_with_policy(dir.path(), "[recommended]\ndefault_region = \"us\"\n");
        assert_eq!(state.view().default_domain, "kintone.com");
        let view = state
            .change_setting(SettingChange::DefaultRegion(Some(Region::Cn)))
            .unwrap();
        assert_eq!(view.default_domain, "cybozu.cn");
        let view = state
            .change_setting(SettingChange::DefaultRegion(None))
            .unwrap();
        assert_eq!(view.default_domain, "kintone.com");
    }

    #[test]
    fn bookmarks_add_remove_undo_and_export() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        assert_eq!(
            state.add_bookmark("/k/12/", None).unwrap_err().code(),
            "no-site"
        );
        state.save_site("example").unwrap();
        state
            .add_bookmark("https://example.cybozu.com/k/12/", None)
            .unwrap();
        let view = state.add_bookmark("/k/#/space/3", Some("Team")).unwrap();
        let names: Vec<&str> = view.bookmarks.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names[3..], ["App 12", "Team"]);
        let removed = state.remove_bookmark(0).unwrap();
        assert_eq!(removed.view.bookmarks.len(), 4);
        let view = state
            .restore_bookmark(removed.index, removed.bookmark)
            .unwrap();
        assert_eq!(view.bookmarks[3].name, "App 12");
        let evil = UserBookmark {
            name: "x".into(),
            path: "https://evil.test/".into(),
        };
        assert_eq!(
            state.restore_bookmark(0, evil).unwrap_err().code(),
            "bookmark-other-site"
        );
        let out = tempfile::tempdir().unwrap();
        let path = state.export(ExportFormat::Html, out.path()).unwrap();
        assert_eq!(path.file_name().unwrap(), "kintone-example.html");
        let html = std::fs::read_to_string(path).unwrap();
        assert!(
            html.contains("https://example.cybozu.com/k/#/space/3"),
            "{html}"
        );
        assert!(state.portal_qr_svg().unwrap().contains("<svg"));
        let json = serde_json::to_value(state.view()).expect("the view serialises for the window");
        assert_eq!(json["bookmarks"][3]["kind"], "app");
        assert_eq!(json["bookmarks"][3]["id"], "user-0");
        assert_eq!(json["settings"]["site"]["source"], "user");
    }
}
