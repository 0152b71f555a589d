/*
 * Posts, tags and authors: the reader's queries and the writes that create them.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* A post's tags or authors are read up to this many (the editor allows 16 of each). */
#define STORE_MAX_RELATED 64

static enum content_status status_of(struct str s)
{
    enum content_status st = CONTENT_DRAFT;
    content_status_parse(s, &st);
    return st;
}

/* Columns 12..14 and 19 (primary tag) and 15..18 (primary author) of SQL_TEASER_COLS. */
static void read_primaries(const struct store_q *q, struct arena *a, struct content_post *p)
{
    if (!store_col_is_null(q, 12)) {
        struct content_tag *t = arena_calloc(a, 1, sizeof(*t));
        t->id = store_col_i64(q, 12);
        t->slug = store_col_str(q, 13, a);
        t->name = store_col_str(q, 14, a);
        t->internal = store_col_i64(q, 19) != 0;
        p->tags = t;
        p->ntags = 1;
    }
    if (!store_col_is_null(q, 15)) {
        struct content_author *u = arena_calloc(a, 1, sizeof(*u));
        u->id = store_col_i64(q, 15);
        u->slug = store_col_str(q, 16, a);
        u->name = store_col_str(q, 17, a);
        u->avatar = store_col_str(q, 18, a);
        p->authors = u;
        p->nauthors = 1;
    }
}

/* Columns 0..11, which every query of a post (teaser or whole) starts with; 7 is status. */
static const struct store_col post_head[] = {
    STORE_COL(struct content_post, 0, id),
    STORE_COL(struct content_post, 1, uuid),
    STORE_COL(struct content_post, 2, slug),
    STORE_COL(struct content_post, 3, title),
    STORE_COL(struct content_post, 4, custom_excerpt),
    STORE_COL(struct content_post, 5, plaintext),
    STORE_COL(struct content_post, 6, feature_image),
    STORE_COL(struct content_post, 8, featured),
    STORE_COL(struct content_post, 9, created_at),
    STORE_COL(struct content_post, 10, updated_at),
    STORE_COL(struct content_post, 11, published_at),
};

static void read_post_head(const struct store_q *q, struct arena *a, struct content_post *p)
{
    memset(p, 0, sizeof(*p));
    store_read_cols(q, post_head, ARRAY_LEN(post_head), a, p);
    p->status = status_of(store_col_str(q, 7, a));
}

void store_read_teaser(const struct store_q *q, struct arena *a, void *post)
{
    read_post_head(q, a, post);
    read_primaries(q, a, post);
}

static enum err_code read_teasers(struct store_q *q, int64_t limit, struct arena *a,
                                  struct content_post **out, size_t *n, struct err *err)
{
    size_t max = limit > 0 && limit < 1000 ? (size_t)limit : 1000;
    void *v;
    enum err_code rc = store_q_rows(q, sizeof(struct content_post), max,
                                    STORE_ROW_FN(store_read_listed), a, &v, n, err);
    if (!rc)
        *out = v;
    return rc;
}

/*
 * The statement for the filter's kind of list, with ?1 (the tag or author) bound, and ?2
 * (the post left out) when the statement has one.
 */
static void open_list(struct store *st, const struct store_filter *f, enum store_stmt all,
                      bool exclude, struct store_q *q, struct err *err)
{
    /* every kind of list is three statements in a row: all, by tag, by author */
    int64_t key = f && f->tag_id ? f->tag_id : f ? f->author_id : 0;
    enum store_stmt id = f && f->tag_id ? all + 1 : key ? all + 2 : all;
    store_q_open(st, id, q, err);
    if (key)
        store_bind_i64(q, 1, key);
    if (exclude)
        store_bind_i64(q, 2, f ? f->exclude_id : 0);
}

_Static_assert(STMT_LIST_TAG == STMT_LIST_ALL + 1 && STMT_LIST_AUTHOR == STMT_LIST_ALL + 2 &&
                   STMT_AFTER_TAG == STMT_AFTER_ALL + 1 &&
                   STMT_AFTER_AUTHOR == STMT_AFTER_ALL + 2 &&
                   STMT_COUNT_TAG == STMT_COUNT_ALL + 1 &&
                   STMT_COUNT_AUTHOR == STMT_COUNT_ALL + 2 && STMT_KEYS_TAG == STMT_KEYS_ALL + 1 &&
                   STMT_KEYS_AUTHOR == STMT_KEYS_ALL + 2,
               "open_list: all, tag, author in a row in STORE_SQL");

