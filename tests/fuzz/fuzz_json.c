/* fuzz_json.c - fuzz target: one JSON Lines record through json_parse_record
 * (src/json.c). Checks that a successful parse gives strings inside the arena
 * of the declared lengths, spans in pairs, and that the output escapers
 * (buf_json_str, buf_tsv_str) accept whatever the parser produced. */
#include "fuzz.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    arena a;
    arena_init(&a, 64u << 20);
    json_record r;
    char err[256];
    memset(&r, 0, sizeof r);
    err[0] = 0;
    int rc = json_parse_record(&a, (const char *)data, size, &r, err, sizeof err);
    if (rc == 0) {
        sitrep_buf b = {0};
        if (r.id) { FUZZ_ASSERT(strlen(r.id) <= r.id_len); buf_json_str(&b, r.id, r.id_len); }
        if (r.text) { FUZZ_ASSERT(strlen(r.text) <= r.text_len); buf_json_str(&b, r.text, r.text_len); buf_tsv_str(&b, r.text, r.text_len); }
        const char *more[] = {r.date, r.title, r.url, r.source};
        for (size_t i = 0; i < 4; i++)
            if (more[i]) buf_json_str(&b, more[i], strlen(more[i]));
        uint64_t sum = 0;
        for (size_t i = 0; i < 2 * r.nspans; i++) sum += r.spans[i];
        (void)sum;
        sitrep_buf_free(&b);
    } else {
        FUZZ_ASSERT(rc == -1);
        FUZZ_ASSERT(err[0]);
        FUZZ_ASSERT(memchr(err, 0, sizeof err));
    }
    arena_free(&a);
    return 0;
}
