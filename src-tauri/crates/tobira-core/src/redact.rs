//! The one place that takes secrets out of text before it leaves the
//! machine: support reports, doctor details, logs.
//!
//! Text is width-normalised first (NFKC: ｐａｓｓｗｏｒｄ is password), then
//! the *value* after a secret's name is removed in English and Japanese
//! ("password is [removed]", 「パスワードは[removed]です」) while the name and
//! the words around it stay, so support still reads what happened. URL user
//! info and query values, authorization headers, cookies and long
//! machine-made tokens go too. Words that describe a password rather than
//! being one ("the password is wrong", 「パスワードは正しい」) are kept.

use std::sync::LazyLock;

use regex::{Captures, Regex};
use unicode_normalization::UnicodeNormalization;
use url::Url;

/// What stands where a secret was.
pub const REMOVED: &str = "[removed]";

/// The longest text kept from the user.
pub const MAX_CHARS: usize = 2000;

/// Names of secrets in English; the value follows `:`, `=`, "is" or "was".
const ENGLISH_KEYS: &str = r"[a-z_]*pass(?:word|wd|phrase|code)s?|pwd|pw|pin(?:\s*code)?|[a-z_]*token|secret|api[\s_-]?key|session(?:\s*id)?|otp|one[\s-]time\s+(?:password|code)|(?:verification|security|auth(?:entication)?|2fa|sms|login)\s+code|client[\s_]secret";
/// Names of secrets in Japanese; the value follows a particle or a colon.
const JAPANESE_KEYS: &str = r"パスワード|ぱすわーど|暗証番号|認証コード|確認コード|ワンタイムパスワード|セキュリティコード|パスコード|トークン|合言葉|ピン番号|APIキー|シークレット";

/// Words that say something *about* a password rather than being one.
const DESCRIBING: [&str; 52] = [
    "correct",
    "right",
    "wrong",
    "incorrect",
    "empty",
    "blank",
    "invalid",
    "valid",
    "expired",
    "rejected",
    "refused",
    "not",
    "definitely",
    "surely",
    "fine",
    "ok",
    "okay",
    "the",
    "my",
    "same",
    "a",
    "an",
    "too",
    "still",
    "also",
    "being",
    "case",
    "required",
    "missing",
    "changed",
    "reset",
    "new",
    "old",
    "different",
    "accepted",
    "saved",
    "stored",
    "forgotten",
    "unknown",
    "locked",
    "lost",
    "sent",
    "in",
    "on",
    "word",
    "usual",
    "birthday",
    "probably",
    "maybe",
    "just",
    "really",
    "now",
];

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a redaction pattern compiles")
}

static URL_USER_INFO: LazyLock<Regex> =
    // Whatever stands before `://` (text glued to the scheme, 「パhttps://…」,
    // a mangled scheme): user info after it never stays.
    LazyLock::new(|| compile(r"(://)[^/\s@]*@"));
