//! The macOS side: managed preferences of the domain `dev.tobira.desktop`,
//! whose top-level keys are locked and whose `Recommended` dictionary holds
//! the recommended ones. A preference manifest in the ProfileManifests
//! ("pfm") format lets profile editors offer the keys; an example profile
//! sets them.

use tobira_core::policy::definition::{
    Field, PolicyKey, ValueKind, LAYERS, MACOS_DOMAIN, MACOS_RECOMMENDED_KEY, POLICY_KEYS,
};

use crate::{example, xml_escape, GENERATED_NOTE};

/// Fixed, so that the example regenerates byte for byte; an MDM gives the
/// profiles it builds their own.
const PROFILE_UUID: &str = "6F1C2B9E-3D4A-4E8B-9A5C-7D2E1F0B3C41";
const PAYLOAD_UUID: &str = "A83E5D27-0C9F-4B16-8E4D-2F7A6C1B9E05";

/// A property list value.
enum Plist {
    String(String),
    Integer(i64),
    Bool(bool),
    Array(Vec<Plist>),
    Dict(Vec<(String, Plist)>),
}

fn string(text: &str) -> Plist {
    Plist::String(text.to_owned())
}

fn dict(entries: Vec<(&str, Plist)>) -> Plist {
    Plist::Dict(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl Plist {
    fn write(&self, depth: usize, out: &mut String) {
        let indent = "\t".repeat(depth);
        match self {
            Plist::String(text) => {
                out.push_str(&format!("{indent}<string>{}</string>\n", xml_escape(text)))
            }
            Plist::Integer(n) => out.push_str(&format!("{indent}<integer>{n}</integer>\n")),
            Plist::Bool(b) => out.push_str(&format!("{indent}<{b}/>\n")),
            Plist::Array(items) => {
                out.push_str(&format!("{indent}<array>\n"));
                items.iter().for_each(|item| item.write(depth + 1, out));
                out.push_str(&format!("{indent}</array>\n"));
            }
            Plist::Dict(entries) => {
                out.push_str(&format!("{indent}<dict>\n"));
                for (key, value) in entries {
                    out.push_str(&format!("{indent}\t<key>{}</key>\n", xml_escape(key)));
                    value.write(depth + 1, out);
                }
                out.push_str(&format!("{indent}</dict>\n"));
            }
        }
    }

    fn document(&self) -> String {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<!-- {GENERATED_NOTE} -->\n<plist version=\"1.0\">\n"
        );
        self.write(0, &mut out);
        out.push_str("</plist>\n");
        out
    }
}

/// A key's example as a property list; tables keep the definition's order
/// of fields.
fn example_plist(value: &toml::Value, fields: &[Field]) -> Plist {
    match value {
        toml::Value::String(text) => string(text),
        toml::Value::Boolean(b) => Plist::Bool(*b),
        toml::Value::Array(items) => {
            Plist::Array(items.iter().map(|v| example_plist(v, fields)).collect())
        }
        toml::Value::Table(table) => dict(
            fields
                .iter()
                .filter_map(|f| {
                    table
                        .get(f.name)
                        .map(|v| (f.name, example_plist(v, fields)))
                })
                .collect(),
        ),
        other => panic!("no policy example is a {}", other.type_str()),
    }
}

fn fields_of(kind: ValueKind) -> &'static [Field] {
    match kind {
        ValueKind::Table(fields) | ValueKind::TableList(fields) => fields,
        _ => &[],
    }
}

/// The manifest's entry for a key, from its kind.
fn pfm_key(policy: &PolicyKey) -> Plist {
    let text_field = |f: &Field| {
        dict(vec![
            ("pfm_name", string(f.name)),
            ("pfm_title", string(f.label.en)),
            ("pfm_type", string("string")),
        ])
    };
    let table = |fields: &[Field]| fields.iter().map(text_field).collect::<Vec<_>>();
    let mut entries = vec![
        ("pfm_description", string(policy.explanation.en)),
        ("pfm_name", string(policy.name)),
        ("pfm_title", string(policy.title.en)),
    ];
    entries.extend(match policy.kind {
        ValueKind::Text => vec![("pfm_type", string("string"))],
        ValueKind::Choice(choices) => vec![
            (
                "pfm_range_list",
                Plist::Array(choices.iter().map(|c| string(c.value)).collect()),
            ),
            (
                "pfm_range_list_titles",
                Plist::Array(choices.iter().map(|c| string(c.label.en)).collect()),
            ),
            ("pfm_type", string("string")),
        ],
        ValueKind::Switch => vec![("pfm_type", string("boolean"))],
        ValueKind::TextList => vec![
            (
                "pfm_subkeys",
                Plist::Array(vec![dict(vec![("pfm_type", string("string"))])]),
            ),
            ("pfm_type", string("array")),
        ],
        ValueKind::Table(fields) => vec![
            ("pfm_subkeys", Plist::Array(table(fields))),
            ("pfm_type", string("dictionary")),
        ],
        ValueKind::TableList(fields) => vec![
            (
                "pfm_subkeys",
                Plist::Array(vec![dict(vec![
                    ("pfm_subkeys", Plist::Array(table(fields))),
                    ("pfm_type", string("dictionary")),
                ])]),
            ),
            ("pfm_type", string("array")),
        ],
    });
    dict(entries)
}

