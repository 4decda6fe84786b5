-- wrk script for reload_under_traffic.sh: GET the path in $PATH_UNDER_TEST, and count every
-- answer that is not a 200 (wrk itself only totals non-2xx/3xx).
local path = os.getenv("PATH_UNDER_TEST") or "/v1/game/stats"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function request()
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("requests %d\nnot_ok %d\nsocket_errors %d\n", summary.requests, total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
