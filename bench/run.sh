#!/usr/bin/env bash
# Inop benchmark: one run on this machine, see bench/README.md.
#
#   GET  /api/v1/events?limit=50  inop  vs  nginx serving the same bytes
#   POST /api/v1/events           inop  vs  raw SQLite commits of one row
#
# Prints a table (req/s, p50, p99, ratios, PASS/BELOW against the 50 %
# targets) and exits 0 whatever the ratios are; non-zero only when the
# benchmark itself could not run (build failed, server did not start, ...).
#
# Settings (environment):
#   BENCH_THREADS=2        wrk threads
#   BENCH_CONNECTIONS=32   wrk connections (and threads of the raw SQLite run)
#   BENCH_DURATION=10      seconds of each GET run (inop and nginx)
#   BENCH_POST_DURATION=5  seconds of the POST run and of each raw SQLite run
#   BENCH_POINTS=auto      points to create; auto = enough fresh
#                          (point, procedure) combinations for the POST run
#   BENCH_POINTS_PER_USER=1000  points per JEFE user
#   BENCH_BUILD_DIR=build-bench
#   BENCH_KEEP=0           1 keeps the work directory (databases, logs)
#   BENCH_INOP=            path of an already built inop: skips the build
#   INOP_TEST_DEPS=1       install missing packages via scripts/install-deps.sh
set -euo pipefail

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
TARGET_PCT=50

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- cleanup
PIDS=()
WORK=
# shellcheck disable=SC2317 # called through the trap
cleanup() {
	local rc=$? pid _
	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
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

# Stop one process we started: SIGTERM, up to 10 s, then SIGKILL.
stop_pid() {
	local pid=$1 _
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	forget_pid "$pid"
}

# run_fg CMD...: run a command in the background and wait for it, so that
# INT/TERM reach the trap at once (bash defers traps while a foreground
# child runs); its exit status is returned.
run_fg() {
	local pid rc=0
	"$@" &
	pid=$!
	PIDS+=("$pid")
	wait "$pid" || rc=$?
	forget_pid "$pid"
	return "$rc"
}

# ---------------------------------------------------------- dependencies
if [ "${INOP_TEST_DEPS:-0}" = 1 ] && [ -x "$ROOT/scripts/install-deps.sh" ]; then
	log "installing dependencies via scripts/install-deps.sh"
	INOP_TEST_DEPS=1 "$ROOT/scripts/install-deps.sh"
fi
for tool in wrk nginx cmake cc curl python3; do
	command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found (run with INOP_TEST_DEPS=1 to install it)"
done

# ------------------------------------------------------------------ build
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
mkdir -p "$BUILD/bench"
cc -O2 -o "$BUILD/bench/sqlite_commit" "$BENCH/sqlite_commit.c" -lsqlite3 -lpthread ||
	die "cannot build bench/sqlite_commit.c"

WORK=$(mktemp -d "$BUILD/bench-run.XXXXXX")
chmod 755 "$WORK" # nginx workers may run as an unprivileged user

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# field KEY LINE: the value of KEY=value in a "BENCH k=v k=v" line
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -n 1; }