enum err_code store_posts_list(struct store *st, const struct store_filter *f, int64_t offset,
                               int64_t limit, struct arena *a, struct content_post **out, size_t *n,
                               struct err *err)
{
    struct store_q q;
    open_list(st, f, STMT_LIST_ALL, true, &q, err);
    store_bind_i64(&q, 3, limit);
    store_bind_i64(&q, 4, offset);
    return read_teasers(&q, limit, a, out, n, err);
}

enum err_code store_posts_after(struct store *st, const struct store_filter *f,
                                const struct store_cursor *cursor, int64_t limit, struct arena *a,
                                struct content_post **out, size_t *n, struct err *err)
{
    if (!cursor)
        return store_posts_list(st, f, 0, limit, a, out, n, err);
    struct store_q q;
    open_list(st, f, STMT_AFTER_ALL, true, &q, err);
    store_bind_i64(&q, 3, limit);
    store_bind_i64(&q, 4, cursor->published_at);
    store_bind_i64(&q, 5, cursor->id);
    return read_teasers(&q, limit, a, out, n, err);
}

enum err_code store_feed_keys(struct store *st, const struct store_filter *f, int64_t **keys,
                              size_t *n, struct err *err)
{
    struct store_q q;
    open_list(st, f, STMT_KEYS_ALL, false, &q, err);
    /* the heap, not an arena: the caller keeps the keys as long as the feed index lives */
    size_t cap = 1024, count = 0;
    int64_t *v = xmalloc(cap * STORE_FEED_KEY_WIDTH * sizeof(*v));
    while (store_q_next(&q)) {
        if (count == cap) {
            cap *= 2;
            v = xrealloc(v, cap * STORE_FEED_KEY_WIDTH * sizeof(*v));
        }
        for (int i = 0; i < STORE_FEED_KEY_WIDTH; i++)
            v[STORE_FEED_KEY_WIDTH * count + (size_t)i] = store_col_i64(&q, i);
        count++;
    }
    enum err_code rc = store_q_end(&q, "cannot read the feed order", err);
    if (rc) {
        free(v);
        return rc;
    }
    *keys = v;
    *n = count;
    return ERR_OK;
}

_Static_assert(STMT_FEED_KEY_TAG == STMT_FEED_KEY_ALL + 1 &&
                   STMT_FEED_KEY_AUTHOR == STMT_FEED_KEY_ALL + 2,
               "store_feed_key: all, tag, author in a row in STORE_SQL_SCALE");

enum err_code store_feed_key(struct store *st, const struct store_filter *f, int64_t post_id,
                             int64_t key[STORE_FEED_KEY_WIDTH], bool *found, struct err *err)
{
    struct store_q q;
    int64_t list = f->tag_id ? f->tag_id : f->author_id;
    enum store_stmt id = f->tag_id      ? STMT_FEED_KEY_TAG
                         : f->author_id ? STMT_FEED_KEY_AUTHOR
                                        : STMT_FEED_KEY_ALL;
    store_q_open(st, id, &q, err);
    store_bind_i64(&q, 1, list);
    store_bind_i64(&q, 2, post_id);
    *found = store_q_next(&q);
    for (int i = 0; *found && i < STORE_FEED_KEY_WIDTH; i++)
        key[i] = store_col_i64(&q, i);
    return store_q_end(&q, "cannot read a post's place in the feed", err);
}

enum err_code store_posts_count(struct store *st, const struct store_filter *f, int64_t *n,
                                struct err *err)
{
    struct store_q q;
    open_list(st, f, STMT_COUNT_ALL, true, &q, err);
    return store_q_i64(&q, n, "cannot count posts", err);
}

/* SQL_TAG_COLS */
static const struct store_col tag_cols[] = {
    STORE_COL(struct content_tag, 0, id),       STORE_COL(struct content_tag, 1, slug),
    STORE_COL(struct content_tag, 2, name),     STORE_COL(struct content_tag, 3, description),
    STORE_COL(struct content_tag, 4, ghost_id), STORE_COL(struct content_tag, 5, internal),
};

void store_read_tag(const struct store_q *q, struct arena *a, void *tag)
{
    store_read_cols(q, tag_cols, ARRAY_LEN(tag_cols), a, tag);
}

