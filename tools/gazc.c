/* gazc.c - the gazetteer compiler: GeoNames cities1000 + admin-1 names +
 * country list (+ our hand-written regions) -> build/gazetteer.bin.
 *
 * Usage: gazc CITIES1000_TXT GEO_DIR EXTRA_TSV [SITES_TSV...] OUT_BIN
 * (GEO_DIR holds countries.tsv, admin1.tsv, admin2.tsv and cities-extra.tsv
 * from tools/geo-extract.js, and cities500.txt, read instead of
 * CITIES1000_TXT, when GeoNames' cities500 is installed; the
 * extra file is data/geo/extra.tsv). The output layout is src/geo_fmt.h.
 * A build tool: it exits non-zero with a message on any error. */
#include "geo_fmt.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pt { double x, y; } pt;   /* lon, lat */

typedef struct place {
    geo_rec r;
    char *name, *adm1name;
    double sw, slat, slon;          /* ADM1: weighted sums of its cities */
    double minlat, maxlat, minlon, maxlon;
    uint32_t ncity;
    pt *pts; size_t npts, cpts;     /* ADM1: its cities, for the hull */
    char adm1code[40];              /* "CC.CODE" for ADM1 records, "CC.A1.A2" for ADM2 */
    int has_label;                  /* ADM1: Natural Earth's label point (llat, llon) and GeoNames id */
    char *ne_names;                 /* ADM1: Natural Earth's other names ("A|B"), or NULL */
    double llat, llon;
    int32_t gnid;
    int fixed;                      /* ADM1: a reference point given in extra.tsv (flat, flon) */
    double flat, flon;
} place;

typedef struct nm { char *key; uint32_t place, flags; } nm;

static place *P; static size_t NP, CP;
static nm *N; static size_t NN, CN;

static void die(const char *m, const char *a)
{
    fprintf(stderr, "gazc: %s%s%s\n", m, a ? ": " : "", a ? a : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) die("out of memory", NULL);
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xrealloc(NULL, n);
    memcpy(p, s, n);
    return p;
}

static uint32_t add_place(void)
{
    if (NP == CP) { CP = CP ? 2 * CP : 4096; P = xrealloc(P, CP * sizeof *P); }
    memset(&P[NP], 0, sizeof P[NP]);
    P[NP].r.adm1 = UINT32_MAX;
    P[NP].r.adm2 = UINT32_MAX;
    P[NP].minlat = P[NP].minlon = 1e9;
    P[NP].maxlat = P[NP].maxlon = -1e9;
    return (uint32_t)NP++;
}

/* Index name `s` (len bytes) for place `pi`. */
static void add_name(const char *s, size_t len, uint32_t pi, uint32_t flags)
{
    char key[GEO_KEY_MAX];
    size_t k = geo_norm_key(s, len, key);
    if (!k) return;
    if (NN == CN) { CN = CN ? 2 * CN : 65536; N = xrealloc(N, CN * sizeof *N); }
    N[NN].key = xstrdup(key);
    N[NN].place = pi;
    N[NN].flags = flags;
    NN++;
}

static void add_namez(const char *s, uint32_t pi, uint32_t flags) { add_name(s, strlen(s), pi, flags); }

/* Split line in place on tabs; returns number of fields. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    f[n++] = p;
    while (*p && n < max) {
        if (*p == '\t') { *p = 0; f[n++] = p + 1; }
        else if (*p == '\n' || *p == '\r') { *p = 0; break; }
        p++;
    }
    for (; *p; p++) if (*p == '\n' || *p == '\r') { *p = 0; break; }
    return n;
}

static void set_fcode(geo_rec *r, const char *fc)
{
    memset(r->fcode, 0, sizeof r->fcode);
    memcpy(r->fcode, fc, strnlen(fc, sizeof r->fcode));
}

static uint32_t CC[676];
static int cc_idx(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

/* Index each |-separated name of `list`. */
static void add_list(char *list, uint32_t pi, uint32_t flags)
{
    char *s = list, *bar;
    while (s && *s) {
        bar = strchr(s, '|');
        add_name(s, bar ? (size_t)(bar - s) : strlen(s), pi, flags);
        s = bar ? bar + 1 : NULL;
    }
}

static double CW = 0.75;  /* weight of the shape's centroid in the blend */

static double CMAXKM = 350;  /* farther apart than this (archipelagos, odd shapes), the listed point alone */

static double km_apart(double a, double b, double c, double d)
{
    const double r = 3.14159265358979323846 / 180.0;
    double x = sin((c - a) * r / 2) * sin((c - a) * r / 2) + cos(a * r) * cos(c * r) * sin((d - b) * r / 2) * sin((d - b) * r / 2);
    return 6371.0 * 2 * asin(sqrt(x > 1 ? 1 : x));
}

