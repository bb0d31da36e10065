//! The window's commands: each gathers its inputs and calls one function.
//! Each is granted to the window one by one in `capabilities/main.json`.

use tauri::{AppHandle, Emitter, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use tobira_core::bookmarks::UserBookmark;
use tobira_core::deep_link::DeepLink;
use tobira_core::export::ExportFormat;
use tobira_core::policy::Diagnosis;
use tobira_core::SiteAddress;
use tobira_secrets::{SecretKind, SecretsStatus};

use tobira_core::progress::Overlay;
use tobira_guides::matcher::Outcome;
use tobira_guides::view::{AssistantView, CauseView, FlowView};

use tobira_core::profile::SettingChange;
use tobira_session::companion::state::LastSeen;
use tobira_session::report::AssistantContext;
use tobira_session::walkthroughs::{FlowList, ProgressChange};
use tobira_session::{AppView, Removed, Session};

use crate::error::Error;
use crate::overlay;

/// With `TOBIRA_EXIT_WHEN_READY=1` the app exits as soon as the first screen
/// is drawn (the startup benchmark and smoke tests use it).
const EXIT_WHEN_READY_ENV: &str = "TOBIRA_EXIT_WHEN_READY";

/// Events the windows listen to, to fetch what they show again.
const PROGRESS_CHANGED: &str = "progress-changed";
const OVERLAY_CHANGED: &str = "overlay-changed";
const DOCTOR_CHECK: &str = "doctor-check";

/// The `tobira://` link (or tray choice) waiting for the window, once;
/// a refused link comes back as its error.
#[tauri::command]
pub fn take_link(state: State<'_, Session>) -> Result<Option<DeepLink>, Error> {
    Ok(state.take_link()?)
}

#[tauri::command]
pub fn app_state(state: State<'_, Session>) -> AppView {
    state.view()
}

/// The installed policy key by key, for the Settings screen's policy section.
#[tauri::command]
pub fn policy_diagnosis(state: State<'_, Session>) -> Diagnosis {
    state.policy_diagnosis()
}

#[tauri::command]
pub fn check_site(state: State<'_, Session>, input: String) -> Result<SiteAddress, Error> {
    Ok(state.check_site(&input)?)
}

#[tauri::command]
pub fn save_site(state: State<'_, Session>, input: String) -> Result<SiteAddress, Error> {
    Ok(state.save_site(&input)?)
}

#[tauri::command]
pub fn change_setting(state: State<'_, Session>, change: SettingChange) -> Result<AppView, Error> {
    Ok(state.change_setting(change)?)
}

/// Opens a bookmark (by id: `portal`, `login`, `help`, `org-N`, `user-N`)
/// in the default browser, after the allowlist agreed.
#[tauri::command]
pub fn open_bookmark<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Session>,
    id: String,
) -> Result<(), Error> {
    let url = state.bookmark_url(&id)?;
    Ok(app.opener().open_url(url, None::<&str>)?)
}

/// Adds a site the user is a guest in (from a guest-space or invitation link).
#[tauri::command]
pub fn add_guest_site(state: State<'_, Session>, input: String) -> Result<AppView, Error> {
    Ok(state.add_guest_site(&input)?)
}

#[tauri::command]
pub fn remove_guest_site(state: State<'_, Session>, host: String) -> Result<AppView, Error> {
    Ok(state.remove_guest_site(&host)?)
}

#[tauri::command]
pub fn add_bookmark(
    state: State<'_, Session>,
    input: String,
    name: Option<String>,
) -> Result<AppView, Error> {
    Ok(state.add_bookmark(&input, name.as_deref())?)
}

#[tauri::command]
pub fn rename_bookmark(
    state: State<'_, Session>,
    index: usize,
    name: String,
) -> Result<AppView, Error> {
    Ok(state.rename_bookmark(index, &name)?)
}

#[tauri::command]
pub fn move_bookmark(state: State<'_, Session>, from: usize, to: usize) -> Result<AppView, Error> {
    Ok(state.move_bookmark(from, to)?)
}

#[tauri::command]
pub fn remove_bookmark(state: State<'_, Session>, index: usize) -> Result<Removed, Error> {
    Ok(state.remove_bookmark(index)?)
}

#[tauri::command]
pub fn restore_bookmark(
    state: State<'_, Session>,
    index: usize,
    bookmark: UserBookmark,
) -> Result<AppView, Error> {
    Ok(state.restore_bookmark(index, bookmark)?)
}

/// Saves an export in the Downloads folder and returns its path.
#[tauri::command]
pub fn export_bookmarks(state: State<'_, Session>, format: ExportFormat) -> Result<String, Error> {
    Ok(state.export_to_downloads(format)?.display().to_string())
}

#[tauri::command]
pub fn portal_qr_svg(state: State<'_, Session>) -> Result<String, Error> {
    Ok(state.portal_qr_svg()?)
}

#[tauri::command]
pub fn secrets_status(state: State<'_, Session>) -> Result<SecretsStatus, Error> {
    Ok(state.secrets_status()?)
}

#[tauri::command]
pub fn store_basic_auth(
    state: State<'_, Session>,
    user: String,
    password: String,
) -> Result<SecretsStatus, Error> {
    Ok(state.store_basic_auth(&user, &password)?)
}

#[tauri::command]
pub fn store_client_cert_password(
    state: State<'_, Session>,
    password: String,
) -> Result<SecretsStatus, Error> {
    Ok(state.store_client_cert_password(&password)?)
}

