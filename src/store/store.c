/*
 * Connections, migrations, transactions, the change log and settings.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs a named statement that returns no rows and takes no parameters. */
static enum err_code run(struct store *st, enum store_stmt id, const char *what, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    return store_q_exec(&q, NULL, what, err);
}

static enum err_code migrate(struct store *st, int64_t from, struct err *err)
{
    for (size_t v = (size_t)from + 1; v <= store_migration_count(); v++) {
        const char *sql = st->drv->migration_sql(v), *fill = st->drv->migration_fill_sql(v);
        enum err_code rc = run(st, STMT_BEGIN, "cannot begin", err);
        if (!rc && sql && *sql)
            rc = store_db_exec(st, sql, err);
        if (!rc && fill)
            rc = store_db_exec(st, fill, err);
        if (!rc)
            rc = store_db_set_schema(st, v, err);
        if (!rc)
            rc = run(st, STMT_COMMIT, "cannot commit", err);
        if (rc) {
            run(st, STMT_ROLLBACK, "cannot roll back", NULL);
            err_prefix(err, "cannot migrate '%s' to schema %zu", st->path, v);
            return rc;
        }
    }
    return ERR_OK;
}

/* Checks that the file is ours and at a schema version we can use in this mode. */
static enum err_code check_schema(struct store *st, struct err *err)
{
    int64_t version, app, tables;
    if (store_db_schema(st, &version, &app, &tables, err)) {
        err_prefix(err, "'%s' is not a usable database", st->path);
        return ERR_INVALID;
    }
    if (version == 0 && tables == 0 && st->mode == STORE_CREATE)
        return migrate(st, 0, err);
    if (version == 0 && tables == 0)
        return err_set(err, ERR_INVALID, "'%s' is empty: create it with 'newsdesk init --db %s'",
                       st->path, st->path);
    if (app != STORE_APPLICATION_ID)
        return err_set(err, ERR_INVALID, "'%s' is not a Newsdesk database", st->path);
    if (version > STORE_SCHEMA_VERSION)
        return err_set(err, ERR_INVALID,
                       "'%s' has schema %lld, newer than this newsdesk (%d): upgrade newsdesk",
                       st->path, (long long)version, STORE_SCHEMA_VERSION);
    if (version < STORE_SCHEMA_VERSION && st->mode == STORE_READ)
        return err_set(err, ERR_INVALID, "'%s' has schema %lld; open it for writing to migrate",
                       st->path, (long long)version);
    return version < STORE_SCHEMA_VERSION ? migrate(st, version, err) : ERR_OK;
}

enum err_code store_ready(struct store *st, struct err *err)
{
    int64_t version, app, tables;
    enum err_code rc = store_db_schema(st, &version, &app, &tables, err);
    if (rc)
        return rc;
    if (app != STORE_APPLICATION_ID)
        return err_set(err, ERR_INVALID, "'%s' is no longer a Newsdesk database", st->path);
    if (version != STORE_SCHEMA_VERSION)
        return err_set(err, ERR_INVALID,
                       "'%s' has schema %lld; this server uses %d (restart it after a migration)",
                       st->path, (long long)version, STORE_SCHEMA_VERSION);
    return ERR_OK;
}

static struct store *store_new(const char *path, enum store_mode mode)
{
    struct store *st = xcalloc(1, sizeof(*st));
    st->path = xstrdup(path);
    st->mode = mode;
    /* error-checking: a thread that begins twice gets EDEADLK instead of hanging */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&st->tx_mu, &attr);
    pthread_mutexattr_destroy(&attr);
    return st;
}

enum err_code store_open(const char *path, enum store_mode mode, struct store **out,
                         struct err *err)
{
    struct stat sb;
    bool pg = store_path_is_pg(path);
    if (!pg && mode != STORE_CREATE && stat(path, &sb) != 0)
        return err_set(err, ERR_INVALID,
                       "database '%s' does not exist: create it with 'newsdesk init --db %s'", path,
                       path);
    /* a new file holds password hashes and session tokens once used: not for every user of
     * the machine (doctor's check), whatever the umask lets SQLite give it */
    if (!pg && mode == STORE_CREATE && stat(path, &sb) != 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd >= 0)
            close(fd);
    }
    struct store *st = store_new(path, mode);
    st->drv = pg ? &store_pg_driver : &store_sqlite_driver;
    enum err_code code = store_db_open(st, err);
    if (code && !st->db)
        err_prefix(err, "'%s'", path);
    else if (code)
        err_prefix(err, "'%s' is not a usable Newsdesk database", path);
    if (!code)
        code = check_schema(st, err);
    if (!code)
        code = store_stamp_map(st, err);
    if (code) {
        store_close(st);
        return code == ERR_BUSY ? code : ERR_INVALID;
    }
    *out = st;
    return ERR_OK;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    store_db_close(st);
    store_stamp_unmap(st);
    pthread_mutex_destroy(&st->tx_mu);
    free(st->path);
    free(st);
}

