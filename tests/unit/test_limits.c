/* test_limits.c - hostile input at the library boundary (issue 9): the hard
 * limits of sitrep.h and the bounded results of the readers, the UTF-8 repair,
 * the segmenter and the coder. Each case checks a clear status and message, or
 * a bounded result; the CLI-level cases with memory caps are tests/sh/limits.sh. */
#include "check.h"
#include "doc.h"
#include "json.h"
#include "segment.h"
#include "sitrep.h"
#include "text.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char GOOD[] = "Israeli troops attacked Hamas fighters in Gaza.";

static int code_text(const sitrep_ctx *c, sitrep_doc *d, const char *text, size_t n) {
    sitrep_article a;
    memset(&a, 0, sizeof a);
    a.id = "t";
    a.id_len = 1;
    a.date = "2024-01-01";
    a.text = text;
    a.text_len = n;
    return sitrep_code(c, d, &a);
}

/* 1 when the document's events include a CAMEO code starting with root. */
static int has_root(const sitrep_doc *d, const char *root) {
    for (size_t i = 0; i < sitrep_doc_nevents(d); i++)
        if (!strncmp(sitrep_doc_event(d, i)->cameo, root, strlen(root))) return 1;
    return 0;
}

static void test_article_limit(const sitrep_ctx *c, sitrep_doc *d) {
    size_t n = SITREP_MAX_ARTICLE_BYTES + 1;
    char *big = malloc(n);
    CHECK(big != NULL);
    if (!big) return;
    for (size_t i = 0; i < n; i++) big[i] = "Israel attacked Gaza. "[i % 22];
    CHECK(code_text(c, d, big, n) == SITREP_ELIMIT);
    CHECK(strstr(sitrep_doc_errmsg(d), "limit") != NULL);
    CHECK(sitrep_segment(c, d, &(sitrep_article){.id = "t", .id_len = 1, .text = big, .text_len = n}) == SITREP_ELIMIT);
    free(big);
    /* the handle is usable afterwards */
    CHECK(code_text(c, d, GOOD, strlen(GOOD)) == SITREP_OK);
    CHECK(has_root(d, "19"));
}

static void test_long_sentence(const sitrep_ctx *c, sitrep_doc *d) {
    /* one sentence of nearly a million tokens (the article limit):
     * chunks of at most the sentence limit */
    size_t ntok = SITREP_MAX_ARTICLE_TOKENS - 100, n = strlen(GOOD) - 1 + ntok * 4 + 2;
    char *s = malloc(n + 1);
    CHECK(s != NULL);
    if (!s) return;
    size_t o = strlen(GOOD) - 1;
    memcpy(s, GOOD, o);
    for (size_t i = 0; i < ntok; i++) { memcpy(s + o, " and", 4); o += 4; }
    s[o++] = '.';
    s[o] = 0;
    CHECK(code_text(c, d, s, o) == SITREP_OK);
    CHECK(sitrep_doc_ntokens(d) >= ntok);
    CHECK(sitrep_doc_nsentences(d) >= ntok / SITREP_MAX_SENTENCE_TOKENS);
    CHECK(has_root(d, "19"));
    /* the segmenter itself, with a small chunk size */
    doc dd;
    memset(&dd, 0, sizeof dd);
    arena_init(&dd.a, 0);
    dd.text = s;
    dd.len = o;
    CHECK(segment_doc(&dd, 7) == 0);
    int over = 0;
    for (uint32_t i = 0; i < dd.nsents; i++) over |= dd.sents[i].count > 7 || dd.sents[i].count == 0;
    CHECK(!over);
    arena_free(&dd.a);
    free(s);
    /* one token past the article limit: rejected, naming the limit */
    ntok = SITREP_MAX_ARTICLE_TOKENS + 1;
    n = ntok * 2 + 1;
    s = malloc(n + 1);
    CHECK(s != NULL);
    if (!s) return;
    for (size_t i = 0; i < ntok; i++) { s[2 * i] = 'a'; s[2 * i + 1] = ' '; }
    s[n - 1] = '.';
    s[n] = 0;
    CHECK(code_text(c, d, s, n) == SITREP_ELIMIT);
    CHECK(strstr(sitrep_doc_errmsg(d), "more tokens than the limit") != NULL);
    free(s);
    CHECK(code_text(c, d, GOOD, strlen(GOOD)) == SITREP_OK);
    CHECK(has_root(d, "19"));
}

static void test_nesting(const sitrep_ctx *c, sitrep_doc *d) {
    size_t depth = 10000, n = strlen(GOOD) + depth * 4;
    char *s = malloc(n + 1);
    CHECK(s != NULL);
    if (!s) return;
    size_t o = 0;
    for (size_t i = 0; i < depth; i++) { s[o++] = '('; s[o++] = '"'; }
    memcpy(s + o, GOOD, strlen(GOOD));
    o += strlen(GOOD);
    for (size_t i = 0; i < depth; i++) { s[o++] = '"'; s[o++] = ')'; }
    CHECK(code_text(c, d, s, o) == SITREP_OK);
    CHECK(has_root(d, "19"));
    free(s);
}

