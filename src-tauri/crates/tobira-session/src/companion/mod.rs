//! The browser companion: an extension that tells Tobira which page of the
//! user's kintone sites a tab shows, through native messaging. This module
//! is everything but the process around it: who may call (the extension
//! ids), the framing, the conversation ([`host::Host`]), the host
//! manifests ([`install`]) and what the companion leaves for the window.

pub mod framing;
pub mod host;
pub mod install;
pub mod state;

use std::ffi::OsString;

use serde::{Deserialize, Serialize};
use tobira_guides::pages::SeenPage;

use crate::walkthroughs::{Completed, FlowSteps};
use crate::{Error, Session};
use state::{Connection, ConnectionStore, LastSeen, SeenStore};

/// The native-messaging host's name, in every manifest and in the
/// extension's `connectNative`.
pub const HOST_NAME: &str = "dev.tobira.companion";

/// The extension's ids, one source for the host's origin check and the
/// manifests' `allowed_origins` (`browser/extension/ids.json`).
#[derive(Debug, Deserialize)]
pub struct ExtensionIds {
    /// The id the manifest's `key` gives (unpacked and self-hosted builds).
    pub chromium_dev: String,
    /// Ids the stores gave the published extension.
    #[serde(default)]
    pub chromium_stores: Vec<String>,
    /// Firefox's `browser_specific_settings.gecko.id`.
    pub gecko: String,
}

impl ExtensionIds {
    pub fn get() -> ExtensionIds {
        serde_json::from_str(include_str!("../../../../../browser/extension/ids.json"))
            .expect("browser/extension/ids.json is checked by a test")
    }

    /// `chrome-extension://ID/` of every Chromium id.
    pub fn chromium_origins(&self) -> Vec<String> {
        std::iter::once(&self.chromium_dev)
            .chain(&self.chromium_stores)
            .map(|id| format!("chrome-extension://{id}/"))
            .collect()
    }
}

/// How the process was started, told from its arguments before any
/// command-line parsing: a host manifest cannot pass arguments, so the
/// browser's own are all there is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Chromium, Chrome or Edge: `tobira chrome-extension://ID/ [--parent-window=N]`.
    Chromium { origin: String },
    /// Firefox: `tobira /path/to/manifest.json EXTENSION-ID`.
    Firefox { extension: String },
    /// `tobira native-host`: a person or a test started it on purpose.
    Explicit,
}

impl Caller {
    /// `None` when these are not a browser's arguments (a normal command
    /// line); `Some(Err(…))` when a browser started us for an extension
    /// that is not Tobira's.
    pub fn from_args(args: &[OsString]) -> Option<Result<Caller, String>> {
        let first = args.get(1)?.to_str()?;
        let ids = ExtensionIds::get();
        if first == "native-host" {
            return Some(Ok(Caller::Explicit));
        }
        if first.starts_with("chrome-extension://") {
            let known = ids.chromium_origins().iter().any(|o| o == first);
            return Some(if known {
                Ok(Caller::Chromium {
                    origin: first.to_owned(),
                })
            } else {
                Err(format!("the extension {first} is not Tobira's companion"))
            });
        }
        // Firefox passes the manifest's path, then the extension's id.
        let second = args.get(2).and_then(|a| a.to_str())?;
        (first.ends_with(".json") && second.contains('@')).then(|| {
            if second == ids.gecko {
                Ok(Caller::Firefox {
                    extension: second.to_owned(),
                })
            } else {
                Err(format!("the extension {second} is not Tobira's companion"))
            }
        })
    }
}

/// The walkthrough the companion's popup shows: the one in the side panel,
/// else the last one begun.
#[derive(Debug, Clone, Serialize)]
pub struct FlowStatus {
    pub id: String,
    pub title: String,
    /// The step to do now (the last one when all are done).
    pub step: Option<StepRef>,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepRef {
    pub id: String,
    pub title: String,
}

impl Session {
    /// Whether the organisation lets the companion connect.
    pub fn companion_allowed(&self) -> bool {
        self.profile().companion_allowed()
    }

    /// The hosts of the user's sites: their own and the guest sites.
    pub fn site_hosts(&self) -> Vec<String> {
        self.profile().sites().iter().map(|s| s.host()).collect()
    }

    /// Of the user's sites, the one a look-alike `host` most likely meant.
    pub fn nearest_site(&self, host: &str) -> Option<String> {
        let hosts = self.site_hosts();
        hosts
            .iter()
            .find(|h| {
                let subdomain = h.split('.').next().unwrap_or_default();
                host.contains(subdomain)
            })
            .or(hosts.first())
            .cloned()
    }

    /// Completes what `page` of `host` proves and tells the window.
    pub fn page_seen(&self, host: &str, page: &SeenPage<'_>) -> Result<Vec<Completed>, Error> {
        let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        let language = self.language();
        let profile = self.profile();
        let completed = self
            .walkthroughs
            .page_seen(&profile, language, host, page, now)?;
        drop(profile);
        if !completed.is_empty() {
            self.changed();
        }
        Ok(completed)
    }

