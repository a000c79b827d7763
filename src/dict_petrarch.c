/* dict_petrarch.c - readers for PETRARCH-2 (and PETRARCH-1) dictionaries:
 * verbs (synsets, verb blocks, patterns), actors (synonyms, dated codes),
 * agents (substitution sets, plurals, prefix/suffix codes) and discards.
 * The formats are described in docs/dictionaries.md. Files are read as
 * UTF-8, or as Latin-1 when they are not valid UTF-8. A line that cannot be
 * read is an error "FILE:LINE: reason"; duplicates are warnings. */
#include "petr.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dict_load_petrarch(kb *k, const sitrep_options *o, char *err, size_t errlen);

/* ---------------------------------------------------------------- verbs */
static int load_verbs(kb *k, pdict *d, const char *path, char *err, size_t errlen) {
    preader r;
    int rc = preader_open(&r, k, path, '#', err, errlen);
    if (rc) return rc;
    uint32_t syn = UINT32_MAX, block = UINT32_MAX, verb = UINT32_MAX;
    char msg[256];
    int grouped = 0;
    while (preader_next(&r)) {
        const char *s = r.s;
        size_t n = r.n;
        if (!n) continue;
        uint32_t rule = kb_rule_add(k, r.file, r.line);
        rc = pdict_synset_line(d, &r, &syn, err, errlen);
        if (rc < 0) return rc;
        if (rc) continue;
        if (n >= 3 && !strncmp(s, "---", 3)) {
            /* --- NAME [CODE] --- */
            const char *lb = memchr(s, '[', n), *rb = lb ? memchr(lb, ']', n - (size_t)(lb - s)) : NULL;
            if (lb && !rb) return preader_error(&r, err, errlen, "unclosed [CODE]");
            if (!lb) preader_warn(&r, "verb block header without [CODE]: null code");
            char code[32] = "---";
            if (lb) snprintf(code, sizeof code, "%.*s", (int)(rb - lb - 1), lb + 1);
            block = pdict_verb_add(d, code, rule);
            if (block == UINT32_MAX) return preader_oom(&r, err, errlen);
            verb = block;
            continue;
        }
        if (s[0] == '~') continue; /* transformations: read, not applied (docs/dictionaries.md) */
        if (s[0] == '-') {
            if (block == UINT32_MAX) return preader_error(&r, err, errlen, "pattern outside a verb block");
            const char *lb;
            char code[32];
            rc = preader_pattern_code(&r, &lb, code, sizeof code, err, errlen);
            if (rc < 0) return rc;
            if (!rc) continue;
            if (memchr(s, '(', (size_t)(lb - s)) || memchr(s, '{', (size_t)(lb - s))) grouped++;
            rc = pdict_pattern_add(d, block, s + 1, (size_t)(lb - s - 1), code, rule, msg, sizeof msg);
            if (rc == -1) return preader_oom(&r, err, errlen);
            if (rc) preader_warn(&r, "%s", msg);
            continue;
        }
        /* a verb line: PHRASE [{FORMS}] [[CODE]] ; outside a block (PETRARCH-1
         * style) a line with a code starts a block of its own */
        const char *lb = memchr(s, '{', n), *rb = lb ? memchr(lb, '}', n - (size_t)(lb - s)) : NULL;
        const char *cb = memchr(s, '[', n), *ce = cb ? memchr(cb, ']', n - (size_t)(cb - s)) : NULL;
        if (lb && !rb) return preader_error(&r, err, errlen, "unclosed { in verb forms");
        if (cb && !ce) return preader_error(&r, err, errlen, "unclosed [CODE]");
        size_t pn = n;
        if (lb && (size_t)(lb - s) < pn) pn = (size_t)(lb - s);
        if (cb && (size_t)(cb - s) < pn) pn = (size_t)(cb - s);
        uint32_t v = block;
        if (cb) {
            char code[32];
            snprintf(code, sizeof code, "%.*s", (int)(ce - cb - 1), cb + 1);
            v = pdict_verb_add(d, code, rule);
            if (v == UINT32_MAX) return preader_oom(&r, err, errlen);
            if (block != UINT32_MAX) d->verbs[v].pats_of = block;
            else block = v;
        }
        if (v == UINT32_MAX) return preader_error(&r, err, errlen, "verb outside a verb block");
        verb = v;
        rc = pdict_verb_phrase(d, v, s, pn, lb ? lb + 1 : NULL, lb ? (size_t)(rb - lb - 1) : 0, rule, msg, sizeof msg);
        if (rc == -1) return preader_oom(&r, err, errlen);
        if (rc) return preader_error(&r, err, errlen, msg);
    }
    (void)verb;
    /* PETRARCH-2 dictionaries write prepositional and noun phrases in patterns */
    if (grouped > 10 || (d->npats && (size_t)grouped * 20 > d->npats)) d->petr2 = 1;
    return preader_close(&r, err, errlen);
}

