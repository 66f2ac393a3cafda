#!/bin/sh
# Runs as PID 1 inside the throwaway VM (busybox sh from the initramfs), started by the
# initramfs /init stub once the per-run control share is mounted at /ctl. It loads IPVS, builds
# the guest root (host root read-only over 9p + a tmpfs overlay, the working directory read-write
# at the same path), runs the command in a chroot and leaves its exit status in /ctl/status.
export PATH=/bin:/sbin

# Anything that goes wrong before the command runs is reported and ends the VM without a status
# file: the host side turns that into a failure.
die() {
  echo "vm-init: $*"
  poweroff -f
}

# The kernel's console line discipline would turn every \n into \r\n in the host's log.
stty -onlcr 2>/dev/null
# Keep IPVS and module chatter out of the command's output; errors still show.
dmesg -n 3 2>/dev/null

# libcrc32c (under nf_conntrack, under ip_vs) fails with "unknown symbol" unless the generic
# crc32c is there first.
modprobe crc32c_generic || die "cannot load crc32c_generic"
for m in overlay ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_sh ip_vs_mh ip_vs_sed \
         ip_vs_nq ip_vs_dh ip_vs_fo ip_vs_ovf ip_vs_lblc ip_vs_lblcr dummy; do
  modprobe "$m" || die "cannot load module $m"
done
[ -e /proc/net/ip_vs ] || die "ip_vs loaded but /proc/net/ip_vs is missing"
ip link set lo up || die "cannot bring lo up"

mkdir -p /mnt/lower /mnt/rw
# The host root never changes under a run, so the page cache may keep it (cache=loose): that
# makes loading the runtime and assemblies several times faster than uncached 9p.
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose hostroot /mnt/lower ||
  die "cannot mount the host root share"
mount -t tmpfs -o mode=755 tmpfs /mnt/rw || die "cannot mount tmpfs"
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work overlay /newroot ||
  die "cannot mount the overlay root"

r=/newroot
mount -t proc proc $r/proc || die "cannot mount /proc"
mount -t sysfs sysfs $r/sys || die "cannot mount /sys"
mount -t devtmpfs devtmpfs $r/dev || die "cannot mount /dev"
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts devpts $r/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $r/dev/shm
mount -t tmpfs -o mode=1777 tmpfs $r/tmp || die "cannot mount /tmp"
mount -t tmpfs -o mode=755 tmpfs $r/run || die "cannot mount /run"
# The guest's modules, so modprobe inside the chroot finds what the initramfs has.
mkdir -p $r/lib/modules
mount --bind /lib/modules $r/lib/modules

# The working directory, read-write, at the same path as on the host (uncached: the host sees
# every write at once, and the guest sees the host's latest build).
workdir=$(cat /ctl/workdir)
if [ "$workdir" != / ]; then
  mkdir -p "$r$workdir"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 work "$r$workdir" ||
    die "cannot mount the working directory share"
fi
mkdir -p $r/run/ipvs-vm
mount --bind /ctl $r/run/ipvs-vm

echo "vm-init: IPVS kernel $(uname -r) ready after $(cut -d" " -f1 /proc/uptime) s, running the command"
chroot $r /bin/bash /run/ipvs-vm/cmd </dev/null
echo $? >/ctl/status
sync
poweroff -f
