//! "Type or paste anything": a query in Japanese or English, full-width or
//! half-width, ranked against the cause guides. No network, no model.
//!
//! Text is normalised (NFKC, lower case, punctuation to spaces), then cut
//! into features: English words (lightly stemmed) and Japanese character
//! bigrams, so no word segmenter is needed. An exact error text in the
//! query wins outright; otherwise each cause scores by how well the query
//! matches its best symptom or title (cosine over IDF-weighted features),
//! plus a smaller share for its body.
//!
//! On top of the words, the [`Lexicon`] reads the query for ideas
//! (*phone* + *lost*, *certificate* + *still works*): each idea is a
//! feature of its own, so a paraphrase meets a symptom written in other
//! words, and a cause whose `ideas` are all present scores by how
//! specific they are. The ideas that decided are returned as `why`.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tobira_core::{Language, Region};

use crate::front_matter::Kind;
use crate::guide::Guide;
use crate::lexicon::{Hit, Lexicon};
use crate::library::Library;
pub(crate) use crate::text::edit_distance;
pub use crate::text::normalise;
use crate::triage::{Ask, Ranked, Tree, UnknownAnswer};

/// An exact error text outranks any similarity.
const ERROR_TEXT_BONUS: f64 = 10.0;
/// The score: the best single phrase (title, a symptom, an error text),
/// how much of the query all phrases cover, and a little for the body.
const PHRASE_WEIGHT: f64 = 0.6;
const COVERAGE_WEIGHT: f64 = 0.4;
const BODY_WEIGHT: f64 = 0.15;
/// What a fully present idea adds per unit of its concepts' weight.
const IDEA_WEIGHT: f64 = 0.3;
/// An idea only partly present counts this much of its present concepts,
/// of those at least this telling (a concept of more than about a third of
/// the causes is not).
const PARTIAL_IDEA_SHARE: f64 = 0.4;
const TELLING_CONCEPT_WEIGHT: f64 = 1.5;
/// Concept features are prefixed so they never meet a word.
const CONCEPT_MARK: char = '§';
/// An answer multiplies the score of the causes it leads to and adds to it;
/// the causes only its sibling answers lead to keep this share.
const ANSWER_BOOST: f64 = 1.5;
const ANSWER_BONUS: f64 = 0.5;
const RULED_OUT_SHARE: f64 = 0.4;
/// An answer that leads to at most this many causes brings them in even
/// when the words did not find them.
const SPECIFIC_ANSWER_CAUSES: usize = 4;

/// What `tobira troubleshoot` answers: causes, and a question when the
/// best ones are close.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Outcome {
    pub matches: Vec<Match>,
    /// The labels of the answers given, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub answered: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ask: Option<Ask>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Match {
    pub cause: String,
    pub title: String,
    /// Higher is better; above 10 an exact error text was found.
    pub score: f64,
    /// What in the query pointed here, strongest first.
    pub why: Vec<Reason>,
}

/// One reason a cause was picked: words of the query and what they mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reason {
    /// As the user wrote them.
    pub words: String,
    /// The idea (or "the error text") in the user's language.
    pub idea: String,
}

struct Cause {
    id: String,
    regions: Option<Vec<Region>>,
    /// Per language: the title shown for a match.
    titles: HashMap<Language, String>,
    /// Title and each symptom, both languages.
    phrases: Vec<HashSet<String>>,
    /// All features of the phrases together.
    vocabulary: HashSet<String>,
    body: HashSet<String>,
    error_texts: Vec<String>,
    /// Each idea: concept keys that must all be present.
    ideas: Vec<Vec<String>>,
}

/// The cause guides of a library, indexed for matching.
pub struct Matcher {
    causes: Vec<Cause>,
    idf: HashMap<String, f64>,
    lexicon: Lexicon,
    /// How telling a concept is: rarer among the causes' ideas, heavier.
    concept_weight: HashMap<String, f64>,
    tree: Tree,
}

const STOP_WORDS: [&str; 40] = [
    "a", "an", "the", "i", "my", "me", "is", "it", "to", "of", "and", "or", "in", "on", "at",
    "for", "be", "am", "are", "was", "do", "does", "did", "can", "cant", "can't", "not", "no",
    "but", "this", "that", "with", "from", "get", "so", "when", "we", "our", "you", "your",
];

