/* cmd_store.c - the store subcommands: `sitrep ingest` (code articles into an
 * SQLite database, on N coder threads with one writer, resumable),
 * `sitrep summary`, `sitrep query` and `sitrep timeline`. Argument parsing and
 * terminal output only; the work is in the library (sitrep.h). */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "sitrep.h"

#define BATCH_ARTICLES 256 /* articles per transaction (--batch) */

/* ------------------------------------------------------------------ helpers */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_stdout(void *ud, const char *data, size_t len) {
    (void)ud;
    return fwrite(data, 1, len, stdout) != len;
}

/* "--opt value" or "--opt=value": returns the value and advances *i, or NULL. */
static const char *optval(int argc, char **argv, int *i, const char *name) {
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n)) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n]) return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "sitrep: %s needs a value\n", name);
        exit(2);
    }
    return argv[++*i];
}

static char *xstrdup(const char *s) {
    char *c = strdup(s ? s : "");
    if (!c) {
        fprintf(stderr, "sitrep: out of memory\n");
        exit(1);
    }
    return c;
}

static char *xstrndup(const char *s, size_t n) {
    char *c = malloc(n + 1);
    if (!c) {
        fprintf(stderr, "sitrep: out of memory\n");
        exit(1);
    }
    if (n) memcpy(c, s, n);
    c[n] = 0;
    return c;
}

/* ------------------------------------------------------------------ file lists */

typedef struct strv { char **v; size_t n, cap; } strv;

static void strv_push(strv *s, char *x) {
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        char **v = realloc(s->v, s->cap * sizeof *v);
        if (!v) { fprintf(stderr, "sitrep: out of memory\n"); exit(1); }
        s->v = v;
    }
    s->v[s->n++] = x;
}

static void strv_free(strv *s) {
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
}

static int cmpstr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files a directory walk takes: articles by extension (or none). */
static int article_file(const char *name) {
    if (name[0] == '.' || name[strlen(name) - 1] == '~') return 0;
    const char *dot = strrchr(name, '.');
    if (!dot) return 1;
    static const char *const ext[] = {".txt", ".text", ".jsonl", ".ndjson", ".json"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (!strcmp(dot, ext[i])) return 1;
    return 0;
}

/* Add `path` (a file, "-", or a directory walked in sorted order). */
static int collect_path(const char *path, strv *out) {
    struct stat sb;
    if (strcmp(path, "-") && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "%s:0: cannot open directory: %s\n", path, strerror(errno));
            return 1;
        }
        strv names = {0};
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || e->d_name[0] == '.') continue;
            strv_push(&names, xstrdup(e->d_name));
        }
        closedir(d);
        qsort(names.v, names.n, sizeof *names.v, cmpstr);
        int bad = 0;
        for (size_t i = 0; i < names.n; i++) {
            size_t n = strlen(path) + strlen(names.v[i]) + 2;
            char *full = malloc(n);
            if (!full) { fprintf(stderr, "sitrep: out of memory\n"); exit(1); }
            snprintf(full, n, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names.v[i]);
            struct stat fs;
            if (stat(full, &fs) == 0 && S_ISDIR(fs.st_mode)) bad |= collect_path(full, out);
            else if (article_file(names.v[i])) { strv_push(out, full); full = NULL; }
            free(full);
        }
        strv_free(&names);
        return bad;
    }
    strv_push(out, xstrdup(path));
    return 0;
}

/* Articles a file holds, for the progress bar: lines of JSON Lines, else 1. */
static long count_articles(const char *path, int input) {
    if (!strcmp(path, "-")) return 0;
    const char *dot = strrchr(path, '.');
    int jsonl = input == SITREP_INPUT_JSONL ||
                (input == SITREP_INPUT_AUTO && dot && (!strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson")));
    if (!jsonl) return 1;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char buf[1 << 16];
    size_t n;
    long lines = 0;
    int last = '\n';
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < n; i++)
            if (buf[i] == '\n') lines += last != '\n', last = '\n';
            else last = buf[i];
    }
    if (last != '\n') lines++;
    fclose(f);
    return lines;
}

/* ------------------------------------------------------------------ ingest */

enum { SLOT_FREE, SLOT_READY, SLOT_CODING, SLOT_DONE };

