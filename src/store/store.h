/*
 * store: the SQLite database. The only module that includes sqlite3.h and the only place
 * SQL is written, so that another backend can be added here alone.
 *
 * A struct store is one connection. Readers open one per worker thread (STORE_READ) and
 * never wait for the writer (WAL); the writer (STORE_WRITE) is one connection used by one
 * thread at a time, and every write is one transaction. Opening for writing applies
 * pending migrations (PRAGMA user_version); opening for reading refuses a database whose
 * schema is older or newer than this program's.
 *
 * Values returned live in the arena passed in. A store is not thread-safe: one thread at
 * a time per connection, except store_tx_begin, which is how threads sharing the writer
 * take turns. Each connection keeps its prepared statements (the first call of a query
 * prepares it, later calls reuse it), so a reader's query costs no parse.
 */
#ifndef STORE_H
#define STORE_H

#include "base/base.h"
#include "content/content.h"
#include "media/media.h"

struct store;

enum store_mode {
    STORE_READ,   /* existing database, read-only queries */
    STORE_WRITE,  /* existing database; migrates it if older */
    STORE_CREATE, /* creates the file if missing, then as STORE_WRITE */
};

/**
 * The schema version this program writes: the number of migrations in schema.c, which
 * checks the two are equal when it compiles. Bump it with every migration added.
 */
#define STORE_SCHEMA_VERSION 13

/**
 * Opens path. A missing file (except with STORE_CREATE), a file that is not an SQLite
 * database, a corrupt one, or one that is not a Newsdesk database are ERR_INVALID with a
 * message naming the file. Caller closes with store_close().
 */
enum err_code store_open(const char *path, enum store_mode mode, struct store **out,
                         struct err *err);
/** Whether path names a PostgreSQL database (a postgresql:// or postgres:// URL), which
 * has no files beside it; anything else is an SQLite file. */
bool store_path_is_pg(const char *path);
void store_close(struct store *st);
/**
 * Asks the database the smallest real question (its schema and application id, read from
 * the file): ERR_OK when it answers and is at the schema this program writes; otherwise
 * the error, with a message an operator can act on. For /readyz.
 */
enum err_code store_ready(struct store *st, struct err *err);

/* What `newsdesk doctor` reads of a database file (store_doctor_facts). */
struct store_doctor_facts {
    int64_t schema;     /* the schema version the file is at (PRAGMA user_version) */
    bool ours;          /* it carries Newsdesk's application id */
    bool empty;         /* it holds no table: a file nobody has run 'newsdesk init' on */
    int64_t page_size;  /* bytes per page */
    int64_t pages;      /* its pages, the write-ahead log's included (or the file's size in
                           pages, when a damaged schema keeps SQLite from counting) */
    int64_t free_pages; /* pages on the free list: space only a VACUUM gives back */
    int64_t wal_bytes;  /* the write-ahead log beside it ("<db>-wal"); 0 when there is none */
    bool intact;        /* SQLite's check of the pages found nothing */
    char problems[512]; /* else its first findings, "; " between them (cut short) */
};

/**
 * Reads the facts of the database file at path over a read-only connection of its own, as
 * a backup does: whatever the file's schema version (older, newer, or no Newsdesk schema
 * at all), and when its pages are damaged, which is then a finding in out->problems, not
 * an error. Changes nothing: no migration, no change stamp, no checkpoint (like any
 * reader of a WAL database it may leave empty "-wal" and "-shm" files, which SQLite gives
 * the database's owner). full runs integrity_check and foreign_key_check (minutes on
 * gigabytes) instead of quick_check (each page and row, without comparing indexes with
 * their tables). ERR_INVALID when the file is not an SQLite database or its first page is
 * damaged, ERR_BUSY when it stays locked past the busy timeout, ERR_IO when it cannot be
 * read; the message names the file. Thread-safe.
 */
enum err_code store_doctor_facts(const char *path, bool full, struct store_doctor_facts *out,
                                 struct err *err);

/* ---- writing: one transaction per write ------------------------------------------ */

/*
 * Every write is done this way, and by one thread at a time per connection:
 *
 *     enum err_code rc = store_tx_begin(st, &err);
 *     if (rc)
 *         return rc;
 *     rc = store_post_insert(st, &p, &id, &err);    (any number of store_ writes)
 *     rc = store_tx_end(st, rc, &err);
 *
 * The write is acknowledged (readers and the change stamp see it) only if store_tx_end
 * returns ERR_OK. The connection owns the mutex, so callers sharing one writer (the
 * server's editor, tips form and sessions) need no lock of their own.
 */

/**
 * Locks st's write mutex (waiting for another thread's transaction to end) and begins an
 * IMMEDIATE transaction, which takes the database's write lock at once: SQLite waits up
 * to its busy timeout (5 s) for another process's writer, then fails with ERR_BUSY. On
 * any error the mutex is released and nothing is open. A thread that calls it again
 * before store_tx_end gets ERR_INTERNAL rather than a deadlock. Thread-safe.
 */
enum err_code store_tx_begin(struct store *st, struct err *err);
/**
 * Marks st as shared by several threads (the server's one writer): from now on every
 * statement on it by a thread outside store_tx_begin..store_tx_end is refused with
 * ERR_INTERNAL and logged, since the transaction's mutex is what makes a thread the
 * connection's only user.
 */
void store_share(struct store *st);
/**
 * Ends the transaction store_tx_begin opened, from the same thread: with rc ERR_OK it
 * commits and returns the commit's result (ERR_BUSY, ERR_IO: the write did not happen
 * and was rolled back); with any other rc it rolls back and returns rc unchanged (err
 * keeps the message of the failure that caused it). Unlocks the mutex in every case.
 */
enum err_code store_tx_end(struct store *st, enum err_code rc, struct err *err);

/* ---- counters for /metrics -------------------------------------------------------- */

/**
 * Notes that the open transaction makes a post public (a draft or a scheduled post
 * published by staff: the newsroom's one place that decides it, newsroom_post_add and
 * _update). It is counted once the transaction commits; a rollback forgets it.
 * store_posts_publish_due notes the scheduler's own.
 */
void store_note_published(struct store *st);
/**
 * Appends the store's process-wide counters in Prometheus' text format: posts published
 * (by staff, by the scheduler) by this process, and how often a connection found the
 * database busy (another connection's write) and waited: operations that waited, the
 * retries while waiting, and the waits that ran out (the caller then got ERR_BUSY).
 * Thread-safe.
 */
enum err_code store_metrics_write(struct buf *out);

/* ---- changes ---------------------------------------------------------------------- */

/*
 * Every committed write bumps a counter in a small file beside the database
 * ("<db>-stamp", mapped shared), whichever process made it. A server compares the counter
 * with the last one it saw on each request: one memory load tells it that nothing changed,
 * without asking SQLite. When it did change, store_changes_since() says what.
 *
 * The counter is bumped after COMMIT and before the write returns, so a reader that looks
 * after a write has returned always sees it.
 *
 * A writer that dies between its COMMIT and the bump leaves a change nobody was told of.
 * So the file also keeps the change log's head as of the last bump, and a server calls
 * store_stamp_check() a few times a second: a head beyond it means such a change, and
 * the check bumps the counter on the lost writer's behalf.
 */

/** The shared change counter of st's database (valid until store_close). */
const _Atomic uint64_t *store_stamp(const struct store *st);
/**
 * Waits until the counter is no longer seen (a write was announced, in any process) or
 * timeout_ms have passed; returns at once when it already moved. Spurious returns happen:
 * callers compare the counter again.
 */
void store_stamp_wait(const struct store *st, uint64_t seen, int timeout_ms);
/**
 * Bumps the counter if the change log holds changes committed since the last bump that
 * nobody announced; *repaired says whether it found such a change on SQLite, where a
 * writer that died is the only cause. On PostgreSQL another server's change read here
 * before its notification arrived is bumped the same way and is not reported (*repaired
 * stays false): it is how the notification's delay looks. One indexed read when nothing
 * is amiss.
 */
enum err_code store_stamp_check(struct store *st, bool *repaired, struct err *err);

/**
 * Several servers on one PostgreSQL database: each learns of the others' commits at once.
 * On PostgreSQL, a thread of the process LISTENs on its own connection for the
 * notification every change row sends at COMMIT (carrying its sequence) and bumps the
 * counter, as the writer does for its own; when that connection is lost it reconnects
 * with a backoff and, before anything else, compares the change log's head with the last
 * one announced, so nothing committed meanwhile is missed (store_stamp_check, which the
 * scheduler runs every second, is the second net). On SQLite it does nothing: every
 * process maps the same counter. Call once per process, after opening st (the writer);
 * store_listen_stop before closing it.
 */
