#!/usr/bin/env bash
# Builds the ipvs-checkd packages of this checkout: a Debian package (amd64, the Native AOT binary: no .NET on the
# director) and a tarball with the same files for other distributions, both named with the version from
# packaging/version.sh (VERSION+N.gSHA). Builds on Debian 12 or later with the .NET SDK, clang, pandoc and dpkg-dev
# (`bash tests/ensure-packages.sh packaging` installs the last two). docs/install.md says how to install the result.
#
#   bash packaging/build.sh [--binary FILE] [--out DIR]
#
#   --binary FILE  package this Native AOT ipvs-checkd instead of publishing one (tests/run.sh passes the one the
#                  AOT smoke test published); it must say the version of this checkout (`--version`)
#   --out DIR      where the packages go (default packaging/out)
#
# Prints the paths of the .deb and the tarball. IPVS_DEB_MAINTAINER overrides the Maintainer field.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

binary= out="$repo/packaging/out"
while [[ $# -gt 0 ]]; do
  case $1 in
    --binary) binary="$(realpath "$2")"; shift 2 ;;
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    *) echo "usage: bash packaging/build.sh [--binary FILE] [--out DIR]" >&2; exit 2 ;;
  esac
done
for tool in pandoc dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing: bash tests/ensure-packages.sh packaging" >&2; exit 1; }
done

{ read -r version; read -r commit; } < <(bash packaging/version.sh)
maintainer="${IPVS_DEB_MAINTAINER:-ipvs-checkd maintainers <ipvs-checkd@example.org>}"
# Dates inside the packages (changelog, man pages, file times) are the commit's, so a rebuild of one commit is the same.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/ipvs-pkg.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

if [[ -z $binary ]]; then
  echo "publishing the daemon with Native AOT, version $version (takes a few minutes)"
  if ! dotnet publish src/Daemon -c Release -r linux-x64 -p:PublishAot=true -p:IpvsVersion="$version" \
    -p:IpvsCommit="$commit" -o "$work/publish" -nologo -clp:NoSummary >"$work/publish.log" 2>&1; then
    tail -30 "$work/publish.log" >&2
    echo "build.sh: dotnet publish failed" >&2
    exit 1
  fi
  binary="$work/publish/ipvs-checkd"
fi
[[ -x $binary ]] || { echo "build.sh: $binary is not an executable" >&2; exit 1; }
said="$("$binary" --version 2>&1)" || true
if [[ $said != "$version" ]]; then
  echo "build.sh: $binary says version '$said', this checkout is $version: publish it from this checkout" >&2
  echo "  (dotnet publish src/Daemon -c Release -r linux-x64 -p:PublishAot=true -p:IpvsVersion=$version -p:IpvsCommit=$commit)" >&2
  exit 1
fi

root="$work/root"
doc="$root/usr/share/doc/ipvs-checkd"
install -D -m 0755 "$binary" "$root/usr/sbin/ipvs-checkd"
# The repository's unit is for an install by hand into /usr/local/bin (docs/install.md); the package's binary is in /usr/sbin.
install -d "$root/usr/lib/systemd/system"
sed 's|/usr/local/bin/ipvs-checkd|/usr/sbin/ipvs-checkd|g; /^# Install: copy to/d' src/Daemon/systemd/ipvs-checkd.service \
  >"$root/usr/lib/systemd/system/ipvs-checkd.service"
if grep -q /usr/local "$root/usr/lib/systemd/system/ipvs-checkd.service"; then
  echo "build.sh: the unit still names /usr/local after the rewrite" >&2
  exit 1
fi
install -D -m 0644 packaging/sysusers.conf "$root/usr/lib/sysusers.d/ipvs-checkd.conf"
install -D -m 0644 packaging/tmpfiles.conf "$root/usr/lib/tmpfiles.d/ipvs-checkd.conf"
install -D -m 0644 packaging/config.yaml "$root/etc/ipvs-checkd/config.yaml"
install -D -m 0644 packaging/bash-completion "$root/usr/share/bash-completion/completions/ipvs-checkd"