typedef struct slot {
    int state;
    sitrep_article a;           /* points into the copies below */
    char *id, *date, *text, *title, *url, *source, *file;
    uint32_t *spans;
    sitrep_doc *doc;            /* owned: the coder's output for this article */
    int rc;                     /* sitrep_code status */
    char *err;                  /* its message, owned */
} slot;

typedef struct ingest {
    const sitrep_ctx *ctx;
    sitrep_store *st;
    slot *slots;
    size_t nslots;
    long next_read, next_code, next_write;
    int eof;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* writer state */
    int in_batch, batch_n, batch_max, store_failed, bad;
    long stored, skipped, rejected, events, total, seen;
    sitrep_event *evbuf;
    size_t evcap;
    int progress;
    double t0, last_draw;
} ingest;

static void slot_clear(slot *s) {
    free(s->id); free(s->date); free(s->text); free(s->title); free(s->url);
    free(s->source); free(s->file); free(s->spans); free(s->err);
    s->id = s->date = s->text = s->title = s->url = s->source = s->file = s->err = NULL;
    s->spans = NULL;
}

static char *dupn(const char *s) { return s ? xstrdup(s) : NULL; }

static void slot_fill(slot *s, const sitrep_article *a) {
    slot_clear(s);
    s->id = xstrndup(a->id, a->id_len);
    s->text = xstrndup(a->text ? a->text : "", a->text_len);
    s->date = dupn(a->date);
    s->title = dupn(a->title);
    s->url = dupn(a->url);
    s->source = dupn(a->source);
    s->file = dupn(a->file);
    if (a->nspans) {
        s->spans = malloc(2 * a->nspans * sizeof *s->spans);
        if (!s->spans) { fprintf(stderr, "sitrep: out of memory\n"); exit(1); }
        memcpy(s->spans, a->spans, 2 * a->nspans * sizeof *s->spans);
    }
    s->a = *a;
    s->a.id = s->id;
    s->a.text = s->text;
    s->a.date = s->date;
    s->a.title = s->title;
    s->a.url = s->url;
    s->a.source = s->source;
    s->a.file = s->file;
    s->a.spans = s->spans;
    s->rc = 0;
}

static void code_slot(ingest *g, slot *s) {
    s->rc = sitrep_code(g->ctx, s->doc, &s->a);
    if (s->rc) s->err = xstrdup(sitrep_doc_errmsg(s->doc));
}

static void draw_progress(ingest *g, int final) {
    if (!g->progress) return;
    double t = now_s();
    if (!final && t - g->last_draw < 0.2) return;
    g->last_draw = t;
    double el = t - g->t0;
    long done = g->seen;
    double rate = el > 0 ? (double)done / el : 0;
    char eta[32] = "--:--";
    if (g->total > 0 && rate > 0 && done <= g->total) {
        long left = (long)((double)(g->total - done) / rate);
        snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    }
    int width = 24, fill = g->total > 0 ? (int)((double)width * (double)done / (double)g->total) : 0;
    if (fill > width) fill = width;
    char bar[32];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\r[%s] %ld/%ld articles  %.0f/s  %ld events  ETA %s \033[K", bar, done,
            g->total, rate, g->events, eta);
    if (final) fputc('\n', stderr);
    fflush(stderr);
}

static void set_failed(ingest *g) {
    pthread_mutex_lock(&g->mu);
    g->store_failed = g->bad = 1;
    pthread_mutex_unlock(&g->mu);
}

