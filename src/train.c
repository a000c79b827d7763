/* train.c - the sparse linear models shared by the tagger and the parser (run-time
 * scoring, training table with averaging, compilation into the binary model
 * file format) and the public training / evaluation entry points.
 *
 * Model file format (little-endian, version PM_VERSION):
 *   u32 magic "SRPM", u32 version, u32 kind (1 tagger, 2 parser), u32 nsect,
 *   nsect x { u32 id, u32 pad, u64 offset, u64 length }, then the sections,
 *   each 64-byte aligned (a cache line). Slot tables are open-addressing arrays of lm_slot
 *   (key 0 = empty) whose size is a power of two; the weights are int16
 *   (scaled) entries, one run per feature. Nothing needs fixing up after
 *   loading, so the file is used straight from mmap. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "parse_int.h"
#include "sitrep.h"

/* ---------------------------------------------------------------- run time */
typedef int16_t v8s16 __attribute__((vector_size(16)));
typedef int32_t v8s32 __attribute__((vector_size(32)));

const lm_slot *lm_find(const lm_slot *slots, uint32_t mask, uint64_t key) {
    if (!slots) return NULL;
    uint32_t i = (uint32_t)(key >> 20) & mask;
    for (;;) {
        const lm_slot *s = &slots[i];
        if (s->key == key) return s;
        if (!s->key) return NULL;
        i = (i + 1) & mask;
    }
}

/* Scores of every class for features f[0..nf) into sc (see parse_int.h). Reads only m. */
void lm_score(const lm *m, const uint64_t *f, int nf, int32_t *sc) {
    memset(sc, 0, m->nclass * sizeof *sc);
    lm_score_add(m, f, nf, sc);
}

void lm_score_add(const lm *m, const uint64_t *f, int nf, int32_t *sc) {
    /* memory-bound: prefetch every slot, then every dense row or spilled run,
     * so the cache misses overlap instead of queueing one after another. Runs
     * are checked here rather than at load time, so loading touches nothing. */
    const lw_slot *found[128];
    if (nf > 128) nf = 128;
    for (int i = 0; i < nf; i++) __builtin_prefetch(&m->slots[lm_home(f[i], m->mask)]);
    int nfound = 0;
    for (int i = 0; i < nf; i++) {
        uint32_t fp = lm_fp(f[i]), j = lm_home(f[i], m->mask), probes = 0;
        while (m->slots[j].fp && m->slots[j].fp != fp && probes++ < m->mask) j = (j + 1) & m->mask;
        const lw_slot *s = &m->slots[j];
        if (s->fp != fp) continue;
        uint32_t off = s->offn >> 8, n = s->offn & 255u;
        if (n > LM_INLINE) {
            if (off > m->nents || n - LM_INLINE > m->nents - off) continue;
            const char *p = (const char *)(m->ents + off);
            for (uint32_t b = 0; b < (n - LM_INLINE) * sizeof(lm_entry); b += 64) __builtin_prefetch(p + b);
        } else if (!n && off >= m->ndense) continue;   /* dense rows are the frequent features: cached */
        found[nfound++] = s;
    }
    for (int i = 0; i < nfound; i++) {
        const lw_slot *s = found[i];
        uint32_t off = s->offn >> 8, n = s->offn & 255u;
        if (n) {
            sc[s->e[0].cls & (LM_SCORES - 1)] += s->e[0].w;
            if (n > 1) sc[s->e[1].cls & (LM_SCORES - 1)] += s->e[1].w;
            const lm_entry *e = m->ents + off;
            for (uint32_t k = LM_INLINE; k < n; k++) sc[e[k - LM_INLINE].cls & (LM_SCORES - 1)] += e[k - LM_INLINE].w;
        } else {
            /* eight classes at a time, widened to 32 bits (SSE2 on x86-64) */
            const int16_t *d = m->dense + (size_t)off * m->npad;
            for (uint32_t k = 0; k < m->npad; k += 8) {
                v8s16 w8;
                v8s32 acc;
                memcpy(&w8, d + k, sizeof w8);
                memcpy(&acc, sc + k, sizeof acc);
                acc += __builtin_convertvector(w8, v8s32);
                memcpy(sc + k, &acc, sizeof acc);
            }
        }
    }
}

/* lanes of x (four 16-bit lanes) that are zero: the lowest flagged lane is exact */
static inline uint64_t zero16(uint64_t x) {
    return (x - 0x0001000100010001ull) & ~x & 0x8000800080008000ull;
}

/* Scores of the four transitions for features f (see parse_int.h). Reads only m.
 * Every home bucket is prefetched first so the cache misses overlap; a probe
 * stops at a bucket that is not full (at most mask + 1 buckets). */
