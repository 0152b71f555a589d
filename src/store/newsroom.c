/*
 * The newsroom's tables: staff accounts and desks, sessions, the editor's post queries,
 * tags management, revisions and the audit log (readers' tips: tips.c).
 *
 * Their statements are named in sql_sqlite.h and kept in each connection's cache like the
 * reader's: a connection prepares one the first time it runs it (some microseconds), so
 * a reader connection that never sees the newsroom never prepares them.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <string.h>

/* Runs the write q; ERR_NOTFOUND "no such <what>" when it changed no row. */
static enum err_code change_one(struct store_q *q, const char *fail, const char *what,
                                struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = store_q_exec(q, &changed, fail, err);
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such %s", what);
    return rc;
}

/* Runs write id whose one parameter, ?1, is row's id; ERR_NOTFOUND as change_one. */
static enum err_code change_id(struct store *st, enum store_stmt id, int64_t row, const char *fail,
                               const char *what, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_i64(&q, 1, row);
    return change_one(&q, fail, what, err);
}

/* A count(*) or similar single integer from statement id, which takes no parameters. */
static enum err_code count_of(struct store *st, enum store_stmt id, int64_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    return store_q_i64(&q, n, "cannot count", err);
}

/* ---- staff ------------------------------------------------------------------------- */

/* Columns of SQL_USER_COLS; column 14, when the statement adds it, counts the posts. */
static const struct store_col user_cols[] = {
    STORE_COL(struct store_user, 0, id),
    STORE_COL(struct store_user, 1, slug),
    STORE_COL(struct store_user, 2, name),
    STORE_COL(struct store_user, 3, email),
    STORE_COL(struct store_user, 4, contact_email),
    STORE_COL(struct store_user, 5, bio),
    STORE_COL(struct store_user, 6, avatar),
    STORE_COL(struct store_user, 7, website),
    STORE_COL(struct store_user, 8, role),
    STORE_COL(struct store_user, 9, status),
    STORE_COL(struct store_user, 10, password_hash),
    STORE_COL(struct store_user, 11, created_at),
    STORE_COL(struct store_user, 12, updated_at),
    STORE_COL(struct store_user, 13, contact_confirmed),
    STORE_COL(struct store_user, 14, posts),
};

static void read_user(const struct store_q *q, struct arena *a, void *out)
{
    memset(out, 0, sizeof(struct store_user));
    size_t n = store_col_count(q) == 15 ? 15 : 14;
    store_read_cols(q, user_cols, n, a, out);
}

enum err_code store_user_by_email(struct store *st, struct str email, struct arena *a,
                                  struct store_user *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_USER_BY_EMAIL, &q, err);
    store_bind_str(&q, 1, email);
    return store_q_row(&q, STORE_ROW_FN(read_user), a, out, "account", err);
}

enum err_code store_user_by_id(struct store *st, int64_t id, struct arena *a,
                               struct store_user *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_USER_BY_ID, &q, err);
    store_bind_i64(&q, 1, id);
    return store_q_row(&q, STORE_ROW_FN(read_user), a, out, "person or desk", err);
}

enum err_code store_users_all(struct store *st, struct arena *a, struct store_user **out, size_t *n,
                              struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_USERS_ALL, &q, err);
    void *v;
    enum err_code rc =
        store_q_rows(&q, sizeof(struct store_user), 100000, STORE_ROW_FN(read_user), a, &v, n, err);
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
    struct store_q q;
    store_q_open(st, STMT_USER_SLUG_TAKEN, &q, NULL);
    store_bind_str(&q, 1, u->slug);
    store_bind_i64(&q, 2, u->id);
    store_q_i64(&q, &taken, "cannot read", NULL);
    if (taken)
        return err_set(err, ERR_CONFLICT, "the slug '%.*s' is already someone's", (int)u->slug.len,
                       u->slug.ptr);
    return err_set(err, ERR_CONFLICT, "the e-mail %.*s already has an account", (int)u->email.len,
                   u->email.ptr);
}

