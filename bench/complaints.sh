#!/usr/bin/env bash
# Complaint intake benchmark (SPEC Q1-Q4, section 17), one run:
#
#   POST /api/v1/complaints (JSON, no attachment)  inop  vs  raw SQLite
#   commits of one row (bench/sqlite_commit.c, the reference of run.sh),
#   measured in the same run; target >= 50 %.
#   A busy day: 10,000 complaints from 16 clients at once
#   (bench/complaints_day.py, 16 processes), all answered 201 with
#   gapless codes, and 10,000 queued mails with their form; target < 10 s.
#
# Settings: those of bench/lib.sh (BENCH_THREADS, BENCH_CONNECTIONS,
# BENCH_POST_DURATION, BENCH_INOP, BENCH_KEEP ...), plus
# BENCH_DAY_COUNT=10000, BENCH_DAY_CLIENTS=16 and BENCH_SERVE_THREADS=16.  Prints a table (also
# saved to bench/results/complaints-*.txt); exits 0 whatever the ratios,
# non-zero only when it could not measure.
set -euo pipefail

BENCH_TAG=complaints
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TARGET_PCT=50
DAY_COUNT=${BENCH_DAY_COUNT:-10000}
DAY_CLIENTS=${BENCH_DAY_CLIENTS:-16}
# HTTP worker threads of the server: a request waits in its thread for the
# group commit, so the threads bound how many complaints share one fsync.
SERVE_THREADS=${BENCH_SERVE_THREADS:-16}

check_deps wrk cmake cc curl python3
build_inop
mkdir -p "$BUILD/bench"
cc -O2 -o "$BUILD/bench/sqlite_commit" "$BENCH/sqlite_commit.c" -lsqlite3 -lpthread ||
	die "cannot build bench/sqlite_commit.c"
WORK=$(mktemp -d "$BUILD/bench-complaints.XXXXXX")

raw_sqlite() { # THREADS -> RAW_RESULT
	log "raw SQLite: $1 thread(s), ${POST_DURATION}s"
	run_fg "$BUILD/bench/sqlite_commit" -f "$WORK/raw.db" -t "$1" \
		-d "$POST_DURATION" >"$WORK/raw.txt" || die "sqlite_commit failed"
	rm -f "$WORK/raw.db" "$WORK/raw.db-wal" "$WORK/raw.db-shm"
	RAW_RESULT=$(grep '^RESULT ' "$WORK/raw.txt") || die "sqlite_commit printed no result"
	log "  $RAW_RESULT"
}

# serve DIR: a fresh database and inop serve with the public limit raised
# (wrk and the day's clients all come from 127.0.0.1)
serve() {
	inop_init "$1" "$1/inop.db"
	local port
	port=$(free_port)
	NODE_BASE=http://127.0.0.1:$port
	spawn "$INOP" serve --db "$1/inop.db" --listen "127.0.0.1:$port" \
		--complaints_per_minute 100000 --complaints_burst 100000 \
		--work_threads "$SERVE_THREADS" \
		>"$1/serve.log" 2>&1
	NODE_PID=$SPAWN_PID
	wait_http "$NODE_BASE/healthz" "$NODE_PID" ||
		{ tail -n 30 "$1/serve.log" >&2; die "inop serve did not come up"; }
}

LOAD_BEFORE=$(loadavg)
raw_sqlite 1
RAW_T1_LINE=$RAW_RESULT
raw_sqlite "$CONNS"
RAW_TN_LINE=$RAW_RESULT
RAW_BEST_T=1 RAW_BEFORE_LINE=$RAW_T1_LINE
if gt "$(field commits_per_s "$RAW_TN_LINE")" "$(field commits_per_s "$RAW_T1_LINE")"; then
	RAW_BEST_T=$CONNS RAW_BEFORE_LINE=$RAW_TN_LINE
fi

