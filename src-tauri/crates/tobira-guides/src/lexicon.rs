//! The assistant's ideas: concepts ("the phone is gone", "still works",
//! "the admin changed something") with the words people use for them in
//! each language, read from the lexicon guides of the library. A query is
//! read for the concepts it mentions, so "dropped my iPhone in the sea"
//! and 「スマホを落として壊れた」 both say *phone* and *lost*.
//!
//! Japanese words are found as pieces of text after folding hiragana to
//! katakana (落と meets 落とした and 落として; ぱすわーど meets パスワード), so
//! no word segmenter and no dictionary download are needed. English words
//! are whole words or phrases, with `*` for any ending, and a word one typo
//! away from a lexicon word counts as that word.

use std::collections::{HashMap, HashSet};

use tobira_core::Language;

use crate::front_matter::Kind;
use crate::library::Library;
use crate::text::edit_distance;

/// English words that negate a concept said within the next few words
/// ("didn't" is normalised to "didn t", hence the lone `t`).
const NEGATORS: [&str; 19] = [
    "not", "never", "no", "t", "didn", "doesn", "don", "haven", "hasn", "hadn", "isn", "wasn",
    "weren", "aren", "won", "cannot", "nothing", "without", "nor",
];
/// How many words before an English concept a negator may stand.
const NEGATION_WINDOW_WORDS: usize = 3;
/// How many characters after a Japanese concept a negation may start.
const NEGATION_WINDOW_CHARS: usize = 6;
/// Japanese negations, folded to katakana (〜ない, 〜なくなった, 〜ません, 〜なかった, 〜ず).
const JAPANESE_NEGATIONS: [&str; 5] = ["ナイ", "ナク", "マセン", "ナカッ", "ズ"];

/// A word of one concept, prepared for matching, and whether it says the
/// concept is *not* so (`!来ない`, `!never got`).
#[derive(Debug, Clone)]
struct Word {
    form: Form,
    negative: bool,
}

#[derive(Debug, Clone)]
enum Form {
    /// Folded Japanese text, found anywhere.
    Piece(String),
    /// English words in a row; each exact or, ending in `*`, a prefix.
    Phrase(Vec<String>),
}

#[derive(Debug, Clone)]
struct Concept {
    id: String,
    labels: HashMap<Language, String>,
    not_labels: HashMap<Language, String>,
    negatable: bool,
    words: Vec<Word>,
    /// Longer words a word of the concept found inside does not count in.
    except: Vec<Form>,
}

/// Every concept of every lexicon guide in a library, both languages:
/// people mix them ("VPNが切れた", "the 認証コード").
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    concepts: Vec<Concept>,
    /// Single English words of all concepts, for typo correction.
    english: HashSet<String>,
    /// Every English word the guides use: a real word is never taken for
    /// a typo of a lexicon word ("still" is not "till").
    vocabulary: HashSet<String>,
    /// Where to look first: Japanese pieces by their first character,
    /// English phrases by their first word (those ending in `*` apart),
    /// each as (concept, word) indices.
    pieces: HashMap<char, Vec<(usize, usize)>>,
    first_words: HashMap<String, Vec<(usize, usize)>>,
    open_first_words: Vec<(usize, usize)>,
}

/// A concept found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The concept id, `!id` when negated.
    pub key: String,
    /// The words of the text that said it, as the user wrote them.
    pub words: String,
}

/// Hiragana to katakana (same UTF-8 length, so byte offsets stay valid).
pub(crate) fn fold_kana(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The lexicon's form of a word: normalised like a query, kana folded;
/// a leading `!` marks a word that says the concept is not so.
fn prepare(word: &str) -> Option<Word> {
    let (word, negative) = word
        .trim()
        .strip_prefix('!')
        .map_or((word, false), |w| (w, true));
    // `*` survives normalisation as the mark of an open ending.
    let open = word.trim_end().ends_with('*');
    let mut normalised = crate::text::normalise(word);
    if normalised.is_empty() {
        return None;
    }
    let form = if normalised.is_ascii() {
        if open {
            normalised.push('*');
        }
        Form::Phrase(normalised.split(' ').map(str::to_owned).collect())
    } else {
        Form::Piece(fold_kana(&normalised.replace(' ', "")))
    };
    Some(Word { form, negative })
}

fn word_matches(pattern: &str, token: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => token.starts_with(prefix),
        None => pattern == token,
    }
}