enum err_code store_user_insert(struct store *st, const struct store_user *u, int64_t *id,
                                struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_USER_INSERT, &q, err);
    const struct str fields[] = {u->slug,   u->name,    u->email, u->contact_email, u->bio,
                                 u->avatar, u->website, u->role,  u->password_hash};
    for (size_t i = 0; i < ARRAY_LEN(fields); i++)
        store_bind_str(&q, (int)i + 1, fields[i]);
    store_bind_i64(&q, 10, time_now());
    enum err_code rc = store_q_insert(&q, id, "cannot save the account", err);
    return rc ? user_conflict(st, rc, u, err) : ERR_OK;
}

enum err_code store_user_update_profile(struct store *st, int64_t id, const struct store_user *u,
                                        struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_USER_UPDATE_PROFILE, &q, err);
    store_bind_i64(&q, 1, id);
    const struct str fields[] = {u->name,    u->slug,          u->bio,  u->avatar,
                                 u->website, u->contact_email, u->email};
    for (size_t i = 0; i < ARRAY_LEN(fields); i++)
        store_bind_str(&q, (int)i + 2, fields[i]);
    store_bind_i64(&q, 9, time_now());
    store_bind_i64(&q, 10, u->contact_confirmed);
    enum err_code rc = change_one(&q, "cannot save the profile", "person or desk", err);
    if (rc)
        return user_conflict(st, rc, u, err);
    /* its posts are found by the new name at once */
    rc = store_search_put_author(st, id, err);
    /* the byline, its card and its avatar show on every list and article */
    return rc ? rc : store_change_log(st, "*", err);
}

/* Sets one text column of an account (statement id: ?1 id, ?2 value, ?3 now). */
static enum err_code user_set(struct store *st, enum store_stmt id, int64_t user, const char *value,
                              const char *fail, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_i64(&q, 1, user);
    store_bind_text(&q, 2, value);
    store_bind_i64(&q, 3, time_now());
    return change_one(&q, fail, "account", err);
}

/* Ends the account's sessions, all but the one whose hash is keep (NULL: all). */
static enum err_code sessions_end(struct store *st, int64_t user, const unsigned char *keep,
                                  struct err *err)
{
    struct store_q q;
    store_q_open(st, keep ? STMT_SESSIONS_END_BUT : STMT_SESSIONS_END, &q, err);
    store_bind_i64(&q, 1, user);
    if (keep)
        store_bind_blob(&q, 2, keep, 32);
    return store_q_exec(&q, NULL, "cannot end sessions", err);
}

enum err_code store_user_set_role(struct store *st, int64_t id, const char *role, struct err *err)
{
    return user_set(st, STMT_USER_SET_ROLE, id, role, "cannot change the role", err);
}

enum err_code store_user_set_status(struct store *st, int64_t id, const char *status,
                                    struct err *err)
{
    enum err_code rc =
        user_set(st, STMT_USER_SET_STATUS, id, status, "cannot change the account", err);
    if (!rc && strcmp(status, "active") != 0)
        rc = sessions_end(st, id, NULL, err);
    return rc;
}

enum err_code store_user_set_password(struct store *st, int64_t id, const char *hash,
                                      const unsigned char *keep, struct err *err)
{
    enum err_code rc =
        user_set(st, STMT_USER_SET_PASSWORD, id, hash, "cannot change the password", err);
    return rc ? rc : sessions_end(st, id, keep, err);
}

enum err_code store_admins_count(struct store *st, int64_t *n, struct err *err)
{
    return count_of(st, STMT_ADMINS_COUNT, n, err);
}

/* ---- sessions ---------------------------------------------------------------------- */

enum err_code store_session_insert(struct store *st, const unsigned char hash[32],
                                   const struct store_session *s, struct str address,
                                   struct str user_agent, struct err *err)
{
    if (user_agent.len > 300)
        user_agent.len = 300; /* enough to tell browsers apart on the staff page */
    struct store_q q;
    store_q_open(st, STMT_SESSION_INSERT, &q, err);
    store_bind_blob(&q, 1, hash, 32);
    store_bind_i64(&q, 2, s->user_id);
    store_bind_str(&q, 3, s->csrf);
    store_bind_i64(&q, 4, s->created_at);
    store_bind_i64(&q, 5, s->expires_at);
    store_bind_str(&q, 6, address);
    store_bind_str(&q, 7, user_agent);
    return store_q_exec(&q, NULL, "cannot save the session", err);
}

