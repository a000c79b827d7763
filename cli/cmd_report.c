/* cmd_report.c - `sitrep report`: the situation report. For a country, an
 * actor or a dyad and a period, one self-contained HTML file (inline CSS and
 * SVG, no script, nothing fetched): headline counts, the timeline, a map of
 * the places, the top dyads and places, and the key sentences behind the
 * largest merged events; --pdf prints it through headless chromium. Reads
 * the store through the public API only (query rows as TSV, the timeline
 * chart); the map comes from web/world.tsv (docs/report.md). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "sitrep.h"

extern char **environ;

#define REPORT_TOP 10          /* rows in the dyad and place tables (--top) */
#define REPORT_SENTENCES 8     /* key sentences (--sentences) */
#define PDF_TIMEOUT_S 120      /* chromium gets this long to print */

static const char report_help[] =
    "usage: sitrep report --db FILE [--country ISO3 | --actor CODE | --dyad A:B]\n"
    "                     [--since D] [--until D] [-o FILE.html] [--pdf FILE.pdf]\n"
    "\n"
    "Write a self-contained HTML situation report (inline SVG charts and map, no\n"
    "network): headline counts, the timeline, the top dyads and places, and the\n"
    "key sentences behind the largest merged events. See docs/report.md.\n"
    "\n"
    "  --db FILE         the event store\n"
    "  --country ISO3    events with an actor or place of this country\n"
    "  --actor CODE      events with this actor (code prefix, e.g. ISR or RUSMIL)\n"
    "  --dyad A:B        events from source A to target B\n"
    "  --since D, --until D   YYYY-MM-DD, or 7d, 2w, 3m, 1y back from the newest article\n"
    "  --title TEXT      the report's title (default from the subject)\n"
    "  -o, --output FILE the HTML file (default: standard output)\n"
    "  --pdf FILE        also print it to PDF with headless chromium ($CHROMIUM or chromium)\n"
    "  --top N           rows in the dyad and place tables (default 10)\n"
    "  --sentences N     key sentences (default 8)\n"
    "  --world FILE      country shapes (default: the installed web/world.tsv)\n";

/* ------------------------------------------------------------------ rows */

typedef struct row {
    long id, cluster, mentions, sources, articles;
    int quad;
    double gold, lat, lon;
    int has_loc;
    char *date, *article, *src, *tgt, *cameo, *plover, *place, *cc, *verb, *rule, *sent;
} row;

typedef struct rows {
    row *v;
    size_t n, cap;
    sitrep_buf raw;      /* the TSV as written by the query */
} rows;

static int collect(void *ud, const char *data, size_t len) {
    rows *r = ud;
    size_t need = r->raw.len + len + 1;
    if (need > r->raw.cap) {
        size_t cap = r->raw.cap ? r->raw.cap : 65536;
        while (cap < need) cap *= 2;
        char *d = realloc(r->raw.data, cap);
        if (!d) return 1;
        r->raw.data = d;
        r->raw.cap = cap;
    }
    memcpy(r->raw.data + r->raw.len, data, len);
    r->raw.len += len;
    r->raw.data[r->raw.len] = 0;
    return 0;
}

/* Split the collected TSV in place into rows (columns found by header name). */
static int parse_rows(rows *r) {
    enum { ID, DATE, ART, SRC, TGT, CAMEO, QUAD, GOLD, PLOVER, PLACE, CC, LAT, LON, CLUSTER, MENT, SRCS, ARTS,
           VERB, RULE, SENT, NCOL };
    static const char *const names[NCOL] = {"id", "date", "article_id", "source", "target", "cameo",
                                            "quad_class", "goldstein", "plover_type", "place", "country_code",
                                            "lat", "lon", "cluster", "mentions", "sources", "articles", "verb",
                                            "rule", "sentence_text"};
    int at[NCOL];
    for (int i = 0; i < NCOL; i++) at[i] = -1;
    char *p = r->raw.data;
    if (!p) return 0;
    char *nl = strchr(p, '\n');
    if (!nl) return 0;
    *nl = 0;
    int col = 0;
    for (char *c = p, *tab; c; c = tab ? tab + 1 : NULL, col++) {
        tab = strchr(c, '\t');
        if (tab) *tab = 0;
        for (int i = 0; i < NCOL; i++)
            if (!strcmp(c, names[i])) at[i] = col;
    }
    for (int i = 0; i < NCOL; i++)
        if (at[i] < 0) {
            fprintf(stderr, "sitrep report: the query output has no '%s' column\n", names[i]);
            return -1;
        }
    for (p = nl + 1; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (nl) *nl = 0;
        char *f[64] = {0};
        int n = 0;
        for (char *c = p, *tab; c && n < 64; c = tab ? tab + 1 : NULL) {
            tab = strchr(c, '\t');
            if (tab) *tab = 0;
            f[n++] = c;
        }
        int ok = 1;
        for (int i = 0; i < NCOL; i++)
            if (at[i] >= n) ok = 0;
        if (ok) {
            if (r->n == r->cap) {
                r->cap = r->cap ? 2 * r->cap : 256;
                row *v = realloc(r->v, r->cap * sizeof *v);
                if (!v) return -1;
                r->v = v;
            }
            row *w = &r->v[r->n++];
            memset(w, 0, sizeof *w);
            w->id = atol(f[at[ID]]);
            w->date = f[at[DATE]];
            w->article = f[at[ART]];
            w->src = f[at[SRC]];
            w->tgt = f[at[TGT]];
            w->cameo = f[at[CAMEO]];
            w->quad = atoi(f[at[QUAD]]);
            w->gold = atof(f[at[GOLD]]);
            w->plover = f[at[PLOVER]];
            w->place = f[at[PLACE]];
            w->cc = f[at[CC]];
            w->has_loc = *f[at[LAT]] && *f[at[LON]];
            w->lat = atof(f[at[LAT]]);
            w->lon = atof(f[at[LON]]);
            w->cluster = atol(f[at[CLUSTER]]);
            w->mentions = atol(f[at[MENT]]);
            w->sources = atol(f[at[SRCS]]);
            w->articles = atol(f[at[ARTS]]);
            w->verb = f[at[VERB]];
            w->rule = f[at[RULE]];
            w->sent = f[at[SENT]];
        }
        if (!nl) break;
    }
    return 0;
}

