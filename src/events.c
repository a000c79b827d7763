/* events.c - verb and noun patterns matched at anchor words, source and
 * target assigned (pattern slots, passive voice, nearest subject, pronouns,
 * coordination), negation, and the event records with CAMEO/PLOVER codes,
 * evidence and quantities. */
#include "coder.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAP_WORDS 2     /* modifiers allowed between two pattern words */
#define GAP_SLOT 3      /* tokens allowed before a slot's actor */
#define TARGET_WINDOW 6 /* tokens after a match searched for an unslotted target */

static int is_word(const token *t, const char *w) {
    return t->lower_len == strlen(w) && !memcmp(t->lower, w, t->lower_len);
}

/* The first byte is compared before the length: most list words differ
 * there, and strlen of each list word was a sixth of the coder's time. */
static int in_list(const token *t, const char *const *l) {
    if (!t->lower_len) return 0;
    char c = t->lower[0];
    for (int i = 0; l[i]; i++)
        if (l[i][0] == c && is_word(t, l[i])) return 1;
    return 0;
}

static const char *const BOUNDARY[] = {",", ";", ":", "as", "while", "when", "after", "before", "because",
                                       "but", "although", "though", "since", "if", "whereas", "until", "(", ")",
                                       "\"", "-", NULL};
static const char *const TIME_WORDS[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday", "today", "yesterday", "tonight", "overnight", "again", "also",
                                         "formally", "officially", "reportedly", "jointly", NULL};
static const char *const NEGATORS[] = {"not", "n't", "never", "no", "neither", "nor", "without", "cannot", NULL};
static const char *const BE[] = {"was", "were", "is", "are", "been", "be", "being", "got", "get", "gets", "am", NULL};
static const char *const PREP[] = {"in", "at", "on", "to", "with", "from", "by", "of", "for", "against", "near",
                                   "into", "over", "between", "among", "about", "after", "before", "under",
                                   "including", "like", "than", "toward", "towards", "during", NULL};
/* Nouns whose "of" phrase names the actor itself ("a member of the Syrian
 * parliament", "leaders of the opposition coalition"). */
static const char *const RELATIONAL[] = {"member", "members", "leader", "leaders", "head", "heads", "chief", "chiefs",
                                         "spokesman", "spokeswoman", "spokesperson", "official", "officials",
                                         "delegation", "delegations", "representative", "representatives", "envoy",
                                         "envoys", "group", "some", "one", "two", "several", "many", "most", "commander",
                                         "commanders", "minister", "ministers", "president", "army", "forces", NULL};

/* coder_token_ids with w the word id of t's lower form (0: unknown). */
static int token_ids_of(const kb *k, const token *t, uint32_t w, uint32_t ids[4]) {
    int n = 0;
    if (w) {
        ids[n++] = w;
        uint32_t b = kb_may(k, w, KB_ROLE_FORM) ? u64map_get(&k->forms, w) : 0;
        if (b) ids[n++] = b;
        b = kb_may(k, w, KB_ROLE_FORM2) ? u64map_get(&k->forms2, w) : 0;
        if (b) ids[n++] = b;
    }
    if (t->lemma != t->lower) {
        uint32_t l = intern_get(&k->words, t->lemma, t->lemma_len);
        if (l && l != w) {
            int dup = 0;
            for (int i = 0; i < n; i++) dup |= ids[i] == l;
            if (!dup && n < 4) ids[n++] = l;
        }
    }
    return n;
}

int coder_token_ids(const kb *k, const token *t, uint32_t ids[4]) {
    return token_ids_of(k, t, intern_get(&k->words, t->lower, t->lower_len), ids);
}

/* Does token i (of the article) match pattern word `word`? Uses the ids
 * cached by cache_token_ids. */
static int tok_is(const sitrep_doc *sd, uint32_t i, uint32_t word) {
    const uint32_t *ids = sd->tid[i];
    for (int x = 0; x < sd->tidn[i]; x++)
        if (ids[x] == word) return 1;
    return 0;
}

/* coder_token_ids of the tokens of sentence S, once per article (after
 * tagging: the lemma counts); the patterns of the sentence read them. */
static void cache_token_ids(const kb *k, sitrep_doc *sd, const sentence *S) {
    for (uint32_t i = S->first; i < S->first + S->count; i++) {
        const token *t = &sd->d.toks[i];
        uint32_t w = sd->wid ? sd->wid[i] : intern_get(&k->words, t->lower, t->lower_len);
        sd->tidn[i] = (uint8_t)token_ids_of(k, t, w, sd->tid[i]);
        sd->ttime[i] = (uint8_t)in_list(&sd->d.toks[i], TIME_WORDS);
    }
}

/* The mention an actor slot at token j finds, or -1. */
static int32_t slot_actor(const sitrep_doc *sd, uint32_t j, uint32_t end, uint32_t *after) {
    const doc *d = &sd->d;
    for (uint32_t g = 0; g <= GAP_SLOT && j + g < end; g++) {
        const token *t = &d->toks[j + g];
        int32_t mi = sd->tok_mention[j + g];
        if (mi >= 0) {
            const mention *m = &sd->m[mi];
            if (m->only_location) return -1;
            *after = m->last;
            return mi;
        }
        if (t->flags & TOK_PUNCT) return -1;
    }
    return -1;
}

/* Try pattern p anchored at token i. */
static int try_pattern(const kb *k, const sitrep_doc *sd, uint32_t pi, uint32_t i, uint32_t end, vmatch *out) {
    const kb_pattern *p = &k->pats[pi];
    const kb_pelem *el = k->pelems + p->first;
    const doc *d = &sd->d;
    vmatch v;
    memset(&v, 0, sizeof v);
    v.pat = pi;
    v.anchor = i;
    v.first = i;
    v.target = v.source = v.src_used = -1;
    v.score = 1;
    uint32_t pos = i + 1;
    for (uint32_t e = p->anchor + 1; e < p->n; e++) {
        if (el[e].type == PE_WORD) {
            int found = 0;
            uint32_t extra = 0;
            for (uint32_t g = 0; g <= GAP_WORDS + extra && pos + g < end; g++) {
                const token *t = &d->toks[pos + g];
                if (tok_is(sd, pos + g, el[e].word)) {
                    pos = pos + g + 1;
                    found = 1;
                    break;
                }
                if ((t->flags & TOK_PUNCT) || sd->tok_mention[pos + g] >= 0) break;
                if (sd->ttime[pos + g] && extra < 2) extra++; /* "lifted Friday a blockade" */
            }
            if (!found) return 0;
            v.score += 2;
        } else if (el[e].type == PE_TARGET || el[e].type == PE_SOURCE) {
            uint32_t after = pos;
            int32_t mi = slot_actor(sd, pos, end, &after);
            if (mi < 0) return 0;
            if (el[e].type == PE_TARGET) v.target = mi;
            else v.source = mi;
            pos = after;
            v.score += 1;
        }
    }
    v.last = pos;
    *out = v;
    return 1;
}

