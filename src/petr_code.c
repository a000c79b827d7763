/* petr_code.c - the coder for PETRARCH and TABARI dictionaries: their
 * semantics applied to our sentences and tokens (raw text; the peers'
 * parse trees are not used).
 *
 * Per sentence: discards; actor and agent phrases (longest match, dated
 * codes resolved by the article date); noun groups (agents attached to
 * actors: "Kenyan security officials", "soldiers from Ghana", "MSF Kenya");
 * compounds ("Gondor, Rohan and Bree"; "[A/B]" codes); verbs (listed and
 * regular forms) and their patterns (words, synsets, '*' verb, '$' source,
 * '+' target, '%' compound, '^' skip; '_' joins, a space lets words in
 * between); the source is the first actor before the verb (the subject),
 * the target the first after it, with passive "by" swapped; "X:Y" codes add
 * the reverse event. One event per (source, target, code) member pair. */
#include "petr.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int petr_code(const sitrep_ctx *c, sitrep_doc *sd);

#define MAXW 256
#define MAXG 64
#define MAXM 16
#define MAX_STEPS 20000   /* backtracking steps per pattern and verb (hostile input) */

typedef struct item { uint32_t s, e; uint8_t kind; uint32_t idx; uint32_t rule; } item;
enum { PK_PRON = 16 }; /* an item kind of the coder: a pronoun */

typedef struct group {
    uint32_t s, e;               /* word span */
    char codes[MAXM][40];        /* member codes ("" = null actor) */
    int ncodes;
    uint32_t rule;
    int has_actor, has_agent;
    int agent_of;                /* agents before "of/in/from ACTOR" */
    char pre[64], suf[64];       /* agent codes */
    char stem[40];               /* the code without its last agent ("Danish
                                    Islamist media": DNKMUS) */
    int comp_next;               /* next group in the same compound, -1 */
    int comp_head;               /* first group of its compound */
} group;

typedef struct sent {
    const pdict *d;
    const doc *D;
    const char *w[MAXW];         /* upper-case words */
    size_t wl[MAXW];
    uint32_t tok[MAXW];          /* doc token index */
    int n;
    int date;
    int8_t in_item[MAXW];        /* covered by an actor/agent phrase */
    int16_t gat[MAXW];           /* word -> group starting here, -1 */
    int16_t gin[MAXW];           /* word -> group covering it, -1 */
    group g[MAXG];
    int ng;
    /* pattern captures */
    int cap_src, cap_tgt, cap_cmp;
    uint32_t mend;               /* last word matched by the pattern (exclusive) */
    int discard;                 /* a discard verb was found */
    int plural_ok;               /* matching PETRARCH-2 pattern words */
    int steps;                   /* backtracking budget of one pattern match */
    int paren_lo, paren_hi;      /* ", ... ," right before the verb: an aside */
} sent;

/* ---------------------------------------------------------------- matching */
static int is_punct_w(const sent *S, int i);
static int word_eq(const sent *S, int i, const px *x) {
    const char *w = S->d->wstr[x->id];
    size_t l = strlen(w);
    if (l == S->wl[i] && !memcmp(w, S->w[i], l)) return 1;
    int stem = x->stem;
    if (!stem && S->plural_ok) stem = 2; /* PETRARCH-2 patterns: nouns by lemma */
    if (!stem || l >= S->wl[i] || l < 2) return 0;
    if (stem == 2 && l >= 2 && w[l - 1] == 'Y' && S->wl[i] == l + 2 && !memcmp(w, S->w[i], l - 1) &&
        !strcmp(S->w[i] + l - 1, "IES"))
        return 1;
    if (memcmp(w, S->w[i], l)) return 0;
    if (stem == 1) return 1;
    const char *rest = S->w[i] + l;
    return !strcmp(rest, "S") || !strcmp(rest, "ES");
}

static int phrase_at(const sent *S, uint32_t first, uint32_t n, int pos, int depth);

/* Longest member of synset sy matching at pos: end position or -1. */
static int syn_at(const sent *S, uint32_t sy, int pos, int depth) {
    if (depth > 4) return -1;
    const psyn *y = &S->d->syns[sy];
    int best = -1;
    for (uint32_t m = 0; m < y->n; m++) {
        const prange *r = &S->d->synm[y->first + m];
        int e = phrase_at(S, r->first, r->n, pos, depth + 1);
        if (e > best) best = e;
    }
    return best;
}

/* Match words/synsets px[first..first+n) at pos, consecutively (phrases
 * of actors, agents, synset members). End position or -1. */
static int phrase_at(const sent *S, uint32_t first, uint32_t n, int pos, int depth) {
    for (uint32_t j = 0; j < n; j++) {
        const px *x = &S->d->px[first + j];
        if (pos >= S->n) return -1;
        if (x->type == PX_WORD) {
            if (!word_eq(S, pos, x)) {
                /* TABARI: a space lets a word or two in ("PRINCE DOL_AMROTH"
                 * matches "Prince of Wales") */
                int q = -1;
                if (S->d->tabari && j > 0 && !x->adj)
                    for (int g = 1; g <= 2 && pos + g < S->n; g++) {
                        if (is_punct_w(S, pos + g - 1)) break;
                        if (word_eq(S, pos + g, x)) { q = pos + g; break; }
                    }
                if (q < 0) return -1;
                pos = q;
            }
            pos++;
        } else if (x->type == PX_SYN) {
            int e = syn_at(S, x->id, pos, depth);
            if (e < 0) return -1;
            pos = e;
        } else return -1;
    }
    return pos;
}

/* Longest phrase of the given kind starting at word i. */
static const pphrase *longest_at(const sent *S, int i, uint8_t kind, int *end) {
    const pdict *d = S->d;
    const pphrase *best = NULL;
    int bend = -1;
    size_t l = S->wl[i];
    for (size_t pl = l; pl >= 1; pl--) {
        if (pl < l && (!d->stem || pl < 2)) break;
        uint32_t h = strmap_get(&d->first, S->w[i], pl);
        for (; h; h = d->ph[h - 1].next) {
            const pphrase *p = &d->ph[h - 1];
            if (p->kind != kind) continue;
            int e = phrase_at(S, p->first, p->n, i, 0);
            if (e > bend || (e == bend && best && p < best)) { bend = e; best = p; }
        }
        if (pl == 1) break;
    }
    *end = bend;
    return best;
}

