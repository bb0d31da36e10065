//! `tobira <verb>`: the same session as the window, without one. Parses the
//! arguments, calls the session, prints human text or (with `--json`) one
//! JSON document. Exit codes: 0 ok, 1 problems found, 2 bad input.

use std::ffi::OsString;
use std::fmt::Display;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches};
use serde::Serialize;
use tobira_core::bookmarks::ResolvedBookmark;
use tobira_core::export::ExportFormat;
use tobira_core::policy::{self, Diagnosis, EffectiveSettings, PolicyError, PolicyProblem};
use tobira_core::{Language, Region, SiteAddress};
use tobira_secrets::{SecretKind, SecretsStatus};

use tobira_guides::lint::lint;
use tobira_guides::matcher::Outcome;
use tobira_guides::Source;
use tobira_session::report::{AssistantContext, SupportReport};
use tobira_session::session::SiteList;
use tobira_session::walkthroughs::GuideList;
use tobira_session::{doctor, Error, Session, StartupNotice};

use crate::args::{
    BookmarksCommand, Cli, Command, FormatArg, GuidesCommand, KindArg, LangArg, PolicyCommand,
    RegionArg, SecretsCommand, SitesCommand,
};
use crate::companion;
use crate::output::{fail, print_json, report, Output, EXIT_PROBLEMS};

pub fn run(args: Vec<OsString>) -> ExitCode {
    let wants_json = args.iter().any(|a| a == "--json");
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if wants_json => {
            let out = Output {
                json: true,
                language: tobira_session::os_language(),
            };
            return fail(out, Error::Usage(usage_problem(&e)));
        }
        Err(e) => e.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let chosen = cli.lang.map(Language::from);
    // Every verb works on the user's session; without one (unreadable
    // settings) the error is said in the OS's language, as the window does.
    let session = match Session::open_strict() {
        Ok(session) => session,
        Err(e) => {
            let language = chosen.unwrap_or_else(tobira_session::os_language);
            return fail(
                Output {
                    json: cli.json,
                    language,
                },
                e,
            );
        }
    };
    let out = Output {
        json: cli.json,
        language: chosen.unwrap_or_else(|| session.language()),
    };
    // `policy check FILE` is about another file: the installed policy's
    // problems would only mislead whoever is checking a new one.
    let about_installed_policy = !matches!(cli.command, Command::Policy(_));
    print_notices(out, &session, about_installed_policy);
    let session = &session;
    match cli.command {
        Command::Site { input } => report(out, session.check_site(&input), print_site),
        Command::Policy(PolicyCommand::Check { file }) => policy_check(out, session, &file),
        Command::Policy(PolicyCommand::Show) => policy_show(out, session),
        Command::Bookmarks(BookmarksCommand::List) => {
            report(out, bookmark_list(session), print_bookmarks)
        }
        Command::Bookmarks(BookmarksCommand::Add { input, name }) => report(
            out,
            add_bookmark(session, &input, name.as_deref()),
            print_bookmarks,
        ),
        Command::Bookmarks(BookmarksCommand::Remove { name }) => {
            report(out, remove_bookmark(session, &name), print_bookmarks)
        }
        Command::Bookmarks(BookmarksCommand::Export { format, output }) => {
            report(out, export(session, format.into(), output), print_exported)
        }
        Command::Sites(command) => report(out, sites(session, command), print_sites),
        Command::Open { target } => report(out, open(session, &target), |opened: &Opened, out| {
            println!("{}", out.say("cli.opened", &[("url", &opened.url)]))
        }),
        Command::Secrets(command) => report(out, secrets(out, session, command), print_secrets),
        Command::Doctor {
            site,
            base_url,
            timeout_ms,
            client_cert,
        } => run_doctor(
            out,
            session,
            site.as_deref(),
            base_url.as_deref(),
            timeout_ms,
            client_cert.as_deref(),
        ),
        Command::Troubleshoot {
            query,
            answers,
            region,
        } => report(
            out,
            session.troubleshoot_as(&query, &answers, chosen, region.map(Region::from)),
            print_outcome,
        ),
        Command::Flows => report(
            out,
            Ok(companion::FlowsJson::of(session, chosen)),
            companion::print_flows,
        ),
        Command::Companion(command) => companion::run(out, session, command),
        Command::Guides(GuidesCommand::Lint { dirs }) => guides_lint(out, session, &dirs),
        Command::Guides(GuidesCommand::List) => report(out, Ok(session.guide_list()), print_guides),
        Command::Report {
            checks,
            query,
            answers,
        } => report(
            out,
            support_report(session, checks, query.as_deref(), &answers),
            |r: &SupportReport, _| print!("{}", r.text()),
        ),
    }
}

