//! The window's commands: each gathers its inputs and calls one function.
//! Each is granted to the window one by one in `capabilities/main.json`.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use tobira_core::bookmarks::UserBookmark;
use tobira_core::export::ExportFormat;
use tobira_core::SiteAddress;
use tobira_secrets::{SecretKind, SecretsStatus};

use crate::app::{self, AppState, AppView, Removed, SettingChange, EXIT_WHEN_READY_ENV};
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
pub fn change_setting(state: State<'_, AppState>, change: SettingChange) -> Result<AppView, Error> {
    state.change_setting(change)
}

/// Opens a bookmark (by id: `portal`, `login`, `help`, `org-N`, `user-N`)
/// in the default browser, after the allowlist agreed.
#[tauri::command]
pub fn open_bookmark<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<(), Error> {
    let url = state.bookmark_url(&id)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| Error::Opener(e.to_string()))
}

#[tauri::command]
pub fn add_bookmark(
    state: State<'_, AppState>,
    input: String,
    name: Option<String>,
) -> Result<AppView, Error> {
    state.add_bookmark(&input, name.as_deref())
}

#[tauri::command]
pub fn rename_bookmark(
    state: State<'_, AppState>,
    index: usize,
    name: String,
) -> Result<AppView, Error> {
    state.rename_bookmark(index, &name)
}

#[tauri::command]
pub fn move_bookmark(state: State<'_, AppState>, from: usize, to: usize) -> Result<AppView, Error> {
    state.move_bookmark(from, to)
}

#[tauri::command]
pub fn remove_bookmark(state: State<'_, AppState>, index: usize) -> Result<Removed, Error> {
    state.remove_bookmark(index)
}

#[tauri::command]
pub fn restore_bookmark(
    state: State<'_, AppState>,
    index: usize,
    bookmark: UserBookmark,
) -> Result<AppView, Error> {
    state.restore_bookmark(index, bookmark)
}

/// Saves an export in the Downloads folder and returns its path.
#[tauri::command]
pub fn export_bookmarks(state: State<'_, AppState>, format: ExportFormat) -> Result<String, Error> {
    let dir = app::export_dir().ok_or(tobira_core::SettingsError::NoConfigDir)?;
    Ok(state.export(format, &dir)?.display().to_string())
}

#[tauri::command]
pub fn portal_qr_svg(state: State<'_, AppState>) -> Result<String, Error> {
    state.portal_qr_svg()
}

#[tauri::command]
pub fn secrets_status(state: State<'_, AppState>) -> Result<SecretsStatus, Error> {
    state.secrets_status()
}

#[tauri::command]
pub fn store_basic_auth(
    state: State<'_, AppState>,
    user: String,
    password: String,
) -> Result<SecretsStatus, Error> {
    state.store_basic_auth(&user, &password)
}

#[tauri::command]
pub fn store_client_cert_password(
    state: State<'_, AppState>,
    password: String,
) -> Result<SecretsStatus, Error> {
    state.store_client_cert_password(&password)
}

#[tauri::command]
pub fn delete_secret(state: State<'_, AppState>, kind: SecretKind) -> Result<SecretsStatus, Error> {
    state.delete_secret(kind)
}

/// The page calls this once its first screen is drawn.
#[tauri::command]
pub fn ready<R: Runtime>(app: AppHandle<R>) {
    if std::env::var_os(EXIT_WHEN_READY_ENV).is_some_and(|v| v == "1") {
        app.exit(0);
    }
}
