//! The Markdown body of a guide: region markers, and for flows the steps
//! (`## Title {#step-id}`) with their optional ```` ```step ```` data block.
//!
//! Region markers work like Hugo's `enabled` shortcode in the vendor's help
//! source, on lines of their own:
//!
//! ```text
//! {{% region us %}}
//! Only users of the US region see this.
//! {{% /region %}}
//! ```

use serde::{Deserialize, Serialize};
use tobira_core::page::PageKind;
use tobira_core::Region;
use toml::Spanned;

use crate::problem::Problem;

/// Inline in a body: the service domain of the reader's region
/// (`cybozu.com`, `kintone.com`, `cybozu.cn`), so an address is never
/// hard-coded for one region.
pub const DOMAIN_SHORTCODE: &str = "{{% domain %}}";

/// What a step's data block may say.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDataSource {
    /// A page of the user's own site (`/k/`) or a vendor page to open.
    #[serde(default)]
    pub open: Option<Spanned<String>>,
    /// What the user sees when the step worked.
    #[serde(default)]
    pub expect: Option<String>,
    /// Causes to look at when the step does not work.
    #[serde(default)]
    pub stuck: Vec<Spanned<String>>,
    /// Where this step's facts come from, when not from the guide's sources.
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    /// Neighbouring steps with the same `choice` are alternatives: doing
    /// one completes them all ("join with your account" / "register").
    #[serde(default)]
    pub choice: Option<Spanned<String>>,
    /// The page that proves the step done, seen by the browser companion.
    #[serde(default)]
    pub done_when: Option<Spanned<DoneWhen>>,
}

/// A page of the flow's site that proves a step done: a kind of page or a
/// path pattern (`*` is one segment), and optionally a text on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoneWhen {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Any one of these on the page (compared case- and width-blind).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<String>,
    /// Earlier steps this one proves too (signing in proves the address).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// Most texts a `done_when` may list, and their longest length in chars.
const MAX_DONE_TEXTS: usize = 10;
const MAX_DONE_TEXT_CHARS: usize = 100;

/// As a guide writes it, for messages: `page = "portal", also = ["address"]`.
impl std::fmt::Display for DoneWhen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(page) = self.page {
            parts.push(format!("page = \"{page}\""));
        }
        if let Some(path) = &self.path {
            parts.push(format!("path = {path:?}"));
        }
        for (name, list) in [("text", &self.text), ("also", &self.also)] {
            if !list.is_empty() {
                parts.push(format!("{name} = {list:?}"));
            }
        }
        f.write_str(&parts.join(", "))
    }
}

impl DoneWhen {
    /// What is wrong with the rule on its own (the steps it names are
    /// checked by the lint, which sees the whole flow).
    fn problem(&self) -> Option<String> {
        match (&self.page, &self.path) {
            (Some(_), Some(_)) | (None, None) => {
                let kinds: Vec<&str> = PageKind::ALL.iter().map(|k| k.as_str()).collect();
                return Some(format!(
                    "done_when needs exactly one of page (one of {}) or path (such as \"/k/guest/*/\")",
                    kinds.join(", ")
                ));
            }
            (None, Some(path))
                if !path.starts_with('/') || path.contains(['?', ' ']) || path.contains("**") =>
            {
                return Some(format!("done_when.path = '{path}': give a path of the site starting with '/', without a query; '*' stands for one segment"));
            }
            _ => {}
        }
        if self.text.len() > MAX_DONE_TEXTS
            || self
                .text
                .iter()
                .any(|t| t.trim().is_empty() || t.chars().count() > MAX_DONE_TEXT_CHARS)
        {
            return Some(format!("done_when.text: give 1 to {MAX_DONE_TEXTS} texts of at most {MAX_DONE_TEXT_CHARS} characters, each as the page shows it"));
        }
        None
    }
}

/// A step's data, checked and without positions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StepData {
    pub open: Option<String>,
    pub expect: Option<String>,
    pub stuck: Vec<String>,
    pub choice: Option<String>,
    pub done_when: Option<DoneWhen>,
}

/// One step of a flow before rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub markdown: String,
    /// The data block's TOML and the file line of its first line.
    pub data_block: Option<(String, usize)>,
    /// File line of the heading.
    pub line: usize,
}

/// A body cut into its parts for one region (or for all, when linting).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub intro: String,
    pub steps: Vec<Step>,
}

enum Marker<'a> {
    Open(Vec<&'a str>),
    Close,
    Unknown,
}

fn marker(line: &str) -> Option<Marker<'_>> {
    let inner = line.trim().strip_prefix("{{%")?.strip_suffix("%}}")?.trim();
    let mut words = inner.split_whitespace();
    Some(match words.next() {
        Some("region") => Marker::Open(words.collect()),
        Some("/region") if words.next().is_none() => Marker::Close,
        _ => Marker::Unknown,
    })
}

