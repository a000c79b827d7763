/* parse.h - part-of-speech tagger, lemmatiser and dependency parser.
 *
 * Implemented by tagger.c (averaged perceptron, UPOS + Penn XPOS), lemma.c
 * (rules + exception lists), parser.c (greedy arc-eager/arc-hybrid transition
 * parser with labels) and conllu.c (CoNLL-U reader). The models are loaded once
 * into a read-only parse_model shared by every thread. */
#ifndef SITREP_PARSE_H
#define SITREP_PARSE_H
#include <stddef.h>
#include "doc.h"

typedef struct parse_model parse_model;

/* Load models/ files from directory `dir`. Returns NULL and writes a message
 * into err (size errlen) on failure. The caller owns the result: parse_model_free. */
parse_model *parse_model_load(const char *dir, char *err, size_t errlen);
/* Accepts NULL. */
void parse_model_free(parse_model *m);

/* Tag, lemmatise and parse sentence `s` of `d` in place: fills token.upos,
 * xpos, lemma/lemma_len (arena strings in d->a), head (doc-level token index,
 * -1 for the root) and deprel. Uses only token.norm / lower / flags as input.
 * Returns 0, or -1 on out-of-memory. Thread-safe for a shared model. */
int parse_sentence(const parse_model *m, doc *d, uint32_t s);

/* parse_sentence without the parse: fills upos, xpos and lemma only (head
 * and deprel are left as they are). 0, or -1 on out-of-memory. */
int tag_sentence(const parse_model *m, doc *d, uint32_t s);

/* Name of a UPOS / deprel value ("NOUN", "nsubj:pass"). */
const char *parse_upos_name(int upos);
const char *parse_deprel_name(int deprel);

#endif
