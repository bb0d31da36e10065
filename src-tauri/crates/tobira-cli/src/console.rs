//! The terminal a CLI verb prints to. On Unix, output piped into `head`
//! must end the process quietly instead of panicking in `println!`. (On
//! Windows this is a console program, so its output reaches the terminal
//! without attaching to it.)

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

#[cfg(not(unix))]
pub fn prepare() {}
