/*
 * Posts, tags and authors: the reader's queries and the writes that create them.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static enum content_status status_of(struct str s)
{
    enum content_status st = CONTENT_DRAFT;
    content_status_parse(s, &st);
    return st;
}

/* One row of a list query (STORE_TEASER_COLS) into a teaser. */
void store_read_teaser(sqlite3_stmt *s, struct arena *a, struct content_post *p)
{
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(s, 0);
    p->uuid = store_col_str(s, 1, a);
    p->slug = store_col_str(s, 2, a);
    p->title = store_col_str(s, 3, a);
    p->custom_excerpt = store_col_str(s, 4, a);
    p->plaintext = store_col_str(s, 5, a);
    p->feature_image = store_col_str(s, 6, a);
    p->status = status_of(store_col_str(s, 7, a));
    p->featured = sqlite3_column_int(s, 8) != 0;
    p->created_at = sqlite3_column_int64(s, 9);
    p->updated_at = sqlite3_column_int64(s, 10);
    p->published_at = sqlite3_column_int64(s, 11);
    if (sqlite3_column_type(s, 12) != SQLITE_NULL) {
        struct content_tag *t = arena_calloc(a, 1, sizeof(*t));
        t->id = sqlite3_column_int64(s, 12);
        t->slug = store_col_str(s, 13, a);
        t->name = store_col_str(s, 14, a);
        p->tags = t;
        p->ntags = 1;
    }
    if (sqlite3_column_type(s, 15) != SQLITE_NULL) {
        struct content_author *u = arena_calloc(a, 1, sizeof(*u));
        u->id = sqlite3_column_int64(s, 15);
        u->slug = store_col_str(s, 16, a);
        u->name = store_col_str(s, 17, a);
        u->avatar = store_col_str(s, 18, a);
        p->authors = u;
        p->nauthors = 1;
    }
}

static enum err_code read_teasers(struct store *st, sqlite3_stmt *s, int64_t limit,
                                  struct arena *a, struct content_post **out, size_t *n,
                                  struct err *err)
{
    size_t cap = limit > 0 && limit < 1000 ? (size_t)limit : 1000;
    struct content_post *v = arena_alloc(a, cap * sizeof(*v));
    size_t count = 0;
    int rc;
    while (count < cap && (rc = sqlite3_step(s)) == SQLITE_ROW)
        store_read_teaser(s, a, &v[count++]);
    if (count < cap && rc != SQLITE_DONE) {
        sqlite3_reset(s);
        return store_sqlite_err(st, rc, "cannot list posts", err);
    }
    sqlite3_reset(s);
    *out = v;
    *n = count;
    return ERR_OK;
}

static enum store_stmt pick(const struct store_filter *f, enum store_stmt all,
                            enum store_stmt tag, enum store_stmt author, int64_t *key)
{
    if (f && f->tag_id) {
        *key = f->tag_id;
        return tag;
    }
    if (f && f->author_id) {
        *key = f->author_id;
        return author;
    }
    *key = 0;
    return all;
}

enum err_code store_posts_list(struct store *st, const struct store_filter *f, int64_t offset,
                               int64_t limit, struct arena *a, struct content_post **out,
                               size_t *n, struct err *err)
{
    int64_t key;
    enum store_stmt id = pick(f, STMT_LIST_ALL, STMT_LIST_TAG, STMT_LIST_AUTHOR, &key);
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, key);
    sqlite3_bind_int64(s, 2, f ? f->exclude_id : 0);
    sqlite3_bind_int64(s, 3, limit);
    sqlite3_bind_int64(s, 4, offset);
    return read_teasers(st, s, limit, a, out, n, err);
}

enum err_code store_posts_after(struct store *st, const struct store_filter *f,
                                const struct store_cursor *cursor, int64_t limit,
                                struct arena *a, struct content_post **out, size_t *n,
                                struct err *err)
{
    if (!cursor)
        return store_posts_list(st, f, 0, limit, a, out, n, err);
    int64_t key;
    enum store_stmt id = pick(f, STMT_AFTER_ALL, STMT_AFTER_TAG, STMT_AFTER_AUTHOR, &key);
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, key);
    sqlite3_bind_int64(s, 2, f ? f->exclude_id : 0);
    sqlite3_bind_int64(s, 3, limit);
    sqlite3_bind_int64(s, 4, cursor->published_at);
    sqlite3_bind_int64(s, 5, cursor->id);
    return read_teasers(st, s, limit, a, out, n, err);
}

