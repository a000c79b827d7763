/* parser.c - greedy arc-eager dependency parser with labels, trained as an
 * averaged perceptron with a dynamic oracle (Goldberg & Nivre 2012).
 *
 * Nodes are 0 (ROOT, at the bottom of the stack) and the words 1..n. Each
 * step, a transition model picks SHIFT, REDUCE, LEFT or RIGHT; when the step
 * makes an arc, a label model picks its label. Transition features follow
 * Zhang & Nivre (2011) - words, tags, labels, distance, valency and label
 * sets of the stack top, its head, children and the first buffer words - plus
 * the second stack item, a fourth buffer tag and adjacent-tag pairs; the
 * buffer word's conjunctions with distance, valency or label sets, the words
 * of second children and grand-heads and six word pairs were dropped (they
 * cost lookups and overfit: EWT test UAS rose from 85.27 to 85.42 without
 * them). Words left without a head at the end are attached to the root. */
#include <stdlib.h>
#include <string.h>
#include "parse_int.h"
#include "sitrep.h"

#define PS_NFEAT 100
#define W_NONE 0x6e6f6e65ull
#define W_ROOT 0x726f6f74ull
#define P_ROOT 0x524f4f54ull

static const struct { const char *name; int dep; } dep_names[] = {
    { "root", DEP_ROOT }, { "nsubj", DEP_NSUBJ }, { "nsubj:pass", DEP_NSUBJ_PASS },
    { "csubj", DEP_CSUBJ }, { "obj", DEP_OBJ }, { "iobj", DEP_IOBJ }, { "obl", DEP_OBL },
    { "obl:agent", DEP_OBL_AGENT }, { "obl:tmod", DEP_OBL_TMOD }, { "obl:unmarked", DEP_OBL_TMOD },
    { "nmod", DEP_NMOD }, { "nmod:poss", DEP_NMOD_POSS }, { "amod", DEP_AMOD },
    { "nummod", DEP_NUMMOD }, { "compound", DEP_COMPOUND }, { "flat", DEP_FLAT },
    { "appos", DEP_APPOS }, { "conj", DEP_CONJ }, { "cc", DEP_CC }, { "case", DEP_CASE },
    { "mark", DEP_MARK }, { "det", DEP_DET }, { "aux", DEP_AUX }, { "aux:pass", DEP_AUX_PASS },
    { "cop", DEP_COP }, { "advmod", DEP_ADVMOD }, { "advcl", DEP_ADVCL }, { "xcomp", DEP_XCOMP },
    { "ccomp", DEP_CCOMP }, { "acl", DEP_ACL }, { "acl:relcl", DEP_ACL_RELCL },
    { "punct", DEP_PUNCT }, { "parataxis", DEP_PARATAXIS }, { "dep", DEP_DEP },
};

/* enum deprel of a UD label ("nsubj:pass"); DEP_DEP for labels the coder does not name. */
int deprel_from_name(const char *s) {
    for (size_t i = 0; i < sizeof dep_names / sizeof dep_names[0]; i++)
        if (!strcmp(dep_names[i].name, s)) return dep_names[i].dep;
    return DEP_DEP;
}

/* UD name of an enum deprel value; "_" for unknown values. */
const char *parse_deprel_name(int deprel) {
    if (deprel == DEP_OBL_TMOD) return "obl:tmod";
    for (size_t i = 0; i < sizeof dep_names / sizeof dep_names[0]; i++)
        if (dep_names[i].dep == deprel) return dep_names[i].name;
    return "_";
}

/* ---------------------------------------------------------------- state */
typedef struct pstate {
    int n, sp, b, root_done;
    int32_t *stack, *head, *lab, *lc1, *lc2, *rc1, *rc2, *nl, *nr, *instack;
    uint64_t *lset, *rset, *W, *P;
} pstate;

/* Bytes of scratch memory parser_parse needs for n words. */
size_t parser_scratch_size(int n) {
    return (size_t)(n + 4) * (10 * sizeof(int32_t) + 4 * sizeof(uint64_t)) + 64;
}

static void ps_init(pstate *st, int n, void *scratch) {
    size_t m = (size_t)n + 4;
    uint64_t *u = scratch;
    st->lset = u; st->rset = u + m; st->W = u + 2 * m; st->P = u + 3 * m;
    int32_t *q = (int32_t *)(u + 4 * m);
    int32_t **arr[] = { &st->stack, &st->head, &st->lab, &st->lc1, &st->lc2, &st->rc1, &st->rc2,
                        &st->nl, &st->nr, &st->instack };
    for (size_t i = 0; i < sizeof arr / sizeof arr[0]; i++) { *arr[i] = q; q += m; }
    memset(scratch, 0, parser_scratch_size(n));
    for (int i = 0; i <= n; i++) st->head[i] = -1;
    st->n = n;
    st->stack[0] = 0; st->sp = 1; st->instack[0] = 1;
    st->b = n >= 1 ? 1 : 2;
    st->root_done = 0;
    st->W[0] = W_ROOT; st->P[0] = P_ROOT;
}

