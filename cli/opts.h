/* opts.h - option parsing shared by the subcommands that read articles. */
#ifndef SITREP_OPTS_H
#define SITREP_OPTS_H
#include "sitrep.h"

typedef struct cli_input {
    sitrep_options ctx;      /* what to load */
    int input;               /* SITREP_INPUT_* */
    const char *date;        /* --date */
    const char *format;      /* --format */
    const char **files;      /* positional arguments (borrowed from argv) */
    int nfiles;
    int negated;             /* --negated: keep negated events, flagged */
} cli_input;

/* Parse the common options of argv[1..argc). Unknown options are an error
 * unless `extra` (may be NULL) accepts them: it returns the number of argv
 * entries consumed (>= 1) or 0 if unknown. Returns 0 or 2 (bad usage, message
 * printed). files must have room for argc pointers. */
int cli_parse_input(int argc, char **argv, cli_input *in, int (*extra)(int argc, char **argv, int i, void *u),
                    void *u);
/* Open the context for in (prints the error and returns NULL on failure). */
sitrep_ctx *cli_open_ctx(const cli_input *in);
/* Print "sitrep CMD --help" text for cmd; returns 0. */
int cli_help(const char *cmd);
#endif
