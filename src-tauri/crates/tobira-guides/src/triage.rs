//! Ask instead of guess: when the best causes for a query are close, the
//! question of the assistant tree that tells them apart, and what an
//! answer does to the ranking (`tobira troubleshoot --answer Q.A`).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tobira_core::Language;

use crate::front_matter::{Kind, Question};
use crate::library::Library;

/// A cause this close to the best one (as a share of its score) is a rival
/// worth a question.
const CLOSE_SHARE: f64 = 0.7;
/// At most this many rivals are told apart by one question.
const MAX_RIVALS: usize = 4;
/// A cause picked for exactly the same ideas as the best one is a rival
/// down to this share: the user's words do not tell the two apart
/// ("trouble with my certificate" fits four certificate causes).
const SAME_EVIDENCE_SHARE: f64 = 0.4;

/// A cause as ranked for a query: what the tree needs to pick rivals.
#[derive(Debug, Clone)]
pub struct Ranked<'a> {
    pub cause: &'a str,
    pub score: f64,
    /// The ideas of the query it was picked for.
    pub evidence: Vec<&'a str>,
}

/// The question to ask, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Ask {
    /// The question's id in the tree.
    pub question: String,
    pub text: String,
    /// Only the answers that lead to one of the rivals.
    pub answers: Vec<AskAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AskAnswer {
    /// `QUESTION.ANSWER`, as `--answer` takes it.
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone)]
struct AnswerNode {
    id: String,
    label: String,
    /// Every cause this answer can end in.
    reach: HashSet<String>,
}

#[derive(Debug, Clone)]
struct QuestionNode {
    id: String,
    text: String,
    answers: Vec<AnswerNode>,
}

/// The assistant tree of each language, with what every answer reaches.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    by_language: HashMap<Language, Vec<QuestionNode>>,
}

/// An `--answer` that names no answer of the tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "there is no answer '{given}'; the answers are named QUESTION.ANSWER, for example {example}"
)]
pub struct UnknownAnswer {
    pub given: String,
    pub example: String,
}

/// An answer the user gave, resolved.
pub(crate) struct Given<'t> {
    pub label: &'t str,
    pub reach: &'t HashSet<String>,
    /// What the other answers of its question reach, and this one does not.
    pub ruled_out: HashSet<&'t str>,
}

fn answer_id(answer: &crate::front_matter::Answer, position: usize) -> String {
    answer
        .id
        .as_ref()
        .map_or_else(|| (position + 1).to_string(), |id| id.get_ref().clone())
}

fn reach(
    questions: &[Question],
    answer: &crate::front_matter::Answer,
    seen: &mut HashSet<String>,
) -> HashSet<String> {
    let mut out: HashSet<String> = answer.causes.iter().map(|c| c.get_ref().clone()).collect();
    if let Some(next) = &answer.next {
        // The linter reports circles; here a question is walked once.
        if seen.insert(next.get_ref().clone()) {
            if let Some(question) = questions.iter().find(|q| q.id.get_ref() == next.get_ref()) {
                for a in &question.answers {
                    out.extend(reach(questions, a.get_ref(), seen));
                }
            }
        }
    }
    out
}

impl Tree {
    /// The `assistant` guides of `library`, both languages.
    pub fn new(library: &Library) -> Tree {
        let mut by_language = HashMap::new();
        for language in [Language::Ja, Language::En] {
            let Some((guide, found)) = library.guide(language, "assistant") else {
                continue;
            };
            if guide.kind() != Kind::Assistant || found != language {
                continue;
            }
            let questions: &[Question] =
                guide.front.questions.as_ref().map_or(&[], |q| q.get_ref());
            let nodes = questions
                .iter()
                .map(|q| QuestionNode {
                    id: q.id.get_ref().clone(),
                    text: q.text.clone(),
                    answers: q
                        .answers
                        .iter()
                        .enumerate()
                        .map(|(i, a)| AnswerNode {
                            id: answer_id(a.get_ref(), i),
                            label: a.get_ref().label.clone(),
                            reach: reach(questions, a.get_ref(), &mut HashSet::new()),
                        })
                        .collect(),
                })
                .collect();
            by_language.insert(language, nodes);
        }
        Tree { by_language }
    }

