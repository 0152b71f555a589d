/*
 * The newsroom's tables: staff accounts and desks, sessions, the editor's post queries,
 * tags management, revisions, readers' tips and the audit log.
 *
 * These run when staff act, not when readers read, so each statement is prepared when it
 * is used and finalised after: simpler than growing the per-connection cache, at a cost
 * of some microseconds per call. Parameters are bound through one small helper whose type
 * string says what each argument is: 'i' int64_t, 's' struct str, 'c' C string, 'b' a
 * 32-byte blob.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static sqlite3_stmt *vprep(struct store *st, const char *sql, struct err *err,
                           const char *types, va_list ap)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK) {
        store_sqlite_err(st, rc, "cannot prepare statement", err);
        return NULL;
    }
    for (int i = 1; types && *types; types++, i++) {
        switch (*types) {
        case 'i': sqlite3_bind_int64(s, i, va_arg(ap, int64_t)); break;
        case 's': store_bind_str(s, i, va_arg(ap, struct str)); break;
        case 'c': sqlite3_bind_text(s, i, va_arg(ap, const char *), -1, SQLITE_TRANSIENT); break;
        case 'b': sqlite3_bind_blob(s, i, va_arg(ap, const unsigned char *), 32, SQLITE_TRANSIENT);
            break;
        default: sqlite3_bind_null(s, i); break;
        }
    }
    return s;
}

/* A statement with its parameters bound; the caller steps it and finalises it. */
static sqlite3_stmt *prep(struct store *st, struct err *err, const char *sql,
                          const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *s = vprep(st, sql, err, types, ap);
    va_end(ap);
    return s;
}

/* Runs a statement that returns no rows. *changed (may be NULL) gets the rows it changed. */
static enum err_code run(struct store *st, const char *what, int64_t *changed, struct err *err,
                         const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *s = vprep(st, sql, err, types, ap);
    va_end(ap);
    if (!s)
        return ERR_INTERNAL;
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, what, err);
    if (changed)
        *changed = sqlite3_changes64(st->db);
    return ERR_OK;
}

/* Steps s for one integer (0 when there is no row) and finalises it. */
static enum err_code one_int(struct store *st, sqlite3_stmt *s, int64_t *out, struct err *err)
{
    if (!s)
        return ERR_INTERNAL;
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK
                                                 : store_sqlite_err(st, rc, "cannot read", err);
}

typedef void (*row_fn)(sqlite3_stmt *s, struct arena *a, void *row);

/* Reads every row of s (at most max) into an array of size-byte rows; finalises s. */
static enum err_code rows(struct store *st, sqlite3_stmt *s, size_t size, size_t max,
                          row_fn fn, struct arena *a, void **out, size_t *n, struct err *err)
{
    *n = 0;
    *out = NULL;
    if (!s)
        return ERR_INTERNAL;
    size_t cap = 16;
    char *v = arena_calloc(a, cap, size);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            char *bigger = arena_calloc(a, cap * 2, size);
            memcpy(bigger, v, cap * size);
            v = bigger;
            cap *= 2;
        }
        fn(s, a, v + size * (*n)++);
    }
    if (*n == max)
        rc = SQLITE_DONE;
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot read", err);
    *out = v;
    return ERR_OK;
}

/* One row into out, ERR_NOTFOUND (with what) when there is none; finalises s. */
static enum err_code row(struct store *st, sqlite3_stmt *s, row_fn fn, struct arena *a,
                         void *out, const char *what, struct err *err)
{
    if (!s)
        return ERR_INTERNAL;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        fn(s, a, out);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return err_set(err, ERR_NOTFOUND, "no such %s", what);
    return rc == SQLITE_ROW ? ERR_OK : store_sqlite_err(st, rc, "cannot read", err);
}

/* ---- staff ------------------------------------------------------------------------- */

#define USER_COLS                                                                          \
    "u.id, u.slug, u.name, u.email, u.contact_email, u.bio, u.avatar, u.website, u.role,"   \
    " u.status, coalesce(u.password_hash, ''), u.created_at, u.updated_at"

