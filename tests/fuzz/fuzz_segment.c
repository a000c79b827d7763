/* fuzz_segment.c - fuzz target: UTF-8 repair (text_repair) then the
 * segmenter (segment_doc), as the pipeline runs them. The first byte sets the
 * sentence chunk size (1..64, or the library's limit) so that the chunking is
 * exercised. Checks the segmenter's invariants: tokens in order, non-empty,
 * inside the text; sentences cover their tokens, in order, with counts within
 * the chunk size; norm/lower strings of the declared lengths. */
#include "fuzz.h"
#include "doc.h"
#include "segment.h"
#include "sitrep.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint32_t max = data[0] < 192 ? (uint32_t)(data[0] % 64) + 1 : SITREP_MAX_SENTENCE_TOKENS;
    doc d;
    memset(&d, 0, sizeof d);
    arena_init(&d.a, 256u << 20);
    size_t len = 0, bad = 0;
    d.text = text_repair(&d.a, (const char *)data + 1, size - 1, &len, &bad);
    if (!d.text) { arena_free(&d.a); return 0; }
    d.len = len;
    FUZZ_ASSERT(text_count_invalid(d.text, d.len, NULL) == 0);
    if (segment_doc(&d, max) == 0) {
        uint32_t prev_end = 0, seen = 0;
        for (uint32_t i = 0; i < d.ntoks; i++) {
            const token *t = &d.toks[i];
            FUZZ_ASSERT(t->start < t->end && t->end <= d.len);
            FUZZ_ASSERT(t->start >= prev_end);
            prev_end = t->end;
            FUZZ_ASSERT(t->norm && strlen(t->norm) == t->norm_len);
            FUZZ_ASSERT(t->lower && strlen(t->lower) == t->lower_len);
            FUZZ_ASSERT(t->sent < d.nsents);
        }
        for (uint32_t s = 0; s < d.nsents; s++) {
            const sentence *se = &d.sents[s];
            FUZZ_ASSERT(se->first == seen);
            FUZZ_ASSERT(se->count >= 1 && se->count <= max);
            FUZZ_ASSERT(se->first + se->count <= d.ntoks);
            FUZZ_ASSERT(se->start <= se->end && se->end <= d.len);
            for (uint32_t k = se->first; k < se->first + se->count; k++) FUZZ_ASSERT(d.toks[k].sent == s);
            seen += se->count;
        }
        FUZZ_ASSERT(seen == d.ntoks);
    }
    arena_free(&d.a);
    return 0;
}
