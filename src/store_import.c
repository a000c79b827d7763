/* store_import.c - merge events coded elsewhere (JSON Lines in the shape of
 * `sitrep code` output, e.g. from a Dask run) into the store. Consecutive
 * lines with the same article_id form one article, stored (without its text)
 * with its events through sitrep_store_add, so the import is idempotent like
 * any ingest. An optional top-level "outlet" member names the article's
 * source (for the clusters' sources count). Holds a small JSON tree parser
 * of its own (nested objects). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "store.h"

/* ------------------------------------------------------------------ JSON tree */

enum { JN_NULL, JN_FALSE, JN_TRUE, JN_NUM, JN_STR, JN_ARR, JN_OBJ };

typedef struct jnode {
    int type;
    double num;
    char *str;            /* JN_STR value (owned by the tree's string pool) */
    const char *key;      /* member name inside an object */
    int child, next;      /* first child, next sibling (indices, -1 none) */
} jnode;

typedef struct jtree {
    jnode *n;
    size_t len, cap;
    char **strs;          /* every string, owned */
    size_t nstrs, capstrs;
    const char *p, *end;
    const char *err;
} jtree;

static void jt_free(jtree *t) {
    for (size_t i = 0; i < t->nstrs; i++) free(t->strs[i]);
    free(t->strs);
    free(t->n);
    memset(t, 0, sizeof *t);
}

static int jt_node(jtree *t, int type) {
    if (t->len == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 64;
        jnode *n = realloc(t->n, nc * sizeof *n);
        if (!n) { t->err = "out of memory"; return -1; }
        t->n = n;
        t->cap = nc;
    }
    jnode *x = &t->n[t->len];
    memset(x, 0, sizeof *x);
    x->type = type;
    x->child = x->next = -1;
    return (int)t->len++;
}

static char *jt_keep(jtree *t, char *s) {
    if (!s) { t->err = "out of memory"; return NULL; }
    if (t->nstrs == t->capstrs) {
        size_t nc = t->capstrs ? 2 * t->capstrs : 32;
        char **v = realloc(t->strs, nc * sizeof *v);
        if (!v) { free(s); t->err = "out of memory"; return NULL; }
        t->strs = v;
        t->capstrs = nc;
    }
    t->strs[t->nstrs++] = s;
    return s;
}

static void jt_ws(jtree *t) {
    while (t->p < t->end && (*t->p == ' ' || *t->p == '\t' || *t->p == '\n' || *t->p == '\r')) t->p++;
}

static int hex4(const char *c, const char *e, unsigned *v) {
    if (e - c < 4) return -1;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int h = c[i];
        *v <<= 4;
        if (h >= '0' && h <= '9') *v |= (unsigned)(h - '0');
        else if (h >= 'a' && h <= 'f') *v |= (unsigned)(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') *v |= (unsigned)(h - 'A' + 10);
        else return -1;
    }
    return 0;
}

/* Append code point cp as UTF-8. */
static int put_utf8(sitrep_buf *b, unsigned cp) {
    char u[4];
    size_t n;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    return buf_put(b, u, n);
}

int store_json_string(const char **pp, const char *end, sitrep_buf *out, const char **why) {
    const char *p = *pp;
    int rc = -1;
    *why = "expected a string";
    if (p >= end || *p != '"') goto out;
    p++;
    rc = -2;
    if (buf_put(out, "", 0)) goto out;
    for (;;) {
        const char *run = p;
        while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) p++;
        rc = -2;
        if (p > run && buf_put(out, run, (size_t)(p - run))) goto out;
        rc = -1;
        *why = "unterminated string";
        if (p >= end) goto out;
        if (*p == '"') break;
        *why = "control character in a string";
        if (*p != '\\') goto out;
        *why = "unterminated string";
        if (++p >= end) goto out;
        char x = *p++;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = x ? strchr(from, x) : NULL;
        unsigned cp, lo;
        if (k) {
            rc = buf_put(out, &to[k - from], 1) ? -2 : 0;
        } else if (x == 'u') {
            *why = "bad \\u escape";
            if (hex4(p, end, &cp)) goto out;
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                !hex4(p + 2, end, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xD800 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            rc = put_utf8(out, cp) ? -2 : 0;
        } else {
            *why = "bad escape";
            goto out;
        }
        if (rc) goto out;
    }
    p++;
    rc = 0;
    *why = NULL;
out:
    if (rc == -2) *why = "out of memory";
    *pp = p;
    return rc;
}

