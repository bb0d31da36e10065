//! The organisation's policy: one TOML file at a system path that IT staff
//! push to every PC. `[recommended]` values are defaults the user may
//! change; `[locked]` values the user cannot change. The effective value of
//! each setting is: built-in < recommended < user < locked.
//!
//! Problems are reported and dropped value by value, with their line and
//! column, while every valid value stays in force (as browsers treat their
//! policies): an administrator's typo in one key never unlocks the site.
//!
//! Windows reads the same keys from the registry and macOS from managed
//! preferences ([`load_installed`]); one mapping ([`store`]) turns those
//! into the values the TOML reader produces, so every source is checked
//! alike. The same readers check a `.reg` export, a `.plist` or a
//! `.mobileconfig` anywhere ([`load`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;
use url::Url;

use crate::bookmarks::{self, OrgBookmark};
use crate::language::Language;
use crate::position::line_column;
use crate::scope;
use crate::settings::Settings;
use crate::site::{Region, SiteAddress};

mod diagnosis;
pub mod plist_file;
pub mod reg_file;
pub mod store;

// The OS's own stores, read before the file: one small file per OS.
#[cfg_attr(windows, path = "policy/os_windows.rs")]
#[cfg_attr(target_os = "macos", path = "policy/os_macos.rs")]
#[cfg_attr(not(any(windows, target_os = "macos")), path = "policy/os_other.rs")]
mod os;

pub use diagnosis::{Diagnosis, KeyReport, KeyStatus, StoreRead, UnknownKey};

/// The key `name` names, if it is one (of [`definition::POLICY_KEYS`]).
fn key_named(name: &str) -> Option<&'static str> {
    definition::POLICY_KEYS
        .iter()
        .find(|k| k.name == name)
        .map(|k| k.name)
}

pub mod definition;

/// A policy file to use where the organisation has none (tests, and IT
/// staff trying a file out). It never replaces the system policy: a user
/// could otherwise lift every lock by setting a variable.
pub const POLICY_ENV: &str = "TOBIRA_POLICY";

/// The system policy when it exists, else [`POLICY_ENV`] when set.
pub fn policy_path() -> PathBuf {
    choose_policy_path(system_policy_path(), std::env::var_os(POLICY_ENV))
}

fn choose_policy_path(system: PathBuf, from_env: Option<std::ffi::OsString>) -> PathBuf {
    match from_env.filter(|p| !p.is_empty()) {
        Some(path) if !system.exists() => PathBuf::from(path),
        _ => system,
    }
}

/// Whether someone other than an administrator may change the policy file
/// (or replace it through its folder): then its locks protect nothing.
#[cfg(unix)]
pub fn writable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let loose = |p: &Path| fs::metadata(p).is_ok_and(|m| m.uid() != 0 || m.mode() & 0o022 != 0);
    path.exists() && (loose(path) || path.parent().is_some_and(loose))
}

/// Windows and macOS protect the policy's folders for administrators; ACLs
/// are not read here.
#[cfg(not(unix))]
pub fn writable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(windows)]
fn system_policy_path() -> PathBuf {
    let program_data = std::env::var_os("ProgramData")
        .unwrap_or_else(|| std::ffi::OsString::from(r"C:\ProgramData"));
    PathBuf::from(program_data)
        .join("Tobira")
        .join("policy.toml")
}

#[cfg(target_os = "macos")]
fn system_policy_path() -> PathBuf {
    PathBuf::from("/Library/Application Support/Tobira/policy.toml")
}

#[cfg(not(any(windows, target_os = "macos")))]
fn system_policy_path() -> PathBuf {
    PathBuf::from("/etc/tobira/policy.toml")
}

/// Who to ask for help inside the organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Helpdesk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub phone: Option<String>,
}