/* ---------------------------------------------------------------- actors */
static const char *actor_code(const pdict *d, uint32_t a, int date) {
    const pactor *A = &d->actors[a];
    const char *dflt = NULL;
    for (uint32_t i = 0; i < A->n; i++) {
        const pcode *c = &d->codes[A->first + i];
        if (!c->from && !c->to) { if (!dflt) dflt = c->code; continue; }
        if (!date) continue;
        if ((!c->from || date >= c->from) && (!c->to || date <= c->to)) return c->code;
    }
    return dflt;
}

static int is_null_code(const char *c) { return !c || !*c || !strcmp(c, "---"); }

static int wis(const sent *S, int i, const char *w) {
    return i >= 0 && i < S->n && strlen(w) == S->wl[i] && !memcmp(S->w[i], w, S->wl[i]);
}

static int is_prep(const sent *S, int i) {
    static const char *const p[] = {"OF", "IN", "AT", "ON", "WITH", "FROM", "TO", "BY", "FOR", "AFTER", "BEFORE",
                                    "AGAINST", "BETWEEN", "OVER", "INTO", "THAT", "WHICH", "WHO", NULL};
    for (int k = 0; p[k]; k++) if (wis(S, i, p[k])) return 1;
    return 0;
}

static int is_conj(const sent *S, int i) { return wis(S, i, "AND") || wis(S, i, ",") || wis(S, i, "NOR") || wis(S, i, "&"); }

static int is_punct_w(const sent *S, int i) {
    const char *w = S->w[i];
    return S->wl[i] == 1 && !isalnum((unsigned char)w[0]);
}

/* Compose agent codes around an actor code. */
static void compose(char *out, size_t cap, const char *pre, const char *base, const char *suf) {
    snprintf(out, cap, "%s%s%s", pre, base, suf);
}

/* code appears in s at a multiple of three (CAMEO codes are 3-letter units) */
static int has_unit(const char *s, const char *code) {
    size_t l = strlen(code), n = strlen(s);
    for (size_t i = 0; i + l <= n; i += 3)
        if (!memcmp(s + i, code, l)) return 1;
    return 0;
}

static void add_agent_code(char *acc, size_t cap, const char *code, const char *already) {
    if (!*code) return;
    if (has_unit(already, code) || has_unit(acc, code)) return;
    size_t l = strlen(acc);
    snprintf(acc + l, cap - l, "%s", code);
}