static char *jt_string(jtree *t) {
    sitrep_buf b = {0};
    if (store_json_string(&t->p, t->end, &b, &t->err)) {
        sitrep_buf_free(&b);
        return NULL;
    }
    return jt_keep(t, b.data);
}

static int jt_value(jtree *t, int depth) {
    jt_ws(t);
    if (t->p >= t->end) { t->err = "unexpected end of line"; return -1; }
    if (depth > JSON_MAX_DEPTH) { t->err = "nested too deep"; return -1; }
    char c = *t->p;
    int x;
    if (c == '{' || c == '[') {
        int obj = c == '{';
        if ((x = jt_node(t, obj ? JN_OBJ : JN_ARR)) < 0) return -1;
        t->p++;
        jt_ws(t);
        int last = -1;
        if (t->p < t->end && *t->p == (obj ? '}' : ']')) { t->p++; return x; }
        for (;;) {
            const char *key = NULL;
            jt_ws(t);
            if (obj) {
                if (t->p >= t->end || *t->p != '"') { t->err = "expected a member name"; return -1; }
                if (!(key = jt_string(t))) return -1;
                jt_ws(t);
                if (t->p >= t->end || *t->p != ':') { t->err = "expected ':'"; return -1; }
                t->p++;
            }
            int v = jt_value(t, depth + 1);
            if (v < 0) return -1;
            t->n[v].key = key;
            if (last < 0) t->n[x].child = v; else t->n[last].next = v;
            last = v;
            jt_ws(t);
            if (t->p < t->end && *t->p == ',') { t->p++; continue; }
            if (t->p < t->end && *t->p == (obj ? '}' : ']')) { t->p++; return x; }
            t->err = obj ? "expected ',' or '}'" : "expected ',' or ']'";
            return -1;
        }
    }
    if (c == '"') {
        char *s = jt_string(t);
        if (!s || (x = jt_node(t, JN_STR)) < 0) return -1;
        t->n[x].str = s;
        return x;
    }
    static const struct { const char *w; int type; } lit[3] = {{"null", JN_NULL}, {"true", JN_TRUE}, {"false", JN_FALSE}};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(lit[i].w);
        if ((size_t)(t->end - t->p) >= n && !memcmp(t->p, lit[i].w, n)) {
            t->p += n;
            return jt_node(t, lit[i].type);
        }
    }
    if (c == '-' || isdigit((unsigned char)c)) {
        char num[64];
        size_t n = 0;
        while (t->p < t->end && n < sizeof num - 1 && strchr("+-0123456789.eE", *t->p)) num[n++] = *t->p++;
        num[n] = 0;
        char *e;
        double d = strtod(num, &e);
        if (*e) { t->err = "bad number"; return -1; }
        if ((x = jt_node(t, JN_NUM)) < 0) return -1;
        t->n[x].num = d;
        return x;
    }
    t->err = "unexpected character";
    return -1;
}

static int jt_get(const jtree *t, int obj, const char *key) {
    if (obj < 0 || t->n[obj].type != JN_OBJ) return -1;
    for (int c = t->n[obj].child; c >= 0; c = t->n[c].next)
        if (t->n[c].key && !strcmp(t->n[c].key, key)) return c;
    return -1;
}

static const char *jt_str(const jtree *t, int obj, const char *key) {
    int c = jt_get(t, obj, key);
    return c >= 0 && t->n[c].type == JN_STR ? t->n[c].str : "";
}

