/* segment.c - rule-based sentence splitting and PTB-style tokenisation.
 *
 * Tokens: white space separates; leading quotes and brackets, trailing
 * punctuation, possessive 's and the clitic n't are split off; numbers
 * ("1,000", "3.5"), abbreviations ("U.S.", "Gen."), initials ("J.") and
 * hyphenated words stay whole. Sentences end at . ! ? ... (with closing quotes
 * and brackets absorbed) unless the period belongs to an abbreviation or an
 * initial, and always at a blank line. */
#include "segment.h"
#include "sitrep.h"
#include "text.h"
#include <string.h>
#include <strings.h>

/* Abbreviations that never end a sentence (titles, months, common shortenings). */
static const char *const ABBREV[] = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "maj", "col", "lt", "capt", "cpt", "sgt", "adm", "cmdr",
    "gov", "sen", "rep", "rev", "st", "sr", "jr", "hon", "pres", "amb", "brig", "cpl", "pvt", "insp",
    "supt", "fr", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "no", "nos", "vs", "v", "etc", "inc", "co", "corp", "ltd", "bros", "dept", "est",
    "approx", "al", "fig", "vol", "ca", "cf", "e.g", "i.e", "ave", "blvd", "rd", "mon", "tue", "wed",
    "thu", "fri", "sat", "sun", "gens", "lt.col", "messrs", "mme", "mlle", "sheikh", "op", "art",
    NULL};

int segment_is_abbrev(const char *w, size_t n) {
    if (n < 2 || w[n - 1] != '.') return 0;
    size_t m = n - 1;
    /* initials and dotted acronyms: "J.", "U.S.", "U.N.", "e.g." */
    int letters = 0, dots = 0, ok = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c == '.') dots++;
        else if ((c | 32) >= 'a' && (c | 32) <= 'z') letters++;
        else ok = 0;
    }
    if (ok && letters == 1 && dots == 1 && w[0] >= 'A' && w[0] <= 'Z') return 1;
    if (ok && dots >= 2 && letters <= dots + 1) {
        /* every letter is followed by a dot: U.S. / U.K. / e.g. */
        int alt = 1;
        for (size_t i = 0; i + 1 < n; i += 2)
            if (w[i] == '.' || w[i + 1] != '.') alt = 0;
        if (alt) return 1;
    }
    for (int i = 0; ABBREV[i]; i++)
        if (strlen(ABBREV[i]) == m && strncasecmp(ABBREV[i], w, m) == 0) return 1;
    return 0;
}

static int is_open_punct(int32_t c) {
    return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == 0x201C || c == 0x2018 ||
           c == 0xAB || c == 0x201E;
}
static int is_close_punct(int32_t c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == 0x201D || c == 0x2019 ||
           c == 0xBB;
}
static int is_trail_punct(int32_t c) {
    return c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '.' || c == 0x2026 ||
           is_close_punct(c);
}
static int is_dash(int32_t c) { return c == 0x2014 || c == 0x2013 || c == 0x2015; }

/* text_decode with the ASCII case inline: nearly every byte is ASCII. */
static inline int32_t dec(const char *s, size_t n, size_t *adv) {
    unsigned char b = (unsigned char)s[0];
    if (b < 0x80) {
        *adv = 1;
        return b;
    }
    return text_decode(s, n, adv);
}

typedef struct seg {
    doc *d;
    size_t cap;
    int failed;
} seg;