static void test_json(void) {
    arena a;
    arena_init(&a, 0);
    json_record r;
    char err[256];
    /* deep nesting in an unknown key: rejected with a reason */
    size_t depth = 100000;
    const char *head = "{\"id\":\"x\",\"text\":\"t\",\"deep\":", *tail = "}";
    size_t n = strlen(head) + 2 * depth + strlen(tail);
    char *s = malloc(n);
    CHECK(s != NULL);
    if (s) {
        size_t o = strlen(head);
        memcpy(s, head, o);
        memset(s + o, '[', depth);
        memset(s + o + depth, ']', depth);
        memcpy(s + o + 2 * depth, tail, strlen(tail));
        memset(&r, 0, sizeof r);
        CHECK(json_parse_record(&a, s, n, &r, err, sizeof err) == -1);
        CHECK(strstr(err, "nesting") != NULL);
        free(s);
    }
    /* \u0000 becomes a space; lone surrogates become U+FFFD; a pair is joined */
    const char *j = "{\"id\":\"x\",\"text\":\"a\\u0000b\\ud800c\\udc00d\\ud83d\\ude00\"}";
    memset(&r, 0, sizeof r);
    CHECK(json_parse_record(&a, j, strlen(j), &r, err, sizeof err) == 0);
    CHECK(r.text && r.text_len == strlen("a b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xF0\x9F\x98\x80"));
    CHECK(r.text && !memcmp(r.text, "a b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xF0\x9F\x98\x80", r.text_len));
    /* inputs cut anywhere are errors, never reads past the end (ASan) */
    const char *full = "{\"id\":\"x\",\"text\":\"a\\\"b\\u00e9\",\"spans\":[[0,1],[2,3]],\"k\":[true,null,-1.5e3]}";
    size_t fl = strlen(full);
    int bad = 0;
    for (size_t cut = 0; cut < fl; cut++) {
        char *p = malloc(cut ? cut : 1);
        if (!p) continue;
        memcpy(p, full, cut);
        memset(&r, 0, sizeof r);
        if (json_parse_record(&a, p, cut, &r, err, sizeof err) != -1 || !err[0]) bad++;
        free(p);
    }
    CHECK(bad == 0);
    memset(&r, 0, sizeof r);
    CHECK(json_parse_record(&a, full, fl, &r, err, sizeof err) == 0 && r.nspans == 2);
    arena_free(&a);
}

static void test_utf8(const sitrep_ctx *c, sitrep_doc *d) {
    static const struct { const char *bytes; size_t n; } bad[] = {
        {"\xC0\xAF", 2},         /* overlong '/' */
        {"\xE0\x80\xAF", 3},     /* overlong, 3 bytes */
        {"\xF0\x80\x80\xAF", 4}, /* overlong, 4 bytes */
        {"\xED\xA0\x80", 3},     /* high surrogate */
        {"\xED\xBF\xBF", 3},     /* low surrogate */
        {"\xF4\x90\x80\x80", 4}, /* past U+10FFFF */
        {"\xF8\x88\x80\x80\x80", 5}, /* 5-byte form */
        {"\xFF", 1}, {"\x80", 1}, {"\xE2\x82", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(text_count_invalid(bad[i].bytes, bad[i].n, NULL) >= 1);
        char buf[256];
        int n = snprintf(buf, sizeof buf, "%.*s %s %.*s", (int)bad[i].n, bad[i].bytes, GOOD, (int)bad[i].n, bad[i].bytes);
        CHECK(code_text(c, d, buf, (size_t)n) == SITREP_OK);
        CHECK(sitrep_doc_repaired(d) >= 2);
        CHECK(has_root(d, "19"));
        sitrep_buf out = {0};
        for (size_t e = 0; e < sitrep_doc_nevents(d); e++) sitrep_event_json(d, e, &out);
        CHECK(out.len > 0 && text_count_invalid(out.data, out.len, NULL) == 0);
        sitrep_buf_free(&out);
    }
    /* NUL bytes inside an article given through the API are repaired to spaces */
    char nul[128];
    int n = snprintf(nul, sizeof nul, "%s", GOOD);
    nul[7] = 0;
    CHECK(code_text(c, d, nul, (size_t)n) == SITREP_OK);
    CHECK(sitrep_doc_repaired(d) >= 1);
    CHECK(has_root(d, "19"));
}

int main(void) {
    sitrep_options o;
    memset(&o, 0, sizeof o);
    o.models_dir = "";
    o.gazetteer = "";
    sitrep_ctx *c = sitrep_ctx_new(&o);
    CHECK(c && sitrep_ctx_status(c) == SITREP_OK);
    sitrep_doc *d = sitrep_doc_new();
    CHECK(d != NULL);
    if (c && d && sitrep_ctx_status(c) == SITREP_OK) {
        test_article_limit(c, d);
        test_long_sentence(c, d);
        test_nesting(c, d);
        test_utf8(c, d);
    }
    test_json();
    sitrep_doc_free(d);
    sitrep_ctx_free(c);
    return CHECK_DONE();
}
