//! `tobira guides lint`: everything a person writing a guide gets wrong,
//! each reported as `path:line:col: message`.

use std::collections::{BTreeMap, HashMap, HashSet};

use pulldown_cmark::{Event, Options, Parser, Tag};
use tobira_core::scope::is_vendor_host;
use tobira_core::Language;

use crate::body::{self, parse_step_data};
use crate::citation::Citation;
use crate::front_matter::{Kind, Question};
use crate::guide::{Guide, CAUSE_IDS};
use crate::library::Source;
use crate::matcher::edit_distance;
use crate::problem::{line_column, Problem};
use crate::render::{classify, LinkTarget};

/// Hosts links may point to besides the vendor's sites (the user's site and
/// the organisation's helpdesk, when known).
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts(pub Vec<String>);

impl AllowedHosts {
    fn allows(&self, host: &str) -> bool {
        is_vendor_host(host) || self.0.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

/// A reference from one guide to another, checked once all are known.
struct Reference {
    path: String,
    at: (usize, usize),
    kind: Kind,
    id: String,
}

/// A concept named in a cause's `ideas`, checked against every lexicon.
struct IdeaReference {
    path: String,
    at: (usize, usize),
    key: String,
}

/// Concept ids of every lexicon read, with whether they may be negated.
#[derive(Default)]
struct Concepts(HashMap<String, bool>);

impl Concepts {
    fn add(&mut self, guide: &Guide) {
        for concept in guide.front.concepts.iter().flat_map(|c| c.get_ref()) {
            *self.0.entry(concept.id.get_ref().clone()).or_default() |= concept.negatable;
        }
    }

    /// Why a key of an idea is wrong, if it is.
    fn problem(&self, key: &str) -> Option<String> {
        let (id, negated) = key.strip_prefix('!').map_or((key, false), |id| (id, true));
        match self.0.get(id) {
            None => {
                let known: HashSet<String> = self.0.keys().cloned().collect();
                Some(format!(
                    "unknown concept '{id}'{}; concepts are defined in a lexicon guide",
                    suggestion(id, Some(&known))
                ))
            }
            Some(false) if negated => Some(format!(
                "'!{id}': the concept '{id}' is not negatable; add negatable = true to it in the lexicon or drop the '!'"
            )),
            Some(_) => None,
        }
    }
}

/// What lint found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LintReport {
    /// How many guide files were read.
    pub files: usize,
    pub problems: Vec<Problem>,
    /// Worth fixing, but the guide works as it is (a guide that names no
    /// sources: required of Tobira's own guides, optional for others).
    pub warnings: Vec<Problem>,
}

/// Lints the given sources together: ids are unique per source and
/// language, each file has its translation in the same source, and links
/// may point to guides of any source.
pub fn lint(sources: &[Source], allowed: &AllowedHosts) -> LintReport {
    let mut files = 0;
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut references = Vec::new();
    let mut ideas: Vec<IdeaReference> = Vec::new();
    let mut concepts = Concepts::default();
    let mut known: HashMap<Kind, HashSet<String>> = HashMap::new();
    known
        .entry(Kind::Cause)
        .or_default()
        .extend(CAUSE_IDS.iter().map(|s| s.to_string()));
    for (layer, source) in sources.iter().enumerate() {
        // (language, id) → guides of this source
        let mut seen: BTreeMap<(String, Language), Vec<Guide>> = BTreeMap::new();
        for entry in source.entries() {
            let (path, language) = (entry.path.clone(), entry.language);
            if language.is_none() && path.ends_with("README.md") {
                continue;
            }
            files += 1;
            let text = match entry.read() {
                Ok(text) => text,
                Err(message) => {
                    problems.push(Problem::new(&path, (1, 1), message));
                    continue;
                }
            };
            let Some(language) = language else {
                problems.push(Problem::new(
                    &path,
                    (1, 1),
                    "guides go in the folder ja/ or en/ of a guide folder; this file is not loaded",
                ));
                continue;
            };
            match Guide::parse(&path, &text, language, layer) {
                Ok(guide) => {
                    lint_guide(&guide, &text, allowed, &mut problems, &mut references);
                    lint_sources(&guide, &text, &mut problems, &mut warnings);
                    lint_lexicon_and_ideas(&guide, &text, &mut problems, &mut ideas);
                    concepts.add(&guide);
                    known
                        .entry(guide.kind())
                        .or_default()
                        .insert(guide.id().to_owned());
                    seen.entry((guide.id().to_owned(), language))
                        .or_default()
                        .push(guide);
                }
                Err(problem) => problems.push(problem),
            }
        }
        lint_source(&seen, &mut problems);
    }
    for reference in references {
        if !known
            .get(&reference.kind)
            .is_some_and(|ids| ids.contains(&reference.id))
        {
            let what = reference.kind.as_str();
            problems.push(Problem::new(
                &reference.path,
                reference.at,
                format!(
                    "unknown {what} id '{}'{}",
                    reference.id,
                    suggestion(&reference.id, known.get(&reference.kind))
                ),
            ));
        }
    }
    // Bundled causes use the bundled lexicon; an organisation's guides may
    // use both. Without any lexicon there is nothing to check against.
    if !concepts.0.is_empty() {
        for idea in ideas {
            if let Some(message) = concepts.problem(&idea.key) {
                problems.push(Problem::new(&idea.path, idea.at, message));
            }
        }
    }
    for list in [&mut problems, &mut warnings] {
        list.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        list.dedup();
    }
    LintReport {
        files,
        problems,
        warnings,
    }
}

/// A lexicon's concepts (ids, labels, words) and a cause's ideas.
fn lint_lexicon_and_ideas(
    guide: &Guide,
    text: &str,
    problems: &mut Vec<Problem>,
    ideas: &mut Vec<IdeaReference>,
) {
    let path = &guide.path;
    let at = |span: std::ops::Range<usize>| line_column(text, front_offset(text) + span.start);
    for idea in guide.front.ideas.iter().flat_map(|i| i.get_ref()) {
        let keys: Vec<&str> = idea.get_ref().split_whitespace().collect();
        if keys.is_empty() {
            problems.push(Problem::new(
                path,
                at(idea.span()),
                "an empty idea: name one or more concept ids, like \"phone lost-device\"",
            ));
        }
        for key in keys {
            ideas.push(IdeaReference {
                path: path.clone(),
                at: at(idea.span()),
                key: key.to_owned(),
            });
        }
    }
    if guide.kind() != Kind::Lexicon {
        return;
    }
    let mut seen = HashSet::new();
    for concept in guide.front.concepts.iter().flat_map(|c| c.get_ref()) {
        let id = concept.id.get_ref();
        if !crate::front_matter::is_valid_id(id) {
            problems.push(Problem::new(
                path,
                at(concept.id.span()),
                format!("concept id '{id}' must be lowercase letters, digits and '-', like 'lost-device'"),
            ));
        }
        if !seen.insert(id.as_str()) {
            problems.push(Problem::new(
                path,
                at(concept.id.span()),
                format!("concept '{id}' is defined twice in this file; merge its words"),
            ));
        }
        if concept.label.trim().is_empty() {
            problems.push(Problem::new(path, at(concept.id.span()), format!("concept '{id}' needs a label: the user sees it as the reason a cause was picked")));
        }
        if concept.words.is_empty() {
            problems.push(Problem::new(
                path,
                at(concept.id.span()),
                format!("concept '{id}' has no words"),
            ));
        }
        let mut words = HashSet::new();
        for word in &concept.words {
            let bare = word
                .get_ref()
                .trim()
                .trim_start_matches('!')
                .trim_end_matches('*');
            if crate::matcher::normalise(bare).is_empty() {
                problems.push(Problem::new(
                    path,
                    at(word.span()),
                    format!(
                        "'{}' has no letters or digits: it can never match",
                        word.get_ref()
                    ),
                ));
            } else if !words.insert(crate::matcher::normalise(word.get_ref())) {
                problems.push(Problem::new(
                    path,
                    at(word.span()),
                    format!("'{}' is listed twice for concept '{id}'", word.get_ref()),
                ));
            }
        }
        for exception in &concept.except {
            if !crate::lexicon::holds_a_word(exception, concept) {
                problems.push(Problem::new(path, at(concept.id.span()), format!("exception '{exception}' of concept '{id}' holds none of its words, so it changes nothing; list longer words that hold one")));
            }
        }
    }
}

/// " (did you mean 'x'?)" for a near miss.
fn suggestion(id: &str, known: Option<&HashSet<String>>) -> String {
    let close = known.and_then(|ids| {
        ids.iter()
            .filter(|k| k.contains(id) || id.contains(k.as_str()) || edit_distance(k, id) <= 2)
            .min_by_key(|k| (edit_distance(k, id), k.to_string()))
    });
    close.map_or_else(String::new, |k| format!(" (did you mean '{k}'?)"))
}

/// Every cause of a folder with a question tree can be reached from it:
/// a cause no answer leads to is never offered to someone who answers.
fn lint_tree_reaches_causes(
    seen: &BTreeMap<(String, Language), Vec<Guide>>,
    problems: &mut Vec<Problem>,
) {
    for language in [Language::Ja, Language::En] {
        let Some(tree) = seen
            .get(&("assistant".to_owned(), language))
            .and_then(|g| g.first())
            .filter(|g| g.kind() == Kind::Assistant)
        else {
            continue;
        };
        let reached: HashSet<&str> = tree
            .front
            .questions
            .iter()
            .flat_map(|q| q.get_ref())
            .flat_map(|q| &q.answers)
            .flat_map(|a| &a.get_ref().causes)
            .map(|c| c.get_ref().as_str())
            .collect();
        for ((id, l), guides) in seen {
            let cause = &guides[0];
            if *l == language && cause.kind() == Kind::Cause && !reached.contains(id.as_str()) {
                problems.push(Problem::new(
                    &cause.path,
                    cause.id_position,
                    format!(
                        "no answer of the assistant's questions ({}) leads to '{id}'; add it to the causes of an answer",
                        tree.path
                    ),
                ));
            }
        }
    }
}

/// Duplicate ids, missing translations, flows whose steps differ between
/// the languages (progress is kept per step id, whatever the language).
fn lint_source(seen: &BTreeMap<(String, Language), Vec<Guide>>, problems: &mut Vec<Problem>) {
    lint_tree_reaches_causes(seen, problems);
    for ((id, language), guides) in seen {
        for duplicate in guides.iter().skip(1) {
            problems.push(Problem::new(
                &duplicate.path,
                duplicate.id_position,
                format!(
                    "duplicate id '{id}': {} already has it; give one of them another id",
                    guides[0].path
                ),
            ));
        }
        let other = language.other();
        let first = &guides[0];
        match seen.get(&(id.clone(), other)) {
            // Words are per language: an organisation may add only Japanese ones.
            None if first.kind() == Kind::Lexicon => {}
            None => problems.push(Problem::new(
                &first.path,
                (1, 1),
                format!(
                    "no {} version: add a file under {}/ with id = \"{id}\"",
                    language_name(other),
                    other.as_str()
                ),
            )),
            Some(translations) if *language == Language::En && first.kind() == Kind::Flow => {
                // Ids, with the choice of alternatives (progress is kept by both).
                let steps = |g: &Guide| -> Vec<String> {
                    body::structure(&g.path, &g.body, g.body_line, true, None, None)
                        .steps
                        .into_iter()
                        .map(|s| {
                            let data = s
                                .data_block
                                .as_ref()
                                .and_then(|b| parse_step_data(&g.path, b).ok())
                                .map(|(data, _)| data)
                                .unwrap_or_default();
                            let mut shown = s.id;
                            if let Some(choice) = data.choice {
                                shown.push_str(&format!(" (choice {choice})"));
                            }
                            // The same page must prove the step in both languages.
                            if let Some(done_when) = data.done_when {
                                shown.push_str(&format!(" (done_when {done_when})"));
                            }
                            shown
                        })
                        .collect()
                };
                let (mine, theirs) = (steps(first), steps(&translations[0]));
                if mine != theirs {
                    problems.push(Problem::new(
                        &first.path,
                        (first.body_line, 1),
                        format!(
                            "the steps differ from {}: [{}] here, [{}] there; use the same step ids, choices and done_when in both languages",
                            translations[0].path,
                            mine.join(", "),
                            theirs.join(", ")
                        ),
                    ));
                }
            }
            Some(_) => {}
        }
    }
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Ja => "Japanese",
        Language::En => "English",
    }
}

