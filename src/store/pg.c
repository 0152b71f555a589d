/*
 * The PostgreSQL driver: the only file that includes libpq-fe.h. It opens a connection
 * from a postgresql:// URL, keeps the names it has prepared, binds parameters as text
 * (PostgreSQL infers each one's type from the statement), runs a statement when its first
 * row is asked for and reads the whole result, and turns SQLSTATEs into our errors.
 *
 * The SQL is SQLite's (sql_sqlite*.h) with its placeholders renumbered (store_pg_rewrite:
 * ?1 becomes $1, a bare ? the next $n), except the statements sql_pg.h gives a text of
 * their own. Results come in libpq's text format: integers as decimal text, booleans as
 * t and f, bytea as \x and hex digits.
 *
 * Writes are serialised as SQLite serialises them: a write transaction takes one
 * transaction-scoped advisory lock right after BEGIN, so two servers' writers take turns
 * on the whole database and every read-then-write of the store (a free slug, the next
 * sort order) stays as correct as it is on one file. Writes are short (milliseconds), so
 * the lock costs the newsroom nothing it would notice.
 *
 * A lost connection is reopened on the next statement, no more often than a backoff that
 * doubles from 100 ms to 5 s; until then statements fail at once with ERR_BUSY (503, "the
 * database is unreachable"), so a reader's page comes from the cache or fails fast rather
 * than piling up behind a dead socket.
 */
#include "store/store_int.h"
#include "store/pg_sql.h"
#include "store/sql_pg.h"

#include <inttypes.h>
#include <poll.h>
#include <stdatomic.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* q->rc: the driver's own codes (store_q's rc is the driver's) */
enum { PGQ_OK, PGQ_ROW, PGQ_DONE, PGQ_FAILED, PGQ_TOOBIG, PGQ_RANGE, PGQ_LOST };

/* The most parameters a statement binds; PostgreSQL's own limit is 65,535. */
#define PGQ_MAX_PARAMS 1024

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

struct pg_conn {
    PGconn *c;
    int64_t changes;     /* rows the last command changed */
    uint64_t retry_ns;   /* a lost connection is tried again from this time (monotonic) */
    unsigned backoff_ms; /* the wait before the next try after this one fails */
    char lost_msg[256];  /* why the connection was lost, for the errors until it is back */
};

/* A statement being bound and run: its parameters as text (or binary for a blob). */
struct pg_q {
    int id;        /* the named statement, or -1 for one prepared for the call */
    int want;      /* the parameters the named statement has: all are sent */
    char *sql;     /* the call's own text, rewritten */
    PGresult *res; /* after the run */
    int row, rows;
    int nparams, cap;
    char **values;
    int *lengths, *formats;
};

static PGconn *conn_of(const struct store *st)
{
    return ((const struct pg_conn *)st->db)->c;
}

/* ---- the statements' texts ------------------------------------------------------- */

static const char *const sqlite_text[STMT__COUNT] = {
#define PG_SQLITE_TEXT(name, sql) [STMT_##name] = sql,
    STORE_SQL(PG_SQLITE_TEXT)
#undef PG_SQLITE_TEXT
};

static const char *const pg_override[STMT__COUNT] = {
#define PG_OVERRIDE_TEXT(name, sql) [STMT_##name] = sql,
    STORE_SQL_PG(PG_OVERRIDE_TEXT)
#undef PG_OVERRIDE_TEXT
};

static char *pg_text[STMT__COUNT];
static pthread_once_t pg_text_once = PTHREAD_ONCE_INIT;

/* sql (len bytes) with its placeholders renumbered, malloc'd and NUL-terminated. */
static char *rewritten(const char *sql, size_t len)
{
    /* "?" becomes at most "$65535": six bytes for one */
    size_t cap = len * 6 + 1;
    char *out = xmalloc(cap);
    store_pg_rewrite(sql, len, out, cap);
    return out;
}

