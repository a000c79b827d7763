/* geo-try.c - a development driver for the geocoder without the CLI: reads
 * articles in a plain framing from standard input, segments them, resolves
 * the given spans (or detects places when there are none) and writes one
 * JSON object per place. Not installed; built by `make geo-try`.
 *
 * Input, per article:  ID TAB NSPANS TAB TEXTBYTES NL  TEXT NL  S E S E ... NL
 * Usage: geo-try GAZETTEER [CC,CC...]   (optional actor countries) */
#include "geo.h"
#include "segment.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void S_json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { putchar('\\'); putchar(c); }
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    char err[256], id[256];
    geo_gaz *g;
    char cc[16][3];
    size_t ncc = 0;
    unsigned long nsp, tl;
    if (argc < 2) { fprintf(stderr, "usage: geo-try GAZETTEER [CC,CC]\n"); return 2; }
    g = geo_load(argv[1], err, sizeof err);
    if (!g) { fprintf(stderr, "geo-try: %s\n", err); return 1; }
    if (argc > 2) {
        const char *p = argv[2];
        while (*p && ncc < 16) {
            cc[ncc][0] = p[0]; cc[ncc][1] = p[1]; cc[ncc][2] = 0; ncc++;
            p += 2;
            if (*p == ',') p++;
        }
    }
    while (scanf("%255[^\t]\t%lu\t%lu", id, &nsp, &tl) == 3) {
        doc d;
        char *text;
        uint32_t *spans;
        sitrep_place *pl = NULL;
        size_t np = 0, i;
        getchar();
        memset(&d, 0, sizeof d);
        arena_init(&d.a, 0);
        text = arena_alloc(&d.a, tl + 1);
        spans = arena_alloc(&d.a, (2 * nsp + 1) * sizeof *spans);
        if (!text || !spans || fread(text, 1, tl, stdin) != tl) return 1;
        text[tl] = 0;
        for (i = 0; i < 2 * nsp; i++) if (scanf("%u", &spans[i]) != 1) return 1;
        while (getchar() != '\n') {}
        d.text = text;
        d.len = tl;
        if (segment_doc(&d, 400) < 0) return 1;
        if (nsp) {
            if (geo_resolve_spans(g, &d, spans, nsp, (const char(*)[3])cc, ncc, &pl) < 0) return 1;
            np = nsp;
        } else if (geo_find(g, &d, (const char(*)[3])cc, ncc, &pl, &np) < 0) return 1;
        for (i = 0; i < np; i++) {
            const sitrep_place *p = &pl[i];
            printf("{\"article_id\": ");
            S_json_str(id);
            printf(", \"start\": %u, \"end\": %u, \"text\": ", p->start, p->end);
            S_json_str(p->text);
            if (p->geonameid)
                printf(", \"geonameid\": %ld, \"lat\": %.5f, \"lon\": %.5f, \"country_code\": \"%s\", \"feature_code\": \"%s\", \"name\": ",
                       p->geonameid, p->lat, p->lon, p->country_code, p->feature_code);
            else
                printf(", \"geonameid\": null, \"lat\": null, \"lon\": null, \"name\": ");
            S_json_str(p->name ? p->name : "");
            printf("}\n");
        }
        arena_free(&d.a);
    }
    geo_free(g);
    return 0;
}
