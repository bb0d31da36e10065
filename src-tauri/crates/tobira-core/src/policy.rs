//! The organisation's policy: one TOML file at a system path that IT staff
//! push to every PC. `[recommended]` values are defaults the user may
//! change; `[locked]` values the user cannot change. The effective value of
//! each setting is: built-in < recommended < user < locked.
//!
//! Problems are reported and dropped value by value, with their line and
//! column, while every valid value stays in force (as browsers treat their
//! policies): an administrator's typo in one key never unlocks the site.

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
}

/// A checked policy file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    pub recommended: PolicyValues,
    pub locked: PolicyValues,
}

/// One thing wrong in a policy file, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
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

/// A policy file read: the values in force and what was dropped.
#[derive(Debug)]
pub struct LoadedPolicy {
    pub policy: Policy,
    /// [`PolicyError::Invalid`] naming every dropped value, if any.
    pub problem: Option<PolicyError>,
}

fn invalid_text(path: &Path, problems: &[PolicyProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{}:{}: {}", path.display(), p.line, p.column, p.message))
        .collect();
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

/// Reads the policy at `path`. A missing file is no policy (`Ok(None)`); a
/// file that cannot be read is an error; anything else is applied value by
/// value.
pub fn load(path: &Path) -> Result<Option<LoadedPolicy>, PolicyError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(PolicyError::Unreadable {
                path: path.to_owned(),
                source,
            })
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let (policy, mut problems) = parse(&text);
    if let Err(e) = std::str::from_utf8(&bytes) {
        let (line, column) = line_column(&text, e.valid_up_to());
        problems.insert(
            0,
            PolicyProblem {
                line,
                column,
                message: "the file is not UTF-8 text; save it as UTF-8".into(),
            },
        );
    }
    let problem = (!problems.is_empty()).then(|| PolicyError::Invalid {
        path: path.to_owned(),
        problems,
    });
    Ok(Some(LoadedPolicy { policy, problem }))
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

/// Parses and checks a policy: the values in force, and every problem
/// (each dropped value) with its place.
pub fn parse(text: &str) -> (Policy, Vec<PolicyProblem>) {
    let at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        PolicyProblem {
            line,
            column,
            message,
        }
    };
    let mut problems = Vec::new();
    if text.len() > MAX_POLICY_BYTES {
        problems.push(at(
            0,
            format!(
                "the file is larger than {} KiB; a policy is a page of settings",
                MAX_POLICY_BYTES / 1024
            ),
        ));
        return (Policy::default(), problems);
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
                    problems.push(at(offset, message));
                    found += 1;
                    if found >= MAX_PROBLEMS || !blank_line(&mut working, offset, duplicate_table) {
                        return RawPolicy::default();
                    }
                }
            }
        }
    };
    let raw_recommended = read(Layer::Recommended).recommended;
    let raw_locked = read(Layer::Locked).locked;
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    let region = raw_locked
        .default_region
        .or(raw_recommended.default_region)
        .unwrap_or(Region::Jp);
    // A bare subdomain means another company's site in another region: when
    // the region the file names cannot be read, such a site is not guessed.
    let region_unreadable = raw_locked.default_region.is_none()
        && raw_recommended.default_region.is_none()
        && text
            .lines()
            .any(|l| l.trim_start().starts_with("default_region"));
    let mut check = |raw: RawValues| {
        let raw = if region_unreadable {
            raw.without_bare_site(&mut |o, m| problems.push(at(o, m)))
        } else {
            raw
        };
        raw.check(region, &mut |o, m| problems.push(at(o, m)))
    };
    let recommended = check(raw_recommended);
    let locked = check(raw_locked);
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    (
        Policy {
            recommended,
            locked,
        },
        problems,
    )
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
}

#[derive(Debug, Deserialize)]
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
        }
    }

    /// The helpdesk URL, which the open allowlist also accepts.
    pub fn helpdesk_url(&self) -> Option<&str> {
        self.helpdesk.value.as_ref().and_then(|h| h.url.as_deref())
    }
}

#[cfg(test)]
mod tests;