/// The values one table (`[recommended]` or `[locked]`) sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyValues {
    pub site: Option<SiteAddress>,
    pub default_region: Option<Region>,
    pub language: Option<Language>,
    pub autostart: Option<bool>,
    pub keep_in_tray: Option<bool>,
    pub helpdesk: Option<Helpdesk>,
    pub hidden_flows: Option<Vec<String>>,
    pub guide_dirs: Option<Vec<PathBuf>>,
    pub bookmarks: Option<Vec<OrgBookmark>>,
    /// Whether users may add sites of other companies they are a guest in.
    pub allow_guest_sites: Option<bool>,
    /// Whether the browser companion may connect.
    pub companion: Option<bool>,
}

impl PolicyValues {
    /// Each value of `self`, else of `lower`.
    fn or(self, lower: &PolicyValues) -> PolicyValues {
        let lower = lower.clone();
        PolicyValues {
            site: self.site.or(lower.site),
            default_region: self.default_region.or(lower.default_region),
            language: self.language.or(lower.language),
            autostart: self.autostart.or(lower.autostart),
            keep_in_tray: self.keep_in_tray.or(lower.keep_in_tray),
            helpdesk: self.helpdesk.or(lower.helpdesk),
            hidden_flows: self.hidden_flows.or(lower.hidden_flows),
            guide_dirs: self.guide_dirs.or(lower.guide_dirs),
            bookmarks: self.bookmarks.or(lower.bookmarks),
            allow_guest_sites: self.allow_guest_sites.or(lower.allow_guest_sites),
            companion: self.companion.or(lower.companion),
        }
    }

    /// Whether this layer sets `key`.
    pub fn sets(&self, key: &str) -> bool {
        match key {
            "site" => self.site.is_some(),
            "default_region" => self.default_region.is_some(),
            "language" => self.language.is_some(),
            "autostart" => self.autostart.is_some(),
            "keep_in_tray" => self.keep_in_tray.is_some(),
            "helpdesk" => self.helpdesk.is_some(),
            "hidden_flows" => self.hidden_flows.is_some(),
            "guide_dirs" => self.guide_dirs.is_some(),
            "bookmarks" => self.bookmarks.is_some(),
            "allow_guest_sites" => self.allow_guest_sites.is_some(),
            "companion" => self.companion.is_some(),
            _ => false,
        }
    }
}

/// A checked policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    pub recommended: PolicyValues,
    pub locked: PolicyValues,
}

/// One thing wrong in a policy, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    #[serde(flatten)]
    pub place: ProblemPlace,
    pub message: String,
    /// The key it is about, for `tobira policy show`.
    #[serde(skip)]
    pub subject: Option<Subject>,
}

/// Where a problem is: a line of a text file, or a value by its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum ProblemPlace {
    /// 1-based, in a TOML file (or the whole of another file: 1:1).
    Text { line: usize, column: usize },
    /// A registry value or a property list key, by its full name
    /// (`HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\site`, `Recommended.language`).
    Value { at: String },
}

/// What a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Key(&'static str),
    /// A name that is no key.
    Unknown(String),
}

impl PolicyProblem {
    /// `path:line:column: message`, or `path: value: message`.
    pub fn text(&self, path: &Path) -> String {
        match &self.place {
            ProblemPlace::Text { line, column } => {
                format!("{}:{line}:{column}: {}", path.display(), self.message)
            }
            ProblemPlace::Value { at } => format!("{}: {at}: {}", path.display(), self.message),
        }
    }

    fn whole_file(message: String) -> PolicyProblem {
        PolicyProblem {
            place: ProblemPlace::Text { line: 1, column: 1 },
            message,
            subject: None,
        }
    }
}

/// What a message of the checks is about: `unknown field `x``, or the key
/// it starts with (`site: …`, `helpdesk.url: …`).
fn subject_of(message: &str) -> Option<Subject> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        return rest
            .split('`')
            .next()
            .map(|name| Subject::Unknown(name.to_owned()));
    }
    key_named(message.split([':', '.']).next()?).map(Subject::Key)
}

