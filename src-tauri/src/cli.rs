//! `tobira <verb>`: the same logic as the window, without one. Parses the
//! arguments, calls the core crates, prints human text or (with `--json`)
//! one JSON document. Exit codes: 0 ok, 1 problems found, 2 bad input.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use serde::Serialize;
use tobira_core::{SettingsStore, SiteAddress};

use crate::error::Error;

#[derive(Debug, Parser)]
#[command(
    name = "tobira",
    version,
    about = "Tobira (扉): your first day on kintone. Run without arguments to open the window."
)]
struct Cli {
    /// Print one JSON document instead of text (for scripts).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a kintone address and show its host, region and URLs.
    ///
    /// Accepts what people paste: `example`, `example.cybozu.com`,
    /// `https://example.cybozu.com/k/#/space/1`, full-width text. A bare
    /// word uses the default region from the settings (else Japan).
    Site {
        /// The address, URL or subdomain.
        input: String,
    },
}

const EXIT_BAD_INPUT: u8 = 2;

pub fn run(args: Vec<OsString>) -> ExitCode {
    let wants_json = args.iter().any(|a| a == "--json");
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if wants_json => return fail(true, Error::Usage(usage_problem(&e))),
        Err(e) => e.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Site { input } => report(cli.json, site(&input), print_site),
    }
}

fn site(input: &str) -> Result<SiteAddress, Error> {
    let settings = load_settings()?;
    Ok(SiteAddress::parse(input, settings.default_region())?)
}

/// clap's error as one line, without the usage block that follows it.
fn usage_problem(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let problem: Vec<&str> = text
        .lines()
        .take_while(|line| !line.starts_with("Usage:"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let problem = problem.join(" ");
    problem
        .strip_prefix("error: ")
        .unwrap_or(&problem)
        .to_owned()
}

/// Reads the settings, telling the user on stderr (never stdout, which
/// scripts parse) when a damaged file had to be moved aside.
fn load_settings() -> Result<tobira_core::Settings, Error> {
    let store = SettingsStore::open_default()?;
    let loaded = store.load()?;
    if let Some(recovery) = &loaded.recovery {
        eprintln!(
            "tobira: warning: the settings file was damaged ({}); it was moved to {}{}",
            recovery.problem,
            recovery.moved_to.display(),
            if recovery.restored_backup {
                " and the previous version was restored"
            } else {
                " and the defaults are used"
            }
        );
    }
    Ok(loaded.settings)
}

fn report<T: Serialize>(json: bool, result: Result<T, Error>, print_text: fn(&T)) -> ExitCode {
    match result {
        Ok(value) if json => print_json(&value),
        Ok(value) => print_text(&value),
        Err(e) => return fail(json, e),
    }
    ExitCode::SUCCESS
}

/// Bad input: `{"error": {...}}` on stdout for scripts, else one line on stderr.
fn fail(json: bool, error: Error) -> ExitCode {
    if json {
        print_json(&serde_json::json!({ "error": error }));
    } else {
        eprintln!("tobira: {error}");
    }
    ExitCode::from(EXIT_BAD_INPUT)
}

fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("tobira: could not write JSON: {e}"),
    }
}

fn print_site(site: &SiteAddress) {
    let region = site.region();
    println!("{}", site.host());
    println!("  region:         {region} ({})", region.domain());
    println!(
        "  secure access:  {}",
        if site.secure_access() {
            "yes (client certificate needed)"
        } else {
            "no"
        }
    );
    println!("  login page:     {}", site.login_url());
    println!("  portal:         {}", site.portal_url());
}
