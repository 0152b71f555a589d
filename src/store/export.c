/*
 * Export, backup and restore: the rows of a Ghost export read one at a time (constant
 * memory on any number of posts), and whole-database copies through SQLite's online
 * backup API. Includes sqlite3.h for the backup API, which has no place in the statement
 * layer; the statements themselves are in sql_sqlite_export.h.
 *
 * Backup: the source connection holds one read transaction for the whole copy, so the
 * copy is one consistent snapshot and, the database being in WAL mode, the server's
 * writers never wait for it (a copy step without it would start over at every write).
 * The copy is made beside OUT under a temporary name, checked, then renamed: an
 * interrupted backup leaves no OUT.
 *
 * Restore: the backup is copied page by page into the live file through the backup API,
 * inside the destination's write lock, so a running server's connections see the new
 * content at their next statement (the API bumps the schema cookie: prepared statements
 * are prepared again). A change row "*" numbered after everything either file has seen
 * then tells every server to drop every cached page.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the Ghost export ------------------------------------------------------------ */

static const enum store_stmt export_stmts[] = {
    [STORE_EXPORT_POSTS] = STMT_EXPORT_POSTS,
    [STORE_EXPORT_POSTS_META] = STMT_EXPORT_POSTS_META,
    [STORE_EXPORT_USERS] = STMT_EXPORT_USERS,
    [STORE_EXPORT_ROLES_USERS] = STMT_EXPORT_ROLES_USERS,
    [STORE_EXPORT_TAGS] = STMT_EXPORT_TAGS,
    [STORE_EXPORT_POSTS_TAGS] = STMT_EXPORT_POSTS_TAGS,
    [STORE_EXPORT_POSTS_AUTHORS] = STMT_EXPORT_POSTS_AUTHORS,
};

enum err_code store_export_snapshot(struct store *st, bool begin, struct err *err)
{
    struct store_q q;
    store_q_open(st, begin ? STMT_EXPORT_BEGIN : STMT_EXPORT_END, &q, err);
    return store_q_exec(&q, NULL, begin ? "cannot begin the export" : "cannot end the export", err);
}

#define EXPORT_COLS_MAX 48

enum err_code store_export_rows(struct store *st, enum store_export_table t, struct str base_url,
                                store_export_fn fn, void *ctx, struct err *err)
{
    if ((size_t)t >= ARRAY_LEN(export_stmts))
        return err_set(err, ERR_INTERNAL, "no such export table");
    struct store_q q;
    store_q_open(st, export_stmts[t], &q, err);
    if (store_q_param_count(&q) >= 1) /* the tables with site paths */
        store_bind_str(&q, 1, base_url);
    struct store_value v[EXPORT_COLS_MAX];
    struct arena a; /* for a decoded value: the export's columns have none */
    arena_init(&a);
    enum err_code rc = ERR_OK;
    while (!rc && store_q_next(&q)) {
        int n = store_col_count(&q);
        if (n > EXPORT_COLS_MAX)
            n = EXPORT_COLS_MAX;
        for (int i = 0; i < n; i++)
            store_col_value(&q, i, &v[i], &a);
        rc = fn(v, (size_t)n, ctx, err);
    }
    arena_release(&a);
    enum err_code end = store_q_end(&q, "cannot read the export", rc ? NULL : err);
    return rc ? rc : end;
}

enum err_code store_posts_total(struct store *st, int64_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_EXPORT_POSTS_COUNT, &q, err);
    return store_q_i64(&q, n, "cannot count posts", err);
}

/* ---- small writes the command line needs ------------------------------------------- */

enum err_code store_user_location_set(struct store *st, int64_t id, struct str location,
                                      struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_EXPORT_USER_LOCATION, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_str(&q, 2, location);
    store_bind_i64(&q, 3, time_now());
    int64_t changed = 0;
    enum err_code rc = store_q_exec(&q, &changed, "cannot save the location", err);
    if (!rc && changed == 0)
        return err_set(err, ERR_NOTFOUND, "no such person or desk");
    return rc ? rc : store_change_log(st, "*", err);
}

enum err_code store_user_location(struct store *st, int64_t id, struct arena *a, struct str *out,
                                  struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_EXPORT_USER_LOCATION_GET, &q, err);
    store_bind_i64(&q, 1, id);
    return store_q_row(&q, &store_row_str, a, out, "person or desk", err);
}