/* The writer's work for one coded article (in input order). */
static void write_slot(ingest *g, slot *s) {
    const char *file = s->a.file ? s->a.file : "-";
    size_t fl = strlen(file);
    if (s->rc) {
        if (s->err && !strncmp(s->err, file, fl) && s->err[fl] == ':')
            fprintf(stderr, "%s\n", s->err);
        else
            fprintf(stderr, "%s:%ld: %s\n", file, s->a.line,
                    s->err && *s->err ? s->err : "could not be coded");
        pthread_mutex_lock(&g->mu);
        g->seen++;
        g->rejected++;
        g->bad = 1;
        draw_progress(g, 0);
        pthread_mutex_unlock(&g->mu);
        return;
    }
    if (g->store_failed) return;
    size_t n = sitrep_doc_nevents(s->doc);
    if (n > g->evcap) {
        sitrep_event *e = realloc(g->evbuf, n * sizeof *e);
        if (!e) { fprintf(stderr, "sitrep: out of memory\n"); exit(1); }
        g->evbuf = e;
        g->evcap = n;
    }
    for (size_t i = 0; i < n; i++) g->evbuf[i] = *sitrep_doc_event(s->doc, i);
    if (!g->in_batch) {
        if (sitrep_store_begin(g->st)) {
            fprintf(stderr, "sitrep ingest: %s\n", sitrep_store_errmsg(g->st));
            set_failed(g);
            return;
        }
        g->in_batch = 1;
        g->batch_n = 0;
    }
    int r = sitrep_store_add(g->st, &s->a, sitrep_doc_nsentences(s->doc), g->evbuf, n);
    if (r < 0)
        fprintf(stderr, "%s:%ld: not stored: %s\n", file, s->a.line, sitrep_store_errmsg(g->st));
    pthread_mutex_lock(&g->mu);
    g->seen++;
    if (r < 0) {
        g->bad = 1;
        if (r == SITREP_EDB) g->store_failed = 1;
    } else if (r == 1) {
        g->stored++;
        g->events += (long)n;
    } else {
        g->skipped++;
    }
    pthread_mutex_unlock(&g->mu);
    if (++g->batch_n >= g->batch_max) {
        if (sitrep_store_commit(g->st)) {
            fprintf(stderr, "sitrep ingest: %s\n", sitrep_store_errmsg(g->st));
            set_failed(g);
        }
        g->in_batch = 0;
    }
    pthread_mutex_lock(&g->mu);
    draw_progress(g, 0);
    pthread_mutex_unlock(&g->mu);
}

static void *worker_main(void *arg) {
    ingest *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        while (g->next_code >= g->next_read && !g->eof) pthread_cond_wait(&g->cv, &g->mu);
        if (g->next_code >= g->next_read) break;
        slot *s = &g->slots[g->next_code % (long)g->nslots];
        g->next_code++;
        s->state = SLOT_CODING;
        pthread_mutex_unlock(&g->mu);
        code_slot(g, s);
        pthread_mutex_lock(&g->mu);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&g->cv);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

