/* actors.c - actor mentions: leftmost-longest phrase matches in the kb trie,
 * grouped into noun phrases whose codes compose (country + agent, named actor
 * with a title), pronouns and relative pronouns with their antecedents, and
 * coordination ("A, B and C"). */
#include "coder.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef actor_hit hit;

static int kind_rank(uint8_t k) {
    switch (k) {
    case KB_NONACTOR: return 6;
    case KB_NAMED: return 5;
    case KB_COUNTRY: return 4;
    case KB_METONYM: return 3;
    case KB_DEMONYM: return 2;
    case KB_AGENT: return 1;
    default: return 0;
    }
}

static int exact_ok(const kb *k, const kb_phrase *p, const token *toks, uint32_t at) {
    if (!p->exact_case) return 1;
    for (uint32_t i = 0; i < p->ntoks; i++) {
        uint32_t id = intern_get(&k->norms, toks[at + i].norm, toks[at + i].norm_len);
        if (id != p->case_ids[i]) return 0;
    }
    return 1;
}

/* One walk of the trie from token i (within [i, end)), with wid[j] the
 * word id of token j: *discard set when a discard phrase starts here;
 * returns 1 and fills h with the longest other phrase (the best-ranked of
 * those ending at the same node). */
static int longest_at(const kb *k, const token *toks, const uint32_t *wid, uint32_t i, uint32_t end, int *discard,
                      hit *h) {
    uint32_t node = 0, best = 0, bestlen = 0;
    if (!kb_may(k, wid[i], KB_ROLE_PHRASE)) return 0; /* no phrase starts with this word */
    for (uint32_t j = i; j < end; j++) {
        uint32_t w = wid[j];
        if (!w) break;
        node = kb_trie_child(k, node, w);
        if (!node) break;
        if (node < k->node_cap && k->node_phr[node]) {
            /* choose the best phrase ending here */
            uint32_t pick = 0;
            int rank = -1;
            for (uint32_t pi = k->node_phr[node]; pi; pi = k->phr[pi - 1].next) {
                const kb_phrase *p = &k->phr[pi - 1];
                if (!exact_ok(k, p, toks, i)) continue;
                if (p->kind == KB_DISCARD) { *discard = 1; continue; }
                int r = kind_rank(p->kind);
                if (r > rank) { rank = r; pick = pi; }
            }
            if (pick) { best = pick; bestlen = j + 1 - i; }
        }
    }
    if (!best) return 0;
    h->first = i;
    h->last = i + bestlen;
    h->phr = best - 1;
    return 1;
}

static int push_mention(sitrep_doc *sd, const mention *m) {
    if (sd->nm == sd->mcap) {
        uint32_t nc = sd->mcap ? sd->mcap * 2 : 64;
        mention *nm = arena_alloc(&sd->d.a, nc * sizeof *nm);
        if (!nm) return -1;
        if (sd->nm) memcpy(nm, sd->m, sd->nm * sizeof *nm);
        sd->m = nm;
        sd->mcap = nc;
    }
    sd->m[sd->nm++] = *m;
    return 0;
}

static int is_word(const token *t, const char *w) {
    return t->lower_len == strlen(w) && !memcmp(t->lower, w, t->lower_len);
}

static int is_prep(const token *t) {
    static const char *const P[] = {"in", "at", "on", "to", "with", "from", "by", "of", "for", "against", "near",
                                    "into", "across", "inside", "outside", "toward", "towards", "over", "between",
                                    "among", "within", "throughout", "through", "around", "about", "after", "before", NULL};
    for (int i = 0; P[i]; i++)
        if (is_word(t, P[i])) return 1;
    return 0;
}

/* Set code parts from a kb actor. */
static void code_from(const kb *k, const sitrep_doc *sd, uint32_t actor, char *out, size_t n, uint32_t *rule) {
    const kb_code *c = kb_actor_code_on(k, actor, sd->d.date);
    snprintf(out, n, "%s", c ? c->code : "");
    if (rule) *rule = k->actors[actor].rule;
}

