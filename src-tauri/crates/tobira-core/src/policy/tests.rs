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

/// The line and column of a TOML file's problem.
fn at(problem: &PolicyProblem) -> (usize, usize) {
    match problem.place {
        ProblemPlace::Text { line, column } => (line, column),
        ProblemPlace::Value { .. } => panic!("a TOML problem has a line: {problem:?}"),
    }
}

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
    assert!(
        effective.companion.value,
        "the companion is on unless turned off"
    );
    assert_eq!(effective.companion.source, Source::Builtin);
}

#[test]
fn unknown_keys_and_wrong_types_have_line_and_column() {
    let found = problems("[locked]\nsite = \"example\"\nsitee = \"x\"\n");
    assert_eq!(at(&found[0]), (3, 1), "{found:?}");
    assert!(
        found[0].message.contains("unknown field `sitee`"),
        "{found:?}"
    );

    let found = problems("[recommended]\nautostart = \"yes\"\n");
    assert_eq!(at(&found[0]), (2, 13), "{found:?}");
    assert!(found[0].message.contains("bool"), "{found:?}");

    let found = problems("[managed]\nsite = \"example\"\n");
    assert_eq!(at(&found[0]).0, 1, "{found:?}");
    assert!(
        found[0].message.contains("unknown field `managed`"),
        "{found:?}"
    );

    let found = problems("[locked\nsite = 1");
    assert_eq!(at(&found[0]).0, 1, "{found:?}");
}

#[test]
fn every_good_value_stays_when_others_are_dropped() {
    let text = "[locked]\nsite = \"corp\"\nautostart = \"yes\"\nsitee = \"x\"\nlanguage = \"fr\"\nkeep_in_tray = false\n\n[locked.helpdesk]\nname = \"IT\"\ncolour = \"red\"\n\n[managed]\nsite = \"other\"\n\n[recommended]\nlanguage = \"ja\"\n";
    let (policy, found) = parse(text);
    let places: Vec<(usize, usize)> = found.iter().map(at).collect();
    assert_eq!(
        places,
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
    let places: Vec<(usize, usize)> = found.iter().map(at).collect();
    assert_eq!(
        places,
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
    let err = loaded.errors().next().unwrap();
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
        .errors()
        .next()
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

// Registry, managed preferences and profiles: one mapping, the same checks.

const SAME_TOML: &str = r#"
[recommended]
language = "ja"
autostart = true
companion = false
hidden_flows = ["trial-signup"]

[locked]
site = "example.cybozu.com"
keep_in_tray = false
guide_dirs = ["/srv/tobira/guides"]

[locked.helpdesk]
name = "IT helpdesk"
url = "https://help.corp.example/"

[[locked.bookmarks]]
name = "Expenses"
url = "/k/45/"
"#;

const SAME_REG: &str = r#"Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira]
"site"="example.cybozu.com"
"keep_in_tray"=dword:00000000
"bookmarks"="[{\"name\": \"Expenses\", \"url\": \"/k/45/\"}]"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\guide_dirs]
"1"="/srv/tobira/guides"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\helpdesk]
"name"="IT helpdesk"
"url"="https://help.corp.example/"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\Recommended]
"language"="ja"
"autostart"=dword:00000001
"companion"=dword:00000000

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\Recommended\hidden_flows]
"1"="trial-signup"
"#;

/// The same as managed preferences (top-level locked).
const SAME_PREFERENCES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
  <key>site</key><string>example.cybozu.com</string>
  <key>keep_in_tray</key><false/>
  <key>guide_dirs</key><array><string>/srv/tobira/guides</string></array>
  <key>helpdesk</key>
  <dict><key>name</key><string>IT helpdesk</string><key>url</key><string>https://help.corp.example/</string></dict>
  <key>bookmarks</key>
  <array><dict><key>name</key><string>Expenses</string><key>url</key><string>/k/45/</string></dict></array>
  <key>Recommended</key>
  <dict>
    <key>language</key><string>ja</string>
    <key>autostart</key><true/>
    <key>companion</key><false/>
    <key>hidden_flows</key><array><string>trial-signup</string></array>
  </dict>
</dict>
</plist>
"#;

/// `text` saved as `name` in `dir`, read as `tobira policy check` reads it.
fn load_as(dir: &Path, name: &str, bytes: &[u8]) -> LoadedPolicy {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    load(&path).unwrap().unwrap()
}

fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

fn problem_texts(loaded: &LoadedPolicy) -> Vec<String> {
    loaded.dropped().map(|(path, p)| p.text(path)).collect()
}

#[test]
fn a_reg_export_and_managed_preferences_say_what_the_toml_says() {
    let dir = tempfile::tempdir().unwrap();
    let toml = load_as(dir.path(), "policy.toml", SAME_TOML.as_bytes());
    assert_eq!(problem_texts(&toml), Vec::<String>::new());
    assert!(toml.policy.locked.site.is_some());
    assert_eq!(toml.policy.recommended.companion, Some(false));
    let mut binary = Vec::new();
    plist::Value::from_reader_xml(SAME_PREFERENCES.as_bytes())
        .unwrap()
        .to_writer_binary(&mut binary)
        .unwrap();
    let profile = format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>PayloadType</key><string>Configuration</string><key>PayloadContent</key><array><dict><key>PayloadType</key><string>dev.tobira.desktop</string><key>PayloadVersion</key><integer>1</integer>{}</array></dict></plist>",
        SAME_PREFERENCES
            .split_once("<dict>")
            .unwrap()
            .1
            .rsplit_once("</plist>")
            .unwrap()
            .0
    );
    let others = [
        ("policy.reg", utf16(SAME_REG)),
        ("utf8.reg", SAME_REG.as_bytes().to_vec()),
        (
            "dev.tobira.desktop.plist",
            SAME_PREFERENCES.as_bytes().to_vec(),
        ),
        ("binary.plist", binary),
        ("policy.mobileconfig", profile.into_bytes()),
    ];
    for (name, bytes) in others {
        let loaded = load_as(dir.path(), name, &bytes);
        assert_eq!(problem_texts(&loaded), Vec::<String>::new(), "{name}");
        assert_eq!(loaded.policy, toml.policy, "{name}");
    }
}

#[test]
fn a_look_alike_site_in_a_reg_is_refused_with_the_value_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = SAME_REG.replace(
        "\"site\"=\"example.cybozu.com\"",
        "\"site\"=\"example.cybozu.com.evil.test\"",
    );
    let loaded = load_as(dir.path(), "evil.reg", &utf16(&text));
    let problems = problem_texts(&loaded);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let path = dir.path().join("evil.reg");
    assert!(
        problems[0].starts_with(&format!(
            "{}: HKEY_LOCAL_MACHINE\\Software\\Policies\\Tobira\\site: site: 'example.cybozu.com.evil.test'",
            path.display()
        )),
        "{problems:?}"
    );
    assert_eq!(loaded.policy.locked.site, None);
    assert_eq!(
        loaded.policy.locked.keep_in_tray,
        Some(false),
        "the rest applies"
    );
}

#[test]
fn wrong_kinds_and_unknown_names_are_named_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let reg = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tobira]\n\"autostart\"=\"yes\"\n\"keep_in_tray\"=dword:00000002\n\"sitee\"=\"corp\"\n\"bookmarks\"=\"[{\\\"name\\\": \\\"x\\\"}]\"\n\"guide_dirs\"=hex(7):41,00,00,00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tobira\\hidden_flows]\n\"first\"=\"a\"\n\n[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Tobira\\Recommended]\n\"language\"=\"fr\"\n\"site\"=-\n";
    let problems = problem_texts(&load_as(dir.path(), "kinds.reg", reg.as_bytes()));
    let expected = [
        r"Tobira\autostart: autostart: expected 0 or 1 (REG_DWORD",
        r"Tobira\keep_in_tray: keep_in_tray: expected 0 or 1 (REG_DWORD; <true/> or <false/> in a plist), found the number 2",
        r"Tobira\sitee: unknown key `sitee`; the keys are site, default_region",
        r"Tobira\bookmarks[0]: bookmarks: a bookmark needs both a name and a url",
        r"Tobira\guide_dirs: guide_dirs: expected a list",
        r"Tobira\hidden_flows\first: hidden_flows: the values of a list are named 1, 2, 3, …, not 'first'",
        r"Tobira\Recommended\language: language: unknown variant `fr`, expected `ja` or `en`",
        r#"Tobira\Recommended\site: line 15: `"site"=-` deletes the value; Tobira ignores it"#,
    ];
    for want in expected {
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "{want}\n{problems:#?}"
        );
    }
    let plist = r#"<plist version="1.0"><dict><key>autostart</key><string>yes</string><key>Recommended</key><dict><key>hidden_flows</key><array><integer>3</integer></array></dict></dict></plist>"#;
    let problems = problem_texts(&load_as(dir.path(), "kinds.plist", plist.as_bytes()));
    for want in [
        ": autostart: autostart: expected 0 or 1",
        ": Recommended.hidden_flows[0]: hidden_flows: expected a string",
    ] {
        assert!(problems.iter().any(|p| p.contains(want)), "{problems:?}");
    }
    for (name, bytes, says) in [
        ("none.reg", &b"site = 1\n"[..], "not a regedit export"),
        ("none.plist", &b"site = 1\n"[..], "not a property list"),
        (
            "empty.mobileconfig",
            &br#"<plist version="1.0"><dict><key>PayloadContent</key><array/></dict></plist>"#[..],
            "no payload for dev.tobira.desktop",
        ),
    ] {
        let problems = problem_texts(&load_as(dir.path(), name, bytes));
        assert!(
            problems[0].contains(":1:1: ") && problems[0].contains(says),
            "{problems:?}"
        );
    }
}