struct session_row {
    struct store_session *s;
    struct store_user *u;
};

static const struct store_col session_cols[] = {
    STORE_COL(struct store_session, 14, csrf),
    STORE_COL(struct store_session, 15, created_at),
    STORE_COL(struct store_session, 16, seen_at),
    STORE_COL(struct store_session, 17, expires_at),
};

static void read_session(const struct store_q *q, struct arena *a, void *out)
{
    struct session_row *r = out;
    read_user(q, a, r->u);
    store_read_cols(q, session_cols, ARRAY_LEN(session_cols), a, r->s);
    r->s->user_id = r->u->id;
}

enum err_code store_session_get(struct store *st, const unsigned char hash[32], struct arena *a,
                                struct store_session *out, struct store_user *user, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SESSION_GET, &q, err);
    store_bind_blob(&q, 1, hash, 32);
    struct session_row r = {out, user};
    return store_q_row(&q, STORE_ROW_FN(read_session), a, &r, "session", err);
}

enum err_code store_session_touch(struct store *st, const unsigned char hash[32], int64_t now,
                                  struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SESSION_TOUCH, &q, err);
    store_bind_blob(&q, 1, hash, 32);
    store_bind_i64(&q, 2, now);
    return store_q_exec(&q, NULL, "cannot update the session", err);
}

enum err_code store_session_delete(struct store *st, const unsigned char hash[32], struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SESSION_DELETE, &q, err);
    store_bind_blob(&q, 1, hash, 32);
    return store_q_exec(&q, NULL, "cannot end the session", err);
}

enum err_code store_sessions_purge(struct store *st, int64_t now, int64_t idle_before,
                                   struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SESSIONS_PURGE, &q, err);
    store_bind_i64(&q, 1, now);
    store_bind_i64(&q, 2, idle_before);
    return store_q_exec(&q, NULL, "cannot remove old sessions", err);
}

/* ---- the editor's posts ------------------------------------------------------------ */

/* SQL_ADMIN_WHERE's ?1..?4 and ?7..?10; NULL, 0 or '' where any will do. */
static void bind_admin_where(struct store_q *q, const struct store_admin_query *aq,
                             const char *match)
{
    const struct store_search_query none = {.nterms = 0};
    const struct store_search_query *sq = aq->search ? aq->search : &none;
    store_bind_text(q, 1, aq->status);
    store_bind_i64(q, 2, aq->author_id);
    store_bind_i64(q, 3, aq->tag_id);
    store_bind_text(q, 4, match);
    store_bind_str(q, 7, sq->tag);
    store_bind_str(q, 8, sq->author);
    store_bind_i64(q, 9, sq->after);
    store_bind_i64(q, 10, sq->before);
}

/*
 * The list matches the index directly rather than paging through store_search: the
 * list has its own order, filters and exact count, and store_search's ranking and
 * snippets are work it would throw away. Measured on 20,000 demo posts, ten pages of
 * store_search for the ids took 1.1 to 5.8 s; this takes what the list without words
 * does (README "Search").
 */
