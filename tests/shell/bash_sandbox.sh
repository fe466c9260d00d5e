#!/bin/bash
# Runs the jobs of the bash agreement test (bash_agreement.cpp) through real bash, where they can
# touch nothing. Started by the test as
#   unshare --user --map-root-user --mount --net --pid --fork bash bash_sandbox.sh WORK STUB SECONDS
# so it is root only inside a new user namespace, with its own mounts, no network and its own
# process ids. It builds a new root on a tmpfs and chroots every job into it:
#   /usr/bin (and /bin, /sbin)  one hard link to STUB (argv_stub.cpp) per program name in WORK/names
#   /usr/lib, /usr/lib64, /usr/libexec  the host's, bind-mounted read-only (shared libraries)
#   /.real   copies of the few real programs a stub may exec (bash, env, timeout, base64, ...)
#   /home/user, /tmp, /etc, /work   a tmpfs each, emptied for every job (/work is the cwd)
#   /dev     null, zero, urandom and fd links only; /proc for the new pid namespace
#   /rec/log the argv records of the stubs and of the builtin recorders in /.real/wrap.sh
# Nothing of the host is writable from inside, and nothing of the host but those libraries is
# visible. For job N (WORK/jobs/N.cmd, the command text) it writes WORK/out/N.rec (records),
# N.rc (exit status of the job's bash, 137 when SECONDS ran out) and N.err (its stderr).
# SECONDS only bounds a hang (bash_agreement.cpp says why it is generous).
set -u
PATH=$PATH:/usr/sbin:/sbin
WORK=$1 STUB=$2 SECONDS_PER_JOB=${3:-20}
R=$WORK/root
fail() { echo "bash_sandbox: $*" >&2; exit 3; }

mkdir -p "$R" "$WORK/out" || fail "cannot create $R"
mount -t tmpfs -o size=64m,mode=755 vectimus-root "$R" || fail "cannot mount a tmpfs (no mount namespace?)"
mkdir -p "$R"/{usr/bin,.real,rec,proc,dev,home,tmp,etc,work} || fail "mkdir"
ln -s usr/bin "$R/bin" && ln -s usr/bin "$R/sbin" && ln -s bin "$R/usr/sbin" || fail "ln"
for d in lib lib64 libx32 lib32 usr/lib usr/lib64 usr/libexec; do
  if [ -L "/$d" ]; then
    ln -s "$(readlink "/$d")" "$R/$d" || fail "ln /$d"
  elif [ -d "/$d" ]; then
    mkdir -p "$R/$d" && mount --rbind "/$d" "$R/$d" && mount -o remount,bind,ro "$R/$d" || fail "bind /$d"
  fi
done
# /home, /tmp, /etc and /work: one tmpfs each, emptied before every job.
for d in home tmp etc work; do
  mount -t tmpfs -o size=16m,mode=755 "job-$d" "$R/$d" || fail "tmpfs $d"
done
for f in null zero urandom; do
  : > "$R/dev/$f" && mount --bind "/dev/$f" "$R/dev/$f" || fail "bind /dev/$f"
done
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mount -t proc proc "$R/proc" || fail "cannot mount /proc (no pid namespace?)"

# Real programs a stub may exec: shells (sh and dash run as bash), launchers that start the next
# program through PATH, and filters whose output feeds a shell. Anything else is record-only.
for p in bash env nice nohup timeout stdbuf setsid ionice taskset flock strace xargs \
         cat base64 xxd echo printf true false test '['; do
  src=$(type -P "$p") && cp "$src" "$R/.real/$p"
done
cp "$STUB" "$R/.real/stub" || fail "cannot copy the stub"
# The names whose stub runs a real program (sh and dash run bash, see argv_stub.cpp).
(cd "$R/.real" && printf '%s\0' * sh dash) > "$WORK/real"

