#!/usr/bin/env bash
# ingest_bad.sh - bad inputs given to `sitrep ingest` are named (FILE:LINE),
# exit status 1, the good inputs of the same call are stored, and nothing
# already in the database is lost.
set -euo pipefail
S=${SITREP:-build/sitrep}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
count() { sqlite3 "$T/db" "select count(*) from articles"; }
printf 'date 2024-05-01\nIsraeli troops attacked Hamas fighters in Gaza.\n' > "$T/a.txt"
printf 'date 2024-05-02\nRussian forces shelled Ukrainian positions near Kharkiv.\n' > "$T/b.txt"
"$S" ingest "$T/a.txt" --db "$T/db" --quiet || fail "first ingest"
[ "$(count)" = 1 ] || fail "first article not stored"
: > "$T/empty.txt"
printf 'no date here\n' > "$T/nodate.txt"
printf 'date 2024-05-03\nbad \xff\xfe bytes but Israel attacked Hamas.\n' > "$T/repair.txt"
head -c 2048 /dev/urandom > "$T/bin.dat"; printf '\0' >> "$T/bin.dat"
set +e
"$S" ingest "$T/empty.txt" "$T/nodate.txt" "$T/bin.dat" "$T/b.txt" "$T/repair.txt" --db "$T/db" --quiet 2> "$T/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "exit status $rc, want 1"
grep -q "empty.txt:1: " "$T/err" || fail "empty file not named: $(cat "$T/err")"
grep -q "nodate.txt:1: " "$T/err" || fail "missing date not named"
grep -q "bin.dat:1: " "$T/err" || fail "binary file not named"
[ "$(count)" = 3 ] || fail "want 3 articles (1 old + 2 new), have $(count)"
# the same call again changes nothing
"$S" ingest "$T/a.txt" "$T/b.txt" --db "$T/db" --quiet
[ "$(count)" = 3 ] || fail "re-ingest duplicated articles"
echo "ingest_bad: ok"
