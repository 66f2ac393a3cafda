#!/usr/bin/env bash
# Kernel-table comparison: keepalived on data/keepalived-vm.conf against ipvs-checkd on its import, against the
# same realservers, inside the IPVS VM (tests/vm/run.sh). Prints both `ipvsadm -Sn` tables and exits 0 when
# they are the same after each has converged.
#
#   bash tests/Daemon.Tests/Import/vm/compare-keepalived.sh        (on the host: builds, then boots the VM)
#
# Needs keepalived on the host (apt-get install -y keepalived); the guest sees the host's root read-only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
cd "$repo"
daemon=src/Daemon/bin/Release/net10.0/ipvs-checkd.dll
conf=tests/Daemon.Tests/Import/data/keepalived-vm.conf

if [[ "${IPVS_IN_VM:-}" != 1 ]]; then
  command -v keepalived >/dev/null || apt-get install -y keepalived >/dev/null
  dotnet build src/Daemon -c Release -nologo -clp:ErrorsOnly
  IPVS_VM_ENV="IPVS_IN_VM" IPVS_IN_VM=1 exec bash tests/vm/run.sh -- bash "$here/compare-keepalived.sh"
fi

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# Realservers: addresses on a dummy interface, two HTTP servers; 10.99.1.3 has the address but no server.
ip link add rs0 type dummy && ip link set rs0 up
for a in 10.99.1.1 10.99.1.2 10.99.1.3; do ip addr add "$a/32" dev rs0; done
mkdir -p "$work/www" && echo ok >"$work/www/health"
for a in 10.99.1.1 10.99.1.2; do
  /usr/bin/python3 -m http.server 8080 --bind "$a" --directory "$work/www" >/dev/null 2>&1 &
  pids+=($!)
done
for _ in $(seq 50); do
  /usr/bin/python3 - <<'PY' && break
import socket, sys
for a in ("10.99.1.1", "10.99.1.2"):
    s = socket.socket(); s.settimeout(0.2)
    try: s.connect((a, 8080))
    except OSError: sys.exit(1)
    finally: s.close()
PY
  sleep 0.2
done

table() { ipvsadm -Sn | sort; }

# Waits (at most $1 s) until the table has stayed the same for three seconds.
converge() {
  local last="" same=0
  for _ in $(seq "$1"); do
    sleep 1
    local now; now="$(table)"
    if [[ -n "$now" && "$now" == "$last" ]]; then same=$((same + 1)); else same=0; fi
    last="$now"
    [[ $same -ge 3 ]] && return 0
  done
  return 0
}

ipvsadm -C
keepalived -n -l -C -f "$repo/$conf" -p "$work/ka.pid" -c "$work/ka-checker.pid" >"$work/keepalived.log" 2>&1 &
ka=$!
pids+=("$ka")
converge 60
table >"$work/keepalived.table"
echo "== keepalived (ipvsadm -Sn, sorted)"; cat "$work/keepalived.table"
kill "$ka"; wait "$ka" 2>/dev/null || true
ipvsadm -C

dotnet "$daemon" import keepalived "$conf" -o "$work/imported.yaml"
printf 'state_dir: %s/state\nlisten: 127.0.0.1:19480\n' "$work" >>"$work/imported.yaml"
dotnet "$daemon" run --config "$work/imported.yaml" >"$work/daemon.log" 2>&1 &
d=$!
pids+=("$d")
converge 120
table >"$work/ipvs-checkd.table"
if ! kill -0 "$d" 2>/dev/null; then
  echo "compare-keepalived: ipvs-checkd exited early:"; cat "$work/daemon.log"; exit 1
fi
kill "$d"; wait "$d" 2>/dev/null || true

echo "== ipvs-checkd on the import (ipvsadm -Sn, sorted)"; cat "$work/ipvs-checkd.table"
if diff -u "$work/keepalived.table" "$work/ipvs-checkd.table"; then
  echo "compare-keepalived: same kernel table"
else
  echo "compare-keepalived: tables differ"; echo "-- daemon log:"; tail -30 "$work/daemon.log"; echo "-- keepalived log:"; tail -30 "$work/keepalived.log"
  exit 1
fi
