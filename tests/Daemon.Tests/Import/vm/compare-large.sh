#!/usr/bin/env bash
# The large kernel-table comparison, kept out of tests/run.sh for its cost: generates a keepalived.conf or
# ldirectord.cf with N virtual services (generate-large.sh), runs compare.sh on it in the IPVS VM (the original
# checker, then ipvs-checkd on the import, same farm, same sorted `ipvsadm -Sn` required) and writes a report with
# the commit, host load, wall time, each checker's convergence time and the table size.
#
#   bash tests/Daemon.Tests/Import/vm/compare-large.sh [--no-build] [keepalived|ldirectord] [N]   (default keepalived 500)
#
# Report: bench/results/import-compare-KIND-N.txt (the full output, with both tables, stays in
# tests/vm/.work/import-large/KIND-N.log). Exit status: compare.sh's.
# Env: as compare.sh; defaults here COMPARE_SETTLE_KEEPALIVED_S=30, COMPARE_WAIT_S=900, IPVS_VM_TIMEOUT=2400.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
cd "$repo"
rel="${here#"$repo"/}"

build=()
[[ "${1:-}" == --no-build ]] && { build=(--no-build); shift; }
kind="${1:-keepalived}" n="${2:-500}"
[[ "$kind" =~ ^(keepalived|ldirectord)$ && "$n" =~ ^[1-9][0-9]*$ ]] || {
  echo "usage: bash $rel/compare-large.sh [--no-build] [keepalived|ldirectord] [N]" >&2
  exit 2
}
ext=$([[ $kind == keepalived ]] && echo conf || echo cf)
out=tests/vm/.work/import-large # ignored by git; inside the repository because the VM mounts only that
file="$out/$kind-$n.$ext" log="$out/$kind-$n.log" keep="$out/$kind-$n.keep"
report="bench/results/import-compare-$kind-$n.txt"
mkdir -p "$out" bench/results
rm -rf "$keep"
bash "$rel/generate-large.sh" "$kind" "$n" >"$file"

export COMPARE_SETTLE_KEEPALIVED_S="${COMPARE_SETTLE_KEEPALIVED_S:-30}" COMPARE_WAIT_S="${COMPARE_WAIT_S:-900}"
export IPVS_VM_TIMEOUT="${IPVS_VM_TIMEOUT:-2400}" COMPARE_KEEP="$keep"
commit="$(git rev-parse --short HEAD)$([[ -n "$(git status --porcelain -- src tests bench/Farm)" ]] && echo ' (with uncommitted changes)' || true)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
t0=$SECONDS rc=0
bash "$rel/compare.sh" "${build[@]}" "$kind=$file" 2>&1 | tee "$log" || rc=$?
wall=$((SECONDS - t0))
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

table="$keep/1.$kind.table"
size=""
if [[ -f "$table" ]]; then
  size="table: $(wc -l <"$table") lines of ipvsadm -Sn = $(grep -c '^-A' "$table" || true) virtual services,"
  size+=" $(grep -c '^-a' "$table" || true) realserver entries ($(grep -cE '^-a.* -w 0( |$)' "$table" || true) at weight 0)"
fi
{
  echo "# import-compare, large: $kind file with $n virtual services (generate-large.sh), $kind vs ipvs-checkd on"
  echo "# 'ipvs-checkd import $kind' of it, in the IPVS VM against the same farm; sorted ipvsadm -Sn must be the same."
  echo "# Commit $commit, started $started on a shared $(nproc)-core machine."
  echo "# Host load average (1/5/15 min) before: $load_before; after: $load_after."
  echo "#"
  echo "# bash $rel/compare-large.sh $kind $n"
  echo "#   (COMPARE_SETTLE_KEEPALIVED_S=$COMPARE_SETTLE_KEEPALIVED_S COMPARE_WAIT_S=$COMPARE_WAIT_S IPVS_VM_TIMEOUT=$IPVS_VM_TIMEOUT)"
  echo "# 'converged in': from the checker's start until its table had stayed the same for the settle time"
  echo "# (${COMPARE_SETTLE_KEEPALIVED_S} s for keepalived, ${COMPARE_SETTLE_S:-5} s for the others), which it includes."
  echo "wall time: $wall s ($([[ ${#build[@]} == 0 ]] && echo 'host build, ')VM boot, farm start, both checkers, import), exit $rc"
  [[ -n "$size" ]] && echo "$size"
  grep -h 'imported' "$keep/1.import.log" 2>/dev/null | sed 's/^[^:]*: /import: /' || true
  # compare.sh's lines without the checkers' console chatter and the table listing (a diff, if any, stays)
  grep -vE '^(Keepalived|ldirectord|\[ *[0-9.]+\]|    -[aA] |Build succeeded|Time Elapsed|    [0-9]+ (Warning|Error))' "$log" | grep -vE '^\s*$' || true
} >"$report"
echo "import-compare-large: report in $report"
exit $rc
