/* test_store.c - the SQLite event store through its library API, with events
 * written by hand (no coder needed): idempotent ingest, content-hash and
 * near-duplicate articles, clustering of rewritten copies of one story from
 * several outlets (one cluster, right counts) while distinct events of one
 * dyad on the same day stay apart, batch-boundary independence, queries and
 * timelines. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sitrep.h"

static char dir[256];

static sitrep_article art(const char *id, const char *date, const char *source, const char *text) {
    sitrep_article a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.id_len = strlen(id);
    a.date = date;
    a.text = text;
    a.text_len = strlen(text);
    a.source = source;
    a.file = "test";
    a.line = 1;
    return a;
}

static sitrep_place gaza = {"Gaza", 30, 34, "Gaza", 281133, 31.50161, 34.46672, "PS", "PPLA", "Gaza Strip"};
static sitrep_place jenin = {"Jenin", 30, 35, "Jenin", 293783, 32.46077, 35.30038, "PS", "PPLA", "Jenin"};

static sitrep_event ev(const char *aid, const char *date, const char *src, const char *tgt,
                       const char *cameo, double gold, int quad, const char *plover,
                       const sitrep_place *loc, const char *sentence) {
    sitrep_event e;
    memset(&e, 0, sizeof e);
    e.article_id = aid;
    e.date = date;
    e.source.code = src;
    e.source.text = "Israeli troops";
    e.source.name = "";
    e.source.rule = "kb/actors/x.txt:1";
    e.target.code = tgt;
    e.target.text = "Palestinian protesters";
    e.target.name = "";
    e.target.rule = "";
    snprintf(e.cameo, sizeof e.cameo, "%s", cameo);
    memcpy(e.root, cameo, 2);
    e.root[2] = 0;
    e.goldstein = gold;
    e.quad_class = quad;
    e.plover_type = plover;
    e.plover_mode = "";
    e.location = loc;
    e.modality = "";
    e.verb_text = "attacked";
    e.rule = "kb/verbs/19.txt:3";
    e.sentence_text = sentence;
    return e;
}

static long long q1(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        fprintf(stderr, "sql failed: %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return v;
}

/* Concatenate a query's rows as text. */
static char *dump(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s = NULL;
    sitrep_buf b = {0};
    size_t cap = 1 << 16;
    char *out = calloc(1, cap);
    size_t n = 0;
    (void)b;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) return out;
    while (sqlite3_step(s) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            const char *t = (const char *)sqlite3_column_text(s, c);
            n += (size_t)snprintf(out + n, cap - n, "%s%c", t ? t : "NULL",
                                  c + 1 == sqlite3_column_count(s) ? '\n' : '|');
            if (n >= cap) n = cap - 1;
        }
    sqlite3_finalize(s);
    return out;
}

static int collect(void *ud, const char *data, size_t len) {
    sitrep_buf *b = ud;
    char *p = realloc(b->data, b->len + len + 1);
    if (!p) return 1;
    b->data = p;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
    return 0;
}

static size_t count_lines(const char *s) {
    size_t n = 0;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}

#define S1 "Israeli troops attacked Palestinian protesters in Gaza on Friday, witnesses said."
static const char *story[5] = {
    S1 " The army said soldiers fired at people approaching the border fence near Khan Younis.",
    "Palestinian protesters in Gaza were attacked by Israeli troops on Friday, according to "
    "medical officials who reported dozens of injuries in the clashes.",
    "Israeli forces attacked demonstrators in the Gaza Strip, the health ministry said on "
    "Saturday, as tensions rose along the boundary.",
    "Witnesses described Israeli soldiers opening fire on a crowd of Palestinian protesters in "
    "Gaza, in the latest violence along the frontier.",
    "Dozens were hurt when Israeli troops attacked Palestinian protesters in Gaza, a hospital "
    "spokesman told the agency by telephone."};
static const char *outlet[5] = {"Reuters", "AP", "AFP", "Al Jazeera", "Reuters"};
static const char *sdate[5] = {"2024-03-01", "2024-03-01", "2024-03-02", "2024-03-01", "2024-03-02"};