/// `user:password@host` without a scheme, `curl -u user:password`.
static BARE_USER_INFO: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(^|[\s(<\x22'])[^\s/@:()<>\x22']+:[^\s/@]+@"));
static COMMAND_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| compile(r"(\s-u|--user)(\s+)\S+"));
/// `"password": "x"` in JSON or a dictionary pasted from a log.
static QUOTED_KEY: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r#"(?i)(["']({ENGLISH_KEYS}|[a-z_]*key|[a-z_]*secret)["']\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}}]+)"#
    ))
});
static QUERY_VALUE: LazyLock<Regex> = LazyLock::new(|| compile(r"([?&;][^=\s&#?]+)=[^&\s#]*"));
/// Parameters servers use for tickets and sessions, outside a query too.
static SERVER_PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(saml(?:request|response)|relaystate|ticket|(?:access|id|refresh)_token|sid|jsessionid|session_?id|code|state)=[^&\s#]*",
    )
});
static AUTH_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b((?:proxy-)?authorization)\s*[:=]\s*(?:(basic|bearer|digest|negotiate|token|ntlm)\s+)?\S+",
    )
});
static AUTH_SCHEME: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(basic|bearer)\s+[A-Za-z0-9+/=._~-]{8,}"));
static COOKIE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b(set-cookie|cookie)\s*[:=][^\n]*"));
/// `password: a b c` (the rest of the clause), `password = x`.
static ENGLISH_AFTER_MARK: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r#"(?i)\b({ENGLISH_KEYS})(\s*[:=]\s*)("[^"]*"|'[^']*'|“[^”]*”|「[^」]*」|[^\s.,;!?。、]+(?:[ \t]+[^\s.,;!?。、]+)*)"#
    ))
});
/// `password is x` (one word, or a quoted phrase).
static ENGLISH_AFTER_IS: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r#"(?i)\b({ENGLISH_KEYS})(\s+(?:is|was|is now|will be|should be|set to|of|'s)\s*:?\s+|'s\s+|\s*(?:->|=>)\s*)("[^"]*"|'[^']*'|“[^”]*”|「[^」]*」|[^\s,;!?。、]+(?:\s+[^\s,;!?。、]+){{0,3}})"#
    ))
});
/// `password "a b c"`: a quoted value right after the name.
static ENGLISH_QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r#"(?i)\b({ENGLISH_KEYS})(\s+)("[^"]*"|'[^']*'|“[^”]*”|「[^」]*」)"#
    ))
});
/// `password hunter2`: a word right after the name, removed only when it
/// looks like a password (the password *field* stays).
static ENGLISH_BARE: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!(r"(?i)\b({ENGLISH_KEYS})(\s+)([^\s,;。、]+)")));
/// 「パスワードはHunter22です」, 「暗証番号：1234」, 「パスワードが『abc def』」.
static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r#"(?i)({JAPANESE_KEYS}|\bPW|\bPIN)((?:\s*(?:は|が|を|も|って|なら|に|、|,|:|=|：|＝|→)\s*)*\s*)("[^"]*"|“[^”]*”|”[^”]*”|「[^」]*」|『[^』]*』|【[^】]*】|[!-~]+)"#
    ))
});
/// 16+ characters of letters and digits mixed: a token, a hash, a cookie.
static MACHINE_MADE: LazyLock<Regex> = LazyLock::new(|| compile(r"[A-Za-z0-9+=_~%-]{16,}"));

/// What the user typed or pasted, with every secret-looking value replaced
/// by [`REMOVED`]; width-normalised first, so full-width secrets are found.
pub fn text(text: &str) -> String {
    scrub(text.nfkc().take(MAX_CHARS).collect())
}

/// Text Tobira wrote around data it saw (a doctor's detail, a log line):
/// the same rules, but the text keeps its own characters (a Japanese
/// sentence keeps its full-width punctuation).
pub fn detail(text: &str) -> String {
    scrub(text.chars().take(MAX_CHARS).collect())
}

