/* petr_dict.c - the compiled form of PETRARCH and TABARI dictionaries:
 * words, phrases (actors, agents, discards, verbs) indexed by first word,
 * actor codes with date ranges, verb blocks with their patterns, synsets.
 * The readers (dict_petrarch.c, dict_tabari.c) parse lines and call the
 * builders here; petr_code.c matches the result against sentences. */
#include "petr.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- strmap */
static uint64_t shash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static int smap_grow(strmap *m) {
    size_t nc = m->cap ? m->cap * 2 : 1024;
    char **nk = calloc(nc, sizeof *nk);
    uint32_t *nv = calloc(nc, sizeof *nv);
    if (!nk || !nv) { free(nk); free(nv); return -1; }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = shash(m->keys[i], strlen(m->keys[i])) & (nc - 1);
        while (nk[j]) j = (j + 1) & (nc - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = nc;
    return 0;
}

uint32_t *strmap_slot(strmap *m, arena *a, const char *s, size_t n, int add) {
    if (add && (m->n + 1) * 2 > m->cap && smap_grow(m)) return NULL;
    if (!m->cap) return NULL;
    size_t j = shash(s, n) & (m->cap - 1);
    while (m->keys[j]) {
        if (!strncmp(m->keys[j], s, n) && m->keys[j][n] == 0) return &m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!add) return NULL;
    m->keys[j] = arena_strndup(a, s, n);
    if (!m->keys[j]) return NULL;
    m->n++;
    return &m->vals[j];
}

uint32_t strmap_get(const strmap *m, const char *s, size_t n) {
    if (!m->cap) return 0;
    size_t j = shash(s, n) & (m->cap - 1);
    while (m->keys[j]) {
        if (!strncmp(m->keys[j], s, n) && m->keys[j][n] == 0) return m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

void strmap_free(strmap *m) {
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* grow a malloc'ed array */
static int grow(void **p, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    void *np = realloc(*p, nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}
#define GROW(arr, n, cap) grow((void **)&(arr), &(cap), (n), sizeof *(arr))

/* ---------------------------------------------------------------- lifetime */
pdict *pdict_new(void) {
    pdict *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    arena_init(&d->a, 0);
    return d;
}

void pdict_free(void *p) {
    pdict *d = p;
    if (!d) return;
    strmap_free(&d->words);
    strmap_free(&d->first);
    strmap_free(&d->synidx);
    free(d->wstr);
    free(d->px);
    free(d->ph);
    free(d->actors);
    free(d->codes);
    free(d->agents);
    free(d->verbs);
    free(d->pats);
    free(d->patidx);
    free(d->syns);
    free(d->synm);
    free(d->pico_code);
    free(d->pico_val);
    arena_free(&d->a);
    free(d);
}

pdict *pdict_attach(kb *k) {
    if (k->petr) return k->petr;
    pdict *d = pdict_new();
    if (!d) return NULL;
    k->petr = d;
    k->petr_free = pdict_free;
    k->petrarch = 1;
    return d;
}

/* ---------------------------------------------------------------- words */
uint32_t pdict_word_get(const pdict *d, const char *w, size_t n) { return strmap_get(&d->words, w, n); }

uint32_t pdict_word(pdict *d, const char *w, size_t n) {
    uint32_t *slot = strmap_slot(&d->words, &d->a, w, n, 1);
    if (!slot) return 0;
    if (*slot) return *slot;
    if (GROW(d->wstr, d->nw, d->wcap)) return 0;
    /* the key copy in the map is the canonical string */
    size_t j = shash(w, n) & (d->words.cap - 1);
    while (strncmp(d->words.keys[j], w, n) || d->words.keys[j][n]) j = (j + 1) & (d->words.cap - 1);
    d->wstr[d->nw++] = d->words.keys[j];
    *slot = (uint32_t)d->nw;
    return *slot;
}

static int push_px(pdict *d, uint8_t type, uint8_t adj, uint8_t stem, uint32_t id) {
    if (GROW(d->px, d->npx, d->pxcap)) return -1;
    d->px[d->npx++] = (px){type, adj, stem, 0, id};
    return 0;
}

/* Add one word (upper-cased); splits a "DIDN'T" contraction the way the
 * article tokenizer does ("DID" "N'T"). */
static int add_word(pdict *d, const char *w, size_t n, uint8_t adj, uint8_t stem) {
    char buf[256];
    if (n >= sizeof buf) n = sizeof buf - 1;
    for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)w[i]);
    buf[n] = 0;
    if (n > 3 && !strcmp(buf + n - 3, "N'T")) {
        uint32_t a = pdict_word(d, buf, n - 3), b = pdict_word(d, "N'T", 3);
        if (!a || !b) return -1;
        if (push_px(d, PX_WORD, adj, 0, a - 1)) return -1;
        return push_px(d, PX_WORD, 1, 0, b - 1);
    }
    uint32_t id = pdict_word(d, buf, n);
    if (!id) return -1;
    return push_px(d, PX_WORD, adj, stem, id - 1);
}

int32_t pdict_syn_find(const pdict *d, const char *name, size_t n) {
    char buf[128];
    if (n >= sizeof buf) return -1;
    for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)name[i]);
    while (n && buf[n - 1] == '_') n--;
    uint32_t v = strmap_get(&d->synidx, buf, n);
    return v ? (int32_t)v - 1 : -1;
}

static int is_sep(char c) { return c == ' ' || c == '\t' || c == '_' || c == '(' || c == ')' || c == '{' || c == '}'; }

/* separator at s[i]: is_sep, or a hyphen inside a word (joins like '_') */
static int sep_at(const char *s, size_t i, size_t n) {
    if (is_sep(s[i])) return 1;
    return s[i] == '-' && i > 0 && i + 1 < n && !is_sep(s[i - 1]) && !is_sep(s[i + 1]) && s[i - 1] != '-';
}

int pdict_parse_phrase(pdict *d, const char *s, size_t n, int allow_syn, uint32_t *first, uint32_t *count,
                       char *err, size_t errlen) {
    *first = (uint32_t)d->npx;
    size_t i = 0;
    uint8_t adj = 0;
    int any = 0;
    int np = 0;
    while (i < n) {
        char c = s[i];
        if (sep_at(s, i, n)) {
            if ((c == '_' || c == '-') && any) adj = 1;
            if (c == '{') np++;
            else if (c == '}' && np) np--;
            i++;
            continue;
        }
        size_t before = d->npx;
        size_t j = i;
        while (j < n && !sep_at(s, j, n)) j++;
        /* TABARI: stems unless followed by '_' (which still takes a plural) */
        uint8_t stem = (uint8_t)(!d->stem ? 0 : (j < n && (s[j] == '_' || s[j] == '-')) ? 2 : 1);
        const char *w = s + i;
        size_t wl = j - i;
        /* "+RST" inside a verb phrase marks the head: handled by caller; here strip */
        if (wl == 1 && (*w == '*' || *w == '+' || *w == '$' || *w == '%' || *w == '^')) {
            uint8_t t = *w == '*' ? PX_VERB : *w == '+' ? PX_TGT : *w == '$' ? PX_SRC : *w == '%' ? PX_CMP : PX_SKIP;
            if (push_px(d, t, adj, 0, 0)) return -1;
        } else if (*w == '&' && wl > 1 && allow_syn) {
            int32_t sy = pdict_syn_find(d, w, wl);
            if (sy < 0) { snprintf(err, errlen, "unknown synset %.*s", (int)wl, w); return -2; }
            if (push_px(d, PX_SYN, adj, 0, (uint32_t)sy)) return -1;
        } else {
            if (*w == '+' && wl > 1) { w++; wl--; }
            if (wl > 1 && w[wl - 1] == '~') { wl--; stem = 1; } /* TABARI "REAL~": any ending */
            if (wl > 1 && w[wl - 1] == '=') { wl--; stem = 0; } /* TABARI "MOUSE=": exact */
            /* strip a trailing comma or period glued by a typo? keep words as written */
            if (add_word(d, w, wl, adj, stem)) return -1;
        }
        for (size_t q = before; q < d->npx; q++) d->px[q].np = (uint8_t)(np > 0);
        any = 1;
        adj = 0;
        i = j;
    }
    *count = (uint32_t)(d->npx - *first);
    return 0;
}

int pdict_phrase_add(pdict *d, uint32_t first, uint32_t n, uint8_t kind, uint32_t what, uint32_t rule, uint8_t head) {
    if (!n || d->px[first].type != PX_WORD) return 0; /* phrases start with a word */
    if (GROW(d->ph, d->nph, d->phcap)) return -1;
    const char *w = d->wstr[d->px[first].id];
    uint32_t *slot = strmap_slot(&d->first, &d->a, w, strlen(w), 1);
    if (!slot) return -1;
    pphrase *p = &d->ph[d->nph];
    memset(p, 0, sizeof *p);
    p->first = first;
    p->n = n;
    p->what = what;
    p->kind = kind;
    p->rule = rule;
    p->head = head;
    p->next = *slot;
    *slot = (uint32_t)++d->nph;
    return 0;
}

/* ---------------------------------------------------------------- actors, agents */
uint32_t pdict_actor_add(pdict *d, const char *name, uint32_t rule) {
    if (GROW(d->actors, d->nactors, d->actcap)) return UINT32_MAX;
    pactor *a = &d->actors[d->nactors];
    a->name = arena_strndup(&d->a, name, strlen(name));
    if (!a->name) return UINT32_MAX;
    a->first = (uint32_t)d->ncodes;
    a->n = 0;
    a->rule = rule;
    return (uint32_t)d->nactors++;
}

int pdict_actor_code(pdict *d, uint32_t actor, const char *code, int from, int to) {
    pactor *a = &d->actors[actor];
    /* codes of an actor are contiguous: move them to the end when another
     * actor's codes were added in between */
    if (a->first + a->n != d->ncodes) {
        for (uint32_t i = 0; i < a->n; i++) {
            if (GROW(d->codes, d->ncodes, d->codecap)) return -1;
            d->codes[d->ncodes++] = d->codes[a->first + i];
        }
        a->first = (uint32_t)(d->ncodes - a->n);
    }
    if (GROW(d->codes, d->ncodes, d->codecap)) return -1;
    pcode *c = &d->codes[d->ncodes++];
    snprintf(c->code, sizeof c->code, "%s", code);
    c->from = from;
    c->to = to;
    a->n++;
    return 0;
}

int pdict_date(const char *s, size_t n) {
    int v = 0;
    if (n != 6 && n != 8) return -1; /* YYMMDD or YYYYMMDD: checked first, so no overflow */
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (n == 6) {
        int yy = v / 10000;
        v += (yy > 30 ? 19000000 : 20000000);
    } else if (n != 8) return -1;
    return v;
}

static const char *skip_ws(const char *s, const char *e) {
    while (s < e && (*s == ' ' || *s == '\t')) s++;
    return s;
}

int pdict_parse_codes(pdict *d, uint32_t actor, const char *s, size_t n, char *err, size_t errlen) {
    const char *e = s + n;
    s = skip_ws(s, e);
    if (s < e && *s == '[') s++;
    while (e > s && (e[-1] == ']' || e[-1] == ' ' || e[-1] == '\t')) e--;
    s = skip_ws(s, e);
    /* code */
    const char *cs = s;
    while (s < e && *s != ' ' && *s != '\t' && *s != '<' && *s != '>') s++;
    size_t cl = (size_t)(s - cs);
    if (!cl) { snprintf(err, errlen, "code block without a code"); return -2; }
    if (cl >= 32) { snprintf(err, errlen, "code too long: %.*s", (int)cl, cs); return -2; }
    char code[32];
    for (size_t i = 0; i < cl; i++) code[i] = (char)toupper((unsigned char)cs[i]);
    code[cl] = 0;
    int from = 0, to = 0;
    s = skip_ws(s, e);
    if (s < e) {
        /* date restriction: <D, >D, D-D */
        char kindc = 0;
        if (*s == '<' || *s == '>') kindc = *s++;
        s = skip_ws(s, e);
        const char *d1 = s;
        while (s < e && *s >= '0' && *s <= '9') s++;
        int a = pdict_date(d1, (size_t)(s - d1));
        if (a < 0) { snprintf(err, errlen, "bad date in code block, code ignored"); return -3; }
        s = skip_ws(s, e);
        if (kindc == '<') to = a - 1 > 0 ? a - 1 : a;
        else if (kindc == '>') from = a;
        else {
            if (s >= e || *s != '-') { snprintf(err, errlen, "bad date range in code block, code ignored"); return -3; }
            s = skip_ws(s + 1, e);
            const char *d2 = s;
            while (s < e && *s >= '0' && *s <= '9') s++;
            int b = pdict_date(d2, (size_t)(s - d2));
            if (b < 0) { snprintf(err, errlen, "bad date range in code block, code ignored"); return -3; }
            from = a;
            to = b;
        }
        s = skip_ws(s, e);
        if (s < e) { snprintf(err, errlen, "unexpected text in code block, code ignored"); return -3; }
    }
    return pdict_actor_code(d, actor, code, from, to) ? -1 : 0;
}

uint32_t pdict_agent_add(pdict *d, const char *code, int prefix) {
    if (GROW(d->agents, d->nagents, d->agcap)) return UINT32_MAX;
    pagent *g = &d->agents[d->nagents];
    snprintf(g->code, sizeof g->code, "%s", code);
    g->prefix = (uint8_t)prefix;
    return (uint32_t)d->nagents++;
}

/* ---------------------------------------------------------------- synsets */
uint32_t pdict_syn_add(pdict *d, const char *name, size_t n) {
    char buf[128];
    if (n >= sizeof buf) n = sizeof buf - 1;
    for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)name[i]);
    while (n && buf[n - 1] == '_') n--;
    buf[n] = 0;
    uint32_t *slot = strmap_slot(&d->synidx, &d->a, buf, n, 1);
    if (!slot) return UINT32_MAX;
    if (*slot) { d->ndup++; return *slot - 1; } /* redefinition: members accumulate */
    if (GROW(d->syns, d->nsyns, d->syncap)) return UINT32_MAX;
    psyn *s = &d->syns[d->nsyns];
    s->name = arena_strndup(&d->a, buf, n);
    if (!s->name) return UINT32_MAX;
    s->first = (uint32_t)d->nsynm;
    s->n = 0;
    *slot = (uint32_t)++d->nsyns;
    return *slot - 1;
}

