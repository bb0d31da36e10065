//! A kintone site address: whatever the user pasted, turned into one of the
//! hosts kintone really serves from, or a specific reason why not.
//!
//! The parser never trusts the input's own URL structure beyond finding the
//! host: the result is rebuilt as `https://HOST/` so nothing the user typed
//! (userinfo, port, path tricks) can reach the browser.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;

/// Longer input is refused before any normalisation work is done on it.
pub const MAX_INPUT_CHARS: usize = 2048;
/// RFC 1035 limits.
const MAX_HOST_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

/// The three regions kintone is sold in, each with its own domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Region {
    // Upper case too: "US" in a policy must not fall back to Japan.
    #[serde(alias = "JP", alias = "Jp")]
    Jp,
    #[serde(alias = "US", alias = "Us")]
    Us,
    #[serde(alias = "CN", alias = "Cn")]
    Cn,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Jp, Region::Us, Region::Cn];

    pub fn domain(self) -> &'static str {
        match self {
            Region::Jp => "cybozu.com",
            Region::Us => "kintone.com",
            Region::Cn => "cybozu.cn",
        }
    }

    /// Secure access (`SUBDOMAIN.s.DOMAIN`, client certificates) exists only
    /// in the Japan and China regions; the US region uses IP restriction + 2FA.
    pub fn has_secure_access(self) -> bool {
        !matches!(self, Region::Us)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Region::Jp => "jp",
            Region::Us => "us",
            Region::Cn => "cn",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A validated kintone site. Only constructible through [`SiteAddress::parse`],
/// so every value names a host kintone serves from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(as = "SiteAddressJson"))]
pub struct SiteAddress {
    subdomain: String,
    region: Region,
    secure_access: bool,
}

impl SiteAddress {
    /// Parses what a user typed or pasted. A bare word is a subdomain in
    /// `default_region`.
    pub fn parse(input: &str, default_region: Region) -> Result<SiteAddress, SiteError> {
        parse(input, default_region)
    }

    pub fn subdomain(&self) -> &str {
        &self.subdomain
    }

    pub fn region(&self) -> Region {
        self.region
    }

    pub fn secure_access(&self) -> bool {
        self.secure_access
    }

    pub fn host(&self) -> String {
        let secure = if self.secure_access { ".s" } else { "" };
        format!("{}{secure}.{}", self.subdomain, self.region.domain())
    }

    pub fn login_url(&self) -> String {
        format!("https://{}/", self.host())
    }

    /// `/k/` skips the service selection screen and lands on the kintone portal.
    pub fn portal_url(&self) -> String {
        format!("https://{}/k/", self.host())
    }
}

impl fmt::Display for SiteAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.host())
    }
}

/// The CLI contract's JSON shape: subdomain, region, host, secure_access,
/// login_url, portal_url.
impl Serialize for SiteAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("SiteAddress", 6)?;
        s.serialize_field("subdomain", &self.subdomain)?;
        s.serialize_field("region", &self.region)?;
        s.serialize_field("host", &self.host())?;
        s.serialize_field("secure_access", &self.secure_access)?;
        s.serialize_field("login_url", &self.login_url())?;
        s.serialize_field("portal_url", &self.portal_url())?;
        s.end()
    }
}

/// Why a label (one dot-separated part of a host) is not a valid DNS name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelProblem {
    Empty,
    TooLong,
    Character(char),
    Hyphen,
}

