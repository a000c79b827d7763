#!/bin/bash
# report.sh - `sitrep report` over a store built from examples/: the HTML for
# a country, an actor, a dyad and a relative period holds the headline
# counts (checked against `sitrep query`), the timeline and map SVG, the top
# dyads and places and the key sentences, and references nothing outside
# itself; usage errors exit 2; --pdf renders through headless chromium and
# poppler's pdftoppm turns the pages into PNG. The PDF part skips when
# chromium or pdftoppm is missing.
set -u
: "${SITREP:?set SITREP to the sitrep program}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/sitrep-report.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "report: FAIL: $*"; fail=1; }

"$SITREP" ingest "$ROOT/examples" --db "$T/ex.db" --quiet >/dev/null 2>"$T/ingest.err" ||
  { echo "report: ingest failed: $(cat "$T/ingest.err")"; exit 1; }

count() { "$SITREP" query --db "$T/ex.db" "$@" --format tsv | tail -n +2 | wc -l; }
has() { grep -qF -- "$2" "$1" || bad "$(basename "$1") lacks: $2"; }

# html_esc: escape stdin as the report does
html_esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g"; }

# report NAME QUERY_ARGS -- REPORT_ARGS: the HTML in $T/NAME.html, checked
# against `sitrep query QUERY_ARGS` (the same selection): the counts, the
# most frequent dyad and place, the map when places are located, the key
# sentences (the first merged event's sentence among them).
report() {
  local name=$1; shift
  local q=()
  while [ "$1" != -- ]; do q+=("$1"); shift; done
  shift
  "$SITREP" report --db "$T/ex.db" "$@" -o "$T/$name.html" 2>"$T/$name.err" ||
    { bad "$name: exit $?: $(cat "$T/$name.err")"; return 1; }
  local f="$T/$name.html"
  for want in '<!doctype html>' '</html>' 'id="headline"' 'id="places"' 'id="dyads"' 'id="key"'; do
    has "$f" "$want"
  done
  # nothing outside the file: no scripts, links, images, frames or CSS urls
  if grep -qiE '<script|<link|<img|<iframe|src=|href=|url\(|@import' "$f"; then
    bad "$name: the HTML references something outside itself: $(grep -oiE '<script|<link|<img|<iframe|src=[^ >]*|href=[^ >]*|url\([^)]*\)|@import' "$f" | head -3 | tr '\n' ' ')"
  fi
  if command -v xmllint >/dev/null && ! xmllint --html --noout "$f" 2>"$T/$name.lint"; then
    bad "$name: xmllint --html: $(head -3 "$T/$name.lint")"
  fi
  "$SITREP" query --db "$T/ex.db" "${q[@]}" --format tsv | tail -n +2 > "$T/$name.ev"
  "$SITREP" query --db "$T/ex.db" "${q[@]}" --clusters --format tsv | tail -n +2 > "$T/$name.cl"
  local nev ncl
  nev=$(wc -l < "$T/$name.ev"); ncl=$(wc -l < "$T/$name.cl")
  has "$f" "id=\"n-events\">$nev<"
  has "$f" "id=\"n-clusters\">$ncl<"
  [ "$nev" -gt 0 ] || return 0
  has "$f" 'id="timeline"'
  has "$f" '<svg'
  # columns: 5 source, 6 target, 14 place, 16 lat, 25 sentence_text
  local top
  top=$(awk -F'\t' '$5 != "" && $6 != "" {n[$5 "</td><td>" $6]++} END {for (k in n) print n[k] "\t" k}' "$T/$name.ev" |
        sort -t$'\t' -k1,1nr -k2,2 | head -1 | cut -f2)
  [ -n "$top" ] && has "$f" ">$top<"
  top=$(awk -F'\t' '$14 != "" {n[$14]++} END {for (k in n) print n[k] "\t" k}' "$T/$name.ev" |
        sort -t$'\t' -k1,1nr -k2,2 | head -1 | cut -f2)
  [ -n "$top" ] && has "$f" ">$(printf '%s' "$top" | html_esc)</td>"
  if awk -F'\t' '$16 != "" {found = 1} END {exit !found}' "$T/$name.ev"; then
    has "$f" 'class="map"'
    has "$f" '<circle'
    [ -s "$ROOT/web/world.tsv" ] && has "$f" '<path d="M'
  fi
  local items want
  items=$(grep -c '<li><q>' "$f")
  want=$(cut -f25 "$T/$name.cl" | sort -u | wc -l)
  want=$(( want < 8 ? want : 8 ))
  [ "$items" -eq "$want" ] || bad "$name: $items key sentences, wanted $want (distinct sentences, at most 8)"
  has "$f" 'rule <code>kb/'
  # every key sentence is one of the selection's sentences
  grep -o '<li><q>.*</q>' "$f" | sed -e 's/<li><q>//' -e 's/<\/q>$//' -e 's/<\/\?mark>//g' > "$T/$name.key"
  cut -f25 "$T/$name.cl" | html_esc | sort -u > "$T/$name.sents"
  while IFS= read -r line; do
    grep -qxF -- "$line" "$T/$name.sents" || bad "$name: key sentence not in the selection: $line"
  done < "$T/$name.key"
}

