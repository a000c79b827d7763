/* cmd_serve.c - `sitrep serve`: the HTTP API and dashboard over an event
 * store (the server is sitrep_serve_* in the library, docs/api.md). Parses
 * the options, loads the coding context for POST /api/code, starts the
 * server and waits for SIGINT or SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "sitrep.h"

static const char serve_help[] =
    "usage: sitrep serve --db FILE [--host 127.0.0.1] [--port 8080] [options]\n"
    "\n"
    "Serve the JSON API (/api/events, /api/clusters, /api/timeline, /api/dyads,\n"
    "/api/places, /api/article/ID, /api/summary, POST /api/code) and the dashboard\n"
    "(/) over an event store opened read-only. See docs/api.md.\n"
    "\n"
    "  --db FILE            the event store (made by `sitrep ingest`)\n"
    "  --host ADDR          address to listen on (default 127.0.0.1: this machine only)\n"
    "  --port N             port (default 8080; 0 = any free port)\n"
    "  --web DIR            dashboard files (default: the installed web/)\n"
    "  --threads N          request threads (default: one per CPU)\n"
    "  --max-connections N  concurrent connections (default 512)\n"
    "  --timeout S          idle connection timeout in seconds (default 15)\n"
    "  --max-body BYTES     POST /api/code body limit (default 65536)\n"
    "  --kb DIR             knowledge base for /api/code (default: installed)\n"
    "  --no-code            do not load the coder; POST /api/code answers 503\n"
    "  --no-cache           compute every answer afresh (no response cache)\n"
    "  --verbose            print the HTTP library's messages\n"
    "The address is printed on stderr once the server listens:\n"
    "  sitrep serve: listening on http://HOST:PORT/\n";

/* Whole-string integer in [lo, hi] into *out; 0 or -1. */
static int int_arg(const char *s, long lo, long hi, long *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int cmd_serve(int argc, char **argv) {
    sitrep_serve_options o;
    memset(&o, 0, sizeof o);
    o.port = 8080;
    const char *kb = NULL;
    int no_code = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        static const char *const valued[] = {"--db", "--host", "--port", "--web", "--threads",
                                             "--max-connections", "--timeout", "--max-body", "--kb"};
        int takes = -1;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
            size_t n = strlen(valued[k]);
            if (!strncmp(a, valued[k], n) && (a[n] == 0 || a[n] == '=')) {
                takes = (int)k;
                if (a[n] == '=') v = a + n + 1;
                else if (i + 1 < argc) v = argv[++i];
                else {
                    fprintf(stderr, "sitrep serve: %s needs a value\n", valued[k]);
                    return 2;
                }
            }
        }
        long n = 0;
        switch (takes) {
        case 0: o.db = v; break;
        case 1: o.host = v; break;
        case 2:
            if (int_arg(v, 0, 65535, &n)) { fprintf(stderr, "sitrep serve: bad --port '%s'\n", v); return 2; }
            o.port = (int)n;
            break;
        case 3: o.web_dir = v; break;
        case 4:
            if (int_arg(v, 1, 64, &n)) { fprintf(stderr, "sitrep serve: --threads must be 1..64\n"); return 2; }
            o.threads = (int)n;
            break;
        case 5:
            if (int_arg(v, 1, 100000, &n)) { fprintf(stderr, "sitrep serve: bad --max-connections\n"); return 2; }
            o.max_connections = (int)n;
            break;
        case 6:
            if (int_arg(v, 1, 3600, &n)) { fprintf(stderr, "sitrep serve: --timeout must be 1..3600\n"); return 2; }
            o.timeout_s = (int)n;
            break;
        case 7:
            if (int_arg(v, 1, SITREP_MAX_ARTICLE_BYTES, &n)) { fprintf(stderr, "sitrep serve: bad --max-body\n"); return 2; }
            o.max_body = (size_t)n;
            break;
        case 8: kb = v; break;
        default:
            if (!strcmp(a, "--no-code")) no_code = 1;
            else if (!strcmp(a, "--verbose")) o.verbose = 1;
            else if (!strcmp(a, "--no-cache")) o.no_cache = 1;
            else if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(serve_help, stdout); return 0; }
            else {
                fprintf(stderr, "sitrep serve: unknown option '%s'\n%s", a, serve_help);
                return 2;
            }
        }
    }
    if (!o.db) {
        fprintf(stderr, "sitrep serve: --db FILE is required\n%s", serve_help);
        return 2;
    }
    sitrep_ctx *ctx = NULL;
    if (!no_code) {
        sitrep_options co;
        memset(&co, 0, sizeof co);
        co.kb_dir = kb;
        ctx = sitrep_ctx_new(&co);
        if (!ctx || sitrep_ctx_status(ctx)) {
            fprintf(stderr, "sitrep serve: cannot load the coder (%s); POST /api/code is off\n",
                    ctx ? sitrep_ctx_errmsg(ctx) : "out of memory");
            sitrep_ctx_free(ctx);
            ctx = NULL;
        }
    }
    o.ctx = ctx;
    /* block the stop signals before the server's threads start, so that
     * they stay pending for sigwait below */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    char err[512];
    sitrep_server *s = sitrep_serve_start(&o, err, sizeof err);
    if (!s) {
        fprintf(stderr, "sitrep serve: %s\n", err);
        sitrep_ctx_free(ctx);
        return 1;
    }
    const char *host = o.host ? o.host : "127.0.0.1";
    int v6 = strchr(host, ':') != NULL;
    fprintf(stderr, "sitrep serve: listening on http://%s%s%s:%d/\n", v6 ? "[" : "", host, v6 ? "]" : "",
            sitrep_serve_port(s));
    fflush(stderr);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "sitrep serve: stopping (signal %d)\n", sig);
    sitrep_serve_stop(s);
    sitrep_ctx_free(ctx);
    return 0;
}
