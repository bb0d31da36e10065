// The worker run against a fake browser: what it sends to the host (design note §3), what it
// drops, the back-off, the companion switched off, and the look-alike path.
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { context, plain, run, source } from "./support.mjs";

const SITE = "https://example.cybozu.com";
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function fakePort(name) {
  const port = {
    name,
    sent: [],
    disconnected: false,
    postMessage(m) {
      if (port.disconnected) throw new Error("Attempting to use a disconnected port object");
      port.sent.push(plain(m));
    },
    disconnect() {
      port.disconnected = true;
    },
    onMessage: { addListener: (fn) => (port.receive = (m) => fn(structuredClone(m))) },
    onDisconnect: { addListener: (fn) => (port.gone = fn) },
  };
  return port;
}

/** Start worker.js in a fake Chromium; `navigation` says whether webNavigation is granted. */
function startWorker({ navigation = false, saved = {} } = {}) {
  /** The worker's clock (`Date.now()`), moved by hand. */
  const clock = { now: 1_000_000 };
  const ports = [];
  const timers = new Map();
  let timerId = 0;
  const calls = { tabs: [], badge: [], session: null };
  const events = {};
  const event = (name) => ({
    addListener: (fn, filter) => (events[name] = { fn, filter }),
    removeListener: () => delete events[name],
  });
  const chrome = {
    runtime: {
      id: "ext",
      lastError: undefined,
      getURL: (p) => `chrome-extension://ext/${p}`,
      connectNative: (name) => {
        const port = fakePort(name);
        ports.push(port);
        return port;
      },
      onMessage: event("message"),
      onStartup: event("startup"),
      onInstalled: event("installed"),
    },
    permissions: { onAdded: event("permAdded"), onRemoved: event("permRemoved") },
    tabs: { update: async (tab, props) => calls.tabs.push([tab, plain(props)]) },
    action: {
      setBadgeText: async (d) => calls.badge.push(plain(d)),
      setBadgeBackgroundColor: async () => {},
    },
    storage: {
      session: {
        get: async () => structuredClone(saved),
        set: async (o) => (calls.session = plain(o)),
      },
    },
  };
  const frames = {};
  const webNavigation = {
    onCommitted: event("committed"),
    getFrame: async ({ tabId }) => frames[tabId] ?? null,
  };
  if (navigation) chrome.webNavigation = webNavigation;
  const ctx = context({
    chrome,
    Date: { now: () => clock.now },
    setTimeout: (fn, ms) => (timers.set(++timerId, { fn, ms }), timerId),
    clearTimeout: (id) => timers.delete(id),
  });
  run(ctx, "lib.js");
  const text = source("worker.js");
  assert.equal(text.split('import "./lib.js";').length, 2, "worker.js imports lib.js once");
  vm.runInContext(text.replace('import "./lib.js";', ""), ctx, { filename: "worker.js" });

  const port = () => ports.at(-1);
  /** Send a runtime message as `sender`; resolves with the response (or undefined). */
  const message = (msg, sender) =>
    new Promise((resolve) => {
      const keepOpen = events.message.fn(msg, { id: "ext", ...sender }, resolve);
      if (keepOpen !== true) setImmediate(() => resolve(undefined));
    });
  const fromTab = (url, tab = 42, frameId = 0) => ({ url, tab: { id: tab }, frameId });
  const popup = { url: "chrome-extension://ext/popup.html" };
  /** The host closes the port with `error` (Chromium sets runtime.lastError meanwhile). */
  const disconnect = (error) => {
    const p = port();
    chrome.runtime.lastError = { message: error };
    p.gone(p);
    chrome.runtime.lastError = undefined;
  };
  const fireTimer = () => {
    const [id, t] = [...timers.entries()].at(-1);
    timers.delete(id);
    t.fn();
    return t.ms;
  };
  return { chrome, webNavigation, ports, port, timers, calls, events, frames, message, fromTab, popup, disconnect, fireTimer, clock };
}

