#!/usr/bin/env bash
# The Debian package, installed into a throw-away root:
#   bash tests/deb/run.sh BUILD_DIR
# Builds the .deb with CPack, makes a "previous" package (the same files
# with a lower version, or INOP_PREVIOUS_DEB when CI keeps the last
# build's), then with `dpkg --root=R --force-script-chrootless` (dpkg runs
# the maintainer scripts on the host with DPKG_ROOT=R, which they honour):
# installs the previous one, starts the installed binary as the created
# user `inop` and waits for /healthz, logs in with the generated admin
# password, upgrades (migrations run, conffile edits kept, password not
# regenerated), starts it again, and purges (nothing of the package
# left).  Also `systemd-analyze verify` of the units and the exposure of
# `systemd-analyze security` (at most 2.0).
#
# Why not debootstrap: a whole Debian root is minutes of downloads and
# ~300 MB on every CI run and needs the mirror; dpkg --root with chrootless
# scripts tests the same maintainer scripts in seconds, offline.
set -euo pipefail
build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "deb: needs root (dpkg, useradd, setpriv)"; exit 77; }

tmp=$(mktemp -d /tmp/inop-deb.XXXXXX)
chmod 755 "$tmp"   # the user inop walks into the root below
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "deb: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "package (cpack)"
(cd "$build" && cpack -G DEB -B "$tmp/pkg" >/dev/null 2>&1)
new=$(ls "$tmp"/pkg/inop_*.deb)
version=$(dpkg-deb -f "$new" Version)
if [ -n "${INOP_PREVIOUS_DEB:-}" ]; then
	prev=$INOP_PREVIOUS_DEB
else
	dpkg-deb -R "$new" "$tmp/prev"
	sed -i "s/^Version: .*/Version: ${version}~prev/" "$tmp/prev/DEBIAN/control"
	dpkg-deb -b --root-owner-group "$tmp/prev" "$tmp/prev.deb" >/dev/null
	prev=$tmp/prev.deb
fi
dpkg-deb -f "$new" Depends >"$tmp/depends"
grep -q libsqlite3 "$tmp/depends" || fail "shlibdeps missing"
# Loaded with dlopen when first used (src/util/dlib.h): not seen by shlibdeps.
grep -q 'libpq5' "$tmp/depends" || fail "Depends lacks libpq5"
grep -q 'libcurl4' "$tmp/depends" || fail "Depends lacks libcurl4"
dpkg-deb -c "$new" >"$tmp/contents"
grep -q ' ./usr/bin/inop$' "$tmp/contents" || fail "no /usr/bin/inop"
grep -q 'man1/inop.1.gz' "$tmp/contents" || fail "no man page"

