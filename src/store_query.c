/* store_query.c - filters over the event store and query output: a terminal
 * table, TSV, CSV, JSON Lines and GeoJSON, one row per event mention or one
 * per cluster (merged event). Filters become fixed SQL fragments whose values
 * are always bound parameters. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "store.h"
#include "store_iso.h"

/* ------------------------------------------------------------------ filters */

static int add_bind_text(store_where *w, const char *s, size_t n) {
    if (w->n >= STORE_MAX_BINDS) return -1;
    char *c = malloc(n + 1);
    if (!c) return -1;
    memcpy(c, s, n);
    c[n] = 0;
    w->b[w->n].kind = 0;
    w->b[w->n++].s = c;
    return 0;
}

static int add_bind_int(store_where *w, long long v) {
    if (w->n >= STORE_MAX_BINDS) return -1;
    w->b[w->n].kind = 2;
    w->b[w->n++].i = v;
    return 0;
}

static int add_bind_double(store_where *w, double v) {
    if (w->n >= STORE_MAX_BINDS) return -1;
    w->b[w->n].kind = 1;
    w->b[w->n++].d = v;
    return 0;
}

static size_t utf8_chars(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

/* "col starts with value" (value upper-cased when `upper`). */
static int add_prefix(store_where *w, const char *col, const char *v, size_t n, int upper) {
    char tmp[256];
    if (n >= sizeof tmp) n = sizeof tmp - 1;
    for (size_t i = 0; i < n; i++) tmp[i] = upper ? (char)toupper((unsigned char)v[i]) : v[i];
    tmp[n] = 0;
    if (buf_printf(&w->sql, "substr(%s, 1, ?) = ?", col)) return -1;
    return add_bind_int(w, (long long)utf8_chars(tmp, n)) || add_bind_text(w, tmp, n) ? -1 : 0;
}

static void trim(const char **s, size_t *n) {
    while (*n && isspace((unsigned char)**s)) { (*s)++; (*n)--; }
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* An OR over the comma-separated items of `list`: each a root (exact, "9"
 * read as "09") or a prefix of col (and of col2 when not NULL). */
static int add_list2(store_where *w, const char *list, const char *col, const char *col2, int root) {
    if (buf_puts(&w->sql, " AND (")) return -1;
    int any = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *item = p;
        trim(&item, &n);
        p = e ? e + 1 : p + strlen(p);
        if (!n) continue;
        if (any && buf_puts(&w->sql, " OR ")) return -1;
        any = 1;
        if (root) {
            char r[8];
            if (n > 3) n = 3;
            if (n == 1) { r[0] = '0'; r[1] = item[0]; r[2] = 0; }
            else { memcpy(r, item, n); r[n] = 0; }
            if (buf_printf(&w->sql, "%s = ?", col) || add_bind_text(w, r, strlen(r))) return -1;
        } else if (add_prefix(w, col, item, n, 1) ||
                   (col2 && (buf_puts(&w->sql, " OR ") || add_prefix(w, col2, item, n, 1)))) {
            return -1;
        }
    }
    if (!any && buf_puts(&w->sql, "0")) return -1;
    return buf_puts(&w->sql, ")");
}

/* Resolve a date bound: YYYY-MM-DD as is; Nd/Nw/Nm/Ny back from the newest
 * article date (inclusive: "7d" is the newest date and the six before it). */
static int resolve_date(sitrep_store *st, const char *v, char out[16]) {
    int ok;
    store_days(v, &ok);
    if (ok && strlen(v) == 10) {
        memcpy(out, v, 11);
        return SITREP_OK;
    }
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || n < 0 || n > 100000 || !*end || end[1] ||
        !strchr("dwmy", tolower((unsigned char)*end)))
        return store_fail(st, SITREP_EINVAL, "bad date '%s' (YYYY-MM-DD, or Nd, Nw, Nm, Ny)", v);
    char m1[32], m2[32] = "+0 days";
    switch (tolower((unsigned char)*end)) {
    case 'd': snprintf(m1, sizeof m1, "-%ld days", n > 0 ? n - 1 : 0); break;
    case 'w': snprintf(m1, sizeof m1, "-%ld days", n > 0 ? 7 * n - 1 : 0); break;
    case 'm': snprintf(m1, sizeof m1, "-%ld months", n); snprintf(m2, sizeof m2, "+1 days"); break;
    default: snprintf(m1, sizeof m1, "-%ld years", n); snprintf(m2, sizeof m2, "+1 days"); break;
    }
    sqlite3_stmt *s = NULL;
    int rc = SITREP_OK;
    out[0] = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT date(max(date), ?1, ?2) FROM articles", -1, &s, NULL) !=
        SQLITE_OK)
        return store_fail_db(st, "date");
    sqlite3_bind_text(s, 1, m1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, m2, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        snprintf(out, 16, "%s", (const char *)sqlite3_column_text(s, 0));
    else
        snprintf(out, 16, "9999-99-99"); /* empty store: nothing matches */
    sqlite3_finalize(s);
    return rc;
}

