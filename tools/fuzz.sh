#!/bin/sh
# Runs every libFuzzer target (build/fuzz/fuzz_*) for SECONDS each, on its seed corpus
# (fuzz/corpus/NAME, read only) plus what earlier runs found (build/fuzz/corpus/NAME), and
# reports per target the inputs executed, the coverage reached (libFuzzer's "cov": edges
# of our code and the libraries it calls) and the corpus size. Stops at the first crash,
# leaving libFuzzer's reproducer (crash-*, leak-*, timeout-*) in build/fuzz/.
#
#   tools/fuzz.sh SECONDS            # make fuzz: 60; make fuzz-long: 3600
#   FUZZ_MERGE=1 tools/fuzz.sh 0     # fold what was found into fuzz/corpus (minimised)
set -u
cd "$(dirname "$0")/.."
seconds=${1:-60}
report=build/fuzz/report.txt
mkdir -p build/fuzz
printf '%-12s %12s %8s %8s %8s\n' target executions cov ft corpus >"$report.new"
for t in build/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    name=${t#build/fuzz/fuzz_}
    found=build/fuzz/corpus/$name
    mkdir -p "$found"
    if [ "${FUZZ_MERGE:-0}" = 1 ]; then
        echo "fuzz: merging $found into fuzz/corpus/$name"
        "$t" -merge=1 "fuzz/corpus/$name" "$found" >/dev/null 2>&1 || exit 1
        continue
    fi
    echo "fuzz: $name for $seconds s"
    log=build/fuzz/$name.log
    (cd build/fuzz && "../../$t" -max_total_time="$seconds" -print_final_stats=1 \
        "corpus/$name" "../../fuzz/corpus/$name") >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        tail -n 40 "$log"
        echo "fuzz: $name failed (exit $rc): the reproducer is in build/fuzz/ (log: $log)"
        exit 1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    printf '%-12s %12s %8s %8s %8s\n' "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
        >>"$report.new"
done
[ "${FUZZ_MERGE:-0}" = 1 ] && exit 0
mv "$report.new" "$report"
echo "fuzz: every target ran $seconds s without a crash ($(date -u +%Y-%m-%dT%H:%MZ), $report):"
cat "$report"
