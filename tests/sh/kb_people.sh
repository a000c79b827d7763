#!/usr/bin/env bash
# kb_people.sh: lints the named-people knowledge base (kb/actors/people-*.txt)
# with awk and grep only, independently of the C linter.
# Checks: a header comment in every file; every entry has exactly two fields
# (names | codes); no empty name; codes are upper-case letters in groups of
# three; dates are YYYY, YYYY-MM or YYYY-MM-DD with FROM <= TO; the date ranges
# of one code within one entry do not overlap; no name or alias is shared by two
# entries; no name or alias is also a name in kb/countries.txt (names, demonyms,
# seats of government) or in the other kb/actors files (groups, IGOs, NGOs); at least
# 3000 entries in all.
# Needs nothing from ../shared, so it never skips.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/sh/kb_lib.sh"
files=$(ls "$here"/kb/actors/people-*.txt 2>/dev/null)
if [ -z "$files" ]; then
  echo "kb_people: no kb/actors/people-*.txt files" >&2
  exit 1
fi
status=0
for f in $files; do
  kb_header "$f" 15 -qi 'as of 2026-11' "'as of 2026-11'" || status=1
done

# shellcheck disable=SC2086
awk '
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function valid_date(d,   y, m, dd, n, p) {
  if (d !~ /^[0-9][0-9][0-9][0-9](-[0-9][0-9](-[0-9][0-9])?)?$/) return 0
  n = split(d, p, "-")
  if (p[1] < 1900 || p[1] > 2100) return 0
  if (n >= 2 && (p[2] < 1 || p[2] > 12)) return 0
  if (n == 3 && (p[3] < 1 || p[3] > 31)) return 0
  return 1
}
function start_of(d) {
  if (d == "") return "0000-00-00"
  if (length(d) == 4) return d "-01-01"
  if (length(d) == 7) return d "-01"
  return d
}
function end_of(d) {
  if (d == "") return "9999-99-99"
  if (length(d) == 4) return d "-12-31"
  if (length(d) == 7) return d "-31"
  return d
}
function err(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1 }
{
  line = $0
  sub(/(^|[ \t])#.*$/, "", line)
  line = trim(line)
  if (line == "") next
  nf = split(line, fld, " \\| ")
  if (nf != 2) { err("expected 2 fields (names | codes), found " nf); next }
  entries++
  nn = split(fld[1], names, ";")
  for (i = 1; i <= nn; i++) {
    nm = trim(names[i])
    if (nm == "") { err("empty name"); continue }
    if (nm ~ /\|/) { err("stray bar in name: " nm) }
    key = tolower(nm)
    if ((key in seen) && seen[key] != FILENAME ":" FNR)
      err("name \"" nm "\" also used at " seen[key])
    else
      seen[key] = FILENAME ":" FNR
  }
  nc = split(fld[2], codes, ";")
  delete cnt
  for (i = 1; i <= nc; i++) {
    c = trim(codes[i])
    if (c == "") { err("empty code"); continue }
    k = split(c, part, /[ \t]+/)
    if (k > 2) { err("bad code item: " c); continue }
    code = part[1]
    if (code !~ /^[A-Z]+$/ || length(code) % 3 != 0) { err("bad code shape: " code); continue }
    from = ""; to = ""
    if (k == 2) {
      r = part[2]
      if (r !~ /\.\./) { err("bad date range: " r); continue }
      from = r; sub(/\.\..*$/, "", from)
      to = r; sub(/^.*\.\./, "", to)
      if (from == "" && to == "") { err("empty date range: " r); continue }
      if (from != "" && !valid_date(from)) { err("bad date: " from); continue }
      if (to != "" && !valid_date(to)) { err("bad date: " to); continue }
      if (start_of(from) > end_of(to)) { err("FROM after TO: " r); continue }
    } else {
      if ((code ":nodate") in cnt) err("code repeated without dates: " code)
      cnt[code ":nodate"] = 1
      continue
    }
    n = ++cnt[code]
    rs[code, n] = start_of(from)
    re[code, n] = end_of(to)
    for (j = 1; j < n; j++)
      if (rs[code, j] <= re[code, n] && rs[code, n] <= re[code, j])
        err("overlapping date ranges for " code ": " c)
  }
}
END {
  printf "kb_people: %d entries\n", entries
  if (entries < 3000) { print "kb_people: fewer than 3000 entries" > "/dev/stderr"; bad = 1 }
  exit bad
}' $files || status=1

# names of people must not also name a country, a seat of government, a group or an IGO
others=""
for f in "$here"/kb/countries.txt "$here"/kb/actors/*.txt; do
  case "$f" in */people-*.txt) continue ;; esac
  [ -f "$f" ] && others="$others $f"
done
if [ -n "$others" ]; then
  # shellcheck disable=SC2086
  awk '
  function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
  {
    line = $0
    sub(/(^|[ \t])#.*$/, "", line)
    if (trim(line) == "") next
    nf = split(line, fld, " \\| ")
    if (FILENAME ~ /people-[^\/]*\.txt$/) {
      if (nf != 2) next
      n = split(fld[1], a, ";")
      for (i = 1; i <= n; i++) {
        k = tolower(trim(a[i]))
        if (k in other) { printf "%s:%d: name \"%s\" is also a name in %s\n", FILENAME, FNR, trim(a[i]), other[k] > "/dev/stderr"; bad = 1 }
      }
      next
    }
    first = (FILENAME ~ /countries\.txt$/) ? 3 : 1
    last = (FILENAME ~ /countries\.txt$/) ? nf : 1
    for (f = first; f <= last; f++) {
      n = split(fld[f], a, ";")
      for (i = 1; i <= n; i++) { k = tolower(trim(a[i])); if (k != "") other[k] = FILENAME }
    }
  }
  END { exit bad }' $others $files || status=1
fi

if [ "$status" -ne 0 ]; then
  echo "kb_people: FAILED" >&2
  exit 1
fi
echo "kb_people: ok"
