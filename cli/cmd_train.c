/* cmd_train.c - `sitrep train` (tagger / parser from CoNLL-U treebanks) and
 * `sitrep eval-parse` (UPOS accuracy, UAS, LAS on a CoNLL-U file with gold
 * tokenisation). Argument handling only; the work is in libsitrep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmds.h"
#include "sitrep.h"

static void train_usage(void) {
    fprintf(stderr, "usage: sitrep train tagger|parser --train A.conllu[,B.conllu...] [--dev D.conllu]\n"
                    "                    -o DIR [--iterations N]\n"
                    "  writes DIR/tagger.bin or DIR/parser.bin; train the tagger first (the parser\n"
                    "  is evaluated on the dev set with the tagger found in DIR)\n");
}

/* sitrep train tagger|parser ...: returns 0 ok, 1 failure, 2 bad usage */
int cmd_train(int argc, char **argv) {
    const char *what = NULL, *train = NULL, *dev = NULL, *out = NULL;
    int iterations = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "--train") || !strcmp(a, "--dev") || !strcmp(a, "-o") || !strcmp(a, "--out") ||
             !strcmp(a, "--iterations")) && i + 1 >= argc) {
            fprintf(stderr, "sitrep train: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--train")) train = argv[++i];
        else if (!strcmp(a, "--dev")) dev = argv[++i];
        else if (!strcmp(a, "-o") || !strcmp(a, "--out")) out = argv[++i];
        else if (!strcmp(a, "--iterations")) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v <= 0 || v > 1000) { fprintf(stderr, "sitrep train: bad --iterations\n"); return 2; }
            iterations = (int)v;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { train_usage(); return 0; }
        else if (!what && a[0] != '-') what = a;
        else { fprintf(stderr, "sitrep train: unknown argument '%s'\n", a); train_usage(); return 2; }
    }
    if (!what || (strcmp(what, "tagger") && strcmp(what, "parser")) || !train || !out) {
        train_usage();
        return 2;
    }
    char err[1024] = "";
    int rc = sitrep_train(what, train, dev, out, iterations, stderr, err, sizeof err);
    if (rc) { fprintf(stderr, "sitrep train: %s\n", err); return 1; }
    fprintf(stderr, "sitrep train: wrote %s/%s.bin\n", out, what);
    return 0;
}

/* sitrep eval-parse --conllu FILE [--models DIR]: prints "upos X uas Y las Z" */
int cmd_eval_parse(int argc, char **argv) {
    const char *conllu = NULL, *models = NULL;
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "--conllu") || !strcmp(argv[i], "--models")) && i + 1 >= argc) {
            fprintf(stderr, "sitrep eval-parse: %s needs a value\n", argv[i]);
            return 2;
        }
        if (!strcmp(argv[i], "--conllu")) conllu = argv[++i];
        else if (!strcmp(argv[i], "--models")) models = argv[++i];
        else if (!conllu && argv[i][0] != '-') conllu = argv[i];
        else {
            fprintf(stderr, "usage: sitrep eval-parse --conllu FILE [--models DIR]\n");
            return 2;
        }
    }
    if (!conllu) { fprintf(stderr, "usage: sitrep eval-parse --conllu FILE [--models DIR]\n"); return 2; }
    char dir[4096];
    if (!models) {
        snprintf(dir, sizeof dir, "%s/models", sitrep_default_home());
        models = dir;
    }
    double upos = 0, uas = 0, las = 0;
    char err[1024] = "";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = sitrep_eval_parse(models, conllu, &upos, &uas, &las, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc) { fprintf(stderr, "sitrep eval-parse: %s\n", err); return 1; }
    fprintf(stderr, "eval-parse: %s with models %s: %s (%.2f s in all)\n", conllu, models, err,
            (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    fflush(stderr);
    printf("upos %.2f uas %.2f las %.2f\n", upos, uas, las);
    return 0;
}
