/* ctx.c - the context (everything loaded, read-only after sitrep_ctx_new)
 * and the per-article pipeline: repair -> segment -> tag+parse -> actors ->
 * places -> verbs/events. */
#include "coder.h"
#include "parse.h"
#include "segment.h"
#include "text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#pragma weak parse_model_load
#pragma weak parse_model_free
#pragma weak parse_sentence
#pragma weak tag_sentence
#pragma weak parse_upos_name
#pragma weak parse_deprel_name

/* Dictionary loaders in dict_petrarch.c / dict_tabari.c (weak: optional). */
int dict_load_petrarch(kb *k, const sitrep_options *o, char *err, size_t errlen) __attribute__((weak));
int dict_load_tabari(kb *k, const char *project, char *err, size_t errlen) __attribute__((weak));
/* petr_code (coder.h), the coder for PETRARCH/TABARI dictionaries: their
 * actor and pattern semantics differ from ours, so it replaces actors_find
 * and events_code when such dictionaries are loaded. */

const char *sitrep_version(void) { return SITREP_VERSION; }

const char *sitrep_default_home(void) {
    const char *h = getenv("SITREP_HOME");
    if (h && *h) return h;
#ifdef SITREP_HOME_DEFAULT
    return SITREP_HOME_DEFAULT;
#else
    return ".";
#endif
}

static int file_exists(const char *p) { return access(p, R_OK) == 0; }

sitrep_ctx *sitrep_ctx_new(const sitrep_options *opt) {
    sitrep_options o;
    memset(&o, 0, sizeof o);
    if (opt) o = *opt;
    sitrep_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->k = kb_new();
    if (!c->k) { free(c); return NULL; }
    const char *home = sitrep_default_home();
    char path[4096];
    int rc = SITREP_OK;
    if (o.tabari_project) {
        if (!dict_load_tabari) { rc = SITREP_EINVAL; snprintf(c->err, sizeof c->err, "TABARI dictionaries are not supported by this build"); }
        else rc = dict_load_tabari(c->k, o.tabari_project, c->err, sizeof c->err);
    } else if (o.petrarch_verbs || o.petrarch_actors) {
        if (!dict_load_petrarch) { rc = SITREP_EINVAL; snprintf(c->err, sizeof c->err, "PETRARCH dictionaries are not supported by this build"); }
        else rc = dict_load_petrarch(c->k, &o, c->err, sizeof c->err);
    } else {
        const char *dir = o.kb_dir;
        if (!dir) {
            snprintf(path, sizeof path, "%s/kb", home);
            dir = path;
        }
        rc = kb_load_native(c->k, dir, c->err, sizeof c->err);
    }
    if (rc) { c->status = rc; return c; }
    if (kb_index_roles(c->k)) {
        c->status = SITREP_ENOMEM;
        snprintf(c->err, sizeof c->err, "out of memory");
        return c;
    }
    c->include_negated = o.include_negated != 0;
    const char *pa = getenv("SITREP_PARSE_ALL");
    c->prefilter = !(pa && *pa && strcmp(pa, "0"));
    /* models */
    if (!(o.models_dir && !*o.models_dir) && parse_model_load) {
        char mp[4096];
        snprintf(mp, sizeof mp, "%s/models", home);
        const char *md = o.models_dir ? o.models_dir : mp;
        char err[512] = "";
        c->pm = parse_model_load(md, err, sizeof err);
        if (!c->pm && o.models_dir) {
            c->status = SITREP_EIO;
            snprintf(c->err, sizeof c->err, "%s", err);
            return c;
        }
    }
    /* gazetteer */
    if (!(o.gazetteer && !*o.gazetteer) && geo_load) {
        char gp[4096];
        snprintf(gp, sizeof gp, "%s/build/gazetteer.bin", home);
        const char *g = o.gazetteer ? o.gazetteer : gp;
        if (o.gazetteer || file_exists(g)) {
            char err[512] = "";
            c->geo = geo_load(g, err, sizeof err);
            if (!c->geo && o.gazetteer) {
                c->status = SITREP_EIO;
                snprintf(c->err, sizeof c->err, "%s", err);
                return c;
            }
        }
    }
    return c;
}

void sitrep_ctx_free(sitrep_ctx *c) {
    if (!c) return;
    kb_free(c->k);
    if (c->pm && parse_model_free) parse_model_free(c->pm);
    if (c->geo && geo_free) geo_free(c->geo);
    free(c->warnings);
    free(c);
}

