# shellcheck shell=bash disable=SC2034 # variables set here for the scripts
# What the scripts of bench/ share (run.sh, pg.sh, complaints.sh, burst.sh,
# footprint.sh, all.sh); each sources it right after `set -euo pipefail`
# and setting BENCH_TAG (the [tag] of its log lines, and the name of its
# machine-readable results file).  Sourcing it reads the settings and
# installs the EXIT/INT/TERM traps.
#
# Settings (environment), the same for every script:
#   BENCH_THREADS=2        wrk threads
#   BENCH_CONNECTIONS=32   wrk connections
#   BENCH_DURATION=10      seconds of each GET run
#   BENCH_POST_DURATION=5  seconds of each POST run and of each reference run
#   BENCH_POINTS=auto      points to create; auto = enough fresh
#                          (point, procedure) combinations for the POST run(s)
#   BENCH_POINTS_PER_USER=1000  points per JEFE user
#   BENCH_BUILD_DIR=build-bench
#   BENCH_KEEP=0           1 keeps the work directory (databases, logs)
#   BENCH_INOP=            path of an already built inop: skips the build
#   INOP_TEST_DEPS=1       install missing packages via scripts/install-deps.sh
#   BENCH_OUT=             a directory: each script also writes its numbers
#                          there as KEY=VALUE lines, to $BENCH_OUT/$BENCH_TAG.txt
#                          (bench/all.sh reads them)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
GET_DURATION=${BENCH_DURATION:-10}
POST_DURATION=${BENCH_POST_DURATION:-5}
POINTS_SETTING=${BENCH_POINTS:-auto}
PER_USER=${BENCH_POINTS_PER_USER:-1000}
GET_PATH="/api/v1/events?limit=50"
case ${BENCH_OUT:-} in '' | /*) ;; *) BENCH_OUT=$PWD/$BENCH_OUT ;; esac

log() { printf '[%s] %s\n' "$BENCH_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$BENCH_TAG" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- processes
PIDS=() # started by spawn: SIGTERM, then SIGKILL on exit
WORK=   # the work directory, removed on exit unless BENCH_KEEP=1
# On exit each spawned process gets SIGTERM and up to REAP_TRIES x 0.1 s
# to end before SIGKILL (all.sh raises it: its children are scripts that
# stop servers of their own).
REAP_TRIES=50

# poll TRIES CMD...: CMD every 0.1 s until it succeeds, at most TRIES
# times; then once more: its status
poll() {
	local n=$1 _
	shift
	for _ in $(seq "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}
gone() { ! kill -0 "$1" 2>/dev/null; }

# reap PID TRIES: wait up to TRIES x 0.1 s for PID to end, then SIGKILL it
reap() {
	poll "$2" gone "$1" || true
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# cleanup_hook: redefined by a script with more to stop; runs once the
# PIDS are gone and PostgreSQL is stopped, before WORK is removed
# shellcheck disable=SC2317 # called from cleanup
cleanup_hook() { :; }

# shellcheck disable=SC2317 # called through the trap
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		reap "$pid" "$REAP_TRIES"
	done
	pg_stop
	cleanup_hook
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		if [ "${BENCH_KEEP:-0}" = 1 ]; then
			log "work directory kept: $WORK"
		else
			rm -rf "$WORK"
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() {
	local keep=() p
	for p in "${PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	PIDS=("${keep[@]+"${keep[@]}"}")
}

# spawn CMD...: CMD in the background (redirect the call to redirect it);
# its pid goes to SPAWN_PID and PIDS
spawn() {
	"$@" &
	SPAWN_PID=$!
	PIDS+=("$SPAWN_PID")
}

# wait_pid PID: wait for a spawned process; its exit status is returned
wait_pid() {
	local rc=0
	wait "$1" || rc=$?
	forget_pid "$1"
	return "$rc"
}

# run_fg CMD...: run a command in the background and wait for it, so that
# INT/TERM reach the trap at once (bash defers traps while a foreground
# child runs); its exit status is returned.
run_fg() {
	spawn "$@"
	wait_pid "$SPAWN_PID"
}

# Stop one process we started: SIGTERM, up to 10 s, then SIGKILL.
stop_pid() {
	kill -TERM "$1" 2>/dev/null || true
	reap "$1" 100
	forget_pid "$1"
}

# ------------------------------------------------------ dependencies, build
# check_deps TOOL...: scripts/install-deps.sh with INOP_TEST_DEPS=1, then
# each TOOL must be found
check_deps() {
	local tool
	if [ "${INOP_TEST_DEPS:-0}" = 1 ] && [ -x "$ROOT/scripts/install-deps.sh" ]; then
		log "installing dependencies via scripts/install-deps.sh"
		INOP_TEST_DEPS=1 "$ROOT/scripts/install-deps.sh"
	fi
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
		command -v "$tool" >/dev/null 2>&1 ||
			die "'$tool' not found (run with INOP_TEST_DEPS=1 to install it)"
	done
}

# build_inop: INOP = BENCH_INOP, or inop built (Release) in BUILD
build_inop() {
	if [ -n "${BENCH_INOP:-}" ]; then
		INOP=$BENCH_INOP # an already built binary; skips the cmake build
		mkdir -p "$BUILD"
	else
		log "building inop (Release) in $BUILD"
		mkdir -p "$BUILD"
		cmake -B "$BUILD" -S "$ROOT" -DCMAKE_BUILD_TYPE=Release >"$BUILD/bench-cmake.log" 2>&1 ||
			{ tail -n 30 "$BUILD/bench-cmake.log" >&2; die "cmake configure failed"; }
		cmake --build "$BUILD" -j"$(nproc)" --target inop >"$BUILD/bench-build.log" 2>&1 ||
			{ tail -n 30 "$BUILD/bench-build.log" >&2; die "build of inop failed"; }
		INOP=$BUILD/inop
	fi
	[ -x "$INOP" ] || die "$INOP was not built"
	case $INOP in /*) ;; *) INOP=$PWD/$INOP ;; esac
}

# ------------------------------------------------------------ inop server
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() { # URL PID: until URL answers, or the process is gone
	local _
	for _ in $(seq 300); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# inop_init DIR DB: DIR/admin-password, then inop init of DB
inop_init() {
	mkdir -p "$1"
	printf 'bench-admin-password-2026\n' >"$1/admin-password"
	chmod 600 "$1/admin-password"
	run_fg "$INOP" init --db "$2" --admin-password-file "$1/admin-password" \
		>"$1/init.log" 2>&1 || { cat "$1/init.log" >&2; die "inop init failed"; }
}

# start_inop DB LOG NAME [SERVE-ARGS...]: inop serve on a free port, output
# to LOG, with SERVE-ARGS added; sets NODE_PID and NODE_BASE once it answers
start_inop() {
	local port db=$1 out=$2 name=$3
	shift 3
	port=$(free_port)
	NODE_BASE=http://127.0.0.1:$port
	# wrk opens many connections from one address, as nginx would; and
	# as a node behind nginx, no log line per request (the nginx of
	# run.sh has access_log off too; 5xx answers are still logged).
	spawn "$INOP" serve --db "$db" --listen "127.0.0.1:$port" \
		--max_connections_per_address 1000 --access_log off "$@" \
		>"$out" 2>&1
	NODE_PID=$SPAWN_PID
	wait_http "$NODE_BASE/healthz" "$NODE_PID" ||
		{ tail -n 30 "$out" >&2; die "$name did not come up"; }
}

# inop_setup BASE DIR POINTS SERVE-LOG: bench/setup.py creates the points
# and JEFE users; tokens to DIR/tokens, the admin's to DIR/admin-token
inop_setup() {
	run_fg python3 "$BENCH/setup.py" --base "$1" \
		--admin-password-file "$2/admin-password" --points "$3" \
		--per-user "$PER_USER" --tokens-out "$2/tokens" \
		--admin-token-out "$2/admin-token" >&2 ||
		{ tail -n 30 "$4" >&2; die "setup of the inop server failed"; }
}

# ------------------------------------------------------------- PostgreSQL
# pg_start: a throw-away PostgreSQL server from tests/pg/with-postgres.sh
# (initdb into /tmp/inop-pg-*, loopback only, PostgreSQL's default
# durability).  It runs a command that writes the URLs it exported to
# $WORK/pg.env and then waits until $WORK/pg.stop exists or this script is
# gone; that way the server lives as long as this script and is stopped,
# and its folder removed, by with-postgres.sh's own trap whatever ends the
# run (pg_stop, from cleanup, asks it to).  Sets DB_URL (database inop),
# ADMIN_URL (database postgres), PG_BIN, PSQL and PG_PID.  Needs WORK.
PG_PID=
pg_start() {
	[ -f "$ROOT/tests/pg/with-postgres.sh" ] || die "tests/pg/with-postgres.sh not found"
	log "starting PostgreSQL (tests/pg/with-postgres.sh)"
	bash "$ROOT/tests/pg/with-postgres.sh" bash -c '
		printf "DB_URL=%s\nADMIN_URL=%s\nBINDIR=%s\n" "$INOP_TEST_DB_URL" \
			"$INOP_TEST_PG_ADMIN_URL" "$INOP_TEST_PG_BINDIR" >"$1.tmp"
		mv "$1.tmp" "$1"
		while [ ! -e "$2" ] && kill -0 "$3" 2>/dev/null; do sleep 1; done
	' pg-wait "$WORK/pg.env" "$WORK/pg.stop" "$$" >"$WORK/pg.log" 2>&1 &
	PG_PID=$!
	poll 600 pg_started || true
	[ -e "$WORK/pg.env" ] || { cat "$WORK/pg.log" >&2; die "PostgreSQL did not start"; }
	DB_URL=$(sed -n 's/^DB_URL=//p' "$WORK/pg.env")
	ADMIN_URL=$(sed -n 's/^ADMIN_URL=//p' "$WORK/pg.env")
	PG_BIN=$(sed -n 's/^BINDIR=//p' "$WORK/pg.env")
	PSQL=$PG_BIN/psql
	log "  $DB_URL"
}
# shellcheck disable=SC2317 # called through poll
pg_started() { [ -e "$WORK/pg.env" ] || gone "$PG_PID"; }
# shellcheck disable=SC2317 # called from cleanup, through the trap
pg_stop() {
	[ -n "$PG_PID" ] || return 0
	# The command run by with-postgres.sh waits for this file (or for
	# this script to be gone); then with-postgres.sh stops the server
	# (pg_ctl -m fast) and removes its folder.
	: >"$WORK/pg.stop" 2>/dev/null || true
	if poll 600 gone "$PG_PID"; then
		wait "$PG_PID" 2>/dev/null || true
	else
		log "with-postgres.sh (pid $PG_PID) did not stop within 60 s"
	fi
	PG_PID=
}
psql_q() { # URL SQL: one statement, result rows unaligned
	"$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$1" -c "$2"
}
# pg_database NAME: a new empty database NAME on the server; its URL to
# PG_DB_URL
pg_database() {
	psql_q "$ADMIN_URL" "CREATE DATABASE $1" >/dev/null || die "cannot create database $1"
	PG_DB_URL=${ADMIN_URL%/postgres}/$1
}

# get_events50 BASE TOKEN OUT [NODE]: GET_PATH to OUT, which must hold 50
# events
get_events50() {
	curl -fsS -H "Authorization: Bearer $2" -o "$3" "$1$GET_PATH" ||
		die "GET $GET_PATH${4:+ on node $4} failed"
	python3 - "$3" "$BENCH_TAG" "${4:+node $4: }" <<-'EOF' || die "GET $GET_PATH did not answer 50 events"
		import json, sys
		d = json.load(open(sys.argv[1], "rb"))
		n = len(d.get("items", []))
		print("[%s]   %sGET limit=50 answered %d items of total %s"
		      % (sys.argv[2], sys.argv[3], n, d.get("total")), file=sys.stderr)
		sys.exit(0 if n == 50 else 1)
	EOF
}

# -------------------------------------------------------------------- wrk
# wrk_bg OUT wrk-args...: wrk in the background (traps stay live), its
# output to OUT; its pid goes to WRK_PID
wrk_bg() {
	local out=$1
	shift
	spawn wrk "$@" >"$out" 2>&1
	WRK_PID=$SPAWN_PID
}
wrk_wait() { # PID OUT: wrk must succeed and print its BENCH line
	local rc=0
	wait_pid "$1" || rc=$?
	[ "$rc" = 0 ] || { cat "$2" >&2; die "wrk failed"; }
	grep -q '^BENCH ' "$2" || { cat "$2" >&2; die "wrk printed no result"; }
}
run_wrk() { # OUT wrk-args...: one wrk run to its end
	wrk_bg "$@"
	wrk_wait "$WRK_PID" "$1"
}

# field KEY LINE: the value of KEY=value in a "BENCH k=v k=v" line
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -n 1; }
bench_line() { grep '^BENCH ' "$1"; } # OUT: wrk's own BENCH line

# combine OUT...: one BENCH line for wrk runs that ran at the same time:
# requests and req/s added, p50/p99 the worse of them (wrk's histograms
# cannot be merged from its output), error counts added
combine() {
	local f
	for f in "$@"; do bench_line "$f"; done | awk '
		{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		  req += v["requests"]; rps += v["rps"]
		  if (v["p50_us"] > p50) p50 = v["p50_us"]
		  if (v["p99_us"] > p99) p99 = v["p99_us"]
		  err += v["non2xx"] + v["connect_errors"] + v["read_errors"] + v["write_errors"] + v["timeouts"] }
		END { printf "BENCH requests=%d rps=%.1f p50_us=%d p99_us=%d errors=%d\n", req, rps, p50, p99, err }'
}
# status_sum OUT...: the BENCH_STATUS lines of bench/post_events.lua added
status_sum() {
	local f
	for f in "$@"; do grep '^BENCH_STATUS ' "$f"; done | awk '
		{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } }
		END { printf "BENCH_STATUS s201=%d s409=%d other=%d\n", v["s201"], v["s409"], v["other"] }'
}
# next_max OUT...: the largest BENCH_NEXT
next_max() {
	local f
	for f in "$@"; do sed -n 's/^BENCH_NEXT next=//p' "$f"; done | sort -n | tail -n 1
}
# sample_of OUT...: the first BENCH_SAMPLE (an answer but 201)
sample_of() {
	local f
	for f in "$@"; do sed -n 's/^BENCH_SAMPLE //p' "$f"; done | head -n 1
}

# ---------------------------------------------------------------- results
# result KEY VALUE...: one KEY=VALUE line (the values joined by spaces, no
# newlines) to $BENCH_OUT/$BENCH_TAG.txt when BENCH_OUT is set: the
# numbers bench/all.sh puts in its table.  A key written twice counts with
# its last value.
result() {
	[ -n "${BENCH_OUT:-}" ] || return 0
	local key=$1
	shift
	mkdir -p "$BENCH_OUT"
	printf '%s=%s\n' "$key" "$(printf '%s' "$*" | tr '\n' ' ')" >>"$BENCH_OUT/$BENCH_TAG.txt"
}
# result_start: empties this script's results file (at the start of a run)
result_start() {
	[ -n "${BENCH_OUT:-}" ] || return 0
	mkdir -p "$BENCH_OUT"
	: >"$BENCH_OUT/$BENCH_TAG.txt"
}

# ----------------------------------------------------------------- report
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
mean() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a + b) / 2 }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
loadavg() { cut -d ' ' -f 1-3 /proc/loadavg; }
fs_type() { df -T "$1" | awk 'NR == 2 { print $2 }'; }
machine() {
	echo "$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
		"$(uname -sr)"
}
wrk_version() { wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'; }
inop_version() { "$INOP" version 2>/dev/null | head -n 1; }

# Table columns: label, rate, p50, p99; ROW_LABEL_W and ROW_RATE_W are
# the widths of the first two (set by each script).
# shellcheck disable=SC2183 # the widths are arguments too (%*s)
row_header() {
	printf '%-*s %*s %9s %9s\n' "$ROW_LABEL_W" "" "$ROW_RATE_W" "req/s" "p50 ms" "p99 ms"
}
# shellcheck disable=SC2183 # the widths are arguments too (%*s)
row() { # LABEL LINE [RATEKEY, default rps]
	printf '%-*s %*.0f %9s %9s\n' "$ROW_LABEL_W" "$1" "$ROW_RATE_W" "$(field "${3:-rps}" "$2")" \
		"$(ms "$(field p50_us "$2")")" "$(ms "$(field p99_us "$2")")"
}
# ratio_row LABEL NUM DEN [invalid-reason]: NUM / DEN in %; with
# TARGET_PCT set, the target and PASS/BELOW after it
ratio_row() {
	local p rest verdict
	p=$(pct "$2" "$3")
	if [ -z "${TARGET_PCT:-}" ]; then
		rest=${4:+   INVALID ($4)}
	else
		if [ -n "${4:-}" ]; then
			verdict="INVALID ($4)"
		elif awk -v p="$p" -v t="$TARGET_PCT" 'BEGIN { exit !(p >= t) }'; then
			verdict=PASS
		else
			verdict=BELOW
		fi
		rest="   target >= $TARGET_PCT %   $verdict"
	fi
	printf '%-34s %7s %%%s\n' "$1" "$p" "$rest"
}

# noise WHAT BEFORE AFTER RATIOS: NOISE = what says the machine was busy:
# the reference rate WHAT drifted by more than 25 % between its run
# BEFORE and its run AFTER (so RATIOS are unreliable), or the load average
# LOAD_BEFORE was above 1
noise() {
	local drift
	NOISE=
	drift=$(awk -v a="$2" -v b="$3" \
		'BEGIN { m = a > b ? a : b; printf "%.0f", (m > 0 ? 100 * (a > b ? a - b : b - a) / m : 0) }')
	if [ "$drift" -gt 25 ]; then
		NOISE="$1 changed by $drift % between before and after:"
		NOISE+=" the disk or the machine was busy, the $4 unreliable"
	fi
	if gt "${LOAD_BEFORE%% *}" 1.0; then
		NOISE+="${NOISE:+; }load average was ${LOAD_BEFORE%% *} at the start: other work competes for the CPUs"
	fi
}

# save_table NAME: stdin to stdout and to bench/results/NAME-<UTC time>.txt
save_table() {
	local file
	mkdir -p "$BENCH/results" # git-ignored
	file=$BENCH/results/$1-$(date -u +%Y%m%dT%H%M%SZ).txt
	tee "$file"
	log "table saved to ${file#"$ROOT"/}"
}
