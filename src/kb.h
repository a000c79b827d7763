/* kb.h - the compiled knowledge base: interned words, a phrase trie for
 * actors, agents, discards; verb patterns indexed by anchor; the CAMEO table.
 *
 * Every dictionary format (ours in kb_load.c, PETRARCH and TABARI in
 * dict_*.c) fills the same structure, so one coder serves them all. A kb is
 * read-only after loading and shared by threads. */
#ifndef SITREP_KB_H
#define SITREP_KB_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "sitrep.h"

/* ---- interning: string -> id (1-based; 0 = unknown) */
typedef struct intern {
    uint32_t *slots;     /* hash slots -> id, owned */
    size_t nslots;
    uint32_t *off;       /* id -> offset into pool (index id-1), owned */
    uint32_t *len;
    size_t n, cap;
    char *pool;          /* owned */
    size_t pool_len, pool_cap;
} intern;

void intern_init(intern *t);
void intern_free(intern *t);
/* Id of s (adding it when absent); 0 on OOM. */
uint32_t intern_add(intern *t, const char *s, size_t n);
/* Id of s or 0 when absent. Read-only: safe to call from many threads. */
uint32_t intern_get(const intern *t, const char *s, size_t n);
const char *intern_str(const intern *t, uint32_t id, size_t *n);

/* ---- generic 64-bit key -> 32-bit value hash map (open addressing) */
typedef struct u64map_slot { uint64_t key; uint32_t val; } u64map_slot; /* key 0: empty */
typedef struct u64map {
    u64map_slot *slots;  /* owned; a key and its value share a cache line */
    size_t cap, n;
} u64map;
int u64map_put(u64map *m, uint64_t key, uint32_t val); /* 0 or -1 OOM */
uint32_t u64map_get(const u64map *m, uint64_t key);    /* 0 when absent */
void u64map_free(u64map *m);

/* ---- rules: where each entry came from (evidence) */
typedef struct kb_rule { uint32_t file; uint32_t line; } kb_rule; /* file: index into kb.files */

/* ---- actors */
typedef struct kb_code {
    char code[24];
    int from, to;        /* yyyymmdd, 0 = open */
} kb_code;

enum kb_kind { KB_COUNTRY = 1, KB_DEMONYM, KB_METONYM, KB_AGENT, KB_NAMED, KB_DISCARD, KB_PRONOUN, KB_NONACTOR };

typedef struct kb_actor {
    const char *name;    /* canonical (first) name */
    uint32_t first, n;   /* codes kb.codes[first .. first+n) */
    uint32_t rule;       /* index into kb.rules */
    char iso2[3];        /* countries: ISO 3166-1 alpha-2, else "" */
    uint8_t kind;        /* enum kb_kind */
    uint8_t person;      /* 1 for named people */
    uint8_t agent_prefix;/* agents (PETRARCH ~XXX): 1 when the code goes first */
} kb_actor;

/* A phrase in the trie: what it means when it matches. */
typedef struct kb_phrase {
    uint32_t actor;      /* index into kb.actors */
    uint32_t next;       /* next phrase ending at the same node (index+1), 0 = none */
    uint32_t rule;
    uint16_t ntoks;
    uint8_t kind;        /* enum kb_kind */
    uint8_t exact_case;  /* match only the capitalisation written */
    const uint32_t *case_ids; /* exact_case: interned norm forms to compare */
} kb_phrase;

/* ---- verb patterns */
enum pat_elem { PE_WORD = 0, PE_TARGET, PE_SOURCE, PE_ANY };
typedef struct kb_pelem { uint32_t word; uint8_t type; } kb_pelem;

typedef struct kb_pattern {
    char code[8];        /* CAMEO code, "---" for a null pattern */
    uint32_t first, n;   /* elements kb.pelems[first .. first+n) */
    uint32_t anchor;     /* index (0-based, within the pattern) of the anchor word */
    uint32_t rule;
    uint32_t next;       /* next pattern with the same anchor word (index+1) */
    uint32_t next_ix;    /* next pattern in the same matching index chain (index+1) */
    uint8_t noun;        /* anchor is a noun (nominal event) */
    uint8_t flags;
} kb_pattern;

typedef struct kb_cameo {
    char code[6];
    double goldstein;
    int quad;
    const char *plover, *mode, *name;
} kb_cameo;

