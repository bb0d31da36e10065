// The only module that talks to Rust. Screens import these functions, never
// `invoke` itself, so every command and its types are listed here once.
import { invoke } from "@tauri-apps/api/core";

export type Region = "jp" | "us" | "cn";
export type Language = "ja" | "en";
export type SitePage = "portal" | "login";

/** A validated kintone site, as `tobira site --json` prints it. */
export interface SiteAddress {
  subdomain: string;
  region: Region;
  host: string;
  secure_access: boolean;
  login_url: string;
  portal_url: string;
}

/** Every error from Rust: a stable code, an English message, and the part of
 * the input it is about. */
export interface ApiError {
  code: string;
  message: string;
  detail?: string;
}

export type StartupNotice =
  | { kind: "settings-recovered"; moved_to: string; problem: string; restored_backup: boolean }
  | { kind: "settings-unavailable"; code: string; message: string };

export interface AppView {
  site: SiteAddress | null;
  /** The domain a bare subdomain gets, e.g. "cybozu.com". */
  default_domain: string;
  language: Language;
  notice: StartupNotice | null;
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).code === "string" &&
    typeof (value as ApiError).message === "string"
  );
}

/** Rust errors arrive as ApiError; anything else (IPC failure) is wrapped. */
function asApiError(error: unknown): ApiError {
  return isApiError(error) ? error : { code: "ipc-failed", message: String(error) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw asApiError(error);
  }
}

export const api = {
  appState: () => call<AppView>("app_state"),
  checkSite: (input: string) => call<SiteAddress>("check_site", { input }),
  saveSite: (input: string) => call<SiteAddress>("save_site", { input }),
  openSitePage: (page: SitePage) => call<void>("open_site_page", { page }),
  ready: () => call<void>("ready"),
};

export type Api = typeof api;
