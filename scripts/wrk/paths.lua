-- wrk script: each request picks a random path from the file named by the PATHS environment
-- variable (one path a line), so a run mixes users, days and countries like real traffic.
local paths = {}
local file = assert(io.open(os.getenv("PATHS"), "r"))
for line in file:lines() do paths[#paths + 1] = line end
file:close()

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed)
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)])
end

-- Counts non-2xx answers, which wrk only reports as a total.
function done(summary, latency, requests)
  io.write(string.format("latency_p50_us %d\nlatency_p99_us %d\n", latency:percentile(50), latency:percentile(99)))
end