# Man pages from the docs (packaging/man/*.md pull in docs/cli.md and docs/configuration.md), so they cannot drift.
man_date="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"
for page in ipvs-checkd.8 ipvs-checkd.yaml.5; do
  section="${page##*.}"
  # {{docs/X.md}} lines: that page without its title line (the man page has its own NAME).
  awk -v repo="$repo" '
    /^\{\{.*\}\}$/ { file = repo "/" substr($0, 3, length($0) - 4); title = 1
                     while ((getline line < file) > 0) { if (title && line ~ /^# /) { title = 0; continue } print line }
                     close(file); next }
    { print }' "packaging/man/$page.md" >"$work/$page.md"
  pandoc --from markdown --to man --standalone --lua-filter packaging/man/man.lua --shift-heading-level-by=-1 \
    -M title="${page%.*}" -M section="$section" -M date="$man_date" -M footer="ipvs-checkd $version" \
    -M header="$([[ $section == 8 ]] && echo 'System Administration' || echo 'File Formats')" \
    "$work/$page.md" -o "$work/$page"
  install -d "$root/usr/share/man/man$section"
  gzip -9n <"$work/$page" >"$root/usr/share/man/man$section/$page.gz"
done

# The docs, with the Grafana dashboard and the alert rules (the unit's Documentation= names install.md).
install -d "$doc"
install -m 0644 docs/*.md docs/grafana-dashboard.json docs/prometheus-alerts.yml "$doc/"
install -m 0644 packaging/debian/copyright "$doc/copyright"
{
  echo "ipvs-checkd ($version) unstable; urgency=medium"
  echo
  echo "  * Built from commit $commit."
  echo "    The changes are the git history of the ipvs-checkd repository."
  echo
  echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
install -D -m 0644 packaging/debian/lintian-overrides "$root/usr/share/lintian/overrides/ipvs-checkd"

# Control files. dpkg-shlibdeps reads the binary's NEEDED libraries (it wants a debian/control where it runs).
install -d "$root/DEBIAN" "$work/shlibs/debian"
printf 'Source: ipvs-checkd\n\nPackage: ipvs-checkd\nArchitecture: amd64\n' >"$work/shlibs/debian/control"
shlibs="$(cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/sbin/ipvs-checkd" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[[ -n $shlibs ]] || { echo "build.sh: dpkg-shlibdeps found no library dependencies" >&2; exit 1; }
installed_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat >"$root/DEBIAN/control" <<EOF
Package: ipvs-checkd
Version: $version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: $installed_kb
Depends: $shlibs, systemd | systemd-sysusers, systemd | systemd-tmpfiles
Recommends: libssl3 | libssl1.1, ipvsadm
Section: net
Priority: optional
Description: health checker for Linux IPVS (LVS) directors
 ipvs-checkd probes every realserver of every virtual service with non-blocking
 checks (TCP, HTTP/HTTPS, send/expect, SMTP, DNS, UDP, ICMP, external command),
 decides each realserver's weight, and writes the changes into the kernel's IPVS
 table as batched generic-netlink messages. It exports Prometheus metrics, a
 JSON API and a status page, and imports keepalived and ldirectord configs.
 .
 The daemon is one native executable (no .NET runtime needed). The service
 starts only once enabled: edit /etc/ipvs-checkd/config.yaml, then
 systemctl enable --now ipvs-checkd.
EOF
echo /etc/ipvs-checkd/config.yaml >"$root/DEBIAN/conffiles"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

deb="$out/ipvs-checkd_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null

# The tarball: the same tree under ipvs-checkd-VERSION/ (no Debian control files), for other distributions.
tree="$work/ipvs-checkd-$version"
mkdir "$tree"
cp -a "$root/." "$tree/"
rm -rf "$tree/DEBIAN" "$tree/usr/share/lintian"
tarball="$out/ipvs-checkd-$version-linux-x64.tar.gz"
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -cf - "ipvs-checkd-$version" |
  gzip -9n >"$tarball"

echo "$deb"
echo "$tarball"