/// Why an input is not a kintone site. Each variant is a message a person can
/// act on; [`SiteError::code`] is the stable id the UI and scripts key on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SiteError {
    #[error("enter your kintone address, for example example.cybozu.com")]
    Empty,
    #[error("the input is too long ({0} characters); paste only the address, for example https://example.cybozu.com/")]
    TooLong(usize),
    #[error("'{0}:' addresses are not kintone sites; kintone addresses start with https://")]
    UnsupportedScheme(String),
    #[error("the address hides a user name or password before '@', a trick that makes a link look like another site (this one opens '{0}'); type your kintone address yourself")]
    Userinfo(String),
    #[error("the address contains a port number (':{0}'); kintone never uses one, remove it")]
    Port(String),
    #[error("'{0}' is an IP address; enter the kintone address with its name, for example example.cybozu.com")]
    IpAddress(String),
    #[error("'{0}' contains letters outside a–z (it may imitate a real address with look-alike characters); kintone addresses use only a–z, 0–9 and '-'")]
    Idn(String),
    #[error("'{0}' contains characters an address cannot have; type it in half-width letters a–z, digits 0–9 and '-', for example example.cybozu.com")]
    NotAscii(String),
    #[error("'{0}' looks like an e-mail address (often your login name); your kintone address is different: it ends in .cybozu.com (Japan), .kintone.com (US) or .cybozu.cn (China), for example example.cybozu.com")]
    LooksLikeEmail(String),
    #[error("'{label}' is not a valid part of an address: {}", label_problem_text(*.problem))]
    InvalidLabel {
        label: String,
        problem: LabelProblem,
    },
    #[error("'{host}' looks like a kintone address but is not one; the real domains are cybozu.com (Japan), kintone.com (US) and cybozu.cn (China). Do not enter your password there")]
    Lookalike { host: String },
    #[error("'{0}' is not a kintone address; kintone addresses end in .cybozu.com (Japan), .kintone.com (US) or .cybozu.cn (China)")]
    NotKintone(String),
    #[error("'{0}' is missing your company's part; it looks like SUBDOMAIN.{0}")]
    MissingSubdomain(String),
    #[error("'{0}' has too many parts; a kintone address is SUBDOMAIN.cybozu.com (or SUBDOMAIN.s.cybozu.com for secure access)")]
    TooManyLabels(String),
    #[error("'{0}': secure access (.s addresses) exists only in the Japan and China regions; in the US region use SUBDOMAIN.kintone.com")]
    SecureAccessNotInRegion(String),
}

fn label_problem_text(problem: LabelProblem) -> String {
    match problem {
        LabelProblem::Empty => "there are two dots in a row, or a dot at the start".into(),
        LabelProblem::TooLong => format!("a part may be at most {MAX_LABEL_LEN} characters"),
        LabelProblem::Character(c) if c.is_whitespace() => {
            "it contains a space; remove spaces from the address".into()
        }
        LabelProblem::Character(c) => {
            format!("'{c}' is not allowed; only a–z, 0–9 and '-' are")
        }
        LabelProblem::Hyphen => "a part may not start or end with '-'".into(),
    }
}

crate::error_codes!(SiteError {
    Self::Empty => "empty-input",
    Self::TooLong(_) => "input-too-long",
    Self::UnsupportedScheme(_) => "unsupported-scheme",
    Self::Userinfo(_) => "userinfo-not-allowed",
    Self::Port(_) => "port-not-allowed",
    Self::IpAddress(_) => "ip-address-not-allowed",
    Self::Idn(_) => "idn-not-allowed",
    Self::NotAscii(_) => "non-ascii-address",
    Self::LooksLikeEmail(_) => "looks-like-email",
    Self::InvalidLabel { .. } => "invalid-label",
    Self::Lookalike { .. } => "lookalike-domain",
    Self::NotKintone(_) => "not-kintone-domain",
    Self::MissingSubdomain(_) => "missing-subdomain",
    Self::TooManyLabels(_) => "too-many-labels",
    Self::SecureAccessNotInRegion(_) => "secure-access-not-in-region",
});

impl SiteError {
    /// The part of the input the message is about, for UIs that word the
    /// message themselves (in the user's language).
    pub fn detail(&self) -> Option<String> {
        match self {
            SiteError::Empty => None,
            SiteError::TooLong(n) => Some(n.to_string()),
            SiteError::InvalidLabel { label, .. } => Some(label.clone()),
            SiteError::Lookalike { host } => Some(host.clone()),
            SiteError::UnsupportedScheme(s)
            | SiteError::Userinfo(s)
            | SiteError::Port(s)
            | SiteError::IpAddress(s)
            | SiteError::Idn(s)
            | SiteError::NotAscii(s)
            | SiteError::LooksLikeEmail(s)
            | SiteError::NotKintone(s)
            | SiteError::MissingSubdomain(s)
            | SiteError::TooManyLabels(s)
            | SiteError::SecureAccessNotInRegion(s) => Some(s.clone()),
        }
    }
}