serve "$WORK/post"
log "inop: POST /api/v1/complaints, wrk -t$THREADS -c$CONNS -d${POST_DURATION}s"
run_wrk "$WORK/wrk-post.txt" -t"$THREADS" -c"$CONNS" -d"${POST_DURATION}s" \
	--timeout 10s -s "$BENCH/post_complaints.lua" "$NODE_BASE/api/v1/complaints"
POST_LINE=$(bench_line "$WORK/wrk-post.txt")
POST_STATUS=$(status_sum "$WORK/wrk-post.txt")
POST_SAMPLE=$(sample_of "$WORK/wrk-post.txt")
log "  $POST_LINE"
log "  $POST_STATUS"
stop_pid "$NODE_PID"
LOAD_AFTER=$(loadavg)
raw_sqlite "$RAW_BEST_T"
RAW_AFTER_LINE=$RAW_RESULT
RAW_RATE=$(mean "$(field commits_per_s "$RAW_BEFORE_LINE")" \
	"$(field commits_per_s "$RAW_AFTER_LINE")")

serve "$WORK/day"
log "inop: a busy day, $DAY_COUNT complaints from $DAY_CLIENTS clients"
DAY_RC=0
run_fg python3 "$BENCH/complaints_day.py" --base "$NODE_BASE" \
	--db "$WORK/day/inop.db" --count "$DAY_COUNT" --clients "$DAY_CLIENTS" \
	>"$WORK/day.txt" || DAY_RC=$?
stop_pid "$NODE_PID"
DAY_LINE=$(grep '^DAY ' "$WORK/day.txt") || { cat "$WORK/day.txt" >&2; die "the day run printed nothing"; }
log "  $DAY_LINE"

ROW_LABEL_W=44 ROW_RATE_W=10
noise "raw SQLite commits/s" "$(field commits_per_s "$RAW_BEFORE_LINE")" \
	"$(field commits_per_s "$RAW_AFTER_LINE")" "POST ratio is"
post_problem=
if [ "$(field other "$POST_STATUS")" != 0 ]; then
	post_problem="$(field other "$POST_STATUS") answers not 201"
fi
DAY_S=$(field seconds "$DAY_LINE")
if [ "$DAY_RC" = 0 ] && gt 10 "$DAY_S"; then DAY_VERDICT=PASS; else DAY_VERDICT=BELOW; fi
[ "$DAY_RC" = 0 ] || DAY_VERDICT="INVALID (codes or mails missing, see $DAY_LINE)"
{
	echo
	echo "Inop complaint intake benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(machine), work dir on $(fs_type "$WORK")"
	echo "wrk -t$THREADS -c$CONNS, POST ${POST_DURATION}s; inop serve --work_threads $SERVE_THREADS; versions: $(wrk_version)," \
		"sqlite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)'), $(inop_version)"
	echo
	row_header
	row "POST /api/v1/complaints        inop" "$POST_LINE"
	row "raw SQLite commit, 1 thread, before" "$RAW_T1_LINE" commits_per_s
	row "raw SQLite commit, $CONNS threads, before" "$RAW_TN_LINE" commits_per_s
	row "raw SQLite commit, $RAW_BEST_T thread(s), after" "$RAW_AFTER_LINE" commits_per_s
	echo
	echo "POST answers: $(field s201 "$POST_STATUS") x 201, $(field other "$POST_STATUS") other${POST_SAMPLE:+ (first: $POST_SAMPLE)}"
	echo "raw SQLite reference: $RAW_RATE commits/s (mean of before and after, $RAW_BEST_T thread(s))"
	echo "load average before: $LOAD_BEFORE; after the POST run: $LOAD_AFTER"
	[ -n "$NOISE" ] && echo "WARNING: $NOISE"
	echo
	ratio_row "POST complaints / raw SQLite" "$(field rps "$POST_LINE")" "$RAW_RATE" "$post_problem"
	printf '%-34s %7s s   target < 10 s   %s\n' "busy day: $DAY_COUNT from $DAY_CLIENTS clients" "$DAY_S" "$DAY_VERDICT"
	echo "  $DAY_LINE"
	echo
} | save_table complaints
exit 0
