/* geo_detect.c - finding place mentions in a segmented article, the public
 * entry points geo_find / geo_resolve_spans, and the choice of an event's
 * location among the article's places (geo_event_place).
 *
 * Detection is a longest-match walk over capitalised token runs (with the
 * small words names contain: "Bosnia and Herzegovina", "Rio de Janeiro"),
 * filtered against the usual false friends: parts of longer proper names
 * ("Michael Jordan", "Paris Hilton"), sentence-initial common words, codes,
 * months. Demonyms ("Turkish") count as mentions of their country. */
#include "geo_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int S_in(const char *w, const char *const *list)
{
    size_t i;
    for (i = 0; list[i]; i++) if (!strcmp(w, list[i])) return 1;
    return 0;
}

/* small words inside multi-word names */
static const char *const CONNECT[] = {
    "of", "de", "del", "la", "le", "les", "al", "el", "and", "upon", "on", "the", "du", "des", "da",
    "do", "dos", "das", "di", "van", "von", "der", "den", "y", "sur", "am", "an", "im", "-", ".",
    "'", "es", "ash", "ad", "as", "at", "bin", "ibn", "en", NULL };
/* capitalised words that are names of some village somewhere but rarely places in news */
static const char *const STOP[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "god", "police", "president", "minister", "prime", "mr", "mrs", "ms",
    "dr", "king", "queen", "prince", "pope", "general", "gen", "said", "says", "but", "and", "the",
    "this", "that", "these", "those", "there", "here", "when", "while", "after", "before", "if",
    "as", "at", "in", "on", "of", "for", "with", "by", "from", "to", "a", "an", "it", "he", "she",
    "we", "they", "his", "her", "their", "our", "its", "i", "you", "one", "two", "three", "new",
    "more", "most", "many", "some", "all", "no", "not", "so", "also", "however", "meanwhile",
    "officials", "government", "army", "union", "republic", "state", "city", "university",
    "hospital", "council", "court", "house", "senate", "congress", "parliament", "party",
    "news", "times", "post", "press", "media", "today", "tonight", "yesterday", "tomorrow",
    "mass", "mobile", "reading", "unity", "independence", "victory", "liberty", "hope", "justice",
    "progress", "enterprise", "commerce", "industry", "friendship", "paradise", "eden", "ma",
    "amid", "despite", "during", "under", "over", "between", "against", "than", "then", "now",
    "chief", "director", "official", "secretary", "spokesman", "spokeswoman", "leader", "mayor",
    "governor", "senator", "judge", "captain", "colonel", "major", "sergeant", "lieutenant",
    "north", "south", "east", "west", "central", "western", "eastern", "northern", "southern",
    "christmas", "easter", "ramadan", "western", "soviet", "islamic", "arab", "muslim", "christian",
    "jewish", "catholic", "sunni", "shia", "shiite", "centre", "center", "coast", "interior", "valley", NULL };
#define MAX_MENTIONS 4000   /* context mentions added to the spans in spans mode */
#define MAX_FOCUS 1000      /* mentions weighed for the article's focus */
#define STRAY_MIN 3         /* places in one country that make a lone small town abroad doubtful */
#define STRAY_POP 20000     /* ... a town smaller than this */
#define W_DATELINE 6.0      /* the dateline's town counts for this many more mentions in the choice of the focus */
#define FAR_KM 300          /* a small town this far from the focus, alone, is doubtful */
#define BIG_POP 1000000     /* ... and never a city this large, even matched in part ("the New York Auto Show") */
#define UNIQUE_POP 10000    /* ... unless it is the only place of its name, of this many people, in the focus's country */
#define RESOLVE_SLICE 4000  /* geo_find resolves longer articles in slices of this many mentions */

/* titles before a person's name */
static const char *const TITLE[] = {
    "mr", "mrs", "ms", "dr", "president", "sen", "senator", "rep", "gov", "governor", "minister",
    "prime", "general", "gen", "col", "lt", "sgt", "capt", "captain", "judge", "justice", "secretary",
    "chancellor", "king", "queen", "prince", "princess", "pope", "sir", "lord", "lady", "coach",
    "officer", "detective", "chief", "mayor", "ambassador", "spokesman", "spokeswoman", "director",
    "professor", "prof", "cardinal", "bishop", "rev", "reverend", "sheikh", "emir", "ayatollah", NULL };
/* generic place words that extend a name ("Kandahar province") */
static const char *const GENERIC[] = {
    "province", "state", "city", "county", "region", "district", "governorate", "prefecture",
    "oblast", "island", "islands", "municipality", "territory", "valley", "camp", NULL };
/* words after a name that make it a disease's ("West Nile virus", "Rift Valley
   fever", "Lyme disease"), not a place */
static const char *const DISEASE[] = {
    "virus", "viruses", "fever", "disease", "encephalitis", "syndrome", NULL };
/* words after a name that make it an agreement's ("the Minsk agreements",
   "the Louvre accord", "the Kyoto protocol"): named after where it was made,
   it says nothing of where the sentence's event happens */
static const char *const AGREEMENT[] = {
    "accord", "accords", "agreement", "agreements", "pact", "treaty", "protocol", "protocols",
    "convention", "conventions", "consensus", "doctrine", NULL };
/* words after a mention that make it an actor ("Washington said") */
static const char *const ACTOR_VERB[] = {
    "said", "says", "say", "warned", "warns", "announced", "announces", "accused", "accuses",
    "told", "tells", "wants", "wanted", "urged", "urges", "called", "calls", "condemned",
    "condemns", "denied", "denies", "rejected", "rejects", "insisted", "insists", "claimed",
    "claims", "demanded", "demands", "threatened", "threatens", "agreed", "agrees", "signed",
    "signs", "responded", "responds", "believes", "believed", "hopes", "hoped", "fears", "feared",
    "plans", "planned", "refused", "refuses", "stated", "states", "added", "noted", "argued",
    "argues", "asked", "asks", "has", "have", "had", "will", "would", "could", "should", "must",
    "may", "might", "is", "was", "are", "were", "did", "does", "sent", "sends", "launched",
    "launches", "imposed", "imposes", "backed", "backs", "supports", "supported", "opposed",
    "opposes", "sought", "seeks", "recognized", "recognised", "recognizes", "recognises",
    "expelled", "expels", "summoned", "summons", "vowed", "vows", NULL };
/* prepositions that make the following name a location */
static const char *const LOC_PREP[] = {
    "in", "at", "near", "outside", "inside", "into", "across", "throughout", "around", "towards",
    "toward", "within", "off", "along", "over", "to", "from", "on", "via", "through", "between", NULL };

static int S_upper_tok(const token *t) { return (t->flags & (TOK_CAP | TOK_ALLCAP)) != 0; }

typedef struct cand_info { int country, adm1, main, seat; uint32_t maxpop_main, maxpop; } cand_info;