# run_wrk OUTFILE wrk-args...: wrk in the background so traps stay live
run_wrk() {
	local out=$1
	shift
	run_fg wrk "$@" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
	grep -q '^BENCH ' "$out" || { cat "$out" >&2; die "wrk printed no result"; }
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

# ------------------------------------------------ (b) raw SQLite commits
# raw_sqlite THREADS: one run of bench/sqlite_commit; its RESULT line goes
# to RAW_RESULT (not printed: a $(...) subshell would delay the traps)
raw_sqlite() {
	local t=$1 line
	log "raw SQLite: $t thread(s), ${POST_DURATION}s"
	run_fg "$BUILD/bench/sqlite_commit" -f "$WORK/raw.db" -t "$t" \
		-d "$POST_DURATION" >"$WORK/raw.txt" || die "sqlite_commit failed"
	rm -f "$WORK/raw.db" "$WORK/raw.db-wal" "$WORK/raw.db-shm"
	line=$(grep '^RESULT ' "$WORK/raw.txt") || die "sqlite_commit printed no result"
	log "  $line"
	RAW_RESULT=$line
}
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

LOAD_BEFORE=$(cut -d ' ' -f 1-3 /proc/loadavg)
raw_sqlite 1
RAW_T1_LINE=$RAW_RESULT
raw_sqlite "$CONNS"
RAW_TN_LINE=$RAW_RESULT
RAW_BEST_T=1 RAW_BEFORE_LINE=$RAW_T1_LINE
if gt "$(field commits_per_s "$RAW_TN_LINE")" "$(field commits_per_s "$RAW_T1_LINE")"; then
	RAW_BEST_T=$CONNS RAW_BEFORE_LINE=$RAW_TN_LINE
fi
RAW_RATE=$(field commits_per_s "$RAW_BEFORE_LINE")

# --------------------------------------------------------- (inop) server
# One attempt: fresh database, setup, POST run, GET run.  Returns 3 when the
# POST run ran out of fresh combinations (caller retries with more points).
run_inop() {
	local points=$1 dir=$WORK/inop port pid base combos
	rm -rf "$dir"
	mkdir -p "$dir"
	printf 'bench-admin-password-2026\n' >"$dir/admin-password"
	chmod 600 "$dir/admin-password"
	run_fg "$INOP" init --db "$dir/inop.db" --admin-password-file "$dir/admin-password" \
		>"$dir/init.log" 2>&1 || { cat "$dir/init.log" >&2; die "inop init failed"; }
	port=$(free_port)
	base=http://127.0.0.1:$port
	"$INOP" serve --db "$dir/inop.db" --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_http "$base/healthz" "$pid" ||
		{ tail -n 30 "$dir/serve.log" >&2; die "inop serve did not come up"; }

	log "inop: creating $points points and JEFE users"
	run_fg python3 "$BENCH/setup.py" --base "$base" \
		--admin-password-file "$dir/admin-password" --points "$points" \
		--per-user "$PER_USER" --tokens-out "$dir/tokens" \
		--admin-token-out "$dir/admin-token" >&2 ||
		{ tail -n 30 "$dir/serve.log" >&2; die "setup of the inop server failed"; }

	log "inop: POST /api/v1/events, wrk -t$THREADS -c$CONNS -d${POST_DURATION}s"
	BENCH_POINTS=$points BENCH_POINTS_PER_USER=$PER_USER \
	BENCH_TOKENS_FILE=$dir/tokens BENCH_WRK_THREADS=$THREADS \
		run_wrk "$WORK/wrk-post.txt" -t"$THREADS" -c"$CONNS" \
		-d"${POST_DURATION}s" --timeout 10s -s "$BENCH/post_events.lua" \
		"$base/api/v1/events"
	POST_LINE=$(grep '^BENCH ' "$WORK/wrk-post.txt")
	POST_STATUS=$(grep '^BENCH_STATUS ' "$WORK/wrk-post.txt")
	POST_SAMPLE=$(sed -n 's/^BENCH_SAMPLE //p' "$WORK/wrk-post.txt")
	log "  $POST_LINE"
	log "  $POST_STATUS"
	combos=$((points * 4))
	if [ "$(field s409 "$POST_STATUS")" -gt 0 ] &&
		[ $(($(field requests "$POST_LINE") + CONNS)) -ge "$combos" ]; then
		stop_pid "$pid"
		return 3
	fi

	# The disk's fsync rate drifts (other work on the machine, the
	# device's own caching), so the reference is the mean of a raw run
	# just before and one just after the POST run, with the better thread
	# count of the first.  The server sits idle meanwhile.
	LOAD_AFTER=$(cut -d ' ' -f 1-3 /proc/loadavg)
	raw_sqlite "$RAW_BEST_T"
	RAW_AFTER_LINE=$RAW_RESULT
	RAW_RATE=$(awk -v a="$(field commits_per_s "$RAW_BEFORE_LINE")" \
		-v b="$(field commits_per_s "$RAW_AFTER_LINE")" \
		'BEGIN { printf "%.1f", (a + b) / 2 }')

	local token
	token=$(cat "$dir/admin-token")
	curl -fsS -H "Authorization: Bearer $token" -o "$WORK/events.json" \
		"$base/api/v1/events?limit=50" || die "GET /api/v1/events?limit=50 failed"
	python3 - "$WORK/events.json" <<-'EOF' || die "GET /api/v1/events?limit=50 did not answer 50 events"
		import json, sys
		d = json.load(open(sys.argv[1], "rb"))
		n = len(d.get("items", []))
		print("[bench]   GET limit=50 answered %d items of total %s" % (n, d.get("total")), file=sys.stderr)
		sys.exit(0 if n == 50 else 1)
	EOF
	GET_BYTES=$(stat -c %s "$WORK/events.json")

	log "inop: GET /api/v1/events?limit=50 (${GET_BYTES} bytes), warm-up 2s"
	run_wrk "$WORK/wrk-get-warm.txt" -t"$THREADS" -c"$CONNS" -d2s \
		-H "Authorization: Bearer $token" -s "$BENCH/get_report.lua" \
		"$base/api/v1/events?limit=50"
	log "inop: GET /api/v1/events?limit=50, wrk -t$THREADS -c$CONNS -d${GET_DURATION}s"
	run_wrk "$WORK/wrk-get-inop.txt" -t"$THREADS" -c"$CONNS" -d"${GET_DURATION}s" \
		-H "Authorization: Bearer $token" -s "$BENCH/get_report.lua" \
		"$base/api/v1/events?limit=50"
	GET_INOP_LINE=$(grep '^BENCH ' "$WORK/wrk-get-inop.txt")
	log "  $GET_INOP_LINE"
	AUTH_TOKEN=$token
	stop_pid "$pid"
	return 0
}

if [ "$POINTS_SETTING" = auto ]; then
	# Twice the raw SQLite rate for the POST duration, in points of 4
	# procedures each: inop commits one row per request too, so it cannot
	# plausibly outrun that without breaking the durability settings.
	POINTS=$(awk -v r="$RAW_RATE" -v d="$POST_DURATION" \
		'BEGIN { p = int(2 * r * d / 4) + 1; print (p < 2500 ? 2500 : p) }')
else
	POINTS=$POINTS_SETTING
fi
POST_INVALID=
for attempt in 1 2 3; do
	rc=0
	run_inop "$POINTS" || rc=$?
	[ "$rc" = 0 ] && break
	if [ "$attempt" = 3 ] || [ "$POINTS_SETTING" != auto ]; then
		POST_INVALID="ran out of fresh combinations with $POINTS points"
		break
	fi
	log "POST run exhausted $((POINTS * 4)) combinations; retrying with more points"
	POINTS=$((POINTS * 3))
done
[ -n "$POST_INVALID" ] && die "$POST_INVALID (set BENCH_POINTS higher)"

# ------------------------------------------------------------- (a) nginx
NG=$WORK/nginx
mkdir -p "$NG/html/api/v1" "$NG/tmp"
cp "$WORK/events.json" "$NG/html/api/v1/events"
chmod -R a+rX "$NG"
NG_PORT=$(free_port)
cat >"$NG/nginx.conf" <<EOF
daemon off;
worker_processes $(nproc);
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_timeout 75s;
	keepalive_requests 1000000;
	default_type application/json;
	client_body_temp_path $NG/tmp/body;
	proxy_temp_path $NG/tmp/proxy;
	fastcgi_temp_path $NG/tmp/fastcgi;
	uwsgi_temp_path $NG/tmp/uwsgi;
	scgi_temp_path $NG/tmp/scgi;
	server {
		listen 127.0.0.1:$NG_PORT;
		root $NG/html;
	}
}
EOF
nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" >"$NG/stdout.log" 2>&1 &
NG_PID=$!
PIDS+=("$NG_PID")
NG_URL="http://127.0.0.1:$NG_PORT/api/v1/events?limit=50"
wait_http "$NG_URL" "$NG_PID" ||
	{ cat "$NG/error.log" "$NG/stdout.log" >&2 2>/dev/null; die "nginx did not come up"; }
