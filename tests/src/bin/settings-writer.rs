//! Test helper for the durability test: saves two versions of a settings
//! file in turn, forever, through the same `SettingsStore::save` the app and
//! the CLI use, until it is killed.
//!
//! Usage: settings-writer DIR

use tobira_core::bookmarks::UserBookmark;
use tobira_core::{Settings, SettingsStore};

/// A settings value big enough that a save takes a while: `tag` marks which
/// of the two versions it is.
fn version(tag: &str) -> Settings {
    Settings {
        bookmarks: (0..300)
            .map(|i| UserBookmark {
                name: format!("{tag} bookmark {i}"),
                path: format!("/k/{i}/"),
            })
            .collect(),
        ..Settings::default()
    }
}

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: settings-writer DIR");
        std::process::exit(2);
    };
    let store = SettingsStore::in_dir(dir);
    let (a, b) = (version("A"), version("B"));
    loop {
        for settings in [&a, &b] {
            if let Err(e) = store.save(settings) {
                eprintln!("settings-writer: {e}");
                std::process::exit(1);
            }
        }
    }
}