/* Ingest the fixed test set; batch = articles per transaction (0 = none). */
static int ingest_all(sitrep_store *st, int batch) {
    char id[32];
    int stored = 0, inbatch = 0;
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "story-%d", i);
        sitrep_article a = art(id, sdate[i], outlet[i], story[i]);
        sitrep_event e = ev(id, sdate[i], "ISRMIL", "PSEOPP", "190", -10, 4, "ASSAULT", &gaza, story[i]);
        if (batch && !inbatch) sitrep_store_begin(st);
        int r = sitrep_store_add(st, &a, 1, &e, 1);
        if (r < 0) fprintf(stderr, "add: %s\n", sitrep_store_errmsg(st));
        stored += r > 0;
        if (batch && ++inbatch == batch) { sitrep_store_commit(st); inbatch = 0; }
    }
    /* same dyad, same day, different happenings */
    struct { const char *id, *cameo, *plover; double g; int quad; const sitrep_place *loc; const char *date; } d[4] = {
        {"meet-1", "040", "CONSULT", 1, 1, &gaza, "2024-03-01"},      /* other root */
        {"jenin-1", "190", "ASSAULT", -10, 4, &jenin, "2024-03-01"},  /* other place */
        {"later-1", "190", "ASSAULT", -10, 4, &gaza, "2024-03-06"},   /* five days on */
        {"noplace-1", "190", "ASSAULT", -10, 4, NULL, "2024-03-01"}}; /* no place */
    for (int i = 0; i < 4; i++) {
        char text[200];
        snprintf(text, sizeof text, "Article %s: a separate report number %d about the region.", d[i].id, i);
        sitrep_article a = art(d[i].id, d[i].date, "Haaretz", text);
        sitrep_event e = ev(d[i].id, d[i].date, "ISRMIL", "PSEOPP", d[i].cameo, d[i].g, d[i].quad,
                            d[i].plover, d[i].loc, text);
        if (batch && !inbatch) sitrep_store_begin(st);
        int r = sitrep_store_add(st, &a, 1, &e, 1);
        if (r < 0) fprintf(stderr, "add: %s\n", sitrep_store_errmsg(st));
        stored += r > 0;
        if (batch && ++inbatch == batch) { sitrep_store_commit(st); inbatch = 0; }
    }
    if (batch && inbatch) sitrep_store_commit(st);
    return stored;
}

static void test_ingest_and_clusters(void) {
    char path[300];
    snprintf(path, sizeof path, "%s/a.db", dir);
    sitrep_store *st = sitrep_store_open(path, 0);
    CHECK(st && sitrep_store_status(st) == SITREP_OK);
    CHECK(ingest_all(st, 3) == 9);
    /* idempotent: everything again is skipped */
    CHECK(ingest_all(st, 0) == 0);
    /* same text under a new id: skipped by content hash */
    sitrep_article a = art("story-copy", "2024-03-01", "Reuters", story[0]);
    CHECK(sitrep_store_add(st, &a, 1, NULL, 0) == 0);
    CHECK(sitrep_store_has_article(st, "story-0", 7) == 1);
    CHECK(sitrep_store_has_article(st, "nope", 4) == 0);
    long na = 0, ne = 0, nc = 0;
    CHECK(sitrep_store_counts(st, &na, &ne, &nc) == SITREP_OK);
    CHECK(na == 9);
    CHECK(ne == 9);
    CHECK(nc == 5); /* the story + 4 distinct happenings */

    sqlite3 *db = NULL;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(q1(db, "SELECT mentions FROM clusters WHERE first_event = 1") == 5);
    CHECK(q1(db, "SELECT articles FROM clusters WHERE first_event = 1") == 5);
    CHECK(q1(db, "SELECT sources FROM clusters WHERE first_event = 1") == 4);
    CHECK(q1(db, "SELECT count(DISTINCT cluster) FROM events WHERE article_id LIKE 'story-%'") == 1);
    CHECK(q1(db, "SELECT count(*) FROM clusters WHERE mentions = 1") == 4);
    CHECK(q1(db, "SELECT count(*) FROM places") == 2);
    CHECK(q1(db, "SELECT nevents FROM actors WHERE code = 'ISRMIL'") == 9);
    char *s = dump(db, "SELECT first_date, last_date FROM clusters WHERE id = 1");
    CHECK_STR(s, "2024-03-01|2024-03-02\n");
    free(s);
    sqlite3_close(db);

    /* an article back as a JSON Lines record */
    sitrep_buf j = {0};
    CHECK(sitrep_store_article_json(st, "story-1", &j) == 1);
    CHECK(j.data && !strncmp(j.data, "{\"id\": \"story-1\", \"date\": \"2024-03-01\", \"source\": \"AP\", "
                                     "\"text\": \"Palestinian protesters", 85));
    CHECK(sitrep_store_article_json(st, "nope", &j) == 0);
    sitrep_buf_free(&j);

    /* summary */
    sitrep_buf b = {0};
    CHECK(sitrep_store_summary(st, &b) == SITREP_OK);
    CHECK(b.data && strstr(b.data, "articles   9"));
    CHECK(b.data && strstr(b.data, "19 FIGHT"));
    CHECK(b.data && strstr(b.data, "CONSULT"));
    sitrep_buf_free(&b);
    sitrep_store_close(st);
}

