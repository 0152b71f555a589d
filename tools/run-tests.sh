#!/bin/sh
# Runs every test binary of the sanitizer build and prints one closing line,
# "N passed, N failed", summing Criterion's synthesis lines.
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}"
export NEWSDESK_BIN="$PWD/build/test/newsdesk"
export NEWSDESK_THEME="$PWD/themes/default"
export NEWSDESK_SPEC="$PWD/tests/spec"

passed=0
failed=0
status=0
for t in build/test/unit build/test/http; do
    log=$(mktemp)
    "$t" --jobs "${TEST_JOBS:-4}" "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -a 'Synthesis:' "$log" | tail -n 1)
    rm -f "$log"
    if [ -z "$line" ]; then
        echo "$t: no synthesis line (exit $rc)"
        failed=$((failed + 1))
        status=1
        continue
    fi
    # Synthesis: Tested: 12 | Passing: 11 | Failing: 1 | Crashing: 0
    p=$(echo "$line" | sed -n 's/.*Passing: *\([0-9]*\).*/\1/p')
    f=$(echo "$line" | sed -n 's/.*Failing: *\([0-9]*\).*/\1/p')
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$rc" -ne 0 ] && status=1
done
[ "$failed" -ne 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
