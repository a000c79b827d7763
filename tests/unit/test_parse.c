/* test_parse.c - the tagger, lemmatiser and parser: the shipped models load and
 * parse a handful of simple sentences as expected; hostile input never crashes;
 * training on a tiny hand-written treebank converges; malformed CoNLL-U gives
 * a FILE:LINE error. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "doc.h"
#include "parse.h"
#include "parse_int.h"
#include "sitrep.h"

#define HOME SITREP_HOME_DEFAULT
#define FIX HOME "/tests/fixtures/parse/"

/* build a one-sentence doc from space-separated tokens (ASCII lower-casing) */
static void make_doc(doc *d, const char *text) {
    memset(d, 0, sizeof *d);
    arena_init(&d->a, 0);
    size_t len = strlen(text);
    d->text = arena_strndup(&d->a, text, len);
    d->len = len;
    d->toks = arena_alloc(&d->a, (len + 1) * sizeof *d->toks);
    d->sents = arena_alloc(&d->a, sizeof *d->sents);
    for (size_t i = 0; i < len;) {
        while (i < len && text[i] == ' ') i++;
        size_t j = i;
        while (j < len && text[j] != ' ') j++;
        if (j == i) break;
        token *t = &d->toks[d->ntoks++];
        t->start = (uint32_t)i;
        t->end = (uint32_t)j;
        t->norm = arena_strndup(&d->a, text + i, j - i);
        char *lo = arena_strndup(&d->a, text + i, j - i);
        for (char *p = lo; *p; p++) if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
        t->lower = t->lemma = lo;
        t->norm_len = t->lower_len = t->lemma_len = (uint32_t)(j - i);
        i = j;
    }
    d->sents[0].first = 0;
    d->sents[0].count = d->ntoks;
    d->nsents = 1;
}

/* free what make_doc and parse_sentence allocated */
static void free_doc(doc *d) {
    arena_free(&d->a);
    free(d->tag_cache); /* the tagger's word cache, made by parse_sentence */
    d->tag_cache = NULL;
}

/* index of the first token with norm w */
static int tok(const doc *d, const char *w) {
    for (uint32_t i = 0; i < d->ntoks; i++) if (!strcmp(d->toks[i].norm, w)) return (int)i;
    return -100;
}

#define DEP(d, dep, rel, headw) do { int i_ = tok(d, dep); CHECK(i_ >= 0); \
    if (i_ >= 0) { CHECK_STR(parse_deprel_name((d)->toks[i_].deprel), rel); \
    CHECK((d)->toks[i_].head == tok(d, headw)); } } while (0)

static void test_shipped(const parse_model *m) {
    doc d;
    make_doc(&d, "Israeli troops attacked the village .");
    CHECK(parse_sentence(m, &d, 0) == 0);
    DEP(&d, "troops", "nsubj", "attacked");
    DEP(&d, "village", "obj", "attacked");
    DEP(&d, "Israeli", "amod", "troops");
    CHECK(d.toks[tok(&d, "attacked")].head == -1);
    CHECK_STR(parse_deprel_name(d.toks[tok(&d, "attacked")].deprel), "root");
    CHECK_STR(parse_upos_name(d.toks[tok(&d, "attacked")].upos), "VERB");
    CHECK_STR(d.toks[tok(&d, "attacked")].xpos, "VBD");
    CHECK_STR(d.toks[tok(&d, "attacked")].lemma, "attack");
    free_doc(&d);

    make_doc(&d, "The soldiers stopped two cars and were searching houses .");
    CHECK(parse_sentence(m, &d, 0) == 0);
    CHECK_STR(d.toks[tok(&d, "soldiers")].lemma, "soldier");
    CHECK_STR(d.toks[tok(&d, "stopped")].lemma, "stop");
    CHECK_STR(d.toks[tok(&d, "cars")].lemma, "car");
    CHECK_STR(d.toks[tok(&d, "searching")].lemma, "search");
    CHECK_STR(d.toks[tok(&d, "were")].lemma, "be");
    CHECK_STR(d.toks[tok(&d, "houses")].lemma, "house");
    DEP(&d, "cars", "obj", "stopped");
    DEP(&d, "searching", "conj", "stopped");
    free_doc(&d);

    make_doc(&d, "The village was attacked by troops .");
    CHECK(parse_sentence(m, &d, 0) == 0);
    DEP(&d, "village", "nsubj:pass", "attacked");
    DEP(&d, "was", "aux:pass", "attacked");
    DEP(&d, "troops", "obl:agent", "attacked");
    CHECK_STR(d.toks[tok(&d, "was")].lemma, "be");
    free_doc(&d);

    make_doc(&d, "Rebels did n't attack the city .");
    CHECK(parse_sentence(m, &d, 0) == 0);
    DEP(&d, "Rebels", "nsubj", "attack");
    DEP(&d, "n't", "advmod", "attack");
    DEP(&d, "city", "obj", "attack");
    CHECK_STR(d.toks[tok(&d, "n't")].lemma, "not");
    free_doc(&d);

    make_doc(&d, "The minister said the army would withdraw from the city .");
    CHECK(parse_sentence(m, &d, 0) == 0);
    DEP(&d, "minister", "nsubj", "said");
    DEP(&d, "withdraw", "ccomp", "said");
    DEP(&d, "army", "nsubj", "withdraw");
    DEP(&d, "city", "obl", "withdraw");
    free_doc(&d);

    make_doc(&d, "Israel and Egypt signed an agreement and agreed to release prisoners .");
    CHECK(parse_sentence(m, &d, 0) == 0);
    DEP(&d, "Israel", "nsubj", "signed");
    DEP(&d, "Egypt", "conj", "Israel");
    DEP(&d, "agreement", "obj", "signed");
    DEP(&d, "agreed", "conj", "signed");
    DEP(&d, "release", "xcomp", "agreed");
    DEP(&d, "prisoners", "obj", "release");
    free_doc(&d);

    make_doc(&d, "Protesters gave the mayor a letter .");
    CHECK(parse_sentence(m, &d, 0) == 0);
    DEP(&d, "mayor", "iobj", "gave");
    DEP(&d, "letter", "obj", "gave");
    free_doc(&d);
}

