//! The native-messaging host's side of the conversation with the browser
//! extension (protocol 1, `docs/design/browser-companion.md` §3): one JSON
//! request in, one reply out. Every decision is made here, in Rust: the
//! extension sends a host, a path, a fragment and which of the texts Tobira
//! gave it a page shows; it never decides what a page means.

use serde_json::{json, Map, Value};
use tobira_core::page::{classify, PageKind};
use tobira_guides::pages::SeenPage;

use super::state::{now_seconds, Connection, LastSeen, Offer};
use crate::Session;

/// The protocol this host speaks; a new message type or field does not
/// change it, a changed meaning does.
pub const PROTOCOL: u64 = 1;

/// Limits on what a page report may carry: a host name, a path and a
/// fragment as browsers allow them, and a short alert.
const MAX_HOST_CHARS: usize = 253;
const MAX_PATH_CHARS: usize = 4096;
const MAX_FOUND: usize = 20;
const MAX_ALERT_CHARS: usize = 300;
/// Pages whose `role="alert"` text the extension may send: the login form's
/// message ("wrong password", "account locked") is the error text there.
const ALERT_PATHS: [&str; 2] = ["/login", "/login/"];
/// A page showing a known error text is the service's error page if it is
/// this short (the maintenance and "not found" pages are a few lines); a
/// longer one, such as a portal whose notice quotes the message, is not.
const ERROR_PAGE_MAX_CHARS: u64 = 1000;

/// A request that gets an `error` reply.
struct Refusal {
    code: &'static str,
    message: String,
}

fn refuse(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

/// One connection and the session it acts for.
pub struct Host<'s> {
    session: &'s Session,
}

/// Text from a page without control or direction-changing characters,
/// trimmed and cut to `max` characters.
fn clean(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

fn text_field<'a>(
    request: &'a Map<String, Value>,
    name: &str,
    max: usize,
) -> Result<&'a str, Refusal> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(s),
        Some(Value::String(_)) => Err(refuse(
            "bad-message",
            format!("'{name}' is longer than {max} characters"),
        )),
        Some(_) => Err(refuse("bad-message", format!("'{name}' must be a string"))),
    }
}

