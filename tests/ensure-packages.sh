#!/usr/bin/env bash
# Installs the Debian packages the host-side suites need, when any is missing: dnsmasq (the real DNS server of
# the DNS check tests), clang (the linker of the Native AOT smoke test), chromium (the status-page tests), and for
# the package build and its test (packaging/build.sh, tests/package/package.sh): pandoc (the man pages), dpkg-dev
# (dpkg-deb and friends), lintian, and systemd (systemd-analyze, systemd-sysusers, systemd-tmpfiles).
# A fresh machine has no package lists yet, so `apt-get update` runs first whenever something is missing.
# tests/run.sh runs it before the suites; the suites' fixtures still install on their own when run alone.
#
#   bash tests/ensure-packages.sh              # everything
#   bash tests/ensure-packages.sh packaging    # only what packaging/build.sh and its test need
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 ]]; }
# A Debian package counts as present when dpkg says it is installed (a machine that has it installs nothing).
installed() { [[ $(dpkg-query -W -f '${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }

groups=("$@")
[[ ${#groups[@]} == 0 ]] && groups=(suites packaging)
missing=()
for group in "${groups[@]}"; do
  case $group in
    suites)
      have dnsmasq || missing+=(dnsmasq-base)
      have clang || compgen -G '/usr/bin/clang-[0-9]*' >/dev/null || missing+=(clang)
      have chromium || have chromium-browser || missing+=(chromium fonts-dejavu-core)
      ;;
    packaging)
      for pkg in pandoc dpkg-dev lintian systemd; do
        installed "$pkg" || missing+=("$pkg")
      done
      ;;
    *) echo "ensure-packages: unknown group $group (suites, packaging)" >&2; exit 2 ;;
  esac
done
[[ ${#missing[@]} == 0 ]] && exit 0

if [[ $(id -u) != 0 ]]; then
  echo "ensure-packages: missing ${missing[*]} and not root: the suites that need them will say so" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "ensure-packages: installing ${missing[*]}"
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
