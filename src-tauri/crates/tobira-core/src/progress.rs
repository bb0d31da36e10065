//! How far the user got in each walkthrough, and whether the overlay panel
//! was open: `progress.toml` beside the settings, written atomically.
//!
//! Steps are kept by their id (`{#id}` in the guide), the same in both
//! languages, so switching language keeps the progress; ids a guide no
//! longer has are ignored when counting.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::page::PageKind;
use crate::toml_file::{FileError, Recovery, TomlFile};

const FILE_NAME: &str = "progress.toml";
const LOCK_NAME: &str = "progress.lock";
const HEADER: &str = "# Tobira walkthrough progress. Tobira rewrites this file.\n\n";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowProgress {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub done: BTreeSet<String>,
    /// The step the user looked at last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Steps done because the browser showed a page that proves them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<String, Seen>,
    /// Steps the user un-did after Tobira completed them: never completed
    /// by a page again, until the user marks them done themselves.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub declined: BTreeSet<String>,
}

/// The page that completed a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub page: PageKind,
    /// RFC 3339, seconds.
    pub at: String,
}

/// The overlay panel: open or not, and for which flow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overlay {
    #[serde(default)]
    pub open: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub flow: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub overlay: Overlay,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub flows: BTreeMap<String, FlowProgress>,
    /// Keys of a newer Tobira, kept when saving.
    #[serde(flatten)]
    pub other: toml::Table,
}

impl Progress {
    fn flow(&self, flow: &str) -> Option<&FlowProgress> {
        self.flows.get(flow)
    }

    /// Marks a step done (or not). Marking it done moves on to the next
    /// step of `steps` (the flow's steps in order) that is not done yet.
    pub fn set_done(&mut self, flow: &str, step: &str, done: bool, steps: &[&str]) {
        let entry = self.flows.entry(flow.to_owned()).or_default();
        entry.seen.remove(step);
        if done {
            entry.declined.remove(step);
            entry.done.insert(step.to_owned());
            let after = steps.iter().position(|s| *s == step).map_or(0, |i| i + 1);
            let next = steps[after.min(steps.len())..]
                .iter()
                .chain(steps.iter())
                .find(|s| !entry.done.contains(**s));
            entry.current = Some(next.map_or(step, |s| s).to_owned());
        } else {
            entry.done.remove(step);
            entry.current = Some(step.to_owned());
        }
    }

    /// Completes a step because a page proved it, unless it is done or the
    /// user declined it. Says whether anything changed.
    pub fn complete_seen(&mut self, flow: &str, step: &str, seen: Seen, steps: &[&str]) -> bool {
        let entry = self.flows.entry(flow.to_owned()).or_default();
        if entry.done.contains(step) || entry.declined.contains(step) {
            return false;
        }
        self.set_done(flow, step, true, steps);
        let entry = self.flows.entry(flow.to_owned()).or_default();
        entry.seen.insert(step.to_owned(), seen);
        true
    }

    /// Un-does a step a page completed, and remembers not to complete it
    /// again. Says whether it was one.
    pub fn undo_seen(&mut self, flow: &str, step: &str, steps: &[&str]) -> bool {
        let was_seen = self.flow(flow).is_some_and(|p| p.seen.contains_key(step));
        if was_seen {
            self.set_done(flow, step, false, steps);
            let entry = self.flows.entry(flow.to_owned()).or_default();
            entry.declined.insert(step.to_owned());
        }
        was_seen
    }

    /// The page that completed `step`, if one did.
    pub fn seen(&self, flow: &str, step: &str) -> Option<&Seen> {
        self.flow(flow)?.seen.get(step)
    }

    /// Whether the user un-did `step` after a page completed it.
    pub fn declined(&self, flow: &str, step: &str) -> bool {
        self.flow(flow).is_some_and(|p| p.declined.contains(step))
    }

    /// Whether a step of this walkthrough is done.
    pub fn has_done(&self, flow: &str) -> bool {
        self.flow(flow).is_some_and(|p| !p.done.is_empty())
    }

    pub fn set_current(&mut self, flow: &str, step: &str) {
        self.flows.entry(flow.to_owned()).or_default().current = Some(step.to_owned());
    }

    /// Forgets a flow's progress.
    pub fn reset(&mut self, flow: &str) {
        self.flows.remove(flow);
    }

