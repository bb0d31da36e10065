//! The JSON Schema (draft 2020-12) of `policy.toml`, for editors that check
//! TOML against a schema (Taplo, Even Better TOML).

use serde_json::{json, Value};
use tobira_core::policy::definition::{Field, PolicyKey, ValueKind, LAYERS, POLICY_KEYS};

use crate::{example, sorted_json};

pub fn schema() -> String {
    let layer = |description: &str| {
        json!({
            "type": "object",
            "description": description,
            "additionalProperties": false,
            "properties": POLICY_KEYS
                .iter()
                .map(|key| (key.name.to_owned(), property(key)))
                .collect::<serde_json::Map<_, _>>(),
        })
    };
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": crate::GENERATED_NOTE,
        "title": "Tobira policy (policy.toml)",
        "description": format!("The settings an organisation sets for every user of Tobira. {}", LAYERS.en),
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "recommended": layer("Starting values; users may change them."),
            "locked": layer("Values users cannot change."),
        },
    });
    let mut text = serde_json::to_string_pretty(&sorted_json(schema)).expect("JSON");
    text.push('\n');
    text
}

fn property(key: &PolicyKey) -> Value {
    let mut property = match key.kind {
        ValueKind::Text => json!({ "type": "string" }),
        ValueKind::Choice(choices) => {
            json!({ "type": "string", "enum": choices.iter().map(|c| c.value).collect::<Vec<_>>() })
        }
        ValueKind::Switch => json!({ "type": "boolean" }),
        ValueKind::TextList => json!({ "type": "array", "items": { "type": "string" } }),
        ValueKind::Table(fields) => table(fields, false),
        // A bookmark needs both its name and its url; a helpdesk any part.
        ValueKind::TableList(fields) => json!({ "type": "array", "items": table(fields, true) }),
    };
    property["title"] = json!(key.title.en);
    property["description"] = json!(key.explanation.en);
    property["examples"] = json!([example(key.example)]);
    property
}

fn table(fields: &[Field], all_required: bool) -> Value {
    let mut table = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": fields
            .iter()
            .map(|f| (f.name.to_owned(), json!({ "type": "string", "title": f.label.en })))
            .collect::<serde_json::Map<_, _>>(),
    });
    if all_required {
        table["required"] = json!(fields.iter().map(|f| f.name).collect::<Vec<_>>());
    }
    table
}
