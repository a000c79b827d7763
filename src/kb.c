/* kb.c - knowledge-base containers and builders shared by every dictionary
 * loader: interning, hash maps, the phrase trie, patterns, the CAMEO table,
 * inflection of pattern words, dates. */
#include "kb.h"
#include "doc.h"
#include "segment.h"
#include "text.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ hashing */
static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Grow an array *p of *cap elements of size sz to hold need; 0 or -1. */
static int grow(void **p, size_t *cap, size_t need, size_t sz) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, nc * sz);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

/* ------------------------------------------------------------------ intern */
void intern_init(intern *t) { memset(t, 0, sizeof *t); }

void intern_free(intern *t) {
    if (!t) return;
    free(t->slots);
    free(t->off);
    free(t->len);
    free(t->pool);
    memset(t, 0, sizeof *t);
}

static int intern_rehash(intern *t, size_t ns) {
    uint32_t *s = calloc(ns, sizeof *s);
    if (!s) return -1;
    for (size_t id = 1; id <= t->n; id++) {
        uint64_t h = hash_bytes(t->pool + t->off[id - 1], t->len[id - 1]);
        size_t i = h & (ns - 1);
        while (s[i]) i = (i + 1) & (ns - 1);
        s[i] = (uint32_t)id;
    }
    free(t->slots);
    t->slots = s;
    t->nslots = ns;
    return 0;
}

uint32_t intern_get(const intern *t, const char *s, size_t n) {
    if (!t->nslots) return 0;
    uint64_t h = hash_bytes(s, n);
    size_t i = h & (t->nslots - 1);
    while (t->slots[i]) {
        uint32_t id = t->slots[i];
        if (t->len[id - 1] == n && !memcmp(t->pool + t->off[id - 1], s, n)) return id;
        i = (i + 1) & (t->nslots - 1);
    }
    return 0;
}

uint32_t intern_add(intern *t, const char *s, size_t n) {
    uint32_t id = intern_get(t, s, n);
    if (id) return id;
    if ((t->n + 1) * 2 > t->nslots && intern_rehash(t, t->nslots ? t->nslots * 2 : 1024)) return 0;
    if (grow((void **)&t->off, &t->cap, t->n + 1, sizeof *t->off)) return 0;
    size_t lcap = t->cap;
    uint32_t *nl = realloc(t->len, lcap * sizeof *nl);
    if (!nl) return 0;
    t->len = nl;
    if (t->pool_len + n + 1 > t->pool_cap) {
        size_t nc = t->pool_cap ? t->pool_cap : 65536;
        while (nc < t->pool_len + n + 1) nc *= 2;
        char *np = realloc(t->pool, nc);
        if (!np) return 0;
        t->pool = np;
        t->pool_cap = nc;
    }
    memcpy(t->pool + t->pool_len, s, n);
    t->pool[t->pool_len + n] = 0;
    t->off[t->n] = (uint32_t)t->pool_len;
    t->len[t->n] = (uint32_t)n;
    t->pool_len += n + 1;
    t->n++;
    id = (uint32_t)t->n;
    size_t i = hash_bytes(s, n) & (t->nslots - 1);
    while (t->slots[i]) i = (i + 1) & (t->nslots - 1);
    t->slots[i] = id;
    return id;
}

const char *intern_str(const intern *t, uint32_t id, size_t *n) {
    if (!id || id > t->n) { if (n) *n = 0; return ""; }
    if (n) *n = t->len[id - 1];
    return t->pool + t->off[id - 1];
}

/* ------------------------------------------------------------------ u64map */
int u64map_put(u64map *m, uint64_t key, uint32_t val) {
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        u64map_slot *ns = calloc(nc, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key) continue;
            size_t j = mix64(m->slots[i].key) & (nc - 1);
            while (ns[j].key) j = (j + 1) & (nc - 1);
            ns[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = ns;
        m->cap = nc;
    }
    size_t j = mix64(key) & (m->cap - 1);
    while (m->slots[j].key && m->slots[j].key != key) j = (j + 1) & (m->cap - 1);
    if (!m->slots[j].key) m->n++;
    m->slots[j].key = key;
    m->slots[j].val = val;
    return 0;
}

