-- wrk script for the miss-path rows of tools/bench.sh.
--
--   wrk -tT ... -s miss.lua URL -- PREFIX FIRST LAST T
--
-- requests PREFIX .. N .. "/" for N cycling over FIRST..LAST (FIRST = LAST: one fixed URL).
-- The T wrk threads split the cycle: thread k asks for FIRST + k, FIRST + k + T, ... so no
-- two threads ask for the same page and every page comes back only after all the others
-- have been asked for (were they to overlap, one thread would hit what another just
-- rendered). A response cache that cannot
-- hold the whole cycle misses on every request (each page has been evicted by the time it
-- comes back); one that can hold it misses on the first pass only. So the script also
-- counts the server's X-Cache response header, and the report says how many requests really
-- missed.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua") -- defines done(): the BENCHSTAT line
local report_done = done

local threads = {}
function setup(thread)
    thread:set("thread_index", #threads)
    table.insert(threads, thread)
end

local prefix, first, span, nthreads, start, n
function init(args)
    prefix = args[1] or "/page/"
    first = tonumber(args[2] or "200")
    span = tonumber(args[3] or "2000") - first + 1
    nthreads = tonumber(args[4] or "1")
    start = (thread_index or 0) % span
    n = start
end

function request()
    local path = prefix .. (first + n) .. "/"
    n = n + nthreads
    if n >= span then
        n = start
    end
    return wrk.format("GET", path)
end

-- per thread (each thread has its own Lua state); summed in done()
hits, misses, unmarked = 0, 0, 0
function response(status, headers, body)
    local x = headers["x-cache"] or headers["X-Cache"]
    if x == "HIT" then
        hits = hits + 1
    elseif x == "MISS" then
        misses = misses + 1
    else
        unmarked = unmarked + 1
    end
end

done = function(summary, latency, requests)
    report_done(summary, latency, requests)
    local h, m, u = 0, 0, 0
    for _, t in ipairs(threads) do
        h = h + (t:get("hits") or 0)
        m = m + (t:get("misses") or 0)
        u = u + (t:get("unmarked") or 0)
    end
    io.write(string.format("BENCHCACHE hits=%d misses=%d unmarked=%d\n", h, m, u))
end
