//! Helpers shared by the black-box CLI tests and the end-to-end tests.

pub mod axe;
pub mod fake_kintone;
pub mod webdriver;
pub mod x11;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// [`tobira_command`] without the proxy variables of this machine, then
/// with `env`: the doctor's tests decide which proxy applies.
pub fn tobira_without_proxy(config_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = tobira_command(config_dir, args);
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command
}

/// The window's message catalogue of `language` (`en`, `ja`).
pub fn message_catalog(language: &str) -> serde_json::Map<String, serde_json::Value> {
    let path = workspace_root().join(format!("ui/src/lib/messages/{language}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("{} is not a JSON object: {other:?}", path.display()),
    }
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

/// `tobira ARGS` with its settings in `config_dir`, its policy at
/// `config_dir/policy.toml` (absent unless the test writes it) and no
/// display, as IT scripts and CI would run it.
pub fn tobira_command(config_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(tobira_bin());
    command
        .args(args)
        .env("TOBIRA_CONFIG_DIR", config_dir)
        .env("TOBIRA_POLICY", config_dir.join("policy.toml"))
        .env("LANG", "en_US.UTF-8")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    command
}

pub fn tobira(config_dir: &Path, args: &[&str]) -> Run {
    tobira_command(config_dir, args)
        .output()
        .expect("tobira runs")
        .into()
}

/// Runs tobira with `input` on its standard input.
pub fn tobira_with_stdin(config_dir: &Path, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = tobira_command(config_dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tobira runs");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .expect("tobira reads its input");
    child.wait_with_output().expect("tobira ends").into()
}

/// A script that stands in for the browser: `xdg-open` finds no desktop
/// here and runs `$BROWSER`, which appends each URL to `dir/opened.txt`.
pub fn fake_browser(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let browser = dir.join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            dir.join("opened.txt").display()
        ),
    )
    .expect("the fake browser is written");
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755))
        .expect("the fake browser is executable");
    browser
}

/// The URLs the fake browser was asked to open.
pub fn opened(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("opened.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}