uint32_t u64map_get(const u64map *m, uint64_t key) {
    if (!m->cap) return 0;
    size_t j = mix64(key) & (m->cap - 1);
    while (m->slots[j].key) {
        if (m->slots[j].key == key) return m->slots[j].val;
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

void u64map_free(u64map *m) {
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ kb */
kb *kb_new(void) {
    kb *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    arena_init(&k->a, 0);
    intern_init(&k->words);
    intern_init(&k->norms);
    k->nnodes = 1; /* root */
    return k;
}

void kb_free(kb *k) {
    if (!k) return;
    if (k->petr && k->petr_free) k->petr_free(k->petr);
    arena_free(&k->a);
    intern_free(&k->words);
    intern_free(&k->norms);
    u64map_free(&k->trie);
    u64map_free(&k->anchors);
    u64map_free(&k->ix1);
    u64map_free(&k->ix2);
    u64map_free(&k->forms);
    u64map_free(&k->forms2);
    free(k->formed);
    free(k->role);
    u64map_free(&k->pathash);
    u64map_free(&k->cameo_idx);
    u64map_free(&k->units);
    u64map_free(&k->numwords);
    free(k->node_phr);
    free(k->phr);
    free(k->actors);
    free(k->codes);
    free(k->pats);
    free(k->pelems);
    free(k->cameo);
    free(k->unit_names);
    free(k->files);
    free(k->rules);
    free(k->warnings);
    free(k);
}

uint32_t kb_file(kb *k, const char *display) {
    if (grow((void **)&k->files, &k->files_cap, k->nfiles + 1, sizeof *k->files)) return 0;
    const char *s = arena_strndup(&k->a, display, strlen(display));
    if (!s) return 0;
    k->files[k->nfiles] = s;
    return (uint32_t)k->nfiles++;
}

uint32_t kb_rule_add(kb *k, uint32_t file, uint32_t line) {
    if (grow((void **)&k->rules, &k->rules_cap, k->nrules + 1, sizeof *k->rules)) return 0;
    k->rules[k->nrules].file = file;
    k->rules[k->nrules].line = line;
    return (uint32_t)k->nrules++;
}

int kb_warn(kb *k, const char *fmt, ...) {
    char tmp[600];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    if (k->wlen > (1u << 20)) return 0; /* cap the warning text */
    if (grow((void **)&k->warnings, &k->wcap, k->wlen + (size_t)n + 2, 1)) return -1;
    memcpy(k->warnings + k->wlen, tmp, (size_t)n);
    k->wlen += (size_t)n;
    k->warnings[k->wlen++] = '\n';
    k->warnings[k->wlen] = 0;
    return 0;
}

uint32_t kb_actor_add(kb *k, const char *name, uint8_t kind, uint32_t rule) {
    if (grow((void **)&k->actors, &k->actors_cap, k->nactors + 1, sizeof *k->actors)) return UINT32_MAX;
    kb_actor *a = &k->actors[k->nactors];
    memset(a, 0, sizeof *a);
    a->name = arena_strndup(&k->a, name, strlen(name));
    if (!a->name) return UINT32_MAX;
    a->kind = kind;
    a->rule = rule;
    a->first = (uint32_t)k->ncodes;
    return (uint32_t)k->nactors++;
}

int kb_actor_code(kb *k, uint32_t actor, const char *code, int from, int to) {
    kb_actor *a = &k->actors[actor];
    /* codes of one actor must be contiguous: only the last actor may grow */
    if (a->first + a->n != k->ncodes) return -1;
    if (grow((void **)&k->codes, &k->codes_cap, k->ncodes + 1, sizeof *k->codes)) return -1;
    kb_code *c = &k->codes[k->ncodes++];
    memset(c, 0, sizeof *c);
    size_t cl = strnlen(code, sizeof c->code - 1);
    memcpy(c->code, code, cl);
    c->code[cl] = 0;
    c->from = from;
    c->to = to;
    a->n++;
    return 0;
}

const kb_code *kb_actor_code_on(const kb *k, uint32_t ai, int date) {
    const kb_actor *a = &k->actors[ai];
    const kb_code *fallback = NULL;
    for (uint32_t i = 0; i < a->n; i++) {
        const kb_code *c = &k->codes[a->first + i];
        if (!c->from && !c->to) {
            if (!fallback) fallback = c;
            continue;
        }
        if (!date) continue;
        if ((!c->from || date >= c->from) && (!c->to || date <= c->to)) return c;
    }
    if (!date) {
        /* no date: the current (open-ended) role, else the fallback */
        for (uint32_t i = 0; i < a->n; i++) {
            const kb_code *c = &k->codes[a->first + i];
            if (c->from && !c->to) return c;
        }
        if (!fallback && a->n) return &k->codes[a->first + a->n - 1];
    }
    return fallback;
}

/* Give role to every word id (< n) that is a key of map m. */
static void mark_role(uint8_t *r, size_t n, const u64map *m, uint8_t role) {
    for (size_t i = 0; i < m->cap; i++) {
        uint64_t key = m->slots[i].key;
        if (key && key < n) r[key] |= role;
    }
}

int kb_index_roles(kb *k) {
    size_t n = k->words.n + 1;
    uint8_t *r = calloc(n, 1);
    if (!r) return -1;
    mark_role(r, n, &k->anchors, KB_ROLE_ANCHOR);
    mark_role(r, n, &k->ix1, KB_ROLE_ANCHOR);
    for (size_t i = 0; i < k->ix2.cap; i++) {
        uint64_t key = k->ix2.slots[i].key;
        if (!key) continue;
        if ((key >> 32) < n) r[key >> 32] |= KB_ROLE_ANCHOR;
        if ((key & 0xffffffffu) < n) r[key & 0xffffffffu] |= KB_ROLE_NEXT;
    }
    for (size_t i = 0; i < k->trie.cap; i++) {
        uint64_t key = k->trie.slots[i].key;
        if (key && !(key >> 32) && key < n) r[key] |= KB_ROLE_PHRASE;
    }
    mark_role(r, n, &k->forms, KB_ROLE_FORM);
    mark_role(r, n, &k->forms2, KB_ROLE_FORM2);
    free(k->role);
    k->role = r;
    k->nrole = n;
    return 0;
}

uint32_t kb_trie_child(const kb *k, uint32_t node, uint32_t word) {
    return u64map_get(&k->trie, ((uint64_t)node << 32) | word);
}

/* Tokenise a phrase exactly as article text is tokenised. */
static int phrase_tokens(kb *k, const char *s, size_t n, doc *tmp) {
    memset(tmp, 0, sizeof *tmp);
    arena_init(&tmp->a, 0);
    tmp->text = arena_strndup(&tmp->a, s, n);
    if (!tmp->text) return -1;
    tmp->len = n;
    (void)k;
    return segment_doc(tmp, 1000000);
}

int kb_phrase_add(kb *k, const char *phrase, size_t n, uint32_t actor, uint8_t kind, uint32_t rule, int allow_case) {
    doc tmp;
    int rc = -1;
    if (phrase_tokens(k, phrase, n, &tmp)) goto out;
    if (!tmp.ntoks) { rc = 1; goto out; }
    /* exact case: all capitals, at most five letters */
    int letters = 0, caps = 0;
    for (size_t i = 0; i < n; i++) {
        char c = phrase[i];
        if ((c | 32) >= 'a' && (c | 32) <= 'z') {
            letters++;
            if (c >= 'A' && c <= 'Z') caps++;
        }
    }
    int exact = allow_case && letters > 0 && letters <= 5 && caps == letters;
    uint32_t node = 0;
    uint32_t *case_ids = NULL;
    if (exact) {
        case_ids = arena_alloc(&k->a, tmp.ntoks * sizeof *case_ids);
        if (!case_ids) goto out;
    }
    for (uint32_t i = 0; i < tmp.ntoks; i++) {
        uint32_t w = intern_add(&k->words, tmp.toks[i].lower, tmp.toks[i].lower_len);
        if (!w) goto out;
        if (exact) {
            case_ids[i] = intern_add(&k->norms, tmp.toks[i].norm, tmp.toks[i].norm_len);
            if (!case_ids[i]) goto out;
        }
        uint32_t child = kb_trie_child(k, node, w);
        if (!child) {
            child = k->nnodes++;
            if (u64map_put(&k->trie, ((uint64_t)node << 32) | w, child)) goto out;
        }
        node = child;
    }
    size_t oldcap = k->node_cap;
    if (grow((void **)&k->node_phr, &k->node_cap, k->nnodes + 1, sizeof *k->node_phr)) goto out;
    if (k->node_cap > oldcap) memset(k->node_phr + oldcap, 0, (k->node_cap - oldcap) * sizeof *k->node_phr);
    if (grow((void **)&k->phr, &k->phr_cap, k->nphr + 1, sizeof *k->phr)) goto out;
    /* the same words already name another actor of the same kind: report it */
    int clash = 0;
    for (uint32_t q = node < k->node_cap ? k->node_phr[node] : 0; q; q = k->phr[q - 1].next) {
        const kb_phrase *o = &k->phr[q - 1];
        if (o->kind != kind || o->actor == actor || kind == KB_DISCARD) continue;
        const kb_actor *oa = &k->actors[o->actor], *na = &k->actors[actor];
        int same = oa->n == na->n;
        for (uint32_t i = 0; same && i < oa->n; i++)
            same = !strcmp(k->codes[oa->first + i].code, k->codes[na->first + i].code) &&
                   k->codes[oa->first + i].from == k->codes[na->first + i].from;
        if (!same) { clash = (int)(o->rule + 1); break; }
    }
    kb_phrase *p = &k->phr[k->nphr];
    memset(p, 0, sizeof *p);
    p->actor = actor;
    p->kind = kind;
    p->rule = rule;
    p->ntoks = (uint16_t)(tmp.ntoks > 65535 ? 65535 : tmp.ntoks);
    p->exact_case = (uint8_t)exact;
    p->case_ids = case_ids;
    p->next = node < k->node_cap ? k->node_phr[node] : 0;
    k->node_phr[node] = (uint32_t)(k->nphr + 1);
    k->nphr++;
    rc = clash ? 2 + clash - 1 : 0;
out:
    arena_free(&tmp.a);
    return rc;
}

/* ------------------------------------------------------------------ morphology */
/* Irregular verbs: base, past, past participle. */
static const char *const IRREG[][3] = {
    {"be", "was", "been"}, {"begin", "began", "begun"}, {"beat", "beat", "beaten"}, {"become", "became", "become"},
    {"bind", "bound", "bound"}, {"bring", "brought", "brought"}, {"build", "built", "built"}, {"buy", "bought", "bought"},
    {"catch", "caught", "caught"}, {"choose", "chose", "chosen"}, {"come", "came", "come"}, {"cut", "cut", "cut"},
    {"deal", "dealt", "dealt"}, {"do", "did", "done"}, {"draw", "drew", "drawn"}, {"drive", "drove", "driven"},
    {"eat", "ate", "eaten"}, {"fall", "fell", "fallen"}, {"feel", "felt", "felt"}, {"fight", "fought", "fought"},
    {"find", "found", "found"}, {"flee", "fled", "fled"}, {"fly", "flew", "flown"}, {"forbid", "forbade", "forbidden"},
    {"forgive", "forgave", "forgiven"}, {"freeze", "froze", "frozen"}, {"get", "got", "gotten"}, {"give", "gave", "given"},
    {"go", "went", "gone"}, {"grow", "grew", "grown"}, {"hang", "hung", "hung"}, {"have", "had", "had"},
    {"hear", "heard", "heard"}, {"hide", "hid", "hidden"}, {"hit", "hit", "hit"}, {"hold", "held", "held"},
    {"hurt", "hurt", "hurt"}, {"keep", "kept", "kept"}, {"know", "knew", "known"}, {"lay", "laid", "laid"},
    {"lead", "led", "led"}, {"leave", "left", "left"}, {"lend", "lent", "lent"}, {"let", "let", "let"},
    {"lose", "lost", "lost"}, {"make", "made", "made"}, {"mean", "meant", "meant"}, {"meet", "met", "met"},
    {"pay", "paid", "paid"}, {"put", "put", "put"}, {"quit", "quit", "quit"}, {"read", "read", "read"},
    {"ride", "rode", "ridden"}, {"rise", "rose", "risen"}, {"run", "ran", "run"}, {"say", "said", "said"},
    {"see", "saw", "seen"}, {"seek", "sought", "sought"}, {"sell", "sold", "sold"}, {"send", "sent", "sent"},
    {"set", "set", "set"}, {"shake", "shook", "shaken"}, {"shoot", "shot", "shot"}, {"shut", "shut", "shut"},
    {"sit", "sat", "sat"}, {"speak", "spoke", "spoken"}, {"spend", "spent", "spent"}, {"split", "split", "split"},
    {"spread", "spread", "spread"}, {"stand", "stood", "stood"}, {"steal", "stole", "stolen"}, {"strike", "struck", "struck"},
    {"swear", "swore", "sworn"}, {"take", "took", "taken"}, {"teach", "taught", "taught"}, {"tear", "tore", "torn"},
    {"tell", "told", "told"}, {"think", "thought", "thought"}, {"throw", "threw", "thrown"}, {"understand", "understood", "understood"},
    {"undertake", "undertook", "undertaken"}, {"uphold", "upheld", "upheld"}, {"wage", "waged", "waged"}, {"wake", "woke", "woken"},
    {"wear", "wore", "worn"}, {"win", "won", "won"}, {"withdraw", "withdrew", "withdrawn"}, {"withhold", "withheld", "withheld"},
    {"write", "wrote", "written"}, {"overthrow", "overthrew", "overthrown"}, {"oversee", "oversaw", "overseen"},
    {"overrun", "overran", "overrun"}, {"override", "overrode", "overridden"}, {"forsake", "forsook", "forsaken"},
    {"foresee", "foresaw", "foreseen"}, {"bear", "bore", "borne"}, {"bid", "bid", "bid"}, {"blow", "blew", "blown"},
    {"break", "broke", "broken"}, {"broadcast", "broadcast", "broadcast"}, {"burn", "burnt", "burnt"}, {"cast", "cast", "cast"},
    {"cost", "cost", "cost"}, {"dig", "dug", "dug"}, {"feed", "fed", "fed"}, {"forget", "forgot", "forgotten"},
    {"light", "lit", "lit"}, {"mislead", "misled", "misled"}, {"rebuild", "rebuilt", "rebuilt"}, {"ring", "rang", "rung"},
    {"seize", "seized", "seized"}, {"shed", "shed", "shed"}, {"sink", "sank", "sunk"}, {"slay", "slew", "slain"},
    {"sling", "slung", "slung"}, {"spin", "spun", "spun"}, {"stick", "stuck", "stuck"}, {"sting", "stung", "stung"},
    {"strive", "strove", "striven"}, {"swing", "swung", "swung"}, {"upset", "upset", "upset"}, {"weep", "wept", "wept"},
    {"wind", "wound", "wound"}, {"arise", "arose", "arisen"}, {"awake", "awoke", "awoken"}, {"bend", "bent", "bent"},
    {"bet", "bet", "bet"}, {"bite", "bit", "bitten"}, {"bleed", "bled", "bled"}, {"breed", "bred", "bred"},
    {"creep", "crept", "crept"}, {"dive", "dove", "dived"}, {"drink", "drank", "drunk"}, {"forecast", "forecast", "forecast"},
    {"grind", "ground", "ground"}, {"kneel", "knelt", "knelt"}, {"lie", "lay", "lain"}, {"overcome", "overcame", "overcome"},
    {"partake", "partook", "partaken"}, {"prove", "proved", "proven"}, {"sew", "sewed", "sewn"}, {"show", "showed", "shown"},
    {"sleep", "slept", "slept"}, {"slide", "slid", "slid"}, {"sow", "sowed", "sown"}, {"spit", "spat", "spat"},
    {"sweep", "swept", "swept"}, {"swim", "swam", "swum"}, {"thrust", "thrust", "thrust"}, {"tread", "trod", "trodden"},
    {"withstand", "withstood", "withstood"}, {"outrun", "outran", "outrun"}, {"rethink", "rethought", "rethought"},
    {"reaffirm", "reaffirmed", "reaffirmed"}, {"hold", "held", "held"}, {"mislay", "mislaid", "mislaid"},
    {NULL, NULL, NULL}};

/* Irregular noun plurals. */
static const char *const IRREG_N[][2] = {
    {"man", "men"}, {"woman", "women"}, {"child", "children"}, {"person", "people"}, {"policeman", "policemen"},
    {"policewoman", "policewomen"}, {"gunman", "gunmen"}, {"spokesman", "spokesmen"}, {"spokeswoman", "spokeswomen"},
    {"chairman", "chairmen"}, {"congressman", "congressmen"}, {"crisis", "crises"}, {"analysis", "analyses"},
    {"thesis", "theses"}, {"militia", "militias"}, {"life", "lives"}, {"wife", "wives"}, {"thief", "thieves"},
    {"foot", "feet"}, {"tooth", "teeth"}, {"mouse", "mice"}, {"businessman", "businessmen"}, {"serviceman", "servicemen"},
    {"fisherman", "fishermen"}, {"tribesman", "tribesmen"}, {"clansman", "clansmen"}, {"countryman", "countrymen"},
    {NULL, NULL}};

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

static int add_form(kb *k, uint32_t base, const char *f, size_t n) {
    uint32_t id = intern_add(&k->words, f, n);
    if (!id) return -1;
    if (id == base) return 0;
    uint32_t cur = u64map_get(&k->forms, id);
    if (!cur) return u64map_put(&k->forms, id, base);
    if (cur == base) return 0;
    uint32_t cur2 = u64map_get(&k->forms2, id);
    if (!cur2) return u64map_put(&k->forms2, id, base);
    return 0;
}

uint32_t kb_word_with_forms(kb *k, const char *w, size_t n) {
    uint32_t base = intern_add(&k->words, w, n);
    if (!base) return 0;
    if (n < 2 || n > 40) return base;
    if (base < k->formed_cap && k->formed[base]) return base;
    if (base >= k->formed_cap) {
        size_t nc = k->formed_cap ? k->formed_cap : 4096;
        while (nc <= base) nc *= 2;
        uint8_t *nf = realloc(k->formed, nc);
        if (!nf) return 0;
        memset(nf + k->formed_cap, 0, nc - k->formed_cap);
        k->formed = nf;
        k->formed_cap = nc;
    }
    k->formed[base] = 1;
    for (size_t i = 0; i < n; i++)
        if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '-')) return base; /* only plain words inflect */
    char f[64];
    char last = w[n - 1], prev = w[n - 2];
    /* -s form */
    if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's')))
        snprintf(f, sizeof f, "%.*ses", (int)n, w);
    else if (last == 'y' && !is_vowel(prev))
        snprintf(f, sizeof f, "%.*sies", (int)(n - 1), w);
    else
        snprintf(f, sizeof f, "%.*ss", (int)n, w);
    if (add_form(k, base, f, strlen(f))) return 0;
    /* irregulars */
    for (int i = 0; IRREG[i][0]; i++)
        if (strlen(IRREG[i][0]) == n && !memcmp(IRREG[i][0], w, n)) {
            if (add_form(k, base, IRREG[i][1], strlen(IRREG[i][1])) ||
                add_form(k, base, IRREG[i][2], strlen(IRREG[i][2])))
                return 0;
            if (!strcmp(IRREG[i][0], "be")) {
                static const char *const be[] = {"is", "are", "am", "were", "being", NULL};
                for (int j = 0; be[j]; j++)
                    if (add_form(k, base, be[j], strlen(be[j]))) return 0;
            }
        }
    for (int i = 0; IRREG_N[i][0]; i++)
        if (strlen(IRREG_N[i][0]) == n && !memcmp(IRREG_N[i][0], w, n))
            if (add_form(k, base, IRREG_N[i][1], strlen(IRREG_N[i][1]))) return 0;
    /* -ed and -ing */
    if (last == 'e') {
        snprintf(f, sizeof f, "%.*sd", (int)n, w);
        if (add_form(k, base, f, strlen(f))) return 0;
        if (prev == 'i') snprintf(f, sizeof f, "%.*sying", (int)(n - 2), w);
        else if (prev == 'e' || prev == 'o' || prev == 'y') snprintf(f, sizeof f, "%.*sing", (int)n, w);
        else snprintf(f, sizeof f, "%.*sing", (int)(n - 1), w);
        if (add_form(k, base, f, strlen(f))) return 0;
    } else if (last == 'y' && !is_vowel(prev)) {
        snprintf(f, sizeof f, "%.*sied", (int)(n - 1), w);
        if (add_form(k, base, f, strlen(f))) return 0;
        snprintf(f, sizeof f, "%.*sing", (int)n, w);
        if (add_form(k, base, f, strlen(f))) return 0;
    } else {
        snprintf(f, sizeof f, "%.*sed", (int)n, w);
        if (add_form(k, base, f, strlen(f))) return 0;
        snprintf(f, sizeof f, "%.*sing", (int)n, w);
        if (add_form(k, base, f, strlen(f))) return 0;
        /* consonant doubling: stop -> stopped, ban -> banned, commit -> committed */
        if (!is_vowel(last) && last != 'w' && last != 'x' && last != 'y' && is_vowel(prev) &&
            (n < 3 || !is_vowel(w[n - 3]))) {
            snprintf(f, sizeof f, "%.*s%ced", (int)n, w, last);
            if (add_form(k, base, f, strlen(f))) return 0;
            snprintf(f, sizeof f, "%.*s%cing", (int)n, w, last);
            if (add_form(k, base, f, strlen(f))) return 0;
        }
    }
    return base;
}