/* ---- transactions ---------------------------------------------------------------- */

/* The transaction primitives under store_tx_begin/end, without the mutex. */
static void tx_rollback(struct store *st);

static enum err_code tx_begin(struct store *st, struct err *err)
{
    enum err_code rc = run(st, STMT_BEGIN, "cannot begin a transaction", err);
    if (!rc) {
        st->in_tx = true;
        st->tx_changed = false;
        st->tx_published = st->tx_published_due = 0;
    }
    return rc;
}

static enum err_code one_int(struct store *st, enum store_stmt id, int64_t *out, struct err *err);

/* Raises the announced head to at least v (several processes race here). */
static void raise_head(_Atomic uint64_t *head, uint64_t v)
{
    uint64_t cur = atomic_load(head);
    while (cur < v && !atomic_compare_exchange_weak(head, &cur, v))
        ;
}

/*
 * Tells every server that a change was committed: the head first (so that a check does
 * not take this change for a lost one), then the counter. A head that cannot be read
 * is left alone: the counter still moves, and a check merely bumps it once more.
 */
static void stamp_announce(struct store *st)
{
    int64_t head;
    struct err ignored = {0};
    if (one_int(st, STMT_CHANGES_HEAD, &head, &ignored) == ERR_OK)
        raise_head(&st->stamp[1], (uint64_t)head);
    atomic_fetch_add(&st->stamp[0], 1);
    store_stamp_wake(st);
}

/*
 * Posts published by this process since it started: [0] by staff, [1] by the scheduler.
 * Process-wide, like the error counters: every connection of the process adds to them.
 */
static _Atomic uint64_t published[2];

static void count_published(struct store *st)
{
    atomic_fetch_add_explicit(&published[0], st->tx_published, memory_order_relaxed);
    atomic_fetch_add_explicit(&published[1], st->tx_published_due, memory_order_relaxed);
    st->tx_published = st->tx_published_due = 0;
}

void store_note_published(struct store *st)
{
    st->tx_published++;
}

enum err_code store_metrics_write(struct buf *out)
{
    uint64_t waits, retries, timeouts;
    store_db_busy_counts(&waits, &retries, &timeouts);
    return buf_printf(
        out,
        "# HELP newsdesk_posts_published_total Posts made public by this server: by staff "
        "(the newsroom, the Admin API) or by the scheduler at their time.\n"
        "# TYPE newsdesk_posts_published_total counter\n"
        "newsdesk_posts_published_total{by=\"staff\"} %llu\n"
        "newsdesk_posts_published_total{by=\"scheduler\"} %llu\n"
        "# HELP newsdesk_store_busy_waits_total Database operations that found the database "
        "busy with another connection's write and waited.\n"
        "# TYPE newsdesk_store_busy_waits_total counter\n"
        "newsdesk_store_busy_waits_total %llu\n"
        "# HELP newsdesk_store_busy_retries_total Retries of operations waiting on a busy "
        "database.\n"
        "# TYPE newsdesk_store_busy_retries_total counter\n"
        "newsdesk_store_busy_retries_total %llu\n"
        "# HELP newsdesk_store_busy_timeouts_total Waits on a busy database that ran out of "
        "time (the operation failed as busy).\n"
        "# TYPE newsdesk_store_busy_timeouts_total counter\n"
        "newsdesk_store_busy_timeouts_total %llu\n",
        (unsigned long long)atomic_load(&published[0]),
        (unsigned long long)atomic_load(&published[1]), (unsigned long long)waits,
        (unsigned long long)retries, (unsigned long long)timeouts);
}

static enum err_code tx_commit(struct store *st, struct err *err)
{
    enum err_code rc = run(st, STMT_COMMIT, "cannot commit", err);
    if (rc) {
        tx_rollback(st);
        return rc;
    }
    st->in_tx = false;
    /* after COMMIT, before the write returns: readers looking later see it (store.h) */
    if (st->tx_changed && st->stamp)
        stamp_announce(st);
    st->tx_changed = false;
    count_published(st);
    return ERR_OK;
}

static void tx_rollback(struct store *st)
{
    if (st->in_tx || store_db_in_tx(st))
        run(st, STMT_ROLLBACK, "cannot roll back", NULL);
    st->in_tx = false;
    st->tx_changed = false;
    st->tx_published = st->tx_published_due = 0;
}

_Thread_local const struct store *store_tx_held;

void store_share(struct store *st)
{
    st->shared = true;
}

bool store_may_run(const struct store *st, struct err *err)
{
    if (!st->shared || store_tx_held == st)
        return true;
    log_error("store: a statement on the shared writer outside a transaction");
    err_set(err, ERR_INTERNAL, "a statement on the shared writer outside a transaction");
    return false;
}

enum err_code store_tx_begin(struct store *st, struct err *err)
{
    int e = pthread_mutex_lock(&st->tx_mu);
    if (e)
        return err_set(err, ERR_INTERNAL, "cannot begin: %s", strerror(e));
    store_tx_held = st;
    enum err_code rc = tx_begin(st, err);
    if (rc) {
        store_tx_held = NULL;
        pthread_mutex_unlock(&st->tx_mu);
    }
    return rc;
}

