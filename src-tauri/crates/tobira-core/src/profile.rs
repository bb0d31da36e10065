//! Everything Tobira knows about this user at one moment: their settings file
//! and the organisation's policy. The window and the CLI both ask it for the
//! effective settings, the bookmark list and what may be opened, so the two
//! can never disagree.

use std::path::{Path, PathBuf};

use url::Url;

use crate::audience::Audience;
use crate::bookmarks::{self, BookmarkError, ResolvedBookmark};
use crate::language::Language;
use crate::policy::{self, EffectiveSettings, LoadedPolicy, PolicyError};
use crate::scope::{OpenScope, ScopeError};
use crate::settings::{GuestSite, Settings};
use crate::site::{Region, SiteAddress};

#[derive(Debug)]
pub struct Profile {
    settings: Settings,
    policy: LoadedPolicy,
    /// `policy` over `settings`, worked out again whenever the settings change.
    effective: EffectiveSettings,
    /// Where the policy file was looked for.
    pub policy_path: PathBuf,
    /// The policy file can be changed by someone who is not an administrator.
    pub policy_writable_by_others: bool,
}

/// Why a page cannot be opened (matched exhaustively by the session, so a
/// new reason gets its own error code).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error(transparent)]
    Bookmark(#[from] BookmarkError),
}

/// A change the Settings screen asks for; `None` resets to the
/// organisation's recommendation (or the built-in default).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// Why a change of the user's settings was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChangeError {
    #[error("{0} is set by your organisation's policy and cannot be changed here; ask your IT department")]
    Locked(&'static str),
    #[error("'{0}' is not a client certificate file; give the full path of the .pfx or .p12 file your administrator sent")]
    CertificateFile(String),
}

crate::error_codes!(ChangeError {
    Self::Locked(_) => "setting-locked",
    Self::CertificateFile(_) => "client-cert-path",
});

impl ChangeError {
    /// The setting or the path, for the window's message.
    pub fn detail(&self) -> String {
        match self {
            ChangeError::Locked(setting) => (*setting).to_owned(),
            ChangeError::CertificateFile(path) => path.clone(),
        }
    }
}

/// A client certificate file as typed or pasted: an existing `.pfx` or
/// `.p12` file, kept as an absolute path.
pub fn certificate_file(typed: &str) -> Result<PathBuf, ChangeError> {
    let refused = || ChangeError::CertificateFile(typed.to_owned());
    let trimmed = typed.trim().trim_matches('"');
    let path = std::path::absolute(trimmed).map_err(|_| refused())?;
    let is_certificate = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pfx") || e.eq_ignore_ascii_case("p12"));
    if is_certificate && path.is_file() {
        Ok(path)
    } else {
        Err(refused())
    }
}

impl Profile {
    /// Applies `change` to `settings` (a copy of this profile's), unless the
    /// organisation locked that setting.
    pub fn apply(&self, change: SettingChange, settings: &mut Settings) -> Result<(), ChangeError> {
        let effective = &self.effective;
        let locked = match &change {
            SettingChange::Language(_) => effective.language.is_locked().then_some("language"),
            SettingChange::DefaultRegion(_) => effective
                .default_region
                .is_locked()
                .then_some("default_region"),
            SettingChange::Autostart(_) => effective.autostart.is_locked().then_some("autostart"),
            SettingChange::KeepInTray(_) => {
                effective.keep_in_tray.is_locked().then_some("keep_in_tray")
            }
            SettingChange::Role(_) | SettingChange::ClientCertificate(_) => None,
        };
        if let Some(setting) = locked {
            return Err(ChangeError::Locked(setting));
        }
        match change {
            SettingChange::Language(value) => settings.language = value,
            SettingChange::DefaultRegion(value) => settings.default_region = value,
            SettingChange::Role(value) => settings.role = value,
            SettingChange::ClientCertificate(path) => {
                settings.client_certificate = path.as_deref().map(certificate_file).transpose()?
            }
            SettingChange::Autostart(value) => settings.autostart = value,
            SettingChange::KeepInTray(value) => settings.keep_in_tray = value,
        }
        Ok(())
    }