/// English words (stemmed a little) and bigrams of Japanese runs.
fn features(normalised: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for word in normalised.split(' ') {
        let mut ascii = String::new();
        let mut other = String::new();
        let flush_ascii = |ascii: &mut String, out: &mut HashSet<String>| {
            if ascii.len() >= 2 && !STOP_WORDS.contains(&ascii.as_str()) {
                out.insert(stem(ascii));
            }
            ascii.clear();
        };
        let flush_other = |other: &mut String, out: &mut HashSet<String>| {
            let chars: Vec<char> = other.chars().collect();
            if chars.len() == 1 {
                out.insert(other.clone());
            }
            // A pair starting with hiragana is mostly grammar (って, が期):
            // it matches everything. Kanji + okurigana (忘れ) stays.
            for pair in chars.windows(2).filter(|p| !is_hiragana(p[0])) {
                out.insert(pair.iter().collect());
            }
            other.clear();
        };
        for c in word.chars() {
            if c.is_ascii() {
                flush_other(&mut other, &mut out);
                ascii.push(c);
            } else {
                flush_ascii(&mut ascii, &mut out);
                other.push(c);
            }
        }
        flush_ascii(&mut ascii, &mut out);
        flush_other(&mut other, &mut out);
    }
    out
}

/// The words of a normalised text plus the concepts the lexicon finds in
/// it (`typos`: read as a user's text, see [`Lexicon::find`]).
fn features_with_ideas(
    lexicon: &Lexicon,
    normalised: &str,
    typos: bool,
) -> (HashSet<String>, Vec<Hit>) {
    let mut out = features(normalised);
    let hits = lexicon.find(normalised, typos);
    out.extend(hits.iter().map(|h| format!("{CONCEPT_MARK}{}", h.key)));
    (out, hits)
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309f}').contains(&c)
}

/// "passwords", "rejected", "expiring", "expire" → "password", "reject",
/// "expir", "expir".
fn stem(word: &str) -> String {
    if let Some(base) = word.strip_suffix("ten").filter(|b| b.ends_with("got")) {
        return base.to_owned();
    }
    for suffix in ["ing", "ed", "es", "s", "e"] {
        if word.len() > suffix.len() + 3 {
            if let Some(stem) = word.strip_suffix(suffix) {
                return stem.to_owned();
            }
        }
    }
    word.to_owned()
}

impl Matcher {
    /// Indexes every cause guide of both languages in `library`.
    pub fn new(library: &Library) -> Matcher {
        let lexicon = Lexicon::new(library);
        let mut by_id: HashMap<String, Cause> = HashMap::new();
        for language in [Language::Ja, Language::En] {
            for guide in library
                .list(language, Kind::Cause)
                .into_iter()
                .filter(|g| g.language == language)
            {
                let cause = by_id.entry(guide.id().to_owned()).or_insert_with(|| Cause {
                    id: guide.id().to_owned(),
                    regions: guide.front.regions.as_ref().map(|r| r.get_ref().clone()),
                    titles: HashMap::new(),
                    phrases: Vec::new(),
                    vocabulary: HashSet::new(),
                    body: HashSet::new(),
                    error_texts: Vec::new(),
                    ideas: Vec::new(),
                });
                add_guide(cause, guide, language, &lexicon);
            }
        }
        let mut causes: Vec<Cause> = by_id.into_values().collect();
        for cause in &mut causes {
            cause.vocabulary = cause.phrases.iter().flatten().cloned().collect();
        }
        causes.sort_by(|a, b| a.id.cmp(&b.id));
        // Inverse document frequency over causes: a feature every cause has says nothing.
        let mut document_frequency: HashMap<&str, usize> = HashMap::new();
        for cause in &causes {
            let mut seen: HashSet<&str> = HashSet::new();
            for feature in cause.phrases.iter().flatten().chain(cause.body.iter()) {
                if seen.insert(feature) {
                    *document_frequency.entry(feature).or_default() += 1;
                }
            }
        }
        let total = causes.len().max(1) as f64;
        let idf = document_frequency
            .into_iter()
            .map(|(f, n)| (f.to_owned(), (1.0 + total / n as f64).ln()))
            .collect();
        // A concept is telling when few causes name it, in their ideas or in
        // their symptoms (the users' own words: 「ログインできない」 is in many).
        let mut idea_frequency: HashMap<&str, usize> = HashMap::new();
        for cause in &causes {
            let mut keys: HashSet<&str> =
                cause.ideas.iter().flatten().map(String::as_str).collect();
            keys.extend(
                cause
                    .vocabulary
                    .iter()
                    .filter_map(|f| f.strip_prefix(CONCEPT_MARK)),
            );
            for key in keys {
                *idea_frequency.entry(key).or_default() += 1;
            }
        }
        let concept_weight = idea_frequency
            .into_iter()
            .map(|(k, n)| (k.to_owned(), (1.0 + total / n as f64).ln()))
            .collect();
        Matcher {
            causes,
            idf,
            lexicon,
            concept_weight,
            tree: Tree::new(library),
        }
    }

