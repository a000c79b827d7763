#!/usr/bin/env bash
# limits.sh - hostile input at the command line (issue 9): each case ends with
# a clear FILE:LINE error or a bounded result, in bounded memory (ulimit -v,
# when the build is not under AddressSanitizer, which reserves terabytes of
# address space) and bounded time (a generous `timeout`, never a timing).
#   - a 100 MB article (text and JSON Lines): rejected, the next one coded
#   - a sentence of 990,000 tokens: cut into chunks, coded
#   - a 16 MB article of one-letter words (8 million tokens): rejected at the
#     token limit (SITREP_MAX_ARTICLE_TOKENS) before it takes gigabytes
#   - 10,000 nested brackets and quotes: coded
#   - a JSON line nested 100,000 deep: rejected, the next line coded
#   - NUL bytes, overlong UTF-8, surrogates, code points past U+10FFFF:
#     rejected (NUL in text) or repaired; the output is valid UTF-8 JSON
#   - a 1 MB dictionary line (ours, PETRARCH, TABARI): an error or loaded
#   - patterns that would expand combinatorially (long patterns of repeated
#     words over a sentence of the same words; 200 skips; 100 alternative
#     groups; a synset that names itself): bounded
set -uo pipefail
[ -n "${LIMITS_TRACE:-}" ] && set -x
S=$(readlink -f "${SITREP:-build/sitrep}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || { echo "limits.sh: python3 missing, skipped"; exit 0; }

MEM_KB=${LIMITS_MEM_KB:-3000000}  # 3 GB of address space
LIMIT_V=""
if { (ulimit -v "$MEM_KB" && "$S" --version) >/dev/null 2>&1; } 2>/dev/null; then LIMIT_V="ulimit -v $MEM_KB;"
else echo "limits.sh: the binary does not start under ulimit -v (sanitizer build?): memory not capped"; fi
# run NAME ARGS...: stdout in $T/NAME.out, stderr in $T/NAME.err, status in $rc
run() {
    local name=$1; shift
    bash -c "$LIMIT_V"' exec timeout 600 "$@"' _ "$@" > "$T/$name.out" 2> "$T/$name.err"
    rc=$?
    [ $rc -ne 124 ] || fail "$name: no answer within the timeout"
    [ $rc -lt 128 ] || fail "$name: killed by signal $((rc - 128)): $(tail -3 "$T/$name.err")"
}
# every output line is a JSON object in valid UTF-8
valid_jsonl() {
    python3 - "$1" <<'PY' || fail "$1: output is not valid UTF-8 JSON Lines"
import json, sys
with open(sys.argv[1], 'rb') as f:
    for line in f:
        json.loads(line.decode('utf-8'))
PY
}
GOOD='Israeli troops attacked Hamas fighters in Gaza.'
python3 - "$T" "$GOOD" <<'PY'
import sys, os
T, good = sys.argv[1], sys.argv[2]
def w(name, data, mode='w'):
    with open(os.path.join(T, name), mode) as f: f.write(data)
unit = 'Israel attacked Gaza. '
w('big.txt', 'date 2024-01-01\n' + unit * (100 * 1024 * 1024 // len(unit)) + '\n')
w('good.txt', 'date 2024-01-01\n' + good + '\n')
w('big.jsonl', '{"id":"big","date":"2024-01-01","text":"' + unit * (100 * 1024 * 1024 // len(unit)) + '"}\n'
  + '{"id":"good","date":"2024-01-01","text":"' + good + '"}\n')
w('tok1m.txt', 'date 2024-01-01\n' + good[:-1] + ' and' * 990000 + '.\n')
w('letters.txt', 'date 2024-01-01\n' + 'a ' * (8 * 1024 * 1024 - 16) + '\n')
w('nest.txt', 'date 2024-01-01\n' + '(' * 10000 + '"' * 10000 + good + '"' * 10000 + ')' * 10000 + '\n'
  + '[ \u201c' * 10000 + good + '\u201d ]' * 10000 + '\n')
w('deep.jsonl', '{"id":"d1","date":"2024-01-01","x":' + '[' * 100000 + ']' * 100000 + ',"text":"' + good + '"}\n'
  + '{"id":"d2","date":"2024-01-01","x":' + '{"a":' * 100000 + '1' + '}' * 100000 + ',"text":"' + good + '"}\n'
  + '{"id":"good","date":"2024-01-01","text":"' + good + '"}\n')
bad = (b' \xc0\xaf \xe0\x80\xaf \xc1\xbf \xed\xa0\x80\xed\xb0\x80 \xed\xbf\xbf \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80 \xff\xfe '
       b'\xe2\x82 \xf0\x9f\x98 ')
w('utf8.txt', b'date 2024-01-01\n' + (good.encode() + b' ') * 4 + bad + (b' ' + good.encode()) * 4 + b'\n', 'wb')
w('nul.txt', b'date 2024-01-01\nIsraeli\x00troops attacked Gaza.\n', 'wb')
w('bad.jsonl', b'{"id":"u1","date":"2024-01-01","text":"Israeli\\u0000troops \\ud800 attacked \\udc00 Hamas \\ud83d\\ude00 fighters."}\n'
  + b'{"id":"u2","date":"2024-01-01","text":"Israeli troops\x00attacked Gaza."}\n'
  + b'{"id":"u3","date":"2024-01-01","text":"' + good.encode() + bad + b'"}\n'
  + b'{"id":"u4","date":"2024-01-01","text":"\\u0000\\u0000"}\n', 'wb')
PY

# ---- a 100 MB article: rejected with the limit named, the next input coded
run big "$S" code --models '' --gazetteer '' "$T/big.txt" "$T/good.txt"
[ $rc -eq 1 ] || fail "big.txt: exit $rc, want 1"
grep -q 'big.txt:1: .*limit' "$T/big.err" || fail "big.txt: no limit error: $(head -c 300 "$T/big.err")"
grep -q '"article_id": "good"' "$T/big.out" || fail "big.txt: the next file was not coded"
run bigj "$S" code --models '' --gazetteer '' "$T/big.jsonl"
[ $rc -eq 1 ] || fail "big.jsonl: exit $rc, want 1"
grep -q 'big.jsonl:1: .*limit' "$T/bigj.err" || fail "big.jsonl: no limit error: $(head -c 300 "$T/bigj.err")"
grep -q '"article_id": "good"' "$T/bigj.out" || fail "big.jsonl: the next line was not coded"

# ---- 8 million one-letter words in 16 MB: rejected at the token limit, the next input coded
run letters "$S" code --models '' --gazetteer '' "$T/letters.txt" "$T/good.txt"
[ $rc -eq 1 ] || fail "letters.txt: exit $rc, want 1"
grep -q 'letters.txt:1: .*more tokens than the limit' "$T/letters.err" || fail "letters.txt: no token-limit error: $(head -c 300 "$T/letters.err")"
grep -q '"article_id": "good"' "$T/letters.out" || fail "letters.txt: the next file was not coded"

# ---- a sentence of 990,000 tokens: chunked (400 tokens at most), coded
run seg "$S" segment --models '' --gazetteer '' "$T/tok1m.txt"
[ $rc -eq 0 ] || fail "tok1m.txt segment: exit $rc: $(head -c 300 "$T/seg.err")"
python3 - "$T/seg.out" <<'PY' || fail "tok1m.txt: a segment over the chunk size"
import sys
n = 0
for line in open(sys.argv[1], encoding='utf-8'):
    n += 1
    if len(line.split()) > 400: sys.exit(1)
if n < 2450: sys.exit(1)
PY
run tok "$S" code --models '' --gazetteer '' "$T/tok1m.txt"
[ $rc -eq 0 ] || fail "tok1m.txt: exit $rc: $(head -c 300 "$T/tok.err")"
grep -q '"cameo": {"code": "19' "$T/tok.out" || fail "tok1m.txt: the event at its start was lost"
valid_jsonl "$T/tok.out"

# ---- 10,000 nested brackets and quotes (ASCII and typographic), with the parser when there is a model
MODELS=''
[ -f "$ROOT/models/tagger.bin" ] && [ -f "$ROOT/models/parser.bin" ] && MODELS="$ROOT/models"
run nest "$S" code --models "$MODELS" --gazetteer '' "$T/nest.txt"
[ $rc -eq 0 ] || fail "nest.txt: exit $rc: $(head -c 300 "$T/nest.err")"
valid_jsonl "$T/nest.out"
run nestx "$S" explain --models '' --gazetteer '' "$T/nest.txt"
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "nest.txt explain: exit $rc"

# ---- JSON nested 100,000 deep: rejected with a reason, the next line coded
run deep "$S" code --models '' --gazetteer '' "$T/deep.jsonl"
[ $rc -eq 1 ] || fail "deep.jsonl: exit $rc, want 1"
grep -q 'deep.jsonl:1: .*nesting' "$T/deep.err" && grep -q 'deep.jsonl:2: .*nesting' "$T/deep.err" ||
    fail "deep.jsonl: no nesting error: $(head -c 300 "$T/deep.err")"
grep -q '"article_id": "good"' "$T/deep.out" || fail "deep.jsonl: the next line was not coded"

# ---- NUL bytes, overlong forms, surrogates, > U+10FFFF, truncated sequences
run utf8 "$S" code --models '' --gazetteer '' "$T/utf8.txt"
[ $rc -eq 0 ] || fail "utf8.txt: exit $rc: $(head -c 300 "$T/utf8.err")"
valid_jsonl "$T/utf8.out"
grep -q '"cameo": {"code": "19' "$T/utf8.out" || fail "utf8.txt: the repaired article was not coded"
run seg8 "$S" segment --models '' --gazetteer '' "$T/utf8.txt"
python3 -c "import sys; open(sys.argv[1], 'rb').read().decode('utf-8')" "$T/seg8.out" || fail "utf8.txt: segment output not UTF-8"
run nul "$S" code --models '' --gazetteer '' "$T/nul.txt"
[ $rc -eq 1 ] && grep -q 'nul.txt:1: .*NUL' "$T/nul.err" || fail "nul.txt: NUL bytes in text not rejected (exit $rc)"
run badj "$S" code --models '' --gazetteer '' "$T/bad.jsonl"
[ $rc -eq 1 ] || fail "bad.jsonl: exit $rc, want 1 (line 2 has a raw NUL)"
grep -q 'bad.jsonl:2: .*NUL' "$T/badj.err" || fail "bad.jsonl: raw NUL not named: $(cat "$T/badj.err")"
valid_jsonl "$T/badj.out"
grep -q '"article_id": "u1"' "$T/badj.out" && grep -q '"article_id": "u3"' "$T/badj.out" ||
    fail "bad.jsonl: escaped NUL / lone surrogates / bad bytes not coded: $(cat "$T/badj.err")"

# ---- dictionary lines of 1 MB
mkkb() { rm -rf "$T/kb"; cp -r "$ROOT/kb" "$T/kb"; }
echo "date 2024-01-01" > "$T/g.txt"; echo "$GOOD" >> "$T/g.txt"
for part in agents actors verbs cameo; do
    mkkb
    case $part in
    agents) python3 -c "import sys; open(sys.argv[1],'a').write('GOV | ' + 'big ' * (1 << 18) + '\n')" "$T/kb/agents.txt" ;;
    actors) python3 -c "import sys; open(sys.argv[1],'w').write('; '.join('name%d' % i for i in range(100000)) + ' | FRAGOV\n')" "$T/kb/actors/zz.txt" ;;
    verbs)  python3 -c "import sys; open(sys.argv[1],'w').write('190 | ' + 'x' * (1 << 20) + '\n')" "$T/kb/verbs/98-zz.txt" ;;
    cameo)  python3 -c "import sys; open(sys.argv[1],'a').write('199 | -10 | 4 | ASSAULT | | ' + 'y' * (1 << 20) + '\n')" "$T/kb/cameo.txt" ;;
    esac
    run "kb_$part" "$S" code --kb "$T/kb" --models '' --gazetteer '' "$T/g.txt"
    if [ $rc -ne 0 ]; then
        grep -qE 'kb/[a-z/0-9-]+\.txt:[0-9]+: ' "$T/kb_$part.err" || fail "1 MB $part line: exit $rc without FILE:LINE: $(head -c 300 "$T/kb_$part.err")"
    else
        valid_jsonl "$T/kb_$part.out"
    fi
    run "kbc_$part" "$S" kb check "$T/kb"
    [ $rc -le 2 ] || fail "kb check with a 1 MB $part line: exit $rc"
