#!/usr/bin/env bash
# suites.sh - runs the peers' validation suites (PETRARCH unit tests,
# UD-PETRARCH validation, TABARI validation) through ../shared/tools/sitrep-eval
# with their own dictionaries, prints each figure, and fails when one falls
# more than 2 points below the floor in tests/suites.floor (a ratchet: raise
# the floors as the coder improves). Skips when ../shared is absent.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
EVAL="$SHARED/tools/sitrep-eval"
SITREP=${SITREP:-$ROOT/build/sitrep}
FLOOR="$ROOT/tests/suites.floor"
if [ ! -x "$EVAL" ] && [ ! -f "$EVAL" ]; then echo "suites: $SHARED absent, skipped"; exit 0; fi
if ! command -v python3 >/dev/null; then echo "suites: python3 absent, skipped"; exit 0; fi

floor() { awk -v k="$1" -v m="$2" '$1 == k && $2 == m { print $3 }' "$FLOOR"; }
fail=0
check_min() { # suite metric value
    local f; f=$(floor "$1" "$2")
    [ -z "$f" ] && return
    if awk -v v="$3" -v f="$f" 'BEGIN { exit !(v < f - 2) }'; then
        echo "suites: $1 $2 $3 is more than 2 points below the floor $f"; fail=1
    fi
}
check_max() { # suite metric value (lower is better; 2 points = 0.02)
    local f; f=$(floor "$1" "$2")
    [ -z "$f" ] && return
    if awk -v v="$3" -v f="$f" 'BEGIN { exit !(v > f + 0.02) }'; then
        echo "suites: $1 $2 $3 is more than 0.02 above the ceiling $f"; fail=1
    fi
}

for s in petrarch ud-petrarch tabari; do
    line=$(python3 "$EVAL" "$s" --sitrep "$SITREP" --show 0 2>&1 | tail -n 1)
    echo "$line"
    pass=$(echo "$line" | sed -n 's/.*records pass (\([0-9.]*\)%).*/\1/p')
    recall=$(echo "$line" | sed -n 's/.*event recall \([0-9.]*\)%.*/\1/p')
    extra=$(echo "$line" | sed -n 's/.*extra events per record \([0-9.]*\).*/\1/p')
    if [ -z "$pass" ] || [ -z "$recall" ] || [ -z "$extra" ]; then
        echo "suites: $s did not run"; fail=1; continue
    fi
    check_min "$s" pass "$pass"
    check_min "$s" recall "$recall"
    check_max "$s" extra "$extra"
done
exit $fail