enum err_code store_feed_keys(struct store *st, const struct store_filter *f, int64_t **keys,
                              size_t *n, struct err *err)
{
    int64_t key;
    enum store_stmt id = pick(f, STMT_KEYS_ALL, STMT_KEYS_TAG, STMT_KEYS_AUTHOR, &key);
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, key);
    size_t cap = 1024, count = 0;
    int64_t *v = xmalloc(cap * 2 * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == cap) {
            cap *= 2;
            v = xrealloc(v, cap * 2 * sizeof(*v));
        }
        v[2 * count] = sqlite3_column_int64(s, 0);
        v[2 * count + 1] = sqlite3_column_int64(s, 1);
        count++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_sqlite_err(st, rc, "cannot read the feed order", err);
    }
    *keys = v;
    *n = count;
    return ERR_OK;
}

enum err_code store_posts_count(struct store *st, const struct store_filter *f, int64_t *n,
                                struct err *err)
{
    int64_t key;
    enum store_stmt id = pick(f, STMT_COUNT_ALL, STMT_COUNT_TAG, STMT_COUNT_AUTHOR, &key);
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, key);
    sqlite3_bind_int64(s, 2, f ? f->exclude_id : 0);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return store_sqlite_err(st, rc, "cannot count posts", err);
    }
    *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return ERR_OK;
}

static void read_tag(sqlite3_stmt *s, struct arena *a, struct content_tag *t)
{
    t->id = sqlite3_column_int64(s, 0);
    t->slug = store_col_str(s, 1, a);
    t->name = store_col_str(s, 2, a);
    t->description = store_col_str(s, 3, a);
}

void store_read_author(sqlite3_stmt *s, struct arena *a, struct content_author *u)
{
    u->id = sqlite3_column_int64(s, 0);
    u->slug = store_col_str(s, 1, a);
    u->name = store_col_str(s, 2, a);
    u->email = store_col_str(s, 3, a);
    u->bio = store_col_str(s, 4, a);
    u->avatar = store_col_str(s, 5, a);
    u->website = store_col_str(s, 6, a);
    u->desk = sqlite3_column_int(s, 7) != 0;
}

/* A post's tags or authors, in order: rows of a by-post query read into an arena array. */
#define STORE_MAX_RELATED 64

typedef void (*row_reader_fn)(sqlite3_stmt *s, struct arena *a, void *out);

static void read_tag_row(sqlite3_stmt *s, struct arena *a, void *out)
{
    read_tag(s, a, out);
}

static void read_author_row(sqlite3_stmt *s, struct arena *a, void *out)
{
    store_read_author(s, a, out);
}

static enum err_code related(struct store *st, enum store_stmt id, int64_t post, size_t size,
                             row_reader_fn fn, struct arena *a, void **out, size_t *n,
                             struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, post);
    char *v = arena_calloc(a, STORE_MAX_RELATED, size);
    size_t count = 0;
    int rc = SQLITE_DONE;
    while (count < STORE_MAX_RELATED && (rc = sqlite3_step(s)) == SQLITE_ROW)
        fn(s, a, v + size * count++);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot read a post's tags or authors", err);
    *out = v;
    *n = count;
    return ERR_OK;
}

enum err_code store_post_html(struct store *st, int64_t id, struct arena *a, struct str *html,
                              struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_POST_HTML, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *html = store_col_str(s, 0, a);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return err_set(err, ERR_NOTFOUND, "no body for post %lld", (long long)id);
    return rc == SQLITE_ROW ? ERR_OK : store_sqlite_err(st, rc, "cannot read a post body", err);
}

enum err_code store_post_by_slug(struct store *st, struct str slug, struct arena *a,
                                 struct content_post *out, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_POST_BY_SLUG, err);
    if (!s)
        return ERR_INTERNAL;
    store_bind_str(s, 1, slug);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return err_set(err, ERR_NOTFOUND, "no post '%.*s'", (int)slug.len, slug.ptr);
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return store_sqlite_err(st, rc, "cannot read post", err);
    }
    store_read_teaser(s, a, out); /* columns 0..11 line up with the teaser's */
    out->ntags = out->nauthors = 0;
    out->markdown = store_col_str(s, 12, a);
    out->html = store_col_str(s, 13, a);
    out->page = sqlite3_column_int(s, 14) != 0;
    out->feature_image_alt = store_col_str(s, 15, a);
    sqlite3_reset(s);
    return store_post_related(st, out, a, err);
}

