#!/usr/bin/env bash
# kb_verbs_b.sh: lints the verb pattern files of CAMEO roots 10-20
# (kb/verbs/1[0-9]-*.txt, kb/verbs/20-*.txt), kb/discards.txt and
# kb/quantities.txt with awk and grep only, independently of the C linter.
# Checks, verb files: eleven files, each opening with a header comment that
# says "as of"; every entry has exactly two fields (code | pattern); the code is
# 2-4 digits, belongs to the file's root and, when kb/cameo.txt exists, is one
# of its codes; the pattern starts with its anchor word, is single-spaced, has
# no regex or list characters, at most one '+' and one '$', and is lower case
# unless it is one capital word of at most five letters (which then matches
# capitals only, see docs/kb.md); no line appears twice and no pattern is
# given two codes; at least 2500 patterns in all.
# Checks, discards.txt: header comment, one phrase a line, no field separator,
# no duplicates, at least 200 phrases.
# Checks, quantities.txt: header comment, two fields, number lines "=N | words"
# with N a whole number, no word given twice, units for time, persons, money,
# distance and weapons present, and number words one..twenty, thirty..ninety,
# hundred, thousand, million, billion.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/sh/kb_lib.sh"
cameo="$here/kb/cameo.txt"
status=0

# --- verb files of roots 10-20 ----------------------------------------------
files=$(ls "$here"/kb/verbs/1[0-9]-*.txt "$here"/kb/verbs/20-*.txt 2>/dev/null)
nfiles=$(printf '%s\n' $files | grep -c . || true)
if [ "$nfiles" -ne 11 ]; then
  echo "kb_verbs_b: expected 11 files kb/verbs/10-*..20-*, found $nfiles" >&2
  status=1
fi
for f in $files; do
  kb_header "$f" 8 -qi 'as of' 'as of when' || status=1
done
if [ ! -f "$cameo" ]; then
  echo "kb_verbs_b: kb/cameo.txt absent, skipping the known-code check"
  cameo=/dev/null
fi

# shellcheck disable=SC2086
kb_verb_lint kb_verbs_b 10-20 "$cameo" "caps slots known-if-any" $files || status=1

# --- discards.txt ------------------------------------------------------------
disc="$here/kb/discards.txt"
if [ ! -f "$disc" ]; then
  echo "kb_verbs_b: $disc missing" >&2
  status=1
else
  head -n 1 "$disc" | grep -q '^#' || { echo "$disc:1: file must open with a header comment" >&2; status=1; }
  awk '
  { line = $0; sub(/(^|[ \t])#.*$/, "", line); sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
  line == "" { next }
  {
    if (line ~ /\|/) { printf "%s:%d: a discard is one phrase, no fields\n", FILENAME, FNR; bad = 1 }
    if (line ~ /  /) { printf "%s:%d: double space\n", FILENAME, FNR; bad = 1 }
    k = tolower(line)
    if (k in seen) { printf "%s:%d: duplicate of line %d\n", FILENAME, FNR, seen[k]; bad = 1 }
    seen[k] = FNR; count++
  }
  END { if (count < 200) { printf "%s: only %d phrases (want >= 200)\n", FILENAME, count; bad = 1 } exit bad }
  ' "$disc" >&2 || status=1
fi

# --- quantities.txt ----------------------------------------------------------
quant="$here/kb/quantities.txt"
if [ ! -f "$quant" ]; then
  echo "kb_verbs_b: $quant missing" >&2
  status=1
else
  head -n 1 "$quant" | grep -q '^#' || { echo "$quant:1: file must open with a header comment" >&2; status=1; }
  awk '
  function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
  { line = $0; sub(/(^|[ \t])#.*$/, "", line) }
  line ~ /^[ \t]*$/ { next }
  {
    n = split(line, f, "|")
    if (n != 2) { printf "%s:%d: expected 2 fields (unit | words), got %d\n", FILENAME, FNR, n; bad = 1; next }
    u = trim(f[1])
    if (u == "") { printf "%s:%d: empty unit\n", FILENAME, FNR; bad = 1 }
    if (substr(u, 1, 1) == "=" && u !~ /^=[0-9]+$/) { printf "%s:%d: number line wants =N: %s\n", FILENAME, FNR, u; bad = 1 }
    if (u !~ /^=/) units[u] = 1
    m = split(f[2], w, ";")
    for (i = 1; i <= m; i++) {
      x = tolower(trim(w[i]))
      if (x == "") continue
      if (x ~ / /) { printf "%s:%d: \"%s\": a unit or number word is one token\n", FILENAME, FNR, x; bad = 1 }
      if (x in seen) { printf "%s:%d: \"%s\" already given at line %d\n", FILENAME, FNR, x, seen[x]; bad = 1 }
      seen[x] = FNR
    }
  }
  END {
    split("day week month year hour person usd eur km weapon", need, " ")
    for (i in need) if (!(need[i] in units)) { printf "%s: unit %s missing\n", FILENAME, need[i]; bad = 1 }
    split("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion dozens hundreds thousands", nw, " ")
    for (i in nw) if (!(nw[i] in seen)) { printf "%s: number word %s missing\n", FILENAME, nw[i]; bad = 1 }
    exit bad
  }' "$quant" >&2 || status=1
fi

if [ "$status" -eq 0 ]; then
  echo "kb_verbs_b: ok"
fi
exit "$status"
