//! `tobira <verb>`: the same session as the window, without one. Parses the
//! arguments, calls the session, prints human text or (with `--json`) one
//! JSON document. Exit codes: 0 ok, 1 problems found, 2 bad input.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use tobira_core::bookmarks::ResolvedBookmark;
use tobira_core::export::ExportFormat;
use tobira_core::policy::{self, EffectiveSettings, PolicyError};
use tobira_core::{Language, Region, SiteAddress};
use tobira_secrets::{SecretKind, SecretsStatus};

use tobira_guides::lint::lint;
use tobira_guides::matcher::Outcome;
use tobira_guides::Source;
use tobira_session::report::{AssistantContext, SupportReport};
use tobira_session::session::SiteList;
use tobira_session::walkthroughs::GuideList;
use tobira_session::{doctor, Error, Session, StartupNotice};

#[derive(Debug, Parser)]
#[command(
    name = "tobira",
    version,
    about = "Tobira (扉): your first day on kintone. Run without arguments to open the window.",
    after_help = "A tobira:// link as the only argument opens it in the window (in the running Tobira, if there is one):\n  tobira tobira://flow/guest-space-join\n  tobira 'tobira://troubleshoot?q=不正なリクエストです。'\n  tobira tobira://cause/wrong-url\n  tobira tobira://site/example"
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
    /// Check the organisation's policy file.
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
        /// The language of the details (default: Tobira's language).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
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
        /// The language of the titles (default: Tobira's language).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// Only causes that exist in this region (default: your site's).
        #[arg(long, value_enum)]
        region: Option<RegionArg>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RegionArg {
    Jp,
    Us,
    Cn,
}

#[derive(Debug, Subcommand)]
enum GuidesCommand {
    /// Check guide folders, each with ja/ and en/ inside (without DIR:
    /// every folder Tobira reads). Prints `path:line:col: message` per
    /// problem; exit 1 if there are any.
    Lint { dirs: Vec<PathBuf> },
    /// The flows, causes and assistant guides in force, per language, and
    /// where each comes from.
    List,
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Validate FILE and print the effective settings with where each value
    /// comes from (exit 1 if the file has problems).
    Check { file: PathBuf },
}