static int push_match(sitrep_doc *sd, const vmatch *v) {
    if (sd->nv == sd->vcap) {
        uint32_t nc = sd->vcap ? sd->vcap * 2 : 32;
        vmatch *nv = arena_alloc(&sd->d.a, nc * sizeof *nv);
        if (!nv) return -1;
        if (sd->nv) memcpy(nv, sd->v, sd->nv * sizeof *nv);
        sd->v = nv;
        sd->vcap = nc;
    }
    sd->v[sd->nv++] = *v;
    return 0;
}

/* Find the best pattern match at every anchor of sentence s, then drop
 * matches overlapped by a better one. */
static int match_sentence(const kb *k, sitrep_doc *sd, uint32_t s) {
    const doc *d = &sd->d;
    const sentence *S = &d->sents[s];
    uint32_t end = S->first + S->count;
    uint32_t start_nv = sd->nv;
    for (uint32_t i = S->first; i < end; i++) {
        const token *t = &d->toks[i];
        if (t->flags & (TOK_PUNCT | TOK_NUM)) continue;
        if (sd->tok_mention[i] >= 0 && sd->m[sd->tok_mention[i]].kind == M_ACTOR) continue;
        /* a word that modifies a noun here ("peace talks", "protest leaders") anchors nothing */
        if ((t->upos == UPOS_NOUN || t->upos == UPOS_ADJ || t->upos == UPOS_PROPN) &&
            (t->deprel == DEP_COMPOUND || t->deprel == DEP_AMOD) && t->head > (int32_t)i)
            continue;
        const uint32_t *ids = sd->tid[i];
        int n = sd->tidn[i];
        vmatch best;
        int have = 0;
#define TRY_CHAIN(first_)                                                                               \
    for (uint32_t pi = (first_); pi; pi = k->pats[pi - 1].next_ix) {                                   \
        vmatch v;                                                                                       \
        if (!try_pattern(k, sd, pi - 1, i, end, &v)) continue;                                          \
        if (!have || v.score > best.score || (v.score == best.score && v.pat < best.pat)) {            \
            best = v;                                                                                   \
            have = 1;                                                                                   \
        }                                                                                               \
    }
        for (int x = 0; x < n; x++) {
            if (!kb_may(k, ids[x], KB_ROLE_ANCHOR) || !u64map_get(&k->anchors, ids[x])) continue;
            TRY_CHAIN(u64map_get(&k->ix1, ids[x]));
            /* patterns that go on with a word: look that word up among the next tokens */
            for (uint32_t g = 0; g <= GAP_WORDS && i + 1 + g < end; g++) {
                const token *nt = &d->toks[i + 1 + g];
                const uint32_t *nids = sd->tid[i + 1 + g];
                int nn = sd->tidn[i + 1 + g];
                for (int y = 0; y < nn; y++)
                    if (kb_may(k, nids[y], KB_ROLE_NEXT)) TRY_CHAIN(u64map_get(&k->ix2, ((uint64_t)ids[x] << 32) | nids[y]));
                if ((nt->flags & TOK_PUNCT) || sd->tok_mention[i + 1 + g] >= 0) break;
            }
        }
#undef TRY_CHAIN
        if (have && push_match(sd, &best)) return -1;
    }
    /* overlaps: keep the higher score (earlier on ties) */
    for (uint32_t a = start_nv; a < sd->nv; a++) {
        for (uint32_t b = start_nv; b < sd->nv; b++) {
            if (a == b || sd->v[a].score < 0 || sd->v[b].score < 0) continue;
            vmatch *x = &sd->v[a], *y = &sd->v[b];
            if (x->first < y->last && y->first < x->last) {
                if (y->score > x->score || (y->score == x->score && y->first < x->first)) {
                    x->score = -1;
                    const kb_pattern *px = &k->pats[x->pat];
                    TRACE(sd, "  pattern %s %s:%u at \"%s\" set aside: a longer pattern overlaps it", px->code,
                                k->files[k->rules[px->rule].file], k->rules[px->rule].line, d->toks[x->anchor].norm);
                }
            }
        }
    }
    return 0;
}

/* Is the verb at token i in the passive voice ("was attacked")? */
static int passive_at(const doc *d, const sentence *S, uint32_t i) {
    const token *t = &d->toks[i];
    if (t->upos == 16 && t->xpos[0] && strcmp(t->xpos, "VBN")) return 0; /* tagged, not a participle */
    if (!(t->lower_len > 2 && !memcmp(t->lower + t->lower_len - 2, "ed", 2)) && t->upos == 0) {
        /* irregular participles are recognised when tagged */
    }
    for (uint32_t j = i, g = 0; j > S->first && g < 3; j--, g++) {
        const token *p = &d->toks[j - 1];
        if (in_list(p, BE)) return 1;
        if (!(p->lower_len > 2 && !memcmp(p->lower + p->lower_len - 2, "ly", 2)) && !is_word(p, "not") &&
            !is_word(p, "n't") && !is_word(p, "reportedly") && !is_word(p, "also"))
            return 0;
    }
    return 0;
}

/* Nearest subject-like mention before token i in sentence S, or -1. */
/* Is mention m inside a prepositional phrase ("of the divided Mediterranean
 * island", "in the fight against smuggling")? Looks back over up to three
 * lower-case words for a preposition. */
static int in_pp(const doc *d, const sentence *S, const mention *m) {
    for (uint32_t j = m->first, g = 0; j > S->first && g < 4; j--, g++) {
        const token *t = &d->toks[j - 1];
        if (is_word(t, "of") && j - 1 > S->first && in_list(&d->toks[j - 2], RELATIONAL)) return 0;
        if (in_list(t, PREP)) return 1;
        if (t->flags & (TOK_PUNCT | TOK_CAP | TOK_NUM)) return 0;
    }
    return 0;
}

/* An apposition ", a close U.S. partner in the region," between a subject and its
 * verb: the token index of the opening comma when mention m sits inside one
 * that closes right before position i, else 0. */