int pdict_syn_member(pdict *d, uint32_t syn, uint32_t first, uint32_t n) {
    psyn *s = &d->syns[syn];
    if (s->first + s->n != d->nsynm) {
        for (uint32_t i = 0; i < s->n; i++) {
            if (GROW(d->synm, d->nsynm, d->synmcap)) return -1;
            d->synm[d->nsynm++] = d->synm[s->first + i];
        }
        s->first = (uint32_t)(d->nsynm - s->n);
    }
    if (GROW(d->synm, d->nsynm, d->synmcap)) return -1;
    d->synm[d->nsynm++] = (prange){first, n};
    s->n++;
    return 0;
}

/* ---------------------------------------------------------------- verbs */
void pdict_split_code(const char *s, size_t n, char code[8], char code2[8]) {
    const char *e = s + n;
    while (s < e && (*s == '[' || *s == ' ' || *s == '\t')) s++;
    while (e > s && (e[-1] == ']' || e[-1] == ' ' || e[-1] == '\t')) e--;
    const char *colon = memchr(s, ':', (size_t)(e - s));
    size_t l1 = colon ? (size_t)(colon - s) : (size_t)(e - s);
    if (l1 > 7) l1 = 7;
    memcpy(code, s, l1);
    code[l1] = 0;
    code2[0] = 0;
    if (colon) {
        size_t l2 = (size_t)(e - colon - 1);
        if (l2 > 7) l2 = 7;
        memcpy(code2, colon + 1, l2);
        code2[l2] = 0;
    }
}