static void pg_text_build(void)
{
    for (size_t i = 0; i < STMT__COUNT; i++)
        pg_text[i] = pg_override[i] ? xstrdup(pg_override[i])
                                    : rewritten(sqlite_text[i], strlen(sqlite_text[i]));
}

/* ---- errors ---------------------------------------------------------------------- */

/* Our error for a failed result, by its SQLSTATE's class. */
static enum err_code code_of(const char *state, bool lost)
{
    if (lost || !state)
        return ERR_BUSY;
    if (!strncmp(state, "23", 2))
        return ERR_CONFLICT; /* integrity constraint violation */
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
        !strncmp(state, "08", 2) || !strncmp(state, "57P", 3))
        return ERR_BUSY; /* serialization, deadlock, lock wait, connection, shutdown */
    if (!strncmp(state, "53", 2) || !strncmp(state, "58", 2))
        return ERR_IO; /* out of disk or memory, system error */
    if (!strncmp(state, "22", 2))
        return ERR_INVALID; /* a value the column cannot hold */
    return ERR_INTERNAL;
}

/* The first line of libpq's message (they end with a newline, some with a second line). */
static void one_line(const char *msg, char *out, size_t cap)
{
    snprintf(out, cap, "%s", msg && *msg ? msg : "no message");
    out[strcspn(out, "\n")] = '\0';
}

static bool conn_lost(const struct store *st)
{
    return PQstatus(conn_of(st)) != CONNECTION_OK;
}

static enum err_code result_err(struct store *st, const PGresult *res, const char *what,
                                struct err *err)
{
    char msg[512];
    bool lost = conn_lost(st);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    one_line(primary ? primary : PQerrorMessage(conn_of(st)), msg, sizeof(msg));
    if (lost)
        return err_set(err, ERR_BUSY, "%s: the database is unreachable (%s)", what, msg);
    return err_set(err, code_of(state, false), "%s: %s", what, msg);
}

/* ---- the connection -------------------------------------------------------------- */

/* Runs sql (one or more statements without parameters) and keeps its result's count. */
static enum err_code run_sql(struct store *st, const char *sql, const char *what, struct err *err)
{
    struct pg_conn *pc = st->db;
    PGresult *res = PQexec(pc->c, sql);
    ExecStatusType s = PQresultStatus(res);
    enum err_code rc = ERR_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        rc = result_err(st, res, what, err);
    else
        pc->changes = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return rc;
}

static bool reconnected(struct store *st, struct err *err);

/* ERR_OK when st's connection is up, or was lost and is back (its backoff allowing). */
static enum err_code connected(struct store *st, struct err *err)
{
    return !conn_lost(st) || reconnected(st, err) ? ERR_OK : ERR_BUSY;
}

static enum err_code pg_exec(struct store *st, const char *sql, struct err *err)
{
    enum err_code rc = connected(st, err);
    return rc ? rc : run_sql(st, sql, "database error", err);
}

/*
 * The session's settings: UTC and ISO dates whatever the server's defaults (the store
 * keeps Unix seconds, but a function of a date must not depend on them), messages in
 * English for the log, and a reader's connection refuses writes as SQLite's query_only.
 */
static enum err_code configure(struct store *st, struct err *err)
{
    enum err_code rc = run_sql(st,
                               "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO';"
                               " SET client_min_messages = warning; SET lc_messages = 'C'",
                               "cannot configure the connection", err);
    if (!rc && st->mode == STORE_READ)
        rc = run_sql(st, "SET default_transaction_read_only = on",
                     "cannot configure the connection", err);
    return rc;
}

/* The server's notices (a WARNING, a NOTICE) go to our log, not to stderr as libpq's do. */
static void notice(void *arg, const char *msg)
{
    (void)arg;
    char line[512];
    one_line(msg, line, sizeof(line));
    log_debug("store: PostgreSQL says: %s", line);
}

