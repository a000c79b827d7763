/* fuzz_conllu.c - fuzz target: the CoNLL-U reader (cu_read, src/conllu.c),
 * which reads treebanks for training and evaluation. The input is written to
 * a scratch file and read into a fresh corpus. Checks: on success, sentences
 * tile the tokens, heads point inside their sentence (0 = root), strings
 * have their declared lengths; on failure there is a message. */
#include "fuzz.h"
#include "parse_int.h"
#include "sitrep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static char dir[256];
    char path[300];
    if (!fuzz_tmpdir(dir, sizeof dir)) return 0;
    snprintf(path, sizeof path, "%s/in.conllu", dir);
    if (fuzz_write_file(path, data, size)) return 0;
    cu_corpus c;
    cu_init(&c);
    char err[512];
    err[0] = 0;
    int rc = cu_read(&c, path, err, sizeof err);
    if (rc == 0) {
        size_t next = 0;
        for (size_t s = 0; s < c.nsents; s++) {
            const cu_sent *se = &c.sents[s];
            FUZZ_ASSERT(se->first == next);
            FUZZ_ASSERT(se->first + se->n <= c.ntoks);
            for (uint32_t k = 0; k < se->n; k++) {
                const cu_tok *t = &c.toks[se->first + k];
                FUZZ_ASSERT(t->head >= 0 && (uint32_t)t->head <= se->n);
                FUZZ_ASSERT(t->form && strlen(t->form) == t->form_len);
                FUZZ_ASSERT(t->lower && strlen(t->lower) == t->lower_len);
                FUZZ_ASSERT(t->upos < UPOS_COUNT);
            }
            next += se->n;
        }
        FUZZ_ASSERT(next == c.ntoks);
    } else {
        FUZZ_ASSERT(rc < 0 && err[0]);
    }
    cu_free(&c);
    return 0;
}
