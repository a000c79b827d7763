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
[ $fails -eq 0 ] || { echo "golden: $fails failure(s)"; exit 1; }
echo "golden: ok"
