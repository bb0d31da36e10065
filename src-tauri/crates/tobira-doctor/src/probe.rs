//! The checks, in order, each with its own time limit inside one total
//! budget: DNS, TCP, TLS, the client certificate, `GET /`, `GET /k/`, the
//! server's clock. Redirects are judged before they are followed (at most
//! five), bodies are read up to a cap, and every loop is bounded.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use tokio::time::timeout_at;
use url::Url;

use crate::classify::{self, Redirect};
use crate::client_cert::ClientCertificate;
use crate::proxy;
use crate::report::{Check, Report, Status};
use crate::target::Target;

/// The whole run's default budget.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(5);
const LOOKUP_LIMIT: Duration = Duration::from_millis(1500);
const CONNECT_LIMIT: Duration = Duration::from_millis(1500);
const REQUEST_LIMIT: Duration = Duration::from_millis(2500);
/// Enough for any login page; larger bodies are cut.
pub const BODY_CAP: usize = 256 * 1024;
const MAX_REDIRECTS: usize = 5;
/// Beyond this the server's clock is "wrong" for six-digit codes.
const CLOCK_TOLERANCE: Duration = Duration::from_secs(60);

/// What the doctor may use besides the target.
#[derive(Clone)]
pub struct Options {
    pub budget: Duration,
    /// Basic-authentication user and password from the keyring.
    pub basic_auth: Option<(String, String)>,
    pub client_certificate: Option<ClientCertificate>,
}

impl std::fmt::Debug for Options {
    // Never print the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("budget", &self.budget)
            .field(
                "basic_auth_user",
                &self.basic_auth.as_ref().map(|(user, _)| user),
            )
            .field("client_certificate", &self.client_certificate)
            .finish()
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            budget: DEFAULT_BUDGET,
            basic_auth: None,
            client_certificate: None,
        }
    }
}

/// One answer, as far as it was read.
struct Answer {
    status: u16,
    www_authenticate: Option<String>,
    body: String,
    truncated: bool,
    date: Option<SystemTime>,
    url: Url,
}

/// How a request ended.
enum Fetched {
    Answer(Answer),
    /// Where a redirect leads that is not followed, and the server's time.
    Redirected(Redirect, Option<SystemTime>),
    Failed(Failure),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    Tls(String),
    Transport(String),
    /// No answer within this long.
    Timeout(Duration),
    NotHttp(String),
    Loop(String),
    TooManyRedirects,
}

impl Failure {
    fn detail(&self) -> String {
        match self {
            Failure::Tls(e) => format!("the secure connection failed: {e}"),
            Failure::Transport(e) => format!("the connection failed: {e}"),
            Failure::Timeout(limit) => format!("no answer within {} ms; the server or the network is too slow, or something in between drops the connection", limit.as_millis()),
            Failure::NotHttp(e) => format!("the server did not answer with HTTP ({e}); something else listens at this address"),
            Failure::Loop(path) => format!("the site redirects in a loop ({path}); clear the browser's cookies for it, or ask your administrator"),
            Failure::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects; Tobira stopped following them"),
        }
    }
}

struct Run<'a> {
    report: Report,
    on_check: &'a mut (dyn FnMut(&Check) + Send + Sync),
    deadline: Instant,
}

impl Run<'_> {
    fn push(&mut self, check: Check) {
        (self.on_check)(&check);
        self.report.checks.push(check);
    }

    /// The limit for the next step: its own, or what is left of the budget.
    fn limit(&self, own: Duration) -> (tokio::time::Instant, Duration) {
        let left = self.deadline.saturating_duration_since(Instant::now());
        let limit = own.min(left);
        (tokio::time::Instant::now() + limit, limit)
    }

    fn skip(&mut self, ids: &[&'static str], why: &str) {
        for id in ids {
            self.push(Check::new(id, Status::Skip, why));
        }
    }
}

