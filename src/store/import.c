/*
 * The importers' part of the store: the staging database a reader's records go into
 * (attached to the writer for one import, a temporary file SQLite removes itself), the
 * map from a source's ids to ours with the digest of what was imported, each run's
 * checkpoint, the tags and people an import brings, and the redirects table.
 */
#include "store/store.h"
#include "store/store_int.h"

#include "import/import.h"

#include <string.h>

/* Binds v, or SQL NULL when it is empty (ghost ids: '' would collide in the unique index). */
static void bind_opt(struct store_q *q, int i, struct str v)
{
    if (v.len)
        store_bind_str(q, i, v);
    else
        store_bind_null(q, i);
}

static void bind_strs(struct store_q *q, int first, const struct str *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_bind_str(q, first + (int)i, v[i]);
}

/* ---- the staging database --------------------------------------------------------- */

enum err_code store_stage_begin(struct store *st, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_IMPORT_ATTACH, &q, err);
    enum err_code rc = store_q_exec(&q, NULL, "cannot make the staging database", err);
    if (!rc)
        rc = store_db_exec(st, st->drv->scripts->staging_create, err);
    /* staging's writes are one transaction (deferred: the site's database is not locked) */
    if (!rc)
        rc = store_db_exec(st, "BEGIN", err);
    if (rc)
        store_stage_drop(st);
    return rc;
}

enum err_code store_stage_commit(struct store *st, struct err *err)
{
    return store_db_exec(st, "COMMIT", err);
}

void store_stage_drop(struct store *st)
{
    struct err ignored = {0};
    if (store_db_in_tx(st))
        store_db_exec(st, "ROLLBACK", &ignored);
    struct store_q q;
    store_q_open(st, STMT_IMPORT_DETACH, &q, &ignored);
    store_q_exec(&q, NULL, "cannot detach the staging database", &ignored);
}

enum err_code store_stage_site(struct store *st, const char *key, struct str value, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_SITE_SET, &q, err);
    store_bind_text(&q, 1, key);
    store_bind_str(&q, 2, value);
    return store_q_exec(&q, NULL, "cannot stage the site's settings", err);
}

static enum err_code duplicate(enum err_code rc, const char *what, struct str id, struct err *err)
{
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_INVALID, "%s id '%.*s' appears twice in the export", what,
                       (int)(id.len > 64 ? 64 : id.len), id.ptr);
    return rc;
}

enum err_code store_stage_user(struct store *st, const struct import_user *u, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_USER_INSERT, &q, err);
    const struct str v[] = {u->id,  u->ghost_id, u->slug,    u->name,     u->email,
                            u->bio, u->avatar,   u->website, u->location, u->role};
    bind_strs(&q, 1, v, ARRAY_LEN(v));
    return duplicate(store_q_exec(&q, NULL, "cannot stage a person", err), "user", u->id, err);
}

enum err_code store_stage_user_role(struct store *st, struct str id, struct str role,
                                    struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_USER_ROLE, &q, err);
    store_bind_str(&q, 1, id);
    store_bind_str(&q, 2, role);
    return store_q_exec(&q, NULL, "cannot stage a role", err);
}

enum err_code store_stage_tag(struct store *st, const struct import_tag *t, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_TAG_INSERT, &q, err);
    const struct str v[] = {t->id, t->ghost_id, t->slug, t->name, t->description};
    bind_strs(&q, 1, v, ARRAY_LEN(v));
    store_bind_i64(&q, 6, t->internal);
    return duplicate(store_q_exec(&q, NULL, "cannot stage a tag", err), "tag", t->id, err);
}

enum err_code store_stage_post(struct store *st, const struct import_post *p, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_POST_INSERT, &q, err);
    const struct str v[] = {p->id, p->ghost_id, p->uuid, p->slug, p->title};
    bind_strs(&q, 1, v, ARRAY_LEN(v));
    store_bind_i64(&q, 6, p->body_kind);
    const struct str w[] = {p->body, p->custom_excerpt, p->feature_image,
                            p->feature_image_attachment};
    bind_strs(&q, 7, w, ARRAY_LEN(w));
    const int64_t n[] = {p->status,     p->page,       p->featured,
                         p->created_at, p->updated_at, p->published_at};
    for (size_t i = 0; i < ARRAY_LEN(n); i++)
        store_bind_i64(&q, 11 + (int)i, n[i]);
    store_bind_str(&q, 17, p->old_path);
    return duplicate(store_q_exec(&q, NULL, "cannot stage a post", err), "post", p->id, err);
}