/// The key a TOML line sets (`autostart = "yes"`), or the table it is in
/// (`[locked.helpdesk]`), for problems whose message does not say.
fn toml_key_at(text: &str, offset: usize) -> Option<Subject> {
    let key_of = |name: &str| key_named(name).map(Subject::Key);
    // A parser's offset may fall inside a character of a damaged file.
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or_default();
    if let Some(found) = line
        .split_once('=')
        .and_then(|(k, _)| key_of(k.trim().trim_matches('"')))
    {
        return Some(found);
    }
    let header = before
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('['))?;
    let name = header.trim().trim_matches(['[', ']']).split('.').nth(1)?;
    key_of(name.trim())
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    #[error("cannot read the policy file {path}: {source}; check that it exists and that every user may read it")]
    Unreadable { path: PathBuf, source: io::Error },
    /// Values that were dropped; the others are in force.
    #[error("{}", invalid_text(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<PolicyProblem>,
    },
}

/// A policy read from its stores: the values in force, and what each
/// store gave and dropped.
#[derive(Debug)]
pub struct LoadedPolicy {
    /// Per layer and key, the value of the first store that sets it.
    pub policy: Policy,
    /// Every store looked at, the one that wins first.
    pub stores: Vec<PolicyStore>,
}

/// One place a policy was looked for.
#[derive(Debug)]
pub struct PolicyStore {
    /// The file, registry key or managed preferences.
    pub name: String,
    pub found: bool,
    /// Its own good values.
    pub values: Policy,
    /// It could not be read, or values were dropped ([`PolicyError::Invalid`]).
    pub problem: Option<PolicyError>,
}

impl LoadedPolicy {
    pub fn errors(&self) -> impl Iterator<Item = &PolicyError> {
        self.stores.iter().filter_map(|s| s.problem.as_ref())
    }

    /// Every dropped value, store by store.
    pub fn dropped(&self) -> impl Iterator<Item = (&Path, &PolicyProblem)> {
        self.errors().flat_map(|e| match e {
            PolicyError::Invalid { path, problems } => {
                problems.iter().map(|p| (path.as_path(), p)).collect()
            }
            PolicyError::Unreadable { .. } => Vec::new(),
        })
    }
}

fn invalid_text(path: &Path, problems: &[PolicyProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| p.text(path)).collect();
    lines.join("\n")
}

crate::error_codes!(PolicyError {
    Self::Unreadable { .. } => "policy-unreadable",
    Self::Invalid { .. } => "policy-invalid",
});

impl PolicyError {
    pub fn path(&self) -> &Path {
        match self {
            PolicyError::Unreadable { path, .. } | PolicyError::Invalid { path, .. } => path,
        }
    }
}

/// Reads the policy file at `path`: TOML, a regedit export (`.reg`) or
/// managed preferences (`.plist`, `.mobileconfig`). A missing file is no
/// policy (`Ok(None)`); a file that cannot be read is an error; anything
/// else is applied value by value.
pub fn load(path: &Path) -> Result<Option<LoadedPolicy>, PolicyError> {
    Ok(read_file(path)?.map(|bytes| from_bytes(path, &bytes)))
}

/// A policy file's `bytes`, read as [`load`] reads the file at `path` (its
/// extension picks the format, its name is the store's).
pub fn from_bytes(path: &Path, bytes: &[u8]) -> LoadedPolicy {
    let name = path.display().to_string();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let inputs = match extension.as_deref() {
        Some("reg") => reg_inputs(path, bytes),
        Some("plist" | "mobileconfig") => {
            vec![StoreInput::found(path, name, plist_reading(bytes))]
        }
        _ => vec![StoreInput::found(path, name, toml_reading(bytes))],
    };
    check_stores(inputs)
}

/// The policy in force on this PC: the OS's stores (Windows: the registry's
/// machine then user policy; macOS: managed preferences), then the file at
/// `file`. Per key, the first store that sets it wins, in each layer.
pub fn load_installed(file: &Path) -> LoadedPolicy {
    let mut inputs = os::stores();
    inputs.push(file_store(file, toml_reading));
    check_stores(inputs)
}

fn read_file(path: &Path) -> Result<Option<Vec<u8>>, PolicyError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(PolicyError::Unreadable {
            path: path.to_owned(),
            source,
        }),
    }
}

