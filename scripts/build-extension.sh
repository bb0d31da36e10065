#!/usr/bin/env bash
# Build the browser companion extension (issue 21) from browser/extension/ into target/extension/:
#
#   chromium/        the source as is (Chromium, Chrome, Edge: MV3 service worker, fixed `key`)
#   firefox/         manifest for Firefox: no `key`, `background.scripts` instead of a service
#                    worker (Firefox has none), `browser_specific_settings.gecko` (id, ESR 128,
#                    data collection "none")
#   chromium-test/   chromium/ with `webNavigation` moved from optional to required permissions:
#                    the e2e cannot click the browser's permission prompt, so the look-alike
#                    journey loads this build. Same key, same id. Never ship it.
#   tobira-companion-chromium-0.1.0.zip, tobira-companion-firefox-0.1.0.zip   (store uploads;
#                    deterministic: sorted names, fixed dates and modes)
#
# Usage: scripts/build-extension.sh [--check]
#   --check  also validates the result: manifests parse, host permissions are exactly the three
#            kintone domains, no forbidden permission, Firefox/Chromium/test manifests differ only
#            in the keys above, every message used exists in en and ja, the key gives the id in
#            browser/extension/ids.json, the zips are reproducible. Runs `web-ext lint` on the
#            Firefox build when web-ext is there ($WEB_EXT, or browser/node_modules/.bin/web-ext).
# Needs python3 only (no npm packages).
set -euo pipefail

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/browser/extension"
out="$root/target/extension"

python3 - "$src" "$out" "$check" <<'PY'
import base64, copy, hashlib, io, json, os, re, shutil, sys, zipfile

src, out, check = sys.argv[1], sys.argv[2], sys.argv[3] == "true"
HOSTS = ["https://*.cybozu.com/*", "https://*.kintone.com/*", "https://*.cybozu.cn/*"]
# data_collection_permissions: AMO requires it of new add-ons (addons-linter warns without it).
# "none": nothing leaves the computer; page reports go to Tobira on the same machine only.
GECKO = {
    "id": "companion@tobira.dev",
    "strict_min_version": "128.0",
    "data_collection_permissions": {"required": ["none"]},
}
# Files of browser/extension/ that are not part of the extension itself.
NOT_SHIPPED = {"ids.json"}
errors = []

