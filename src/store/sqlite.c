/*
 * The SQLite driver: the only file that includes sqlite3.h. It opens and configures a
 * connection, keeps its cache of prepared statements, binds, steps and reads columns,
 * and turns SQLite's result codes into ours. The SQL text comes from sql_sqlite.h.
 */
#include "store/store_int.h"

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sql_text[STMT__COUNT] = {
#define STORE_STMT_TEXT(name, sql) [STMT_##name] = sql,
    STORE_SQL(STORE_STMT_TEXT)
#undef STORE_STMT_TEXT
};

/* ---- the connection -------------------------------------------------------------- */

enum err_code store_sqlite_err(struct store *st, int rc, const char *what, struct err *err)
{
    /* the connection's message only when it is about rc (a refused bind leaves an older one) */
    bool own = st && st->db && sqlite3_extended_errcode(st->db) == rc;
    const char *msg = own ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    int prim = rc & 0xff;
    enum err_code code = ERR_INTERNAL;
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        code = ERR_BUSY;
    else if (prim == SQLITE_CONSTRAINT)
        code = ERR_CONFLICT;
    else if (prim == SQLITE_IOERR || prim == SQLITE_FULL)
        code = ERR_IO;
    else if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT)
        code = ERR_INVALID;
    return err_set(err, code, "%s: %s", what, msg);
}

static enum err_code sqlite_exec(struct store *st, const char *sql, struct err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return ERR_OK;
    enum err_code code = store_sqlite_err(st, rc, "database error", err);
    if (msg)
        err_set(err, code, "%s", msg);
    sqlite3_free(msg);
    return code;
}

/* The function a SQL text function of ours applies (store_search_fold, _forms). */
typedef void (*text_fn)(const char *p, size_t n, struct buf *out);

static void sql_text_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    text_fn fn = (text_fn)(uintptr_t)sqlite3_user_data(ctx);
    const char *p = (const char *)sqlite3_value_text(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    struct buf out;
    /* a body is capped well below this by the editor and the importers */
    buf_init(&out, (size_t)1 << 30);
    if (p)
        fn(p, n, &out);
    sqlite3_result_text(ctx, out.ptr ? out.ptr : "", (int)out.len, SQLITE_TRANSIENT);
    buf_release(&out);
}

/*
 * The functions the store's own statements use to write the full-text index (search.c).
 * They exist on our connections only: no trigger or view calls them, so the sqlite3 shell
 * still writes the file.
 */
static enum err_code register_functions(struct store *st, struct err *err)
{
    static const struct {
        const char *name;
        text_fn fn;
    } fns[] = {{"newsdesk_fold", store_search_fold}, {"newsdesk_forms", store_search_forms}};
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    for (size_t i = 0; i < ARRAY_LEN(fns); i++) {
        int rc = sqlite3_create_function(st->db, fns[i].name, 1, flags,
                                         (void *)(uintptr_t)fns[i].fn, sql_text_fn, NULL, NULL);
        if (rc != SQLITE_OK)
            return store_sqlite_err(st, rc, "cannot register a function", err);
    }
    return ERR_OK;
}

/*
 * Waiting on a busy database, counted. SQLite's busy_timeout handler with the same
 * schedule (its sqliteDefaultBusyCallback: sleeps of 1, 2, 5, 10, 15, 20, 25, 25, 25, 50,
 * 50 ms, then 100 ms each, up to BUSY_TIMEOUT_MS in all), so that /metrics can say how
 * often writers queue behind each other: the counters are process-wide, for every
 * connection of the process.
 */
#define BUSY_TIMEOUT_MS 5000

static _Atomic uint64_t busy_waits, busy_retries, busy_timeouts;

