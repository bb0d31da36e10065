//! The terminal a CLI verb prints to. Windows release builds use the GUI
//! subsystem, so a verb started from a terminal must attach to that
//! terminal's console to print anything; on Unix, output piped into
//! `head` must end the process quietly instead of panicking in `println!`.

#[cfg(windows)]
pub fn prepare() {
    use windows_sys::Win32::System::Console::{AttachConsole, ATTACH_PARENT_PROCESS};
    // SAFETY: plain Win32 call without pointers; failure (no parent console,
    // e.g. started from Explorer) leaves the process as it was.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(unix)]
pub fn prepare() {
    // Rust ignores SIGPIPE, so a closed pipe makes `println!` panic; a
    // command-line tool should stop as `cat` does. Only for CLI verbs: the
    // window keeps Rust's default for its own sockets.
    // SAFETY: sets the disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(any(unix, windows)))]
pub fn prepare() {}
