/* output.c - events and places as JSON Lines (CONTRACT.md shape plus the
 * fields of DESIGN.md) and TSV. */
#include "coder.h"
#include "json.h"
#include <stdlib.h>
#include <string.h>

void sitrep_buf_free(sitrep_buf *b) {
    if (!b) return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int sitrep_buf_put_char(sitrep_buf *b, char c) { return buf_put(b, &c, 1) ? SITREP_ENOMEM : SITREP_OK; }

static int jstr(sitrep_buf *b, const char *s) { return buf_json_str(b, s ? s : "", s ? strlen(s) : 0); }

static int actor_json(sitrep_buf *b, const sitrep_actor *a) {
    int rc = buf_puts(b, "{\"code\": ");
    rc |= jstr(b, a->code);
    rc |= buf_puts(b, ", \"text\": ");
    rc |= jstr(b, a->text);
    rc |= buf_puts(b, ", \"name\": ");
    rc |= jstr(b, a->name);
    if (a->text && *a->text) rc |= buf_printf(b, ", \"start\": %u, \"end\": %u", a->start, a->end);
    rc |= buf_puts(b, ", \"rule\": ");
    rc |= jstr(b, a->rule);
    rc |= buf_puts(b, "}");
    return rc;
}

static int place_fields(sitrep_buf *b, const sitrep_place *p) {
    int rc = buf_puts(b, "\"name\": ");
    rc |= jstr(b, p->name);
    if (p->geonameid) rc |= buf_printf(b, ", \"geonameid\": %ld, \"lat\": %.5f, \"lon\": %.5f", p->geonameid, p->lat, p->lon);
    else rc |= buf_puts(b, ", \"geonameid\": null, \"lat\": null, \"lon\": null");
    rc |= buf_puts(b, ", \"country_code\": ");
    rc |= jstr(b, p->country_code);
    rc |= buf_puts(b, ", \"admin1\": ");
    rc |= jstr(b, p->admin1);
    rc |= buf_puts(b, ", \"feature_code\": ");
    rc |= jstr(b, p->feature_code);
    rc |= buf_printf(b, ", \"start\": %u, \"end\": %u, \"text\": ", p->start, p->end);
    rc |= jstr(b, p->text);
    return rc;
}

int sitrep_event_json(const sitrep_doc *d, size_t i, sitrep_buf *b) {
    const sitrep_event *e = sitrep_doc_event(d, i);
    if (!e) return SITREP_EINVAL;
    int rc = buf_puts(b, "{\"article_id\": ");
    rc |= jstr(b, e->article_id);
    rc |= buf_printf(b, ", \"sentence\": %d, \"date\": ", e->sentence);
    rc |= jstr(b, e->date);
    rc |= buf_puts(b, ", \"source\": ");
    rc |= actor_json(b, &e->source);
    rc |= buf_puts(b, ", \"target\": ");
    rc |= actor_json(b, &e->target);
    rc |= buf_puts(b, ", \"cameo\": {\"code\": ");
    rc |= jstr(b, e->cameo);
    rc |= buf_puts(b, ", \"root\": ");
    rc |= jstr(b, e->root);
    rc |= buf_printf(b, ", \"goldstein\": %.1f, \"quad_class\": %d}", e->goldstein, e->quad_class);
    rc |= buf_puts(b, ", \"plover\": {\"type\": ");
    rc |= jstr(b, e->plover_type);
    rc |= buf_puts(b, ", \"mode\": ");
    rc |= jstr(b, e->plover_mode);
    rc |= buf_puts(b, "}, \"location\": ");
    if (e->location && e->location->geonameid) {
        rc |= buf_puts(b, "{");
        rc |= place_fields(b, e->location);
        rc |= buf_puts(b, "}");
    } else {
        rc |= buf_puts(b, "null");
    }
    rc |= buf_printf(b, ", \"negated\": %s, \"modality\": ", e->negated ? "true" : "false");
    rc |= jstr(b, e->modality);
    rc |= buf_puts(b, ", \"quantities\": [");
    for (int q = 0; q < e->nquantities; q++) {
        const sitrep_quantity *x = &e->quantities[q];
        if (x->value == (double)(long long)x->value) rc |= buf_printf(b, "%s{\"value\": %lld, \"unit\": ", q ? ", " : "", (long long)x->value);
        else rc |= buf_printf(b, "%s{\"value\": %g, \"unit\": ", q ? ", " : "", x->value);
        rc |= jstr(b, x->unit);
        rc |= buf_puts(b, ", \"what\": ");
        rc |= jstr(b, x->what);
        rc |= buf_puts(b, "}");
    }
    rc |= buf_puts(b, "], \"evidence\": {\"verb\": ");
    rc |= jstr(b, e->verb_text);
    rc |= buf_printf(b, ", \"start\": %u, \"end\": %u, \"rule\": ", e->verb_start, e->verb_end);
    rc |= jstr(b, e->rule);
    rc |= buf_puts(b, "}, \"sentence_text\": ");
    rc |= jstr(b, e->sentence_text);
    rc |= buf_puts(b, "}\n");
    return rc ? SITREP_ENOMEM : SITREP_OK;
}

int sitrep_tsv_header(sitrep_buf *b) {
    return buf_puts(b, "article_id\tsentence\tdate\tsource\ttarget\tcameo\troot\tgoldstein\tquad_class\t"
                       "plover\tlocation\tcountry_code\tlat\tlon\tnegated\tverb\trule\tsource_text\ttarget_text\t"
                       "sentence_text\n")
               ? SITREP_ENOMEM
               : SITREP_OK;
}

static int tsv(sitrep_buf *b, const char *s) { return buf_tsv_str(b, s ? s : "", s ? strlen(s) : 0); }

int sitrep_event_tsv(const sitrep_doc *d, size_t i, sitrep_buf *b) {
    const sitrep_event *e = sitrep_doc_event(d, i);
    if (!e) return SITREP_EINVAL;
    int rc = tsv(b, e->article_id);
    rc |= buf_printf(b, "\t%d\t", e->sentence);
    rc |= tsv(b, e->date);
    rc |= buf_puts(b, "\t");
    rc |= tsv(b, e->source.code);
    rc |= buf_puts(b, "\t");
    rc |= tsv(b, e->target.code);
    rc |= buf_printf(b, "\t%s\t%s\t%.1f\t%d\t", e->cameo, e->root, e->goldstein, e->quad_class);
    rc |= tsv(b, e->plover_type);
    rc |= buf_puts(b, "\t");
    if (e->location && e->location->geonameid) {
        rc |= tsv(b, e->location->name);
        rc |= buf_printf(b, "\t%s\t%.5f\t%.5f", e->location->country_code, e->location->lat, e->location->lon);
    } else {
        rc |= buf_puts(b, "\t\t\t");
    }
    rc |= buf_printf(b, "\t%d\t", e->negated);
    rc |= tsv(b, e->verb_text);
    rc |= buf_puts(b, "\t");
    rc |= tsv(b, e->rule);
    rc |= buf_puts(b, "\t");
    rc |= tsv(b, e->source.text);
    rc |= buf_puts(b, "\t");
    rc |= tsv(b, e->target.text);
    rc |= buf_puts(b, "\t");
    rc |= tsv(b, e->sentence_text);
    rc |= buf_puts(b, "\n");
    return rc ? SITREP_ENOMEM : SITREP_OK;
}

int sitrep_place_json(const sitrep_doc *d, size_t i, sitrep_buf *b) {
    const sitrep_place *p = sitrep_doc_place(d, i);
    if (!p) return SITREP_EINVAL;
    int rc = buf_puts(b, "{\"article_id\": ");
    rc |= jstr(b, d->id);
    rc |= buf_printf(b, ", \"start\": %u, \"end\": %u, \"text\": ", p->start, p->end);
    rc |= jstr(b, p->text);
    if (p->geonameid)
        rc |= buf_printf(b, ", \"geonameid\": %ld, \"lat\": %.5f, \"lon\": %.5f", p->geonameid, p->lat, p->lon);
    else
        rc |= buf_puts(b, ", \"geonameid\": null, \"lat\": null, \"lon\": null");
    rc |= buf_puts(b, ", \"name\": ");
    rc |= jstr(b, p->name);
    rc |= buf_puts(b, ", \"country_code\": ");
    rc |= jstr(b, p->country_code);
    rc |= buf_puts(b, ", \"feature_code\": ");
    rc |= jstr(b, p->feature_code);
    rc |= buf_puts(b, ", \"admin1\": ");
    rc |= jstr(b, p->admin1);
    rc |= buf_puts(b, "}\n");
    return rc ? SITREP_ENOMEM : SITREP_OK;
}