static int busy_wait(void *arg, int count)
{
    (void)arg;
    static const int delays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
    static const int totals[] = {0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228};
    enum { N = sizeof(delays) / sizeof(delays[0]) };
    int delay = count < N ? delays[count] : delays[N - 1];
    int prior = count < N ? totals[count] : totals[N - 1] + delay * (count - (N - 1));
    if (count == 0)
        atomic_fetch_add_explicit(&busy_waits, 1, memory_order_relaxed);
    if (prior + delay > BUSY_TIMEOUT_MS)
        delay = BUSY_TIMEOUT_MS - prior;
    if (delay <= 0) {
        atomic_fetch_add_explicit(&busy_timeouts, 1, memory_order_relaxed);
        return 0;
    }
    atomic_fetch_add_explicit(&busy_retries, 1, memory_order_relaxed);
    sqlite3_sleep(delay);
    return 1;
}

void store_db_busy_counts(uint64_t *waits, uint64_t *retries, uint64_t *timeouts)
{
    *waits = atomic_load(&busy_waits);
    *retries = atomic_load(&busy_retries);
    *timeouts = atomic_load(&busy_timeouts);
}

static enum err_code configure(struct store *st, struct err *err)
{
    enum err_code frc = register_functions(st, err);
    if (frc)
        return frc;
    /*
     * 5 s: a writer waits out another process's transaction (an editor's save takes
     * milliseconds) rather than failing at once; past that the caller gets ERR_BUSY.
     */
    sqlite3_busy_handler(st->db, busy_wait, NULL);
    sqlite3_extended_result_codes(st->db, 1);
    /*
     * synchronous=FULL on the writer: a write is acknowledged only after COMMIT, and an
     * acknowledged write must survive a power cut, which NORMAL does not promise in WAL.
     */
    if (st->mode == STORE_READ)
        return sqlite_exec(st,
                           "PRAGMA foreign_keys = ON; PRAGMA query_only = 1;"
                           " PRAGMA cache_size = -8000",
                           err);
    /*
     * secure_delete on the writer: deleted rows are overwritten with zeros rather than
     * left in free pages, so an upload's bytes (its GPS position, its camera's serial
     * number) are gone from the file once the stripped original replaces them.
     */
    return sqlite_exec(st,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                       " PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON",
                       err);
}

