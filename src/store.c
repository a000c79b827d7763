/* store.c - the SQLite event store: schema, idempotent and resumable ingest,
 * near-duplicate articles (MinHash over word 3-shingles, LSH bands) and the merging of
 * events that report one happening into clusters (GDELT-style mentions,
 * sources and articles counts). Schema and rules: docs/schema.md.
 *
 * Every statement is prepared once with bound parameters. Each article is
 * stored under a savepoint inside the caller's batch transaction, so the
 * database only ever holds whole articles; cluster assignment reads only
 * what earlier articles stored, so it depends on the ingest order alone. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "store.h"
#include "store_iso.h"

/* ------------------------------------------------------------------ errors */

int store_fail(sitrep_store *st, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->err, sizeof st->err, fmt, ap);
    va_end(ap);
    st->status = status;
    return status;
}

int store_fail_db(sitrep_store *st, const char *what) {
    return store_fail(st, SITREP_EDB, "%s: %s", what, st->db ? sqlite3_errmsg(st->db) : "no database");
}

/* ------------------------------------------------------------------ schema */

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);\n"
    "CREATE TABLE IF NOT EXISTS articles(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  ext_id TEXT NOT NULL UNIQUE,\n"
    "  content_hash TEXT UNIQUE,\n"
    "  minhash BLOB,\n"
    "  dup_of INTEGER REFERENCES articles(id),\n"
    "  dup_similarity REAL,\n"
    "  date TEXT, title TEXT, url TEXT, source TEXT, outlet TEXT NOT NULL DEFAULT '',\n"
    "  file TEXT, line INTEGER,\n"
    "  nbytes INTEGER NOT NULL DEFAULT 0, nsentences INTEGER NOT NULL DEFAULT 0,\n"
    "  nevents INTEGER NOT NULL DEFAULT 0,\n"
    "  text TEXT);\n"
    "CREATE INDEX IF NOT EXISTS articles_date ON articles(date);\n"
    "CREATE TABLE IF NOT EXISTS article_bands(\n"
    "  key INTEGER NOT NULL, article INTEGER NOT NULL REFERENCES articles(id));\n"
    "CREATE INDEX IF NOT EXISTS article_bands_key ON article_bands(key);\n"
    "CREATE TABLE IF NOT EXISTS actors(\n"
    "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, country TEXT, name TEXT,\n"
    "  nevents INTEGER NOT NULL DEFAULT 0, first_date TEXT, last_date TEXT);\n"
    "CREATE TABLE IF NOT EXISTS places(\n"
    "  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, geonameid INTEGER, name TEXT,\n"
    "  lat REAL, lon REAL, country_code TEXT, country3 TEXT, feature_code TEXT, admin1 TEXT,\n"
    "  nevents INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE IF NOT EXISTS clusters(\n"
    "  id INTEGER PRIMARY KEY, key TEXT NOT NULL, date TEXT,\n"
    "  first_date TEXT, last_date TEXT,\n"
    "  src_code TEXT, tgt_code TEXT, cameo TEXT, root TEXT, goldstein REAL, quad_class INTEGER,\n"
    "  plover_type TEXT, negated INTEGER, place INTEGER REFERENCES places(id),\n"
    "  first_event INTEGER,\n"
    "  mentions INTEGER NOT NULL DEFAULT 0, articles INTEGER NOT NULL DEFAULT 0,\n"
    "  sources INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE INDEX IF NOT EXISTS clusters_key ON clusters(key, date);\n"
    "CREATE INDEX IF NOT EXISTS clusters_date ON clusters(date);\n"
    "CREATE TABLE IF NOT EXISTS events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article INTEGER NOT NULL REFERENCES articles(id), article_id TEXT NOT NULL,\n"
    "  sentence INTEGER, date TEXT,\n"
    "  src_code TEXT, src_text TEXT, src_name TEXT, src_rule TEXT, src_start INTEGER, src_end INTEGER,\n"
    "  tgt_code TEXT, tgt_text TEXT, tgt_name TEXT, tgt_rule TEXT, tgt_start INTEGER, tgt_end INTEGER,\n"
    "  cameo TEXT, root TEXT, goldstein REAL, quad_class INTEGER,\n"
    "  plover_type TEXT, plover_mode TEXT,\n"
    "  place INTEGER REFERENCES places(id), loc_text TEXT, loc_start INTEGER, loc_end INTEGER,\n"
    "  negated INTEGER NOT NULL DEFAULT 0, modality TEXT,\n"
    "  verb_text TEXT, verb_start INTEGER, verb_end INTEGER, rule TEXT,\n"
    "  sentence_text TEXT, sent_start INTEGER, sent_end INTEGER,\n"
    "  quantities TEXT NOT NULL DEFAULT '[]',\n"
    "  cluster INTEGER REFERENCES clusters(id));\n"
    "CREATE INDEX IF NOT EXISTS events_date ON events(date);\n"
    "CREATE INDEX IF NOT EXISTS events_article ON events(article);\n"
    "CREATE INDEX IF NOT EXISTS events_cluster ON events(cluster, article);\n"
    "CREATE INDEX IF NOT EXISTS events_src ON events(src_code);\n"
    "CREATE INDEX IF NOT EXISTS events_tgt ON events(tgt_code);\n"
    "CREATE INDEX IF NOT EXISTS events_root ON events(root);\n"
    "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1');\n"
    "INSERT OR IGNORE INTO meta(key, value) VALUES('cluster_window_days', '1');\n"
    "INSERT OR IGNORE INTO meta(key, value) VALUES('minhash_min_similarity', '0.7');\n";