/* ---------------------------------------------------------------- actors */
static int load_actors(kb *k, pdict *d, const char *path, strmap *seen, char *err, size_t errlen) {
    preader r;
    int rc = preader_open(&r, k, path, '#', err, errlen);
    if (rc) return rc;
    uint32_t cur = UINT32_MAX;
    char msg[256];
    while (preader_next(&r)) {
        const char *s = r.s;
        size_t n = r.n;
        if (!n) continue;
        uint32_t rule = kb_rule_add(k, r.file, r.line);
        if (s[0] == '[') {
            if (cur == UINT32_MAX) return preader_error(&r, err, errlen, "code line without an actor");
            rc = pdict_line_codes(&r, d, cur, s, n, err, errlen);
            if (rc) return rc;
            continue;
        }
        int syn = s[0] == '+';
        if (syn) { s++; n--; if (cur == UINT32_MAX) return preader_error(&r, err, errlen, "synonym without an actor"); }
        const char *cb = memchr(s, '[', n);
        size_t pn = cb ? (size_t)(cb - s) : n;
        while (pn && (s[pn - 1] == ' ' || s[pn - 1] == '\t')) pn--;
        if (!pn) continue;
        if (!syn) {
            char name[256];
            size_t nl = pn < sizeof name - 1 ? pn : sizeof name - 1;
            memcpy(name, s, nl);
            name[nl] = 0;
            cur = pdict_actor_add(d, name, rule);
            if (cur == UINT32_MAX) return preader_oom(&r, err, errlen);
        }
        rc = preader_dup(&r, seen, s, pn);
        if (rc == -1) return preader_oom(&r, err, errlen);
        uint32_t first, cnt;
        rc = pdict_parse_phrase(d, s, pn, 0, &first, &cnt, msg, sizeof msg);
        if (rc == -1) return preader_oom(&r, err, errlen);
        if (rc) return preader_error(&r, err, errlen, msg);
        if (pdict_phrase_add(d, first, cnt, PK_ACTOR, cur, rule, 0)) return preader_oom(&r, err, errlen);
        if (cb) {
            rc = pdict_line_codes(&r, d, cur, s + pn, n - pn, err, errlen);
            if (rc) return rc;
        }
    }
    return preader_close(&r, err, errlen);
}

/* ---------------------------------------------------------------- agents */
typedef struct subset { char name[64]; char items[1024]; } subset;

static void plural_of(const char *w, size_t n, char *out, size_t cap) {
    char last = n ? w[n - 1] : 0, prev = n > 1 ? w[n - 2] : 0;
    if (last == 'Y' && prev && !strchr("AEIOU", prev)) snprintf(out, cap, "%.*sIES", (int)(n - 1), w);
    else if (last == 'S' || last == 'X' || last == 'Z' || (last == 'H' && (prev == 'S' || prev == 'C')))
        snprintf(out, cap, "%.*sES", (int)n, w);
    else if (n > 3 && !strncmp(w + n - 3, "MAN", 3)) snprintf(out, cap, "%.*sMEN", (int)(n - 3), w);
    else snprintf(out, cap, "%.*sS", (int)n, w);
}

static int agent_phrase(kb *k, pdict *d, preader *r, const char *p, size_t pn, uint32_t ag, uint32_t rule,
                        strmap *seen, char *err, size_t errlen) {
    char msg[256];
    uint32_t first, cnt;
    int rc = preader_dup(r, seen, p, pn);
    if (rc == -1) return preader_oom(r, err, errlen);
    rc = pdict_parse_phrase(d, p, pn, 0, &first, &cnt, msg, sizeof msg);
    if (rc == -1) return preader_oom(r, err, errlen);
    if (rc) return preader_error(r, err, errlen, msg);
    (void)k;
    return pdict_phrase_add(d, first, cnt, PK_AGENT, ag, rule, 0) ? preader_oom(r, err, errlen) : 0;
}