/// Runs every check against `target`, calling `on_check` as each one ends
/// (the window shows them live). Never panics on what the network does and
/// returns within the budget (plus the time to give up a lookup).
pub async fn diagnose(
    target: &Target,
    options: &Options,
    on_check: &mut (dyn FnMut(&Check) + Send + Sync),
) -> Report {
    // Several diagnoses in one process share the provider; a second install fails harmlessly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let started = Instant::now();
    let mut run = Run {
        report: Report {
            target: target.url.to_string(),
            ..Report::default()
        },
        on_check,
        deadline: started + options.budget,
    };
    checks(&mut run, target, options).await;
    run.report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    run.report
}

async fn checks(run: &mut Run<'_>, target: &Target, options: &Options) {
    const AFTER_CONNECT: [&str; 4] = ["tls", "http-root", "http-portal", "clock"];
    let proxy = proxy::for_url(&target.url);
    let (host, port) = match &proxy {
        Some(proxy) => {
            run.push(Check::new("proxy", Status::Pass, format!("connections go through the proxy {proxy} (from HTTPS_PROXY/HTTP_PROXY); if the checks below fail, the proxy may be in the way")));
            (
                proxy.host_str().unwrap_or_default().to_owned(),
                proxy.port_or_known_default().unwrap_or(80),
            )
        }
        None => (target.host.clone(), target.port),
    };
    let what = if proxy.is_some() {
        "the proxy"
    } else {
        "the site"
    };

    // DNS
    let addresses = match lookup(run, &host, port).await {
        Ok(addresses) => addresses,
        Err(detail) => {
            run.push(Check::new("dns", Status::Fail, detail));
            if proxy.is_none() {
                run.report.find("wrong-url");
            }
            run.skip(&["tcp"], "skipped: the name did not resolve");
            run.skip(&AFTER_CONNECT, "skipped: the name did not resolve");
            return;
        }
    };

    // TCP
    let connected = match connect(run, &addresses).await {
        Ok(address) => {
            run.push(Check::new(
                "tcp",
                Status::Pass,
                format!("{what} accepts connections at {address}"),
            ));
            address
        }
        Err(detail) => {
            run.push(Check::new(
                "tcp",
                Status::Fail,
                format!("{what} at {host}:{port}: {detail}"),
            ));
            run.skip(&AFTER_CONNECT, "skipped: no connection");
            return;
        }
    };

    let client = match client(target, options, proxy.is_none().then_some(connected)) {
        Ok(client) => client,
        Err(detail) => {
            run.push(Check::new("tls", Status::Fail, detail));
            run.skip(
                &["http-root", "http-portal", "clock"],
                "skipped: no HTTP client",
            );
            return;
        }
    };

    // GET / (the first request also settles TLS)
    let root = fetch(run, &client, target.page("/"), None).await;
    if target.is_tls() {
        match &root {
            Fetched::Failed(Failure::Tls(e)) => {
                run.push(Check::new("tls", Status::Fail, format!("the certificate or the secure connection of {} is not valid: {e}; a company proxy that inspects traffic can cause this", target.host)));
                run.skip(
                    &["http-root", "http-portal", "clock"],
                    "skipped: no secure connection",
                );
                return;
            }
            Fetched::Failed(Failure::Timeout(_)) | Fetched::Failed(Failure::Transport(_)) => {
                run.push(Check::new(
                    "tls",
                    Status::Skip,
                    "not known: the connection ended before the handshake was confirmed",
                ));
            }
            _ => run.push(Check::new(
                "tls",
                Status::Pass,
                "the certificate is valid and the connection is encrypted",
            )),
        }
    } else {
        run.push(Check::new(
            "tls",
            Status::Skip,
            "plain http to this computer (testing only)",
        ));
    }

    if let Some(certificate) = &options.client_certificate {
        let (check, cause) = certificate.check(SystemTime::now());
        run.push(check);
        if let Some(cause) = cause {
            run.report.find(cause);
        }
    }

    let mut date = None;
    let mut credentials: Option<&(String, String)> = None;
    let root_ok = judge(run, "http-root", &root, options, &mut date);
    if root_ok == Judged::AsksForBasicAuth {
        credentials = basic_auth(run, &client, target, options, &mut date).await;
    }
    if root_ok == Judged::Unreachable {
        run.skip(&["http-portal"], "skipped: the site did not answer");
    } else {
        let portal = fetch(run, &client, target.page("/k/"), credentials).await;
        judge(run, "http-portal", &portal, options, &mut date);
    }
    clock(run, date);
}

