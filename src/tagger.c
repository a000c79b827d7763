/* tagger.c - averaged-perceptron part-of-speech tagger.
 *
 * One greedy left-to-right pass predicts a joint class (UPOS + Penn XPOS) per
 * token from hashed features of the word, its affixes and shape, the two
 * neighbours on each side and the two previous predicted classes. Frequent,
 * unambiguous words are tagged from a tag dictionary without scoring. The
 * lemma tables built at training time travel in the same model file. */
#include <stdlib.h>
#include <string.h>
#include "parse_int.h"
#include "sitrep.h"

enum { W_LOW, W_NORM, W_S1, W_S2, W_S3, W_S4, W_P1, W_P3, W_SHAPE, W_FLAGS, W_N };
#define TG_NFEAT 40
#define TG_UNAMB 0x10000u  /* lexicon flag: unambiguous frequent word, tag without scoring */

static uint64_t sfx(const char *s, size_t n, size_t k) {
    if (n < k) return ph_str(s, n) ^ (0x51u + k);
    return ph_str(s + n - k, k) ^ (0x1000u + k);
}

static void word_hashes(const tg_word *w, uint64_t *h) {
    const char *lo = w->lower, *no = w->norm;
    size_t ln = w->lower_len, nn = w->norm_len;
    h[W_LOW] = ph_str(lo, ln);
    h[W_NORM] = ph_str(no, nn) ^ 0x77;
    h[W_S1] = sfx(lo, ln, 1); h[W_S2] = sfx(lo, ln, 2);
    h[W_S3] = sfx(lo, ln, 3); h[W_S4] = sfx(lo, ln, 4);
    h[W_P1] = ph_str(no, nn < 1 ? nn : 1) ^ 0x91;
    h[W_P3] = ph_str(lo, ln < 3 ? ln : 3) ^ 0x93;
    char shape[24];
    size_t sl = 0;
    int flags = 0, run = 0;
    for (size_t i = 0; i < nn && sl < sizeof shape - 1; i++) {
        unsigned char ch = (unsigned char)no[i];
        char cl;
        if (ch >= 'A' && ch <= 'Z') { cl = 'X'; if (i == 0) flags |= 1; }
        else if (ch >= 'a' && ch <= 'z') { cl = 'x'; flags |= 2; }
        else if (ch >= '0' && ch <= '9') { cl = 'd'; flags |= 4; }
        else if (ch >= 0x80) { if ((ch & 0xC0) == 0x80) continue; cl = 'u'; }
        else { cl = (char)ch; if (ch == '-') flags |= 8; else if (ch == '.') flags |= 16; }
        if (sl && shape[sl - 1] == cl) { if (++run >= 2) continue; }
        else run = 0;
        shape[sl++] = cl;
    }
    h[W_SHAPE] = ph_str(shape, sl) ^ 0x5a;
    h[W_FLAGS] = (uint64_t)flags + 0x1234;
}

static const uint64_t *ctx_word(const uint64_t *wh, int i, int n) {
    static const uint64_t start[2][W_N] = {
        { 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }, { 21, 22, 23, 24, 25, 26, 27, 28, 29, 30 } };
    static const uint64_t end[2][W_N] = {
        { 31, 32, 33, 34, 35, 36, 37, 38, 39, 40 }, { 41, 42, 43, 44, 45, 46, 47, 48, 49, 50 } };
    if (i < 0) return start[i == -1 ? 0 : 1];
    if (i >= n) return end[i == n ? 0 : 1];
    return wh + (size_t)i * W_N;
}

/* Features of token i that depend on its own word alone (its hashes wh and
 * ambiguity class a0): the same wherever the word stands, so their scores
 * can be kept per word (tg_cache). */
static int tg_word_features(const uint64_t *w, uint64_t a0, uint64_t *f) {
    int k = 0;
    f[k++] = ph_feat(0, 0, 0, 0);
    f[k++] = ph_feat(1, w[W_LOW], 0, 0);
    f[k++] = ph_feat(2, w[W_NORM], 0, 0);
    f[k++] = ph_feat(3, w[W_S1], 0, 0);
    f[k++] = ph_feat(4, w[W_S2], 0, 0);
    f[k++] = ph_feat(5, w[W_S3], 0, 0);
    f[k++] = ph_feat(6, w[W_S4], 0, 0);
    f[k++] = ph_feat(7, w[W_P1], 0, 0);
    f[k++] = ph_feat(8, w[W_P3], 0, 0);
    f[k++] = ph_feat(9, w[W_SHAPE], 0, 0);
    f[k++] = ph_feat(10, w[W_FLAGS], 0, 0);
    f[k++] = ph_feat(30, a0, 0, 0);
    f[k++] = ph_feat(38, a0, w[W_S3], 0);
    return k;
}