static void rows_free(rows *r) {
    free(r->v);
    free(r->raw.data);
}

static long run_query(sitrep_store *st, const sitrep_store_filter *f, rows *out) {
    long n = sitrep_store_query(st, f, SITREP_FMT_TSV, collect, out);
    if (n < 0) return n;
    return parse_rows(out) ? -1 : n;
}

/* ------------------------------------------------------------------ html helpers */


static void esc(FILE *f, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void escn(FILE *f, const char *s, size_t n) {
    for (size_t i = 0; i < n && s[i]; i++) {
        char c[2] = {s[i], 0};
        esc(f, c);
    }
}

static const char *const quad_name[5] = {"", "verbal cooperation", "material cooperation", "verbal conflict",
                                         "material conflict"};
static const char *const quad_color[5] = {"#999", "#2b8cbe", "#31a354", "#fd8d3c", "#d7301f"};

/* ------------------------------------------------------------------ aggregates */

typedef struct agg {
    char key[160];
    const char *a, *b;   /* borrowed: source/target or place/country */
    long n;
    double gsum, lat, lon;
    int has_loc;
    long quad[5];
} agg;

/* Aggregates by key, found through an open-addressing hash of indexes. */
typedef struct aggs {
    agg *v;
    size_t n, cap;
    size_t *slot;   /* index + 1, 0 = empty; nslot a power of two */
    size_t nslot;
} aggs;

static size_t key_hash(const char *k) {
    size_t h = 1469598103934665603u;
    for (; *k; k++) h = (h ^ (unsigned char)*k) * 1099511628211u;
    return h;
}

static int agg_rehash(aggs *g, size_t nslot) {
    size_t *s = calloc(nslot, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < g->n; i++) {
        size_t h = key_hash(g->v[i].key) & (nslot - 1);
        while (s[h]) h = (h + 1) & (nslot - 1);
        s[h] = i + 1;
    }
    free(g->slot);
    g->slot = s;
    g->nslot = nslot;
    return 0;
}

/* The aggregate for key (a new zeroed one when unseen), NULL on OOM. */
static agg *agg_find(aggs *g, const char *key) {
    if (2 * (g->n + 1) > g->nslot && agg_rehash(g, g->nslot ? 2 * g->nslot : 64)) return NULL;
    size_t h = key_hash(key) & (g->nslot - 1);
    for (; g->slot[h]; h = (h + 1) & (g->nslot - 1))
        if (!strcmp(g->v[g->slot[h] - 1].key, key)) return &g->v[g->slot[h] - 1];
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 64;
        agg *v = realloc(g->v, g->cap * sizeof *v);
        if (!v) return NULL;
        g->v = v;
    }
    agg *a = &g->v[g->n];
    memset(a, 0, sizeof *a);
    snprintf(a->key, sizeof a->key, "%s", key);
    g->slot[h] = ++g->n;
    return a;
}

static void aggs_free(aggs *g) {
    free(g->v);
    free(g->slot);
}

static int agg_cmp(const void *x, const void *y) {
    const agg *a = x, *b = y;
    if (a->n != b->n) return a->n < b->n ? 1 : -1;
    return strcmp(a->key, b->key);
}