/// A TOML file's raw values; bytes that are not UTF-8 are a problem.
fn toml_reading(bytes: &[u8]) -> RawReading {
    let text = String::from_utf8_lossy(bytes);
    let mut reading = read_toml(&text);
    if let Err(e) = std::str::from_utf8(bytes) {
        reading.problems.insert(
            0,
            toml_problem(
                &text,
                e.valid_up_to(),
                "the file is not UTF-8 text; save it as UTF-8".into(),
            ),
        );
    }
    reading
}

/// One store per hive of a regedit export, machine first.
fn reg_inputs(path: &Path, bytes: &[u8]) -> Vec<StoreInput> {
    let name = path.display().to_string();
    let read = reg_file::decode(bytes).and_then(|text| {
        reg_file::read(&text).map(|hives| {
            hives
                .into_iter()
                .map(|(hive, reading)| {
                    StoreInput::found(path, format!("{name}: {hive}"), reading.into_raw())
                })
                .collect()
        })
    });
    read.unwrap_or_else(|e| {
        let problem = PolicyProblem {
            place: ProblemPlace::Text {
                line: e.line,
                column: 1,
            },
            message: e.message,
            subject: None,
        };
        vec![StoreInput::found(
            path,
            name,
            RawReading::unusable(vec![problem]),
        )]
    })
}

/// Managed preferences or a profile.
fn plist_reading(bytes: &[u8]) -> RawReading {
    match plist_file::read(bytes) {
        Ok(reading) => reading.into_raw(),
        Err(message) => RawReading::unusable(vec![PolicyProblem::whole_file(message)]),
    }
}

/// The store of the file at `path`, read by `reading` when it is there.
fn file_store(path: &Path, reading: fn(&[u8]) -> RawReading) -> StoreInput {
    StoreInput {
        name: path.display().to_string(),
        path: path.to_owned(),
        reading: read_file(path).map(|bytes| bytes.map(|b| reading(&b))),
    }
}

/// A store before the checks: not there (`Ok(None)`), unreadable, or its
/// raw values.
struct StoreInput {
    name: String,
    /// What its problems are reported against.
    path: PathBuf,
    reading: Result<Option<RawReading>, PolicyError>,
}

impl StoreInput {
    fn found(path: &Path, name: String, reading: RawReading) -> StoreInput {
        StoreInput {
            name,
            path: path.to_owned(),
            reading: Ok(Some(reading)),
        }
    }
}

/// One store's values before the checks.
struct RawReading {
    recommended: RawValues,
    locked: RawValues,
    /// It names a default_region that cannot be read.
    region_unreadable: bool,
    problems: Vec<PolicyProblem>,
    marks: Marks,
}

/// Where a [`Spanned`] value is: its span's start is a byte offset in a
/// TOML text, or an index into the names of a store's values.
enum Marks {
    Offsets(String),
    Places(Vec<String>),
}

impl Marks {
    fn problem(&self, mark: usize, message: String) -> PolicyProblem {
        match self {
            Marks::Offsets(text) => toml_problem(text, mark, message),
            Marks::Places(places) => PolicyProblem {
                place: ProblemPlace::Value {
                    at: places.get(mark).cloned().unwrap_or_default(),
                },
                subject: subject_of(&message),
                message,
            },
        }
    }
}

fn toml_problem(text: &str, offset: usize, message: String) -> PolicyProblem {
    let (line, column) = line_column(text, offset);
    PolicyProblem {
        place: ProblemPlace::Text { line, column },
        subject: subject_of(&message).or_else(|| toml_key_at(text, offset)),
        message,
    }
}

impl RawReading {
    /// A store that could not be read as a policy at all.
    fn unusable(problems: Vec<PolicyProblem>) -> RawReading {
        RawReading {
            recommended: RawValues::default(),
            locked: RawValues::default(),
            region_unreadable: false,
            problems,
            marks: Marks::Places(Vec::new()),
        }
    }

