//! The policy as the Windows registry or a macOS property list holds it:
//! named values in two layers. One mapping turns them into the raw values
//! the TOML reader produces, so every source goes through the same checks
//! ([`RawValues::check`]) and its problems name the value instead of a line.

use std::collections::HashSet;

use serde::de::{DeserializeOwned, IntoDeserializer};
use toml::Spanned;

use super::definition::POLICY_KEYS;
use super::{
    key_named, Marks, ProblemPlace, RawBookmark, RawHelpdesk, RawReading, RawValues, Subject,
};
use crate::policy::PolicyProblem;

/// One value of a store, before it is read as a setting.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreValue {
    /// REG_SZ, `<string>`.
    Text(String),
    /// REG_DWORD, `<integer>`.
    Number(u64),
    /// `<true/>`, `<false/>`.
    Bool(bool),
    /// `<array>`.
    List(Vec<StoreValue>),
    /// A registry subkey or a `<dict>`: named values in their order.
    Table(Vec<(String, StoreValue)>),
    /// A kind Tobira never reads, described for the message (`hex(2)`, `<data>`).
    Unsupported(String),
}

/// How a store names a value inside a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `…\Tobira\helpdesk\url`
    Registry,
    /// `Recommended.helpdesk.url`
    Plist,
}

impl Naming {
    pub fn child(self, parent: &str, name: &str) -> String {
        match (parent.is_empty(), self) {
            (true, _) => name.to_owned(),
            (false, Naming::Registry) => format!("{parent}\\{name}"),
            (false, Naming::Plist) => format!("{parent}.{name}"),
        }
    }
}

/// One named value of a layer, and its full name for messages
/// (`HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\site`, `Recommended.site`).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreEntry {
    pub name: String,
    pub at: String,
    pub value: StoreValue,
}

/// One store's policy as read, unchecked.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreReading {
    pub naming: Naming,
    pub recommended: Vec<StoreEntry>,
    pub locked: Vec<StoreEntry>,
    /// What could not be taken as a value at all (a deletion, a kind of
    /// entry regedit writes that Tobira never reads): where, and why.
    pub problems: Vec<(String, String)>,
}

