#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on its seed corpus.
#   tests/fuzz/run.sh TARGET_BINARY SEED_DIR WORK_DIR SECONDS
# New inputs go to WORK_DIR/corpus (the seeds in the tree stay as they
# are); a crash leaves WORK_DIR/crash-* and fails the run.
set -euo pipefail
bin=$1 seeds=$2 work=$3 secs=$4
mkdir -p "$work/corpus"
exec "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 -artifact_prefix="$work/" \
     "$work/corpus" "$seeds"
