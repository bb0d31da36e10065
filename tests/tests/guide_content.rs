//! The bundled guides against their sources: every guide names them, every
//! text of the service a guide quotes is the seeds' own wording
//! (`tests/fixtures/seed-verbatim.toml`), every official page cited is one
//! the seeds point to, Tobira's own labels are the window's, both languages
//! of a guide state the same facts, and no reader is offered a cause that
//! does not exist in their region.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use tobira_core::{Language, Region};
use tobira_guides::body;
use tobira_guides::citation::Citation;
use tobira_guides::lint::{lint, AllowedHosts};
use tobira_guides::matcher::Matcher;
use tobira_guides::{Guide, Kind, Library, Source};
use tobira_tests::{message_catalog, workspace_root};
use unicode_normalization::UnicodeNormalization;

#[derive(Deserialize)]
struct SeedVerbatim {
    text: Vec<SeedText>,
    /// Pages the seeds link to: full addresses, or help-site paths that
    /// exist on each region's help site.
    links: Vec<String>,
}

#[derive(Deserialize)]
struct SeedText {
    text: String,
}

fn seed_verbatim() -> SeedVerbatim {
    let path = workspace_root().join("tests/fixtures/seed-verbatim.toml");
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bundled() -> Vec<Guide> {
    fn walk(dir: &Path, language: Language, out: &mut Vec<Guide>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, language, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path.strip_prefix(workspace_root()).unwrap();
                out.push(Guide::parse(&name.display().to_string(), &text, language, 0).unwrap());
            }
        }
    }
    let mut guides = Vec::new();
    for language in [Language::Ja, Language::En] {
        let dir = workspace_root().join("guides").join(language.as_str());
        walk(&dir, language, &mut guides);
    }
    guides
}

/// Width-folded, without white space: `Code: 404 NotFound` and the seed's
/// `Code:404　NotFound` are the same text.
fn squeeze(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// A quote may stand for a name with `…`, `〇〇` or `***` in front, as the
/// seeds do (「***のユーザーに追加されました」).
fn strip_placeholder(text: &str) -> &str {
    ["…", "〇〇", "***", "..."]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text)
}

fn is_seed_text(quote: &str, seeds: &[String]) -> bool {
    let quoted = squeeze(strip_placeholder(quote));
    seeds.iter().any(|seed| {
        let seed = squeeze(strip_placeholder(seed));
        if strip_placeholder(quote) != quote {
            seed.ends_with(&quoted)
        } else {
            seed == quoted
        }
    })
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff66}'..='\u{ff9f}')
}

/// Every 「…」 quote with Japanese words in it.
fn japanese_quotes(text: &str) -> Vec<&str> {
    let mut quotes = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('「') {
        let after = &rest[start + '「'.len_utf8()..];
        let Some(end) = after.find('」') else { break };
        let quote = &after[..end];
        if quote.chars().any(is_japanese) {
            quotes.push(quote);
        }
        rest = &after[end..];
    }
    quotes
}

