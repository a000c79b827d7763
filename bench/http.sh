#!/bin/bash
# http.sh - HTTP benchmark (make bench / make bench-http): `wrk` against
# /api/events of `sitrep serve` on loopback, over a store of examples/.
# Target: >= 5,000 requests/s, p99 < 50 ms, no errors (the default run, one
# URL, answered from the response cache after the first request). Also
# printed: the same with --no-cache (every answer computed from SQLite), and
# a mixed run over many pages. Exits 1 when the target is missed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SITREP=${SITREP:-$ROOT/${BUILD:-build}/sitrep}
[ -x "$SITREP" ] || { echo "bench/http: no $SITREP (make first, or set SITREP)"; exit 1; }
DUR=${BENCH_SECONDS:-10}
command -v wrk >/dev/null || { echo "bench/http: SKIP (no wrk; apt-get install wrk)"; exit 0; }
T=$(mktemp -d /tmp/sitrep-bench-http.XXXXXX)
PID=
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=; }
trap 'stop; rm -rf "$T"' EXIT
"$SITREP" ingest "$ROOT/examples" --db "$T/ex.db" --quiet >/dev/null 2>&1 || { echo "bench/http: ingest failed"; exit 1; }

start() { # start [serve options]
  "$SITREP" serve --db "$T/ex.db" --port 0 --no-code "$@" 2>"$T/serve.log" &
  PID=$!
  PORT=
  for _ in $(seq 100); do
    PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$T/serve.log")
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "bench/http: the server did not start: $(cat "$T/serve.log")"; exit 1
}

# run NAME URL [wrk args]: prints one line of figures; sets RPS P99MS ERRS
run() {
  local name=$1 url=$2; shift 2
  wrk -t2 -c32 -d"${DUR}s" --latency "$@" "$url" > "$T/wrk.txt" 2>&1
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$T/wrk.txt")
  local p99; p99=$(awk '$1 == "99%" {print $2}' "$T/wrk.txt")
  P99MS=$(echo "$p99" | awk '/us$/ {sub("us",""); print $1/1000; next} /ms$/ {sub("ms",""); print $1; next} /s$/ {sub("s",""); print $1*1000}')
  local sock non2xx
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$T/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$T/wrk.txt")
  ERRS=$(( ${sock:-0} + ${non2xx:-0} ))
  printf 'bench/http: %-34s %9s requests/s  p50 %-8s p99 %-8s errors %s\n' "$name" "$RPS" \
    "$(awk '$1 == "50%" {print $2}' "$T/wrk.txt")" "$p99" "$ERRS"
}

cat > "$T/pages.lua" <<'LUA'
-- cycle through pages and filters (each distinct URL is computed once)
local i = 0
local q = {"", "&quad=4", "&country=ISR", "&sort=-goldstein", "&plover=consult", "&clusters=1"}
request = function()
  i = i + 1
  return wrk.format("GET", "/api/events?limit=10&offset=" .. (i % 7) * 5 .. q[i % #q + 1])
end
LUA

echo "bench/http: wrk -t2 -c32 -d${DUR}s on $(nproc) CPUs, store of $(ls "$ROOT/examples" | wc -l) example articles"
start
run "/api/events (target)" "http://127.0.0.1:$PORT/api/events"
T_RPS=$RPS T_P99=$P99MS T_ERR=$ERRS
run "/api/events pages+filters" "http://127.0.0.1:$PORT" -s "$T/pages.lua"
stop
start --no-cache
run "/api/events --no-cache" "http://127.0.0.1:$PORT/api/events"
run "/api/events?limit=10 --no-cache" "http://127.0.0.1:$PORT/api/events?limit=10"
stop

ok=$(awk -v r="$T_RPS" -v p="$T_P99" -v e="$T_ERR" 'BEGIN {print (r >= 5000 && p < 50 && e == 0) ? 1 : 0}')
if [ "$ok" = 1 ]; then
  echo "bench/http: target met: $T_RPS requests/s >= 5000, p99 ${T_P99} ms < 50, $T_ERR errors"
else
  echo "bench/http: TARGET MISSED: $T_RPS requests/s (>= 5000), p99 ${T_P99} ms (< 50), $T_ERR errors (0)"
  exit 1
fi
