#!/usr/bin/env bash
# Load test of the team server (issue 13): two parts, figures on stdout.
#
#  (a) POST /evaluate with keep-alive (wrk, bench/server_evaluate.lua: a benign Claude Code Bash
#      payload) against one `vectimus server start --port 0`, while SUBSCRIBERS /events streams
#      listen (bench/server_subscribers.cpp, built here with g++). Prints requests/s, p50/p99
#      latency, errors (non-2xx plus socket errors) and what the subscribers received, against
#      the targets: >= 20,000 requests/s, p99 <= 5 ms, 0 errors. Beside the run a real-time probe
#      (bench/stall_probe.cpp) counts the moments the whole machine stood still: on a shared VM a
#      100 ms pause holds every request in flight and lands in the tail, whatever the server does.
#  (b) two replicas behind a real HAProxy on loopback (deploy/haproxy/haproxy.cfg), a mix of hook
#      calls that must be denied and allowed, one replica killed mid-run (bench/server_ha.js):
#      how many denies became allows (must be 0) and the errors.
#
# Run: bench/server_load.sh build/release/cli/vectimus
# Environment: DURATION (s, default 10), CONNECTIONS (32), THREADS (1), SUBSCRIBERS (200),
#              HA_REQUESTS (20000), HA_CONCURRENCY (16), TMPDIR (where the servers' HOME and
#              audit logs go: each decision writes its audit record and receipt there, so the
#              file system counts; TMPDIR=/dev/shm measures without the disk), RECEIPTS (on;
#              off: the server keeps its audit log but signs no receipts, `[receipts] enabled`).
# Needs wrk, haproxy, g++, node and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:?usage: bench/server_load.sh path/to/vectimus}")
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
threads=${THREADS:-1}
subscribers=${SUBSCRIBERS:-200}
for tool in wrk haproxy g++ node curl; do
  command -v "$tool" >/dev/null || { echo "server_load.sh: \`$tool\` is not installed (.ci/deps installs it)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

g++ -std=c++20 -O2 -o "$work/subscribers" bench/server_subscribers.cpp
g++ -std=c++20 -O2 -o "$work/stall_probe" bench/stall_probe.cpp

# ---- (a) /evaluate with subscribers ----
key="bench-$RANDOM$RANDOM"
mkdir -p "$work/home" "$work/project/.git"
if [ "${RECEIPTS:-on}" = off ]; then
  printf '[receipts]\nenabled = false\n' >"$work/project/vectimus.toml"
fi
(cd "$work/project" &&
  exec env -i PATH="$PATH" HOME="$work/home" LANG=C.UTF-8 VECTIMUS_API_KEY="$key" \
    VECTIMUS_MCP_ALLOWED= VECTIMUS_LOG_DIR="$work/logs" \
    "$bin" server start --port 0 >"$work/server.out" 2>"$work/server.err") &
server_pid=$!
pids+=("$server_pid")
port=
for _ in $(seq 100); do  # at most 10 s
  port=$(sed -n 's|^vectimus server listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$work/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start:" >&2; cat "$work/server.err" >&2; exit 1; }
echo "server: $bin on 127.0.0.1:$port ($(nproc) cores)"

subs_pid=
if [ "$subscribers" -gt 0 ]; then
  "$work/subscribers" 127.0.0.1 "$port" "$subscribers" "$key" >"$work/subscribers.out" 2>&1 &
  subs_pid=$!
  pids+=("$subs_pid")
  for _ in $(seq 100); do
    grep -q connected "$work/subscribers.out" && break
    kill -0 "$subs_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q connected "$work/subscribers.out" || { cat "$work/subscribers.out" >&2; exit 1; }
  head -1 "$work/subscribers.out"
else
  echo "subscribers: none"
fi

export VECTIMUS_API_KEY="$key"
# A short warm-up, then the measured run.
wrk -t"$threads" -c"$connections" -d1s -s bench/server_evaluate.lua "http://127.0.0.1:$port/evaluate" >/dev/null
# CPU seconds (user, system) a process used so far, from /proc/PID/stat (clock ticks).
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f %.2f", $14 / hz, $15 / hz}' "/proc/$1/stat"; }
server_cpu0=$(cpu "$server_pid")
[ -z "$subs_pid" ] || subs_cpu0=$(cpu "$subs_pid")
"$work/stall_probe" "$duration" >"$work/stall.out" &
probe_pid=$!
wrk -t"$threads" -c"$connections" -d"${duration}s" -s bench/server_evaluate.lua \
  "http://127.0.0.1:$port/evaluate" >"$work/wrk.out"
server_cpu1=$(cpu "$server_pid")
# The last fan-out reaches the subscribers a gathering window after the last decision.
sleep 0.2
# Every decision is published; the newest event id is how many (replay sends the last ones).
published=$(curl -sN --max-time 0.5 -H "X-Vectimus-API-Key: $key" -H 'Last-Event-ID: 0' \
  "http://127.0.0.1:$port/events" 2>/dev/null | sed -n 's/^id: //p' | tail -1 || true)
if [ -n "$subs_pid" ]; then
  subs_cpu1=$(cpu "$subs_pid")
  kill -TERM "$subs_pid" 2>/dev/null || true
  wait "$subs_pid" || true
fi
line=$(grep '^evaluate:' "$work/wrk.out")
echo "wrk -t$threads -c$connections -d${duration}s, $subscribers subscribers, receipts ${RECEIPTS:-on}:"
echo "  $line"
used() { awk -v a="$1" -v b="$2" -v d="$duration" 'BEGIN{split(a,x," "); split(b,y," ");
  printf "user %.2f s, system %.2f s (%.0f%% of one core)", y[1]-x[1], y[2]-x[2], 100*(y[1]-x[1]+y[2]-x[2])/d}'; }
echo "  server CPU during the run: $(used "$server_cpu0" "$server_cpu1")"
wait "$probe_pid" || true
echo "  machine pauses during the run: $(cat "$work/stall.out")"
if [ -n "$subs_pid" ]; then
  echo "  $(tail -1 "$work/subscribers.out")"
  echo "  events published since the start (warm-up included): ${published:-unknown}; each subscriber should count them all"
  echo "  subscribers' CPU: $(used "$subs_cpu0" "$subs_cpu1")"
fi
rps=$(sed -n 's/^evaluate: \([0-9]*\) requests\/s.*/\1/p' <<<"$line")
p99=$(sed -n 's/.* p99 \([0-9.]*\) ms.*/\1/p' <<<"$line")
errors=$(sed -n 's/.* errors \([0-9]*\) .*/\1/p' <<<"$line")
verdict() { if [ "$1" = 1 ]; then echo met; else echo MISSED; fi; }
echo "  targets: >= 20000 requests/s: $(verdict "$(awk -v r="$rps" 'BEGIN{print (r >= 20000)}')")," \
     "p99 <= 5 ms: $(verdict "$(awk -v p="$p99" 'BEGIN{print (p <= 5)}')")," \
     "0 errors: $(verdict "$([ "$errors" = 0 ] && echo 1 || echo 0)")"
kill -TERM "$server_pid"
wait "$server_pid" || echo "  note: the server exited with status $? on SIGTERM"

# ---- (b) two replicas behind HAProxy, one killed ----
echo "two replicas behind HAProxy:"
node bench/server_ha.js --vectimus "$bin" --requests "${HA_REQUESTS:-20000}" \
  --concurrency "${HA_CONCURRENCY:-16}" | sed 's/^/  /'
