#!/usr/bin/env bash
# bench/code.sh - throughput of `sitrep code`: one thread and --jobs 2, time
# per stage, startup, peak memory, and the ratio of end-to-end time to the
# read + segment stages. Uses ../shared/corpus/reuters21578.jsonl when present,
# else the bundled examples. Prints figures; never fails on a timing.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SITREP:-build/sitrep}
CORPUS=../shared/corpus/reuters21578.jsonl
IN=$(mktemp)
trap 'rm -f "$IN"' EXIT
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
# startup: knowledge base, models and gazetteer loaded, nothing coded
for i in 1 2 3; do
  printf 'date 2024-01-01\nHello.\n' | /usr/bin/env time -a -o /tmp/bench_start.$$ -f "%e %M" "$S" code - > /dev/null 2>&1 || true
done
awk '/^[0-9.]+ [0-9]+$/ {s+=$1; if ($2>m) m=$2; n++} END {printf "startup (kb + models + gazetteer): %.3f s mean of %d, %d MB RSS\n", s/n, n, m/1024}' /tmp/bench_start.$$ # END {printf "startup (kb + models + gazetteer): %.3f s mean of %d, %d MB RSS\n", s/NR, NR, m/1024}' /tmp/bench_start.$$
rm -f /tmp/bench_start.$$
"$S" code "$IN" > /dev/null 2>&1 || true   # warm-up (page cache)
for jobs in 1 2; do
  for run in 1 2 3; do
    "$S" code --stats --jobs $jobs "$IN" 2> /tmp/bench_stats.$$ > /dev/null || true
    if [ $run -eq 3 ]; then
      echo "--- --jobs $jobs (run $run of 3)"
      sed 's/^stats: /  /' /tmp/bench_stats.$$
    fi
    grep -o '[0-9]* sentences/s' /tmp/bench_stats.$$ | cut -d' ' -f1 >> /tmp/bench_rate.$$.$jobs
  done
done
r1=$(sort -n /tmp/bench_rate.$$.1 | tail -1); r2=$(sort -n /tmp/bench_rate.$$.2 | tail -1)
echo "best of 3: one thread $r1 sentences/s, --jobs 2 $r2 sentences/s, speed-up $(awk -v a=$r1 -v b=$r2 'BEGIN{printf "%.2f", b/a}')x"
rm -f /tmp/bench_rate.$$.* /tmp/bench_stats.$$
