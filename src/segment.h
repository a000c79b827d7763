/* segment.h - sentence and token segmentation with byte offsets. */
#ifndef SITREP_SEGMENT_H
#define SITREP_SEGMENT_H
#include "doc.h"

/* Split d->text into tokens and sentences (d->toks, d->sents, arena-owned).
 * Sentences longer than max_tokens are cut into chunks of that size.
 * Returns 0, -1 on OOM, or -2 when the text has more than
 * SITREP_MAX_ARTICLE_TOKENS tokens (which bounds the memory an article takes). */
int segment_doc(doc *d, uint32_t max_tokens);

/* 1 when `w` (length n, with its final period) is a known abbreviation that
 * does not end a sentence ("Gen.", "Dr.", "U.S.", "Jan."). */
int segment_is_abbrev(const char *w, size_t n);
#endif
