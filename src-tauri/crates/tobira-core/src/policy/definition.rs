//! Every policy key, described once: what it holds, what it means in
//! English and Japanese, and a valid example. The JSON Schema of
//! `policy.toml`, the Windows ADMX/ADML templates, the macOS preference
//! manifest and example profile, and the reference in
//! `docs/managed-install.md` are generated from this table
//! (`tests/policy_templates`, run by `scripts/gen-policy.sh`), so a key
//! added here reaches them all, and a test fails when the parser reads a key
//! this table lacks.

use crate::language::Language;

/// The registry key of locked values (under HKLM, else HKCU).
pub const WINDOWS_LOCKED_KEY: &str = r"Software\Policies\Tobira";
/// The registry key of recommended values.
pub const WINDOWS_RECOMMENDED_KEY: &str = r"Software\Policies\Tobira\Recommended";
/// The managed-preferences domain on macOS; its top-level keys are locked.
pub const MACOS_DOMAIN: &str = "dev.tobira.desktop";
/// The dictionary of the macOS domain that holds the recommended keys.
pub const MACOS_RECOMMENDED_KEY: &str = "Recommended";

/// A text in both languages Tobira speaks.
#[derive(Debug, Clone, Copy)]
pub struct Bilingual {
    pub en: &'static str,
    pub ja: &'static str,
}

impl Bilingual {
    pub fn text(&self, language: Language) -> &'static str {
        match language {
            Language::En => self.en,
            Language::Ja => self.ja,
        }
    }
}

/// One allowed value of a [`ValueKind::Choice`].
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    pub value: &'static str,
    pub label: Bilingual,
}

/// One text field of a table ([`ValueKind::Table`], [`ValueKind::TableList`]).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub label: Bilingual,
}

