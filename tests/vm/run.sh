#!/usr/bin/env bash
# Boots a throwaway qemu VM whose kernel has IPVS, runs COMMAND in it as root at the current
# working directory, prints its output live and exits with its exit status.
#
#   bash tests/vm/run.sh [--cpus N] [--mem MB] -- COMMAND [ARGS...]
#
# The guest sees this machine's root read-only (with a throwaway writable layer on top), the
# current working directory read-write at the same path, a private /tmp, and an IPVS table of its
# own with every scheduler module loaded, lo up and the dummy module loaded. It has no network.
#
# Env:
#   IPVS_VM_TIMEOUT  seconds before the VM is killed and the run fails (default 1200)
#   IPVS_VM_CPUS     default for --cpus (2)
#   IPVS_VM_MEM      default for --mem in MB (2048)
#   IPVS_VM_ENV      names of extra variables to pass into the guest, space separated
#   IPVS_VM_CACHE    kernel and initramfs cache (see prepare.sh)
#
# Exit status: the command's, or 124 when the VM timed out, 125 when it ended without running
# the command (boot or setup failure), 2 for bad usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cpus="${IPVS_VM_CPUS:-2}"
mem="${IPVS_VM_MEM:-2048}"
timeout_s="${IPVS_VM_TIMEOUT:-1200}"

usage() {
  echo "usage: bash tests/vm/run.sh [--cpus N] [--mem MB] -- COMMAND [ARGS...]" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --cpus) [[ $# -ge 2 ]] || usage; cpus="$2"; shift 2 ;;
    --mem) [[ $# -ge 2 ]] || usage; mem="$2"; shift 2 ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
[[ $# -gt 0 ]] || usage
[[ "$cpus" =~ ^[1-9][0-9]*$ && "$mem" =~ ^[1-9][0-9]*$ && "$timeout_s" =~ ^[1-9][0-9]*$ ]] || usage

bash "$here/prepare.sh"
cache="${IPVS_VM_CACHE:-/var/cache/ipvs-checkd-vm}"
kdir="$cache/$(cat "$cache/current")"

workdir="$(pwd -P)"
ctl="$(mktemp -d "${TMPDIR:-/tmp}/ipvs-vm.XXXXXX")"
qemu_pid=
cleanup() {
  [[ -n "$qemu_pid" ]] && kill "$qemu_pid" 2>/dev/null
  rm -rf "$ctl"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp "$here/guest-init.sh" "$ctl/init"
printf '%s\n' "$workdir" >"$ctl/workdir"
{
  echo "export HOME=/root PATH=$(printf %q "$PATH")"
  echo "export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1"
  echo "export IPVS_VM_GUEST=1"
  for name in CI DOTNET_ROOT ${IPVS_VM_ENV:-}; do
    [[ -n "${!name+x}" ]] && echo "export $name=$(printf %q "${!name}")"
  done
  echo "cd $(printf %q "$workdir") || exit 125"
  printf 'exec'
  printf ' %q' "$@"
  printf '\n'
} >"$ctl/cmd"

# -cpu max: the runtime needs more than the default qemu64 model offers. KVM is not used: it is
# not usable on the build machines, and TCG boots this kernel in a few seconds.
start=$(date +%s)
timeout -k 10 "$timeout_s" qemu-system-x86_64 \
  -bios qboot.rom -accel tcg -cpu "${IPVS_VM_CPU_MODEL:-max}" -smp "$cpus" -m "$mem" \
  -nic none -nographic -no-reboot \
  -kernel "$kdir/vmlinuz" -initrd "$kdir/initramfs.cpio.gz" \
  -append "console=ttyS0 panic=-1 quiet loglevel=3" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=${workdir//,/,,},mount_tag=work,security_model=none,multidevs=remap" \
  -virtfs "local,path=${ctl//,/,,},mount_tag=ctl,security_model=none" \
  </dev/null &
qemu_pid=$!
rc=0
wait "$qemu_pid" || rc=$?
qemu_pid=

if [[ -f "$ctl/status" ]]; then
  status="$(cat "$ctl/status")"
  echo "vm: command exited $status; VM wall time $(($(date +%s) - start)) s" >&2
  exit "$status"
fi
if [[ $rc == 124 ]]; then
  echo "vm: timed out after ${timeout_s}s (IPVS_VM_TIMEOUT); the VM was killed" >&2
  exit 124
fi
echo "vm: the VM ended after $(($(date +%s) - start))s without running the command (qemu exit $rc)" >&2
exit 125
