#!/bin/bash
# store_kill.sh - `sitrep ingest` killed with SIGKILL at random points, then
# run again, must leave exactly the database an uninterrupted run leaves
# (articles, events, clusters, actors, places, near-duplicate bands), with one
# or two coder threads. The articles are generated here from templates
# (countries, verbs, places, dates, outlets), with rewrites of one story,
# exact copies under new ids, repeated ids and one bad record.
set -u
: "${SITREP:?set SITREP to the sitrep program}"
command -v sqlite3 >/dev/null || { echo "store_kill: sqlite3 (Debian package sqlite3) missing: skipped"; exit 0; }
T=$(mktemp -d /tmp/sitrep-store-kill.XXXXXX)
trap 'rm -rf "$T"' EXIT
C="$T/corpus"
mkdir -p "$C/text"
# a snapshot of the knowledge base, so that edits to kb/ during the test
# cannot make two runs code differently
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cp -r "$ROOT/kb" "$T/kb"
KB=(--kb "$T/kb")

# ---- generate ~300 articles
awk -v dir="$C" 'BEGIN {
  nc = split("Israeli|Russian|French|Indian|Chinese|Turkish|Egyptian|Kenyan|Brazilian|Japanese", dem, "|")
  split("Palestinian|Ukrainian|German|Pakistani|Japanese|Greek|Sudanese|Somali|Argentine|Korean", oth, "|")
  split("Gaza|Kharkiv|Berlin|Kashmir|Tokyo|Athens|Cairo|Nairobi|Buenos Aires|Seoul", city, "|")
  nv = split("attacked|met|praised|criticized|arrested|threatened|accused|signed an agreement with", verb, "|")
  split("troops|officials|leaders|police|diplomats|ministers|forces|negotiators", who, "|")
  split("protesters|officials|counterparts|citizens|fishermen|envoys|soldiers|leaders", whom, "|")
  no = split("Reuters|AP|AFP|BBC|Al Jazeera", outlet, "|")
  jl = dir "/part1.jsonl"
  for (i = 1; i <= 300; i++) {
    c = (i * 7) % nc + 1; v = (i * 3) % nv + 1; d = 1 + (i % 20)
    date = sprintf("2024-03-%02d", d)
    s1 = dem[c] " " who[(i % 8) + 1] " " verb[v] " " oth[c] " " whom[(i % 8) + 1] " in " city[c] " on " date "."
    s2 = "The report, number " i ", was filed by a correspondent for " outlet[(i % no) + 1] "."
    s3 = (i % 3 == 0) ? (dem[(c % nc) + 1] " officials met " oth[(c % nc) + 1] " diplomats in " city[(c % nc) + 1] ".") : ""
    text = s1 " " s2 (s3 == "" ? "" : " " s3)
    if (i % 10 == 0) text = "In a rewrite: " text " Witnesses confirmed the account."
    id = sprintf("gen-%03d", i)
    if (i % 40 == 0) id = sprintf("gen-%03d", i - 1)          # a repeated id
    if (i % 25 == 0) text = prev                               # a copy under a new id
    prev = text
    if (i <= 200) {
      gsub(/"/, "\\\"", text)
      printf "{\"id\": \"%s\", \"date\": \"%s\", \"source\": \"%s\", \"text\": \"%s\"}\n", id, date, outlet[(i % no) + 1], text > jl
      if (i == 120) print "{\"id\": \"broken\", \"date\": " > jl
    } else {
      f = sprintf("%s/text/%03d.txt", dir, i)
      printf "date %s\n%s\n", date, text > f
      close(f)
    }
  }
}'

dump() {
  sqlite3 "$1" "SELECT id, ext_id, content_hash, hex(minhash), dup_of, dup_similarity, date, title, url, source, outlet, file, line, nbytes, nsentences, nevents, length(text) FROM articles ORDER BY id;
                SELECT * FROM events ORDER BY id;
                SELECT * FROM clusters ORDER BY id;
                SELECT * FROM actors ORDER BY id;
                SELECT * FROM places ORDER BY id;
                SELECT * FROM article_bands ORDER BY rowid;"
}

# ---- the uninterrupted run
t0=$(date +%s%N)
"$SITREP" ingest "$C" "${KB[@]}" --db "$T/ref.db" --batch 7 --quiet 2>"$T/ref.err"
rc=$?
t1=$(date +%s%N)
if [ $rc -ne 1 ]; then echo "store_kill: reference ingest exited $rc (wanted 1: one bad record)"; cat "$T/ref.err"; exit 1; fi
grep -q 'part1.jsonl:121: ' "$T/ref.err" || { echo "store_kill: bad record not named as FILE:LINE"; cat "$T/ref.err"; exit 1; }
dump "$T/ref.db" >"$T/ref.dump"
n=$(sqlite3 "$T/ref.db" "SELECT count(*) FROM articles")
[ "$n" -ge 250 ] || { echo "store_kill: only $n articles stored"; exit 1; }
dur_ms=$(( (t1 - t0) / 1000000 ))
[ $dur_ms -lt 50 ] && dur_ms=50
[ $dur_ms -gt 5000 ] && dur_ms=5000
echo "store_kill: reference: $n articles, $(sqlite3 "$T/ref.db" "SELECT count(*) FROM events") events, $(sqlite3 "$T/ref.db" "SELECT count(*) FROM clusters") clusters"

# ---- killed runs
fail=0
kills=0
for round in 1 2 3 4; do
  db="$T/run$round.db"
  jobs=$(( round % 2 + 1 ))
  for attempt in 1 2 3 4 5 6; do
    "$SITREP" ingest "$C" "${KB[@]}" --db "$db" --batch 7 --jobs $jobs --quiet 2>/dev/null &
    pid=$!
    ms=$(( (RANDOM * 32768 + RANDOM) % dur_ms ))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -9 $pid 2>/dev/null && kills=$((kills + 1))
    wait $pid 2>/dev/null
  done
  "$SITREP" ingest "$C" "${KB[@]}" --db "$db" --batch 7 --jobs $jobs --quiet 2>/dev/null
  dump "$db" >"$T/run.dump"
  if ! cmp -s "$T/ref.dump" "$T/run.dump"; then
    echo "store_kill: round $round (--jobs $jobs): database differs from the uninterrupted run"
    diff "$T/ref.dump" "$T/run.dump" | head -20
    fail=1
  fi
  # and a rerun over a complete database stores nothing
  "$SITREP" ingest "$C" "${KB[@]}" --db "$db" --batch 7 --jobs $jobs --quiet 2>/dev/null
  dump "$db" >"$T/run2.dump"
  cmp -s "$T/ref.dump" "$T/run2.dump" || { echo "store_kill: a second ingest changed the database"; fail=1; }
done
echo "store_kill: 4 rounds, $kills kills"
[ $fail -eq 0 ] && echo "store_kill: ok"
exit $fail