/* 0, or -1 when out of memory or past SITREP_MAX_ARTICLE_TOKENS (g->failed = 2) */
static int add_tok(seg *g, size_t s, size_t e, uint16_t flags) {
    doc *d = g->d;
    if (e <= s) return 0;
    if (d->ntoks >= SITREP_MAX_ARTICLE_TOKENS) { g->failed = 2; return -1; }
    if (d->ntoks == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 256;
        token *nt = arena_alloc_raw(&d->a, nc * sizeof *nt); /* each token is set in full below */
        if (!nt) return -1;
        if (d->ntoks) memcpy(nt, d->toks, d->ntoks * sizeof *nt);
        d->toks = nt;
        g->cap = nc;
    }
    token *t = &d->toks[d->ntoks++];
    memset(t, 0, sizeof *t);
    t->start = (uint32_t)s;
    t->end = (uint32_t)e;
    t->head = -1;
    t->norm = text_norm(&d->a, d->text + s, e - s, &t->norm_len);
    if (!t->norm) return -1;
    t->lower = text_lower(&d->a, t->norm, t->norm_len, &t->lower_len);
    if (!t->lower) return -1;
    t->lemma = t->lower;
    t->lemma_len = t->lower_len;
    size_t adv;
    int32_t c0 = dec(t->norm, t->norm_len, &adv);
    int up = 0, low = 0, alpha = 0;
    for (uint32_t i = 0; i < t->norm_len;) {
        unsigned char b = (unsigned char)t->norm[i];
        if (b < 0x80) {
            if ((b | 32) >= 'a' && (b | 32) <= 'z') {
                alpha++;
                if (b <= 'Z') up++;
                else low++;
            }
            i++;
            continue;
        }
        int32_t c = text_decode(t->norm + i, t->norm_len - i, &adv);
        if (text_is_alpha(c)) {
            alpha++;
            if (text_is_upper(c)) up++;
            else low++;
        }
        i += (uint32_t)adv;
    }
    if (c0 < 0x80 ? (c0 >= 'A' && c0 <= 'Z') : text_is_upper(c0)) flags |= TOK_CAP;
    if (up && !low) flags |= TOK_ALLCAP;
    if (c0 >= '0' && c0 <= '9') flags |= TOK_NUM;
    if (!alpha && !(flags & TOK_NUM)) {
        int digit = 0;
        for (uint32_t i = 0; i < t->norm_len; i++)
            if (t->norm[i] >= '0' && t->norm[i] <= '9') digit = 1;
        if (!digit) flags |= TOK_PUNCT;
    }
    t->flags = flags;
    return 0;
}

/* Split one white-space-delimited word text[s..e) into tokens. */
static int split_word(seg *g, size_t s, size_t e, uint16_t flags) {
    const char *t = g->d->text;
    size_t adv;
    /* leading opening punctuation */
    while (s < e) {
        int32_t c = dec(t + s, e - s, &adv);
        if (!is_open_punct(c) && !is_dash(c)) break;
        if (add_tok(g, s, s + adv, flags)) return -1;
        flags = 0;
        s += adv;
    }
    /* trailing punctuation, collected from the end */
    size_t tail[64];
    int nt = 0;
    size_t word_end = e;
    while (e > s && nt < 62) {
        size_t p = e - 1;
        while (p > s && ((unsigned char)t[p] & 0xC0) == 0x80) p--;
        int32_t c = dec(t + p, e - p, &adv);
        if (!is_trail_punct(c) && !is_dash(c)) break;
        if (c == '.') {
            /* "..." stays one token */
            size_t q = p;
            while (q > s && t[q - 1] == '.') q--;
            if (p - q >= 2) {
                tail[nt++] = q;
                e = q;
                continue;
            }
            /* abbreviation or initial keeps its period */
            size_t ws = s;
            if (segment_is_abbrev(t + ws, e - ws)) break;
            /* a number like "3." at the end: split */
        }
        tail[nt++] = p;
        e = p;
    }
    /* inner: possessive 's and n't */
    if (e > s) {
        size_t w = e;
        if (e - s > 2 && (t[e - 1] == 's' || t[e - 1] == 'S')) {
            size_t q = e - 1;
            if (t[q - 1] == '\'') w = q - 1;
            else if (q >= s + 4 && (unsigned char)t[q - 3] == 0xE2 && (unsigned char)t[q - 2] == 0x80 &&
                     (unsigned char)t[q - 1] == 0x99)
                w = q - 3;
        }
        if (w == e && e - s > 3 && (t[e - 1] == 't' || t[e - 1] == 'T') && t[e - 2] == '\'' &&
            (t[e - 3] == 'n' || t[e - 3] == 'N'))
            w = e - 3;
        if (w > s && w < e) {
            if (add_tok(g, s, w, flags)) return -1;
            if (add_tok(g, w, e, 0)) return -1;
        } else if (add_tok(g, s, e, flags)) {
            return -1;
        }
        flags = 0;
    }
    /* tail tokens in order: tail[] holds their starts, last first */
    for (int i = nt - 1; i >= 0; i--) {
        size_t pe = i > 0 ? tail[i - 1] : word_end;
        if (add_tok(g, tail[i], pe, 0)) return -1;
    }
    return 0;
}

