#!/bin/bash
# store_badinput.sh - `sitrep ingest` over bad inputs mixed with good ones:
# an empty file, a file with no date, invalid UTF-8, a binary file, a
# 50 MB single-line file, a missing file. Each bad one is named on stderr as
# FILE:LINE: reason and the exit status is 1; the good files in the same call
# are stored; nothing already in the database is lost.
set -u
: "${SITREP:?set SITREP to the sitrep program}"
command -v sqlite3 >/dev/null || { echo "store_badinput: sqlite3 (Debian package sqlite3) missing: skipped"; exit 0; }
T=$(mktemp -d /tmp/sitrep-store-bad.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
D="$T/in"
mkdir -p "$D" "$T/first"

# a first ingest: what must survive
printf 'date 2024-02-01\nFrench President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin.\n' >"$T/first/old.txt"
"$SITREP" ingest "$T/first" --db "$T/s.db" --quiet || { echo "store_badinput: first ingest failed"; exit 1; }
before=$(sqlite3 "$T/s.db" "SELECT ext_id, content_hash FROM articles ORDER BY id; SELECT count(*) FROM events")

printf 'date 2024-03-01\nJapan praised South Korea for its help after the storm.\n' >"$D/a_good.txt"
: >"$D/b_empty.txt"
printf 'Japan praised South Korea for its help after the storm.\n' >"$D/c_nodate.txt"
printf 'date 2024-03-02\nBrazil signed an agreement with Argentina \xff\xfe in Brasilia.\n' >"$D/d_badutf8.txt"
head -c 4096 /dev/urandom >"$D/e_binary.txt"
printf 'date 2024-03-03\n' >"$D/f_huge.txt"
head -c 52428800 /dev/zero | tr '\0' 'a' >>"$D/f_huge.txt"
printf '{"id": "j-good", "date": "2024-03-04", "text": "Brazil signed an agreement with Argentina."}\n{"id": "j-bad", "date": \n' >"$D/g_mixed.jsonl"
printf 'date 2024-03-05\nTurkey and Greece held talks in Athens.\n' >"$D/h_good.txt"

"$SITREP" ingest "$D" "$T/missing.txt" --db "$T/s.db" --quiet 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || { echo "store_badinput: exit $rc, wanted 1"; fail=1; }
for f in b_empty.txt c_nodate.txt e_binary.txt f_huge.txt g_mixed.jsonl missing.txt; do
  grep -qE "(^|/)$f:[0-9]+: ." "$T/err" || { echo "store_badinput: no FILE:LINE: reason for $f"; fail=1; }
done
after=$(sqlite3 "$T/s.db" "SELECT ext_id, content_hash FROM articles WHERE id <= (SELECT min(id) FROM articles) ORDER BY id; SELECT count(*) FROM events WHERE article = (SELECT min(id) FROM articles)")
[ "$before" = "$after" ] || { echo "store_badinput: the first article changed"; fail=1; }
for id in a_good h_good j-good; do
  n=$(sqlite3 "$T/s.db" "SELECT count(*) FROM articles WHERE ext_id LIKE '%$id%'")
  [ "$n" -eq 1 ] || { echo "store_badinput: good input $id not stored"; fail=1; }
done
# invalid UTF-8 is either repaired (stored) or rejected with FILE:LINE, never half-stored
if ! grep -q 'd_badutf8.txt:[0-9]*: ' "$T/err"; then
  n=$(sqlite3 "$T/s.db" "SELECT count(*) FROM articles WHERE ext_id LIKE '%d_badutf8%'")
  [ "$n" -eq 1 ] || { echo "store_badinput: invalid UTF-8 neither reported nor stored"; fail=1; }
fi
sqlite3 "$T/s.db" "PRAGMA integrity_check" | grep -qx ok || { echo "store_badinput: integrity check failed"; fail=1; }
[ $fail -eq 0 ] && echo "store_badinput: ok"
[ $fail -ne 0 ] && cat "$T/err" | cut -c1-200
exit $fail