enum err_code store_listen_start(struct store *st, struct err *err);
void store_listen_stop(struct store *st);

/* What one write touched: dependency keys such as "post:12", "list", "tag:3". */
struct store_change {
    int64_t seq;
    struct str deps; /* space-separated */
};

/** The newest change's sequence number (0 when there is none). */
enum err_code store_changes_head(struct store *st, int64_t *seq, struct err *err);
/**
 * Changes after seq, oldest first, at most max of them; *n says how many. When the log
 * no longer holds everything after seq (it is trimmed), *complete is false and the
 * caller must treat everything as changed. Results live in a.
 */
enum err_code store_changes_since(struct store *st, int64_t seq, size_t max, struct arena *a,
                                  struct store_change **out, size_t *n, bool *complete,
                                  struct err *err);

/* ---- limits shared by the servers of a database ----------------------------------- */

/* One question to a limit: max events per window seconds for key under name. */
struct store_limit_ask {
    const char *name; /* the limit: "login_pair", "tips_address" */
    struct str key;   /* counted under its first 128 bytes */
    unsigned max;
    int64_t window;
    int64_t now;
};

/* Its answer. */
struct store_limit {
    int64_t used;        /* events in the window, the one counted now included */
    int64_t oldest;      /* the oldest of them (Unix seconds); 0 when there is none */
    bool refused;        /* the window was full: nothing was counted */
    int64_t retry_after; /* when refused: seconds until its oldest event leaves the window */
};

/**
 * The limit's events of key in the window ending at ask->now, and with count one more
 * counted now unless the window is full (refused). Expired events of the name are deleted
 * on the way. A write: inside a transaction (store_tx_begin), which is what makes a check
 * and its count one step for every server of the database.
 */
enum err_code store_limit_take(struct store *st, const struct store_limit_ask *ask, bool count,
                               struct store_limit *out, struct err *err);
/** Deletes key's newest event (an attempt that turned out not to count). */
enum err_code store_limit_give_back(struct store *st, const char *name, struct str key,
                                    struct err *err);
/** Deletes all of key's events (a successful login). */
enum err_code store_limit_clear(struct store *st, const char *name, struct str key,
                                struct err *err);

/*
 * A background job that one server runs for all the servers of one database (the
 * purger), and where it has got to. On PostgreSQL the lease is a session advisory lock
 * on st's connection: held until st closes or its connection ends, so a crashed or cut
 * off server's lease is free again at once, and taken by one connection at a time. On
 * SQLite it is always granted: the job holds a lock on a file beside the database
 * instead (purge.c).
 */
/**
 * Takes the lease name for st if it is free, or says st still holds it (asked again
 * after a lost connection: the lock went with it). *held: st holds it now; *at (when
 * held) the position store_lease_save last saved under name, -1 when none was.
 */
enum err_code store_lease_take(struct store *st, const char *name, bool *held, int64_t *at,
                               struct err *err);
/** Saves at as the position of the job name, for whoever holds the lease next. */
enum err_code store_lease_save(struct store *st, const char *name, int64_t at, struct err *err);

/* ---- settings -------------------------------------------------------------------- */

struct store_setting {
    struct str key;
    struct str value;
};

/**
 * The ids of up to limit posts (any status or type) after id after, in order of id: a
 * walk over every post in pages. *ids lives in a.
 */
enum err_code store_post_ids_after(struct store *st, int64_t after, size_t limit, struct arena *a,
                                   int64_t **ids, size_t *n, struct err *err);
/** The stored value of key, or ERR_NOTFOUND. */
enum err_code store_setting_get(struct store *st, const char *key, struct arena *a,
                                struct str *value, struct err *err);
/**
 * Inserts or replaces (the caller validates key and value), and logs the change
 * ("settings", and every page): call inside a transaction so servers see it at commit.
 */
enum err_code store_setting_set(struct store *st, const char *key, struct str value,
                                struct err *err);
/** Every stored setting, sorted by key. */
enum err_code store_settings_all(struct store *st, struct arena *a, struct store_setting **out,
                                 size_t *n, struct err *err);

/* ---- reading posts --------------------------------------------------------------- */

/* Which published posts a list shows: all, one tag's, or one author's. */
struct store_filter {
    int64_t tag_id;     /* 0: any */
    int64_t author_id;  /* 0: any */
    int64_t exclude_id; /* 0: none; a post to leave out (the one being read) */
};

/* A position in the feed: lists continue strictly after (older than) it. */
struct store_cursor {
    int64_t published_at;
    int64_t id;
};

/*
 * Lists return teasers: every field but markdown and html, plaintext cut to its first
 * STORE_TEASER_TEXT bytes, and only the primary tag and primary author (ntags, nauthors
 * 0 or 1). Newest first, ties broken by id.
 */
#define STORE_TEASER_TEXT 600

/** Published posts by page: offset/limit over the filter. */
enum err_code store_posts_list(struct store *st, const struct store_filter *f, int64_t offset,
                               int64_t limit, struct arena *a, struct content_post **out, size_t *n,
                               struct err *err);
/** Published posts strictly older than cursor (NULL: from the newest). */
enum err_code store_posts_after(struct store *st, const struct store_filter *f,
                                const struct store_cursor *cursor, int64_t limit, struct arena *a,
                                struct content_post **out, size_t *n, struct err *err);
/* A list's key: published_at (a tag's or author's feed_at), id, and lastmod. */
#define STORE_FEED_KEY_WIDTH 3
/**
 * The feed order of every published post the filter selects (exclude_id ignored), newest
 * first, as keys of STORE_FEED_KEY_WIDTH: published_at keys[3 i], id keys[3 i + 1] and the
 * newest change keys[3 i + 2] (max(updated_at, published_at) for the whole feed; feed_at
 * for a tag's or author's). Caller frees *keys with free(). For an in-memory index of page
 * boundaries: a deep page then starts from a cursor instead of an OFFSET walk.
 */
enum err_code store_feed_keys(struct store *st, const struct store_filter *f, int64_t **keys,
                              size_t *n, struct err *err);
/**
 * One post's key in the filter's list (as store_feed_keys), *found false when the list
 * does not hold it: one indexed read, so an index can be patched after a change.
 */
enum err_code store_feed_key(struct store *st, const struct store_filter *f, int64_t post_id,
                             int64_t key[STORE_FEED_KEY_WIDTH], bool *found, struct err *err);
/** Number of published posts the filter selects. */
enum err_code store_posts_count(struct store *st, const struct store_filter *f, int64_t *n,
                                struct err *err);
/**
 * What a feed item adds to post p of a list (lists leave them out): its rendered body,
 * correction note, corrected_at and revised_at, in one read. ERR_NOTFOUND when it has
 * no body.
 */
enum err_code store_post_feed_item(struct store *st, struct content_post *p, struct arena *a,
                                   struct err *err);
/** A published post by slug, with all its tags and authors, or ERR_NOTFOUND. */
enum err_code store_post_by_slug(struct store *st, struct str slug, struct arena *a,
                                 struct content_post *out, struct err *err);
enum err_code store_tag_by_slug(struct store *st, struct str slug, struct arena *a,
                                struct content_tag *out, struct err *err);
enum err_code store_author_by_slug(struct store *st, struct str slug, struct arena *a,
                                   struct content_author *out, struct err *err);

/* ---- sitemaps -------------------------------------------------------------------- */

enum store_sitemap_kind {
    STORE_SITEMAP_POSTS,   /* published posts, newest first, offset/limit */
    STORE_SITEMAP_TAGS,    /* tags with published posts, by slug */
    STORE_SITEMAP_AUTHORS, /* authors with published posts, by slug */
    STORE_SITEMAP_NEWS,    /* posts published at or after `since`, newest first, limit */
    STORE_SITEMAP_PAGES,   /* published pages, by slug, all of them */
};

struct store_sitemap_entry {
    struct str slug;
    struct str title;     /* posts only */
    int64_t lastmod;      /* the newest change shown on that page */
    int64_t published_at; /* posts only */
};

/** Entries for a sitemap. Results live in a. */
enum err_code store_sitemap(struct store *st, enum store_sitemap_kind kind, int64_t offset,
                            int64_t limit, int64_t since, struct arena *a,
                            struct store_sitemap_entry **out, size_t *n, struct err *err);
