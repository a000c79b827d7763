/* parse_int.h - private structures of the tagger, lemmatiser, parser, CoNLL-U
 * reader and trainer (tagger.c, lemma.c, parser.c, conllu.c, train.c).
 *
 * Everything the models compute with is a sparse linear model over hashed
 * features: a feature is a 64-bit hash, looked up in an open-addressing table
 * of slots; each slot points at a short run of (class, int16 weight) entries.
 * At run time the tables live inside the model file (mmap'ed, read-only);
 * during training an editable table (lt) with averaging accumulators is used
 * and compiled into the same layout. */
#ifndef SITREP_PARSE_INT_H
#define SITREP_PARSE_INT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "arena.h"
#include "doc.h"
#include "parse.h"

#define PM_MAGIC 0x4d505253u /* "SRPM" */
#define PM_VERSION 1u
#define PM_KIND_TAGGER 1u
#define PM_KIND_PARSER 2u

#define PM_MAX_CLASSES 255
#define PM_MAX_LABELS 96

/* ---------------------------------------------------------------- hashing */
static inline uint64_t ph_mix(uint64_t h) {
    h ^= h >> 33; h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}
static inline uint64_t ph_str(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 0x100000001b3ull; }
    return ph_mix(h ^ n);
}
/* feature hash of template t over up to three values; never 0. One multiply
 * per value (independent, so they run in parallel) and one final mix. */
static inline uint64_t ph_feat(uint32_t t, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t h = (a ^ ((uint64_t)t << 40 | t)) * 0x9e3779b97f4a7c15ull;
    h ^= (b + 0x632be59bd9b4e019ull) * 0xc2b2ae3d27d4eb4full;
    h ^= (c + 0x85ebca6b27d4eb2full) * 0x165667b19e3779f9ull;
    h ^= h >> 29; h *= 0xbf58476d1ce4e5b9ull; h ^= h >> 32;
    return h ? h : 1;
}

/* ---------------------------------------------------------------- run-time linear model */
typedef struct lm_slot { uint64_t key; uint32_t off, n; } lm_slot;
typedef struct lm_entry { uint16_t cls; int16_t w; } lm_entry;
/* weight slot (16 bytes): fp = lm_fp(key) (0 = empty), offn = off << 8 | count.
 * count 0 means a dense row: off is the row index in the dense section (int16
 * weights for every class, padded to a multiple of 8). Otherwise the first
 * LM_INLINE entries of the run sit in the slot itself and the rest (count -
 * LM_INLINE) start at entry off, so most features cost one cache line. */
#define LM_INLINE 2
typedef struct lw_slot { uint32_t fp, offn; lm_entry e[LM_INLINE]; } lw_slot;
static inline uint32_t lm_fp(uint64_t key) { return (uint32_t)(key >> 32) | 1u; }
/* first slot probed for key: the start of a cache line (four slots), so a
 * probe reads the whole line before it moves on */
static inline uint32_t lm_home(uint64_t key, uint32_t mask) { return (uint32_t)key & mask & ~3u; }
typedef struct lm {
    uint32_t nclass, mask;      /* mask = table size - 1 */
    uint32_t nents;             /* entries; runs are bounds-checked against it when read */
    const int16_t *dense;       /* ndense rows of npad weights */
    uint32_t ndense, npad;
    const lw_slot *slots;       /* borrowed (model file) */
    const lm_entry *ents;
} lm;
/* Zero sc[0..nclass) and add the weights of the nf features (at most 128).
 * sc must hold LM_SCORES ints: classes are masked, so a corrupt file cannot
 * write outside it. */
#define LM_SCORES 256
void lm_score(const lm *m, const uint64_t *f, int nf, int32_t *sc);
/* lm_score without the zeroing: adds to sc[0..nclass). */
void lm_score_add(const lm *m, const uint64_t *f, int nf, int32_t *sc);
/* Index of the first largest of sc[0..n) (n >= 1): four lanes at a time
 * for the maximum, then the first index holding it. */
