//! Starting the window from the console command: the window is its own
//! program (`tobira-window`, installed beside this one), so that verbs never
//! load the web view.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The window program's file name on this OS.
const WINDOW_PROGRAM: &str = if cfg!(windows) {
    "tobira-window.exe"
} else {
    "tobira-window"
};

/// The window program beside this one.
fn window_program() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let program = exe.parent()?.join(WINDOW_PROGRAM);
    program.is_file().then_some(program)
}

/// Starts the window, with `link` if given. On Unix the window takes this
/// process's place, so a terminal sees its messages and exit code; on
/// Windows it is started on its own and this console program ends.
pub fn start(link: Option<String>) -> ExitCode {
    let Some(program) = window_program() else {
        say_error("cli.window.notInstalled", &[("program", &WINDOW_PROGRAM)]);
        return ExitCode::from(2);
    };
    let mut command = Command::new(&program);
    command.args(link);
    run(command, &program)
}

/// One line on stderr in the user's language (the window's setting, else
/// the OS's): with no verb there is no `--lang`.
fn say_error(key: &str, args: &[(&str, &dyn std::fmt::Display)]) {
    let language = tobira_session::Session::open().language();
    let message = tobira_i18n::text_with(language, key, args);
    eprintln!(
        "{}",
        tobira_i18n::text_with(language, "cli.error", &[("message", &message)])
    );
}

#[cfg(unix)]
fn run(mut command: Command, program: &std::path::Path) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    say_error(
        "cli.window.startFailed",
        &[("program", &program.display()), ("error", &error)],
    );
    ExitCode::FAILURE
}

#[cfg(not(unix))]
fn run(mut command: Command, program: &std::path::Path) -> ExitCode {
    match command.spawn() {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            say_error(
                "cli.window.startFailed",
                &[("program", &program.display()), ("error", &error)],
            );
            ExitCode::FAILURE
        }
    }
}
