/* http.c - the HTTP server of `sitrep serve` on libmicrohttpd: a pool of
 * threads, each request answered by a worker holding a read-only connection
 * to the event store (http_api.c answers /api/...), and the dashboard's
 * static files (web/) read once at start. Limits: body and query sizes,
 * connection count, idle timeout, database time per request; bad requests
 * get 4xx JSON errors. */
#include <dirent.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "json.h"
#include "store.h"

typedef struct static_file {
    char name[64];
    const char *ctype;
    char *data; /* owned */
    size_t len;
} static_file;

/* A cached response body, shared by the cache and the responses sending
 * it; freed when the last reference goes. */
typedef struct cache_body {
    atomic_int refs;
    size_t len;
    char data[];
} cache_body;

typedef struct cache_slot {
    char *key;               /* owned: path and parameters */
    unsigned long gen;       /* database generation it was computed at */
    const char *ctype;       /* static */
    cache_body *body;        /* one reference held by the slot */
    unsigned long used;      /* tick of the last use */
} cache_slot;

struct sitrep_server {
    struct MHD_Daemon *d;
    http_worker *w;          /* owned pool */
    int nw;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    static_file *files;      /* owned */
    int nfiles;
    size_t max_body;
    const sitrep_ctx *ctx;   /* borrowed */
    int port;
    int verbose;
    int no_cache;
    int loopback;            /* listening on loopback only: check Host (DNS rebinding) */
    /* GET /api/ responses, valid while the database is unchanged: every
     * request first asks its connection whether another connection (an
     * ingest) committed since it last looked (PRAGMA data_version); if so
     * the generation goes up and older entries are dead. */
    pthread_mutex_t cmu;
    unsigned long gen, tick;
    cache_slot cache[HTTP_CACHE_SLOTS];
};

/* Per-request state (MHD's con_cls): the body read so far. */
typedef struct req_state {
    sitrep_buf body;
    int too_big, post;
} req_state;

/* ------------------------------------------------------------------ static files */

static const char *ctype_of(const char *name) {
    const char *dot = strrchr(name, '.');
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
        {".tsv", "text/tab-separated-values; charset=utf-8"}, {".svg", "image/svg+xml"},
        {".png", "image/png"}, {".ico", "image/x-icon"}};
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(dot, map[i][0])) return map[i][1];
    return NULL;
}

/* Read the servable files of `dir` (top level, known extensions, simple
 * names). A missing directory is not an error: the API still works. */
static int load_static(sitrep_server *s, const char *dir, char *err, size_t errlen) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) && !rc) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        if (n[0] == '.' || len >= sizeof s->files[0].name || !ctype_of(n)) continue;
        int ok = 1;
        for (size_t i = 0; i < len; i++)
            if (!(n[i] == '-' || n[i] == '_' || n[i] == '.' || (n[i] >= 'a' && n[i] <= 'z') ||
                  (n[i] >= 'A' && n[i] <= 'Z') || (n[i] >= '0' && n[i] <= '9')))
                ok = 0;
        if (!ok) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, n);
        struct stat sb;
        if (stat(path, &sb) || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > HTTP_MAX_STATIC_BYTES) continue;
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        static_file *nf = realloc(s->files, (size_t)(s->nfiles + 1) * sizeof *nf);
        char *data = malloc((size_t)sb.st_size + 1);
        if (nf) s->files = nf;
        if (!nf || !data) {
            free(data);
            snprintf(err, errlen, "out of memory");
            rc = SITREP_ENOMEM;
        } else {
            size_t got = fread(data, 1, (size_t)sb.st_size, f);
            static_file *sf = &s->files[s->nfiles++];
            snprintf(sf->name, sizeof sf->name, "%s", n);
            sf->ctype = ctype_of(n);
            sf->data = data;
            sf->len = got;
        }
        fclose(f);
    }
    closedir(d);
    return rc;
}

