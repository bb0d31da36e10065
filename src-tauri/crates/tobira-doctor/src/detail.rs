//! What a check saw, as data: the window and the CLI say it in the user's
//! language ([`Detail::text`], from the message catalogue's
//! `doctor.detail.*`). Values such as hosts, paths and library error
//! messages are shown as they are.

use std::fmt::Display;

use tobira_core::Language;
use tobira_i18n::{text, text_with};

/// Where the connection went: straight to the site, or to a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Site,
    Proxy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    ProxyUsed {
        proxy: String,
    },
    IpAddress {
        ip: String,
    },
    Resolved {
        host: String,
        addresses: String,
    },
    NoAddress {
        host: String,
    },
    NameUnknown {
        host: String,
    },
    /// The site's name failed, but a name that always exists resolves.
    NetworkWorks {
        control: String,
    },
    /// Not even a name that always exists resolves, or no route at all.
    NoNetwork {
        control: String,
    },
    /// The network has no way to the site at all.
    NoRoute {
        via: Via,
        endpoint: String,
    },
    NoDnsAnswer {
        host: String,
        ms: u128,
    },
    Accepts {
        via: Via,
        address: String,
    },
    Refused {
        via: Via,
        endpoint: String,
    },
    NoConnectionWithin {
        via: Via,
        endpoint: String,
        ms: u128,
    },
    ConnectionError {
        via: Via,
        endpoint: String,
        error: String,
    },
    ClientFailed {
        error: String,
    },
    CertificateInvalid {
        host: String,
        error: String,
    },
    HandshakeUnknown,
    Encrypted,
    PlainLocal,
    SecureConnectionFailed {
        error: String,
    },
    ConnectionFailed {
        error: String,
    },
    NoAnswerWithin {
        ms: u128,
    },
    NotHttp {
        error: String,
    },
    RedirectLoop {
        trail: String,
    },
    TooManyRedirects {
        max: usize,
    },
    SecureAccessWithCertificate {
        host: String,
    },
    SecureAccessNeedsCertificate {
        host: String,
    },
    OwnSignInPage {
        host: String,
    },
    RedirectNotFollowed {
        to: String,
    },
    /// What was seen on one page (`path`).
    OnPage {
        path: String,
        seen: Box<Detail>,
    },
    AsksForBasicAuth,
    PageSays {
        text: String,
    },
    CertificateDemanded {
        status: u16,
    },
    NetworkNotAllowed,
    NoSiteHere,
    PageTooLarge {
        status: u16,
        kib: usize,
    },
    PageAnswered {
        status: u16,
    },
    ServerAnswered {
        status: u16,
    },
    BasicAuthNotStored,
    BasicAuthRefused {
        host: String,
    },
    BasicAuthAccepted {
        user: String,
    },
    NoServerTime,
    ClockOff {
        seconds: u64,
        behind: bool,
    },
    ClockAgrees {
        seconds: u64,
    },
    CertificateExpired {
        subject: String,
        date: String,
    },
    CertificateExpiring {
        subject: String,
        days: u64,
        date: String,
    },
    CertificateValid {
        subject: String,
        days: u64,
    },
    SkippedNoName,
    SkippedNoConnection,
    SkippedNoClient,
    SkippedNoSecureConnection,
    SkippedNoAnswer,
}