    fn title(&self, cause: &Cause, language: Language) -> String {
        cause
            .titles
            .get(&language)
            .or_else(|| cause.titles.get(&language.other()))
            .cloned()
            .unwrap_or_else(|| cause.id.clone())
    }

    /// The ranking for `query` with the user's answers to the assistant's
    /// questions (`QUESTION.ANSWER`) applied, and the next question to ask
    /// when the best causes are still close.
    pub fn troubleshoot(
        &self,
        query: &str,
        answers: &[String],
        language: Language,
        region: Option<Region>,
    ) -> Result<Outcome, UnknownAnswer> {
        let mut matches = self.rank(query, language, region);
        let your_answer = match language {
            Language::Ja => "あなたの答え",
            Language::En => "your answer",
        };
        let mut answered = Vec::new();
        for id in answers {
            let given = self.tree.given(id, language)?;
            answered.push(given.label.to_owned());
            let reason = Reason {
                words: given.label.to_owned(),
                idea: your_answer.to_owned(),
            };
            for m in &mut matches {
                if given.reach.contains(&m.cause) {
                    m.score = m.score * ANSWER_BOOST + ANSWER_BONUS;
                    m.why.insert(0, reason.clone());
                } else if given.ruled_out.contains(m.cause.as_str()) {
                    m.score *= RULED_OUT_SHARE;
                }
            }
            if given.reach.len() <= SPECIFIC_ANSWER_CAUSES {
                let mut reached: Vec<&String> = given.reach.iter().collect();
                reached.sort();
                for cause in reached {
                    let Some(known) = self
                        .causes
                        .iter()
                        .find(|c| c.id == *cause && applies(c, region))
                    else {
                        continue;
                    };
                    if !matches.iter().any(|m| m.cause == *cause) {
                        matches.push(Match {
                            cause: cause.clone(),
                            title: self.title(known, language),
                            score: ANSWER_BONUS,
                            why: vec![reason.clone()],
                        });
                    }
                }
            }
        }
        for m in &mut matches {
            m.score = (m.score * 1000.0).round() / 1000.0;
        }
        sort_matches(&mut matches);
        let ask = if matches.first().is_some_and(|m| m.score < ERROR_TEXT_BONUS) {
            let ranked: Vec<Ranked> = matches
                .iter()
                .map(|m| Ranked {
                    cause: &m.cause,
                    score: m.score,
                    evidence: m.why.iter().map(|r| r.idea.as_str()).collect(),
                })
                .collect();
            self.tree.ask(&ranked, answers, language)
        } else {
            None
        };
        Ok(Outcome {
            matches,
            answered,
            ask,
        })
    }

