// The only module that talks to Rust. Screens import these functions, never
// `invoke` itself, so every command and its types are listed here once.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { ApiError } from "./bindings/ApiError";
import type { AppView } from "./bindings/AppView";
import type { AssistantContext } from "./bindings/AssistantContext";
import type { AssistantView } from "./bindings/AssistantView";
import type { CauseView } from "./bindings/CauseView";
import type { Check } from "./bindings/Check";
import type { DeepLink } from "./bindings/DeepLink";
import type { Diagnosis } from "./bindings/Diagnosis";
import type { DoctorReport } from "./bindings/DoctorReport";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { FlowList } from "./bindings/FlowList";
import type { FlowView } from "./bindings/FlowView";
import type { LastSeen } from "./bindings/LastSeen";
import type { Outcome } from "./bindings/Outcome";
import type { Overlay } from "./bindings/Overlay";
import type { ProgressChange } from "./bindings/ProgressChange";
import type { Removed } from "./bindings/Removed";
import type { SecretKind } from "./bindings/SecretKind";
import type { SecretsStatus } from "./bindings/SecretsStatus";
import type { SettingChange } from "./bindings/SettingChange";
import type { SiteAddress } from "./bindings/SiteAddress";
import type { UserBookmark } from "./bindings/UserBookmark";

// The types Rust exchanges are generated from the Rust types into
// ./bindings (bash scripts/gen-bindings.sh); screens import the ones they
// need from here.
export type { ApiError } from "./bindings/ApiError";
export type { AppView } from "./bindings/AppView";
export type { Ask } from "./bindings/Ask";
export type { AssistantView } from "./bindings/AssistantView";
export type { Audience } from "./bindings/Audience";
export type { CauseLink } from "./bindings/CauseLink";
export type { CauseView } from "./bindings/CauseView";
export type { Completed } from "./bindings/Completed";
export type { Check } from "./bindings/Check";
export type { DeepLink } from "./bindings/DeepLink";
export type { Diagnosis } from "./bindings/Diagnosis";
export type { DoctorReport } from "./bindings/DoctorReport";
export type { EffectiveSettings } from "./bindings/EffectiveSettings";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { FlowList } from "./bindings/FlowList";
export type { FlowSummary } from "./bindings/FlowSummary";
export type { FlowView } from "./bindings/FlowView";
export type { Helpdesk } from "./bindings/Helpdesk";
export type { KeyReport } from "./bindings/KeyReport";
export type { KeyStatus } from "./bindings/KeyStatus";
export type { JsonValue } from "./bindings/serde_json/JsonValue";
export type { Language } from "./bindings/Language";
export type { LastSeen } from "./bindings/LastSeen";
export type { Match } from "./bindings/Match";
export type { Offer } from "./bindings/Offer";
export type { Overlay } from "./bindings/Overlay";
export type { PageKind } from "./bindings/PageKind";
export type { ProgressChange } from "./bindings/ProgressChange";
export type { Reason } from "./bindings/Reason";
export type { Region } from "./bindings/Region";
export type { Removed } from "./bindings/Removed";
export type { ResolvedBookmark } from "./bindings/ResolvedBookmark";
export type { SecretKind } from "./bindings/SecretKind";
export type { SecretsStatus } from "./bindings/SecretsStatus";
export type { Setting } from "./bindings/Setting";
export type { SettingChange } from "./bindings/SettingChange";
export type { SettingSource } from "./bindings/SettingSource";
export type { SiteAddress } from "./bindings/SiteAddress";
export type { StartupNotice } from "./bindings/StartupNotice";
export type { StepView } from "./bindings/StepView";

/** What Rust tells every window about; `doctor-check` carries a Check.
 * `companion-seen`: the browser companion saw another page (or it was forgotten). */
export type AppEvent = "progress-changed" | "guides-changed" | "overlay-changed" | "link-received" | "companion-seen";

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
  policyDiagnosis: () => call<Diagnosis>("policy_diagnosis"),
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
  overlayState: () => call<Overlay>("overlay_state"),
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
  /** What the browser companion saw last; null when it saw nothing lately or the policy turns it off. */
  companionSeen: () => call<LastSeen | null>("companion_seen"),
  /** Forgets what the browser companion saw (the user dismissed it). */
  forgetSeen: () => call<void>("forget_seen"),
  /** Brings up the main window on the assistant with `query` (from the step panel). */
  askAssistant: (query: string) => call<void>("ask_assistant", { query }),
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