static double jt_num(const jtree *t, int obj, const char *key, double def) {
    int c = jt_get(t, obj, key);
    if (c < 0) return def;
    if (t->n[c].type == JN_NUM) return t->n[c].num;
    if (t->n[c].type == JN_TRUE) return 1;
    if (t->n[c].type == JN_FALSE) return 0;
    if (t->n[c].type == JN_STR && *t->n[c].str) return atof(t->n[c].str);
    return def;
}

/* [start, end] span member (or "start"/"end" members). */
static void jt_span(const jtree *t, int obj, const char *key, uint32_t *s, uint32_t *e) {
    int c = jt_get(t, obj, key);
    if (c >= 0 && t->n[c].type == JN_ARR) {
        int a = t->n[c].child, b = a >= 0 ? t->n[a].next : -1;
        if (a >= 0 && b >= 0 && t->n[a].type == JN_NUM && t->n[b].type == JN_NUM) {
            *s = (uint32_t)t->n[a].num;
            *e = (uint32_t)t->n[b].num;
        }
    }
}

/* ------------------------------------------------------------------ events */

typedef struct pending {
    jtree *trees;              /* one per line of the group, owned */
    sitrep_event *ev;
    sitrep_place *pl;
    sitrep_quantity *q;        /* all quantities of the group */
    size_t n, cap, nq, capq;
    char id[512];
    char date[16];
    char outlet[256];           /* optional "outlet" member: the article's source */
    int maxsent;
} pending;

static void pending_reset(pending *p) {
    for (size_t i = 0; i < p->n; i++) jt_free(&p->trees[i]);
    p->n = p->nq = 0;
    p->id[0] = p->date[0] = p->outlet[0] = 0;
    p->maxsent = -1;
}

static void fill_actor(const jtree *t, int o, sitrep_actor *a) {
    a->code = jt_str(t, o, "code");
    a->text = jt_str(t, o, "text");
    a->name = jt_str(t, o, "name");
    a->rule = jt_str(t, o, "rule");
    a->start = (uint32_t)jt_num(t, o, "start", 0);
    a->end = (uint32_t)jt_num(t, o, "end", 0);
    jt_span(t, o, "span", &a->start, &a->end);
}