    /// The concepts of the library's lexicons (for lint and `why`).
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The best idea of `cause` present in the query: its score and the
    /// keys that were present.
    fn idea_score<'c>(&self, cause: &'c Cause, present: &HashSet<&str>) -> (f64, Vec<&'c str>) {
        let weight = |key: &str| self.concept_weight.get(key).copied().unwrap_or(1.0);
        let mut best = (0.0, Vec::new());
        for idea in &cause.ideas {
            let found: Vec<&str> = idea
                .iter()
                .map(String::as_str)
                .filter(|k| present.contains(k))
                .collect();
            let score = if found.len() == idea.len() {
                found.iter().map(|k| weight(k)).sum()
            } else {
                // Half an idea counts only by its telling concepts: "doesn't
                // work" alone says nothing about "the admin doesn't get in".
                PARTIAL_IDEA_SHARE
                    * found
                        .iter()
                        .map(|k| weight(k))
                        .filter(|w| *w >= TELLING_CONCEPT_WEIGHT)
                        .sum::<f64>()
            };
            if score > best.0 {
                best = (score, found);
            }
        }
        best
    }

    /// A misspelt English word becomes the guides' word one letter away
    /// ("pasword" → "password"); anything else stays as it is.
    fn correct(&self, feature: String) -> String {
        if self.idf.contains_key(&feature) || feature.len() < 5 || !feature.is_ascii() {
            return feature;
        }
        self.idf
            .keys()
            .filter(|known| known.is_ascii() && known.len().abs_diff(feature.len()) <= 1)
            .filter(|known| edit_distance(known, &feature) == 1)
            .min()
            .cloned()
            .unwrap_or(feature)
    }

    fn weight(&self, feature: &str) -> f64 {
        // Unknown to every guide: it cannot match, but it dilutes the query less than a known word.
        self.idf.get(feature).copied().unwrap_or(0.5)
    }

    /// Causes ranked for `query`, best first; causes for other regions are
    /// left out; titles in `language` (else the other one).
    pub fn rank(&self, query: &str, language: Language, region: Option<Region>) -> Vec<Match> {
        let normalised = normalise(query);
        if normalised.is_empty() {
            return Vec::new();
        }
        let compact: String = normalised.chars().filter(|c| *c != ' ').collect();
        let (words, hits) = features_with_ideas(&self.lexicon, &normalised, true);
        let wanted: HashSet<String> = words.into_iter().map(|f| self.correct(f)).collect();
        let present: HashSet<&str> = hits.iter().map(|h| h.key.as_str()).collect();
        let wanted_norm: f64 = wanted
            .iter()
            .map(|f| self.weight(f).powi(2))
            .sum::<f64>()
            .sqrt();
        let wanted_weight: f64 = wanted
            .iter()
            .map(|f| self.weight(f))
            .sum::<f64>()
            .max(f64::MIN_POSITIVE);
        let mut matches: Vec<Match> = self
            .causes
            .iter()
            .filter(|c| applies(c, region))
            .filter_map(|cause| {
                let exact = cause.error_texts.iter().any(|e| {
                    compact.contains(e.as_str())
                        || (compact.chars().count() >= 6 && e.contains(compact.as_str()))
                });
                let similarity = |phrase: &HashSet<String>| -> f64 {
                    let shared: f64 = wanted
                        .intersection(phrase)
                        .map(|f| self.weight(f).powi(2))
                        .sum();
                    let phrase_norm: f64 = phrase
                        .iter()
                        .map(|f| self.weight(f).powi(2))
                        .sum::<f64>()
                        .sqrt();
                    if shared == 0.0 {
                        0.0
                    } else {
                        shared / (wanted_norm * phrase_norm)
                    }
                };
                let best_phrase = cause.phrases.iter().map(similarity).fold(0.0, f64::max);
                // How much of the query (by weight) the cause's phrases and body cover.
                let coverage = |set: &HashSet<String>| {
                    wanted
                        .iter()
                        .filter(|f| set.contains(*f))
                        .map(|f| self.weight(f))
                        .sum::<f64>()
                        / wanted_weight
                };
                let (idea, because) = self.idea_score(cause, &present);
                let score = PHRASE_WEIGHT * best_phrase
                    + COVERAGE_WEIGHT * coverage(&cause.vocabulary)
                    + BODY_WEIGHT * coverage(&cause.body)
                    + IDEA_WEIGHT * idea
                    + if exact { ERROR_TEXT_BONUS } else { 0.0 };
                let mut why: Vec<Reason> = Vec::new();
                if exact {
                    why.push(Reason {
                        words: query.trim().chars().take(80).collect(),
                        idea: match language {
                            Language::Ja => "サービスのエラーメッセージ".to_owned(),
                            Language::En => "the service's error message".to_owned(),
                        },
                    });
                }
                why.extend(
                    hits.iter()
                        .filter(|h| because.contains(&h.key.as_str()))
                        .map(|h| Reason {
                            words: h.words.clone(),
                            idea: self.lexicon.label(&h.key, language),
                        }),
                );
                (score > 0.05).then(|| Match {
                    cause: cause.id.clone(),
                    title: self.title(cause, language),
                    score: (score * 1000.0).round() / 1000.0,
                    why,
                })
            })
            .collect();
        sort_matches(&mut matches);
        matches
    }
}

