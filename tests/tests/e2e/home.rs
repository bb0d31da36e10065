//! Home: the organisation's and the user's bookmarks under a policy, the
//! own site beside a partner's, and the keyboard alone.

use std::fs;

use tobira_tests::webdriver::{ENTER, TAB};
use tobira_tests::window_bin;

use crate::support::{configured, driver, look, wait_until_opened};

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
    let app = driver.session(&window_bin());

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

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn a_member_who_is_also_a_guest_sees_both_sites() {
    for (lang, shot) in [
        ("en_US.UTF-8", "27-home-two-sites"),
        ("ja_JP.UTF-8", "28-home-two-sites-ja"),
    ] {
        let config = configured("[[guest_sites]]\nhost = \"partner.kintone.com\"\n");
        let driver = driver(config.path(), lang);
        let app = driver.session(&window_bin());
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
fn home_is_usable_by_keyboard_alone() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&window_bin());
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
