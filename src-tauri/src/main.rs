// Release builds on Windows have no console window; CLI verbs re-attach to
// the parent's console (see `console`), so `tobira <verb>` still prints.
#![cfg_attr(all(not(debug_assertions), windows), windows_subsystem = "windows")]

mod app;
mod cli;
mod commands;
mod console;
mod desktop;
mod doctor;
mod error;
mod guides;
mod navigation;
mod overlay;
mod report;
mod walkthroughs;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The OS opens `tobira://` links as `tobira LINK`: that is the window.
    let link = desktop::link_argument(&args);
    if args.len() > 1 && link.is_none() {
        console::prepare();
        cli::run(args)
    } else {
        app::run(link)
    }
}
