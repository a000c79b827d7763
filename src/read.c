/* read.c - article readers: text files with a `date YYYY-MM-DD` header and
 * JSON Lines (one article per line). Rejected records are reported as
 * FILE:LINE: reason and reading goes on. */
#include "sitrep.h"
#include "arena.h"
#include "json.h"
#include "text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sitrep_reader {
    char *path;          /* owned */
    const char *label;   /* path or "<stdin>" */
    FILE *f;             /* owned unless stdin */
    int input;           /* resolved SITREP_INPUT_* or AUTO until the first read */
    char default_date[11];
    int has_default;
    int done, opened;
    long line;           /* current line number (1-based) */
    char *buf;           /* owned line buffer */
    size_t cap;
    arena a;             /* per-record strings */
    char err[512];
    char date[11];
    char *idbuf;         /* owned, text input */
};

/* 1 when s is a valid YYYY-MM-DD date. */
static int valid_date(const char *s, size_t n) {
    if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

sitrep_reader *sitrep_reader_open(const char *path, int input, const char *default_date) {
    sitrep_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->path = strdup(path ? path : "-");
    if (!r->path) { free(r); return NULL; }
    r->label = strcmp(r->path, "-") ? r->path : "<stdin>";
    r->input = input;
    if (default_date && valid_date(default_date, strlen(default_date))) {
        memcpy(r->default_date, default_date, 11);
        r->has_default = 1;
    }
    arena_init(&r->a, 0);
    return r;
}

void sitrep_reader_free(sitrep_reader *r) {
    if (!r) return;
    if (r->f && r->f != stdin) fclose(r->f);
    free(r->path);
    free(r->buf);
    free(r->idbuf);
    arena_free(&r->a);
    free(r);
}

const char *sitrep_reader_errmsg(const sitrep_reader *r) { return r ? r->err : ""; }

static int rerr(sitrep_reader *r, long line, int code, const char *msg) {
    snprintf(r->err, sizeof r->err, "%s:%ld: %s", r->label, line, msg);
    return code;
}

/* Read one line (without the newline) into r->buf. Returns its length, -1 at
 * end of file, -2 when the line is over the limit (the rest is skipped). */
static long read_line(sitrep_reader *r, size_t limit) {
    size_t n = 0;
    int c, over = 0, any = 0;
    while ((c = getc(r->f)) != EOF) {
        any = 1;
        if (c == '\n') break;
        if (over) continue;
        if (n + 2 > r->cap) {
            size_t nc = r->cap ? r->cap * 2 : 4096;
            char *nb = realloc(r->buf, nc);
            if (!nb) { over = 1; continue; }
            r->buf = nb;
            r->cap = nc;
        }
        r->buf[n++] = (char)c;
        if (n > limit) over = 1;
    }
    if (!any) return -1;
    r->line++;
    if (over) return -2;
    if (!r->buf) { r->buf = malloc(16); if (!r->buf) return -2; r->cap = 16; }
    r->buf[n] = 0;
    return (long)n;
}

static int open_file(sitrep_reader *r) {
    r->opened = 1;
    if (!strcmp(r->path, "-")) {
        r->f = stdin;
    } else {
        r->f = fopen(r->path, "rb");
        if (!r->f) {
            r->done = 1;
            return rerr(r, 0, SITREP_EIO, strerror(errno));
        }
    }
    if (r->input == SITREP_INPUT_AUTO) {
        size_t pl = strlen(r->path);
        if ((pl > 6 && !strcmp(r->path + pl - 6, ".jsonl")) || (pl > 7 && !strcmp(r->path + pl - 7, ".ndjson"))) {
            r->input = SITREP_INPUT_JSONL;
        } else {
            int c;
            while ((c = getc(r->f)) == ' ' || c == '\n' || c == '\r' || c == '\t') {}
            if (c != EOF) ungetc(c, r->f);
            r->input = c == '{' ? SITREP_INPUT_JSONL : SITREP_INPUT_TEXT;
        }
    }
    return 0;
}

static int next_jsonl(sitrep_reader *r, sitrep_article *out) {
    for (;;) {
        long n = read_line(r, SITREP_MAX_LINE_BYTES);
        if (n == -1) { r->done = 1; return 0; }
        if (n == -2) return rerr(r, r->line, SITREP_ELIMIT, "line longer than the limit (32 MB); record skipped");
        const char *s = r->buf;
        size_t len = (size_t)n;
        while (len && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i == len) continue; /* blank line */
        if (memchr(s, 0, len)) return rerr(r, r->line, SITREP_EFORMAT, "NUL byte in a JSON line (binary data?)");
        arena_reset(&r->a);
        json_record jr;
        char msg[200];
        if (json_parse_record(&r->a, s + i, len - i, &jr, msg, sizeof msg)) {
            char m2[260];
            snprintf(m2, sizeof m2, "invalid JSON: %s", msg);
            return rerr(r, r->line, SITREP_EFORMAT, m2);
        }
        if (!jr.id || !jr.id_len) return rerr(r, r->line, SITREP_EFORMAT, "missing \"id\"");
        if (!jr.text) return rerr(r, r->line, SITREP_EFORMAT, "missing \"text\"");
        const char *date = jr.date;
        if (!date || !*date) {
            if (!r->has_default) return rerr(r, r->line, SITREP_EFORMAT, "missing \"date\" (and no --date given)");
            date = r->default_date;
        } else if (!valid_date(date, strlen(date))) {
            /* accept a full timestamp "YYYY-MM-DDTHH:MM:SSZ" by its date part */
            if (strlen(date) > 10 && valid_date(date, 10) && (date[10] == 'T' || date[10] == ' ')) {
                memcpy(r->date, date, 10);
                r->date[10] = 0;
                date = r->date;
            } else {
                return rerr(r, r->line, SITREP_EFORMAT, "\"date\" is not YYYY-MM-DD");
            }
        }
        if (jr.text_len > SITREP_MAX_ARTICLE_BYTES)
            return rerr(r, r->line, SITREP_ELIMIT, "article text longer than the limit (16 MB)");
        memset(out, 0, sizeof *out);
        out->id = jr.id;
        out->id_len = jr.id_len;
        out->date = date;
        out->text = jr.text;
        out->text_len = jr.text_len;
        out->title = jr.title;
        out->url = jr.url;
        out->source = jr.source;
        out->spans = jr.spans;
        out->nspans = jr.nspans;
        out->file = r->label;
        out->line = r->line;
        return 1;
    }
}

static int next_text(sitrep_reader *r, sitrep_article *out) {
    r->done = 1; /* one article per text file */
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap);
    if (!data) return rerr(r, 1, SITREP_ENOMEM, "out of memory");
    size_t k;
    int over = 0;
    while ((k = fread(data + n, 1, cap - n, r->f)) > 0) {
        n += k;
        if (n > SITREP_MAX_ARTICLE_BYTES) { over = 1; break; }
        if (n == cap) {
            char *nd = realloc(data, cap * 2);
            if (!nd) { free(data); return rerr(r, 1, SITREP_ENOMEM, "out of memory"); }
            data = nd;
            cap *= 2;
        }
    }
    if (over) { free(data); return rerr(r, 1, SITREP_ELIMIT, "article larger than the limit (16 MB)"); }
    if (ferror(r->f)) { free(data); return rerr(r, 1, SITREP_EIO, "read error"); }
    size_t nuls = 0, bad = text_count_invalid(data, n, &nuls);
    if (nuls) { free(data); return rerr(r, 1, SITREP_EFORMAT, "binary data (NUL bytes); not a text article"); }
    if (n > 0 && bad * 10 > n) { free(data); return rerr(r, 1, SITREP_EFORMAT, "binary data (mostly invalid UTF-8); not a text article"); }
    size_t i = 0;
    if (n >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF) i = 3;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    if (i == n) { free(data); return rerr(r, 1, SITREP_EFORMAT, "empty file: no article"); }
    const char *date = NULL;
    long line = 1;
    for (size_t j = 0; j < i; j++) if (data[j] == '\n') line++;
    if (n - i >= 15 && !strncmp(data + i, "date", 4) && (data[i + 4] == ' ' || data[i + 4] == '\t')) {
        size_t j = i + 4;
        while (j < n && (data[j] == ' ' || data[j] == '\t')) j++;
        if (j + 10 <= n && valid_date(data + j, 10)) {
            memcpy(r->date, data + j, 10);
            r->date[10] = 0;
            date = r->date;
            i = j + 10;
            while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
        } else {
            free(data);
            return rerr(r, line, SITREP_EFORMAT, "bad date header (want: date YYYY-MM-DD)");
        }
    }
    if (!date) {
        if (!r->has_default) { free(data); return rerr(r, line, SITREP_EFORMAT, "no date: the first line must be 'date YYYY-MM-DD' (or give --date)"); }
        date = r->default_date;
    }
    /* the id is the file name without directory and extension */
    const char *base = strrchr(r->label, '/');
    base = base ? base + 1 : r->label;
    free(r->idbuf);
    r->idbuf = strdup(base);
    if (!r->idbuf) { free(data); return rerr(r, 1, SITREP_ENOMEM, "out of memory"); }
    char *dot = strrchr(r->idbuf, '.');
    if (dot && dot != r->idbuf) *dot = 0;
    free(r->buf);
    r->buf = data; /* keep the text alive until the next call */
    r->cap = cap;
    memset(out, 0, sizeof *out);
    out->id = r->idbuf;
    out->id_len = strlen(r->idbuf);
    out->date = date;
    out->text = data + i;
    out->text_len = n - i;
    out->file = r->label;
    out->line = line;
    return 1;
}

int sitrep_reader_next(sitrep_reader *r, sitrep_article *out) {
    if (!r || !out) return SITREP_EINVAL;
    r->err[0] = 0;
    if (r->done) return 0;
    if (!r->opened) {
        int rc = open_file(r);
        if (rc) return rc;
    }
    if (r->input == SITREP_INPUT_JSONL) return next_jsonl(r, out);
    return next_text(r, out);
}
