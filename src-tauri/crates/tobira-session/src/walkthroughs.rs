//! The walkthroughs behind the window: the guide library (re-read when its
//! files change), the user's progress and the overlay panel's remembered
//! state. Decisions are made in `tobira-guides` and `tobira-core`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde::{Deserialize, Serialize};
use tobira_core::page::PageKind;
use tobira_core::progress::{Overlay, Progress, ProgressStore, Seen};
use tobira_core::{Audience, Language, Profile, Recovery, Region, SiteAddress};
use tobira_guides::matcher::{Matcher, Outcome};
use tobira_guides::pages::{CauseSeen, SeenPage};
use tobira_guides::triage::UnknownAnswer;
use tobira_guides::view::{AssistantView, CauseView, FlowSummary, FlowView, Viewer};
use tobira_guides::{Kind, Library, RenderContext, Source};

use crate::error::Error;
use crate::guides;

/// What the home screen lists.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlowList {
    pub flows: Vec<FlowSummary>,
    /// Guide files that could not be loaded (`path:line:col: message`).
    pub problems: Vec<String>,
}

/// One installed guide, for `tobira guides list`.
#[derive(Debug, Serialize)]
pub struct GuideEntry {
    pub id: String,
    pub title: String,
    /// bundled, organisation or user
    pub source: String,
    pub path: String,
}

#[derive(Debug, Serialize, Default)]
pub struct GuidesOfLanguage {
    pub flows: Vec<GuideEntry>,
    pub causes: Vec<GuideEntry>,
    pub assistant: Vec<GuideEntry>,
}

#[derive(Debug, Serialize)]
pub struct GuideList {
    pub ja: GuidesOfLanguage,
    pub en: GuidesOfLanguage,
    /// Files that could not be loaded (run `tobira guides lint`).
    pub problems: Vec<String>,
}

/// A change to one flow's progress.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum ProgressChange {
    Done { step: String, done: bool },
    Current { step: String },
    Reset,
}

/// One step the browser completed: a page proved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Completed {
    pub flow: String,
    pub step: String,
    pub title: String,
    pub page: PageKind,
}

/// A walkthrough with each step and whether it is done, for `tobira flows`.
#[derive(Debug, Serialize)]
pub struct FlowSteps {
    pub id: String,
    pub title: String,
    pub steps: Vec<StepState>,
}

#[derive(Debug, Serialize)]
pub struct StepState {
    pub id: String,
    pub title: String,
    pub done: bool,
    /// Done because the browser showed a page that proves it.
    pub seen: bool,
}

pub struct Walkthroughs {
    /// Loaded when first needed (a CLI verb that shows no guide never reads
    /// them), or ahead on a thread of its own ([`Walkthroughs::preload`]).
    library: Arc<OnceLock<Mutex<Library>>>,
    sources: Vec<Source>,
    /// Built from the library when first needed, dropped when guides change.
    derived: Mutex<Derived>,
    progress: Mutex<Progress>,
    /// None when there is no config folder: progress then lasts until exit.
    store: Option<ProgressStore>,
    /// Each damaged progress file found (at start, on a re-read or a
    /// save), moved aside.
    recoveries: Mutex<Vec<Recovery>>,
}

/// The steps a page proves in one walkthrough.
struct Proof {
    flow: String,
    /// Every step of the walkthrough, in order.
    order: Vec<String>,
    /// The proved steps with their titles, earlier ones first.
    steps: Vec<(String, String)>,
}

