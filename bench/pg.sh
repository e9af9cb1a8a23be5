#!/usr/bin/env bash
# Inop on PostgreSQL: one run on this machine, see bench/README.md.
#
#   POST /api/v1/events           1 node, 2 nodes  vs  pgbench doing the
#                                 same single-row insert on the same server
#   GET  /api/v1/events?limit=50  1 node, 2 nodes
#
# A throw-away PostgreSQL server comes from tests/pg/with-postgres.sh.  Two
# nodes = two `inop serve` on the one database, each driven by its own wrk
# at the same time (no proxy in front).  Prints a table (req/s, p50, p99)
# and the ratios (with the targets of issue 16 item 1: POST 1 node >= 60 %
# of pgbench, 2 nodes >= 170 % of 1 node), and exits 0 whatever they are;
# non-zero only when the benchmark itself could not run (build failed,
# PostgreSQL or a node did not start, setup refused, ...).
#
# Settings (environment): see bench/lib.sh; here, with two nodes, each of
# the two wrk gets half of BENCH_THREADS and of BENCH_CONNECTIONS;
# BENCH_CONNECTIONS is also the pgbench client count and BENCH_POST_DURATION
# the length of each pgbench run.
set -euo pipefail

BENCH_TAG=bench-pg
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Two nodes: one wrk per node, each with half the threads and connections.
THREADS2=$((THREADS / 2 > 0 ? THREADS / 2 : 1))
CONNS2=$((CONNS / 2 > THREADS2 ? CONNS / 2 : THREADS2))
# Targets of issue 16 item 1 (ratio_row reads TARGET_PCT); the other
# ratios have none.  Item 2 (GET >= 80 % of SQLite's) needs run.sh too:
# bench/all.sh.
POST1_TARGET_PCT=60 POST2_TARGET_PCT=170
# Points of the pgbench reference table: 4 x this many fresh combinations,
# far more than a pgbench run can insert here.
REF_POINTS=50000

check_deps wrk cmake curl python3
build_inop
result_start

WORK=$(mktemp -d "$BUILD/bench-pg.XXXXXX")

# ------------------------------------------------------------- PostgreSQL
pg_start # bench/lib.sh: sets DB_URL, ADMIN_URL, PG_BIN, PSQL
REF_URL=${ADMIN_URL%/postgres}/bench_ref
PGBENCH=$PG_BIN/pgbench
[ -x "$PGBENCH" ] || die "pgbench not found in $PG_BIN"
PG_SETTINGS=$(psql_q "$ADMIN_URL" "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name)
	FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method',
	'shared_buffers', 'max_wal_size', 'commit_delay', 'full_page_writes')")
PG_DATA_FS=$(fs_type /tmp) # with-postgres.sh: /tmp/inop-pg-*

# ------------------------------------------------------ pgbench reference
# A database bench_ref on the same server with inop's own schema: the
# migrations, each in one transaction as inop applies them, so that
# "events" has the server's columns, CHECK, foreign keys and indexes.  Then
# points 1..REF_POINTS and user 1, what the foreign keys of the rows of
# bench/pg_insert.sql need.
psql_q "$ADMIN_URL" "CREATE DATABASE bench_ref" >/dev/null
for sql in "$ROOT"/src/store/sql/pg/[0-9]*.sql; do
	"$PSQL" -X -q -1 -v ON_ERROR_STOP=1 "$REF_URL" -f "$sql" >>"$WORK/pg_schema.log" 2>&1 ||
		{ cat "$WORK/pg_schema.log" >&2; die "cannot create the pgbench tables (${sql#"$ROOT"/})"; }
done
"$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -v points="$REF_POINTS" "$REF_URL" \
	>>"$WORK/pg_schema.log" 2>&1 <<'EOF' || { cat "$WORK/pg_schema.log" >&2; die "cannot fill the pgbench tables"; }
INSERT INTO points (id, code, name, type, channel, region, created_at)
  SELECT i, 'P' || lpad(i::text, 6, '0'), 'Punto ' || i, 'TIENDA', 'PRESENCIAL',
    'LIMA', 0
  FROM generate_series(1, :points) AS i;