fn scrub(mut out: String) -> String {
    out = URL_USER_INFO
        .replace_all(&out, "${1}[removed]@")
        .into_owned();
    out = BARE_USER_INFO
        .replace_all(&out, "${1}[removed]@")
        .into_owned();
    out = COMMAND_CREDENTIALS
        .replace_all(&out, "${1}${2}[removed]")
        .into_owned();
    out = QUOTED_KEY
        .replace_all(&out, |c: &Captures| {
            let value = &c[3];
            let quote = if value.starts_with(['"', '\'']) {
                &value[..1]
            } else {
                ""
            };
            format!("{}{quote}{REMOVED}{quote}", &c[1])
        })
        .into_owned();
    out = QUERY_VALUE.replace_all(&out, "${1}=[removed]").into_owned();
    out = SERVER_PARAMETER
        .replace_all(&out, "${1}=[removed]")
        .into_owned();
    out = AUTH_HEADER
        .replace_all(&out, |c: &Captures| match c.get(2) {
            Some(scheme) => format!("{}: {} {REMOVED}", &c[1], scheme.as_str()),
            None => format!("{}: {REMOVED}", &c[1]),
        })
        .into_owned();
    out = AUTH_SCHEME.replace_all(&out, "${1} [removed]").into_owned();
    out = COOKIE.replace_all(&out, "${1}: [removed]").into_owned();
    out = ENGLISH_AFTER_MARK
        .replace_all(&out, |c: &Captures| keep_or_remove(c, false))
        .into_owned();
    out = ENGLISH_AFTER_IS
        .replace_all(&out, |c: &Captures| keep_or_remove(c, true))
        .into_owned();
    out = ENGLISH_QUOTED
        .replace_all(&out, |c: &Captures| keep_or_remove(c, false))
        .into_owned();
    out = ENGLISH_BARE
        .replace_all(&out, |c: &Captures| keep_or_remove(c, true))
        .into_owned();
    out = JAPANESE
        .replace_all(&out, |c: &Captures| keep_or_remove(c, false))
        .into_owned();
    // Removing a value can join what was left of an address back into
    // `scheme://user@host`: look for user info once more.
    out = URL_USER_INFO
        .replace_all(&out, "${1}[removed]@")
        .into_owned();
    MACHINE_MADE
        .replace_all(&out, |c: &Captures| {
            let token = &c[0];
            let mixed = token.chars().any(|ch| ch.is_ascii_digit())
                && token.chars().any(|ch| ch.is_ascii_alphabetic());
            if mixed && token != REMOVED {
                REMOVED.to_owned()
            } else {
                token.to_owned()
            }
        })
        .into_owned()
}

/// Keeps the key and its separator; the value goes unless it is already
/// removed or a word that describes the password ("is wrong"). After "is"
/// (`after_is`) the value may be a few words: the first goes unless it
/// describes, the others when they look like a password ("is still
/// Hunter22", "is not Hunter22 but Hunter23").
fn keep_or_remove(c: &Captures, after_is: bool) -> String {
    let (key, separator, value) = (&c[1], &c[2], &c[3]);
    let bare = value
        .trim_matches(|ch: char| !ch.is_alphanumeric())
        .to_lowercase();
    let words: Vec<&str> = value.split_whitespace().collect();
    let describing = |w: &str| {
        DESCRIBING.contains(
            &w.trim_matches(|ch: char| !ch.is_alphanumeric())
                .to_lowercase()
                .as_str(),
        )
    };
    // With nothing but a space between, only a word that looks like a
    // password is one ("password field" is not).
    let spaced_only = separator.trim().is_empty() && !separator.contains("'s");
    if value.contains(REMOVED)
        || bare.is_empty()
        || (spaced_only && !looks_like_a_password(value))
        || (words.len() == 1 && describing(words[0]))
    {
        return c[0].to_owned();
    }
    let quoted = value.starts_with(['"', '\'', '“', '”', '「', '『', '【']);
    if quoted {
        let open = value.chars().next().unwrap_or('"');
        let close = value.chars().last().unwrap_or('"');
        return format!("{key}{separator}{open}{REMOVED}{close}");
    }
    let shown: Vec<String> = if after_is {
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let secret = if i == 0 {
                    !describing(w)
                } else {
                    looks_like_a_password(w)
                };
                if secret {
                    REMOVED.to_owned()
                } else {
                    (*w).to_owned()
                }
            })
            .collect()
    } else {
        // After `=` a value is one word; after `:` it may be a phrase, up
        // to the words that go on to say what happened.
        let secret_words = if separator.contains('=') {
            1
        } else {
            words
                .iter()
                .skip(1)
                .position(|w| CONTINUING.contains(&w.to_lowercase().as_str()))
                .map_or(words.len(), |p| p + 1)
        };
        std::iter::once(REMOVED.to_owned())
            .chain(words[secret_words..].iter().map(|w| (*w).to_owned()))
            .collect()
    };
    format!("{key}{separator}{}", shown.join(" "))
}