int store_where_build(sitrep_store *st, const sitrep_store_filter *f, store_where *w) {
    if (buf_puts(&w->sql, "")) goto oom;
    if (!f) return SITREP_OK;
    char d[16];
    if (f->since && *f->since) {
        if (resolve_date(st, f->since, d)) return st->status;
        if (buf_puts(&w->sql, " AND e.date >= ?") || add_bind_text(w, d, strlen(d))) goto oom;
    }
    if (f->until && *f->until) {
        if (resolve_date(st, f->until, d)) return st->status;
        if (buf_puts(&w->sql, " AND e.date <= ?") || add_bind_text(w, d, strlen(d))) goto oom;
    }
    if (f->actor && *f->actor && add_list2(w, f->actor, "e.src_code", "e.tgt_code", 0)) goto oom;
    if (f->source && *f->source && add_list2(w, f->source, "e.src_code", NULL, 0)) goto oom;
    if (f->target && *f->target && add_list2(w, f->target, "e.tgt_code", NULL, 0)) goto oom;
    if (f->country && *f->country) {
        size_t n = strlen(f->country);
        char up[8];
        if (n > 3) n = 3;
        for (size_t i = 0; i < n; i++) up[i] = (char)toupper((unsigned char)f->country[i]);
        up[n] = 0;
        if (buf_puts(&w->sql, " AND (") || add_prefix(w, "e.src_code", up, n, 1) ||
            buf_puts(&w->sql, " OR ") || add_prefix(w, "e.tgt_code", up, n, 1) ||
            buf_puts(&w->sql, " OR p.country3 = ?)") || add_bind_text(w, up, n))
            goto oom;
    }
    if (f->cameo && *f->cameo && add_list2(w, f->cameo, "e.cameo", NULL, 0)) goto oom;
    if (f->root && *f->root && add_list2(w, f->root, "e.root", NULL, 1)) goto oom;
    if (f->plover && *f->plover &&
        (buf_puts(&w->sql, " AND upper(e.plover_type) = upper(?)") ||
         add_bind_text(w, f->plover, strlen(f->plover))))
        goto oom;
    if (f->quad) {
        if (f->quad < 1 || f->quad > 4) return store_fail(st, SITREP_EINVAL, "quad class must be 1..4");
        if (buf_puts(&w->sql, " AND e.quad_class = ?") || add_bind_int(w, f->quad)) goto oom;
    }
    if (f->place && *f->place &&
        (buf_puts(&w->sql, " AND (lower(p.name) = lower(?) OR lower(p.admin1) = lower(?) OR "
                                 "lower(e.loc_text) = lower(?))") ||
         add_bind_text(w, f->place, strlen(f->place)) || add_bind_text(w, f->place, strlen(f->place)) ||
         add_bind_text(w, f->place, strlen(f->place))))
        goto oom;
    if (f->use_bbox) {
        if (!(f->bbox[0] <= f->bbox[2] && f->bbox[1] <= f->bbox[3]))
            return store_fail(st, SITREP_EINVAL, "bad bounding box (minlon,minlat,maxlon,maxlat)");
        if (buf_puts(&w->sql, " AND p.lon BETWEEN ? AND ? AND p.lat BETWEEN ? AND ?") ||
            add_bind_double(w, f->bbox[0]) || add_bind_double(w, f->bbox[2]) ||
            add_bind_double(w, f->bbox[1]) || add_bind_double(w, f->bbox[3]))
            goto oom;
    }
    if (f->text && *f->text) {
        const char *p = f->text;
        while (*p) {
            while (*p && isspace((unsigned char)*p)) p++;
            const char *s = p;
            while (*p && !isspace((unsigned char)*p)) p++;
            if (p > s && (buf_puts(&w->sql, " AND instr(lower(e.sentence_text), lower(?)) > 0") ||
                          add_bind_text(w, s, (size_t)(p - s))))
                goto oom;
        }
    }
    return SITREP_OK;
oom:
    return store_fail(st, w->n >= STORE_MAX_BINDS ? SITREP_ELIMIT : SITREP_ENOMEM,
                      w->n >= STORE_MAX_BINDS ? "too many filter values" : "out of memory");
}

int store_where_bind(const store_where *w, sqlite3_stmt *s, int first) {
    for (int i = 0; i < w->n; i++) {
        const store_bind *b = &w->b[i];
        int rc = b->kind == 0   ? sqlite3_bind_text(s, first + i, b->s, -1, SQLITE_TRANSIENT)
                 : b->kind == 1 ? sqlite3_bind_double(s, first + i, b->d)
                                : sqlite3_bind_int64(s, first + i, b->i);
        if (rc != SQLITE_OK) return -1;
    }
    return first + w->n;
}

