//! The `+++` TOML front matter at the top of every guide file, as Hugo
//! writes it, and what each kind of guide may say there.

use serde::{Deserialize, Serialize};
use tobira_core::{Audience, Region};
use toml::Spanned;

use crate::problem::{line_column, Problem};

/// Guide files larger than this are refused: a guide is a page of text.
pub const MAX_GUIDE_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A walkthrough: every `##` section is a step.
    Flow,
    /// One login problem and its fix.
    Cause,
    /// The assistant's questions that narrow a problem down to causes.
    Assistant,
    /// Ideas and the words people use for them, for the assistant's matcher.
    Lexicon,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Flow => "flow",
            Kind::Cause => "cause",
            Kind::Assistant => "assistant",
            Kind::Lexicon => "lexicon",
        }
    }
}

/// Who can fix a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Fixer {
    User,
    Admin,
    It,
    Vendor,
    /// Nobody: it passes (maintenance).
    Wait,
}

/// One question of the assistant tree.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Spanned<String>,
    pub text: String,
    pub answers: Vec<Spanned<Answer>>,
}

/// An answer leads to the next question, or ends in causes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Names the answer for `tobira troubleshoot --answer QUESTION.ANSWER`;
    /// without one the answer is called by its position (`1`, `2`, …).
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    pub label: String,
    #[serde(default)]
    pub next: Option<Spanned<String>>,
    #[serde(default)]
    pub causes: Vec<Spanned<String>>,
}

/// One idea of a lexicon: the words (in the file's language) that say it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: Spanned<String>,
    /// Shown to the user as the reason a cause was picked.
    pub label: String,
    /// Japanese: a piece of text found anywhere (`落と` meets 落とした and
    /// 落として). English: whole words or phrases, `*` at the end for any
    /// ending (`reissu*`).
    pub words: Vec<Spanned<String>>,
    /// A negation right after (Japanese 〜ない) or just before (English
    /// "not", "never") turns a hit into `!id`.
    #[serde(default)]
    pub negatable: bool,
    /// The label of `!id` ("did not arrive"); default: "not" + label.
    #[serde(default)]
    pub not_label: Option<String>,
    /// Longer Japanese words that hold one of the pieces but mean something
    /// else (ブロック for ロック): a piece found inside one does not count.
    #[serde(default)]
    pub except: Vec<String>,
}

/// Everything the front matter may hold; which keys a kind accepts is
/// checked by [`FrontMatter::keys_for_kind`] so the message can name the kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: Spanned<String>,
    pub kind: Kind,
    pub title: Spanned<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Sort order among flows (smaller first).
    #[serde(default)]
    pub order: Option<Spanned<i64>>,
    #[serde(default)]
    pub audience: Option<Spanned<Vec<Audience>>>,
    /// The regions the whole guide applies to; absent: all three.
    #[serde(default)]
    pub regions: Option<Spanned<Vec<Region>>>,
    #[serde(default)]
    pub fixed_by: Option<Spanned<Vec<Fixer>>>,
    #[serde(default)]
    pub symptoms: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub error_texts: Option<Spanned<Vec<String>>>,
    /// Ideas that point to the cause: each entry names lexicon concepts
    /// that must all be present (`"phone lost"`), `!id` for a negated one.
    #[serde(default)]
    pub ideas: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub concepts: Option<Spanned<Vec<Concept>>>,
    /// Where the guide's facts come from (see [`crate::citation`]).
    #[serde(default)]
    pub sources: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub start: Option<Spanned<String>>,
    #[serde(default)]
    pub questions: Option<Spanned<Vec<Question>>>,
}

impl FrontMatter {
    /// Keys given that the kind does not use, with where they are.
    fn keys_for_other_kinds(&self) -> Vec<(&'static str, std::ops::Range<usize>)> {
        let mut stray = Vec::new();
        let mut check =
            |key: &'static str, span: Option<std::ops::Range<usize>>, allowed: &[Kind]| {
                if let Some(span) = span {
                    if !allowed.contains(&self.kind) {
                        stray.push((key, span));
                    }
                }
            };
        use Kind::*;
        check("order", self.order.as_ref().map(Spanned::span), &[Flow]);
        check(
            "audience",
            self.audience.as_ref().map(Spanned::span),
            &[Flow],
        );
        check(
            "fixed_by",
            self.fixed_by.as_ref().map(Spanned::span),
            &[Cause],
        );
        check(
            "symptoms",
            self.symptoms.as_ref().map(Spanned::span),
            &[Cause],
        );
        let error_texts = self.error_texts.as_ref().map(Spanned::span);
        check("error_texts", error_texts, &[Cause]);
        check("ideas", self.ideas.as_ref().map(Spanned::span), &[Cause]);
        let sources = self.sources.as_ref().map(Spanned::span);
        check("sources", sources, &[Flow, Cause]);
        let concepts = self.concepts.as_ref().map(Spanned::span);
        check("concepts", concepts, &[Lexicon]);
        check(
            "start",
            self.start.as_ref().map(Spanned::span),
            &[Assistant],
        );
        let questions = self.questions.as_ref().map(Spanned::span);
        check("questions", questions, &[Assistant]);
        stray
    }
}