int sitrep_ctx_status(const sitrep_ctx *c) { return c ? c->status : SITREP_ENOMEM; }
const char *sitrep_ctx_errmsg(const sitrep_ctx *c) { return c ? c->err : "out of memory"; }
const char *sitrep_ctx_warnings(const sitrep_ctx *c) {
    return c && c->k && c->k->warnings ? c->k->warnings : "";
}

/* ------------------------------------------------------------------ doc */
sitrep_doc *sitrep_doc_new(void) {
    sitrep_doc *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    arena_init(&d->d.a, 0);
    return d;
}

void sitrep_doc_free(sitrep_doc *d) {
    if (!d) return;
    arena_free(&d->d.a);
    free(d->d.tag_cache);
    free(d);
}

const char *sitrep_doc_errmsg(const sitrep_doc *d) { return d ? d->err : "out of memory"; }

static void doc_reset(sitrep_doc *sd) {
    arena a = sd->d.a;
    doc_timing t = sd->timing;
    void *tag_cache = sd->d.tag_cache;
    arena_reset(&a);
    memset(sd, 0, sizeof *sd);
    sd->d.a = a;
    sd->timing = t;
    sd->d.tag_cache = tag_cache;
}

static double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Stage clock: STAGE(sd, i) adds the time since the last mark to stage i. */
static void stage_mark(sitrep_doc *sd, int stage, double *last) {
    if (!sd->timing.on) return;
    double t = now_sec();
    if (stage >= 0) sd->timing.sec[stage] += t - *last;
    *last = t;
}

void sitrep_doc_timing(sitrep_doc *d, int on) {
    if (!d) return;
    d->timing.on = on;
    if (on) memset(d->timing.sec, 0, sizeof d->timing.sec);
}

void sitrep_doc_stage_seconds(const sitrep_doc *d, double out[SITREP_NSTAGES]) {
    for (int i = 0; i < SITREP_NSTAGES; i++) out[i] = d ? d->timing.sec[i] : 0;
}

static int fail(sitrep_doc *sd, int code, const char *msg) {
    snprintf(sd->err, sizeof sd->err, "%s", msg);
    return code;
}

/* Prepare: copy and repair the text, segment, tag and parse. */
/* Tag and (parse set) parse sentence s. A sentence the tagger finds no verb
 * in (headlines, tagging errors) is coded without its tags and parse: only
 * the lemmas are kept. 0 or -1 on OOM. */
static int analyse_one(const sitrep_ctx *c, doc *d, uint32_t s, int parse) {
    if (parse ? parse_sentence(c->pm, d, s) : tag_sentence(c->pm, d, s)) return -1;
    const sentence *S = &d->sents[s];
    int verb = 0;
    for (uint32_t i = S->first; i < S->first + S->count; i++)
        verb |= d->toks[i].upos == UPOS_VERB || d->toks[i].upos == UPOS_AUX;
    if (!verb)
        for (uint32_t i = S->first; i < S->first + S->count; i++) {
            d->toks[i].upos = 0;
            d->toks[i].deprel = 0;
            d->toks[i].head = -1;
        }
    return 0;
}

/* Copy and repair the text, segment it, and (parse_all) tag and parse every
 * sentence. */
static int prepare(const sitrep_ctx *c, sitrep_doc *sd, const sitrep_article *a, int parse_all) {
    int explain = sd->explain;
    doc_reset(sd);
    sd->explain = explain;
    if (!a || !a->text) return fail(sd, SITREP_EINVAL, "no article text");
    if (a->text_len > SITREP_MAX_ARTICLE_BYTES) return fail(sd, SITREP_ELIMIT, "article larger than the limit (16 MB)");
    doc *d = &sd->d;
    snprintf(sd->id, sizeof sd->id, "%.*s", (int)(a->id_len < 255 ? a->id_len : 255), a->id ? a->id : "");
    d->id = sd->id;
    if (a->date) {
        /* YYYY-MM-DD, as the readers require */
        size_t dl = strlen(a->date);
        if (dl != 10 || a->date[4] != '-' || a->date[7] != '-' || kb_parse_date(a->date, 10, 0) < 0)
            return fail(sd, SITREP_EINVAL, "date is not YYYY-MM-DD");
        d->date = kb_parse_date(a->date, 10, 0);
        memcpy(d->date_str, a->date, 10);
        d->date_str[10] = 0;
    }
    size_t bad = 0, len = 0;
    double t0 = 0;
    stage_mark(sd, -1, &t0);
    d->text = text_repair(&d->a, a->text, a->text_len, &len, &bad);
    if (!d->text) return fail(sd, SITREP_ENOMEM, "out of memory");
    d->len = len;
    d->repaired = (uint32_t)bad;
    stage_mark(sd, SITREP_STAGE_REPAIR, &t0);
    int sr = segment_doc(d, SITREP_MAX_SENTENCE_TOKENS);
    if (sr == -2) return fail(sd, SITREP_ELIMIT, "article has more tokens than the limit (1,000,000)");
    if (sr) return fail(sd, SITREP_ENOMEM, "out of memory");
    stage_mark(sd, SITREP_STAGE_SEGMENT, &t0);
    if (parse_all && c->pm && parse_sentence) {
        for (uint32_t s = 0; s < d->nsents; s++)
            if (analyse_one(c, d, s, 1)) return fail(sd, SITREP_ENOMEM, "out of memory");
    }
    stage_mark(sd, SITREP_STAGE_PARSE, &t0);
    return SITREP_OK;
}