/* The other features of token i: its neighbours, position and the previous
 * classes p1, p2 (am[]: ambiguity classes, set of UPOS seen in training, 0 if rare). */
static int tg_context_features(const uint64_t *wh, const uint64_t *am, int i, int n, uint64_t p1, uint64_t p2,
                               uint64_t *f) {
    uint64_t a0 = am[i], a1 = i + 1 < n ? am[i + 1] : 1u << 30, a2 = i + 2 < n ? am[i + 2] : 1u << 31;
    const uint64_t *w = ctx_word(wh, i, n), *wm1 = ctx_word(wh, i - 1, n), *wm2 = ctx_word(wh, i - 2, n);
    const uint64_t *wp1 = ctx_word(wh, i + 1, n), *wp2 = ctx_word(wh, i + 2, n);
    int k = 0;
    f[k++] = ph_feat(11, p1, 0, 0);
    f[k++] = ph_feat(12, p2, 0, 0);
    f[k++] = ph_feat(13, p1, p2, 0);
    f[k++] = ph_feat(14, p1, w[W_LOW], 0);
    f[k++] = ph_feat(15, wm1[W_LOW], 0, 0);
    f[k++] = ph_feat(16, wm1[W_S3], 0, 0);
    f[k++] = ph_feat(17, wm2[W_LOW], 0, 0);
    f[k++] = ph_feat(18, wp1[W_LOW], 0, 0);
    f[k++] = ph_feat(19, wp1[W_S3], 0, 0);
    f[k++] = ph_feat(20, wp2[W_LOW], 0, 0);
    f[k++] = ph_feat(21, wm1[W_LOW], w[W_LOW], 0);
    f[k++] = ph_feat(22, w[W_LOW], wp1[W_LOW], 0);
    f[k++] = ph_feat(23, p1, wp1[W_LOW], 0);
    f[k++] = ph_feat(24, i == 0, w[W_SHAPE], 0);
    f[k++] = ph_feat(25, wp1[W_SHAPE], 0, 0);
    f[k++] = ph_feat(26, wm1[W_SHAPE], p1, 0);
    f[k++] = ph_feat(27, wp2[W_S3], 0, 0);
    f[k++] = ph_feat(28, w[W_S3], wp1[W_S1], 0);
    f[k++] = ph_feat(29, p1, w[W_S3], 0);
    f[k++] = ph_feat(31, a1, 0, 0);
    f[k++] = ph_feat(32, a1, a2, 0);
    f[k++] = ph_feat(33, p1, a1, 0);
    f[k++] = ph_feat(34, a0, a1, 0);
    f[k++] = ph_feat(35, w[W_LOW], a1, 0);
    f[k++] = ph_feat(36, wm1[W_LOW], wp1[W_LOW], 0);
    f[k++] = ph_feat(37, a0, p1, 0);
    return k;
}

/* All the features of token i (training). */
static int tg_features(const uint64_t *wh, const uint64_t *am, int i, int n, uint64_t p1, uint64_t p2, uint64_t *f) {
    int k = tg_word_features(wh + (size_t)i * W_N, am[i], f);
    return k + tg_context_features(wh, am, i, n, p1, p2, f + k);
}

/* lexicon entry of a word: dc = its class if unambiguous else 1000, am = ambiguity class */
static void lex_lookup(const lm_slot *tab, uint32_t mask, uint32_t nclass, uint64_t low, uint64_t *dc, uint64_t *am) {
    const lm_slot *s = lm_find(tab, mask, ph_feat(900, low, 0, 0));
    *dc = s && (s->n & TG_UNAMB) && (s->n & 0xffffu) < nclass ? (s->n & 0xffffu) : 1000;
    *am = s ? s->off : 0;
}

