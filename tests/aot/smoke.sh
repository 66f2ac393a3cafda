#!/usr/bin/env bash
# The daemon published as one native executable (Native AOT, docs/install.md) does what the managed build does:
# publishes without trimming or AOT warnings, answers --help, validates (naming file:line:column), imports, and
# runs the demo with its metrics, JSON API, status page and admin API over loopback. Native AOT drops code the
# compiler cannot see used (reflection), so a path that works in the managed build can fail here; the unit
# suites run the managed build.
#
#   bash tests/aot/smoke.sh
#
# IPVS_AOT_OUT=DIR publishes into DIR and leaves it there (tests/run.sh hands that binary to the package test, so
# one run publishes once). The binary is stamped with this checkout's version (packaging/version.sh), as
# packaging/build.sh stamps it.
#
# Ends with "aot: N passed, N failed, 0 skipped" (tests/run.sh sums it up).
set -uo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d "${TMPDIR:-/tmp}/ipvs-aot.XXXXXX")"
demo_pid=
trap '[[ -n $demo_pid ]] && kill "$demo_pid" 2>/dev/null; rm -rf "$work"' EXIT
passed=0 failed=0
ok() { echo "  ok   $1"; passed=$((passed + 1)); }
bad() { echo "  FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
end() { echo "aot: $passed passed, $failed failed, 0 skipped"; exit $((failed > 0)); }

# Native AOT links with clang; install it the way the other suites install their tools, when missing.
# (Not `compgen -c | grep -q`: under pipefail grep's early exit fails the pipeline, so clang looked missing every run.)
if ! command -v clang >/dev/null && ! compgen -G '/usr/bin/clang-[0-9]*' >/dev/null; then
  # A fresh machine has no package lists yet: update them first.
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang; } >/dev/null 2>&1 ||
    echo "cannot install clang (not root?)"
fi
out="${IPVS_AOT_OUT:-$work/publish}"
bin="$out/ipvs-checkd"
{ read -r version; read -r commit; } < <(bash packaging/version.sh)
echo "publishing the daemon with Native AOT, version $version (takes a few minutes)"
if ! dotnet publish src/Daemon -c Release -r linux-x64 -p:PublishAot=true -p:IpvsVersion="$version" -p:IpvsCommit="$commit" \
  -o "$out" -nologo -clp:NoSummary >"$work/publish.log" 2>&1; then
  tail -30 "$work/publish.log"
  bad "publish" "dotnet publish -p:PublishAot=true failed"
  end
fi
# Trimming and AOT analysis warnings (IL2xxx, IL3xxx) mean code the compiler may have dropped or cannot compile.
if grep -qE 'warning IL[23][0-9]{3}' "$work/publish.log"; then
  bad "publish without trimming/AOT warnings" "$(grep -oE 'warning IL[23][0-9]{3}[^[]*' "$work/publish.log" | sort -u | head -5)"
else
  ok "publish without trimming/AOT warnings ($(du -m "$bin" | cut -f1) MB, no runtime needed)"
fi

out="$("$bin" --help 2>&1)" && [[ $out == *Usage:* && $out == *validate* ]] && ok "--help" || bad "--help" "$out"
out="$("$bin" --version 2>&1)" && [[ $out == "$version" ]] && ok "--version: $out" || bad "--version" "'$out', expected $version"

cat >"$work/good.yaml" <<'EOF'
listen: 127.0.0.1:9480
defaults:
  check: { type: tcp, interval: 2s, timeout: 1s, rise: 2, fall: 2 }
virtual_services:
  - name: web
    address: 10.0.0.1:80
    check: { type: http, path: /health, expect_status: [200] }
    realservers:
      - { address: 10.0.1.1:80, weight: 10 }
      - { address: 10.0.1.2:80, weight: 10, check: { address: 10.0.2.2, port: 8080 } }
EOF
out="$("$bin" validate --config "$work/good.yaml" 2>&1)" && [[ $out == *"ok (1 virtual services, 2 realservers)"* ]] &&
  ok "validate: a good config" || bad "validate: a good config" "$out"

sed 's/weight: 10 }$/weigth: 10 }/' "$work/good.yaml" >"$work/bad.yaml"
out="$("$bin" validate --config "$work/bad.yaml" 2>&1)"
rc=$?
[[ $rc == 1 && $out == *"bad.yaml:9:"*"weigth"* ]] && ok "validate: a bad key is named with file:line:column" ||
  bad "validate: a bad key is named with file:line:column" "exit $rc: $out"

