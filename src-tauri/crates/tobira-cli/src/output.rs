//! How a verb answers: one JSON document for scripts, or text in the
//! user's language; errors as `{"error": {...}}` or one line on stderr.

use std::fmt::Display;
use std::process::ExitCode;

use serde::Serialize;
use tobira_core::Language;
use tobira_i18n::text_with;
use tobira_session::Error;

pub(crate) const EXIT_PROBLEMS: u8 = 1;
pub(crate) const EXIT_BAD_INPUT: u8 = 2;

/// How this run answers: one JSON document for scripts, or text in the
/// user's language from the message catalogue (`cli.*`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    pub(crate) json: bool,
    pub(crate) language: Language,
}

impl Output {
    /// The catalogue's `key` in this run's language, placeholders filled.
    pub(crate) fn say(self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        text_with(self.language, key, args)
    }
}

pub(crate) fn report<T: Serialize>(
    out: Output,
    result: Result<T, Error>,
    print_text: impl Fn(&T, Output),
) -> ExitCode {
    match result {
        Ok(value) if out.json => print_json(out, &value),
        Ok(value) => print_text(&value, out),
        Err(e) => return fail(out, e),
    }
    ExitCode::SUCCESS
}

/// Bad input: `{"error": {...}}` on stdout for scripts, else one line on stderr.
pub(crate) fn fail(out: Output, error: Error) -> ExitCode {
    if out.json {
        print_json(out, &serde_json::json!({ "error": error }));
    } else {
        print_error(out, &error);
    }
    ExitCode::from(EXIT_BAD_INPUT)
}

/// One error as a line on stderr in the user's language.
pub(crate) fn print_error(out: Output, error: &Error) {
    let message = error_text(out.language, error);
    eprintln!("{}", out.say("cli.error", &[("message", &message)]));
}

/// An error in `language`: the UI's `error.<code>` message with its detail.
/// In English, and for a code the message files do not word, the error's
/// own text: it names the CLI's flags and is what `--json` reports.
fn error_text(language: Language, error: &Error) -> String {
    let key = format!("error.{}", error.code());
    if language == Language::En || !tobira_i18n::has(language, &key) {
        return error.to_string();
    }
    let detail = error.detail().unwrap_or_default();
    text_with(
        language,
        &key,
        &[("detail", &detail), ("message", &error.to_string())],
    )
}

pub(crate) fn print_json<T: Serialize>(out: Output, value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => {
            let message = out.say("cli.jsonFailed", &[("error", &e)]);
            eprintln!("{}", out.say("cli.error", &[("message", &message)]));
        }
    }
}