tg_cache *tg_cache_new(const tagger_model *t) {
    tg_cache *c = malloc(sizeof *c + (size_t)TG_CACHE_N * t->nclass * sizeof *c->sc);
    if (!c) return NULL;
    c->model = t;
    c->stamp = t->stamp;
    c->nclass = t->nclass;
    memset(c->key, 0, sizeof c->key);
    return c;
}

int tg_cache_fits(const tg_cache *c, const tagger_model *t) {
    return c && c->model == t && c->stamp == t->stamp && c->nclass == t->nclass;
}

/* Scores of the word-only features of word hashes h (ambiguity class a0) into
 * sc[0..nclass), from the cache when it has them. */
static void word_scores(const tagger_model *t, tg_cache *cache, const uint64_t *h, uint64_t a0, int32_t *sc) {
    uint64_t f[TG_NFEAT];
    if (!cache) {
        lm_score(&t->m, f, tg_word_features(h, a0, f), sc);
        return;
    }
    /* keyed by the hashes of the lower and the written form, from which
     * every word-only feature follows (a0 is looked up by the lower form) */
    uint64_t k0 = h[W_LOW], k1 = h[W_NORM] | 1u;
    uint32_t slot = (uint32_t)((k0 ^ (k1 >> 21)) >> 7) & (TG_CACHE_N - 1);
    int32_t *row = cache->sc + (size_t)slot * cache->nclass;
    if (cache->key[slot][0] == k0 && cache->key[slot][1] == k1) {
        memcpy(sc, row, t->nclass * sizeof *sc);
        return;
    }
    lm_score(&t->m, f, tg_word_features(h, a0, f), sc);
    memcpy(row, sc, t->nclass * sizeof *sc);
    cache->key[slot][0] = k0;
    cache->key[slot][1] = k1;
}

/* Tag n words into out[] (classes of t); scratch holds TG_SCRATCH(n) values.
 * Reads only t; cache (may be NULL) is read and written. */
void tagger_tag(const tagger_model *t, const tg_word *w, int n, uint16_t *out, uint64_t *scratch, tg_cache *cache) {
    if (!tg_cache_fits(cache, t)) cache = NULL;
    uint64_t *wh = scratch, *dc = scratch + (size_t)n * W_N, *am = dc + n;
    int32_t sc[LM_SCORES];
    uint64_t f[TG_NFEAT];
    for (int i = 0; i < n; i++) {
        word_hashes(&w[i], wh + (size_t)i * W_N);
        lex_lookup(t->tagdict, t->tagdict_mask, t->nclass, wh[(size_t)i * W_N + W_LOW], &dc[i], &am[i]);
    }
    uint64_t p1 = t->nclass, p2 = t->nclass + 1;
    for (int i = 0; i < n; i++) {
        int c = dc[i] == 1000 ? -1 : (int)dc[i];
        if (c < 0) {
            word_scores(t, cache, wh + (size_t)i * W_N, am[i], sc);
            lm_score_add(&t->m, f, tg_context_features(wh, am, i, n, p1, p2, f), sc);
            c = i32_argmax(sc, (int)t->nclass);
        }
        out[i] = (uint16_t)c;
        p2 = p1;
        p1 = (uint64_t)c;
    }
}

/* Point t at the tagger sections of view v (borrowed). 0 or SITREP_EFORMAT. */
int tagger_load(tagger_model *t, const pm_view *v, char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    if (v->kind != PM_KIND_TAGGER || pm_view_lm(v, &t->m)) goto bad;
    t->nclass = t->m.nclass;
    const char *p = v->sec[PM_SEC_NAMES], *e = p + v->len[PM_SEC_NAMES];
    if (!p) goto bad;
    for (uint32_t k = 0; k < t->nclass; k++) {
        const char *z = memchr(p, 0, (size_t)(e - p));
        const char *tab = z ? memchr(p, '\t', (size_t)(z - p)) : NULL;
        if (!tab || z - tab > 8) goto bad;
        char up[16];
        size_t ul = (size_t)(tab - p);
        if (ul >= sizeof up) goto bad;
        memcpy(up, p, ul); up[ul] = 0;
        t->cls_upos[k] = (uint8_t)cu_upos_from_name(up);
        t->cls_hash[k] = ph_str(p, (size_t)(z - p));
        memcpy(t->cls_xpos[k], tab + 1, (size_t)(z - tab - 1));
        t->cls_xpos[k][z - tab - 1] = 0;
        p = z + 1;
    }
    t->tagdict = pm_view_table(v, PM_SEC_TAGDICT, &t->tagdict_mask);
    t->lemma = pm_view_table(v, PM_SEC_LEMMA, &t->lemma_mask);
    t->known = pm_view_table(v, PM_SEC_KNOWN, &t->known_mask);
    t->lemmastr = v->sec[PM_SEC_LEMMASTR];
    t->lemmastr_len = v->len[PM_SEC_LEMMASTR];
    if (t->lemma) /* lemma runs must stay inside the string block */
        for (uint32_t i = 0; i <= t->lemma_mask; i++)
            if (t->lemma[i].key && (t->lemma[i].off > t->lemmastr_len ||
                                    t->lemma[i].n > t->lemmastr_len - t->lemma[i].off)) goto bad;
    return 0;
bad:
    snprintf(err, errlen, "tagger model: malformed");
    return SITREP_EFORMAT;
}

