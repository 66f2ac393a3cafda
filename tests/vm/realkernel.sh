#!/usr/bin/env bash
# Runs the real-kernel test suite (tests/RealKernel) against a kernel that has IPVS:
#  - this machine's kernel when it has IPVS and we are root, inside a fresh network namespace so
#    the suite gets an IPVS table of its own and never touches the host's services;
#  - otherwise inside a throwaway qemu VM (tests/vm/run.sh), where the same script runs again.
# There is no skip: a suite that cannot run, runs nothing, or has a failing test fails.
#
#   bash tests/vm/realkernel.sh [--no-build] [-- XUNIT_ARGS...]
#
# XUNIT_ARGS go to the xunit v3 test program, e.g. -- -method '*Harness*'.
# Env: IPVS_VM_FORCE=1 uses the VM even when this kernel has IPVS; IPVS_VM_TIMEOUT bounds the run
# (seconds, default 1200); the VM knobs of run.sh apply.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."

build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --) shift; break ;;
    *) echo "usage: bash tests/vm/realkernel.sh [--no-build] [-- XUNIT_ARGS...]" >&2; exit 2 ;;
  esac
done

project=tests/RealKernel
dll=$project/bin/Release/net10.0/Ipvs.RealKernel.Tests.dll
report=$project/TestResults/realkernel.xml

if [[ $build == 1 ]]; then
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly
fi
[[ -f "$dll" ]] || { echo "realkernel: $dll is missing; build it first (dotnet build $project -c Release)" >&2; exit 1; }

kernel_has_ipvs() {
  [[ -e /proc/net/ip_vs ]] && return 0
  modprobe -q ip_vs 2>/dev/null && [[ -e /proc/net/ip_vs ]]
}

native=0
if [[ "${IPVS_VM_GUEST:-0}" == 1 ]]; then
  native=1
elif [[ "${IPVS_VM_FORCE:-0}" != 1 && $(id -u) == 0 ]] && kernel_has_ipvs; then
  native=1
fi

if [[ $native == 0 ]]; then
  echo "realkernel: this kernel has no IPVS (or IPVS_VM_FORCE=1): running the suite in a throwaway VM"
  rc=0
  bash "$here/run.sh" -- bash tests/vm/realkernel.sh --no-build -- "$@" || rc=$?
  if [[ $rc == 124 || $rc == 125 ]]; then
    echo "realkernel: FAILED: the VM did not run the suite to the end (run.sh exit $rc)" >&2
  fi
  exit $rc
fi

echo "realkernel: running on kernel $(uname -r) in a fresh network namespace"
mkdir -p "$(dirname "$report")"
rm -f "$report"
# -reporter verbose names each test as it starts and prints failures and skips in full; the
# [FINISHED] lines only repeat the name, so they are dropped. The XML report gives the verdicts.
set +e
timeout -k 10 "${IPVS_VM_TIMEOUT:-1200}" unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh \
  dotnet exec "$dll" -noLogo -noColor -reporter verbose -xml "$report" "$@" 2>&1 |
  grep --line-buffered -v -F '[FINISHED]'
rc=${PIPESTATUS[0]}
set -e

if [[ ! -f "$report" ]]; then
  echo "realkernel: FAILED: the test program wrote no report (exit $rc)" >&2
  exit 1
fi

attr() { grep -o "<assembly [^>]*>" "$report" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }'; }
total=$(attr total) passed=$(attr passed) failed=$(attr failed) skipped=$(attr skipped)
errors=$(attr errors) notrun=$(attr not-run)

echo "realkernel: results"
grep -o '<test [^>]*>' "$report" |
  sed -E 's/.* name="([^"]*)".* result="([^"]*)" time="([0-9.]*)".*/\2 \3 \1/' |
  sed -e 's/\\&quot;/"/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' |
  awk '{ printf "  %-4s %7.2fs  %s\n", toupper($1), $2, substr($0, length($1) + length($2) + 3) }' || true
echo "realkernel: total $total, errors $errors, not run $notrun"
echo "realkernel: $passed passed, $failed failed, $skipped skipped"

if [[ $failed != 0 || $errors != 0 || $rc != 0 ]]; then
  echo "realkernel: FAILED (test program exit $rc)" >&2
  exit 1
fi
if [[ $passed == 0 ]]; then
  echo "realkernel: FAILED: no test ran to a pass ($total found, $skipped skipped)" >&2
  exit 1
fi
echo "realkernel: OK"