    /// The good values and every problem; a TOML file's in file order.
    fn check(self, region: Region, region_unreadable: bool) -> (Policy, Vec<PolicyProblem>) {
        let RawReading {
            recommended,
            locked,
            mut problems,
            marks,
            ..
        } = self;
        let mut check = |raw: RawValues| {
            let mut report = |mark, message| problems.push(marks.problem(mark, message));
            let raw = if region_unreadable {
                raw.without_bare_site(&mut report)
            } else {
                raw
            };
            raw.check(region, &mut report)
        };
        let recommended = check(recommended);
        let locked = check(locked);
        if let Marks::Offsets(_) = marks {
            problems.sort_by(|a, b| a.place.cmp(&b.place));
        }
        problems.dedup();
        (
            Policy {
                recommended,
                locked,
            },
            problems,
        )
    }
}

/// The region a bare subdomain is read in: the first locked
/// default_region of all stores, else the first recommended one, else
/// Japan; and whether one was given that cannot be read (then a bare
/// subdomain is not guessed: it means another company's site elsewhere).
fn region_of<'r>(readings: impl Iterator<Item = &'r RawReading> + Clone) -> (Region, bool) {
    let first = |pick: fn(&RawReading) -> Option<Region>| readings.clone().find_map(pick);
    let named =
        first(|r| r.locked.default_region).or_else(|| first(|r| r.recommended.default_region));
    let unreadable = named.is_none() && readings.clone().any(|r| r.region_unreadable);
    (named.unwrap_or(Region::Jp), unreadable)
}

/// Checks every store and layers them, the first store winning per key.
fn check_stores(inputs: Vec<StoreInput>) -> LoadedPolicy {
    let (region, region_unreadable) = region_of(
        inputs
            .iter()
            .filter_map(|i| i.reading.as_ref().ok().and_then(Option::as_ref)),
    );
    let stores: Vec<PolicyStore> = inputs
        .into_iter()
        .map(|input| {
            let (found, values, problem) = match input.reading {
                Err(e) => (true, Policy::default(), Some(e)),
                Ok(None) => (false, Policy::default(), None),
                Ok(Some(reading)) => {
                    let (values, problems) = reading.check(region, region_unreadable);
                    let problem = (!problems.is_empty()).then_some(PolicyError::Invalid {
                        path: input.path,
                        problems,
                    });
                    (true, values, problem)
                }
            };
            PolicyStore {
                name: input.name,
                found,
                values,
                problem,
            }
        })
        .collect();
    let policy = stores
        .iter()
        .fold(Policy::default(), |policy, store| Policy {
            recommended: policy.recommended.or(&store.values.recommended),
            locked: policy.locked.or(&store.values.locked),
        });
    LoadedPolicy { policy, stores }
}

/// A file with more problems than this is not read further.
const MAX_PROBLEMS: usize = 1000;

/// A policy is a page of settings; a larger file is refused whole.
pub const MAX_POLICY_BYTES: usize = 256 * 1024;

/// Which table a line of the file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    /// Before the first table header.
    Top,
    Recommended,
    Locked,
    /// Any other table: reported in both readings, applied in neither.
    Other,
}

fn layer_of_header(line: &str) -> Option<Layer> {
    let name = line.trim().trim_start_matches('[').trim_start();
    if !line.trim_start().starts_with('[') {
        return None;
    }
    let word: String = name
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    Some(match word.as_str() {
        "recommended" => Layer::Recommended,
        "locked" => Layer::Locked,
        _ => Layer::Other,
    })
}

/// The file with every line of the other layer blanked (offsets kept), so
/// a mistake in `[recommended]` never costs a `[locked]` value, nor the
/// other way round.
fn only_layer(text: &str, keep: Layer) -> String {
    let mut layer = Layer::Top;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if let Some(found) = layer_of_header(line) {
            layer = found;
        }
        if layer == keep || layer == Layer::Top || layer == Layer::Other {
            out.push_str(line);
        } else {
            out.extend(line.chars().map(|c| match c {
                '\n' => "\n".to_owned(),
                c => " ".repeat(c.len_utf8()),
            }));
        }
    }
    out
}

/// Parses and checks a TOML policy: the values in force, and every
/// problem (each dropped value) with its place.
pub fn parse(text: &str) -> (Policy, Vec<PolicyProblem>) {
    let reading = read_toml(text);
    let (region, region_unreadable) = region_of(std::iter::once(&reading));
    reading.check(region, region_unreadable)
}

