#!/usr/bin/env bash
# Installs every dependency, builds with warnings as errors and runs every
# test (unit, API against a real server, ...) — then the same suite once
# more under AddressSanitizer + UBSan.  Usage: scripts/test.sh [--no-asan]
set -euo pipefail
cd "$(dirname "$0")/.."

INOP_TEST_DEPS=1 ./scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
# ctest runs three suites a core: the API (in parts), node and browser
# suites spend most of their time in request/reply round trips, one side
# waiting for the other, so one a core leaves the cores idle (measured in
# the README's testing section).  Each suite has its own server, database,
# ports and temporary directory, so they do not meet.
test_jobs=${INOP_TEST_JOBS:-$((jobs * 3))}

echo "== style (clang-format) =="
# The repository's .clang-format, as Debian 12's clang-format 14 applies it.
shopt -s globstar
clang-format --dry-run -Werror src/**/*.[ch] tests/unit/*.[ch]

echo "== static analysis (cppcheck) =="
# --std=c11, not c17: cppcheck 2.10 (Debian 12) has no C17 mode (--help
# lists c89, c99, c11); it takes --std=c17, like --std=c42, without a word
# and checks the same as with c11.  C17 only fixes defects of C11.
cppcheck --enable=warning,performance,portability --std=c11 --quiet \
         --error-exitcode=1 -I src src

echo "== build (Release, -Werror) and test =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINOP_WERROR=ON >/dev/null

cmake --build build -j"$jobs"

echo "== static analysis (clang-tidy, checks in .clang-tidy) beside the tests =="
# build/compile_commands.json comes from the configure above; after the
# build, so generated sources and headers exist.  The files in parallel
# (run-clang-tidy, Debian's clang-tidy package): 100 s of CPU in all, 3 to
# 7 minutes on a busy 2-core machine -- run while ctest's suites wait on
# their servers, its output shown after them; the timeout keeps a stuck
# analysis from hanging CI.
tidy_log=build/clang-tidy.log
(
	tidy_start=$SECONDS
	rc=0
	timeout 1800 run-clang-tidy -j"$jobs" -quiet -p build "$PWD/src/" \
		>"$tidy_log" 2>&1 || rc=$?
	echo "clang-tidy: $((SECONDS - tidy_start)) s, exit $rc" >>"$tidy_log"
	exit "$rc"
) &
tidy_pid=$!

tests_rc=0
(cd build && ctest --output-on-failure -j"$test_jobs") || tests_rc=$?
tidy_rc=0
wait "$tidy_pid" || tidy_rc=$?
echo "== clang-tidy's output =="
cat "$tidy_log"
[ "$tidy_rc" -eq 0 ] || { echo "clang-tidy failed (exit $tidy_rc)"; exit 1; }
[ "$tests_rc" -eq 0 ] || { echo "ctest failed (exit $tests_rc)"; exit 1; }

echo "== fuzzing (libFuzzer, clang, ASan + UBSan; ${INOP_FUZZ_SECONDS:-20} s a target) =="
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DINOP_FUZZ=ON -DINOP_FUZZ_SECONDS="${INOP_FUZZ_SECONDS:-20}" >/dev/null
cmake --build build-fuzz -j"$jobs"
(cd build-fuzz && ctest --output-on-failure -j"$jobs" -R '^fuzz_')

if [ "${1:-}" != "--no-asan" ]; then
  echo "== build (ASan + UBSan) and test =="
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DINOP_WERROR=ON \
        -DINOP_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  supp="$PWD/tests/lsan.supp"   # fontconfig's caches, see the file
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
     LSAN_OPTIONS="suppressions=$supp" \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j"$test_jobs")
fi
echo "== all tests passed =="