fn lint_guide(
    guide: &Guide,
    text: &str,
    allowed: &AllowedHosts,
    problems: &mut Vec<Problem>,
    references: &mut Vec<Reference>,
) {
    let path = &guide.path;
    let structure = body::structure(
        path,
        &guide.body,
        guide.body_line,
        guide.kind() == Kind::Flow,
        None,
        Some(problems),
    );
    // (choice, where it is) of each step, to check the alternatives below.
    let mut choices: Vec<(Option<String>, (usize, usize))> = Vec::new();
    // (step index, the steps its done_when also completes, where that is).
    let mut also: Vec<(usize, Vec<String>, (usize, usize))> = Vec::new();
    for step in &structure.steps {
        let Some(block) = &step.data_block else {
            choices.push((None, (step.line, 1)));
            continue;
        };
        match parse_step_data(path, block) {
            Ok((_, source)) => {
                let at = source.choice.as_ref().map_or((step.line, 1), |c| {
                    body::step_data_position(block, c.span().start)
                });
                choices.push((source.choice.as_ref().map(|c| c.get_ref().clone()), at));
                if let Some(done_when) = &source.done_when {
                    let at = body::step_data_position(block, done_when.span().start);
                    also.push((choices.len() - 1, done_when.get_ref().also.clone(), at));
                    if source
                        .open
                        .as_ref()
                        .is_some_and(|o| !o.get_ref().starts_with('/'))
                    {
                        problems.push(Problem::new(path, at, "done_when on a step that opens a page outside the user's site: the companion only sees the user's kintone sites, so this step can never complete by itself"));
                    }
                }
                for entry in &source.sources {
                    let at = body::step_data_position(block, entry.span().start);
                    lint_citation(path, entry, at, problems);
                }
                for stuck in &source.stuck {
                    references.push(Reference {
                        path: path.clone(),
                        at: body::step_data_position(block, stuck.span().start),
                        kind: Kind::Cause,
                        id: stuck.get_ref().clone(),
                    });
                }
                if let Some(open) = &source.open {
                    if let LinkTarget::Web(url) = classify(open.get_ref()) {
                        let host = url.host_str().unwrap_or_default();
                        if !allowed.allows(host) {
                            problems.push(Problem::new(
                                path,
                                body::step_data_position(block, open.span().start),
                                outside_message(host),
                            ));
                        }
                    }
                }
            }
            Err(problem) => {
                choices.push((None, (step.line, 1)));
                problems.push(problem)
            }
        }
    }
    lint_choices(path, &choices, problems);
    lint_done_when_also(path, &structure.steps, &choices, &also, problems);
    lint_links(guide, text, allowed, problems, references);
    lint_inline_shortcodes(guide, problems);
    if guide.kind() == Kind::Assistant {
        lint_assistant(guide, text, problems, references);
    }
}

