#!/usr/bin/env bash
# Prints the version and commit of this checkout, one per line: what packaging/build.sh stamps into the binary
# (-p:IpvsVersion, -p:IpvsCommit) and names the packages with.
#
#   VERSION+N.gSHORTSHA      N commits since packaging/VERSION last changed, so later builds sort higher
#   VERSION+N.gSHORTSHA.dirty    the same with uncommitted changes to tracked files
#   VERSION+unknown          outside a git checkout
#
# The result is a valid Debian version (no hyphen: the package is native). Release: set packaging/VERSION to the
# new number and commit; that commit builds VERSION+0.gSHA.
set -euo pipefail
cd "$(dirname "$0")/.."
base="$(tr -d '[:space:]' < packaging/VERSION)"
[[ $base =~ ^[0-9]+(\.[0-9]+)*$ ]] || { echo "packaging/VERSION: '$base' is not a version like 1.2.0" >&2; exit 1; }
if ! commit="$(git rev-parse --verify -q HEAD 2>/dev/null)"; then
  printf '%s\n%s\n' "$base+unknown" unknown
  exit 0
fi
since="$(git log -1 --format=%H -- packaging/VERSION)"
n="$(git rev-list --count "${since:-HEAD}..HEAD")"
version="$base+$n.g${commit:0:7}"
git diff --quiet HEAD -- 2>/dev/null || version+=.dirty
printf '%s\n%s\n' "$version" "$commit"
