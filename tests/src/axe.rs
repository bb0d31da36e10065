//! The accessibility audit: axe-core (npm package `axe-core`, from
//! `ui/node_modules`) run inside the app's window through WebDriver.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::webdriver::Session;
use crate::workspace_root;

/// What axe found wrong on one screen.
#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    pub help: String,
    /// CSS selectors of the offending elements.
    pub targets: Vec<String>,
}

impl Violation {
    pub fn is_blocking(&self) -> bool {
        matches!(self.impact.as_deref(), Some("serious" | "critical"))
    }
}

fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = workspace_root().join("ui/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `npm --prefix ui install` (axe-core is a dev dependency)",
                path.display()
            )
        })
    })
}

/// Audits the page as it is now against WCAG 2.1 A/AA and axe's best
/// practices, and returns every violation.
pub fn audit(app: &Session<'_>) -> Vec<Violation> {
    let loaded = app.execute("return typeof window.axe === 'object';");
    if loaded != serde_json::Value::Bool(true) {
        // Injected once per page; the script defines `window.axe`.
        app.execute(&format!("{}\nreturn true;", axe_source()));
    }
    let reply = app.execute_async(
        r#"const done = arguments[arguments.length - 1];
        window.axe
          .run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"], resultTypes: ["violations"] })
          .then((result) => done(JSON.stringify(result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map((n) => n.target.join(" ")),
          })))))
          .catch((error) => done(JSON.stringify({ error: String(error) })));"#,
    );
    let text = reply
        .as_str()
        .unwrap_or_else(|| panic!("axe answered {reply}"));
    serde_json::from_str(text).unwrap_or_else(|e| panic!("axe answered {text}: {e}"))
}

/// Fails with every serious or critical finding on `screen`; prints the rest.
pub fn assert_accessible(app: &Session<'_>, screen: &str) {
    let violations = audit(app);
    for v in violations.iter().filter(|v| !v.is_blocking()) {
        println!(
            "axe {screen}: {} ({:?}) {} at {:?}",
            v.id, v.impact, v.help, v.targets
        );
    }
    let blocking: Vec<&Violation> = violations.iter().filter(|v| v.is_blocking()).collect();
    assert!(
        blocking.is_empty(),
        "axe found serious or critical problems on {screen}:\n{}",
        blocking
            .iter()
            .map(|v| format!("  {} ({:?}): {} at {:?}", v.id, v.impact, v.help, v.targets))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
