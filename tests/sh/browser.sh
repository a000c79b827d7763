#!/bin/bash
# browser.sh - the dashboard in a real browser: builds a store from examples/,
# starts `sitrep serve` on a free port and runs tests/browser/dashboard.js
# (Playwright's playwright-core driving Debian's chromium): map, timeline and
# table drawn, a filter applied, an event clicked, its sentence shown with
# actors and verb marked and its kb rule; screenshots go to $BUILD/screenshots/.
# Skips (exit 0) when node, chromium or playwright-core is missing
# (scripts/setup.sh installs them).
set -u
: "${SITREP:?set SITREP to the sitrep program}"
: "${BUILD:?set BUILD to the build directory}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
PW="$ROOT/tests/browser/node_modules/playwright-core/package.json"
command -v node >/dev/null || { echo "browser: SKIP (no node; run scripts/setup.sh)"; exit 0; }
[ -x "$CHROMIUM" ] || { echo "browser: SKIP (no $CHROMIUM; run scripts/setup.sh)"; exit 0; }
[ -f "$PW" ] || { echo "browser: SKIP (no playwright-core; run scripts/setup-web.sh)"; exit 0; }

T=$(mktemp -d /tmp/sitrep-browser.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
"$SITREP" ingest "$ROOT/examples" --db "$T/ex.db" --quiet >/dev/null 2>"$T/ingest.err" ||
  { echo "browser: ingest failed: $(cat "$T/ingest.err")"; exit 1; }
"$SITREP" serve --db "$T/ex.db" --port 0 --web "$ROOT/web" --no-code 2>"$T/serve.log" &
PID=$!
PORT=
for _ in $(seq 100); do
  PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$T/serve.log")
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "browser: the server did not start: $(cat "$T/serve.log")"; exit 1; }
mkdir -p "$BUILD/screenshots"
CHROMIUM="$CHROMIUM" timeout 120 node "$ROOT/tests/browser/dashboard.js" "http://127.0.0.1:$PORT" "$BUILD/screenshots"
rc=$?
[ $rc -eq 0 ] && echo "browser: ok (screenshots in $BUILD/screenshots)" || echo "browser: FAILED"
exit $rc