static void test_batch_independence(void) {
    char p1[300], p2[300];
    snprintf(p1, sizeof p1, "%s/b1.db", dir);
    snprintf(p2, sizeof p2, "%s/b2.db", dir);
    sitrep_store *s1 = sitrep_store_open(p1, 0), *s2 = sitrep_store_open(p2, 0);
    ingest_all(s1, 1);
    ingest_all(s2, 100);
    sitrep_store_close(s1);
    sitrep_store_close(s2);
    sqlite3 *d1 = NULL, *d2 = NULL;
    sqlite3_open(p1, &d1);
    sqlite3_open(p2, &d2);
    const char *q[2] = {"SELECT * FROM events ORDER BY id", "SELECT * FROM clusters ORDER BY id"};
    for (int i = 0; i < 2; i++) {
        char *a = dump(d1, q[i]), *c = dump(d2, q[i]);
        CHECK(a && c && *a && !strcmp(a, c));
        free(a);
        free(c);
    }
    sqlite3_close(d1);
    sqlite3_close(d2);
}

static void test_near_duplicates(void) {
    char path[300];
    snprintf(path, sizeof path, "%s/n.db", dir);
    sitrep_store *st = sitrep_store_open(path, 0);
    const char *base =
        "The foreign ministers of France and Germany met in Berlin on Tuesday to discuss the "
        "war in Ukraine, energy prices and the next budget of the European Union, officials said. "
        "They agreed to meet again next month in Paris and to ask their finance ministers to "
        "prepare a common plan for the winter, according to a joint statement released after "
        "the talks, which lasted more than four hours.";
    char copy[1024];
    snprintf(copy, sizeof copy, "BERLIN (Wire) - %s Reporting by staff.", base);
    const char *other =
        "Heavy rain flooded parts of Dhaka on Monday, cutting power to thousands of homes and "
        "stranding commuters, as the monsoon arrived earlier than forecasters had expected this year.";
    sitrep_article a = art("n1", "2024-05-07", "AFP", base);
    sitrep_article b = art("n2", "2024-05-07", "DW", copy);
    sitrep_article c = art("n3", "2024-05-07", "BSS", other);
    CHECK(sitrep_store_add(st, &a, 3, NULL, 0) == 1);
    CHECK(sitrep_store_add(st, &b, 3, NULL, 0) == 1);
    CHECK(sitrep_store_add(st, &c, 1, NULL, 0) == 1);
    sitrep_store_close(st);
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    CHECK(q1(db, "SELECT dup_of FROM articles WHERE ext_id = 'n2'") ==
          q1(db, "SELECT id FROM articles WHERE ext_id = 'n1'"));
    CHECK(q1(db, "SELECT dup_of IS NULL FROM articles WHERE ext_id = 'n3'") == 1);
    CHECK(q1(db, "SELECT dup_of IS NULL FROM articles WHERE ext_id = 'n1'") == 1);
    sqlite3_close(db);
}

/* An event with an uncoded actor merges only within its story: the article
 * and its near copies, not another outlet's report. */