#[tauri::command]
pub fn delete_secret(state: State<'_, Session>, kind: SecretKind) -> Result<SecretsStatus, Error> {
    Ok(state.delete_secret(kind)?)
}

/// The page calls this once its first screen is drawn.
#[tauri::command]
pub fn ready<R: Runtime>(app: AppHandle<R>) {
    if std::env::var_os(EXIT_WHEN_READY_ENV).is_some_and(|v| v == "1") {
        app.exit(0);
        return;
    }
    crate::desktop::after_first_paint(&app);
}

// The guide commands are async: they run off the main thread, which may
// otherwise wait for the guides still loading at start.
#[tauri::command]
pub async fn flows(state: State<'_, Session>) -> Result<FlowList, Error> {
    Ok(state.flows())
}

#[tauri::command]
pub async fn flow(state: State<'_, Session>, id: String) -> Result<FlowView, Error> {
    Ok(state.flow(&id)?)
}

/// Saves a change to a flow's progress and tells every window (the main
/// window and the step panel show the same flow).
#[tauri::command]
pub async fn change_progress<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Session>,
    id: String,
    change: ProgressChange,
) -> Result<FlowView, Error> {
    let flow = state.change_progress(&id, change)?;
    let _ = app.emit(PROGRESS_CHANGED, &id);
    Ok(flow)
}

/// The cause guide, or nothing when none is installed for this id.
#[tauri::command]
pub async fn cause(state: State<'_, Session>, id: String) -> Result<Option<CauseView>, Error> {
    Ok(state.cause(&id))
}

#[tauri::command]
pub fn overlay_state(state: State<'_, Session>) -> Overlay {
    state.walkthroughs.overlay()
}

/// Opens the step panel for a flow and remembers that it is open.
#[tauri::command]
pub fn show_overlay<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Session>,
    id: String,
) -> Result<(), Error> {
    state.flow(&id)?;
    state.walkthroughs.set_overlay(Overlay {
        open: true,
        flow: Some(id),
    })?;
    overlay::show(&app)?;
    let _ = app.emit(OVERLAY_CHANGED, ());
    Ok(())
}

#[tauri::command]
pub fn hide_overlay<R: Runtime>(app: AppHandle<R>, state: State<'_, Session>) -> Result<(), Error> {
    let flow = state.walkthroughs.overlay().flow;
    state
        .walkthroughs
        .set_overlay(Overlay { open: false, flow })?;
    overlay::hide(&app)?;
    let _ = app.emit(OVERLAY_CHANGED, ());
    Ok(())
}

/// Runs the doctor on the user's site; each check is sent to the window as
/// it ends (`doctor-check`), the whole report is the answer.
#[tauri::command]
pub async fn run_checks<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Session>,
) -> Result<tobira_doctor::Report, Error> {
    let mut live = move |check: &tobira_doctor::Check| {
        let _ = app.emit(DOCTOR_CHECK, check);
    };
    Ok(state.run_checks(&mut live).await?)
}

/// The support report as text (no secrets), with the last checks and the
/// assistant's query, answers and causes (secret-looking words removed).
#[tauri::command]
pub fn support_report(state: State<'_, Session>, assistant: Option<AssistantContext>) -> String {
    state.support_report(assistant)
}

/// Puts `text` on the clipboard: the support report the user has just read
/// on screen, exactly as shown. From Rust, because WebKitGTK refuses the
/// web clipboard.
#[tauri::command]
pub fn copy_text<R: Runtime>(app: AppHandle<R>, text: String) -> Result<(), Error> {
    crate::clipboard::write_text(&app, text)
}

/// The doctor's last run in this session, if any (the assistant shows its findings).
#[tauri::command]
pub fn last_checks(state: State<'_, Session>) -> Option<tobira_doctor::Report> {
    state.last_checks()
}

/// Causes ranked for what the user typed or pasted and the questions they
/// answered (`QUESTION.ANSWER`), with the next question if causes are close.
#[tauri::command]
pub async fn troubleshoot(
    state: State<'_, Session>,
    query: String,
    answers: Vec<String>,
) -> Result<Outcome, Error> {
    Ok(state.troubleshoot(&query, &answers)?)
}

/// The assistant's question tree in the user's language.
#[tauri::command]
pub async fn assistant(state: State<'_, Session>) -> Result<Option<AssistantView>, Error> {
    Ok(state.assistant())
}

/// What the browser companion saw last (a page that completed steps, an
/// error message to offer the assistant), unless the organisation turned
/// the companion off or it is older than a quarter of an hour.
#[tauri::command]
pub fn companion_seen(state: State<'_, Session>) -> Option<LastSeen> {
    if !state.companion_allowed() {
        return None;
    }
    state.last_seen()
}

/// Forgets what the browser companion saw (the user dismissed it).
#[tauri::command]
pub fn forget_seen(state: State<'_, Session>) {
    state.forget_seen();
}

/// Opens the assistant in the main window with `query` (the step panel's
/// "Find out why"), as a `tobira://troubleshoot?q=` link or the tray would.
#[tauri::command]
pub fn ask_assistant<R: Runtime>(app: AppHandle<R>, state: State<'_, Session>, query: String) {
    state.deliver(DeepLink::Troubleshoot { query: Some(query) });
    crate::desktop::announce(&app);
}