/// Resolves `host` (an IP address needs no lookup).
async fn lookup(run: &mut Run<'_>, host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        run.push(Check::new(
            "dns",
            Status::Pass,
            format!("{ip} is an IP address; no lookup needed"),
        ));
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (until, limit) = run.limit(LOOKUP_LIMIT);
    match timeout_at(until, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(found)) => {
            let addresses: Vec<SocketAddr> = found.take(8).collect();
            if addresses.is_empty() {
                return Err(format!("{host} has no address; check the spelling of the subdomain"));
            }
            let shown: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
            run.push(Check::new("dns", Status::Pass, format!("{host} is {}", shown.join(", "))));
            Ok(addresses)
        }
        Ok(Err(_)) => Err(format!("the name {host} does not exist or could not be looked up; check the spelling of the subdomain and the network")),
        Err(_) => Err(format!("no DNS answer for {host} within {} ms", limit.as_millis())),
    }
}

/// Connects to the first address that answers, within the limit.
async fn connect(run: &Run<'_>, addresses: &[SocketAddr]) -> Result<SocketAddr, String> {
    let (until, limit) = run.limit(CONNECT_LIMIT);
    let mut last = String::from("no address to connect to");
    for address in addresses {
        match timeout_at(until, tokio::net::TcpStream::connect(address)).await {
            Ok(Ok(_)) => return Ok(*address),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = "the connection was refused: nothing answers on that port (a wrong address, or a firewall)".into();
            }
            Ok(Err(e)) => last = e.to_string(),
            Err(_) => {
                return Err(format!(
                    "no connection within {} ms; a firewall may drop it",
                    limit.as_millis()
                ))
            }
        }
    }
    Err(last)
}

fn client(
    target: &Target,
    options: &Options,
    direct: Option<SocketAddr>,
) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "Tobira/",
            env!("CARGO_PKG_VERSION"),
            " (login check)"
        ))
        .connect_timeout(CONNECT_LIMIT);
    if let Some(address) = direct {
        // Use the address the DNS check found instead of looking it up again.
        builder = builder.resolve(&target.host, address);
    }
    if let Some(certificate) = &options.client_certificate {
        builder = builder.identity(certificate.identity()?);
    }
    builder
        .build()
        .map_err(|e| format!("the HTTP client could not start: {e}"))
}

/// One GET with redirects judged and followed (bounded), the body read up
/// to the cap, everything within the step's limit.
async fn fetch(
    run: &Run<'_>,
    client: &reqwest::Client,
    url: Url,
    credentials: Option<&(String, String)>,
) -> Fetched {
    let (until, limit) = run.limit(REQUEST_LIMIT);
    match timeout_at(until, follow(client, url, credentials)).await {
        Ok(fetched) => fetched,
        Err(_) => Fetched::Failed(Failure::Timeout(limit)),
    }
}

async fn follow(
    client: &reqwest::Client,
    mut url: Url,
    credentials: Option<&(String, String)>,
) -> Fetched {
    let mut seen = HashSet::new();
    let mut trail = vec![url.path().to_owned()];
    for _ in 0..=MAX_REDIRECTS {
        seen.insert(url.clone());
        let mut request = client.get(url.clone());
        if let Some((user, password)) = credentials {
            request = request.basic_auth(user, Some(password));
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return Fetched::Failed(failure(&e)),
        };
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            match classify::redirect(&url, &location) {
                Redirect::Follow(next) => {
                    trail.push(next.path().to_owned());
                    if seen.contains(&next) {
                        return Fetched::Failed(Failure::Loop(trail.join(" → ")));
                    }
                    url = next;
                    continue;
                }
                other => return Fetched::Redirected(other, server_date(&response)),
            }
        }
        return read(response, url).await;
    }
    Fetched::Failed(Failure::TooManyRedirects)
}