static enum err_code pg_open(struct store *st, struct err *err)
{
    pthread_once(&pg_text_once, pg_text_build);
    struct pg_conn *pc = xcalloc(1, sizeof(*pc));
    st->db = pc;
    pc->c = PQconnectdb(st->path);
    if (!pc->c)
        return err_set(err, ERR_INTERNAL, "cannot connect: out of memory");
    if (PQstatus(pc->c) != CONNECTION_OK) {
        char msg[512];
        one_line(PQerrorMessage(pc->c), msg, sizeof(msg));
        PQfinish(pc->c);
        free(pc);
        st->db = NULL;
        return err_set(err, ERR_BUSY, "cannot connect to PostgreSQL: %s", msg);
    }
    PQsetNoticeProcessor(pc->c, notice, NULL);
    return configure(st, err);
}

static void pg_close(struct store *st)
{
    struct pg_conn *pc = st->db;
    if (!pc)
        return;
    PQfinish(pc->c);
    free(pc);
    st->db = NULL;
    memset(st->stmts, 0, sizeof(st->stmts));
}

/*
 * A lost connection reopened, when its backoff allows: false (with ERR_BUSY) while it
 * stays lost. A reopened connection has prepared nothing yet.
 */
static bool reconnected(struct store *st, struct err *err)
{
    struct pg_conn *pc = st->db;
    uint64_t now = time_mono_ns();
    if (now >= pc->retry_ns) {
        PQreset(pc->c);
        if (PQstatus(pc->c) == CONNECTION_OK && configure(st, err) == ERR_OK) {
            memset(st->stmts, 0, sizeof(st->stmts));
            pc->backoff_ms = 0;
            log_info("store: reconnected to PostgreSQL");
            return true;
        }
        one_line(PQerrorMessage(pc->c), pc->lost_msg, sizeof(pc->lost_msg));
        pc->backoff_ms = pc->backoff_ms ? pc->backoff_ms * 2 : BACKOFF_MIN_MS;
        if (pc->backoff_ms > BACKOFF_MAX_MS)
            pc->backoff_ms = BACKOFF_MAX_MS;
        pc->retry_ns = now + (uint64_t)pc->backoff_ms * 1000000u;
    }
    err_set(err, ERR_BUSY, "the database is unreachable (%s)", pc->lost_msg);
    return false;
}

static enum err_code pg_checkpoint(struct store *st, struct err *err)
{
    (void)st;
    (void)err;
    return ERR_OK; /* PostgreSQL's checkpoints are its own */
}

/*
 * Newsdesk's marks live in a table of one row, where SQLite has PRAGMA user_version and
 * application_id: the schema version and "NEWS".
 */
static enum err_code one_value(struct store *st, const char *sql, int64_t *out, struct err *err)
{
    PGresult *res = PQexec(conn_of(st), sql);
    enum err_code rc = ERR_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = result_err(st, res, "cannot read the database", err);
    else
        *out = PQntuples(res) && !PQgetisnull(res, 0, 0) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
                                                         : 0;
    PQclear(res);
    return rc;
}

static enum err_code pg_schema(struct store *st, int64_t *version, int64_t *app, int64_t *objects,
                               struct err *err)
{
    *version = *app = 0;
    enum err_code rc = connected(st, err);
    if (rc)
        return rc;
    rc = one_value(st,
                   "SELECT count(*) FROM pg_catalog.pg_class c JOIN"
                   " pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                   " WHERE n.nspname = current_schema()",
                   objects, err);
    int64_t marked = 0;
    if (!rc)
        rc =
            one_value(st, "SELECT (to_regclass('newsdesk_schema') IS NOT NULL)::int", &marked, err);
    if (!rc && marked)
        rc = one_value(st, "SELECT version FROM newsdesk_schema", version, err);
    if (!rc && marked)
        rc = one_value(st, "SELECT application_id FROM newsdesk_schema", app, err);
    return rc;
}