const HELLO = {
  type: "hello",
  id: 1,
  app: "tobira",
  version: "0.9.0",
  protocol: 1,
  companion: "on",
  sites: ["example.cybozu.com", "Partner.Kintone.com"],
  known_texts: ["不正なリクエストです。", "Code: 404 NotFound"],
  alert_paths: ["/login"],
};

test("says hello with id 1, protocol, version and browser, then asks for the status", async () => {
  const w = startWorker();
  assert.equal(w.port().name, "dev.tobira.companion");
  assert.deepEqual(w.port().sent, [{ type: "hello", protocol: 1, extension: "0.1.0", browser: "chromium", id: 1 }]);
  w.port().receive(HELLO);
  await flush();
  assert.deepEqual(w.port().sent[1], { type: "status", id: 2 });
  assert.equal(w.calls.session.state.connection, "connected");
});

test("content scripts on the user's sites get the known texts; other hosts get nothing", async () => {
  const w = startWorker();
  const pending = w.message({ type: "config" }, w.fromTab(`${SITE}/login?x=1`));
  w.port().receive(HELLO);
  assert.deepEqual(plain(await pending), {
    active: true,
    known_texts: HELLO.known_texts,
    alert_paths: ["/login"],
  });
  assert.deepEqual(plain(await w.message({ type: "config" }, w.fromTab("https://partner.kintone.com/k/"))).active, true);
  for (const sender of [
    w.fromTab("https://other.cybozu.com/k/"),
    w.fromTab("http://example.cybozu.com/k/"),
    w.fromTab(`${SITE}/k/`, 42, 3),
  ]) {
    assert.deepEqual(plain(await w.message({ type: "config" }, sender)), { active: false }, sender.url);
  }
});

test("page reports become page-seen requests, only for added sites, checked again", async () => {
  const w = startWorker();
  w.port().receive(HELLO);
  await flush();
  const before = w.port().sent.length;
  await w.message(
    {
      type: "page",
      host: "example.cybozu.com",
      path: "/login",
      fragment: "#/x?secret=1",
      found: ["不正なリクエストです。", "something the page said"],
      alert_text: "ログイン名\u202eが違います",
    },
    w.fromTab(`${SITE}/login`),
  );
  await flush();
  assert.deepEqual(w.port().sent.slice(before), [
    {
      type: "page-seen",
      tab: 42,
      host: "example.cybozu.com",
      path: "/login",
      fragment: "#/x",
      found: ["不正なリクエストです。"],
      alert_text: "ログイン名が違います",
      id: before + 1,
    },
  ]);
  // Not an added site; a report claiming another host than its tab's; alert text off its paths;
  // a sub-frame.
  await w.message({ type: "page", host: "other.cybozu.com", path: "/k/", fragment: "", found: [] }, w.fromTab("https://other.cybozu.com/k/"));
  await w.message({ type: "page", host: "example.cybozu.com", path: "/k/", fragment: "", found: [] }, w.fromTab("https://evil.cybozu.com/k/"));
  await w.message({ type: "page", host: "example.cybozu.com", path: "/k/", fragment: "", found: [] }, w.fromTab(`${SITE}/k/`, 42, 2));
  await w.message({ type: "page", host: "example.cybozu.com", path: "/k/", fragment: "", found: [], alert_text: "x" }, w.fromTab(`${SITE}/k/`));
  await flush();
  const after = w.port().sent.slice(before + 1);
  assert.equal(after.length, 1);
  assert.equal(after[0].alert_text, null);
});

