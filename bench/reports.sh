#!/usr/bin/env bash
# Times building, freezing and exporting one official report of 10,000
# events (SPEC O1-O4); targets of issue 16 item 6: the PDF export < 0.5 s,
# the freeze < 0.3 s, both as a user waits for them (through HTTP).
#
#   bench/reports.sh [EVENTS]        # default 10000
#
# 1. Builds `inop` and `report_bench` (Release) into build-bench/.
# 2. report_bench makes a fresh SQLite database with EVENTS closed events
#    over 600 in-person points, each with a PROCEDE ruling of Procesos (so
#    every one enters the report), and times, in-process: choosing the
#    events (O1), freezing the report (rows + snapshot + SHA-256, O2), and
#    for each format reading the frozen rows back and rendering them (O4).
# 3. Serves that database with `inop serve` and times the same work
#    through HTTP with curl: sending the report back to draft, building a
#    report, sending it to review (the freeze), and GET .../export for
#    xlsx, pdf and csv; then BENCH_REPORT_REPEAT - 1 more rounds of send
#    back, freeze and the three exports.  The medians are compared with the
#    targets.
#
# Prints a table (also saved to bench/results/reports-*.txt, git-ignored).
# Exits 0 whatever the times; non-zero only when it could not measure.  A
# report that did not take all EVENTS events is INVALID.
#
# Settings (environment): those of bench/lib.sh (BENCH_BUILD_DIR,
# BENCH_INOP, BENCH_KEEP, BENCH_OUT), plus BENCH_REPORT_REPEAT=3.
set -euo pipefail

BENCH_TAG=reports
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${1:-10000}
REPEAT=${BENCH_REPORT_REPEAT:-3}
PASSWORD=bench-password-2026 # report_bench's user "control"
PDF_TARGET_S=0.5
FREEZE_TARGET_S=0.3

check_deps cmake curl python3
build_inop
log "building report_bench (Release) in $BUILD"
cmake -B "$BUILD" -S "$ROOT" -DCMAKE_BUILD_TYPE=Release >"$BUILD/bench-cmake.log" 2>&1 ||
	{ tail -n 30 "$BUILD/bench-cmake.log" >&2; die "cmake configure failed"; }
cmake --build "$BUILD" -j"$(nproc)" --target report_bench >"$BUILD/bench-build.log" 2>&1 ||
	{ tail -n 30 "$BUILD/bench-build.log" >&2; die "build of report_bench failed"; }
result_start
WORK=$(mktemp -d "$BUILD/reports-run.XXXXXX")
LOAD_BEFORE=$(loadavg)

log "in-process: report_bench -n $N"
run_fg "$BUILD/report_bench" -n "$N" -d "$WORK" >"$WORK/inproc.txt" 2>"$WORK/inproc.log" ||
	{ cat "$WORK/inproc.log" >&2; die "report_bench failed"; }
grep -q '^REPORT_ID ' "$WORK/inproc.txt" || die "report_bench printed no report"
CHOSEN=$(sed -n 's/^build *\([0-9]*\) events chosen.*/\1/p' "$WORK/inproc.txt")
INVALID=
[ "$CHOSEN" = "$N" ] || INVALID="the report took ${CHOSEN:-no} events of $N"
# the seconds of the line starting with WHAT: the number before the last " s"
inproc_s() { sed -n "s/^$1.* \([0-9.]*\) s\( (.*)\)\{0,1\}\$/\1/p" "$WORK/inproc.txt" | head -n 1; }
FREEZE_INPROC=$(inproc_s freeze)
PDF_INPROC=$(inproc_s 'export pdf')

