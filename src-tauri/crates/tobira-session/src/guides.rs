//! This install's guide search path: the guides built into the binary, the
//! organisation's folders from the policy, and the user's own folder.

use std::path::Path;

use tobira_core::{Profile, Region};
use tobira_guides::lint::AllowedHosts;
use tobira_guides::{Location, Source};

include!(concat!(env!("OUT_DIR"), "/bundled_guides.rs"));

pub fn bundled() -> Source {
    Source {
        label: "bundled".into(),
        location: Location::Embedded(
            BUNDLED_GUIDES
                .iter()
                .map(|(path, text)| ((*path).to_owned(), *text))
                .collect(),
        ),
    }
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
