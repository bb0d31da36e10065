// The page a look-alike tab is replaced with: `warn.html?host=<look-alike>&real=<url>`.
// Shows Japanese and English (the browser's language first); the link to the real site only
// when `real` is an https://<name>.(cybozu.com|kintone.com|cybozu.cn)/ address.
import "./lib.js";

const lib = globalThis.TobiraLib;
const api = globalThis.browser ?? globalThis.chrome;
const LANGUAGES = ["ja", "en"];

function fill(root, lookup) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = lookup(el.dataset.i18n);
}

async function start() {
  const params = new URLSearchParams(location.search);
  // Shown as text only; the host was checked by Tobira before we came here.
  const host = (params.get("host") ?? "").slice(0, 253);
  const real = lib.realSiteUrl(params.get("real"));
  document.getElementById("host").textContent = host;

  const ui = api.i18n.getUILanguage().toLowerCase().startsWith("ja") ? "ja" : "en";
  const order = [ui, ...LANGUAGES.filter((l) => l !== ui)];
  const template = document.getElementById("block");
  const blocks = document.getElementById("blocks");
  const own = (key) => api.i18n.getMessage(key) || key;
  for (const lang of order) {
    const messages = await lib.loadCatalog(lang);
    // Without the file, the browser's own language once is still a warning.
    if (!messages && lang !== ui) continue;
    const lookup = messages ? (key) => lib.formatMessage(messages[key]) || own(key) : own;
    const block = template.content.cloneNode(true);
    const section = block.querySelector("section");
    section.lang = lang;
    fill(block, lookup);
    const link = block.querySelector(".real-link");
    if (real) {
      link.href = real;
      link.textContent = real;
      block.querySelector(".no-real").hidden = true;
    } else {
      block.querySelector(".real").hidden = true;
    }
    blocks.append(block);
  }
  document.documentElement.lang = ui;
  fill(document.head, own);
  fill(document.getElementById("close").parentElement, own);
  document.getElementById("close").addEventListener("click", async () => {
    try {
      const tab = await api.tabs.getCurrent();
      await api.tabs.remove(tab.id);
    } catch {
      window.close();
    }
  });
}

start();