enum err_code store_stage_link(struct store *st, bool tag, struct str post_id, struct str other,
                               int64_t order, struct err *err)
{
    struct store_q q;
    store_q_open(st, tag ? STMT_STG_POST_TAG : STMT_STG_POST_AUTHOR, &q, err);
    store_bind_str(&q, 1, post_id);
    store_bind_str(&q, 2, other);
    store_bind_i64(&q, 3, order);
    return store_q_exec(&q, NULL, "cannot stage a relation", err);
}

enum err_code store_stage_meta(struct store *st, const struct import_post_meta *m, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_META_SET, &q, err);
    const struct content_meta *c = &m->meta;
    const struct str v[] = {m->post_id,       m->feature_image_alt,   m->feature_image_caption,
                            c->meta_title,    c->meta_description,    c->og_image,
                            c->og_title,      c->og_description,      c->twitter_image,
                            c->twitter_title, c->twitter_description, c->canonical_url};
    bind_strs(&q, 1, v, ARRAY_LEN(v));
    return store_q_exec(&q, NULL, "cannot stage a post's meta", err);
}

enum err_code store_stage_attachment(struct store *st, const struct import_attachment *at,
                                     struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_ATTACHMENT_INSERT, &q, err);
    const struct str v[] = {at->id, at->url, at->file, at->alt, at->caption, at->title};
    bind_strs(&q, 1, v, ARRAY_LEN(v));
    return store_q_exec(&q, NULL, "cannot stage an attachment", err);
}

enum err_code store_stage_redirect(struct store *st, struct str from, int kind, struct str id,
                                   struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_REDIRECT_INSERT, &q, err);
    store_bind_str(&q, 1, from);
    store_bind_i64(&q, 2, kind);
    store_bind_str(&q, 3, id);
    return store_q_exec(&q, NULL, "cannot stage a redirect", err);
}

/* ---- reading what was staged ------------------------------------------------------ */

static const struct store_col site_cols[] = {
    STORE_COL(struct store_setting, 0, key),
    STORE_COL(struct store_setting, 1, value),
};

enum err_code store_stage_site_all(struct store *st, struct arena *a, struct store_setting **out,
                                   size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_SITE_ALL, &q, err);
    return store_q_rows(&q, sizeof(**out), 64, STORE_ROW(site_cols), a, (void **)out, n, err);
}

static const struct store_col user_cols[] = {
    STORE_COL(struct import_user, 0, id),       STORE_COL(struct import_user, 1, ghost_id),
    STORE_COL(struct import_user, 2, slug),     STORE_COL(struct import_user, 3, name),
    STORE_COL(struct import_user, 4, email),    STORE_COL(struct import_user, 5, bio),
    STORE_COL(struct import_user, 6, avatar),   STORE_COL(struct import_user, 7, website),
    STORE_COL(struct import_user, 8, location), STORE_COL(struct import_user, 9, role),
};

enum err_code store_stage_users(struct store *st, struct arena *a, struct import_user **out,
                                size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_USERS, &q, err);
    return store_q_rows(&q, sizeof(**out), SIZE_MAX, STORE_ROW(user_cols), a, (void **)out, n, err);
}

static const struct store_col tag_cols[] = {
    STORE_COL(struct import_tag, 0, id),          STORE_COL(struct import_tag, 1, ghost_id),
    STORE_COL(struct import_tag, 2, slug),        STORE_COL(struct import_tag, 3, name),
    STORE_COL(struct import_tag, 4, description), STORE_COL(struct import_tag, 5, internal),
};

enum err_code store_stage_tags(struct store *st, struct arena *a, struct import_tag **out,
                               size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_TAGS, &q, err);
    return store_q_rows(&q, sizeof(**out), SIZE_MAX, STORE_ROW(tag_cols), a, (void **)out, n, err);
}

/* A staged post: its seq goes into old_path's place until the caller takes it. */
struct staged_post {
    struct import_post p;
    int64_t seq;
};

static void read_staged_post(const struct store_q *q, struct arena *a, void *row)
{
    struct staged_post *s = row;
    struct import_post *p = &s->p;
    s->seq = store_col_i64(q, 0);
    struct str *text[] = {&p->id, &p->ghost_id, &p->uuid, &p->slug, &p->title};
    for (size_t i = 0; i < ARRAY_LEN(text); i++)
        *text[i] = store_col_str(q, 1 + (int)i, a);
    p->body_kind = (enum import_body)store_col_i64(q, 6);
    p->body = store_col_str(q, 7, a);
    p->custom_excerpt = store_col_str(q, 8, a);
    p->feature_image = store_col_str(q, 9, a);
    p->feature_image_attachment = store_col_str(q, 10, a);
    p->status = (enum content_status)store_col_i64(q, 11);
    p->page = store_col_bool(q, 12);
    p->featured = store_col_bool(q, 13);
    p->created_at = store_col_i64(q, 14);
    p->updated_at = store_col_i64(q, 15);
    p->published_at = store_col_i64(q, 16);
    p->old_path = store_col_str(q, 17, a);
}