uint32_t pdict_verb_add(pdict *d, const char *code, uint32_t rule) {
    if (GROW(d->verbs, d->nverbs, d->vcap)) return UINT32_MAX;
    pverb *v = &d->verbs[d->nverbs];
    memset(v, 0, sizeof *v);
    pdict_split_code(code, strlen(code), v->code, v->code2);
    v->rule = rule;
    v->pats_of = (uint32_t)d->nverbs;
    return (uint32_t)d->nverbs++;
}

int pdict_pattern_add(pdict *d, uint32_t v, const char *pat, size_t n, const char *code, uint32_t rule, char *err,
                      size_t errlen) {
    uint32_t first, cnt;
    int rc = pdict_parse_phrase(d, pat, n, 1, &first, &cnt, err, errlen);
    if (rc) return rc;
    uint32_t at = UINT32_MAX;
    uint16_t nlit = 0;
    for (uint32_t i = 0; i < cnt; i++) {
        const px *x = &d->px[first + i];
        if (x->type == PX_VERB) { if (at == UINT32_MAX) at = i; }
        else if (x->type == PX_WORD || x->type == PX_SYN) nlit++;
        else if (x->type != PX_SKIP) nlit++;
    }
    if (at == UINT32_MAX) {
        /* a pattern without '*' puts the verb first */
        if (GROW(d->px, d->npx, d->pxcap)) return -1;
        memmove(&d->px[first + 1], &d->px[first], cnt * sizeof *d->px);
        d->px[first] = (px){PX_VERB, 0, 0, 0, 0};
        d->npx++;
        cnt++;
        at = 0;
    }
    if (GROW(d->pats, d->npats, d->patcap)) return -1;
    ppat *p = &d->pats[d->npats];
    memset(p, 0, sizeof *p);
    pdict_split_code(code, strlen(code), p->code, p->code2);
    p->first = first;
    p->n = cnt;
    p->verb_at = at;
    p->rule = rule;
    p->nlit = nlit;
    /* patterns are listed per verb through patidx (filled in pdict_finish);
     * remember the owner in pat_first temporarily via a parallel index */
    if (GROW(d->patidx, d->npatidx, d->patidxcap)) return -1;
    d->patidx[d->npatidx++] = v;
    d->npats++;
    return 0;
}

