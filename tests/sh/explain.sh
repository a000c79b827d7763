#!/usr/bin/env bash
# explain.sh - golden test of `sitrep explain` with a small fixed knowledge
# base (tests/fixtures/kb-mini), no parser model and no gazetteer, so the
# output depends on the coder alone.
set -euo pipefail
S=${SITREP:-build/sitrep}
F=$(cd "$(dirname "$0")/../fixtures" && pwd)
"$S" explain --kb "$F/kb-mini" --models '' --gazetteer '' --date 2024-03-18 \
  "Israel said it would continue military operations in Rafah, even as it engages in talks with Hamas in Qatar. The Kremlin condemned Israel." \
  | diff - "$F/explain.expected" || { echo "FAIL: explain output differs from tests/fixtures/explain.expected"; exit 1; }
echo "explain: ok"
