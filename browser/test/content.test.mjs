// What the content script reads and sends: the pure parts in lib.js, then content.js itself run
// against a fake page (vm context with a minimal document, location, window and chrome).
import { test } from "node:test";
import assert from "node:assert/strict";
import { context, loadLib, plain, run } from "./support.mjs";

const lib = loadLib();

test("text is compared NFKC-normalised, case-folded, whitespace collapsed", () => {
  assert.equal(lib.normaliseText("  Ｃｏｄｅ：\u3000４０４\n\tNotFound "), "code: 404 notfound");
  const known = ["不正なリクエストです。", "Code: 404 NotFound", "新規登録して参加"];
  assert.deepEqual(plain(lib.findKnownTexts("エラー\n不正な リクエストです。", known)), []);
  assert.deepEqual(plain(lib.findKnownTexts("エラー 不正なリクエストです。 ｃｏｄｅ:  ４０４\nnotfound", known)), [
    "不正なリクエストです。",
    "Code: 404 NotFound",
  ]);
  // Sent in the host's own spelling, never the page's.
  assert.deepEqual(plain(lib.findKnownTexts("ＣＯＤＥ: 404 NOTFOUND", known)), ["Code: 404 NotFound"]);
  assert.deepEqual(plain(lib.findKnownTexts("anything", ["", "   "])), []);
  assert.deepEqual(plain(lib.findKnownTexts("", known)), []);
});

test("found holds at most 20 entries, no duplicates", () => {
  const known = Array.from({ length: 30 }, (_, i) => `error ${String(i).padStart(2, "0")}`);
  const body = known.join(" / ");
  const found = lib.findKnownTexts(body, [...known, known[0]]);
  assert.equal(found.length, 20);
  assert.equal(new Set(found).size, 20);
});

test("alert text: controls and bidi characters stripped, whitespace collapsed, 300 code points, null if empty", () => {
  assert.equal(lib.cleanAlertText([]), null);
  assert.equal(lib.cleanAlertText(["  ", "\n"]), null);
  assert.equal(
    lib.cleanAlertText(["ログイン名\u202eまたは\u200fパスワード\u0007が", "\n正しくありません。"]),
    "ログイン名またはパスワードが 正しくありません。",
  );
  assert.equal(lib.cleanAlertText(["a\u2066b\u2069c\ufeffd\u200be"]), "abcde");
  const long = lib.cleanAlertText(["😀".repeat(400)]);
  assert.equal(Array.from(long).length, 300);
  assert.ok(!long.includes("\ud83d\ud83d"), "a surrogate pair is never cut");
  assert.equal(lib.cleanAlertText(["x".repeat(300)]).length, 300);
});

test("aria-live counts unless it is off; alert paths match exactly or with a trailing slash", () => {
  assert.equal(lib.isLiveRegion("polite"), true);
  assert.equal(lib.isLiveRegion("assertive"), true);
  assert.equal(lib.isLiveRegion(" OFF "), false);
  assert.equal(lib.isLiveRegion(null), false);
  assert.equal(lib.isAlertPath("/login", ["/login"]), true);
  assert.equal(lib.isAlertPath("/login/", ["/login"]), true);
  assert.equal(lib.isAlertPath("/login/x", ["/login"]), false);
  assert.equal(lib.isAlertPath("/k/", ["/login"]), false);
  assert.equal(lib.isAlertPath("/login", []), false);
});

test("a URL becomes host, path and fragment; the query string never leaves", () => {
  assert.deepEqual(
    { ...lib.urlReport("https://Example.Cybozu.com/login?SAMLRequest=secret&redirect=x#/portal") },
    { host: "example.cybozu.com", path: "/login", fragment: "#/portal" },
  );
  assert.deepEqual(
    { ...lib.urlReport("https://example.cybozu.com/k/#/space/3?q=secret") },
    { host: "example.cybozu.com", path: "/k/", fragment: "#/space/3" },
  );
  assert.deepEqual({ ...lib.urlReport("https://example.cybozu.com/k/") }, {
    host: "example.cybozu.com",
    path: "/k/",
    fragment: "",
  });
});

