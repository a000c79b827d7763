/* test_dicts.c - the PETRARCH and TABARI dictionary readers on tiny
 * dictionaries written here: synsets, verb blocks and patterns, dated actor
 * codes, agents with substitution sets and plurals, discards, FILE:LINE
 * errors for broken lines, warnings for duplicates; then coding with them. */
#include "check.h"
#include "coder.h"
#include "kb.h"
#include "petr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int dict_load_petrarch(kb *k, const sitrep_options *o, char *err, size_t errlen);
int dict_load_tabari(kb *k, const char *project, char *err, size_t errlen);

static char dir[256];

static const char *write_file(const char *name, const char *text) {
    static char paths[16][512];
    static int n;
    char *p = paths[n++ % 16];
    snprintf(p, 512, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f) return p;
    fputs(text, f);
    fclose(f);
    return p;
}

static const char *VERBS =
    "# test verbs\n"
    "&TIETYPES\n"
    "+MILITARY\n"
    "+ECONOMIC\n"
    "\n"
    "--- RESTORE  [064] ---\n"
    "RESTORE\n"
    "- * &TIETYPES TIES [902]\n"
    "- * DIPLOMATIC_TIES [901]\n"
    "\n"
    "--- ARRIVE [032:033] ---\n"
    "ARRIVE\n"
    "\n"
    "--- BAN [191] ---\n"
    "BAN {BANS BANNED}\n"
    "\n"
    "--- SAID [---] ---\n"
    "SAY {SAYS SAID}\n";

static const char *ACTORS =
    "ARNOR_ [ARN]\n"
    "GONDOR [GON]\n"
    "+MINAS_TIRITH\n"
    "GOLLUM # a dated actor\n"
    "+SMEAGOL\n"
    "\t[HOB <950601]\n"
    "\t[HOBGOV 19950601-19990815]\n"
    "\t[HOBREB >990816]\n"
    "THE_SHIRE [FRO/BIL]\n"
    "GONDOR [GON]\n";

static const char *AGENTS =
    "!PERSON! = MAN, MEN\n"
    "GOVERNMENT [~GOV]\n"
    "POLICE {} [~COP]\n"
    "CONGRESS!PERSON! [~LEG]\n"
    "MSF {} [NGO~]\n";

static kb *load_petr(const char *verbs, const char *actors, const char *agents, const char *discards, int *rc,
                     char *err, size_t errlen) {
    sitrep_options o;
    memset(&o, 0, sizeof o);
    o.petrarch_verbs = verbs;
    o.petrarch_actors = actors;
    o.petrarch_agents = agents;
    o.petrarch_discards = discards;
    kb *k = kb_new();
    err[0] = 0;
    *rc = dict_load_petrarch(k, &o, err, errlen);
    return k;
}

