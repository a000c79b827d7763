#!/usr/bin/env bash
# kb_countries.sh - lints kb/countries.txt and kb/agents.txt with awk and grep alone
# (no C): field counts and separators, code shapes, ISO 3166-1 coverage against Debian's
# iso-codes, names that would code as two different actors, and the size of agents.txt.
# Exits non-zero on the first failed check group, naming FILE:LINE for each problem.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
C="$ROOT/kb/countries.txt"
A="$ROOT/kb/agents.txt"
ISO_JSON=${ISO_JSON:-/usr/share/iso-codes/json/iso_3166-1.json}
MIN_AGENT_PHRASES=1500
fail=0

for f in "$C" "$A"; do
    if [ ! -f "$f" ]; then echo "kb_countries: missing $f"; exit 1; fi
done

# Names deliberately listed under two codes (lower-case, one per line). Empty on purpose:
# every shared name has been resolved to one code (see the comments in countries.txt).
ALLOWED_DUPS=''

# strip: drop comments ('#' at line start or after a blank), keep line numbers.
# Prints "LINE<TAB>text" for every non-blank line.
strip='{
    line = $0
    sub(/\r$/, "", line)
    if (line ~ /^#/) line = ""
    else { p = index(line, " #"); q = index(line, "\t#");
           if (q && (!p || q < p)) p = q
           if (p) line = substr(line, 1, p - 1) }
    sub(/[ \t]+$/, "", line)
    if (line != "") printf "%d\t%s\n", NR, line
}'

# ---- 1. header comments ----------------------------------------------------------
for f in "$C" "$A"; do
    if ! head -n 1 "$f" | grep -q '^#'; then
        echo "$f:1: the file must open with a comment saying what it covers"; fail=1
    fi
    if ! head -n 5 "$f" | grep -q '2026-11'; then
        echo "$f:1: the opening comment must say 'as of 2026-11'"; fail=1
    fi
done

# ---- 2. countries.txt: fields, separators, codes -----------------------------------
awk "$strip" "$C" | awk -F'\t' -v F="$C" '
function trim(s) { gsub(/^[ ]+|[ ]+$/, "", s); return s }
function check_list(s, what,   n, i, it, parts) {
    if (s ~ /;[ ]*;/ || s ~ /^;/ || s ~ /;$/) bad(what " has an empty list item")
    n = split(s, parts, ";")
    for (i = 1; i <= n; i++) {
        it = trim(parts[i])
        if (it ~ /  /) bad(what " item \"" it "\" has a double space")
        if (it ~ /\|/) bad(what " item \"" it "\" contains a bar")
    }
}
function bad(m) { printf "%s:%d: %s\n", F, ln, m; err = 1 }
{
    ln = $1; t = $2
    # every bar must be a separator " | " (or " |" at the end of the line)
    tmp = t; gsub(/ \| /, "", tmp); sub(/ \|$/, "", tmp)
    if (index(tmp, "|")) bad("a field separator must be \" | \"")
    n = split(t, f, "|")
    if (n != 5) { bad("expected 5 fields (code | iso2 | names | demonyms | seats), found " n); next }
    code = trim(f[1]); iso2 = trim(f[2]); names = trim(f[3])
    if (code !~ /^[A-Z][A-Z][A-Z]$/) bad("code \"" code "\" is not three capital letters")
    if (iso2 != "" && iso2 !~ /^[A-Z][A-Z]$/) bad("iso2 \"" iso2 "\" is not two capital letters")
    if (names == "") bad("no names")
    if (code in seen) bad("code " code " already on line " seen[code])
    seen[code] = ln
    if (iso2 != "") { if (iso2 in seen2) bad("iso2 " iso2 " already on line " seen2[iso2]); seen2[iso2] = ln }
    check_list(f[3], "name"); check_list(f[4], "demonym"); check_list(f[5], "seat")
}
END { exit err }' || fail=1

# ---- 3. ISO 3166-1 coverage: every alpha-2 present, with its own alpha-3 ------------
if [ -f "$ISO_JSON" ]; then
    grep -o '"alpha_[23]": "[A-Z]*"' "$ISO_JSON" | sed 's/.*: "\(.*\)"/\1/' | paste - - > "${TMPDIR:-/tmp}/kbc_iso.$$"
    n_iso=$(wc -l < "${TMPDIR:-/tmp}/kbc_iso.$$")
    if [ "$n_iso" -lt 240 ]; then echo "kb_countries: could not read $ISO_JSON ($n_iso codes)"; fail=1; fi
    awk "$strip" "$C" | awk -F'\t' '{ n = split($2, f, "|"); c = f[1]; i = f[2]
        gsub(/ /, "", c); gsub(/ /, "", i); if (i != "") print i "\t" c "\t" $1 }' \
        > "${TMPDIR:-/tmp}/kbc_kb.$$"
    awk -F'\t' -v F="$C" 'NR == FNR { kb[$1] = $2; kl[$1] = $3; next }
        { a2 = $1; a3 = $2
          if (!(a2 in kb)) { printf "%s: ISO 3166-1 %s (%s) is missing\n", F, a2, a3; err = 1 }
          else if (kb[a2] != a3) { printf "%s:%d: %s is coded %s, ISO alpha-3 is %s\n", F, kl[a2], a2, kb[a2], a3; err = 1 } }
        END { exit err }' "${TMPDIR:-/tmp}/kbc_kb.$$" "${TMPDIR:-/tmp}/kbc_iso.$$" || fail=1
    rm -f "${TMPDIR:-/tmp}/kbc_iso.$$" "${TMPDIR:-/tmp}/kbc_kb.$$"
    echo "kb_countries: $n_iso ISO 3166-1 codes checked"
