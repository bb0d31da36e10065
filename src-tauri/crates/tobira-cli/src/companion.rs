//! `tobira flows` and `tobira companion …`: the walkthroughs' state, and the
//! host manifests that let the browser extension reach Tobira.

use std::process::ExitCode;

use serde::Serialize;
use tobira_core::Language;
use tobira_session::companion::install::{
    self, Browser, HostEntry, Level, SandboxReach, Sandboxed,
};
use tobira_session::companion::ExtensionIds;
use tobira_session::walkthroughs::FlowSteps;
use tobira_session::{Error, Session};

use crate::args::{BrowserArg, CompanionCommand};
use crate::output::{fail, print_error, print_json, Output, EXIT_BAD_INPUT, EXIT_PROBLEMS};

/// `tobira flows --json`: `{"flows":[{"id","title","steps":[{"id","title","done"}]}]}`.
#[derive(Serialize)]
pub(crate) struct FlowsJson {
    flows: Vec<FlowSteps>,
}

impl FlowsJson {
    pub(crate) fn of(session: &Session, language: Option<Language>) -> FlowsJson {
        FlowsJson {
            flows: session.flow_steps(language),
        }
    }
}

pub(crate) fn print_flows(list: &FlowsJson, out: Output) {
    for flow in &list.flows {
        let done = flow.steps.iter().filter(|s| s.done).count();
        println!("{}  {}  ({done}/{})", flow.id, flow.title, flow.steps.len());
        for step in &flow.steps {
            let mark = match (step.done, step.seen) {
                (true, true) => out.say("cli.flows.seen", &[]),
                (true, false) => "[x]".to_owned(),
                (false, _) => "[ ]".to_owned(),
            };
            println!("  {mark:<9} {:<20} {}", step.id, step.title);
        }
    }
}

impl From<BrowserArg> for Vec<Browser> {
    fn from(browser: BrowserArg) -> Vec<Browser> {
        match browser {
            BrowserArg::Chromium => vec![Browser::Chromium],
            BrowserArg::Chrome => vec![Browser::Chrome],
            BrowserArg::Edge => vec![Browser::Edge],
            BrowserArg::Firefox => vec![Browser::Firefox],
            BrowserArg::All => Browser::ALL.to_vec(),
        }
    }
}

/// `companion install|uninstall --json`: the manifests written or removed,
/// and each browser that failed (then the exit code is 2).
#[derive(Serialize)]
struct Changed {
    browsers: Vec<HostEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    failed: Vec<Failed>,
}

#[derive(Serialize)]
struct Failed {
    browser: Browser,
    error: Error,
}

/// Prints what was changed; when the one browser asked for failed, its
/// error alone, as any failed verb prints it.
fn report_changed(out: Output, changed: install::Changed, done: &str) -> ExitCode {
    let install::Changed {
        entries,
        mut failed,
    } = changed;
    if entries.is_empty() && failed.len() == 1 {
        let (_, error) = failed.remove(0);
        return fail(out, error.into());
    }
    let changed = Changed {
        browsers: entries,
        failed: failed
            .into_iter()
            .map(|(browser, error)| Failed {
                browser,
                error: error.into(),
            })
            .collect(),
    };
    if out.json {
        print_json(out, &changed);
    } else {
        for entry in &changed.browsers {
            println!("{}", entry_line(entry, out));
        }
        for failed in &changed.failed {
            print_error(out, &failed.error);
        }
        if changed.failed.is_empty() {
            println!("{}", out.say(done, &[]));
        }
    }
    if changed.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BAD_INPUT)
    }
}

/// `companion status --json`.
#[derive(Serialize)]
struct Status {
    browsers: Vec<HostEntry>,
    /// Browsers installed as a Snap or a Flatpak, and whether they can
    /// start the host at all.
    sandboxed: Vec<Sandboxed>,
    last_connected: Option<String>,
    extension_version: Option<String>,
    /// The kind of browser that last connected (chromium for every
    /// Chromium-family browser, or firefox).
    browser: Option<String>,
    /// The extensions the manifests let start Tobira, and that it answers.
    allowed_origins: Vec<String>,
    allowed_extensions: Vec<String>,
    /// on, or off when the organisation's policy turns the companion off.
    policy: &'static str,
}