start_inop "$WORK/report-bench.db" "$WORK/serve.log" "inop serve"
API=$NODE_BASE/api/v1
TOKEN=$(curl -fsS -H 'Content-Type: application/json' \
	-d "{\"username\":\"control\",\"password\":\"$PASSWORD\"}" "$API/session" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') ||
	die "cannot log in"

# time_request NAME METHOD PATH [BODY]: one request; a line with its time
# and size to $WORK/http.txt, the seconds to SECS
time_request() {
	local name=$1 method=$2 path=$3 body=${4:-} code size
	local args=(-s -o "$WORK/out" -w '%{http_code} %{time_total} %{size_download}\n'
		-X "$method" -H "Authorization: Bearer $TOKEN")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
	read -r code SECS size < <(curl "${args[@]}" "$API$path")
	case $code in 2*) ;; *) die "$name: HTTP $code $(head -c 300 "$WORK/out")" ;; esac
	printf '%-34s %7.3f s  %9d bytes\n' "$name" "$SECS" "$size" | tee -a "$WORK/http.txt" >&2
	printf '%s %s\n' "$name" "$SECS" >>"$WORK/times.txt"
}
median_of() { # NAME: the median seconds of the requests called NAME
	awk -v n="$1" '{ t = $NF; $NF = ""; sub(/ $/, "") } $0 == n { v[++k] = t }
		END { if (!k) exit 1
		      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
		      printf "%.3f", (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2) }' "$WORK/times.txt"
}

log "through HTTP: $REPEAT round(s)"
for round in $(seq "$REPEAT"); do
	# Report 1 is frozen: send it back so it can be frozen again.
	time_request "send back to BORRADOR" POST /reports/1/transition \
		'{"to":"BORRADOR","comment":"bench"}'
	if [ "$round" = 1 ]; then
		time_request "build (POST /reports)" POST /reports \
			'{"from":"2026-10-01","to":"2026-10-31"}'
	fi
	time_request "freeze (to EN_REVISION)" POST /reports/1/transition \
		'{"to":"EN_REVISION"}'
	for f in xlsx pdf csv; do
		time_request "export $f" GET "/reports/1/export?format=$f"
	done
done
stop_pid "$NODE_PID"
FREEZE_S=$(median_of "freeze (to EN_REVISION)")
PDF_S=$(median_of "export pdf")
XLSX_S=$(median_of "export xlsx")
CSV_S=$(median_of "export csv")

verdict() { # SECONDS TARGET
	if [ -n "$INVALID" ]; then
		echo "INVALID ($INVALID)"
	elif gt "$2" "$1"; then
		echo PASS
	else
		echo BELOW
	fi
}
noise "" 0 0 ""
{
	echo
	echo "Inop report benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: $(machine), work dir on $(fs_type "$WORK")"
	echo "$N events of October 2026 over 600 points; HTTP: $REPEAT round(s), curl, one request at a time;" \
		"$(inop_version)"
	echo "load average at the start: $LOAD_BEFORE"
	[ -n "$NOISE" ] && echo "WARNING: $NOISE"
	echo
	echo "== in-process (report_bench) =="
	grep -v '^REPORT_ID ' "$WORK/inproc.txt"
	echo "== through HTTP (inop serve, curl) =="
	cat "$WORK/http.txt"
	echo
	printf '%-40s %7s s   target < %s s   %s\n' "freeze through HTTP, median of $REPEAT" \
		"$FREEZE_S" "$FREEZE_TARGET_S" "$(verdict "$FREEZE_S" "$FREEZE_TARGET_S")"
	printf '%-40s %7s s   target < %s s   %s\n' "export pdf through HTTP, median of $REPEAT" \
		"$PDF_S" "$PDF_TARGET_S" "$(verdict "$PDF_S" "$PDF_TARGET_S")"
	echo "    in-process: freeze $FREEZE_INPROC s, pdf $PDF_INPROC s; through HTTP: xlsx $XLSX_S s, csv $CSV_S s (medians)"
	echo
} | save_table reports
result events "$N"
result freeze_s "$FREEZE_S"
result freeze_inproc_s "$FREEZE_INPROC"
result pdf_s "$PDF_S"
result pdf_inproc_s "$PDF_INPROC"
result xlsx_s "$XLSX_S"
result csv_s "$CSV_S"
result invalid "$INVALID"
result load "$LOAD_BEFORE"
result noise "$NOISE"
exit 0