done
cd "$T"
echo 'ARNOR_ [ARN]' > a.txt
echo 'GONDOR [GON]' >> a.txt
printf 'date 2024-01-01\nArnor attacked%s Gondor.\n' "$(python3 -c "print(' the' * 390, end='')")" > p.txt
python3 - <<'PY'
open('p_actor1m.txt', 'w').write('ARNOR_ [ARN]\n' + 'X_' * (512 * 1024) + ' [GON]\n')
open('p_verb1m.txt', 'w').write('--- ATTACK [190] ---\nATTACK\n- ' + '* ' * (512 * 1024) + '+ [191]\n')
open('p_skip.txt', 'w').write('--- ATTACK [190] ---\nATTACK\n- ' + '* ' * 200 + '+ [191]\n- ' + 'THE * ' * 100 + '+ [192]\n')
open('p_self.txt', 'w').write('&A\n+THE\n+&A THE\n\n&B\n+&A &B\n+&B\n\n--- ATTACK [190] ---\nATTACK\n- * &A &B + [191]\n')
open('t.verbs', 'w').write('ATTACK [190]\n- * ' + '{ THE | A | AN | THIS | THAT } ' * 100 + '+ [191]\n- ' + 'X_' * (512 * 1024) + ' [192]\n')
open('t.actors', 'w').write('ARNOR_ [ARN]\nGONDOR [GON]\n' + 'Y_' * (512 * 1024) + ' [XXX]\n')
open('t.project', 'w').write('<verbsfile> t.verbs\n<actorsfile> t.actors\n')
PY
for v in p_verb1m p_skip p_self; do
    run "$v" "$S" code --models '' --gazetteer '' --petrarch-verbs "$v.txt" --petrarch-actors a.txt p.txt
    [ $rc -eq 0 ] || grep -q "$v.txt:[0-9]*: " "$T/$v.err" || fail "$v: exit $rc without FILE:LINE: $(head -c 300 "$T/$v.err")"