impl Lexicon {
    /// The concepts of every lexicon guide in `library`, merged by id.
    pub fn new(library: &Library) -> Lexicon {
        let mut concepts: Vec<Concept> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for language in [Language::Ja, Language::En] {
            let own = library.list(language, Kind::Lexicon);
            for guide in own.into_iter().filter(|g| g.language == language) {
                for concept in guide.front.concepts.iter().flat_map(|c| c.get_ref()) {
                    let id = concept.id.get_ref().clone();
                    let at = *index.entry(id.clone()).or_insert_with(|| {
                        concepts.push(Concept {
                            id,
                            labels: HashMap::new(),
                            not_labels: HashMap::new(),
                            negatable: false,
                            words: Vec::new(),
                            except: Vec::new(),
                        });
                        concepts.len() - 1
                    });
                    let entry = &mut concepts[at];
                    entry
                        .labels
                        .entry(language)
                        .or_insert_with(|| concept.label.clone());
                    if let Some(not_label) = &concept.not_label {
                        entry
                            .not_labels
                            .entry(language)
                            .or_insert_with(|| not_label.clone());
                    }
                    entry.negatable |= concept.negatable;
                    entry
                        .words
                        .extend(concept.words.iter().filter_map(|w| prepare(w.get_ref())));
                    entry.except.extend(
                        concept
                            .except
                            .iter()
                            .filter_map(|w| prepare(w))
                            .map(|w| w.form),
                    );
                }
            }
        }
        let english = concepts
            .iter()
            .flat_map(|c| &c.words)
            .filter_map(|w| match &w.form {
                Form::Phrase(words) if words.len() == 1 && !words[0].ends_with('*') => {
                    Some(words[0].clone())
                }
                _ => None,
            })
            .collect();
        let vocabulary = english_vocabulary(library, &concepts);
        let mut pieces: HashMap<char, Vec<(usize, usize)>> = HashMap::new();
        let mut first_words: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut open_first_words = Vec::new();
        for (ci, concept) in concepts.iter().enumerate() {
            for (wi, word) in concept.words.iter().enumerate() {
                match &word.form {
                    Form::Piece(piece) => {
                        if let Some(first) = piece.chars().next() {
                            pieces.entry(first).or_default().push((ci, wi));
                        }
                    }
                    Form::Phrase(phrase) if phrase[0].ends_with('*') => {
                        open_first_words.push((ci, wi));
                    }
                    Form::Phrase(phrase) => {
                        first_words
                            .entry(phrase[0].clone())
                            .or_default()
                            .push((ci, wi));
                    }
                }
            }
        }
        Lexicon {
            concepts,
            english,
            vocabulary,
            pieces,
            first_words,
            open_first_words,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// Whether `id` names a concept (`!id` a negatable one).
    pub fn knows(&self, key: &str) -> bool {
        let (id, negated) = key.strip_prefix('!').map_or((key, false), |id| (id, true));
        self.concepts
            .iter()
            .any(|c| c.id == id && (!negated || c.negatable))
    }

    /// The label of a concept key for the user, in `language` if it has one.
    pub fn label(&self, key: &str, language: Language) -> String {
        let (id, negated) = key.strip_prefix('!').map_or((key, false), |id| (id, true));
        let Some(concept) = self.concepts.iter().find(|c| c.id == id) else {
            return key.to_owned();
        };
        let pick = |labels: &HashMap<Language, String>| {
            labels
                .get(&language)
                .or_else(|| labels.get(&language.other()))
                .cloned()
        };
        let label = pick(&concept.labels).unwrap_or_else(|| id.to_owned());
        match (
            negated,
            concept.not_labels.get(&language).cloned(),
            language,
        ) {
            (false, _, _) => label,
            (true, Some(not_label), _) => not_label,
            (true, None, Language::Ja) => format!("{label}（ではない）"),
            (true, None, Language::En) => format!("not {label}"),
        }
    }

    /// The concepts `normalised` (a text put through [`normalise`]) says,
    /// each once, in the order of the lexicon. A user's text is read with
    /// `typos` on: an English word one typo from a lexicon word counts as
    /// it (guides are spelt right, and checking costs time).
    ///
    /// [`normalise`]: crate::text::normalise
    pub fn find(&self, normalised: &str, typos: bool) -> Vec<Hit> {
        let folded = fold_kana(normalised);
        let tokens: Vec<&str> = normalised.split(' ').filter(|t| !t.is_empty()).collect();
        let corrected: Vec<String> = tokens
            .iter()
            .map(|token| {
                if typos {
                    self.correct(token)
                } else {
                    (*token).to_owned()
                }
            })
            .collect();
        // (concept, negated, words) in the order found; sorted by concept below.
        let mut found: Vec<(usize, bool, String)> = Vec::new();
        for (start, c) in folded.char_indices() {
            for &(ci, wi) in self.pieces.get(&c).into_iter().flatten() {
                let (concept, word) = (&self.concepts[ci], &self.concepts[ci].words[wi]);
                let Form::Piece(piece) = &word.form else {
                    continue;
                };
                if folded[start..].starts_with(piece.as_str())
                    && !within_piece_exception(&folded, start, start + piece.len(), &concept.except)
                {
                    let end = start + piece.len();
                    let negated =
                        word.negative || (concept.negatable && japanese_negation(&folded[end..]));
                    found.push((ci, negated, japanese_surface(normalised, start, end)));
                }
            }
        }
        for at in 0..corrected.len() {
            let exact = self.first_words.get(&corrected[at]).into_iter().flatten();
            for &(ci, wi) in exact.chain(&self.open_first_words) {
                let (concept, word) = (&self.concepts[ci], &self.concepts[ci].words[wi]);
                let Form::Phrase(phrase) = &word.form else {
                    continue;
                };
                let fits = at + phrase.len() <= corrected.len()
                    && phrase
                        .iter()
                        .zip(&corrected[at..])
                        .all(|(p, t)| word_matches(p, t));
                if !fits
                    || within_phrase_exception(&corrected, at, at + phrase.len(), &concept.except)
                {
                    continue;
                }
                let negated = word.negative
                    || (concept.negatable
                        && corrected[at.saturating_sub(NEGATION_WINDOW_WORDS)..at]
                            .iter()
                            .any(|t| NEGATORS.contains(&t.as_str())));
                found.push((ci, negated, tokens[at..at + phrase.len()].join(" ")));
            }
        }
        found.sort_by_key(|(ci, _, _)| *ci);
        let mut hits: Vec<Hit> = Vec::new();
        for (ci, negated, words) in found {
            let key = key(&self.concepts[ci], negated);
            if !hits.iter().any(|h| h.key == key) {
                hits.push(Hit { key, words });
            }
        }
        hits
    }

    fn correct(&self, token: &str) -> String {
        if token.len() < 5 || !token.is_ascii() || self.is_word(token) {
            return token.to_owned();
        }
        self.english
            .iter()
            .filter(|w| w.len().abs_diff(token.len()) <= 1 && edit_distance(w, token) == 1)
            .min()
            .cloned()
            .unwrap_or_else(|| token.to_owned())
    }

    /// A word the guides use, or one of its inflections ("clicked").
    fn is_word(&self, token: &str) -> bool {
        self.vocabulary.contains(token)
            || INFLECTIONS.iter().any(|ending| {
                token.strip_suffix(ending).is_some_and(|stem| {
                    self.vocabulary.contains(stem) || self.vocabulary.contains(&format!("{stem}e"))
                })
            })
    }
}

/// Endings stripped to find the word a token inflects.
const INFLECTIONS: [&str; 6] = ["s", "es", "ed", "d", "ing", "ly"];

/// The ASCII words of every English text in the guides and the lexicon.
fn english_vocabulary(library: &Library, concepts: &[Concept]) -> HashSet<String> {
    let guides = [Kind::Flow, Kind::Cause, Kind::Assistant]
        .into_iter()
        .flat_map(|kind| library.list(Language::En, kind))
        .filter(|guide| guide.language == Language::En);
    let mut texts: Vec<String> = Vec::new();
    for guide in guides {
        texts.push(guide.front.title.get_ref().clone());
        texts.extend(guide.front.summary.clone());
        texts.extend(
            guide
                .front
                .symptoms
                .iter()
                .flat_map(|s| s.get_ref().clone()),
        );
        texts.push(guide.body.clone());
    }
    let mut vocabulary: HashSet<String> = texts
        .iter()
        .flat_map(|text| {
            crate::text::normalise(text)
                .split(' ')
                .filter(|t| t.is_ascii() && !t.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    for word in concepts.iter().flat_map(|c| &c.words) {
        if let Form::Phrase(phrase) = &word.form {
            vocabulary.extend(phrase.iter().filter(|w| !w.ends_with('*')).cloned());
        }
    }
    vocabulary
}

/// Whether the `exception` of a lexicon concept holds one of its words,
/// as it must to change anything.
pub(crate) fn holds_a_word(exception: &str, concept: &crate::front_matter::Concept) -> bool {
    let Some(exception) = prepare(exception) else {
        return false;
    };
    concept
        .words
        .iter()
        .filter_map(|w| prepare(w.get_ref()))
        .any(|word| match (&word.form, &exception.form) {
            (Form::Piece(piece), Form::Piece(longer)) => longer.contains(piece.as_str()),
            (Form::Phrase(phrase), Form::Phrase(longer)) => longer
                .windows(phrase.len())
                .any(|w| phrase.iter().zip(w).all(|(p, t)| word_matches(p, t))),
            _ => false,
        })
}

/// Whether `folded[start..end]` lies inside one of the Japanese `except` words.
fn within_piece_exception(folded: &str, start: usize, end: usize, except: &[Form]) -> bool {
    except.iter().any(|form| match form {
        Form::Piece(word) => folded
            .match_indices(word.as_str())
            .any(|(at, _)| at <= start && end <= at + word.len()),
        Form::Phrase(_) => false,
    })
}

/// Whether the words `tokens[start..end]` lie inside one of the English
/// `except` phrases.
fn within_phrase_exception(tokens: &[String], start: usize, end: usize, except: &[Form]) -> bool {
    except.iter().any(|form| match form {
        Form::Phrase(phrase) => (end.saturating_sub(phrase.len())..=start).any(|at| {
            at + phrase.len() <= tokens.len()
                && phrase
                    .iter()
                    .zip(&tokens[at..])
                    .all(|(p, t)| word_matches(p, t))
        }),
        Form::Piece(_) => false,
    })
}

fn key(concept: &Concept, negated: bool) -> String {
    if negated {
        format!("!{}", concept.id)
    } else {
        concept.id.clone()
    }
}

/// Whether a Japanese negation follows within a few characters of the
/// same phrase (届か|ない, 届いてい|ない, 来|ません).
fn japanese_negation(after: &str) -> bool {
    let window: String = after
        .chars()
        .take_while(|c| *c != ' ')
        .take(NEGATION_WINDOW_CHARS)
        .collect();
    JAPANESE_NEGATIONS.iter().any(|n| window.contains(n))
}

/// The matched piece and the kana that end its word (落と → 落として),
/// without the particle after a noun (証明書の → 証明書).
fn japanese_surface(normalised: &str, start: usize, end: usize) -> String {
    const PARTICLES: &str = "のをがはにでともへや";
    let tail: String = normalised[end..]
        .chars()
        .take_while(|c| ('\u{3041}'..='\u{3096}').contains(c))
        .take(2)
        .collect();
    let tail = if tail.chars().next().is_some_and(|c| PARTICLES.contains(c)) {
        String::new()
    } else {
        tail
    };
    format!("{}{tail}", &normalised[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Location, Source};
    use crate::text::normalise;

    const LEXICON_JA: &str = "+++\nid = \"lexicon\"\nkind = \"lexicon\"\ntitle = \"語彙\"\n\n[[concepts]]\nid = \"phone\"\nlabel = \"スマホ\"\nwords = [\"スマホ\", \"携帯\"]\n\n[[concepts]]\nid = \"lost\"\nlabel = \"なくした\"\nwords = [\"落と\", \"なくし\"]\n\n[[concepts]]\nid = \"arrived\"\nlabel = \"届いた\"\nnot_label = \"届かない\"\nwords = [\"届\", \"!来ない\"]\nnegatable = true\n\n[[concepts]]\nid = \"password\"\nlabel = \"パスワード\"\nwords = [\"パスワード\"]\n\n[[concepts]]\nid = \"locked\"\nlabel = \"ロック\"\nwords = [\"ロック\"]\nexcept = [\"ブロック\"]\n+++\n";
    const LEXICON_EN: &str = "+++\nid = \"lexicon\"\nkind = \"lexicon\"\ntitle = \"Words\"\n\n[[concepts]]\nid = \"phone\"\nlabel = \"phone\"\nwords = [\"phone\", \"iphone\"]\nexcept = [\"phone number\"]\n\n[[concepts]]\nid = \"lost\"\nlabel = \"lost\"\nwords = [\"lost\", \"lose\", \"dropped\", \"fell in*\"]\n\n[[concepts]]\nid = \"arrived\"\nlabel = \"arrived\"\nwords = [\"arrived\", \"received\", \"came\"]\n+++\n";

    /// A guide whose words are real words, never typos.
    const CAUSE_EN: &str = "+++\nid = \"caps-lock\"\nkind = \"cause\"\ntitle = \"Caps Lock\"\nfixed_by = [\"user\"]\n+++\nClose the window and type it again.\n";

    fn lexicon() -> Lexicon {
        Lexicon::new(&Library::load(vec![Source {
            label: "test".into(),
            required: false,
            location: Location::Embedded(vec![
                ("ja/lexicon.md".into(), LEXICON_JA),
                ("en/lexicon.md".into(), LEXICON_EN),
                ("en/causes/caps-lock.md".into(), CAUSE_EN),
            ]),
        }]))
    }

    fn keys(text: &str) -> Vec<String> {
        lexicon()
            .find(&normalise(text), true)
            .into_iter()
            .map(|h| h.key)
            .collect()
    }

    #[test]
    fn finds_japanese_pieces_in_any_form_and_kana() {
        assert_eq!(keys("スマホを落としてしまった"), ["phone", "lost"]);
        assert_eq!(keys("携帯落とした"), ["phone", "lost"]);
        assert_eq!(keys("ぱすわーど"), ["password"]);
        assert_eq!(keys("ｽﾏﾎ"), ["phone"]);
        assert_eq!(keys("ろっくされた"), ["locked"]);
        assert!(keys("ブロックされた").is_empty(), "inside a word it is not");
    }

    #[test]
    fn finds_english_words_phrases_endings_and_typos() {
        assert_eq!(keys("I dropped my iPhone"), ["phone", "lost"]);
        assert_eq!(keys("my phone fell into the sea"), ["phone", "lost"]);
        assert_eq!(keys("the invitation never arived"), ["!arrived"]);
        assert!(keys("the telephone").is_empty(), "whole words only");
        assert!(
            keys("my phone number").is_empty(),
            "inside a longer phrase it is not"
        );
        assert_eq!(keys("the phnoe"), ["phone"], "one typo away");
        assert_eq!(
            keys("I closed it"),
            Vec::<String>::new(),
            "a guide's word is no typo"
        );
        assert_eq!(keys("I loose it"), ["lost"], "not a guide's word");
    }

    #[test]
    fn negation_turns_a_negatable_concept() {
        assert_eq!(keys("メールが届かない"), ["!arrived"]);
        assert_eq!(keys("まだ届いていないようです"), ["!arrived"]);
        assert_eq!(keys("メールは届いた"), ["arrived"]);
        assert_eq!(keys("メールが来ない"), ["!arrived"]);
        assert_eq!(keys("I didn't get it, nothing came"), ["!arrived"]);
        assert_eq!(keys("the mail came yesterday"), ["arrived"]);
        // Only negatable concepts turn: "can't" does not negate the phone.
        assert_eq!(keys("I can't find my phone"), ["phone"]);
    }

    #[test]
    fn says_where_it_saw_a_concept() {
        let hits = lexicon().find(&normalise("スマホを落としてしまった"), true);
        assert_eq!(hits[1].words, "落として");
        assert_eq!(lexicon().find(&normalise("携帯の"), true)[0].words, "携帯");
        assert_eq!(lexicon().label("!arrived", Language::En), "not arrived");
        assert_eq!(lexicon().label("!arrived", Language::Ja), "届かない");
        assert!(lexicon().knows("!arrived") && !lexicon().knows("!phone"));
    }
}
