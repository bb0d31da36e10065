// The extension's pure logic: no browser API in here, so `node --test browser/test/` runs it.
//
// A classic script that defines `globalThis.TobiraLib`, because MV3 content scripts cannot be
// ES modules: the content script loads it first in its `js` list, the service worker
// (`type: module`) and the pages `import "./lib.js"` for its side effect, the tests run it in a
// `vm` context. Keep it free of `export` and of `this` at the top level.
(() => {
  "use strict";

  const PROTOCOL = 1;
  /** The oldest host protocol this extension can speak; older hosts get "Update Tobira". */
  const MIN_HOST_PROTOCOL = 1;
  const EXTENSION_VERSION = "0.1.0";

  /** `VENDOR_DOMAINS` in `site.rs`: the vendor's own domains and every host under them. */
  const VENDOR_DOMAINS = ["cybozu.co.jp", "cybozu.help", "kintone.help"];

  /** The kintone service domains, as `Region::domain` in `tobira-core/src/site.rs`. */
  const SERVICE_DOMAINS = ["cybozu.com", "kintone.com", "cybozu.cn"];

  /** `scope::VENDOR_HOSTS` in `tobira-core/src/scope.rs`; a test keeps the two equal. */
  const VENDOR_HOSTS = [
    "jp.cybozu.help",
    "get.kintone.help",
    "help.cybozu.cn",
    "kintone.cybozu.co.jp",
    "www.kintone.com",
    "www.cybozu.cn",
    "cs.cybozu.co.jp",
    "kintone.statuspage.io",
  ];

  // Caps from the design note, §9.
  const MAX_FOUND = 20;
  const MAX_ALERT_CHARS = 300;
  // Caps on what the host may hand us, so a broken host cannot make the content script
  // search the page for thousands of strings.
  const MAX_KNOWN_TEXTS = 200;
  const MAX_KNOWN_TEXT_CHARS = 200;
  const MAX_SITES = 100;
  const MAX_ALERT_PATHS = 20;

  // ---- look-alike pre-filter ------------------------------------------------------------

  /** Levenshtein distance over code points (Rust's `chars()`), as `site.rs` `edit_distance`. */
  function editDistance(a, b) {
    const bs = Array.from(b);
    const row = [];
    for (let j = 0; j <= bs.length; j++) row.push(j);
    let i = 0;
    for (const ca of a) {
      let diagonal = row[0];
      row[0] = i + 1;
      for (let j = 0; j < bs.length; j++) {
        const substitution = diagonal + (ca !== bs[j] ? 1 : 0);
        diagonal = row[j + 1];
        row[j + 1] = Math.min(substitution, row[j] + 1, row[j + 1] + 1);
      }
      i++;
    }
    return row[bs.length];
  }

  /** Rust's `str::rsplitn(n, sep)`: at most `n` pieces, split from the right. */
  function rsplitn(text, n, sep) {
    const pieces = [];
    let rest = text;
    while (pieces.length < n - 1) {
      const at = rest.lastIndexOf(sep);
      if (at < 0) break;
      pieces.push(rest.slice(at + sep.length));
      rest = rest.slice(0, at);
    }
    pieces.push(rest);
    return pieces;
  }

  /**
   * A faithful port of `is_lookalike` in `tobira-core/src/site.rs`: a host that mentions a
   * vendor name, or whose registrable part is within two typos of a kintone domain. Like the
   * Rust function it says yes to real and vendor hosts too; `lookalikeCandidate` excludes them.
   */
  function isLookalike(host) {
    if (host.includes("cybozu") || host.includes("kintone")) return true;
    const labels = rsplitn(host, 3, ".");
    if (labels.length < 2) return false;
    const [tld, name] = labels;
    const registrable = `${name}.${tld}`;
    return SERVICE_DOMAINS.some((domain) => {
      const vendor = domain.split(".")[0];
      return editDistance(registrable, domain) <= 2 || editDistance(name, vendor) <= 2;
    });
  }

  /** A host of the kintone service itself: `*.cybozu.com`, `*.kintone.com`, `*.cybozu.cn`. */
  function isServiceHost(host) {
    return SERVICE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
  }

  /** A host of the vendor's: `scope::VENDOR_HOSTS`, or under one of `VENDOR_DOMAINS`. */
  function isVendorHost(host) {
    return VENDOR_HOSTS.includes(host) || VENDOR_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
  }

  /** ASCII lower case, no trailing dots (as `imitates_kintone`); how hosts are compared here. */
  function normaliseHost(host) {
    if (typeof host !== "string") return "";
    return host.replace(/[A-Z]+/g, (c) => c.toLowerCase()).replace(/\.+$/, "");
  }

  /**
   * The pre-filter run on every main-frame navigation once the user opted in: a port of
   * `imitates_kintone` in `scope.rs` — a look-alike that is neither a host of the service
   * (where `match_kintone_domain` gives an address or another error) nor one of the vendor's.
   * Only hosts that pass are sent to Tobira (`lookalike-check`), which decides again in Rust.
   */
  function lookalikeCandidate(host) {
    const h = normaliseHost(host);
    if (h === "" || isServiceHost(h) || isVendorHost(h)) return false;
    return isLookalike(h);
  }

  /** The host of a navigation worth checking: http(s) only, else null. */
  function navigationHost(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    return normaliseHost(parsed.hostname) || null;
  }

  const REAL_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.s)?\.(?:cybozu\.com|kintone\.com|cybozu\.cn)$/;

  /**
   * The link to the real site on the warning page: `real` from the host, either a host
   * (`example.cybozu.com`, the design note's shape) or `https://example.cybozu.com/`.
   * Anything else — another scheme, a path, a port, user info, another domain — gives null.
   */
  function realSiteUrl(real) {
    if (typeof real !== "string" || real.length > 300) return null;
    const host = real.startsWith("https://") && real.endsWith("/") ? real.slice(8, -1) : real;
    return REAL_HOST.test(host) ? `https://${host}/` : null;
  }

  // ---- what the content script reads -----------------------------------------------------

  /** NFKC (folds full-width forms), lower case, whitespace collapsed, trimmed. */
  function normaliseText(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
  }

  /** Which of `knownTexts` occur in `bodyText`, in their original spelling, at most 20. */
  function findKnownTexts(bodyText, knownTexts) {
    const body = normaliseText(bodyText);
    const found = [];
    for (const known of knownTexts) {
      if (found.length >= MAX_FOUND) break;
      if (typeof known !== "string" || found.includes(known)) continue;
      const needle = normaliseText(known);
      if (needle !== "" && body.includes(needle)) found.push(known);
    }
    return found;
  }

  // C0/C1 controls, and the format characters: bidi controls (U+200E/F, U+202A–E,
  // U+2066–9), zero-width characters, the BOM.
  const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/gu;

  /** Strip controls and bidi characters, collapse whitespace, cap at 300 code points. */
  function cleanAlertText(parts) {
    const joined = parts
      .map((p) => String(p).replace(/[\t\n\r\f\v]/g, " ").replace(CONTROL_OR_FORMAT, ""))
      .join(" ")
      .replace(/\s+/gu, " ")
      .trim();
    if (joined === "") return null;
    const chars = Array.from(joined);
    return chars.length > MAX_ALERT_CHARS ? chars.slice(0, MAX_ALERT_CHARS).join("") : joined;
  }

  /** `aria-live` values that announce: anything present but "off". */
  function isLiveRegion(value) {
    return typeof value === "string" && value.trim().toLowerCase() !== "off";
  }

  /** Whether alert text may be read on `path`: exact, or the same with a trailing slash. */
  function isAlertPath(path, alertPaths) {
    return alertPaths.some((p) => path === p || (!p.endsWith("/") && path === `${p}/`));
  }

  /**
   * The URL part of a page report: host, path and fragment. The query string is dropped
   * (it carries `SAMLRequest`, `redirect=`…), and so is anything after `?` in the fragment.
   */
  function urlReport(href) {
    const url = new URL(href);
    let fragment = url.hash;
    const q = fragment.indexOf("?");
    if (q >= 0) fragment = fragment.slice(0, q);
    return { host: normaliseHost(url.hostname), path: url.pathname, fragment };
  }

  // ---- messages from the host ------------------------------------------------------------

  const isInt = (v) => Number.isSafeInteger(v);
  const str = (v, max = 1000) => (typeof v === "string" ? v.slice(0, max) : null);
  const strList = (v, maxItems, maxChars) =>
    Array.isArray(v)
      ? v.filter((s) => typeof s === "string" && s !== "" && s.length <= maxChars).slice(0, maxItems)
      : [];

  /** `completed` and `offer` of a `page-seen` answer or of `status.last_seen`. */
  function seenParts(msg) {
    const completed = Array.isArray(msg.completed)
      ? msg.completed
          .filter((c) => c && typeof c === "object" && typeof c.step === "string")
          .slice(0, 20)
          .map((c) => ({ flow: str(c.flow, 100), step: str(c.step, 100), title: str(c.title, 300) }))
      : [];
    let offer = null;
    if (msg.offer && typeof msg.offer === "object" && typeof msg.offer.text === "string") {
      offer = { text: str(msg.offer.text, 300), causes: strList(msg.offer.causes, 20, 100) };
    }
    return { completed, offer };
  }

  /**
   * Check and normalise one message from the host (§3 of the design note). Returns null for
   * something that is not a message at all; unknown types come back as `{type}` with
   * `unknown: true` (ignored); unknown fields are dropped. The host only ever answers a
   * request: the `step-completed` push of the design note is not sent by it, so it is one of
   * the unknown types here.
   */
  function parseHostMessage(msg) {
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) return null;
    if (typeof msg.type !== "string") return null;
    const id = isInt(msg.id) ? msg.id : null;
    switch (msg.type) {
      case "hello": {
        const protocol = isInt(msg.protocol) ? msg.protocol : 1;
        return {
          type: "hello",
          id,
          app: str(msg.app, 100),
          version: str(msg.version, 100),
          protocol,
          language: language(msg.language),
          companion: msg.companion === "off" ? "off" : "on",
          sites: strList(msg.sites, MAX_SITES, 253).map(normaliseHost),
          known_texts: strList(msg.known_texts, MAX_KNOWN_TEXTS, MAX_KNOWN_TEXT_CHARS),
          alert_paths: strList(msg.alert_paths, MAX_ALERT_PATHS, 200).filter((p) => p.startsWith("/")),
        };
      }
      case "page-seen":
        return { type: "page-seen", id, kind: str(msg.kind, 50), site: str(msg.site, 253), ...seenParts(msg) };
      case "lookalike":
        return {
          type: "lookalike",
          id,
          host: str(msg.host, 253),
          lookalike: msg.lookalike === true,
          real: realSiteUrl(msg.real),
          message: str(msg.message, 500),
        };
      case "status": {
        let flow = null;
        const f = msg.flow;
        if (f && typeof f === "object" && typeof f.id === "string") {
          const step = f.step && typeof f.step === "object" && typeof f.step.id === "string"
            ? { id: str(f.step.id, 100), title: str(f.step.title, 300) }
            : null;
          flow = {
            id: str(f.id, 100),
            title: str(f.title, 300),
            step,
            done: isInt(f.done) && f.done >= 0 ? f.done : 0,
            total: isInt(f.total) && f.total >= 0 ? f.total : 0,
          };
        }
        // The host's `last_seen` (what any browser showed last, kept for 15 minutes) names the
        // page kind `page`; the design note's example says `kind`: take either.
        const ls = msg.last_seen;
        const kind = ls && typeof ls === "object" ? (typeof ls.kind === "string" ? ls.kind : ls.page) : null;
        const lastSeen = typeof kind === "string"
          ? { kind: str(kind, 50), site: str(ls.site, 253), ...seenParts(ls) }
          : null;
        return {
          type: "status",
          id,
          flow,
          last_seen: lastSeen,
          language: language(msg.language),
          companion: msg.companion === "off" ? "off" : "on",
        };
      }
      case "error":
        return { type: "error", id, code: str(msg.code, 100) ?? "unknown", message: str(msg.message, 500) ?? "" };
      default:
        return { type: msg.type.slice(0, 50), id, unknown: true };
    }
  }

  /** Tobira's language as the host names it, or null. */
  function language(value) {
    return value === "ja" || value === "en" ? value : null;
  }

  /**
   * A `_locales/<lang>/messages.json` entry with its substitutions, as `i18n.getMessage` does it:
   * `$name$` (any case) is the placeholder's content, in which `$1`…`$9` are the
   * substitutions, as they are in the message itself; `$$` is a dollar sign. "" for a missing
   * entry.
   */
  function formatMessage(entry, substitutions = []) {
    if (!entry || typeof entry.message !== "string") return "";
    const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
    const placeholders = new Map(
      Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p]),
    );
    const positional = (n) => String(subs[Number(n) - 1] ?? "");
    const content = (text) => String(text).replace(/\$(\d)/g, (_, n) => positional(n));
    return entry.message.replace(/\$\$|\$(\d)|\$([A-Za-z0-9_@]+)\$/g, (whole, n, name) => {
      if (n !== undefined) return positional(n);
      if (name === undefined) return "$";
      const placeholder = placeholders.get(name.toLowerCase());
      return placeholder ? content(placeholder.content) : whole;
    });
  }

  /** The extension's messages in `lang` (`ja`, `en`), or null if they cannot be read. */
  async function loadCatalog(lang) {
    const api = globalThis.browser ?? globalThis.chrome;
    try {
      const response = await fetch(api.runtime.getURL(`_locales/${lang}/messages.json`));
      return await response.json();
    } catch {
      return null;
    }
  }

  /** The protocol both sides speak, or null when the host is older than we support. */
  function negotiateProtocol(hostProtocol) {
    const spoken = Math.min(PROTOCOL, hostProtocol);
    return spoken >= MIN_HOST_PROTOCOL ? spoken : null;
  }

  /** Reconnect delay after `failures` consecutive failed connections: 1 s, 2 s, 4 s… 60 s. */
  function backoffMs(failures) {
    const n = Math.max(0, Math.min(failures, 16));
    return Math.min(1000 * 2 ** n, 60_000);
  }

  /**
   * Whether a native-messaging error means the host is not installed for this browser.
   * Chromium: "Specified native messaging host not found."; Firefox: "No such native
   * application dev.tobira.companion".
   */
  function isHostMissing(message) {
    return typeof message === "string" && /not found|no such native application/i.test(message);
  }

  /**
   * Validate a page report from the content script before it becomes a `page-seen` request:
   * the host must be one of the added `sites` and the page the sender's own; `found` only
   * known texts; `alert_text` only on an alert path. Returns the request body or null.
   */
  function pageSeenRequest(report, config, senderHost) {
    if (!report || typeof report !== "object") return null;
    const host = normaliseHost(report.host);
    if (host === "" || host !== normaliseHost(senderHost) || !config.sites.includes(host)) return null;
    if (typeof report.path !== "string" || !report.path.startsWith("/")) return null;
    const fragment = typeof report.fragment === "string" ? report.fragment.split("?")[0] : "";
    const found = Array.isArray(report.found)
      ? report.found.filter((t) => config.known_texts.includes(t)).slice(0, MAX_FOUND)
      : [];
    let alertText = null;
    if (typeof report.alert_text === "string" && isAlertPath(report.path, config.alert_paths)) {
      alertText = cleanAlertText([report.alert_text]);
    }
    const request = { host, path: report.path.slice(0, 2000), fragment: fragment.slice(0, 2000), found, alert_text: alertText };
    if (found.length > 0 && Number.isInteger(report.text_length) && report.text_length >= 0) {
      request.text_length = Math.min(report.text_length, 1_000_000);
    }
    return request;
  }

  globalThis.TobiraLib = Object.freeze({
    PROTOCOL,
    MIN_HOST_PROTOCOL,
    EXTENSION_VERSION,
    SERVICE_DOMAINS,
    VENDOR_HOSTS,
    VENDOR_DOMAINS,
    MAX_FOUND,
    MAX_ALERT_CHARS,
    editDistance,
    isLookalike,
    isServiceHost,
    isVendorHost,
    normaliseHost,
    lookalikeCandidate,
    navigationHost,
    realSiteUrl,
    normaliseText,
    findKnownTexts,
    cleanAlertText,
    isLiveRegion,
    isAlertPath,
    urlReport,
    parseHostMessage,
    negotiateProtocol,
    formatMessage,
    loadCatalog,
    backoffMs,
    isHostMissing,
    pageSeenRequest,
  });
})();
