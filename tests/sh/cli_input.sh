#!/usr/bin/env bash
# cli_input.sh - bad input gives FILE:LINE: reason and exit 1 while the other
# inputs of the same call are still coded; usage errors exit 2.
set -euo pipefail
S=${SITREP:-build/sitrep}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

printf 'date 2024-05-01\nIsraeli troops attacked Hamas fighters in Gaza.\n' > "$T/good.txt"
: > "$T/empty.txt"
printf 'Israeli troops attacked Hamas fighters.\n' > "$T/nodate.txt"
printf 'date 2024-05-01\nIsraeli troops \xff\xfe attacked Hamas fighters.\n' > "$T/badutf8.txt"
head -c 4096 /dev/urandom > "$T/binary.bin"
printf '\0\0\0ELF' >> "$T/binary.bin"
python3 -c "import sys; sys.stdout.write('date 2024-05-01 ' + 'word ' * (50*1024*1024//5) )" > "$T/huge.txt"

# each bad file is named with a line number; the good file is still coded
set +e
"$S" code "$T/empty.txt" "$T/nodate.txt" "$T/binary.bin" "$T/huge.txt" "$T/good.txt" > "$T/out" 2> "$T/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "exit status $rc, want 1"
grep -q "empty.txt:1: " "$T/err" || fail "no error for the empty file"
grep -q "nodate.txt:1: .*date" "$T/err" || fail "no error for the missing date"
grep -q "binary.bin:1: .*binary" "$T/err" || fail "no error for the binary file"
grep -q "huge.txt:1: .*limit" "$T/err" || fail "no error for the 50 MB line"
grep -q '"cameo": {"code": "19' "$T/out" || grep -q '"cameo": {"code": "18' "$T/out" || fail "the good file was not coded: $(cat "$T/out")"

# invalid UTF-8 is repaired (U+FFFD) and the article coded
"$S" code "$T/badutf8.txt" > "$T/out2" || fail "repairable UTF-8 rejected"
grep -q '"source": {"code": "ISRMIL"' "$T/out2" || fail "repaired article not coded: $(head -c 300 "$T/out2")"

# --date supplies a missing date
"$S" code --date 2024-05-02 "$T/nodate.txt" > "$T/out3" || fail "--date not used"
grep -q '"date": "2024-05-02"' "$T/out3" || fail "--date not applied"

# JSON Lines: a broken line is named, the others coded
printf '{"id":"a","date":"2024-05-01","text":"Israeli troops attacked Hamas fighters."}\n{"id":"b","date":"2024-05-01","text":\n{"id":"c","text":"no date"}\n{"id":"d","date":"2024-13-01","text":"bad month"}\n{"id":"e","date":"2024-05-01","text":"Russian forces shelled Ukrainian positions."}\n' > "$T/in.jsonl"
set +e
"$S" code "$T/in.jsonl" > "$T/out4" 2> "$T/err4"
rc=$?
set -e
[ $rc -eq 1 ] || fail "jsonl exit status $rc, want 1"
grep -q "in.jsonl:2: invalid JSON" "$T/err4" || fail "line 2 not named: $(cat "$T/err4")"
grep -q "in.jsonl:3: missing \"date\"" "$T/err4" || fail "line 3 not named"
grep -q "in.jsonl:4: .*YYYY-MM-DD" "$T/err4" || fail "line 4 not named"
grep -q '"article_id": "a"' "$T/out4" || fail "record a not coded"
grep -q '"article_id": "e"' "$T/out4" || fail "record e not coded"

# piped JSON Lines are detected; TSV output has a header
printf '{"id":"p","date":"2024-05-01","text":"Israeli troops attacked Hamas fighters."}\n' | "$S" code --format tsv > "$T/out5"
head -1 "$T/out5" | grep -q "^article_id	sentence	date	source	target	cameo" || fail "TSV header"
grep -q "^p	0	2024-05-01	ISRMIL	" "$T/out5" || fail "TSV row: $(cat "$T/out5")"

# usage errors
set +e
"$S" code --format xml "$T/good.txt" > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad --format not a usage error"
"$S" nosuchcommand > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command not a usage error"
"$S" code --date 2024-5-1 "$T/good.txt" > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad --date not a usage error"
set -e
"$S" --version | grep -q "^sitrep " || fail "--version"
"$S" --help | grep -q "code" || fail "--help"
"$S" code --help | grep -q -- "--format" || fail "code --help"
echo "cli_input: ok"