void am_score(const am_model *m, const uint64_t *f, int nf, int32_t *sc) {
    int32_t s1 = 0, s2 = 0, s3 = 0;
    uint32_t home[128];
    if (nf > 128) nf = 128;
    for (int i = 0; i < nf; i++) {
        home[i] = (uint32_t)f[i] & m->mask;
        __builtin_prefetch(&m->b[home[i]]);
    }
    for (int i = 0; i < nf; i++) {
        uint32_t bi = home[i];
#ifdef __SSE2__
        /* the eight fingerprints of a bucket compared at once */
        typedef int16_t v8h __attribute__((vector_size(16)));
        typedef char v16c __attribute__((vector_size(16)));
        v8h pat = { 0 };
        pat += (int16_t)am_fp(f[i]);
        for (uint32_t probes = 0; probes <= m->mask; probes++) {
            const am_bucket *bk = &m->b[bi];
            v8h fp;
            memcpy(&fp, bk->fp, sizeof fp);
            unsigned hit = (unsigned)__builtin_ia32_pmovmskb128((v16c)(fp == pat));
            if (hit) {
                int lane = __builtin_ctz(hit) >> 1;
                s1 += bk->w[lane][0]; s2 += bk->w[lane][1]; s3 += bk->w[lane][2];
                break;
            }
            if (!bk->fp[AM_BUCKET - 1]) break;
            bi = (bi + 1) & m->mask;
        }
#else
        uint64_t pat = am_fp(f[i]) * 0x0001000100010001ull;
        for (uint32_t probes = 0; probes <= m->mask; probes++) {
            const am_bucket *bk = &m->b[bi];
            uint64_t lo, hi, z;
            int lane = -1;
            memcpy(&lo, bk->fp, 8);
            memcpy(&hi, bk->fp + 4, 8);
            if ((z = zero16(lo ^ pat))) lane = __builtin_ctzll(z) >> 4;
            else if ((z = zero16(hi ^ pat))) lane = 4 + (__builtin_ctzll(z) >> 4);
            if (lane >= 0) { s1 += bk->w[lane][0]; s2 += bk->w[lane][1]; s3 += bk->w[lane][2]; break; }
            if (!bk->fp[AM_BUCKET - 1]) break;
            bi = (bi + 1) & m->mask;
        }
#endif
    }
    sc[0] = 0; sc[1] = s1; sc[2] = s2; sc[3] = s3;
}

/* ---------------------------------------------------------------- training table */
int lt_init(lt *t, uint32_t nclass) {
    memset(t, 0, sizeof *t);
    t->cap = 1u << 16;
    t->rows = calloc(t->cap, sizeof *t->rows);
    t->nclass = nclass;
    t->c = 1;
    return t->rows ? 0 : -1;
}

/* Release the training table (accepts NULL or a table never initialised). */
void lt_free(lt *t) {
    if (!t || !t->rows) return;
    for (size_t i = 0; i < t->cap; i++) free(t->rows[i].v);
    free(t->rows);
    t->rows = NULL;
}

static lt_row *lt_get(const lt *t, uint64_t key) {
    size_t mask = t->cap - 1, i = (size_t)(key >> 20) & mask;
    for (;;) {
        lt_row *r = &t->rows[i];
        if (r->key == key) return r;
        if (!r->key) return NULL;
        i = (i + 1) & mask;
    }
}

static int lt_grow(lt *t) {
    size_t ncap = t->cap * 2, mask = ncap - 1;
    lt_row *nr = calloc(ncap, sizeof *nr);
    if (!nr) return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->rows[i].key) continue;
        size_t j = (size_t)(t->rows[i].key >> 20) & mask;
        while (nr[j].key) j = (j + 1) & mask;
        nr[j] = t->rows[i];
    }
    free(t->rows);
    t->rows = nr;
    t->cap = ncap;
    return 0;
}

static lt_row *lt_put(lt *t, uint64_t key) {
    if ((t->count + 1) * 2 > t->cap && lt_grow(t)) return NULL;
    size_t mask = t->cap - 1, i = (size_t)(key >> 20) & mask;
    for (;;) {
        lt_row *r = &t->rows[i];
        if (r->key == key) return r;
        if (!r->key) { r->key = key; t->count++; return r; }
        i = (i + 1) & mask;
    }
}

/* Current (not averaged) scores of every class for features f into sc. */
void lt_score(const lt *t, const uint64_t *f, int nf, float *sc) {
    memset(sc, 0, t->nclass * sizeof *sc);
    for (int i = 0; i < nf; i++) {
        const lt_row *r = lt_get(t, f[i]);
        if (!r) continue;
        for (uint32_t k = 0; k < r->n; k++) sc[r->v[k].cls] += r->v[k].w;
    }
}

/* Add delta to class cls of each feature, recording it for averaging. 0, or -1 on OOM. */
int lt_update(lt *t, const uint64_t *f, int nf, uint32_t cls, float delta) {
    for (int i = 0; i < nf; i++) {
        lt_row *r = lt_put(t, f[i]);
        if (!r) return -1;
        uint32_t k = 0;
        while (k < r->n && r->v[k].cls != cls) k++;
        if (k == r->n) {
            if (r->n == r->cap) {
                uint32_t nc = r->cap ? r->cap * 2 : 2;
                lt_w *nv = realloc(r->v, nc * sizeof *nv);
                if (!nv) return -1;
                r->v = nv; r->cap = nc;
            }
            r->v[k].cls = cls; r->v[k].w = 0; r->v[k].u = 0;
            r->n++;
        }
        r->v[k].w += delta;
        r->v[k].u += t->c * delta;
    }
    return 0;
}

/* ---------------------------------------------------------------- writing */
void pm_set(pm_writer *w, int id, void *data, size_t len) {
    free(w->data[id]);
    w->data[id] = data;
    w->len[id] = len;
}

/* Free every section still owned by the writer (accepts NULL). */
void pm_writer_free(pm_writer *w) {
    if (!w) return;
    for (int i = 0; i < PM_SEC_MAX; i++) { free(w->data[i]); w->data[i] = NULL; }
}

static uint32_t pow2_for(size_t n) {
    uint32_t s = 16;
    while (s < n * 2 + 1) s *= 2;
    return s;
}

