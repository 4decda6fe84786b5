-- wrk script for make soak: each request a random path from the file named by $PATHS (one a
-- line; the file's mix is the traffic's mix); counts every answer that is not a 2xx (wrk
-- itself only totals status >= 400) and prints the totals and latency percentiles.
local paths = {}
local file = assert(io.open(os.getenv("PATHS"), "r"))
for line in file:lines() do paths[#paths + 1] = line end
file:close()
local threads = {}

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed)
  not_2xx = 0
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)])
end

function response(status, headers, body)
  if status < 200 or status > 299 then not_2xx = not_2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_2xx") end
  local e = summary.errors
  io.write(string.format("soak_requests %d\nsoak_not_2xx %d\nsoak_socket_errors %d\n", summary.requests, bad,
    e.connect + e.read + e.write + e.timeout))
  io.write(string.format("soak_p50_us %d\nsoak_p99_us %d\nsoak_max_us %d\n", latency:percentile(50),
    latency:percentile(99), latency.max))
end