static void test_vague_events(void) {
    char path[300];
    snprintf(path, sizeof path, "%s/v.db", dir);
    sitrep_store *st = sitrep_store_open(path, 0);
    const char *t1 =
        "Israeli troops attacked a crowd near the border fence in Gaza on Friday, injuring dozens "
        "of people, according to local health officials who spoke to reporters at the main "
        "hospital in the south of the territory late in the evening after the clashes ended.";
    const char *t2 = "Gunfire was heard near the fence in Gaza on Friday as Israeli soldiers moved in.";
    char t3[600];
    snprintf(t3, sizeof t3, "GAZA (Wire) - %s", t1);
    const char *texts[3] = {t1, t2, t3}, *ids[3] = {"v1", "v2", "v3"}, *outs[3] = {"Reuters", "AP", "AFP"};
    for (int i = 0; i < 3; i++) {
        sitrep_article a = art(ids[i], "2024-03-01", outs[i], texts[i]);
        sitrep_event e = ev(ids[i], "2024-03-01", "ISRMIL", "", "190", -10, 4, "ASSAULT", &gaza, texts[i]);
        CHECK(sitrep_store_add(st, &a, 1, &e, 1) == 1);
    }
    sitrep_store_close(st);
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    CHECK(q1(db, "SELECT count(*) FROM clusters") == 2);
    CHECK(q1(db, "SELECT mentions FROM clusters WHERE id = 1") == 2);
    CHECK(q1(db, "SELECT sources FROM clusters WHERE id = 1") == 2);
    CHECK(q1(db, "SELECT cluster FROM events WHERE article_id = 'v3'") == 1);
    CHECK(q1(db, "SELECT dup_of FROM articles WHERE ext_id = 'v3'") == 1);
    sqlite3_close(db);
}

static void test_query_timeline(void) {
    char path[300];
    snprintf(path, sizeof path, "%s/a.db", dir);
    sitrep_store *st = sitrep_store_open(path, 1);
    CHECK(sitrep_store_status(st) == SITREP_OK);
    sitrep_store_filter f;
    sitrep_buf out = {0};
    memset(&f, 0, sizeof f);
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_TSV, collect, &out) == 9);
    CHECK(count_lines(out.data) == 10);
    sitrep_buf_free(&out);

    f.root = "19";
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_JSONL, collect, &out) == 8);
    CHECK(out.data && strstr(out.data, "\"cameo\": {\"code\": \"190\""));
    sitrep_buf_free(&out);
    f.clusters = 1;
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_JSONL, collect, &out) == 4);
    CHECK(out.data && strstr(out.data, "\"mentions\": 5, \"sources\": 4, \"articles\": 5"));
    sitrep_buf_free(&out);

    memset(&f, 0, sizeof f);
    f.place = "jenin";
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_CSV, collect, &out) == 1);
    sitrep_buf_free(&out);
    memset(&f, 0, sizeof f);
    f.use_bbox = 1;
    f.bbox[0] = 34.0; f.bbox[1] = 31.0; f.bbox[2] = 34.6; f.bbox[3] = 31.6;
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_GEOJSON, collect, &out) == 7);
    CHECK(out.data && strstr(out.data, "\"FeatureCollection\""));
    sitrep_buf_free(&out);
    memset(&f, 0, sizeof f);
    f.country = "pse";
    f.text = "HOSPITAL spokesman";
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_TABLE, collect, &out) == 1);
    CHECK(count_lines(out.data) == 2);
    sitrep_buf_free(&out);
    memset(&f, 0, sizeof f);
    f.since = "1d"; /* newest article date: 2024-03-06 */
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_TSV, collect, &out) == 1);
    sitrep_buf_free(&out);
    f.since = "2024-03-02";
    f.until = "2024-03-05";
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_TSV, collect, &out) == 2);
    sitrep_buf_free(&out);
    memset(&f, 0, sizeof f);
    f.source = "ISR";
    f.target = "PSE";
    f.quad = 1;
    f.cameo = "04, 05";
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_TSV, collect, &out) == 1);
    sitrep_buf_free(&out);
    f.since = "bogus";
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_TSV, collect, &out) == SITREP_EINVAL);
    CHECK(strstr(sitrep_store_errmsg(st), "bad date") != NULL);
    sitrep_buf_free(&out);

    /* an injection attempt is just a value that matches nothing */
    memset(&f, 0, sizeof f);
    f.actor = "X'); DROP TABLE events; --";
    CHECK(sitrep_store_query(st, &f, SITREP_FMT_TSV, collect, &out) == 0);
    sitrep_buf_free(&out);

    memset(&f, 0, sizeof f);
    sitrep_timeline *t = sitrep_store_timeline(st, &f, SITREP_TL_DAY, SITREP_TL_QUAD);
    CHECK(t != NULL);
    CHECK(sitrep_timeline_nbuckets(t) == 6); /* 03-01 .. 03-06 */
    CHECK(sitrep_timeline_nseries(t) == 4);
    CHECK(sitrep_timeline_csv(t, &out) == SITREP_OK);
    CHECK(out.data && strstr(out.data, "2024-03-01,4 material conflict,5,-10.00\n"));
    CHECK(out.data && strstr(out.data, "2024-03-01,1 verbal cooperation,1,1.00\n"));
    CHECK(out.data && strstr(out.data, "2024-03-03,4 material conflict,0,\n"));
    sitrep_buf_free(&out);
    CHECK(sitrep_timeline_svg(t, "Israel & <Palestine>", &out) == SITREP_OK);
    CHECK(out.data && !strncmp(out.data, "<?xml", 5) && strstr(out.data, "</svg>\n"));
    CHECK(out.data && strstr(out.data, "Israel &amp; &lt;Palestine&gt;"));
    sitrep_buf_free(&out);
    CHECK(sitrep_timeline_text(t, 0, &out) == SITREP_OK);
    CHECK(out.data && strstr(out.data, "4 material conflict"));
    sitrep_buf_free(&out);
    sitrep_timeline_free(t);
    f.clusters = 1;
    t = sitrep_store_timeline(st, &f, SITREP_TL_WEEK, SITREP_TL_ALL);
    CHECK(t && sitrep_timeline_nbuckets(t) == 2); /* weeks of 2024-02-26 and 2024-03-04 */
    CHECK(sitrep_timeline_csv(t, &out) == SITREP_OK);
    CHECK(out.data && strstr(out.data, "2024-02-26,all events,4,"));
    CHECK(out.data && strstr(out.data, "2024-03-04,all events,1,"));
    sitrep_buf_free(&out);
    sitrep_timeline_free(t);
    t = sitrep_store_timeline(st, &f, SITREP_TL_MONTH, SITREP_TL_ROOT);
    CHECK(t && sitrep_timeline_nbuckets(t) == 1 && sitrep_timeline_nseries(t) == 2);
    sitrep_timeline_free(t);
    sitrep_store_close(st);
}