else
    echo "kb_countries: $ISO_JSON absent (Debian package iso-codes); ISO coverage check skipped"
fi

# ---- 4. one name, one code: names, demonyms and seats must not repeat across codes ---
awk "$strip" "$C" | awk -F'\t' -v F="$C" -v allowed="$ALLOWED_DUPS" '
BEGIN { n = split(allowed, a, "\n"); for (i = 1; i <= n; i++) if (a[i] != "") ok[a[i]] = 1 }
function trim(s) { gsub(/^[ ]+|[ ]+$/, "", s); return s }
{
    split($2, f, "|"); code = trim(f[1])
    for (k = 3; k <= 5; k++) {
        m = split(f[k], p, ";")
        for (j = 1; j <= m; j++) {
            key = tolower(trim(p[j])); if (key == "") continue
            if ((key in owner) && owner[key] != code && !(key in ok)) {
                printf "%s:%d: \"%s\" is also listed under %s (line %d)\n", F, $1, trim(p[j]), owner[key], line[key]; err = 1
            } else if ((key in owner) && owner[key] == code && line[key] == $1 && k == field[key]) {
                printf "%s:%d: \"%s\" is listed twice\n", F, $1, trim(p[j]); err = 1
            }
            if (!(key in owner)) { owner[key] = code; line[key] = $1; field[key] = k }
        }
    }
}
END { exit err }' || fail=1

# ---- 5. agents.txt: fields, codes, phrases -------------------------------------------
awk "$strip" "$A" | awk -F'\t' -v F="$A" -v min="$MIN_AGENT_PHRASES" '
function trim(s) { gsub(/^[ ]+|[ ]+$/, "", s); return s }
function bad(m) { printf "%s:%d: %s\n", F, ln, m; err = 1 }
{
    ln = $1; t = $2
    tmp = t; gsub(/ \| /, "", tmp)
    if (index(tmp, "|")) bad("a field separator must be \" | \"")
    n = split(t, f, "|")
    if (n != 2) { bad("expected 2 fields (agent code | phrases), found " n); next }
    code = trim(f[1])
    if (code !~ /^[A-Z][A-Z][A-Z]$/) bad("agent code \"" code "\" is not three capital letters")
    if (f[2] ~ /;[ ]*;/ || trim(f[2]) ~ /^;|;$/ || trim(f[2]) == "") bad("empty phrase")
    m = split(f[2], p, ";")
    for (j = 1; j <= m; j++) {
        ph = trim(p[j]); key = tolower(ph); if (key == "") continue
        if (ph ~ /  /) bad("phrase \"" ph "\" has a double space")
        if (key in owner) {
            if (owner[key] != code) bad("\"" ph "\" is also listed under " owner[key] " (line " line[key] ")")
            else bad("\"" ph "\" is listed twice (first on line " line[key] ")")
            continue
        }
        owner[key] = code; line[key] = ln; total++; per[code]++
    }
}
END {
    if (total < min) { printf "%s: %d phrases, at least %d expected\n", F, total, min; err = 1 }
    ncodes = 0; for (c in per) ncodes++
    printf "kb_countries: agents.txt has %d phrases for %d agent codes\n", total, ncodes
    exit err
}' || fail=1

# every agent code named in the brief must be present
for code in GOV MIL COP JUD LEG SPY REB INS SEP OPP PTY MED EDU BUS CVL REF LAB ELI HLH CRM \
            REL NGO IGO UAF AGR DEV ENV HRI MOD RAD IMG; do
    if ! awk "$strip" "$A" | cut -f2 | grep -q "^$code |"; then
        echo "$A: agent code $code has no phrases"; fail=1
    fi
done

# ---- 6. no phrase is both a country name and an agent phrase ---------------------------
awk "$strip" "$C" | awk -F'\t' '{ split($2, f, "|"); for (k = 3; k <= 5; k++) { m = split(f[k], p, ";")
        for (j = 1; j <= m; j++) { s = p[j]; gsub(/^[ ]+|[ ]+$/, "", s); if (s != "") print tolower(s) } } }' \
    | sort -u > "${TMPDIR:-/tmp}/kbc_cn.$$"
awk "$strip" "$A" | awk -F'\t' '{ split($2, f, "|"); m = split(f[2], p, ";")
        for (j = 1; j <= m; j++) { s = p[j]; gsub(/^[ ]+|[ ]+$/, "", s); if (s != "") print tolower(s) } }' \
    | sort -u > "${TMPDIR:-/tmp}/kbc_ag.$$"
both=$(comm -12 "${TMPDIR:-/tmp}/kbc_cn.$$" "${TMPDIR:-/tmp}/kbc_ag.$$")
rm -f "${TMPDIR:-/tmp}/kbc_cn.$$" "${TMPDIR:-/tmp}/kbc_ag.$$"
if [ -n "$both" ]; then
    echo "kb_countries: phrases in both countries.txt and agents.txt:"; echo "$both" | sed 's/^/  /'; fail=1
fi

n_c=$(awk "$strip" "$C" | wc -l)
if [ "$fail" -ne 0 ]; then echo "kb_countries: FAILED"; exit 1; fi
echo "kb_countries: ok ($n_c country and region lines)"
