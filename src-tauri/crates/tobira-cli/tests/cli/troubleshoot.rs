//! `tobira troubleshoot --query TEXT [--answer Q.A]… [--lang] [--region] [--json]`
//! per the CLI contract: `{"matches":[{"cause","title","score","why"}…],"ask"?}`, best first.

use crate::program::tobira;

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

#[test]
fn the_two_new_causes_are_found_in_everyday_words() {
    assert_eq!(
        causes(&["--query", "VPNが切れてから何も開けない"])[0],
        "network-offline"
    );
    assert_eq!(
        causes(&["--query", "招待メールが届かない"])[0],
        "invitation-not-received"
    );
    assert_eq!(
        causes(&[
            "--lang",
            "en",
            "--query",
            "the invite email never showed up"
        ])[0],
        "invitation-not-received"
    );
}

#[test]
fn each_match_says_why_it_was_picked() {
    let config = tempfile::tempdir().unwrap();
    let run = tobira(
        config.path(),
        &[
            "troubleshoot",
            "--json",
            "--lang",
            "en",
            "--region",
            "us",
            "--query",
            "my iPhone fell in the sea and now I have no codes",
        ],
    );
    let first = &run.json()["matches"][0];
    assert_eq!(first["cause"], "2fa-device-lost", "{first}");
    let words: Vec<&str> = first["why"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["words"].as_str().unwrap())
        .collect();
    assert!(
        words.contains(&"iphone") && words.contains(&"fell in"),
        "{words:?}"
    );
}

/// Runs troubleshoot in Japanese and returns the whole JSON answer.
fn outcome(args: &[&str]) -> serde_json::Value {
    outcome_in("ja", args)
}

fn outcome_in(language: &str, args: &[&str]) -> serde_json::Value {
    let config = tempfile::tempdir().unwrap();
    let mut all = vec![
        "troubleshoot",
        "--json",
        "--region",
        "jp",
        "--lang",
        language,
    ];
    all.extend_from_slice(args);
    let run = tobira(config.path(), &all);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.json()
}

#[test]
fn close_causes_bring_one_question_and_an_answer_decides() {
    let query = "クライアント証明書の期限のことで困っています";
    let first = outcome(&["--query", query]);
    let ask = &first["ask"];
    assert!(ask["text"].is_string(), "an ask object: {first}");
    let answers: Vec<&str> = ask["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(
        answers.contains(&"certificate.expiring") && answers.contains(&"certificate.expired"),
        "{answers:?}"
    );
    for (answer, cause) in [
        ("certificate.expiring", "client-cert-expiring"),
        ("certificate.expired", "client-cert-expired"),
    ] {
        let next = outcome(&["--query", query, "--answer", answer]);
        assert_eq!(next["matches"][0]["cause"], cause, "{next}");
        assert_eq!(next["matches"][0]["why"][0]["idea"], "あなたの答え");
    }
    // An exact error text needs no question.
    assert!(outcome(&["--query", "不正なリクエストです。"])["ask"].is_null());
}

#[test]
fn causes_picked_for_the_same_words_are_told_apart_by_a_question() {
    // "certificate" alone fits every certificate cause, however they score.
    let vague = outcome_in(
        "en",
        &["--query", "I have trouble with my client certificate"],
    );
    let answers: Vec<&str> = vague["ask"]["answers"]
        .as_array()
        .unwrap_or_else(|| panic!("an ask object: {vague}"))
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(answers.len() >= 3, "{answers:?}");
    // Words that say which one it is need no question.
    let told = outcome_in("en", &["--query", "my client certificate has expired"]);
    assert_eq!(told["matches"][0]["cause"], "client-cert-expired", "{told}");
    assert!(told["ask"].is_null(), "{told}");
}

#[test]
fn answers_alone_are_enough_and_an_unknown_answer_is_bad_input() {
    let only = outcome(&["--answer", "mail.invitation"]);
    assert_eq!(only["matches"][0]["cause"], "invitation-not-received");
    let config = tempfile::tempdir().unwrap();
    let run = tobira(
        config.path(),
        &[
            "troubleshoot",
            "--json",
            "--query",
            "x",
            "--answer",
            "where.moon",
        ],
    );
    assert_eq!(run.code, 2);
    let message = run.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("where.moon") && message.contains("QUESTION.ANSWER"),
        "{message}"
    );
}
