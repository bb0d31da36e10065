//! Windows: a browser finds a host through the default value of
//! `SOFTWARE\<vendor>\NativeMessagingHosts\dev.tobira.companion` (HKCU for
//! the user, HKLM for the machine), which holds the manifest's path.

use std::io;

use windows_registry::{Key, CURRENT_USER, LOCAL_MACHINE};

use super::{Browser, Level, Place};
use crate::companion::HOST_NAME;

fn root(level: Level) -> &'static Key {
    match level {
        Level::User => CURRENT_USER,
        Level::System => LOCAL_MACHINE,
    }
}

fn key_path(browser: Browser) -> String {
    let vendor = match browser {
        Browser::Chromium => r"Chromium",
        Browser::Chrome => r"Google\Chrome",
        Browser::Edge => r"Microsoft\Edge",
        Browser::Firefox => r"Mozilla",
    };
    format!(r"SOFTWARE\{vendor}\NativeMessagingHosts\{HOST_NAME}")
}

pub(super) fn register(place: &Place) -> io::Result<()> {
    let key = root(place.level)
        .create(key_path(place.browser))
        .map_err(io::Error::from)?;
    key.set_string("", place.manifest.to_string_lossy())
        .map_err(io::Error::from)
}

/// A browser without the key is fine (the registry's "not found" does not
/// map to `io::ErrorKind::NotFound`, so the key is opened first).
pub(super) fn unregister(place: &Place) -> io::Result<()> {
    let root = root(place.level);
    let path = key_path(place.browser);
    if root.open(&path).is_err() {
        return Ok(());
    }
    root.remove_tree(&path).map_err(io::Error::from)
}

pub(super) fn points_to(place: &Place) -> bool {
    root(place.level)
        .open(key_path(place.browser))
        .and_then(|key| key.get_string(""))
        .is_ok_and(|path| std::path::Path::new(&path) == place.manifest)
}
