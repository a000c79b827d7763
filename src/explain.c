/* explain.c - why each event was or was not produced: tokens, tags and the
 * parse, actor mentions with the kb lines that coded them, pattern matches
 * and every decision of the coder, as plain text for a person. */
#include "coder.h"
#include "json.h"
#include "parse.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#pragma weak parse_upos_name
#pragma weak parse_deprel_name

void coder_trace(sitrep_doc *sd, const char *fmt, ...) {
    if (!sd->trace) return;
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    buf_put(sd->trace, tmp, (size_t)n);
    buf_put(sd->trace, "\n", 1);
}

static const char *rule_of(const sitrep_ctx *c, uint32_t rule, char *buf, size_t n) {
    if (rule == UINT32_MAX || rule >= c->k->nrules) return "-";
    snprintf(buf, n, "%s:%u", c->k->files[c->k->rules[rule].file], c->k->rules[rule].line);
    return buf;
}

int sitrep_explain(const sitrep_ctx *c, sitrep_doc *sd, const sitrep_article *a, sitrep_buf *out) {
    if (!c || !sd || !out) return SITREP_EINVAL;
    /* code with tracing into a scratch buffer, then lay it out */
    sitrep_buf tr = {0};
    sd->explain = 1;
    int rc = sitrep_code(c, sd, a);
    sd->explain = 0;
    if (rc) return rc;
    sd->trace = &tr;
    sd->nev = 0;
    rc = c->k->petrarch && petr_code ? petr_code(c, sd) : events_code(c, sd);
    sd->trace = NULL;
    if (rc) { sitrep_buf_free(&tr); return SITREP_ENOMEM; }
    const doc *d = &sd->d;
    buf_printf(out, "article %s, date %s: %u sentence%s, %u tokens\n", sd->id, d->date_str[0] ? d->date_str : "-",
               d->nsents, d->nsents == 1 ? "" : "s", d->ntoks);
    for (uint32_t s = 0; s < d->nsents; s++) {
        const sentence *S = &d->sents[s];
        buf_printf(out, "\n== sentence %u: %.*s\n", s, (int)(S->end - S->start), d->text + S->start);
        buf_puts(out, "tokens (index form lemma upos xpos head deprel; CoNLL-U style, head 0 = root):\n");
        for (uint32_t i = S->first; i < S->first + S->count; i++) {
            const token *t = &d->toks[i];
            buf_printf(out, "  %3u %-18s %-14s %-5s %-4s %3d %s\n", i - S->first + 1, t->norm, t->lemma,
                       parse_upos_name ? parse_upos_name(t->upos) : "_", t->xpos[0] ? t->xpos : "_",
                       t->head < 0 ? 0 : t->head - (int32_t)S->first + 1,
                       parse_deprel_name ? parse_deprel_name(t->deprel) : "_");
        }
        buf_puts(out, "actors:\n");
        int any = 0;
        for (uint32_t m = 0; m < sd->nm; m++) {
            const mention *x = &sd->m[m];
            if (x->sent != s) continue;
            any = 1;
            char rb[600];
            uint32_t ts = d->toks[x->first].start, te = d->toks[x->last - 1].end;
            if (x->kind == M_ACTOR)
                buf_printf(out, "  \"%.*s\" -> %s%s (%s)\n", (int)(te - ts), d->text + ts, x->code[0] ? x->code : "(no code)",
                           x->only_location ? " [a place here: not an actor]" : "", rule_of(c, x->rule, rb, sizeof rb));
            else {
                const mention *an = x->ante >= 0 ? &sd->m[x->ante] : NULL;
                buf_printf(out, "  \"%.*s\" -> %s (%s)\n", (int)(te - ts), d->text + ts,
                           an ? an->code : "unresolved", x->kind == M_RELATIVE ? "relative pronoun" : "pronoun");
            }
        }
        if (!any) buf_puts(out, "  (none)\n");
    }
    buf_puts(out, "\ndecisions:\n");
    if (tr.len) buf_put(out, tr.data, tr.len);
    buf_printf(out, "\n%zu event%s\n", sd->nev, sd->nev == 1 ? "" : "s");
    sitrep_buf_free(&tr);
    return SITREP_OK;
}
