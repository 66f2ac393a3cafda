#!/usr/bin/env bash
# Prepares what tests/vm/run.sh needs to boot a throwaway IPVS VM: the host tools (qemu, static
# busybox, cpio, kmod, ipvsadm, iproute2), a Debian kernel that has IPVS, and an initramfs with
# the modules the guest needs. Idempotent: once the cache is complete it only checks and exits.
#
# Env:
#   IPVS_VM_CACHE    cache folder (default /var/cache/ipvs-checkd-vm)
#   IPVS_VM_REFRESH  1 = resolve the kernel package again (after a kernel security update)
#
# Prints nothing when everything is already there. Safe when several runs start at once: the
# build is serialised by a lock on the cache folder and published by an atomic rename.
set -euo pipefail

cache="${IPVS_VM_CACHE:-/var/cache/ipvs-checkd-vm}"
# Bump when the initramfs layout or its /init stub changes, so old caches are rebuilt.
format=2

log() { echo "vm-prepare: $*" >&2; }

# The cache is complete when 'current' names a kernel whose vmlinuz and initramfs exist.
cache_ready() {
  [[ -f "$cache/current" ]] || return 1
  local dir="$cache/$(cat "$cache/current")"
  [[ -f "$dir/vmlinuz" && -f "$dir/initramfs.cpio.gz" ]]
}

tools_ready() {
  command -v qemu-system-x86_64 >/dev/null && command -v cpio >/dev/null &&
    command -v depmod >/dev/null && command -v ipvsadm >/dev/null && command -v ip >/dev/null &&
    busybox_static >/dev/null
}

# Prints the path of a statically linked busybox (the guest's /init runs before any library exists).
busybox_static() {
  local b
  for b in /bin/busybox /usr/bin/busybox; do
    if [[ -x "$b" ]] && dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
      echo "$b"
      return 0
    fi
  done
  return 1
}

if [[ "${IPVS_VM_REFRESH:-0}" != 1 ]] && tools_ready && cache_ready; then
  exit 0
fi

if [[ $(id -u) != 0 ]]; then
  log "the VM cache or its tools are missing and installing them needs root (run: sudo bash $0)"
  exit 1
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
# Another run may have finished the job while we waited for the lock.
if [[ "${IPVS_VM_REFRESH:-0}" != 1 ]] && tools_ready && cache_ready; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_update() {
  if [[ $apt_updated == 0 ]]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt_updated=1
  fi
}

if ! tools_ready; then
  packages=(qemu-system-x86 busybox-static cpio kmod ipvsadm iproute2)
  log "installing ${packages[*]}"
  apt_update
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${packages[@]}" >&2
  tools_ready || { log "tools still missing after install"; exit 1; }
fi

# The kernel package: the one the metapackage points at today. Security updates bump its ABI
# number, so it is resolved, never hard-coded. The generic flavour: the cloud one lacks 9p.
apt_update
kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[[ -n "$kpkg" ]] || { log "cannot resolve the kernel package from linux-image-amd64"; exit 1; }
key="$kpkg-f$format"
if [[ -f "$cache/$key/vmlinuz" && -f "$cache/$key/initramfs.cpio.gz" ]]; then
  echo "$key" >"$cache/current.tmp" && mv -f "$cache/current.tmp" "$cache/current"
  exit 0
fi

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
log "downloading $kpkg"
(cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "$kpkg" >&2)
dpkg -x "$work"/"$kpkg"_*.deb "$work/pkg"
kver=${kpkg#linux-image-}
[[ -d "$work/pkg/lib/modules/$kver" ]] || { log "kernel package has no modules for $kver"; exit 1; }

log "building the initramfs"
root="$work/root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,ctl,mnt,newroot,lib/modules/"$kver"/kernel}
cp "$(busybox_static)" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [[ "$applet" == busybox ]] || ln -sf busybox "$root/bin/$applet"
done
for applet in modprobe insmod poweroff reboot; do ln -sf ../bin/busybox "$root/sbin/$applet"; done

# Only what the guest loads: virtio PCI transport, 9p (and netfs/fscache under it), overlay,
# netfilter with IPVS and every scheduler, their lib and crypto helpers, and dummy for test addresses.
src="$work/pkg/lib/modules/$kver"
for sub in drivers/virtio net/9p fs/9p fs/netfs fs/fscache fs/overlayfs net/netfilter \
           net/ipv4/netfilter net/ipv6/netfilter lib crypto drivers/net/dummy.ko; do
  [[ -e "$src/kernel/$sub" ]] || continue
  mkdir -p "$root/lib/modules/$kver/kernel/$(dirname "$sub")"
  cp -a "$src/kernel/$sub" "$root/lib/modules/$kver/kernel/$(dirname "$sub")/"
done
cp "$src"/modules.order "$src"/modules.builtin* "$root/lib/modules/$kver/"
depmod -b "$root" "$kver"

# The /init stub only reaches the per-run control share; the real guest logic (tests/vm/guest-init.sh)
# is copied there by run.sh for every run, so changing it needs no rebuild of this cache.
cat >"$root/init" <<'EOF'
#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_pci 9pnet_virtio 9p; do modprobe "$m" || echo "vm-init: cannot load $m"; done
i=0
until mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 ctl /ctl 2>/dev/null; do
  i=$((i + 1))
  if [ "$i" -ge 50 ]; then echo "vm-init: cannot mount the control share"; poweroff -f; fi
  sleep 0.1
done
exec /bin/sh /ctl/init
EOF
chmod +x "$root/init"

out="$work/out"
mkdir -p "$out"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 >"$out/initramfs.cpio.gz")
cp "$work/pkg/boot/vmlinuz-$kver" "$out/vmlinuz"
echo "$kver" >"$out/kernel-version"
rm -rf "${cache:?}/$key"
mv "$out" "$cache/$key"
echo "$key" >"$cache/current.tmp" && mv -f "$cache/current.tmp" "$cache/current"
# Older kernels and formats are no longer used.
for old in "$cache"/linux-image-*; do
  [[ "$old" == "$cache/$key" ]] || rm -rf "$old"
done
log "ready: $cache/$key"
