/* sitrep.h - the one public header of libsitrep.
 *
 * sitrep turns dated news articles into political events: who did what to
 * whom, when and where (CAMEO and PLOVER codes, Goldstein scores, places).
 *
 * Conventions
 * - Every loaded resource hangs off a sitrep_ctx (read-only after
 *   sitrep_ctx_new, shareable between threads). Transient per-article state
 *   lives in a sitrep_doc (one per thread), reset by each call that fills it.
 * - Strings are UTF-8. Inputs are (pointer, length); outputs are NUL-ended.
 * - Functions return SITREP_OK (0) or a negative SITREP_E* status; the message
 *   is kept on the handle (sitrep_ctx_errmsg / sitrep_doc_errmsg).
 * - Ownership is written at each declaration. Pointers returned by accessors
 *   are borrowed and stay valid until the owning handle is reset or freed.
 * - The library never exits or aborts the process, on bad input or on OOM. */
#ifndef SITREP_H
#define SITREP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SITREP_BUILDING) && defined(__GNUC__)
#define SITREP_API __attribute__((visibility("default")))
#else
#define SITREP_API
#endif

#define SITREP_VERSION "0.1.0"

enum sitrep_status {
    SITREP_OK = 0,
    SITREP_EINVAL = -1,   /* bad argument or bad input (message says which) */
    SITREP_ENOMEM = -2,   /* out of memory */
    SITREP_EIO = -3,      /* file could not be read or written */
    SITREP_ELIMIT = -4,   /* input over a hard limit */
    SITREP_EFORMAT = -5,  /* malformed file (message carries FILE:LINE) */
    SITREP_EDB = -6       /* database error */
};

/* Hard limits against hostile input (each has a test). */
#define SITREP_MAX_ARTICLE_BYTES (16u * 1024u * 1024u) /* longer articles are rejected */
#define SITREP_MAX_SENTENCE_TOKENS 400u                /* longer sentences are cut into chunks */
#define SITREP_MAX_ARTICLE_TOKENS 1000000u           /* articles with more tokens are rejected */
#define SITREP_MAX_LINE_BYTES (32u * 1024u * 1024u)    /* one JSON line / dictionary line */

/* ------------------------------------------------------------------ context */
typedef struct sitrep_ctx sitrep_ctx;

typedef struct sitrep_options {
    const char *kb_dir;            /* our knowledge base; NULL = the installed one */
    const char *models_dir;        /* tagger/parser models; NULL = installed; "" = none */
    const char *gazetteer;         /* compiled gazetteer file; NULL = installed; "" = none */
    /* PETRARCH-2 (or -1) dictionaries, used instead of kb_dir's actors and verbs */
    const char *petrarch_verbs;
    const char *petrarch_actors;   /* comma-separated list of files */
    const char *petrarch_agents;
    const char *petrarch_discards;
    const char *tabari_project;    /* TABARI .project file: its dictionaries and options */
    int include_negated;           /* 1: emit negated events, flagged "negated" (default: drop) */
} sitrep_options;

/* Load everything `opt` names (NULL opt = all defaults). Always returns a
 * handle unless memory runs out (then NULL); check sitrep_ctx_status. The caller
 * owns the handle: sitrep_ctx_free. */
SITREP_API sitrep_ctx *sitrep_ctx_new(const sitrep_options *opt);
SITREP_API void sitrep_ctx_free(sitrep_ctx *ctx); /* accepts NULL */
SITREP_API int sitrep_ctx_status(const sitrep_ctx *ctx);
/* Last error on the context, "" if none. Borrowed. */
SITREP_API const char *sitrep_ctx_errmsg(const sitrep_ctx *ctx);
/* Non-fatal warnings from loading (duplicate entries and the like), one per
 * line, "" if none. Borrowed. */
SITREP_API const char *sitrep_ctx_warnings(const sitrep_ctx *ctx);
/* Where the defaults live (compiled-in, or $SITREP_HOME). Borrowed. */
SITREP_API const char *sitrep_default_home(void);
SITREP_API const char *sitrep_version(void);

/* ------------------------------------------------------------------ articles */
typedef struct sitrep_article {
    const char *id;   size_t id_len;
    const char *date; /* "YYYY-MM-DD" or NULL */
    const char *text; size_t text_len;
    const char *title, *url, *source;   /* may be NULL */
    const uint32_t *spans; size_t nspans; /* [start,end) byte pairs, 2*nspans values */
    const char *file; long line;        /* where it came from, for messages */
} sitrep_article;