impl<'s> Host<'s> {
    pub fn new(session: &'s Session) -> Host<'s> {
        Host { session }
    }

    /// The reply to one message (the bytes of one frame). The user's sites,
    /// the policy and the progress are read again first: the browser keeps
    /// the host running for hours while the window changes them.
    pub fn reply(&mut self, message: &[u8]) -> Value {
        self.session.reload_profile();
        if let Err(e) = self.session.walkthroughs.reload_progress() {
            return error(None, &refuse(e.code(), e.to_string()));
        }
        let request = match serde_json::from_slice::<Value>(message) {
            Ok(Value::Object(request)) => request,
            _ => {
                return error(
                    None,
                    &refuse(
                        "bad-message",
                        "a message must be a JSON object with a \"type\"",
                    ),
                )
            }
        };
        let id = request.get("id").filter(|id| id.is_u64()).cloned();
        let kind = request
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let answer = match kind {
            "hello" => Ok(self.hello(&request)),
            _ if !self.session.companion_allowed() => Err(refuse(
                "companion-disabled",
                "your organisation has turned the browser companion off",
            )),
            "page-seen" => self.page_seen(&request),
            "lookalike-check" => self.lookalike(&request),
            "status" => Ok(self.status()),
            "" => Err(refuse("bad-message", "a message must have a \"type\"")),
            other => Err(refuse(
                "unknown-type",
                format!("unknown message type '{}'", clean(other, 40)),
            )),
        };
        match answer {
            Ok(mut reply) => {
                if let (Some(id), Value::Object(reply)) = (id, &mut reply) {
                    reply.insert("id".into(), id);
                }
                reply
            }
            Err(refusal) => error(id, &refusal),
        }
    }

    fn hello(&mut self, request: &Map<String, Value>) -> Value {
        let on = self.session.companion_allowed();
        if on {
            let text = |name| {
                request
                    .get(name)
                    .and_then(Value::as_str)
                    .map(|s| clean(s, 40))
            };
            self.session.companion_connected(Connection {
                last_connected: Some(
                    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
                ),
                extension_version: text("extension"),
                browser: text("browser"),
                ..Connection::default()
            });
        }
        let (sites, known_texts) = if on {
            (
                self.session.site_hosts(),
                self.session
                    .walkthroughs
                    .with_known_texts(<[String]>::to_vec),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        json!({
            "type": "hello",
            "app": "tobira",
            "version": env!("CARGO_PKG_VERSION"),
            "protocol": PROTOCOL,
            // The popup speaks Tobira's language, whatever the browser's is.
            "language": self.session.language(),
            "companion": if on { "on" } else { "off" },
            "sites": sites,
            "known_texts": known_texts,
            "alert_paths": if on { &ALERT_PATHS[..] } else { &[] },
        })
    }

    fn page_seen(&mut self, request: &Map<String, Value>) -> Result<Value, Refusal> {
        let host = text_field(request, "host", MAX_HOST_CHARS)?.to_ascii_lowercase();
        let path = text_field(request, "path", MAX_PATH_CHARS)?;
        let fragment = text_field(request, "fragment", MAX_PATH_CHARS)?;
        if !self.session.site_hosts().contains(&host) {
            return Err(refuse(
                "not-your-site",
                format!(
                    "'{}' is not one of the sites added in Tobira",
                    clean(&host, 80)
                ),
            ));
        }
        // Only texts Tobira gave the extension count; anything else the page
        // said is dropped here as well as there.
        let found: Vec<String> = match request.get("found") {
            Some(Value::Array(found)) => self.session.walkthroughs.with_known_texts(|known| {
                found
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|f| known.binary_search_by(|k| k.as_str().cmp(f)).is_ok())
                    .take(MAX_FOUND)
                    .map(str::to_owned)
                    .collect()
            }),
            _ => Vec::new(),
        };
        let mut kind = classify(path, fragment);
        let causes = self.session.walkthroughs.causes_of(&found);
        let alert = match request.get("alert_text").and_then(Value::as_str) {
            Some(alert) if kind == PageKind::Login => {
                Some(clean(alert, MAX_ALERT_CHARS)).filter(|a| !a.is_empty())
            }
            _ => None,
        };
        // A known error text is the service's answer on the login page, on
        // pages that are none of kintone's own, and on any short page
        // (maintenance shows at whatever address was asked for); on a long
        // portal it is someone quoting it in a notice.
        let short = request
            .get("text_length")
            .and_then(Value::as_u64)
            .is_none_or(|length| length <= ERROR_PAGE_MAX_CHARS);
        let shows_error = short || matches!(kind, PageKind::Login | PageKind::Other);
        let offer = if let Some(first) = causes.first().filter(|_| shows_error) {
            kind = PageKind::Error;
            Some(Offer {
                text: first.text.clone(),
                causes: causes.iter().map(|c| c.cause.clone()).collect(),
            })
        } else {
            alert.map(|text| Offer {
                causes: self.session.likely_causes(&text),
                text: tobira_core::redact::text(&text),
            })
        };
        let page = SeenPage {
            kind,
            path,
            fragment,
            found: &found,
        };
        let completed = self
            .session
            .page_seen(&host, &page)
            .map_err(|e| refuse("progress-unwritable", e.to_string()))?;
        self.session.remember_seen(&LastSeen {
            at: now_seconds(),
            site: host.clone(),
            page: kind,
            offer: offer.clone(),
            completed: completed.clone(),
        });
        Ok(json!({
            "type": "page-seen",
            "site": host,
            "kind": kind,
            "completed": completed,
            "offer": offer,
        }))
    }

    fn lookalike(&self, request: &Map<String, Value>) -> Result<Value, Refusal> {
        let host = text_field(request, "host", MAX_HOST_CHARS)?.to_ascii_lowercase();
        let imitates = tobira_core::scope::imitates_kintone(&host);
        let real = imitates.then(|| self.session.nearest_site(&host)).flatten();
        Ok(json!({
            "type": "lookalike",
            "host": host,
            "lookalike": imitates,
            "real": real,
        }))
    }

    fn status(&self) -> Value {
        json!({
            "type": "status",
            "companion": "on",
            "language": self.session.language(),
            "flow": self.session.current_flow_status(),
            "last_seen": self.session.last_seen(),
        })
    }
}

fn error(id: Option<Value>, refusal: &Refusal) -> Value {
    let mut reply = json!({
        "type": "error",
        "code": refusal.code,
        "message": refusal.message,
    });
    if let (Some(id), Value::Object(reply)) = (id, &mut reply) {
        reply.insert("id".into(), id);
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use tobira_core::{Region, Settings, SettingsStore, SiteAddress};

    fn session(dir: &std::path::Path, policy: &str) -> Session {
        let store = SettingsStore::in_dir(dir);
        let settings = Settings {
            site: Some(SiteAddress::parse("example", Region::Jp).unwrap()),
            language: Some(tobira_core::Language::Ja),
            ..Settings::default()
        };
        store.save(&settings).unwrap();
        let policy_path = dir.join("policy.toml");
        std::fs::write(&policy_path, policy).unwrap();
        Session::from_store(Ok(store), &policy_path)
    }

    fn ask(host: &mut Host<'_>, request: Value) -> Value {
        host.reply(request.to_string().as_bytes())
    }

    #[test]
    fn a_conversation_with_the_extension() {
        let dir = tempfile::tempdir().unwrap();
        let session = session(dir.path(), "");
        let mut host = Host::new(&session);
        assert!(!session.view().companion_in_use, "no extension yet");
        // The minimal hello.
        let hello = ask(&mut host, json!({"type": "hello"}));
        assert_eq!(hello["app"], "tobira");
        assert_eq!(hello["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(hello["companion"], "on");
        assert_eq!(hello["sites"], json!(["example.cybozu.com"]));
        assert_eq!(
            hello["language"], "ja",
            "the popup speaks Tobira's language"
        );
        assert!(hello["known_texts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "不正なリクエストです。"));
        assert!(hello.get("id").is_none());
        let full = ask(
            &mut host,
            json!({"type": "hello", "id": 1, "protocol": 1, "extension": "0.1.0", "browser": "chromium"}),
        );
        assert_eq!(full["id"], 1);
        let connection = session.companion_connection();
        assert_eq!(connection.browser.as_deref(), Some("chromium"));
        assert!(session.view().companion_in_use);
        assert!(connection.last_connected.is_some());

        // The portal proves the first login.
        let portal = ask(
            &mut host,
            json!({"type": "page-seen", "id": 2, "host": "example.cybozu.com", "path": "/k/", "fragment": "", "found": []}),
        );
        assert_eq!(portal["kind"], "portal");
        let steps: Vec<&str> = portal["completed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["step"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["address", "sign-in", "choose-kintone"]);
        assert_eq!(
            portal["completed"][1]["title"].as_str().map(str::is_empty),
            Some(false)
        );
        let status = ask(&mut host, json!({"type": "status", "id": 3}));
        assert_eq!(status["flow"]["id"], "first-login");
        assert_eq!(status["flow"]["step"]["id"], "bookmark");
        assert_eq!(status["last_seen"]["page"], "portal");

        // An error text is offered with its cause; unknown text is dropped.
        let error = ask(
            &mut host,
            json!({"type": "page-seen", "id": 4, "host": "EXAMPLE.cybozu.com", "path": "/", "found": ["不正なリクエストです。", "Your salary: 1,000,000"]}),
        );
        assert_eq!(error["kind"], "error");
        assert_eq!(
            error["offer"],
            json!({"text": "不正なリクエストです。", "causes": ["maintenance"]})
        );
        assert_eq!(
            session.last_seen().unwrap().offer.unwrap().causes,
            ["maintenance"]
        );
        // The login form's own message, cleaned and capped.
        let login = ask(
            &mut host,
            json!({"type": "page-seen", "id": 5, "host": "example.cybozu.com", "path": "/login", "alert_text": "ログイン名またはパスワードが正しくありません。\u{202e}"}),
        );
        assert_eq!(login["kind"], "login");
        assert_eq!(
            login["offer"]["text"],
            "ログイン名またはパスワードが正しくありません。"
        );
        assert!(!login["offer"]["causes"].as_array().unwrap().is_empty());
        // An alert outside the login page is not taken.
        let portal_alert = ask(
            &mut host,
            json!({"type": "page-seen", "host": "example.cybozu.com", "path": "/k/", "alert_text": "secret"}),
        );
        assert_eq!(portal_alert["offer"], Value::Null);
        // The portal quoting the maintenance text (a notice) is still the portal.
        let notice = ask(
            &mut host,
            json!({"type": "page-seen", "host": "example.cybozu.com", "path": "/k/", "found": ["不正なリクエストです。"], "text_length": 4000}),
        );
        assert_eq!(
            (notice["kind"].as_str(), &notice["offer"]),
            (Some("portal"), &Value::Null)
        );
        // Maintenance answers at the portal's address too, with a short page.
        let down = ask(
            &mut host,
            json!({"type": "page-seen", "host": "example.cybozu.com", "path": "/k/", "found": ["不正なリクエストです。"], "text_length": 40}),
        );
        assert_eq!(down["kind"], "error");
        assert_eq!(down["offer"]["causes"][0], "maintenance");

        // A site the user adds while the host runs counts at once.
        let store = SettingsStore::in_dir(dir.path());
        let mut settings = store.load().unwrap().settings;
        settings.site = Some(SiteAddress::parse("renamed", Region::Jp).unwrap());
        store.save(&settings).unwrap();
        let renamed = ask(
            &mut host,
            json!({"type": "page-seen", "host": "renamed.cybozu.com", "path": "/login"}),
        );
        assert_eq!(renamed["kind"], "login", "{renamed}");
        settings.site = Some(SiteAddress::parse("example", Region::Jp).unwrap());
        store.save(&settings).unwrap();

        // Another company's site, a look-alike, mistakes.
        let other = ask(
            &mut host,
            json!({"type": "page-seen", "id": 6, "host": "other.cybozu.com", "path": "/k/"}),
        );
        assert_eq!(
            (
                other["type"].as_str(),
                other["code"].as_str(),
                other["id"].as_u64()
            ),
            (Some("error"), Some("not-your-site"), Some(6))
        );
        let lookalike = ask(
            &mut host,
            json!({"type": "lookalike-check", "id": 7, "host": "example-cybozu.com"}),
        );
        assert_eq!(
            (lookalike["lookalike"].as_bool(), lookalike["real"].as_str()),
            (Some(true), Some("example.cybozu.com"))
        );
        let real = ask(
            &mut host,
            json!({"type": "lookalike-check", "host": "example.cybozu.com"}),
        );
        assert_eq!(real["lookalike"], false);
        assert_eq!(
            ask(&mut host, json!({"type": "fly", "id": 8}))["code"],
            "unknown-type"
        );
        assert_eq!(host.reply(b"[1]")["code"], "bad-message");
        assert_eq!(host.reply(b"not json")["code"], "bad-message");
        let long = ask(
            &mut host,
            json!({"type": "page-seen", "host": "example.cybozu.com", "path": "/".repeat(5000)}),
        );
        assert_eq!(long["code"], "bad-message");
    }

    #[test]
    fn the_organisation_can_turn_it_off() {
        let dir = tempfile::tempdir().unwrap();
        let session = session(dir.path(), "[locked]\ncompanion = false\n");
        let mut host = Host::new(&session);
        let hello = ask(&mut host, json!({"type": "hello", "id": 1}));
        assert_eq!(hello["companion"], "off");
        assert_eq!(hello["sites"], json!([]));
        let seen = ask(
            &mut host,
            json!({"type": "page-seen", "id": 2, "host": "example.cybozu.com", "path": "/k/"}),
        );
        assert_eq!(seen["code"], "companion-disabled");
        assert!(session
            .flow_steps(None)
            .iter()
            .all(|f| f.steps.iter().all(|s| !s.done)));
        assert_eq!(session.companion_connection().last_connected, None);
        assert!(!session.companion_facts().allowed);
    }

    #[test]
    fn the_support_report_says_when_the_extension_last_connected() {
        let dir = tempfile::tempdir().unwrap();
        let session = session(dir.path(), "");
        let never = session.companion_facts();
        assert!(never.allowed);
        assert_eq!(never.last_connected, None);
        let mut host = Host::new(&session);
        ask(
            &mut host,
            json!({"type": "hello", "extension": "0.1.0", "browser": "chromium"}),
        );
        let facts = session.companion_facts();
        assert!(facts.last_connected.is_some());
        assert_eq!(facts.extension_version.as_deref(), Some("0.1.0"));
        assert_eq!(facts.browser.as_deref(), Some("chromium"));
        // The whole report (its parts lock the profile one after another).
        let report = session.support_report(None);
        assert!(
            report.contains("(extension 0.1.0, chromium); browsers that can start Tobira: "),
            "{report}"
        );
    }

    #[test]
    fn page_text_loses_controls_and_length() {
        assert_eq!(clean("  a\u{202e}b\n\tc  ", 10), "ab c");
        assert_eq!(
            clean(&"あ".repeat(400), MAX_ALERT_CHARS).chars().count(),
            300
        );
    }
}