static void read_user(sqlite3_stmt *s, struct arena *a, void *out)
{
    struct store_user *u = out;
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(s, 0);
    u->slug = store_col_str(s, 1, a);
    u->name = store_col_str(s, 2, a);
    u->email = store_col_str(s, 3, a);
    u->contact_email = store_col_str(s, 4, a);
    u->bio = store_col_str(s, 5, a);
    u->avatar = store_col_str(s, 6, a);
    u->website = store_col_str(s, 7, a);
    u->role = store_col_str(s, 8, a);
    u->status = store_col_str(s, 9, a);
    u->password_hash = store_col_str(s, 10, a);
    u->created_at = sqlite3_column_int64(s, 11);
    u->updated_at = sqlite3_column_int64(s, 12);
    if (sqlite3_column_count(s) > 13)
        u->posts = sqlite3_column_int64(s, 13);
}

enum err_code store_user_by_email(struct store *st, struct str email, struct arena *a,
                                  struct store_user *out, struct err *err)
{
    sqlite3_stmt *s = prep(st, err, "SELECT " USER_COLS " FROM users u WHERE u.email = ?1"
                           " COLLATE NOCASE AND u.password_hash IS NOT NULL", "s", email);
    return row(st, s, read_user, a, out, "account", err);
}

enum err_code store_user_by_id(struct store *st, int64_t id, struct arena *a,
                               struct store_user *out, struct err *err)
{
    sqlite3_stmt *s = prep(st, err, "SELECT " USER_COLS " FROM users u WHERE u.id = ?1", "i", id);
    return row(st, s, read_user, a, out, "person or desk", err);
}

enum err_code store_users_all(struct store *st, struct arena *a, struct store_user **out,
                              size_t *n, struct err *err)
{
    sqlite3_stmt *s = prep(st, err, "SELECT " USER_COLS ", (SELECT count(*) FROM post_authors"
                           " pa WHERE pa.user_id = u.id) FROM users u"
                           " ORDER BY u.role != 'desk', u.name COLLATE NOCASE, u.id", NULL);
    void *v;
    enum err_code rc = rows(st, s, sizeof(struct store_user), 100000, read_user, a, &v, n, err);
    *out = v;
    return rc;
}

/* A taken slug or login is the one conflict users make; say which. */
static enum err_code user_conflict(struct store *st, enum err_code rc, const struct store_user *u,
                                   struct err *err)
{
    if (rc != ERR_CONFLICT)
        return rc;
    int64_t taken = 0;
    one_int(st, prep(st, NULL, "SELECT count(*) FROM users WHERE slug = ?1 AND id != ?2", "si",
                     u->slug, u->id),
            &taken, NULL);
    if (taken)
        return err_set(err, ERR_CONFLICT, "the slug '%.*s' is already someone's",
                       (int)u->slug.len, u->slug.ptr);
    return err_set(err, ERR_CONFLICT, "the e-mail %.*s already has an account",
                   (int)u->email.len, u->email.ptr);
}

enum err_code store_user_insert(struct store *st, const struct store_user *u, int64_t *id,
                                struct err *err)
{
    int64_t now = time_now();
    sqlite3_stmt *s = prep(st, err,
                           "INSERT INTO users(slug, name, email, contact_email, bio, avatar,"
                           " website, role, status, password_hash, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', nullif(?9, ''),"
                           " ?10, ?10)",
                           "sssssssssi", u->slug, u->name, u->email, u->contact_email, u->bio,
                           u->avatar, u->website, u->role, u->password_hash, now);
    if (!s)
        return ERR_INTERNAL;
    enum err_code rc = store_step_done(st, s, "cannot save the account", err);
    sqlite3_finalize(s);
    if (rc)
        return user_conflict(st, rc, u, err);
    *id = sqlite3_last_insert_rowid(st->db);
    return ERR_OK;
}

enum err_code store_user_update_profile(struct store *st, int64_t id, const struct store_user *u,
                                        struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = run(st, "cannot save the profile", &changed, err,
                           "UPDATE users SET name = ?2, slug = ?3, bio = ?4, avatar = ?5,"
                           " website = ?6, contact_email = ?7, email = ?8, updated_at = ?9"
                           " WHERE id = ?1",
                           "isssssssi", id, u->name, u->slug, u->bio, u->avatar, u->website,
                           u->contact_email, u->email, time_now());
    if (rc)
        return user_conflict(st, rc, u, err);
    if (!changed)
        return err_set(err, ERR_NOTFOUND, "no such person or desk");
    /* the byline, its card and its avatar show on every list and article */
    return store_change_log(st, "*", err);
}

