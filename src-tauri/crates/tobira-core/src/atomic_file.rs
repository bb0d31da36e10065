//! The one way Tobira writes a file the user would miss: the new content goes
//! to a temporary file in the same directory, is flushed to disk, and then
//! renamed over the old file, so a crash leaves either the old or the new
//! content, never a mix.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
    replace(dir, path, contents)
}

fn replace(dir: &Path, path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut temp = tempfile::Builder::new()
        .prefix(".tobira-")
        .suffix(".tmp")
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
}
