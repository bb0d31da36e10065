use super::*;
use proptest::prelude::*;

fn ok(input: &str) -> SiteAddress {
    SiteAddress::parse(input, Region::Jp)
        .unwrap_or_else(|e| panic!("{input:?} should be accepted, got {e:?}"))
}

fn rejected(input: &str) -> &'static str {
    match SiteAddress::parse(input, Region::Jp) {
        Ok(site) => panic!("{input:?} should be rejected, got {}", site.host()),
        Err(e) => e.code(),
    }
}

#[test]
fn accepts_what_users_paste() {
    let cases: &[(&str, &str, Region, bool)] = &[
        ("example", "example", Region::Jp, false),
        ("  example  ", "example", Region::Jp, false),
        ("ｅｘａｍｐｌｅ", "example", Region::Jp, false),
        ("EXAMPLE", "example", Region::Jp, false),
        ("\u{3000}Example\u{3000}", "example", Region::Jp, false),
        ("example.cybozu.com", "example", Region::Jp, false),
        ("Example.Cybozu.Com", "example", Region::Jp, false),
        (
            "ｅｘａｍｐｌｅ．ｃｙｂｏｚｕ．ｃｏｍ",
            "example",
            Region::Jp,
            false,
        ),
        ("example。cybozu。com", "example", Region::Jp, false),
        (
            "ログインURL：https://example.cybozu.com/",
            "example",
            Region::Jp,
            false,
        ),
        (
            "URL: https://example.cybozu.com/k/ (bookmark it)",
            "example",
            Region::Jp,
            false,
        ),
        (
            "招待メールのURLはhttps://example.kintone.com/です",
            "example",
            Region::Us,
            false,
        ),
        (
            "Open <https://example.cybozu.cn/k/> to start",
            "example",
            Region::Cn,
            false,
        ),
        (
            "ｅｘａｍｐｌｅ｡ｋｉｎｔｏｎｅ｡ｃｏｍ",
            "example",
            Region::Us,
            false,
        ),
        (
            "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｙｂｏｚｕ．ｃｏｍ／ｋ／",
            "example",
            Region::Jp,
            false,
        ),
        (
            "https://example.cybozu.com/k/ をブックマーク",
            "example",
            Region::Jp,
            false,
        ),
        ("https://example.cybozu.com", "example", Region::Jp, false),
        ("https://example.cybozu.com/", "example", Region::Jp, false),
        ("http://example.cybozu.com/", "example", Region::Jp, false),
        (
            "HTTPS://EXAMPLE.CYBOZU.COM/K/",
            "example",
            Region::Jp,
            false,
        ),
        (
            "https://example.cybozu.com/k/#/space/1",
            "example",
            Region::Jp,
            false,
        ),
        (
            "https://example.cybozu.com/k/guest/7/#/space/7",
            "example",
            Region::Jp,
            false,
        ),
        (
            "https://example.cybozu.com/k/12/show#record=3",
            "example",
            Region::Jp,
            false,
        ),
        (
            "https://example.cybozu.com/login?redirect=%2Fk%2F",
            "example",
            Region::Jp,
            false,
        ),
        (
            "https://example.cybozu.com?x=1",
            "example",
            Region::Jp,
            false,
        ),
        ("example.cybozu.com/k/", "example", Region::Jp, false),
        ("example.cybozu.com.", "example", Region::Jp, false),
        ("//example.cybozu.com/k/", "example", Region::Jp, false),
        (
            "<https://example.cybozu.com/k/>",
            "example",
            Region::Jp,
            false,
        ),
        (
            "「https://example.cybozu.com/」",
            "example",
            Region::Jp,
            false,
        ),
        ("\"example.cybozu.com\"", "example", Region::Jp, false),
        (
            "https:\\\\example.cybozu.com\\k\\",
            "example",
            Region::Jp,
            false,
        ),
        ("my-company.cybozu.com", "my-company", Region::Jp, false),
        ("a1.cybozu.com", "a1", Region::Jp, false),
        ("example.kintone.com", "example", Region::Us, false),
        (
            "https://example.kintone.com/k/#/portal",
            "example",
            Region::Us,
            false,
        ),
        ("example.cybozu.cn", "example", Region::Cn, false),
        ("https://example.cybozu.cn/k/", "example", Region::Cn, false),
        ("example.s.cybozu.com", "example", Region::Jp, true),
        (
            "https://example.s.cybozu.com/k/",
            "example",
            Region::Jp,
            true,
        ),
        ("example.s.cybozu.cn", "example", Region::Cn, true),
        ("https://example", "example", Region::Jp, false),
        ("example/k/", "example", Region::Jp, false),
        ("\texample.cybozu.com\n", "example", Region::Jp, false),
    ];
    for (input, subdomain, region, secure) in cases {
        let site = ok(input);
        assert_eq!(site.subdomain(), *subdomain, "{input:?}");
        assert_eq!(site.region(), *region, "{input:?}");
        assert_eq!(site.secure_access(), *secure, "{input:?}");
    }
}

