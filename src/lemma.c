/* lemma.c - rule + exception-list lemmatiser.
 *
 * The exception list is learnt from the training treebank: every (word, UPOS)
 * whose usual lemma differs from what the rules give ("went" -> "go", "n't"
 * -> "not", "children" -> "child"). For unseen words the suffix rules propose
 * candidates ("-ies" -> "-y", "-ed" -> "", "-e", undoubled consonant) and the
 * first candidate that is a known lemma of that part of speech wins. Lemmas
 * are lower case. Both tables live in the tagger model file. */
#include <stdlib.h>
#include <string.h>
#include "parse_int.h"
#include "sitrep.h"

static int known(const tagger_model *t, const char *s, size_t n, int upos) {
    return lm_find(t->known, t->known_mask, ph_feat(901, ph_str(s, n), (uint64_t)upos, 0)) != NULL;
}

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* candidates for stripping a suffix of length k (and maybe adding `add`) */
typedef struct cand { char s[64]; size_t n; } cand;

static void add_cand(cand *c, int *nc, const char *w, size_t n, size_t strip, const char *add) {
    if (*nc >= 6 || strip >= n || n - strip + strlen(add) >= sizeof c->s) return;
    size_t b = n - strip, a = strlen(add);
    memcpy(c[*nc].s, w, b);
    memcpy(c[*nc].s + b, add, a);
    c[*nc].n = b + a;
    c[*nc].s[c[*nc].n] = 0;
    (*nc)++;
}

static int ends(const char *w, size_t n, const char *suf) {
    size_t k = strlen(suf);
    return n > k && !memcmp(w + n - k, suf, k);
}

/* the stem before a suffix of length k has a doubled final consonant */
static int doubled(const char *w, size_t n, size_t k) {
    if (n < k + 3) return 0;
    char a = w[n - k - 1], b = w[n - k - 2];
    return a == b && !is_vowel(a) && a != 'l' && a != 's' && a != 'z' && a != 'f';
}

static int rule_cands(const char *w, size_t n, int upos, const char *xpos, cand *c) {
    int nc = 0;
    int plural = (upos == UPOS_NOUN || upos == UPOS_PROPN) && (!strcmp(xpos, "NNS") || !strcmp(xpos, "NNPS"));
    int verb = upos == UPOS_VERB || upos == UPOS_AUX;
    if (plural || (verb && !strcmp(xpos, "VBZ"))) {
        if (ends(w, n, "ies") && n > 4) add_cand(c, &nc, w, n, 3, "y");
        if (ends(w, n, "sses") || ends(w, n, "ches") || ends(w, n, "shes") || ends(w, n, "xes") ||
            ends(w, n, "zes") || ends(w, n, "oes")) add_cand(c, &nc, w, n, 2, "");
        if (ends(w, n, "s") && !ends(w, n, "ss") && !ends(w, n, "us") && !ends(w, n, "is"))
            add_cand(c, &nc, w, n, 1, "");
        if (ends(w, n, "ses")) add_cand(c, &nc, w, n, 2, "");
        if (ends(w, n, "ves")) { add_cand(c, &nc, w, n, 3, "f"); add_cand(c, &nc, w, n, 3, "fe"); }
    } else if (verb && (!strcmp(xpos, "VBD") || !strcmp(xpos, "VBN")) && ends(w, n, "ed")) {
        if (ends(w, n, "ied") && n > 4) add_cand(c, &nc, w, n, 3, "y");
        if (doubled(w, n, 2)) add_cand(c, &nc, w, n, 3, "");
        char last = n > 2 ? w[n - 3] : 0;
        if (last == 'v' || last == 'z' || last == 'c' || last == 'g' || last == 'u' ||
            (last == 's' && n > 3 && is_vowel(w[n - 4])))
            add_cand(c, &nc, w, n, 1, "");
        add_cand(c, &nc, w, n, 2, "");
        add_cand(c, &nc, w, n, 1, "");
    } else if (verb && !strcmp(xpos, "VBG") && ends(w, n, "ing") && n > 4) {
        if (doubled(w, n, 3)) add_cand(c, &nc, w, n, 4, "");
        if (ends(w, n, "ying") && n > 5) add_cand(c, &nc, w, n, 4, "ie");
        char last = w[n - 4];
        if (last == 'v' || last == 'z' || last == 'c' || last == 'g' || last == 'u')
            add_cand(c, &nc, w, n, 3, "e");
        add_cand(c, &nc, w, n, 3, "");
        add_cand(c, &nc, w, n, 3, "e");
    } else if ((upos == UPOS_ADJ || upos == UPOS_ADV) &&
               (!strcmp(xpos, "JJR") || !strcmp(xpos, "RBR") || !strcmp(xpos, "JJS") || !strcmp(xpos, "RBS"))) {
        size_t k = xpos[2] == 'R' ? 2 : 3;
        const char *suf = k == 2 ? "er" : "est";
        if (ends(w, n, suf) && n > k + 2) {
            if (w[n - k - 1] == 'i') add_cand(c, &nc, w, n, k + 1, "y");
            if (doubled(w, n, k)) add_cand(c, &nc, w, n, k + 1, "");
            add_cand(c, &nc, w, n, k, "");
            add_cand(c, &nc, w, n, k - 1, "");
        }
    }
    return nc;
}

