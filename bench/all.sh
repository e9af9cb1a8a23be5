#!/usr/bin/env bash
# Every benchmark behind the targets of issue 16, one after the other, and
# ONE table of all the targets: measured, reference, ratio, target, verdict
# (PASS, BELOW, INVALID, or NOT RUN when its benchmark was not selected).
# See bench/README.md.
#
#   bench/all.sh                      # run pg reports burst footprint
#   bench/all.sh burst footprint      # a subset, in the order given
#
#   run        bench/run.sh        items 3, 4 (and 2 with pg)
#   pg         bench/pg.sh         items 1 (and 2 with run)
#   reports    bench/reports.sh    item 6
#   burst      bench/burst.sh      item 5 (the burst and M3, SQLite and PG)
#   footprint  bench/footprint.sh  item 7
#
# inop is built once (Release, build-bench/, or BENCH_INOP) and every
# script gets it through BENCH_INOP; each writes its numbers as KEY=VALUE
# lines into BENCH_OUT = bench/results/all-<UTC time>/, where its full
# output (NAME.log) stays too; the table is printed and saved as
# bench/results/all-<UTC time>.txt (git-ignored).  The settings of the
# scripts (BENCH_DURATION, BENCH_POST_DURATION, ...) pass through, plus
# BENCH_REPORT_EVENTS (10000), the events of the report of reports.sh.
#
# Exits 0 whatever the verdicts; non-zero only when it could not run at all
# (unknown benchmark name, build failed).  A script that fails makes its
# rows INVALID and the others still run.
set -euo pipefail

BENCH_TAG=all
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The children are scripts that stop servers of their own on SIGTERM
# (pg.sh waits for PostgreSQL): give them up to 2 minutes.
REAP_TRIES=1200
ALL_BENCHES=(run pg reports burst footprint)
REPORT_EVENTS=${BENCH_REPORT_EVENTS:-10000}

SELECTED=("$@")
[ ${#SELECTED[@]} -gt 0 ] || SELECTED=("${ALL_BENCHES[@]}")
for b in "${SELECTED[@]}"; do
	case " ${ALL_BENCHES[*]} " in
	*" $b "*) ;;
	*) die "unknown benchmark '$b' (choose among: ${ALL_BENCHES[*]})" ;;
	esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$BENCH/results/all-$STAMP # git-ignored
mkdir -p "$OUT"
export BENCH_OUT=$OUT
LOAD_BEFORE=$(loadavg)
noise "" 0 0 ""
LOAD_NOISE=$NOISE
check_deps cmake curl python3
build_inop
# INOP_TEST_DEPS=1 installed every package above: not once more per script.
export BENCH_INOP=$INOP BENCH_BUILD_DIR=$BUILD INOP_TEST_DEPS=0

declare -A RC SECS
for b in "${SELECTED[@]}"; do
	args=()
	[ "$b" = reports ] && args=("$REPORT_EVENTS")
	log "bench/$b.sh${args[*]:+ ${args[*]}} (output: ${OUT#"$ROOT"/}/$b.log)"
	t0=$(date +%s)
	rc=0
	run_fg bash "$BENCH/$b.sh" "${args[@]+"${args[@]}"}" >"$OUT/$b.log" 2>&1 || rc=$?
	RC[$b]=$rc
	SECS[$b]=$(($(date +%s) - t0))
	log "  exit $rc after ${SECS[$b]} s"
	[ "$rc" = 0 ] || tail -n 5 "$OUT/$b.log" | sed "s/^/[$BENCH_TAG]   | /" >&2
done
LOAD_AFTER=$(loadavg)

# ------------------------------------------------------------ reading
# RESULTS FILE of each script: bench tag -> file
declare -A TAGFILE=([run]=bench [pg]=bench-pg [reports]=reports [burst]=burst [footprint]=footprint)
# val BENCH KEY: the last value of KEY written by BENCH (empty if none)
val() {
	local f=$OUT/${TAGFILE[$1]}.txt
	[ -f "$f" ] || return 0
	sed -n "s/^$2=//p" "$f" | tail -n 1
}
has() { [ -f "$OUT/${TAGFILE[$1]}.txt" ] && grep -q "^$2=" "$OUT/${TAGFILE[$1]}.txt"; }
selected() { case " ${SELECTED[*]} " in *" $1 "*) return 0 ;; esac; return 1; }

# why_not BENCH [KEY...]: why the rows of BENCH cannot be judged (empty:
# they can): not selected, the script failed, or a KEY is missing
why_not() {
	local b=$1 k
	shift
	selected "$b" || { echo "NOT RUN"; return; }
	[ "${RC[$b]}" = 0 ] || { echo "bench/$b.sh failed (exit ${RC[$b]}), see ${OUT#"$ROOT"/}/$b.log"; return; }
	for k in "$@"; do
		has "$b" "$k" || { echo "bench/$b.sh wrote no $k"; return; }
	done
}

