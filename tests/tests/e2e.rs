//! End-to-end journeys through the real app window (WebKitGTK under Xvfb).
//! Each step saves a screenshot under `target/e2e/`.
//!
//! Run: `cargo test -p tobira-tests --test e2e -- --ignored` (needs the
//! built app, `WebKitWebDriver` and `Xvfb`; `setup.sh test` does it all).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tobira_tests::axe::assert_accessible;
use tobira_tests::webdriver::{Driver, Session, ENTER, TAB};
use tobira_tests::x11::close_windows_titled;
use tobira_tests::{fake_browser, opened, tobira_bin, workspace_root};

fn shot(name: &str) -> PathBuf {
    workspace_root().join("target/e2e").join(name)
}

/// Saves a screenshot of what the window shows now and audits it for
/// accessibility (no serious or critical axe finding).
fn look(app: &Session<'_>, name: &str) {
    app.screenshot(&shot(&format!("{name}.png")));
    assert_accessible(app, name);
}

/// A driver whose app keeps its settings in `config` and follows `lang`.
/// No test opens a real browser: `xdg-open` finds no desktop here and runs
/// `$BROWSER`, a script that writes each URL to `config/opened.txt`.
fn driver(config: &Path, lang: &str) -> Driver {
    driver_with(config, lang, &[])
}

/// [`driver`] with more variables for the app.
fn driver_with(config: &Path, lang: &str, extra: &[(&str, &str)]) -> Driver {
    let browser = fake_browser(config);
    let policy = config.join("policy.toml");
    let mut env = vec![
        (
            "TOBIRA_CONFIG_DIR",
            config.to_str().expect("UTF-8 temp path"),
        ),
        ("LANG", lang),
        ("BROWSER", browser.to_str().expect("UTF-8 temp path")),
        ("XDG_CURRENT_DESKTOP", ""),
        ("TOBIRA_POLICY", policy.to_str().expect("UTF-8 temp path")),
    ];
    env.extend_from_slice(extra);
    Driver::start(&env)
}