typedef struct sitrep_reader sitrep_reader;
enum sitrep_input { SITREP_INPUT_AUTO = 0, SITREP_INPUT_TEXT, SITREP_INPUT_JSONL };

/* Open `path` ("-" = standard input) for reading articles. `default_date`
 * (may be NULL) is used for text without a date header. Returns NULL only on
 * OOM; an unreadable file is reported by the first sitrep_reader_next. Caller
 * owns the reader: sitrep_reader_free. */
SITREP_API sitrep_reader *sitrep_reader_open(const char *path, int input, const char *default_date);
/* Read the next article into *out (borrowed until the next call). Returns 1
 * for an article, 0 at end, SITREP_E* when a record was rejected: the message
 * (FILE:LINE: reason) is in sitrep_reader_errmsg and reading may continue. */
SITREP_API int sitrep_reader_next(sitrep_reader *r, sitrep_article *out);
SITREP_API const char *sitrep_reader_errmsg(const sitrep_reader *r);
SITREP_API void sitrep_reader_free(sitrep_reader *r); /* accepts NULL */

/* ------------------------------------------------------------------ coding */
typedef struct sitrep_doc sitrep_doc;

typedef struct sitrep_actor {
    const char *code;    /* "" when uncoded */
    const char *text;    /* the words in the sentence */
    const char *name;    /* dictionary name of the actor, or "" */
    const char *rule;    /* kb file:line that gave the code, or "" */
    uint32_t start, end; /* byte span in the article text (0,0 if none) */
} sitrep_actor;

typedef struct sitrep_quantity {
    double value;
    const char *unit;    /* "day", "person", ... or "" */
    const char *what;    /* the noun it counts ("hostages", "ceasefire") */
} sitrep_quantity;

typedef struct sitrep_place {
    const char *text;    /* the mention */
    uint32_t start, end; /* byte span in the article text */
    const char *name;    /* gazetteer name, "" if unresolved */
    long geonameid;      /* 0 if unresolved */
    double lat, lon;
    char country_code[3];/* ISO 3166-1 alpha-2 */
    char feature_code[8];
    const char *admin1;
} sitrep_place;

typedef struct sitrep_event {
    const char *article_id;
    int sentence;                 /* sentence index in the article */
    const char *date;             /* "YYYY-MM-DD" */
    sitrep_actor source, target;
    char cameo[5], root[3];
    double goldstein;
    int quad_class;               /* 1 verbal coop .. 4 material conflict */
    const char *plover_type, *plover_mode;
    const sitrep_place *location; /* NULL when no trustworthy place */
    int negated;                  /* 1 when the verb is negated */
    const char *modality;         /* "", "threat", "intent", "refusal", ... */
    const char *verb_text;        /* the words that matched */
    uint32_t verb_start, verb_end;
    const char *rule;             /* kb file:line of the pattern that fired */
    const char *sentence_text;
    uint32_t sent_start, sent_end;
    const sitrep_quantity *quantities;
    int nquantities;
} sitrep_event;

/* A reusable document handle for one thread. Caller owns: sitrep_doc_free. */
SITREP_API sitrep_doc *sitrep_doc_new(void);
SITREP_API void sitrep_doc_free(sitrep_doc *d); /* accepts NULL */
SITREP_API const char *sitrep_doc_errmsg(const sitrep_doc *d);

/* Per-stage timing (for benchmarks): when on, each call adds the time spent
 * in each stage to counters kept across articles. */
enum sitrep_stage {
    SITREP_STAGE_REPAIR = 0, /* UTF-8 validation and copy */
    SITREP_STAGE_SEGMENT,    /* sentences and tokens */
    SITREP_STAGE_PARSE,      /* tagger and parser */
    SITREP_STAGE_ACTORS,     /* actor phrases */
    SITREP_STAGE_PLACES,     /* gazetteer lookup and resolution */
    SITREP_STAGE_EVENTS,     /* patterns, roles, events */
    SITREP_NSTAGES
};
SITREP_API void sitrep_doc_timing(sitrep_doc *d, int on);
/* Seconds spent in each stage since timing was turned on. */
SITREP_API void sitrep_doc_stage_seconds(const sitrep_doc *d, double out[SITREP_NSTAGES]);

/* Code one article into events (resets `d` first). The article is copied.
 * Returns SITREP_OK or SITREP_E* (message on d). */