static const char *const stmt_sql[SS_COUNT] = {
    [SS_HAS_ID] = "SELECT 1 FROM articles WHERE ext_id = ?1",
    [SS_HAS_HASH] = "SELECT 1 FROM articles WHERE content_hash = ?1",
    [SS_NEAR] = "SELECT a.id, a.minhash, a.dup_of FROM articles a WHERE a.id IN (SELECT article "
                "FROM article_bands WHERE key IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                "?13, ?14, ?15, ?16)) ORDER BY a.id",
    [SS_BAND] = "INSERT INTO article_bands(key, article) VALUES(?1, ?2)",
    [SS_INS_ART] = "INSERT INTO articles(ext_id, content_hash, minhash, "
                   "dup_of, dup_similarity, date, title, url, source, outlet, file, line, nbytes, "
                   "nsentences, nevents, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                   "?12, ?13, ?14, ?15, ?16)",
    [SS_ACTOR] = "INSERT INTO actors(code, country, name, nevents, first_date, last_date) "
                 "VALUES(?1, substr(?1, 1, 3), ?2, 1, ?3, ?3) ON CONFLICT(code) DO UPDATE SET "
                 "nevents = nevents + 1, "
                 "name = CASE WHEN coalesce(name, '') = '' THEN excluded.name ELSE name END, "
                 "first_date = CASE WHEN first_date IS NULL OR excluded.first_date < first_date "
                 "THEN excluded.first_date ELSE first_date END, "
                 "last_date = CASE WHEN last_date IS NULL OR excluded.last_date > last_date "
                 "THEN excluded.last_date ELSE last_date END",
    [SS_PLACE] = "INSERT INTO places(key, geonameid, name, lat, lon, country_code, country3, "
                 "feature_code, admin1, nevents) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1) "
                 "ON CONFLICT(key) DO UPDATE SET nevents = nevents + 1 RETURNING id",
    [SS_CL_FIND] = "SELECT id FROM clusters WHERE key = ?1 AND date BETWEEN date(?2, ?3) AND "
                   "date(?2, ?4) ORDER BY abs(julianday(date) - julianday(?2)), date, id LIMIT 1",
    [SS_CL_INS] = "INSERT INTO clusters(key, date, first_date, last_date, src_code, tgt_code, cameo, "
                  "root, goldstein, quad_class, plover_type, negated, place) "
                  "VALUES(?1, ?2, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [SS_EV_INS] = "INSERT INTO events(article, article_id, sentence, date, src_code, src_text, "
                  "src_name, src_rule, src_start, src_end, tgt_code, tgt_text, tgt_name, tgt_rule, "
                  "tgt_start, tgt_end, cameo, root, goldstein, quad_class, plover_type, plover_mode, "
                  "place, loc_text, loc_start, loc_end, negated, modality, verb_text, verb_start, "
                  "verb_end, rule, sentence_text, sent_start, sent_end, quantities, cluster) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                  "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, "
                  "?34, ?35, ?36, ?37)",
    [SS_CL_FIRST] = "UPDATE clusters SET first_event = ?2 WHERE id = ?1",
    [SS_CL_UPD] = "UPDATE clusters SET "
                  "mentions = mentions + 1, "
                  "articles = articles + NOT EXISTS (SELECT 1 FROM events WHERE cluster = ?1 "
                  "AND article = ?3 AND id <> ?4), "
                  "sources = sources + NOT EXISTS (SELECT 1 FROM events e JOIN articles a "
                  "ON a.id = e.article WHERE e.cluster = ?1 AND a.outlet = ?5 AND e.id <> ?4), "
                  "first_date = CASE WHEN ?2 < first_date THEN ?2 ELSE first_date END, "
                  "last_date = CASE WHEN ?2 > last_date THEN ?2 ELSE last_date END "
                  "WHERE id = ?1",
    [SS_SP_BEGIN] = "SAVEPOINT article",
    [SS_SP_RELEASE] = "RELEASE article",
    [SS_SP_ROLLBACK] = "ROLLBACK TO article",
};

static sqlite3_stmt *stmt(sitrep_store *st, int which) {
    if (!st->stmt[which]) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                               &st->stmt[which], NULL) != SQLITE_OK) {
            store_fail_db(st, "prepare");
            return NULL;
        }
    }
    sqlite3_reset(st->stmt[which]);
    sqlite3_clear_bindings(st->stmt[which]);
    return st->stmt[which];
}

/* Run a statement that returns no rows (or whose rows we ignore). */
static int run(sitrep_store *st, sqlite3_stmt *s, const char *what) {
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {}
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SITREP_OK : store_fail_db(st, what);
}

/* Roll back the open transaction, if SQLite has not already done so (it
 * does on a full disk), keeping the error that caused it. */
