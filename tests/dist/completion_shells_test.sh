#!/usr/bin/env bash
# The generated zsh and fish completions, in real zsh and fish: a command's subcommands, a
# subcommand's flags and a flag's closed set of values. zsh's completion system needs a
# terminal, so its builtins compadd and _files are stood in for by functions that print what
# they were given; fish answers `complete -C` without one.
# Usage: completion_shells_test.sh DIR (holding _vectimus and vectimus.fish)
set -u
dir=$1
failures=0
check() {  # check WHAT WANT GOT
  if [[ $3 != "$2" ]]; then
    echo "FAIL: $1: got [$3], want [$2]"
    failures=$((failures + 1))
  fi
}

if command -v zsh >/dev/null; then
  zsh_complete() {
    zsh -f -c '
      compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }
      _files() { print -r -- "<files>"; }
      source "$1" >/dev/null
      shift
      words=("$@"); CURRENT=$#; _vectimus' zsh "$dir/_vectimus" "$@" | sort | paste -sd' '
  }
  check "zsh: rule subcommands" "disable enable enforce list overrides show" "$(zsh_complete vectimus rule "")"
  check "zsh: rule enforce flags" "--clear --global --help --level -h" "$(zsh_complete vectimus rule enforce -)"
  check "zsh: --level values" "deny escalate observe" "$(zsh_complete vectimus rule enforce --level "")"
  check "zsh: --policy-dir" "<files>" "$(zsh_complete vectimus hook --policy-dir "")"
else
  echo "SKIPPED: zsh is not installed (.ci/deps installs it)"
fi

if command -v fish >/dev/null; then
  fish_complete() {
    fish --no-config -c "source '$dir/vectimus.fish'; complete -C '$1'" | cut -f1 | sort | paste -sd' '
  }
  check "fish: rule subcommands" "disable enable enforce list overrides show" "$(fish_complete 'vectimus rule ')"
  check "fish: rule enforce flags" "--clear --global --help --level" "$(fish_complete 'vectimus rule enforce --')"
  check "fish: --level values" "deny escalate observe" "$(fish_complete 'vectimus rule enforce --level ')"
  check "fish: --source values" "claude-agent-sdk claude-code" "$(fish_complete 'vectimus hook --source cl')"
else
  echo "SKIPPED: fish is not installed (.ci/deps installs it)"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures completion checks failed"
  exit 1
fi
echo "zsh and fish completions: all checks run passed"