static void *writer_main(void *arg) {
    ingest *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        slot *s = &g->slots[g->next_write % (long)g->nslots];
        while (!(g->next_write < g->next_read && s->state == SLOT_DONE) &&
               !(g->eof && g->next_write >= g->next_read))
            pthread_cond_wait(&g->cv, &g->mu);
        if (g->next_write >= g->next_read) break;
        pthread_mutex_unlock(&g->mu);
        write_slot(g, s);
        pthread_mutex_lock(&g->mu);
        s->state = SLOT_FREE;
        g->next_write++;
        pthread_cond_broadcast(&g->cv);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

static int ingest_usage(FILE *f) {
    fprintf(f,
            "usage: sitrep ingest FILE|DIR... --db PATH [options]\n"
            "Code dated articles and store their events in an SQLite database. Directories\n"
            "are walked in sorted order (.txt .text .jsonl .ndjson .json and files without\n"
            "an extension). Articles already stored (same id or same text) are skipped, so\n"
            "an interrupted ingest can simply be run again.\n"
            "  --db PATH            the database (created if missing)\n"
            "  --jobs N             code on N threads (one writer; same result as 1)\n"
            "  --kb DIR             knowledge base directory\n"
            "  --date YYYY-MM-DD    date for text input without one\n"
            "  --input auto|text|jsonl\n"
            "  --events FILE.jsonl  also merge events coded elsewhere (sitrep code output)\n"
            "  --batch N            articles per transaction (default %d)\n"
            "  --quiet              no progress bar and no final line\n", BATCH_ARTICLES);
    return f == stdout ? 0 : 2;
}

/* sitrep ingest: code FILE|DIR... into the --db store (exit 0 all stored or
 * skipped, 1 some inputs rejected or the database failed, 2 bad usage). */
int cmd_ingest(int argc, char **argv) {
    const char *db = NULL, *kb = NULL, *date = NULL, *inp = "auto";
    strv events_files = {0}, inputs = {0};
    int jobs = 1, quiet = 0, bad = 0, batch = BATCH_ARTICLES;
    const char *v;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return ingest_usage(stdout);
        if ((v = optval(argc, argv, &i, "--db"))) db = v;
        else if ((v = optval(argc, argv, &i, "--kb"))) kb = v;
        else if ((v = optval(argc, argv, &i, "--date"))) date = v;
        else if ((v = optval(argc, argv, &i, "--input"))) inp = v;
        else if ((v = optval(argc, argv, &i, "--events"))) strv_push(&events_files, xstrdup(v));
        else if ((v = optval(argc, argv, &i, "--jobs"))) {
            char *end;
            long j = strtol(v, &end, 10);
            if (*end || j < 1 || j > 256) {
                fprintf(stderr, "sitrep ingest: --jobs wants 1..256\n");
                return 2;
            }
            jobs = (int)j;
        } else if ((v = optval(argc, argv, &i, "--batch"))) {
            char *end;
            long b = strtol(v, &end, 10);
            if (*end || b < 1 || b > 1000000) {
                fprintf(stderr, "sitrep ingest: --batch wants 1..1000000\n");
                return 2;
            }
            batch = (int)b;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) quiet = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "sitrep ingest: unknown option %s\n", argv[i]);
            return ingest_usage(stderr);
        } else bad |= collect_path(argv[i], &inputs);
    }
    int input = !strcmp(inp, "auto") ? SITREP_INPUT_AUTO : !strcmp(inp, "text") ? SITREP_INPUT_TEXT
              : !strcmp(inp, "jsonl") ? SITREP_INPUT_JSONL : -1;
    if (!db || input < 0 || (!inputs.n && !events_files.n && !bad)) {
        strv_free(&inputs);
        strv_free(&events_files);
        if (!db) fprintf(stderr, "sitrep ingest: --db PATH is required\n");
        if (input < 0) fprintf(stderr, "sitrep ingest: --input is auto, text or jsonl\n");
        return ingest_usage(stderr);
    }
    sitrep_store *st = sitrep_store_open(db, 0);
    if (!st || sitrep_store_status(st)) {
        fprintf(stderr, "sitrep ingest: %s\n", st ? sitrep_store_errmsg(st) : "out of memory");
        sitrep_store_close(st);
        strv_free(&inputs);
        strv_free(&events_files);
        return 1;
    }
    ingest g;
    memset(&g, 0, sizeof g);
    g.st = st;
    g.bad = bad;
    g.batch_max = batch;
    long events_before = 0;
    sitrep_store_counts(st, NULL, &events_before, NULL);
    g.t0 = now_s();
    g.progress = !quiet && isatty(2) && isatty(1);
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.cv, NULL);
    sitrep_ctx *ctx = NULL;
    int rc = 0;
    if (inputs.n) {
        sitrep_options opt;
        memset(&opt, 0, sizeof opt);
        opt.kb_dir = kb;
        ctx = sitrep_ctx_new(&opt);
        if (!ctx || sitrep_ctx_status(ctx)) {
            fprintf(stderr, "sitrep ingest: %s\n", ctx ? sitrep_ctx_errmsg(ctx) : "out of memory");
            rc = 1;
            goto out;
        }
        g.ctx = ctx;
        if (g.progress)
            for (size_t i = 0; i < inputs.n; i++) g.total += count_articles(inputs.v[i], input);
        g.nslots = jobs > 1 ? (size_t)jobs * 8 : 1;
        g.slots = calloc(g.nslots, sizeof *g.slots);
        if (!g.slots) { fprintf(stderr, "sitrep: out of memory\n"); rc = 1; goto out; }
        for (size_t i = 0; i < g.nslots; i++)
            if (!(g.slots[i].doc = sitrep_doc_new())) { fprintf(stderr, "sitrep: out of memory\n"); rc = 1; goto out; }
        pthread_t workers[256], writer;
        int nw = 0, have_writer = 0;
        if (jobs > 1) {
            for (; nw < jobs; nw++)
                if (pthread_create(&workers[nw], NULL, worker_main, &g)) break;
            have_writer = !pthread_create(&writer, NULL, writer_main, &g);
            if (!nw || !have_writer) {
                fprintf(stderr, "sitrep ingest: cannot start threads\n");
                g.eof = 1;
                pthread_cond_broadcast(&g.cv);
                for (int k = 0; k < nw; k++) pthread_join(workers[k], NULL);
                if (have_writer) pthread_join(writer, NULL);
                rc = 1;
                goto out;
            }
        }
        for (size_t fi = 0; fi < inputs.n && !g.store_failed; fi++) {
            sitrep_reader *r = sitrep_reader_open(inputs.v[fi], input, date);
            if (!r) { fprintf(stderr, "sitrep: out of memory\n"); g.bad = 1; break; }
            sitrep_article a;
            int k;
            long errs_in_row = 0;
            while ((k = sitrep_reader_next(r, &a)) != 0) {
                if (k < 0) {
                    fprintf(stderr, "%s\n", sitrep_reader_errmsg(r));
                    pthread_mutex_lock(&g.mu);
                    g.bad = 1;
                    g.rejected++;
                    pthread_mutex_unlock(&g.mu);
                    if (++errs_in_row > 100000) break;
                    continue;
                }
                errs_in_row = 0;
                if (sitrep_store_has_article(st, a.id, a.id_len) == 1) {
                    pthread_mutex_lock(&g.mu);
                    g.skipped++;
                    g.seen++;
                    pthread_mutex_unlock(&g.mu);
                    continue;
                }
                if (jobs == 1) {
                    slot *s = &g.slots[0];
                    slot_fill(s, &a);
                    code_slot(&g, s);
                    write_slot(&g, s);
                    if (g.store_failed) break;
                    continue;
                }
                pthread_mutex_lock(&g.mu);
                slot *s = &g.slots[g.next_read % (long)g.nslots];
                while (s->state != SLOT_FREE) pthread_cond_wait(&g.cv, &g.mu);
                pthread_mutex_unlock(&g.mu);
                slot_fill(s, &a);
                pthread_mutex_lock(&g.mu);
                s->state = SLOT_READY;
                g.next_read++;
                pthread_cond_broadcast(&g.cv);
                int stop = g.store_failed;
                pthread_mutex_unlock(&g.mu);
                if (stop) break;
            }
            sitrep_reader_free(r);
        }
        if (jobs > 1) {
            pthread_mutex_lock(&g.mu);
            g.eof = 1;
            pthread_cond_broadcast(&g.cv);
            pthread_mutex_unlock(&g.mu);
            for (int k = 0; k < nw; k++) pthread_join(workers[k], NULL);
            pthread_join(writer, NULL);
        }
        if (g.in_batch && sitrep_store_commit(st)) {
            fprintf(stderr, "sitrep ingest: %s\n", sitrep_store_errmsg(st));
            g.bad = 1;
        }
        g.in_batch = 0;
    }
    for (size_t i = 0; i < events_files.n; i++) {
        sitrep_buf errs = {0};
        int n = sitrep_store_import_events(st, events_files.v[i], &errs);
        if (errs.len) {
            fwrite(errs.data, 1, errs.len, stderr);
            g.bad = 1;
        }
        sitrep_buf_free(&errs);
        if (n < 0) {
            fprintf(stderr, "%s:0: %s\n", events_files.v[i], sitrep_store_errmsg(st));
            g.bad = 1;
        } else {
            g.stored += n;
        }
    }
    draw_progress(&g, 1);
    if (!quiet) {
        double el = now_s() - g.t0;
        long na = 0, ne = 0, nc = 0;
        sitrep_store_counts(st, &na, &ne, &nc);
        g.events = ne - events_before;
        fprintf(stderr,
                "sitrep ingest: %ld articles stored, %ld skipped, %ld rejected; %ld events in %.2f s "
                "(%.1f articles/s, %.1f events/s); database: %ld articles, %ld events, %ld clusters\n",
                g.stored, g.skipped, g.rejected, g.events, el, el > 0 ? (double)g.seen / el : 0.0,
                el > 0 ? (double)g.events / el : 0.0, na, ne, nc);
    }
    rc = g.bad ? 1 : 0;
