#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is on this machine for the status-page tests.
# Installs Debian's `chromium` package with apt-get when it is missing; prints the binary's path.
# Used by tests/Daemon.Tests (ChromiumFixture) and runnable by hand: tests/browser/ensure-chromium.sh
set -euo pipefail

find_chromium() {
  for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}

if path=$(find_chromium); then
  echo "$path"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "chromium is missing and this user cannot install it (not root, no sudo)" >&2
    exit 1
  fi
else
  SUDO=
fi

# Several test processes may get here at once; one installs, the others wait on the lock.
lock="${TMPDIR:-/tmp}/ipvs-checkd-chromium-install.lock"
exec 9>"$lock"
flock -w 900 9

if ! path=$(find_chromium); then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2 || true
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
  path=$(find_chromium)
fi
echo "$path"
