//! `tobira site` against its contract, as a script would call it.

use std::fs;

use crate::program::{tobira, tobira_command};

/// A config dir whose settings.toml holds `settings`.
fn config_with(settings: &str) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    fs::write(config.path().join("settings.toml"), settings).unwrap();
    config
}

#[test]
fn prints_the_site_as_json() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(
        config.path(),
        &[
            "site",
            "--json",
            "https://Example.s.cybozu.com/k/guest/7/#/space/7",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json(),
        serde_json::json!({
            "subdomain": "example",
            "region": "jp",
            "host": "example.s.cybozu.com",
            "secure_access": true,
            "login_url": "https://example.s.cybozu.com/",
            "portal_url": "https://example.s.cybozu.com/k/",
        })
    );
}

#[test]
fn accepts_full_width_input_without_a_display() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(config.path(), &["site", "ｅｘａｍｐｌｅ", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["host"], "example.cybozu.com");
}

#[test]
fn prints_readable_text_by_default() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(config.path(), &["site", "example.kintone.com"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("example.kintone.com\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("https://example.kintone.com/k/"),
        "{}",
        run.stdout
    );
}

#[test]
fn rejects_userinfo_with_a_json_error_and_exit_2() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(
        config.path(),
        &["site", "--json", "https://example.cybozu.com@evil.test/"],
    );
    assert_eq!(run.code, 2);
    let error = &run.json()["error"];
    assert_eq!(error["code"], "userinfo-not-allowed");
    assert_eq!(error["detail"], "evil.test");
    assert!(error["message"].as_str().unwrap().contains("'@'"));
}

#[test]
fn a_password_in_the_input_is_never_printed() {
    let config = tempfile::tempdir().unwrap();
    for json in [true, false] {
        let mut args = vec!["site", "https://taro:S3cret!@example.cybozu.com/k/"];
        if json {
            args.push("--json");
        }
        let run = tobira(config.path(), &args);
        assert_eq!(run.code, 2);
        assert!(!run.stdout.contains("S3cret"), "{}", run.stdout);
        assert!(!run.stderr.contains("S3cret"), "{}", run.stderr);
    }
}

#[test]
fn rejections_in_text_mode_go_to_stderr() {
    let config = tempfile::tempdir().unwrap();
    for (input, code_word) in [
        (
            "example.cybozu.com.evil.test",
            "looks like a kintone address",
        ),
        ("https://example.cybozu.com:8443/", "port number"),
        ("", "enter your kintone address"),
        ("ftp://example.cybozu.com", "'ftp:'"),
    ] {
        let run = tobira(config.path(), &["site", input]);
        assert_eq!(run.code, 2, "{input}");
        assert!(run.stdout.is_empty(), "{input}: {}", run.stdout);
        assert!(
            run.stderr.starts_with("tobira: "),
            "{input}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(code_word), "{input}: {}", run.stderr);
    }
}

#[test]
fn a_bare_word_uses_the_default_region_from_the_settings() {
    let config = config_with("default_region = \"us\"\n");
    let run = tobira(config.path(), &["site", "example", "--json"]);
    assert_eq!(run.json()["host"], "example.kintone.com");
    assert_eq!(run.json()["region"], "us");
}

#[test]
fn a_damaged_settings_file_is_reported_and_kept() {
    let config = config_with("default_region = \"mars\"\n");
    let run = tobira(config.path(), &["site", "example", "--json"]);
    assert_eq!(run.code, 0, "the verb still works on defaults");
    assert_eq!(run.json()["region"], "jp");
    assert!(
        run.stderr.contains("settings file was damaged"),
        "{}",
        run.stderr
    );
    let moved: Vec<_> = fs::read_dir(config.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("settings.corrupt-"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    let kept = fs::read_to_string(config.path().join(&moved[0])).unwrap();
    assert_eq!(kept, "default_region = \"mars\"\n");
}

#[test]
fn usage_errors_are_json_too_when_asked() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(config.path(), &["site", "--json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "usage");
    let message = run.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("<INPUT>"), "{message}");
    assert!(message.ends_with("see `tobira --help`"), "{message}");
    let run = tobira(config.path(), &["no-such-verb", "--json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "usage");
}

#[test]
fn help_and_version_exit_0() {
    let config = tempfile::tempdir().unwrap();
    let help = tobira(config.path(), &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("site"), "{}", help.stdout);
    let version = tobira(config.path(), &["--version"]);
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("tobira "), "{}", version.stdout);
}

#[test]
fn the_window_without_a_display_says_so_plainly() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(config.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no display found"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    // `tobira guides list | head -1`: the reader is gone before Tobira writes.
    let config = tempfile::tempdir().unwrap();
    let mut child = tobira_command(config.path(), &["guides", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tobira starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