fn parse(input: &str, default_region: Region) -> Result<SiteAddress, SiteError> {
    let raw_chars = input.chars().count();
    if raw_chars > MAX_INPUT_CHARS {
        return Err(SiteError::TooLong(raw_chars));
    }
    // NFKC turns full-width letters and `．` into ASCII; the ideographic full
    // stop `。` that Japanese input methods type for "." needs mapping too.
    let normalised: String = input
        .nfkc()
        .map(|c| if c == '\u{3002}' { '.' } else { c })
        .collect::<String>()
        .trim()
        .to_lowercase();
    let text = strip_wrapping(embedded_url(&normalised));
    if text.is_empty() {
        return Err(SiteError::Empty);
    }
    let rest = split_scheme(text)?;
    let authority = authority_of(rest);
    // `taro@example.co.jp` typed where the site goes: the login name, not
    // a trick (a link would carry a scheme).
    if !text.contains("://") && looks_like_email(text) {
        return Err(SiteError::LooksLikeEmail(text.to_owned()));
    }
    // Report where such a link really leads; never echo what stands before
    // the '@', which may be a password.
    if let Some(at) = authority.rfind('@') {
        return Err(SiteError::Userinfo(authority[at + 1..].to_owned()));
    }
    if authority.starts_with('[') {
        return Err(SiteError::IpAddress(authority.to_owned()));
    }
    let host = match authority.split_once(':') {
        Some((_, port)) => return Err(SiteError::Port(port.to_owned())),
        None => authority,
    };
    // A single trailing dot is the fully qualified form browsers accept too.
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return Err(SiteError::Empty);
    }
    if host.len() > MAX_HOST_LEN {
        return Err(SiteError::TooLong(host.chars().count()));
    }
    if !host.is_ascii() {
        // Kana, kanji and the like imitate nothing: the advice is about
        // typing; Cyrillic or Greek letters can imitate a–z.
        return Err(if host.chars().any(is_east_asian) {
            SiteError::NotAscii(host.to_owned())
        } else {
            SiteError::Idn(host.to_owned())
        });
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.last().is_some_and(|last| is_numeric_label(last)) {
        return Err(SiteError::IpAddress(host.to_owned()));
    }
    for label in &labels {
        check_label(label)?;
    }
    // A bare word (typed alone or as https://word/) is a subdomain; `s` alone
    // is only the secure-access marker.
    if let [only] = labels.as_slice() {
        if *only == "s" {
            return Err(SiteError::MissingSubdomain(format!(
                "s.{}",
                default_region.domain()
            )));
        }
        return Ok(SiteAddress {
            subdomain: (*only).to_owned(),
            region: default_region,
            secure_access: false,
        });
    }
    match_kintone_domain(host)
}

/// A line copied from an invitation mail, such as `ログインURL：https://…/`
/// or `URL: https://… (bookmark it)`: the URL in it, up to the next space.
/// Input that starts with the address is left as it is.
fn embedded_url(text: &str) -> &str {
    let start = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text.find(scheme))
        .min();
    match start {
        Some(start) if start > 0 => {
            let url = &text[start..];
            url.split(char::is_whitespace).next().unwrap_or(url)
        }
        _ => text,
    }
}

/// Users paste addresses out of mail and chat: `<https://…>`, 「…」, "…".
fn strip_wrapping(text: &str) -> &str {
    const PAIRS: [(char, char); 5] = [
        ('<', '>'),
        ('"', '"'),
        ('\'', '\''),
        ('「', '」'),
        ('(', ')'),
    ];
    for (open, close) in PAIRS {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            return inner.trim();
        }
    }
    text
}

/// Splits off `http://` / `https://` (or a scheme-relative `//`). Any other
/// scheme is refused. Returns what follows the scheme.
fn split_scheme(text: &str) -> Result<&str, SiteError> {
    if let Some(rest) = text.strip_prefix("//") {
        return Ok(rest);
    }
    let Some(colon) = text.find(':') else {
        return Ok(text);
    };
    let (scheme, after) = (&text[..colon], &text[colon + 1..]);
    let looks_like_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // `host:443/…` is a host with a port, not a scheme called "host".
    let is_port = after.chars().next().is_some_and(|c| c.is_ascii_digit());
    if !looks_like_scheme || is_port {
        return Ok(text);
    }
    match scheme {
        "http" | "https" => {
            // Browsers treat `\` like `/` in http(s) URLs, and accept any
            // number of slashes after the colon.
            Ok(after.trim_start_matches(['/', '\\']))
        }
        other => Err(SiteError::UnsupportedScheme(other.to_owned())),
    }
}