#[derive(Default)]
struct Derived {
    matcher: Option<Matcher>,
    /// Sorted, for the companion's every page report.
    known_texts: Option<Vec<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every change is one assignment, so a poisoned lock still holds a whole value.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Walkthroughs {
    pub fn load(sources: Vec<Source>, store: Option<ProgressStore>) -> Walkthroughs {
        let (progress, recovery) = match store.as_ref().map(ProgressStore::load) {
            Some(Ok(loaded)) => loaded,
            // Unreadable: start empty; saving will say why it fails.
            Some(Err(_)) | None => (Progress::default(), None),
        };
        Walkthroughs {
            library: Arc::new(OnceLock::new()),
            sources,
            derived: Mutex::default(),
            progress: Mutex::new(progress),
            store,
            recoveries: Mutex::new(recovery.into_iter().collect()),
        }
    }

    fn with_viewer<T>(
        &self,
        profile: &Profile,
        language: Language,
        f: impl FnOnce(&Viewer<'_>, &Library, &Progress) -> T,
    ) -> T {
        self.with_viewer_on(profile, profile.sites().first().copied(), language, f)
    }

    /// [`Self::with_viewer`] with the pages of `site` (one of the user's).
    fn with_viewer_on<T>(
        &self,
        profile: &Profile,
        site: Option<&SiteAddress>,
        language: Language,
        f: impl FnOnce(&Viewer<'_>, &Library, &Progress) -> T,
    ) -> T {
        let scope = profile.scope();
        let viewer = Viewer {
            language,
            region: site.map_or_else(|| guides::region(profile), SiteAddress::region),
            role: profile.settings().role,
            hidden_flows: &profile.effective().hidden_flows.value,
            render: RenderContext {
                site,
                scope: &scope,
            },
        };
        let library = self.library();
        let progress = lock(&self.progress);
        f(&viewer, &library, &progress)
    }

    /// The site a walkthrough's pages are on: a guest's walkthrough happens
    /// on the inviting company's site (the one added last), others on the
    /// user's own.
    fn site_of_flow<'p>(&self, profile: &'p Profile, id: &str) -> Option<&'p SiteAddress> {
        let for_guests = self
            .library()
            .guide(Language::En, id)
            .is_some_and(|(guide, _)| guide.audience() == [Audience::Guest]);
        match profile.guest_sites().last() {
            Some(guest) if for_guests => Some(&guest.host),
            _ => profile.sites().first().copied(),
        }
    }

    /// Reads the guides on a thread of its own, so that the window does
    /// not wait for them (whoever needs them first waits there), then runs
    /// `then` on that thread.
    pub fn preload_then(&self, then: impl FnOnce() + Send + 'static) {
        let library = Arc::clone(&self.library);
        let sources = self.sources.clone();
        std::thread::spawn(move || {
            library.get_or_init(|| Mutex::new(Library::load(sources)));
            then();
        });
    }

    fn library(&self) -> MutexGuard<'_, Library> {
        lock(
            self.library
                .get_or_init(|| Mutex::new(Library::load(self.sources.clone()))),
        )
    }

    pub fn flows(&self, profile: &Profile, language: Language) -> FlowList {
        self.with_viewer(profile, language, |viewer, library, progress| FlowList {
            flows: viewer.flows(library, progress),
            problems: library.problems().iter().map(ToString::to_string).collect(),
        })
    }

    pub fn flow(&self, profile: &Profile, language: Language, id: &str) -> Result<FlowView, Error> {
        let site = self.site_of_flow(profile, id);
        self.with_viewer_on(profile, site, language, |viewer, library, progress| {
            viewer.flow(library, id, progress)
        })
        .ok_or_else(|| Error::UnknownGuide(id.to_owned()))
    }

    pub fn cause(&self, profile: &Profile, language: Language, id: &str) -> Option<CauseView> {
        self.with_viewer(profile, language, |viewer, library, _| {
            viewer.cause(library, id)
        })
    }

    /// Applies a change to a copy of the progress, saves it, and only then
    /// makes it the progress in force.
    pub fn change(
        &self,
        profile: &Profile,
        language: Language,
        id: &str,
        change: ProgressChange,
    ) -> Result<FlowView, Error> {
        let steps = self
            .with_viewer(profile, language, |viewer, library, _| {
                viewer.flow_steps(library, id)
            })
            .ok_or_else(|| Error::UnknownGuide(id.to_owned()))?;
        let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
        let known = |step: &str| {
            if steps.contains(&step) {
                Ok(())
            } else {
                Err(Error::UnknownStep {
                    flow: id.to_owned(),
                    step: step.to_owned(),
                })
            }
        };
        self.save(|progress| {
            match &change {
                ProgressChange::Done { step, done } => {
                    known(step)?;
                    // Un-doing what a page completed also keeps the page
                    // from completing it again.
                    if *done || !progress.undo_seen(id, step, &steps) {
                        progress.set_done(id, step, *done, &steps);
                    }
                }
                ProgressChange::Current { step } => {
                    known(step)?;
                    progress.set_current(id, step);
                }
                ProgressChange::Reset => progress.reset(id),
            }
            // An open side panel follows the walkthrough the user works on.
            if progress.overlay.open {
                progress.overlay.flow = Some(id.to_owned());
            }
            Ok(())
        })?;
        self.flow(profile, language, id)
    }

    /// Causes ranked for what the user typed and answered, for their
    /// language and region, with the next question when causes are close.
    pub fn troubleshoot(
        &self,
        profile: &Profile,
        language: Language,
        region: Option<Region>,
        query: &str,
        answers: &[String],
    ) -> Result<Outcome, UnknownAnswer> {
        let mut derived = lock(&self.derived);
        let matcher = derived
            .matcher
            .get_or_insert_with(|| Matcher::new(&self.library()));
        let region = region.unwrap_or_else(|| guides::region(profile));
        matcher.troubleshoot(query, answers, language, Some(region))
    }