fn print_outcome(found: &Outcome, out: Output) {
    if found.matches.is_empty() {
        println!("{}", out.say("cli.troubleshoot.noMatch", &[]));
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
            println!(
                "         {}",
                out.say("cli.troubleshoot.because", &[("reasons", &reasons)])
            );
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
    session: &Session,
    with_checks: bool,
    query: Option<&str>,
    answers: &[String],
) -> Result<SupportReport, Error> {
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

impl From<KindArg> for SecretKind {
    fn from(kind: KindArg) -> SecretKind {
        match kind {
            KindArg::BasicAuth => SecretKind::BasicAuth,
            KindArg::ClientCertPassword => SecretKind::ClientCertPassword,
        }
    }
}

/// `policy check`: 0 and the effective settings when FILE is good, 1 and
/// every problem (`path:line:col: message`) when not, 2 when unreadable.
fn policy_check(out: Output, session: &Session, file: &std::path::Path) -> ExitCode {
    let settings = session.settings();
    match policy::load(file) {
        Ok(None) => fail(
            out,
            Error::Policy(PolicyError::Unreadable {
                path: file.to_owned(),
                source: std::io::ErrorKind::NotFound.into(),
            }),
        ),
        Ok(Some(loaded)) => {
            let effective = EffectiveSettings::resolve(&loaded.policy, &settings);
            let problems: Vec<&PolicyProblem> = loaded.dropped().map(|(_, p)| p).collect();
            if out.json {
                print_json(
                    out,
                    &serde_json::json!({
                        "valid": problems.is_empty(),
                        "path": file,
                        "problems": problems,
                        "effective": effective,
                    }),
                );
            } else {
                for (path, p) in loaded.dropped() {
                    println!("{}", p.text(path));
                }
                let file = file.display();
                if problems.is_empty() {
                    println!("{}", out.say("cli.policy.valid", &[("file", &file)]));
                } else {
                    let count = problems.len();
                    println!(
                        "{}",
                        out.say("cli.policy.dropped", &[("file", &file), ("count", &count)])
                    );
                }
                print_effective(&effective, out);
            }
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_PROBLEMS)
            }
        }
        Err(e) => fail(out, e.into()),
    }
}

/// `policy show`: 0 when every value of the installed policy applies, 1
/// when something was dropped or could not be read.
fn policy_show(out: Output, session: &Session) -> ExitCode {
    let diagnosis = session.policy_diagnosis();
    if out.json {
        print_json(out, &diagnosis);
    } else {
        print_diagnosis(&diagnosis, out);
    }
    let clean = diagnosis.keys.iter().all(|k| k.problems.is_empty())
        && diagnosis.unknown_keys.is_empty()
        && diagnosis.other_problems.is_empty()
        && diagnosis.read.iter().all(|r| r.error.is_none());
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    }
}