enum err_code store_user_set_role(struct store *st, int64_t id, const char *role,
                                  struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = run(st, "cannot change the role", &changed, err,
                           "UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1"
                           " AND role != 'desk'", "ici", id, role, time_now());
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such account");
    return rc;
}

enum err_code store_user_set_status(struct store *st, int64_t id, const char *status,
                                    struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = run(st, "cannot change the account", &changed, err,
                           "UPDATE users SET status = ?2, updated_at = ?3 WHERE id = ?1"
                           " AND role != 'desk'", "ici", id, status, time_now());
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such account");
    if (!rc && strcmp(status, "active") != 0)
        rc = run(st, "cannot end sessions", NULL, err, "DELETE FROM sessions WHERE user_id = ?1",
                 "i", id);
    return rc;
}

enum err_code store_user_set_password(struct store *st, int64_t id, const char *hash,
                                      const unsigned char *keep, struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = run(st, "cannot change the password", &changed, err,
                           "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1"
                           " AND role != 'desk'", "ici", id, hash, time_now());
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such account");
    if (rc)
        return rc;
    if (keep)
        return run(st, "cannot end sessions", NULL, err,
                   "DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2", "ib", id, keep);
    return run(st, "cannot end sessions", NULL, err, "DELETE FROM sessions WHERE user_id = ?1",
               "i", id);
}

enum err_code store_admins_count(struct store *st, int64_t *n, struct err *err)
{
    return one_int(st, prep(st, err, "SELECT count(*) FROM users WHERE role = 'administrator'"
                            " AND status = 'active' AND password_hash IS NOT NULL", NULL),
                   n, err);
}

/* ---- sessions ---------------------------------------------------------------------- */

enum err_code store_session_insert(struct store *st, const unsigned char hash[32],
                                   const struct store_session *s, struct str address,
                                   struct str user_agent, struct err *err)
{
    if (user_agent.len > 300)
        user_agent.len = 300;
    return run(st, "cannot save the session", NULL, err,
               "INSERT INTO sessions(token_hash, user_id, csrf, created_at, seen_at, expires_at,"
               " address, user_agent) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)",
               "bisiiss", hash, s->user_id, s->csrf, s->created_at, s->expires_at, address,
               user_agent);
}

struct session_row {
    struct store_session *s;
    struct store_user *u;
};

static void read_session(sqlite3_stmt *s, struct arena *a, void *out)
{
    struct session_row *r = out;
    read_user(s, a, r->u);
    r->s->user_id = r->u->id;
    r->s->csrf = store_col_str(s, 13, a);
    r->s->created_at = sqlite3_column_int64(s, 14);
    r->s->seen_at = sqlite3_column_int64(s, 15);
    r->s->expires_at = sqlite3_column_int64(s, 16);
    r->u->posts = 0;
}

enum err_code store_session_get(struct store *st, const unsigned char hash[32], struct arena *a,
                                struct store_session *out, struct store_user *user,
                                struct err *err)
{
    sqlite3_stmt *s = prep(st, err, "SELECT " USER_COLS ", x.csrf, x.created_at, x.seen_at,"
                           " x.expires_at FROM sessions x JOIN users u ON u.id = x.user_id"
                           " WHERE x.token_hash = ?1 AND u.status = 'active'"
                           " AND u.role != 'desk'", "b", hash);
    struct session_row r = {out, user};
    return row(st, s, read_session, a, &r, "session", err);
}

enum err_code store_session_touch(struct store *st, const unsigned char hash[32], int64_t now,
                                  struct err *err)
{
    return run(st, "cannot update the session", NULL, err,
               "UPDATE sessions SET seen_at = ?2 WHERE token_hash = ?1", "bi", hash, now);
}