/* Open-addressing table of the n items as section id (load <= 1/2). 0, or -1 on OOM. */
int pm_set_table(pm_writer *w, int id, const lm_slot *items, size_t n) {
    uint32_t size = pow2_for(n), mask = size - 1;
    lm_slot *tab = calloc(size, sizeof *tab);
    if (!tab) return -1;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = (uint32_t)(items[k].key >> 20) & mask;
        while (tab[i].key && tab[i].key != items[k].key) i = (i + 1) & mask;
        tab[i] = items[k];
    }
    pm_set(w, id, tab, size * sizeof *tab);
    return 0;
}

/* Averaged, pruned, int16-quantised weights of t as the LMHDR/SLOTS/ENTS(/DENSE)
 * sections of w. 0, or -1 on OOM. */
int pm_set_lt(pm_writer *w, const lt *t, double prune) {
    double maxabs = 0;
    for (size_t i = 0; i < t->cap; i++)
        for (uint32_t k = 0; k < t->rows[i].n; k++) {
            double a = fabs(t->rows[i].v[k].w - t->rows[i].v[k].u / t->c);
            if (a > maxabs) maxabs = a;
        }
    double scale = maxabs > 0 ? maxabs / 32000.0 : 1.0;
    size_t nents = 0, nitems = 0, ecap = 1024, icap = 1024;
    lm_entry *ents = malloc(ecap * sizeof *ents);
    lm_slot *items = malloc(icap * sizeof *items);
    if (!ents || !items) goto oom;
    for (size_t i = 0; i < t->cap; i++) {
        const lt_row *r = &t->rows[i];
        if (!r->key || !r->n) continue;
        size_t start = nents;
        for (uint32_t k = 0; k < r->n; k++) {
            double a = (r->v[k].w - r->v[k].u / t->c);
            if (fabs(a) < prune) continue;
            long q = lround(a / scale);
            if (!q) continue;
            if (nents == ecap) {
                lm_entry *ne = realloc(ents, (ecap *= 2) * sizeof *ne);
                if (!ne) goto oom;
                ents = ne;
            }
            ents[nents].cls = (uint16_t)r->v[k].cls;
            ents[nents].w = (int16_t)(q > 32767 ? 32767 : q < -32767 ? -32767 : q);
            nents++;
        }
        if (nents == start) continue;
        if (nitems == icap) {
            lm_slot *ni = realloc(items, (icap *= 2) * sizeof *ni);
            if (!ni) goto oom;
            items = ni;
        }
        items[nitems].key = r->key;
        items[nitems].off = (uint32_t)start;
        items[nitems].n = (uint32_t)(nents - start);
        nitems++;
    }
    uint32_t *hdr = malloc(4 * sizeof *hdr);
    if (!hdr) goto oom;
    hdr[0] = t->nclass; hdr[1] = (uint32_t)nents; hdr[2] = (uint32_t)nitems; hdr[3] = 0;
    pm_set(w, PM_SEC_LMHDR, hdr, 4 * sizeof *hdr);
    if (nents >= (1u << 24)) goto oom;
    {
        uint32_t size = 16, mask;
        while (size < nitems + nitems / 3 + 1) size *= 2;
        mask = size - 1;
        lw_slot *tab = calloc(size, sizeof *tab);
        if (!tab) goto oom;
        for (size_t k = 0; k < nitems; k++) {
            uint32_t fp = lm_fp(items[k].key), j = lm_home(items[k].key, mask);
            while (tab[j].fp) j = (j + 1) & mask;
            tab[j].fp = fp;
            tab[j].offn = items[k].off << 8 | items[k].n;
        }
        pm_set(w, PM_SEC_SLOTS, tab, size * sizeof *tab);
    }
    pm_set(w, PM_SEC_ENTS, ents, nents * sizeof *ents);
    free(items);
    return pm_densify(w);
oom:
    free(ents);
    free(items);
    return -1;
}

/* Averaged weights of classes 1..3 of row r minus that of class 0 into d;
 * returns the largest magnitude. */
static double am_row(const lt *t, const lt_row *r, double *d) {
    double a[AM_NCLASS] = { 0 }, m = 0;
    for (uint32_t k = 0; k < r->n; k++)
        if (r->v[k].cls < AM_NCLASS) a[r->v[k].cls] = r->v[k].w - r->v[k].u / t->c;
    for (int k = 1; k < AM_NCLASS; k++) {
        d[k - 1] = a[k] - a[0];
        if (fabs(d[k - 1]) > m) m = fabs(d[k - 1]);
    }
    return m;
}

static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The 4-class table t as the inline section PM_SEC_ARC (see am_bucket):
 * averaged weights relative to class 0, int16-quantised. Features whose
 * differences all lie below prune are dropped, and so are the weakest beyond
 * 5/8 of max_slots (a power of two), which keeps most buckets open so that
 * an absent feature costs one line. 0, or -1 on OOM. */
