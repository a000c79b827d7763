#!/usr/bin/env bash
# kb_check.sh - the knowledge base compiles clean; a broken line is named
# with FILE:LINE by `kb check` and by `code`, which then refuses to start.
set -euo pipefail
S=${SITREP:-build/sitrep}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }
"$S" kb check > /tmp/kbcheck.$$ 2>&1 || { cat /tmp/kbcheck.$$; rm -f /tmp/kbcheck.$$; fail "kb check is not clean"; }
rm -f /tmp/kbcheck.$$
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp -r "$HOME_DIR/kb" "$T/kb"
printf '190 attack +\n' >> "$T/kb/verbs/19-fight.txt"          # missing " | "
n=$(wc -l < "$T/kb/verbs/19-fight.txt")
printf 'Nobody | ISRGOV 2024-13-01..\n' >> "$T/kb/actors/people-europe.txt"   # bad month
m=$(wc -l < "$T/kb/actors/people-europe.txt")
printf '999 | attack +\n' >> "$T/kb/verbs/18-assault.txt"       # unknown code
set +e
"$S" kb check --kb "$T/kb" > "$T/out" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || fail "kb check exit $rc on a broken kb, want 1"
grep -q "kb/verbs/19-fight.txt:$n: " "$T/out" || fail "the broken verb line is not named: $(head -3 "$T/out")"
grep -q "kb/actors/people-europe.txt:$m: bad date" "$T/out" || fail "the bad date is not named"
grep -q "kb/verbs/18-assault.txt:.*: unknown CAMEO code" "$T/out" || fail "the unknown code is not named"
set +e
printf 'date 2024-01-01\nIsrael attacked Hamas.\n' | "$S" code --kb "$T/kb" - > /dev/null 2> "$T/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "code with a broken kb exit $rc, want 2"
grep -q "kb/actors/people-europe.txt:$m:\|kb/verbs/1[89]-.*.txt:[0-9]*:" "$T/err" || fail "code does not name the broken line: $(cat "$T/err")"
echo "kb_check: ok"
