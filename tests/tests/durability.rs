//! A writer killed with SIGKILL at any moment leaves the settings file
//! either as it was or as it was going to be: never empty, never half
//! written. 200 kills at random moments while a process saves in a loop.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use tobira_core::SettingsStore;

const KILLS: usize = 200;

/// A small xorshift generator: the kill moments differ from run to run
/// (the seed is printed so a failure can be replayed with KILL_SEED).
struct Moments(u64);

impl Moments {
    fn next_micros(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % max
    }
}

#[test]
fn sigkill_during_saves_leaves_old_or_new_content() {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::in_dir(dir.path());
    let tag_of = |text: &str| -> &'static str {
        if text.contains("A bookmark 299") {
            "A"
        } else if text.contains("B bookmark 299") {
            "B"
        } else {
            "?"
        }
    };
    let seed = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64 | 1)
        });
    println!("KILL_SEED={seed}");
    let mut moments = Moments(seed);
    // The first save must exist before "the old content" means anything.
    let mut first = Command::new(env!("CARGO_BIN_EXE_settings-writer"))
        .arg(dir.path())
        .spawn()
        .expect("the writer starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !store.path().exists() {
        assert!(Instant::now() < deadline, "the writer never saved");
        std::thread::sleep(Duration::from_millis(1));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let mut seen = std::collections::BTreeMap::new();
    let started = Instant::now();
    for kill in 0..KILLS {
        let mut writer = Command::new(env!("CARGO_BIN_EXE_settings-writer"))
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the writer starts");
        // 2–30 ms: past the writer's start-up, into its saves.
        std::thread::sleep(Duration::from_micros(2_000 + moments.next_micros(28_000)));
        writer.kill().expect("SIGKILL is delivered");
        let status = writer.wait().unwrap();
        assert!(
            !status.success(),
            "kill {kill}: the writer stopped on its own: {status}"
        );

        let text = std::fs::read_to_string(store.path()).unwrap_or_else(|e| {
            panic!("kill {kill} (KILL_SEED={seed}): settings.toml unreadable: {e}")
        });
        let loaded = store.load().unwrap();
        assert_eq!(
            loaded.recovery, None,
            "kill {kill} (KILL_SEED={seed}): the file was damaged"
        );
        assert_eq!(
            loaded.settings.bookmarks.len(),
            300,
            "kill {kill}: partial content"
        );
        let tag = tag_of(&text);
        assert_ne!(tag, "?", "kill {kill}: neither version:\n{text}");
        *seen.entry(tag).or_insert(0) += 1;
    }
    // A killed writer cannot remove its temporary file; those are ignored
    // by every reader and never renamed over the real one.
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    println!(
        "{KILLS}/{KILLS} kills left a whole file ({seen:?}) in {:.1} s; {leftovers} temporary files left behind",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(seen.len(), 2, "kills landed after both versions: {seen:?}");
}