/** A posts sitemap file that starts after cursor (one index seek, not an OFFSET walk). */
enum err_code store_sitemap_after(struct store *st, const struct store_cursor *cursor,
                                  int64_t limit, struct arena *a, struct store_sitemap_entry **out,
                                  size_t *n, struct err *err);
/**
 * The published posts cut into files of per_file: how many files, and the newest change
 * in each (lastmods[i], in a).
 */
enum err_code store_sitemap_slices(struct store *st, int64_t per_file, struct arena *a,
                                   int64_t **lastmods, size_t *n, struct err *err);

/* ---- the Content API's queries --------------------------------------------------- */

/*
 * A filter (what Ghost's NQL says, parsed by api/) as a tree of conditions that the store
 * compiles to a WHERE clause. The SQL text comes only from fixed strings here, one per
 * known field and operator; every value is a bound parameter. A field the resource does
 * not have, a value of the wrong kind for it (a date that does not parse, "featured:maybe")
 * or a tree past the limits below is ERR_INVALID with a message naming it.
 */
enum store_cond_kind { STORE_COND_AND, STORE_COND_OR, STORE_COND_CMP };

enum store_cond_op {
    STORE_OP_EQ,
    STORE_OP_NE,
    STORE_OP_GT,
    STORE_OP_GE,
    STORE_OP_LT,
    STORE_OP_LE,
    STORE_OP_IN, /* vals is the list */
    STORE_OP_NIN,
    STORE_OP_CONTAINS,  /* ~  : case-insensitive substring (LIKE) */
    STORE_OP_NCONTAINS, /* -~ */
    STORE_OP_STARTS,    /* ~^ */
    STORE_OP_ENDS,      /* ~$ */
};

enum store_val_kind {
    STORE_VAL_TEXT,
    STORE_VAL_INT,  /* a number, an id, or a time already resolved (Unix seconds) */
    STORE_VAL_BOOL, /* num is 0 or 1 */
    STORE_VAL_NULL,
};

struct store_val {
    enum store_val_kind kind;
    struct str text;
    int64_t num;
};

struct store_cond {
    enum store_cond_kind kind;
    /* AND, OR: the operands */
    const struct store_cond *kids;
    size_t nkids;
    /* CMP: field op value(s) */
    struct str field; /* "slug", "published_at", "tags.slug", "primary_author", ... */
    enum store_cond_op op;
    const struct store_val *vals;
    size_t nvals;
};

#define STORE_COND_DEPTH_MAX 32   /* nesting of AND/OR */
#define STORE_COND_VALUES_MAX 500 /* values in a whole filter */

enum store_api_kind {
    STORE_API_POSTS,
    STORE_API_PAGES,
    STORE_API_TAGS,
    STORE_API_AUTHORS,
    STORE_API_ADMIN_POSTS, /* the Admin API's: every status, scheduled and drafts first */
    STORE_API_ADMIN_PAGES,
    STORE_API_ADMIN_TAGS, /* every tag, internal ones and those without posts too */
};

/* One ORDER BY term: a field of the resource (plain fields only, not relations). */
struct store_order {
    struct str field;
    bool desc;
};

#define STORE_ORDER_MAX 4

struct store_api_query {
    enum store_api_kind kind;
    const struct store_cond *filter; /* NULL: everything published */
    const struct store_order *order; /* NULL/0: the resource's default order */
    size_t norder;
    int64_t limit;
    int64_t offset;
};

/**
 * Published posts or pages (q->kind) that match q: full posts (html, whole plain text,
 * feature_image_alt, visibility, every tag and author in order), and *total, how many
 * match without limit/offset. Results live in a.
 */
enum err_code store_api_posts(struct store *st, const struct store_api_query *q, struct arena *a,
                              struct content_post **out, size_t *n, int64_t *total,
                              struct err *err);
/** Tags matching q, each with its number of published posts (counts[i]). */
enum err_code store_api_tags(struct store *st, const struct store_api_query *q, struct arena *a,
                             struct content_tag **out, int64_t **counts, size_t *n, int64_t *total,
                             struct err *err);
/** Authors (active users and desks) matching q, each with its published posts. */
enum err_code store_api_authors(struct store *st, const struct store_api_query *q, struct arena *a,
                                struct content_author **out, int64_t **counts, size_t *n,
                                int64_t *total, struct err *err);

/* ---- API keys -------------------------------------------------------------------- */

struct store_api_key {
    int64_t id;
    struct str type; /* "content" or "admin" */
    struct str name;
    struct str secret; /* an admin key's: 64 hex digits, the HMAC key once decoded */
    int64_t created_at;
    int64_t revoked_at; /* 0: active */
    struct str key_id;  /* 24 hex digits: the public half ("id:secret"), a JWT's kid */
};

#define STORE_API_KEYS_MAX 1000

/** Adds a key with its key_id; *id is its new id. ERR_CONFLICT when the secret or key_id exists. */
enum err_code store_api_key_add(struct store *st, const char *type, struct str key_id,
                                struct str name, struct str secret, int64_t *id, struct err *err);
/** Every key, revoked ones too, oldest first. Results live in a. */
enum err_code store_api_keys_list(struct store *st, struct arena *a, struct store_api_key **out,
                                  size_t *n, struct err *err);
/**
 * Revokes key id (ERR_NOTFOUND if there is none or it is revoked already) and logs the
 * change "apikeys", which every API response depends on: cached answers to the key
 * stop at once.
 */
enum err_code store_api_key_revoke(struct store *st, int64_t id, struct err *err);
/**
 * The secrets of the active keys of type (at most STORE_API_KEYS_MAX), so the caller can
 * compare a presented key with each in constant time. Results live in a.
 */
enum err_code store_api_keys_active(struct store *st, const char *type, struct arena *a,
                                    struct str **secrets, size_t *n, struct err *err);
/**
 * The key whose key_id is kid, of any type and revoked or not (the caller tells the JWT's
 * refusals apart); ERR_NOTFOUND when there is none. Results live in a. (store/admin.c)
 */
enum err_code store_admin_key_get(struct store *st, struct str kid, struct arena *a,
                                  struct store_api_key *out, struct err *err);
enum store_admin_kind { STORE_ADMIN_POST, STORE_ADMIN_TAG, STORE_ADMIN_USER };
/** The id of the post (or page), tag or user imported with Ghost id ghost_id; 0 when none. */
enum err_code store_admin_ghost_id_find(struct store *st, enum store_admin_kind kind,
                                        struct str ghost_id, int64_t *id, struct err *err);
/**
 * Deletes tag id: posts lose it, the change is logged for every page ("*": a section label
 * shows everywhere). ERR_NOTFOUND when there is none. (admin.c)
 */
enum err_code store_admin_tag_delete(struct store *st, int64_t id, struct err *err);

/* Progress of a long job: done of total (a copy's pages, a reindex's posts). */
typedef void (*store_progress_fn)(int64_t done, int64_t total, void *ctx);

/* ---- full-text search ------------------------------------------------------------ */

/*
 * Every post (any status, posts and pages) is in a full-text index of its title, custom
 * excerpt, plain text, tag names, author names and slug, written in the same transaction
 * as every write that changes one of them (store_post_insert and _update, delete, status
 * changes, tag and author renames and deletions). How the index is built, tokenised and
 * ranked is the backend's (store/search.c and its SQL): another backend implements these
 * three calls and nothing else changes.
 *
 * A query arrives already parsed (search/, from a reader's text): terms that are plain
 * text, never syntax of the backend's. The store quotes each one itself.
 */

/* One term of a query: a word or a phrase, as the reader typed it (UTF-8, no NUL). */
struct store_search_term {
    struct str text;
    bool phrase;  /* "several words" in this order */
    bool prefix;  /* the word or the phrase's last word may go on (as-you-type: "kyi" finds Kyiv) */
    bool exclude; /* -word: no result contains it */
};

/* Where a page of results continues: strictly after this hit in the ranked order. */
struct store_search_cursor {
    double score;
    int64_t id;
};

#define STORE_SEARCH_TERMS_MAX 32   /* terms of one query; search/ keeps no more */
#define STORE_SEARCH_LIMIT_MAX 100  /* results of one page */
#define STORE_SEARCH_COUNT_MAX 1000 /* counting stops here: "1,000+ results" */