out:
    if (g.slots) {
        for (size_t i = 0; i < g.nslots; i++) {
            slot_clear(&g.slots[i]);
            sitrep_doc_free(g.slots[i].doc);
        }
        free(g.slots);
    }
    free(g.evbuf);
    pthread_mutex_destroy(&g.mu);
    pthread_cond_destroy(&g.cv);
    sitrep_ctx_free(ctx);
    sitrep_store_close(st);
    strv_free(&inputs);
    strv_free(&events_files);
    return rc;
}

/* ------------------------------------------------------------------ summary */

/* sitrep summary --db PATH: totals and events by root and PLOVER type. */
int cmd_summary(int argc, char **argv) {
    const char *db = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: sitrep summary --db PATH\n"
                   "Articles, sentences, events, clusters, and events by CAMEO root and PLOVER type.\n");
            return 0;
        }
        if ((v = optval(argc, argv, &i, "--db"))) db = v;
        else {
            fprintf(stderr, "sitrep summary: unexpected %s\nusage: sitrep summary --db PATH\n", argv[i]);
            return 2;
        }
    }
    if (!db) {
        fprintf(stderr, "usage: sitrep summary --db PATH\n");
        return 2;
    }
    sitrep_store *st = sitrep_store_open(db, 1);
    sitrep_buf b = {0};
    int rc = 0;
    if (!st || sitrep_store_status(st) || sitrep_store_summary(st, &b)) {
        fprintf(stderr, "sitrep summary: %s\n", st ? sitrep_store_errmsg(st) : "out of memory");
        rc = 1;
    } else {
        fwrite(b.data, 1, b.len, stdout);
    }
    sitrep_buf_free(&b);
    sitrep_store_close(st);
    return rc;
}

