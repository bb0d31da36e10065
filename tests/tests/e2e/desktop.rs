//! Tobira on the desktop: a second start (from a `tobira://` link or the
//! icon) hands over to the first, closing with and without a tray, the
//! windows' places, and starting at login.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use tobira_tests::webdriver::Driver;
use tobira_tests::window_bin;
use tobira_tests::x11::close_windows_titled;

use crate::support::{configured, driver, driver_with, look};

/// Starts Tobira again, as the OS does for a click on its icon or a link,
/// in the same profile and on the same screen; it must hand over and end.
fn start_again(config: &Path, driver: &Driver, args: &[&str]) {
    let started = Instant::now();
    let status = std::process::Command::new(window_bin())
        .args(args)
        .env("TOBIRA_CONFIG_DIR", config)
        .env("TOBIRA_POLICY", config.join("policy.toml"))
        .env("DISPLAY", driver.display())
        .status()
        .expect("the second Tobira starts");
    assert!(status.success(), "{args:?}: {status}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the second start handed over and ended"
    );
}

/// Waits until `done` holds.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    tobira_tests::eventually(what, || done().then_some(()).ok_or_else(String::new));
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_second_start_with_a_link_opens_the_flow_in_the_first() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&window_bin());
    // The guide list fills in after the first paint, when Tobira has also
    // claimed its single-instance name.
    app.find("[data-testid=flow-list] li");

    // What the OS runs when someone clicks the link in a welcome email.
    let second_start = |link: &str| start_again(config.path(), &driver, &[link]);
    second_start("tobira://flow/guest-space-join");
    app.wait_for_text("[data-testid=flow-title]", "Join a guest space");
    assert_eq!(app.window_handles().len(), 1, "still one Tobira window");
    look(&app, "50-link-opened-flow");

    // A hostile link changes nothing and says why.
    second_start("tobira://flow/..%2F..%2Fetc%2Fpasswd");
    let problem = app.find("[data-testid=link-problem]");
    assert!(
        problem.text().contains("could not follow"),
        "{}",
        problem.text()
    );
    app.wait_for_text("[data-testid=flow-title]", "Join a guest space");

    // A site link asks first; keeping the site changes nothing.
    second_start("tobira://site/other");
    let offer = app.find("[data-testid=link-site-offer]");
    assert!(
        offer.text().contains("other.cybozu.com"),
        "{}",
        offer.text()
    );
    look(&app, "51-link-site-offer");
    app.find("[data-testid=link-site-keep]").click();
    let saved = fs::read_to_string(config.path().join("settings.toml")).unwrap();
    assert!(
        saved.contains("example.cybozu.com") && !saved.contains("other"),
        "{saved}"
    );
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn without_a_tray_closing_quits_and_the_windows_come_back_where_they_were() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&window_bin());
    app.find("[data-testid=flow-guest-space-join]").click();
    app.find("[data-testid=overlay-toggle]").click();
    let main = app.window_handle();
    let handles = app.wait_for_windows(2);
    let panel = handles.iter().find(|h| **h != main).expect("the panel");
    app.switch_to(panel);
    app.find("[data-testid=overlay-step-title]");
    app.set_rect(880, 60, 340, 500);
    app.switch_to(&main);
    app.set_rect(40, 30, 600, 720);
    assert_eq!(app.rect(), (40, 30, 600, 720));
    // The main window's close button; there is no tray here, so Tobira quits.
    assert_eq!(close_windows_titled(&driver.display(), "Tobira"), 1);
    let state = config.path().join("window-state.json");
    wait_until("the windows' places are saved", || state.exists());
    app.forget();

    let again = driver.session(&window_bin());
    again.find("[data-testid=flow-list] li");
    assert_eq!(
        again.rect(),
        (40, 30, 600, 720),
        "size and place remembered"
    );
    let main = again.window_handle();
    let handles = again.wait_for_windows(2);
    let panel = handles
        .iter()
        .find(|h| **h != main)
        .expect("the panel reopens");
    again.switch_to(panel);
    again.find("[data-testid=overlay-step-title]");
    assert_eq!(
        again.rect(),
        (880, 60, 340, 500),
        "the panel's place remembered"
    );
    again.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn with_a_tray_closing_keeps_tobira_running_and_a_new_start_shows_it() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    // A desktop tray (XEmbed) on the test's screen.
    let mut tray = std::process::Command::new("trayer")
        .args([
            "--edge",
            "top",
            "--align",
            "right",
            "--widthtype",
            "pixel",
            "--width",
            "40",
        ])
        .env("DISPLAY", driver.display())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("trayer starts (apt package trayer)");
    let app = driver.session(&window_bin());
    app.find("[data-testid=flow-list] li");
    let visibility = || app.execute("return document.visibilityState;");
    assert_eq!(visibility(), "visible");

    assert_eq!(close_windows_titled(&driver.display(), "Tobira"), 1);
    wait_until("the window is hidden", || visibility() == "hidden");
    // Still running: the page still answers.
    app.find("[data-testid=flow-list] li");

    start_again(config.path(), &driver, &[]);
    wait_until("the window is shown again", || visibility() == "visible");
    app.close();
    let _ = tray.kill();
    let _ = tray.wait();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn starting_at_login_follows_the_setting_and_the_policy() {
    let config = configured("");
    let home = tempfile::tempdir().unwrap();
    let autostart = home.path().join(".config/autostart");
    let entry = || {
        fs::read_dir(&autostart)
            .ok()
            .and_then(|mut files| files.next())
            .and_then(|file| fs::read_to_string(file.ok()?.path()).ok())
    };
    let driver = driver_with(
        config.path(),
        "en_US.UTF-8",
        &[("HOME", home.path().to_str().unwrap())],
    );
    let app = driver.session(&window_bin());
    app.find("[data-testid=flow-list] li");
    assert_eq!(entry(), None, "off unless asked for");
    app.find("[data-testid=open-settings]").click();
    app.find("[data-testid=autostart-select]");
    let choose = |value: &str| {
        app.execute(&format!(
            "const s = document.querySelector('[data-testid=autostart-select]');
             s.value = '{value}'; s.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        ));
    };
    choose("on");
    wait_until("the login item is written", || entry().is_some());
    let written = entry().unwrap();
    assert!(
        written.contains(&format!("Exec={}", window_bin().display())),
        "{written}"
    );
    choose("off");
    wait_until("the login item is removed", || entry().is_none());
    app.close();

    // The organisation turns it on and locks it: applied at the next start.
    fs::write(
        config.path().join("policy.toml"),
        "[locked]\nautostart = true\n",
    )
    .unwrap();
    let app = driver.session(&window_bin());
    app.find("[data-testid=flow-list] li");
    wait_until("the policy's login item is written", || entry().is_some());
    app.find("[data-testid=open-settings]").click();
    app.find("[data-testid=autostart-locked]");
    app.close();
}