/* SQL_AUTHOR_COLS */
static const struct store_col author_cols[] = {
    STORE_COL(struct content_author, 0, id),       STORE_COL(struct content_author, 1, slug),
    STORE_COL(struct content_author, 2, name),     STORE_COL(struct content_author, 3, email),
    STORE_COL(struct content_author, 4, bio),      STORE_COL(struct content_author, 5, avatar),
    STORE_COL(struct content_author, 6, website),  STORE_COL(struct content_author, 7, desk),
    STORE_COL(struct content_author, 8, location), STORE_COL(struct content_author, 9, ghost_id),
};

void store_read_author(const struct store_q *q, struct arena *a, void *author)
{
    store_read_cols(q, author_cols, ARRAY_LEN(author_cols), a, author);
}

/* SQL_META_COLS, from column first on */
static const struct store_col meta_cols[] = {
    STORE_COL(struct content_meta, 0, meta_title),
    STORE_COL(struct content_meta, 1, meta_description),
    STORE_COL(struct content_meta, 2, og_image),
    STORE_COL(struct content_meta, 3, og_title),
    STORE_COL(struct content_meta, 4, og_description),
    STORE_COL(struct content_meta, 5, twitter_image),
    STORE_COL(struct content_meta, 6, twitter_title),
    STORE_COL(struct content_meta, 7, twitter_description),
    STORE_COL(struct content_meta, 8, canonical_url),
};

void store_read_meta(const struct store_q *q, int first, struct arena *a, struct content_meta *m)
{
    struct store_col cols[ARRAY_LEN(meta_cols)];
    for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
        cols[i] = meta_cols[i];
        cols[i].col += first;
    }
    store_read_cols(q, cols, ARRAY_LEN(cols), a, m);
}

/* A post's tags or authors, in order: rows of a by-post query read into an arena array. */
static enum err_code related(struct store *st, enum store_stmt id, int64_t post, size_t size,
                             const struct store_row *r, struct arena *a, void **out, size_t *n,
                             struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_i64(&q, 1, post);
    return store_q_rows(&q, size, STORE_MAX_RELATED, r, a, out, n, err);
}

enum err_code store_post_ids_after(struct store *st, int64_t after, size_t limit, struct arena *a,
                                   int64_t **ids, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_IDS_AFTER, &q, err);
    store_bind_i64(&q, 1, after);
    store_bind_i64(&q, 2, (int64_t)limit);
    void *v;
    enum err_code rc = store_q_rows(&q, sizeof(int64_t), limit, &store_row_i64, a, &v, n, err);
    if (!rc)
        *ids = v;
    return rc;
}

static const struct store_col feed_item_cols[] = {
    STORE_COL(struct content_post, 0, html),
    STORE_COL(struct content_post, 1, correction),
    STORE_COL(struct content_post, 2, corrected_at),
    STORE_COL(struct content_post, 3, revised_at),
};

enum err_code store_post_feed_item(struct store *st, struct content_post *p, struct arena *a,
                                   struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_FEED_ITEM, &q, err);
    store_bind_i64(&q, 1, p->id);
    enum err_code rc = store_q_row(&q, STORE_ROW(feed_item_cols), a, p, "post body", err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no body for post %lld", (long long)p->id);
    return rc;
}

/* A row of STMT_POST_BY_SLUG: the teaser's columns 0..11, then the body. */
static const struct store_col article_body[] = {
    STORE_COL(struct content_post, 12, markdown),
    STORE_COL(struct content_post, 13, html),
    STORE_COL(struct content_post, 14, page),
    STORE_COL(struct content_post, 15, feature_image_alt),
    STORE_COL(struct content_post, 16, feature_image_caption),
};

static void read_article(const struct store_q *q, struct arena *a, void *post)
{
    struct content_post *p = post;
    read_post_head(q, a, p);
    store_read_cols(q, article_body, ARRAY_LEN(article_body), a, p);
    store_read_meta(q, 17, a, &p->meta);
    store_read_desk(q, 26, a, p);
}

