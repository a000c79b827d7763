/* dict_tabari.c - readers for TABARI projects: the .project file names the
 * .actors, .verbs, .agents and .options files (paths relative to it).
 * Actors and agents are "PHRASE [CODE] [CODE DATES] ; comment" lines;
 * verbs are "VERB [CODE]" lines followed by "{ FORMS }" and "- PATTERN
 * [CODE]" lines, with <SYNSETS> and { A | B } alternatives. Words match as
 * prefixes (stems) unless written with a trailing '_'. See
 * docs/dictionaries.md. */
#include "petr.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dict_load_tabari(kb *k, const char *project, char *err, size_t errlen);

static int is_tag(const preader *r, const char *tag) {
    size_t l = strlen(tag);
    return r->n >= l && !strncasecmp(r->s, tag, l);
}

static int load_actors(kb *k, pdict *d, const char *path, strmap *seen, char *err, size_t errlen) {
    preader r;
    int rc = preader_open(&r, k, path, ';', err, errlen);
    if (rc) return rc;
    int skip = 0;
    uint32_t cur = UINT32_MAX;
    char msg[256];
    while (preader_next(&r)) {
        if (!r.n) continue;
        if (r.s[0] == '<') {
            if (is_tag(&r, "<NOUN>") || is_tag(&r, "<ADJECTIVE>")) skip = 1;
            else if (is_tag(&r, "</NOUN>") || is_tag(&r, "</ADJECTIVE>")) skip = 0;
            continue;
        }
        if (skip) continue;
        const char *s = r.s;
        size_t n = r.n;
        uint32_t rule = kb_rule_add(k, r.file, r.line);
        if (s[0] == '[') {
            if (cur == UINT32_MAX) return preader_error(&r, err, errlen, "code line without an actor");
            if ((rc = pdict_line_codes(&r, d, cur, s, n, err, errlen))) return rc;
            continue;
        }
        int syn = s[0] == '+';
        if (syn) {
            s++; n--;
            if (cur == UINT32_MAX) return preader_error(&r, err, errlen, "synonym without an actor");
        }
        const char *cb = memchr(s, '[', n);
        size_t pn = cb ? (size_t)(cb - s) : n;
        while (pn && (s[pn - 1] == ' ' || s[pn - 1] == '\t')) pn--;
        if (!pn) continue;
        if (!syn) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)pn, s);
            cur = pdict_actor_add(d, name, rule);
            if (cur == UINT32_MAX) return preader_oom(&r, err, errlen);
        }
        if (preader_dup(&r, seen, s, pn)) return preader_oom(&r, err, errlen);
        uint32_t first, cnt;
        rc = pdict_parse_phrase(d, s, pn, 0, &first, &cnt, msg, sizeof msg);
        if (rc == -1) return preader_oom(&r, err, errlen);
        if (rc) return preader_error(&r, err, errlen, msg);
        if (pdict_phrase_add(d, first, cnt, PK_ACTOR, cur, rule, 0)) return preader_oom(&r, err, errlen);
        if (cb && (rc = pdict_line_codes(&r, d, cur, s + pn, n - pn, err, errlen))) return rc;
    }
    return preader_close(&r, err, errlen);
}

static int load_agents(kb *k, pdict *d, const char *path, strmap *seen, char *err, size_t errlen) {
    preader r;
    int rc = preader_open(&r, k, path, ';', err, errlen);
    if (rc) return rc;
    char msg[256];
    while (preader_next(&r)) {
        if (!r.n || r.s[0] == '<') continue;
        const char *s = r.s;
        size_t n = r.n;
        uint32_t rule = kb_rule_add(k, r.file, r.line);
        const char *cb = memchr(s, '[', n), *ce = cb ? memchr(cb, ']', n - (size_t)(cb - s)) : NULL;
        if (!cb || !ce) return preader_error(&r, err, errlen, "agent without [CODE]");
        size_t pn = (size_t)(cb - s);
        while (pn && (s[pn - 1] == ' ' || s[pn - 1] == '\t')) pn--;
        if (!pn) return preader_error(&r, err, errlen, "agent without a phrase");
        char code[32];
        size_t o = 0;
        int prefix = 0;
        for (const char *q = cb + 1; q < ce; q++) {
            if (*q == ' ' || *q == '\t') continue;
            if (*q == '~') { prefix = o > 0; continue; }
            if (o < sizeof code - 1) code[o++] = (char)toupper((unsigned char)*q);
        }
        code[o] = 0;
        uint32_t ag = pdict_agent_add(d, code, prefix);
        if (ag == UINT32_MAX) return preader_oom(&r, err, errlen);
        if (preader_dup(&r, seen, s, pn)) return preader_oom(&r, err, errlen);
        uint32_t first, cnt;
        rc = pdict_parse_phrase(d, s, pn, 0, &first, &cnt, msg, sizeof msg);
        if (rc == -1) return preader_oom(&r, err, errlen);
        if (rc) return preader_error(&r, err, errlen, msg);
        if (pdict_phrase_add(d, first, cnt, PK_AGENT, ag, rule, 0)) return preader_oom(&r, err, errlen);
    }
    return preader_close(&r, err, errlen);
}

