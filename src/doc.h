/* doc.h - the transient per-article document every stage reads and extends.
 *
 * A doc is owned by the caller of the pipeline; everything hanging off it is
 * allocated in doc->a (the article arena) and dies on doc_reset. Offsets are
 * byte offsets into doc->text (the article text after UTF-8 repair; for valid
 * UTF-8 input that is the input text byte for byte). */
#ifndef SITREP_DOC_H
#define SITREP_DOC_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"

/* token flags */
enum {
    TOK_CAP = 1,        /* first character is an upper-case letter */
    TOK_ALLCAP = 2,     /* every letter is upper case (and at least one) */
    TOK_SPACE = 4,      /* preceded by white space (or start of text) */
    TOK_NUM = 8,        /* starts with a digit */
    TOK_PUNCT = 16,     /* punctuation or symbol only */
    TOK_PARA = 32       /* first token after a blank line */
};

/* Universal POS tags (index 0 means "unknown"). */
enum upos {
    UPOS_NONE = 0, UPOS_ADJ, UPOS_ADP, UPOS_ADV, UPOS_AUX, UPOS_CCONJ, UPOS_DET,
    UPOS_INTJ, UPOS_NOUN, UPOS_NUM, UPOS_PART, UPOS_PRON, UPOS_PROPN, UPOS_PUNCT,
    UPOS_SCONJ, UPOS_SYM, UPOS_VERB, UPOS_X, UPOS_COUNT
};

/* Universal Dependencies relations the coder cares about; the parser maps
 * every other label to DEP_DEP, and subtypes to their base relation
 * (obl:unmarked to DEP_OBL_TMOD). */
enum deprel {
    DEP_NONE = 0, DEP_ROOT, DEP_NSUBJ, DEP_NSUBJ_PASS, DEP_CSUBJ, DEP_OBJ, DEP_IOBJ,
    DEP_OBL, DEP_OBL_AGENT, DEP_OBL_TMOD, DEP_NMOD, DEP_NMOD_POSS, DEP_AMOD, DEP_NUMMOD,
    DEP_COMPOUND, DEP_FLAT, DEP_APPOS, DEP_CONJ, DEP_CC, DEP_CASE, DEP_MARK, DEP_DET,
    DEP_AUX, DEP_AUX_PASS, DEP_COP, DEP_ADVMOD, DEP_ADVCL, DEP_XCOMP, DEP_CCOMP,
    DEP_ACL, DEP_ACL_RELCL, DEP_PUNCT, DEP_PARATAXIS, DEP_DEP, DEP_COUNT
};

typedef struct token {
    uint32_t start, end;      /* byte span in doc->text */
    const char *norm;         /* normalised surface: NFC, typographic quotes and
                                 dashes folded to ASCII; arena-owned, NUL-ended */
    const char *lower;        /* lower-cased norm; arena-owned */
    const char *lemma;        /* lemma (lower case) once tagged, else == lower */
    uint32_t norm_len, lower_len, lemma_len;
    uint32_t sent;            /* sentence index */
    uint16_t flags;           /* TOK_* */
    uint8_t upos;             /* enum upos, 0 until tagged */
    uint8_t deprel;           /* enum deprel */
    char xpos[8];             /* Penn tag, NUL-terminated */
    int32_t head;             /* index of the head token within the doc, -1 root */
} token;

typedef struct sentence {
    uint32_t start, end;      /* byte span in doc->text */
    uint32_t first, count;    /* tokens doc->toks[first .. first+count) */
    uint32_t para;            /* paragraph index */
} sentence;

typedef struct doc {
    arena a;                  /* owns everything below except text when borrowed */
    const char *id;           /* article id (arena) */
    const char *text;         /* article text (arena copy after repair) */
    size_t len;
    int date;                 /* yyyymmdd, 0 if unknown */
    char date_str[11];
    token *toks;
    uint32_t ntoks;
    sentence *sents;
    uint32_t nsents;
    uint32_t repaired;        /* invalid UTF-8 sequences replaced by U+FFFD */
    void *tag_cache;          /* owned (one malloc'd block, free() it), kept across articles by
                                 the owner of the doc: the tagger's per-thread word cache (tg_cache) */
} doc;

#endif
