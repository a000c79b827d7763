/* arena.h - per-article bump allocator: many small allocations, one reset.
 *
 * Out-of-memory policy (the whole library): allocation failures are reported
 * as NULL / SITREP_ENOMEM through the handle; the library never aborts. */
#ifndef SITREP_ARENA_H
#define SITREP_ARENA_H
#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;   /* owned: chain of blocks, newest first */
    size_t used_total;   /* bytes handed out since the last reset */
    size_t limit;        /* 0 = unlimited; else arena_alloc fails past it */
} arena;

/* Initialise an empty arena (no allocation happens until first use). */
void arena_init(arena *a, size_t limit);
/* Return `n` bytes aligned to 16, zeroed; NULL on OOM or when over the limit.
 * The memory is owned by the arena and lives until arena_reset/arena_free. */
void *arena_alloc(arena *a, size_t n);
/* As arena_alloc, but the memory is not zeroed (for arrays filled at once). */
void *arena_alloc_raw(arena *a, size_t n);
/* Copy `len` bytes of `s` into the arena and NUL-terminate; NULL on OOM. */
char *arena_strndup(arena *a, const char *s, size_t len);
/* Forget every allocation but keep the largest block for reuse. */
void arena_reset(arena *a);
/* Release every block. Accepts NULL. */
void arena_free(arena *a);

#endif