/* use_shape: 0 the listed point, 1 the shape's centroid, 2 the midpoint of the two */
static void read_countries(const char *path, int use_shape)
{
    FILE *f = fopen(path, "r");
    char line[65536], *fl[12];
    if (!f) die(strerror(errno), path);
    while (fgets(line, sizeof line, f)) {
        int n = split(line, fl, 12), ci;
        uint32_t pi;
        if (n < 9 || (ci = cc_idx(fl[0])) < 0) continue;
        pi = add_place();
        P[pi].r.kind = GEO_K_COUNTRY;
        P[pi].r.cc[0] = fl[0][0]; P[pi].r.cc[1] = fl[0][1];
        if (use_shape == 1 && fl[3][0]) { P[pi].r.lat = (float)atof(fl[3]); P[pi].r.lon = (float)atof(fl[4]); }
        else if (use_shape == 2 && fl[3][0] && km_apart(atof(fl[1]), atof(fl[2]), atof(fl[3]), atof(fl[4])) < CMAXKM) {
            P[pi].r.lat = (float)((1 - CW) * atof(fl[1]) + CW * atof(fl[3]));
            P[pi].r.lon = (float)((1 - CW) * atof(fl[2]) + CW * atof(fl[4]));
        } else { P[pi].r.lat = (float)atof(fl[1]); P[pi].r.lon = (float)atof(fl[2]); }
        P[pi].r.geonameid = -(int32_t)(1000 + ci);
        P[pi].r.population = (uint32_t)atof(fl[5]);   /* countries: area in km2 */
        set_fcode(&P[pi].r, "PCLI");
        {
            char *bar = strchr(fl[7], '|');
            P[pi].name = bar ? (char *)memcpy(xrealloc(NULL, (size_t)(bar - fl[7]) + 1), fl[7], (size_t)(bar - fl[7])) : xstrdup(fl[7]);
            if (bar) P[pi].name[bar - fl[7]] = 0;
        }
        P[pi].adm1name = xstrdup("");
        CC[ci] = pi;
        add_list(fl[7], pi, 0);
        add_list(fl[8], pi, GEO_POST_DEM);
    }
    fclose(f);
}

static int cmp_adm(const void *a, const void *b)
{
    return strcmp(P[*(const uint32_t *)a].adm1code, P[*(const uint32_t *)b].adm1code);
}
static uint32_t *ADM; static size_t NADM;    /* ADM1 records sorted by code */
static uint32_t *ADM2; static size_t NADM2;  /* ADM2 records sorted by code */

static uint32_t find_code(const uint32_t *ix, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(P[ix[mid]].adm1code, key);
        if (!c) return ix[mid];
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return UINT32_MAX;
}

static uint32_t find_adm(const char *cc, const char *code)
{
    char key[40];
    snprintf(key, sizeof key, "%.2s.%.30s", cc, code);
    return find_code(ADM, NADM, key);
}

static uint32_t find_adm2(const char *cc, const char *a1, const char *a2)
{
    char key[40];
    if (!a2[0]) return UINT32_MAX;
    snprintf(key, sizeof key, "%.2s.%.12s.%.20s", cc, a1, a2);
    return find_code(ADM2, NADM2, key);
}

static const char *const ADM_SUFFIX[] = {
    " province", " region", " county", " department", " district", " oblast", " state",
    " governorate", " municipality", " parish", " prefecture", " division", " krai", " kray",
    " voivodeship", " autonomous region", " autonomous community", NULL };
static const char *const ADM_PREFIX[] = {
    "province of ", "provincia de ", "provincia di ", "estado de ", "departamento de ",
    "region of ", "state of ", "muhafazat ", "wilayat ", "regiao ", "region de ", NULL };

/* Index the admin-1 name with and without its generic suffix/prefix. */
static void add_adm_names(const char *name, uint32_t pi)
{
    char key[GEO_KEY_MAX];
    size_t k = geo_norm_key(name, strlen(name), key), i;
    add_namez(name, pi, 0);
    if (!k) return;
    for (i = 0; ADM_SUFFIX[i]; i++) {
        size_t sl = strlen(ADM_SUFFIX[i]);
        if (k > sl + 2 && !strcmp(key + k - sl, ADM_SUFFIX[i])) { add_name(key, k - sl, pi, GEO_POST_ALT); break; }
    }
    for (i = 0; ADM_PREFIX[i]; i++) {
        size_t pl = strlen(ADM_PREFIX[i]);
        if (k > pl + 2 && !strncmp(key, ADM_PREFIX[i], pl)) { add_name(key + pl, k - pl, pi, GEO_POST_ALT); break; }
    }
}