static enum err_code pg_set_schema(struct store *st, size_t version, struct err *err)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "CREATE TABLE IF NOT EXISTS newsdesk_schema (version BIGINT NOT NULL,"
             " application_id BIGINT NOT NULL); DELETE FROM newsdesk_schema;"
             " INSERT INTO newsdesk_schema VALUES (%zu, %d)",
             version, STORE_APPLICATION_ID);
    return run_sql(st, sql, "cannot record the schema version", err);
}

/* The id the last INSERT drew from its sequence, for a statement without RETURNING id. */
static int64_t pg_last_id(const struct store *st)
{
    PGresult *res = PQexec(conn_of(st), "SELECT lastval()");
    int64_t id = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res)
                     ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
                     : 0;
    PQclear(res);
    return id;
}

static int64_t pg_changes(const struct store *st)
{
    return ((const struct pg_conn *)st->db)->changes;
}

static bool pg_in_tx(const struct store *st)
{
    PGTransactionStatusType t = PQtransactionStatus(conn_of(st));
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static const char *pg_migration_sql(size_t version)
{
    return store_pg_migration_sql(version);
}

static const char *pg_migration_fill_sql(size_t version)
{
    (void)version;
    return NULL;
}

/* ---- statements ------------------------------------------------------------------ */

static struct pg_q *pgq(const struct store_q *q)
{
    return q->s;
}

/* q ready to bind, or inert (its error in err) when the connection is lost for now. */
static bool q_start(struct store *st, struct store_q *q, int id, struct err *err)
{
    *q = (struct store_q){.st = st, .owned = id < 0, .rc = PGQ_OK};
    if (!store_may_run(st, err)) {
        q->open_rc = ERR_INTERNAL;
        return false;
    }
    if (connected(st, err)) {
        q->open_rc = ERR_BUSY;
        return false;
    }
    struct pg_q *p = xcalloc(1, sizeof(*p));
    p->id = id;
    q->s = p;
    return true;
}

/*
 * Prepares statement id on st's connection, with its number of parameters in *n. SQLite
 * reads a parameter left unbound as NULL, and some statements leave one so; here every
 * parameter must be sent, so the statement's count is asked once and kept (in
 * st->stmts[id], as the count plus one: non-NULL means prepared).
 */
static enum err_code prepare(struct store *st, enum store_stmt id, int *n, struct err *err)
{
    char name[16];
    snprintf(name, sizeof(name), "n%d", (int)id);
    PGresult *res = PQprepare(conn_of(st), name, pg_text[id], 0, NULL);
    enum err_code rc = ERR_OK;
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_err(st, res, "cannot prepare statement", err);
    PQclear(res);
    if (rc)
        return rc;
    res = PQdescribePrepared(conn_of(st), name);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_err(st, res, "cannot describe statement", err);
    else
        *n = PQnparams(res);
    PQclear(res);
    if (!rc)
        st->stmts[id] = (void *)(uintptr_t)(*n + 1);
    return rc;
}

static void pg_q_open(struct store *st, enum store_stmt id, struct store_q *q, struct err *err)
{
    if (!q_start(st, q, (int)id, err))
        return;
    int n = st->stmts[id] ? (int)((uintptr_t)st->stmts[id] - 1) : 0;
    if (!st->stmts[id] && (q->open_rc = prepare(st, id, &n, err)) != ERR_OK) {
        free(q->s);
        q->s = NULL;
        return;
    }
    pgq(q)->want = n;
}

static void pg_q_prepare(struct store *st, const char *sql, size_t len, struct store_q *q,
                         struct err *err)
{
    if (q_start(st, q, -1, err))
        pgq(q)->sql = rewritten(sql, len);
}

/* Keeps the first failure: the one store_q_end reports. */
static void failed(struct store_q *q, int rc)
{
    if (q->rc == PGQ_OK)
        q->rc = rc;
}

/* Parameter i's slot (from 1), the arrays grown to hold it; NULL (kept in q) when out of
 * range. An earlier value in the slot is freed: the last binding wins, as in SQLite. */
static char **slot(struct store_q *q, int i)
{
    struct pg_q *p = pgq(q);
    if (i < 1 || i > PGQ_MAX_PARAMS) {
        failed(q, PGQ_RANGE);
        return NULL;
    }
    if (i > p->cap) {
        int cap = p->cap ? p->cap : 8;
        while (cap < i)
            cap *= 2;
        p->values = xrealloc(p->values, (size_t)cap * sizeof(*p->values));
        p->lengths = xrealloc(p->lengths, (size_t)cap * sizeof(*p->lengths));
        p->formats = xrealloc(p->formats, (size_t)cap * sizeof(*p->formats));
        for (int k = p->cap; k < cap; k++)
            p->values[k] = NULL, p->lengths[k] = 0, p->formats[k] = 0;
        p->cap = cap;
    }
    if (i > p->nparams)
        p->nparams = i;
    free(p->values[i - 1]);
    p->values[i - 1] = NULL;
    p->lengths[i - 1] = p->formats[i - 1] = 0;
    return &p->values[i - 1];
}

/* Binds n bytes at v as parameter i: text, or binary (format 1) for a blob. */
static void bind_bytes(struct store_q *q, int i, const void *v, size_t n, int format)
{
    if (!q->s)
        return;
    if (n > (size_t)1 << 30) {
        failed(q, PGQ_TOOBIG);
        return;
    }
    char **s = slot(q, i);
    if (!s)
        return;
    *s = xmalloc(n + 1);
    if (n)
        memcpy(*s, v, n);
    (*s)[n] = '\0';
    pgq(q)->lengths[i - 1] = (int)n;
    pgq(q)->formats[i - 1] = format;
}

static void pg_bind_i64(struct store_q *q, int i, int64_t v)
{
    char text[24];
    int n = snprintf(text, sizeof(text), "%" PRId64, v);
    bind_bytes(q, i, text, (size_t)n, 0);
}

static void pg_bind_double(struct store_q *q, int i, double v)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%.17g", v);
    bind_bytes(q, i, text, (size_t)n, 0);
}

