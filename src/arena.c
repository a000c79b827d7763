/* arena.c - bump allocator with block chaining (see arena.h). */
#include "arena.h"
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    size_t cap, off;
    unsigned char *data;
};

#define ARENA_MIN_BLOCK (64u * 1024u)

void arena_init(arena *a, size_t limit) {
    a->head = NULL;
    a->used_total = 0;
    a->limit = limit;
}

void *arena_alloc(arena *a, size_t n) {
    void *p = arena_alloc_raw(a, n);
    if (p) memset(p, 0, n);
    return p;
}

void *arena_alloc_raw(arena *a, size_t n) {
    size_t need = (n + 15u) & ~(size_t)15u;
    if (need < n) return NULL;
    if (a->limit && a->used_total + need > a->limit) return NULL;
    arena_block *b = a->head;
    if (!b || b->cap - b->off < need) {
        size_t cap = ARENA_MIN_BLOCK;
        if (b && b->cap * 2 > cap && b->cap < (size_t)64 << 20) cap = b->cap * 2;
        if (cap < need) cap = need;
        b = malloc(sizeof *b + cap + 16);
        if (!b) return NULL;
        b->data = (unsigned char *)(((size_t)(b + 1) + 15u) & ~(size_t)15u);
        b->cap = cap;
        b->off = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->off;
    b->off += need;
    a->used_total += need;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len) {
    char *p = arena_alloc(a, len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = 0;
    return p;
}

void arena_reset(arena *a) {
    arena_block *keep = NULL, *b = a->head;
    while (b) {
        arena_block *n = b->next;
        if (!keep || b->cap > keep->cap) {
            if (keep) free(keep);
            keep = b;
        } else {
            free(b);
        }
        b = n;
    }
    if (keep) {
        keep->off = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->used_total = 0;
}

void arena_free(arena *a) {
    if (!a) return;
    arena_block *b = a->head;
    while (b) {
        arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->used_total = 0;
}
