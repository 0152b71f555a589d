/*
 * Shared by store/'s own files only: the statement layer.
 *
 * Every query goes through a struct store_q: a named statement from the connection's
 * cache (store_q_open) or, for SQL assembled at run time from fixed fragments (the
 * Content API's filters), one prepared for the call (store_q_prepare). Parameters are
 * bound with typed binders, rows are read with column readers that copy into an arena,
 * and store_q_end (or one of the helpers that read rows) returns the statement: a cached
 * one is reset, which also ends its read of the database, a per-call one is finalised.
 *
 * Errors travel with the statement. A failed open leaves q inert: binders do nothing,
 * store_q_next returns false, store_q_end returns the open's error (err was set then).
 * A failed bind or step is kept in q and reported once, by store_q_end. So a function
 * opens, binds, reads and ends, and checks one result at the end.
 *
 * Two backends implement it, each a struct store_driver: SQLite (sqlite.c) and PostgreSQL
 * (pg.c), chosen by store_open from the database argument ("postgresql://..." or
 * "postgres://..." is PostgreSQL, anything else a SQLite file). The functions below are
 * the dispatch (driver.c): store/'s other files never ask which backend they run on.
 *
 * Three files include sqlite3.h: sqlite.c (the connection and statements), export.c
 * (SQLite's online backup API and export's rows of any column type, which the statement
 * layer has no use for) and doctor.c (a read-only look at a file store_open would refuse:
 * an older, newer or corrupt one). Only pg.c includes libpq-fe.h. The SQL text lives in
 * sql_sqlite*.h; PostgreSQL runs the same texts with their placeholders renumbered, except
 * the statements sql_pg.h gives a text of its own: the differences, in one place.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include "store/store.h"

#include <pthread.h>
#include <stddef.h>

/* The dialect: the one include a second backend changes (docs/design-notes.md). */
#include "store/sql_sqlite.h"

/* "NEWS": marks the file as ours (PRAGMA application_id) */
#define STORE_APPLICATION_ID 0x4E455753

/* Every named statement, STMT_<NAME>, in the order of STORE_SQL. */
enum store_stmt {
#define STORE_STMT_ENUM(name, sql) STMT_##name,
    STORE_SQL(STORE_STMT_ENUM)
#undef STORE_STMT_ENUM
        STMT__COUNT
};

struct store_driver;
struct store_q;
struct store_listener;

struct store {
    const struct store_driver *drv; /* the backend the path named (store_open) */
    void *db;                       /* the driver's connection: a sqlite3, a struct pg_conn */
    char *path;
    enum store_mode mode;
    bool in_tx;
    bool shared;        /* store_share(): every statement needs store_tx_begin first */
    bool tx_changed;    /* a change row was written in the open transaction */
    bool search_paused; /* store_search_pause: writes leave the index alone */
    /* posts the open transaction publishes (store_note_published), by staff, when due */
    unsigned tx_published, tx_published_due;
    _Atomic uint64_t *stamp; /* mapped from "<db>-stamp": [0] the counter, [1] the head */
    /* held from store_tx_begin to store_tx_end; error-checking, so a relock fails */
    pthread_mutex_t tx_mu;
    struct store_listener *listener; /* store_listen_start's thread (PostgreSQL only) */
    /* the statement cache: prepared on first use, finalised by store_close (the driver's
     * statements: sqlite3_stmt, or a mark that the name is prepared on the connection) */
    void *stmts[STMT__COUNT];
#ifdef NEWSDESK_FAULTS
    unsigned fault_writes; /* writes seen while a fault ran, for NEWSDESK_FAULT's ":N" */
#endif
};

/* How many change rows the log keeps: a reader further behind invalidates everything. */
#define STORE_CHANGES_KEPT 10000

/* ---- the drivers ----------------------------------------------------------------- */

/*
 * A backend: what the functions of the two sections below do, for one kind of database.
 * Every member is set (a backend without a notion, such as PostgreSQL's busy handler, has
 * a function that says so).
 */
/*
 * The scripts store/'s files run with store_db_exec whose text is the dialect's ("" where
 * a backend has nothing to do for one).
 */
