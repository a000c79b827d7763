#!/usr/bin/env bash
# bench/code.sh - throughput of `sitrep code`: one thread and --jobs 2, time
# per stage, startup, peak memory, and the ratio of end-to-end time to the
# read + segment stages, against the goals of issue 8. Uses
# ../shared/corpus/reuters21578.jsonl when present (BENCH_ARTICLES of them,
# default 5000), else the bundled examples. Each setting runs BENCH_RUNS times
# (default 5); the median is printed and the best run is shown in full. The
# load average is printed before and after: figures taken while other jobs
# share the cores are low.
# Prints figures; never fails on a timing.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SITREP:-build/sitrep}
RUNS=${BENCH_RUNS:-5}
CORPUS=../shared/corpus/reuters21578.jsonl
IN=$(mktemp)
TMP=$(mktemp -d)
trap 'rm -rf "$IN" "$TMP"' EXIT
if [ -f "$CORPUS" ]; then
  head -n "${BENCH_ARTICLES:-5000}" "$CORPUS" > "$IN"
  echo "bench/code: $(wc -l < "$IN") Reuters articles ($(du -h "$IN" | cut -f1))"
else
  for f in examples/*.txt; do
    python3 -c 'import json,sys; t=open(sys.argv[1]).read().split("\n",1); print(json.dumps({"id":sys.argv[1],"date":t[0][5:15],"text":t[1]}))' "$f"
  done > "$IN"
  echo "bench/code: bundled examples (../shared absent)"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# startup: knowledge base, models and gazetteer loaded, nothing coded
for i in 1 2 3; do
  printf 'date 2024-01-01\nHello.\n' | /usr/bin/env time -a -o "$TMP/start" -f "%e %M" "$S" code - > /dev/null 2>&1 || true
done
awk '/^[0-9.]+ [0-9]+$/ {s+=$1; if ($2>m) m=$2; n++} END {printf "startup (kb + models + gazetteer): %.3f s mean of %d, %d MB RSS\n", s/n, n, m/1024}' "$TMP/start"
start=$(awk '/^[0-9.]+ [0-9]+$/ {s+=$1; n++} END {printf "%.3f", s/n}' "$TMP/start")
"$S" code "$IN" > /dev/null 2>&1 || true   # warm-up (page cache)
rate() { grep -o '[0-9]* sentences/s' "$1" | cut -d' ' -f1; }
median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2))}'; }
for jobs in 1 2; do
  best=0
  : > "$TMP/rates.$jobs"
  for run in $(seq "$RUNS"); do
    "$S" code --stats --jobs $jobs "$IN" 2> "$TMP/stats" > /dev/null || true
    r=$(rate "$TMP/stats")
    echo "$r" >> "$TMP/rates.$jobs"
    echo "  --jobs $jobs run $run: $r sentences/s"
    if [ "$r" -gt "$best" ]; then best=$r; cp "$TMP/stats" "$TMP/best.$jobs"; fi
  done
  echo "  --jobs $jobs median of $RUNS: $(median "$TMP/rates.$jobs") sentences/s"
  echo "--- --jobs $jobs, best of $RUNS"
  sed 's/^stats: /  /' "$TMP/best.$jobs"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
r1=$(rate "$TMP/best.1"); r2=$(rate "$TMP/best.2")
med1=$(median "$TMP/rates.1")
ratio=$(grep -o 'read + segment) = [0-9.]*' "$TMP/best.1" | awk '{print $NF}')
rss=$(cat "$TMP/best.1" "$TMP/best.2" | grep -o 'peak RSS [0-9]*' | awk '{if ($3>m) m=$3} END {print m}')
echo "best: one thread $r1 sentences/s, --jobs 2 $r2 sentences/s, speed-up $(awk -v a="$r1" -v b="$r2" 'BEGIN{printf "%.2f", b/a}')x"
awk -v r1="$r1" -v med1="$med1" -v r2="$r2" -v st="$start" -v rss="$rss" -v ratio="$ratio" 'BEGIN {
  ok = "met"; no = "NOT met";
  printf "issue 8 goals:\n";
  printf "  one thread >= 10000 sentences/s: best %d (%s), median %d\n", r1, (r1 >= 10000 ? ok : no), med1;
  printf "  --jobs 2 >= 1.8x one thread: %.2fx (%s)\n", r2 / r1, (r2 / r1 >= 1.8 ? ok : no);
  printf "  startup <= 0.300 s: %.3f s (%s)\n", st, (st <= 0.3 ? ok : no);
  printf "  peak RSS <= 500 MB: %d MB (%s)\n", rss, (rss <= 500 ? ok : no);
  printf "  end-to-end <= 30x read + segment: %.1fx (%s)\n", ratio, (ratio <= 30 ? ok : no) }'