static const char fallback_page[] =
    "<!doctype html><meta charset=utf-8><title>sitrep</title><h1>sitrep serve</h1>"
    "<p>The dashboard files (web/) were not found; the JSON API is at <code>/api/</code> "
    "(docs/api.md).</p>\n";

/* ------------------------------------------------------------------ workers */

static int progress_cb(void *ud) {
    const http_worker *w = ud;
    return http_now_ms() > w->deadline_ms;
}

static http_worker *worker_get(sitrep_server *s) {
    pthread_mutex_lock(&s->mu);
    http_worker *w = NULL;
    for (;;) {
        for (int i = 0; i < s->nw && !w; i++)
            if (!s->w[i].busy) w = &s->w[i];
        if (w) break;
        pthread_cond_wait(&s->cv, &s->mu);
    }
    w->busy = 1;
    pthread_mutex_unlock(&s->mu);
    w->deadline_ms = http_now_ms() + HTTP_QUERY_MS;
    return w;
}

static void worker_put(sitrep_server *s, http_worker *w) {
    /* end every read transaction so the next request sees fresh data */
    for (int i = 0; i < HTTP_STMT_CACHE; i++)
        if (w->cache[i]) sqlite3_reset(w->cache[i]);
    pthread_mutex_lock(&s->mu);
    w->busy = 0;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static void worker_free(http_worker *w) {
    for (int i = 0; i < HTTP_STMT_CACHE; i++) sqlite3_finalize(w->cache[i]);
    sqlite3_finalize(w->dv);
    sitrep_store_close(w->st);
    sitrep_doc_free(w->doc);
}

/* ------------------------------------------------------------------ cache */

static void body_unref(void *cls) {
    cache_body *b = cls;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) free(b);
}

/* The current database generation, as seen from worker w's connection. */
static unsigned long db_generation(sitrep_server *s, http_worker *w) {
    long long v = -2;
    if (w->dv && sqlite3_step(w->dv) == SQLITE_ROW) v = sqlite3_column_int64(w->dv, 0);
    if (w->dv) sqlite3_reset(w->dv);
    pthread_mutex_lock(&s->cmu);
    if (v != w->dv_last || v == -2) { /* -2: cannot tell, so never reuse */
        s->gen++;
        w->dv_last = v;
    }
    unsigned long g = s->gen;
    pthread_mutex_unlock(&s->cmu);
    return g;
}

static uint32_t hash_str(const char *k) {
    uint32_t h = 2166136261u;
    for (; *k; k++) h = (h ^ (unsigned char)*k) * 16777619u;
    return h;
}

#define CACHE_WAYS 4 /* a key may sit in any of 4 slots from its hash */

/* A referenced cached body for key at generation gen, or NULL. */
static cache_body *cache_get(sitrep_server *s, const char *key, unsigned long gen, const char **ctype) {
    uint32_t h = hash_str(key);
    cache_body *b = NULL;
    pthread_mutex_lock(&s->cmu);
    for (int i = 0; i < CACHE_WAYS && !b; i++) {
        cache_slot *c = &s->cache[(h + (uint32_t)i) % HTTP_CACHE_SLOTS];
        if (c->key && c->gen == gen && !strcmp(c->key, key)) {
            b = c->body;
            atomic_fetch_add(&b->refs, 1);
            *ctype = c->ctype;
            c->used = ++s->tick;
        }
    }
    pthread_mutex_unlock(&s->cmu);
    return b;
}

/* Keep a copy of data under key (in the slot holding key, else an empty or
 * dead one, else the least recently used of its ways); returns a referenced
 * body (or NULL on OOM). */