static void rollback_quiet(sitrep_store *st) {
    if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

sitrep_store *sitrep_store_open(const char *path, int readonly) {
    sitrep_store *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    pthread_mutex_init(&st->mu, NULL);
    st->readonly = readonly;
    if (!path || !*path) {
        store_fail(st, SITREP_EINVAL, "no database path");
        return st;
    }
    int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        store_fail(st, SITREP_EDB, "%s: cannot open database: %s", path,
                   st->db ? sqlite3_errmsg(st->db) : "out of memory");
        return st;
    }
    sqlite3_busy_timeout(st->db, 10000);
    if (readonly) {
        sqlite3_stmt *s = NULL;
        int prc = sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s, NULL);
        if (prc == SQLITE_CANTOPEN) {
            /* a WAL database on a read-only file system: nobody can write it,
             * so open it as immutable (no -shm file needed) */
            sqlite3_close(st->db);
            st->db = NULL;
            char *uri = sqlite3_mprintf("file:%s?immutable=1", path);
            if (uri && sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                       NULL) == SQLITE_OK)
                prc = sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s, NULL);
            sqlite3_free(uri);
        }
        if (prc != SQLITE_OK)
            store_fail(st, SITREP_EDB, "%s: not a sitrep database: %s", path,
                       st->db ? sqlite3_errmsg(st->db) : "cannot open");
        sqlite3_finalize(s);
        return st;
    }
    char *msg = NULL;
    if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", NULL, NULL,
                     &msg) != SQLITE_OK ||
        sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
        store_fail(st, SITREP_EDB, "%s: %s", path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return st;
    }
    if (sqlite3_exec(st->db, schema_sql, NULL, NULL, &msg) != SQLITE_OK) {
        store_fail(st, SITREP_EDB, "%s: cannot create the schema: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        store_fail(st, SITREP_EDB, "%s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
    }
    return st;
}

void sitrep_store_close(sitrep_store *st) {
    if (!st) return;
    for (int i = 0; i < SS_COUNT; i++) sqlite3_finalize(st->stmt[i]);
    if (st->db) {
        if (st->in_tx) rollback_quiet(st);
        sqlite3_close(st->db);
    }
    pthread_mutex_destroy(&st->mu);
    free(st);
}

int sitrep_store_status(const sitrep_store *st) { return st ? st->status : SITREP_EINVAL; }
const char *sitrep_store_errmsg(const sitrep_store *st) { return st ? st->err : "no store"; }

/* Whether st can take calls (st->db is set once, at open). */
static int usable(const sitrep_store *st) {
    if (!st) return SITREP_EINVAL;
    if (!st->db) return st->status ? st->status : SITREP_EDB;
    return SITREP_OK;
}

/* Take the lock and clear the last error. */
static void lock(sitrep_store *st) {
    pthread_mutex_lock(&st->mu);
    st->status = SITREP_OK;
    st->err[0] = 0;
}

static int exec_locked(sitrep_store *st, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        store_fail(st, SITREP_EDB, "%s: %s", sql, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return SITREP_EDB;
    }
    return SITREP_OK;
}

