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
use crate::detail::{Detail, Via};
use crate::proxy;
use crate::report::{Check, Report, Status};
use crate::target::Target;
use tobira_core::redact;

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
    fn detail(&self) -> Detail {
        match self {
            Failure::Tls(e) => Detail::SecureConnectionFailed { error: e.clone() },
            Failure::Transport(e) => Detail::ConnectionFailed { error: e.clone() },
            Failure::Timeout(limit) => Detail::NoAnswerWithin {
                ms: limit.as_millis(),
            },
            Failure::NotHttp(e) => Detail::NotHttp { error: e.clone() },
            Failure::Loop(trail) => Detail::RedirectLoop {
                trail: trail.clone(),
            },
            Failure::TooManyRedirects => Detail::TooManyRedirects { max: MAX_REDIRECTS },
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

    fn skip(&mut self, ids: &[&'static str], why: Detail) {
        for id in ids {
            self.push(Check::new(id, Status::Skip, why.clone()));
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
            target: redact::url(&target.url),
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
            run.push(Check::new(
                "proxy",
                Status::Pass,
                Detail::ProxyUsed {
                    proxy: redact::url(proxy),
                },
            ));
            (
                proxy.host_str().unwrap_or_default().to_owned(),
                proxy.port_or_known_default().unwrap_or(80),
            )
        }
        None => (target.host.clone(), target.port),
    };
    let via = if proxy.is_some() {
        Via::Proxy
    } else {
        Via::Site
    };

    // DNS
    let addresses = match lookup(run, &host, port).await {
        Ok(addresses) => addresses,
        Err(detail) => {
            run.push(Check::new("dns", Status::Fail, detail));
            if proxy.is_none() {
                // An offline PC cannot look up any name: then the address
                // is not to blame.
                let works = network_works(run, target).await;
                run.report.find(if works {
                    "wrong-url"
                } else {
                    "network-offline"
                });
            }
            run.skip(&["tcp"], Detail::SkippedNoName);
            run.skip(&AFTER_CONNECT, Detail::SkippedNoName);
            return;
        }
    };

    // TCP
    let connected = match connect(run, &addresses, via, &format!("{host}:{port}")).await {
        Ok(address) => {
            run.push(Check::new(
                "tcp",
                Status::Pass,
                Detail::Accepts {
                    via,
                    address: address.to_string(),
                },
            ));
            address
        }
        Err(detail) => {
            if matches!(detail, Detail::NoRoute { .. }) {
                run.report.find("network-offline");
            }
            run.push(Check::new("tcp", Status::Fail, detail));
            run.skip(&AFTER_CONNECT, Detail::SkippedNoConnection);
            return;
        }
    };

    let client = match client(target, options, proxy.is_none().then_some(connected)) {
        Ok(client) => client,
        Err(detail) => {
            run.push(Check::new("tls", Status::Fail, detail));
            run.skip(
                &["http-root", "http-portal", "clock"],
                Detail::SkippedNoClient,
            );
            return;
        }
    };

    // GET / (the first request also settles TLS)
    let root = fetch(run, &client, target.page("/"), None).await;
    if target.is_tls() {
        match &root {
            Fetched::Failed(Failure::Tls(e)) => {
                run.push(Check::new(
                    "tls",
                    Status::Fail,
                    Detail::CertificateInvalid {
                        host: target.host.clone(),
                        error: e.clone(),
                    },
                ));
                run.skip(
                    &["http-root", "http-portal", "clock"],
                    Detail::SkippedNoSecureConnection,
                );
                return;
            }
            Fetched::Failed(Failure::Timeout(_)) | Fetched::Failed(Failure::Transport(_)) => {
                run.push(Check::new("tls", Status::Skip, Detail::HandshakeUnknown));
            }
            _ => run.push(Check::new("tls", Status::Pass, Detail::Encrypted)),
        }
    } else {
        run.push(Check::new("tls", Status::Skip, Detail::PlainLocal));
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
        run.skip(&["http-portal"], Detail::SkippedNoAnswer);
    } else {
        let portal = fetch(run, &client, target.page("/k/"), credentials).await;
        judge(run, "http-portal", &portal, options, &mut date);
    }
    clock(run, date);
}

/// A name that always exists: the help site of the site's region.
fn control_host(target: &Target) -> &'static str {
    if target.host.ends_with(".kintone.com") {
        "get.kintone.help"
    } else if target.host.ends_with(".cybozu.cn") {
        "help.cybozu.cn"
    } else {
        "jp.cybozu.help"
    }
}

/// Whether names can be looked up at all (the `network` check).
async fn network_works(run: &mut Run<'_>, target: &Target) -> bool {
    let host = control_host(target);
    let (until, _) = run.limit(LOOKUP_LIMIT);
    let works = match timeout_at(until, tokio::net::lookup_host((host, 443))).await {
        Ok(Ok(mut addresses)) => addresses.next().is_some(),
        _ => false,
    };
    let control = host.to_owned();
    run.push(if works {
        Check::new("network", Status::Pass, Detail::NetworkWorks { control })
    } else {
        Check::new("network", Status::Fail, Detail::NoNetwork { control })
    });
    works
}

/// Resolves `host` (an IP address needs no lookup).
async fn lookup(run: &mut Run<'_>, host: &str, port: u16) -> Result<Vec<SocketAddr>, Detail> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        run.push(Check::new(
            "dns",
            Status::Pass,
            Detail::IpAddress { ip: ip.to_string() },
        ));
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (until, limit) = run.limit(LOOKUP_LIMIT);
    let found = timeout_at(until, tokio::net::lookup_host((host, port))).await;
    let host = host.to_owned();
    match found {
        Ok(Ok(found)) => {
            let addresses: Vec<SocketAddr> = found.take(8).collect();
            if addresses.is_empty() {
                return Err(Detail::NoAddress { host });
            }
            let shown: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
            run.push(Check::new(
                "dns",
                Status::Pass,
                Detail::Resolved {
                    host,
                    addresses: shown.join(", "),
                },
            ));
            Ok(addresses)
        }
        Ok(Err(_)) => Err(Detail::NameUnknown { host }),
        Err(_) => Err(Detail::NoDnsAnswer {
            host,
            ms: limit.as_millis(),
        }),
    }
}

