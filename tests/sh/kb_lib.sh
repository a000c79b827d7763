#!/usr/bin/env bash
# kb_lib.sh: shell functions shared by the kb_*.sh lints (sourced by them;
# run on its own, as `make test` does with every tests/sh/*.sh, it does
# nothing). Like the lints, it uses awk and grep only.

# kb_header FILE LINES GREP_FLAG PATTERN WHAT: 0 when FILE opens with a '#'
# comment and its first LINES lines match PATTERN (grep GREP_FLAG: -q, or -qi
# for any case); else 1 with the faults on stderr (WHAT: the words wanted).
kb_header() {
  local f=$1 lines=$2 flag=$3 pat=$4 what=$5 rc=0
  if ! head -n 1 "$f" | grep -q '^#'; then
    echo "$f:1: file must open with a header comment" >&2
    rc=1
  fi
  if ! head -n "$lines" "$f" | grep "$flag" -- "$pat"; then
    echo "$f: header must say $what" >&2
    rc=1
  fi
  return "$rc"
}

# kb_verb_lint WHO ROOTS CAMEO OPTIONS FILE...: the entries of verb pattern
# files (code | pattern): two fields; a 2-4 digit code of the file's root
# (its first two characters) that is in CAMEO; a pattern that starts with its
# anchor word, is single-spaced and lower case, has no regex or list
# characters and at most one '+' and one '$'; no line twice and no pattern
# with two codes; at least 2500 patterns. OPTIONS, a space-separated list:
# "caps" lets a pattern be one capital word of at most five letters; "slots"
# forbids two slots in a row; "known-if-any" checks codes against CAMEO only
# when it has any. Faults and the count (as "WHO: N patterns in roots ROOTS")
# go to stderr; returns 0 or 1.
kb_verb_lint() {
  local who=$1 roots=$2 cameo=$3 opts=" $4 "
  shift 4
  local caps=0 slots=0 need_known=1
  case $opts in *" caps "*) caps=1 ;; esac
  case $opts in *" slots "*) slots=1 ;; esac
  case $opts in *" known-if-any "*) need_known=0 ;; esac
  awk -v cameo="$cameo" -v who="$who" -v roots="$roots" -v caps="$caps" -v slots="$slots" \
      -v need_known="$need_known" '
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
BEGIN {
  ncodes = 0
  while ((getline l < cameo) > 0) {
    sub(/(^|[ \t])#.*$/, "", l)
    if (l ~ /^[ \t]*$/) continue
    split(l, c, "|"); known[trim(c[1])] = 1; ncodes++
  }
}
FNR == 1 { base = FILENAME; sub(/^.*\//, "", base); froot = substr(base, 1, 2) }
{ line = $0; sub(/(^|[ \t])#.*$/, "", line) }
line ~ /^[ \t]*$/ { next }
{
  n = split(line, f, "|")
  if (n != 2) { printf "%s:%d: expected 2 fields (code | pattern), got %d\n", FILENAME, FNR, n; bad = 1; next }
  code = trim(f[1]); pat = trim(f[2])
  if (code !~ /^[0-9][0-9][0-9]?[0-9]?$/) { printf "%s:%d: bad code \"%s\"\n", FILENAME, FNR, code; bad = 1 }
  else if ((need_known || ncodes) && !(code in known)) { printf "%s:%d: code %s not in kb/cameo.txt\n", FILENAME, FNR, code; bad = 1 }
  if (substr(code, 1, 2) != froot) { printf "%s:%d: code %s outside root %s\n", FILENAME, FNR, code, froot; bad = 1 }
  if (pat == "") { printf "%s:%d: empty pattern\n", FILENAME, FNR; bad = 1; next }
  if (!caps && pat ~ /[A-Z]/) { printf "%s:%d: pattern not lower case: %s\n", FILENAME, FNR, pat; bad = 1 }
  if (caps && pat ~ /[A-Z]/ && pat !~ /^[A-Z][A-Z]?[A-Z]?[A-Z]?[A-Z]?$/) {
    printf "%s:%d: pattern not lower case (only one capital word of <= 5 letters may be): %s\n", FILENAME, FNR, pat; bad = 1
  }
  if (pat ~ /[][*?^\\(){}|;]/) { printf "%s:%d: regex or list character in pattern: %s\n", FILENAME, FNR, pat; bad = 1 }
  if (pat ~ /  /) { printf "%s:%d: double space in pattern: %s\n", FILENAME, FNR, pat; bad = 1 }
  if (pat ~ /^[+$]/) { printf "%s:%d: pattern must start with its anchor word: %s\n", FILENAME, FNR, pat; bad = 1 }
  if (slots && pat ~ /[+$] [+$]/) { printf "%s:%d: two slots in a row: %s\n", FILENAME, FNR, pat; bad = 1 }
  t = pat; np = gsub(/\+/, "", t); t = pat; nd = gsub(/\$/, "", t)
  if (np > 1 || nd > 1) { printf "%s:%d: more than one + or $: %s\n", FILENAME, FNR, pat; bad = 1 }
  key = code " | " pat
  if (key in line_at) { printf "%s:%d: duplicate of %s\n", FILENAME, FNR, line_at[key]; bad = 1 }
  else if (pat in code_of) { printf "%s:%d: pattern \"%s\" already coded %s at %s\n", FILENAME, FNR, pat, code_of[pat], pat_at[pat]; bad = 1 }
  line_at[key] = FILENAME ":" FNR; code_of[pat] = code; pat_at[pat] = FILENAME ":" FNR
  count++
}
END {
  printf "%s: %d patterns in roots %s\n", who, count, roots > "/dev/stderr"
  if (count < 2500) { printf "%s: only %d patterns (want >= 2500)\n", who, count; bad = 1 }
  exit bad
}' "$@" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "kb_lib: functions for the kb_*.sh lints; nothing to run"
fi