enum err_code store_post_related(struct store *st, struct content_post *p, struct arena *a,
                                 struct err *err)
{
    void *tags, *authors;
    enum err_code code = related(st, STMT_POST_TAGS, p->id, sizeof(struct content_tag),
                                 read_tag_row, a, &tags, &p->ntags, err);
    if (!code)
        code = related(st, STMT_POST_AUTHORS, p->id, sizeof(struct content_author),
                       read_author_row, a, &authors, &p->nauthors, err);
    if (code)
        return code;
    p->tags = tags;
    p->authors = authors;
    return ERR_OK;
}

/* One row found by slug, read with fn into out; ERR_NOTFOUND names what was looked for. */
static enum err_code by_slug(struct store *st, enum store_stmt id, struct str slug,
                             row_reader_fn fn, struct arena *a, void *out, const char *what,
                             struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    store_bind_str(s, 1, slug);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        fn(s, a, out);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return err_set(err, ERR_NOTFOUND, "no %s '%.*s'", what, (int)slug.len, slug.ptr);
    return rc == SQLITE_ROW ? ERR_OK : store_sqlite_err(st, rc, "cannot read", err);
}

enum err_code store_tag_by_slug(struct store *st, struct str slug, struct arena *a,
                                struct content_tag *out, struct err *err)
{
    return by_slug(st, STMT_TAG_BY_SLUG, slug, read_tag_row, a, out, "tag", err);
}

enum err_code store_author_by_slug(struct store *st, struct str slug, struct arena *a,
                                   struct content_author *out, struct err *err)
{
    return by_slug(st, STMT_AUTHOR_BY_SLUG, slug, read_author_row, a, out, "author", err);
}

/* ---- sitemaps -------------------------------------------------------------------- */

enum err_code store_sitemap(struct store *st, enum store_sitemap_kind kind, int64_t offset,
                            int64_t limit, int64_t since, struct arena *a,
                            struct store_sitemap_entry **out, size_t *n, struct err *err)
{
    static const enum store_stmt ids[] = {STMT_SITEMAP_POSTS, STMT_SITEMAP_TAGS,
                                          STMT_SITEMAP_AUTHORS, STMT_SITEMAP_NEWS,
                                          STMT_SITEMAP_PAGES};
    sqlite3_stmt *s = store_stmt(st, ids[kind], err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, offset);
    sqlite3_bind_int64(s, 2, limit);
    sqlite3_bind_int64(s, 3, since);
    size_t cap = 256, count = 0;
    struct store_sitemap_entry *v = xmalloc(cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == cap) {
            cap *= 2;
            v = xrealloc(v, cap * sizeof(*v));
        }
        v[count].slug = store_col_str(s, 0, a);
        v[count].title = store_col_str(s, 1, a);
        v[count].lastmod = sqlite3_column_int64(s, 2);
        v[count].published_at = sqlite3_column_int64(s, 3);
        count++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_sqlite_err(st, rc, "cannot read the sitemap", err);
    }
    *out = arena_alloc(a, (count ? count : 1) * sizeof(*v));
    if (count)
        memcpy(*out, v, count * sizeof(*v));
    free(v);
    *n = count;
    return ERR_OK;
}

enum err_code store_sitemap_slices(struct store *st, int64_t per_file, struct arena *a,
                                   int64_t **lastmods, size_t *n, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_SITEMAP_SLICES, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, per_file);
    size_t cap = 64, count = 0;
    int64_t *v = arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && count < cap)
        v[count++] = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_sqlite_err(st, rc, "cannot read the sitemap", err);
    *lastmods = v;
    *n = count;
    return ERR_OK;
}

/* ---- writing --------------------------------------------------------------------- */

/* A random (version 4) UUID: ids stay stable forever, so they are minted once here. */
static void uuid_v4(char out[37])
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        memset(b, 0, sizeof(b)); /* getrandom on Linux >= 3.17 does not fail for 16 bytes */
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

enum err_code store_step_done(struct store *st, sqlite3_stmt *s, const char *what,
                              struct err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_OK : store_sqlite_err(st, rc, what, err);
}

