/* opts.c - shared option parsing and help texts for the sitrep program. */
#include "opts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const HELP_INPUT =
    "  --input auto|text|jsonl   input format (auto: .jsonl/.ndjson and piped '{' are JSON Lines)\n"
    "  --date YYYY-MM-DD         date for text input without a 'date' header\n"
    "  --kb DIR                  our knowledge base (default: the installed one)\n"
    "  --models DIR              tagger/parser models ('' for none)\n"
    "  --gazetteer FILE          compiled gazetteer ('' for none)\n"
    "  --petrarch-verbs F --petrarch-actors F[,F...] --petrarch-agents F --petrarch-discards F\n"
    "                            code with PETRARCH-2 dictionaries instead of the kb\n"
    "  --tabari-project F        code with the dictionaries a TABARI .project file names\n";

int cli_help(const char *cmd) {
    if (!strcmp(cmd, "code")) {
        printf("usage: sitrep code [OPTIONS] [FILE...]\n"
               "Code articles into events (one JSON object per event). '-' or no FILE reads stdin.\n\n"
               "  --format jsonl|tsv        output format (default jsonl)\n"
               "  --negated                 keep negated events, flagged \"negated\": true\n"
               "  --jobs N                  code on N threads (output in input order)\n"
               "  --stats                   print throughput and time per stage to stderr\n%s",
               HELP_INPUT);
    } else if (!strcmp(cmd, "places")) {
        printf("usage: sitrep places [OPTIONS] [FILE...]\n"
               "Find and resolve place names: one JSON object per mention. A JSON Lines record with\n"
               "\"spans\": [[start, end], ...] has exactly those byte spans resolved.\n\n%s",
               HELP_INPUT);
    } else if (!strcmp(cmd, "segment")) {
        printf("usage: sitrep segment [OPTIONS] [FILE...]\n"
               "Print each article's sentences, one per line (white space collapsed).\n\n%s", HELP_INPUT);
    } else if (!strcmp(cmd, "kb")) {
        printf("usage: sitrep kb check [--kb DIR]\n"
               "Compile the knowledge base and report every problem as FILE:LINE: message.\n"
               "Exit status 0 when clean, 1 when problems were found.\n");
    } else {
        return 2;
    }
    return 0;
}

static int need(int argc, char **argv, int i) {
    if (i + 1 >= argc) {
        fprintf(stderr, "sitrep: option %s needs a value\n", argv[i]);
        return 0;
    }
    return 1;
}

int cli_parse_input(int argc, char **argv, cli_input *in, int (*extra)(int, char **, int, void *), void *u) {
    memset(in, 0, sizeof *in);
    in->format = "jsonl";
    in->files = (const char **)calloc((size_t)argc + 1, sizeof *in->files);
    if (!in->files) return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define VAL(field)                          \
    do {                                    \
        if (!need(argc, argv, i)) return 2; \
        field = argv[++i];                  \
    } while (0)
        if (!strcmp(a, "--input")) {
            const char *v;
            VAL(v);
            if (!strcmp(v, "auto")) in->input = SITREP_INPUT_AUTO;
            else if (!strcmp(v, "text")) in->input = SITREP_INPUT_TEXT;
            else if (!strcmp(v, "jsonl")) in->input = SITREP_INPUT_JSONL;
            else { fprintf(stderr, "sitrep: --input must be auto, text or jsonl\n"); return 2; }
        } else if (!strcmp(a, "--format")) VAL(in->format);
        else if (!strcmp(a, "--date")) VAL(in->date);
        else if (!strcmp(a, "--kb")) VAL(in->ctx.kb_dir);
        else if (!strcmp(a, "--models")) VAL(in->ctx.models_dir);
        else if (!strcmp(a, "--gazetteer")) VAL(in->ctx.gazetteer);
        else if (!strcmp(a, "--petrarch-verbs")) VAL(in->ctx.petrarch_verbs);
        else if (!strcmp(a, "--petrarch-actors")) VAL(in->ctx.petrarch_actors);
        else if (!strcmp(a, "--petrarch-agents")) VAL(in->ctx.petrarch_agents);
        else if (!strcmp(a, "--petrarch-discards")) VAL(in->ctx.petrarch_discards);
        else if (!strcmp(a, "--tabari-project")) VAL(in->ctx.tabari_project);
        else if (!strcmp(a, "--negated")) in->negated = in->ctx.include_negated = 1;
        else if (a[0] == '-' && a[1]) {
            int k = extra ? extra(argc, argv, i, u) : 0;
            if (k < 0) return 2;
            if (!k) { fprintf(stderr, "sitrep: unknown option %s (see --help)\n", a); return 2; }
            i += k - 1;
        } else {
            in->files[in->nfiles++] = a;
        }
#undef VAL
    }
    if (in->date) {
        size_t n = strlen(in->date);
        if (n != 10 || in->date[4] != '-' || in->date[7] != '-') {
            fprintf(stderr, "sitrep: --date must be YYYY-MM-DD\n");
            return 2;
        }
    }
    if (!in->nfiles) in->files[in->nfiles++] = "-";
    return 0;
}

sitrep_ctx *cli_open_ctx(const cli_input *in) {
    sitrep_ctx *c = sitrep_ctx_new(&in->ctx);
    if (!c) {
        fprintf(stderr, "sitrep: out of memory\n");
        return NULL;
    }
    if (sitrep_ctx_status(c)) {
        fprintf(stderr, "sitrep: %s\n", sitrep_ctx_errmsg(c));
        sitrep_ctx_free(c);
        return NULL;
    }
    /* dictionary quirks (duplicates and the like): the first few, and a count */
    const char *w = sitrep_ctx_warnings(c);
    if (*w) {
        int lines = 0, shown = 0;
        for (const char *p = w; *p; p++) lines += *p == '\n';
        const char *p = w;
        while (*p && shown < 5) {
            const char *nl = strchr(p, '\n');
            int n = nl ? (int)(nl - p) : (int)strlen(p);
            fprintf(stderr, "sitrep: warning: %.*s\n", n, p);
            shown++;
            p = nl ? nl + 1 : p + n;
        }
        if (lines > shown) fprintf(stderr, "sitrep: %d more warnings while loading dictionaries\n", lines - shown);
    }
    return c;
}