static size_t regular_forms(const char *b, size_t n, char out[4][64]) {
    size_t k = 0;
    if (n == 0 || n > 56) return 0;
    char last = b[n - 1], prev = n > 1 ? b[n - 2] : 0;
    int vowel_prev = prev && strchr("AEIOU", prev);
    /* -S */
    if (last == 'Y' && !vowel_prev) snprintf(out[k++], 64, "%.*sIES", (int)(n - 1), b);
    else if (last == 'S' || last == 'X' || last == 'Z' || last == 'O' || (last == 'H' && (prev == 'S' || prev == 'C')))
        snprintf(out[k++], 64, "%.*sES", (int)n, b);
    else snprintf(out[k++], 64, "%.*sS", (int)n, b);
    /* -ED */
    if (last == 'E') snprintf(out[k++], 64, "%.*sD", (int)n, b);
    else if (last == 'Y' && !vowel_prev) snprintf(out[k++], 64, "%.*sIED", (int)(n - 1), b);
    else snprintf(out[k++], 64, "%.*sED", (int)n, b);
    /* -ING */
    if (last == 'E' && prev != 'E' && n > 2) snprintf(out[k++], 64, "%.*sING", (int)(n - 1), b);
    else snprintf(out[k++], 64, "%.*sING", (int)n, b);
    return k;
}