static uint32_t apposition_open(const doc *d, const sentence *S, const mention *m, uint32_t i) {
    uint32_t close = 0;
    for (uint32_t j = m->last; j < i; j++)
        if (is_word(&d->toks[j], ",")) { close = j; break; }
    if (!close) return 0;
    for (uint32_t j = m->first; j > S->first; j--)
        if (is_word(&d->toks[j - 1], ",")) return j - 1;
    return 0;
}

static int32_t subject_before(const sitrep_doc *sd, const sentence *S, uint32_t i) {
    const doc *d = &sd->d;
    for (uint32_t j = i; j > S->first; j--) {
        int32_t mi = sd->tok_mention[j - 1];
        if (mi < 0) continue;
        const mention *m = &sd->m[mi];
        j = m->first + 1;
        if (m->only_location) continue;
        if (m->kind == M_ACTOR && !m->code[0]) continue;
        if (m->kind == M_ACTOR && in_pp(d, S, m)) continue;
        if (m->kind != M_ACTOR && m->first > S->first && in_list(&d->toks[m->first - 1], PREP)) continue;
        if (m->kind != M_ACTOR && m->ante < 0) continue;
        uint32_t open = apposition_open(d, S, m, i);
        if (open > S->first && sd->tok_mention[open - 1] >= 0) {
            /* "Egypt, a close U.S. partner, has refused": the head before the comma */
            const mention *h = &sd->m[sd->tok_mention[open - 1]];
            if (h->kind == M_ACTOR && h->code[0] && !h->only_location) return sd->tok_mention[open - 1];
        }
        return mi;
    }
    return -1;
}

/* First actor mention after token i within the window, stopping at clause
 * boundaries; -1 if none. */
static int32_t object_after(const sitrep_doc *sd, uint32_t i, uint32_t end, int skip_locative) {
    const doc *d = &sd->d;
    for (uint32_t j = i, g = 0; j < end && g < TARGET_WINDOW; j++, g++) {
        int32_t mi = sd->tok_mention[j];
        if (mi >= 0) {
            const mention *m = &sd->m[mi];
            if (m->only_location) return -1;
            if (m->kind == M_RELATIVE) return -1;
            if (skip_locative && j > 0 && (is_word(&d->toks[j - 1], "in") || is_word(&d->toks[j - 1], "at")))
                return -1;
            if (m->kind == M_ACTOR && !m->code[0]) { j = m->last - 1; continue; }
            return mi;
        }
        if (in_list(&d->toks[j], BOUNDARY)) return -1;
    }
    return -1;
}

/* ---- with a dependency parse ---- */

/* The mention covering token t or one of its nominal dependents (compound,
 * possessor, flat name parts), or -1. */
static int32_t mention_of(const sitrep_doc *sd, uint32_t t, const sentence *S) {
    if (sd->tok_mention[t] >= 0) return sd->tok_mention[t];
    int32_t of = -1;
    for (uint32_t j = S->first; j < S->first + S->count; j++) {
        const token *x = &sd->d.toks[j];
        if (x->head != (int32_t)t) continue;
        int32_t mj = sd->tok_mention[j];
        if (mj < 0 && x->deprel == DEP_NMOD) {
            /* "thousands of Iraqi Kurds", "members of the parliament": the actor of the "of" phrase */
            for (uint32_t c = S->first; c < S->first + S->count && mj < 0; c++)
                if (sd->d.toks[c].head == (int32_t)j && sd->tok_mention[c] >= 0 && sd->d.toks[c].deprel != DEP_CASE)
                    mj = sd->tok_mention[c];
            int has_of = 0;
            for (uint32_t c = S->first; c < S->first + S->count; c++)
                if (sd->d.toks[c].head == (int32_t)j && sd->d.toks[c].deprel == DEP_CASE && is_word(&sd->d.toks[c], "of"))
                    has_of = 1;
            if (has_of && mj >= 0 && of < 0) of = mj;
            continue;
        }
        if (mj < 0) continue;
        if (x->deprel == DEP_COMPOUND || x->deprel == DEP_NMOD_POSS || x->deprel == DEP_AMOD ||
            x->deprel == DEP_FLAT || x->deprel == DEP_APPOS)
            return mj;
        if (x->deprel == DEP_NMOD && of < 0) {
            for (uint32_t c = S->first; c < S->first + S->count; c++)
                if (sd->d.toks[c].head == (int32_t)j && sd->d.toks[c].deprel == DEP_CASE && is_word(&sd->d.toks[c], "of"))
                    of = mj;
        }
    }
    return of;
}

/* The dependent of v with relation rel, or -1. */
static int32_t dependent(const doc *d, const sentence *S, uint32_t v, int rel) {
    for (uint32_t j = S->first; j < S->first + S->count; j++)
        if (d->toks[j].head == (int32_t)v && d->toks[j].deprel == rel) return (int32_t)j;
    return -1;
}

/* Subject of verb v from the parse: nsubj of v, or of the verb it is an
 * xcomp / conj / advcl of ("agreed to restore", "met and agreed"). */
static int32_t parse_subject(const sitrep_doc *sd, const sentence *S, uint32_t v, int *passive) {
    const doc *d = &sd->d;
    uint32_t cur = v;
    for (int hops = 0; hops < 4; hops++) {
        int32_t sj = dependent(d, S, cur, DEP_NSUBJ);
        if (sj >= 0) return mention_of(sd, (uint32_t)sj, S);
        int32_t sp = dependent(d, S, cur, DEP_NSUBJ_PASS);
        if (sp >= 0) {
            if (hops == 0) *passive = 1;
            return hops == 0 ? -1 : mention_of(sd, (uint32_t)sp, S);
        }
        const token *t = &d->toks[cur];
        if (t->head < 0) return -1;
        if (t->deprel == DEP_XCOMP || t->deprel == DEP_CONJ || t->deprel == DEP_ADVCL) {
            cur = (uint32_t)t->head;
            continue;
        }
        if (t->deprel == DEP_ACL_RELCL || t->deprel == DEP_ACL) {
            /* "forces that attacked": the noun the clause modifies */
            int32_t m = mention_of(sd, (uint32_t)t->head, S);
            if (m >= 0) return m;
        }
        return -1;
    }
    return -1;
}

/* Passive agent ("by X") of verb v from the parse, or -1. */
static int32_t parse_agent(const sitrep_doc *sd, const sentence *S, uint32_t v) {
    int32_t a = dependent(&sd->d, S, v, DEP_OBL_AGENT);
    return a >= 0 ? mention_of(sd, (uint32_t)a, S) : -1;
}

/* Object of verb v from the parse: obj / iobj, else an oblique introduced by
 * with, against, on, to, at (not a place after in/at). */
