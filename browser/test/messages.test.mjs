// Checking what the host sends (design note §3) and the small rules around it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadLib, plain } from "./support.mjs";

const lib = loadLib();
const parse = (m) => plain(lib.parseHostMessage(m));

test("not a message: null", () => {
  for (const m of [null, undefined, 3, "hello", [], {}, { type: 1 }]) assert.equal(lib.parseHostMessage(m), null, JSON.stringify(m));
});

test("hello: a bare hello is protocol 1, on, with nothing to watch", () => {
  assert.deepEqual(parse({ type: "hello", app: "tobira", version: "0.9.0" }), {
    type: "hello",
    id: null,
    app: "tobira",
    version: "0.9.0",
    protocol: 1,
    language: null,
    companion: "on",
    sites: [],
    known_texts: [],
    alert_paths: [],
  });
});

test("Tobira's language passes from hello and status only as ja or en", () => {
  assert.equal(parse({ type: "hello", language: "ja" }).language, "ja");
  assert.equal(parse({ type: "status", language: "en" }).language, "en");
  for (const odd of ["fr", "JA", 1, null, "ja-JP"]) assert.equal(parse({ type: "status", language: odd }).language, null, String(odd));
});

test("messages are formatted as i18n.getMessage does: placeholders, positions, $$", () => {
  const entry = {
    message: "Step $N$ of $TOTAL$: $TITLE$ ($$)",
    placeholders: { n: { content: "$1" }, total: { content: "$2" }, title: { content: "$3" } },
  };
  assert.equal(lib.formatMessage(entry, ["4", "6", "Sign in $1"]), "Step 4 of 6: Sign in $1 ($)");
  assert.equal(lib.formatMessage(entry, ["4"]), "Step 4 of :  ($)", "missing ones are empty");
  assert.equal(lib.formatMessage({ message: "Plain" }), "Plain");
  assert.equal(lib.formatMessage({ message: "$UNKNOWN$ stays" }), "$UNKNOWN$ stays");
  assert.equal(lib.formatMessage(undefined, ["x"]), "");
  // Placeholder names in any case; $N in the message itself, as Chrome does.
  assert.equal(lib.formatMessage({ message: "v$Version$", placeholders: { Version: { content: "$1" } } }, ["2"]), "v2");
  assert.equal(lib.formatMessage({ message: "$1 and $2" }, ["a", "b"]), "a and b");
});

test("hello: lists are cleaned, hosts lower-cased, alert paths must be paths", () => {
  const h = parse({
    type: "hello",
    id: 1,
    protocol: 2,
    companion: "off",
    sites: ["Example.Cybozu.com.", 7, "", null],
    known_texts: ["不正なリクエストです。", "x".repeat(201), 5],
    alert_paths: ["/login", "login", 3],
    extra: "ignored",
  });
  assert.equal(h.companion, "off");
  assert.equal(h.protocol, 2);
  assert.deepEqual(h.sites, ["example.cybozu.com"]);
  assert.deepEqual(h.known_texts, ["不正なリクエストです。"]);
  assert.deepEqual(h.alert_paths, ["/login"]);
  assert.equal("extra" in h, false);
  const many = parse({ type: "hello", known_texts: Array.from({ length: 500 }, (_, i) => `t${i}`) });
  assert.equal(many.known_texts.length, 200);
});

test("page-seen, status, lookalike, error and unknown types (step-completed among them)", () => {
  const seen = parse({
    type: "page-seen",
    id: 5,
    kind: "error",
    site: "example.cybozu.com",
    completed: [{ flow: "first-login", step: "sign-in", title: "Sign in" }, { bogus: true }, "x"],
    offer: { text: "不正なリクエストです。", causes: ["maintenance", 3] },
  });
  assert.deepEqual(seen.completed, [{ flow: "first-login", step: "sign-in", title: "Sign in" }]);
  assert.deepEqual(seen.offer, { text: "不正なリクエストです。", causes: ["maintenance"] });
  assert.equal(parse({ type: "page-seen", id: 2, offer: { causes: [] } }).offer, null);

  const status = parse({
    type: "status",
    id: 4,
    flow: { id: "first-login", title: "First", step: { id: "bookmark", title: "Bookmark" }, done: 3, total: 6 },
    last_seen: { kind: "portal", site: "example.cybozu.com" },
    companion: "on",
  });
  assert.deepEqual(status.flow, { id: "first-login", title: "First", step: { id: "bookmark", title: "Bookmark" }, done: 3, total: 6 });
  assert.deepEqual(status.last_seen, { kind: "portal", site: "example.cybozu.com", completed: [], offer: null });
  assert.equal(parse({ type: "status", flow: { id: "f", done: -1, total: "6" } }).flow.total, 0);
  // The Rust host's shape: LastSeen {at, site, page, offer, completed}.
  assert.deepEqual(
    parse({
      type: "status",
      flow: null,
      last_seen: {
        at: 1,
        site: "example.cybozu.com",
        page: "error",
        offer: { text: "不正なリクエストです。", causes: ["maintenance"] },
        completed: [{ flow: "first-login", step: "sign-in", title: "Sign in", page: "portal" }],
      },
    }).last_seen,
    {
      kind: "error",
      site: "example.cybozu.com",
      completed: [{ flow: "first-login", step: "sign-in", title: "Sign in" }],
      offer: { text: "不正なリクエストです。", causes: ["maintenance"] },
    },
  );
  assert.equal(parse({ type: "status", last_seen: { site: "x" } }).last_seen, null);
  assert.equal(parse({ type: "status", flow: null }).flow, null);

  // The host never pushes step-completed: it is not a message the extension knows.
  assert.deepEqual(parse({ type: "step-completed", flow: "first-login", step: "sign-in", by: "page", kind: "portal" }), {
    type: "step-completed",
    id: null,
    unknown: true,
  });
  const look = parse({ type: "lookalike", id: 3, host: "example-cybozu.com", lookalike: true, real: "example.cybozu.com", message: "m" });
  assert.equal(look.real, "https://example.cybozu.com/");
  assert.equal(parse({ type: "lookalike", id: 3, lookalike: "yes" }).lookalike, false);
  assert.deepEqual(parse({ type: "error", id: 9, code: "message-too-large", message: "…" }), {
    type: "error",
    id: 9,
    code: "message-too-large",
    message: "…",
  });
  assert.deepEqual(parse({ type: "error" }), { type: "error", id: null, code: "unknown", message: "" });
  assert.deepEqual(parse({ type: "future-thing", id: 1.5 }), { type: "future-thing", id: null, unknown: true });
});