static int load_agents(kb *k, pdict *d, const char *path, strmap *seen, char *err, size_t errlen) {
    preader r;
    int rc = preader_open(&r, k, path, '#', err, errlen);
    if (rc) return rc;
    subset sets[32];
    int nsets = 0;
    while (preader_next(&r)) {
        const char *s = r.s;
        size_t n = r.n;
        if (!n) continue;
        uint32_t rule = kb_rule_add(k, r.file, r.line);
        if (s[0] == '!' && memchr(s, '=', n) && !memchr(s, '[', n)) {
            const char *eq = memchr(s, '=', n);
            const char *bang = memchr(s + 1, '!', n - 1);
            if (!eq || !bang || bang > eq) return preader_error(&r, err, errlen, "substitution set needs !NAME! = A, B");
            if (nsets == 32) return preader_error(&r, err, errlen, "too many substitution sets (32)");
            subset *ss = &sets[nsets++];
            snprintf(ss->name, sizeof ss->name, "%.*s", (int)(bang - s + 1), s);
            snprintf(ss->items, sizeof ss->items, "%.*s", (int)(n - (size_t)(eq - s) - 1), eq + 1);
            continue;
        }
        const char *cb = memchr(s, '[', n), *ce = cb ? memchr(cb, ']', n - (size_t)(cb - s)) : NULL;
        if (cb && !ce && s[n - 1] == '}') {
            ce = s + n - 1; /* "[~ENV}" */
            preader_warn(&r, "code block closed with '}'");
        }
        if (!cb) { preader_warn(&r, "agent without [CODE], skipped"); continue; }
        if (!ce) return preader_error(&r, err, errlen, "unclosed [CODE]");
        const char *pb = memchr(s, '{', (size_t)(cb - s)), *pe = pb ? memchr(pb, '}', (size_t)(cb - pb)) : NULL;
        if (pb && !pe) return preader_error(&r, err, errlen, "unclosed { in plurals");
        size_t pn = (size_t)((pb ? pb : cb) - s);
        while (pn && (s[pn - 1] == ' ' || s[pn - 1] == '\t')) pn--;
        if (!pn) return preader_error(&r, err, errlen, "agent without a phrase");
        /* code: ~XXX suffix, XXX~ prefix */
        char code[32];
        size_t o = 0;
        int prefix = 0, tilde = 0;
        for (const char *q = cb + 1; q < ce; q++) {
            if (*q == ' ' || *q == '\t') continue;
            if (*q == '~') { tilde = 1; prefix = o > 0; continue; }
            if (o < sizeof code - 1) code[o++] = (char)toupper((unsigned char)*q);
        }
        code[o] = 0;
        (void)tilde;
        uint32_t ag = pdict_agent_add(d, code, prefix);
        if (ag == UINT32_MAX) return preader_oom(&r, err, errlen);
        /* expand a !SET! */
        char phr[512];
        snprintf(phr, sizeof phr, "%.*s", (int)pn, s);
        const char *b1 = strchr(phr, '!');
        const char *b2 = b1 ? strchr(b1 + 1, '!') : NULL;
        char variants[16][512];
        int nv = 0;
        if (b1 && b2) {
            subset *ss = NULL;
            for (int i = 0; i < nsets; i++)
                if (!strncmp(sets[i].name, b1, (size_t)(b2 - b1 + 1)) && sets[i].name[b2 - b1 + 1] == 0) ss = &sets[i];
            if (!ss) return preader_error(&r, err, errlen, "unknown substitution set");
            const char *it = ss->items;
            while (*it && nv < 16) {
                while (*it == ' ' || *it == ',') it++;
                const char *ie = it;
                while (*ie && *ie != ',') ie++;
                size_t il = (size_t)(ie - it);
                while (il && it[il - 1] == ' ') il--;
                if (il)
                    snprintf(variants[nv++], 512, "%.*s%.*s%s", (int)(b1 - phr), phr, (int)il, it, b2 + 1);
                it = ie;
            }
        } else {
            snprintf(variants[nv++], 512, "%s", phr);
        }
        for (int v = 0; v < nv; v++) {
            const char *p = variants[v];
            size_t pl = strlen(p);
            rc = agent_phrase(k, d, &r, p, pl, ag, rule, seen, err, errlen);
            if (rc) return rc;
            if (b1) continue; /* substitution sets list their plurals */
            if (pb) {
                /* explicit plurals, or none for {} */
                const char *q = pb + 1;
                while (q < pe) {
                    while (q < pe && (*q == ' ' || *q == '\t')) q++;
                    const char *qe = q;
                    while (qe < pe && *qe != ' ' && *qe != '\t') qe++;
                    if (qe > q) {
                        rc = agent_phrase(k, d, &r, q, (size_t)(qe - q), ag, rule, seen, err, errlen);
                        if (rc) return rc;
                    }
                    q = qe;
                }
            } else {
                /* regular plural of the last word */
                size_t le = pl;
                while (le && (p[le - 1] == '_' || p[le - 1] == ' ')) le--;
                size_t ls = le;
                while (ls && p[ls - 1] != '_' && p[ls - 1] != ' ') ls--;
                if (le > ls) {
                    char pw[128], full[640];
                    char up[128];
                    size_t ul = le - ls < sizeof up - 1 ? le - ls : sizeof up - 1;
                    for (size_t i = 0; i < ul; i++) up[i] = (char)toupper((unsigned char)p[ls + i]);
                    up[ul] = 0;
                    plural_of(up, ul, pw, sizeof pw);
                    snprintf(full, sizeof full, "%.*s%s%s", (int)ls, p, pw, p + le);
                    rc = agent_phrase(k, d, &r, full, strlen(full), ag, rule, NULL, err, errlen);
                    if (rc) return rc;
                }
            }
        }
    }
    return preader_close(&r, err, errlen);
}