done
run p_actor1m "$S" code --models '' --gazetteer '' --petrarch-verbs p_skip.txt --petrarch-actors p_actor1m.txt p.txt
[ $rc -eq 0 ] || grep -q "p_actor1m.txt:[0-9]*: " "$T/p_actor1m.err" || fail "p_actor1m: exit $rc: $(head -c 300 "$T/p_actor1m.err")"
run tabari "$S" code --models '' --gazetteer '' --tabari-project t.project p.txt
[ $rc -eq 0 ] || grep -q "t\.[a-z]*:[0-9]*: " "$T/tabari.err" || fail "tabari: exit $rc: $(head -c 300 "$T/tabari.err")"

# ---- our patterns: 30 repeated words (the most a pattern may have) over 380 repeats
mkkb
python3 -c "import sys; open(sys.argv[1],'w').write('190 | attack ' + 'the ' * 30 + '+\n' + '190 | attack ' + 'big ' * 30 + '\n')" "$T/kb/verbs/99-zz.txt"
printf 'date 2024-01-01\nIsrael attacked%s Gaza.\n' "$(python3 -c "print(' the big' * 190, end='')")" > comb.txt
run comb "$S" code --kb "$T/kb" --models '' --gazetteer '' comb.txt
[ $rc -eq 0 ] || fail "combinatorial pattern: exit $rc: $(head -c 300 "$T/comb.err")"
python3 -c "import sys; open(sys.argv[1],'w').write('190 | attack ' + 'the ' * 40 + '+\n')" "$T/kb/verbs/99-zz.txt"
run comb2 "$S" code --kb "$T/kb" --models '' --gazetteer '' comb.txt
[ $rc -ne 0 ] && grep -q '99-zz.txt:1: ' "$T/comb2.err" || fail "a 41-word pattern: no FILE:LINE error (exit $rc)"
echo "limits: all cases bounded"
