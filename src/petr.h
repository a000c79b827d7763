/* petr.h - private structures of the PETRARCH/TABARI dictionary readers
 * (dict_petrarch.c, dict_tabari.c) and of the coder that applies them
 * (petr_code.c). The compiled dictionaries hang off kb->petr and are freed
 * by kb_free through kb->petr_free. Everything is read-only after loading. */
#ifndef SITREP_PETR_H
#define SITREP_PETR_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "coder.h"
#include "kb.h"

/* Element of a phrase or a verb pattern. */
enum px_type { PX_WORD = 1, PX_SYN, PX_SRC, PX_TGT, PX_CMP, PX_SKIP, PX_VERB };

typedef struct px {
    uint8_t type;        /* enum px_type */
    uint8_t adj;         /* must follow the previous element directly ('_' connector) */
    uint8_t stem;        /* 1: word may match as a prefix of the text word;
                            2: exact or with a plural ending (TABARI "WORD_") */
    uint8_t np;          /* written inside a PETRARCH-2 {noun phrase} */
    uint32_t id;         /* PX_WORD: word id; PX_SYN: synset index */
} px;

enum pk_kind { PK_ACTOR = 1, PK_AGENT, PK_DISCARD, PK_VERB };

/* A dictionary phrase: elements px[first .. first+n). */
typedef struct pphrase {
    uint32_t first, n;
    uint32_t what;       /* actor, agent, discard (0 sentence, 1 story) or verb index */
    uint32_t next;       /* next phrase with the same first word (index+1) */
    uint32_t rule;       /* kb rule index */
    uint8_t kind;        /* enum pk_kind */
    uint8_t head;        /* verbs: index of the inflected word */
} pphrase;

typedef struct pcode { char code[32]; int from, to; } pcode; /* yyyymmdd, 0 = open */

typedef struct pactor {
    const char *name;
    uint32_t first, n;   /* codes[first .. first+n) */
    uint32_t rule;
} pactor;

typedef struct pagent {
    char code[24];
    uint8_t prefix;      /* "NGO~": the code goes before the actor's */
} pagent;

typedef struct ppat {
    char code[8], code2[8];  /* code2: the reverse event of a "X:Y" code, "" none */
    uint32_t first, n;       /* elements, in text order, with one PX_VERB */
    uint32_t verb_at;
    uint32_t rule;
    uint16_t nlit;           /* literal words: the more, the more specific */
} ppat;

typedef struct pverb {       /* a verb block */
    char code[8], code2[8];
    uint32_t pat_first, npat; /* patidx[pat_first .. +npat) after pdict_finish */
    uint32_t pats_of;         /* the block whose patterns apply (itself, or the block
                                 a verb line with its own code sits in) */
    uint32_t rule;
} pverb;

typedef struct psyn { const char *name; uint32_t first, n; } psyn; /* members in synm */
typedef struct prange { uint32_t first, n; } prange;

typedef struct strmap { char **keys; uint32_t *vals; size_t cap, n; } strmap;

typedef struct pdict {
    arena a;
    strmap words;            /* word -> id+1 */
    const char **wstr; size_t nw, wcap;
    strmap first;            /* first word of a phrase -> first phrase index+1 */
    px *px; size_t npx, pxcap;
    pphrase *ph; size_t nph, phcap;
    pactor *actors; size_t nactors, actcap;
    pcode *codes; size_t ncodes, codecap;
    pagent *agents; size_t nagents, agcap;
    pverb *verbs; size_t nverbs, vcap;
    ppat *pats; size_t npats, patcap;
    uint32_t *patidx; size_t npatidx, patidxcap;
    psyn *syns; size_t nsyns, syncap;
    prange *synm; size_t nsynm, synmcap;
    strmap synidx;           /* "&NAME" -> synset index+1 */
    int tabari;              /* 1: TABARI semantics (stems unless '_') */
    int stem;                /* default: words without '_' match as prefixes */
    int ndup;                /* duplicate entries seen */
    /* UD-PETRARCH's internal coding ontology (PICO), read from a
     * "*Coding_Ontology*" file beside the verbs file: code -> value, for the
     * negation of verbs ("did not attack": the value +/- 0xFFFF) */
    char (*pico_code)[8]; long *pico_val; size_t npico, picocap;
    int petr2;               /* PETRARCH-2 verbs (patterns with ( ) and { } phrases):
                                "[A/B]" actor codes stay whole, as PETRARCH-2 writes them */
} pdict;

/* ---- string map (petr_dict.c): keys copied into arena a */
uint32_t *strmap_slot(strmap *m, arena *a, const char *s, size_t n, int add); /* NULL: absent/OOM */
uint32_t strmap_get(const strmap *m, const char *s, size_t n);              /* 0 when absent */
void strmap_free(strmap *m);

/* ---- building (petr_dict.c) */
pdict *pdict_new(void);
void pdict_free(void *p);                 /* accepts NULL; matches kb->petr_free */
/* Attach a new pdict to k (k owns it). NULL on OOM. */
pdict *pdict_attach(kb *k);
uint32_t pdict_word(pdict *d, const char *w, size_t n);      /* id+1, 0 OOM */
uint32_t pdict_word_get(const pdict *d, const char *w, size_t n);
/* Parse a phrase ("A_B C", with '&SYN' references when syn=1) into px
 * elements appended to d->px; returns 0, -1 OOM, -2 syntax (msg in err). */
int pdict_parse_phrase(pdict *d, const char *s, size_t n, int allow_syn, uint32_t *first, uint32_t *count,
                       char *err, size_t errlen);