/* ---------------------------------------------------------------- discards */
static int load_discards(kb *k, pdict *d, const char *path, char *err, size_t errlen) {
    preader r;
    int rc = preader_open(&r, k, path, '#', err, errlen);
    if (rc) return rc;
    char msg[256];
    while (preader_next(&r)) {
        const char *s = r.s;
        size_t n = r.n;
        if (!n) continue;
        uint32_t rule = kb_rule_add(k, r.file, r.line);
        int story = s[0] == '+';
        if (story) { s++; n--; }
        uint32_t first, cnt;
        rc = pdict_parse_phrase(d, s, n, 0, &first, &cnt, msg, sizeof msg);
        if (rc == -1) return preader_oom(&r, err, errlen);
        if (rc) return preader_error(&r, err, errlen, msg);
        if (pdict_phrase_add(d, first, cnt, PK_DISCARD, (uint32_t)story, rule, 0)) return preader_oom(&r, err, errlen);
    }
    return preader_close(&r, err, errlen);
}

/* UD-PETRARCH keeps its internal coding ontology beside the dictionaries:
 * read the first "*Coding_Ontology*" file of the verbs file's directory. */
static void find_pico(kb *k, pdict *d, const char *verbs) {
    char dir[4096];
    const char *slash = strrchr(verbs, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - verbs) : 1, slash ? verbs : ".");
    DIR *dh = opendir(dir);
    if (!dh) return;
    struct dirent *de;
    char best[256] = "";
    while ((de = readdir(dh))) {
        if (!strstr(de->d_name, "Coding_Ontology")) continue;
        if (!best[0] || strcmp(de->d_name, best) < 0) snprintf(best, sizeof best, "%s", de->d_name);
    }
    closedir(dh);
    if (!best[0]) return;
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, best);
    if (pdict_load_pico(d, path)) kb_warn(k, "%s: cannot read the coding ontology", path);
    else kb_file(k, path);
}

/* Load the PETRARCH dictionaries named in o into k (k->petr). Returns 0 or
 * a SITREP_E* status with "FILE:LINE: reason" in err. */
int dict_load_petrarch(kb *k, const sitrep_options *o, char *err, size_t errlen) {
    pdict *d = pdict_attach(k);
    if (!d) { snprintf(err, errlen, "out of memory"); return SITREP_ENOMEM; }
    d->stem = 0;
    int rc = 0;
    strmap seen = {0};
    if (o->petrarch_verbs) rc = load_verbs(k, d, o->petrarch_verbs, err, errlen);
    if (!rc && o->petrarch_actors) {
        const char *p = o->petrarch_actors;
        while (!rc && *p) {
            const char *c = strchr(p, ',');
            size_t l = c ? (size_t)(c - p) : strlen(p);
            char path[4096];
            snprintf(path, sizeof path, "%.*s", (int)l, p);
            if (l) rc = load_actors(k, d, path, &seen, err, errlen);
            p += l + (c ? 1 : 0);
        }
    }
    preader_seen_free(&seen);
    if (!rc && o->petrarch_agents) rc = load_agents(k, d, o->petrarch_agents, &seen, err, errlen);
    preader_seen_free(&seen);
    if (!rc && o->petrarch_discards) rc = load_discards(k, d, o->petrarch_discards, err, errlen);
    if (!rc && pdict_finish(d)) { snprintf(err, errlen, "out of memory"); rc = SITREP_ENOMEM; }
    if (!rc && o->petrarch_verbs && d->petr2) find_pico(k, d, o->petrarch_verbs);
    if (!rc) rc = petr_load_cameo(k, err, errlen);
    return rc;
}
