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
        eprintln!(
            "tobira: the Tobira window ({WINDOW_PROGRAM}) is not installed beside this command; \
             reinstall Tobira, or use a verb such as `tobira site example` (see `tobira --help`)"
        );
        return ExitCode::from(2);
    };
    let mut command = Command::new(&program);
    command.args(link);
    run(command, &program)
}

#[cfg(unix)]
fn run(mut command: Command, program: &std::path::Path) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    eprintln!("tobira: could not start {}: {error}", program.display());
    ExitCode::FAILURE
}

#[cfg(not(unix))]
fn run(mut command: Command, program: &std::path::Path) -> ExitCode {
    match command.spawn() {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tobira: could not start {}: {error}", program.display());
            ExitCode::FAILURE
        }
    }
}