#[test]
fn builds_urls_from_the_host_only() {
    let site = ok("https://example.s.cybozu.com/k/guest/7/#/space/7");
    assert_eq!(site.host(), "example.s.cybozu.com");
    assert_eq!(site.login_url(), "https://example.s.cybozu.com/");
    assert_eq!(site.portal_url(), "https://example.s.cybozu.com/k/");
}

#[test]
fn a_bare_word_takes_the_default_region() {
    let us = SiteAddress::parse("example", Region::Us).unwrap();
    assert_eq!(us.host(), "example.kintone.com");
    let cn = SiteAddress::parse("example", Region::Cn).unwrap();
    assert_eq!(cn.host(), "example.cybozu.cn");
    // An explicit domain wins over the default.
    let jp = SiteAddress::parse("example.cybozu.com", Region::Us).unwrap();
    assert_eq!(jp.region(), Region::Jp);
}

#[test]
fn rejects_with_a_specific_reason() {
    let cases: &[(&str, &str)] = &[
        ("", "empty-input"),
        ("   ", "empty-input"),
        ("\u{3000}", "empty-input"),
        ("https://", "empty-input"),
        ("<>", "empty-input"),
        // userinfo, the classic phishing shapes
        (
            "https://example.cybozu.com@evil.test/",
            "userinfo-not-allowed",
        ),
        (
            "https://user:pass@example.cybozu.com/",
            "userinfo-not-allowed",
        ),
        ("example.cybozu.com@evil.test", "userinfo-not-allowed"),
        ("taro@example.co.jp", "looks-like-email"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ", "looks-like-email"),
        ("taro@example.cybozu.com", "userinfo-not-allowed"),
        ("きんとーん", "non-ascii-address"),
        ("会社.cybozu.com", "non-ascii-address"),
        ("ехample.cybozu.com", "idn-not-allowed"),
        (
            "https://evil.test\\@example.cybozu.com",
            "not-kintone-domain",
        ),
        // other schemes
        (
            "see https://example.cybozu.com@evil.test/",
            "userinfo-not-allowed",
        ),
        (
            "phishing: https://example.cybozu.com.evil.test/ now",
            "lookalike-domain",
        ),
        ("javascript:alert(1)", "unsupported-scheme"),
        ("ftp://example.cybozu.com/", "unsupported-scheme"),
        ("file:///etc/passwd", "unsupported-scheme"),
        ("mailto:someone@example.cybozu.com", "unsupported-scheme"),
        ("data:text/html,hi", "unsupported-scheme"),
        ("tobira://site/example", "unsupported-scheme"),
        // ports
        ("https://example.cybozu.com:443/", "port-not-allowed"),
        ("https://example.cybozu.com:8443/k/", "port-not-allowed"),
        ("example.cybozu.com:80", "port-not-allowed"),
        ("https://example.cybozu.com:/", "port-not-allowed"),
        // IP addresses in every form browsers accept
        ("https://192.168.0.10/", "ip-address-not-allowed"),
        ("127.0.0.1", "ip-address-not-allowed"),
        ("http://2130706433/", "ip-address-not-allowed"),
        ("http://0x7f.1/", "ip-address-not-allowed"),
        ("0x1f", "ip-address-not-allowed"),
        ("12345", "ip-address-not-allowed"),
        ("https://[::1]/", "ip-address-not-allowed"),
        // internationalised and homoglyph hosts
        ("https://ехample.cybozu.com/", "idn-not-allowed"), // Cyrillic е, х
        ("https://example.cybоzu.com/", "idn-not-allowed"), // Cyrillic о
        ("例え.cybozu.com", "non-ascii-address"),
        ("xn--e1awd7f.cybozu.com", "idn-not-allowed"),
        ("https://example.xn--cybzu-7ve.com/", "idn-not-allowed"),
        ("ab--cd.cybozu.com", "idn-not-allowed"),
        // bad DNS labels
        ("exa_mple.cybozu.com", "invalid-label"),
        ("example..cybozu.com", "invalid-label"),
        (".example.cybozu.com", "invalid-label"),
        ("-example.cybozu.com", "invalid-label"),
        ("example-.cybozu.com", "invalid-label"),
        ("exa mple.cybozu.com", "invalid-label"),
        ("%65xample.cybozu.com", "invalid-label"),
        ("example!.cybozu.com", "invalid-label"),
        (&format!("{}.cybozu.com", "a".repeat(64)), "invalid-label"),
        // look-alike domains
        ("example.cybozu.com.evil.test", "lookalike-domain"),
        ("example.cybozu.co", "lookalike-domain"),
        ("example.cybozu.co.jp", "lookalike-domain"),
        ("example.cyboz.com", "lookalike-domain"),
        ("example.cyb0zu.com", "lookalike-domain"),
        ("example.kintone.co", "lookalike-domain"),
        ("example.kintone.jp", "lookalike-domain"),
        ("example-cybozu.com", "lookalike-domain"),
        ("example.cybozu-com.net", "lookalike-domain"),
        ("example.kint0ne.com", "lookalike-domain"),
        ("example.cybozu.cm", "lookalike-domain"),
        // not kintone at all
        ("example.com", "not-kintone-domain"),
        ("https://www.google.com/", "not-kintone-domain"),
        ("evil.test", "not-kintone-domain"),
        // the bare domains
        ("cybozu.com", "missing-subdomain"),
        ("https://kintone.com/", "missing-subdomain"),
        ("s.cybozu.com", "missing-subdomain"),
        ("s", "missing-subdomain"),
        ("https://s/", "missing-subdomain"),
        ("cybozu.cn", "missing-subdomain"),
        // structure
        ("www.example.cybozu.com", "too-many-labels"),
        ("a.b.cybozu.com", "too-many-labels"),
        ("a.b.s.cybozu.com", "too-many-labels"),
        ("example.s.kintone.com", "secure-access-not-in-region"),
        // length
        (&"a".repeat(MAX_INPUT_CHARS + 1), "input-too-long"),
        (
            &format!("{}.cybozu.com", ["a"; 130].join(".")),
            "input-too-long",
        ),
    ];
    for (input, code) in cases {
        assert_eq!(rejected(input), *code, "{input:?}");
    }
}

#[test]
fn userinfo_is_reported_by_where_it_leads_never_echoed() {
    let err =
        SiteAddress::parse("https://example.cybozu.com@evil.test/k/", Region::Jp).unwrap_err();
    assert_eq!(err.detail().as_deref(), Some("evil.test"));
    let err =
        SiteAddress::parse("https://taro:S3cret!@example.cybozu.com/", Region::Jp).unwrap_err();
    assert_eq!(err.code(), "userinfo-not-allowed");
    assert!(!format!("{err} {err:?}").contains("S3cret"), "{err:?}");
}

#[test]
fn punycode_is_shown_decoded() {
    // "ехample" with a Cyrillic е and х, in its ASCII form.
    let err = SiteAddress::parse("https://xn--ample-ywe6i.cybozu.com/", Region::Jp).unwrap_err();
    assert_eq!(err.code(), "idn-not-allowed");
    assert_eq!(
        err.detail().as_deref(),
        Some("xn--ample-ywe6i = \u{435}\u{445}ample")
    );
}

#[test]
fn every_code_is_listed_once() {
    let mut codes = SiteError::CODES.to_vec();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), SiteError::CODES.len());
    let samples = [
        "",
        &"a".repeat(MAX_INPUT_CHARS + 1),
        "ftp://x",
        "a@b",
        "a.cybozu.com:1",
        "1.2.3.4",
        "ä.cybozu.com",
        "サイボウズ.cybozu.com",
        "taro@example.co.jp",
        "a_b.cybozu.com",
        "a.cybozu.co",
        "a.example",
        "cybozu.com",
        "a.b.cybozu.com",
        "a.s.kintone.com",
    ];
    let seen: Vec<&str> = samples
        .iter()
        .map(|s| SiteAddress::parse(s, Region::Jp).unwrap_err().code())
        .collect();
    assert_eq!(seen, SiteError::CODES);
}

