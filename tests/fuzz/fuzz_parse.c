/* fuzz_parse.c - fuzz target: the tagger, lemmatiser and parser
 * (parse_sentence, src/parse.h) on arbitrary tokens. The input is repaired and
 * segmented as the pipeline does (first byte: chunk size 1..64 or the
 * library's limit), then every sentence is tagged and parsed. The model is
 * loaded once from $SITREP_FUZZ_MODELS or models/ (relative to the working
 * directory); without a model the target does nothing. Checks: every head is
 * -1 or a token of the same sentence, tags and relations are in range, lemmas
 * are strings of their declared length. */
#include "fuzz.h"
#include "doc.h"
#include "parse.h"
#include "segment.h"
#include "sitrep.h"
#include "text.h"

static const parse_model *model(void) {
    static int tried;
    static parse_model *m;
    if (!tried) {
        tried = 1;
        const char *dir = getenv("SITREP_FUZZ_MODELS");
        char err[512];
        m = parse_model_load(dir && *dir ? dir : "models", err, sizeof err);
        if (!m) fprintf(stderr, "fuzz_parse: no model (%s): nothing is fuzzed\n", err);
    }
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const parse_model *m = model();
    if (!m || size < 1) return 0;
    uint32_t max = data[0] < 192 ? (uint32_t)(data[0] % 64) + 1 : SITREP_MAX_SENTENCE_TOKENS;
    doc d;
    memset(&d, 0, sizeof d);
    arena_init(&d.a, 256u << 20);
    size_t len = 0, bad = 0;
    d.text = text_repair(&d.a, (const char *)data + 1, size - 1, &len, &bad);
    d.len = len;
    if (d.text && segment_doc(&d, max) == 0) {
        for (uint32_t s = 0; s < d.nsents; s++) {
            if (parse_sentence(m, &d, s)) break;
            const sentence *se = &d.sents[s];
            for (uint32_t k = se->first; k < se->first + se->count; k++) {
                const token *t = &d.toks[k];
                FUZZ_ASSERT(t->head == -1 || ((uint32_t)t->head >= se->first && (uint32_t)t->head < se->first + se->count));
                FUZZ_ASSERT(t->head != (int32_t)k);
                FUZZ_ASSERT(t->upos < UPOS_COUNT && t->deprel < DEP_COUNT);
                FUZZ_ASSERT(memchr(t->xpos, 0, sizeof t->xpos));
                FUZZ_ASSERT(t->lemma && strlen(t->lemma) == t->lemma_len);
                FUZZ_ASSERT(parse_upos_name(t->upos) && parse_deprel_name(t->deprel));
            }
        }
    }
    arena_free(&d.a);
    free(d.tag_cache);
    return 0;
}