static int32_t parse_object(const sitrep_doc *sd, const sentence *S, uint32_t v) {
    const doc *d = &sd->d;
    int32_t o = dependent(d, S, v, DEP_OBJ);
    if (o < 0) o = dependent(d, S, v, DEP_IOBJ);
    if (o < 0) o = dependent(d, S, v, DEP_NSUBJ_PASS);
    if (o >= 0) {
        int32_t m = mention_of(sd, (uint32_t)o, S);
        if (m >= 0 && !sd->m[m].only_location) return m;
    }
    for (uint32_t j = S->first; j < S->first + S->count; j++) {
        const token *x = &d->toks[j];
        if (x->head != (int32_t)v || x->deprel != DEP_OBL) continue;
        int32_t c = dependent(d, S, j, DEP_CASE);
        if (c < 0) continue;
        const token *p = &d->toks[c];
        if (is_word(p, "with") || is_word(p, "against") || is_word(p, "on") || is_word(p, "to") ||
            is_word(p, "toward") || is_word(p, "towards") || is_word(p, "upon")) {
            int32_t m = mention_of(sd, j, S);
            if (m >= 0 && !sd->m[m].only_location) return m;
        }
    }
    return -1;
}

/* Expand mention mi through pronoun antecedents and coordination into at most
 * max concrete actor mentions. */
static int expand(const sitrep_doc *sd, int32_t mi, int32_t *out, int max) {
    if (mi < 0) return 0;
    const mention *m = &sd->m[mi];
    int guard = 0;
    while (m->kind != M_ACTOR) {
        if (m->ante < 0 || guard++ > 8) return 0;
        mi = m->ante;
        m = &sd->m[mi];
    }
    int32_t h = m->coord_head >= 0 ? m->coord_head : mi;
    int n = 0;
    for (int32_t x = h; x >= 0 && n < max; x = sd->m[x].coord) {
        if (sd->m[x].code[0]) out[n++] = x;
        if (sd->m[x].coord < 0) break;
    }
    if (!n && m->code[0]) out[n++] = mi;
    return n;
}

/* Can a sentence whose mentions are m[m0 .. m1) hold an event? Every
 * source and target of an event is one of them, and an event needs one
 * that expands to a code; without one the sentence is skipped unmatched
 * (what it matched would be dropped with no trace of it). */
static int codable(const sitrep_doc *sd, uint32_t m0, uint32_t m1) {
    int32_t tmp[8];
    for (uint32_t mi = m0; mi < m1; mi++)
        if (expand(sd, (int32_t)mi, tmp, 8)) return 1;
    return 0;
}

/* ---- modality: "will attack", "pledged to send", "refused to release" ----
 * CAMEO codes an intention by its own codes: an intended cooperative act is
 * an expression of intent (03x), an intended conflictual act is a threat
 * (13x), a refusal of a cooperative act is a rejection (12x). */
enum { MOD_NONE = 0, MOD_INTENT, MOD_THREAT, MOD_REFUSE };

static const char *const MOD_INTENT_W[] = {
    "pledge", "pledges", "pledged", "pledging", "promise", "promises", "promised", "promising", "vow", "vows",
    "vowed", "vowing", "agree", "agrees", "agreed", "agreeing", "offer", "offers", "offered", "offering", "plan",
    "plans", "planned", "planning", "intend", "intends", "intended", "intending", "decide", "decides", "decided",
    "ready", "prepared", "willing", "set", "expected", "commitment", "commitments", "committed", "pledge", "determined",
    "resolved", "resolve", "seek", "seeks", "sought", "seeking", "aim", "aims", "aimed", "aiming", "want", "wants",
    "wanted", "hope", "hopes", "hoped", "prepare", "prepares", "preparing", "move", "moved", "moves", "going",
    "undertook", "undertake", "undertakes", "proposed", "propose", "proposes", "proposal", "plan", "intention",
    "readiness", "bid", NULL};
static const char *const MOD_THREAT_W[] = {"threaten", "threatens", "threatened", "threatening", "threat",
                                           "threats", "warn", "warns", "warned", "warning", NULL};
static const char *const MOD_REFUSE_W[] = {"refuse", "refuses", "refused", "refusing", "refusal", "decline",
                                           "declines", "declined", "declining", "fail", "fails", "failed",
                                           "failing", "reluctant", "unwilling", NULL};
static const char *const MOD_FUTURE_W[] = {"will", "would", "'ll", "shall", "wo", NULL};

/* Modality of the verb that starts at token `first`: looks back over
 * adverbs and negation for a future auxiliary or "VERB to". *mstart gets
 * the first token of the marker, *neg 1 when the marker is negated. */
static int modality_of(const doc *d, const sentence *S, uint32_t first, uint32_t *mstart, int *neg) {
    *neg = 0;
    *mstart = first;
    uint32_t j = first;
    int steps = 0;
    while (j > S->first && steps++ < 4) {
        const token *t = &d->toks[j - 1];
        if (in_list(t, NEGATORS)) { *neg = 1; j--; continue; }
        if (t->lower_len > 3 && !memcmp(t->lower + t->lower_len - 2, "ly", 2)) { j--; continue; }
        if (is_word(t, "be") || is_word(t, "also") || is_word(t, "soon") || is_word(t, "again")) { j--; continue; }
        if (in_list(t, MOD_FUTURE_W)) {
            /* "would not", "will never": negation after the auxiliary was seen already */
            *mstart = j - 1;
            if (j - 1 > S->first && in_list(&d->toks[j - 2], NEGATORS)) *neg = 1;
            return MOD_INTENT;
        }
        if (is_word(t, "to")) {
            uint32_t k = j - 1;
            int n2 = 0;
            while (k > S->first && (in_list(&d->toks[k - 1], NEGATORS) || is_word(&d->toks[k - 1], "not"))) { k--; n2 = 1; }
            if (k == S->first) return MOD_NONE;
            const token *m = &d->toks[k - 1];
            /* "its commitment to", "a pledge to": skip a possessive/determiner-led noun */
            int kind = in_list(m, MOD_THREAT_W) ? MOD_THREAT : in_list(m, MOD_REFUSE_W) ? MOD_REFUSE
                     : in_list(m, MOD_INTENT_W) ? MOD_INTENT : MOD_NONE;
            if (kind == MOD_NONE) return MOD_NONE;
            *mstart = k - 1;
            if (n2) *neg = 1;
            if (k - 1 > S->first && in_list(&d->toks[k - 2], NEGATORS)) *neg = 1;
            return kind;
        }
        return MOD_NONE;
    }
    return MOD_NONE;
}