static cand_info S_info(const geo_gaz *g, const uint32_t *post, uint32_t n)
{
    cand_info ci;
    uint32_t i;
    memset(&ci, 0, sizeof ci);
    for (i = 0; i < n; i++) {
        const geo_rec *r = &g->places[post[i] & GEO_POST_IDX];
        int alt = (post[i] & GEO_POST_ALT) != 0;
        if (r->kind == GEO_K_COUNTRY || r->kind == GEO_K_REGION || (post[i] & GEO_POST_DEM)) ci.country = 1;
        if (r->kind == GEO_K_ADM1) ci.adm1 = 1;
        if (!alt) {
            ci.main = 1;
            if (r->population > ci.maxpop_main) ci.maxpop_main = r->population;
            if (r->kind != GEO_K_CITY || !strncmp(r->fcode, "PPLA", 4) || !strncmp(r->fcode, "PPLC", 4)) ci.seat = 1;
        }
        if (r->population > ci.maxpop) ci.maxpop = r->population;
    }
    return ci;
}

/* 1 when token t is punctuation that opens a sentence-like unit (quotes, brackets). */
static int S_opener(const token *t)
{
    return (t->flags & TOK_PUNCT) && (t->lower[0] == '"' || t->lower[0] == '(' || t->lower[0] == '\'' ||
                                      t->lower[0] == '[' || t->lower[0] == '-' || t->lower[0] == ':');
}

/* See geo_int.h. */
int geo_actorish(const doc *d, uint32_t start, uint32_t end)
{
    uint32_t i;
    (void)start;
    for (i = 0; i < d->ntoks && d->toks[i].start < end; i++) {}
    if (i > 0 && d->toks[i - 1].start >= start && d->toks[i - 1].deprel == DEP_NSUBJ) return 1;
    if (i >= d->ntoks) return 0;
    if (!strcmp(d->toks[i].lower, "'s") || !strcmp(d->toks[i].lower, "\xe2\x80\x99s")) return 1;
    return S_in(d->toks[i].lower, ACTOR_VERB);
}

static int S_push(geo_mention **m, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 32;
        geo_mention *q = realloc(*m, nc * sizeof *q);
        if (!q) return -1;
        *m = q;
        *cap = nc;
    }
    memset(&(*m)[*n], 0, sizeof **m);
    (*m)[*n].qual = -1;
    (*m)[*n].pick = -1;
    (*n)++;
    return 0;
}

/* The gazetteer entry that tokens i..i+n-1 name when they can be a place
 * name - capitalised at both ends, only capitalised words or connectors
 * ("of", "de") between - else NULL. */
static const geo_entry *S_span_entry(const geo_gaz *g, const doc *d, uint32_t i, uint32_t n)
{
    const token *t = &d->toks[i], *lt = &d->toks[i + n - 1];
    char key[GEO_KEY_MAX];
    size_t kl;
    uint32_t k;
    if (!S_upper_tok(lt)) return NULL;
    for (k = i + 1; k < i + n - 1; k++)
        if (!S_upper_tok(&d->toks[k]) && !S_in(d->toks[k].lower, CONNECT)) return NULL;
    if (lt->end - t->start >= GEO_KEY_MAX) return NULL;
    kl = geo_norm_key(d->text + t->start, lt->end - t->start, key);
    return kl ? geo_lookup_key(g, key, kl) : NULL;
}

/* Detect mentions into a malloc'd array (caller frees). */
/* The longest candidate span (in tokens) that may start at token i of a
 * sentence ending at token end: 0 unless the token is a capitalised word.
 * S_detect and geo_sentence_uses_tags walk the same spans through it. */
static uint32_t S_span_max(const doc *d, uint32_t i, uint32_t end)
{
    const token *t = &d->toks[i];
    if (!S_upper_tok(t) || (t->flags & TOK_PUNCT)) return 0;
    return end - i < 6 ? end - i : 6;
}

static int S_detect(const geo_gaz *g, const doc *d, geo_mention **out, size_t *nout, size_t *cap)
{
    const char *names[128];   /* words seen inside people's names (borrowed from the tokens) */
    size_t nnames = 0;
    uint32_t s;
    for (s = 0; s < d->nsents; s++) {
        uint32_t first = d->sents[s].first, end = first + d->sents[s].count, i;
        if (end > d->ntoks) end = d->ntoks;
        for (i = first; i < end; i++) {
            const token *t = &d->toks[i];
            uint32_t n, maxn = S_span_max(d, i, end);
            for (n = maxn; n >= 1; n--) {
                uint32_t last = i + n - 1, mend;
                const token *lt = &d->toks[last];
                const geo_entry *e = S_span_entry(g, d, i, n);
                cand_info ci;
                int initial;
                if (!e) continue;
                ci = S_info(g, g->post + e->post, e->npost);
                initial = (i == first) || S_opener(&d->toks[i - 1]);
                if (n == 1 && S_in(t->lower, STOP)) break;
                if (last + 1 < end && S_in(d->toks[last + 1].lower, DISEASE)) {
                    /* and its other mentions are the disease's ("the Norwalk strain") */
                    if (n == 1 && !ci.country && nnames < sizeof names / sizeof *names) names[nnames++] = lt->lower;
                    break;
                }
                if (last + 1 < end && !ci.country && S_in(d->toks[last + 1].lower, AGREEMENT)) break;
                /* a name known only as some place's alternate name ("Hamas" for Hamm) */
                if (!ci.main && !ci.country && ci.maxpop < (n > 1 ? 50000u : 1000000u)) continue;
                if ((t->flags & TOK_ALLCAP) && n == 1 && t->end - t->start <= 3 && !ci.country) break;
                if (d->toks[i].upos && !ci.country) {
                    int u = d->toks[last].upos;
                    if (u != UPOS_PROPN && u != UPOS_NOUN && u != UPOS_ADJ && u != UPOS_X) break;
                }
                if (initial && n == 1 && !ci.country && !ci.adm1 && ci.maxpop_main < 20000) break;
                /* a one-word name known only as a hamlet's (under 1,000 people, no
                   seat) is far more often a person's or a common word ("Lucy", "Lakes") */
                if (n == 1 && !ci.country && !ci.adm1 && !ci.seat && ci.maxpop_main > 0 && ci.maxpop_main < 1000) break;
                if (!ci.country) {
                    const token *pv = i > first ? &d->toks[i - 1] : NULL;
                    int person = 0;
                    size_t q;
                    if (pv && !strcmp(pv->lower, ".") && i - 1 > first) pv = &d->toks[i - 2];
                    /* "President Obama", "Mr. Burton" */
                    if (pv && S_in(pv->lower, TITLE)) person = 1;
                    /* part of a longer proper name: "Michael Jordan", "Paris Hilton" */
                    else if (!initial && i > first && S_upper_tok(&d->toks[i - 1]) && !(d->toks[i - 1].flags & TOK_PUNCT) &&
                             !S_in(d->toks[i - 1].lower, CONNECT) && !S_in(d->toks[i - 1].lower, STOP))
                        person = 1;
                    else if (last + 1 < end && S_upper_tok(&d->toks[last + 1]) && !(d->toks[last + 1].flags & TOK_PUNCT) &&
                             !S_in(d->toks[last + 1].lower, GENERIC))
                        person = 2;   /* or an organisation: "Edmonton Police Service" */
                    /* a name seen as part of a person's name stays a person's ("Merkel said") */
                    for (q = 0; !person && n == 1 && q < nnames; q++)
                        if (!strcmp(names[q], lt->lower)) person = 1;
                    /* "Chicago Bulls", "Boston police": well-known places modify organisations */
                    if (person == 2 && (ci.adm1 || ci.maxpop_main >= 100000)) person = 0;
                    if (person) {
                        if (person == 1 && n == 1 && !ci.adm1 && ci.maxpop_main < 100000 &&
                            nnames < sizeof names / sizeof *names)
                            names[nnames++] = lt->lower;
                        break;
                    }
                }
                mend = lt->end;
                if (last + 1 < end && S_in(d->toks[last + 1].lower, GENERIC) && !ci.country) {
                    mend = d->toks[last + 1].end;
                    last++;
                }
                if (S_push(out, nout, cap) < 0) return -1;
                {
                    geo_mention *m = &(*out)[*nout - 1];
                    m->start = t->start;
                    m->end = mend;
                    m->tok = (int32_t)i;
                    m->post = g->post + e->post;
                    m->npost = e->npost;
                }
                i = last;
                break;
            }
        }
    }
    return 0;
}