static enum err_code sqlite_open(struct store *st, struct err *err)
{
    /* NOMUTEX: a connection is used by one thread at a time (store.h) */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (st->mode == STORE_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(st->path, (sqlite3 **)&st->db, flags, NULL);
    if (rc != SQLITE_OK)
        return store_sqlite_err(st, rc, "cannot open database", err);
    return configure(st, err);
}

static enum err_code sqlite_checkpoint(struct store *st, struct err *err)
{
    int e = pthread_mutex_lock(&st->tx_mu);
    if (e)
        return err_set(err, ERR_INTERNAL, "cannot checkpoint: %s", strerror(e));
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    pthread_mutex_unlock(&st->tx_mu);
    return rc == SQLITE_OK ? ERR_OK : store_sqlite_err(st, rc, "cannot checkpoint", err);
}

static void sqlite_close(struct store *st)
{
    for (size_t i = 0; i < STMT__COUNT; i++)
        sqlite3_finalize(st->stmts[i]);
    sqlite3_close(st->db);
    st->db = NULL;
}

static enum err_code pragma_i64(struct store *st, const char *sql, int64_t *out, struct err *err)
{
    struct store_q q;
    store_q_prepare(st, sql, strlen(sql), &q, err);
    return store_q_i64(&q, out, "cannot read the database", err);
}

static enum err_code sqlite_schema(struct store *st, int64_t *version, int64_t *app,
                                   int64_t *objects, struct err *err)
{
    enum err_code rc = pragma_i64(st, "PRAGMA user_version", version, err);
    if (!rc)
        rc = pragma_i64(st, "PRAGMA application_id", app, err);
    if (!rc)
        rc = pragma_i64(st, "SELECT count(*) FROM sqlite_master", objects, err);
    return rc;
}

static enum err_code sqlite_set_schema(struct store *st, size_t version, struct err *err)
{
    char set[96];
    snprintf(set, sizeof(set), "PRAGMA user_version = %zu; PRAGMA application_id = %d", version,
             STORE_APPLICATION_ID);
    return sqlite_exec(st, set, err);
}

static int64_t sqlite_last_id(const struct store *st)
{
    return sqlite3_last_insert_rowid(st->db);
}

static int64_t sqlite_changes(const struct store *st)
{
    return sqlite3_changes64(st->db);
}

static bool sqlite_in_tx(const struct store *st)
{
    return st->db && !sqlite3_get_autocommit(st->db);
}

/* ---- statements ------------------------------------------------------------------ */

static void sqlite_q_open(struct store *st, enum store_stmt id, struct store_q *q, struct err *err)
{
    *q = (struct store_q){.st = st, .rc = SQLITE_OK};
    if (!store_may_run(st, err)) {
        q->open_rc = ERR_INTERNAL;
        return;
    }
    if (!st->stmts[id]) {
        /* PERSISTENT: kept for the connection's life, so SQLite allocates it for that */
        int rc = sqlite3_prepare_v3(st->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    (sqlite3_stmt **)&st->stmts[id], NULL);
        if (rc != SQLITE_OK) {
            q->open_rc = store_sqlite_err(st, rc, "cannot prepare statement", err);
            return;
        }
    }
    /* both are no-ops on a statement its last user ended, which is every one */
    sqlite3_reset(st->stmts[id]);
    sqlite3_clear_bindings(st->stmts[id]);
    q->s = st->stmts[id];
}

static void sqlite_q_prepare(struct store *st, const char *sql, size_t len, struct store_q *q,
                             struct err *err)
{
    *q = (struct store_q){.st = st, .owned = true, .rc = SQLITE_OK};
    if (!store_may_run(st, err)) {
        q->open_rc = ERR_INTERNAL;
        return;
    }
    if (len > INT_MAX) {
        q->open_rc = err_set(err, ERR_TOOBIG, "statement of %zu bytes", len);
        return;
    }
    int rc = sqlite3_prepare_v2(st->db, sql, (int)len, (sqlite3_stmt **)&q->s, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q->s);
        q->s = NULL;
        q->open_rc = store_sqlite_err(st, rc, "cannot prepare statement", err);
    }
}

/* Keeps the first failure: the one store_q_end reports. */
static void bound(struct store_q *q, int rc)
{
    if (rc != SQLITE_OK && q->rc == SQLITE_OK)
        q->rc = rc;
}

static void sqlite_bind_i64(struct store_q *q, int i, int64_t v)
{
    if (q->s)
        bound(q, sqlite3_bind_int64(q->s, i, v));
}

static void sqlite_bind_double(struct store_q *q, int i, double v)
{
    if (q->s)
        bound(q, sqlite3_bind_double(q->s, i, v));
}

static void sqlite_bind_str(struct store_q *q, int i, struct str v)
{
    if (!q->s)
        return;
    if (v.len > INT_MAX)
        bound(q, SQLITE_TOOBIG);
    else
        bound(q, sqlite3_bind_text(q->s, i, v.ptr ? v.ptr : "", (int)v.len, SQLITE_TRANSIENT));
}

static void sqlite_bind_blob(struct store_q *q, int i, const void *p, size_t n)
{
    if (!q->s)
        return;
    if (n > INT_MAX)
        bound(q, SQLITE_TOOBIG);
    else
        bound(q, sqlite3_bind_blob(q->s, i, p, (int)n, SQLITE_TRANSIENT));
}

static void sqlite_bind_null(struct store_q *q, int i)
{
    if (q->s)
        bound(q, sqlite3_bind_null(q->s, i));
}

#ifdef NEWSDESK_FAULTS
/*
 * Fault injection, compiled into the test build only (-DNEWSDESK_FAULTS; never a release
 * build). While the file named by the environment variable NEWSDESK_FAULT exists, it holds
 * "busy", "full", "ioerr" or "nomem", optionally followed by ":N", and every statement
 * that would write (every N-th one with ":N") fails with that result instead of running:
 * a locked database, a full disk, a failing disk, memory run out. Removing the file
 * lifts the fault. Statements that only read, BEGIN, COMMIT and ROLLBACK run as ever.
 */
