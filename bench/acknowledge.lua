-- wrk: each request acknowledges the next task of this thread's share (no task twice).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
  stride = tonumber(os.getenv("BENCH_THREADS"))
  next_id = index + 1
  token = os.getenv("BENCH_TOKEN")
end

function request()
  local id = ids[next_id]
  next_id = next_id + stride
  if id == nil then id = ids[1] end
  return wrk.format("POST", "/v1/tasks/" .. id .. "/transitions",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, '{"name":"acknowledge"}')
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
