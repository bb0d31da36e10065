// UI text comes only from the message files, one per language; components
// never hold string literals a person reads.
import type { ApiError, Language } from "../api";
import en from "./messages/en.json";
import ja from "./messages/ja.json";

export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const catalogs: Record<Language, Record<MessageKey, string>> = { en, ja };

/** Replaces `{name}` with `params.name`; unknown placeholders stay visible. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translator(language: Language): Translate {
  const catalog = catalogs[language];
  return (key, params) => format(catalog[key] ?? en[key] ?? key, params);
}

/** An error from Rust in the user's language: by code where the message
 * files know it, else Rust's own (English) message. */
export function errorText(t: Translate, error: ApiError): string {
  const key = `error.${error.code}`;
  if (!(key in en)) return error.message;
  return t(key as MessageKey, { detail: error.detail ?? "", message: error.message });
}