/* Countries of the article's actors, for place disambiguation. */
static size_t actor_countries(const sitrep_doc *sd, char (*cc)[3], size_t max) {
    size_t n = 0;
    for (uint32_t i = 0; i < sd->nm && n < max; i++) {
        const mention *m = &sd->m[i];
        if (m->kind != M_ACTOR || !m->iso2[0]) continue;
        int dup = 0;
        for (size_t j = 0; j < n; j++) dup |= !memcmp(cc[j], m->iso2, 2);
        if (!dup) memcpy(cc[n++], m->iso2, 3);
    }
    return n;
}

int sitrep_code(const sitrep_ctx *c, sitrep_doc *sd, const sitrep_article *a) {
    if (!c || !sd) return SITREP_EINVAL;
    if (c->status) return fail(sd, c->status, c->err);
    /* Only sentences that mention an actor can hold an event: those are
     * tagged and parsed (all of them for explain), then their actors found
     * again with the parse. Of those, a sentence that yields no event with
     * or without a parse is not parsed when its parse matters to nothing
     * else (its mentions, seen by the next sentence's pronouns, and the
     * place detection, which reads tags only): one whose mentions cannot
     * give a coded source or target, or one discarded (sports, ...) whose
     * mentions do not depend on its tags. Such a sentence is still tagged
     * when the place detection would read its tags. */
    int rc = prepare(c, sd, a, sd->explain); /* the PETRARCH coder reads words only */
    if (rc) return rc;
    if (c->k->petrarch && petr_code) {
        if (petr_code(c, sd)) return fail(sd, SITREP_ENOMEM, "out of memory");
        return SITREP_OK;
    }
    double t0 = 0;
    stage_mark(sd, -1, &t0);
    if (actors_find(c, sd)) return fail(sd, SITREP_ENOMEM, "out of memory");
    stage_mark(sd, SITREP_STAGE_ACTORS, &t0);
    if (c->pm && parse_sentence && !sd->explain) {
        doc *d = &sd->d;
        uint32_t reread = 0; /* parsed sentences whose mentions read the parse */
        for (uint32_t mi = 0, last = UINT32_MAX; mi < sd->nm; mi++) {
            uint32_t s = sd->m[mi].sent;
            if (s == last) continue;
            last = s;
            if (c->prefilter &&
                (!(sd->sflags[s] & SENT_MAY_CODE) ||
                 (sd->discard[s] && !(sd->sflags[s] & SENT_TAGGED_MENTIONS)))) {
                /* no event can come of it: the place detection alone may want its tags */
                if (c->geo && (!geo_sentence_uses_tags || geo_sentence_uses_tags(c->geo, d, s)) &&
                    analyse_one(c, d, s, !tag_sentence))
                    return fail(sd, SITREP_ENOMEM, "out of memory");
                continue;
            }
            if (analyse_one(c, d, s, 1)) return fail(sd, SITREP_ENOMEM, "out of memory");
            /* only an agent word that may be a modifier reads the parse */
            if (sd->sflags[s] & SENT_TAGGED_MENTIONS) reread++;
        }
        stage_mark(sd, SITREP_STAGE_PARSE, &t0);
        if (reread) {
            if (actors_find(c, sd)) return fail(sd, SITREP_ENOMEM, "out of memory");
            stage_mark(sd, SITREP_STAGE_ACTORS, &t0);
        }
    }
    if (c->geo && geo_find) {
        char cc[32][3];
        size_t ncc = actor_countries(sd, cc, 32);
        if (geo_find(c->geo, &sd->d, (const char (*)[3])cc, ncc, &sd->places, &sd->nplaces))
            return fail(sd, SITREP_ENOMEM, "out of memory");
    }
    stage_mark(sd, SITREP_STAGE_PLACES, &t0);
    actors_localize(c, sd);
    if (events_code(c, sd)) return fail(sd, SITREP_ENOMEM, "out of memory");
    stage_mark(sd, SITREP_STAGE_EVENTS, &t0);
    return SITREP_OK;
}

