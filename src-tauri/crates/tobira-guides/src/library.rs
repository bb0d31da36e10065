//! The guides in force: every source of the search path loaded, later
//! sources replacing earlier ones id by id, and single files re-read when
//! they change on disk.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use tobira_core::Language;

use crate::front_matter::Kind;
use crate::guide::Guide;
use crate::problem::Problem;

/// Deeper folders than this are not searched (and symlinked folders never),
/// so a bad guide folder cannot make loading run away.
const MAX_DEPTH: usize = 6;

/// One entry of the search path.
#[derive(Debug, Clone)]
pub struct Source {
    /// Shown in messages and lists: "bundled", "organisation", "user".
    pub label: String,
    pub location: Location,
    /// A missing folder is a problem (the guides shipped with Tobira), not
    /// an empty source (an organisation's or user's folder not made yet).
    pub required: bool,
}

#[derive(Debug, Clone)]
pub enum Location {
    /// Files given as text: (path under the root such as
    /// `ja/flows/first-login.md`, contents); tests and tools use it.
    Embedded(Vec<(String, &'static str)>),
    /// A folder with `ja/` and `en/` inside.
    Dir(PathBuf),
}

impl Source {
    pub fn dir(label: &str, path: impl Into<PathBuf>) -> Source {
        Source {
            label: label.to_owned(),
            location: Location::Dir(path.into()),
            required: false,
        }
    }

    /// The guides shipped with Tobira, in the folder the installer made.
    pub fn shipped(path: impl Into<PathBuf>) -> Source {
        Source {
            required: true,
            ..Source::dir("bundled", path)
        }
    }

    /// Every guide file of this source, not read yet. Files outside `ja/`
    /// and `en/` have no language, so lint can point at them.
    pub(crate) fn entries(&self) -> Vec<Entry> {
        match &self.location {
            Location::Embedded(files) => files
                .iter()
                .map(|(path, text)| Entry {
                    path: format!("<{}>/{path}", self.label),
                    language: language_of(Path::new(path)),
                    input: Input::Embedded(text),
                })
                .collect(),
            Location::Dir(root) => {
                let mut paths = Vec::new();
                walk(root, 0, &mut paths);
                paths.sort();
                paths
                    .into_iter()
                    .map(|path| Entry {
                        path: path.display().to_string(),
                        language: path.strip_prefix(root).ok().and_then(language_of),
                        input: Input::File(path),
                    })
                    .collect()
            }
        }
    }
}

/// One guide file of a source.
pub(crate) struct Entry {
    /// As shown in messages.
    pub path: String,
    pub language: Option<Language>,
    input: Input,
}

enum Input {
    Embedded(&'static str),
    File(PathBuf),
}

impl Entry {
    pub fn read(&self) -> Result<String, String> {
        match &self.input {
            Input::Embedded(text) => Ok((*text).to_owned()),
            Input::File(path) => read_guide(path),
        }
    }

    fn parse(&self, language: Language, layer: usize) -> Result<Guide, Problem> {
        self.read()
            .map_err(|message| Problem::new(&self.path, (1, 1), message))
            .and_then(|text| Guide::parse(&self.path, &text, language, layer))
    }
}

/// `f` over `items` on every core: reading and parsing thousands of guides
/// is most of the start-up work of a large guide folder.
fn parallel_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads == 1 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<U>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The folders among `sources` (what can change on disk and is watched).
pub fn folders(sources: &[Source]) -> Vec<PathBuf> {
    sources
        .iter()
        .filter_map(|s| match &s.location {
            Location::Dir(root) => Some(root.clone()),
            Location::Embedded(_) => None,
        })
        .collect()
}

/// `ja/…` or `en/…` relative to a root.
fn language_of(relative: &Path) -> Option<Language> {
    match relative.components().next()?.as_os_str().to_str()? {
        "ja" => Some(Language::Ja),
        "en" => Some(Language::En),
        _ => None,
    }
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() && depth < MAX_DEPTH {
            walk(&path, depth + 1, out);
        } else if kind.is_file() && is_guide_file(&path) {
            out.push(path);
        }
    }
}

fn is_guide_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

fn read_guide(path: &Path) -> Result<String, String> {
    match fs::metadata(path) {
        Ok(meta) if meta.len() > crate::front_matter::MAX_GUIDE_BYTES as u64 => {
            // Guide::parse words the message; hand it an oversized marker.
            Ok(" ".repeat(crate::front_matter::MAX_GUIDE_BYTES + 1))
        }
        _ => fs::read_to_string(path).map_err(|e| format!("cannot read this file: {e}")),
    }
}

type Key = (Language, String);

/// The loaded guides of every source.
#[derive(Debug, Default)]
pub struct Library {
    sources: Vec<Source>,
    /// Every guide file by path; a file that does not parse has a problem.
    files: HashMap<String, Result<Guide, Problem>>,
    /// All files that claim an id in a language.
    candidates: HashMap<Key, Vec<String>>,
    /// The file in force for an id: the highest layer wins.
    chosen: HashMap<Key, String>,
}

impl Library {
    pub fn load(sources: Vec<Source>) -> Library {
        let mut library = Library::default();
        for (layer, source) in sources.iter().enumerate() {
            if let (Location::Dir(root), true) = (&source.location, source.required) {
                if !root.is_dir() {
                    let path = root.display().to_string();
                    let problem = Problem::new(
                        &path,
                        (1, 1),
                        "the guides shipped with Tobira are not in this folder; reinstall Tobira",
                    );
                    library.files.insert(path, Err(problem));
                }
            }
            let entries = source.entries();
            let parsed = parallel_map(&entries, |entry| {
                entry
                    .language
                    .map(|language| (entry.path.clone(), language, entry.parse(language, layer)))
            });
            for (path, language, guide) in parsed.into_iter().flatten() {
                library.insert(path, language, guide);
            }
        }
        library.sources = sources;
        library
    }

    fn insert(&mut self, path: String, language: Language, parsed: Result<Guide, Problem>) {
        let key = parsed
            .as_ref()
            .ok()
            .map(|guide| (language, guide.id().to_owned()));
        self.files.insert(path.clone(), parsed);
        if let Some(key) = key {
            self.candidates.entry(key.clone()).or_default().push(path);
            self.choose(&key);
        }
    }

    fn remove(&mut self, path: &str) {
        if let Some(Ok(guide)) = self.files.remove(path) {
            let key = (guide.language, guide.id().to_owned());
            if let Some(paths) = self.candidates.get_mut(&key) {
                paths.retain(|p| p != path);
            }
            self.choose(&key);
        }
    }

    fn choose(&mut self, key: &Key) {
        let best = self.candidates.get(key).and_then(|paths| {
            paths
                .iter()
                .filter_map(|p| match self.files.get(p) {
                    Some(Ok(guide)) => Some((guide.layer, Reverse(p.clone()))),
                    _ => None,
                })
                .max()
                .map(|(_, Reverse(p))| p)
        });
        match best {
            Some(path) => self.chosen.insert(key.clone(), path),
            None => self.chosen.remove(key),
        };
    }

    /// Re-reads one file after it changed, appeared or disappeared. Returns
    /// false when the path is not a guide file of a folder source.
    pub fn reload(&mut self, path: &Path) -> bool {
        let Some((layer, language)) = self.place_of(path) else {
            return false;
        };
        let key = path.display().to_string();
        self.remove(&key);
        if path.is_file() {
            let parsed = read_guide(path)
                .map_err(|message| Problem::new(&key, (1, 1), message))
                .and_then(|text| Guide::parse(&key, &text, language, layer));
            self.insert(key, language, parsed);
        }
        true
    }

    /// Re-reads every source from scratch (a folder was added or removed).
    pub fn reload_all(&mut self) {
        *self = Library::load(std::mem::take(&mut self.sources));
    }

    fn place_of(&self, path: &Path) -> Option<(usize, Language)> {
        if !is_guide_file(path) {
            return None;
        }
        self.sources
            .iter()
            .enumerate()
            .rev()
            .find_map(|(layer, source)| match &source.location {
                Location::Dir(root) => path
                    .strip_prefix(root)
                    .ok()
                    .and_then(language_of)
                    .map(|l| (layer, l)),
                Location::Embedded(_) => None,
            })
    }

    /// The folders to watch for changes.
    pub fn watched_dirs(&self) -> Vec<PathBuf> {
        folders(&self.sources)
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The guide in force for an id, in `language` or else in the other
    /// language (the second value says which one was found).
    pub fn guide(&self, language: Language, id: &str) -> Option<(&Guide, Language)> {
        [language, language.other()].into_iter().find_map(|l| {
            let path = self.chosen.get(&(l, id.to_owned()))?;
            match self.files.get(path) {
                Some(Ok(guide)) => Some((guide, l)),
                _ => None,
            }
        })
    }

    /// The guides in force of one kind, flows in their order, others by id;
    /// an id that exists only in the other language is included from there.
    pub fn list(&self, language: Language, kind: Kind) -> Vec<&Guide> {
        let mut ids: Vec<&str> = self.chosen.keys().map(|(_, id)| id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut guides: Vec<&Guide> = ids
            .into_iter()
            .filter_map(|id| self.guide(language, id).map(|(g, _)| g))
            .filter(|g| g.kind() == kind)
            .collect();
        guides.sort_by(|a, b| (a.order(), a.id()).cmp(&(b.order(), b.id())));
        guides
    }

    /// Files that could not be loaded, with why.
    pub fn problems(&self) -> Vec<&Problem> {
        let mut problems: Vec<&Problem> = self
            .files
            .values()
            .filter_map(|f| f.as_ref().err())
            .collect();
        problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        problems
    }

    pub fn len(&self) -> usize {
        self.chosen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(id: &str, title: &str) -> String {
        format!("+++\nid = \"{id}\"\nkind = \"flow\"\ntitle = \"{title}\"\n+++\n## Step {{#one}}\nText\n")
    }

    fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn title(library: &Library, language: Language, id: &str) -> Option<String> {
        library
            .guide(language, id)
            .map(|(g, _)| g.title().to_owned())
    }

    #[test]
    fn later_sources_replace_earlier_ones_and_changes_are_picked_up() {
        let bundled = Source {
            label: "bundled".into(),
            required: false,
            location: Location::Embedded(vec![
                (
                    "ja/flows/a.md".into(),
                    Box::leak(guide("a", "同梱").into_boxed_str()),
                ),
                (
                    "en/flows/a.md".into(),
                    Box::leak(guide("a", "Bundled").into_boxed_str()),
                ),
            ]),
        };
        let org = tempfile::tempdir().unwrap();
        let user = tempfile::tempdir().unwrap();
        write(org.path(), "en/a.md", &guide("a", "Organisation"));
        let mut library = Library::load(vec![
            bundled,
            Source::dir("organisation", org.path()),
            Source::dir("user", user.path()),
        ]);
        assert_eq!(
            title(&library, Language::En, "a").as_deref(),
            Some("Organisation")
        );
        assert_eq!(title(&library, Language::Ja, "a").as_deref(), Some("同梱"));

        // A user file appears: it wins.
        let mine = write(user.path(), "en/deep/mine.md", &guide("a", "Mine"));
        assert!(library.reload(&mine));
        assert_eq!(title(&library, Language::En, "a").as_deref(), Some("Mine"));

        // It breaks: the organisation's version is back, and the problem is listed.
        fs::write(&mine, "+++\nid = \"a\"\n").unwrap();
        assert!(library.reload(&mine));
        assert_eq!(
            title(&library, Language::En, "a").as_deref(),
            Some("Organisation")
        );
        assert_eq!(library.problems().len(), 1);

        // It is deleted: nothing left of it.
        fs::remove_file(&mine).unwrap();
        assert!(library.reload(&mine));
        assert!(library.problems().is_empty());
        assert_eq!(
            title(&library, Language::En, "a").as_deref(),
            Some("Organisation")
        );

        // Outside a language folder, or not Markdown: not a guide.
        assert!(!library.reload(&user.path().join("notes.md")));
        assert!(!library.reload(&user.path().join("en/a.txt")));
    }

    #[test]
    fn falls_back_to_the_other_language() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ja/only.md", &guide("only", "日本語だけ"));
        let library = Library::load(vec![Source::dir("user", dir.path())]);
        let (found, language) = library.guide(Language::En, "only").unwrap();
        assert_eq!((found.title(), language), ("日本語だけ", Language::Ja));
        assert_eq!(library.list(Language::En, Kind::Flow).len(), 1);
        assert!(library.list(Language::En, Kind::Cause).is_empty());
    }

    #[test]
    fn a_missing_or_unreadable_folder_is_just_empty() {
        let library = Library::load(vec![Source::dir(
            "organisation",
            "/nonexistent/tobira-guides",
        )]);
        assert!(library.is_empty());
        assert!(library.problems().is_empty());
    }
}
