//! Hostile input that once got through, kept as regression tests: a proxy
//! with a password, credentials and tickets in a redirect chain, secrets in
//! what the user typed, a hand-edited settings file, a policy the user
//! points to.

use std::fs;

use tobira_fake_kintone::{refused_port, FakeKintone, Scenario};

use crate::program::{tobira, tobira_without_proxy, Run};

/// Proxy variables removed, then `env` set.
fn run_with(config: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    tobira_without_proxy(config, args, env)
        .output()
        .expect("tobira runs")
        .into()
}

fn assert_nowhere(secret: &str, runs: &[&Run]) {
    for run in runs {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{secret} leaked:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
}

#[test]
fn a_proxy_password_never_shows() {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        "site = \"example.cybozu.com\"\n",
    )
    .unwrap();
    let site = FakeKintone::start(Scenario::Healthy);
    let proxy = format!(
        "http://proxyuser:Pr0xyPassw0rd@127.0.0.1:{}",
        refused_port()
    );
    let env = [
        ("HTTP_PROXY", proxy.as_str()),
        ("HTTPS_PROXY", proxy.as_str()),
    ];
    let json = run_with(
        config.path(),
        &["doctor", "--json", "--base-url", &site.base_url()],
        &env,
    );
    let text = run_with(
        config.path(),
        &["doctor", "--base-url", &site.base_url()],
        &env,
    );
    let report = run_with(config.path(), &["report", "--checks"], &env);
    let report_json = run_with(config.path(), &["report", "--checks", "--json"], &env);
    assert!(json.stdout.contains("127.0.0.1"), "{}", json.stdout);
    assert!(report.stdout.contains("checks of"), "{}", report.stdout);
    assert_nowhere("Pr0xyPassw0rd", &[&json, &text, &report, &report_json]);
}

/// The stored Basic-auth credentials are for the site: a redirect to
/// another server never gets them, and the tickets in the redirect are not
/// repeated. Needs a Secret Service (CI has one).
#[test]
fn credentials_and_tickets_stay_out_of_a_redirect_chain() {
    if tobira_secrets::store_basic_auth("localhost", "taro", "Basic-S3cret").is_err() {
        assert!(
            std::env::var_os("TOBIRA_REQUIRE_KEYRING").is_none(),
            "no keyring, but one is required"
        );
        eprintln!("skipped: no keyring here");
        return;
    }
    let elsewhere = FakeKintone::start(Scenario::Healthy);
    let site = FakeKintone::start(Scenario::BasicAuthThenRedirect {
        user: "taro".into(),
        password: "Basic-S3cret".into(),
        location: format!(
            "http://127.0.0.1:{}/k/?ticket=T1cketS3cret&SAMLRequest=fZJNT8MwDIbvk",
            elsewhere.port()
        ),
    });
    let config = tempfile::tempdir().unwrap();
    let base = format!("http://localhost:{}/", site.port());
    let json = run_with(
        config.path(),
        &["doctor", "--json", "--base-url", &base],
        &[],
    );
    let text = run_with(config.path(), &["doctor", "--base-url", &base], &[]);
    let _ = tobira_secrets::delete(tobira_secrets::SecretKind::BasicAuth, "localhost");
    assert!(
        !site.authorizations().is_empty(),
        "the site itself got the credentials"
    );
    assert!(
        elsewhere.authorizations().is_empty(),
        "another server got {:?}",
        elsewhere.authorizations()
    );
    assert_nowhere("Basic-S3cret", &[&json, &text]);
    assert_nowhere("T1cketS3cret", &[&json, &text]);
    assert_nowhere("fZJNT8MwDIbvk", &[&json, &text]);
}

/// What users type, as they type it: the secret goes, the words stay.
#[test]
fn the_support_report_keeps_no_secret_the_user_typed() {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        "site = \"example.cybozu.com\"\n",
    )
    .unwrap();
    for (query, secret, kept) in [
        ("password is hunter2", "hunter2", "password is"),
        ("パスワードはHunter22です", "Hunter22", "パスワードは"),
        ("ｐａｓｓｗｏｒｄ：ｈｕｎｔｅｒ２", "hunter2", "password"),
        (
            "https://taro:s3cret@example.cybozu.com/k/",
            "s3cret",
            "example.cybozu.com/k/",
        ),
        (
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y",
            "eyJhbGciOiJIUzI1NiJ9",
            "Bearer",
        ),
        ("暗証番号は1234です", "1234", "暗証番号は"),
        (
            "the password field is empty",
            "\u{0}",
            "the password field is empty",
        ),
    ] {
        let run = tobira(config.path(), &["report", "--json", "--query", query]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let typed = run.json()["assistant"]["query"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!typed.contains(secret), "{query:?} → {typed:?}");
        assert!(typed.contains(kept), "{query:?} → {typed:?}");
    }
}

/// A hand-edited settings file cannot smuggle another host into the list,
/// an export or `open`.
#[test]
fn a_hand_edited_bookmark_never_becomes_another_address() {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        "site = \"example.cybozu.com\"\n\n[[bookmarks]]\nname = \"Pay\u{202E}fdp.exe\"\npath = \"/k/12/\"\n\n[[bookmarks]]\nname = \"Login\"\npath = \"@evil.test/\"\n",
    )
    .unwrap();
    let list = tobira(config.path(), &["bookmarks", "list", "--json"]);
    let html = tobira(config.path(), &["bookmarks", "export", "--format", "html"]);
    // A fake browser: on a machine with a real one, `open` succeeds.
    let browser = tobira_tests::fake_browser(config.path());
    let open: crate::program::Run =
        crate::program::tobira_command(config.path(), &["open", "Login", "--json"])
            .env("BROWSER", &browser)
            .env("XDG_CURRENT_DESKTOP", "")
            .output()
            .unwrap()
            .into();
    for run in [&list, &html, &open] {
        assert!(!run.stdout.contains("evil.test"), "{}", run.stdout);
        assert!(!run.stdout.contains('\u{202E}'), "{}", run.stdout);
    }
    assert!(
        list.stderr.contains("@evil.test/"),
        "said so: {}",
        list.stderr
    );
    assert!(
        html.stdout.contains("https://example.cybozu.com/k/12/"),
        "{}",
        html.stdout
    );
    // "Login" is the built-in bookmark of the real site, never the edited one.
    assert_eq!(open.code, 0, "{}", open.stderr);
    assert_eq!(
        tobira_tests::opened(config.path()),
        ["https://example.cybozu.com/"]
    );
}
