#!/usr/bin/env bash
# Publishes the daemon the way docs/install.md tells an operator to: framework-dependent, linux-x64,
# ReadyToRun (precompiled, so the runtime does not JIT the daemon at start and while it warms up); or, with
# --aot, as one native executable (Native AOT: no runtime to start, no JIT at all).
#
#   bash bench/peers/publish-daemon.sh [--aot] OUT_DIR
#
# The side-by-side runs use bench/peers/.work/daemon; a baseline for the same run is published from an older
# checkout into another folder of this repository (see bench/README.md). The harness runs OUT_DIR/ipvs-checkd.dll
# with `dotnet exec`, or OUT_DIR/ipvs-checkd directly when there is no dll (an AOT publish).
set -euo pipefail
aot=0
[[ "${1:-}" == --aot ]] && { aot=1; shift; }
[[ $# -eq 1 ]] || { echo "usage: bash bench/peers/publish-daemon.sh [--aot] OUT_DIR" >&2; exit 2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ((aot)); then
  dotnet publish "$repo/src/Daemon" -c Release -r linux-x64 -p:PublishAot=true -o "$1" -v q -nologo >/dev/null
  # No dll may be left from an earlier publish into the same folder: the harness would run that instead.
  rm -f "$1"/*.dll "$1"/*.pdb "$1"/*.xml "$1"/*.dbg "$1"/*.deps.json "$1"/*.runtimeconfig.json
  kind="native AOT"
else
  dotnet publish "$repo/src/Daemon" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$1" -v q -nologo >/dev/null
  kind="ReadyToRun"
fi
# The commit the build came from, for the reports (the worktree may move on before the runs that use it).
echo "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || echo '+changes') ($kind)" >"$1/built-from"
echo "published $kind daemon to $1"