    /// Makes `site` the user's own site in `settings` (no longer a guest
    /// site), unless the organisation locked the site.
    pub fn make_own_site(
        &self,
        site: SiteAddress,
        settings: &mut Settings,
    ) -> Result<(), ChangeError> {
        if self.effective.site.is_locked() {
            return Err(ChangeError::Locked("site"));
        }
        settings.guest_sites.retain(|g| g.host != site);
        settings.site = Some(site);
        Ok(())
    }

    /// The user's settings with the installed policy over them: the OS's
    /// stores, then the file at `policy_path`. A policy's problems are kept
    /// ([`Profile::policy_errors`]); its good values apply.
    pub fn new(settings: Settings, policy_path: &Path) -> Profile {
        let policy = policy::load_installed(policy_path);
        Profile {
            effective: EffectiveSettings::resolve(&policy.policy, &settings),
            settings,
            policy,
            policy_path: policy_path.to_owned(),
            policy_writable_by_others: policy::writable_by_others(policy_path),
        }
    }

    /// The policy as read, store by store.
    pub fn policy(&self) -> &LoadedPolicy {
        &self.policy
    }

    /// What of the policy was not applied: a store could not be read, or
    /// some of its values were dropped (the others are in force).
    pub fn policy_errors(&self) -> impl Iterator<Item = &PolicyError> {
        self.policy.errors()
    }

    /// The user's own settings, as saved.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Replaces the user's settings (after they were saved).
    pub fn set_settings(&mut self, settings: Settings) {
        self.effective = EffectiveSettings::resolve(&self.policy.policy, &settings);
        self.settings = settings;
    }

    pub fn effective(&self) -> &EffectiveSettings {
        &self.effective
    }

    pub fn site(&self) -> Option<&SiteAddress> {
        self.effective.site.value.as_ref()
    }

    pub fn default_region(&self) -> Region {
        self.effective.default_region.value
    }

    /// The effective language, or `os` when nothing sets one.
    pub fn language(&self, os: Language) -> Language {
        self.effective.language.value.unwrap_or(os)
    }

    /// Built-ins, the organisation's and the user's bookmarks (empty without
    /// a site); only what the allowlist lets open, so no list, export or
    /// shortcut ever carries another address.
    pub fn bookmarks(&self, language: Language) -> Vec<ResolvedBookmark> {
        let effective = &self.effective;
        let scope = self.scope();
        let own = effective.site.value.as_ref().map(|site| {
            bookmarks::combined(
                site,
                &effective.org_bookmarks.value,
                &self.settings.bookmarks,
                language,
            )
        });
        let guests = self
            .guest_sites()
            .iter()
            .enumerate()
            .flat_map(|(n, guest)| {
                bookmarks::of_guest_site(n, &guest.host, &guest.bookmarks, language)
            });
        own.into_iter()
            .flatten()
            .chain(guests)
            .filter(|b| scope.check(&b.url).is_ok())
            .collect()
    }

    /// The sites the user is a guest in (none when the organisation does
    /// not allow them).
    pub fn guest_sites(&self) -> &[GuestSite] {
        if self.effective.allow_guest_sites.value {
            &self.settings.guest_sites
        } else {
            &[]
        }
    }

    /// Whether the browser companion may connect (policy `companion`).
    pub fn companion_allowed(&self) -> bool {
        self.effective.companion.value
    }

    /// Every site of this user: their own (if any) first, then the guest sites.
    pub fn sites(&self) -> Vec<&SiteAddress> {
        self.site()
            .into_iter()
            .chain(self.guest_sites().iter().map(|g| &g.host))
            .collect()
    }

    pub fn scope(&self) -> OpenScope {
        OpenScope::new(self.site())
            .with_guest_sites(self.guest_sites().iter().map(|g| &g.host))
            .with_helpdesk(self.effective.helpdesk_url())
    }

