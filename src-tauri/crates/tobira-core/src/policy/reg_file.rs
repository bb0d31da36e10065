//! A `regedit` export (`.reg`): what Group Policy will write under
//! `SOFTWARE\Policies\Tobira`, read into one [`StoreReading`] per hive so
//! it can be checked on any OS.

use std::collections::BTreeMap;

pub use super::definition::WINDOWS_LOCKED_KEY as POLICY_KEY;
use super::definition::WINDOWS_RECOMMENDED_KEY;
use super::store::{Naming, StoreEntry, StoreReading, StoreValue};

/// The subkey of the recommended values; the key itself holds the locked ones.
fn recommended_subkey() -> &'static str {
    WINDOWS_RECOMMENDED_KEY
        .rsplit('\\')
        .next()
        .unwrap_or(WINDOWS_RECOMMENDED_KEY)
}

/// The hives Tobira reads, highest priority first.
pub const HIVES: [&str; 2] = ["HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER"];

/// A file that is not a regedit export at all.
#[derive(Debug, PartialEq, Eq)]
pub struct NotAnExport {
    pub line: usize,
    pub message: String,
}

/// The text of an export: UTF-16LE with its BOM, as regedit writes it, or
/// UTF-8.
pub fn decode(bytes: &[u8]) -> Result<String, NotAnExport> {
    let not_text = |message: &str| NotAnExport {
        line: 1,
        message: message.into(),
    };
    if let Some(utf16) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        if utf16.len() % 2 != 0 {
            return Err(not_text(
                "the UTF-16 text is cut off; export the key again with regedit",
            ));
        }
        let units = utf16
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]));
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| {
                not_text("the file is not UTF-16 text; export the key again with regedit")
            });
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec())
        .map_err(|_| not_text("the file is neither UTF-16 (as regedit writes it) nor UTF-8; export the key again with regedit"))
}

/// Every hive's Tobira key in `text`, highest priority first. Keys outside
/// `SOFTWARE\Policies\Tobira` are other software's and are skipped.
pub fn read(text: &str) -> Result<Vec<(&'static str, StoreReading)>, NotAnExport> {
    let mut lines = logical_lines(text);
    let header = lines.by_ref().find(|(_, line)| !line.trim().is_empty());
    if !header.as_ref().is_some_and(|(_, h)| {
        let h = h.trim();
        h == "Windows Registry Editor Version 5.00" || h == "REGEDIT4"
    }) {
        return Err(NotAnExport {
            line: header.map_or(1, |(n, _)| n),
            message: "not a regedit export: the first line must be `Windows Registry Editor Version 5.00`; export the key with regedit (File → Export)".into(),
        });
    }
    // Per hive: subkey path under the policy key (lower case, as the
    // registry compares names) → its values.
    let mut hives: BTreeMap<&'static str, Tree> = BTreeMap::new();
    let mut problems: BTreeMap<&'static str, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<(&'static str, Vec<String>, String)> = None;
    for (number, line) in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        if let Some(inner) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let (deleted, path) = match inner.strip_prefix('-') {
                Some(path) => (true, path),
                None => (false, inner),
            };
            current = policy_subkey(path).map(|(hive, subkey)| (hive, subkey, path.to_owned()));
            if let (true, Some((hive, _, path))) = (deleted, &current) {
                problems.entry(hive).or_default().push((
                    format!("[-{path}]"),
                    format!("line {number}: a deletion; Tobira ignores it (Group Policy removes values itself)"),
                ));
                current = None;
            } else if let Some((hive, subkey, _)) = &current {
                hives
                    .entry(hive)
                    .or_default()
                    .entry(subkey.clone())
                    .or_default();
            }
            continue;
        }
        let Some((hive, subkey, path)) = &current else {
            continue;
        };
        let place = |name: &str| format!("{path}\\{name}");
        match value_line(line) {
            Ok((name, Entry::Value(value))) => {
                hives
                    .entry(hive)
                    .or_default()
                    .entry(subkey.clone())
                    .or_default()
                    .push((name, value));
            }
            Ok((name, Entry::Deleted)) => problems.entry(hive).or_default().push((
                place(&name),
                format!("line {number}: `\"{name}\"=-` deletes the value; Tobira ignores it"),
            )),
            Err(message) => problems
                .entry(hive)
                .or_default()
                .push((path.clone(), format!("line {number}: {message}"))),
        }
    }
    if hives.is_empty() && problems.is_empty() {
        return Err(NotAnExport {
            line: 1,
            message: format!("no key {POLICY_KEY} in the export; export HKEY_LOCAL_MACHINE\\{POLICY_KEY} with regedit"),
        });
    }
    Ok(HIVES
        .into_iter()
        .filter_map(|hive| {
            let (tree, problems) = (hives.remove(hive), problems.remove(hive));
            if tree.is_none() && problems.is_none() {
                return None;
            }
            let mut reading =
                reading_of(tree.unwrap_or_default(), &format!("{hive}\\{POLICY_KEY}"));
            reading.problems = problems.unwrap_or_default();
            Some((hive, reading))
        })
        .collect())
}

