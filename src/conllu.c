/* conllu.c - CoNLL-U reader for training and evaluating the tagger and parser.
 *
 * Reads the syntactic words of each sentence (multi-word token ranges and
 * empty nodes are skipped), folds each form the way the segmenter folds text
 * (typographic quotes and dashes to ASCII) and lower-cases it, so training
 * sees the same strings the models see at run time. Malformed lines are
 * reported as FILE:LINE: reason. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "parse_int.h"
#include "sitrep.h"

static const char *const upos_names[UPOS_COUNT] = {
    "_", "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART",
    "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"
};

/* Name of a UPOS value ("NOUN"); "_" for 0 or unknown values. */
const char *parse_upos_name(int upos) {
    return upos > 0 && upos < UPOS_COUNT ? upos_names[upos] : "_";
}

/* UPOS value of a name, 0 if unknown. */
int cu_upos_from_name(const char *s) {
    for (int i = 1; i < UPOS_COUNT; i++) if (!strcmp(s, upos_names[i])) return i;
    return 0;
}

/* An empty corpus. */
void cu_init(cu_corpus *c) {
    memset(c, 0, sizeof *c);
    arena_init(&c->a, 0);
}

/* Free a corpus (accepts NULL). */
void cu_free(cu_corpus *c) {
    if (!c) return;
    arena_free(&c->a);
    free(c->toks);
    free(c->sents);
    memset(c, 0, sizeof *c);
}

/* Fold a form as text_norm does and lower-case it (see parse_int.h); arena strings. */
int cu_normalise(arena *a, const char *s, size_t n, const char **norm, uint32_t *norm_len,
                 const char **lower, uint32_t *lower_len) {
    char *nb = arena_alloc(a, n * 3 + 8), *lb = arena_alloc(a, n * 4 + 8);
    if (!nb || !lb) return -1;
    size_t o = 0, lo = 0, i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { nb[o++] = '?'; i++; continue; }
        const char *rep = NULL;
        switch (cp) { /* the same folding as text_norm (text.c) */
        case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x00B4: case 0x0060: rep = "'"; break;
        case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB: rep = "\""; break;
        case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: rep = "-"; break;
        case 0x2026: rep = "..."; break;
        case 0x00A0: rep = " "; break;
        default: break;
        }
        if (rep) { size_t rl = strlen(rep); memcpy(nb + o, rep, rl); o += rl; }
        else { memcpy(nb + o, s + i, (size_t)k); o += (size_t)k; }
        i += (size_t)k;
    }
    nb[o] = 0;
    for (i = 0; i < o;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)nb + i, (utf8proc_ssize_t)(o - i), &cp);
        if (k <= 0) { lb[lo++] = nb[i++]; continue; }
        lo += (size_t)utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *)lb + lo);
        i += (size_t)k;
    }
    lb[lo] = 0;
    *norm = nb; *norm_len = (uint32_t)o;
    *lower = lb; *lower_len = (uint32_t)lo;
    return 0;
}

/* split line into up to 10 tab fields; returns the count */
static int split_tabs(char *line, char **f) {
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') { *p = 0; if (n == 10) return 11; f[n++] = p + 1; }
    return n;
}

static int close_sentence(cu_corpus *c, size_t first, const char *path, long *lines,
                          char *err, size_t errlen) {
    size_t n = c->ntoks - first;
    if (!n) return 0;
    for (size_t i = first; i < c->ntoks; i++)
        if (c->toks[i].head < 0 || (size_t)c->toks[i].head > n) {
            snprintf(err, errlen, "%s:%ld: head %d outside the sentence (1..%zu)", path,
                     lines[i - first], c->toks[i].head, n);
            return SITREP_EFORMAT;
        }
    if (c->nsents == c->scap) {
        size_t nc = c->scap ? c->scap * 2 : 1024;
        cu_sent *ns = realloc(c->sents, nc * sizeof *ns);
        if (!ns) { snprintf(err, errlen, "out of memory"); return SITREP_ENOMEM; }
        c->sents = ns; c->scap = nc;
    }
    c->sents[c->nsents].first = (uint32_t)first;
    c->sents[c->nsents].n = (uint32_t)n;
    c->nsents++;
    return 0;
}