int sitrep_store_begin(sitrep_store *st) {
    int rc = usable(st);
    if (rc) return rc;
    lock(st);
    if (st->readonly) rc = store_fail(st, SITREP_EINVAL, "the database is open read-only");
    else if (!st->in_tx && (rc = exec_locked(st, "BEGIN IMMEDIATE")) == SITREP_OK) st->in_tx = 1;
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int sitrep_store_commit(sitrep_store *st) {
    int rc = usable(st);
    if (rc) return rc;
    lock(st);
    if (st->in_tx) {
        rc = exec_locked(st, "COMMIT");
        if (rc) rollback_quiet(st);
        st->in_tx = 0;
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

/* ------------------------------------------------------------------ hashing */

static uint64_t mix64(uint64_t x) {
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* A 128-bit content hash of the text bytes, as 32 hex digits. */
static void content_hash(const char *s, size_t n, char out[33]) {
    uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x9e3779b97f4a7c15ULL ^ n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        h1 = (h1 ^ c) * 0x100000001b3ULL;
        h2 = (h2 + c + 1) * 0xbf58476d1ce4e5b9ULL;
        h2 ^= h2 >> 29;
    }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)mix64(h1),
             (unsigned long long)mix64(h2 ^ h1));
}

/* MinHash over word 3-shingles (words: runs of letters/digits, ASCII lower-
 * cased, other UTF-8 bytes kept): STORE_MH_K minimum values of K hash
 * functions (multiply-add over a 64-bit shingle hash). Returns 0 when the
 * text has too few shingles for a useful signature. */
static int minhash(const char *s, size_t n, uint32_t sig[STORE_MH_K]) {
    uint64_t mul[STORE_MH_K], add[STORE_MH_K];
    for (int k = 0; k < STORE_MH_K; k++) {
        mul[k] = mix64(0x9e3779b97f4a7c15ULL * (uint64_t)(2 * k + 1)) | 1;
        add[k] = mix64(0x632be59bd9b4e019ULL + (uint64_t)k);
        sig[k] = UINT32_MAX;
    }
    uint64_t w[3] = {0, 0, 0};
    size_t nwords = 0, nsh = 0, i = 0;
    while (i < n) {
        while (i < n && !(isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) i++;
        if (i >= n) break;
        uint64_t h = 0xcbf29ce484222325ULL;
        while (i < n && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) {
            h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 0x100000001b3ULL;
            i++;
        }
        w[0] = w[1]; w[1] = w[2]; w[2] = h;
        if (++nwords < 3) continue;
        uint64_t sh = mix64(w[0] * 0x9e3779b97f4a7c15ULL ^ mix64(w[1] + 0x632be59bd9b4e019ULL) ^
                            (w[2] << 1));
        for (int k = 0; k < STORE_MH_K; k++) {
            uint32_t v = (uint32_t)((sh * mul[k] + add[k]) >> 32);
            if (v < sig[k]) sig[k] = v;
        }
        nsh++;
    }
    return nsh >= STORE_MH_MIN_SHINGLES;
}

/* Band keys (LSH): STORE_MH_BANDS bands of STORE_MH_K/STORE_MH_BANDS values,
 * each hashed with its band index into one integer key. */
static void band_keys(const uint32_t sig[STORE_MH_K], long long out[STORE_MH_BANDS]) {
    const int rows = STORE_MH_K / STORE_MH_BANDS;
    for (int b = 0; b < STORE_MH_BANDS; b++) {
        uint64_t h = mix64((uint64_t)b + 1);
        for (int r = 0; r < rows; r++) h = mix64(h ^ sig[b * rows + r]);
        out[b] = (long long)(h >> 1);
    }
}

/* Signatures as little-endian bytes, so the database is the same on any host. */
static void sig_pack(const uint32_t sig[STORE_MH_K], unsigned char out[4 * STORE_MH_K]) {
    for (int k = 0; k < STORE_MH_K; k++)
        for (int j = 0; j < 4; j++) out[4 * k + j] = (unsigned char)(sig[k] >> (8 * j));
}

static double sig_similarity(const unsigned char a[4 * STORE_MH_K], const unsigned char *b, int blen) {
    if (blen != 4 * STORE_MH_K) return 0;
    int same = 0;
    for (int k = 0; k < STORE_MH_K; k++) same += !memcmp(a + 4 * k, b + 4 * k, 4);
    return (double)same / STORE_MH_K;
}

/* ------------------------------------------------------------------ helpers */

static int bind_text(sqlite3_stmt *s, int i, const char *v) {
    return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, i);
}

/* The outlet of an article: its source, else the host of its URL, lower case. */
static void outlet_of(const sitrep_article *a, char *out, size_t cap) {
    const char *s = a->source;
    size_t n = 0;
    if (s && *s) {
        n = strlen(s);
    } else if (a->url && *a->url) {
        s = a->url;
        const char *p = strstr(s, "://");
        if (p) s = p + 3;
        if (!strncmp(s, "www.", 4)) s += 4;
        while (s[n] && s[n] != '/' && s[n] != ':' && s[n] != '?') n++;
    } else {
        s = "";
    }
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n >= cap) n = cap - 1;
    for (size_t i = 0; i < n; i++) out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = 0;
}

void store_iso3_of(const char *a2, char out[4]) {
    out[0] = 0;
    if (!a2 || strlen(a2) != 2) return;
    for (const char *p = store_iso3to2; *p; p += 5)
        if (toupper((unsigned char)a2[0]) == p[3] && toupper((unsigned char)a2[1]) == p[4]) {
            memcpy(out, p, 3);
            out[3] = 0;
            return;
        }
}

static const char *nz(const char *s) { return s ? s : ""; }

/* Quantities as a JSON array. */
static int quantities_json(const sitrep_event *e, sitrep_buf *b) {
    b->len = 0;
    if (buf_puts(b, "[")) return -1;
    for (int i = 0; i < e->nquantities; i++) {
        const sitrep_quantity *q = &e->quantities[i];
        if (buf_printf(b, "%s{\"value\": %.15g, \"unit\": ", i ? ", " : "", q->value) ||
            buf_json_str(b, nz(q->unit), strlen(nz(q->unit))) || buf_puts(b, ", \"what\": ") ||
            buf_json_str(b, nz(q->what), strlen(nz(q->what))) || buf_puts(b, "}"))
            return -1;
    }
    return buf_put(b, "]", 2) ? -1 : 0; /* includes the NUL */
}

/* Place key: g:<geonameid>, else n:<name>, else t:<mention> (lower case). */
static void place_key(const sitrep_place *p, char *out, size_t cap) {
    if (p->geonameid > 0) {
        snprintf(out, cap, "g:%ld", p->geonameid);
        return;
    }
    const char *s = (p->name && *p->name) ? p->name : nz(p->text);
    size_t n = 0;
    out[n++] = (p->name && *p->name) ? 'n' : 't';
    out[n++] = ':';
    for (; *s && n + 1 < cap; s++) out[n++] = (char)tolower((unsigned char)*s);
    out[n] = 0;
}

/* ------------------------------------------------------------------ ingest */