SITREP_API int sitrep_code(const sitrep_ctx *ctx, sitrep_doc *d, const sitrep_article *a);
/* Segment (and tag and parse) one article without coding it (resets `d`). */
SITREP_API int sitrep_segment(const sitrep_ctx *ctx, sitrep_doc *d, const sitrep_article *a);
SITREP_API size_t sitrep_doc_nevents(const sitrep_doc *d);
SITREP_API const sitrep_event *sitrep_doc_event(const sitrep_doc *d, size_t i); /* borrowed */
SITREP_API size_t sitrep_doc_nsentences(const sitrep_doc *d);
SITREP_API size_t sitrep_doc_ntokens(const sitrep_doc *d);
/* Number of invalid UTF-8 sequences repaired in the last article. */
SITREP_API size_t sitrep_doc_repaired(const sitrep_doc *d);

/* Find and resolve place names (resets `d`). When a->nspans > 0, exactly those
 * spans are resolved, one place each (geonameid 0 where nothing is found). */
SITREP_API int sitrep_places(const sitrep_ctx *ctx, sitrep_doc *d, const sitrep_article *a);
SITREP_API size_t sitrep_doc_nplaces(const sitrep_doc *d);
SITREP_API const sitrep_place *sitrep_doc_place(const sitrep_doc *d, size_t i); /* borrowed */

/* ------------------------------------------------------------------ output */
/* A growable byte buffer owned by the caller: init zeroed, sitrep_buf_free. */
typedef struct sitrep_buf { char *data; size_t len, cap; } sitrep_buf;
SITREP_API void sitrep_buf_free(sitrep_buf *b);
/* Append one byte; SITREP_OK or SITREP_ENOMEM. */
SITREP_API int sitrep_buf_put_char(sitrep_buf *b, char c);

/* Append event i of `d` as one JSON object and a newline (CONTRACT.md shape). */
SITREP_API int sitrep_event_json(const sitrep_doc *d, size_t i, sitrep_buf *out);
/* Append event i as one TSV line; sitrep_tsv_header appends the header line. */
SITREP_API int sitrep_event_tsv(const sitrep_doc *d, size_t i, sitrep_buf *out);
SITREP_API int sitrep_tsv_header(sitrep_buf *out);
/* Append place i of `d` as one JSON object and a newline. */
SITREP_API int sitrep_place_json(const sitrep_doc *d, size_t i, sitrep_buf *out);

/* Code article `a` into `d` (as sitrep_code) and append to `out` a plain-text
 * account: tokens, tags and parse, actor mentions with their kb lines,
 * pattern matches and why each event was or was not produced. */
SITREP_API int sitrep_explain(const sitrep_ctx *ctx, sitrep_doc *d, const sitrep_article *a, sitrep_buf *out);

/* ------------------------------------------------------------------ tokens
 * Read access to the last article's segmentation and parse (for explain). */
typedef struct sitrep_token_view {
    uint32_t start, end, sentence;
    const char *norm, *lemma, *upos, *xpos, *deprel;
    int head;                     /* token index of the head, -1 root */
} sitrep_token_view;
SITREP_API int sitrep_doc_token(const sitrep_doc *d, size_t i, sitrep_token_view *out);
/* The article text as coded (after UTF-8 repair). Borrowed. */
SITREP_API const char *sitrep_doc_text(const sitrep_doc *d, size_t *len);
/* Sentence i's byte span. */
SITREP_API int sitrep_doc_sentence(const sitrep_doc *d, size_t i, uint32_t *start, uint32_t *end);

/* ------------------------------------------------------------------ models */
/* Train the tagger or the parser ("tagger" | "parser") on comma-separated
 * CoNLL-U files, evaluating on `dev`, writing model files into directory
 * `out`. Progress goes to `log` (a FILE*, may be NULL). Message in err. */
SITREP_API int sitrep_train(const char *what, const char *train_files, const char *dev,
                            const char *out, int iterations, void *log, char *err, size_t errlen);
/* Tag and parse `conllu` with gold tokens; write UPOS accuracy, UAS, LAS
 * (percent, punctuation included). On failure err has the message; on
 * success it has the model load time and the tokens per second. */
SITREP_API int sitrep_eval_parse(const char *models_dir, const char *conllu, double *upos,
                                 double *uas, double *las, char *err, size_t errlen);

/* ------------------------------------------------------------------ knowledge base */
/* Lint the knowledge base in `kb_dir`: every problem as FILE:LINE: message,
 * one per line, appended to `out`. Returns the number of errors (>= 0), or a
 * negative status. */
