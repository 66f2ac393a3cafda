#!/usr/bin/env bash
# Kernel-table comparison of the importers: for each case, the original checker (keepalived or ldirectord) runs on
# its file, then ipvs-checkd runs on `ipvs-checkd import KIND FILE`, each from an empty IPVS table against the same
# simulated realservers (bench/Farm on a dummy interface); once each has converged, their `ipvsadm -Sn` tables
# (sorted) must be the same. Runs in the IPVS VM (tests/vm/run.sh), or here in a fresh network namespace when this
# kernel has IPVS and we are root.
#
#   bash tests/Daemon.Tests/Import/vm/compare.sh [--no-build] [KIND=FILE ...]
#
# Without cases it compares keepalived-compare.conf and ldirectord-compare.cf (beside this script). FILE is relative
# to the repository root. Ends with `import-compare: N passed, N failed, 0 skipped`; exits 1 when a case differs.
# Env: COMPARE_SETTLE_S (seconds a table must stay the same to count as converged, default 5; for keepalived,
# which tells nothing of its progress, COMPARE_SETTLE_KEEPALIVED_S, default 12),
# COMPARE_WAIT_S (longest wait for that, default 300; a bound for a loaded machine, not a cost), COMPARE_KEEP=DIR (keep tables and logs there).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
cd "$repo"
rel="${here#"$repo"/}"

build=1
cases=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    keepalived=* | ldirectord=*) cases+=("$a") ;;
    *) echo "usage: bash $rel/compare.sh [--no-build] [keepalived=FILE|ldirectord=FILE ...]" >&2; exit 2 ;;
  esac