/**
 * An alert region as the page has it: `inForm` (default true) whether it is inside a `form`,
 * `rendered` (default true) whether it has boxes, `visible` what `checkVisibility()` says
 * (absent: a browser without it).
 */
function element(a) {
  const el = {
    getAttribute: (n) => a[n] ?? null,
    closest: (selector) => {
      assert.equal(selector, "form");
      return a.inForm === false ? null : { tagName: "FORM" };
    },
    getClientRects: () => (a.rendered === false ? [] : [{ width: 100, height: 20 }]),
    // A hidden element's innerText is its textContent: that is what must not be read.
    get innerText() {
      return a.text;
    },
  };
  if (a.visible !== undefined) el.checkVisibility = () => a.visible;
  return el;
}

/** A page as the content script sees it, with a hand-driven clock and mutation observer. */
function fakePage({ href, bodyText, alerts = [], config }) {
  const sent = [];
  const listeners = {};
  const timers = [];
  const observers = [];
  class MutationObserver {
    constructor(fn) {
      this.fn = fn;
      this.disconnected = false;
      observers.push(this);
    }
    observe(target, options) {
      this.target = target;
      this.options = options;
    }
    disconnect() {
      this.disconnected = true;
    }
    /** The page changed: call back, as the browser would, unless disconnected. */
    fire() {
      if (!this.disconnected && this.target) this.fn([], this);
    }
  }
  const page = {
    location: { href },
    MutationObserver,
    document: {
      body: { innerText: bodyText },
      querySelectorAll: (selector) => {
        assert.equal(selector, '[role="alert"], [aria-live]', "only alert regions are queried");
        return alerts.map(element);
      },
    },
    window: { addEventListener: (type, fn) => (listeners[type] = fn) },
    setTimeout: (fn, ms) => timers.push({ fn, ms }) && timers.length,
    clearTimeout: () => {},
    chrome: {
      runtime: {
        sendMessage: async (m) => {
          sent.push(structuredClone(m));
          return m.type === "config" ? config : undefined;
        },
      },
    },
  };
  return { page, sent, listeners, timers, observers, alerts };
}

const settle = () => new Promise((r) => setImmediate(r));

test("content script: reports the page without its query, once per URL, and looks again once after 1.5 s", async () => {
  const f = fakePage({
    href: "https://example.cybozu.com/login?SAMLRequest=abc#top",
    bodyText: "ようこそ",
    alerts: [
      { role: "alert", text: "ログイン名またはパスワードが正しくありません。" },
      { "aria-live": "off", text: "hidden helper" },
      { "aria-live": "polite", text: "  再入力してください " },
    ],
    config: { active: true, known_texts: ["不正なリクエストです。", "Code: 404 NotFound"], alert_paths: ["/login"] },
  });
  run(context(f.page), "lib.js", "content.js");
  await settle();
  assert.deepEqual(f.sent[0], { type: "config" });
  assert.deepEqual(f.sent[1], {
    type: "page",
    host: "example.cybozu.com",
    path: "/login",
    fragment: "#top",
    found: [],
    alert_text: "ログイン名またはパスワードが正しくありません。 再入力してください",
  });
  assert.ok(!JSON.stringify(f.sent).includes("SAMLRequest"));

  // Same URL again: nothing new.
  f.listeners.hashchange();
  f.listeners.popstate();
  assert.equal(f.sent.length, 2);

  // The error text renders late: the re-check after 1.5 s sends once, only because it changed.
  const recheck = f.timers.find((t) => t.ms === 1500);
  assert.ok(recheck, "a re-check after 1.5 s");
  f.page.document.body.innerText = "ようこそ 不正なリクエストです。";
  recheck.fn();
  assert.equal(f.sent.length, 3);
  assert.deepEqual(f.sent[2].found, ["不正なリクエストです。"]);
  assert.equal(f.sent[2].text_length, "ようこそ 不正なリクエストです。".length);
  assert.equal(f.sent[1].text_length, undefined, "no length without a known text");
  recheck.fn();
  assert.equal(f.sent.length, 3, "unchanged: not sent again");

  // A hash route of the single-page app: a new report, no alert text off the alert paths.
  f.page.location.href = "https://example.cybozu.com/k/?x=1#/portal";
  f.listeners.hashchange();
  assert.equal(f.sent.length, 4);
  assert.deepEqual(
    { path: f.sent[3].path, fragment: f.sent[3].fragment, alert_text: f.sent[3].alert_text },
    { path: "/k/", fragment: "#/portal", alert_text: null },
  );
});

