//! `tobira bookmarks` and `tobira open`: what scripts and IT staff rely on.

use std::fs;

use tobira_tests::{fake_browser, opened};

use crate::program::{tobira, tobira_command, Run};

fn config_with_site() -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    fs::write(
        config.path().join("settings.toml"),
        "site = \"example.cybozu.com\"\n",
    )
    .unwrap();
    config
}

fn names(run: &Run) -> Vec<String> {
    run.json()["bookmarks"]
        .as_array()
        .expect("a bookmark list")
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn add_list_and_remove_keep_the_settings_file() {
    let config = config_with_site();
    let add = tobira(
        config.path(),
        &[
            "bookmarks",
            "add",
            "https://example.cybozu.com/k/12/",
            "--json",
        ],
    );
    assert_eq!(add.code, 0, "{}", add.stderr);
    let add = tobira(
        config.path(),
        &[
            "bookmarks",
            "add",
            "/k/guest/7/#/space/7",
            "--name",
            "Partner space",
            "--json",
        ],
    );
    assert_eq!(
        names(&add),
        [
            "Portal",
            "Login page",
            "Help centre",
            "App 12",
            "Partner space"
        ]
    );
    let guest = &add.json()["bookmarks"][4];
    assert_eq!(
        guest["url"],
        "https://example.cybozu.com/k/guest/7/#/space/7"
    );
    assert_eq!(guest["kind"], "guest-space");
    assert_eq!(guest["number"], 7);
    assert_eq!(guest["origin"], "user");

    let other = tobira(
        config.path(),
        &[
            "bookmarks",
            "add",
            "https://other.cybozu.com/k/1/",
            "--json",
        ],
    );
    assert_eq!(other.code, 2);
    assert_eq!(other.json()["error"]["code"], "bookmark-other-site");
    let duplicate = tobira(config.path(), &["bookmarks", "add", "/k/12/", "--json"]);
    assert_eq!(duplicate.json()["error"]["code"], "bookmark-duplicate");

    let removed = tobira(config.path(), &["bookmarks", "remove", "app 12", "--json"]);
    assert_eq!(removed.code, 0, "{}", removed.stdout);
    assert_eq!(names(&removed).len(), 4);
    let builtin = tobira(config.path(), &["bookmarks", "remove", "portal", "--json"]);
    assert_eq!(builtin.code, 2, "built-ins cannot be removed");

    let saved = fs::read_to_string(config.path().join("settings.toml")).unwrap();
    assert!(saved.contains("site = \"example.cybozu.com\""), "{saved}");
    assert!(saved.contains("name = \"Partner space\""), "{saved}");
    assert!(config.path().join("settings.toml.bak").exists());
}

#[test]
fn org_bookmarks_come_from_the_policy_and_cannot_be_removed() {
    let config = config_with_site();
    fs::write(
        config.path().join("policy.toml"),
        "[[locked.bookmarks]]\nname = \"Expenses\"\nurl = \"/k/45/\"\n",
    )
    .unwrap();
    let list = tobira(config.path(), &["bookmarks", "list", "--json"]);
    assert_eq!(list.json()["bookmarks"][3]["origin"], "org");
    let remove = tobira(
        config.path(),
        &["bookmarks", "remove", "Expenses", "--json"],
    );
    assert_eq!(remove.code, 2);
}

#[test]
fn exports_in_each_format() {
    let config = config_with_site();
    tobira(
        config.path(),
        &[
            "bookmarks",
            "add",
            "/k/12/?view=5&sort=a",
            "--name",
            "R&D <reports>",
        ],
    );
    let out = tempfile::tempdir().unwrap();
    let export = |format: &str| {
        let path = out.path().join(format!("export.{format}"));
        let run = tobira(
            config.path(),
            &[
                "bookmarks",
                "export",
                "--format",
                format,
                "--output",
                path.to_str().unwrap(),
                "--json",
            ],
        );
        assert_eq!(run.code, 0, "{format}: {}{}", run.stdout, run.stderr);
        fs::read_to_string(path).unwrap()
    };
    let html = export("html");
    assert!(html.starts_with("<!DOCTYPE NETSCAPE-Bookmark-file-1>"));
    assert!(
        html.contains("<A HREF=\"https://example.cybozu.com/k/12/?view=5&amp;sort=a\""),
        "{html}"
    );
    assert!(html.contains(">R&amp;D &lt;reports&gt;</A>"), "{html}");
    let desktop = export("desktop");
    assert!(
        desktop.contains("Type=Link\n") && desktop.contains("URL=https://example.cybozu.com/k/\n")
    );
    assert_eq!(
        export("url"),
        "[InternetShortcut]\r\nURL=https://example.cybozu.com/k/\r\n"
    );
    assert!(export("webloc").contains("<string>https://example.cybozu.com/k/</string>"));
    let svg = export("qr-svg");
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    // Without --output the export goes to standard output.
    let stdout = tobira(config.path(), &["bookmarks", "export", "--format", "url"]);
    assert_eq!(
        stdout.stdout,
        "[InternetShortcut]\r\nURL=https://example.cybozu.com/k/\r\n"
    );
}

#[test]
fn open_goes_only_to_allowed_pages() {
    let config = config_with_site();
    let browser = fake_browser(config.path());
    let open = |target: &str| -> Run {
        tobira_command(config.path(), &["open", target, "--json"])
            .env("BROWSER", &browser)
            .env("XDG_CURRENT_DESKTOP", "")
            .output()
            .unwrap()
            .into()
    };
    assert_eq!(open("portal").code, 0);
    assert_eq!(open("/k/#/space/3").code, 0);
    let refused = open("https://evil.test/");
    assert_eq!(refused.code, 2);
    assert_eq!(refused.json()["error"]["code"], "url-not-allowed");
    let refused = open("https://example.cybozu.com@evil.test/");
    assert_eq!(refused.code, 2);
    assert_eq!(
        opened(config.path()),
        [
            "https://example.cybozu.com/k/",
            "https://example.cybozu.com/k/#/space/3"
        ]
    );
}

#[test]
fn without_a_site_there_is_nothing_to_list() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(config.path(), &["bookmarks", "list", "--json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "no-site");
}
