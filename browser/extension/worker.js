// The background: a service worker in Chromium, an event page (`background.scripts`) in Firefox.
//
// It holds the one native port to Tobira (`dev.tobira.companion`), relays the content script's
// page reports for the user's own sites as `page-seen`, runs the opt-in look-alike check, keeps
// the latest answers for the popup and sets the action badge. Protocol: design note §3
// (`docs/design/browser-companion.md`). Every listener is registered synchronously at the top
// level, so the browser can wake the worker for it.
import "./lib.js";

const lib = globalThis.TobiraLib;
const api = globalThis.browser ?? globalThis.chrome;

const HOST_NAME = "dev.tobira.companion";
const BROWSER = api.runtime.getURL("").startsWith("moz-extension:") ? "firefox" : "chromium";
/** How long a content script or the popup waits for the host's `hello` before giving up. */
const HELLO_WAIT_MS = 5000;
/**
 * At most one `hello` per this long to fetch the site list again: a content script on a
 * kintone host that is not in `sites` may be on a site the user added in Tobira since.
 */
const REHELLO_MS = 10_000;
const BADGE_FLASH_MS = 4000;
const GREEN = "#1e7d32";
const RED = "#c62828";

/**
 * What the popup shows; kept in `storage.session` (memory only, never on disk, cleared when
 * the browser closes) because the browser may stop this worker between events.
 */
const state = {
  /** "connecting" | "connected" | "disconnected" | "off" | "outdated" */
  connection: "connecting",
  /** The last native-messaging error, e.g. "Specified native messaging host not found." */
  lastError: null,
  /** Whether that error says the host is not installed for this browser. */
  hostMissing: false,
  /** The last `error` message from the host: {code, message, at}. */
  hostError: null,
  /** From `hello`: {app, version, protocol, language}. */
  host: null,
  /** How many sites `hello` listed: 0 means the user has yet to add one in Tobira. */
  siteCount: null,
  status: null,
  lastSeen: null,
  lookalike: null,
  browser: BROWSER,
};

let port = null;
let nextId = 1;
let failures = 0;
let reconnectTimer = null;
/** What the host told us in `hello`: {sites, known_texts, alert_paths}. */
let config = null;
/** Requests waiting for their answer, by id: {type, tab, host}. */
const pending = new Map();
/** Callers waiting for the connection to settle (hello answered or failed). */
let settleWaiters = [];
/** When the last `hello` was sent (Date.now()). */
let lastHelloAt = -Infinity;
/** A `hello` sent again on a connected port, waiting for its answer: {promise, resolve, timer}. */
let refresh = null;
/** `webNavigation.onCommitted` while the look-alike warning is on. */
let navigationEvent = null;
let badgeTimer = null;

const restored = restoreState();

// ---- listeners (top level, synchronous) ---------------------------------------------------

api.runtime.onMessage.addListener(onRuntimeMessage);
// Start with the browser, so the host is up before the first kintone page.
api.runtime.onStartup.addListener(() => {});
api.runtime.onInstalled.addListener(() => {});
api.permissions.onAdded.addListener((p) => {
  if (p.permissions?.includes("webNavigation")) watchNavigations();
});
api.permissions.onRemoved.addListener((p) => {
  if (p.permissions?.includes("webNavigation")) unwatchNavigations();
});
watchNavigations();
connect();

// ---- the native port ------------------------------------------------------------------------

function connect() {
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  nextId = 1;
  pending.clear();
  setState({ connection: "connecting" });
  let p;
  try {
    p = api.runtime.connectNative(HOST_NAME);
  } catch (e) {
    onGone(String(e?.message ?? e));
    return;
  }
  port = p;
  p.onMessage.addListener((m) => {
    if (port === p) onHostMessage(m);
  });
  p.onDisconnect.addListener((gone) => {
    // Chromium sets runtime.lastError here; Firefox sets `port.error`.
    const message = gone?.error?.message ?? api.runtime.lastError?.message ?? "The connection to Tobira closed.";
    if (port === p) {
      port = null;
      onGone(message);
    }
  });
  sayHello();
}

function sayHello() {
  lastHelloAt = Date.now();
  return send({ type: "hello", protocol: lib.PROTOCOL, extension: lib.EXTENSION_VERSION, browser: BROWSER }, true);
}

