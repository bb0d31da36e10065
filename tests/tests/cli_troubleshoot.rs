//! `tobira troubleshoot --query TEXT [--lang] [--region] [--json]` per the
//! CLI contract: `{"matches":[{"cause","title","score"}…]}`, best first.

use tobira_tests::tobira;

fn causes(args: &[&str]) -> Vec<String> {
    let config = tempfile::tempdir().unwrap();
    let mut all = vec!["troubleshoot", "--json"];
    all.extend_from_slice(args);
    let run = tobira(config.path(), &all);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    let matches = json["matches"].as_array().unwrap();
    for m in matches {
        assert!(m["title"].is_string() && m["score"].is_number(), "{m}");
    }
    matches
        .iter()
        .map(|m| m["cause"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_pasted_error_text_ranks_its_cause_first() {
    assert_eq!(
        causes(&["--query", "不正なリクエストです。"])[0],
        "maintenance"
    );
    assert_eq!(
        causes(&["--query", "Ｃｏｄｅ：　４０４　ＮｏｔＦｏｕｎｄ"])[0],
        "wrong-url"
    );
}

#[test]
fn authenticator_codes_point_to_the_code_or_the_clock() {
    let first = causes(&[
        "--lang",
        "en",
        "--query",
        "my authenticator codes are always rejected",
    ])
    .remove(0);
    assert!(
        first == "2fa-code-rejected" || first == "clock-skew",
        "{first}"
    );
    // Two-factor problems are a US-region topic; in the US the code comes first.
    let us = causes(&[
        "--lang",
        "en",
        "--region",
        "us",
        "--query",
        "my authenticator codes are always rejected",
    ]);
    assert_eq!(us[0], "2fa-code-rejected");
    let jp = causes(&[
        "--region",
        "jp",
        "--query",
        "my authenticator codes are always rejected",
    ]);
    assert!(!jp.contains(&"2fa-code-rejected".to_owned()), "{jp:?}");
}

#[test]
fn titles_follow_the_language() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(
        config.path(),
        &[
            "troubleshoot",
            "--json",
            "--lang",
            "ja",
            "--query",
            "Code: 404 NotFound",
        ],
    );
    assert_eq!(run.json()["matches"][0]["title"], "アドレスが間違っている");
    let text = tobira(
        config.path(),
        &["troubleshoot", "--query", "forgot my password"],
    );
    assert!(text.stdout.contains("forgot-password"), "{}", text.stdout);
}

#[test]
fn an_empty_query_is_bad_input() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(config.path(), &["troubleshoot", "--json", "--query", "   "]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "usage");
}