enum err_code store_tag_insert(struct store *st, const struct content_tag *t, int64_t *id,
                               struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_EXPORT_TAG_INSERT, &q, err);
    store_bind_str(&q, 1, t->slug);
    store_bind_str(&q, 2, t->name);
    store_bind_str(&q, 3, t->description);
    store_bind_text(&q, 4, t->internal ? "internal" : "public");
    store_bind_i64(&q, 5, time_now());
    enum err_code rc = store_q_insert(&q, id, "cannot add the tag", err);
    if (rc == ERR_CONFLICT)
        return err_set(err, rc, "the slug '%.*s' is taken", (int)t->slug.len, t->slug.ptr);
    char deps[40];
    snprintf(deps, sizeof(deps), "tag:%lld", (long long)*id);
    return rc ? rc : store_change_log(st, deps, err);
}

/* ---- backup and restore ----------------------------------------------------------- */

/* Pages per backup step: 4 MB at 4 KB pages, so progress moves and the loop can pause. */
#define BACKUP_STEP_PAGES 1024
/* How often a copy step that found the database locked is tried again (each waits up to
 * the busy timeout, then 50 ms). */
#define BACKUP_BUSY_TRIES 20

static enum err_code raw_err(sqlite3 *db, int rc, const char *what, const char *path,
                             struct err *err)
{
    int prim = rc & 0xff;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (prim == SQLITE_NOTADB)
        return err_set(err, ERR_INVALID, "'%s' is not an SQLite database", path);
    if (prim == SQLITE_CORRUPT)
        return err_set(err, ERR_INVALID, "'%s' is corrupt: %s", path, msg);
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        return err_set(err, ERR_BUSY, "%s '%s': %s", what, path, msg);
    return err_set(err, prim == SQLITE_IOERR || prim == SQLITE_FULL ? ERR_IO : ERR_INTERNAL,
                   "%s '%s': %s", what, path, msg);
}

static enum err_code raw_open(const char *path, int flags, sqlite3 **db, struct err *err)
{
    int rc = sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(*db, 5000);
        sqlite3_extended_result_codes(*db, 1);
        return ERR_OK;
    }
    enum err_code code = raw_err(*db, rc, "cannot open", path, err);
    sqlite3_close(*db);
    *db = NULL;
    return code;
}

static enum err_code raw_exec(sqlite3 *db, const char *sql, const char *path, struct err *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ERR_OK : raw_err(db, rc, "cannot read", path, err);
}

/* Column 0 of sql's first row as an integer (a PRAGMA). */
static enum err_code raw_int(sqlite3 *db, const char *sql, const char *path, int64_t *out,
                             struct err *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? ERR_OK : raw_err(db, rc, "cannot read", path, err);
}

/* integrity_check's answer is "ok", and foreign_key_check finds no row. */
static enum err_code raw_verify(sqlite3 *db, const char *path, struct err *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *ans = (const char *)sqlite3_column_text(s, 0);
        bool ok = ans && strcmp(ans, "ok") == 0;
        enum err_code code = ok ? ERR_OK
                                : err_set(err, ERR_INVALID, "'%s' fails the integrity check: %s",
                                          path, ans ? ans : "?");
        sqlite3_finalize(s);
        if (code)
            return code;
        rc = SQLITE_OK;
    } else {
        sqlite3_finalize(s);
        if (rc != SQLITE_OK)
            return raw_err(db, rc, "cannot check", path, err);
    }
    int64_t bad = 0;
    enum err_code code =
        raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check", path, &bad, err);
    if (!code && bad)
        return err_set(err, ERR_INVALID, "'%s' has %lld rows pointing at missing rows", path,
                       (long long)bad);
    return code;
}

/* The file is ours, at a schema this program can open (after migrating, if older). */
static enum err_code raw_is_ours(sqlite3 *db, const char *path, struct err *err)
{
    int64_t app = 0, version = 0;
    enum err_code rc = raw_int(db, "PRAGMA application_id", path, &app, err);
    if (!rc)
        rc = raw_int(db, "PRAGMA user_version", path, &version, err);
    if (rc)
        return rc;
    if (app != STORE_APPLICATION_ID || version < 1)
        return err_set(err, ERR_INVALID, "'%s' is not a Newsdesk database", path);
    if (version > STORE_SCHEMA_VERSION)
        return err_set(err, ERR_INVALID,
                       "'%s' has schema %lld, newer than this newsdesk (%d): upgrade newsdesk",
                       path, (long long)version, STORE_SCHEMA_VERSION);
    return ERR_OK;
}

