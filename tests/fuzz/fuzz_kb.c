/* fuzz_kb.c - fuzz target: our knowledge-base loader (kb_load_native and the
 * linter kb_check_native, src/kb_load.c) with one fuzzed file. A scratch
 * knowledge base of small valid files is written once; the first input byte
 * picks which file the rest of the input replaces (up to the first 0x01
 * byte); the text after 0x01 is then coded with the loaded knowledge base.
 * The replaced file is restored after each input. */
#include "sitrep.h"
#include "fuzz.h"
#include "kb.h"

static const struct { const char *name, *base; } files[] = {
    {"cameo.txt", "01 | 0.0 | 1 | | | make a public statement\n010 | 0.0 | 1 | | | statement\n"
                  "042 | 1.9 | 1 | | | make a visit\n190 | -10.0 | 4 | | | use military force\n"},
    {"countries.txt", "FRA | FR | France; French Republic | French | Paris\nDEU | DE | Germany | German; Germans | Berlin\n"},
    {"agents.txt", "GOV | government; minister; ministers\nMIL | army; soldiers; troops\n"},
    {"discards.txt", "football match\n"},
    {"nonactors.txt", "Paris Agreement\n"},
    {"quantities.txt", "=2 | two; couple\nperson | people; persons\n"},
    {"actors/x.txt", "Red Brigade; Red Brigades | FRAREB\nJohn Doe | DEUGOV 2001..2005\n"},
    {"verbs/x.txt", "010 | say\n042 | visit\n190 | attack\n190 | fire on +\n"},
};
#define NFILES (sizeof files / sizeof files[0])

static char dir[256];

static int put(size_t i, const void *data, size_t n) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
    return fuzz_write_file(path, data, n);
}

static int setup(void) {
    static int ok;
    if (ok) return 1;
    if (!fuzz_tmpdir(dir, sizeof dir)) return 0;
    char sub[512];
    snprintf(sub, sizeof sub, "%s/actors", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/verbs", dir);
    mkdir(sub, 0700);
    for (size_t i = 0; i < NFILES; i++)
        if (put(i, files[i].base, strlen(files[i].base))) return 0;
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
    o.kb_dir = dir;
    fuzz_load_and_code(&o, text, ntext);
    if (data[0] & 0x80) { /* the linter reads the same files */
        sitrep_buf out = {0};
        int problems = kb_check_native(dir, &out);
        FUZZ_ASSERT(problems >= 0 || problems == SITREP_ENOMEM);
        sitrep_buf_free(&out);
    }
    put(which, files[which].base, strlen(files[which].base));
    return 0;
}