enum err_code store_tx_end(struct store *st, enum err_code rc, struct err *err)
{
    if (!rc)
        rc = tx_commit(st, err);
    else
        tx_rollback(st);
    store_tx_held = NULL;
    pthread_mutex_unlock(&st->tx_mu);
    return rc;
}

/* ---- changes --------------------------------------------------------------------- */

const _Atomic uint64_t *store_stamp(const struct store *st)
{
    return st->stamp;
}

enum err_code store_change_log(struct store *st, const char *deps, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_CHANGE_INSERT, &q, err);
    store_bind_i64(&q, 1, time_now());
    store_bind_text(&q, 2, deps);
    enum err_code rc = store_q_exec(&q, NULL, "cannot log change", err);
    if (rc)
        return rc;
    store_q_open(st, STMT_CHANGE_TRIM, &q, err);
    store_bind_i64(&q, 1, STORE_CHANGES_KEPT);
    rc = store_q_exec(&q, NULL, "cannot trim the change log", err);
    if (!rc)
        st->tx_changed = true;
    return rc;
}

static enum err_code one_int(struct store *st, enum store_stmt id, int64_t *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    return store_q_i64(&q, out, "cannot read changes", err);
}

enum err_code store_changes_head(struct store *st, int64_t *seq, struct err *err)
{
    return one_int(st, STMT_CHANGES_HEAD, seq, err);
}

void store_stamp_head(struct store *st, uint64_t v)
{
    if (!st->stamp || v <= atomic_load(&st->stamp[1]))
        return;
    raise_head(&st->stamp[1], v);
    atomic_fetch_add(&st->stamp[0], 1);
    store_stamp_wake(st);
}

enum err_code store_stamp_check(struct store *st, bool *repaired, struct err *err)
{
    *repaired = false;
    int64_t head;
    enum err_code rc = one_int(st, STMT_CHANGES_HEAD, &head, err);
    if (rc || !st->stamp || (uint64_t)head <= atomic_load(&st->stamp[1]))
        return rc;
    store_stamp_head(st, (uint64_t)head);
    /* on PostgreSQL another server's change is usually just ahead of its notification,
     * which is no fault; on one SQLite file only a writer that died leaves one untold */
    *repaired = !store_path_is_pg(st->path);
    return ERR_OK;
}

static const struct store_col change_cols[] = {
    STORE_COL(struct store_change, 0, seq),
    STORE_COL(struct store_change, 1, deps),
};

enum err_code store_changes_since(struct store *st, int64_t seq, size_t max, struct arena *a,
                                  struct store_change **out, size_t *n, bool *complete,
                                  struct err *err)
{
    int64_t oldest;
    enum err_code code = one_int(st, STMT_CHANGES_OLDEST, &oldest, err);
    if (code)
        return code;
    /* rows after seq were trimmed if the oldest one left is beyond seq + 1 */
    *complete = oldest == 0 || oldest <= seq + 1;
    struct store_q q;
    store_q_open(st, STMT_CHANGES_SINCE, &q, err);
    store_bind_i64(&q, 1, seq);
    store_bind_i64(&q, 2, (int64_t)max);
    void *v;
    code =
        store_q_rows(&q, sizeof(struct store_change), max, STORE_ROW(change_cols), a, &v, n, err);
    if (!code)
        *out = v;
    return code;
}

/* ---- settings -------------------------------------------------------------------- */

enum err_code store_setting_get(struct store *st, const char *key, struct arena *a,
                                struct str *value, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SETTING_GET, &q, err);
    store_bind_text(&q, 1, key);
    enum err_code rc = store_q_row(&q, &store_row_str, a, value, "setting", err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "setting '%s' is not set", key);
    return rc;
}

enum err_code store_setting_set(struct store *st, const char *key, struct str value,
                                struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SETTING_SET, &q, err);
    store_bind_text(&q, 1, key);
    store_bind_str(&q, 2, value);
    enum err_code rc = store_q_exec(&q, NULL, "cannot save setting", err);
    /* a running server rebuilds its site from them; every page may change */
    return rc ? rc : store_change_log(st, "settings *", err);
}

static const struct store_col setting_cols[] = {
    STORE_COL(struct store_setting, 0, key),
    STORE_COL(struct store_setting, 1, value),
};

enum err_code store_settings_all(struct store *st, struct arena *a, struct store_setting **out,
                                 size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SETTINGS_ALL, &q, err);
    void *v;
    /* settings are a few dozen fixed keys (site/settings.c); 10,000 is a cap, not a guess */
    enum err_code rc = store_q_rows(&q, sizeof(struct store_setting), 10000,
                                    STORE_ROW(setting_cols), a, &v, n, err);
    if (!rc)
        *out = v;
    return rc;
}
