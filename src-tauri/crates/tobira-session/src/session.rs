//! One user's Tobira at one moment, for the window and the CLI alike: their
//! settings and the organisation's policy, the guides and the walkthrough
//! progress, the doctor's last run. Every change is saved before it counts.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

use serde::Serialize;
use tobira_core::bookmarks::{self, ResolvedBookmark, UserBookmark};
use tobira_core::deep_link::{self, DeepLink};
use tobira_core::export::{self, ExportFormat};
use tobira_core::policy::{self, EffectiveSettings};
use tobira_core::profile::{ChangeError, SettingChange};
use tobira_core::progress::ProgressStore;
use tobira_core::{
    Audience, Language, PolicyError, Profile, Recovery, Region, ScopeError, Settings,
    SettingsError, SettingsStore, SiteAddress,
};
use tobira_guides::matcher::Outcome;
use tobira_guides::view::{AssistantView, CauseView, FlowView};
use tobira_secrets::{SecretKind, SecretsStatus};

use crate::doctor;
use crate::error::Error;
use crate::guides;
use crate::report::{AssistantContext, SupportReport};
use crate::walkthroughs::{FlowList, GuideList, ProgressChange, Walkthroughs};

/// The window's "Run checks" probes this instead of the user's site; it
/// takes what `tobira doctor --base-url` takes (the end-to-end tests point
/// it at a fake site on 127.0.0.1).
pub const DOCTOR_BASE_URL_ENV: &str = "TOBIRA_DOCTOR_BASE_URL";

/// Something the user should hear about at start.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    BookmarksDropped {
        count: usize,
        /// As found in the file, so the CLI can name each one.
        bookmarks: Vec<UserBookmark>,
    },
    /// The walkthrough progress file was damaged and moved aside.
    ProgressRecovered(Recovery),
}

/// What the UI needs to draw its screens.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// The browser companion is allowed and its extension connected lately:
    /// only then does a step say Tobira will tick it.
    pub companion_in_use: bool,
}

/// Called after the settings or the progress changed (the tray menu and
/// the login item follow them).
type ChangeHook = Box<dyn Fn() + Send + Sync>;

pub struct Session {
    /// None when the platform has no config directory for this user.
    store: Option<SettingsStore>,
    /// Why the settings could not be read (the defaults apply).
    load_error: Option<SettingsError>,
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

impl Session {
    /// This user's session: what the window opens with. A settings file
    /// that cannot be read becomes a notice and the defaults apply.
    pub fn open() -> Session {
        Session::from_store(SettingsStore::open_default(), &policy::policy_path())
    }

    /// This user's session for a CLI verb: as [`Session::open`], but
    /// settings that cannot be read at all are an error (a script must not
    /// go on with defaults it did not ask for).
    pub fn open_strict() -> Result<Session, Error> {
        let mut session = Session::open();
        match session.load_error.take() {
            Some(e) => Err(e.into()),
            None => Ok(session),
        }
    }

