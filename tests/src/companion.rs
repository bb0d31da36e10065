//! Real Chromium with the companion extension, for the end-to-end tests and
//! the latency benchmark: a user whose HOME and settings are a folder of the
//! test's own, the host manifest `tobira companion install` writes there,
//! and a browser session that resolves the site's hosts to the fake HTTPS
//! site.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use tobira_fake_kintone::companion::CompanionSite;

use crate::webdriver::{Driver, Session};
use crate::{tobira_bin, workspace_root};

/// The id the extension's manifest key gives.
pub const EXTENSION_ID: &str = "oahocbennicjjojijiacaffmefdajcae";

/// The variables of the user whose HOME is `home`, for `tobira` and for
/// chromedriver (and so Chromium and the host it starts). Chromium gets no
/// session bus: headless it needs none, and on the tests' shared bus it
/// would start the desktop portal and the keyring daemon, which then stall
/// the window's keyring calls in the journeys that follow.
pub fn environment(home: &Path) -> Vec<(String, String)> {
    let home = home.to_str().expect("UTF-8 temp path").to_owned();
    let guides = workspace_root().join("guides");
    vec![
        ("HOME".into(), home.clone()),
        ("XDG_CONFIG_HOME".into(), format!("{home}/.config")),
        ("TOBIRA_CONFIG_DIR".into(), home.clone()),
        ("TOBIRA_POLICY".into(), format!("{home}/policy.toml")),
        (
            "TOBIRA_GUIDES_DIR".into(),
            guides.to_string_lossy().into_owned(),
        ),
        ("LANG".into(), "en_US.UTF-8".into()),
        ("DBUS_SESSION_BUS_ADDRESS".into(), "disabled:".into()),
    ]
}

/// `tobira ARGS` as the user whose HOME is `home`.
pub fn tobira(home: &Path, args: &[&str]) -> (i32, Value) {
    let output = Command::new(tobira_bin())
        .args(args)
        .envs(environment(home))
        .output()
        .expect("tobira runs");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), json)
}

pub fn done_steps(home: &Path, flow: &str) -> Vec<String> {
    let (_, flows) = tobira(home, &["flows", "--json"]);
    flows["flows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["id"] == flow)
        .flat_map(|f| f["steps"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["done"] == true)
        .map(|s| s["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Waits until `flow` has `wanted` done (the host writes them a moment
/// after the page loads).
pub fn wait_for_steps(home: &Path, flow: &str, wanted: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let done = done_steps(home, flow);
        if wanted.iter().all(|w| done.iter().any(|d| d == w)) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{flow}: wanted {wanted:?} done, have {done:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Chromium with the extension in `extension`, resolving the site's hosts
/// to the fake site, its profile where `companion install` put the host.
pub fn browser<'d>(
    driver: &'d Driver,
    home: &Path,
    site: &CompanionSite,
    extension: &Path,
) -> Session<'d> {
    let extension = extension.to_str().expect("UTF-8 path");
    let args = [
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--headless=new".to_owned(),
        "--no-first-run".to_owned(),
        "--no-default-browser-check".to_owned(),
        "--window-size=480,720".to_owned(),
        "--ignore-certificate-errors".to_owned(),
        site.resolver_rules(&["example.cybozu.com", "example-cybozu.com"]),
        // chromedriver would make a profile of its own, where Chromium
        // would not find the host manifest.
        format!("--user-data-dir={}/.config/chromium", home.display()),
        format!("--load-extension={extension}"),
        format!("--disable-extensions-except={extension}"),
    ];
    let session = driver.browser_session(&args);
    // A page that loads while the extension starts may be missed.
    session.navigate("about:blank");
    std::thread::sleep(Duration::from_millis(500));
    session
}

pub fn chromium_driver(home: &Path) -> Driver {
    let env = environment(home);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Driver::chromium(&env)
}

pub fn install_host(home: &Path) {
    let (code, installed) = tobira(
        home,
        &["companion", "install", "--browser", "chromium", "--json"],
    );
    assert_eq!(code, 0, "{installed}");
    assert_eq!(installed["browsers"][0]["installed"], true);
}