/// The keys of one hive's policy: subkey path (lower case) → values.
pub type Tree = BTreeMap<Vec<String>, Vec<(String, StoreValue)>>;

/// The policy key's tree as locked values (the key and its subkeys) and
/// recommended ones (the `Recommended` subkey and its subkeys); `root`
/// names the key in messages ("" for names relative to it).
pub fn reading_of(tree: Tree, root: &str) -> StoreReading {
    let layer = |path: &[String], place: &str| -> Vec<StoreEntry> {
        table(&tree, path)
            .into_iter()
            .map(|(name, value)| StoreEntry {
                at: Naming::Registry.child(place, &name),
                name,
                value,
            })
            .collect()
    };
    let recommended = recommended_subkey();
    let mut reading = StoreReading::new(Naming::Registry);
    reading.locked = layer(&[], root);
    reading
        .locked
        .retain(|e| !e.name.eq_ignore_ascii_case(recommended));
    reading.recommended = layer(
        &[recommended.to_ascii_lowercase()],
        &Naming::Registry.child(root, recommended),
    );
    reading
}

/// The values of the key at `path`, then its subkeys as tables.
fn table(tree: &Tree, path: &[String]) -> Vec<(String, StoreValue)> {
    let mut values = tree.get(path).cloned().unwrap_or_default();
    let children = tree
        .keys()
        .filter(|k| k.len() == path.len() + 1 && k.starts_with(path))
        .map(|k| k[path.len()].clone());
    for child in children {
        let mut sub = path.to_vec();
        sub.push(child.clone());
        values.push((child, StoreValue::Table(table(tree, &sub))));
    }
    values
}

/// The hive and the subkey path under the policy key of a key path, if it
/// is Tobira's.
fn policy_subkey(path: &str) -> Option<(&'static str, Vec<String>)> {
    let (hive, rest) = path.split_once('\\')?;
    let hive = match hive.to_ascii_uppercase().as_str() {
        "HKEY_LOCAL_MACHINE" | "HKLM" => HIVES[0],
        "HKEY_CURRENT_USER" | "HKCU" => HIVES[1],
        _ => return None,
    };
    let rest = rest.to_ascii_lowercase();
    let policy = POLICY_KEY.to_ascii_lowercase();
    let below = rest.strip_prefix(&policy)?;
    if !(below.is_empty() || below.starts_with('\\')) {
        return None;
    }
    Some((
        hive,
        below
            .split('\\')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    ))
}

/// Lines with regedit's `\` continuations joined, each with the number of
/// its first line.
fn logical_lines(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let mut physical = text.lines().enumerate();
    std::iter::from_fn(move || {
        let (index, first) = physical.next()?;
        let mut line = first.trim_end().to_owned();
        // Only hex data is split, but a line ending in `\` is never whole.
        while line.ends_with('\\') {
            line.pop();
            match physical.next() {
                Some((_, next)) => line.push_str(next.trim()),
                None => break,
            }
        }
        Some((index + 1, line))
    })
}

enum Entry {
    Value(StoreValue),
    Deleted,
}

/// `"name"=…` (names lower-cased: the registry ignores case).
fn value_line(line: &str) -> Result<(String, Entry), String> {
    let (name, rest) = if let Some(rest) = line.strip_prefix('@') {
        ("@".to_owned(), rest)
    } else {
        quoted(line).ok_or_else(|| {
            format!("cannot read `{line}`; a value line looks like \"site\"=\"example.cybozu.com\"")
        })?
    };
    let data = rest
        .trim_start()
        .strip_prefix('=')
        .ok_or_else(|| format!("`{line}` has no `=`"))?
        .trim();
    let name = name.to_ascii_lowercase();
    if data == "-" {
        return Ok((name, Entry::Deleted));
    }
    let value = if data.starts_with('"') {
        let (text, after) =
            quoted(data).ok_or_else(|| format!("the string of `{name}` is not closed"))?;
        if !after.trim().is_empty() {
            return Err(format!("text after the string of `{name}`"));
        }
        StoreValue::Text(text)
    } else if let Some(hex) = data.strip_prefix("dword:") {
        let number = u32::from_str_radix(hex.trim(), 16)
            .map_err(|_| format!("`{name}`: dword:{hex} is not 8 hex digits"))?;
        StoreValue::Number(u64::from(number))
    } else {
        let kind = data.split(':').next().unwrap_or(data);
        let described = match kind {
            "hex(2)" => "REG_EXPAND_SZ (hex(2))".to_owned(),
            "hex(7)" => "REG_MULTI_SZ (hex(7))".to_owned(),
            "hex(b)" => "REG_QWORD (hex(b))".to_owned(),
            "hex" => "REG_BINARY (hex)".to_owned(),
            other => format!("`{other}`"),
        };
        StoreValue::Unsupported(format!("{described}, a kind Tobira does not read"))
    };
    Ok((name, Entry::Value(value)))
}