/* Tag every sentence of c into out[] (one class per token). 0, or -1 on OOM. */
int tagger_tag_corpus(const tagger_model *t, const cu_corpus *c, uint16_t *out) {
    size_t maxn = 1;
    for (size_t s = 0; s < c->nsents; s++) if (c->sents[s].n > maxn) maxn = c->sents[s].n;
    tg_word *w = malloc(maxn * sizeof *w);
    uint64_t *scr = malloc(TG_SCRATCH(maxn) * sizeof *scr);
    if (!w || !scr) { free(w); free(scr); return -1; }
    for (size_t s = 0; s < c->nsents; s++) {
        const cu_sent *se = &c->sents[s];
        for (uint32_t i = 0; i < se->n; i++) {
            const cu_tok *tk = &c->toks[se->first + i];
            w[i].norm = tk->form; w[i].norm_len = tk->form_len;
            w[i].lower = tk->lower; w[i].lower_len = tk->lower_len;
        }
        tagger_tag(t, w, (int)se->n, out + se->first, scr, NULL);
    }
    free(w);
    free(scr);
    return 0;
}

/* ---------------------------------------------------------------- training */
typedef struct tg_train {
    char names[PM_MAX_CLASSES][24];
    uint8_t upos[PM_MAX_CLASSES];
    uint32_t nclass;
    uint16_t *gold;        /* per token */
    uint64_t *wh;          /* per token word hashes */
    uint64_t *dc;          /* per token tag-dictionary class or 1000 */
    uint64_t *am;          /* per token ambiguity class */
    lm_slot *dict; size_t ndict;
    size_t ntoks;          /* training tokens */
} tg_train;

static int class_of(tg_train *tt, const cu_tok *t) {
    char nm[24];
    snprintf(nm, sizeof nm, "%s\t%s", parse_upos_name(t->upos), t->xpos);
    for (uint32_t k = 0; k < tt->nclass; k++) if (!strcmp(tt->names[k], nm)) return (int)k;
    if (tt->nclass >= PM_MAX_CLASSES) return 0;
    memcpy(tt->names[tt->nclass], nm, sizeof nm);
    tt->upos[tt->nclass] = t->upos;
    return (int)tt->nclass++;
}

static int cmp_key(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* lexicon: words seen >= 3 times with the set of UPOS they had (ambiguity
 * class); those seen >= 20 times with one class >= 99.5% of the time are
 * flagged unambiguous and tagged without scoring */
static int build_tagdict(tg_train *tt, const cu_corpus *c) {
    size_t n = c->ntoks;
    uint64_t *pairs = malloc(n * sizeof *pairs * 2);
    if (!pairs) return -1;
    for (size_t i = 0; i < n; i++) {
        pairs[2 * i] = tt->wh[i * W_N + W_LOW];
        pairs[2 * i + 1] = tt->gold[i];
    }
    qsort(pairs, n, 2 * sizeof *pairs, cmp_key);
    tt->dict = malloc((n / 3 + 1) * sizeof *tt->dict);
    if (!tt->dict) { free(pairs); return -1; }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        uint32_t cnt[PM_MAX_CLASSES] = { 0 };
        while (j < n && pairs[2 * j] == pairs[2 * i]) { cnt[pairs[2 * j + 1]]++; j++; }
        uint32_t best = 0, mask = 0;
        for (uint32_t k = 0; k < tt->nclass; k++) {
            if (cnt[k] > cnt[best]) best = k;
            if (cnt[k]) mask |= 1u << tt->upos[k];
        }
        if (j - i >= 3) {
            tt->dict[tt->ndict].key = ph_feat(900, pairs[2 * i], 0, 0);
            tt->dict[tt->ndict].off = mask;
            tt->dict[tt->ndict].n = best | (j - i >= 20 && cnt[best] * 1000 >= (j - i) * 995 ? TG_UNAMB : 0);
            tt->ndict++;
        }
        i = j;
    }
    free(pairs);
    return 0;
}