/* Register phrase `words` with the head word replaced by `form`. */
static int verb_variant(pdict *d, uint32_t v, const char *s, size_t n, size_t hs, size_t he, const char *form,
                        uint32_t rule, char *err, size_t errlen) {
    char buf[512];
    size_t fl = strlen(form);
    if (n - (he - hs) + fl >= sizeof buf) return 0;
    memcpy(buf, s, hs);
    memcpy(buf + hs, form, fl);
    memcpy(buf + hs + fl, s + he, n - he);
    size_t bl = hs + fl + (n - he);
    /* count words before the head for `head` */
    uint32_t first, cnt;
    int rc = pdict_parse_phrase(d, buf, bl, 0, &first, &cnt, err, errlen);
    if (rc) return rc;
    uint8_t head = 0;
    {
        size_t i = 0;
        int inword = 0;
        for (; i < hs; i++) {
            if (is_sep(buf[i])) inword = 0;
            else if (!inword) { inword = 1; head++; }
        }
    }
    /* PETRARCH verbs match exactly (forms are listed or generated); TABARI
     * verbs are stems unless written with '_' */
    if (!d->tabari)
        for (uint32_t i = 0; i < cnt; i++) d->px[first + i].stem = 0;
    return pdict_phrase_add(d, first, cnt, PK_VERB, v, rule, head);
}

