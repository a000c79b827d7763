#!/usr/bin/env bash
# bench/parse.sh - tagger + parser accuracy and speed on UD English EWT test
# (../shared/treebanks; skipped when absent): model load time and tokens/s
# are printed by eval-parse on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SITREP:-build/sitrep}
T=../shared/treebanks/en_ewt-ud-test.conllu
[ -f "$T" ] || { echo "bench/parse: ../shared/treebanks absent, skipped"; exit 0; }
for i in 1 2 3; do "$S" eval-parse --conllu "$T" --models models 2>&1 | tail -2; done
