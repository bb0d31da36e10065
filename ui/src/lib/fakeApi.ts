// A stand-in for Rust in component tests: every command answers a canned
// value typed with the generated bindings, every call is recorded, and a
// test replaces any answer it needs (`api.flow.mockResolvedValue(…)`). It
// decides nothing: a test that depends on Rust's answer to an action gives
// that answer, and fires the events Rust would send with `emit`.
import { vi, type Mock } from "vitest";
import type {
  Api,
  ApiError,
  AppEvent,
  AppView,
  AssistantView,
  CauseView,
  Check,
  Diagnosis,
  DoctorReport,
  EffectiveSettings,
  FlowList,
  FlowView,
  KeyReport,
  LastSeen,
  ResolvedBookmark,
  SecretsStatus,
  SiteAddress,
  StepView,
} from "../api";

export type FakeApi = { [K in keyof Api]: Mock<Api[K]> } & {
  /** Calls the handlers the screens registered for `event`, as Rust would. */
  emit: (event: AppEvent) => void;
};

/** A site as Rust describes it, in Japan and without secure access unless `facts` say so. */
export function site(host: string, facts: Partial<SiteAddress> = {}): SiteAddress {
  return {
    subdomain: host.split(".")[0],
    region: "jp",
    host,
    secure_access: false,
    login_url: `https://${host}/`,
    portal_url: `https://${host}/k/`,
    ...facts,
  };
}

export function rejection(code: string, detail?: string): ApiError {
  return { code, message: `rust says ${code}`, detail };
}

/** Every setting at its built-in value, except `overrides`. */
export function settings(overrides: Partial<EffectiveSettings> = {}): EffectiveSettings {
  return {
    site: { value: null, source: "builtin" },
    default_region: { value: "jp", source: "builtin" },
    language: { value: null, source: "builtin" },
    autostart: { value: false, source: "builtin" },
    keep_in_tray: { value: true, source: "builtin" },
    helpdesk: { value: null, source: "builtin" },
    hidden_flows: { value: [], source: "builtin" },
    guide_dirs: { value: [], source: "builtin" },
    org_bookmarks: { value: [], source: "builtin" },
    allow_guest_sites: { value: true, source: "builtin" },
    companion: { value: true, source: "builtin" },
    ...overrides,
  };
}

/** `tobira policy show` with no policy installed: every key at its built-in
 * value, except the `keys` given (by name), and `rest`. */
export function diagnosis(keys: Partial<KeyReport>[] = [], rest: Partial<Diagnosis> = {}): Diagnosis {
  const builtin: KeyReport[] = Object.entries(settings()).map(([field, setting]) => ({
    key: field === "org_bookmarks" ? "bookmarks" : field,
    value: setting.value,
    source: "builtin",
    status: "ok",
    problems: [],
    overridden: [],
  }));
  return {
    keys: builtin.map((report) => ({ ...report, ...keys.find((k) => k.key === report.key) })),
    unknown_keys: [],
    other_problems: [],
    read: [{ store: "/etc/tobira/policy.toml", found: false }],
    ...rest,
  };
}

/** A first start in English (no site, nothing chosen), except `overrides`. */
export function appView(overrides: Partial<AppView> = {}): AppView {
  return {
    site: null,
    guest_sites: [],
    default_domain: "cybozu.com",
    language: "en",
    notices: [],
    settings: settings(),
    bookmarks: [],
    role: null,
    client_certificate: null,
    companion_in_use: false,
    ...overrides,
  };
}

/** The portal, the login page and the help centre of `current`. */
export function builtinBookmarks(current: SiteAddress): ResolvedBookmark[] {
  return [
    { id: "portal", name: "Portal", url: current.portal_url, origin: "builtin", kind: "portal" },
    { id: "login", name: "Login page", url: current.login_url, origin: "builtin", kind: "login" },
    { id: "help", name: "Help centre", url: "https://jp.cybozu.help/k/en/", origin: "builtin", kind: "page" },
  ];
}