enum err_code store_admin_posts(struct store *st, const struct store_admin_query *aq,
                                struct arena *a, struct content_post **out, size_t *n,
                                int64_t *total, struct err *err)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    struct buf expr;
    buf_init(&expr, 256 * 1024);
    bool terms = aq->search && aq->search->nterms;
    bool found = terms && st->drv->search_match(aq->search, &expr);
    const char *match = found ? arena_str(a, buf_str(&expr)).ptr : NULL;
    buf_release(&expr);
    if (terms && !found)
        return ERR_OK; /* only words to leave out: nothing to look for, as store_search */
    struct store_q q;
    store_q_open(st, STMT_ADMIN_POSTS_COUNT, &q, err);
    bind_admin_where(&q, aq, match);
    enum err_code rc = store_q_i64(&q, total, "cannot count posts", err);
    if (rc)
        return rc;
    store_q_open(st, STMT_ADMIN_POSTS_PAGE, &q, err);
    bind_admin_where(&q, aq, match);
    store_bind_i64(&q, 5, aq->limit);
    store_bind_i64(&q, 6, aq->offset);
    void *v;
    size_t max = aq->limit > 0 ? (size_t)aq->limit : 0;
    rc = store_q_rows(&q, sizeof(struct content_post), max, STORE_ROW_FN(store_read_listed), a, &v,
                      n, err);
    *out = v;
    return rc;
}

/* A row of STMT_POST_BY_ID: a teaser's columns 0..11 (12.. are no joins), then the rest. */
static const struct store_col full_post_cols[] = {
    STORE_COL(struct content_post, 12, markdown),
    STORE_COL(struct content_post, 13, html),
    STORE_COL(struct content_post, 14, feature_image_alt),
    STORE_COL(struct content_post, 15, plaintext),
    STORE_COL(struct content_post, 16, page),
    STORE_COL(struct content_post, 17, visibility),
    STORE_COL(struct content_post, 18, feature_image_caption),
    STORE_COL(struct content_post, 19, ghost_id),
};

static void read_full_post(const struct store_q *q, struct arena *a, void *out)
{
    store_read_teaser(q, a, out);
    struct content_post *p = out;
    p->ntags = p->nauthors = 0;
    p->tags = NULL;
    p->authors = NULL;
    store_read_cols(q, full_post_cols, ARRAY_LEN(full_post_cols), a, p);
    store_read_meta(q, 20, a, &p->meta);
    store_read_desk(q, 29, a, p);
}

enum err_code store_post_by_id(struct store *st, int64_t id, struct arena *a,
                               struct content_post *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_BY_ID, &q, err);
    store_bind_i64(&q, 1, id);
    enum err_code rc = store_q_row(&q, STORE_ROW_FN(read_full_post), a, out, "post", err);
    return rc ? rc : store_post_related(st, out, a, err);
}

enum err_code store_post_delete(struct store *st, int64_t id, struct err *err)
{
    /* the deps first: once the row is gone, so are the links that name its lists */
    struct buf deps;
    buf_init(&deps, 64 * 1024);
    buf_printf(&deps, "post:%lld list", (long long)id);
    enum err_code rc = store_post_links(st, id, &deps, err);
    bool breaking = false;
    unsigned pinned = 0;
    if (!rc)
        rc = store_post_desk_flags(st, id, &breaking, &pinned, err);
    if (!rc && (breaking || pinned))
        buf_puts(&deps, " *"); /* its banner goes from every page */
    if (!rc)
        rc = store_search_drop(st, id, err);
    if (!rc)
        rc = change_id(st, STMT_POST_DELETE, id, "cannot delete the post", "post", err);
    if (!rc)
        rc = store_change_log(st, deps.ptr, err);
    buf_release(&deps);
    return rc;
}

/* Publishes one scheduled post at the time it was scheduled for, even if we are late. */
static enum err_code publish(struct store *st, int64_t id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_PUBLISH, &q, err);
    store_bind_i64(&q, 1, id);
    enum err_code rc = store_q_exec(&q, NULL, "cannot publish", err);
    return rc ? rc : store_post_log_now(st, id, err);
}

enum err_code store_posts_publish_due(struct store *st, int64_t now, struct arena *a, int64_t **ids,
                                      size_t *n, struct err *err)
{
    /* 1,000 per pass: one transaction stays short; the next pass (0.25 s) takes the rest */
    enum { DUE_MAX = 1000 };
    struct store_q q;
    store_q_open(st, STMT_POSTS_DUE, &q, err);
    store_bind_i64(&q, 1, now);
    store_bind_i64(&q, 2, DUE_MAX);
    void *v;
    enum err_code rc = store_q_rows(&q, sizeof(int64_t), DUE_MAX, &store_row_i64, a, &v, n, err);
    if (rc) {
        *n = 0;
        return rc;
    }
    *ids = v;
    for (size_t i = 0; i < *n && !rc; i++)
        rc = publish(st, (*ids)[i], err);
    if (!rc)
        st->tx_published_due += (unsigned)*n;
    return rc;
}

