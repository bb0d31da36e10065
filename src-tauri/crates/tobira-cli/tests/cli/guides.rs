//! `tobira guides lint` and `tobira guides list`: the bundled guides are
//! clean, mistakes are reported as `path:line:col: message` with exit 1,
//! and the search path is bundled < organisation < user.

use std::fs;
use std::path::Path;

use tobira_tests::workspace_root;

use crate::program::tobira;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn flow(id: &str, title: &str) -> String {
    format!(
        "+++\nid = \"{id}\"\nkind = \"flow\"\ntitle = \"{title}\"\n+++\n## Step {{#one}}\nText.\n"
    )
}

#[test]
fn the_bundled_guides_lint_clean() {
    let config = tempfile::tempdir().unwrap();
    let guides = workspace_root().join("guides");
    let run = tobira(config.path(), &["guides", "lint", guides.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.starts_with("no problems in "), "{}", run.stderr);
    // Without a folder: every folder Tobira reads, the built-in guides too.
    let run = tobira(config.path(), &["guides", "lint", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.json()["files"].as_u64().unwrap() >= 14);
}

#[test]
fn mistakes_are_placed_and_exit_1() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "en/a.md",
        "+++\nid = \"a\"\nkind = \"flow\"\ntitle = \"A\"\n+++\n## One\n[x](cause:no-such)\n",
    );
    write(dir.path(), "ja/a.md", &flow("a", "あ"));
    let run = tobira(
        config.path(),
        &["guides", "lint", dir.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let en = dir.path().join("en/a.md");
    assert!(
        run.stdout
            .contains(&format!("{}:7:1: unknown cause id 'no-such'", en.display())),
        "{}",
        run.stdout
    );
    let run = tobira(
        config.path(),
        &["guides", "lint", "--json", dir.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 1);
    let problems = run.json()["problems"].as_array().unwrap().clone();
    assert!(
        problems
            .iter()
            .any(|p| p["line"] == 6 && p["message"].as_str().unwrap().contains("steps differ")),
        "{problems:?}"
    );
}

#[test]
fn a_folder_without_languages_is_bad_input() {
    let config = tempfile::tempdir().unwrap();
    let guides_ja = workspace_root().join("guides/ja");
    let run = tobira(
        config.path(),
        &["guides", "lint", "--json", guides_ja.to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["error"]["code"], "not-a-guide-folder");
}

#[test]
fn organisation_and_user_guides_replace_bundled_ones_by_id() {
    let config = tempfile::tempdir().unwrap();
    let org = tempfile::tempdir().unwrap();
    write(
        org.path(),
        "en/flows/first-login.md",
        &flow("first-login", "Our way to log in"),
    );
    write(
        org.path(),
        "ja/flows/first-login.md",
        &flow("first-login", "当社のログイン手順"),
    );
    write(
        org.path(),
        "en/flows/expenses.md",
        &flow("expenses", "File an expense"),
    );
    write(
        org.path(),
        "ja/flows/expenses.md",
        &flow("expenses", "経費を申請する"),
    );
    fs::write(
        config.path().join("policy.toml"),
        format!(
            "[locked]\nguide_dirs = [{:?}]\n",
            org.path().to_str().unwrap()
        ),
    )
    .unwrap();
    write(
        &config.path().join("guides"),
        "en/mine.md",
        &flow("expenses", "My expenses guide"),
    );
    write(
        &config.path().join("guides"),
        "en/broken.md",
        "no front matter",
    );

    let run = tobira(config.path(), &["guides", "list", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = run.json();
    let find = |language: &str, id: &str| {
        list[language]["flows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} missing in {language}"))
    };
    assert_eq!(find("en", "first-login")["title"], "Our way to log in");
    assert_eq!(find("en", "first-login")["source"], "organisation");
    assert_eq!(find("en", "expenses")["title"], "My expenses guide");
    assert_eq!(find("en", "expenses")["source"], "user");
    assert_eq!(find("ja", "expenses")["source"], "organisation");
    assert_eq!(find("ja", "guest-space-join")["source"], "bundled");
    let problems = list["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].as_str().unwrap().contains("broken.md:1:1"),
        "{problems:?}"
    );
}

/// The text between the line `opening` and the next line `closing`.
fn fenced<'a>(text: &'a str, opening: &str, closing: &str) -> &'a str {
    let start = text
        .find(&format!("{opening}\n"))
        .expect("the example is in the README")
        + opening.len()
        + 1;
    let end = start
        + text[start..]
            .find(&format!("\n{closing}\n"))
            .expect("the example is closed");
    &text[start..end]
}

#[test]
fn the_examples_in_the_guide_readme_lint_clean() {
    let readme = fs::read_to_string(workspace_root().join("guides/README.md")).unwrap();
    let flow = fenced(&readme, "````markdown", "````");
    let assistant = fenced(&readme, "```toml", "```");
    let dir = tempfile::tempdir().unwrap();
    for language in ["ja", "en"] {
        write(dir.path(), &format!("{language}/expense.md"), flow);
        write(dir.path(), &format!("{language}/assistant.md"), assistant);
    }
    let config = tempfile::tempdir().unwrap();
    let run = tobira(
        config.path(),
        &["guides", "lint", dir.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim(), "no problems in 4 guide files");
}
