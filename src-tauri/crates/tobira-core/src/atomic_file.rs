//! The one way Tobira writes a file the user would miss: the new content goes
//! to a temporary file in the same directory, is flushed to disk, and then
//! renamed over the old file, so a crash leaves either the old or the new
//! content, never a mix.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const TEMP_PREFIX: &str = ".tobira-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file this old was left by a writer that was killed; one that
/// is younger may belong to a save in progress in another Tobira process.
const ABANDONED_AFTER: Duration = Duration::from_secs(10 * 60);

/// Where the previous version of `path` is kept: `settings.toml.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `contents` to `path` atomically. With `keep_backup`, the file's
/// current content (if any) is first saved, also atomically, to
/// [`backup_path`].
pub fn write(path: &Path, contents: &[u8], keep_backup: bool) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    if keep_backup {
        match fs::read(path) {
            Ok(previous) => replace(dir, &backup_path(path), &previous)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    replace(dir, path, contents)?;
    remove_abandoned_temp_files(dir, SystemTime::now());
    Ok(())
}

/// A writer killed between creating its temporary file and renaming it
/// cannot clean up; the next successful save does. Failures are ignored: the
/// files are never read, only untidy.
fn remove_abandoned_temp_files(dir: &Path, now: SystemTime) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let abandoned = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age >= ABANDONED_AFTER);
        if abandoned {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn replace(dir: &Path, path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// The rename is only durable once the directory entry is on disk too.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.toml");
        write(&path, b"one", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert!(
            !backup_path(&path).exists(),
            "nothing to back up on the first write"
        );
        write(&path, b"two", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"one");
        write(&path, b"three", true).unwrap();
        assert_eq!(
            fs::read(backup_path(&path)).unwrap(),
            b"two",
            "only one backup is kept"
        );
    }

    #[test]
    fn leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        for i in 0..5 {
            write(&path, format!("{i}").as_bytes(), false).unwrap();
        }
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.toml")]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        write(&path, b"old", false).unwrap();
        // A directory where the file should go makes the rename fail.
        let blocked = dir.path().join("blocked");
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("x"), b"").unwrap();
        assert!(write(&blocked, b"new", false).is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn a_save_removes_temporary_files_abandoned_by_killed_writers() {
        let dir = tempfile::tempdir().unwrap();
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        for name in [
            ".tobira-abandoned.tmp",
            ".tobira-in-progress.tmp",
            ".other-app.tmp",
        ] {
            fs::write(dir.path().join(name), b"partial").unwrap();
        }
        for name in [".tobira-abandoned.tmp", ".other-app.tmp"] {
            fs::File::options()
                .write(true)
                .open(dir.path().join(name))
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        write(&dir.path().join("a.toml"), b"new", false).unwrap();
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".other-app.tmp", ".tobira-in-progress.tmp", "a.toml"]
        );
    }
}