/* Build one mention from the hits h[a..b) that form one noun phrase. */
static int compose(const sitrep_ctx *c, sitrep_doc *sd, const hit *h, uint32_t a, uint32_t b, uint32_t sent,
                   uint32_t first, uint32_t last) {
    const kb *k = c->k;
    mention m;
    memset(&m, 0, sizeof m);
    m.first = first;
    m.last = last;
    m.sent = sent;
    m.kind = M_ACTOR;
    m.actor = UINT32_MAX;
    m.rule = UINT32_MAX;
    m.ante = -1;
    m.coord = -1;
    m.coord_head = -1;
    int32_t named = -1, country = -1, agent = -1, meto = -1, named_person = -1;
    for (uint32_t i = a; i < b; i++) {
        const kb_phrase *p = &k->phr[h[i].phr];
        switch (p->kind) {
        case KB_NAMED:
            if (k->actors[p->actor].person) named_person = (int32_t)i;
            else if (named < 0) named = (int32_t)i;
            break;
        case KB_COUNTRY: case KB_DEMONYM: if (country < 0) country = (int32_t)i; break;
        case KB_METONYM: if (meto < 0) meto = (int32_t)i; break;
        case KB_AGENT: if (agent < 0) agent = (int32_t)i; break;
        default: break;
        }
    }
    char agentcode[8] = "";
    if (agent >= 0) code_from(k, sd, k->phr[h[agent].phr].actor, agentcode, sizeof agentcode, NULL);
    int32_t main = named_person >= 0 ? named_person : named;
    if (main >= 0) {
        const kb_phrase *p = &k->phr[h[main].phr];
        code_from(k, sd, p->actor, m.code, sizeof m.code, &m.rule);
        m.rule = p->rule;
        m.actor = p->actor;
        m.person = (uint8_t)(named_person >= 0);
        if (!m.code[0] && named_person >= 0 && named >= 0) {
            /* person with no role on this date: fall back to the organisation */
            const kb_phrase *q = &k->phr[h[named].phr];
            code_from(k, sd, q->actor, m.code, sizeof m.code, NULL);
            m.rule = q->rule;
            m.actor = q->actor;
        }
        if (!m.code[0] && country >= 0) {
            const kb_phrase *q = &k->phr[h[country].phr];
            code_from(k, sd, q->actor, m.code, sizeof m.code, NULL);
            if (agentcode[0] && strlen(m.code) + strlen(agentcode) < sizeof m.code) strcat(m.code, agentcode);
            m.rule = q->rule;
        }
    } else if (country >= 0 || meto >= 0) {
        int32_t ci = country >= 0 ? country : meto;
        const kb_phrase *p = &k->phr[h[ci].phr];
        code_from(k, sd, p->actor, m.code, sizeof m.code, &m.rule);
        m.rule = p->rule;
        m.actor = p->actor;
        m.has_country = 1;
        memcpy(m.iso2, k->actors[p->actor].iso2, 3);
        if (agentcode[0]) {
            if (strlen(m.code) + strlen(agentcode) < sizeof m.code) strcat(m.code, agentcode);
        } else if (country < 0) {
            strcat(m.code, "GOV"); /* "the Kremlin" = the Russian government */
        }
    } else if (agent >= 0) {
        const kb_phrase *p = &k->phr[h[agent].phr];
        snprintf(m.code, sizeof m.code, "%s", agentcode);
        m.rule = p->rule;
        m.actor = p->actor;
    }
    /* country of a named actor: its code's first three letters when they are a country */
    if (!m.iso2[0] && strlen(m.code) >= 3) {
        for (uint32_t i = a; i < b; i++) {
            const kb_phrase *p = &k->phr[h[i].phr];
            if (p->kind == KB_COUNTRY || p->kind == KB_DEMONYM) memcpy(m.iso2, k->actors[p->actor].iso2, 3);
        }
    }
    if (agent >= 0 && !m.person) {
        const token *t = &sd->d.toks[h[agent].last - 1];
        m.plural = t->lower_len > 2 && t->lower[t->lower_len - 1] == 's';
        if (is_word(t, "police") || is_word(t, "people") || is_word(t, "troops")) m.plural = 1;
    }
    if (agent >= 0 && main < 0 && country < 0 && meto < 0) {
        /* a lone singular title ("the minister") is a person */
        const token *t = &sd->d.toks[h[agent].last - 1];
        m.person = !m.plural && t->lower[t->lower_len - 1] != 's';
    }
    /* a country name right after a locative preposition is a place, not an actor */
    if (b - a == 1 && (kind_rank(k->phr[h[a].phr].kind) == 4) && first > sd->d.sents[sent].first) {
        const token *pt = &sd->d.toks[first - 1];
        if (is_word(pt, "in") || is_word(pt, "at") || is_word(pt, "near") || is_word(pt, "inside") ||
            is_word(pt, "across") || is_word(pt, "throughout") || is_word(pt, "from"))
            m.only_location = 1;
    }
    return push_mention(sd, &m);
}