static void pg_bind_str(struct store_q *q, int i, struct str v)
{
    bind_bytes(q, i, v.ptr ? v.ptr : "", v.len, 0);
}

static void pg_bind_blob(struct store_q *q, int i, const void *p, size_t n)
{
    bind_bytes(q, i, p, n, 1);
}

static void pg_bind_null(struct store_q *q, int i)
{
    if (q->s)
        slot(q, i); /* a NULL value: SQL NULL */
}

/* The advisory lock every write transaction takes after BEGIN (the header comment). */
static bool write_lock(struct store_q *q)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%d)", STORE_APPLICATION_ID);
    PGresult *lock = PQexec(conn_of(q->st), sql);
    if (PQresultStatus(lock) == PGRES_TUPLES_OK) {
        PQclear(lock);
        return true;
    }
    PQclear(pgq(q)->res);
    pgq(q)->res = lock;
    return false;
}

static void execute(struct store_q *q);

/* Whether sql changes rows: it begins with INSERT, UPDATE or DELETE. */
static bool writes(const char *sql)
{
    sql += strspn(sql, " \t\n");
    return !strncasecmp(sql, "INSERT", 6) || !strncasecmp(sql, "UPDATE", 6) ||
           !strncasecmp(sql, "DELETE", 6);
}

/*
 * Inside a transaction a failed statement aborts the whole transaction on PostgreSQL,
 * where SQLite fails the one statement and goes on; the store relies on that (a conflict
 * is looked into, an import tries the next id). So each write in a transaction runs
 * after a savepoint, rolled back to when it fails: the transaction is as it was before.
 */
static bool guarded(const struct store_q *q)
{
    const struct pg_q *p = pgq(q);
    return pg_in_tx(q->st) && writes(p->id >= 0 ? pg_text[p->id] : p->sql);
}

static void savepoint(PGconn *c, const char *sql)
{
    PQclear(PQexec(c, sql));
}