/* The CAMEO code an intention, threat or refusal of `code` becomes, or NULL
 * to keep the code (verbal acts) or "" to drop the event. */
static const char *modal_code(int kind, int neg, const char *code) {
    int root = (code[0] - '0') * 10 + (code[1] - '0');
    char c3 = code[2];
    if (neg && kind == MOD_INTENT) kind = MOD_REFUSE;
    else if (neg && kind == MOD_REFUSE) return NULL; /* "did not refuse to" */
    if (kind == MOD_INTENT) {
        switch (root) {
        case 4: return "036";
        case 5: return "032";
        case 6: return c3 == '1' ? "0311" : c3 == '2' ? "0312" : c3 == '3' ? "0313" : c3 == '4' ? "0314" : "031";
        case 7: return c3 == '1' ? "0331" : c3 == '2' ? "0332" : c3 == '3' ? "0333" : c3 == '4' ? "0334" : "033";
        case 8:
            return c3 == '1' ? "0351" : c3 == '2' ? "0352" : c3 == '3' ? "034" : c3 == '4' ? "0353" : c3 == '5' ? "0354"
                 : c3 == '6' ? "0355" : c3 == '7' ? "0356" : "035";
        case 15: return NULL; /* an announced deployment is still a force posture */
        case 14: case 16: case 17:
            return root == 16 ? "131" : root == 17 ? "132" : "1312";
        case 18: case 19: case 20: return root == 20 ? "1383" : "138";
        default: return NULL;
        }
    }
    if (kind == MOD_THREAT) {
        switch (root) {
        case 16: return "131";
        case 14: return "1312";
        case 17: return "132";
        case 15: case 18: case 19: return "138";
        case 20: return "1383";
        case 8: case 6: case 7: return "131";
        default: return NULL;
        }
    }
    if (kind == MOD_REFUSE) {
        switch (root) {
        case 4: return "125";
        case 5: case 3: return "120";
        case 6: return "121";
        case 7: return "122";
        case 8: return "124";
        case 2: case 10: return "120";
        default: return "";
        }
    }
    return NULL;
}

static int negated_before(const sitrep_doc *sd, const sentence *S, uint32_t i, int32_t src) {
    const doc *d = &sd->d;
    uint32_t lo = S->first;
    if (src >= 0 && sd->m[src].sent == S - d->sents && sd->m[src].last <= i) lo = sd->m[src].last;
    for (uint32_t j = i, g = 0; j > lo && g < 4; j--, g++)
        if (in_list(&d->toks[j - 1], NEGATORS)) return 1;
    return 0;
}

static char *span_text(sitrep_doc *sd, uint32_t a, uint32_t b) {
    const doc *d = &sd->d;
    if (b <= a) return arena_strndup(&sd->d.a, "", 0);
    uint32_t s = d->toks[a].start, e = d->toks[b - 1].end;
    return arena_strndup(&sd->d.a, d->text + s, e - s);
}

int coder_push_event(sitrep_doc *sd, const sitrep_event *e, uint8_t cls) {
    if (sd->nev == sd->evcap) {
        size_t nc = sd->evcap ? sd->evcap * 2 : 16;
        sitrep_event *ne = arena_alloc(&sd->d.a, nc * sizeof *ne);
        uint8_t *nk = arena_alloc(&sd->d.a, nc);
        if (!ne || !nk) return -1;
        if (sd->nev) {
            memcpy(ne, sd->ev, sd->nev * sizeof *ne);
            memcpy(nk, sd->evclass, sd->nev);
        }
        sd->ev = ne;
        sd->evclass = nk;
        sd->evcap = nc;
    }
    sd->evclass[sd->nev] = cls;
    sd->ev[sd->nev++] = *e;
    return 0;
}

/* Is the anchor of a match a noun ("the talks", "an air raid")? From the
 * tags when present, else from a determiner, possessive or preposition just
 * before it. */
static const char *const NOMINAL_CUE[] = {"a", "an", "the", "this", "these", "that", "its", "their", "his", "her",
                                          "our", "of", "for", "in", "after", "amid", "during", "despite", "following",
                                          "over", "against", "new", "fresh", "further", "any", "'s", NULL};
static int nominal_anchor(const doc *d, const sentence *S, uint32_t i) {
    const token *t = &d->toks[i];
    if (t->upos) return t->upos == UPOS_NOUN || t->upos == UPOS_PROPN;
    for (uint32_t j = i, g = 0; j > S->first && g < 2; j--, g++) {
        const token *p = &d->toks[j - 1];
        if (in_list(p, NOMINAL_CUE)) return 1;
        if (p->flags & (TOK_PUNCT | TOK_CAP)) return 0;
    }
    return 0;
}

const char *coder_rule_str(const sitrep_ctx *c, sitrep_doc *sd, uint32_t rule) {
    if (rule == UINT32_MAX || rule >= c->k->nrules) return "";
    char buf[600];
    const kb_rule *r = &c->k->rules[rule];
    snprintf(buf, sizeof buf, "%s:%u", c->k->files[r->file], r->line);
    const char *s = arena_strndup(&sd->d.a, buf, strlen(buf));
    return s ? s : "";
}

static void fill_actor(const sitrep_ctx *c, sitrep_doc *sd, sitrep_actor *a, int32_t mi) {
    memset(a, 0, sizeof *a);
    if (mi < 0) {
        a->code = a->text = a->name = a->rule = "";
        return;
    }
    const mention *m = &sd->m[mi];
    a->code = arena_strndup(&sd->d.a, m->code, strlen(m->code));
    a->text = span_text(sd, m->first, m->last);
    a->name = m->actor != UINT32_MAX ? c->k->actors[m->actor].name : "";
    a->rule = coder_rule_str(c, sd, m->rule);
    a->start = sd->d.toks[m->first].start;
    a->end = sd->d.toks[m->last - 1].end;
    if (!a->code) a->code = "";
    if (!a->text) a->text = "";
}

/* Quantities of sentence s: a number (digits or number words) followed by a
 * unit or a noun, "42-day ceasefire", "40 hostages". */