fn region_named(name: &str) -> Option<Region> {
    Region::ALL.into_iter().find(|r| r.as_str() == name)
}

/// Cuts a body into intro and steps. With `region`, passages marked for
/// other regions are left out; with `None` everything is kept (lint).
/// `first_line` is the file line the body starts on; problems are reported
/// when `problems` is given.
pub fn structure(
    path: &str,
    body: &str,
    first_line: usize,
    split_steps: bool,
    region: Option<Region>,
    mut problems: Option<&mut Vec<Problem>>,
) -> Body {
    let mut report = |line: usize, column: usize, message: String| {
        if let Some(problems) = problems.as_deref_mut() {
            problems.push(Problem::new(path, (line, column), message));
        }
    };
    let mut out = Body::default();
    let mut fence: Option<&str> = None;
    let mut open_region: Option<(usize, bool)> = None; // (line, shown)
    let mut data_block: Option<(String, usize)> = None;
    for (index, line) in body.lines().enumerate() {
        let line_no = first_line + index;
        if let Some((text, _)) = data_block.as_mut() {
            if line.trim() == "```" {
                let (text, start) = data_block.take().unwrap_or_default();
                if matches!(open_region, Some((_, false))) {
                    // A block for another region.
                    continue;
                }
                match out.steps.last_mut() {
                    Some(step) if step.data_block.is_none() => {
                        step.data_block = Some((text, start))
                    }
                    Some(_) => report(start - 1, 1, "a step has only one ```step block".into()),
                    None => report(
                        start - 1,
                        1,
                        "a ```step block belongs inside a '## ' step".into(),
                    ),
                }
            } else {
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        if let Some(open) = fence {
            if line.trim_start().starts_with(open) {
                fence = None;
            }
        } else if let Some(m) = marker(line) {
            match m {
                Marker::Open(names) => {
                    if let Some((opened, _)) = open_region {
                        report(line_no, 1, format!("region markers cannot nest: close the one opened on line {opened} with {{{{% /region %}}}} first"));
                    }
                    let mut regions = Vec::new();
                    for name in &names {
                        match region_named(name) {
                            Some(r) => regions.push(r),
                            None => report(line_no, 1, format!("unknown region '{name}' in a region marker; use jp, us or cn")),
                        }
                    }
                    if names.is_empty() {
                        report(line_no, 1, "a region marker names its regions: {{% region jp cn %}}".into());
                    }
                    let shown = region.is_none_or(|r| regions.contains(&r));
                    open_region = Some((line_no, shown));
                }
                Marker::Close => {
                    if open_region.take().is_none() {
                        report(line_no, 1, "{{% /region %}} without an opening {{% region … %}}".into());
                    }
                }
                Marker::Unknown => report(
                    line_no,
                    1,
                    "unknown marker; region markers look like {{% region jp us %}} … {{% /region %}}".into(),
                ),
            }
            continue;
        } else if line.trim() == "```step" {
            if !split_steps {
                report(line_no, 1, "a ```step block belongs only in a flow".into());
            }
            data_block = Some((String::new(), line_no + 1));
            continue;
        } else if let Some(open) = ["```", "~~~"]
            .into_iter()
            .find(|f| line.trim_start().starts_with(f))
        {
            fence = Some(open);
        }
        if matches!(open_region, Some((_, false))) {
            continue;
        }
        if split_steps && fence.is_none() {
            if let Some(heading) = line.strip_prefix("##").filter(|h| !h.starts_with('#')) {
                let (title, id) = heading_parts(heading.trim());
                if title.is_empty() {
                    report(line_no, 1, "a step needs a title after '##'".into());
                }
                let id = match id {
                    Some(id) if crate::front_matter::is_valid_id(id) => id.to_owned(),
                    Some(id) => {
                        report(
                            line_no,
                            1,
                            format!("step id '{id}' must be lowercase letters, digits and '-'"),
                        );
                        id.to_owned()
                    }
                    None => format!("step-{}", out.steps.len() + 1),
                };
                if out.steps.iter().any(|s| s.id == id) {
                    report(
                        line_no,
                        1,
                        format!("step id '{id}' is used twice in this flow"),
                    );
                }
                out.steps.push(Step {
                    id,
                    title: title.to_owned(),
                    markdown: String::new(),
                    data_block: None,
                    line: line_no,
                });
                continue;
            }
        }
        let target = match out.steps.last_mut() {
            Some(step) => &mut step.markdown,
            None => &mut out.intro,
        };
        target.push_str(line);
        target.push('\n');
    }
    if let Some((_, start)) = data_block {
        report(
            start - 1,
            1,
            "the ```step block is not closed: add a line ```".into(),
        );
    }
    if let Some((opened, _)) = open_region {
        report(
            opened,
            1,
            "this region marker is never closed: add {{% /region %}}".into(),
        );
    }
    if split_steps && out.steps.is_empty() {
        report(
            first_line,
            1,
            "a flow needs at least one step: a line starting with '## '".into(),
        );
    }
    out
}

/// `Title {#id}` → ("Title", Some("id")).
fn heading_parts(heading: &str) -> (&str, Option<&str>) {
    if let Some(rest) = heading.strip_suffix('}') {
        if let Some(open) = rest.rfind("{#") {
            return (rest[..open].trim_end(), Some(rest[open + 2..].trim()));
        }
    }
    (heading, None)
}

/// Parses a step's data block. Positions in problems are file positions.
pub fn parse_step_data(
    path: &str,
    block: &(String, usize),
) -> Result<(StepData, StepDataSource), Problem> {
    let toml_text = &block.0;
    let at = |offset: usize| step_data_position(block, offset);
    let source: StepDataSource = toml::from_str(toml_text).map_err(|error| {
        let offset = error.span().map_or(0, |s| s.start);
        Problem::new(
            path,
            at(offset),
            format!("step data: {}", error.message().trim_end()),
        )
    })?;
    if let Some(open) = &source.open {
        let target = open.get_ref();
        let site_path = target.starts_with('/') && !target.starts_with("//");
        if !site_path && !target.starts_with("https://") {
            return Err(Problem::new(
                path,
                at(open.span().start),
                format!("open = '{target}': give a path on the user's site such as \"/k/\", or an https:// address"),
            ));
        }
    }
    if let Some(done_when) = &source.done_when {
        let problem = match &source.choice {
            Some(_) => Some("a step with a choice cannot have done_when: a page cannot tell which alternative the user took".to_owned()),
            None => done_when.get_ref().problem(),
        };
        if let Some(message) = problem {
            return Err(Problem::new(path, at(done_when.span().start), message));
        }
    }
    let data = StepData {
        open: source.open.as_ref().map(|o| o.get_ref().clone()),
        expect: source.expect.clone(),
        stuck: source.stuck.iter().map(|s| s.get_ref().clone()).collect(),
        choice: source.choice.as_ref().map(|c| c.get_ref().clone()),
        done_when: source.done_when.as_ref().map(|d| d.get_ref().clone()),
    };
    Ok((data, source))
}

/// The file line and column of an offset inside a data block.
pub fn step_data_position(
    (toml_text, first_line): &(String, usize),
    offset: usize,
) -> (usize, usize) {
    let (line, column) = crate::problem::line_column(toml_text, offset);
    (first_line + line - 1, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(body: &str, split_steps: bool) -> Vec<String> {
        let mut problems = Vec::new();
        structure("f.md", body, 1, split_steps, None, Some(&mut problems));
        problems.iter().map(ToString::to_string).collect()
    }

    const FLOW: &str = "Intro.\n\n## Open the mail {#open-mail}\nText.\n```step\nopen = \"/k/\"\nexpect = \"The portal\"\nstuck = [\"wrong-url\"]\n```\n{{% region us %}}\nUS only.\n{{% /region %}}\n{{% region jp cn %}}\nJP and CN.\n{{% /region %}}\n## Second\n```sh\n## not a step\n```\n";

    #[test]
    fn splits_steps_and_keeps_only_the_users_region() {
        let body = structure("f.md", FLOW, 1, true, Some(Region::Us), None);
        assert_eq!(body.intro, "Intro.\n\n");
        assert_eq!(body.steps.len(), 2);
        let first = &body.steps[0];
        assert_eq!(
            (first.id.as_str(), first.title.as_str(), first.line),
            ("open-mail", "Open the mail", 3)
        );
        assert_eq!(first.markdown, "Text.\nUS only.\n");
        assert_eq!(body.steps[1].id, "step-2");
        assert_eq!(body.steps[1].markdown, "```sh\n## not a step\n```\n");
        let jp = structure("f.md", FLOW, 1, true, Some(Region::Jp), None);
        assert_eq!(jp.steps[0].markdown, "Text.\nJP and CN.\n");
        let (data, _) = parse_step_data("f.md", first.data_block.as_ref().unwrap()).unwrap();
        assert_eq!(
            data,
            StepData {
                open: Some("/k/".into()),
                expect: Some("The portal".into()),
                stuck: vec!["wrong-url".into()],
                choice: None,
                done_when: None,
            }
        );
        assert!(lint(FLOW, true).is_empty(), "{:?}", lint(FLOW, true));
    }

    #[test]
    fn finds_unbalanced_and_unknown_markers() {
        assert_eq!(
            lint("a\n{{% region jp %}}\nb\n", false),
            ["f.md:2:1: this region marker is never closed: add {{% /region %}}"]
        );
        assert_eq!(
            lint("{{% /region %}}\n", false),
            ["f.md:1:1: {{% /region %}} without an opening {{% region … %}}"]
        );
        assert_eq!(
            lint("{{% region jp %}}\n{{% region us %}}\n{{% /region %}}\n", false),
            ["f.md:2:1: region markers cannot nest: close the one opened on line 1 with {{% /region %}} first"]
        );
        assert_eq!(
            lint("{{% region eu %}}\n{{% /region %}}\n", false),
            ["f.md:1:1: unknown region 'eu' in a region marker; use jp, us or cn"]
        );
        assert_eq!(
            lint("{{% enabled JP %}}\n", false),
            ["f.md:1:1: unknown marker; region markers look like {{% region jp us %}} … {{% /region %}}"]
        );
    }

    #[test]
    fn finds_step_mistakes() {
        assert_eq!(
            lint("## \ntext\n## B {#b}\n## C {#b}\n", true),
            [
                "f.md:1:1: a step needs a title after '##'",
                "f.md:4:1: step id 'b' is used twice in this flow"
            ]
        );
        assert_eq!(
            lint("only intro\n", true),
            ["f.md:1:1: a flow needs at least one step: a line starting with '## '"]
        );
        assert_eq!(
            lint("```step\nopen = \"/k/\"\n```\n## A\n", true),
            ["f.md:1:1: a ```step block belongs inside a '## ' step"]
        );
        let per_region =
            "## A\n{{% region us %}}\n```step\nopen = \"/us/\"\n```\n{{% /region %}}\n";
        let us = structure("f.md", per_region, 1, true, Some(Region::Us), None);
        assert_eq!(
            us.steps[0].data_block,
            Some(("open = \"/us/\"\n".into(), 4))
        );
        let jp = structure("f.md", per_region, 1, true, Some(Region::Jp), None);
        assert_eq!(jp.steps[0].data_block, None);
        assert_eq!(
            lint("## A\n```step\n", true),
            ["f.md:2:1: the ```step block is not closed: add a line ```"]
        );
        let bad = parse_step_data("f.md", &("colour = 1\n".into(), 7))
            .unwrap_err()
            .to_string();
        assert!(
            bad.starts_with("f.md:7:1: step data: unknown field `colour`"),
            "{bad}"
        );
        let evil =
            parse_step_data("f.md", &("open = \"javascript:alert(1)\"\n".into(), 3)).unwrap_err();
        assert_eq!((evil.line, evil.column), (3, 8));
        assert!(parse_step_data("f.md", &("open = \"//evil.example/\"\n".into(), 3)).is_err());
    }

    #[test]
    fn done_when_names_one_page_or_path() {
        let parse = |toml: &str| parse_step_data("f.md", &(toml.to_owned(), 10));
        let (data, _) = parse("done_when = { page = \"portal\", also = [\"address\"] }\n").unwrap();
        assert_eq!(
            data.done_when,
            Some(DoneWhen {
                page: Some(PageKind::Portal),
                also: vec!["address".into()],
                ..DoneWhen::default()
            })
        );
        let (data, _) =
            parse("done_when = { path = \"/k/guest/*/\", text = [\"参加\"] }\n").unwrap();
        assert_eq!(data.done_when.unwrap().path.as_deref(), Some("/k/guest/*/"));
        let problem = |toml: &str| parse(toml).unwrap_err().to_string();
        assert!(
            problem("done_when = { page = \"portl\" }\n").contains("unknown variant `portl`"),
            "{}",
            problem("done_when = { page = \"portl\" }\n")
        );
        assert!(problem("done_when = { text = [\"x\"] }\n")
            .starts_with("f.md:10:13: done_when needs exactly one of page (one of login, portal,"));
        assert!(
            problem("done_when = { page = \"login\", path = \"/login\" }\n")
                .contains("exactly one")
        );
        assert!(problem("done_when = { path = \"k/\" }\n").contains("starting with '/'"));
        assert!(problem("done_when = { path = \"/k/?a=1\" }\n").contains("without a query"));
        assert!(
            problem("done_when = { page = \"login\", text = [\" \"] }\n").contains("1 to 10 texts")
        );
        assert!(problem("done_when = { page = \"login\", colour = 1 }\n")
            .contains("unknown field `colour`"));
        assert!(
            problem("choice = \"how\"\ndone_when = { page = \"login\" }\n")
                .contains("cannot have done_when")
        );
    }
}
