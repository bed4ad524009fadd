-- wrk script for bench/load.sh: GET /api/v1/search with an API token, rotating over a query list
-- (one URL-encoded query per line in $HIROBA_LOAD_QUERIES), and a JSON summary at the end.
local token = os.getenv("HIROBA_LOAD_TOKEN")
local queries = {}
for line in io.lines(os.getenv("HIROBA_LOAD_QUERIES")) do
  if #line > 0 then queries[#queries + 1] = line end
end
local counter = 0

function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  local q = queries[((i + offset) % #queries) + 1]
  return wrk.format("GET", "/api/v1/search?k=10&q=" .. q, { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"requests_per_second":%.1f,"latency_p50_ms":%.3f,"latency_p90_ms":%.3f,"latency_p99_ms":%.3f,"latency_max_ms":%.3f,"errors":%d,"non_2xx":%d,"timeouts":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors, summary.errors.status, summary.errors.timeout))
end