struct store_scripts {
    const char *reindex_start;  /* before a rebuild of the search index (outside it) */
    const char *reindex_create; /* drops and makes the index anew, ready for a bulk fill */
    const char *reindex_fill;   /* set for the fill, inside the rebuild's transaction */
    const char *reindex_done;   /* the index back to its daily settings, inside it */
    const char *reindex_end;    /* after it (outside the transaction) */
    const char *staging_create; /* the importer's staging tables */
};

struct store_driver {
    const char *name; /* "SQLite", "PostgreSQL": for messages */
    const struct store_scripts *scripts;
    /* a reader's search query as the dialect's full-text expression (search.c) */
    bool (*search_match)(const struct store_search_query *q, struct buf *out);
    const char *like; /* the operator of a case-insensitive LIKE: " LIKE ", " ILIKE " */
    enum err_code (*open)(struct store *st, struct err *err);
    void (*close)(struct store *st);
    enum err_code (*exec)(struct store *st, const char *sql, struct err *err);
    enum err_code (*schema)(struct store *st, int64_t *version, int64_t *app, int64_t *objects,
                            struct err *err);
    enum err_code (*set_schema)(struct store *st, size_t version, struct err *err);
    int64_t (*last_id)(const struct store *st);
    int64_t (*changes)(const struct store *st);
    bool (*in_tx)(const struct store *st);
    enum err_code (*checkpoint)(struct store *st, struct err *err);
    /* the migration that brings the schema from version - 1 to version ("" when the
     * backend has nothing to do for it), and the rows it fills in (or NULL) */
    const char *(*migration_sql)(size_t version);
    const char *(*migration_fill_sql)(size_t version);
    void (*q_open)(struct store *st, enum store_stmt id, struct store_q *q, struct err *err);
    void (*q_prepare)(struct store *st, const char *sql, size_t len, struct store_q *q,
                      struct err *err);
    void (*bind_i64)(struct store_q *q, int i, int64_t v);
    void (*bind_double)(struct store_q *q, int i, double v);
    void (*bind_str)(struct store_q *q, int i, struct str v);
    void (*bind_blob)(struct store_q *q, int i, const void *p, size_t n);
    void (*bind_null)(struct store_q *q, int i);
    bool (*q_next)(struct store_q *q);
    enum err_code (*q_end)(struct store_q *q, const char *what, struct err *err);
    int64_t (*col_i64)(const struct store_q *q, int i);
    double (*col_double)(const struct store_q *q, int i);
    bool (*col_bool)(const struct store_q *q, int i);
    bool (*col_is_null)(const struct store_q *q, int i);
    int (*col_count)(const struct store_q *q);
    void *(*col_blob)(const struct store_q *q, int i, size_t *len);
    struct str (*col_str)(const struct store_q *q, int i, struct arena *a);
    /* column i of the current row whatever its type, named (export's and migrate's rows) */
    void (*col_value)(const struct store_q *q, int i, struct store_value *v, struct arena *a);
    /* how many parameters q's text has */
    int (*param_count)(const struct store_q *q);
};

extern const struct store_driver store_sqlite_driver; /* sqlite.c */
extern const struct store_driver store_pg_driver;     /* pg.c */

/* ---- the connection (the driver's) ----------------------------------------------- */

/* Opens st->path in st->mode and applies the connection's settings. */
enum err_code store_db_open(struct store *st, struct err *err);
/* Finalises the cached statements and closes the connection (NULL db: nothing). */
void store_db_close(struct store *st);
/* How often connections found the database busy: waits, retries, waits given up (sqlite.c). */
void store_db_busy_counts(uint64_t *waits, uint64_t *retries, uint64_t *timeouts);
/* Runs a script of statements without results (a migration). */
enum err_code store_db_exec(struct store *st, const char *sql, struct err *err);
/* store_db_exec of one of the driver's scripts (struct store_scripts): "" does nothing. */
enum err_code store_script(struct store *st, const char *sql, struct err *err);
/* The schema version, application id and number of schema objects of the file. */
enum err_code store_db_schema(struct store *st, int64_t *version, int64_t *app, int64_t *objects,
                              struct err *err);