/// A guide file cut into its front matter and its Markdown body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Finds the `+++` fences. The file must start with one.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let rest = &text[text_start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "+++" {
        return Err((
            text_start,
            "a guide must start with a line '+++', then its TOML front matter, then '+++'".into(),
        ));
    }
    let front_offset = text_start + first_line_end;
    let mut offset = front_offset;
    for line in text[front_offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = offset + line.len();
            return Ok(Split {
                front: &text[front_offset..offset],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err((
        text_start,
        "the front matter is not closed: add a line '+++' after it".into(),
    ))
}

/// Parses and checks the front matter of one file.
pub fn parse<'a>(path: &str, text: &'a str) -> Result<(FrontMatter, Split<'a>), Problem> {
    let at = |offset: usize| line_column(text, offset);
    let split = split(text).map_err(|(offset, message)| Problem::new(path, at(offset), message))?;
    let front: FrontMatter = toml::from_str(split.front).map_err(|error| {
        let offset = split.front_offset + error.span().map_or(0, |span| span.start);
        Problem::new(path, at(offset), front_matter_message(&error))
    })?;
    if let Some((key, span)) = front.keys_for_other_kinds().into_iter().next() {
        return Err(Problem::new(
            path,
            at(split.front_offset + span.start),
            format!(
                "'{key}' does not belong in a {} guide; remove it",
                front.kind.as_str()
            ),
        ));
    }
    let id = front.id.get_ref();
    if !is_valid_id(id) {
        return Err(Problem::new(
            path,
            at(split.front_offset + front.id.span().start),
            format!("id '{id}' must be lowercase letters, digits and '-', like 'guest-space-join'"),
        ));
    }
    if front.title.get_ref().trim().is_empty() {
        return Err(Problem::new(
            path,
            at(split.front_offset + front.title.span().start),
            "the title is empty",
        ));
    }
    Ok((front, split))
}

/// TOML's message without its own excerpt of the file (we print the place).
fn front_matter_message(error: &toml::de::Error) -> String {
    let message = error.message().trim_end_matches('\n');
    format!("front matter: {message}")
}

/// Guide, step and question ids: `a-z`, `0-9` and inner `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        parse("g.md", text).unwrap_err().to_string()
    }

    #[test]
    fn reads_a_flow() {
        let text = "+++\nid = \"first-login\"\nkind = \"flow\"\ntitle = \"First\"\norder = 2\naudience = [\"employee\"]\n+++\n## A\n";
        let (front, split) = parse("g.md", text).unwrap();
        assert_eq!(front.id.get_ref(), "first-login");
        assert_eq!(front.kind, Kind::Flow);
        assert_eq!(split.body, "## A\n");
        assert_eq!(&text[split.body_offset..], "## A\n");
    }

    #[test]
    fn places_each_mistake() {
        assert_eq!(
            problem("# no front matter\n"),
            "g.md:1:1: a guide must start with a line '+++', then its TOML front matter, then '+++'"
        );
        assert_eq!(
            problem("+++\nid = \"a\"\n"),
            "g.md:1:1: the front matter is not closed: add a line '+++' after it"
        );
        let unknown = problem("+++\nid = \"a\"\nkind = \"flow\"\ntitle = \"T\"\ncolour = 1\n+++\n");
        assert!(
            unknown.starts_with("g.md:5:1: front matter: unknown field `colour`"),
            "{unknown}"
        );
        let wrong_type = problem("+++\nid = \"a\"\nkind = \"flow\"\ntitle = 3\n+++\n");
        assert!(
            wrong_type.starts_with("g.md:4:9: front matter: invalid type"),
            "{wrong_type}"
        );
        let bad_kind = problem("+++\nid = \"a\"\nkind = \"flwo\"\ntitle = \"T\"\n+++\n");
        assert!(
            bad_kind.starts_with("g.md:3:8: front matter: unknown variant `flwo`"),
            "{bad_kind}"
        );
        assert_eq!(
            problem("+++\nid = \"a\"\nkind = \"cause\"\ntitle = \"T\"\norder = 1\n+++\n"),
            "g.md:5:9: 'order' does not belong in a cause guide; remove it"
        );
        assert_eq!(
            problem("+++\nid = \"Guest Join\"\nkind = \"flow\"\ntitle = \"T\"\n+++\n"),
            "g.md:2:6: id 'Guest Join' must be lowercase letters, digits and '-', like 'guest-space-join'"
        );
        let missing = problem("+++\nkind = \"flow\"\ntitle = \"T\"\n+++\n");
        assert!(missing.contains("missing field `id`"), "{missing}");
    }

    #[test]
    fn accepts_a_byte_order_mark() {
        let text = "\u{feff}+++\nid = \"a\"\nkind = \"cause\"\ntitle = \"T\"\n+++\nbody";
        assert_eq!(parse("g.md", text).unwrap().1.body, "body");
    }
}
