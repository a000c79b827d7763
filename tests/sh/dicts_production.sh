#!/usr/bin/env bash
# dicts_production.sh - the peers' production dictionaries in ../shared/dictionaries
# (PETRARCH-2 CAMEO.2.0 verbs, PETRARCH-1 verb patterns, Phoenix actors, agents
# and discards; TABARI CAMEO verbs, CountryInfo and international actors, agents)
# load without an error, quirks included, and code the bundled examples.
# Skips when ../shared is absent. (Load time is measured by bench, not here.)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
SITREP=${SITREP:-$ROOT/build/sitrep}
P="$SHARED/dictionaries/petrarch"
T="$SHARED/dictionaries/tabari"
if [ ! -d "$P" ] || [ ! -d "$T" ]; then echo "dicts_production: $SHARED/dictionaries absent, skipped"; exit 0; fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
ACT="$P/Phoenix.Countries.actors.txt,$P/Phoenix.International.actors.txt,$P/Phoenix.MilNonState.actors.txt"
for V in CAMEO.2.0.txt CAMEO.verbpatterns.150430.txt; do
    if ! "$SITREP" code --petrarch-verbs "$P/$V" --petrarch-actors "$ACT" --petrarch-agents "$P/Phoenix.agents.txt" \
        --petrarch-discards "$P/Phoenix.discards.txt" --models '' --gazetteer '' "$ROOT"/examples/*.txt \
        >"$TMP/p.jsonl" 2>"$TMP/p.err"; then
        echo "dicts_production: PETRARCH $V failed:"; head -5 "$TMP/p.err"; fail=1; continue
    fi
    n=$(wc -l <"$TMP/p.jsonl")
    echo "dicts_production: PETRARCH $V + Phoenix: $n events from the examples"
    [ "$n" -ge 10 ] || { echo "dicts_production: too few events with $V"; fail=1; }
done
cat >"$TMP/prod.project" <<P2
<actorsfile> $T/CountryInfo.120116.actors
<actorsfile> $T/Internatnl.120521.actors
<verbsfile> $T/CAMEO.091003.master.verbs
<agentsfile> $T/PSU.120522.agents
<optionsfile> $T/CAMEO.09b5.options
P2
if ! "$SITREP" code --tabari-project "$TMP/prod.project" --models '' --gazetteer '' "$ROOT"/examples/*.txt \
    >"$TMP/t.jsonl" 2>"$TMP/t.err"; then
    echo "dicts_production: TABARI failed:"; head -5 "$TMP/t.err"; fail=1
else
    n=$(wc -l <"$TMP/t.jsonl")
    echo "dicts_production: TABARI CAMEO + CountryInfo: $n events from the examples"
    [ "$n" -ge 10 ] || { echo "dicts_production: too few TABARI events"; fail=1; }
fi
# a known sentence codes as the dictionaries say
echo '{"id":"x","date":"2010-06-01","text":"Israel condemned Iran on Monday."}' >"$TMP/x.jsonl"
got=$("$SITREP" code --petrarch-verbs "$P/CAMEO.2.0.txt" --petrarch-actors "$ACT" --petrarch-agents "$P/Phoenix.agents.txt" \
    --models '' --gazetteer '' "$TMP/x.jsonl" | grep -c '"code": "ISR".*"code": "IRN".*"code": "1')
[ "$got" -ge 1 ] || { echo "dicts_production: 'Israel condemned Iran' not coded ISR IRN 1xx"; fail=1; }
exit $fail
