//! `tobira policy check` and the policy's effect on the other verbs.

use std::fs;

use crate::program::tobira;

const GOOD: &str = r#"# A policy as IT staff would push it.
[recommended]
language = "ja"
autostart = true

[locked]
site = "https://corp.cybozu.com/k/"
hidden_flows = ["trial-signup"]

[locked.helpdesk]
name = "IT helpdesk"
email = "help@corp.example"
url = "https://help.corp.example/"

[[locked.bookmarks]]
name = "Expenses"
url = "/k/45/"

[[locked.bookmarks]]
name = "FAQ"
url = "https://help.corp.example/faq"
"#;

fn policy_file(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_good_policy_prints_the_effective_settings_and_their_sources() {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        "site = \"mine.cybozu.com\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let file = policy_file(config.path(), "good.toml", GOOD);
    let run = tobira(config.path(), &["policy", "check", &file, "--json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["valid"], true);
    let effective = &json["effective"];
    assert_eq!(effective["site"]["value"]["host"], "corp.cybozu.com");
    assert_eq!(effective["site"]["source"], "locked");
    assert_eq!(effective["language"]["value"], "en");
    assert_eq!(effective["language"]["source"], "user");
    assert_eq!(effective["language"]["recommended"], "ja");
    assert_eq!(effective["autostart"]["source"], "recommended");
    assert_eq!(effective["default_region"]["source"], "builtin");
    assert_eq!(effective["helpdesk"]["value"]["email"], "help@corp.example");
    assert_eq!(
        effective["org_bookmarks"]["value"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(effective["hidden_flows"]["value"][0], "trial-signup");

    let text = tobira(config.path(), &["policy", "check", &file]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("valid"), "{}", text.stdout);
    assert!(text.stdout.contains("corp.cybozu.com"), "{}", text.stdout);
    assert!(text.stdout.contains("[locked]"), "{}", text.stdout);
}

/// Three files with the mistakes people make, each reported as
/// `path:line:col: message` and exit 1.
#[test]
fn broken_policies_are_reported_with_line_and_column() {
    let config = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unknown-key.toml",
            "[locked]\nsite = \"corp\"\nhelp_desk = \"x\"\n",
            ":3:1: unknown field `help_desk`",
        ),
        (
            "wrong-type.toml",
            "[recommended]\nautostart = \"yes\"\n",
            ":2:13: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "bad-values.toml",
            "[locked]\nsite = \"corp.cybozu.com.evil.test\"\n\n[[locked.bookmarks]]\nname = \"Somewhere\"\nurl = \"https://evil.test/\"\n",
            ":2:8: site: 'corp.cybozu.com.evil.test' looks like a kintone address",
        ),
    ];
    for (name, text, expected) in cases {
        let file = policy_file(config.path(), name, text);
        let run = tobira(config.path(), &["policy", "check", &file]);
        assert_eq!(run.code, 1, "{name}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains(&format!("{file}{expected}")),
            "{name}: {}",
            run.stdout
        );
        let json = tobira(config.path(), &["policy", "check", &file, "--json"]);
        assert_eq!(json.code, 1);
        assert_eq!(json.json()["valid"], false);
        assert!(json.json()["problems"][0]["line"].as_u64().unwrap() >= 1);
    }
    let bad = policy_file(config.path(), "bad-values.toml", cases[2].1);
    let run = tobira(config.path(), &["policy", "check", &bad, "--json"]);
    let problems = run.json()["problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), 2, "every problem is listed: {problems:?}");
    assert_eq!(
        (problems[1]["line"].as_u64(), problems[1]["column"].as_u64()),
        (Some(6), Some(7))
    );
}

#[test]
fn a_missing_file_is_bad_input() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(
        config.path(),
        &["policy", "check", "/nonexistent/policy.toml", "--json"],
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "policy-unreadable");
}

#[test]
fn a_bad_policy_in_place_is_reported_and_the_rest_still_works() {
    let config = tempfile::tempdir().unwrap();
    policy_file(config.path(), "policy.toml", "[locked]\nsite = 3\n");
    let run = tobira(config.path(), &["site", "example", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["host"], "example.cybozu.com");
    assert!(
        run.stderr.contains("are ignored; the others apply"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("policy.toml:2:8:"), "{}", run.stderr);
}

#[test]
fn one_bad_value_leaves_the_locked_site_locked() {
    let config = tempfile::tempdir().unwrap();
    policy_file(
        config.path(),
        "policy.toml",
        "[locked]\nsite = \"corp\"\nautostart = \"yes\"\nlangauge = \"ja\"\n",
    );
    let run = tobira(config.path(), &["site", "other", "--json"]);
    assert!(run.stderr.contains("policy.toml:3:13:"), "{}", run.stderr);
    assert!(run.stderr.contains("policy.toml:4:1:"), "{}", run.stderr);
    let check = tobira(
        config.path(),
        &[
            "policy",
            "check",
            &config.path().join("policy.toml").display().to_string(),
            "--json",
        ],
    );
    assert_eq!(check.code, 1);
    let json = check.json();
    assert_eq!(json["valid"], false);
    assert_eq!(json["effective"]["site"]["source"], "locked");
    assert_eq!(
        json["effective"]["site"]["value"]["host"],
        "corp.cybozu.com"
    );
    assert_eq!(json["problems"].as_array().unwrap().len(), 2);
}

#[test]
fn the_policy_region_applies_to_a_bare_subdomain() {
    let config = tempfile::tempdir().unwrap();
    policy_file(
        config.path(),
        "policy.toml",
        "[recommended]\ndefault_region = \"us\"\n",
    );
    let run = tobira(config.path(), &["site", "example", "--json"]);
    assert_eq!(run.json()["host"], "example.kintone.com");
}