/* Records version (and our application id) inside the migration's transaction. */
enum err_code store_db_set_schema(struct store *st, size_t version, struct err *err);
/* The id of the row the last INSERT on st made, and the rows the last write changed. */
int64_t store_db_last_id(const struct store *st);
int64_t store_db_changes(const struct store *st);
/* Whether a transaction is open on the connection (whoever began it). */
bool store_db_in_tx(const struct store *st);
/* The store whose transaction mutex this thread holds (store_tx_begin..end), or NULL. */
extern _Thread_local const struct store *store_tx_held;
/* False, with ERR_INTERNAL in err and a log line, for a statement on a shared store by a
 * thread that has not begun a transaction on it. */
bool store_may_run(const struct store *st, struct err *err);
/*
 * v as a LIKE pattern: LIKE's own characters escaped (for ESCAPE '\'), with a '%' before
 * (lead) and after (trail) as asked; NUL-terminated, in a.
 */
struct str store_like(struct str v, bool lead, bool trail, struct arena *a);
/* Turns an SQLite result into our error, with the database's message after `what`
 * (sqlite.c; for export.c and doctor.c, which use SQLite's own calls). */
enum err_code store_sqlite_err(struct store *st, int rc, const char *what, struct err *err);

/* ---- statements (the driver's) --------------------------------------------------- */

/* A statement being bound, stepped and read. On the caller's stack; no allocation. */
struct store_q {
    struct store *st;
    void *s;    /* the driver's statement; NULL after a failed open */
    bool owned; /* prepared for this call: finalised, not reset, at the end */
    int rc;     /* the driver's first failure (bind or step), or its last step (its own codes) */
    enum err_code open_rc; /* the open's error, already in err */
};

/* Named statement id from st's cache (prepared on first use), reset, no parameters bound. */
void store_q_open(struct store *st, enum store_stmt id, struct store_q *q, struct err *err);
/*
 * sql (len bytes, built only from fixed fragments: user data goes in parameters) prepared
 * for this one call. For statements whose text varies: the cache would fill with them.
 */
void store_q_prepare(struct store *st, const char *sql, size_t len, struct store_q *q,
                     struct err *err);

/*
 * Binders. Parameter indexes count from 1. Text is copied by the driver, so the value
 * need only live until the call returns. A failure (index out of range, a value too big)
 * is kept in q and returned by store_q_end.
 */
void store_bind_i64(struct store_q *q, int i, int64_t v);
void store_bind_double(struct store_q *q, int i, double v);
void store_bind_str(struct store_q *q, int i, struct str v);   /* STR_NULL binds '' */
void store_bind_text(struct store_q *q, int i, const char *v); /* NULL binds SQL NULL */
void store_bind_blob(struct store_q *q, int i, const void *p, size_t n);
void store_bind_null(struct store_q *q, int i);

/* Steps q: true when a row is ready to read; false at the end or on an error (kept). */
bool store_q_next(struct store_q *q);
/*
 * Returns the statement (reset or finalised) and its error: the open's, else a failed
 * bind's or step's as "what: the database's message" (ERR_BUSY, ERR_CONFLICT, ERR_IO,
 * ERR_INVALID, ERR_INTERNAL by cause), else ERR_OK. Stopping before the last row is fine.
 */
enum err_code store_q_end(struct store_q *q, const char *what, struct err *err);

/* Column readers for the current row; columns count from 0. */
int64_t store_col_i64(const struct store_q *q, int i);
bool store_col_bool(const struct store_q *q, int i);
double store_col_double(const struct store_q *q, int i);
bool store_col_is_null(const struct store_q *q, int i);
int store_col_count(const struct store_q *q);
/* A blob copied into a malloc'd buffer the caller frees (NULL and *len 0 when empty):
 * photos are megabytes, which an arena would hold until the request ends. */
void *store_col_blob(const struct store_q *q, int i, size_t *len);
/* Text copied into a, NUL-terminated (NULL becomes ""). */
struct str store_col_str(const struct store_q *q, int i, struct arena *a);
/* Column i, named, as NULL, an integer, text or a blob (borrowed: valid until the next
 * step; a value the driver must decode, PostgreSQL's bytea, is put in a). */