static int quantities(const sitrep_ctx *c, sitrep_doc *sd, uint32_t s, sitrep_quantity **out, int *nout) {
    const kb *k = c->k;
    const doc *d = &sd->d;
    const sentence *S = &d->sents[s];
    uint32_t end = S->first + S->count;
    sitrep_quantity q[16];
    int n = 0;
    for (uint32_t i = S->first; i < end && n < 16; i++) {
        const token *t = &d->toks[i];
        double val = -1;
        const char *unitword = NULL;
        size_t unitlen = 0;
        if (t->flags & TOK_NUM) {
            char num[64];
            size_t o = 0, j = 0;
            for (; j < t->lower_len && o < sizeof num - 1; j++) {
                char ch = t->lower[j];
                if ((ch >= '0' && ch <= '9') || ch == '.') num[o++] = ch;
                else if (ch == ',') continue;
                else break;
            }
            num[o] = 0;
            if (!o) continue;
            val = strtod(num, NULL);
            if (j < t->lower_len && t->lower[j] == '-') { unitword = t->lower + j + 1; unitlen = t->lower_len - j - 1; }
            else if (j < t->lower_len) continue; /* "3rd", "10am" */
            /* years are not quantities */
            if (!unitword && val >= 1900 && val <= 2100 && o == 4) continue;
        } else {
            uint32_t w = sd->wid ? sd->wid[i] : intern_get(&k->words, t->lower, t->lower_len);
            uint32_t v = w ? u64map_get(&k->numwords, w) : 0;
            if (!v) {
                const char *dash = memchr(t->lower, '-', t->lower_len);
                if (dash) {
                    w = intern_get(&k->words, t->lower, (size_t)(dash - t->lower));
                    v = w ? u64map_get(&k->numwords, w) : 0;
                    if (v) { unitword = dash + 1; unitlen = t->lower_len - (size_t)(dash + 1 - t->lower); }
                }
            }
            if (!v) continue;
            val = v - 1;
        }
        /* multipliers: "2 million" */
        if (!unitword && i + 1 < end) {
            const token *u = &d->toks[i + 1];
            if (is_word(u, "million")) { val *= 1e6; i++; }
            else if (is_word(u, "billion")) { val *= 1e9; i++; }
            else if (is_word(u, "thousand")) { val *= 1e3; i++; }
        }
        sitrep_quantity x = {val, "", ""};
        uint32_t nexti = i + 1;
        if (unitword) {
            uint32_t w = intern_get(&k->words, unitword, unitlen);
            uint32_t u = w ? u64map_get(&k->units, w) : 0;
            if (u) x.unit = k->unit_names[u - 1];
            /* the noun it modifies: "42-day ceasefire" */
            if (nexti < end && !(d->toks[nexti].flags & (TOK_PUNCT | TOK_NUM)))
                x.what = arena_strndup(&sd->d.a, d->toks[nexti].norm, d->toks[nexti].norm_len);
        } else {
            /* skip up to two modifiers: "40 Israeli hostages", "at least 12 people" */
            for (uint32_t g = 0; g < 3 && nexti + g < end; g++) {
                const token *u = &d->toks[nexti + g];
                if (u->flags & (TOK_PUNCT | TOK_NUM)) break;
                uint32_t w = intern_get(&k->words, u->lower, u->lower_len);
                uint32_t un = w ? u64map_get(&k->units, w) : 0;
                if (un) {
                    x.unit = k->unit_names[un - 1];
                    x.what = arena_strndup(&sd->d.a, u->norm, u->norm_len);
                    break;
                }
                if (g == 0 && !(u->flags & TOK_CAP)) x.what = arena_strndup(&sd->d.a, u->norm, u->norm_len);
            }
        }
        if (!x.what) x.what = "";
        if (!x.what[0] && !x.unit[0]) continue;
        q[n++] = x;
    }
    if (!n) { *out = NULL; *nout = 0; return 0; }
    *out = arena_alloc(&sd->d.a, (size_t)n * sizeof **out);
    if (!*out) return -1;
    memcpy(*out, q, (size_t)n * sizeof *q);
    *nout = n;
    return 0;
}

static int same_event(const sitrep_event *a, const char *src, const char *tgt, const char *code) {
    return !strcmp(a->source.code, src) && !strcmp(a->target.code, tgt) && !strcmp(a->cameo, code);
}