enum err_code store_stage_posts(struct store *st, int64_t *after, size_t limit, struct arena *a,
                                struct import_post **out, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_POSTS_PAGE, &q, err);
    store_bind_i64(&q, 1, *after);
    store_bind_i64(&q, 2, (int64_t)limit);
    struct staged_post *v = NULL;
    enum err_code rc =
        store_q_rows(&q, sizeof(*v), limit, STORE_ROW_FN(read_staged_post), a, (void **)&v, n, err);
    if (rc)
        return rc;
    *out = arena_calloc(a, *n + 1, sizeof(**out));
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = v[i].p;
    if (*n)
        *after = v[*n - 1].seq;
    return ERR_OK;
}

enum err_code store_stage_posts_count(struct store *st, int64_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_POSTS_COUNT, &q, err);
    return store_q_i64(&q, n, "cannot count staged posts", err);
}

enum err_code store_stage_links_of(struct store *st, bool tags, struct str post_id, struct arena *a,
                                   struct str **out, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, tags ? STMT_STG_TAGS_OF : STMT_STG_AUTHORS_OF, &q, err);
    store_bind_str(&q, 1, post_id);
    return store_q_rows(&q, sizeof(**out), 1000, &store_row_str, a, (void **)out, n, err);
}

static void read_meta(const struct store_q *q, struct arena *a, void *row)
{
    struct import_post_meta *m = row;
    struct content_meta *c = &m->meta;
    struct str *f[] = {&m->feature_image_alt, &m->feature_image_caption,
                       &c->meta_title,        &c->meta_description,
                       &c->og_image,          &c->og_title,
                       &c->og_description,    &c->twitter_image,
                       &c->twitter_title,     &c->twitter_description,
                       &c->canonical_url};
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        *f[i] = store_col_str(q, (int)i, a);
}

enum err_code store_stage_meta_of(struct store *st, struct str post_id, struct arena *a,
                                  struct import_post_meta *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_META_OF, &q, err);
    store_bind_str(&q, 1, post_id);
    memset(out, 0, sizeof(*out));
    enum err_code rc = store_q_row(&q, STORE_ROW_FN(read_meta), a, out, "meta", err);
    out->post_id = post_id;
    return rc;
}

static const struct store_col attachment_cols[] = {
    STORE_COL(struct import_attachment, 0, id),      STORE_COL(struct import_attachment, 1, url),
    STORE_COL(struct import_attachment, 2, file),    STORE_COL(struct import_attachment, 3, alt),
    STORE_COL(struct import_attachment, 4, caption), STORE_COL(struct import_attachment, 5, title),
};

enum err_code store_stage_attachment_get(struct store *st, struct str id, struct str url,
                                         struct arena *a, struct import_attachment *out,
                                         struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_ATTACHMENT_GET, &q, err);
    store_bind_str(&q, 1, id);
    store_bind_str(&q, 2, url);
    return store_q_row(&q, STORE_ROW(attachment_cols), a, out, "attachment", err);
}

struct stage_redirect {
    struct str from;
    int64_t kind;
    struct str id;
};

static const struct store_col redirect_cols[] = {
    STORE_COL(struct stage_redirect, 0, from),
    STORE_COL(struct stage_redirect, 1, kind),
    STORE_COL(struct stage_redirect, 2, id),
};

enum err_code store_stage_redirects(struct store *st, struct arena *a, struct str **from,
                                    int **kinds, struct str **ids, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_REDIRECTS, &q, err);
    struct stage_redirect *v = NULL;
    enum err_code rc =
        store_q_rows(&q, sizeof(*v), SIZE_MAX, STORE_ROW(redirect_cols), a, (void **)&v, n, err);
    if (rc)
        return rc;
    *from = arena_calloc(a, *n + 1, sizeof(**from));
    *ids = arena_calloc(a, *n + 1, sizeof(**ids));
    *kinds = arena_calloc(a, *n + 1, sizeof(**kinds));
    for (size_t i = 0; i < *n; i++) {
        (*from)[i] = v[i].from;
        (*ids)[i] = v[i].id;
        (*kinds)[i] = (int)v[i].kind;
    }
    return ERR_OK;
}