void store_col_value(const struct store_q *q, int i, struct store_value *v, struct arena *a);
/* How many parameters q's text has (0 after a failed open). */
int store_q_param_count(const struct store_q *q);

/* ---- reading rows into structs (query.c) ----------------------------------------- */

/*
 * A row is read into a struct by a table of columns: which column goes to which field,
 * as what. STORE_COL(type, column, field) checks the field's type when it compiles
 * (int64_t, bool or struct str; anything else is an error), so a table cannot write an
 * integer into a slice. Text is copied into the arena.
 */
enum store_col_kind { STORE_COL_I64, STORE_COL_BOOL, STORE_COL_STR };

struct store_col {
    int col;    /* the result column, from 0 */
    size_t off; /* offsetof the field */
    enum store_col_kind kind;
};

#define STORE_COL_KIND(x)                                                                          \
    _Generic((x), int64_t : STORE_COL_I64, bool : STORE_COL_BOOL, struct str : STORE_COL_STR)
#define STORE_COL(type, column, field)                                                             \
    {                                                                                              \
        (column), offsetof(type, field), STORE_COL_KIND(((type *)0)->field)                        \
    }

/* Reads the current row of q into row (a struct of the caller's kind); copies go to a. */
typedef void (*store_row_fn)(const struct store_q *q, struct arena *a, void *row);

/* How to read a row: the columns a table names, then fn for what a table cannot say. */
struct store_row {
    const struct store_col *cols; /* may be NULL */
    size_t ncols;
    store_row_fn fn; /* may be NULL */
};

/* A row read by a static table of columns, or by a function (the struct lives in the call). */
#define STORE_ROW(cols) (&(const struct store_row){(cols), ARRAY_LEN(cols), NULL})
#define STORE_ROW_FN(fn) (&(const struct store_row){NULL, 0, (fn)})

/* The current row of q into row as r says. */
void store_read_row(const struct store_q *q, const struct store_row *r, struct arena *a, void *row);
/* The current row of q into the fields of row that cols name (n of them). */
void store_read_cols(const struct store_q *q, const struct store_col *cols, size_t n,
                     struct arena *a, void *row);

/* Rows of one column (0): into an int64_t, and into a struct str (copied to a). */
extern const struct store_row store_row_i64;
extern const struct store_row store_row_str;

/* ---- running statements (query.c): each ends q ----------------------------------- */

/* Runs q, which returns no rows. *changed (may be NULL) gets how many rows it changed. */
enum err_code store_q_exec(struct store_q *q, int64_t *changed, const char *what, struct err *err);
/* Runs q, an INSERT; *id gets the new row's id. */
enum err_code store_q_insert(struct store_q *q, int64_t *id, const char *what, struct err *err);
/* The first row read as r says into out; ERR_NOTFOUND "no such <what>" when there is none. */
enum err_code store_q_row(struct store_q *q, const struct store_row *r, struct arena *a, void *out,
                          const char *what, struct err *err);
/*
 * At most max rows, each read as r says into an element of size bytes of a new array in a
 * (*out, never NULL; *n elements). Up to 128 rows the array is one allocation of max
 * elements (a page); beyond, it starts at 64 and doubles.
 */
enum err_code store_q_rows(struct store_q *q, size_t size, size_t max, const struct store_row *r,
                           struct arena *a, void **out, size_t *n, struct err *err);
/* Column 0 of the first row as an integer; 0 when there is no row. */
enum err_code store_q_i64(struct store_q *q, int64_t *out, const char *what, struct err *err);

/* ---- rows shared between files -------------------------------------------------- */

/* One row of api_keys (id, type, name, secret, created_at, revoked_at, key_id); admin.c. */
extern const struct store_row store_api_key_row;
/* One row of SQL_TEASER_COLS into a teaser. */
void store_read_teaser(const struct store_q *q, struct arena *a, void *post);
/* A teaser of a list, with the flags it prints over its headline (desk.c). */
void store_read_listed(const struct store_q *q, struct arena *a, void *post);
/* SQL_AUTHOR_COLS: columns 0..9 (id, slug, name, contact e-mail, bio, avatar, website, is a
 * desk, location, Ghost id). */