static cache_body *cache_put(sitrep_server *s, const char *key, unsigned long gen, const char *ctype,
                             const char *data, size_t len) {
    cache_body *b = malloc(sizeof *b + len + 1);
    char *k = strdup(key);
    if (!b || !k) {
        free(b);
        free(k);
        return NULL;
    }
    atomic_init(&b->refs, 2);
    b->len = len;
    if (len) memcpy(b->data, data, len);
    b->data[len] = 0;
    uint32_t h = hash_str(key);
    pthread_mutex_lock(&s->cmu);
    cache_slot *c = NULL;
    for (int i = 0; i < CACHE_WAYS; i++) {
        cache_slot *x = &s->cache[(h + (uint32_t)i) % HTTP_CACHE_SLOTS];
        if (x->key && !strcmp(x->key, key)) { c = x; break; }
        if (!x->key || x->gen != gen) { if (!c || c->key) c = x; continue; }
        if (!c || (c->key && c->gen == gen && x->used < c->used)) c = x;
    }
    char *oldk = c->key;
    cache_body *oldb = c->body;
    c->key = k;
    c->gen = gen;
    c->ctype = ctype;
    c->body = b;
    c->used = ++s->tick;
    pthread_mutex_unlock(&s->cmu);
    free(oldk);
    body_unref(oldb);
    return b;
}