/// A source that is not a seed, a page or "general" is a problem.
fn lint_citation(
    path: &str,
    entry: &toml::Spanned<String>,
    at: (usize, usize),
    problems: &mut Vec<Problem>,
) {
    if let Err(message) = Citation::parse(entry.get_ref()) {
        problems.push(Problem::new(path, at, message));
    }
}

/// The guide's own sources (steps' are checked with their data blocks); a
/// flow or a cause without any gets a warning.
fn lint_sources(
    guide: &Guide,
    text: &str,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    match &guide.front.sources {
        Some(sources) => {
            for entry in sources.get_ref() {
                let at = line_column(text, front_offset(text) + entry.span().start);
                lint_citation(&guide.path, entry, at, problems);
            }
        }
        None if matches!(guide.kind(), Kind::Flow | Kind::Cause) => warnings.push(Problem::new(
            &guide.path,
            guide.id_position,
            "no sources: add sources = [\"seed:NNN#anchor\", \"https://…\" or \"general\"] so readers and reviewers know where the facts come from",
        )),
        None => {}
    }
}

/// Each step a `done_when.also` names exists, comes earlier and is not one
/// of a choice's alternatives (a page cannot tell which one the user took).
fn lint_done_when_also(
    path: &str,
    steps: &[body::Step],
    choices: &[(Option<String>, (usize, usize))],
    also: &[(usize, Vec<String>, (usize, usize))],
    problems: &mut Vec<Problem>,
) {
    for (index, named, at) in also {
        for id in named {
            let position = steps.iter().position(|s| s.id == *id);
            let message = match position {
                None => format!(
                    "done_when.also names '{id}', which is not a step of this flow; the steps are: {}",
                    steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
                Some(p) if p >= *index => format!("done_when.also names '{id}', which does not come before this step; list only earlier steps this page proves"),
                Some(p) if choices.get(p).is_some_and(|(c, _)| c.is_some()) => format!("done_when.also names '{id}', one of a choice's alternatives; a page cannot tell which one the user took"),
                Some(_) => continue,
            };
            problems.push(Problem::new(path, *at, message));
        }
    }
}

/// Alternatives are neighbours, at least two, named like ids.
fn lint_choices(
    path: &str,
    choices: &[(Option<String>, (usize, usize))],
    problems: &mut Vec<Problem>,
) {
    let mut index = 0;
    let mut seen: HashSet<&str> = HashSet::new();
    while index < choices.len() {
        let (Some(choice), at) = &choices[index] else {
            index += 1;
            continue;
        };
        let members = choices[index..]
            .iter()
            .take_while(|(c, _)| c.as_deref() == Some(choice.as_str()))
            .count();
        if !crate::front_matter::is_valid_id(choice) {
            problems.push(Problem::new(
                path,
                *at,
                format!("choice '{choice}' must be lowercase letters, digits and '-'"),
            ));
        } else if !seen.insert(choice) {
            problems.push(Problem::new(path, *at, format!("the alternatives of choice '{choice}' must be neighbouring steps; this one stands apart from the others")));
        } else if members < 2 {
            problems.push(Problem::new(path, *at, format!("choice '{choice}' has one step only; give the same choice to the step that is its alternative, or remove it")));
        }
        index += members;
    }
}

/// Inside a line only `{{% domain %}}` is known; region markers stand on
/// lines of their own (checked with the body's structure).
fn lint_inline_shortcodes(guide: &Guide, problems: &mut Vec<Problem>) {
    for (index, line) in guide.body.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("{{%") && trimmed.ends_with("%}}") {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("{{%") {
            let column = line.len() - rest.len() + start;
            if !rest[start..].starts_with(body::DOMAIN_SHORTCODE) {
                problems.push(Problem::new(
                    &guide.path,
                    (guide.body_line + index, line[..column].chars().count() + 1),
                    "unknown shortcode: inside a line only {{% domain %}} (the region's service domain) is known",
                ));
            }
            rest = &rest[start + 3..];
        }
    }
}

fn outside_message(host: &str) -> String {
    format!(
        "'{host}' is not an allowed host: link to the user's site with site:/path, to the vendor's help sites, or to the helpdesk in the policy"
    )
}

fn lint_links(
    guide: &Guide,
    text: &str,
    allowed: &AllowedHosts,
    problems: &mut Vec<Problem>,
    references: &mut Vec<Reference>,
) {
    let body_start = text.len() - guide.body.len();
    let at = |offset: usize| line_column(text, body_start + offset);
    let path = &guide.path;
    for (event, range) in Parser::new_ext(&guide.body, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => match classify(&dest_url) {
                LinkTarget::Cause(id) => references.push(Reference { path: path.clone(), at: at(range.start), kind: Kind::Cause, id: id.to_owned() }),
                LinkTarget::Flow(id) => references.push(Reference { path: path.clone(), at: at(range.start), kind: Kind::Flow, id: id.to_owned() }),
                LinkTarget::SitePath(_) | LinkTarget::AppLabel(_) => {}
                LinkTarget::Web(url) => {
                    let host = url.host_str().unwrap_or_default();
                    if !allowed.allows(host) {
                        problems.push(Problem::new(path, at(range.start), outside_message(host)));
                    }
                }
                LinkTarget::Refused => problems.push(Problem::new(
                    path,
                    at(range.start),
                    format!("link '{dest_url}' cannot be opened: use https://, site:/path, cause:ID, flow:ID or app:MESSAGE.KEY"),
                )),
            },
            Event::Start(Tag::Image { .. }) => problems.push(Problem::new(
                path,
                at(range.start),
                "images are not shown in Tobira; describe what the user sees in words",
            )),
            Event::Html(_) | Event::InlineHtml(_) => {
                let problem = Problem::new(path, at(range.start), "raw HTML is shown as plain text; write Markdown instead");
                // One per line is enough (`<b>x</b>` is two events).
                if !problems.last().is_some_and(|p| p.path == problem.path && p.line == problem.line && p.message == problem.message) {
                    problems.push(problem);
                }
            }
            _ => {}
        }
    }
}

