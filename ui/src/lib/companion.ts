// What the browser companion saw, in words: one sentence per kind of page,
// a general one for the kinds no step waits for.
import type { PageKind } from "../api";
import type { MessageKey } from "./i18n";

const saw: Partial<Record<PageKind, MessageKey>> = {
  login: "companion.saw.login",
  portal: "companion.saw.portal",
  app: "companion.saw.app",
  space: "companion.saw.space",
  "guest-space": "companion.saw.guest-space",
  "account-settings": "companion.saw.account-settings",
  admin: "companion.saw.admin",
};

/** "Tobira saw you reach the portal", or the general sentence. */
export function sawKey(page: PageKind): MessageKey {
  return saw[page] ?? "companion.saw.other";
}
