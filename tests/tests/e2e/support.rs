//! What every journey needs: a driver for the window with its own settings
//! folder and no real browser, a look (screenshot and accessibility audit)
//! at each step, and a folder whose user already set up a site.

use std::fs;
use std::path::{Path, PathBuf};

use tobira_tests::axe::assert_accessible;
use tobira_tests::webdriver::{Driver, Session};
use tobira_tests::{fake_default_browser, opened, workspace_root};

fn shot(name: &str) -> PathBuf {
    workspace_root().join("target/e2e").join(name)
}

/// Saves a screenshot of what the window shows now and audits it for
/// accessibility (no serious or critical axe finding).
pub fn look(app: &Session<'_>, name: &str) {
    app.screenshot(&shot(&format!("{name}.png")));
    assert_accessible(app, name);
}

/// A driver whose app keeps its settings in `config` and follows `lang`.
/// No test opens a real browser: the desktop's default browser, and
/// `$BROWSER`, is a script that writes each URL to `config/opened.txt`.
pub fn driver(config: &Path, lang: &str) -> Driver {
    driver_with(config, lang, &[])
}

/// [`driver`] with more variables for the app.
pub fn driver_with(config: &Path, lang: &str, extra: &[(&str, &str)]) -> Driver {
    let (browser, data) = fake_default_browser(config);
    let policy = config.join("policy.toml");
    let mut env = vec![
        (
            "TOBIRA_CONFIG_DIR",
            config.to_str().expect("UTF-8 temp path"),
        ),
        ("LANG", lang),
        ("BROWSER", browser.to_str().expect("UTF-8 temp path")),
        ("XDG_DATA_HOME", data.to_str().expect("UTF-8 temp path")),
        ("XDG_CURRENT_DESKTOP", ""),
        ("TOBIRA_POLICY", policy.to_str().expect("UTF-8 temp path")),
    ];
    env.extend_from_slice(extra);
    Driver::start(&env)
}

/// Waits until the fake browser was asked to open `url`.
pub fn wait_until_opened(config: &Path, url: &str) {
    tobira_tests::eventually(&format!("{url} is opened"), || {
        let opened = opened(config);
        opened
            .iter()
            .any(|line| line == url)
            .then_some(())
            .ok_or_else(|| format!("opened so far: {opened:?}"))
    });
}

/// A config folder whose user already set up `example.cybozu.com`.
pub fn configured(extra: &str) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        format!("site = \"example.cybozu.com\"\n{extra}"),
    )
    .unwrap();
    config
}
