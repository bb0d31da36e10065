//! The arguments of `tobira`, as clap parses them. Nothing but clap here:
//! the bundle-files program includes this file to write the manual page and
//! the shell completions from the same definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "tobira",
    version,
    about = "Tobira (扉): your first day on kintone. Run without arguments to open the window.",
    after_help = "A tobira:// link as the only argument opens it in the window (in the running Tobira, if there is one):\n  tobira tobira://flow/guest-space-join\n  tobira 'tobira://troubleshoot?q=不正なリクエストです。'\n  tobira tobira://cause/wrong-url\n  tobira tobira://site/example"
)]
pub(crate) struct Cli {
    /// Print one JSON document instead of text (for scripts).
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// The language of the text (default: Tobira's language setting, else
    /// the OS's); `--json` stays as it is.
    #[arg(long, global = true, value_enum)]
    pub(crate) lang: Option<LangArg>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check a kintone address and show its host, region and URLs.
    ///
    /// Accepts what people paste: `example`, `example.cybozu.com`,
    /// `https://example.cybozu.com/k/#/space/1`, full-width text. A bare
    /// word uses the default region from the settings (else Japan).
    Site {
        /// The address, URL or subdomain.
        input: String,
    },
    /// Check a policy file, or show the policy in force.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// List, add, remove and export bookmarks of your kintone site.
    #[command(subcommand)]
    Bookmarks(BookmarksCommand),
    /// Open a bookmark (by name) or a page of your kintone site in the browser.
    Open {
        /// A bookmark name (`portal`, `login`, `help`, or one of yours), a
        /// path such as /k/12/, or a URL of your site.
        target: String,
    },
    /// Store Basic-authentication credentials or a client certificate's
    /// password in the OS keyring (never in a file).
    #[command(subcommand)]
    Secrets(SecretsCommand),
    /// Your kintone sites: your own, and those of other companies you are a
    /// guest in (a guest space lives on the inviting company's site).
    #[command(subcommand)]
    Sites(SitesCommand),
    /// Print a support report to paste into a ticket (no passwords, cookies or tokens).
    Report {
        /// Also run the doctor on your site and include its checks.
        #[arg(long)]
        checks: bool,
        /// What the user typed into the assistant: the report then holds it
        /// (secrets removed), the answers and the causes shown, as the
        /// window's "Copy support report" does.
        #[arg(long)]
        query: Option<String>,
        /// An answer to one of the assistant's questions, as QUESTION.ANSWER.
        #[arg(long = "answer", value_name = "QUESTION.ANSWER")]
        answers: Vec<String>,
    },
    /// Probe your kintone site (DNS, connection, certificate, login page)
    /// and say why login fails; exit 1 when something is wrong.
    Doctor {
        /// Probe this site instead of yours (an address as `tobira site` takes it).
        #[arg(long, conflicts_with = "base_url")]
        site: Option<String>,
        /// Probe this base URL: https on a kintone host, or http on
        /// 127.0.0.1, ::1 or localhost (for testing).
        #[arg(long)]
        base_url: Option<String>,
        /// The time budget for all checks together, in milliseconds.
        #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(100..=60000))]
        timeout_ms: u64,
        /// A client certificate (.pfx/.p12) to check and use instead of the
        /// one in the settings; its password comes from the keyring.
        #[arg(long)]
        client_cert: Option<PathBuf>,
    },
    /// The walkthroughs for you and which of their steps are done.
    Flows,
    /// The browser companion: let your browser's Tobira extension talk to
    /// Tobira (install), stop it (uninstall), or see which browsers can.
    #[command(subcommand)]
    Companion(CompanionCommand),
    /// Check guide files, or list the guides in force.
    #[command(subcommand)]
    Guides(GuidesCommand),
    /// Rank the login causes for what you type or paste: an error text
    /// (「不正なリクエストです。」, `Code: 404 NotFound`) or your own words.
    Troubleshoot {
        /// What you see or what happens, in Japanese or English.
        #[arg(long, default_value = "")]
        query: String,
        /// An answer to one of the assistant's questions, as QUESTION.ANSWER
        /// (the `ask` of the previous run lists them); repeat for several.
        #[arg(long = "answer", value_name = "QUESTION.ANSWER")]
        answers: Vec<String>,
        /// Only causes that exist in this region (default: your site's).
        #[arg(long, value_enum)]
        region: Option<RegionArg>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CompanionCommand {
    /// Write the native-messaging host manifests that let the extension
    /// start `tobira` (this program, where it is now). A browser that
    /// fails does not stop the others; exit 2 if any failed.
    Install {
        /// For every user of this computer (needs root or an administrator,
        /// and a Tobira only the administrator can change).
        #[arg(long)]
        system: bool,
        /// Which browser's manifest.
        #[arg(long, value_enum, default_value = "all")]
        browser: BrowserArg,
    },
    /// Remove the manifests again.
    Uninstall {
        /// Those for every user of this computer (needs root or an administrator).
        #[arg(long)]
        system: bool,
        /// Which browser's manifest.
        #[arg(long, value_enum, default_value = "all")]
        browser: BrowserArg,
    },
    /// Which browsers can reach Tobira, for you and for every user, and when
    /// the extension last connected; exit 1 when none can.
    Status {
        /// Which browser's manifests.
        #[arg(long, value_enum, default_value = "all")]
        browser: BrowserArg,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BrowserArg {
    Chromium,
    Chrome,
    Edge,
    Firefox,
    All,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum LangArg {
    Ja,
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum RegionArg {
    Jp,
    Us,
    Cn,
}

#[derive(Debug, Subcommand)]
pub(crate) enum GuidesCommand {
    /// Check guide folders, each with ja/ and en/ inside (without DIR:
    /// every folder Tobira reads). Prints `path:line:col: message` per
    /// problem; exit 1 if there are any.
    Lint { dirs: Vec<PathBuf> },
    /// The flows, causes and assistant guides in force, per language, and
    /// where each comes from.
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
    /// Validate FILE and print the effective settings with where each value
    /// comes from (exit 1 if the file has problems). FILE is a policy.toml,
    /// a regedit export (.reg) or managed preferences (.plist, .mobileconfig).
    Check { file: PathBuf },
    /// Every key of the policy in force on this PC: its value, where it
    /// comes from (which file, registry key or managed preferences), its
    /// status and problems; then unknown keys and what was read (exit 1 if
    /// anything was dropped).
    Show,
}

#[derive(Debug, Subcommand)]
pub(crate) enum BookmarksCommand {
    /// Built-in, organisation and your own bookmarks.
    List,
    /// Add a page of your site: a URL such as https://example.cybozu.com/k/12/ or a path such as /k/12/.
    Add {
        input: String,
        /// The name to show (default: taken from the kind of page).
        #[arg(long)]
        name: Option<String>,
    },
    /// Remove one of your bookmarks (by name).
    Remove { name: String },
    /// Export as bookmark HTML, a desktop shortcut or a QR code of the portal.
    Export {
        #[arg(long, value_enum)]
        format: FormatArg,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SitesCommand {
    /// List your own site and the sites you are a guest in.
    List,
    /// Add a site you are a guest in, from its address, a guest-space link or
    /// an invitation link (`--own`: set your own site instead).
    Add {
        input: String,
        #[arg(long)]
        own: bool,
    },
    /// Forget a site you are a guest in, and its bookmarks.
    Remove { host: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    Html,
    Desktop,
    Url,
    Webloc,
    QrSvg,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SecretsCommand {
    /// What is stored for your site (never the secrets themselves).
    Status,
    /// Store a secret; the password is read from standard input.
    Set {
        #[arg(value_enum)]
        kind: KindArg,
        /// The Basic-authentication user name (for basic-auth).
        #[arg(long, required_if_eq("kind", "basic-auth"))]
        user: Option<String>,
    },
    /// Delete a stored secret.
    Delete {
        #[arg(value_enum)]
        kind: KindArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    BasicAuth,
    ClientCertPassword,
}
