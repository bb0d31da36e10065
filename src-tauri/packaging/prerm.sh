#!/bin/sh
set -e
# Before removing (Debian: remove; RPM: %preun with 0), not on an upgrade:
# the browser companion's host manifests (see postinst.sh) go first, while
# the program that removes them is still there.
case "$1" in
  remove | 0)
    tobira companion uninstall --system >/dev/null || true
    ;;
esac
exit 0