static int has_row(sitrep_store *st, int which, const char *v, size_t n) {
    sqlite3_stmt *s = stmt(st, which);
    if (!s) return SITREP_EDB;
    sqlite3_bind_text(s, 1, v, (int)n, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return store_fail_db(st, "lookup");
}

int sitrep_store_has_article(sitrep_store *st, const char *id, size_t id_len) {
    int rc = usable(st);
    if (rc) return rc;
    lock(st);
    rc = id ? has_row(st, SS_HAS_ID, id, id_len) : store_fail(st, SITREP_EINVAL, "no article id");
    pthread_mutex_unlock(&st->mu);
    return rc;
}

/* Find the near-duplicate an article should link to: the group root of the
 * most similar earlier article sharing a band (ties: lowest id), when the
 * estimated Jaccard similarity is at least STORE_MH_MIN_SIM. 0 when none. */
static long long near_dup(sitrep_store *st, const unsigned char *sig, const long long *keys,
                          double *sim) {
    sqlite3_stmt *s = stmt(st, SS_NEAR);
    if (!s) return -1;
    for (int i = 0; i < STORE_MH_BANDS; i++) sqlite3_bind_int64(s, i + 1, keys[i]);
    long long best = 0;
    double bests = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        double v = sig_similarity(sig, sqlite3_column_blob(s, 1), sqlite3_column_bytes(s, 1));
        if (v >= STORE_MH_MIN_SIM && v > bests) {
            bests = v;
            best = sqlite3_column_type(s, 2) == SQLITE_NULL ? sqlite3_column_int64(s, 0)
                                                            : sqlite3_column_int64(s, 2);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        store_fail_db(st, "near-duplicate lookup");
        return -1;
    }
    *sim = bests;
    return best;
}

/* Store event e of article `art` (whose near-duplicate group is `story`:
 * the group root, or art itself) and put it in its cluster. */
static int add_event(sitrep_store *st, long long art, long long story, const char *outlet,
                     const char *date, const sitrep_event *e, sitrep_buf *tmp) {
    sqlite3_stmt *s;
    const char *src = nz(e->source.code), *tgt = nz(e->target.code);
    /* actors */
    for (int k = 0; k < 2; k++) {
        const sitrep_actor *ac = k ? &e->target : &e->source;
        if (!ac->code || !*ac->code) continue;
        if (!(s = stmt(st, SS_ACTOR))) return SITREP_EDB;
        bind_text(s, 1, ac->code);
        bind_text(s, 2, nz(ac->name));
        bind_text(s, 3, date);
        if (run(st, s, "actor")) return SITREP_EDB;
    }
    /* place */
    long long place = 0;
    char pkey[256] = "";
    const sitrep_place *p = e->location;
    if (p && ((p->name && *p->name) || (p->text && *p->text) || p->geonameid > 0)) {
        place_key(p, pkey, sizeof pkey);
        if (!(s = stmt(st, SS_PLACE))) return SITREP_EDB;
        char c3[4];
        store_iso3_of(p->country_code, c3);
        int located = p->geonameid > 0 || p->lat != 0.0 || p->lon != 0.0;
        bind_text(s, 1, pkey);
        if (p->geonameid > 0) sqlite3_bind_int64(s, 2, p->geonameid);
        bind_text(s, 3, (p->name && *p->name) ? p->name : nz(p->text));
        if (located) {
            sqlite3_bind_double(s, 4, p->lat);
            sqlite3_bind_double(s, 5, p->lon);
        }
        bind_text(s, 6, p->country_code[0] ? p->country_code : NULL);
        bind_text(s, 7, c3[0] ? c3 : NULL);
        bind_text(s, 8, p->feature_code[0] ? p->feature_code : NULL);
        bind_text(s, 9, p->admin1 && *p->admin1 ? p->admin1 : NULL);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) place = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        if (rc != SQLITE_ROW) return store_fail_db(st, "place");
    }
    /* cluster: same dyad, root, negation and place, anchor date within the
     * window. An event missing an actor is too vague to match other reports:
     * it merges only within its own story (the article and its near copies). */
    const char *root = e->root[0] ? e->root : "";
    tmp->len = 0;
    if (buf_printf(tmp, "%s|%s|%s|%d|%s", src, tgt, root, e->negated ? 1 : 0, pkey) ||
        ((!*src || !*tgt) && buf_printf(tmp, "|story:%lld", story)) || buf_put(tmp, "", 1))
        return store_fail(st, SITREP_ENOMEM, "out of memory");
    char *ckey = strdup(tmp->data);
    if (!ckey) return store_fail(st, SITREP_ENOMEM, "out of memory");
    long long cl = 0;
    int fresh = 0, rc = SITREP_OK;
    if (date && *date) {
        char lo[24], hi[24];
        snprintf(lo, sizeof lo, "-%d days", STORE_CLUSTER_WINDOW_DAYS);
        snprintf(hi, sizeof hi, "+%d days", STORE_CLUSTER_WINDOW_DAYS);
        if (!(s = stmt(st, SS_CL_FIND))) { rc = SITREP_EDB; goto done; }
        bind_text(s, 1, ckey);
        bind_text(s, 2, date);
        bind_text(s, 3, lo);
        bind_text(s, 4, hi);
        int r = sqlite3_step(s);
        if (r == SQLITE_ROW) cl = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        if (r != SQLITE_ROW && r != SQLITE_DONE) { rc = store_fail_db(st, "cluster lookup"); goto done; }
    }
    if (!cl) {
        if (!(s = stmt(st, SS_CL_INS))) { rc = SITREP_EDB; goto done; }
        bind_text(s, 1, ckey);
        bind_text(s, 2, date && *date ? date : NULL);
        bind_text(s, 3, src);
        bind_text(s, 4, tgt);
        bind_text(s, 5, e->cameo);
        bind_text(s, 6, root);
        sqlite3_bind_double(s, 7, e->goldstein);
        sqlite3_bind_int(s, 8, e->quad_class);
        bind_text(s, 9, nz(e->plover_type));
        sqlite3_bind_int(s, 10, e->negated ? 1 : 0);
        if (place) sqlite3_bind_int64(s, 11, place);
        if ((rc = run(st, s, "cluster"))) goto done;
        cl = sqlite3_last_insert_rowid(st->db);
        fresh = 1;
    }
    /* the mention itself */
    if (quantities_json(e, tmp)) { rc = store_fail(st, SITREP_ENOMEM, "out of memory"); goto done; }
    if (!(s = stmt(st, SS_EV_INS))) { rc = SITREP_EDB; goto done; }
    sqlite3_bind_int64(s, 1, art);
    bind_text(s, 2, nz(e->article_id));
    sqlite3_bind_int(s, 3, e->sentence);
    bind_text(s, 4, date && *date ? date : NULL);
    for (int k = 0; k < 2; k++) {
        const sitrep_actor *ac = k ? &e->target : &e->source;
        int b = 5 + 6 * k;
        bind_text(s, b, nz(ac->code));
        bind_text(s, b + 1, nz(ac->text));
        bind_text(s, b + 2, nz(ac->name));
        bind_text(s, b + 3, nz(ac->rule));
        sqlite3_bind_int64(s, b + 4, ac->start);
        sqlite3_bind_int64(s, b + 5, ac->end);
    }
    bind_text(s, 17, e->cameo);
    bind_text(s, 18, root);
    sqlite3_bind_double(s, 19, e->goldstein);
    sqlite3_bind_int(s, 20, e->quad_class);
    bind_text(s, 21, nz(e->plover_type));
    bind_text(s, 22, nz(e->plover_mode));
    if (place) {
        sqlite3_bind_int64(s, 23, place);
        bind_text(s, 24, nz(p->text));
        sqlite3_bind_int64(s, 25, p->start);
        sqlite3_bind_int64(s, 26, p->end);
    }
    sqlite3_bind_int(s, 27, e->negated ? 1 : 0);
    bind_text(s, 28, nz(e->modality));
    bind_text(s, 29, nz(e->verb_text));
    sqlite3_bind_int64(s, 30, e->verb_start);
    sqlite3_bind_int64(s, 31, e->verb_end);
    bind_text(s, 32, nz(e->rule));
    bind_text(s, 33, nz(e->sentence_text));
    sqlite3_bind_int64(s, 34, e->sent_start);
    sqlite3_bind_int64(s, 35, e->sent_end);
    bind_text(s, 36, tmp->data);
    sqlite3_bind_int64(s, 37, cl);
    if ((rc = run(st, s, "event"))) goto done;
    long long evid = sqlite3_last_insert_rowid(st->db);
    if (fresh) {
        if (!(s = stmt(st, SS_CL_FIRST))) { rc = SITREP_EDB; goto done; }
        sqlite3_bind_int64(s, 1, cl);
        sqlite3_bind_int64(s, 2, evid);
        if ((rc = run(st, s, "cluster"))) goto done;
    }
    if (!(s = stmt(st, SS_CL_UPD))) { rc = SITREP_EDB; goto done; }
    sqlite3_bind_int64(s, 1, cl);
    bind_text(s, 2, date && *date ? date : NULL);
    sqlite3_bind_int64(s, 3, art);
    sqlite3_bind_int64(s, 4, evid);
    bind_text(s, 5, outlet);
    rc = run(st, s, "cluster counts");
done:
    free(ckey);
    return rc;
}