void store_read_desk(const struct store_q *q, int first, struct arena *a, struct content_post *p)
{
    p->breaking = store_col_i64(q, first) != 0;
    p->breaking_until = store_col_i64(q, first + 1);
    if (!content_label_parse(store_col_str(q, first + 2, a), &p->label))
        p->label = CONTENT_LABEL_NONE;
    p->pinned = (unsigned)store_col_i64(q, first + 3) & (CONTENT_PIN_HOME | CONTENT_PIN_SECTION);
    p->correction = store_col_str(q, first + 4, a);
    p->corrected_at = store_col_i64(q, first + 5);
    p->revised_at = store_col_i64(q, first + 6);
}

/* One row found by slug, read with fn into out; ERR_NOTFOUND names what was looked for. */
static enum err_code by_slug(struct store *st, enum store_stmt id, struct str slug,
                             const struct store_row *r, struct arena *a, void *out,
                             const char *what, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_str(&q, 1, slug);
    enum err_code rc = store_q_row(&q, r, a, out, what, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no %s '%.*s'", what, (int)slug.len, slug.ptr);
    return rc;
}

enum err_code store_post_by_slug(struct store *st, struct str slug, struct arena *a,
                                 struct content_post *out, struct err *err)
{
    enum err_code rc =
        by_slug(st, STMT_POST_BY_SLUG, slug, STORE_ROW_FN(read_article), a, out, "post", err);
    return rc ? rc : store_post_related(st, out, a, err);
}

enum err_code store_post_related(struct store *st, struct content_post *p, struct arena *a,
                                 struct err *err)
{
    void *tags, *authors;
    enum err_code code = related(st, STMT_POST_TAGS, p->id, sizeof(struct content_tag),
                                 STORE_ROW_FN(store_read_tag), a, &tags, &p->ntags, err);
    if (!code)
        code = related(st, STMT_POST_AUTHORS, p->id, sizeof(struct content_author),
                       STORE_ROW_FN(store_read_author), a, &authors, &p->nauthors, err);
    if (code)
        return code;
    p->tags = tags;
    p->authors = authors;
    return ERR_OK;
}

enum err_code store_tag_by_slug(struct store *st, struct str slug, struct arena *a,
                                struct content_tag *out, struct err *err)
{
    return by_slug(st, STMT_TAG_BY_SLUG, slug, STORE_ROW_FN(store_read_tag), a, out, "tag", err);
}

enum err_code store_author_by_slug(struct store *st, struct str slug, struct arena *a,
                                   struct content_author *out, struct err *err)
{
    return by_slug(st, STMT_AUTHOR_BY_SLUG, slug, STORE_ROW_FN(store_read_author), a, out, "author",
                   err);
}

/* ---- sitemaps -------------------------------------------------------------------- */

static const struct store_col sitemap_cols[] = {
    STORE_COL(struct store_sitemap_entry, 0, slug),
    STORE_COL(struct store_sitemap_entry, 1, title),
    STORE_COL(struct store_sitemap_entry, 2, lastmod),
    STORE_COL(struct store_sitemap_entry, 3, published_at),
};

enum err_code store_sitemap(struct store *st, enum store_sitemap_kind kind, int64_t offset,
                            int64_t limit, int64_t since, struct arena *a,
                            struct store_sitemap_entry **out, size_t *n, struct err *err)
{
    static const enum store_stmt ids[] = {STMT_SITEMAP_POSTS, STMT_SITEMAP_TAGS,
                                          STMT_SITEMAP_AUTHORS, STMT_SITEMAP_NEWS,
                                          STMT_SITEMAP_PAGES};
    struct store_q q;
    store_q_open(st, ids[kind], &q, err);
    /* posts: ?1 offset, ?2 limit; news: ?2 limit, ?3 since; the others take none */
    if (kind == STORE_SITEMAP_POSTS)
        store_bind_i64(&q, 1, offset);
    if (kind == STORE_SITEMAP_POSTS || kind == STORE_SITEMAP_NEWS)
        store_bind_i64(&q, 2, limit);
    if (kind == STORE_SITEMAP_NEWS)
        store_bind_i64(&q, 3, since);
    void *v;
    /* the statements' LIMITs (or the number of tags and authors) bound the rows */
    enum err_code rc = store_q_rows(&q, sizeof(struct store_sitemap_entry), SIZE_MAX,
                                    STORE_ROW(sitemap_cols), a, &v, n, err);
    if (!rc)
        *out = v;
    return rc;
}

enum err_code store_sitemap_after(struct store *st, const struct store_cursor *cursor,
                                  int64_t limit, struct arena *a, struct store_sitemap_entry **out,
                                  size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SITEMAP_POSTS_AFTER, &q, err);
    store_bind_i64(&q, 1, cursor->published_at);
    store_bind_i64(&q, 2, cursor->id);
    store_bind_i64(&q, 3, limit);
    void *v;
    enum err_code rc = store_q_rows(&q, sizeof(struct store_sitemap_entry), SIZE_MAX,
                                    STORE_ROW(sitemap_cols), a, &v, n, err);
    if (!rc)
        *out = v;
    return rc;
}