int pdict_verb_phrase(pdict *d, uint32_t v, const char *s, size_t n, const char *forms, size_t nforms, uint32_t rule,
                      char *err, size_t errlen) {
    char buf[512];
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (!n) return 0;
    if (n >= sizeof buf) { snprintf(err, errlen, "verb phrase too long"); return -2; }
    /* head: the word marked '+', else the first word */
    size_t hs = 0, he;
    const char *plus = NULL;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '+' && is_sep(s[i - 1])) { plus = s + i; break; }
    memcpy(buf, s, n);
    if (plus) {
        hs = (size_t)(plus - s);
        memmove(buf + hs, buf + hs + 1, n - hs - 1);
        n--;
    } else if (buf[0] == '+') {
        memmove(buf, buf + 1, n - 1);
        n--;
    }
    he = hs;
    while (he < n && !is_sep(buf[he])) he++;
    char base[64];
    size_t bl = he - hs < 63 ? he - hs : 63;
    for (size_t i = 0; i < bl; i++) base[i] = (char)toupper((unsigned char)buf[hs + i]);
    base[bl] = 0;
    int rc = verb_variant(d, v, buf, n, hs, he, base, rule, err, errlen);
    if (rc) return rc;
    char gen[4][64];
    size_t ng = regular_forms(base, bl, gen);
    int listed = 0;
    if (forms && nforms) {
        /* "{BANS BANNED}" or "{+WENT_BY +GOES_BY}": whole phrases or head forms */
        size_t i = 0;
        while (i < nforms) {
            while (i < nforms && (forms[i] == ' ' || forms[i] == '\t' || forms[i] == '{' || forms[i] == '}')) i++;
            size_t j = i;
            while (j < nforms && forms[j] != ' ' && forms[j] != '\t' && forms[j] != '}') j++;
            if (j > i) {
                const char *f = forms + i;
                size_t fl = j - i;
                if (*f == '+') { f++; fl--; }
                char fw[128];
                if (fl >= sizeof fw) fl = sizeof fw - 1;
                for (size_t q = 0; q < fl; q++) fw[q] = (char)toupper((unsigned char)f[q]);
                fw[fl] = 0;
                if (memchr(fw, '_', fl)) {
                    /* a whole multiword form: its first word is the head */
                    uint32_t first, cnt;
                    rc = pdict_parse_phrase(d, fw, fl, 0, &first, &cnt, err, errlen);
                    if (rc) return rc;
                    for (uint32_t q = 0; q < cnt; q++) d->px[first + q].stem = 0;
                    if (pdict_phrase_add(d, first, cnt, PK_VERB, v, rule, 0)) return -1;
                } else {
                    while (fl && fw[fl - 1] == '_') fw[--fl] = 0;
                    rc = verb_variant(d, v, buf, n, hs, he, fw, rule, err, errlen);
                    if (rc) return rc;
                }
                listed = 1;
            }
            i = j + 1;
        }
    }
    for (size_t g = 0; g < ng; g++) {
        if (listed && g == 1) continue; /* listed forms replace the regular past */
        rc = verb_variant(d, v, buf, n, hs, he, gen[g], rule, err, errlen);
        if (rc) return rc;
    }
    return 0;
}

