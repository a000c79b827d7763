/* geo.h - the gazetteer and context-aware geocoding (interface).
 *
 * A geo_gaz is the compiled gazetteer (build/gazetteer.bin, layout in
 * geo_fmt.h) mapped read-only: load once, share between threads. geo_find
 * detects and resolves the place mentions of a segmented doc, geo_resolve_spans
 * resolves given spans, geo_event_place picks an event's location among them.
 * Everything these return per article lives in the doc's arena. */
#ifndef SITREP_GEO_H
#define SITREP_GEO_H
#include <stddef.h>
#include <stdint.h>
#include "sitrep.h"
#include "doc.h"

typedef struct geo_gaz geo_gaz;

/* Map the compiled gazetteer at `path` and check its magic, version and
 * offsets. Returns the handle (caller owns: geo_free) or NULL with a message
 * in err (errlen bytes, may be 0). */
geo_gaz *geo_load(const char *path, char *err, size_t errlen);
void geo_free(geo_gaz *g); /* accepts NULL */

/* Detect and resolve place mentions in segmented doc d (tokens present;
 * upos/deprel present when a parser model is loaded, else 0). ctx_cc: ISO2
 * codes of the countries of the article's actors (context), n_cc of them.
 * *out (nout entries) is allocated in d->a, strings too. Mentions that act as
 * actors ("Washington said") are still listed: geo_event_place skips them.
 * Returns 0, or -1 on OOM. */
int geo_find(const geo_gaz *g, doc *d, const char (*ctx_cc)[3], size_t n_cc,
             sitrep_place **out, size_t *nout);

/* Resolve exactly the given [start,end) byte spans (2*nspans values) of
 * d->text, one place each in *out (nspans entries, in d->a), geonameid 0 when
 * nothing is found. d needs no tokens, but context from the rest of the text
 * is used when it has them. A span whose name is not in the gazetteer (a
 * street, a building) gets the article's focus place with feature_code
 * "NEAR". Returns 0, or -1 on OOM. */
int geo_resolve_spans(const geo_gaz *g, doc *d, const uint32_t *spans, size_t nspans,
                      const char (*ctx_cc)[3], size_t n_cc, sitrep_place **out);

/* Pick the event location among the places of the doc: the place attached to
 * the verb (token index verb_tok) or its arguments ("in X" attached to the
 * verb or its object), else the sentence's, else the dateline's; NULL when no
 * trustworthy place. src_tok/tgt_tok are token indexes of the actors or -1.
 * Returns a pointer into `places` (borrowed). */
const sitrep_place *geo_event_place(const doc *d, const sitrep_place *places, size_t nplaces,
                                    uint32_t sent, int32_t verb_tok, int32_t src_tok, int32_t tgt_tok);

#endif