void store_where_free(store_where *w) {
    if (!w) return;
    for (int i = 0; i < w->n; i++)
        if (w->b[i].kind == 0) free(w->b[i].s);
    sitrep_buf_free(&w->sql);
    w->n = 0;
}

/* ------------------------------------------------------------------ rows */

/* Columns of both query shapes (events, clusters). */
enum {
    C_ID, C_DATE, C_SRC, C_TGT, C_CAMEO, C_ROOT, C_QUAD, C_GOLD, C_PTYPE, C_PMODE, C_PNAME,
    C_PCC, C_LAT, C_LON, C_GEOID, C_CLUSTER, C_ART, C_SENT, C_STEXT, C_SRCTEXT, C_TGTTEXT,
    C_NEG, C_MODAL, C_VERB, C_RULE, C_QTY, C_LOCTEXT, C_LOCSTART, C_LOCEND, C_FEAT, C_ADM1,
    C_SRCNAME, C_TGTNAME, C_VSTART, C_VEND, C_SSTART, C_SEND, C_TSTART, C_TEND, C_MENT,
    C_SOURCES, C_ARTS, C_FIRST, C_LAST, C_PUB, C_URL, C_NCOLS
};

static const char *const ev_select =
    "SELECT e.id, e.date, e.src_code, e.tgt_code, e.cameo, e.root, e.quad_class, e.goldstein, "
    "e.plover_type, e.plover_mode, p.name, p.country_code, p.lat, p.lon, p.geonameid, e.cluster, "
    "e.article_id, e.sentence, e.sentence_text, e.src_text, e.tgt_text, e.negated, e.modality, "
    "e.verb_text, e.rule, e.quantities, e.loc_text, e.loc_start, e.loc_end, p.feature_code, "
    "p.admin1, e.src_name, e.tgt_name, e.verb_start, e.verb_end, e.src_start, e.src_end, "
    "e.tgt_start, e.tgt_end, c.mentions, c.sources, c.articles, e.date, e.date, a.source, a.url "
    "FROM events e LEFT JOIN places p ON p.id = e.place LEFT JOIN clusters c ON c.id = e.cluster "
    "LEFT JOIN articles a ON a.id = e.article WHERE 1";

static const char *const cl_select =
    "SELECT c.id, c.date, c.src_code, c.tgt_code, c.cameo, c.root, c.quad_class, c.goldstein, "
    "c.plover_type, fe.plover_mode, p.name, p.country_code, p.lat, p.lon, p.geonameid, c.id, "
    "fe.article_id, fe.sentence, fe.sentence_text, fe.src_text, fe.tgt_text, c.negated, "
    "fe.modality, fe.verb_text, fe.rule, fe.quantities, fe.loc_text, fe.loc_start, fe.loc_end, "
    "p.feature_code, p.admin1, fe.src_name, fe.tgt_name, fe.verb_start, fe.verb_end, "
    "fe.src_start, fe.src_end, fe.tgt_start, fe.tgt_end, c.mentions, c.sources, c.articles, "
    "c.first_date, c.last_date, a.source, a.url "
    "FROM clusters c LEFT JOIN places p ON p.id = c.place LEFT JOIN events fe ON fe.id = c.first_event "
    "LEFT JOIN articles a ON a.id = fe.article WHERE c.id IN (SELECT e.cluster FROM events e LEFT JOIN places p ON p.id = e.place WHERE 1";

static const char *txt(sqlite3_stmt *s, int c) {
    const unsigned char *t = sqlite3_column_text(s, c);
    return t ? (const char *)t : "";
}

static int isnull(sqlite3_stmt *s, int c) { return sqlite3_column_type(s, c) == SQLITE_NULL; }

static int jstr(sitrep_buf *b, const char *s) { return buf_json_str(b, s, strlen(s)); }

static int json_actor(sitrep_buf *b, sqlite3_stmt *s, int code, int text, int name, int start,
                      int end) {
    return buf_puts(b, "{\"code\": ") || jstr(b, txt(s, code)) || buf_puts(b, ", \"text\": ") ||
           jstr(b, txt(s, text)) || buf_puts(b, ", \"name\": ") || jstr(b, txt(s, name)) ||
           buf_printf(b, ", \"start\": %lld, \"end\": %lld}", sqlite3_column_int64(s, start),
                      sqlite3_column_int64(s, end));
}

