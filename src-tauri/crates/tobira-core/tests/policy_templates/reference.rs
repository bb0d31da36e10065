//! The policy reference in `docs/managed-install.md`: one table row per key,
//! between the marker comments, with how it is written in `policy.toml`, in
//! the Windows registry and in the macOS managed preferences.

use tobira_core::policy::definition::{
    Field, PolicyKey, ValueKind, MACOS_DOMAIN, MACOS_RECOMMENDED_KEY, POLICY_KEYS,
    WINDOWS_LOCKED_KEY, WINDOWS_RECOMMENDED_KEY,
};

use crate::GENERATED_NOTE;

const START: &str = "<!-- policy-reference:start -->";
const END: &str = "<!-- policy-reference:end -->";

/// `guide` with the text between the markers replaced by the reference.
pub fn with_reference(guide: &str) -> String {
    let (before, rest) = guide
        .split_once(START)
        .unwrap_or_else(|| panic!("docs/managed-install.md lacks {START}"));
    let (_, after) = rest
        .split_once(END)
        .unwrap_or_else(|| panic!("docs/managed-install.md lacks {END}"));
    format!("{before}{START}\n{}{END}{after}", reference())
}

fn reference() -> String {
    let rows: String = POLICY_KEYS.iter().map(row).collect();
    format!(
        "<!-- {GENERATED_NOTE} -->

Locked values are read from `HKLM\\{WINDOWS_LOCKED_KEY}` on Windows (then `HKCU`, which yields
to it) and from the top level of the managed preferences `{MACOS_DOMAIN}` on macOS; recommended
values from `HKLM\\{WINDOWS_RECOMMENDED_KEY}` and from the `{MACOS_RECOMMENDED_KEY}` dictionary.
Registry value names and macOS keys are the keys of `policy.toml`.

| key | in `policy.toml` | Windows registry | macOS | what it does |
|---|---|---|---|---|
{rows}",
    )
}

fn row(key: &PolicyKey) -> String {
    let name = key.name;
    let names = |fields: &[Field]| {
        fields
            .iter()
            .map(|f| format!("`{}`", f.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (toml, windows, macos) = match key.kind {
        ValueKind::Text => (
            "string".to_owned(),
            format!("`{name}` (REG_SZ)"),
            "string".to_owned(),
        ),
        ValueKind::Choice(choices) => {
            let values = choices
                .iter()
                .map(|c| format!("`\"{}\"`", c.value))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("one of {values}"),
                format!("`{name}` (REG_SZ)"),
                "string".to_owned(),
            )
        }
        ValueKind::Switch => (
            "`true` or `false`".to_owned(),
            format!("`{name}` (REG_DWORD `1` or `0`)"),
            "boolean".to_owned(),
        ),
        ValueKind::TextList => (
            "list of strings".to_owned(),
            format!("subkey `{name}`, values `1`, `2`, … (REG_SZ)"),
            "array of strings".to_owned(),
        ),
        ValueKind::Table(fields) => (
            format!("table: {}", names(fields)),
            format!("subkey `{name}`, values {} (REG_SZ)", names(fields)),
            format!("dictionary: {}", names(fields)),
        ),
        ValueKind::TableList(fields) => (
            format!("list of tables: {}", names(fields)),
            format!(
                "`{name}` (REG_SZ): a JSON array of objects with {}",
                names(fields)
            ),
            format!("array of dictionaries: {}", names(fields)),
        ),
    };
    format!(
        "| `{name}` | {toml} | {windows} | {macos} | {} |\n",
        key.explanation.en.replace('|', "\\|")
    )
}
