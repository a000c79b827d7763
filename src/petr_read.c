/* petr_read.c - the line reader shared by the PETRARCH and TABARI
 * dictionary readers: whole-file read with Latin-1 repair, comment
 * stripping ('#' or ';' to end of line, <!-- --> blocks), FILE:LINE errors,
 * warnings and duplicate detection; and the CAMEO table for scores. */
#include "petr.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int preader_open(preader *r, kb *k, const char *path, char comment, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    r->k = k;
    r->path = path;
    r->comment = comment;
    if (pdict_read_file(path, &r->buf, &r->len)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return SITREP_EIO;
    }
    r->file = kb_file(k, path);
    return 0;
}

int preader_next(preader *r) {
    for (;;) {
        if (r->pos >= r->len) return 0;
        char *s = r->buf + r->pos;
        char *e = memchr(s, '\n', r->len - r->pos);
        size_t n = e ? (size_t)(e - s) : r->len - r->pos;
        r->pos += n + (e ? 1 : 0);
        r->line++;
        if (n && s[n - 1] == '\r') n--;
        /* <!-- ... --> comments, possibly over several lines */
        if (r->in_block) {
            char *end = NULL;
            for (size_t i = 0; i + 2 < n + 0 + 1 && i + 3 <= n; i++)
                if (!memcmp(s + i, "-->", 3)) { end = s + i + 3; break; }
            if (!end) continue;
            r->in_block = 0;
            n -= (size_t)(end - s);
            s = end;
        }
        for (size_t i = 0; i + 4 <= n; i++) {
            if (memcmp(s + i, "<!--", 4) && !(s[i] == '<' && s[i + 1] == '!')) continue;
            size_t j = i + 2;
            char *end = NULL;
            for (; j + 3 <= n; j++)
                if (!memcmp(s + j, "-->", 3)) { end = s + j + 3; break; }
            if (end) {
                memset(s + i, ' ', (size_t)(end - s) - i);
            } else {
                r->in_block = 1;
                n = i;
            }
            break;
        }
        /* line comments */
        int br = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '[') br = 1;
            else if (s[i] == ']') br = 0;
            else if (!br && (s[i] == r->comment || (r->comment == ';' && i == 0 && s[0] == '#'))) { n = i; break; }
        }
        while (n && isspace((unsigned char)*s)) { s++; n--; }
        while (n && isspace((unsigned char)s[n - 1])) n--;
        r->s = s;
        r->n = n;
        return 1;
    }
}

int preader_error(preader *r, char *err, size_t errlen, const char *msg) {
    snprintf(err, errlen, "%s:%u: %s", r->path, r->line, msg);
    free(r->buf);
    r->buf = NULL;
    return SITREP_EFORMAT;
}

int preader_oom(preader *r, char *err, size_t errlen) {
    snprintf(err, errlen, "%s:%u: out of memory", r->path, r->line);
    free(r->buf);
    r->buf = NULL;
    return SITREP_ENOMEM;
}

int preader_pattern_code(preader *r, const char **lb, char *code, size_t cap, char *err, size_t errlen) {
    const char *s = r->s;
    size_t n = r->n;
    *lb = NULL;
    for (size_t i = n; i-- > 1;)
        if (s[i] == '[') { *lb = s + i; break; }
    if (!*lb) { preader_warn(r, "pattern without [CODE], skipped"); return 0; }
    const char *rb = memchr(*lb, ']', n - (size_t)(*lb - s));
    if (!rb) return preader_error(r, err, errlen, "unclosed [CODE]");
    snprintf(code, cap, "%.*s", (int)(rb - *lb - 1), *lb + 1);
    return 1;
}

void preader_warn(preader *r, const char *fmt, ...) {
    r->nwarn++;
    if (r->nwarn > 20) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kb_warn(r->k, "%s:%u: %s", r->path, r->line, msg);
}

int preader_dup(preader *r, strmap *seen, const char *s, size_t n) {
    if (!seen) return 0;
    char key[512];
    size_t o = 0;
    int sp = 0;
    for (size_t i = 0; i < n && o < sizeof key - 1; i++) {
        char c = s[i];
        if (c == '_' || c == ' ' || c == '\t') { sp = 1; continue; }
        if (sp && o) key[o++] = ' ';
        sp = 0;
        if (o < sizeof key - 1) key[o++] = (char)toupper((unsigned char)c);
    }
    key[o] = 0;
    pdict *d = r->k->petr;
    uint32_t *slot = strmap_slot(seen, &d->a, key, o, 1);
    if (!slot) return -1;
    if (*slot) {
        r->ndup++;
        if (r->ndup <= 10) preader_warn(r, "duplicate entry %s (first at line %u)", key, *slot);
        else r->nwarn++;
        return 0;
    }
    *slot = r->line;
    return 0;
}

void preader_seen_free(strmap *seen) { strmap_free(seen); }

int preader_close(preader *r, char *err, size_t errlen) {
    (void)err;
    (void)errlen;
    if (r->nwarn > 20) kb_warn(r->k, "%s: %d warnings (%d duplicate entries), first 20 shown", r->path, r->nwarn, r->ndup);
    free(r->buf);
    r->buf = NULL;
    return 0;
}

int petr_load_cameo(kb *k, char *err, size_t errlen) {
    (void)err;
    (void)errlen;
    if (k->ncameo) return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/kb/cameo.txt", sitrep_default_home());
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char *fld[6];
        int nf = 0;
        char *p = line;
        while (nf < 6) {
            fld[nf++] = p;
            char *bar = strchr(p, '|');
            if (!bar) break;
            *bar = 0;
            p = bar + 1;
        }
        if (nf != 6) continue;
        for (int i = 0; i < 6; i++) {
            char *s = fld[i];
            while (*s == ' ') s++;
            char *e = s + strlen(s);
            while (e > s && (e[-1] == ' ' || e[-1] == '\n')) *--e = 0;
            fld[i] = s;
        }
        if (kb_cameo_get(k, fld[0])) continue;
        kb_cameo_add(k, fld[0], strtod(fld[1], NULL), atoi(fld[2]), fld[3], fld[4], fld[5]);
    }
    fclose(f);
    return 0;
}