static void read_admin1(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096], *fl[7];
    size_t i;
    if (!f) die(strerror(errno), path);
    while (fgets(line, sizeof line, f)) {
        int n = split(line, fl, 7);
        uint32_t pi;
        if (n < 2 || strlen(fl[0]) < 4 || strlen(fl[0]) >= 40 || fl[0][2] != '.') continue;
        pi = add_place();
        P[pi].r.kind = GEO_K_ADM1;
        P[pi].r.cc[0] = fl[0][0]; P[pi].r.cc[1] = fl[0][1];
        memcpy(P[pi].adm1code, fl[0], strlen(fl[0]) + 1);
        set_fcode(&P[pi].r, "ADM1");
        P[pi].name = xstrdup(fl[1]);
        P[pi].adm1name = xstrdup(fl[1]);
        add_adm_names(fl[1], pi);
        if (n > 2 && fl[2][0]) add_namez(fl[2], pi, GEO_POST_ALT);
        /* Natural Earth's English and alternate names ("Menoufia"): added once its
           label point shows that its code is this region's (below) */
        if (n > 6 && fl[6][0]) P[pi].ne_names = xstrdup(fl[6]);
        if (n > 4 && fl[3][0] && fl[4][0]) {
            P[pi].has_label = 1;
            P[pi].llat = atof(fl[3]);
            P[pi].llon = atof(fl[4]);
            P[pi].gnid = n > 5 ? (int32_t)atol(fl[5]) : 0;
        }
    }
    fclose(f);
    ADM = xrealloc(NULL, (NP + 1) * sizeof *ADM);
    for (i = 0; i < NP; i++) if (P[i].r.kind == GEO_K_ADM1) ADM[NADM++] = (uint32_t)i;
    qsort(ADM, NADM, sizeof *ADM, cmp_adm);
    for (i = 0; i < NADM; i++)
        P[ADM[i]].r.geonameid = P[ADM[i]].gnid > 0 ? P[ADM[i]].gnid : -(int32_t)(100000 + i);
}

static const char *const ADM2_SUFFIX[] = {
    " county", " district", " parish", " borough", " municipality", " department", " prefecture",
    " city", " regency", NULL };

static void read_admin2(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096], *fl[4];
    size_t i;
    if (!f) die(strerror(errno), path);
    while (fgets(line, sizeof line, f)) {
        int n = split(line, fl, 4);
        uint32_t pi;
        char key[GEO_KEY_MAX], a1[40], *dot;
        size_t k;
        if (n < 2 || strlen(fl[0]) < 6 || strlen(fl[0]) >= 40 || fl[0][2] != '.') continue;
        pi = add_place();
        P[pi].r.kind = GEO_K_ADM2;
        P[pi].r.cc[0] = fl[0][0]; P[pi].r.cc[1] = fl[0][1];
        memcpy(P[pi].adm1code, fl[0], strlen(fl[0]) + 1);
        set_fcode(&P[pi].r, "ADM2");
        P[pi].name = xstrdup(fl[1]);
        memcpy(a1, fl[0] + 3, strlen(fl[0] + 3) + 1);
        dot = strchr(a1, '.');
        if (dot) *dot = 0;
        P[pi].r.adm1 = find_adm(fl[0], a1);
        P[pi].adm1name = xstrdup(P[pi].r.adm1 == UINT32_MAX ? "" : P[P[pi].r.adm1].name);
        add_namez(fl[1], pi, 0);
        k = geo_norm_key(fl[1], strlen(fl[1]), key);
        for (i = 0; k && ADM2_SUFFIX[i]; i++) {
            size_t sl = strlen(ADM2_SUFFIX[i]);
            if (k > sl + 2 && !strcmp(key + k - sl, ADM2_SUFFIX[i])) { add_name(key, k - sl, pi, GEO_POST_ALT); break; }
        }
        if (k > 10 && !strncmp(key, "city of ", 8)) add_name(key + 8, k - 8, pi, GEO_POST_ALT);
    }
    fclose(f);
    ADM2 = xrealloc(NULL, (NP + 1) * sizeof *ADM2);
    for (i = 0; i < NP; i++) if (P[i].r.kind == GEO_K_ADM2) ADM2[NADM2++] = (uint32_t)i;
    qsort(ADM2, NADM2, sizeof *ADM2, cmp_adm);
    /* admin-2 ids -(300000 + i) must stay clear of the sites' -(GEO_SITE_ID0 + n) */
    if (NADM2 >= GEO_SITE_ID0 - 300000) die("too many admin-2 regions for their ids", path);
    for (i = 0; i < NADM2; i++) P[ADM2[i]].r.geonameid = -(int32_t)(300000 + i);
}

/* An alternate name worth indexing: not an all-capital code of <= 4 letters. */
static int good_alt(const char *s, size_t len)
{
    size_t i, up = 0;
    if (len < 2) return 0;
    if (len <= 4) {
        for (i = 0; i < len; i++) up += (s[i] >= 'A' && s[i] <= 'Z');
        if (up == len) return 0;
    }
    for (i = 0; i < len; i++) if (s[i] >= '0' && s[i] <= '9') return 0;
    return 1;
}

/* 1 when alternate name s (len bytes) is the short form of main name `main`,
 * its leading words ("Newcastle" for "Newcastle upon Tyne", "Enfield" for
 * "Enfield Town"): as much the place's own name as the long one. */
static int short_form(const char *s, size_t len, const char *main)
{
    char a[GEO_KEY_MAX], b[GEO_KEY_MAX];
    size_t al, bl;
    if (len < 4 || len >= GEO_KEY_MAX) return 0;
    al = geo_norm_key(s, len, a);
    bl = geo_norm_key(main, strlen(main), b);
    return al >= 4 && bl > al + 1 && !memcmp(a, b, al) && b[al] == ' ';
}

