//! What `tobira policy show` reports: per key, the value in force, where it
//! came from, and what of the policy was dropped or is overridden; then
//! the names that are no key and the stores that were read.

use std::path::Path;

use serde::Serialize;

use super::definition::POLICY_KEYS;
use super::{EffectiveSettings, LoadedPolicy, PolicyError, Source, Subject};

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Diagnosis {
    pub keys: Vec<KeyReport>,
    pub unknown_keys: Vec<UnknownKey>,
    /// Problems about no one key (a file that is no policy, a deletion in
    /// a `.reg`), `where: message`.
    pub other_problems: Vec<String>,
    pub read: Vec<StoreRead>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyReport {
    pub key: &'static str,
    pub value: serde_json::Value,
    pub source: Source,
    /// The store the value came from; for `user`, the settings file.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub store: Option<String>,
    pub status: KeyStatus,
    /// Each refused value of this key, `where: message`.
    pub problems: Vec<String>,
    /// Values the policy sets for this key that are not in force.
    pub overridden: Vec<Overridden>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    Ok,
    /// The policy sets it, but a store above, the user's choice (over a
    /// recommendation) or a lock wins.
    Overridden,
    /// A value of it was refused (see its problems); the value in force
    /// comes from elsewhere.
    Dropped,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Ok => "ok",
            KeyStatus::Overridden => "overridden",
            KeyStatus::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overridden {
    pub source: Source,
    pub store: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnknownKey {
    pub name: String,
    /// `where: message`.
    pub problem: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoreRead {
    pub store: String,
    pub found: bool,
    /// Why it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub error: Option<String>,
}

impl Diagnosis {
    /// `loaded` over the user's settings (`effective`, resolved from both),
    /// whose file is `settings_file`.
    pub fn new(
        loaded: &LoadedPolicy,
        effective: &EffectiveSettings,
        settings_file: Option<&Path>,
    ) -> Diagnosis {
        let values = serde_json::to_value(effective).unwrap_or_default();
        let mut unknown_keys = Vec::new();
        let mut other_problems = Vec::new();
        for (path, problem) in loaded.dropped() {
            match &problem.subject {
                Some(Subject::Unknown(name)) => unknown_keys.push(UnknownKey {
                    name: name.clone(),
                    problem: problem.text(path),
                }),
                Some(Subject::Key(_)) => {}
                None => other_problems.push(problem.text(path)),
            }
        }
        let keys = POLICY_KEYS
            .iter()
            .map(|definition| {
                let key = definition.name;
                let field = if key == "bookmarks" {
                    "org_bookmarks"
                } else {
                    key
                };
                let setting = &values[field];
                let source = effective.source_of(key);
                let mut sets: Vec<Overridden> = [Source::Locked, Source::Recommended]
                    .into_iter()
                    .flat_map(|layer| {
                        loaded.stores.iter().filter_map(move |store| {
                            let values = match layer {
                                Source::Locked => &store.values.locked,
                                _ => &store.values.recommended,
                            };
                            values.sets(key).then(|| Overridden {
                                source: layer,
                                store: store.name.clone(),
                            })
                        })
                    })
                    .collect();
                let in_force = sets.iter().position(|s| s.source == source);
                let store = match (source, in_force) {
                    (Source::User, _) => settings_file.map(|f| f.display().to_string()),
                    (_, Some(i)) => Some(sets.remove(i).store),
                    (_, None) => None,
                };
                let problems: Vec<String> = loaded
                    .dropped()
                    .filter(|(_, p)| p.subject == Some(Subject::Key(key)))
                    .map(|(path, p)| p.text(path))
                    .collect();
                let status = match (problems.is_empty(), sets.is_empty()) {
                    (false, _) => KeyStatus::Dropped,
                    (true, false) => KeyStatus::Overridden,
                    (true, true) => KeyStatus::Ok,
                };
                KeyReport {
                    key,
                    value: setting["value"].clone(),
                    source,
                    store,
                    status,
                    problems,
                    overridden: sets,
                }
            })
            .collect();
        let read = loaded
            .stores
            .iter()
            .map(|store| StoreRead {
                store: store.name.clone(),
                found: store.found,
                error: match &store.problem {
                    Some(e @ PolicyError::Unreadable { .. }) => Some(e.to_string()),
                    _ => None,
                },
            })
            .collect();
        Diagnosis {
            keys,
            unknown_keys,
            other_problems,
            read,
        }
    }
}

impl EffectiveSettings {
    /// Where the value in force of `key` comes from.
    pub fn source_of(&self, key: &str) -> Source {
        match key {
            "site" => self.site.source,
            "default_region" => self.default_region.source,
            "language" => self.language.source,
            "autostart" => self.autostart.source,
            "keep_in_tray" => self.keep_in_tray.source,
            "helpdesk" => self.helpdesk.source,
            "hidden_flows" => self.hidden_flows.source,
            "guide_dirs" => self.guide_dirs.source,
            "bookmarks" => self.org_bookmarks.source,
            "allow_guest_sites" => self.allow_guest_sites.source,
            "companion" => self.companion.source,
            _ => Source::Builtin,
        }
    }
}
