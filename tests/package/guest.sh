#!/usr/bin/env bash
# The package test's part inside the IPVS VM (tests/package/package.sh runs it there): / is a throwaway overlay of
# the host's root, so dpkg -i changes nothing on the host. Installs the .deb, checks what it installed, runs the
# installed daemon as the ipvs-checkd user with only CAP_NET_ADMIN and CAP_NET_RAW against the real kernel, purges
# the package and compares the file list before and after. Prints "  ok   what" / "  FAIL what: why" lines, which
# package.sh counts.
#
#   bash tests/package/guest.sh DEB VERSION COMMIT     (as root, in the VM)
set -uo pipefail
deb="$1" version="$2" commit="$3"
[[ ${IPVS_VM_GUEST:-} == 1 ]] || { echo "  FAIL guest.sh runs only inside the IPVS VM (tests/vm/run.sh)"; exit 1; }
work="$(mktemp -d /tmp/pkg-guest.XXXXXX)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT
failed=0
ok() { echo "  ok   $1"; }
bad() { echo "  FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
# The paths an install and a purge can touch: the names of the entries of /etc, /var/lib and of every
# directory the package has files in (/usr/sbin, /usr/share/man/man8, ...), and everything under the places its
# scripts write (/etc/ipvs-checkd, /etc/systemd: enablement links; /var/lib/ipvs-checkd; /var/lib/systemd:
# deb-systemd-helper's state), those with type, owner and mode. Walking all of /etc and /var over the VM's 9p
# share took 19 minutes on a loaded host.
dirs="$(dpkg-deb -c "$deb" | awk '$1 ~ /^d/ { print substr($6, 2) }' | grep -v '^/$')"
snapshot() {
  {
    # names only here (no stat per entry: each costs a 9p round trip)
    for d in /etc /var/lib $dirs; do
      [[ -d $d ]] && find "$d" -mindepth 1 -maxdepth 1 -printf '%p\n'
    done
    for d in /etc/ipvs-checkd /etc/systemd /var/lib/ipvs-checkd /var/lib/systemd; do
      [[ -d $d ]] && find "$d" -printf '%y %u:%g %m %p\n'
    done
  } 2>/dev/null | sed 's|//*|/|g' | LC_ALL=C sort -u
}

# The man-db trigger re-indexes every man page, minutes under emulation; it is not what is tested.
echo 'man-db man-db/auto-update boolean false' | debconf-set-selections
snapshot >"$work/before"
echo "file list before install: $(wc -l <"$work/before") paths"

if out="$(dpkg -i "$deb" 2>&1)"; then
  ok "dpkg -i $(basename "$deb")"
else
  bad "dpkg -i" "$out"
  exit 1
fi
st="$(dpkg-query -W -f '${Status} ${Version}' ipvs-checkd 2>&1)"
[[ $st == "install ok installed $version" ]] && ok "dpkg: installed, version $version" || bad "dpkg status" "$st"

missing=()
for f in /usr/sbin/ipvs-checkd /usr/lib/systemd/system/ipvs-checkd.service /usr/lib/sysusers.d/ipvs-checkd.conf \
  /usr/lib/tmpfiles.d/ipvs-checkd.conf /etc/ipvs-checkd/config.yaml /usr/share/man/man8/ipvs-checkd.8.gz \
  /usr/share/man/man5/ipvs-checkd.yaml.5.gz /usr/share/bash-completion/completions/ipvs-checkd \
  /usr/share/doc/ipvs-checkd/install.md /usr/share/doc/ipvs-checkd/grafana-dashboard.json \
  /usr/share/doc/ipvs-checkd/prometheus-alerts.yml; do
  [[ -e $f ]] || missing+=("$f")
done
[[ ${#missing[@]} == 0 ]] && ok "installed files in place" || bad "installed files" "missing ${missing[*]}"

user="$(getent passwd ipvs-checkd)"
[[ $user == ipvs-checkd:x:*:*:*:/var/lib/ipvs-checkd:/usr/sbin/nologin ]] && ok "system user: $user" || bad "system user ipvs-checkd" "'$user'"
st="$(stat -c '%U:%G %a' /var/lib/ipvs-checkd 2>&1)"
[[ $st == "ipvs-checkd:ipvs-checkd 750" ]] && ok "state directory /var/lib/ipvs-checkd: $st" || bad "state directory" "$st"
st="$(stat -c '%U:%G %a %s' /etc/ipvs-checkd/token 2>&1)"
[[ $st == "root:ipvs-checkd 640 "* && ${st##* } -ge 40 ]] && ok "admin token generated: $st" || bad "admin token" "$st"

# Nothing started or enabled: the shipped config checks nothing.
st="$(systemctl is-enabled ipvs-checkd.service 2>&1)"
[[ $st == disabled ]] && ok "unit not enabled by the install" || bad "unit not enabled" "$st"
pgrep -x ipvs-checkd >/dev/null && bad "no daemon started by the install" "$(pgrep -a -x ipvs-checkd)" || ok "no daemon started by the install"

out="$(systemd-analyze verify /usr/lib/systemd/system/ipvs-checkd.service 2>&1)"
rc=$?
[[ $rc == 0 && -z $out ]] && ok "systemd-analyze verify: no complaint" || bad "systemd-analyze verify" "exit $rc: $out"

out="$(/usr/sbin/ipvs-checkd --version 2>&1)"
[[ $out == "$version" ]] && ok "ipvs-checkd --version: $out" || bad "ipvs-checkd --version" "$out"

out="$(ipvs-checkd validate --config /etc/ipvs-checkd/config.yaml 2>&1)"
rc=$?
[[ $rc == 0 && $out == *"ok (0 virtual services, 0 realservers)"* ]] && ok "validate the shipped config: checks nothing" ||
  bad "validate the shipped config" "exit $rc: $out"
# The commented example, uncommented as the file tells the operator to, is a valid config too.
sed '/^# --- example/,$ { /^# --- example/d; s/^#//; }' /etc/ipvs-checkd/config.yaml >"$work/example.yaml"
out="$(ipvs-checkd validate --config "$work/example.yaml" 2>&1)"
rc=$?
[[ $rc == 0 && $out == *"ok (2 virtual services, 4 realservers)"* ]] && ok "validate the shipped example, uncommented" ||
  bad "validate the shipped example, uncommented" "exit $rc: $out"

# The installed daemon against the real kernel, as the ipvs-checkd user with only its two capabilities (what the
# unit gives it), checking a tiny HTTP server on loopback.
/usr/bin/python3 -m http.server 8080 --bind 127.0.98.1 --directory /usr/share/doc/ipvs-checkd >"$work/listener.log" 2>&1 &
pids+=($!)
cat >"$work/run.yaml" <<'EOF'
listen: 127.0.0.1:9480
state_dir: /var/lib/ipvs-checkd
kernel: { reconcile_interval: 1s, on_exit: remove }
virtual_services:
  - name: pkg
    address: 10.98.0.1:80
    check: { type: http, path: /, interval: 1s, timeout: 900ms, rise: 1, fall: 3 }
    realservers:
      - { address: 127.0.98.1:8080, weight: 7 }
EOF
chmod 0755 "$work" && chmod 0644 "$work/run.yaml"
setpriv --reuid ipvs-checkd --regid ipvs-checkd --init-groups --inh-caps=-all,+net_admin,+net_raw \
  --ambient-caps=-all,+net_admin,+net_raw --bounding-set=-all,+net_admin,+net_raw --no-new-privs \
  /usr/sbin/ipvs-checkd run --config "$work/run.yaml" >"$work/daemon.log" 2>&1 &
daemon=$!
pids+=("$daemon")
table=
# A deadline, not a count: under emulation on a loaded host one ipvsadm run takes up to a second.
deadline=$((SECONDS + 300))
while ((SECONDS < deadline)); do
  table="$(ipvsadm -Ln 2>&1)"
  grep -qE '^  -> 127\.0\.98\.1:8080 +Masq +7 ' <<<"$table" && break
  kill -0 "$daemon" 2>/dev/null || break
  sleep 0.5
done
if grep -qE '^  -> 127\.0\.98\.1:8080 +Masq +7 ' <<<"$table"; then
  ok "ipvsadm -Ln shows the realserver at weight 7 ($(grep -E '^TCP +10\.98\.0\.1:80' <<<"$table" | tr -s ' '))"
else
  bad "ipvsadm -Ln shows the realserver at weight 7 within 300 s" "$table / daemon: $(tail -5 "$work/daemon.log")"
fi
st="$(awk '/^(Uid|CapEff|CapBnd):/ { printf "%s %s ", $1, $2 }' "/proc/$daemon/status" 2>&1)"
uid="$(id -u ipvs-checkd)"
[[ $st == "Uid: $uid CapEff: 0000000000003000 CapBnd: 0000000000003000 " ]] &&
  ok "daemon runs as ipvs-checkd (uid $uid) with CAP_NET_ADMIN and CAP_NET_RAW only" || bad "daemon's user and capabilities" "$st"
metrics="$(curl -fsS -m 10 http://127.0.0.1:9480/metrics 2>&1)"
want="ipvs_checkd_build_info{version=\"$version\",commit=\"$commit\"} 1"
grep -qF "$want" <<<"$metrics" && ok "metrics: $want" || bad "metrics: build_info" "$(grep build_info <<<"$metrics" || head -3 <<<"$metrics")"
kill -TERM "$daemon" 2>/dev/null
for _ in $(seq 1 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$daemon" 2>/dev/null; then
  bad "SIGTERM stops the daemon within 20 s"
  kill -KILL "$daemon"
else
  table="$(ipvsadm -Ln 2>&1)"
  grep -q '10\.98\.0\.1:80' <<<"$table" && bad "SIGTERM with on_exit: remove empties the table" "$table" ||
    ok "SIGTERM stops the daemon; on_exit: remove took its service out"
fi
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=()

# Enabled the way docs/install.md says (offline here: no systemd runs in the VM), so the purge must remove the link.
out="$(systemctl enable ipvs-checkd.service 2>&1)"
[[ -L /etc/systemd/system/multi-user.target.wants/ipvs-checkd.service ]] && ok "systemctl enable ipvs-checkd" ||
  bad "systemctl enable ipvs-checkd" "$out"

if out="$(dpkg --purge ipvs-checkd 2>&1)"; then
  ok "dpkg --purge ipvs-checkd"
else
  bad "dpkg --purge" "$out"
fi
st="$(dpkg-query -W -f '${Status}' ipvs-checkd 2>&1)"
[[ $st == *"not-installed"* || $st == *"no packages found"* ]] && ok "dpkg: no longer known" || bad "dpkg after purge" "$st"
snapshot >"$work/after"
if diff "$work/before" "$work/after" >"$work/diff"; then
  ok "purge left nothing: the file list after equals the one before ($(wc -l <"$work/after") paths)"
else
  bad "purge left nothing" "$(head -20 "$work/diff" | tr '\n' ';')"
fi
# Debian leaves system users in place on purge (packaging/debian/postrm says why); that is the one trace.
getent passwd ipvs-checkd >/dev/null && echo "  (the ipvs-checkd system user stays, as Debian leaves system users)"
exit $((failed > 0))