static int pat_cmp_ctx(const pdict *d, uint32_t a, uint32_t b) {
    const ppat *x = &d->pats[a], *y = &d->pats[b];
    if (x->nlit != y->nlit) return x->nlit > y->nlit ? -1 : 1;
    return a < b ? -1 : a > b;
}

int pdict_finish(pdict *d) {
    /* group pattern indexes by verb (counting sort), most specific first */
    uint32_t *cnt = calloc(d->nverbs + 1, sizeof *cnt);
    uint32_t *order = malloc((d->npats + 1) * sizeof *order);
    if (!cnt || !order) { free(cnt); free(order); return -1; }
    for (size_t i = 0; i < d->npats; i++) cnt[d->patidx[i]]++;
    uint32_t acc = 0;
    for (size_t v = 0; v < d->nverbs; v++) {
        d->verbs[v].pat_first = acc;
        d->verbs[v].npat = 0;
        acc += cnt[v];
    }
    for (size_t i = 0; i < d->npats; i++) {
        pverb *v = &d->verbs[d->patidx[i]];
        order[v->pat_first + v->npat++] = (uint32_t)i;
    }
    for (size_t v = 0; v < d->nverbs; v++) {
        uint32_t *o = order + d->verbs[v].pat_first;
        uint32_t m = d->verbs[v].npat;
        for (uint32_t i = 1; i < m; i++) {  /* insertion sort: blocks are small */
            uint32_t x = o[i], j = i;
            while (j > 0 && pat_cmp_ctx(d, x, o[j - 1]) < 0) { o[j] = o[j - 1]; j--; }
            o[j] = x;
        }
    }
    free(cnt);
    free(d->patidx);
    d->patidx = order;
    d->npatidx = d->npats;
    d->patidxcap = d->npats + 1;
    return 0;
}

/* ---------------------------------------------------------------- files */
static int valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t k;
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c >= 0xE0 && c <= 0xEF) k = 2;
        else if (c >= 0xF0 && c <= 0xF4) k = 3;
        else return 0;
        if (i + k >= n) return 0;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return 0;
        i += k + 1;
    }
    return 1;
}

int pdict_read_file(const char *path, char **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf) { fclose(f); errno = ENOMEM; return -1; }
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); fclose(f); errno = ENOMEM; return -1; }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); errno = EIO; return -1; }
    if (!valid_utf8((const unsigned char *)buf, n)) {
        /* Latin-1 (or Windows-1252) bytes: re-encode as UTF-8 */
        char *u = malloc(n * 2 + 1);
        if (!u) { free(buf); errno = ENOMEM; return -1; }
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c < 0x80) u[o++] = (char)c;
            else { u[o++] = (char)(0xC0 | (c >> 6)); u[o++] = (char)(0x80 | (c & 0x3F)); }
        }
        free(buf);
        buf = u;
        n = o;
    }
    char *nb = realloc(buf, n + 1);
    if (nb) buf = nb;
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

/* ---------------------------------------------------------------- PICO */
static long hexsum(const char *s, const char *e) {
    long v = 0;
    int sign = 1;
    while (s < e) {
        if (*s == '+') { sign = 1; s++; continue; }
        if (*s == '-') { sign = -1; s++; continue; }
        if (*s == ' ' || *s == '\t') { s++; continue; }
        char *end;
        long t = strtol(s, &end, 16);
        if (end == s) break;
        v += sign * t;
        sign = 1;
        s = end;
    }
    return v;
}