static inline int i32_argmax(const int32_t *sc, int n) {
    typedef int32_t v4i __attribute__((vector_size(16)));
    int32_t best = sc[0];
    int k = 0;
    if (n >= 8) {
        v4i mx, x, m;
        memcpy(&mx, sc, sizeof mx);
        for (k = 4; k + 4 <= n; k += 4) {
            memcpy(&x, sc + k, sizeof x);
            m = x > mx;
            mx = (x & m) | (mx & ~m);
        }
        best = mx[0];
        for (int l = 1; l < 4; l++) if (mx[l] > best) best = mx[l];
    }
    for (; k < n; k++) if (sc[k] > best) best = sc[k];
    for (k = 0; sc[k] != best; k++) {}
    return k;
}
/* Find a key in a slot table (mask = size - 1); NULL if absent. */
const lm_slot *lm_find(const lm_slot *slots, uint32_t mask, uint64_t key);

/* ---------------------------------------------------------------- run-time transition model */
/* The parser's transition model has four classes (SHIFT, REDUCE, LEFT, RIGHT)
 * and is stored inline, in buckets of one cache line: the 16-bit fingerprints
 * of eight features (0 = empty; a bucket fills from the front), then for each
 * the weights of classes 1..3 minus the weight of class 0 (argmax over any
 * subset of classes is unchanged by a shift common to all classes). A feature
 * lives in the bucket its hash names or, when that one is full, in the next
 * ones; a lookup reads one line in almost every case. Little-endian only, as
 * is the whole model format. */
#define AM_NCLASS 4
#define AM_BUCKET 8
typedef struct am_bucket {
    uint16_t fp[AM_BUCKET];
    int16_t w[AM_BUCKET][AM_NCLASS - 1];
} am_bucket;                                /* 64 bytes */
static inline uint16_t am_fp(uint64_t key) { uint16_t f = (uint16_t)(key >> 48); return f ? f : 1; }
typedef struct am_model {
    const am_bucket *b;         /* borrowed (model file); mask + 1 buckets */
    uint32_t mask;
} am_model;
/* Scores of the four classes for features f[0..nf) (at most 128) into sc[0..4). */
void am_score(const am_model *m, const uint64_t *f, int nf, int32_t *sc);

/* ---------------------------------------------------------------- training linear model */
typedef struct lt_w { float w; uint32_t cls; double u; } lt_w;
typedef struct lt_row { uint64_t key; lt_w *v; uint32_t n, cap; } lt_row;
typedef struct lt {
    lt_row *rows; size_t cap, count;   /* open addressing, key 0 = empty */
    uint32_t nclass;
    double c;                          /* instances seen (for averaging) */
} lt;
int lt_init(lt *t, uint32_t nclass);
void lt_free(lt *t);
void lt_score(const lt *t, const uint64_t *f, int nf, float *sc);
/* add delta to class cls of every feature; -1 on OOM */
int lt_update(lt *t, const uint64_t *f, int nf, uint32_t cls, float delta);

/* ---------------------------------------------------------------- model files */
enum { PM_SEC_NAMES = 1, PM_SEC_LMHDR, PM_SEC_SLOTS, PM_SEC_ENTS, PM_SEC_TAGDICT,
       PM_SEC_LEMMA, PM_SEC_LEMMASTR, PM_SEC_KNOWN, PM_SEC_DENSE, PM_SEC_ARC, PM_SEC_MAX };
/* A model file being written: sections of bytes. */
typedef struct pm_writer {
    uint32_t kind;
    void *data[PM_SEC_MAX]; size_t len[PM_SEC_MAX];
} pm_writer;
/* Take ownership of a malloc'ed block as section id. */
void pm_set(pm_writer *w, int id, void *data, size_t len);
/* Compile the averaged weights of t into LMHDR/SLOTS/ENTS sections, dropping
 * weights whose magnitude is below prune. -1 on OOM. */