/* Find actor and agent phrases, then groups and compounds. */
static void find_groups(sent *S) {
    const pdict *d = S->d;
    item it[MAXG * 2];
    int ni = 0;
    for (int i = 0; i < S->n; i++) { S->in_item[i] = 0; S->gat[i] = -1; S->gin[i] = -1; }
    for (int i = 0; i < S->n && ni < MAXG * 2;) {
        int ea = -1, eg = -1;
        const pphrase *pa = longest_at(S, i, PK_ACTOR, &ea);
        const pphrase *pg = longest_at(S, i, PK_AGENT, &eg);
        if (!pa && !pg) {
            /* TABARI: a pronoun stands for the last actor before it ("said he
             * regretted") */
            if (d->tabari && (wis(S, i, "HE") || wis(S, i, "SHE") || wis(S, i, "THEY") || wis(S, i, "IT")))
                it[ni++] = (item){(uint32_t)i, (uint32_t)i + 1, PK_PRON, 0, UINT32_MAX};
            i++;
            continue;
        }
        if (pa && (!pg || ea >= eg)) it[ni++] = (item){(uint32_t)i, (uint32_t)ea, PK_ACTOR, pa->what, pa->rule};
        else it[ni++] = (item){(uint32_t)i, (uint32_t)eg, PK_AGENT, pg->what, pg->rule};
        int e = it[ni - 1].e;
        for (int j = i; j < e; j++) S->in_item[j] = 1;
        i = e;
    }
    /* drop pronouns with no actor before them */
    {
        int o = 0, seen = 0;
        for (int a = 0; a < ni; a++) {
            if (it[a].kind == PK_ACTOR) seen = 1;
            if (it[a].kind == PK_PRON && !seen) continue;
            it[o++] = it[a];
        }
        ni = o;
    }
    /* groups: items joined directly, across "'s", or agent + of/in/from + actor */
    S->ng = 0;
    uint8_t absorb[MAXG * 2] = {0};
    for (int a = 0; a < ni && S->ng < MAXG;) {
        int b = a;
        S->g[S->ng].agent_of = 0;
        if (it[a].kind == PK_PRON) {
            /* the antecedent: the first actor of the sentence, its subject */
            int ante = -1;
            for (int g = 0; g < S->ng && ante < 0; g++)
                if (S->g[g].has_actor && S->g[g].codes[0][0]) ante = g;
            if (ante >= 0) {
                group *g = &S->g[S->ng];
                *g = S->g[ante];
                g->s = it[a].s;
                g->e = it[a].e;
                g->comp_next = -1;
                g->comp_head = S->ng;
                g->agent_of = 0;
                for (uint32_t j = g->s; j < g->e; j++) S->gin[j] = (int16_t)S->ng;
                S->gat[g->s] = (int16_t)S->ng;
                S->ng++;
            }
            a++;
            continue;
        }
        while (b + 1 < ni && it[b + 1].kind != PK_PRON) {
            int gap0 = (int)it[b].e, gap1 = (int)it[b + 1].s;
            int ok = 0;
            if (gap1 == gap0) ok = 1;
            else if (gap1 == gap0 + 1 && (wis(S, gap0, "'S") || wis(S, gap0, "FORMER"))) ok = 1;
            else if (!d->tabari && wis(S, gap0, "'S") && gap1 - gap0 <= 4 && it[b + 1].kind == PK_AGENT) {
                /* "Ghana's new and ambitious minister": modifiers between */
                ok = 1;
                for (int q = gap0 + 1; q < gap1; q++) ok &= !is_punct_w(S, q) && !is_prep(S, q);
            }
            else if (gap1 - gap0 <= 2 && (wis(S, gap0, "OF") || wis(S, gap0, "IN") || wis(S, gap0, "FROM"))) {
                /* agent(s) of an actor: only when the group so far has no actor */
                int has = 0;
                for (int q = a; q <= b; q++) has |= it[q].kind == PK_ACTOR;
                ok = !has && it[b + 1].kind == PK_ACTOR && (gap1 == gap0 + 1 || wis(S, gap0 + 1, "THE"));
                if (ok) S->g[S->ng].agent_of = 1;
            }
            if (!ok) break;
            /* two actors in a row are two groups ("Arnor Gondor"), but a
             * name after a title belongs to it ("Ghana President Mahama") */
            int has = 0;
            for (int q = a; q <= b; q++) has |= it[q].kind == PK_ACTOR;
            if (has && it[b + 1].kind == PK_ACTOR) {
                if (it[b].kind == PK_AGENT && gap1 == gap0) { absorb[b + 1] = 1; b++; continue; }
                break;
            }
            b++;
        }
        group *g = &S->g[S->ng];
        int agent_of = g->agent_of;
        memset(g, 0, sizeof *g);
        g->agent_of = agent_of;
        g->s = it[a].s;
        g->e = it[b].e;
        g->comp_next = -1;
        g->comp_head = S->ng;
        g->rule = it[a].rule;
        char pre[64] = "", suf[64] = "";
        const char *base = NULL;
        for (int q = a; q <= b; q++) {
            if (it[q].kind == PK_ACTOR && !absorb[q]) {
                base = actor_code(d, it[q].idx, S->date);
                g->has_actor = 1;
                g->rule = it[q].rule;
                if (!base) base = "";
            }
        }
        char suf0[64] = "";
        /* "former security officials", "former Kenyan prosecutors": the
         * agents are former office holders, ELI */
        int former = wis(S, (int)it[a].s - 1, "FORMER");
        for (int q = a; q <= b; q++)
            for (uint32_t j = it[q].s; j < it[q].e; j++) former |= wis(S, (int)j, "FORMER");
        for (int q = a + 1; q <= b; q++) former |= wis(S, (int)it[q].s - 1, "FORMER");
        for (int q = a; q <= b; q++) {
            if (it[q].kind != PK_AGENT) continue;
            const pagent *ag = &d->agents[it[q].idx];
            const char *acode = former && !ag->prefix ? "ELI" : ag->code;
            snprintf(suf0, sizeof suf0, "%s", suf);
            if (ag->prefix) add_agent_code(pre, sizeof pre, acode, base ? base : "");
            else add_agent_code(suf, sizeof suf, acode, base ? base : "");
        }
        if (base && !is_null_code(base)) compose(g->stem, sizeof g->stem, pre, base, suf0);
        snprintf(g->pre, sizeof g->pre, "%s", pre);
        snprintf(g->suf, sizeof g->suf, "%s", suf);
        g->has_agent = pre[0] || suf[0];
        if (!g->has_actor) {
            snprintf(g->codes[0], sizeof g->codes[0], "---%s%s", pre, suf);
            g->ncodes = 1;
        } else if (is_null_code(base)) {
            g->codes[0][0] = 0;
            g->ncodes = 1;
        } else {
            /* "A/B/C" codes are compounds */
            const char *p = base;
            while (*p && g->ncodes < MAXM) {
                const char *sl = d->petr2 ? NULL : strchr(p, '/');
                size_t l = sl ? (size_t)(sl - p) : strlen(p);
                char one[40];
                snprintf(one, sizeof one, "%.*s", (int)l, p);
                compose(g->codes[g->ncodes++], sizeof g->codes[0], pre, one, suf);
                p += l + (sl ? 1 : 0);
            }
        }
        for (uint32_t j = g->s; j < g->e; j++) S->gin[j] = (int16_t)S->ng;
        S->gat[g->s] = (int16_t)S->ng;
        S->ng++;
        a = b + 1;
    }
    /* compounds: groups separated by and / , / nor with only modifiers between */
    int8_t link[MAXG] = {0}; /* 1 comma link, 2 and/nor link */
    for (int x = 0; x + 1 < S->ng; x++) {
        int e = (int)S->g[x].e, s = (int)S->g[x + 1].s;
        if (s == e || !is_conj(S, e)) continue;
        /* the gap: conjunctions first, then at most three modifiers */
        int j = e, kind = 1, comma = 0;
        while (j < s && is_conj(S, j)) { if (!wis(S, j, ",")) kind = 2; else comma = 1; j++; }
        if (kind == 2 && comma) kind = 3; /* ", and" */
        if (s - j > 3) continue;
        int bad = 0;
        for (int q = j; q < s; q++) bad |= is_punct_w(S, q) || is_prep(S, q);
        if (bad) continue;
        link[x] = (int8_t)kind;
    }
    /* a comma list needs an "and" ("Gondor, Rohan and Bree"), else a comma
     * is apposition or a clause break */
    for (int x = 0; x < S->ng;) {
        int y = x, and = 0;
        /* "A and B, and C and D" are two pairs; "A, B, and C" one list */
        while (y + 1 < S->ng && link[y] && !(link[y] == 3 && and)) { and |= link[y] >= 2; y++; }
        for (int q = x; q < y; q++) {
            if (!and) continue;
            S->g[q].comp_next = q + 1;
            S->g[q + 1].comp_head = S->g[x].comp_head;
        }
        x = y + 1;
    }
    /* "Kenyan police and government": an agent conjoined to an actor's group
     * belongs to the same actor (DNKMED, DNKGOV) */
    for (int x = 1; x < S->ng; x++) {
        group *G = &S->g[x], *P = &S->g[x - 1];
        if (G->has_actor || P->comp_next != x || !P->has_actor || !P->has_agent || !P->stem[0]) continue;
        if (G->agent_of) continue;
        char code[40];
        compose(code, sizeof code, "", P->stem, G->suf);
        snprintf(G->codes[0], sizeof G->codes[0], "%s", code);
        memcpy(G->stem, P->stem, sizeof G->stem);
        G->ncodes = 1;
        G->has_actor = 1;
        G->has_agent = 1;
    }
    /* "the ambassadors of Arnor, Osgiliath and Gondor": the agents apply to
     * every member */
    for (int x = 0; x < S->ng; x++) {
        group *h = &S->g[x];
        if (!h->agent_of || h->comp_head != x) continue;
        for (int m = h->comp_next; m >= 0; m = S->g[m].comp_next) {
            group *G = &S->g[m];
            if (G->has_agent || !G->has_actor) continue;
            for (int k = 0; k < G->ncodes; k++) {
                if (!G->codes[k][0]) continue;
                char one[40];
                snprintf(one, sizeof one, "%s", G->codes[k]);
                char pre[64] = "", suf[64] = "";
                add_agent_code(pre, sizeof pre, h->pre, one);
                add_agent_code(suf, sizeof suf, h->suf, one);
                compose(G->codes[k], sizeof G->codes[k], pre, one, suf);
            }
        }
    }
}