/* any bytes, one token, SITREP_MAX_SENTENCE_TOKENS tokens: no crash, heads in range */
static void test_hostile(const parse_model *m) {
    doc d;
    char *buf = malloc(SITREP_MAX_SENTENCE_TOKENS * 8 + 1);
    unsigned seed = 12345;
    size_t o = 0;
    for (unsigned i = 0; i < SITREP_MAX_SENTENCE_TOKENS; i++) {
        int len = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 6;
        for (int k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            char c = (char)(1 + (seed >> 16) % 255);
            buf[o++] = c == ' ' ? 'x' : c;
        }
        buf[o++] = ' ';
    }
    buf[o] = 0;
    make_doc(&d, buf);
    CHECK(d.ntoks == SITREP_MAX_SENTENCE_TOKENS);
    CHECK(parse_sentence(m, &d, 0) == 0);
    int roots = 0, bad = 0;
    for (uint32_t i = 0; i < d.ntoks; i++) {
        if (d.toks[i].head == -1) roots++;
        else if (d.toks[i].head < 0 || (uint32_t)d.toks[i].head >= d.ntoks || d.toks[i].head == (int)i) bad++;
        if (!d.toks[i].upos || !d.toks[i].lemma) bad++;
    }
    CHECK(roots == 1);
    CHECK(bad == 0);
    free_doc(&d);
    free(buf);

    make_doc(&d, "Hello");
    CHECK(parse_sentence(m, &d, 0) == 0);
    CHECK(d.toks[0].head == -1);
    CHECK(d.toks[0].deprel == DEP_ROOT);
    d.toks[0].norm = NULL; /* tolerated */
    d.toks[0].lower = NULL;
    CHECK(parse_sentence(m, &d, 0) == 0);
    CHECK(parse_sentence(m, &d, 5) == 0); /* no such sentence: nothing to do */
    free_doc(&d);
}

/* two threads share one model: each parses the same sentence many times and
 * must get the single-threaded result every time */
typedef struct thr_arg { const parse_model *m; int32_t heads[16]; int bad; } thr_arg;
static const char *thr_text = "The village was attacked by troops and the army said it would respond .";

static void *thr_run(void *p) {
    thr_arg *a = p;
    for (int r = 0; r < 200; r++) {
        doc d;
        make_doc(&d, thr_text);
        if (parse_sentence(a->m, &d, 0)) a->bad++;
        for (uint32_t i = 0; i < d.ntoks && i < 16; i++) if (d.toks[i].head != a->heads[i]) a->bad++;
        free_doc(&d);
    }
    return NULL;
}