static int fault_of(const char *name)
{
    static const struct {
        const char *name;
        int rc;
    } faults[] = {{"busy", SQLITE_BUSY},
                  {"full", SQLITE_FULL},
                  {"ioerr", SQLITE_IOERR_WRITE},
                  {"nomem", SQLITE_NOMEM}};
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
        if (!strcmp(name, faults[i].name))
            return faults[i].rc;
    return SQLITE_OK;
}

static int fault_injected(struct store *st, sqlite3_stmt *s)
{
    const char *path = getenv("NEWSDESK_FAULT");
    if (!path || !*path || sqlite3_stmt_readonly(s))
        return SQLITE_OK;
    FILE *f = fopen(path, "r");
    if (!f)
        return SQLITE_OK;
    char name[16] = "";
    unsigned every = 1;
    int n = fscanf(f, "%15[a-z]:%u", name, &every);
    fclose(f);
    int rc = n >= 1 ? fault_of(name) : SQLITE_OK;
    if (rc != SQLITE_OK && every > 1 && ++st->fault_writes % every != 0)
        return SQLITE_OK;
    return rc;
}
#endif

static bool sqlite_q_next(struct store_q *q)
{
    if (!q->s || (q->rc != SQLITE_OK && q->rc != SQLITE_ROW))
        return false;
#ifdef NEWSDESK_FAULTS
    int injected = fault_injected(q->st, q->s);
    if (injected != SQLITE_OK) {
        q->rc = injected;
        return false;
    }
#endif
    q->rc = sqlite3_step(q->s);
    return q->rc == SQLITE_ROW;
}

static enum err_code sqlite_q_end(struct store_q *q, const char *what, struct err *err)
{
    enum err_code code = q->open_rc;
    if (!code && q->rc != SQLITE_OK && q->rc != SQLITE_ROW && q->rc != SQLITE_DONE)
        code = store_sqlite_err(q->st, q->rc, what, err); /* before reset: the message is kept */
    if (q->s && q->owned)
        sqlite3_finalize(q->s);
    else if (q->s)
        sqlite3_reset(q->s); /* ends the statement's read: WAL readers see new commits */
    q->s = NULL;
    return code;
}

static int64_t sqlite_col_i64(const struct store_q *q, int i)
{
    return sqlite3_column_int64(q->s, i);
}

static double sqlite_col_double(const struct store_q *q, int i)
{
    return sqlite3_column_double(q->s, i);
}

static bool sqlite_col_bool(const struct store_q *q, int i)
{
    return sqlite3_column_int(q->s, i) != 0;
}

static bool sqlite_col_is_null(const struct store_q *q, int i)
{
    return sqlite3_column_type(q->s, i) == SQLITE_NULL;
}

static int sqlite_col_count(const struct store_q *q)
{
    return sqlite3_column_count(q->s);
}

static void *sqlite_col_blob(const struct store_q *q, int i, size_t *len)
{
    const void *p = sqlite3_column_blob(q->s, i);
    size_t n = (size_t)sqlite3_column_bytes(q->s, i);
    *len = 0;
    if (!p || n == 0)
        return NULL;
    void *copy = xmalloc(n);
    memcpy(copy, p, n);
    *len = n;
    return copy;
}

static struct str sqlite_col_str(const struct store_q *q, int i, struct arena *a)
{
    const char *p = (const char *)sqlite3_column_text(q->s, i);
    size_t n = (size_t)sqlite3_column_bytes(q->s, i);
    if (!p)
        return (struct str){"", 0};
    return (struct str){arena_strndup(a, p, n), n};
}

