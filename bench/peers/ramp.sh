#!/usr/bin/env bash
# The side-by-side scale scenario at several sizes, one VM run per size, then one table over all of them
# (bench/results/side-by-side-ramp-Is.md) and the load plots (checks/s and CPU vs realservers).
#
#   bash bench/peers/ramp.sh --interval 1s --sizes "500x4 1000x4 2500x4" [SCALE OPTIONS...]
#
# SCALE OPTIONS go to every run as they are (e.g. --checkers ipvs-checkd,keepalived --warmup 20s --settle 30s
# --window 30s --steady-timeout 300s). Each run takes the machine's VM lock (/tmp/ipvs-vm.lock) for itself only,
# so other VM users can run between sizes; the daemon, farm and runner are built once, before the first size.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
interval= sizes= rest=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --interval) interval="$2"; rest+=("$1" "$2"); shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
[[ -n "$interval" && -n "$sizes" ]] || { echo 'usage: bash bench/peers/ramp.sh --interval 1s --sizes "500x4 1000x4" [SCALE OPTIONS...]' >&2; exit 2; }
for s in $sizes; do [[ "$s" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || { echo "ramp: size '$s' is not VxR" >&2; exit 2; }; done
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  for p in bench/Farm bench/Runner; do dotnet build "$p" -c Release -v q -nologo >/dev/null; done
  bash bench/peers/publish-daemon.sh bench/peers/.work/daemon
fi
failed=0
for s in $sizes; do
  echo "=== ramp: scale ${s} every ${interval}"
  # A size a checker cannot hold is a result, not a failure of the ramp: go on with the next size.
  NO_BUILD=1 flock -w 2400 /tmp/ipvs-vm.lock bash bench/peers/run-in-vm.sh scale \
    --services "${s%x*}" --realservers "${s#*x}" "${rest[@]}" || failed=$((failed + 1))
done
dotnet bench/Runner/bin/Release/net10.0/ipvs-bench.dll side-by-side-ramp --interval "$interval"
[[ $failed -eq 0 ]] || echo "ramp: $failed size(s) ended with an error (see their reports)" >&2