test("the link to the real site is only ever an https kintone address", () => {
  const ok = {
    "example.cybozu.com": "https://example.cybozu.com/",
    "https://example.kintone.com/": "https://example.kintone.com/",
    "example.s.cybozu.cn": "https://example.s.cybozu.cn/",
    "my-company.cybozu.com": "https://my-company.cybozu.com/",
  };
  for (const [input, url] of Object.entries(ok)) assert.equal(lib.realSiteUrl(input), url, input);
  for (const bad of [
    null,
    "",
    "cybozu.com",
    "http://example.cybozu.com/",
    "https://example.cybozu.com",
    "https://example.cybozu.com/k/",
    "https://example.cybozu.com:8443/",
    "https://user@example.cybozu.com/",
    "https://example.cybozu.com.evil.test/",
    "javascript:alert(1)//example.cybozu.com/",
    "example-cybozu.com",
    "a.b.cybozu.com",
    "-x.cybozu.com",
    "EXAMPLE.cybozu.com",
    "example.cybozu.com/",
  ]) {
    assert.equal(lib.realSiteUrl(bad), null, String(bad));
  }
});

test("protocol: speak min(ours, theirs); a host older than 1 is refused", () => {
  assert.equal(lib.negotiateProtocol(1), 1);
  assert.equal(lib.negotiateProtocol(5), 1);
  assert.equal(lib.negotiateProtocol(0), null);
});

test("back-off: 1, 2, 4 … 60 seconds", () => {
  assert.deepEqual(
    Array.from({ length: 10 }, (_, i) => lib.backoffMs(i)),
    [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000],
  );
  assert.equal(lib.backoffMs(-3), 1000);
  assert.equal(lib.backoffMs(1e6), 60000);
});

test("a missing host is told apart from other errors, in Chromium's and Firefox's words", () => {
  assert.equal(lib.isHostMissing("Specified native messaging host not found."), true);
  assert.equal(lib.isHostMissing("No such native application dev.tobira.companion"), true);
  assert.equal(lib.isHostMissing("Native host has exited."), false);
  assert.equal(lib.isHostMissing("Access to the specified native messaging host is forbidden."), false);
  assert.equal(lib.isHostMissing(null), false);
});

test("a page report is checked again before it becomes page-seen", () => {
  const config = { sites: ["example.cybozu.com"], known_texts: ["A", "B"], alert_paths: ["/login"] };
  const report = { host: "Example.cybozu.com", path: "/login", fragment: "#/x?y", found: ["A", "C", 3], alert_text: "bad\u202e  login" };
  assert.deepEqual(plain(lib.pageSeenRequest(report, config, "example.cybozu.com")), {
    host: "example.cybozu.com",
    path: "/login",
    fragment: "#/x",
    found: ["A"],
    alert_text: "bad login",
  });
  assert.equal(lib.pageSeenRequest(report, config, "other.cybozu.com"), null, "not the sender's page");
  assert.equal(lib.pageSeenRequest({ ...report, host: "other.cybozu.com" }, config, "other.cybozu.com"), null, "not a site");
  assert.equal(lib.pageSeenRequest({ ...report, path: "k/" }, config, "example.cybozu.com"), null, "not a path");
  assert.equal(lib.pageSeenRequest({ ...report, path: "/k/" }, config, "example.cybozu.com").alert_text, null);
  assert.equal(lib.pageSeenRequest(null, config, "example.cybozu.com"), null);
  // The page's length goes along only with a known text, as a bounded number.
  assert.equal(lib.pageSeenRequest({ ...report, text_length: 42 }, config, "example.cybozu.com").text_length, 42);
  assert.equal(lib.pageSeenRequest({ ...report, text_length: 5e9 }, config, "example.cybozu.com").text_length, 1_000_000);
  assert.equal(lib.pageSeenRequest({ ...report, text_length: "long" }, config, "example.cybozu.com").text_length, undefined);
  assert.equal(lib.pageSeenRequest({ ...report, found: [], text_length: 42 }, config, "example.cybozu.com").text_length, undefined);
  const long = lib.pageSeenRequest({ ...report, alert_text: "x".repeat(1000) }, config, "example.cybozu.com");
  assert.equal(long.alert_text.length, 300);
});
