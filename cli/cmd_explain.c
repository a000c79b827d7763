/* cmd_explain.c - `sitrep explain "sentence"` | `sitrep explain FILE`: how a
 * text was coded, with the kb lines that fired and the coder's decisions. */
#include "cmds.h"
#include "opts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_explain(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: sitrep explain [OPTIONS] \"SENTENCE\" | --file FILE\n"
                   "Show the tokens, tags and parse, the actor and verb matches with their kb file:line,\n"
                   "and why each event was or was not produced. Options as for 'sitrep code'; --date\n"
                   "sets the date of a sentence (default: today's roles are not assumed; 2024-01-01).\n");
            return 0;
        }
    cli_input in;
    if (cli_parse_input(argc, argv, &in, NULL, NULL)) { free(in.files); return 2; }
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
    return status;
}