def fail(message):
    errors.append(message)

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def dump(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")

def files_of(folder):
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            found.append(os.path.relpath(os.path.join(dirpath, name), folder).replace(os.sep, "/"))
    return sorted(found)

def zip_bytes(folder):
    """Deterministic: sorted names, 1980-01-01 dates, 0644 files, deflate level 9."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in files_of(folder):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            with open(os.path.join(folder, name), "rb") as f:
                z.writestr(info, f.read(), compresslevel=9)
    return buffer.getvalue()

# ---- build ----------------------------------------------------------------------------------
source_manifest = load(os.path.join(src, "manifest.json"))
version = source_manifest["version"]
os.makedirs(out, exist_ok=True)
targets = {}
for flavour in ("chromium", "firefox", "chromium-test"):
    dest = os.path.join(out, flavour)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, ignore=lambda d, names: [n for n in names if d == src and n in NOT_SHIPPED])
    targets[flavour] = dest

firefox = copy.deepcopy(source_manifest)
del firefox["key"]
background = source_manifest["background"]
firefox["background"] = {"scripts": [background["service_worker"]]}
if background.get("type") == "module":
    firefox["background"]["type"] = "module"  # module background scripts: Firefox 112+, so ESR 128
firefox["browser_specific_settings"] = {"gecko": dict(GECKO)}
dump(os.path.join(targets["firefox"], "manifest.json"), firefox)

test = copy.deepcopy(source_manifest)
test["optional_permissions"] = [p for p in test["optional_permissions"] if p != "webNavigation"]
if not test["optional_permissions"]:
    del test["optional_permissions"]
test["permissions"] = test["permissions"] + ["webNavigation"]
dump(os.path.join(targets["chromium-test"], "manifest.json"), test)

zips = {}
for flavour in ("chromium", "firefox"):
    path = os.path.join(out, f"tobira-companion-{flavour}-{version}.zip")
    with open(path, "wb") as f:
        f.write(zip_bytes(targets[flavour]))
    zips[flavour] = path

print(f"built {out}/{{chromium,firefox,chromium-test}} and {len(zips)} zips (version {version})")
if not check:
    sys.exit(0)

# ---- check ----------------------------------------------------------------------------------
manifests = {}
for flavour, folder in targets.items():
    try:
        manifests[flavour] = load(os.path.join(folder, "manifest.json"))
    except (OSError, ValueError) as e:
        fail(f"{flavour}/manifest.json does not parse: {e}")
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)

ALLOWED = {"nativeMessaging", "storage"}
ALLOWED_OPTIONAL = {"webNavigation"}
FORBIDDEN = {"<all_urls>", "tabs", "history", "scripting", "webRequest", "webRequestBlocking",
             "cookies", "debugger", "management", "downloads", "bookmarks", "activeTab",
             "declarativeNetRequest", "proxy", "clipboardRead", "topSites", "browsingData"}

for flavour, m in manifests.items():
    where = f"{flavour}/manifest.json"
    if m.get("manifest_version") != 3:
        fail(f"{where}: manifest_version must be 3")
    if m.get("host_permissions") != HOSTS:
        fail(f"{where}: host_permissions must be exactly {HOSTS}, is {m.get('host_permissions')}")
    scripts = m.get("content_scripts", [])
    if len(scripts) != 1 or scripts[0].get("matches") != HOSTS:
        fail(f"{where}: one content script whose matches are the host permissions")
    elif scripts[0].get("run_at") != "document_end" or scripts[0].get("all_frames") is not False:
        fail(f"{where}: the content script runs at document_end in the top frame only")
    extra = set(m.get("permissions", [])) - ALLOWED - ({"webNavigation"} if flavour == "chromium-test" else set())
    if extra:
        fail(f"{where}: permissions not allowed: {sorted(extra)}")
    extra = set(m.get("optional_permissions", [])) - ALLOWED_OPTIONAL
    if extra:
        fail(f"{where}: optional permissions not allowed: {sorted(extra)}")
    text = json.dumps(m)
    for word in sorted(FORBIDDEN):
        if f'"{word}"' in text:
            fail(f"{where}: forbidden permission or pattern {word}")
    for key in ("content_security_policy", "web_accessible_resources", "externally_connectable", "update_url"):
        if key in m:
            fail(f"{where}: {key} must not be set (default CSP, nothing exposed to pages)")

def differences(a, b):
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))

chromium, ff, tst = manifests["chromium"], manifests["firefox"], manifests["chromium-test"]
if chromium != source_manifest:
    fail("chromium/manifest.json differs from browser/extension/manifest.json")
diff = differences(chromium, ff)
if diff != ["background", "browser_specific_settings", "key"]:
    fail(f"firefox and chromium manifests differ in {diff}, expected background, browser_specific_settings, key")
if "key" in ff:
    fail("firefox/manifest.json must not carry the Chromium key")
if ff.get("background", {}).get("scripts") != [chromium["background"]["service_worker"]]:
    fail("firefox background.scripts must be the Chromium service worker")
if ff.get("browser_specific_settings") != {"gecko": GECKO}:
    fail(f"firefox browser_specific_settings must be {{'gecko': {GECKO}}}")
diff = differences(chromium, tst)
if not set(diff) <= {"permissions", "optional_permissions"} or "webNavigation" not in tst.get("permissions", []):
    fail(f"chromium-test must differ from chromium only by webNavigation being required (differs in {diff})")

# The id: first 32 hex digits of sha256(DER public key), 0-f mapped to a-p.
ids = load(os.path.join(src, "ids.json"))
if sorted(ids) != ["chromium_dev", "gecko"]:
    fail('ids.json must be {"chromium_dev": "…", "gecko": "…"}')
der = base64.b64decode(chromium.get("key", ""))
digest = hashlib.sha256(der).hexdigest()[:32]
ext_id = "".join(chr(ord("a") + int(c, 16)) for c in digest)
if ext_id != ids.get("chromium_dev"):
    fail(f"the manifest key gives the id {ext_id}, ids.json says {ids.get('chromium_dev')}")
if ids.get("gecko") != GECKO["id"]:
    fail(f"ids.json gecko must be {GECKO['id']}")

# Messages: every key used in either build exists in both locales, and the locales agree.
locales = {}
for lang in ("en", "ja"):
    try:
        locales[lang] = load(os.path.join(targets["chromium"], "_locales", lang, "messages.json"))
    except (OSError, ValueError) as e:
        fail(f"_locales/{lang}/messages.json: {e}")
if chromium.get("default_locale") != "en" or "en" not in locales:
    fail('default_locale must be "en", with _locales/en')
if set(locales.get("en", {})) != set(locales.get("ja", {})):
    fail(f"en and ja differ in keys: {sorted(set(locales.get('en', {})) ^ set(locales.get('ja', {})))}")
USE = re.compile(r'__MSG_(\w+)__|getMessage\(\s*["\'](\w+)["\']|\bmsg\(\s*["\'](\w+)["\']|data-i18n="(\w+)"')
used = set()
for flavour in ("chromium", "firefox"):
    for name in files_of(targets[flavour]):
        if name.endswith((".js", ".html", "manifest.json")):
            with open(os.path.join(targets[flavour], name), encoding="utf-8") as f:
                for m in USE.finditer(f.read()):
                    used.add(next(g for g in m.groups() if g))
for key in sorted(used):
    for lang, messages in locales.items():
        if not messages.get(key, {}).get("message"):
            fail(f"message {key} is used but missing from _locales/{lang}/messages.json")
for lang, messages in locales.items():
    if len(messages.get("extDescription", {}).get("message", "")) > 132:
        fail(f"_locales/{lang}: extDescription longer than 132 characters (store limit)")

# Nothing secret in what is shipped or checked in.
for folder in (src, *targets.values()):
    for name in files_of(folder):
        if name.endswith((".pem", ".key", ".der", ".crx")):
            fail(f"{folder}/{name}: key or package files do not belong here")
        with open(os.path.join(folder, name), "rb") as f:
            if b"PRIVATE KEY" in f.read():
                fail(f"{folder}/{name} contains a private key")

# The zips hold exactly the build folders, and building them again gives the same bytes.
for flavour, path in zips.items():
    with zipfile.ZipFile(path) as z:
        if sorted(z.namelist()) != files_of(targets[flavour]) or z.namelist() != sorted(z.namelist()):
            fail(f"{os.path.basename(path)} does not hold {flavour}/ in sorted order")
    with open(path, "rb") as f:
        if f.read() != zip_bytes(targets[flavour]):
            fail(f"{os.path.basename(path)} is not reproducible")

if errors:
    print("build-extension --check failed:", file=sys.stderr)
    for e in errors:
        print(f"  - {e}", file=sys.stderr)
    sys.exit(1)
print(f"check ok: id {ext_id}, {len(used)} message keys in en and ja, manifests differ only as expected")
PY

if $check; then
  web_ext="${WEB_EXT:-}"
  if [ -z "$web_ext" ] && [ -x "$root/browser/node_modules/.bin/web-ext" ]; then
    web_ext="$root/browser/node_modules/.bin/web-ext"
  fi
  if [ -n "$web_ext" ]; then
    NO_UPDATE_NOTIFIER=1 "$web_ext" lint --source-dir "$out/firefox" --no-input --warnings-as-errors=false
  else
    echo "web-ext not found: skipped the Firefox lint (see browser/README.md)"
  fi
fi