/// What a key holds, which decides its form in every template.
#[derive(Debug, Clone, Copy)]
pub enum ValueKind {
    Text,
    /// One of a few strings.
    Choice(&'static [Choice]),
    Switch,
    TextList,
    /// A table of text fields (a registry subkey, a dictionary on macOS).
    Table(&'static [Field]),
    /// A list of tables of text fields (JSON text in the registry).
    TableList(&'static [Field]),
}

/// One key of `[recommended]` and `[locked]`.
#[derive(Debug, Clone, Copy)]
pub struct PolicyKey {
    pub name: &'static str,
    pub kind: ValueKind,
    /// A few words, for the lists of policy editors.
    pub title: Bilingual,
    pub explanation: Bilingual,
    /// A valid value written as TOML (the definition's test parses it; the
    /// example profile and the schema show it).
    pub example: &'static str,
}

/// Every key, in the order of [`super::PolicyValues`].
pub const POLICY_KEYS: &[PolicyKey] = &[
    PolicyKey {
        name: "site",
        kind: ValueKind::Text,
        title: Bilingual {
            en: "kintone site",
            ja: "kintone のサイト",
        },
        explanation: Bilingual {
            en: "The organisation's kintone site, written as users would type it: a subdomain (example), a host (example.cybozu.com) or a URL. Only kintone addresses are accepted (cybozu.com, kintone.com, cybozu.cn, and the secure-access .s. hosts); look-alike domains are refused. A bare subdomain is read in the region of default_region. Locked, the first-run address screen is skipped.",
            ja: "組織の kintone のサイトです。ユーザーが入力するのと同じ形で、サブドメイン (example)、ホスト名 (example.cybozu.com) または URL を書きます。受け付けるのは kintone のアドレス (cybozu.com、kintone.com、cybozu.cn と、セキュアアクセスの .s. のホスト) だけで、よく似た別のドメインは拒否します。サブドメインだけの値は default_region の地域として読みます。ロックすると、初回起動時のアドレス入力画面は表示されません。",
        },
        example: r#""example.cybozu.com""#,
    },
    PolicyKey {
        name: "default_region",
        kind: ValueKind::Choice(&[
            Choice {
                value: "jp",
                label: Bilingual {
                    en: "Japan (cybozu.com)",
                    ja: "日本 (cybozu.com)",
                },
            },
            Choice {
                value: "us",
                label: Bilingual {
                    en: "United States (kintone.com)",
                    ja: "米国 (kintone.com)",
                },
            },
            Choice {
                value: "cn",
                label: Bilingual {
                    en: "China (cybozu.cn)",
                    ja: "中国 (cybozu.cn)",
                },
            },
        ]),
        title: Bilingual {
            en: "Region of bare subdomains",
            ja: "サブドメインだけのアドレスの地域",
        },
        explanation: Bilingual {
            en: "The region for an address typed without its domain, and for a site given as a bare subdomain: jp (cybozu.com), us (kintone.com) or cn (cybozu.cn). Without it, jp.",
            ja: "ドメインを付けずに入力されたアドレスと、サブドメインだけで書かれた site の地域です。jp (cybozu.com)、us (kintone.com)、cn (cybozu.cn) のいずれかを指定します。指定がなければ jp です。",
        },
        example: r#""jp""#,
    },
    PolicyKey {
        name: "language",
        kind: ValueKind::Choice(&[
            Choice {
                value: "ja",
                label: Bilingual {
                    en: "Japanese",
                    ja: "日本語",
                },
            },
            Choice {
                value: "en",
                label: Bilingual {
                    en: "English",
                    ja: "英語",
                },
            },
        ]),
        title: Bilingual {
            en: "Language",
            ja: "表示言語",
        },
        explanation: Bilingual {
            en: "The language of the window: ja (Japanese) or en (English). Without it, Tobira follows the language of the OS.",
            ja: "画面の言語です。ja (日本語) または en (英語) を指定します。指定がなければ OS の言語に合わせます。",
        },
        example: r#""ja""#,
    },
    PolicyKey {
        name: "autostart",
        kind: ValueKind::Switch,
        title: Bilingual {
            en: "Start at login",
            ja: "ログイン時に起動",
        },
        explanation: Bilingual {
            en: "Start Tobira when the user logs in (a launch agent on macOS, the Run key on Windows, ~/.config/autostart on Linux). Tobira makes the OS agree with this value at every start; locked, users cannot turn it off. Without it, off.",
            ja: "ユーザーのログイン時に Tobira を起動します (macOS では LaunchAgent、Windows では Run キー、Linux では ~/.config/autostart)。Tobira は起動のたびに OS の設定をこの値に合わせます。ロックすると、ユーザーはオフにできません。指定がなければオフです。",
        },
        example: "true",
    },
    PolicyKey {
        name: "keep_in_tray",
        kind: ValueKind::Switch,
        title: Bilingual {
            en: "Keep running in the tray",
            ja: "トレイに常駐",
        },
        explanation: Bilingual {
            en: "Closing the window keeps Tobira running in the tray. Where the desktop has no tray, closing quits whatever this says. Without it, on.",
            ja: "ウィンドウを閉じても Tobira をトレイに残します。トレイのないデスクトップでは、この値にかかわらず、閉じると終了します。指定がなければオンです。",
        },
        example: "true",
    },
    PolicyKey {
        name: "helpdesk",
        kind: ValueKind::Table(&[
            Field {
                name: "name",
                label: Bilingual {
                    en: "Name",
                    ja: "名前",
                },
            },
            Field {
                name: "email",
                label: Bilingual {
                    en: "Email address",
                    ja: "メールアドレス",
                },
            },
            Field {
                name: "url",
                label: Bilingual {
                    en: "Web page (https://)",
                    ja: "Web ページ (https://)",
                },
            },
            Field {
                name: "phone",
                label: Bilingual {
                    en: "Phone",
                    ja: "電話番号",
                },
            },
        ]),
        title: Bilingual {
            en: "Helpdesk",
            ja: "ヘルプデスク",
        },
        explanation: Bilingual {
            en: "Who users should ask, shown in Settings: name, email, url and phone, each optional. The url must be an https:// address without a user name or port; pages on its host may be opened and used as bookmarks.",
            ja: "ユーザーの問い合わせ先で、設定画面に表示されます。name (名前)、email (メールアドレス)、url、phone (電話番号) を書き、どれも省略できます。url はユーザー名やポート番号を含まない https:// のアドレスに限ります。url と同じホストのページは開くことができ、ブックマークにも使えます。",
        },
        example: r#"{ name = "IT helpdesk (ext. 1234)", email = "helpdesk@example.co.jp", url = "https://intranet.example.co.jp/helpdesk/kintone", phone = "03-1234-5678" }"#,
    },
    PolicyKey {
        name: "hidden_flows",
        kind: ValueKind::TextList,
        title: Bilingual {
            en: "Hidden walkthroughs",
            ja: "表示しないウォークスルー",
        },
        explanation: Bilingual {
            en: "Walkthroughs not to show, by flow id: lower-case words joined by hyphens, such as trial-signup (`tobira guides list` names them).",
            ja: "表示しないウォークスルーを、フロー ID で指定します。フロー ID は trial-signup のように小文字の英単語をハイフンでつないだもので、`tobira guides list` で確認できます。",
        },
        example: r#"["trial-signup"]"#,
    },
    PolicyKey {
        name: "guide_dirs",
        kind: ValueKind::TextList,
        title: Bilingual {
            en: "Extra guide folders",
            ja: "追加のガイドフォルダー",
        },
        explanation: Bilingual {
            en: "Folders of guide files written by IT, as absolute paths, read in this order after the guides that come with Tobira. A guide with the same id as an earlier one replaces it.",
            ja: "IT 部門が書いたガイドファイルのフォルダーを、絶対パスで指定します。Tobira に同梱のガイドの後に、この順で読み込みます。先に読んだガイドと同じ ID のガイドは、先のものを置き換えます。",
        },
        example: r#"["/srv/tobira/guides"]"#,
    },
    PolicyKey {
        name: "bookmarks",
        kind: ValueKind::TableList(&[
            Field {
                name: "name",
                label: Bilingual {
                    en: "Name",
                    ja: "名前",
                },
            },
            Field {
                name: "url",
                label: Bilingual {
                    en: "Address",
                    ja: "アドレス",
                },
            },
        ]),
        title: Bilingual {
            en: "Organisation bookmarks",
            ja: "組織のブックマーク",
        },
        explanation: Bilingual {
            en: "Bookmarks users see on Home and cannot remove, each a name and a url. Write pages of the kintone site as paths such as /k/45/, so that they follow each user's site. Other bookmarks must be https:// pages on the host of the helpdesk url or on the vendor's official sites (help centres, product sites, status page).",
            ja: "ホーム画面に表示され、ユーザーが削除できないブックマークです。それぞれ name (名前) と url を持ちます。kintone のサイト内のページは /k/45/ のようにパスで書くと、各ユーザーのサイトで開きます。それ以外のブックマークは、ヘルプデスクの url と同じホストか、サイボウズの公式サイト (ヘルプ、製品サイト、稼働状況のページ) の https:// のページに限ります。",
        },
        example: r#"[{ name = "経費精算", url = "/k/45/" }, { name = "kintone の社内 FAQ", url = "https://intranet.example.co.jp/helpdesk/kintone/faq" }]"#,
    },
    PolicyKey {
        name: "allow_guest_sites",
        kind: ValueKind::Switch,
        title: Bilingual {
            en: "Allow guest sites",
            ja: "ゲストとして参加するサイトを許可",
        },
        explanation: Bilingual {
            en: "Whether users may add, besides the organisation's site, the kintone sites of other companies they are a guest in. Without it, allowed.",
            ja: "組織のサイトのほかに、ユーザーがゲストとして招待された他社の kintone のサイトを追加できるかどうかです。指定がなければ許可します。",
        },
        // The example profile is deployed as it is by some: never a switch-off.
        example: "true",
    },
    PolicyKey {
        name: "companion",
        kind: ValueKind::Switch,
        title: Bilingual {
            en: "Allow the browser companion",
            ja: "ブラウザー拡張機能との連携を許可",
        },
        explanation: Bilingual {
            en: "Whether the browser companion may connect: the extension reports which page of the user's kintone sites is open so walkthrough steps complete themselves and error messages reach the assistant. Off: the native host refuses every request, `tobira companion install` refuses, and the window shows nothing of the companion. Without it, on.",
            ja: "ブラウザー拡張機能 (コンパニオン) が Tobira に接続できるかどうかです。拡張機能は、ユーザーが kintone のサイトで開いているページを Tobira に知らせます。これにより、ウォークスルーの手順は操作に合わせて自動で完了し、kintone に表示されたエラーメッセージはアシスタントに渡ります。オフにすると、Tobira は拡張機能からの要求をすべて拒否し、`tobira companion install` も実行できなくなります。ウィンドウにもコンパニオンに関する表示は一切出ません。指定がなければオンです。",
        },
        example: "true",
    },
];

/// What the two layers mean, for every key.
pub const LAYERS: Bilingual = Bilingual {
    en: "A locked value cannot be changed by users. A recommended value is only the starting value: users may change it, and Settings offers to go back to it.",
    ja: "ロックした値は、ユーザーが変更できません。推奨の値は初期値で、ユーザーが変更でき、設定画面からこの値に戻すこともできます。",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookmarks::OrgBookmark;
    use crate::policy::{parse, Helpdesk, PolicyValues};

    /// Each field's name and whether it is set. The patterns name every
    /// field, so a field added to the struct does not compile here until it
    /// is listed, and then the comparison with the definition fails until
    /// the key is defined.
    macro_rules! fields_set {
        ($value:expr, $struct:ident { $($field:ident),* $(,)? }) => {{
            let $struct { $($field),* } = $value;
            vec![$((stringify!($field), IsSet::is_set(&$field))),*]
        }};
    }

    trait IsSet {
        fn is_set(&self) -> bool;
    }

    impl<T> IsSet for Option<T> {
        fn is_set(&self) -> bool {
            self.is_some()
        }
    }

    impl IsSet for String {
        fn is_set(&self) -> bool {
            !self.is_empty()
        }
    }

    /// The names of `fields`, each marked as set.
    fn all_set(fields: &[Field]) -> Vec<(&'static str, bool)> {
        fields.iter().map(|f| (f.name, true)).collect()
    }

    fn kind_of(name: &str) -> ValueKind {
        POLICY_KEYS
            .iter()
            .find(|k| k.name == name)
            .unwrap_or_else(|| panic!("{name} is not defined"))
            .kind
    }

    #[test]
    fn the_definition_lists_exactly_the_keys_the_policy_reads() {
        let table: String = POLICY_KEYS
            .iter()
            .map(|k| format!("{} = {}\n", k.name, k.example))
            .collect();
        let (policy, problems) = parse(&format!("[recommended]\n{table}\n[locked]\n{table}"));
        assert!(problems.is_empty(), "an example is refused: {problems:?}");
        let defined: Vec<&str> = POLICY_KEYS.iter().map(|k| k.name).collect();
        for values in [policy.recommended, policy.locked] {
            let helpdesk = values.helpdesk.clone().expect("the helpdesk example");
            let bookmarks = values.bookmarks.clone().expect("the bookmarks example");
            let read = fields_set!(
                values,
                PolicyValues {
                    site,
                    default_region,
                    language,
                    autostart,
                    keep_in_tray,
                    helpdesk,
                    hidden_flows,
                    guide_dirs,
                    bookmarks,
                    allow_guest_sites,
                    companion,
                }
            );
            let read_names: Vec<&str> = read.iter().map(|(name, _)| *name).collect();
            assert_eq!(
                read_names, defined,
                "POLICY_KEYS in the order of PolicyValues"
            );
            let unset: Vec<&str> = read
                .iter()
                .filter(|(_, set)| !set)
                .map(|(n, _)| *n)
                .collect();
            assert!(unset.is_empty(), "examples not applied: {unset:?}");

            let ValueKind::Table(fields) = kind_of("helpdesk") else {
                panic!("helpdesk is a table");
            };
            let read = fields_set!(
                helpdesk,
                Helpdesk {
                    name,
                    email,
                    url,
                    phone
                }
            );
            assert_eq!(read, all_set(fields), "the helpdesk's fields");

            let ValueKind::TableList(fields) = kind_of("bookmarks") else {
                panic!("bookmarks is a list of tables");
            };
            for bookmark in bookmarks {
                let read = fields_set!(bookmark, OrgBookmark { name, url });
                assert_eq!(read, all_set(fields), "a bookmark's fields");
            }
        }
    }

    #[test]
    fn examples_have_the_form_of_their_kind() {
        for key in POLICY_KEYS {
            let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {}", key.example))
                .expect("the example is TOML")["v"]
                .clone();
            let strings = |v: &toml::Value| {
                v.as_array()
                    .is_some_and(|a| a.iter().all(toml::Value::is_str))
            };
            let table_of = |v: &toml::Value, fields: &[Field]| {
                v.as_table()
                    .is_some_and(|t| t.keys().all(|k| fields.iter().any(|f| f.name == k)))
            };
            let fits = match key.kind {
                ValueKind::Text => value.is_str(),
                ValueKind::Choice(choices) => {
                    choices.iter().any(|c| Some(c.value) == value.as_str())
                }
                ValueKind::Switch => value.is_bool(),
                ValueKind::TextList => strings(&value),
                ValueKind::Table(fields) => table_of(&value, fields),
                ValueKind::TableList(fields) => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(|t| table_of(t, fields))),
            };
            assert!(
                fits,
                "{}: the example {} is not a {:?}",
                key.name, key.example, key.kind
            );
        }
    }

    #[test]
    fn every_choice_is_accepted() {
        for key in POLICY_KEYS {
            if let ValueKind::Choice(choices) = key.kind {
                for choice in choices {
                    let text = format!("[locked]\n{} = \"{}\"\n", key.name, choice.value);
                    assert_eq!(parse(&text).1, [], "{text}");
                }
            }
        }
    }
}