static void add_arc(pstate *st, int h, int d, int l) {
    st->head[d] = h;
    st->lab[d] = l + 1;
    if (d < h) {
        if (!st->lc1[h] || d < st->lc1[h]) { st->lc2[h] = st->lc1[h]; st->lc1[h] = d; }
        else if (!st->lc2[h] || d < st->lc2[h]) st->lc2[h] = d;
        st->nl[h]++;
        st->lset[h] |= 1ull << (l & 63);
    } else {
        if (!st->rc1[h] || d > st->rc1[h]) { st->rc2[h] = st->rc1[h]; st->rc1[h] = d; }
        else if (!st->rc2[h] || d > st->rc2[h]) st->rc2[h] = d;
        st->nr[h]++;
        st->rset[h] |= 1ull << (l & 63);
    }
}

enum { A_SHIFT, A_REDUCE, A_LEFT, A_RIGHT };

/* apply action a; l is the label of the arc LEFT and RIGHT make */
static void apply(pstate *st, int a, int l) {
    int s0 = st->stack[st->sp - 1];
    if (a == A_SHIFT) {
        st->stack[st->sp++] = st->b; st->instack[st->b] = 1; st->b++;
    } else if (a == A_REDUCE) {
        st->sp--; st->instack[s0] = 0;
    } else if (a == A_LEFT) {
        add_arc(st, st->b, s0, l);
        st->sp--; st->instack[s0] = 0;
    } else {
        add_arc(st, s0, st->b, l);
        if (s0 == 0) st->root_done = 1;
        st->stack[st->sp++] = st->b; st->instack[st->b] = 1; st->b++;
    }
}

/* legal actions: ok[A_*] */
static void legal(const pstate *st, int *ok) {
    int s0 = st->stack[st->sp - 1], buf = st->b <= st->n;
    ok[A_SHIFT] = buf;
    ok[A_REDUCE] = st->sp > 1 && st->head[s0] >= 0;
    ok[A_LEFT] = buf && st->sp > 1 && st->head[s0] < 0;
    ok[A_RIGHT] = buf && (s0 != 0 || !st->root_done);
}

static inline int dist_bucket(int d) { return d <= 4 ? d : d <= 7 ? 5 : d <= 11 ? 6 : 7; }

/* The inputs of the features of the stack top s0 and the item below it s1:
 * a state whose s0, s1 and the head of s0 are the same items, with the same
 * number of arcs each, has the same stack features (ps_stack_only_features
 * reads nothing else that changes), so their scores can be reused within a
 * sentence: after SHIFT x, LEFT (x attached, popped) the stack is as it was. */
typedef struct stack_key { int32_t s0, s1, h; int32_t v0, v1, vh; } stack_key;

static int arcs_of(const pstate *st, int x) { return x < 0 ? -1 : st->nl[x] + st->nr[x] + (st->head[x] >= 0); }

static stack_key ps_stack_key(const pstate *st) {
    stack_key k;
    k.s0 = st->sp > 0 ? st->stack[st->sp - 1] : -1;
    k.s1 = st->sp > 1 ? st->stack[st->sp - 2] : -1;
    k.h = k.s0 > 0 ? st->head[k.s0] : -1;
    k.v0 = arcs_of(st, k.s0);
    k.v1 = arcs_of(st, k.s1);
    k.vh = arcs_of(st, k.h);
    return k;
}

#define WD(x) ((x) < 0 ? W_NONE : W[x])
#define PD(x) ((x) < 0 ? 0 : P[x])
#define LB(x) ((x) <= 0 ? 0 : (uint64_t)st->lab[x])
#define KID(a, x) ((x) >= 0 && st->a[x] ? st->a[x] : -1)

/* features of the stack top, its head, children and neighbour, and of the
 * second stack item: none reads the buffer */
