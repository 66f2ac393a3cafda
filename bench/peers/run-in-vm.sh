#!/usr/bin/env bash
# One command per side-by-side scenario: ipvs-checkd, keepalived and ldirectord against one realserver farm,
# inside the IPVS VM.
#
#   bash bench/peers/run-in-vm.sh scale  --services 100 --realservers 4 --interval 2s
#   bash bench/peers/run-in-vm.sh detect --services 100 --realservers 4 --interval 2s [--failure blackhole] [--check http]
#   bash bench/peers/run-in-vm.sh flap    --services 100 --realservers 4 --interval 2s --flap-period 3s
#   bash bench/peers/run-in-vm.sh starved --services 100 --realservers 4 --interval 2s
#
# On the host it installs the peers (install.sh), publishes the daemon as an operator would (publish-daemon.sh:
# Native AOT, or ReadyToRun with DAEMON_R2R=1, into bench/peers/.work/daemon), builds the farm and the runner, and boots the VM
# (tests/vm/run.sh; IPVS_VM_CPUS / IPVS_VM_MEM apply) running this script again; inside the VM it runs
# `ipvs-bench side-by-side ARGS`. The report lands in bench/results/ on the host.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
if [[ "${IPVS_VM_GUEST:-0}" != 1 ]]; then
  bash bench/peers/install.sh
  if [[ "${NO_BUILD:-0}" != 1 ]]; then
    for p in bench/Farm bench/Runner; do
      dotnet build "$p" -c Release -v q -nologo >/dev/null
    done
    # Native AOT, as docs/install.md recommends; DAEMON_R2R=1: the runtime-hosted ReadyToRun build instead.
    bash bench/peers/publish-daemon.sh $([[ "${DAEMON_R2R:-0}" == 1 ]] && echo --r2r) bench/peers/.work/daemon
  fi
  # The host's load when the run starts goes into the report: the VM's figures depend on it.
  BENCH_HOST_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
  # The daemon's commit: the one publish-daemon.sh recorded with the build, else the worktree's.
  daemon_dir=bench/peers/.work/daemon
  args=("$@")
  for ((i = 0; i + 1 < ${#args[@]}; i++)); do [[ "${args[i]}" == --daemon ]] && daemon_dir="${args[i + 1]}"; done
  if [[ -f "$daemon_dir/built-from" ]]; then
    BENCH_COMMIT="$(cat "$daemon_dir/built-from")"
  else
    BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo '+changes')"
  fi
  export BENCH_HOST_LOAD BENCH_COMMIT
  export IPVS_VM_ENV="${IPVS_VM_ENV:-} BENCH_HOST_LOAD BENCH_COMMIT"
  exec bash tests/vm/run.sh -- bash bench/peers/run-in-vm.sh "$@"
fi
# In the guest: no other checker may run (the VM starts none), and the table starts empty.
ipvsadm -C
# 10,000 realservers are 10,000 farm listeners plus the checks in flight: more descriptors than the guest's init
# limits allow (the farm failed with ENFILE at 2,500 × 4), so raise the system-wide and per-process limits.
sysctl -qw fs.file-max=2097152 2>/dev/null || true
ulimit -Hn 1048576 2>/dev/null && ulimit -Sn 1048576 2>/dev/null || true
# Every checker's files into the guest's page cache first, so the first one measured does not pay the cold reads.
cat /usr/share/dotnet/shared/*/*/* bench/peers/.work/daemon/* src/Daemon/bin/Release/net10.0/* \
  "$(command -v keepalived)" "$(command -v ldirectord)" "$(command -v ipvsadm)" >/dev/null 2>&1 || true
exec dotnet exec bench/Runner/bin/Release/net10.0/ipvs-bench.dll side-by-side "$@"