static const pactor *actor_named(const pdict *d, const char *name) {
    for (size_t i = 0; i < d->nactors; i++)
        if (!strcmp(d->actors[i].name, name)) return &d->actors[i];
    return NULL;
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/sitrep-test-dicts-%d", (int)getpid());
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd)) return 1;
    char err[1024];
    int rc;

    /* ---- a good set loads */
    const char *v = write_file("v.txt", VERBS), *a = write_file("a.txt", ACTORS), *g = write_file("g.txt", AGENTS);
    const char *dsc = write_file("d.txt", "+TYPHOON\nBASEBALL\n");
    kb *k = load_petr(v, a, g, dsc, &rc, err, sizeof err);
    CHECK(rc == 0);
    if (rc) fprintf(stderr, "%s\n", err);
    CHECK(k->petrarch == 1);
    const pdict *d = k->petr;
    CHECK(d != NULL);
    if (d) {
        CHECK(d->nsyns == 1);
        CHECK(pdict_syn_find(d, "&TIETYPES", 9) == 0);
        CHECK(d->nverbs == 4);
        CHECK_STR(d->verbs[1].code, "032");
        CHECK_STR(d->verbs[1].code2, "033");
        CHECK(d->verbs[0].npat == 2);
        const pactor *go = actor_named(d, "GOLLUM");
        CHECK(go && go->n == 3);
        if (go && go->n == 3) {
            CHECK_STR(d->codes[go->first].code, "HOB");
            CHECK(d->codes[go->first].to > 19950530 && d->codes[go->first].to < 19950601);
            CHECK(d->codes[go->first + 1].from == 19950601 && d->codes[go->first + 1].to == 19990815);
            CHECK(d->codes[go->first + 2].from == 19990816 && d->codes[go->first + 2].to == 0);
        }
        CHECK(d->nagents == 4);
        CHECK(d->agents[3].prefix == 1 && !strcmp(d->agents[3].code, "NGO"));
        CHECK(d->agents[0].prefix == 0 && !strcmp(d->agents[0].code, "GOV"));
        CHECK(pdict_word_get(d, "CONGRESSMEN", 11) != 0);   /* substitution set */
        CHECK(pdict_word_get(d, "GOVERNMENTS", 11) != 0);   /* regular plural */
        CHECK(pdict_word_get(d, "POLICES", 7) == 0);        /* {}: no plural */
        CHECK(pdict_word_get(d, "BANNED", 6) != 0);         /* listed form */
        CHECK(pdict_word_get(d, "ARRIVED", 7) != 0);        /* regular form */
        CHECK(pdict_word_get(d, "ARRIVING", 8) != 0);
    }
    /* the duplicate GONDOR is a warning, not an error */
    CHECK(k->warnings && strstr(k->warnings, "a.txt:10: duplicate entry GONDOR"));
    kb_free(k);

    /* ---- broken lines are FILE:LINE errors */
    const char *bad1 = write_file("bad1.txt", "ARNOR [ARN]\nGONDOR [GON\n");
    k = load_petr(NULL, bad1, NULL, NULL, &rc, err, sizeof err);
    CHECK(rc == SITREP_EFORMAT);
    CHECK(strstr(err, "bad1.txt:2:") != NULL);
    kb_free(k);
    const char *bad2 = write_file("bad2.txt", "--- ARRIVE [032] ---\nARRIVE\n- * TO [033\n");
    k = load_petr(bad2, NULL, NULL, NULL, &rc, err, sizeof err);
    CHECK(rc == SITREP_EFORMAT);
    CHECK(strstr(err, "bad2.txt:3:") != NULL);
    kb_free(k);
    const char *bad3 = write_file("bad3.txt", "\t[ARN]\n");
    k = load_petr(NULL, bad3, NULL, NULL, &rc, err, sizeof err);
    CHECK(rc == SITREP_EFORMAT);
    CHECK(strstr(err, "bad3.txt:1: code line without an actor") != NULL);
    kb_free(k);
    /* a bad date is a warning: the code is skipped */
    const char *bad4 = write_file("bad4.txt", "ARNOR\n\t[ARN 9008223-911221]\n\t[ARN]\n");
    k = load_petr(NULL, bad4, NULL, NULL, &rc, err, sizeof err);
    CHECK(rc == 0);
    CHECK(k->warnings && strstr(k->warnings, "bad4.txt:2:"));
    kb_free(k);
    /* Latin-1 bytes are read */
    const char *lat = write_file("lat.txt", "BOGOT\xC1_ [COL]\n");
    k = load_petr(NULL, lat, NULL, NULL, &rc, err, sizeof err);
    CHECK(rc == 0);
    if (!rc) CHECK(pdict_word_get(k->petr, "BOGOT\xC3\x81", 7) != 0);
    kb_free(k);
    /* a missing file */
    k = load_petr("/nonexistent/verbs.txt", NULL, NULL, NULL, &rc, err, sizeof err);
    CHECK(rc == SITREP_EIO);
    kb_free(k);

    /* ---- coding with them: dated codes, compounds, reverse codes */
    sitrep_options o;
    memset(&o, 0, sizeof o);
    o.petrarch_verbs = v;
    o.petrarch_actors = a;
    o.petrarch_agents = g;
    o.petrarch_discards = dsc;
    o.models_dir = "";
    o.gazetteer = "";
    sitrep_ctx *c = sitrep_ctx_new(&o);
    CHECK(c && sitrep_ctx_status(c) == 0);
    struct { const char *date, *text, *want; } cases[] = {
        {"1995-01-01", "Arnor will restore military ties with Gondor.", "ARN GON 902;"},
        {"1995-01-01", "Arnor will restore diplomatic ties with Gondor.", "ARN GON 901;"},
        {"1995-01-01", "Smeagol arrived in Minas Tirith.", "HOB GON 032;GON HOB 033;"},
        {"1997-01-01", "Smeagol arrived in Minas Tirith.", "HOBGOV GON 032;GON HOBGOV 033;"},
        {"2001-01-01", "The Gondor government banned Gollum.", "GONGOV HOBREB 191;"},
        {"1995-01-01", "The Shire banned Gondor police.", "FRO GONCOP 191;BIL GONCOP 191;"},
        {"1995-01-01", "A typhoon hit Arnor. Arnor banned Gondor.", ""},
        {NULL, NULL, NULL}};
    for (int i = 0; c && cases[i].text; i++) {
        sitrep_doc *sd = sitrep_doc_new();
        sitrep_article art;
        memset(&art, 0, sizeof art);
        art.id = "t";
        art.id_len = 1;
        art.date = cases[i].date;
        art.text = cases[i].text;
        art.text_len = strlen(cases[i].text);
        CHECK(sitrep_code(c, sd, &art) == 0);
        char got[512] = "";
        for (size_t e = 0; e < sitrep_doc_nevents(sd); e++) {
            const sitrep_event *ev = sitrep_doc_event(sd, e);
            size_t l = strlen(got);
            snprintf(got + l, sizeof got - l, "%s %s %s;", ev->source.code, ev->target.code, ev->cameo);
        }
        CHECK_STR(got, cases[i].want);
        sitrep_doc_free(sd);
    }
    sitrep_ctx_free(c);

    /* ---- TABARI project */
    write_file("t.actors", "<NOUN>\nSHEEP\n</NOUN>\nARNOR_ [ARN] ;comment\nGONDOR [GON]\nENT [### <890101] [ENT]\n");
    write_file("t.verbs", "<SYNSETS>\n&TIES\n+TIES\n+RELATIONS\n</SYNSETS>\nRESTOR [064]\n- * { DIPLOMATIC | FULL } &TIES [901]\n"
                          "SAID [023?]\n~~FINISH\n");
    write_file("t.agents", "GOVERNMENT_ [~GOV]\n");
    const char *proj = write_file("t.project", "<actorsfile> t.actors\n<verbsfile> t.verbs\n<agentsfile> t.agents\n");
    k = kb_new();
    rc = dict_load_tabari(k, proj, err, sizeof err);
    CHECK(rc == 0);
    if (rc) fprintf(stderr, "%s\n", err);
    CHECK(k->tabari == 1 && k->petrarch == 1);
    if (!rc) {
        d = k->petr;
        CHECK(d->nverbs == 2);
        CHECK(d->nsyns == 2); /* &TIES and the { | } alternatives */
        CHECK(actor_named(d, "SHEEP") == NULL);
    }
    kb_free(k);
    write_file("b.verbs", "RESTOR [064]\n- * TIES [901\n");
    const char *proj2 = write_file("b.project", "<verbsfile> b.verbs\n");
    k = kb_new();
    rc = dict_load_tabari(k, proj2, err, sizeof err);
    CHECK(rc == SITREP_EFORMAT && strstr(err, "b.verbs:2:"));
    kb_free(k);

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd)) return 1;
    return CHECK_DONE();
}
