/* kb_load.c - loader and linter for sitrep's own knowledge-base format
 * (docs/kb.md): cameo.txt, countries.txt, agents.txt, actors/NAME.txt,
 * verbs/NAME.txt, discards.txt, quantities.txt. */
#include "kb.h"
#include "json.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ld {
    kb *k;
    sitrep_buf *out;  /* lint mode: collect problems here */
    int problems;
    char *err;
    size_t errlen;
    const char *disp; /* display path of the current file */
    uint32_t file;
    long line;
    int stop;
    char last_code[8];   /* verb files: the last CAMEO code found in the table */
} ld;

static void problem(ld *L, const char *msg, const char *detail) {
    L->problems++;
    if (L->out) {
        buf_printf(L->out, "%s:%ld: %s%s%s\n", L->disp, L->line, msg, detail ? ": " : "", detail ? detail : "");
    } else if (!L->stop) {
        snprintf(L->err, L->errlen, "%s:%ld: %s%s%s", L->disp, L->line, msg, detail ? ": " : "", detail ? detail : "");
        L->stop = 1;
    }
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
    return s;
}

/* Strip a comment: '#' at the start or after white space. */
static void strip_comment(char *s) {
    for (char *p = s; *p; p++)
        if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) { *p = 0; return; }
}

/* Split s on '|' into at most max fields (trimmed). Returns the count. */
static int split_fields(char *s, char **f, int max) {
    int n = 0;
    char *p = s;
    for (;;) {
        char *bar = strchr(p, '|');
        if (bar) *bar = 0;
        if (n < max) f[n] = trim(p);
        n++;
        if (!bar) break;
        p = bar + 1;
    }
    return n;
}

static int valid_code(const char *c, int allow_digits) {
    if (!*c) return 0;
    for (const char *p = c; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (allow_digits && *p >= '0' && *p <= '9'))) return 0;
    return strlen(c) < 24;
}

typedef int (*line_fn)(ld *L, char *line);

static int each_line(ld *L, const char *path, const char *disp, line_fn fn, int required) {
    FILE *f = fopen(path, "rb");
    L->disp = disp;
    L->line = 0;
    if (!f) {
        if (!required && errno == ENOENT) return 0;
        problem(L, "cannot open", strerror(errno));
        return -1;
    }
    L->file = kb_file(L->k, disp);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&buf, &cap, f)) >= 0) {
        L->line++;
        if ((size_t)n > SITREP_MAX_LINE_BYTES / 32) {
            problem(L, "line too long", NULL);
            if (L->stop) { rc = -1; break; }
            continue;
        }
        if ((size_t)n != strlen(buf)) {
            problem(L, "NUL byte in line", NULL);
            if (L->stop) { rc = -1; break; }
            continue;
        }
        strip_comment(buf);
        char *s = trim(buf);
        if (!*s) continue;
        if (fn(L, s) < 0 || L->stop) { rc = -1; if (L->stop) break; }
    }
    free(buf);
    fclose(f);
    return L->stop ? -1 : rc < 0 && !L->out ? -1 : 0;
}

/* ------------------------------------------------------------------ cameo.txt */
static int cameo_line(ld *L, char *s) {
    char *f[6];
    int n = split_fields(s, f, 6);
    if (n != 6) { problem(L, "want 6 fields: code | goldstein | quad | plover | mode | name", NULL); return -1; }
    size_t cl = strlen(f[0]);
    for (size_t i = 0; i < cl; i++)
        if (f[0][i] < '0' || f[0][i] > '9') cl = 0;
    if (cl < 2 || cl > 4) { problem(L, "bad CAMEO code", f[0]); return -1; }
    char *end;
    double g = strtod(f[1], &end);
    if (end == f[1] || *end || g < -10 || g > 10) { problem(L, "bad Goldstein score", f[1]); return -1; }
    int q = atoi(f[2]);
    if (q < 1 || q > 4 || f[2][1]) { problem(L, "quad class must be 1-4", f[2]); return -1; }
    if (kb_cameo_get(L->k, f[0])) { problem(L, "duplicate CAMEO code", f[0]); return -1; }
    if (kb_cameo_add(L->k, f[0], g, q, f[3], f[4], f[5])) { problem(L, "out of memory", NULL); return -1; }
    return 0;
}