int pdict_load_pico(pdict *d, const char *path) {
    char *buf;
    size_t len;
    if (pdict_read_file(path, &buf, &len)) return -1;
    char *p = buf;
    while (p < buf + len) {
        char *nl = strchr(p, '\n');
        char *e = nl ? nl : buf + len;
        char *colon = memchr(p, ':', (size_t)(e - p));
        if (p[0] >= '0' && p[0] <= '9' && colon && colon - p < 8) {
            char *h = memchr(colon, '#', (size_t)(e - colon));
            if (!h) h = e;
            if (GROW(d->pico_code, d->npico, d->picocap)) { free(buf); return -1; }
            if (d->npico + 1 > d->picocap) { free(buf); return -1; }
            long *nv = realloc(d->pico_val, d->picocap * sizeof *nv);
            if (!nv) { free(buf); return -1; }
            d->pico_val = nv;
            snprintf(d->pico_code[d->npico], 8, "%.*s", (int)(colon - p), p);
            d->pico_val[d->npico] = hexsum(colon + 1, h);
            d->npico++;
        }
        p = e + 1;
    }
    free(buf);
    return 0;
}

const char *pdict_negate(const pdict *d, const char *code) {
    long v = 0;
    int found = 0;
    for (size_t i = 0; i < d->npico && !found; i++)
        if (!strcmp(d->pico_code[i], code)) { v = d->pico_val[i]; found = 1; }
    if (!found) return NULL;
    long want[2] = {v - 0xFFFF, v + 0xFFFF};
    if (v < 0xFFFF) { want[0] = v + 0xFFFF; want[1] = v - 0xFFFF; }
    if (v > 0xFFFF) { want[0] = v - 0xFFFF; want[1] = v - 0xFFFF; }
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < d->npico; i++)
            if (d->pico_val[i] == want[k]) return d->pico_code[i];
    return NULL;
}

int pdict_line_codes(preader *r, pdict *d, uint32_t actor, const char *s, size_t n, char *err, size_t errlen) {
    char msg[256];
    size_t i = 0;
    while (i < n) {
        if (s[i] != '[') { i++; continue; }
        const char *e = memchr(s + i, ']', n - i);
        if (!e) return preader_error(r, err, errlen, "unclosed [CODE]");
        int rc = pdict_parse_codes(d, actor, s + i, (size_t)(e - s - i + 1), msg, sizeof msg);
        if (rc == -1) return preader_oom(r, err, errlen);
        if (rc == -3) preader_warn(r, "%s", msg);
        else if (rc) return preader_error(r, err, errlen, msg);
        i = (size_t)(e - s) + 1;
    }
    return 0;
}

int pdict_synset_line(pdict *d, preader *r, uint32_t *syn, char *err, size_t errlen) {
    const char *s = r->s;
    size_t n = r->n;
    if (n && s[0] == '&') {
        size_t e = 1;
        while (e < n && s[e] != ' ' && s[e] != '\t') e++;
        *syn = pdict_syn_add(d, s, e);
        if (*syn == UINT32_MAX) return preader_oom(r, err, errlen);
        return 1;
    }
    if (n && s[0] == '+' && *syn != UINT32_MAX) {
        uint32_t first, cnt;
        char msg[256];
        int rc = pdict_parse_phrase(d, s + 1, n - 1, 1, &first, &cnt, msg, sizeof msg);
        if (rc == -1) return preader_oom(r, err, errlen);
        if (rc) { preader_warn(r, "%s", msg); return 1; }
        if (cnt && pdict_syn_member(d, *syn, first, cnt)) return preader_oom(r, err, errlen);
        return 1;
    }
    *syn = UINT32_MAX;
    return 0;
}