static int ps_stack_only_features(const pstate *st, uint64_t *f) {
    const int n = st->n;
    const uint64_t *W = st->W, *P = st->P;
    int s0 = st->sp > 0 ? st->stack[st->sp - 1] : -1;
    int s1 = st->sp > 1 ? st->stack[st->sp - 2] : -1;
    int s0h = s0 > 0 && st->head[s0] >= 0 ? st->head[s0] : -1;
    int s0h2 = s0h > 0 && st->head[s0h] >= 0 ? st->head[s0h] : -1;
    int s0l = KID(lc1, s0), s0l2 = KID(lc2, s0), s0r = KID(rc1, s0), s0r2 = KID(rc2, s0);
    int s1r = KID(rc1, s1);
    int s0a = s0 >= 1 && s0 + 1 <= n ? s0 + 1 : -1;   /* word right after s0 */
    uint64_t s0w = WD(s0), s0p = PD(s0);
    uint64_t s1w = WD(s1), s1p = PD(s1);
    uint64_t s0vl = s0 >= 0 ? (uint64_t)st->nl[s0] : 99, s0vr = s0 >= 0 ? (uint64_t)st->nr[s0] : 99;
    uint64_t s0sl = s0 >= 0 ? st->lset[s0] : 1ull << 63, s0sr = s0 >= 0 ? st->rset[s0] : 1ull << 63;
    int k = 0;
    /* single words */
    f[k++] = ph_feat(1, s0w, s0p, 0); f[k++] = ph_feat(2, s0w, 0, 0); f[k++] = ph_feat(3, s0p, 0, 0);
    /* valency */
    f[k++] = ph_feat(33, s0w, s0vr, 0); f[k++] = ph_feat(34, s0p, s0vr, 0);
    f[k++] = ph_feat(35, s0w, s0vl, 0); f[k++] = ph_feat(36, s0p, s0vl, 0);
    /* unigrams of head and children */
    f[k++] = ph_feat(39, WD(s0h), 0, 0); f[k++] = ph_feat(40, PD(s0h), 0, 0);
    f[k++] = ph_feat(41, LB(s0), 0, 0);
    f[k++] = ph_feat(42, WD(s0l), 0, 0); f[k++] = ph_feat(43, PD(s0l), 0, 0); f[k++] = ph_feat(44, LB(s0l), 0, 0);
    f[k++] = ph_feat(45, WD(s0r), 0, 0); f[k++] = ph_feat(46, PD(s0r), 0, 0); f[k++] = ph_feat(47, LB(s0r), 0, 0);
    /* third order */
    f[k++] = ph_feat(52, PD(s0h2), 0, 0); f[k++] = ph_feat(53, LB(s0h), 0, 0);
    f[k++] = ph_feat(55, PD(s0l2), 0, 0); f[k++] = ph_feat(56, LB(s0l2), 0, 0);
    f[k++] = ph_feat(58, PD(s0r2), 0, 0); f[k++] = ph_feat(59, LB(s0r2), 0, 0);
    f[k++] = ph_feat(63, s0p, PD(s0l), PD(s0l2)); f[k++] = ph_feat(64, s0p, PD(s0r), PD(s0r2));
    f[k++] = ph_feat(65, s0p, PD(s0h), PD(s0h2));
    /* label sets */
    f[k++] = ph_feat(67, s0w, s0sr, 0); f[k++] = ph_feat(68, s0p, s0sr, 0);
    f[k++] = ph_feat(69, s0w, s0sl, 0); f[k++] = ph_feat(70, s0p, s0sl, 0);
    /* second stack item, adjacent tags */
    f[k++] = ph_feat(73, s1w, 0, 0); f[k++] = ph_feat(74, s1p, 0, 0); f[k++] = ph_feat(75, s1w, s1p, 0);
    f[k++] = ph_feat(76, s1p, s0p, 0);
    f[k++] = ph_feat(81, s0p, PD(s0a), 0);
    f[k++] = ph_feat(85, s1p, PD(s1r), s0p); f[k++] = ph_feat(86, LB(s1r), s0p, 0);
    return k;
}

/* features that pair the stack with the buffer front (ps_buf_features has
 * the buffer's own, ps_stack_only_features the stack's own) */
static int ps_stack_buf_features(const pstate *st, uint64_t *f) {
    const int n = st->n;
    const uint64_t *W = st->W, *P = st->P;
    int s0 = st->sp > 0 ? st->stack[st->sp - 1] : -1;
    int s1 = st->sp > 1 ? st->stack[st->sp - 2] : -1;
    int n0 = st->b <= n ? st->b : -1, n1 = st->b + 1 <= n ? st->b + 1 : -1;
    int s0h = s0 > 0 && st->head[s0] >= 0 ? st->head[s0] : -1;
    int s0l = KID(lc1, s0), s0r = KID(rc1, s0);
    int n0l = KID(lc1, n0), n0l2 = KID(lc2, n0);
    int s0a = s0 >= 1 && s0 + 1 <= n ? s0 + 1 : -1;   /* word right after s0 */
    int n0b = n0 > 1 ? n0 - 1 : -1;                  /* word right before n0 */
    uint64_t s0w = WD(s0), s0p = PD(s0), n0w = WD(n0), n0p = PD(n0), n1p = PD(n1);
    uint64_t s1p = PD(s1);
    uint64_t d = s0 >= 0 && n0 > 0 ? (uint64_t)dist_bucket(n0 - s0) : 0;
    uint64_t n0vl = n0 > 0 ? (uint64_t)st->nl[n0] : 99;
    uint64_t n0sl = n0 > 0 ? st->lset[n0] : 1ull << 63;
    int k = 0;
    /* pairs */
    f[k++] = ph_feat(14, s0w, s0p, n0w); f[k++] = ph_feat(16, s0w, s0p, n0p);
    f[k++] = ph_feat(17, s0p, n0w, n0p); f[k++] = ph_feat(18, s0w, n0w, 0);
    f[k++] = ph_feat(19, s0p, n0p, 0);
    /* three tags */
    f[k++] = ph_feat(22, s0p, n0p, n1p);
    f[k++] = ph_feat(23, PD(s0h), s0p, n0p); f[k++] = ph_feat(24, s0p, PD(s0l), n0p);
    f[k++] = ph_feat(25, s0p, PD(s0r), n0p); f[k++] = ph_feat(26, s0p, n0p, PD(n0l));
    /* distance */
    f[k++] = ph_feat(27, s0w, d, 0); f[k++] = ph_feat(28, s0p, d, 0);
    f[k++] = ph_feat(30, n0p, d, 0); f[k++] = ph_feat(32, s0p, n0p, d);
    /* valency, children and label set of the buffer front (they change with LEFT) */
    f[k++] = ph_feat(38, n0p, n0vl, 0);
    f[k++] = ph_feat(48, WD(n0l), 0, 0); f[k++] = ph_feat(49, PD(n0l), 0, 0); f[k++] = ph_feat(50, LB(n0l), 0, 0);
    f[k++] = ph_feat(61, PD(n0l2), 0, 0); f[k++] = ph_feat(62, LB(n0l2), 0, 0);
    f[k++] = ph_feat(66, n0p, PD(n0l), PD(n0l2));
    f[k++] = ph_feat(72, n0p, n0sl, 0);
    /* second stack item and adjacent tags with the buffer */
    f[k++] = ph_feat(77, s1p, s0p, n0p);
    f[k++] = ph_feat(83, s0p, PD(s0a), n0p); f[k++] = ph_feat(84, s0p, PD(n0b), n0p);
    f[k++] = ph_feat(90, s0p, n0p, LB(s0)); f[k++] = ph_feat(91, s1p, n0p, 0);
    return k;
}
#undef WD
#undef PD
#undef LB
#undef KID

