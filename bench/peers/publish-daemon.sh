#!/usr/bin/env bash
# Publishes the daemon the way docs/install.md recommends: one native executable (Native AOT: no runtime to
# start, nothing compiled at run time); or, with --r2r, the runtime-hosted build (framework-dependent, linux-x64,
# ReadyToRun with tiered compilation off), which builds of older commits without Native AOT support need.
#
#   bash bench/peers/publish-daemon.sh [--r2r] OUT_DIR
#
# The side-by-side runs use bench/peers/.work/daemon; a baseline for the same run is published from an older
# checkout into another folder of this repository (see bench/README.md). The harness runs OUT_DIR/ipvs-checkd
# directly when there is no dll (Native AOT), or OUT_DIR/ipvs-checkd.dll with `dotnet exec`.
set -euo pipefail
aot=1
[[ "${1:-}" == --r2r ]] && { aot=0; shift; }
[[ "${1:-}" == --aot ]] && shift
[[ $# -eq 1 ]] || { echo "usage: bash bench/peers/publish-daemon.sh [--r2r] OUT_DIR" >&2; exit 2; }
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
