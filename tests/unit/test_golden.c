/* test_golden.c - the golden cases of tests/golden/ through the library
 * (tests/sh/golden.sh runs the same cases through the CLI). */
#include "check.h"
#include "sitrep.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN SITREP_HOME_DEFAULT "/tests/golden"

typedef struct want { char src[32], tgt[32], code[8]; int used; } want;

static int code_ok(const char *w, const char *g) {
    size_t n = strlen(w);
    if (n && w[n - 1] == 'x') return strncmp(w, g, n - 1) == 0;
    return strcmp(w, g) == 0;
}

static void coding_case(sitrep_ctx *c, sitrep_doc *d, const char *txt) {
    char path[1024], line[256];
    snprintf(path, sizeof path, "%.*s.events", (int)(strlen(txt) - 4), txt);
    want w[64];
    int nw = 0;
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return;
    while (nw < 64 && fgets(line, sizeof line, f))
        if (sscanf(line, "%31s %31s %7s", w[nw].src, w[nw].tgt, w[nw].code) == 3) w[nw++].used = 0;
    fclose(f);
    sitrep_reader *r = sitrep_reader_open(txt, SITREP_INPUT_TEXT, NULL);
    sitrep_article a;
    CHECK(sitrep_reader_next(r, &a) == 1);
    CHECK(sitrep_code(c, d, &a) == SITREP_OK);
    size_t n = sitrep_doc_nevents(d);
    int bad = (int)n != nw;
    for (size_t i = 0; i < n; i++) {
        const sitrep_event *e = sitrep_doc_event(d, i);
        const char *s = *e->source.code ? e->source.code : "-", *t = *e->target.code ? e->target.code : "-";
        int hit = 0;
        for (int j = 0; j < nw && !hit; j++)
            if (!w[j].used && !strcmp(w[j].src, s) && !strcmp(w[j].tgt, t) && code_ok(w[j].code, e->cameo))
                w[j].used = hit = 1;
        if (!hit) { bad = 1; fprintf(stderr, "  %s: unexpected %s %s %s\n", txt, s, t, e->cameo); }
    }
    for (int j = 0; j < nw; j++)
        if (!w[j].used) { bad = 1; fprintf(stderr, "  %s: missing %s %s %s\n", txt, w[j].src, w[j].tgt, w[j].code); }
    CHECK(!bad);
    sitrep_reader_free(r);
}

static int ends(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a > b && !strcmp(s + a - b, suf);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    sitrep_ctx *c = sitrep_ctx_new(NULL);
    CHECK(c && sitrep_ctx_status(c) == SITREP_OK);
    if (!c || sitrep_ctx_status(c)) { fprintf(stderr, "%s\n", sitrep_ctx_errmsg(c)); return 1; }
    sitrep_doc *d = sitrep_doc_new();
    DIR *dir = opendir(GOLDEN "/coding");
    CHECK(dir != NULL);
    char *names[256];
    int n = 0;
    struct dirent *e;
    while (dir && (e = readdir(dir)) && n < 256)
        if (ends(e->d_name, ".txt")) names[n++] = strdup(e->d_name);
    if (dir) closedir(dir);
    qsort(names, (size_t)n, sizeof *names, cmp);
    for (int i = 0; i < n; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/coding/%s", GOLDEN, names[i]);
        coding_case(c, d, p);
        free(names[i]);
    }
    CHECK(n >= 5);
    sitrep_doc_free(d);
    sitrep_ctx_free(c);
    return CHECK_DONE();
}
