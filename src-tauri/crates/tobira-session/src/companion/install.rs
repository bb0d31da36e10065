//! The host manifests that tell each browser where `tobira` is: one JSON
//! file per browser, in the browser's folder for the user or for the whole
//! machine; on Windows the file sits in Tobira's folder and a registry key
//! points to it. Chromium-family manifests list `allowed_origins`, Firefox's
//! `allowed_extensions` (Firefox refuses a manifest with the other key), so
//! each browser gets its own file.
//!
//! Locations: <https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-location>,
//! <https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_manifests#manifest_location>,
//! <https://learn.microsoft.com/en-us/microsoft-edge/extensions/developer-guide/native-messaging>.

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use super::{ExtensionIds, HOST_NAME};

#[cfg(windows)]
#[path = "install_windows.rs"]
mod registry;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Browser {
    Chromium,
    Chrome,
    Edge,
    Firefox,
}

impl Browser {
    pub const ALL: [Browser; 4] = [
        Browser::Chromium,
        Browser::Chrome,
        Browser::Edge,
        Browser::Firefox,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Chrome => "chrome",
            Browser::Edge => "edge",
            Browser::Firefox => "firefox",
        }
    }

    /// The manifest telling this browser where `program` is.
    pub fn manifest(self, program: &Path) -> String {
        let (key, allowed) = self.allowed();
        let mut manifest = json!({
            "name": HOST_NAME,
            "description": "Tobira companion: which kintone page is open, for Tobira's walkthroughs",
            "path": program,
            "type": "stdio",
        });
        manifest[key] = json!(allowed);
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"
    }

    /// The manifest's key for the extensions it lets start Tobira (Firefox
    /// refuses the other browsers' key), and those Tobira answers.
    fn allowed(self) -> (&'static str, Vec<String>) {
        let ids = ExtensionIds::get();
        match self {
            Browser::Firefox => ("allowed_extensions", vec![ids.gecko]),
            _ => ("allowed_origins", ids.chromium_origins()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// This user's browsers.
    User,
    /// Every user of the machine (needs root or an administrator).
    System,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::User => "user",
            Level::System => "system",
        }
    }
}

/// Where one browser looks for the manifest at one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub browser: Browser,
    pub level: Level,
    pub manifest: PathBuf,
}

#[cfg(all(unix, not(target_os = "macos")))]
fn folder(browser: Browser, level: Level) -> Option<PathBuf> {
    let dirs = directories::BaseDirs::new();
    Some(match (level, browser) {
        (Level::User, Browser::Firefox) => dirs?.home_dir().join(".mozilla/native-messaging-hosts"),
        (Level::User, _) => {
            let profile = match browser {
                Browser::Chromium => "chromium",
                Browser::Chrome => "google-chrome",
                _ => "microsoft-edge",
            };
            dirs?
                .config_dir()
                .join(profile)
                .join("NativeMessagingHosts")
        }
        (Level::System, Browser::Chromium) => "/etc/chromium/native-messaging-hosts".into(),
        (Level::System, Browser::Chrome) => "/etc/opt/chrome/native-messaging-hosts".into(),
        (Level::System, Browser::Edge) => "/etc/opt/edge/native-messaging-hosts".into(),
        (Level::System, Browser::Firefox) => "/usr/lib/mozilla/native-messaging-hosts".into(),
    })
}

/// Firefox built for a system that keeps 64-bit libraries in `/usr/lib64`
/// (Fedora, RHEL, openSUSE) reads system manifests there; those systems'
/// packages make `/usr/lib64/mozilla`.
#[cfg(all(unix, not(target_os = "macos")))]
fn second_folder(browser: Browser, level: Level) -> Option<PathBuf> {
    (browser == Browser::Firefox && level == Level::System)
        .then(|| firefox_lib64_folder(Path::new("/")))
        .flatten()
}

