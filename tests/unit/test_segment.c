/* test_segment.c - sentence splitting and tokenisation: abbreviations,
 * initials, quotes, decimals, ellipses, offsets, limits. */
#include "check.h"
#include "doc.h"
#include "segment.h"
#include "text.h"
#include "sitrep.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static doc D;

static void seg(const char *s) {
    arena_free(&D.a);
    memset(&D, 0, sizeof D);
    arena_init(&D.a, 0);
    D.text = s;
    D.len = strlen(s);
    CHECK(segment_doc(&D, SITREP_MAX_SENTENCE_TOKENS) == 0);
}

/* Sentence i as a string (static buffer). */
static const char *sent(uint32_t i) {
    static char buf[1024];
    if (i >= D.nsents) return "(none)";
    snprintf(buf, sizeof buf, "%.*s", (int)(D.sents[i].end - D.sents[i].start), D.text + D.sents[i].start);
    return buf;
}

/* Tokens of the doc joined by '|'. */
static const char *toks(void) {
    static char buf[2048];
    size_t o = 0;
    for (uint32_t i = 0; i < D.ntoks && o < sizeof buf - 64; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : "", D.toks[i].norm);
    buf[o] = 0;
    return buf;
}

int main(void) {
    arena_init(&D.a, 0);
    seg("Maj. Gen. Nitzan Alon met Dr. Smith in the U.S. on Jan. 5. They talked.");
    CHECK(D.nsents == 2);
    CHECK_STR(sent(0), "Maj. Gen. Nitzan Alon met Dr. Smith in the U.S. on Jan. 5.");
    CHECK_STR(sent(1), "They talked.");

    seg("John F. Kennedy was shot. The economy grew 3.5 percent... Then it fell.");
    CHECK(D.nsents == 3);
    CHECK_STR(sent(0), "John F. Kennedy was shot.");
    CHECK_STR(sent(1), "The economy grew 3.5 percent...");

    seg("\"We will not retreat,\" he said. \"Never.\" She left.");
    CHECK(D.nsents == 3);
    CHECK_STR(sent(1), "\"Never.\"");

    seg("Israel's army didn't stop.");
    CHECK_STR(toks(), "Israel|'s|army|did|n't|stop|.");

    /* typographic quotes and dashes are folded for matching; offsets stay in the text */
    seg("Israel\xE2\x80\x99s army \xE2\x80\x94 and Hamas.");
    CHECK_STR(toks(), "Israel|'s|army|-|and|Hamas|.");
    CHECK(D.toks[1].start == 6 && D.toks[1].end == 10); /* U+2019 is 3 bytes */
    CHECK(D.toks[3].start == 16 && D.toks[3].end == 19);

    /* a blank line always ends a sentence (headlines have no period) */
    seg("Late-Night Talks in Doha\n\nThe talks began.");
    CHECK(D.nsents == 2);
    CHECK_STR(sent(0), "Late-Night Talks in Doha");

    /* numbers stay whole */
    seg("They paid $1,000 and 42-day terms at 3.5%.");
    CHECK(strstr(toks(), "1,000") != NULL);
    CHECK(strstr(toks(), "42-day") != NULL);

    /* hard limit: a sentence is cut into chunks of the maximum */
    {
        size_t n = 3000;
        char *s = malloc(n * 2 + 1);
        for (size_t i = 0; i < n; i++) { s[2 * i] = 'a'; s[2 * i + 1] = ' '; }
        s[2 * n] = 0;
        seg(s);
        CHECK(D.ntoks == 3000);
        CHECK(D.nsents == (3000 + SITREP_MAX_SENTENCE_TOKENS - 1) / SITREP_MAX_SENTENCE_TOKENS);
        for (uint32_t i = 0; i < D.nsents; i++) CHECK(D.sents[i].count <= SITREP_MAX_SENTENCE_TOKENS);
        arena_free(&D.a);
        memset(&D, 0, sizeof D);
        free(s);
    }

    /* abbreviation detection */
    CHECK(segment_is_abbrev("U.S.", 4));
    CHECK(segment_is_abbrev("Gen.", 4));
    CHECK(segment_is_abbrev("J.", 2));
    CHECK(!segment_is_abbrev("talks.", 6));

    /* empty and white-space-only text */
    seg("");
    CHECK(D.ntoks == 0 && D.nsents == 0);
    seg(" \n\n \t");
    CHECK(D.ntoks == 0 && D.nsents == 0);
    arena_free(&D.a);
    return CHECK_DONE();
}