static void read_lastmod(const struct store_q *q, struct arena *a, void *row)
{
    (void)a;
    *(int64_t *)row = store_col_i64(q, 1);
}

enum err_code store_sitemap_slices(struct store *st, int64_t per_file, struct arena *a,
                                   int64_t **lastmods, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SITEMAP_SLICES, &q, err);
    store_bind_i64(&q, 1, per_file);
    void *v;
    /* 2,048 files of 5,000 posts: ten million, more than a newsroom writes in decades */
    enum err_code rc =
        store_q_rows(&q, sizeof(int64_t), 2048, STORE_ROW_FN(read_lastmod), a, &v, n, err);
    if (!rc)
        *lastmods = v;
    return rc;
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
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static enum err_code link_rows(struct store *st, enum store_stmt id, int64_t post,
                               const int64_t *ids, size_t n, struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        struct store_q q;
        store_q_open(st, id, &q, err);
        store_bind_i64(&q, 1, post);
        store_bind_i64(&q, 2, ids[i]);
        store_bind_i64(&q, 3, (int64_t)i);
        enum err_code rc = store_q_exec(&q, NULL, "cannot link post", err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* The fields insert and update share, at ?2..?10 and ?12..?21 of both (sql_sqlite.h). */
static void bind_fields(struct store_q *q, const struct store_new_post *p)
{
    store_bind_str(q, 2, p->slug);
    store_bind_str(q, 3, p->title);
    store_bind_str(q, 4, p->plaintext); /* the lead is cut from it */
    store_bind_str(q, 5, p->custom_excerpt);
    store_bind_str(q, 6, p->feature_image);
    store_bind_text(q, 7, content_status_name(p->status));
    store_bind_i64(q, 8, p->featured);
    store_bind_i64(q, 9, p->updated_at);
    if (p->published_at)
        store_bind_i64(q, 10, p->published_at);
    else
        store_bind_null(q, 10); /* a draft never published has no date */
    store_bind_text(q, 12, p->page ? "page" : "post");
    store_bind_str(q, 13, p->feature_image_alt);
    store_bind_str(q, 14, p->feature_image_caption);
    store_bind_i64(q, 15, p->breaking);
    store_bind_i64(q, 16, p->breaking ? p->breaking_until : 0);
    store_bind_text(q, 17, content_label_name(p->label));
    store_bind_i64(q, 18, (int64_t)p->pinned);
    store_bind_str(q, 19, p->correction);
    store_bind_i64(q, 20, p->correction.len ? p->corrected_at : 0);
    store_bind_i64(q, 21, p->revised_at);
}

/* The post's body row (insert or update: both take id, markdown, html, plain text). */
static enum err_code write_body(struct store *st, enum store_stmt stmt, int64_t id,
                                const struct store_new_post *p, struct err *err)
{
    struct store_q q;
    store_q_open(st, stmt, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_str(&q, 2, p->markdown);
    store_bind_str(&q, 3, p->html);
    store_bind_str(&q, 4, p->plaintext);
    return store_q_exec(&q, NULL, "cannot save post body", err);
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
    struct store_q q;
    store_q_open(st, STMT_POST_INSERT, &q, err);
    char uuid[37];
    if (!p->uuid.len)
        uuid_v4(uuid);
    store_bind_str(&q, 1, p->uuid.len ? p->uuid : str_from(uuid));
    bind_fields(&q, p);
    store_bind_i64(&q, 11, p->created_at);
    enum err_code rc = store_q_insert(&q, id, "cannot save post", err);
    if (rc)
        return rc;
    rc = write_body(st, STMT_POST_BODY_INSERT, *id, p, err);
    if (!rc)
        rc = link_all(st, *id, p, err);
    if (!rc)
        rc = store_search_put(st, *id, err);
    /* breaking news is on every page's banner ("*"); a pin too, so none lags behind */
    if (!rc && p->status == CONTENT_PUBLISHED)
        rc = log_post_change(st, *id, p, p->breaking || p->pinned ? " *" : "", err);
    return rc;
}

static bool meta_empty(const struct content_meta *m)
{
    return !m->meta_title.len && !m->meta_description.len && !m->og_image.len && !m->og_title.len &&
           !m->og_description.len && !m->twitter_image.len && !m->twitter_title.len &&
           !m->twitter_description.len && !m->canonical_url.len;
}

enum err_code store_post_log_now(struct store *st, int64_t id, struct err *err)
{
    struct buf deps;
    buf_init(&deps, 64 * 1024);
    buf_printf(&deps, "post:%lld list", (long long)id);
    enum err_code rc = store_post_links(st, id, &deps, err);
    if (!rc)
        rc = store_change_log(st, deps.ptr, err);
    buf_release(&deps);
    return rc;
}

enum err_code store_post_meta_set(struct store *st, int64_t id, const struct content_meta *m,
                                  struct err *err)
{
    struct store_q q;
    enum err_code rc;
    if (meta_empty(m)) {
        store_q_open(st, STMT_POST_META_DROP, &q, err);
        store_bind_i64(&q, 1, id);
        rc = store_q_exec(&q, NULL, "cannot save the post's meta fields", err);
    } else {
        store_q_open(st, STMT_POST_META_SET, &q, err);
        store_bind_i64(&q, 1, id);
        const struct str *f[] = {&m->meta_title,    &m->meta_description,    &m->og_image,
                                 &m->og_title,      &m->og_description,      &m->twitter_image,
                                 &m->twitter_title, &m->twitter_description, &m->canonical_url};
        for (size_t i = 0; i < ARRAY_LEN(f); i++)
            store_bind_str(&q, (int)i + 2, *f[i]);
        rc = store_q_exec(&q, NULL, "cannot save the post's meta fields", err);
    }
    return rc ? rc : store_post_log_now(st, id, err);
}

enum err_code store_post_ghost_id_set(struct store *st, int64_t id, struct str ghost_id,
                                      struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_GHOST_ID_SET, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_str(&q, 2, ghost_id);
    enum err_code rc = store_q_exec(&q, NULL, "cannot save the post's Ghost id", err);
    if (rc == ERR_CONFLICT)
        return err_set(err, rc, "another post has the Ghost id %.*s", (int)ghost_id.len,
                       ghost_id.ptr);
    return rc ? rc : store_post_log_now(st, id, err);
}

struct found_post {
    int64_t id;
    int64_t published_at;
};

static const struct store_col found_cols[] = {
    STORE_COL(struct found_post, 0, id),
    STORE_COL(struct found_post, 1, published_at),
};

enum err_code store_post_find(struct store *st, struct str slug, int64_t *id, int64_t *published_at,
                              struct err *err)
{
    struct found_post f = {0, 0};
    enum err_code rc =
        by_slug(st, STMT_POST_FIND, slug, STORE_ROW(found_cols), NULL, &f, "post", err);
    *id = f.id;
    *published_at = f.published_at;
    return rc;
}

/* " tag:1 tag:2" for the rows of a by-post id query, appended to deps. */
static enum err_code old_links(struct store *st, enum store_stmt id, int64_t post, const char *kind,
                               struct buf *deps, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_i64(&q, 1, post);
    while (store_q_next(&q))
        buf_printf(deps, " %s:%lld", kind, (long long)store_col_i64(&q, 0));
    return store_q_end(&q, "cannot read links", err);
}

enum err_code store_post_links(struct store *st, int64_t post, struct buf *deps, struct err *err)
{
    enum err_code rc = old_links(st, STMT_POST_OLD_TAGS, post, "tag", deps, err);
    return rc ? rc : old_links(st, STMT_POST_OLD_AUTHORS, post, "author", deps, err);
}

enum err_code store_post_body_set(struct store *st, int64_t id, struct str markdown,
                                  struct str html, struct str plaintext, bool published,
                                  struct err *err)
{
    struct store_new_post p = {.markdown = markdown, .html = html, .plaintext = plaintext};
    enum err_code rc = write_body(st, STMT_POST_BODY_UPDATE, id, &p, err);
    if (!rc)
        rc = store_search_put(st, id, err);
    if (rc || !published)
        return rc;
    return store_post_log_now(st, id, err);
}

/* Runs a write whose one parameter is the post's id. */
static enum err_code exec_id(struct store *st, enum store_stmt id, int64_t post, struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_i64(&q, 1, post);
    return store_q_exec(&q, NULL, "cannot update post", err);
}

static enum err_code update_rows(struct store *st, int64_t id, const struct store_new_post *p,
                                 struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_UPDATE, &q, err);
    store_bind_i64(&q, 1, id);
    bind_fields(&q, p);
    enum err_code rc = store_q_exec(&q, NULL, "cannot update post", err);
    return rc ? rc : write_body(st, STMT_POST_BODY_UPDATE, id, p, err);
}

enum err_code store_post_update(struct store *st, int64_t id, const struct store_new_post *p,
                                struct err *err)
{
    struct buf before;
    buf_init(&before, 64 * 1024);
    /* what it showed on before the edit: those lists change too */
    enum err_code rc = store_post_links(st, id, &before, err);
    /* the banner of every page names breaking news; a pin moves a post on lists */
    bool was_breaking = false;
    unsigned was_pinned = 0;
    if (!rc)
        rc = store_post_desk_flags(st, id, &was_breaking, &was_pinned, err);
    if (!rc && (was_breaking || p->breaking || was_pinned != p->pinned))
        buf_puts(&before, " *");
    if (!rc)
        rc = update_rows(st, id, p, err);
    if (!rc)
        rc = exec_id(st, STMT_POST_UNLINK_TAGS, id, err);
    if (!rc)
        rc = exec_id(st, STMT_POST_UNLINK_AUTHORS, id, err);
    if (!rc)
        rc = link_all(st, id, p, err);
    if (!rc)
        rc = store_search_put(st, id, err);
    if (!rc)
        rc = log_post_change(st, id, p, before.ptr ? before.ptr : "", err);
    buf_release(&before);
    return rc;
}

/* The id of the row slug names (0: none), by a statement whose ?1 is a slug. */
static enum err_code id_by_slug(struct store *st, enum store_stmt id, struct str slug, int64_t *out,
                                struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_str(&q, 1, slug);
    return store_q_i64(&q, out, "cannot read", err);
}

enum err_code store_tag_ensure(struct store *st, struct str name, struct str slug, int64_t *id,
                               struct err *err)
{
    enum err_code rc = id_by_slug(st, STMT_TAG_FIND, slug, id, err);
    if (rc || *id)
        return rc;
    struct store_q q;
    store_q_open(st, STMT_TAG_INSERT, &q, err);
    store_bind_str(&q, 1, slug);
    store_bind_str(&q, 2, name);
    store_bind_i64(&q, 3, time_now());
    rc = store_q_insert(&q, id, "cannot save tag", err);
    return rc;
}

enum err_code store_tag_find(struct store *st, struct str slug, int64_t *id, struct err *err)
{
    enum err_code rc = id_by_slug(st, STMT_TAG_FIND, slug, id, err);
    if (!rc && !*id)
        return err_set(err, ERR_NOTFOUND, "no tag '%.*s'", (int)slug.len, slug.ptr);
    return rc;
}

enum err_code store_author_insert(struct store *st, const struct content_author *au, bool desk,
                                  int64_t *id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_AUTHOR_INSERT, &q, err);
    store_bind_str(&q, 1, au->slug);
    store_bind_str(&q, 2, au->name);
    store_bind_str(&q, 3, au->email);
    store_bind_str(&q, 4, au->bio);
    store_bind_str(&q, 5, au->avatar);
    store_bind_str(&q, 6, au->website);
    store_bind_text(&q, 7, desk ? "desk" : "author");
    store_bind_i64(&q, 8, time_now());
    return store_q_insert(&q, id, "cannot save author", err);
}

enum err_code store_slug_unique(struct store *st, enum store_slug_kind kind, struct str base,
                                struct arena *a, struct str *out, struct err *err)
{
    static const enum store_stmt ids[] = {STMT_SLUG_POST, STMT_SLUG_TAG, STMT_SLUG_AUTHOR};
    struct str cand = base;
    for (int n = 2; n < 100000; n++) {
        int64_t taken = 0;
        enum err_code rc = id_by_slug(st, ids[kind], cand, &taken, err);
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