static enum err_code link_rows(struct store *st, enum store_stmt id, int64_t post,
                               const int64_t *ids, size_t n, struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *s = store_stmt(st, id, err);
        if (!s)
            return ERR_INTERNAL;
        sqlite3_bind_int64(s, 1, post);
        sqlite3_bind_int64(s, 2, ids[i]);
        sqlite3_bind_int64(s, 3, (int64_t)i);
        enum err_code rc = store_step_done(st, s, "cannot link post", err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* The fields insert and update share, at ?2..?10 and ?12 of both statements (store.c). */
static void bind_fields(sqlite3_stmt *s, const struct store_new_post *p)
{
    store_bind_str(s, 2, p->slug);
    store_bind_str(s, 3, p->title);
    store_bind_str(s, 4, p->plaintext); /* the lead is cut from it */
    store_bind_str(s, 5, p->custom_excerpt);
    store_bind_str(s, 6, p->feature_image);
    sqlite3_bind_text(s, 7, content_status_name(p->status), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 8, p->featured);
    sqlite3_bind_int64(s, 9, p->updated_at);
    if (p->published_at)
        sqlite3_bind_int64(s, 10, p->published_at);
    sqlite3_bind_text(s, 12, p->page ? "page" : "post", -1, SQLITE_STATIC);
    store_bind_str(s, 13, p->feature_image_alt);
}

/* The post's body row (insert or update: both take id, markdown, html, plain text). */
static enum err_code write_body(struct store *st, enum store_stmt stmt, int64_t id,
                                const struct store_new_post *p, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, stmt, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, id);
    store_bind_str(s, 2, p->markdown);
    store_bind_str(s, 3, p->html);
    store_bind_str(s, 4, p->plaintext);
    return store_step_done(st, s, "cannot save post body", err);
}

/*
 * What readers can see change when a post appears or changes: its own page, every list
 * it is on (the feed, its tags', its authors'), and whatever shows those lists. `before`
 * holds what it was on until now (an update), or "".
 */
static enum err_code log_post_change(struct store *st, int64_t id, const struct store_new_post *p,
                                     const char *before, struct err *err)
{
    struct buf deps;
    buf_init(&deps, 64 * 1024);
    buf_printf(&deps, "post:%lld list%s", (long long)id, before);
    for (size_t i = 0; i < p->ntags; i++)
        buf_printf(&deps, " tag:%lld", (long long)p->tag_ids[i]);
    for (size_t i = 0; i < p->nauthors; i++)
        buf_printf(&deps, " author:%lld", (long long)p->author_ids[i]);
    enum err_code rc = store_change_log(st, deps.ptr, err);
    buf_release(&deps);
    return rc;
}

/* A post's tag and author rows, in order (primary first). */
static enum err_code link_all(struct store *st, int64_t id, const struct store_new_post *p,
                              struct err *err)
{
    enum err_code rc = link_rows(st, STMT_POST_TAG_INSERT, id, p->tag_ids, p->ntags, err);
    return rc ? rc : link_rows(st, STMT_POST_AUTHOR_INSERT, id, p->author_ids, p->nauthors, err);
}

enum err_code store_post_insert(struct store *st, const struct store_new_post *p, int64_t *id,
                                struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_POST_INSERT, err);
    if (!s)
        return ERR_INTERNAL;
    char uuid[37];
    if (p->uuid.len)
        store_bind_str(s, 1, p->uuid);
    else {
        uuid_v4(uuid);
        sqlite3_bind_text(s, 1, uuid, -1, SQLITE_TRANSIENT);
    }
    bind_fields(s, p);
    sqlite3_bind_int64(s, 11, p->created_at);
    enum err_code rc = store_step_done(st, s, "cannot save post", err);
    if (rc)
        return rc;
    *id = sqlite3_last_insert_rowid(st->db);
    rc = write_body(st, STMT_POST_BODY_INSERT, *id, p, err);
    if (rc)
        return rc;
    rc = link_all(st, *id, p, err);
    if (!rc && p->status == CONTENT_PUBLISHED)
        rc = log_post_change(st, *id, p, "", err);
    return rc;
}

struct found_post {
    int64_t id;
    int64_t published_at;
};

static void read_found_row(sqlite3_stmt *s, struct arena *a, void *out)
{
    (void)a;
    struct found_post *f = out;
    f->id = sqlite3_column_int64(s, 0);
    f->published_at = sqlite3_column_int64(s, 1);
}

enum err_code store_post_find(struct store *st, struct str slug, int64_t *id,
                              int64_t *published_at, struct err *err)
{
    struct found_post f = {0, 0};
    enum err_code rc = by_slug(st, STMT_POST_FIND, slug, read_found_row, NULL, &f, "post", err);
    *id = f.id;
    *published_at = f.published_at;
    return rc;
}