#[test]
fn the_machine_wins_over_the_user_and_both_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let reg = "Windows Registry Editor Version 5.00\n[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Tobira]\n\"site\"=\"user\"\n\"language\"=\"en\"\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tobira]\n\"site\"=\"machine\"\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tobira\\Recommended]\n\"default_region\"=\"us\"\n";
    let loaded = load_as(dir.path(), "both.reg", reg.as_bytes());
    let names: Vec<&str> = loaded.stores.iter().map(|s| s.name.as_str()).collect();
    let path = dir.path().join("both.reg").display().to_string();
    assert_eq!(
        names,
        [
            format!("{path}: HKEY_LOCAL_MACHINE"),
            format!("{path}: HKEY_CURRENT_USER")
        ]
    );
    let host = |values: &PolicyValues| values.site.as_ref().map(SiteAddress::host);
    assert_eq!(
        host(&loaded.policy.locked).as_deref(),
        Some("machine.kintone.com")
    );
    assert_eq!(
        host(&loaded.stores[1].values.locked).as_deref(),
        Some("user.kintone.com"),
        "the machine's region reads the user's bare subdomain"
    );
    assert_eq!(loaded.policy.locked.language, Some(Language::En));

    // The installed policy: the OS's stores (none on Linux), then the file.
    let file = dir.path().join("policy.toml");
    fs::write(&file, SAME_TOML).unwrap();
    let installed = load_installed(&file);
    assert!(installed.stores.last().unwrap().found);
    assert!(installed.policy.locked.site.is_some());
    assert!(
        !load_installed(&dir.path().join("none.toml"))
            .stores
            .last()
            .unwrap()
            .found
    );
}

#[test]
fn mcx_forced_settings_are_locked_and_set_once_recommended() {
    let dir = tempfile::tempdir().unwrap();
    let profile = r#"<plist version="1.0"><dict>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadContent</key><array>
 <dict><key>PayloadType</key><string>com.apple.ManagedClient.preferences</string>
  <key>PayloadContent</key><dict><key>dev.tobira.desktop</key><dict>
   <key>Forced</key><array><dict><key>mcx_preference_settings</key><dict><key>site</key><string>corp</string></dict></dict></array>
   <key>Set-Once</key><array><dict><key>mcx_preference_settings</key><dict><key>language</key><string>en</string></dict></dict></array>
  </dict></dict>
 </dict>
 <dict><key>PayloadType</key><string>com.apple.wifi.managed</string></dict>
</array></dict></plist>"#;
    let loaded = load_as(dir.path(), "mcx.mobileconfig", profile.as_bytes());
    assert_eq!(problem_texts(&loaded), Vec::<String>::new());
    assert_eq!(
        loaded
            .policy
            .locked
            .site
            .as_ref()
            .map(SiteAddress::host)
            .as_deref(),
        Some("corp.cybozu.com")
    );
    assert_eq!(loaded.policy.recommended.language, Some(Language::En));
    // Signed: the XML inside the CMS wrapper is read.
    let mut signed = vec![0x30, 0x80, 0x06, 0x09];
    signed.extend(
        profile
            .replace("<plist", "<?xml version=\"1.0\"?><plist")
            .as_bytes(),
    );
    signed.extend([0x00, 0x00, 0xA0, 0x82]);
    let loaded = load_as(dir.path(), "signed.mobileconfig", &signed);
    assert_eq!(problem_texts(&loaded), Vec::<String>::new());
    assert!(loaded.policy.locked.site.is_some());
}