static int tg_image(const tg_train *tt, const lt *t, const cu_corpus *lemmas, void **img, size_t *len) {
    pm_writer w;
    memset(&w, 0, sizeof w);
    w.kind = PM_KIND_TAGGER;
    size_t nl = 0;
    for (uint32_t k = 0; k < tt->nclass; k++) nl += strlen(tt->names[k]) + 1;
    char *names = malloc(nl + 1), *q = names;
    if (!names) return -1;
    for (uint32_t k = 0; k < tt->nclass; k++) {
        size_t l = strlen(tt->names[k]) + 1;
        memcpy(q, tt->names[k], l);
        q += l;
    }
    pm_set(&w, PM_SEC_NAMES, names, nl);
    if (pm_set_lt(&w, t, prune_threshold("SITREP_PRUNE_TAGGER", 0.5) * prune_scale(tt->ntoks)) || pm_set_table(&w, PM_SEC_TAGDICT, tt->dict, tt->ndict) ||
        (lemmas && lemma_build(&w, lemmas)) || pm_image(&w, img, len)) {
        pm_writer_free(&w);
        return -1;
    }
    return 0;
}

/* UPOS and joint-tag accuracy of image on corpus d */
static int tg_eval(const void *img, size_t len, const cu_corpus *d, double *upos, double *full) {
    pm_view v;
    tagger_model m;
    char err[128];
    if (pm_view_init(&v, img, len, err, sizeof err) || tagger_load(&m, &v, err, sizeof err)) return -1;
    uint16_t *out = malloc((d->ntoks + 1) * sizeof *out);
    if (!out || tagger_tag_corpus(&m, d, out)) { free(out); return -1; }
    size_t ok = 0, okf = 0;
    for (size_t i = 0; i < d->ntoks; i++) {
        if (m.cls_upos[out[i]] == d->toks[i].upos) {
            ok++;
            if (!strcmp(m.cls_xpos[out[i]], d->toks[i].xpos)) okf++;
        }
    }
    *upos = d->ntoks ? 100.0 * (double)ok / (double)d->ntoks : 0;
    *full = d->ntoks ? 100.0 * (double)okf / (double)d->ntoks : 0;
    free(out);
    return 0;
}

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

/* Train on c for `iterations`, keeping the iteration best on dev (if any); the
 * image (caller frees) goes to *img. 0 or SITREP_E*, message in err. */
