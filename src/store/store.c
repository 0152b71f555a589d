/*
 * Connections, migrations, transactions, settings, and the prepared-statement cache.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/stat.h>

#define STORE_LEAD_CHARS "600" /* STORE_TEASER_TEXT */
/*
 * Lists pick their page of ids from a covering index first, then join only those rows:
 * an OFFSET of 75,000 then skips index entries, not joined rows (measured with 100,000
 * posts: /page/5000/ went from 167 ms to a few). ?1 tag/author id, ?2 exclude id,
 * ?3 limit, ?4 offset or cursor date, ?5 cursor id.
 */
#define PAGE_OF(ids) "SELECT " STORE_TEASER_COLS " FROM (" ids ") pg JOIN posts p ON p.id = pg.id" \
    STORE_PRIMARY_JOINS " ORDER BY p.published_at DESC, p.id DESC"
#define IDS_ALL "SELECT id FROM posts WHERE status = 'published' AND type = 'post' AND id != ?2"
#define IDS_BY(tbl, col) "SELECT post_id AS id FROM " tbl " WHERE " col " = ?1" \
    " AND feed_at IS NOT NULL AND post_id != ?2"
#define BEFORE_ALL " AND (published_at, id) < (?4, ?5)"
#define BEFORE_X " AND (feed_at, post_id) < (?4, ?5)"
#define ORDER_ALL " ORDER BY published_at DESC, id DESC LIMIT ?3"
#define ORDER_X " ORDER BY feed_at DESC, post_id DESC LIMIT ?3"