static void sqlite_col_value(const struct store_q *q, int i, struct store_value *v, struct arena *a)
{
    (void)a; /* SQLite's values are read as they are */
    *v = (struct store_value){.name = sqlite3_column_name(q->s, i)};
    switch (sqlite3_column_type(q->s, i)) {
    case SQLITE_NULL:
        v->kind = STORE_VALUE_NULL;
        break;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
        v->kind = STORE_VALUE_INT;
        v->num = sqlite3_column_int64(q->s, i);
        break;
    case SQLITE_BLOB:
        v->kind = STORE_VALUE_BLOB;
        v->text.ptr = sqlite3_column_blob(q->s, i);
        v->text.len = (size_t)sqlite3_column_bytes(q->s, i);
        if (!v->text.ptr)
            v->text = STR_LIT("");
        break;
    default:
        v->kind = STORE_VALUE_TEXT;
        v->text.ptr = (const char *)sqlite3_column_text(q->s, i);
        v->text.len = (size_t)sqlite3_column_bytes(q->s, i);
        if (!v->text.ptr)
            v->text = STR_LIT("");
    }
}

static int sqlite_param_count(const struct store_q *q)
{
    return sqlite3_bind_parameter_count(q->s);
}

static const char *sqlite_migration_sql(size_t version)
{
    return store_migration_sql(version);
}

static const char *sqlite_migration_fill_sql(size_t version)
{
    return store_migration_fill_sql(version);
}

static const struct store_scripts scripts = {
    /*
     * One transaction of a million posts writes gigabytes of index pages; with the
     * writer's default 2 MB page cache they spill into the WAL and FTS5's merges read
     * them back from there (measured: 41 GB written for 200,000 posts, 740 posts/s).
     * 512 MB keeps the pages being merged in memory for the length of the rebuild.
     */
    .reindex_start = "PRAGMA cache_size = -524288",
    /* dropping the table is far quicker than deleting a million rows one by one */
    .reindex_create =
        "DROP TABLE IF EXISTS post_search;" SQL_SEARCH_CREATE ";" SQL_SEARCH_BULK_MERGING,
    /*
     * The old index's pages were zeroed as the DROP freed them (they may hold words of
     * posts deleted since its last merge). The new index's own are not: with
     * secure_delete ON every page of a segment FTS5's merges free is written again as
     * zeros, gigabytes at a million posts, though all it holds is the text of the posts
     * still in the file.
     */
    .reindex_fill = "PRAGMA secure_delete = FAST",
    .reindex_done = SQL_SEARCH_DAILY_MERGING,
    .reindex_end = "PRAGMA cache_size = -2000; PRAGMA secure_delete = ON",
    .staging_create = SQL_IMPORT_STAGING_CREATE,
};

const struct store_driver store_sqlite_driver = {
    .name = "SQLite",
    .scripts = &scripts,
    .search_match = store_search_match,
    .like = " LIKE ",
    .open = sqlite_open,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .schema = sqlite_schema,
    .set_schema = sqlite_set_schema,
    .last_id = sqlite_last_id,
    .changes = sqlite_changes,
    .in_tx = sqlite_in_tx,
    .checkpoint = sqlite_checkpoint,
    .migration_sql = sqlite_migration_sql,
    .migration_fill_sql = sqlite_migration_fill_sql,
    .q_open = sqlite_q_open,
    .q_prepare = sqlite_q_prepare,
    .bind_i64 = sqlite_bind_i64,
    .bind_double = sqlite_bind_double,
    .bind_str = sqlite_bind_str,
    .bind_blob = sqlite_bind_blob,
    .bind_null = sqlite_bind_null,
    .q_next = sqlite_q_next,
    .q_end = sqlite_q_end,
    .col_i64 = sqlite_col_i64,
    .col_double = sqlite_col_double,
    .col_bool = sqlite_col_bool,
    .col_is_null = sqlite_col_is_null,
    .col_count = sqlite_col_count,
    .col_blob = sqlite_col_blob,
    .col_str = sqlite_col_str,
    .col_value = sqlite_col_value,
    .param_count = sqlite_param_count,
};
