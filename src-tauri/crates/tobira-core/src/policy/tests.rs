use super::*;
use crate::bookmarks::UserBookmark;

const GOOD: &str = r#"
[recommended]
default_region = "jp"
language = "ja"
autostart = true

[locked]
site = "https://example.cybozu.com/k/"
hidden_flows = ["trial-signup"]
guide_dirs = ["/srv/tobira/guides"]

[locked.helpdesk]
name = "IT helpdesk"
email = "help@corp.example"
url = "https://help.corp.example/kintone"
phone = "03-1234-5678"

[[locked.bookmarks]]
name = "Expenses"
url = "/k/45/"

[[locked.bookmarks]]
name = "Helpdesk portal"
url = "https://help.corp.example/kintone/faq"
"#;

fn problems(text: &str) -> Vec<PolicyProblem> {
    let (_, found) = parse(text);
    assert!(!found.is_empty(), "the policy has problems");
    found
}

fn clean(text: &str) -> Policy {
    let (policy, found) = parse(text);
    assert!(found.is_empty(), "{found:?}");
    policy
}

#[test]
fn a_good_policy_parses() {
    let policy = clean(GOOD);
    assert_eq!(
        policy
            .locked
            .site
            .as_ref()
            .map(SiteAddress::host)
            .as_deref(),
        Some("example.cybozu.com")
    );
    assert_eq!(policy.recommended.language, Some(Language::Ja));
    assert_eq!(policy.locked.bookmarks.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        policy
            .locked
            .helpdesk
            .as_ref()
            .and_then(|h| h.phone.as_deref()),
        Some("03-1234-5678")
    );
    assert_eq!(clean(""), Policy::default());
}

#[test]
fn layers_builtin_recommended_user_locked() {
    let policy = clean(GOOD);
    let mut user = Settings {
        site: Some(SiteAddress::parse("mine", Region::Jp).unwrap()),
        language: Some(Language::En),
        ..Settings::default()
    };
    let effective = EffectiveSettings::resolve(&policy, &user);
    assert_eq!(
        effective.site.source,
        Source::Locked,
        "locked beats the user"
    );
    assert_eq!(
        effective
            .site
            .value
            .as_ref()
            .map(SiteAddress::host)
            .as_deref(),
        Some("example.cybozu.com")
    );
    assert_eq!(effective.language.value, Some(Language::En));
    assert_eq!(
        effective.language.source,
        Source::User,
        "user beats recommended"
    );
    assert_eq!(effective.language.recommended, Some(Some(Language::Ja)));
    assert!(effective.autostart.value);
    assert_eq!(effective.autostart.source, Source::Recommended);
    assert_eq!(effective.default_region.source, Source::Recommended);
    assert_eq!(
        effective.helpdesk_url(),
        Some("https://help.corp.example/kintone")
    );
    user.language = None;
    let effective = EffectiveSettings::resolve(&Policy::default(), &user);
    assert_eq!(effective.language.source, Source::Builtin);
    assert_eq!(effective.language.value, None);
    assert_eq!(effective.site.source, Source::User);
    assert!(effective.org_bookmarks.value.is_empty());
}

#[test]
fn unknown_keys_and_wrong_types_have_line_and_column() {
    let found = problems("[locked]\nsite = \"example\"\nsitee = \"x\"\n");
    assert_eq!((found[0].line, found[0].column), (3, 1), "{found:?}");
    assert!(
        found[0].message.contains("unknown field `sitee`"),
        "{found:?}"
    );

    let found = problems("[recommended]\nautostart = \"yes\"\n");
    assert_eq!((found[0].line, found[0].column), (2, 13), "{found:?}");
    assert!(found[0].message.contains("bool"), "{found:?}");

    let found = problems("[managed]\nsite = \"example\"\n");
    assert_eq!(found[0].line, 1, "{found:?}");
    assert!(
        found[0].message.contains("unknown field `managed`"),
        "{found:?}"
    );

    let found = problems("[locked\nsite = 1");
    assert_eq!(found[0].line, 1, "{found:?}");
}

#[test]
fn every_good_value_stays_when_others_are_dropped() {
    let text = "[locked]\nsite = \"corp\"\nautostart = \"yes\"\nsitee = \"x\"\nlanguage = \"fr\"\nkeep_in_tray = false\n\n[locked.helpdesk]\nname = \"IT\"\ncolour = \"red\"\n\n[managed]\nsite = \"other\"\n\n[recommended]\nlanguage = \"ja\"\n";
    let (policy, found) = parse(text);
    let at: Vec<(usize, usize)> = found.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(
        at,
        [(3, 13), (4, 1), (5, 12), (10, 1), (12, 2)],
        "{found:#?}"
    );
    assert_eq!(
        policy
            .locked
            .site
            .as_ref()
            .map(SiteAddress::host)
            .as_deref(),
        Some("corp.cybozu.com")
    );
    assert_eq!(policy.locked.keep_in_tray, Some(false));
    assert_eq!(policy.locked.autostart, None);
    assert_eq!(
        policy.locked.helpdesk.and_then(|h| h.name).as_deref(),
        Some("IT")
    );
    assert_eq!(policy.recommended.language, Some(Language::Ja));
}