enum err_code store_stage_media_get(struct store *st, struct str url, struct arena *a,
                                    struct str *local, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_MEDIA_GET, &q, err);
    store_bind_str(&q, 1, url);
    return store_q_row(&q, &store_row_str, a, local, "image", err);
}

enum err_code store_stage_media_set(struct store *st, struct str url, struct str local,
                                    struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_STG_MEDIA_SET, &q, err);
    store_bind_str(&q, 1, url);
    store_bind_str(&q, 2, local);
    return store_q_exec(&q, NULL, "cannot note an image", err);
}

/* ---- the id map and the runs ------------------------------------------------------ */

enum err_code store_import_map_get(struct store *st, const char *source, const char *kind,
                                   struct str source_id, struct arena *a, int64_t *local_id,
                                   struct str *digest, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_IMPORT_MAP_GET, &q, err);
    store_bind_text(&q, 1, source);
    store_bind_text(&q, 2, kind);
    store_bind_str(&q, 3, source_id);
    *local_id = 0;
    bool found = store_q_next(&q);
    if (found) {
        *local_id = store_col_i64(&q, 0);
        *digest = store_col_str(&q, 1, a);
    }
    enum err_code rc = store_q_end(&q, "cannot read the import map", err);
    if (!rc && !found)
        return err_set(err, ERR_NOTFOUND, "not imported before");
    return rc;
}

enum err_code store_import_map_set(struct store *st, const char *source, const char *kind,
                                   struct str source_id, int64_t local_id, struct str digest,
                                   struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_IMPORT_MAP_SET, &q, err);
    store_bind_text(&q, 1, source);
    store_bind_text(&q, 2, kind);
    store_bind_str(&q, 3, source_id);
    store_bind_i64(&q, 4, local_id);
    store_bind_str(&q, 5, digest);
    return store_q_exec(&q, NULL, "cannot write the import map", err);
}

enum err_code store_import_run_last(struct store *st, const char *source, struct str file_digest,
                                    int64_t *id, int64_t *done, bool *finished, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_IMPORT_RUN_LAST, &q, err);
    store_bind_str(&q, 1, file_digest);
    store_bind_text(&q, 2, source);
    *id = *done = 0;
    *finished = false;
    if (store_q_next(&q)) {
        *id = store_col_i64(&q, 0);
        *done = store_col_i64(&q, 1);
        *finished = store_col_i64(&q, 2) != 0;
    }
    return store_q_end(&q, "cannot read the import runs", err);
}

enum err_code store_import_run_start(struct store *st, const char *source, struct str file_digest,
                                     int64_t done, int64_t *id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_IMPORT_RUN_INSERT, &q, err);
    store_bind_text(&q, 1, source);
    store_bind_str(&q, 2, file_digest);
    store_bind_i64(&q, 3, done);
    store_bind_i64(&q, 4, time_now());
    return store_q_insert(&q, id, "cannot record the import run", err);
}

