//! The window's start: the Tauri builder with its plugins, the session as
//! its state, the commands, the guide watcher. Decisions are made in the
//! session (`tobira-session`); this wires them to the window.

use std::process::ExitCode;

use tauri::Manager;
use tobira_session::Session;

use crate::commands;
use crate::desktop;
use crate::navigation;
use crate::overlay;

pub fn run(link: Option<String>) -> ExitCode {
    if let Some(problem) = missing_display() {
        // Before any window or log file: the terminal is the only place to say it.
        eprintln!("tobira: {problem}");
        return ExitCode::from(2);
    }
    let config_dir = tobira_core::settings::config_dir().ok();
    let mut window_state = tauri_plugin_window_state::Builder::new()
        // Shown or hidden is Tobira's decision (tray, panel state).
        .with_state_flags(
            tauri_plugin_window_state::StateFlags::all()
                - tauri_plugin_window_state::StateFlags::VISIBLE,
        );
    if let Some(dir) = &config_dir {
        // Beside the settings, so one profile folder holds everything.
        window_state = window_state.with_filename(dir.join("window-state.json").to_string_lossy());
    }
    let instance = desktop::Instance::of(config_dir.as_deref());
    let session = Session::open();
    // The log first, so that what the other plugins report is kept.
    let mut builder = tauri::Builder::default().plugin(log_plugin());
    if instance.hand_over_at_start {
        // First: a second start hands over before anything else is set up.
        builder = builder.plugin(desktop::single_instance(&instance.id));
    }
    #[cfg(target_os = "macos")]
    {
        builder = builder.plugin(tauri_plugin_deep_link::init());
    }
    let result = builder
        .manage(instance)
        .plugin(tauri_plugin_opener::init())
        .plugin(window_state.build())
        .plugin(navigation::guard())
        .manage(session)
        .setup(move |app| {
            let handle = app.handle();
            // The main window is described in tauri.conf.json and built here,
            // so that it too refuses to open new windows.
            if let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") {
                tauri::WebviewWindowBuilder::from_config(handle, config)?
                    .on_new_window(navigation::refuse_new_window)
                    .build()?;
            }
            let state = handle.state::<Session>();
            if let Some(link) = &link {
                state.receive_link(link);
            }
            #[cfg(target_os = "macos")]
            {
                use tauri_plugin_deep_link::DeepLinkExt;
                let opener = handle.clone();
                handle.deep_link().on_open_url(move |event| {
                    for url in event.urls() {
                        desktop::receive_link(&opener, url.as_str());
                    }
                });
            }
            let follower = handle.clone();
            state.on_change(Box::new(move || {
                desktop::refresh_tray(&follower);
                desktop::apply_autostart(&follower, follower.state::<Session>().autostart());
            }));
            let remembered = state.walkthroughs.overlay();
            // A flow that is gone by now shows as "no guide open" in the panel.
            if remembered.open && remembered.flow.is_some() {
                // Not fatal: the flow screen offers the panel again.
                if let Err(e) = overlay::show(handle) {
                    log::warn!("the step panel could not open: {e}");
                }
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if window.label() != "main" {
                return;
            }
            match event {
                tauri::WindowEvent::CloseRequested { api, .. }
                    if desktop::keeps_running_on_close(window.app_handle()) =>
                {
                    api.prevent_close();
                    let _ = window.hide();
                }
                // The panel alone does not keep Tobira running.
                tauri::WindowEvent::Destroyed => window.app_handle().exit(0),
                _ => {}
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::check_site,
            commands::save_site,
            commands::open_bookmark,
            commands::change_setting,
            commands::policy_diagnosis,
            commands::add_bookmark,
            commands::add_guest_site,
            commands::remove_guest_site,
            commands::rename_bookmark,
            commands::move_bookmark,
            commands::remove_bookmark,
            commands::restore_bookmark,
            commands::export_bookmarks,
            commands::portal_qr_svg,
            commands::secrets_status,
            commands::store_basic_auth,
            commands::store_client_cert_password,
            commands::delete_secret,
            commands::flows,
            commands::flow,
            commands::change_progress,
            commands::cause,
            commands::overlay_state,
            commands::show_overlay,
            commands::hide_overlay,
            commands::run_checks,
            commands::support_report,
            commands::copy_text,
            commands::troubleshoot,
            commands::last_checks,
            commands::assistant,
            commands::companion_seen,
            commands::forget_seen,
            commands::ask_assistant,
            commands::take_link,
            commands::ready,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The log may not be set up when the builder fails: say it on
            // stderr too.
            eprintln!("tobira: the window could not start: {e}");
            log::error!("the window could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Warnings and errors go to the log file (rotated at 1 MB, three kept)
/// and to stderr for whoever started Tobira from a terminal.
fn log_plugin<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    let mut builder = tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::Stderr))
        .level(log::LevelFilter::Warn)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(3));
    if let Some(dir) = tobira_core::settings::log_dir() {
        builder = builder.target(Target::new(TargetKind::Folder {
            path: dir,
            file_name: Some(tobira_core::settings::LOG_FILE_STEM.to_owned()),
        }));
    }
    builder.build()
}

/// GTK panics without a display; say so plainly instead.
#[cfg(all(unix, not(target_os = "macos")))]
fn missing_display() -> Option<&'static str> {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY")).then_some(
        "no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open; \
         run it inside a desktop session, or use a verb such as `tobira site example` (see `tobira --help`)",
    )
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn missing_display() -> Option<&'static str> {
    None
}
