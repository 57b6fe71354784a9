-- wrk script: print the run's figures as one JSON line (latencies in microseconds).
-- Given a file after `--`, each connection walks through its paths in turn
-- (the benchmark's page-cache-off pass), starting at a different place.
local paths = {}
local next_path = 1

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      if #line > 0 then table.insert(paths, line) end
    end
    next_path = (tonumber(tostring({}):sub(8), 16) or 0) % math.max(#paths, 1) + 1
  end
end

function request()
  if #paths == 0 then return wrk.format() end
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,' ..
    '"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