static int tokenize(seg *g) {
    doc *d = g->d;
    const char *t = d->text;
    size_t n = d->len, i = 0;
    int newlines = 2;
    while (i < n) {
        size_t adv;
        int32_t c = dec(t + i, n - i, &adv);
        if (c < 0x80 ? (c == ' ' || (c >= '\t' && c <= '\r')) : text_is_space(c)) {
            if (c == '\n') newlines++;
            i += adv;
            continue;
        }
        size_t s = i;
        while (i < n) {
            c = dec(t + i, n - i, &adv);
            if (c < 0x80 ? (c == ' ' || (c >= '\t' && c <= '\r')) : text_is_space(c)) break;
            if (is_dash(c) && i > s) break; /* em dash glued to words */
            if (is_dash(c) && i == s) {
                i += adv;
                break;
            }
            i += adv;
        }
        uint16_t fl = TOK_SPACE;
        if (newlines >= 2) fl |= TOK_PARA;
        newlines = 0;
        if (split_word(g, s, i, fl)) return -1;
    }
    return 0;
}

static int ends_sentence(const doc *d, uint32_t k) {
    const token *t = &d->toks[k];
    if (t->norm_len == 1 && (t->norm[0] == '.' || t->norm[0] == '!' || t->norm[0] == '?')) return 1;
    if (t->norm_len == 3 && memcmp(t->norm, "...", 3) == 0) {
        /* ellipsis ends a sentence only before a capital */
        return k + 1 < d->ntoks && (d->toks[k + 1].flags & TOK_CAP);
    }
    return 0;
}

static int add_sent(seg *g, size_t *cap, uint32_t first, uint32_t count, uint32_t para) {
    doc *d = g->d;
    if (!count) return 0;
    if (d->nsents == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        sentence *ns = arena_alloc_raw(&d->a, nc * sizeof *ns); /* each sentence is set in full below */
        if (!ns) return -1;
        if (d->nsents) memcpy(ns, d->sents, d->nsents * sizeof *ns);
        d->sents = ns;
        *cap = nc;
    }
    sentence *s = &d->sents[d->nsents];
    s->first = first;
    s->count = count;
    s->start = d->toks[first].start;
    s->end = d->toks[first + count - 1].end;
    s->para = para;
    for (uint32_t i = first; i < first + count; i++) d->toks[i].sent = d->nsents;
    d->nsents++;
    return 0;
}

int segment_doc(doc *d, uint32_t max_tokens) {
    seg g = {d, 0, 0};
    d->toks = NULL;
    d->ntoks = 0;
    d->sents = NULL;
    d->nsents = 0;
    if (tokenize(&g)) return g.failed == 2 ? -2 : -1;
    size_t cap = 0;
    uint32_t first = 0, para = 0;
    for (uint32_t k = 0; k < d->ntoks; k++) {
        if (k > first && (d->toks[k].flags & TOK_PARA)) {
            if (add_sent(&g, &cap, first, k - first, para)) return -1;
            first = k;
            para++;
        }
        int end = ends_sentence(d, k);
        if (end) {
            /* absorb closing quotes and brackets */
            while (k + 1 < d->ntoks && k + 2 - first <= max_tokens && d->toks[k + 1].norm_len == 1 &&
                   (d->toks[k + 1].norm[0] == '"' || d->toks[k + 1].norm[0] == ')' ||
                    d->toks[k + 1].norm[0] == '\'' || d->toks[k + 1].norm[0] == ']') &&
                   !(d->toks[k + 1].flags & TOK_SPACE))
                k++;
            /* lower-case continuation after "?" or "!" inside quotes is not a break */
            if (k + 1 < d->ntoks && !(d->toks[k + 1].flags & (TOK_CAP | TOK_NUM | TOK_PUNCT)) &&
                !(d->toks[k + 1].flags & TOK_PARA) && d->toks[k].norm[0] != '.')
                end = 0;
        }
        if (end || k + 1 - first >= max_tokens) {
            if (add_sent(&g, &cap, first, k + 1 - first, para)) return -1;
            first = k + 1;
        }
    }
    if (first < d->ntoks && add_sent(&g, &cap, first, d->ntoks - first, para)) return -1;
    return 0;
}
