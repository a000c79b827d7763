/* test_geo.c - the gazetteer and context-aware geocoding: ambiguous names
 * decided by their context (Rafah, Paris, Alexandria, Georgia), qualifiers,
 * the event place, and a bad gazetteer file. Skips cleanly when
 * build/gazetteer.bin is absent (no npm data installed). */
#include "check.h"
#include "geo.h"
#include "segment.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static doc D;

static void S_doc(const char *text)
{
    arena_free(&D.a);
    memset(&D, 0, sizeof D);
    arena_init(&D.a, 0);
    D.text = text;
    D.len = strlen(text);
    if (segment_doc(&D, 400) != 0) { fprintf(stderr, "segment_doc failed\n"); exit(1); }
}

/* The place found for the first mention of `name` in `text` (detection). */
static const sitrep_place *S_find(const geo_gaz *g, const char *text, const char *name, const char *ctx)
{
    char cc[4][3];
    size_t ncc = 0, n = 0, i;
    sitrep_place *p = NULL;
    const char *at;
    S_doc(text);
    for (; ctx && ctx[0] && ncc < 4; ctx += ctx[2] ? 3 : 2) {
        cc[ncc][0] = ctx[0]; cc[ncc][1] = ctx[1]; cc[ncc][2] = 0; ncc++;
        if (!ctx[2]) break;
    }
    if (geo_find(g, &D, (const char (*)[3])cc, ncc, &p, &n) != 0) return NULL;
    at = strstr(text, name);
    for (i = 0; at && i < n; i++)
        if (p[i].start == (uint32_t)(at - text)) return &p[i];
    return NULL;
}

/* The place resolved for the span of the first `name` in `text` (spans mode). */
static const sitrep_place *S_span(const geo_gaz *g, const char *text, const char *name)
{
    uint32_t sp[2];
    sitrep_place *p = NULL;
    const char *at = strstr(text, name);
    if (!at) return NULL;
    S_doc(text);
    sp[0] = (uint32_t)(at - text);
    sp[1] = sp[0] + (uint32_t)strlen(name);
    if (geo_resolve_spans(g, &D, sp, 1, NULL, 0, &p) != 0) return NULL;
    return p;
}

/* Resolve the spans of names[0..n) (each found in text by strstr; lengths
 * lens[k], or the names' own when lens is NULL) as gold spans; the places,
 * or NULL. */
static sitrep_place *S_resolve(const geo_gaz *g, const char *text, const char *const *names, const uint32_t *lens,
                               size_t n)
{
    uint32_t sp[32];
    size_t k;
    sitrep_place *q = NULL;
    if (n > 16) return NULL;
    S_doc(text);
    for (k = 0; k < n; k++) {
        const char *at = strstr(text, names[k]);
        if (!at) return NULL;
        sp[2 * k] = (uint32_t)(at - text);
        sp[2 * k + 1] = sp[2 * k] + (lens ? lens[k] : (uint32_t)strlen(names[k]));
    }
    if (geo_resolve_spans(g, &D, sp, n, NULL, 0, &q) != 0) return NULL;
    return q;
}

static int32_t S_tok(const char *text, const char *word)
{
    const char *at = strstr(text, word);
    uint32_t i;
    for (i = 0; at && i < D.ntoks; i++)
        if (D.toks[i].start == (uint32_t)(at - text)) return (int32_t)i;
    return -1;
}

static const char SEED[] =
    "Israel has affirmed its commitment to continue its military operations in Rafah, even as it "
    "engages in ceasefire talks with Hamas in Qatar.";