    /// Every guide installed, by language and kind, with where it came from.
    pub fn catalogue(&self) -> GuideList {
        let library = self.library();
        let of_language = |language: Language| {
            let entries = |kind: Kind| {
                library
                    .list(language, kind)
                    .into_iter()
                    .filter(|g| g.language == language)
                    .map(|g| GuideEntry {
                        id: g.id().to_owned(),
                        title: g.title().to_owned(),
                        source: library.sources()[g.layer].label.clone(),
                        path: g.path.clone(),
                    })
                    .collect()
            };
            GuidesOfLanguage {
                flows: entries(Kind::Flow),
                causes: entries(Kind::Cause),
                assistant: entries(Kind::Assistant),
            }
        };
        GuideList {
            ja: of_language(Language::Ja),
            en: of_language(Language::En),
            problems: library.problems().iter().map(ToString::to_string).collect(),
        }
    }

    pub fn assistant(&self, profile: &Profile, language: Language) -> Option<AssistantView> {
        self.with_viewer(profile, language, |viewer, library, _| {
            viewer.assistant(library)
        })
    }

    pub fn overlay(&self) -> Overlay {
        lock(&self.progress).overlay.clone()
    }

    pub fn set_overlay(&self, overlay: Overlay) -> Result<(), Error> {
        self.save(|progress| {
            progress.overlay = overlay;
            Ok(())
        })
    }

    /// Applies a change to what the file holds now (another Tobira may
    /// have changed it) and keeps the result.
    fn save(&self, change: impl FnOnce(&mut Progress) -> Result<(), Error>) -> Result<(), Error> {
        let mut progress = lock(&self.progress);
        *progress = match &self.store {
            Some(store) => {
                let (updated, recovery) = store.update(change)?;
                self.found_damage(recovery);
                updated
            }
            None => {
                let mut updated = progress.clone();
                change(&mut updated)?;
                updated
            }
        };
        Ok(())
    }

    fn found_damage(&self, recovery: Option<Recovery>) {
        lock(&self.recoveries).extend(recovery);
    }

    /// The damaged progress files found, for the notices that say where
    /// each went.
    pub fn recoveries(&self) -> Vec<Recovery> {
        lock(&self.recoveries).clone()
    }

    /// Re-reads the progress another Tobira wrote. Says whether it changed.
    pub fn reload_progress(&self) -> Result<bool, Error> {
        let Some(store) = &self.store else {
            return Ok(false);
        };
        let (loaded, recovery) = store.load()?;
        self.found_damage(recovery);
        let mut progress = lock(&self.progress);
        let changed = *progress != loaded;
        *progress = loaded;
        Ok(changed)
    }

    /// The walkthroughs with a step done.
    pub fn begun(&self) -> Vec<String> {
        let progress = lock(&self.progress);
        progress
            .flows
            .keys()
            .filter(|id| progress.has_done(id))
            .cloned()
            .collect()
    }

    /// The progress file, for whoever watches it.
    pub fn progress_path(&self) -> Option<PathBuf> {
        self.store.as_ref().map(|s| s.path().to_owned())
    }