INSERT INTO users (id, username, name, email, password_hash, role_mask, created_at)
  VALUES (1, 'jefe', 'Jefe 1', 'jefe@bench.invalid', '-', 1, 0); -- role_mask 1: JEFE
ANALYZE;
EOF

# pgbench_run LABEL: one run of bench/pg_insert.sql on an empty events
# table right after a checkpoint; its result line goes to PGB_RESULT
PGB_CMD="pgbench -n -M prepared -f bench/pg_insert.sql -c $CONNS -j $THREADS -T $POST_DURATION"
pgbench_run() {
	local label=$1 out=$WORK/pgbench-$1.txt rows tx failed
	psql_q "$REF_URL" "SET client_min_messages = warning; TRUNCATE events CASCADE" >/dev/null
	psql_q "$REF_URL" "CHECKPOINT" >/dev/null
	rm -rf "$WORK/pgb-log"
	mkdir -p "$WORK/pgb-log"
	log "pgbench ($label): $PGB_CMD"
	run_fg "$PGBENCH" -n -M prepared -f "$BENCH/pg_insert.sql" -c "$CONNS" \
		-j "$THREADS" -T "$POST_DURATION" -D n=0 -D nclients="$CONNS" \
		-D points="$REF_POINTS" -l --log-prefix="$WORK/pgb-log/tx" \
		"$REF_URL" >"$out" 2>&1 || { cat "$out" >&2; die "pgbench failed"; }
	tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")
	rows=$(psql_q "$REF_URL" "SELECT count(*) FROM events")
	[ -n "$tx" ] || { cat "$out" >&2; die "pgbench printed no result"; }
	# ON CONFLICT DO NOTHING would hide a repeated combination: every
	# transaction must have left its row.
	[ "$rows" = "$tx" ] || die "pgbench: $tx transactions but $rows rows"
	PGB_RESULT=$(python3 - "$out" "$WORK/pgb-log" "$failed" <<-'EOF'
		import os, re, sys
		text = open(sys.argv[1]).read()
		tps = float(re.search(r"^tps = ([0-9.]+) \(without initial", text, re.M).group(1))
		lat = []
		for name in os.listdir(sys.argv[2]):
		    with open(os.path.join(sys.argv[2], name)) as f:
		        for line in f:
		            lat.append(int(line.split()[2]))  # latency, microseconds
		lat.sort()
		pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p / 100))] if lat else 0
		print("BENCH tx=%d rps=%.1f p50_us=%d p99_us=%d failed=%s"
		      % (len(lat), tps, pct(50), pct(99), sys.argv[3] or "?"))
	EOF
	) || die "cannot read the pgbench results"
	log "  $PGB_RESULT"
}

LOAD_BEFORE=$(loadavg)
pgbench_run before
PGB_BEFORE_LINE=$PGB_RESULT

# ------------------------------------------------------------ inop nodes
NODE_DIR=$WORK/inop
log "inop init --db $DB_URL"
inop_init "$NODE_DIR" "$DB_URL"

# start_node NAME: inop serve on a free port; sets NODE_PID and NODE_BASE
start_node() {
	start_inop "$DB_URL" "$NODE_DIR/serve-$1.log" "inop serve ($1)"
	log "node $1: $NODE_BASE (pid $NODE_PID)"
}

if [ "$POINTS_SETTING" = auto ]; then
	# Both POST runs together, each at up to twice the pgbench rate, in
	# points of 4 procedures: 2 x 2 x rate x duration / 4.
	POINTS=$(awk -v r="$(field rps "$PGB_BEFORE_LINE")" -v d="$POST_DURATION" -v c="$CONNS" \
		'BEGIN { p = int(r * d) + 1 + c; print (p < 2500 ? 2500 : p) }')
else
	POINTS=$POINTS_SETTING
fi
COMBOS=$((POINTS * 4))

start_node A
PID_A=$NODE_PID BASE_A=$NODE_BASE
log "inop: creating $POINTS points and JEFE users (not measured)"
inop_setup "$BASE_A" "$NODE_DIR" "$POINTS" "$NODE_DIR/serve-A.log"
ADMIN_TOKEN=$(cat "$NODE_DIR/admin-token")