async fn read(mut response: reqwest::Response, url: Url) -> Fetched {
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let status = response.status().as_u16();
    let www_authenticate = header(reqwest::header::WWW_AUTHENTICATE);
    let date = server_date(&response);
    let mut body = Vec::new();
    let mut truncated = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = BODY_CAP - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if chunk.len() >= room {
                    truncated = true;
                    break;
                }
            }
            Ok(None) => break,
            // A body cut short still tells what the page was.
            Err(_) if !body.is_empty() => break,
            Err(e) => return Fetched::Failed(failure(&e)),
        }
    }
    Fetched::Answer(Answer {
        status,
        www_authenticate,
        body: String::from_utf8_lossy(&body).into_owned(),
        truncated,
        date,
        url,
    })
}

/// The server's clock, from its `Date` header.
fn server_date(response: &reqwest::Response) -> Option<SystemTime> {
    let date = response
        .headers()
        .get(reqwest::header::DATE)?
        .to_str()
        .ok()?;
    httpdate::parse_http_date(date).ok()
}

/// Sorts a client error into what the user can act on.
fn failure(error: &reqwest::Error) -> Failure {
    let chain = {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    };
    let lower = chain.to_lowercase();
    if error.is_timeout() {
        // The client's own timeout is not set; the step's limit ends it first.
        Failure::Timeout(REQUEST_LIMIT)
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        Failure::Tls(last_part(&chain))
    } else if lower.contains("invalid http")
        || lower.contains("parse")
        || lower.contains("invalid status")
        || lower.contains("header")
    {
        Failure::NotHttp(last_part(&chain))
    } else {
        Failure::Transport(last_part(&chain))
    }
}