#[cfg(all(unix, not(target_os = "macos")))]
fn firefox_lib64_folder(root: &Path) -> Option<PathBuf> {
    let lib64 = root.join("usr/lib64/mozilla");
    lib64.is_dir().then(|| lib64.join("native-messaging-hosts"))
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn second_folder(_: Browser, _: Level) -> Option<PathBuf> {
    None
}

#[cfg(target_os = "macos")]
fn folder(browser: Browser, level: Level) -> Option<PathBuf> {
    let below = match (level, browser) {
        (Level::User, Browser::Chromium) | (Level::System, Browser::Chromium) => {
            "Application Support/Chromium/NativeMessagingHosts"
        }
        (Level::User, Browser::Chrome) => "Application Support/Google/Chrome/NativeMessagingHosts",
        (Level::System, Browser::Chrome) => "Google/Chrome/NativeMessagingHosts",
        (Level::User, Browser::Edge) => "Application Support/Microsoft Edge/NativeMessagingHosts",
        (Level::System, Browser::Edge) => "Microsoft/Edge/NativeMessagingHosts",
        (_, Browser::Firefox) => "Application Support/Mozilla/NativeMessagingHosts",
    };
    let library = match level {
        Level::User => directories::BaseDirs::new()?.home_dir().join("Library"),
        Level::System => PathBuf::from("/Library"),
    };
    Some(library.join(below))
}

/// Windows reads the manifest's place from the registry; the file itself
/// lives in the user's Tobira data folder, or for every user in
/// `%ProgramFiles%\Tobira` (only administrators can change it; ordinary
/// users may create folders in ProgramData, and so own one there before
/// the administrator does). The same place whichever copy of Tobira runs.
#[cfg(windows)]
fn folder(browser: Browser, level: Level) -> Option<PathBuf> {
    let base = match level {
        Level::User => directories::BaseDirs::new()?
            .data_local_dir()
            .join("Tobira"),
        Level::System => PathBuf::from(std::env::var_os("ProgramFiles")?).join("Tobira"),
    };
    Some(base.join("NativeMessagingHosts").join(browser.name()))
}

/// Where `browser` looks for the manifest at `level` (none where this
/// system has no such folder).
pub fn places(browser: Browser, level: Level) -> Vec<Place> {
    folder(browser, level)
        .into_iter()
        .chain(second_folder(browser, level))
        .map(|folder| Place {
            browser,
            level,
            manifest: folder.join(format!("{HOST_NAME}.json")),
        })
        .collect()
}

/// One browser's state, for `tobira companion status`.
#[derive(Debug, Clone, Serialize)]
pub struct HostEntry {
    pub browser: Browser,
    pub level: Level,
    pub manifest: PathBuf,
    pub installed: bool,
    /// The manifest names a program that exists.
    pub path_ok: bool,
    /// The program the manifest names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<PathBuf>,
    /// The manifest lets at least one extension id this Tobira answers
    /// start it (an organisation's own may list only its store's id).
    pub ids_ok: bool,
    /// Ids this Tobira answers that the manifest does not let start it
    /// (one written by an older Tobira may lack a store's id).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_ids: Vec<String>,
}

impl HostEntry {
    /// The browser can start this Tobira through it.
    pub fn reachable(&self) -> bool {
        self.installed && self.path_ok && self.ids_ok
    }
}

impl HostEntry {
    fn of(place: &Place) -> HostEntry {
        let written: Option<serde_json::Value> = std::fs::read(&place.manifest)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let registered = registered(place);
        let program = written
            .as_ref()
            .and_then(|m| m["path"].as_str())
            .map(PathBuf::from);
        let (key, wanted) = place.browser.allowed();
        let listed = |id: &String| {
            written
                .as_ref()
                .and_then(|m| m[key].as_array())
                .is_some_and(|listed| listed.iter().any(|l| l == id))
        };
        let missing_ids: Vec<String> = wanted.iter().filter(|id| !listed(id)).cloned().collect();
        HostEntry {
            browser: place.browser,
            level: place.level,
            manifest: place.manifest.clone(),
            installed: written.is_some_and(|m| m["name"] == HOST_NAME) && registered,
            path_ok: program.as_deref().is_some_and(Path::is_file),
            program,
            ids_ok: missing_ids.len() < wanted.len(),
            missing_ids,
        }
    }
}

#[cfg(windows)]
fn registered(place: &Place) -> bool {
    registry::points_to(place)
}

#[cfg(not(windows))]
fn registered(_: &Place) -> bool {
    true
}

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("could not write {path}: {source}{hint}", hint = permission_hint(source))]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("could not remove {path}: {source}{hint}", hint = permission_hint(source))]
    Remove {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("this system has no folder for {browser}'s host manifests")]
    NoFolder { browser: &'static str },
    #[error("{part} can be changed by users other than the administrator, and every user's browser would run {path} from there; {advice}", part = part.display(), path = path.display(), advice = SYSTEM_INSTALL_ADVICE)]
    Unprotected {
        path: PathBuf,
        /// The program or folder above it that others can change.
        part: PathBuf,
    },
}