/* ------------------------------------------------------------------ filters */

static const char *const filter_help =
    "  --db PATH             the database (required)\n"
    "  --since D, --until D  dates YYYY-MM-DD, or 7d / 2w / 3m / 1y back from the newest article\n"
    "  --actor CODE          actor code or prefix, as source or target\n"
    "  --source CODE, --target CODE\n"
    "  --country ISO3        actor-code prefix or the place's country\n"
    "  --cameo CODE[,CODE]   CAMEO codes (each with its sub-codes)\n"
    "  --root R[,R]          CAMEO roots, e.g. 18,19,20\n"
    "  --plover TYPE         PLOVER event type\n"
    "  --quad N              quad class 1..4\n"
    "  --place NAME          place name\n"
    "  --bbox minlon,minlat,maxlon,maxlat\n"
    "  --text WORDS          words that all occur in the sentence\n"
    "  --clusters            one row per merged event (cluster) instead of per mention\n";

/* Parse one filter option at argv[*i]; 1 when taken, 0 when not, -1 on error. */
static int filter_opt(int argc, char **argv, int *i, sitrep_store_filter *f, const char **db) {
    const char *v;
    if ((v = optval(argc, argv, i, "--db"))) *db = v;
    else if ((v = optval(argc, argv, i, "--since"))) f->since = v;
    else if ((v = optval(argc, argv, i, "--until"))) f->until = v;
    else if ((v = optval(argc, argv, i, "--actor"))) f->actor = v;
    else if ((v = optval(argc, argv, i, "--source"))) f->source = v;
    else if ((v = optval(argc, argv, i, "--target"))) f->target = v;
    else if ((v = optval(argc, argv, i, "--country"))) f->country = v;
    else if ((v = optval(argc, argv, i, "--cameo"))) f->cameo = v;
    else if ((v = optval(argc, argv, i, "--root"))) f->root = v;
    else if ((v = optval(argc, argv, i, "--plover"))) f->plover = v;
    else if ((v = optval(argc, argv, i, "--place"))) f->place = v;
    else if ((v = optval(argc, argv, i, "--text"))) f->text = v;
    else if ((v = optval(argc, argv, i, "--quad"))) {
        if (strlen(v) != 1 || v[0] < '1' || v[0] > '4') {
            fprintf(stderr, "sitrep: --quad wants 1, 2, 3 or 4\n");
            return -1;
        }
        f->quad = v[0] - '0';
    } else if ((v = optval(argc, argv, i, "--bbox"))) {
        char tail;
        if (sscanf(v, "%lf,%lf,%lf,%lf%c", &f->bbox[0], &f->bbox[1], &f->bbox[2], &f->bbox[3], &tail) != 4) {
            fprintf(stderr, "sitrep: --bbox wants minlon,minlat,maxlon,maxlat\n");
            return -1;
        }
        f->use_bbox = 1;
    } else if (!strcmp(argv[*i], "--clusters")) f->clusters = 1;
    else return 0;
    return 1;
}

/* ------------------------------------------------------------------ query */

