/* fuzz_petrarch.c - fuzz target: the PETRARCH dictionary readers
 * (dict_load_petrarch, src/dict_petrarch.c) through sitrep_ctx_new. Small
 * valid verbs, actors, agents and discards files are written once; the first
 * input byte picks which one the input replaces (up to the first 0x01 byte);
 * the text after 0x01 is coded with the loaded dictionaries. */
#include "sitrep.h"
#include "fuzz.h"

static const struct { const char *name, *base; } files[] = {
    {"verbs.txt", "&TIETYPES\n+MILITARY\n+ECONOMIC\n\n--- RESTORE  [064] ---\nRESTORE\n- * &TIETYPES TIES [902]\n"
                  "- * DIPLOMATIC_TIES [901]\n\n--- ARRIVE [032:033] ---\nARRIVE\n\n--- BAN [191] ---\n"
                  "BAN {BANS BANNED}\n- * FROM + [192]\n"},
    {"actors.txt", "ARNOR_ [ARN]\nGONDOR [GON]\n+MINAS_TIRITH\nGOLLUM\n+SMEAGOL\n\t[HOB <950601]\n"
                   "\t[HOBGOV 19950601-19990815]\n\t[HOBREB >990816]\nTHE_SHIRE [FRO/BIL]\n"},
    {"agents.txt", "!PERSON! = MAN, MEN\nGOVERNMENT [~GOV]\nPOLICE {} [~COP]\nCONGRESS!PERSON! [~LEG]\nMSF {} [NGO~]\n"},
    {"discards.txt", "+TYPHOON\nBASEBALL\n"},
};
#define NFILES (sizeof files / sizeof files[0])

static char dir[256], paths[NFILES][512];

static int put(size_t i, const void *data, size_t n) { return fuzz_write_file(paths[i], data, n); }

static int setup(void) {
    static int ok;
    if (ok) return 1;
    if (!fuzz_tmpdir(dir, sizeof dir)) return 0;
    for (size_t i = 0; i < NFILES; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, files[i].name);
        if (put(i, files[i].base, strlen(files[i].base))) return 0;
    }
    return ok = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || !setup()) return 0;
    size_t which = data[0] % NFILES;
    const uint8_t *file, *text;
    size_t nfile, ntext;
    fuzz_split(data + 1, size - 1, 1, &file, &nfile, &text, &ntext);
    if (put(which, file, nfile)) return 0;
    sitrep_options o;
    memset(&o, 0, sizeof o);
    o.petrarch_verbs = paths[0];
    o.petrarch_actors = paths[1];
    o.petrarch_agents = paths[2];
    o.petrarch_discards = paths[3];
    fuzz_load_and_code(&o, text, ntext);
    put(which, files[which].base, strlen(files[which].base));
    return 0;
}