/* Export the events as JSON Lines (date order), import them into a new
 * store: the same events and cluster counts; importing again stores nothing. */
static void test_import_roundtrip(void) {
    char src[300], dst[300], jl[300];
    snprintf(src, sizeof src, "%s/a.db", dir);
    snprintf(dst, sizeof dst, "%s/i.db", dir);
    snprintf(jl, sizeof jl, "%s/events.jsonl", dir);
    sitrep_store *a = sitrep_store_open(src, 1);
    sitrep_store_filter f;
    memset(&f, 0, sizeof f);
    sitrep_buf out = {0};
    CHECK(sitrep_store_query(a, &f, SITREP_FMT_JSONL, collect, &out) == 9);
    sitrep_store_close(a);
    FILE *fp = fopen(jl, "w");
    CHECK(fp != NULL);
    if (!fp) return;
    fputs("{\"article_id\": \"broken\", \"cameo\": \n", fp);
    fwrite(out.data, 1, out.len, fp);
    fputs("not json\n", fp);
    fclose(fp);
    sitrep_buf_free(&out);
    sitrep_store *b = sitrep_store_open(dst, 0);
    sitrep_buf errs = {0};
    CHECK(sitrep_store_import_events(b, jl, &errs) == 9);
    CHECK(errs.data && strstr(errs.data, "events.jsonl:1: "));
    CHECK(errs.data && strstr(errs.data, "events.jsonl:11: "));
    sitrep_buf_free(&errs);
    CHECK(sitrep_store_import_events(b, jl, NULL) == 0);
    long na = 0, ne = 0, nc = 0;
    sitrep_store_counts(b, &na, &ne, &nc);
    CHECK(na == 9 && ne == 9 && nc == 5);
    sitrep_store_close(b);
    sqlite3 *d1 = NULL, *d2 = NULL;
    sqlite3_open(src, &d1);
    sqlite3_open(dst, &d2);
    const char *q = "SELECT e.date, e.src_code, e.tgt_code, e.cameo, e.goldstein, e.quad_class, "
                    "e.plover_type, p.name, p.lat, e.sentence_text, e.verb_text, e.rule, "
                    "c.mentions, c.articles FROM events e LEFT JOIN places p ON p.id = e.place "
                    "JOIN clusters c ON c.id = e.cluster ORDER BY 1, 2, 3, 4, 8, 10";
    char *x = dump(d1, q), *y = dump(d2, q);
    CHECK(x && y && strlen(x) > 100 && !strcmp(x, y)); /* (sources differ: no outlets) */
    CHECK(q1(d2, "SELECT mentions FROM clusters WHERE id = 1") == 5);
    free(x);
    free(y);
    sqlite3_close(d1);
    sqlite3_close(d2);
}

