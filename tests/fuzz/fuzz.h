/* fuzz.h - shared by the fuzz targets (tests/fuzz/fuzz_*.c): the libFuzzer
 * entry point's prototype and small helpers to hand fuzz input to code that
 * reads files. Each target is built twice: with clang -fsanitize=fuzzer (make
 * fuzz, mk/fuzz.mk) and as a plain replay program with replay_main.c that
 * feeds every file of a corpus directory to LLVMFuzzerTestOneInput (make
 * test, tests/sh/fuzz_replay.sh). Helpers are static: one translation unit per
 * target. A broken invariant is reported with FUZZ_ASSERT, which traps (the
 * fuzzer records a crash; the replay program dies with SIGILL). */
#ifndef SITREP_FUZZ_H
#define SITREP_FUZZ_H
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do { if (!(c)) { \
    fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #c); \
    __builtin_trap(); } } while (0)

/* Write data[0..n) to path (created or truncated). 0, or -1 on failure. */
static inline int fuzz_write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = n == 0 || fwrite(data, 1, n, f) == n;
    if (fclose(f)) ok = 0;
    return ok ? 0 : -1;
}

/* The scratch directory of this process (see fuzz_tmpdir). */
static char fuzz_scratch[256];

static inline int fuzz_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static inline void fuzz_cleanup(void) {
    if (fuzz_scratch[0]) nftw(fuzz_scratch, fuzz_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A scratch directory for this process, created on first use under $TMPDIR
 * (or /tmp) and removed with its files at exit. The files in it are
 * overwritten by every input, so it stays small. Returns the path (also
 * copied into buf, the caller's static storage) or NULL. */
static inline const char *fuzz_tmpdir(char *buf, size_t cap) {
    if (buf[0]) return buf;
    if (!fuzz_scratch[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_scratch, sizeof fuzz_scratch, "%s/sitrep-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_scratch)) { fuzz_scratch[0] = 0; return NULL; }
        atexit(fuzz_cleanup);
    }
    snprintf(buf, cap, "%s", fuzz_scratch);
    return buf;
}

/* Split data at the first occurrence of byte `sep` (or not at all): the part
 * before goes to *a, after to *b. Used by targets that need two inputs. */
static inline void fuzz_split(const uint8_t *data, size_t size, uint8_t sep, const uint8_t **a, size_t *na,
                              const uint8_t **b, size_t *nb) {
    const uint8_t *p = size ? memchr(data, sep, size) : NULL;
    *a = data;
    *na = p ? (size_t)(p - data) : size;
    *b = p ? p + 1 : data + size;
    *nb = p ? size - *na - 1 : 0;
}
#endif

#ifdef SITREP_H
/* Code text[0..n) with ctx (when it loaded) and walk the events and their
 * JSON and TSV forms: the dictionary targets use it to exercise what the
 * loader compiled. */
static inline void fuzz_code_text(const sitrep_ctx *ctx, const uint8_t *text, size_t n) {
    if (!ctx || sitrep_ctx_status(ctx) != SITREP_OK || !n) return;
    sitrep_doc *d = sitrep_doc_new();
    if (!d) return;
    sitrep_article a;
    memset(&a, 0, sizeof a);
    a.id = "fuzz";
    a.id_len = 4;
    a.date = "2001-02-03";
    a.text = (const char *)text;
    a.text_len = n;
    if (sitrep_code(ctx, d, &a) == SITREP_OK) {
        sitrep_buf b = {0};
        for (size_t i = 0; i < sitrep_doc_nevents(d); i++) {
            const sitrep_event *e = sitrep_doc_event(d, i);
            FUZZ_ASSERT(e && e->cameo[0]);
            sitrep_event_json(d, i, &b);
            sitrep_event_tsv(d, i, &b);
        }
        sitrep_buf_free(&b);
    } else {
        FUZZ_ASSERT(sitrep_doc_errmsg(d)[0]);
    }
    sitrep_doc_free(d);
}
/* Load a context from o (models and gazetteer off), check that a failure
 * comes with a message, code text[0..n) with it, and free it: the body shared
 * by the dictionary targets. */
static inline void fuzz_load_and_code(sitrep_options *o, const uint8_t *text, size_t n) {
    o->models_dir = "";
    o->gazetteer = "";
    sitrep_ctx *c = sitrep_ctx_new(o);
    if (!c) return;
    if (sitrep_ctx_status(c) != SITREP_OK) FUZZ_ASSERT(sitrep_ctx_errmsg(c)[0]);
    fuzz_code_text(c, text, n);
    sitrep_ctx_free(c);
}

#endif
