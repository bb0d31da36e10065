//! What the window shows of the guides: the list of walkthroughs with
//! progress, one walkthrough with its steps rendered for the user's region
//! and site, and one cause. Built here so the window only displays it.

use serde::Serialize;
use tobira_core::page::PageKind;
use tobira_core::progress::Progress;
use tobira_core::{Audience, Language, Region};

use crate::body::{self, parse_step_data, Body, DoneWhen, StepData};
use crate::front_matter::{Fixer, Kind};
use crate::guide::Guide;
use crate::library::Library;
use crate::render::{render, RenderContext};

/// One walkthrough on the home screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlowSummary {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    /// The language the guide is written in (the other one when the user's
    /// language has no version).
    pub language: Language,
    pub steps: usize,
    pub done: usize,
    /// Meant for the user's role.
    pub for_you: bool,
}

/// The link from a step to a cause that may be behind the trouble.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CauseLink {
    pub id: String,
    /// `None` when no cause guide is installed for it.
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub html: String,
    /// The page to open, already resolved on the user's site and allowed.
    pub open_url: Option<String>,
    pub expect: Option<String>,
    pub stuck: Vec<CauseLink>,
    pub done: bool,
    /// Steps with the same choice are alternatives: one of them is enough.
    pub choice: Option<String>,
    /// Done, or another alternative of its choice is.
    pub settled: bool,
    /// Tobira completes the step when the browser shows a page that proves
    /// it (and the user did not undo that before).
    pub watched: bool,
    /// The page that completed it, when the browser did (the user may undo).
    pub seen: Option<PageKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlowView {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub language: Language,
    pub intro_html: String,
    pub steps: Vec<StepView>,
    pub current: Option<String>,
    /// Steps to do, counting a choice of alternatives once; `done` of them.
    pub total: usize,
    pub done: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CauseView {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub language: Language,
    pub html: String,
    /// Who can fix it: user, admin, it, vendor, wait.
    pub fixed_by: Vec<Fixer>,
    /// The regions the cause exists in when the user's is not one of them
    /// (reached by a link): the window says so. Empty otherwise.
    pub only_in: Vec<Region>,
}

/// The assistant's question tree in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssistantView {
    pub title: String,
    pub language: Language,
    pub intro_html: String,
    pub start: String,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub answers: Vec<AnswerView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnswerView {
    pub label: String,
    pub next: Option<String>,
    pub causes: Vec<String>,
}

/// Each step's data (a bad data block, which lint reports, counts as none).
fn step_data(guide: &Guide, body: &Body) -> Vec<StepData> {
    body.steps
        .iter()
        .map(|step| {
            step.data_block
                .as_ref()
                .and_then(|block| parse_step_data(&guide.path, block).ok())
                .map(|(data, _)| data)
                .unwrap_or_default()
        })
        .collect()
}

/// A step and the page that proves it, without rendering the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRule {
    pub id: String,
    pub title: String,
    pub done_when: Option<DoneWhen>,
}

/// Each step's rule, in order; with `region` None, the steps of every region.
pub fn step_rules(guide: &Guide, region: Option<Region>) -> Vec<StepRule> {
    let body = match region {
        Some(region) => guide.body_for(region),
        None => body::structure(&guide.path, &guide.body, guide.body_line, true, None, None),
    };
    let data = step_data(guide, &body);
    body.steps
        .into_iter()
        .zip(data)
        .map(|(step, data)| StepRule {
            id: step.id,
            title: step.title,
            done_when: data.done_when,
        })
        .collect()
}

/// Each step's id and choice, in order.
fn step_choices(body: &Body, data: &[StepData]) -> Vec<(String, Option<String>)> {
    body.steps
        .iter()
        .zip(data)
        .map(|(step, data)| (step.id.clone(), data.choice.clone()))
        .collect()
}

/// A flow's steps as the user has to do them: alternatives (neighbours with
/// the same choice) count once, and one done settles them all.
struct Units {
    total: usize,
    done: usize,
    /// Steps done, or settled by an alternative.
    settled: Vec<String>,
    /// Steps in order, with whether each is settled.
    order: Vec<(String, bool)>,
    /// Alternatives the user did not take.
    passed_over: Vec<String>,
}

