-- wrk script for bench/redirect.ts: counts responses by status and, when
-- IDS_OUT is set, writes the click id of every 302 it saw (from Location) so
-- the benchmark can check each one was stored (that costs wrk ~30% more CPU
-- per response, CPU the servers then lack on a small machine: off by default).
-- Prints one BENCH_JSON line.
local threads = {}
local capture = os.getenv("IDS_OUT") ~= nil

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  ids = {}
  nids = 0
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if capture and status == 302 then
    local loc = headers["location"] or headers["Location"]
    local id = loc and string.match(loc, "lc_click=([%x%-]+)")
    if id then
      nids = nids + 1
      ids[nids] = id
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  local out = os.getenv("IDS_OUT")
  local f = out and io.open(out, "w")
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
    if f then
      local tids = t:get("ids")
      f:write(table.concat(tids, "\n"))
      if #tids > 0 then f:write("\n") end
    end
  end
  if f then f:close() end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%d":%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ",")))
end