/// The authority is everything up to the first path, query or fragment
/// delimiter (with `\` counting as `/`, as browsers do).
fn authority_of(rest: &str) -> &str {
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// WHATWG URL parsers read a host whose last label is a number (decimal,
/// or 0x hex) as an IPv4 address: `127.1`, `2130706433`, `0x7f.1`.
fn is_numeric_label(label: &str) -> bool {
    let hex = label.strip_prefix("0x");
    match hex {
        Some(digits) => digits.chars().all(|c| c.is_ascii_hexdigit()),
        None => !label.is_empty() && label.chars().all(|c| c.is_ascii_digit()),
    }
}

fn check_label(label: &str) -> Result<(), SiteError> {
    let fail = |problem| {
        Err(SiteError::InvalidLabel {
            label: label.to_owned(),
            problem,
        })
    };
    if label.is_empty() {
        return fail(LabelProblem::Empty);
    }
    if label.len() > MAX_LABEL_LEN {
        return fail(LabelProblem::TooLong);
    }
    if let Some(bad) = label
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return fail(LabelProblem::Character(bad));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return fail(LabelProblem::Hyphen);
    }
    // `xn--` is the ASCII (punycode) form of an internationalised label: show
    // what it really spells. Other `??--` labels are reserved by RFC 5891.
    if label.get(2..4) == Some("--") {
        let (shown, _) = idna::domain_to_unicode(label);
        return Err(SiteError::Idn(if shown == label {
            label.to_owned()
        } else {
            format!("{label} = {shown}")
        }));
    }
    Ok(())
}

/// `local@domain.tld` with no kintone domain on either side (with one it
/// is the user-name trick, `example.cybozu.com@evil.test`).
fn looks_like_email(text: &str) -> bool {
    let names_kintone = |part: &str| {
        Region::ALL
            .iter()
            .any(|r| part == r.domain() || part.ends_with(&format!(".{}", r.domain())))
    };
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains(['/', ':'])
                && !names_kintone(local)
                && domain.contains('.')
                && !domain.contains(['@', '/', ':'])
                && !names_kintone(domain)
        }
        None => false,
    }
}

fn is_east_asian(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}' | '\u{ff66}'..='\u{ff9f}')
}

fn match_kintone_domain(host: &str) -> Result<SiteAddress, SiteError> {
    for region in Region::ALL {
        let domain = region.domain();
        if host == domain || host == format!("s.{domain}") {
            return Err(SiteError::MissingSubdomain(host.to_owned()));
        }
        let Some(prefix) = host.strip_suffix(domain).and_then(|p| p.strip_suffix('.')) else {
            continue;
        };
        let (subdomain, secure_access) = match prefix.strip_suffix(".s") {
            Some(_) if !region.has_secure_access() => {
                return Err(SiteError::SecureAccessNotInRegion(host.to_owned()))
            }
            Some(subdomain) => (subdomain, true),
            None => (prefix, false),
        };
        if subdomain.contains('.') {
            return Err(SiteError::TooManyLabels(host.to_owned()));
        }
        return Ok(SiteAddress {
            subdomain: subdomain.to_owned(),
            region,
            secure_access,
        });
    }
    if is_lookalike(host) {
        Err(SiteError::Lookalike {
            host: host.to_owned(),
        })
    } else {
        Err(SiteError::NotKintone(host.to_owned()))
    }
}

/// The vendor's own domains (help, corporate site): they name the vendor
/// without imitating it.
pub const VENDOR_DOMAINS: [&str; 3] = ["cybozu.co.jp", "cybozu.help", "kintone.help"];

/// Whether `host` (as a browser shows it) is a look-alike of a kintone
/// address, the vendor's own hosts not set apart (`scope::imitates_kintone` does).
pub fn is_lookalike_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    matches!(
        match_kintone_domain(&host),
        Err(SiteError::Lookalike { .. })
    )
}

/// A host that mentions a vendor name, or whose registrable part is within
/// two typos of a kintone domain: `cybozu.com.evil.test`, `kintone.co`,
/// `cyb0zu.com`, `example-cybozu.com`.
fn is_lookalike(host: &str) -> bool {
    if host.contains("cybozu") || host.contains("kintone") {
        return true;
    }
    let labels: Vec<&str> = host.rsplitn(3, '.').collect();
    let registrable = match labels.as_slice() {
        [tld, name, ..] => format!("{name}.{tld}"),
        _ => return false,
    };
    let name = labels[1];
    Region::ALL.iter().any(|r| {
        let domain = r.domain();
        let vendor = domain.split('.').next().unwrap_or(domain);
        edit_distance(&registrable, domain) <= 2 || edit_distance(name, vendor) <= 2
    })
}

/// Levenshtein distance over chars; inputs here are short DNS labels.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// [`SiteAddress`] as its `Serialize` impl writes it, for its TypeScript
/// declaration; `tobira-session`'s `bindings` test serialises both and
/// compares them.
#[cfg(feature = "ts")]
#[derive(Serialize, ts_rs::TS)]
pub struct SiteAddressJson {
    pub subdomain: String,
    pub region: Region,
    pub host: String,
    pub secure_access: bool,
    pub login_url: String,
    pub portal_url: String,
}

#[cfg(test)]
mod tests;