static int dom_quad(const long q[5]) {
    int best = 1;
    for (int i = 2; i <= 4; i++)
        if (q[i] > q[best]) best = i;
    return best;
}

/* ------------------------------------------------------------------ map */

typedef struct bbox { double x0, y0, x1, y1; } bbox;

/* The bounding box of an SVG path of "M x y L x y ... Z" numbers. */
static bbox path_box(const char *d) {
    bbox b = {1e9, 1e9, -1e9, -1e9};
    const char *p = d;
    int k = 0;
    double x = 0;
    while (*p) {
        if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '.') {
            char *end;
            double v = strtod(p, &end);
            if (end == p) { p++; continue; }
            if (k++ % 2 == 0) x = v;
            else {
                if (x < b.x0) b.x0 = x;
                if (x > b.x1) b.x1 = x;
                if (v < b.y0) b.y0 = v;
                if (v > b.y1) b.y1 = v;
            }
            p = end;
        } else {
            p++;
        }
    }
    return b;
}

static void write_map(FILE *f, const char *world, const aggs *places, int top) {
    /* the view: the located places with a margin, at least 30 x 18 degrees */
    bbox v = {1e9, 1e9, -1e9, -1e9};
    int any = 0;
    for (size_t i = 0; i < places->n; i++) {
        const agg *a = &places->v[i];
        if (!a->has_loc) continue;
        any = 1;
        double x = a->lon, y = -a->lat;
        if (x < v.x0) v.x0 = x;
        if (x > v.x1) v.x1 = x;
        if (y < v.y0) v.y0 = y;
        if (y > v.y1) v.y1 = y;
    }
    if (!any) v = (bbox){-180, -85, 180, 65};
    double w = v.x1 - v.x0, h = v.y1 - v.y0;
    double mx = w * 0.15 + 5, my = h * 0.15 + 5;
    v.x0 -= mx; v.x1 += mx; v.y0 -= my; v.y1 += my;
    w = v.x1 - v.x0; h = v.y1 - v.y0;
    if (w < 30) { v.x0 -= (30 - w) / 2; w = 30; }
    if (h < 18) { v.y0 -= (18 - h) / 2; h = 18; }
    /* keep a 5:3 frame */
    if (w / h > 5.0 / 3.0) { double nh = w * 3 / 5; v.y0 -= (nh - h) / 2; h = nh; }
    else { double nw = h * 5 / 3; v.x0 -= (nw - w) / 2; w = nw; }
    if (w > 360) { v.x0 = -180; w = 360; h = 216; v.y0 = -100; }
    double unit = w / 100.0; /* 1% of the width, for marker sizes and text */
    fprintf(f, "<svg class=\"map\" viewBox=\"%.2f %.2f %.2f %.2f\" xmlns=\"http://www.w3.org/2000/svg\" "
               "role=\"img\" aria-label=\"map of event places\">\n"
               "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#dfe9f1\"/>\n",
            v.x0, v.y0, w, h, v.x0, v.y0, w, h);
    FILE *wf = world ? fopen(world, "r") : NULL;
    int ncountries = 0;
    if (wf) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        fprintf(f, "<g fill=\"#f2efe6\" stroke=\"#a9a390\" stroke-width=\"%.3f\">\n", unit * 0.12);
        while ((n = getline(&line, &cap, wf)) > 0) {
            if (line[0] == '#') continue;
            char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL,
                 *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
            if (!t3) continue;
            *t3 = 0;
            char *d = t3 + 1;
            d[strcspn(d, "\r\n")] = 0;
            bbox b = path_box(d);
            if (b.x1 < v.x0 || b.x0 > v.x0 + w || b.y1 < v.y0 || b.y0 > v.y0 + h) continue;
            int ok = 1; /* only path characters reach the file */
            for (const char *c = d; *c && ok; c++)
                if (!strchr("0123456789.- MLZ", *c)) ok = 0;
            if (!ok) continue;
            fprintf(f, "<path d=\"%s\"><title>", d);
            esc(f, t2 + 1);
            fputs("</title></path>\n", f);
            ncountries++;
        }
        free(line);
        fclose(wf);
        fputs("</g>\n", f);
    }
    long max = 1;
    for (size_t i = 0; i < places->n; i++)
        if (places->v[i].n > max) max = places->v[i].n;
    int labelled = 0;
    for (size_t i = 0; i < places->n; i++) { /* sorted: largest first, drawn last on top */
        const agg *a = &places->v[places->n - 1 - i];
        if (!a->has_loc) continue;
        double r = unit * (0.8 + 2.2 * sqrt((double)a->n / (double)max));
        fprintf(f, "<circle cx=\"%.3f\" cy=\"%.3f\" r=\"%.3f\" fill=\"%s\" fill-opacity=\"0.65\" stroke=\"#fff\" "
                   "stroke-width=\"%.3f\"><title>",
                a->lon, -a->lat, r, quad_color[dom_quad(a->quad)], unit * 0.15);
        esc(f, a->a);
        fprintf(f, ": %ld event%s</title></circle>\n", a->n, a->n == 1 ? "" : "s");
    }
    for (size_t i = 0; i < places->n && labelled < top; i++) {
        const agg *a = &places->v[i];
        if (!a->has_loc) continue;
        labelled++;
        fprintf(f, "<text x=\"%.3f\" y=\"%.3f\" font-size=\"%.3f\" font-family=\"sans-serif\" fill=\"#222\" "
                   "stroke=\"#fff\" stroke-width=\"%.3f\" paint-order=\"stroke\">",
                a->lon + unit * 1.6, -a->lat + unit * 0.6, unit * 2.2, unit * 0.3);
        esc(f, a->a);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
    if (!ncountries)
        fputs("<p class=\"note\">No country shapes (web/world.tsv; `make` builds it from the npm package "
              "world-countries): places only.</p>\n", f);
}