/* features of the state that depend on the stack (ps_buf_features has the rest) */
static int ps_stack_features(const pstate *st, uint64_t *f) {
    int k = ps_stack_only_features(st, f);
    return k + ps_stack_buf_features(st, f + k);
}

/* features that depend only on the buffer front: unchanged by LEFT and REDUCE,
 * so their scores are reused until the buffer moves */
static int ps_buf_features(const pstate *st, uint64_t *f) {
    const int n = st->n, b = st->b;
    const uint64_t *W = st->W, *P = st->P;
#define WD(x) ((x) <= n ? W[x] : W_NONE)
#define PD(x) ((x) <= n ? P[x] : 0)
    uint64_t n0w = WD(b), n0p = PD(b), n1w = WD(b + 1), n1p = PD(b + 1);
    uint64_t n2w = WD(b + 2), n2p = PD(b + 2), n3p = PD(b + 3), n0bp = b > 1 ? P[b - 1] : 0;
#undef WD
#undef PD
    int k = 0;
    f[k++] = ph_feat(0, 0, 0, 0);
    f[k++] = ph_feat(4, n0w, n0p, 0); f[k++] = ph_feat(5, n0w, 0, 0); f[k++] = ph_feat(6, n0p, 0, 0);
    f[k++] = ph_feat(7, n1w, n1p, 0); f[k++] = ph_feat(8, n1w, 0, 0); f[k++] = ph_feat(9, n1p, 0, 0);
    f[k++] = ph_feat(10, n2w, n2p, 0); f[k++] = ph_feat(11, n2w, 0, 0); f[k++] = ph_feat(12, n2p, 0, 0);
    f[k++] = ph_feat(20, n0p, n1p, 0); f[k++] = ph_feat(21, n0p, n1p, n2p);
    f[k++] = ph_feat(79, n3p, 0, 0); f[k++] = ph_feat(80, n1p, n2p, n3p);
    f[k++] = ph_feat(82, n0bp, n0p, 0);
    f[k++] = ph_feat(87, n0w, n1w, 0); f[k++] = ph_feat(88, n0p, n1w, 0); f[k++] = ph_feat(89, n0w, n1p, 0);
    return k;
}

/* all the features of a state (training) */
static int ps_features(const pstate *st, uint64_t *f) {
    int k = ps_buf_features(st, f);
    return k + ps_stack_features(st, f + k);
}

/* best legal action by score */
static int best_action(const int *ok, const int32_t *isc, const float *fsc) {
    int best = -1;
    double bs = 0;
    for (int a = 0; a < 4; a++) {
        if (!ok[a]) continue;
        double v = isc ? (double)isc[a] : (double)fsc[a];
        if (best < 0 || v > bs) { best = a; bs = v; }
    }
    return best;
}

/* best label other than the root's by score */
static int best_label(int L, int rootlab, const int32_t *isc, const float *fsc) {
    int best = -1;
    double bs = 0;
    for (int l = 0; l < L; l++) {
        if (l == rootlab) continue;
        double v = isc ? (double)isc[l] : (double)fsc[l];
        if (best < 0 || v > bs) { best = l; bs = v; }
    }
    return best < 0 ? 0 : best;
}