enum err_code store_session_delete(struct store *st, const unsigned char hash[32],
                                   struct err *err)
{
    return run(st, "cannot end the session", NULL, err,
               "DELETE FROM sessions WHERE token_hash = ?1", "b", hash);
}

enum err_code store_sessions_purge(struct store *st, int64_t now, int64_t idle_before,
                                   struct err *err)
{
    return run(st, "cannot remove old sessions", NULL, err,
               "DELETE FROM sessions WHERE expires_at <= ?1 OR seen_at < ?2", "ii", now,
               idle_before);
}

/* ---- the editor's posts ------------------------------------------------------------ */

static void read_teaser_row(sqlite3_stmt *s, struct arena *a, void *out)
{
    store_read_teaser(s, a, out);
}

enum err_code store_admin_posts(struct store *st, const struct store_admin_query *q,
                                struct arena *a, struct content_post **out, size_t *n,
                                int64_t *total, struct err *err)
{
    /* ?1 status or NULL, ?2 author, ?3 tag, ?4 title pattern or NULL */
    static const char where[] =
        " WHERE (?1 IS NULL OR p.status = ?1)"
        " AND (?2 = 0 OR EXISTS (SELECT 1 FROM post_authors x WHERE x.post_id = p.id"
        "  AND x.user_id = ?2))"
        " AND (?3 = 0 OR EXISTS (SELECT 1 FROM post_tags x WHERE x.post_id = p.id"
        "  AND x.tag_id = ?3))"
        " AND (?4 IS NULL OR p.title LIKE ?4 ESCAPE '\\')";
    /* the words of the search as one LIKE pattern, its wildcards escaped */
    char *like = NULL;
    if (q->q.len) {
        like = arena_alloc(a, q->q.len * 2 + 3);
        size_t k = 0;
        like[k++] = '%';
        for (size_t i = 0; i < q->q.len; i++) {
            char c = q->q.ptr[i];
            if (c == '%' || c == '_' || c == '\\')
                like[k++] = '\\';
            like[k++] = c;
        }
        like[k++] = '%';
        like[k] = '\0';
    }
    char sql[2048];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM posts p%s", where);
    sqlite3_stmt *s = prep(st, err, sql, "ciic", q->status, q->author_id, q->tag_id, like);
    if (s && !q->status)
        sqlite3_bind_null(s, 1);
    if (s && !like)
        sqlite3_bind_null(s, 4);
    enum err_code rc = one_int(st, s, total, err);
    if (rc)
        return rc;
    snprintf(sql, sizeof(sql),
             "SELECT " STORE_TEASER_COLS " FROM posts p" STORE_PRIMARY_JOINS
             "%s ORDER BY coalesce(p.status = 'published', 0), p.updated_at DESC, p.id DESC"
             " LIMIT ?5 OFFSET ?6", where);
    s = prep(st, err, sql, "ciicii", q->status, q->author_id, q->tag_id, like, q->limit,
             q->offset);
    if (s && !q->status)
        sqlite3_bind_null(s, 1);
    if (s && !like)
        sqlite3_bind_null(s, 4);
    void *v;
    rc = rows(st, s, sizeof(struct content_post), (size_t)q->limit, read_teaser_row, a, &v, n,
              err);
    *out = v;
    return rc;
}

static void read_full_post(sqlite3_stmt *s, struct arena *a, void *out)
{
    struct content_post *p = out;
    store_read_teaser(s, a, p);
    p->ntags = p->nauthors = 0;
    p->tags = NULL;
    p->authors = NULL;
    p->markdown = store_col_str(s, 12, a);
    p->html = store_col_str(s, 13, a);
    p->feature_image_alt = store_col_str(s, 14, a);
    p->plaintext = store_col_str(s, 15, a);
    p->page = sqlite3_column_int(s, 16) != 0;
    p->visibility = store_col_str(s, 17, a);
}