int main(void)
{
    char err[256], path[4096];
    const char *home = getenv("SITREP_HOME");
    const sitrep_place *p;
    geo_gaz *g;

    /* a bad file is refused with a message */
    {
        FILE *f = fopen("test_geo.tmp", "wb");
        if (f) { fputs("not a gazetteer at all, just text that is long enough......", f); fclose(f); }
        err[0] = 0;
        CHECK(geo_load("test_geo.tmp", err, sizeof err) == NULL);
        CHECK(strstr(err, "not a gazetteer") != NULL);
        remove("test_geo.tmp");
        CHECK(geo_load("/nonexistent/gazetteer.bin", err, sizeof err) == NULL);
        geo_free(NULL);
    }

    snprintf(path, sizeof path, "%s/build/gazetteer.bin", home ? home : ".");
    if (access(path, R_OK) != 0) {
        printf("test_geo: %s absent (scripts/setup-geo.sh && make gazetteer); skipping the gazetteer checks\n", path);
        return CHECK_DONE();
    }
    g = geo_load(path, err, sizeof err);
    CHECK(g != NULL);
    if (!g) { fprintf(stderr, "%s\n", err); return CHECK_DONE(); }

    /* Rafah: Gaza, not Egypt, given the actors (Israel, Hamas -> PS) */
    p = S_find(g, SEED, "Rafah", "IL,PS");
    CHECK(p && p->geonameid == 281102);
    CHECK(p && !strcmp(p->country_code, "PS"));
    p = S_find(g, SEED, "Qatar", "IL,PS");
    CHECK(p && !strcmp(p->country_code, "QA"));

    /* Paris: France by default and with French context; Texas when qualified */
    p = S_find(g, "Ministers met in Paris on Monday, French officials said.", "Paris", NULL);
    CHECK(p && !strcmp(p->country_code, "FR"));
    p = S_find(g, "A storm hit Paris, Texas, on Monday night.", "Paris", NULL);
    CHECK(p && !strcmp(p->country_code, "US") && !strcmp(p->admin1, "Texas"));
    p = S_span(g, "The fair opened in Paris, Texas last week.", "Paris, Texas");
    CHECK(p && !strcmp(p->country_code, "US"));

    /* Alexandria: Egypt among Egyptian places, Virginia among American ones */
    p = S_find(g, "Protests spread from Cairo to Alexandria and Port Said.", "Alexandria", NULL);
    CHECK(p && !strcmp(p->country_code, "EG"));
    p = S_find(g, "Commuters from Arlington and Alexandria, Virginia, crowded into Washington.", "Alexandria", NULL);
    CHECK(p && !strcmp(p->country_code, "US"));
    p = S_find(g, "The trial moved from Arlington to Alexandria and then to Richmond.", "Alexandria", NULL);
    CHECK(p && !strcmp(p->country_code, "US"));

    /* Georgia: the country beside Russia and Tbilisi, the state beside Atlanta */
    p = S_find(g, "Russia sent troops into Georgia after fighting near Tbilisi.", "Georgia", NULL);
    CHECK(p && !strcmp(p->country_code, "GE"));
    p = S_find(g, "Voters in Atlanta and Savannah made Georgia a swing state.", "Georgia", NULL);
    CHECK(p && !strcmp(p->country_code, "US") && !strcmp(p->feature_code, "ADM1"));

    /* demonyms name countries; unknown names in spans mode are "NEAR" the focus */
    p = S_find(g, "Turkish troops crossed the border.", "Turkish", NULL);
    CHECK(p && !strcmp(p->country_code, "TR"));
    /* country spellings that are ordinary words or given names are not countries */
    CHECK(S_find(g, "Dominique Strauss-Kahn met Thomas Mann in Paris.", "Dominique", NULL) == NULL);
    CHECK(S_find(g, "Dominique Strauss-Kahn met Thomas Mann in Paris.", "Mann", NULL) == NULL);
    /* a demonym shared with a dependency is the larger country's */
    p = S_find(g, "A Norwegian fishing trawler docked.", "Norwegian", NULL);
    CHECK(p && !strcmp(p->country_code, "NO"));
    /* the demonyms of Britain's nations name them, not the kingdom */
    p = S_span(g, "Police cordoned off the English town of Zebulonbury.", "English");
    CHECK(p && !strcmp(p->name, "England") && !strcmp(p->feature_code, "ADM1"));
    p = S_span(g, "A fire broke out on Elm Zebulonstreet in Toronto, Ontario.", "Elm Zebulonstreet");
    CHECK(p && p->geonameid != 0 && !strcmp(p->feature_code, "NEAR") && !strcmp(p->country_code, "CA"));
    {
        uint32_t bad[2] = { 5, 99999 };
        sitrep_place *q = NULL;
        S_doc("Nothing here.");
        CHECK(geo_resolve_spans(g, &D, bad, 1, NULL, 0, &q) == 0 && q && q[0].geonameid == 0);
    }

    /* admin-1 regions: Natural Earth's GeoNames id when its data is installed */
    p = S_find(g, "Wildfires spread across Alberta on Monday.", "Alberta", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1") && (p->geonameid == 5883102 || p->geonameid < 0));
    /* ... and its English and alternate names ("Menoufia" for Al Minufiyah), but not a
       country's ("Mexico" stays the country, not the capital's region) */
    if (p && p->geonameid == 5883102) {
        p = S_span(g, "Bird flu reached Menoufia, Egyptian officials said.", "Menoufia");
        CHECK(p && !strcmp(p->country_code, "EG") && !strcmp(p->feature_code, "ADM1"));
    }
    p = S_span(g, "Flu cases rose in Mexico, officials said.", "Mexico");
    CHECK(p && !strcmp(p->country_code, "MX") && !strcmp(p->feature_code, "PCLI"));

    /* the words around a name say its level: "Washington state", "New York governor" */
    p = S_find(g, "Farmers in Washington state lost their crops.", "Washington", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1"));
    p = S_find(g, "The New York governor declared an emergency.", "New York", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1"));
    p = S_find(g, "A drought hit the state of Washington last year.", "Washington", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1"));
    p = S_find(g, "The former New York Gov. Jones spoke on Monday.", "New York", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1"));
    p = S_span(g, "A New York court ruled against the landlord.", "New York");
    CHECK(p && !strcmp(p->feature_code, "ADM1"));
    /* items of a list are alike: a state among states */
    p = S_find(g, "Crews were sent to Idaho, Montana, Washington and Oregon.", "Washington", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1"));
    p = S_find(g, "Shipments went to Arizona, Nevada, Kansas, Oklahoma and Texas.", "Kansas", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1") && !strcmp(p->name, "Kansas"));

    p = S_find(g, "Storms hit Pennsylvania, New Jersey, New York and Vermont.", "New York", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1"));

    /* an American actor is no reason to read "Washington" as the state */
    p = S_find(g, "The envoy attended a meeting in Washington on Monday.", "Washington", "US");
    CHECK(p && !strncmp(p->feature_code, "PPLC", 4));

    /* a region qualifying one of its towns is the region, unless the town is its main city's */
    p = S_find(g, "Snow closed schools in Rochester, New York, on Monday.", "New York", NULL);
    CHECK(p && !strcmp(p->feature_code, "ADM1"));
    p = S_find(g, "A water main broke in Brooklyn, New York, on Monday.", "New York", NULL);
    CHECK(p && !strcmp(p->country_code, "US") && strcmp(p->feature_code, "ADM1") != 0);

    /* a town qualified by a region it is not in (or not known at all) is that region */
    p = S_span(g, "The storm reached Tbilisi, Missouri, by night.", "Tbilisi");
    CHECK(p && !strcmp(p->feature_code, "ADM1") && !strcmp(p->admin1, "Missouri"));
    p = S_span(g, "A barn burned near Zebulonville, Ontario, on Sunday.", "Zebulonville");
    CHECK(p && !strcmp(p->country_code, "CA") && !strcmp(p->feature_code, "ADM1"));
    p = S_find(g, "The truck stopped in Tbilisi, Ontario, Canada, at noon.", "Tbilisi", NULL);
    CHECK(p && !strcmp(p->country_code, "CA") && !strcmp(p->feature_code, "ADM1"));

    /* "X in Y" qualifies X like "X, Y" ... */
    p = S_span(g, "The family settled in Paris in northeast Texas last year.", "Paris");
    CHECK(p && !strcmp(p->country_code, "US") && !strcmp(p->admin1, "Texas"));
    /* ... but a region after "in" does not replace a town it does not hold
       (the people from Tbilisi are in Missouri) */
    p = S_span(g, "Refugees from Tbilisi in Missouri met on Monday.", "Tbilisi");
    CHECK(p && !strcmp(p->country_code, "GE"));

    /* the short form of a town's name is its name ("Newcastle" for Newcastle upon Tyne) */
    p = S_span(g, "Hospitals in Newcastle were full, the British health service said.", "Newcastle");
    CHECK(p && !strcmp(p->country_code, "GB"));

    /* a small town far from the article's focus, alone, is a local name the
       gazetteer lacks ("Carnegie" in a New York story): the local guess */
    {
        static const char T[] = "Crowds filled Manhattan and Brooklyn. Fans in Queens cheered. "
                                "The concert sold out at Carnegie.";
        static const char *const NAMES[] = { "Manhattan", "Brooklyn", "Queens", "Carnegie" };
        sitrep_place *q = S_resolve(g, T, NAMES, NULL, 4);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[3].feature_code, "NEAR") && !strcmp(q[3].country_code, "US") &&
              q[3].lat > 40.3 && q[3].lat < 41.1 && q[3].lon > -74.4 && q[3].lon < -73.6);
    }

    /* a street named after a place is not in it: the town beside it */
    p = S_span(g, "The parade went down Paris Avenue in Dallas, Texas, on Sunday.", "Paris Avenue");
    CHECK(p && !strcmp(p->feature_code, "NEAR") && !strcmp(p->country_code, "US"));

    /* an unknown name takes the town right beside it before the article's focus */
    p = S_span(g, "Most delegates live in Tokyo, Osaka and Kyoto. The talks were held at the "
                  "Grand Zebulon Hotel in Geneva.", "Grand Zebulon Hotel");
    CHECK(p && !strcmp(p->feature_code, "NEAR") && !strcmp(p->country_code, "CH"));
    /* a well-known place ending a longer name */
    p = S_span(g, "Historians compared the regime to Nazi Germany.", "Nazi Germany");
    CHECK(p && !strcmp(p->country_code, "DE"));

    /* former names and provinces (extra.tsv): Zaire is DR Congo; Kenya's Nyanza Province */
    p = S_span(g, "Mobutu ruled Zaire for three decades.", "Zaire");
    CHECK(p && !strcmp(p->country_code, "CD"));
    p = S_span(g, "Cholera spread across Southern Sudan in 2006.", "Southern Sudan");
    CHECK(p && !strcmp(p->country_code, "SS"));
    p = S_span(g, "The storm hit the U.S. Virgin Islands on Monday.", "U.S. Virgin Islands");
    CHECK(p && !strcmp(p->country_code, "VI"));
    p = S_span(g, "Floods hit Nyanza Province, the Kenyan Red Cross said.", "Nyanza Province");
    CHECK(p && !strcmp(p->country_code, "KE") && p->lat > -1.5 && p->lat < 0.5 && p->lon > 34.0 && p->lon < 35.5);

    /* Hawaii at GeoNames' point (ADM1POINT), between Maui and the Big Island, not on Oahu */
    p = S_span(g, "Tourism fell in Hawaii last year.", "Hawaii");
    CHECK(p && !strcmp(p->country_code, "US") && p->lat > 20.5 && p->lat < 21.0 && p->lon > -156.8 && p->lon < -156.2);

    /* a river or delta matched by a region it crosses, or by its generic word, is
       not that place: the local guess ("Ohio River" is not the state; "Zebulon Delta"
       not Nigeria's Delta State); a delta the gazetteer knows is itself */
    p = S_span(g, "Barges sank on the Ohio River near Louisville, Kentucky, officials said.", "Ohio River");
    CHECK(p && !strcmp(p->feature_code, "NEAR") && !strcmp(p->country_code, "US"));
    p = S_span(g, "Floods hit the Zebulon Delta near Louisville, Kentucky.", "Zebulon Delta");
    CHECK(p && !strcmp(p->feature_code, "NEAR") && !strcmp(p->country_code, "US"));
    p = S_span(g, "Floods hit the Indus Delta in Pakistan.", "Indus Delta");   /* by a river of extra.tsv */
    CHECK(p && !strcmp(p->country_code, "PK") && strcmp(p->feature_code, "NEAR") != 0);
    p = S_span(g, "Birds nest in the Danube Delta.", "Danube Delta");
    CHECK(p && !strcmp(p->country_code, "RO") && p->lon > 28.5 && p->lon < 30.0);

    /* context beyond the cap still tells a little: Dalmeny beside Saskatoon, Regina,
       Saskatchewan and Canada is Saskatchewan's, though New South Wales and Australia
       are named too */
    {
        static const char T[] = "The rower from Dalmeny trained in Saskatoon and Regina, and won in Saskatchewan. "
                                "He had coached in New South Wales, Australia, and returned to Canada.";
        static const char *const NAMES[] = { "Dalmeny", "Saskatoon", "Regina", "Saskatchewan", "New South Wales",
                                             "Australia", "Canada" };
        sitrep_place *q = S_resolve(g, T, NAMES, NULL, 7);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[0].country_code, "CA"));
    }

    /* a place abroad matched by a part of the name, in an article whose other places lie
       in one country, is a local name the gazetteer lacks ("Southern Lakes" among Chile's
       towns is not South Sudan's Lakes State) */
    {
        static const char T[] = "Trucks reached Santiago, Valparaiso and Concepcion. "
                                "Herders in the Southern Lakes sold their sheep, officials in Chile said.";
        static const char *const NAMES[] = { "Santiago", "Valparaiso", "Concepcion", "Southern Lakes", "Chile" };
        sitrep_place *q = S_resolve(g, T, NAMES, NULL, 5);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[3].country_code, "CL") && !strcmp(q[3].feature_code, "NEAR"));
    }

    /* the dateline's town weighs in the choice of the focus, so an unknown name's guess
       is Nairobi's in a Nairobi story about a Madrid basketball camp */
    {
        static const char T[] = "NAIROBI - Girls practise at the camp in Zebulonia. Madrid trainers flew in from Madrid. "
                                "Madrid players visit. Madrid pays the coaches. Families in Nairobi host them.";
        static const char *const NAMES[] = { "NAIROBI", "Zebulonia", "Madrid", "Madrid.", "Madrid players",
                                             "Madrid pays", "Nairobi host" };
        static const uint32_t LEN[] = { 7, 9, 6, 6, 6, 6, 7 };
        sitrep_place *q = S_resolve(g, T, NAMES, LEN, 7);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[1].feature_code, "NEAR") && !strcmp(q[1].country_code, "KE"));
    }

    /* an unknown name takes the region right beside it ("Zebulon Hall in Cheshire") before
       the focus, unless the focus lies in that region */
    {
        static const char T[] = "Choirs from Exeter set off early. The contest is held at Zebulon Hall in Cheshire.";
        static const char *const NAMES[] = { "Exeter", "Zebulon Hall", "Cheshire" };
        sitrep_place *q = S_resolve(g, T, NAMES, NULL, 3);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[1].feature_code, "NEAR") && q[1].lon < -2.0 && q[1].lat > 52.8 && q[1].lat < 53.6);
    }

    /* Philippine provinces (extra.tsv), and one qualifying a town near its point:
       "Santa Cruz, Davao del Sur" is Mindanao's, not Luzon's */
    p = S_span(g, "Typhoon rains flooded Zambales, the Philippine weather bureau said.", "Zambales");
    CHECK(p && !strcmp(p->country_code, "PH") && p->lat > 15.0 && p->lat < 16.0);
    p = S_span(g, "A ferry docked at Santa Cruz, Davao del Sur, in the Philippines.", "Santa Cruz");
    CHECK(p && !strcmp(p->country_code, "PH") && p->lat > 5.5 && p->lat < 7.5);

    /* a name before "virus", "fever" or "disease" is the disease's, and so are its other
       mentions ("the Norwalk strain" after "Norwalk virus") */
    CHECK(S_find(g, "Mosquitoes trapped in Texas carried West Nile virus.", "Nile", NULL) == NULL);
    CHECK(S_find(g, "Mosquitoes trapped in Texas carried West Nile virus.", "Texas", NULL) != NULL);
    CHECK(S_find(g, "Sailors caught the Norwalk virus. The Norwalk strain spread on the ship.", "Norwalk strain", NULL) == NULL);
    CHECK(S_find(g, "Officials in Norwalk said the library would close.", "Norwalk", NULL) != NULL);

    /* Alaska at GeoNames' point (64 N 150 W); a region across the 180th meridian
       (Fiji's Eastern Division, named after its towns' mean) stays in the Pacific */
    p = S_span(g, "Oil prices hit Alaska hard.", "Alaska");
    CHECK(p && p->lat > 63.5 && p->lat < 64.5 && p->lon > -150.5 && p->lon < -149.5);
    p = S_span(g, "Floods hit Queensland this year.", "Queensland");
    CHECK(p && !strcmp(p->country_code, "AU") && p->lat > -20.5 && p->lat < -19.5);
    p = S_span(g, "Drought hit farms across NSW this year.", "NSW");
    CHECK(p && !strcmp(p->country_code, "AU") && p->lat > -33.5 && p->lat < -32.5 && p->lon > 145.5 && p->lon < 146.5);
    p = S_span(g, "Ferries stopped in the Eastern division, officials in Suva, Fiji, said.", "Eastern");
    CHECK(p && !strcmp(p->country_code, "FJ") && (p->lon > 170 || p->lon < -170));

    /* demonyms extra.tsv adds: "Kazakh" is Kazakhstan's, not Qazax, Azerbaijan */
    p = S_span(g, "KAZAKH officials met in the capital.", "KAZAKH");
    CHECK(p && !strcmp(p->country_code, "KZ"));

    /* "New York" in an article that names three other states is the state, not the city */
    {
        static const char T[] = "Wildfires burned in Oregon, Idaho and Montana. New York sent 40 firefighters.";
        static const char *const NAMES[] = { "Oregon", "Idaho", "Montana", "New York" };
        sitrep_place *q = S_resolve(g, T, NAMES, NULL, 4);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[3].feature_code, "ADM1"));
    }

    /* Hollywood, the district of Los Angeles, not Hollywood, Florida */
    p = S_span(g, "The film was a hit in Hollywood.", "Hollywood");
    CHECK(p && p->lon < -117.0);
    /* well-known regions the admin sources lack (extra.tsv) */
    p = S_span(g, "Shelling resumed in Nagorno-Karabakh overnight.", "Nagorno-Karabakh");
    CHECK(p && !strcmp(p->country_code, "AZ"));
    p = S_span(g, "Farmers across Anatolia lost their crops.", "Anatolia");   /* not Antalya province */
    CHECK(p && !strcmp(p->country_code, "TR") && p->lon > 33.0 && p->lon < 37.0);
    /* France's former regions (extra.tsv) */
    p = S_span(g, "Bird flu reached a farm in Rhône-Alpes.", "Rhône-Alpes");
    CHECK(p && !strcmp(p->country_code, "FR") && p->lat > 45.0 && p->lat < 46.2);

    /* a town far from the focus that alone bears its name, of 10,000+ people, in the
       focus's country, stays itself ("Warminster" in an Inverness story) */
    {
        static const char T[] = "Labs in Inverness tested the goose. Inverness vets agreed. An earlier case was in Warminster.";
        static const char *const NAMES[] = { "Inverness", "Inverness vets", "Warminster" };
        static const uint32_t LEN[] = { 9, 9, 10 };
        sitrep_place *q = S_resolve(g, T, NAMES, LEN, 3);
        CHECK(q != NULL);
        CHECK(q && strcmp(q[2].feature_code, "NEAR") != 0 && q[2].lat > 51.0 && q[2].lat < 51.7);
    }

    /* "Rome's famous X": a possessive town with small words between says where an unknown
       name is, and so for its other mentions ("near X square"), in an Ohio story */
    {
        static const char T[] = "DAYTON, Ohio - A nurse from Dayton is in Italy. Thieves struck at Rome's famous "
                                "Zebulon-Fontana square. She was near Zebulon-Fontana square. Dayton mourns.";
        static const char *const NAMES[] = { "DAYTON", "Dayton is", "Rome's", "Zebulon-Fontana square.",
                                             "Zebulon-Fontana square. D", "Dayton mourns" };
        static const uint32_t LEN[] = { 6, 6, 4, 22, 22, 6 };
        sitrep_place *q = S_resolve(g, T, NAMES, LEN, 6);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[3].feature_code, "NEAR") && !strcmp(q[3].country_code, "IT"));
        CHECK(q && !strcmp(q[4].feature_code, "NEAR") && !strcmp(q[4].country_code, "IT"));
    }

    /* "X Township" that the gazetteer knows only as X is its own place, not the city X */
    p = S_span(g, "A fair opens at a school in Franklin Township, near Trenton, New Jersey.", "Franklin Township");
    CHECK(p && !strcmp(p->feature_code, "NEAR") && !strcmp(p->country_code, "US") && p->lat > 40.0);

    /* an embassy named after a country is abroad, even when a town also bears the
       country's name (Armenia, Colombia): the town beside it */
    {
        static const char T[] = "Guests gathered at the Embassy of Armenia in Rome on Friday.";
        uint32_t sp[4];
        sitrep_place *q = NULL;
        S_doc(T);
        sp[0] = (uint32_t)(strstr(T, "Embassy") - T);
        sp[1] = sp[0] + 18;
        sp[2] = (uint32_t)(strstr(T, "Rome") - T);
        sp[3] = sp[2] + 4;
        CHECK(geo_resolve_spans(g, &D, sp, 2, NULL, 0, &q) == 0 && q);
        CHECK(q && !strcmp(q[0].feature_code, "NEAR") && !strcmp(q[0].country_code, "IT"));
    }

    /* a name matched in part gives no context: "Dallas County Heritage Hall" read as
       Dallas, Texas, does not pull "Dallas County" out of Iowa */
    {
        static const char T[] = "The rally is in Waukee, Iowa. The Dallas County Republicans hold it at the "
                                "Dallas County Heritage Hall. Iowa farmers came.";
        static const char *const NAMES[] = { "Waukee", "Iowa", "Dallas County", "Dallas County Heritage Hall",
                                             "Iowa farmers" };
        static const uint32_t LEN[] = { 6, 4, 13, 27, 4 };
        sitrep_place *q = S_resolve(g, T, NAMES, LEN, 5);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[2].admin1, "Iowa"));
    }

    /* an Arab town is also named without its article ("Al Qamishli") */
    p = S_span(g, "Shells fell on Qamishli near the border.", "Qamishli");
    CHECK(p && !strcmp(p->country_code, "SY"));

    /* a town qualified by a one-country region of extra.tsv in whose country no place of
       its name lies is given the region ("Zebulon, Berkshire": not North Carolina's) */
    p = S_span(g, "The village fete is at Zebulon, Berkshire, in August.", "Zebulon");
    CHECK(p && !strcmp(p->country_code, "GB"));

    /* "the Valley" alone is no town named Valley: the local guess */
    p = S_span(g, "Growers in Arizona say the Valley needs rain.", "Valley");
    CHECK(p && !strcmp(p->feature_code, "NEAR") && !strcmp(p->country_code, "US"));

    /* with no town to focus on, a province of extra.tsv is the focus before the country:
       an unknown village of Katanga is guessed there, not at DR Congo's centre */
    {
        static const char T[] = "Miners went on strike in Katanga. Roads to Zebulonga were shut, DR Congo officials said.";
        static const char *const NAMES[] = { "Katanga", "Zebulonga", "DR Congo" };
        sitrep_place *q = S_resolve(g, T, NAMES, NULL, 3);
        CHECK(q != NULL);
        CHECK(q && !strcmp(q[1].feature_code, "NEAR") && q[1].lat < -7.0 && q[1].lat > -10.5 && q[1].lon > 25.0);
    }

    /* the event place: the place attached to the verb */
    {
        sitrep_place *pl = NULL;
        size_t n = 0;
        char cc[2][3] = { "IL", "PS" };
        const sitrep_place *ev;
        S_doc(SEED);
        CHECK(geo_find(g, &D, (const char (*)[3])cc, 2, &pl, &n) == 0);
        ev = geo_event_place(&D, pl, n, 0, S_tok(SEED, "continue"), S_tok(SEED, "Israel"), -1);
        CHECK(ev && ev->geonameid == 281102);
        ev = geo_event_place(&D, pl, n, 0, S_tok(SEED, "engages"), S_tok(SEED, "Israel"), S_tok(SEED, "Hamas"));
        CHECK(ev && !strcmp(ev->country_code, "QA"));
    }
    {
        static const char T[] = "Washington said it would impose sanctions on Moscow.";
        sitrep_place *pl = NULL;
        size_t n = 0;
        S_doc(T);
        CHECK(geo_find(g, &D, NULL, 0, &pl, &n) == 0);
        CHECK(geo_event_place(&D, pl, n, 0, S_tok(T, "impose"), S_tok(T, "Washington"), S_tok(T, "Moscow")) == NULL);
    }
    {
        static const char T[] = "GAZA CITY, March 18 - Hamas rejected the offer.";
        sitrep_place *pl = NULL;
        size_t n = 0;
        const sitrep_place *ev;
        S_doc(T);
        CHECK(geo_find(g, &D, NULL, 0, &pl, &n) == 0);
        ev = geo_event_place(&D, pl, n, D.nsents - 1, S_tok(T, "rejected"), S_tok(T, "Hamas"), -1);
        CHECK(ev && !strcmp(ev->country_code, "PS"));
    }

    /* "the West" and "Western" before a common noun: the Western world; "Western"
       as the last item of a list of provinces stays a local name */
    p = S_span(g, "Ties between Russia and the West worsened in March.", "West");
    CHECK(p && !strcmp(p->name, "Western world") && !strcmp(p->feature_code, "RGN"));
    p = S_span(g, "Moscow expelled diplomats of Western countries.", "Western");
    CHECK(p && !strcmp(p->name, "Western world"));
    p = S_span(g, "Cholera spread in Zambia's Western province.", "Western");
    CHECK(p && strcmp(p->name, "Western world") != 0);
    p = S_span(g, "Cholera cases rose in the provinces of Nyanza, Coast and Western, Kenyan officials said.", "Western");
    CHECK(p && strcmp(p->name, "Western world") != 0);
    /* ... a compass word in a list of regions is a region of the list's country,
       given both as spans: Kenya's former Western Province, South Africa's North West */
    {
        static const char T1[] = "Cholera cases rose in the provinces of Nyanza and Western, officials said.";
        static const char *const N1[] = { "Nyanza", "Western" };
        static const char T2[] = "Mines in the North West and Limpopo provinces closed.";
        static const char *const N2[] = { "North West", "Limpopo" };
        sitrep_place *q = S_resolve(g, T1, N1, NULL, 2);
        CHECK(q && !strcmp(q[1].country_code, "KE") && strcmp(q[1].feature_code, "NEAR") != 0);
        q = S_resolve(g, T2, N2, NULL, 2);
        CHECK(q && !strcmp(q[0].country_code, "ZA") && !strcmp(q[0].feature_code, "ADM1"));
        /* a compass word alone is still no place of its own */
        p = S_span(g, "Mines in the North West closed.", "North West");
        CHECK(p && (!p->geonameid || !strcmp(p->feature_code, "NEAR")));
    }
    /* a short name beside its full name is the same place: "Suffolk" after
       "Suffolk County" is the county on Long Island, not Suffolk, Virginia */
    {
        static const char T[] = "Police in Suffolk County searched the woods near Southold. "
                                "The Suffolk detectives asked for help.";
        static const char *const N[] = { "Suffolk County", "Suffolk detectives" };
        static const uint32_t L[] = { 14, 7 };
        sitrep_place *q = S_resolve(g, T, N, L, 2);
        CHECK(q && q[0].geonameid != 0 && q[1].geonameid == q[0].geonameid);
    }
    /* "West Coast": the United States' without other context, New Zealand's region beside its towns */
    p = S_span(g, "Floods hit the West Coast on Monday.", "West Coast");
    CHECK(p && !strcmp(p->country_code, "US") && !strcmp(p->feature_code, "RGN"));
    p = S_find(g, "Floods hit Greymouth and Hokitika on the West Coast, New Zealand officials said.", "West Coast", NULL);
    CHECK(p && !strcmp(p->country_code, "NZ"));
    /* a named site of data/geo/sites: a university at its campus, even in a
       story set on another continent (not the local guess of a stray name) */
    {
        static const char T[] = "BEIJING - China's exports rose in Beijing, Shanghai and Tianjin, "
                                "said a professor at Cornell University.";
        static const char *const N[] = { "Cornell University" };
        sitrep_place *q = S_resolve(g, T, N, NULL, 1);
        CHECK(q && !strcmp(q[0].country_code, "US") && !strcmp(q[0].feature_code, "UNIV") &&
              q[0].lat > 42.0 && q[0].lat < 43.0 && q[0].lon > -77.0 && q[0].lon < -76.0);
    }
    /* Alberta at GeoNames' point (ADM1POINT), not Natural Earth's label point 320 km northeast;
       Nigeria between the two conventions' points, near its centre */
    p = S_span(g, "Wildfires spread across Alberta on Monday.", "Alberta");
    CHECK(p && !strcmp(p->country_code, "CA") && p->lat > 52.0 && p->lat < 52.6 && p->lon > -118.0 && p->lon < -117.0);
    p = S_span(g, "Floods hit Nigeria on Monday.", "Nigeria");
    CHECK(p && !strcmp(p->feature_code, "PCLI") && p->lat > 8.5 && p->lat < 9.5 && p->lon > 8.5 && p->lon < 9.5);
    /* a site is as well known as a sizeable town: "Heathrow" alone is the airport,
       "Heathrow, Florida" the town */
    p = S_span(g, "Flights were cancelled at Heathrow on Monday.", "Heathrow");
    CHECK(p && !strcmp(p->country_code, "GB") && !strcmp(p->feature_code, "AIRP"));
    {
        static const char T[] = "Residents of Heathrow, Florida, voted on Monday.";
        static const char *const N[] = { "Heathrow", "Florida" };
        sitrep_place *q = S_resolve(g, T, N, NULL, 2);
        CHECK(q && !strcmp(q[0].country_code, "US") && !strncmp(q[0].feature_code, "PPL", 3));
    }
    /* a town naming an agreement is no place of the sentence ("the Minsk agreements");
       the talks held in it are */
    p = S_find(g, "Kiev accused Moscow of breaking the Minsk agreements on Monday.", "Minsk", NULL);
    CHECK(p == NULL);
    p = S_find(g, "Envoys met for talks in Minsk on Monday.", "Minsk", NULL);
    CHECK(p && !strcmp(p->country_code, "BY"));
    /* a city of a million people that begins a longer name is where that thing is,
       even far from the story's town */
    {
        static const char T[] = "BOWLING GREEN, Ky. - The plant in Bowling Green will build the car, "
                                "its maker said at the Tokyo Motor Show.";
        static const char *const N[] = { "Bowling Green", "Tokyo Motor Show" };
        sitrep_place *q = S_resolve(g, T, N, NULL, 2);
        CHECK(q && !strcmp(q[1].country_code, "JP") && strcmp(q[1].feature_code, "NEAR") != 0);
    }
    /* an unknown name beside a country is in that country, not at a focus abroad */
    {
        static const char T[] = "ANKARA - The firm sells feed in Ankara, Izmir and Istanbul. "
                                "Its plant stands in Zebulonbach in Germany.";
        static const char *const N[] = { "Ankara", "Izmir", "Istanbul", "Zebulonbach" };
        sitrep_place *q = S_resolve(g, T, N, NULL, 4);
        CHECK(q && !strcmp(q[3].country_code, "DE") && !strcmp(q[3].feature_code, "NEAR"));
    }
    /* regions of the world at GeoNames' points: the Middle East near the Levant */
    p = S_span(g, "Troops served in the Middle East for a decade.", "Middle East");
    CHECK(p && !strcmp(p->feature_code, "RGN") && p->lat > 32.0 && p->lat < 34.0 && p->lon > 35.0 && p->lon < 37.0);

    arena_free(&D.a);
    geo_free(g);
    return CHECK_DONE();
}