/// Where a copy of Tobira fit for every user's browser comes from.
#[cfg(all(unix, not(target_os = "macos")))]
const SYSTEM_INSTALL_ADVICE: &str =
    "install Tobira's .deb or .rpm (it puts tobira in /usr/bin) and run /usr/bin/tobira with --system";
#[cfg(target_os = "macos")]
const SYSTEM_INSTALL_ADVICE: &str = "install Tobira.app in /Applications with a package (for example from your MDM), so that root owns it, and run Tobira.app/Contents/MacOS/tobira with --system";
#[cfg(windows)]
const SYSTEM_INSTALL_ADVICE: &str =
    "install Tobira for all users (under Program Files) and run that tobira.exe with --system";

impl InstallError {
    /// What the message files put in their own words around: the part of
    /// the path others can change.
    pub fn detail(&self) -> Option<String> {
        match self {
            InstallError::Unprotected { part, .. } => Some(part.display().to_string()),
            _ => None,
        }
    }
}

fn permission_hint(error: &io::Error) -> &'static str {
    if error.kind() == io::ErrorKind::PermissionDenied {
        "; --system needs root (sudo) or an administrator"
    } else {
        ""
    }
}

tobira_core::error_codes!(InstallError {
    Self::Write { .. } => "companion-unwritable",
    Self::Remove { .. } => "companion-unremovable",
    Self::NoFolder { .. } => "companion-no-folder",
    Self::Unprotected { .. } => "companion-program-unprotected",
});

/// Of `program` and the folders above it, the first that someone other
/// than the administrator can change; None when only the administrator
/// can. A system manifest makes every user's browser run the program, so
/// it must not point where one user can write (a download, an AppImage's
/// mount, a folder of their own).
#[cfg(unix)]
pub fn unprotected_part(program: &Path) -> Option<PathBuf> {
    let Ok(program) = program.canonicalize() else {
        return Some(program.to_owned());
    };
    program
        .ancestors()
        .enumerate()
        .find(|(depth, p)| !std::fs::metadata(p).is_ok_and(|m| only_administrators(&m, *depth > 0)))
        .map(|(_, p)| p.to_owned())
}

/// Owned by root and writable by no one else. On macOS the admin group
/// may write to a folder as well (`/Applications` is `root:admin 0775`,
/// and the members of that group are the Mac's administrators), though
/// not to the program itself.
#[cfg(unix)]
fn only_administrators(metadata: &std::fs::Metadata, folder: bool) -> bool {
    use std::os::unix::fs::MetadataExt;
    const MACOS_ADMIN_GID: u32 = 80;
    let group_writes = metadata.mode() & 0o020 != 0;
    let admin_folder = folder && cfg!(target_os = "macos") && metadata.gid() == MACOS_ADMIN_GID;
    metadata.uid() == 0 && metadata.mode() & 0o002 == 0 && (!group_writes || admin_folder)
}

/// Windows: a program under Program Files (where only administrators may
/// write) is protected; anything else is not.
#[cfg(not(unix))]
pub fn unprotected_part(program: &Path) -> Option<PathBuf> {
    let protected = ["ProgramFiles", "ProgramFiles(x86)"]
        .iter()
        .any(|var| std::env::var_os(var).is_some_and(|dir| program.starts_with(dir)));
    (!protected).then(|| program.to_owned())
}