/* ---------------------------------------------------------------- verbs */
/* A verb in the sentence: words [s, e) and the verb entries (blocks) that
 * spell it, in dictionary order (a verb listed in two blocks has both). */
typedef struct vocc { int s, e; uint32_t verb; uint32_t alt[4]; int nalt; } vocc;

static int find_verbs(const sent *S, vocc *out, int max) {
    int n = 0;
    const pdict *d = S->d;
    for (int i = 0; i < S->n && n < max; i++) {
        if (S->in_item[i]) continue;
        int e = -1;
        const pphrase *p = longest_at(S, i, PK_VERB, &e);
        if (!p) continue;
        /* "donate's" is no verb; nor is "an accord" */
        if (e < S->n && wis(S, e, "'S") && !(S->D->toks[S->tok[e]].flags & TOK_SPACE)) continue;
        if (i > 0 && (wis(S, i - 1, "A") || wis(S, i - 1, "AN") || wis(S, i - 1, "THE"))) continue;
        vocc *v = &out[n++];
        v->s = i;
        v->e = e;
        v->verb = p->what;
        v->nalt = 0;
        /* other entries of the same length */
        size_t l = S->wl[i];
        for (size_t pl = l; pl >= 1; pl--) {
            if (pl < l && (!d->stem || pl < 2)) break;
            for (uint32_t h = strmap_get(&d->first, S->w[i], pl); h; h = d->ph[h - 1].next) {
                const pphrase *q = &d->ph[h - 1];
                if (q->kind != PK_VERB || q->what == p->what || v->nalt == 4) continue;
                if (phrase_at(S, q->first, q->n, i, 0) != e) continue;
                int dup = 0;
                for (int k = 0; k < v->nalt; k++) dup |= v->alt[k] == q->what;
                if (!dup) v->alt[v->nalt++] = q->what;
            }
            if (pl == 1) break;
        }
        i = e - 1;
    }
    return n;
}

/* Pattern matching with backtracking. Elements are matched outward from the
 * verb: forward for those after '*', backward for those before it. */
static int match_fwd(sent *S, const ppat *p, uint32_t k, int pos, int limit);
static int match_bwd(sent *S, const ppat *p, int k, int pos, int limit);

static int elem_at_fwd(sent *S, const px *x, int pos, int *end, int *grp) {
    *grp = -1;
    if (pos >= S->n) return 0;
    switch (x->type) {
    case PX_WORD:
        if (!word_eq(S, pos, x)) return 0;
        *end = pos + 1;
        return 1;
    case PX_SYN: {
        int e = syn_at(S, x->id, pos, 0);
        if (e < 0) return 0;
        *end = e;
        return 1;
    }
    case PX_SRC: case PX_TGT: case PX_CMP: {
        int g = S->gat[pos];
        if (g < 0) return 0;
        *grp = g;
        *end = (int)S->g[g].e;
        return 1;
    }
    case PX_SKIP: {
        /* skip a noun phrase: an actor group, with its article, else a word */
        int q = pos;
        if ((wis(S, q, "THE") || wis(S, q, "A") || wis(S, q, "AN")) && q + 1 < S->n && S->gat[q + 1] >= 0) q++;
        *end = S->gat[q] >= 0 ? (int)S->g[S->gat[q]].e : pos + 1;
        return 1;
    }
    }
    return 0;
}

static int match_fwd(sent *S, const ppat *p, uint32_t k, int pos, int limit) {
    if (k >= p->n) { if ((uint32_t)pos > S->mend) S->mend = (uint32_t)pos; return 1; }
    if (++S->steps > MAX_STEPS) return 0;
    const px *x = &S->d->px[p->first + k];
    int last = x->adj ? pos : limit - 1;
    for (int q = pos; q <= last && q < limit; q++) {
        int end, grp;
        if (elem_at_fwd(S, x, q, &end, &grp)) {
            int sv_s = S->cap_src, sv_t = S->cap_tgt, sv_c = S->cap_cmp;
            if (grp >= 0) {
                if (x->type == PX_SRC) S->cap_src = grp;
                else if (x->type == PX_TGT) S->cap_tgt = grp;
                else S->cap_cmp = grp;
            }
            if (match_fwd(S, p, k + 1, end, limit)) return 1;
            S->cap_src = sv_s; S->cap_tgt = sv_t; S->cap_cmp = sv_c;
        }
        /* a group ends a gap: words may not be skipped past a clause end */
        if (wis(S, q, ";")) break;
    }
    return 0;
}

