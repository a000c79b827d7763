/* main.c - the sitrep program: dispatches to the subcommands. Uses only the
 * public header (include/sitrep.h) and the subcommand table. */
#include "cmds.h"
#include "sitrep.h"
#include <stdio.h>
#include <string.h>

/* Subcommands that live in optional parts of the build are weak: a build
 * without them says so instead of failing to link. */
#pragma weak cmd_ingest
#pragma weak cmd_query
#pragma weak cmd_timeline
#pragma weak cmd_explain
#pragma weak cmd_serve
#pragma weak cmd_report
#pragma weak cmd_train
#pragma weak cmd_eval_parse
#pragma weak cmd_summary

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} command;

static void usage(FILE *f, const command *cmds) {
    fprintf(f, "usage: sitrep COMMAND [OPTIONS] [ARGS]\n\n"
               "sitrep turns dated news articles into political events: who did what to whom,\n"
               "when and where (CAMEO and PLOVER codes, Goldstein scores, places).\n\ncommands:\n");
    for (const command *c = cmds; c->name; c++)
        if (c->fn) fprintf(f, "  %-11s %s\n", c->name, c->help);
    fprintf(f, "\n'sitrep COMMAND --help' describes a command; 'sitrep --version' prints the version.\n");
}

int main(int argc, char **argv) {
    const command cmds[] = {
        {"code", cmd_code, "code articles into events (JSON Lines or TSV)"},
        {"places", cmd_places, "find and resolve place names"},
        {"segment", cmd_segment, "print the sentences of articles, one per line"},
        {"ingest", cmd_ingest, "code articles into an SQLite event store"},
        {"summary", cmd_summary, "summarise a store: articles, sentences, events by type"},
        {"query", cmd_query, "select events from a store"},
        {"timeline", cmd_timeline, "event counts and Goldstein means over time"},
        {"explain", cmd_explain, "show how a sentence or an event was coded"},
        {"serve", cmd_serve, "HTTP API and dashboard over a store"},
        {"report", cmd_report, "a self-contained HTML situation report"},
        {"kb", cmd_kb, "knowledge-base tools: kb check"},
        {"train", cmd_train, "train the tagger or the parser on CoNLL-U"},
        {"eval-parse", cmd_eval_parse, "score the tagger and parser on CoNLL-U"},
        {NULL, NULL, NULL},
    };
    if (argc < 2) {
        usage(stderr, cmds);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout, cmds);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("sitrep %s\n", sitrep_version());
        return 0;
    }
    for (const command *c = cmds; c->name; c++) {
        if (strcmp(argv[1], c->name)) continue;
        if (!c->fn) {
            fprintf(stderr, "sitrep: '%s' is not part of this build\n", c->name);
            return 2;
        }
        return c->fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "sitrep: unknown command '%s'\n\n", argv[1]);
    usage(stderr, cmds);
    return 2;
}