# ------------------------------------------------------------- rows
NOTES=()
TABLE=
fmt_num() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, v }'; }
# emit ITEM LABEL MEASURED REFERENCE RATIO TARGET VERDICT [NOTE]: one row;
# a NOTE (why INVALID) becomes a numbered footnote
emit() {
	local verdict=$7 i n=0
	if [ -n "${8:-}" ]; then
		for i in "${!NOTES[@]}"; do # the same reason: the same footnote
			[ "${NOTES[$i]}" != "$8" ] || n=$((i + 1))
		done
		if [ "$n" = 0 ]; then
			NOTES+=("$8")
			n=${#NOTES[@]}
		fi
		verdict="$verdict [$n]"
	fi
	TABLE+=$(printf '%-4s %-40s %15s %22s %9s %11s  %s' "$1" "$2" "$3" "$4" "$5" "$6" "$verdict")
	TABLE+=$'\n'
}
# skip_or_invalid ITEM LABEL TARGET REASON: the row of a measurement that
# cannot be judged
skip_or_invalid() {
	if [ "$4" = "NOT RUN" ]; then
		emit "$1" "$2" - - - "$3" "NOT RUN"
	else
		emit "$1" "$2" - - - "$3" INVALID "$4"
	fi
}
# ratio_item ITEM LABEL NUM NUM-UNIT DEN DEN-UNIT TARGET-PCT WHY-NOT INVALID
# NUM / DEN in %, PASS when >= TARGET-PCT
ratio_item() {
	local p verdict
	if [ -n "$8" ]; then
		skip_or_invalid "$1" "$2" ">= $7 %" "$8"
		return
	fi
	p=$(pct "$3" "$5")
	if [ -n "$9" ]; then
		verdict=INVALID
	elif awk -v p="$p" -v t="$7" 'BEGIN { exit !(p >= t) }'; then
		verdict=PASS
	else
		verdict=BELOW
	fi
	emit "$1" "$2" "$(fmt_num "$3") $4" "$(fmt_num "$5") $6" "$p %" ">= $7 %" "$verdict" "$9"
}
# limit_item ITEM LABEL VALUE UNIT REFERENCE TARGET WHY-NOT INVALID:
# PASS when VALUE < TARGET
limit_item() {
	local verdict
	if [ -n "$7" ]; then
		skip_or_invalid "$1" "$2" "< $6 $4" "$7"
		return
	fi
	if [ -n "$8" ]; then
		verdict=INVALID
	elif gt "$6" "$3"; then
		verdict=PASS
	else
		verdict=BELOW
	fi
	emit "$1" "$2" "$3 $4" "$5" - "< $6 $4" "$verdict" "$8"
}

# 1. PostgreSQL POST
W=$(why_not pg post1_rps pgbench_rps post2_rps)
ratio_item 1 "PG POST, 1 node / pgbench" "$(val pg post1_rps)" req/s \
	"$(val pg pgbench_rps)" "tx/s pgbench" 60 "$W" "$(val pg post1_invalid)"
ratio_item 1 "PG POST, 2 nodes / 1 node" "$(val pg post2_rps)" req/s \
	"$(val pg post1_rps)" "req/s 1 node" 170 "$W" "$(val pg post12_invalid)"
# 2. PostgreSQL GET against SQLite GET (two scripts)
W=$(why_not pg get1_rps)
[ -n "$W" ] || W=$(why_not run get_rps)
inv=$(val pg get1_invalid)
[ -z "$(val run get_invalid)" ] || inv+="${inv:+; }SQLite GET: $(val run get_invalid)"
ratio_item 2 "PG GET / SQLite GET (1 node each)" "$(val pg get1_rps)" req/s \
	"$(val run get_rps)" "req/s SQLite" 80 "$W" "$inv"
# 3. SQLite POST
W=$(why_not run post_rps raw_commit_rps)
ratio_item 3 "SQLite POST / raw SQLite commits" "$(val run post_rps)" req/s \
	"$(val run raw_commit_rps)" "commits/s" 150 "$W" "$(val run post_invalid)"
# 4. SQLite GET against nginx
W=$(why_not run get_rps nginx_rps get_p99_ms nginx_p99_ms)
ratio_item 4 "SQLite GET / nginx, req/s" "$(val run get_rps)" req/s \
	"$(val run nginx_rps)" "req/s nginx" 90 "$W" "$(val run get_invalid)"
if [ -n "$W" ]; then
	skip_or_invalid 4 "SQLite GET p99 / nginx p99" "<= 2 x" "$W"
else
	x=$(awk -v a="$(val run get_p99_ms)" -v b="$(val run nginx_p99_ms)" \
		'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	inv=$(val run get_invalid)
	if [ -n "$inv" ]; then
		verdict=INVALID
	elif awk -v x="$x" 'BEGIN { exit !(x <= 2) }'; then
		verdict=PASS
	else
		verdict=BELOW
	fi
	emit 4 "SQLite GET p99 / nginx p99" "$(val run get_p99_ms) ms" \
		"$(val run nginx_p99_ms) ms nginx" "$x x" "<= 2 x" "$verdict" "$inv"
fi
# 5. The burst and M3
REGS=$(val burst registrations)
REGS=${REGS:-2400}
REGS=$(awk -v n="$REGS" 'BEGIN { printf "%d,%03d", n / 1000, n % 1000 }' | sed 's/^0,0*//')
for store in sqlite pg; do
	case $store in sqlite) name=SQLite ;; *) name="PG 1 node" ;; esac
	for mode in burst m3; do
		if [ "$mode" = burst ]; then
			label="burst $REGS registrations, $name" target=2
		else
			label="M3 closure of $REGS events, $name" target=1
		fi
		W=$(why_not burst "${store}_${mode}_s")
		# burst.sh ran, but not this store or mode (BENCH_BURST_STORES,
		# BENCH_BURST_MODES)
		case $W in "bench/burst.sh wrote no"*) W="NOT RUN" ;; esac
		limit_item 5 "$label" "$(val burst "${store}_${mode}_s")" s - "$target" "$W" \
			"$(val burst "${store}_${mode}_invalid")"
	done