int pm_set_am(pm_writer *w, const lt *t, double prune, uint32_t max_slots) {
    double maxabs = 0, d[AM_NCLASS - 1];
    size_t nitems = 0;
    double *mags = malloc((t->count + 1) * sizeof *mags);
    if (!mags) return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->rows[i].key) continue;
        double m = am_row(t, &t->rows[i], d);
        if (m == 0 || m < prune) continue;
        mags[nitems++] = m;
        if (m > maxabs) maxabs = m;
    }
    size_t budget = max_slots >= 16 ? (size_t)max_slots / 8 * 5 : nitems;
    if (nitems > budget) {
        qsort(mags, nitems, sizeof *mags, cmp_desc);
        double cut = mags[budget - 1];
        while (budget > 0 && mags[budget - 1] == cut) budget--;   /* ties all go */
        prune = budget ? mags[budget - 1] : maxabs + 1;
        nitems = budget;
    }
    free(mags);
    uint32_t nb = 2;
    while ((size_t)nb * AM_BUCKET * 5 < nitems * 8) nb *= 2;
    uint32_t mask = nb - 1;
    am_bucket *tab = calloc(nb, sizeof *tab);
    if (!tab) return -1;
    double scale = maxabs > 0 ? maxabs / 32000.0 : 1.0;
    for (size_t i = 0; i < t->cap; i++) {
        const lt_row *r = &t->rows[i];
        if (!r->key) continue;
        double m = am_row(t, r, d);
        if (m == 0 || m < prune) continue;
        uint16_t fp = am_fp(r->key);
        uint32_t bi = (uint32_t)r->key & mask;
        int lane = -1, clash = 0;
        for (uint32_t probes = 0; probes <= mask && lane < 0 && !clash; probes++, bi = (bi + 1) & mask)
            for (int k = 0; k < AM_BUCKET; k++) {
                if (tab[bi].fp[k] == fp) { clash = 1; break; }   /* the earlier one wins */
                if (!tab[bi].fp[k]) { lane = k; break; }
            }
        if (lane < 0) continue;
        bi = (bi - 1) & mask;
        tab[bi].fp[lane] = fp;
        for (int k = 0; k < AM_NCLASS - 1; k++) {
            long q = lround(d[k] / scale);
            tab[bi].w[lane][k] = (int16_t)(q > 32767 ? 32767 : q < -32767 ? -32767 : q);
        }
    }
    pm_set(w, PM_SEC_ARC, tab, (size_t)nb * sizeof *tab);
    return 0;
}

/* Move runs covering at least half of the classes into dense rows and the
 * first LM_INLINE entries of the others into their slots. 0, or -1 on OOM. */
int pm_densify(pm_writer *w) {
    uint32_t *hdr = w->data[PM_SEC_LMHDR];
    lw_slot *slots = w->data[PM_SEC_SLOTS];
    const lm_entry *ents = w->data[PM_SEC_ENTS];
    if (!hdr || !slots || !ents || w->data[PM_SEC_DENSE]) return 0;
    uint32_t nclass = hdr[0], npad = (nclass + 7u) & ~7u;
    size_t ns = w->len[PM_SEC_SLOTS] / sizeof *slots, ndense = 0, nsparse = 0;
    for (size_t i = 0; i < ns; i++) {
        uint32_t n = slots[i].offn & 255u;
        if (!slots[i].fp) continue;
        if (n * 2 >= nclass) ndense++; else if (n > LM_INLINE) nsparse += n - LM_INLINE;
    }
    int16_t *dense = calloc(ndense * npad + 1, sizeof *dense);
    lm_entry *ne = malloc((nsparse + 1) * sizeof *ne);
    if (!dense || !ne) { free(dense); free(ne); return -1; }
    size_t d = 0, e = 0;
    for (size_t i = 0; i < ns; i++) {
        if (!slots[i].fp) continue;
        uint32_t off = slots[i].offn >> 8, n = slots[i].offn & 255u;
        if (n * 2 >= nclass) {
            for (uint32_t k = 0; k < n; k++) dense[d * npad + ents[off + k].cls] = ents[off + k].w;
            slots[i].offn = (uint32_t)d << 8;
            d++;
        } else {
            for (uint32_t k = 0; k < n && k < LM_INLINE; k++) slots[i].e[k] = ents[off + k];
            if (n > LM_INLINE) memcpy(ne + e, ents + off + LM_INLINE, (n - LM_INLINE) * sizeof *ne);
            slots[i].offn = (uint32_t)e << 8 | n;
            if (n > LM_INLINE) e += n - LM_INLINE;
        }
    }
    hdr[1] = (uint32_t)e;
    pm_set(w, PM_SEC_ENTS, ne, e * sizeof *ne);
    pm_set(w, PM_SEC_DENSE, dense, ndense * npad * sizeof *dense);
    return 0;
}

/* One malloc'ed file image of w (caller frees *out); the sections are freed. 0 or -1. */
int pm_image(pm_writer *w, void **out, size_t *outlen) {
    uint32_t nsect = 0;
    for (int i = 0; i < PM_SEC_MAX; i++) if (w->data[i]) nsect++;
    /* sections start on cache lines (64 bytes), so a 64-byte bucket is one line */
    size_t off = 16 + (size_t)nsect * 24;
    off = (off + 63) & ~(size_t)63;
    size_t total = off;
    for (int i = 0; i < PM_SEC_MAX; i++)
        if (w->data[i]) total += (w->len[i] + 63) & ~(size_t)63;
    unsigned char *img = aligned_alloc(64, total);
    if (img) memset(img, 0, total);
    if (!img) return -1;
    uint32_t h[4] = { PM_MAGIC, PM_VERSION, w->kind, nsect };
    memcpy(img, h, sizeof h);
    size_t dir = 16;
    for (int i = 0; i < PM_SEC_MAX; i++) {
        if (!w->data[i]) continue;
        uint32_t idp[2] = { (uint32_t)i, 0 };
        uint64_t ol[2] = { off, w->len[i] };
        memcpy(img + dir, idp, 8);
        memcpy(img + dir + 8, ol, 16);
        dir += 24;
        memcpy(img + off, w->data[i], w->len[i]);
        off += (w->len[i] + 63) & ~(size_t)63;
    }
    pm_writer_free(w);
    *out = img;
    *outlen = total;
    return 0;
}

