/* http_api.c - the JSON API of `sitrep serve`: events, clusters, timeline,
 * dyads, places (GeoJSON), one article with its event spans, and coding
 * posted text. Every request value reaches SQL only as a bound parameter:
 * filters go through the store's filter builder (store.h), sort orders and
 * page sizes are picked from fixed lists. Bad input gets a 4xx JSON error. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "json.h"
#include "store.h"

long long http_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copy s into a JSON-safe message: control and non-ASCII bytes become '?',
 * so an echoed request value can never break the JSON or the UTF-8. */
static void safe_copy(char *out, size_t cap, const char *s) {
    size_t j = 0;
    for (size_t i = 0; s && s[i] && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[j++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
    }
    out[j] = 0;
}

int http_error(http_reply *r, int status, const char *fmt, ...) {
    char msg[512], safe[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    safe_copy(safe, sizeof safe, msg);
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    r->body.len = 0;
    if (buf_printf(&r->body, "{\"error\": {\"status\": %d, \"message\": ", status) ||
        buf_json_str(&r->body, safe, strlen(safe)) || buf_puts(&r->body, "}}\n")) {
        r->status = 500;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ statements */

/* A prepared statement for sql from w's cache (reset, bindings cleared), or
 * NULL on a database error. The statement stays owned by the cache. */
static sqlite3_stmt *prep(http_worker *w, const char *sql) {
    for (int i = 0; i < HTTP_STMT_CACHE; i++) {
        if (w->cache[i] && !strcmp(sqlite3_sql(w->cache[i]), sql)) {
            sqlite3_reset(w->cache[i]);
            sqlite3_clear_bindings(w->cache[i]);
            return w->cache[i];
        }
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(w->st->db, sql, -1, &s, NULL) != SQLITE_OK) return NULL;
    int slot = -1;
    for (int i = 0; i < HTTP_STMT_CACHE && slot < 0; i++)
        if (!w->cache[i]) slot = i;
    if (slot < 0) {
        slot = w->next_evict;
        w->next_evict = (w->next_evict + 1) % HTTP_STMT_CACHE;
        sqlite3_finalize(w->cache[slot]);
    }
    w->cache[slot] = s;
    return s;
}

/* The answer to a failed step: 503 when the time limit stopped it. */
static int db_error(http_worker *w, http_reply *r) {
    if (sqlite3_errcode(w->st->db) == SQLITE_INTERRUPT)
        return http_error(r, 503, "the query took longer than %d ms; narrow the filters", HTTP_QUERY_MS);
    return http_error(r, 500, "database error: %s", sqlite3_errmsg(w->st->db));
}

/* ------------------------------------------------------------------ parameters */

enum {
    P_SINCE, P_UNTIL, P_ACTOR, P_SOURCE, P_TARGET, P_DYAD, P_COUNTRY, P_CAMEO, P_ROOT, P_PLOVER,
    P_QUAD, P_PLACE, P_BBOX, P_TEXT, P_LIMIT, P_OFFSET, P_SORT, P_CLUSTERS, P_BY, P_SPLIT, P_COUNT
};
static const char *const pname[P_COUNT] = {
    "since", "until", "actor", "source", "target", "dyad", "country", "cameo", "root", "plover",
    "quad", "place", "bbox", "text", "limit", "offset", "sort", "clusters", "by", "split"};
#define FILTER_PARAMS ((1u << P_LIMIT) - 1u)
#define BIT(p) (1u << (p))

typedef struct params {
    const char *v[P_COUNT];
    sitrep_store_filter f;
    char dyad_src[64], dyad_tgt[64];
    long limit, offset;
    int clusters;
} params;

/* Strict whole-string integer in [lo, hi]; -1 when not. */
static int parse_long(const char *s, long lo, long hi, long *out) {
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi || isspace((unsigned char)*s)) return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *s, int *out) {
    if (!s || !*s || !strcmp(s, "1") || !strcmp(s, "true")) { *out = 1; return 0; }
    if (!strcmp(s, "0") || !strcmp(s, "false")) { *out = 0; return 0; }
    return -1;
}

/* Read q's parameters into p, allowing only those in `allowed` (a bit set).
 * Returns 0 or sets a 400 error on r and returns -1. */
static int read_params(const http_request *q, unsigned allowed, long def_limit, params *p, http_reply *r) {
    memset(p, 0, sizeof *p);
    p->limit = def_limit;
    for (int i = 0; i < q->nparams; i++) {
        const char *k = q->params[i].key, *v = q->params[i].value ? q->params[i].value : "";
        int id = -1;
        for (int j = 0; j < P_COUNT; j++)
            if (!strcmp(k, pname[j])) id = j;
        if (id < 0 || !(allowed & BIT(id))) {
            http_error(r, 400, "unknown parameter '%.64s' for /api/%.64s", k, q->path);
            return -1;
        }
        if (p->v[id]) {
            http_error(r, 400, "parameter '%s' given twice", k);
            return -1;
        }
        if (strlen(v) > HTTP_MAX_VALUE_BYTES) {
            http_error(r, 414, "parameter '%s' is longer than %d bytes", k, HTTP_MAX_VALUE_BYTES);
            return -1;
        }
        p->v[id] = v;
    }
    sitrep_store_filter *f = &p->f;
    f->since = p->v[P_SINCE];
    f->until = p->v[P_UNTIL];
    f->actor = p->v[P_ACTOR];
    f->source = p->v[P_SOURCE];
    f->target = p->v[P_TARGET];
    f->country = p->v[P_COUNTRY];
    f->cameo = p->v[P_CAMEO];
    f->root = p->v[P_ROOT];
    f->plover = p->v[P_PLOVER];
    f->place = p->v[P_PLACE];
    f->text = p->v[P_TEXT];
    if (p->v[P_DYAD] && *p->v[P_DYAD]) {
        const char *d = p->v[P_DYAD], *colon = strchr(d, ':');
        if (!colon || colon == d || !colon[1] || (size_t)(colon - d) >= sizeof p->dyad_src ||
            strlen(colon + 1) >= sizeof p->dyad_tgt || p->v[P_SOURCE] || p->v[P_TARGET]) {
            http_error(r, 400, "dyad must be SOURCE:TARGET (e.g. RUS:UKR), without source= or target=");
            return -1;
        }
        memcpy(p->dyad_src, d, (size_t)(colon - d));
        strcpy(p->dyad_tgt, colon + 1);
        f->source = p->dyad_src;
        f->target = p->dyad_tgt;
    }
    long v;
    if (p->v[P_QUAD] && *p->v[P_QUAD]) {
        if (parse_long(p->v[P_QUAD], 1, 4, &v)) {
            http_error(r, 400, "quad must be 1, 2, 3 or 4");
            return -1;
        }
        f->quad = (int)v;
    }
    if (p->v[P_BBOX] && *p->v[P_BBOX]) {
        double b[4];
        char tail;
        if (sscanf(p->v[P_BBOX], "%lf,%lf,%lf,%lf%c", &b[0], &b[1], &b[2], &b[3], &tail) != 4 ||
            !(b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90 && b[0] <= b[2] && b[1] <= b[3])) {
            http_error(r, 400, "bbox must be minlon,minlat,maxlon,maxlat within -180..180, -90..90");
            return -1;
        }
        f->use_bbox = 1;
        memcpy(f->bbox, b, sizeof b);
    }
    if (p->v[P_LIMIT] && parse_long(p->v[P_LIMIT], 1, HTTP_MAX_PAGE, &p->limit)) {
        http_error(r, 400, "limit must be an integer from 1 to %d", HTTP_MAX_PAGE);
        return -1;
    }
    if (p->v[P_OFFSET] && parse_long(p->v[P_OFFSET], 0, HTTP_MAX_OFFSET, &p->offset)) {
        http_error(r, 400, "offset must be an integer from 0 to %ld", HTTP_MAX_OFFSET);
        return -1;
    }
    if (p->v[P_CLUSTERS] && parse_bool(p->v[P_CLUSTERS], &p->clusters)) {
        http_error(r, 400, "clusters must be 1, 0, true or false");
        return -1;
    }
    f->clusters = p->clusters;
    return 0;
}

/* Build the filter's WHERE fragment; on a filter error, a 400 on r. */
static int build_where(http_worker *w, params *p, store_where *wh, http_reply *r) {
    int rc = store_where_build(w->st, &p->f, wh);
    if (rc == SITREP_OK) return 0;
    if (rc == SITREP_EINVAL || rc == SITREP_ELIMIT)
        http_error(r, 400, "%s", sitrep_store_errmsg(w->st));
    else
        http_error(r, 500, "%s", sitrep_store_errmsg(w->st));
    return -1;
}

/* Prepare head + p's filter + tail (which ends in "LIMIT ?") with the
 * filter's values and p->limit bound. Sets *out to the statement (owned by
 * w's cache) and returns 0; on an error *out is NULL, the error is on r and
 * the return is http_error's. */
static int prep_grouped(http_worker *w, params *p, const char *head, const char *tail, sqlite3_stmt **out,
                        http_reply *r) {
    store_where wh = {0};
    sitrep_buf sql = {0};
    int rc = 0;
    *out = NULL;
    if (build_where(w, p, &wh, r)) goto done;
    if (buf_puts(&sql, head) || buf_puts(&sql, wh.sql.data) || buf_puts(&sql, tail)) {
        rc = http_error(r, 500, "out of memory");
        goto done;
    }
    *out = prep(w, sql.data);
    if (!*out) { rc = db_error(w, r); goto done; }
    sqlite3_bind_int64(*out, store_where_bind(&wh, *out, 1), p->limit);
done:
    store_where_free(&wh);
    sitrep_buf_free(&sql);
    return rc;
}

/* The end of a list answer after the last step: the closing text and 200,
 * or the database error that stopped the steps. */
static int end_rows(http_worker *w, http_reply *r, int step, const char *close) {
    if (step != SQLITE_DONE) return db_error(w, r);
    if (buf_puts(&r->body, close)) return http_error(r, 500, "out of memory");
    r->status = 200;
    return 0;
}

/* ------------------------------------------------------------------ event rows */

/* Columns of an event row: e = events, p = places, c = clusters. */
#define EV_COLS                                                                                  \
    "e.id, e.article_id, e.sentence, e.date, e.src_code, e.src_text, e.src_name, e.src_rule, "   \
    "e.src_start, e.src_end, e.tgt_code, e.tgt_text, e.tgt_name, e.tgt_rule, e.tgt_start, "      \
    "e.tgt_end, e.cameo, e.root, e.goldstein, e.quad_class, e.plover_type, e.plover_mode, "      \
    "p.name, p.geonameid, p.lat, p.lon, p.country_code, p.admin1, p.feature_code, e.loc_text, "  \
    "e.loc_start, e.loc_end, e.negated, e.modality, e.quantities, e.verb_text, e.verb_start, "   \
    "e.verb_end, e.rule, e.sentence_text, e.sent_start, e.sent_end, c.id, c.mentions, "          \
    "c.sources, c.articles, c.first_date, c.last_date "
enum {
    E_ID, E_ART, E_SENT, E_DATE, E_SRC, E_SRCTEXT, E_SRCNAME, E_SRCRULE, E_SRCS, E_SRCE, E_TGT,
    E_TGTTEXT, E_TGTNAME, E_TGTRULE, E_TGTS, E_TGTE, E_CAMEO, E_ROOT, E_GOLD, E_QUAD, E_PTYPE,
    E_PMODE, E_PNAME, E_GEOID, E_LAT, E_LON, E_PCC, E_ADM1, E_FEAT, E_LOCTEXT, E_LOCS, E_LOCE,
    E_NEG, E_MODAL, E_QTY, E_VERB, E_VS, E_VE, E_RULE, E_STEXT, E_SS, E_SE, E_CL, E_MENT,
    E_SOURCES, E_ARTS, E_FIRST, E_LAST
};

static const char *col_text(sqlite3_stmt *s, int c) {
    const unsigned char *t = sqlite3_column_text(s, c);
    return t ? (const char *)t : "";
}
static int col_null(sqlite3_stmt *s, int c) { return sqlite3_column_type(s, c) == SQLITE_NULL; }
static int jstr(sitrep_buf *b, const char *s) { return buf_json_str(b, s, strlen(s)); }
static int jcol(sitrep_buf *b, sqlite3_stmt *s, int c) { return jstr(b, col_text(s, c)); }
static long long ci(sqlite3_stmt *s, int c) { return sqlite3_column_int64(s, c); }

static int json_actor(sitrep_buf *b, sqlite3_stmt *s, int code) {
    return buf_puts(b, "{\"code\": ") || jcol(b, s, code) || buf_puts(b, ", \"text\": ") ||
           jcol(b, s, code + 1) || buf_puts(b, ", \"name\": ") || jcol(b, s, code + 2) ||
           buf_puts(b, ", \"rule\": ") || jcol(b, s, code + 3) ||
           buf_printf(b, ", \"start\": %lld, \"end\": %lld}", ci(s, code + 4), ci(s, code + 5));
}

/* One event row as a JSON object (the event record of `sitrep query
 * --format jsonl`, plus actor rules, the sentence span and cluster dates). */
static int json_event(sitrep_buf *b, sqlite3_stmt *s) {
    const char *q = col_text(s, E_QTY);
    if (buf_printf(b, "{\"id\": %lld, \"article_id\": ", ci(s, E_ID)) || jcol(b, s, E_ART) ||
        buf_printf(b, ", \"sentence\": %lld, \"date\": ", ci(s, E_SENT)) || jcol(b, s, E_DATE) ||
        buf_puts(b, ", \"source\": ") || json_actor(b, s, E_SRC) || buf_puts(b, ", \"target\": ") ||
        json_actor(b, s, E_TGT) || buf_puts(b, ", \"cameo\": {\"code\": ") || jcol(b, s, E_CAMEO) ||
        buf_puts(b, ", \"root\": ") || jcol(b, s, E_ROOT) ||
        buf_printf(b, ", \"goldstein\": %.1f, \"quad_class\": %d}, \"plover\": {\"type\": ",
                   sqlite3_column_double(s, E_GOLD), sqlite3_column_int(s, E_QUAD)) ||
        jcol(b, s, E_PTYPE) || buf_puts(b, ", \"mode\": ") || jcol(b, s, E_PMODE) ||
        buf_puts(b, "}, \"location\": "))
        return -1;
    if (col_null(s, E_PNAME)) {
        if (buf_puts(b, "null")) return -1;
    } else {
        if (buf_puts(b, "{\"name\": ") || jcol(b, s, E_PNAME) ||
            (col_null(s, E_GEOID) ? buf_puts(b, ", \"geonameid\": null")
                                  : buf_printf(b, ", \"geonameid\": %lld", ci(s, E_GEOID))) ||
            (col_null(s, E_LAT) ? buf_puts(b, ", \"lat\": null, \"lon\": null")
                                : buf_printf(b, ", \"lat\": %.5f, \"lon\": %.5f", sqlite3_column_double(s, E_LAT),
                                             sqlite3_column_double(s, E_LON))) ||
            buf_puts(b, ", \"country_code\": ") || jcol(b, s, E_PCC) || buf_puts(b, ", \"admin1\": ") ||
            jcol(b, s, E_ADM1) || buf_puts(b, ", \"feature_code\": ") || jcol(b, s, E_FEAT) ||
            buf_puts(b, ", \"text\": ") || jcol(b, s, E_LOCTEXT) ||
            buf_printf(b, ", \"start\": %lld, \"end\": %lld}", ci(s, E_LOCS), ci(s, E_LOCE)))
            return -1;
    }
    return buf_printf(b, ", \"negated\": %s, \"modality\": ", ci(s, E_NEG) ? "true" : "false") ||
           jcol(b, s, E_MODAL) || buf_printf(b, ", \"quantities\": %s", *q ? q : "[]") ||
           buf_puts(b, ", \"evidence\": {\"verb\": ") || jcol(b, s, E_VERB) ||
           buf_printf(b, ", \"verb_start\": %lld, \"verb_end\": %lld, \"rule\": ", ci(s, E_VS), ci(s, E_VE)) ||
           jcol(b, s, E_RULE) || buf_puts(b, "}, \"sentence_text\": ") || jcol(b, s, E_STEXT) ||
           buf_printf(b, ", \"sentence_start\": %lld, \"sentence_end\": %lld", ci(s, E_SS), ci(s, E_SE)) ||
           buf_printf(b, ", \"cluster\": {\"id\": %lld, \"mentions\": %lld, \"sources\": %lld, "
                         "\"articles\": %lld, \"first_date\": ",
                      ci(s, E_CL), ci(s, E_MENT), ci(s, E_SOURCES), ci(s, E_ARTS)) ||
           jcol(b, s, E_FIRST) || buf_puts(b, ", \"last_date\": ") || jcol(b, s, E_LAST) ||
           buf_puts(b, "}}");
}

/* ------------------------------------------------------------------ /api/events, /api/clusters */

typedef struct sort_opt { const char *name, *sql; } sort_opt;
static const sort_opt ev_sorts[] = {
    {"date", " ORDER BY e.date, e.id"},
    {"-date", " ORDER BY e.date DESC, e.id DESC"},
    {"goldstein", " ORDER BY e.goldstein, e.date, e.id"},
    {"-goldstein", " ORDER BY e.goldstein DESC, e.date, e.id"},
    {"mentions", " ORDER BY c.mentions, e.date, e.id"},
    {"-mentions", " ORDER BY c.mentions DESC, e.date, e.id"},
    {"id", " ORDER BY e.id"},
    {NULL, NULL}};

static const char *pick_sort(const char *v, const char *def) {
    if (!v || !*v) v = def;
    for (const sort_opt *o = ev_sorts; o->name; o++)
        if (!strcmp(o->name, v)) return o->sql;
    return NULL;
}

static int api_rows(http_worker *w, const http_request *q, http_reply *r, int clusters) {
    params p;
    if (read_params(q, FILTER_PARAMS | BIT(P_LIMIT) | BIT(P_OFFSET) | BIT(P_SORT) |
                           (clusters ? 0u : BIT(P_CLUSTERS)),
                    HTTP_DEFAULT_PAGE, &p, r))
        return 0;
    if (clusters) p.clusters = 1;
    const char *order = pick_sort(p.v[P_SORT], p.clusters ? "-mentions" : "date");
    if (!order) return http_error(r, 400, "sort must be one of date, -date, goldstein, -goldstein, mentions, -mentions, id");
    store_where wh = {0};
    sitrep_buf sql = {0};
    int rc = 0;
    if (build_where(w, &p, &wh, r)) goto done;
    /* the total (the places join only when a condition needs it: counting
     * a million events is then 40 times faster) */
    if (buf_puts(&sql, p.clusters ? "SELECT count(DISTINCT e.cluster)" : "SELECT count(*)") ||
        buf_puts(&sql, strstr(wh.sql.data, "p.") ? " FROM events e LEFT JOIN places p ON p.id = e.place WHERE 1"
                                                 : " FROM events e WHERE 1") ||
        buf_puts(&sql, wh.sql.data))
        goto oom;
    sqlite3_stmt *s = prep(w, sql.data);
    if (!s) { rc = db_error(w, r); goto done; }
    store_where_bind(&wh, s, 1);
    if (sqlite3_step(s) != SQLITE_ROW) { rc = db_error(w, r); goto done; }
    long long total = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    /* the page */
    sql.len = 0;
    if (p.clusters) {
        if (buf_puts(&sql, "SELECT " EV_COLS "FROM clusters c JOIN events e ON e.id = c.first_event "
                           "LEFT JOIN places p ON p.id = e.place WHERE c.id IN (SELECT e.cluster FROM "
                           "events e LEFT JOIN places p ON p.id = e.place WHERE 1") ||
            buf_puts(&sql, wh.sql.data) || buf_puts(&sql, ")"))
            goto oom;
    } else if (buf_puts(&sql, "SELECT " EV_COLS "FROM events e LEFT JOIN places p ON p.id = e.place "
                              "LEFT JOIN clusters c ON c.id = e.cluster WHERE 1") ||
               buf_puts(&sql, wh.sql.data)) {
        goto oom;
    }
    if (buf_puts(&sql, order) || buf_puts(&sql, " LIMIT ? OFFSET ?")) goto oom;
    s = prep(w, sql.data);
    if (!s) { rc = db_error(w, r); goto done; }
    int k = store_where_bind(&wh, s, 1);
    sqlite3_bind_int64(s, k, p.limit);
    sqlite3_bind_int64(s, k + 1, p.offset);
    sitrep_buf *b = &r->body;
    if (buf_printf(b, "{\"total\": %lld, \"offset\": %ld, \"limit\": %ld, \"merged\": %s, \"%s\": [", total,
                   p.offset, p.limit, p.clusters ? "true" : "false", clusters ? "clusters" : "events"))
        goto oom;
    int n = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((n++ && buf_puts(b, ",\n")) || json_event(b, s)) goto oom;
    rc = end_rows(w, r, step, "]}\n");
    goto done;
oom:
    rc = http_error(r, 500, "out of memory");
done:
    store_where_free(&wh);
    sitrep_buf_free(&sql);
    return rc;
}

/* ------------------------------------------------------------------ /api/timeline */

static int api_timeline(http_worker *w, const http_request *q, http_reply *r) {
    params p;
    if (read_params(q, FILTER_PARAMS | BIT(P_BY) | BIT(P_SPLIT) | BIT(P_CLUSTERS), 0, &p, r)) return 0;
    int bucket = SITREP_TL_DAY, split = SITREP_TL_ALL;
    const char *by = p.v[P_BY], *sp = p.v[P_SPLIT];
    if (by && *by) {
        if (!strcmp(by, "day")) bucket = SITREP_TL_DAY;
        else if (!strcmp(by, "week")) bucket = SITREP_TL_WEEK;
        else if (!strcmp(by, "month")) bucket = SITREP_TL_MONTH;
        else return http_error(r, 400, "by must be day, week or month");
    }
    if (sp && *sp) {
        if (!strcmp(sp, "all")) split = SITREP_TL_ALL;
        else if (!strcmp(sp, "quad")) split = SITREP_TL_QUAD;
        else if (!strcmp(sp, "root")) split = SITREP_TL_ROOT;
        else return http_error(r, 400, "split must be all, quad or root");
    }
    sitrep_timeline *t = sitrep_store_timeline(w->st, &p.f, bucket, split);
    if (!t) {
        int st = sitrep_store_status(w->st);
        return http_error(r, st == SITREP_EINVAL || st == SITREP_ELIMIT ? 400 : 500, "%s",
                          sitrep_store_errmsg(w->st));
    }
    int rc = 0;
    if (store_timeline_json(t, p.clusters, &r->body)) rc = http_error(r, 500, "out of memory");
    else r->status = 200;
    sitrep_timeline_free(t);
    return rc;
}

/* ------------------------------------------------------------------ /api/dyads, /api/places */

static int api_dyads(http_worker *w, const http_request *q, http_reply *r) {
    params p;
    if (read_params(q, FILTER_PARAMS | BIT(P_LIMIT), 20, &p, r)) return 0;
    sqlite3_stmt *s;
    int rc = prep_grouped(w, &p,
                          "SELECT e.src_code, e.tgt_code, count(*), avg(e.goldstein), count(DISTINCT e.cluster), "
                          "(SELECT name FROM actors WHERE code = e.src_code), "
                          "(SELECT name FROM actors WHERE code = e.tgt_code), min(e.date), max(e.date) "
                          "FROM events e LEFT JOIN places p ON p.id = e.place "
                          "WHERE e.src_code <> '' AND e.tgt_code <> ''",
                          " GROUP BY e.src_code, e.tgt_code ORDER BY count(*) DESC, e.src_code, e.tgt_code LIMIT ?",
                          &s, r);
    if (!s) return rc;
    sitrep_buf *b = &r->body;
    if (buf_puts(b, "{\"dyads\": [")) goto oom;
    int n = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((n++ && buf_puts(b, ",\n")) || buf_puts(b, "{\"source\": ") || jcol(b, s, 0) ||
            buf_puts(b, ", \"target\": ") || jcol(b, s, 1) || buf_puts(b, ", \"source_name\": ") ||
            jcol(b, s, 5) || buf_puts(b, ", \"target_name\": ") || jcol(b, s, 6) ||
            buf_printf(b, ", \"events\": %lld, \"clusters\": %lld, \"goldstein_mean\": %.2f, \"first_date\": ",
                       ci(s, 2), ci(s, 4), sqlite3_column_double(s, 3)) ||
            jcol(b, s, 7) || buf_puts(b, ", \"last_date\": ") || jcol(b, s, 8) || buf_puts(b, "}"))
            goto oom;
    return end_rows(w, r, step, "]}\n");
oom:
    return http_error(r, 500, "out of memory");
}

static int api_places(http_worker *w, const http_request *q, http_reply *r) {
    params p;
    if (read_params(q, FILTER_PARAMS | BIT(P_LIMIT), HTTP_MAX_PAGE, &p, r)) return 0;
    sqlite3_stmt *s;
    int rc = prep_grouped(w, &p,
                          "SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.country3, p.admin1, p.feature_code, "
                          "p.geonameid, count(*), count(DISTINCT e.cluster), avg(e.goldstein), "
                          "sum(e.quad_class = 1), sum(e.quad_class = 2), sum(e.quad_class = 3), "
                          "sum(e.quad_class = 4) FROM events e JOIN places p ON p.id = e.place "
                          "WHERE p.lat IS NOT NULL",
                          " GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT ?", &s, r);
    if (!s) return rc;
    sitrep_buf *b = &r->body;
    if (buf_puts(b, "{\"type\": \"FeatureCollection\", \"features\": [")) goto oom;
    int n = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((n++ && buf_puts(b, ",\n")) ||
            buf_printf(b, "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": "
                          "[%.5f, %.5f]}, \"properties\": {\"id\": %lld, \"name\": ",
                       sqlite3_column_double(s, 3), sqlite3_column_double(s, 2), ci(s, 0)) ||
            jcol(b, s, 1) || buf_puts(b, ", \"country_code\": ") || jcol(b, s, 4) ||
            buf_puts(b, ", \"country3\": ") || jcol(b, s, 5) || buf_puts(b, ", \"admin1\": ") ||
            jcol(b, s, 6) || buf_puts(b, ", \"feature_code\": ") || jcol(b, s, 7) ||
            buf_printf(b, ", \"geonameid\": %lld, \"events\": %lld, \"clusters\": %lld, "
                          "\"goldstein_mean\": %.2f, \"quad\": [%lld, %lld, %lld, %lld]}}",
                       ci(s, 8), ci(s, 9), ci(s, 10), sqlite3_column_double(s, 11), ci(s, 12), ci(s, 13),
                       ci(s, 14), ci(s, 15)))
            goto oom;
    rc = end_rows(w, r, step, "]}\n");
    if (!rc && r->status == 200) r->ctype = "application/geo+json; charset=utf-8";
    return rc;
oom:
    return http_error(r, 500, "out of memory");
}

/* ------------------------------------------------------------------ /api/article/ID, /api/summary */

static int api_article(http_worker *w, const http_request *q, http_reply *r, const char *id) {
    params p;
    if (read_params(q, 0, 0, &p, r)) return 0;
    if (!*id) return http_error(r, 404, "no article id: /api/article/ID");
    sqlite3_stmt *s = prep(w, "SELECT id, ext_id, date, title, url, source, outlet, text, nsentences, nevents, "
                              "dup_of FROM articles WHERE ext_id = ?1");
    if (!s) return db_error(w, r);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(s);
    if (step == SQLITE_DONE) return http_error(r, 404, "no article '%.200s'", id);
    if (step != SQLITE_ROW) return db_error(w, r);
    sitrep_buf *b = &r->body;
    long long rowid = ci(s, 0);
    if (buf_puts(b, "{\"id\": ") || jcol(b, s, 1) || buf_puts(b, ", \"date\": ") || jcol(b, s, 2))
        goto oom;
    static const char *const opt[] = {"title", "url", "source", "outlet", "text"};
    for (int i = 0; i < 5; i++)
        if (buf_printf(b, ", \"%s\": ", opt[i]) || (col_null(s, 3 + i) ? buf_puts(b, "null") : jcol(b, s, 3 + i)))
            goto oom;
    if (buf_printf(b, ", \"sentences\": %lld, \"duplicate_of\": ", ci(s, 8)) ||
        (col_null(s, 10) ? buf_puts(b, "null") : buf_printf(b, "%lld", ci(s, 10))) ||
        buf_puts(b, ", \"events\": ["))
        goto oom;
    sqlite3_reset(s);
    s = prep(w, "SELECT " EV_COLS "FROM events e LEFT JOIN places p ON p.id = e.place "
                "LEFT JOIN clusters c ON c.id = e.cluster WHERE e.article = ?1 ORDER BY e.id");
    if (!s) return db_error(w, r);
    sqlite3_bind_int64(s, 1, rowid);
    int n = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((n++ && buf_puts(b, ",\n")) || json_event(b, s)) goto oom;
    return end_rows(w, r, step, "]}\n");
oom:
    return http_error(r, 500, "out of memory");
}

static int api_summary(http_worker *w, const http_request *q, http_reply *r) {
    params p;
    if (read_params(q, 0, 0, &p, r)) return 0;
    sqlite3_stmt *s = prep(w, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), "
                              "(SELECT count(*) FROM clusters), (SELECT min(date) FROM events), "
                              "(SELECT max(date) FROM events), (SELECT count(*) FROM places)");
    if (!s || sqlite3_step(s) != SQLITE_ROW) return db_error(w, r);
    sitrep_buf *b = &r->body;
    if (buf_printf(b, "{\"articles\": %lld, \"events\": %lld, \"clusters\": %lld, \"places\": %lld, "
                      "\"first_date\": ", ci(s, 0), ci(s, 1), ci(s, 2), ci(s, 5)) ||
        jcol(b, s, 3) || buf_puts(b, ", \"last_date\": ") || jcol(b, s, 4) || buf_puts(b, ", \"plover\": ["))
        goto oom;
    sqlite3_reset(s);
    s = prep(w, "SELECT plover_type, count(*) FROM events WHERE plover_type <> '' GROUP BY 1 ORDER BY 2 DESC, 1");
    if (!s) return db_error(w, r);
    int n = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((n++ && buf_puts(b, ", ")) || buf_puts(b, "{\"type\": ") || jcol(b, s, 0) ||
            buf_printf(b, ", \"events\": %lld}", ci(s, 1)))
            goto oom;
    if (step != SQLITE_DONE) return db_error(w, r);
    if (buf_puts(b, "], \"countries\": [")) goto oom;
    s = prep(w, "SELECT country, count(*), sum(nevents) FROM actors WHERE country <> '' GROUP BY 1 "
                "ORDER BY 3 DESC, 1 LIMIT 300");
    if (!s) return db_error(w, r);
    n = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((n++ && buf_puts(b, ", ")) || jcol(b, s, 0)) goto oom;
    return end_rows(w, r, step, "]}\n");
oom:
    return http_error(r, 500, "out of memory");
}

/* ------------------------------------------------------------------ POST /api/code */

/* The posted body: a flat JSON object of strings. */
typedef struct code_body { char *text, *date, *id, *title, *url, *source; size_t text_len; } code_body;

static void skip_ws(const char **c, const char *e) {
    while (*c < e && (**c == ' ' || **c == '\t' || **c == '\n' || **c == '\r')) (*c)++;
}

/* A JSON string at *c into a new malloc'd string (*out, length *n).
 * Returns 0, -1 when malformed, -2 on OOM. */
static int json_string(const char **c, const char *e, char **out, size_t *n) {
    sitrep_buf b = {0};
    const char *why;
    int rc = store_json_string(c, e, &b, &why);
    if (rc) {
        sitrep_buf_free(&b);
        return rc;
    }
    *out = b.data;
    *n = b.len;
    return 0;
}

static void code_body_free(code_body *cb) {
    free(cb->text); free(cb->date); free(cb->id); free(cb->title); free(cb->url); free(cb->source);
}

/* Parse {"text": "...", "date": "YYYY-MM-DD", ...}: only the known keys, only
 * string (or null) values. Returns 0 or a 4xx status with a message in err. */
static int parse_code_body(const char *s, size_t n, code_body *cb, char *err, size_t errlen) {
    static const char *const keys[] = {"text", "date", "id", "title", "url", "source"};
    const char *c = s, *e = s + n;
    memset(cb, 0, sizeof *cb);
    skip_ws(&c, e);
    if (c >= e || *c != '{') { snprintf(err, errlen, "the body must be a JSON object"); return 400; }
    c++;
    skip_ws(&c, e);
    int first = 1;
    while (c < e && *c != '}') {
        if (!first) {
            if (*c != ',') { snprintf(err, errlen, "malformed JSON: expected ',' or '}' at byte %zu", (size_t)(c - s)); return 400; }
            c++;
            skip_ws(&c, e);
        }
        first = 0;
        char *key = NULL, *val = NULL;
        size_t kl, vl = 0;
        int rc = json_string(&c, e, &key, &kl);
        if (rc) { snprintf(err, errlen, rc == -2 ? "out of memory" : "malformed JSON: bad key at byte %zu", (size_t)(c - s)); return rc == -2 ? 500 : 400; }
        int k = -1;
        for (int i = 0; i < 6; i++)
            if (strlen(keys[i]) == kl && !memcmp(keys[i], key, kl)) k = i;
        if (k < 0) {
            char safe[64];
            safe_copy(safe, sizeof safe, key);
            snprintf(err, errlen, "unknown field '%s' (known: text, date, id, title, url, source)", safe);
            free(key);
            return 400;
        }
        free(key);
        skip_ws(&c, e);
        if (c >= e || *c != ':') { snprintf(err, errlen, "malformed JSON: expected ':' at byte %zu", (size_t)(c - s)); return 400; }
        c++;
        skip_ws(&c, e);
        if (e - c >= 4 && !memcmp(c, "null", 4)) {
            c += 4;
        } else {
            rc = json_string(&c, e, &val, &vl);
            if (rc) {
                snprintf(err, errlen, rc == -2 ? "out of memory" : "field '%s' must be a string", keys[k]);
                return rc == -2 ? 500 : 400;
            }
        }
        char **slot[] = {&cb->text, &cb->date, &cb->id, &cb->title, &cb->url, &cb->source};
        if (*slot[k]) { free(val); snprintf(err, errlen, "field '%s' given twice", keys[k]); return 400; }
        *slot[k] = val;
        if (k == 0) cb->text_len = vl;
        skip_ws(&c, e);
    }
    if (c >= e) { snprintf(err, errlen, "malformed JSON: the object is not closed"); return 400; }
    c++;
    skip_ws(&c, e);
    if (c != e) { snprintf(err, errlen, "malformed JSON: text after the object"); return 400; }
    if (!cb->text) { snprintf(err, errlen, "field 'text' is required"); return 400; }
    if (cb->date) {
        int ok = strlen(cb->date) == 10;
        if (ok) store_days(cb->date, &ok);
        if (!ok) { snprintf(err, errlen, "date must be YYYY-MM-DD"); return 400; }
    }
    return 0;
}

static int api_code(http_worker *w, const http_request *q, http_reply *r) {
    params p;
    if (read_params(q, 0, 0, &p, r)) return 0;
    if (!q->ctx) return http_error(r, 503, "this server does not code text (started with --no-code)");
    if (!q->body || !q->body_len) return http_error(r, 400, "empty body: POST {\"text\": \"...\", \"date\": \"YYYY-MM-DD\"}");
    code_body cb;
    char err[256];
    int st = parse_code_body(q->body, q->body_len, &cb, err, sizeof err);
    if (st) {
        code_body_free(&cb);
        return http_error(r, st, "%s", err);
    }
    sitrep_article a = {0};
    a.id = cb.id ? cb.id : "posted";
    a.id_len = strlen(a.id);
    a.date = cb.date;
    a.text = cb.text;
    a.text_len = cb.text_len;
    a.title = cb.title;
    a.url = cb.url;
    a.source = cb.source;
    a.file = "POST /api/code";
    int rc = sitrep_code(q->ctx, w->doc, &a);
    if (rc != SITREP_OK) {
        http_error(r, rc == SITREP_EINVAL || rc == SITREP_ELIMIT ? 400 : 500, "%s", sitrep_doc_errmsg(w->doc));
        code_body_free(&cb);
        return 0;
    }
    sitrep_buf *b = &r->body;
    sitrep_buf ev = {0};
    size_t ne = sitrep_doc_nevents(w->doc);
    int oom = buf_puts(b, "{\"id\": ") || jstr(b, a.id) ||
              buf_printf(b, ", \"sentences\": %zu, \"events\": [", sitrep_doc_nsentences(w->doc));
    for (size_t i = 0; i < ne && !oom; i++) {
        ev.len = 0;
        oom = sitrep_event_json(w->doc, i, &ev) != SITREP_OK;
        while (!oom && ev.len && (ev.data[ev.len - 1] == '\n')) ev.len--;
        oom = oom || (i && buf_puts(b, ",\n")) || buf_put(b, ev.data, ev.len);
    }
    oom = oom || buf_puts(b, "]}\n");
    sitrep_buf_free(&ev);
    code_body_free(&cb);
    if (oom) return http_error(r, 500, "out of memory");
    r->status = 200;
    return 0;
}

/* ------------------------------------------------------------------ dispatch */

int http_api(http_worker *w, const http_request *q, http_reply *r) {
    r->status = 500;
    r->ctype = "application/json; charset=utf-8";
    const char *path = q->path;
    int rc;
    if (!strncmp(path, "article/", 8)) {
        if (q->post) return http_error(r, 405, "use GET for /api/article/ID");
        return api_article(w, q, r, path + 8);
    }
    static const char *const gets[] = {"events", "clusters", "timeline", "dyads", "places", "summary"};
    for (int i = 0; i < 6; i++) {
        if (strcmp(path, gets[i])) continue;
        if (q->post) return http_error(r, 405, "use GET for /api/%s", path);
        switch (i) {
        case 0: rc = api_rows(w, q, r, 0); break;
        case 1: rc = api_rows(w, q, r, 1); break;
        case 2: rc = api_timeline(w, q, r); break;
        case 3: rc = api_dyads(w, q, r); break;
        case 4: rc = api_places(w, q, r); break;
        default: rc = api_summary(w, q, r); break;
        }
        return rc;
    }
    if (!strcmp(path, "code")) {
        if (!q->post) return http_error(r, 405, "use POST for /api/code");
        return api_code(w, q, r);
    }
    return http_error(r, 404, "no such endpoint: /api/%.100s", path);
}
