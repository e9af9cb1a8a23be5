#!/usr/bin/env bash
# Times building and exporting one official report of 10,000 events
# (SPEC O1-O4); the target is under 1 s for each export.
#
#   bench/reports.sh [EVENTS]        # default 10000
#
# 1. Builds `inop` and `report_bench` (Release) into build-bench/.
# 2. report_bench makes a fresh SQLite database with EVENTS closed events
#    over 600 points and times, in-process: choosing the events (O1),
#    freezing the report (rows + snapshot + SHA-256, O2), and for each
#    format reading the frozen rows back and rendering them (O4).
# 3. Serves that database with `inop serve` and times the same work
#    through HTTP with curl: building a report, sending it to review
#    (the freeze), and GET .../export for xlsx, pdf and csv.
#
# Prints a table (also saved to bench/results/, git-ignored).  Exits 0
# whatever the times; non-zero only when it could not measure.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
BUILD=${BENCH_BUILD_DIR:-build-bench}
PASSWORD=bench-password-2026

die() {
	echo "reports.sh: $*" >&2
	exit 1
}

command -v curl >/dev/null || die "curl is needed"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
	die "cmake failed"
cmake --build "$BUILD" --target inop report_bench -j2 >/dev/null ||
	die "build failed"

WORK=$(mktemp -d "$BUILD/reports-run.XXXXXX")
SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" || true
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "== in-process (report_bench, $N events) =="
"$BUILD/report_bench" -n "$N" -d "$WORK" 2>/dev/null | tee "$WORK/inproc.txt"
grep -q '^REPORT_ID ' "$WORK/inproc.txt" || die "report_bench failed"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/api/v1"
"$BUILD/inop" serve --db "$WORK/report-bench.db" \
	--listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
	sleep 0.1
done
token=$(curl -fs -H 'Content-Type: application/json' \
	-d "{\"username\":\"control\",\"password\":\"$PASSWORD\"}" \
	"$base/session" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') ||
	die "cannot log in"

# time_request NAME METHOD PATH [BODY]: one request, its time and size.
time_request() {
	local name=$1 method=$2 path=$3 body=${4:-}
	local args=(-s -o "$WORK/out" -w '%{http_code} %{time_total} %{size_download}\n'
		-X "$method" -H "Authorization: Bearer $token")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
	read -r code secs size < <(curl "${args[@]}" "$base$path")
	case $code in 2*) ;; *) die "$name: HTTP $code $(head -c 300 "$WORK/out")" ;; esac
	printf '%-34s %7.3f s  %9d bytes\n' "$name" "$secs" "$size"
}

echo "== through HTTP (inop serve, curl) =="
{
	# Report 1 is frozen: send it back so the events can be chosen again.
	time_request "send back to BORRADOR" POST /reports/1/transition \
		'{"to":"BORRADOR","comment":"bench"}'
	time_request "build (POST /reports)" POST /reports \
		'{"from":"2026-10-01","to":"2026-10-31"}'
	time_request "freeze (to EN_REVISION)" POST /reports/1/transition \
		'{"to":"EN_REVISION"}'
	for f in xlsx pdf csv; do
		time_request "export $f" GET "/reports/1/export?format=$f"
	done
} | tee "$WORK/http.txt"

mkdir -p bench/results
out="bench/results/reports-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
	echo "inop report benchmark, $N events, $(date -u), $(nproc) CPUs"
	cat "$WORK/inproc.txt" "$WORK/http.txt"
} >"$out"
echo "saved $out"