/// Starts Tobira again, as the OS does for a click on its icon or a link,
/// in the same profile and on the same screen; it must hand over and end.
fn start_again(config: &Path, driver: &Driver, args: &[&str]) {
    let started = Instant::now();
    let status = std::process::Command::new(tobira_bin())
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

/// Waits until the fake browser was asked to open `url`.
fn wait_until_opened(config: &Path, url: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let opened = opened(config);
        if opened.iter().any(|line| line == url) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{url} was not opened; opened so far: {opened:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Types `typed` into the empty address field and checks the rejection.
fn type_rejected(app: &Session<'_>, typed: &str, code: &str, says: &str) {
    let input = app.find("[data-testid=site-input]");
    input.clear();
    input.type_text(typed);
    let error = app.find("[data-testid=site-error]");
    assert_eq!(
        error.attribute("data-code").as_deref(),
        Some(code),
        "{typed}"
    );
    assert!(error.text().contains(says), "{typed}: {}", error.text());
    assert_eq!(
        app.find("[data-testid=save-site]")
            .attribute("disabled")
            .as_deref(),
        Some("true"),
        "a rejected address cannot be saved"
    );
}

/// Types `typed` into the empty address field and waits for its preview.
fn type_accepted(app: &Session<'_>, typed: &str, host: &str) {
    let input = app.find("[data-testid=site-input]");
    input.clear();
    input.type_text(typed);
    app.wait_for_text("[data-testid=site-preview] [data-testid=site-host]", host);
}

/// Saves and waits for Home to show `host`.
fn save_and_see_home(app: &Session<'_>, host: &str) {
    app.find("[data-testid=save-site]").click();
    app.wait_for_text("[data-testid=home-screen] [data-testid=site-host]", host);
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn first_run_setup_then_home_survives_a_restart() {
    let config = tempfile::tempdir().unwrap();
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());

    app.find("[data-testid=setup-screen]");
    look(&app, "01-setup");

    type_rejected(
        &app,
        "https://example.cybozu.com@evil.test/",
        "userinfo-not-allowed",
        "Type your kintone address yourself",
    );
    look(&app, "02-setup-rejected");

    type_accepted(&app, "ｅｘａｍｐｌｅ", "example.cybozu.com");
    look(&app, "03-setup-accepted");

    save_and_see_home(&app, "example.cybozu.com");
    assert_eq!(app.find("[data-testid=site-region]").text(), "Japan");
    look(&app, "04-home");
    let saved = fs::read_to_string(config.path().join("settings.toml")).unwrap();
    assert!(saved.contains("site = \"example.cybozu.com\""), "{saved}");

    app.find("[data-testid=open-portal]").click();
    wait_until_opened(config.path(), "https://example.cybozu.com/k/");
    app.wait_for_text("[data-testid=open-result]", "Opened in your browser.");
    app.find("[data-testid=open-login]").click();
    wait_until_opened(config.path(), "https://example.cybozu.com/");
    look(&app, "04b-home-opened");
    app.close();

    let again = driver.session(&tobira_bin());
    again.wait_for_text(
        "[data-testid=home-screen] [data-testid=site-host]",
        "example.cybozu.com",
    );
    look(&again, "05-home-after-restart");
    again.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn setup_speaks_japanese_when_the_os_does() {
    let config = tempfile::tempdir().unwrap();
    let driver = driver(config.path(), "ja_JP.UTF-8");
    let app = driver.session(&tobira_bin());

    app.wait_for_text(
        "[data-testid=setup-screen] h1",
        "kintone のアドレスを教えてください",
    );
    type_rejected(
        &app,
        "example.cybozu.co",
        "lookalike-domain",
        "パスワードを入力しないでください",
    );
    look(&app, "06-setup-ja-lookalike");

    type_accepted(&app, "example.s.cybozu.cn", "example.s.cybozu.cn");
    assert_eq!(app.find("[data-testid=site-region]").text(), "中国");
    save_and_see_home(&app, "example.s.cybozu.cn");
    look(&app, "07-home-ja-secure-access");
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_damaged_settings_file_is_reported_in_the_window() {
    let config = tempfile::tempdir().unwrap();
    fs::write(config.path().join("settings.toml"), "site = [\n").unwrap();
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());

    let notice = app.find("[data-testid=startup-notice]");
    assert!(
        notice.text().contains("settings.corrupt-"),
        "{}",
        notice.text()
    );
    app.find("[data-testid=setup-screen]");
    look(&app, "08-damaged-settings");
    app.close();
}

/// IT pushed a policy that locks the site and adds two bookmarks: the user
/// never sees Setup, finds the organisation's bookmarks on Home, adds and
/// deletes one of their own (with undo), and cannot change the site.
#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_policy_locks_the_site_and_adds_org_bookmarks() {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("policy.toml"),
        r#"[recommended]
language = "en"

[locked]
site = "corp.cybozu.com"

[locked.helpdesk]
name = "Corp IT helpdesk"
email = "help@corp.example"
phone = "03-1234-5678"

[[locked.bookmarks]]
name = "Expense reports"
url = "/k/45/"

[[locked.bookmarks]]
name = "Team space"
url = "/k/#/space/3"
"#,
    )
    .unwrap();
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());

    app.wait_for_text(
        "[data-testid=home-screen] [data-testid=site-host]",
        "corp.cybozu.com",
    );
    app.wait_for_text(
        "[data-testid=bookmark][data-id=org-0] .name",
        "Expense reports",
    );
    app.wait_for_text("[data-testid=bookmark][data-id=org-1] .name", "Team space");
    app.find("[data-testid=site-managed]");
    assert!(
        app.find("[data-testid=bookmark][data-id=org-0]")
            .text()
            .contains("Organisation"),
        "org bookmarks are marked"
    );

    let input = app.find("[data-testid=bookmark-input]");
    input.click();
    input.type_text("https://corp.cybozu.com/k/12/");
    app.find("[data-testid=add-bookmark]").click();
    app.wait_for_text("[data-testid=bookmark][data-id=user-0] .name", "App 12");
    app.resize(520, 1010);
    look(&app, "09-home-bookmarks");

    app.find("[data-testid=bookmark][data-id=org-0] [data-testid=open-bookmark]")
        .click();
    wait_until_opened(config.path(), "https://corp.cybozu.com/k/45/");

    app.find("[data-testid=delete-bookmark]").click();
    app.find("[data-testid=undo-bar]");
    app.find("[data-testid=undo]").click();
    app.wait_for_text("[data-testid=bookmark][data-id=user-0] .name", "App 12");
    let saved = fs::read_to_string(config.path().join("settings.toml")).unwrap();
    assert!(saved.contains("path = \"/k/12/\""), "{saved}");

    app.find("[data-testid=open-settings]").click();
    app.wait_for_text("[data-testid=settings-site]", "corp.cybozu.com");
    assert!(app
        .find("[data-testid=site-locked]")
        .text()
        .contains("Managed by your organisation"));
    assert!(
        !app.exists("[data-testid=settings-change-site]"),
        "the locked site has no change button"
    );
    assert!(app
        .find("[data-testid=helpdesk]")
        .text()
        .contains("Corp IT helpdesk"));
    look(&app, "10-settings-locked");

    // Choosing another language than the organisation recommends switches
    // every string and offers to go back to the recommendation.
    app.find("[data-testid=language-select] option[value=ja]")
        .click();
    app.wait_for_text("[data-testid=settings-screen] h1", "設定");
    assert!(app
        .find("[data-testid=language-recommended]")
        .text()
        .contains("組織のおすすめは「English」です。"));
    look(&app, "11-settings-recommended-ja");
    app.find("[data-testid=language-recommended] button")
        .click();
    app.wait_for_text("[data-testid=settings-screen] h1", "Settings");
    app.close();
}

/// A config folder whose user already set up `example.cybozu.com`.
fn configured(extra: &str) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        format!("site = \"example.cybozu.com\"\n{extra}"),
    )
    .unwrap();
    config
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn guest_space_join_progress_and_side_panel_survive_a_restart() {
    let config = configured("role = \"guest\"\n");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());

    // A guest sees guest-space join first.
    let first = app.find("[data-testid=flow-list] li:first-child button");
    assert_eq!(
        first.attribute("data-testid").as_deref(),
        Some("flow-guest-space-join")
    );
    assert!(first.text().contains("For you"), "{}", first.text());
    first.click();

    app.wait_for_text("[data-testid=flow-title]", "Join a guest space");
    app.find("[data-testid=step-body-invitation]");
    app.resize(520, 900);
    look(&app, "20-flow-guest-space-join");
    app.find("[data-testid=step-done]").click();
    app.find("[data-testid=step-body-open-link]");
    app.find("[data-testid=step-done]").click();
    app.find("[data-testid=step-body-existing-account]");
    app.wait_for_text("[data-testid=flow-progress]", "2 of 5 steps done");
    look(&app, "21-flow-two-done");

    // The side panel shows the current step only.
    let main = app.window_handle();
    app.find("[data-testid=overlay-toggle]").click();
    let handles = app.wait_for_windows(2);
    let panel = handles
        .iter()
        .find(|h| **h != main)
        .expect("the panel's window");
    app.switch_to(panel);
    app.wait_for_text(
        "[data-testid=overlay-step-title]",
        "If your company uses kintone: join with that account",
    );
    assert!(app
        .find("[data-testid=overlay-count]")
        .text()
        .contains("Step 3 of 6"));
    look(&app, "22-side-panel");
    app.switch_to(&main);
    app.wait_for_text("[data-testid=overlay-toggle]", "Close the side panel");

    let progress = fs::read_to_string(config.path().join("progress.toml")).unwrap();
    assert!(
        progress.contains("\"invitation\"") && progress.contains("\"open-link\""),
        "{progress}"
    );
    assert!(progress.contains("open = true"), "{progress}");
    app.close();

    // Restart: the progress is kept and the panel comes back by itself.
    let app = driver.session(&tobira_bin());
    app.wait_for_text(
        "[data-testid=flow-progress-guest-space-join]",
        "2 of 5 steps done",
    );
    app.wait_for_windows(2);
    app.find("[data-testid=flow-guest-space-join]").click();
    app.find("[data-testid=step-body-existing-account]");

    // Either way in: registering settles the choice, and the flow goes on.
    app.wait_for_text("[data-testid=choice-join]", "Choose one of these ways:");
    app.find("[data-testid=step-register] .step-head").click();
    app.find("[data-testid=step-body-register]");
    app.find("[data-testid=step-done]").click();
    app.find("[data-testid=step-body-verification-code]");
    app.wait_for_text("[data-testid=flow-progress]", "3 of 5 steps done");
    // The way not taken is marked as not needed (said to screen readers).
    app.find("[data-testid=step-existing-account].passed-over");
    look(&app, "24-flow-choice");

    // Finished: the panel says so and offers the next guide.
    for step in ["verification-code", "bookmark-space"] {
        app.find(&format!("[data-testid=step-body-{step}]"));
        app.find("[data-testid=step-done]").click();
    }
    app.wait_for_text("[data-testid=flow-progress]", "5 of 5 steps done");
    let main = app.window_handle();
    let panel = app
        .wait_for_windows(2)
        .into_iter()
        .find(|h| *h != main)
        .unwrap();
    app.switch_to(&panel);
    app.find("[data-testid=overlay-finished]");
    app.find("[data-testid=overlay-next-guide]");
    look(&app, "25-side-panel-finished");
    app.switch_to(&main);
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_guest_with_no_site_of_their_own_joins_a_partners_guest_space() {
    let config = tempfile::tempdir().unwrap();
    fs::write(config.path().join("settings.toml"), "role = \"guest\"\n").unwrap();
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());
    let space = "https://partner.cybozu.com/k/guest/7/#/space/7";

    // The invitation's link is all a guest has: pasted where the site goes,
    // Tobira sees a guest space and offers to keep it as a guest's site.
    app.find("[data-testid=site-input]").type_text(space);
    app.find("[data-testid=setup-guest-link]");
    look(&app, "26a-setup-guest-link");
    app.find("[data-testid=setup-save-as-guest]").click();
    app.find("[data-testid=guest-site-partner\\.cybozu\\.com]");
    app.find("[data-testid=no-own-site]");
    look(&app, "26-home-guest-only");

    // The walkthrough's pages are on the partner's site; one way in is enough.
    app.find("[data-testid=flow-guest-space-join]").click();
    for step in ["invitation", "open-link"] {
        app.find(&format!("[data-testid=step-body-{step}]"));
        app.find("[data-testid=step-done]").click();
    }
    // The first way in is offered; the guest takes the other.
    app.find("[data-testid=step-body-existing-account]");
    app.wait_for_text("[data-testid=flow-progress]", "2 of 5 steps done");
    app.find("[data-testid=step-register] .step-head").click();
    app.find("[data-testid=step-body-register]");
    app.find("[data-testid=step-done]").click();
    app.find("[data-testid=step-body-verification-code]");
    app.find("[data-testid=step-done]").click();
    app.find("[data-testid=step-body-bookmark-space]");
    app.find("[data-testid=step-open]").click();
    wait_until_opened(config.path(), "https://partner.cybozu.com/k/");
    app.find("[data-testid=step-done]").click();
    app.find("[data-testid=flow-complete]");

    // The guest space, bookmarked with the partner's site, opens.
    app.find("[data-testid=flow-back]").click();
    app.find("[data-testid=bookmark-input]").type_text(space);
    app.find("[data-testid=add-bookmark]").click();
    let bookmark = "[data-testid=bookmark][data-id=guest-0-user-0] [data-testid=open-bookmark]";
    app.find(bookmark).click();
    wait_until_opened(config.path(), space);
    let saved = fs::read_to_string(config.path().join("settings.toml")).unwrap();
    assert!(
        saved.contains("[[guest_sites]]") && saved.contains("partner.cybozu.com"),
        "{saved}"
    );
    assert!(
        !saved.contains("\nsite = "),
        "no own site was made up: {saved}"
    );
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_member_who_is_also_a_guest_sees_both_sites() {
    for (lang, shot) in [
        ("en_US.UTF-8", "27-home-two-sites"),
        ("ja_JP.UTF-8", "28-home-two-sites-ja"),
    ] {
        let config = configured("[[guest_sites]]\nhost = \"partner.kintone.com\"\n");
        let driver = driver(config.path(), lang);
        let app = driver.session(&tobira_bin());
        app.find("[data-testid=site-host]");
        app.find("[data-testid=guest-site-partner\\.kintone\\.com]");
        app.resize(520, 1100);
        look(&app, shot);
        app.find("[data-testid=open-guest-portal-partner\\.kintone\\.com]")
            .click();
        wait_until_opened(config.path(), "https://partner.kintone.com/k/");
        app.close();
    }
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_hostile_guide_renders_inert() {
    let config = configured("");
    let hostile = r#"+++
id = "first-login"
kind = "flow"
title = "<img src=x onerror=\"window.__pwned = 1\">Hostile"
+++
<script>window.__pwned = 2</script>

## Step <img src=x onerror="window.__pwned = 3"> {#one}
<img src=x onerror="window.__pwned = 4">

[click me](javascript:window.__pwned=5) [raw](https://evil.example/) <a href="javascript:window.__pwned=6">anchor</a>

<iframe src="https://evil.example/"></iframe>

```step
open = "javascript:window.__pwned=7"
```
"#;
    let dir = config.path().join("guides/en/flows");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("first-login.md"), hostile).unwrap();
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());
    app.find("[data-testid=flow-first-login]").click();
    app.find("[data-testid=step-body-one]");
    for link in ["click me", "anchor"] {
        // Whatever survives as text is clicked too: nothing may run.
        let _ = app.execute(&format!(
            "for (const e of document.querySelectorAll('[data-testid=flow-screen] *')) if (e.textContent === '{link}') e.click();"
        ));
    }
    let found = app.execute(
        "const screen = document.querySelector('[data-testid=flow-screen]');
         return {
           pwned: window.__pwned ?? null,
           active: screen.querySelectorAll('script, img, iframe, [onerror], [onclick], [data-testid=guide-text] [style]').length,
           links: [...screen.querySelectorAll('a')].map(a => a.getAttribute('href')),
           open: screen.querySelectorAll('[data-testid=step-open]').length,
           text: screen.textContent,
         };",
    );
    look(&app, "23-hostile-guide");
    assert_eq!(found["pwned"], serde_json::Value::Null, "{found}");
    assert_eq!(found["active"], 0, "{found}");
    assert_eq!(found["links"], serde_json::json!([]), "{found}");
    assert_eq!(
        found["open"], 0,
        "a javascript: page is never offered: {found}"
    );
    let text = found["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("<script>window.__pwned = 2</script>"),
        "raw HTML is shown as text: {text}"
    );
    assert!(opened(config.path()).is_empty());

    // The window itself never becomes a web page, and opens no other.
    let before = app.execute("return location.href;");
    let attempts = app.execute(
        "const popup = window.open('https://jp.cybozu.help/k/ja/');
         const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
         const link = document.createElement('a');
         link.href = 'https://jp.cybozu.help/k/ja/';
         document.querySelector('[data-testid=guide-text]').appendChild(link);
         const menuShown = link.dispatchEvent(menu);
         setTimeout(() => { location.href = 'https://jp.cybozu.help/k/ja/'; }, 0);
         return { popup: popup === null ? null : 'opened', menuShown };",
    );
    assert_eq!(attempts["popup"], serde_json::Value::Null, "{attempts}");
    assert_eq!(
        attempts["menuShown"], false,
        "no context menu on a guide link"
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(app.execute("return location.href;"), before);
    assert_eq!(app.window_handles().len(), 1);
    app.find("[data-testid=flow-screen]");
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn run_checks_shows_each_check_and_the_cause() {
    use tobira_tests::fake_kintone::{FakeKintone, Scenario};

    let config = configured("");
    let site = FakeKintone::start(Scenario::SecureAccess);
    let browser = fake_browser(config.path());
    let base_url = site.base_url();
    let driver = Driver::start(&[
        ("TOBIRA_CONFIG_DIR", config.path().to_str().unwrap()),
        (
            "TOBIRA_POLICY",
            config.path().join("policy.toml").to_str().unwrap(),
        ),
        ("LANG", "en_US.UTF-8"),
        ("BROWSER", browser.to_str().unwrap()),
        ("TOBIRA_DOCTOR_BASE_URL", base_url.as_str()),
    ]);
    let app = driver.session(&tobira_bin());
    // "Check my site" on Home.
    app.find("[data-testid=open-doctor]").click();
    app.find("[data-testid=run-checks]").click();
    let root = app.find("[data-testid=check-http-root]");
    assert_eq!(root.attribute("data-status").as_deref(), Some("warn"));
    assert!(
        root.text().contains("example.s.cybozu.com"),
        "{}",
        root.text()
    );
    assert_eq!(
        app.find("[data-testid=check-dns]")
            .attribute("data-status")
            .as_deref(),
        Some("pass")
    );
    app.find("[data-testid=finding-client-cert-required]");
    app.resize(520, 900);
    look(&app, "30-checks");
    app.find("[data-testid=finding-client-cert-required]")
        .click();
    app.find("[data-testid=cause-screen][data-cause=client-cert-required]");
    app.wait_for_text(
        "[data-testid=cause-title]",
        "A client certificate is required",
    );
    look(&app, "31-cause");

    // The assistant shows what the checks found.
    app.find("[data-testid=cause-back]").click();
    app.find("[data-testid=checks-back]").click();
    app.find("[data-testid=open-checks]").click();
    app.find("[data-testid=assistant-checks] [data-testid=result-client-cert-required]");
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn the_assistant_asks_and_explains_in_japanese() {
    let config = configured("");
    let driver = driver(config.path(), "ja_JP.UTF-8");
    let app = driver.session(&tobira_bin());
    app.find("[data-testid=open-checks]").click();
    app.find("[data-testid=assistant-query]")
        .type_text("証明書のことでログインできません");
    app.wait_for_text_containing("#assistant-ask-text", "証明書");
    app.resize(520, 900);
    look(&app, "44-assistant-asks-ja");
    app.find("[data-testid='ask-certificate.expiring']").click();
    app.wait_for_text(
        "[data-testid=assistant-results] details:first-of-type summary .title",
        "クライアント証明書の有効期限が近い",
    );
    app.wait_for_text_containing("[data-testid=why-client-cert-expiring]", "あなたの答え");
    look(&app, "45-assistant-why-ja");
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn the_checks_speak_japanese_when_tobira_does() {
    use tobira_tests::fake_kintone::{FakeKintone, Scenario};

    let config = configured("");
    let site = FakeKintone::start(Scenario::SecureAccess);
    let base_url = site.base_url();
    let driver = driver_with(
        config.path(),
        "ja_JP.UTF-8",
        &[("TOBIRA_DOCTOR_BASE_URL", base_url.as_str())],
    );
    let app = driver.session(&tobira_bin());
    app.find("[data-testid=open-doctor]").click();
    app.find("[data-testid=run-checks]").click();
    app.find("[data-testid=finding-client-cert-required]");
    let list = app.find("[data-testid=check-list]").text();
    for said in [
        "IP アドレスなので",
        "で接続を受け付けています",
        "セキュアアクセスのアドレス",
    ] {
        assert!(list.contains(said), "{said}: {list}");
    }
    // Only values (addresses, hosts, paths) are left in Latin letters.
    for english in ["the site", "skipped", "answered", "certificate"] {
        assert!(!list.contains(english), "{english}: {list}");
    }
    app.resize(520, 900);
    look(&app, "32-checks-ja");
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn the_assistant_finds_causes_from_text_and_from_questions() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());
    app.find("[data-testid=open-checks]").click();
    app.find("[data-testid=assistant-screen]");

    // A pasted error text.
    app.find("[data-testid=assistant-query]")
        .type_text("不正なリクエストです。");
    let maintenance = app.find("[data-testid=result-maintenance]");
    assert_eq!(maintenance.attribute("open").as_deref(), Some("true"));
    app.wait_for_text(
        "[data-testid=result-maintenance] summary .title",
        "The service is under maintenance",
    );
    app.resize(520, 900);
    look(&app, "40-assistant-text");
    app.find("[data-testid=assistant-query]").clear();

    // Vague words: it asks what tells the close causes apart, and says why.
    let query = app.find("[data-testid=assistant-query]");
    query.type_text("I have trouble with my client certificate");
    app.wait_for_text(
        "#assistant-ask-text",
        "What does it say about the certificate?",
    );
    look(&app, "42-assistant-asks");
    app.find("[data-testid='ask-certificate.expired']").click();
    app.wait_for_text(
        "[data-testid=assistant-results] details:first-of-type summary .title",
        "Your client certificate has expired",
    );
    app.wait_for_text_containing(
        "[data-testid=assistant-told]",
        "It says the certificate has expired",
    );
    app.wait_for_text_containing("[data-testid=why-client-cert-expired]", "your answer");
    look(&app, "43-assistant-why");
    app.find("[data-testid=assistant-query]").clear();

    // The questions: at home → an error page → it works at the office.
    app.wait_for_text(
        "[data-testid=assistant-question]",
        "Where are you trying to log in from?",
    );
    app.find("[data-testid=answer-1]").click();
    app.wait_for_text("[data-testid=assistant-question]", "What do you see?");
    app.find("[data-testid=answer-1]").click();
    app.wait_for_text(
        "[data-testid=assistant-question]",
        "Does it work when you are at the office?",
    );
    app.find("[data-testid=answer-0]").click();
    app.wait_for_text(
        "[data-testid=assistant-results] details:first-of-type summary .title",
        "Access is limited to the office network",
    );
    look(&app, "41-assistant-questions");

    // The report: shown first, then exactly that text goes to the clipboard.
    app.find("[data-testid=assistant-report]").click();
    app.find("[data-testid=assistant-report-text]");
    let shown =
        app.execute("return document.querySelector('[data-testid=assistant-report-text]').value;");
    let shown = shown.as_str().unwrap_or_default().to_owned();
    assert!(
        shown.contains("causes shown: ip-restricted, client-cert-required"),
        "{shown}"
    );
    look(&app, "46-assistant-report");
    app.find("[data-testid=assistant-copy]").click();
    app.find("[data-testid=assistant-copied]");
    let clipboard = std::process::Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", driver.display())
        .output()
        .expect("xclip runs");
    assert_eq!(String::from_utf8_lossy(&clipboard.stdout), shown);
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_second_start_with_a_link_opens_the_flow_in_the_first() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());
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

/// The text a person sees on the page, one line per text block.
fn visible_lines(app: &Session<'_>) -> Vec<String> {
    let text = app.execute("return document.body.innerText;");
    text.as_str()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Goes to each main screen from Home and returns what it shows, by name.
fn every_screen(app: &Session<'_>) -> Vec<(&'static str, Vec<String>)> {
    let mut seen = Vec::new();
    app.find("[data-testid=flow-list] li");
    seen.push(("home", visible_lines(app)));
    app.find("[data-testid=open-settings]").click();
    app.find("[data-testid=secrets]");
    seen.push(("settings", visible_lines(app)));
    app.find("[data-testid=settings-screen] [data-testid=back]")
        .click();
    app.find("[data-testid=open-checks]").click();
    app.find("[data-testid=assistant-question]");
    seen.push(("assistant", visible_lines(app)));
    app.find("[data-testid=assistant-back]").click();
    app.find("[data-testid=open-doctor]").click();
    app.find("[data-testid=run-checks]");
    seen.push(("checks", visible_lines(app)));
    app.find("[data-testid=checks-back]").click();
    app.find("[data-testid=flow-guest-space-join]").click();
    app.find("[data-testid=step-body-invitation]");
    seen.push(("flow", visible_lines(app)));
    app.find("[data-testid=flow-back]").click();
    app.find("[data-testid=flow-list] li");
    seen
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn switching_language_changes_every_string_on_every_screen() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());
    let english = every_screen(&app);
    assert!(
        english[0].1.iter().any(|l| l == "Open the portal"),
        "{english:?}"
    );

    app.find("[data-testid=open-settings]").click();
    // The Settings screen loads on first use: wait for it before scripting it.
    app.find("[data-testid=language-select]");
    app.execute(
        "const s = document.querySelector('[data-testid=language-select]');
         s.value = 'ja'; s.dispatchEvent(new Event('change', { bubbles: true }));",
    );
    app.wait_for_text("[data-testid=settings-screen] [data-testid=back]", "戻る");
    app.find("[data-testid=settings-screen] [data-testid=back]")
        .click();
    app.wait_for_text("[data-testid=open-portal] .label", "ポータルを開く");
    assert_eq!(app.execute("return document.documentElement.lang;"), "ja");
    let japanese = every_screen(&app);
    // What may read the same in both languages: names of the product, the
    // service and the site, and what the user typed or chose to name.
    let same_in_both = [
        "Tobira 扉",
        "Tobira",
        "kintone",
        "example.cybozu.com",
        "日本語",
        "English",
    ];
    for ((screen, before), (_, after)) in english.iter().zip(&japanese) {
        let unchanged: Vec<&String> = before
            .iter()
            // Step numbers and the like have no words to translate.
            .filter(|line| line.chars().any(char::is_alphabetic))
            .filter(|line| after.contains(line) && !same_in_both.contains(&line.as_str()))
            .collect();
        assert!(
            unchanged.is_empty(),
            "{screen} still shows in English: {unchanged:?}"
        );
    }
    app.resize(520, 900);
    look(&app, "60-home-ja");
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn the_dark_theme_follows_the_os_and_stays_readable() {
    let config = configured("");
    // GTK's dark variant is what the desktop's dark mode sets for WebKitGTK.
    let driver = driver_with(
        config.path(),
        "en_US.UTF-8",
        &[("GTK_THEME", "Adwaita:dark")],
    );
    let app = driver.session(&tobira_bin());
    app.find("[data-testid=flow-list] li");
    assert_eq!(
        app.execute("return matchMedia('(prefers-color-scheme: dark)').matches;"),
        true,
        "the window sees the OS's dark mode"
    );
    app.resize(520, 900);
    look(&app, "70-home-dark");
    app.find("[data-testid=open-checks]").click();
    app.find("[data-testid=assistant-query]")
        .type_text("パスワードを忘れた");
    app.find("[data-testid=result-forgot-password]");
    look(&app, "71-assistant-dark");
    app.find("[data-testid=assistant-back]").click();
    app.find("[data-testid=open-settings]").click();
    app.find("[data-testid=secrets]");
    look(&app, "72-settings-dark");
    app.find("[data-testid=settings-screen] [data-testid=back]")
        .click();
    app.find("[data-testid=flow-guest-space-join]").click();
    app.find("[data-testid=step-body-invitation]");
    look(&app, "73-flow-dark");
    app.close();
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn home_is_usable_by_keyboard_alone() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());
    app.find("[data-testid=flow-list] li");
    // Every control a mouse user can click on Home; a radio group is one
    // stop for Tab (arrow keys move inside it).
    let controls = app.execute(
        "const all = [...document.querySelectorAll('button, a[href], input, select, textarea, summary')]
           .filter((e) => !e.disabled && e.offsetParent !== null)
           // Inside a closed <details> only its summary can take the focus.
           .filter((e) => e.tagName === 'SUMMARY' || !e.closest('details:not([open])'));
         const groups = new Set(all.filter((e) => e.type === 'radio').map((e) => e.name));
         return all.filter((e) => e.type !== 'radio').length + groups.size;",
    );
    let controls = controls.as_u64().expect("a count") as usize;
    let mut reached = std::collections::BTreeSet::new();
    // Twice round: the walk may start anywhere (focus starts on the heading).
    for _ in 0..2 * controls + 5 {
        app.press(TAB);
        let focused = app.execute(
            "const e = document.activeElement;
             const style = getComputedStyle(e);
             const index = [...document.querySelectorAll('*')].indexOf(e);
             return JSON.stringify({ key: index + ' ' + e.outerHTML.slice(0, 80), ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 });",
        );
        let focused: serde_json::Value =
            serde_json::from_str(focused.as_str().unwrap_or("{}")).unwrap();
        assert_eq!(
            focused["ring"], true,
            "no visible focus ring on {}",
            focused["key"]
        );
        reached.insert(focused["key"].as_str().unwrap_or_default().to_owned());
    }
    assert!(
        reached.len() >= controls,
        "Tab reached {} of {controls} controls: {reached:?}",
        reached.len()
    );
    // Tab to "Can't log in?" and press Enter.
    for _ in 0..controls {
        let on_it = app.execute("return document.activeElement.dataset.testid === 'open-checks';");
        if on_it == true {
            break;
        }
        app.press(TAB);
    }
    app.press(ENTER);
    app.find("[data-testid=assistant-screen]");
    app.close();
}

/// Waits until `done` holds, polling; panics with `what` after 20 s.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn without_a_tray_closing_quits_and_the_windows_come_back_where_they_were() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&tobira_bin());
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

    let again = driver.session(&tobira_bin());
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
    let app = driver.session(&tobira_bin());
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
    let app = driver.session(&tobira_bin());
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
        written.contains(&format!("Exec={}", tobira_bin().display())),
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
    let app = driver.session(&tobira_bin());
    app.find("[data-testid=flow-list] li");
    wait_until("the policy's login item is written", || entry().is_some());
    app.find("[data-testid=open-settings]").click();
    app.find("[data-testid=autostart-locked]");
    app.close();
}