/* features of the label of a new arc from head h (>= 1) to dependent d */
static int lab_features(const pstate *st, int h, int d, uint64_t *f) {
    const int n = st->n;
    const uint64_t *W = st->W, *P = st->P;
#define WD(x) ((x) < 0 || (x) > n ? W_NONE : W[x])
#define PD(x) ((x) < 0 || (x) > n ? 0 : P[x])
    uint64_t hw = W[h], hp = P[h], dw = W[d], dp = P[d];
    uint64_t dir = d < h ? 1 : 2, dd = dir << 4 | (uint64_t)dist_bucket(d < h ? h - d : d - h);
    int dl = st->lc1[d] ? st->lc1[d] : -1, dr = st->rc1[d] ? st->rc1[d] : -1;
    int hh = st->head[h] >= 0 ? st->head[h] : -1;
    uint64_t hl = (uint64_t)st->lab[h];
    int k = 0;
    f[k++] = ph_feat(200, 0, 0, 0);
    f[k++] = ph_feat(201, hp, dp, dir); f[k++] = ph_feat(202, hw, dp, dir);
    f[k++] = ph_feat(203, hp, dw, dir); f[k++] = ph_feat(204, hw, dw, dir);
    f[k++] = ph_feat(205, dw, dir, 0); f[k++] = ph_feat(206, dp, dir, 0);
    f[k++] = ph_feat(207, hw, dir, 0); f[k++] = ph_feat(208, hp, dir, 0);
    f[k++] = ph_feat(209, hp, dp, dd);
    f[k++] = ph_feat(210, dp, st->lset[d], dir); f[k++] = ph_feat(211, dp, st->rset[d], dir);
    f[k++] = ph_feat(212, hp, st->lset[h], dir); f[k++] = ph_feat(213, hp, st->rset[h], dir);
    f[k++] = ph_feat(214, dp, WD(dl), dir); f[k++] = ph_feat(215, hp, dp, PD(dl));
    f[k++] = ph_feat(216, hw, WD(dl), dir); f[k++] = ph_feat(217, dp, PD(dr), dir);
    f[k++] = ph_feat(218, dp, PD(d - 1), PD(d + 1)); f[k++] = ph_feat(219, hp, PD(h - 1), PD(h + 1));
    f[k++] = ph_feat(220, hl, hp, dp); f[k++] = ph_feat(221, PD(hh), hp, dp);
    f[k++] = ph_feat(222, dp, WD(d + 1), dir); f[k++] = ph_feat(223, WD(d - 1), dp, dir);
    f[k++] = ph_feat(224, hp, dp, (uint64_t)(st->nl[h] * 8 + st->nr[h]) << 2 | dir);
    f[k++] = ph_feat(225, dw, dp, (uint64_t)st->nl[d] << 2 | dir);
#undef WD
#undef PD
    return k;
}

static void finish(pstate *st, int rootlab, int deplab) {
    int root = st->rc1[0] > 0 && st->root_done ? st->rc1[0] : -1;
    for (int i = 1; i <= st->n; i++) {
        if (st->head[i] >= 0) continue;
        if (root < 0) { root = i; st->head[i] = 0; st->lab[i] = rootlab + 1; }
        else { st->head[i] = root; st->lab[i] = deplab + 1; }
    }
}

/* Parse n words (see parse_int.h). Reads only p; writes head[], label[] and scratch. */
void parser_parse(const parser_model *p, const tg_word *w, const uint64_t *tag, int n,
                  int32_t *head, uint16_t *label, void *scratch) {
    pstate st;
    ps_init(&st, n, scratch);
    for (int i = 1; i <= n; i++) { st.W[i] = ph_str(w[i - 1].lower, w[i - 1].lower_len); st.P[i] = tag[i - 1]; }
    int L = (int)p->nlabel, ok[4];
    uint64_t f[PS_NFEAT];
    int32_t sc[LM_SCORES];
    int32_t bsc[AM_NCLASS] = { 0 }, ssc[AM_NCLASS];
    int bscored = -1;
    /* scores of the stack-only features by stack state, this sentence only */
    enum { NSC = 128 };
    struct { stack_key k; int32_t sc[AM_NCLASS]; } scache[NSC];
    memset(scache, 0xff, sizeof scache); /* empty: s0 -1 (the stack always holds ROOT) */
    while (st.b <= n) {
        if (bscored != st.b) { am_score(&p->arc, f, ps_buf_features(&st, f), bsc); bscored = st.b; }
        stack_key k = ps_stack_key(&st);
        unsigned slot = ((unsigned)k.s0 * 31u + (unsigned)k.s1 * 7u + (unsigned)k.v0 * 13u + (unsigned)k.v1) & (NSC - 1);
        if (!memcmp(&scache[slot].k, &k, sizeof k)) memcpy(ssc, scache[slot].sc, sizeof ssc);
        else {
            am_score(&p->arc, f, ps_stack_only_features(&st, f), ssc);
            scache[slot].k = k;
            memcpy(scache[slot].sc, ssc, sizeof ssc);
        }
        am_score(&p->arc, f, ps_stack_buf_features(&st, f), sc);
        for (int a = 0; a < AM_NCLASS; a++) sc[a] += bsc[a] + ssc[a];
        legal(&st, ok);
        int a = best_action(ok, sc, NULL), l = 0;
        if (a == A_LEFT || a == A_RIGHT) {
            int s0 = st.stack[st.sp - 1];
            if (a == A_RIGHT && s0 == 0) l = p->root_label;
            else {
                int nf = a == A_LEFT ? lab_features(&st, st.b, s0, f) : lab_features(&st, s0, st.b, f);
                lm_score(&p->m, f, nf, sc);
                if (L > 1 && p->root_label >= 0 && p->root_label < L) {
                    sc[p->root_label] = INT32_MIN; /* the root's label is for arcs from the root */
                    l = i32_argmax(sc, L);
                } else l = best_label(L, p->root_label, sc, NULL);
            }
        }
        apply(&st, a, l);
    }
    int obj = p->lab_obj, iobj = p->lab_iobj;
    finish(&st, p->root_label, p->lab_dep >= 0 ? p->lab_dep : p->root_label);
    /* a verb has one direct object: of two objects after it ("gave the mayor
     * a letter"), the first is the indirect one */
    if (obj >= 0 && iobj >= 0)
        for (int i = 1; i <= n; i++) {
            if (st.lab[i] != obj + 1 || st.head[i] <= 0 || i < st.head[i]) continue;
            for (int j = i + 1; j <= n; j++)
                if (st.head[j] == st.head[i] && st.lab[j] == obj + 1) { st.lab[i] = iobj + 1; break; }
        }
    /* a passive subject needs a passive verb: under a verb with a direct
     * object and no passive auxiliary ("police arrested hundreds", with the
     * verb mistagged VBN) it is the active subject. Headlines keep theirs
     * ("Five killed in blast": no object). */
    if (obj >= 0 && p->lab_nsubj >= 0 && p->lab_nsubjpass >= 0)
        for (int i = 1; i <= n; i++) {
            int h = st.head[i], hasobj = 0, hasaux = 0;
            if (st.lab[i] != p->lab_nsubjpass + 1 || h <= 0) continue;
            for (int j = 1; j <= n; j++) {
                if (st.head[j] != h) continue;
                if (st.lab[j] == obj + 1) hasobj = 1;
                if (p->lab_auxpass >= 0 && st.lab[j] == p->lab_auxpass + 1) hasaux = 1;
            }
            if (hasobj && !hasaux) st.lab[i] = p->lab_nsubj + 1;
        }
    for (int i = 1; i <= n; i++) { head[i - 1] = st.head[i]; label[i - 1] = (uint16_t)(st.lab[i] - 1); }
}