# Builtins bash runs without a PATH lookup are recorded by functions of the same name, defined in
# every bash through BASH_ENV. Each records its arguments and runs the builtin. Declaration
# builtins (declare, export, ...) are left alone: a function would make their variables local.
cat > "$R/.real/wrap.sh" <<'EOF'
__vectimus_rec() { builtin printf '%s\0' b "$1" "$BASHPID" "$#" "$@" >> /rec/log; }
echo() { __vectimus_rec echo "$@"; builtin echo "$@"; }
printf() { __vectimus_rec printf "$@"; builtin printf "$@"; }
cd() { __vectimus_rec cd "$@"; builtin cd "$@"; }
eval() { __vectimus_rec eval "$@"; builtin eval "$@"; }
exec() { __vectimus_rec exec "$@"; builtin exec "$@"; }
unset() { __vectimus_rec unset "$@"; builtin unset "$@"; }
read() { __vectimus_rec read "$@"; builtin read "$@"; }
alias() { __vectimus_rec alias "$@"; builtin alias "$@"; }
unalias() { __vectimus_rec unalias "$@"; builtin unalias "$@"; }
true() { __vectimus_rec true "$@"; builtin true "$@"; }
false() { __vectimus_rec false "$@"; builtin false "$@"; }
test() { __vectimus_rec test "$@"; builtin test "$@"; }
[() { __vectimus_rec [ "$@"; builtin [ "$@"; }
# A program that is not on PATH is recorded too, so a command we do not list cannot hide.
command_not_found_handle() { __vectimus_rec "$1" "$@"; return 127; }
EOF

while IFS= read -r -d '' name; do
  case $name in ''|*/*|.|..) continue ;; esac
  [ -e "$R/usr/bin/$name" ] || ln "$R/.real/stub" "$R/usr/bin/$name" || fail "cannot link stub $name"
done < "$WORK/names"
mount --bind "$R/usr/bin" "$R/usr/bin" && mount -o remount,bind,ro "$R/usr/bin" || fail "ro usr/bin"
mount --bind "$R/.real" "$R/.real" && mount -o remount,bind,ro "$R/.real" || fail "ro .real"

# Paths that a job lists one per NUL-terminated line, absolute or relative to /work.
in_root() { case $1 in /*) printf '%s' "$R$1" ;; *) printf '%s' "$R/work/$1" ;; esac; }

for cmdfile in "$WORK"/jobs/*.cmd; do
  [ -e "$cmdfile" ] || continue
  job=${cmdfile##*/}
  job=${job%.cmd}
  # Emptied rather than mounted afresh for every job: eight mount operations per job were about
  # a sixth of the test's run time (67 s against 56 s on the same machine).
  find "$R/home" "$R/tmp" "$R/etc" "$R/work" -mindepth 1 -delete &&
    chmod 755 "$R/home" "$R/tmp" "$R/etc" "$R/work" || fail "cannot empty the job's folders"
  mkdir -p "$R/home/user"
  # Files the command reads by redirection exist (empty), so a redirection does not stop it.
  while IFS= read -r -d '' f; do
    p=$(in_root "$f")
    mkdir -p "${p%/*}" && : > "$p"
  done < "$WORK/jobs/$job.inputs"
  # Programs named by a relative path (`./rm`) are stubs too.
  while IFS= read -r -d '' f; do
    p=$(in_root "$f")
    mkdir -p "${p%/*}" && cp "$R/.real/stub" "$p"
  done < "$WORK/jobs/$job.paths"
  : > "$R/rec/log"
  IFS= read -r -d '' text < "$cmdfile"
  timeout -s KILL "$SECONDS_PER_JOB" chroot "$R" /.real/env -i -C /work HOME=/home/user USER=user \
    PATH=/usr/bin BASH_ENV=/.real/wrap.sh /.real/bash -c "$text" \
    < /dev/null > "$WORK/out/$job.out" 2> "$WORK/out/$job.err"
  echo $? > "$WORK/out/$job.rc"
  # Background jobs (`ls & rm x`) may outlive the job's bash: wait for them to record, as long
  # as a job may take (a busy machine can be slow to finish them; a quiet one never waits).
  deadline=$((SECONDS + SECONDS_PER_JOB))
  while (( SECONDS < deadline )); do
    procs=("$R"/proc/[0-9]*)
    (( ${#procs[@]} <= 1 )) && break
    sleep 0.01
  done
  mv "$R/rec/log" "$WORK/out/$job.rec"
done
exit 0
