//! The window's commands: each gathers its inputs and calls one function.
//! Each is granted to the window one by one in `capabilities/main.json`.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use tobira_core::scope::SitePage;
use tobira_core::SiteAddress;

use crate::app::{AppState, AppView, EXIT_WHEN_READY_ENV};
use crate::error::Error;

#[tauri::command]
pub fn app_state(state: State<'_, AppState>) -> AppView {
    state.view()
}

#[tauri::command]
pub fn check_site(state: State<'_, AppState>, input: String) -> Result<SiteAddress, Error> {
    state.check_site(&input)
}

#[tauri::command]
pub fn save_site(state: State<'_, AppState>, input: String) -> Result<SiteAddress, Error> {
    state.save_site(&input)
}

#[tauri::command]
pub fn open_site_page<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    page: SitePage,
) -> Result<(), Error> {
    let url = state.page_url(page)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| Error::Opener(e.to_string()))
}

/// The page calls this once its first screen is drawn.
#[tauri::command]
pub fn ready<R: Runtime>(app: AppHandle<R>) {
    if std::env::var_os(EXIT_WHEN_READY_ENV).is_some_and(|v| v == "1") {
        app.exit(0);
    }
}