enum err_code store_post_by_id(struct store *st, int64_t id, struct arena *a,
                               struct content_post *out, struct err *err)
{
    sqlite3_stmt *s = prep(st, err,
                           "SELECT p.id, p.uuid, p.slug, p.title, p.custom_excerpt, p.lead,"
                           " p.feature_image, p.status, p.featured, p.created_at, p.updated_at,"
                           " p.published_at, b.markdown, b.html, p.feature_image_alt,"
                           " b.plaintext, p.type = 'page', p.visibility"
                           " FROM posts p JOIN post_bodies b ON b.post_id = p.id"
                           " WHERE p.id = ?1", "i", id);
    enum err_code rc = row(st, s, read_full_post, a, out, "post", err);
    return rc ? rc : store_post_related(st, out, a, err);
}

/* "post:1 list tag:2 author:3" for a post as it is now. */
static enum err_code post_deps(struct store *st, int64_t id, struct buf *deps, struct err *err)
{
    buf_printf(deps, "post:%lld list", (long long)id);
    sqlite3_stmt *s = prep(st, err, "SELECT 'tag:' || tag_id FROM post_tags WHERE post_id = ?1"
                           " UNION ALL SELECT 'author:' || user_id FROM post_authors"
                           " WHERE post_id = ?1", "i", id);
    if (!s)
        return ERR_INTERNAL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        buf_printf(deps, " %s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? ERR_OK : store_sqlite_err(st, rc, "cannot read links", err);
}

enum err_code store_post_delete(struct store *st, int64_t id, struct err *err)
{
    struct buf deps;
    buf_init(&deps, 64 * 1024);
    enum err_code rc = post_deps(st, id, &deps, err);
    int64_t changed = 0;
    if (!rc)
        rc = run(st, "cannot delete the post", &changed, err, "DELETE FROM posts WHERE id = ?1",
                 "i", id);
    if (!rc && !changed)
        rc = err_set(err, ERR_NOTFOUND, "no such post");
    if (!rc)
        rc = store_change_log(st, deps.ptr, err);
    buf_release(&deps);
    return rc;
}

enum err_code store_posts_publish_due(struct store *st, int64_t now, struct arena *a,
                                      int64_t **ids, size_t *n, struct err *err)
{
    sqlite3_stmt *s = prep(st, err, "SELECT id FROM posts WHERE status = 'scheduled'"
                           " AND published_at <= ?1 ORDER BY published_at, id LIMIT 1000",
                           "i", now);
    *n = 0;
    if (!s)
        return ERR_INTERNAL;
    int64_t *v = arena_calloc(a, 1000, sizeof(int64_t));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        v[(*n)++] = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot read scheduled posts", err);
    *ids = v;
    for (size_t i = 0; i < *n; i++) {
        /* the time it was scheduled for is its publication time, even if we are late */
        enum err_code code = run(st, "cannot publish", NULL, err,
                                 "UPDATE posts SET status = 'published' WHERE id = ?1", "i",
                                 v[i]);
        struct buf deps;
        buf_init(&deps, 64 * 1024);
        if (!code)
            code = post_deps(st, v[i], &deps, err);
        if (!code)
            code = store_change_log(st, deps.ptr, err);
        buf_release(&deps);
        if (code)
            return code;
    }
    return ERR_OK;
}

enum err_code store_next_scheduled(struct store *st, int64_t *at, struct err *err)
{
    return one_int(st, prep(st, err, "SELECT coalesce(min(published_at), 0) FROM posts"
                            " WHERE status = 'scheduled'", NULL),
                   at, err);
}

/* ---- tags -------------------------------------------------------------------------- */

static void read_tag_row(sqlite3_stmt *s, struct arena *a, void *out)
{
    struct store_tag_row *r = out;
    r->tag.id = sqlite3_column_int64(s, 0);
    r->tag.slug = store_col_str(s, 1, a);
    r->tag.name = store_col_str(s, 2, a);
    r->tag.description = store_col_str(s, 3, a);
    r->posts = sqlite3_column_count(s) > 4 ? sqlite3_column_int64(s, 4) : 0;
}

enum err_code store_tags_all(struct store *st, struct arena *a, struct store_tag_row **out,
                             size_t *n, struct err *err)
{
    sqlite3_stmt *s = prep(st, err, "SELECT t.id, t.slug, t.name, t.description,"
                           " (SELECT count(*) FROM post_tags x WHERE x.tag_id = t.id)"
                           " FROM tags t ORDER BY t.name COLLATE NOCASE", NULL);
    void *v;
    enum err_code rc = rows(st, s, sizeof(struct store_tag_row), 100000, read_tag_row, a, &v,
                            n, err);
    *out = v;
    return rc;
}

enum err_code store_tag_by_id(struct store *st, int64_t id, struct arena *a,
                              struct content_tag *out, struct err *err)
{
    struct store_tag_row r;
    enum err_code rc = row(st, prep(st, err, "SELECT id, slug, name, description FROM tags"
                                    " WHERE id = ?1", "i", id),
                           read_tag_row, a, &r, "tag", err);
    if (!rc)
        *out = r.tag;
    return rc;
}

enum err_code store_tag_find(struct store *st, struct str slug, int64_t *id, struct err *err)
{
    enum err_code rc = one_int(st, prep(st, err, "SELECT id FROM tags WHERE slug = ?1", "s",
                                        slug), id, err);
    if (!rc && !*id)
        return err_set(err, ERR_NOTFOUND, "no tag '%.*s'", (int)slug.len, slug.ptr);
    return rc;
}

enum err_code store_tag_update(struct store *st, int64_t id, const struct content_tag *t,
                               struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = run(st, "cannot save the tag", &changed, err,
                           "UPDATE tags SET name = ?2, slug = ?3, description = ?4 WHERE id = ?1",
                           "isss", id, t->name, t->slug, t->description);
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_CONFLICT, "the slug '%.*s' belongs to another tag",
                       (int)t->slug.len, t->slug.ptr);
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such tag");
    /* the section label shows on teasers of every list */
    return rc ? rc : store_change_log(st, "*", err);
}