int kb_pattern_add(kb *k, const char *code, const kb_pelem *el, uint32_t n, uint32_t anchor, uint32_t rule, int noun) {
    if (!n || anchor >= n || el[anchor].type != PE_WORD) return -1;
    if (grow((void **)&k->pats, &k->pats_cap, k->npats + 1, sizeof *k->pats)) return -1;
    if (grow((void **)&k->pelems, &k->pelems_cap, k->npelems + n, sizeof *k->pelems)) return -1;
    kb_pattern *p = &k->pats[k->npats];
    memset(p, 0, sizeof *p);
    size_t cl = strnlen(code, sizeof p->code - 1);
    memcpy(p->code, code, cl);
    p->code[cl] = 0;
    p->first = (uint32_t)k->npelems;
    p->n = n;
    p->anchor = anchor;
    p->rule = rule;
    p->noun = (uint8_t)noun;
    memcpy(k->pelems + k->npelems, el, n * sizeof *el);
    k->npelems += n;
    uint64_t key = el[anchor].word;
    p->next = u64map_get(&k->anchors, key);
    if (u64map_put(&k->anchors, key, (uint32_t)(k->npats + 1))) return -1;
    /* matching index: by anchor and the word after it when there is one */
    u64map *ix = &k->ix1;
    uint64_t ikey = key;
    if (anchor + 1 < n && el[anchor + 1].type == PE_WORD) {
        ix = &k->ix2;
        ikey = (key << 32) | el[anchor + 1].word;
    }
    p->next_ix = u64map_get(ix, ikey);
    if (u64map_put(ix, ikey, (uint32_t)(k->npats + 1))) return -1;
    k->npats++;
    return 0;
}