/// Digits or symbols among letters, or a capital inside: not a word of
/// prose.
fn looks_like_a_password(word: &str) -> bool {
    let word = word.trim_end_matches(['.', ',', '!', '?', ')', ':', ';']);
    let letters = word.chars().any(char::is_alphabetic);
    let digits = word.chars().any(|c| c.is_ascii_digit());
    let symbols = word.chars().any(|c| c.is_ascii_punctuation());
    let inner_capital = word.chars().skip(1).any(|c| c.is_ascii_uppercase());
    word.is_ascii()
        && ((letters && (digits || symbols)) || inner_capital || (digits && word.len() >= 4))
}

/// Words after a secret that carry on the sentence ("PIN: 1234 does not work").
const CONTINUING: [&str; 24] = [
    "does",
    "doesn't",
    "doesnt",
    "did",
    "didn't",
    "is",
    "isn't",
    "was",
    "wasn't",
    "not",
    "and",
    "but",
    "fails",
    "failed",
    "won't",
    "wont",
    "still",
    "doesn’t",
    "didn’t",
    "isn’t",
    "gets",
    "got",
    "so",
    "then",
];

/// A URL said in a detail or a report: scheme, host, port and path only
/// (user info, query and fragment can carry tickets and session ids).
pub fn url(url: &Url) -> String {
    let mut shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        shown.push_str(&format!(":{port}"));
    }
    shown.push_str(url.path());
    shown
}

/// [`url`] for a text that should be a URL. One that cannot be read is not
/// repeated at all: what it hides cannot be told apart.
pub fn url_text(text: &str) -> String {
    match Url::parse(text) {
        Ok(parsed) if parsed.has_host() && !text.contains(char::is_whitespace) => url(&parsed),
        _ => UNREADABLE_ADDRESS.to_owned(),
    }
}

/// What stands for an address that cannot be read.
pub const UNREADABLE_ADDRESS: &str = "[an address Tobira cannot read]";

#[cfg(test)]
mod tests {
    use super::*;