#[test]
fn every_text_of_the_service_a_guide_quotes_is_in_the_seeds() {
    let seeds: Vec<String> = seed_verbatim().text.into_iter().map(|t| t.text).collect();
    let mut unknown = Vec::new();
    for guide in bundled().iter().filter(|g| g.kind() != Kind::Lexicon) {
        let error_texts = guide
            .front
            .error_texts
            .as_ref()
            .map_or(&[][..], |e| e.get_ref());
        let quotes = japanese_quotes(&guide.body)
            .into_iter()
            .chain(error_texts.iter().map(String::as_str));
        for quote in quotes {
            if !is_seed_text(quote, &seeds) {
                unknown.push(format!("{}: 「{quote}」", guide.path));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "quoted as the service's words but not in tests/fixtures/seed-verbatim.toml:\n{}",
        unknown.join("\n")
    );
}

#[test]
fn every_bundled_guide_names_sources_the_seeds_back() {
    let report = lint(
        &[Source::dir("bundled", workspace_root().join("guides"))],
        &AllowedHosts::default(),
    );
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);

    let links = seed_verbatim().links;
    let mut unbacked = Vec::new();
    for guide in bundled() {
        let mut sources: Vec<String> = guide
            .front
            .sources
            .iter()
            .flat_map(|s| s.get_ref())
            .map(|s| s.get_ref().clone())
            .collect();
        for step in &body::structure(&guide.path, &guide.body, 1, true, None, None).steps {
            if let Some(Ok((_, data))) = step
                .data_block
                .as_ref()
                .map(|b| body::parse_step_data(&guide.path, b))
            {
                sources.extend(data.sources.iter().map(|s| s.get_ref().clone()));
            }
        }
        for source in sources {
            if let Ok(Citation::Web(url)) = Citation::parse(&source) {
                // The seeds link the Japanese help; its English twin is the same page.
                let path = url.path().replacen("/en/", "/ja/", 1);
                if !links.contains(&url.to_string()) && !links.contains(&path) {
                    unbacked.push(format!("{}: {url}", guide.path));
                }
            }
        }
    }
    assert!(
        unbacked.is_empty(),
        "official pages no seed links to (add the seed's link to the fixture, or cite the seed):\n{}",
        unbacked.join("\n")
    );
}

#[test]
fn tobiras_own_labels_in_guides_are_the_windows_words() {
    let mut wrong = Vec::new();
    for guide in bundled() {
        let catalog = message_catalog(guide.language.as_str());
        let mut rest = guide.body.as_str();
        while let Some(at) = rest.find("](app:") {
            let label = rest[..at].rsplit_once('[').map_or("", |(_, l)| l);
            let after = &rest[at + "](app:".len()..];
            let key = &after[..after.find(')').unwrap_or(after.len())];
            match catalog.get(key).and_then(|v| v.as_str()) {
                Some(words) if words == label => {}
                Some(words) => wrong.push(format!(
                    "{}: [{label}](app:{key}) — the window says “{words}”",
                    guide.path
                )),
                None => wrong.push(format!("{}: app:{key} is not a message key", guide.path)),
            }
            rest = after;
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// What must read the same in both languages of a guide.
#[derive(Debug, PartialEq)]
struct Facts {
    fixed_by: String,
    regions: String,
    sources: Vec<String>,
    /// Numbers of 3 and more (small ones are often words: "one year").
    numbers: BTreeSet<String>,
    hosts: BTreeSet<String>,
    /// Each step's `stuck` causes and `open` page.
    steps: Vec<(Vec<String>, Option<String>)>,
}

const ENGLISH_NUMBERS: [(&str, &str); 10] = [
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
];

fn facts(guide: &Guide) -> Facts {
    // Link targets and shortcodes are not facts of the text.
    let mut text = String::new();
    let mut rest = guide.body.as_str();
    while let Some(at) = rest.find("](") {
        text.push_str(&rest[..at + 1]);
        rest = &rest[at + 2..];
        rest = &rest[rest.find(')').map_or(rest.len(), |e| e + 1)..];
    }
    text.push_str(rest);
    let text: String = text.replace(body::DOMAIN_SHORTCODE, "").nfkc().collect();
    let tokens: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .map(|t| t.trim_matches(|c| c == '.' || c == '-'))
        .filter(|t| !t.is_empty())
        .collect();
    let numbers = tokens
        .iter()
        .map(|t| {
            let lower = t.to_ascii_lowercase();
            ENGLISH_NUMBERS
                .iter()
                .find(|(word, _)| *word == lower)
                .map_or(lower.clone(), |(_, digits)| digits.to_string())
        })
        .filter(|t| t.parse::<u32>().is_ok_and(|n| n >= 3))
        .collect();
    let hosts = tokens
        .iter()
        .filter(|t| {
            [".com", ".cn", ".io", ".help", ".jp"]
                .iter()
                .any(|tld| t.ends_with(tld))
                && t.contains('.')
        })
        .map(|t| {
            // `SUBDOMAIN.cybozu.com` in English is `サブドメイン名.cybozu.com` in Japanese.
            let host = t.to_ascii_lowercase();
            host.strip_prefix("subdomain.")
                .map_or(host.clone(), str::to_owned)
        })
        .collect();
    let steps = body::structure(
        &guide.path,
        &guide.body,
        1,
        guide.kind() == Kind::Flow,
        None,
        None,
    )
    .steps
    .iter()
    .filter_map(|s| s.data_block.as_ref())
    .filter_map(|b| body::parse_step_data(&guide.path, b).ok())
    .map(|(data, _)| (data.stuck, data.open))
    .collect();
    Facts {
        fixed_by: format!("{:?}", guide.front.fixed_by.as_ref().map(|f| f.get_ref())),
        regions: format!("{:?}", guide.front.regions.as_ref().map(|r| r.get_ref())),
        sources: guide
            .front
            .sources
            .iter()
            .flat_map(|s| s.get_ref())
            .map(|s| s.get_ref().replacen("/en/", "/ja/", 1))
            .collect(),
        numbers,
        hosts,
        steps,
    }
}

#[test]
fn both_languages_of_a_guide_state_the_same_facts() {
    let mut by_id: BTreeMap<String, Vec<Guide>> = BTreeMap::new();
    for guide in bundled() {
        if matches!(guide.kind(), Kind::Flow | Kind::Cause) {
            by_id.entry(guide.id().to_owned()).or_default().push(guide);
        }
    }
    let mut differ = Vec::new();
    for (id, pair) in &by_id {
        let [first, second] = &pair[..] else {
            differ.push(format!("{id}: {} files instead of 2", pair.len()));
            continue;
        };
        let (a, b) = (facts(first), facts(second));
        if a != b {
            differ.push(format!(
                "{id}:\n  {}: {a:?}\n  {}: {b:?}",
                first.path, second.path
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn no_reader_is_offered_a_cause_of_another_region() {
    let library = Library::load(vec![Source::dir(
        "bundled",
        workspace_root().join("guides"),
    )]);
    let matcher = Matcher::new(&library);
    let dev =
        std::fs::read_to_string(workspace_root().join("tests/fixtures/symptoms-dev.tsv")).unwrap();
    let queries: Vec<&str> = dev
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(3))
        .collect();
    let mut leaks = Vec::new();
    for region in Region::ALL {
        for language in [Language::Ja, Language::En] {
            for query in &queries {
                for found in matcher.rank(query, language, Some(region)) {
                    let (guide, _) = library.guide(language, &found.cause).unwrap();
                    if !guide.applies_to(region) {
                        leaks.push(format!("{region:?}: {query} → {}", found.cause));
                    }
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}