/// Walking the tree stops after this many steps (a tree of real size needs
/// a few hundred).
const MAX_ASSISTANT_PATHS: usize = 100_000;

/// Every question is reachable, every answer goes on or ends in causes,
/// and no path goes round in a circle.
fn lint_assistant(
    guide: &Guide,
    text: &str,
    problems: &mut Vec<Problem>,
    references: &mut Vec<Reference>,
) {
    let path = &guide.path;
    let at = |span: std::ops::Range<usize>| line_column(text, front_offset(text) + span.start);
    let questions: &[Question] = guide.front.questions.as_ref().map_or(&[], |q| q.get_ref());
    let mut by_id: HashMap<&str, &Question> = HashMap::new();
    for question in questions {
        if by_id.insert(question.id.get_ref(), question).is_some() {
            problems.push(Problem::new(
                path,
                at(question.id.span()),
                format!("question id '{}' is used twice", question.id.get_ref()),
            ));
        }
        if question.answers.is_empty() {
            problems.push(Problem::new(
                path,
                at(question.id.span()),
                "a question needs at least one answer",
            ));
        }
        let mut answer_ids = HashSet::new();
        for answer in &question.answers {
            let answer_at = at(answer.span());
            let answer = answer.get_ref();
            if let Some(id) = &answer.id {
                if !crate::front_matter::is_valid_id(id.get_ref()) {
                    problems.push(Problem::new(
                        path,
                        at(id.span()),
                        format!(
                            "answer id '{}' must be lowercase letters, digits and '-'",
                            id.get_ref()
                        ),
                    ));
                } else if !answer_ids.insert(id.get_ref().as_str()) {
                    problems.push(Problem::new(
                        path,
                        at(id.span()),
                        format!(
                            "answer id '{}' is used twice in question '{}'",
                            id.get_ref(),
                            question.id.get_ref()
                        ),
                    ));
                }
            }
            match (&answer.next, answer.causes.is_empty()) {
                (Some(next), true) => {
                    if !by_id.contains_key(next.get_ref().as_str()) && !questions.iter().any(|q| q.id.get_ref() == next.get_ref()) {
                        problems.push(Problem::new(path, at(next.span()), format!("next = '{}' is not a question in this file", next.get_ref())));
                    }
                }
                (None, false) => {
                    for cause in &answer.causes {
                        references.push(Reference { path: path.clone(), at: at(cause.span()), kind: Kind::Cause, id: cause.get_ref().clone() });
                    }
                }
                (Some(next), false) => problems.push(Problem::new(path, at(next.span()), format!("answer '{}' has both next and causes; give one", answer.label))),
                (None, true) => problems.push(Problem::new(path, answer_at, format!("answer '{}' leads nowhere: give next = \"question-id\" or causes = [\"cause-id\"]", answer.label))),
            }
        }
    }
    let Some(start) = &guide.front.start else {
        problems.push(Problem::new(
            path,
            (2, 1),
            "an assistant guide needs start = \"first-question-id\"",
        ));
        return;
    };
    if !by_id.contains_key(start.get_ref().as_str()) {
        problems.push(Problem::new(
            path,
            at(start.span()),
            format!(
                "start = '{}' is not a question in this file",
                start.get_ref()
            ),
        ));
        return;
    }
    // Depth-first walk: a question met again on the current path is a circle.
    let mut reached: HashSet<&str> = HashSet::new();
    let mut stack: Vec<(&str, Vec<&str>)> = vec![(start.get_ref(), Vec::new())];
    let mut budget = MAX_ASSISTANT_PATHS;
    while let Some((id, mut trail)) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            problems.push(Problem::new(
                path,
                at(start.span()),
                "the questions branch too much to check; split the tree",
            ));
            return;
        }
        if trail.contains(&id) {
            let question = by_id[id];
            problems.push(Problem::new(
                path,
                at(question.id.span()),
                format!(
                    "the questions go round in a circle: {} → {id}",
                    trail.join(" → ")
                ),
            ));
            continue;
        }
        reached.insert(id);
        trail.push(id);
        for answer in &by_id[id].answers {
            if let Some(next) = answer
                .get_ref()
                .next
                .as_ref()
                .filter(|n| by_id.contains_key(n.get_ref().as_str()))
            {
                stack.push((next.get_ref(), trail.clone()));
            }
        }
    }
    for question in questions {
        if !reached.contains(question.id.get_ref().as_str()) {
            problems.push(Problem::new(
                path,
                at(question.id.span()),
                format!(
                    "question '{}' cannot be reached from start",
                    question.id.get_ref()
                ),
            ));
        }
    }
}

/// Byte offset of the front matter (spans are relative to it).
fn front_offset(text: &str) -> usize {
    crate::front_matter::split(text).map_or(0, |s| s.front_offset)
}