/// A `"…"` string at the start of `text` with regedit's `\\` and `\"`
/// escapes undone, and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &body[i + 1..])),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As regedit writes it: UTF-16LE with a BOM, CRLF.
    pub fn utf16(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.replace('\n', "\r\n").encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        bytes
    }

    const EXPORT: &str = r#"Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira]
"site"="example.cybozu.com"
"Autostart"=dword:00000001
"bookmarks"="[{\"name\": \"Expenses\", \"url\": \"/k/45/\"}]"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\hidden_flows]
"2"="guest-space-join"
"1"="trial-signup"

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Tobira\Recommended]
"language"="ja"
"guide_dirs"=hex(7):43,00,00,00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Other]
"site"="ignored"

[HKEY_CURRENT_USER\SOFTWARE\Policies\Tobira]
"helpdesk_name"=-
"keep_in_tray"=dword:00000000
"#;

    #[test]
    fn reads_both_hives_from_utf16_and_utf8() {
        let entries = |layer: &[StoreEntry]| -> Vec<(String, StoreValue)> {
            layer
                .iter()
                .map(|e| (e.at.clone(), e.value.clone()))
                .collect()
        };
        let at = |name: &str| format!(r"HKEY_LOCAL_MACHINE\{POLICY_KEY}\{name}");
        for bytes in [utf16(EXPORT), EXPORT.as_bytes().to_vec()] {
            let text = decode(&bytes).unwrap();
            let read = read(&text).unwrap();
            let hives: Vec<&str> = read.iter().map(|(h, _)| *h).collect();
            assert_eq!(hives, HIVES);
            let machine = &read[0].1;
            let flows = StoreValue::Table(vec![
                ("2".into(), StoreValue::Text("guest-space-join".into())),
                ("1".into(), StoreValue::Text("trial-signup".into())),
            ]);
            let bookmarks = r#"[{"name": "Expenses", "url": "/k/45/"}]"#;
            assert_eq!(
                entries(&machine.locked),
                [
                    (at("site"), StoreValue::Text("example.cybozu.com".into())),
                    (at("autostart"), StoreValue::Number(1)),
                    (at("bookmarks"), StoreValue::Text(bookmarks.into())),
                    (at("hidden_flows"), flows),
                ]
            );
            let recommended = entries(&machine.recommended);
            assert_eq!(
                recommended[0],
                (at(r"Recommended\language"), StoreValue::Text("ja".into()))
            );
            assert!(
                matches!(&recommended[1].1, StoreValue::Unsupported(kind) if kind.contains("REG_MULTI_SZ")),
                "{recommended:?}"
            );
            let user = &read[1].1;
            assert_eq!(entries(&user.locked)[0].1, StoreValue::Number(0));
            assert!(
                user.problems[0].1.contains("deletes the value"),
                "{:?}",
                user.problems
            );
        }
    }

    #[test]
    fn continuations_escapes_and_bad_files() {
        let text = "REGEDIT4\n[HKLM\\SOFTWARE\\Policies\\Tobira]\n\"guide_dirs\"=hex(7):43,00,\\\n  00,00\n\"site\"=\"a\\\\b \\\"c\\\"\"\n";
        let read = read(text).unwrap();
        assert_eq!(
            read[0].1.locked[1].value,
            StoreValue::Text(r#"a\b "c""#.into())
        );
        assert_eq!(read[0].1.locked.len(), 2);
        assert!(read_err("site=1")
            .message
            .contains("Windows Registry Editor Version 5.00"));
        assert!(read_err(
            "Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]\n"
        )
        .message
        .contains("no key"));
        assert!(decode(&[0xFF, 0xFE, 0x41]).is_err());
        assert!(decode(b"\xff\x00").is_err());
    }

    fn read_err(text: &str) -> NotAnExport {
        read(text).unwrap_err()
    }
}
