#!/bin/bash
# fuzz_replay.sh - replay every fuzz corpus (tests/fuzz/corpus/<target>/: the
# seeds and every crash found, kept as regression inputs) through the plain
# replay programs $BUILD/fuzz-replay/fuzz_<target> (mk/fuzz.mk; `make test`
# builds them). A crash, sanitizer report (under `make asan`) or non-zero
# exit fails the test. Inputs in tests/fuzz/pending/<target>/ reproduce bugs
# reported to other owners and not fixed yet: they are run one by one and
# listed, but only fail the test with FUZZ_STRICT=1 (move them to corpus/
# once fixed). fuzz_parse needs a model in models/ (it does nothing without).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
cd "$ROOT"
fail=0 ran=0
for dir in tests/fuzz/corpus/*/; do
    n=$(basename "$dir")
    bin=$BUILD/fuzz-replay/fuzz_$n
    # always ask make: it rebuilds the program when the library changed
    make -s --no-print-directory BUILD="$BUILD" "$bin" >/dev/null 2>&1 || true
    if [ ! -x "$bin" ]; then echo "fuzz_replay: $bin missing (no target tests/fuzz/fuzz_$n.c?)"; fail=1; continue; fi
    if ! out=$(timeout 600 "$bin" "$dir" 2>&1); then
        echo "fuzz_replay: FAIL $n"; echo "$out" | tail -30; fail=1
    else
        echo "$out" | tail -1 | sed "s|^$BUILD/fuzz-replay/||"
    fi
    ran=$((ran + 1))
done
for dir in tests/fuzz/pending/*/; do
    [ -d "$dir" ] || continue
    n=$(basename "$dir")
    bin=$BUILD/fuzz-replay/fuzz_$n
    [ -x "$bin" ] || continue
    for f in "$dir"*; do
        [ -f "$f" ] || continue
        case "$f" in *.md|*.txt) continue ;; esac
        if timeout 60 "$bin" "$f" >/dev/null 2>&1; then
            echo "fuzz_replay: pending input $f passes in this build (see tests/fuzz/pending/README.md; move it to tests/fuzz/corpus/$n/ once fixed)"
        else
            echo "fuzz_replay: known bug still open: $f"
            [ "${FUZZ_STRICT:-0}" = 1 ] && fail=1
        fi
    done 2>/dev/null # bash's own "Segmentation fault" notices
done
[ $ran -gt 0 ] || { echo "fuzz_replay: no corpus found"; exit 1; }
[ $fail -eq 0 ] && echo "fuzz_replay: $ran corpora replayed clean"
exit $fail
