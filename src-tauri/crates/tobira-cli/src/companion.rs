//! `tobira flows` and `tobira companion …`: the walkthroughs' state, and the
//! host manifests that let the browser extension reach Tobira.

use std::process::ExitCode;

use serde::Serialize;
use tobira_core::Language;
use tobira_session::companion::install::{
    self, Browser, HostEntry, Level, SandboxReach, Sandboxed,
};
use tobira_session::walkthroughs::FlowSteps;
use tobira_session::{Error, Session};

use crate::args::{BrowserArg, CompanionCommand};
use crate::output::{fail, print_json, report, Output, EXIT_PROBLEMS};

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

#[derive(Serialize)]
struct Changed {
    browsers: Vec<HostEntry>,
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
    browser: Option<String>,
    /// on, or off when the organisation's policy turns the companion off.
    policy: &'static str,
}

pub(crate) fn run(out: Output, session: &Session, command: CompanionCommand) -> ExitCode {
    let level = |system| if system { Level::System } else { Level::User };
    match command {
        CompanionCommand::Install { system, browser } => {
            if !session.companion_allowed() {
                return fail(out, Error::CompanionDisabled);
            }
            let installed = std::env::current_exe()
                .map_err(|source| {
                    Error::from(install::InstallError::Write {
                        path: "tobira".into(),
                        source,
                    })
                })
                .and_then(|program| {
                    Ok(install::install(
                        &Vec::from(browser),
                        level(system),
                        &program,
                    )?)
                });
            report(
                out,
                installed.map(|browsers| Changed { browsers }),
                print_changed,
            )
        }
        CompanionCommand::Uninstall { system, browser } => {
            let removed = install::uninstall(&Vec::from(browser), level(system));
            report(
                out,
                removed
                    .map(|browsers| Changed { browsers })
                    .map_err(Error::from),
                print_changed,
            )
        }
        CompanionCommand::Status { browser } => {
            let connection = session.companion_connection();
            let browsers = Vec::from(browser);
            let status = Status {
                browsers: install::status(&browsers),
                sandboxed: install::sandboxed(&browsers),
                last_connected: connection.last_connected,
                extension_version: connection.extension_version,
                browser: connection.browser,
                policy: if session.companion_allowed() {
                    "on"
                } else {
                    "off"
                },
            };
            let none = !status.browsers.iter().any(|b| b.installed && b.path_ok);
            if out.json {
                print_json(out, &status);
            } else {
                print_status(&status, out);
            }
            if none {
                ExitCode::from(EXIT_PROBLEMS)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn entry_line(entry: &HostEntry, out: Output) -> String {
    let state = match (entry.installed, entry.path_ok) {
        (false, _) => out.say("cli.companion.absent", &[]),
        (true, true) => out.say("cli.companion.installed", &[]),
        (true, false) => out.say("cli.companion.brokenPath", &[]),
    };
    format!(
        "  {:<9} {:<7} {:<30} {}",
        entry.browser.name(),
        serde_json::to_value(entry.level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        state,
        entry.manifest.display()
    )
}

fn print_changed(changed: &Changed, out: Output) {
    for entry in &changed.browsers {
        println!("{}", entry_line(entry, out));
    }
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
                    ("packaging", &sandboxed.packaging),
                    ("path", &path),
                ],
            )
        );
    }
    let line = match (&status.last_connected, &status.extension_version) {
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