impl StoreReading {
    pub fn new(naming: Naming) -> StoreReading {
        StoreReading {
            naming,
            recommended: Vec::new(),
            locked: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The same raw values a TOML file gives, and every problem of the
    /// mapping (unknown names, wrong kinds), each naming its value.
    pub(super) fn into_raw(self) -> RawReading {
        let mut mapper = Mapper {
            naming: self.naming,
            places: Vec::new(),
            problems: Vec::new(),
            region_unreadable: false,
        };
        for (at, message) in self.problems {
            mapper.problem(&at, None, message);
        }
        let recommended = mapper.values(self.recommended);
        let locked = mapper.values(self.locked);
        RawReading {
            recommended,
            locked,
            region_unreadable: mapper.region_unreadable,
            problems: mapper.problems,
            marks: Marks::Places(mapper.places),
        }
    }
}

const TEXT: &str = "a string (REG_SZ; <string> in a plist)";
const FLAG: &str = "0 or 1 (REG_DWORD; <true/> or <false/> in a plist)";
const LIST: &str =
    "a list (a subkey whose values are named 1, 2, 3, …; an <array> of <string> in a plist)";
const HELPDESK: &str = "a subkey (a <dict> in a plist) with name, email, url and phone";
const BOOKMARKS: &str =
    "a JSON array of {\"name\": …, \"url\": …} (REG_SZ; an <array> of <dict> in a plist)";

fn kind(value: &StoreValue) -> String {
    match value {
        StoreValue::Text(_) => "a string".into(),
        StoreValue::Number(n) => format!("the number {n}"),
        StoreValue::Bool(b) => format!("<{b}/>"),
        StoreValue::List(_) => "a list".into(),
        StoreValue::Table(_) => "a subkey or dictionary".into(),
        StoreValue::Unsupported(what) => what.clone(),
    }
}

/// Reads one store's values into raw values; `places` names each value a
/// [`Spanned`] marks (its span's start is the index), for the checks'
/// messages.
struct Mapper {
    naming: Naming,
    places: Vec<String>,
    problems: Vec<PolicyProblem>,
    region_unreadable: bool,
}

impl Mapper {
    fn problem(&mut self, at: &str, subject: Option<Subject>, message: String) {
        self.problems.push(PolicyProblem {
            place: ProblemPlace::Value { at: at.to_owned() },
            message,
            subject,
        });
    }

    fn wrong_kind(&mut self, key: &'static str, at: &str, value: &StoreValue, expected: &str) {
        let found = kind(value);
        self.problem(
            at,
            Some(Subject::Key(key)),
            format!("{key}: expected {expected}, found {found}"),
        );
    }

    fn marked(&mut self, at: String, text: String) -> Spanned<String> {
        let mark = self.places.len();
        self.places.push(at);
        Spanned::new(mark..mark, text)
    }

    fn values(&mut self, layer: Vec<StoreEntry>) -> RawValues {
        let mut raw = RawValues::default();
        let mut seen = HashSet::new();
        for StoreEntry { name, at, value } in layer {
            let Some(key) = key_named(&name) else {
                let message = format!(
                    "unknown key `{name}`; the keys are {}",
                    POLICY_KEYS
                        .iter()
                        .map(|k| k.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                self.problem(&at, Some(Subject::Unknown(name)), message);
                continue;
            };
            if !seen.insert(key) {
                self.problem(
                    &at,
                    Some(Subject::Key(key)),
                    format!("{key}: set twice in one layer; the first applies, remove the other"),
                );
                continue;
            }
            match key {
                "site" => raw.site = self.text(key, at, value),
                "default_region" => {
                    raw.default_region = self.named(key, &at, value);
                    self.region_unreadable = raw.default_region.is_none();
                }
                "language" => raw.language = self.named(key, &at, value),
                "autostart" => raw.autostart = self.flag(key, &at, value),
                "keep_in_tray" => raw.keep_in_tray = self.flag(key, &at, value),
                "allow_guest_sites" => raw.allow_guest_sites = self.flag(key, &at, value),
                "companion" => raw.companion = self.flag(key, &at, value),
                "helpdesk" => raw.helpdesk = self.helpdesk(at, value),
                "hidden_flows" => raw.hidden_flows = self.list(key, &at, value),
                "guide_dirs" => raw.guide_dirs = self.list(key, &at, value),
                _ => raw.bookmarks = self.bookmarks(&at, value),
            }
        }
        raw
    }

    fn text(
        &mut self,
        key: &'static str,
        at: String,
        value: StoreValue,
    ) -> Option<Spanned<String>> {
        match value {
            StoreValue::Text(text) => Some(self.marked(at, text)),
            other => {
                self.wrong_kind(key, &at, &other, TEXT);
                None
            }
        }
    }

    /// A word such as a region or a language, read as TOML reads it.
    fn named<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
        at: &str,
        value: StoreValue,
    ) -> Option<T> {
        let StoreValue::Text(text) = value else {
            self.wrong_kind(key, at, &value, TEXT);
            return None;
        };
        let read: Result<T, serde::de::value::Error> =
            T::deserialize(text.as_str().into_deserializer());
        read.map_err(|e| self.problem(at, Some(Subject::Key(key)), format!("{key}: {e}")))
            .ok()
    }

    fn flag(&mut self, key: &'static str, at: &str, value: StoreValue) -> Option<bool> {
        match value {
            StoreValue::Bool(flag) => Some(flag),
            StoreValue::Number(0) => Some(false),
            StoreValue::Number(1) => Some(true),
            other => {
                self.wrong_kind(key, at, &other, FLAG);
                None
            }
        }
    }

    /// A `<array>` of strings, or Chrome's list convention in the
    /// registry: a subkey whose values are named 1, 2, 3, … in that order.
    fn list(
        &mut self,
        key: &'static str,
        at: &str,
        value: StoreValue,
    ) -> Option<Vec<Spanned<String>>> {
        let items: Vec<(String, StoreValue)> = match value {
            StoreValue::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| (format!("{at}[{i}]"), item))
                .collect(),
            StoreValue::Table(entries) => {
                let mut numbered = Vec::new();
                for (name, item) in entries {
                    let place = self.naming.child(at, &name);
                    match name.parse::<u32>() {
                        Ok(n) => numbered.push((n, place, item)),
                        Err(_) => self.problem(
                            &place,
                            Some(Subject::Key(key)),
                            format!(
                                "{key}: the values of a list are named 1, 2, 3, …, not '{name}'"
                            ),
                        ),
                    }
                }
                numbered.sort_by_key(|(n, _, _)| *n);
                numbered
                    .into_iter()
                    .map(|(_, place, item)| (place, item))
                    .collect()
            }
            other => {
                self.wrong_kind(key, at, &other, LIST);
                return None;
            }
        };
        let mut list = Vec::new();
        for (place, item) in items {
            list.extend(self.text(key, place, item));
        }
        Some(list)
    }

    fn helpdesk(&mut self, at: String, value: StoreValue) -> Option<RawHelpdesk> {
        let StoreValue::Table(entries) = value else {
            self.wrong_kind("helpdesk", &at, &value, HELPDESK);
            return None;
        };
        let mut helpdesk = RawHelpdesk::default();
        for (name, value) in entries {
            let place = self.naming.child(&at, &name);
            if !["name", "email", "url", "phone"].contains(&name.as_str()) {
                self.problem(
                    &place,
                    Some(Subject::Key("helpdesk")),
                    format!("helpdesk: unknown value `{name}`; a helpdesk has name, email, url and phone"),
                );
                continue;
            }
            let text = self.text("helpdesk", place, value);
            match name.as_str() {
                "name" => helpdesk.name = text.map(Spanned::into_inner),
                "email" => helpdesk.email = text,
                "url" => helpdesk.url = text,
                _ => helpdesk.phone = text.map(Spanned::into_inner),
            }
        }
        Some(helpdesk)
    }

    /// A JSON array in one REG_SZ (the registry has no list of tables), or
    /// an `<array>` of `<dict>`.
    fn bookmarks(&mut self, at: &str, value: StoreValue) -> Option<Vec<RawBookmark>> {
        let items = match value {
            StoreValue::Text(json) => match serde_json::from_str(&json) {
                Ok(serde_json::Value::Array(items)) => items.into_iter().map(from_json).collect(),
                Ok(_) | Err(_) => {
                    self.problem(
                        at,
                        Some(Subject::Key("bookmarks")),
                        format!(
                            "bookmarks: expected {BOOKMARKS}; the text is not such a JSON array"
                        ),
                    );
                    return None;
                }
            },
            StoreValue::List(items) => items,
            other => {
                self.wrong_kind("bookmarks", at, &other, BOOKMARKS);
                return None;
            }
        };
        let mut list = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            list.extend(self.bookmark(&format!("{at}[{i}]"), item));
        }
        Some(list)
    }

    fn bookmark(&mut self, at: &str, item: StoreValue) -> Option<RawBookmark> {
        let subject = || Some(Subject::Key("bookmarks"));
        let StoreValue::Table(entries) = item else {
            self.wrong_kind("bookmarks", at, &item, "a name and a url");
            return None;
        };
        let (mut name, mut url) = (None, None);
        for (field, value) in entries {
            let place = format!("{at}.{field}");
            match field.as_str() {
                "name" => name = self.text("bookmarks", place, value),
                "url" => url = self.text("bookmarks", place, value),
                _ => self.problem(
                    &place,
                    subject(),
                    format!("bookmarks: unknown field `{field}`; a bookmark has a name and a url"),
                ),
            }
        }
        match (name, url) {
            (Some(name), Some(url)) => Some(RawBookmark { name, url }),
            _ => {
                self.problem(
                    at,
                    subject(),
                    "bookmarks: a bookmark needs both a name and a url".into(),
                );
                None
            }
        }
    }
}

fn from_json(value: serde_json::Value) -> StoreValue {
    use serde_json::Value;
    match value {
        Value::String(text) => StoreValue::Text(text),
        Value::Bool(flag) => StoreValue::Bool(flag),
        Value::Number(n) => n.as_u64().map_or_else(
            || StoreValue::Unsupported(format!("the number {n}")),
            StoreValue::Number,
        ),
        Value::Array(items) => StoreValue::List(items.into_iter().map(from_json).collect()),
        Value::Object(map) => {
            StoreValue::Table(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
        Value::Null => StoreValue::Unsupported("null".into()),
    }
}
