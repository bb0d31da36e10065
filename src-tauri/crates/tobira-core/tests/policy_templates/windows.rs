//! The Group Policy template, laid out as Chrome's: each key is a policy in
//! the `Tobira` category, which writes under `Software\Policies\Tobira` and
//! locks the value, and again in its `Recommended` subcategory, which writes
//! under `…\Recommended`. Switches are REG_DWORD 0/1; lists are subkeys
//! whose values are named 1, 2, …; the helpdesk is a subkey of text values;
//! the bookmarks are one JSON text.

use tobira_core::language::Language;
use tobira_core::policy::definition::{
    Bilingual, PolicyKey, ValueKind, LAYERS, POLICY_KEYS, WINDOWS_LOCKED_KEY,
    WINDOWS_RECOMMENDED_KEY,
};

use crate::{example, json_text, xml_escape, GENERATED_NOTE};

const NAMESPACE: &str = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";
const CATEGORY: &str = "tobira";
const RECOMMENDED_CATEGORY: &str = "tobira_recommended";
/// The first release that reads these policies.
const SUPPORTED_ON: &str = "SUPPORTED_TOBIRA_0_1";
/// A bookmarks text longer than the default 1023 characters.
const JSON_MAX_LENGTH: usize = 32767;

const CATEGORY_NAME: Bilingual = Bilingual {
    en: "Tobira",
    ja: "Tobira",
};
const RECOMMENDED_NAME: Bilingual = Bilingual {
    en: "Recommended (users may change)",
    ja: "推奨 (ユーザーが変更可能)",
};
const SUPPORTED_NAME: Bilingual = Bilingual {
    en: "Tobira 0.1 or later",
    ja: "Tobira 0.1 以降",
};
const TEMPLATE_DESCRIPTION: Bilingual = Bilingual {
    en: "Settings of Tobira, the desktop companion for kintone, for every user of a PC.",
    ja: "kintone のデスクトップ コンパニオン Tobira の、PC の全ユーザー向けの設定です。",
};
const WHICH_FOLDER: Bilingual = Bilingual {
    en: "Set in the Tobira folder, the value is locked; set in Tobira > Recommended, it is recommended.",
    ja: "「Tobira」フォルダーで設定した値はロックされ、「Tobira > 推奨」で設定した値は推奨になります。",
};
const WRITE_AS_JSON: Bilingual = Bilingual {
    en: "Write the list as JSON, for example:",
    ja: "一覧は JSON で書きます。例:",
};