void store_read_author(const struct store_q *q, struct arena *a, void *author);
/* SQL_TAG_COLS: columns 0..5 (id, slug, name, description, Ghost id, is internal). */
void store_read_tag(const struct store_q *q, struct arena *a, void *tag);
/* SQL_MEDIA_COLS into a struct media_item (media.c) */
void store_read_media(const struct store_q *q, struct arena *a, void *media);
/* SQL_META_COLS, its 9 columns from column first on. */
void store_read_meta(const struct store_q *q, int first, struct arena *a, struct content_meta *m);
/* SQL_DESK_COLS, its 7 columns from column first on, into p's desk fields. */
void store_read_desk(const struct store_q *q, int first, struct arena *a, struct content_post *p);
/* posts.c: a post's tags and authors, in order (primary first), read into p. */
enum err_code store_post_related(struct store *st, struct content_post *p, struct arena *a,
                                 struct err *err);
/* Appends " tag:1 tag:2 author:3" for the post's tags and authors as they are to deps. */
enum err_code store_post_links(struct store *st, int64_t post, struct buf *deps, struct err *err);
/* Logs one change for post id as it is now: "post:1 list tag:2 author:3" (its page and
 * every list it is on). */
enum err_code store_post_log_now(struct store *st, int64_t id, struct err *err);
/* Appends a change row (deps space-separated) inside the open transaction. */
enum err_code store_change_log(struct store *st, const char *deps, struct err *err);

/* ---- the full-text index (search.c) ---------------------------------------------- */

/*
 * Text (n bytes of UTF-8) as the index stores it, appended to out: the snippet markers
 * (bytes 1 and 2) made spaces, and an apostrophe (' ’ ʼ ‘ ` ʹ) between two Cyrillic
 * letters made U+02BC, a letter to the tokenizer, so м'ясо, м’ясо and мʼясо are one word.
 * SQL's newsdesk_fold (sqlite.c).
 */
void store_search_fold(const char *p, size_t n, struct buf *out);
/* The stems of the Cyrillic words of text, space-separated, appended to out (SQL's
 * newsdesk_forms): what finds Києва for a query of Києві. */
void store_search_forms(const char *p, size_t n, struct buf *out);
/* Rewrites post id's row of the index from the post as it is now (any status). */
enum err_code store_search_put(struct store *st, int64_t id, struct err *err);
/* Removes post id's row (before the post is deleted). */
enum err_code store_search_drop(struct store *st, int64_t id, struct err *err);
/*
 * Rewrites the rows of every post of tag id (after a rename); with gone, as if the tag
 * were no longer on them (before the tag is deleted). A tag on 100,000 posts rewrites
 * 100,000 rows: see README "Search" for what it costs.
 */
enum err_code store_search_put_tag(struct store *st, int64_t id, bool gone, struct err *err);
/* Rewrites the rows of every post by user id (after a change of name). */
enum err_code store_search_put_author(struct store *st, int64_t id, struct err *err);
/*
 * The FTS5 expression of q's terms, appended to out: the terms every result has, joined
 * by AND, then NOT each excluded one, each quoted. False when no term is left to look
 * for. What store_search matches, and the newsroom's list (newsroom.c) too.
 */
bool store_search_match(const struct store_search_query *q, struct buf *out);
/* The same as PostgreSQL's tsquery text (to_tsquery('newsdesk', ...)). */
bool store_search_tsquery(const struct store_search_query *q, struct buf *out);

/* The change log's head v heard of (a notification, a check): announced to this
 * process's readers when it is beyond the last one announced (store.c). */
void store_stamp_head(struct store *st, uint64_t v);

/* stamp.c */
enum err_code store_stamp_map(struct store *st, struct err *err);
void store_stamp_unmap(struct store *st);
/* wakes every store_stamp_wait() on the database, in any process */
void store_stamp_wake(struct store *st);

/* schema.c: migration v (1-based) brings the schema from v-1 to v */
size_t store_migration_count(void);
const char *store_migration_sql(size_t version);
/*
 * Rows migration v fills in after its schema change, with functions only the store's own
 * connection has (newsdesk_fold: the search index of existing posts), or NULL. Run in the
 * migration's transaction; not part of the schema a backup is checked against.
 */
const char *store_migration_fill_sql(size_t version);

#endif