static const char *const sql_text[STMT__COUNT] = {
    [STMT_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
    [STMT_SETTING_SET] = "INSERT INTO settings(key, value) VALUES (?1, ?2)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [STMT_SETTINGS_ALL] = "SELECT key, value FROM settings ORDER BY key",
    [STMT_LIST_ALL] = PAGE_OF(IDS_ALL ORDER_ALL " OFFSET ?4"),
    [STMT_LIST_TAG] = PAGE_OF(IDS_BY("post_tags", "tag_id") ORDER_X " OFFSET ?4"),
    [STMT_LIST_AUTHOR] = PAGE_OF(IDS_BY("post_authors", "user_id") ORDER_X " OFFSET ?4"),
    [STMT_AFTER_ALL] = PAGE_OF(IDS_ALL BEFORE_ALL ORDER_ALL),
    [STMT_AFTER_TAG] = PAGE_OF(IDS_BY("post_tags", "tag_id") BEFORE_X ORDER_X),
    [STMT_AFTER_AUTHOR] = PAGE_OF(IDS_BY("post_authors", "user_id") BEFORE_X ORDER_X),
    [STMT_COUNT_ALL] = "SELECT count(*) FROM posts WHERE status = 'published' AND type = 'post'"
                      " AND id != ?2",
    [STMT_COUNT_TAG] = "SELECT count(*) FROM post_tags WHERE tag_id = ?1"
                       " AND feed_at IS NOT NULL AND post_id != ?2",
    [STMT_COUNT_AUTHOR] = "SELECT count(*) FROM post_authors WHERE user_id = ?1"
                          " AND feed_at IS NOT NULL AND post_id != ?2",
    [STMT_POST_BY_SLUG] = "SELECT p.id, p.uuid, p.slug, p.title, p.custom_excerpt, b.plaintext,"
                          " p.feature_image, p.status, p.featured, p.created_at, p.updated_at,"
                          " p.published_at, b.markdown, b.html, p.type = 'page',"
                          " p.feature_image_alt FROM posts p"
                          " JOIN post_bodies b ON b.post_id = p.id"
                          " WHERE p.slug = ?1 AND p.status = 'published'",
    [STMT_POST_TAGS] = "SELECT t.id, t.slug, t.name, t.description FROM post_tags pt"
                       " JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = ?1"
                       " ORDER BY pt.sort_order",
    [STMT_POST_AUTHORS] = "SELECT u.id, u.slug, u.name, u.contact_email, u.bio, u.avatar,"
                          " u.website,"
                          " u.role = 'desk'"
                          " FROM post_authors pa JOIN users u ON u.id = pa.user_id"
                          " WHERE pa.post_id = ?1 ORDER BY pa.sort_order",
    [STMT_TAG_BY_SLUG] = "SELECT id, slug, name, description FROM tags WHERE slug = ?1",
    [STMT_AUTHOR_BY_SLUG] = "SELECT id, slug, name, contact_email, bio, avatar, website,"
                            " role = 'desk'"
                            " FROM users"
                            " WHERE slug = ?1",
    [STMT_POST_INSERT] = "INSERT INTO posts(uuid, slug, title, lead,"
                         " custom_excerpt, feature_image, status, featured, created_at,"
                         " updated_at, published_at, type, feature_image_alt)"
                         " VALUES (?1, ?2, ?3, substr(?4, 1, " STORE_LEAD_CHARS "), ?5, ?6, ?7,"
                         " ?8, ?11, ?9, ?10, ?12, ?13)",
    [STMT_POST_FIND] = "SELECT id, coalesce(published_at, 0) FROM posts WHERE slug = ?1",
    /* insert and update share ?2..?10 (posts.c, bind_fields); ?1 is the uuid or the id */
    [STMT_POST_UPDATE] = "UPDATE posts SET slug = ?2, title = ?3, lead = substr(?4, 1, "
                         STORE_LEAD_CHARS "), custom_excerpt = ?5, feature_image = ?6,"
                         " status = ?7, featured = ?8, updated_at = ?9, published_at = ?10,"
                         " type = ?12, feature_image_alt = ?13 WHERE id = ?1",
    [STMT_POST_BODY_UPDATE] = "UPDATE post_bodies SET markdown = ?2, html = ?3, plaintext = ?4"
                              " WHERE post_id = ?1",
    [STMT_POST_OLD_TAGS] = "SELECT tag_id FROM post_tags WHERE post_id = ?1",
    [STMT_POST_OLD_AUTHORS] = "SELECT user_id FROM post_authors WHERE post_id = ?1",
    [STMT_POST_UNLINK_TAGS] = "DELETE FROM post_tags WHERE post_id = ?1",
    [STMT_POST_UNLINK_AUTHORS] = "DELETE FROM post_authors WHERE post_id = ?1",
    [STMT_POST_BODY_INSERT] = "INSERT INTO post_bodies(post_id, markdown, html, plaintext)"
                              " VALUES (?1, ?2, ?3, ?4)",
    [STMT_POST_TAG_INSERT] = "INSERT INTO post_tags(post_id, tag_id, sort_order, feed_at)"
                             " SELECT ?1, ?2, ?3, CASE WHEN status = 'published'"
                             " AND type = 'post'"
                             " THEN published_at END FROM posts WHERE id = ?1",
    [STMT_POST_AUTHOR_INSERT] = "INSERT INTO post_authors(post_id, user_id, sort_order, feed_at)"
                                " SELECT ?1, ?2, ?3, CASE WHEN status = 'published'"
                                " AND type = 'post'"
                                " THEN published_at END FROM posts WHERE id = ?1",
    [STMT_TAG_FIND] = "SELECT id FROM tags WHERE slug = ?1",
    [STMT_TAG_INSERT] = "INSERT INTO tags(slug, name, created_at) VALUES (?1, ?2, ?3)",
    [STMT_AUTHOR_INSERT] = "INSERT INTO users(slug, name, contact_email, bio, avatar, website,"
                           " role, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    [STMT_SLUG_POST] = "SELECT 1 FROM posts WHERE slug = ?1",
    [STMT_SLUG_TAG] = "SELECT 1 FROM tags WHERE slug = ?1",
    [STMT_SLUG_AUTHOR] = "SELECT 1 FROM users WHERE slug = ?1",
    [STMT_CHANGE_INSERT] = "INSERT INTO changes(at, deps) VALUES (?1, ?2)",
    [STMT_CHANGE_TRIM] = "DELETE FROM changes WHERE seq <= last_insert_rowid() - ?1",
    [STMT_CHANGES_HEAD] = "SELECT coalesce(max(seq), 0) FROM changes",
    [STMT_CHANGES_SINCE] = "SELECT seq, deps FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    [STMT_CHANGES_OLDEST] = "SELECT coalesce(min(seq), 0) FROM changes",
    [STMT_POST_HTML] = "SELECT html FROM post_bodies WHERE post_id = ?1",
    /* ?1 offset, ?2 limit, ?3 since; every statement returns slug, title, lastmod, published */
    [STMT_SITEMAP_POSTS] = "SELECT slug, title, max(updated_at, published_at), published_at"
                           " FROM posts WHERE status = 'published' AND type = 'post'"
                           " ORDER BY published_at DESC, id DESC LIMIT ?2 OFFSET ?1",
    [STMT_SITEMAP_PAGES] = "SELECT slug, title, max(updated_at, published_at), published_at"
                           " FROM posts WHERE status = 'published' AND type = 'page'"
                           " ORDER BY slug",
    [STMT_SITEMAP_TAGS] = "SELECT t.slug, '', max(x.feed_at), 0 FROM post_tags x"
                          " JOIN tags t ON t.id = x.tag_id WHERE x.feed_at IS NOT NULL"
                          " GROUP BY x.tag_id ORDER BY t.slug",
    [STMT_SITEMAP_AUTHORS] = "SELECT u.slug, '', max(x.feed_at), 0 FROM post_authors x"
                             " JOIN users u ON u.id = x.user_id WHERE x.feed_at IS NOT NULL"
                             " GROUP BY x.user_id ORDER BY u.slug",
    [STMT_SITEMAP_NEWS] = "SELECT slug, title, max(updated_at, published_at), published_at"
                          " FROM posts WHERE status = 'published' AND type = 'post'"
                          " AND published_at >= ?3"
                          " ORDER BY published_at DESC, id DESC LIMIT ?2",
    [STMT_SITEMAP_SLICES] = "SELECT (rn - 1) / ?1, max(m) FROM (SELECT row_number() OVER"
                            " (ORDER BY published_at DESC, id DESC) AS rn,"
                            " max(updated_at, published_at) AS m FROM posts"
                            " WHERE status = 'published' AND type = 'post')"
                            " GROUP BY 1 ORDER BY 1",
    [STMT_KEYS_ALL] = "SELECT published_at, id FROM posts WHERE status = 'published'"
                      " AND type = 'post'"
                      " ORDER BY published_at DESC, id DESC",
    [STMT_KEYS_TAG] = "SELECT feed_at, post_id FROM post_tags WHERE tag_id = ?1"
                      " AND feed_at IS NOT NULL ORDER BY feed_at DESC, post_id DESC",
    [STMT_KEYS_AUTHOR] = "SELECT feed_at, post_id FROM post_authors WHERE user_id = ?1"
                         " AND feed_at IS NOT NULL ORDER BY feed_at DESC, post_id DESC",
};

enum err_code store_sqlite_err(struct store *st, int rc, const char *what, struct err *err)
{
    const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
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

sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id, struct err *err)
{
    if (!st->stmts[id]) {
        int rc = sqlite3_prepare_v3(st->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &st->stmts[id], NULL);
        if (rc != SQLITE_OK) {
            store_sqlite_err(st, rc, "cannot prepare statement", err);
            return NULL;
        }
    }
    sqlite3_reset(st->stmts[id]);
    sqlite3_clear_bindings(st->stmts[id]);
    return st->stmts[id];
}

struct str store_col_str(sqlite3_stmt *s, int i, struct arena *a)
{
    const char *p = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (!p)
        return (struct str){"", 0};
    return (struct str){arena_strndup(a, p, n), n};
}

int store_bind_str(sqlite3_stmt *s, int i, struct str v)
{
    return sqlite3_bind_text(s, i, v.ptr ? v.ptr : "", (int)v.len, SQLITE_TRANSIENT);
}

static enum err_code exec(struct store *st, const char *sql, struct err *err)
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

static enum err_code pragma_int(struct store *st, const char *sql, int64_t *out,
                                struct err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return store_sqlite_err(st, rc, "cannot read the database", err);
    }
    *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return ERR_OK;
}