test("content script: on a host that is not one of the user's sites it reads nothing", async () => {
  const f = fakePage({ href: "https://other.cybozu.com/k/", bodyText: "secret", config: { active: false } });
  f.page.document.querySelectorAll = () => assert.fail("must not query the page");
  Object.defineProperty(f.page.document.body, "innerText", { get: () => assert.fail("must not read the page") });
  run(context(f.page), "lib.js", "content.js");
  await settle();
  assert.deepEqual(f.sent, [{ type: "config" }]);
  assert.deepEqual(Object.keys(f.listeners), []);
});

test("content script: alert text only from rendered alert regions inside a form", async () => {
  const f = fakePage({
    href: "https://example.cybozu.com/login",
    bodyText: "ようこそ",
    alerts: [
      { role: "alert", text: "ログイン名またはパスワードが正しくありません。" },
      { role: "alert", text: "outside any form", inForm: false },
      { role: "alert", text: "display none template", rendered: false },
      { "aria-live": "polite", text: "visibility hidden", visible: false },
      { "aria-live": "assertive", text: "shown", visible: true },
    ],
    config: { active: true, known_texts: [], alert_paths: ["/login"] },
  });
  run(context(f.page), "lib.js", "content.js");
  await settle();
  assert.equal(f.sent[1].alert_text, "ログイン名またはパスワードが正しくありません。 shown");
});

test("content script: a login error that appears after load is sent, once per text, for 30 s", async () => {
  const f = fakePage({
    href: "https://example.cybozu.com/login#x",
    bodyText: "ようこそ",
    alerts: [{ role: "alert", text: "", rendered: false }],
    config: { active: true, known_texts: [], alert_paths: ["/login"] },
  });
  run(context(f.page), "lib.js", "content.js");
  await settle();
  assert.equal(f.sent.length, 2);
  assert.equal(f.sent[1].alert_text, null);
  assert.equal(f.observers.length, 1);
  const [observer] = f.observers;
  assert.equal(observer.target, f.page.document.body);
  assert.equal(observer.options.subtree, true);
  assert.equal(observer.options.childList, true);
  assert.equal(observer.options.characterData, true);

  // Changes that show no alert text send nothing.
  observer.fire();
  assert.equal(f.sent.length, 2);

  // The form shows its error without a reload.
  f.alerts[0] = { role: "alert", text: "ログイン名またはパスワードが正しくありません。" };
  observer.fire();
  assert.equal(f.sent.length, 3);
  assert.deepEqual(f.sent[2], {
    type: "page",
    host: "example.cybozu.com",
    path: "/login",
    fragment: "#x",
    found: [],
    alert_text: "ログイン名またはパスワードが正しくありません。",
  });
  // The same text again (another mutation elsewhere): not sent again.
  observer.fire();
  assert.equal(f.sent.length, 3);
  // Another text: sent.
  f.alerts[0] = { role: "alert", text: "アカウントがロックされています。" };
  observer.fire();
  assert.equal(f.sent.length, 4);
  assert.equal(f.sent[3].alert_text, "アカウントがロックされています。");

  // 30 s after load the watch ends.
  const stop = f.timers.find((t) => t.ms === 30_000);
  assert.ok(stop, "a 30 s timer");
  stop.fn();
  assert.equal(observer.disconnected, true);
  f.alerts[0] = { role: "alert", text: "later" };
  observer.fire();
  assert.equal(f.sent.length, 4);
});

test("content script: no watching off the alert paths", async () => {
  const f = fakePage({
    href: "https://example.cybozu.com/k/#/portal",
    bodyText: "ポータル",
    alerts: [{ role: "alert", text: "something" }],
    config: { active: true, known_texts: [], alert_paths: ["/login"] },
  });
  run(context(f.page), "lib.js", "content.js");
  await settle();
  assert.equal(f.sent[1].alert_text, null);
  assert.equal(f.observers.length, 0);
});
