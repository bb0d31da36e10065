//! A fake kintone site on 127.0.0.1 for the doctor's tests: one behaviour
//! per server, plain threads, every loop bounded. The server stops when it
//! is dropped, and by itself after a minute in any case.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;

pub mod companion;

/// The longest a fake server lives.
const LIFETIME: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub enum Scenario {
    /// `/` and `/k/` redirect to the login page, which answers 200.
    Healthy,
    /// The service's page for a subdomain that does not exist.
    NotFound,
    /// The maintenance text.
    Maintenance,
    /// 401 with `WWW-Authenticate: Basic` unless these credentials are sent.
    BasicAuth { user: String, password: String },
    /// The secure-access gateway's "client certificate required" page.
    ClientCertRequired,
    /// 403 for the caller's IP address.
    IpRestricted,
    /// A redirect to an outside identity provider (SAML).
    Saml,
    /// A redirect to the site's `.s` address.
    SecureAccess,
    /// Healthy, but the `Date` header is this many seconds behind.
    ClockBehind(u64),
    /// Accepts, then says nothing for this long.
    Slow(Duration),
    /// `/` → `/a` → `/`.
    RedirectLoop,
    /// 200 and a body that never ends.
    EndlessBody,
    /// Bytes that are not HTTP.
    Garbage,
    /// 200 with a body of this many bytes.
    HugeBody(usize),
    /// A proxy that wants a password (407).
    ProxyAuthRequired,
    /// Basic authentication as [`Scenario::BasicAuth`]; with the right
    /// credentials every page redirects to `location`.
    BasicAuthThenRedirect {
        user: String,
        password: String,
        location: String,
    },
}

pub struct FakeKintone {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    /// Every `Authorization` header received.
    authorizations: Arc<Mutex<Vec<String>>>,
}