/* Runs q once, keeping its whole result. */
static void run(struct store_q *q)
{
    struct pg_q *p = pgq(q);
    PGconn *c = conn_of(q->st);
    bool guard = guarded(q);
    if (guard)
        savepoint(c, "SAVEPOINT newsdesk_q");
    execute(q);
    ExecStatusType s = PQresultStatus(p->res);
    bool ok = s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK;
    if (guard)
        savepoint(c, ok ? "RELEASE SAVEPOINT newsdesk_q"
                        : "ROLLBACK TO SAVEPOINT newsdesk_q; RELEASE SAVEPOINT newsdesk_q");
    if (!ok) {
        q->rc = conn_lost(q->st) ? PGQ_LOST : PGQ_FAILED;
        return;
    }
    ((struct pg_conn *)q->st->db)->changes = strtoll(PQcmdTuples(p->res), NULL, 10);
    if (p->id == STMT_BEGIN && q->st->mode != STORE_READ && !write_lock(q)) {
        q->rc = PGQ_FAILED;
        return;
    }
    p->rows = s == PGRES_TUPLES_OK ? PQntuples(p->res) : 0;
    p->row = -1;
    q->rc = PGQ_DONE;
}

/* Sends q with its parameters; its result in p->res. */
static void execute(struct store_q *q)
{
    struct pg_q *p = pgq(q);
    PGconn *c = conn_of(q->st);
    char name[16];
    if (p->id >= 0 && p->want > p->nparams) {
        slot(q, p->want); /* the ones never bound: NULL */
        p->nparams = p->want;
    }
    if (p->id >= 0) {
        snprintf(name, sizeof(name), "n%d", p->id);
        p->res = PQexecPrepared(c, name, p->nparams, (const char *const *)p->values, p->lengths,
                                p->formats, 0);
    } else {
        p->res = PQexecParams(c, p->sql, p->nparams, NULL, (const char *const *)p->values,
                              p->lengths, p->formats, 0);
    }
}

static bool pg_q_next(struct store_q *q)
{
    struct pg_q *p = pgq(q);
    if (!p || (q->rc != PGQ_OK && q->rc != PGQ_ROW && q->rc != PGQ_DONE))
        return false;
    if (!p->res)
        run(q);
    if (q->rc != PGQ_DONE && q->rc != PGQ_ROW)
        return false;
    if (p->row + 1 >= p->rows) {
        q->rc = PGQ_DONE;
        return false;
    }
    p->row++;
    q->rc = PGQ_ROW;
    return true;
}

static void pgq_free(struct pg_q *p)
{
    for (int i = 0; i < p->cap; i++)
        free(p->values[i]);
    free(p->values);
    free(p->lengths);
    free(p->formats);
    free(p->sql);
    PQclear(p->res);
    free(p);
}

static enum err_code pg_q_end(struct store_q *q, const char *what, struct err *err)
{
    enum err_code code = q->open_rc;
    struct pg_q *p = pgq(q);
    if (!code && q->rc == PGQ_TOOBIG)
        code = err_set(err, ERR_TOOBIG, "%s: a value too big for the database", what);
    else if (!code && q->rc == PGQ_RANGE)
        code = err_set(err, ERR_INTERNAL, "%s: a parameter out of range", what);
    else if (!code && (q->rc == PGQ_FAILED || q->rc == PGQ_LOST))
        code = result_err(q->st, p ? p->res : NULL, what, err);
    if (p)
        pgq_free(p);
    q->s = NULL;
    return code;
}

/* ---- columns --------------------------------------------------------------------- */

static const char *value(const struct store_q *q, int i)
{
    const struct pg_q *p = pgq(q);
    return PQgetvalue(p->res, p->row, i);
}

static int64_t pg_col_i64(const struct store_q *q, int i)
{
    const char *v = value(q, i);
    if (*v == 't' || *v == 'f') /* a boolean expression read as a number */
        return *v == 't';
    return strtoll(v, NULL, 10);
}

static double pg_col_double(const struct store_q *q, int i)
{
    return strtod(value(q, i), NULL);
}