/* ------------------------------------------------------------------ key sentences */

static int cl_cmp(const void *x, const void *y) {
    const row *a = x, *b = y;
    if (a->mentions != b->mentions) return a->mentions < b->mentions ? 1 : -1;
    if (a->sources != b->sources) return a->sources < b->sources ? 1 : -1;
    if (fabs(a->gold) != fabs(b->gold)) return fabs(a->gold) < fabs(b->gold) ? 1 : -1;
    int c = strcmp(b->date, a->date);
    return c ? c : (a->id < b->id ? -1 : 1);
}

/* The sentence with the verb words marked (found by text; first match). */
static void marked_sentence(FILE *f, const row *r) {
    const char *s = r->sent, *hit = *r->verb ? strstr(s, r->verb) : NULL;
    if (!hit) { esc(f, s); return; }
    escn(f, s, (size_t)(hit - s));
    fputs("<mark>", f);
    esc(f, r->verb);
    fputs("</mark>", f);
    esc(f, hit + strlen(r->verb));
}

/* ------------------------------------------------------------------ pdf */

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

/* Print html (a file) to pdf with headless chromium; 0 or -1 (message printed). */
static int print_pdf(const char *html, const char *pdf) {
    const char *chromium = getenv("CHROMIUM");
    if (!chromium || !*chromium) chromium = "chromium";
    char tmpl[] = "/tmp/sitrep-report-chromium.XXXXXX";
    if (!mkdtemp(tmpl)) {
        fprintf(stderr, "sitrep report: cannot make a temporary directory: %s\n", strerror(errno));
        return -1;
    }
    char abs_html[4096], url[4200], udd[4200], out[4200];
    if (!realpath(html, abs_html)) {
        fprintf(stderr, "sitrep report: %s: %s\n", html, strerror(errno));
        nftw(tmpl, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
        return -1;
    }
    snprintf(url, sizeof url, "file://%s", abs_html);
    snprintf(udd, sizeof udd, "--user-data-dir=%s", tmpl);
    snprintf(out, sizeof out, "--print-to-pdf=%s", pdf);
    char *argv[] = {(char *)chromium, (char *)"--headless", (char *)"--no-sandbox", (char *)"--disable-gpu",
                    (char *)"--disable-background-networking", (char *)"--disable-component-update",
                    (char *)"--disable-sync", (char *)"--no-first-run", (char *)"--no-pdf-header-footer",
                    udd, out, url, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, chromium, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) {
        fprintf(stderr, "sitrep report: cannot run %s: %s (install Debian's chromium, or set $CHROMIUM)\n",
                chromium, strerror(rc));
        nftw(tmpl, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
        return -1;
    }
    int status = 0, done = 0;
    for (int i = 0; i < PDF_TIMEOUT_S * 10 && !done; i++) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) done = 1;
        else if (w < 0 && errno != EINTR) break;
        else nanosleep(&(struct timespec){0, 100000000L}, NULL);
    }
    if (!done) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        fprintf(stderr, "sitrep report: %s did not finish within %d s\n", chromium, PDF_TIMEOUT_S);
    }
    nftw(tmpl, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
    struct stat sb;
    if (!done || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(pdf, &sb) || sb.st_size == 0) {
        if (done) fprintf(stderr, "sitrep report: %s failed to print %s\n", chromium, pdf);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ the report */

static const char css[] =
    "body{font:14px/1.45 'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;margin:0;background:#fff}"
    "main{max-width:60em;margin:0 auto;padding:1.2em 1.5em}"
    "header{border-bottom:3px solid #20303f;margin-bottom:1em}h1{margin:.2em 0;font-size:1.7em}"
    "h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.15em;margin-top:1.5em;"
    "break-after:avoid}.sub{color:#555}"
    ".cards{display:flex;flex-wrap:wrap;gap:.6em}.card{border:1px solid #ddd;border-radius:4px;"
    "padding:.4em .8em;min-width:8em}.card b{display:block;font-size:1.5em}"
    ".quads{display:flex;height:1.1em;border-radius:3px;overflow:hidden;margin:.6em 0 .2em}"
    ".legend span{margin-right:1em;font-size:.85em}.legend i{display:inline-block;width:.8em;height:.8em;"
    "margin-right:.3em}"
    "table{border-collapse:collapse;width:100%;font-size:.92em}th,td{text-align:left;padding:.2em .4em;"
    "border-bottom:1px solid #eee;vertical-align:top}td.n{text-align:right}"
    ".bar{display:inline-block;height:.7em;background:#20303f;opacity:.6}"
    "svg{width:100%;height:auto;display:block}svg.map{border:1px solid #ccc}"
    "ol.key li{margin-bottom:.8em;break-inside:avoid}.key q{display:block;font-size:1.05em;quotes:none}"
    "mark{background:#f7e1f0;color:#a3147a;font-weight:600}.meta{color:#555;font-size:.88em}"
    "code{font-size:.88em;background:#f0f0ec;padding:0 .2em}.note{color:#777;font-size:.85em}"
    "footer{margin-top:2em;color:#777;font-size:.8em;border-top:1px solid #ddd;padding-top:.4em}"
    "@media print{main{max-width:none;padding:0}section{break-inside:auto}}";

typedef struct report_opts {
    const char *db, *country, *actor, *dyad, *since, *until, *title, *output, *pdf, *world;
    int top, sentences;
} report_opts;

static int write_report(FILE *f, sitrep_store *st, const report_opts *o, const sitrep_store_filter *flt) {
    rows ev = {0}, cl = {0};
    aggs dy = {0}, pl = {0}, pv = {0}, arts = {0};
    int rc = 1;
    if (run_query(st, flt, &ev) < 0) goto db_error;
    sitrep_store_filter fc = *flt;
    fc.clusters = 1;
    if (run_query(st, &fc, &cl) < 0) goto db_error;

    /* headline figures */
    long quads[5] = {0}, narticles = 0;
    double gsum = 0;
    const char *first = NULL, *last = NULL;
    for (size_t i = 0; i < ev.n; i++) {
        const row *r = &ev.v[i];
        if (r->quad >= 1 && r->quad <= 4) quads[r->quad]++;
        gsum += r->gold;
        if (!first || strcmp(r->date, first) < 0) first = r->date;
        if (!last || strcmp(r->date, last) > 0) last = r->date;
        agg *a = agg_find(&arts, r->article);
        if (!a) goto oom;
        if (!a->n++) narticles++;
        if (*r->src && *r->tgt) {
            char key[160];
            snprintf(key, sizeof key, "%s\t%s", r->src, r->tgt);
            agg *d = agg_find(&dy, key);
            if (!d) goto oom;
            d->a = r->src;
            d->b = r->tgt;
            d->n++;
            d->gsum += r->gold;
            if (r->quad >= 1 && r->quad <= 4) d->quad[r->quad]++;
        }
        if (*r->place) {
            char key[160];
            snprintf(key, sizeof key, "%s\t%s", r->place, r->cc);
            agg *p = agg_find(&pl, key);
            if (!p) goto oom;
            p->a = r->place;
            p->b = r->cc;
            p->n++;
            p->gsum += r->gold;
            if (r->has_loc) { p->has_loc = 1; p->lat = r->lat; p->lon = r->lon; }
            if (r->quad >= 1 && r->quad <= 4) p->quad[r->quad]++;
        }
        if (*r->plover) {
            agg *t = agg_find(&pv, r->plover);
            if (!t) goto oom;
            t->a = r->plover;
            t->n++;
        }
    }
    aggs_free(&arts);
    memset(&arts, 0, sizeof arts);
    if (dy.n) qsort(dy.v, dy.n, sizeof *dy.v, agg_cmp);
    if (pl.n) qsort(pl.v, pl.n, sizeof *pl.v, agg_cmp);
    if (pv.n) qsort(pv.v, pv.n, sizeof *pv.v, agg_cmp);
    if (cl.n) qsort(cl.v, cl.n, sizeof *cl.v, cl_cmp);

    /* the subject */
    char subject[256];
    if (o->dyad) snprintf(subject, sizeof subject, "%s", o->dyad);
    else if (o->actor) snprintf(subject, sizeof subject, "%s", o->actor);
    else if (o->country) snprintf(subject, sizeof subject, "%s", o->country);
    else snprintf(subject, sizeof subject, "all events");
    char title[512];
    if (o->title) snprintf(title, sizeof title, "%s", o->title);
    else snprintf(title, sizeof title, "Situation report: %s", subject);
    char period[128];
    snprintf(period, sizeof period, "%s to %s", o->since ? o->since : (first ? first : "the start"),
             o->until ? o->until : (last ? last : "the end"));

    time_t now = time(NULL);
    char made[32];
    strftime(made, sizeof made, "%Y-%m-%d %H:%M UTC", gmtime(&now));

    fputs("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    esc(f, title);
    fprintf(f, "</title>\n<meta name=\"generator\" content=\"sitrep %s\">\n<style>%s</style>\n</head>\n<body>\n<main>\n",
            sitrep_version(), css);
    fputs("<header><h1>", f);
    esc(f, title);
    fputs("</h1><p class=\"sub\">", f);
    if (o->dyad) fputs("Dyad (source:target) ", f);
    else if (o->actor) fputs("Actor ", f);
    else if (o->country) fputs("Country ", f);
    fprintf(f, "<b>");
    esc(f, subject);
    fputs("</b>, ", f);
    esc(f, period);
    if (first && last) {
        fputs(" (events dated ", f);
        esc(f, first);
        fputs(" to ", f);
        esc(f, last);
        fputs(")", f);
    }
    fputs("</p></header>\n", f);

    /* headline */
    fputs("<section id=\"headline\"><h2>Headline</h2><div class=\"cards\">", f);
    fprintf(f, "<div class=\"card\"><b id=\"n-events\">%zu</b>event mentions</div>", ev.n);
    fprintf(f, "<div class=\"card\"><b id=\"n-clusters\">%zu</b>merged events</div>", cl.n);
    fprintf(f, "<div class=\"card\"><b id=\"n-articles\">%ld</b>articles</div>", narticles);
    fprintf(f, "<div class=\"card\"><b>%s%.2f</b>mean Goldstein</div>", ev.n && gsum / (double)ev.n > 0 ? "+" : "",
            ev.n ? gsum / (double)ev.n : 0.0);
    fprintf(f, "<div class=\"card\"><b>%zu</b>dyads</div><div class=\"card\"><b>%zu</b>places</div></div>\n", dy.n,
            pl.n);
    if (ev.n) {
        fputs("<div class=\"quads\">", f);
        for (int q = 1; q <= 4; q++)
            if (quads[q])
                fprintf(f, "<div style=\"width:%.2f%%;background:%s\" title=\"%s\"></div>", 100.0 * (double)quads[q] / (double)ev.n,
                        quad_color[q], quad_name[q]);
        fputs("</div><div class=\"legend\">", f);
        for (int q = 1; q <= 4; q++)
            fprintf(f, "<span><i style=\"background:%s\"></i>%d %s: %ld</span>", quad_color[q], q, quad_name[q],
                    quads[q]);
        fputs("</div>\n", f);
        if (pv.n) {
            fputs("<p>Most frequent PLOVER types: ", f);
            for (size_t i = 0; i < pv.n && i < 6; i++) {
                fputs(i ? ", " : "", f);
                esc(f, pv.v[i].a);
                fprintf(f, " (%ld)", pv.v[i].n);
            }
            fputs(".</p>\n", f);
        }
    } else {
        fputs("<p id=\"no-events\">No events match this subject and period.</p>\n", f);
    }
    fputs("</section>\n", f);

    /* timeline */
    if (ev.n) {
        int days = 0;
        if (first && last) {
            struct tm a = {0}, b = {0};
            if (strptime(first, "%Y-%m-%d", &a) && strptime(last, "%Y-%m-%d", &b))
                days = (int)(difftime(timegm(&b), timegm(&a)) / 86400);
        }
        int bucket = days > 730 ? SITREP_TL_MONTH : days > 120 ? SITREP_TL_WEEK : SITREP_TL_DAY;
        sitrep_timeline *t = sitrep_store_timeline(st, flt, bucket, SITREP_TL_QUAD);
        fputs("<section id=\"timeline\"><h2>Timeline</h2>\n", f);
        sitrep_buf svg = {0};
        if (t && sitrep_timeline_svg(t, "Events by quad class", &svg) == SITREP_OK && svg.data) {
            const char *s = strstr(svg.data, "<svg");
            if (s) fputs(s, f);
        } else {
            fprintf(f, "<p class=\"note\">(no timeline: %s)</p>", sitrep_store_errmsg(st));
        }
        sitrep_buf_free(&svg);
        sitrep_timeline_free(t);
        fputs("</section>\n", f);
    }

    /* map and places */
    fputs("<section id=\"places\"><h2>Places</h2>\n", f);
    if (pl.n) {
        write_map(f, o->world, &pl, o->top);
        fputs("<table><tr><th>place</th><th>country</th><th class=\"n\">events</th><th class=\"n\">mean Goldstein</th>"
              "<th>dominant quad class</th></tr>\n", f);
        for (size_t i = 0; i < pl.n && i < (size_t)o->top; i++) {
            const agg *a = &pl.v[i];
            fputs("<tr><td>", f);
            esc(f, a->a);
            fputs("</td><td>", f);
            esc(f, a->b);
            fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%.1f</td><td>%s</td></tr>\n", a->n,
                    a->gsum / (double)a->n, quad_name[dom_quad(a->quad)]);
        }
        fputs("</table>\n", f);
    } else {
        fputs("<p>No located events.</p>\n", f);
    }
    fputs("</section>\n", f);

    /* dyads */
    fputs("<section id=\"dyads\"><h2>Top dyads</h2>\n", f);
    if (dy.n) {
        long max = dy.v[0].n;
        fputs("<table><tr><th>source</th><th>target</th><th class=\"n\">events</th><th></th>"
              "<th class=\"n\">mean Goldstein</th></tr>\n", f);
        for (size_t i = 0; i < dy.n && i < (size_t)o->top; i++) {
            const agg *a = &dy.v[i];
            fputs("<tr><td>", f);
            esc(f, a->a);
            fputs("</td><td>", f);
            esc(f, a->b);
            fprintf(f, "</td><td class=\"n\">%ld</td><td><span class=\"bar\" style=\"width:%.1fem\"></span></td>"
                       "<td class=\"n\">%.1f</td></tr>\n",
                    a->n, 8.0 * (double)a->n / (double)max, a->gsum / (double)a->n);
        }
        fputs("</table>\n", f);
    } else {
        fputs("<p>No events with both actors coded.</p>\n", f);
    }
    fputs("</section>\n", f);

    /* key sentences */
    fputs("<section id=\"key\"><h2>Key sentences</h2>\n", f);
    if (cl.n) {
        fputs("<p class=\"note\">The first report of each of the largest merged events (most mentions, then "
              "sources, then the strongest Goldstein score), one per sentence; the matched verb is marked.</p>\n<ol class=\"key\">\n", f);
        int shown = 0;
        for (size_t i = 0; i < cl.n && shown < o->sentences; i++) {
            const row *r = &cl.v[i];
            int seen = 0; /* one item per sentence: its largest event */
            for (size_t j = 0; j < i && !seen; j++) seen = !strcmp(cl.v[j].sent, r->sent);
            if (seen) continue;
            shown++;
            fputs("<li><q>", f);
            marked_sentence(f, r);
            fputs("</q><span class=\"meta\">", f);
            esc(f, r->date);
            fputs(" &middot; ", f);
            esc(f, *r->src ? r->src : "?");
            fputs(" &rarr; ", f);
            esc(f, *r->tgt ? r->tgt : "?");
            fputs(" &middot; CAMEO ", f);
            esc(f, r->cameo);
            if (*r->plover) {
                fputs(" ", f);
                esc(f, r->plover);
            }
            fprintf(f, " (Goldstein %.1f)", r->gold);
            if (*r->place) {
                fputs(" &middot; ", f);
                esc(f, r->place);
            }
            fprintf(f, " &middot; %ld mention%s in %ld article%s, %ld source%s &middot; ", r->mentions,
                    r->mentions == 1 ? "" : "s", r->articles, r->articles == 1 ? "" : "s", r->sources,
                    r->sources == 1 ? "" : "s");
            esc(f, r->article);
            fputs(" &middot; rule <code>", f);
            esc(f, r->rule);
            fputs("</code></span></li>\n", f);
        }
        fputs("</ol>\n", f);
    } else {
        fputs("<p>No events.</p>\n", f);
    }
    fputs("</section>\n", f);

    fputs("<footer>Made by sitrep ", f);
    esc(f, sitrep_version());
    fputs(" on ", f);
    esc(f, made);
    fputs(" from ", f);
    esc(f, o->db);
    fputs(". Events are machine-coded (CAMEO/PLOVER) from news text; each names the knowledge-base rule that "
          "fired. Counts are event mentions unless marked as merged events. Country shapes: the world-countries "
          "project (mledoze/countries), ODbL 1.0.</footer>\n</main>\n</body>\n</html>\n", f);
    rc = 0;
    goto done;
oom:
    fprintf(stderr, "sitrep report: out of memory\n");
    goto done;
db_error:
    fprintf(stderr, "sitrep report: %s\n", sitrep_store_errmsg(st));
    rc = sitrep_store_status(st) == SITREP_EINVAL ? 2 : 1;
done:
    aggs_free(&arts);
    aggs_free(&dy);
    aggs_free(&pl);
    aggs_free(&pv);
    rows_free(&ev);
    rows_free(&cl);
    return rc;
}

/* ------------------------------------------------------------------ command */

int cmd_report(int argc, char **argv) {
    report_opts o;
    memset(&o, 0, sizeof o);
    o.top = REPORT_TOP;
    o.sentences = REPORT_SENTENCES;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        static const char *const valued[] = {"--db", "--country", "--actor", "--dyad", "--since", "--until",
                                             "--title", "--output", "-o", "--pdf", "--top", "--sentences",
                                             "--world"};
        int k = -1;
        const char *v = NULL;
        for (int j = 0; j < (int)(sizeof valued / sizeof valued[0]); j++) {
            size_t n = strlen(valued[j]);
            if (!strncmp(a, valued[j], n) && (a[n] == 0 || a[n] == '=')) {
                k = j;
                if (a[n] == '=') v = a + n + 1;
                else if (i + 1 < argc) v = argv[++i];
                else {
                    fprintf(stderr, "sitrep report: %s needs a value\n", valued[j]);
                    return 2;
                }
                break;
            }
        }
        switch (k) {
        case 0: o.db = v; break;
        case 1: o.country = v; break;
        case 2: o.actor = v; break;
        case 3: o.dyad = v; break;
        case 4: o.since = v; break;
        case 5: o.until = v; break;
        case 6: o.title = v; break;
        case 7: case 8: o.output = v; break;
        case 9: o.pdf = v; break;
        case 10: case 11: {
            char *end;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 1000) {
                fprintf(stderr, "sitrep report: %s must be 1..1000\n", valued[k]);
                return 2;
            }
            if (k == 10) o.top = (int)n;
            else o.sentences = (int)n;
            break;
        }
        case 12: o.world = v; break;
        default:
            if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
                fputs(report_help, stdout);
                return 0;
            }
            fprintf(stderr, "sitrep report: unknown option '%s'\n%s", a, report_help);
            return 2;
        }
    }
    if (!o.db) {
        fprintf(stderr, "sitrep report: --db FILE is required\n%s", report_help);
        return 2;
    }
    if ((o.country != NULL) + (o.actor != NULL) + (o.dyad != NULL) > 1) {
        fprintf(stderr, "sitrep report: give one of --country, --actor, --dyad\n");
        return 2;
    }
    sitrep_store_filter f;
    memset(&f, 0, sizeof f);
    char dsrc[128] = "", dtgt[128] = "";
    if (o.dyad) {
        const char *c = strchr(o.dyad, ':');
        if (!c || c == o.dyad || !c[1] || (size_t)(c - o.dyad) >= sizeof dsrc || strlen(c + 1) >= sizeof dtgt) {
            fprintf(stderr, "sitrep report: --dyad must be SOURCE:TARGET (e.g. RUS:UKR)\n");
            return 2;
        }
        memcpy(dsrc, o.dyad, (size_t)(c - o.dyad));
        strcpy(dtgt, c + 1);
        f.source = dsrc;
        f.target = dtgt;
    }
    f.country = o.country;
    f.actor = o.actor;
    f.since = o.since;
    f.until = o.until;
    char world[4096];
    if (!o.world) {
        snprintf(world, sizeof world, "%s/web/world.tsv", sitrep_default_home());
        o.world = world;
    }
    if (o.pdf && !o.output) {
        fprintf(stderr, "sitrep report: --pdf needs -o FILE.html (the HTML is printed from that file)\n");
        return 2;
    }
    sitrep_store *st = sitrep_store_open(o.db, 1);
    if (!st || sitrep_store_status(st)) {
        fprintf(stderr, "sitrep report: %s\n", st ? sitrep_store_errmsg(st) : "out of memory");
        sitrep_store_close(st);
        return 1;
    }
    FILE *f_out = stdout;
    char tmp[4200] = "";
    if (o.output) {
        snprintf(tmp, sizeof tmp, "%s.tmp", o.output);
        f_out = fopen(tmp, "w");
        if (!f_out) {
            fprintf(stderr, "sitrep report: %s: %s\n", tmp, strerror(errno));
            sitrep_store_close(st);
            return 1;
        }
    }
    int rc = write_report(f_out, st, &o, &f);
    sitrep_store_close(st);
    if (o.output) {
        if (fclose(f_out) && !rc) {
            fprintf(stderr, "sitrep report: %s: %s\n", tmp, strerror(errno));
            rc = 1;
        }
        if (rc) remove(tmp);
        else if (rename(tmp, o.output)) {
            fprintf(stderr, "sitrep report: %s: %s\n", o.output, strerror(errno));
            rc = 1;
        }
    } else if (fflush(stdout)) {
        rc = 1;
    }
    if (!rc && o.pdf && print_pdf(o.output, o.pdf)) rc = 1;
    return rc;
}