struct store_search_query {
    const struct store_search_term *terms;
    size_t nterms;     /* at least one term that is not excluded, or nothing is found */
    struct str tag;    /* tag:slug, empty: any */
    struct str author; /* author:slug, empty: any */
    int64_t after;     /* published at or after (Unix seconds); 0: no bound */
    int64_t before;    /* published before; 0: no bound */
    bool staff;        /* the newsroom's list: every status, and no recency lift */
    const struct store_search_cursor *cursor; /* NULL: the first page */
    int64_t limit;                            /* 1..STORE_SEARCH_LIMIT_MAX */
};

/*
 * A result: the post as lists return it (teaser fields, primary tag and author), its
 * score and a snippet: plain text of the best passage, not escaped, with each match
 * between STORE_SEARCH_MARK_OPEN and STORE_SEARCH_MARK_CLOSE (bytes that never occur in
 * indexed text), for the caller to escape and mark up.
 */
#define STORE_SEARCH_MARK_OPEN '\x01'
#define STORE_SEARCH_MARK_CLOSE '\x02'

struct store_search_hit {
    struct content_post post;
    struct str snippet;
    struct store_search_cursor at; /* this hit's place: the cursor of the next page */
};

/**
 * Published posts and pages (with q->staff, every post) matching q, best first: *n hits
 * of at most q->limit, *total of them counted up to STORE_SEARCH_COUNT_MAX (*more: there
 * are more than that). A query with no term to look for finds nothing (ERR_OK, *n 0).
 * Results live in a.
 */
enum err_code store_search(struct store *st, const struct store_search_query *q, struct arena *a,
                           struct store_search_hit **out, size_t *n, int64_t *total, bool *more,
                           struct err *err);

/**
 * Rebuilds the whole index from the posts, in one transaction of its own (call outside
 * one), calling progress every few thousand posts (NULL:
 * quietly). For databases made before the index
 * existed, or after a change made behind the store's back (the sqlite3 shell).
 */
enum err_code store_search_reindex(struct store *st, store_progress_fn progress, void *ctx,
                                   struct err *err);

/**
 * While paused, writes on st leave the index as it is (it falls behind); a bulk load
 * (newsdesk demo) pauses it, then calls store_search_reindex, which is several times
 * faster at a million posts than keeping the index in step post by post.
 */
void store_search_pause(struct store *st, bool paused);

/* ---- writing --------------------------------------------------------------------- */

/* A new post, already rendered by content/ (html, plaintext) and validated. */
struct store_new_post {
    struct str uuid; /* empty: generated */
    struct str slug; /* unique; see store_slug_unique */
    struct str title;
    struct str markdown;
    struct str html;
    struct str plaintext;
    struct str custom_excerpt;
    struct str feature_image;
    struct str feature_image_alt;
    struct str feature_image_caption;
    enum content_status status;
    bool featured;
    bool page; /* a static page: never in lists, feeds or the posts sitemap */
    bool breaking;
    int64_t breaking_until; /* 0: until unmarked */
    enum content_label label;
    unsigned pinned;
    struct str correction;
    int64_t corrected_at; /* 0: none */
    int64_t created_at;
    int64_t updated_at;
    int64_t published_at;   /* 0 for a draft never published */
    int64_t revised_at;     /* the "Updated" readers see; 0: never */
    const int64_t *tag_ids; /* ordered, primary first */
    size_t ntags;
    const int64_t *author_ids; /* ordered, primary first */
    size_t nauthors;
};

/** Inserts a post with its tags and authors; *id is its new id. Call inside a transaction. */
enum err_code store_post_insert(struct store *st, const struct store_new_post *p, int64_t *id,
                                struct err *err);
/**
 * Replaces post id's Ghost posts_meta fields (a row in post_meta; all empty: none) and
 * logs the change for its page. Only the callers that know these fields (the Admin API,
 * the importers) call it: store_post_update leaves them alone, so the editor, which does
 * not show them yet, never wipes them. Call inside a transaction.
 */
enum err_code store_post_meta_set(struct store *st, int64_t id, const struct content_meta *m,
                                  struct err *err);
/**
 * Sets (empty: clears) the Ghost id post id answers to in the APIs. ERR_CONFLICT when
 * another post has it. Call inside a transaction.
 */
enum err_code store_post_ghost_id_set(struct store *st, int64_t id, struct str ghost_id,
                                      struct err *err);
/** A post's id and publication time by slug, whatever its status, or ERR_NOTFOUND. */
enum err_code store_post_find(struct store *st, struct str slug, int64_t *id, int64_t *published_at,
                              struct err *err);
/**
 * Replaces post id's fields, body, tags and authors with p's (created_at and uuid stay:
 * feeds and APIs know the post by them). Logs the change with the old and the new tags
 * and authors, so every list it leaves or joins is refreshed. Call inside a transaction.
 */
enum err_code store_post_update(struct store *st, int64_t id, const struct store_new_post *p,
                                struct err *err);
/**
 * Replaces post id's rendered body alone (html and plaintext from its unchanged
 * markdown): no new revision, updated_at stays. Logs the change for its page and every
 * list and feed it is on when published is set. Call inside a transaction.
 */
enum err_code store_post_body_set(struct store *st, int64_t id, struct str markdown,
                                  struct str html, struct str plaintext, bool published,
                                  struct err *err);
/**
 * The tag with this name's slug, created with name if there is none. *id receives its id.
 */
enum err_code store_tag_ensure(struct store *st, struct str name, struct str slug, int64_t *id,
                               struct err *err);
/**
 * Inserts an author: a desk (a team byline, no login) or a person with the author role.
 * *id receives its id. ERR_CONFLICT on a taken slug.
 */
enum err_code store_author_insert(struct store *st, const struct content_author *au, bool desk,
                                  int64_t *id, struct err *err);

enum store_slug_kind { STORE_SLUG_POST, STORE_SLUG_TAG, STORE_SLUG_AUTHOR };

/**
 * base if no row of that kind uses it, else base-2, base-3, ... the first free one.
 * Result lives in a.
 */
enum err_code store_slug_unique(struct store *st, enum store_slug_kind kind, struct str base,
                                struct arena *a, struct str *out, struct err *err);

/* ---- the newsroom: staff, sessions, revisions, tips, audit ------------------------ */

/*
 * These run on the editor's and the CLI's paths, a few times a minute, not on readers'.
 * Their writes go inside store_tx_begin/store_tx_end like every other.
 */

struct store_user {
    int64_t id;
    struct str slug;
    struct str name;
    struct str email;         /* the login; empty for desks */
    struct str contact_email; /* shown to readers on the author card (see contact_confirmed) */
    struct str bio;
    struct str avatar;
    struct str website;
    struct str role;          /* contributor, author, editor, administrator, desk */
    struct str status;        /* active, disabled */
    struct str password_hash; /* empty: cannot log in */
    int64_t created_at;
    int64_t updated_at;
    /* an administrator chose to show the login e-mail as the contact e-mail; readers never
     * see a contact e-mail equal to the login otherwise */
    bool contact_confirmed;
    int64_t posts; /* in store_users_all: posts bylined, any status */
};

/** A staff account by login e-mail (case-insensitive), or ERR_NOTFOUND. */
enum err_code store_user_by_email(struct store *st, struct str email, struct arena *a,
                                  struct store_user *out, struct err *err);
enum err_code store_user_by_id(struct store *st, int64_t id, struct arena *a,
                               struct store_user *out, struct err *err);
/** Everyone with a byline or a login, desks first, then by name. */
enum err_code store_users_all(struct store *st, struct arena *a, struct store_user **out, size_t *n,
                              struct err *err);
/** A new account or desk from u (slug unique, email unique among logins). */
enum err_code store_user_insert(struct store *st, const struct store_user *u, int64_t *id,
                                struct err *err);
/**
 * Profile fields (name, slug, bio, avatar, website, contact e-mail, login e-mail).
 * Logs a change that refreshes every page: bylines show on any list.
 */
enum err_code store_user_update_profile(struct store *st, int64_t id, const struct store_user *u,
                                        struct err *err);
enum err_code store_user_set_role(struct store *st, int64_t id, const char *role, struct err *err);
/** "active" or "disabled"; disabling also ends the account's sessions. */
enum err_code store_user_set_status(struct store *st, int64_t id, const char *status,
                                    struct err *err);
/** A new password hash; ends the account's other sessions (all of them if keep is NULL). */
enum err_code store_user_set_password(struct store *st, int64_t id, const char *hash,
                                      const unsigned char *keep, struct err *err);
/** Active administrators (to refuse removing the last one). */
enum err_code store_admins_count(struct store *st, int64_t *n, struct err *err);

