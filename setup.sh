#!/usr/bin/env bash
# Tobira's two set-up commands (see README.md), for Debian 12 as root:
#   bash setup.sh run    install everything needed, then start the app
#   bash setup.sh test   install everything needed, then run every test
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

# What the build, the window and the tests need from Debian.
APT_PACKAGES=(
  build-essential pkg-config curl ca-certificates
  libwebkit2gtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev
  xvfb xauth dbus dbus-x11 webkit2gtk-driver
  xdg-utils fonts-noto-cjk imagemagick xclip
  trayer
  gnome-keyring
  python3
  lintian appstream desktop-file-utils
  libxml2-utils
  rpmlint
  chromium chromium-driver
)
NODE_MIN_MAJOR=18
STEP_TIMES=()

# When a step fails, show the room left: a full disk shows up only as a
# truncated linker error otherwise.
report_failure() {
  local rc=$?
  [ "$rc" -eq 0 ] && return
  echo "setup.sh: stopped with exit code $rc; disk space left:" >&2
  df -h . "${TMPDIR:-/tmp}" >&2 || true
}
trap report_failure EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step() {
  local name=$1
  shift
  say "$name"
  local start=$SECONDS
  "$@"
  STEP_TIMES+=("$(printf '%5ss  %s' $((SECONDS - start)) "$name")")
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "setup.sh: '$*' needs root; run this script as root or install sudo" >&2
    exit 1
  fi
}