#[test]
fn the_shipped_example_profile_reads_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let example = include_bytes!("../../../../../packaging/policy/macos/Tobira.mobileconfig");
    let loaded = load_as(dir.path(), "Tobira.mobileconfig", example);
    assert_eq!(problem_texts(&loaded), Vec::<String>::new());
    assert_eq!(
        loaded.policy.locked.bookmarks.as_ref().map(Vec::len),
        Some(2)
    );
    // An example deployed unchanged switches nothing off.
    assert_eq!(loaded.policy.recommended.allow_guest_sites, Some(true));
    assert_eq!(loaded.policy.recommended.companion, Some(true));
}

#[test]
fn the_diagnosis_names_each_key_its_store_and_what_was_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let reg = "Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tobira]\n\"site\"=\"machine\"\n\"colour\"=\"red\"\n[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Tobira]\n\"site\"=\"user\"\n\"autostart\"=\"yes\"\n[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Tobira\\Recommended]\n\"language\"=\"ja\"\n";
    let loaded = load_as(dir.path(), "show.reg", reg.as_bytes());
    let user = Settings {
        language: Some(Language::En),
        ..Settings::default()
    };
    let effective = EffectiveSettings::resolve(&loaded.policy, &user);
    let settings_file = dir.path().join("settings.toml");
    let diagnosis = Diagnosis::new(&loaded, &effective, Some(&settings_file));
    let key = |name: &str| diagnosis.keys.iter().find(|k| k.key == name).unwrap();
    let path = dir.path().join("show.reg").display().to_string();

    let site = key("site");
    assert_eq!(
        (site.source, site.status),
        (Source::Locked, KeyStatus::Overridden)
    );
    assert_eq!(
        site.store.as_deref(),
        Some(format!("{path}: HKEY_LOCAL_MACHINE").as_str())
    );
    assert_eq!(site.value["host"], "machine.cybozu.com");
    assert_eq!(
        site.overridden[0].store,
        format!("{path}: HKEY_CURRENT_USER")
    );

    let language = key("language");
    assert_eq!(
        (language.source, language.status),
        (Source::User, KeyStatus::Overridden)
    );
    assert_eq!(language.store, Some(settings_file.display().to_string()));
    assert_eq!(language.overridden[0].source, Source::Recommended);

    let autostart = key("autostart");
    assert_eq!(
        (autostart.source, autostart.status),
        (Source::Builtin, KeyStatus::Dropped)
    );
    assert!(autostart.problems[0].contains(r"Tobira\autostart: autostart: expected 0 or 1"));
    assert_eq!(key("keep_in_tray").status, KeyStatus::Ok);

    assert_eq!(diagnosis.unknown_keys.len(), 1);
    assert_eq!(diagnosis.unknown_keys[0].name, "colour");
    assert_eq!(diagnosis.read.len(), 2);
    assert!(diagnosis.read.iter().all(|r| r.found));

    // A TOML file's problems are put under their key too.
    let loaded = load_as(
        dir.path(),
        "policy.toml",
        b"[locked]\nautostart = \"yes\"\nhelp_desk = 1\n\n[locked.helpdesk]\nurl = \"http://x/\"\n",
    );
    let effective = EffectiveSettings::resolve(&loaded.policy, &Settings::default());
    let diagnosis = Diagnosis::new(&loaded, &effective, None);
    let key = |name: &str| diagnosis.keys.iter().find(|k| k.key == name).unwrap();
    assert_eq!(key("autostart").status, KeyStatus::Dropped);
    assert!(key("autostart").problems[0].contains("policy.toml:2:13:"));
    assert_eq!(key("helpdesk").status, KeyStatus::Dropped);
    assert_eq!(diagnosis.unknown_keys[0].name, "help_desk");
}

#[test]
fn a_problem_inside_a_character_still_names_its_key() {
    // The fuzzer found a parser offset inside a multi-byte character.
    let text = "[locked]\nautostart = \"é\"\n";
    let inside = text.find('é').unwrap() + 1;
    assert!(super::toml_key_at(text, inside).is_some());
}
