/* geo_norm.c - name normalisation shared by the gazetteer compiler and the
 * geocoder: both sides must fold names the same way for lookups to meet. */
#include "geo_fmt.h"
#include <string.h>
#include <stdlib.h>
#include <utf8proc.h>

/* Fold one code point (already decomposed, marks stripped, case-folded) into
 * the key; returns 0 ok, 1 skip (apostrophe, period: "U.S." = "US"), 2 space, -1 reject. */
static int S_fold(utf8proc_int32_t c, char *ch)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) { *ch = (char)c; return 0; }
        if (c == '\'' || c == '`' || c == '.') return 1;
        if (c >= 'A' && c <= 'Z') { *ch = (char)(c + 32); return 0; }
        return 2;
    }
    switch (c) {
    case 0x2018: case 0x2019: case 0x02bc: case 0x02bb: case 0x00b4: case 0x02be: case 0x02bf:
        return 1;
    case 0x00df: *ch = 's'; return 0;     /* sharp s: rare in names, fold loosely */
    case 0x0131: *ch = 'i'; return 0;     /* dotless i */
    case 0x00f8: *ch = 'o'; return 0;
    case 0x0142: *ch = 'l'; return 0;
    case 0x0111: *ch = 'd'; return 0;
    case 0x00e6: *ch = 'a'; return 0;
    case 0x0153: *ch = 'o'; return 0;
    case 0x00fe: *ch = 't'; return 0;
    case 0x00f0: *ch = 'd'; return 0;
    default: break;
    }
    {
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_ZS || (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) ||
            (cat >= UTF8PROC_CATEGORY_SM && cat <= UTF8PROC_CATEGORY_SO) || cat == UTF8PROC_CATEGORY_CC ||
            cat == UTF8PROC_CATEGORY_CF)
            return 2;
    }
    return -1;
}

/* See geo_fmt.h. */
size_t geo_norm_key(const char *s, size_t len, char *out)
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n;
    size_t o = 0;
    int space = 0;
    /* fast path: ASCII needs no utf8proc */
    size_t i;
    int ascii = 1;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) { ascii = 0; break; }
    if (!ascii) {
        n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                         UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT);
        if (n < 0) return 0;
        s = (const char *)m;
        len = (size_t)n;
    }
    for (i = 0; i < len;) {
        utf8proc_int32_t c;
        char ch = 0;
        int r;
        if ((unsigned char)s[i] < 0x80) { c = (unsigned char)s[i]; i++; }
        else {
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
            if (k <= 0) { o = 0; goto done; }
            i += (size_t)k;
        }
        r = S_fold(c, &ch);
        if (r < 0) { o = 0; goto done; }
        if (r == 1) continue;
        if (r == 2) { space = 1; continue; }
        if (space && o > 0) {
            if (o + 1 >= GEO_KEY_MAX) { o = 0; goto done; }
            out[o++] = ' ';
        }
        space = 0;
        if (o + 1 >= GEO_KEY_MAX) { o = 0; goto done; }
        out[o++] = ch;
    }
done:
    free(m);
    out[o] = 0;
    return o;
}

/* See geo_fmt.h. */
uint32_t geo_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < len; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}
