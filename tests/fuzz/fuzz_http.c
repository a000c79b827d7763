/* fuzz_http.c - fuzz target: the HTTP server of `sitrep serve` (src/http.c,
 * src/http_api.c on libmicrohttpd) end to end. Once per process a small event
 * store is built in a scratch directory (tests/fixtures/store/events.jsonl,
 * read relative to the working directory: run from the repository root) and
 * a server is started on a free loopback port with a knowledge base for POST
 * /api/code. Each input is sent raw over a fresh TCP connection (the request
 * line, headers and body are all fuzzed), the write side is shut, and the
 * answer is read to the end of its body. Checks: any answer is an HTTP/1.x
 * status line with a sane status, and the server keeps accepting. */
#include "sitrep.h"
#include "fuzz.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

static sitrep_server *srv;
static sitrep_ctx *ctx;

static void stop(void) {
    sitrep_serve_stop(srv);
    sitrep_ctx_free(ctx);
}

static int setup(void) {
    static int state; /* 0 untried, 1 up, -1 failed */
    if (state) return state > 0;
    state = -1;
    static char dir[256];
    char db[512], err[512];
    if (!fuzz_tmpdir(dir, sizeof dir)) return 0;
    snprintf(db, sizeof db, "%s/events.db", dir);
    sitrep_store *st = sitrep_store_open(db, 0);
    if (!st || sitrep_store_status(st)) {
        fprintf(stderr, "fuzz_http: %s\n", st ? sitrep_store_errmsg(st) : "out of memory");
        sitrep_store_close(st);
        return 0;
    }
    sitrep_buf e = {0};
    int rc = sitrep_store_import_events(st, "tests/fixtures/store/events.jsonl", &e);
    if (rc < 0) fprintf(stderr, "fuzz_http: import: %s\n", sitrep_store_errmsg(st));
    sitrep_buf_free(&e);
    sitrep_store_close(st);
    sitrep_options o;
    memset(&o, 0, sizeof o);
    o.models_dir = "";
    o.gazetteer = "";
    ctx = sitrep_ctx_new(&o);
    sitrep_serve_options so;
    memset(&so, 0, sizeof so);
    so.db = db;
    so.port = 0;
    so.threads = 2;
    so.timeout_s = 2;
    so.ctx = ctx && sitrep_ctx_status(ctx) == SITREP_OK ? ctx : NULL;
    srv = sitrep_serve_start(&so, err, sizeof err);
    if (!srv) { fprintf(stderr, "fuzz_http: %s\n", err); return 0; }
    atexit(stop);
    state = 1;
    return 1;
}

/* 1 when the answer in buf[0..got) is complete: headers and Content-Length
 * bytes of body, or the last chunk of a chunked body. */
static int complete(const char *buf, size_t got) {
    const char *he = strstr(buf, "\r\n\r\n");
    if (!he) return 0;
    size_t body = got - (size_t)(he + 4 - buf);
    const char *cl = strcasestr(buf, "\r\ncontent-length:");
    if (cl && cl < he) return body >= strtoul(cl + 17, NULL, 10);
    const char *te = strcasestr(buf, "\r\ntransfer-encoding: chunked");
    return te && te < he && got >= 5 && !memcmp(buf + got - 5, "0\r\n\r\n", 5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!setup()) return 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct timeval tv = {0, 700000}; /* an incomplete request waits for the server timeout: give up */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)sitrep_serve_port(srv));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    FUZZ_ASSERT(connect(fd, (struct sockaddr *)&a, sizeof a) == 0); /* the server must stay up */
    size_t off = 0;
    while (off < size) {
        ssize_t w = send(fd, data + off, size - off, MSG_NOSIGNAL);
        if (w <= 0) break; /* the server may close early on a bad request */
        off += (size_t)w;
    }
    shutdown(fd, SHUT_WR);
    size_t cap = 1u << 16, got = 0;
    char *buf = malloc(cap + 1);
    if (!buf) { close(fd); return 0; }
    buf[0] = 0;
    for (;;) {
        if (got == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = recv(fd, buf + got, cap - got, 0);
        if (r <= 0) break;
        got += (size_t)r;
        buf[got] = 0;
        if (complete(buf, got)) break;
    }
    close(fd);
    buf[got] = 0;
    if (got >= 12) {
        FUZZ_ASSERT(!memcmp(buf, "HTTP/1.", 7));
        int status = atoi(buf + 9);
        FUZZ_ASSERT(status >= 100 && status < 600);
        /* 500 is the out-of-memory answer; any other 5xx but 501/503/505 is a bug */
        FUZZ_ASSERT(status < 500 || status == 500 || status == 501 || status == 503 || status == 505);
    }
    free(buf);
    return 0;
}
