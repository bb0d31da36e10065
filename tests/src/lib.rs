//! Helpers shared by the tests of the `tobira` command (in `tobira-cli`) and
//! the end-to-end tests of its window.

pub mod axe;
pub mod companion;
pub mod webdriver;
pub mod x11;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Asks `check` again every 100 ms until it answers `Ok`; after 20 s fails
/// with `what` and the last `Err`, which says what there was instead.
pub fn eventually<T>(what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match check() {
            Ok(value) => return value,
            Err(seen) if Instant::now() >= deadline => {
                panic!("timed out waiting until {what}: {seen}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
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

/// The built window program: `$TOBIRA_WINDOW_BIN`, else
/// `target/debug/tobira-window` (honouring `CARGO_TARGET_DIR`). Tests in this
/// package cannot make cargo build another package's binary, so say how
/// when it is missing.
pub fn window_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("TOBIRA_WINDOW_BIN") {
        return PathBuf::from(bin);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let bin = target
        .join("debug")
        .join(format!("tobira-window{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it first with `npm --prefix ui run build && cargo build -p tobira-window`, or set TOBIRA_WINDOW_BIN",
        bin.display()
    );
    bin
}

/// The console program `tobira`, beside the window's.
pub fn tobira_bin() -> PathBuf {
    window_bin().with_file_name(format!("tobira{}", std::env::consts::EXE_SUFFIX))
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

/// [`fake_browser`], and a data folder (for `XDG_DATA_HOME`) in `dir` where
/// it is the desktop's default for web links: with a display,
/// `xdg-open` asks the desktop's default before `$BROWSER`, and a machine
/// with a real browser installed (the companion's tests need Chromium) would
/// otherwise open it.
pub fn fake_default_browser(dir: &Path) -> (PathBuf, PathBuf) {
    let browser = fake_browser(dir);
    let data = dir.join("xdg-data");
    let applications = data.join("applications");
    std::fs::create_dir_all(&applications).expect("the applications folder is made");
    std::fs::write(
        applications.join("tobira-test-browser.desktop"),
        format!(
            "[Desktop Entry]\nType=Application\nName=Test browser\nExec={} %u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
            browser.display()
        ),
    )
    .expect("the desktop entry is written");
    std::fs::write(
        applications.join("mimeapps.list"),
        "[Default Applications]\nx-scheme-handler/http=tobira-test-browser.desktop\nx-scheme-handler/https=tobira-test-browser.desktop\n",
    )
    .expect("mimeapps.list is written");
    (browser, data)
}

/// The URLs the fake browser was asked to open.
pub fn opened(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("opened.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}