enum err_code store_next_scheduled(struct store *st, int64_t *at, struct err *err)
{
    return count_of(st, STMT_NEXT_SCHEDULED, at, err);
}

/* ---- tags -------------------------------------------------------------------------- */

/* Tags (SQL_TAG_COLS) with, in column 6 when the statement has it, the posts carrying them. */
static void read_tag_row(const struct store_q *q, struct arena *a, void *out)
{
    struct store_tag_row *r = out;
    memset(r, 0, sizeof(*r));
    store_read_tag(q, a, &r->tag);
    if (store_col_count(q) > 6)
        r->posts = store_col_i64(q, 6);
}

enum err_code store_tags_all(struct store *st, struct arena *a, struct store_tag_row **out,
                             size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_TAGS_ALL, &q, err);
    void *v;
    enum err_code rc = store_q_rows(&q, sizeof(struct store_tag_row), 100000,
                                    STORE_ROW_FN(read_tag_row), a, &v, n, err);
    *out = v;
    return rc;
}

enum err_code store_tag_by_id(struct store *st, int64_t id, struct arena *a,
                              struct content_tag *out, struct err *err)
{
    struct store_tag_row r;
    struct store_q q;
    store_q_open(st, STMT_TAG_BY_ID, &q, err);
    store_bind_i64(&q, 1, id);
    enum err_code rc = store_q_row(&q, STORE_ROW_FN(read_tag_row), a, &r, "tag", err);
    if (!rc)
        *out = r.tag;
    return rc;
}

enum err_code store_tag_update(struct store *st, int64_t id, const struct content_tag *t,
                               struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_TAG_UPDATE, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_str(&q, 2, t->name);
    store_bind_str(&q, 3, t->slug);
    store_bind_str(&q, 4, t->description);
    enum err_code rc = change_one(&q, "cannot save the tag", "tag", err);
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_CONFLICT, "the slug '%.*s' belongs to another tag",
                       (int)t->slug.len, t->slug.ptr);
    /* its posts are found by the new name at once */
    if (!rc)
        rc = store_search_put_tag(st, id, false, err);
    /* the section label shows on teasers of every list */
    return rc ? rc : store_change_log(st, "*", err);
}

/* ---- revisions --------------------------------------------------------------------- */

static const struct store_col revision_cols[] = {
    STORE_COL(struct store_revision, 0, id),
    STORE_COL(struct store_revision, 1, post_id),
    STORE_COL(struct store_revision, 2, user_name),
    STORE_COL(struct store_revision, 3, created_at),
    STORE_COL(struct store_revision, 4, action),
    STORE_COL(struct store_revision, 5, title),
    STORE_COL(struct store_revision, 6, markdown),
    STORE_COL(struct store_revision, 7, user_id),
    STORE_COL(struct store_revision, 8, excerpt),
    STORE_COL(struct store_revision, 9, tags),
    STORE_COL(struct store_revision, 10, authors),
    STORE_COL(struct store_revision, 11, feature_image),
    STORE_COL(struct store_revision, 12, feature_image_alt),
    STORE_COL(struct store_revision, 13, feature_image_caption),
    STORE_COL(struct store_revision, 14, correction),
    STORE_COL(struct store_revision, 15, minor),
    STORE_COL(struct store_revision, 16, recorded),
};

