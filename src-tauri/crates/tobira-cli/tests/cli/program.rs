//! Running the `tobira` that cargo built for these tests, as IT scripts and
//! CI would: settings in a folder of the test's own, no display.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The program under test.
pub const TOBIRA_BIN: &str = env!("CARGO_BIN_EXE_tobira");

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
/// display.
pub fn tobira_command(config_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(TOBIRA_BIN);
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
    let written = child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes());
    // Refusing bad arguments before reading the input is fine.
    if let Err(e) = written {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "tobira reads its input"
        );
    }
    child.wait_with_output().expect("tobira ends").into()
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