/* backward: element k must end at or before pos (exclusive end) */
static int match_bwd(sent *S, const ppat *p, int k, int pos, int limit) {
    if (k < 0) return 1;
    if (++S->steps > MAX_STEPS) return 0;
    const px *x = &S->d->px[p->first + (uint32_t)k];
    const px *nx = &S->d->px[p->first + (uint32_t)k + 1];
    int adj = nx->adj;
    for (int endq = pos; endq > limit; endq--) {
        /* find a start q such that element matches [q, endq) */
        for (int q = endq - 1; q >= limit && q >= endq - 8; q--) {
            int end, grp;
            if (x->type == PX_SRC || x->type == PX_TGT || x->type == PX_CMP) {
                int g = S->gin[endq - 1];
                if (g < 0 || (int)S->g[g].s != q) continue;
                if (q >= S->paren_lo && q < S->paren_hi) continue; /* "Smeagol, at the heart of ..., called" */
                end = (int)S->g[g].e;
                grp = g;
            } else if (!elem_at_fwd(S, x, q, &end, &grp)) continue;
            if (end != endq) continue;
            int sv_s = S->cap_src, sv_t = S->cap_tgt, sv_c = S->cap_cmp;
            if (grp >= 0) {
                if (x->type == PX_SRC) S->cap_src = grp;
                else if (x->type == PX_TGT) S->cap_tgt = grp;
                else S->cap_cmp = grp;
            }
            if (match_bwd(S, p, k - 1, q, limit)) return 1;
            S->cap_src = sv_s; S->cap_tgt = sv_t; S->cap_cmp = sv_c;
        }
        if (adj) break;
    }
    return 0;
}

/* Literal words before the verb in a pattern ("HEAVILY *", "(TO) *"):
 * PETRARCH-2 matches what precedes the verb only as the subject noun phrase
 * ("{DEATH TOLL} *", "$", "%"), so these never match there. */
static int pre_words(const pdict *d, const ppat *p) {
    for (uint32_t k = 0; k < p->verb_at; k++) {
        const px *x = &d->px[p->first + k];
        if ((x->type == PX_WORD || x->type == PX_SYN) && !x->np) return 1;
    }
    return 0;
}

/* The aside ", ... ," that ends right before the verb, if any. */
static void find_paren(sent *S, const vocc *v) {
    S->paren_lo = S->paren_hi = 0;
    int c2 = v->s - 1;
    if (c2 > 0 && S->wl[c2] > 2 && !strcmp(S->w[c2] + S->wl[c2] - 2, "LY")) c2--;
    if (c2 < 1 || !wis(S, c2, ",")) return;
    for (int c1 = c2 - 1; c1 >= 0; c1--)
        if (wis(S, c1, ",")) { S->paren_lo = c1 + 1; S->paren_hi = c2; return; }
}

static int pattern_match(sent *S, const ppat *p, const vocc *v, int lo, int hi) {
    S->cap_src = S->cap_tgt = S->cap_cmp = -1;
    S->mend = (uint32_t)v->e;
    S->plural_ok = S->d->petr2;
    S->steps = 0;
    int ok = match_bwd(S, p, (int)p->verb_at - 1, v->s, lo) && match_fwd(S, p, p->verb_at + 1, v->e, hi);
    S->plural_ok = 0;
    return ok;
}

/* ---------------------------------------------------------------- events */

static const char *span(sitrep_doc *sd, const sent *S, uint32_t a, uint32_t b) {
    if (b <= a) return "";
    const doc *d = &sd->d;
    uint32_t s = d->toks[S->tok[a]].start, e = d->toks[S->tok[b - 1]].end;
    const char *r = arena_strndup(&sd->d.a, d->text + s, e - s);
    return r ? r : "";
}

static void fill_actor(const sitrep_ctx *c, sitrep_doc *sd, const sent *S, sitrep_actor *a, int g, const char *code) {
    memset(a, 0, sizeof *a);
    a->code = a->text = a->name = a->rule = "";
    if (g < 0) return;
    const group *G = &S->g[g];
    a->code = arena_strndup(&sd->d.a, code, strlen(code));
    if (!a->code) a->code = "";
    a->text = span(sd, S, G->s, G->e);
    a->rule = coder_rule_str(c, sd, G->rule);
    a->start = sd->d.toks[S->tok[G->s]].start;
    a->end = sd->d.toks[S->tok[G->e - 1]].end;
}

static int same(const sitrep_event *e, const char *s, const char *t, const char *code) {
    return !strcmp(e->source.code, s) && !strcmp(e->target.code, t) && !strcmp(e->cameo, code);
}

static int emit(const sitrep_ctx *c, sitrep_doc *sd, const sent *S, uint32_t si, int gs, const char *sc, int gt,
                const char *tc, const char *code, const vocc *v, uint32_t rule) {
    /* an event needs one actor with a code of its own ("---GOV" is an
     * agent without a country) */
    if ((!*sc || !strncmp(sc, "---", 3)) && (!*tc || !strncmp(tc, "---", 3))) return 0;
    /* TABARI, and PETRARCH-2 (its require_dyad default), code only complete
     * dyads; the PETRARCH-1 unit tests keep events with one null actor */
    if ((S->d->tabari || S->d->petr2) && (!*sc || !*tc || !strncmp(sc, "---", 3) || !strncmp(tc, "---", 3))) return 0;
    if (*sc && !strcmp(sc, tc)) return 0;
    for (size_t i = 0; i < sd->nev; i++)
        if ((int)sd->ev[i].sentence == (int)si && same(&sd->ev[i], sc, tc, code)) return 0;
    const doc *d = &sd->d;
    const sentence *SS = &d->sents[si];
    sitrep_event e;
    memset(&e, 0, sizeof e);
    e.article_id = sd->id;
    e.sentence = (int)si;
    e.date = d->date_str;
    fill_actor(c, sd, S, &e.source, *sc || gs >= 0 ? gs : -1, sc);
    fill_actor(c, sd, S, &e.target, gt, tc);
    snprintf(e.cameo, sizeof e.cameo, "%s", code);
    snprintf(e.root, sizeof e.root, "%.2s", code);
    const kb_cameo *cm = kb_cameo_get(c->k, e.cameo);
    e.goldstein = cm ? cm->goldstein : 0;
    e.quad_class = cm ? cm->quad : 0;
    e.plover_type = cm && cm->plover ? cm->plover : "";
    e.plover_mode = cm && cm->mode ? cm->mode : "";
    e.modality = "";
    e.verb_text = span(sd, S, (uint32_t)v->s, (uint32_t)v->e);
    e.verb_start = d->toks[S->tok[v->s]].start;
    e.verb_end = d->toks[S->tok[v->e - 1]].end;
    e.rule = coder_rule_str(c, sd, rule);
    e.sent_start = SS->start;
    e.sent_end = SS->end;
    e.sentence_text = arena_strndup(&sd->d.a, d->text + SS->start, SS->end - SS->start);
    if (!e.sentence_text || !e.verb_text) return -1;
    return coder_push_event(sd, &e, 0);
}

