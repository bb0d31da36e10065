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
    assert_eq!(effective["companion"]["value"], true);
    assert_eq!(effective["companion"]["source"], "builtin");

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

/// One policy in the three forms IT staff push: policy.toml, a regedit
/// export of what Group Policy writes, and an MDM profile.
const SAME_TOML: &str = r#"[recommended]
language = "ja"
autostart = true
hidden_flows = ["trial-signup"]

[locked]
site = "corp.cybozu.com"
keep_in_tray = false
allow_guest_sites = false
companion = false
guide_dirs = ["/srv/tobira/guides"]

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

const SAME_REG: &str = r#"Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira]
"site"="corp.cybozu.com"
"keep_in_tray"=dword:00000000
"allow_guest_sites"=dword:00000000
"companion"=dword:00000000
"bookmarks"="[{\"name\":\"Expenses\",\"url\":\"/k/45/\"},{\"name\":\"FAQ\",\"url\":\"https://help.corp.example/faq\"}]"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\guide_dirs]
"1"="/srv/tobira/guides"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\helpdesk]
"name"="IT helpdesk"
"email"="help@corp.example"
"url"="https://help.corp.example/"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\Recommended]
"language"="ja"
"autostart"=dword:00000001

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\Recommended\hidden_flows]
"1"="trial-signup"
"#;

const SAME_PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadIdentifier</key><string>example.tobira</string>
  <key>PayloadUUID</key><string>0D3E2C1B-5A4F-4E3D-9C8B-7A6F5E4D3C2B</string>
  <key>PayloadVersion</key><integer>1</integer>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key><string>dev.tobira.desktop</string>
      <key>PayloadIdentifier</key><string>example.tobira.settings</string>
      <key>PayloadUUID</key><string>1E4F3D2C-6B5A-4F4E-8D9C-8B7A6F5E4D3C</string>
      <key>PayloadVersion</key><integer>1</integer>
      <key>site</key><string>corp.cybozu.com</string>
      <key>keep_in_tray</key><false/>
      <key>allow_guest_sites</key><false/>
      <key>companion</key><false/>
      <key>guide_dirs</key><array><string>/srv/tobira/guides</string></array>
      <key>helpdesk</key>
      <dict>
        <key>name</key><string>IT helpdesk</string>
        <key>email</key><string>help@corp.example</string>
        <key>url</key><string>https://help.corp.example/</string>
      </dict>
      <key>bookmarks</key>
      <array>
        <dict><key>name</key><string>Expenses</string><key>url</key><string>/k/45/</string></dict>
        <dict><key>name</key><string>FAQ</string><key>url</key><string>https://help.corp.example/faq</string></dict>
      </array>
      <key>Recommended</key>
      <dict>
        <key>language</key><string>ja</string>
        <key>autostart</key><true/>
        <key>hidden_flows</key><array><string>trial-signup</string></array>
      </dict>
    </dict>
  </array>
</dict>
</plist>
"#;

