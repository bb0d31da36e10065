//! Helpers shared by the black-box CLI tests and the end-to-end tests.

pub mod webdriver;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The built `tobira` binary: `$TOBIRA_BIN`, else `target/debug/tobira`
/// (honouring `CARGO_TARGET_DIR`). Tests in another package cannot make
/// cargo build it, so say how when it is missing.
pub fn tobira_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("TOBIRA_BIN") {
        return PathBuf::from(bin);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let bin = target
        .join("debug")
        .join(format!("tobira{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it first with `npm --prefix ui run build && cargo build -p tobira`, or set TOBIRA_BIN",
        bin.display()
    );
    bin
}

/// The outcome of one CLI run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs `tobira ARGS` with its settings in `config_dir` and no display, as
/// IT scripts and CI would.
pub fn tobira(config_dir: &std::path::Path, args: &[&str]) -> Run {
    Command::new(tobira_bin())
        .args(args)
        .env("TOBIRA_CONFIG_DIR", config_dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("tobira runs")
        .into()
}
