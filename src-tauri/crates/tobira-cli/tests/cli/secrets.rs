//! Secrets go to the OS keyring and nowhere else. CI runs these against a
//! real Secret Service (gnome-keyring in `dbus-run-session`) with
//! `TOBIRA_REQUIRE_KEYRING=1`; without a keyring they check that Tobira
//! refuses to store instead of writing a file.

use std::fs;
use std::path::Path;

use crate::program::{tobira, tobira_with_stdin, Run};

const BASIC_PASSWORD: &str = "Basic-PW-7c1e9 with spaces";
const CERT_PASSWORD: &str = "cert-PW-93d0aa";

fn keyring_required() -> bool {
    std::env::var_os("TOBIRA_REQUIRE_KEYRING").is_some()
}

/// Every file under `dir`, read as bytes, must not contain `needle`.
fn assert_not_in_files(dir: &Path, needle: &str) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            assert_not_in_files(&path, needle);
        } else {
            let bytes = fs::read(&path).unwrap();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{} contains a secret",
                path.display()
            );
        }
    }
}

fn assert_not_in_output(run: &Run, needle: &str) {
    assert!(
        !run.stdout.contains(needle),
        "stdout leaks a secret: {}",
        run.stdout
    );
    assert!(
        !run.stderr.contains(needle),
        "stderr leaks a secret: {}",
        run.stderr
    );
}

#[test]
fn secrets_round_trip_through_the_keyring_and_appear_nowhere_else() {
    let config = tempfile::tempdir().unwrap();
    // A unique host keeps parallel runs and earlier runs apart.
    let host = format!("secrets-{}.cybozu.com", std::process::id());
    fs::write(
        config.path().join("settings.toml"),
        format!("site = \"{host}\"\n"),
    )
    .unwrap();

    let set = tobira_with_stdin(
        config.path(),
        &[
            "secrets",
            "set",
            "basic-auth",
            "--user",
            "proxy-user",
            "--json",
        ],
        &format!("{BASIC_PASSWORD}\n"),
    );
    if set.code == 2 && set.json()["error"]["code"] == "no-keyring" {
        assert!(
            !keyring_required(),
            "TOBIRA_REQUIRE_KEYRING is set but: {}",
            set.stdout
        );
        assert!(set.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not stored anywhere"));
        assert_not_in_files(config.path(), BASIC_PASSWORD);
        return;
    }
    assert_eq!(set.code, 0, "{}{}", set.stdout, set.stderr);
    assert_eq!(set.json()["basic_auth_user"], "proxy-user");
    let cert = tobira_with_stdin(
        config.path(),
        &["secrets", "set", "client-cert-password", "--json"],
        CERT_PASSWORD,
    );
    assert_eq!(cert.code, 0, "{}{}", cert.stdout, cert.stderr);

    // Another process (this test) reads them back from the keyring.
    let stored = tobira_secrets::basic_auth(&host).unwrap().expect("stored");
    assert_eq!(
        (stored.user.as_str(), stored.password.as_str()),
        ("proxy-user", BASIC_PASSWORD)
    );
    assert_eq!(
        tobira_secrets::client_cert_password(&host)
            .unwrap()
            .as_deref(),
        Some(CERT_PASSWORD)
    );

    let status = tobira(config.path(), &["secrets", "status", "--json"]);
    assert_eq!(status.json()["client_cert_password_stored"], true);
    let report = tobira(config.path(), &["report"]);
    let report_json = tobira(config.path(), &["report", "--json"]);
    assert_eq!(report_json.json()["secrets"]["basic_auth_stored"], true);
    assert!(report.stdout.contains(&host), "{}", report.stdout);
    for run in [&set, &cert, &status, &report, &report_json] {
        assert_not_in_output(run, BASIC_PASSWORD);
        assert_not_in_output(run, CERT_PASSWORD);
    }
    assert_not_in_files(config.path(), BASIC_PASSWORD);
    assert_not_in_files(config.path(), CERT_PASSWORD);

    for kind in ["basic-auth", "client-cert-password"] {
        assert_eq!(tobira(config.path(), &["secrets", "delete", kind]).code, 0);
    }
    assert_eq!(tobira_secrets::basic_auth(&host).unwrap(), None);
}

#[test]
fn basic_auth_needs_a_user_name() {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        "site = \"example.cybozu.com\"\n",
    )
    .unwrap();
    let run = tobira_with_stdin(
        config.path(),
        &["secrets", "set", "basic-auth", "--json"],
        "pw\n",
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "usage");
}
