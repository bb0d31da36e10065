//! Windows release builds use the GUI subsystem, so a CLI verb started from a
//! terminal must attach to that terminal's console to print anything.

#[cfg(windows)]
pub fn attach_parent() {
    use windows_sys::Win32::System::Console::{AttachConsole, ATTACH_PARENT_PROCESS};
    // SAFETY: plain Win32 call without pointers; failure (no parent console,
    // e.g. started from Explorer) leaves the process as it was.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
pub fn attach_parent() {}