static int json_location(sitrep_buf *b, sqlite3_stmt *s) {
    if (isnull(s, C_PNAME)) return buf_puts(b, "null");
    if (buf_puts(b, "{\"name\": ") || jstr(b, txt(s, C_PNAME))) return -1;
    if (isnull(s, C_GEOID) ? buf_puts(b, ", \"geonameid\": null")
                           : buf_printf(b, ", \"geonameid\": %lld", sqlite3_column_int64(s, C_GEOID)))
        return -1;
    if (isnull(s, C_LAT) ? buf_puts(b, ", \"lat\": null, \"lon\": null")
                         : buf_printf(b, ", \"lat\": %.5f, \"lon\": %.5f", sqlite3_column_double(s, C_LAT),
                                      sqlite3_column_double(s, C_LON)))
        return -1;
    return buf_puts(b, ", \"country_code\": ") || jstr(b, txt(s, C_PCC)) ||
           buf_puts(b, ", \"feature_code\": ") || jstr(b, txt(s, C_FEAT)) ||
           buf_puts(b, ", \"admin1\": ") || jstr(b, txt(s, C_ADM1)) || buf_puts(b, ", \"text\": ") ||
           jstr(b, txt(s, C_LOCTEXT)) ||
           buf_printf(b, ", \"start\": %lld, \"end\": %lld}", sqlite3_column_int64(s, C_LOCSTART),
                      sqlite3_column_int64(s, C_LOCEND));
}

/* The JSON object of a row (no newline). */
static int json_row(sitrep_buf *b, sqlite3_stmt *s, int clusters) {
    const char *q = txt(s, C_QTY);
    if (buf_printf(b, "{\"%s\": %lld, ", clusters ? "cluster" : "id", sqlite3_column_int64(s, C_ID)))
        return -1;
    if (clusters) {
        if (buf_puts(b, "\"date\": ") || jstr(b, txt(s, C_DATE)) || buf_puts(b, ", \"first_date\": ") ||
            jstr(b, txt(s, C_FIRST)) || buf_puts(b, ", \"last_date\": ") || jstr(b, txt(s, C_LAST)) ||
            buf_printf(b, ", \"mentions\": %lld, \"sources\": %lld, \"articles\": %lld, ",
                       sqlite3_column_int64(s, C_MENT), sqlite3_column_int64(s, C_SOURCES),
                       sqlite3_column_int64(s, C_ARTS)) ||
            buf_puts(b, "\"article_id\": ") || jstr(b, txt(s, C_ART)))
            return -1;
    } else {
        if (buf_puts(b, "\"article_id\": ") || jstr(b, txt(s, C_ART)) ||
            buf_printf(b, ", \"sentence\": %lld, \"date\": ", sqlite3_column_int64(s, C_SENT)) ||
            jstr(b, txt(s, C_DATE)))
            return -1;
    }
    return buf_puts(b, ", \"source\": ") ||
           json_actor(b, s, C_SRC, C_SRCTEXT, C_SRCNAME, C_SSTART, C_SEND) ||
           buf_puts(b, ", \"target\": ") ||
           json_actor(b, s, C_TGT, C_TGTTEXT, C_TGTNAME, C_TSTART, C_TEND) ||
           buf_puts(b, ", \"cameo\": {\"code\": ") || jstr(b, txt(s, C_CAMEO)) ||
           buf_puts(b, ", \"root\": ") || jstr(b, txt(s, C_ROOT)) ||
           buf_printf(b, ", \"goldstein\": %.1f, \"quad_class\": %d}", sqlite3_column_double(s, C_GOLD),
                      sqlite3_column_int(s, C_QUAD)) ||
           buf_puts(b, ", \"plover\": {\"type\": ") || jstr(b, txt(s, C_PTYPE)) ||
           buf_puts(b, ", \"mode\": ") || jstr(b, txt(s, C_PMODE)) || buf_puts(b, "}, \"location\": ") ||
           json_location(b, s) ||
           buf_printf(b, ", \"negated\": %s, \"modality\": ", sqlite3_column_int(s, C_NEG) ? "true" : "false") ||
           jstr(b, txt(s, C_MODAL)) || buf_printf(b, ", \"quantities\": %s", *q ? q : "[]") ||
           buf_puts(b, ", \"evidence\": {\"verb\": ") || jstr(b, txt(s, C_VERB)) ||
           buf_printf(b, ", \"verb_start\": %lld, \"verb_end\": %lld, \"rule\": ",
                      sqlite3_column_int64(s, C_VSTART), sqlite3_column_int64(s, C_VEND)) ||
           jstr(b, txt(s, C_RULE)) || buf_puts(b, "}, \"sentence_text\": ") || jstr(b, txt(s, C_STEXT)) ||
           (clusters ? 0
                     : buf_printf(b, ", \"cluster\": {\"id\": %lld, \"mentions\": %lld, \"sources\": %lld, "
                                     "\"articles\": %lld}",
                                  sqlite3_column_int64(s, C_CLUSTER), sqlite3_column_int64(s, C_MENT),
                                  sqlite3_column_int64(s, C_SOURCES), sqlite3_column_int64(s, C_ARTS))) ||
           buf_puts(b, "}");
}