/// The innermost message, which names the actual problem.
fn last_part(chain: &str) -> String {
    chain.rsplit(": ").next().unwrap_or(chain).to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Judged {
    Fine,
    AsksForBasicAuth,
    /// Did not answer at all (no point asking for /k/).
    Unreachable,
    Problem,
}

/// Turns a fetched page into a check and findings.
fn judge(
    run: &mut Run<'_>,
    id: &'static str,
    fetched: &Fetched,
    options: &Options,
    date: &mut Option<SystemTime>,
) -> Judged {
    match fetched {
        Fetched::Failed(failure) => {
            run.push(Check::new(id, Status::Fail, failure.detail()));
            if matches!(failure, Failure::Loop(_)) {
                run.report.find("browser-cookies");
                return Judged::Problem;
            }
            Judged::Unreachable
        }
        Fetched::Redirected(_, Some(server)) if date.is_none() => {
            *date = Some(*server);
            judge(run, id, fetched, options, date)
        }
        Fetched::Redirected(Redirect::SecureAccess(to), _) => {
            let host = to.host_str().unwrap_or_default();
            if options.client_certificate.is_some() {
                run.push(Check::new(
                    id,
                    Status::Pass,
                    format!(
                        "the site uses secure access ({host}); your client certificate is set up"
                    ),
                ));
                Judged::Fine
            } else {
                run.push(Check::new(id, Status::Warn, format!("the site sends you to its secure-access address {host}: a client certificate must be installed in the browser")));
                run.report.find("client-cert-required");
                Judged::Problem
            }
        }
        Fetched::Redirected(Redirect::IdentityProvider(to), _) => {
            let host = to.host_str().unwrap_or_default();
            run.push(Check::new(id, Status::Warn, format!("sign-in happens at {host}, your organisation's own sign-in page (SAML / single sign-on); use the account your IT department gave you")));
            run.report.find("sso-enabled");
            Judged::Problem
        }
        Fetched::Redirected(other, _) => {
            let to = match other {
                Redirect::Refused(to) => to.clone(),
                Redirect::Follow(to)
                | Redirect::SecureAccess(to)
                | Redirect::IdentityProvider(to) => to.to_string(),
            };
            run.push(Check::new(
                id,
                Status::Fail,
                format!("the site redirects to {to}, which Tobira does not follow"),
            ));
            Judged::Problem
        }
        Fetched::Answer(answer) => {
            if date.is_none() {
                *date = answer.date;
            }
            let path = answer.url.path();
            match classify::answer(
                answer.status,
                answer.www_authenticate.as_deref(),
                &answer.body,
            ) {
                Some(found) if found.cause == "basic-auth" => {
                    run.push(Check::new(
                        id,
                        Status::Warn,
                        format!("{path}: {}", found.detail),
                    ));
                    Judged::AsksForBasicAuth
                }
                Some(found) => {
                    let status = if found.cause == "maintenance" {
                        Status::Warn
                    } else {
                        Status::Fail
                    };
                    run.push(Check::new(id, status, format!("{path}: {}", found.detail)));
                    run.report.find(found.cause);
                    Judged::Problem
                }
                None if (200..300).contains(&answer.status) && answer.truncated => {
                    run.push(Check::new(id, Status::Warn, format!("{path}: HTTP {}, but the page is larger than {} KiB; only its start was read", answer.status, BODY_CAP / 1024)));
                    Judged::Fine
                }
                None if (200..300).contains(&answer.status) => {
                    run.push(Check::new(
                        id,
                        Status::Pass,
                        format!("{path}: HTTP {}, the page answered", answer.status),
                    ));
                    Judged::Fine
                }
                None => {
                    run.push(Check::new(
                        id,
                        Status::Fail,
                        format!("{path}: the server answered HTTP {}", answer.status),
                    ));
                    Judged::Problem
                }
            }
        }
    }
}

/// The site wants Basic authentication: try the stored credentials.
async fn basic_auth<'o>(
    run: &mut Run<'_>,
    client: &reqwest::Client,
    target: &Target,
    options: &'o Options,
    date: &mut Option<SystemTime>,
) -> Option<&'o (String, String)> {
    let Some(credentials) = &options.basic_auth else {
        run.push(Check::new("basic-auth", Status::Fail, "no Basic-authentication user name and password are stored; ask your administrator for them and store them in Settings (or `tobira secrets set basic-auth`)"));
        run.report.find("basic-auth");
        return None;
    };
    match fetch(run, client, target.page("/"), Some(credentials)).await {
        Fetched::Answer(answer) if answer.status == 401 => {
            run.push(Check::new("basic-auth", Status::Fail, format!("the stored user name and password for {} were refused; ask your administrator for the current ones", target.host)));
            run.report.find("basic-auth");
            None
        }
        Fetched::Answer(answer) => {
            if let Some(server) = answer.date {
                date.get_or_insert(server);
            }
            run.push(Check::new(
                "basic-auth",
                Status::Pass,
                format!("the stored user name \"{}\" was accepted", credentials.0),
            ));
            Some(credentials)
        }
        other => {
            judge(run, "basic-auth", &other, options, date);
            None
        }
    }
}

/// Six-digit codes depend on the clock: compare with the server's `Date`.
fn clock(run: &mut Run<'_>, server: Option<SystemTime>) {
    let Some(server) = server else {
        run.push(Check::new(
            "clock",
            Status::Skip,
            "the site sent no time to compare with",
        ));
        return;
    };
    let now = SystemTime::now();
    let (skew, behind) = match now.duration_since(server) {
        Ok(ahead) => (ahead, false),
        Err(e) => (e.duration(), true),
    };
    if skew > CLOCK_TOLERANCE {
        let direction = if behind { "behind" } else { "ahead of" };
        run.push(Check::new(
            "clock",
            Status::Warn,
            format!("this computer's clock is {} s {direction} the site's; codes from an authenticator app will be refused — set the date and time to update automatically", skew.as_secs()),
        ));
        run.report.find("clock-skew");
    } else {
        run.push(Check::new(
            "clock",
            Status::Pass,
            format!(
                "this computer's clock agrees with the site's (within {} s)",
                skew.as_secs()
            ),
        ));
    }
}