static int parse_uint(const char *s, long *out) {
    if (!*s) return -1;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000) return -1;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 0;
}

/* Append the sentences of a CoNLL-U file (see parse_int.h); FILE:LINE errors. */
int cu_read(cu_corpus *c, const char *path, char *err, size_t errlen) {
    FILE *fp = fopen(path, "rb");
    if (!fp) { snprintf(err, errlen, "%s: cannot open", path); return SITREP_EIO; }
    char *line = NULL;
    size_t lcap = 0;
    long lineno = 0, *lines = NULL;
    size_t lines_cap = 0;
    ssize_t got;
    size_t first = c->ntoks;
    int rc = 0;
    char *f[11];
    while ((got = getline(&line, &lcap, fp)) >= 0) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
        if (got == 0) {
            if ((rc = close_sentence(c, first, path, lines, err, errlen))) goto done;
            first = c->ntoks;
            continue;
        }
        if (line[0] == '#') continue;
        int nf = split_tabs(line, f);
        if (nf != 10) {
            snprintf(err, errlen, "%s:%ld: expected 10 tab-separated fields, found %d", path, lineno, nf);
            rc = SITREP_EFORMAT; goto done;
        }
        if (strchr(f[0], '-') || strchr(f[0], '.')) continue; /* MWT range or empty node */
        long id, head;
        size_t n = c->ntoks - first;
        if (parse_uint(f[0], &id) || id != (long)n + 1) {
            snprintf(err, errlen, "%s:%ld: bad token id '%s' (expected %zu)", path, lineno, f[0], n + 1);
            rc = SITREP_EFORMAT; goto done;
        }
        if (parse_uint(f[6], &head)) {
            snprintf(err, errlen, "%s:%ld: bad head '%s'", path, lineno, f[6]);
            rc = SITREP_EFORMAT; goto done;
        }
        int upos = cu_upos_from_name(f[3]);
        if (!upos) {
            snprintf(err, errlen, "%s:%ld: unknown UPOS '%s'", path, lineno, f[3]);
            rc = SITREP_EFORMAT; goto done;
        }
        if (!f[1][0] || !f[7][0] || !strcmp(f[7], "_") || strlen(f[4]) > 7) {
            snprintf(err, errlen, "%s:%ld: empty form, deprel or bad XPOS", path, lineno);
            rc = SITREP_EFORMAT; goto done;
        }
        if (c->ntoks == c->tcap) {
            size_t nc = c->tcap ? c->tcap * 2 : 16384;
            cu_tok *nt = realloc(c->toks, nc * sizeof *nt);
            if (!nt) goto oom;
            c->toks = nt; c->tcap = nc;
        }
        if (n >= lines_cap) {
            size_t nc = lines_cap ? lines_cap * 2 : 256;
            long *nl = realloc(lines, nc * sizeof *nl);
            if (!nl) goto oom;
            lines = nl; lines_cap = nc;
        }
        lines[n] = lineno;
        cu_tok *t = &c->toks[c->ntoks];
        memset(t, 0, sizeof *t);
        if (cu_normalise(&c->a, f[1], strlen(f[1]), &t->form, &t->form_len, &t->lower, &t->lower_len))
            goto oom;
        t->lemma_len = (uint32_t)strlen(f[2]);
        t->lemma = arena_strndup(&c->a, f[2], t->lemma_len);
        t->xpos = arena_strndup(&c->a, f[4], strlen(f[4]));
        t->deprel = arena_strndup(&c->a, f[7], strlen(f[7]));
        if (!t->lemma || !t->xpos || !t->deprel) goto oom;
        t->upos = (uint8_t)upos;
        t->head = (int32_t)head;
        c->ntoks++;
    }
    rc = close_sentence(c, first, path, lines, err, errlen);
    if (!rc && ferror(fp)) { snprintf(err, errlen, "%s: read error", path); rc = SITREP_EIO; }
    goto done;
oom:
    snprintf(err, errlen, "out of memory reading %s", path);
    rc = SITREP_ENOMEM;
done:
    if (rc) c->ntoks = first; /* drop the partial sentence */
    free(line);
    free(lines);
    fclose(fp);
    return rc;
}