struct store_session {
    int64_t user_id;
    struct str csrf;
    int64_t created_at;
    int64_t seen_at;
    int64_t expires_at;
};

enum err_code store_session_insert(struct store *st, const unsigned char hash[32],
                                   const struct store_session *s, struct str address,
                                   struct str user_agent, struct err *err);
/** The session with this token hash and its (active) user, or ERR_NOTFOUND. */
enum err_code store_session_get(struct store *st, const unsigned char hash[32], struct arena *a,
                                struct store_session *out, struct store_user *user,
                                struct err *err);
enum err_code store_session_touch(struct store *st, const unsigned char hash[32], int64_t now,
                                  struct err *err);
enum err_code store_session_delete(struct store *st, const unsigned char hash[32], struct err *err);
/** Removes sessions past expires_at or idle since before idle_before. */
enum err_code store_sessions_purge(struct store *st, int64_t now, int64_t idle_before,
                                   struct err *err);

/* ---- one-time account links (accounts.c) ------------------------------------------ */

/*
 * A link that lets its holder set an account's password once: 'reset' for an account
 * that has one, 'invite' for an account an administrator made without one. The database
 * keeps the SHA-256 of the link's token, never the token (as sessions are kept), so a
 * copy of the database opens no account. A link is good until expires_at and for one
 * use; making a new one for an account ends its older unused ones.
 */
struct store_account_link {
    struct str kind; /* "reset" or "invite" */
    int64_t user_id;
    int64_t created_by; /* 0: the command line, or the account is gone */
    int64_t created_at;
    int64_t expires_at;
    int64_t used_at; /* 0: not used */
};

/**
 * Stores the link whose token hashes to hash, after ending the account's unused links
 * (their expiry becomes l->created_at). Inside a transaction.
 */
enum err_code store_account_link_add(struct store *st, const unsigned char hash[32],
                                     const struct store_account_link *l, struct err *err);
/** The link whose token hashes to hash, used or not; ERR_NOTFOUND. kind lives in a. */
enum err_code store_account_link_get(struct store *st, const unsigned char hash[32],
                                     struct arena *a, struct store_account_link *out,
                                     struct err *err);
/**
 * Marks the link used at now, if it is still unused and unexpired; ERR_GONE "this link
 * was used or has expired" otherwise (another use won). Inside a transaction.
 */
enum err_code store_account_link_use(struct store *st, const unsigned char hash[32], int64_t now,
                                     struct err *err);
/**
 * The id of the person whose login e-mail is email (case-insensitive), with a password
 * or not (an invitation not yet taken, an imported account): ERR_NOTFOUND when nobody's.
 * Desks have no login and never match.
 */
enum err_code store_user_by_login(struct store *st, struct str email, int64_t *id, struct err *err);

/* The editor's view of posts: any status, filtered. */
struct store_admin_query {
    const char *status; /* NULL: any */
    int64_t author_id;  /* 0: any */
    int64_t tag_id;     /* 0: any */
    /*
     * What the search box asks for (search/'s terms and filters), matched as
     * store_search matches with staff set (every status): the list keeps its own order
     * and exact count. No terms: the filters alone; only excluded terms: nothing. NULL:
     * any post.
     */
    const struct store_search_query *search;
    int64_t offset;
    int64_t limit;
};

/** Posts for the editor's list, newest change first; *total counts all matches. */
enum err_code store_admin_posts(struct store *st, const struct store_admin_query *q,
                                struct arena *a, struct content_post **out, size_t *n,
                                int64_t *total, struct err *err);
/** A post of any status by id, with Markdown, all tags and authors, or ERR_NOTFOUND. */
enum err_code store_post_by_id(struct store *st, int64_t id, struct arena *a,
                               struct content_post *out, struct err *err);
/** Deletes a post, logging every page it was on. */
enum err_code store_post_delete(struct store *st, int64_t id, struct err *err);
/**
 * Publishes every scheduled post whose time has come (published_at <= now), each
 * logged like any publication; *ids (in a) and *n say which.
 */
enum err_code store_posts_publish_due(struct store *st, int64_t now, struct arena *a, int64_t **ids,
                                      size_t *n, struct err *err);
/** The earliest scheduled time, or 0 when nothing is scheduled. */
enum err_code store_next_scheduled(struct store *st, int64_t *at, struct err *err);

/* ---- breaking news and pins (desk.c) ---------------------------------------------- */

/**
 * The published posts marked breaking and not yet expired, newest first, at most max:
 * id, slug, title and label only (in a).
 */
enum err_code store_breaking_now(struct store *st, size_t max, struct arena *a,
                                 struct content_post **out, size_t *n, struct err *err);
/**
 * The newest published post pinned where (CONTENT_PIN_HOME or CONTENT_PIN_SECTION), as
 * a list's teaser; with tag_id, only one whose primary tag it is. ERR_NOTFOUND: none.
 */
enum err_code store_pinned_first(struct store *st, unsigned where, int64_t tag_id, struct arena *a,
                                 struct content_post *out, struct err *err);
/** Whether post id is breaking and where it is pinned, as stored (false, 0: no such post). */
enum err_code store_post_desk_flags(struct store *st, int64_t id, bool *breaking, unsigned *pinned,
                                    struct err *err);
/** The earliest expiry of breaking news, or 0 when none is set to expire. */
enum err_code store_breaking_next(struct store *st, int64_t *at, struct err *err);
/**
 * Unmarks every post whose breaking news expired (breaking_until <= now), logging a
 * change of every page ("*": the banner is on all of them); *ids (in a) and *n say which.
 */
enum err_code store_breaking_expire(struct store *st, int64_t now, struct arena *a, int64_t **ids,
                                    size_t *n, struct err *err);

struct store_tag_row {
    struct content_tag tag;
    int64_t posts; /* posts carrying it, any status */
};

enum err_code store_tags_all(struct store *st, struct arena *a, struct store_tag_row **out,
                             size_t *n, struct err *err);
enum err_code store_tag_by_id(struct store *st, int64_t id, struct arena *a,
                              struct content_tag *out, struct err *err);
/** An existing tag by slug without creating it, or ERR_NOTFOUND. */
enum err_code store_tag_find(struct store *st, struct str slug, int64_t *id, struct err *err);
/** Name, slug, description; refreshes every page (section labels show everywhere). */
enum err_code store_tag_update(struct store *st, int64_t id, const struct content_tag *t,
                               struct err *err);

/* ---- the editor's pickers and preview links (picks.c) ----------------------------- */

/* A tag or a byline the editor's pickers offer: never a login e-mail. */
struct store_pick {
    int64_t id;
    struct str slug;
    struct str name;
    struct str role; /* bylines: contributor ... administrator, desk; tags: "" */
};

/**
 * Tags (people, for store_staff_match: active accounts and desks) whose name or slug
 * contains q, case-insensitively for ASCII, those whose name starts with q first, then
 * by name; at most limit. Results live in a.
 */
enum err_code store_tags_match(struct store *st, struct str q, int64_t limit, struct arena *a,
                               struct store_pick **out, size_t *n, struct err *err);
enum err_code store_staff_match(struct store *st, struct str q, int64_t limit, struct arena *a,
                                struct store_pick **out, size_t *n, struct err *err);
/** The key named name of the secrets table (bytes, in a), or ERR_NOTFOUND. */
enum err_code store_secret_get(struct store *st, const char *name, struct arena *a,
                               struct str *value, struct err *err);

/*
 * A saved version of a post: every field its page compares. tags are the names joined
 * with ", ", authors the slugs likewise. Revisions written before schema 8 kept only the
 * title and body: recorded is false for them, and the page says "not recorded" for the
 * rest rather than show a difference that was never there.
 */
struct store_revision {
    int64_t id;
    int64_t post_id;
    struct str user_name; /* who saved it ("" when the account is gone) */
    int64_t created_at;
    struct str action; /* save, publish, schedule, update, unpublish, restore */
    struct str title;
    struct str markdown;
    int64_t user_id; /* 0 when the account is gone */
    struct str excerpt, tags, authors, feature_image, feature_image_alt, feature_image_caption,
        correction;
    bool minor;    /* saved as a minor edit: readers were not told it was updated */
    bool recorded; /* the fields after user_id were kept (read only) */
};

/** Adds a revision of post_id by user_id: r's action and fields (r's ids are not read). */
enum err_code store_revision_add(struct store *st, int64_t post_id, int64_t user_id,
                                 const struct store_revision *r, struct err *err);
