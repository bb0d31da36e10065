//! `tobira sites list|add INPUT [--own]|remove HOST`: the own site and the
//! sites of other companies the user is a guest in.

use std::fs;

use tobira_tests::fake_browser;

use crate::program::{tobira, tobira_command, Run};

#[test]
fn a_guest_with_no_site_of_their_own_adds_the_inviting_site_and_bookmarks_its_space() {
    let config = tempfile::tempdir().unwrap();
    let link = "https://partner.cybozu.com/k/guest/7/#/space/7";
    let added = tobira(config.path(), &["sites", "add", link, "--json"]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let json = added.json();
    assert_eq!(json["own"], serde_json::Value::Null);
    assert_eq!(json["guest"][0]["host"], "partner.cybozu.com");

    let bookmark = tobira(
        config.path(),
        &[
            "bookmarks",
            "add",
            link,
            "--name",
            "Joint project",
            "--json",
        ],
    );
    assert_eq!(bookmark.code, 0, "{}", bookmark.stderr);
    let list = bookmark.json()["bookmarks"].clone();
    let urls: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"https://partner.cybozu.com/k/"), "{urls:?}");
    assert!(urls.contains(&link), "{urls:?}");
    let browser = fake_browser(config.path());
    let opened: Run = tobira_command(config.path(), &["open", "Joint project", "--json"])
        .env("BROWSER", &browser)
        .env("XDG_CURRENT_DESKTOP", "")
        .output()
        .unwrap()
        .into();
    assert_eq!(opened.code, 0, "{}", opened.stderr);
    let pages = fs::read_to_string(config.path().join("opened.txt")).unwrap();
    assert_eq!(pages.trim(), link);

    let settings = fs::read_to_string(config.path().join("settings.toml")).unwrap();
    assert!(settings.contains("[[guest_sites]]"), "{settings}");
    let removed = tobira(
        config.path(),
        &["sites", "remove", "partner.cybozu.com", "--json"],
    );
    assert_eq!(removed.json()["guest"], serde_json::json!([]));
}

#[test]
fn own_and_guest_sites_stay_apart_and_the_policy_decides() {
    let config = tempfile::tempdir().unwrap();
    assert_eq!(
        tobira(config.path(), &["sites", "add", "example", "--own"]).code,
        0
    );
    assert_eq!(
        tobira(config.path(), &["sites", "add", "partner.kintone.com"]).code,
        0
    );
    let list = tobira(config.path(), &["sites", "list", "--json"]).json();
    assert_eq!(list["own"]["host"], "example.cybozu.com");
    assert_eq!(list["guest"][0]["host"], "partner.kintone.com");
    let own_again = tobira(config.path(), &["sites", "add", "example", "--json"]);
    assert_eq!(own_again.code, 2);
    assert_eq!(own_again.json()["error"]["code"], "own-site");
    let lookalike = tobira(
        config.path(),
        &["sites", "add", "partner.cybozu.com.evil.test", "--json"],
    );
    assert_eq!(lookalike.json()["error"]["code"], "lookalike-domain");

    fs::write(
        config.path().join("policy.toml"),
        "[locked]\nsite = \"corp\"\nallow_guest_sites = false\n",
    )
    .unwrap();
    let locked = tobira(config.path(), &["sites", "add", "other", "--own", "--json"]);
    assert_eq!(locked.json()["error"]["code"], "setting-locked");
    let refused = tobira(config.path(), &["sites", "add", "other", "--json"]);
    assert_eq!(refused.json()["error"]["code"], "guest-sites-not-allowed");
    let list = tobira(config.path(), &["sites", "list", "--json"]).json();
    assert_eq!(
        list["guest"],
        serde_json::json!([]),
        "hidden while forbidden"
    );
    assert_eq!(list["guest_sites_allowed"], false);
}