/* 1 for the countries of the Arab League, whose place names carry the article ("Al Qamishli"). */
static int arab_cc(const char *cc)
{
    static const char *const ARAB = "AE BH DJ DZ EG IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TN YE";
    return cc[0] && cc[1] && !cc[2] && strstr(ARAB, cc) != NULL && (strstr(ARAB, cc) - ARAB) % 3 == 0;
}

/* Length of the Arabic article opening an ASCII place name ("Al ", "Al-",
 * "El ", "Ar ", "As ", "Ash ", "Ad ", "Az ", "An ", "At "), or 0. */
static size_t arab_article(const char *s)
{
    static const char *const ART[] = { "Al ", "Al-", "El ", "El-", "Ar ", "As ", "Ash ", "Ad ", "Adh ", "Az ", "An ",
                                       "At ", "Ath ", "Aş ", "Ad-", "Ar-", "As-", "Ash-", "Az-", "An-", "At-", NULL };
    size_t i;
    for (i = 0; ART[i]; i++)
        if (!strncmp(s, ART[i], strlen(ART[i]))) return strlen(ART[i]);
    return 0;
}

static void read_cities(const char *path, int adm_mode)
{
    FILE *f = fopen(path, "r");
    static char line[1 << 20];
    char *fl[20];
    if (!f) die(strerror(errno), path);
    while (fgets(line, sizeof line, f)) {
        int n = split(line, fl, 20);
        uint32_t pi, ai;
        double lat, lon, pop, w;
        if (n < 15) continue;
        pi = add_place();
        P[pi].r.kind = GEO_K_CITY;
        P[pi].r.geonameid = (int32_t)atol(fl[0]);
        lat = atof(fl[4]); lon = atof(fl[5]); pop = atof(fl[14]);
        P[pi].r.lat = (float)lat; P[pi].r.lon = (float)lon;
        P[pi].r.population = pop > 4e9 ? 4000000000u : (uint32_t)pop;
        P[pi].r.cc[0] = fl[8][0]; P[pi].r.cc[1] = fl[8][1] ? fl[8][1] : 0;
        set_fcode(&P[pi].r, fl[7]);
        P[pi].name = xstrdup(fl[1]);
        ai = find_adm(fl[8], fl[10]);
        P[pi].r.adm1 = ai;
        P[pi].adm1name = xstrdup(ai == UINT32_MAX ? "" : P[ai].name);
        add_namez(fl[1], pi, 0);
        add_namez(fl[2], pi, 0);
        {
            /* "Washington, D.C." is also "Washington"; "Gaza City" also "Gaza" */
            const char *comma = strchr(fl[2], ',');
            size_t l2 = strlen(fl[2]);
            if (comma && comma > fl[2]) add_name(fl[2], (size_t)(comma - fl[2]), pi, 0);
            else if (l2 > 7 && !strcmp(fl[2] + l2 - 5, " City")) add_name(fl[2], l2 - 5, pi, GEO_POST_ALT);
            /* an Arab town is also named without its article: "Al Qamishli" is "Qamishli" */
            if (arab_cc(fl[8])) {
                size_t al = arab_article(fl[2]);
                if (al && l2 > al + 3) add_name(fl[2] + al, l2 - al, pi, GEO_POST_ALT);
            }
        }
        {
            char *s = fl[3], *c;
            while (s && *s) {
                size_t len;
                c = strchr(s, ',');
                len = c ? (size_t)(c - s) : strlen(s);
                if (good_alt(s, len)) add_name(s, len, pi, GEO_POST_ALT | (short_form(s, len, fl[2]) ? GEO_POST_SHORT : 0));
                s = c ? c + 1 : NULL;
            }
        }
        {
            uint32_t a2 = find_adm2(fl[8], fl[10], fl[11]);
            P[pi].r.adm2 = a2;
            if (a2 != UINT32_MAX) {
                place *b = &P[a2];
                b->sw += 1; b->slat += lat; b->slon += lon; b->ncity++;
                b->r.population += P[pi].r.population;
            }
        }
        if (ai != UINT32_MAX) {
            place *a = &P[ai];
            w = adm_mode == 1 ? pop + 1 : adm_mode == 2 ? sqrt(pop + 1) : 1.0;
            a->sw += w; a->slat += w * lat; a->slon += w * lon; a->ncity++;
            if (a->npts == a->cpts) { a->cpts = a->cpts ? 2 * a->cpts : 16; a->pts = xrealloc(a->pts, a->cpts * sizeof *a->pts); }
            a->pts[a->npts].x = lon; a->pts[a->npts].y = lat; a->npts++;
            a->r.population = a->r.population + P[pi].r.population;
            if (lat < a->minlat) a->minlat = lat;
            if (lat > a->maxlat) a->maxlat = lat;
            if (lon < a->minlon) a->minlon = lon;
            if (lon > a->maxlon) a->maxlon = lon;
        }
    }
    fclose(f);
}

/* cities-extra.tsv: NAME LAT LON CC ADMIN1 ADMIN2 - places of a newer
 * GeoNames cut that cities1000 lacks; no population or id is known. */
