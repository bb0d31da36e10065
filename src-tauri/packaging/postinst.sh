#!/bin/sh
set -e
# After installing (Debian: configure; RPM: %post with 1 or 2): the browser
# companion's native-messaging host for every user of this computer, the
# manifests in /etc/chromium, /etc/opt/chrome, /etc/opt/edge and
# /usr/lib/mozilla (and /usr/lib64/mozilla where it exists now) that let
# the extension start /usr/bin/tobira. When the organisation's policy turns
# the companion off there are none, and nothing to say; a failure here must
# not fail the installation.
case "$1" in
  configure | 1 | 2)
    if ! result=$(tobira companion install --system --json 2>&1); then
      case "$result" in
        *'"companion-disabled"'*) ;;
        *) echo "tobira: the browser companion was not set up for all users; see 'tobira companion status'" >&2 ;;
      esac
    fi
    ;;
esac
exit 0