report isr --country ISR -- --country ISR
has "$T/isr.html" "Situation report: ISR"
report sdn --actor SDN -- --actor SDN --title 'Sudan <test> & "quotes"'
has "$T/sdn.html" 'Sudan &lt;test&gt; &amp; &quot;quotes&quot;'
report dyad --source PAKMIL --target IND --since 2025-05-01 --until 2025-05-31 -- \
  --dyad PAKMIL:IND --since 2025-05-01 --until 2025-05-31
has "$T/dyad.html" "Dyad (source:target)"
report recent --since 7d -- --since 7d
report all --

# no events: still a whole report
"$SITREP" report --db "$T/ex.db" --country ATA -o "$T/none.html" 2>/dev/null || bad "empty report: exit $?"
has "$T/none.html" 'id="no-events"'

# usage errors
expect2() { "$SITREP" report "$@" >/dev/null 2>&1; local rc=$?; [ $rc -eq 2 ] || bad "report $*: exit $rc, wanted 2"; }
expect2
expect2 --db "$T/ex.db" --dyad RUS
expect2 --db "$T/ex.db" --country ISR --actor RUS
expect2 --db "$T/ex.db" --bogus
expect2 --db "$T/ex.db" --pdf "$T/x.pdf"
"$SITREP" report --db "$T/ex.db" --since nonsense -o "$T/bad.html" >/dev/null 2>&1 && bad "a bad --since was accepted"
[ -e "$T/bad.html" ] && bad "a failed report left its file"
"$SITREP" report --db "$T/missing.db" >/dev/null 2>&1 && bad "a missing database was accepted"

# PDF and PNG pages
CHROMIUM=${CHROMIUM:-chromium}
if ! command -v "$CHROMIUM" >/dev/null; then
  echo "report: SKIP the PDF (no chromium; run scripts/setup.sh)"
elif ! command -v pdftoppm >/dev/null; then
  echo "report: SKIP the PDF (no pdftoppm: poppler-utils; run scripts/setup.sh)"
else
  if CHROMIUM=$CHROMIUM "$SITREP" report --db "$T/ex.db" --country ISR -o "$T/p.html" --pdf "$T/p.pdf" 2>"$T/pdf.err"; then
    head -c 5 "$T/p.pdf" | grep -q '%PDF-' || bad "the PDF does not start with %PDF-"
    if pdftoppm -png -r 50 "$T/p.pdf" "$T/page" 2>"$T/ppm.err"; then
      np=$(ls "$T"/page-*.png 2>/dev/null | wc -l)
      [ "$np" -ge 1 ] || bad "pdftoppm made no pages"
      for p in "$T"/page-*.png; do
        [ "$(head -c 4 "$p" | tail -c 3)" = PNG ] || bad "$p is not a PNG"
      done
      if command -v pdftotext >/dev/null; then
        pdftotext "$T/p.pdf" "$T/p.txt" && grep -q "Situation report: ISR" "$T/p.txt" || bad "the PDF text lacks the title"
      fi
      [ -n "${BUILD:-}" ] && mkdir -p "$BUILD/report" && cp "$T/p.pdf" "$T/p.html" "$T"/page-*.png "$BUILD/report/" 2>/dev/null
      echo "report: PDF of $np page(s) rendered"
    else
      bad "pdftoppm failed: $(cat "$T/ppm.err")"
    fi
  else
    bad "--pdf failed: $(cat "$T/pdf.err")"
  fi
fi

if [ $fail -eq 0 ]; then echo "report: ok"; else echo "report: FAILED"; fi
exit $fail