/// What `install` or `uninstall` did: the manifests written or removed,
/// and each browser it could not do, with why. One browser's failure does
/// not stop the others.
#[derive(Debug, Default)]
pub struct Changed {
    pub entries: Vec<HostEntry>,
    pub failed: Vec<(Browser, InstallError)>,
}

impl Changed {
    fn record(&mut self, browser: Browser, result: Result<HostEntry, InstallError>) {
        match result {
            Ok(entry) => self.entries.push(entry),
            Err(error) => self.failed.push((browser, error)),
        }
    }
}

/// Writes the manifests of `browsers` at `level`, pointing to `program`.
pub fn install(
    browsers: &[Browser],
    level: Level,
    program: &Path,
) -> Result<Changed, InstallError> {
    if level == Level::System {
        if let Some(part) = unprotected_part(program) {
            return Err(InstallError::Unprotected {
                path: program.to_owned(),
                part,
            });
        }
    }
    let mut changed = Changed::default();
    for &browser in browsers {
        let places = places(browser, level);
        if places.is_empty() {
            let none = InstallError::NoFolder {
                browser: browser.name(),
            };
            changed.record(browser, Err(none));
        }
        for place in &places {
            changed.record(browser, write_manifest(place, program));
        }
    }
    Ok(changed)
}

fn write_manifest(place: &Place, program: &Path) -> Result<HostEntry, InstallError> {
    let write_error = |source| InstallError::Write {
        path: place.manifest.clone(),
        source,
    };
    if let Some(folder) = place.manifest.parent() {
        std::fs::create_dir_all(folder).map_err(write_error)?;
    }
    tobira_core::atomic_file::write(
        &place.manifest,
        place.browser.manifest(program).as_bytes(),
        false,
    )
    .map_err(write_error)?;
    // Written 0600 like every file Tobira keeps; every user's browser
    // must read a system manifest, and a user's holds nothing secret.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&place.manifest, std::fs::Permissions::from_mode(0o644))
            .map_err(write_error)?;
    }
    #[cfg(windows)]
    registry::register(place).map_err(write_error)?;
    Ok(HostEntry::of(place))
}

/// Removes the manifests of `browsers` at `level`; a missing one is fine.
pub fn uninstall(browsers: &[Browser], level: Level) -> Changed {
    let mut changed = Changed::default();
    for place in browsers.iter().flat_map(|&browser| places(browser, level)) {
        changed.record(place.browser, remove_manifest(&place));
    }
    changed
}

fn remove_manifest(place: &Place) -> Result<HostEntry, InstallError> {
    let remove_error = |source| InstallError::Remove {
        path: place.manifest.clone(),
        source,
    };
    match std::fs::remove_file(&place.manifest) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(remove_error(e)),
        _ => {}
    }
    #[cfg(windows)]
    registry::unregister(place).map_err(remove_error)?;
    Ok(HostEntry::of(place))
}

/// How a browser in a Snap or Flatpak sandbox may start the host (none of
/// these was run here; from the projects' reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SandboxReach {
    /// Through Ubuntu's WebExtensions portal (Ubuntu 22.04 and later, a
    /// patch of Ubuntu's own): Firefox's Snap asks the user once and reads
    /// the usual manifests.
    Portal,
    /// Through `xdg-native-messaging-proxy`, a user service the desktop
    /// must have and run, with a Firefox that uses it (reported from 157).
    Proxy,
    /// Not known to work: use the browser's .deb or .rpm.
    Unknown,
}

/// A sandboxed way of installing a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Packaging {
    Snap,
    Flatpak,
}

impl Packaging {
    pub fn name(self) -> &'static str {
        match self {
            Packaging::Snap => "snap",
            Packaging::Flatpak => "flatpak",
        }
    }

    /// Where it may have put an app whose path is `below`: Snaps under the
    /// system root, Flatpaks for every user (`/var/lib`) or for one.
    fn folders(self, below: &str, root: &Path, user_data: Option<&Path>) -> Vec<PathBuf> {
        match self {
            Packaging::Snap => vec![root.join(below)],
            Packaging::Flatpak => std::iter::once(root.join("var/lib").join(below))
                .chain(user_data.map(|data| data.join(below)))
                .collect(),
        }
    }
}

