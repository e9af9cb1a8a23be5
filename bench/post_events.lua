-- wrk script for POST /api/v1/events.
--
-- Every request registers a fresh (point, procedure) combination, so no
-- request can hit R3 (one open event per point and procedure, else 409).
-- Combination c (0-based) is point (c % POINTS) + 1 with procedure
-- floor(c / POINTS); wrk thread i of N sends c = i, i + N, i + 2N, ...
-- so the threads never share a combination.  When a thread runs past the
-- last one it wraps around and the server answers 409: run.sh treats any
-- answer but 201 as an invalid run.
--
-- Environment (set by run.sh and pg.sh):
--   BENCH_POINTS           number of points P0001.. created
--   BENCH_POINTS_PER_USER  points per JEFE user (user k owns points
--                          k*PER_USER+1 .. (k+1)*PER_USER)
--   BENCH_TOKENS_FILE      one bearer token per line, user 0 first
--   BENCH_WRK_THREADS      the -t given to wrk
-- Optional (pg.sh: a second run on the same database, and two wrk
-- processes at once, one per node, sharing the combinations):
--   BENCH_COMBO_OFFSET     first combination (default 0)
--   BENCH_THREAD_BASE      index of this wrk's first thread among all
--                          wrk threads (default 0)
--   BENCH_TOTAL_THREADS    wrk threads of all wrk processes together
--                          (default BENCH_WRK_THREADS)
-- so thread i sends c = OFFSET + BASE + i + k * TOTAL, k = 0, 1, ...;
-- done() prints BENCH_NEXT next=N, N above every combination this wrk
-- sent (the OFFSET of a later run).

local procedures = {
  { "RECLAMOS", "RECLAMO" },
  { "ALTAS", "CONTRATACION" },
  { "BAJAS", "BAJA_SERVICIO" },
  { "CONSULTAS", "MIGRACION_PLAN" },
}

local thread_index = 0
local threads = {}

function setup(thread)
  thread:set("tid", thread_index)
  thread_index = thread_index + 1
  table.insert(threads, thread)
end

local function env_number(name)
  local v = tonumber(os.getenv(name) or "")
  if not v then error(name .. " is not set") end
  return v
end

function init(args)
  points = env_number("BENCH_POINTS")
  per_user = env_number("BENCH_POINTS_PER_USER")
  nthreads = env_number("BENCH_WRK_THREADS")
  offset = tonumber(os.getenv("BENCH_COMBO_OFFSET") or "") or 0
  base = tonumber(os.getenv("BENCH_THREAD_BASE") or "") or 0
  stride = tonumber(os.getenv("BENCH_TOTAL_THREADS") or "") or nthreads
  combos = points * #procedures
  tokens = {}
  local f = assert(io.open(os.getenv("BENCH_TOKENS_FILE"), "r"))
  for line in f:lines() do
    if #line > 0 then table.insert(tokens, line) end
  end
  f:close()
  sent = 0
  n201 = 0
  n409 = 0
  nother = 0
  other_sample = ""
  last_second = -1
  started_at = ""
end

-- started_at two minutes ago, in Lima time (UTC-5, no DST), RFC 3339.
local function lima_now()
  local t = os.time()
  if t ~= last_second then
    last_second = t
    started_at = os.date("!%Y-%m-%dT%H:%M:%S", t - 5 * 3600 - 120) .. "-05:00"
  end
  return started_at
end

function request()
  local c = (offset + base + tid + sent * stride) % combos
  sent = sent + 1
  local p = c % points
  local proc = procedures[math.floor(c / points) + 1]
  local token = tokens[math.floor(p / per_user) + 1]
  local body = string.format(
    '{"point":"P%04d","procedure":"%s","requests":["%s"],' ..
    '"applications":["SIAC_UNICO"],"scenario":"EVENTO_NO_PREVISTO",' ..
    '"cause":"CORTE_LUZ","started_at":"%s","attest_total":true}',
    p + 1, proc[1], proc[2], lima_now())
  return wrk.format("POST", "/api/v1/events", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    n201 = n201 + 1
  elseif status == 409 then
    n409 = n409 + 1
  else
    nother = nother + 1
    if other_sample == "" then
      other_sample = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local s201, s409, sother, sample, next_c = 0, 0, 0, "", 0
  for _, t in ipairs(threads) do
    local o, b, st = t:get("offset"), t:get("base"), t:get("stride")
    local n = o + b + t:get("tid") + t:get("sent") * st
    if n > next_c then next_c = n end
    s201 = s201 + t:get("n201")
    s409 = s409 + t:get("n409")
    sother = sother + t:get("nother")
    local s = t:get("other_sample")
    if sample == "" and s and s ~= "" then sample = s end
  end
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("BENCH_STATUS s201=%d s409=%d other=%d\n",
    s201, s409, sother))
  io.write(string.format("BENCH_NEXT next=%d\n", next_c))
  if sample ~= "" then
    io.write("BENCH_SAMPLE " .. sample:gsub("[\r\n]", " ") .. "\n")
  end
end