test("answers are kept for the popup, with a ✓ badge on a completed step", async () => {
  const w = startWorker();
  w.port().receive(HELLO);
  w.port().receive({
    type: "page-seen",
    id: 5,
    kind: "portal",
    site: "example.cybozu.com",
    completed: [{ flow: "first-login", step: "sign-in", title: "Sign in" }],
    offer: null,
  });
  w.port().receive({ type: "status", id: 6, flow: { id: "first-login", title: "First login", step: { id: "bookmark", title: "Bookmark" }, done: 3, total: 6 }, companion: "on" });
  w.port().receive({ type: "error", id: 9, code: "message-too-large", message: "Too large" });
  w.port().receive({ type: "something-new", id: 10 });
  await flush();
  assert.ok(w.calls.badge.some((b) => b.text === "✓"));
  const state = plain(await w.message({ type: "popup-state" }, w.popup));
  assert.equal(state.connection, "connected");
  assert.equal(state.siteCount, 2);
  assert.equal("lastStep" in state, false, "the host pushes no step-completed");
  assert.equal(state.lastSeen.kind, "portal");
  assert.equal(state.lastSeen.completed[0].title, "Sign in");
  assert.equal(state.status.flow.done, 3);
  assert.equal(state.hostError.code, "message-too-large");
  assert.equal(w.port().sent.at(-1).type, "status", "the popup refreshes the status");
  // Only the extension's own pages may ask.
  assert.equal(await w.message({ type: "popup-state" }, w.fromTab(`${SITE}/k/`)), undefined);
});

