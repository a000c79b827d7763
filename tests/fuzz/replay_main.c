/* replay_main.c - the plain (non-libFuzzer) driver of a fuzz target: feeds
 * each file named on the command line, or every regular file of each named
 * directory (in name order), to LLVMFuzzerTestOneInput once. Built with the
 * normal compiler and run by tests/sh/fuzz_replay.sh over the seed corpora and
 * the regression files in tests/fuzz/corpus/<target>/. Exit status 0 when every
 * input was replayed; a crash shows as the program's own failure. */
#include "fuzz.h"
#include <dirent.h>

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "%s: cannot open\n", path); return -1; }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) { fclose(f); return -1; }
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); fclose(f); return -1; }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    /* hand over an exactly-sized copy so that ASan sees reads past the end */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) { free(buf); return -1; }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int replay_dir(const char *dir, int *count) {
    DIR *d = opendir(dir);
    if (!d) return replay_file(dir) ? -1 : (++*count, 0);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) { rc = -1; break; }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) { rc = -1; break; }
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!rc && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(path)) rc = -1;
            else ++*count;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    int count = 0, rc = 0;
    for (int i = 1; i < argc; i++)
        if (replay_dir(argv[i], &count)) rc = 1;
    printf("%s: %d inputs replayed\n", argc > 0 ? argv[0] : "replay", count);
    return rc;
}
