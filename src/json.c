/* json.c - JSON Lines record reader and output helpers (see json.h). */
#include "json.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jp {
    const char *s, *e;
    arena *a;
    char *err;
    size_t errlen;
    const char *at;   /* where the token being read starts (for messages) */
} jp;

static int fail(jp *p, const char *msg) {
    snprintf(p->err, p->errlen, "%s at byte %ld", msg, (long)((p->at ? p->at : p->e) - p->s));
    return -1;
}

static void ws(jp *p, const char **c) {
    while (*c < p->e && (**c == ' ' || **c == '\t' || **c == '\r' || **c == '\n')) (*c)++;
    p->at = *c;
}

static int hex4(const char *c, unsigned *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char h = c[i];
        *v <<= 4;
        if (h >= '0' && h <= '9') *v |= (unsigned)(h - '0');
        else if ((h | 32) >= 'a' && (h | 32) <= 'f') *v |= (unsigned)((h | 32) - 'a' + 10);
        else return -1;
    }
    return 0;
}

static size_t put_utf8(char *o, unsigned c) {
    if (c < 0x80) { o[0] = (char)c; return 1; }
    if (c < 0x800) { o[0] = (char)(0xC0 | (c >> 6)); o[1] = (char)(0x80 | (c & 63)); return 2; }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12)); o[1] = (char)(0x80 | ((c >> 6) & 63)); o[2] = (char)(0x80 | (c & 63));
        return 3;
    }
    o[0] = (char)(0xF0 | (c >> 18)); o[1] = (char)(0x80 | ((c >> 12) & 63));
    o[2] = (char)(0x80 | ((c >> 6) & 63)); o[3] = (char)(0x80 | (c & 63));
    return 4;
}

/* Parse a string at *c (which points at the opening quote). If out != NULL,
 * the unescaped string is stored in the arena. */
static int str(jp *p, const char **c, char **out, size_t *outlen) {
    const char *q = *c + 1;
    const char *start = q;
    int esc = 0;
    while (q < p->e && *q != '"') {
        if (*q == '\\') { esc = 1; q++; }
        if (q >= p->e) break;
        if ((unsigned char)*q < 0x20) { *c = q; return fail(p, "control character in string"); }
        q++;
    }
    if (q >= p->e) return fail(p, "unterminated string");
    size_t raw = (size_t)(q - start);
    if (out) {
        char *o = arena_alloc(p->a, raw + 1);
        if (!o) return fail(p, "out of memory");
        size_t n = 0;
        if (!esc) {
            memcpy(o, start, raw);
            n = raw;
        } else {
            for (const char *r = start; r < q; r++) {
                if (*r != '\\') { o[n++] = *r; continue; }
                r++;
                switch (*r) {
                case 'n': o[n++] = '\n'; break;
                case 't': o[n++] = '\t'; break;
                case 'r': o[n++] = '\r'; break;
                case 'b': o[n++] = '\b'; break;
                case 'f': o[n++] = '\f'; break;
                case '/': o[n++] = '/'; break;
                case '\\': o[n++] = '\\'; break;
                case '"': o[n++] = '"'; break;
                case 'u': {
                    unsigned v, w;
                    if (q - r < 5 || hex4(r + 1, &v)) return fail(p, "bad \\u escape");
                    r += 4;
                    if (v >= 0xD800 && v < 0xDC00) {
                        if (q - r >= 7 && r[1] == '\\' && r[2] == 'u' && !hex4(r + 3, &w) && w >= 0xDC00 &&
                            w < 0xE000) {
                            v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
                            r += 6;
                        } else {
                            v = 0xFFFD; /* lone surrogate */
                        }
                    } else if (v >= 0xDC00 && v < 0xE000) {
                        v = 0xFFFD;
                    }
                    if (v == 0) v = ' ';
                    n += put_utf8(o + n, v);
                    break;
                }
                default:
                    return fail(p, "bad escape");
                }
            }
        }
        o[n] = 0;
        *out = o;
        if (outlen) *outlen = n;
    }
    *c = q + 1;
    return 0;
}

