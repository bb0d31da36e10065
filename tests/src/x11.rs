//! What a desktop does to a window that WebDriver cannot: press its close
//! button. WebDriver's "close window" tears the webview down instead, so
//! the app never hears a close request.

use std::ffi::{CStr, CString};
use std::os::raw::c_long;

use x11_dl::xlib;

/// Sends `WM_DELETE_WINDOW` (the close button) to every shown top-level
/// window called `title` on `display`; returns how many got it.
pub fn close_windows_titled(display: &str, title: &str) -> usize {
    let xlib = xlib::Xlib::open().expect("libX11 loads (it comes with GTK)");
    let display_name = CString::new(display).expect("a display name");
    // SAFETY: Xlib calls on a display opened and closed here; every window
    // id comes from the server in this function; names are freed with XFree.
    unsafe {
        let dpy = (xlib.XOpenDisplay)(display_name.as_ptr());
        assert!(!dpy.is_null(), "cannot open display {display}");
        let intern = |name: &str| {
            let name = CString::new(name).expect("an atom name");
            (xlib.XInternAtom)(dpy, name.as_ptr(), xlib::False)
        };
        let (protocols, delete) = (intern("WM_PROTOCOLS"), intern("WM_DELETE_WINDOW"));
        let mut sent = 0;
        for window in descendants(&xlib, dpy, (xlib.XDefaultRootWindow)(dpy)) {
            let mut name = std::ptr::null_mut();
            if (xlib.XFetchName)(dpy, window, &mut name) == 0 || name.is_null() {
                continue;
            }
            let matches = CStr::from_ptr(name).to_string_lossy() == title;
            (xlib.XFree)(name.cast());
            let mut attributes: xlib::XWindowAttributes = std::mem::zeroed();
            (xlib.XGetWindowAttributes)(dpy, window, &mut attributes);
            if !matches || attributes.map_state != xlib::IsViewable {
                continue;
            }
            let mut data = xlib::ClientMessageData::new();
            data.set_long(0, delete as c_long);
            data.set_long(1, xlib::CurrentTime as c_long);
            let mut event = xlib::XEvent {
                client_message: xlib::XClientMessageEvent {
                    type_: xlib::ClientMessage,
                    serial: 0,
                    send_event: xlib::True,
                    display: dpy,
                    window,
                    message_type: protocols,
                    format: 32,
                    data,
                },
            };
            (xlib.XSendEvent)(dpy, window, xlib::False, xlib::NoEventMask, &mut event);
            sent += 1;
        }
        (xlib.XFlush)(dpy);
        (xlib.XCloseDisplay)(dpy);
        sent
    }
}

/// Every window below `root`.
unsafe fn descendants(
    xlib: &xlib::Xlib,
    dpy: *mut xlib::Display,
    root: xlib::Window,
) -> Vec<xlib::Window> {
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(window) = pending.pop() {
        let (mut root_out, mut parent) = (0, 0);
        let mut children = std::ptr::null_mut();
        let mut count = 0;
        if (xlib.XQueryTree)(
            dpy,
            window,
            &mut root_out,
            &mut parent,
            &mut children,
            &mut count,
        ) == 0
        {
            continue;
        }
        if !children.is_null() {
            let list = std::slice::from_raw_parts(children, count as usize);
            found.extend_from_slice(list);
            pending.extend_from_slice(list);
            (xlib.XFree)(children.cast());
        }
    }
    found
}