#[test]
fn bad_values_are_all_reported_where_they_are() {
    let text = "[locked]\nsite = \"example.cybozu.com.evil.test\"\nguide_dirs = [\"relative/dir\"]\nhidden_flows = [\"Trial Signup\"]\n\n[locked.helpdesk]\nemail = \"not-an-address\"\nurl = \"http://help.corp.example/\"\n\n[[locked.bookmarks]]\nname = \"Other site\"\nurl = \"https://other.cybozu.com/k/\"\n\n[[locked.bookmarks]]\nname = \"Anywhere\"\nurl = \"https://evil.test/\"\n";
    let found = problems(text);
    let at: Vec<(usize, usize)> = found.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(
        at,
        [(2, 8), (3, 15), (4, 17), (7, 9), (8, 7), (12, 7), (16, 7)],
        "{found:#?}"
    );
    assert!(
        found[0].message.starts_with("site: "),
        "{}",
        found[0].message
    );
    assert!(found[5].message.contains("as a path such as /k/45/"));
}

#[test]
fn load_reports_the_file_and_treats_a_missing_one_as_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    assert!(load(&path).unwrap().is_none());
    fs::write(&path, "[locked]\nlanguage = \"fr\"\n").unwrap();
    let loaded = load(&path).unwrap().unwrap();
    let err = loaded.problem.unwrap();
    assert_eq!(err.code(), "policy-invalid");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}:2:12: unknown variant `fr`", path.display())),
        "{text}"
    );
    fs::write(&path, b"[locked]\nsite = \"\xff\"\n").unwrap();
    assert!(load(&path)
        .unwrap()
        .unwrap()
        .problem
        .unwrap()
        .to_string()
        .contains(":2:9: the file is not UTF-8"));
    let user_bookmarks = vec![UserBookmark {
        name: "x".into(),
        path: "/k/1/".into(),
    }];
    let user = Settings {
        bookmarks: user_bookmarks.clone(),
        ..Settings::default()
    };
    let effective = EffectiveSettings::resolve(&Policy::default(), &user);
    assert!(effective.org_bookmarks.value.is_empty());
}

#[test]
fn the_variable_never_replaces_a_system_policy() {
    let dir = tempfile::tempdir().unwrap();
    let system = dir.path().join("policy.toml");
    let mine = std::ffi::OsString::from("/home/user/lax.toml");
    assert_eq!(
        choose_policy_path(system.clone(), Some(mine.clone())),
        PathBuf::from("/home/user/lax.toml"),
        "without a system policy the variable is a way to try a file"
    );
    fs::write(&system, "[locked]\nsite = \"corp\"\n").unwrap();
    assert_eq!(choose_policy_path(system.clone(), Some(mine)), system);
    assert_eq!(choose_policy_path(system.clone(), None), system);
}

#[cfg(unix)]
#[test]
fn a_policy_others_may_write_is_noticed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    assert!(!writable_by_others(&path), "no file, nothing to say");
    fs::write(&path, "").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
    assert!(writable_by_others(&path));
}

/// Found by a hostile review: a mistake elsewhere must never drop the
/// locked site.
#[test]
fn the_locked_site_survives_mistakes_elsewhere() {
    let locked_site = |text: &str| {
        let (policy, problems) = parse(text);
        assert!(!problems.is_empty(), "{text}");
        policy.locked.site.map(|s| s.host())
    };
    let site = Some("locked.cybozu.com".to_owned());
    // A table opened twice.
    assert_eq!(locked_site("[locked]\nautostart = true\n\n[recommended]\nlanguage = \"ja\"\n\n[locked]\nsite = \"locked.cybozu.com\"\n"), site);
    // An unclosed value at the end of the file, in the other table.
    assert_eq!(
        locked_site(
            "[locked]\nsite = \"locked.cybozu.com\"\n[recommended]\nhidden_flows = [\"a\",\n"
        ),
        site
    );
    // An unclosed string in the same table, after the site.
    assert_eq!(
        locked_site("[locked]\nsite = \"locked.cybozu.com\"\nlanguage = \"\"\"abc\n"),
        site
    );
    // A hundred broken lines.
    let noise = "oops\n".repeat(100);
    assert_eq!(
        locked_site(&format!("[locked]\nsite = \"locked.cybozu.com\"\n{noise}")),
        site
    );
    // Upper-case region names are read, and a bare site with an unreadable
    // region is refused rather than put in the wrong region.
    let (policy, _) = parse("[locked]\nsite = \"locked\"\ndefault_region = \"US\"\n");
    assert_eq!(
        policy.locked.site.map(|s| s.host()).as_deref(),
        Some("locked.kintone.com")
    );
    let (policy, problems) = parse("[locked]\nsite = \"locked\"\ndefault_region = \"usa\"\n");
    assert_eq!(policy.locked.site, None);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("bare subdomain")),
        "{problems:?}"
    );
}

#[test]
fn a_huge_file_is_refused_whole() {
    let (policy, problems) = parse(&"# comment\n".repeat(40_000));
    assert_eq!(policy, Policy::default());
    assert!(problems[0].message.contains("larger than"));
}