    /// What `tobira open WANTED` opens: a bookmark by id or name, else a URL
    /// or path of the user's site. Always checked against the allowlist.
    pub fn open_target(&self, wanted: &str, language: Language) -> Result<Url, OpenError> {
        let scope = self.scope();
        let list = self.bookmarks(language);
        let url = match bookmarks::find(&list, wanted) {
            Some(bookmark) => bookmark.url.clone(),
            None if wanted.trim().contains("://") => wanted.trim().to_owned(),
            None => {
                // A path is a page of the own site, else of the one guest site.
                let site = match (self.site(), self.guest_sites()) {
                    (Some(site), _) => site,
                    (None, [only]) => &only.host,
                    _ => return Err(ScopeError::NoSite.into()),
                };
                let path = bookmarks::path_on_site(wanted, site)?;
                format!("https://{}{path}", site.host())
            }
        };
        Ok(scope.check(&url)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(policy: &str) -> (tempfile::TempDir, Profile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.toml");
        std::fs::write(&path, policy).unwrap();
        let settings = Settings {
            site: Some(SiteAddress::parse("mine", Region::Jp).unwrap()),
            ..Settings::default()
        };
        let profile = Profile::new(settings, &path);
        (dir, profile)
    }

    #[test]
    fn opens_bookmarks_urls_and_paths_of_the_site_only() {
        let (_dir, profile) = profile(
            "[locked.helpdesk]\nurl = \"https://help.corp.example/\"\n[[recommended.bookmarks]]\nname = \"Expenses\"\nurl = \"/k/45/\"\n",
        );
        let open = |wanted: &str| profile.open_target(wanted, Language::En).map(String::from);
        assert_eq!(open("portal").unwrap(), "https://mine.cybozu.com/k/");
        assert_eq!(open("expenses").unwrap(), "https://mine.cybozu.com/k/45/");
        assert_eq!(
            open("/k/#/space/3").unwrap(),
            "https://mine.cybozu.com/k/#/space/3"
        );
        assert_eq!(
            open("https://help.corp.example/x").unwrap(),
            "https://help.corp.example/x"
        );
        assert!(matches!(
            open("https://evil.test/"),
            Err(OpenError::Scope(ScopeError::NotAllowed(_)))
        ));
        assert!(matches!(
            open("other.cybozu.com/k/"),
            Err(OpenError::Bookmark(BookmarkError::OtherSite(_)))
        ));
    }

    #[test]
    fn a_bad_value_is_reported_and_dropped_while_the_rest_applies() {
        let (_dir, bad_site) = profile("[locked]\nsite = \"evil.test\"\nlanguage = \"ja\"\n");
        assert_eq!(
            bad_site.policy_errors().next().unwrap().code(),
            "policy-invalid"
        );
        assert_eq!(bad_site.language(Language::En), Language::Ja);
        assert_eq!(bad_site.site().unwrap().host(), "mine.cybozu.com");
        // A typo elsewhere leaves the locked site locked.
        let (_typo_dir, typo) =
            profile("[locked]\nsite = \"corp\"\nautostart = \"yes\"\nlangauge = \"ja\"\n");
        let problem = typo.policy_errors().next().unwrap().to_string();
        assert!(
            problem.contains(":3:13:") && problem.contains(":4:1:"),
            "{problem}"
        );
        assert!(typo.effective().site.is_locked());
        assert_eq!(typo.site().unwrap().host(), "corp.cybozu.com");
    }

    #[test]
    fn a_locked_site_wins_and_bookmarks_follow_it() {
        let (_dir, profile) = profile("[locked]\nsite = \"corp\"\n");
        assert_eq!(profile.site().unwrap().host(), "corp.cybozu.com");
        assert_eq!(
            profile.bookmarks(Language::En)[0].url,
            "https://corp.cybozu.com/k/"
        );
    }
}
