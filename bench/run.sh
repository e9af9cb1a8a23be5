#!/usr/bin/env bash
# Inop benchmark: one run on this machine, see bench/README.md.
#
#   GET  /api/v1/events?limit=50  inop  vs  nginx serving the same bytes
#   POST /api/v1/events           inop  vs  raw SQLite commits of one row
#
# Prints a table (req/s, p50, p99, ratios, PASS/BELOW against the targets
# of issue 16: GET >= 90 % of nginx with p99 <= 2x nginx's, POST >= 150 %
# of raw commits) and exits 0 whatever the ratios are; non-zero only when the
# benchmark itself could not run (build failed, server did not start, ...).
#
# Settings (environment): see bench/lib.sh; here BENCH_CONNECTIONS is also
# the thread count of the second raw SQLite run, and BENCH_POST_DURATION the
# length of each raw SQLite run.
set -euo pipefail

BENCH_TAG=bench
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Targets of issue 16 (items 3 and 4); ratio_row reads TARGET_PCT.
GET_TARGET_PCT=90 GET_P99_MAX_X=2 POST_TARGET_PCT=150

check_deps wrk nginx cmake cc curl python3
build_inop
result_start
mkdir -p "$BUILD/bench"
cc -O2 -o "$BUILD/bench/sqlite_commit" "$BENCH/sqlite_commit.c" -lsqlite3 -lpthread ||
	die "cannot build bench/sqlite_commit.c"

WORK=$(mktemp -d "$BUILD/bench-run.XXXXXX")
chmod 755 "$WORK" # nginx workers may run as an unprivileged user

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

LOAD_BEFORE=$(loadavg)
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
	local points=$1 dir=$WORK/inop pid base combos
	rm -rf "$dir"
	inop_init "$dir" "$dir/inop.db"
	start_inop "$dir/inop.db" "$dir/serve.log" "inop serve"
	pid=$NODE_PID base=$NODE_BASE

	log "inop: creating $points points and JEFE users"
	inop_setup "$base" "$dir" "$points" "$dir/serve.log"

	log "inop: POST /api/v1/events, wrk -t$THREADS -c$CONNS -d${POST_DURATION}s"
	BENCH_POINTS=$points BENCH_POINTS_PER_USER=$PER_USER \
	BENCH_TOKENS_FILE=$dir/tokens BENCH_WRK_THREADS=$THREADS \
		run_wrk "$WORK/wrk-post.txt" -t"$THREADS" -c"$CONNS" \
		-d"${POST_DURATION}s" --timeout 10s -s "$BENCH/post_events.lua" \
		"$base/api/v1/events"
	POST_LINE=$(bench_line "$WORK/wrk-post.txt")
	POST_STATUS=$(status_sum "$WORK/wrk-post.txt")
	POST_SAMPLE=$(sample_of "$WORK/wrk-post.txt")
	log "  $POST_LINE"
	log "  $POST_STATUS"
	combos=$((points * 4))
	# Ran past the last combination: by the highest combination a wrk
	# thread reached (BENCH_NEXT), not by the requests of all of them --
	# the threads do not keep pace, and the faster one wraps first.
	if [ "$(field s409 "$POST_STATUS")" -gt 0 ] &&
		[ $(($(next_max "$WORK/wrk-post.txt") + CONNS)) -ge "$combos" ]; then
		stop_pid "$pid"
		return 3
	fi

	# The disk's fsync rate drifts (other work on the machine, the
	# device's own caching), so the reference is the mean of a raw run
	# just before and one just after the POST run, with the better thread
	# count of the first.  The server sits idle meanwhile.
	LOAD_AFTER=$(loadavg)
	raw_sqlite "$RAW_BEST_T"
	RAW_AFTER_LINE=$RAW_RESULT
	RAW_RATE=$(mean "$(field commits_per_s "$RAW_BEFORE_LINE")" \
		"$(field commits_per_s "$RAW_AFTER_LINE")")

	local token
	token=$(cat "$dir/admin-token")
	get_events50 "$base" "$token" "$WORK/events.json"
	GET_BYTES=$(stat -c %s "$WORK/events.json")

	log "inop: GET $GET_PATH (${GET_BYTES} bytes), warm-up 2s"
	run_wrk "$WORK/wrk-get-warm.txt" -t"$THREADS" -c"$CONNS" -d2s \
		-H "Authorization: Bearer $token" -s "$BENCH/get_report.lua" \
		"$base$GET_PATH"
	log "inop: GET $GET_PATH, wrk -t$THREADS -c$CONNS -d${GET_DURATION}s"
	run_wrk "$WORK/wrk-get-inop.txt" -t"$THREADS" -c"$CONNS" -d"${GET_DURATION}s" \
		-H "Authorization: Bearer $token" -s "$BENCH/get_report.lua" \
		"$base$GET_PATH"
	GET_INOP_LINE=$(bench_line "$WORK/wrk-get-inop.txt")
	log "  $GET_INOP_LINE"
	AUTH_TOKEN=$token
	stop_pid "$pid"
	return 0
}

