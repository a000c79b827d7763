/* fuzz_tabari.c - fuzz target: the TABARI dictionary readers
 * (dict_load_tabari, src/dict_tabari.c) through sitrep_ctx_new. A project file
 * and small valid .actors, .verbs and .agents files are written once; the
 * first input byte picks which dictionary the input replaces (up to the first
 * 0x01 byte; the project file itself is not fuzzed: it names paths to read);
 * the text after 0x01 is coded with the loaded dictionaries. */
#include "sitrep.h"
#include "fuzz.h"

static const struct { const char *name, *base; } files[] = {
    {"t.actors", "<NOUN>\nSHEEP\n</NOUN>\nARNOR_ [ARN] ;comment\nGONDOR [GON]\nENT [### <890101] [ENT]\n"},
    {"t.verbs", "<SYNSETS>\n&TIES\n+TIES\n+RELATIONS\n</SYNSETS>\nRESTOR [064]\n"
                "- * { DIPLOMATIC | FULL } &TIES [901]\nSAID [023?]\nATTACK [190]\n- * WITH_ ROCKETS [195]\n~~FINISH\n"},
    {"t.agents", "GOVERNMENT_ [~GOV]\nSOLDIER_ [~MIL]\n"},
};
#define NFILES (sizeof files / sizeof files[0])

static char dir[256], project[512];

static int put(size_t i, const void *data, size_t n) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
    return fuzz_write_file(path, data, n);
}

static int setup(void) {
    static int ok;
    if (ok) return 1;
    if (!fuzz_tmpdir(dir, sizeof dir)) return 0;
    for (size_t i = 0; i < NFILES; i++)
        if (put(i, files[i].base, strlen(files[i].base))) return 0;
    snprintf(project, sizeof project, "%s/t.project", dir);
    const char *p = "<actorsfile> t.actors\n<verbsfile> t.verbs\n<agentsfile> t.agents\n";
    if (fuzz_write_file(project, p, strlen(p))) return 0;
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
    o.tabari_project = project;
    fuzz_load_and_code(&o, text, ntext);
    put(which, files[which].base, strlen(files[which].base));
    return 0;
}