    /// The step to show: the one the user was on if the flow still has it,
    /// else the first step not done, else the last.
    pub fn current_step<'a>(&self, flow: &str, steps: &[&'a str]) -> Option<&'a str> {
        let progress = self.flow(flow);
        let saved = progress.and_then(|p| p.current.as_deref());
        steps
            .iter()
            .find(|s| Some(**s) == saved)
            .or_else(|| {
                steps
                    .iter()
                    .find(|s| !progress.is_some_and(|p| p.done.contains(**s)))
            })
            .or(steps.last())
            .copied()
    }

    /// The steps of `steps` that are done.
    pub fn done_steps<'a>(&self, flow: &str, steps: &[&'a str]) -> Vec<&'a str> {
        let Some(progress) = self.flow(flow) else {
            return Vec::new();
        };
        steps
            .iter()
            .filter(|s| progress.done.contains(**s))
            .copied()
            .collect()
    }
}

/// The progress file in one directory.
#[derive(Debug, Clone)]
pub struct ProgressStore {
    file: TomlFile,
}

impl ProgressStore {
    pub fn in_dir(dir: impl Into<PathBuf>) -> ProgressStore {
        ProgressStore {
            file: TomlFile::new(dir.into().join(FILE_NAME), HEADER),
        }
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// A damaged file is moved aside (see [`TomlFile::load`]).
    pub fn load(&self) -> Result<(Progress, Option<Recovery>), ProgressError> {
        Ok(self.file.load()?)
    }

    pub fn save(&self, progress: &Progress) -> Result<(), ProgressError> {
        Ok(self.file.save(progress)?)
    }

    /// Re-reads the file and applies `change` to it, holding a lock that
    /// every Tobira process takes, then saves and returns the result, with
    /// the recovery of a damaged file if the re-reading found one. A change
    /// that fails writes nothing (a damaged file is still moved aside and
    /// its backup put back, as by [`Self::load`]).
    pub fn update<E: From<ProgressError>>(
        &self,
        change: impl FnOnce(&mut Progress) -> Result<(), E>,
    ) -> Result<(Progress, Option<Recovery>), E> {
        let _lock = self.lock()?;
        let (mut progress, recovery) = self.load()?;
        change(&mut progress)?;
        self.save(&progress)?;
        Ok((progress, recovery))
    }

    /// The lock is released when the file handle is dropped (also when the
    /// process dies, so a crash never leaves it held).
    fn lock(&self) -> Result<File, ProgressError> {
        let path = self.path().with_file_name(LOCK_NAME);
        let locked = (|| {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            let file = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            file.lock()?;
            Ok(file)
        })();
        locked.map_err(|source| ProgressError(FileError::Write { path, source }))
    }
}

/// The progress file could not be read, saved or moved aside.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ProgressError(#[from] FileError);

impl ProgressError {
    pub const CODES: &'static [&'static str] = &[
        "progress-unreadable",
        "progress-unwritable",
        "progress-damaged",
    ];

