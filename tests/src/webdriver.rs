//! A small W3C WebDriver client that drives the real app through
//! `WebKitWebDriver` (Debian package `webkit2gtk-driver`), and real
//! Chromium through `chromedriver` (package `chromium-driver`) for the
//! browser companion.
//!
//! It talks to WebKitWebDriver directly rather than through `tauri-driver`:
//! the proxy's reused connection dropped about one request in ten on this
//! machine class, and a flaky end-to-end suite is a broken one. The app is
//! started by WebKitWebDriver with `TAURI_WEBVIEW_AUTOMATION=true`, which
//! makes Tauri's webview accept automation.

use std::cell::RefCell;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// WebDriver key codes for [`Session::press`].
pub const TAB: char = '\u{E004}';
pub const ENTER: char = '\u{E007}';
/// How long to wait for something to appear on screen.
const UI_TIMEOUT: Duration = Duration::from_secs(30);

/// An X server of our own when the caller has no display. `-noreset`: by
/// default Xvfb resets when its last client leaves, and an app starting
/// during that reset fails to initialise GTK. `-noreset`: by
/// default Xvfb resets when its last client leaves, and an app starting
/// during that reset fails to initialise GTK.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts (apt package xvfb)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("Xvfb reports its display number");
        Xvfb {
            child,
            display: format!(":{}", line.trim()),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running WebKitWebDriver (and, if needed, its Xvfb).
pub struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
    _xvfb: Option<Xvfb>,
}

impl Driver {
    /// Starts WebKitWebDriver; `env` is passed on to the app it launches.
    pub fn start(env: &[(&str, &str)]) -> Driver {
        let xvfb = std::env::var_os("DISPLAY")
            .filter(|d| !d.is_empty())
            .is_none()
            .then(Xvfb::start);
        let mut env = env.to_vec();
        env.push(("TAURI_WEBVIEW_AUTOMATION", "true"));
        Driver::launch(
            "WebKitWebDriver (apt package webkit2gtk-driver)",
            Command::new("WebKitWebDriver"),
            &env,
            xvfb,
        )
    }

    /// Starts chromedriver; `env` reaches Chromium and what Chromium
    /// starts (the companion's native host). Chromium runs headless, so it
    /// needs no display.
    pub fn chromium(env: &[(&str, &str)]) -> Driver {
        Driver::launch(
            "chromedriver (apt package chromium-driver)",
            Command::new("chromedriver"),
            env,
            None,
        )
    }

    fn launch(
        what: &str,
        mut command: Command,
        env: &[(&str, &str)],
        xvfb: Option<Xvfb>,
    ) -> Driver {
        let port = free_port();
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(xvfb) = &xvfb {
            command.env("DISPLAY", &xvfb.display);
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("{what} starts: {e}"));
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(60))
                .build(),
            _xvfb: xvfb,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "{what} did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// The X display the app runs on, for a second process to join it.
    pub fn display(&self) -> String {
        match &self._xvfb {
            Some(xvfb) => xvfb.display.clone(),
            None => std::env::var("DISPLAY").unwrap_or_default(),
        }
    }