#[derive(Debug, Subcommand)]
enum BookmarksCommand {
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
enum SitesCommand {
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
enum FormatArg {
    Html,
    Desktop,
    Url,
    Webloc,
    QrSvg,
}

impl From<FormatArg> for ExportFormat {
    fn from(format: FormatArg) -> ExportFormat {
        match format {
            FormatArg::Html => ExportFormat::Html,
            FormatArg::Desktop => ExportFormat::Desktop,
            FormatArg::Url => ExportFormat::Url,
            FormatArg::Webloc => ExportFormat::Webloc,
            FormatArg::QrSvg => ExportFormat::QrSvg,
        }
    }
}

#[derive(Debug, Subcommand)]
enum SecretsCommand {
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
enum KindArg {
    BasicAuth,
    ClientCertPassword,
}

impl From<KindArg> for SecretKind {
    fn from(kind: KindArg) -> SecretKind {
        match kind {
            KindArg::BasicAuth => SecretKind::BasicAuth,
            KindArg::ClientCertPassword => SecretKind::ClientCertPassword,
        }
    }
}

const EXIT_PROBLEMS: u8 = 1;
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
    let json = cli.json;
    match cli.command {
        Command::Site { input } => report(json, site(&input), print_site),
        Command::Policy(PolicyCommand::Check { file }) => policy_check(json, &file),
        Command::Bookmarks(BookmarksCommand::List) => {
            report(json, bookmark_list(), print_bookmarks)
        }
        Command::Bookmarks(BookmarksCommand::Add { input, name }) => {
            report(json, add_bookmark(&input, name.as_deref()), print_bookmarks)
        }
        Command::Bookmarks(BookmarksCommand::Remove { name }) => {
            report(json, remove_bookmark(&name), print_bookmarks)
        }
        Command::Bookmarks(BookmarksCommand::Export { format, output }) => {
            report(json, export(format.into(), output), print_exported)
        }
        Command::Sites(command) => report(json, sites(command), print_sites),
        Command::Open { target } => report(json, open(&target), |opened: &Opened| {
            println!("opened {}", opened.url)
        }),
        Command::Secrets(command) => report(json, secrets(command), print_secrets),
        Command::Doctor {
            site,
            base_url,
            timeout_ms,
            client_cert,
            lang,
        } => run_doctor(
            json,
            site.as_deref(),
            base_url.as_deref(),
            timeout_ms,
            client_cert.as_deref(),
            lang,
        ),
        Command::Troubleshoot {
            query,
            answers,
            lang,
            region,
        } => report(
            json,
            troubleshoot(&query, &answers, lang, region),
            print_outcome,
        ),
        Command::Guides(GuidesCommand::Lint { dirs }) => guides_lint(json, &dirs),
        Command::Guides(GuidesCommand::List) => report(json, guides_list(), print_guides),
        Command::Report {
            checks,
            query,
            answers,
        } => report(
            json,
            support_report(checks, query.as_deref(), &answers),
            |r: &SupportReport| print!("{}", r.text()),
        ),
    }
}

fn troubleshoot(
    query: &str,
    answers: &[String],
    lang: Option<LangArg>,
    region: Option<RegionArg>,
) -> Result<Outcome, Error> {
    open_session()?.troubleshoot_as(
        query,
        answers,
        lang.map(Language::from),
        region.map(Region::from),
    )
}

fn print_outcome(found: &Outcome) {
    if found.matches.is_empty() {
        println!("no cause matches; try other words, or run `tobira doctor`");
    }
    for m in found.matches.iter().take(5) {
        println!("{:>7.3}  {:<28} {}", m.score, m.cause, m.title);
        if let Some(reasons) = (!m.why.is_empty()).then(|| {
            m.why
                .iter()
                .map(|r| format!("{} ({})", r.words, r.idea))
                .collect::<Vec<_>>()
                .join(", ")
        }) {
            println!("         because: {reasons}");
        }
    }
    if let Some(ask) = &found.ask {
        println!("\n{}", ask.text);
        for answer in &ask.answers {
            println!("  --answer {:<28} {}", answer.id, answer.label);
        }
    }
}

/// The support report, with the doctor's checks of the user's site and
/// what the user told the assistant, if asked.
fn support_report(
    with_checks: bool,
    query: Option<&str>,
    answers: &[String],
) -> Result<SupportReport, Error> {
    let session = open_session()?;
    let assistant = match (query, answers.is_empty()) {
        (None, true) => None,
        (query, _) => {
            let query = query.unwrap_or_default();
            let outcome = session.troubleshoot_as(query, answers, None, None)?;
            Some(AssistantContext::from_outcome(query, outcome))
        }
    };
    if with_checks {
        session.run_checks_blocking()?;
    }
    Ok(session.support_report_data(assistant))
}

impl From<LangArg> for Language {
    fn from(lang: LangArg) -> Language {
        match lang {
            LangArg::Ja => Language::Ja,
            LangArg::En => Language::En,
        }
    }
}

impl From<RegionArg> for Region {
    fn from(region: RegionArg) -> Region {
        match region {
            RegionArg::Jp => Region::Jp,
            RegionArg::Us => Region::Us,
            RegionArg::Cn => Region::Cn,
        }
    }
}

fn site(input: &str) -> Result<SiteAddress, Error> {
    open_session()?.check_site(input)
}

/// `policy check`: 0 and the effective settings when FILE is good, 1 and
/// every problem (`path:line:col: message`) when not, 2 when unreadable.
fn policy_check(json: bool, file: &std::path::Path) -> ExitCode {
    let settings = match open_session() {
        Ok(session) => session.settings(),
        Err(e) => return fail(json, e),
    };
    match policy::load(file) {
        Ok(None) => fail(
            json,
            Error::Policy(PolicyError::Unreadable {
                path: file.to_owned(),
                source: std::io::ErrorKind::NotFound.into(),
            }),
        ),
        Ok(Some(loaded)) => {
            let effective = EffectiveSettings::resolve(&loaded.policy, &settings);
            let problems = match &loaded.problem {
                Some(PolicyError::Invalid { problems, .. }) => problems.as_slice(),
                _ => &[],
            };
            if json {
                print_json(&serde_json::json!({
                    "valid": problems.is_empty(),
                    "path": file,
                    "problems": problems,
                    "effective": effective,
                }));
            } else {
                for p in problems {
                    println!("{}:{}:{}: {}", file.display(), p.line, p.column, p.message);
                }
                if problems.is_empty() {
                    println!("{}: valid", file.display());
                } else {
                    println!(
                        "{}: {} values dropped; the others are in force:",
                        file.display(),
                        problems.len()
                    );
                }
                print_effective(&effective);
            }
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_PROBLEMS)
            }
        }
        Err(e) => fail(json, e.into()),
    }
}