enum err_code store_import_run_done(struct store *st, int64_t id, int64_t done, bool finished,
                                    struct err *err)
{
    struct store_q q;
    store_q_open(st, finished ? STMT_IMPORT_RUN_FINISH : STMT_IMPORT_RUN_DONE, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_i64(&q, 2, finished ? time_now() : done);
    return store_q_exec(&q, NULL, "cannot record the import's checkpoint", err);
}

/* ---- what an import writes beside newsroom/'s posts --------------------------------- */

enum err_code store_import_post_fix(struct store *st, int64_t id, int64_t created_at,
                                    int64_t updated_at, struct str uuid, struct str ghost_id,
                                    unsigned *dropped, struct err *err)
{
    enum err_code rc = ERR_OK;
    /* another post has the uuid (bit 1) or the Ghost id (bit 2): that one goes, the rest stays */
    for (*dropped = 0; *dropped < 4; ++*dropped) {
        if (((*dropped & 1) && !uuid.len) || ((*dropped & 2) && !ghost_id.len))
            continue;
        struct store_q q;
        store_q_open(st, STMT_IMPORT_POST_FIX, &q, err);
        store_bind_i64(&q, 1, id);
        store_bind_i64(&q, 2, created_at);
        store_bind_i64(&q, 3, updated_at);
        store_bind_str(&q, 4, *dropped & 1 ? STR_NULL : uuid);
        store_bind_str(&q, 5, *dropped & 2 ? STR_NULL : ghost_id);
        rc = store_q_exec(&q, NULL, "cannot keep the post's dates and ids", err);
        if (rc != ERR_CONFLICT)
            break;
    }
    return rc;
}

enum err_code store_import_tag_find(struct store *st, struct str ghost_id, struct str slug,
                                    int64_t *id, struct err *err)
{
    *id = 0;
    enum err_code rc = ERR_OK;
    if (ghost_id.len) {
        struct store_q q;
        store_q_open(st, STMT_IMPORT_TAG_BY_GHOST_ID, &q, err);
        store_bind_str(&q, 1, ghost_id);
        rc = store_q_i64(&q, id, "cannot read tags", err);
    }
    if (!rc && !*id) {
        rc = store_tag_find(st, slug, id, err);
        if (rc == ERR_NOTFOUND) {
            *id = 0;
            rc = ERR_OK;
        }
    }
    return rc;
}

enum err_code store_import_tag_save(struct store *st, const struct import_tag *t, int64_t *id,
                                    struct err *err)
{
    struct store_q q;
    bool insert = *id == 0;
    store_q_open(st, insert ? STMT_IMPORT_TAG_INSERT : STMT_IMPORT_TAG_UPDATE, &q, err);
    const char *visibility = t->internal ? "internal" : "public";
    if (insert) {
        const struct str v[] = {t->slug, t->name, t->description};
        bind_strs(&q, 1, v, ARRAY_LEN(v));
        bind_opt(&q, 4, t->ghost_id);
        store_bind_text(&q, 5, visibility);
        store_bind_i64(&q, 6, time_now());
        return store_q_insert(&q, id, "cannot save a tag", err);
    }
    store_bind_i64(&q, 1, *id);
    store_bind_str(&q, 2, t->name);
    store_bind_str(&q, 3, t->description);
    bind_opt(&q, 4, t->ghost_id);
    store_bind_text(&q, 5, visibility);
    enum err_code rc = store_q_exec(&q, NULL, "cannot save a tag", err);
    /* a renamed tag's posts are found by the new name */
    return rc ? rc : store_search_put_tag(st, *id, false, err);
}

enum err_code store_import_user_find(struct store *st, const struct import_user *u, int64_t *id,
                                     struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_IMPORT_USER_FIND, &q, err);
    store_bind_str(&q, 1, u->ghost_id);
    store_bind_str(&q, 2, u->slug);
    store_bind_str(&q, 3, u->email);
    return store_q_i64(&q, id, "cannot read people", err);
}

enum err_code store_import_user_save(struct store *st, const struct import_user *u,
                                     const char *role, int64_t *id, struct err *err)
{
    struct store_q q;
    bool insert = *id == 0;
    store_q_open(st, insert ? STMT_IMPORT_USER_INSERT : STMT_IMPORT_USER_UPDATE, &q, err);
    enum err_code rc;
    if (insert) {
        const struct str v[] = {u->slug,   u->name,    u->email,   u->bio,
                                u->avatar, u->website, u->location};
        bind_strs(&q, 1, v, ARRAY_LEN(v));
        store_bind_text(&q, 8, role);
        bind_opt(&q, 9, u->ghost_id);
        store_bind_i64(&q, 10, time_now());
        rc = store_q_insert(&q, id, "cannot save a person", err);
    } else {
        store_bind_i64(&q, 1, *id);
        const struct str v[] = {u->name, u->bio, u->avatar, u->website, u->location};
        bind_strs(&q, 2, v, ARRAY_LEN(v));
        bind_opt(&q, 7, u->ghost_id);
        store_bind_i64(&q, 8, time_now());
        rc = store_q_exec(&q, NULL, "cannot save a person", err);
        if (!rc)
            rc = store_search_put_author(st, *id, err);
    }
    return rc;
}

enum err_code store_import_changed(struct store *st, struct err *err)
{
    /* tags, bylines and redirects show on every page: one change refreshes them all */
    return store_change_log(st, "*", err);
}

/* ---- redirects ------------------------------------------------------------------- */

enum err_code store_redirect_set(struct store *st, struct str from, struct str to,
                                 const char *source, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REDIRECT_SET, &q, err);
    store_bind_str(&q, 1, from);
    store_bind_str(&q, 2, to);
    store_bind_text(&q, 3, source);
    return store_q_exec(&q, NULL, "cannot save a redirect", err);
}

enum err_code store_redirect_get(struct store *st, struct str from, struct arena *a, struct str *to,
                                 struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_REDIRECT_GET, &q, err);
    store_bind_str(&q, 1, from);
    return store_q_row(&q, &store_row_str, a, to, "redirect", err);
}
