//! The checks against a fake kintone site: each check and the cause, in
//! English and Japanese.

use tobira_fake_kintone::{FakeKintone, Scenario};
use tobira_tests::webdriver::Driver;
use tobira_tests::{fake_browser, window_bin};

use crate::support::{configured, driver_with, look};

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn run_checks_shows_each_check_and_the_cause() {
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
    let app = driver.session(&window_bin());
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
fn the_checks_speak_japanese_when_tobira_does() {
    let config = configured("");
    let site = FakeKintone::start(Scenario::SecureAccess);
    let base_url = site.base_url();
    let driver = driver_with(
        config.path(),
        "ja_JP.UTF-8",
        &[("TOBIRA_DOCTOR_BASE_URL", base_url.as_str())],
    );
    let app = driver.session(&window_bin());
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
