//! The browser companion writes while the window is open: steps a page
//! proved go to `progress.toml` (under its lock), what the browser showed
//! last to `companion-seen.json`. Both folders are watched (the files are
//! replaced by rename, so a watch on a file would lose it after the first
//! write) and each file is told apart by its full path, so that the other
//! files of the config folder (`logs/`, `guides/`, temporary files) cost
//! nothing. No debounce: the panel should follow the browser within 300 ms.

use std::path::{Path, PathBuf};

use tauri::{Emitter, Manager};
use tobira_session::Session;

/// Tells the windows what the browser showed last changed (or was forgotten).
const COMPANION_SEEN: &str = "companion-seen";
/// The event the window's own progress changes send too (see `commands.rs`).
const PROGRESS_CHANGED: &str = "progress-changed";

/// The two files the companion writes, by full path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Files {
    progress: Option<PathBuf>,
    seen: Option<PathBuf>,
}

/// Which of the two files a batch of changed paths touched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Touched {
    progress: bool,
    seen: bool,
}

impl Files {
    /// Only the files themselves count: a `progress.toml` in a guide folder,
    /// the lock file, a log line or a temporary file before its rename do not.
    fn touched(&self, paths: &[PathBuf]) -> Touched {
        let is = |file: &Option<PathBuf>| {
            file.as_deref()
                .is_some_and(|file| paths.iter().any(|p| p == file))
        };
        Touched {
            progress: is(&self.progress),
            seen: is(&self.seen),
        }
    }

    /// The folders to watch: each file's, once (the seen file's folder is
    /// `run/` inside the config folder when `TOBIRA_CONFIG_DIR` is set, and
    /// the watch is recursive).
    fn dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = [&self.progress, &self.seen]
            .into_iter()
            .flatten()
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .collect();
        dirs.sort();
        dirs.dedup();
        let all = dirs.clone();
        dirs.retain(|d| !all.iter().any(|other| other != d && d.starts_with(other)));
        dirs
    }
}

/// The file's folder made to exist and written as the OS reports events
/// under it (canonical), so that paths compare equal.
fn settled(file: Option<PathBuf>) -> Option<PathBuf> {
    let file = file?;
    let dir = file.parent()?;
    if let Err(e) = std::fs::create_dir_all(dir) {
        log::warn!("{} is not watched ({e})", dir.display());
        return None;
    }
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    Some(dir.join(file.file_name()?))
}

/// Watches the progress file and the companion's last-seen file; a change
/// of the first is re-read (and told only if it differs from what the
/// window holds: its own saves cost nothing), a change of the second is told.
/// `on_progress` runs after the windows were told of changed progress
/// (the tray's "continue" names the current step).
pub fn start<R: tauri::Runtime>(app: &tauri::AppHandle<R>, on_progress: fn(&tauri::AppHandle<R>)) {
    let state = app.state::<Session>();
    let files = Files {
        progress: settled(state.walkthroughs.progress_path()),
        seen: settled(state.seen_path()),
    };
    let dirs = files.dirs();
    if dirs.is_empty() {
        return;
    }
    let handle = app.clone();
    let watcher = tobira_guides::watch::watch(&dirs, move |paths| {
        let touched = files.touched(&paths);
        if touched.progress {
            match handle.state::<Session>().walkthroughs.reload_progress() {
                Ok(true) => {
                    let _ = handle.emit(PROGRESS_CHANGED, ());
                    on_progress(&handle);
                }
                Ok(false) => {}
                Err(e) => log::warn!("the changed progress could not be read ({e})"),
            }
        }
        if touched.seen {
            let _ = handle.emit(COMPANION_SEEN, ());
        }
    });
    match watcher {
        Ok(watcher) => {
            app.manage(ProgressWatcher { _watcher: watcher });
        }
        Err(e) => log::warn!(
            "progress is not watched ({e}); steps the browser completes show after a restart"
        ),
    }
}

/// Kept in the app's state: dropping it stops watching.
struct ProgressWatcher {
    _watcher: tobira_guides::watch::RecommendedWatcher,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files {
            progress: Some(PathBuf::from("/cfg/progress.toml")),
            seen: Some(PathBuf::from("/cfg/run/companion-seen.json")),
        }
    }

    fn touched(paths: &[&str]) -> Touched {
        files().touched(&paths.iter().map(PathBuf::from).collect::<Vec<_>>())
    }

    #[test]
    fn only_the_two_files_count() {
        assert_eq!(touched(&[]), Touched::default());
        for other in [
            "/cfg/progress.lock",
            "/cfg/.tmp-progress.toml-1234.tmp",
            "/cfg/guides/progress.toml",
            "/cfg/logs/tobira.log",
            "/cfg/settings.toml",
            "/cfg/companion-seen.json",
            "/cfg/run/progress.toml",
            "/elsewhere/progress.toml",
        ] {
            assert_eq!(touched(&[other]), Touched::default(), "{other}");
        }
        assert_eq!(
            touched(&["/cfg/.tmp-x", "/cfg/progress.toml"]),
            Touched {
                progress: true,
                seen: false
            }
        );
        assert_eq!(
            touched(&["/cfg/run/companion-seen.json"]),
            Touched {
                progress: false,
                seen: true
            }
        );
        assert_eq!(
            Files::default().touched(&[PathBuf::from("/cfg/progress.toml")]),
            Touched::default()
        );
    }

    #[test]
    fn a_folder_inside_another_is_watched_once() {
        assert_eq!(files().dirs(), vec![PathBuf::from("/cfg")]);
        let apart = Files {
            progress: Some(PathBuf::from("/home/u/.config/tobira/progress.toml")),
            seen: Some(PathBuf::from("/run/user/1000/tobira/companion-seen.json")),
        };
        assert_eq!(
            apart.dirs(),
            vec![
                PathBuf::from("/home/u/.config/tobira"),
                PathBuf::from("/run/user/1000/tobira")
            ]
        );
        assert_eq!(Files::default().dirs(), Vec::<PathBuf>::new());
    }

    /// From an atomic write (temporary file, then rename) in the watched
    /// folder to the callback, on this machine's backend.
    #[test]
    fn a_replaced_file_is_seen_quickly() {
        use std::sync::mpsc;
        use std::time::{Duration, Instant};
        let dir = tempfile::tempdir().unwrap();
        let files = Files {
            progress: settled(Some(dir.path().join("progress.toml"))),
            seen: settled(Some(dir.path().join("run/companion-seen.json"))),
        };
        let (sender, seen) = mpsc::channel();
        let watching = files.clone();
        let _watcher = tobira_guides::watch::watch(&files.dirs(), move |paths| {
            let touched = watching.touched(&paths);
            if touched.progress || touched.seen {
                let _ = sender.send((touched, Instant::now()));
            }
        })
        .unwrap();
        for (file, expected) in [
            (files.progress.as_ref().unwrap(), (true, false)),
            (files.seen.as_ref().unwrap(), (false, true)),
        ] {
            let start = Instant::now();
            tobira_core::atomic_file::write(file, b"x = 1\n", false).unwrap();
            let (touched, at) = seen.recv_timeout(Duration::from_secs(5)).unwrap();
            assert_eq!((touched.progress, touched.seen), expected);
            let elapsed = at - start;
            assert!(elapsed < Duration::from_millis(300), "{elapsed:?}");
            // Later events of the same write.
            while seen.recv_timeout(Duration::from_millis(100)).is_ok() {}
        }
    }
}
