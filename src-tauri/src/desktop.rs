//! Tobira as a desktop citizen: the tray menu, a second start handing over
//! to the first, `tobira://` links, autostart and closing to the tray.
//! Decisions (what a link means, which settings apply) are made in
//! `tobira-core` and `Session`; this only wires them to the OS.

use tauri::menu::{Menu, MenuBuilder, MenuEvent, SubmenuBuilder};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_opener::OpenerExt;
use tobira_core::deep_link::{link_argument, DeepLink};

use tobira_session::Session;

use crate::i18n::message;

/// Tells the main window a link (or a tray choice) waits for it.
pub const LINK_RECEIVED: &str = "link-received";
const TRAY_ID: &str = "tobira";

/// Brings the main window to the front (tray, second start, link).
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// A `tobira://` link from the command line or the OS: checked, kept until
/// the window takes it, and the window is brought forward and told.
pub fn receive_link<R: Runtime>(app: &AppHandle<R>, raw: &str) {
    app.state::<Session>().receive_link(raw);
    announce(app);
}

/// Brings the main window forward and tells it a link (or choice) waits.
pub fn announce<R: Runtime>(app: &AppHandle<R>) {
    show_main(app);
    let _ = app.emit_to("main", LINK_RECEIVED, ());
}

/// Called in the running Tobira when Tobira is started again: `args` are
/// the new start's (its first is the program).
pub fn second_start<R: Runtime>(app: &AppHandle<R>, args: &[String]) {
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    match link_argument(&args) {
        Some(link) => receive_link(app, &link),
        None => show_main(app),
    }
}

/// One running Tobira per profile, through the official single-instance
/// plugin.
pub struct Instance {
    pub id: String,
    /// Whether the plugin is set up before the window. On Linux its setup
    /// opens a D-Bus connection of its own, which cost the first screen
    /// about 60 ms (a tenth of a bare Tauri start). So the first Tobira of a
    /// profile, known by the lock file it holds, sets it up right after the
    /// first paint; a later start (the lock is taken) sets it up at once and
    /// hands over. Two starts within that moment still end as one: the one
    /// whose plugin comes second finds the name taken and hands over.
    pub hand_over_at_start: bool,
    /// Held while Tobira runs; the OS releases it when the process ends.
    _lock: Option<std::fs::File>,
}

impl Instance {
    pub fn of(config_dir: Option<&std::path::Path>) -> Instance {
        let lock = config_dir.and_then(|dir| {
            std::fs::create_dir_all(dir).ok()?;
            let file = std::fs::File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(dir.join("instance.lock"))
                .ok()?;
            file.try_lock().ok()?;
            Some(file)
        });
        Instance {
            id: instance_id(config_dir),
            hand_over_at_start: !cfg!(target_os = "linux") || lock.is_none(),
            _lock: lock,
        }
    }
}

pub fn single_instance<R: Runtime>(id: &str) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .callback(|app, args, _cwd| second_start(app, &args))
        .dbus_id(id)
        .build()
}

/// The app id for the usual config folder, a name derived from the folder
/// when `TOBIRA_CONFIG_DIR` points elsewhere (tests, or IT running a second
/// profile), so those do not hand over to each other.
fn instance_id(config_dir: Option<&std::path::Path>) -> String {
    use std::hash::{Hash, Hasher};
    const APP_ID: &str = "dev.tobira.desktop";
    let custom =
        std::env::var_os(tobira_core::settings::CONFIG_DIR_ENV).is_some_and(|d| !d.is_empty());
    match config_dir {
        Some(dir) if custom => {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            dir.hash(&mut hasher);
            format!("{APP_ID}.profile_{:016x}", hasher.finish())
        }
        _ => APP_ID.to_owned(),
    }
}

/// What can wait until the first screen is drawn (each costs the startup
/// time a person waits for): reading and watching the guides, the
/// single-instance name (see [`Instance`]), the tray icon (its menu names
/// the walkthrough in progress, so it follows the guides) and the login
/// item. Runs once, however often the page says it is ready.
pub fn after_first_paint<R: Runtime>(app: &AppHandle<R>) {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        crate::guide_watch::start(app);
        crate::progress_watch::start(app, refresh_tray);
        let instance = app.state::<Instance>();
        if !instance.hand_over_at_start {
            if let Err(e) = app.plugin(single_instance(&instance.id)) {
                log::warn!("a second start will open a second window ({e})");
            }
        }
        let handle = app.clone();
        app.state::<Session>().walkthroughs.preload_then(move || {
            let on_main = handle.clone();
            let created = handle.run_on_main_thread(move || {
                if let Err(e) = create_tray(&on_main) {
                    log::warn!("no tray icon ({e}); Tobira works from its window");
                }
            });
            if let Err(e) = created {
                log::warn!("no tray icon ({e}); Tobira works from its window");
            }
        });
        match app.plugin(tauri_plugin_autostart::Builder::new().build()) {
            Ok(()) => apply_autostart(app, app.state::<Session>().autostart()),
            Err(e) => log::warn!("starting at login is not available here ({e})"),
        }
    });
}

/// Makes the OS's login items agree with the effective setting (the
/// policy may set it). Errors are reported, never fatal.
pub fn apply_autostart<R: Runtime>(app: &AppHandle<R>, wanted: bool) {
    // Registered after the first paint (and not at all if that failed).
    let Some(launcher) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
        return;
    };
    // Enabling is written again even when an entry exists: the entry only
    // proves a name, and after an upgrade it may point at a program that
    // is gone (the window was `tobira`, it is `tobira-window` now).
    let result = match launcher.is_enabled() {
        _ if wanted => launcher.enable(),
        Ok(false) => Ok(()),
        Ok(true) => launcher.disable(),
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        log::warn!("could not change starting at login: {e}");
    }
}

