#!/usr/bin/env bash
# valgrind.sh - valgrind memcheck over the golden coding cases
# (tests/golden/coding/*.txt) through the CLI: any memory error or definite
# leak fails. Fast by design: the articles go through one process without the
# parser model (--models ''), then a couple through the model when there is
# one (models/ or the installed default); plus segment, explain and an ingest
# into a scratch store. (Each run costs seconds: the knowledge base loads
# under valgrind; add --track-origins=yes by hand to chase an error.) Skipped when valgrind is missing or the binary is
# built with a sanitizer (`make asan`).
set -u
: "${SITREP:=build/sitrep}"
S=$(readlink -f "$SITREP")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind missing: skipped"; exit 0; }
if nm "$S" 2>/dev/null | grep -qE '__(asan|tsan|msan)_init'; then
    echo "valgrind.sh: $S is built with a sanitizer: skipped"; exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
G="$ROOT/tests/golden/coding"
fails=0
vg() {
    local name=$1; shift
    timeout 900 valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
        --show-leak-kinds=definite --errors-for-leak-kinds=definite \
        --log-file="$T/$name.vg" "$S" "$@" > "$T/$name.out" 2> "$T/$name.err"
    local rc=$?
    if [ $rc -eq 99 ] || [ -s "$T/$name.vg" ]; then
        echo "FAIL valgrind $name:"; head -60 "$T/$name.vg"; fails=$((fails + 1))
    elif [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc: $(head -c 300 "$T/$name.err")"; fails=$((fails + 1))
    else
        echo "valgrind $name: clean"
    fi
}
vg code code --models '' "$G"/*.txt
vg explain explain --models '' "$G/negation.txt"
vg ingest ingest --quiet --db "$T/store.db" "$G"/*.txt
vg summary summary --db "$T/store.db"
# with the tagger and parser (the model loads by mmap: a few seconds under valgrind)
MODELS=""
for m in "$ROOT/models" "$(dirname "$S")/../models"; do
    [ -f "$m/tagger.bin" ] && [ -f "$m/parser.bin" ] && { MODELS=$m; break; }
done
if [ -n "$MODELS" ]; then
    vg code_models code --models "$MODELS" "$G/negation.txt" "$G/compound.txt"
else
    echo "valgrind.sh: no tagger/parser model in models/: the run with the parser skipped"
fi
[ $fails -eq 0 ] || { echo "valgrind: $fails runs with errors"; exit 1; }
echo "valgrind: clean"
