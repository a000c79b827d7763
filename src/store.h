/* store.h - private parts of the SQLite event store shared by store.c (schema,
 * ingest), store_query.c (filters, query output) and store_timeline.c
 * (timelines and charts). Nothing here is public. */
#ifndef SITREP_STORE_H
#define SITREP_STORE_H
#include <pthread.h>
#include <sqlite3.h>
#include "sitrep.h"

#define STORE_SCHEMA_VERSION 1
#define STORE_CLUSTER_WINDOW_DAYS 1   /* events this many days apart may merge */
#define STORE_MH_K 64                 /* MinHash signature length */
#define STORE_MH_BANDS 16             /* LSH bands of STORE_MH_K / STORE_MH_BANDS values */
#define STORE_MH_MIN_SIM 0.7          /* near-duplicate: estimated Jaccard >= this */
#define STORE_MH_MIN_SHINGLES 8       /* shorter texts get no signature */
#define STORE_TL_MAX_BUCKETS 20000    /* timeline length limit */

enum {
    SS_HAS_ID, SS_HAS_HASH, SS_NEAR, SS_BAND, SS_INS_ART, SS_ACTOR, SS_PLACE, SS_CL_FIND, SS_CL_INS,
    SS_EV_INS, SS_CL_FIRST, SS_CL_UPD, SS_SP_BEGIN, SS_SP_RELEASE, SS_SP_ROLLBACK, SS_COUNT
};

struct sitrep_store {
    sqlite3 *db;               /* owned */
    pthread_mutex_t mu;        /* serialises every public call */
    int status;
    char err[512];
    int in_tx;                 /* a batch is open */
    int readonly;
    sqlite3_stmt *stmt[SS_COUNT]; /* owned, prepared lazily */
};

/* Record an error on st (printf-style); returns status. */
int store_fail(sitrep_store *st, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Record the database's current error, prefixed by `what`; returns SITREP_EDB. */
int store_fail_db(sitrep_store *st, const char *what);

/* One bound value of a filter. */
typedef struct store_bind {
    int kind;       /* 0 text (s, owned), 1 double, 2 integer */
    char *s;
    double d;
    long long i;
} store_bind;

#define STORE_MAX_BINDS 96
/* A WHERE fragment over aliases e (events or clusters) and p (places):
 * sql holds " AND ..." conditions with ? placeholders, b their values. */
typedef struct store_where {
    sitrep_buf sql;
    store_bind b[STORE_MAX_BINDS];
    int n;
} store_where;

/* Build the conditions of filter f (may be NULL) into w (zeroed by the
 * caller). Returns SITREP_OK or an error on st. Free with store_where_free. */
int store_where_build(sitrep_store *st, const sitrep_store_filter *f, store_where *w);
/* Bind w's values to s starting at parameter index `first`; returns the next index or <0. */
int store_where_bind(const store_where *w, sqlite3_stmt *s, int first);
void store_where_free(store_where *w);

/* CAMEO root names ("18" -> "ASSAULT"); "" when unknown. */
const char *store_root_name(const char *root);
/* Days since 1970-01-01 for "YYYY-MM-DD" (returns 0 and sets *ok=0 when bad). */
long store_days(const char *date, int *ok);
/* Write days-since-epoch as "YYYY-MM-DD" into out[11]. */
void store_date(long days, char out[11]);
/* Timeline t as the answer of GET /api/timeline (docs/api.md): {"by",
 * "split", "clusters", "buckets": [dates], "series": [{"name", "events",
 * "goldstein"}]}, appended to out. SITREP_OK, SITREP_EINVAL or SITREP_ENOMEM. */
int store_timeline_json(const sitrep_timeline *t, int clusters, sitrep_buf *out);
/* Decode the JSON string literal at *p (end: the end of the input) onto
 * out (NUL-terminated, allocated even when empty), moving *p past it.
 * Returns 0; -1 when malformed, -2 out of memory, with *why saying which
 * (a static string) and *p where the reading stopped. */
int store_json_string(const char **p, const char *end, sitrep_buf *out, const char **why);
/* ISO alpha-2 code a2 (any case, may be NULL) as alpha-3 into out[4]; ""
 * when unknown. */
void store_iso3_of(const char *a2, char out[4]);
#endif