int events_code(const sitrep_ctx *c, sitrep_doc *sd) {
    const kb *k = c->k;
    doc *d = &sd->d;
    sd->nev = 0;
    sd->nv = 0;
    sd->tid = arena_alloc_raw(&d->a, (d->ntoks + 1) * sizeof *sd->tid);
    sd->tidn = arena_alloc_raw(&d->a, d->ntoks + 1);
    sd->ttime = arena_alloc_raw(&d->a, d->ntoks + 1);
    if (!sd->tid || !sd->tidn || !sd->ttime) return -1;
    uint32_t mi = 0; /* first mention of the current sentence (mentions are in sentence order) */
    for (uint32_t s = 0; s < d->nsents; s++) {
        uint32_t m0 = mi;
        while (mi < sd->nm && sd->m[mi].sent == s) mi++;
        if (sd->discard[s]) {
            TRACE(sd, "sentence %u: discarded (a discard phrase matched)", s);
            continue;
        }
        const sentence *S = &d->sents[s];
        TRACE(sd, "sentence %u:", s);
        if (!sd->trace && !codable(sd, m0, mi)) continue; /* no actor with a code: no event */
        uint32_t end = S->first + S->count;
        uint32_t v0 = sd->nv;
        cache_token_ids(k, sd, S);
        if (match_sentence(k, sd, s)) return -1;
        sitrep_quantity *qs = NULL;
        int nq = 0;
        int quant_done = 0;
        size_t ev_sent0 = sd->nev;
        /* modality first: a marker match ("pledged to") that introduces a
         * following event gives way to it */
        for (uint32_t vi = v0; vi < sd->nv; vi++) {
            vmatch *v = &sd->v[vi];
            if (v->score < 0) continue;
            uint32_t ms;
            int mn;
            v->mod = (uint8_t)modality_of(d, S, v->first, &ms, &mn);
            v->mneg = (uint8_t)mn;
            v->mstart = ms;
            if (!v->mod) continue;
            for (uint32_t oj = v0; oj < sd->nv; oj++) {
                vmatch *o = &sd->v[oj];
                if (oj != vi && o->score >= 0 && o->first >= ms && o->first < v->first && o->last <= v->first + 1) {
                    o->score = -1;
                    TRACE(sd, "  pattern at \"%s\" set aside: it marks the modality of the event at \"%s\"",
                          d->toks[o->anchor].norm, d->toks[v->anchor].norm);
                }
            }
        }
        /* the content of an appeal, a demand, a promise or a rejection is not
         * an event of its own: "urged X to allow aid", "demanded that Y
         * withdraw", "rejected a call for troops to be deployed" */
        for (uint32_t vi = v0; vi < sd->nv; vi++) {
            vmatch *a = &sd->v[vi];
            if (a->score < 0) continue;
            const char *ac = k->pats[a->pat].code;
            int root = (ac[0] - '0') * 10 + (ac[1] - '0');
            if (!(root == 2 || root == 3 || root == 10 || root == 12 || root == 13)) continue;
            for (uint32_t wj = vi + 1; wj < sd->nv; wj++) {
                vmatch *b = &sd->v[wj];
                if (b->score < 0 || b->first < a->last || b->first > a->last + 12) continue;
                int linked = 0, broken = 0;
                for (uint32_t t = a->last > 0 ? a->last - 1 : 0; t < b->first; t++) {
                    const token *x = &d->toks[t];
                    if (is_word(x, "to") || is_word(x, "that") || is_word(x, "for") || is_word(x, "should") ||
                        is_word(x, "must"))
                        linked = 1;
                    if (is_word(x, ";") || is_word(x, "but") || is_word(x, "while") || is_word(x, "after") ||
                        is_word(x, "before") || is_word(x, "as"))
                        broken = 1;
                }
                if (linked && !broken) {
                    b->score = -1;
                    TRACE(sd, "  pattern at \"%s\" set aside: it is the content of the %s at \"%s\"", d->toks[b->anchor].norm,
                          root == 12 ? "rejection" : root == 13 ? "threat" : root == 3 ? "promise" : "appeal or demand",
                          d->toks[a->anchor].norm);
                }
            }
        }
        for (uint32_t vi = v0; vi < sd->nv; vi++) {
            vmatch *v = &sd->v[vi];
            if (v->score < 0) continue;
            const kb_pattern *p = &k->pats[v->pat];
            if (!strcmp(p->code, "---")) {
                TRACE(sd, "  pattern %s:%u (null code) matched \"%s\": no event", k->files[k->rules[p->rule].file],
                            k->rules[p->rule].line, span_text(sd, v->first, v->last));
                continue;
            }
            int32_t src = v->source, tgt = v->target;
            int passive = 0;
            const char *srcwhy = v->source >= 0 ? "pattern slot $" : NULL, *tgtwhy = v->target >= 0 ? "pattern slot +" : NULL;
            const token *at = &d->toks[v->anchor];
            if (at->upos) {
                /* parsed: grammatical relations first, surface heuristics as fallback */
                int pv = 0;
                if (src < 0) {
                    src = parse_subject(sd, S, v->anchor, &pv);
                    if (src >= 0) srcwhy = "subject in the parse";
                }
                if (!pv && (at->deprel == DEP_ACL || at->deprel == DEP_ACL_RELCL)) {
                    /* "talks mediated by Qatar": a reduced passive; its agent acts */
                    int32_t ag = parse_agent(sd, S, v->anchor);
                    if (ag >= 0) {
                        if (tgt < 0 && src >= 0 && src != ag) tgt = src;
                        src = ag;
                        passive = 1;
                    }
                }
                if (pv) {
                    int32_t agent = parse_agent(sd, S, v->anchor);
                    int32_t sp = dependent(d, S, v->anchor, DEP_NSUBJ_PASS);
                    if (agent < 0 && v->anchor + 1 < end && is_word(&d->toks[v->anchor + 1], "to") && sp >= 0) {
                        /* "is committed to", "is opposed to": an adjective; its subject acts */
                        pv = 0;
                        src = mention_of(sd, (uint32_t)sp, S);
                        TRACE(sd, "  \"%s to\" read as an adjective: the subject is the source", at->norm);
                    } else {
                        passive = 1;
                        if (src < 0) src = agent;
                        if (tgt == agent) tgt = -1; /* a "+" slot after "by" held the doer */
                        if (tgt < 0 && sp >= 0) tgt = mention_of(sd, (uint32_t)sp, S);
                    }
                }
                if (tgt < 0 && !pv) {
                    tgt = parse_object(sd, S, v->anchor);
                    if (tgt >= 0) tgtwhy = "object in the parse";
                }
            }
            if (src < 0 && !passive && v->first > S->first + 1) {
                /* a verb joined by "and" to an earlier one shares its subject */
                const token *pt = &d->toks[v->first - 1];
                if (is_word(pt, "and") || is_word(pt, "but")) {
                    for (uint32_t pj = vi; pj > v0; pj--) {
                        vmatch *pm = &sd->v[pj - 1];
                        if (pm->score >= 0 && pm->last <= v->first && pm->src_used >= 0) { src = pm->src_used; break; }
                    }
                }
            }
            if (v->target >= 0 && src < 0 && sd->m[v->target].first > 0 &&
                is_word(&d->toks[sd->m[v->target].first - 1], "by") && (passive || passive_at(d, S, v->anchor))) {
                /* "was shelled by X": a slot after "by" in the passive holds the doer */
                src = v->target;
                tgt = subject_before(sd, S, v->first);
                passive = 1;
            }
            if (src < 0 && !passive && passive_at(d, S, v->anchor)) {
                /* "was attacked by X": X is the source, the subject the target */
                int by = 0;
                for (uint32_t j = v->last; j < end && j < v->last + 4; j++)
                    if (is_word(&d->toks[j], "by") && j + 1 < end && sd->tok_mention[j + 1] >= 0) {
                        src = sd->tok_mention[j + 1];
                        by = 1;
                        break;
                    }
                /* "is committed to", "is opposed to": an adjective, not a passive */
                uint32_t after = v->anchor + 1;
                if (!by && after < end && is_word(&d->toks[after], "to")) {
                    TRACE(sd, "  \"%s to\" read as an adjective: the subject is the source", at->norm);
                } else {
                    if (tgt < 0) tgt = subject_before(sd, S, v->first);
                    passive = 1;
                }
            }
            if (src < 0 && !passive) src = subject_before(sd, S, v->first);
            v->src_used = src; /* remembered for verbs joined to this one */
            int statement = !strncmp(p->code, "01", 2);
            /* what follows "said" is what was said, not whom it was said to */
            if (tgt < 0 && !passive && !statement) tgt = object_after(sd, v->last, end, 1);
            if (statement && v->target < 0 && !at->upos) tgt = -1;
            if (tgt >= 0 && tgt == src) tgt = -1;
            int neg = negated_before(sd, S, v->first, src);
            uint32_t mstart = v->mstart;
            int mneg = v->mneg, mod = v->mod;
            const char *code = p->code;
            const char *modality = "";
            if (mod) {
                const char *mc = modal_code(mod, mneg, p->code);
                int eff = (mneg && mod == MOD_INTENT) ? MOD_REFUSE : mod;
                if (mc && !*mc) {
                    TRACE(sd, "  pattern %s at \"%s\": a refused or negated intention of this act is no event", p->code, at->norm);
                    continue;
                }
                if (mc) {
                    code = mc;
                    modality = eff == MOD_THREAT ? "threat" : eff == MOD_REFUSE ? "refusal" : "intent";
                    neg = 0; /* the negation belongs to the modal: "will not meet" is a rejection */
                    TRACE(sd, "  modality %s (\"%s\"): %s becomes %s", modality, d->toks[mstart].norm, p->code, code);
                }
            }
            const char *why = srcwhy ? srcwhy : passive ? "passive: the agent after 'by'" : "nearest subject before the verb";
            TRACE(sd, "  pattern %s %s:%u matched \"%s\"; source %s (%s); target %s (%s)%s", p->code,
                        k->files[k->rules[p->rule].file], k->rules[p->rule].line, span_text(sd, v->first, v->last),
                        src >= 0 ? span_text(sd, sd->m[src].first, sd->m[src].last) : "-", src >= 0 ? why : "none found",
                        tgt >= 0 ? span_text(sd, sd->m[tgt].first, sd->m[tgt].last) : "-",
                        tgt < 0 ? "none found" : tgtwhy ? tgtwhy : passive ? "passive subject" : "first actor after the verb",
                        passive ? "; passive voice" : "");
            if (neg && !c->include_negated) {
                TRACE(sd, "    no event: the verb is negated");
                continue;
            }
            int32_t srcs[8], tgts[8];
            int ns = expand(sd, src, srcs, 8), nt = expand(sd, tgt, tgts, 8);
            if (!ns && !nt) {
                TRACE(sd, "    no event: neither source nor target has a code");
                continue;
            }
            if (!ns && statement) {
                TRACE(sd, "    no event: a statement needs a speaker");
                continue;
            }
            if (!ns) { srcs[0] = -1; ns = 1; }
            if (!nt) { tgts[0] = -1; nt = 1; }
            const kb_cameo *cm = kb_cameo_get(k, code);
            if (!quant_done) {
                if (quantities(c, sd, s, &qs, &nq)) return -1;
                quant_done = 1;
            }
            for (int a = 0; a < ns; a++)
                for (int b = 0; b < nt; b++) {
                    const char *sc = srcs[a] >= 0 ? sd->m[srcs[a]].code : "";
                    const char *tc = tgts[b] >= 0 ? sd->m[tgts[b]].code : "";
                    if (!*sc && !*tc) continue;
                    int self = *sc && !strcmp(sc, tc);
                    int dup = 0;
                    for (size_t e = 0; e < sd->nev && !dup; e++)
                        dup = same_event(&sd->ev[e], sc, self ? "" : tc, code);
                    if (dup) {
                        TRACE(sd, "    no event for %s %s %s: already coded in this article", *sc ? sc : "-", *tc ? tc : "-", code);
                        continue;
                    }
                    TRACE(sd, "    EVENT %s %s %s%s", *sc ? sc : "-", self || !*tc ? "-" : tc, code, neg ? " (negated)" : "");
                    sitrep_event e;
                    memset(&e, 0, sizeof e);
                    e.article_id = sd->id;
                    e.sentence = (int)s;
                    e.date = d->date_str;
                    fill_actor(c, sd, &e.source, srcs[a]);
                    fill_actor(c, sd, &e.target, self ? -1 : tgts[b]);
                    snprintf(e.cameo, sizeof e.cameo, "%s", code);
                    snprintf(e.root, sizeof e.root, "%.2s", code);
                    e.goldstein = cm ? cm->goldstein : 0;
                    e.quad_class = cm ? cm->quad : 0;
                    e.plover_type = cm ? cm->plover : "";
                    e.plover_mode = cm ? cm->mode : "";
                    e.negated = neg;
                    e.modality = modality;
                    e.verb_text = span_text(sd, v->first, v->last);
                    e.verb_start = d->toks[v->first].start;
                    e.verb_end = d->toks[v->last - 1].end;
                    e.rule = coder_rule_str(c, sd, p->rule);
                    e.sent_start = S->start;
                    e.sent_end = S->end;
                    e.sentence_text = arena_strndup(&d->a, d->text + S->start, S->end - S->start);
                    e.quantities = qs;
                    e.nquantities = nq;
                    if (c->geo && sd->places)
                        e.location = geo_event_place(d, sd->places, sd->nplaces, s, (int32_t)v->anchor,
                                                     srcs[a] >= 0 ? (int32_t)sd->m[srcs[a]].first : -1,
                                                     tgts[b] >= 0 ? (int32_t)sd->m[tgts[b]].first : -1);
                    if (!e.verb_text || !e.sentence_text || !e.rule) return -1;
                    int nominal = nominal_anchor(d, S, v->anchor);
                    if (nominal) {
                        /* "X announced a suspension of ...": the noun is X's act */
                        for (uint32_t oj = v0; oj < sd->nv; oj++) {
                            const vmatch *o = &sd->v[oj];
                            if (oj == vi || o->last > v->first || o->last + 4 < v->first) continue;
                            if (!strncmp(k->pats[o->pat].code, "01", 2)) nominal = 0;
                        }
                    }
                    uint8_t cls = (uint8_t)((nominal ? 2 : 0) + (*sc ? 0 : 1));
                    if (!strcmp(e.root, "01")) cls = 4;
                    if (coder_push_event(sd, &e, cls)) return -1;
                }
        }
        /* a sentence's main events stand; the rest give way: verbs with a
         * source, then verbs without one, nouns with a source, nouns without,
         * and statements (CAMEO 01) only when nothing else is there */
        uint8_t best = 255;
        for (size_t e = ev_sent0; e < sd->nev; e++)
            if (sd->evclass[e] < best) best = sd->evclass[e];
        size_t o = ev_sent0;
        static const char *const WHY[] = {"a verb with a source", "a verb without a source", "a noun with a source",
                                          "a noun without a source", "a statement"};
        for (size_t e = ev_sent0; e < sd->nev; e++) {
            if (sd->evclass[e] == best) {
                sd->evclass[o] = sd->evclass[e];
                sd->ev[o++] = sd->ev[e];
            } else {
                TRACE(sd, "    dropped %s %s %s: %s; the sentence has a stronger event (%s)",
                      *sd->ev[e].source.code ? sd->ev[e].source.code : "-", *sd->ev[e].target.code ? sd->ev[e].target.code : "-",
                      sd->ev[e].cameo, WHY[sd->evclass[e] < 5 ? sd->evclass[e] : 4], WHY[best < 5 ? best : 4]);
            }
        }
        sd->nev = o;
    }
    return 0;
}