/* ---------------------------------------------------------------- reading */
int pm_view_init(pm_view *v, const void *img, size_t len, char *err, size_t errlen) {
    memset(v, 0, sizeof *v);
    const unsigned char *p = img;
    uint32_t h[4];
    if (len < 16) goto bad;
    memcpy(h, p, sizeof h);
    if (h[0] != PM_MAGIC) goto bad;
    if (h[1] != PM_VERSION) {
        snprintf(err, errlen, "model version %u, expected %u", h[1], PM_VERSION);
        return SITREP_EFORMAT;
    }
    v->kind = h[2];
    if (h[3] > PM_SEC_MAX || 16 + (size_t)h[3] * 24 > len) goto bad;
    for (uint32_t i = 0; i < h[3]; i++) {
        uint32_t idp[2];
        uint64_t ol[2];
        memcpy(idp, p + 16 + i * 24, 8);
        memcpy(ol, p + 16 + i * 24 + 8, 16);
        if (idp[0] >= PM_SEC_MAX || ol[0] > len || ol[1] > len - ol[0] || (ol[0] & 15)) goto bad;
        v->sec[idp[0]] = p + ol[0];
        v->len[idp[0]] = (size_t)ol[1];
    }
    return 0;
bad:
    snprintf(err, errlen, "not a sitrep model file (bad magic or layout)");
    return SITREP_EFORMAT;
}

/* Slot table of section id inside a view (borrowed), with its mask; NULL if absent or unusable. */
const lm_slot *pm_view_table(const pm_view *v, int id, uint32_t *mask) {
    size_t n = v->len[id] / sizeof(lm_slot);
    *mask = 0;
    if (!v->sec[id] || n < 16 || (n & (n - 1))) return NULL;
    const lm_slot *t = v->sec[id];
    size_t i = 0;
    while (i < n && t[i].key) i++;      /* probing needs an empty slot to stop */
    if (i == n) return NULL;
    *mask = (uint32_t)(n - 1);
    return t;
}

/* Factor applied to the pruning threshold for a training set of ntoks words. */
double prune_scale(size_t ntoks) {
    return ntoks >= 100000 ? 1.0 : (double)ntoks / 100000.0;
}

/* Pruning threshold: the value of environment variable env if set, else dflt. */
double prune_threshold(const char *env, double dflt) {
    const char *s = getenv(env);
    return s && *s ? atof(s) : dflt;
}

/* Point m at the weight sections of v (borrowed). 0, or -1 when they are missing or malformed. */
int pm_view_lm(const pm_view *v, lm *m) {
    const uint32_t *hdr = v->sec[PM_SEC_LMHDR];
    if (!hdr || v->len[PM_SEC_LMHDR] < 16) return -1;
    m->nclass = hdr[0];
    if (m->nclass == 0 || m->nclass > PM_MAX_CLASSES) return -1;
    if (v->len[PM_SEC_ENTS] / sizeof(lm_entry) < hdr[1]) return -1;
    size_t ns = v->len[PM_SEC_SLOTS] / sizeof(lw_slot);
    if (!v->sec[PM_SEC_SLOTS] || ns < 16 || (ns & (ns - 1)) || ns > (1u << 31)) return -1;
    m->slots = v->sec[PM_SEC_SLOTS];
    m->mask = (uint32_t)(ns - 1);
    m->ents = v->sec[PM_SEC_ENTS];
    m->nents = hdr[1];
    m->npad = (m->nclass + 7u) & ~7u;
    m->dense = v->sec[PM_SEC_DENSE];
    m->ndense = m->dense ? (uint32_t)(v->len[PM_SEC_DENSE] / (m->npad * sizeof(int16_t))) : 0;
    return 0;
}

/* Point m at the inline transition table of v (borrowed). 0, or -1 when it is
 * missing or not a power of two buckets (probes are bounded, so a full table
 * is slow, never unsafe). */
int pm_view_am(const pm_view *v, am_model *m) {
    size_t nb = v->len[PM_SEC_ARC] / sizeof(am_bucket);
    memset(m, 0, sizeof *m);
    if (!v->sec[PM_SEC_ARC] || nb < 2 || (nb & (nb - 1)) || nb > (1u << 31)) return -1;
    m->b = v->sec[PM_SEC_ARC];
    m->mask = (uint32_t)(nb - 1);
    return 0;
}

/* ---------------------------------------------------------------- loading models */

struct parse_model {
    void *map[2];
    size_t maplen[2];
    tagger_model tg;
    parser_model ps;
    int has_parser;
};

static int map_file(const char *path, void **map, size_t *len, char *err, size_t errlen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return SITREP_EIO; }
    struct stat sb;
    if (fstat(fd, &sb) || sb.st_size < 16) {
        close(fd);
        snprintf(err, errlen, "%s: not a sitrep model file", path);
        return SITREP_EFORMAT;
    }
    void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return SITREP_EIO; }
    *map = p;
    *len = (size_t)sb.st_size;
    return 0;
}

/* Map DIR/tagger.bin and DIR/parser.bin (see parse.h). NULL + message in err on failure;
 * the caller owns the result (parse_model_free). */
