/* cmd_code.c - `sitrep code`, `sitrep places`, `sitrep segment` and
 * `sitrep kb check`: read articles, write events, places or sentences.
 * Bad records are named on stderr (FILE:LINE: reason) and the rest is still
 * processed; exit status 1 then. --jobs N codes batches of articles on N
 * threads and writes their output in input order. --stats prints throughput
 * and time per stage to stderr (used by `make bench`). */
#include "cmds.h"
#include "opts.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { RUN_CODE, RUN_PLACES, RUN_SEGMENT };
/* Articles read, coded and written together: large enough that the threads
 * rarely meet at the end of a batch, bounded in bytes for large articles. */
#define BATCH 1024
#define BATCH_BYTES (32u << 20)

typedef struct item {
    sitrep_article a;     /* strings owned by the item (copies) */
    char *mem;            /* one allocation holding the copies */
    sitrep_buf out;       /* output of this article */
    char err[600];
    int failed;
    size_t sentences, tokens, events;
} item;

typedef struct opts_x {
    int jobs;
    int stats;
} opts_x;

/* Workers take the next article of the batch from a shared counter, so a
 * long article holds up one thread only (a fixed split of the batch left
 * the other waiting at the end of each batch). */
typedef struct worker {
    const sitrep_ctx *c;
    sitrep_doc *d;
    item *items;
    size_t n;
    atomic_size_t *next;  /* shared: index of the next article to code */
    int mode, tsv;
} worker;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int extra_opt(int argc, char **argv, int i, void *u) {
    opts_x *x = u;
    if (!strcmp(argv[i], "--stats")) { x->stats = 1; return 1; }
    if (!strcmp(argv[i], "--jobs") || !strcmp(argv[i], "-j")) {
        if (i + 1 >= argc) { fprintf(stderr, "sitrep: %s needs a number\n", argv[i]); return -1; }
        x->jobs = atoi(argv[i + 1]);
        if (x->jobs < 1 || x->jobs > 256) { fprintf(stderr, "sitrep: --jobs must be 1..256\n"); return -1; }
        return 2;
    }
    return 0;
}

/* Deep-copy an article (the reader's buffers are reused on the next read). */
static int copy_article(item *it, const sitrep_article *a) {
    size_t idl = a->id_len, tl = a->text_len, dl = a->date ? strlen(a->date) : 0;
    size_t fl = a->file ? strlen(a->file) : 0, sp = a->nspans * 2 * sizeof(uint32_t);
    it->mem = malloc(idl + tl + dl + fl + sp + 8);
    if (!it->mem) return -1;
    char *p = it->mem;
    memset(&it->a, 0, sizeof it->a);
    if (sp) { memcpy(p, a->spans, sp); it->a.spans = (const uint32_t *)p; it->a.nspans = a->nspans; p += sp; }
    memcpy(p, a->id, idl); p[idl] = 0; it->a.id = p; it->a.id_len = idl; p += idl + 1;
    memcpy(p, a->text, tl); p[tl] = 0; it->a.text = p; it->a.text_len = tl; p += tl + 1;
    if (a->date) { memcpy(p, a->date, dl); p[dl] = 0; it->a.date = p; p += dl + 1; }
    if (a->file) { memcpy(p, a->file, fl); p[fl] = 0; it->a.file = p; }
    it->a.line = a->line;
    return 0;
}

static void code_one(const sitrep_ctx *c, sitrep_doc *d, item *it, int mode, int tsv) {
    int rc = mode == RUN_SEGMENT ? sitrep_segment(c, d, &it->a)
           : mode == RUN_PLACES ? sitrep_places(c, d, &it->a) : sitrep_code(c, d, &it->a);
    if (rc) {
        snprintf(it->err, sizeof it->err, "%s:%ld: %s", it->a.file ? it->a.file : "-", it->a.line, sitrep_doc_errmsg(d));
        it->failed = 1;
        return;
    }
    it->sentences = sitrep_doc_nsentences(d);
    it->tokens = sitrep_doc_ntokens(d);
    if (mode == RUN_SEGMENT) {
        size_t tl;
        const char *text = sitrep_doc_text(d, &tl);
        for (size_t s = 0; s < it->sentences; s++) {
            uint32_t st, en;
            sitrep_doc_sentence(d, s, &st, &en);
            int sp = 0;
            for (uint32_t k = st; k < en; k++) {
                char ch = text[k];
                if (ch == '\n' || ch == '\t' || ch == '\r' || ch == ' ') { sp = 1; continue; }
                if (sp) sitrep_buf_put_char(&it->out, ' ');
                sp = 0;
                sitrep_buf_put_char(&it->out, ch);
            }
            sitrep_buf_put_char(&it->out, '\n');
        }
        return;
    }
    size_t n = mode == RUN_PLACES ? sitrep_doc_nplaces(d) : sitrep_doc_nevents(d);
    it->events = n;
    for (size_t i = 0; i < n; i++) {
        if (mode == RUN_PLACES) sitrep_place_json(d, i, &it->out);
        else if (tsv) sitrep_event_tsv(d, i, &it->out);
        else sitrep_event_json(d, i, &it->out);
    }
}