int pm_set_lt(pm_writer *w, const lt *t, double prune);
/* Turn the runs of features that carry weights for many classes into dense
 * rows (faster to add, smaller). -1 on OOM. */
int pm_densify(pm_writer *w);
/* Compile the averaged weights of a 4-class table t into the inline section
 * PM_SEC_ARC (see am_bucket), dropping features whose weights all lie below
 * prune, and the weakest beyond 5/8 of max_slots (0: no limit). -1 on OOM. */
int pm_set_am(pm_writer *w, const lt *t, double prune, uint32_t max_slots);
/* Build a slot table from (key, off, n) triples; sets SLOTS-like section id. */
int pm_set_table(pm_writer *w, int id, const lm_slot *items, size_t n);
/* Serialise into one malloc'ed image (*out, *outlen). Frees sections. */
int pm_image(pm_writer *w, void **out, size_t *outlen);
void pm_writer_free(pm_writer *w);
/* A loaded image: pointers to sections inside (borrowed). */
typedef struct pm_view {
    uint32_t kind;
    const void *sec[PM_SEC_MAX]; size_t len[PM_SEC_MAX];
} pm_view;
int pm_view_init(pm_view *v, const void *img, size_t len, char *err, size_t errlen);
int pm_view_lm(const pm_view *v, lm *m);
/* Point m at section PM_SEC_ARC of v; -1 if missing or malformed. */
int pm_view_am(const pm_view *v, am_model *m);
/* Weight-pruning threshold from environment variable env (training only). */
double prune_threshold(const char *env, double dflt);
/* Pruning shrinks with the training set: small treebanks keep their weights. */
double prune_scale(size_t ntoks);
/* slot table in section id (NULL and *mask 0 if missing or malformed) */
const lm_slot *pm_view_table(const pm_view *v, int id, uint32_t *mask);

/* ---------------------------------------------------------------- corpora (CoNLL-U) */
typedef struct cu_tok {
    const char *form, *lower, *lemma, *xpos, *deprel; /* arena strings (norm, lower) */
    uint32_t form_len, lower_len, lemma_len;
    uint8_t upos;
    int32_t head;       /* 0 = root, else 1-based within the sentence */
} cu_tok;
typedef struct cu_sent { uint32_t first, n; } cu_sent;
typedef struct cu_corpus {
    arena a;
    cu_tok *toks; size_t ntoks, tcap;
    cu_sent *sents; size_t nsents, scap;
} cu_corpus;
void cu_init(cu_corpus *c);
void cu_free(cu_corpus *c);
/* Append the sentences of CoNLL-U file `path`. Multi-word token lines and empty
 * nodes are skipped. SITREP_EFORMAT with "FILE:LINE: reason" in err. */
int cu_read(cu_corpus *c, const char *path, char *err, size_t errlen);
/* Fold a surface form as the segmenter does (typographic quotes/dashes to
 * ASCII) and lower-case it; arena strings. -1 on OOM. */
int cu_normalise(arena *a, const char *s, size_t n, const char **norm, uint32_t *norm_len,
                 const char **lower, uint32_t *lower_len);
int cu_upos_from_name(const char *s);

/* ---------------------------------------------------------------- tagger */
typedef struct tagger_model {
    lm m;
    uint64_t stamp;                       /* when it was loaded (ns, monotonic): tells caches apart */
    uint32_t nclass;
    uint8_t cls_upos[PM_MAX_CLASSES];
    char cls_xpos[PM_MAX_CLASSES][8];
    uint64_t cls_hash[PM_MAX_CLASSES];    /* hash of "UPOS\tXPOS": the parser's tag value */
    const lm_slot *tagdict; uint32_t tagdict_mask;        /* lower -> class */
    const lm_slot *lemma; uint32_t lemma_mask;            /* (lower, upos) -> lemma */
    const char *lemmastr; size_t lemmastr_len;
    const lm_slot *known; uint32_t known_mask;            /* (lemma, upos) known */
} tagger_model;
/* one token as the tagger sees it */
typedef struct tg_word { const char *norm, *lower; uint32_t norm_len, lower_len; } tg_word;
int tagger_load(tagger_model *t, const pm_view *v, char *err, size_t errlen);
/* The scores of the word-only features of recently tagged words, kept by
 * one thread across sentences (they are a third of the tagger's features,
 * and the same wherever the word stands). Direct-mapped, TG_CACHE_N words. */
