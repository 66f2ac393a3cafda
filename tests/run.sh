#!/usr/bin/env bash
# Runs every test: build, the unit/integration suites on this machine, then the real-kernel suite
# (on this kernel if it has IPVS, otherwise inside a throwaway qemu VM; see tests/vm/ and
# docs/testing.md). Exits non-zero when anything fails; the last line sums up every suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/ensure-packages.sh
dotnet build Ipvs.sln -c Release -nologo -clp:ErrorsOnly

log="$(mktemp "${TMPDIR:-/tmp}/ipvs-tests.XXXXXX")"
failures="$(mktemp "${TMPDIR:-/tmp}/ipvs-failures.XXXXXX")"
# The Native AOT daemon the smoke test publishes, packaged by the package test (one publish per run).
aot_out="$(mktemp -d "${TMPDIR:-/tmp}/ipvs-aot-out.XXXXXX")"
trap 'rm -rf "$log" "$failures" "$aot_out"' EXIT

status=0
passed=0 failed=0 skipped=0
# Adds up the counts of the summary lines a suite printed (dotnet test: "Failed: 0, Passed: 5,
# Skipped: 0, ..."; the real-kernel suite: "realkernel: 5 passed, 0 failed, 0 skipped"; the allocation
# budget: "allocation budget: 10 passed, 0 failed, 0 skipped"; the importers' kernel-table comparison:
# "import-compare: 2 passed, 0 failed, 0 skipped"; the Native AOT smoke test: "aot: 13 passed, 0 failed, 0 skipped";
# the package test: "package: 25 passed, 0 failed, 0 skipped").
count() {
  local p f s
  while read -r f p s; do
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  done < <(sed -nE 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/p' "$log")
  while read -r p f s; do
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  done < <(sed -nE 's/^(realkernel|allocation budget|import-compare|aot|package): ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\2 \3 \4/p' "$log")
  # Names what failed, so the end of the output (often all a CI log keeps) says which test it was:
  # dotnet test's "Failed Name [time]", the real-kernel suite's "FAIL time name", the budget's
  # "budget Name OVER ..." and the import comparison's "differ"/"failed" lines, the AOT smoke and package tests' "FAIL what".
  grep -E '^ +Failed [A-Za-z_]|\[FAIL\]|^ +FAIL +[0-9]|^  FAIL [A-Za-z-]|^budget .* (OVER|FAIL|fail)|FAILED|differ' "$log" |
    sed -E 's/^ +//' | cut -c1-300 >> "$failures" || true
}

for proj in tests/Netlink.Tests tests/Checks.Tests tests/Engine.Tests tests/Daemon.Tests; do
  echo "=== $proj"
  dotnet test "$proj" -c Release --no-build -nologo 2>&1 | tee "$log" || { status=1; echo "=== $proj FAILED"; }
  count
done

echo "=== bench/Micro allocation budget (bench/Micro/allocation-budget.txt)"
dotnet bench/Micro/bin/Release/net10.0/Ipvs.Bench.Micro.dll budget 2>&1 | grep -E '^(budget |allocation budget:)' | tee "$log" ||
  { status=1; echo "=== allocation budget FAILED"; }
count

echo "=== tests/aot: the daemon published with Native AOT, smoke-tested"
IPVS_AOT_OUT="$aot_out" bash tests/aot/smoke.sh 2>&1 | tee "$log" || { status=1; echo "=== tests/aot FAILED"; }
count

echo "=== tests/package: the .deb and tarball built, lintian, installed and purged in the IPVS VM"
bash tests/package/package.sh --binary "$aot_out/ipvs-checkd" 2>&1 | tee "$log" || { status=1; echo "=== tests/package FAILED"; }
count

echo "=== tests/RealKernel (real IPVS kernel)"
bash tests/vm/realkernel.sh --no-build 2>&1 | tee "$log" || { status=1; echo "=== tests/RealKernel FAILED"; }
count

echo "=== import comparison: keepalived and ldirectord vs ipvs-checkd on the import, same kernel table (IPVS VM)"
bash tests/Daemon.Tests/Import/vm/compare.sh --no-build 2>&1 | tee "$log" || { status=1; echo "=== import comparison FAILED"; }
count

[[ $failed == 0 ]] || status=1
if [[ -s $failures ]]; then
  echo "=== what failed (details above)"
  sort -u "$failures" | head -40
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