#[test]
fn json_shape_matches_the_cli_contract() {
    let json = serde_json::to_value(ok("example.s.cybozu.cn")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "subdomain": "example",
            "region": "cn",
            "host": "example.s.cybozu.cn",
            "secure_access": true,
            "login_url": "https://example.s.cybozu.cn/",
            "portal_url": "https://example.s.cybozu.cn/k/",
        })
    );
}

#[test]
fn edit_distance_counts_typos() {
    assert_eq!(edit_distance("cybozu", "cybozu"), 0);
    assert_eq!(edit_distance("cyboz", "cybozu"), 1);
    assert_eq!(edit_distance("cyb0zu", "cybozu"), 1);
    assert_eq!(edit_distance("kintone", "kinton"), 1);
    assert_eq!(edit_distance("", "abc"), 3);
}

fn region_strategy() -> impl Strategy<Value = Region> {
    prop_oneof![Just(Region::Jp), Just(Region::Us), Just(Region::Cn)]
}

/// Inputs built from the pieces real addresses and attacks are made of, so
/// the properties are exercised on accepted inputs too, not only on noise.
fn address_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("https://".to_owned()),
        Just("http://".to_owned()),
        Just("example".to_owned()),
        Just(".cybozu.com".to_owned()),
        Just(".kintone.com".to_owned()),
        Just(".cybozu.cn".to_owned()),
        Just(".s".to_owned()),
        Just("/k/".to_owned()),
        Just("#/space/1".to_owned()),
        Just("@".to_owned()),
        Just(":443".to_owned()),
        Just("ｅｘ".to_owned()),
        Just("xn--".to_owned()),
        Just(" ".to_owned()),
        Just("\\".to_owned()),
        "[a-z0-9-]{1,12}",
        "\\PC{0,4}",
    ];
    prop::collection::vec(piece, 1..8).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn accepted_sites_are_kintone_https_urls(input in address_like(), region in region_strategy()) {
        if let Ok(site) = SiteAddress::parse(&input, region) {
            let host = site.host();
            prop_assert!(Region::ALL.iter().any(|r| host.ends_with(&format!(".{}", r.domain()))), "{host}");
            let url = url::Url::parse(&site.login_url()).unwrap();
            prop_assert_eq!(url.scheme(), "https");
            prop_assert_eq!(url.username(), "");
            prop_assert_eq!(url.password(), None);
            prop_assert_eq!(url.port(), None);
            prop_assert_eq!(url.host_str(), Some(host.as_str()));
            prop_assert!(!site.login_url()[8..].contains(':'));
        }
    }

    #[test]
    fn login_url_parses_back_to_the_same_site(input in address_like(), region in region_strategy(), other in region_strategy()) {
        if let Ok(site) = SiteAddress::parse(&input, region) {
            prop_assert_eq!(&SiteAddress::parse(&site.login_url(), other).unwrap(), &site);
            prop_assert_eq!(&SiteAddress::parse(&site.portal_url(), other).unwrap(), &site);
            prop_assert_eq!(&SiteAddress::parse(&site.host(), other).unwrap(), &site);
        }
    }

    #[test]
    fn no_input_panics(input in "\\PC{0,300}", region in region_strategy()) {
        let _ = SiteAddress::parse(&input, region);
    }

    #[test]
    fn any_valid_subdomain_is_accepted(sub in "[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?", region in region_strategy()) {
        prop_assume!(sub.get(2..4) != Some("--"));
        // `123` and `0x1f` alone read as IPv4 addresses, as browsers read them.
        prop_assume!(!is_numeric_label(&sub));
        prop_assume!(sub != "s", "`s` alone is the secure-access marker");
        let site = SiteAddress::parse(&sub, region).unwrap();
        prop_assert_eq!(site.subdomain(), sub.as_str());
        prop_assert_eq!(site.region(), region);
    }
}