# wrk_start OUT BASE-URL PATH THREADS CONNS DURATION [wrk args...]: one wrk
# in the background (traps stay live); its pid goes to WRK_PID
wrk_start() {
	local out=$1 url=$2$3 t=$4 c=$5 d=$6
	shift 6
	wrk_bg "$out" -t"$t" -c"$c" -d"$d" --timeout 10s "$@" "$url"
}

# post_env WRK-THREADS BASE TOTAL OFFSET: the environment of
# bench/post_events.lua for the next wrk
post_env() {
	export BENCH_POINTS=$POINTS BENCH_POINTS_PER_USER=$PER_USER \
		BENCH_TOKENS_FILE=$NODE_DIR/tokens BENCH_WRK_THREADS=$1 \
		BENCH_THREAD_BASE=$2 BENCH_TOTAL_THREADS=$3 BENCH_COMBO_OFFSET=$4
}

# ------------------------------------------------------------ POST runs
NEXT_COMBO=0
psql_q "$ADMIN_URL" "CHECKPOINT" >/dev/null
log "POST, 1 node: wrk -t$THREADS -c$CONNS -d${POST_DURATION}s"
post_env "$THREADS" 0 "$THREADS" "$NEXT_COMBO"
wrk_start "$WORK/post1.txt" "$BASE_A" /api/v1/events \
	"$THREADS" "$CONNS" "${POST_DURATION}s" -s "$BENCH/post_events.lua"
wrk_wait "$WRK_PID" "$WORK/post1.txt"
POST1_LINE=$(combine "$WORK/post1.txt")
POST1_STATUS=$(status_sum "$WORK/post1.txt")
NEXT_COMBO=$(next_max "$WORK/post1.txt")
log "  $POST1_LINE"
log "  $POST1_STATUS; next combination $NEXT_COMBO of $COMBOS"

start_node B
PID_B=$NODE_PID BASE_B=$NODE_BASE
psql_q "$ADMIN_URL" "CHECKPOINT" >/dev/null
log "POST, 2 nodes: wrk -t$THREADS2 -c$CONNS2 -d${POST_DURATION}s on each node at once"
post_env "$THREADS2" 0 $((2 * THREADS2)) "$NEXT_COMBO"
wrk_start "$WORK/post2a.txt" "$BASE_A" /api/v1/events \
	"$THREADS2" "$CONNS2" "${POST_DURATION}s" -s "$BENCH/post_events.lua"
WRK_A=$WRK_PID
post_env "$THREADS2" "$THREADS2" $((2 * THREADS2)) "$NEXT_COMBO"
wrk_start "$WORK/post2b.txt" "$BASE_B" /api/v1/events \
	"$THREADS2" "$CONNS2" "${POST_DURATION}s" -s "$BENCH/post_events.lua"
WRK_B=$WRK_PID
wrk_wait "$WRK_A" "$WORK/post2a.txt"
wrk_wait "$WRK_B" "$WORK/post2b.txt"
POST2_LINE=$(combine "$WORK/post2a.txt" "$WORK/post2b.txt")
POST2A_LINE=$(bench_line "$WORK/post2a.txt")
POST2B_LINE=$(bench_line "$WORK/post2b.txt")
POST2_STATUS=$(status_sum "$WORK/post2a.txt" "$WORK/post2b.txt")
POST_SAMPLE=$(sample_of "$WORK/post1.txt" "$WORK/post2a.txt" "$WORK/post2b.txt")
NEXT_COMBO=$(next_max "$WORK/post2a.txt" "$WORK/post2b.txt")
log "  $POST2_LINE"
log "  $POST2_STATUS; next combination $NEXT_COMBO of $COMBOS"

# The fsync rate drifts with whatever else the machine does: the
# reference is the mean of a pgbench run before and one right after the
# POST runs (the nodes sit idle meanwhile).
LOAD_AFTER=$(loadavg)
pgbench_run after
PGB_AFTER_LINE=$PGB_RESULT
PGB_RATE=$(mean "$(field rps "$PGB_BEFORE_LINE")" "$(field rps "$PGB_AFTER_LINE")")

# ------------------------------------------------------------- GET runs
for node in A B; do
	base=BASE_$node
	get_events50 "${!base}" "$ADMIN_TOKEN" "$WORK/events-$node.json" "$node"