static int query_usage(FILE *f) {
    fprintf(f, "usage: sitrep query --db PATH [filters] [--format F] [--limit N]\n"
               "Events from the store, by date then id (a table on a terminal, TSV when piped).\n%s"
               "  --format F            table, tsv, csv, jsonl, geojson, or the peers' layouts:\n"
               "                        phoenix (Phoenix TSV), icews (ICEWS TSV)\n"
               "  --limit N             at most N rows\n",
            filter_help);
    return f == stdout ? 0 : 2;
}

/* sitrep query --db PATH [filters]: rows on standard output (exit 1 on a
 * database error, 2 on bad usage or a bad filter value). */
int cmd_query(int argc, char **argv) {
    sitrep_store_filter f;
    memset(&f, 0, sizeof f);
    const char *db = NULL, *fmt = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return query_usage(stdout);
        int k = filter_opt(argc, argv, &i, &f, &db);
        if (k < 0) return 2;
        if (k) continue;
        if ((v = optval(argc, argv, &i, "--format"))) fmt = v;
        else if ((v = optval(argc, argv, &i, "--limit"))) {
            char *end;
            errno = 0;
            f.limit = strtol(v, &end, 10);
            if (!*v || *end || errno || f.limit < 0) {
                fprintf(stderr, "sitrep query: --limit wants a number\n");
                return 2;
            }
        } else {
            fprintf(stderr, "sitrep query: unexpected %s\n", argv[i]);
            return query_usage(stderr);
        }
    }
    if (!db) {
        fprintf(stderr, "sitrep query: --db PATH is required\n");
        return query_usage(stderr);
    }
    int format;
    if (!fmt) format = isatty(1) ? SITREP_FMT_TABLE : SITREP_FMT_TSV;
    else if (!strcmp(fmt, "table")) format = SITREP_FMT_TABLE;
    else if (!strcmp(fmt, "tsv")) format = SITREP_FMT_TSV;
    else if (!strcmp(fmt, "csv")) format = SITREP_FMT_CSV;
    else if (!strcmp(fmt, "jsonl")) format = SITREP_FMT_JSONL;
    else if (!strcmp(fmt, "geojson")) format = SITREP_FMT_GEOJSON;
    else if (!strcmp(fmt, "phoenix")) format = SITREP_FMT_PHOENIX;
    else if (!strcmp(fmt, "icews")) format = SITREP_FMT_ICEWS;
    else {
        fprintf(stderr, "sitrep query: unknown format %s\n", fmt);
        return 2;
    }
    sitrep_store *st = sitrep_store_open(db, 1);
    int rc = 0;
    if (!st || sitrep_store_status(st)) {
        fprintf(stderr, "sitrep query: %s\n", st ? sitrep_store_errmsg(st) : "out of memory");
        rc = 1;
    } else {
        long n = sitrep_store_query(st, &f, format, write_stdout, NULL);
        if (n < 0) {
            fprintf(stderr, "sitrep query: %s\n", sitrep_store_errmsg(st));
            rc = n == SITREP_EINVAL ? 2 : 1;
        } else if (format == SITREP_FMT_TABLE && isatty(1)) {
            printf("(%ld %s)\n", n, f.clusters ? "clusters" : "events");
        }
    }
    sitrep_store_close(st);
    if (fflush(stdout)) rc = 1;
    return rc;
}

/* ------------------------------------------------------------------ timeline */

static int timeline_usage(FILE *f) {
    fprintf(f, "usage: sitrep timeline --db PATH [--country ISO3 | --actor CODE | --dyad A:B] [filters]\n"
               "       [--by day|week|month] [--by-quad | --by-root] [--csv] [--svg FILE] [--title T]\n"
               "Event counts and mean Goldstein score over time: sparklines on the terminal,\n"
               "CSV with --csv, an SVG chart with --svg.\n%s"
               "  --dyad A:B            events from actor A (code or prefix) to actor B\n"
               "  --by day|week|month   bucket (default week)\n"
               "  --by-quad, --by-root  one series per quad class / CAMEO root\n"
               "  --csv                 CSV on standard output instead of sparklines\n"
               "  --svg FILE            also write an SVG chart\n"
               "  --ascii               ASCII sparklines\n",
            filter_help);
    return f == stdout ? 0 : 2;
}

/* sitrep timeline --db PATH [filters]: sparklines or CSV on standard
 * output, an SVG chart with --svg (exit codes as for query). */
