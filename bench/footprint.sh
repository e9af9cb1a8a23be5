#!/usr/bin/env bash
# Footprint of one `inop serve` (issue 16 item 7), one run on this machine,
# see bench/README.md:
#
#   cold start   exec of `inop serve` to the first 200 from /healthz,
#                median of BENCH_COLD_STARTS (10) starts; target < 50 ms
#   idle RSS     VmRSS after the start and a few requests; target < 20 MB
#   RSS under the GET benchmark: the peak RSS of the server while wrk runs
#                GET /api/v1/events?limit=50 (BENCH_DURATION s,
#                BENCH_CONNECTIONS connections): the larger of VmHWM at the
#                end and VmRSS sampled every 0.1 s; target < 30 MB
# MB here are MiB (1024 kB, the kB of /proc/PID/status); the kB are printed
# too.
#
# All on one SQLite database prepared beforehand (not measured): 600 points,
# their JEFE users and 2,400 open events (600 x 4 procedures, registered by
# bench/burst.py), i.e. the size of a national rollout's register during a
# mass failure.  The server runs with its defaults (a serving thread per
# CPU, 16 work threads) plus the per-address limit raised for wrk.  Prints a table (also saved to
# bench/results/footprint-*.txt); exits 0 whatever the numbers, non-zero
# only when it could not measure.
#
# Settings (environment): those of bench/lib.sh (BENCH_THREADS,
# BENCH_CONNECTIONS, BENCH_DURATION, BENCH_INOP, BENCH_KEEP, BENCH_OUT),
# plus BENCH_COLD_STARTS=10 and BENCH_FOOTPRINT_POINTS=600.
set -euo pipefail

BENCH_TAG=footprint
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STARTS=${BENCH_COLD_STARTS:-10}
FP_POINTS=${BENCH_FOOTPRINT_POINTS:-600}
PER_USER=$FP_POINTS # one JEFE user owns every point
COLD_TARGET_MS=50
IDLE_TARGET_MB=20
GET_TARGET_MB=30

check_deps wrk cmake curl python3
build_inop
result_start
WORK=$(mktemp -d "$BUILD/bench-footprint.XXXXXX")
DB=$WORK/inop.db
LOAD_BEFORE=$(loadavg)

# ------------------------------------------------------ the database
log "preparing the database: $FP_POINTS points, a JEFE user, $((FP_POINTS * 4)) events (not measured)"
inop_init "$WORK" "$DB"
start_inop "$DB" "$WORK/setup.log" "inop serve (setup)"
inop_setup "$NODE_BASE" "$WORK" "$FP_POINTS" "$WORK/setup.log"
run_fg python3 "$BENCH/burst.py" burst --base "$NODE_BASE" --tokens "$WORK/tokens" \
	--admin-token "$WORK/admin-token" --points "$FP_POINTS" --per-user "$PER_USER" \
	--clients 8 >"$WORK/events.txt" || { cat "$WORK/events.txt" >&2; die "registering the events failed"; }
stop_pid "$NODE_PID"
ADMIN_TOKEN=$(cat "$WORK/admin-token")
DB_MB=$(du -sm "$DB" | cut -f 1)

# ------------------------------------------------------- cold start
log "cold start: $STARTS starts of inop serve, each to its first /healthz 200"
run_fg python3 "$BENCH/footprint.py" --inop "$INOP" --db "$DB" --starts "$STARTS" \
	--log "$WORK/cold.log" >"$WORK/cold.txt" || { cat "$WORK/cold.txt" >&2; die "cold start failed"; }
COLD_LINE=$(grep '^COLD ' "$WORK/cold.txt") || die "footprint.py printed no result"
log "  $COLD_LINE"

# ------------------------------------------------------------- RSS
status_kb() { # PID KEY: the value (kB) of KEY in /proc/PID/status
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; } # kB -> MiB

start_inop "$DB" "$WORK/serve.log" "inop serve"
PID=$NODE_PID
log "idle RSS: a few requests, then 1 s idle"
for path in /healthz /api/v1/catalog /api/v1/points "$GET_PATH" "$GET_PATH" \
	"/api/v1/events?status=OPEN&limit=10" /api/v1/mass-failures; do
	curl -fsS -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" "$NODE_BASE$path" ||
		die "GET $path failed"
done
sleep 1
IDLE_KB=$(status_kb "$PID" VmRSS)
IDLE_HWM_KB=$(status_kb "$PID" VmHWM)
THREADS_N=$(status_kb "$PID" Threads)
log "  VmRSS $IDLE_KB kB, VmHWM $IDLE_HWM_KB kB, $THREADS_N threads"

