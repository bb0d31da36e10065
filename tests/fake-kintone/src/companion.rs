//! A fake kintone site over HTTPS, for real Chromium with the companion
//! extension: the shipped extension only runs on `https://*.cybozu.com/*`,
//! so the browser is told to resolve the site's host to this server
//! (`--host-resolver-rules`) and to accept its throwaway certificate
//! (`--ignore-certificate-errors`). Pages are plain HTML with the texts
//! the real service shows; what a page says can be switched while it runs.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// The longest the site lives (a browser test is slower than the doctor's).
const LIFETIME: Duration = Duration::from_secs(300);

/// What every page of the site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteState {
    /// Pages as usual: login form, portal, spaces, settings.
    Normal,
    /// Every page shows the maintenance text 「不正なリクエストです。」.
    Maintenance,
    /// The login page says the name or password is wrong, in a
    /// `role="alert"` element as login forms do.
    WrongPassword,
}

pub struct CompanionSite {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    state: Arc<Mutex<SiteState>>,
    /// When each path was last sent, for the latency benchmark.
    sent: Arc<Mutex<Vec<(String, SystemTime)>>>,
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}</style></head><body>{body}</body></html>"
    )
}

fn login_page(alert: Option<&str>) -> String {
    let alert = alert
        .map(|a| format!("<p role=\"alert\" style=\"color:#b00\">{a}</p>"))
        .unwrap_or_default();
    page(
        "ログイン",
        &format!(
            "<h1>cybozu.com</h1>{alert}<form><label>ログイン名 <input name=\"username\"></label><br>\
             <label>パスワード <input name=\"password\" type=\"password\"></label><br>\
             <label><input type=\"checkbox\"> ログイン名を保存する</label><br><button>ログイン</button></form>"
        ),
    )
}

/// The page at `path` of `host` (the look-alike host gets a copy of the
/// login page, as a phishing site would show).
fn respond(host: &str, path: &str, state: SiteState) -> (u16, String) {
    if !host.ends_with(".cybozu.com") {
        return (200, login_page(None));
    }
    if state == SiteState::Maintenance {
        return (503, page("kintone", "<p>不正なリクエストです。</p>"));
    }
    let path = path.split('?').next().unwrap_or(path);
    match path {
        "/" => (200, login_page(None)),
        "/login" | "/login/" => {
            let alert = (state == SiteState::WrongPassword)
                .then_some("ログイン名またはパスワードが正しくありません。");
            (200, login_page(alert))
        }
        "/k/" | "/k" => (
            200,
            page(
                "kintone",
                "<h1>ポータル</h1><p>お知らせ</p><p>アプリ</p><p>スペース</p>",
            ),
        ),
        "/settings/" | "/settings" => (
            200,
            page(
                "アカウント設定",
                "<h1>アカウント設定</h1><ul><li>パスワード</li><li>2要素認証</li></ul>",
            ),
        ),
        p if p.starts_with("/k/guest/") => (200, page("kintone", "<h1>ゲストスペース</h1>")),
        _ => (404, page("kintone", "<p>Code: 404 NotFound</p>")),
    }
}

impl CompanionSite {
    pub fn start() -> CompanionSite {
        let key = rcgen::KeyPair::generate().expect("a key");
        let params = rcgen::CertificateParams::new(vec![
            "example.cybozu.com".to_owned(),
            "example-cybozu.com".to_owned(),
        ])
        .expect("certificate parameters");
        let cert = params.self_signed(&key).expect("a self-signed certificate");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("the certificate suits the key");
        let config = Arc::new(config);

        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking accept");
        let port = listener.local_addr().expect("bound").port();
        let stop = Arc::new(AtomicBool::new(false));
        let state = Arc::new(Mutex::new(SiteState::Normal));
        let sent = Arc::new(Mutex::new(Vec::new()));
        let (stopping, shared_state, shared_sent) =
            (Arc::clone(&stop), Arc::clone(&state), Arc::clone(&sent));
        let acceptor = std::thread::spawn(move || {
            let end = Instant::now() + LIFETIME;
            while !stopping.load(Ordering::Relaxed) && Instant::now() < end {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (config, state, sent) = (
                            Arc::clone(&config),
                            Arc::clone(&shared_state),
                            Arc::clone(&shared_sent),
                        );
                        std::thread::spawn(move || serve(stream, config, &state, &sent));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        CompanionSite {
            port,
            stop,
            acceptor: Some(acceptor),
            state,
            sent,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Chromium's flag sending these hosts here.
    pub fn resolver_rules(&self, hosts: &[&str]) -> String {
        let rules: Vec<String> = hosts
            .iter()
            .map(|h| format!("MAP {h} 127.0.0.1:{}", self.port))
            .collect();
        format!("--host-resolver-rules={}", rules.join(", "))
    }

    pub fn set_state(&self, state: SiteState) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }

    /// When `path` was last sent, if it was.
    pub fn sent_at(&self, path: &str) -> Option<SystemTime> {
        self.sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .rev()
            .find(|(p, _)| p == path)
            .map(|(_, at)| *at)
    }
}

impl Drop for CompanionSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn serve(
    stream: TcpStream,
    config: Arc<rustls::ServerConfig>,
    state: &Mutex<SiteState>,
    sent: &Mutex<Vec<(String, SystemTime)>>,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut reader = BufReader::new(&mut tls);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut host = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("host") {
                        host = value
                            .trim()
                            .split(':')
                            .next()
                            .unwrap_or_default()
                            .to_owned();
                    }
                }
            }
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let current = *state.lock().unwrap_or_else(|p| p.into_inner());
    let (status, body) = respond(&host, &path, current);
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Service Unavailable",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    drop(reader);
    let _ = tls.write_all(response.as_bytes());
    let _ = tls.flush();
    sent.lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((path, SystemTime::now()));
    tls.conn.send_close_notify();
    let _ = tls.flush();
}
