/* json.h - the small JSON reader and writer sitrep needs: one input record
 * (an object of strings, numbers and a spans array) and escaped output. */
#ifndef SITREP_JSON_H
#define SITREP_JSON_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "sitrep.h"

#define JSON_MAX_DEPTH 64

typedef struct json_record {
    const char *id, *date, *text, *title, *url, *source; /* arena strings or NULL */
    size_t id_len, text_len;
    uint32_t *spans;  /* 2*nspans values, arena */
    size_t nspans;
} json_record;

/* Parse one JSON object (a JSON Lines record) from s[0..n). Known keys are
 * extracted; others are skipped (nesting up to JSON_MAX_DEPTH). Strings are
 * unescaped into the arena. Returns 0, or -1 with a reason in err. */
int json_parse_record(arena *a, const char *s, size_t n, json_record *out, char *err, size_t errlen);

/* Buffer helpers (sitrep_buf from sitrep.h). All return 0 or -1 on OOM. */
int buf_grow(sitrep_buf *b, size_t need);
int buf_put(sitrep_buf *b, const char *s, size_t n);
int buf_puts(sitrep_buf *b, const char *s);
int buf_printf(sitrep_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal with quotes. */
int buf_json_str(sitrep_buf *b, const char *s, size_t n);
/* Append s with TSV-unsafe characters (tab, newline) replaced by spaces. */
int buf_tsv_str(sitrep_buf *b, const char *s, size_t n);
#endif
