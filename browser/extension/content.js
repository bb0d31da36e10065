// Content script on https://*.cybozu.com/*, *.kintone.com/*, *.cybozu.cn/* (top frame only).
//
// It reads exactly this and nothing else (design note §4):
// - the URL's host, path and fragment — never the query string;
// - which of Tobira's `known_texts` occur in the page's visible text (`found`, at most 20);
// - on an `alert_paths` page only, the text of `role="alert"` / `aria-live` elements
//   (`alert_text`, at most 300 characters).
// It asks the worker first; on a host that is not one of the user's sites it does nothing.
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const lib = globalThis.TobiraLib;
  const RECHECK_MS = 1500;

  let config = null;
  let lastUrlKey = null;
  let lastFoundKey = null;
  let recheckTimer;

  function alertText(path) {
    if (!lib.isAlertPath(path, config.alert_paths)) return null;
    const parts = [];
    for (const el of document.querySelectorAll('[role="alert"], [aria-live]')) {
      if (el.getAttribute("role") !== "alert" && !lib.isLiveRegion(el.getAttribute("aria-live"))) continue;
      parts.push(el.innerText ?? el.textContent ?? "");
    }
    return lib.cleanAlertText(parts);
  }

  function found() {
    if (config.known_texts.length === 0 || !document.body) return [];
    return lib.findKnownTexts(document.body.innerText ?? "", config.known_texts);
  }

  function send(report) {
    lastUrlKey = `${report.host}${report.path}${report.fragment}`;
    lastFoundKey = JSON.stringify(report.found);
    api.runtime.sendMessage({ type: "page", ...report }).catch(() => {
      // The worker is restarting or the extension was reloaded: nothing to do.
    });
  }

  /**
   * Report the page if its URL changed since the last report (kintone is a single-page app:
   * this runs on load, `hashchange` and `popstate`), then look once more a little later.
   */
  function reportPage() {
    const url = lib.urlReport(location.href);
    if (`${url.host}${url.path}${url.fragment}` === lastUrlKey) return;
    send({ ...url, found: found(), alert_text: alertText(url.path) });
    clearTimeout(recheckTimer);
    recheckTimer = setTimeout(recheck, RECHECK_MS);
  }

  /** kintone renders error texts late: look again once, send only if `found` changed. */
  function recheck() {
    const url = lib.urlReport(location.href);
    if (`${url.host}${url.path}${url.fragment}` !== lastUrlKey) return;
    const now = found();
    if (JSON.stringify(now) !== lastFoundKey) send({ ...url, found: now, alert_text: alertText(url.path) });
  }

  async function start() {
    let reply;
    try {
      reply = await api.runtime.sendMessage({ type: "config" });
    } catch {
      return;
    }
    if (!reply || reply.active !== true) return;
    config = {
      known_texts: Array.isArray(reply.known_texts) ? reply.known_texts : [],
      alert_paths: Array.isArray(reply.alert_paths) ? reply.alert_paths : [],
    };
    reportPage();
    window.addEventListener("hashchange", reportPage);
    window.addEventListener("popstate", reportPage);
  }

  start();
})();
