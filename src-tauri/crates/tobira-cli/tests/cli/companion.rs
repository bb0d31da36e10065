//! `tobira companion install|uninstall|status`, `tobira flows` and the
//! native-messaging host, driven as a browser drives it: framed JSON on
//! stdin and stdout, started with the caller's origin as its argument.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::program::{tobira_command, Run};

const GUIDES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../guides");

/// `tobira ARGS` with the test's HOME (where browsers keep their manifests)
/// and the source tree's guides.
fn command(config: &Path, args: &[&str]) -> Command {
    let mut command = tobira_command(config, args);
    command
        .env("HOME", config)
        .env("XDG_CONFIG_HOME", config.join(".config"))
        .env("TOBIRA_GUIDES_DIR", GUIDES);
    command
}

fn run(config: &Path, args: &[&str]) -> Run {
    command(config, args).output().expect("tobira runs").into()
}

fn with_site(config: &Path) {
    let added = run(config, &["sites", "add", "example", "--own", "--json"]);
    assert_eq!(added.code, 0, "{}", added.stderr);
}

/// The host, started as Chromium starts it.
struct Host(Child);

impl Host {
    fn start(config: &Path, origin: &str) -> Host {
        let child = command(config, &[origin, "--parent-window=0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tobira starts");
        Host(child)
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.0.stdin.as_mut().unwrap();
        stdin
            .write_all(&(bytes.len() as u32).to_ne_bytes())
            .unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let stdout = self.0.stdout.as_mut().unwrap();
        let mut length = [0u8; 4];
        stdout.read_exact(&mut length).unwrap();
        let mut message = vec![0u8; u32::from_ne_bytes(length) as usize];
        stdout.read_exact(&mut message).unwrap();
        serde_json::from_slice(&message).unwrap()
    }

    fn ask(&mut self, message: Value) -> Value {
        self.send_bytes(message.to_string().as_bytes());
        self.receive()
    }

    /// Closes stdin, as the browser does, and returns the exit code.
    fn close(mut self) -> i32 {
        drop(self.0.stdin.take());
        self.0.wait().unwrap().code().unwrap_or(-1)
    }
}

fn dev_origin() -> String {
    let ids: Value =
        serde_json::from_str(include_str!("../../../../../browser/extension/ids.json")).unwrap();
    format!(
        "chrome-extension://{}/",
        ids["chromium_dev"].as_str().unwrap()
    )
}

fn steps_done(config: &Path, flow: &str) -> Vec<String> {
    let flows = run(config, &["flows", "--json"]);
    assert_eq!(flows.code, 0, "{}", flows.stderr);
    flows.json()["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == flow)
        .unwrap()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["done"] == true)
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `status` exits 1 when no browser can start tobira: the test's HOME has
/// no manifest, but this machine may have system-wide ones (the .deb).
fn nothing_installed_code(status: &Run) -> i32 {
    let system = status.json()["browsers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["level"] == "system" && b["installed"] == true && b["path_ok"] == true);
    if system {
        0
    } else {
        1
    }
}

#[test]
fn install_writes_a_manifest_the_browser_can_follow_and_uninstall_removes_it() {
    let config = tempfile::tempdir().unwrap();
    let none = run(config.path(), &["companion", "status", "--json"]);
    assert_eq!(
        none.code,
        nothing_installed_code(&none),
        "nothing installed yet"
    );
    assert!(none.json()["browsers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["level"] == "user")
        .all(|b| b["installed"] == false));
    assert_eq!(none.json()["policy"], "on");
    // Snap and Flatpak browsers this machine may have, each with how it
    // could reach Tobira.
    for sandboxed in none.json()["sandboxed"].as_array().expect("a list") {
        assert!(
            ["portal", "proxy", "unknown"].contains(&sandboxed["reach"].as_str().unwrap()),
            "{sandboxed}"
        );
    }
    assert_eq!(none.json()["last_connected"], Value::Null);

    let installed = run(
        config.path(),
        &["companion", "install", "--browser", "chromium", "--json"],
    );
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    let entry = &installed.json()["browsers"][0];
    assert_eq!(
        (entry["installed"].as_bool(), entry["path_ok"].as_bool()),
        (Some(true), Some(true))
    );
    let manifest_path = config
        .path()
        .join(".config/chromium/NativeMessagingHosts/dev.tobira.companion.json");
    assert_eq!(entry["manifest"], manifest_path.to_str().unwrap());
    let manifest: Value = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    assert_eq!(manifest["name"], "dev.tobira.companion");
    assert_eq!(manifest["allowed_origins"], json!([dev_origin()]));
    assert!(Path::new(manifest["path"].as_str().unwrap()).is_absolute());

    let firefox = run(
        config.path(),
        &["companion", "install", "--browser", "firefox", "--json"],
    );
    assert_eq!(firefox.code, 0, "{}", firefox.stderr);
    let text = run(config.path(), &["companion", "status"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("chromium  user    installed"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("has not connected yet"),
        "{}",
        text.stdout
    );
    let nothing = run(config.path(), &["companion", "status", "--browser", "edge"]);
    assert!(
        nothing.stdout.contains("run `tobira companion install`"),
        "{}",
        nothing.stdout
    );

    let removed = run(config.path(), &["companion", "uninstall", "--json"]);
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert!(!manifest_path.exists());
    assert_eq!(
        run(config.path(), &["companion", "status", "--json"]).code,
        nothing_installed_code(&none)
    );
    let unknown = run(
        config.path(),
        &["companion", "install", "--browser", "safari"],
    );
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("chromium"), "{}", unknown.stderr);
}

#[test]
fn one_browser_that_cannot_be_written_for_does_not_stop_the_others() {
    let config = tempfile::tempdir().unwrap();
    // Chrome's folder is a file: its manifest cannot go there.
    std::fs::create_dir_all(config.path().join(".config")).unwrap();
    std::fs::write(config.path().join(".config/google-chrome"), "").unwrap();
    let installed = run(
        config.path(),
        &["companion", "install", "--browser", "all", "--json"],
    );
    assert_eq!(installed.code, 2, "a failure is an error");
    let json = installed.json();
    let written: Vec<&str> = json["browsers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["installed"] == true)
        .map(|b| b["browser"].as_str().unwrap())
        .collect();
    assert_eq!(written, ["chromium", "edge", "firefox"], "{json}");
    assert_eq!(json["failed"][0]["browser"], "chrome", "{json}");
    assert_eq!(json["failed"][0]["error"]["code"], "companion-unwritable");

    let text = run(config.path(), &["companion", "install"]);
    assert_eq!(text.code, 2);
    assert!(
        text.stdout.contains("firefox   user    installed"),
        "{}",
        text.stdout
    );
    assert!(text.stderr.contains("google-chrome"), "{}", text.stderr);
    assert!(
        !text.stdout.contains("Next:"),
        "no next step while one failed"
    );

    std::fs::remove_file(config.path().join(".config/google-chrome")).unwrap();
    let text = run(config.path(), &["companion", "install"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("Next: add the Tobira extension"),
        "{}",
        text.stdout
    );
}

#[test]
fn the_host_completes_steps_with_no_window_open() {
    let config = tempfile::tempdir().unwrap();
    with_site(config.path());
    let mut host = Host::start(config.path(), &dev_origin());
    let hello = host.ask(json!({"type": "hello"}));
    assert_eq!(
        (hello["type"].as_str(), hello["app"].as_str()),
        (Some("hello"), Some("tobira"))
    );
    assert_eq!(hello["version"], env!("CARGO_PKG_VERSION"));
    let hello = host.ask(json!({"type": "hello", "id": 1, "protocol": 1, "extension": "0.1.0", "browser": "chromium"}));
    assert_eq!(hello["sites"], json!(["example.cybozu.com"]));

    let login = host.ask(json!({"type": "page-seen", "id": 2, "host": "example.cybozu.com", "path": "/login", "fragment": ""}));
    assert_eq!(login["kind"], "login");
    assert_eq!(steps_done(config.path(), "first-login"), ["address"]);
    let portal = host.ask(json!({"type": "page-seen", "id": 3, "host": "example.cybozu.com", "path": "/k/", "fragment": "#/portal"}));
    assert_eq!(portal["completed"].as_array().unwrap().len(), 2, "{portal}");
    assert_eq!(
        steps_done(config.path(), "first-login"),
        ["address", "sign-in", "choose-kintone"]
    );
    let text = run(config.path(), &["flows"]);
    assert!(text.stdout.contains("[x seen]  sign-in"), "{}", text.stdout);

    // A message over the limit ends the connection with a reason.
    let stdin = host.0.stdin.as_mut().unwrap();
    stdin
        .write_all(&(2u32 * 1024 * 1024).to_ne_bytes())
        .unwrap();
    stdin.flush().unwrap();
    assert_eq!(host.receive()["code"], "message-too-large");
    assert_eq!(host.close(), 1);

    let status = run(config.path(), &["companion", "status", "--json"]);
    assert_eq!(status.json()["browser"], "chromium");
    assert!(status.json()["last_connected"].is_string());
}

#[test]
fn the_host_ends_quietly_when_the_browser_closes_it_and_refuses_strangers() {
    let config = tempfile::tempdir().unwrap();
    let host = Host::start(config.path(), &dev_origin());
    assert_eq!(host.close(), 0);

    let mut stranger = Host::start(
        config.path(),
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop/",
    );
    let refusal = stranger.receive();
    assert_eq!(refusal["code"], "unknown-extension");
    assert_eq!(stranger.close(), 1);

    // Firefox's way: the manifest's path, then the extension's id.
    let firefox = command(
        config.path(),
        &[
            "/usr/lib/mozilla/native-messaging-hosts/dev.tobira.companion.json",
            "companion@tobira.dev",
        ],
    )
    .stdin(Stdio::null())
    .output()
    .unwrap();
    assert_eq!(firefox.status.code(), Some(0));
    assert!(firefox.stdout.is_empty(), "nothing but frames on stdout");
}

#[test]
fn with_the_policy_off_nothing_is_installed_or_completed() {
    let config = tempfile::tempdir().unwrap();
    with_site(config.path());
    std::fs::write(
        config.path().join("policy.toml"),
        "[locked]\ncompanion = false\n",
    )
    .unwrap();
    let install = run(config.path(), &["companion", "install", "--json"]);
    assert_eq!(install.code, 2);
    assert_eq!(install.json()["error"]["code"], "companion-disabled");
    let status = run(config.path(), &["companion", "status", "--json"]);
    assert_eq!(status.json()["policy"], "off");
    let mut host = Host::start(config.path(), &dev_origin());
    assert_eq!(
        host.ask(json!({"type": "hello", "id": 1}))["companion"],
        "off"
    );
    let seen = host
        .ask(json!({"type": "page-seen", "id": 2, "host": "example.cybozu.com", "path": "/k/"}));
    assert_eq!(seen["code"], "companion-disabled");
    assert_eq!(host.close(), 0);
    assert!(steps_done(config.path(), "first-login").is_empty());
}
