-- wrk script for POST /api/v1/complaints (JSON, no attachment): the
-- public web form's request.  Every request is a fresh complaint (Q1);
-- run complaints.sh starts the server with the per-address limit raised,
-- since wrk sends everything from one address.

local n = 0

function init(args)
  n201, nother, other_sample = 0, 0, ""
end

function request()
  n = n + 1
  local body = string.format(
    '{"customer_name":"Cliente de prueba %d","document_type":"DNI",' ..
    '"document":"%08d","email":"cliente%d@example.pe",' ..
    '"phone":"987654321","service":"Línea móvil 987654321",' ..
    '"matter":"CALIDAD","description":"Sin señal en el domicilio ' ..
    'desde ayer por la tarde."}', n, 10000000 + n % 89999999, n)
  return wrk.format("POST", "/api/v1/complaints",
                    { ["Content-Type"] = "application/json" }, body)
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function response(status, headers, body)
  if status == 201 then
    n201 = n201 + 1
  else
    nother = nother + 1
    if other_sample == "" then
      other_sample = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local s201, sother, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    s201 = s201 + t:get("n201")
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
  io.write(string.format("BENCH_STATUS s201=%d s409=0 other=%d\n", s201,
                         sother))
  if sample ~= "" then
    io.write("BENCH_SAMPLE " .. sample:gsub("[\r\n]", " ") .. "\n")
  end
end