/* Rewrite "{ A | B }" alternatives in a pattern as anonymous synsets. */
static int alternatives(pdict *d, const char *s, size_t n, char *out, size_t cap, char *msg, size_t msglen) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '{') {
            if (o + 1 >= cap) return -2;
            out[o++] = s[i];
            continue;
        }
        const char *e = memchr(s + i, '}', n - i);
        if (!e) { snprintf(msg, msglen, "unclosed {"); return -2; }
        char name[32];
        snprintf(name, sizeof name, "&ALT%zu", d->nsyns);
        uint32_t sy = pdict_syn_add(d, name, strlen(name));
        if (sy == UINT32_MAX) return -1;
        const char *p = s + i + 1;
        while (p < e) {
            const char *bar = memchr(p, '|', (size_t)(e - p));
            const char *pe = bar ? bar : e;
            uint32_t first, cnt;
            int rc = pdict_parse_phrase(d, p, (size_t)(pe - p), 1, &first, &cnt, msg, msglen);
            if (rc) return rc;
            if (cnt && pdict_syn_member(d, sy, first, cnt)) return -1;
            p = pe + (bar ? 1 : 0);
        }
        int w = snprintf(out + o, cap - o, " %s ", name);
        if (w < 0 || (size_t)w >= cap - o) return -2;
        o += (size_t)w;
        /* a '_' right after the group still joins */
        i = (size_t)(e - s);
    }
    out[o] = 0;
    return (int)o;
}

static int load_verbs(kb *k, pdict *d, const char *path, char *err, size_t errlen) {
    preader r;
    int rc = preader_open(&r, k, path, ';', err, errlen);
    if (rc) return rc;
    int section = 0; /* 1 synsets, 2 time (skipped) */
    uint32_t syn = UINT32_MAX, verb = UINT32_MAX;
    const char *vs = NULL;
    char vcopy[1024];
    size_t vn = 0;
    char msg[256], buf[1024];
    while (preader_next(&r)) {
        const char *s = r.s;
        size_t n = r.n;
        if (!n) continue;
        if (s[0] == '<') {
            if (is_tag(&r, "<SYNSETS>")) section = 1;
            else if (is_tag(&r, "<TIME>")) section = 2;
            else if (s[1] == '/') section = 0;
            continue;
        }
        if (section == 2) continue;
        if (s[0] == '~') continue; /* "~~FINISH" stamps */
        uint32_t rule = kb_rule_add(k, r.file, r.line);
        rc = pdict_synset_line(d, &r, &syn, err, errlen);
        if (rc < 0) return rc;
        if (rc) continue;
        if (s[0] == '{') {
            /* forms of the verb on the previous line */
            if (verb == UINT32_MAX || !vs) return preader_error(&r, err, errlen, "verb forms without a verb line before them");
            const char *e = memchr(s, '}', n);
            if (!e) return preader_error(&r, err, errlen, "unclosed { in verb forms");
            rc = pdict_verb_phrase(d, verb, vs, vn, s + 1, (size_t)(e - s - 1), d->verbs[verb].rule, msg, sizeof msg);
            if (rc == -1) return preader_oom(&r, err, errlen);
            if (rc) return preader_error(&r, err, errlen, msg);
            vs = NULL;
            continue;
        }
        if (s[0] == '-') {
            if (verb == UINT32_MAX) return preader_error(&r, err, errlen, "pattern before any verb");
            if (vs) {
                rc = pdict_verb_phrase(d, verb, vs, vn, NULL, 0, d->verbs[verb].rule, msg, sizeof msg);
                if (rc == -1) return preader_oom(&r, err, errlen);
                if (rc == -3) preader_warn(&r, "%s", msg);
                else if (rc) return preader_error(&r, err, errlen, msg);
                vs = NULL;
            }
            const char *lb;
            char code[32];
            rc = preader_pattern_code(&r, &lb, code, sizeof code, err, errlen);
            if (rc < 0) return rc;
            if (!rc) continue;
            int bl = alternatives(d, s + 1, (size_t)(lb - s - 1), buf, sizeof buf, msg, sizeof msg);
            if (bl == -1) return preader_oom(&r, err, errlen);
            if (bl < 0) { preader_warn(&r, "%s", msg); continue; }
            rc = pdict_pattern_add(d, verb, buf, (size_t)bl, code, rule, msg, sizeof msg);
            if (rc == -1) return preader_oom(&r, err, errlen);
            if (rc) preader_warn(&r, "%s", msg);
            continue;
        }
        /* VERB [CODE] (forms may follow inline or on the next line) */
        if (vs) {
            rc = pdict_verb_phrase(d, verb, vs, vn, NULL, 0, d->verbs[verb].rule, msg, sizeof msg);
            if (rc == -1) return preader_oom(&r, err, errlen);
            if (rc) return preader_error(&r, err, errlen, msg);
            vs = NULL;
        }
        const char *cb = memchr(s, '[', n), *ce = cb ? memchr(cb, ']', n - (size_t)(cb - s)) : NULL;
        if (!cb || !ce) return preader_error(&r, err, errlen, "verb without [CODE]");
        char code[32];
        snprintf(code, sizeof code, "%.*s", (int)(ce - cb - 1), cb + 1);
        verb = pdict_verb_add(d, code, rule);
        if (verb == UINT32_MAX) return preader_oom(&r, err, errlen);
        const char *fb = memchr(s, '{', n);
        size_t pn = (size_t)(cb - s);
        if (fb && fb < cb) pn = (size_t)(fb - s);
        if (fb) {
            const char *fe = memchr(fb, '}', n - (size_t)(fb - s));
            if (!fe) return preader_error(&r, err, errlen, "unclosed { in verb forms");
            rc = pdict_verb_phrase(d, verb, s, pn, fb + 1, (size_t)(fe - fb - 1), rule, msg, sizeof msg);
            if (rc == -1) return preader_oom(&r, err, errlen);
            if (rc) return preader_error(&r, err, errlen, msg);
        } else {
            /* the forms may come on the next line: keep a copy of the verb,
             * the reader's line buffer is reused */
            if (pn >= sizeof vcopy) return preader_error(&r, err, errlen, "verb phrase too long");
            memcpy(vcopy, s, pn);
            vs = vcopy;
            vn = pn;
        }
    }
    if (vs) {
        rc = pdict_verb_phrase(d, verb, vs, vn, NULL, 0, d->verbs[verb].rule, msg, sizeof msg);
        if (rc == -1) return preader_oom(&r, err, errlen);
        if (rc) return preader_error(&r, err, errlen, msg);
    }
    return preader_close(&r, err, errlen);
}

