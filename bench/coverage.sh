#!/usr/bin/env bash
# Coverage benchmark of the built-in packs. One command:
#
#   bench/coverage.sh [path/to/vectimus]        (default: build/dev/cli/vectimus, or $VECTIMUS)
#   cmake --build build/<dir> --target coverage  (the same, with the binary just built)
#
# Runs every event of bench/coverage/dangerous*.json and bench/coverage/benign*.json (one file
# per round or class of cases) through `vectimus eval --source SRC` (JSONL payloads on stdin, one
# decision per line) and prints, per pack, the share decided correctly:
#   dangerous  - plain dangerous events blocked at least as strictly as expected (a case expecting
#                escalate counts when escalated or denied; one expecting deny only when denied)
#   disguised  - the same for disguised variants (flag order, quoting, wrappers, -c bodies,
#                variables, encodings, other tools and agents)
#   benign     - ordinary development (the false-positive baseline and the packs' near misses)
#                allowed
#   data       - benign cases with "variant": "data": dangerous-looking text that is only data
#                (grep patterns, commit messages, docs written) allowed
# then lists every case decided wrongly with what it got. Needs bash and jq. MCP events treat
# the servers github, filesystem, postgres, fetch and shell as approved, as the fixtures do.
# Exit status: 0 (a benchmark, not a test; read the figures).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-${VECTIMUS:-$here/../build/dev/cli/vectimus}}"
[[ -x "$bin" ]] || { echo "coverage.sh: no vectimus binary at $bin (pass its path)" >&2; exit 2; }
export VECTIMUS_MCP_ALLOWED=github,filesystem,postgres,fetch,shell
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# decide CORPUS KIND: appends {kind,pack,name,variant,expected,got,rules} lines to $tmp/results
decide() {
  local corpus="$1" kind="$2"
  for src in $(jq -r '[.[].source] | unique | .[]' "$corpus"); do
    jq -c --arg s "$src" '.[] | select(.source == $s) | .payload' "$corpus" > "$tmp/in.jsonl"
    jq -c --arg s "$src" --arg k "$kind" '.[] | select(.source == $s) |
      {kind: $k, pack, name, variant: (.variant // "benign"), expected: (.expected // "allow")}' \
      "$corpus" > "$tmp/meta.jsonl"
    "$bin" eval --source "$src" < "$tmp/in.jsonl" > "$tmp/out.jsonl"
    if [[ $(wc -l < "$tmp/meta.jsonl") -ne $(wc -l < "$tmp/out.jsonl") ]]; then
      echo "coverage.sh: eval answered a different number of lines for $src" >&2; exit 2
    fi
    paste -d '\n' "$tmp/meta.jsonl" "$tmp/out.jsonl" |
      jq -c -n '[inputs] | _nwise(2) | .[0] + {got: .[1].decision, rules: .[1].rules}' \
      >> "$tmp/results"
  done
}
: > "$tmp/results"
for corpus in "$here"/coverage/dangerous*.json; do decide "$corpus" dangerous; done
for corpus in "$here"/coverage/benign*.json; do decide "$corpus" benign; done

jq -r -s '
  def rank: {"allow": 0, "escalate": 1, "deny": 2}[.];
  def ok: if .kind == "benign" then .got == "allow" else (.got | rank) >= (.expected | rank) end;
  def pct(xs): if (xs | length) == 0 then "     -" else
      ((xs | map(select(ok)) | length) * 1000 / (xs | length) | floor / 10 | tostring
       | (. + (if test("\\.") then "" else ".0" end)) + "%") as $p
      | ("      " + $p)[-6:] + " (" + ((xs | map(select(ok)) | length) | tostring) + "/" +
        ((xs | length) | tostring) + ")" end;
  def row(name; xs):
      (name + "                    ")[:20] + "  " +
      (pct(xs | map(select(.kind == "dangerous" and .variant == "plain"))) + "              ")[:16] + "  " +
      (pct(xs | map(select(.kind == "dangerous" and .variant == "disguised"))) + "              ")[:16] + "  " +
      (pct(xs | map(select(.kind == "benign" and .variant != "data"))) + "              ")[:16] + "  " +
      pct(xs | map(select(.kind == "benign" and .variant == "data")));
  . as $all
  | "pack                  dangerous         disguised         benign allowed    data allowed",
    ($all | group_by(.pack)[] | row(.[0].pack; .)),
    row("ALL"; $all),
    "",
    "failing cases:",
    ($all[] | select(ok | not) |
      "  [\(.pack)] \(.kind)/\(.variant): \(.name) -- expected \(.expected), got \(.got)" +
      (if (.rules | length) > 0 then " (" + (.rules | join(",")) + ")" else "" end))
' "$tmp/results"