fn read_toml(text: &str) -> RawReading {
    let mut problems = Vec::new();
    if text.len() > MAX_POLICY_BYTES {
        return RawReading::unusable(vec![toml_problem(
            text,
            0,
            format!(
                "the file is larger than {} KiB; a policy is a page of settings",
                MAX_POLICY_BYTES / 1024
            ),
        )]);
    }
    // Each layer is read on its own; within it, a key the file cannot say
    // (unknown, wrong type, broken syntax) costs only its own line: it is
    // blanked and the text read again, offsets unchanged.
    let mut read = |keep: Layer| -> RawPolicy {
        let mut working = only_layer(text, keep);
        let mut found = 0;
        loop {
            match toml::from_str::<RawPolicy>(&working) {
                Ok(raw) => return raw,
                Err(e) => {
                    let offset = e.span().map_or(0, |s| s.start);
                    let message = e.message().trim_end().to_owned();
                    let duplicate_table = message.contains("duplicate key");
                    problems.push(toml_problem(text, offset, message));
                    found += 1;
                    if found >= MAX_PROBLEMS || !blank_line(&mut working, offset, duplicate_table) {
                        return RawPolicy::default();
                    }
                }
            }
        }
    };
    let recommended = read(Layer::Recommended).recommended;
    let locked = read(Layer::Locked).locked;
    let region_unreadable = locked.default_region.is_none()
        && recommended.default_region.is_none()
        && text
            .lines()
            .any(|l| l.trim_start().starts_with("default_region"));
    RawReading {
        recommended,
        locked,
        region_unreadable,
        problems,
        marks: Marks::Offsets(text.to_owned()),
    }
}