/* Load the dictionaries a TABARI .project names into k (k->petr, with
 * k->tabari = 1). 0 or SITREP_E* with "FILE:LINE: reason" in err. */
int dict_load_tabari(kb *k, const char *project, char *err, size_t errlen) {
    pdict *d = pdict_attach(k);
    if (!d) { snprintf(err, errlen, "out of memory"); return SITREP_ENOMEM; }
    d->tabari = 1;
    d->stem = 1;
    k->tabari = 1;
    preader r;
    int rc = preader_open(&r, k, project, 0, err, errlen);
    if (rc) return rc;
    char dir[4096];
    const char *slash = strrchr(project, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - project + 1) : 0, project);
    char actors[8][4096], verbs[4096] = "", agents[4096] = "";
    int nact = 0;
    while (preader_next(&r)) {
        const char *s = r.s;
        size_t n = r.n;
        if (!n || s[0] != '<') continue;
        const char *gt = memchr(s, '>', n);
        if (!gt) continue;
        const char *v = gt + 1;
        while (v < s + n && (*v == ' ' || *v == '\t')) v++;
        size_t vl = (size_t)(s + n - v);
        char *dst = NULL;
        if (is_tag(&r, "<actorsfile>") && nact < 8) dst = actors[nact++];
        else if (is_tag(&r, "<verbsfile>")) dst = verbs;
        else if (is_tag(&r, "<agentsfile>")) dst = agents;
        if (!dst || !vl) continue;
        if (v[0] == '/') snprintf(dst, 4096, "%.*s", (int)vl, v);
        else snprintf(dst, 4096, "%s%.*s", dir, (int)vl, v);
    }
    preader_close(&r, err, errlen);
    strmap seen = {0};
    for (int i = 0; !rc && i < nact; i++) rc = load_actors(k, d, actors[i], &seen, err, errlen);
    strmap_free(&seen);
    if (!rc && agents[0]) rc = load_agents(k, d, agents, &seen, err, errlen);
    strmap_free(&seen);
    if (!rc && verbs[0]) rc = load_verbs(k, d, verbs, err, errlen);
    if (!rc && pdict_finish(d)) { snprintf(err, errlen, "out of memory"); rc = SITREP_ENOMEM; }
    if (!rc) rc = petr_load_cameo(k, err, errlen);
    return rc;
}