/* Turn line tree t (root 0) into event *e (pointing into t) and place *pl. */
static int to_event(jtree *t, sitrep_event *e, sitrep_place *pl) {
    memset(e, 0, sizeof *e);
    memset(pl, 0, sizeof *pl);
    e->article_id = jt_str(t, 0, "article_id");
    if (!*e->article_id) { t->err = "no article_id"; return -1; }
    e->sentence = (int)jt_num(t, 0, "sentence", jt_num(t, 0, "sentence_index", 0));
    e->date = jt_str(t, 0, "date");
    fill_actor(t, jt_get(t, 0, "source"), &e->source);
    fill_actor(t, jt_get(t, 0, "target"), &e->target);
    int c = jt_get(t, 0, "cameo");
    const char *code = c >= 0 && t->n[c].type == JN_STR ? t->n[c].str : jt_str(t, c, "code");
    const char *root = jt_str(t, c, "root");
    snprintf(e->cameo, sizeof e->cameo, "%s", code);
    if (*root) snprintf(e->root, sizeof e->root, "%s", root);
    else { e->root[0] = e->cameo[0]; e->root[1] = e->cameo[0] ? e->cameo[1] : 0; e->root[2] = 0; }
    e->goldstein = jt_num(t, c, "goldstein", jt_num(t, 0, "goldstein", 0));
    e->quad_class = (int)jt_num(t, c, "quad_class", jt_num(t, 0, "quad_class", 0));
    int pv = jt_get(t, 0, "plover");
    e->plover_type = pv >= 0 && t->n[pv].type == JN_STR ? t->n[pv].str : jt_str(t, pv, "type");
    e->plover_mode = jt_str(t, pv, "mode");
    int l = jt_get(t, 0, "location");
    if (l >= 0 && t->n[l].type == JN_OBJ) {
        pl->name = jt_str(t, l, "name");
        pl->text = jt_str(t, l, "text");
        pl->geonameid = (long)jt_num(t, l, "geonameid", 0);
        pl->lat = jt_num(t, l, "lat", 0);
        pl->lon = jt_num(t, l, "lon", 0);
        snprintf(pl->country_code, sizeof pl->country_code, "%s",
                 *jt_str(t, l, "country_code") ? jt_str(t, l, "country_code") : jt_str(t, l, "country"));
        snprintf(pl->feature_code, sizeof pl->feature_code, "%s", jt_str(t, l, "feature_code"));
        pl->admin1 = jt_str(t, l, "admin1");
        pl->start = (uint32_t)jt_num(t, l, "start", 0);
        pl->end = (uint32_t)jt_num(t, l, "end", 0);
        jt_span(t, l, "span", &pl->start, &pl->end);
        e->location = pl;
    }
    int neg = jt_get(t, 0, "negated");
    e->negated = neg >= 0 && (t->n[neg].type == JN_TRUE || (t->n[neg].type == JN_NUM && t->n[neg].num != 0));
    e->modality = jt_str(t, 0, "modality");
    int ev = jt_get(t, 0, "evidence");
    e->verb_text = jt_str(t, ev, "verb");
    e->rule = jt_str(t, ev, "rule");
    e->verb_start = (uint32_t)jt_num(t, ev, "verb_start", jt_num(t, ev, "start", 0));
    e->verb_end = (uint32_t)jt_num(t, ev, "verb_end", jt_num(t, ev, "end", 0));
    jt_span(t, ev, "verb_span", &e->verb_start, &e->verb_end);
    e->sentence_text = jt_str(t, 0, "sentence_text");
    return 0;
}

static int flush_group(sitrep_store *st, pending *p, long *stored) {
    if (!p->n) return SITREP_OK;
    /* events point at places by index: fix the pointers now the arrays are final */
    size_t qi = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->ev[i].location) p->ev[i].location = &p->pl[i];
        if (p->ev[i].nquantities) {
            p->ev[i].quantities = &p->q[qi];
            qi += (size_t)p->ev[i].nquantities;
        }
    }
    sitrep_article a;
    memset(&a, 0, sizeof a);
    a.id = p->id;
    a.id_len = strlen(p->id);
    a.date = p->date[0] ? p->date : NULL;
    a.source = p->outlet[0] ? p->outlet : NULL;
    a.file = "events";
    int r = sitrep_store_add(st, &a, (size_t)(p->maxsent + 1), p->ev, p->n);
    pending_reset(p);
    if (r < 0) return r;
    *stored += r;
    return SITREP_OK;
}

static int add_line(pending *p, jtree *t) {
    if (p->n == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 16;
        jtree *tr = realloc(p->trees, nc * sizeof *tr);
        if (tr) p->trees = tr;
        sitrep_event *e = realloc(p->ev, nc * sizeof *e);
        if (e) p->ev = e;
        sitrep_place *pl = realloc(p->pl, nc * sizeof *pl);
        if (pl) p->pl = pl;
        if (!tr || !e || !pl) return -1;
        p->cap = nc;
    }
    p->trees[p->n] = *t;
    jtree *mine = &p->trees[p->n];
    if (to_event(mine, &p->ev[p->n], &p->pl[p->n])) {
        t->err = mine->err;
        return -2;
    }
    sitrep_event *e = &p->ev[p->n];
    int qa = jt_get(mine, 0, "quantities");
    if (qa >= 0 && mine->n[qa].type == JN_ARR)
        for (int c = mine->n[qa].child; c >= 0; c = mine->n[c].next) {
            if (p->nq == p->capq) {
                size_t nc = p->capq ? 2 * p->capq : 16;
                sitrep_quantity *q = realloc(p->q, nc * sizeof *q);
                if (!q) return -1;
                p->q = q;
                p->capq = nc;
            }
            p->q[p->nq].value = jt_num(mine, c, "value", 0);
            p->q[p->nq].unit = jt_str(mine, c, "unit");
            p->q[p->nq].what = jt_str(mine, c, "what");
            p->nq++;
            e->nquantities++;
        }
    if (!p->n) {
        snprintf(p->id, sizeof p->id, "%s", e->article_id);
        snprintf(p->date, sizeof p->date, "%s", e->date ? e->date : "");
        snprintf(p->outlet, sizeof p->outlet, "%s", jt_str(mine, 0, "outlet"));
    }
    if (e->sentence > p->maxsent) p->maxsent = e->sentence;
    p->n++;
    return 0;
}