/// `doctor`: 0 when every check passed, 1 when something is wrong, 2 on
/// bad input. Text mode prints each check as it ends.
fn run_doctor(
    out: Output,
    session: &Session,
    site: Option<&str>,
    base_url: Option<&str>,
    timeout_ms: u64,
    certificate: Option<&std::path::Path>,
) -> ExitCode {
    let budget = Duration::from_millis(timeout_ms);
    let (target, options) = match session.doctor_setup_for(site, base_url, budget, certificate) {
        Ok(prepared) => prepared,
        Err(e) => return fail(out, e),
    };
    if !out.json {
        println!(
            "{}",
            out.say("cli.doctor.checking", &[("url", &target.url)])
        );
    }
    let mut print = |check: &tobira_doctor::Check| {
        if !out.json {
            println!(
                "  {:<5} {:<12} {}",
                check.status.as_str(),
                check.id,
                check.in_language(out.language).detail()
            );
        }
    };
    let report = match doctor::run_blocking(&target, &options, &mut print) {
        Ok(report) => report.in_language(out.language),
        Err(e) => return fail(out, e),
    };
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == tobira_doctor::Status::Fail)
        .map(|c| c.id)
        .collect();
    let ms = report.elapsed_ms;
    if out.json {
        print_json(out, &report);
    } else if report.findings.is_empty() && failed.is_empty() {
        println!("{}", out.say("cli.doctor.noProblem", &[("ms", &ms)]));
    } else if report.findings.is_empty() {
        // Never "no problem" after a failed check.
        let checks = failed.join(", ");
        println!(
            "{}",
            out.say("cli.doctor.unexplained", &[("checks", &checks)])
        );
    } else {
        println!("{}", out.say("cli.doctor.likelyCauses", &[("ms", &ms)]));
        for finding in &report.findings {
            let args: [(&str, &dyn Display); 2] =
                [("cause", &finding.cause), ("guide", &finding.guide)];
            println!("  {}", out.say("cli.doctor.finding", &args));
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
fn guides_lint(out: Output, session: &Session, dirs: &[PathBuf]) -> ExitCode {
    let (search_path, allowed_hosts) = session.guide_sources();
    let sources = if dirs.is_empty() {
        search_path
    } else {
        let mut sources = Vec::new();
        for dir in dirs {
            if !dir.join("ja").is_dir() && !dir.join("en").is_dir() {
                return fail(out, Error::NotAGuideFolder(dir.clone()));
            }
            sources.push(Source::dir("dir", dir));
        }
        sources
    };
    let report = lint(&sources, &allowed_hosts);
    if out.json {
        print_json(out, &report);
    } else {
        for problem in &report.problems {
            println!("{problem}");
        }
        // `path:line:col: warning: …` as compilers write it, so editors
        // can jump to the line.
        for warning in &report.warnings {
            println!(
                "{}:{}:{}: warning: {}",
                warning.path, warning.line, warning.column, warning.message
            );
        }
        let warnings = match report.warnings.len() {
            0 => String::new(),
            count => out.say("cli.lint.warnings", &[("count", &count)]),
        };
        let files = report.files;
        let summary = match report.problems.len() {
            0 => out.say(
                "cli.lint.clean",
                &[("files", &files), ("warnings", &warnings)],
            ),
            count => out.say(
                "cli.lint.problems",
                &[
                    ("count", &count),
                    ("files", &files),
                    ("warnings", &warnings),
                ],
            ),
        };
        eprintln!("{summary}");
    }
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    }
}

fn print_guides(list: &GuideList, out: Output) {
    for (language, guides) in [("ja", &list.ja), ("en", &list.en)] {
        for (heading, entries) in [
            ("cli.guides.flows", &guides.flows),
            ("cli.guides.causes", &guides.causes),
            ("cli.guides.assistant", &guides.assistant),
        ] {
            if entries.is_empty() {
                continue;
            }
            println!("{}", out.say(heading, &[("language", &language)]));
            for entry in entries {
                println!("  {:<24} {}  [{}]", entry.id, entry.title, entry.source);
            }
        }
    }
    for problem in &list.problems {
        warn(
            out,
            &out.say("cli.guides.notLoaded", &[("problem", problem)]),
        );
    }
}

#[derive(Serialize)]
struct BookmarkList {
    bookmarks: Vec<ResolvedBookmark>,
}

fn bookmark_list(session: &Session) -> Result<BookmarkList, Error> {
    Ok(BookmarkList {
        bookmarks: session.bookmarks()?,
    })
}

fn add_bookmark(session: &Session, input: &str, name: Option<&str>) -> Result<BookmarkList, Error> {
    Ok(BookmarkList {
        bookmarks: session.add_bookmark(input, name)?.bookmarks,
    })
}

fn remove_bookmark(session: &Session, name: &str) -> Result<BookmarkList, Error> {
    Ok(BookmarkList {
        bookmarks: session.remove_bookmark_named(name)?.bookmarks,
    })
}

fn sites(session: &Session, command: SitesCommand) -> Result<SiteList, Error> {
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

fn print_sites(list: &SiteList, out: Output) {
    match &list.own {
        Some(site) => println!("{}", out.say("cli.sites.own", &[("host", &site.host())])),
        None => println!("{}", out.say("cli.sites.ownNone", &[])),
    }
    for site in &list.guest {
        println!("{}", out.say("cli.sites.guest", &[("host", &site.host())]));
    }
    if !list.guest_sites_allowed {
        println!("{}", out.say("cli.sites.guestNotAllowed", &[]));
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

fn export(
    session: &Session,
    format: ExportFormat,
    output: Option<PathBuf>,
) -> Result<Exported, Error> {
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

fn open(session: &Session, target: &str) -> Result<Opened, Error> {
    let url = session.bookmark_url(target)?;
    open::that(&url).map_err(Error::Opener)?;
    Ok(Opened { url })
}

fn secrets(
    out: Output,
    session: &Session,
    command: SecretsCommand,
) -> Result<SecretsStatus, Error> {
    match command {
        SecretsCommand::Status => session.secrets_status(),
        SecretsCommand::Set { kind, user } => {
            // The site first: no password is asked for without one.
            session.secrets_status()?;
            match (SecretKind::from(kind), user) {
                (SecretKind::BasicAuth, Some(user)) => {
                    session.store_basic_auth(&user, &read_password(out)?)
                }
                (SecretKind::BasicAuth, None) => {
                    Err(Error::Usage("basic-auth needs --user NAME".into()))
                }
                (_, _) => session.store_client_cert_password(&read_password(out)?),
            }
        }
        SecretsCommand::Delete { kind } => session.delete_secret(kind.into()),
    }
}

/// The password from standard input: asked for without echo on a terminal,
/// else the first line (so scripts can pipe it; never an argument, which
/// other users could see in the process list).
fn read_password(out: Output) -> Result<String, Error> {
    use std::io::{BufRead, IsTerminal};
    let line = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(out.say("cli.secrets.passwordPrompt", &[]))
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

/// Tells the user on stderr (never stdout, which scripts parse) what went
/// wrong while reading their files.
fn print_notices(out: Output, session: &Session, about_installed_policy: bool) {
    let is_policy = |notice: &&StartupNotice| {
        matches!(
            notice,
            StartupNotice::PolicyProblems { .. }
                | StartupNotice::PolicyUnreadable { .. }
                | StartupNotice::PolicyWritable { .. }
        )
    };
    let notices = session.notices();
    let shown = notices
        .iter()
        .filter(|n| about_installed_policy || !is_policy(n));
    for notice in shown {
        if let Some(warning) = notice_text(out, notice) {
            warn(out, &warning);
        }
    }
}

fn notice_text(out: Output, notice: &StartupNotice) -> Option<String> {
    Some(match notice {
        StartupNotice::SettingsRecovered(recovery) => out.say(
            if recovery.restored_backup {
                "cli.notice.settingsRestored"
            } else {
                "cli.notice.settingsDefaults"
            },
            &[
                ("problem", &recovery.problem),
                ("path", &recovery.moved_to.display()),
            ],
        ),
        StartupNotice::ProgressRecovered(recovery) => out.say(
            "cli.notice.progressRecovered",
            &[
                ("problem", &recovery.problem),
                ("path", &recovery.moved_to.display()),
            ],
        ),
        StartupNotice::BookmarksDropped { bookmarks, .. } => bookmarks
            .iter()
            .map(|b| {
                out.say(
                    "cli.notice.bookmarkDropped",
                    &[
                        ("name", &format!("{:?}", b.name)),
                        ("path", &format!("{:?}", b.path)),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        StartupNotice::PolicyProblems { message, .. } => {
            out.say("cli.notice.policyProblems", &[("message", message)])
        }
        StartupNotice::PolicyUnreadable { message, .. } => message.clone(),
        StartupNotice::PolicyWritable { path } => {
            out.say("cli.notice.policyWritable", &[("path", &path.display())])
        }
        // open_strict has refused these already.
        StartupNotice::SettingsUnavailable { .. } => return None,
    })
}

fn warn(out: Output, message: &str) {
    eprintln!("{}", out.say("cli.warning", &[("message", &message)]));
}

fn print_site(site: &SiteAddress, out: Output) {
    let region = site.region();
    println!("{}", site.host());
    let lines = [
        out.say(
            "cli.site.region",
            &[("region", &region), ("domain", &region.domain())],
        ),
        out.say(
            if site.secure_access() {
                "cli.site.secure"
            } else {
                "cli.site.standard"
            },
            &[],
        ),
        out.say("cli.site.login", &[("url", &site.login_url())]),
        out.say("cli.site.portal", &[("url", &site.portal_url())]),
    ];
    for line in lines {
        println!("  {line}");
    }
}

fn print_effective(effective: &EffectiveSettings, out: Output) {
    let value = serde_json::to_value(effective).unwrap_or_default();
    if let Some(map) = value.as_object() {
        for (key, setting) in map {
            let shown = shown_value(&setting["value"], out);
            println!(
                "  {key:<15} {shown}  [{}]",
                setting["source"].as_str().unwrap_or("?")
            );
        }
    }
}

/// A setting's value on one line (a site by its host).
fn shown_value(value: &serde_json::Value, out: Output) -> String {
    match value {
        serde_json::Value::Null => out.say("cli.policy.notSet", &[]),
        serde_json::Value::Object(site) if site.contains_key("host") => site["host"].to_string(),
        other => other.to_string(),
    }
}

/// One line per key (`key value [source: store] status`), its problems
/// and overridden values below it; then unknown keys and the stores read.
fn print_diagnosis(diagnosis: &Diagnosis, out: Output) {
    for key in &diagnosis.keys {
        let source = match &key.store {
            Some(store) => format!("{}: {store}", key.source.as_str()),
            None => key.source.as_str().to_owned(),
        };
        let value = shown_value(&key.value, out);
        println!(
            "{:<17} {value}  [{source}]  {}",
            key.key,
            key.status.as_str()
        );
        for problem in &key.problems {
            println!("    {problem}");
        }
        for overridden in &key.overridden {
            let source = overridden.source.as_str();
            let store = &overridden.store;
            let line = out.say(
                "cli.policy.overridden",
                &[("source", &source), ("store", store)],
            );
            println!("    {line}");
        }
    }
    for problem in diagnosis
        .unknown_keys
        .iter()
        .map(|u| &u.problem)
        .chain(&diagnosis.other_problems)
    {
        println!("{problem}");
    }
    for read in &diagnosis.read {
        let key = if read.found {
            "cli.policy.storeRead"
        } else {
            "cli.policy.storeMissing"
        };
        println!("{}", out.say(key, &[("store", &read.store)]));
        if let Some(error) = &read.error {
            println!("    {error}");
        }
    }
}

fn print_bookmarks(list: &BookmarkList, _: Output) {
    for b in &list.bookmarks {
        println!("{:<28} {}  [{}]", b.name, b.url, b.origin.as_str());
    }
}

fn print_exported(exported: &Exported, out: Output) {
    match (&exported.path, &exported.contents) {
        (Some(path), _) => println!("{}", out.say("cli.exported", &[("path", &path.display())])),
        (None, Some(contents)) => print!("{contents}"),
        (None, None) => {}
    }
}

fn print_secrets(status: &SecretsStatus, out: Output) {
    if let Some(problem) = &status.keyring_problem {
        println!(
            "{}",
            out.say("cli.secrets.keyringUnavailable", &[("problem", problem)])
        );
        return;
    }
    println!("{}", out.say("cli.secrets.keyringAvailable", &[]));
    match &status.basic_auth_user {
        Some(user) => println!(
            "{}",
            out.say("cli.secrets.basicAuthStored", &[("user", user)])
        ),
        None => println!("{}", out.say("cli.secrets.basicAuthNotStored", &[])),
    }
    let password = if status.client_cert_password_stored {
        "cli.secrets.certPasswordStored"
    } else {
        "cli.secrets.certPasswordNotStored"
    };
    println!("{}", out.say(password, &[]));
}