/* Agent words that also work as adjectives ("military operations",
 * "official contact", "police station"). */
static const char *const ADJ_AGENT[] = {"official", "military", "government", "police", "security", "diplomatic",
                                        "judicial", "legislative", "parliamentary", "presidential", "ministerial",
                                        "rebel", "opposition", "media", "army", "naval", "intelligence", "militant",
                                        "insurgent", "army", "navy", "defense", "defence", "state", "federal",
                                        "royal", "civilian", "business", "labor", "labour", "party", "union", NULL};
static const char *const NOT_NOUN[] = {"and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from",
                                       "said", "says", "say", "is", "are", "was", "were", "has", "have", "had", "will",
                                       "would", "that", "who", "which", "as", "the", "a", "an", "its", "their", NULL};

/* A mention made of one agent word that modifies the next noun is no actor. */
static int agent_used_as_modifier(const sitrep_doc *sd, const mention *m, uint32_t end) {
    const doc *d = &sd->d;
    if (m->last - m->first != 1) return 0;
    const token *t = &d->toks[m->first];
    if (t->upos) {
        return (t->deprel == DEP_AMOD || t->deprel == DEP_COMPOUND) && t->head >= 0 &&
               ((uint32_t)t->head < m->first || (uint32_t)t->head >= m->last) && (uint32_t)t->head > m->first;
    }
    int listed = 0;
    for (int i = 0; ADJ_AGENT[i] && !listed; i++) listed = is_word(t, ADJ_AGENT[i]);
    if (!listed || m->last >= end) return 0;
    const token *n = &d->toks[m->last];
    if (n->flags & (TOK_CAP | TOK_PUNCT | TOK_NUM)) return 0;
    for (int i = 0; NOT_NOUN[i]; i++)
        if (is_word(n, NOT_NOUN[i])) return 0;
    if (n->lower_len > 2 && !memcmp(n->lower + n->lower_len - 2, "ed", 2)) return 0;
    if (n->lower_len > 2 && !memcmp(n->lower + n->lower_len - 2, "ly", 2)) return 0;
    return 1;
}

static const char *const CALENDAR[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                       "january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december", "on", "and", "or", NULL};

static const char *const COMPANY[] = {"corp", "corp.", "corporation", "inc", "inc.", "co", "co.", "ltd", "ltd.",
                                      "plc", "llc", "airlines", "airways", "holdings", "bancorp", "petroleum",
                                      "industries", NULL};

static int in_list_ci(const token *t, const char *const *l) {
    for (int i = 0; l[i]; i++)
        if (is_word(t, l[i])) return 1;
    return 0;
}

/* Tokens that may sit inside one actor noun phrase between two hits. */
static int glue(const token *t) {
    if (t->lower_len == 2 && !memcmp(t->lower, "'s", 2)) return 1;
    if (t->flags & TOK_CAP && !(t->flags & TOK_PUNCT)) return 1; /* unknown proper names: "Karim Haddad" */
    return 0;
}

static int pronoun_kind(const token *t, uint8_t *person, uint8_t *plural, int *relative) {
    static const char *const P[] = {"he", "she", "it", "they", NULL};
    *relative = 0;
    for (int i = 0; P[i]; i++)
        if (is_word(t, P[i])) {
            *person = i < 2;
            *plural = i == 3;
            return 1;
        }
    if (is_word(t, "who") || is_word(t, "which") || is_word(t, "that")) {
        *relative = 1;
        *person = 0;
        *plural = 0;
        return 1;
    }
    return 0;
}

