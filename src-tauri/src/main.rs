// Release builds on Windows are GUI programs: no console window opens with
// them. Verbs live in the console program `tobira` (crates/tobira-cli).
#![cfg_attr(all(not(debug_assertions), windows), windows_subsystem = "windows")]

//! The Tobira window (`tobira-window`): started by `tobira` with no verb,
//! by the desktop entry, at login, or by the OS for a `tobira://` link.

mod app;
mod clipboard;
mod commands;
mod desktop;
mod error;
mod guide_watch;
mod i18n;
mod navigation;
mod overlay;
mod progress_watch;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let link = tobira_core::deep_link::link_argument(&args);
    if args.len() > 1 && link.is_none() {
        // A verb given to the window program (an old shortcut, a script that
        // guessed the name) must not silently open a window instead.
        eprintln!(
            "tobira-window: the window takes no arguments but a tobira:// link; \
             run verbs with `tobira` (see `tobira --help`)"
        );
        return ExitCode::from(2);
    }
    app::run(link)
}