if "$bin" import keepalived tests/Daemon.Tests/Import/data/keepalived-all.conf -o "$work/imported.yaml" >"$work/import.out" 2>&1 &&
  out="$("$bin" validate --config "$work/imported.yaml" 2>&1)"; then
  ok "import keepalived, and the result validates ($out)"
else
  bad "import keepalived" "$(cat "$work/import.out") $out"
fi

# The demo: simulated realservers on loopback, an in-memory table where the kernel has no IPVS.
port=$((20000 + RANDOM % 20000))
"$bin" demo --duration 60 --listen "127.0.0.1:$port" --services 5 --realservers 2 >"$work/demo.out" 2>&1 &
demo_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS -m 2 "$url/api/v1/status" >"$work/status.json" 2>/dev/null && break
  sleep 0.2
done
if ! [[ -s $work/status.json ]]; then
  bad "demo answers within 20 s" "$(tail -5 "$work/demo.out")"
  end
fi
ok "demo answers on $url"
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1" 2>&1; }
# Wait (bounded) until the realservers have been checked up.
for _ in $(seq 1 50); do
  curl -fsS -m 2 "$url/api/v1/status" >"$work/status.json" 2>/dev/null
  [[ "$(json "$work/status.json" "sum(r['health'] == 'up' for v in d['virtual_services'] for r in v['realservers'])")" == 10 ]] && break
  sleep 0.2
done
n="$(json "$work/status.json" "sum(r['health'] == 'up' for v in d['virtual_services'] for r in v['realservers'])")"
[[ $n == 10 ]] && ok "status API: 10 of 10 realservers checked up" || bad "status API: realservers up" "$n"

curl -fsS -m 5 "$url/metrics" >"$work/metrics.txt" 2>&1 && grep -q '^ipvs_checkd_realserver_up{' "$work/metrics.txt" &&
  ok "metrics: $(grep -c '^ipvs_checkd_' "$work/metrics.txt") ipvs_checkd series" || bad "metrics" "$(head -3 "$work/metrics.txt")"

page="$(curl -fsS -m 5 "$url/" 2>&1)" && [[ $page == *"<title>ipvs-checkd status</title>"* ]] &&
  ok "status page" || bad "status page" "${page:0:200}"

token="$(grep -oE 'Bearer [0-9a-f]+' "$work/demo.out" | head -1 | cut -d' ' -f2)"
vs="$(json "$work/status.json" "d['virtual_services'][0]['name']")"
rs="$(json "$work/status.json" "(lambda r: r['address'] + ':' + str(r['port']))(d['virtual_services'][0]['realservers'][0])")"
out="$(curl -sS -m 5 -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"weight": 3}' \
  "$url/api/v1/virtual-services/$vs/realservers/$rs/weight" 2>&1)"
[[ $out == *'"ok":true'* ]] && ok "admin API: weight override (JSON body)" || bad "admin API: weight override" "$out"
out="$(curl -sS -m 5 -X POST -H "Authorization: Bearer $token" "$url/api/v1/virtual-services/$vs/realservers/$rs/drain" 2>&1)"
curl -fsS -m 2 "$url/api/v1/status" >"$work/status.json" 2>/dev/null
admin="$(json "$work/status.json" "[r for v in d['virtual_services'] if v['name'] == '$vs' for r in v['realservers'] if r['address'] + ':' + str(r['port']) == '$rs'][0]['admin']['state']")"
[[ $out == *'"ok":true'* && $admin == drain ]] && ok "admin API: drain shows in the status" || bad "admin API: drain" "$out / $admin"
out="$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -X POST "$url/api/v1/virtual-services/$vs/realservers/$rs/ready" 2>&1)"
[[ $out == 401 ]] && ok "admin API: no token, 401" || bad "admin API: no token" "$out"

kill -TERM "$demo_pid" 2>/dev/null
for _ in $(seq 1 50); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$demo_pid" 2>/dev/null; then
  bad "SIGTERM stops the demo within 10 s"
  kill -KILL "$demo_pid" 2>/dev/null
else
  ok "SIGTERM stops the demo"
fi
demo_pid=
end
