//! This install's guide search path: the guides shipped with Tobira, the
//! organisation's folders from the policy, and the user's own folder.

use std::path::{Path, PathBuf};

use tobira_core::{Profile, Region};
use tobira_guides::lint::AllowedHosts;
use tobira_guides::Source;

/// Names the folder of the shipped guides, for tests and unusual installs.
pub const GUIDES_DIR_ENV: &str = "TOBIRA_GUIDES_DIR";

/// The guides shipped with Tobira: data files beside the programs (read
/// when first needed, one copy for the window and the CLI), not code.
pub fn bundled() -> Source {
    Source::shipped(bundled_dir())
}

/// Where the shipped guides are: `$TOBIRA_GUIDES_DIR`, else the first of
/// the places the installers put them, relative to the running program,
/// else the source tree a development build was made from. When none has
/// them, the folder beside the program (the library then reports it missing).
pub fn bundled_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(GUIDES_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    // The program itself, not a link to it (`/usr/local/bin/tobira` may
    // point into an app bundle).
    let exe_dir = std::env::current_exe()
        .ok()
        .map(|exe| std::fs::canonicalize(&exe).unwrap_or(exe))
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    exe_dir
        .iter()
        .flat_map(|dir| {
            [
                // Windows (MSI, NSIS): beside the program.
                dir.join("guides"),
                // Debian and RPM packages: /usr/bin → /usr/lib/Tobira.
                dir.join("../lib/Tobira/guides"),
                // macOS: Tobira.app/Contents/MacOS → Contents/Resources.
                dir.join("../Resources/guides"),
            ]
        })
        .chain(source_tree())
        .find(|dir| dir.join("en").is_dir())
        .map(|dir| plain_path(&dir).unwrap_or(dir))
        .or_else(|| exe_dir.map(|dir| dir.join("guides")))
        .unwrap_or_else(|| PathBuf::from("guides"))
}

/// `dir` without `..` parts, for messages and lists (`/usr/lib/Tobira/guides`,
/// not `/usr/bin/../lib/…`). Windows keeps its drive-letter form, which
/// `canonicalize` would turn into `\\?\C:\…`.
fn plain_path(dir: &Path) -> std::io::Result<PathBuf> {
    if cfg!(windows) {
        std::path::absolute(dir)
    } else {
        std::fs::canonicalize(dir)
    }
}

/// The guides of the source tree a development build was made from; a
/// release build never looks there.
fn source_tree() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../guides");
    cfg!(debug_assertions).then(|| plain_path(&dir).unwrap_or(dir))
}

/// bundled < organisation (policy `guide_dirs`, in order) < user (`guides/`
/// in the config folder, where a user or a script drops guides).
pub fn search_path(profile: &Profile, config_dir: Option<&Path>) -> Vec<Source> {
    let mut sources = vec![bundled()];
    sources.extend(
        profile
            .effective()
            .guide_dirs
            .value
            .iter()
            .map(|dir| Source::dir("organisation", dir)),
    );
    // Absolute, so that the watcher's (absolute) paths fall under it.
    let user = config_dir
        .map(|dir| std::path::absolute(dir.join("guides")).unwrap_or_else(|_| dir.join("guides")));
    sources.extend(user.map(|dir| Source::dir("user", dir)));
    sources
}

/// The hosts guides may link to besides the vendor's: the user's site and
/// the helpdesk.
pub fn allowed_hosts(profile: &Profile) -> AllowedHosts {
    let site = profile.site().map(|s| s.host());
    let helpdesk = profile
        .effective()
        .helpdesk_url()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_owned));
    AllowedHosts(site.into_iter().chain(helpdesk).collect())
}

/// The region whose passages are shown: the site's, else the default.
pub fn region(profile: &Profile) -> Region {
    profile
        .site()
        .map_or(profile.default_region(), |s| s.region())
}