/// A browser installed as a Snap or a Flatpak.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sandboxed {
    pub browser: Browser,
    pub packaging: Packaging,
    pub path: PathBuf,
    pub reach: SandboxReach,
}

/// Where Snap and Flatpak put each browser.
const SANDBOX_PLACES: [(Browser, Packaging, &str); 6] = [
    (Browser::Chromium, Packaging::Snap, "snap/bin/chromium"),
    (Browser::Firefox, Packaging::Snap, "snap/bin/firefox"),
    (
        Browser::Chromium,
        Packaging::Flatpak,
        "flatpak/app/org.chromium.Chromium",
    ),
    (
        Browser::Chrome,
        Packaging::Flatpak,
        "flatpak/app/com.google.Chrome",
    ),
    (
        Browser::Edge,
        Packaging::Flatpak,
        "flatpak/app/com.microsoft.Edge",
    ),
    (
        Browser::Firefox,
        Packaging::Flatpak,
        "flatpak/app/org.mozilla.firefox",
    ),
];

/// Which of `browsers` are installed as a Snap or a Flatpak, under the
/// system root `/` and the user's data folder: the manifests `install`
/// writes may not reach them.
pub fn sandboxed(browsers: &[Browser]) -> Vec<Sandboxed> {
    let user_data = directories::BaseDirs::new().map(|d| d.data_dir().to_owned());
    sandboxed_under(browsers, Path::new("/"), user_data.as_deref())
}

fn sandboxed_under(browsers: &[Browser], root: &Path, user_data: Option<&Path>) -> Vec<Sandboxed> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (browser, packaging, below) in SANDBOX_PLACES {
        if !browsers.contains(&browser) {
            continue;
        }
        let folders = packaging.folders(below, root, user_data);
        if let Some(path) = folders.into_iter().find(|p| p.exists()) {
            found.push(Sandboxed {
                browser,
                packaging,
                path,
                reach: match (browser, packaging) {
                    (Browser::Firefox, Packaging::Snap) => SandboxReach::Portal,
                    (Browser::Firefox, _) => SandboxReach::Proxy,
                    _ => SandboxReach::Unknown,
                },
            });
        }
    }
    found
}

/// Every browser at both levels.
pub fn status(browsers: &[Browser]) -> Vec<HostEntry> {
    [Level::User, Level::System]
        .into_iter()
        .flat_map(|level| browsers.iter().flat_map(move |&b| places(b, level)))
        .map(|place| HostEntry::of(&place))
        .collect()
}

#[cfg(all(test, unix, not(target_os = "macos")))]
mod tests {
    use super::*;

    #[test]
    fn each_browser_gets_its_own_manifest() {
        let program = Path::new("/usr/bin/tobira");
        let chromium: serde_json::Value =
            serde_json::from_str(&Browser::Chromium.manifest(program)).unwrap();
        assert_eq!(chromium["name"], HOST_NAME);
        assert_eq!(chromium["path"], "/usr/bin/tobira");
        assert_eq!(chromium["type"], "stdio");
        let origin = format!("chrome-extension://{}/", ExtensionIds::get().chromium_dev);
        assert_eq!(chromium["allowed_origins"][0], origin.as_str());
        assert!(chromium.get("allowed_extensions").is_none());
        let firefox: serde_json::Value =
            serde_json::from_str(&Browser::Firefox.manifest(program)).unwrap();
        assert_eq!(firefox["allowed_extensions"][0], "companion@tobira.dev");
        assert!(firefox.get("allowed_origins").is_none());
    }

    #[test]
    fn a_system_manifest_points_only_at_a_protected_program() {
        // Root-owned, in root-owned folders that others cannot write.
        assert_eq!(unprotected_part(Path::new("/bin/sh")), None);
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("tobira");
        std::fs::write(&program, "").unwrap();
        // The program (not root's) or the temporary folder (anyone's):
        // the error names the part others can change.
        let part = unprotected_part(&program).expect("a temporary folder is not protected");
        assert!(
            program.canonicalize().unwrap().starts_with(&part),
            "{part:?}"
        );
        let error = install(&[Browser::Chromium], Level::System, &program).unwrap_err();
        assert_eq!(error.code(), "companion-program-unprotected");
        assert_eq!(error.detail(), Some(part.display().to_string()));
        assert!(error
            .to_string()
            .starts_with(&format!("{} can be changed", part.display())));
        let missing = dir.path().join("missing");
        assert_eq!(unprotected_part(&missing), Some(missing));
    }