/**
 * Ask the host for `hello` again (it reads the user's settings before every answer), so a site
 * added in Tobira after the port opened is seen. At most once per REHELLO_MS, never while one
 * is pending; resolves when the answer came, the port closed, or after HELLO_WAIT_MS.
 */
function refreshConfig() {
  if (refresh) return refresh.promise;
  if (!port || state.connection !== "connected" || Date.now() - lastHelloAt < REHELLO_MS) return Promise.resolve();
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  refresh = { promise, resolve, timer: setTimeout(endRefresh, HELLO_WAIT_MS) };
  if (sayHello() === null) endRefresh();
  return promise;
}

function endRefresh() {
  const r = refresh;
  if (!r) return;
  refresh = null;
  clearTimeout(r.timer);
  r.resolve();
}

function onGone(message) {
  config = null;
  pending.clear();
  failures += 1;
  setState({ connection: "disconnected", lastError: message, hostMissing: lib.isHostMissing(message) });
  settle();
  endRefresh();
  const delay = lib.backoffMs(failures - 1);
  reconnectTimer = setTimeout(connect, delay);
}

/** Stop talking to the host: the organisation turned the companion off, or it is too old. */
function stop(connection) {
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  config = null;
  pending.clear();
  const p = port;
  port = null;
  try {
    p?.disconnect();
  } catch {
    // already gone
  }
  setState({ connection });
  settle();
  endRefresh();
}

/** Send one request with a fresh id; returns the id, or null when not connected. */
function send(body, isHello = false) {
  if (!port || (!isHello && state.connection !== "connected")) return null;
  const id = nextId++;
  try {
    port.postMessage({ ...body, id });
  } catch {
    return null;
  }
  return id;
}

function settle() {
  const waiters = settleWaiters;
  settleWaiters = [];
  for (const resolve of waiters) resolve();
}

/** Resolves once the connection is settled: hello answered, refused or failed. */
function whenSettled() {
  if (state.connection !== "connecting") return Promise.resolve();
  return new Promise((resolve) => {
    settleWaiters.push(resolve);
    setTimeout(resolve, HELLO_WAIT_MS);
  });
}

function onHostMessage(raw) {
  const msg = lib.parseHostMessage(raw);
  if (!msg || msg.unknown) return;
  const request = msg.id !== null ? pending.get(msg.id) : undefined;
  if (msg.id !== null) pending.delete(msg.id);
  switch (msg.type) {
    case "hello":
      return onHello(msg);
    case "page-seen":
      setState({ lastSeen: { ...msg, at: Date.now() } });
      if (msg.completed.length > 0) flashBadge("✓", GREEN);
      // The host only answers, never pushes: ask for the status after each page report, so
      // the popup's current step follows a step this page completed.
      send({ type: "status" });
      return;
    case "status":
      if (msg.companion === "off") return stop("off");
      setState({ status: { ...msg, at: Date.now() } });
      return;
    case "lookalike":
      return onLookalike(msg, request);
    case "error":
      setState({ hostError: { code: msg.code, message: msg.message, at: Date.now() } });
      if (msg.code === "companion-disabled") stop("off");
      return;
  }
}

function onHello(msg) {
  failures = 0;
  const host = { app: msg.app, version: msg.version, protocol: msg.protocol, language: msg.language };
  if (lib.negotiateProtocol(msg.protocol) === null) {
    setState({ host });
    return stop("outdated");
  }
  if (msg.companion === "off") {
    setState({ host });
    return stop("off");
  }
  config = { sites: msg.sites, known_texts: msg.known_texts, alert_paths: msg.alert_paths };
  setState({ connection: "connected", lastError: null, hostMissing: false, host, siteCount: msg.sites.length });
  settle();
  endRefresh();
  send({ type: "status" });
}

// ---- content scripts and the popup ---------------------------------------------------------

function senderHost(sender) {
  try {
    const url = new URL(sender.url);
    return url.protocol === "https:" ? lib.normaliseHost(url.hostname) : null;
  } catch {
    return null;
  }
}

function isOwnPage(sender) {
  return typeof sender.url === "string" && sender.url.startsWith(api.runtime.getURL(""));
}

function onRuntimeMessage(message, sender, sendResponse) {
  if (sender.id !== api.runtime.id || !message || typeof message !== "object") return false;
  switch (message.type) {
    case "config":
      configFor(sender).then(sendResponse);
      return true;
    case "page":
      onPageReport(message, sender);
      return false;
    case "popup-state":
      if (!isOwnPage(sender)) return false;
      popupState().then(sendResponse);
      return true;
    default:
      return false;
  }
}