parse_model *parse_model_load(const char *dir, char *err, size_t errlen) {
    parse_model *m = calloc(1, sizeof *m);
    char path[4096], e2[256];
    pm_view v;
    if (!m) { snprintf(err, errlen, "out of memory"); return NULL; }
    snprintf(path, sizeof path, "%s/tagger.bin", dir);
    if (map_file(path, &m->map[0], &m->maplen[0], err, errlen)) goto fail;
    if (pm_view_init(&v, m->map[0], m->maplen[0], e2, sizeof e2) || tagger_load(&m->tg, &v, e2, sizeof e2)) {
        snprintf(err, errlen, "%s: %s", path, e2);
        goto fail;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    m->tg.stamp = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    snprintf(path, sizeof path, "%s/parser.bin", dir);
    if (map_file(path, &m->map[1], &m->maplen[1], err, errlen)) goto fail;
    if (pm_view_init(&v, m->map[1], m->maplen[1], e2, sizeof e2) || parser_load(&m->ps, &v, e2, sizeof e2)) {
        snprintf(err, errlen, "%s: %s", path, e2);
        goto fail;
    }
    m->has_parser = 1;
    return m;
fail:
    parse_model_free(m);
    return NULL;
}

/* Unmap and free a model (accepts NULL). */
void parse_model_free(parse_model *m) {
    if (!m) return;
    for (int i = 0; i < 2; i++) if (m->map[i]) munmap(m->map[i], m->maplen[i]);
    free(m);
}

/* Tag n words into cls (and their parser tag values into th), then, when
 * parse is set, parse them into head and lab. cache: see tagger_tag. 0, or -1 on OOM. */
static int tag_parse(const parse_model *m, const tg_word *w, int n, uint16_t *cls, uint64_t *th,
                     int32_t *head, uint16_t *lab, int parse, tg_cache *cache) {
    size_t ps = parse ? parser_scratch_size(n) : 0, ts = TG_SCRATCH(n) * sizeof(uint64_t);
    void *scr = malloc(ps > ts ? ps : ts);
    if (!scr) return -1;
    tagger_tag(&m->tg, w, n, cls, scr, cache);
    if (parse) {
        for (int i = 0; i < n; i++) th[i] = m->tg.cls_hash[cls[i]];
        parser_parse(&m->ps, w, th, n, head, lab, scr);
    }
    free(scr);
    return 0;
}

/* parse_sentence, or (parse 0) tag_sentence. */
static int analyse(const parse_model *m, doc *d, uint32_t s, int parse) {
    if (!m || !d || s >= d->nsents) return 0;
    const sentence *se = &d->sents[s];
    if (!se->count || se->first >= d->ntoks || se->count > d->ntoks - se->first) return 0;
    int n = (int)se->count;
    token *tk = d->toks + se->first;
    tg_word *w = calloc((size_t)n, sizeof *w + sizeof(uint16_t) * 2 + sizeof(uint64_t) + sizeof(int32_t));
    if (!w) return -1;
    uint64_t *th = (uint64_t *)(w + n);
    int32_t *head = (int32_t *)(th + n);
    uint16_t *cls = (uint16_t *)(head + n), *lab = cls + n;
    for (int i = 0; i < n; i++) {
        w[i].norm = tk[i].norm ? tk[i].norm : "";
        w[i].norm_len = tk[i].norm ? tk[i].norm_len : 0;
        w[i].lower = tk[i].lower ? tk[i].lower : w[i].norm;
        w[i].lower_len = tk[i].lower ? tk[i].lower_len : w[i].norm_len;
    }
    /* the tagger's word cache lives with the doc (one thread), made on first use */
    if (d->tag_cache && !tg_cache_fits(d->tag_cache, &m->tg)) { free(d->tag_cache); d->tag_cache = NULL; }
    if (!d->tag_cache) d->tag_cache = tg_cache_new(&m->tg);
    if (tag_parse(m, w, n, cls, th, head, lab, parse, d->tag_cache)) { free(w); return -1; }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        token *t = &tk[i];
        t->upos = m->tg.cls_upos[cls[i]];
        memcpy(t->xpos, m->tg.cls_xpos[cls[i]], sizeof t->xpos);
        char buf[256];
        size_t bl = lemma_of(&m->tg, w[i].lower, w[i].lower_len, t->upos, t->xpos, buf, sizeof buf);
        if (bl == w[i].lower_len && !memcmp(buf, w[i].lower, bl)) {
            t->lemma = w[i].lower;
            t->lemma_len = w[i].lower_len;
        } else {
            char *l = arena_strndup(&d->a, buf, bl);
            if (!l) { rc = -1; break; }
            t->lemma = l;
            t->lemma_len = (uint32_t)bl;
        }
        if (!parse) continue;
        t->head = head[i] <= 0 ? -1 : (int32_t)(se->first + (uint32_t)head[i] - 1);
        t->deprel = lab[i] < m->ps.nlabel ? m->ps.label_dep[lab[i]] : DEP_DEP;
    }
    free(w);
    return rc;
}

/* Tag, lemmatise and parse sentence s of d in place (see parse.h). 0, or -1 on OOM. */
int parse_sentence(const parse_model *m, doc *d, uint32_t s) { return analyse(m, d, s, 1); }

/* Tag and lemmatise sentence s of d in place (see parse.h). 0, or -1 on OOM. */
int tag_sentence(const parse_model *m, doc *d, uint32_t s) { return analyse(m, d, s, 0); }

/* ---------------------------------------------------------------- public: training */
static int read_files(cu_corpus *c, const char *files, char *err, size_t errlen) {
    char *copy = strdup(files);
    if (!copy) { snprintf(err, errlen, "out of memory"); return SITREP_ENOMEM; }
    int rc = 0;
    for (char *save = NULL, *p = strtok_r(copy, ",", &save); p && !rc; p = strtok_r(NULL, ",", &save))
        if (*p) rc = cu_read(c, p, err, errlen);
    free(copy);
    return rc;
}