done
GET_BYTES=$(stat -c %s "$WORK/events-A.json")
GET_ARGS=(-H "Authorization: Bearer $ADMIN_TOKEN" -s "$BENCH/get_report.lua")

log "GET, 1 node: warm-up 2s, then wrk -t$THREADS -c$CONNS -d${GET_DURATION}s (node B idle)"
wrk_start "$WORK/get1-warm.txt" "$BASE_A" "$GET_PATH" "$THREADS" "$CONNS" 2s "${GET_ARGS[@]}"
wrk_wait "$WRK_PID" "$WORK/get1-warm.txt"
wrk_start "$WORK/get1.txt" "$BASE_A" "$GET_PATH" "$THREADS" "$CONNS" "${GET_DURATION}s" "${GET_ARGS[@]}"
wrk_wait "$WRK_PID" "$WORK/get1.txt"
GET1_LINE=$(combine "$WORK/get1.txt")
log "  $GET1_LINE"

log "GET, 2 nodes: warm-up 2s, then wrk -t$THREADS2 -c$CONNS2 -d${GET_DURATION}s on each node at once"
for phase in warm run; do
	d=2s
	[ "$phase" = run ] && d=${GET_DURATION}s
	wrk_start "$WORK/get2a-$phase.txt" "$BASE_A" "$GET_PATH" "$THREADS2" "$CONNS2" "$d" "${GET_ARGS[@]}"
	WRK_A=$WRK_PID
	wrk_start "$WORK/get2b-$phase.txt" "$BASE_B" "$GET_PATH" "$THREADS2" "$CONNS2" "$d" "${GET_ARGS[@]}"
	WRK_B=$WRK_PID
	wrk_wait "$WRK_A" "$WORK/get2a-$phase.txt"
	wrk_wait "$WRK_B" "$WORK/get2b-$phase.txt"
done
GET2_LINE=$(combine "$WORK/get2a-run.txt" "$WORK/get2b-run.txt")
GET2A_LINE=$(bench_line "$WORK/get2a-run.txt")
GET2B_LINE=$(bench_line "$WORK/get2b-run.txt")
log "  $GET2_LINE"

stop_pid "$PID_B"
stop_pid "$PID_A"

# ------------------------------------------------------------------ report
ROW_LABEL_W=50 ROW_RATE_W=9
errs() { # LINE of one wrk run: its error count
	awk -v l="$1" 'BEGIN { n = split(l, f, " "); s = 0
		for (i = 2; i <= n; i++) { split(f[i], kv, "=")
			if (kv[1] ~ /^(non2xx|connect_errors|read_errors|write_errors|timeouts|errors)$/) s += kv[2] }
		print s }'
}
post_problem() { # STATUS-LINE LINE
	local s409 other e
	s409=$(field s409 "$1") other=$(field other "$1") e=$(errs "$2")
	if [ "$s409" != 0 ] || [ "$other" != 0 ] || [ "$e" != 0 ]; then
		echo "$s409 x 409, $other other non-201, $e wrk errors"
	fi
}
get_problem() { # LINE
	[ "$(errs "$1")" = 0 ] || echo "$(errs "$1") non-2xx or socket errors"
}

POST1_PROBLEM=$(post_problem "$POST1_STATUS" "$POST1_LINE")
POST2_PROBLEM=$(post_problem "$POST2_STATUS" "$POST2_LINE")
GET1_PROBLEM=$(get_problem "$GET1_LINE")
GET2_PROBLEM=$(get_problem "$GET2_LINE")
PGB_FAILED=$(($(field failed "$PGB_BEFORE_LINE") + $(field failed "$PGB_AFTER_LINE")))
PGB_PROBLEM=
[ "$PGB_FAILED" = 0 ] || PGB_PROBLEM="$PGB_FAILED failed pgbench transactions"

noise "pgbench tx/s" "$(field rps "$PGB_BEFORE_LINE")" "$(field rps "$PGB_AFTER_LINE")" \
	"POST ratios are"
if [ -n "$POST1_PROBLEM$POST2_PROBLEM" ] && [ "$NEXT_COMBO" -ge "$COMBOS" ]; then
	NOISE+="${NOISE:+; }the POST runs used up the $COMBOS combinations: set BENCH_POINTS higher"