static int add_locked(sitrep_store *st, const sitrep_article *a, size_t nsent,
                      const sitrep_event *ev, size_t nev) {
    int r = has_row(st, SS_HAS_ID, a->id, a->id_len);
    if (r) return r; /* 1: skipped, <0 error */
    char hash[33] = "";
    int have_text = a->text && a->text_len > 0;
    if (have_text) {
        content_hash(a->text, a->text_len, hash);
        if ((r = has_row(st, SS_HAS_HASH, hash, strlen(hash)))) return r;
    }
    uint32_t sig[STORE_MH_K];
    unsigned char packed[4 * STORE_MH_K];
    long long keys[STORE_MH_BANDS];
    int fok = have_text && minhash(a->text, a->text_len, sig);
    double sim = 0;
    long long dup = 0;
    if (fok) {
        sig_pack(sig, packed);
        band_keys(sig, keys);
        if ((dup = near_dup(st, packed, keys, &sim)) < 0) return SITREP_EDB;
    }
    char outlet[256];
    outlet_of(a, outlet, sizeof outlet);
    sqlite3_stmt *s = stmt(st, SS_INS_ART);
    if (!s) return SITREP_EDB;
    sqlite3_bind_text(s, 1, a->id, (int)a->id_len, SQLITE_TRANSIENT);
    bind_text(s, 2, have_text ? hash : NULL);
    if (fok) {
        sqlite3_bind_blob(s, 3, packed, (int)sizeof packed, SQLITE_TRANSIENT);
        if (dup) {
            sqlite3_bind_int64(s, 4, dup);
            sqlite3_bind_double(s, 5, sim);
        }
    }
    bind_text(s, 6, a->date && *a->date ? a->date : NULL);
    bind_text(s, 7, a->title);
    bind_text(s, 8, a->url);
    bind_text(s, 9, a->source);
    bind_text(s, 10, outlet);
    bind_text(s, 11, a->file);
    if (a->line > 0) sqlite3_bind_int64(s, 12, a->line);
    sqlite3_bind_int64(s, 13, (long long)a->text_len);
    sqlite3_bind_int64(s, 14, (long long)nsent);
    sqlite3_bind_int64(s, 15, (long long)nev);
    if (have_text) sqlite3_bind_text(s, 16, a->text, (int)a->text_len, SQLITE_TRANSIENT);
    if ((r = run(st, s, "article"))) return r;
    long long art = sqlite3_last_insert_rowid(st->db);
    for (int i = 0; fok && i < STORE_MH_BANDS; i++) {
        if (!(s = stmt(st, SS_BAND))) return SITREP_EDB;
        sqlite3_bind_int64(s, 1, keys[i]);
        sqlite3_bind_int64(s, 2, art);
        if ((r = run(st, s, "article bands"))) return r;
    }
    sitrep_buf tmp = {0};
    for (size_t i = 0; i < nev && !r; i++) {
        const char *date = ev[i].date && *ev[i].date ? ev[i].date : a->date;
        r = add_event(st, art, dup ? dup : art, outlet, date, &ev[i], &tmp);
    }
    sitrep_buf_free(&tmp);
    return r ? r : 2;
}