test("a missing host: remembered for the popup, reconnect after 1 s, 2 s, 4 s … 60 s", async () => {
  const w = startWorker();
  const delays = [];
  for (let i = 0; i < 9; i++) {
    w.disconnect("Specified native messaging host not found.");
    delays.push(w.fireTimer());
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  w.disconnect("Specified native messaging host not found.");
  await flush();
  assert.equal(w.calls.session.state.connection, "disconnected");
  assert.equal(w.calls.session.state.hostMissing, true);
  // A successful hello resets the back-off.
  w.fireTimer();
  w.port().receive(HELLO);
  await flush();
  assert.equal(w.calls.session.state.hostMissing, false);
  w.disconnect("Native host has exited.");
  assert.equal(w.fireTimer(), 1000);
});

test("companion off: the port is closed and nothing more is sent", async () => {
  const w = startWorker({ navigation: true });
  w.port().receive({ ...HELLO, companion: "off", sites: [] });
  await flush();
  assert.equal(w.port().disconnected, true);
  assert.equal(w.timers.size, 0, "no reconnect");
  assert.deepEqual(plain(await w.message({ type: "config" }, w.fromTab(`${SITE}/k/`))), { active: false });
  await w.events.committed.fn({ frameId: 0, tabId: 7, url: "https://example-cybozu.com/" });
  assert.equal(w.ports.length, 1);
  assert.equal(w.port().sent.length, 1, "only the hello");
  assert.equal(plain(await w.message({ type: "popup-state" }, w.popup)).connection, "off");
});

test("companion-disabled from the host turns it off too", async () => {
  const w = startWorker();
  w.port().receive(HELLO);
  w.port().receive({ type: "error", id: 2, code: "companion-disabled", message: "off" });
  await flush();
  assert.equal(w.port().disconnected, true);
  assert.equal(w.timers.size, 0);
});

test("an older host protocol than supported: Update Tobira, no reconnect", async () => {
  const w = startWorker();
  w.port().receive({ ...HELLO, protocol: 0 });
  await flush();
  assert.equal(w.port().disconnected, true);
  assert.equal(w.calls.session.state.connection, "outdated");
});

test("look-alike: only pre-filtered main-frame hosts are checked; a yes replaces the tab with warn.html", async () => {
  const w = startWorker({ navigation: true });
  assert.deepEqual(plain(w.events.committed.filter), { url: [{ schemes: ["http", "https"] }] });
  w.port().receive(HELLO);
  await flush();
  const before = w.port().sent.length;
  for (const d of [
    { frameId: 0, tabId: 8, url: "https://example.cybozu.com/k/" },
    { frameId: 0, tabId: 8, url: "https://kintone.cybozu.co.jp/" },
    { frameId: 0, tabId: 8, url: "https://www.google.com/" },
    { frameId: 3, tabId: 8, url: "https://example-cybozu.com/" },
  ]) {
    await w.events.committed.fn(d);
  }
  assert.equal(w.port().sent.length, before, "nothing sent");
  w.frames[7] = { url: "https://example-cybozu.com/login" };
  await w.events.committed.fn({ frameId: 0, tabId: 7, url: "https://example-cybozu.com/login?user=x" });
  const check = w.port().sent.at(-1);
  assert.deepEqual(check, { type: "lookalike-check", tab: 7, host: "example-cybozu.com", id: check.id });
  w.port().receive({ type: "lookalike", id: check.id, host: "example-cybozu.com", lookalike: true, real: "example.cybozu.com", message: "…" });
  await flush();
  assert.deepEqual(w.calls.tabs, [
    [7, { url: "chrome-extension://ext/warn.html?host=example-cybozu.com&real=https%3A%2F%2Fexample.cybozu.com%2F" }],
  ]);
  assert.ok(w.calls.badge.some((b) => b.text === "!" && b.tabId === 7));

  // The host refuses: nothing happens. An answer to no request: nothing either.
  w.frames[9] = { url: "https://cyboze.com/" };
  await w.events.committed.fn({ frameId: 0, tabId: 9, url: "https://cyboze.com/" });
  const second = w.port().sent.at(-1);
  w.port().receive({ type: "lookalike", id: second.id, host: "cyboze.com", lookalike: false, real: null, message: "" });
  w.port().receive({ type: "lookalike", id: 999, host: "cyboze.com", lookalike: true, real: null, message: "" });
  await flush();
  assert.equal(w.calls.tabs.length, 1);

  // A `real` that is not a kintone address is not passed on.
  w.frames[10] = { url: "https://kintone-login.net/" };
  await w.events.committed.fn({ frameId: 0, tabId: 10, url: "https://kintone-login.net/" });
  const third = w.port().sent.at(-1);
  w.port().receive({ type: "lookalike", id: third.id, host: "kintone-login.net", lookalike: true, real: "https://evil.test/", message: "" });
  await flush();
  assert.deepEqual(w.calls.tabs.at(-1), [10, { url: "chrome-extension://ext/warn.html?host=kintone-login.net" }]);
});

test("granting webNavigation later takes effect without a restart", async () => {
  const w = startWorker({ navigation: false });
  assert.equal(w.events.committed, undefined);
  w.chrome.webNavigation = w.webNavigation;
  w.events.permAdded.fn({ permissions: ["webNavigation"] });
  assert.equal(typeof w.events.committed.fn, "function");
  w.events.permRemoved.fn({ permissions: ["webNavigation"] });
  assert.equal(w.events.committed, undefined);
});

test("messages from a port that was replaced are ignored", async () => {
  const w = startWorker();
  const old = w.port();
  w.disconnect("Native host has exited.");
  w.fireTimer();
  assert.notEqual(w.port(), old);
  old.receive(HELLO);
  await flush();
  assert.equal(w.calls.session.state.connection, "connecting");
  w.port().receive(HELLO);
  await flush();
  assert.equal(w.calls.session.state.connection, "connected");
});

test("after each page-seen answer the worker asks for the status, so the popup's step follows", async () => {
  const w = startWorker();
  w.port().receive(HELLO);
  await flush();
  await w.message({ type: "page", host: "example.cybozu.com", path: "/k/", fragment: "", found: [] }, w.fromTab(`${SITE}/k/`));
  await flush();
  const request = w.port().sent.at(-1);
  assert.equal(request.type, "page-seen");
  w.port().receive({ type: "page-seen", id: request.id, kind: "portal", site: "example.cybozu.com", completed: [], offer: null });
  await flush();
  assert.deepEqual(w.port().sent.at(-1), { type: "status", id: request.id + 1 });
  // A pushed step-completed (the host sends none) changes nothing and asks for nothing.
  const before = w.port().sent.length;
  w.port().receive({ type: "step-completed", flow: "first-login", step: "sign-in", by: "page", kind: "portal" });
  await flush();
  assert.equal(w.port().sent.length, before);
});

test("a site added in Tobira after the port opened: hello again, then the content script gets its config", async () => {
  const w = startWorker();
  w.port().receive(HELLO);
  await flush();
  const NEW = "https://new.cybozu.com/login";

  // Right after hello the list is fresh: no second hello within 10 s.
  assert.deepEqual(plain(await w.message({ type: "config" }, w.fromTab(NEW))), { active: false });
  assert.equal(w.port().sent.filter((m) => m.type === "hello").length, 1);

  // 10 s later: a kintone host that is not in `sites` makes the worker say hello again,
  // and waits for the answer. A second such page meanwhile sends no second hello.
  w.clock.now += 10_000;
  const first = w.message({ type: "config" }, w.fromTab(NEW));
  const second = w.message({ type: "config" }, w.fromTab("https://other.kintone.com/k/", 43));
  await flush();
  const hellos = w.port().sent.filter((m) => m.type === "hello");
  assert.equal(hellos.length, 2);
  assert.deepEqual(hellos[1], { type: "hello", protocol: 1, extension: "0.1.0", browser: "chromium", id: hellos[1].id });
  assert.ok(hellos[1].id > 1);
  w.port().receive({ ...HELLO, id: hellos[1].id, sites: [...HELLO.sites, "new.cybozu.com"] });
  assert.deepEqual(plain(await first), { active: true, known_texts: HELLO.known_texts, alert_paths: ["/login"] });
  assert.deepEqual(plain(await second), { active: false });
  assert.equal(w.calls.session.state.siteCount, 3);

  // Its page reports now go through as well.
  await w.message({ type: "page", host: "new.cybozu.com", path: "/login", fragment: "", found: [] }, w.fromTab(NEW));
  await flush();
  assert.equal(w.port().sent.at(-1).host, "new.cybozu.com");

  // Within 10 s of that hello: no third one. Hosts that are not kintone's never cause one.
  w.clock.now += 9_000;
  assert.deepEqual(plain(await w.message({ type: "config" }, w.fromTab("https://third.cybozu.com/"))), { active: false });
  w.clock.now += 60_000;
  assert.deepEqual(plain(await w.message({ type: "config" }, w.fromTab("https://example.test/"))), { active: false });
  assert.deepEqual(plain(await w.message({ type: "config" }, w.fromTab("https://third.cybozu.com/", 42, 2))), { active: false });
  assert.equal(w.port().sent.filter((m) => m.type === "hello").length, 2);
});

test("a hello sent again that gets no answer: the content script is told no after the wait", async () => {
  const w = startWorker();
  w.port().receive(HELLO);
  await flush();
  w.clock.now += 10_000;
  const answer = w.message({ type: "config" }, w.fromTab("https://new.cybozu.com/"));
  await flush();
  assert.equal(w.port().sent.filter((m) => m.type === "hello").length, 2);
  assert.equal(w.fireTimer(), 5000);
  assert.deepEqual(plain(await answer), { active: false });
  // The old list still holds meanwhile.
  assert.equal(plain(await w.message({ type: "config" }, w.fromTab(`${SITE}/k/`))).active, true);
});

test("a hello sent again that says the companion is now off closes the port", async () => {
  const w = startWorker();
  w.port().receive(HELLO);
  await flush();
  w.clock.now += 10_000;
  const answer = w.message({ type: "config" }, w.fromTab("https://new.cybozu.com/"));
  await flush();
  const hello = w.port().sent.at(-1);
  assert.equal(hello.type, "hello");
  w.port().receive({ ...HELLO, id: hello.id, companion: "off", sites: [] });
  assert.deepEqual(plain(await answer), { active: false });
  assert.equal(w.port().disconnected, true);
  assert.equal(w.timers.size, 0, "no reconnect, no pending wait");
});
