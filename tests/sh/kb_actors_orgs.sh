#!/usr/bin/env bash
# kb_actors_orgs.sh: lints the organisation files of the knowledge base
# (kb/actors/groups.txt, igos.txt, ngos.txt, parties.txt) with awk and grep
# only, independently of the C linter (`sitrep kb check`).
# Checks, for every file:
#   - it opens with a header comment that says "as of 2026-11";
#   - every non-comment line has exactly two fields (names | codes);
#   - no empty name, no name listed twice within the file (compared without
#     case, as matching is, except that all-capital names of at most five
#     letters are compared as written);
#   - every code is upper-case letters in groups of three (CAMEO style),
#     optionally followed by one date range FROM..TO with FROM and TO each
#     YYYY, YYYY-MM or YYYY-MM-DD (one end may be open) and FROM <= TO;
#   - two date ranges of one code within one entry do not overlap;
# and groups.txt has at least 400 entries.
# Needs nothing from ../shared, so it never skips.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/sh/kb_lib.sh"
status=0
for name in groups igos ngos parties; do
  f="$here/kb/actors/$name.txt"
  if [ ! -f "$f" ]; then
    echo "kb_actors_orgs: missing $f" >&2
    status=1
    continue
  fi
  kb_header "$f" 10 -q 'as of 2026-11' "'as of 2026-11'" || status=1
  min=0
  [ "$name" = groups ] && min=400
  awk -v min="$min" '
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function err(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1 }
function start_of(d) { return length(d) == 4 ? d "-01-01" : length(d) == 7 ? d "-01" : d }
function end_of(d) { return length(d) == 4 ? d "-12-31" : length(d) == 7 ? d "-31" : d }
function valid_date(d,   n, p) {
  if (d !~ /^[0-9][0-9][0-9][0-9](-[0-9][0-9](-[0-9][0-9])?)?$/) return 0
  n = split(d, p, "-")
  if (p[1] < 1900 || p[1] > 2100) return 0
  if (n >= 2 && (p[2] < 1 || p[2] > 12)) return 0
  if (n == 3 && (p[3] < 1 || p[3] > 31)) return 0
  return 1
}
{
  line = $0
  # A comment starts at "#" at the start of the line or after a space.
  if (line ~ /^#/) next
  sub(/[ \t]#.*$/, "", line)
  line = trim(line)
  if (line == "") next
  nf = split(line, fld, / \| /)
  if (nf != 2) { err("expected 2 fields (names | codes), found " nf); next }
  entries++
  nn = split(fld[1], names, ";")
  for (i = 1; i <= nn; i++) {
    n = trim(names[i])
    if (n == "") { err("empty name"); continue }
    if (n ~ /\|/) err("stray \"|\" in name \"" n "\"")
    # Names compare without case, except all-capital names of at most five
    # letters, which only ever match in capitals ("NATO" and "Nato" differ).
    k = (n ~ /^[A-Z]+$/ && length(n) <= 5) ? n : tolower(n)
    if (k in seen) err("name \"" n "\" already listed on line " seen[k])
    else seen[k] = FNR
  }
  nc = split(fld[2], codes, ";")
  nr = 0
  for (i = 1; i <= nc; i++) {
    c = trim(codes[i])
    if (c == "") { err("empty code"); continue }
    m = split(c, part, " ")
    if (m > 2) { err("code \"" c "\": expected CODE or CODE FROM..TO"); continue }
    if (part[1] !~ /^[A-Z]+$/ || length(part[1]) % 3 != 0)
      err("code \"" part[1] "\" is not upper-case letters in groups of three")
    if (m == 2) {
      r = part[2]
      if (r !~ /\.\./ || r ~ /\.\..*\.\./) { err("bad date range \"" r "\""); continue }
      split(r, ends, /\.\./)
      from = ends[1]; to = ends[2]
      if (from == "" && to == "") { err("date range \"" r "\" has no end"); continue }
      if (from != "" && !valid_date(from)) err("bad date \"" from "\"")
      if (to != "" && !valid_date(to)) err("bad date \"" to "\"")
      if (from != "" && to != "" && valid_date(from) && valid_date(to)) {
        # Compare at the coarser of the two precisions.
        l = length(from) < length(to) ? length(from) : length(to)
        if (substr(from, 1, l) > substr(to, 1, l)) err("range \"" r "\" ends before it starts")
      }
      # Two ranges of one code in one entry must not overlap (sharing the
      # day of a hand-over is allowed).
      s = (from == "") ? "0000" : start_of(from)
      e = (to == "") ? "9999" : end_of(to)
      for (j = 1; j <= nr; j++)
        if (rc[j] == part[1] && s < re[j] && rs[j] < e)
          err("ranges of " part[1] " overlap (" r ")")
      nr++; rc[nr] = part[1]; rs[nr] = s; re[nr] = e
    }
  }
}
END {
  if (entries < min) { printf "%s: %d entries, need at least %d\n", FILENAME, entries, min > "/dev/stderr"; bad = 1 }
  printf "kb_actors_orgs: %s: %d entries\n", FILENAME, entries
  exit bad
}' "$f" || status=1
done
if [ $status -ne 0 ]; then
  echo "kb_actors_orgs: FAILED" >&2
  exit 1
fi
echo "kb_actors_orgs: ok"
