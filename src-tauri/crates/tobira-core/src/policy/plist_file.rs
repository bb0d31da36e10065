//! macOS managed preferences of the domain `dev.tobira.desktop`: the file
//! macOS writes to `/Library/Managed Preferences`, a `.plist` (XML or
//! binary) and a `.mobileconfig` profile that MDM delivers. Top-level keys
//! are locked; a `Recommended` dictionary holds the recommended ones.

use std::io::Cursor;

use plist::{Dictionary, Value};

use super::definition::{MACOS_DOMAIN as DOMAIN, MACOS_RECOMMENDED_KEY as RECOMMENDED};
use super::store::{Naming, StoreEntry, StoreReading, StoreValue};

/// Reads a property list: a profile's Tobira payloads, or a managed
/// preferences dictionary. The error says what to do.
pub fn read(bytes: &[u8]) -> Result<StoreReading, String> {
    let value = Value::from_reader(Cursor::new(bytes)).or_else(|e| {
        // A signed profile is CMS (DER) around the XML plist: read the XML.
        let inside = signed_content(bytes).ok_or_else(|| {
            format!("not a property list ({e}); save the profile or preferences as XML or binary plist")
        })?;
        Value::from_reader(Cursor::new(inside))
            .map_err(|e| format!("the signed profile's content is not a property list ({e}); export the unsigned profile"))
    })?;
    let Value::Dictionary(top) = value else {
        return Err(
            "the property list is not a dictionary; managed preferences are a <dict> of keys"
                .into(),
        );
    };
    let mut reading = StoreReading::new(Naming::Plist);
    match top.get("PayloadContent") {
        Some(Value::Array(payloads)) => {
            for (i, payload) in payloads.iter().enumerate() {
                if let Some(payload) = payload.as_dictionary() {
                    add_payload(&mut reading, payload, &format!("PayloadContent[{i}]"));
                }
            }
            if reading.locked.is_empty() && reading.recommended.is_empty() {
                return Err(format!("the profile has no payload for {DOMAIN}; add a custom settings payload with PayloadType {DOMAIN}"));
            }
        }
        _ => add_preferences(&mut reading, &top, ""),
    }
    Ok(reading)
}

/// A custom settings payload of Tobira's domain, or an MCX payload
/// (`com.apple.ManagedClient.preferences`) whose `Forced` settings are
/// locked and `Set-Once`/`Often` settings recommended.
fn add_payload(reading: &mut StoreReading, payload: &Dictionary, place: &str) {
    match payload.get("PayloadType").and_then(Value::as_string) {
        Some(DOMAIN) => {
            let mut settings = payload.clone();
            settings.retain(|key, _| !key.starts_with("Payload"));
            add_preferences(reading, &settings, place);
        }
        Some("com.apple.ManagedClient.preferences") => {
            let domain = payload
                .get("PayloadContent")
                .and_then(Value::as_dictionary)
                .and_then(|content| content.get(DOMAIN))
                .and_then(Value::as_dictionary);
            let Some(domain) = domain else { return };
            for (how, entries) in domain {
                let settings = entries.as_array().into_iter().flatten().enumerate().filter_map(|(i, e)| {
                    let settings = e.as_dictionary()?.get("mcx_preference_settings")?.as_dictionary()?;
                    Some((format!("{place}.PayloadContent.{DOMAIN}.{how}[{i}].mcx_preference_settings"), settings))
                });
                for (at, settings) in settings {
                    if how == "Forced" {
                        add_preferences(reading, settings, &at);
                    } else {
                        add_layer(&mut reading.recommended, settings, &at);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Managed preferences: top-level keys locked, `Recommended` recommended.
fn add_preferences(reading: &mut StoreReading, preferences: &Dictionary, place: &str) {
    let mut locked = preferences.clone();
    let recommended = locked.remove(RECOMMENDED);
    add_layer(&mut reading.locked, &locked, place);
    match recommended {
        Some(Value::Dictionary(recommended)) => add_layer(
            &mut reading.recommended,
            &recommended,
            &Naming::Plist.child(place, RECOMMENDED),
        ),
        Some(_) => reading.problems.push((
            Naming::Plist.child(place, RECOMMENDED),
            format!("{RECOMMENDED} must be a <dict> of keys"),
        )),
        None => {}
    }
}

/// Adds the values of `dict` to `layer`, each named from `place` (several
/// payloads may add to one layer).
fn add_layer(layer: &mut Vec<StoreEntry>, dict: &Dictionary, place: &str) {
    layer.extend(dict.iter().map(|(key, value)| StoreEntry {
        name: key.clone(),
        at: Naming::Plist.child(place, key),
        value: store_value(value),
    }));
}

fn store_value(value: &Value) -> StoreValue {
    match value {
        Value::String(text) => StoreValue::Text(text.clone()),
        Value::Boolean(flag) => StoreValue::Bool(*flag),
        Value::Integer(n) => n.as_unsigned().map_or_else(
            || StoreValue::Unsupported(format!("the number {n}")),
            StoreValue::Number,
        ),
        Value::Array(items) => StoreValue::List(items.iter().map(store_value).collect()),
        Value::Dictionary(dict) => StoreValue::Table(
            dict.iter()
                .map(|(k, v)| (k.clone(), store_value(v)))
                .collect(),
        ),
        Value::Real(_) => StoreValue::Unsupported("a <real>".into()),
        Value::Date(_) => StoreValue::Unsupported("a <date>".into()),
        Value::Data(_) => StoreValue::Unsupported("<data>".into()),
        _ => StoreValue::Unsupported("a value of another kind".into()),
    }
}

/// The XML plist a CMS signature wraps (DER starts with a SEQUENCE).
fn signed_content(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.first() != Some(&0x30) {
        return None;
    }
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let start = find(b"<?xml")?;
    let end = find(b"</plist>")? + b"</plist>".len();
    (start < end).then(|| &bytes[start..end])
}
