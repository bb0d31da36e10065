#!/usr/bin/env bash
# Checks a Tobira .deb against Debian's standards; exits 1 on any finding.
#   bash scripts/check-deb.sh [--debug] PACKAGE.deb
# - lintian: no error and no warning. --debug (a `tauri build --debug`
#   package) leaves out unstripped-binary-or-object only: debug programs keep
#   their symbols on purpose, and the release profile strips them.
# - Depends names every library dpkg-shlibdeps finds the programs need, at
#   least at the version it finds.
# - desktop-file-validate on the desktop entry, appstreamcli on the AppStream
#   metainfo (both as the package installs them).
set -uo pipefail

suppress=()
if [ "${1:-}" = "--debug" ]; then
  suppress=(--suppress-tags unstripped-binary-or-object)
  shift
fi
deb=${1:?usage: check-deb.sh [--debug] PACKAGE.deb}
status=0
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
dpkg-deb -x "$deb" "$tree/root" || exit 1

echo "lintian ${suppress[*]}"
lintian --fail-on error,warning "${suppress[@]}" "$deb" || status=1

# Each "library (>= version)" dpkg-shlibdeps asks for must be in Depends.
mkdir -p "$tree/src/debian"
printf 'Source: tobira\n\nPackage: tobira\nArchitecture: any\n' >"$tree/src/debian/control"
needed=$(cd "$tree/src" && dpkg-shlibdeps -O "$tree/root/usr/bin/tobira" "$tree/root/usr/bin/tobira-window" 2>/dev/null) || status=1
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//')
covered=yes
while IFS= read -r need; do
  library=${need%% *}
  minimum=$(sed -n 's/.*(>= \(.*\))/\1/p' <<<"$need")
  entries=$(awk -v library="$library" '$1 == library' <<<"$depends")
  declared=$(sed -n 's/.*(>= \(.*\))/\1/p' <<<"$entries" | sort -V | tail -n 1)
  if [ -z "$entries" ]; then
    echo "Depends lacks $need (dpkg-shlibdeps)" >&2
    covered=no
  elif [ -n "$minimum" ] && { [ -z "$declared" ] || dpkg --compare-versions "$declared" lt "$minimum"; }; then
    echo "Depends has $library ${declared:+>= $declared}, the programs need >= $minimum" >&2
    covered=no
  fi
done < <(sed 's/^shlibs:Depends=//' <<<"$needed" | tr ',' '\n' | sed 's/^ *//')
if [ $covered = yes ]; then echo "Depends: covers what dpkg-shlibdeps finds"; else status=1; fi

desktop-file-validate "$tree/root/usr/share/applications/Tobira.desktop" || status=1
appstreamcli validate --no-net "$tree/root/usr/share/metainfo/dev.tobira.desktop.metainfo.xml" || status=1

[ $status -eq 0 ] && echo "check-deb: $(basename "$deb") passes lintian, desktop-file-validate and appstreamcli"
exit $status
