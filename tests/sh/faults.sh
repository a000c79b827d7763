#!/usr/bin/env bash
# faults.sh - `sitrep ingest` under faults (issue 9): the disk fills up (a
# small tmpfs when one can be mounted, and `ulimit -f` with SIGXFSZ ignored),
# the database is read-only, the database file is corrupt or truncated, and
# the process is killed with SIGKILL mid-write. Each must end with a clear
# error (never a crash), leave no partial article (every stored article has
# exactly the events it counts, and the database passes integrity_check), and
# a rerun without the fault must complete with the same articles and events
# as an uninterrupted run. (tests/sh/store_kill.sh kills at many more points
# and compares whole databases.)
set -u
: "${SITREP:=build/sitrep}"
S=$(readlink -f "$SITREP")
command -v sqlite3 >/dev/null || { echo "faults.sh: sqlite3 (Debian package sqlite3) missing: skipped"; exit 0; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/sitrep-faults.XXXXXX)
MNT=""
cleanup() {
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    if [ -n "${FAULTS_KEEP:-}" ]; then echo "faults.sh: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
# a failed check after which the other cases still mean something
FAILS=0
soft() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
cp -r "$ROOT/kb" "$T/kb"
ING=(ingest --kb "$T/kb" --quiet)

# ---- a corpus of ~400 articles (JSON Lines), several events each
awk -v out="$T/corpus.jsonl" 'BEGIN {
  n = split("Israeli|Russian|French|Indian|Chinese|Turkish|Egyptian|Kenyan", a, "|")
  split("Palestinian|Ukrainian|German|Pakistani|Japanese|Greek|Sudanese|Somali", b, "|")
  m = split("attacked|met|praised|criticized|arrested|threatened|accused|shelled", v, "|")
  for (i = 1; i <= 400; i++) {
    t = ""
    for (k = 0; k < 6; k++)
      t = t a[(i + k) % n + 1] " troops " v[(i * 3 + k) % m + 1] " " b[(i + 2 * k) % n + 1] " forces near the border in report " i " part " k ". "
    printf "{\"id\": \"f-%04d\", \"date\": \"2024-04-%02d\", \"text\": \"%s\"}\n", i, 1 + i % 28, t > out
  }
}'

counts() { sqlite3 "$1" "SELECT (SELECT count(*) FROM articles) || ' ' || (SELECT count(*) FROM events)"; }
# no article whose events are missing or extra, and a sound file
consistent() {
    local db=$1 what=$2
    local ic partial
    ic=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1) || fail "$what: integrity_check failed: $ic"
    [ "$ic" = ok ] || fail "$what: integrity_check: $ic"
    partial=$(sqlite3 "$db" "SELECT count(*) FROM articles a WHERE a.nevents != (SELECT count(*) FROM events e WHERE e.article = a.id)")
    [ "$partial" = 0 ] || fail "$what: $partial partial articles"
}
# the status of a command: not a signal, not a timeout; stderr kept
run() {
    local name=$1; shift
    timeout 600 "$@" > "$T/$name.out" 2> "$T/$name.err"
    rc=$?
    [ $rc -ne 124 ] || fail "$name: timeout"
    [ $rc -lt 128 ] || fail "$name: killed by signal $((rc - 128)): $(tail -3 "$T/$name.err")"
}

# ---- the reference: one uninterrupted run
run ref "$S" "${ING[@]}" "$T/corpus.jsonl" --db "$T/ref.db"
[ $rc -eq 0 ] || fail "reference ingest: exit $rc: $(head -c 300 "$T/ref.err")"
REF=$(counts "$T/ref.db")
consistent "$T/ref.db" reference
[ "${REF#* }" -gt 400 ] || fail "reference ingest coded too few events: $REF"

# rerun_matches DB WHAT: a rerun without the fault completes with the reference counts
rerun_matches() {
    local name
    name=rerun_$(printf '%s' "$2" | tr -c 'a-zA-Z0-9' _)
    run "$name" "$S" "${ING[@]}" "$T/corpus.jsonl" --db "$1"
    [ $rc -eq 0 ] || fail "$2: rerun failed: exit $rc: $(head -c 300 "$T/$name.err")"
    consistent "$1" "$2 (rerun)"
    [ "$(counts "$1")" = "$REF" ] || fail "$2: after the rerun $(counts "$1"), want $REF"
}

# ---- disk full (1): a file size limit, SIGXFSZ ignored so that writes fail with EFBIG
rm -f "$T/fsz.db"*
( trap '' XFSZ; ulimit -f 400; exec timeout 600 "$S" "${ING[@]}" "$T/corpus.jsonl" --db "$T/fsz.db" ) > "$T/fsz.out" 2> "$T/fsz.err"
rc=$?
[ $rc -lt 128 ] || fail "ulimit -f: killed by signal $((rc - 128))"
[ $rc -ne 0 ] || fail "ulimit -f: ingest reported success with a 200 KB file limit"
grep -qiE 'full|large|space|disk|write|I/O' "$T/fsz.err" || soft "ulimit -f: unclear error: $(head -c 300 "$T/fsz.err")"
consistent "$T/fsz.db" "ulimit -f"
rerun_matches "$T/fsz.db" "ulimit -f"