fi

{
	echo
	echo "Inop on PostgreSQL benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(machine), PostgreSQL data on $PG_DATA_FS"
	echo "PostgreSQL: $PG_SETTINGS"
	echo "1 node: wrk -t$THREADS -c$CONNS; 2 nodes: wrk -t$THREADS2 -c$CONNS2 on each node at once (no proxy);" \
		"GET ${GET_DURATION}s, POST ${POST_DURATION}s"
	echo "reference: $PGB_CMD (database bench_ref, same server)"
	echo "GET answer $GET_BYTES bytes; $POINTS points x 4 procedures; inop threads per node: default"
	echo "versions: $(wrk_version), $("$PG_BIN/postgres" --version), $(inop_version)"
	echo
	row_header
	row "POST /api/v1/events            1 node" "$POST1_LINE"
	row "POST /api/v1/events            2 nodes (sum)*" "$POST2_LINE"
	row "                                 node A" "$POST2A_LINE"
	row "                                 node B" "$POST2B_LINE"
	row "pgbench insert, $CONNS clients, before" "$PGB_BEFORE_LINE"
	row "pgbench insert, $CONNS clients, after" "$PGB_AFTER_LINE"
	row "GET  /api/v1/events?limit=50   1 node" "$GET1_LINE"
	row "GET  /api/v1/events?limit=50   2 nodes (sum)*" "$GET2_LINE"
	row "                                 node A" "$GET2A_LINE"
	row "                                 node B" "$GET2B_LINE"
	echo "* req/s added; p50 and p99 of the worse node"
	echo
	echo "POST answers: 1 node $(field s201 "$POST1_STATUS") x 201, $(field s409 "$POST1_STATUS") x 409," \
		"$(field other "$POST1_STATUS") other; 2 nodes $(field s201 "$POST2_STATUS") x 201," \
		"$(field s409 "$POST2_STATUS") x 409, $(field other "$POST2_STATUS") other${POST_SAMPLE:+ (first: $POST_SAMPLE)}"
	echo "pgbench reference: $PGB_RATE tx/s = mean of before and after;" \
		"$(field tx "$PGB_BEFORE_LINE") + $(field tx "$PGB_AFTER_LINE") transactions, $PGB_FAILED failed"
	echo "load average before the first pgbench run: $LOAD_BEFORE; after the POST runs: $LOAD_AFTER"
	[ -n "$NOISE" ] && echo "WARNING: $NOISE"
	echo
	TARGET_PCT=$POST1_TARGET_PCT ratio_row "POST 1 node  / pgbench" "$(field rps "$POST1_LINE")" \
		"$PGB_RATE" "$POST1_PROBLEM$PGB_PROBLEM"
	ratio_row "POST 2 nodes / pgbench" "$(field rps "$POST2_LINE")" "$PGB_RATE" "$POST2_PROBLEM$PGB_PROBLEM"
	TARGET_PCT=$POST2_TARGET_PCT ratio_row "POST 2 nodes / 1 node" "$(field rps "$POST2_LINE")" \
		"$(field rps "$POST1_LINE")" "$POST1_PROBLEM$POST2_PROBLEM"
	ratio_row "GET  2 nodes / 1 node" "$(field rps "$GET2_LINE")" "$(field rps "$GET1_LINE")" \
		"$GET1_PROBLEM$GET2_PROBLEM"
	echo
} | save_table bench-pg
result post1_rps "$(field rps "$POST1_LINE")"
result post1_invalid "$POST1_PROBLEM$PGB_PROBLEM"
result post2_rps "$(field rps "$POST2_LINE")"
result post2_invalid "$POST2_PROBLEM$PGB_PROBLEM"
result post12_invalid "$POST1_PROBLEM$POST2_PROBLEM"
result pgbench_rps "$PGB_RATE"
result get1_rps "$(field rps "$GET1_LINE")"
result get1_p99_ms "$(ms "$(field p99_us "$GET1_LINE")")"
result get1_invalid "$GET1_PROBLEM"
result get2_rps "$(field rps "$GET2_LINE")"
result get2_invalid "$GET2_PROBLEM"
result load "$LOAD_BEFORE"
result noise "$NOISE"
exit 0
