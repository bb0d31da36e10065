//! `tobira doctor --base-url http://127.0.0.1:PORT --json` against a fake
//! kintone site, one behaviour per server: the right checks and causes,
//! always within the time budget, never a hang or a panic.

use std::time::{Duration, Instant};

use serde_json::Value;
use tobira_fake_kintone::{refused_port, FakeKintone, Scenario};

use crate::program::{tobira_command, tobira_without_proxy, Run, TOBIRA_BIN};

/// The default budget and what a slow CI machine may add to it.
const BUDGET: Duration = Duration::from_secs(5);
const SLACK: Duration = Duration::from_millis(1500);

struct Diagnosis {
    code: i32,
    json: Value,
    elapsed: Duration,
}

impl Diagnosis {
    fn status(&self, check: &str) -> &str {
        self.json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == check)
            .and_then(|c| c["status"].as_str())
            .unwrap_or_else(|| panic!("no check {check} in {}", self.json))
    }

    fn detail(&self, check: &str) -> String {
        let found = self.json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == check);
        found
            .and_then(|c| c["detail"].as_str())
            .unwrap_or_default()
            .to_owned()
    }

    fn causes(&self) -> Vec<String> {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["cause"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn doctor_with(base_url: &str, extra: &[&str], env: &[(&str, &str)]) -> Diagnosis {
    let config = tempfile::tempdir().unwrap();
    let mut args = vec!["doctor", "--json", "--base-url", base_url];
    args.extend_from_slice(extra);
    let mut command = tobira_without_proxy(config.path(), &args, env);
    let started = Instant::now();
    let run: Run = command.output().expect("tobira runs").into();
    let elapsed = started.elapsed();
    assert!(
        run.stderr.is_empty() || !run.stderr.contains("panicked"),
        "{}",
        run.stderr
    );
    Diagnosis {
        code: run.code,
        json: run.json(),
        elapsed,
    }
}

fn doctor(scenario: Scenario) -> Diagnosis {
    let server = FakeKintone::start(scenario);
    let diagnosis = doctor_with(&server.base_url(), &[], &[]);
    assert!(
        diagnosis.elapsed < BUDGET + SLACK,
        "took {:?}: {}",
        diagnosis.elapsed,
        diagnosis.json
    );
    diagnosis
}

#[test]
fn a_healthy_login_page_passes_with_no_findings() {
    let d = doctor(Scenario::Healthy);
    assert_eq!(d.code, 0, "{}", d.json);
    for check in ["dns", "tcp", "http-root", "http-portal", "clock"] {
        assert_eq!(d.status(check), "pass", "{check}: {}", d.json);
    }
    assert_eq!(d.status("tls"), "skip", "plain http on loopback");
    assert!(d.causes().is_empty());
}

#[test]
fn the_services_404_page_means_a_wrong_address() {
    let d = doctor(Scenario::NotFound);
    assert_eq!(d.code, 1);
    assert_eq!(d.status("http-root"), "fail");
    assert_eq!(d.causes(), ["wrong-url"]);
    assert_eq!(d.json["findings"][0]["guide"], "tobira://cause/wrong-url");
}

#[test]
fn the_maintenance_text_means_maintenance() {
    let d = doctor(Scenario::Maintenance);
    assert_eq!(d.status("http-root"), "warn");
    assert!(
        d.detail("http-root").contains("不正なリクエストです"),
        "{}",
        d.json
    );
    assert_eq!(d.causes(), ["maintenance"]);
}

#[test]
fn basic_authentication_without_stored_credentials() {
    let d = doctor(Scenario::BasicAuth {
        user: "proxy".into(),
        password: "secret".into(),
    });
    assert_eq!(d.status("http-root"), "warn");
    assert_eq!(d.status("basic-auth"), "fail");
    assert!(d.causes().contains(&"basic-auth".to_owned()), "{}", d.json);
}

/// With credentials in the keyring (for the probed host) the doctor retries
/// with them. Needs a Secret Service; CI has one (TOBIRA_REQUIRE_KEYRING).
/// The host is `localhost`, so the test above (127.0.0.1) finds none.
#[test]
fn basic_authentication_with_stored_credentials_is_retried() {
    if tobira_secrets::store_basic_auth("localhost", "proxy", "s3cret pass").is_err() {
        assert!(
            std::env::var_os("TOBIRA_REQUIRE_KEYRING").is_none(),
            "no keyring, but one is required"
        );
        eprintln!("skipped: no keyring here");
        return;
    }
    let server = FakeKintone::start(Scenario::BasicAuth {
        user: "proxy".into(),
        password: "s3cret pass".into(),
    });
    let d = doctor_with(&format!("http://localhost:{}/", server.port()), &[], &[]);
    let _ = tobira_secrets::delete(tobira_secrets::SecretKind::BasicAuth, "localhost");
    assert_eq!(d.status("basic-auth"), "pass", "{}", d.json);
    assert_eq!(d.status("http-portal"), "pass", "{}", d.json);
    assert!(d.causes().is_empty(), "{}", d.json);
    assert!(
        !d.json.to_string().contains("s3cret"),
        "the password never shows"
    );
}

#[test]
fn a_demanded_client_certificate() {
    let d = doctor(Scenario::ClientCertRequired);
    assert_eq!(d.status("http-root"), "fail");
    assert_eq!(d.causes(), ["client-cert-required"]);
}

#[test]
fn a_403_about_the_address_means_ip_restriction() {
    let d = doctor(Scenario::IpRestricted);
    assert_eq!(d.causes(), ["ip-restricted"]);
}

#[test]
fn a_redirect_to_an_outside_identity_provider_means_sso() {
    let d = doctor(Scenario::Saml);
    assert_eq!(d.status("http-root"), "warn");
    assert!(
        d.detail("http-root").contains("idp.corp.example"),
        "{}",
        d.json
    );
    assert_eq!(d.causes(), ["sso-enabled"]);
}

#[test]
fn a_redirect_to_the_secure_access_address_needs_a_certificate() {
    let d = doctor(Scenario::SecureAccess);
    assert!(
        d.detail("http-root").contains("example.s.cybozu.com"),
        "{}",
        d.json
    );
    assert_eq!(d.causes(), ["client-cert-required"]);
}

#[test]
fn a_server_clock_far_from_ours_means_clock_skew() {
    let d = doctor(Scenario::ClockBehind(600));
    assert_eq!(d.status("clock"), "warn");
    assert!(d.detail("clock").contains("ahead of"), "{}", d.json);
    assert_eq!(d.causes(), ["clock-skew"]);
}

#[test]
fn details_follow_the_language_asked_for() {
    let server = FakeKintone::start(Scenario::ClockBehind(600));
    let ja = doctor_with(&server.base_url(), &["--lang", "ja"], &[]);
    assert!(ja.detail("clock").contains("秒進んでいます"), "{}", ja.json);
    assert!(
        ja.detail("http-root").contains("ページが応答しました"),
        "{}",
        ja.json
    );
    // Tobira's language (here the OS's, Japanese) when --lang is not given.
    let os = doctor_with(&server.base_url(), &[], &[("LANG", "ja_JP.UTF-8")]);
    assert!(os.detail("clock").contains("秒進んでいます"), "{}", os.json);
    assert_eq!(ja.causes(), ["clock-skew"]);
}

#[test]
fn a_slow_server_is_given_up_within_the_budget() {
    let d = doctor(Scenario::Slow(Duration::from_secs(20)));
    assert_eq!(d.status("http-root"), "fail");
    assert!(
        d.detail("http-root").contains("no answer within"),
        "{}",
        d.json
    );
    assert_eq!(d.status("http-portal"), "skip");
    // A smaller budget is honoured too.
    let server = FakeKintone::start(Scenario::Slow(Duration::from_secs(20)));
    let quick = doctor_with(&server.base_url(), &["--timeout-ms", "800"], &[]);
    assert!(
        quick.elapsed < Duration::from_millis(800) + SLACK,
        "took {:?}",
        quick.elapsed
    );
    assert_eq!(quick.status("http-root"), "fail");
    // The message names the limit that applied, not the usual one.
    let detail = quick.detail("http-root");
    let waited: u64 = detail
        .split_whitespace()
        .nth(3)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{detail}"));
    assert!(waited <= 800, "{detail}");
}

#[test]
fn a_refused_port_answers_at_once() {
    let d = doctor_with(&format!("http://127.0.0.1:{}/", refused_port()), &[], &[]);
    assert_eq!(d.code, 1);
    assert_eq!(d.status("tcp"), "fail");
    assert!(d.detail("tcp").contains("refused"), "{}", d.json);
    assert_eq!(d.status("http-root"), "skip");
    assert!(d.elapsed < Duration::from_secs(1), "took {:?}", d.elapsed);
}

#[test]
fn a_redirect_loop_is_stopped() {
    let d = doctor(Scenario::RedirectLoop);
    assert_eq!(d.status("http-root"), "fail");
    assert!(d.detail("http-root").contains("loop"), "{}", d.json);
    assert!(d.causes().contains(&"browser-cookies".to_owned()));
}

#[test]
fn an_endless_body_is_cut() {
    let d = doctor(Scenario::EndlessBody);
    assert_eq!(d.status("http-root"), "warn");
    assert!(d.detail("http-root").contains("256 KiB"), "{}", d.json);
}

#[test]
fn a_50_mb_body_is_cut() {
    let d = doctor(Scenario::HugeBody(50 * 1024 * 1024));
    assert_eq!(d.status("http-root"), "warn");
    assert!(d.elapsed < Duration::from_secs(3), "took {:?}", d.elapsed);
}

#[test]
fn garbage_bytes_are_not_http() {
    let d = doctor(Scenario::Garbage);
    assert_eq!(d.status("http-root"), "fail");
    assert!(
        d.detail("http-root").contains("did not answer with HTTP"),
        "{}",
        d.json
    );
}

#[test]
fn a_proxy_in_the_way_is_reported() {
    let site = FakeKintone::start(Scenario::Healthy);
    let proxy = FakeKintone::start(Scenario::ProxyAuthRequired);
    let proxy_url = proxy.base_url();
    let d = doctor_with(&site.base_url(), &[], &[("HTTP_PROXY", proxy_url.as_str())]);
    assert_eq!(d.status("proxy"), "pass");
    assert!(
        d.detail("proxy").contains(&proxy.port().to_string()),
        "{}",
        d.json
    );
    assert_eq!(d.status("http-root"), "fail");
    assert!(d.detail("http-root").contains("407"), "{}", d.json);
    // NO_PROXY sends it straight to the site.
    let direct = doctor_with(
        &site.base_url(),
        &[],
        &[
            ("HTTP_PROXY", proxy_url.as_str()),
            ("NO_PROXY", "127.0.0.1"),
        ],
    );
    assert!(
        direct.json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != "proxy"),
        "{}",
        direct.json
    );
    assert_eq!(direct.code, 0, "{}", direct.json);
}

#[test]
fn bad_input_is_exit_2() {
    let config = tempfile::tempdir().unwrap();
    for (args, code) in [
        (
            vec![
                "doctor",
                "--json",
                "--base-url",
                "http://example.cybozu.com/",
            ],
            "plain-http-not-loopback",
        ),
        (
            vec!["doctor", "--json", "--base-url", "https://evil.test/"],
            "not-kintone-domain",
        ),
        (vec!["doctor", "--json"], "no-site"),
    ] {
        let run: Run = tobira_command(config.path(), &args)
            .output()
            .unwrap()
            .into();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert_eq!(run.json()["error"]["code"], code, "{args:?}");
    }
    let run: Run = tobira_command(
        config.path(),
        &[
            "doctor",
            "--json",
            "--base-url",
            "http://127.0.0.1:1/",
            "--timeout-ms",
            "5",
        ],
    )
    .output()
    .unwrap()
    .into();
    assert_eq!(run.code, 2, "{}", run.stdout);
}

/// Self-signed test certificates without a password, made with rcgen:
/// one expired in 2025, one valid until the 2090s.
fn certificate(name: &str) -> String {
    tobira_tests::workspace_root()
        .join("tests/fixtures/certs")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn an_expired_client_certificate_fails_its_check() {
    let server = FakeKintone::start(Scenario::Healthy);
    let d = doctor_with(
        &server.base_url(),
        &["--client-cert", &certificate("expired.p12")],
        &[],
    );
    assert_eq!(d.code, 1);
    assert_eq!(d.status("client-cert"), "fail");
    assert!(
        d.detail("client-cert").contains("Taro Yamada"),
        "{}",
        d.json
    );
    assert_eq!(d.causes(), ["client-cert-expired"]);
}

#[test]
fn a_valid_client_certificate_is_used_for_secure_access() {
    let server = FakeKintone::start(Scenario::SecureAccess);
    let d = doctor_with(
        &server.base_url(),
        &["--client-cert", &certificate("valid-70-years.p12")],
        &[],
    );
    assert_eq!(d.status("client-cert"), "pass", "{}", d.json);
    assert_eq!(d.status("http-root"), "pass", "{}", d.json);
    assert!(d.causes().is_empty(), "{}", d.json);
}

#[test]
fn a_file_that_is_no_certificate_is_bad_input() {
    let config = tempfile::tempdir().unwrap();
    let not_a_certificate = tobira_tests::workspace_root().join("README.md");
    let args = [
        "doctor",
        "--json",
        "--base-url",
        "http://127.0.0.1:1/",
        "--client-cert",
        not_a_certificate.to_str().unwrap(),
    ];
    let run: Run = tobira_command(config.path(), &args)
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "client-cert-invalid");
}

/// With no network at all (a new network namespace: `unshare -n`, as root)
/// the doctor says the PC is offline, not that a correct address is wrong.
#[test]
fn no_network_at_all_is_offline_not_a_wrong_address() {
    let isolated = std::process::Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !isolated {
        assert!(
            std::env::var_os("CI").is_none() || !is_root(),
            "CI runs as root, where unshare -n works"
        );
        eprintln!("skipped: unshare -n needs root");
        return;
    }
    let config = tempfile::tempdir().unwrap();
    for lang in ["en", "ja"] {
        let run: Run = std::process::Command::new("unshare")
            .arg("-n")
            .arg(TOBIRA_BIN)
            .args(["doctor", "--site", "example", "--lang", lang])
            .env("TOBIRA_CONFIG_DIR", config.path())
            .env_remove("HTTPS_PROXY")
            .env_remove("HTTP_PROXY")
            .env_remove("https_proxy")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .output()
            .expect("tobira runs")
            .into();
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(run.stdout.contains("network-offline"), "{}", run.stdout);
        assert!(!run.stdout.contains("wrong-url"), "{}", run.stdout);
        if lang == "ja" {
            assert!(run.stdout.contains("考えられる原因"), "{}", run.stdout);
        }
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
}