    pub fn from_store(
        store: Result<SettingsStore, SettingsError>,
        policy_path: &std::path::Path,
    ) -> Session {
        let (store, loaded) = match store {
            Ok(store) => {
                let loaded = store.load();
                (Some(store), loaded)
            }
            Err(e) => (None, Err(e)),
        };
        let mut notices = Vec::new();
        let mut load_error = None;
        let settings = match loaded {
            Ok(loaded) => {
                notices.extend(loaded.recovery.map(StartupNotice::SettingsRecovered));
                if !loaded.dropped_bookmarks.is_empty() {
                    notices.push(StartupNotice::BookmarksDropped {
                        count: loaded.dropped_bookmarks.len(),
                        bookmarks: loaded.dropped_bookmarks,
                    });
                }
                loaded.settings
            }
            Err(e) => {
                notices.push(StartupNotice::SettingsUnavailable {
                    code: e.code(),
                    message: e.to_string(),
                });
                load_error = Some(e);
                Settings::default()
            }
        };
        let profile = Profile::new(settings, policy_path);
        let config_dir = store
            .as_ref()
            .and_then(|s| s.path().parent())
            .map(std::path::Path::to_path_buf);
        let walkthroughs = Walkthroughs::load(
            guides::search_path(&profile, config_dir.as_deref()),
            config_dir.as_ref().map(ProgressStore::in_dir),
        );
        notices.extend(profile.policy_errors().map(|e| {
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
        Session {
            store,
            load_error,
            profile: Mutex::new(profile),
            notices,
            os_language: crate::os_language(),
            walkthroughs,
            last_checks: Mutex::new(None),
            pending_link: Mutex::new(None),
            on_change: OnceLock::new(),
        }
    }

    /// Reads the settings and the policy again: another Tobira (the window,
    /// a CLI verb) may have changed them since this session opened. A
    /// long-running process without a window, the browser companion's
    /// host, calls it before each request. Unreadable settings keep what
    /// was in force.
    pub fn reload_profile(&self) {
        let Some(store) = &self.store else { return };
        if let Ok(loaded) = store.load() {
            let policy_path = self.profile().policy_path.clone();
            *self.profile() = Profile::new(loaded.settings, &policy_path);
        }
    }

    /// Sets what runs after every change (once, at start).
    pub fn on_change(&self, hook: ChangeHook) {
        let _ = self.on_change.set(hook);
    }

    pub(crate) fn changed(&self) {
        if let Some(hook) = self.on_change.get() {
            hook();
        }
    }

    pub(crate) fn profile(&self) -> MutexGuard<'_, Profile> {
        // A panic while holding the lock cannot leave the profile
        // half-written (every change is one assignment), so a poisoned lock
        // is still good.
        self.profile
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn view(&self) -> AppView {
        let companion_in_use = self.companion_in_use();
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
            notices: self.notices(),
            settings: profile.effective().clone(),
            bookmarks: profile.bookmarks(language),
            role: profile.settings().role,
            client_certificate: profile.settings().client_certificate.clone(),
            companion_in_use,
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
            profile.make_own_site(site.clone(), settings)?;
            Ok(site)
        })
    }

    pub fn change_setting(&self, change: SettingChange) -> Result<AppView, Error> {
        self.modify(|profile, settings| Ok(profile.apply(change, settings)?))?;
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
        let site = self.profile().site().cloned().ok_or(ScopeError::NoSite)?;
        self.export_to(format, dir.join(export::file_name(format, &site)))
    }

    /// Saves an export in the Downloads folder (else the home folder).
    pub fn export_to_downloads(&self, format: ExportFormat) -> Result<PathBuf, Error> {
        let dirs = directories::UserDirs::new().ok_or(SettingsError::NoConfigDir)?;
        let dir = dirs.download_dir().unwrap_or_else(|| dirs.home_dir());
        self.export(format, dir)
    }

    pub fn portal_qr_svg(&self) -> Result<String, Error> {
        let profile = self.profile();
        let site = profile.site().ok_or(ScopeError::NoSite)?;
        Ok(export::contents(ExportFormat::QrSvg, site, &[])?)
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
                return Err(ChangeError::Locked("site").into())
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
        let base_url = std::env::var(DOCTOR_BASE_URL_ENV)
            .ok()
            .filter(|u| !u.is_empty());
        self.doctor_setup_for(
            None,
            base_url.as_deref(),
            tobira_doctor::DEFAULT_BUDGET,
            None,
        )
    }

    /// [`Session::doctor_setup`] for another site or address, budget or
    /// certificate (`tobira doctor --site --base-url --timeout-ms --client-cert`).
    pub fn doctor_setup_for(
        &self,
        site: Option<&str>,
        base_url: Option<&str>,
        budget: std::time::Duration,
        certificate: Option<&std::path::Path>,
    ) -> Result<(tobira_doctor::Target, tobira_doctor::Options), Error> {
        let profile = self.profile();
        let target = doctor::target(&profile, site, base_url)?;
        let options = doctor::options(&profile, &target, budget, certificate)?;
        Ok((target, options))
    }

    /// Runs the doctor on the user's site (the window's "Run checks"):
    /// `on_check` hears each check as it ends, in Tobira's language; the
    /// report is kept for the support report and returned in that language.
    pub async fn run_checks(
        &self,
        on_check: &mut (dyn FnMut(&tobira_doctor::Check) + Send + Sync),
    ) -> Result<tobira_doctor::Report, Error> {
        let (target, options) = self.doctor_setup()?;
        let language = self.language();
        let mut worded = |check: &tobira_doctor::Check| on_check(&check.in_language(language));
        let report = tobira_doctor::diagnose(&target, &options, &mut worded).await;
        let shown = report.in_language(language);
        self.remember_checks(report);
        Ok(shown)
    }

    /// Runs the doctor on the user's site to the end, on a runtime of its
    /// own, and keeps its report for the support report (`tobira report --checks`).
    pub fn run_checks_blocking(&self) -> Result<tobira_doctor::Report, Error> {
        let (target, options) =
            self.doctor_setup_for(None, None, tobira_doctor::DEFAULT_BUDGET, None)?;
        let report = doctor::run_blocking(&target, &options, &mut |_| {})?;
        self.remember_checks(report.clone());
        Ok(report)
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
        self.support_report_data(assistant).text()
    }

    /// The support report's parts (`tobira report --json`).
    pub fn support_report_data(&self, assistant: Option<AssistantContext>) -> SupportReport {
        let checks = self
            .last_checks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        // Before `gather` takes the profile's lock: the facts take it too.
        let companion = self.companion_facts();
        SupportReport::gather(&self.profile(), self.os_language)
            .with_companion(companion)
            .with_checks(checks)
            .with_assistant(assistant)
    }

    /// The installed policy key by key (`tobira policy show`).
    pub fn policy_diagnosis(&self) -> tobira_core::policy::Diagnosis {
        let profile = self.profile();
        let settings_file = self.store.as_ref().map(SettingsStore::path);
        tobira_core::policy::Diagnosis::new(profile.policy(), profile.effective(), settings_file)
    }

    /// The settings as saved, before the policy (`tobira policy check`).
    pub fn settings(&self) -> Settings {
        self.profile().settings().clone()
    }

    /// What the user should know about how Tobira started, and each
    /// damaged progress file this process found since (re-reading or
    /// saving it). The window shows them when it next loads its state.
    pub fn notices(&self) -> Vec<StartupNotice> {
        let mut notices = self.notices.clone();
        notices.extend(
            self.walkthroughs
                .recoveries()
                .into_iter()
                .map(StartupNotice::ProgressRecovered),
        );
        notices
    }

    /// The bookmarks of the user's own site and guest sites, resolved.
    pub fn bookmarks(&self) -> Result<Vec<ResolvedBookmark>, Error> {
        let profile = self.profile();
        if profile.site().is_none() {
            return Err(ScopeError::NoSite.into());
        }
        Ok(profile.bookmarks(profile.language(self.os_language)))
    }

    /// Removes the user bookmark called `name`, of whichever site it is on.
    pub fn remove_bookmark_named(&self, name: &str) -> Result<AppView, Error> {
        self.modify(|_, settings| {
            let lists = std::iter::once(&mut settings.bookmarks)
                .chain(settings.guest_sites.iter_mut().map(|g| &mut g.bookmarks));
            for list in lists {
                if let Some(index) = bookmarks::position_by_name(list, name) {
                    bookmarks::remove(list, index)?;
                    return Ok(());
                }
            }
            Err(Error::Usage(format!(
                "'{name}' is not one of your bookmarks (see `tobira bookmarks list`)"
            )))
        })?;
        Ok(self.view())
    }

    /// The own site and the guest sites.
    pub fn site_list(&self) -> SiteList {
        let profile = self.profile();
        SiteList {
            own: profile.site().cloned(),
            guest: profile
                .guest_sites()
                .iter()
                .map(|g| g.host.clone())
                .collect(),
            guest_sites_allowed: profile.effective().allow_guest_sites.value,
        }
    }

    /// The text of an export of the user's own site.
    pub fn export_text(&self, format: ExportFormat) -> Result<String, Error> {
        let view = self.view();
        let site = view.site.as_ref().ok_or(ScopeError::NoSite)?;
        Ok(export::contents(format, site, &view.bookmarks)?)
    }

    /// Writes an export to `path` (atomically) and returns the path.
    pub fn export_to(&self, format: ExportFormat, path: PathBuf) -> Result<PathBuf, Error> {
        let contents = self.export_text(format)?;
        tobira_core::atomic_file::write(&path, contents.as_bytes(), false).map_err(|source| {
            Error::Export {
                path: path.clone(),
                source,
            }
        })?;
        Ok(path)
    }

    pub fn troubleshoot(&self, query: &str, answers: &[String]) -> Result<Outcome, Error> {
        let profile = self.profile();
        let language = profile.language(self.os_language);
        self.walkthroughs
            .troubleshoot(&profile, language, None, query, answers)
            .map_err(|e| Error::Usage(e.to_string()))
    }

    /// [`Session::troubleshoot`] in another language or for another region
    /// than the user's (`tobira troubleshoot --lang --region`).
    pub fn troubleshoot_as(
        &self,
        query: &str,
        answers: &[String],
        language: Option<Language>,
        region: Option<Region>,
    ) -> Result<Outcome, Error> {
        if query.trim().is_empty() && answers.is_empty() {
            return Err(Error::Usage(
                "--query is empty: type what you see or what happens (or give --answer QUESTION.ANSWER)"
                    .into(),
            ));
        }
        let profile = self.profile();
        let language = language.unwrap_or_else(|| profile.language(self.os_language));
        self.walkthroughs
            .troubleshoot(&profile, language, region, query, answers)
            .map_err(|e| Error::Usage(e.to_string()))
    }

    /// Every guide installed, for `tobira guides list`.
    pub fn guide_list(&self) -> GuideList {
        self.walkthroughs.catalogue()
    }

    /// The guide search path and the hosts guides may link to, for the lint.
    pub fn guide_sources(
        &self,
    ) -> (
        Vec<tobira_guides::Source>,
        tobira_guides::lint::AllowedHosts,
    ) {
        let profile = self.profile();
        (
            guides::search_path(&profile, self.config_dir().as_deref()),
            guides::allowed_hosts(&profile),
        )
    }

    /// The folder where a user or a script drops guides of their own.
    pub fn user_guide_dir(&self) -> Option<PathBuf> {
        self.config_dir().map(|dir| dir.join("guides"))
    }

    pub(crate) fn config_dir(&self) -> Option<PathBuf> {
        let dir = self.store.as_ref()?.path().parent()?;
        Some(dir.to_path_buf())
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

/// The user's sites (`tobira sites`).
#[derive(Debug, Serialize)]
pub struct SiteList {
    pub own: Option<SiteAddress>,
    pub guest: Vec<SiteAddress>,
    /// The organisation lets users add guest sites.
    pub guest_sites_allowed: bool,
}

/// A removed bookmark, for "Undo".
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Removed {
    index: usize,
    bookmark: UserBookmark,
    view: AppView,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_in(dir: &std::path::Path) -> Session {
        Session::from_store(Ok(SettingsStore::in_dir(dir)), &dir.join("no-policy.toml"))
    }

    fn state_with_policy(dir: &std::path::Path, policy: &str) -> Session {
        let path = dir.join("policy.toml");
        std::fs::write(&path, policy).unwrap();
        Session::from_store(Ok(SettingsStore::in_dir(dir)), &path)
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
    fn a_progress_file_damaged_after_start_is_a_notice_too() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("progress.toml"), "[flows.f\n").unwrap();
        let state = state_in(dir.path());
        let recovered = |state: &Session| {
            state
                .notices()
                .iter()
                .filter(|n| matches!(n, StartupNotice::ProgressRecovered(_)))
                .count()
        };
        assert_eq!(recovered(&state), 1, "found at start");
        // Another program (or a disk error) damages it while Tobira runs.
        std::fs::write(dir.path().join("progress.toml"), "done = [").unwrap();
        state.walkthroughs.reload_progress().unwrap();
        assert_eq!(recovered(&state), 2, "found on the re-read, the first kept");
        let view = state.view();
        assert_eq!(view.notices.len(), 2, "{:?}", view.notices);
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
        let state = Session::from_store(
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