/* Mutated event lines (bytes flipped, cut, duplicated) must be rejected or
 * stored, never crash; run under the sanitizers by `make asan`. */
static void test_import_mutations(void) {
    char jl[300], path[300];
    snprintf(jl, sizeof jl, "%s/mut.jsonl", dir);
    snprintf(path, sizeof path, "%s/mut.db", dir);
    const char *good =
        "{\"article_id\": \"m\", \"sentence\": 0, \"date\": \"2024-03-01\", \"source\": {\"code\": "
        "\"ISR\", \"text\": \"Israel\", \"start\": 0, \"end\": 6}, \"target\": {\"code\": \"PSE\"}, "
        "\"cameo\": {\"code\": \"190\", \"root\": \"19\", \"goldstein\": -10.0, \"quad_class\": 4}, "
        "\"plover\": {\"type\": \"ASSAULT\", \"mode\": \"\"}, \"location\": {\"name\": \"Gaza\", "
        "\"geonameid\": 281133, \"lat\": 31.5, \"lon\": 34.4, \"country_code\": \"PS\"}, \"negated\": false, "
        "\"quantities\": [{\"value\": 3, \"unit\": \"person\", \"what\": \"x\\u00e9\\ud83d\\ude00\"}], "
        "\"evidence\": {\"verb\": \"attacked\", \"verb_span\": [7, 15], \"rule\": \"r:1\"}, "
        "\"sentence_text\": \"Israel attacked.\"}";
    size_t n = strlen(good);
    FILE *f = fopen(jl, "w");
    if (!f) { CHECK(0); return; }
    unsigned seed = 12345;
    char line[2048];
    for (int i = 0; i < 3000; i++) {
        memcpy(line, good, n + 1);
        size_t len = n;
        int kind = i % 4;
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % len;
        if (kind == 0) line[at] = (char)(seed >> 3);                  /* flip a byte */
        else if (kind == 1) { line[at] = 0; len = at; }                /* cut */
        else if (kind == 2) line[at] = "{}[]\",:\\0"[(seed >> 4) % 10]; /* a structural char */
        else memmove(line + at, line + at + 1, len - at);              /* drop a byte */
        for (size_t k = 0; k < strlen(line); k++)
            if (line[k] == '\n' || line[k] == 0) line[k] = ' ';
        /* each line its own article, so every one is tried */
        char *id = strstr(line, "\"m\"");
        if (id) id[1] = (char)('A' + i % 26);
        fprintf(f, "%s\n", line);
        if (id) fprintf(f, "{\"article_id\": \"sep-%d\", \"cameo\": \"010\"}\n", i);
    }
    fclose(f);
    sitrep_store *st = sitrep_store_open(path, 0);
    sitrep_buf errs = {0};
    int r = sitrep_store_import_events(st, jl, &errs);
    CHECK(r > 0);
    CHECK(errs.len > 0);
    sitrep_buf_free(&errs);
    sitrep_store_close(st);
}

static void test_errors(void) {
    sitrep_store *st = sitrep_store_open("/nonexistent-dir/x.db", 0);
    CHECK(st && sitrep_store_status(st) == SITREP_EDB);
    CHECK(strstr(sitrep_store_errmsg(st), "x.db") != NULL);
    sitrep_article a = art("x", "2024-01-01", "", "text");
    CHECK(sitrep_store_add(st, &a, 0, NULL, 0) < 0);
    sitrep_store_close(st);
    sitrep_store_close(NULL);
    sitrep_timeline_free(NULL);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/sitrep-test-store-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    test_ingest_and_clusters();
    test_batch_independence();
    test_near_duplicates();
    test_vague_events();
    test_query_timeline();
    test_import_roundtrip();
    test_import_mutations();
    test_errors();
    char cmd[300];
    if (getenv("KEEP")) return CHECK_DONE();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) {}
    return CHECK_DONE();
}
