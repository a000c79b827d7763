#!/usr/bin/env bash
# golden.sh - golden cases through the CLI: tests/golden/segment/*.txt must
# split into the sentences of *.sents; tests/golden/coding/*.txt must give
# exactly the events of *.events ("SOURCE TARGET CODE" per line, "-" for no
# actor, a code ending in x accepts any code with that prefix).
set -euo pipefail
S=${SITREP:-build/sitrep}
G=$(dirname "$0")/../golden
fails=0
for f in "$G"/segment/*.txt; do
  want="${f%.txt}.sents"
  if ! diff <("$S" segment --models '' "$f") "$want" > /tmp/golden.diff.$$; then
    echo "FAIL segment $(basename "$f"):"; cat /tmp/golden.diff.$$; fails=$((fails+1))
  fi
done
rm -f /tmp/golden.diff.$$
for f in "$G"/coding/*.txt; do
  want="${f%.txt}.events"
  got=$("$S" code --format tsv "$f" | awk -F'\t' 'NR>1 {print ($4==""?"-":$4), ($5==""?"-":$5), $6}' | sort)
  if ! python3 - "$want" "$got" <<'PY'
import sys
want = [l.split() for l in open(sys.argv[1]) if l.strip()]
got = [l.split() for l in sys.argv[2].splitlines() if l.strip()]
def ok(w, g):
    return w[0] == g[0] and w[1] == g[1] and (w[2] == g[2] or (w[2].endswith("x") and g[2].startswith(w[2][:-1])))
left = list(got)
for w in want:
    m = next((g for g in left if ok(w, g)), None)
    if m is None:
        print("  missing:", " ".join(w)); sys.exit(1)
    left.remove(m)
if left:
    print("  unexpected:", "; ".join(" ".join(g) for g in left)); sys.exit(1)
PY
  then echo "FAIL coding $(basename "$f")"; fails=$((fails+1)); fi
done
# the bundled examples give the events a reader expects (more may appear)
EX=$(dirname "$0")/../../examples
for f in "$EX"/*.txt; do
  name=$(basename "$f" .txt)
  got=$("$S" code --format tsv "$f" | awk -F'\t' 'NR>1 {print ($4==""?"-":$4), ($5==""?"-":$5), $6}')
  grep "^$name " "$G/examples.must" | while read -r _ src tgt code; do
    echo "$got" | awk -v s="$src" -v t="$tgt" -v c="$code" '
      { ok = (s == "*" || $1 == s) && (t == "*" || $2 == t)
        if (substr(c, length(c)) == "x") ok = ok && index($3, substr(c, 1, length(c) - 1)) == 1
        else ok = ok && $3 == c
        if (ok) found = 1 }
      END { exit found ? 0 : 1 }' || echo "MISSING $name: $src $tgt $code"
  done
done > /tmp/golden_ex.$$
if [ -s /tmp/golden_ex.$$ ]; then cat /tmp/golden_ex.$$; fails=$((fails+$(wc -l < /tmp/golden_ex.$$))); fi
rm -f /tmp/golden_ex.$$
[ $fails -eq 0 ] || { echo "golden: $fails failure(s)"; exit 1; }
echo "golden: ok"