/** A post's revisions, newest first (markdown included). */
enum err_code store_revisions(struct store *st, int64_t post_id, struct arena *a,
                              struct store_revision **out, size_t *n, struct err *err);
enum err_code store_revision_get(struct store *st, int64_t id, struct arena *a,
                                 struct store_revision *out, struct err *err);

/*
 * The editor that never loses a word. A form carries the post's version (posts.version,
 * bumped on every change of the row); a save against an older one is a conflict. Texts
 * that were not saved over the post are kept as revisions: 'conflict' (a refused save),
 * 'expired' (sent after the session ended), 'autosave' (one per post and user, replaced
 * in place: the pending text of a scheduled or published post, or a draft's last
 * autosave).
 */

/** The post's version and updated_at, or ERR_NOTFOUND. */
enum err_code store_post_version(struct store *st, int64_t id, int64_t *version,
                                 int64_t *updated_at, struct err *err);
/** As store_revision_add, with the new revision's id in *id. */
enum err_code store_revision_keep(struct store *st, int64_t post_id, int64_t user_id,
                                  const struct store_revision *r, int64_t *id, struct err *err);
/**
 * The revision of the post's last change: the newest that was saved over the post (not
 * a kept text; a draft's autosaves count, since they save the draft itself), or
 * ERR_NOTFOUND. Result lives in a.
 */
enum err_code store_revision_last_change(struct store *st, int64_t post_id, bool draft,
                                         struct arena *a, struct store_revision *out,
                                         struct err *err);
/** The user's 'autosave' revision of the post, or ERR_NOTFOUND. Result lives in a. */
enum err_code store_revision_pending(struct store *st, int64_t post_id, int64_t user_id,
                                     struct arena *a, struct store_revision *out, struct err *err);
/** Replaces (or adds) the user's one 'autosave' revision of the post; its id in *id. */
enum err_code store_revision_pending_set(struct store *st, int64_t post_id, int64_t user_id,
                                         const struct store_revision *r, int64_t *id,
                                         struct err *err);
/** Removes the user's 'autosave' revision of the post (none: nothing to do). */
enum err_code store_revision_pending_drop(struct store *st, int64_t post_id, int64_t user_id,
                                          struct err *err);

/* Someone with the post open in the editor (the editing table: a note, never a lock). */
struct store_editing {
    int64_t user_id;
    struct str name;
    int64_t seen_at;
};

/** Notes that user has the post open now (a write: inside a transaction). */
enum err_code store_editing_touch(struct store *st, int64_t post_id, int64_t user_id, int64_t now,
                                  struct err *err);
/** The others (not user) seen on the post since `since`, by name, at most 20; in a. */
enum err_code store_editing_others(struct store *st, int64_t post_id, int64_t user_id,
                                   int64_t since, struct arena *a, struct store_editing **out,
                                   size_t *n, struct err *err);

struct store_tip {
    int64_t id;
    int64_t created_at;
    struct str name;
    struct str email;
    struct str link;
    struct str message;
    struct str about;   /* the byline it was sent about (?about=) */
    struct str address; /* the sender's network address */
    int64_t handled_at; /* 0: not yet */
    struct str handled_by;
    int64_t post_id;       /* the published article it was sent from; 0: none, or deleted */
    struct str page;       /* that article's path ("/harbour-fire/"), kept when it goes */
    struct str post_title; /* its title now; "" when it is gone */
    int64_t read_at;       /* 0: unread */
    int64_t assigned_to;   /* users.id; 0: nobody */
    struct str assigned_name;
    int64_t draft_id; /* the post made from it ("Turn into a draft"); 0: none */
    struct str draft_title;
};

/* The inbox's filters (store_tips). */
enum store_tips_whose { STORE_TIPS_ANYONE, STORE_TIPS_MINE, STORE_TIPS_UNASSIGNED };
enum store_tips_state { STORE_TIPS_ALL, STORE_TIPS_UNREAD, STORE_TIPS_OPEN, STORE_TIPS_HANDLED };

struct store_tips_query {
    enum store_tips_whose whose;
    int64_t user; /* "mine": this users.id */
    enum store_tips_state state;
    int64_t offset;
    int64_t limit;
};

/* A reader's photos per tip, at most (the form's limit; the inbox shows no more). */
#define STORE_TIP_PHOTOS_MAX 3

/**
 * Stores t (name, email, link, message, about, address, post_id, page) with its photos
 * (media ids, stored first by media_add, in the order sent); *id the new tip's.
 */
enum err_code store_tip_insert(struct store *st, const struct store_tip *t, const int64_t *photos,
                               size_t nphotos, int64_t *id, struct err *err);
/** Tips matching q, newest first; *total counts the matches, *open all unhandled tips. */
enum err_code store_tips(struct store *st, const struct store_tips_query *q, struct arena *a,
                         struct store_tip **out, size_t *n, int64_t *total, int64_t *open,
                         struct err *err);
/** One tip, or ERR_NOTFOUND; strings in a. */
enum err_code store_tip_get(struct store *st, int64_t id, struct arena *a, struct store_tip *out,
                            struct err *err);
/** Tips nobody has opened yet: the newsroom header's count (an index of unread rows). */
enum err_code store_tips_unread(struct store *st, int64_t *n, struct err *err);
/** A tip's photos (struct media_item, media.h), in the order sent; strings in a. */
enum err_code store_tip_photos(struct store *st, int64_t id, struct arena *a,
                               struct media_item **out, size_t *n, struct err *err);
/** Marks a tip handled by user (or, with user 0, not handled); handled is read too. */
enum err_code store_tip_handle(struct store *st, int64_t id, int64_t user, struct err *err);
/** Marks a tip read (now, unless it was already) or unread; ERR_NOTFOUND if none. */
enum err_code store_tip_read(struct store *st, int64_t id, bool read, struct err *err);
/** Assigns a tip to user (0: nobody); ERR_NOTFOUND if none. */
enum err_code store_tip_assign(struct store *st, int64_t id, int64_t user, struct err *err);
/** Records the draft post made from a tip. */
enum err_code store_tip_set_draft(struct store *st, int64_t id, int64_t post_id, struct err *err);
/** The tip post_id was made from, in *tip (0 when none). */
enum err_code store_tip_of_draft(struct store *st, int64_t post_id, int64_t *tip, struct err *err);
/** Deletes a tip and its photos (those no other tip has and not added to the library). */
enum err_code store_tip_delete(struct store *st, int64_t id, struct err *err);

struct store_audit_entry {
    int64_t at;
    struct str user_name;
    struct str action;
    struct str target;
    struct str detail;
    struct str address;
};

/** Appends to the audit log (user 0: the system, e.g. the scheduler). */
enum err_code store_audit(struct store *st, int64_t user, const char *action, struct str target,
                          struct str detail, struct str address, struct err *err);
enum err_code store_audit_list(struct store *st, int64_t offset, int64_t limit, struct arena *a,
                               struct store_audit_entry **out, size_t *n, int64_t *total,
                               struct err *err);

/* ---- media: photos and their files (media.c) ------------------------------------- */

/*
 * A photo's row (struct media_item, media.h) and its files: 'upload' (the bytes as
 * uploaded, kept only until the stripped original exists), 'orig', and renditions named
 * "w{W}" (the fallback format) or "w{W}.{ext}" ("w640.webp"). Writes that readers see
 * (insert, ready, update, delete) log the change "media:{key}".
 */

/* The rendition media_make_renditions makes last: a photo without it still needs work. */
#define STORE_MEDIA_LAST_VARIANT "w1200"

/* One file of a photo. data is malloc'd (photos are megabytes): the caller frees it. */
struct store_media_file {
    struct str mime; /* in the arena */
    int64_t width, height;
    void *data;
    size_t len;
};

/** Inserts m (its id ignored; created_at and updated_at: m->created_at) with the whole
 * SHA-256 (64 hex); ERR_CONFLICT when the key or digest is taken. */
enum err_code store_media_insert(struct store *st, const struct media_item *m, const char *sha256,
                                 int64_t *id, struct err *err);
/** The photo of key, or ERR_NOTFOUND. */
enum err_code store_media_by_key(struct store *st, struct str key, struct arena *a,
                                 struct media_item *out, struct err *err);
/** The photo whose upload had this SHA-256 (64 hex), or ERR_NOTFOUND. */
enum err_code store_media_by_sha256(struct store *st, const char *sha256, struct arena *a,
                                    struct media_item *out, struct err *err);