/* ---- revisions --------------------------------------------------------------------- */

static void read_revision(sqlite3_stmt *s, struct arena *a, void *out)
{
    struct store_revision *r = out;
    r->id = sqlite3_column_int64(s, 0);
    r->post_id = sqlite3_column_int64(s, 1);
    r->user_name = store_col_str(s, 2, a);
    r->created_at = sqlite3_column_int64(s, 3);
    r->action = store_col_str(s, 4, a);
    r->title = store_col_str(s, 5, a);
    r->markdown = store_col_str(s, 6, a);
}

#define REVISION_SELECT                                                                    \
    "SELECT r.id, r.post_id, coalesce(u.name, ''), r.created_at, r.action, r.title,"        \
    " r.markdown FROM revisions r LEFT JOIN users u ON u.id = r.user_id"

enum err_code store_revision_add(struct store *st, int64_t post_id, int64_t user_id,
                                 const char *action, struct str title, struct str markdown,
                                 struct err *err)
{
    return run(st, "cannot keep the revision", NULL, err,
               "INSERT INTO revisions(post_id, user_id, created_at, action, title, markdown)"
               " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)",
               "iiicss", post_id, user_id, time_now(), action, title, markdown);
}

enum err_code store_revisions(struct store *st, int64_t post_id, struct arena *a,
                              struct store_revision **out, size_t *n, struct err *err)
{
    sqlite3_stmt *s = prep(st, err, REVISION_SELECT " WHERE r.post_id = ?1 ORDER BY r.id DESC",
                           "i", post_id);
    void *v;
    enum err_code rc = rows(st, s, sizeof(struct store_revision), 1000, read_revision, a, &v, n,
                            err);
    *out = v;
    return rc;
}

enum err_code store_revision_get(struct store *st, int64_t id, struct arena *a,
                                 struct store_revision *out, struct err *err)
{
    return row(st, prep(st, err, REVISION_SELECT " WHERE r.id = ?1", "i", id), read_revision, a,
               out, "revision", err);
}

/* ---- tips -------------------------------------------------------------------------- */