/// Connects to the first address that answers, within the limit.
/// `endpoint` (host:port) names what was tried in the detail.
async fn connect(
    run: &Run<'_>,
    addresses: &[SocketAddr],
    via: Via,
    endpoint: &str,
) -> Result<SocketAddr, Detail> {
    let (until, limit) = run.limit(CONNECT_LIMIT);
    let endpoint = endpoint.to_owned();
    // The lookup never returns an empty list, but stay total.
    let mut last = Detail::ConnectionError {
        via,
        endpoint: endpoint.clone(),
        error: "no address to connect to".into(),
    };
    for address in addresses {
        match timeout_at(until, tokio::net::TcpStream::connect(address)).await {
            Ok(Ok(_)) => return Ok(*address),
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NetworkUnreachable | std::io::ErrorKind::HostUnreachable
                ) =>
            {
                return Err(Detail::NoRoute {
                    via,
                    endpoint: endpoint.clone(),
                });
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = Detail::Refused {
                    via,
                    endpoint: endpoint.clone(),
                };
            }
            Ok(Err(e)) => {
                last = Detail::ConnectionError {
                    via,
                    endpoint: endpoint.clone(),
                    error: e.to_string(),
                }
            }
            Err(_) => {
                return Err(Detail::NoConnectionWithin {
                    via,
                    endpoint,
                    ms: limit.as_millis(),
                })
            }
        }
    }
    Err(last)
}