int sitrep_store_add(sitrep_store *st, const sitrep_article *a, size_t nsentences,
                     const sitrep_event *ev, size_t nev) {
    int rc = usable(st);
    if (rc) return rc;
    lock(st);
    int own = 0;
    if (!a || !a->id || !a->id_len) rc = store_fail(st, SITREP_EINVAL, "article without an id");
    else if (nev && !ev) rc = store_fail(st, SITREP_EINVAL, "events missing");
    else if (a->id_len > 1000000 || a->text_len > SITREP_MAX_ARTICLE_BYTES)
        rc = store_fail(st, SITREP_ELIMIT, "article over the size limit");
    else if (st->readonly) rc = store_fail(st, SITREP_EINVAL, "the database is open read-only");
    if (rc) goto out;
    if (!st->in_tx) {
        if ((rc = exec_locked(st, "BEGIN IMMEDIATE"))) goto out;
        own = 1;
    }
    sqlite3_stmt *s = stmt(st, SS_SP_BEGIN);
    if (!s || (rc = run(st, s, "savepoint"))) { rc = SITREP_EDB; goto end; }
    rc = add_locked(st, a, nsentences, ev, nev);
    if (rc < 0) {
        char keep[sizeof st->err];
        memcpy(keep, st->err, sizeof keep);
        if ((s = stmt(st, SS_SP_ROLLBACK))) run(st, s, "rollback");
        if ((s = stmt(st, SS_SP_RELEASE))) run(st, s, "release");
        memcpy(st->err, keep, sizeof keep);
        st->status = rc;
    } else {
        rc = rc == 2 ? 1 : 0; /* 2 = stored, 1 = skipped */
        if (!(s = stmt(st, SS_SP_RELEASE)) || run(st, s, "release")) rc = SITREP_EDB;
    }
end:
    if (own) {
        if (rc >= 0) {
            int c = exec_locked(st, "COMMIT");
            if (c) { rollback_quiet(st); rc = c; }
        } else {
            rollback_quiet(st);
        }
    }
out:
    pthread_mutex_unlock(&st->mu);
    return rc;
}

/* ------------------------------------------------------------------ summary */

static const char *const root_names[21] = {
    "", "MAKE PUBLIC STATEMENT", "APPEAL", "EXPRESS INTENT TO COOPERATE", "CONSULT",
    "ENGAGE IN DIPLOMATIC COOPERATION", "ENGAGE IN MATERIAL COOPERATION", "PROVIDE AID",
    "YIELD", "INVESTIGATE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST",
    "EXHIBIT FORCE POSTURE", "REDUCE RELATIONS", "COERCE", "ASSAULT", "FIGHT",
    "USE UNCONVENTIONAL MASS VIOLENCE"};

const char *store_root_name(const char *root) {
    if (!root || !isdigit((unsigned char)root[0])) return "";
    int r = atoi(root);
    return r >= 1 && r <= 20 ? root_names[r] : "";
}

static long long scalar(sitrep_store *st, const char *sql) {
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        store_fail_db(st, "summary");
    sqlite3_finalize(s);
    return v;
}

int sitrep_store_counts(sitrep_store *st, long *articles, long *events, long *clusters) {
    int rc = usable(st);
    if (rc) return rc;
    lock(st);
    long long a = scalar(st, "SELECT count(*) FROM articles");
    long long e = scalar(st, "SELECT count(*) FROM events");
    long long c = scalar(st, "SELECT count(*) FROM clusters");
    pthread_mutex_unlock(&st->mu);
    if (a < 0 || e < 0 || c < 0) return SITREP_EDB;
    if (articles) *articles = (long)a;
    if (events) *events = (long)e;
    if (clusters) *clusters = (long)c;
    return SITREP_OK;
}

