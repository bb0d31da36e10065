//! The `tobira` command. A verb runs here, in a console program that links
//! no web view; no verb, or a lone `tobira://` link, starts the window.

mod args;
mod cli;
mod companion;
mod console;
mod native_host;
mod output;
mod window;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // A browser starting the companion's host passes its own arguments
    // (a host manifest cannot give any), so they are told apart first.
    if let Some(caller) = tobira_session::companion::Caller::from_args(&args) {
        return native_host::run(caller);
    }
    let link = tobira_core::deep_link::link_argument(&args);
    if args.len() > 1 && link.is_none() {
        console::prepare();
        cli::run(args)
    } else {
        window::start(link)
    }
}