    /// Secret-bearing messages as users and systems write them: the secret
    /// goes, the words around it stay.
    const CASES: &[(&str, &str, &str)] = &[
        ("password is hunter2", "hunter2", "password is"),
        (
            "my password is hunter2 and it fails",
            "hunter2",
            "and it fails",
        ),
        ("パスワードはHunter22です", "Hunter22", "パスワードは"),
        ("パスワードは Hunter22 です", "Hunter22", "です"),
        ("ｐａｓｓｗｏｒｄ：ｈｕｎｔｅｒ２", "hunter2", "password"),
        (
            "https://taro:s3cret@example.cybozu.com/k/",
            "s3cret",
            "example.cybozu.com/k/",
        ),
        (
            "opened https://example.cybozu.com/login?token=abc123xyz&x=1",
            "abc123xyz",
            "token=",
        ),
        (
            "Authorization: Basic dGFybzpzM2NyZXQ=",
            "dGFybzpzM2NyZXQ",
            "Authorization: Basic",
        ),
        (
            "Authorization: Bearer eyJhbGciOi.payload.sig",
            "eyJhbGciOi",
            "Bearer",
        ),
        (
            "password: correct horse battery staple",
            "horse battery",
            "password:",
        ),
        (
            "password \"correct horse battery\" is refused",
            "horse",
            "is refused",
        ),
        ("pw: Tr0ub4dor&3", "Tr0ub4dor", "pw:"),
        ("PIN=1234 does not work", "1234", "does not work"),
        ("暗証番号は1234です", "1234", "暗証番号は"),
        ("認証コード：654321 が通らない", "654321", "が通らない"),
        (
            "the verification code is 123456 but it fails",
            "123456",
            "but it fails",
        ),
        (
            "Cookie: JSESSIONID=ABCDEF0123456789; other=1",
            "ABCDEF0123456789",
            "Cookie:",
        ),
        (
            "パスワードが「abc def」で入れません",
            "abc def",
            "で入れません",
        ),
        (
            "token=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "9f8e7d6c5b4a",
            "token",
        ),
        (
            "SAMLRequest=fZJNT8MwDIbvk%2FgfVe5d",
            "fZJNT8MwDIbvk",
            "SAMLRequest",
        ),
        (
            "my new password was Sakura2024!",
            "Sakura2024",
            "my new password was",
        ),
        ("ﾊﾟｽﾜｰﾄﾞはabc123です", "abc123", "パスワードは"),
        ("API key: sk-live-abcdef", "sk-live-abcdef", "API key:"),
        ("tried password hunter2 twice", "hunter2", "twice"),
        ("パスワード Hunter22 が通らない", "Hunter22", "が通らない"),
        ("{\"password\":\"hunter2\"}", "hunter2", "password"),
        ("{'client_secret': 'abc123'}", "abc123", "client_secret"),
        (
            "password is still Hunter22",
            "Hunter22",
            "password is still",
        ),
        (
            "the password is definitely Tr0ub4dor&3",
            "Tr0ub4dor",
            "definitely",
        ),
        (
            "password is not Hunter22 but Hunter23",
            "Hunter23",
            "password is not",
        ),
        ("password is my birthday 19850412", "19850412", "birthday"),
        ("my password is: hunter2", "hunter2", "my password is"),
        ("my password's hunter2", "hunter2", "my password"),
        ("password -> hunter2", "hunter2", "password"),
        ("newpassword: hunter2", "hunter2", "newpassword"),
        (
            "KINTONE_API_TOKEN=abcdefgh",
            "abcdefgh",
            "KINTONE_API_TOKEN",
        ),
        ("パスワードは、hunter2です", "hunter2", "です"),
        ("パスワードってhunter2", "hunter2", "パスワードって"),
        ("PWはhunter2です", "hunter2", "PWは"),
        ("パスワードは”Hunter22”です", "Hunter22", "です"),
        ("パスワードは【hunter2】", "hunter2", "パスワードは"),
        ("APIキー：abcd1234", "abcd1234", "APIキー"),
        (
            "taro:s3cret@example.cybozu.com",
            "s3cret",
            "example.cybozu.com",
        ),
        ("curl -u taro:hunter2 https://x", "hunter2", "curl -u"),
    ];

    #[test]
    fn the_secret_goes_and_the_words_around_it_stay() {
        for (input, secret, kept) in CASES {
            let out = text(input);
            assert!(
                !out.contains(secret),
                "{input:?} → {out:?} keeps {secret:?}"
            );
            assert!(out.contains(kept), "{input:?} → {out:?} lost {kept:?}");
            assert!(out.contains(REMOVED), "{input:?} → {out:?}");
        }
    }

    #[test]
    fn words_about_a_password_are_not_a_password() {
        for input in [
            "the password field is empty",
            "my password is correct but it says wrong",
            "password is definitely right",
            "パスワードは正しいはずです",
            "I forgot my password",
            "Caps Lock was on when I typed the password",
            "the password field stays red",
            "パスワード欄が空です",
            "I cannot open https://example.cybozu.com/k/123/",
            "my site is acme2024.cybozu.com",
            "password: wrong",
            "tests pass 100%",
            "SPIN2WIN",
            "Code: 404 NotFound",
            "https://example.cybozu.com/k/#/space/3",
        ] {
            assert_eq!(text(input), input, "{input:?}");
        }
    }

    #[test]
    fn a_url_keeps_scheme_host_port_and_path() {
        let u =
            Url::parse("https://u:p@idp.example.com:8443/saml/login?SAMLRequest=abc#frag").unwrap();
        assert_eq!(url(&u), "https://idp.example.com:8443/saml/login");
        assert_eq!(url_text("http://user:pw@proxy:8080"), "http://proxy:8080/");
        assert_eq!(
            url_text("http://taro:hunter 2@127.0.0.1:99999/"),
            UNREADABLE_ADDRESS
        );
    }

    #[test]
    fn long_text_is_cut() {
        assert_eq!(text(&"あ".repeat(5000)).chars().count(), MAX_CHARS);
    }
}