    /// Launches the app and opens a WebDriver session on its window.
    pub fn session(&self, app: &Path) -> Session<'_> {
        self.session_with(json!({"capabilities": {"alwaysMatch": {
            "webkitgtk:browserOptions": {"binary": app, "args": []}
        }}}))
    }

    /// Starts Chromium with these switches (on top of those chromedriver
    /// adds) and opens a session on it.
    pub fn browser_session(&self, args: &[String]) -> Session<'_> {
        self.session_with(json!({"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                // chromedriver disables extensions unless told not to.
                "excludeSwitches": ["disable-extensions"]
            }
        }}}))
    }

    fn session_with(&self, capabilities: Value) -> Session<'_> {
        let reply = self.request("POST", "/session", Some(capabilities));
        let id = reply["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {reply}"))
            .to_owned();
        Session { driver: self, id }
    }

    /// One WebDriver command; returns its `value`, or panics with the
    /// driver's own error.
    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        match self.try_request(method, path, body) {
            Ok(value) => value,
            Err(error) => panic!("WebDriver {method} {path}: {error}"),
        }
    }

    fn try_request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let request = self.agent.request(method, &format!("{}{path}", self.base));
        let result = match body {
            Some(body) => request.send_json(body),
            None => request.call(),
        };
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(e) => return Err(json!({"error": "transport", "message": e.to_string()})),
        };
        let status = response.status();
        let reply: Value = response
            .into_json()
            .map_err(|e| json!({"error": "bad reply", "message": e.to_string()}))?;
        let value = reply.get("value").cloned().unwrap_or(Value::Null);
        if status < 300 {
            Ok(value)
        } else {
            Err(value)
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One launch of the app.
pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    /// Waits until an element matching `css` exists and returns it.
    pub fn find(&self, css: &str) -> Element<'_> {
        let path = format!("/session/{}/element", self.id);
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            match self.driver.try_request(
                "POST",
                &path,
                Some(json!({"using": "css selector", "value": css})),
            ) {
                Ok(found) => {
                    let id = found[ELEMENT_KEY].as_str().expect("element id").to_owned();
                    return Element {
                        session: self,
                        css: css.to_owned(),
                        id: RefCell::new(id),
                    };
                }
                Err(error) if error["error"] == "no such element" && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(error) => panic!("waiting for {css}: {error}"),
            }
        }
    }

    /// Whether an element matches `css` right now (no waiting).
    pub fn exists(&self, css: &str) -> bool {
        self.count(css) > 0
    }

    /// How many elements match `css` right now.
    fn count(&self, css: &str) -> usize {
        let path = format!("/session/{}/elements", self.id);
        let found = self
            .driver
            .try_request(
                "POST",
                &path,
                Some(json!({"using": "css selector", "value": css})),
            )
            .unwrap_or_else(|error| panic!("looking for {css}: {error}"));
        found.as_array().map_or(0, Vec::len)
    }

    /// Waits until the element matching `css` shows exactly `expected`.
    pub fn wait_for_text(&self, css: &str, expected: &str) -> Element<'_> {
        self.wait_for_text_where(css, |text| text == expected, expected)
    }

    /// Waits until the text of the element matching `css` contains `part`.
    pub fn wait_for_text_containing(&self, css: &str, part: &str) -> Element<'_> {
        self.wait_for_text_where(css, |text| text.contains(part), part)
    }

    fn wait_for_text_where(
        &self,
        css: &str,
        wanted: impl Fn(&str) -> bool,
        expected: &str,
    ) -> Element<'_> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let element = self.find(css);
            let text = element.text();
            if wanted(&text) {
                return element;
            }
            assert!(
                Instant::now() < deadline,
                "{css} shows {text:?}, expected {expected:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG of the window, once the page has painted what it shows
    /// (a window that just opened may not have painted yet).
    pub fn screenshot(&self, path: &Path) {
        self.driver.request(
            "POST",
            &format!("/session/{}/execute/async", self.id),
            Some(json!({
                "script": "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": []
            })),
        );
        self.save_screenshot(&format!("/session/{}/screenshot", self.id), path);
    }

    /// Loads `url` in the browser's tab and waits for it.
    pub fn navigate(&self, url: &str) {
        self.driver.request(
            "POST",
            &format!("/session/{}/url", self.id),
            Some(json!({"url": url})),
        );
    }

    /// The address the tab shows now.
    pub fn current_url(&self) -> String {
        let value = self
            .driver
            .request("GET", &format!("/session/{}/url", self.id), None);
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Resizes the window (for screenshots that need the whole page).
    pub fn resize(&self, width: u32, height: u32) {
        self.driver.request(
            "POST",
            &format!("/session/{}/window/rect", self.id),
            Some(json!({"width": width, "height": height})),
        );
        // The page lays itself out again after the window manager's resize.
        std::thread::sleep(Duration::from_millis(600));
    }

    fn save_screenshot(&self, endpoint: &str, path: &Path) {
        let data = self.driver.request("GET", endpoint, None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("base64 screenshot"))
            .expect("valid base64");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).expect("screenshot written");
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn execute(&self, script: &str) -> Value {
        self.driver.request(
            "POST",
            &format!("/session/{}/execute/sync", self.id),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Runs `script` (a function body whose last argument is a callback)
    /// and returns what it passes to the callback.
    pub fn execute_async(&self, script: &str) -> Value {
        self.driver.request(
            "POST",
            &format!("/session/{}/execute/async", self.id),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Presses and releases one key (a WebDriver key code such as
    /// `TAB` or `ENTER`) on whatever has the focus.
    pub fn press(&self, key: char) {
        self.driver.request(
            "POST",
            &format!("/session/{}/actions", self.id),
            Some(
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                    {"type": "keyDown", "value": key.to_string()},
                    {"type": "keyUp", "value": key.to_string()},
                ]}]}),
            ),
        );
    }

    /// The window's place and size as `(x, y, width, height)`.
    pub fn rect(&self) -> (i64, i64, i64, i64) {
        let r = self
            .driver
            .request("GET", &format!("/session/{}/window/rect", self.id), None);
        let n = |k: &str| r[k].as_f64().unwrap_or_default().round() as i64;
        (n("x"), n("y"), n("width"), n("height"))
    }

    /// Moves and resizes the window.
    pub fn set_rect(&self, x: i64, y: i64, width: i64, height: i64) {
        self.driver.request(
            "POST",
            &format!("/session/{}/window/rect", self.id),
            Some(json!({"x": x, "y": y, "width": width, "height": height})),
        );
    }

    /// Asks the current window to close, as its close button does.
    pub fn close_window(&self) -> Value {
        self.driver
            .request("DELETE", &format!("/session/{}/window", self.id), None)
    }

    /// The app's open windows (the main window and, say, the step panel).
    pub fn window_handles(&self) -> Vec<String> {
        let handles =
            self.driver
                .request("GET", &format!("/session/{}/window/handles", self.id), None);
        handles
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|h| h.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The window commands go to.
    pub fn window_handle(&self) -> String {
        let handle = self
            .driver
            .request("GET", &format!("/session/{}/window", self.id), None);
        handle.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the app has `count` windows and returns their handles.
    pub fn wait_for_windows(&self, count: usize) -> Vec<String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let handles = self.window_handles();
            if handles.len() == count {
                return handles;
            }
            assert!(
                Instant::now() < deadline,
                "{} windows open, expected {count}",
                handles.len()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends the following commands to another window.
    pub fn switch_to(&self, handle: &str) {
        self.driver.request(
            "POST",
            &format!("/session/{}/window", self.id),
            Some(json!({"handle": handle})),
        );
    }

    /// Waits for the app's second window (the side panel), switches to it
    /// and returns the handle of the window this session was on.
    pub fn switch_to_second_window(&self) -> String {
        let first = self.window_handle();
        let second = self
            .wait_for_windows(2)
            .into_iter()
            .find(|h| *h != first)
            .expect("a second window");
        self.switch_to(&second);
        first
    }

    /// Ends the session, which closes the app.
    pub fn close(self) {
        self.driver
            .request("DELETE", &format!("/session/{}", self.id), None);
    }

    /// Ends the session of an app that has already quit by itself (the
    /// driver may answer with an error then; the session is gone either way).
    pub fn forget(self) {
        let _ = self
            .driver
            .try_request("DELETE", &format!("/session/{}", self.id), None);
    }
}

pub struct Element<'a> {
    session: &'a Session<'a>,
    /// How it was found: WebKit forgets an element it re-rendered, and the
    /// same selector finds the new one.
    css: String,
    id: RefCell<String>,
}

impl Element<'_> {
    /// One command on the element. If the page re-rendered it since it was
    /// found and its selector names one element, that one is used (the
    /// test log says so): WebDriver finds a stale node before it acts, so
    /// nothing was typed or clicked yet. With several matches it fails.
    fn act(&self, method: &str, action: &str, body: Option<Value>) -> Value {
        let path = |id: &str| format!("/session/{}/element/{id}/{action}", self.session.id);
        let first = self
            .session
            .driver
            .try_request(method, &path(&self.id.borrow()), body.clone());
        match first {
            Ok(value) => value,
            Err(error)
                if error["error"] == "stale element reference"
                    && self.session.count(&self.css) == 1 =>
            {
                eprintln!("webdriver: {} was re-rendered; found it again", self.css);
                let again = self.session.find(&self.css);
                let id = again.id.borrow().clone();
                *self.id.borrow_mut() = id;
                self.session
                    .driver
                    .request(method, &path(&self.id.borrow()), body)
            }
            Err(error) => panic!("WebDriver {method} {action} on {}: {error}", self.css),
        }
    }

    pub fn text(&self) -> String {
        let value = self.act("GET", "text", None);
        value.as_str().unwrap_or_default().to_owned()
    }

    pub fn attribute(&self, name: &str) -> Option<String> {
        let value = self.act("GET", &format!("attribute/{name}"), None);
        value.as_str().map(str::to_owned)
    }

    pub fn click(&self) {
        self.act("POST", "click", Some(json!({})));
    }

    pub fn clear(&self) {
        self.act("POST", "clear", Some(json!({})));
    }

    pub fn type_text(&self, text: &str) {
        self.act("POST", "value", Some(json!({"text": text})));
    }
}
