#!/usr/bin/env bash
# kb_verbs_a.sh: lints kb/cameo.txt and the verb pattern files of CAMEO roots
# 01-09 (kb/verbs/0[1-9]-*.txt) with awk and grep only, independently of the C
# linter.
# Checks, verb files: nine files, each opening with a header comment that says
# "as of"; every entry has exactly two fields (code | pattern); the code is 2-4
# digits, belongs to the file's root and exists in kb/cameo.txt; the pattern is
# lower case plain words (no regex characters), single-spaced, with at most one
# '+' and one '$'; no pattern line appears twice and no pattern is given two
# codes; at least 2500 patterns in all.
# Checks, cameo.txt: six fields; unique codes; Goldstein in -10..10; quad
# matches the root; and, when ../shared is present, every code of
# ../shared/reference/cameo-codes.csv is in cameo.txt (skipped otherwise).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/sh/kb_lib.sh"
cameo="$here/kb/cameo.txt"
status=0

if [ ! -f "$cameo" ]; then
  echo "kb_verbs_a: $cameo missing" >&2
  exit 1
fi

# --- cameo.txt -------------------------------------------------------------
awk -F'|' '
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
{ line = $0; sub(/(^|[ \t])#.*$/, "", line) }
line ~ /^[ \t]*$/ { next }
{
  n = split(line, f, "|")
  if (n != 6) { printf "%s:%d: expected 6 fields, got %d\n", FILENAME, FNR, n; bad = 1; next }
  code = trim(f[1]); g = trim(f[2]); q = trim(f[3])
  if (code !~ /^[0-9][0-9][0-9]?[0-9]?$/) { printf "%s:%d: bad code \"%s\"\n", FILENAME, FNR, code; bad = 1 }
  if (code in seen) { printf "%s:%d: code %s repeated (first at line %d)\n", FILENAME, FNR, code, seen[code]; bad = 1 }
  seen[code] = FNR
  if (g !~ /^-?[0-9]+(\.[0-9]+)?$/ || g + 0 < -10 || g + 0 > 10) { printf "%s:%d: bad goldstein \"%s\"\n", FILENAME, FNR, g; bad = 1 }
  root = substr(code, 1, 2) + 0
  want = root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4
  if (q != want) { printf "%s:%d: quad %s, root %02d wants %d\n", FILENAME, FNR, q, root, want; bad = 1 }
  if (trim(f[6]) == "") { printf "%s:%d: empty name\n", FILENAME, FNR; bad = 1 }
  count++
}
END {
  if (count < 300) { printf "%s: only %d codes\n", FILENAME, count; bad = 1 }
  exit bad
}' "$cameo" >&2 || status=1

csv="$here/../shared/reference/cameo-codes.csv"
if [ -f "$csv" ]; then
  missing=$(awk -F',' 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' "$csv" | while read -r c; do
    grep -q "^$c |" "$cameo" || echo "$c"
  done)
  if [ -n "$missing" ]; then
    echo "kb_verbs_a: codes of cameo-codes.csv missing from kb/cameo.txt:" $missing >&2
    status=1
  fi
else
  echo "kb_verbs_a: ../shared absent, skipping the cameo-codes.csv comparison"
fi

# --- verb files of roots 01-09 ----------------------------------------------
files=$(ls "$here"/kb/verbs/0[1-9]-*.txt 2>/dev/null)
nfiles=$(printf '%s\n' $files | grep -c . || true)
if [ "$nfiles" -ne 9 ]; then
  echo "kb_verbs_a: expected 9 files kb/verbs/01-*..09-*, found $nfiles" >&2
  status=1
fi
for f in $files; do
  kb_header "$f" 6 -qi 'as of' 'as of when' || status=1
done

# shellcheck disable=SC2086
kb_verb_lint kb_verbs_a 01-09 "$cameo" "" $files || status=1

if [ "$status" -eq 0 ]; then
  echo "kb_verbs_a: ok"
fi
exit "$status"