/* The tagger keeps the scores of recent words in the doc's cache: a doc
 * whose cache is warm from other sentences (words seen before, slots taken
 * by other words) tags and parses like a fresh one, and a cache made for one
 * loaded model is not used with another. */
static void test_cache(const parse_model *m) {
    static const char *const S[] = {
        "The village was attacked by troops and the army said it would respond .",
        "Police arrested hundreds of protesters in the capital on Friday .",
        "She said the talks , which began in March , had stalled over the release of prisoners .",
        "Rebels fired rockets at the airport while ministers met to discuss the ceasefire .",
    };
    enum { NS = sizeof S / sizeof S[0] };
    int32_t head[NS][40];
    uint8_t upos[NS][40];
    for (int k = 0; k < NS; k++) { /* each with a fresh cache */
        doc d;
        make_doc(&d, S[k]);
        CHECK(parse_sentence(m, &d, 0) == 0);
        CHECK(d.tag_cache != NULL);
        for (uint32_t i = 0; i < d.ntoks && i < 40; i++) { head[k][i] = d.toks[i].head; upos[k][i] = d.toks[i].upos; }
        free_doc(&d);
    }
    void *cache = NULL; /* one cache carried from doc to doc, as sitrep_doc keeps it */
    int bad = 0;
    for (int r = 0; r < 3; r++)
        for (int k = NS - 1; k >= 0; k--) {
            doc d;
            make_doc(&d, S[k]);
            d.tag_cache = cache;
            CHECK(parse_sentence(m, &d, 0) == 0);
            cache = d.tag_cache;
            for (uint32_t i = 0; i < d.ntoks && i < 40; i++)
                bad += d.toks[i].head != head[k][i] || d.toks[i].upos != upos[k][i];
            arena_free(&d.a);
        }
    CHECK(bad == 0);
    /* the same models loaded again: the old cache is replaced, not trusted */
    char err[512];
    parse_model *m2 = parse_model_load(HOME "/models", err, sizeof err);
    CHECK(m2 != NULL);
    if (m2) {
        doc d;
        make_doc(&d, S[0]);
        d.tag_cache = cache;
        CHECK(parse_sentence(m2, &d, 0) == 0);
        for (uint32_t i = 0; i < d.ntoks && i < 40; i++) bad += d.toks[i].head != head[0][i];
        CHECK(bad == 0);
        free_doc(&d);
        cache = NULL; /* parse_sentence freed it when it made one for m2 */
        parse_model_free(m2);
    }
    free(cache);
    /* a cache fits the tagger it was made for, as loaded then: not one
     * loaded later at the same address, nor one with other classes */
    tagger_model t1;
    memset(&t1, 0, sizeof t1);
    t1.nclass = 3;
    t1.stamp = 1;
    tg_cache *c = tg_cache_new(&t1);
    CHECK(c != NULL);
    CHECK(tg_cache_fits(c, &t1));
    t1.stamp = 2;
    CHECK(!tg_cache_fits(c, &t1));
    t1.stamp = 1;
    t1.nclass = 4;
    CHECK(!tg_cache_fits(c, &t1));
    CHECK(!tg_cache_fits(NULL, &t1));
    free(c);
}

static void test_threads(const parse_model *m) {
    doc d;
    make_doc(&d, thr_text);
    CHECK(parse_sentence(m, &d, 0) == 0);
    thr_arg a[2];
    for (int t = 0; t < 2; t++) {
        a[t].m = m;
        a[t].bad = 0;
        for (uint32_t i = 0; i < 16; i++) a[t].heads[i] = i < d.ntoks ? d.toks[i].head : 0;
    }
    free_doc(&d);
    pthread_t th[2];
    for (int t = 0; t < 2; t++) CHECK(pthread_create(&th[t], NULL, thr_run, &a[t]) == 0);
    for (int t = 0; t < 2; t++) pthread_join(th[t], NULL);
    CHECK(a[0].bad == 0 && a[1].bad == 0);
}