/// Blanks the line holding `offset` (spaces for its bytes) — the nearest
/// line above when that one is blank (a mistake found at the end of the
/// file) — and for a table header the table's lines too (its keys must not
/// fall into the table above), unless `header_only` (a table opened twice:
/// its keys join the first). False when nothing is left to take away.
fn blank_line(text: &mut String, offset: usize, header_only: bool) -> bool {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let mut start = line_start(offset);
    let mut end = line_end(offset);
    while text[start..end].trim().is_empty() {
        if start == 0 {
            return false;
        }
        end = start - 1;
        start = line_start(end);
    }
    if !header_only && text[start..end].trim_start().starts_with('[') {
        while end < text.len() {
            let next = line_end(end + 1);
            if text[end + 1..next].trim_start().starts_with('[') {
                break;
            }
            end = next;
        }
    }
    let blanked: String = text[start..end]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_owned()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(start..end, &blanked);
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    recommended: RawValues,
    #[serde(default)]
    locked: RawValues,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValues {
    site: Option<Spanned<String>>,
    default_region: Option<Region>,
    language: Option<Language>,
    autostart: Option<bool>,
    keep_in_tray: Option<bool>,
    helpdesk: Option<RawHelpdesk>,
    hidden_flows: Option<Vec<Spanned<String>>>,
    guide_dirs: Option<Vec<Spanned<String>>>,
    bookmarks: Option<Vec<RawBookmark>>,
    allow_guest_sites: Option<bool>,
    companion: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHelpdesk {
    name: Option<String>,
    email: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    phone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBookmark {
    name: Spanned<String>,
    url: Spanned<String>,
}

type Report<'a> = &'a mut dyn FnMut(usize, String);

impl RawValues {
    /// Drops a site given as a bare subdomain (its region is unknown).
    fn without_bare_site(mut self, report: Report<'_>) -> RawValues {
        if let Some(site) = self.site.take() {
            if site.get_ref().contains('.') {
                self.site = Some(site);
            } else {
                report(
                    site.span().start,
                    format!(
                        "site: '{}' is a bare subdomain and default_region could not be read, so its region is unknown; write the whole address ({}.cybozu.com, {}.kintone.com or {}.cybozu.cn)",
                        site.get_ref(),
                        site.get_ref(),
                        site.get_ref(),
                        site.get_ref()
                    ),
                );
            }
        }
        self
    }

    fn check(self, region: Region, report: Report<'_>) -> PolicyValues {
        let site = self.site.and_then(|site| {
            SiteAddress::parse(site.get_ref(), region)
                .map_err(|e| report(site.span().start, format!("site: {e}")))
                .ok()
        });
        let helpdesk = self.helpdesk.map(|h| h.check(report));
        let helpdesk_host = helpdesk
            .as_ref()
            .and_then(|h| h.url.as_deref())
            .and_then(|u| Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_owned));
        let hidden_flows = self.hidden_flows.map(|flows| {
            flows
                .into_iter()
                .filter_map(|flow| {
                    let ok = !flow.get_ref().is_empty()
                        && flow
                            .get_ref()
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if !ok {
                        report(
                            flow.span().start,
                            format!(
                                "hidden_flows: '{}' is not a flow id; flow ids look like guest-space-join (see `tobira guides list`)",
                                flow.get_ref()
                            ),
                        );
                    }
                    ok.then(|| flow.into_inner())
                })
                .collect()
        });
        let guide_dirs = self.guide_dirs.map(|dirs| {
            dirs.into_iter()
                .filter_map(|dir| {
                    let path = PathBuf::from(dir.get_ref());
                    if !path.is_absolute() {
                        report(
                            dir.span().start,
                            format!(
                                "guide_dirs: '{}' must be an absolute path, because the policy applies to every user",
                                dir.get_ref()
                            ),
                        );
                        return None;
                    }
                    Some(path)
                })
                .collect()
        });
        let bookmarks = self.bookmarks.map(|list| {
            list.into_iter()
                .filter_map(|b| b.check(helpdesk_host.as_deref(), report))
                .collect()
        });
        PolicyValues {
            site,
            default_region: self.default_region,
            language: self.language,
            autostart: self.autostart,
            keep_in_tray: self.keep_in_tray,
            helpdesk,
            hidden_flows,
            guide_dirs,
            bookmarks,
            allow_guest_sites: self.allow_guest_sites,
            companion: self.companion,
        }
    }
}

impl RawHelpdesk {
    fn check(self, report: Report<'_>) -> Helpdesk {
        let email = self.email.and_then(|email| {
            let text = email.get_ref().trim();
            let ok = text
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
                && !text.contains(char::is_whitespace);
            if !ok {
                report(
                    email.span().start,
                    format!("helpdesk.email: '{text}' is not an email address"),
                );
            }
            ok.then(|| text.to_owned())
        });
        let url = self.url.and_then(|url| {
            let ok = Url::parse(url.get_ref().trim()).is_ok_and(|u| scope::is_plain_https(&u));
            if !ok {
                report(
                    url.span().start,
                    format!(
                        "helpdesk.url: '{}' must be an https:// address without a user name or port",
                        url.get_ref()
                    ),
                );
            }
            ok.then(|| url.get_ref().trim().to_owned())
        });
        Helpdesk {
            name: self
                .name
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            email,
            url,
            phone: self
                .phone
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty()),
        }
    }
}

impl RawBookmark {
    fn check(self, helpdesk_host: Option<&str>, report: Report<'_>) -> Option<OrgBookmark> {
        let name = bookmarks::clean_name(self.name.get_ref())
            .map_err(|e| report(self.name.span().start, format!("bookmarks.name: {e}")))
            .ok();
        let text = self.url.get_ref().trim();
        let url_problem = if text.starts_with('/') && !text.starts_with("//") {
            None
        } else {
            match Url::parse(text) {
                Ok(url) if SiteAddress::parse(url.host_str().unwrap_or_default(), Region::Jp).is_ok() => Some(
                    "write pages of the kintone site as a path such as /k/45/, so the bookmark follows each user's site".to_owned(),
                ),
                Ok(url)
                    if scope::is_plain_https(&url)
                        && (scope::is_vendor_host(url.host_str().unwrap_or_default())
                            || url.host_str() == helpdesk_host) => None,
                _ => Some(format!(
                    "a bookmark is a path on the kintone site (/k/45/), a page of the vendor's sites ({}) or of the helpdesk URL",
                    scope::VENDOR_HOSTS.join(", ")
                )),
            }
        };
        if let Some(problem) = url_problem {
            report(
                self.url.span().start,
                format!("bookmarks.url: '{text}': {problem}"),
            );
            return None;
        }
        Some(OrgBookmark {
            name: name?,
            url: text.to_owned(),
        })
    }
}

/// Where an effective value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "SettingSource"))]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Builtin,
    Recommended,
    User,
    Locked,
}