/* A group that can be a source or target: not a null actor ([---]), and
 * for TABARI not an agent without an actor. */
static int usable(const sent *S, int g) {
    const group *G = &S->g[g];
    if (!G->codes[0][0] && G->ncodes == 1) return 0;
    if (S->d->tabari && !G->has_actor) return 0;
    return 1;
}

/* members of the compound starting at group g */
static int members(const sent *S, int g, int *out, int max) {
    int n = 0;
    if (g < 0) return 0;
    for (int x = S->g[g].comp_head; x >= 0 && n < max; x = S->g[x].comp_next) out[n++] = x;
    return n;
}

static int is_be(const sent *S, int i) {
    static const char *const be[] = {"IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING", NULL};
    for (int k = 0; be[k]; k++) if (wis(S, i, be[k])) return 1;
    return 0;
}

static int code_pairs(const sitrep_ctx *c, sitrep_doc *sd, const sent *S, uint32_t si, int src, int tgt,
                      const char *code, const char *code2, const vocc *v, uint32_t rule) {
    int ms[MAXG], mt[MAXG];
    int ns = members(S, src, ms, MAXG), nt = members(S, tgt, mt, MAXG);
    int none = -1;
    if (!ns) { ms[0] = -1; ns = 1; }
    if (!nt) { mt[0] = -1; nt = 1; }
    (void)none;
    for (int a = 0; a < ns; a++)
        for (int ca = 0; ca < (ms[a] >= 0 ? S->g[ms[a]].ncodes : 1); ca++)
            for (int b = 0; b < nt; b++)
                for (int cb = 0; cb < (mt[b] >= 0 ? S->g[mt[b]].ncodes : 1); cb++) {
                    const char *sc = ms[a] >= 0 ? S->g[ms[a]].codes[ca] : "";
                    const char *tc = mt[b] >= 0 ? S->g[mt[b]].codes[cb] : "";
                    if (code[0] && strcmp(code, "---") && emit(c, sd, S, si, ms[a], sc, mt[b], tc, code, v, rule)) return -1;
                    if (code2[0] && strcmp(code2, "---") && emit(c, sd, S, si, mt[b], tc, ms[a], sc, code2, v, rule)) return -1;
                }
    return 0;
}

/* the compound pairs of a '%' group: each member with each other */
static int code_compound(const sitrep_ctx *c, sitrep_doc *sd, const sent *S, uint32_t si, int g, const char *code,
                         const vocc *v, uint32_t rule) {
    int m[MAXG];
    int n = members(S, g, m, MAXG);
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            if (a == b) continue;
            for (int ca = 0; ca < S->g[m[a]].ncodes; ca++)
                for (int cb = 0; cb < S->g[m[b]].ncodes; cb++)
                    if (emit(c, sd, S, si, m[a], S->g[m[a]].codes[ca], m[b], S->g[m[b]].codes[cb], code, v, rule))
                        return -1;
        }
    return 0;
}

/* Group g (after a comma) is directly followed by a later verb: it is that
 * verb's subject ("..., a senior Gondor diplomat added"), not an object. */
static int subject_of_later(const sent *S, const vocc *vs, int nv, int vi, int g) {
    int e = (int)S->g[g].e;
    for (int m = g; m >= 0; m = S->g[m].comp_next) e = (int)S->g[m].e;
    int comma = 0;
    for (int j = (int)S->g[g].s - 1; j >= vs[vi].e && j >= (int)S->g[g].s - 4; j--) comma |= wis(S, j, ",");
    if (!comma) return 0;
    for (int w = vi + 1; w < nv; w++)
        if (vs[w].s >= e && vs[w].s <= e + 1) return 1;
    return 0;
}

/* "did not attack", "won't ever attack", "never attacked" */
static int negated_verb(const sent *S, const vocc *v) {
    for (int j = v->s - 1, k = 0; j >= 0 && k < 5; j--, k++) {
        if (S->in_item[j] || is_punct_w(S, j)) return 0;
        if (wis(S, j, "NOT") || wis(S, j, "N'T") || wis(S, j, "NEVER")) return 1;
    }
    return 0;
}

static int weak(const char *code) { size_t l = strlen(code); return l && code[l - 1] == '?'; }

/* The code as output: TABARI's markers ('?' weak, '!') dropped. */
static void strip_q(char *dst, const char *code) {
    snprintf(dst, 8, "%s", code);
    size_t l = strlen(dst);
    while (l && (dst[l - 1] == '?' || dst[l - 1] == '!')) dst[--l] = 0;
}

/* Code the verbs of sentence si. Verbs whose code ends in '?' (TABARI's
 * weak verbs such as SAID) are used only when allow_weak is set. */