enum err_code store_tip_insert(struct store *st, const struct store_tip *t, int64_t *id,
                               struct err *err)
{
    enum err_code rc = run(st, "cannot save the tip", NULL, err,
                           "INSERT INTO tips(created_at, name, email, link, message, about,"
                           " address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           "issssss", time_now(), t->name, t->email, t->link, t->message,
                           t->about, t->address);
    if (!rc)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

static void read_tip(sqlite3_stmt *s, struct arena *a, void *out)
{
    struct store_tip *t = out;
    t->id = sqlite3_column_int64(s, 0);
    t->created_at = sqlite3_column_int64(s, 1);
    t->name = store_col_str(s, 2, a);
    t->email = store_col_str(s, 3, a);
    t->link = store_col_str(s, 4, a);
    t->message = store_col_str(s, 5, a);
    t->about = store_col_str(s, 6, a);
    t->address = store_col_str(s, 7, a);
    t->handled_at = sqlite3_column_int64(s, 8);
    t->handled_by = store_col_str(s, 9, a);
}

enum err_code store_tips(struct store *st, int64_t offset, int64_t limit, struct arena *a,
                         struct store_tip **out, size_t *n, int64_t *total, int64_t *open,
                         struct err *err)
{
    enum err_code rc = one_int(st, prep(st, err, "SELECT count(*) FROM tips", NULL), total, err);
    if (!rc)
        rc = one_int(st, prep(st, err, "SELECT count(*) FROM tips WHERE handled_at IS NULL",
                              NULL), open, err);
    if (rc)
        return rc;
    sqlite3_stmt *s = prep(st, err, "SELECT t.id, t.created_at, t.name, t.email, t.link,"
                           " t.message, t.about, t.address, coalesce(t.handled_at, 0),"
                           " coalesce(u.name, '') FROM tips t"
                           " LEFT JOIN users u ON u.id = t.handled_by"
                           " ORDER BY t.created_at DESC, t.id DESC LIMIT ?1 OFFSET ?2",
                           "ii", limit, offset);
    void *v;
    rc = rows(st, s, sizeof(struct store_tip), (size_t)limit, read_tip, a, &v, n, err);
    *out = v;
    return rc;
}

enum err_code store_tip_handle(struct store *st, int64_t id, int64_t user, struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = run(st, "cannot update the tip", &changed, err,
                           "UPDATE tips SET handled_at = CASE WHEN ?2 THEN ?3 END,"
                           " handled_by = nullif(?2, 0) WHERE id = ?1", "iii", id, user,
                           time_now());
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such tip");
    return rc;
}

enum err_code store_tip_delete(struct store *st, int64_t id, struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = run(st, "cannot delete the tip", &changed, err,
                           "DELETE FROM tips WHERE id = ?1", "i", id);
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such tip");
    return rc;
}

/* ---- audit ------------------------------------------------------------------------- */

enum err_code store_audit(struct store *st, int64_t user, const char *action, struct str target,
                          struct str detail, struct str address, struct err *err)
{
    if (detail.len > 1000)
        detail.len = 1000;
    return run(st, "cannot write the audit log", NULL, err,
               "INSERT INTO audit(at, user_id, action, target, detail, address)"
               " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)",
               "iicsss", time_now(), user, action, target, detail, address);
}

static void read_audit(sqlite3_stmt *s, struct arena *a, void *out)
{
    struct store_audit_entry *e = out;
    e->at = sqlite3_column_int64(s, 0);
    e->user_name = store_col_str(s, 1, a);
    e->action = store_col_str(s, 2, a);
    e->target = store_col_str(s, 3, a);
    e->detail = store_col_str(s, 4, a);
    e->address = store_col_str(s, 5, a);
}

enum err_code store_audit_list(struct store *st, int64_t offset, int64_t limit, struct arena *a,
                               struct store_audit_entry **out, size_t *n, int64_t *total,
                               struct err *err)
{
    enum err_code rc = one_int(st, prep(st, err, "SELECT count(*) FROM audit", NULL), total, err);
    if (rc)
        return rc;
    sqlite3_stmt *s = prep(st, err, "SELECT e.at, coalesce(u.name, ''), e.action, e.target,"
                           " e.detail, e.address FROM audit e LEFT JOIN users u"
                           " ON u.id = e.user_id ORDER BY e.id DESC LIMIT ?1 OFFSET ?2",
                           "ii", limit, offset);
    void *v;
    rc = rows(st, s, sizeof(struct store_audit_entry), (size_t)limit, read_audit, a, &v, n, err);
    *out = v;
    return rc;
}