/* Flat columns for TSV, CSV and the table. */
typedef struct col { const char *name; int src; int kind; } col; /* kind 0 text, 1 int, 2 gold, 3 coord */
static const col flat_ev[] = {
    {"id", C_ID, 1}, {"date", C_DATE, 0}, {"article_id", C_ART, 0}, {"sentence", C_SENT, 1},
    {"source", C_SRC, 0}, {"target", C_TGT, 0}, {"cameo", C_CAMEO, 0}, {"root", C_ROOT, 0},
    {"quad_class", C_QUAD, 1}, {"goldstein", C_GOLD, 2}, {"plover_type", C_PTYPE, 0},
    {"negated", C_NEG, 1}, {"modality", C_MODAL, 0}, {"place", C_PNAME, 0},
    {"country_code", C_PCC, 0}, {"lat", C_LAT, 3}, {"lon", C_LON, 3}, {"geonameid", C_GEOID, 1},
    {"cluster", C_CLUSTER, 1}, {"mentions", C_MENT, 1}, {"sources", C_SOURCES, 1},
    {"articles", C_ARTS, 1}, {"verb", C_VERB, 0}, {"rule", C_RULE, 0}, {"sentence_text", C_STEXT, 0}};
#define NFLAT (sizeof flat_ev / sizeof flat_ev[0])

static int cell(sitrep_buf *b, sqlite3_stmt *s, const col *c) {
    if (isnull(s, c->src)) return 0;
    switch (c->kind) {
    case 1: return buf_printf(b, "%lld", sqlite3_column_int64(s, c->src));
    case 2: return buf_printf(b, "%.1f", sqlite3_column_double(s, c->src));
    case 3: return buf_printf(b, "%.5f", sqlite3_column_double(s, c->src));
    default: return buf_puts(b, txt(s, c->src));
    }
}

static int csv_cell(sitrep_buf *b, const char *v, size_t n) {
    int quote = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] == ',' || v[i] == '"' || v[i] == '\n' || v[i] == '\r') quote = 1;
    if (!quote) return buf_put(b, v, n);
    if (buf_puts(b, "\"")) return -1;
    for (size_t i = 0; i < n; i++)
        if (v[i] == '"' ? buf_puts(b, "\"\"") : buf_put(b, v + i, 1)) return -1;
    return buf_puts(b, "\"");
}

/* Terminal table: these columns, the sentence cut to fit. */
static const col table_ev[] = {{"id", C_ID, 1}, {"date", C_DATE, 0}, {"source", C_SRC, 0},
                               {"target", C_TGT, 0}, {"cameo", C_CAMEO, 0}, {"q", C_QUAD, 1},
                               {"gold", C_GOLD, 2}, {"plover", C_PTYPE, 0}, {"place", C_PNAME, 0},
                               {"cluster", C_CLUSTER, 1}, {"sentence", C_STEXT, 0}};
static const col table_cl[] = {{"cluster", C_ID, 1}, {"date", C_DATE, 0}, {"source", C_SRC, 0},
                               {"target", C_TGT, 0}, {"cameo", C_CAMEO, 0}, {"q", C_QUAD, 1},
                               {"gold", C_GOLD, 2}, {"plover", C_PTYPE, 0}, {"place", C_PNAME, 0},
                               {"mentions", C_MENT, 1}, {"articles", C_ARTS, 1},
                               {"sources", C_SOURCES, 1}, {"sentence", C_STEXT, 0}};
#define TABLE_MAXCOLS 13
#define TABLE_CELL_MAX 24
#define TABLE_SENT_MAX 60

/* Cut s to at most `max` characters (UTF-8), adding "~" when cut. */
static void cut(char *s, size_t max) {
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max) { break; }
            chars++;
        }
        if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') s[i] = ' ';
    }
    if (s[i] && max > 0) {
        /* back off one character for the marker */
        size_t j = i;
        do { j--; } while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80);
        s[j] = '~';
        s[j + 1] = 0;
    }
}

typedef struct table {
    char **cells; /* rows * ncols strings */
    size_t rows, cap, ncols;
} table;

static int table_add(table *t, sqlite3_stmt *s, const col *cols) {
    if (t->rows == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 64;
        char **c = realloc(t->cells, nc * t->ncols * sizeof *c);
        if (!c) return -1;
        t->cells = c;
        t->cap = nc;
    }
    sitrep_buf b = {0};
    for (size_t k = 0; k < t->ncols; k++) {
        b.len = 0;
        if (cell(&b, s, &cols[k]) || buf_put(&b, "", 1)) { sitrep_buf_free(&b); return -1; }
        cut(b.data, k + 1 == t->ncols ? TABLE_SENT_MAX : TABLE_CELL_MAX);
        t->cells[t->rows * t->ncols + k] = strdup(b.data);
        if (!t->cells[t->rows * t->ncols + k]) {
            for (size_t j = 0; j < k; j++) free(t->cells[t->rows * t->ncols + j]);
            sitrep_buf_free(&b);
            return -1;
        }
    }
    sitrep_buf_free(&b);
    t->rows++;
    return 0;
}

