#!/bin/sh
# train-models.sh - retrain the shipped tagger and parser (models/tagger.bin,
# models/parser.bin) from UD English EWT + GUM (CC-BY part) in ../shared/treebanks.
# Usage: scripts/train-models.sh [TREEBANK_DIR] [OUT_DIR]
# Takes about ten minutes on one core; prints the dev scores per iteration and
# the final EWT/GUM test scores (docs/parser.md, models/README).
set -eu
cd "$(dirname "$0")/.."
TB=${1:-../shared/treebanks}
OUT=${2:-models}
SITREP=${SITREP:-build/sitrep}
[ -x "$SITREP" ] || make "$SITREP"
TRAIN=$TB/en_ewt-ud-train.conllu,$TB/en_gum-ccby-train.conllu
DEV=$TB/en_ewt-ud-dev.conllu
mkdir -p "$OUT"
"$SITREP" train tagger --train "$TRAIN" --dev "$DEV" -o "$OUT" --iterations ${TAGGER_ITERATIONS:-10}
"$SITREP" train parser --train "$TRAIN" --dev "$DEV" -o "$OUT" --iterations ${PARSER_ITERATIONS:-12}
for t in en_ewt-ud-test en_gum-ccby-test en_ewt-ud-dev; do
    printf '%s: ' "$t"
    "$SITREP" eval-parse --conllu "$TB/$t.conllu" --models "$OUT" 2>/dev/null | tail -1
done
ls -l "$OUT"/tagger.bin "$OUT"/parser.bin