static void *work(void *arg) {
    worker *w = arg;
    for (size_t i; (i = atomic_fetch_add_explicit(w->next, 1, memory_order_relaxed)) < w->n;)
        code_one(w->c, w->d, &w->items[i], w->mode, w->tsv);
    return NULL;
}

static int run(int argc, char **argv, int mode) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return cli_help(mode == RUN_SEGMENT ? "segment" : mode == RUN_PLACES ? "places" : "code");
    cli_input in;
    opts_x x = {1, 0};
    if (cli_parse_input(argc, argv, &in, extra_opt, &x)) { free(in.files); return 2; }
    int tsv = !strcmp(in.format, "tsv");
    if (!tsv && strcmp(in.format, "jsonl")) {
        fprintf(stderr, "sitrep: --format must be jsonl or tsv\n");
        free(in.files);
        return 2;
    }
    double t_start = now();
    sitrep_ctx *c = cli_open_ctx(&in);
    if (!c) { free(in.files); return 2; }
    double t_loaded = now();
    int jobs = x.jobs;
    sitrep_doc **docs = calloc((size_t)jobs, sizeof *docs);
    item *items = calloc(BATCH, sizeof *items);
    int status = 0;
    if (!docs || !items) { fprintf(stderr, "sitrep: out of memory\n"); status = 2; goto done; }
    for (int j = 0; j < jobs; j++) {
        docs[j] = sitrep_doc_new();
        if (!docs[j]) { fprintf(stderr, "sitrep: out of memory\n"); status = 2; goto done; }
        if (x.stats) sitrep_doc_timing(docs[j], 1);
    }
    if (tsv && mode == RUN_CODE) {
        sitrep_buf h = {0};
        sitrep_tsv_header(&h);
        fwrite(h.data, 1, h.len, stdout);
        sitrep_buf_free(&h);
    }
    double t_read = 0, t_write = 0;
    size_t n_art = 0, n_sent = 0, n_tok = 0, n_ev = 0, n_bytes = 0;
    for (int f = 0; f < in.nfiles; f++) {
        sitrep_reader *r = sitrep_reader_open(in.files[f], in.input, in.date);
        if (!r) { status = 1; break; }
        int eof = 0;
        while (!eof) {
            size_t n = 0, batch_bytes = 0;
            double t0 = now();
            while (n < BATCH && batch_bytes < BATCH_BYTES) {
                sitrep_article a;
                int rc = sitrep_reader_next(r, &a);
                if (rc == 0) { eof = 1; break; }
                if (rc < 0) {
                    fprintf(stderr, "%s\n", sitrep_reader_errmsg(r));
                    status = 1;
                    if (rc == SITREP_EIO) { eof = 1; break; }
                    continue;
                }
                memset(&items[n], 0, sizeof items[n]);
                if (copy_article(&items[n], &a)) { fprintf(stderr, "sitrep: out of memory\n"); status = 1; continue; }
                n_bytes += a.text_len;
                batch_bytes += a.text_len;
                n++;
            }
            t_read += now() - t0;
            if (!n) continue;
            atomic_size_t next;
            atomic_init(&next, 0);
            if (jobs == 1 || n == 1) {
                worker w = {c, docs[0], items, n, &next, mode, tsv};
                work(&w);
            } else {
                pthread_t th[256];
                worker ws[256];
                int started[256] = {0};
                for (int j = 1; j < jobs; j++) {
                    ws[j] = (worker){c, docs[j], items, n, &next, mode, tsv};
                    started[j] = pthread_create(&th[j], NULL, work, &ws[j]) == 0; /* else the others share its part */
                }
                ws[0] = (worker){c, docs[0], items, n, &next, mode, tsv};
                work(&ws[0]);
                for (int j = 1; j < jobs; j++)
                    if (started[j]) pthread_join(th[j], NULL);
            }
            t0 = now();
            for (size_t i = 0; i < n; i++) {
                item *it = &items[i];
                if (it->failed) { fprintf(stderr, "%s\n", it->err); status = 1; }
                else if (it->out.len) fwrite(it->out.data, 1, it->out.len, stdout);
                n_art++;
                n_sent += it->sentences;
                n_tok += it->tokens;
                n_ev += it->events;
                sitrep_buf_free(&it->out);
                free(it->mem);
            }
            t_write += now() - t0;
        }
        sitrep_reader_free(r);
    }
    fflush(stdout);
    if (x.stats) {
        double wall = now() - t_start, coding = now() - t_loaded;
        double st[SITREP_NSTAGES] = {0};
        for (int j = 0; j < jobs; j++) {
            double s1[SITREP_NSTAGES];
            sitrep_doc_stage_seconds(docs[j], s1);
            for (int k = 0; k < SITREP_NSTAGES; k++) st[k] += s1[k];
        }
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        static const char *const names[] = {"repair", "segment", "tag+parse", "actors", "geocode", "match+events"};
        fprintf(stderr, "stats: jobs %d articles %zu sentences %zu tokens %zu events %zu bytes %zu\n", jobs, n_art, n_sent,
                n_tok, n_ev, n_bytes);
        fprintf(stderr, "stats: startup %.3f s, coding %.3f s, wall %.3f s\n", t_loaded - t_start, coding, wall);
        fprintf(stderr, "stats: %.0f sentences/s, %.2f MB/s, %.0f tokens/s (coding time)\n", n_sent / coding,
                n_bytes / coding / 1e6, n_tok / coding);
        fprintf(stderr, "stats: stage seconds (summed over threads): read %.3f", t_read);
        for (int k = 0; k < SITREP_NSTAGES; k++) fprintf(stderr, ", %s %.3f", names[k], st[k]);
        fprintf(stderr, ", write %.3f\n", t_write);
        double base = t_read + st[SITREP_STAGE_REPAIR] + st[SITREP_STAGE_SEGMENT];
        double total = t_read + t_write;
        for (int k = 0; k < SITREP_NSTAGES; k++) total += st[k];
        fprintf(stderr, "stats: end-to-end / (read + segment) = %.1f\n", base > 0 ? total / base : 0);
        fprintf(stderr, "stats: peak RSS %ld MB\n", ru.ru_maxrss / 1024);
    }