step "units: systemd-analyze verify and security"
root=$tmp/root
mkdir -p "$root"
dpkg-deb -x "$new" "$tmp/x"
# What the units refer to outside the package, for verify --root.
mkdir -p "$tmp/x/bin"
cp /bin/kill "$tmp/x/bin/"
cp -a /lib/systemd/system/*.target "$tmp/x/lib/systemd/system/"
for u in inop.service inop-backup.service inop-backup.timer; do
	if ! systemd-analyze verify --man=no --root="$tmp/x" \
		"$tmp/x/lib/systemd/system/$u" >"$tmp/verify.log" 2>&1 ||
		[ -s "$tmp/verify.log" ]; then
		cat "$tmp/verify.log"
		fail "systemd-analyze verify $u"
	fi
done
for u in inop.service inop-backup.service; do
	exposure=$(systemd-analyze security --offline=true --root="$tmp/x" \
		"$tmp/x/lib/systemd/system/$u" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "$u exposure $exposure"
	[ -n "$exposure" ] || fail "no exposure for $u"
	awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' ||
		fail "$u exposure $exposure > 2.0"
done

step "throw-away root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" \
	"$root/var/log" "$root/etc"
touch "$root/var/lib/dpkg/status"
grep '^root:' /etc/passwd > "$root/etc/passwd"
grep '^root:' /etc/group > "$root/etc/group"
grep '^root:' /etc/shadow > "$root/etc/shadow" || echo 'root:*:1::::::' > "$root/etc/shadow"
echo 'root:*::' > "$root/etc/gshadow"
[ -f /etc/login.defs ] && cp /etc/login.defs "$root/etc/"
dpkg_root() {
	dpkg --root="$root" --force-script-chrootless --force-depends \
		--force-not-root --no-triggers "$@"
}

# The port is held by binding until this script exits (tests/lib/hold_port.py).
coproc HOLD { python3 "$here/../lib/hold_port.py"; }
read -r port <&"${HOLD[0]}"
start() {
	local uid gid
	uid=$(awk -F: '$1 == "inop" { print $3 }' "$root/etc/passwd")
	gid=$(awk -F: '$1 == "inop" { print $4 }' "$root/etc/passwd")
	setpriv --reuid="$uid" --regid="$gid" --clear-groups \
		"$root/usr/bin/inop" serve --config "$root/etc/inop/inop.conf" \
		--db "$root/var/lib/inop/inop.db" --listen "127.0.0.1:$port" \
		2>>"$tmp/serve.log" &
	server=$!
	python3 "$here/wait_healthz.py" "http://127.0.0.1:$port/healthz" 120 ||
		{ cat "$tmp/serve.log"; fail "no /healthz"; }
}
stop() {
	kill -TERM "$server"
	wait "$server" || fail "serve did not exit 0"
	server=""
}
login() {
	python3 - "$port" "$1" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
c.request("POST", "/api/v1/session", json.dumps(
    {"username": "admin", "password": sys.argv[2]}),
    {"Content-Type": "application/json"})
r = c.getresponse()
sys.exit(0 if r.status in (200, 201) else "login answered %d" % r.status)
PY
}

step "install $(dpkg-deb -f "$prev" Version)"
dpkg_root -i "$prev" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "install"; }
grep '^inop:' "$tmp/install.log" || true
grep -q '^inop:' "$root/etc/passwd" || fail "no user inop"
[ "$(stat -c %a "$root/var/lib/inop")" = 750 ] || fail "/var/lib/inop not 0750"
[ "$(stat -c %U "$root/var/lib/inop")" = UNKNOWN ] ||
	[ "$(stat -c %u "$root/var/lib/inop")" = "$(awk -F: '$1 == "inop" { print $3 }' "$root/etc/passwd")" ] ||
	fail "/var/lib/inop not owned by inop"
[ "$(stat -c %a "$root/var/lib/inop/admin-password")" = 600 ] || fail "password file not 0600"
password=$(cat "$root/var/lib/inop/admin-password")
grep -qF "$password" "$tmp/install.log" || fail "password not printed"
[ "$(grep -cF "$password" "$tmp/install.log")" = 1 ] || fail "password printed more than once"
[ -f "$root/var/lib/inop/inop.db" ] || fail "inop init did not run"
start
login "$password" || fail "admin cannot log in"
stop

step "upgrade to $version"
echo "# edited by the operator" >> "$root/etc/inop/inop.conf"
dpkg_root -i "$new" >"$tmp/upgrade.log" 2>&1 || { cat "$tmp/upgrade.log"; fail "upgrade"; }
grep -E '^(inop:|database)' "$tmp/upgrade.log" || true
grep -q "is ready" "$tmp/upgrade.log" || fail "upgrade did not run inop init (migrations)"
grep -q "password" "$tmp/upgrade.log" && fail "upgrade printed a password"
grep -q "edited by the operator" "$root/etc/inop/inop.conf" || fail "conffile edit lost"
[ "$(cat "$root/var/lib/inop/admin-password")" = "$password" ] || fail "password regenerated"
[ "$(dpkg-query --root="$root" -W -f='${Version}' inop 2>/dev/null ||
     dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' inop)" = "$version" ] ||
	fail "installed version is not $version"
start
login "$password" || fail "admin cannot log in after the upgrade"
stop

step "purge"
dpkg_root --purge inop >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log"; fail "purge"; }
for p in usr/bin/inop etc/inop lib/systemd/system/inop.service \
	usr/share/man/man1/inop.1.gz var/lib/inop; do
	[ ! -e "$root/$p" ] || fail "/$p left after purge"
done
left=$(cd "$root" && find . -path ./var/lib/dpkg -prune -o -path ./var/log -prune \
	-o -path ./etc -prune -o -path ./var/backups -prune -o -type f -print)
[ -z "$left" ] || fail "left after purge: $left"
echo "deb: ok"