/* Add every ';'-separated phrase of `list` for actor a. */
static int add_phrases(ld *L, char *list, uint32_t a, uint8_t kind, uint32_t rule) {
    char *save = NULL;
    for (char *p = strtok_r(list, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
        char *t = trim(p);
        if (!*t) continue;
        int rc = kb_phrase_add(L->k, t, strlen(t), a, kind, rule, 1);
        if (rc < 0) { problem(L, "out of memory", NULL); return -1; }
        if (rc == 1) problem(L, "empty phrase", t);
        if (rc >= 2 && L->out) {
            const kb_rule *r = &L->k->rules[rc - 2];
            char msg[600];
            snprintf(msg, sizeof msg, "\"%s\" also names another actor at %s:%u", t, L->k->files[r->file], r->line);
            problem(L, msg, NULL);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ countries.txt */
static int country_line(ld *L, char *s) {
    char *f[5];
    int n = split_fields(s, f, 5);
    if (n < 3 || n > 5) { problem(L, "want: code | iso2 | names | demonyms | metonyms", NULL); return -1; }
    if (!valid_code(f[0], 0) || strlen(f[0]) != 3) { problem(L, "bad country code (3 capitals)", f[0]); return -1; }
    if (*f[1] && (strlen(f[1]) != 2 || !valid_code(f[1], 0))) { problem(L, "bad ISO alpha-2 code", f[1]); return -1; }
    uint32_t rule = kb_rule_add(L->k, L->file, (uint32_t)L->line);
    char name[128];
    const char *semi = strchr(f[2], ';');
    snprintf(name, sizeof name, "%.*s", semi ? (int)(semi - f[2]) : (int)strlen(f[2]), f[2]);
    uint32_t a = kb_actor_add(L->k, trim(name), KB_COUNTRY, rule);
    if (a == UINT32_MAX || kb_actor_code(L->k, a, f[0], 0, 0)) { problem(L, "out of memory", NULL); return -1; }
    memcpy(L->k->actors[a].iso2, f[1], strlen(f[1]) == 2 ? 3 : 1);
    if (add_phrases(L, f[2], a, KB_COUNTRY, rule)) return -1;
    if (n > 3 && add_phrases(L, f[3], a, KB_DEMONYM, rule)) return -1;
    if (n > 4 && add_phrases(L, f[4], a, KB_METONYM, rule)) return -1;
    return 0;
}

/* ------------------------------------------------------------------ agents.txt */
static int agent_line(ld *L, char *s) {
    char *f[2];
    int n = split_fields(s, f, 2);
    if (n != 2) { problem(L, "want: CODE | phrases", NULL); return -1; }
    if (!valid_code(f[0], 0) || strlen(f[0]) != 3) { problem(L, "bad agent code (3 capitals)", f[0]); return -1; }
    uint32_t rule = kb_rule_add(L->k, L->file, (uint32_t)L->line);
    uint32_t a = kb_actor_add(L->k, f[0], KB_AGENT, rule);
    if (a == UINT32_MAX || kb_actor_code(L->k, a, f[0], 0, 0)) { problem(L, "out of memory", NULL); return -1; }
    return add_phrases(L, f[1], a, KB_AGENT, rule);
}

/* ------------------------------------------------------------------ actors/NAME.txt */
static int named_line(ld *L, char *s) {
    char *f[2];
    int n = split_fields(s, f, 2);
    if (n != 2) { problem(L, "want: names | codes", NULL); return -1; }
    uint32_t rule = kb_rule_add(L->k, L->file, (uint32_t)L->line);
    char name[160];
    const char *semi = strchr(f[0], ';');
    snprintf(name, sizeof name, "%.*s", semi ? (int)(semi - f[0]) : (int)strlen(f[0]), f[0]);
    uint32_t a = kb_actor_add(L->k, trim(name), KB_NAMED, rule);
    if (a == UINT32_MAX) { problem(L, "out of memory", NULL); return -1; }
    if (strstr(L->disp, "people")) L->k->actors[a].person = 1;
    /* codes: CODE [FROM..TO] ; ... */
    char *save = NULL;
    int ncodes = 0;
    for (char *p = strtok_r(f[1], ";,", &save); p; p = strtok_r(NULL, ";,", &save)) {
        char *t = trim(p);
        if (!*t) continue;
        char *sp = strpbrk(t, " \t");
        char *range = NULL;
        if (sp) { *sp = 0; range = trim(sp + 1); }
        if (!valid_code(t, 0)) { problem(L, "bad actor code", t); return -1; }
        int from = 0, to = 0;
        if (range && *range) {
            char *dots = strstr(range, "..");
            if (!dots) { problem(L, "bad date range (want FROM..TO)", range); return -1; }
            *dots = 0;
            char *a1 = trim(range), *b1 = trim(dots + 2);
            if (*a1 && (from = kb_parse_date(a1, strlen(a1), 0)) < 0) { problem(L, "bad date", a1); return -1; }
            if (*b1 && (to = kb_parse_date(b1, strlen(b1), 1)) < 0) { problem(L, "bad date", b1); return -1; }
            if (from && to && from > to) { problem(L, "date range ends before it starts", NULL); return -1; }
        }
        /* overlapping ranges for one code */
        kb_actor *ac = &L->k->actors[a];
        for (uint32_t i = 0; i < ac->n; i++) {
            kb_code *c = &L->k->codes[ac->first + i];
            if (strcmp(c->code, t) || (!c->from && !c->to) || (!from && !to)) continue;
            int lo1 = c->from ? c->from : 0, hi1 = c->to ? c->to : 99999999;
            int lo2 = from ? from : 0, hi2 = to ? to : 99999999;
            if (lo1 < hi2 && lo2 < hi1) {
                /* a lint problem; at load time a warning (the first range wins) */
                if (L->out) problem(L, "overlapping date ranges for one code", t);
                else kb_warn(L->k, "%s:%ld: overlapping date ranges for one code: %s", L->disp, L->line, t);
            }
        }
        if (kb_actor_code(L->k, a, t, from, to)) { problem(L, "out of memory", NULL); return -1; }
        ncodes++;
    }
    if (!ncodes) { problem(L, "no code", NULL); return -1; }
    return add_phrases(L, f[0], a, KB_NAMED, rule);
}

/* ------------------------------------------------------------------ verbs/NAME.txt */
static int verb_line(ld *L, char *s) {
    char *f[2];
    int n = split_fields(s, f, 2);
    if (n != 2) { problem(L, "want: code | pattern", NULL); return -1; }
    size_t cl = strlen(f[0]);
    for (size_t i = 0; i < cl; i++)
        if (f[0][i] < '0' || f[0][i] > '9') cl = 0;
    if (cl < 2 || cl > 4) { problem(L, "bad CAMEO code", f[0]); return -1; }
    if (L->k->ncameo && strcmp(L->last_code, f[0])) {
        /* consecutive lines mostly share their code: look it up once */
        if (!kb_cameo_get(L->k, f[0])) { problem(L, "unknown CAMEO code", f[0]); return -1; }
        snprintf(L->last_code, sizeof L->last_code, "%s", f[0]);
    }
    kb_pelem el[32];
    uint32_t ne = 0;
    char *save = NULL;
    int words = 0;
    for (char *w = strtok_r(f[1], " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (ne == 32) { problem(L, "pattern longer than 32 words", NULL); return -1; }
        if (!strcmp(w, "+")) { el[ne].type = PE_TARGET; el[ne++].word = 0; continue; }
        if (!strcmp(w, "$")) { el[ne].type = PE_SOURCE; el[ne++].word = 0; continue; }
        for (char *c = w; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
        uint32_t id = kb_word_with_forms(L->k, w, strlen(w));
        if (!id) { problem(L, "out of memory", NULL); return -1; }
        el[ne].type = PE_WORD;
        el[ne++].word = id;
        words++;
    }
    if (!words) { problem(L, "pattern has no word", NULL); return -1; }
    if (el[0].type != PE_WORD) { problem(L, "pattern must start with its anchor word", NULL); return -1; }
    for (uint32_t i = 1; i < ne; i++)
        if (el[i].type != PE_WORD && el[i - 1].type != PE_WORD) {
            problem(L, "two slots in a row can never both fill", NULL);
            return -1;
        }
    uint32_t rule = kb_rule_add(L->k, L->file, (uint32_t)L->line);
    /* duplicate pattern lines: a hash of the elements finds the earlier one */
    uint64_t h = 1469598103934665603ULL;
    for (uint32_t i = 0; i < ne; i++) {
        h ^= ((uint64_t)el[i].word << 8) | el[i].type;
        h *= 1099511628211ULL;
    }
    h |= 1; /* never 0 (the empty key) */
    /* duplicates only matter to the linter: loading skips the lookup (a
     * repeated line matches like the first, which wins any tie) */
    uint32_t prev = L->out ? u64map_get(&L->k->pathash, h) : 0;
    if (prev) {
        kb_pattern *p = &L->k->pats[prev - 1];
        if (p->n == ne && !memcmp(L->k->pelems + p->first, el, ne * sizeof *el)) {
            char msg[160];
            kb_rule *r = &L->k->rules[p->rule];
            if (strcmp(p->code, f[0]))
                snprintf(msg, sizeof msg, "same pattern as %s:%u, which gives %s (the first one wins)", L->k->files[r->file],
                         r->line, p->code);
            else
                snprintf(msg, sizeof msg, "duplicate of %s:%u", L->k->files[r->file], r->line);
            if (L->out) problem(L, msg, NULL);
            else kb_warn(L->k, "%s:%ld: %s", L->disp, L->line, msg);
            return 0;
        }
    } else if (L->out && u64map_put(&L->k->pathash, h, (uint32_t)L->k->npats + 1)) {
        problem(L, "out of memory", NULL);
        return -1;
    }
    if (kb_pattern_add(L->k, f[0], el, ne, 0, rule, 0)) { problem(L, "out of memory", NULL); return -1; }
    return 0;
}

/* ------------------------------------------------------------------ discards.txt */
static int discard_line(ld *L, char *s) {
    uint32_t rule = kb_rule_add(L->k, L->file, (uint32_t)L->line);
    int rc = kb_phrase_add(L->k, s, strlen(s), 0, KB_DISCARD, rule, 0);
    if (rc < 0) { problem(L, "out of memory", NULL); return -1; }
    return 0;
}

/* ------------------------------------------------------------------ nonactors.txt */
static int nonactor_line(ld *L, char *s) {
    uint32_t rule = kb_rule_add(L->k, L->file, (uint32_t)L->line);
    int rc = kb_phrase_add(L->k, s, strlen(s), 0, KB_NONACTOR, rule, 1);
    if (rc < 0) { problem(L, "out of memory", NULL); return -1; }
    if (rc == 1) problem(L, "empty phrase", s);
    return 0;
}

/* ------------------------------------------------------------------ quantities.txt */
static int quantity_line(ld *L, char *s) {
    char *f[2];
    int n = split_fields(s, f, 2);
    if (n != 2 || !*f[0]) { problem(L, "want: unit | words", NULL); return -1; }
    kb *k = L->k;
    int number = f[0][0] == '=';
    long value = 0;
    if (number) {
        char *end;
        value = strtol(f[0] + 1, &end, 10);
        if (end == f[0] + 1 || *end || value < 0) { problem(L, "bad number", f[0]); return -1; }
    } else {
        if (k->nunits == k->units_cap) {
            size_t nc = k->units_cap ? k->units_cap * 2 : 32;
            const char **nu = realloc(k->unit_names, nc * sizeof *nu);
            if (!nu) { problem(L, "out of memory", NULL); return -1; }
            k->unit_names = nu;
            k->units_cap = nc;
        }
        k->unit_names[k->nunits] = arena_strndup(&k->a, f[0], strlen(f[0]));
        if (!k->unit_names[k->nunits]) { problem(L, "out of memory", NULL); return -1; }
        k->nunits++;
    }
    char *save = NULL;
    for (char *w = strtok_r(f[1], ";", &save); w; w = strtok_r(NULL, ";", &save)) {
        w = trim(w);
        if (!*w) continue;
        for (char *c = w; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
        uint32_t id = intern_add(&k->words, w, strlen(w));
        if (!id) { problem(L, "out of memory", NULL); return -1; }
        if (number ? u64map_put(&k->numwords, id, (uint32_t)value + 1)
                   : u64map_put(&k->units, id, (uint32_t)k->nunits)) {
            problem(L, "out of memory", NULL);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ driver */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Run fn over every *.txt file of dir/sub, in name order. */
static int each_file(ld *L, const char *dir, const char *base, const char *sub, line_fn fn) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (!d) return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") || e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        names[n] = strdup(e->d_name);
        if (names[n]) n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char fp[4096], disp[4096];
        snprintf(fp, sizeof fp, "%s/%s/%s", dir, sub, names[i]);
        snprintf(disp, sizeof disp, "%s/%s/%s", base, sub, names[i]);
        if (!rc && each_line(L, fp, disp, fn, 1)) rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static int load(ld *L, const char *dir) {
    char path[4096], disp[4096];
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    struct { const char *file; line_fn fn; int required; } parts[] = {
        {"cameo.txt", cameo_line, 1},
        {"countries.txt", country_line, 1},
        {"agents.txt", agent_line, 1},
        {"discards.txt", discard_line, 0},
        {"nonactors.txt", nonactor_line, 0},
        {"quantities.txt", quantity_line, 0},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, parts[i].file);
        snprintf(disp, sizeof disp, "%s/%s", base, parts[i].file);
        if (each_line(L, path, disp, parts[i].fn, parts[i].required) && !L->out) return SITREP_EFORMAT;
    }
    if (each_file(L, dir, base, "actors", named_line) && !L->out) return SITREP_EFORMAT;
    if (each_file(L, dir, base, "verbs", verb_line) && !L->out) return SITREP_EFORMAT;
    return L->problems ? SITREP_EFORMAT : SITREP_OK;
}

int kb_load_native(kb *k, const char *dir, char *err, size_t errlen) {
    ld L = {k, NULL, 0, err, errlen, "", 0, 0, 0, ""};
    err[0] = 0;
    return load(&L, dir);
}

int kb_check_native(const char *dir, sitrep_buf *out) {
    kb *k = kb_new();
    if (!k) return SITREP_ENOMEM;
    char err[8];
    ld L = {k, out, 0, err, sizeof err, "", 0, 0, 0, ""};
    load(&L, dir);
    if (k->wlen) buf_put(out, k->warnings, k->wlen);
    kb_free(k);
    return L.problems;
}
