//! Prepares what the packages take from `target/bundle-staging/` besides the
//! window: the console `tobira` built for the bundle's profile, its manual
//! pages and shell completions, the manual page of `tobira-window` and the
//! Debian changelog, the last two gzipped from src-tauri/packaging/. `tauri build` runs it as its `beforeBuildCommand`
//! (src-tauri/tauri.conf.json), with `TAURI_ENV_DEBUG=true` under `--debug`,
//! so one configuration serves the debug and the release package.

// The definitions `tobira` parses its arguments with, so the manual and the
// completions cannot drift from the program. The parsed fields are read by
// `tobira` only.
#[allow(dead_code)]
#[path = "../../tobira-cli/src/args.rs"]
mod args;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::CommandFactory;
use clap_complete::Shell;
use flate2::{Compression, GzBuilder};

const CONSOLE_PROGRAM: &str = "tobira";

fn main() -> ExitCode {
    match prepare() {
        Ok(staging) => {
            println!("bundle files ready in {}", staging.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tobira-bundle-files: {e}");
            ExitCode::FAILURE
        }
    }
}

fn prepare() -> io::Result<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let root = root.canonicalize()?;
    let release = std::env::var("TAURI_ENV_DEBUG").as_deref() != Ok("true");
    let staging = root.join("target/bundle-staging");
    // Afresh: a page of a verb since removed must not be packaged.
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;

    let console = build_console_program(&root, release)?;
    let file_name = console
        .file_name()
        .expect("a program's path ends in its name");
    fs::copy(&console, staging.join(file_name))?;
    // The Windows and macOS bundlers take it as an external binary, which
    // they want named after the target (tauri.windows.conf.json,
    // tauri.macos.conf.json); they install it as `tobira` beside the window.
    if let Ok(triple) = std::env::var("TAURI_ENV_TARGET_TRIPLE") {
        let suffixed = format!("{CONSOLE_PROGRAM}-{triple}{}", std::env::consts::EXE_SUFFIX);
        fs::copy(&console, staging.join(suffixed))?;
    }

    let manual = staging.join("man1");
    fs::create_dir_all(&manual)?;
    // As clap_mangen::generate_to: no page for the `help` verb.
    let mut cli = args::Cli::command().disable_help_subcommand(true);
    cli.build();
    write_manual_pages(&cli, &manual)?;
    let packaging = root.join("src-tauri/packaging");
    write_gzip(
        &manual.join("tobira-window.1.gz"),
        &fs::read(packaging.join("tobira-window.1"))?,
    )?;
    write_gzip(
        &staging.join("changelog.gz"),
        &fs::read(packaging.join("changelog"))?,
    )?;

    let completions = staging.join("completions");
    fs::create_dir_all(&completions)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(
            shell,
            &mut args::Cli::command(),
            CONSOLE_PROGRAM,
            &completions,
        )?;
    }
    Ok(staging)
}

/// `tobira.1`, and a page per verb (`tobira-site.1`, `tobira-bookmarks-add.1`,
/// …) that the page above it names in its SUBCOMMANDS section.
fn write_manual_pages(command: &clap::Command, folder: &Path) -> io::Result<()> {
    for verb in command.get_subcommands().filter(|verb| !verb.is_hide_set()) {
        write_manual_pages(verb, folder)?;
    }
    let page = clap_mangen::Man::new(command.clone());
    let mut roff = Vec::new();
    page.render(&mut roff)?;
    write_gzip(&folder.join(format!("{}.gz", page.get_filename())), &roff)
}

/// `cargo build -p tobira-cli` for the profile the package is built in, and
/// the program it made.
fn build_console_program(root: &Path, release: bool) -> io::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build.current_dir(root).args(["build", "-p", "tobira-cli"]);
    if release {
        build.arg("--release");
    }
    // `cargo run` gave this program the variables of its own package
    // (CARGO_PKG_NAME, CARGO_MANIFEST_DIR, …); build scripts watch some of
    // them (ring's does), so passing them on would rebuild half the tree.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || [
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
            ]
            .contains(&&*name)
        {
            build.env_remove(&*name);
        }
    }
    let status = build.status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "cargo build -p tobira-cli: {status}"
        )));
    }
    let profile = if release { "release" } else { "debug" };
    Ok(root
        .join("target")
        .join(profile)
        .join(format!("{CONSOLE_PROGRAM}{}", std::env::consts::EXE_SUFFIX)))
}

/// As `gzip -9n` writes it: the maximum compression (which the header
/// records) and no file name or time stamp, so the file is reproducible.
fn write_gzip(path: &Path, content: &[u8]) -> io::Result<()> {
    let mut gzip = GzBuilder::new().write(fs::File::create(path)?, Compression::best());
    gzip.write_all(content)?;
    gzip.finish()?.sync_all()
}