impl Detail {
    /// One plain sentence in `language`: what was seen, and for a problem
    /// what it means or what to do. The words are the catalogue's
    /// `doctor.detail.*` messages.
    pub fn text(&self, language: Language) -> String {
        use Detail::*;
        let say = |key: &str, args: &[(&str, &dyn Display)]| text_with(language, key, args);
        match self {
            ProxyUsed { proxy } => say("doctor.detail.proxyUsed", &[("proxy", proxy)]),
            IpAddress { ip } => say("doctor.detail.ipAddress", &[("ip", ip)]),
            Resolved { host, addresses } => say(
                "doctor.detail.resolved",
                &[("host", host), ("addresses", addresses)],
            ),
            NoAddress { host } => say("doctor.detail.noAddress", &[("host", host)]),
            NameUnknown { host } => say("doctor.detail.nameUnknown", &[("host", host)]),
            NetworkWorks { control } => say("doctor.detail.networkWorks", &[("control", control)]),
            NoNetwork { control } => say("doctor.detail.noNetwork", &[("control", control)]),
            NoRoute { endpoint, .. } => say("doctor.detail.noRoute", &[("endpoint", endpoint)]),
            NoDnsAnswer { host, ms } => {
                say("doctor.detail.noDnsAnswer", &[("host", host), ("ms", ms)])
            }
            Accepts { via, address } => say(
                "doctor.detail.accepts",
                &[("via", &via.text(language)), ("address", address)],
            ),
            Refused { via, endpoint } => say(
                "doctor.detail.refused",
                &[("via", &via.text(language)), ("endpoint", endpoint)],
            ),
            NoConnectionWithin { via, endpoint, ms } => say(
                "doctor.detail.noConnectionWithin",
                &[
                    ("via", &via.text(language)),
                    ("endpoint", endpoint),
                    ("ms", ms),
                ],
            ),
            ConnectionError {
                via,
                endpoint,
                error,
            } => say(
                "doctor.detail.connectionError",
                &[
                    ("via", &via.text(language)),
                    ("endpoint", endpoint),
                    ("error", error),
                ],
            ),
            ClientFailed { error } => say("doctor.detail.clientFailed", &[("error", error)]),
            CertificateInvalid { host, error } => say(
                "doctor.detail.certificateInvalid",
                &[("host", host), ("error", error)],
            ),
            HandshakeUnknown => say("doctor.detail.handshakeUnknown", &[]),
            Encrypted => say("doctor.detail.encrypted", &[]),
            PlainLocal => say("doctor.detail.plainLocal", &[]),
            SecureConnectionFailed { error } => {
                say("doctor.detail.secureConnectionFailed", &[("error", error)])
            }
            ConnectionFailed { error } => {
                say("doctor.detail.connectionFailed", &[("error", error)])
            }
            NoAnswerWithin { ms } => say("doctor.detail.noAnswerWithin", &[("ms", ms)]),
            NotHttp { error } => say("doctor.detail.notHttp", &[("error", error)]),
            RedirectLoop { trail } => say("doctor.detail.redirectLoop", &[("trail", trail)]),
            TooManyRedirects { max } => say("doctor.detail.tooManyRedirects", &[("max", max)]),
            SecureAccessWithCertificate { host } => say(
                "doctor.detail.secureAccessWithCertificate",
                &[("host", host)],
            ),
            SecureAccessNeedsCertificate { host } => say(
                "doctor.detail.secureAccessNeedsCertificate",
                &[("host", host)],
            ),
            OwnSignInPage { host } => say("doctor.detail.ownSignInPage", &[("host", host)]),
            RedirectNotFollowed { to } => say("doctor.detail.redirectNotFollowed", &[("to", to)]),
            OnPage { path, seen } => say(
                "doctor.detail.onPage",
                &[("path", path), ("seen", &seen.text(language))],
            ),
            AsksForBasicAuth => say("doctor.detail.asksForBasicAuth", &[]),
            PageSays { text } => say("doctor.detail.pageSays", &[("text", text)]),
            CertificateDemanded { status } => {
                say("doctor.detail.certificateDemanded", &[("status", status)])
            }
            NetworkNotAllowed => say("doctor.detail.networkNotAllowed", &[]),
            NoSiteHere => say("doctor.detail.noSiteHere", &[]),
            PageTooLarge { status, kib } => say(
                "doctor.detail.pageTooLarge",
                &[("status", status), ("kib", kib)],
            ),
            PageAnswered { status } => say("doctor.detail.pageAnswered", &[("status", status)]),
            ServerAnswered { status } => say("doctor.detail.serverAnswered", &[("status", status)]),
            BasicAuthNotStored => say("doctor.detail.basicAuthNotStored", &[]),
            BasicAuthRefused { host } => say("doctor.detail.basicAuthRefused", &[("host", host)]),
            BasicAuthAccepted { user } => say("doctor.detail.basicAuthAccepted", &[("user", user)]),
            NoServerTime => say("doctor.detail.noServerTime", &[]),
            ClockOff {
                seconds,
                behind: true,
            } => say("doctor.detail.clockBehind", &[("seconds", seconds)]),
            ClockOff {
                seconds,
                behind: false,
            } => say("doctor.detail.clockAhead", &[("seconds", seconds)]),
            ClockAgrees { seconds } => say("doctor.detail.clockAgrees", &[("seconds", seconds)]),
            CertificateExpired { subject, date } => say(
                "doctor.detail.certificateExpired",
                &[("subject", subject), ("date", date)],
            ),
            CertificateExpiring {
                subject,
                days,
                date,
            } => say(
                "doctor.detail.certificateExpiring",
                &[("subject", subject), ("days", days), ("date", date)],
            ),
            CertificateValid { subject, days } => say(
                "doctor.detail.certificateValid",
                &[("subject", subject), ("days", days)],
            ),
            SkippedNoName => say("doctor.detail.skippedNoName", &[]),
            SkippedNoConnection => say("doctor.detail.skippedNoConnection", &[]),
            SkippedNoClient => say("doctor.detail.skippedNoClient", &[]),
            SkippedNoSecureConnection => say("doctor.detail.skippedNoSecureConnection", &[]),
            SkippedNoAnswer => say("doctor.detail.skippedNoAnswer", &[]),
        }
    }
}