/* Queue resp (released here) with the headers every answer carries. */
static enum MHD_Result queue(struct MHD_Connection *c, int status, const char *ctype, struct MHD_Response *resp) {
    MHD_add_response_header(resp, "Content-Type", ctype);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    enum MHD_Result r = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result send_body(struct MHD_Connection *c, int status, const char *ctype, cache_body *b) {
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(b->len, b->data,
                                                                                         body_unref, b);
    if (!resp) {
        body_unref(b);
        return MHD_NO;
    }
    return queue(c, status, ctype, resp);
}

/* ------------------------------------------------------------------ responses */

static enum MHD_Result send_buf(struct MHD_Connection *c, int status, const char *ctype, sitrep_buf *body) {
    struct MHD_Response *resp;
    if (body->data) {
        resp = MHD_create_response_from_buffer(body->len, body->data, MHD_RESPMEM_MUST_FREE);
        if (resp) body->data = NULL, body->len = body->cap = 0;
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) return MHD_NO;
    return queue(c, status, ctype, resp);
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    http_reply r = {0};
    http_error(&r, status, "%s", msg);
    enum MHD_Result res = send_buf(c, r.status, r.ctype, &r.body);
    sitrep_buf_free(&r.body);
    return res;
}

static enum MHD_Result send_static(struct MHD_Connection *c, const char *ctype, const char *data, size_t len) {
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", ctype);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    enum MHD_Result r = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return r;
}

/* ------------------------------------------------------------------ requests */

/* 1 when a Host header names this machine: localhost, 127.x.y.z or [::1],
 * with or without a port. A web page elsewhere that rebinds its DNS name to
 * 127.0.0.1 sends its own name and is refused. */
static int loopback_host(const char *h) {
    if (!h) return 1; /* HTTP/1.0 without Host */
    char name[256];
    size_t n = strlen(h);
    if (n >= sizeof name) return 0;
    memcpy(name, h, n + 1);
    if (name[0] == '[') {
        char *e = strchr(name, ']');
        if (!e) return 0;
        *e = 0;
        return !strcmp(name + 1, "::1");
    }
    char *colon = strchr(name, ':');
    if (colon) *colon = 0;
    if (!strcasecmp(name, "localhost")) return 1;
    unsigned a, b, c2, d;
    char tail;
    return sscanf(name, "%u.%u.%u.%u%c", &a, &b, &c2, &d, &tail) == 4 && a == 127 && b < 256 && c2 < 256 && d < 256;
}

typedef struct arg_walk {
    http_param p[HTTP_MAX_PARAMS];
    int n, overflow;
    size_t bytes;
} arg_walk;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    arg_walk *a = cls;
    a->bytes += strlen(key) + (value ? strlen(value) : 0) + 2;
    if (a->n >= HTTP_MAX_PARAMS) {
        a->overflow = 1;
        return MHD_YES;
    }
    a->p[a->n].key = key;
    a->p[a->n].value = value;
    a->n++;
    return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size,
                              void **con_cls) {
    (void)version;
    sitrep_server *s = cls;
    req_state *rs = *con_cls;
    if (!rs) {
        rs = calloc(1, sizeof *rs);
        if (!rs) return MHD_NO;
        *con_cls = rs;
        if (s->loopback && !loopback_host(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")))
            return send_error(c, 403, "this server answers requests for localhost only (Host header)");
        int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
        rs->post = !strcmp(method, "POST");
        if (!get && !rs->post)
            return send_error(c, 405, "method %.16s not allowed (GET, HEAD, POST)", method);
        if (rs->post) {
            const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
            if (cl && strtoull(cl, NULL, 10) > s->max_body)
                return send_error(c, 413, "request body over %zu bytes", s->max_body);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!rs->too_big) {
            if (rs->body.len + *upload_data_size > s->max_body) {
                rs->too_big = 1;
                sitrep_buf_free(&rs->body);
            } else if (buf_put(&rs->body, upload_data, *upload_data_size)) {
                return MHD_NO;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rs->too_big) return send_error(c, 413, "request body over %zu bytes", s->max_body);

    /* the query string */
    arg_walk a;
    memset(&a, 0, sizeof a);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
    if (a.bytes > HTTP_MAX_QUERY_BYTES || strlen(url) > HTTP_MAX_QUERY_BYTES)
        return send_error(c, 414, "query over %d bytes", HTTP_MAX_QUERY_BYTES);
    if (a.overflow) return send_error(c, 400, "more than %d parameters", HTTP_MAX_PARAMS);

    if (!strncmp(url, "/api/", 5)) {
        http_request q = {0};
        q.path = url + 5;
        q.post = rs->post;
        q.params = a.p;
        q.nparams = a.n;
        q.body = rs->body.data;
        q.body_len = rs->body.len;
        q.ctx = s->ctx;
        http_reply r = {0};
        http_worker *w = worker_get(s);
        unsigned long gen = db_generation(s, w);
        sitrep_buf key = {0};
        int cacheable = !s->no_cache && !rs->post && !buf_puts(&key, url);
        for (int i = 0; cacheable && i < a.n; i++)
            cacheable = !buf_puts(&key, "\x01") && !buf_puts(&key, a.p[i].key) && !buf_puts(&key, "\x02") &&
                        !buf_puts(&key, a.p[i].value ? a.p[i].value : "");
        const char *ctype = NULL;
        cache_body *hit = cacheable ? cache_get(s, key.data, gen, &ctype) : NULL;
        if (hit) {
            worker_put(s, w);
            sitrep_buf_free(&key);
            return send_body(c, 200, ctype, hit);
        }
        http_api(w, &q, &r);
        worker_put(s, w);
        if (!r.ctype) r.ctype = "application/json; charset=utf-8";
        cache_body *nb = cacheable && r.status == 200 && r.body.len <= HTTP_CACHE_MAX_ENTRY
                             ? cache_put(s, key.data, gen, r.ctype, r.body.data, r.body.len)
                             : NULL;
        sitrep_buf_free(&key);
        if (nb) {
            sitrep_buf_free(&r.body);
            return send_body(c, 200, r.ctype, nb);
        }
        enum MHD_Result res = send_buf(c, r.status, r.ctype, &r.body);
        sitrep_buf_free(&r.body);
        return res;
    }
    if (rs->post) return send_error(c, 405, "POST is only for /api/code");
    if (a.n && strcmp(url, "/")) return send_error(c, 400, "static files take no parameters");
    const char *name = !strcmp(url, "/") ? "index.html" : url + 1;
    for (int i = 0; i < s->nfiles; i++)
        if (!strcmp(s->files[i].name, name))
            return send_static(c, s->files[i].ctype, s->files[i].data, s->files[i].len);
    if (!strcmp(name, "index.html"))
        return send_static(c, "text/html; charset=utf-8", fallback_page, sizeof fallback_page - 1);
    return send_error(c, 404, "not found: %.200s", url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t) {
    (void)cls; (void)c; (void)t;
    req_state *rs = *con_cls;
    if (!rs) return;
    sitrep_buf_free(&rs->body);
    free(rs);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    const sitrep_server *s = cls;
    if (!s->verbose) return;
    fprintf(stderr, "sitrep serve: ");
    vfprintf(stderr, fmt, ap);
}

/* ------------------------------------------------------------------ start / stop */

sitrep_server *sitrep_serve_start(const sitrep_serve_options *o, char *err, size_t errlen) {
    if (!o || !o->db || !*o->db) {
        snprintf(err, errlen, "no database");
        return NULL;
    }
    sitrep_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->cmu, NULL);
    s->ctx = o->ctx;
    s->verbose = o->verbose;
    s->no_cache = o->no_cache;
    s->max_body = o->max_body ? o->max_body : HTTP_DEFAULT_BODY;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = o->threads > 0 ? o->threads : (ncpu > 0 ? (int)ncpu : 2);
    if (threads > 64) threads = 64;
    s->nw = threads;
    s->w = calloc((size_t)threads, sizeof *s->w);
    if (!s->w) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (int i = 0; i < threads; i++) {
        http_worker *w = &s->w[i];
        w->st = sitrep_store_open(o->db, 1);
        if (!w->st || sitrep_store_status(w->st)) {
            snprintf(err, errlen, "%s", w->st ? sitrep_store_errmsg(w->st) : "out of memory");
            goto fail;
        }
        sqlite3_progress_handler(w->st->db, 2000, progress_cb, w);
        w->dv_last = -2;
        if (sqlite3_prepare_v2(w->st->db, "PRAGMA data_version", -1, &w->dv, NULL) != SQLITE_OK) w->dv = NULL;
        if (w->dv && sqlite3_step(w->dv) == SQLITE_ROW) w->dv_last = sqlite3_column_int64(w->dv, 0);
        if (w->dv) sqlite3_reset(w->dv);
        if (!(w->doc = sitrep_doc_new())) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
    }
    char webdir[4096];
    if (o->web_dir) snprintf(webdir, sizeof webdir, "%s", o->web_dir);
    else snprintf(webdir, sizeof webdir, "%s/web", sitrep_default_home());
    if (load_static(s, webdir, err, errlen)) goto fail;

    /* the address */
    const char *host = o->host && *o->host ? o->host : "127.0.0.1";
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", o->port);
    int gai = getaddrinfo(host, portstr, &hints, &ai);
    if (gai || !ai) {
        snprintf(err, errlen, "cannot resolve host '%s': %s", host, gai_strerror(gai));
        goto fail;
    }
    if (ai->ai_family == AF_INET)
        s->loopback = (ntohl(((const struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127;
    else if (ai->ai_family == AF_INET6)
        s->loopback = IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    unsigned conns = o->max_connections > 0 ? (unsigned)o->max_connections : HTTP_DEFAULT_CONNECTIONS;
    unsigned timeout = o->timeout_s > 0 ? (unsigned)o->timeout_s : HTTP_DEFAULT_TIMEOUT_S;
    s->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, s,
                            MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
                            MHD_OPTION_CONNECTION_LIMIT, conns,
                            MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, s,
                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
                            MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!s->d) {
        snprintf(err, errlen, "cannot listen on %s port %d (in use?)", host, o->port);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : o->port;
    return s;
fail:
    sitrep_serve_stop(s);
    return NULL;
}

int sitrep_serve_port(const sitrep_server *s) { return s ? s->port : 0; }

void sitrep_serve_stop(sitrep_server *s) {
    if (!s) return;
    if (s->d) MHD_stop_daemon(s->d);
    for (int i = 0; s->w && i < s->nw; i++) worker_free(&s->w[i]);
    free(s->w);
    for (int i = 0; i < s->nfiles; i++) free(s->files[i].data);
    free(s->files);
    for (int i = 0; i < HTTP_CACHE_SLOTS; i++) {
        free(s->cache[i].key);
        body_unref(s->cache[i].body);
    }
    pthread_mutex_destroy(&s->cmu);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
