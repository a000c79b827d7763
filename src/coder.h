/* coder.h - private structures of the coding stages (actors.c, events.c,
 * quantities in events.c) and the internal sitrep_doc / sitrep_ctx. */
#ifndef SITREP_CODER_H
#define SITREP_CODER_H
#include "doc.h"
#include "kb.h"
#include "sitrep.h"

typedef struct parse_model parse_model;
typedef struct geo_gaz geo_gaz;

struct sitrep_ctx {
    kb *k;               /* owned */
    parse_model *pm;     /* owned, may be NULL */
    geo_gaz *geo;        /* owned, may be NULL */
    int status;
    char err[1024];
    char *warnings;      /* owned */
    int include_negated; /* emit negated events (flagged) instead of dropping them */
    int prefilter;       /* 1: skip the parse of sentences that cannot hold an event
                            (0 when $SITREP_PARSE_ALL is set, to check that the output is the same) */
};

enum mention_kind { M_ACTOR = 1, M_PRONOUN, M_RELATIVE };

typedef struct mention {
    uint32_t first, last;    /* tokens [first, last) */
    uint32_t sent;
    uint32_t actor;          /* kb actor giving the main code, UINT32_MAX if none */
    uint32_t rule;           /* kb rule of that code, UINT32_MAX if none */
    char code[32];           /* composed code ("" if unknown) */
    char iso2[3];            /* country of the actor, if known */
    uint8_t kind;            /* enum mention_kind */
    uint8_t person;          /* a named person or a singular human agent */
    uint8_t plural;
    uint8_t has_country;     /* code starts with a country */
    uint8_t only_location;   /* country name used as a place ("in Qatar") */
    int32_t ante;            /* pronouns: antecedent mention index, -1 none */
    int32_t coord;           /* next mention coordinated with this one, -1 none */
    int32_t coord_head;      /* first mention of its coordination group */
} mention;

/* What the parse can change in a sentence, for skipping it (actors.c). */
enum {
    /* a parse could give it an event: an actor in it has a code, or could
     * with a parse (a coded agent word whose reading as a modifier depends
     * on the tags), or a pronoun of it has (or with parses might have) an
     * antecedent */
    SENT_MAY_CODE = 1,
    /* its mentions depend on its tags: it has an agent word that may be a
     * modifier ("military operations") */
    SENT_TAGGED_MENTIONS = 2
};

/* A phrase of the kb trie found at tokens [first, last) (actors.c). */
typedef struct actor_hit {
    uint32_t first, last;
    uint32_t phr;            /* kb phrase index */
} actor_hit;

typedef struct vmatch {
    uint32_t pat;            /* kb pattern index */
    uint32_t anchor;         /* anchor token */
    uint32_t first, last;    /* span of the words matched [first, last) */
    int32_t target, source;  /* mention filled by the + / $ slot, -1 none */
    int32_t src_used;        /* the source the coder settled on (for joined verbs) */
    uint32_t mstart;         /* first token of a modality marker ("pledged to") */
    uint8_t mod, mneg;       /* modality kind and whether the marker is negated */
    int score;
    uint8_t negated, passive;
} vmatch;

typedef struct doc_timing {
    int on;
    double sec[SITREP_NSTAGES];
} doc_timing;

struct sitrep_doc {
    doc d;
    doc_timing timing;       /* kept across articles */
    char err[512];
    char id[256];
    mention *m; uint32_t nm, mcap;
    vmatch *v; uint32_t nv, vcap;
    sitrep_event *ev; size_t nev, evcap;
    uint8_t *evclass;        /* per event: rank used to keep a sentence's main events (0 best) */
    sitrep_place *places; size_t nplaces;
    uint8_t *discard;        /* per sentence: 1 when out of scope */
    int32_t *tok_mention;    /* token -> mention index or -1 */
    sitrep_buf *trace;       /* when set, the coder writes its decisions here */
    int explain;             /* 1: parse every sentence (explain shows them all) */
    uint32_t (*tid)[4];      /* per token: coder_token_ids (events.c, arena) */
    uint8_t *tidn;           /* per token: how many of tid are set */
    uint8_t *ttime;          /* per token: 1 for a time word ("Friday", "again"; events.c) */
    actor_hit *hits;         /* phrase hits of the article, by sentence (actors.c, arena) */
    uint32_t *wid;           /* per token: kb word id of its lower form, 0 unknown (actors.c, arena) */
    uint32_t *hoff;          /* per sentence: first hit; hoff[nsents] = count; NULL until found */
    uint8_t *sflags;         /* per sentence: SENT_* (actors_find) */
};

/* Append one line of trace to sd->trace (no-op when tracing is off). */
void coder_trace(sitrep_doc *sd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Evaluate the arguments only when tracing is on (explain). */
#define TRACE(sd, ...) do { if ((sd)->trace) coder_trace((sd), __VA_ARGS__); } while (0)

/* The gazetteer and parser live in their own subsystems (geo*.c, parser.c);
 * the coder reaches them through these entry points, weak so that a build
 * without them still links (then no places / no parse are used). */
geo_gaz *geo_load(const char *path, char *err, size_t errlen) __attribute__((weak));
void geo_free(geo_gaz *g) __attribute__((weak));
int geo_find(const geo_gaz *g, doc *d, const char (*ctx_cc)[3], size_t n_cc, sitrep_place **out,
             size_t *nout) __attribute__((weak));
int geo_resolve_spans(const geo_gaz *g, doc *d, const uint32_t *spans, size_t nspans, const char (*ctx_cc)[3],
                      size_t n_cc, sitrep_place **out) __attribute__((weak));
const sitrep_place *geo_event_place(const doc *d, const sitrep_place *places, size_t nplaces, uint32_t sent,
                                    int32_t verb_tok, int32_t src_tok, int32_t tgt_tok) __attribute__((weak));

/* Would the place detection in sentence s read the tags (upos) of its
 * tokens? 1 when it might. The parse of a sentence with no possible event
 * is skipped only when this says 0 (or no gazetteer is loaded): the tags
 * can change which places are found there, and the places of one sentence
 * weigh in the resolution of the others. Weak: without it, such sentences
 * are parsed whenever a gazetteer is loaded. */
int geo_sentence_uses_tags(const geo_gaz *g, const doc *d, uint32_t s) __attribute__((weak));

/* petr_code.c: the coder for PETRARCH/TABARI dictionaries (weak: optional). */
int petr_code(const sitrep_ctx *c, sitrep_doc *sd) __attribute__((weak));

/* actors.c: find actor mentions in every sentence of d. 0 or -1 (OOM). */
int actors_find(const sitrep_ctx *c, sitrep_doc *sd);
/* actors.c: an agent with no country followed by "in/from/of PLACE" takes
 * the place's country ("police in Guinea" -> GINCOP). After places. */
int actors_localize(const sitrep_ctx *c, sitrep_doc *sd);
/* events.c: find verb patterns, assign source/target, fill sd->ev. */
int events_code(const sitrep_ctx *c, sitrep_doc *sd);
/* Append event e to sd->ev (copied; its strings must live in the article
 * arena) with its rank `cls` (0 best). 0 or -1 on OOM. */
int coder_push_event(sitrep_doc *sd, const sitrep_event *e, uint8_t cls);
/* "file:line" of kb rule `rule` in the article arena ("" if none). */
const char *coder_rule_str(const sitrep_ctx *c, sitrep_doc *sd, uint32_t rule);
/* The token ids a pattern word may match for token t: lower form, its bases
 * and the lemma. Returns the count (<= 4). */
int coder_token_ids(const kb *k, const token *t, uint32_t ids[4]);
#endif