static void test_train_tiny(void) {
    char dir[] = "/tmp/sitrep-test-parse-XXXXXX", err[512] = "";
    CHECK(mkdtemp(dir) != NULL);
    CHECK(sitrep_train("tagger", FIX "tiny.conllu", FIX "tiny.conllu", dir, 10, NULL, err, sizeof err) == 0);
    CHECK(sitrep_train("parser", FIX "tiny.conllu", FIX "tiny.conllu", dir, 15, NULL, err, sizeof err) == 0);
    double upos = 0, uas = 0, las = 0;
    CHECK(sitrep_eval_parse(dir, FIX "tiny.conllu", &upos, &uas, &las, err, sizeof err) == 0);
    printf("tiny treebank after training: upos %.1f uas %.1f las %.1f\n", upos, uas, las);
    CHECK(upos >= 99.0);
    CHECK(uas >= 95.0);
    CHECK(las >= 90.0);
    char p[600];
    snprintf(p, sizeof p, "%s/tagger.bin", dir); remove(p);
    snprintf(p, sizeof p, "%s/parser.bin", dir); remove(p);
    rmdir(dir);
}

/* corrupt model files are rejected or parse without crashing */
static int copy_corrupt(const char *from, const char *to, unsigned seed, int trunc) {
    FILE *f = fopen(from, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len);
    if (!b || fread(b, 1, (size_t)len, f) != (size_t)len) { fclose(f); free(b); return -1; }
    fclose(f);
    for (int k = 0; k < 200; k++) {
        seed = seed * 1103515245u + 12345u;
        size_t at = k < 20 && trunc ? (seed >> 8) % 256 : ((size_t)seed * 2654435761u) % (size_t)len;
        b[at] = (unsigned char)(seed >> 16);
    }
    f = fopen(to, "wb");
    if (!f) { free(b); return -1; }
    fwrite(b, 1, trunc ? (size_t)len / 2 : (size_t)len, f);
    fclose(f);
    free(b);
    return 0;
}

static void test_corrupt(void) {
    char dir[] = "/tmp/sitrep-test-corrupt-XXXXXX", t[600], p[600], err[512];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(t, sizeof t, "%s/tagger.bin", dir);
    snprintf(p, sizeof p, "%s/parser.bin", dir);
    int loaded = 0;
    for (unsigned seed = 1; seed <= 4; seed++) {
        CHECK(copy_corrupt(HOME "/models/tagger.bin", t, seed, seed == 4) == 0);
        CHECK(copy_corrupt(HOME "/models/parser.bin", p, seed * 7, seed == 3) == 0);
        parse_model *m = parse_model_load(dir, err, sizeof err);
        if (!m) printf("corrupt models %u rejected: %s\n", seed, err);
        if (m) {
            doc d;
            loaded++;
            make_doc(&d, "The village was attacked by troops on Monday .");
            CHECK(parse_sentence(m, &d, 0) == 0);
            for (uint32_t i = 0; i < d.ntoks; i++)
                CHECK(d.toks[i].head >= -1 && d.toks[i].head < (int)d.ntoks && d.toks[i].deprel < DEP_COUNT);
            free_doc(&d);
        }
        parse_model_free(m);
    }
    CHECK(loaded >= 1); /* bodies damaged but loadable: parsed without crashing */
    remove(t);
    remove(p);
    rmdir(dir);
}

static void test_errors(void) {
    char err[512] = "";
    CHECK(sitrep_train("tagger", FIX "bad.conllu", NULL, "/tmp", 1, NULL, err, sizeof err) == SITREP_EFORMAT);
    CHECK(strstr(err, "bad.conllu:8:") != NULL);
    printf("malformed CoNLL-U: %s\n", err);
    CHECK(sitrep_train("tagger", FIX "no-such.conllu", NULL, "/tmp", 1, NULL, err, sizeof err) == SITREP_EIO);
    CHECK(sitrep_train("lexer", FIX "tiny.conllu", NULL, "/tmp", 1, NULL, err, sizeof err) == SITREP_EINVAL);
    CHECK(parse_model_load(FIX, err, sizeof err) == NULL); /* no model files there */
    CHECK(parse_model_load(FIX "tiny.conllu", err, sizeof err) == NULL);
    parse_model_free(NULL);
}

int main(void) {
    char err[512] = "";
    parse_model *m = parse_model_load(HOME "/models", err, sizeof err);
    if (!m) fprintf(stderr, "models: %s\n", err);
    CHECK(m != NULL);
    if (m) {
        test_shipped(m);
        test_hostile(m);
        test_cache(m);
        test_threads(m);
    }
    parse_model_free(m);
    CHECK_STR(parse_upos_name(UPOS_PROPN), "PROPN");
    CHECK_STR(parse_deprel_name(DEP_NSUBJ_PASS), "nsubj:pass");
    test_train_tiny();
    test_errors();
    test_corrupt();
    return CHECK_DONE();
}