static int write_file(const char *dir, const char *name, const void *img, size_t len, char *err, size_t errlen) {
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *fp = fopen(tmp, "wb");
    if (!fp) { snprintf(err, errlen, "%s: %s", tmp, strerror(errno)); return SITREP_EIO; }
    size_t wr = fwrite(img, 1, len, fp);
    if (fclose(fp) || wr != len || rename(tmp, path)) {
        snprintf(err, errlen, "%s: write failed", path);
        remove(tmp);
        return SITREP_EIO;
    }
    return 0;
}

/* the sentences of c whose index % k != fold (keep = 1) or == fold (keep = 0) */
static int fold_subset(const cu_corpus *c, int k, int fold, int keep, cu_corpus *out) {
    cu_init(out);
    out->toks = malloc((c->ntoks + 1) * sizeof *out->toks);
    out->sents = malloc((c->nsents + 1) * sizeof *out->sents);
    if (!out->toks || !out->sents) return -1;
    for (size_t s = 0; s < c->nsents; s++) {
        if (((int)(s % (size_t)k) != fold) != keep) continue;
        out->sents[out->nsents].first = (uint32_t)out->ntoks;
        out->sents[out->nsents].n = c->sents[s].n;
        out->nsents++;
        memcpy(out->toks + out->ntoks, c->toks + c->sents[s].first, c->sents[s].n * sizeof *out->toks);
        out->ntoks += c->sents[s].n;
    }
    return 0;
}

static int tag_hashes(const void *img, size_t len, const cu_corpus *c, uint64_t *out) {
    pm_view v;
    tagger_model tm;
    char e[128];
    if (pm_view_init(&v, img, len, e, sizeof e) || tagger_load(&tm, &v, e, sizeof e)) return -1;
    uint16_t *cls = malloc((c->ntoks + 1) * sizeof *cls);
    if (!cls || tagger_tag_corpus(&tm, c, cls)) { free(cls); return -1; }
    for (size_t i = 0; i < c->ntoks; i++) out[i] = tm.cls_hash[cls[i]];
    free(cls);
    return 0;
}

static void gold_hashes(const cu_corpus *c, uint64_t *out) {
    for (size_t i = 0; i < c->ntoks; i++) {
        char nm[24];
        int l = snprintf(nm, sizeof nm, "%s\t%s", parse_upos_name(c->toks[i].upos), c->toks[i].xpos);
        out[i] = ph_str(nm, (size_t)(l < (int)sizeof nm ? l : (int)sizeof nm - 1));
    }
}

#define JACKKNIFE_FOLDS 4
#define TAGGER_ITERATIONS 8

/* jack-knifed tags for the parser's training data: each fold tagged by a
 * tagger trained on the other folds */
static int jackknife(const cu_corpus *c, uint64_t *tags, FILE *log, char *err, size_t errlen) {
    const int k = c->nsents >= 40 ? JACKKNIFE_FOLDS : 0;
    if (!k) { gold_hashes(c, tags); return 0; }
    for (int fold = 0; fold < k; fold++) {
        cu_corpus tr, ho;
        void *img = NULL;
        size_t len = 0;
        int rc = SITREP_ENOMEM;
        if (fold_subset(c, k, fold, 1, &tr) || fold_subset(c, k, fold, 0, &ho)) goto next;
        if (log) { fprintf(log, "jack-knife fold %d/%d: tagger on %zu sentences\n", fold + 1, k, tr.nsents); fflush(log); }
        if ((rc = tagger_train(&tr, NULL, TAGGER_ITERATIONS, NULL, &img, &len, err, errlen))) goto next;
        uint64_t *h = malloc((ho.ntoks + 1) * sizeof *h);
        rc = SITREP_ENOMEM;
        if (h && !tag_hashes(img, len, &ho, h)) {
            size_t t = 0;
            for (size_t s = 0; s < c->nsents; s++) {
                if ((int)(s % (size_t)k) != fold) continue;
                memcpy(tags + c->sents[s].first, h + t, c->sents[s].n * sizeof *h);
                t += c->sents[s].n;
            }
            rc = 0;
        }
        free(h);
    next:
        free(img);
        cu_free(&tr);
        cu_free(&ho);
        if (rc) { if (rc == SITREP_ENOMEM) snprintf(err, errlen, "out of memory (jack-knife)"); return rc; }
    }
    return 0;
}

/* Public: train the tagger or the parser (see sitrep.h); model files are written
 * atomically (temporary file + rename). */