int sitrep_store_import_events(sitrep_store *st, const char *path, sitrep_buf *errors) {
    if (!st) return SITREP_EINVAL;
    if (!st->db) return st->status ? st->status : SITREP_EDB;
    FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "rb");
    if (!f) return store_fail(st, SITREP_EIO, "%s: cannot open: %s", path, strerror(errno));
    pending p;
    memset(&p, 0, sizeof p);
    p.maxsent = -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, stored = 0, batch = 0;
    int rc = SITREP_OK;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        size_t k = 0;
        while (k < (size_t)n && isspace((unsigned char)line[k])) k++;
        if (k == (size_t)n) continue;
        if ((size_t)n > SITREP_MAX_LINE_BYTES) {
            if (errors) buf_printf(errors, "%s:%ld: line over the size limit\n", path, lineno);
            continue;
        }
        jtree t;
        memset(&t, 0, sizeof t);
        t.p = line;
        t.end = line + n;
        int root = jt_value(&t, 0);
        if (root == 0) {
            jt_ws(&t);
            if (t.p != t.end) { t.err = "trailing characters"; root = -1; }
            else if (t.n[0].type != JN_OBJ) { t.err = "not an object"; root = -1; }
        }
        if (root != 0) {
            if (errors) buf_printf(errors, "%s:%ld: %s\n", path, lineno, t.err ? t.err : "bad JSON");
            jt_free(&t);
            continue;
        }
        const char *aid = jt_str(&t, 0, "article_id");
        if (p.n && strcmp(aid, p.id)) {
            if (!batch && (rc = sitrep_store_begin(st))) { jt_free(&t); break; }
            if ((rc = flush_group(st, &p, &stored))) { jt_free(&t); break; }
            if (++batch >= 256) {
                if ((rc = sitrep_store_commit(st))) { jt_free(&t); break; }
                batch = 0;
            }
        }
        int a = add_line(&p, &t);
        if (a == -1) { jt_free(&t); rc = store_fail(st, SITREP_ENOMEM, "out of memory"); break; }
        if (a == -2) {
            if (errors) buf_printf(errors, "%s:%ld: %s\n", path, lineno, t.err ? t.err : "bad event");
            jt_free(&t);
        }
    }
    if (!rc && ferror(f)) rc = store_fail(st, SITREP_EIO, "%s: read error", path);
    if (!rc) {
        if (p.n && !batch) rc = sitrep_store_begin(st), batch = 1;
        if (!rc) rc = flush_group(st, &p, &stored);
    }
    if (batch) {
        if (rc) {
            pthread_mutex_lock(&st->mu);
            if (st->in_tx) { sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL); st->in_tx = 0; }
            pthread_mutex_unlock(&st->mu);
        } else {
            rc = sitrep_store_commit(st);
        }
    }
    pending_reset(&p);
    free(p.trees);
    free(p.ev);
    free(p.pl);
    free(p.q);
    free(line);
    if (f != stdin) fclose(f);
    return rc ? rc : (int)stored;
}