static void read_newer(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096], *fl[8];
    int nnew = 0;
    if (!f) die(strerror(errno), path);
    while (fgets(line, sizeof line, f)) {
        int n = split(line, fl, 8);
        uint32_t pi, ai, a2;
        double lat, lon;
        if (n < 6 || strlen(fl[3]) != 2) continue;
        pi = add_place();
        lat = atof(fl[1]); lon = atof(fl[2]);
        P[pi].r.kind = GEO_K_CITY;
        P[pi].r.geonameid = -(int32_t)(1000000 + nnew++);
        P[pi].r.lat = (float)lat; P[pi].r.lon = (float)lon;
        P[pi].r.cc[0] = fl[3][0]; P[pi].r.cc[1] = fl[3][1];
        set_fcode(&P[pi].r, "PPL");
        P[pi].name = xstrdup(fl[0]);
        ai = find_adm(fl[3], fl[4]);
        P[pi].r.adm1 = ai;
        P[pi].adm1name = xstrdup(ai == UINT32_MAX ? "" : P[ai].name);
        add_namez(fl[0], pi, 0);
        a2 = find_adm2(fl[3], fl[4], fl[5]);
        P[pi].r.adm2 = a2;
        if (a2 != UINT32_MAX) { P[a2].sw += 1; P[a2].slat += lat; P[a2].slon += lon; P[a2].ncity++; }
        if (ai != UINT32_MAX) {
            place *a = &P[ai];
            if (a->npts == a->cpts) { a->cpts = a->cpts ? 2 * a->cpts : 16; a->pts = xrealloc(a->pts, a->cpts * sizeof *a->pts); }
            a->pts[a->npts].x = lon; a->pts[a->npts].y = lat; a->npts++;
            a->sw += 1; a->slat += lat; a->slon += lon; a->ncity++;
            if (lat < a->minlat) a->minlat = lat;
            if (lat > a->maxlat) a->maxlat = lat;
            if (lon < a->minlon) a->minlon = lon;
            if (lon > a->maxlon) a->maxlon = lon;
        }
    }
    fclose(f);
}

/* data/geo/extra.tsv: KIND CC LAT LON NAMES(|); KIND is REGION (a new place),
 * ALIAS (more names of country CC), DEMONYM (more demonyms of country CC) or
 * ADM1ALIAS (more names of the admin-1 region of CC named in the LAT field)
 * or ADM1DEMONYM (its demonyms: "English" for England), POINT (the reference
 * point of country CC: LAT LON, NAMES a comment) or ADM1POINT (the reference
 * point of the admin-1 region of CC named in NAMES). SITE lines have six
 * fields, SITE CC LAT LON FCODE NAMES: a named site (a university, a stadium,
 * a landmark, a district) at its point, with its GeoNames feature code (UNIV,
 * STDM, ...; of the populated places' codes only PPLX, a section of a town).
 * Several such files may be given (data/geo/sites/ holds the sites). */