/* Resolve pronoun mention mi to an earlier actor mention. */
static void resolve(sitrep_doc *sd, uint32_t mi, int relative) {
    mention *p = &sd->m[mi];
    for (int32_t j = (int32_t)mi - 1; j >= 0; j--) {
        mention *q = &sd->m[j];
        if (q->kind != M_ACTOR) {
            if (q->ante >= 0 && !relative && q->sent + 1 >= p->sent) {
                /* chain through an earlier pronoun of the same kind */
                mention *r = &sd->m[q->ante];
                if (r->person == p->person && !p->plural) { p->ante = q->ante; return; }
            }
            continue;
        }
        if (q->only_location || !q->code[0]) continue;
        if (p->sent > q->sent + 1) return; /* only this and the previous sentence */
        if (relative) {
            /* the relative pronoun follows its antecedent (or the last member of a list) */
            if (q->sent != p->sent || p->first - q->last > 3) return;
            p->ante = q->coord_head >= 0 ? q->coord_head : j;
            return;
        }
        if (p->person && !q->person) continue;
        if (!p->person && !p->plural && q->person) continue;
        /* "it" prefers the subject-like mention: skip mentions after a preposition */
        if (q->first > sd->d.sents[q->sent].first && is_prep(&sd->d.toks[q->first - 1]) && !p->plural) continue;
        p->ante = j;
        return;
    }
}

/* The phrase hits of every sentence (they do not depend on the parse, so
 * the second actors_find of an article reuses them): sd->hits, sd->hoff,
 * sd->discard. 0 or -1 on OOM. */
static int find_hits(const kb *k, sitrep_doc *sd) {
    doc *d = &sd->d;
    sd->discard = arena_alloc(&d->a, d->nsents + 1);
    sd->hoff = arena_alloc_raw(&d->a, (d->nsents + 1) * sizeof *sd->hoff);
    uint32_t *wid = arena_alloc_raw(&d->a, (d->ntoks + 1) * sizeof *wid);
    if (!sd->discard || !sd->hoff || !wid) return -1;
    sd->wid = wid;
    for (uint32_t i = 0; i < d->ntoks; i++) wid[i] = intern_get(&k->words, d->toks[i].lower, d->toks[i].lower_len);
    uint32_t nh = 0, hcap = 0;
    hit *hits = NULL;
    for (uint32_t s = 0; s < d->nsents; s++) {
        const sentence *S = &d->sents[s];
        uint32_t end = S->first + S->count;
        uint32_t h0 = nh;
        sd->hoff[s] = nh;
        for (uint32_t i = S->first; i < end;) {
            hit h;
            int disc = 0;
            int found = longest_at(k, d->toks, wid, i, end, &disc, &h);
            if (disc) sd->discard[s] = 1;
            if (found) {
                if (k->phr[h.phr].kind == KB_NONACTOR) {
                    i = h.last; /* "Paris Agreement", "South China Sea": no actor inside */
                    continue;
                }
                if (nh == hcap) {
                    uint32_t nc = hcap ? hcap * 2 : 64;
                    hit *nhp = arena_alloc_raw(&d->a, nc * sizeof *nhp);
                    if (!nhp) return -1;
                    if (nh) memcpy(nhp, hits, nh * sizeof *hits);
                    hits = nhp;
                    hcap = nc;
                }
                hits[nh++] = h;
                i = h.last;
            } else {
                i++;
            }
        }
        /* a country's name right before an unknown capitalised word is a
         * person's first name or part of another name ("Jordan Peterson",
         * "Chad Johnson", "Kenya Airways"), not the state */
        uint32_t o = h0;
        for (uint32_t x = h0; x < nh; x++) {
            const kb_phrase *p = &k->phr[hits[x].phr];
            uint32_t nx = hits[x].last;
            int drop = 0;
            if (p->kind == KB_COUNTRY && hits[x].last - hits[x].first == 1 && nx < end &&
                (d->toks[nx].flags & TOK_CAP) && !(d->toks[nx].flags & (TOK_PUNCT | TOK_NUM | TOK_ALLCAP)) &&
                !(x + 1 < nh && hits[x + 1].first == nx) && !in_list_ci(&d->toks[nx], CALENDAR)) {
                drop = 1;
                /* unless it names a company of that country ("Kenya Airways") */
                for (uint32_t t = nx; t < end && t < nx + 4 && (d->toks[t].flags & TOK_CAP); t++)
                    if (in_list_ci(&d->toks[t], COMPANY)) drop = 0;
            }
            if (!drop) hits[o++] = hits[x];
        }
        nh = o;
    }
    sd->hoff[d->nsents] = nh;
    sd->hits = hits;
    return 0;
}

