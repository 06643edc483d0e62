-- wrk script for bench/realistic.py: requests the paths of a file (one a
-- line), counts page-cache hits and misses (the X-Page-Cache header) and
-- errors, and how many requests each thread sent.
-- Usage: wrk -t THREADS -s bench/realistic.lua URL -- FILE OFFSET THREADS
-- The threads go on through the sequence (drawn by popularity) from OFFSET
-- requests into each one's part of it, so that a round asks for what comes
-- next rather than replaying the round before.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  -- Threads start far apart in the sequence, so they do not ask for the
  -- same page at the same moment.
  position = (id - 1) * math.floor(#paths / tonumber(args[3])) + tonumber(args[2])
  sent, hits, misses, uncached, errors = 0, 0, 0, 0, 0
end

function request()
  position = position % #paths + 1
  sent = sent + 1
  return wrk.format("GET", paths[position], {["Accept-Encoding"] = "gzip"})
end

function response(status, headers, body)
  local cache = headers["X-Page-Cache"] or headers["x-page-cache"]
  if cache == "hit" then
    hits = hits + 1
  elseif cache == "miss" then
    misses = misses + 1
  else
    uncached = uncached + 1
  end
  if status >= 500 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local h, m, u, e, s = 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    u = u + thread:get("uncached")
    e = e + thread:get("errors")
    s = math.max(s, thread:get("sent"))
  end
  io.write(string.format(
    'REALISTIC {"hits": %d, "misses": %d, "uncached": %d, "errors": %d, "sent": %d}\n', h, m, u, e, s
  ))
end