    /// Completes the steps that `page`, shown on `host`, proves, in the
    /// walkthroughs the user has begun (or, when none, the first one Home
    /// offers). A walkthrough counts only pages of its own site: the
    /// inviting company's for a guest's, the user's own for the others.
    pub fn page_seen(
        &self,
        profile: &Profile,
        language: Language,
        host: &str,
        page: &SeenPage<'_>,
        at: String,
    ) -> Result<Vec<Completed>, Error> {
        let flows = self.flows(profile, language).flows;
        // The walkthrough in the side panel, else those with a step done
        // (merely looking at one does not count), else the first Home offers.
        let candidates: Vec<&str> = {
            let progress = lock(&self.progress);
            let shown = progress.overlay.flow.as_deref();
            let ids = flows.iter().map(|f| f.id.as_str());
            let in_panel: Vec<&str> = ids.clone().filter(|id| shown == Some(*id)).collect();
            let with_progress: Vec<&str> = ids.filter(|id| progress.has_done(id)).collect();
            [in_panel, with_progress]
                .into_iter()
                .find(|c| !c.is_empty())
                .or_else(|| flows.first().map(|f| vec![f.id.as_str()]))
                .unwrap_or_default()
        };
        // Per walkthrough: its steps in order, and those the page proves
        // (with their titles, to say what was completed).
        let mut plan: Vec<Proof> = Vec::new();
        for id in candidates {
            if self
                .site_of_flow(profile, id)
                .map(SiteAddress::host)
                .as_deref()
                != Some(host)
            {
                continue;
            }
            let Some(rules) = self.with_viewer(profile, language, |viewer, library, _| {
                viewer.flow_rules(library, id)
            }) else {
                continue;
            };
            let titled = |step: &str| {
                let title = rules.iter().find(|r| r.id == step).map(|r| r.title.clone());
                (step.to_owned(), title.unwrap_or_default())
            };
            let mut proved = Vec::new();
            for rule in &rules {
                let Some(done_when) = rule.done_when.as_ref().filter(|r| r.proved_by(page)) else {
                    continue;
                };
                // Earlier steps first, so "done" moves on past all of them.
                proved.extend(done_when.also.iter().map(|step| titled(step)));
                proved.push((rule.id.clone(), rule.title.clone()));
            }
            if !proved.is_empty() {
                plan.push(Proof {
                    flow: id.to_owned(),
                    order: rules.into_iter().map(|r| r.id).collect(),
                    steps: proved,
                });
            }
        }
        let mut completed = Vec::new();
        if plan.is_empty() {
            return Ok(completed);
        }
        self.save(|progress| {
            for Proof {
                flow,
                order,
                steps: proved,
            } in &plan
            {
                let steps: Vec<&str> = order.iter().map(String::as_str).collect();
                for (step, title) in proved {
                    let seen = Seen {
                        page: page.kind,
                        at: at.clone(),
                    };
                    if progress.complete_seen(flow, step, seen, &steps) {
                        completed.push(Completed {
                            flow: flow.clone(),
                            step: step.clone(),
                            title: title.clone(),
                            page: page.kind,
                        });
                    }
                }
            }
            Ok(())
        })?;
        Ok(completed)
    }

    /// `f` of the texts the browser companion looks for on a page (sorted).
    pub fn with_known_texts<T>(&self, f: impl FnOnce(&[String]) -> T) -> T {
        let mut derived = lock(&self.derived);
        let texts = derived
            .known_texts
            .get_or_insert_with(|| tobira_guides::pages::known_texts(&self.library()));
        f(texts)
    }

    /// The causes whose error message one of `found` is, most specific first.
    pub fn causes_of(&self, found: &[String]) -> Vec<CauseSeen> {
        tobira_guides::pages::causes_of(&self.library(), found)
    }