static int skip_value(jp *p, const char **c, int depth);

static int skip_container(jp *p, const char **c, int depth, char close) {
    if (depth > JSON_MAX_DEPTH) return fail(p, "nesting too deep");
    (*c)++;
    ws(p, c);
    if (*c < p->e && **c == close) { (*c)++; return 0; }
    for (;;) {
        ws(p, c);
        if (close == '}') {
            if (*c >= p->e || **c != '"') return fail(p, "expected a key");
            if (str(p, c, NULL, NULL)) return -1;
            ws(p, c);
            if (*c >= p->e || **c != ':') return fail(p, "expected ':'");
            (*c)++;
        }
        if (skip_value(p, c, depth + 1)) return -1;
        ws(p, c);
        if (*c < p->e && **c == ',') { (*c)++; continue; }
        if (*c < p->e && **c == close) { (*c)++; return 0; }
        return fail(p, "expected ',' or a closing bracket");
    }
}

static int skip_value(jp *p, const char **c, int depth) {
    ws(p, c);
    if (*c >= p->e) return fail(p, "unexpected end");
    char ch = **c;
    if (ch == '"') return str(p, c, NULL, NULL);
    if (ch == '{') return skip_container(p, c, depth, '}');
    if (ch == '[') return skip_container(p, c, depth, ']');
    const char *q = *c;
    while (q < p->e && (strchr("+-.eE", *q) || (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z'))) q++;
    if (q == *c) return fail(p, "unexpected character");
    size_t n = (size_t)(q - *c);
    if (!((n == 4 && !memcmp(*c, "true", 4)) || (n == 4 && !memcmp(*c, "null", 4)) ||
          (n == 5 && !memcmp(*c, "false", 5)) || (**c == '-' || (**c >= '0' && **c <= '9'))))
        return fail(p, "bad literal");
    *c = q;
    return 0;
}

static int spans(jp *p, const char **c, json_record *r) {
    const char *save = *c;
    size_t cap = 16, n = 0;
    uint32_t *v = malloc(cap * sizeof *v);
    if (!v) return fail(p, "out of memory");
    (*c)++;
    ws(p, c);
    if (*c < p->e && **c == ']') { (*c)++; goto done; }
    for (;;) {
        ws(p, c);
        if (*c >= p->e || **c != '[') { free(v); *c = save; return fail(p, "spans: expected [start, end]"); }
        (*c)++;
        for (int k = 0; k < 2; k++) {
            ws(p, c);
            /* digits only, bounded by the input (it need not be NUL-ended) */
            const char *d = *c;
            long x = 0;
            while (d < p->e && *d >= '0' && *d <= '9' && x <= 0x7fffffffL) x = x * 10 + (*d++ - '0');
            if (d == *c || x > 0x7fffffffL) { free(v); return fail(p, "spans: bad offset"); }
            *c = d;
            if (n + 2 > cap) {
                cap *= 2;
                uint32_t *nv = realloc(v, cap * sizeof *nv);
                if (!nv) { free(v); return fail(p, "out of memory"); }
                v = nv;
            }
            v[n++] = (uint32_t)x;
            ws(p, c);
            if (k == 0) {
                if (*c >= p->e || **c != ',') { free(v); return fail(p, "spans: expected ','"); }
                (*c)++;
            }
        }
        if (*c >= p->e || **c != ']') { free(v); return fail(p, "spans: expected ']'"); }
        (*c)++;
        ws(p, c);
        if (*c < p->e && **c == ',') { (*c)++; continue; }
        if (*c < p->e && **c == ']') { (*c)++; break; }
        free(v);
        return fail(p, "spans: expected ',' or ']'");
    }
done:
    r->spans = arena_alloc(p->a, (n ? n : 1) * sizeof *v);
    if (!r->spans) { free(v); return fail(p, "out of memory"); }
    if (n) memcpy(r->spans, v, n * sizeof *v);
    r->nspans = n / 2;
    free(v);
    return 0;
}

int json_parse_record(arena *a, const char *s, size_t n, json_record *out, char *err, size_t errlen) {
    jp p = {s, s + n, a, err, errlen, NULL};
    const char *c = s;
    memset(out, 0, sizeof *out);
    ws(&p, &c);
    if (c >= p.e || *c != '{') return fail(&p, "expected a JSON object");
    c++;
    ws(&p, &c);
    if (c < p.e && *c == '}') { c++; goto end; }
    for (;;) {
        ws(&p, &c);
        char *key;
        size_t klen;
        if (c >= p.e || *c != '"') return fail(&p, "expected a key");
        if (str(&p, &c, &key, &klen)) return -1;
        ws(&p, &c);
        if (c >= p.e || *c != ':') return fail(&p, "expected ':'");
        c++;
        ws(&p, &c);
        const char **slot = NULL;
        size_t *lenslot = NULL;
        if (!strcmp(key, "id")) { slot = &out->id; lenslot = &out->id_len; }
        else if (!strcmp(key, "date")) slot = &out->date;
        else if (!strcmp(key, "text")) { slot = &out->text; lenslot = &out->text_len; }
        else if (!strcmp(key, "title")) slot = &out->title;
        else if (!strcmp(key, "url")) slot = &out->url;
        else if (!strcmp(key, "source")) slot = &out->source;
        if (slot && c < p.e && *c == '"') {
            char *v;
            size_t vl;
            if (str(&p, &c, &v, &vl)) return -1;
            *slot = v;
            if (lenslot) *lenslot = vl;
        } else if (slot == &out->id && c < p.e && (*c == '-' || (*c >= '0' && *c <= '9'))) {
            const char *q = c;
            if (skip_value(&p, &c, 1)) return -1;
            out->id = arena_strndup(a, q, (size_t)(c - q));
            if (!out->id) return fail(&p, "out of memory");
            out->id_len = (size_t)(c - q);
        } else if (!strcmp(key, "spans") && c < p.e && *c == '[') {
            if (spans(&p, &c, out)) return -1;
        } else if (skip_value(&p, &c, 1)) {
            return -1;
        }
        ws(&p, &c);
        if (c < p.e && *c == ',') { c++; continue; }
        if (c < p.e && *c == '}') { c++; break; }
        return fail(&p, "expected ',' or '}'");
    }
end:
    ws(&p, &c);
    if (c != p.e) return fail(&p, "trailing characters after the object");
    return 0;
}

int buf_grow(sitrep_buf *b, size_t need) {
    if (b->len + need + 1 <= b->cap) return 0;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + need + 1) nc *= 2;
    char *nd = realloc(b->data, nc);
    if (!nd) return -1;
    b->data = nd;
    b->cap = nc;
    return 0;
}

int buf_put(sitrep_buf *b, const char *s, size_t n) {
    if (buf_grow(b, n)) return -1;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}

int buf_puts(sitrep_buf *b, const char *s) { return buf_put(b, s, strlen(s)); }

int buf_printf(sitrep_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if ((size_t)n < sizeof tmp) return buf_put(b, tmp, (size_t)n);
    if (buf_grow(b, (size_t)n)) return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int buf_json_str(sitrep_buf *b, const char *s, size_t n) {
    if (buf_grow(b, n + 2)) return -1;
    b->data[b->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            if (buf_put(b, e, 2)) return -1;
        } else if (c < 0x20) {
            char e[8];
            const char *m = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
            if (m) {
                if (buf_puts(b, m)) return -1;
            } else {
                snprintf(e, sizeof e, "\\u%04x", c);
                if (buf_puts(b, e)) return -1;
            }
        } else {
            if (buf_grow(b, 1)) return -1;
            b->data[b->len++] = (char)c;
        }
    }
    if (buf_put(b, "\"", 1)) return -1;
    return 0;
}

int buf_tsv_str(sitrep_buf *b, const char *s, size_t n) {
    if (buf_grow(b, n)) return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        b->data[b->len++] = (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
    }
    b->data[b->len] = 0;
    return 0;
}