    #[test]
    fn snap_and_flatpak_browsers_are_found_with_what_lets_them_reach_tobira() {
        let root = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let under =
            |browsers: &[Browser]| sandboxed_under(browsers, root.path(), Some(data.path()));
        assert!(under(&Browser::ALL).is_empty(), "nothing installed");
        std::fs::create_dir_all(root.path().join("snap/bin")).unwrap();
        std::fs::write(root.path().join("snap/bin/firefox"), "").unwrap();
        std::fs::create_dir_all(data.path().join("flatpak/app/org.chromium.Chromium")).unwrap();
        let system_flatpaks = root.path().join("var/lib/flatpak/app");
        std::fs::create_dir_all(system_flatpaks.join("org.mozilla.firefox")).unwrap();
        let found = under(&Browser::ALL);
        let summary: Vec<(Browser, &str, SandboxReach)> = found
            .iter()
            .map(|s| (s.browser, s.packaging.name(), s.reach))
            .collect();
        assert_eq!(
            summary,
            [
                (Browser::Firefox, "snap", SandboxReach::Portal),
                (Browser::Chromium, "flatpak", SandboxReach::Unknown),
                (Browser::Firefox, "flatpak", SandboxReach::Proxy),
            ]
        );
        assert_eq!(
            found[1].path,
            data.path().join("flatpak/app/org.chromium.Chromium")
        );
        assert_eq!(found[2].path, system_flatpaks.join("org.mozilla.firefox"));
        assert!(
            under(&[Browser::Chrome]).is_empty(),
            "only the browsers asked about"
        );
    }

    #[test]
    fn firefox_gets_the_lib64_folder_only_where_the_system_has_one() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(firefox_lib64_folder(root.path()), None);
        std::fs::create_dir_all(root.path().join("usr/lib64/mozilla")).unwrap();
        assert_eq!(
            firefox_lib64_folder(root.path()),
            Some(root.path().join("usr/lib64/mozilla/native-messaging-hosts"))
        );
        assert!(second_folder(Browser::Chromium, Level::System).is_none());
        assert!(second_folder(Browser::Firefox, Level::User).is_none());
    }

    #[test]
    fn a_manifest_for_other_extensions_or_a_moved_program_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let place = Place {
            browser: Browser::Chrome,
            level: Level::User,
            manifest: dir.path().join("dev.tobira.companion.json"),
        };
        let program = dir.path().join("tobira");
        std::fs::write(&program, "").unwrap();
        std::fs::write(&place.manifest, Browser::Chrome.manifest(&program)).unwrap();
        let entry = HostEntry::of(&place);
        assert!(
            entry.installed && entry.path_ok && entry.ids_ok,
            "{entry:?}"
        );
        assert_eq!(entry.program.as_deref(), Some(program.as_path()));
        // An older Tobira's manifest: another extension id only.
        let other = Browser::Chrome.manifest(&program).replace(
            &ExtensionIds::get().chromium_dev,
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        );
        std::fs::write(&place.manifest, other).unwrap();
        let entry = HostEntry::of(&place);
        assert!(entry.installed && !entry.ids_ok, "{entry:?}");
        assert_eq!(entry.missing_ids, ExtensionIds::get().chromium_origins());
        std::fs::remove_file(&program).unwrap();
        assert!(!HostEntry::of(&place).path_ok);
    }

    #[test]
    fn system_folders_are_the_browsers_own() {
        let system = |b| places(b, Level::System)[0].manifest.clone();
        assert_eq!(
            system(Browser::Chromium),
            Path::new("/etc/chromium/native-messaging-hosts/dev.tobira.companion.json")
        );
        assert_eq!(
            system(Browser::Firefox),
            Path::new("/usr/lib/mozilla/native-messaging-hosts/dev.tobira.companion.json")
        );
    }
}