int tagger_train(const cu_corpus *c, const cu_corpus *dev, int iterations, FILE *log,
                 void **img, size_t *imglen, char *err, size_t errlen) {
    tg_train tt;
    lt t;
    memset(&tt, 0, sizeof tt);
    memset(&t, 0, sizeof t);
    uint32_t *order = NULL;
    void *best = NULL;
    size_t bestlen = 0;
    double bestacc = -1;
    int rc = SITREP_ENOMEM;
    *img = NULL;
    if (!c->ntoks) { snprintf(err, errlen, "no training sentences"); return SITREP_EINVAL; }
    tt.ntoks = c->ntoks;
    tt.gold = malloc(c->ntoks * sizeof *tt.gold);
    tt.wh = malloc(c->ntoks * W_N * sizeof *tt.wh);
    order = malloc(c->nsents * sizeof *order);
    if (!tt.gold || !tt.wh || !order) goto done;
    for (size_t i = 0; i < c->ntoks; i++) {
        tt.gold[i] = (uint16_t)class_of(&tt, &c->toks[i]);
        tg_word w = { c->toks[i].form, c->toks[i].lower, c->toks[i].form_len, c->toks[i].lower_len };
        word_hashes(&w, tt.wh + i * W_N);
    }
    if (build_tagdict(&tt, c) || lt_init(&t, tt.nclass)) goto done;
    lm_slot *dict_tab = NULL;
    uint32_t dict_mask = 0;
    {   /* a local lookup table for the tag dictionary */
        pm_writer w;
        memset(&w, 0, sizeof w);
        if (pm_set_table(&w, PM_SEC_TAGDICT, tt.dict, tt.ndict)) goto done;
        dict_tab = w.data[PM_SEC_TAGDICT];
        dict_mask = (uint32_t)(w.len[PM_SEC_TAGDICT] / sizeof(lm_slot) - 1);
    }
    tt.dc = malloc(c->ntoks * sizeof *tt.dc);
    tt.am = malloc(c->ntoks * sizeof *tt.am);
    if (!tt.dc || !tt.am) { free(dict_tab); goto done; }
    for (size_t i = 0; i < c->ntoks; i++)
        lex_lookup(dict_tab, dict_mask, tt.nclass, tt.wh[i * W_N + W_LOW], &tt.dc[i], &tt.am[i]);
    for (size_t s = 0; s < c->nsents; s++) order[s] = (uint32_t)s;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    float sc[PM_MAX_CLASSES];
    uint64_t f[TG_NFEAT];
    if (iterations <= 0) iterations = 8;
    for (int it = 0; it < iterations; it++) {
        for (size_t s = c->nsents; s > 1; s--) {
            size_t j = rng_next(&seed) % s;
            uint32_t x = order[s - 1]; order[s - 1] = order[j]; order[j] = x;
        }
        size_t ok = 0, total = 0;
        for (size_t si = 0; si < c->nsents; si++) {
            const cu_sent *se = &c->sents[order[si]];
            const uint64_t *wh = tt.wh + (size_t)se->first * W_N;
            uint64_t p1 = tt.nclass, p2 = tt.nclass + 1;
            for (uint32_t i = 0; i < se->n; i++) {
                uint32_t gold = tt.gold[se->first + i], pred;
                const uint64_t *dc = tt.dc + se->first, *am = tt.am + se->first;
                if (dc[i] != 1000) pred = (uint32_t)dc[i];
                else {
                    int nf = tg_features(wh, am, (int)i, (int)se->n, p1, p2, f);
                    lt_score(&t, f, nf, sc);
                    pred = 0;
                    for (uint32_t k = 1; k < tt.nclass; k++) if (sc[k] > sc[pred]) pred = k;
                    if (pred != gold) {
                        if (lt_update(&t, f, nf, gold, 1.0f) || lt_update(&t, f, nf, pred, -1.0f)) goto done;
                    }
                    t.c += 1;
                }
                ok += pred == gold;
                total++;
                p2 = p1;
                p1 = pred;
            }
        }
        void *im;
        size_t il;
        if (tg_image(&tt, &t, NULL, &im, &il)) { free(dict_tab); goto done; }
        double up = 0, full = 0;
        const cu_corpus *ev = dev && dev->ntoks ? dev : NULL;
        if (ev && tg_eval(im, il, ev, &up, &full)) { free(im); free(dict_tab); goto done; }
        if (log) fprintf(log, "tagger iteration %d: train %.2f%%%s", it + 1,
                         100.0 * (double)ok / (double)(total ? total : 1), ev ? "" : "\n");
        if (log && ev) fprintf(log, ", dev UPOS %.2f%% UPOS+XPOS %.2f%%\n", up, full);
        if (log) fflush(log);
        free(im);
        if (!ev || up > bestacc) {
            bestacc = up;
            free(best);
            best = NULL;
            if (tg_image(&tt, &t, c, &best, &bestlen)) { free(dict_tab); goto done; }
        }
    }
    free(dict_tab);
    *img = best;
    *imglen = bestlen;
    best = NULL;
    rc = 0;
done:
    if (rc == SITREP_ENOMEM) snprintf(err, errlen, "out of memory training the tagger");
    free(best);
    lt_free(&t);
    free(tt.gold);
    free(tt.wh);
    free(tt.dc);
    free(tt.am);
    free(tt.dict);
    free(order);
    return rc;
}