export function step(id: string, title: string, extra: Partial<StepView> = {}): StepView {
  return {
    id,
    title,
    html: `<p>How to ${title.toLowerCase()}.</p>`,
    open_url: null,
    expect: null,
    stuck: [],
    done: false,
    choice: null,
    settled: false,
    watched: false,
    seen: null,
    ...extra,
  };
}

/** Where the user is in a walkthrough: the current step and the steps done. */
export interface Progress {
  current?: string;
  done?: string[];
}

function withProgress(flow: FlowView, { current, done = [] }: Progress): FlowView {
  const steps = flow.steps.map((s) => ({ ...s, done: done.includes(s.id), settled: done.includes(s.id) }));
  return { ...flow, steps, current: current ?? flow.current, done: done.length };
}

/** The guest-space walkthrough (three steps, in English) as Rust renders it. */
export function guestFlow(progress: Progress = {}): FlowView {
  const flow: FlowView = {
    id: "guest-space-join",
    title: "Join a guest space",
    summary: "You were invited from outside the company.",
    language: "en",
    intro_html: "<p>A guest space is <a href=\"#cause/guest-verification-code\">special</a>.</p>",
    steps: [
      step("invitation", "Open the invitation", { expect: "An invitation email.", stuck: [{ id: "contact-admin", title: null }] }),
      step("open-link", "Click the address", {
        open_url: "https://example.cybozu.com/",
        stuck: [
          { id: "wrong-url", title: "The address is wrong" },
          { id: "caps-lock", title: null },
        ],
      }),
      step("verification-code", "Enter the code"),
    ],
    current: "invitation",
    total: 3,
    done: 0,
  };
  return withProgress(flow, progress);
}

/** The first-login walkthrough (two steps), only in Japanese. */
export function firstLoginFlow(progress: Progress = {}): FlowView {
  const flow: FlowView = {
    id: "first-login",
    title: "Log in for the first time",
    summary: null,
    language: "ja",
    intro_html: "",
    steps: [step("address", "Find the address"), step("sign-in", "Sign in")],
    current: "address",
    total: 2,
    done: 0,
  };
  return withProgress(flow, progress);
}

/** The home screen's list of `flows`, in the order given. */
export function flowList(flows: FlowView[] = [guestFlow(), firstLoginFlow()], forYou: string[] = []): FlowList {
  return {
    flows: flows.map((f) => ({
      id: f.id,
      title: f.title,
      summary: f.summary,
      language: f.language,
      steps: f.steps.length,
      done: f.done,
      for_you: forYou.includes(f.id),
    })),
    problems: [],
  };
}

export const fakeCauses: Record<string, CauseView> = {
  "wrong-url": { id: "wrong-url", title: "The address is wrong", summary: null, language: "en", html: "<p>Check the address.</p>", fixed_by: ["user"], only_in: [] },
  "ip-restricted": { id: "ip-restricted", title: "Access is limited to the office network", summary: null, language: "en", html: "<p>Ask your administrator.</p>", fixed_by: ["admin", "it"], only_in: [] },
  "2fa-device-lost": { id: "2fa-device-lost", title: "The phone with your authenticator app is lost", summary: null, language: "en", html: "<p>Ask your administrator.</p>", fixed_by: ["admin"], only_in: ["us"] },
};

export function secrets(overrides: Partial<SecretsStatus> = {}): SecretsStatus {
  return { keyring_available: true, client_cert_password_stored: false, ...overrides };
}

const checks: Check[] = [
  { id: "dns", status: "pass", detail: "example.cybozu.com is 192.0.2.1" },
  { id: "tcp", status: "pass", detail: "the site accepts connections" },
  { id: "http-root", status: "fail", detail: "/: the page says 「不正なリクエストです」" },
];

const report: DoctorReport = {
  target: "https://example.cybozu.com/",
  checks,
  findings: [
    { cause: "wrong-url", guide: "tobira://cause/wrong-url" },
    { cause: "maintenance", guide: "tobira://cause/maintenance" },
  ],
  elapsed_ms: 42,
};