done
((${#cases[@]})) || cases=("keepalived=$rel/keepalived-compare.conf" "ldirectord=$rel/ldirectord-compare.cf")

daemon=src/Daemon/bin/Release/net10.0/ipvs-checkd.dll
farm=bench/Farm/bin/Release/net10.0/ipvs-farm.dll

kernel_has_ipvs() {
  [[ -e /proc/net/ip_vs ]] && return 0
  modprobe -q ip_vs 2>/dev/null && [[ -e /proc/net/ip_vs ]]
}

if [[ "${IPVS_VM_GUEST:-0}" != 1 && "${COMPARE_IN_NETNS:-0}" != 1 ]]; then
  bash bench/peers/install.sh >/dev/null
  command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y curl >/dev/null
  if [[ $build == 1 ]]; then
    dotnet build src/Daemon -c Release -nologo -clp:ErrorsOnly
    dotnet build bench/Farm -c Release -nologo -clp:ErrorsOnly
  fi
  if [[ "${IPVS_VM_FORCE:-0}" != 1 && $(id -u) == 0 ]] && kernel_has_ipvs; then
    echo "import-compare: on kernel $(uname -r) in a fresh network namespace"
    exec unshare --net -- env COMPARE_IN_NETNS=1 bash "$rel/compare.sh" --no-build "${cases[@]}"
  fi
  rc=0
  IPVS_VM_ENV="${IPVS_VM_ENV:-} COMPARE_SETTLE_S COMPARE_SETTLE_KEEPALIVED_S COMPARE_WAIT_S COMPARE_KEEP" \
    bash tests/vm/run.sh -- bash "$rel/compare.sh" --no-build "${cases[@]}" || rc=$?
  if [[ $rc == 124 || $rc == 125 ]]; then
    echo "import-compare: FAILED: the VM did not run the comparison to the end (run.sh exit $rc)" >&2
    echo "import-compare: 0 passed, ${#cases[@]} failed, 0 skipped"
  fi
  exit $rc
fi

settle="${COMPARE_SETTLE_S:-5}"
wait_s="${COMPARE_WAIT_S:-300}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip link del cmp0 2>/dev/null || true
  if [[ -n "${COMPARE_KEEP:-}" ]]; then mkdir -p "$COMPARE_KEEP" && cp -r "$work"/. "$COMPARE_KEEP"/; fi
  rm -rf "$work"
}
trap cleanup EXIT
ip link set lo up

# The realservers: addresses on a dummy interface, one farm process per protocol (each stops by itself).
ip link add cmp0 type dummy && ip link set cmp0 up
for a in 10.99.1.1 10.99.1.2 10.99.1.3 10.99.1.4 10.99.1.10 10.99.1.20 10.99.1.30 10.99.1.31; do
  ip addr add "$a/32" dev cmp0
done
start_farm() { # PROTOCOL FIRST COUNT PORT CONTROL_PORT
  dotnet exec "$farm" --protocol "$1" --first "$2" --count "$3" --port "$4" \
    --control "127.0.0.1:$5" --max-seconds "$((${#cases[@]} * 2 * wait_s + 300))" >"$work/farm-$1.log" 2>&1 &
  pids+=($!)
}
start_farm http 10.99.1.1 2 8080 7101
start_farm https 10.99.1.10 1 8443 7102
start_farm smtp 10.99.1.20 1 25 7103
start_farm dns 10.99.1.30 2 53 7104
for _ in $(seq 150); do
  n=$(cat "$work"/farm-*.log 2>/dev/null | grep -c '^farm ' || true)
  [[ $n == 4 ]] && break
  sleep 0.2
done
[[ $n == 4 ]] || { echo "import-compare: the farm did not start"; tail -n 5 "$work"/farm-*.log; exit 1; }
# One request to each web server before any checker runs: the farm's first TLS handshake (its TLS code compiled on
# first use, slow under the VM's emulation) takes longer than a 3 s check timeout, so whichever checker ran first
# would see that realserver fail once (keepalived's SSL_GET did, and then re-added it a few checks later).
for u in http://10.99.1.1:8080/ http://10.99.1.2:8080/ https://10.99.1.10:8443/; do
  curl -sk --max-time 60 -o /dev/null -w "farm warm-up: $u %{http_code} in %{time_total} s\n" "$u" ||
    { echo "import-compare: the farm did not answer $u"; exit 1; }
done

table() { ipvsadm -Sn | sort; }

# Progress of a checker as "CHECKS REALSERVERS UNDECIDED": checks done so far, how many realservers it checks,
# how many have no settled health yet. keepalived tells none of it (its checks run concurrently every delay_loop,
# so time alone is the measure); ldirectord -d logs each check; ipvs-checkd has its /metrics.
progress_keepalived() { echo "0 0 0"; }
# keepalived starts with every realserver in and takes failed ones out only when their first checks end (up to
# delay_loop + connect_timeout): time alone must cover that.
settle_keepalived="${COMPARE_SETTLE_KEEPALIVED_S:-12}"
progress_ldirectord() {
  local checks reals
  checks=$(grep -c 'DEBUG2: Checking' "$1" || true)
  reals=$(grep -cE '^[[:space:]]*real=' "$2" || true)
  echo "$checks $reals 0"
}
# ipvs-checkd runs one probe per endpoint and check, shared by the services that list the same realserver: the
# probes are counted from the check series (one per endpoint and kind, whatever the result).
progress_ipvs_checkd() {
  curl -s --max-time 5 http://127.0.0.1:19480/metrics | awk '
    /^ipvs_checkd_checks_total / { t = $2 }
    /^ipvs_checkd_realserver_checks_total\{/ { k = $1; sub(/,?result="[a-z]*"/, "", k); if (!(k in seen)) { seen[k] = 1; p++ } }
    /^ipvs_checkd_realserver_health\{/ { r++; if ($2 != 1 && $2 != 3) u++ }
    END { printf "%d %d %d\n", t, p, u + (r == 0) }'
}

# Waits until the table is not empty and has stayed the same for $settle seconds while the checker ran at least
# two checks per realserver and has every realserver's health settled (at most $wait_s seconds). 1 when it never
# converged or the checker (pid $1) died. $2 is the settle time, $3... the progress command.
converge() {
  local pid=$1 settle=$2; shift 2
  local t0=$SECONDS last="" since=$SECONDS mark=0 now checks reals undecided
  while ((SECONDS - t0 < wait_s)); do
    sleep 1
    kill -0 "$pid" 2>/dev/null || return 1
    now="$(table)"
    read -r checks reals undecided <<<"$("$@")"
    if [[ -z "$now" || "$now" != "$last" ]]; then
      last="$now" since=$SECONDS mark=$checks
      continue
    fi
    ((SECONDS - since >= settle && checks - mark >= 2 * reals && undecided == 0)) && return 0
  done
  echo "  not converged: table last changed $((SECONDS - since)) s ago; $((checks - mark)) checks since (need $((2 * reals))); $undecided realservers undecided"
  return 1
}

# Runs the checker NAME of case N (COMMAND... in the background, its output in $work/N.NAME.log) until the table
# converges, then stops it and writes the table to $work/N.NAME.table. The table is flushed before and after.
run_checker() {
  local n=$1 name=$2 progress=$3; shift 3
  ipvsadm -C
  "$@" >"$work/$n.$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local t0=$SECONDS ok=0
  # shellcheck disable=SC2086 # the progress command is words
  converge "$pid" "$([[ $name == keepalived ]] && echo "$settle_keepalived" || echo "$settle")" $progress && ok=1
  table >"$work/$n.$name.table"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  ipvsadm -C
  if [[ $ok == 0 ]]; then
    echo "  $name did not converge in ${wait_s}s (or exited); its log:"; tail -n 20 "$work/$n.$name.log" | sed 's/^/    /'
    return 1
  fi
  echo "  $name converged in $((SECONDS - t0)) s: $(wc -l <"$work/$n.$name.table") table lines"
}

passed=0 failed=0 n=0
for c in "${cases[@]}"; do
  n=$((n + 1))
  kind="${c%%=*}" file="${c#*=}"
  echo "=== import-compare $n: $kind $file"
  ok=1
  case "$kind" in
    keepalived)
      run_checker "$n" "$kind" progress_keepalived \
        keepalived -n -l -D -C -f "$repo/$file" -p "$work/$n.ka.pid" -c "$work/$n.ka-checkers.pid" || ok=0 ;;
    ldirectord)
      # -d: stays in front and logs each check (the progress measure).
      cp "$file" "$work/$n.ldirectord.cf"
      run_checker "$n" "$kind" "progress_ldirectord $work/$n.$kind.log $work/$n.ldirectord.cf" \
        ldirectord -d "$work/$n.ldirectord.cf" start || ok=0 ;;
  esac
  if ! dotnet exec "$daemon" import "$kind" "$file" -o "$work/$n.yaml" 2>"$work/$n.import.log"; then
    echo "  import failed:"; sed 's/^/    /' "$work/$n.import.log"; ok=0
  fi
  if [[ $ok == 1 ]]; then
    mkdir -p "$work/$n.state"
    printf 'state_dir: %s\nlisten: 127.0.0.1:19480\n' "$work/$n.state" >>"$work/$n.yaml"
    run_checker "$n" ipvs-checkd progress_ipvs_checkd dotnet exec "$daemon" run --config "$work/$n.yaml" || ok=0
  fi
  if [[ $ok == 1 ]] && diff -u --label "$kind" --label "ipvs-checkd on the import" \
    "$work/$n.$kind.table" "$work/$n.ipvs-checkd.table" >"$work/$n.diff"; then
    echo "  same kernel table ($(wc -l <"$work/$n.$kind.table") lines):"
    sed 's/^/    /' "$work/$n.$kind.table"
    passed=$((passed + 1))
  else
    [[ -s "$work/$n.diff" ]] && { echo "  tables differ (ipvsadm -Sn, sorted):"; sed 's/^/    /' "$work/$n.diff"; }
    for l in "$work/$n.$kind.log" "$work/$n.ipvs-checkd.log"; do
      [[ -f "$l" ]] && { echo "  -- $(basename "$l") (last 15 lines)"; tail -n 15 "$l" | sed 's/^/    /'; }
    done
    failed=$((failed + 1))
  fi
done
echo "import-compare: $passed passed, $failed failed, 0 skipped"
[[ $failed == 0 ]]