/// The keys every payload has, which profile editors fill in.
fn pfm_payload_keys() -> Vec<Plist> {
    let key = |name: &str, kind: &str, default: Option<Plist>| {
        let mut entries = vec![("pfm_name", string(name)), ("pfm_type", string(kind))];
        entries.extend(default.map(|d| ("pfm_default", d)));
        entries.push(("pfm_require", string("always")));
        dict(entries)
    };
    vec![
        key("PayloadDisplayName", "string", Some(string("Tobira"))),
        key(
            "PayloadIdentifier",
            "string",
            Some(string(&format!("{MACOS_DOMAIN}.policy"))),
        ),
        key("PayloadType", "string", Some(string(MACOS_DOMAIN))),
        key("PayloadUUID", "string", None),
        key("PayloadVersion", "integer", Some(Plist::Integer(1))),
    ]
}

pub fn manifest() -> String {
    let keys = || POLICY_KEYS.iter().map(pfm_key);
    let recommended = dict(vec![
        (
            "pfm_description",
            string(&format!(
                "The keys above, as recommended values. {}",
                LAYERS.en
            )),
        ),
        ("pfm_name", string(MACOS_RECOMMENDED_KEY)),
        ("pfm_subkeys", Plist::Array(keys().collect())),
        ("pfm_title", string("Recommended (users may change)")),
        ("pfm_type", string("dictionary")),
    ]);
    let subkeys = pfm_payload_keys()
        .into_iter()
        .chain(keys())
        .chain([recommended])
        .collect();
    dict(vec![
        (
            "pfm_description",
            string("Settings of Tobira, the desktop companion for kintone. Keys at the top level are locked; the Recommended dictionary holds values users may change."),
        ),
        ("pfm_domain", string(MACOS_DOMAIN)),
        ("pfm_format_version", Plist::Integer(1)),
        ("pfm_platforms", Plist::Array(vec![string("macOS")])),
        ("pfm_subkeys", Plist::Array(subkeys)),
        ("pfm_title", string("Tobira")),
        ("pfm_unique", Plist::Bool(true)),
        ("pfm_version", Plist::Integer(1)),
    ])
    .document()
}

/// A profile setting every key: the users' own preferences (choices and
/// switches) as recommended values, the organisation's data locked.
pub fn example_profile() -> String {
    let value = |policy: &PolicyKey| {
        (
            policy.name,
            example_plist(&example(policy.example), fields_of(policy.kind)),
        )
    };
    let preference =
        |policy: &&PolicyKey| matches!(policy.kind, ValueKind::Choice(_) | ValueKind::Switch);
    let mut payload = vec![
        ("PayloadDisplayName", string("Tobira")),
        (
            "PayloadIdentifier",
            string(&format!("{MACOS_DOMAIN}.policy.example.settings")),
        ),
        ("PayloadType", string(MACOS_DOMAIN)),
        ("PayloadUUID", string(PAYLOAD_UUID)),
        ("PayloadVersion", Plist::Integer(1)),
    ];
    payload.extend(POLICY_KEYS.iter().filter(|p| !preference(p)).map(value));
    payload.push((
        MACOS_RECOMMENDED_KEY,
        dict(POLICY_KEYS.iter().filter(preference).map(value).collect()),
    ));
    dict(vec![
        ("PayloadContent", Plist::Array(vec![dict(payload)])),
        (
            "PayloadDescription",
            string("An example of Tobira's policy: replace the values with your organisation's, then deploy it with your MDM."),
        ),
        ("PayloadDisplayName", string("Tobira policy (example)")),
        ("PayloadIdentifier", string(&format!("{MACOS_DOMAIN}.policy.example"))),
        ("PayloadScope", string("System")),
        ("PayloadType", string("Configuration")),
        ("PayloadUUID", string(PROFILE_UUID)),
        ("PayloadVersion", Plist::Integer(1)),
    ])
    .document()
}