/* ?1..?14 of REVISION_ADD and REVISION_PENDING_SET (which has no use for ?4, the action). */
static void bind_revision(struct store_q *q, int64_t post_id, int64_t user_id,
                          const struct store_revision *r)
{
    store_bind_i64(q, 1, post_id);
    store_bind_i64(q, 2, user_id);
    store_bind_i64(q, 3, time_now());
    store_bind_str(q, 4, r->action);
    store_bind_str(q, 5, r->title);
    store_bind_str(q, 6, r->markdown);
    store_bind_str(q, 7, r->excerpt);
    store_bind_str(q, 8, r->tags);
    store_bind_str(q, 9, r->authors);
    store_bind_str(q, 10, r->feature_image);
    store_bind_str(q, 11, r->feature_image_alt);
    store_bind_str(q, 12, r->feature_image_caption);
    store_bind_str(q, 13, r->correction);
    store_bind_i64(q, 14, r->minor);
}

enum err_code store_revision_add(struct store *st, int64_t post_id, int64_t user_id,
                                 const struct store_revision *r, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REVISION_ADD, &q, err);
    bind_revision(&q, post_id, user_id, r);
    return store_q_exec(&q, NULL, "cannot keep the revision", err);
}

enum err_code store_revisions(struct store *st, int64_t post_id, struct arena *a,
                              struct store_revision **out, size_t *n, struct err *err)
{
    /* the newest 1,000: the page lists them, and older ones stay in the table */
    enum { REVISIONS_MAX = 1000 };
    struct store_q q;
    store_q_open(st, STMT_REVISIONS, &q, err);
    store_bind_i64(&q, 1, post_id);
    store_bind_i64(&q, 2, REVISIONS_MAX);
    void *v;
    enum err_code rc = store_q_rows(&q, sizeof(struct store_revision), REVISIONS_MAX,
                                    STORE_ROW(revision_cols), a, &v, n, err);
    *out = v;
    return rc;
}

enum err_code store_revision_get(struct store *st, int64_t id, struct arena *a,
                                 struct store_revision *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REVISION_GET, &q, err);
    store_bind_i64(&q, 1, id);
    return store_q_row(&q, STORE_ROW(revision_cols), a, out, "revision", err);
}

/* ---- versions, kept texts, presence ------------------------------------------------- */

enum err_code store_post_version(struct store *st, int64_t id, int64_t *version,
                                 int64_t *updated_at, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_VERSION, &q, err);
    store_bind_i64(&q, 1, id);
    bool found = store_q_next(&q);
    *version = found ? store_col_i64(&q, 0) : 0;
    *updated_at = found ? store_col_i64(&q, 1) : 0;
    enum err_code rc = store_q_end(&q, "cannot read the post's version", err);
    if (!rc && !found)
        return err_set(err, ERR_NOTFOUND, "no such post");
    return rc;
}

enum err_code store_revision_keep(struct store *st, int64_t post_id, int64_t user_id,
                                  const struct store_revision *r, int64_t *id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REVISION_ADD, &q, err);
    bind_revision(&q, post_id, user_id, r);
    return store_q_insert(&q, id, "cannot keep the revision", err);
}

enum err_code store_revision_last_change(struct store *st, int64_t post_id, bool draft,
                                         struct arena *a, struct store_revision *out,
                                         struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REVISION_LAST_CHANGE, &q, err);
    store_bind_i64(&q, 1, post_id);
    store_bind_i64(&q, 2, draft);
    return store_q_row(&q, STORE_ROW(revision_cols), a, out, "revision", err);
}

enum err_code store_revision_pending(struct store *st, int64_t post_id, int64_t user_id,
                                     struct arena *a, struct store_revision *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REVISION_PENDING, &q, err);
    store_bind_i64(&q, 1, post_id);
    store_bind_i64(&q, 2, user_id);
    return store_q_row(&q, STORE_ROW(revision_cols), a, out, "revision", err);
}

enum err_code store_revision_pending_set(struct store *st, int64_t post_id, int64_t user_id,
                                         const struct store_revision *r, int64_t *id,
                                         struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REVISION_PENDING_SET, &q, err);
    bind_revision(&q, post_id, user_id, r);
    enum err_code rc = store_q_i64(&q, id, "cannot keep the autosave", err);
    if (rc || *id)
        return rc;
    struct store_revision kept = *r;
    kept.action = STR_LIT("autosave");
    return store_revision_keep(st, post_id, user_id, &kept, id, err);
}