/* Register phrase px[first..first+n) under its first word. -1 on OOM. */
int pdict_phrase_add(pdict *d, uint32_t first, uint32_t n, uint8_t kind, uint32_t what, uint32_t rule,
                     uint8_t head);
uint32_t pdict_actor_add(pdict *d, const char *name, uint32_t rule);   /* index, UINT32_MAX OOM */
int pdict_actor_code(pdict *d, uint32_t actor, const char *code, int from, int to);
/* Parse a code block "[CODE]", "[CODE >YYMMDD]", "[CODE YYMMDD-YYMMDD]",
 * "[A/B]" into actor codes. 0, -1 OOM, -2 (syntax error, message in err)
 * or -3 (a bad date: the code is skipped, message in err for a warning). */
int pdict_parse_codes(pdict *d, uint32_t actor, const char *s, size_t n, char *err, size_t errlen);
uint32_t pdict_agent_add(pdict *d, const char *code, int prefix);
uint32_t pdict_syn_add(pdict *d, const char *name, size_t n);          /* index, UINT32_MAX OOM */
int pdict_syn_member(pdict *d, uint32_t syn, uint32_t first, uint32_t n);
int32_t pdict_syn_find(const pdict *d, const char *name, size_t n);      /* index or -1 */
uint32_t pdict_verb_add(pdict *d, const char *code, uint32_t rule);    /* index, UINT32_MAX OOM */
/* Add a pattern ("- SAID * TO +") to verb v. 0, -1 OOM, -2 syntax. */
int pdict_pattern_add(pdict *d, uint32_t v, const char *pat, size_t n, const char *code, uint32_t rule,
                      char *err, size_t errlen);
/* Register verb phrase `s` (head = the word marked '+' or the first) with
 * the given inflections (NULL: regular forms are generated). */
int pdict_verb_phrase(pdict *d, uint32_t v, const char *s, size_t n, const char *forms, size_t nforms,
                      uint32_t rule, char *err, size_t errlen);
/* Sort each verb's patterns (most specific first). -1 on OOM. */
int pdict_finish(pdict *d);
/* Split "X:Y" codes; strip brackets. */
void pdict_split_code(const char *s, size_t n, char code[8], char code2[8]);
/* Date "YYMMDD" or "YYYYMMDD" -> yyyymmdd, -1 bad. */
int pdict_date(const char *s, size_t n);

/* Read a file whole, converting Latin-1 bytes to UTF-8 when the file is not
 * valid UTF-8. Caller frees *out. 0 or -1 (errno set). */
int pdict_read_file(const char *path, char **out, size_t *len);

/* ---- line reader shared by the dictionary readers (petr_read.c) */
typedef struct preader {
    kb *k;
    char *buf; size_t len, pos;  /* owned file contents */
    const char *path;
    uint32_t file;               /* kb file index */
    uint32_t line;               /* current line number (1-based) */
    const char *s; size_t n;     /* current line: comments stripped, trimmed */
    char comment;                /* '#' (PETRARCH) or ';' (TABARI) */
    int in_block;                /* inside <!-- ... --> */
    int nwarn, ndup;
} preader;

/* Open path (Latin-1 tolerated). 0 or SITREP_EIO with the message in err. */
int preader_open(preader *r, kb *k, const char *path, char comment, char *err, size_t errlen);
/* Advance to the next line; 0 at end of file. Empty lines are returned
 * (n == 0) because they end synsets. */
int preader_next(preader *r);
/* Record "FILE:LINE: msg" in err, release the reader; returns SITREP_EFORMAT. */
int preader_error(preader *r, char *err, size_t errlen, const char *msg);
int preader_oom(preader *r, char *err, size_t errlen);
void preader_warn(preader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The [CODE] that ends the current pattern line (the last '[' past the
 * leading '-'), cut to cap - 1 bytes into code, with *lb at that '['.
 * Returns 1; 0 after a warning when there is no '[' (skip the line); or a
 * SITREP_E* status (message in err) when its ']' is missing. */
int preader_pattern_code(preader *r, const char **lb, char *code, size_t cap, char *err, size_t errlen);
/* The codes of actor (or agent) `actor` on line s (n bytes): every [...]
 * block, read by pdict_parse_codes; a code it cannot take is a warning.
 * 0, or a SITREP_E* status (message in err). */
int pdict_line_codes(preader *r, pdict *d, uint32_t actor, const char *s, size_t n, char *err, size_t errlen);
/* Synset lines shared by the PETRARCH and TABARI verb files: "&NAME" opens
 * a synset (*syn), "+PHRASE" adds a member to the open one; any other line
 * closes it. Returns 1 when the line was consumed, 0 when it is not a synset
 * line, or a SITREP_E* status (message in err). */
int pdict_synset_line(pdict *d, preader *r, uint32_t *syn, char *err, size_t errlen);
/* Warn when phrase s was seen before in this family of files (seen may be
 * NULL: no check). 0, or -1 on OOM. */
int preader_dup(preader *r, strmap *seen, const char *s, size_t n);
void preader_seen_free(strmap *seen);
/* Release the reader, adding a summary warning for duplicates. Returns 0. */
int preader_close(preader *r, char *err, size_t errlen);
/* Read a PICO ontology file ("CODE:0xVALUE#..." lines) into d. 0, or -1
 * when it cannot be read (then negation is not applied). */
int pdict_load_pico(pdict *d, const char *path);
/* The code for the negation of `code` under the ontology, or NULL. */
const char *pdict_negate(const pdict *d, const char *code);
/* Load our CAMEO table (SITREP_HOME/kb/cameo.txt) into k when present, so
 * that events carry Goldstein scores and PLOVER types. Always 0. */
int petr_load_cameo(kb *k, char *err, size_t errlen);
#endif