static int summary_locked(sitrep_store *st, sitrep_buf *out) {
    long long na = scalar(st, "SELECT count(*) FROM articles");
    long long nd = scalar(st, "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL");
    long long ns = scalar(st, "SELECT coalesce(sum(nsentences), 0) FROM articles");
    long long ne = scalar(st, "SELECT count(*) FROM events");
    long long nc = scalar(st, "SELECT count(*) FROM clusters");
    long long nm = scalar(st, "SELECT count(*) FROM clusters WHERE mentions > 1");
    if (na < 0 || nd < 0 || ns < 0 || ne < 0 || nc < 0 || nm < 0) return SITREP_EDB;
    if (buf_printf(out, "articles   %lld (%lld near-duplicates)\n", na, nd) ||
        buf_printf(out, "sentences  %lld\n", ns) || buf_printf(out, "events     %lld\n", ne) ||
        buf_printf(out, "clusters   %lld (%lld with several mentions)\n", nc, nm))
        return store_fail(st, SITREP_ENOMEM, "out of memory");
    static const char *const q[2] = {
        "SELECT root, count(*) FROM events GROUP BY root ORDER BY root",
        "SELECT CASE WHEN plover_type = '' THEN '(none)' ELSE plover_type END, count(*) "
        "FROM events GROUP BY 1 ORDER BY count(*) DESC, 1"};
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, q[k], -1, &s, NULL) != SQLITE_OK) return store_fail_db(st, "summary");
        if (buf_puts(out, k ? "events by PLOVER type:\n" : "events by CAMEO root:\n")) {
            sqlite3_finalize(s);
            return store_fail(st, SITREP_ENOMEM, "out of memory");
        }
        int rc, any = 0;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *key = (const char *)sqlite3_column_text(s, 0);
            long long n = sqlite3_column_int64(s, 1);
            int bad = k ? buf_printf(out, "  %-36s %8lld\n", nz(key), n)
                        : buf_printf(out, "  %-2s %-33s %8lld\n", nz(key), store_root_name(key), n);
            if (bad) { sqlite3_finalize(s); return store_fail(st, SITREP_ENOMEM, "out of memory"); }
            any = 1;
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) return store_fail_db(st, "summary");
        if (!any && buf_puts(out, "  (none)\n")) return store_fail(st, SITREP_ENOMEM, "out of memory");
    }
    return SITREP_OK;
}

int sitrep_store_summary(sitrep_store *st, sitrep_buf *out) {
    int rc = usable(st);
    if (rc) return rc;
    lock(st);
    rc = out ? summary_locked(st, out) : store_fail(st, SITREP_EINVAL, "no output buffer");
    pthread_mutex_unlock(&st->mu);
    return rc;
}

static int article_json_locked(sitrep_store *st, const char *id, sitrep_buf *out) {
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT ext_id, date, title, url, source, text FROM articles "
                                   "WHERE ext_id = ?1", -1, &s, NULL) != SQLITE_OK)
        return store_fail_db(st, "article");
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s), r = 0;
    if (rc == SQLITE_ROW) {
        static const char *const keys[6] = {"id", "date", "title", "url", "source", "text"};
        int e = buf_puts(out, "{");
        for (int k = 0, n = 0; k < 6 && !e; k++) {
            if (sqlite3_column_type(s, k) == SQLITE_NULL) continue;
            const char *v = (const char *)sqlite3_column_text(s, k);
            e = buf_printf(out, "%s\"%s\": ", n++ ? ", " : "", keys[k]) ||
                buf_json_str(out, v ? v : "", (size_t)sqlite3_column_bytes(s, k));
        }
        r = e || buf_puts(out, "}\n") ? store_fail(st, SITREP_ENOMEM, "out of memory") : 1;
    } else if (rc != SQLITE_DONE) {
        r = store_fail_db(st, "article");
    }
    sqlite3_finalize(s);
    return r;
}

int sitrep_store_article_json(sitrep_store *st, const char *id, sitrep_buf *out) {
    int rc = usable(st);
    if (rc) return rc;
    lock(st);
    rc = id && out ? article_json_locked(st, id, out) : store_fail(st, SITREP_EINVAL, "no id or buffer");
    pthread_mutex_unlock(&st->mu);
    return rc;
}

/* ------------------------------------------------------------------ dates */

long store_days(const char *d, int *ok) {
    *ok = 0;
    if (!d || strlen(d) < 10) return 0;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? d[i] != '-' : !isdigit((unsigned char)d[i])) return 0;
    long y = atol(d), m = atol(d + 5), day = atol(d + 8);
    if (m < 1 || m > 12 || day < 1 || day > 31) return 0;
    /* days_from_civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *ok = 1;
    return era * 146097 + doe - 719468;
}

void store_date(long z, char out[11]) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    if (y < 0 || y > 9999) y = 0;
    unsigned yy = (unsigned)y, mm = (unsigned)m, dd = (unsigned)d;
    out[0] = (char)('0' + yy / 1000 % 10); out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10); out[3] = (char)('0' + yy % 10); out[4] = '-';
    out[5] = (char)('0' + mm / 10 % 10); out[6] = (char)('0' + mm % 10); out[7] = '-';
    out[8] = (char)('0' + dd / 10 % 10); out[9] = (char)('0' + dd % 10); out[10] = 0;
}
