#!/usr/bin/env bash
# Builds the release .deb and checks it against Debian's standards with
# nothing left out: any lintian error or warning fails (docs/packaging.md).
#   bash scripts/release-deb.sh     (from anywhere; about 10+ minutes on 2 cores)
# The UI and the console `tobira` are built by tauri.conf.json's
# beforeBuildCommand, so a fresh clone needs only `npm --prefix ui ci` first.
set -euo pipefail
cd "$(dirname "$0")/.."

ui/node_modules/.bin/tauri build --bundles deb
deb=$(ls -t target/release/bundle/deb/*.deb | head -n 1)
bash scripts/check-deb.sh "$deb"
echo "release package: $deb"