/* The schema's tables, indexes, triggers and views, in one text (malloc'd, or NULL). */
static char *raw_schema(sqlite3 *db)
{
    sqlite3_stmt *s;
    char *out = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''),"
                           " char(10)) FROM (SELECT * FROM sqlite_schema"
                           " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name)",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

/*
 * The backup's schema is exactly what this program's migrations make at its version:
 * nothing missing, and no table, index, trigger or view of anyone else's (a trigger in
 * a crafted file would otherwise be copied into the live database and run there).
 */
static enum err_code raw_schema_check(sqlite3 *db, const char *path, struct err *err)
{
    int64_t version = 0;
    enum err_code rc = raw_int(db, "PRAGMA user_version", path, &version, err);
    sqlite3 *mem = NULL;
    if (!rc)
        rc = raw_open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, &mem, err);
    for (int64_t v = 1; !rc && v <= version; v++)
        rc = raw_exec(mem, store_migration_sql((size_t)v), ":memory:", err);
    char *want = rc ? NULL : raw_schema(mem), *got = rc ? NULL : raw_schema(db);
    if (!rc && (!want || !got || strcmp(want, got) != 0))
        rc = err_set(err, ERR_INVALID,
                     "'%s' does not have Newsdesk's schema %lld: it was changed outside Newsdesk",
                     path, (long long)version);
    free(want);
    free(got);
    sqlite3_close(mem);
    return rc;
}

/* Copies src into dst by steps of `pages` (-1: all in one), reporting progress. */
static enum err_code copy_pages(sqlite3 *dst, sqlite3 *src, int pages, const char *path,
                                store_progress_fn progress, void *ctx, struct err *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return raw_err(dst, sqlite3_errcode(dst), "cannot copy into", path, err);
    int rc, tries = 0;
    while ((rc = sqlite3_backup_step(b, pages)) != SQLITE_DONE) {
        int prim = rc & 0xff;
        if ((prim == SQLITE_BUSY || prim == SQLITE_LOCKED) && ++tries < BACKUP_BUSY_TRIES) {
            sqlite3_sleep(50);
            continue;
        }
        if (rc != SQLITE_OK)
            break;
        if (progress)
            progress(sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b),
                     sqlite3_backup_pagecount(b), ctx);
    }
    if (rc == SQLITE_DONE && progress)
        progress(sqlite3_backup_pagecount(b), sqlite3_backup_pagecount(b), ctx);
    int fin = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return raw_err(dst, rc, "cannot copy into", path, err);
    return fin == SQLITE_OK ? ERR_OK : raw_err(dst, fin, "cannot copy into", path, err);
}

/* The snapshot of src copied into the new file tmp, checked, as one self-contained file. */
static enum err_code backup_into(sqlite3 *src, const char *src_path, const char *tmp,
                                 store_progress_fn progress, void *ctx, struct err *err)
{
    sqlite3 *dst;
    enum err_code rc = raw_open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, err);
    if (rc)
        return rc;
    /* one read transaction: a consistent copy, and (WAL) writers go on meanwhile */
    rc = raw_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema", src_path, err);
    if (!rc)
        rc = copy_pages(dst, src, BACKUP_STEP_PAGES, tmp, progress, ctx, err);
    sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    if (!rc)
        rc = raw_exec(dst, "PRAGMA journal_mode = DELETE", tmp, err);
    if (!rc)
        rc = raw_is_ours(dst, tmp, err);
    if (!rc)
        rc = raw_verify(dst, tmp, err);
    if (sqlite3_close(dst) != SQLITE_OK && !rc)
        rc = err_set(err, ERR_IO, "cannot close '%s'", tmp);
    return rc;
}

/* Whether a and b name the same file (both existing). */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