static enum err_code migrate(struct store *st, int64_t from, struct err *err)
{
    for (size_t v = (size_t)from + 1; v <= store_migration_count(); v++) {
        char set[96];
        enum err_code rc = exec(st, "BEGIN IMMEDIATE", err);
        if (!rc)
            rc = exec(st, store_migration_sql(v), err);
        snprintf(set, sizeof(set), "PRAGMA user_version = %zu; PRAGMA application_id = %d",
                 v, STORE_APPLICATION_ID);
        if (!rc)
            rc = exec(st, set, err);
        if (!rc)
            rc = exec(st, "COMMIT", err);
        if (rc) {
            exec(st, "ROLLBACK", NULL);
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
    enum err_code rc = pragma_int(st, "PRAGMA user_version", &version, err);
    if (!rc)
        rc = pragma_int(st, "PRAGMA application_id", &app, err);
    if (!rc)
        rc = pragma_int(st, "SELECT count(*) FROM sqlite_master", &tables, err);
    if (rc) {
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

static enum err_code configure(struct store *st, struct err *err)
{
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 1);
    /*
     * synchronous=FULL on the writer: a write is acknowledged only after COMMIT, and an
     * acknowledged write must survive a power cut, which NORMAL does not promise in WAL.
     */
    if (st->mode == STORE_READ)
        return exec(st, "PRAGMA foreign_keys = ON; PRAGMA query_only = 1;"
                        " PRAGMA cache_size = -8000", err);
    return exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    " PRAGMA foreign_keys = ON", err);
}

enum err_code store_open(const char *path, enum store_mode mode, struct store **out,
                         struct err *err)
{
    struct stat sb;
    if (mode != STORE_CREATE && stat(path, &sb) != 0)
        return err_set(err, ERR_INVALID,
                       "database '%s' does not exist: create it with 'newsdesk init --db %s'",
                       path, path);
    struct store *st = xcalloc(1, sizeof(*st));
    st->path = xstrdup(path);
    st->mode = mode;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (mode == STORE_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &st->db, flags, NULL);
    enum err_code code;
    if (rc != SQLITE_OK) {
        code = store_sqlite_err(st, rc, "cannot open database", err);
        err_prefix(err, "'%s'", path);
    } else {
        code = configure(st, err);
        if (code)
            err_prefix(err, "'%s' is not a usable Newsdesk database", path);
        else
            code = check_schema(st, err);
        if (!code)
            code = store_stamp_map(st, err);
    }
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
    for (size_t i = 0; i < STMT__COUNT; i++)
        sqlite3_finalize(st->stmts[i]);
    sqlite3_close(st->db);
    store_stamp_unmap(st);
    free(st->path);
    free(st);
}

enum err_code store_begin(struct store *st, struct err *err)
{
    enum err_code rc = exec(st, "BEGIN IMMEDIATE", err);
    if (!rc) {
        st->in_tx = true;
        st->tx_changed = false;
    }
    return rc;
}

enum err_code store_commit(struct store *st, struct err *err)
{
    enum err_code rc = exec(st, "COMMIT", err);
    if (rc) {
        store_rollback(st);
        return rc;
    }
    st->in_tx = false;
    /* after COMMIT, before the write returns: readers looking later see it (store.h) */
    if (st->tx_changed && st->stamp)
        atomic_fetch_add(st->stamp, 1);
    st->tx_changed = false;
    return ERR_OK;
}

void store_rollback(struct store *st)
{
    if (st->in_tx || !sqlite3_get_autocommit(st->db))
        exec(st, "ROLLBACK", NULL);
    st->in_tx = false;
    st->tx_changed = false;
}

/* ---- changes --------------------------------------------------------------------- */

const _Atomic uint64_t *store_stamp(const struct store *st)
{
    return st->stamp;
}

enum err_code store_change_log(struct store *st, const char *deps, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_CHANGE_INSERT, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, time_now());
    sqlite3_bind_text(s, 2, deps, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot log change", err);
    s = store_stmt(st, STMT_CHANGE_TRIM, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, STORE_CHANGES_KEPT);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot trim the change log", err);
    st->tx_changed = true;
    return ERR_OK;
}

static enum err_code one_int(struct store *st, enum store_stmt id, int64_t *out,
                             struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ERR_OK : store_sqlite_err(st, rc, "cannot read changes", err);
}

enum err_code store_changes_head(struct store *st, int64_t *seq, struct err *err)
{
    return one_int(st, STMT_CHANGES_HEAD, seq, err);
}

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
    sqlite3_stmt *s = store_stmt(st, STMT_CHANGES_SINCE, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_int64(s, 2, (int64_t)max);
    struct store_change *v = arena_calloc(a, max ? max : 1, sizeof(*v));
    size_t count = 0;
    int rc;
    while (count < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        v[count].seq = sqlite3_column_int64(s, 0);
        v[count].deps = store_col_str(s, 1, a);
        count++;
    }
    if (count < max && rc != SQLITE_DONE) {
        sqlite3_reset(s);
        return store_sqlite_err(st, rc, "cannot read changes", err);
    }
    sqlite3_reset(s);
    *out = v;
    *n = count;
    return ERR_OK;
}

/* ---- settings -------------------------------------------------------------------- */

enum err_code store_setting_get(struct store *st, const char *key, struct arena *a,
                                struct str *value, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_SETTING_GET, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return err_set(err, ERR_NOTFOUND, "setting '%s' is not set", key);
    if (rc != SQLITE_ROW)
        return store_sqlite_err(st, rc, "cannot read setting", err);
    *value = store_col_str(s, 0, a);
    sqlite3_reset(s);
    return ERR_OK;
}

enum err_code store_setting_set(struct store *st, const char *key, struct str value,
                                struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_SETTING_SET, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    store_bind_str(s, 2, value);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot save setting", err);
    /* a running server rebuilds its site from them; every page may change */
    return store_change_log(st, "settings *", err);
}

enum err_code store_settings_all(struct store *st, struct arena *a, struct store_setting **out,
                                 size_t *n, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_SETTINGS_ALL, err);
    if (!s)
        return ERR_INTERNAL;
    size_t cap = 16, count = 0;
    struct store_setting *v = arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == cap) {
            struct store_setting *w = arena_alloc(a, 2 * cap * sizeof(*v));
            memcpy(w, v, cap * sizeof(*v));
            v = w;
            cap *= 2;
        }
        v[count].key = store_col_str(s, 0, a);
        v[count].value = store_col_str(s, 1, a);
        count++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot read settings", err);
    *out = v;
    *n = count;
    return ERR_OK;
}