static int code_sentence(const sitrep_ctx *c, sitrep_doc *sd, sent *S, uint32_t si, int allow_weak) {
    const pdict *d = S->d;
    vocc vs[64];
    int nv = find_verbs(S, vs, 64);
    int inherited_src = -1;
    int done_upto = -1, clause_start = 0;
    for (int vi = 0; vi < nv; vi++) {
        const vocc *v = &vs[vi];
        if (v->s < done_upto) continue;
        /* the verb's entries: the most specific matching pattern of any of
         * them, else the default code of the last entry with a code */
        uint32_t ents[5];
        int nent = 0;
        ents[nent++] = v->verb;
        /* PETRARCH-1 and TABARI merge the entries of a verb listed twice;
         * PETRARCH-2 keeps the first */
        if (!d->petr2)
            for (int k = 0; k < v->nalt; k++) ents[nent++] = v->alt[k];
        const pverb *V = &d->verbs[ents[0]];
        for (int k = 1; k < nent; k++) {
            const pverb *W = &d->verbs[ents[k]];
            if (W->code[0] && strcmp(W->code, "---") && (W > V || !V->code[0] || !strcmp(V->code, "---"))) V = W;
        }
        find_paren(S, v);
        const ppat *hit = NULL;
        int hs = -1, hc = -1, hcap_t = -1;
        uint32_t hmend = 0;
        for (int k = 0; k < nent; k++) {
            const pverb *P = &d->verbs[d->verbs[ents[k]].pats_of];
            for (uint32_t q = 0; q < P->npat; q++) {
                const ppat *p = &d->pats[d->patidx[P->pat_first + q]];
                /* most literal elements first; among equals, the one that
                 * reaches furthest ("RESIST {TO THE END OF THE EARTH}") */
                if (hit && p->nlit < hit->nlit) break;
                if (d->petr2 && pre_words(d, p)) continue;
                if (pattern_match(S, p, v, 0, S->n) && (!hit || p->nlit > hit->nlit || S->mend > hmend)) {
                    hit = p;
                    hs = S->cap_src; hc = S->cap_cmp; hcap_t = S->cap_tgt; hmend = S->mend;
                }
            }
        }
        if (hit) { S->cap_src = hs; S->cap_tgt = hcap_t; S->cap_cmp = hc; S->mend = hmend; }
        TRACE(sd, "  verb %s at %d: %s%s", S->w[v->s], v->s, hit ? "pattern " : "default code ",
              hit ? coder_rule_str(c, sd, hit->rule) : V->code);
        const char *code0 = hit ? hit->code : V->code;
        const char *code20 = hit ? hit->code2 : V->code2;
        uint32_t rule = hit ? hit->rule : V->rule;
        if (!code0[0] || !strcmp(code0, "---")) continue;
        if (!strcmp(code0, "###")) { S->discard = 1; return 0; } /* a discard verb (TABARI) */
        if (weak(code0) && !allow_weak) continue;
        char code[8], code2[8];
        strip_q(code, code0);
        strip_q(code2, code20);
        if (d->npico && negated_verb(S, v)) {
            /* UD-PETRARCH: a negated verb takes the negated meaning */
            const char *neg = pdict_negate(d, code);
            TRACE(sd, "    negated: %s -> %s", code, neg ? neg : "none");
            if (!neg) continue;
            snprintf(code, sizeof code, "%s", neg);
            code2[0] = 0;
        }
        int src = hit ? S->cap_src : -1, tgt = hit ? S->cap_tgt : -1, cmp = hit ? S->cap_cmp : -1;
        int after = hit ? (int)S->mend : v->e;
        if (cmp >= 0 && (int)S->g[cmp].s >= v->e && !d->tabari) {
            /* "% after the verb: "agrees with the Philippines and France" */
            if (tgt < 0) tgt = cmp;
            cmp = -1;
        }
        if (cmp >= 0) {
            if (code_compound(c, sd, S, si, cmp, code, v, rule)) return -1;
            src = cmp;
            goto next_clause;
        }
        /* passive: "X was opposed by Y" */
        int passive = 0;
        {
            /* BE (+ an -ly adverb) + a participle ("was shot", "was strongly opposed") */
            int j = v->s - 1;
            /* skip adverbs: "was widely and sharply criticized" */
            while (j >= 1 && ((S->wl[j] > 2 && !strcmp(S->w[j] + S->wl[j] - 2, "LY")) || wis(S, j, "AND"))) j--;
            const char *vw = S->w[v->s + 0];
            size_t vl = S->wl[v->s];
            int part = vl > 2 && (!strcmp(vw + vl - 2, "ED") || !strcmp(vw + vl - 2, "EN") ||
                                  !strcmp(vw + vl - 2, "WN") || vw[vl - 1] == 'T');
            if (j >= 0 && is_be(S, j) && part) passive = 1;
            /* "was seen to violate": the verb that follows is the event */
            if (passive && wis(S, v->e, "TO") && !hit) continue;
        }
        int by = -1;
        if (passive) {
            for (int j = v->e; j < S->n && j < v->e + 4; j++)
                if (wis(S, j, "BY") && j + 1 < S->n && S->gat[j + 1] >= 0) { by = S->gat[j + 1]; break; }
        }
        if (src < 0 && hit && tgt >= 0 && (int)S->g[tgt].e <= v->s) {
            /* "+ WAS * DEAD": the target came first; the source is an actor
             * before it, else the one after the verb */
            for (int g = 0; g < S->ng && src < 0 && (int)S->g[g].e <= (int)S->g[tgt].s; g++)
                if (usable(S, g) && (int)S->g[g].s >= clause_start) src = S->g[g].comp_head;
            for (int g = 0; g < S->ng && src < 0; g++)
                if ((int)S->g[g].s >= v->e && usable(S, g) && S->g[g].comp_head != S->g[tgt].comp_head)
                    src = S->g[g].comp_head;
        }
        if (src < 0) {
            if (inherited_src >= 0) src = inherited_src;
            else
            {
                for (int g = 0; g < S->ng; g++)
                    if ((int)S->g[g].e <= v->s && (int)S->g[g].s >= clause_start && usable(S, g)) {
                        src = S->g[g].comp_head;
                        break; /* the first actor of the clause */
                    }
                /* PETRARCH: a group right before the verb is its subject
                 * ("... after Rohan villagers marched") */
                if (!d->tabari)
                    for (int g = S->ng - 1; g >= 0; g--) {
                        if ((int)S->g[g].e > v->s) continue;
                        if ((int)S->g[g].e + 1 < v->s || !usable(S, g) || (int)S->g[g].s < clause_start) break;
                        int ok = 1;
                        for (int j = (int)S->g[g].e; j < v->s; j++) ok &= !is_punct_w(S, j) && !is_prep(S, j);
                        if (ok && S->g[g].comp_next < 0) src = S->g[g].comp_head;
                        break;
                    }
            }
        }
        if (tgt < 0) {
            for (int g = 0; g < S->ng; g++)
                if ((int)S->g[g].s >= v->e && (src < 0 || S->g[g].comp_head != S->g[src].comp_head) && g != by &&
                    usable(S, g) && !(!d->tabari && subject_of_later(S, vs, nv, vi, g))) {
                    tgt = S->g[g].comp_head;
                    break;
                }
        }
        if (by >= 0 && !(hit && hit->nlit)) {
            int t = src;
            src = by;
            tgt = t;
        } else if (passive && !hit && src >= 0 && d->petr2) {
            /* "A Kenyan was shot dead in Nairobi": the subject
             * suffered the act; the other actor did it */
            int t = src;
            src = tgt;
            tgt = t;
        }
        if (src < 0 && tgt < 0) continue;
        if (src < 0 && tgt >= 0) {
            /* "It was reported that Rohan and Bree had postponed ...":
             * no source, and the target is the subject of a later verb: code
             * that verb instead */
            int tend = (int)S->g[tgt].e;
            for (int m = tgt; m >= 0; m = S->g[m].comp_next) tend = (int)S->g[m].e;
            int later = 0;
            for (int w = vi + 1; w < nv; w++)
                if (vs[w].s >= tend && vs[w].s <= tend + 3) later = 1;
            if (later) continue;
        }
        if (code_pairs(c, sd, S, si, src, tgt, code, code2, v, rule)) return -1;
    next_clause:;
        /* a conjoined predicate ("condemned X and promised Y") shares the
         * source; anything else ends the clause */
        inherited_src = -1;
        int next = -1, own = 0, cj = -1;
        for (int j = after; j < S->n && next < 0; j++) {
            if (!(wis(S, j, "AND") || wis(S, j, "BUT") || wis(S, j, ";")) || vi + 1 >= nv) continue;
            /* an "and" inside a compound actor joins no clauses */
            if (j > 0 && S->gin[j - 1] >= 0 && S->g[S->gin[j - 1]].comp_next >= 0) continue;
            for (int w = vi + 1; w < nv; w++) {
                if (vs[w].s <= j) continue;
                if (vs[w].s > j + 6) break;
                /* a subject of its own between the conjunction and the verb? */
                own = 0;
                for (int q = j + 1; q < vs[w].s; q++)
                    if (S->gat[q] >= 0 && usable(S, S->gat[q])) own = 1;
                if (!own && vs[w].s > j + 3) break;
                next = w;
                cj = j;
                break;
            }
        }
        if (next < 0) break;
        if (own) { clause_start = cj + 1; inherited_src = -1; }
        else inherited_src = src;
        done_upto = vs[next].s;
        vi = next - 1;
    }
    return 0;
}

