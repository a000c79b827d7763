/* text.c - UTF-8 validation/repair and token normalisation (see text.h). */
#include "text.h"
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t text_utf8_seq(const unsigned char *s, size_t n) {
    if (n == 0) return 0;
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
        if (c == 0xF4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
        return 4;
    }
    return 0;
}

size_t text_count_invalid(const char *s, size_t n, size_t *nuls) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, bad = 0, z = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            if (!p[i]) z++;
            i++;
            continue;
        }
        size_t k = text_utf8_seq(p + i, n - i);
        if (!k) { bad++; i++; } else i += k;
    }
    if (nuls) *nuls = z;
    return bad;
}

char *text_repair(arena *a, const char *s, size_t n, size_t *outlen, size_t *nbad) {
    size_t nul = 0, bad = text_count_invalid(s, n, &nul);
    size_t cap = n + bad * 2 + 1;
    char *out = arena_alloc_raw(a, cap); /* filled up to the NUL below */
    if (!out) return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            out[o++] = p[i] ? (char)p[i] : ' ';
            i++;
            continue;
        }
        size_t k = text_utf8_seq(p + i, n - i);
        if (!k) {
            out[o++] = (char)0xEF; out[o++] = (char)0xBF; out[o++] = (char)0xBD;
            i++;
        } else {
            memcpy(out + o, p + i, k);
            o += k;
            i += k;
        }
    }
    out[o] = 0;
    *outlen = o;
    if (nbad) *nbad = bad + nul;
    return out;
}

int32_t text_decode(const char *s, size_t n, size_t *adv) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
    if (k <= 0) { *adv = 1; return 0xFFFD; }
    *adv = (size_t)k;
    return c;
}

int text_is_upper(int32_t c) {
    if (c < 0x80) return c >= 'A' && c <= 'Z';
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LU || utf8proc_category(c) == UTF8PROC_CATEGORY_LT;
}
int text_is_lower(int32_t c) {
    if (c < 0x80) return c >= 'a' && c <= 'z';
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LL;
}
int text_is_alpha(int32_t c) {
    if (c < 0x80) return (c | 32) >= 'a' && (c | 32) <= 'z';
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}
int text_is_space(int32_t c) {
    if (c < 0x80) return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    return c == 0xA0 || c == 0x2028 || c == 0x2029 || c == 0x3000 ||
           utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/* Map of typographic characters folded for matching; returns the ASCII
 * replacement or NULL. */
static const char *fold(int32_t c) {
    switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x00B4: case 0x0060:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
        return "-";
    case 0x2026:
        return "...";
    case 0x00A0:
        return " ";
    default:
        return NULL;
    }
}

char *text_norm(arena *a, const char *s, size_t n, uint32_t *outlen) {
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) break;
    if (i == n) {
        *outlen = (uint32_t)n;
        return arena_strndup(a, s, n);
    }
    /* fold typographic characters, then NFC */
    char *tmp = arena_alloc_raw(a, n * 3 + 1);
    if (!tmp) return NULL;
    size_t o = 0;
    for (i = 0; i < n;) {
        size_t k;
        int32_t c = text_decode(s + i, n - i, &k);
        const char *f = fold(c);
        if (f) {
            size_t fl = strlen(f);
            memcpy(tmp + o, f, fl);
            o += fl;
        } else {
            memcpy(tmp + o, s + i, k);
            o += k;
        }
        i += k;
    }
    tmp[o] = 0;
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)tmp, (utf8proc_ssize_t)o, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0 || !nfc) {
        *outlen = (uint32_t)o;
        return tmp;
    }
    char *res = arena_strndup(a, (const char *)nfc, (size_t)r);
    free(nfc);
    *outlen = (uint32_t)r;
    return res;
}

char *text_lower(arena *a, const char *s, size_t n, uint32_t *outlen) {
    char *out = arena_alloc_raw(a, n * 2 + 4);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            out[o++] = (char)((b >= 'A' && b <= 'Z') ? b + 32 : b);
            i++;
            continue;
        }
        size_t k;
        int32_t c = text_decode(s + i, n - i, &k);
        int32_t l = utf8proc_tolower(c);
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t w = utf8proc_encode_char(l, buf);
        if (w <= 0 || o + (size_t)w > n * 2 + 3) { memcpy(out + o, s + i, k); o += k; }
        else { memcpy(out + o, buf, (size_t)w); o += (size_t)w; }
        i += k;
    }
    out[o] = 0;
    *outlen = (uint32_t)o;
    return out;
}
