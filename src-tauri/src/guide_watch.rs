//! Guides change while Tobira runs (IT drops a file, a user edits one): the
//! guide folders are watched, a change is re-read and the windows told.

use tauri::{Emitter, Manager};
use tobira_session::Session;

/// Watches the organisation's and the user's guide folders; a change is
/// re-read and the windows are told to fetch what they show again.
pub fn start<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<Session>();
    if let Some(dir) = state.user_guide_dir() {
        // The user's guide folder must exist to be watched, and its
        // presence shows where guides can be dropped.
        let _ = std::fs::create_dir_all(dir);
    }
    let dirs = state.walkthroughs.watched_dirs();
    let handle = app.clone();
    let watcher = tobira_guides::watch::watch(&dirs, move |paths| {
        handle.state::<Session>().walkthroughs.reload(&paths);
        let _ = handle.emit("guides-changed", ());
    });
    match watcher {
        Ok(watcher) => {
            app.manage(GuideWatcher { _watcher: watcher });
        }
        Err(e) => {
            log::warn!("guide folders are not watched ({e}); restart Tobira to see changed guides")
        }
    }
}

/// Kept in the app's state: dropping it stops watching.
struct GuideWatcher {
    _watcher: tobira_guides::watch::RecommendedWatcher,
}