static int table_write(const table *t, const col *cols, sitrep_buf *out) {
    size_t w[TABLE_MAXCOLS];
    for (size_t k = 0; k < t->ncols; k++) {
        w[k] = strlen(cols[k].name);
        for (size_t r = 0; r < t->rows; r++) {
            const char *c = t->cells[r * t->ncols + k];
            size_t n = utf8_chars(c, strlen(c));
            if (n > w[k]) w[k] = n;
        }
    }
    for (size_t r = 0; r <= t->rows; r++) {
        for (size_t k = 0; k < t->ncols; k++) {
            const char *c = r ? t->cells[(r - 1) * t->ncols + k] : cols[k].name;
            size_t n = utf8_chars(c, strlen(c));
            int right = r && cols[k].kind != 0;
            if (k && buf_puts(out, "  ")) return -1;
            if (right) for (size_t i = n; i < w[k]; i++) if (buf_puts(out, " ")) return -1;
            if (buf_puts(out, c)) return -1;
            if (!right && k + 1 < t->ncols)
                for (size_t i = n; i < w[k]; i++) if (buf_puts(out, " ")) return -1;
        }
        if (buf_puts(out, "\n")) return -1;
    }
    return 0;
}

static void table_free(table *t) {
    for (size_t i = 0; i < t->rows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
}

/* ------------------------------------------------------------------ peer layouts */

/* Country name of an ISO alpha-3 code, written into out; "" when unknown. */
static void iso_name(const char *c3, char *out, size_t cap) {
    out[0] = 0;
    if (!c3 || strlen(c3) < 3) return;
    for (const char *p = store_iso_names; *p;) {
        const char *end = strchr(p, '|');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > 4 && !memcmp(p, c3, 3) && p[3] == ':') {
            size_t k = n - 4 < cap - 1 ? n - 4 : cap - 1;
            memcpy(out, p + 4, k);
            out[k] = 0;
            return;
        }
        p += n + (end ? 1 : 0);
    }
}