#define TG_CACHE_N 4096u
typedef struct tg_cache {
    const tagger_model *model;     /* the tagger whose scores these are */
    uint64_t stamp;                /* and its load stamp (a model loaded later at the same address differs) */
    uint32_t nclass;
    uint64_t key[TG_CACHE_N][2];   /* hashes of the lower and written forms; 0 = empty */
    int32_t sc[];                  /* TG_CACHE_N rows of nclass scores */
} tg_cache;
/* A new empty cache for tagger t (one malloc'd block: free() frees it), or NULL on OOM. */
tg_cache *tg_cache_new(const tagger_model *t);
/* Is cache c (may be NULL) made for tagger t as it is loaded now? */
int tg_cache_fits(const tg_cache *c, const tagger_model *t);
/* Tag n words; classes out[i]. scratch: TG_SCRATCH(n) uint64. cache: NULL,
 * or one made by tg_cache_new for t and used by one thread at a time (the
 * classes are the same with or without it). */
#define TG_SCRATCH(n) (12u * ((size_t)(n) + 4u))
void tagger_tag(const tagger_model *t, const tg_word *w, int n, uint16_t *out, uint64_t *scratch, tg_cache *cache);
/* Train on c (iterations), evaluating on dev if non-NULL; writes image. */
int tagger_train(const cu_corpus *c, const cu_corpus *dev, int iterations, FILE *log,
                 void **img, size_t *imglen, char *err, size_t errlen);
/* Tag a whole corpus with a trained image (for jack-knifing / eval); out per token. */
int tagger_tag_corpus(const tagger_model *t, const cu_corpus *c, uint16_t *out);

/* ---------------------------------------------------------------- lemmatiser */
/* Lemma of `lower` (len n) with tag (upos, xpos): writes into buf (cap), returns length. */
size_t lemma_of(const tagger_model *t, const char *lower, size_t n, int upos, const char *xpos,
                char *buf, size_t cap);
/* Build the lemma sections (LEMMA, LEMMASTR, KNOWN) from the training corpus. */
int lemma_build(pm_writer *w, const cu_corpus *c);

/* ---------------------------------------------------------------- parser */
typedef struct parser_model {
    am_model arc;                          /* transitions: 0 SHIFT, 1 REDUCE, 2 LEFT, 3 RIGHT */
    lm m;                            /* the label of a new arc: class l = label l */
    uint32_t nlabel;
    char label[PM_MAX_LABELS][24];
    uint8_t label_dep[PM_MAX_LABELS];
    int root_label;
    /* labels the repairs after parsing use (-1 when the model lacks one) */
    int lab_dep, lab_obj, lab_iobj, lab_nsubj, lab_nsubjpass, lab_auxpass;
} parser_model;
int parser_load(parser_model *p, const pm_view *v, char *err, size_t errlen);
/* Parse n words whose tags are given as hashes of the tagger class names
 * (so the parser does not depend on a tagger's class numbering); heads out:
 * 0 root, else 1-based; labels out: label index. scratch: parser_scratch_size(n)
 * bytes, 16-aligned. */
size_t parser_scratch_size(int n);
void parser_parse(const parser_model *p, const tg_word *w, const uint64_t *tag, int n,
                  int32_t *head, uint16_t *label, void *scratch);
int parser_train(const cu_corpus *c, const uint64_t *tags, const cu_corpus *dev,
                 const uint64_t *devtags, int iterations, FILE *log, void **img, size_t *imglen,
                 char *err, size_t errlen);
int deprel_from_name(const char *s);

#endif