int sitrep_train(const char *what, const char *train_files, const char *dev, const char *out,
                 int iterations, void *logp, char *err, size_t errlen) {
    FILE *log = logp;
    cu_corpus c, d;
    cu_init(&c);
    cu_init(&d);
    void *img = NULL;
    size_t len = 0;
    uint64_t *tags = NULL, *dtags = NULL;
    int rc;
    if (!what || !train_files || !out || (strcmp(what, "tagger") && strcmp(what, "parser"))) {
        snprintf(err, errlen, "train: expected 'tagger' or 'parser', --train and -o");
        return SITREP_EINVAL;
    }
    if ((rc = read_files(&c, train_files, err, errlen))) goto done;
    if (dev && *dev && (rc = cu_read(&d, dev, err, errlen))) goto done;
    if (!c.nsents) { snprintf(err, errlen, "%s: no sentences", train_files); rc = SITREP_EINVAL; goto done; }
    if (mkdir(out, 0777) && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", out, strerror(errno));
        rc = SITREP_EIO;
        goto done;
    }
    if (log) fprintf(log, "%s: %zu sentences, %zu tokens; dev %zu tokens\n", what, c.nsents, c.ntoks, d.ntoks);
    if (!strcmp(what, "tagger")) {
        if ((rc = tagger_train(&c, &d, iterations > 0 ? iterations : TAGGER_ITERATIONS, log, &img, &len, err, errlen)))
            goto done;
        rc = write_file(out, "tagger.bin", img, len, err, errlen);
        goto done;
    }
    tags = malloc((c.ntoks + 1) * sizeof *tags);
    dtags = malloc((d.ntoks + 1) * sizeof *dtags);
    rc = SITREP_ENOMEM;
    if (!tags || !dtags) { snprintf(err, errlen, "out of memory"); goto done; }
    if ((rc = jackknife(&c, tags, log, err, errlen))) goto done;
    /* dev tags from the tagger already in `out`, else gold */
    {
        char path[4096];
        snprintf(path, sizeof path, "%s/tagger.bin", out);
        void *map = NULL;
        size_t ml = 0;
        char e2[256];
        if (d.ntoks && !map_file(path, &map, &ml, e2, sizeof e2)) {
            if (tag_hashes(map, ml, &d, dtags)) gold_hashes(&d, dtags);
            munmap(map, ml);
        } else gold_hashes(&d, dtags);
    }
    if ((rc = parser_train(&c, tags, &d, dtags, iterations, log, &img, &len, err, errlen))) goto done;
    rc = write_file(out, "parser.bin", img, len, err, errlen);
done:
    free(img);
    free(tags);
    free(dtags);
    cu_free(&c);
    cu_free(&d);
    return rc;
}

/* ---------------------------------------------------------------- public: evaluation */
static int same_universal(const char *a, const char *b) {
    size_t la = strcspn(a, ":"), lb = strcspn(b, ":");
    return la == lb && !memcmp(a, b, la);
}

/* Public: score the models in models_dir on a CoNLL-U file (see sitrep.h). LAS compares
 * the universal part of labels (CoNLL 2018). On success err holds the sizes and
 * timings (model load, tag+parse words per second). */
int sitrep_eval_parse(const char *models_dir, const char *conllu, double *upos, double *uas,
                      double *las, char *err, size_t errlen) {
    cu_corpus c;
    cu_init(&c);
    parse_model *m = NULL;
    struct timespec t0, t1, t2, c1, c2;
    int rc = cu_read(&c, conllu, err, errlen);
    if (rc) goto done;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!(m = parse_model_load(models_dir ? models_dir : "models", err, errlen))) { rc = SITREP_EIO; goto done; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    size_t maxn = 1, okp = 0, oku = 0, okl = 0;
    for (size_t s = 0; s < c.nsents; s++) if (c.sents[s].n > maxn) maxn = c.sents[s].n;
    tg_word *w = malloc(maxn * sizeof *w);
    uint16_t *cls = malloc(maxn * sizeof *cls), *lab = malloc(maxn * sizeof *lab);
    uint64_t *th = malloc(maxn * sizeof *th);
    int32_t *head = malloc(maxn * sizeof *head);
    tg_cache *cache = tg_cache_new(&m->tg); /* as sitrep_code tags: one cache per thread */
    rc = SITREP_ENOMEM;
    if (w && cls && lab && th && head && cache) {
        rc = 0;
        for (size_t s = 0; s < c.nsents && !rc; s++) {
            const cu_sent *se = &c.sents[s];
            for (uint32_t i = 0; i < se->n; i++) {
                const cu_tok *t = &c.toks[se->first + i];
                w[i].norm = t->form; w[i].norm_len = t->form_len;
                w[i].lower = t->lower; w[i].lower_len = t->lower_len;
            }
            if (tag_parse(m, w, (int)se->n, cls, th, head, lab, 1, cache)) { rc = SITREP_ENOMEM; break; }
            for (uint32_t i = 0; i < se->n; i++) {
                const cu_tok *t = &c.toks[se->first + i];
                okp += m->tg.cls_upos[cls[i]] == t->upos;
                if (head[i] == t->head) {
                    oku++;
                    okl += same_universal(m->ps.label[lab[i]], t->deprel);
                }
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t2);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c2);
    if (rc == SITREP_ENOMEM) snprintf(err, errlen, "out of memory");
    double n = c.ntoks ? (double)c.ntoks : 1;
    if (!rc) { /* on success err carries the timings (a benchmark, not a test) */
        double load = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        double run = (double)(t2.tv_sec - t1.tv_sec) + 1e-9 * (double)(t2.tv_nsec - t1.tv_nsec);
        double cpu = (double)(c2.tv_sec - c1.tv_sec) + 1e-9 * (double)(c2.tv_nsec - c1.tv_nsec);
        snprintf(err, errlen, "%zu sentences, %zu tokens; model load %.1f ms; tag+parse %.3f s = %.0f tokens/s "
                 "(CPU time %.3f s = %.0f tokens/s)", c.nsents, c.ntoks, load * 1e3, run,
                 run > 0 ? (double)c.ntoks / run : 0, cpu, cpu > 0 ? (double)c.ntoks / cpu : 0);
    }
    *upos = 100.0 * (double)okp / n;
    *uas = 100.0 * (double)oku / n;
    *las = 100.0 * (double)okl / n;
    free(w); free(cls); free(lab); free(th); free(head); free(cache);
done:
    parse_model_free(m);
    cu_free(&c);
    return rc;
}
