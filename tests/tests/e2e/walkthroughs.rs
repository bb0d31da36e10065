//! Walkthroughs: progress and the side panel across a restart, and a
//! hostile guide that must render inert.

use std::fs;

use tobira_tests::{opened, window_bin};

use crate::support::{configured, driver, look};

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn guest_space_join_progress_and_side_panel_survive_a_restart() {
    let config = configured("role = \"guest\"\n");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&window_bin());

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
    let app = driver.session(&window_bin());
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
    let app = driver.session(&window_bin());
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
