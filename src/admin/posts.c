/*
 * The post list with its filters, and the check every page about one post starts with:
 * may this session do that to this post.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "search/search.h"

#define LIST_PAGE 50

static const char *const statuses[] = {"draft", "scheduled", "published"};

/* ---- who may do what to a post ------------------------------------------------------ */

/* Whether s is among the post's authors. */
static bool is_own(const struct content_post *p, const struct admin_session *s)
{
    for (size_t i = 0; i < p->nauthors; i++)
        if (p->authors[i].id == s->user_id)
            return true;
    return false;
}

struct auth_post admin_post_rights(const struct content_post *p, const struct admin_session *s)
{
    return (struct auth_post){.own = is_own(p, s), .published = p->status != CONTENT_DRAFT};
}

static enum err_code refused(const struct admin_session *s, enum auth_action act, struct err *err)
{
    if (act == AUTH_POST_DELETE)
        return err_set(err, ERR_FORBIDDEN,
                       "only an editor, or the post's own author, can delete it");
    return err_set(err, ERR_FORBIDDEN, "%s",
                   s->role == AUTH_CONTRIBUTOR
                       ? "contributors can edit only their own unpublished drafts"
                       : "authors can edit only their own posts");
}

enum err_code admin_post_for(const struct request *req, int64_t id, enum auth_action act,
                             struct content_post *p, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    enum err_code rc = store_post_by_id(app_store(req), id, req->arena, p, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such post: it may have been deleted");
    if (rc)
        return rc;
    struct auth_post rights = admin_post_rights(p, s);
    return auth_can(s->role, act, &rights) ? ERR_OK : refused(s, act, err);
}

/* ---- the list ------------------------------------------------------------------------ */

struct admin_post_row {
    int64_t id;
    struct str title;
    bool featured;
    struct str status;
    bool scheduled;
    struct str scheduled_for;
    struct str author;
    struct str section;
    struct str updated;
};

static const struct render_field row_fields[] = {
    RENDER_INT_FIELD(struct admin_post_row, id),
    RENDER_STR_FIELD(struct admin_post_row, title),
    RENDER_BOOL_FIELD(struct admin_post_row, featured),
    RENDER_STR_FIELD(struct admin_post_row, status),
    RENDER_BOOL_FIELD(struct admin_post_row, scheduled),
    RENDER_STR_FIELD(struct admin_post_row, scheduled_for),
    RENDER_STR_FIELD(struct admin_post_row, author),
    RENDER_STR_FIELD(struct admin_post_row, section),
    RENDER_STR_FIELD(struct admin_post_row, updated),
};
static const struct render_type row_type = RENDER_TYPE(struct admin_post_row, row_fields);

struct admin_posts_view {
    struct str q;
    const struct admin_option *status_options, *author_options, *tag_options;
    size_t nstatus_options, nauthor_options, ntag_options;
    int64_t total;
    struct str plural;
    const struct admin_post_row *rows;
    size_t nrows;
    struct str more_url;  /* empty: no older posts */
    struct str newer_url; /* empty: the first page */
    struct str back;      /* this list's URL, for the bulk form */
    const struct admin_option *bulk_tags;
    size_t nbulk_tags;
};

static const struct render_field posts_fields[] = {
    RENDER_STR_FIELD(struct admin_posts_view, q),
    RENDER_LIST_FIELD(struct admin_posts_view, status_options, nstatus_options, &admin_option_type),
    RENDER_LIST_FIELD(struct admin_posts_view, author_options, nauthor_options, &admin_option_type),
    RENDER_LIST_FIELD(struct admin_posts_view, tag_options, ntag_options, &admin_option_type),
    RENDER_INT_FIELD(struct admin_posts_view, total),
    RENDER_STR_FIELD(struct admin_posts_view, plural),
    RENDER_LIST_FIELD(struct admin_posts_view, rows, nrows, &row_type),
    RENDER_STR_FIELD(struct admin_posts_view, more_url),
    RENDER_STR_FIELD(struct admin_posts_view, newer_url),
    RENDER_STR_FIELD(struct admin_posts_view, back),
    RENDER_LIST_FIELD(struct admin_posts_view, bulk_tags, nbulk_tags, &admin_option_type),
};
const struct render_type admin_posts_type = RENDER_TYPE(struct admin_posts_view, posts_fields);

/* A positive id from the query, or 0. */
static int64_t query_id(const struct request *req, const char *name)
{
    int64_t n;
    return str_to_i64(admin_query(req, name), &n) && n > 0 ? n : 0;
}

/*
 * The search box's text read as a reader's search (search.h): every word in any field,
 * "phrases", -exclusions, tag:, author:, after: and before:, and the word last typed as a
 * prefix ("harb" finds Harbour), as the LIKE this replaced found parts of words. NULL when
 * nothing is left to look for. Result lives in a.
 */
static const struct store_search_query *search_of(struct str text, struct arena *a)
{
    if (text.len > SEARCH_QUERY_MAX)
        text.len = SEARCH_QUERY_MAX; /* a cut character is a space to the parser */
    struct search_query *sq = arena_calloc(a, 1, sizeof(*sq));
    if (search_parse(text, SEARCH_PREFIX_LAST, a, sq, NULL) || !sq->normal.len)
        return NULL;
    return &sq->store;
}

/* The filters of the query string: status, author, tag, words of the title or body, page. */
static void filters_of(const struct request *req, int64_t page, struct store_admin_query *q,
                       struct str *text)
{
    struct str status = admin_query(req, "status");
    *q = (struct store_admin_query){.limit = LIST_PAGE, .offset = (page - 1) * LIST_PAGE};
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
        if (str_eq_cstr(status, statuses[i]))
            q->status = statuses[i];
    q->author_id = query_id(req, "author");
    q->tag_id = query_id(req, "tag");
    *text = str_trim(admin_query(req, "q"));
    q->search = search_of(*text, req->arena);
}

static struct admin_option *author_options(const struct store_user *u, size_t n, int64_t sel,
                                           struct arena *a)
{
    struct admin_option *v = arena_calloc(a, n + 1, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (struct admin_option){u[i].id, u[i].name, u[i].id == sel};
    return v;
}

static struct admin_option *tag_options(const struct store_tag_row *t, size_t n, int64_t sel,
                                        struct arena *a)
{
    struct admin_option *v = arena_calloc(a, n + 1, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (struct admin_option){t[i].tag.id, t[i].tag.name, t[i].tag.id == sel};
    return v;
}

static void row_of(const struct content_post *p, struct arena *a, struct admin_post_row *r)
{
    *r = (struct admin_post_row){
        .id = p->id,
        .title = p->title,
        .featured = p->featured,
        .status = str_from(content_status_name(p->status)),
        .scheduled = p->status == CONTENT_SCHEDULED,
        .author = p->nauthors ? p->authors[0].name : STR_LIT(""),
        .section = p->ntags ? p->tags[0].name : STR_LIT(""),
        .updated = admin_when(p->updated_at, a),
    };
    if (r->scheduled)
        r->scheduled_for = admin_when(p->published_at, a);
}

/* The filters of the list as the query string carries them, still encoded, in order. */
static const char *const filter_names[] = {"q", "status", "author", "tag", NULL};

/* The list's page `page` with the same filters: the query's own filters, as sent. */
static struct str page_url(const struct request *req, int64_t page)
{
    struct str kept = http_query_keep(req, filter_names);
    return str_from(arena_printf(req->arena, "/admin/?%.*s%spage=%lld", (int)kept.len, kept.ptr,
                                 kept.len ? "&" : "", (long long)page));
}

/* This very list, filters and page as asked: where a bulk action returns to. */
static struct str list_url(const struct request *req)
{
    if (!req->query.len)
        return STR_LIT("/admin/");
    return str_from(arena_printf(req->arena, "/admin/?%.*s", (int)req->query.len, req->query.ptr));
}

/* The page of posts q asks for, and what the filters offer. */
static enum err_code posts_view(const struct request *req, const struct store_admin_query *q,
                                struct admin_posts_view *v, struct err *err)
{
    struct store *st = app_store(req);
    struct content_post *posts;
    struct store_user *users;
    struct store_tag_row *tags;
    enum err_code rc = store_admin_posts(st, q, req->arena, &posts, &v->nrows, &v->total, err);
    if (!rc)
        rc = store_users_all(st, req->arena, &users, &v->nauthor_options, err);
    if (!rc)
        rc = store_tags_all(st, req->arena, &tags, &v->ntag_options, err);
    if (rc)
        return rc;
    struct admin_post_row *rows = arena_calloc(req->arena, v->nrows + 1, sizeof(*rows));
    for (size_t i = 0; i < v->nrows; i++)
        row_of(&posts[i], req->arena, &rows[i]);
    v->rows = rows;
    v->author_options = author_options(users, v->nauthor_options, q->author_id, req->arena);
    v->tag_options = tag_options(tags, v->ntag_options, q->tag_id, req->arena);
    v->bulk_tags = tag_options(tags, v->ntag_options, 0, req->arena);
    v->nbulk_tags = v->ntag_options;
    return ERR_OK;
}

enum err_code admin_posts(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    int64_t page = admin_query_page(req);
    struct store_admin_query q;
    struct str text;
    filters_of(req, page, &q, &text);
    struct admin_posts_view pv = {.q = text, .back = list_url(req)};
    enum err_code rc = posts_view(req, &q, &pv, err);
    if (rc)
        return rc;
    pv.status_options = admin_options(statuses, ARRAY_LEN(statuses),
                                      str_from(q.status ? q.status : ""), req->arena);
    pv.nstatus_options = ARRAY_LEN(statuses);
    pv.plural = admin_plural(pv.total);
    if (q.offset + (int64_t)pv.nrows < pv.total)
        pv.more_url = page_url(req, page + 1);
    if (page > 1)
        pv.newer_url = page_url(req, page - 1);
    struct admin_view v = {.title = STR_LIT("Posts"), .posts = &pv};
    admin_view_notices(&v, NULL,
                       admin_query_has(req, "deleted")
                           ? "Deleted: the post is gone from the site and from the newsroom."
                           : NULL);
    return admin_show(app, req, res, 200, ADMIN_TPL_POSTS, "posts", &v);
}