int sitrep_segment(const sitrep_ctx *c, sitrep_doc *sd, const sitrep_article *a) {
    if (!c || !sd) return SITREP_EINVAL;
    if (c->status) return fail(sd, c->status, c->err);
    return prepare(c, sd, a, 1);
}

int sitrep_places(const sitrep_ctx *c, sitrep_doc *sd, const sitrep_article *a) {
    if (!c || !sd) return SITREP_EINVAL;
    if (c->status) return fail(sd, c->status, c->err);
    int rc = prepare(c, sd, a, 1);
    if (rc) return rc;
    if (actors_find(c, sd)) return fail(sd, SITREP_ENOMEM, "out of memory");
    if (!c->geo || !geo_find) return SITREP_OK;
    char cc[32][3];
    size_t ncc = actor_countries(sd, cc, 32);
    if (a->nspans) {
        if (geo_resolve_spans(c->geo, &sd->d, a->spans, a->nspans, (const char (*)[3])cc, ncc, &sd->places))
            return fail(sd, SITREP_ENOMEM, "out of memory");
        sd->nplaces = a->nspans;
        return SITREP_OK;
    }
    if (geo_find(c->geo, &sd->d, (const char (*)[3])cc, ncc, &sd->places, &sd->nplaces))
        return fail(sd, SITREP_ENOMEM, "out of memory");
    return SITREP_OK;
}

size_t sitrep_doc_nevents(const sitrep_doc *d) { return d ? d->nev : 0; }
const sitrep_event *sitrep_doc_event(const sitrep_doc *d, size_t i) { return d && i < d->nev ? &d->ev[i] : NULL; }
size_t sitrep_doc_nsentences(const sitrep_doc *d) { return d ? d->d.nsents : 0; }
size_t sitrep_doc_ntokens(const sitrep_doc *d) { return d ? d->d.ntoks : 0; }
size_t sitrep_doc_repaired(const sitrep_doc *d) { return d ? d->d.repaired : 0; }
size_t sitrep_doc_nplaces(const sitrep_doc *d) { return d ? d->nplaces : 0; }
const sitrep_place *sitrep_doc_place(const sitrep_doc *d, size_t i) {
    return d && i < d->nplaces ? &d->places[i] : NULL;
}
const char *sitrep_doc_text(const sitrep_doc *d, size_t *len) {
    if (len) *len = d ? d->d.len : 0;
    return d && d->d.text ? d->d.text : "";
}
int sitrep_doc_sentence(const sitrep_doc *d, size_t i, uint32_t *start, uint32_t *end) {
    if (!d || i >= d->d.nsents) return SITREP_EINVAL;
    *start = d->d.sents[i].start;
    *end = d->d.sents[i].end;
    return SITREP_OK;
}

int sitrep_doc_token(const sitrep_doc *d, size_t i, sitrep_token_view *out) {
    if (!d || i >= d->d.ntoks || !out) return SITREP_EINVAL;
    const token *t = &d->d.toks[i];
    out->start = t->start;
    out->end = t->end;
    out->sentence = t->sent;
    out->norm = t->norm;
    out->lemma = t->lemma;
    out->upos = parse_upos_name ? parse_upos_name(t->upos) : "_";
    out->xpos = t->xpos[0] ? t->xpos : "_";
    out->deprel = parse_deprel_name ? parse_deprel_name(t->deprel) : "_";
    out->head = t->head;
    return SITREP_OK;
}

int sitrep_kb_check(const char *kb_dir, sitrep_buf *out) {
    char path[4096];
    if (!kb_dir) {
        snprintf(path, sizeof path, "%s/kb", sitrep_default_home());
        kb_dir = path;
    }
    return kb_check_native(kb_dir, out);
}
