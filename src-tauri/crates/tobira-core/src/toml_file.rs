//! A TOML file the user would miss (settings, walkthrough progress): written
//! atomically with one backup; a file that cannot be read is moved aside
//! under a timestamped name and the backup put back, never silently
//! overwritten.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::atomic_file;
use crate::position::line_column;

/// Why a file could not be read, saved or moved aside; the settings and the
/// progress each wrap it with codes of their own.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {path}: {source}; check its permissions")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot save {path}: {source}; check that the folder exists and you may write to it")]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{path} is damaged and could not be moved aside: {source}; move or delete it yourself"
    )]
    MoveAside {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// What happened when a damaged file was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Recovery {
    /// Where the damaged file now is.
    pub moved_to: PathBuf,
    /// What was wrong with it, with line and column where known.
    pub problem: String,
    /// Whether the previous good version (the backup) was put back.
    pub restored_backup: bool,
}

#[derive(Debug, Clone)]
pub struct TomlFile {
    path: PathBuf,
    /// A comment written at the top of the file for people who open it.
    header: &'static str,
}

impl TomlFile {
    pub fn new(path: PathBuf, header: &'static str) -> TomlFile {
        TomlFile { path, header }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file. A missing file gives the default. A damaged file is
    /// moved aside and the backup, if it is good, is put back.
    pub fn load<T: DeserializeOwned + Default>(&self) -> Result<(T, Option<Recovery>), FileError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((T::default(), None)),
            Err(source) => {
                return Err(FileError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        let problem = match decode(&bytes) {
            Ok(value) => return Ok((value, None)),
            Err(problem) => problem,
        };
        let moved_to = self.move_aside()?;
        let backup = fs::read(atomic_file::backup_path(&self.path)).ok();
        let restored = backup.and_then(|bytes| decode::<T>(&bytes).ok().map(|v| (v, bytes)));
        let restored_backup = restored.is_some();
        let value = match restored {
            Some((value, bytes)) => {
                atomic_file::write(&self.path, &bytes, false).map_err(|source| {
                    FileError::Write {
                        path: self.path.clone(),
                        source,
                    }
                })?;
                value
            }
            None => T::default(),
        };
        let recovery = Recovery {
            moved_to,
            problem,
            restored_backup,
        };
        Ok((value, Some(recovery)))
    }

    pub fn save<T: Serialize>(&self, value: &T) -> Result<(), FileError> {
        let write_error = |source| FileError::Write {
            path: self.path.clone(),
            source,
        };
        let body = toml::to_string_pretty(value)
            .map_err(|e| write_error(io::Error::new(io::ErrorKind::InvalidData, e)))?;
        let text = format!("{}{body}", self.header);
        atomic_file::write(&self.path, text.as_bytes(), true).map_err(write_error)
    }

    /// Renames the damaged file to `STEM.corrupt-YYYYMMDDTHHMMSSZ.toml`
    /// (with `-2`, `-3`, … if that name is taken).
    fn move_aside(&self) -> Result<PathBuf, FileError> {
        let stamp: String = humantime::format_rfc3339_seconds(SystemTime::now())
            .to_string()
            .chars()
            .filter(|c| !matches!(c, '-' | ':'))
            .collect();
        let stem = self
            .path
            .file_stem()
            .map_or_else(|| "file".into(), |s| s.to_string_lossy().into_owned());
        let mut target = self
            .path
            .with_file_name(format!("{stem}.corrupt-{stamp}.toml"));
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = self
                .path
                .with_file_name(format!("{stem}.corrupt-{stamp}-{n}.toml"));
        }
        fs::rename(&self.path, &target).map_err(|source| FileError::MoveAside {
            path: self.path.clone(),
            source,
        })?;
        Ok(target)
    }
}

/// Parses a TOML file, describing any problem with its line and column.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (bad byte at offset {})",
            e.valid_up_to()
        )
    })?;
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_owned();
        match e.span() {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                format!("line {line}, column {column}: {message}")
            }
            None => message,
        }
    })
}