static bool pg_col_bool(const struct store_q *q, int i)
{
    const char *v = value(q, i);
    return *v == 't' || (*v && *v != 'f' && strtoll(v, NULL, 10) != 0);
}

static bool pg_col_is_null(const struct store_q *q, int i)
{
    const struct pg_q *p = pgq(q);
    return PQgetisnull(p->res, p->row, i) != 0;
}

static int pg_col_count(const struct store_q *q)
{
    return PQnfields(pgq(q)->res);
}

static void *pg_col_blob(const struct store_q *q, int i, size_t *len)
{
    *len = 0;
    if (pg_col_is_null(q, i))
        return NULL;
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)value(q, i), &n);
    if (!raw || n == 0) {
        PQfreemem(raw);
        return NULL;
    }
    void *copy = xmalloc(n);
    memcpy(copy, raw, n);
    PQfreemem(raw);
    *len = n;
    return copy;
}

static struct str pg_col_str(const struct store_q *q, int i, struct arena *a)
{
    const struct pg_q *p = pgq(q);
    size_t n = (size_t)PQgetlength(p->res, p->row, i);
    return (struct str){arena_strndup(a, value(q, i), n), n};
}

/* PostgreSQL's type oids of the numbers and truth values export reads as integers */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23 };

static void pg_col_value(const struct store_q *q, int i, struct store_value *v, struct arena *a)
{
    const struct pg_q *p = pgq(q);
    *v = (struct store_value){.name = PQfname(p->res, i)};
    Oid type = PQftype(p->res, i);
    if (pg_col_is_null(q, i)) {
        v->kind = STORE_VALUE_NULL;
    } else if (type == OID_BOOL || type == OID_INT8 || type == OID_INT2 || type == OID_INT4) {
        v->kind = STORE_VALUE_INT;
        v->num = pg_col_i64(q, i);
    } else if (type == OID_BYTEA) {
        /* the text result's hex form, decoded into a */
        v->kind = STORE_VALUE_BLOB;
        size_t n = 0;
        unsigned char *raw = PQunescapeBytea((const unsigned char *)value(q, i), &n);
        if (!raw)
            abort(); /* out of memory: as xmalloc */
        char *copy = arena_alloc(a, n);
        if (n)
            memcpy(copy, raw, n);
        PQfreemem(raw);
        v->text = (struct str){copy, n};
    } else {
        v->kind = STORE_VALUE_TEXT;
        v->text = (struct str){value(q, i), (size_t)PQgetlength(p->res, p->row, i)};
    }
}

static int pg_param_count(const struct store_q *q)
{
    const struct pg_q *p = pgq(q);
    return p->id >= 0 ? p->want : p->nparams;
}

static const struct store_scripts scripts = {
    .reindex_start = "",
    .reindex_create =
        "DROP TABLE IF EXISTS post_search;" SQL_PG_SEARCH_CREATE ";" SQL_PG_SEARCH_BULK_MERGING,
    .reindex_fill = "",
    .reindex_done = SQL_PG_SEARCH_DAILY_MERGING,
    .reindex_end = "",
    .staging_create = SQL_PG_IMPORT_STAGING_CREATE,
};

const struct store_driver store_pg_driver = {
    .name = "PostgreSQL",
    .scripts = &scripts,
    .search_match = store_search_tsquery,
    .like = " ILIKE ",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .schema = pg_schema,
    .set_schema = pg_set_schema,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .in_tx = pg_in_tx,
    .checkpoint = pg_checkpoint,
    .migration_sql = pg_migration_sql,
    .migration_fill_sql = pg_migration_fill_sql,
    .q_open = pg_q_open,
    .q_prepare = pg_q_prepare,
    .bind_i64 = pg_bind_i64,
    .bind_double = pg_bind_double,
    .bind_str = pg_bind_str,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .q_next = pg_q_next,
    .q_end = pg_q_end,
    .col_i64 = pg_col_i64,
    .col_double = pg_col_double,
    .col_bool = pg_col_bool,
    .col_is_null = pg_col_is_null,
    .col_count = pg_col_count,
    .col_blob = pg_col_blob,
    .col_str = pg_col_str,
    .col_value = pg_col_value,
    .param_count = pg_param_count,
};

