// A stand-in for the Rust side in component tests: it keeps a small state
// (site, settings, user bookmarks) the way Rust does, every call is recorded,
// and each command can be replaced by a function the test provides.
import { vi } from "vitest";
import type {
  Api,
  ApiError,
  AppEvent,
  AppView,
  Bookmark,
  Check,
  DoctorReport,
  CauseView,
  DeepLink,
  EffectiveSettings,
  FlowView,
  Outcome,
  OverlayState,
  SettingChange,
  SiteAddress,
  StepView,
  UserBookmark,
} from "../api";

export function site(host: string, region: SiteAddress["region"] = "jp"): SiteAddress {
  const subdomain = host.split(".")[0];
  return {
    subdomain,
    region,
    host,
    secure_access: host.includes(".s."),
    login_url: `https://${host}/`,
    portal_url: `https://${host}/k/`,
  };
}

export function rejection(code: string, detail?: string): ApiError {
  return { code, message: `rust says ${code}`, detail };
}

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
    ...overrides,
  };
}

/** Built-ins, then the organisation's, then the user's, as Rust lists them. */
export function bookmarksOf(
  current: SiteAddress | null,
  org: { name: string; url: string }[],
  user: UserBookmark[],
): Bookmark[] {
  if (!current) return [];
  const base = `https://${current.host}`;
  return [
    { id: "portal", name: "Portal", url: current.portal_url, origin: "builtin", kind: "portal" },
    { id: "login", name: "Login page", url: current.login_url, origin: "builtin", kind: "login" },
    { id: "help", name: "Help centre", url: "https://jp.cybozu.help/k/en/", origin: "builtin", kind: "page" },
    ...org.map((b, i): Bookmark => ({
      id: `org-${i}`,
      name: b.name,
      url: b.url.startsWith("/") ? base + b.url : b.url,
      origin: "org",
      kind: "page",
    })),
    ...user.map((b, i): Bookmark => ({ id: `user-${i}`, name: b.name, url: base + b.path, origin: "user", kind: "page" })),
  ];
}

function step(id: string, title: string, extra: Partial<StepView> = {}): StepView {
  return { id, title, html: `<p>How to ${title.toLowerCase()}.</p>`, open_url: null, expect: null, stuck: [], done: false, ...extra };
}

/** Two walkthroughs and one cause, as Rust would render them. */
export function fakeFlows(): FlowView[] {
  return [
    {
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
      current: null,
      total: 3,
      done: 0,
    },
    {
      id: "first-login",
      title: "Log in for the first time",
      summary: null,
      language: "ja",
      intro_html: "",
      steps: [step("address", "Find the address"), step("sign-in", "Sign in")],
      current: null,
      total: 2,
      done: 0,
    },
  ];
}

export const fakeCauses: Record<string, CauseView> = {
  "wrong-url": { id: "wrong-url", title: "The address is wrong", language: "en", html: "<p>Check the address.</p>", fixed_by: ["user"], only_in: [] },
  "ip-restricted": { id: "ip-restricted", title: "Access is limited to the office network", language: "en", html: "<p>Ask your administrator.</p>", fixed_by: ["admin", "it"], only_in: [] },
  "2fa-device-lost": { id: "2fa-device-lost", title: "The phone with your authenticator app is lost", language: "en", html: "<p>Ask your administrator.</p>", fixed_by: ["admin"], only_in: ["us"] },
};

