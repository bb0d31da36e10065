// The checked-in manifest (Chromium's, loadable unpacked as is) and its messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { EXTENSION } from "./support.mjs";

const json = (p) => JSON.parse(readFileSync(EXTENSION + p, "utf8"));
const manifest = json("manifest.json");
const HOSTS = ["https://*.cybozu.com/*", "https://*.kintone.com/*", "https://*.cybozu.cn/*"];

test("permissions are the minimum the design note allows", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.permissions, ["nativeMessaging", "storage"]);
  assert.deepEqual(manifest.optional_permissions, ["webNavigation"]);
  assert.deepEqual(manifest.host_permissions, HOSTS);
  assert.equal(manifest.content_scripts.length, 1);
  const cs = manifest.content_scripts[0];
  assert.deepEqual(cs.matches, HOSTS);
  assert.equal(cs.run_at, "document_end");
  assert.equal(cs.all_frames, false);
  assert.deepEqual(cs.js, ["lib.js", "content.js"]);
  const text = JSON.stringify(manifest);
  for (const forbidden of ["<all_urls>", '"tabs"', '"history"', '"scripting"', "content_security_policy", "web_accessible_resources", "externally_connectable"]) {
    assert.ok(!text.includes(forbidden), forbidden);
  }
});

test("the key gives the id in ids.json", () => {
  const ids = json("ids.json");
  assert.deepEqual(Object.keys(ids), ["chromium_dev", "gecko"]);
  assert.equal(ids.gecko, "companion@tobira.dev");
  const hex = createHash("sha256").update(Buffer.from(manifest.key, "base64")).digest("hex").slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
  assert.equal(id, ids.chromium_dev);
  assert.match(manifest.key, /^MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A/, "an RSA-2048 public key (SubjectPublicKeyInfo)");
});

test("every file the manifest names exists", () => {
  const files = [
    manifest.background.service_worker,
    manifest.action.default_popup,
    ...Object.values(manifest.icons),
    ...Object.values(manifest.action.default_icon),
    ...manifest.content_scripts.flatMap((c) => c.js),
  ];
  for (const f of files) assert.ok(existsSync(EXTENSION + f), f);
});

test("both locales have the same keys, and every key used exists", () => {
  const en = json("_locales/en/messages.json");
  const ja = json("_locales/ja/messages.json");
  assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  const used = new Set();
  for (const f of readdirSync(EXTENSION)) {
    if (!/\.(js|html|json)$/.test(f)) continue;
    const text = readFileSync(EXTENSION + f, "utf8");
    for (const m of text.matchAll(/__MSG_(\w+)__|getMessage\("(\w+)"|msg\("(\w+)"|data-i18n="(\w+)"/g)) used.add(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  assert.ok(used.size > 30, `only ${used.size} keys found`);
  for (const key of used) {
    assert.ok(en[key]?.message, `en lacks ${key}`);
    assert.ok(ja[key]?.message, `ja lacks ${key}`);
  }
  for (const [key, entry] of Object.entries(en)) {
    const names = (m) => [...m.matchAll(/\$(\w+)\$/g)].map((x) => x[1].toLowerCase()).sort();
    assert.deepEqual(names(ja[key].message), names(entry.message), `placeholders of ${key}`);
    for (const n of names(entry.message)) assert.ok(entry.placeholders?.[n], `${key} declares $${n}$`);
  }
  assert.ok(en.extDescription.message.length <= 132 && ja.extDescription.message.length <= 132);
});

test("pages render text only: no innerHTML, no inline script, no remote code", () => {
  for (const f of readdirSync(EXTENSION)) {
    if (!/\.(js|html)$/.test(f)) continue;
    const text = readFileSync(EXTENSION + f, "utf8");
    assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/, f);
    assert.doesNotMatch(text, /https?:\/\/(?!\*\.)[a-z0-9.-]+\.[a-z]+\/[^"'\s]*\.js/i, `${f} loads remote code`);
    if (f.endsWith(".html")) assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, `${f} has an inline script`);
  }
});