SITREP_API int sitrep_kb_check(const char *kb_dir, sitrep_buf *out);

/* ---- store (store.c) ----
 * An SQLite event store (schema: docs/schema.md). Ingest is idempotent (an
 * article seen again by id or by content hash is skipped) and resumable: the
 * caller adds whole articles inside batches (sitrep_store_begin/commit), so a
 * process killed at any moment leaves only whole, committed batches. Events
 * that report the same happening are merged into clusters as they arrive, in
 * ingest order, so the result depends only on the order of the articles, not
 * on batch boundaries or restarts. A store handle may be used from several
 * threads (calls are serialised by a lock inside). */
typedef struct sitrep_store sitrep_store;

/* Open (creating and migrating if needed) the database at `path`; readonly=1
 * opens an existing database for queries only. Returns NULL only on OOM;
 * check sitrep_store_status. The caller owns the handle: sitrep_store_close
 * (an open batch is rolled back, committed batches are kept). */
SITREP_API sitrep_store *sitrep_store_open(const char *path, int readonly);
SITREP_API void sitrep_store_close(sitrep_store *st); /* accepts NULL */
SITREP_API int sitrep_store_status(const sitrep_store *st);
/* Last error on the store, "" if none. Borrowed. */
SITREP_API const char *sitrep_store_errmsg(const sitrep_store *st);

/* Start / commit one batch (one transaction) of whole articles. */
SITREP_API int sitrep_store_begin(sitrep_store *st);
SITREP_API int sitrep_store_commit(sitrep_store *st);
/* 1 when an article with this id is stored, 0 when not, <0 on error. */
SITREP_API int sitrep_store_has_article(sitrep_store *st, const char *id, size_t id_len);
/* Store article `a` (copied) and its `nev` events (read, not kept), with
 * `nsentences` sentences, inside the open batch (or in a transaction of its
 * own when none is open). Returns 1 when stored, 0 when skipped (same id or
 * same text already stored), <0 on error (message on st; nothing of the
 * article is stored). */
SITREP_API int sitrep_store_add(sitrep_store *st, const sitrep_article *a, size_t nsentences,
                                const sitrep_event *ev, size_t nev);
/* Merge events coded elsewhere (JSON Lines, the `sitrep code` output) from
 * `path`: events are grouped by article_id; an article already stored is
 * skipped; each new one is stored (without its text) with its events. Bad
 * lines are appended to `errors` as FILE:LINE: reason (may be NULL). Returns
 * the number of articles stored (>= 0) or <0 on a database/IO error. */
SITREP_API int sitrep_store_import_events(sitrep_store *st, const char *path, sitrep_buf *errors);
/* Totals (articles, near-duplicates, sentences, events, clusters) and events
 * by CAMEO root and by PLOVER type, as readable text appended to `out`. */
SITREP_API int sitrep_store_summary(sitrep_store *st, sitrep_buf *out);
/* Counters for programs (any pointer may be NULL). */
SITREP_API int sitrep_store_counts(sitrep_store *st, long *articles, long *events, long *clusters);
/* Append the stored article `id` as one JSON Lines input record ({"id",
 * "date", "title", "url", "source", "text"} and a newline) to `out`, e.g. to
 * explain or re-code it. Returns 1 when found, 0 when not, <0 on error. */
SITREP_API int sitrep_store_article_json(sitrep_store *st, const char *id, sitrep_buf *out);

/* Query filters; zero the struct for "everything". Values are bound as SQL
 * parameters, never pasted into SQL text. */
typedef struct sitrep_store_filter {
    const char *since, *until;   /* "YYYY-MM-DD", or "7d", "2w", "3m", "1y":
                                    back from the newest article's date */
    const char *actor;           /* actor codes or prefixes "ISR,PSE", source or target */
    const char *source, *target; /* actor codes or prefixes "RUS,UKRMIL" */
    const char *country;         /* ISO3: actor-code prefix or place country */
    const char *cameo;           /* codes "190,1823": each matches its sub-codes */
    const char *root;            /* roots "18,19,20" */
    const char *plover;          /* PLOVER type (case-insensitive) */
    int quad;                    /* quad class 1..4, 0 = any */
    const char *place;           /* place name or mention (case-insensitive) */
    int use_bbox;                /* bbox = minlon, minlat, maxlon, maxlat */
    double bbox[4];
    const char *text;            /* words that all occur in the sentence */
    int clusters;                /* 1: one row per merged event (cluster) */
    long limit;                  /* 0 = no limit */
} sitrep_store_filter;

