/* geo.c - the gazetteer: loading build/gazetteer.bin, name lookup, and the
 * context-aware choice among same-name places (resolution).
 *
 * Resolution scores each candidate of a mention as
 *   prior (kind, population, feature code, main vs alternate name)
 * + the article's actor countries + the countries the other mentions resolve to
 * + explicit qualifiers ("Paris, Texas") + spatial coherence with the other
 *   mentions (near one of them, or inside a region they name),
 * and iterates a few rounds so that mentions settle each other. */
#include "geo_int.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void S_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen) snprintf(err, errlen, fmt, a, b);
}

/* See geo.h. */
geo_gaz *geo_load(const char *path, char *err, size_t errlen)
{
    geo_gaz *g = NULL;
    struct stat st;
    int fd = -1;
    const geo_hdr *h;
    const char *base;
    size_t i;

    if (!path) { S_err(err, errlen, "%s%s", "no gazetteer path", ""); return NULL; }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        S_err(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if ((size_t)st.st_size < sizeof(geo_hdr)) { S_err(err, errlen, "%s: %s", path, "not a gazetteer (too short)"); goto fail; }
    g = calloc(1, sizeof *g);
    if (!g) { S_err(err, errlen, "%s: %s", path, "out of memory"); goto fail; }
    g->size = (size_t)st.st_size;
    g->map = mmap(NULL, g->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (g->map == MAP_FAILED) { g->map = NULL; S_err(err, errlen, "%s: %s", path, strerror(errno)); goto fail; }
    close(fd);
    fd = -1;
    base = g->map;
    h = g->h = g->map;
    if (memcmp(h->magic, GEO_MAGIC, 8) != 0) { S_err(err, errlen, "%s: %s", path, "not a gazetteer (bad magic)"); goto fail; }
    if (h->version != GEO_VERSION) { S_err(err, errlen, "%s: %s", path, "gazetteer version mismatch: rebuild it (make gazetteer)"); goto fail; }
#define SEC_OK(off, n, sz) ((uint64_t)(off) + (uint64_t)(n) * (uint64_t)(sz) <= g->size && (off) % 4 == 0)
    if (h->total_size != g->size || !SEC_OK(h->off_places, h->nplaces, sizeof(geo_rec)) ||
        !SEC_OK(h->off_slots, h->nslots, 4) || !SEC_OK(h->off_entries, h->nentries, sizeof(geo_entry)) ||
        !SEC_OK(h->off_post, h->npost, 4) || !SEC_OK(h->off_ccindex, 676, 4) || !SEC_OK(h->off_str, h->strbytes, 1) ||
        h->strbytes == 0 || h->nslots == 0 || (h->nslots & (h->nslots - 1)) != 0) {
        S_err(err, errlen, "%s: %s", path, "corrupt gazetteer (sections out of bounds)");
        goto fail;
    }
#undef SEC_OK
    g->places = (const geo_rec *)(base + h->off_places);
    g->slots = (const uint32_t *)(base + h->off_slots);
    g->ent = (const geo_entry *)(base + h->off_entries);
    g->post = (const uint32_t *)(base + h->off_post);
    g->ccindex = (const uint32_t *)(base + h->off_ccindex);
    g->str = base + h->off_str;
    if (g->str[h->strbytes - 1] != 0) { S_err(err, errlen, "%s: %s", path, "corrupt gazetteer (strings)"); goto fail; }
    /* validate every reference once, so lookups need no bounds checks */
    for (i = 0; i < h->nslots; i++)
        if (g->slots[i] > h->nentries) { S_err(err, errlen, "%s: %s", path, "corrupt gazetteer (slots)"); goto fail; }
    for (i = 0; i < h->nentries; i++) {
        const geo_entry *e = &g->ent[i];
        if (e->key >= h->strbytes || e->post > h->npost || e->npost > h->npost - e->post) {
            S_err(err, errlen, "%s: %s", path, "corrupt gazetteer (entries)");
            goto fail;
        }
    }
    for (i = 0; i < h->npost; i++)
        if ((g->post[i] & GEO_POST_IDX) >= h->nplaces) { S_err(err, errlen, "%s: %s", path, "corrupt gazetteer (postings)"); goto fail; }
    for (i = 0; i < h->nplaces; i++) {
        const geo_rec *r = &g->places[i];
        if (r->name >= h->strbytes || r->admin1_name >= h->strbytes || (r->adm1 != UINT32_MAX && r->adm1 >= h->nplaces) ||
            (r->adm2 != UINT32_MAX && r->adm2 >= h->nplaces)) {
            S_err(err, errlen, "%s: %s", path, "corrupt gazetteer (places)");
            goto fail;
        }
    }
    for (i = 0; i < 676; i++)
        if (g->ccindex[i] != UINT32_MAX && g->ccindex[i] >= h->nplaces) { S_err(err, errlen, "%s: %s", path, "corrupt gazetteer (countries)"); goto fail; }
    return g;
fail:
    if (fd >= 0) close(fd);
    geo_free(g);
    return NULL;
}

/* See geo.h. */
void geo_free(geo_gaz *g)
{
    if (!g) return;
    if (g->map) munmap(g->map, g->size);
    free(g);
}

/* See geo_int.h. */
const geo_entry *geo_lookup_key(const geo_gaz *g, const char *key, size_t klen)
{
    uint32_t h = geo_hash(key, klen), mask = g->h->nslots - 1, s = h & mask, n;
    for (n = 0; n < g->h->nslots; n++, s = (s + 1) & mask) {
        uint32_t e = g->slots[s];
        const geo_entry *en;
        if (!e) return NULL;
        en = &g->ent[e - 1];
        if (en->hash == h && !strncmp(g->str + en->key, key, klen) && g->str[en->key + klen] == 0) return en;
    }
    return NULL;
}

static const char *const DIR_PREFIX[] = {
    "northern ", "southern ", "eastern ", "western ", "central ", "northeastern ", "northwestern ",
    "southeastern ", "southwestern ", "north ", "south ", "east ", "west ", "greater ", "downtown ",
    "upstate ", "rural ", "metro ", "suburban ", "coastal ", "mainland ", "neighbouring ", "neighboring ",
    "occupied ", "war torn ", "restive ", NULL };
static const char *const GEN_SUFFIX[] = {
    " city", " province", " state", " county", " region", " district", " governorate", " area",
    " town", " village", " island", " islands", " prefecture", " municipality", " metropolitan area",
    " territory", " oblast", " department", " parish", " borough", " township", NULL };

static uint32_t S_try(const geo_gaz *g, const char *k, size_t kl, const uint32_t **post)
{
    const geo_entry *e = kl ? geo_lookup_key(g, k, kl) : NULL;
    if (!e) return 0;
    *post = g->post + e->post;
    return e->npost;
}

/* A place worth naming with a qualifier word or inside a longer name:
 * a country, region or admin-1, or a city of some size. */
static int S_significant(const geo_gaz *g, const uint32_t *post, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        const geo_rec *r = &g->places[post[i] & GEO_POST_IDX];
        if (r->kind == GEO_K_COUNTRY || r->kind == GEO_K_REGION || r->kind == GEO_K_ADM1) return 1;
        if (r->kind == GEO_K_CITY && r->population >= 50000 && !(post[i] & GEO_POST_ALT)) return 1;
    }
    return 0;
}

/* 1 when key k (kl bytes) is only a compass word: "West", "the South",
 * "Western": regions of that name exist in several countries, and the word
 * alone far more often means something else. */
static int S_compass(const char *k, size_t kl)
{
    static const char *const W[] = {
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
        "centre", "center", "northeast", "northwest", "southeast", "southwest", "north east",
        "north west", "south east", "south west", "interior", "coast", "valley", NULL };
    size_t i;
    if (kl > 4 && !strncmp(k, "the ", 4)) { k += 4; kl -= 4; }
    for (i = 0; W[i]; i++)
        if (strlen(W[i]) == kl && !strncmp(k, W[i], kl)) return 1;
    return 0;
}

/* See geo_int.h. */
uint32_t geo_lookup_compass(const geo_gaz *g, const char *s, size_t len, const uint32_t **post)
{
    char key[GEO_KEY_MAX];
    size_t kl = geo_norm_key(s, len, key);
    const char *k = key;
    if (!kl || !S_compass(key, kl)) return 0;
    if (kl > 4 && !strncmp(k, "the ", 4)) { k += 4; kl -= 4; }
    return S_try(g, k, kl, post);
}

/* See geo_int.h. */
uint32_t geo_lookup_text(const geo_gaz *g, const char *s, size_t len, const uint32_t **post, int *weak)
{
    char key[GEO_KEY_MAX];
    size_t kl, i;
    uint32_t n;
    const char *k;

    *weak = 0;
    /* possessive: "Syria's", "Syria’s", "Texas'" */
    if (len > 2 && s[len - 1] == 's' && s[len - 2] == '\'') len -= 2;
    else if (len > 4 && s[len - 1] == 's' && !memcmp(s + len - 4, "\xe2\x80\x99", 3)) len -= 4;
    else if (len > 1 && s[len - 1] == '\'') len -= 1;
    kl = geo_norm_key(s, len, key);
    if (!kl || S_compass(key, kl)) return 0;
    if ((n = S_try(g, key, kl, post))) return n;
    k = key;
    if (kl > 4 && !strncmp(k, "the ", 4)) {
        k += 4; kl -= 4;
        if ((n = S_try(g, k, kl, post))) return n;
    }
    /* plural demonyms and the like: "Israelis", "Afghans" */
    if (kl > 4 && k[kl - 1] == 's' && (n = S_try(g, k, kl - 1, post))) {
        for (i = 0; i < n; i++) if ((*post)[i] & GEO_POST_DEM) return n;
    }
    for (i = 0; GEN_SUFFIX[i]; i++) {
        size_t sl = strlen(GEN_SUFFIX[i]);
        if (kl > sl && !strcmp(k + kl - sl, GEN_SUFFIX[i]) && (n = S_try(g, k, kl - sl, post))) return n;
    }
    /* the rest only for well-known places: "northern Syria", "University of Texas" */
    *weak = 1;
    for (i = 0; DIR_PREFIX[i]; i++) {
        size_t pl = strlen(DIR_PREFIX[i]);
        if (kl > pl && !strncmp(k, DIR_PREFIX[i], pl) && (n = S_try(g, k + pl, kl - pl, post)) &&
            S_significant(g, *post, n))
            return n;
    }
    {
        const char *of = strstr(k, " of ");
        if (of && (n = S_try(g, of + 4, kl - (size_t)(of + 4 - k), post)) && S_significant(g, *post, n)) return n;
    }
    for (i = kl; i > 2; i--) {
        uint32_t c;
        int country = 0;
        if (k[i - 1] != ' ' || S_compass(k, i - 1)) continue;
        if (!(n = S_try(g, k, i - 1, post)) || !S_significant(g, *post, n)) continue;
        for (c = 0; c < n; c++) country |= g->places[(*post)[c] & GEO_POST_IDX].kind == GEO_K_COUNTRY;
        if (i - 1 >= 4 || country) return n;   /* short prefixes only for countries: "US Coast Guard", not "St" */
    }
    /* a well-known place at the end, by the name it is listed under: "Imperial
       Germany", "Trinity College Dublin" (not "Treasure Island": Iceland is
       also called Island) */
    for (i = 0; i + 5 < kl; i++) {
        uint32_t c, main = 0;
        if (k[i] != ' ' || S_compass(k + i + 1, kl - i - 1)) continue;
        if (!(n = S_try(g, k + i + 1, kl - i - 1, post)) || !S_significant(g, *post, n)) continue;
        for (c = 0; c < n && !main; c++) {
            const char *nm = g->str + g->places[(*post)[c] & GEO_POST_IDX].name;
            char nk[GEO_KEY_MAX];
            size_t nl = geo_norm_key(nm, strlen(nm), nk);
            main = !((*post)[c] & (GEO_POST_ALT | GEO_POST_DEM)) && nl == kl - i - 1 && !memcmp(nk, k + i + 1, nl);
        }
        if (main) return n;
    }
    *weak = 0;
    return 0;
}

/* See geo_int.h. */
double geo_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 3.14159265358979323846 / 180.0;
    double dl = (lat2 - lat1) * r, dn = (lon2 - lon1) * r;
    double a = sin(dl / 2) * sin(dl / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dn / 2) * sin(dn / 2);
    if (a > 1) a = 1;
    return 6371.0 * 2 * asin(sqrt(a));
}

