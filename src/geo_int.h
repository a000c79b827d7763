/* geo_int.h - private structures of the geocoder, shared by geo.c (loading,
 * lookup, resolution) and geo_detect.c (mention detection, event place).
 * Nothing outside src/geo*.c includes this. */
#ifndef SITREP_GEO_INT_H
#define SITREP_GEO_INT_H
#include "geo.h"
#include "geo_fmt.h"

struct geo_gaz {
    void *map;                 /* owned: the mapped file */
    size_t size;
    const geo_hdr *h;
    const geo_rec *places;
    const uint32_t *slots;
    const geo_entry *ent;
    const uint32_t *post;
    const uint32_t *ccindex;   /* [676] */
    const char *str;
};

/* One mention being resolved. */
typedef struct geo_mention {
    uint32_t start, end;       /* byte span in d->text */
    int32_t tok;               /* first token, -1 when not from tokens */
    const uint32_t *post;      /* candidate postings (borrowed from the gazetteer) */
    uint32_t npost;
    int32_t qual;              /* mention that qualifies this one ("Paris, Texas"), -1 */
    uint8_t requested;         /* a span the caller asked for */
    uint8_t weak;              /* matched only part of the span */
    uint8_t qual_in;           /* the qualifier follows "in" ("X in Y"), not a comma */
    int32_t pick;              /* chosen place index, -1 none */
    double score;
} geo_mention;

/* Candidates of the name in s[0..len) with the usual variants (possessive,
 * "the", direction words, generic suffixes); weak set when only a part of the
 * name matched. Returns the number of postings (0 none). */
uint32_t geo_lookup_text(const geo_gaz *g, const char *s, size_t len, const uint32_t **post, int *weak);
/* Exact key lookup; NULL when absent. */
/* 1 when the text of d between byte offsets a and b joins two items of a
 * list of names: ", ", " and ", ", and ", " or ", ",". */
int geo_list_gap(const doc *d, uint32_t a, uint32_t b);

/* The places named s[0..len) when it is only a compass word ("Western",
 * "North West"), which geo_lookup_text turns away: for a caller that knows
 * the word names a region (an item of a list of provinces). 0 otherwise. */
uint32_t geo_lookup_compass(const geo_gaz *g, const char *s, size_t len, const uint32_t **post);

const geo_entry *geo_lookup_key(const geo_gaz *g, const char *key, size_t klen);
/* Choose a place for each mention (m[i].pick) using priors, actor countries,
 * qualifiers and the other mentions. Pure computation, no allocation failure
 * other than -1 on OOM for scratch space. */
int geo_resolve(const geo_gaz *g, const doc *d, geo_mention *m, size_t n, const char (*ctx_cc)[3], size_t n_cc);
/* Fill *p from mention m (strings in d->a). Returns 0 or -1 on OOM. */
int geo_fill(const geo_gaz *g, doc *d, const geo_mention *m, sitrep_place *p);
/* Detect mentions over the tokens of d; *out allocated in d->a. -1 on OOM. */
int geo_detect(const geo_gaz *g, doc *d, geo_mention **out, size_t *n);
/* 1 when the tokens after a mention make it an actor ("Washington said"). */
int geo_actorish(const doc *d, uint32_t start, uint32_t end);
/* Great-circle distance in km. */
double geo_km(double lat1, double lon1, double lat2, double lon2);

/* 1 when r is a named site of data/geo/sites (a university, a stadium, a
 * landmark), by its id. Its name is its own, so it is never a stray small town. */
static inline int geo_is_site(const geo_rec *r)
{
    return r->kind == GEO_K_CITY && r->geonameid <= -GEO_SITE_ID0 && r->geonameid > -2 * GEO_SITE_ID0;
}

#endif
