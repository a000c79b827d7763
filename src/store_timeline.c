/* store_timeline.c - timelines from the event store: event counts and mean
 * Goldstein score per day, week or month, in one series or split by quad
 * class or CAMEO root; rendered as CSV, terminal sparklines or an SVG chart
 * written by hand (no plotting library). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "store.h"

struct sitrep_timeline {
    int bucket, split;
    size_t nb, ns;
    char (*labels)[11];  /* nb bucket start dates */
    char (*names)[48];   /* ns series names */
    long *count;         /* ns * nb */
    double *gsum;        /* ns * nb, sum of Goldstein scores */
};

static const char *const quad_names[5] = {"", "1 verbal cooperation", "2 material cooperation",
                                          "3 verbal conflict", "4 material conflict"};

void sitrep_timeline_free(sitrep_timeline *t) {
    if (!t) return;
    free(t->labels);
    free(t->names);
    free(t->count);
    free(t->gsum);
    free(t);
}

size_t sitrep_timeline_nbuckets(const sitrep_timeline *t) { return t ? t->nb : 0; }
size_t sitrep_timeline_nseries(const sitrep_timeline *t) { return t ? t->ns : 0; }

/* Start of the bucket holding day z. */
static long bucket_start(long z, int bucket) {
    char d[11];
    int ok;
    switch (bucket) {
    case SITREP_TL_WEEK: {
        long wd = ((z % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
        return z - wd;
    }
    case SITREP_TL_MONTH:
        store_date(z, d);
        d[8] = '0';
        d[9] = '1';
        return store_days(d, &ok);
    default: return z;
    }
}

static long bucket_next(long z, int bucket) {
    if (bucket == SITREP_TL_WEEK) return z + 7;
    if (bucket == SITREP_TL_MONTH) return bucket_start(z + 31, bucket);
    return z + 1;
}

typedef struct tl_row { long day; int series; long n; double g; } tl_row;

static sitrep_timeline *timeline_locked(sitrep_store *st, const sitrep_store_filter *f, int bucket,
                                        int split) {
    store_where wh = {0};
    sitrep_buf sql = {0};
    sqlite3_stmt *s = NULL;
    sitrep_timeline *t = NULL;
    tl_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    int roots[21] = {0};
    if (store_where_build(st, f, &wh)) goto fail;
    const char *series = split == SITREP_TL_QUAD ? "e.quad_class"
                         : split == SITREP_TL_ROOT ? "CAST(e.root AS INTEGER)" : "0";
    int oom;
    if (f && f->clusters)
        oom = buf_printf(&sql, "SELECT e.date, %s, count(*), sum(e.goldstein) FROM clusters e "
                               "WHERE e.date IS NOT NULL AND e.id IN (SELECT e.cluster FROM events e "
                               "LEFT JOIN places p ON p.id = e.place WHERE 1%s) GROUP BY 1, 2 ORDER BY 1, 2",
                         series, wh.sql.data);
    else
        oom = buf_printf(&sql, "SELECT e.date, %s, count(*), sum(e.goldstein) FROM events e "
                               "LEFT JOIN places p ON p.id = e.place WHERE e.date IS NOT NULL%s "
                               "GROUP BY 1, 2 ORDER BY 1, 2",
                         series, wh.sql.data);
    if (oom) { store_fail(st, SITREP_ENOMEM, "out of memory"); goto fail; }
    if (sqlite3_prepare_v2(st->db, sql.data, -1, &s, NULL) != SQLITE_OK) {
        store_fail_db(st, "timeline");
        goto fail;
    }
    store_where_bind(&wh, s, 1);
    int rc;
    long lo = 0, hi = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int ok;
        long z = store_days((const char *)sqlite3_column_text(s, 0), &ok);
        if (!ok) continue;
        int ser = sqlite3_column_int(s, 1);
        if (split == SITREP_TL_QUAD && (ser < 1 || ser > 4)) continue;
        if (split == SITREP_TL_ROOT && (ser < 1 || ser > 20)) continue;
        if (split == SITREP_TL_ROOT) roots[ser] = 1;
        if (nrows == cap) {
            cap = cap ? 2 * cap : 256;
            tl_row *r = realloc(rows, cap * sizeof *r);
            if (!r) { store_fail(st, SITREP_ENOMEM, "out of memory"); goto fail; }
            rows = r;
        }
        z = bucket_start(z, bucket);
        rows[nrows++] = (tl_row){z, ser, sqlite3_column_int64(s, 2), sqlite3_column_double(s, 3)};
        if (nrows == 1 || z < lo) lo = z;
        if (nrows == 1 || z > hi) hi = z;
    }
    if (rc != SQLITE_DONE) { store_fail_db(st, "timeline"); goto fail; }
    t = calloc(1, sizeof *t);
    if (!t) { store_fail(st, SITREP_ENOMEM, "out of memory"); goto fail; }
    t->bucket = bucket;
    t->split = split;
    /* buckets */
    if (nrows) {
        for (long z = lo; z <= hi; z = bucket_next(z, bucket))
            if (++t->nb > STORE_TL_MAX_BUCKETS) {
                store_fail(st, SITREP_ELIMIT, "timeline over %d buckets: use a coarser bucket or --since",
                           STORE_TL_MAX_BUCKETS);
                goto fail;
            }
    }
    /* series */
    int map[21] = {0};
    if (split == SITREP_TL_QUAD) {
        t->ns = 4;
        for (int i = 1; i <= 4; i++) map[i] = i - 1;
    } else if (split == SITREP_TL_ROOT) {
        for (int i = 1; i <= 20; i++)
            if (roots[i]) map[i] = (int)t->ns++;
    } else {
        t->ns = 1;
    }
    size_t cells = t->ns * t->nb;
    t->labels = calloc(t->nb ? t->nb : 1, sizeof *t->labels);
    t->names = calloc(t->ns ? t->ns : 1, sizeof *t->names);
    t->count = calloc(cells ? cells : 1, sizeof *t->count);
    t->gsum = calloc(cells ? cells : 1, sizeof *t->gsum);
    if (!t->labels || !t->names || !t->count || !t->gsum) {
        store_fail(st, SITREP_ENOMEM, "out of memory");
        goto fail;
    }
    size_t bi = 0;
    for (long z = lo; bi < t->nb; z = bucket_next(z, bucket)) store_date(z, t->labels[bi++]);
    if (split == SITREP_TL_QUAD)
        for (int i = 1; i <= 4; i++) snprintf(t->names[i - 1], sizeof t->names[0], "%s", quad_names[i]);
    else if (split == SITREP_TL_ROOT) {
        for (int i = 1; i <= 20; i++)
            if (roots[i]) {
                char r[3] = {(char)('0' + i / 10), (char)('0' + i % 10), 0};
                snprintf(t->names[map[i]], sizeof t->names[0], "%s %s", r, store_root_name(r));
            }
    } else
        snprintf(t->names[0], sizeof t->names[0], "all events");
    for (size_t i = 0; i < nrows; i++) {
        /* bucket index: binary search on labels */
        char d[11];
        store_date(rows[i].day, d);
        size_t a = 0, b = t->nb;
        while (a < b) {
            size_t m = (a + b) / 2;
            if (strcmp(t->labels[m], d) < 0) a = m + 1; else b = m;
        }
        if (a >= t->nb) continue;
        size_t ser = split == SITREP_TL_ALL ? 0 : (size_t)map[rows[i].series];
        t->count[ser * t->nb + a] += rows[i].n;
        t->gsum[ser * t->nb + a] += rows[i].g;
    }
    goto done;
fail:
    sitrep_timeline_free(t);
    t = NULL;
done:
    free(rows);
    sqlite3_finalize(s);
    store_where_free(&wh);
    sitrep_buf_free(&sql);
    return t;
}

sitrep_timeline *sitrep_store_timeline(sitrep_store *st, const sitrep_store_filter *f, int bucket,
                                       int split) {
    if (!st) return NULL;
    if (!st->db) return NULL;
    if (bucket < SITREP_TL_DAY || bucket > SITREP_TL_MONTH || split < SITREP_TL_ALL ||
        split > SITREP_TL_ROOT) {
        store_fail(st, SITREP_EINVAL, "bad timeline bucket or split");
        return NULL;
    }
    pthread_mutex_lock(&st->mu);
    st->status = SITREP_OK;
    st->err[0] = 0;
    sitrep_timeline *t = timeline_locked(st, f, bucket, split);
    pthread_mutex_unlock(&st->mu);
    return t;
}

/* ------------------------------------------------------------------ output */

static double mean(const sitrep_timeline *t, size_t s, size_t b) {
    long n = t->count[s * t->nb + b];
    return n ? t->gsum[s * t->nb + b] / (double)n : NAN;
}

int sitrep_timeline_csv(const sitrep_timeline *t, sitrep_buf *out) {
    if (!t || !out) return SITREP_EINVAL;
    if (buf_puts(out, "bucket,series,events,goldstein_mean\n")) return SITREP_ENOMEM;
    for (size_t b = 0; b < t->nb; b++)
        for (size_t s = 0; s < t->ns; s++) {
            double g = mean(t, s, b);
            if (buf_printf(out, "%s,%s,%ld,", t->labels[b], t->names[s], t->count[s * t->nb + b]) ||
                (isnan(g) ? 0 : buf_printf(out, "%.2f", g)) || buf_puts(out, "\n"))
                return SITREP_ENOMEM;
        }
    return SITREP_OK;
}

int store_timeline_json(const sitrep_timeline *t, int clusters, sitrep_buf *out) {
    static const char *const bw[] = {"day", "week", "month"}, *const sw[] = {"all", "quad", "root"};
    if (!t || !out) return SITREP_EINVAL;
    if (buf_printf(out, "{\"by\": \"%s\", \"split\": \"%s\", \"clusters\": %s, \"buckets\": [", bw[t->bucket],
                   sw[t->split], clusters ? "true" : "false"))
        return SITREP_ENOMEM;
    for (size_t b = 0; t->ns && b < t->nb; b++)
        if ((b && buf_puts(out, ", ")) || buf_json_str(out, t->labels[b], strlen(t->labels[b])))
            return SITREP_ENOMEM;
    if (buf_puts(out, "], \"series\": [")) return SITREP_ENOMEM;
    for (size_t s = 0; s < t->ns; s++) {
        const char *name = t->nb ? t->names[s] : ""; /* as before: no buckets, no names */
        if ((s && buf_puts(out, ",\n")) || buf_puts(out, "{\"name\": ") || buf_json_str(out, name, strlen(name)) ||
            buf_puts(out, ", \"events\": ["))
            return SITREP_ENOMEM;
        for (size_t b = 0; b < t->nb; b++)
            if ((b && buf_puts(out, ", ")) || buf_printf(out, "%ld", t->count[s * t->nb + b]))
                return SITREP_ENOMEM;
        if (buf_puts(out, "], \"goldstein\": [")) return SITREP_ENOMEM;
        for (size_t b = 0; b < t->nb; b++) {
            double g = mean(t, s, b);
            if ((b && buf_puts(out, ", ")) || (isnan(g) ? buf_puts(out, "null") : buf_printf(out, "%.2f", g)))
                return SITREP_ENOMEM;
        }
        if (buf_puts(out, "]}")) return SITREP_ENOMEM;
    }
    return buf_puts(out, "]}\n") ? SITREP_ENOMEM : SITREP_OK;
}

static const char *const bucket_word[3] = {"day", "week", "month"};

int sitrep_timeline_text(const sitrep_timeline *t, int utf8, sitrep_buf *out) {
    static const char *const ramp_u[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                          "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char ramp_a[] = "_.-:=+*#";
    if (!t || !out) return SITREP_EINVAL;
    if (!t->nb) return buf_puts(out, "no events\n") ? SITREP_ENOMEM : SITREP_OK;
    size_t group = (t->nb + 99) / 100; /* at most 100 characters per line */
    size_t cols = (t->nb + group - 1) / group;
    if (buf_printf(out, "events per %s, %s .. %s (%zu %s%s)\n", bucket_word[t->bucket],
                   t->labels[0], t->labels[t->nb - 1], t->nb, bucket_word[t->bucket],
                   t->nb == 1 ? "" : "s"))
        return SITREP_ENOMEM;
    if (group > 1 && buf_printf(out, "(each mark: %zu %ss)\n", group, bucket_word[t->bucket]))
        return SITREP_ENOMEM;
    for (size_t s = 0; s < t->ns; s++) {
        long total = 0, max = 0;
        double gs = 0;
        for (size_t c = 0; c < cols; c++) {
            long v = 0;
            for (size_t b = c * group; b < (c + 1) * group && b < t->nb; b++) v += t->count[s * t->nb + b];
            if (v > max) max = v;
        }
        for (size_t b = 0; b < t->nb; b++) {
            total += t->count[s * t->nb + b];
            gs += t->gsum[s * t->nb + b];
        }
        if (buf_printf(out, "%-36s ", t->names[s])) return SITREP_ENOMEM;
        for (size_t c = 0; c < cols; c++) {
            long v = 0;
            for (size_t b = c * group; b < (c + 1) * group && b < t->nb; b++) v += t->count[s * t->nb + b];
            int lvl = v == 0 ? -1 : (int)((v * 7 + max - 1) / (max ? max : 1));
            if (lvl > 7) lvl = 7;
            int bad = lvl < 0 ? buf_puts(out, " ")
                              : utf8 ? buf_puts(out, ramp_u[lvl]) : buf_put(out, ramp_a + lvl, 1);
            if (bad) return SITREP_ENOMEM;
        }
        if (buf_printf(out, "  total %ld, max %ld", total, max) ||
            (total ? buf_printf(out, ", mean Goldstein %.2f\n", gs / (double)total) : buf_puts(out, "\n")))
            return SITREP_ENOMEM;
    }
    return SITREP_OK;
}

static int xml_text(sitrep_buf *b, const char *s) {
    for (; *s; s++) {
        int bad = *s == '<'   ? buf_puts(b, "&lt;")
                  : *s == '>' ? buf_puts(b, "&gt;")
                  : *s == '&' ? buf_puts(b, "&amp;")
                  : *s == '"' ? buf_puts(b, "&quot;")
                  : ((unsigned char)*s < 0x20) ? buf_puts(b, " ")
                                               : buf_put(b, s, 1);
        if (bad) return -1;
    }
    return 0;
}

/* A "nice" tick step giving at most ~6 ticks up to max. */
static double nice_step(double max) {
    if (max <= 0) return 1;
    double raw = max / 5, p = pow(10, floor(log10(raw))), m = raw / p;
    double step = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
    step *= p;
    return step < 1 ? 1 : step;
}

int sitrep_timeline_svg(const sitrep_timeline *t, const char *title, sitrep_buf *out) {
    static const char *const colors[10] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    if (!t || !out) return SITREP_EINVAL;
    const double W = 960, H = 560, L = 70, R = 250, T = 50;
    const double top_h = 290, gap = 60, bot_h = 120;
    const double pw = W - L - R, y0 = T + top_h, gy0 = y0 + gap, gy1 = gy0 + bot_h;
    long max = 0;
    for (size_t i = 0; i < t->ns * t->nb; i++)
        if (t->count[i] > max) max = t->count[i];
    double step = nice_step((double)max);
    double ymax = ceil((max ? (double)max : 1) / step) * step;
    size_t nb = t->nb ? t->nb : 1;
#define X(i) (L + (nb > 1 ? pw * (double)(i) / (double)(nb - 1) : pw / 2))
#define Y(v) (y0 - top_h * (double)(v) / ymax)
#define GY(g) (gy0 + bot_h * (10.0 - (g)) / 20.0)
    int e = buf_printf(out,
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                       "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
                       "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n"
                       "<text x=\"%.0f\" y=\"28\" font-size=\"16\" font-weight=\"bold\">",
                       W, H, W, H, W, H, L);
    e = e || xml_text(out, title && *title ? title : "sitrep timeline") || buf_puts(out, "</text>\n");
    /* count panel: grid, y ticks, axes */
    for (double v = 0; v <= ymax + 1e-9 && !e; v += step)
        e = buf_printf(out,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
                       L, Y(v), L + pw, Y(v), L - 6, Y(v) + 4, v);
    e = e || buf_printf(out,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n"
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n"
                        "<text x=\"18\" y=\"%.1f\" transform=\"rotate(-90 18 %.1f)\" "
                        "text-anchor=\"middle\">events per %s</text>\n",
                        L, T, L, y0, L, y0, L + pw, y0, T + top_h / 2, T + top_h / 2,
                        bucket_word[t->bucket]);
    /* x labels: at most 8 */
    size_t every = (t->nb + 7) / 8;
    if (!every) every = 1;
    for (size_t b = 0; b < t->nb && !e; b += every)
        e = buf_printf(out,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>"
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                       X(b), y0, X(b), y0 + 5, X(b), y0 + 20, t->labels[b]);
    /* Goldstein panel */
    e = e || buf_printf(out,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n"
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" "
                        "stroke-dasharray=\"4 3\"/>\n"
                        "<text x=\"18\" y=\"%.1f\" transform=\"rotate(-90 18 %.1f)\" "
                        "text-anchor=\"middle\">mean Goldstein</text>\n",
                        L, gy0, L, gy1, L, GY(0), L + pw, GY(0), (gy0 + gy1) / 2, (gy0 + gy1) / 2);
    for (int g = -10; g <= 10 && !e; g += 10)
        e = buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n", L - 6,
                       GY(g) + 4, g);
    e = e || buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                        L + pw / 2, gy1 + 30, bucket_word[t->bucket]);
    /* series */
    for (size_t s = 0; s < t->ns && !e; s++) {
        const char *c = colors[s % 10];
        e = buf_printf(out, "<g class=\"series\" data-name=\"");
        e = e || xml_text(out, t->names[s]) || buf_puts(out, "\">\n");
        e = e || buf_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", c);
        for (size_t b = 0; b < t->nb && !e; b++)
            e = buf_printf(out, "%s%.1f,%.1f", b ? " " : "", X(b), Y(t->count[s * t->nb + b]));
        e = e || buf_puts(out, "\"/>\n");
        if (t->nb <= 60)
            for (size_t b = 0; b < t->nb && !e; b++)
                if (t->count[s * t->nb + b])
                    e = buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s: %ld</title></circle>\n",
                                   X(b), Y(t->count[s * t->nb + b]), c, t->labels[b], t->count[s * t->nb + b]);
        /* Goldstein: a path broken where a bucket has no events */
        e = e || buf_printf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"", c);
        int pen = 0, any = 0;
        for (size_t b = 0; b < t->nb && !e; b++) {
            double g = mean(t, s, b);
            if (isnan(g)) { pen = 0; continue; }
            e = buf_printf(out, "%s%c%.1f %.1f", any ? " " : "", pen ? 'L' : 'M', X(b), GY(g));
            pen = any = 1;
        }
        if (!any && !e) e = buf_printf(out, "M%.1f %.1f", L, GY(0));
        e = e || buf_puts(out, "\"/>\n");
        for (size_t b = 0; b < t->nb && !e; b++) {
            double g = mean(t, s, b);
            if (!isnan(g))
                e = buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"><title>%s: %.2f</title></circle>\n",
                               X(b), GY(g), c, t->labels[b], g);
        }
        e = e || buf_puts(out, "</g>\n");
        /* legend */
        double ly = T + 10 + 20 * (double)s;
        e = e || buf_printf(out,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\">",
                            L + pw + 20, ly, c, L + pw + 40, ly + 10);
        e = e || xml_text(out, t->names[s]) || buf_puts(out, "</text>\n");
    }
    e = e || buf_puts(out, "</svg>\n");
#undef X
#undef Y
#undef GY
    return e ? SITREP_ENOMEM : SITREP_OK;
}