curl -fsS -o "$WORK/nginx-body" "$NG_URL"
cmp -s "$WORK/nginx-body" "$WORK/events.json" || die "nginx does not serve the same bytes"

log "nginx: GET same $GET_BYTES bytes, warm-up 2s"
run_wrk "$WORK/wrk-nginx-warm.txt" -t"$THREADS" -c"$CONNS" -d2s \
	-H "Authorization: Bearer $AUTH_TOKEN" -s "$BENCH/get_report.lua" "$NG_URL"
log "nginx: GET, wrk -t$THREADS -c$CONNS -d${GET_DURATION}s"
run_wrk "$WORK/wrk-get-nginx.txt" -t"$THREADS" -c"$CONNS" -d"${GET_DURATION}s" \
	-H "Authorization: Bearer $AUTH_TOKEN" -s "$BENCH/get_report.lua" "$NG_URL"
GET_NGINX_LINE=$(grep '^BENCH ' "$WORK/wrk-get-nginx.txt")
log "  $GET_NGINX_LINE"
stop_pid "$NG_PID"

# ------------------------------------------------------------------ report
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
row() { # LABEL LINE RATEKEY
	printf '%-44s %10.0f %9s %9s\n' "$1" "$(field "$3" "$2")" \
		"$(ms "$(field p50_us "$2")")" "$(ms "$(field p99_us "$2")")"
}
ratio_row() { # LABEL NUM DEN [invalid-reason]
	local pct verdict
	pct=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
	if [ -n "${4:-}" ]; then
		verdict="INVALID ($4)"
	elif awk -v p="$pct" -v t="$TARGET_PCT" 'BEGIN { exit !(p >= t) }'; then
		verdict=PASS
	else
		verdict=BELOW
	fi
	printf '%-34s %7s %%   target >= %d %%   %s\n' "$1" "$pct" "$TARGET_PCT" "$verdict"
}