static int NREG, NSITE;   /* regions and sites read so far, for their ids */
static void read_extra(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[8192], *fl[6];
    int lineno = 0;
    if (!f) die(strerror(errno), path);
    while (fgets(line, sizeof line, f)) {
        int n, ci;
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        n = split(line, fl, 6);
        if (n < 5) { fprintf(stderr, "gazc: %s:%d: want 5 fields\n", path, lineno); exit(1); }
        ci = cc_idx(fl[1]);
        if (!strcmp(fl[0], "REGION")) {
            uint32_t pi = add_place();
            char *bar = strchr(fl[4], '|');
            P[pi].r.kind = GEO_K_REGION;
            if (ci >= 0) { P[pi].r.cc[0] = fl[1][0]; P[pi].r.cc[1] = fl[1][1]; }
            P[pi].r.lat = (float)atof(fl[2]); P[pi].r.lon = (float)atof(fl[3]);
            P[pi].r.geonameid = -(int32_t)(200000 + NREG++);
            set_fcode(&P[pi].r, "RGN");
            P[pi].name = xstrdup(fl[4]);
            if (bar) P[pi].name[bar - fl[4]] = 0;
            P[pi].adm1name = xstrdup("");
            add_list(fl[4], pi, 0);
        } else if (!strcmp(fl[0], "SITE")) {
            uint32_t pi;
            char *bar;
            double lat = atof(fl[2]), lon = atof(fl[3]);
            if (n < 6 || !fl[5][0]) { fprintf(stderr, "gazc: %s:%d: want 6 fields\n", path, lineno); exit(1); }
            if (ci < 0 || CC[ci] == UINT32_MAX) { fprintf(stderr, "gazc: %s:%d: unknown country %s\n", path, lineno, fl[1]); exit(1); }
            if (lat < -90 || lat > 90 || lon < -180 || lon > 180 || (lat == 0 && lon == 0)) {
                fprintf(stderr, "gazc: %s:%d: bad point %s %s\n", path, lineno, fl[2], fl[3]);
                exit(1);
            }
            /* a site is no town: no populated place's code but PPLX (a section of a town, "Covent Garden") */
            if (!fl[4][0] || strlen(fl[4]) > 5 || (!strncmp(fl[4], "PPL", 3) && strcmp(fl[4], "PPLX") != 0)) {
                fprintf(stderr, "gazc: %s:%d: bad feature code %s\n", path, lineno, fl[4]);
                exit(1);
            }
            if (NSITE >= GEO_SITE_ID0) { fprintf(stderr, "gazc: %s:%d: too many sites\n", path, lineno); exit(1); }
            pi = add_place();
            bar = strchr(fl[5], '|');
            P[pi].r.kind = GEO_K_CITY;
            P[pi].r.cc[0] = fl[1][0]; P[pi].r.cc[1] = fl[1][1];
            P[pi].r.lat = (float)lat; P[pi].r.lon = (float)lon;
            P[pi].r.geonameid = -(int32_t)(GEO_SITE_ID0 + NSITE++);
            set_fcode(&P[pi].r, fl[4]);
            P[pi].name = xstrdup(fl[5]);
            if (bar) P[pi].name[bar - fl[5]] = 0;
            P[pi].adm1name = xstrdup("");
            add_list(fl[5], pi, 0);
        } else if (!strcmp(fl[0], "POINT")) {
            if (ci < 0 || CC[ci] == UINT32_MAX) { fprintf(stderr, "gazc: %s:%d: unknown country %s\n", path, lineno, fl[1]); exit(1); }
            P[CC[ci]].r.lat = (float)atof(fl[2]);
            P[CC[ci]].r.lon = (float)atof(fl[3]);
        } else if (!strcmp(fl[0], "ADM1POINT")) {
            size_t a;
            uint32_t hit = UINT32_MAX;
            for (a = 0; a < NADM; a++)
                if (!memcmp(P[ADM[a]].r.cc, fl[1], 2) && !strcmp(P[ADM[a]].name, fl[4])) { hit = ADM[a]; break; }
            if (hit == UINT32_MAX) { fprintf(stderr, "gazc: %s:%d: no region %s in %s\n", path, lineno, fl[4], fl[1]); exit(1); }
            P[hit].fixed = 1;
            P[hit].flat = atof(fl[2]);
            P[hit].flon = atof(fl[3]);
        } else if (!strcmp(fl[0], "ADM1ALIAS") || !strcmp(fl[0], "ADM1DEMONYM")) {
            size_t a;
            uint32_t hit = UINT32_MAX;
            for (a = 0; a < NADM; a++)
                if (!memcmp(P[ADM[a]].r.cc, fl[1], 2) && !strcmp(P[ADM[a]].name, fl[2])) { hit = ADM[a]; break; }
            if (hit == UINT32_MAX) { fprintf(stderr, "gazc: %s:%d: no region %s in %s\n", path, lineno, fl[2], fl[1]); exit(1); }
            add_list(fl[4], hit, fl[0][4] == 'D' ? GEO_POST_DEM : GEO_POST_ALT);
        } else if (!strcmp(fl[0], "ALIAS") || !strcmp(fl[0], "DEMONYM")) {
            if (ci < 0 || CC[ci] == UINT32_MAX) { fprintf(stderr, "gazc: %s:%d: unknown country %s\n", path, lineno, fl[1]); exit(1); }
            add_list(fl[4], CC[ci], fl[0][0] == 'D' ? GEO_POST_DEM : 0);
        } else {
            fprintf(stderr, "gazc: %s:%d: unknown kind %s\n", path, lineno, fl[0]);
            exit(1);
        }
    }
    fclose(f);
}

static int cmp_pt(const void *a, const void *b)
{
    const pt *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return p->y < q->y ? -1 : p->y > q->y;
}

static double cross(pt o, pt a, pt b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

/* Points of a region whose longitudes span more than half the globe (it
 * crosses the 180th meridian) moved east of it: west longitudes + 360. */
static void wrap_east(pt *pts, size_t n, double minlon, double maxlon)
{
    size_t i;
    if (maxlon - minlon <= 180) return;
    for (i = 0; i < n; i++) if (pts[i].x < 0) pts[i].x += 360;
}

/* Area centroid of the convex hull of pts (monotone chain); 0 when degenerate. */
static int hull_centroid(pt *pts, size_t n, double *lat, double *lon)
{
    pt *h;
    size_t k = 0, i, t;
    double a = 0, cx = 0, cy = 0;
    if (n < 3) return 0;
    qsort(pts, n, sizeof *pts, cmp_pt);
    h = xrealloc(NULL, 2 * n * sizeof *h);
    for (i = 0; i < n; i++) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], pts[i]) <= 0) k--;
        h[k++] = pts[i];
    }
    for (i = n - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cross(h[k - 2], h[k - 1], pts[i]) <= 0) k--;
        h[k++] = pts[i];
    }
    for (i = 0; i + 1 < k; i++) {
        double c = h[i].x * h[i + 1].y - h[i + 1].x * h[i].y;
        a += c; cx += (h[i].x + h[i + 1].x) * c; cy += (h[i].y + h[i + 1].y) * c;
    }
    free(h);
    if (a > -1e-6 && a < 1e-6) return 0;
    *lon = cx / (3 * a);
    *lat = cy / (3 * a);
    return 1;
}