/* " tag:1 tag:2" for the rows of a by-post id query, appended to deps. */
static enum err_code old_links(struct store *st, enum store_stmt id, int64_t post,
                               const char *kind, struct buf *deps, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, post);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        buf_printf(deps, " %s:%lld", kind, (long long)sqlite3_column_int64(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_OK : store_sqlite_err(st, rc, "cannot read links", err);
}

static enum err_code exec_id(struct store *st, enum store_stmt id, int64_t post,
                             struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, post);
    return store_step_done(st, s, "cannot update post", err);
}

static enum err_code update_rows(struct store *st, int64_t id, const struct store_new_post *p,
                                 struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_POST_UPDATE, err);
    if (!s)
        return ERR_INTERNAL;
    sqlite3_bind_int64(s, 1, id);
    bind_fields(s, p);
    enum err_code rc = store_step_done(st, s, "cannot update post", err);
    return rc ? rc : write_body(st, STMT_POST_BODY_UPDATE, id, p, err);
}

enum err_code store_post_update(struct store *st, int64_t id, const struct store_new_post *p,
                                struct err *err)
{
    struct buf before;
    buf_init(&before, 64 * 1024);
    /* what it showed on before the edit: those lists change too */
    enum err_code rc = old_links(st, STMT_POST_OLD_TAGS, id, "tag", &before, err);
    if (!rc)
        rc = old_links(st, STMT_POST_OLD_AUTHORS, id, "author", &before, err);
    if (!rc)
        rc = update_rows(st, id, p, err);
    if (!rc)
        rc = exec_id(st, STMT_POST_UNLINK_TAGS, id, err);
    if (!rc)
        rc = exec_id(st, STMT_POST_UNLINK_AUTHORS, id, err);
    if (!rc)
        rc = link_all(st, id, p, err);
    if (!rc)
        rc = log_post_change(st, id, p, before.ptr ? before.ptr : "", err);
    buf_release(&before);
    return rc;
}

enum err_code store_tag_ensure(struct store *st, struct str name, struct str slug, int64_t *id,
                               struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_TAG_FIND, err);
    if (!s)
        return ERR_INTERNAL;
    store_bind_str(s, 1, slug);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return ERR_OK;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot read tag", err);
    s = store_stmt(st, STMT_TAG_INSERT, err);
    if (!s)
        return ERR_INTERNAL;
    store_bind_str(s, 1, slug);
    store_bind_str(s, 2, name);
    sqlite3_bind_int64(s, 3, time_now());
    enum err_code code = store_step_done(st, s, "cannot save tag", err);
    if (!code)
        *id = sqlite3_last_insert_rowid(st->db);
    return code;
}

enum err_code store_author_insert(struct store *st, const struct content_author *au, bool desk,
                                  int64_t *id, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, STMT_AUTHOR_INSERT, err);
    if (!s)
        return ERR_INTERNAL;
    store_bind_str(s, 1, au->slug);
    store_bind_str(s, 2, au->name);
    store_bind_str(s, 3, au->email);
    store_bind_str(s, 4, au->bio);
    store_bind_str(s, 5, au->avatar);
    store_bind_str(s, 6, au->website);
    sqlite3_bind_text(s, 7, desk ? "desk" : "author", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, time_now());
    enum err_code rc = store_step_done(st, s, "cannot save author", err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

static enum err_code slug_taken(struct store *st, enum store_stmt id, struct str slug,
                                bool *taken, struct err *err)
{
    sqlite3_stmt *s = store_stmt(st, id, err);
    if (!s)
        return ERR_INTERNAL;
    store_bind_str(s, 1, slug);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sqlite_err(st, rc, "cannot check slug", err);
    *taken = rc == SQLITE_ROW;
    return ERR_OK;
}

enum err_code store_slug_unique(struct store *st, enum store_slug_kind kind, struct str base,
                                struct arena *a, struct str *out, struct err *err)
{
    static const enum store_stmt ids[] = {STMT_SLUG_POST, STMT_SLUG_TAG, STMT_SLUG_AUTHOR};
    struct str cand = base;
    for (int n = 2; n < 100000; n++) {
        bool taken = false;
        enum err_code rc = slug_taken(st, ids[kind], cand, &taken, err);
        if (rc)
            return rc;
        if (!taken) {
            *out = arena_str(a, cand);
            return ERR_OK;
        }
        char *s = arena_printf(a, "%.*s-%d", (int)base.len, base.ptr, n);
        cand = str_from(s);
    }
    return err_set(err, ERR_CONFLICT, "no free slug for '%.*s'", (int)base.len, base.ptr);
}