/// Whether a cause exists in the user's region (every cause when unknown).
fn applies(cause: &Cause, region: Option<Region>) -> bool {
    region.is_none_or(|r| cause.regions.as_ref().is_none_or(|rs| rs.contains(&r)))
}

fn sort_matches(matches: &mut [Match]) {
    matches.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.cause.cmp(&b.cause))
    });
}

/// The words a reader sees: Markdown text without link targets, markers
/// or code fences (a link to `cause:forgot-password` is not about forgetting).
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in pulldown_cmark::Parser::new(markdown) {
        match event {
            pulldown_cmark::Event::Text(text) | pulldown_cmark::Event::Code(text)
                if !text.trim_start().starts_with("{{%") =>
            {
                out.push_str(&text);
                out.push(' ');
            }
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

fn add_guide(cause: &mut Cause, guide: &Guide, language: Language, lexicon: &Lexicon) {
    let features = |text: &str| features_with_ideas(lexicon, &normalise(text), false).0;
    cause.titles.insert(language, guide.title().to_owned());
    cause.phrases.push(features(guide.title()));
    for symptom in guide
        .front
        .symptoms
        .as_ref()
        .map_or(&[][..], |s| s.get_ref())
    {
        cause.phrases.push(features(symptom));
    }
    for text in guide
        .front
        .error_texts
        .as_ref()
        .map_or(&[][..], |s| s.get_ref())
    {
        let compact: String = normalise(text).chars().filter(|c| *c != ' ').collect();
        if !compact.is_empty() && !cause.error_texts.contains(&compact) {
            cause.phrases.push(features(text));
            cause.error_texts.push(compact);
        }
    }
    cause.body.extend(features(&plain_text(&guide.body)));
    if let Some(summary) = guide.summary() {
        cause.body.extend(features(summary));
    }
    for idea in guide.front.ideas.iter().flat_map(|i| i.get_ref()) {
        let keys: Vec<String> = idea
            .get_ref()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if !keys.is_empty() && !cause.ideas.contains(&keys) {
            cause.ideas.push(keys);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_width_case_and_punctuation() {
        assert_eq!(
            normalise("「不正なリクエストです。」"),
            "不正なリクエストです"
        );
        assert_eq!(
            normalise("Ｃｏｄｅ：　４０４　ＮｏｔＦｏｕｎｄ"),
            "code 404 notfound"
        );
        assert_eq!(normalise("ｶﾀｶﾅ"), "カタカナ");
        assert_eq!(normalise("ブラウザー"), normalise("ブラウザ"));
        assert_eq!(
            normalise("  My PASSWORD!!  is wrong?? "),
            "my password is wrong"
        );
    }

    #[test]
    fn the_body_counts_only_what_a_reader_sees() {
        let text = plain_text(
            "See [reset it](cause:forgot-password).\n{{% region us %}}\nUS text\n{{% /region %}}",
        );
        assert!(!text.contains("forgot"), "{text}");
        assert!(
            text.contains("reset it") && text.contains("US text"),
            "{text}"
        );
    }

    #[test]
    fn features_are_words_and_bigrams() {
        let f = features(&normalise("Passwords rejected ログイン"));
        for expected in ["password", "reject", "ログ", "グイ", "イン"] {
            assert!(f.contains(expected), "{expected} in {f:?}");
        }
        assert!(!f.contains("is"));
        let japanese = features(&normalise("忘れてしまった"));
        assert!(
            japanese.contains("忘れ") && !japanese.contains("しま"),
            "{japanese:?}"
        );
    }

    #[test]
    fn counts_a_swap_of_neighbours_as_one_edit() {
        assert_eq!(edit_distance("subdomian", "subdomain"), 1);
        assert_eq!(edit_distance("pasword", "password"), 1);
        assert_eq!(edit_distance("passwrod", "password"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ログイン", "ログイン"), 0);
    }
}