static int cmp_nm(const void *a, const void *b)
{
    const nm *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    if (x->place != y->place) return x->place < y->place ? -1 : 1;
    return x->flags < y->flags ? -1 : x->flags > y->flags;
}

/* growable output buffer */
static char *B; static size_t BL, BC;
static uint32_t emit(const void *p, size_t n)
{
    uint32_t off;
    while (BL + n + 8 > BC) { BC = BC ? 2 * BC : (1u << 20); B = xrealloc(B, BC); }
    off = (uint32_t)BL;
    if (p) memcpy(B + BL, p, n); else memset(B + BL, 0, n);
    BL += n;
    while (BL % 8) B[BL++] = 0;
    return off;
}

int main(int argc, char **argv)
{
    geo_hdr h;
    size_t i, j, nent = 0, nslots;
    uint32_t *slots, *post, npost = 0;
    geo_entry *ent;
    char *str; size_t strl = 0, strc;
    const char *adm_env = getenv("GAZC_ADM1");
    const char *cty_env = getenv("GAZC_COUNTRY");
    /* ADM1 coordinates: the centre of its cities' bounding box (default: it
       tracks the region's extent, not where people live), or their mean
       (GAZC_ADM1=mean), population-weighted (pop) or sqrt-weighted (sqrt) */
    int adm_mode = adm_env && !strcmp(adm_env, "pop") ? 1 : adm_env && !strcmp(adm_env, "sqrt") ? 2 :
                   adm_env && !strcmp(adm_env, "mean") ? 0 : adm_env && !strcmp(adm_env, "bbox") ? 3 : 4;
    FILE *out;

    if (getenv("GAZC_CW")) CW = atof(getenv("GAZC_CW"));
    if (getenv("GAZC_CMAXKM")) CMAXKM = atof(getenv("GAZC_CMAXKM"));
    char path[4096];
    if (argc < 5) die("usage: gazc CITIES1000 GEO_DIR EXTRA_TSV [SITES_TSV...] OUT", NULL);
    for (i = 0; i < 676; i++) CC[i] = UINT32_MAX;
#define IN(name) (snprintf(path, sizeof path, "%s/%s", argv[2], name) < (int)sizeof path ? path : "")
    /* countries: world-countries' listed point, GeoNames' for most (POINT lines
       of extra.tsv give the others); GAZC_COUNTRY=shape or blend for experiments */
    read_countries(IN("countries.tsv"), cty_env && !strcmp(cty_env, "shape") ? 1 : cty_env && !strcmp(cty_env, "blend") ? 2 : 0);
    read_admin1(IN("admin1.tsv"));
    read_admin2(IN("admin2.tsv"));
    {
        /* GeoNames' cities500, when tools/geo-extract.js found it, instead of cities1000 */
        FILE *c5 = fopen(IN("cities500.txt"), "r");
        if (c5) { fclose(c5); read_cities(IN("cities500.txt"), adm_mode); }
        else read_cities(argv[1], adm_mode);
    }
    read_newer(IN("cities-extra.tsv"));
    for (i = 3; i + 1 < (size_t)argc; i++) read_extra(argv[i]);
    for (i = 0; i < NADM2; i++) {
        place *a = &P[ADM2[i]];
        if (!a->ncity) continue;
        a->r.lat = (float)(a->slat / a->sw);
        a->r.lon = (float)(a->slon / a->sw);
    }
    for (i = 0; i < NADM; i++) {
        place *a = &P[ADM[i]];
        if (!a->ncity) continue;   /* no city: unusable, stays at 0,0 and is dropped below */
        double hl, hn;
        /* a label point outside its cities' box (widened by a degree) was
           matched to the wrong region: Natural Earth's codes are not always GeoNames' */
        if (a->fixed) {
            a->r.lat = (float)a->flat;
            a->r.lon = (float)a->flon;
        } else if (a->has_label && a->llat >= a->minlat - 1 && a->llat <= a->maxlat + 1 &&
            a->llon >= a->minlon - 1 && a->llon <= a->maxlon + 1) {
            a->r.lat = (float)a->llat;
            a->r.lon = (float)a->llon;
            /* its names too, when the label point lies among its own towns (the box
               widened by half a degree only): a code Natural Earth took from an older
               GeoNames may name a neighbour (Vietnam's provinces) */
            if (a->ne_names && a->llat >= a->minlat - 0.5 && a->llat <= a->maxlat + 0.5 &&
                a->llon >= a->minlon - 0.5 && a->llon <= a->maxlon + 0.5)
                add_list(a->ne_names, ADM[i], GEO_POST_ALT);
        } else if (adm_mode == 4 && (wrap_east(a->pts, a->npts, a->minlon, a->maxlon),
                                     hull_centroid(a->pts, a->npts, &hl, &hn))) {
            /* (a region across the 180th meridian, Fiji's Eastern Division, is
               taken whole east of it, else its centroid falls in the Atlantic) */
            a->r.lat = (float)hl;
            a->r.lon = (float)(hn > 180 ? hn - 360 : hn);
        } else if (adm_mode == 3) {
            a->r.lat = (float)((a->minlat + a->maxlat) / 2);
            a->r.lon = (float)((a->minlon + a->maxlon) / 2);
        } else if (a->maxlon - a->minlon > 180 && a->npts) {
            /* across the 180th meridian: the mean of its towns taken east of it */
            double sl = 0, sn = 0;
            size_t k;
            for (k = 0; k < a->npts; k++) { sl += a->pts[k].y; sn += a->pts[k].x < 0 ? a->pts[k].x + 360 : a->pts[k].x; }
            sn /= (double)a->npts;
            a->r.lat = (float)(sl / (double)a->npts);
            a->r.lon = (float)(sn > 180 ? sn - 360 : sn);
        } else {
            a->r.lat = (float)(a->slat / a->sw);
            a->r.lon = (float)(a->slon / a->sw);
        }
    }
    /* drop the names of ADM1 regions without any city (no coordinates) */
    for (i = j = 0; i < NN; i++) {
        if ((P[N[i].place].r.kind == GEO_K_ADM1 || P[N[i].place].r.kind == GEO_K_ADM2) && !P[N[i].place].ncity) {
            free(N[i].key);
            continue;
        }
        N[j++] = N[i];
    }
    NN = j;
    qsort(N, NN, sizeof *N, cmp_nm);

    /* strings: place names, admin-1 names and keys, each once per use */
    strc = 1 << 20; str = xrealloc(NULL, strc); str[strl++] = 0;
#define ADDSTR(s, off) do { size_t l_ = strlen(s) + 1; \
        while (strl + l_ > strc) { strc *= 2; str = xrealloc(str, strc); } \
        memcpy(str + strl, s, l_); off = (uint32_t)strl; strl += l_; } while (0)
    for (i = 0; i < NP; i++) {
        ADDSTR(P[i].name, P[i].r.name);
        if (P[i].r.kind == GEO_K_ADM1) P[i].r.admin1_name = P[i].r.name;
    }
    for (i = 0; i < NP; i++)
        if (P[i].r.kind == GEO_K_CITY || P[i].r.kind == GEO_K_ADM2) P[i].r.admin1_name = P[i].r.adm1 == UINT32_MAX ? 0 : P[P[i].r.adm1].r.name;

    ent = xrealloc(NULL, (NN + 1) * sizeof *ent);
    post = xrealloc(NULL, (NN + 1) * sizeof *post);
    for (i = 0; i < NN;) {
        geo_entry *e = &ent[nent++];
        ADDSTR(N[i].key, e->key);
        e->hash = geo_hash(N[i].key, strlen(N[i].key));
        e->post = npost;
        for (j = i; j < NN && !strcmp(N[j].key, N[i].key); j++) {
            /* sorted by place then flags: the first of a place has the fewest flags */
            if (j > i && N[j].place == N[j - 1].place) continue;
            post[npost++] = N[j].place | N[j].flags;
        }
        e->npost = npost - e->post;
        i = j;
    }
    for (nslots = 1024; nslots < 2 * nent; nslots *= 2) {}
    slots = xrealloc(NULL, nslots * sizeof *slots);
    memset(slots, 0, nslots * sizeof *slots);
    for (i = 0; i < nent; i++) {
        size_t s = ent[i].hash & (nslots - 1);
        while (slots[s]) s = (s + 1) & (nslots - 1);
        slots[s] = (uint32_t)(i + 1);
    }

    memset(&h, 0, sizeof h);
    emit(NULL, sizeof h);
    memcpy(h.magic, GEO_MAGIC, 8);
    h.version = GEO_VERSION;
    h.nplaces = (uint32_t)NP;
    {
        geo_rec *recs = xrealloc(NULL, NP * sizeof *recs);
        for (i = 0; i < NP; i++) recs[i] = P[i].r;
        h.off_places = emit(recs, NP * sizeof *recs);
        free(recs);
    }
    h.nslots = (uint32_t)nslots; h.off_slots = emit(slots, nslots * sizeof *slots);
    h.nentries = (uint32_t)nent; h.off_entries = emit(ent, nent * sizeof *ent);
    h.npost = npost; h.off_post = emit(post, (size_t)npost * sizeof *post);
    h.off_ccindex = emit(CC, sizeof CC);
    h.strbytes = (uint32_t)strl; h.off_str = emit(str, strl);
    h.total_size = (uint32_t)BL;
    memcpy(B, &h, sizeof h);

    out = fopen(argv[argc - 1], "wb");
    if (!out) die(strerror(errno), argv[argc - 1]);
    if (fwrite(B, 1, BL, out) != BL || fclose(out) != 0) die("write failed", argv[argc - 1]);
    fprintf(stderr, "gazc: %zu places, %zu names, %u postings, %zu bytes -> %s\n", NP, nent, npost, BL, argv[argc - 1]);
    return 0;
}
