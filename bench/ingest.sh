#!/usr/bin/env bash
# bench/ingest.sh - ingest rate of the Reuters corpus (../shared) or the
# bundled examples into a fresh SQLite store, --jobs 2. Prints the rate.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SITREP:-build/sitrep}
DB=$(mktemp -u /tmp/sitrep-bench-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
IN=../shared/corpus/reuters21578.jsonl
[ -f "$IN" ] || IN=examples
start=$(date +%s.%N)
"$S" ingest "$IN" --db "$DB" --jobs 2 2>&1 | tail -1
end=$(date +%s.%N)
n=$(sqlite3 "$DB" "select count(*) from articles")
e=$(sqlite3 "$DB" "select count(*) from events")
awk -v n="$n" -v e="$e" -v s="$start" -v t="$end" 'BEGIN { printf "ingest: %d articles, %d events in %.1f s: %.0f articles/s, %.0f events/s\n", n, e, t-s, n/(t-s), e/(t-s) }'
