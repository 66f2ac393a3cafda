#!/usr/bin/env bash
# Installs the peers the side-by-side benchmark runs against (keepalived, ldirectord) and ipvsadm, when missing.
# Run it on the host as root: the VM sees the host's root, so what is installed here runs inside the VM.
set -euo pipefail
missing=()
command -v keepalived >/dev/null || missing+=(keepalived)
command -v ldirectord >/dev/null || missing+=(ldirectord)
command -v ipvsadm >/dev/null || missing+=(ipvsadm)
if ((${#missing[@]})); then
  echo "install.sh: installing ${missing[*]}"
  # A fresh machine has no package lists yet.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}" >/dev/null
fi
# keepalived and ldirectord must not run as services on this machine: the benchmark starts them itself.
for s in keepalived ldirectord; do
  systemctl disable --now "$s" >/dev/null 2>&1 || true
done
keepalived --version 2>&1 | head -1 || true
ldirectord --version 2>&1 | head -1 || true