if [ "$POINTS_SETTING" = auto ]; then
	# Three times the raw SQLite rate for the POST duration, in points of
	# 4 procedures each: the target is 1.5 times that rate, and one of
	# the two wrk threads may send two thirds of the requests.
	POINTS=$(awk -v r="$RAW_RATE" -v d="$POST_DURATION" \
		'BEGIN { p = int(3 * r * d / 4) + 1; print (p < 2500 ? 2500 : p) }')
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
spawn nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" >"$NG/stdout.log" 2>&1
NG_PID=$SPAWN_PID
NG_URL="http://127.0.0.1:$NG_PORT$GET_PATH"
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
GET_NGINX_LINE=$(bench_line "$WORK/wrk-get-nginx.txt")
log "  $GET_NGINX_LINE"
stop_pid "$NG_PID"

# ------------------------------------------------------------------ report
ROW_LABEL_W=44 ROW_RATE_W=10
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
noise "raw SQLite commits/s" "$(field commits_per_s "$RAW_BEFORE_LINE")" \
	"$(field commits_per_s "$RAW_AFTER_LINE")" "POST ratio is"
post_problem=
if [ "$(field s409 "$POST_STATUS")" != 0 ] || [ "$(field other "$POST_STATUS")" != 0 ]; then
	post_problem="$(field s409 "$POST_STATUS") x 409, $(field other "$POST_STATUS") other non-201"
fi

# p99_row: GET p99 of inop in multiples of nginx's, against its target
p99_row() {
	local a b x verdict
	a=$(field p99_us "$GET_INOP_LINE") b=$(field p99_us "$GET_NGINX_LINE")
	x=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	if [ -n "$get_problem" ]; then
		verdict="INVALID ($get_problem)"
	elif awk -v x="$x" -v t="$GET_P99_MAX_X" 'BEGIN { exit !(x <= t) }'; then
		verdict=PASS
	else
		verdict=BELOW
	fi
	printf '%-34s %7s x   target <= %s x   %s\n' "GET  p99 inop / p99 nginx" "$x" "$GET_P99_MAX_X" "$verdict"
}
{
	echo
	echo "Inop benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(machine), work dir on $(fs_type "$WORK")"
	echo "wrk -t$THREADS -c$CONNS; GET ${GET_DURATION}s each, POST ${POST_DURATION}s;" \
		"GET answer $GET_BYTES bytes; $POINTS points x 4 procedures"
	echo "versions: $(wrk_version), $(nginx -v 2>&1 | sed 's/.*: //')," \
		"sqlite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)'), $(inop_version)"
	echo
	row_header
	row "GET  /api/v1/events?limit=50   inop" "$GET_INOP_LINE"
	row "GET  same bytes, static        nginx" "$GET_NGINX_LINE"
	row "POST /api/v1/events            inop" "$POST_LINE"
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
	TARGET_PCT=$GET_TARGET_PCT ratio_row "GET  inop / nginx" "$GET_INOP_RPS" "$GET_NGINX_RPS" "$get_problem"
	p99_row
	TARGET_PCT=$POST_TARGET_PCT ratio_row "POST inop / raw SQLite commits" "$POST_RPS" "$RAW_RATE" "$post_problem"
	echo
} | save_table bench
result get_rps "$GET_INOP_RPS"
result get_p99_ms "$(ms "$(field p99_us "$GET_INOP_LINE")")"
result nginx_rps "$GET_NGINX_RPS"
result nginx_p99_ms "$(ms "$(field p99_us "$GET_NGINX_LINE")")"
result get_invalid "$get_problem"
result post_rps "$POST_RPS"
result raw_commit_rps "$RAW_RATE"
result post_invalid "$post_problem"
result load "$LOAD_BEFORE"
result noise "$NOISE"
exit 0
