//! The assistant: questions and explanations, causes found from a
//! description and from answers.

use tobira_tests::window_bin;

use crate::support::{configured, driver, look};

#[test]
#[ignore = "drives the real window: needs WebKitWebDriver and Xvfb"]
fn the_assistant_asks_and_explains_in_japanese() {
    let config = configured("");
    let driver = driver(config.path(), "ja_JP.UTF-8");
    let app = driver.session(&window_bin());
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
fn the_assistant_finds_causes_from_text_and_from_questions() {
    let config = configured("");
    let driver = driver(config.path(), "en_US.UTF-8");
    let app = driver.session(&window_bin());
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
