#!/usr/bin/env bash
# The generated bash completion, in real bash: `complete -p` shows it registered, and calling its
# function with COMP_WORDS/COMP_CWORD set as bash sets them gives the right COMPREPLY for
# commands, subcommands, a subcommand's flags, a flag's closed set of values and file names.
# Usage: completion_test.sh path/to/vectimus.bash
set -u
script=$1
failures=0

# shellcheck source=/dev/null
source "$script" || { echo "FAIL: cannot source $script"; exit 1; }
spec=$(complete -p vectimus 2>&1) || { echo "FAIL: complete -p vectimus: $spec"; exit 1; }
[[ $spec == *"-F _vectimus"* ]] || { echo "FAIL: complete -p vectimus printed: $spec"; failures=1; }

# Prints the sorted completions for a command line whose last word is being completed.
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _vectimus vectimus "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' '
}

# expect WANT WORDS...: the completions are exactly WANT.
expect() {
  local want=$1 got
  shift
  got=$(complete_words "$@")
  if [[ $got != "$want" ]]; then
    echo "FAIL: [$*] completes to [$got], want [$want]"
    failures=$((failures + 1))
  fi
}

# expect_has WORD WORDS...: WORD is among the completions; expect_not: it is not.
expect_has() {
  local word=$1 got
  shift
  got=" $(complete_words "$@") "
  if [[ $got != *" $word "* ]]; then
    echo "FAIL: [$*] completes to [$got], which lacks $word"
    failures=$((failures + 1))
  fi
}
expect_not() {
  local word=$1 got
  shift
  got=" $(complete_words "$@") "
  if [[ $got == *" $word "* ]]; then
    echo "FAIL: [$*] completes to [$got], which should not have $word"
    failures=$((failures + 1))
  fi
}

# Commands.
for command in hook lint test rule receipts init; do expect_has "$command" vectimus ""; done
expect_not __doc vectimus ""
expect "receipts remove report" vectimus re
expect_has --version vectimus --
# Subcommands, and only those of the command typed.
for sub in list show disable enable enforce overrides; do expect_has "$sub" vectimus rule ""; done
expect_not hook vectimus rule ""
expect "enable enforce" vectimus rule en
# A subcommand's flags; hidden ones are not offered.
expect "--clear --global --help --level -h" vectimus rule enforce ID -
expect_has --policy-dir vectimus hook --source claude-code --
expect_not --no-index vectimus hook --source claude-code --
# A flag's closed set of values.
expect "deny escalate observe" vectimus rule enforce --level ""
expect "json text" vectimus rule list --format ""
expect "html" vectimus report --format h
expect "claude-agent-sdk claude-code" vectimus hook --source cl
# A flag's value is skipped when finding the command: the flags of `rule list` again.
expect_has --format vectimus rule list --format json --
# A path flag completes file names.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/packs-a" "$tmp/packs-b"
expect "$tmp/packs-a $tmp/packs-b" vectimus hook --policy-dir "$tmp/packs-"

if [ "$failures" -ne 0 ]; then
  echo "$failures completion checks failed"
  exit 1
fi
echo "bash completion: all checks passed"