enum err_code store_revision_pending_drop(struct store *st, int64_t post_id, int64_t user_id,
                                          struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REVISION_PENDING_DROP, &q, err);
    store_bind_i64(&q, 1, post_id);
    store_bind_i64(&q, 2, user_id);
    return store_q_exec(&q, NULL, "cannot drop the autosave", err);
}

enum err_code store_editing_touch(struct store *st, int64_t post_id, int64_t user_id, int64_t now,
                                  struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_EDITING_TOUCH, &q, err);
    store_bind_i64(&q, 1, post_id);
    store_bind_i64(&q, 2, user_id);
    store_bind_i64(&q, 3, now);
    return store_q_exec(&q, NULL, "cannot note who is editing", err);
}

static const struct store_col editing_cols[] = {
    STORE_COL(struct store_editing, 0, user_id),
    STORE_COL(struct store_editing, 1, name),
    STORE_COL(struct store_editing, 2, seen_at),
};

enum err_code store_editing_others(struct store *st, int64_t post_id, int64_t user_id,
                                   int64_t since, struct arena *a, struct store_editing **out,
                                   size_t *n, struct err *err)
{
    enum { EDITING_MAX = 20 };
    struct store_q q;
    store_q_open(st, STMT_EDITING_OTHERS, &q, err);
    store_bind_i64(&q, 1, post_id);
    store_bind_i64(&q, 2, user_id);
    store_bind_i64(&q, 3, since);
    store_bind_i64(&q, 4, EDITING_MAX);
    void *v = NULL;
    enum err_code rc = store_q_rows(&q, sizeof(struct store_editing), EDITING_MAX,
                                    STORE_ROW(editing_cols), a, &v, n, err);
    *out = v;
    return rc;
}

/*
 * A page of statement id (?1 limit, ?2 offset), each row read by fn into an element of
 * size bytes, after *total from the count statement.
 */
static enum err_code page_of(struct store *st, enum store_stmt count, enum store_stmt id,
                             int64_t offset, int64_t limit, size_t size, const struct store_row *r,
                             struct arena *a, void **out, size_t *n, int64_t *total,
                             struct err *err)
{
    enum err_code rc = count_of(st, count, total, err);
    if (rc)
        return rc;
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_i64(&q, 1, limit);
    store_bind_i64(&q, 2, offset);
    return store_q_rows(&q, size, limit > 0 ? (size_t)limit : 0, r, a, out, n, err);
}

/* ---- audit ------------------------------------------------------------------------- */

enum err_code store_audit(struct store *st, int64_t user, const char *action, struct str target,
                          struct str detail, struct str address, struct err *err)
{
    if (detail.len > 1000)
        detail.len = 1000; /* a line on the audit page, not an archive of the input */
    struct store_q q;
    store_q_open(st, STMT_AUDIT_INSERT, &q, err);
    store_bind_i64(&q, 1, time_now());
    store_bind_i64(&q, 2, user);
    store_bind_text(&q, 3, action);
    store_bind_str(&q, 4, target);
    store_bind_str(&q, 5, detail);
    store_bind_str(&q, 6, address);
    return store_q_exec(&q, NULL, "cannot write the audit log", err);
}

static const struct store_col audit_cols[] = {
    STORE_COL(struct store_audit_entry, 0, at),
    STORE_COL(struct store_audit_entry, 1, user_name),
    STORE_COL(struct store_audit_entry, 2, action),
    STORE_COL(struct store_audit_entry, 3, target),
    STORE_COL(struct store_audit_entry, 4, detail),
    STORE_COL(struct store_audit_entry, 5, address),
};

enum err_code store_audit_list(struct store *st, int64_t offset, int64_t limit, struct arena *a,
                               struct store_audit_entry **out, size_t *n, int64_t *total,
                               struct err *err)
{
    void *v = NULL;
    enum err_code rc =
        page_of(st, STMT_AUDIT_COUNT, STMT_AUDIT_PAGE, offset, limit,
                sizeof(struct store_audit_entry), STORE_ROW(audit_cols), a, &v, n, total, err);
    *out = v;
    return rc;
}
