#!/usr/bin/env bash
# Import and E3/E4 benchmark (issue 12), numbers for the closing note:
#
#   bench/imports.sh            # ~5 min on the shared 2-core machine
#
# 1. Generates (bench/gen_interactions.py, at run time, never committed) a
#    CSV of BENCH_ROWS=5000000 interactions over 30 days and 600 points.
# 2. `inop import interactions` of it into a fresh SQLite register (600
#    points), timed with /usr/bin/time: wall, CPU, peak RSS.
# 3. DuckDB (npm @duckdb/node-api, ONE thread) doing the same work on the
#    same file in the same run: CREATE TABLE AS SELECT punto, tipo_tramite,
#    date_trunc('minute', fecha_hora), count(*) ... GROUP BY ALL into a
#    database file, then CHECKPOINT.
# 4. Bytes per imported row: the encoded minute chunks, and the growth of
#    the register file.
# 5. E3/E4 per event in process (build/e3_bench): on the 1-month register
#    of step 2, and on a register with BENCH_YEARS=10 years synthesised
#    straight into the tables.  Wall and CPU p50/p99 (the machine is shared:
#    CPU time is what a call costs; wall time includes waiting for a core).
#
# Settings: BENCH_ROWS, BENCH_YEARS (0 skips step 5's second half),
# BENCH_BUILD_DIR (default build), BENCH_KEEP=1 keeps the work directory.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$ROOT/build}
ROWS=${BENCH_ROWS:-5000000}
YEARS=${BENCH_YEARS:-10}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/inop-bench-imports.XXXXXX")
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
OUT=$RESULTS/imports-$(date -u +%Y%m%dT%H%M%SZ).txt
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf '[imports] %s\n' "$*" | tee -a "$OUT" >&2; }

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j2 --target inop e3_bench >/dev/null
if [ ! -d "$ROOT/bench/node_modules/@duckdb/node-api" ]; then
	(cd "$ROOT/bench" && npm install --no-audit --no-fund --loglevel=error)
fi

CSV=$WORK/interactions.csv
log "generating $ROWS rows (30 days, 600 points) into $CSV"
python3 "$ROOT/bench/gen_interactions.py" --rows "$ROWS" --days 30 \
	--points 600 --out "$CSV"
log "file: $(stat -c %s "$CSV") bytes"

DB=$WORK/register.db
printf 'bench-admin-password\n' >"$WORK/pw"
chmod 600 "$WORK/pw"
"$BUILD/inop" init --db "$DB" --admin-password-file "$WORK/pw" >/dev/null 2>&1
{
	echo "BEGIN;"
	for i in $(seq 1 600); do
		printf "INSERT INTO points (code,name,type,channel,region,created_at) VALUES ('P%04d','Punto %d','CAC','PRESENCIAL','Lima',0);\n" "$i" "$i"
	done
	echo "COMMIT;"
} | sqlite3 "$DB"
before=$(stat -c %s "$DB")
sync

# field: the value of "LABEL: value" in a /usr/bin/time -v report
field() { grep -F "$1" "$2" | sed 's/.*: //'; }
secs() { awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }

log "inop import interactions"
/usr/bin/time -v "$BUILD/inop" import interactions --db "$DB" "$CSV" \
	>"$WORK/inop.json" 2>"$WORK/inop.time"
inop_wall=$(field "Elapsed (wall clock)" "$WORK/inop.time" | secs)
inop_cpu=$(awk '/User time|System time/ { s += $NF } END { print s }' "$WORK/inop.time")
inop_rss=$(field "Maximum resident set size" "$WORK/inop.time")
after=$(stat -c %s "$DB")
stored=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stored_bytes"])' "$WORK/inop.json")

log "DuckDB, one thread"
/usr/bin/time -v node "$ROOT/bench/duckdb_import.mjs" "$CSV" "$WORK/ref.duckdb" \
	>"$WORK/duck.json" 2>"$WORK/duck.time"
duck_wall=$(field "Elapsed (wall clock)" "$WORK/duck.time" | secs)
duck_cpu=$(awk '/User time|System time/ { s += $NF } END { print s }' "$WORK/duck.time")
duck_rss=$(field "Maximum resident set size" "$WORK/duck.time")

log "E3/E4 on the 1-month register"
"$BUILD/e3_bench" -d "$DB" -n 5000 >"$WORK/e3-month.json"
if [ "$YEARS" -gt 0 ]; then
	log "E3/E4 on $YEARS years synthesised (600 points x 4 types x days)"
	"$BUILD/e3_bench" -d "$WORK/years.db" -s "$YEARS" -p 600 -n 5000 \
		>"$WORK/e3-years.json"
fi

{
	echo "== import of $ROWS rows ($(stat -c %s "$CSV") bytes), load $(cut -d' ' -f1-3 /proc/loadavg)"
	awk -v r="$ROWS" -v w="$inop_wall" -v c="$inop_cpu" -v m="$inop_rss" \
		'BEGIN { printf "inop   : %.2f s wall (%.2f M rows/s), %.2f s CPU (%.2f M rows/s), peak RSS %.0f MB\n", w, r/w/1e6, c, r/c/1e6, m/1024 }'
	awk -v r="$ROWS" -v w="$duck_wall" -v c="$duck_cpu" -v m="$duck_rss" \
		'BEGIN { printf "duckdb : %.2f s wall (%.2f M rows/s), %.2f s CPU (%.2f M rows/s), peak RSS %.0f MB\n", w, r/w/1e6, c, r/c/1e6, m/1024 }'
	awk -v a="$inop_wall" -v b="$duck_wall" 'BEGIN { printf "inop / duckdb wall time: %.2f (target <= 1)\n", a/b }'
	awk -v r="$ROWS" -v s="$stored" -v g="$((after - before))" \
		'BEGIN { printf "bytes per imported row: %.2f encoded minute chunks, %.2f register file growth\n", s/r, g/r }'
	echo "E3/E4 1 month : $(cat "$WORK/e3-month.json")"
	[ "$YEARS" -gt 0 ] && echo "E3/E4 $YEARS years: $(cat "$WORK/e3-years.json")"
	[ "$YEARS" -gt 0 ] && echo "10-year register file: $(stat -c %s "$WORK/years.db") bytes"
} | tee -a "$OUT"
log "saved to $OUT"