/* ---- hearing of other servers' changes (store_listen_start) ---------------------- */

/* The channel each change row notifies at COMMIT, with its sequence (schema_pg.c). */
#define LISTEN_CHANNEL "newsdesk_changes"

struct store_listener {
    struct store *st; /* for its URL and its stamp; its connection is never used here */
    pthread_t thread;
    _Atomic bool stop;
};

/* The head of the change log, read on c; -1 when it cannot be read. */
static int64_t head_on(PGconn *c)
{
    PGresult *res = PQexec(c, "SELECT coalesce(max(seq), 0) FROM changes");
    int64_t head = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res)
                       ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
                       : -1;
    PQclear(res);
    return head;
}

/* A connection that LISTENs, caught up with the log's head; NULL when the database is
 * unreachable (logged once per loss). */
static PGconn *listen_connect(struct store_listener *l, bool *said)
{
    PGconn *c = PQconnectdb(l->st->path);
    PGresult *res = PQexec(c, "LISTEN " LISTEN_CHANNEL);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    int64_t head = ok ? head_on(c) : -1;
    if (head < 0) {
        if (!*said) {
            char msg[256];
            one_line(PQerrorMessage(c), msg, sizeof(msg));
            log_warn("store: cannot listen for other servers' changes: %s", msg);
            *said = true;
        }
        PQfinish(c);
        return NULL;
    }
    if (*said)
        log_info("store: listening for other servers' changes again");
    *said = false;
    /* what was committed while nobody listened: the caches sync from their last sequence */
    store_stamp_head(l->st, (uint64_t)head);
    return c;
}

/* Waits up to 500 ms for notifications on c and announces each; false when c is lost. */
static bool listen_once(struct store_listener *l, PGconn *c)
{
    struct pollfd pfd = {.fd = PQsocket(c), .events = POLLIN};
    if (pfd.fd < 0 || (poll(&pfd, 1, 500) > 0 && !PQconsumeInput(c)))
        return false;
    PGnotify *n;
    while ((n = PQnotifies(c))) {
        store_stamp_head(l->st, strtoull(n->extra, NULL, 10));
        PQfreemem(n);
    }
    return PQstatus(c) == CONNECTION_OK;
}

static void *listen_run(void *arg)
{
    struct store_listener *l = arg;
    PGconn *c = NULL;
    bool said = false;
    unsigned backoff_ms = BACKOFF_MIN_MS;
    while (!atomic_load(&l->stop)) {
        if (!c && !(c = listen_connect(l, &said))) {
            struct timespec nap = {0, 50 * 1000000L};
            for (unsigned t = 0; t < backoff_ms && !atomic_load(&l->stop); t += 50)
                nanosleep(&nap, NULL);
            backoff_ms = backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff_ms * 2;
            continue;
        }
        backoff_ms = BACKOFF_MIN_MS;
        if (!listen_once(l, c)) {
            PQfinish(c);
            c = NULL;
        }
    }
    PQfinish(c);
    return NULL;
}

enum err_code store_listen_start(struct store *st, struct err *err)
{
    if (st->drv != &store_pg_driver || st->listener)
        return ERR_OK;
    struct store_listener *l = xcalloc(1, sizeof(*l));
    l->st = st;
    int e = base_thread_start(&l->thread, listen_run, l);
    if (e) {
        free(l);
        return err_set(err, ERR_INTERNAL, "cannot start the change listener: %s", strerror(e));
    }
    st->listener = l;
    return ERR_OK;
}

void store_listen_stop(struct store *st)
{
    struct store_listener *l = st ? st->listener : NULL;
    if (!l)
        return;
    atomic_store(&l->stop, true);
    pthread_join(l->thread, NULL);
    free(l);
    st->listener = NULL;
}
