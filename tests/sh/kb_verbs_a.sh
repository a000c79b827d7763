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
  if ! head -n 1 "$f" | grep -q '^#'; then
    echo "$f:1: file must open with a header comment" >&2
    status=1
  fi
  if ! head -n 6 "$f" | grep -qi 'as of'; then
    echo "$f: header must say as of when" >&2
    status=1
  fi
done

# shellcheck disable=SC2086
awk -v cameo="$cameo" '
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
BEGIN {
  while ((getline l < cameo) > 0) {
    sub(/(^|[ \t])#.*$/, "", l)
    if (l ~ /^[ \t]*$/) continue
    split(l, c, "|"); known[trim(c[1])] = 1
  }
}
FNR == 1 {
  base = FILENAME; sub(/^.*\//, "", base); froot = substr(base, 1, 2)
}
{ line = $0; sub(/(^|[ \t])#.*$/, "", line) }
line ~ /^[ \t]*$/ { next }
{
  n = split(line, f, "|")
  if (n != 2) { printf "%s:%d: expected 2 fields (code | pattern), got %d\n", FILENAME, FNR, n; bad = 1; next }
  code = trim(f[1]); pat = trim(f[2])
  if (code !~ /^[0-9][0-9][0-9]?[0-9]?$/) { printf "%s:%d: bad code \"%s\"\n", FILENAME, FNR, code; bad = 1 }
  else if (!(code in known)) { printf "%s:%d: code %s not in kb/cameo.txt\n", FILENAME, FNR, code; bad = 1 }
  if (substr(code, 1, 2) != froot) { printf "%s:%d: code %s outside root %s\n", FILENAME, FNR, code, froot; bad = 1 }
  if (pat == "") { printf "%s:%d: empty pattern\n", FILENAME, FNR; bad = 1; next }
  if (pat ~ /[A-Z]/) { printf "%s:%d: pattern not lower case: %s\n", FILENAME, FNR, pat; bad = 1 }
  if (pat ~ /[][*?^\\(){}|;]/) { printf "%s:%d: regex or list character in pattern: %s\n", FILENAME, FNR, pat; bad = 1 }
  if (pat ~ /  /) { printf "%s:%d: double space in pattern: %s\n", FILENAME, FNR, pat; bad = 1 }
  if (pat ~ /^[+$]/) { printf "%s:%d: pattern must start with its anchor word: %s\n", FILENAME, FNR, pat; bad = 1 }
  t = pat; np = gsub(/\+/, "", t); t = pat; nd = gsub(/\$/, "", t)
  if (np > 1 || nd > 1) { printf "%s:%d: more than one + or $: %s\n", FILENAME, FNR, pat; bad = 1 }
  key = code " | " pat
  if (key in line_at) { printf "%s:%d: duplicate of %s\n", FILENAME, FNR, line_at[key]; bad = 1 }
  else if (pat in code_of) { printf "%s:%d: pattern \"%s\" already coded %s at %s\n", FILENAME, FNR, pat, code_of[pat], pat_at[pat]; bad = 1 }
  line_at[key] = FILENAME ":" FNR; code_of[pat] = code; pat_at[pat] = FILENAME ":" FNR
  count++
}
END {
  printf "kb_verbs_a: %d patterns in roots 01-09\n", count > "/dev/stderr"
  if (count < 2500) { printf "kb_verbs_a: only %d patterns (want >= 2500)\n", count; bad = 1 }
  exit bad
}' $files >&2 || status=1

if [ "$status" -eq 0 ]; then
  echo "kb_verbs_a: ok"
fi
exit "$status"