/// One effective setting: its value, where it came from, and the
/// organisation's recommendation (so the UI can offer to reset to it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub recommended: Option<T>,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Builtin => "builtin",
            Source::Recommended => "recommended",
            Source::User => "user",
            Source::Locked => "locked",
        }
    }
}

impl<T> Setting<T> {
    pub fn is_locked(&self) -> bool {
        self.source == Source::Locked
    }
}

fn layer<T: Clone>(
    builtin: T,
    recommended: Option<T>,
    user: Option<T>,
    locked: Option<T>,
) -> Setting<T> {
    let (value, source) = match (locked, user, recommended.clone()) {
        (Some(v), _, _) => (v, Source::Locked),
        (None, Some(v), _) => (v, Source::User),
        (None, None, Some(v)) => (v, Source::Recommended),
        (None, None, None) => (builtin, Source::Builtin),
    };
    Setting {
        value,
        source,
        recommended,
    }
}

/// Every setting with the value in force and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EffectiveSettings {
    pub site: Setting<Option<SiteAddress>>,
    pub default_region: Setting<Region>,
    /// `None`: follow the OS language.
    pub language: Setting<Option<Language>>,
    pub autostart: Setting<bool>,
    /// Closing the main window keeps Tobira running in the tray.
    pub keep_in_tray: Setting<bool>,
    pub helpdesk: Setting<Option<Helpdesk>>,
    pub hidden_flows: Setting<Vec<String>>,
    pub guide_dirs: Setting<Vec<PathBuf>>,
    pub org_bookmarks: Setting<Vec<OrgBookmark>>,
    /// Users may add the sites of other companies they are a guest in.
    pub allow_guest_sites: Setting<bool>,
    /// The browser companion may connect (the native host answers, it may
    /// be installed, the window shows it).
    pub companion: Setting<bool>,
}

impl EffectiveSettings {
    pub fn resolve(policy: &Policy, user: &Settings) -> EffectiveSettings {
        let (r, l) = (&policy.recommended, &policy.locked);
        let some = |v: &Option<SiteAddress>| v.clone().map(Some);
        EffectiveSettings {
            site: layer(None, some(&r.site), some(&user.site), some(&l.site)),
            default_region: layer(
                Region::Jp,
                r.default_region,
                user.default_region,
                l.default_region,
            ),
            language: layer(
                None,
                r.language.map(Some),
                user.language.map(Some),
                l.language.map(Some),
            ),
            autostart: layer(false, r.autostart, user.autostart, l.autostart),
            keep_in_tray: layer(true, r.keep_in_tray, user.keep_in_tray, l.keep_in_tray),
            helpdesk: layer(
                None,
                r.helpdesk.clone().map(Some),
                None,
                l.helpdesk.clone().map(Some),
            ),
            hidden_flows: layer(
                Vec::new(),
                r.hidden_flows.clone(),
                None,
                l.hidden_flows.clone(),
            ),
            guide_dirs: layer(Vec::new(), r.guide_dirs.clone(), None, l.guide_dirs.clone()),
            org_bookmarks: layer(Vec::new(), r.bookmarks.clone(), None, l.bookmarks.clone()),
            allow_guest_sites: layer(true, r.allow_guest_sites, None, l.allow_guest_sites),
            companion: layer(true, r.companion, None, l.companion),
        }
    }

    /// The helpdesk URL, which the open allowlist also accepts.
    pub fn helpdesk_url(&self) -> Option<&str> {
        self.helpdesk.value.as_ref().and_then(|h| h.url.as_deref())
    }
}

#[cfg(test)]
mod tests;