    /// Every walkthrough the user may see, each step with whether it is done.
    pub fn flow_steps(&self, profile: &Profile, language: Language) -> Vec<FlowSteps> {
        self.flows(profile, language)
            .flows
            .into_iter()
            .filter_map(|summary| self.flow(profile, language, &summary.id).ok())
            .map(|flow| FlowSteps {
                id: flow.id,
                title: flow.title,
                steps: flow
                    .steps
                    .into_iter()
                    .map(|s| StepState {
                        id: s.id,
                        title: s.title,
                        done: s.done,
                        seen: s.seen.is_some(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Re-reads changed guide files; a changed folder re-reads everything.
    /// What is built from the guides is dropped afterwards, holding its lock
    /// throughout, so nobody rebuilds it from the old guides meanwhile.
    pub fn reload(&self, paths: &[PathBuf]) {
        let mut derived = lock(&self.derived);
        let mut library = self.library();
        for path in paths {
            if !library.reload(path) && path.extension().is_none() {
                library.reload_all();
                break;
            }
        }
        *derived = Derived::default();
    }

    /// The folders to watch, known before the library is loaded.
    pub fn watched_dirs(&self) -> Vec<PathBuf> {
        tobira_guides::library::folders(&self.sources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tobira_core::{Region, Settings, SiteAddress};

    fn profile(dir: &std::path::Path) -> Profile {
        let settings = Settings {
            site: Some(SiteAddress::parse("example", Region::Jp).unwrap()),
            ..Settings::default()
        };
        Profile::new(settings, &dir.join("no-policy.toml"))
    }

    #[test]
    fn progress_is_saved_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let profile = profile(dir.path());
        let load = || {
            Walkthroughs::load(
                vec![guides::bundled()],
                Some(ProgressStore::in_dir(dir.path())),
            )
        };
        let first = load();
        let done = |step: &str| ProgressChange::Done {
            step: step.into(),
            done: true,
        };
        first
            .change(
                &profile,
                Language::En,
                "guest-space-join",
                done("invitation"),
            )
            .unwrap();
        let flow = first
            .change(
                &profile,
                Language::En,
                "guest-space-join",
                done("open-link"),
            )
            .unwrap();
        assert_eq!(flow.done, 2);
        assert_eq!(flow.current.as_deref(), Some("existing-account"));
        first
            .set_overlay(Overlay {
                open: true,
                flow: Some("guest-space-join".into()),
            })
            .unwrap();

        let again = load();
        let flow = again
            .flow(&profile, Language::Ja, "guest-space-join")
            .unwrap();
        assert_eq!(
            (flow.done, flow.current.as_deref()),
            (2, Some("existing-account"))
        );
        assert!(again.overlay().open);
        // The open panel follows the walkthrough the user works on next.
        again
            .change(&profile, Language::En, "first-login", ProgressChange::Reset)
            .unwrap();
        assert_eq!(again.overlay().flow.as_deref(), Some("first-login"));
        let summary = again.flows(&profile, Language::Ja);
        assert_eq!(summary.flows.len(), 7);
        assert!(summary.problems.is_empty());
        assert_eq!(
            again
                .troubleshoot(&profile, Language::En, None, "不正なリクエストです。", &[])
                .unwrap()
                .matches[0]
                .cause,
            "maintenance"
        );
        let tree = again.assistant(&profile, Language::En).unwrap();
        assert_eq!(tree.start, "where");
    }

    #[test]
    fn a_page_completes_the_steps_it_proves_once() {
        let dir = tempfile::tempdir().unwrap();
        let profile = profile(dir.path());
        let store = || Some(ProgressStore::in_dir(dir.path()));
        let window = Walkthroughs::load(vec![guides::bundled()], store());
        let host = Walkthroughs::load(vec![guides::bundled()], store());
        window
            .change(
                &profile,
                Language::En,
                "first-login",
                ProgressChange::Current {
                    step: "address".into(),
                },
            )
            .unwrap();
        let seen = |kind: PageKind, site: &str| {
            let page = SeenPage {
                kind,
                path: "/k/",
                fragment: "",
                found: &[],
            };
            host.page_seen(
                &profile,
                Language::En,
                site,
                &page,
                "2026-12-05T10:00:00Z".into(),
            )
            .unwrap()
            .into_iter()
            .map(|c| format!("{}/{}", c.flow, c.step))
            .collect::<Vec<_>>()
        };
        // Another company's site proves nothing.
        assert!(seen(PageKind::Portal, "other.cybozu.com").is_empty());
        assert_eq!(
            seen(PageKind::Portal, "example.cybozu.com"),
            [
                "first-login/address",
                "first-login/sign-in",
                "first-login/choose-kintone"
            ]
        );
        assert!(seen(PageKind::Portal, "example.cybozu.com").is_empty());
        // The open window follows what the host wrote.
        assert!(window.reload_progress().unwrap());
        let flow = window.flow(&profile, Language::En, "first-login").unwrap();
        assert_eq!((flow.done, flow.current.as_deref()), (3, Some("bookmark")));
        assert_eq!(flow.steps[1].seen, Some(PageKind::Portal));
        assert!(flow.steps[1].watched && !flow.steps[3].watched);
        // Undo sticks: the next visit to the portal leaves it open.
        let undo = ProgressChange::Done {
            step: "sign-in".into(),
            done: false,
        };
        let flow = window
            .change(&profile, Language::En, "first-login", undo)
            .unwrap();
        assert!(
            !flow.steps[1].watched,
            "an undone step is not promised again"
        );
        assert!(host.reload_progress().unwrap());
        assert!(seen(PageKind::Portal, "example.cybozu.com").is_empty());
        let steps = host.flow_steps(&profile, Language::En);
        let first = steps.iter().find(|f| f.id == "first-login").unwrap();
        let done: Vec<(&str, bool, bool)> = first
            .steps
            .iter()
            .map(|s| (s.id.as_str(), s.done, s.seen))
            .collect();
        assert_eq!(
            &done[..3],
            [
                ("address", true, true),
                ("sign-in", false, false),
                ("choose-kintone", true, true)
            ]
        );
    }

    #[test]
    fn unknown_flows_and_steps_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let profile = profile(dir.path());
        let walkthroughs = Walkthroughs::load(
            vec![guides::bundled()],
            Some(ProgressStore::in_dir(dir.path())),
        );
        let error = walkthroughs
            .change(&profile, Language::En, "nope", ProgressChange::Reset)
            .unwrap_err();
        assert_eq!(error.code(), "unknown-guide");
        let step = ProgressChange::Done {
            step: "nope".into(),
            done: true,
        };
        let error = walkthroughs
            .change(&profile, Language::En, "first-login", step)
            .unwrap_err();
        assert_eq!(error.code(), "unknown-step");
        assert!(!dir.path().join("progress.toml").exists());
    }
}