install_os_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt $NODE_MIN_MAJOR ]; then
    missing+=(nodejs npm)
  fi
  if [ ${#missing[@]} -eq 0 ]; then
    echo "all OS packages present"
    return
  fi
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

install_rust() {
  if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if command -v cargo >/dev/null; then
    cargo --version
    return
  fi
  # Debian 12's own rustc (1.63) is too old for Tauri 2; rustup is the
  # toolchain installer the Rust project publishes.
  echo "installing the Rust toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile default
  export PATH="$HOME/.cargo/bin:$PATH"
}

install_ui_packages() {
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
}

install_all() {
  step "OS packages" install_os_packages
  step "Rust toolchain" install_rust
  step "UI packages (npm ci)" install_ui_packages
}

build_ui() { npm --prefix ui run build; }
# The console `tobira` and, beside it, the window program it starts.
build_app() { cargo build -p tobira-cli -p tobira-window; }

# Every icon size is generated from icons/source.svg; a stale one fails.
check_icons() {
  local fresh status=0
  fresh=$(mktemp -d)
  ui/node_modules/.bin/tauri icon icons/source.svg -o "$fresh" >/dev/null 2>&1 || return 1
  # icon.icns is left out: the CLI writes its parts in a varying order.
  for file in icons/*.png icons/*.ico; do
    cmp -s "$file" "$fresh/$(basename "$file")" \
      || { echo "$file differs from icons/source.svg; run: ui/node_modules/.bin/tauri icon icons/source.svg -o icons" >&2; status=1; }
  done
  rm -rf "$fresh"
  [ $status -eq 0 ] && echo "icons: every size matches icons/source.svg"
  return $status
}

# The policy templates match policy/definition.rs and are well-formed XML
# (plutil is macOS-only, so xmllint reads the plist and the profile too).
check_policy_templates() {
  bash scripts/gen-policy.sh --check || return 1
  xmllint --noout packaging/policy/windows/Tobira.admx packaging/policy/windows/*/Tobira.adml \
    packaging/policy/macos/dev.tobira.desktop.plist packaging/policy/macos/Tobira.mobileconfig
}

# The Debian package, built by the Tauri bundler in the debug profile (it
# reuses the test build; the beforeBuildCommand stages the console `tobira`
# of the same profile), checked against Debian's standards
# (scripts/check-deb.sh), then installed, run from /usr/bin and removed
# again. A release package: scripts/release-deb.sh.
test_deb_package() {
  ui/node_modules/.bin/tauri build --debug --bundles deb || return 1
  local deb
  deb=$(ls -t target/debug/bundle/deb/*.deb | head -n 1)
  bash scripts/check-deb.sh --debug "$deb" || return 1
  if dpkg-query -W -f='${Status}' tobira 2>/dev/null | grep -q "install ok installed"; then
    echo "setup.sh: a tobira package is already installed here; not replacing it" >&2
    return 1
  fi
  as_root dpkg -i "$deb" || return 1
  local status=0 out
  out=$(/usr/bin/tobira site example --json) || status=1
  echo "installed /usr/bin/tobira site example --json: $out"
  node -e 'const j = JSON.parse(process.argv[1]); process.exit(j.host === "example.cybozu.com" ? 0 : 1)' "$out" \
    || { echo "unexpected output" >&2; status=1; }
  # The console program must not load the web view; the window is its own program.
  if ldd /usr/bin/tobira | grep -q webkit; then echo "/usr/bin/tobira links WebKit" >&2; status=1; fi
  test -x /usr/bin/tobira-window || { echo "/usr/bin/tobira-window missing" >&2; status=1; }
  # The guides are data files in the package, found from /usr/bin.
  out=$(env -u TOBIRA_GUIDES_DIR /usr/bin/tobira guides list --json) || status=1
  node -e 'const j = JSON.parse(process.argv[1]); process.exit(j.ja.flows.length > 0 && j.ja.flows[0].path.startsWith("/usr/lib/Tobira/guides/") ? 0 : 1)' "$out" \
    || { echo "the installed guides are not read from /usr/lib/Tobira/guides" >&2; status=1; }
  grep -q '^MimeType=x-scheme-handler/tobira' /usr/share/applications/Tobira.desktop \
    || { echo "the desktop entry does not register tobira://" >&2; status=1; }
  grep -q '^Exec=tobira-window %u' /usr/share/applications/Tobira.desktop \
    || { echo "the desktop entry does not start tobira-window" >&2; status=1; }
  test -f /usr/share/doc/tobira/managed-install.md || { echo "policy docs missing" >&2; status=1; }
  # The manual has a page per verb; bash finds the completions where it looks.
  man -w tobira-bookmarks-add >/dev/null || { echo "no manual page for tobira bookmarks add" >&2; status=1; }
  bash -c '. /usr/share/bash-completion/completions/tobira && complete -p tobira' >/dev/null \
    || { echo "the bash completion does not complete tobira" >&2; status=1; }
  # The package set up the browser companion's host for every user, and
  # every user (here: nobody) can read it.
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    cat /etc/chromium/native-messaging-hosts/dev.tobira.companion.json | grep -q '"path": "/usr/bin/tobira"' \
    || { echo "the .deb did not install a companion host manifest every user can read" >&2; status=1; }
  as_root dpkg -r tobira || status=1
  if [ -e /etc/chromium/native-messaging-hosts/dev.tobira.companion.json ]; then
    echo "dpkg -r left the companion's host manifest" >&2; status=1
  fi
  if [ -e /usr/bin/tobira ]; then echo "dpkg -r left /usr/bin/tobira" >&2; status=1; fi
  [ $status -eq 0 ] && echo "package test: built, installed, ran and removed $(basename "$deb")"
  return $status
}

# The .rpm, made by the same bundler from the same staging folder (debug
# profile, as the .deb), checked with rpmlint (scripts/check-rpm.sh).
test_rpm_package() {
  ui/node_modules/.bin/tauri build --debug --bundles rpm || return 1
  local rpm
  rpm=$(ls -t target/debug/bundle/rpm/*.rpm | head -n 1)
  bash scripts/check-rpm.sh --debug "$rpm"
}

# The companion extension: its builds and store zips with their checks,
# and its logic's tests (Node's own runner, no npm packages).
# web-ext (browser/package.json, 86 MB) lints the Firefox build offline.
check_extension() {
  npm --prefix browser ci --no-audit --no-fund --loglevel=error &&
    bash scripts/build-extension.sh --check && node --test browser/test/
}

# GUI tests get their own session bus (otherwise GTK starts portal,
# accessibility and keyring daemons on every launch) and their own Xvfb.
run_e2e() {
  env -u DISPLAY -u WAYLAND_DISPLAY dbus-run-session -- \
    cargo test -p tobira-tests --test e2e -- --ignored --test-threads=1
}

# Rust tests run against a real Secret Service: a private session bus with
# gnome-keyring unlocked by a throwaway password, so the keyring tests must
# pass (TOBIRA_REQUIRE_KEYRING) and never touch the user's own keyring.
run_rust_tests() {
  # The keyring files go to a fresh folder: an existing login keyring with
  # another password would make gnome-keyring prompt instead of unlocking.
  local keyrings
  keyrings=$(mktemp -d)
  env -u DISPLAY -u WAYLAND_DISPLAY TOBIRA_REQUIRE_KEYRING=1 KEYRINGS="$keyrings" dbus-run-session -- sh -c \
    'echo tobira-test | XDG_DATA_HOME="$KEYRINGS" gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec cargo test --workspace -- --skip the_matcher_meets_its_accuracy_targets'
  local status=$?
  rm -rf "$keyrings"
  return $status
}

# Each fuzz target for a few seconds, where the nightly toolchain is
# installed (the saved corpus is replayed on stable by cargo test anyway).
# Long runs: cargo +nightly fuzz run TARGET -- -max_total_time=600 (fuzz/).
fuzz_smoke() {
  if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "no nightly toolchain: fuzz smoke skipped (the corpus replay ran with the tests)"
    return 0
  fi
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet || return 1
  (cd fuzz && cargo +nightly fuzz build) || return 1
  local target
  for target in $(cd fuzz && cargo +nightly fuzz list); do
    printf '%s: ' "$target"
    # pipefail: a crash fails the step; its summary line is printed.
    (cd fuzz && cargo +nightly fuzz run "$target" -- -max_total_time=5 -rss_limit_mb=4096 2>&1 \
      | grep -E '^Done|SUMMARY|panicked') || return 1
  done
}

print_times() {
  say "time per step"
  printf '%s\n' "${STEP_TIMES[@]}"
  printf '%5ss  total\n' "$SECONDS"
}

case "${1:-}" in
  run)
    install_all
    step "UI build" build_ui
    step "App build" build_app
    say "starting Tobira"
    exec ./target/debug/tobira
    ;;
  test)
    # CI explores the same property-test cases every run (deterministic);
    # local runs draw new ones. Failures found either way are kept in
    # proptest-regressions/ and replayed first. A CI build happens once, so
    # incremental caches (2 GB) would only cost time and disk.
    if [ -n "${CI:-}" ]; then
      export PROPTEST_RNG_SEED=${PROPTEST_RNG_SEED:-20261124}
      export CARGO_INCREMENTAL=0
    fi
    install_all
    step "UI type check (svelte-check)" npm --prefix ui run check
    step "UI unit tests (vitest)" npm --prefix ui test
    step "UI build" build_ui
    step "Rust format check" cargo fmt --all --check
    step "Rust lint (clippy)" cargo clippy --workspace --all-targets --quiet -- -D warnings
    step "TypeScript bindings (fresh from the Rust types)" bash scripts/gen-bindings.sh --check
    step "Policy templates (fresh, xmllint)" check_policy_templates
    step "Architecture (no import circle, Tauri-free layers)" python3 scripts/check-architecture.py
    step "App build" build_app
    step "Guide lint (bundled guides)" ./target/debug/tobira guides lint guides
    step "Rust unit and CLI tests (cargo test, real keyring)" run_rust_tests
    # Its own step so the accuracy it prints shows in the log.
    step "Assistant accuracy (labelled queries)" cargo test -p tobira-tests --test troubleshoot_eval -- --nocapture
    step "Browser extension (manifests, web-ext lint, messages, node --test)" check_extension
    step "End-to-end tests (WebKitWebDriver, Xvfb; chromedriver)" run_e2e
    step "Fuzz smoke (cargo fuzz, nightly)" fuzz_smoke
    step "Icons (generated from icons/source.svg)" check_icons
    step "Debian package (build, lintian, dpkg -i, run, remove)" test_deb_package
    step "RPM package (build, rpmlint)" test_rpm_package
    print_times
    ;;
  *)
    echo "usage: bash setup.sh run|test" >&2
    exit 2
    ;;
esac