    pub fn code(&self) -> &'static str {
        match self.0 {
            FileError::Read { .. } => "progress-unreadable",
            FileError::Write { .. } => "progress-unwritable",
            FileError::MoveAside { .. } => "progress-damaged",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: [&str; 4] = ["a", "b", "c", "d"];

    #[test]
    fn done_moves_on_to_the_next_open_step() {
        let mut progress = Progress::default();
        assert_eq!(progress.current_step("f", &STEPS), Some("a"));
        progress.set_done("f", "a", true, &STEPS);
        assert_eq!(progress.current_step("f", &STEPS), Some("b"));
        progress.set_done("f", "c", true, &STEPS);
        assert_eq!(progress.current_step("f", &STEPS), Some("d"));
        progress.set_done("f", "d", true, &STEPS);
        // Wraps round to the one left open.
        assert_eq!(progress.current_step("f", &STEPS), Some("b"));
        progress.set_done("f", "b", true, &STEPS);
        assert_eq!(progress.current_step("f", &STEPS), Some("b"));
        assert_eq!(progress.done_steps("f", &STEPS), STEPS);
        progress.set_done("f", "c", false, &STEPS);
        assert_eq!(progress.current_step("f", &STEPS), Some("c"));
        assert_eq!(progress.done_steps("f", &STEPS), ["a", "b", "d"]);
        progress.reset("f");
        assert_eq!(progress.current_step("f", &STEPS), Some("a"));
        assert!(progress.done_steps("f", &STEPS).is_empty());
    }

    #[test]
    fn steps_a_guide_no_longer_has_are_ignored() {
        let mut progress = Progress::default();
        progress.set_done("f", "old", true, &["old"]);
        progress.set_current("f", "gone");
        assert_eq!(progress.current_step("f", &STEPS), Some("a"));
        assert!(progress.done_steps("f", &STEPS).is_empty());
        assert_eq!(progress.current_step("f", &[]), None);
    }

    fn seen() -> Seen {
        Seen {
            page: PageKind::Portal,
            at: "2026-12-05T10:00:00Z".into(),
        }
    }

    #[test]
    fn a_step_a_page_proved_can_be_undone_and_stays_undone() {
        let mut progress = Progress::default();
        assert!(!progress.has_done("f"));
        assert!(progress.complete_seen("f", "b", seen(), &STEPS));
        assert!(progress.has_done("f"));
        assert_eq!(progress.done_steps("f", &STEPS), ["b"]);
        assert_eq!(progress.seen("f", "b"), Some(&seen()));
        // Already done: nothing changes.
        assert!(!progress.complete_seen("f", "b", seen(), &STEPS));
        assert!(progress.undo_seen("f", "b", &STEPS));
        assert!(progress.done_steps("f", &STEPS).is_empty());
        assert_eq!(progress.seen("f", "b"), None);
        assert!(!progress.complete_seen("f", "b", seen(), &STEPS));
        assert!(progress.declined("f", "b"));
        // A step the user marked is not the page's to undo.
        progress.set_done("f", "a", true, &STEPS);
        assert!(!progress.undo_seen("f", "a", &STEPS));
        // Marking it done by hand clears the refusal.
        progress.set_done("f", "b", true, &STEPS);
        progress.set_done("f", "b", false, &STEPS);
        assert!(progress.complete_seen("f", "b", seen(), &STEPS));
    }

    #[test]
    fn updates_from_two_stores_keep_each_others_steps() {
        let dir = tempfile::tempdir().unwrap();
        let window = ProgressStore::in_dir(dir.path());
        let host = ProgressStore::in_dir(dir.path());
        window
            .update(|p| {
                p.set_done("f", "a", true, &STEPS);
                Ok::<_, ProgressError>(())
            })
            .unwrap();
        host.update(|p| {
            p.complete_seen("f", "b", seen(), &STEPS);
            Ok::<_, ProgressError>(())
        })
        .unwrap();
        let (both, _) = window
            .update(|p| {
                p.set_done("f", "c", true, &STEPS);
                Ok::<_, ProgressError>(())
            })
            .unwrap();
        assert_eq!(both.done_steps("f", &STEPS), ["a", "b", "c"]);
        assert_eq!(window.load().unwrap().0, both);
        // A failed change writes nothing.
        let failed = host.update(|p| {
            p.reset("f");
            Err(ProgressError(FileError::Read {
                path: PathBuf::new(),
                source: std::io::ErrorKind::Other.into(),
            }))
        });
        assert!(failed.is_err());
        assert_eq!(window.load().unwrap().0, both);
    }

    #[test]
    fn an_update_of_a_damaged_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        std::fs::write(store.path(), "[flows.f\ndone = [").unwrap();
        let (progress, recovery) = store
            .update(|p| {
                p.set_done("f", "a", true, &STEPS);
                Ok::<_, ProgressError>(())
            })
            .unwrap();
        assert_eq!(progress.done_steps("f", &STEPS), ["a"]);
        let recovery = recovery.expect("the damage is reported");
        assert!(recovery.moved_to.exists(), "the damaged file is kept aside");
        let (_, again) = store.update(|_| Ok::<_, ProgressError>(())).unwrap();
        assert_eq!(again, None, "reported once");
    }

    #[test]
    fn survives_a_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::in_dir(dir.path());
        assert_eq!(store.load().unwrap(), (Progress::default(), None));
        let mut progress = Progress::default();
        progress.set_done("guest-space-join", "invitation", true, &STEPS);
        progress.overlay = Overlay {
            open: true,
            flow: Some("guest-space-join".into()),
        };
        store.save(&progress).unwrap();
        store.save(&progress).unwrap();
        assert_eq!(store.load().unwrap(), (progress.clone(), None));
        // A damaged file is moved aside and the backup restored.
        std::fs::write(store.path(), "flows = 3").unwrap();
        let (restored, recovery) = store.load().unwrap();
        let recovery = recovery.unwrap();
        assert!(recovery.restored_backup);
        assert_eq!(restored, progress);
        let moved = recovery
            .moved_to
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(moved.starts_with("progress.corrupt-"), "{moved}");
    }
}
