/* cmd_code.c - `sitrep code` and `sitrep places`: read articles, write
 * events or places. Bad records are named on stderr (FILE:LINE: reason) and
 * the rest is still processed; exit status 1 then. */
#include "cmds.h"
#include "opts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RUN_CODE, RUN_PLACES, RUN_SEGMENT };

static int run(int argc, char **argv, int places) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return cli_help(places == RUN_SEGMENT ? "segment" : places ? "places" : "code");
    cli_input in;
    if (cli_parse_input(argc, argv, &in, NULL, NULL)) { free(in.files); return 2; }
    int tsv = !strcmp(in.format, "tsv");
    if (!tsv && strcmp(in.format, "jsonl")) {
        fprintf(stderr, "sitrep: --format must be jsonl or tsv\n");
        free(in.files);
        return 2;
    }
    sitrep_ctx *c = cli_open_ctx(&in);
    if (!c) { free(in.files); return 2; }
    sitrep_doc *d = sitrep_doc_new();
    sitrep_buf out = {0};
    int status = 0;
    if (tsv && !places) sitrep_tsv_header(&out);
    for (int f = 0; f < in.nfiles && d; f++) {
        sitrep_reader *r = sitrep_reader_open(in.files[f], in.input, in.date);
        if (!r) { status = 1; break; }
        sitrep_article a;
        int rc;
        while ((rc = sitrep_reader_next(r, &a)) != 0) {
            if (rc < 0) {
                fprintf(stderr, "%s\n", sitrep_reader_errmsg(r));
                status = 1;
                if (rc == SITREP_EIO) break;
                continue;
            }
            int crc = places == RUN_SEGMENT ? sitrep_segment(c, d, &a)
                      : places ? sitrep_places(c, d, &a) : sitrep_code(c, d, &a);
            if (crc) {
                fprintf(stderr, "%s:%ld: %s\n", a.file, a.line, sitrep_doc_errmsg(d));
                status = 1;
                continue;
            }
            if (places == RUN_SEGMENT) {
                /* one sentence per line, white space collapsed */
                size_t tl;
                const char *text = sitrep_doc_text(d, &tl);
                for (size_t s = 0; s < sitrep_doc_nsentences(d); s++) {
                    uint32_t st, en;
                    sitrep_doc_sentence(d, s, &st, &en);
                    int sp = 0;
                    for (uint32_t k = st; k < en; k++) {
                        char ch = text[k];
                        if (ch == '\n' || ch == '\t' || ch == '\r' || ch == ' ') { sp = 1; continue; }
                        if (sp) fputc(' ', stdout);
                        sp = 0;
                        fputc(ch, stdout);
                    }
                    fputc('\n', stdout);
                }
                continue;
            }
            size_t n = places ? sitrep_doc_nplaces(d) : sitrep_doc_nevents(d);
            for (size_t i = 0; i < n; i++) {
                if (places) sitrep_place_json(d, i, &out);
                else if (tsv) sitrep_event_tsv(d, i, &out);
                else sitrep_event_json(d, i, &out);
            }
            if (out.len > (1u << 16)) {
                fwrite(out.data, 1, out.len, stdout);
                out.len = 0;
            }
        }
        sitrep_reader_free(r);
    }
    if (out.len) fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    sitrep_buf_free(&out);
    sitrep_doc_free(d);
    sitrep_ctx_free(c);
    free(in.files);
    return status;
}

int cmd_code(int argc, char **argv) { return run(argc, argv, RUN_CODE); }
int cmd_places(int argc, char **argv) { return run(argc, argv, RUN_PLACES); }
int cmd_segment(int argc, char **argv) { return run(argc, argv, RUN_SEGMENT); }

int cmd_kb(int argc, char **argv) {
    const char *dir = NULL;
    int check = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return cli_help("kb");
        if (!strcmp(argv[i], "check")) check = 1;
        else if (!strcmp(argv[i], "--kb") && i + 1 < argc) dir = argv[++i];
        else { fprintf(stderr, "sitrep kb: unknown argument %s\n", argv[i]); return 2; }
    }
    if (!check) { cli_help("kb"); return 2; }
    sitrep_buf out = {0};
    int n = sitrep_kb_check(dir, &out);
    if (out.len) fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    sitrep_buf_free(&out);
    if (n < 0) { fprintf(stderr, "sitrep kb check: failed\n"); return 2; }
    if (n) { fprintf(stderr, "sitrep kb check: %d problem%s\n", n, n == 1 ? "" : "s"); return 1; }
    printf("kb check: clean\n");
    return 0;
}
