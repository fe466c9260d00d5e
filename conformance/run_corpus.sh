#!/bin/sh
# Runs the official Cedar conformance corpus through `vectimus cedar run-tests` (ctest tests
# conformance.corpus and conformance.handwritten; see README.md).
#
# usage: run_corpus.sh corpus|handwritten VECTIMUS SHARED_TESTS_DIR WORK_DIR MIN_PASSED [--index]
#   corpus:      unpacks SHARED_TESTS_DIR/corpus-tests.tar.gz into WORK_DIR/corpus (again only
#                when the tarball changes) and runs every corpus-tests/<sha1>.json test.
#   handwritten: runs tests/{example_use_cases,multi,ip,decimal}/*.json with --root SHARED_TESTS_DIR.
# Exit 0 when vectimus reports no failure and at least MIN_PASSED requests passed (so a run
# that skips everything cannot pass); 77 (ctest SKIP_RETURN_CODE) when the corpus is absent.
# --index is passed on to `run-tests`: every request is also decided through the rule index,
# which must agree with the full evaluation (conformance.corpus_index, .handwritten_index).
set -eu
mode=$1 vectimus=$2 shared=$3 work=$4 min_passed=$5 index=${6:-}

if [ ! -d "$shared" ]; then
  echo "cedar-integration-tests not found at $shared; corpus not run"
  exit 77
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
case $mode in
  corpus)
    tarball=$shared/corpus-tests.tar.gz
    stamp=$work/corpus/.unpacked-from
    sum=$(cksum < "$tarball")
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
      echo "unpacking $tarball into $work/corpus"
      rm -rf "$work/corpus"
      mkdir -p "$work/corpus"
      tar -xzf "$tarball" -C "$work/corpus"
      echo "$sum" > "$stamp"
    fi
    cd "$work/corpus"
    # corpus-tests/<sha1>.json; the glob leaves out the <sha1>.entities.json data files.
    set +e
    "$vectimus" cedar run-tests $index --root "$work/corpus" corpus-tests/*[0-9a-f].json > "$out" 2>&1
    status=$?
    set -e
    ;;
  handwritten)
    cd "$shared"
    set +e
    "$vectimus" cedar run-tests $index --root "$shared" tests/example_use_cases/*.json tests/multi/*.json \
      tests/ip/*.json tests/decimal/*.json > "$out" 2>&1
    status=$?
    set -e
    ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac

# The FAIL lines (at most 200), then vectimus's closing summary.
grep '^FAIL ' "$out" | head -n 200 || true
grep -v '^FAIL ' "$out" | tail -n 40
passed=$(sed -n 's/^\([0-9][0-9]*\) passed, [0-9][0-9]* failed, [0-9][0-9]* skipped$/\1/p' "$out" | tail -n 1)
if [ "$status" -ne 0 ]; then
  echo "conformance $mode: vectimus exited with status $status"
  exit 1
fi
if [ -z "$passed" ] || [ "$passed" -lt "$min_passed" ]; then
  echo "conformance $mode: only ${passed:-no} requests passed, expected at least $min_passed (too many skipped?)"
  exit 1
fi
echo "conformance $mode: ok ($passed requests passed, minimum $min_passed)"
