#!/usr/bin/env bash
# The package test: builds the .deb and the tarball (packaging/build.sh), checks what they hold, runs lintian and
# the bash completion, then installs the .deb inside the IPVS VM's throwaway root and runs it there against the real
# kernel, purges it and compares the file list (tests/package/guest.sh).
#
#   bash tests/package/package.sh [--binary FILE]
#
# --binary: the Native AOT ipvs-checkd to package (tests/run.sh passes the one tests/aot/smoke.sh published, so the
# daemon is published once per run); without it packaging/build.sh publishes one (a few minutes).
# Ends with "package: N passed, N failed, 0 skipped" (tests/run.sh sums it up).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
binary=
[[ ${1:-} == --binary ]] && binary="$2"
# Under the repository, not /tmp: the VM sees this machine's root read-only and the working directory, but has a /tmp of its own.
mkdir -p tests/package/.work
work="$(mktemp -d "$repo/tests/package/.work/run.XXXXXX")"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { echo "  ok   $1"; passed=$((passed + 1)); }
bad() { echo "  FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
end() { echo "package: $passed passed, $failed failed, 0 skipped"; exit $((failed > 0)); }

bash tests/ensure-packages.sh packaging
{ read -r version; read -r commit; } < <(bash packaging/version.sh)
echo "building the packages of $version"
if out="$(bash packaging/build.sh ${binary:+--binary "$binary"} --out "$work/out" 2>&1)"; then
  deb="$(grep '\.deb$' <<<"$out")" tarball="$(grep '\.tar\.gz$' <<<"$out")"
  ok "packaging/build.sh: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB), $(basename "$tarball")"
else
  bad "packaging/build.sh" "$out"
  end
fi

fields="$(dpkg-deb -f "$deb" Package Version Architecture Depends 2>&1)"
[[ $fields == *"Version: $version"* && $fields == *"Architecture: amd64"* && $fields == *"Depends: libc6"* ]] &&
  ok "control: $(tr '\n' ' ' <<<"$fields")" || bad "control fields" "$fields"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' | LC_ALL=C sort >"$work/deb.list"
missing=()
for f in /usr/sbin/ipvs-checkd /usr/lib/systemd/system/ipvs-checkd.service /usr/lib/sysusers.d/ipvs-checkd.conf \
  /usr/lib/tmpfiles.d/ipvs-checkd.conf /etc/ipvs-checkd/config.yaml /usr/share/man/man8/ipvs-checkd.8.gz \
  /usr/share/man/man5/ipvs-checkd.yaml.5.gz /usr/share/bash-completion/completions/ipvs-checkd \
  /usr/share/doc/ipvs-checkd/install.md /usr/share/doc/ipvs-checkd/configuration.md \
  /usr/share/doc/ipvs-checkd/grafana-dashboard.json /usr/share/doc/ipvs-checkd/prometheus-alerts.yml \
  /usr/share/doc/ipvs-checkd/copyright /usr/share/doc/ipvs-checkd/changelog.gz; do
  grep -qxF "$f" "$work/deb.list" || missing+=("$f")
done
[[ ${#missing[@]} == 0 ]] && ok "the .deb holds the binary, unit, sysusers/tmpfiles entries, config, man pages, completion, docs" ||
  bad "the .deb's files" "missing ${missing[*]}"
conffiles="$(dpkg-deb -I "$deb" conffiles 2>&1)"
[[ $conffiles == /etc/ipvs-checkd/config.yaml ]] && ok "conffile: $conffiles" || bad "conffiles" "$conffiles"

# The tarball holds the same files under ipvs-checkd-VERSION/, without the Debian-only ones.
tar -tzf "$tarball" | grep -v '/$' | sed "s|^ipvs-checkd-$version||" | LC_ALL=C sort >"$work/tar.list"
grep -v '/$' "$work/deb.list" | grep -v '^/usr/share/lintian/' >"$work/deb.files"
if diff "$work/deb.files" "$work/tar.list" >"$work/tar.diff"; then
  ok "tarball: the same $(wc -l <"$work/tar.list") files under ipvs-checkd-$version/"
else
  bad "tarball: the same files as the .deb" "$(head -5 "$work/tar.diff" | tr '\n' ' ')"
fi

mkdir "$work/x" && dpkg-deb -x "$deb" "$work/x"
# The man pages come from the docs: text found only in docs/cli.md and docs/configuration.md is in them, and man
# renders them without a warning.
for page in man8/ipvs-checkd.8 man5/ipvs-checkd.yaml.5; do
  text="$(MANWIDTH=200 man --warnings -l "$work/x/usr/share/man/$page.gz" 2>"$work/man.err")"
  case $page in
    man8/*) want='validate --config FILE' ;;
    *) want='reconcile_interval' ;;
  esac
  [[ $text == *"$want"* && $text == *NAME* && ! -s $work/man.err ]] &&
    ok "man page ${page#*/}: from the docs ($want), no warning" || bad "man page ${page#*/}" "$(head -3 "$work/man.err") / ${text:0:200}"
done

# Bash completion with the packaged binary: the verbs and options come from the binary (the [suggest] directive).
complete_line() {
  PATH="$work/x/usr/sbin:$PATH" bash -c '
    source "$1"; COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<<"$COMP_LINE"
    [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ipvs_checkd; echo "${COMPREPLY[*]}"' _ \
    "$work/x/usr/share/bash-completion/completions/ipvs-checkd" "$1" 2>&1
}
got="$(complete_line 'ipvs-checkd va')" && [[ $got == validate ]] &&
  ok "bash completion: 'ipvs-checkd va' -> validate" || bad "bash completion of 'ipvs-checkd va'" "'$got'"
got="$(complete_line 'ipvs-checkd import ')" && [[ $got == "keepalived ldirectord" ]] &&
  ok "bash completion: 'ipvs-checkd import ' -> keepalived ldirectord" || bad "bash completion of 'import '" "'$got'"
got="$(complete_line 'ipvs-checkd run --con')" && [[ $got == --config ]] &&
  ok "bash completion: 'ipvs-checkd run --con' -> --config" || bad "bash completion of 'run --con'" "'$got'"

# lintian: no error or warning that is not overridden (packaging/debian/lintian-overrides says why for each).
lintian --version
lintian --display-info --show-overrides "$deb" >"$work/lintian.out" 2>&1
rc=$?
sed 's/^/    lintian: /' "$work/lintian.out"
if [[ $rc == 0 ]] && ! grep -qE '^[EW]: ' "$work/lintian.out"; then
  ok "lintian: no error or warning ($(grep -c '^O: ' "$work/lintian.out") overridden, $(grep -c '^I: ' "$work/lintian.out") info)"
else
  bad "lintian" "exit $rc, $(grep -cE '^[EW]: ' "$work/lintian.out") errors/warnings"
fi

echo "installing it in the IPVS VM's throwaway root"
# Under emulation on a loaded host dpkg reads its database over 9p slowly: allow 30 minutes (about 3 on an idle 2-core machine).
IPVS_VM_TIMEOUT="${IPVS_VM_TIMEOUT:-1800}" bash tests/vm/run.sh -- bash tests/package/guest.sh "$deb" "$version" "$commit" 2>&1 | tee "$work/guest.out"
rc=${PIPESTATUS[0]}
n_ok="$(grep -c '^  ok   ' "$work/guest.out")" n_bad="$(grep -c '^  FAIL ' "$work/guest.out")"
passed=$((passed + n_ok)) failed=$((failed + n_bad))
# A guest that failed a step says so above; any other non-zero exit is the VM's (124: timeout, 125: no run).
[[ $rc == 0 || $n_bad -gt 0 ]] || bad "the VM run" "exit $rc (124: timeout, 125: the VM did not run the test)"
end
