//! The first start: typing the site's address (rejected, accepted, saved),
//! in English and Japanese, a damaged settings file, and a guest who has
//! only an invitation link.

use std::fs;

use tobira_tests::webdriver::Session;
use tobira_tests::window_bin;

use crate::support::{driver, look, wait_until_opened};

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
    let app = driver.session(&window_bin());

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

    let again = driver.session(&window_bin());
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
    let app = driver.session(&window_bin());

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
    let app = driver.session(&window_bin());

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

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_guest_with_no_site_of_their_own_joins_a_partners_guest_space() {
    let config = tempfile::tempdir().unwrap();
    fs::write(config.path().join("settings.toml"), "role = \"guest\"\n").unwrap();
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&window_bin());
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