/* CAMEO agent (role) codes and the sector names ICEWS-style files use. */
static const char *sector_name(const char *role) {
    static const char *const t[][2] = {
        {"GOV", "Government"}, {"MIL", "Military"}, {"COP", "Police"}, {"REB", "Rebels"},
        {"OPP", "Opposition"}, {"SPY", "Intelligence"}, {"JUD", "Judiciary"},
        {"LEG", "Legislative / Parliamentary"}, {"MED", "Media"}, {"EDU", "Education"},
        {"BUS", "Business"}, {"CVL", "Civilian"}, {"REF", "Refugees"}, {"LAB", "Labor"},
        {"AGR", "Agriculture"}, {"HLH", "Health"}, {"ELI", "Elites"}, {"CRM", "Criminal"},
        {"UAF", "Unidentified Forces"}, {"IMG", "Immigrants"}, {"RAD", "Radicals"},
        {"SEP", "Separatists"}, {"INS", "Insurgents"}, {"MOD", "Moderates"},
        {"HRI", "Human Rights"}, {"ENV", "Environment"}, {"DEV", "Development"},
        {"PTY", "Political Parties"}, {"SET", "Settlers"}, {"IGO", "International Government Organizations"},
        {"NGO", "Non-Governmental Organizations"}, {"NGM", "Non-Governmental Movements"},
        {"MNC", "Multinational Corporations"}, {"Rel", "Religious"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strncmp(role, t[i][0], 3)) return t[i][1];
    return "";
}

/* Split an actor code into entity (3), role (3) and attribute (rest). */
static void split_code(const char *code, char ent[4], char role[4], char attr[32]) {
    size_t n = strlen(code);
    snprintf(ent, 4, "%.3s", code);
    snprintf(role, 4, "%.3s", n > 3 ? code + 3 : "");
    snprintf(attr, 32, "%s", n > 6 ? code + 6 : "");
}

/* Phoenix penta class from the CAMEO root. */
static int penta(const char *root) {
    int r = atoi(root);
    return r <= 2 ? 0 : r <= 5 ? 1 : r <= 8 ? 2 : r <= 13 ? 3 : 4;
}

static int tsvf(sitrep_buf *b, const char *s) { return buf_tsv_str(b, s, strlen(s)) || buf_puts(b, "\t"); }

static int phoenix_row(sitrep_buf *b, sqlite3_stmt *s) {
    const char *d = txt(s, C_DATE);
    char ent[4], role[4], attr[32], c3[4];
    int e = buf_printf(b, "%lld\t", sqlite3_column_int64(s, C_ID));
    e = e || (strlen(d) >= 10 ? buf_printf(b, "%.4s%.2s%.2s\t%.4s\t%.2s\t%.2s\t", d, d + 5, d + 8, d, d + 5, d + 8)
                              : buf_puts(b, "\t\t\t\t"));
    for (int k = 0; k < 2 && !e; k++) {
        const char *code = txt(s, k ? C_TGT : C_SRC);
        split_code(code, ent, role, attr);
        e = tsvf(b, code) || tsvf(b, ent) || tsvf(b, role) || tsvf(b, attr);
    }
    store_iso3_of(txt(s, C_PCC), c3);
    e = e || tsvf(b, txt(s, C_CAMEO)) || tsvf(b, txt(s, C_ROOT)) ||
        buf_printf(b, "%d\t%.1f\t\t", penta(txt(s, C_ROOT)), sqlite3_column_double(s, C_GOLD));
    e = e || (isnull(s, C_LAT) ? buf_puts(b, "\t\t")
                               : buf_printf(b, "%.5f\t%.5f\t", sqlite3_column_double(s, C_LAT),
                                            sqlite3_column_double(s, C_LON)));
    e = e || tsvf(b, txt(s, C_PNAME)) || tsvf(b, txt(s, C_ADM1)) || tsvf(b, c3) ||
        buf_tsv_str(b, txt(s, C_ART), strlen(txt(s, C_ART))) ||
        buf_printf(b, "_%lld\t", sqlite3_column_int64(s, C_SENT)) || tsvf(b, txt(s, C_URL)) ||
        buf_tsv_str(b, txt(s, C_PUB), strlen(txt(s, C_PUB))) || buf_puts(b, "\n");
    return e;
}

static const char *const icews_header =
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
    "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\t"
    "City\tDistrict\tProvince\tCountry\tLatitude\tLongitude\n";

static int icews_row(sitrep_buf *b, sqlite3_stmt *s) {
    char ent[4], role[4], attr[32], cname[96], c3[4], text[64];
    int e = buf_printf(b, "%lld\t", sqlite3_column_int64(s, C_ID)) || tsvf(b, txt(s, C_DATE));
    for (int k = 0; k < 2 && !e; k++) {
        const char *code = txt(s, k ? C_TGT : C_SRC);
        const char *name = txt(s, k ? C_TGTNAME : C_SRCNAME);
        if (!*name) name = txt(s, k ? C_TGTTEXT : C_SRCTEXT);
        split_code(code, ent, role, attr);
        iso_name(ent, cname, sizeof cname);
        e = tsvf(b, name) || tsvf(b, sector_name(role)) || tsvf(b, cname);
        if (!k) {
            /* event text: the root's name in sentence case */
            const char *rn = store_root_name(txt(s, C_ROOT));
            size_t i = 0;
            for (; rn[i] && i < sizeof text - 1; i++)
                text[i] = i ? (char)tolower((unsigned char)rn[i]) : rn[i];
            text[i] = 0;
            e = e || tsvf(b, text) || tsvf(b, txt(s, C_CAMEO)) ||
                buf_printf(b, "%.1f\t", sqlite3_column_double(s, C_GOLD));
        }
    }
    const char *feat = txt(s, C_FEAT);
    store_iso3_of(txt(s, C_PCC), c3);
    iso_name(c3, cname, sizeof cname);
    e = e || tsvf(b, txt(s, C_ART)) || buf_printf(b, "%lld\t", sqlite3_column_int64(s, C_SENT) + 1) ||
        tsvf(b, txt(s, C_PUB)) || tsvf(b, !strncmp(feat, "PPL", 3) ? txt(s, C_PNAME) : "") ||
        buf_puts(b, "\t") || tsvf(b, txt(s, C_ADM1)) || tsvf(b, cname) ||
        (isnull(s, C_LAT) ? buf_puts(b, "\t\n")
                          : buf_printf(b, "%.5f\t%.5f\n", sqlite3_column_double(s, C_LAT),
                                       sqlite3_column_double(s, C_LON)));
    return e;
}

static int flush(sitrep_buf *b, sitrep_write_fn w, void *ud, int force) {
    if (!force && b->len < 65536) return 0;
    int stop = b->len ? w(ud, b->data, b->len) : 0;
    b->len = 0;
    return stop;
}

static long query_locked(sitrep_store *st, const sitrep_store_filter *f, int format,
                         sitrep_write_fn w, void *ud) {
    store_where wh = {0};
    sitrep_buf sql = {0}, out = {0};
    sqlite3_stmt *s = NULL;
    table t = {0};
    long rows = 0;
    int clusters = f && f->clusters;
    int rc = store_where_build(st, f, &wh);
    if (rc) goto done;
    if (buf_puts(&sql, clusters ? cl_select : ev_select) || buf_puts(&sql, wh.sql.data) ||
        buf_puts(&sql, clusters ? ") ORDER BY c.date, c.id" : " ORDER BY e.date, e.id") ||
        (f && f->limit > 0 && buf_printf(&sql, " LIMIT %ld", f->limit))) {
        rc = store_fail(st, SITREP_ENOMEM, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(st->db, sql.data, -1, &s, NULL) != SQLITE_OK) {
        rc = store_fail_db(st, "query");
        goto done;
    }
    store_where_bind(&wh, s, 1);
    const col *tcols = clusters ? table_cl : table_ev;
    t.ncols = clusters ? sizeof table_cl / sizeof table_cl[0] : sizeof table_ev / sizeof table_ev[0];
    int oom = 0, stop = 0;
    if (format == SITREP_FMT_TSV || format == SITREP_FMT_CSV) {
        for (size_t k = 0; k < NFLAT && !oom; k++)
            oom = buf_puts(&out, k ? (format == SITREP_FMT_TSV ? "\t" : ",") : "") ||
                  buf_puts(&out, flat_ev[k].name);
        oom = oom || buf_puts(&out, "\n");
    } else if (format == SITREP_FMT_ICEWS) {
        oom = buf_puts(&out, icews_header);
    } else if (format == SITREP_FMT_GEOJSON) {
        oom = buf_puts(&out, "{\"type\": \"FeatureCollection\", \"features\": [\n");
    }
    int step, nfeat = 0;
    sitrep_buf c = {0};
    while (!oom && !stop && (step = sqlite3_step(s)) == SQLITE_ROW) {
        rows++;
        switch (format) {
        case SITREP_FMT_TSV:
            for (size_t k = 0; k < NFLAT && !oom; k++) {
                c.len = 0;
                oom = cell(&c, s, &flat_ev[k]) || (k && buf_puts(&out, "\t")) ||
                      buf_tsv_str(&out, c.data ? c.data : "", c.len);
            }
            oom = oom || buf_puts(&out, "\n");
            break;
        case SITREP_FMT_CSV:
            for (size_t k = 0; k < NFLAT && !oom; k++) {
                c.len = 0;
                oom = cell(&c, s, &flat_ev[k]) || (k && buf_puts(&out, ",")) ||
                      csv_cell(&out, c.data ? c.data : "", c.len);
            }
            oom = oom || buf_puts(&out, "\r\n");
            break;
        case SITREP_FMT_JSONL:
            oom = json_row(&out, s, clusters) || buf_puts(&out, "\n");
            break;
        case SITREP_FMT_PHOENIX:
            oom = phoenix_row(&out, s);
            break;
        case SITREP_FMT_ICEWS:
            oom = icews_row(&out, s);
            break;
        case SITREP_FMT_GEOJSON:
            if (isnull(s, C_LAT)) { rows--; break; }
            oom = buf_printf(&out, "%s{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", "
                                   "\"coordinates\": [%.5f, %.5f]}, \"properties\": ",
                             nfeat++ ? ",\n" : "", sqlite3_column_double(s, C_LON),
                             sqlite3_column_double(s, C_LAT)) ||
                  json_row(&out, s, clusters) || buf_puts(&out, "}");
            break;
        default:
            oom = table_add(&t, s, tcols);
            break;
        }
        if (!oom) stop = flush(&out, w, ud, 0);
    }
    sitrep_buf_free(&c);
    if (oom) {
        rc = store_fail(st, SITREP_ENOMEM, "out of memory");
        goto done;
    }
    if (!stop && step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = store_fail_db(st, "query");
        goto done;
    }
    if (format == SITREP_FMT_GEOJSON && buf_puts(&out, "\n]}\n")) oom = 1;
    if (format == SITREP_FMT_TABLE && !oom) oom = table_write(&t, tcols, &out);
    if (oom) {
        rc = store_fail(st, SITREP_ENOMEM, "out of memory");
        goto done;
    }
    if (!stop) flush(&out, w, ud, 1);
done:
    table_free(&t);
    sqlite3_finalize(s);
    store_where_free(&wh);
    sitrep_buf_free(&sql);
    sitrep_buf_free(&out);
    return rc ? rc : rows;
}

long sitrep_store_query(sitrep_store *st, const sitrep_store_filter *f, int format,
                        sitrep_write_fn w, void *ud) {
    if (!st) return SITREP_EINVAL;
    if (!st->db) return st->status ? st->status : SITREP_EDB;
    if (!w) return store_fail(st, SITREP_EINVAL, "no output");
    if (format < SITREP_FMT_TABLE || format > SITREP_FMT_ICEWS)
        return store_fail(st, SITREP_EINVAL, "unknown output format");
    pthread_mutex_lock(&st->mu);
    st->status = SITREP_OK;
    st->err[0] = 0;
    long r = query_locked(st, f, format, w, ud);
    pthread_mutex_unlock(&st->mu);
    return r;
}
