//! Tells when guide files change on disk, so the window shows new text
//! without a restart.

use std::path::PathBuf;

use notify::{EventKind, RecursiveMode, Watcher};

pub use notify::RecommendedWatcher;

/// Watches `dirs` (those that exist) recursively and calls `on_change` with
/// the paths of every created, changed or removed file. Dropping the
/// watcher stops it.
pub fn watch(
    dirs: &[PathBuf],
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        ) {
            on_change(event.paths);
        }
    })?;
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        watcher.watch(dir, RecursiveMode::Recursive)?;
    }
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Library, Source};
    use std::sync::mpsc;
    use std::time::Duration;
    use tobira_core::Language;

    #[test]
    fn an_edited_guide_is_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("en/a.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let guide =
            |title: &str| format!("+++\nid = \"a\"\nkind = \"cause\"\ntitle = \"{title}\"\n+++\n");
        std::fs::write(&file, guide("Before")).unwrap();
        let mut library = Library::load(vec![Source::dir("user", dir.path())]);
        let (sender, changes) = mpsc::channel();
        let _watcher = watch(&library.watched_dirs(), move |paths| {
            let _ = sender.send(paths);
        })
        .unwrap();
        std::fs::write(&file, guide("After")).unwrap();
        // Events arrive in bursts; apply them until the new title shows.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(paths) = changes.recv_timeout(Duration::from_millis(200)) {
                for path in paths {
                    library.reload(&path);
                }
            }
            if library
                .guide(Language::En, "a")
                .map(|(g, _)| g.title().to_owned())
                .as_deref()
                == Some("After")
            {
                return;
            }
        }
        panic!("the change was not seen within 10 s");
    }
}