impl Units {
    fn of(steps: &[(String, Option<String>)], progress: &Progress, flow: &str) -> Units {
        let ids: Vec<&str> = steps.iter().map(|(id, _)| id.as_str()).collect();
        let done = progress.done_steps(flow, &ids);
        let mut groups: Vec<Vec<&str>> = Vec::new();
        let mut last_choice: Option<&str> = None;
        for (id, choice) in steps {
            match groups.last_mut() {
                Some(group) if choice.is_some() && choice.as_deref() == last_choice => {
                    group.push(id)
                }
                _ => groups.push(vec![id]),
            }
            last_choice = choice.as_deref();
        }
        let settled: Vec<String> = groups
            .iter()
            .filter(|g| g.iter().any(|id| done.contains(id)))
            .flatten()
            .map(|id| (*id).to_owned())
            .collect();
        Units {
            total: groups.len(),
            done: groups
                .iter()
                .filter(|g| g.iter().any(|id| done.contains(id)))
                .count(),
            order: ids
                .iter()
                .map(|id| ((*id).to_owned(), settled.iter().any(|s| s == id)))
                .collect(),
            passed_over: settled
                .iter()
                .filter(|id| !done.contains(&id.as_str()))
                .cloned()
                .collect(),
            settled,
        }
    }

    /// The step to show: the saved one, unless it is an alternative the
    /// user did not take (then the next step to do).
    fn current(&self, saved: Option<&str>) -> Option<String> {
        let skipped = |id: &str| self.passed_over.iter().any(|s| s == id);
        match saved {
            Some(id) if !skipped(id) => Some(id.to_owned()),
            Some(id) => {
                let after = self.order.iter().position(|(s, _)| s == id).unwrap_or(0);
                self.order[after..]
                    .iter()
                    .find(|(_, settled)| !settled)
                    .or(self.order.last())
                    .map(|(s, _)| s.clone())
            }
            None => None,
        }
    }
}

/// Where and for whom the guides are shown.
pub struct Viewer<'a> {
    pub language: Language,
    pub region: Region,
    pub role: Option<Audience>,
    /// Flow ids the organisation hides.
    pub hidden_flows: &'a [String],
    pub render: RenderContext<'a>,
}