const assistantTree: AssistantView = {
  title: "Questions",
  language: "en",
  intro_html: "",
  start: "where",
  questions: [
    { id: "where", text: "Where are you?", answers: [{ label: "At home", next: "what", causes: [] }, { label: "At the office", next: "what", causes: [] }] },
    { id: "what", text: "What do you see?", answers: [{ label: "An error page", next: "office", causes: [] }] },
    { id: "office", text: "Does it work at the office?", answers: [{ label: "Yes", next: null, causes: ["ip-restricted", "client-cert-required"] }] },
  ],
};

/** What the browser companion saw: a page of example.cybozu.com, just now, except `overrides`. */
export function lastSeen(overrides: Partial<LastSeen> = {}): LastSeen {
  return {
    at: Math.floor(Date.now() / 1000),
    site: "example.cybozu.com",
    page: "portal",
    offer: null,
    completed: [],
    ...overrides,
  };
}

/** `view` is what `appState` and every changing command answer. */
export function fakeApi(view: Partial<AppView> = {}, answers: Partial<Api> = {}): FakeApi {
  const shown = appView(view);
  const flows: Record<string, FlowView> = { "guest-space-join": guestFlow(), "first-login": firstLoginFlow() };
  const flowNamed = async (id: string) => flows[id] ?? Promise.reject(rejection("unknown-guide", id));
  const listeners = new Map<AppEvent, Set<() => void>>();
  const canned: Api = {
    appState: async () => shown,
    checkSite: async () => site("example.cybozu.com"),
    saveSite: async () => site("example.cybozu.com"),
    changeSetting: async () => shown,
    policyDiagnosis: async () => diagnosis(),
    openBookmark: async () => undefined,
    addBookmark: async () => shown,
    renameBookmark: async () => shown,
    moveBookmark: async () => shown,
    removeBookmark: async (index) => ({ index, bookmark: { name: "App 12", path: "/k/12/" }, view: shown }),
    restoreBookmark: async () => shown,
    exportBookmarks: async () => "/home/u/Downloads/kintone-example.html",
    portalQrSvg: async () => "<svg xmlns='http://www.w3.org/2000/svg'></svg>",
    secretsStatus: async () => secrets(),
    storeBasicAuth: async () => secrets(),
    storeClientCertPassword: async () => secrets(),
    deleteSecret: async () => secrets(),
    flows: async () => flowList(),
    flow: flowNamed,
    changeProgress: flowNamed,
    cause: async (id) => fakeCauses[id] ?? null,
    overlayState: async () => ({ open: false }),
    showOverlay: async () => undefined,
    hideOverlay: async () => undefined,
    openUrl: async () => undefined,
    runChecks: async (oncheck) => {
      report.checks.forEach(oncheck);
      return report;
    },
    supportReport: async () => "Tobira support report\nsite: example.cybozu.com\n",
    copyText: async () => undefined,
    addGuestSite: async () => shown,
    removeGuestSite: async () => shown,
    lastChecks: async () => null,
    troubleshoot: async () => ({ matches: [] }),
    assistant: async () => assistantTree,
    onEvent: async (event, handler) => {
      const handlers = listeners.get(event) ?? new Set();
      handlers.add(handler);
      listeners.set(event, handlers);
      return () => handlers.delete(handler);
    },
    takeLink: async () => null,
    companionSeen: async () => null,
    forgetSeen: async () => undefined,
    askAssistant: async () => undefined,
    ready: async () => undefined,
    whenPainted: async () => undefined,
    ...answers,
  };
  const recorded = Object.fromEntries(Object.entries(canned).map(([name, answer]) => [name, vi.fn(answer)]));
  return {
    ...(recorded as { [K in keyof Api]: Mock<Api[K]> }),
    emit: (event) => listeners.get(event)?.forEach((handler) => handler()),
  };
}