impl Status {
    /// Some browser can start this Tobira through its manifest.
    fn reachable(&self) -> bool {
        self.browsers.iter().any(HostEntry::reachable)
    }
}

pub(crate) fn run(out: Output, session: &Session, command: CompanionCommand) -> ExitCode {
    let level = |system| if system { Level::System } else { Level::User };
    match command {
        CompanionCommand::Install { system, browser } => {
            if !session.companion_allowed() {
                return fail(out, Error::CompanionDisabled);
            }
            let installed = std::env::current_exe()
                .map_err(|source| install::InstallError::Write {
                    path: "tobira".into(),
                    source,
                })
                .and_then(|program| install::install(&Vec::from(browser), level(system), &program));
            match installed {
                Ok(changed) => report_changed(out, changed, "cli.companion.installedNext"),
                Err(error) => fail(out, error.into()),
            }
        }
        CompanionCommand::Uninstall { system, browser } => report_changed(
            out,
            install::uninstall(&Vec::from(browser), level(system)),
            "cli.companion.uninstalledNext",
        ),
        CompanionCommand::Status { browser } => {
            let connection = session.companion_connection();
            let ids = ExtensionIds::get();
            let browsers = Vec::from(browser);
            let status = Status {
                browsers: install::status(&browsers),
                sandboxed: install::sandboxed(&browsers),
                last_connected: connection.last_connected,
                extension_version: connection.extension_version,
                browser: connection.browser,
                allowed_origins: ids.chromium_origins(),
                allowed_extensions: vec![ids.gecko],
                policy: if session.companion_allowed() {
                    "on"
                } else {
                    "off"
                },
            };
            if out.json {
                print_json(out, &status);
            } else {
                print_status(&status, out);
            }
            if !status.reachable() {
                ExitCode::from(EXIT_PROBLEMS)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn entry_line(entry: &HostEntry, out: Output) -> String {
    let state = match (entry.installed, entry.path_ok, entry.ids_ok) {
        (false, _, _) => out.say("cli.companion.absent", &[]),
        (true, false, _) => out.say("cli.companion.brokenPath", &[]),
        (true, true, false) => out.say("cli.companion.otherIds", &[]),
        (true, true, true) => out.say("cli.companion.installed", &[]),
    };
    let pad = 30usize.saturating_sub(display_width(&state));
    format!(
        "  {:<9} {:<7} {state}{:pad$} {}",
        entry.browser.name(),
        entry.level.name(),
        "",
        entry.manifest.display()
    )
}

/// Columns a terminal gives `text`: two for the wide characters of
/// Japanese (kana, kanji, full-width forms), one for the others.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn print_status(status: &Status, out: Output) {
    if status.policy == "off" {
        println!("{}", out.say("cli.companion.policyOff", &[]));
    }
    for entry in &status.browsers {
        println!("{}", entry_line(entry, out));
    }
    for sandboxed in &status.sandboxed {
        let key = match sandboxed.reach {
            SandboxReach::Portal => "cli.companion.sandboxPortal",
            SandboxReach::Proxy => "cli.companion.sandboxProxy",
            SandboxReach::Unknown => "cli.companion.sandboxUnknown",
        };
        let path = sandboxed.path.display().to_string();
        println!(
            "{}",
            out.say(
                key,
                &[
                    ("browser", &sandboxed.browser.name()),
                    ("packaging", &sandboxed.packaging.name()),
                    ("path", &path),
                ],
            )
        );
    }
    let line = match (&status.last_connected, &status.extension_version) {
        (None, _) if !status.reachable() && status.policy == "on" => {
            out.say("cli.companion.noManifest", &[])
        }
        (Some(at), version) => out.say(
            "cli.companion.lastConnected",
            &[
                ("at", at),
                ("version", &version.as_deref().unwrap_or("?")),
                ("browser", &status.browser.as_deref().unwrap_or("?")),
            ],
        ),
        (None, _) => out.say("cli.companion.neverConnected", &[]),
    };
    println!("{line}");
}

#[cfg(test)]
mod tests {
    use super::display_width;

    #[test]
    fn japanese_words_take_two_columns_each_character() {
        assert_eq!(display_width("installed"), 9);
        assert_eq!(display_width("インストール済み"), 16);
        assert_eq!(display_width("ｘ"), 2);
    }
}