impl FakeKintone {
    pub fn start(scenario: Scenario) -> FakeKintone {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking accept");
        let port = listener.local_addr().expect("bound").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let authorizations = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&authorizations);
        let acceptor = std::thread::spawn(move || {
            let end = Instant::now() + LIFETIME;
            while !stopping.load(Ordering::Relaxed) && Instant::now() < end {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let scenario = scenario.clone();
                        let stopping = Arc::clone(&stopping);
                        let seen = Arc::clone(&seen);
                        std::thread::spawn(move || serve(stream, &scenario, &stopping, end, &seen));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        FakeKintone {
            port,
            stop,
            acceptor: Some(acceptor),
            authorizations,
        }
    }

    /// The `Authorization` headers this server was sent.
    pub fn authorizations(&self) -> Vec<String> {
        self.authorizations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for FakeKintone {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// A port on which nothing listens.
pub fn refused_port() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a loopback port");
    listener.local_addr().expect("bound").port()
}

struct Request {
    path: String,
    authorization: Option<String>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut authorization = None;
    for _ in 0..100 {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("authorization") {
                authorization = Some(value.trim().to_owned());
            }
        }
    }
    Some(Request {
        path,
        authorization,
    })
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &str,
    date: SystemTime,
) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nDate: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        httpdate::fmt_http_date(date),
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.shutdown(Shutdown::Write);
}

const LOGIN_PAGE: &str = "<!DOCTYPE html><html lang=\"ja\"><head><title>ログイン</title></head><body><form><input name=\"username\"><input name=\"password\" type=\"password\"><a href=\"/forgot\">ログインでお困りですか？</a></form></body></html>";

fn healthy(stream: &mut TcpStream, path: &str, date: SystemTime) {
    let to = |location: &str| vec![("Location", location.to_owned())];
    match path {
        "/" => respond(stream, "302 Found", &to("/login"), "", date),
        "/k/" => respond(
            stream,
            "302 Found",
            &to("/login?redirect=%2Fk%2F"),
            "",
            date,
        ),
        p if p.starts_with("/login") => respond(
            stream,
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8".into())],
            LOGIN_PAGE,
            date,
        ),
        _ => respond(
            stream,
            "404 Not Found",
            &[],
            "<h1>Code: 404 NotFound</h1>",
            date,
        ),
    }
}

/// Writes `chunk` until `total` bytes (or forever, for `None`) were sent,
/// the client went away, the server is stopping, or its life is over.
fn stream_body(stream: &mut TcpStream, total: Option<usize>, stop: &AtomicBool, end: Instant) {
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while total.is_none_or(|t| sent < t) && !stop.load(Ordering::Relaxed) && Instant::now() < end {
        let size = total.map_or(chunk.len(), |t| chunk.len().min(t - sent));
        if stream.write_all(&chunk[..size]).is_err() {
            return;
        }
        sent += size;
    }
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

fn ask_for_basic_auth(stream: &mut TcpStream, now: SystemTime) {
    respond(
        stream,
        "401 Unauthorized",
        &[("WWW-Authenticate", "Basic realm=\"kintone\"".into())],
        "",
        now,
    );
}

fn serve(
    mut stream: TcpStream,
    scenario: &Scenario,
    stop: &AtomicBool,
    end: Instant,
    authorizations: &Mutex<Vec<String>>,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    if let Some(authorization) = &request.authorization {
        authorizations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(authorization.clone());
    }
    let now = SystemTime::now();
    let page = |stream: &mut TcpStream, status: &str, body: &str| {
        respond(
            stream,
            status,
            &[("Content-Type", "text/html; charset=utf-8".into())],
            body,
            now,
        )
    };
    let redirect = |stream: &mut TcpStream, location: &str| {
        respond(
            stream,
            "302 Found",
            &[("Location", location.to_owned())],
            "",
            now,
        )
    };
    match scenario {
        Scenario::Healthy => healthy(&mut stream, &request.path, now),
        Scenario::NotFound => page(
            &mut stream,
            "404 Not Found",
            "<h1>Code: 404 NotFound</h1><p>The page was not found.</p>",
        ),
        Scenario::Maintenance => page(
            &mut stream,
            "503 Service Unavailable",
            "<p>不正なリクエストです。</p>",
        ),
        Scenario::BasicAuth { user, password } => {
            if request.authorization.as_deref() == Some(basic(user, password).as_str()) {
                healthy(&mut stream, &request.path, now);
            } else {
                ask_for_basic_auth(&mut stream, now);
            }
        }
        Scenario::BasicAuthThenRedirect {
            user,
            password,
            location,
        } => {
            if request.authorization.as_deref() == Some(basic(user, password).as_str()) {
                redirect(&mut stream, location);
            } else {
                ask_for_basic_auth(&mut stream, now);
            }
        }
        Scenario::ClientCertRequired => page(
            &mut stream,
            "403 Forbidden",
            "<p>アクセスにはクライアント証明書が必要です。</p>",
        ),
        Scenario::IpRestricted => page(
            &mut stream,
            "403 Forbidden",
            "<p>このIPアドレスからのアクセスは許可されていません。</p>",
        ),
        Scenario::Saml => redirect(
            &mut stream,
            "https://idp.corp.example/saml2/sso?SAMLRequest=fake",
        ),
        Scenario::SecureAccess => redirect(&mut stream, "https://example.s.cybozu.com/"),
        Scenario::ClockBehind(seconds) => healthy(
            &mut stream,
            &request.path,
            now - Duration::from_secs(*seconds),
        ),
        Scenario::Slow(delay) => {
            let until = Instant::now() + *delay;
            while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
            }
            healthy(&mut stream, &request.path, now);
        }
        Scenario::RedirectLoop => {
            let next = if request.path.ends_with("/a") {
                request.path.trim_end_matches('a').to_owned()
            } else {
                format!("{}a", request.path)
            };
            redirect(&mut stream, &next);
        }
        Scenario::EndlessBody => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
            );
            stream_body(&mut stream, None, stop, end);
        }
        Scenario::Garbage => {
            let _ = stream
                .write_all(b"\x16\x03\x01\x00\xa5garbage\xff\xfe\x00 not http at all\r\n\r\n");
        }
        Scenario::HugeBody(size) => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            stream_body(&mut stream, Some(*size), stop, end);
        }
        Scenario::ProxyAuthRequired => respond(
            &mut stream,
            "407 Proxy Authentication Required",
            &[("Proxy-Authenticate", "Basic realm=\"corp\"".into())],
            "",
            now,
        ),
    }
}
