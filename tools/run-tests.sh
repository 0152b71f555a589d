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
# the shared design folder's schemas when it is beside us, else the copies in tests/schemas
if [ -z "${NEWSDESK_SCHEMAS:-}" ]; then
    if [ -f ../shared/schemas/atom-rfc4287.rnc ]; then
        NEWSDESK_SCHEMAS="$(cd ../shared/schemas && pwd)"
    else
        NEWSDESK_SCHEMAS="$PWD/tests/schemas"
    fi
fi
export NEWSDESK_SCHEMAS

passed=0
failed=0
status=0
# every failing test's line, repeated at the end: a log cut to its tail still names them
fails=$(mktemp)
trap 'rm -f "$fails"' EXIT
# run_suite BINARY [criterion options]: runs one Criterion binary, adds to the counts
run_suite() {
    t=$1
    shift
    log=$(mktemp)
    "$t" --jobs "${TEST_JOBS:-4}" "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -a 'Synthesis:' "$log" | tail -n 1)
    grep -a -E '^\[FAIL\]|leak report' "$log" >>"$fails"
    mv "$log" "$log.all"
    if [ -z "$line" ]; then
        echo "$t: no synthesis line (exit $rc)"
        rm -f "$log.all"
        failed=$((failed + 1))
        status=1
        return
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
        echo "$t: $leaks leak report(s) in our code (above)" | tee -a "$fails"
    fi
    passed=$((passed + p - leaks))
    failed=$((failed + f + leaks))
    [ "$f" -ne 0 ] || [ "$c" -ne 0 ] || [ "$leaks" -ne 0 ] && status=1
    rm -f "$log.all"
}

run_suite build/test/unit "$@"
if [ $# -eq 0 ]; then
    # Lighthouse measures the page's main thread, so its suite runs alone on a quiet
    # machine after the rest (tests/http/test_browser.c)
    run_suite build/test/http --filter '!(lighthouse*)/*'
    run_suite build/test/http --filter 'lighthouse*/*' --jobs 1
else
    run_suite build/test/http "$@"
fi

# the concurrency-heavy HTTP suites again, against the ThreadSanitizer build of the
# server: a data race stops it (halt_on_error), which fails the test that drove it
if [ -x build/tsan/newsdesk ] && [ $# -eq 0 ]; then
    export NEWSDESK_BIN="$PWD/build/tsan/newsdesk" TSAN_OPTIONS="halt_on_error=1 exitcode=66"
    echo "ThreadSanitizer build of the server:"
    run_suite build/test/http --filter 'http_cache/*'
    run_suite build/test/http --filter 'http_more/*'
    run_suite build/test/http --filter 'http_live*/*'
    run_suite build/test/http --filter 'http_metrics/*'
    export NEWSDESK_BIN="$PWD/build/test/newsdesk"
fi
# The suites again with PostgreSQL as the store: a throwaway cluster of their own
# (tools/pg-cluster.sh), each test site a database in it (tests/http/harness.c,
# NEWSDESK_TEST_PG). PG_SUITES are the ones that do not open the SQLite file themselves.
PG_SUITES='http_pages|http_article|http_feeds|http_sitemaps|http_content_api|http_content_api_ghost|http_newsroom|http_admin_api|http_cache|http_more|http_breaking|http_corrections|http_tips_inbox|http_search|http_accounts|http_login_limits|http_conflicts|http_live|http_bulk|http_edit|http_media_newsroom|http_health|http_varnish'
if [ $# -eq 0 ]; then
    # every statement prepared on PostgreSQL, the main ones run end to end (tools/pg/)
    if tools/pg-check.sh; then
        echo "[PASS] PostgreSQL: every statement of the dialect prepares (tools/pg-check.sh)"
        passed=$((passed + 1))
    else
        echo "[FAIL] PostgreSQL: tools/pg-check.sh (above)" | tee -a "$fails"
        failed=$((failed + 1))
    fi
    pgdir=$(mktemp -u /tmp/ndpg-XXXXXX)
    if url=$(tools/pg-cluster.sh start "$pgdir"); then
        echo "PostgreSQL as the store ($url):"
        NEWSDESK_TEST_PG=$url run_suite build/test/http --filter "@($PG_SUITES)/*"
        tools/pg-cluster.sh stop "$pgdir" || echo "cannot stop the cluster in $pgdir"
    else
        echo "[FAIL] PostgreSQL: cannot start a throwaway cluster (above)" | tee -a "$fails"
        failed=$((failed + 1))
    fi
fi
# each fuzz target replays its seed corpus: one test per target
for t in build/test/replay/fuzz_*; do
    [ -x "$t" ] || continue
    name=${t#build/test/replay/fuzz_}
    if "$t" "fuzz/corpus/$name" >/dev/null 2>"$t.log"; then
        echo "[PASS] fuzz replay: $name"
        passed=$((passed + 1))
    else
        cat "$t.log"
        echo "[FAIL] fuzz replay: $name" | tee -a "$fails"
        failed=$((failed + 1))
    fi
done
# the Debian package make test built (tools/deb-build.sh): one test per check of
# tools/deb-check.sh (lintian, systemd-analyze, the contents)
if [ $# -eq 0 ] && [ -d build/deb ]; then
    out=$(tools/deb-check.sh 2>&1)
    rc=$?
    echo "$out"
    p=$(echo "$out" | grep -c '^\[PASS\]')
    f=$(echo "$out" | grep -c '^\[FAIL\]')
    echo "$out" | grep '^\[FAIL\]' >>"$fails"
    # a failure before any check (no package) still counts as one
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
fi
[ "$failed" -ne 0 ] && status=1
if [ -s "$fails" ]; then
    echo "what failed (each is above, with its output):"
    sort -u "$fails" | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
exit $status
