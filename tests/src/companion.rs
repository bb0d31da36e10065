//! Real Chromium with the companion extension, for the end-to-end tests and
//! the latency benchmark: a user whose HOME and settings are a folder of the
//! test's own, the host manifest `tobira companion install` writes there,
//! and a browser session that resolves the site's hosts to the fake HTTPS
//! site.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tobira_fake_kintone::companion::CompanionSite;

use crate::webdriver::{Driver, Session};
use crate::{eventually, tobira_bin, workspace_root};

/// The id the extension's manifest key gives.
pub const EXTENSION_ID: &str = "oahocbennicjjojijiacaffmefdajcae";

/// The variables of the user whose HOME is `home`, for `tobira` and for
/// chromedriver (and so Chromium and the host it starts). Chromium gets no
/// session bus: headless it needs none, and on the tests' shared bus it
/// would start the desktop portal and the keyring daemon, which then stall
/// the window's keyring calls in the journeys that follow.
pub fn environment(home: &Path) -> Vec<(String, String)> {
    environment_in(home, "en_US.UTF-8")
}

/// [`environment`] with the locale `lang` (`ja_JP.UTF-8`): Tobira's
/// language. Chromium stays English (headless, it takes its language from
/// `--lang` only).
fn environment_in(home: &Path, lang: &str) -> Vec<(String, String)> {
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
        ("LANG".into(), lang.into()),
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
    eventually(&format!("{flow} has {wanted:?} done"), || {
        let done = done_steps(home, flow);
        if wanted.iter().all(|w| done.iter().any(|d| d == w)) {
            Ok(())
        } else {
            Err(format!("done: {done:?}"))
        }
    });
}

/// The extension as shipped.
pub fn shipped_extension() -> PathBuf {
    workspace_root().join("browser/extension")
}

/// What a companion test needs beside the user's HOME: the host manifest
/// installed there, the fake HTTPS site, and chromedriver.
pub struct Companion {
    home: PathBuf,
    pub site: CompanionSite,
    driver: Driver,
}

impl Companion {
    pub fn start(home: &Path) -> Companion {
        Companion::start_in(home, "en_US.UTF-8")
    }

    /// With Tobira in the locale `lang`.
    pub fn start_in(home: &Path, lang: &str) -> Companion {
        install_host(home);
        let env = environment_in(home, lang);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Companion {
            home: home.to_owned(),
            site: CompanionSite::start(),
            driver: Driver::chromium(&env),
        }
    }

    /// Chromium with the extension in `extension`, resolving the site's
    /// hosts to the fake site, its profile where `companion install` put
    /// the host.
    pub fn browser(&self, extension: &Path) -> Session<'_> {
        let extension = extension.to_str().expect("UTF-8 path");
        let args = [
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--headless=new".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--window-size=480,720".to_owned(),
            "--ignore-certificate-errors".to_owned(),
            self.site
                .resolver_rules(&["example.cybozu.com", "example-cybozu.com"]),
            // chromedriver would make a profile of its own, where Chromium
            // would not find the host manifest.
            format!("--user-data-dir={}/.config/chromium", self.home.display()),
            format!("--load-extension={extension}"),
            format!("--disable-extensions-except={extension}"),
        ];
        let session = self.driver.browser_session(&args);
        // A page that loads while the extension starts may be missed.
        session.navigate("about:blank");
        std::thread::sleep(Duration::from_millis(500));
        session
    }
}

fn install_host(home: &Path) {
    let (code, installed) = tobira(
        home,
        &["companion", "install", "--browser", "chromium", "--json"],
    );
    assert_eq!(code, 0, "{installed}");
    assert_eq!(installed["browsers"][0]["installed"], true);
}