/* 1 when a detected mention is surely a place: a country, demonym, region
 * or admin-1. Towns are left out: in passing, a town's name is as often a
 * person's ("Mary", "Bolton", "Paul"), and the caller's spans name the towns. */
static int S_sure(const geo_gaz *g, const geo_mention *m)
{
    cand_info ci = S_info(g, m->post, m->npost);
    return ci.country || ci.adm1;
}

/* a mention's start and index, for walking mentions in text order */
typedef struct spos { uint32_t start, idx; } spos;

static int S_cmp_spos(const void *a, const void *b)
{
    const spos *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Mentions in text order (malloc'd; caller frees); NULL on OOM. */
static spos *S_by_start(const geo_mention *m, size_t n)
{
    spos *o = malloc((n ? n : 1) * sizeof *o);
    size_t i;
    if (!o) return NULL;
    for (i = 0; i < n; i++) { o[i].start = m[i].start; o[i].idx = (uint32_t)i; }
    qsort(o, n, sizeof *o, S_cmp_spos);
    return o;
}

/* First position in sorted `o` whose start is >= pos. */
static size_t S_lower(const spos *o, size_t n, uint32_t pos)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o[mid].start < pos) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* 1 when d->text[a, b) says that what follows holds what precedes: " in ",
 * ", in ", " in the ", " in northeast ", " in southern " ("Lincoln County in southern
 * Nevada", "Wuhu in Anhui province"). */
static int S_in_gap(const doc *d, uint32_t a, uint32_t b)
{
    static const char *const DIR[] = {
        "northern ", "southern ", "eastern ", "western ", "central ", "northeastern ", "northwestern ",
        "southeastern ", "southwestern ", "northeast ", "northwest ", "southeast ", "southwest ",
        "north ", "south ", "east ", "west ", "the ", NULL };
    size_t k;
    if (b - a >= 5 && !memcmp(d->text + a, ", in ", 5)) a++;   /* "Salem, in Marion County" */
    if (b - a < 4 || memcmp(d->text + a, " in ", 4) != 0) return 0;
    a += 4;
    if (a == b) return 1;
    for (k = 0; DIR[k]; k++)
        if (b - a == strlen(DIR[k]) && !memcmp(d->text + a, DIR[k], b - a)) return 1;
    return 0;
}

/* Link "X, Y" and "X in Y" pairs: Y qualifies X when only a comma (and
 * space) or "in" (with a direction word) separates them. Returns 0, or -1
 * on OOM. */
static int S_link_qualifiers(const doc *d, geo_mention *m, size_t n)
{
    spos *o = S_by_start(m, n);
    size_t i, k;
    if (!o) return -1;
    for (i = 0; i < n; i++) {
        if (m[i].qual >= 0) continue;
        for (k = S_lower(o, n, m[i].end); k < n && o[k].start <= m[i].end + 18; k++) {
            uint32_t p, j = o[k].idx;
            int comma = 0, ok = 1;
            if (j == i || m[j].start < m[i].end) continue;
            if (S_in_gap(d, m[i].end, m[j].start)) { m[i].qual = (int32_t)j; m[i].qual_in = 1; break; }
            if (m[j].start > m[i].end + 3) continue;
            for (p = m[i].end; p < m[j].start && ok; p++) {
                char c = d->text[p];
                if (c == ',') comma++;
                else if (c != ' ') ok = 0;
            }
            if (ok && comma == 1) { m[i].qual = (int32_t)j; break; }
        }
    }
    free(o);
    return 0;
}

/* See geo_int.h. */
int geo_detect(const geo_gaz *g, doc *d, geo_mention **out, size_t *n)
{
    geo_mention *m = NULL, *a;
    size_t nm = 0, cap = 0;
    *out = NULL;
    *n = 0;
    if (S_detect(g, d, &m, &nm, &cap) < 0) { free(m); return -1; }
    a = nm ? arena_alloc(&d->a, nm * sizeof *a) : NULL;
    if (nm && !a) { free(m); return -1; }
    if (nm) memcpy(a, m, nm * sizeof *a);
    free(m);
    *out = a;
    *n = nm;
    return 0;
}

/* See geo.h. */
int geo_find(const geo_gaz *g, doc *d, const char (*ctx_cc)[3], size_t n_cc, sitrep_place **out, size_t *nout)
{
    geo_mention *m = NULL;
    size_t nm = 0, cap = 0, i, k = 0;
    sitrep_place *p;
    *out = NULL;
    *nout = 0;
    if (!g || !d) return 0;
    if (S_detect(g, d, &m, &nm, &cap) < 0) goto oom;
    if (S_link_qualifiers(d, m, nm) < 0) goto oom;
    /* a very long article is resolved in slices, each its own context; a
       qualifier in another slice is dropped */
    for (i = 0; i < nm; i += RESOLVE_SLICE) {
        size_t len = nm - i < RESOLVE_SLICE ? nm - i : RESOLVE_SLICE, j;
        for (j = i; j < i + len; j++)
            if (m[j].qual >= 0) {
                if ((size_t)m[j].qual < i || (size_t)m[j].qual >= i + len) m[j].qual = -1;
                else m[j].qual -= (int32_t)i;
            }
        if (geo_resolve(g, d, m + i, len, ctx_cc, n_cc) < 0) goto oom;
    }
    p = nm ? arena_alloc(&d->a, nm * sizeof *p) : NULL;
    if (nm && !p) goto oom;
    for (i = 0; i < nm; i++) {
        if (m[i].pick < 0) continue;
        if (geo_fill(g, d, &m[i], &p[k]) < 0) goto oom;
        k++;
    }
    free(m);
    *out = p;
    *nout = k;
    return 0;
oom:
    free(m);
    return -1;
}

/* 1 when mention m is the article's dateline: its first words, in capitals,
 * followed by a dash, a comma or a parenthesis ("NAIROBI - ", "DAYTON, Ohio (AP)"). */
static int S_dateline(const doc *d, const geo_mention *m)
{
    uint32_t i;
    int letters = 0;
    if (m->end <= m->start || m->end >= d->len) return 0;
    for (i = 0; i < m->start; i++)
        if (d->text[i] != ' ' && d->text[i] != '\n' && d->text[i] != '\r' && d->text[i] != '\t') return 0;
    for (i = m->start; i < m->end; i++) {
        unsigned char c = (unsigned char)d->text[i];
        if (c >= 'a' && c <= 'z') return 0;
        letters += c >= 'A' && c <= 'Z';
    }
    if (letters < 2) return 0;
    i = m->end;
    if (d->text[i] == ',') return 1;
    if (d->text[i] != ' ' || i + 1 >= d->len) return 0;
    return d->text[i + 1] == '-' || d->text[i + 1] == '(' || (unsigned char)d->text[i + 1] == 0xe2;   /* en or em dash */
}

/* The article's focus: the resolved city that most other mentions agree
 * with (its own mentions, places within 200 km, regions containing it, and
 * W_DATELINE for the dateline's town), else the most mentioned admin-2,
 * admin-1 or one-country region (a province of extra.tsv), else country.
 * -1 when nothing resolved. */
static int32_t S_focus(const geo_gaz *g, const doc *d, const geo_mention *m, size_t n)
{
    int kinds[4] = { GEO_K_ADM2, GEO_K_ADM1, GEO_K_REGION, GEO_K_COUNTRY }, ki;
    size_t i, j;
    int32_t best = -1;
    double bests = 0;
    int req = 0;   /* the caller's own spans, when one is a city, before names found in passing */
    for (i = 0; i < n && i < MAX_FOCUS && !req; i++)
        req = m[i].requested && m[i].pick >= 0 && !m[i].weak && g->places[m[i].pick].kind == GEO_K_CITY;
    for (i = 0; i < n && i < MAX_FOCUS; i++) {
        const geo_rec *r;
        double sc = 0;
        if (m[i].pick < 0 || m[i].weak || g->places[m[i].pick].kind != GEO_K_CITY || (req && !m[i].requested)) continue;
        r = &g->places[m[i].pick];
        for (j = 0; j < n && j < MAX_FOCUS; j++) {
            const geo_rec *o;
            if (m[j].pick < 0) continue;
            o = &g->places[m[j].pick];
            if (m[j].pick == m[i].pick) sc += 1.0;
            else if (o->kind == GEO_K_CITY && geo_km(r->lat, r->lon, o->lat, o->lon) < 200) sc += 0.8;
            else if ((uint32_t)m[j].pick == r->adm1 || (uint32_t)m[j].pick == r->adm2) sc += 0.8;
        }
        sc += 0.01 * log10((double)r->population + 1);
        if (S_dateline(d, &m[i])) sc += W_DATELINE;
        if (sc > bests) { bests = sc; best = m[i].pick; }
    }
    if (best >= 0) return best;
    for (ki = 0; ki < 4; ki++) {
        size_t bestc = 0;
        for (i = 0; i < n && i < MAX_FOCUS; i++) {
            size_t c = 0;
            if (m[i].pick < 0 || g->places[m[i].pick].kind != kinds[ki] || m[i].weak) continue;
            /* (regions of one country only: a province of extra.tsv, not "Europe") */
            if (kinds[ki] == GEO_K_REGION && !g->places[m[i].pick].cc[0]) continue;
            for (j = 0; j < n && j < MAX_FOCUS; j++) c += m[j].pick == m[i].pick;
            if (c > bestc) { bestc = c; best = m[i].pick; }
        }
        if (best >= 0) return best;
    }
    return -1;
}

/* Nonzero when place mention b sits right beside unknown mention a and says
 * where it is: "a in b", "a at b", "b's a", "b' a", "b's wealthy district of a"
 * (1), or "a, b" (2: also a clause's end, "After Zebulonia, Madrid play"). */
static int S_beside(const doc *d, const geo_mention *a, const geo_mention *b)
{
    static const char *const after[] = { " in ", " at ", ", ", " in the ", NULL };
    static const char *const before[] = { "'s ", "\xe2\x80\x99s ", "' ", NULL };
    size_t k;
    if (b->start >= a->end) {
        for (k = 0; after[k]; k++) {
            size_t l = strlen(after[k]);
            if (b->start - a->end == l && !memcmp(d->text + a->end, after[k], l)) return after[k][0] == ',' ? 2 : 1;
        }
    } else if (a->start >= b->end) {
        for (k = 0; before[k]; k++) {
            size_t l = strlen(before[k]);
            uint32_t q = b->end + (uint32_t)l;
            int words = 0;
            if (a->start < q || memcmp(d->text + b->end, before[k], l) != 0) continue;
            /* and up to three small words between: "Rome's famous X", "Lima's wealthy district of X" */
            while (q < a->start && words < 4) {
                uint32_t w = q;
                while (q < a->start && ((d->text[q] >= 'a' && d->text[q] <= 'z') || d->text[q] == '-')) q++;
                if (q == w || q >= a->start || d->text[q] != ' ') break;
                q++;
                words++;
            }
            if (q == a->start && words < 4) return 1;
        }
    }
    return 0;
}

/* The guess for unknown mention i: a town named right beside it ("the Grand
 * Zebulon Hotel in Geneva", "Lima's district of Zebulonia"), else one named in the
 * same sentence near the focus, else a region right beside it ("Zebulon Hall,
 * Cheshire") that does not hold the focus, else the article's focus itself. */
static int32_t S_local(const geo_gaz *g, const doc *d, const geo_mention *m, size_t n, size_t i, int32_t focus, int *beside)
{
    uint32_t lo = m[i].start, hi = m[i].end;
    size_t j;
    int32_t best = -1, besta = -1, bestr = -1, bestc = -1;
    int bk, strong = 0;
    uint32_t bestd = UINT32_MAX;
    /* the sentence around the mention: up to the nearest ". " either side */
    while (lo > 0 && !(d->text[lo - 1] == '\n' || (lo > 1 && d->text[lo - 2] == '.' && d->text[lo - 1] == ' '))) lo--;
    while (hi < d->len && !(d->text[hi] == '\n' || (d->text[hi] == '.' && (hi + 1 >= d->len || d->text[hi + 1] == ' ')))) hi++;
    for (j = 0; j < n; j++) {
        const geo_rec *r;
        uint32_t dist;
        if (j == i || m[j].pick < 0 || m[j].weak || m[j].start < lo || m[j].end > hi) continue;
        r = &g->places[m[j].pick];
        if (r->kind == GEO_K_COUNTRY) {
            /* a country right beside it: "Zebulonbach, Germany" */
            if (S_beside(d, &m[i], &m[j])) bestc = m[j].pick;
            continue;
        }
        if (r->kind == GEO_K_ADM1 || (r->kind == GEO_K_REGION && r->cc[0])) {
            /* a region right beside it: "Zebulon Hall, Cheshire" */
            if (S_beside(d, &m[i], &m[j])) bestr = m[j].pick;
            continue;
        }
        if (r->kind != GEO_K_CITY && r->kind != GEO_K_ADM2) continue;
        if ((bk = S_beside(d, &m[i], &m[j])) != 0) { besta = m[j].pick; strong = bk == 1; }
        dist = m[j].start > m[i].start ? m[j].start - m[i].start : m[i].start - m[j].start;
        if (focus >= 0 && g->places[focus].kind == GEO_K_CITY &&
            geo_km(r->lat, r->lon, g->places[focus].lat, g->places[focus].lon) > 300)
            continue;
        if (dist < bestd) { bestd = dist; best = m[j].pick; }
    }
    *beside = besta >= 0 && strong;
    if (besta >= 0) return besta;
    if (bestc >= 0) {
        /* a country beside it: the nearest guess that lies in that country, else the country */
        const char *cc = g->places[bestc].cc;
        if (best >= 0 && !memcmp(g->places[best].cc, cc, 2)) return best;
        if (bestr >= 0 && !memcmp(g->places[bestr].cc, cc, 2)) return bestr;
        if (focus >= 0 && !memcmp(g->places[focus].cc, cc, 2)) return focus;
        return bestc;
    }
    if (best >= 0) return best;
    /* the region beside it, unless the focus lies in it (the focus says more) */
    if (bestr >= 0 && !(focus >= 0 && (g->places[focus].adm1 == (uint32_t)bestr || g->places[focus].adm2 == (uint32_t)bestr)))
        return bestr;
    return focus;
}

/* Country index of an ISO2 code, -1 when not two capitals. */
static int S_cc676(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

/* A small town abroad in an article whose other places all lie in one
 * country ("Heathrow" read as Heathrow, Florida, among London's places) is
 * more likely a local place the gazetteer lacks: the requested mentions
 * (first nreq of m) so read get no pick, and then the local guess. */
static void S_drop_strays(const geo_gaz *g, geo_mention *m, size_t n, size_t nreq)
{
    uint32_t cnt[676];
    const uint32_t *name1[676], *name2[676];   /* two different names seen in each country */
    size_t i, total = 0;
    int top = -1;
    memset(cnt, 0, sizeof cnt);
    memset(name1, 0, sizeof name1);
    memset(name2, 0, sizeof name2);
    for (i = 0; i < n; i++) {
        int k;
        if (m[i].pick < 0) continue;
        k = S_cc676(g->places[m[i].pick].cc);
        if (k < 0) continue;
        if (!name1[k]) name1[k] = m[i].post;
        else if (!name2[k] && m[i].post != name1[k]) name2[k] = m[i].post;
        if (m[i].weak) continue;
        cnt[k]++;
        total++;
        if (top < 0 || cnt[k] > cnt[top]) top = k;
    }
    if (top < 0 || cnt[top] < STRAY_MIN || cnt[top] * 2 < total) return;
    for (i = 0; i < nreq; i++) {
        const geo_rec *r;
        int k;
        if (m[i].pick < 0) continue;
        r = &g->places[m[i].pick];
        if (r->kind == GEO_K_COUNTRY || r->kind == GEO_K_REGION || geo_is_site(r)) continue;
        /* a place matched by a part of the name ("Southern Lakes" read as
           South Sudan's Lakes State) is as doubtful as a small town */
        if (!m[i].weak &&
            (r->kind != GEO_K_CITY || r->population >= STRAY_POP || !strncmp(r->fcode, "PPLA", 4) || !strncmp(r->fcode, "PPLC", 4)))
            continue;
        k = S_cc676(r->cc);
        if (k < 0 || k == top) continue;
        /* another name of the article in its country vouches for it */
        if (!name2[k] && (!name1[k] || name1[k] == m[i].post)) m[i].pick = -1;
    }
}

/* 1 when the word w (n bytes) is in list, case-folded. */
static int S_word_in(const char *w, size_t n, const char *const *list)
{
    char b[16];
    size_t i;
    if (n == 0 || n >= sizeof b) return 0;
    for (i = 0; i < n; i++) b[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
    b[n] = 0;
    return S_in(b, list);
}

/* 1 when a span matched only in part (weak) names something that is not in
 * the place it names: a street ("Pacific Avenue", "Hampton Road" are streets
 * of other towns), an embassy named after its country ("French Embassy",
 * "Embassy of Armenia" stand abroad), or a river, delta, lake or mountains
 * matched by a country or admin region they cross or by their own generic
 * word ("Danube Delta" is not Nigeria's Delta State, "Ohio River" is not the
 * state; "Chicago River", matched by the town it runs through, and "Indus
 * Delta", by a river of extra.tsv, stay).
 * Such a span is then an unknown name, and gets the local guess. */
static int S_not_there(const geo_gaz *g, const char *s, size_t len, const uint32_t *post, uint32_t npost)
{
    static const char *const STREET[] = {
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive", "highway", NULL };
    static const char *const NATURE[] = {   /* (not valleys and hills: "Napa Valley" lies in Napa) */
        "river", "delta", "lake", "mountains", "mountain", "peninsula", "desert",
        "canyon", "creek", "falls", "reef", "strait", "glacier", "volcano", NULL };
    static const char *const BUILDING[] = {
        "embassy", "consulate", NULL };
    size_t a, b = len, k;
    int building = 0;
    uint32_t c;
    while (b > 0 && (s[b - 1] == '.' || s[b - 1] == ' ')) b--;
    for (a = b; a > 0 && s[a - 1] != ' '; a--) {}
    if (S_word_in(s + a, b - a, STREET)) return 1;
    if (a > 0 && S_word_in(s + a, b - a, NATURE)) {
        const uint32_t *own;
        int w;
        /* matched by the generic word itself ("Delta") */
        if (geo_lookup_text(g, s + a, b - a, &own, &w) == npost && own == post) return npost > 0;
        for (c = 0; c < npost; c++) {   /* a town by its own name ("Chicago"), not "Ohio City" for "Ohio"; */
            const geo_rec *r = &g->places[post[c] & GEO_POST_IDX];   /* a river or region of extra.tsv ("Indus Delta") */
            if ((r->kind == GEO_K_CITY && !(post[c] & GEO_POST_ALT)) || r->kind == GEO_K_REGION) return 0;
        }
        return npost > 0;
    }
    for (k = 0; k < len && !building; k = a + 1) {
        for (a = k; a < len && s[a] != ' '; a++) {}
        building = S_word_in(s + k, a - k, BUILDING);
    }
    if (!building) return 0;
    /* named after a country ("Embassy of Armenia": not Armenia, Colombia, either) */
    for (c = 0; c < npost; c++)
        if (g->places[post[c] & GEO_POST_IDX].kind == GEO_K_COUNTRY) return 1;
    return 0;
}

/* 1 when span s[0..len) is "X Township" that the gazetteer knows only as X:
 * a township is its own place, not the city X ("Franklin Township", New
 * Jersey, is no town called Franklin). */
static int S_township(const geo_gaz *g, const char *s, size_t len)
{
    char key[GEO_KEY_MAX];
    size_t kl;
    if (len < 10 || len >= GEO_KEY_MAX || strncasecmp(s + len - 9, " township", 9) != 0) return 0;
    kl = geo_norm_key(s, len, key);
    return kl && !geo_lookup_key(g, key, kl);
}

/* A requested name d->text[s..e) that is only "West" or "Western", as "the
 * West" or before a common noun ("Western governments"): the Western world,
 * which extra.tsv lists. Bare, as an item of a list ("the provinces of
 * Nyanza, North Eastern and Western"), or before a word that makes it a
 * part of a country ("the Western province", "western parts"), it stays a
 * name to guess. Returns the world region's candidates, or 0. */
static uint32_t S_west(const geo_gaz *g, const doc *d, uint32_t s, uint32_t e, const uint32_t **post)
{
    static const char WORLD[] = "Western world";
    static const char *const LEVEL[] = {
        "province", "provinces", "region", "state", "district", "division", "county", "department",
        "governorate", "area", "zone", "part", "parts", "suburbs", "side", NULL };
    char key[GEO_KEY_MAX];
    size_t kl;
    int weak, the;
    if (e - s >= GEO_KEY_MAX) return 0;
    kl = geo_norm_key(d->text + s, e - s, key);
    the = kl > 4 && !memcmp(key, "the ", 4);
    if (the) { memmove(key, key + 4, kl - 4); kl -= 4; }
    if (!((kl == 4 && !memcmp(key, "west", 4)) || (kl == 7 && !memcmp(key, "western", 7)))) return 0;
    if (e + 1 < d->len && d->text[e] == ' ') {   /* "the Western province" is a province */
        uint32_t b = e + 1, w = b;
        while (w < d->len && ((d->text[w] >= 'a' && d->text[w] <= 'z') || (d->text[w] >= 'A' && d->text[w] <= 'Z'))) w++;
        if (S_word_in(d->text + b, w - b, LEVEL)) return 0;
    }
    if (!the && !(s >= 4 && !strncasecmp(d->text + s - 4, "the ", 4)) &&
        !(e + 1 < d->len && d->text[e] == ' ' && d->text[e + 1] >= 'a' && d->text[e + 1] <= 'z'))
        return 0;
    return geo_lookup_text(g, WORLD, sizeof WORLD - 1, post, &weak);
}

/* A small town (under STRAY_POP people, no seat of a province or county), or any town matched by a
 * part of the name only ("Coachella Valley"), read for a requested name
 * far (over FAR_KM) from the article's focus town, with no other place of the
 * article near it, is more likely a street, a venue or a local place of the
 * focus that the gazetteer lacks ("Carnegie" read as Carnegie, Pennsylvania,
 * in a New York story): its pick is
 * dropped, for the local guess; not a town of UNIQUE_POP+ people in the
 * focus's country that alone bears its name ("Warminster"). Returns the
 * number dropped. */
static size_t S_drop_far(const geo_gaz *g, geo_mention *m, size_t n, size_t nreq, int32_t focus)
{
    const geo_rec *f;
    size_t i, j, dropped = 0;
    if (focus < 0 || g->places[focus].kind != GEO_K_CITY) return 0;
    f = &g->places[focus];
    for (i = 0; i < nreq; i++) {
        const geo_rec *r;
        int near = 0;
        if (m[i].pick < 0 || m[i].pick == focus) continue;
        r = &g->places[m[i].pick];
        /* a name only this town bears, a town of 10,000+ people in the focus's country
           ("Warminster" in an Inverness story; not "Carnegie", Pennsylvania) */
        if (m[i].npost == 1 && !m[i].weak && !(m[i].post[0] & GEO_POST_ALT) && r->population >= UNIQUE_POP &&
            !memcmp(r->cc, f->cc, 2))
            continue;
        if (r->kind != GEO_K_CITY || geo_is_site(r) || geo_km(r->lat, r->lon, f->lat, f->lon) < FAR_KM ||
            (!m[i].weak && (r->population >= STRAY_POP || !strncmp(r->fcode, "PPLA", 6) || !strncmp(r->fcode, "PPLA2", 6) ||
                            !strncmp(r->fcode, "PPLC", 4))) ||
            r->population >= BIG_POP)
            continue;
        for (j = 0; j < n && j < MAX_FOCUS && !near; j++) {
            const geo_rec *o;
            if (j == i || m[j].pick < 0 || m[j].post == m[i].post) continue;
            o = &g->places[m[j].pick];
            near = (uint32_t)m[j].pick == r->adm1 || (uint32_t)m[j].pick == r->adm2 ||
                   (o->kind == GEO_K_CITY && geo_km(r->lat, r->lon, o->lat, o->lon) < 200);
        }
        if (!near) { m[i].pick = -1; dropped++; }
    }
    return dropped;
}

/* Requested names that are only compass words ("North West", "Western")
 * and stand in a list beside a name that is an admin-1 region or a
 * one-country region of extra.tsv ("the North West and Limpopo provinces",
 * "Nyanza, Coast and Western", Kenya's former provinces) are regions
 * too: they get their candidates back, and the list settles the country.
 * Returns 0, or -1 when out of memory. */
static int S_listed_compass(const geo_gaz *g, const doc *d, geo_mention *m, size_t nreq)
{
    spos *o = S_by_start(m, nreq);
    size_t k, side;
    if (!o) return -1;
    for (k = 0; k < nreq; k++) {
        geo_mention *x = &m[o[k].idx];
        if (x->npost || x->end <= x->start) continue;
        for (side = 0; side < 2; side++) {
            const geo_mention *y;
            uint32_t c;
            int adm1 = 0;
            if (side ? k + 1 >= nreq : k == 0) continue;
            y = &m[o[side ? k + 1 : k - 1].idx];
            if (!(side ? geo_list_gap(d, x->end, y->start) : geo_list_gap(d, y->end, x->start))) continue;
            for (c = 0; c < y->npost && !adm1; c++) {
                const geo_rec *r = &g->places[y->post[c] & GEO_POST_IDX];
                adm1 = r->kind == GEO_K_ADM1 || (r->kind == GEO_K_REGION && r->cc[0]);
            }
            if (adm1 && (x->npost = geo_lookup_compass(g, d->text + x->start, x->end - x->start, &x->post))) break;
        }
    }
    free(o);
    return 0;
}

/* An unknown name of the caller's spans and its guess, for sharing the guess
 * between mentions of one name. */
typedef struct utext { const char *s; uint32_t len, idx; int32_t pick; uint8_t beside; } utext;

/* qsort order of utext: by text, then by position (stable groups). */
static int S_cmp_utext(const void *x, const void *y)
{
    const utext *a = x, *b = y;
    int c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    c = memcmp(a->s, b->s, a->len);
    if (c) return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* See geo.h. */
int geo_resolve_spans(const geo_gaz *g, doc *d, const uint32_t *spans, size_t nspans,
                      const char (*ctx_cc)[3], size_t n_cc, sitrep_place **out)
{
    geo_mention *m = NULL;
    size_t nm = 0, cap = 0, i, j, nreq;
    sitrep_place *p;
    int32_t focus;

    *out = NULL;
    if (!nspans) return 0;
    p = arena_alloc(&d->a, nspans * sizeof *p);
    if (!p) return -1;
    for (i = 0; i < nspans; i++) {
        uint32_t s = spans[2 * i], e = spans[2 * i + 1];
        int weak = 0;
        if (S_push(&m, &nm, &cap) < 0) goto oom;
        m[i].requested = 1;
        m[i].tok = -1;
        if (s > e || e > d->len) { m[i].start = m[i].end = 0; continue; }
        m[i].start = s;
        m[i].end = e;
        m[i].npost = geo_lookup_text(g, d->text + s, e - s, &m[i].post, &weak);
        m[i].weak = (uint8_t)weak;
        if (weak && S_not_there(g, d->text + s, e - s, m[i].post, m[i].npost)) m[i].npost = 0;
        if (m[i].npost && S_township(g, d->text + s, e - s)) m[i].npost = 0;
        if (!m[i].npost) m[i].npost = S_west(g, d, s, e, &m[i].post);
    }
    nreq = nspans;
    if (S_listed_compass(g, d, m, nreq) < 0) goto oom;
    /* "Paris, Texas" given as one span: the head, qualified by the tail */
    for (i = 0; i < nreq; i++) {
        const char *c;
        size_t len = m[i].end - m[i].start;
        const uint32_t *post;
        uint32_t np;
        int weak;
        if (m[i].npost && !m[i].weak) continue;
        c = memchr(d->text + m[i].start, ',', len);
        if (!c) continue;
        np = geo_lookup_text(g, d->text + m[i].start, (size_t)(c - (d->text + m[i].start)), &post, &weak);
        if (!np) continue;
        m[i].post = post;
        m[i].npost = np;
        m[i].weak = (uint8_t)weak;
        {
            uint32_t ts = (uint32_t)(c + 1 - d->text), te = m[i].end;
            while (ts < te && d->text[ts] == ' ') ts++;
            if (S_push(&m, &nm, &cap) < 0) goto oom;
            m[nm - 1].start = ts;
            m[nm - 1].end = te;
            m[nm - 1].tok = -1;
            m[nm - 1].npost = geo_lookup_text(g, d->text + ts, te - ts, &m[nm - 1].post, &weak);
            m[i].qual = (int32_t)(nm - 1);
        }
    }
    /* the article's other mentions, for context */
    if (d->ntoks) {
        geo_mention *det = NULL;
        size_t nd = 0, dc = 0;
        if (S_detect(g, d, &det, &nd, &dc) < 0) { free(det); goto oom; }
        spos *o = S_by_start(m, nreq);
        uint32_t maxlen = 0;
        if (!o) { free(det); goto oom; }
        for (i = 0; i < nreq; i++) if (m[i].end - m[i].start > maxlen) maxlen = m[i].end - m[i].start;
        for (j = 0; j < nd; j++) {
            int overlap = 0;
            size_t k = S_lower(o, nreq, det[j].start > maxlen ? det[j].start - maxlen : 0);
            for (; k < nreq && o[k].start < det[j].end && !overlap; k++)
                overlap = m[o[k].idx].end > det[j].start;
            if (overlap) continue;
            if (nm >= nreq + MAX_MENTIONS) break;
            /* context only from names that are surely places */
            if (!S_sure(g, &det[j])) continue;
            if (S_push(&m, &nm, &cap) < 0) { free(o); free(det); goto oom; }
            m[nm - 1] = det[j];
            m[nm - 1].requested = 0;
        }
        free(o);
        free(det);
    }
    if (S_link_qualifiers(d, m, nm) < 0) goto oom;
    if (geo_resolve(g, d, m, nm, ctx_cc, n_cc) < 0) goto oom;
    S_drop_strays(g, m, nm, nreq);
    focus = S_focus(g, d, m, nm);
    if (S_drop_far(g, m, nm, nreq, focus)) focus = S_focus(g, d, m, nm);
    /* the unknown names' guesses; another mention of the same unknown name whose
       town stands beside it says where this one is too ("Rome's famous
       Zebulon-Fontana square ... near Zebulon-Fontana square"): mentions sorted by text,
       so the work stays n log n */
    {
        utext *u = malloc((nreq ? nreq : 1) * sizeof *u);
        size_t nu = 0, a, b;
        if (!u) goto oom;
        for (i = 0; i < nreq; i++) {
            if (geo_fill(g, d, &m[i], &p[i]) < 0) { free(u); goto oom; }
            if (m[i].pick < 0 && focus >= 0 && m[i].end > m[i].start) {
                int beside = 0;
                u[nu].s = d->text + m[i].start;
                u[nu].len = m[i].end - m[i].start;
                u[nu].idx = (uint32_t)i;
                u[nu].pick = S_local(g, d, m, nm, i, focus, &beside);
                u[nu].beside = (uint8_t)beside;
                nu++;
            }
        }
        qsort(u, nu, sizeof *u, S_cmp_utext);
        for (a = 0; a < nu; a = b) {
            int32_t donor = -1;
            for (b = a; b < nu && u[b].len == u[a].len && !memcmp(u[b].s, u[a].s, u[a].len); b++)
                if (donor < 0 && u[b].beside) donor = u[b].pick;
            for (j = a; j < b; j++) {
                geo_mention f = m[u[j].idx];
                f.pick = u[j].beside || donor < 0 ? u[j].pick : donor;
                if (geo_fill(g, d, &f, &p[u[j].idx]) < 0) { free(u); goto oom; }
                memcpy(p[u[j].idx].feature_code, "NEAR", 5);
            }
        }
        free(u);
    }
    free(m);
    *out = p;
    return 0;
oom:
    free(m);
    return -1;
}

/* Token index of the first token starting at or after byte `pos`, or ntoks. */
static uint32_t S_tok_at(const doc *d, uint32_t pos)
{
    uint32_t lo = 0, hi = d->ntoks;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->toks[mid].start < pos) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* 1 when a lower-cased word looks like a demonym: "english", "scottish",
 * "welsh", "scots" (ending in -ish, -sh, -an, -ese, -i or -s). */
static int S_is_demonym_tok(const char *w)
{
    size_t n = strlen(w);
    if (n < 3) return 0;
    return (n > 3 && !strcmp(w + n - 3, "ish")) || !strcmp(w + n - 2, "sh") || !strcmp(w + n - 2, "an") ||
           !strcmp(w + n - 3, "ese") || w[n - 1] == 'i' || w[n - 1] == 's';
}

/* A country named as an adjective/demonym ("Israeli troops", "Turkish
 * soldiers"), or a region by its demonym ("English fans"). */
static int S_adjectival(const doc *d, const sitrep_place *p, uint32_t t)
{
    uint32_t nx = S_tok_at(d, p->end);
    if (strncmp(p->feature_code, "PCL", 3) != 0 &&
        !(!strcmp(p->feature_code, "ADM1") && strcmp(p->name, p->text) != 0 && t < d->ntoks &&
          d->toks[t].end == p->end && S_is_demonym_tok(d->toks[t].lower)))
        return 0;
    if (t < d->ntoks && d->toks[t].upos == UPOS_ADJ) return 1;
    if (nx < d->ntoks && !(d->toks[nx].flags & (TOK_CAP | TOK_ALLCAP | TOK_PUNCT | TOK_NUM)) &&
        !S_in(d->toks[nx].lower, LOC_PREP) && !S_in(d->toks[nx].lower, ACTOR_VERB) && strcmp(d->toks[nx].lower, "and") != 0)
        return 1;
    return 0;
}

/* 1 when token a is token b or reaches it through at most `hops` heads. */
static int S_reaches(const doc *d, int32_t a, int32_t b, int hops)
{
    while (hops-- > 0 && a >= 0 && (uint32_t)a < d->ntoks) {
        a = d->toks[a].head;
        if (a == b) return 1;
    }
    return 0;
}

/* prepositions that make an actor's name a place ("travelled to Qatar") */
static const char *const LOC_STRONG[] = {
    "in", "at", "near", "to", "into", "inside", "outside", "towards", "toward", "across",
    "throughout", "within", NULL };

/* words that open another clause: a place beyond one belongs to that clause */
static const char *const CLAUSE[] = {
    "while", "whereas", "but", "although", "though", "when", "after", "before", "because", "since",
    "as", "where", "which", "who", "whom", "whose", "if", "unless", "until", ";", NULL };

/* 1 when the place at token t belongs to another clause than verb v. */
static int S_other_clause(const doc *d, uint32_t t, int32_t v)
{
    int32_t a, hops;
    uint32_t lo, hi, i;
    if (v < 0) return 0;
    if (d->toks[t].head >= 0 || d->toks[t].deprel) {
        /* parsed: climb from the place; another verb before ours means another clause */
        for (a = d->toks[t].head, hops = 0; a >= 0 && (uint32_t)a < d->ntoks && hops < 8; a = d->toks[a].head, hops++) {
            if (a == v) return 0;
            if (d->toks[a].upos == UPOS_VERB && d->toks[v].upos == UPOS_VERB) {
                int32_t b, h2;
                /* ... unless our verb is below it (the place hangs on a governing verb) */
                for (b = d->toks[v].head, h2 = 0; b >= 0 && (uint32_t)b < d->ntoks && h2 < 8; b = d->toks[b].head, h2++)
                    if (b == a) return 0;
                return 1;
            }
        }
        return 0;
    }
    lo = t < (uint32_t)v ? t : (uint32_t)v;
    hi = t < (uint32_t)v ? (uint32_t)v : t;
    for (i = lo + 1; i < hi; i++)
        if (S_in(d->toks[i].lower, CLAUSE)) return 1;
    return 0;
}

/* See geo.h. */
const sitrep_place *geo_event_place(const doc *d, const sitrep_place *places, size_t nplaces,
                                    uint32_t sent, int32_t verb_tok, int32_t src_tok, int32_t tgt_tok)
{
    const sitrep_place *best = NULL;
    double bests = 0;
    size_t i;
    if (!d || !places || !nplaces || sent >= d->nsents) return NULL;
    for (i = 0; i < nplaces; i++) {
        const sitrep_place *p = &places[i];
        uint32_t t, tl;
        double s;
        int prep;
        if (!p->geonameid || p->start < d->sents[sent].start || p->start >= d->sents[sent].end) continue;
        if (!strcmp(p->feature_code, "NEAR")) continue;
        t = S_tok_at(d, p->start);
        tl = S_tok_at(d, p->end);
        if (t >= d->ntoks) continue;
        prep = t > d->sents[sent].first && S_in(d->toks[t - 1].lower, LOC_PREP);
        /* an actor's own name is no place, unless said as one ("travelled to Qatar") */
        if (!(prep && S_in(d->toks[t - 1].lower, LOC_STRONG)) && ((src_tok >= 0 && (uint32_t)src_tok >= t && (uint32_t)src_tok < tl) ||
                      (tgt_tok >= 0 && (uint32_t)tgt_tok >= t && (uint32_t)tgt_tok < tl)))
            continue;
        if (geo_actorish(d, p->start, p->end) || S_adjectival(d, p, t)) continue;
        if (S_other_clause(d, t, verb_tok)) continue;
        s = 1.0;
        if (prep) s = 2.0;
        if (verb_tok >= 0) {
            int32_t last = (int32_t)(tl > t ? tl - 1 : t);
            int attached = d->toks[last].head >= 0 &&
                           (S_reaches(d, last, verb_tok, 2) ||
                            (src_tok >= 0 && S_reaches(d, last, src_tok, 2)) ||
                            (tgt_tok >= 0 && S_reaches(d, last, tgt_tok, 2)));
            if (attached && prep) s = 4.0;
            else if (attached) s = 3.0;
            else if (prep && (int32_t)t > verb_tok) s = 2.5;
            /* closer to the verb is better; after it slightly more so */
            s -= 0.01 * (double)((int32_t)t > verb_tok ? (int32_t)t - verb_tok : 2 * (verb_tok - (int32_t)t));
        }
        if (!best || s > bests) { best = p; bests = s; }
    }
    if (best) return best;
    /* the dateline: a place opening the article, followed by punctuation */
    for (i = 0; i < nplaces; i++) {
        const sitrep_place *p = &places[i];
        uint32_t t = S_tok_at(d, p->start), nx = S_tok_at(d, p->end);
        if (!p->geonameid || !strcmp(p->feature_code, "NEAR") || t > 2) continue;
        if (nx < d->ntoks && (d->toks[nx].flags & TOK_PUNCT) &&
            (d->toks[nx].lower[0] == ',' || d->toks[nx].lower[0] == '-' || d->toks[nx].lower[0] == '(' ||
             !strncmp(d->toks[nx].lower, "\xe2\x80\x94", 3)))
            return p;
    }
    return NULL;
}

/* See coder.h: 1 when S_detect would read the tags of a token of sentence s
 * (a candidate span, as S_detect walks them, that names a place other than a
 * country). */
int geo_sentence_uses_tags(const geo_gaz *g, const doc *d, uint32_t s);
int geo_sentence_uses_tags(const geo_gaz *g, const doc *d, uint32_t s)
{
    uint32_t first, end, i;
    if (!g || !d || s >= d->nsents) return 0;
    first = d->sents[s].first;
    end = first + d->sents[s].count;
    if (end > d->ntoks) end = d->ntoks;
    for (i = first; i < end; i++) {
        uint32_t n;
        for (n = S_span_max(d, i, end); n >= 1; n--) {
            const geo_entry *e = S_span_entry(g, d, i, n);
            if (e && !S_info(g, g->post + e->post, e->npost).country) return 1;
        }
    }
    return 0;
}
