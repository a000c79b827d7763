/* check.h - a tiny test harness: CHECK(cond) and CHECK_STR(a, b) count failures;
 * CHECK_DONE() prints a summary and returns the exit status from main. */
#ifndef SITREP_CHECK_H
#define SITREP_CHECK_H
#include <stdio.h>
#include <string.h>
static int check_fails, check_runs;
#define CHECK(c) do { check_runs++; if (!(c)) { check_fails++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define CHECK_STR(a, b) do { const char *ca_ = (a), *cb_ = (b); check_runs++; \
    if (!ca_ || !cb_ || strcmp(ca_, cb_)) { check_fails++; \
    fprintf(stderr, "%s:%d: CHECK_STR failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
            ca_ ? ca_ : "(null)", cb_ ? cb_ : "(null)"); } } while (0)
#define CHECK_DONE() (printf("%d checks, %d failed\n", check_runs, check_fails), check_fails ? 1 : 0)
#endif
