#!/usr/bin/env bash
# Checks a Tobira .rpm with rpmlint; exits 1 on any error or warning.
#   bash scripts/check-rpm.sh [--debug] PACKAGE.rpm
# src-tauri/packaging/rpmlint.toml filters what the Tauri bundler cannot
# write (each with its reason). --debug (a `tauri build --debug` package)
# also leaves out unstripped-binary-or-object: debug programs keep their
# symbols on purpose, and the release profile strips them.
set -uo pipefail
cd "$(dirname "$0")/.."

allowed='^$'
if [ "${1:-}" = "--debug" ]; then
  allowed=': W: unstripped-binary-or-object '
  shift
fi
rpm=${1:?usage: check-rpm.sh [--debug] PACKAGE.rpm}
findings=$(rpmlint -c src-tauri/packaging/rpmlint.toml "$rpm" 2>&1 | grep -E ': [EW]: ')
left=$(grep -Ev "$allowed" <<<"$findings" | grep -E ': [EW]: ')
echo "rpmlint: $(grep -c ': [EW]: ' <<<"$findings") findings, $(grep -c ': [EW]: ' <<<"$left") not allowed"
if [ -n "$left" ]; then
  echo "$left" >&2
  echo "check-rpm: $(basename "$rpm") has rpmlint findings" >&2
  exit 1
fi
echo "check-rpm: $(basename "$rpm") passes rpmlint"
