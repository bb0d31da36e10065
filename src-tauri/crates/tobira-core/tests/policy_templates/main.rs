//! The policy templates IT staff use, generated from
//! `tobira_core::policy::definition`: the JSON Schema of `policy.toml`, the
//! Windows ADMX with its en-US and ja-JP ADML, the macOS preference manifest
//! and an example profile (all under `packaging/policy/`), and the policy
//! reference in `docs/managed-install.md`.
//!
//! With `TOBIRA_POLICY_EXPORT_DIR` set, `export_templates` writes them there
//! (`scripts/gen-policy.sh` copies them into the tree, or with `--check`
//! compares); without it, the test fails when a committed file is stale.

mod apple;
mod reference;
mod schema;
mod windows;

use std::fs;
use std::path::{Path, PathBuf};

use regex::Regex;
use tobira_core::language::Language;
use tobira_core::policy::definition::{
    ValueKind, POLICY_KEYS, WINDOWS_LOCKED_KEY, WINDOWS_RECOMMENDED_KEY,
};

const SCHEMA: &str = "packaging/policy/tobira.schema.json";
const ADMX: &str = "packaging/policy/windows/Tobira.admx";
const ADML_EN: &str = "packaging/policy/windows/en-US/Tobira.adml";
const ADML_JA: &str = "packaging/policy/windows/ja-JP/Tobira.adml";
const MANIFEST: &str = "packaging/policy/macos/dev.tobira.desktop.plist";
const PROFILE: &str = "packaging/policy/macos/Tobira.mobileconfig";
const GUIDE: &str = "docs/managed-install.md";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn read(path: &str) -> String {
    let full = repo_root().join(path);
    fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Every generated file: its path from the repository's root and its text.
fn templates() -> Vec<(&'static str, String)> {
    vec![
        (SCHEMA, schema::schema()),
        (ADMX, windows::admx()),
        (ADML_EN, windows::adml(Language::En)),
        (ADML_JA, windows::adml(Language::Ja)),
        (MANIFEST, apple::manifest()),
        (PROFILE, apple::example_profile()),
        (GUIDE, reference::with_reference(&read(GUIDE))),
    ]
}

#[test]
fn export_templates() {
    match std::env::var_os("TOBIRA_POLICY_EXPORT_DIR") {
        Some(dir) => {
            for (path, text) in templates() {
                let target = Path::new(&dir).join(path);
                fs::create_dir_all(target.parent().expect("a file in a folder")).unwrap();
                fs::write(&target, text).unwrap();
            }
        }
        None => {
            let stale: Vec<&str> = templates()
                .into_iter()
                .filter(|(path, text)| {
                    fs::read_to_string(repo_root().join(path)).ok().as_ref() != Some(text)
                })
                .map(|(path, _)| path)
                .collect();
            assert!(
                stale.is_empty(),
                "{stale:?} do not match policy/definition.rs; run: bash scripts/gen-policy.sh"
            );
        }
    }
}

/// Said in every generated file.
const GENERATED_NOTE: &str = "Generated from src-tauri/crates/tobira-core/src/policy/definition.rs by scripts/gen-policy.sh; do not edit.";

/// Characters XML gives a meaning, as entities.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The value of a key's example.
fn example(example: &str) -> toml::Value {
    let mut table: toml::Table =
        toml::from_str(&format!("value = {example}")).expect("the definition's tests parse it");
    table.remove("value").expect("the value just written")
}

/// `value` with every object's keys in order, the same whether or not
/// another crate in the build makes serde_json keep insertion order.
fn sorted_json(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted_json(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted_json).collect())
        }
        other => other,
    }
}

/// An example as one line of JSON.
fn json_text(value: &toml::Value) -> String {
    let json = serde_json::to_value(value).expect("TOML values are JSON values");
    serde_json::to_string(&sorted_json(json)).expect("JSON")
}

/// The committed files name every key where each reader of them looks.
#[test]
fn every_key_is_in_the_admx_the_admls_the_schema_and_the_manifest() {
    let admx = read(ADMX);
    let policy_re = Regex::new(r#"(?s)<policy ([^>]*)>(.*?)</policy>"#).unwrap();
    let attribute = |text: &str, name: &str| -> Option<String> {
        Regex::new(&format!(r#"\b{name}="([^"]*)""#))
            .unwrap()
            .captures(text)
            .map(|c| c[1].to_owned())
    };
    let policies: Vec<(String, String)> = policy_re
        .captures_iter(&admx)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    let schema: serde_json::Value = serde_json::from_str(&read(SCHEMA)).unwrap();
    let manifest = read(MANIFEST);
    let pfm_names: Vec<String> = Regex::new(r"<key>pfm_name</key>\s*<string>([^<]*)</string>")
        .unwrap()
        .captures_iter(&manifest)
        .map(|c| c[1].to_owned())
        .collect();

    for key in POLICY_KEYS {
        let name = key.name;
        for (policy_name, base) in [
            (name.to_owned(), WINDOWS_LOCKED_KEY),
            (format!("{name}_recommended"), WINDOWS_RECOMMENDED_KEY),
        ] {
            let (attributes, body) = policies
                .iter()
                .find(|(attributes, _)| {
                    attribute(attributes, "name").as_deref() == Some(&policy_name)
                })
                .unwrap_or_else(|| panic!("{ADMX} has no policy {policy_name}"));
            assert_eq!(
                attribute(attributes, "key").as_deref(),
                Some(base),
                "{policy_name}"
            );
            let subkey = format!(r"{base}\{name}");
            let found = match key.kind {
                ValueKind::Switch => attribute(attributes, "valueName").as_deref() == Some(name),
                ValueKind::Text | ValueKind::Choice(_) | ValueKind::TableList(_) => {
                    attribute(body, "valueName").as_deref() == Some(name)
                }
                ValueKind::TextList => {
                    body.contains("<list ") && attribute(body, "key").as_deref() == Some(&subkey)
                }
                ValueKind::Table(fields) => fields.iter().all(|f| {
                    body.contains(&format!(
                        r#"key="{}" valueName="{}""#,
                        xml_escape(&subkey),
                        f.name
                    ))
                }),
            };
            assert!(
                found,
                "{ADMX}: the policy {policy_name} does not write {name} where the readers look"
            );
        }
        for adml in [ADML_EN, ADML_JA] {
            let text = read(adml);
            for id in [name.to_owned(), format!("{name}_Explain")] {
                assert!(
                    text.contains(&format!(r#"<string id="{id}">"#)),
                    "{adml} lacks the string {id}"
                );
            }
            let presented = matches!(key.kind, ValueKind::Switch)
                || text.contains(&format!(r#"<presentation id="{name}">"#));
            assert!(presented, "{adml} lacks the presentation of {name}");
        }
        for layer in ["recommended", "locked"] {
            let property = schema
                .pointer(&format!("/properties/{layer}/properties/{name}"))
                .and_then(|p| p.get("description"));
            assert!(
                property.is_some(),
                "{SCHEMA} lacks {layer}.{name} with its description"
            );
        }
        // Once at the top (locked), once in the Recommended dictionary.
        let listed = pfm_names.iter().filter(|n| *n == name).count();
        assert!(
            listed >= 2,
            "{MANIFEST} names {name} {listed} times, not at the top and in Recommended"
        );
    }
}
