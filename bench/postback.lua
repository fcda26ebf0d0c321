-- wrk script for bench/postback.ts: every request is a new order (unique
-- brand_order_ref per run, thread and request) for a random stored click id
-- from CLICK_IDS, so attribution runs against the clicks table. Counts
-- responses by status and prints one BENCH_JSON line.
local threads = {}
local nthreads = 0

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("CLICK_IDS")) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  program = os.getenv("PROGRAM_ID")
  tag = os.getenv("RUN_TAG")
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("API_KEY") }
  math.randomseed(tid * 7919 + #tag * 104729 + 17)
  n = 0
  statuses = {}
end

function request()
  n = n + 1
  local body = string.format(
    '{"program_id":"%s","brand_order_ref":"%s-%d-%d","order_value":"%d.%02d","order_currency":"USD","lc_click":"%s"}',
    program, tag, tid, n, math.random(5, 400), math.random(0, 99), ids[math.random(#ids)])
  return wrk.format("POST", "/api/conv", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%d":%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ",")))
end