fn client(
    target: &Target,
    options: &Options,
    direct: Option<SocketAddr>,
) -> Result<reqwest::Client, Detail> {
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
        let identity = certificate
            .identity()
            .map_err(|error| Detail::ClientFailed { error })?;
        builder = builder.identity(identity);
    }
    builder.build().map_err(|e| Detail::ClientFailed {
        error: e.to_string(),
    })
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
    // The stored credentials are for the site: never sent to another
    // scheme, host or port, even one of the service's own domains.
    let site = url.origin();
    for _ in 0..=MAX_REDIRECTS {
        seen.insert(url.clone());
        let mut request = client.get(url.clone());
        if let Some((user, password)) = credentials.filter(|_| url.origin() == site) {
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
            let host = to.host_str().unwrap_or_default().to_owned();
            if options.client_certificate.is_some() {
                run.push(Check::new(
                    id,
                    Status::Pass,
                    Detail::SecureAccessWithCertificate { host },
                ));
                Judged::Fine
            } else {
                run.push(Check::new(
                    id,
                    Status::Warn,
                    Detail::SecureAccessNeedsCertificate { host },
                ));
                run.report.find("client-cert-required");
                Judged::Problem
            }
        }
        Fetched::Redirected(Redirect::IdentityProvider(to), _) => {
            let host = to.host_str().unwrap_or_default().to_owned();
            run.push(Check::new(id, Status::Warn, Detail::OwnSignInPage { host }));
            run.report.find("sso-enabled");
            Judged::Problem
        }
        Fetched::Redirected(other, _) => {
            let to = match other {
                Redirect::Refused(to) => redact::url_text(to),
                Redirect::Follow(to)
                | Redirect::SecureAccess(to)
                | Redirect::IdentityProvider(to) => redact::url(to),
            };
            run.push(Check::new(
                id,
                Status::Fail,
                Detail::RedirectNotFollowed { to },
            ));
            Judged::Problem
        }
        Fetched::Answer(answer) => {
            if date.is_none() {
                *date = answer.date;
            }
            let on_page = |seen: Detail| Detail::OnPage {
                path: answer.url.path().to_owned(),
                seen: Box::new(seen),
            };
            match classify::answer(
                answer.status,
                answer.www_authenticate.as_deref(),
                &answer.body,
            ) {
                Some(found) if found.cause == "basic-auth" => {
                    run.push(Check::new(id, Status::Warn, on_page(found.detail)));
                    Judged::AsksForBasicAuth
                }
                Some(found) => {
                    let status = if found.cause == "maintenance" {
                        Status::Warn
                    } else {
                        Status::Fail
                    };
                    run.push(Check::new(id, status, on_page(found.detail)));
                    run.report.find(found.cause);
                    Judged::Problem
                }
                None if (200..300).contains(&answer.status) && answer.truncated => {
                    let too_large = Detail::PageTooLarge {
                        status: answer.status,
                        kib: BODY_CAP / 1024,
                    };
                    run.push(Check::new(id, Status::Warn, on_page(too_large)));
                    Judged::Fine
                }
                None if (200..300).contains(&answer.status) => {
                    let answered = Detail::PageAnswered {
                        status: answer.status,
                    };
                    run.push(Check::new(id, Status::Pass, on_page(answered)));
                    Judged::Fine
                }
                None => {
                    let answered = Detail::ServerAnswered {
                        status: answer.status,
                    };
                    run.push(Check::new(id, Status::Fail, on_page(answered)));
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
        run.push(Check::new(
            "basic-auth",
            Status::Fail,
            Detail::BasicAuthNotStored,
        ));
        run.report.find("basic-auth");
        return None;
    };
    match fetch(run, client, target.page("/"), Some(credentials)).await {
        Fetched::Answer(answer) if answer.status == 401 => {
            run.push(Check::new(
                "basic-auth",
                Status::Fail,
                Detail::BasicAuthRefused {
                    host: target.host.clone(),
                },
            ));
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
                Detail::BasicAuthAccepted {
                    user: credentials.0.clone(),
                },
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
        run.push(Check::new("clock", Status::Skip, Detail::NoServerTime));
        return;
    };
    let now = SystemTime::now();
    let (skew, behind) = match now.duration_since(server) {
        Ok(ahead) => (ahead, false),
        Err(e) => (e.duration(), true),
    };
    if skew > CLOCK_TOLERANCE {
        run.push(Check::new(
            "clock",
            Status::Warn,
            Detail::ClockOff {
                seconds: skew.as_secs(),
                behind,
            },
        ));
        run.report.find("clock-skew");
    } else {
        run.push(Check::new(
            "clock",
            Status::Pass,
            Detail::ClockAgrees {
                seconds: skew.as_secs(),
            },
        ));
    }
}
