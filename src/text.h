/* text.h - UTF-8 at the boundary: validation and repair, token normalisation
 * (NFC, typographic quotes and dashes folded to ASCII), lower-casing. */
#ifndef SITREP_TEXT_H
#define SITREP_TEXT_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"

/* Length of the valid UTF-8 sequence at s[0..n) (1-4), or 0 if invalid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
size_t text_utf8_seq(const unsigned char *s, size_t n);
/* Count invalid sequences in s[0..n) and NUL bytes. */
size_t text_count_invalid(const char *s, size_t n, size_t *nuls);
/* Copy s into arena memory with every invalid sequence replaced by U+FFFD and
 * NUL bytes by spaces; *nbad gets the number replaced; *outlen the length.
 * Returns NULL on OOM. */
char *text_repair(arena *a, const char *s, size_t n, size_t *outlen, size_t *nbad);
/* Normalised form of a token: NFC, curly quotes to ' and ", dashes to -,
 * ellipsis to "...". Arena-owned, NUL-ended; NULL on OOM. */
char *text_norm(arena *a, const char *s, size_t n, uint32_t *outlen);
/* Lower-cased copy (Unicode-aware). Arena-owned; NULL on OOM. */
char *text_lower(arena *a, const char *s, size_t n, uint32_t *outlen);
/* Decode one code point at s (valid UTF-8 assumed); *adv gets its length. */
int32_t text_decode(const char *s, size_t n, size_t *adv);
/* Unicode category helpers for code point c. */
int text_is_upper(int32_t c);
int text_is_lower(int32_t c);
int text_is_alpha(int32_t c);
int text_is_space(int32_t c);
#endif
