// The only module that talks to Rust. Screens import these functions, never
// `invoke` itself, so every command and its types are listed here once.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

export type Region = "jp" | "us" | "cn";
export type Language = "ja" | "en";
export type Source = "builtin" | "recommended" | "user" | "locked";
export type ExportFormat = "html" | "desktop" | "url" | "webloc" | "qr-svg";
export type SecretKind = "basic-auth" | "client-cert-password";

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
  | { kind: "settings-unavailable"; code: string; message: string }
  | { kind: "policy-unreadable"; path: string; message: string }
  | { kind: "policy-problems"; path: string; message: string }
  | { kind: "policy-writable"; path: string }
  | { kind: "bookmarks-dropped"; count: number }
  | { kind: "progress-recovered"; moved_to: string; problem: string; restored_backup: boolean };

/** One effective setting: the value in force, where it came from, and the
 * organisation's recommendation if there is one. */
export interface Setting<T> {
  value: T;
  source: Source;
  recommended?: T;
}

export interface Helpdesk {
  name?: string;
  email?: string;
  url?: string;
  phone?: string;
}

export interface EffectiveSettings {
  site: Setting<SiteAddress | null>;
  default_region: Setting<Region>;
  /** null: follow the OS language. */
  language: Setting<Language | null>;
  autostart: Setting<boolean>;
  /** Closing the window keeps Tobira in the tray. */
  keep_in_tray: Setting<boolean>;
  helpdesk: Setting<Helpdesk | null>;
  hidden_flows: Setting<string[]>;
  guide_dirs: Setting<string[]>;
  org_bookmarks: Setting<{ name: string; url: string }[]>;
  /** Users may add sites of other companies they are a guest in. */
  allow_guest_sites: Setting<boolean>;
}

export type PageKind =
  | { kind: "login" | "portal" | "page" }
  | { kind: "app" | "space" | "guest-space" | "guest-app"; number: number };

export type Bookmark = PageKind & {
  /** portal, login, help, org-N, user-N */
  id: string;
  name: string;
  url: string;
  origin: "builtin" | "org" | "user" | "guest";
};

export interface UserBookmark {
  name: string;
  path: string;
}

export interface Removed {
  index: number;
  bookmark: UserBookmark;
  view: AppView;
}

export interface AppView {
  site: SiteAddress | null;
  /** Sites of other companies the user is a guest in. */
  guest_sites: SiteAddress[];
  /** The domain a bare subdomain gets, e.g. "cybozu.com". */
  default_domain: string;
  language: Language;
  notices: StartupNotice[];
  settings: EffectiveSettings;
  bookmarks: Bookmark[];
  /** Who the user said they are; null until they choose. */
  role: Audience | null;
  /** The client certificate file the checks use (absolute path). */
  client_certificate: string | null;
}

export type SettingChange =
  | { key: "language"; value: Language | null }
  | { key: "default_region"; value: Region | null }
  | { key: "role"; value: Audience | null }
  | { key: "client_certificate"; value: string | null }
  | { key: "autostart"; value: boolean | null }
  | { key: "keep_in_tray"; value: boolean | null };

/** What a `tobira://` link (or a tray menu choice) asks for, checked by Rust. */
export type DeepLink =
  | { route: "site"; site: SiteAddress }
  | { route: "flow"; id: string }
  | { route: "troubleshoot"; query: string | null }
  | { route: "cause"; id: string };

/** Who the user is on their first day; their walkthroughs come first. */
export type Audience = "employee" | "guest" | "admin";

/** One walkthrough on the home screen. */
export interface FlowSummary {
  id: string;
  title: string;
  summary?: string | null;
  /** The guide's language (the other one when the user's has no version). */
  language: Language;
  steps: number;
  done: number;
  for_you: boolean;
}

export interface FlowList {
  flows: FlowSummary[];
  /** Guide files that could not be loaded: `path:line:col: message`. */
  problems: string[];
}

export interface CauseLink {
  id: string;
  /** null when no guide is installed for this cause. */
  title: string | null;
}

/** One step; `html` is sanitised by Rust (ammonia) before it gets here. */
export interface StepView {
  id: string;
  title: string;
  html: string;
  /** A page of the user's site (or the vendor's), already allowed. */
  open_url: string | null;
  expect: string | null;
  stuck: CauseLink[];
  done: boolean;
  /** Steps with the same choice are alternatives: one of them is enough. */
  choice?: string | null;
  /** Done, or an alternative of its choice is. */
  settled?: boolean;
}

export interface FlowView {
  id: string;
  title: string;
  summary?: string | null;
  language: Language;
  intro_html: string;
  steps: StepView[];
  current: string | null;
  /** Steps to do, a choice of alternatives counting once; `done` of them. */
  total: number;
  done: number;
}

export type Fixer = "user" | "admin" | "it" | "vendor" | "wait";

export interface CauseView {
  id: string;
  title: string;
  summary?: string | null;
  language: Language;
  html: string;
  fixed_by: Fixer[];
  /** Set when the cause does not exist in the user's region: where it does. */
  only_in: Region[];
}

/** One reason a cause was picked: the user's words and what they mean. */
export interface Reason {
  words: string;
  idea: string;
}

/** A cause ranked for what the user typed (`tobira troubleshoot`). */
export interface Match {
  cause: string;
  title: string;
  score: number;
  why: Reason[];
}

/** The question that tells the closest causes apart. */
export interface Ask {
  question: string;
  text: string;
  /** `id` is `QUESTION.ANSWER`, as `troubleshoot` takes it back. */
  answers: { id: string; label: string }[];
}