    fn questions(&self, language: Language) -> &[QuestionNode] {
        self.by_language
            .get(&language)
            .or_else(|| self.by_language.get(&language.other()))
            .map_or(&[], Vec::as_slice)
    }

    /// Resolves `QUESTION.ANSWER`.
    pub(crate) fn given(&self, id: &str, language: Language) -> Result<Given<'_>, UnknownAnswer> {
        let questions = self.questions(language);
        let unknown = || UnknownAnswer {
            given: id.to_owned(),
            example: questions
                .first()
                .and_then(|q| q.answers.first().map(|a| format!("{}.{}", q.id, a.id)))
                .unwrap_or_else(|| "where.office".to_owned()),
        };
        let (question, answer) = id.split_once('.').ok_or_else(unknown)?;
        let question = questions
            .iter()
            .find(|q| q.id == question)
            .ok_or_else(unknown)?;
        let chosen = question
            .answers
            .iter()
            .find(|a| a.id == answer)
            .ok_or_else(unknown)?;
        let ruled_out = question
            .answers
            .iter()
            .filter(|a| a.id != chosen.id)
            .flat_map(|a| a.reach.iter().map(String::as_str))
            .filter(|c| !chosen.reach.contains(*c))
            .collect();
        Ok(Given {
            label: &chosen.label,
            reach: &chosen.reach,
            ruled_out,
        })
    }

    /// The question that best tells apart the causes close to the best one
    /// (`ranked`: best first); none when one cause stands out or no
    /// question separates the rivals. Questions already answered are not
    /// asked again.
    pub fn ask(&self, ranked: &[Ranked], answered: &[String], language: Language) -> Option<Ask> {
        let best = ranked.first()?;
        let same_evidence = |r: &Ranked| {
            let mut mine = r.evidence.clone();
            let mut theirs = best.evidence.clone();
            mine.sort_unstable();
            theirs.sort_unstable();
            !mine.is_empty() && mine == theirs
        };
        let rivals: Vec<&str> = ranked
            .iter()
            .take(MAX_RIVALS)
            .filter(|r| {
                r.score >= CLOSE_SHARE * best.score
                    || (r.score >= SAME_EVIDENCE_SHARE * best.score && same_evidence(r))
            })
            .map(|r| r.cause)
            .collect();
        if rivals.len() < 2 {
            return None;
        }
        let asked: HashSet<&str> = answered
            .iter()
            .filter_map(|a| a.split_once('.').map(|(q, _)| q))
            .collect();
        let mut best_question: Option<(usize, usize, &QuestionNode)> = None;
        for question in self.questions(language) {
            if asked.contains(question.id.as_str()) {
                continue;
            }
            // A pair is told apart when some answer reaches one and not the other.
            let mut separated = 0;
            for (i, a) in rivals.iter().enumerate() {
                for b in &rivals[i + 1..] {
                    if question
                        .answers
                        .iter()
                        .any(|ans| ans.reach.contains(*a) != ans.reach.contains(*b))
                    {
                        separated += 1;
                    }
                }
            }
            let relevant = question
                .answers
                .iter()
                .filter(|a| rivals.iter().any(|r| a.reach.contains(*r)))
                .count();
            // The best rival must be among the answers, and at least two answers must differ.
            let leads_to_best = question.answers.iter().any(|a| a.reach.contains(rivals[0]));
            if separated == 0 || relevant < 2 || !leads_to_best {
                continue;
            }
            // More pairs told apart first; then fewer answers to read.
            let better = best_question
                .as_ref()
                .is_none_or(|(s, n, _)| separated > *s || (separated == *s && relevant < *n));
            if better {
                best_question = Some((separated, relevant, question));
            }
        }
        let (_, _, question) = best_question?;
        Some(Ask {
            question: question.id.clone(),
            text: question.text.clone(),
            answers: question
                .answers
                .iter()
                .filter(|a| rivals.iter().any(|r| a.reach.contains(*r)))
                .map(|a| AskAnswer {
                    id: format!("{}.{}", question.id, a.id),
                    label: a.label.clone(),
                })
                .collect(),
        })
    }
}