int actors_find(const sitrep_ctx *c, sitrep_doc *sd) {
    const kb *k = c->k;
    doc *d = &sd->d;
    sd->nm = 0;
    if (!sd->hoff && find_hits(k, sd)) return -1;
    sd->tok_mention = arena_alloc_raw(&d->a, (d->ntoks + 1) * sizeof *sd->tok_mention);
    sd->sflags = arena_alloc(&d->a, d->nsents + 1);
    if (!sd->tok_mention || !sd->sflags) return -1;
    for (uint32_t i = 0; i < d->ntoks; i++) sd->tok_mention[i] = -1;
    int rc = -1;
    int prev_tsa = 0, prev_pron = 0, prev_stable = 1;
    for (uint32_t s = 0; s < d->nsents; s++) {
        const sentence *S = &d->sents[s];
        uint32_t end = S->first + S->count;
        const hit *hits = sd->hits + sd->hoff[s];
        int csa = 0, tsa = 0;
        size_t nh = sd->hoff[s + 1] - sd->hoff[s];
        /* group hits into noun phrases */
        uint32_t m_first_sent = sd->nm;
        size_t a = 0;
        while (a < nh) {
            size_t b = a + 1;
            uint32_t last = hits[a].last;
            while (b < nh) {
                uint32_t gap_ok = 1;
                int poss = 0;
                for (uint32_t t = last; t < hits[b].first; t++) {
                    const token *gt = &d->toks[t];
                    if (gt->lower_len == 2 && !memcmp(gt->lower, "'s", 2) && t == last) { poss = 1; continue; }
                    /* "Algeria's leading rights activist": lower-case words after a possessive */
                    if (poss && !(gt->flags & (TOK_PUNCT | TOK_CAP | TOK_NUM)) && t + 2 >= hits[b].first) continue;
                    if (!glue(gt)) gap_ok = 0;
                }
                if (!gap_ok || hits[b].first - last > 3) break;
                /* two countries side by side are two actors ("Israel Hamas") unless joined by 's */
                uint8_t ka = k->phr[hits[b - 1].phr].kind, kb2 = k->phr[hits[b].phr].kind;
                if (ka == KB_COUNTRY && kb2 == KB_COUNTRY) break;
                if (ka == KB_NAMED && kb2 == KB_NAMED && !k->actors[k->phr[hits[b].phr].actor].person) break;
                last = hits[b].last;
                b++;
            }
            /* absorb trailing unknown capitalised names ("the group's official Karim Haddad") */
            uint32_t stop = last;
            while (stop < end && (d->toks[stop].flags & TOK_CAP) && !(d->toks[stop].flags & TOK_PUNCT) &&
                   sd->tok_mention[stop] < 0 && stop - last < 4 && !(b < nh && hits[b].first == stop) &&
                   (d->toks[last - 1].flags & TOK_CAP))
                stop++;
            /* "American Financial Corp", "Kenya Airways": a company of that country */
            int company = 0;
            for (uint32_t t = last; t < stop + 1 && t < end; t++)
                if (in_list_ci(&d->toks[t], COMPANY) && (t < stop || t == stop)) company = 1;
            if (company) {
                while (stop < end && stop - last < 6 && !(d->toks[stop].flags & TOK_PUNCT) &&
                       (d->toks[stop].flags & TOK_CAP))
                    stop++;
                if (stop < end && d->toks[stop].norm_len == 1 && d->toks[stop].norm[0] == '.' &&
                    stop > last && in_list_ci(&d->toks[stop - 1], COMPANY))
                    stop++;
            }
            if (compose(c, sd, hits, (uint32_t)a, (uint32_t)b, s, hits[a].first, stop)) goto out;
            if (company) {
                mention *cm = &sd->m[sd->nm - 1];
                if (cm->has_country && strlen(cm->code) == 3) strcat(cm->code, "BUS");
            }
            /* one agent word with a code: the parse decides whether it is an actor */
            if (b - a == 1 && k->phr[hits[a].phr].kind == KB_AGENT) {
                tsa = 1;
                if (sd->m[sd->nm - 1].code[0]) csa = 1;
            }
            if (b - a == 1 && k->phr[hits[a].phr].kind == KB_AGENT && agent_used_as_modifier(sd, &sd->m[sd->nm - 1], end)) {
                sd->nm--; /* "military operations": an adjective, not an actor */
                a = b;
                continue;
            }
            for (uint32_t t = hits[a].first; t < stop; t++) sd->tok_mention[t] = (int32_t)(sd->nm - 1);
            a = b;
        }
        /* pronouns */
        for (uint32_t i = S->first; i < end; i++) {
            uint8_t person, plural;
            int relative;
            if (sd->tok_mention[i] >= 0 || !pronoun_kind(&d->toks[i], &person, &plural, &relative)) continue;
            if (relative && is_word(&d->toks[i], "that")) {
                /* "that" is relative only right after an actor */
                if (i == S->first || sd->tok_mention[i - 1] < 0) continue;
            }
            mention m;
            memset(&m, 0, sizeof m);
            m.first = i;
            m.last = i + 1;
            m.sent = s;
            m.kind = relative ? M_RELATIVE : M_PRONOUN;
            m.actor = UINT32_MAX;
            m.rule = UINT32_MAX;
            m.person = person;
            m.plural = plural;
            m.ante = -1;
            m.coord = -1;
            m.coord_head = -1;
            /* keep mentions in token order */
            uint32_t pos = sd->nm;
            if (push_mention(sd, &m)) goto out;
            while (pos > m_first_sent && sd->m[pos - 1].first > i) {
                mention tmp = sd->m[pos - 1];
                sd->m[pos - 1] = sd->m[pos];
                sd->m[pos] = tmp;
                pos--;
            }
        }
        for (uint32_t mi = m_first_sent; mi < sd->nm; mi++)
            for (uint32_t t = sd->m[mi].first; t < sd->m[mi].last; t++) sd->tok_mention[t] = (int32_t)mi;
        /* coordination: "A, B and C" */
        for (uint32_t mi = m_first_sent; mi + 1 < sd->nm; mi++) {
            mention *x = &sd->m[mi], *y = &sd->m[mi + 1];
            if (x->kind != M_ACTOR || y->kind != M_ACTOR || x->only_location || y->only_location) continue;
            uint32_t gap = y->first - x->last;
            int ok = 0;
            if (gap == 1 && (is_word(&d->toks[x->last], "and") || is_word(&d->toks[x->last], ","))) ok = 1;
            if (gap == 2 && is_word(&d->toks[x->last], ",") && is_word(&d->toks[x->last + 1], "and")) ok = 1;
            if (ok) {
                x->coord = (int32_t)(mi + 1);
                y->coord_head = x->coord_head >= 0 ? x->coord_head : (int32_t)mi;
                if (x->coord_head < 0) x->coord_head = (int32_t)mi;
            }
        }
        for (uint32_t mi = m_first_sent; mi < sd->nm; mi++) {
            mention *p = &sd->m[mi];
            if (p->kind == M_PRONOUN) resolve(sd, mi, 0);
            else if (p->kind == M_RELATIVE) resolve(sd, mi, 1);
        }
        /* sflags (coder.h). The mentions of a sentence with no single
         * agent word are the same with or without a parse (else the parse
         * may add or drop that word, and a relative "that" after it); so
         * are the antecedents of its pronouns when the same holds for the
         * previous sentence, and for the pronouns of that one they may
         * chain through (stable). A relative pronoun's antecedent is a coded
         * actor of its own sentence. */
        int pron = 0, coded = csa;
        for (uint32_t mi = m_first_sent; mi < sd->nm; mi++) {
            const mention *p = &sd->m[mi];
            if (p->kind == M_PRONOUN) pron = 1;
            if (p->kind == M_ACTOR ? p->code[0] != 0 : p->ante >= 0) coded = 1;
        }
        int stable = !tsa && !prev_tsa && (!prev_pron || prev_stable);
        sd->sflags[s] = (uint8_t)((coded || (pron && !stable) ? SENT_MAY_CODE : 0) | (tsa ? SENT_TAGGED_MENTIONS : 0));
        prev_tsa = tsa;
        prev_pron = pron;
        prev_stable = stable;
    }
    rc = 0;
out:
    return rc;
}