/// Whether closing the main window should hide it instead of quitting:
/// only when the user wants it and there is a tray to come back from.
pub fn keeps_running_on_close<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.state::<Session>().keeps_in_tray() && tray_host_present()
}

/// Creates the tray icon with its menu. Where no tray host runs (a bare X
/// server, some Linux desktops) the icon is simply not shown.
pub fn create_tray<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if !tray_library_present() {
        log::warn!("no tray icon (libayatana-appindicator3 is not installed); Tobira works from its window"
        );
        return Ok(());
    }
    let menu = tray_menu(app)?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Tobira")
        .menu(&menu)
        .on_menu_event(on_menu_event);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Rebuilds the menu after the site, language, bookmarks or progress changed.
pub fn refresh_tray<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    match tray_menu(app) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(e) => log::warn!("the tray menu could not be rebuilt: {e}"),
    }
}

fn tray_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let state = app.state::<Session>();
    let view = state.view();
    let text = |key: &str| message(view.language, key);
    let mut menu = MenuBuilder::new(app).text("open", text("tray.open"));
    if view.site.is_some() {
        menu = menu.text("bookmark:portal", text("tray.portal"));
        let mut bookmarks = SubmenuBuilder::new(app, text("tray.bookmarks"));
        for bookmark in view.bookmarks.iter().filter(|b| b.id != "portal") {
            bookmarks = bookmarks.text(format!("bookmark:{}", bookmark.id), &bookmark.name);
        }
        menu = menu.item(&bookmarks.build()?);
        menu = menu.text("assistant", text("tray.assistant"));
        if let Some((id, label)) = state.current_step_label(text("tray.continue")) {
            menu = menu.text(format!("flow:{id}"), label);
        }
    }
    menu.separator().text("quit", text("tray.quit")).build()
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    let state = app.state::<Session>();
    match id {
        "open" => show_main(app),
        "quit" => app.exit(0),
        "assistant" => {
            state.deliver(DeepLink::Troubleshoot { query: None });
            announce(app);
        }
        _ => {
            if let Some(flow) = id.strip_prefix("flow:") {
                state.deliver(DeepLink::Flow { id: flow.into() });
                announce(app);
            } else if let Some(bookmark) = id.strip_prefix("bookmark:") {
                // The same allowlist as the window's bookmark buttons.
                let opened = state
                    .bookmark_url(bookmark)
                    .map_err(crate::error::Error::from)
                    .and_then(|url| Ok(app.opener().open_url(url, None::<&str>)?));
                if let Err(e) = opened {
                    // The message may hold the address: logged without
                    // anything secret-looking, as every log line should be.
                    log::warn!("{}", tobira_core::redact::text(&e.to_string()));
                }
            }
        }
    }
}

/// Whether a system tray is there to show the icon. On Linux that is a
/// StatusNotifier host on the session bus (what libappindicator talks to)
/// or an XEmbed tray on the X screen (its fallback); Windows and macOS
/// always have one.
#[cfg(target_os = "linux")]
fn tray_host_present() -> bool {
    status_notifier_host_present() || xembed_tray_present()
}

/// A StatusNotifier host (what libappindicator talks to) owns its name on
/// the session bus.
#[cfg(target_os = "linux")]
fn status_notifier_host_present() -> bool {
    use gio::prelude::*;
    let Ok(bus) = gio::bus_get_sync(gio::BusType::Session, gio::Cancellable::NONE) else {
        return false;
    };
    let reply = bus.call_sync(
        Some("org.freedesktop.DBus"),
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "NameHasOwner",
        Some(&("org.kde.StatusNotifierWatcher",).to_variant()),
        Some(gio::glib::VariantTy::new("(b)").expect("a valid type string")),
        gio::DBusCallFlags::NONE,
        500,
        gio::Cancellable::NONE,
    );
    reply
        .ok()
        .and_then(|r| r.get::<(bool,)>())
        .is_some_and(|(owned,)| owned)
}

/// The XEmbed system tray protocol: a tray owns the selection
/// `_NET_SYSTEM_TRAY_S<screen>`.
#[cfg(target_os = "linux")]
fn xembed_tray_present() -> bool {
    let Ok(xlib) = x11_dl::xlib::Xlib::open() else {
        return false;
    };
    // SAFETY: plain Xlib calls on a display this function opens and closes;
    // every pointer passed is either that display or a NUL-terminated name.
    unsafe {
        let display = (xlib.XOpenDisplay)(std::ptr::null());
        if display.is_null() {
            return false;
        }
        let screen = (xlib.XDefaultScreen)(display);
        let owned = std::ffi::CString::new(format!("_NET_SYSTEM_TRAY_S{screen}"))
            .map(|name| {
                let atom = (xlib.XInternAtom)(display, name.as_ptr(), 0);
                (xlib.XGetSelectionOwner)(display, atom) != 0
            })
            .unwrap_or(false);
        (xlib.XCloseDisplay)(display);
        owned
    }
}

#[cfg(not(target_os = "linux"))]
fn tray_host_present() -> bool {
    true
}

/// The tray on Linux needs libayatana-appindicator (or the older
/// libappindicator), loaded at run time: the same names the tray crate tries.
#[cfg(target_os = "linux")]
fn tray_library_present() -> bool {
    [
        "libayatana-appindicator3.so.1",
        "libappindicator3.so.1",
        "libayatana-appindicator3.so",
        "libappindicator3.so",
    ]
    .iter()
    // SAFETY: loading runs the library's initialisers; these are the
    // libraries the tray crate loads right after this check.
    .any(|name| unsafe { libloading::Library::new(name) }.is_ok())
}

#[cfg(not(target_os = "linux"))]
fn tray_library_present() -> bool {
    true
}