impl Via {
    fn text(self, language: Language) -> String {
        match self {
            Via::Site => text(language, "doctor.via.site"),
            Via::Proxy => text(language, "doctor.via.proxy"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_the_same_values_in_both_languages() {
        let detail = Detail::OnPage {
            path: "/k/".into(),
            seen: Box::new(Detail::PageSays {
                text: "不正なリクエストです".into(),
            }),
        };
        assert_eq!(
            detail.text(Language::En),
            "/k/: the page says 「不正なリクエストです」"
        );
        assert_eq!(
            detail.text(Language::Ja),
            "/k/: ページに「不正なリクエストです」と表示されています"
        );
        let clock = Detail::ClockOff {
            seconds: 600,
            behind: true,
        };
        assert!(clock.text(Language::Ja).contains("600 秒遅れて"));
        assert!(clock.text(Language::En).contains("600 s behind"));
    }

    /// One of each kind of detail (and each way through the connection).
    fn every_detail() -> Vec<Detail> {
        use Detail::*;
        let v = || "v".to_owned();
        let mut all = vec![
            ProxyUsed { proxy: v() },
            IpAddress { ip: v() },
            Resolved {
                host: v(),
                addresses: v(),
            },
            NoAddress { host: v() },
            NameUnknown { host: v() },
            NetworkWorks { control: v() },
            NoNetwork { control: v() },
            NoDnsAnswer { host: v(), ms: 1 },
            ClientFailed { error: v() },
            CertificateInvalid {
                host: v(),
                error: v(),
            },
            HandshakeUnknown,
            Encrypted,
            PlainLocal,
            SecureConnectionFailed { error: v() },
            ConnectionFailed { error: v() },
            NoAnswerWithin { ms: 1 },
            NotHttp { error: v() },
            RedirectLoop { trail: v() },
            TooManyRedirects { max: 1 },
            SecureAccessWithCertificate { host: v() },
            SecureAccessNeedsCertificate { host: v() },
            OwnSignInPage { host: v() },
            RedirectNotFollowed { to: v() },
            OnPage {
                path: v(),
                seen: Box::new(Encrypted),
            },
            AsksForBasicAuth,
            PageSays { text: v() },
            CertificateDemanded { status: 1 },
            NetworkNotAllowed,
            NoSiteHere,
            PageTooLarge { status: 1, kib: 1 },
            PageAnswered { status: 1 },
            ServerAnswered { status: 1 },
            BasicAuthNotStored,
            BasicAuthRefused { host: v() },
            BasicAuthAccepted { user: v() },
            NoServerTime,
            ClockOff {
                seconds: 1,
                behind: true,
            },
            ClockOff {
                seconds: 1,
                behind: false,
            },
            ClockAgrees { seconds: 1 },
            CertificateExpired {
                subject: v(),
                date: v(),
            },
            CertificateExpiring {
                subject: v(),
                days: 1,
                date: v(),
            },
            CertificateValid {
                subject: v(),
                days: 1,
            },
            SkippedNoName,
            SkippedNoConnection,
            SkippedNoClient,
            SkippedNoSecureConnection,
            SkippedNoAnswer,
        ];
        for via in [Via::Site, Via::Proxy] {
            all.extend([
                NoRoute { via, endpoint: v() },
                Accepts { via, address: v() },
                Refused { via, endpoint: v() },
                NoConnectionWithin {
                    via,
                    endpoint: v(),
                    ms: 1,
                },
                ConnectionError {
                    via,
                    endpoint: v(),
                    error: v(),
                },
            ]);
        }
        all
    }

    #[test]
    fn every_detail_is_worded_in_both_languages() {
        for detail in every_detail() {
            let (en, ja) = (detail.text(Language::En), detail.text(Language::Ja));
            for text in [&en, &ja] {
                assert!(
                    !text.contains('{') && !text.contains("doctor."),
                    "{detail:?}: {text}"
                );
            }
            assert_ne!(en, ja, "{detail:?}");
        }
    }
}
