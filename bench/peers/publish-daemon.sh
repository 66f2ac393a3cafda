#!/usr/bin/env bash
# Publishes the daemon the way docs/install.md tells an operator to: framework-dependent, linux-x64,
# ReadyToRun (precompiled, so the runtime does not JIT the daemon at start and while it warms up).
#
#   bash bench/peers/publish-daemon.sh OUT_DIR
#
# The side-by-side runs use bench/peers/.work/daemon; a baseline for the same run is published from an older
# checkout into another folder of this repository (see bench/README.md).
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: bash bench/peers/publish-daemon.sh OUT_DIR" >&2; exit 2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dotnet publish "$repo/src/Daemon" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$1" -v q -nologo >/dev/null
# The commit the build came from, for the reports (the worktree may move on before the runs that use it).
echo "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || echo '+changes')" >"$1/built-from"
echo "published ReadyToRun daemon to $1"
