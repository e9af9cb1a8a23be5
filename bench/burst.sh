#!/usr/bin/env bash
# The mass-failure burst (issue 16 item 5), one run on this machine, see
# bench/README.md:
#
#   burst  600 points x 4 procedures = 2,400 registrations from 64
#          concurrent clients on a fresh database: wall time from the first
#          send to the last 201, all 201 (else INVALID); target < 2 s
#   M3     SOPORTE's closure of a mass failure with those 2,400 events
#          attached and open (each closed, audited, mailed): the time of
#          that one request; target < 1 s
#
# each on SQLite and on PostgreSQL (one node, a throw-away server from
# tests/pg/with-postgres.sh), each on its own fresh database.  The client
# is bench/burst.py.  Prints a table (also saved to
# bench/results/burst-*.txt) and exits 0 whatever the times; non-zero only
# when it could not measure (build failed, a server did not start, setup
# refused).
#
# Settings (environment): those of bench/lib.sh (BENCH_INOP, BENCH_KEEP,
# BENCH_OUT, ...), plus
#   BENCH_BURST_POINTS=600      points; registrations = 4 x points
#   BENCH_BURST_CLIENTS=64      concurrent clients (threads of burst.py)
#   BENCH_BURST_PER_USER=10     points per JEFE user (60 JEFE users)
#   BENCH_SERVE_THREADS=64      inop serve --work_threads: a registration
#                               waits in its work thread for the group
#                               commit, so this bounds how many share one
#   BENCH_BURST_STORES="sqlite pg"  which stores
#   BENCH_BURST_MODES="burst m3"    which measurements
set -euo pipefail

BENCH_TAG=burst
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BURST_POINTS=${BENCH_BURST_POINTS:-600}
BURST_CLIENTS=${BENCH_BURST_CLIENTS:-64}
PER_USER=${BENCH_BURST_PER_USER:-10} # read by inop_setup
SERVE_THREADS=${BENCH_SERVE_THREADS:-64}
STORES=${BENCH_BURST_STORES:-sqlite pg}
MODES=${BENCH_BURST_MODES:-burst m3}
BURST_TARGET_S=2
M3_TARGET_S=1
# M3 mails every closed event to the CONTROL mailbox (SPEC N2): without a
# mailbox the closure would queue nothing.  No smtp_url: nothing is sent.
SERVE_ARGS=(--work_threads "$SERVE_THREADS" --mailbox_control control@bench.invalid
	--mailbox_fallas fallas@bench.invalid)

check_deps cmake curl python3
build_inop
result_start
WORK=$(mktemp -d "$BUILD/bench-burst.XXXXXX")

# one STORE MODE DB: DB (a file or a database URL) initialised, inop serve
# on it, points and users, then bench/burst.py MODE; its RESULT line goes
# to RES_<STORE>_<MODE>
one() {
	local store=$1 mode=$2 db=$3 dir=$WORK/$1-$2 rc=0 line
	inop_init "$dir" "$db"
	start_inop "$db" "$dir/serve.log" "inop serve ($store)" "${SERVE_ARGS[@]}"
	log "$store $mode: creating $BURST_POINTS points and JEFE users (not measured)"
	inop_setup "$NODE_BASE" "$dir" "$BURST_POINTS" "$dir/serve.log"
	log "$store $mode: bench/burst.py $mode, $((BURST_POINTS * 4)) registrations from $BURST_CLIENTS clients"
	run_fg python3 "$BENCH/burst.py" "$mode" --base "$NODE_BASE" \
		--tokens "$dir/tokens" --admin-token "$dir/admin-token" \
		--points "$BURST_POINTS" --per-user "$PER_USER" \
		--clients "$BURST_CLIENTS" --server-pid "$NODE_PID" \
		>"$dir/burst.txt" || rc=$?
	stop_pid "$NODE_PID"
	sed "s/^/[$BENCH_TAG]   /" "$dir/burst.txt" >&2
	[ "$rc" = 0 ] || [ "$rc" = 2 ] || { tail -n 30 "$dir/serve.log" >&2; die "burst.py $mode failed ($rc)"; }
	line=$(grep '^RESULT ' "$dir/burst.txt") || die "burst.py $mode printed no result"
	printf -v "RES_$1_$2" '%s' "$line"
}

