-- wrk script for the search rows of tools/bench/million.sh:
--
--   wrk -tT ... -s million_search.lua URL -- PATHS-FILE T
--
-- requests the paths of PATHS-FILE (one a line) in turn, thread k of T starting at line k
-- and going on by T, so no two threads ask for the same query and none comes back before
-- the whole list has been asked for: with a list longer than the run, every request is a
-- distinct query. Counts the server's X-Cache header and prints, at the end,
-- "MILLIONCACHE N misses of M", what the run really measured.
local threads = {}
function setup(thread)
    thread:set("thread_index", #threads)
    table.insert(threads, thread)
end

local paths, n, step = {}, 1, 1
misses, seen = 0, 0 -- globals: done() reads them from each thread
function init(args)
    for line in io.lines(args[1]) do
        paths[#paths + 1] = line
    end
    step = tonumber(args[2] or "1")
    n = (thread_index or 0) + 1
end

function request()
    local path = paths[n] or "/"
    n = n + step
    if n > #paths then
        n = (thread_index or 0) + 1
    end
    return wrk.format("GET", path)
end

function response(status, headers, body)
    local x = headers["X-Cache"] or headers["x-cache"]
    if x then
        seen = seen + 1
        if x:find("MISS") then
            misses = misses + 1
        end
    end
end

function done(summary, latency, requests)
    local m, s = 0, 0
    for _, t in ipairs(threads) do
        m = m + (t:get("misses") or 0)
        s = s + (t:get("seen") or 0)
    end
    io.write(string.format("MILLIONCACHE %d misses of %d\n", m, s))
end
