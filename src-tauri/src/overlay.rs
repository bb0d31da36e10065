//! The step panel: a compact window that stays on top beside the browser
//! and shows only the current step.
//!
//! It is created without focus and never focused when it updates, so the
//! browser keeps the keyboard. Always-on-top is set again after every show:
//! some Wayland compositors forget it (see `docs/overlay.md`).

use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

pub const LABEL: &str = "overlay";
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 560.0;
/// Room between the panel and the screen's edges (and the top bar).
const MARGIN: f64 = 24.0;

pub fn show<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(window) = app.get_webview_window(LABEL) {
        window.show()?;
        return window.set_always_on_top(true);
    }
    let mut builder = WebviewWindowBuilder::new(
        app,
        LABEL,
        WebviewUrl::App("index.html?view=overlay".into()),
    )
    .title(crate::i18n::message(
        app.state::<tobira_session::Session>().language(),
        "overlay.windowTitle",
    ))
    .inner_size(WIDTH, HEIGHT)
    .min_inner_size(300.0, 320.0)
    .always_on_top(true)
    .focused(false)
    .skip_taskbar(true)
    .on_new_window(crate::navigation::refuse_new_window);
    if let Some((x, y)) = right_edge(app) {
        builder = builder.position(x, y);
    }
    builder.build()?.set_always_on_top(true)
}

pub fn hide<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    match app.get_webview_window(LABEL) {
        Some(window) => window.close(),
        None => Ok(()),
    }
}

/// The top right of the screen the main window is on (else the primary).
fn right_edge<R: Runtime>(app: &AppHandle<R>) -> Option<(f64, f64)> {
    let monitor = app
        .get_webview_window("main")
        .and_then(|w| w.current_monitor().ok().flatten())
        .or_else(|| app.primary_monitor().ok().flatten())?;
    let scale = monitor.scale_factor();
    let size = monitor.size().to_logical::<f64>(scale);
    let origin = monitor.position().to_logical::<f64>(scale);
    let x = origin.x + (size.width - WIDTH - MARGIN).max(0.0);
    Some((x, origin.y + MARGIN))
}
