-- wrk script for bench/server_load.sh: POST /evaluate with a benign Claude Code Bash payload on
-- keep-alive connections, the API key from VECTIMUS_API_KEY. Prints one summary line that the
-- script reads: requests/s, latency percentiles, and errors (non-2xx plus socket errors).
local key = os.getenv("VECTIMUS_API_KEY") or ""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Vectimus-Source"] = "claude-code"
if key ~= "" then wrk.headers["X-Vectimus-API-Key"] = key end
wrk.body = '{"session_id":"bench","transcript_path":"/tmp/t.jsonl","cwd":"/home/dev/shop",' ..
           '"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash",' ..
           '"tool_input":{"command":"git status --short"},"tool_use_id":"toolu_bench"}'

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "evaluate: %.0f requests/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms, %d requests in %.1f s, " ..
    "errors %d (non-2xx %d, connect %d, read %d, write %d, timeout %d)\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, seconds,
    e.status + e.connect + e.read + e.write + e.timeout,
    e.status, e.connect, e.read, e.write, e.timeout))
end