get_events50 "$NODE_BASE" "$ADMIN_TOKEN" "$WORK/events.json"
log "RSS under GET $GET_PATH: wrk -t$THREADS -c$CONNS -d${GET_DURATION}s, VmRSS sampled every 0.1 s"
wrk_bg "$WORK/wrk-get.txt" -t"$THREADS" -c"$CONNS" -d"${GET_DURATION}s" \
	-H "Authorization: Bearer $ADMIN_TOKEN" -s "$BENCH/get_report.lua" "$NODE_BASE$GET_PATH"
MAX_KB=0
while ! gone "$WRK_PID"; do
	kb=$(status_kb "$PID" VmRSS)
	[ "${kb:-0}" -gt "$MAX_KB" ] && MAX_KB=$kb
	sleep 0.1
done
wrk_wait "$WRK_PID" "$WORK/wrk-get.txt"
GET_LINE=$(bench_line "$WORK/wrk-get.txt")
GET_HWM_KB=$(status_kb "$PID" VmHWM)
AFTER_KB=$(status_kb "$PID" VmRSS)
log "  $GET_LINE"
log "  VmHWM $GET_HWM_KB kB, VmRSS sampled max $MAX_KB kB, after $AFTER_KB kB"
stop_pid "$PID"

# ------------------------------------------------------------------ report
get_problem=
for k in non2xx connect_errors read_errors write_errors timeouts; do
	[ "$(field "$k" "$GET_LINE")" = 0 ] || get_problem="wrk: errors or non-2xx during the GET run"
done
verdict() { # MEASURED TARGET [INVALID-REASON]: PASS when MEASURED < TARGET
	if [ -n "${3:-}" ]; then
		echo "INVALID ($3)"
	elif gt "$2" "$1"; then
		echo PASS
	else
		echo BELOW
	fi
}
COLD_MS=$(field median_ms "$COLD_LINE")
IDLE_MB=$(mb "$IDLE_KB")
# VmHWM is kept by the kernel from counters that may lag behind VmRSS
# read a moment earlier: the peak is the larger of the two.
PEAK_KB=$((GET_HWM_KB > MAX_KB ? GET_HWM_KB : MAX_KB))
GET_MB=$(mb "$PEAK_KB")
noise "" 0 0 ""
{
	echo
	echo "Inop footprint benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(machine), work dir on $(fs_type "$WORK")"
	echo "database: SQLite, $FP_POINTS points, 1 JEFE user, $((FP_POINTS * 4)) open events ($DB_MB MB);" \
		"inop serve with its defaults ($THREADS_N threads in all when idle)"
	echo "versions: $(wrk_version), $(inop_version)"
	echo "load average at the start: $LOAD_BEFORE"
	[ -n "$NOISE" ] && echo "WARNING: $NOISE"
	echo
	printf '%-44s %9s ms   target < %s ms   %s\n' "cold start to /healthz 200, median of $STARTS" \
		"$COLD_MS" "$COLD_TARGET_MS" "$(verdict "$COLD_MS" "$COLD_TARGET_MS")"
	echo "    min $(field min_ms "$COLD_LINE") ms, max $(field max_ms "$COLD_LINE") ms (page cache warm)"
	printf '%-44s %9s MB   target < %s MB   %s\n' "idle RSS (VmRSS)" \
		"$IDLE_MB" "$IDLE_TARGET_MB" "$(verdict "$IDLE_MB" "$IDLE_TARGET_MB")"
	echo "    VmRSS $IDLE_KB kB (VmHWM $IDLE_HWM_KB kB so far)"
	printf '%-44s %9s MB   target < %s MB   %s\n' "RSS under the GET benchmark (peak)" \
		"$GET_MB" "$GET_TARGET_MB" "$(verdict "$GET_MB" "$GET_TARGET_MB" "$get_problem")"
	echo "    VmHWM $GET_HWM_KB kB, VmRSS sampled max $MAX_KB kB, $AFTER_KB kB after;" \
		"wrk -t$THREADS -c$CONNS -d${GET_DURATION}s GET $GET_PATH: $(field rps "$GET_LINE") req/s"
	echo "    MB = MiB (1024 kB)"
	echo
} | save_table footprint
result points "$FP_POINTS"
result starts "$STARTS"
result cold_ms "$COLD_MS"
result idle_rss_mb "$IDLE_MB"
result get_rss_mb "$GET_MB"
result get_rss_invalid "$get_problem"
result get_rps "$(field rps "$GET_LINE")"
result load "$LOAD_BEFORE"
result noise "$NOISE"
exit 0