static size_t rule_lemma(const tagger_model *t, const char *w, size_t n, int upos, const char *xpos,
                         char *buf, size_t cap) {
    cand c[6];
    int nc = rule_cands(w, n, upos, xpos, c);
    const char *s = w;
    size_t sn = n;
    if (nc) {
        int k = 0;
        while (k < nc && !known(t, c[k].s, c[k].n, upos)) k++;
        if (k == nc) k = known(t, w, n, upos) ? -1 : 0;
        if (k >= 0) { s = c[k].s; sn = c[k].n; }
    }
    if (sn >= cap) sn = cap - 1;
    memcpy(buf, s, sn);
    buf[sn] = 0;
    return sn;
}

/* Lemma of a lower-cased word with its tags into buf (NUL-ended); returns its length. */
size_t lemma_of(const tagger_model *t, const char *lower, size_t n, int upos, const char *xpos,
                char *buf, size_t cap) {
    const lm_slot *e = lm_find(t->lemma, t->lemma_mask, ph_feat(902, ph_str(lower, n), (uint64_t)upos, 0));
    if (e) {
        size_t l = e->n < cap ? e->n : cap - 1;
        memcpy(buf, t->lemmastr + e->off, l);
        buf[l] = 0;
        return l;
    }
    return rule_lemma(t, lower, n, upos, xpos, buf, cap);
}

/* ---------------------------------------------------------------- building */
typedef struct lrec { uint64_t key, lh; uint32_t tok; } lrec;

static int cmp_lrec(const void *a, const void *b) {
    const lrec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->lh < y->lh ? -1 : x->lh > y->lh;
}

static int cmp_slot(const void *a, const void *b) {
    const lm_slot *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Learn the exception list and known-lemma table from c into sections of w. 0 or -1 (OOM). */
int lemma_build(pm_writer *w, const cu_corpus *c) {
    size_t n = c->ntoks;
    arena a;
    arena_init(&a, 0);
    lrec *r = malloc((n + 1) * sizeof *r);
    lm_slot *known_items = malloc((n + 1) * sizeof *known_items), *exc = NULL;
    const char **low = malloc((n + 1) * sizeof *low);
    uint32_t *lowlen = malloc((n + 1) * sizeof *lowlen);
    char *str = NULL;
    size_t nk = 0, ne = 0, slen = 0, scap = 4096;
    int rc = -1;
    if (!r || !known_items || !low || !lowlen) goto done;
    for (size_t i = 0; i < n; i++) {
        const cu_tok *tk = &c->toks[i];
        const char *nl;
        uint32_t nll;
        if (cu_normalise(&a, tk->lemma, tk->lemma_len, &nl, &nll, &low[i], &lowlen[i])) goto done;
        r[i].key = ph_feat(902, ph_str(tk->lower, tk->lower_len), tk->upos, 0);
        r[i].lh = ph_str(low[i], lowlen[i]);
        r[i].tok = (uint32_t)i;
        known_items[nk].key = ph_feat(901, r[i].lh, tk->upos, 0);
        known_items[nk].off = known_items[nk].n = 0;
        nk++;
    }
    /* dedupe known keys */
    qsort(known_items, nk, sizeof *known_items, cmp_slot);
    size_t u = 0;
    for (size_t i = 0; i < nk; i++) if (!u || known_items[i].key != known_items[u - 1].key) known_items[u++] = known_items[i];
    nk = u;
    if (pm_set_table(w, PM_SEC_KNOWN, known_items, nk)) goto done;
    tagger_model tm;
    memset(&tm, 0, sizeof tm);
    tm.known = w->data[PM_SEC_KNOWN];
    tm.known_mask = (uint32_t)(w->len[PM_SEC_KNOWN] / sizeof(lm_slot) - 1);
    qsort(r, n, sizeof *r, cmp_lrec);
    exc = malloc((n + 1) * sizeof *exc);
    str = malloc(scap);
    if (!exc || !str) goto done;
    for (size_t i = 0; i < n;) {
        size_t j = i, best = i, bestc = 0;
        while (j < n && r[j].key == r[i].key) {
            size_t k = j;
            while (k < n && r[k].key == r[i].key && r[k].lh == r[j].lh) k++;
            if (k - j > bestc) { bestc = k - j; best = j; }
            j = k;
        }
        const cu_tok *tk = &c->toks[r[best].tok];
        char buf[128];
        size_t bl = rule_lemma(&tm, tk->lower, tk->lower_len, tk->upos, tk->xpos, buf, sizeof buf);
        const char *g = low[r[best].tok];
        size_t gl = lowlen[r[best].tok];
        if (gl && gl < 128 && (bl != gl || memcmp(buf, g, gl))) {
            if (slen + gl + 1 > scap) {
                char *ns = realloc(str, scap = (slen + gl + 1) * 2);
                if (!ns) goto done;
                str = ns;
            }
            exc[ne].key = r[i].key;
            exc[ne].off = (uint32_t)slen;
            exc[ne].n = (uint32_t)gl;
            memcpy(str + slen, g, gl);
            slen += gl;
            str[slen++] = 0;
            ne++;
        }
        i = j;
    }
    if (pm_set_table(w, PM_SEC_LEMMA, exc, ne)) goto done;
    pm_set(w, PM_SEC_LEMMASTR, str, slen);
    str = NULL;
    rc = 0;
done:
    arena_free(&a);
    free(r);
    free(known_items);
    free(exc);
    free(low);
    free(lowlen);
    free(str);
    return rc;
}
