// Content script on https://*.cybozu.com/*, *.kintone.com/*, *.cybozu.cn/* (top frame only).
//
// It reads exactly this and nothing else (design note §4):
// - the URL's host, path and fragment — never the query string;
// - which of Tobira's `known_texts` occur in the page's visible text (`found`, at most 20),
//   and, when one does, how long that text is (`text_length`, a number: an error page is
//   short, a portal quoting the message in a notice is not);
// - on an `alert_paths` page only, the text of the rendered `role="alert"` / `aria-live`
//   elements inside a `form` (`alert_text`, at most 300 characters), watched for 30 s after
//   load because a login error appears without a reload.
// It asks the worker first; on a host that is not one of the user's sites it does nothing.
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const lib = globalThis.TobiraLib;
  const RECHECK_MS = 1500;
  /** How long after load an alert path is watched for a login error appearing. */
  const ALERT_WATCH_MS = 30_000;

  let config = null;
  let lastUrlKey = null;
  let lastFoundKey = null;
  let lastAlertText = null;
  let recheckTimer;
  let alertObserver = null;

  /**
   * Whether the page shows `el`: it has boxes, and (where the browser has it) it passes
   * `checkVisibility()` (not `visibility: hidden`, not inside `display: none` or
   * `content-visibility: hidden`). `innerText` of a hidden element is its `textContent`, so
   * without this a hidden template would be read.
   */
  function isRendered(el) {
    if (typeof el.getClientRects !== "function" || el.getClientRects().length === 0) return false;
    return typeof el.checkVisibility !== "function" || el.checkVisibility() !== false;
  }

  /** The login form's message: alert regions inside a `form`, rendered, else nothing. */
  function alertText(path) {
    if (!lib.isAlertPath(path, config.alert_paths)) return null;
    const parts = [];
    for (const el of document.querySelectorAll('[role="alert"], [aria-live]')) {
      if (el.getAttribute("role") !== "alert" && !lib.isLiveRegion(el.getAttribute("aria-live"))) continue;
      if (typeof el.closest !== "function" || el.closest("form") === null) continue;
      if (!isRendered(el)) continue;
      parts.push(el.innerText ?? el.textContent ?? "");
    }
    return lib.cleanAlertText(parts);
  }

  function found() {
    if (config.known_texts.length === 0 || !document.body) return [];
    return lib.findKnownTexts(document.body.innerText ?? "", config.known_texts);
  }

  function send(report) {
    if (report.found.length > 0 && document.body) {
      report = { ...report, text_length: (document.body.innerText ?? "").length };
    }
    lastUrlKey = `${report.host}${report.path}${report.fragment}`;
    lastFoundKey = JSON.stringify(report.found);
    lastAlertText = report.alert_text;
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

  /**
   * On an alert path, watch the page for 30 s after load: a login error ("wrong password")
   * appears in the form without a reload. Sends again when the alert text changed to a new,
   * non-empty text; the same text twice is sent once.
   */
  function watchAlerts() {
    const url = lib.urlReport(location.href);
    if (!lib.isAlertPath(url.path, config.alert_paths)) return;
    if (typeof MutationObserver !== "function" || !document.body) return;
    alertObserver = new MutationObserver(onMutation);
    alertObserver.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      // An error element already in the form, shown by a class or style change.
      attributes: true,
      attributeFilter: ["class", "style", "hidden"],
    });
    setTimeout(stopWatchingAlerts, ALERT_WATCH_MS);
  }

  function stopWatchingAlerts() {
    alertObserver?.disconnect();
    alertObserver = null;
  }

  function onMutation() {
    const url = lib.urlReport(location.href);
    if (`${url.host}${url.path}${url.fragment}` !== lastUrlKey || !lib.isAlertPath(url.path, config.alert_paths)) return;
    const text = alertText(url.path);
    if (text !== null && text !== lastAlertText) send({ ...url, found: found(), alert_text: text });
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
    watchAlerts();
    window.addEventListener("hashchange", reportPage);
    window.addEventListener("popstate", reportPage);
  }

  start();
})();
