-- wrk script for the GET runs (inop and nginx alike): no per-request Lua,
-- so wrk itself stays as cheap as possible; done() prints one
-- machine-readable line that bench/run.sh parses.
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
