// The popup run against a fake DOM (popup.js has no import or export, so it runs as a classic
// script): which message it picks for a state, the page kinds it names, and its wording.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { context, plain, REPO, run, source, EXTENSION } from "./support.mjs";

const json = (p) => JSON.parse(readFileSync(EXTENSION + p, "utf8"));
const en = json("_locales/en/messages.json");
const ja = json("_locales/ja/messages.json");
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function fakeElement(id) {
  const el = {
    id,
    hidden: false,
    textContent: "",
    dataset: {},
    children: [],
    replaceChildren: () => (el.children = []),
    append: (child) => el.children.push(child),
    get childElementCount() {
      return el.children.length;
    },
    addEventListener: () => {},
  };
  return el;
}

/**
 * Open the popup on `state` (what the worker answers to `popup-state`). Messages come back as
 * their key, with the substitutions in brackets: "seenKind[kindPortal]".
 */
async function openPopup(state, { browserLanguage = "en" } = {}) {
  const elements = new Map();
  const document = {
    documentElement: {},
    getElementById: (id) => elements.get(id) ?? elements.set(id, fakeElement(id)).get(id),
    querySelectorAll: () => [],
    createElement: () => fakeElement(null),
  };
  const chrome = {
    i18n: {
      getMessage: (key, subs) => (subs ? `${key}[${subs.join("|")}]` : key),
      getUILanguage: () => browserLanguage,
    },
    permissions: { contains: async () => false, request: async () => false },
    storage: { onChanged: { addListener: () => {} } },
    runtime: {
      sendMessage: async (m) => (m.type === "popup-state" ? structuredClone(state) : undefined),
      getURL: (path) => `chrome-extension://id/${path}`,
    },
  };
  // The extension's own catalogues, as the browser serves them.
  const fetch = async (url) => ({ json: async () => json(url.replace("chrome-extension://id/", "")) });
  run(context({ document, chrome, fetch }), "lib.js", "popup.js");
  await settle();
  return (id) => elements.get(id);
}

test("connected with no site added: the popup says to add one in Tobira first", async () => {
  const $ = await openPopup({ connection: "connected", host: { version: "0.9.0" }, siteCount: 0 });
  assert.equal($("seen").textContent, "seenNoSites");
  assert.match(en.seenNoSites.message, /Add your kintone site in Tobira first/);
  assert.match(ja.seenNoSites.message, /先に Tobira であなたの kintone のサイトを追加してください/);

  // With a site, or while not connected (nothing known about the sites): open the site.
  assert.equal((await openPopup({ connection: "connected", siteCount: 1 }))("seen").textContent, "seenNothing");
  assert.equal((await openPopup({ connection: "disconnected", lastError: "x" }))("seen").textContent, "seenNothing");
  // Something seen (by another browser, via status) wins.
  const seen = await openPopup({ connection: "connected", siteCount: 0, status: { last_seen: { kind: "portal", completed: [] } } });
  assert.equal(seen("seen").textContent, "seenKind[kindPortal]");
});

test("host not installed: run the install command, or ask the IT department", async () => {
  const $ = await openPopup({ connection: "disconnected", hostMissing: true, lastError: "Specified native messaging host not found." });
  assert.equal($("connection").textContent, "connNotInstalled");
  assert.equal($("connection").dataset.state, "missing");
  assert.match(en.connNotInstalled.message, /`tobira companion install`, or ask your IT department\.$/);
  assert.match(ja.connNotInstalled.message, /`tobira companion install` を実行してください。または社内の IT 担当者に相談してください。$/);
});

test("the popup names exactly the page kinds the host sends (tobira_core::page::PageKind)", async () => {
  const rust = readFileSync(`${REPO}src-tauri/crates/tobira-core/src/page.rs`, "utf8");
  const body = rust.match(/pub enum PageKind \{([\s\S]*?)\n\}/)[1];
  const kinds = [...body.matchAll(/^\s*([A-Z]\w*),/gm)].map((m) => m[1].replace(/[A-Z]/g, (c, i) => (i ? "-" : "") + c.toLowerCase()));
  assert.deepEqual(kinds, ["login", "portal", "app", "space", "guest-space", "account-settings", "admin", "error", "other"]);

  const popup = source("popup.js");
  const labelled = [...popup.match(/function kindLabel[\s\S]*?\n\}/)[0].matchAll(/case "([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(labelled.filter((k) => !kinds.includes(k)), [], "labels for kinds the host never sends");
  assert.deepEqual(kinds.filter((k) => !labelled.includes(k)), ["other"], "only `other` is the default");

  const labels = new Set();
  for (const kind of kinds) {
    const $ = await openPopup({ connection: "connected", siteCount: 1, lastSeen: { kind, completed: [] } });
    labels.add($("seen").textContent);
  }
  assert.equal(labels.size, kinds.length, "a label of its own for each kind");
  for (const gone of ["kindRoot", "kindServiceSelect", "kind2faSettings", "seenStepCompleted"]) {
    assert.equal(en[gone], undefined, gone);
  }
});

test("Japanese wording follows the app: ブラウザー, ガイド, a Japanese extension name", () => {
  const text = JSON.stringify(plain(ja));
  assert.doesNotMatch(text, /ブラウザ(?!ー)/);
  assert.doesNotMatch(text, /ウォークスルー/);
  assert.equal(ja.extName.message, "Tobira ブラウザー連携");
  assert.equal(ja.popupTitle.message, ja.extName.message);
  assert.match(ja.stepFlow.message, /^ガイド: /);
});

test("the popup speaks Tobira's language when the browser speaks another", async () => {
  const state = (language) => ({
    connection: "connected",
    host: { version: "0.1.0", language },
    siteCount: 1,
    status: { language, flow: { id: "f", title: "はじめて kintone にログインする", step: { id: "b", title: "ポータル" }, done: 3, total: 6 } },
  });
  // An English browser, Tobira in Japanese: Japanese throughout, placeholders filled.
  const $ = await openPopup(state("ja"));
  assert.equal($("connection").textContent, "Tobira 0.1.0 に接続しました。");
  assert.equal($("step").textContent, "ステップ 4 / 6: ポータル");
  // The browser's own language is left to the browser (getMessage, here the key).
  assert.equal((await openPopup(state("en")))("connection").textContent, "connConnected[0.1.0]");
  assert.equal((await openPopup(state("en"), { browserLanguage: "ja" }))("connection").textContent, "Connected to Tobira 0.1.0.");
  // Before the host has said, or when it names no language we have: the browser's.
  assert.equal((await openPopup(state(null)))("connection").textContent, "connConnected[0.1.0]");
});
