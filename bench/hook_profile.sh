#!/usr/bin/env bash
# Where one hook call's work goes, phase by phase, in instructions (callgrind: exact and
# repeatable whatever else the machine is doing, unlike wall time). One command:
#
#   bench/hook_profile.sh [path/to/vectimus] [command]
#       (default binary: build/release/cli/vectimus, or $VECTIMUS; default command: ls -la src)
#   cmake --build build/<dir> --target hook_profile   (the same, with the binary just built)
#
# Runs `vectimus hook --source claude-code` once under valgrind's callgrind on a Claude Code Bash
# payload, with HOME and the working folder in a fresh temp dir (no user config or project
# packs: the built-in packs' cost), and prints each phase's inclusive instruction count:
#   start        before main: the C runtime, static initialisers (iostreams, CLI11's tables)
#   command line CLI11 setting up and parsing the `hook` command
#   payload      reading stdin and normalising the JSON into an event
#   locate       finding the project root and config files
#   config       reading the config layers
#   packs        the compiled built-in packs: header checks, rule table, the index view
#   decide       building the requests (shell analysis included), index lookup, decoding the
#                candidate policies, evaluation
#   answer       writing the agent's answer
# Needs valgrind. Exit status: 0 (a measurement, not a test).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(realpath -m "${1:-${VECTIMUS:-$here/../build/release/cli/vectimus}}")"
command="${2:-ls -la src}"
[[ -x "$bin" ]] || { echo "hook_profile.sh: no vectimus binary at $bin (pass its path)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "hook_profile.sh: needs valgrind" >&2; exit 2; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/cwd"
printf '{"session_id":"profile","transcript_path":"/tmp/t.jsonl","cwd":"%s","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"%s"},"tool_use_id":"toolu_1"}' \
  "$tmp/cwd" "$command" > "$tmp/payload.json"
(cd "$tmp/cwd" && env -i HOME="$tmp/home" PATH=/usr/bin:/bin \
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bin" hook --source claude-code \
  < "$tmp/payload.json" > "$tmp/answer" 2> "$tmp/valgrind") || true
grep -q 'Collected' "$tmp/valgrind" || { cat "$tmp/valgrind" >&2; exit 1; }

# Inclusive instructions of the first function whose name matches the pattern (0 if none).
callgrind_annotate --inclusive=yes --threshold=100 "$tmp/out" > "$tmp/annotated" 2>/dev/null
ir() {
  awk -v pat="$1" '$0 ~ pat { gsub(",", "", $1); print $1; found = 1; exit } END { if (!found) print 0 }' \
    "$tmp/annotated"
}
total=$(ir 'PROGRAM TOTALS')
main=$(ir '\\?\\?\\?:main ')
hook=$(ir 'decide_and_answer')
payload=$(( $(ir 'read_all_stdin') + $(ir 'normalise_payload') ))
locate=$(ir 'engine::locate\(')
config=$(ir 'engine::load_config\(')
packs=$(ir 'load_compiled_packs')
decide=$(ir 'Engine::decide\(')
answer=$(ir 'cli::\(anonymous namespace\)::emit')

row() { awk -v name="$1" -v n="$2" -v t="$total" 'BEGIN { printf "%-13s %10d  %5.1f%%\n", name, n, 100 * n / t }'; }
echo "vectimus hook on \`$command\` (Claude Code Bash event), callgrind instructions:"
row "start" $(( total - main ))
row "command line" $(( main - hook ))
row "payload" "$payload"
row "locate" "$locate"
row "config" "$config"
row "packs" "$packs"
row "decide" "$decide"
row "answer" "$answer"
row "total" "$total"
echo "answer: $(cat "$tmp/answer")"