    /// The causes an error text most likely means, best first (at most 3).
    pub fn likely_causes(&self, text: &str) -> Vec<String> {
        self.troubleshoot(text, &[])
            .map(|outcome| {
                outcome
                    .matches
                    .into_iter()
                    .take(3)
                    .map(|m| m.cause)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every walkthrough with each step's state (`tobira flows`), in
    /// `language` if given, else the user's.
    pub fn flow_steps(&self, language: Option<tobira_core::Language>) -> Vec<FlowSteps> {
        let language = language.unwrap_or_else(|| self.language());
        let profile = self.profile();
        self.walkthroughs.flow_steps(&profile, language)
    }

    /// The walkthrough in the side panel, else the first one begun.
    pub fn current_flow_status(&self) -> Option<FlowStatus> {
        let id = self
            .walkthroughs
            .overlay()
            .flow
            .or_else(|| self.walkthroughs.begun().into_iter().next())?;
        let flow = self.flow(&id).ok()?;
        let step = flow
            .current
            .as_ref()
            .and_then(|c| flow.steps.iter().find(|s| &s.id == c))
            .map(|s| StepRef {
                id: s.id.clone(),
                title: s.title.clone(),
            });
        Some(FlowStatus {
            id: flow.id,
            title: flow.title,
            step,
            done: flow.done,
            total: flow.total,
        })
    }

    /// In the runtime folder; a session on a folder of its own (tests, a
    /// portable install) keeps it in `run/` there instead.
    fn seen_store(&self) -> Option<SeenStore> {
        let config = self.config_dir()?;
        let dir = match tobira_core::settings::config_dir() {
            Ok(default) if default == config => tobira_core::settings::runtime_dir()?,
            _ => config.join("run"),
        };
        Some(SeenStore::in_dir(&dir))
    }

    /// What the browser showed last, if recent.
    pub fn last_seen(&self) -> Option<LastSeen> {
        self.seen_store()?.load(std::time::SystemTime::now())
    }

    /// Keeps what the browser showed for the window. A hint only: a
    /// failure to write it is not worth stopping the host for.
    pub fn remember_seen(&self, seen: &LastSeen) {
        if let Some(store) = self.seen_store() {
            let _ = store.save(seen);
        }
    }

    /// Forgets what the browser showed (the user dismissed it).
    pub fn forget_seen(&self) {
        if let Some(store) = self.seen_store() {
            store.clear();
        }
    }

    /// The file the window watches for what the browser showed.
    pub fn seen_path(&self) -> Option<std::path::PathBuf> {
        self.seen_store().map(|s| s.path().to_owned())
    }

    /// The companion's part of the support report.
    pub fn companion_facts(&self) -> crate::report::CompanionFacts {
        let connection = self.companion_connection();
        let hosts = install::status(&install::Browser::ALL)
            .into_iter()
            .filter(install::HostEntry::reachable)
            .map(|entry| format!("{} ({})", entry.browser.name(), entry.level.name()))
            .collect();
        crate::report::CompanionFacts {
            allowed: self.companion_allowed(),
            last_connected: connection.last_connected,
            extension_version: connection.extension_version,
            browser: connection.browser,
            hosts,
        }
    }

    /// When the extension last connected, for `tobira companion status`.
    pub fn companion_connection(&self) -> Connection {
        self.config_dir()
            .and_then(|dir| ConnectionStore::in_dir(&dir).load().ok())
            .unwrap_or_default()
    }

    /// Whether the companion is allowed and the extension connected in the
    /// last [`state::IN_USE_WITHIN`].
    pub fn companion_in_use(&self) -> bool {
        self.companion_allowed()
            && self
                .companion_connection()
                .last_connected
                .and_then(|at| humantime::parse_rfc3339(&at).ok())
                .and_then(|at| std::time::SystemTime::now().duration_since(at).ok())
                .is_some_and(|age| age <= state::IN_USE_WITHIN)
    }

    /// Records that the extension connected. Best effort, as above.
    pub fn companion_connected(&self, connection: Connection) {
        if let Some(dir) = self.config_dir() {
            let store = ConnectionStore::in_dir(&dir);
            let other = store.load().map(|c| c.other).unwrap_or_default();
            let _ = store.save(&Connection {
                other,
                ..connection
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_caller_is_told_from_the_browsers_arguments() {
        let ids = ExtensionIds::get();
        let origin = format!("chrome-extension://{}/", ids.chromium_dev);
        assert_eq!(
            Caller::from_args(&args(&["tobira", &origin, "--parent-window=0"])),
            Some(Ok(Caller::Chromium {
                origin: origin.clone()
            }))
        );
        assert!(matches!(
            Caller::from_args(&args(&[
                "tobira",
                "chrome-extension://abcdefghijklmnopabcdefghijklmnop/"
            ])),
            Some(Err(_))
        ));
        assert_eq!(
            Caller::from_args(&args(&[
                "tobira",
                "/usr/lib/mozilla/native-messaging-hosts/dev.tobira.companion.json",
                &ids.gecko
            ])),
            Some(Ok(Caller::Firefox {
                extension: ids.gecko.clone()
            }))
        );
        assert!(matches!(
            Caller::from_args(&args(&[
                "tobira",
                "/x/dev.tobira.companion.json",
                "evil@example.com"
            ])),
            Some(Err(_))
        ));
        assert_eq!(
            Caller::from_args(&args(&["tobira", "native-host"])),
            Some(Ok(Caller::Explicit))
        );
        for normal in [
            &["tobira"][..],
            &["tobira", "site", "show"],
            &["tobira", "export", "a.json"],
            &["tobira", "tobira://flow/x"],
        ] {
            assert_eq!(Caller::from_args(&args(normal)), None, "{normal:?}");
        }
    }

    #[test]
    fn the_ids_are_the_extensions() {
        let ids = ExtensionIds::get();
        assert_eq!(ids.chromium_dev.len(), 32);
        assert!(ids.chromium_dev.bytes().all(|b| (b'a'..=b'p').contains(&b)));
        let manifest: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../../browser/extension/manifest.json"
        ))
        .unwrap();
        assert!(
            manifest["key"].is_string(),
            "the manifest fixes the id with a key"
        );
    }
}