/**
 * A content script asks what to look for; only the user's own sites get an answer. A kintone
 * host not in `sites` may have been added in Tobira since `hello`: ask the host again first.
 */
async function configFor(sender) {
  await whenSettled();
  const host = senderHost(sender);
  if (!host || sender.frameId !== 0) return { active: false };
  if (config && !config.sites.includes(host) && lib.isServiceHost(host)) await refreshConfig();
  if (!config || !config.sites.includes(host)) return { active: false };
  return { active: true, known_texts: config.known_texts, alert_paths: config.alert_paths };
}

async function onPageReport(report, sender) {
  if (!sender.tab || sender.frameId !== 0) return;
  await whenSettled();
  if (!config) return;
  const body = lib.pageSeenRequest(report, config, senderHost(sender));
  if (!body) return;
  send({ type: "page-seen", tab: sender.tab.id, ...body });
}

async function popupState() {
  await restored;
  if (state.connection === "disconnected" && !port) {
    // The popup was opened: try now rather than at the end of the back-off.
    connect();
  }
  await whenSettled();
  if (state.connection === "connected") send({ type: "status" });
  return { ...state };
}

// ---- look-alike warning (opt-in: optional permission "webNavigation") ----------------------

function watchNavigations() {
  const event = api.webNavigation?.onCommitted;
  if (!event || navigationEvent) return;
  navigationEvent = event;
  event.addListener(onCommitted, { url: [{ schemes: ["http", "https"] }] });
}

function unwatchNavigations() {
  navigationEvent?.removeListener(onCommitted);
  navigationEvent = null;
}

async function onCommitted(details) {
  if (details.frameId !== 0) return;
  const host = lib.navigationHost(details.url);
  if (!host || !lib.lookalikeCandidate(host)) return;
  await whenSettled();
  const id = send({ type: "lookalike-check", tab: details.tabId, host });
  if (id !== null) pending.set(id, { type: "lookalike-check", tab: details.tabId, host });
}

async function onLookalike(msg, request) {
  if (!request || request.type !== "lookalike-check" || !msg.lookalike) return;
  if (msg.host && lib.normaliseHost(msg.host) !== request.host) return;
  // Only if the tab is still on that host (the answer takes milliseconds, but be sure).
  try {
    const frame = await api.webNavigation.getFrame({ tabId: request.tab, frameId: 0 });
    if (!frame || lib.navigationHost(frame.url) !== request.host) return;
  } catch {
    return;
  }
  const query = new URLSearchParams({ host: request.host });
  if (msg.real) query.set("real", msg.real);
  try {
    await api.tabs.update(request.tab, { url: `${api.runtime.getURL("warn.html")}?${query}` });
    await api.action.setBadgeBackgroundColor({ tabId: request.tab, color: RED });
    await api.action.setBadgeText({ tabId: request.tab, text: "!" });
  } catch {
    // The tab was closed meanwhile.
  }
  setState({ lookalike: { host: request.host, at: Date.now() } });
}

// ---- badge and state ----------------------------------------------------------------------

function flashBadge(text, color) {
  clearTimeout(badgeTimer);
  Promise.all([api.action.setBadgeBackgroundColor({ color }), api.action.setBadgeText({ text })]).catch(() => {});
  badgeTimer = setTimeout(() => api.action.setBadgeText({ text: "" }).catch(() => {}), BADGE_FLASH_MS);
}

function setState(changes) {
  Object.assign(state, changes);
  // Not before the saved state was read back, or this would overwrite it.
  restored.then(() => api.storage?.session?.set({ state })).catch(() => {});
}

/** After a restart of the worker, bring back what the popup showed (not the connection). */
async function restoreState() {
  try {
    const { state: saved } = (await api.storage?.session?.get("state")) ?? {};
    if (!saved || typeof saved !== "object") return;
    for (const key of ["lastError", "hostMissing", "hostError", "host", "siteCount", "status", "lastSeen", "lookalike"]) {
      if ((state[key] === null || state[key] === false) && saved[key] !== undefined) state[key] = saved[key];
    }
  } catch {
    // storage.session is missing (Firefox before 115): memory only.
  }
}
