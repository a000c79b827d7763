#!/usr/bin/env bash
# bench/dask.sh - throughput of coding a corpus with the Dask runner
# (python3 -m sitrep.dask) on a local cluster of 2 worker processes vs 1
# worker vs the plain CLI (`sitrep code`, one thread), on this machine.
# Uses the head of ../shared/corpus/reuters21578.jsonl when present
# (DASK_BENCH_ARTICLES, default 2000, keeps it to about a minute on an idle machine), else the
# bundled examples repeated. Each Dask figure is given twice: for the whole
# command (cluster start-up included) and from the moment the cluster is up
# (workers still load their Coder). CPU ms/article (the CLI's user+system
# time; the workers' coding threads' CPU time, Coder load included) shows the
# cost per article apart from how busy the machine is. Prints figures; never
# fails on a timing.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
S=${SITREP:-$BUILD/sitrep}
N=${DASK_BENCH_ARTICLES:-2000}
PART=${DASK_BENCH_PARTITION:-100}

py=""
for c in ${PYTHON:-} python3 /usr/bin/python3; do
  command -v "$c" >/dev/null 2>&1 || continue
  if "$c" -c "import distributed" >/dev/null 2>&1; then py=$c; break; fi
done
if [ -z "$py" ]; then echo "bench/dask: skipped (python3-distributed not installed)"; exit 0; fi
if [ ! -x "$S" ] || [ ! -f "$BUILD/libsitrep.so" ]; then echo "bench/dask: skipped (run make first)"; exit 0; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Run on a snapshot of the program, the library and the default home (kb,
# models, gazetteer), so that a rebuild or kb edit in the working tree during
# the run cannot change one of the three runs only.
HOME_SRC=${SITREP_HOME:-$PWD}
mkdir -p "$T/home/build"
cp "$S" "$T/sitrep" && cp "$BUILD/libsitrep.so" "$T/libsitrep.so" || { echo "bench/dask: skipped (build in progress?)"; exit 0; }
for d in kb models; do [ -d "$HOME_SRC/$d" ] && cp -r "$HOME_SRC/$d" "$T/home/$d"; done
[ -f "$HOME_SRC/build/gazetteer.bin" ] && cp "$HOME_SRC/build/gazetteer.bin" "$T/home/build/"
S=$T/sitrep
export SITREP_HOME="$T/home" SITREP_LIB="$T/libsitrep.so"
export PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1
IN=$T/corpus.jsonl
CORPUS=../shared/corpus/reuters21578.jsonl
if [ -f "$CORPUS" ]; then
  head -n "$N" "$CORPUS" > "$IN"
  echo "bench/dask: $(wc -l < "$IN") Reuters-21578 articles ($(du -h "$IN" | cut -f1)), partitions of $PART"
else
  "$py" - "$IN" <<'PY'
import json, sys, glob, sitrep
arts = [a for f in sorted(glob.glob("examples/*.txt")) for a in sitrep.read_articles(f)]
with open(sys.argv[1], "w") as out:
    for i in range(25 * len(arts)):
        a = arts[i % len(arts)]
        out.write(json.dumps({"id": f"{a['id']}-{i}", "date": a["date"], "text": a["text"]}) + "\n")
PY
  echo "bench/dask: bundled examples x25 ($(wc -l < "$IN") articles; ../shared absent), partitions of $PART"
  PART=25
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s.%N; }
"$S" code "$IN" > /dev/null 2>&1 || true   # warm the page cache
t0=$(now); /usr/bin/env time -f "%U %S" -o "$T/cli.cpu" "$S" code "$IN" > "$T/cli.jsonl" 2>/dev/null; t1=$(now)
arts=$(grep -c . "$IN"); evs=$(wc -l < "$T/cli.jsonl")
printf '%-34s %12s %10s %9s %14s\n' "" "articles/s" "events/s" "seconds" "CPU ms/article"
awk -v a="$arts" -v e="$evs" -v t0="$t0" -v t1="$t1" -v cpu="$(awk '{print $1+$2}' "$T/cli.cpu")" \
  'BEGIN{d=t1-t0; printf "%-34s %12.1f %10.1f %9.2f %14.2f\n", "plain CLI (sitrep code, 1 thread)", a/d, e/d, d, 1000*cpu/a}'

# the binding in one process: code_many on 1 and 2 threads (the GIL is
# released while C codes, so threads overlap)
"$py" - "$IN" <<'PY'
import sys, time, sitrep
recs = [r for r in map(sitrep.parse_jsonl_record, open(sys.argv[1], "rb")) if r]
c = sitrep.Coder()
for jobs in (1, 2):
    t = time.time()
    n = len(c.code_many(recs, jobs=jobs))
    d = time.time() - t
    print("%-34s %12.1f %10.1f %9.2f" % (f"python code_many, jobs={jobs}", len(recs) / d, n / d, d))
PY

for w in 1 2; do
  rm -rf "$T/out$w"
  if ! "$py" -m sitrep.dask "$IN" --out "$T/out$w" --workers $w --threads 1 --partition-size "$PART" --quiet \
       2> "$T/err$w"; then
    echo "dask, $w worker(s): failed:"; tail -5 "$T/err$w"; continue
  fi
  "$py" - "$T/out$w/_summary.json" "$w" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); w = sys.argv[2]
print("%-34s %12.1f %10.1f %9.2f" % (f"dask, {w} worker(s), whole command", s["articles_per_s"], s["events_per_s"], s["seconds"]))
busy = s["seconds"] - s["startup_seconds"]
print("%-34s %12.1f %10.1f %9.2f %14.2f" % (f"dask, {w} worker(s), cluster up", s["run_articles_per_s"],
      s["run_events_per_s"], busy, 1000 * s["cpu_seconds"] / max(s["articles"], 1)))
PY
  cat "$T/out$w"/part-*.jsonl > "$T/dask$w.jsonl"
  if cmp -s "$T/dask$w.jsonl" "$T/cli.jsonl"; then same="identical to the CLI's"; else same="DIFFERENT from the CLI's"; fi
  echo "  events of the $w-worker run: $same ($(wc -l < "$T/dask$w.jsonl") lines)"
done
if [ -f "$T/out1/_summary.json" ] && [ -f "$T/out2/_summary.json" ]; then
  "$py" - "$T/out1/_summary.json" "$T/out2/_summary.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print("speed-up 2 workers vs 1: %.2fx whole command, %.2fx once the cluster is up"
      % (a["seconds"] / b["seconds"], b["run_articles_per_s"] / a["run_articles_per_s"]))
PY
fi