/* Point p at the parser sections of view v (borrowed). 0 or SITREP_EFORMAT. */
int parser_load(parser_model *p, const pm_view *v, char *err, size_t errlen) {
    memset(p, 0, sizeof *p);
    if (v->kind != PM_KIND_PARSER || pm_view_lm(v, &p->m) || pm_view_am(v, &p->arc)) goto bad;
    const char *s = v->sec[PM_SEC_NAMES], *e = s + v->len[PM_SEC_NAMES];
    if (!s) goto bad;
    p->root_label = -1;
    while (s < e && p->nlabel < PM_MAX_LABELS) {
        const char *z = memchr(s, 0, (size_t)(e - s));
        if (!z || z - s >= 24) goto bad;
        memcpy(p->label[p->nlabel], s, (size_t)(z - s + 1));
        p->label_dep[p->nlabel] = (uint8_t)deprel_from_name(p->label[p->nlabel]);
        if (!strcmp(p->label[p->nlabel], "root")) p->root_label = (int)p->nlabel;
        p->nlabel++;
        s = z + 1;
    }
    if (p->root_label < 0 || p->m.nclass != p->nlabel) goto bad;
    p->lab_dep = p->lab_obj = p->lab_iobj = p->lab_nsubj = p->lab_nsubjpass = p->lab_auxpass = -1;
    for (int l = 0; l < (int)p->nlabel; l++) {
        const char *nm = p->label[l];
        if (!strcmp(nm, "dep")) p->lab_dep = l;
        else if (!strcmp(nm, "obj")) p->lab_obj = l;
        else if (!strcmp(nm, "iobj")) p->lab_iobj = l;
        else if (!strcmp(nm, "nsubj")) p->lab_nsubj = l;
        else if (!strcmp(nm, "nsubj:pass")) p->lab_nsubjpass = l;
        else if (!strcmp(nm, "aux:pass")) p->lab_auxpass = l;
    }
    return 0;
bad:
    snprintf(err, errlen, "parser model: malformed");
    return SITREP_EFORMAT;
}

/* ---------------------------------------------------------------- training */
/* dynamic-oracle costs of the four actions (Goldberg & Nivre 2012) */
static void costs(const pstate *st, const int *gh, int *cost) {
    int s0 = st->stack[st->sp - 1], b = st->b, n = st->n;
    int c;
    /* LEFT: s0 loses heads in the buffer beyond b and dependents in the buffer */
    c = 0;
    if (s0 > 0) {
        if (gh[s0] > b) c++;
        for (int k = b; k <= n; k++) if (gh[k] == s0) c++;
    }
    cost[A_LEFT] = c;
    /* REDUCE: s0 loses its dependents in the buffer */
    c = 0;
    if (s0 > 0) for (int k = b; k <= n; k++) if (gh[k] == s0) c++;
    cost[A_REDUCE] = c;
    if (b > n) { cost[A_SHIFT] = cost[A_RIGHT] = 0; return; }
    /* RIGHT: b loses heads other than s0 and headless dependents on the stack */
    c = 0;
    if (gh[b] != s0 && (gh[b] > b || st->instack[gh[b]])) c++;
    for (int i = 0; i < st->sp; i++) {
        int k = st->stack[i];
        if (k > 0 && gh[k] == b && st->head[k] < 0) c++;
    }
    cost[A_RIGHT] = c;
    /* SHIFT: b loses heads and headless dependents on the stack */
    c = st->instack[gh[b]] ? 1 : 0;
    for (int i = 0; i < st->sp; i++) {
        int k = st->stack[i];
        if (k > 0 && gh[k] == b && st->head[k] < 0) c++;
    }
    cost[A_SHIFT] = c;
}

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

