#!/usr/bin/env bash
# Runs a command against a real, throw-away PostgreSQL server:
#   tests/pg/with-postgres.sh CMD ARGS...
# initdb into a temporary folder (as the non-root user 'postgres' when run
# as root: PostgreSQL refuses root), listen on 127.0.0.1 only on a free
# port, create the database 'inop', export
#   INOP_TEST_DB_URL=postgresql://inop@127.0.0.1:PORT/inop
#   INOP_TEST_PG_ADMIN_URL=postgresql://inop@127.0.0.1:PORT/postgres
# run CMD, then stop the server and remove the folder, whatever happens.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "with-postgres: PostgreSQL server binaries not found" \
	     "(apt-get install -y postgresql)" >&2
	exit 1
fi
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	as_pg=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/inop-pg-XXXXXX)
chmod 755 "$dir"
[ ${#as_pg[@]} -gt 0 ] && chown postgres: "$dir"
cleanup() {
	"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop \
		>/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U inop -A trust -E UTF8 \
	--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
# The port is taken by binding and held until this script exits
# (tests/lib/hold_port.py: bound with SO_REUSEADDR and not listening, so
# PostgreSQL, which sets SO_REUSEADDR too, can listen on it and nothing else
# can take it).  pg_ctl -w waits for the server to accept connections, up to
# -t seconds.
coproc HOLD { python3 "$(dirname "$0")/../lib/hold_port.py"; }
read -r port <&"${HOLD[0]}"
rm -f "$dir/server.log"   # written by the server's user
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
	-w -t 120 -o "-c listen_addresses=127.0.0.1 -p $port -k $dir \
	-c max_connections=200" start >/dev/null ||
	{ cat "$dir/server.log" >&2; exit 1; }
"$bindir/psql" -q -h 127.0.0.1 -p "$port" -U inop -d postgres \
	-c "CREATE DATABASE inop" >/dev/null

export INOP_TEST_DB_URL="postgresql://inop@127.0.0.1:$port/inop"
export INOP_TEST_PG_ADMIN_URL="postgresql://inop@127.0.0.1:$port/postgres"
export INOP_TEST_PG_BINDIR="$bindir"
"$@"