export interface Outcome {
  matches: Match[];
  ask?: Ask;
}

export interface AssistantAnswer {
  label: string;
  next: string | null;
  causes: string[];
}

export interface AssistantQuestion {
  id: string;
  text: string;
  answers: AssistantAnswer[];
}

export interface AssistantView {
  title: string;
  language: Language;
  intro_html: string;
  start: string;
  questions: AssistantQuestion[];
}

/** What the user told the assistant, for the support report. */
export interface AssistantContext {
  query: string;
  answers: string[];
  causes: string[];
}

export type ProgressChange =
  | { action: "done"; step: string; done: boolean }
  | { action: "current"; step: string }
  | { action: "reset" };

export interface OverlayState {
  open: boolean;
  flow?: string | null;
}

/** One check of the doctor (`tobira doctor --json`). */
export interface Check {
  id: string;
  status: "pass" | "warn" | "fail" | "skip";
  /** One English sentence from Rust: what was seen. */
  detail: string;
}

export interface DoctorReport {
  target: string;
  checks: Check[];
  findings: { cause: string; guide: string }[];
  elapsed_ms: number;
}

/** What Rust tells every window about. */
export type AppEvent = "progress-changed" | "guides-changed" | "overlay-changed" | "link-received";

/** What the keyring holds for the site; never a secret itself. */
export interface SecretsStatus {
  keyring_available: boolean;
  keyring_problem?: string;
  basic_auth_user?: string;
  client_cert_password_stored: boolean;
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

// Each IPC round trip before the first screen delays it, so screens hold
// back requests that can wait until the window has painted.
let markPainted: () => void = () => undefined;
const painted = new Promise<void>((resolve) => (markPainted = resolve));

export const api = {
  appState: () => call<AppView>("app_state"),
  checkSite: (input: string) => call<SiteAddress>("check_site", { input }),
  saveSite: (input: string) => call<SiteAddress>("save_site", { input }),
  changeSetting: (change: SettingChange) => call<AppView>("change_setting", { change }),
  openBookmark: (id: string) => call<void>("open_bookmark", { id }),
  addBookmark: (input: string, name?: string) => call<AppView>("add_bookmark", { input, name }),
  renameBookmark: (index: number, name: string) => call<AppView>("rename_bookmark", { index, name }),
  moveBookmark: (from: number, to: number) => call<AppView>("move_bookmark", { from, to }),
  removeBookmark: (index: number) => call<Removed>("remove_bookmark", { index }),
  restoreBookmark: (index: number, bookmark: UserBookmark) =>
    call<AppView>("restore_bookmark", { index, bookmark }),
  exportBookmarks: (format: ExportFormat) => call<string>("export_bookmarks", { format }),
  flows: () => call<FlowList>("flows"),
  flow: (id: string) => call<FlowView>("flow", { id }),
  changeProgress: (id: string, change: ProgressChange) => call<FlowView>("change_progress", { id, change }),
  cause: (id: string) => call<CauseView | null>("cause", { id }),
  overlayState: () => call<OverlayState>("overlay_state"),
  showOverlay: (id: string) => call<void>("show_overlay", { id }),
  hideOverlay: () => call<void>("hide_overlay"),
  /** Runs the doctor; `oncheck` gets each check as it ends. */
  runChecks: async (oncheck: (check: Check) => void): Promise<DoctorReport> => {
    const stop = await listen<Check>("doctor-check", (event) => oncheck(event.payload)).catch(() => () => undefined);
    try {
      return await call<DoctorReport>("run_checks");
    } finally {
      stop();
    }
  },
  supportReport: (assistant?: AssistantContext) => call<string>("support_report", { assistant: assistant ?? null }),
  copyText: (text: string) => call<void>("copy_text", { text }),
  addGuestSite: (input: string) => call<AppView>("add_guest_site", { input }),
  removeGuestSite: (host: string) => call<AppView>("remove_guest_site", { host }),
  troubleshoot: (query: string, answers: string[] = []) => call<Outcome>("troubleshoot", { query, answers }),
  lastChecks: () => call<DoctorReport | null>("last_checks"),
  assistant: () => call<AssistantView | null>("assistant"),
  /** The link or tray choice waiting for the window (once); a refused link rejects. */
  takeLink: () => call<DeepLink | null>("take_link"),
  /** Opens an allowed page (Rust checks it against the allowlist again). */
  openUrl: (url: string) => call<void>("open_bookmark", { id: url }),
  /** Calls `handler` whenever Rust emits `event`; returns the unsubscribe. */
  onEvent: async (event: AppEvent, handler: () => void): Promise<() => void> => {
    try {
      return await listen(event, handler);
    } catch {
      // Without events the screens still work; they refresh on the next action.
      return () => undefined;
    }
  },
  portalQrSvg: () => call<string>("portal_qr_svg"),
  secretsStatus: () => call<SecretsStatus>("secrets_status"),
  storeBasicAuth: (user: string, password: string) =>
    call<SecretsStatus>("store_basic_auth", { user, password }),
  storeClientCertPassword: (password: string) =>
    call<SecretsStatus>("store_client_cert_password", { password }),
  deleteSecret: (kind: SecretKind) => call<SecretsStatus>("delete_secret", { kind }),
  /** Tells Rust the first screen is drawn; work that can wait follows it. */
  ready: () => {
    const told = call<void>("ready");
    markPainted();
    return told;
  },
  /** Resolves once the first screen is drawn: for IPC that need not delay it. */
  whenPainted: () => painted,
};

export type Api = typeof api;