enum sitrep_store_format {
    SITREP_FMT_TABLE = 0, SITREP_FMT_TSV, SITREP_FMT_CSV, SITREP_FMT_JSONL, SITREP_FMT_GEOJSON,
    SITREP_FMT_PHOENIX,  /* Phoenix TSV column layout (26 columns, no header) */
    SITREP_FMT_ICEWS     /* ICEWS TSV column layout (20 columns, with header) */
};
/* Receives output chunks; returns 0 to go on, nonzero to stop. */
typedef int (*sitrep_write_fn)(void *ud, const char *data, size_t len);
/* Run a query and write its rows in `format` through `w`. Rows are ordered
 * by date then id. Returns the number of rows (>= 0) or <0 (message on st). */
SITREP_API long sitrep_store_query(sitrep_store *st, const sitrep_store_filter *f, int format,
                                   sitrep_write_fn w, void *ud);

/* Timelines: event counts and mean Goldstein score per day, week (from
 * Monday) or month, in one series or split by quad class or root code. */
typedef struct sitrep_timeline sitrep_timeline;
enum sitrep_tl_bucket { SITREP_TL_DAY = 0, SITREP_TL_WEEK, SITREP_TL_MONTH };
enum sitrep_tl_split { SITREP_TL_ALL = 0, SITREP_TL_QUAD, SITREP_TL_ROOT };
/* Build a timeline of the events matching `f` (f->clusters counts merged
 * events instead of mentions). Returns NULL on error (message on st) or OOM.
 * The caller owns the result: sitrep_timeline_free. */
SITREP_API sitrep_timeline *sitrep_store_timeline(sitrep_store *st, const sitrep_store_filter *f,
                                                  int bucket, int split);
SITREP_API void sitrep_timeline_free(sitrep_timeline *t); /* accepts NULL */
SITREP_API size_t sitrep_timeline_nbuckets(const sitrep_timeline *t);
SITREP_API size_t sitrep_timeline_nseries(const sitrep_timeline *t);
/* CSV: bucket,series,events,goldstein_mean (one line per bucket and series). */
SITREP_API int sitrep_timeline_csv(const sitrep_timeline *t, sitrep_buf *out);
/* Text for a terminal: one sparkline per series (utf8=0: ASCII ramp). */
SITREP_API int sitrep_timeline_text(const sitrep_timeline *t, int utf8, sitrep_buf *out);
/* A standalone SVG chart (axes, labels, legend, mean Goldstein panel). */
SITREP_API int sitrep_timeline_svg(const sitrep_timeline *t, const char *title, sitrep_buf *out);

/* ---- server (http.c) ----
 * The HTTP API and dashboard of `sitrep serve` (docs/api.md): a pool of
 * threads over read-only connections to an event store. */
typedef struct sitrep_server sitrep_server;
typedef struct sitrep_serve_options {
    const char *db;           /* event store path, opened read-only (required) */
    const char *host;         /* address to listen on; NULL = "127.0.0.1" */
    int port;                 /* 0 = any free port (see sitrep_serve_port) */
    const char *web_dir;      /* dashboard files; NULL = sitrep_default_home()/web */
    const sitrep_ctx *ctx;    /* borrowed, for POST /api/code; NULL = that answers 503 */
    int threads;              /* request threads; 0 = one per CPU */
    int max_connections;      /* 0 = 512 */
    int timeout_s;            /* idle connection timeout; 0 = 15 s */
    size_t max_body;          /* POST body limit in bytes; 0 = 64 KiB */
    int verbose;              /* 1: the HTTP library's messages go to stderr */
    int no_cache;             /* 1: compute every answer afresh (no response cache) */
} sitrep_serve_options;
/* Start serving in background threads and return at once; NULL on failure
 * (message in err). `o` is read during the call only; o->ctx must outlive the
 * server. The caller owns the handle: sitrep_serve_stop. */
SITREP_API sitrep_server *sitrep_serve_start(const sitrep_serve_options *o, char *err, size_t errlen);
/* The port the server listens on (the chosen one when o->port was 0). */
SITREP_API int sitrep_serve_port(const sitrep_server *s);
/* Stop serving (waits for requests in progress) and free. Accepts NULL. */
SITREP_API void sitrep_serve_stop(sitrep_server *s);

#ifdef __cplusplus
}
#endif
#endif
