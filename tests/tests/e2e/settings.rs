//! Settings a person sees everywhere: the language of every string on every
//! screen, and the OS's dark theme; and how the organisation's policy applies.

use std::fs;

use tobira_tests::webdriver::Session;
use tobira_tests::window_bin;

use crate::support::{configured, driver, driver_with, look};

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
    let app = driver.session(&window_bin());
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
    let app = driver.session(&window_bin());
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

/// A policy with a value of the wrong type (dropped), a recommendation the
/// user's own choice overrides, a lock and a name that is no setting.
const POLICY_WITH_MISTAKES: &str = r#"
[recommended]
autostart = "yes"
keep_in_tray = false

[locked]
default_region = "us"
colour = "blue"
"#;

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn the_policy_section_shows_each_value_where_it_comes_from_and_what_was_dropped() {
    let config = configured("keep_in_tray = true\n");
    let policy = config.path().join("policy.toml");
    fs::write(&policy, POLICY_WITH_MISTAKES).unwrap();
    let problem = format!(
        "{}:3:13: invalid type: string \"yes\", expected a boolean",
        policy.display()
    );
    for (lang, title, dropped, shot) in [
        (
            "en_US.UTF-8",
            "Your organisation's policy",
            "Dropped",
            "12-settings-policy",
        ),
        (
            "ja_JP.UTF-8",
            "組織のポリシー",
            "無視した値あり",
            "13-settings-policy-ja",
        ),
    ] {
        let driver = driver(config.path(), lang);
        let app = driver.session(&window_bin());
        app.find("[data-testid=open-settings]").click();
        app.wait_for_text("[data-testid=policy] summary", title)
            .click();
        app.wait_for_text_containing(
            "[data-testid=policy-key-autostart] [data-testid=policy-status]",
            dropped,
        );
        assert!(
            app.find("[data-testid=policy-key-autostart] [data-testid=policy-problem]")
                .text()
                .contains(&problem),
            "the dropped value says why"
        );
        assert!(app
            .find("[data-testid=policy-unknown]")
            .text()
            .contains("colour"));
        app.resize(520, 1000);
        app.execute("document.querySelector('[data-testid=policy]').scrollIntoView();");
        look(&app, shot);
        app.close();
    }
}