/// A `.reg` as regedit writes it: UTF-16LE with a BOM and CRLF.
fn regedit_file(dir: &std::path::Path, name: &str, text: &str) -> String {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_reg_export_and_a_profile_give_the_effective_settings_of_the_same_toml() {
    let config = tempfile::tempdir().unwrap();
    let files = [
        policy_file(config.path(), "same.toml", SAME_TOML),
        regedit_file(config.path(), "same.reg", SAME_REG),
        policy_file(config.path(), "same.mobileconfig", SAME_PROFILE),
    ];
    let effective: Vec<serde_json::Value> = files
        .iter()
        .map(|file| {
            let run = tobira(config.path(), &["policy", "check", file, "--json"]);
            assert_eq!(run.code, 0, "{file}: {}{}", run.stdout, run.stderr);
            let json = run.json();
            assert_eq!(json["problems"], serde_json::json!([]), "{file}");
            json["effective"].clone()
        })
        .collect();
    assert_eq!(effective[0]["site"]["source"], "locked");
    assert_eq!(effective[0]["org_bookmarks"]["value"][1]["name"], "FAQ");
    assert_eq!(effective[0]["companion"]["value"], false);
    assert_eq!(effective[0]["companion"]["source"], "locked");
    assert_eq!(
        effective[1], effective[0],
        "the .reg says what the TOML says"
    );
    assert_eq!(
        effective[2], effective[0],
        "the profile says what the TOML says"
    );
}

#[test]
fn a_look_alike_site_in_a_reg_is_refused_with_the_value_named() {
    let config = tempfile::tempdir().unwrap();
    let evil = SAME_REG.replace(
        "\"site\"=\"corp.cybozu.com\"",
        "\"site\"=\"corp.cybozu.com.evil.test\"",
    );
    let file = regedit_file(config.path(), "evil.reg", &evil);
    let run = tobira(config.path(), &["policy", "check", &file]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let named = format!(
        "{file}: HKEY_LOCAL_MACHINE\\Software\\Policies\\Tobira\\site: site: 'corp.cybozu.com.evil.test' looks like a kintone address"
    );
    assert!(run.stdout.contains(&named), "{}", run.stdout);
    let json = tobira(config.path(), &["policy", "check", &file, "--json"]).json();
    assert_eq!(json["valid"], false);
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        problems[0]["at"],
        "HKEY_LOCAL_MACHINE\\Software\\Policies\\Tobira\\site"
    );
    assert_eq!(json["effective"]["site"]["source"], "builtin");
    assert_eq!(
        json["effective"]["keep_in_tray"]["source"], "locked",
        "the other values apply"
    );
}

#[test]
fn a_file_that_is_no_export_or_profile_is_reported() {
    let config = tempfile::tempdir().unwrap();
    let reg = policy_file(config.path(), "policy.reg", "[locked]\nsite = \"corp\"\n");
    let run = tobira(config.path(), &["policy", "check", &reg]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains(&format!("{reg}:1:1: not a regedit export")),
        "{}",
        run.stdout
    );
    let profile = policy_file(config.path(), "policy.mobileconfig", "site = 1\n");
    let run = tobira(config.path(), &["policy", "check", &profile, "--json"]);
    assert_eq!(run.code, 1);
    let message = run.json()["problems"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("not a property list"), "{message}");
}

#[test]
fn policy_show_lists_every_key_its_source_and_what_was_read() {
    let config = tempfile::tempdir().unwrap();
    fs::write(config.path().join("settings.toml"), "language = \"en\"\n").unwrap();
    let none = tobira(config.path(), &["policy", "show", "--json"]);
    assert_eq!(none.code, 0, "{}{}", none.stdout, none.stderr);
    let json = none.json();
    assert_eq!(json["read"][0]["found"], false);
    assert_eq!(json["keys"].as_array().unwrap().len(), 11);

    let file = policy_file(
        config.path(),
        "policy.toml",
        "[recommended]\nlanguage = \"ja\"\n\n[locked]\nsite = \"corp\"\nautostart = \"yes\"\nhelp_desk = \"x\"\n",
    );
    let run = tobira(config.path(), &["policy", "show", "--json"]);
    assert_eq!(run.code, 1, "something was dropped: {}", run.stdout);
    let json = run.json();
    let key = |name: &str| {
        json["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key"] == name)
            .unwrap()
            .clone()
    };
    let site = key("site");
    assert_eq!(site["value"]["host"], "corp.cybozu.com");
    assert_eq!(site["source"], "locked");
    assert_eq!(site["store"], file.as_str());
    assert_eq!(site["status"], "ok");
    let language = key("language");
    assert_eq!(language["source"], "user");
    assert_eq!(language["status"], "overridden");
    assert_eq!(language["overridden"][0]["source"], "recommended");
    let autostart = key("autostart");
    assert_eq!(autostart["status"], "dropped");
    assert_eq!(autostart["source"], "builtin");
    assert!(
        autostart["problems"][0]
            .as_str()
            .unwrap()
            .starts_with(&format!("{file}:6:13: ")),
        "{autostart}"
    );
    assert_eq!(json["unknown_keys"][0]["name"], "help_desk");
    assert_eq!(json["read"][0]["store"], file.as_str());
    assert_eq!(json["read"][0]["found"], true);

    let text = tobira(config.path(), &["policy", "show"]);
    let line = |name: &str| {
        text.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name}: {}", text.stdout))
            .to_owned()
    };
    assert!(
        line("site").contains(&format!("\"corp.cybozu.com\"  [locked: {file}]  ok")),
        "{}",
        text.stdout
    );
    assert!(
        line("autostart").ends_with("[builtin]  dropped"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!("read: {file}")),
        "{}",
        text.stdout
    );
}
