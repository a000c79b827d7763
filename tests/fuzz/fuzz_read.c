/* fuzz_read.c - fuzz target: the article readers (src/read.c) through the
 * public API. The first input byte picks the input kind (auto, text, JSON
 * Lines) and whether a default date is given; the rest is the file, handed
 * over as a memfd path (/proc/self/fd/N), or a temporary file where memfd is
 * missing. Every article returned is walked whole, and every rejection must
 * come with a message. */
#define _GNU_SOURCE 1
#include "fuzz.h"
#include "sitrep.h"
#include <fcntl.h>
#include <sys/mman.h>

static int open_input(const uint8_t *data, size_t size, char *path, size_t cap) {
    int fd = memfd_create("fuzz_read", 0);
    if (fd < 0) {
        static char dir[256];
        if (!fuzz_tmpdir(dir, sizeof dir)) return -1;
        snprintf(path, cap, "%s/input", dir);
        return fuzz_write_file(path, data, size) ? -1 : -2;
    }
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) { close(fd); return -1; }
        off += (size_t)w;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int mode = data[0] % 3; /* SITREP_INPUT_AUTO, _TEXT, _JSONL */
    const char *defdate = (data[0] & 4) ? "2021-03-04" : NULL;
    char path[512];
    int fd = open_input(data + 1, size - 1, path, sizeof path);
    if (fd == -1) return 0;
    sitrep_reader *r = sitrep_reader_open(path, mode, defdate);
    if (!r) { if (fd >= 0) close(fd); return 0; }
    sitrep_article art;
    int rejected = 0;
    for (int i = 0; i < 100000; i++) {
        int rc = sitrep_reader_next(r, &art);
        if (rc == 0) break;
        if (rc < 0) {
            FUZZ_ASSERT(sitrep_reader_errmsg(r)[0]);
            if (++rejected > 100000) break;
            if (rc == SITREP_EIO) break;
            continue;
        }
        FUZZ_ASSERT(rc == 1);
        FUZZ_ASSERT(art.text || art.text_len == 0);
        unsigned x = 0;
        for (size_t k = 0; k < art.text_len; k++) x += (unsigned char)art.text[k];
        for (size_t k = 0; k < art.id_len; k++) x += (unsigned char)art.id[k];
        if (art.date) { FUZZ_ASSERT(strlen(art.date) == 10); }
        const char *more[] = {art.title, art.url, art.source, art.file};
        for (size_t k = 0; k < 4; k++)
            if (more[k]) x += (unsigned)strlen(more[k]);
        for (size_t k = 0; k < 2 * art.nspans; k++) x += art.spans[k];
        (void)x;
    }
    sitrep_reader_free(r);
    if (fd >= 0) close(fd);
    return 0;
}