pub fn admx() -> String {
    let mut policies = String::new();
    for (suffix, category, key) in [
        ("", CATEGORY, WINDOWS_LOCKED_KEY),
        (
            "_recommended",
            RECOMMENDED_CATEGORY,
            WINDOWS_RECOMMENDED_KEY,
        ),
    ] {
        for policy in POLICY_KEYS {
            policies += &admx_policy(policy, suffix, category, key);
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<!-- {GENERATED_NOTE} -->
<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="{NAMESPACE}">
  <policyNamespaces>
    <target prefix="tobira" namespace="Tobira.Policies.Tobira"/>
  </policyNamespaces>
  <resources minRequiredRevision="1.0"/>
  <supportedOn>
    <definitions>
      <definition name="{SUPPORTED_ON}" displayName="$(string.{SUPPORTED_ON})"/>
    </definitions>
  </supportedOn>
  <categories>
    <category name="{CATEGORY}" displayName="$(string.{CATEGORY})"/>
    <category name="{RECOMMENDED_CATEGORY}" displayName="$(string.{RECOMMENDED_CATEGORY})">
      <parentCategory ref="{CATEGORY}"/>
    </category>
  </categories>
  <policies>
{policies}  </policies>
</policyDefinitions>
"#
    )
}

/// One policy; the locked and the recommended one share their strings and
/// presentation.
fn admx_policy(policy: &PolicyKey, suffix: &str, category: &str, key: &str) -> String {
    let name = policy.name;
    let key = xml_escape(key);
    let subkey = format!(r"{key}\{name}");
    let (value_name, presentation) = match policy.kind {
        ValueKind::Switch => (format!(r#" valueName="{name}""#), String::new()),
        _ => (
            String::new(),
            format!(r#" presentation="$(presentation.{name})""#),
        ),
    };
    let values = match policy.kind {
        ValueKind::Switch => "      <enabledValue><decimal value=\"1\"/></enabledValue>\n      <disabledValue><decimal value=\"0\"/></disabledValue>\n".to_owned(),
        ValueKind::Text => elements(&format!(r#"<text id="{name}" valueName="{name}" required="true"/>"#)),
        ValueKind::Choice(choices) => {
            let items: String = choices
                .iter()
                .map(|c| {
                    format!(
                        "          <item displayName=\"$(string.{name}_{value})\"><value><string>{value}</string></value></item>\n",
                        value = c.value
                    )
                })
                .collect();
            elements(&format!(
                "<enum id=\"{name}\" valueName=\"{name}\" required=\"true\">\n{items}        </enum>"
            ))
        }
        ValueKind::TextList => elements(&format!(r#"<list id="{name}" key="{subkey}" valuePrefix=""/>"#)),
        ValueKind::Table(fields) => elements(
            &fields
                .iter()
                .map(|f| format!(r#"<text id="{name}_{field}" key="{subkey}" valueName="{field}"/>"#, field = f.name))
                .collect::<Vec<_>>()
                .join("\n        "),
        ),
        ValueKind::TableList(_) => elements(&format!(
            r#"<text id="{name}" valueName="{name}" required="true" maxLength="{JSON_MAX_LENGTH}"/>"#
        )),
    };
    format!(
        r#"    <policy name="{name}{suffix}" class="Both" displayName="$(string.{name})" explainText="$(string.{name}_Explain)"{presentation} key="{key}"{value_name}>
      <parentCategory ref="{category}"/>
      <supportedOn ref="{SUPPORTED_ON}"/>
{values}    </policy>
"#
    )
}

fn elements(inner: &str) -> String {
    format!("      <elements>\n        {inner}\n      </elements>\n")
}

pub fn adml(language: Language) -> String {
    let text = |b: Bilingual| xml_escape(b.text(language));
    let mut strings = vec![
        (CATEGORY.to_owned(), text(CATEGORY_NAME)),
        (RECOMMENDED_CATEGORY.to_owned(), text(RECOMMENDED_NAME)),
        (SUPPORTED_ON.to_owned(), text(SUPPORTED_NAME)),
    ];
    let mut presentations = String::new();
    for policy in POLICY_KEYS {
        let name = policy.name;
        let title = text(policy.title);
        strings.push((name.to_owned(), title.clone()));
        strings.push((
            format!("{name}_Explain"),
            xml_escape(&explain(policy, language)),
        ));
        let controls = match policy.kind {
            ValueKind::Switch => continue,
            ValueKind::Text => text_box(name, &title),
            ValueKind::Choice(choices) => {
                for choice in choices {
                    strings.push((format!("{name}_{}", choice.value), text(choice.label)));
                }
                format!(r#"<dropdownList refId="{name}" noSort="true">{title}</dropdownList>"#)
            }
            ValueKind::TextList => format!(r#"<listBox refId="{name}">{title}</listBox>"#),
            ValueKind::Table(fields) => fields
                .iter()
                .map(|f| text_box(&format!("{name}_{}", f.name), &text(f.label)))
                .collect::<Vec<_>>()
                .join("\n        "),
            ValueKind::TableList(_) => text_box(name, &format!("{title} (JSON)")),
        };
        presentations += &format!(
            "      <presentation id=\"{name}\">\n        {controls}\n      </presentation>\n"
        );
    }
    let strings: String = strings
        .iter()
        .map(|(id, value)| format!("      <string id=\"{id}\">{value}</string>\n"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<!-- {GENERATED_NOTE} -->
<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="{NAMESPACE}">
  <displayName>{name}</displayName>
  <description>{description}</description>
  <resources>
    <stringTable>
{strings}    </stringTable>
    <presentationTable>
{presentations}    </presentationTable>
  </resources>
</policyDefinitionResources>
"#,
        name = text(CATEGORY_NAME),
        description = text(TEMPLATE_DESCRIPTION),
    )
}

fn text_box(id: &str, label: &str) -> String {
    format!(r#"<textBox refId="{id}"><label>{label}</label></textBox>"#)
}

/// The explanation, how to write the value here when Windows has no list of
/// tables, and what the two folders mean.
fn explain(policy: &PolicyKey, language: Language) -> String {
    let mut paragraphs = vec![policy.explanation.text(language).to_owned()];
    if let ValueKind::TableList(_) = policy.kind {
        paragraphs.push(format!(
            "{} {}",
            WRITE_AS_JSON.text(language),
            json_text(&example(policy.example))
        ));
    }
    // Japanese runs its sentences together.
    let space = if language == Language::Ja { "" } else { " " };
    paragraphs.push(format!(
        "{}{space}{}",
        LAYERS.text(language),
        WHICH_FOLDER.text(language)
    ));
    paragraphs.join("\n\n")
}