export function fakeApi(initial: Partial<AppView> = {}, overrides: Partial<Api> = {}) {
  const state: AppView = {
    site: null,
    guest_sites: [],
    default_domain: "cybozu.com",
    language: "en",
    notices: [],
    settings: settings(),
    bookmarks: [],
    role: null,
    client_certificate: null,
    ...initial,
  };
  const flows = fakeFlows();
  let overlay: OverlayState = { open: false };
  const listeners = new Map<AppEvent, Set<() => void>>();
  const emit = (event: AppEvent) => listeners.get(event)?.forEach((handler) => handler());
  const flowNamed = (id: string): FlowView => {
    const flow = flows.find((f) => f.id === id);
    if (!flow) throw rejection("unknown-guide", id);
    const done = flow.steps.filter((s) => s.done).length;
    const current = flow.current ?? flow.steps.find((s) => !s.done)?.id ?? flow.steps[flow.steps.length - 1].id;
    // The fake flows have no alternatives: every step counts.
    return structuredClone({ ...flow, done, current, total: flow.steps.length });
  };
  const user: UserBookmark[] = state.bookmarks
    .filter((b) => b.origin === "user")
    .map((b) => ({ name: b.name, path: b.url.replace(/^https:\/\/[^/]+/, "") }));
  const org = state.settings.org_bookmarks.value;
  const view = (): AppView => ({ ...state, bookmarks: bookmarksOf(state.site, org, user) });
  if (state.site && state.bookmarks.length === 0) state.bookmarks = bookmarksOf(state.site, org, user);

  return {
    appState: vi.fn(async () => view()),
    checkSite: vi.fn(async (input: string) => site(`${input.trim()}.cybozu.com`)),
    saveSite: vi.fn(async (input: string) => {
      state.site = site(input.includes(".") ? input.trim() : `${input.trim()}.cybozu.com`);
      return state.site;
    }),
    changeSetting: vi.fn(async (change: SettingChange) => {
      if (change.key === "role") state.role = change.value;
      if (change.key === "autostart" || change.key === "keep_in_tray") {
        const builtin = change.key === "keep_in_tray";
        state.settings[change.key] = { value: change.value ?? builtin, source: change.value === null ? "builtin" : "user" };
      }
      if (change.key === "client_certificate") {
        if (change.value && !/\.(p12|pfx)$/i.test(change.value)) throw rejection("client-cert-path", change.value);
        state.client_certificate = change.value;
      }
      if (change.key === "language") {
        state.settings.language = { ...state.settings.language, value: change.value, source: change.value ? "user" : "builtin" };
        state.language = change.value ?? "en";
      }
      return view();
    }),
    openBookmark: vi.fn(async () => undefined),
    addBookmark: vi.fn(async (input: string, name?: string) => {
      user.push({ name: name ?? `Page ${input}`, path: input });
      return view();
    }),
    renameBookmark: vi.fn(async (index: number, name: string) => {
      user[index].name = name;
      return view();
    }),
    moveBookmark: vi.fn(async (from: number, to: number) => {
      const [moved] = user.splice(from, 1);
      user.splice(to, 0, moved);
      return view();
    }),
    removeBookmark: vi.fn(async (index: number) => {
      const [bookmark] = user.splice(index, 1);
      return { index, bookmark, view: view() };
    }),
    restoreBookmark: vi.fn(async (index: number, bookmark: UserBookmark) => {
      user.splice(index, 0, bookmark);
      return view();
    }),
    exportBookmarks: vi.fn(async (format) => `/home/u/Downloads/kintone-example.${format}`),
    portalQrSvg: vi.fn(async () => "<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
    secretsStatus: vi.fn(async () => ({ keyring_available: true, client_cert_password_stored: false })),
    storeBasicAuth: vi.fn(async (userName: string) => ({
      keyring_available: true,
      basic_auth_user: userName,
      client_cert_password_stored: false,
    })),
    storeClientCertPassword: vi.fn(async () => ({ keyring_available: true, client_cert_password_stored: true })),
    deleteSecret: vi.fn(async () => ({ keyring_available: true, client_cert_password_stored: false })),
    flows: vi.fn(async () => ({
      flows: flows
        .map((f) => flowNamed(f.id))
        .map((f) => ({
          id: f.id,
          title: f.title,
          summary: f.summary,
          language: f.language,
          steps: f.steps.length,
          done: f.done,
          for_you: state.role === "guest" && f.id === "guest-space-join",
        }))
        .sort((a, b) => Number(b.for_you) - Number(a.for_you)),
      problems: [],
    })),
    flow: vi.fn(async (id: string) => flowNamed(id)),
    changeProgress: vi.fn(async (id: string, change) => {
      const flow = flows.find((f) => f.id === id);
      if (!flow) throw rejection("unknown-guide", id);
      if (change.action === "reset") {
        flow.steps.forEach((s) => (s.done = false));
        flow.current = null;
      } else {
        const target = flow.steps.findIndex((s) => s.id === change.step);
        if (target < 0) throw rejection("unknown-step", change.step);
        if (change.action === "current") flow.current = change.step;
        else {
          flow.steps[target].done = change.done;
          const next = [...flow.steps.slice(target + 1), ...flow.steps].find((s) => !s.done);
          flow.current = change.done ? (next?.id ?? change.step) : change.step;
        }
      }
      emit("progress-changed");
      return flowNamed(id);
    }),
    cause: vi.fn(async (id: string) => fakeCauses[id] ?? null),
    overlayState: vi.fn(async () => ({ ...overlay })),
    showOverlay: vi.fn(async (id: string) => {
      overlay = { open: true, flow: id };
      emit("overlay-changed");
    }),
    hideOverlay: vi.fn(async () => {
      overlay = { ...overlay, open: false };
      emit("overlay-changed");
    }),
    openUrl: vi.fn(async () => undefined),
    runChecks: vi.fn(async (oncheck: (check: Check) => void) => {
      const checks: Check[] = [
        { id: "dns", status: "pass", detail: "example.cybozu.com is 192.0.2.1" },
        { id: "tcp", status: "pass", detail: "the site accepts connections" },
        { id: "http-root", status: "fail", detail: "/: the page says 「不正なリクエストです」" },
      ];
      checks.forEach(oncheck);
      return { target: "https://example.cybozu.com/", checks, findings: [{ cause: "wrong-url", guide: "tobira://cause/wrong-url" }, { cause: "maintenance", guide: "tobira://cause/maintenance" }], elapsed_ms: 42 };
    }),
    supportReport: vi.fn(async () => "Tobira support report\nsite: example.cybozu.com\n"),
    copyText: vi.fn(async () => undefined),
    addGuestSite: vi.fn(async (input: string) => {
      const host = new URL(input.includes("://") ? input : `https://${input}`).host;
      if (!state.guest_sites.some((g) => g.host === host)) state.guest_sites.push(site(host));
      return view();
    }),
    removeGuestSite: vi.fn(async (host: string) => {
      state.guest_sites = state.guest_sites.filter((g) => g.host !== host);
      return view();
    }),
    lastChecks: vi.fn(async (): Promise<DoctorReport | null> => null),
    troubleshoot: vi.fn(async (query: string, answers: string[] = []): Promise<Outcome> => {
      if (query.includes("不正")) {
        return { matches: [{ cause: "maintenance", title: "The service is under maintenance", score: 11, why: [{ words: query, idea: "the service's error message" }] }] };
      }
      if (query.includes("certificate")) {
        const expired = { cause: "client-cert-expired", title: "The certificate has expired", score: 0.9, why: [{ words: "certificate", idea: "client certificate" }] };
        const expiring = { cause: "client-cert-expiring", title: "The certificate expires soon", score: 0.85, why: [{ words: "certificate", idea: "client certificate" }] };
        if (answers.includes("certificate.expired")) return { matches: [{ ...expired, score: 1.9 }, { ...expiring, score: 0.3 }] };
        return {
          matches: [expired, expiring],
          ask: {
            question: "certificate",
            text: "What does it say about the certificate?",
            answers: [
              { id: "certificate.expiring", label: "A warning that it expires soon" },
              { id: "certificate.expired", label: "It says it has expired" },
            ],
          },
        };
      }
      return { matches: [{ cause: "wrong-url", title: "The address is wrong", score: 0.5, why: [] }] };
    }),
    assistant: vi.fn(async () => ({
      title: "Questions",
      language: "en" as const,
      intro_html: "",
      start: "where",
      questions: [
        { id: "where", text: "Where are you?", answers: [{ label: "At home", next: "what", causes: [] }, { label: "At the office", next: "what", causes: [] }] },
        { id: "what", text: "What do you see?", answers: [{ label: "An error page", next: "office", causes: [] }] },
        { id: "office", text: "Does it work at the office?", answers: [{ label: "Yes", next: null, causes: ["ip-restricted", "client-cert-required"] }] },
      ],
    })),
    onEvent: vi.fn(async (event: AppEvent, handler: () => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(handler);
      listeners.set(event, set);
      return () => set.delete(handler);
    }),
    takeLink: vi.fn(async (): Promise<DeepLink | null> => null),
    ready: vi.fn(async () => undefined),
    whenPainted: vi.fn(async () => undefined),
    ...overrides,
  } satisfies Api;
}