LOAD_BEFORE=$(loadavg)
for store in $STORES; do
	case $store in
	sqlite)
		for mode in $MODES; do
			one sqlite "$mode" "$WORK/sqlite-$mode.db"
		done
		;;
	pg)
		pg_start
		PG_VERSION=$("$PG_BIN/postgres" --version)
		for mode in $MODES; do
			pg_database "bench_$mode"
			one pg "$mode" "$PG_DB_URL"
		done
		pg_stop
		;;
	*) die "unknown store '$store' (BENCH_BURST_STORES: sqlite, pg)" ;;
	esac
done
LOAD_AFTER=$(loadavg)

# ------------------------------------------------------------------ report
# burst_row STORE MODE: one line of the table, and its results
burst_row() {
	local var=RES_$1_$2 line label target secs invalid verdict detail
	line=${!var:-}
	[ -n "$line" ] || return 0
	case $1 in sqlite) label=SQLite ;; *) label="PostgreSQL, 1 node" ;; esac
	if [ "$2" = burst ]; then
		label="burst $((BURST_POINTS * 4)) registrations, $label"
		target=$BURST_TARGET_S
	else
		label="M3 closure of $((BURST_POINTS * 4)) events, $label"
		target=$M3_TARGET_S
	fi
	invalid=$(sed -n 's/.* invalid=//p' <<<"$line")
	secs=$(field seconds "$line")
	if [ -n "$invalid" ]; then
		verdict="INVALID ($invalid)"
		secs=-
	elif gt "$target" "$secs"; then
		verdict=PASS
	else
		verdict=BELOW
	fi
	[ "$secs" = - ] || secs=$(awk -v s="$secs" 'BEGIN { printf "%.3f", s }')
	printf '%-48s %7s s   target < %s s   %s\n' "$label" "$secs" "$target" "$verdict"
	if [ -z "$invalid" ] && [ "$2" = burst ]; then
		detail=$(awk -v a="$(field p50_ms "$line")" -v b="$(field p99_ms "$line")" \
			-v c="$(field client_cpu_s "$line")" -v d="$(field server_cpu_s "$line")" \
			'BEGIN { printf "p50 %.1f ms, p99 %.1f ms; CPU during the burst: client %.2f s, server %s s",
				a, b, c, (d == "?" ? d : sprintf("%.2f", d)) }')
		echo "    $detail"
	elif [ -z "$invalid" ]; then
		detail=$(awk -v a="$(field server_cpu_s "$line")" -v b="$(field register_seconds "$line")" \
			'BEGIN { printf "server CPU %s s; the FALLA_MASIVA registrations before it took %.3f s",
				(a == "?" ? a : sprintf("%.2f", a)), b }')
		echo "    $detail; all closed, audited, mailed"
	fi
	result "$1_$2_s" "$secs"
	result "$1_$2_invalid" "$invalid"
	result "$1_$2_line" "$line"
}

noise "" 0 0 ""
{
	echo
	echo "Inop mass-failure burst benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(machine), work dir on $(fs_type "$WORK")"
	echo "$BURST_POINTS points x 4 procedures = $((BURST_POINTS * 4)) registrations from" \
		"$BURST_CLIENTS clients (bench/burst.py: python threads, one keep-alive connection each," \
		"requests built beforehand); JEFE users own $PER_USER points each"
	echo "inop serve --work_threads $SERVE_THREADS --mailbox_control (no SMTP server: mails stay queued);" \
		"each measurement on a fresh database"
	echo "versions: ${PG_VERSION:+$PG_VERSION, }$(inop_version)"
	echo "load average at the start: $LOAD_BEFORE; at the end: $LOAD_AFTER"
	[ -n "$NOISE" ] && echo "WARNING: $NOISE"
	echo
	for store in $STORES; do
		for mode in $MODES; do
			burst_row "$store" "$mode"
		done
	done
	echo
} | save_table burst # burst_row wrote the results of each line
result registrations "$((BURST_POINTS * 4))"
result clients "$BURST_CLIENTS"
result serve_threads "$SERVE_THREADS"
result load "$LOAD_BEFORE"
result noise "$NOISE"
exit 0