typedef struct ps_train {
    char labels[PM_MAX_LABELS][24];
    int L, rootlab, deplab;
    int *glab;          /* per token gold label */
    size_t ntoks;       /* training tokens */
} ps_train;

static int label_id(ps_train *pt, const char *name) {
    for (int l = 0; l < pt->L; l++) if (!strcmp(pt->labels[l], name)) return l;
    if (pt->L >= PM_MAX_LABELS || strlen(name) >= 24) return -1;
    strcpy(pt->labels[pt->L], name);
    return pt->L++;
}

static int ps_image(const ps_train *pt, const lt *arc, const lt *t, void **img, size_t *len) {
    pm_writer w;
    memset(&w, 0, sizeof w);
    w.kind = PM_KIND_PARSER;
    size_t nl = 0;
    for (int l = 0; l < pt->L; l++) nl += strlen(pt->labels[l]) + 1;
    char *names = malloc(nl + 1), *q = names;
    if (!names) return -1;
    for (int l = 0; l < pt->L; l++) {
        size_t k = strlen(pt->labels[l]) + 1;
        memcpy(q, pt->labels[l], k);
        q += k;
    }
    pm_set(&w, PM_SEC_NAMES, names, nl);
    double prune = prune_threshold("SITREP_PRUNE_PARSER", 1.0) * prune_scale(pt->ntoks);
    /* the transition table is capped at 2^21 slots (16 MB), the weakest features dropped */
    double slots = prune_threshold("SITREP_ARC_SLOTS", (double)(1u << 21));
    if (pm_set_am(&w, arc, prune, (uint32_t)slots) || pm_set_lt(&w, t, prune) || pm_image(&w, img, len)) { pm_writer_free(&w); return -1; }
    return 0;
}

/* UAS/LAS of an image on corpus d with tags dt (full labels compared) */
static int ps_eval(const void *img, size_t len, const cu_corpus *d, const uint64_t *dt,
                   double *uas, double *las) {
    pm_view v;
    parser_model m;
    char err[128];
    if (pm_view_init(&v, img, len, err, sizeof err) || parser_load(&m, &v, err, sizeof err)) return -1;
    size_t maxn = 1, ok = 0, okl = 0;
    for (size_t s = 0; s < d->nsents; s++) if (d->sents[s].n > maxn) maxn = d->sents[s].n;
    tg_word *w = malloc(maxn * sizeof *w);
    int32_t *h = malloc(maxn * sizeof *h);
    uint16_t *lb = malloc(maxn * sizeof *lb);
    void *scr = malloc(parser_scratch_size((int)maxn));
    if (!w || !h || !lb || !scr) { free(w); free(h); free(lb); free(scr); return -1; }
    for (size_t s = 0; s < d->nsents; s++) {
        const cu_sent *se = &d->sents[s];
        for (uint32_t i = 0; i < se->n; i++) {
            const cu_tok *tk = &d->toks[se->first + i];
            w[i].norm = tk->form; w[i].norm_len = tk->form_len;
            w[i].lower = tk->lower; w[i].lower_len = tk->lower_len;
        }
        parser_parse(&m, w, dt + se->first, (int)se->n, h, lb, scr);
        for (uint32_t i = 0; i < se->n; i++) {
            const cu_tok *tk = &d->toks[se->first + i];
            if (h[i] == tk->head) { ok++; if (!strcmp(m.label[lb[i]], tk->deprel)) okl++; }
        }
    }
    *uas = d->ntoks ? 100.0 * (double)ok / (double)d->ntoks : 0;
    *las = d->ntoks ? 100.0 * (double)okl / (double)d->ntoks : 0;
    free(w); free(h); free(lb); free(scr);
    return 0;
}

/* One sentence of training: the transition model arc learns from the dynamic
 * oracle; the label model lab learns the gold label of every gold arc made. */