done:
    if (docs)
        for (int j = 0; j < jobs; j++) sitrep_doc_free(docs[j]);
    free(docs);
    free(items);
    sitrep_ctx_free(c);
    free(in.files);
    return status;
}

int cmd_code(int argc, char **argv) { return run(argc, argv, RUN_CODE); }
int cmd_places(int argc, char **argv) { return run(argc, argv, RUN_PLACES); }
int cmd_segment(int argc, char **argv) { return run(argc, argv, RUN_SEGMENT); }

int cmd_kb(int argc, char **argv) {
    const char *dir = NULL;
    int check = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return cli_help("kb");
        if (!strcmp(argv[i], "check")) check = 1;
        else if (!strcmp(argv[i], "--kb") && i + 1 < argc) dir = argv[++i];
        else { fprintf(stderr, "sitrep kb: unknown argument %s\n", argv[i]); return 2; }
    }
    if (!check) { cli_help("kb"); return 2; }
    sitrep_buf out = {0};
    int n = sitrep_kb_check(dir, &out);
    if (out.len) fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    sitrep_buf_free(&out);
    if (n < 0) { fprintf(stderr, "sitrep kb check: failed\n"); return 2; }
    if (n) { fprintf(stderr, "sitrep kb check: %d problem%s\n", n, n == 1 ? "" : "s"); return 1; }
    printf("kb check: clean\n");
    return 0;
}