/// `doctor`: 0 when every check passed, 1 when something is wrong, 2 on
/// bad input. Text mode prints each check as it ends.
fn run_doctor(
    json: bool,
    site: Option<&str>,
    base_url: Option<&str>,
    timeout_ms: u64,
    certificate: Option<&std::path::Path>,
    lang: Option<LangArg>,
) -> ExitCode {
    let prepared = open_session().and_then(|session| {
        let (target, options) = session.doctor_setup_for(
            site,
            base_url,
            Duration::from_millis(timeout_ms),
            certificate,
        )?;
        let language = lang.map_or_else(|| session.language(), Language::from);
        Ok((target, options, language))
    });
    let (target, options, language) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => return fail(json, e),
    };
    let say = |en: String, ja: String| if language == Language::Ja { ja } else { en };
    if !json {
        println!(
            "{}",
            say(
                format!("checking {}", target.url),
                format!("{} を確認しています", target.url)
            )
        );
    }
    let mut print = |check: &tobira_doctor::Check| {
        if !json {
            println!(
                "  {:<5} {:<12} {}",
                check.status.as_str(),
                check.id,
                check.in_language(language).detail()
            );
        }
    };
    let report = match doctor::run_blocking(&target, &options, &mut print) {
        Ok(report) => report.in_language(language),
        Err(e) => return fail(json, e),
    };
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == tobira_doctor::Status::Fail)
        .map(|c| c.id)
        .collect();
    let ms = report.elapsed_ms;
    if json {
        print_json(&report);
    } else if report.findings.is_empty() && failed.is_empty() {
        println!(
            "{}",
            say(
                format!("no problem found ({ms} ms)"),
                format!("問題は見つかりませんでした（{ms} ミリ秒）")
            )
        );
    } else if report.findings.is_empty() {
        // Never "no problem" after a failed check.
        println!(
            "{}",
            say(
                format!("these checks failed: {}; no known cause matches. Send `tobira report --checks` to IT or your kintone administrator", failed.join(", ")),
                format!("次の確認で問題がありました：{}。既知の原因には当てはまりません。`tobira report --checks` の出力を IT 部門か kintone の管理者に送ってください", failed.join(", "))
            )
        );
    } else {
        println!(
            "{}",
            say(
                format!("likely causes ({ms} ms):"),
                format!("考えられる原因（{ms} ミリ秒）:")
            )
        );
        for finding in &report.findings {
            println!(
                "  {}  ({}: {})",
                finding.cause,
                say("open in Tobira".into(), "Tobira で開く".into()),
                finding.guide
            );
        }
    }
    if report.has_problems() {
        ExitCode::from(EXIT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

/// `guides lint`: 0 when clean, 1 with problems, 2 when a DIR is not a
/// guide folder.
fn guides_lint(json: bool, dirs: &[PathBuf]) -> ExitCode {
    let (search_path, allowed_hosts) = match open_session() {
        Ok(session) => session.guide_sources(),
        Err(e) => return fail(json, e),
    };
    let sources = if dirs.is_empty() {
        search_path
    } else {
        let mut sources = Vec::new();
        for dir in dirs {
            if !dir.join("ja").is_dir() && !dir.join("en").is_dir() {
                return fail(json, Error::NotAGuideFolder(dir.clone()));
            }
            sources.push(Source::dir("dir", dir));
        }
        sources
    };
    let report = lint(&sources, &allowed_hosts);
    if json {
        print_json(&report);
    } else {
        for problem in &report.problems {
            println!("{problem}");
        }
        for warning in &report.warnings {
            println!(
                "{}:{}:{}: warning: {}",
                warning.path, warning.line, warning.column, warning.message
            );
        }
        let warnings = match report.warnings.len() {
            0 => String::new(),
            n => format!(" ({n} warnings)"),
        };
        match report.problems.len() {
            0 => eprintln!("no problems in {} guide files{warnings}", report.files),
            n => eprintln!("{n} problems in {} guide files{warnings}", report.files),
        }
    }
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    }
}

fn guides_list() -> Result<GuideList, Error> {
    Ok(open_session()?.guide_list())
}

fn print_guides(list: &GuideList) {
    for (language, guides) in [("ja", &list.ja), ("en", &list.en)] {
        for (kind, entries) in [
            ("flows", &guides.flows),
            ("causes", &guides.causes),
            ("assistant", &guides.assistant),
        ] {
            if entries.is_empty() {
                continue;
            }
            println!("{language} {kind}:");
            for entry in entries {
                println!("  {:<24} {}  [{}]", entry.id, entry.title, entry.source);
            }
        }
    }
    for problem in &list.problems {
        eprintln!("tobira: warning: not loaded: {problem}");
    }
}

#[derive(Serialize)]
struct BookmarkList {
    bookmarks: Vec<ResolvedBookmark>,
}

fn bookmark_list() -> Result<BookmarkList, Error> {
    Ok(BookmarkList {
        bookmarks: open_session()?.bookmarks()?,
    })
}

fn add_bookmark(input: &str, name: Option<&str>) -> Result<BookmarkList, Error> {
    Ok(BookmarkList {
        bookmarks: open_session()?.add_bookmark(input, name)?.bookmarks,
    })
}

fn remove_bookmark(name: &str) -> Result<BookmarkList, Error> {
    Ok(BookmarkList {
        bookmarks: open_session()?.remove_bookmark_named(name)?.bookmarks,
    })
}

fn sites(command: SitesCommand) -> Result<SiteList, Error> {
    let session = open_session()?;
    match command {
        SitesCommand::List => {}
        SitesCommand::Add { input, own: true } => {
            session.save_site(&input)?;
        }
        SitesCommand::Add { input, own: false } => {
            session.add_guest_site(&input)?;
        }
        SitesCommand::Remove { host } => {
            session.remove_guest_site(&host)?;
        }
    }
    Ok(session.site_list())
}

fn print_sites(list: &SiteList) {
    match &list.own {
        Some(site) => println!("your site:      {}", site.host()),
        None => println!("your site:      none (a guest only)"),
    }
    for site in &list.guest {
        println!("guest in:       {}", site.host());
    }
    if !list.guest_sites_allowed {
        println!("(your organisation does not allow adding other companies' sites)");
    }
}

#[derive(Serialize)]
struct Exported {
    format: ExportFormat,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contents: Option<String>,
}

fn export(format: ExportFormat, output: Option<PathBuf>) -> Result<Exported, Error> {
    let session = open_session()?;
    Ok(match output {
        Some(path) => Exported {
            format,
            path: Some(session.export_to(format, path)?),
            contents: None,
        },
        None => Exported {
            format,
            path: None,
            contents: Some(session.export_text(format)?),
        },
    })
}

#[derive(Serialize)]
struct Opened {
    url: String,
}

fn open(target: &str) -> Result<Opened, Error> {
    let url = open_session()?.bookmark_url(target)?;
    open::that(&url).map_err(Error::Opener)?;
    Ok(Opened { url })
}

fn secrets(command: SecretsCommand) -> Result<SecretsStatus, Error> {
    let session = open_session()?;
    match command {
        SecretsCommand::Status => session.secrets_status(),
        SecretsCommand::Set { kind, user } => {
            // The site first: no password is asked for without one.
            session.secrets_status()?;
            match (SecretKind::from(kind), user) {
                (SecretKind::BasicAuth, Some(user)) => {
                    session.store_basic_auth(&user, &read_password()?)
                }
                (SecretKind::BasicAuth, None) => {
                    Err(Error::Usage("basic-auth needs --user NAME".into()))
                }
                (_, _) => session.store_client_cert_password(&read_password()?),
            }
        }
        SecretsCommand::Delete { kind } => session.delete_secret(kind.into()),
    }
}

/// The password from standard input: asked for without echo on a terminal,
/// else the first line (so scripts can pipe it; never an argument, which
/// other users could see in the process list).
fn read_password() -> Result<String, Error> {
    use std::io::{BufRead, IsTerminal};
    let line = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ")
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    }
    .map_err(|e| {
        Error::Usage(format!(
            "could not read the password from standard input: {e}"
        ))
    })?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
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

/// This user's session, telling the user on stderr (never stdout, which
/// scripts parse) what went wrong while reading their files.
fn open_session() -> Result<Session, Error> {
    let session = Session::open_strict()?;
    for notice in session.notices() {
        if let Some(warning) = warning(notice) {
            eprintln!("tobira: warning: {warning}");
        }
    }
    Ok(session)
}

fn warning(notice: &StartupNotice) -> Option<String> {
    Some(match notice {
        StartupNotice::SettingsRecovered(recovery) => format!(
            "the settings file was damaged ({}); it was moved to {}{}",
            recovery.problem,
            recovery.moved_to.display(),
            if recovery.restored_backup {
                " and the previous version was restored"
            } else {
                " and the defaults are used"
            }
        ),
        StartupNotice::ProgressRecovered(recovery) => format!(
            "the walkthrough progress file was damaged ({}); it was moved to {}",
            recovery.problem,
            recovery.moved_to.display(),
        ),
        StartupNotice::BookmarksDropped { count } => format!(
            "{count} bookmarks in your settings are not pages of your sites and are ignored; add them again with `tobira bookmarks add`"
        ),
        StartupNotice::PolicyProblems { message, .. } => format!(
            "these values of your organisation's policy are ignored; the others apply:\n{message}"
        ),
        StartupNotice::PolicyUnreadable { message, .. } => message.clone(),
        StartupNotice::PolicyWritable { path } => format!(
            "{} can be changed by users who are not administrators, so its locks protect nothing; ask IT to make it writable by root only",
            path.display()
        ),
        // open_strict has refused these already.
        StartupNotice::SettingsUnavailable { .. } => return None,
    })
}

fn report<T: Serialize>(json: bool, result: Result<T, Error>, print_text: impl Fn(&T)) -> ExitCode {
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

fn print_effective(effective: &EffectiveSettings) {
    let value = serde_json::to_value(effective).unwrap_or_default();
    if let Some(map) = value.as_object() {
        for (key, setting) in map {
            let shown = match &setting["value"] {
                serde_json::Value::Null => "(not set)".to_owned(),
                serde_json::Value::Object(site) if site.contains_key("host") => {
                    site["host"].to_string()
                }
                other => other.to_string(),
            };
            println!(
                "  {key:<15} {shown}  [{}]",
                setting["source"].as_str().unwrap_or("?")
            );
        }
    }
}

fn print_bookmarks(list: &BookmarkList) {
    for b in &list.bookmarks {
        println!("{:<28} {}  [{}]", b.name, b.url, b.origin.as_str());
    }
}

fn print_exported(exported: &Exported) {
    match (&exported.path, &exported.contents) {
        (Some(path), _) => println!("wrote {}", path.display()),
        (None, Some(contents)) => print!("{contents}"),
        (None, None) => {}
    }
}

fn print_secrets(status: &SecretsStatus) {
    if let Some(problem) = &status.keyring_problem {
        println!("keyring: not available: {problem}");
        return;
    }
    println!("keyring: available");
    match &status.basic_auth_user {
        Some(user) => println!("Basic authentication: stored for user '{user}'"),
        None => println!("Basic authentication: not stored"),
    }
    println!(
        "client certificate password: {}",
        if status.client_cert_password_stored {
            "stored"
        } else {
            "not stored"
        }
    );
}