impl Viewer<'_> {
    fn shows(&self, guide: &Guide) -> bool {
        guide.applies_to(self.region) && !self.hidden_flows.iter().any(|h| h == guide.id())
    }

    fn step_ids(&self, guide: &Guide) -> Vec<String> {
        guide
            .body_for(self.region)
            .steps
            .into_iter()
            .map(|s| s.id)
            .collect()
    }

    /// The walkthroughs for this user: theirs first, each group in order.
    pub fn flows(&self, library: &Library, progress: &Progress) -> Vec<FlowSummary> {
        let mut flows: Vec<FlowSummary> = library
            .list(self.language, Kind::Flow)
            .into_iter()
            .filter(|g| self.shows(g))
            .map(|guide| {
                let body = guide.body_for(self.region);
                let choices = step_choices(&body, &step_data(guide, &body));
                let units = Units::of(&choices, progress, guide.id());
                FlowSummary {
                    id: guide.id().to_owned(),
                    title: guide.title().to_owned(),
                    summary: guide.summary().map(str::to_owned),
                    language: guide.language,
                    steps: units.total,
                    done: units.done,
                    for_you: self.role.is_some_and(|r| guide.audience().contains(&r)),
                }
            })
            .collect();
        // Stable: within each group the guides keep their order.
        flows.sort_by_key(|f| !f.for_you);
        flows
    }

    /// The step ids of a flow the user may see, in order.
    pub fn flow_steps(&self, library: &Library, id: &str) -> Option<Vec<String>> {
        let (guide, _) = library.guide(self.language, id)?;
        (guide.kind() == Kind::Flow && self.shows(guide)).then(|| self.step_ids(guide))
    }

    /// The steps of a flow the user may see, each with its `done_when`.
    pub fn flow_rules(&self, library: &Library, id: &str) -> Option<Vec<StepRule>> {
        let (guide, _) = library.guide(self.language, id)?;
        (guide.kind() == Kind::Flow && self.shows(guide))
            .then(|| step_rules(guide, Some(self.region)))
    }

    pub fn flow(&self, library: &Library, id: &str, progress: &Progress) -> Option<FlowView> {
        let (guide, language) = library.guide(self.language, id)?;
        if guide.kind() != Kind::Flow || !self.shows(guide) {
            return None;
        }
        let body = guide.body_for(self.region);
        let data = step_data(guide, &body);
        let units = Units::of(&step_choices(&body, &data), progress, id);
        let ids: Vec<&str> = body.steps.iter().map(|s| s.id.as_str()).collect();
        let done = progress.done_steps(id, &ids);
        let current = units.current(progress.current_step(id, &ids));
        let steps = body
            .steps
            .iter()
            .zip(data)
            .map(|(step, data)| {
                StepView {
                    id: step.id.clone(),
                    title: step.title.clone(),
                    html: render(&step.markdown, &self.render),
                    open_url: data.open.as_deref().and_then(|o| self.resolve(o)),
                    expect: data.expect,
                    // A cause of another region is not offered (a cause
                    // without a guide still is: its id says something).
                    stuck: data
                        .stuck
                        .iter()
                        .filter(|id| self.cause_applies(library, id))
                        .map(|id| CauseLink {
                            id: id.clone(),
                            title: library
                                .guide(self.language, id)
                                .map(|(g, _)| g.title().to_owned()),
                        })
                        .collect(),
                    done: done.contains(&step.id.as_str()),
                    settled: units.settled.contains(&step.id),
                    // Not after the user undid what a page completed.
                    watched: data.done_when.is_some() && !progress.declined(id, &step.id),
                    seen: progress.seen(id, &step.id).map(|s| s.page),
                    choice: data.choice,
                }
            })
            .collect();
        Some(FlowView {
            id: id.to_owned(),
            title: guide.title().to_owned(),
            summary: guide.summary().map(str::to_owned),
            language,
            intro_html: render(&body.intro, &self.render),
            steps,
            current,
            total: units.total,
            done: units.done,
        })
    }

    pub fn cause(&self, library: &Library, id: &str) -> Option<CauseView> {
        let (guide, language) = library.guide(self.language, id)?;
        (guide.kind() == Kind::Cause).then(|| CauseView {
            id: id.to_owned(),
            title: guide.title().to_owned(),
            summary: guide.summary().map(str::to_owned),
            language,
            html: render(&guide.body_for(self.region).intro, &self.render),
            fixed_by: guide
                .front
                .fixed_by
                .as_ref()
                .map_or_else(Vec::new, |f| f.get_ref().clone()),
            only_in: match &guide.front.regions {
                Some(regions) if !guide.applies_to(self.region) => regions.get_ref().clone(),
                _ => Vec::new(),
            },
        })
    }

    /// Whether the cause `id` exists in the user's region (unknown ids do).
    fn cause_applies(&self, library: &Library, id: &str) -> bool {
        library
            .guide(self.language, id)
            .is_none_or(|(g, _)| g.applies_to(self.region))
    }

    /// The question tree (the guide with id `assistant`).
    pub fn assistant(&self, library: &Library) -> Option<AssistantView> {
        let (guide, language) = library.guide(self.language, "assistant")?;
        if guide.kind() != Kind::Assistant {
            return None;
        }
        let questions = guide
            .front
            .questions
            .as_ref()
            .map_or(&[][..], |q| q.get_ref());
        Some(AssistantView {
            title: guide.title().to_owned(),
            language,
            intro_html: render(&guide.body_for(self.region).intro, &self.render),
            start: guide
                .front
                .start
                .as_ref()
                .map(|s| s.get_ref().clone())
                .unwrap_or_default(),
            questions: questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.get_ref().clone(),
                    text: q.text.clone(),
                    answers: q
                        .answers
                        .iter()
                        .map(|a| {
                            let a = a.get_ref();
                            AnswerView {
                                label: a.label.clone(),
                                next: a.next.as_ref().map(|n| n.get_ref().clone()),
                                causes: a
                                    .causes
                                    .iter()
                                    .map(|c| c.get_ref().clone())
                                    .filter(|c| self.cause_applies(library, c))
                                    .collect(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    /// A step's `open`: a path of the user's site, or an allowed page.
    fn resolve(&self, open: &str) -> Option<String> {
        if open.starts_with('/') {
            self.render.page_url(&format!("site:{open}"))
        } else {
            self.render.page_url(open)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Location, Source};
    use tobira_core::{OpenScope, SiteAddress};

    const FLOW_EN: &str = "+++\nid = \"join\"\nkind = \"flow\"\ntitle = \"Join\"\naudience = [\"guest\"]\norder = 2\n+++\nIntro.\n## Mail {#mail}\n```step\nopen = \"/k/\"\nexpect = \"A mail\"\nstuck = [\"wrong-url\", \"caps-lock\"]\n```\n{{% region us %}}\nUS text.\n{{% /region %}}\n## Code {#code}\n[why](cause:wrong-url)\n";
    const OTHER_EN: &str = "+++\nid = \"first\"\nkind = \"flow\"\ntitle = \"First\"\naudience = [\"employee\"]\norder = 1\n+++\n## One {#one}\n";
    const CAUSE_EN: &str = "+++\nid = \"wrong-url\"\nkind = \"cause\"\ntitle = \"Wrong address\"\n+++\nCheck the **address**.\n";

    fn library() -> Library {
        Library::load(vec![Source {
            label: "bundled".into(),
            required: false,
            location: Location::Embedded(vec![
                ("en/join.md".into(), FLOW_EN),
                ("en/first.md".into(), OTHER_EN),
                ("en/wrong-url.md".into(), CAUSE_EN),
            ]),
        }])
    }

    fn with_viewer<T>(
        role: Option<Audience>,
        hidden: &[String],
        f: impl FnOnce(&Viewer<'_>) -> T,
    ) -> T {
        let site = SiteAddress::parse("example", Region::Jp).unwrap();
        let scope = OpenScope::new(Some(&site));
        let viewer = Viewer {
            language: Language::Ja,
            region: Region::Jp,
            role,
            hidden_flows: hidden,
            render: RenderContext {
                site: Some(&site),
                scope: &scope,
            },
        };
        f(&viewer)
    }

    #[test]
    fn one_alternative_done_settles_its_choice() {
        const CHOICE: &str = "+++\nid = \"guest\"\nkind = \"flow\"\ntitle = \"Guest\"\n+++\n## Open {#open}\n## With your account {#mine}\n```step\nchoice = \"join\"\n```\n## Register {#register}\n```step\nchoice = \"join\"\n```\n## Code {#code}\n";
        let library = Library::load(vec![Source {
            label: "bundled".into(),
            required: false,
            location: Location::Embedded(vec![("en/guest.md".into(), CHOICE)]),
        }]);
        let steps = ["open", "mine", "register", "code"];
        let mut progress = Progress::default();
        progress.set_done("guest", "open", true, &steps);
        progress.set_done("guest", "register", true, &steps);
        // The user had looked at the alternative they did not take.
        progress.set_current("guest", "mine");
        let flow = with_viewer(None, &[], |v| v.flow(&library, "guest", &progress)).unwrap();
        assert_eq!((flow.done, flow.total), (2, 3), "a choice counts once");
        let settled: Vec<bool> = flow.steps.iter().map(|s| s.settled).collect();
        assert_eq!(settled, [true, true, true, false]);
        assert!(!flow.steps[1].done, "the other way is not marked done");
        assert_eq!(flow.steps[1].choice.as_deref(), Some("join"));
        assert_eq!(
            flow.current.as_deref(),
            Some("code"),
            "on to the next step to do"
        );
        let listed = with_viewer(None, &[], |v| v.flows(&library, &progress));
        assert_eq!((listed[0].done, listed[0].steps), (2, 3));
        progress.set_done("guest", "code", true, &steps);
        let flow = with_viewer(None, &[], |v| v.flow(&library, "guest", &progress)).unwrap();
        assert_eq!(flow.done, flow.total, "finished without the other way");
    }

    #[test]
    fn a_cause_of_another_region_is_not_offered_and_says_so_when_linked() {
        const US_CAUSE: &str = "+++\nid = \"caps-lock\"\nkind = \"cause\"\ntitle = \"US only\"\nregions = [\"us\"]\n+++\nText.\n";
        const TREE: &str = "+++\nid = \"assistant\"\nkind = \"assistant\"\ntitle = \"Q\"\nstart = \"q\"\n[[questions]]\nid = \"q\"\ntext = \"?\"\nanswers = [{ label = \"a\", causes = [\"caps-lock\", \"wrong-url\"] }]\n+++\n";
        let library = Library::load(vec![Source {
            label: "bundled".into(),
            required: false,
            location: Location::Embedded(vec![
                ("en/join.md".into(), FLOW_EN),
                ("en/wrong-url.md".into(), CAUSE_EN),
                ("en/caps-lock.md".into(), US_CAUSE),
                ("en/assistant.md".into(), TREE),
            ]),
        }]);
        let progress = Progress::default();
        let flow = with_viewer(None, &[], |v| v.flow(&library, "join", &progress)).unwrap();
        let stuck: Vec<&str> = flow.steps[0].stuck.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            stuck,
            ["wrong-url"],
            "a US-only cause is not offered in Japan"
        );
        let tree = with_viewer(None, &[], |v| v.assistant(&library)).unwrap();
        assert_eq!(tree.questions[0].answers[0].causes, ["wrong-url"]);
        let linked = with_viewer(None, &[], |v| v.cause(&library, "caps-lock")).unwrap();
        assert_eq!(linked.only_in, [Region::Us]);
        let own = with_viewer(None, &[], |v| v.cause(&library, "wrong-url")).unwrap();
        assert!(own.only_in.is_empty());
    }

    #[test]
    fn lists_the_users_flows_first_and_hides_what_the_policy_hides() {
        let library = library();
        let mut progress = Progress::default();
        progress.set_done("join", "mail", true, &["mail", "code"]);
        let ids = |role, hidden: &[String]| {
            with_viewer(role, hidden, |v| {
                v.flows(&library, &progress)
                    .into_iter()
                    .map(|f| (f.id, f.done, f.for_you))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            ids(None, &[]),
            [("first".into(), 0, false), ("join".into(), 1, false)]
        );
        assert_eq!(
            ids(Some(Audience::Guest), &[]),
            [("join".into(), 1, true), ("first".into(), 0, false)]
        );
        assert_eq!(
            ids(Some(Audience::Guest), &["join".into()]),
            [("first".into(), 0, false)]
        );
    }

    #[test]
    fn a_flow_is_rendered_for_the_users_region_and_site() {
        let library = library();
        let mut progress = Progress::default();
        progress.set_done("join", "mail", true, &["mail", "code"]);
        let flow = with_viewer(None, &[], |v| v.flow(&library, "join", &progress)).unwrap();
        // Asked in Japanese, found only in English.
        assert_eq!(flow.language, Language::En);
        assert_eq!(flow.current.as_deref(), Some("code"));
        let mail = &flow.steps[0];
        assert!(mail.done);
        assert_eq!(
            mail.open_url.as_deref(),
            Some("https://example.cybozu.com/k/")
        );
        assert_eq!(mail.expect.as_deref(), Some("A mail"));
        assert_eq!(
            mail.stuck,
            [
                CauseLink {
                    id: "wrong-url".into(),
                    title: Some("Wrong address".into())
                },
                CauseLink {
                    id: "caps-lock".into(),
                    title: None
                }
            ]
        );
        assert_eq!(mail.html, "", "the US passage is not shown in Japan");
        assert_eq!(
            flow.steps[1].html,
            "<p><a href=\"#cause/wrong-url\" rel=\"noopener noreferrer\">why</a></p>\n"
        );
        let cause = with_viewer(None, &[], |v| v.cause(&library, "wrong-url")).unwrap();
        assert_eq!(cause.html, "<p>Check the <strong>address</strong>.</p>\n");
        assert!(cause.fixed_by.is_empty());
        assert!(with_viewer(None, &[], |v| v.cause(&library, "join")).is_none());
        assert!(with_viewer(None, &["join".into()], |v| v
            .flow(&library, "join", &progress))
        .is_none());
    }
}
