// Shared by the tests: load the extension's classic scripts into a bare `vm` context, the way
// a content script sees them (no Node globals, no module system). Node's test runner also runs
// this file (it runs every file under a `test/` folder), hence the one test at the bottom, which
// is registered only then, not in every file that imports this one.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";

export const EXTENSION = fileURLToPath(new URL("../extension/", import.meta.url));
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

export function source(name) {
  return readFileSync(EXTENSION + name, "utf8");
}

/** A fresh context with only what a browser page also has that the scripts use. */
export function context(extra = {}) {
  return vm.createContext({ URL, URLSearchParams, console, ...extra });
}

/** Run `names` (e.g. "lib.js", "content.js") as classic scripts in `ctx`. */
export function run(ctx, ...names) {
  for (const name of names) vm.runInContext(source(name), ctx, { filename: name });
  return ctx;
}

export function loadLib() {
  return run(context(), "lib.js").TobiraLib;
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);

if (isMain) test("lib.js is a classic script that defines a frozen TobiraLib in a bare context", () => {
  const text = source("lib.js");
  assert.doesNotMatch(text, /^\s*(export|import)\s/m, "content scripts cannot be modules");
  const lib = loadLib();
  assert.equal(typeof lib.isLookalike, "function");
  assert.ok(Object.isFrozen(lib));
  // Twice in one context (an extension reload re-runs content scripts) is fine.
  const ctx = run(context(), "lib.js", "lib.js");
  assert.equal(typeof ctx.TobiraLib.urlReport, "function");
});

/** A value from the vm context as a plain value of this one (deepEqual compares prototypes). */
export function plain(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
