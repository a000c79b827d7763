#!/usr/bin/env bash
# parse_prefilter.sh - the parse is skipped for sentences that cannot hold an
# event (ctx.c, actors.c: may_code); SITREP_PARSE_ALL=1 turns that off. The
# events must be byte for byte the same either way: on the golden cases, the
# examples, a few built cases (pronouns with and without antecedents, agent
# words used as modifiers, discarded sentences), with and without the gazetteer, and on Reuters
# articles when ../shared is present.
set -euo pipefail
S=${SITREP:-build/sitrep}
T=$(dirname "$0")/..
ROOT=$T/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/built.txt" <<'TXT'
date 2024-05-02
It said profits rose 12 percent in the quarter. They expect more next year.
Police officers arrested the protesters in Nairobi. They were released later.
The company said it would close the plant. Military operations continued in the north.
Security forces fired on the crowd, witnesses said. He denied it.
Shares of the firm fell. It blamed the weather, and analysts who follow it agreed.
The army said it had attacked rebel positions. It also accused Rwanda of helping them.
Kenya beat Uganda in the football match in Kampala. They praised the fans, and police that guarded the stadium.
After the cup final, Nigeria's president congratulated the team. He met the players and police officials who helped.
TXT
inputs=("$tmp/built.txt" "$ROOT"/examples/*.txt "$T"/golden/coding/*.txt)
if [ -f "$ROOT/../shared/corpus/reuters21578.jsonl" ]; then
  head -n 400 "$ROOT/../shared/corpus/reuters21578.jsonl" > "$tmp/reuters.jsonl"
  inputs+=("$tmp/reuters.jsonl")
else
  echo "parse_prefilter: ../shared absent, Reuters articles skipped"
fi
fails=0
for gaz in default none; do
  g=(); [ $gaz = none ] && g=(--gazetteer '')
  for f in "${inputs[@]}"; do
    "$S" code "${g[@]}" "$f" > "$tmp/on" 2> /dev/null || true
    SITREP_PARSE_ALL=1 "$S" code "${g[@]}" "$f" > "$tmp/off" 2> /dev/null || true
    if ! cmp -s "$tmp/on" "$tmp/off"; then
      echo "FAIL $(basename "$f") (gazetteer $gaz): the events differ when every sentence is parsed"
      diff "$tmp/off" "$tmp/on" | head -5
      fails=$((fails + 1))
    fi
  done
done
# the examples give events at all (the comparison above is not vacuous)
[ "$("$S" code "$ROOT"/examples/*.txt | wc -l)" -gt 10 ] || { echo "FAIL: too few events on the examples"; fails=$((fails + 1)); }
[ $fails = 0 ] && echo "parse_prefilter: same events with and without the filter (${#inputs[@]} inputs)"
exit $((fails > 0))
