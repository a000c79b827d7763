/* cmd_explain.c - `sitrep explain "sentence"` | `sitrep explain FILE`: how a
 * text was coded, with the kb lines that fired and the coder's decisions. */
#include "cmds.h"
#include "opts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct explain_opts {
    const char *db, *article;
} explain_opts;

static int extra(int argc, char **argv, int i, void *u) {
    explain_opts *x = u;
    if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--article")) {
        if (i + 1 >= argc) { fprintf(stderr, "sitrep explain: %s needs a value\n", argv[i]); return -1; }
        if (!strcmp(argv[i], "--db")) x->db = argv[i + 1];
        else x->article = argv[i + 1];
        return 2;
    }
    return 0;
}

/* Write the stored article as a one-line JSON file; returns its path (static) or NULL. */
static const char *article_file(const char *db, const char *id) {
    static char path[] = "/tmp/sitrep-explain-XXXXXX";
    sitrep_store *st = sitrep_store_open(db, 1);
    if (!st || sitrep_store_status(st)) {
        fprintf(stderr, "sitrep explain: %s: %s\n", db, st ? sitrep_store_errmsg(st) : "out of memory");
        sitrep_store_close(st);
        return NULL;
    }
    sitrep_buf b = {0};
    int rc = sitrep_store_article_json(st, id, &b);
    if (rc != 1 || !b.len) {
        fprintf(stderr, "sitrep explain: %s: no article %s\n", db, id);
        sitrep_store_close(st);
        sitrep_buf_free(&b);
        return NULL;
    }
    sitrep_store_close(st);
    int fd = mkstemp(path);
    if (fd < 0) { sitrep_buf_free(&b); return NULL; }
    FILE *f = fdopen(fd, "w");
    fwrite(b.data, 1, b.len, f);
    if (b.data[b.len - 1] != '\n') fputc('\n', f);
    fclose(f);
    sitrep_buf_free(&b);
    return path;
}

int cmd_explain(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: sitrep explain [OPTIONS] \"SENTENCE\" | FILE | --db DB --article ID\n"
                   "Show the tokens, tags and parse, the actor and verb matches with their kb file:line,\n"
                   "and why each event was or was not produced. Options as for 'sitrep code'; --date\n"
                   "sets the date of a sentence (default: today's roles are not assumed; 2024-01-01).\n");
            return 0;
        }
    cli_input in;
    explain_opts xo = {NULL, NULL};
    if (cli_parse_input(argc, argv, &in, extra, &xo)) { free(in.files); return 2; }
    const char *tmp = NULL;
    if (xo.article) {
        if (!xo.db) { fprintf(stderr, "sitrep explain: --article needs --db\n"); free(in.files); return 2; }
        tmp = article_file(xo.db, xo.article);
        if (!tmp) { free(in.files); return 1; }
        in.files[0] = tmp;
        in.nfiles = 1;
        in.input = SITREP_INPUT_JSONL;
    }
    sitrep_ctx *c = cli_open_ctx(&in);
    if (!c) { free(in.files); return 2; }
    sitrep_doc *d = sitrep_doc_new();
    sitrep_buf out = {0};
    int status = 0;
    for (int f = 0; f < in.nfiles && d; f++) {
        const char *arg = in.files[f];
        FILE *probe = strcmp(arg, "-") ? fopen(arg, "rb") : NULL;
        if (probe || !strcmp(arg, "-")) {
            if (probe) fclose(probe);
            sitrep_reader *r = sitrep_reader_open(arg, in.input, in.date ? in.date : "2024-01-01");
            sitrep_article a;
            int rc;
            while (r && (rc = sitrep_reader_next(r, &a)) != 0) {
                if (rc < 0) { fprintf(stderr, "%s\n", sitrep_reader_errmsg(r)); status = 1; continue; }
                if (sitrep_explain(c, d, &a, &out)) { fprintf(stderr, "%s\n", sitrep_doc_errmsg(d)); status = 1; }
            }
            sitrep_reader_free(r);
        } else {
            /* the argument is the text itself */
            sitrep_article a;
            memset(&a, 0, sizeof a);
            a.id = "explain";
            a.id_len = 7;
            a.date = in.date ? in.date : "2024-01-01";
            a.text = arg;
            a.text_len = strlen(arg);
            if (sitrep_explain(c, d, &a, &out)) { fprintf(stderr, "%s\n", sitrep_doc_errmsg(d)); status = 1; }
        }
        if (out.len) fwrite(out.data, 1, out.len, stdout);
        out.len = 0;
    }
    sitrep_buf_free(&out);
    sitrep_doc_free(d);
    sitrep_ctx_free(c);
    free(in.files);
    if (tmp) unlink(tmp);
    return status;
}
