// The look-alike pre-filter is a port of `is_lookalike` / `edit_distance` in
// src-tauri/crates/tobira-core/src/site.rs: same vectors, and a check that the vectors here
// still cover every look-alike row of the Rust tests and the vendor hosts of scope.rs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadLib, REPO } from "./support.mjs";

const lib = loadLib();
const vectors = JSON.parse(readFileSync(new URL("./lookalike-vectors.json", import.meta.url), "utf8"));

test("edit distance matches the Rust vectors", () => {
  for (const [a, b, d] of vectors.edit_distance) {
    assert.equal(lib.editDistance(a, b), d, `${a} / ${b}`);
    assert.equal(lib.editDistance(b, a), d, `${b} / ${a} (symmetric)`);
  }
});

test("is_lookalike gives the Rust verdict on every row of site/tests.rs", () => {
  for (const row of vectors.rust_rows) {
    assert.equal(lib.isLookalike(row.host), row.lookalike, `${row.input} → ${row.host}`);
  }
  for (const row of vectors.is_lookalike_extra) {
    assert.equal(lib.isLookalike(row.host), row.lookalike, `${row.host}: ${row.why}`);
  }
});

test("the pre-filter excludes real service hosts and the vendor's own hosts", () => {
  for (const row of vectors.prefilter) {
    assert.equal(lib.lookalikeCandidate(row.host), row.candidate, `${row.host}: ${row.why}`);
  }
  for (const host of lib.VENDOR_HOSTS) assert.equal(lib.lookalikeCandidate(host), false, host);
});

test("only http(s) main-frame URLs give a host to check", () => {
  assert.equal(lib.navigationHost("https://Example-Cybozu.com/login?x=1"), "example-cybozu.com");
  assert.equal(lib.navigationHost("http://cyboze.com./"), "cyboze.com");
  assert.equal(lib.navigationHost("ftp://cyboze.com/"), null);
  assert.equal(lib.navigationHost("chrome://newtab/"), null);
  assert.equal(lib.navigationHost("not a url"), null);
});

/** Rust string literal → its value, for the escapes the rows use. */
function unescapeRust(literal) {
  return literal.replace(/\\(.)/g, "$1");
}

test("the vectors cover every look-alike and not-kintone row of site/tests.rs", () => {
  const rust = readFileSync(`${REPO}src-tauri/crates/tobira-core/src/site/tests.rs`, "utf8");
  const rows = [...rust.matchAll(/\(\s*"((?:[^"\\]|\\.)*)",\s*"(lookalike-domain|not-kintone-domain)",?\s*\)/g)];
  assert.ok(rows.length >= 15, `found only ${rows.length} rows: did the test file move?`);
  const inputs = new Map(vectors.rust_rows.map((r) => [r.input, r]));
  for (const [, literal, code] of rows) {
    const input = unescapeRust(literal);
    const row = inputs.get(input);
    assert.ok(row, `row ${JSON.stringify(input)} (${code}) of site/tests.rs is missing from lookalike-vectors.json`);
    assert.equal(row.lookalike, code === "lookalike-domain", input);
  }
  const distances = [...rust.matchAll(/edit_distance\("([^"]*)", "([^"]*)"\), (\d+)\)/g)];
  assert.ok(distances.length >= 5);
  for (const [, a, b, d] of distances) {
    assert.ok(
      vectors.edit_distance.some(([x, y, n]) => x === a && y === b && n === Number(d)),
      `edit_distance("${a}", "${b}") = ${d} is missing from lookalike-vectors.json`,
    );
  }
});

test("VENDOR_HOSTS and the service domains are the Rust ones", () => {
  const scope = readFileSync(`${REPO}src-tauri/crates/tobira-core/src/scope.rs`, "utf8");
  const block = scope.match(/pub const VENDOR_HOSTS: \[&str; \d+\] = \[([^\]]*)\]/);
  assert.ok(block, "VENDOR_HOSTS not found in scope.rs");
  const hosts = [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...lib.VENDOR_HOSTS], hosts);
  const site = readFileSync(`${REPO}src-tauri/crates/tobira-core/src/site.rs`, "utf8");
  const domains = [...site.matchAll(/Region::\w+ => "([a-z.]+\.[a-z]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...lib.SERVICE_DOMAINS], domains);
});

test("the vectors hold every IMITATION_VECTORS row of scope.rs (imitates_kintone)", () => {
  const rust = readFileSync(`${REPO}src-tauri/crates/tobira-core/src/scope.rs`, "utf8");
  const block = rust.match(/const IMITATION_VECTORS: \[\(&str, bool\); \d+\] = \[([\s\S]*?)\n\s*\];/);
  assert.ok(block, "IMITATION_VECTORS not found in scope.rs");
  const rows = [...block[1].matchAll(/\("([^"]+)", (true|false)\)/g)];
  assert.ok(rows.length >= 10);
  for (const [, host, imitates] of rows) {
    const row = vectors.prefilter.find((r) => r.host === host);
    assert.ok(row, `${host} of IMITATION_VECTORS is missing from lookalike-vectors.json`);
    assert.equal(row.candidate, imitates === "true", host);
    assert.equal(lib.lookalikeCandidate(host), imitates === "true", host);
  }
});

test("VENDOR_DOMAINS are the ones of site.rs", () => {
  const site = readFileSync(`${REPO}src-tauri/crates/tobira-core/src/site.rs`, "utf8");
  const block = site.match(/const VENDOR_DOMAINS: \[&str; \d+\] = \[([^\]]*)\]/);
  assert.ok(block, "VENDOR_DOMAINS not found in site.rs");
  assert.deepEqual([...lib.VENDOR_DOMAINS], [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]));
});