static uint64_t code_key(const char *code) {
    uint64_t key = 0;
    for (int i = 0; i < 7 && code[i]; i++) key = (key << 8) | (unsigned char)code[i];
    return key | (1ULL << 63);
}

int kb_cameo_add(kb *k, const char *code, double goldstein, int quad, const char *plover, const char *mode, const char *name) {
    if (grow((void **)&k->cameo, &k->cameo_cap, k->ncameo + 1, sizeof *k->cameo)) return -1;
    kb_cameo *c = &k->cameo[k->ncameo];
    memset(c, 0, sizeof *c);
    snprintf(c->code, sizeof c->code, "%s", code);
    c->goldstein = goldstein;
    c->quad = quad;
    c->plover = arena_strndup(&k->a, plover ? plover : "", plover ? strlen(plover) : 0);
    c->mode = arena_strndup(&k->a, mode ? mode : "", mode ? strlen(mode) : 0);
    c->name = arena_strndup(&k->a, name ? name : "", name ? strlen(name) : 0);
    if (!c->plover || !c->mode || !c->name) return -1;
    if (u64map_put(&k->cameo_idx, code_key(code), (uint32_t)(k->ncameo + 1))) return -1;
    k->ncameo++;
    return 0;
}

const kb_cameo *kb_cameo_get(const kb *k, const char *code) {
    uint32_t i = u64map_get(&k->cameo_idx, code_key(code));
    return i ? &k->cameo[i - 1] : NULL;
}

int kb_parse_date(const char *s, size_t n, int end) {
    int y = 0, m = 0, d = 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-')) return -1;
    if (n == 4) {
        y = atoi(s);
        m = end ? 12 : 1;
        d = end ? 31 : 1;
    } else if (n == 7 && s[4] == '-') {
        y = atoi(s);
        m = atoi(s + 5);
        d = end ? 31 : 1;
        if (end) {
            static const int md[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            if (m >= 1 && m <= 12) d = md[m - 1];
        }
    } else if (n == 10 && s[4] == '-' && s[7] == '-') {
        y = atoi(s);
        m = atoi(s + 5);
        d = atoi(s + 8);
    } else if (n == 6) { /* PETRARCH/TABARI YYMMDD */
        int v = atoi(s);
        y = v / 10000;
        y += y < 30 ? 2000 : 1900;
        m = (v / 100) % 100;
        d = v % 100;
    } else if (n == 8) {
        int v = atoi(s);
        y = v / 10000;
        m = (v / 100) % 100;
        d = v % 100;
    } else {
        return -1;
    }
    if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
    return y * 10000 + m * 100 + d;
}
