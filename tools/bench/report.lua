-- wrk script for tools/bench.sh: at the end of a run, prints one machine-readable line
-- with wrk's own totals (the same histogram `--latency` prints, but in whole microseconds
-- instead of rounded, unit-suffixed text). Defines no request/response hooks, so wrk keeps
-- its fast path: one pre-built request, responses not handed to Lua.
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCHSTAT requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f " ..
        "connect=%d read=%d write=%d timeout=%d status=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
        e.connect, e.read, e.write, e.timeout, e.status))
end