static int train_sentence(lt *arc, lt *lab, const ps_train *pt, const cu_corpus *c, const cu_sent *se,
                          const uint64_t *tags, int explore, uint64_t *seed, void *scratch,
                          int *gh, size_t *okc, size_t *total) {
    pstate st;
    int n = (int)se->n, L = pt->L, ok[4], cost[4];
    ps_init(&st, n, scratch);
    for (int i = 1; i <= n; i++) {
        const cu_tok *tk = &c->toks[se->first + i - 1];
        st.W[i] = ph_str(tk->lower, tk->lower_len);
        st.P[i] = tags[se->first + i - 1];
        gh[i] = tk->head;
    }
    gh[0] = -1;
    uint64_t f[PS_NFEAT];
    float sc[PM_MAX_CLASSES];
    while (st.b <= n) {
        int nf = ps_features(&st, f);
        lt_score(arc, f, nf, sc);
        legal(&st, ok);
        costs(&st, gh, cost);
        int pred = best_action(ok, NULL, sc);
        /* the best-scoring minimum-cost action */
        int best = -1;
        for (int a = 0; a < 4; a++)
            if (ok[a] && (best < 0 || cost[a] < cost[best] || (cost[a] == cost[best] && sc[a] > sc[best]))) best = a;
        if (cost[pred] > cost[best]) {
            if (lt_update(arc, f, nf, (uint32_t)best, 1.0f) || lt_update(arc, f, nf, (uint32_t)pred, -1.0f)) return -1;
        } else (*okc)++;
        (*total)++;
        arc->c += 1;
        int next = best;
        if (explore && cost[pred] > cost[best] && rng_next(seed) % 10 < 9) next = pred;
        int l = 0, s0 = st.stack[st.sp - 1];
        if (next == A_RIGHT && s0 == 0) l = pt->rootlab;
        else if (next == A_LEFT || next == A_RIGHT) {
            int h = next == A_LEFT ? st.b : s0, d = next == A_LEFT ? s0 : st.b;
            nf = lab_features(&st, h, d, f);
            lt_score(lab, f, nf, sc);
            l = best_label(L, pt->rootlab, NULL, sc);
            if (gh[d] == h) {
                int gold = pt->glab[se->first + d - 1];
                if (gold == pt->rootlab) gold = pt->deplab;
                if (l != gold) {
                    if (lt_update(lab, f, nf, (uint32_t)gold, 1.0f) || lt_update(lab, f, nf, (uint32_t)l, -1.0f)) return -1;
                    if (!explore || rng_next(seed) % 10 >= 9) l = gold;
                }
                lab->c += 1;
            }
        }
        apply(&st, next, l);
    }
    return 0;
}

/* Train on c with tags (jack-knifed hashes), keeping the iteration with the best dev
 * LAS; the image (caller frees) goes to *img. 0 or SITREP_E*, message in err. */
int parser_train(const cu_corpus *c, const uint64_t *tags, const cu_corpus *dev,
                 const uint64_t *devtags, int iterations, FILE *log, void **img, size_t *imglen,
                 char *err, size_t errlen) {
    ps_train pt;
    lt t, arc;
    memset(&pt, 0, sizeof pt);
    memset(&t, 0, sizeof t);
    memset(&arc, 0, sizeof arc);
    uint32_t *order = NULL;
    int *gh = NULL;
    void *scratch = NULL, *best = NULL;
    size_t bestlen = 0, maxn = 1;
    double bestlas = -1;
    int rc = SITREP_ENOMEM;
    *img = NULL;
    if (!c->nsents) { snprintf(err, errlen, "no training sentences"); return SITREP_EINVAL; }
    pt.ntoks = c->ntoks;
    pt.glab = malloc(c->ntoks * sizeof *pt.glab);
    order = malloc(c->nsents * sizeof *order);
    if (!pt.glab || !order) goto done;
    pt.rootlab = label_id(&pt, "root");
    for (size_t i = 0; i < c->ntoks; i++) {
        pt.glab[i] = label_id(&pt, c->toks[i].deprel);
        if (pt.glab[i] < 0) { snprintf(err, errlen, "too many dependency labels"); rc = SITREP_EINVAL; goto done; }
    }
    pt.deplab = label_id(&pt, "dep");
    for (size_t s = 0; s < c->nsents; s++) { order[s] = (uint32_t)s; if (c->sents[s].n > maxn) maxn = c->sents[s].n; }
    gh = malloc((maxn + 2) * sizeof *gh);
    scratch = malloc(parser_scratch_size((int)maxn));
    if (!gh || !scratch || lt_init(&arc, AM_NCLASS) || lt_init(&t, (uint32_t)pt.L)) goto done;
    uint64_t seed = 0x2545f4914f6cdd1dull;
    if (iterations <= 0) iterations = 12;
    for (int it = 0; it < iterations; it++) {
        for (size_t s = c->nsents; s > 1; s--) {
            size_t j = rng_next(&seed) % s;
            uint32_t x = order[s - 1]; order[s - 1] = order[j]; order[j] = x;
        }
        size_t okc = 0, total = 0;
        for (size_t si = 0; si < c->nsents; si++)
            if (train_sentence(&arc, &t, &pt, c, &c->sents[order[si]], tags, it > 0, &seed, scratch, gh, &okc, &total))
                goto done;
        void *im;
        size_t il;
        if (ps_image(&pt, &arc, &t, &im, &il)) goto done;
        double uas = 0, las = 0;
        const int has_dev = dev && dev->ntoks;
        if (has_dev && ps_eval(im, il, dev, devtags, &uas, &las)) { free(im); goto done; }
        if (log) {
            fprintf(log, "parser iteration %d: train transitions %.2f%% right", it + 1,
                    100.0 * (double)okc / (double)(total ? total : 1));
            if (has_dev) fprintf(log, ", dev UAS %.2f LAS %.2f", uas, las);
            fprintf(log, " (%zu + %zu features)\n", arc.count, t.count);
            fflush(log);
        }
        if (!has_dev || las > bestlas) { bestlas = las; free(best); best = im; bestlen = il; }
        else free(im);
    }
    *img = best;
    *imglen = bestlen;
    best = NULL;
    rc = 0;
done:
    if (rc == SITREP_ENOMEM) snprintf(err, errlen, "out of memory training the parser");
    free(best);
    lt_free(&t);
    lt_free(&arc);
    free(pt.glab);
    free(order);
    free(gh);
    free(scratch);
    return rc;
}