/** Newest first, ids below before (0: from the newest), alt or file name containing q. */
enum err_code store_media_list(struct store *st, struct str q, int64_t before, size_t limit,
                               struct arena *a, struct media_item **out, size_t *n,
                               struct err *err);
/** Sets alt, decorative, caption and credit; ERR_NOTFOUND when there is no such key. */
enum err_code store_media_update(struct store *st, struct str key, const struct media_meta *meta,
                                 struct err *err);
/** Deletes the photo and its files; ERR_NOTFOUND when there is no such key. */
enum err_code store_media_delete(struct store *st, struct str key, struct err *err);
/** A private photo (a reader's, media_meta.private) joins the library; ERR_NOTFOUND if none. */
enum err_code store_media_publish(struct store *st, struct str key, struct err *err);
/**
 * Where the photo is used: posts whose Markdown or feature image names "/{key}/", staff
 * whose avatar does, the settings logo and icon; at most max. kind, id and title are
 * filled (url is left empty for the caller).
 */
enum err_code store_media_uses(struct store *st, struct str key, size_t max, struct arena *a,
                               struct media_use **out, size_t *n, struct err *err);
/** The stripped original exists: marks it ready with its size and rendition formats. */
enum err_code store_media_set_ready(struct store *st, int64_t id, int64_t bytes, unsigned formats,
                                    struct err *err);
/** Keys still needing work (not ready, or without STORE_MEDIA_LAST_VARIANT), oldest first. */
enum err_code store_media_pending(struct store *st, size_t max, struct arena *a, struct str **keys,
                                  size_t *n, struct err *err);
/** Stores (or replaces) one file of photo id. */
enum err_code store_media_file_put(struct store *st, int64_t id, const char *variant,
                                   const char *mime, int width, int height, const void *data,
                                   size_t len, struct err *err);
/** One file of photo id, or ERR_NOTFOUND. Free out->data. */
enum err_code store_media_file_get(struct store *st, int64_t id, const char *variant,
                                   struct arena *a, struct store_media_file *out, struct err *err);
/** Drops the uploaded bytes (secure_delete zeroes them in the file). */
enum err_code store_media_upload_drop(struct store *st, int64_t id, struct err *err);
/**
 * Copies the write-ahead log into the database and empties it. secure_delete zeroes a
 * deleted row's pages, but the log still holds their earlier versions (an upload's GPS
 * position) until this runs. Outside a transaction (it takes st's mutex for itself); it
 * waits up to the busy timeout for readers, and ERR_BUSY means the log keeps them until
 * the next checkpoint.
 */
enum err_code store_checkpoint(struct store *st, struct err *err);

/* ---- export, backup and restore (export.c) ---------------------------------------- */

/* One column of a row read whatever its type: its name (export: the Ghost column) and its
 * value. A blob's bytes are in text (only migrate's rows have blobs). */
enum store_value_kind { STORE_VALUE_NULL, STORE_VALUE_INT, STORE_VALUE_TEXT, STORE_VALUE_BLOB };

struct store_value {
    const char *name;
    enum store_value_kind kind;
    int64_t num;
    struct str text; /* borrowed: valid until the callback returns */
};

/* The tables of a Ghost export the database fills; the others are empty. */
enum store_export_table {
    STORE_EXPORT_POSTS, /* posts and pages, each with our Markdown as "markdown" */
    STORE_EXPORT_POSTS_META,
    STORE_EXPORT_USERS, /* no password hashes, ever; desks get "<slug>@desk.invalid" */
    STORE_EXPORT_ROLES_USERS,
    STORE_EXPORT_TAGS,
    STORE_EXPORT_POSTS_TAGS,    /* by post, in order */
    STORE_EXPORT_POSTS_AUTHORS, /* by post, in order */
};

/* Called with each row; a non-OK return stops the walk and is returned. */
typedef enum err_code (*store_export_fn)(const struct store_value *cols, size_t n, void *ctx,
                                         struct err *err);

/**
 * Begins (begin) or ends one read transaction, so that every table of an export comes
 * from the same moment. Not on the shared writer.
 */
enum err_code store_export_snapshot(struct store *st, bool begin, struct err *err);
/**
 * Calls fn with each row of table t in Ghost's columns and order, one row in memory at a
 * time. base_url (the site's address, no trailing slash) makes site paths absolute.
 */
enum err_code store_export_rows(struct store *st, enum store_export_table t, struct str base_url,
                                store_export_fn fn, void *ctx, struct err *err);
/** Every post and page, any status. */
enum err_code store_posts_total(struct store *st, int64_t *n, struct err *err);

/**
 * Copies the database at path, while servers use it, into the new file out (ERR_CONFLICT
 * if it exists, unless force) through SQLite's online backup API: one consistent snapshot,
 * writers never blocked (WAL), photos included (they are rows). The copy is checked
 * (integrity_check, foreign_key_check) under a temporary name and renamed to out only
 * then; it is one file in rollback-journal mode. The change stamp is not part of it.
 */
enum err_code store_backup(const char *path, const char *out, bool force,
                           store_progress_fn progress, void *ctx, struct err *err);
/**
 * Replaces the content of the database at path with the backup's, in place, while
 * servers use it: the backup must be a Newsdesk database no newer than this program that
 * passes integrity_check and whose schema is exactly what the migrations make at its
 * version (no foreign trigger or table comes in) (ERR_INVALID otherwise, nothing
 * changed); a path holding posts is
 * refused with ERR_CONFLICT unless force. An older backup is migrated after the copy. A
 * change "*" then tells every server to drop everything it cached.
 */
enum err_code store_restore(const char *path, const char *backup, bool force,
                            store_progress_fn progress, void *ctx, struct err *err);

/* ---- migrate: a whole site into another database (migrate.c) ---------------------- */

#define STORE_MIGRATE_TABLES_MAX 32
#define STORE_MIGRATE_SUM_HEX 16 /* the checksum as shown: its first 64 bits */

/* One table's copy: its rows in the source and read back from the destination, and
 * their checksums (the whole 256 bits are compared; the first 64 shown). */
struct store_migrate_table {
    const char *name;
    int64_t rows, copied;
    char sum[STORE_MIGRATE_SUM_HEX + 1], copied_sum[STORE_MIGRATE_SUM_HEX + 1];
};

struct store_migrate_report {
    struct store_migrate_table tables[STORE_MIGRATE_TABLES_MAX];
    size_t n;
};

/* Progress: table's rows done of total, what being "copied" or "verified" (the search
 * index's rebuild says "rebuilding", with 0 of 0). */
typedef void (*store_migrate_fn)(const char *table, const char *what, int64_t done, int64_t total,
                                 void *ctx);

/**
 * Copies every row of the site at from (a SQLite file or a PostgreSQL URL, at this
 * program's schema; an older one is migrated first, as any command does) into to, which
 * must hold no site: a SQLite file is made when missing, a PostgreSQL database gets its
 * schema. The source is read as one snapshot. The destination is written in one
 * transaction, committed only when every table read back has the source's row count and
 * checksum (out says both for each table); on any error it is left as it was (a file
 * made here is removed) and nothing is kept. The search index is rebuilt afterwards.
 * ERR_INVALID: a database that is not a Newsdesk one, the same one twice, or a
 * destination holding posts or staff. Not thread-safe with other users of either path.
 */
enum err_code store_migrate(const char *from, const char *to, store_migrate_fn progress, void *ctx,
                            struct store_migrate_report *out, struct err *err);

/** Sets a person's or desk's location (users.location), which profile saves leave alone. */
enum err_code store_user_location_set(struct store *st, int64_t id, struct str location,
                                      struct err *err);
enum err_code store_user_location(struct store *st, int64_t id, struct arena *a, struct str *out,
                                  struct err *err);
/**
 * A new tag (slug, name, description; internal when t->internal). ERR_CONFLICT when the
 * slug is taken. Call inside a transaction.
 */
enum err_code store_tag_insert(struct store *st, const struct content_tag *t, int64_t *id,
                               struct err *err);
/* ---- importing (import.c) ------------------------------------------------------------ */

/*
 * An import (import/) stages a reader's records in a temporary database attached to the
 * writer (store_stage_begin .. store_stage_drop; its writes are one transaction of their
 * own, committed by store_stage_commit before the site's first write), then applies them
 * in batches inside store_tx_begin/store_tx_end. Records are import/import.h's.
 */
struct import_user;
struct import_tag;
struct import_post;
struct import_post_meta;
struct import_attachment;

