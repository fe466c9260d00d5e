#!/usr/bin/env bash
# The Debian package end to end: cpack makes vectimus_<version>_amd64.deb from the build tree,
# lintian reports no error on it, it holds only vectimus's files, and once installed with dpkg
# the binary, its man pages, its completion and the hook work.
#
# dpkg installs into a private root (--root, with a database of its own) rather than into the
# machine's /: a test must not change the machine it runs on (other tests and builds run beside
# it, and a failed run would leave the package installed). Unpacking, the file list and removal
# are dpkg's own; the binary is static, so running it from the private root is running it as
# /usr/bin/vectimus.
# Usage: package_test.sh BUILD_DIR VERSION CPACK
set -euo pipefail
build=$1
version=$2
cpack=$3
for tool in lintian dpkg dpkg-deb man gzip; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is not installed (.ci/deps installs it)"; exit 0; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIPPED: dpkg --root needs root (CI runs as root)"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. The package, named as Debian names it, with the project's version.
"$cpack" --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack"; }
deb="$tmp/out/vectimus_${version}_amd64.deb"
[ -f "$deb" ] || fail "no $deb; cpack made: $(ls "$tmp/out")"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package's version is not $version"

# 2. lintian: no error.
# (--fail-on error: a non-zero status for an error tag, and for lintian failing to run at all.)
lintian_status=0
lintian --allow-root --fail-on error "$deb" >"$tmp/lintian.log" 2>&1 || lintian_status=$?
cat "$tmp/lintian.log"
[ "$lintian_status" -eq 0 ] || fail "lintian exits $lintian_status"
! grep -q '^E:' "$tmp/lintian.log" || fail "lintian reports errors"

# 3. Only vectimus's files: no test binary, no benchmark.
allowed='^\./(usr/|usr/bin/vectimus|usr/share/man/man1/vectimus(-[a-z-]+)?\.1\.gz|usr/share/bash-completion/completions/vectimus|usr/share/zsh/vendor-completions/_vectimus|usr/share/fish/vendor_completions\.d/vectimus\.fish|usr/share/doc/vectimus/[A-Za-z.-]+|usr/share/lintian/overrides/vectimus|usr/[a-z0-9/_.-]+/)$'
dpkg-deb --fsys-tarfile "$deb" | tar -t >"$tmp/files"
unexpected=$(grep -Ev "$allowed" "$tmp/files" || true)
[ -z "$unexpected" ] || fail "unexpected files in the package: $unexpected"
grep -qx './usr/share/man/man1/vectimus-hook.1.gz' "$tmp/files" || fail "no vectimus-hook(1)"

# 4. dpkg -i into the private root.
root="$tmp/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
dpkg --root="$root" --log=/dev/null -i "$deb" >"$tmp/dpkg.log" 2>&1 ||
  { cat "$tmp/dpkg.log"; fail "dpkg -i"; }
bin="$root/usr/bin/vectimus"
[ "$(stat -c %a "$bin")" = 755 ] || fail "usr/bin/vectimus is not mode 755"

# 5. The installed binary, man pages and completion work.
mkdir -p "$tmp/home" "$tmp/proj"
run() { (cd "$tmp/proj" && env -i HOME="$tmp/home" PATH="$PATH" "$bin" "$@"); }
first=$(run --version | head -n 1)
[ "$first" = "vectimus $version" ] || fail "vectimus --version says [$first]"
for page in vectimus vectimus-hook vectimus-rule; do
  out=$(MANPATH="$root/usr/share/man" MANWIDTH=80 man -P cat "$page" 2>&1) || fail "man $page: $out"
  grep -q "^NAME" <<<"$out" || fail "man $page has no NAME: $out"
done
grep -q 'vectimus rule enforce' <<<"$(MANPATH="$root/usr/share/man" man -P cat vectimus-rule)" ||
  fail "vectimus-rule(1) does not document rule enforce"
for page in "$root"/usr/share/man/man1/*.gz; do
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "man --warnings on $page: $warnings"
done
spec=$(bash -c "source '$root/usr/share/bash-completion/completions/vectimus' && complete -p vectimus")
[[ $spec == *"-F _vectimus"* ]] || fail "the installed bash completion registers [$spec]"

# 6. The hook on sample events: rm -rf / is denied, ls is allowed.
event() {
  printf '{"session_id":"s","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"%s"}}' \
    "$tmp/proj" "$1"
}
set +e
deny_out=$(event 'rm -rf /' | run hook --source claude-code 2>/dev/null)
deny_code=$?
allow_out=$(event 'ls' | run hook --source claude-code 2>/dev/null)
allow_code=$?
set -e
# Claude Code reads a deny from the answer document (exit 0); exit 2 is the other way to block.
[ "$deny_code" -eq 0 ] || [ "$deny_code" -eq 2 ] || fail "the hook exits $deny_code on rm -rf /"
grep -q '"permissionDecision":"deny"' <<<"$deny_out" || fail "no deny for rm -rf /: $deny_out"
[ "$allow_code" -eq 0 ] || fail "the hook exits $allow_code on ls: $allow_out"
! grep -q '"deny"' <<<"$allow_out" || fail "ls is denied: $allow_out"

# 7. dpkg -r takes it all away again.
dpkg --root="$root" --log=/dev/null -r vectimus >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -r"; }
[ ! -e "$bin" ] || fail "dpkg -r left usr/bin/vectimus"
echo "package: all checks passed"
