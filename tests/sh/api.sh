#!/bin/bash
# api.sh - the HTTP API of `sitrep serve` against a store built from
# examples/: every endpoint, answers cross-checked with `sitrep query`, bad
# input (malformed JSON, a 10 MB body, SQL-looking parameters, unknown
# parameters and fields, negative paging, long queries, wrong methods, a slow
# client) answered with 4xx JSON errors while the server stays up; the cache
# follows an ingest into the served file; every curl example of docs/api.md.
# Skips when curl or python3 is missing.
set -u
: "${SITREP:?set SITREP to the sitrep program}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v curl >/dev/null || { echo "api: SKIP (no curl)"; exit 0; }
command -v python3 >/dev/null || { echo "api: SKIP (no python3)"; exit 0; }

T=$(mktemp -d /tmp/sitrep-api.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail=0
bad() { echo "api: FAIL: $*"; fail=1; }

mkdir -p "$T/in"
cp "$ROOT"/examples/* "$T/in/"
LAST=$(ls "$T/in" | sort | tail -1)
mv "$T/in/$LAST" "$T/later.txt"        # ingested while the server runs
"$SITREP" ingest "$T/in" --db "$T/ex.db" --quiet >/dev/null 2>"$T/ingest.err" ||
  { echo "api: ingest failed: $(cat "$T/ingest.err")"; exit 1; }

"$SITREP" serve --db "$T/ex.db" --port 0 --web "$ROOT/web" --timeout 2 --max-connections 64 2>"$T/serve.log" &
PID=$!
PORT=
for _ in $(seq 200); do
  PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$T/serve.log")
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "api: the server did not start: $(cat "$T/serve.log")"; exit 1; }
B="http://127.0.0.1:$PORT"

# Checks are collected and run by one python3 at the end (python3 can be slow
# to start on a busy machine). req NAME WANT_STATUS CURL_ARGS...: the body
# must be JSON, errors of the {"error": {"status", "message"}} shape;
# py NAME CODE: python CODE with d = the JSON of the last NAME request;
# pyval NAME EXPR: print EXPR over the last NAME answer, now.
declare -A LAST
N=0
mkdir -p "$T/r"
: > "$T/reqs.tsv"
: > "$T/checks.bin"
req() {
  local name=$1 want=$2; shift 2
  N=$((N + 1))
  local f="$T/r/$N.json" got
  got=$(curl -s -o "$f" -w '%{http_code}' --max-time 30 "$@")
  LAST[$name]=$f
  printf '%s\t%s\t%s\t%s\n' "$name" "$want" "$got" "$f" >> "$T/reqs.tsv"
}
py() { printf '%s\0%s\0%s\0' "$1" "${LAST[$1]}" "$2" >> "$T/checks.bin"; }
pyval() { python3 -c "import json,sys; d = json.load(open(sys.argv[1])); print($2)" "${LAST[$1]}"; }

alive() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$B/api/summary" | grep -q 200 || bad "server not answering after $1"; }

# ---------------------------------------------------------------- endpoints
req summary 200 "$B/api/summary"
py summary 'assert d["articles"] == 11 and d["events"] > 0 and d["clusters"] > 0, d'
NEV=$(pyval summary 'd["events"]')

req events 200 "$B/api/events?limit=500"
py events "assert d['total'] == $NEV and len(d['events']) == $NEV and d['merged'] is False
ids = [e['id'] for e in d['events']]
dates = [e['date'] for e in d['events']]
assert dates == sorted(dates)
for e in d['events']:
    assert e['evidence']['rule'].startswith('kb/'), e['evidence']
    assert e['sentence_start'] <= e['evidence']['verb_start'] <= e['evidence']['verb_end'] <= e['sentence_end']"
# the same rows as sitrep query
"$SITREP" query --db "$T/ex.db" --format tsv | tail -n +2 | cut -f1 > "$T/query.ids"
pyval events '"\n".join(str(e["id"]) for e in d["events"])' > "$T/api.ids"
cmp -s "$T/query.ids" "$T/api.ids" || bad "events: ids differ from sitrep query"

# filters agree with sitrep query
for f in "country=SDN:--country SDN" "quad=4:--quad 4" "actor=ISR,PSE:--actor ISR,PSE" "root=19:--root 19" \
         "plover=consult:--plover consult" "since=2025-01-01&until=2025-03-31:--since 2025-01-01 --until 2025-03-31" \
         "text=police:--text police" "bbox=30,0,40,20:--bbox 30,0,40,20" "since=30d:--since 30d" \
         "dyad=PAKMIL:IND:--source PAKMIL --target IND" "place=el%20fasher:--place el fasher"; do
  q=${f%%:-*}; opts=--${f#*:--}
  if [ "$q" = "place=el%20fasher" ]; then
    n=$("$SITREP" query --db "$T/ex.db" --place "el fasher" --format tsv | tail -n +2 | wc -l)
  else
    # shellcheck disable=SC2086
    n=$("$SITREP" query --db "$T/ex.db" $opts --format tsv | tail -n +2 | wc -l)
  fi
  req filter 200 "$B/api/events?$q&limit=500"; py filter "assert d['total'] == $n == len(d['events']), ('$q', d['total'], $n)"
done

# paging and sorting
req page 200 "$B/api/events?limit=5&offset=5"
py page "ids = [int(x) for x in open('$T/api.ids').read().split()]
assert [e['id'] for e in d['events']] == ids[5:10], d['events']"
req sorted 200 "$B/api/events?sort=-goldstein&limit=500"
py sorted "g = [e['cameo']['goldstein'] for e in d['events']]; assert g == sorted(g, reverse=True)"
req mentions 200 "$B/api/events?sort=-mentions&limit=3&clusters=1"
py mentions "m = [e['cluster']['mentions'] for e in d['events']]; assert m == sorted(m, reverse=True) and d['merged']"
req pastend 200 "$B/api/events?offset=100000"
py pastend "assert d['events'] == [] and d['total'] == $NEV"

# clusters
req clusters 200 "$B/api/clusters?limit=500"
py clusters "assert d['merged'] and d['total'] == len(d['clusters']) == json.load(open('${LAST[summary]}'))['clusters']
m = [c['cluster']['mentions'] for c in d['clusters']]; assert m == sorted(m, reverse=True)
assert sum(m) == $NEV"

# timeline: counts add up, buckets in order
for by in day week month; do
  req tl_$by 200 "$B/api/timeline?by=$by&split=quad"
  py tl_$by "assert d['by'] == '$by' and len(d['series']) == 4
assert sum(sum(s['events']) for s in d['series']) == $NEV
assert d['buckets'] == sorted(d['buckets']) and all(len(s['events']) == len(d['buckets']) for s in d['series'])"
done
req tl_root 200 "$B/api/timeline?split=root&clusters=1&by=month"
py tl_root "assert sum(sum(s['events']) for s in d['series']) == json.load(open('${LAST[summary]}'))['clusters']"

# dyads
req dyads 200 "$B/api/dyads?limit=5"
py dyads "assert 0 < len(d['dyads']) <= 5
c = [x['events'] for x in d['dyads']]; assert c == sorted(c, reverse=True)
for x in d['dyads']: assert x['source'] and x['target'] and -10 <= x['goldstein_mean'] <= 10"

# places (GeoJSON)
req places 200 "$B/api/places"
NLOC=$("$SITREP" query --db "$T/ex.db" --format tsv | tail -n +2 | awk -F'\t' '$16 != ""' | cut -f14 | sort -u | wc -l)
py places "assert d['type'] == 'FeatureCollection' and len(d['features']) == $NLOC, (len(d['features']), $NLOC)
for f in d['features']:
    lon, lat = f['geometry']['coordinates']; assert -180 <= lon <= 180 and -90 <= lat <= 90
    p = f['properties']; assert p['events'] == sum(p['quad']) and p['name']"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$B/api/places")
case $ctype in application/geo+json*) ;; *) bad "places: content type $ctype";; esac

# article: spans index the text (bytes)
AID=$(pyval events 'd["events"][0]["article_id"]')
req article 200 "$B/api/article/$AID"
py article "t = d['text'].encode('utf-8'); assert d['id'] == '$AID' and d['events']
for e in d['events']:
    v = e['evidence']
    assert t[e['sentence_start']:e['sentence_end']].decode() == e['sentence_text']
    assert v['verb'] and t[v['verb_start']:v['verb_end']].decode() == v['verb'], (v, t[v['verb_start']:v['verb_end']])
    if e['source']['end']: assert t[e['source']['start']:e['source']['end']].decode() == e['source']['text']"
req article404 404 "$B/api/article/no-such-article"
req article_enc 404 "$B/api/article/%27%20OR%201=1--"

# POST /api/code
req code 200 -X POST -H 'Content-Type: application/json' \
  --data '{"text": "Russian forces shelled Kharkiv on Monday, the Ukrainian army said.", "date": "2024-05-06", "id": "t1"}' "$B/api/code"
py code "assert d['id'] == 't1' and d['sentences'] == 1 and d['events']
e = d['events'][0]; assert e['cameo']['root'] in ('18', '19', '20') and e['date'] == '2024-05-06', e"
req code_unicode 200 -X POST --data '{"text": "Caf\u00e9 \ud83d\ude00 talks: Egypt\u2019s envoy met Qatar\u0027s minister in Doha.", "date": null}' "$B/api/code"

# ---------------------------------------------------------------- bad input
req bad_json 400 -X POST --data '{"text": "unterminated' "$B/api/code"
req bad_json2 400 -X POST --data '[1, 2, 3]' "$B/api/code"
req bad_json3 400 -X POST --data '{"text": 12}' "$B/api/code"
req bad_json4 400 -X POST --data '{"text": "a"} trailing' "$B/api/code"
req bad_json5 400 -X POST --data '{"text": "a\x"}' "$B/api/code"
req bad_json6 400 -X POST --data '{"text": {"nested": {"deep": 1}}}' "$B/api/code"
req no_text 400 -X POST --data '{"date": "2024-01-01"}' "$B/api/code"
req bad_date 400 -X POST --data '{"text": "a", "date": "yesterday"}' "$B/api/code"
req unknown_field 400 -X POST --data '{"text": "a", "lang": "en"}' "$B/api/code"
req dup_field 400 -X POST --data '{"text": "a", "text": "b"}' "$B/api/code"
req empty_body 400 -X POST "$B/api/code"
head -c 10485760 /dev/zero | tr '\0' 'a' > "$T/big.txt"
req big_body 413 -X POST --data-binary @"$T/big.txt" "$B/api/code"
req big_chunked 413 -X POST -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.txt" "$B/api/code"
alive "a 10 MB body"
req get_code 405 "$B/api/code"
req post_events 405 -X POST --data '{}' "$B/api/events"
req delete 405 -X DELETE "$B/api/events"
req put 405 -X PUT --data 'x' "$B/api/code"
req unknown_param 400 "$B/api/events?colour=red"
req unknown_param2 400 "$B/api/summary?x=1"
req dup_param 400 "$B/api/events?limit=1&limit=2"
req neg_limit 400 "$B/api/events?limit=-1"
req neg_offset 400 "$B/api/events?offset=-10"
req zero_limit 400 "$B/api/events?limit=0"
req huge_limit 400 "$B/api/events?limit=100000"
req float_limit 400 "$B/api/events?limit=1.5"
req hex_offset 400 "$B/api/events?offset=0x10"
req huge_offset 400 "$B/api/events?offset=99999999999999999999999"
req bad_sort 400 "$B/api/events?sort=date;DROP%20TABLE%20events"
req bad_since 400 "$B/api/events?since=2024-13-45x"
req bad_quad 400 "$B/api/events?quad=5"
req bad_bbox 400 "$B/api/events?bbox=1,2,3"
req bad_bbox2 400 "$B/api/events?bbox=10,10,0,0"
req bad_by 400 "$B/api/timeline?by=year"
req bad_split 400 "$B/api/timeline?split=everything"
req bad_dyad 400 "$B/api/dyads?dyad=RUS"
req bad_clusters 400 "$B/api/events?clusters=maybe"
req no_endpoint 404 "$B/api/nothing"
req rebinding 403 -H 'Host: evil.example:8080' "$B/api/summary"
req host_localhost 200 -H "Host: localhost:$PORT" "$B/api/summary"
req no_file 404 "$B/no-such-file.js"
req traversal 404 --path-as-is "$B/../../etc/passwd"
req traversal2 404 "$B/%2e%2e/%2e%2e/etc/passwd"
# SQL-looking values are plain values: no rows, and nothing dropped
for v in "'%20OR%20'1'='1" "ISR');%20DROP%20TABLE%20events;--" "%22%20OR%201=1%20--" "1%20UNION%20SELECT%20*%20FROM%20articles"; do
  req sqlish 200 "$B/api/events?actor=$v"; py sqlish "assert d['total'] == 0 and d['events'] == []"
  req sqlish_text 200 "$B/api/events?text=$v&place=$v&plover=$v"; py sqlish_text "assert d['total'] == 0"
done
req sqlish_since 400 "$B/api/events?since=2024-01-01'%20OR%20'1'='1"
req still_all 200 "$B/api/events?limit=1"
py still_all "assert d['total'] == $NEV"
# odd bytes: invalid UTF-8 and control characters give valid JSON
req bad_utf8 200 "$B/api/events?text=%ff%fe%00%01"
req bad_utf8_err 400 "$B/api/events?%ff%fe=1"
# long and many parameters
LONG=$(head -c 9000 /dev/zero | tr '\0' 'x')
req long_query 414 "$B/api/events?text=$LONG"
LONGV=$(head -c 2000 /dev/zero | tr '\0' 'x')
req long_value 414 "$B/api/events?text=$LONGV"
MANY=$(for i in $(seq 40); do printf 'p%d=1&' "$i"; done)
req many_params 400 "$B/api/events?$MANY"
alive "bad input"

# a slow client (headers never finished) is dropped after --timeout (2 s)
# and does not hold up others
if exec 3<>"/dev/tcp/127.0.0.1/$PORT"; then
  printf 'GET /api/summary HTTP/1.1\r\nHost: x\r\n' >&3
  alive "a half-sent request"
  if timeout 20 cat <&3 >/dev/null; then :; else bad "a slow client was not dropped"; fi
  exec 3>&-
fi

# many at once
seq 64 | xargs -P 32 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$B/api/events?offset={}&limit=3" > "$T/par.txt"
[ "$(grep -c '^200$' "$T/par.txt")" = 64 ] || bad "parallel requests: $(sort "$T/par.txt" | uniq -c | tr '\n' ' ')"

# POST /api/code from many clients at once (one shared context, a document
# per thread): the same text gives the same events every time
mkdir -p "$T/post"
seq 24 | xargs -P 8 -I{} curl -s -o "$T/post/{}.json" -w '%{http_code}\n' -X POST \
  --data '{"text": "Russian forces shelled Kharkiv on Monday. Israel and Hamas agreed to a ceasefire after talks mediated by Qatar.", "date": "2024-05-06"}' \
  "$B/api/code" > "$T/post.codes"
[ "$(grep -c '^200$' "$T/post.codes")" = 24 ] || bad "parallel POST /api/code: $(sort "$T/post.codes" | uniq -c | tr '\n' ' ')"
[ "$(md5sum "$T"/post/*.json | cut -d' ' -f1 | sort -u | wc -l)" = 1 ] || bad "parallel POST /api/code: the answers differ"

# the cache follows an ingest into the served database
"$SITREP" ingest "$T/later.txt" --db "$T/ex.db" --quiet >/dev/null 2>&1 || bad "second ingest failed"
req after 200 "$B/api/summary"
py after "assert d['articles'] == 12, d"
req after_events 200 "$B/api/events?limit=1"
py after_events "assert d['total'] > $NEV, d['total']"

# the connection limit: a second server taking 2 connections; idle ones
# over the limit are refused, and once they go the server answers again
"$SITREP" serve --db "$T/ex.db" --port 0 --no-code --threads 1 --max-connections 2 --timeout 3 2>"$T/serve2.log" &
PID2=$!
PORT2=
for _ in $(seq 100); do
  PORT2=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$T/serve2.log")
  [ -n "$PORT2" ] && break
  sleep 0.1
done
if [ -n "$PORT2" ]; then
  exec 4<>"/dev/tcp/127.0.0.1/$PORT2" 5<>"/dev/tcp/127.0.0.1/$PORT2" 6<>"/dev/tcp/127.0.0.1/$PORT2"
  curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$PORT2/api/summary" || true
  exec 4>&- 5>&- 6>&-
  got=000
  for _ in $(seq 50); do
    got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT2/api/summary")
    [ "$got" = 200 ] && break
    sleep 0.2
  done
  [ "$got" = 200 ] || bad "connection limit: no answer once the idle connections closed ($got)"
  kill -0 "$PID2" 2>/dev/null || bad "connection limit: the server died"
else
  bad "the second server did not start: $(cat "$T/serve2.log")"
fi
kill "$PID2" 2>/dev/null; wait "$PID2" 2>/dev/null

# ---------------------------------------------------------------- docs/api.md
python3 - "$ROOT/docs/api.md" > "$T/examples.txt" <<'EOF'
import re, sys
inblock = False
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("```"):
        inblock = line.strip() == "```sh"
        continue
    if inblock and line.startswith("curl ") and "# ->" in line:
        cmd, want = line.rsplit("# ->", 1)
        print(want.strip() + "\t" + cmd.strip())
EOF
nex=0
while IFS=$'\t' read -r want cmd; do
  nex=$((nex + 1))
  cmd=${cmd//http:\/\/127.0.0.1:8080/$B}
  f="$T/r/ex$nex.json"
  got=$(eval "${cmd/curl -s/curl -s -o $f -w %\{http_code\}}")
  printf '%s\t%s\t%s\t%s\n' "docs/api.md: $cmd" "$want" "$got" "$f" >> "$T/reqs.tsv"
done < "$T/examples.txt"
[ "$nex" -ge 15 ] || bad "only $nex examples found in docs/api.md"

# run the collected checks
python3 - "$T/reqs.tsv" "$T/checks.bin" <<'EOF' || fail=1
import json, sys
bad = 0
def fail(msg):
    global bad
    bad += 1
    print("api: FAIL: " + msg)
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    n += 1
    name, want, got, f = line.rstrip("\n").split("\t")
    body = open(f, "rb").read() if got != "000" else b""
    if got != want:
        fail("%s: status %s, wanted %s: %r" % (name, got, want, body[:300]))
        continue
    try:
        d = json.loads(body.decode("utf-8"))
        if int(want) >= 400:
            e = d["error"]
            assert e["status"] == int(want) and isinstance(e["message"], str) and e["message"]
    except Exception as ex:
        fail("%s: bad JSON body (%s): %r" % (name, ex, body[:300]))
parts = open(sys.argv[2], "rb").read().split(b"\0")
nc = 0
for i in range(0, len(parts) - 2, 3):
    nc += 1
    name, f, code = (p.decode() for p in parts[i:i + 3])
    try:
        d = json.load(open(f, encoding="utf-8"))
        exec(code, {"d": d, "json": json})
    except Exception as ex:
        fail("%s: %s: %s %s" % (name, code.splitlines()[0][:120], type(ex).__name__, str(ex)[:300]))
print("api: %d requests, %d content checks, %d failed" % (n, nc, bad))
sys.exit(1 if bad else 0)
EOF

# the dashboard files
for f in / /app.js /style.css; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$B$f")
  [ "$code" = 200 ] || bad "dashboard $f: $code"
done

alive "everything"
kill -0 "$PID" 2>/dev/null || bad "the server died"
kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
[ $rc -eq 0 ] || bad "the server exited $rc on SIGTERM"
if [ $fail -eq 0 ]; then echo "api: ok ($nex docs examples)"; else echo "api: FAILED"; fi
exit $fail