done
# 6. Reports
W=$(why_not reports pdf_s freeze_s)
limit_item 6 "PDF export of $REPORT_EVENTS events (HTTP)" "$(val reports pdf_s)" s \
	"$(val reports pdf_inproc_s) s in-process" 0.5 "$W" "$(val reports invalid)"
limit_item 6 "freeze of $REPORT_EVENTS events (HTTP)" "$(val reports freeze_s)" s \
	"$(val reports freeze_inproc_s) s in-process" 0.3 "$W" "$(val reports invalid)"
# 7. Footprint
W=$(why_not footprint cold_ms idle_rss_mb get_rss_mb)
limit_item 7 "cold start to /healthz 200 (median)" "$(val footprint cold_ms)" ms - 50 "$W" ""
limit_item 7 "idle RSS" "$(val footprint idle_rss_mb)" MB - 20 "$W" ""
limit_item 7 "RSS under the GET benchmark (peak)" "$(val footprint get_rss_mb)" MB - 30 "$W" \
	"$(val footprint get_rss_invalid)"

# ------------------------------------------------------------- report
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || commit+=" (src/ modified)"
{
	echo
	echo "Inop benchmarks of issue 16  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(machine); commit $commit; $(inop_version)"
	echo "settings: wrk -t$THREADS -c$CONNS, GET ${GET_DURATION}s, POST ${POST_DURATION}s;" \
		"report of $REPORT_EVENTS events; KEY=VALUE results and logs in ${OUT#"$ROOT"/}/"
	for b in "${SELECTED[@]}"; do
		printf '  bench/%s.sh: exit %s, %s s\n' "$b" "${RC[$b]}" "${SECS[$b]}"
	done
	echo "load average at the start: $LOAD_BEFORE; at the end: $LOAD_AFTER"
	[ -z "$LOAD_NOISE" ] || echo "NOISE: $LOAD_NOISE"
	for b in "${SELECTED[@]}"; do
		n=$(val "$b" noise)
		[ -z "$n" ] || echo "NOISE (bench/$b.sh): $n"
	done
	echo
	printf '%-4s %-40s %15s %22s %9s %11s  %s\n' item measure measured reference ratio target verdict
	printf '%s' "$TABLE"
	for i in "${!NOTES[@]}"; do
		echo "[$((i + 1))] ${NOTES[$i]}"
	done
	echo
	echo "The reference of each ratio is measured in the same run: pgbench on the same PostgreSQL server"
	echo "(1); the SQLite GET of run.sh, same build and wrk settings (2); bench/sqlite_commit.c (3); nginx"
	echo "serving the same bytes (4).  5-7 are absolute times and sizes (MB = MiB); their reference"
	echo "column is for information."
	if has burst clients; then
		echo "5: $(val burst clients) clients (bench/burst.py), inop serve --work_threads" \
			"$(val burst serve_threads), each measurement on a fresh database."
	fi
	if has footprint points; then
		echo "7: SQLite database with $(val footprint points) points and 4 x as many open events," \
			"inop serve with its defaults; cold start = median of $(val footprint starts) starts."
	fi
	echo
} | tee "$BENCH/results/all-$STAMP.txt"
log "table saved to bench/results/all-$STAMP.txt"
exit 0