GET_INOP_RPS=$(field rps "$GET_INOP_LINE")
GET_NGINX_RPS=$(field rps "$GET_NGINX_LINE")
POST_RPS=$(field rps "$POST_LINE")

get_problem=
for l in "$GET_INOP_LINE" "$GET_NGINX_LINE"; do
	if [ "$(field non2xx "$l")" != 0 ] || [ "$(field timeouts "$l")" != 0 ] ||
		[ "$(field read_errors "$l")" != 0 ] || [ "$(field connect_errors "$l")" != 0 ]; then
		get_problem="errors during a GET run, see the raw lines"
	fi
done
NOISE=
drift=$(awk -v a="$(field commits_per_s "$RAW_BEFORE_LINE")" \
	-v b="$(field commits_per_s "$RAW_AFTER_LINE")" \
	'BEGIN { m = a > b ? a : b; printf "%.0f", (m > 0 ? 100 * (a > b ? a - b : b - a) / m : 0) }')
if [ "$drift" -gt 25 ]; then
	NOISE="raw SQLite commits/s changed by $drift % between before and after:"
	NOISE+=" the disk or the machine was busy, the POST ratio is unreliable"
fi
if gt "${LOAD_BEFORE%% *}" 1.0; then
	NOISE+="${NOISE:+; }load average was ${LOAD_BEFORE%% *} at the start: other work competes for the CPUs"
fi
post_problem=
if [ "$(field s409 "$POST_STATUS")" != 0 ] || [ "$(field other "$POST_STATUS")" != 0 ]; then
	post_problem="$(field s409 "$POST_STATUS") x 409, $(field other "$POST_STATUS") other non-201"
fi

mkdir -p "$BENCH/results" # git-ignored
RESULT_FILE=$BENCH/results/bench-$(date -u +%Y%m%dT%H%M%SZ).txt
{
	echo
	echo "Inop benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
		"$(uname -sr), work dir on $(df -T "$WORK" | awk 'NR == 2 { print $2 }')"
	echo "wrk -t$THREADS -c$CONNS; GET ${GET_DURATION}s each, POST ${POST_DURATION}s;" \
		"GET answer $GET_BYTES bytes; $POINTS points x 4 procedures"
	echo "versions: $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $(nginx -v 2>&1 | sed 's/.*: //')," \
		"sqlite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)'), $("$INOP" version 2>/dev/null | head -n 1)"
	echo
	printf '%-44s %10s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms"
	row "GET  /api/v1/events?limit=50   inop" "$GET_INOP_LINE" rps
	row "GET  same bytes, static        nginx" "$GET_NGINX_LINE" rps
	row "POST /api/v1/events            inop" "$POST_LINE" rps
	row "raw SQLite commit, 1 thread, before" "$RAW_T1_LINE" commits_per_s
	row "raw SQLite commit, $CONNS threads, before" "$RAW_TN_LINE" commits_per_s
	row "raw SQLite commit, $RAW_BEST_T thread(s), after" "$RAW_AFTER_LINE" commits_per_s
	echo
	echo "POST answers: $(field s201 "$POST_STATUS") x 201, $(field s409 "$POST_STATUS") x 409," \
		"$(field other "$POST_STATUS") other${POST_SAMPLE:+ (first: $POST_SAMPLE)}"
	echo "raw SQLite reference: $RAW_RATE commits/s = mean of before and after with" \
		"$RAW_BEST_T thread(s) (the better of 1 and $CONNS before)"
	echo "load average before the raw SQLite runs: $LOAD_BEFORE; after the POST run: $LOAD_AFTER"
	[ -n "$NOISE" ] && echo "WARNING: $NOISE"
	echo
	ratio_row "GET  inop / nginx" "$GET_INOP_RPS" "$GET_NGINX_RPS" "$get_problem"
	ratio_row "POST inop / raw SQLite commits" "$POST_RPS" "$RAW_RATE" "$post_problem"
	echo
} | tee "$RESULT_FILE"
log "table saved to ${RESULT_FILE#"$ROOT"/}"
exit 0
