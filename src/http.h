/* http.h - private limits and helpers of the HTTP server (http.c, its JSON
 * API in http_api.c). Nothing here is public: the server's surface is the
 * sitrep_serve_* section of sitrep.h. */
#ifndef SITREP_HTTP_H
#define SITREP_HTTP_H
#include <stddef.h>
#include <sqlite3.h>
#include "sitrep.h"

#define HTTP_MAX_QUERY_BYTES 8192      /* URL query string (all parameters) */
#define HTTP_MAX_VALUE_BYTES 1024      /* one parameter value */
#define HTTP_MAX_PARAMS 32             /* parameters in one request */
#define HTTP_DEFAULT_PAGE 50           /* /api/events page size when no limit= */
#define HTTP_MAX_PAGE 500              /* largest limit= */
#define HTTP_MAX_OFFSET 10000000L      /* largest offset= */
#define HTTP_DEFAULT_BODY (64u * 1024u) /* POST /api/code body limit */
#define HTTP_DEFAULT_CONNECTIONS 512   /* concurrent connections */
#define HTTP_DEFAULT_TIMEOUT_S 15      /* idle connection timeout */
#define HTTP_QUERY_MS 5000             /* one request's database time */
#define HTTP_STMT_CACHE 24             /* prepared statements kept per worker */
#define HTTP_CACHE_SLOTS 256           /* cached GET /api/ responses */
#define HTTP_CACHE_MAX_ENTRY (1024u * 1024u) /* larger responses are not cached */
#define HTTP_MAX_STATIC_BYTES (16u * 1024u * 1024u) /* one dashboard file */

/* A database worker: one read-only connection and a document for coding,
 * used by one request at a time (checked out of the server's pool). */
typedef struct http_worker {
    sitrep_store *st;                       /* owned, read-only */
    sitrep_doc *doc;                        /* owned, for POST /api/code */
    sqlite3_stmt *cache[HTTP_STMT_CACHE];   /* owned prepared statements */
    int next_evict;
    sqlite3_stmt *dv;                       /* owned: PRAGMA data_version */
    long long dv_last;                      /* its last value (-1 before the first) */
    long long deadline_ms;                  /* monotonic ms; queries stop after it */
    int busy;
} http_worker;

/* One parsed request parameter (borrowed from the connection). */
typedef struct http_param { const char *key, *value; } http_param;

/* What a handler answers: an HTTP status and a JSON (or other) body. */
typedef struct http_reply {
    int status;
    sitrep_buf body;        /* owned; handed to the HTTP library */
    const char *ctype;      /* static string */
} http_reply;

/* The request as the API sees it. */
typedef struct http_request {
    const char *path;       /* after /api/ */
    int post;
    const http_param *params;
    int nparams;
    const char *body;       /* POST body (NUL-ended copy), may be NULL */
    size_t body_len;
    const sitrep_ctx *ctx;  /* for /api/code, may be NULL */
} http_request;

/* Answer one /api/ request on worker w into r (status and body set).
 * Returns 0, or -1 when memory ran out (r->status is then 500). */
int http_api(http_worker *w, const http_request *q, http_reply *r);
/* Set r to a JSON error {"error": {"status": N, "message": "..."}}. */
int http_error(http_reply *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Monotonic clock in milliseconds. */
long long http_now_ms(void);
#endif