static int discard_in(const sent *S, int story) {
    for (int i = 0; i < S->n; i++) {
        int e;
        const pphrase *p = longest_at(S, i, PK_DISCARD, &e);
        if (!p) continue;
        /* longest_at picks the longest; check the kind of any discard here */
        const pdict *d = S->d;
        uint32_t h = strmap_get(&d->first, S->w[i], S->wl[i]);
        for (; h; h = d->ph[h - 1].next) {
            const pphrase *q = &d->ph[h - 1];
            if (q->kind == PK_DISCARD && (int)q->what == story && phrase_at(S, q->first, q->n, i, 0) > 0) return 1;
        }
        if ((int)p->what == story) return 1;
    }
    return 0;
}

static int has_discard_actor(const sent *S) {
    for (int g = 0; g < S->ng; g++)
        for (int k = 0; k < S->g[g].ncodes; k++)
            if (!strcmp(S->g[g].codes[k], "###")) return 1;
    return 0;
}

static int load_sent(sitrep_doc *sd, const pdict *d, sent *S, uint32_t si) {
    const doc *D = &sd->d;
    const sentence *SS = &D->sents[si];
    S->d = d;
    S->D = D;
    S->n = 0;
    S->date = D->date;
    for (uint32_t t = SS->first; t < SS->first + SS->count && S->n < MAXW; t++) {
        const token *T = &D->toks[t];
        const char *s = T->norm;
        size_t l = T->norm_len;
        /* split words joined with '_' in the text */
        size_t i = 0;
        while (i <= l && S->n < MAXW) {
            size_t j = i;
            /* '_' and inner hyphens split words ("Al-Qaeda" = AL QAEDA; the
             * dictionaries are split the same way) */
            while (j < l && s[j] != '_' && !(s[j] == '-' && j > i && j + 1 < l)) j++;
            if (j > i) {
                char *u = arena_alloc(&sd->d.a, j - i + 1);
                if (!u) return -1;
                for (size_t q = 0; q < j - i; q++) u[q] = (char)toupper((unsigned char)s[i + q]);
                u[j - i] = 0;
                S->w[S->n] = u;
                S->wl[S->n] = j - i;
                S->tok[S->n] = t;
                S->n++;
            }
            i = j + 1;
        }
    }
    return 0;
}

/* Code every sentence of sd with the PETRARCH/TABARI dictionaries of c->k.
 * Fills sd->ev (arena-owned). 0 or -1 on OOM. */
int petr_code(const sitrep_ctx *c, sitrep_doc *sd) {
    const pdict *d = c->k->petr;
    sd->nev = 0;
    if (!d) return 0;
    sent *S = malloc(sizeof *S);
    if (!S) return -1;
    int rc = 0;
    /* story discards */
    for (uint32_t si = 0; si < sd->d.nsents; si++) {
        if (load_sent(sd, d, S, si)) { rc = -1; goto out; }
        if (discard_in(S, 1)) goto out;
    }
    for (uint32_t si = 0; si < sd->d.nsents; si++) {
        if (load_sent(sd, d, S, si)) { rc = -1; goto out; }
        if (discard_in(S, 0)) continue;
        find_groups(S);
        if (sd->trace) {
            char line[2048];
            size_t o = 0;
            for (int i = 0; i < S->n && o < sizeof line - 64; i++)
                o += (size_t)snprintf(line + o, sizeof line - o, "%s%s", i ? " " : "", S->w[i]);
            TRACE(sd, "sentence %u words: %s", si, line);
            for (int g = 0; g < S->ng; g++)
                TRACE(sd, "  group %d [%u,%u) %s%s compound head %d", g, S->g[g].s, S->g[g].e, S->g[g].codes[0],
                      S->g[g].ncodes > 1 ? "/..." : "", S->g[g].comp_head);
        }
        if (has_discard_actor(S)) continue;
        size_t before = sd->nev;
        S->discard = 0;
        if (code_sentence(c, sd, S, si, 0)) { rc = -1; goto out; }
        if (sd->nev == before && !S->discard && code_sentence(c, sd, S, si, 1)) { rc = -1; goto out; }
        if (S->discard) sd->nev = before;
    }
out:
    free(S);
    return rc;
}
