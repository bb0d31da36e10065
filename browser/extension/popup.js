// The popup (also opened as a tab, chrome-extension://<id>/popup.html, by the e2e).
// Renders the worker's state with textContent only (no HTML from anywhere).
// It speaks Tobira's language (the host says which), since it shows Tobira's step titles;
// the browser's language until the host has answered.
const api = globalThis.browser ?? globalThis.chrome;
const lib = globalThis.TobiraLib;
const WEB_NAVIGATION = { permissions: ["webNavigation"] };

const $ = (id) => document.getElementById(id);

const browserLanguage = () => (api.i18n.getUILanguage().toLowerCase().startsWith("ja") ? "ja" : "en");
/** Tobira's language's messages when it is not the browser's; null: the browser's own. */
let catalog = null;
let shownLanguage = browserLanguage();

function msg(key, substitutions) {
  const entry = catalog?.[key];
  if (entry) return lib.formatMessage(entry, substitutions) || key;
  return api.i18n.getMessage(key, substitutions) || key;
}

/** Catalogues of languages other than the browser's, by language: each is read once. */
const catalogs = new Map();

/** Switches to `language` if it is another than shown; says whether it did. */
async function speak(language) {
  if (!language || language === shownLanguage) return false;
  let messages = null;
  if (language !== browserLanguage()) {
    if (!catalogs.has(language)) catalogs.set(language, lib.loadCatalog(language));
    messages = await catalogs.get(language);
    if (!messages) return false;
  }
  // Another render may have switched while the catalogue was read.
  if (language === shownLanguage) return false;
  catalog = messages;
  shownLanguage = language;
  return true;
}

function show(el, text) {
  el.hidden = text === null || text === undefined || text === "";
  el.textContent = el.hidden ? "" : text;
}

/** The page kinds the host sends (`tobira_core::page::PageKind`, kebab-case). */
function kindLabel(kind) {
  switch (kind) {
    case "portal": return msg("kindPortal");
    case "login": return msg("kindLogin");
    case "app": return msg("kindApp");
    case "space": return msg("kindSpace");
    case "guest-space": return msg("kindGuestSpace");
    case "account-settings": return msg("kindAccountSettings");
    case "admin": return msg("kindAdmin");
    case "error": return msg("kindError");
    default: return msg("kindOther");
  }
}

function renderConnection(s) {
  const line = $("connection");
  let text;
  let detail = null;
  let dataState = s.connection;
  switch (s.connection) {
    case "connected":
      text = msg("connConnected", [s.host?.version ?? "?"]);
      break;
    case "off":
      text = msg("connOff");
      break;
    case "outdated":
      text = msg("connOutdated");
      break;
    case "disconnected":
      if (s.hostMissing) {
        text = msg("connNotInstalled");
        dataState = "missing";
        detail = s.lastError;
      } else {
        text = msg("connDisconnected", [s.lastError ?? "?"]);
        detail = msg("connRetry");
      }
      break;
    default:
      text = msg("connConnecting");
  }
  line.dataset.state = dataState;
  line.textContent = text;
  show($("connection-detail"), detail);
  const err = s.hostError;
  show($("host-error"), err && s.connection !== "off" ? msg("hostError", [err.message || err.code, err.code]) : null);
}

function renderStep(s) {
  const section = $("step-section");
  section.hidden = s.connection === "off";
  const flow = s.status?.flow;
  if (flow?.step) {
    const n = Math.min(flow.done + 1, Math.max(flow.total, 1));
    show($("step"), msg("stepLine", [String(n), String(flow.total), flow.step.title ?? flow.step.id]));
    show($("flow"), flow.title ? msg("stepFlow", [flow.title]) : null);
  } else if (flow) {
    show($("step"), msg("stepAllDone", [String(flow.total), flow.title ?? flow.id]));
    show($("flow"), null);
  } else {
    show($("step"), s.status || s.connection === "connected" ? msg("stepNone") : null);
    show($("flow"), null);
    section.hidden = section.hidden || !$("step").textContent;
  }
}

function renderSeen(s) {
  $("seen-section").hidden = s.connection === "off";
  // What this browser reported last, else what Tobira says any browser showed last.
  const seen = s.lastSeen ?? s.status?.last_seen ?? null;
  const list = $("completed");
  list.replaceChildren();
  let line = null;
  if (seen?.kind) {
    line = msg("seenKind", [kindLabel(seen.kind)]);
    for (const step of seen.completed ?? []) {
      const li = document.createElement("li");
      li.textContent = msg("seenCompleted", [step.title ?? step.step]);
      list.append(li);
    }
  }
  // Connected, but no site to watch: the user has to add one in Tobira first.
  const nothing = s.connection === "connected" && s.siteCount === 0 ? "seenNoSites" : "seenNothing";
  show($("seen"), line ?? msg(nothing));
  list.hidden = list.childElementCount === 0;
  show($("offer"), seen?.offer?.text ? msg("seenOffer", [seen.offer.text]) : null);
}

async function renderLookalike(s, denied = false) {
  let granted = false;
  try {
    granted = await api.permissions.contains(WEB_NAVIGATION);
  } catch {
    // Not available: leave the button.
  }
  $("lookalike-button").hidden = granted;
  $("lookalike-explain").hidden = granted;
  $("lookalike-on").hidden = !granted;
  $("lookalike-denied").hidden = granted || !denied;
  show($("lookalike-last"), s?.lookalike?.host ? msg("lookalikeLast", [s.lookalike.host]) : null);
}

let current = { connection: "connecting" };

function render(s) {
  current = s ?? { connection: "connecting" };
  renderConnection(current);
  renderStep(current);
  renderSeen(current);
  renderLookalike(current);
  const wanted = current.status?.language ?? current.host?.language;
  speak(wanted).then((changed) => {
    if (changed) {
      localize();
      render(current);
    }
  });
}

function localize() {
  document.documentElement.lang = shownLanguage;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = msg(el.dataset.i18n);
}

function onLookalikeClick() {
  // Called straight from the click: Firefox only grants from a user action's own handler.
  api.permissions.request(WEB_NAVIGATION).then(
    (granted) => renderLookalike(current, !granted),
    () => renderLookalike(current, true),
  );
}

async function start() {
  localize();
  $("lookalike-button").addEventListener("click", onLookalikeClick);
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes.state?.newValue) render(changes.state.newValue);
  });
  render(current);
  try {
    render(await api.runtime.sendMessage({ type: "popup-state" }));
  } catch {
    render({ connection: "connecting" });
  }
}

start();
