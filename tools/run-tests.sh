#!/bin/sh
# Runs every test binary of the sanitizer build and prints one closing line,
# "N passed, N failed", summing Criterion's synthesis lines.
#
# Criterion counts a test that passes and then leaks as passed (LeakSanitizer reports at the
# child's exit, after the verdict), so the output is also scanned: each leak report with a
# frame in our own sources (src/ or tests/) counts as one failure. Reports wholly inside
# libcriterion (its runner process) are not ours and are ignored.
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
    mv "$log" "$log.all"
    if [ -z "$line" ]; then
        echo "$t: no synthesis line (exit $rc)"
        rm -f "$log.all"
        failed=$((failed + 1))
        status=1
        continue
    fi
    # Synthesis: Tested: 12 | Passing: 11 | Failing: 1 | Crashing: 0
    p=$(echo "$line" | sed -n 's/.*Passing: *\([0-9]*\).*/\1/p')
    f=$(echo "$line" | sed -n 's/.*Failing: *\([0-9]*\).*/\1/p')
    c=$(echo "$line" | sed -n 's/.*Crashing: *\([0-9]*\).*/\1/p')
    leaks=$(awk '/ERROR: LeakSanitizer/ {inblk=1; ours=0}
                 inblk && /^ *#[0-9]+ .*[ \/](src|tests)\// && !/libsanitizer/ {ours=1}
                 inblk && /^SUMMARY:/ {inblk=0; if (ours) n++}
                 END {print n+0}' "$log.all")
    if [ "$leaks" -ne 0 ]; then
        echo "$t: $leaks leak report(s) in our code (above)"
    fi
    passed=$((passed + p - leaks))
    failed=$((failed + f + leaks))
    [ "$f" -ne 0 ] || [ "$c" -ne 0 ] || [ "$leaks" -ne 0 ] && status=1
    rm -f "$log.all"
done
[ "$failed" -ne 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