int cmd_timeline(int argc, char **argv) {
    sitrep_store_filter f;
    memset(&f, 0, sizeof f);
    const char *db = NULL, *svg = NULL, *title = NULL, *v;
    char *dyad = NULL;
    int bucket = SITREP_TL_WEEK, split = SITREP_TL_ALL, csv = 0, ascii = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { free(dyad); return timeline_usage(stdout); }
        int k = filter_opt(argc, argv, &i, &f, &db);
        if (k < 0) { free(dyad); return 2; }
        if (k) continue;
        if ((v = optval(argc, argv, &i, "--by"))) {
            if (!strcmp(v, "day")) bucket = SITREP_TL_DAY;
            else if (!strcmp(v, "week")) bucket = SITREP_TL_WEEK;
            else if (!strcmp(v, "month")) bucket = SITREP_TL_MONTH;
            else { fprintf(stderr, "sitrep timeline: --by day, week or month\n"); free(dyad); return 2; }
        } else if ((v = optval(argc, argv, &i, "--dyad"))) {
            const char *c = strchr(v, ':');
            if (!c || c == v || !c[1]) {
                fprintf(stderr, "sitrep timeline: --dyad wants A:B\n");
                free(dyad);
                return 2;
            }
            free(dyad);
            dyad = xstrdup(v);
            dyad[c - v] = 0;
            f.source = dyad;
            f.target = dyad + (c - v) + 1;
        } else if ((v = optval(argc, argv, &i, "--svg"))) svg = v;
        else if ((v = optval(argc, argv, &i, "--title"))) title = v;
        else if (!strcmp(argv[i], "--by-quad")) split = SITREP_TL_QUAD;
        else if (!strcmp(argv[i], "--by-root")) split = SITREP_TL_ROOT;
        else if (!strcmp(argv[i], "--csv")) csv = 1;
        else if (!strcmp(argv[i], "--ascii")) ascii = 1;
        else {
            fprintf(stderr, "sitrep timeline: unexpected %s\n", argv[i]);
            free(dyad);
            return timeline_usage(stderr);
        }
    }
    if (!db) {
        fprintf(stderr, "sitrep timeline: --db PATH is required\n");
        free(dyad);
        return timeline_usage(stderr);
    }
    sitrep_store *st = sitrep_store_open(db, 1);
    sitrep_timeline *t = NULL;
    sitrep_buf b = {0};
    if (!st || sitrep_store_status(st)) {
        fprintf(stderr, "sitrep timeline: %s\n", st ? sitrep_store_errmsg(st) : "out of memory");
        rc = 1;
        goto out;
    }
    if (!(t = sitrep_store_timeline(st, &f, bucket, split))) {
        fprintf(stderr, "sitrep timeline: %s\n", sitrep_store_errmsg(st));
        rc = sitrep_store_status(st) == SITREP_EINVAL ? 2 : 1;
        goto out;
    }
    if (csv ? sitrep_timeline_csv(t, &b) : sitrep_timeline_text(t, !ascii, &b)) {
        fprintf(stderr, "sitrep timeline: out of memory\n");
        rc = 1;
        goto out;
    }
    fwrite(b.data, 1, b.len, stdout);
    if (svg) {
        char deft[256];
        if (!title) {
            snprintf(deft, sizeof deft, "Events%s%s%s%s%s%s", f.country ? " involving " : "",
                     f.country ? f.country : "", f.actor ? " involving " : "", f.actor ? f.actor : "",
                     dyad ? " from " : "", dyad ? f.source : "");
            if (dyad) snprintf(deft + strlen(deft), sizeof deft - strlen(deft), " to %s", f.target);
            title = deft;
        }
        b.len = 0;
        FILE *o = NULL;
        if (sitrep_timeline_svg(t, title, &b) || !(o = fopen(svg, "wb")) ||
            fwrite(b.data, 1, b.len, o) != b.len) {
            fprintf(stderr, "%s:0: cannot write the chart: %s\n", svg, strerror(errno));
            rc = 1;
        }
        if (o && fclose(o)) rc = 1;
    }
out:
    sitrep_buf_free(&b);
    sitrep_timeline_free(t);
    sitrep_store_close(st);
    free(dyad);
    if (fflush(stdout)) rc = 1;
    return rc;
}
