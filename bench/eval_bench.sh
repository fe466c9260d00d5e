#!/usr/bin/env bash
# `vectimus eval` throughput on recorded Bash payloads: every Claude Code Bash payload of the
# false-positive baseline and the packs' fixtures, repeated to N lines (default 20,000), decided
# by the built-in packs in one process. Prints µs per event. Given a second binary (an earlier
# build), both run alternately three times in the same sitting and each one's best run counts.
#
# Run: bench/eval_bench.sh build/release/cli/vectimus [other-vectimus] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1
other=${2:-}
count=${3:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$count" >"$work/payloads.jsonl" <<'PY'
import glob, json, sys
payloads = []
for path in ["policies/baseline.json"] + sorted(glob.glob("policies/*/tests.json")):
    for case in json.load(open(path)):
        p = case["payload"]
        if case["source"] == "claude-code" and isinstance(p, dict) and p.get("tool_name") == "Bash":
            payloads.append(json.dumps(p, separators=(",", ":")))
count = int(sys.argv[1])
for i in range(count):
    print(payloads[i % len(payloads)])
PY
export HOME="$work" VECTIMUS_MCP_ALLOWED=
run() {  # prints µs per event of one run of $1
  local start end
  start=$(date +%s%N)
  "$1" eval --source claude-code <"$work/payloads.jsonl" >"$work/out.jsonl"
  end=$(date +%s%N)
  [ "$(wc -l <"$work/out.jsonl")" -eq "$count" ] || { echo "eval printed the wrong number of lines" >&2; exit 1; }
  echo $(( (end - start) / 1000 / count ))
}
best() { sort -n | head -1; }
echo "payloads: $count Claude Code Bash events ($(sort -u "$work/payloads.jsonl" | wc -l) distinct)"
a=(); b=()
for _ in 1 2 3; do
  a+=("$(run "$bin")")
  if [ -n "$other" ]; then b+=("$(run "$other")"); fi
done
echo "$bin: $(printf '%s\n' "${a[@]}" | best) us/event (runs: ${a[*]})"
if [ -n "$other" ]; then
  echo "$other: $(printf '%s\n' "${b[@]}" | best) us/event (runs: ${b[*]})"
fi