# ---- disk full (2): a 1 MB tmpfs, when this user may mount one
mkdir -p "$T/mnt"
if mount -t tmpfs -o size=1m tmpfs "$T/mnt" 2>/dev/null; then
    MNT="$T/mnt"
    run tmpfs "$S" "${ING[@]}" "$T/corpus.jsonl" --db "$MNT/full.db"
    [ $rc -ne 0 ] || fail "tmpfs: ingest reported success on a full disk"
    grep -qiE 'full|space|disk|write|I/O' "$T/tmpfs.err" || soft "tmpfs: unclear error: $(head -c 300 "$T/tmpfs.err")"
    cp "$MNT"/full.db* "$T/" 2>/dev/null
    consistent "$MNT/full.db" "tmpfs"
    mount -o remount,size=64m "$MNT" || fail "tmpfs: cannot grow the file system"
    rerun_matches "$MNT/full.db" "tmpfs"
    # ---- read-only database: the file system remounted read-only
    mount -o remount,ro "$MNT" || fail "cannot remount read-only"
    run ro "$S" "${ING[@]}" "$T/corpus.jsonl" --db "$MNT/full.db"
    [ $rc -ne 0 ] || fail "read-only file system: ingest reported success"
    grep -qiE 'read-only|readonly|permission|cannot|unable' "$T/ro.err" || soft "read-only: unclear error: $(head -c 300 "$T/ro.err")"
    run ro_summary "$S" summary --db "$MNT/full.db"
    [ $rc -eq 0 ] || soft "read-only file system: summary failed: $(head -c 300 "$T/ro_summary.err")"
    umount "$MNT"; MNT=""
else
    echo "faults.sh: cannot mount a tmpfs here: the small-disk and read-only file system cases skipped"
fi

# ---- read-only database file (permissions: only meaningful when not root)
if [ "$(id -u)" != 0 ]; then
    cp "$T/ref.db" "$T/rof.db"
    chmod a-w "$T/rof.db"
    printf '{"id": "new-1", "date": "2024-05-01", "text": "Israeli troops attacked Hamas fighters."}\n' > "$T/new.jsonl"
    run rof "$S" "${ING[@]}" "$T/new.jsonl" --db "$T/rof.db"
    [ $rc -ne 0 ] || fail "read-only file: ingest reported success"
    grep -qiE 'read-only|readonly|permission|cannot|unable' "$T/rof.err" || soft "read-only file: unclear error: $(head -c 300 "$T/rof.err")"
    [ "$(counts "$T/rof.db")" = "$REF" ] || fail "read-only file: contents changed"
fi

# ---- corrupt database files: clear error, no crash, the file left alone
printf 'this is not a database, just text\n%.0s' {1..200} > "$T/text.db"
head -c 65536 /dev/urandom > "$T/random.db"
head -c 12288 "$T/ref.db" > "$T/trunc.db"
cp "$T/ref.db" "$T/pages.db"
SZ=$(stat -c %s "$T/pages.db")
# scribble over pages in the middle of the file (the header stays valid)
for off in $((SZ / 3)) $((SZ / 2)) $((2 * SZ / 3)); do
    head -c 3000 /dev/urandom | dd of="$T/pages.db" bs=1 seek="$off" conv=notrunc status=none
done
for db in text random trunc pages; do
    sum=$(md5sum < "$T/$db.db")
    run "corrupt_$db" "$S" "${ING[@]}" "$T/corpus.jsonl" --db "$T/$db.db"
    if [ $rc -eq 0 ]; then
        # acceptable only for damaged pages the ingest never read (every article
        # was found stored through the indexes): SQLite finds damage when it reads it
        [ "$db" = pages ] || fail "corrupt $db: ingest reported success"
    else
        grep -qiE 'database|corrupt|malformed|not a' "$T/corrupt_$db.err" || soft "corrupt $db: unclear error: $(head -c 300 "$T/corrupt_$db.err")"
        [ "$db" = pages ] || [ "$(md5sum < "$T/$db.db")" = "$sum" ] || fail "corrupt $db: the file was changed"
    fi
    for cmd in summary query; do
        run "corrupt_${db}_$cmd" "$S" $cmd --db "$T/$db.db"
        [ $rc -le 2 ] || fail "corrupt $db: $cmd exit $rc"
        [ $rc -eq 0 ] || grep -qiE 'database|corrupt|malformed|not a' "$T/corrupt_${db}_$cmd.err" ||
            fail "corrupt $db: $cmd: unclear error: $(head -c 300 "$T/corrupt_${db}_$cmd.err")"
    done
done

# ---- SIGKILL mid-write, at a few points, then a rerun
for delay in 0.2 0.5 1.0; do
    rm -f "$T/kill.db"*
    "$S" "${ING[@]}" --batch 16 "$T/corpus.jsonl" --db "$T/kill.db" > /dev/null 2> "$T/kill.err" &
    pid=$!
    sleep "$delay"
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [ -f "$T/kill.db" ]; then
        # the killed run leaves a hot journal/WAL: sqlite3 recovers it when opening
        consistent "$T/kill.db" "SIGKILL after ${delay}s"
    fi
    rerun_matches "$T/kill.db" "SIGKILL after ${delay}s"
done
[ $FAILS -eq 0 ] || { echo "faults: $FAILS failed checks"; exit 1; }
echo "faults: all cases passed (reference: $REF articles/events)"