typedef struct kb {
    arena a;                 /* strings and arrays that never change after load */
    intern words;            /* lower-case word forms */
    intern norms;            /* exact-case forms for case-sensitive phrases */
    u64map trie;             /* (node << 32 | word id) -> child node */
    uint32_t nnodes;
    uint32_t *node_phr;      /* node -> first phrase (index+1), owned, size cap */
    size_t node_cap;
    kb_phrase *phr; size_t nphr, phr_cap;
    kb_actor *actors; size_t nactors, actors_cap;
    kb_code *codes; size_t ncodes, codes_cap;
    kb_pattern *pats; size_t npats, pats_cap;
    kb_pelem *pelems; size_t npelems, pelems_cap;
    u64map anchors;          /* word id -> first pattern (index+1) */
    u64map ix1;              /* anchor id -> patterns whose next element is not a word (via next_ix) */
    u64map ix2;              /* (anchor id << 32 | next word id) -> patterns (via next_ix) */
    u64map forms;            /* inflected form id -> base id (primary), bases2 for a second */
    u64map forms2;
    uint8_t *formed;         /* word id -> 1 once its inflections are interned, owned */
    size_t formed_cap;
    u64map pathash;          /* hash of a pattern's elements -> pattern index+1 (duplicates) */
    kb_cameo *cameo; size_t ncameo, cameo_cap;
    u64map cameo_idx;        /* packed code -> index+1 */
    u64map units;            /* word id -> unit string index+1 into unit_names */
    const char **unit_names; size_t nunits, units_cap;
    u64map numwords;         /* word id -> value+1 (integers) */
    const char **files; size_t nfiles, files_cap;  /* display paths of loaded files */
    kb_rule *rules; size_t nrules, rules_cap;
    char *warnings; size_t wlen, wcap;             /* owned, newline-separated */
    uint8_t *role;           /* word id -> KB_ROLE_* bits (kb_index_roles), owned, NULL until built */
    size_t nrole;            /* ids 0 .. nrole-1 have a role entry */
    int petrarch;            /* 1 when loaded from PETRARCH/TABARI dictionaries */
    void *petr;              /* compiled PETRARCH/TABARI structures (petr_*.c), owned */
    void (*petr_free)(void *);
    int tabari;
} kb;

kb *kb_new(void);
void kb_free(kb *k);                      /* accepts NULL */
/* Load our native knowledge base from `dir`. Errors (FILE:LINE) go to err;
 * a broken line is an error. Returns 0 or a SITREP_E* status. */
int kb_load_native(kb *k, const char *dir, char *err, size_t errlen);
/* Lint mode: like kb_load_native but collects every problem into `out`
 * (FILE:LINE: message lines) and returns the number of problems. */
int kb_check_native(const char *dir, sitrep_buf *out);

/* builders used by every loader */
uint32_t kb_file(kb *k, const char *display);                 /* -> file index */
uint32_t kb_rule_add(kb *k, uint32_t file, uint32_t line);    /* -> rule index */
int kb_warn(kb *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add an actor; returns its index or UINT32_MAX on OOM. */
uint32_t kb_actor_add(kb *k, const char *name, uint8_t kind, uint32_t rule);
int kb_actor_code(kb *k, uint32_t actor, const char *code, int from, int to);
/* Tokenise `phrase` like article text and add it to the trie for actor.
 * Returns 0, 1 for an empty phrase, -1 on OOM, or 2 + rule index when the
 * same words already name another actor of the same kind (the newer entry
 * wins at match time). */
int kb_phrase_add(kb *k, const char *phrase, size_t n, uint32_t actor, uint8_t kind, uint32_t rule, int allow_case);
/* Add a pattern made of `n` elements; the anchor is element `anchor`. */
int kb_pattern_add(kb *k, const char *code, const kb_pelem *el, uint32_t n, uint32_t anchor, uint32_t rule, int noun);
/* Intern a lower-case word and its inflections (verb and noun forms) so that
 * any of them maps back to the base. Returns the base id (0 on OOM). */
uint32_t kb_word_with_forms(kb *k, const char *w, size_t n);
int kb_cameo_add(kb *k, const char *code, double goldstein, int quad, const char *plover, const char *mode, const char *name);
const kb_cameo *kb_cameo_get(const kb *k, const char *code);
/* The code of actor `a` on date yyyymmdd (0 = any): dated codes first, then
 * the undated fallback; NULL when none applies. */
const kb_code *kb_actor_code_on(const kb *k, uint32_t a, int date);
/* Parse "YYYY", "YYYY-MM", "YYYY-MM-DD" (also YYMMDD when petr=1) to yyyymmdd;
 * end=1 rounds a coarse date up to the last day. Returns -1 if malformed. */
int kb_parse_date(const char *s, size_t n, int end);
/* What a word id can be, for skipping hash lookups that would find nothing. */
enum {
    KB_ROLE_ANCHOR = 1,      /* a key of k->anchors (and of ix1 / the first half of ix2) */
    KB_ROLE_NEXT = 2,        /* the second word of an ix2 key */
    KB_ROLE_PHRASE = 4,      /* the first word of a trie phrase (a child of the root) */
    KB_ROLE_FORM = 8,        /* a key of k->forms (an inflected form of a pattern word) */
    KB_ROLE_FORM2 = 16       /* a key of k->forms2 */
};
/* Build k->role from the maps, once everything is loaded (the maps must not
 * change afterwards). 0 or -1 on OOM. */
int kb_index_roles(kb *k);
/* 1 when word id w may have the roles `bits` (always 1 without the index). */
static inline int kb_may(const kb *k, uint32_t w, unsigned bits) {
    return !k->role || (w < k->nrole && (k->role[w] & bits));
}
/* Trie walk: child of node for word id, 0 if none (node 0 is the root; real
 * nodes start at 1 so "0" can mean none for children). */
uint32_t kb_trie_child(const kb *k, uint32_t node, uint32_t word);
#endif