static int S_ccix(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

#define SITE_POP 100000.0 /* the prior of a named site: that of a town of this many people */
#define W_ALT_SHORT 0.0 /* the short form of the main name ("Newcastle" for Newcastle upon Tyne): no doubt */
#define W_ALT_MAIN 4.0 /* alternate name when another place has it as main name */

/* Prior of a candidate from what it is, whatever the article says. */
/* has_main: 0 no candidate bears the name as its main name, 1 one does, 2 a country does */
static double S_prior(const geo_rec *r, uint32_t flags, int has_main)
{
    double s;
    switch (r->kind) {
    case GEO_K_COUNTRY: s = 9.0 + 0.25 * log10((double)r->population + 1); break;
    case GEO_K_REGION: s = 9.5; break;
    case GEO_K_ADM1: s = 5.0 + 0.5 * log10((double)r->population + 1); break;
    case GEO_K_ADM2: s = 3.0 + 0.5 * log10((double)r->population + 1); break;
    default:
        /* cities1000 holds places of 1,000+ people (or seats): 0 means unknown */
        s = log10((double)(r->population > 1000 ? r->population : 1000) + 1);
        /* a named site (data/geo/sites) is as well known as a town of SITE_POP people:
           "Heathrow" is the airport before Heathrow, Florida, unless the article is set there */
        if (geo_is_site(r)) s = log10(SITE_POP);
        if (!strncmp(r->fcode, "PPLC", 4)) s += 3.0;
        else if (!strncmp(r->fcode, "PPLA2", 5)) s += 0.5;
        else if (!strncmp(r->fcode, "PPLA", 4)) s += 1.5;
        else if (!strncmp(r->fcode, "PPLX", 4)) s -= 1.0;
        else if (!strncmp(r->fcode, "PPLH", 4) || !strncmp(r->fcode, "PPLQ", 4) || !strncmp(r->fcode, "PPLW", 4)) s -= 3.0;
        break;
    }
    /* an alternate name: a small doubt alone, a large one beside a place
       that bears the name as its main name */
    if (flags & GEO_POST_ALT)
        s -= r->kind == GEO_K_ADM1 ? 0.5 : (flags & GEO_POST_SHORT) ? W_ALT_SHORT : has_main ? W_ALT_MAIN : 1.0;
    return s;
}

/* weights of the context terms */
#define W_ACTOR 2.0   /* candidate in an actor's country */
#define W_EVID 2.0    /* per log2 unit of mentions resolved into its country */
#define W_QUAL_CC 8.0 /* qualifier names its country */
#define W_QUAL_A1 10.0 /* qualifier names its region */
#define W_NEAR1 2.5   /* within 50 km of another mention's place */
#define W_NEAR2 1.5   /* within 200 km */
#define W_NEAR3 0.5   /* within 500 km */
#define W_INADM 3.0   /* inside a region another mention names, or the region of another's city */
#define W_LIST 1.5    /* a neighbour in a list of names is of the same kind and country */
#define W_HINT 2.0    /* the name says what kind of place it is ("Gaza City") */
#define W_FULL 4.0    /* the place another mention names in full ("Suffolk County" for "Suffolk") */
#define W_CTX_MAX 6.0 /* all the article's context together (qualifiers apart) */
#define W_CTX_OVER 0.05 /* ... and a twentieth of what lies beyond it: more context still breaks a tie */
#define W_NOT_COUNTRY 6.0 /* a town bearing a country's name */
#define REGION_KM 100.0 /* a town this close to a one-country region's point is inside it, for a qualifier */
#define AMONG_REGIONS 3 /* other admin-1 regions of its country that keep a region named after its city ... */
#define CITY_SHARE_MAX 0.6 /* ... when the city holds less than this share of its people */
#define MAX_CANDS 2000  /* candidates read per name */
#define MAX_SHORT 64    /* candidates scored per name: the best priors */
#define MAX_CTX 256     /* other names that give context */

/* The kind of place word t[0..n) names: a GEO_K_* + 1, or 0. With `gov`
 * (a word after the name) only "state", "province", the titles of their
 * heads ("governor", "mayor") and "court" (a court named after a place that
 * is both a state and a city is the state's: "a New York court") count:
 * "the Zebulon district" says little. */
static int S_kind_word(const char *t, size_t n, int gov)
{
    static const char *const CITY[] = { "city", "town", "village", NULL };
    static const char *const A1[] = { "province", "state", "region", "governorate", "oblast", "prefecture", NULL };
    static const char *const A2[] = { "county", "district", "parish", "borough", NULL };
    char w[16];
    size_t i;
    if (n == 0 || n >= sizeof w) return 0;
    for (i = 0; i < n; i++) w[i] = (char)((t[i] >= 'A' && t[i] <= 'Z') ? t[i] + 32 : t[i]);
    w[n] = 0;
    if (gov) {   /* after the name: only the words that surely say the level */
        if (!strcmp(w, "state") || !strcmp(w, "province") || !strcmp(w, "governor") || !strcmp(w, "gov") || !strcmp(w, "court"))
            return GEO_K_ADM1 + 1;
        if (!strcmp(w, "mayor")) return GEO_K_CITY + 1;
        return 0;
    }
    for (i = 0; CITY[i]; i++) if (!strcmp(w, CITY[i])) return GEO_K_CITY + 1;
    for (i = 0; A1[i]; i++) if (!strcmp(w, A1[i])) return GEO_K_ADM1 + 1;
    for (i = 0; A2[i]; i++) if (!strcmp(w, A2[i])) return GEO_K_ADM2 + 1;
    return 0;
}

/* The kind of place the mention asks for: by its last word ("Gaza City",
 * "Kandahar province", "Harlan County"), the word after it ("Washington
 * state", "New York governor") or the words before it ("the state of
 * Washington", "the province of Manitoba"): a GEO_K_* + 1, or 0 when nothing says. */
static int S_hint(const doc *d, const geo_mention *m)
{
    uint32_t b = m->end, e;
    int k;
    while (b > m->start && d->text[b - 1] != ' ') b--;
    if ((k = S_kind_word(d->text + b, m->end - b, 0))) return k;
    /* the next word */
    b = m->end;
    if (b < d->len && d->text[b] == ' ') {
        for (e = ++b; e < d->len && ((d->text[e] >= 'a' && d->text[e] <= 'z') || (d->text[e] >= 'A' && d->text[e] <= 'Z')); e++) {}
        if ((k = S_kind_word(d->text + b, e - b, 1))) return k;
    }
    /* "KIND of " before */
    if (m->start >= 4 && !memcmp(d->text + m->start - 4, " of ", 4)) {
        e = m->start - 4;
        for (b = e; b > 0 && d->text[b - 1] >= 'a' && d->text[b - 1] <= 'z'; b--) {}
        if ((k = S_kind_word(d->text + b, e - b, 1)) == GEO_K_ADM1 + 1) return k;
    }
    return 0;
}

/* What one resolved group offers as context to the others. */
typedef struct ctx_pick { uint32_t place, group; } ctx_pick;

/* Scratch state of one resolution. */
typedef struct res {
    const geo_gaz *g;
    const doc *d;
    geo_mention *m;
    size_t n;
    uint32_t *grp;        /* group leader of each mention */
    int32_t *qhead, *qnext; /* per leader: mentions of the group that carry a qualifier */
    double ev[676];       /* country evidence: resolved groups per country */
    uint8_t actor[676];   /* actor countries */
    int *capk;            /* per leader: country index of a capital bearing the name, or -1 */
    ctx_pick *ctx;        /* the other groups' picks (at most MAX_CTX) */
    size_t nctx;
    int32_t *lprev, *lnext; /* neighbours in a list of names ("Ohio, Utah and Washington"), -1 */
    int32_t *full;        /* per leader: a mention naming it with its level word ("Suffolk County" for "Suffolk"), -1 */
} res;

/* 1 when admin-1 region r bears the name of its own country ("México",
 * the state, in Mexico). */
static int S_named_like_country(const geo_gaz *g, const geo_rec *r)
{
    char a[GEO_KEY_MAX], b[GEO_KEY_MAX];
    size_t al, bl;
    int k = S_ccix(r->cc);
    const char *cn;
    if (k < 0 || g->ccindex[k] == UINT32_MAX) return 0;
    cn = g->str + g->places[g->ccindex[k]].name;
    al = geo_norm_key(g->str + r->name, strlen(g->str + r->name), a);
    bl = geo_norm_key(cn, strlen(cn), b);
    return al && al == bl && !memcmp(a, b, al);
}

/* The article's context, capped softly at W_CTX_MAX. */
static double S_cap(double ctx)
{
    return ctx > W_CTX_MAX ? W_CTX_MAX + W_CTX_OVER * (ctx - W_CTX_MAX) : ctx;
}

/* Score of candidate posting `post` for group leader i. */
static double S_score(const res *R, size_t i, uint32_t post, int has_main, int round, int hint)
{
    const geo_gaz *g = R->g;
    const geo_mention *m = R->m;
    uint32_t pi = post & GEO_POST_IDX;
    const geo_rec *r = &g->places[pi];
    double s = S_prior(r, post, has_main), qbest = 0, dmin = 1e9, ctx = 0;
    int k = S_ccix(r->cc), selfk = -1, inadm = 0;
    int32_t j;
    size_t c;

    if (m[i].weak && !S_significant(g, &post, 1)) s -= 5.0;
    if (hint && r->kind == hint - 1) s += W_HINT;
    /* a country's own name is the country, not a town named after it */
    if (has_main == 2 && (r->kind == GEO_K_CITY || r->kind == GEO_K_ADM2)) s -= W_NOT_COUNTRY;
    /* ... nor the region of it that bears its name (the state of México) */
    if (has_main == 2 && r->kind == GEO_K_ADM1 && S_named_like_country(g, r)) s -= W_NOT_COUNTRY / 2;
    if (m[i].pick >= 0) selfk = S_ccix(g->places[m[i].pick].cc);
    if (k >= 0) {
        double e = R->ev[k] - (k == selfk ? (m[i].weak ? 0.5 : 1.0) : 0);
        /* actors add what the places do not say; capitals and countries are
           themselves actors' names ("London said"), so they get nothing from it */
        if (R->actor[k] && e <= 0 && r->kind != GEO_K_COUNTRY && strncmp(r->fcode, "PPLC", 4) != 0 && R->capk[i] != k)
            ctx += W_ACTOR;
        if (e > 0) ctx += W_EVID * (e >= 3 ? 2.0 : log2(1 + e));
    }
    for (j = R->qhead[i]; j >= 0; j = R->qnext[j]) {
        /* a qualifier of any mention of the name: does one of its readings contain this one? */
        const geo_mention *q = &m[m[j].qual];
        uint32_t qc, qn = q->npost < MAX_CANDS ? q->npost : MAX_CANDS;
        for (qc = 0; qc < qn; qc++) {
            uint32_t qi = q->post[qc] & GEO_POST_IDX;
            const geo_rec *qr = &g->places[qi];
            double b = 0;
            if (qr->kind == GEO_K_COUNTRY && k >= 0 && !memcmp(qr->cc, r->cc, 2)) b = W_QUAL_CC;
            else if ((qr->kind == GEO_K_ADM1 && r->adm1 == qi) || (qr->kind == GEO_K_ADM2 && r->adm2 == qi)) b = W_QUAL_A1;
            else if (qr->kind == GEO_K_REGION && qr->cc[0] && r->kind == GEO_K_CITY && !memcmp(qr->cc, r->cc, 2) &&
                     geo_km(r->lat, r->lon, qr->lat, qr->lon) < REGION_KM)
                b = W_QUAL_A1;   /* "Santa Cruz, Davao del Sur": a province known by its point */
            else if (qr->kind == GEO_K_CITY && r->kind == GEO_K_CITY && geo_km(r->lat, r->lon, qr->lat, qr->lon) < 50) b = W_NEAR1;
            if (b > qbest) qbest = b;
        }
    }
    s += qbest;
    if (round == 0) return s + S_cap(ctx);
    if (R->full[i] >= 0 && m[R->full[i]].pick == (int32_t)pi) s += W_FULL;
    for (c = 0; c < R->nctx; c++) {
        uint32_t op = R->ctx[c].place;
        const geo_rec *o;
        if (R->ctx[c].group == i || op == pi) continue;
        o = &g->places[op];
        if (o->kind == GEO_K_CITY && r->kind == GEO_K_CITY && fabsf(r->lat - o->lat) < 4.6f) {
            double km = geo_km(r->lat, r->lon, o->lat, o->lon);   /* 4.6 degrees of latitude > 500 km */
            if (km < dmin) dmin = km;
        }
        if (((o->kind == GEO_K_ADM1 || o->kind == GEO_K_ADM2) && (r->adm1 == op || r->adm2 == op)) ||
            ((r->kind == GEO_K_ADM1 || r->kind == GEO_K_ADM2) && (o->adm1 == pi || o->adm2 == pi)))
            inadm++;
    }
    if (dmin < 50) ctx += W_NEAR1;
    else if (dmin < 200) ctx += W_NEAR2;
    else if (dmin < 500) ctx += W_NEAR3;
    if (inadm) ctx += W_INADM * (inadm > 1 ? 1.5 : 1.0);
    /* the items of a list are alike: states beside states */
    for (c = 0; c < 2; c++) {
        int32_t nb = c ? R->lnext[i] : R->lprev[i];
        const geo_rec *o;
        if (nb < 0 || m[nb].pick < 0 || (uint32_t)m[nb].pick == pi) continue;
        o = &g->places[m[nb].pick];
        if (o->kind != r->kind) continue;
        /* countries beside countries; regions of one country; towns and counties of one region */
        if (r->kind == GEO_K_COUNTRY || r->kind == GEO_K_REGION ||
            (r->kind == GEO_K_ADM1 && !memcmp(o->cc, r->cc, 2)) ||
            ((r->kind == GEO_K_CITY || r->kind == GEO_K_ADM2) && r->adm1 != UINT32_MAX && o->adm1 == r->adm1)) {
            ctx += W_LIST;
            break;
        }
    }
    return s + S_cap(ctx);
}

/* Administrative level of a kind: country 0, admin-1 1, admin-2 2, city 3
 * (regions of the world and seas -1: above them all). */
static int S_level(uint8_t kind)
{
    switch (kind) {
    case GEO_K_COUNTRY: return 0;
    case GEO_K_ADM1: return 1;
    case GEO_K_ADM2: return 2;
    case GEO_K_CITY: return 3;
    default: return -1;
    }
}

/* See geo_int.h. */
int geo_list_gap(const doc *d, uint32_t a, uint32_t b)
{
    static const char *const GAP[] = { ", ", " and ", ", and ", " or ", ",", NULL };
    size_t k;
    for (k = 0; GAP[k]; k++)
        if (b >= a && b - a == strlen(GAP[k]) && !memcmp(d->text + a, GAP[k], b - a)) return 1;
    return 0;
}

/* 1 when "x, q" (mentions x and q) is part of a longer list of places
 * ("Tamworth, Armidale, Moree", "Kenya, Mombasa, Uganda"): then q does
 * not qualify x, unless the next item only qualifies q in turn ("Zebulonville,
 * Ontario, Canada"). Uses the list neighbours and picks in R. */
static int S_listed(const res *R, size_t x, size_t q)
{
    int32_t nx = R->lnext[q], qp = R->m[q].pick, np;
    const geo_rec *a, *b;
    if (R->lprev[x] >= 0) return 1;
    if (nx < 0) return 0;
    /* "Zebulonville, Ontario, Canada": the next item holds q, a chain of qualifiers */
    np = R->m[nx].pick;
    if (qp < 0 || np < 0) return 1;
    a = &R->g->places[qp];
    b = &R->g->places[np];
    if (b->kind == GEO_K_COUNTRY && a->kind != GEO_K_COUNTRY && !memcmp(a->cc, b->cc, 2)) return 0;
    if (b->kind == GEO_K_ADM1 && a->kind == GEO_K_ADM2 && a->adm1 == (uint32_t)np) return 0;
    return 1;
}

/* 1 when the name is itself the main name of a country or admin-1 region
 * ("Kansas" in "Nevada, Kansas, Oklahoma" is no town of Oklahoma). */
static int S_is_region(const geo_gaz *g, const geo_mention *m)
{
    uint32_t c, n = m->npost < MAX_CANDS ? m->npost : MAX_CANDS;
    for (c = 0; c < n; c++) {
        uint8_t k = g->places[m->post[c] & GEO_POST_IDX].kind;
        if (!(m->post[c] & (GEO_POST_ALT | GEO_POST_DEM)) && (k == GEO_K_ADM1 || k == GEO_K_COUNTRY)) return 1;
    }
    return 0;
}

/* 1 when a mention of group i qualifies a place of region `reg` away from
 * its main city `city` ("Rochester, New York" is the state; "Brooklyn, New York"
 * the city). */
static int S_qualifies(const res *R, size_t i, uint32_t reg, const geo_rec *city)
{
    size_t j;
    for (j = 0; j < R->n; j++) {
        int32_t q = R->m[j].qual, p = R->m[j].pick;
        const geo_rec *r;
        if (q < 0 || (size_t)q >= R->n || R->grp[q] != i || p < 0) continue;
        r = &R->g->places[p];
        if (r->adm1 == reg && geo_km(r->lat, r->lon, city->lat, city->lon) > 50) return 1;
    }
    return 0;
}

/* 1 when mention j is picked as an admin-1 region. */
static int S_is_adm1(const res *R, int32_t j)
{
    return j >= 0 && R->m[j].pick >= 0 && R->g->places[R->m[j].pick].kind == GEO_K_ADM1;
}

/* 1 when a mention of group i stands in a list of admin-1 regions, with two
 * more of them on one side or one on each ("Pennsylvania, New Jersey, New York,
 * Vermont"): there "New York" is the state, not the city. */
static int S_listed_region(const res *R, size_t i)
{
    size_t j;
    for (j = 0; j < R->n; j++) {
        int32_t p, n;
        if (R->grp[j] != i) continue;
        p = R->lprev[j];
        n = R->lnext[j];
        if ((S_is_adm1(R, p) && S_is_adm1(R, n)) || (S_is_adm1(R, p) && S_is_adm1(R, R->lprev[p])) ||
            (S_is_adm1(R, n) && S_is_adm1(R, R->lnext[n])))
            return 1;
    }
    return 0;
}

/* 1 when the article names at least three other admin-1 regions of region
 * a's country ("Oregon, Idaho and Montana. New York sent 40"):
 * a region's name among them is the region's. */
static int S_among_regions(const res *R, size_t i, uint32_t a)
{
    const geo_rec *ra = &R->g->places[a];
    uint32_t seen[AMONG_REGIONS];
    size_t j, k, n = 0;
    for (j = 0; j < R->n && n < AMONG_REGIONS; j++) {
        const geo_rec *r;
        if (R->grp[j] != j || j == i || R->m[j].pick < 0 || (uint32_t)R->m[j].pick == a) continue;
        r = &R->g->places[R->m[j].pick];
        if (r->kind != GEO_K_ADM1 || memcmp(r->cc, ra->cc, 2) != 0) continue;
        for (k = 0; k < n && seen[k] != (uint32_t)R->m[j].pick; k++) {}
        if (k == n) seen[n++] = (uint32_t)R->m[j].pick;
    }
    return n >= AMONG_REGIONS;
}

/* A mention's key for grouping: its candidate list (same name = same list). */
typedef struct gkey { const uint32_t *post; uint32_t npost, idx; } gkey;

static int S_cmp_key(const void *a, const void *b)
{
    const gkey *x = a, *y = b;
    if (x->post != y->post) return (uintptr_t)x->post < (uintptr_t)y->post ? -1 : 1;
    if (x->npost != y->npost) return x->npost < y->npost ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Order by text position (kept in npost), then index. */
static int S_cmp_start(const void *a, const void *b)
{
    const gkey *x = a, *y = b;
    if (x->npost != y->npost) return x->npost < y->npost ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* For each group leader, a mention that names the same words with a level
 * word after them ("Suffolk County", "Kandahar Province" beside "Suffolk",
 * "Kandahar"): the article's full name for the short one, which then
 * means the same place unless the rest says otherwise. */
static void S_full_names(res *R)
{
    static const char *const LEVEL[] = { " county", " parish", " province", " district", " governorate", NULL };
    const doc *d = R->d;
    const geo_mention *m = R->m;
    size_t i, j, k;
    for (i = 0; i < R->n; i++) R->full[i] = -1;
    for (j = 0; j < R->n; j++) {
        uint32_t len = m[j].end - m[j].start, hl;
        if (!m[j].npost || m[j].end <= m[j].start) continue;
        for (k = 0; LEVEL[k]; k++) {
            size_t ll = strlen(LEVEL[k]);
            if (len > ll && !strncasecmp(d->text + m[j].end - ll, LEVEL[k], ll)) break;
        }
        if (!LEVEL[k]) continue;
        hl = len - (uint32_t)strlen(LEVEL[k]);
        for (i = 0; i < R->n; i++) {
            size_t ld = R->grp[i];
            if (ld != i || R->full[i] >= 0 || R->grp[j] == ld || m[i].end - m[i].start != hl || !m[i].npost) continue;
            if (!memcmp(d->text + m[i].start, d->text + m[j].start, hl)) R->full[i] = (int32_t)j;
        }
    }
}

/* Shortlist: the MAX_SHORT candidates of leader i with the best prior.
 * Returns their count; sets *has_main. */
static uint32_t S_shortlist(const res *R, size_t i, uint32_t *out, int *has_main)
{
    const geo_mention *m = &R->m[i];
    uint32_t nc = m->npost < MAX_CANDS ? m->npost : MAX_CANDS, c, k = 0, w;
    double pr[MAX_SHORT];
    *has_main = 0;
    for (c = 0; c < nc; c++)
        if (!(m->post[c] & (GEO_POST_ALT | GEO_POST_DEM))) {
            if (R->g->places[m->post[c] & GEO_POST_IDX].kind == GEO_K_COUNTRY) { *has_main = 2; break; }
            *has_main = 1;
        }
    for (c = 0; c < nc; c++) {
        double p = S_prior(&R->g->places[m->post[c] & GEO_POST_IDX], m->post[c], *has_main);
        if (k < MAX_SHORT) { out[k] = m->post[c]; pr[k++] = p; continue; }
        for (w = 0; w < k; w++) if (pr[w] < p) break;   /* replace the weakest when better */
        if (w < k) {
            uint32_t lo = 0;
            for (w = 1; w < k; w++) if (pr[w] < pr[lo]) lo = w;
            if (pr[lo] < p) { out[lo] = m->post[c]; pr[lo] = p; }
        }
    }
    return k;
}

/* See geo_int.h. */
int geo_resolve(const geo_gaz *g, const doc *d, geo_mention *m, size_t n, const char (*ctx_cc)[3], size_t n_cc)
{
    res R;
    gkey *ord = NULL;
    uint32_t *shortl = NULL, *nshort = NULL;
    int *hasm = NULL, *hint = NULL;
    size_t i, c;
    int round, rc = -1;

    memset(&R, 0, sizeof R);
    R.g = g; R.d = d; R.m = m; R.n = n;
    if (!n) return 0;
    R.grp = malloc(n * sizeof *R.grp);
    R.qhead = malloc(n * sizeof *R.qhead);
    R.qnext = malloc(n * sizeof *R.qnext);
    R.ctx = malloc(MAX_CTX * sizeof *R.ctx);
    R.lprev = malloc(n * sizeof *R.lprev);
    R.lnext = malloc(n * sizeof *R.lnext);
    ord = malloc(n * sizeof *ord);
    nshort = calloc(n, sizeof *nshort);
    hasm = calloc(n, sizeof *hasm);
    hint = calloc(n, sizeof *hint);
    R.capk = malloc(n * sizeof *R.capk);
    R.full = malloc(n * sizeof *R.full);
    if (!R.grp || !R.qhead || !R.qnext || !R.ctx || !R.lprev || !R.lnext || !ord || !nshort || !hasm || !hint || !R.capk ||
        !R.full)
        goto done;
    for (i = 0; i < n; i++) R.capk[i] = -1;
    for (i = 0; i < n_cc; i++) {
        int k = S_ccix(ctx_cc[i]);
        if (k >= 0) R.actor[k] = 1;
    }
    /* one sense per discourse: mentions of the same name form a group, led by the first */
    for (i = 0; i < n; i++) {
        ord[i].post = m[i].post; ord[i].npost = m[i].npost; ord[i].idx = (uint32_t)i;
        R.grp[i] = (uint32_t)i; R.qhead[i] = R.qnext[i] = -1; m[i].pick = -1;
    }
    qsort(ord, n, sizeof *ord, S_cmp_key);
    for (i = 1; i < n; i++)
        if (ord[i].npost && ord[i].post == ord[i - 1].post && ord[i].npost == ord[i - 1].npost)
            R.grp[ord[i].idx] = R.grp[ord[i - 1].idx];
    /* lists of names, in text order */
    for (i = 0; i < n; i++) { R.lprev[i] = R.lnext[i] = -1; ord[i].idx = (uint32_t)i; ord[i].npost = m[i].start; ord[i].post = NULL; }
    qsort(ord, n, sizeof *ord, S_cmp_start);
    for (i = 1; i < n; i++) {
        uint32_t a = ord[i - 1].idx, b = ord[i].idx;
        if (m[a].end > m[a].start && m[a].end <= m[b].start && m[b].start - m[a].end <= 6 && geo_list_gap(d, m[a].end, m[b].start)) {
            R.lnext[a] = (int32_t)b;
            R.lprev[b] = (int32_t)a;
        }
    }
    for (i = 0; i < n; i++)
        if (m[i].qual >= 0 && (size_t)m[i].qual < n && m[m[i].qual].npost &&
            !(S_is_region(g, &m[i]) && S_listed(&R, i, (size_t)m[i].qual))) {
            R.qnext[i] = R.qhead[R.grp[i]];
            R.qhead[R.grp[i]] = (int32_t)i;
        }
    shortl = malloc(n * MAX_SHORT * sizeof *shortl);
    if (!shortl) goto done;
    for (i = 0; i < n; i++) {
        if (R.grp[i] != i || !m[i].npost) continue;
        nshort[i] = S_shortlist(&R, i, shortl + i * MAX_SHORT, &hasm[i]);
        /* a capital bearing the name: the actor of its country may be the
           capital itself ("Washington"), so that country's actor says
           nothing for the name's other places there (Washington state) */
        for (c = 0; c < nshort[i]; c++) {
            const geo_rec *r = &g->places[shortl[i * MAX_SHORT + c] & GEO_POST_IDX];
            if (!strncmp(r->fcode, "PPLC", 4)) { R.capk[i] = S_ccix(r->cc); break; }
        }
    }
    S_full_names(&R);
    /* a kind any mention of the name asks for holds for all of them */
    for (i = 0; i < n; i++)
        if (m[i].npost && !hint[R.grp[i]]) hint[R.grp[i]] = S_hint(d, &m[i]);
    for (round = 0; round < 3; round++) {
        memset(R.ev, 0, sizeof R.ev);
        R.nctx = 0;
        if (round > 0)
            for (i = 0; i < n; i++) {
                int k;
                if (R.grp[i] != i || m[i].pick < 0) continue;
                k = S_ccix(g->places[m[i].pick].cc);
                if (k >= 0) R.ev[k] += m[i].weak ? 0.5 : 1.0;
                /* a name matched in part ("Dallas County Heritage Hall" read as
                   Dallas, Texas) gives the others no distance or containment
                   context (its country still counts, at half weight) */
                if (R.nctx < MAX_CTX && !m[i].weak) { R.ctx[R.nctx].place = (uint32_t)m[i].pick; R.ctx[R.nctx].group = (uint32_t)i; R.nctx++; }
            }
        for (i = 0; i < n; i++) {
            double best = -1e9;
            int32_t bi = -1;
            const uint32_t *sl = shortl + i * MAX_SHORT;
            if (R.grp[i] != i || !nshort[i]) continue;
            for (c = 0; c < nshort[i]; c++) {
                double sc = S_score(&R, i, sl[c], hasm[i], round, hint[i]);
#ifdef GEO_DEBUG_CANDS
                if (round == 2 && sc > -50)
                    fprintf(stderr, "   cand %.*s: %s %.2s %.5s pop %u score %.2f\n", (int)(m[i].end - m[i].start), d->text + m[i].start,
                            g->str + g->places[sl[c] & GEO_POST_IDX].name, g->places[sl[c] & GEO_POST_IDX].cc,
                            g->places[sl[c] & GEO_POST_IDX].fcode, (unsigned)g->places[sl[c] & GEO_POST_IDX].population, sc);
#endif
                if (sc > best) { best = sc; bi = (int32_t)(sl[c] & GEO_POST_IDX); }
            }
            /* a region named after its main city means the city ("New York"),
               unless it qualifies a town of the region ("Rochester, New York"), stands
               in a list of regions, or the article names three other regions of its
               country and the city holds less than 60% of the region's people */
            if (bi >= 0 && g->places[bi].kind == GEO_K_ADM1 && hint[i] != GEO_K_ADM1 + 1) {
                const geo_rec *a = &g->places[bi];
                for (c = 0; c < nshort[i]; c++) {
                    uint32_t pi = sl[c] & GEO_POST_IDX;
                    const geo_rec *r = &g->places[pi];
                    if (r->kind == GEO_K_CITY && r->adm1 == (uint32_t)bi &&
                        (double)r->population >= 0.25 * (double)a->population) {
                        if (!S_qualifies(&R, i, (uint32_t)bi, r) && !S_listed_region(&R, i) &&
                            !((double)r->population < CITY_SHARE_MAX * (double)a->population &&
                              S_among_regions(&R, i, (uint32_t)bi)))
                            bi = (int32_t)pi;
                        break;
                    }
                }
            }
#ifdef GEO_DEBUG
            if (round == 2)
                fprintf(stderr, "%.*s -> %s %.2s %.5s score %.2f (n %u)\n", (int)(m[i].end - m[i].start), d->text + m[i].start,
                        bi >= 0 ? g->str + g->places[bi].name : "-", bi >= 0 ? g->places[bi].cc : "--",
                        bi >= 0 ? g->places[bi].fcode : "", best, m[i].npost);
#endif
            m[i].pick = bi;
            m[i].score = best;
        }
        for (i = 0; i < n; i++)
            if (R.grp[i] != i) { m[i].pick = m[R.grp[i]].pick; m[i].score = m[R.grp[i]].score; }
    }
    /* "Tbilisi, Missouri" where no Tbilisi of the gazetteer lies in Missouri
       (or none is known at all): the qualifying region is the best answer */
    for (i = 0; i < n; i++) {
        const geo_rec *q, *r;
        int32_t qp;
        /* "Aleppo in Turkey" may say where the people from Aleppo are: only a
           comma says the qualifier holds the place */
        if (m[i].qual < 0 || (size_t)m[i].qual >= n || m[i].qual_in || (qp = m[m[i].qual].pick) < 0) continue;
        q = &g->places[qp];
        /* (a one-country region of extra.tsv, "Berkshire": when no place of the
           name lies in its country; its extent is not known) */
        if (q->kind != GEO_K_COUNTRY && q->kind != GEO_K_ADM1 && q->kind != GEO_K_ADM2 &&
            !(q->kind == GEO_K_REGION && q->cc[0]))
            continue;
        if (m[i].pick < 0) {
            if (m[i].requested && !S_listed(&R, i, (size_t)m[i].qual)) m[i].pick = qp;
            continue;
        }
        r = &g->places[m[i].pick];
        if (q->kind == GEO_K_REGION) {
            if ((r->kind == GEO_K_CITY || r->kind == GEO_K_ADM2) && !S_listed(&R, i, (size_t)m[i].qual) &&
                memcmp(r->cc, q->cc, 2) != 0)
                m[i].pick = qp;
            continue;
        }
        if (S_level(r->kind) <= S_level(q->kind)) continue;   /* a list: "Nevada, Oregon" */
        if (S_listed(&R, i, (size_t)m[i].qual)) continue;
        if (q->kind == GEO_K_COUNTRY ? memcmp(r->cc, q->cc, 2) != 0 :
            q->kind == GEO_K_ADM1 ? r->adm1 != (uint32_t)qp : r->adm2 != (uint32_t)qp)
            m[i].pick = qp;
    }
    rc = 0;
done:
    free(R.grp); free(R.qhead); free(R.qnext); free(R.ctx); free(R.lprev); free(R.lnext); free(R.capk); free(R.full);
    free(ord); free(shortl); free(nshort); free(hasm); free(hint);
    return rc;
}

/* See geo_int.h. */
int geo_fill(const geo_gaz *g, doc *d, const geo_mention *m, sitrep_place *p)
{
    memset(p, 0, sizeof *p);
    p->start = m->start;
    p->end = m->end;
    p->text = arena_strndup(&d->a, d->text + m->start, m->end - m->start);
    if (!p->text) return -1;
    if (m->pick < 0) {
        p->name = "";
        p->admin1 = "";
        return 0;
    }
    {
        const geo_rec *r = &g->places[m->pick];
        p->name = arena_strndup(&d->a, g->str + r->name, strlen(g->str + r->name));
        p->admin1 = arena_strndup(&d->a, g->str + r->admin1_name, strlen(g->str + r->admin1_name));
        if (!p->name || !p->admin1) return -1;
        p->geonameid = r->geonameid;
        p->lat = r->lat;
        p->lon = r->lon;
        p->country_code[0] = r->cc[0];
        p->country_code[1] = r->cc[1];
        p->country_code[2] = 0;
        memcpy(p->feature_code, r->fcode, 6);
        p->feature_code[6] = 0;
    }
    return 0;
}