/* Country code (CAMEO) of ISO 3166-1 alpha-2 code cc, or NULL. */
static const char *country_of_iso2(const kb *k, const char *cc, int date) {
    for (size_t i = 0; i < k->nactors; i++) {
        const kb_actor *a = &k->actors[i];
        if (a->kind == KB_COUNTRY && a->iso2[0] == cc[0] && a->iso2[1] == cc[1] && !a->iso2[2]) {
            const kb_code *c = kb_actor_code_on(k, (uint32_t)i, date);
            if (c) return c->code;
        }
    }
    return NULL;
}

int actors_localize(const sitrep_ctx *c, sitrep_doc *sd) {
    const kb *k = c->k;
    doc *d = &sd->d;
    for (uint32_t mi = 0; mi < sd->nm; mi++) {
        mention *m = &sd->m[mi];
        if (m->kind != M_ACTOR || m->has_country || !m->code[0] || strlen(m->code) != 3) continue;
        if (m->actor != UINT32_MAX && k->actors[m->actor].kind != KB_AGENT) continue;
        const sentence *S = &d->sents[m->sent];
        if (m->first > S->first) {
            /* "its forces", "their troops": the country of the actor the possessive refers to */
            const token *pt = &d->toks[m->first - 1];
            if (is_word(pt, "its") || is_word(pt, "their")) {
                for (int32_t j = (int32_t)mi - 1; j >= 0; j--) {
                    const mention *q = &sd->m[j];
                    if (q->sent + 1 < m->sent) break;
                    if (q->kind != M_ACTOR || !q->has_country || q->only_location || strlen(q->code) < 3) continue;
                    char code[32];
                    snprintf(code, sizeof code, "%.3s%s", q->code, m->code);
                    memcpy(m->code, code, sizeof m->code);
                    m->has_country = 1;
                    memcpy(m->iso2, q->iso2, 3);
                    TRACE(sd, "actor \"%s %s\" takes the country of \"%s\": %s", pt->norm, d->toks[m->first].norm,
                          d->toks[q->first].norm, m->code);
                    break;
                }
                if (m->has_country) continue;
            }
        }
        uint32_t j = m->last, end = S->first + S->count;
        if (j >= end || !(is_word(&d->toks[j], "in") || is_word(&d->toks[j], "from") || is_word(&d->toks[j], "of")))
            continue;
        j++;
        if (j < end && is_word(&d->toks[j], "the")) j++;
        if (j >= end) continue;
        const char *cc = NULL;
        char iso[3] = "";
        int32_t n = sd->tok_mention[j];
        if (n >= 0 && sd->m[n].kind == M_ACTOR && sd->m[n].has_country && sd->m[n].first == j) {
            const mention *x = &sd->m[n];
            size_t l = 0;
            while (l < 3 && x->code[l]) l++;
            if (l == 3) { iso[0] = 0; cc = x->code; }
        } else {
            for (size_t p = 0; p < sd->nplaces; p++)
                if (sd->places[p].start == d->toks[j].start && sd->places[p].geonameid && sd->places[p].country_code[0]) {
                    memcpy(iso, sd->places[p].country_code, 3);
                    cc = country_of_iso2(k, iso, d->date);
                    break;
                }
        }
        if (!cc) continue;
        char code[32];
        snprintf(code, sizeof code, "%.3s%s", cc, m->code);
        memcpy(m->code, code, sizeof m->code);
        m->has_country = 1;
        TRACE(sd, "actor \"%s\" takes the country of the place after it: %s", d->toks[m->first].norm, m->code);
    }
    return 0;
}