enum err_code store_backup(const char *path, const char *out, bool force,
                           store_progress_fn progress, void *ctx, struct err *err)
{
    struct stat sb;
    if (store_path_is_pg(path))
        return err_set(err, ERR_INVALID,
                       "backup copies an SQLite file; back up a PostgreSQL database with its own "
                       "tools (pg_dump, or continuous archiving for a point in time)");
    if (same_file(path, out))
        return err_set(err, ERR_INVALID, "'%s' is the database itself", out);
    if (!force && stat(out, &sb) == 0)
        return err_set(err, ERR_CONFLICT, "'%s' exists: give --force to replace it", out);
    if (stat(path, &sb) != 0)
        return err_set(err, ERR_INVALID, "database '%s' does not exist", path);
    sqlite3 *src;
    enum err_code rc = raw_open(path, SQLITE_OPEN_READONLY, &src, err);
    if (!rc)
        rc = raw_is_ours(src, path, err);
    char tmp[4200];
    if (!rc && (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", out, (long)getpid()) >= sizeof(tmp))
        rc = err_set(err, ERR_INVALID, "'%s': path too long", out);
    if (!rc) {
        unlink(tmp);
        /* made first with the database's own discretion (store_open's 0640): a backup
         * holds the same password hashes and session tokens */
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd >= 0)
            close(fd);
        rc = backup_into(src, path, tmp, progress, ctx, err);
        if (!rc && rename(tmp, out) != 0)
            rc = err_set(err, ERR_IO, "cannot rename '%s' to '%s': %s", tmp, out, strerror(errno));
        if (rc)
            unlink(tmp);
    }
    sqlite3_close(src);
    return rc;
}

/* Everything a restore checks of the backup before touching the live file. */
static enum err_code restore_check(const char *backup, sqlite3 **bak, struct err *err)
{
    struct stat sb;
    if (stat(backup, &sb) != 0 || !S_ISREG(sb.st_mode))
        return err_set(err, ERR_INVALID, "backup '%s' does not exist", backup);
    enum err_code rc = raw_open(backup, SQLITE_OPEN_READONLY, bak, err);
    if (!rc)
        sqlite3_db_config(*bak, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    if (!rc)
        rc = raw_is_ours(*bak, backup, err);
    if (!rc)
        rc = raw_verify(*bak, backup, err);
    if (!rc)
        rc = raw_schema_check(*bak, backup, err);
    return rc;
}

/*
 * After the copy: migrations, then a change "*" numbered after every change either file
 * had seen (the restored log may be behind what servers saw), so that every server drops
 * every cached page and index.
 */
static enum err_code restore_announce(const char *path, int64_t before, struct err *err)
{
    struct store *st;
    enum err_code rc = store_open(path, STORE_WRITE, &st, err);
    if (rc)
        return rc;
    int64_t head = 0;
    rc = store_changes_head(st, &head, err);
    if (!rc)
        rc = store_tx_begin(st, err);
    if (!rc) {
        struct store_q q;
        store_q_open(st, STMT_EXPORT_CHANGE_AFTER, &q, err);
        store_bind_i64(&q, 1, (head > before ? head : before) + 1);
        store_bind_i64(&q, 2, time_now());
        enum err_code w = store_q_exec(&q, NULL, "cannot log the restore", err);
        if (!w)
            st->tx_changed = true;
        rc = store_tx_end(st, w, err);
    }
    store_close(st);
    return rc;
}

enum err_code store_restore(const char *path, const char *backup, bool force,
                            store_progress_fn progress, void *ctx, struct err *err)
{
    sqlite3 *bak = NULL;
    struct store *st = NULL;
    int64_t posts = 0, before = 0;
    if (store_path_is_pg(path))
        return err_set(err, ERR_INVALID,
                       "restore replaces an SQLite file; restore a PostgreSQL database with its "
                       "own tools (pg_restore)");
    if (same_file(path, backup))
        return err_set(err, ERR_INVALID, "'%s' is the database itself", backup);
    enum err_code rc = restore_check(backup, &bak, err);
    if (!rc)
        rc = store_open(path, STORE_WRITE, &st, err);
    if (!rc)
        rc = store_posts_total(st, &posts, err);
    if (!rc && posts && !force)
        rc = err_set(err, ERR_CONFLICT,
                     "'%s' holds %lld posts: give --force to replace them with the backup's", path,
                     (long long)posts);
    if (!rc)
        rc = store_changes_head(st, &before, err);
    if (!rc && st->stamp && (int64_t)st->stamp[1] > before)
        before = (int64_t)st->stamp[1];
    /* in one step: servers see the old content or the new, never a mix */
    if (!rc)
        rc = copy_pages(st->db, bak, -1, path, progress, ctx, err);
    store_close(st);
    sqlite3_close(bak);
    return rc ? rc : restore_announce(path, before, err);
}