enum err_code store_stage_begin(struct store *st, struct err *err);
enum err_code store_stage_commit(struct store *st, struct err *err);
/** Rolls back what is open and detaches the staging database (its file goes). */
void store_stage_drop(struct store *st);
enum err_code store_stage_site(struct store *st, const char *key, struct str value,
                               struct err *err);
/** ERR_INVALID when the id was staged already ("user id '1' appears twice"). */
enum err_code store_stage_user(struct store *st, const struct import_user *u, struct err *err);
enum err_code store_stage_user_role(struct store *st, struct str id, struct str role,
                                    struct err *err);
enum err_code store_stage_tag(struct store *st, const struct import_tag *t, struct err *err);
enum err_code store_stage_post(struct store *st, const struct import_post *p, struct err *err);
/** A post's tag (tag true) or author, with its order. */
enum err_code store_stage_link(struct store *st, bool tag, struct str post_id, struct str other,
                               int64_t order, struct err *err);
/** A post's meta: fields a later record leaves empty keep what an earlier one gave. */
enum err_code store_stage_meta(struct store *st, const struct import_post_meta *m, struct err *err);
enum err_code store_stage_attachment(struct store *st, const struct import_attachment *at,
                                     struct err *err);
enum err_code store_stage_redirect(struct store *st, struct str from, int kind, struct str id,
                                   struct err *err);
enum err_code store_stage_site_all(struct store *st, struct arena *a, struct store_setting **out,
                                   size_t *n, struct err *err);
/** Every staged person (tag), in file order. */
enum err_code store_stage_users(struct store *st, struct arena *a, struct import_user **out,
                                size_t *n, struct err *err);
enum err_code store_stage_tags(struct store *st, struct arena *a, struct import_tag **out,
                               size_t *n, struct err *err);
/** At most limit staged posts in file order after *after (0: the first), which moves on. */
enum err_code store_stage_posts(struct store *st, int64_t *after, size_t limit, struct arena *a,
                                struct import_post **out, size_t *n, struct err *err);
enum err_code store_stage_posts_count(struct store *st, int64_t *n, struct err *err);
/** A post's tag (tags true) or author ids, by order. */
enum err_code store_stage_links_of(struct store *st, bool tags, struct str post_id, struct arena *a,
                                   struct str **out, size_t *n, struct err *err);
/** ERR_NOTFOUND when the post has none. */
enum err_code store_stage_meta_of(struct store *st, struct str post_id, struct arena *a,
                                  struct import_post_meta *out, struct err *err);
/** The attachment with this id or this URL, or ERR_NOTFOUND. */
enum err_code store_stage_attachment_get(struct store *st, struct str id, struct str url,
                                         struct arena *a, struct import_attachment *out,
                                         struct err *err);
enum err_code store_stage_redirects(struct store *st, struct arena *a, struct str **from,
                                    int **kinds, struct str **ids, size_t *n, struct err *err);
/** What an image URL of the old site became in this run (ERR_NOTFOUND: not seen yet). */
enum err_code store_stage_media_get(struct store *st, struct str url, struct arena *a,
                                    struct str *local, struct err *err);
enum err_code store_stage_media_set(struct store *st, struct str url, struct str local,
                                    struct err *err);

/** What source_id of kind ('post', 'tag', 'user', 'media') became, or ERR_NOTFOUND. */
enum err_code store_import_map_get(struct store *st, const char *source, const char *kind,
                                   struct str source_id, struct arena *a, int64_t *local_id,
                                   struct str *digest, struct err *err);
enum err_code store_import_map_set(struct store *st, const char *source, const char *kind,
                                   struct str source_id, int64_t local_id, struct str digest,
                                   struct err *err);
/** The newest run of this file (*id 0: none), its checkpoint and whether it finished. */
enum err_code store_import_run_last(struct store *st, const char *source, struct str file_digest,
                                    int64_t *id, int64_t *done, bool *finished, struct err *err);
enum err_code store_import_run_start(struct store *st, const char *source, struct str file_digest,
                                     int64_t done, int64_t *id, struct err *err);
/** The checkpoint (posts committed), or with finished the run's end. */
enum err_code store_import_run_done(struct store *st, int64_t id, int64_t done, bool finished,
                                    struct err *err);
/**
 * An imported post keeps its source's dates, uuid and Ghost id (0 or empty: left as they are).
 * One that another post has already is left out, and said in *dropped (1: the uuid, 2: the
 * Ghost id). The post's write logged its change in the same transaction. Call inside one.
 */
enum err_code store_import_post_fix(struct store *st, int64_t id, int64_t created_at,
                                    int64_t updated_at, struct str uuid, struct str ghost_id,
                                    unsigned *dropped, struct err *err);
/** A tag by ghost id, else by slug; *id 0 when neither. */
enum err_code store_import_tag_find(struct store *st, struct str ghost_id, struct str slug,
                                    int64_t *id, struct err *err);
/** Inserts (*id 0) or updates tag *id with slug (insert only), name, description, ghost id,
 * visibility. */
enum err_code store_import_tag_save(struct store *st, const struct import_tag *t, int64_t *id,
                                    struct err *err);
/** A person by ghost id, else slug, else login e-mail; *id 0 when none. */
enum err_code store_import_user_find(struct store *st, const struct import_user *u, int64_t *id,
                                     struct err *err);
/**
 * Inserts (*id 0: with role, an empty password hash, which no password matches, so the
 * account cannot log in until one is set; no public contact e-mail) or updates the
 * profile of person *id (name, bio, avatar, website, location; role and login stay).
 */
enum err_code store_import_user_save(struct store *st, const struct import_user *u,
                                     const char *role, int64_t *id, struct err *err);
/** Logs one change that refreshes every page (tags, bylines, redirects an import wrote). */
enum err_code store_import_changed(struct store *st, struct err *err);
/** Inserts or replaces the redirect from a path (with "?p=ID" for WordPress's). */
enum err_code store_redirect_set(struct store *st, struct str from, struct str to,
                                 const char *source, struct err *err);
/** Where a path moved to, or ERR_NOTFOUND: one indexed read. */
enum err_code store_redirect_get(struct store *st, struct str from, struct arena *a, struct str *to,
                                 struct err *err);

/* ---- WebSub subscriptions (websub.c) --------------------------------------------- */

/*
 * A verified subscription of the site's WebSub hub: callback receives topic's feed on
 * each change until expires_at. (topic, callback) is unique: subscribing again renews.
 * Nothing here logs a change (no page shows them).
 */
struct store_websub_sub {
    int64_t id;
    struct str topic;    /* the feed's absolute URL, as its rel=self */
    struct str callback; /* checked by websub/ before it gets here */
    struct str host;     /* the callback's host: the per-host cap counts by it */
    struct str dep;      /* the change-log key the feed follows: "list", "tag:3" */
    struct str secret;   /* signs deliveries; empty: none */
    int64_t lease_seconds;
    int64_t expires_at;
};

/** Adds s (its id is ignored), or renews the subscription of the same topic and callback. */
enum err_code store_websub_put(struct store *st, const struct store_websub_sub *s, int64_t now,
                               struct err *err);
/** Ends the subscription of topic and callback; *dropped (may be NULL) says if there was one. */
enum err_code store_websub_drop(struct store *st, struct str topic, struct str callback,
                                bool *dropped, struct err *err);
/** Deletes the subscriptions expired at now; *n (may be NULL) says how many. */
enum err_code store_websub_purge(struct store *st, int64_t now, int64_t *n, struct err *err);
/**
 * Live subscriptions at now: of callbacks on host (STR_NULL: skipped, 0), of topic
 * (STR_NULL: skipped, 0) and in all.
 */
enum err_code store_websub_counts(struct store *st, struct str host, struct str topic, int64_t now,
                                  int64_t *by_host, int64_t *by_topic, int64_t *total,
                                  struct err *err);
/**
 * The distinct topics with live subscriptions that follow dep (STR_NULL: every topic), at
 * most max of them. *topics lives in a.
 */
enum err_code store_websub_topics(struct store *st, struct str dep, int64_t now, size_t max,
                                  struct arena *a, struct str **topics, size_t *n, struct err *err);
/** The live subscriptions of topic, at most max, oldest first. Results live in a. */
enum err_code store_websub_subscribers(struct store *st, struct str topic, int64_t now, size_t max,
                                       struct arena *a, struct store_websub_sub **out, size_t *n,
                                       struct err *err);

#endif
