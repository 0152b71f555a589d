/*
 * Bulk actions on the post list: publish, unpublish, delete or tag the posts ticked on
 * one page. The list's form only asks: the answer is a confirmation page naming each post
 * and what will happen to it, and each post that will be skipped with the reason. Confirming
 * does it in one transaction, each post checked as the editor checks it (admin_post_for,
 * then the right to publish) and changed through the editor's own newsroom functions, with
 * a revision and an audit line per post; the change log refreshes the site. Then the list
 * is shown again at the very URL it had (its filters and page), or, when posts were
 * skipped, a page says which and why. Nothing needs JavaScript.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "newsroom/newsroom.h"

#include <string.h>

/* A page holds 50 posts: 200 is a few pages' worth, and bounds one transaction. */
#define BULK_MAX 200

enum bulk_action { BULK_PUBLISH, BULK_UNPUBLISH, BULK_DELETE, BULK_TAG };

static const char *const bulk_names[] = {"publish", "unpublish", "delete", "tag"};

/* What one confirmation or result page lists: a post and, when skipped, why. */
struct admin_bulk_row {
    int64_t id;
    struct str title;
    struct str status;
    struct str reason;
};

static const struct render_field row_fields[] = {
    RENDER_INT_FIELD(struct admin_bulk_row, id),
    RENDER_STR_FIELD(struct admin_bulk_row, title),
    RENDER_STR_FIELD(struct admin_bulk_row, status),
    RENDER_STR_FIELD(struct admin_bulk_row, reason),
};
static const struct render_type row_type = RENDER_TYPE(struct admin_bulk_row, row_fields);

struct admin_bulk_view {
    struct str heading; /* "Publish these 3 posts?" */
    struct str what;    /* what will happen (or happened) to them */
    struct str action;
    int64_t tag_id;
    struct str back;   /* the list to return to */
    struct str button; /* "Publish 3 posts" */
    bool ask;          /* the confirmation form */
    bool is_delete;    /* ... which needs a tick */
    bool has_do, has_skip;
    const struct admin_bulk_row *rows, *skipped;
    size_t nrows, nskipped;
};

static const struct render_field bulk_fields[] = {
    RENDER_STR_FIELD(struct admin_bulk_view, heading),
    RENDER_STR_FIELD(struct admin_bulk_view, what),
    RENDER_STR_FIELD(struct admin_bulk_view, action),
    RENDER_INT_FIELD(struct admin_bulk_view, tag_id),
    RENDER_STR_FIELD(struct admin_bulk_view, back),
    RENDER_STR_FIELD(struct admin_bulk_view, button),
    RENDER_BOOL_FIELD(struct admin_bulk_view, ask),
    RENDER_BOOL_FIELD(struct admin_bulk_view, is_delete),
    RENDER_BOOL_FIELD(struct admin_bulk_view, has_do),
    RENDER_BOOL_FIELD(struct admin_bulk_view, has_skip),
    RENDER_LIST_FIELD(struct admin_bulk_view, rows, nrows, &row_type),
    RENDER_LIST_FIELD(struct admin_bulk_view, skipped, nskipped, &row_type),
};
const struct render_type admin_bulk_type = RENDER_TYPE(struct admin_bulk_view, bulk_fields);

/* A request's bulk action: the posts (in the order ticked) and why any is skipped. */
struct bulk {
    enum bulk_action act;
    struct content_tag tag; /* BULK_TAG: the existing tag to add */
    struct str back;
    struct content_post *posts;
    const char **skip; /* NULL: will be done */
    size_t n, ndo;
};

/* ---- reading the request ------------------------------------------------------------- */

/* The form's action, or ERR_INVALID. */
static enum err_code action_of(const struct request *req, enum bulk_action *act, struct err *err)
{
    struct str s = admin_field(req, "action");
    for (size_t i = 0; i < ARRAY_LEN(bulk_names); i++)
        if (str_eq_cstr(s, bulk_names[i])) {
            *act = (enum bulk_action)i;
            return ERR_OK;
        }
    return err_set(err, ERR_INVALID, "choose an action: publish, unpublish, delete or tag");
}

/* Appends id, a field's value, to ids: a positive number, not there yet, at most BULK_MAX. */
static enum err_code id_add(struct str v, int64_t *ids, size_t *n, struct err *err)
{
    int64_t id;
    if (!str_to_i64(v, &id) || id <= 0)
        return err_set(err, ERR_INVALID, "'%.*s' is not a post id", (int)(v.len > 40 ? 40 : v.len),
                       v.ptr);
    for (size_t i = 0; i < *n; i++)
        if (ids[i] == id)
            return err_set(err, ERR_INVALID, "post %lld is named twice", (long long)id);
    if (*n == BULK_MAX)
        return err_set(err, ERR_INVALID, "choose at most %d posts at a time", BULK_MAX);
    ids[(*n)++] = id;
    return ERR_OK;
}

/* Every "ids" field of the form body, in order (http_form_get gives only the first). */
static enum err_code ids_of(const struct request *req, int64_t **out, size_t *n, struct err *err)
{
    int64_t *ids = arena_calloc(req->arena, BULK_MAX, sizeof(*ids));
    struct str body = req->body;
    *n = 0;
    while (body.len) {
        const char *amp = memchr(body.ptr, '&', body.len);
        size_t len = amp ? (size_t)(amp - body.ptr) : body.len;
        const char *eq = memchr(body.ptr, '=', len);
        struct str key = {body.ptr, eq ? (size_t)(eq - body.ptr) : len}, v;
        if (str_eq_cstr(key, "ids")) {
            struct str raw = eq ? (struct str){eq + 1, len - key.len - 1} : STR_LIT("");
            if (!http_query_decode(raw, req->arena, &v))
                return err_set(err, ERR_INVALID, "cannot read the post ids: bad encoding");
            enum err_code rc = id_add(v, ids, n, err);
            if (rc)
                return rc;
        }
        body.ptr += len + (amp ? 1 : 0);
        body.len -= len + (amp ? 1 : 0);
    }
    *out = ids;
    return *n ? ERR_OK : err_set(err, ERR_INVALID, "tick at least one post");
}

/* The list to go back to: a newsroom path only, as it came (a query still encoded). */
static struct str back_of(const struct request *req)
{
    struct str b = admin_field_raw(req, "back");
    if (!str_starts_with(b, "/admin/") || b.len > 2048)
        return STR_LIT("/admin/");
    for (size_t i = 0; i < b.len; i++)
        if ((unsigned char)b.ptr[i] <= ' ' || (unsigned char)b.ptr[i] >= 0x7f || b.ptr[i] == '\\')
            return STR_LIT("/admin/");
    return b;
}

/* The tag Add tag adds: an existing one, by id. */
static enum err_code tag_of(const struct request *req, struct content_tag *tag, struct err *err)
{
    int64_t id;
    if (!str_to_i64(admin_field(req, "add_tag"), &id) || id <= 0)
        return err_set(err, ERR_INVALID, "choose the tag to add");
    enum err_code rc = store_tag_by_id(app_store(req), id, req->arena, tag, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_INVALID, "there is no tag %lld: choose an existing tag",
                       (long long)id);
    return rc;
}

/* ---- who may do what to which post --------------------------------------------------- */

/* Why the action would change nothing for p, or NULL. */
static const char *no_change(const struct bulk *b, const struct content_post *p)
{
    if (b->act == BULK_PUBLISH && p->status == CONTENT_PUBLISHED)
        return "already published";
    if (b->act == BULK_UNPUBLISH && p->status == CONTENT_DRAFT)
        return "already a draft";
    for (size_t i = 0; b->act == BULK_TAG && i < p->ntags; i++)
        if (p->tags[i].id == b->tag.id)
            return "already has this tag";
    return NULL;
}

/*
 * Why this session may not do the action to p, as the editor would refuse it: what readers
 * see changes (a publication, or any change to a published post) only for those who may
 * publish the post.
 */
static const char *publish_refusal(const struct request *req, const struct bulk *b,
                                   const struct content_post *p)
{
    const struct admin_session *s = admin_session_of(req);
    struct auth_post rights = admin_post_rights(p, s);
    bool public_change = b->act != BULK_TAG || p->status == CONTENT_PUBLISHED;
    if (b->act == BULK_DELETE || !public_change || auth_can(s->role, AUTH_POST_PUBLISH, &rights))
        return NULL;
    return s->role == AUTH_CONTRIBUTOR ? "contributors cannot publish, unpublish or change "
                                         "published posts: ask an editor"
                                       : "you can publish only your own posts";
}

/* Loads post id into b->posts[i] and decides whether it is done or skipped. */
static enum err_code post_add(const struct request *req, struct bulk *b, size_t i, int64_t id,
                              struct err *err)
{
    struct err why = {0};
    enum auth_action act = b->act == BULK_DELETE ? AUTH_POST_DELETE : AUTH_POST_WRITE;
    enum err_code rc = admin_post_for(req, id, act, &b->posts[i], &why);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_INVALID, "there is no post %lld: it may have been deleted",
                       (long long)id);
    if (rc && rc != ERR_FORBIDDEN)
        return err_set(err, rc, "%s", why.msg);
    const char *skip = rc ? arena_strndup(req->arena, why.msg, strlen(why.msg))
                          : publish_refusal(req, b, &b->posts[i]);
    b->skip[i] = skip ? skip : no_change(b, &b->posts[i]);
    b->ndo += !b->skip[i];
    return ERR_OK;
}

static enum err_code bulk_of(const struct request *req, struct bulk *b, struct err *err)
{
    *b = (struct bulk){.back = back_of(req)};
    int64_t *ids = NULL;
    enum err_code rc = action_of(req, &b->act, err);
    if (!rc && b->act == BULK_TAG)
        rc = tag_of(req, &b->tag, err);
    if (!rc)
        rc = ids_of(req, &ids, &b->n, err);
    if (rc)
        return rc;
    b->posts = arena_calloc(req->arena, b->n, sizeof(*b->posts));
    b->skip = arena_calloc(req->arena, b->n, sizeof(*b->skip));
    for (size_t i = 0; !rc && i < b->n; i++)
        rc = post_add(req, b, i, ids[i], err);
    return rc;
}

/* ---- the pages ----------------------------------------------------------------------- */

/* What the action does, said to the one about to confirm it (or who just did). */
static struct str what_of(const struct bulk *b, bool done, struct arena *a)
{
    switch (b->act) {
    case BULK_PUBLISH:
        return STR_LIT("Readers see them at once: on the home page, in lists and feeds. "
                       "Scheduled posts are published now, not at their time.");
    case BULK_UNPUBLISH:
        return STR_LIT("They go back to drafts: off the site, its lists and feeds. Scheduled "
                       "posts lose their time.");
    case BULK_DELETE:
        return str_from(done ? "They were deleted for good, with their revisions."
                             : "They are deleted for good, with their revisions: this cannot "
                               "be undone.");
    case BULK_TAG:
        return str_from(arena_printf(a, "The tag “%.*s” is added to each, after its tags.",
                                     (int)b->tag.name.len, b->tag.name.ptr));
    }
    return STR_LIT("");
}

static const char *const verbs[] = {"Publish", "Unpublish", "Delete", "Tag"};

static void bulk_rows(const struct bulk *b, struct admin_bulk_view *v, struct arena *a)
{
    struct admin_bulk_row *rows = arena_calloc(a, b->n, sizeof(*rows));
    struct admin_bulk_row *skipped = arena_calloc(a, b->n, sizeof(*skipped));
    for (size_t i = 0; i < b->n; i++) {
        const struct content_post *p = &b->posts[i];
        struct admin_bulk_row r = {p->id, admin_or(p->title, "(untitled)"),
                                   str_from(content_status_name(p->status)),
                                   str_from(b->skip[i] ? b->skip[i] : "")};
        if (b->skip[i])
            skipped[v->nskipped++] = r;
        else
            rows[v->nrows++] = r;
    }
    v->rows = rows;
    v->skipped = skipped;
    v->has_do = v->nrows > 0;
    v->has_skip = v->nskipped > 0;
}

static enum err_code bulk_page(struct app *app, const struct request *req, struct response *res,
                               int status, const struct bulk *b, bool done, const char *alert)
{
    struct arena *a = req->arena;
    const char *s = b->ndo == 1 ? "" : "s";
    struct admin_bulk_view bv = {.what = what_of(b, done, a),
                                 .action = str_from(bulk_names[b->act]),
                                 .tag_id = b->tag.id,
                                 .back = b->back,
                                 .ask = !done && b->ndo > 0,
                                 .is_delete = b->act == BULK_DELETE};
    bulk_rows(b, &bv, a);
    bv.heading = str_from(done ? arena_printf(a, "%s: %zu post%s done", verbs[b->act], b->ndo, s)
                          : b->ndo ? arena_printf(a, "%s %s %zu post%s?", verbs[b->act],
                                                  b->ndo == 1 ? "this" : "these", b->ndo, s)
                                   : arena_printf(a, "%s: nothing to do", verbs[b->act]));
    bv.button = str_from(arena_printf(a, "%s %zu post%s", verbs[b->act], b->ndo, s));
    struct admin_view v = {.title = STR_LIT("Posts"), .bulk = &bv};
    admin_view_notices(&v, alert, NULL);
    return admin_show(app, req, res, status, ADMIN_TPL_BULK, "posts", &v);
}

/* ---- doing it ------------------------------------------------------------------------ */

/* The action on one post, its revision and its audit line (inside the transaction). */
static enum err_code bulk_one(struct app *app, const struct request *req, const struct bulk *b,
                              const struct content_post *p, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store *st = app->writer;
    struct str slug = p->slug, detail = p->title;
    const char *audit = bulk_names[b->act];
    enum err_code rc = ERR_OK;
    if (b->act == BULK_PUBLISH || b->act == BULK_UNPUBLISH) {
        bool publish = b->act == BULK_PUBLISH;
        if (!publish && p->status == CONTENT_SCHEDULED)
            audit = "unschedule";
        rc = newsroom_post_set_status(st, p->id, publish ? CONTENT_PUBLISHED : CONTENT_DRAFT,
                                      req->arena, &slug, err);
    } else if (b->act == BULK_TAG) {
        rc = newsroom_post_add_tag(st, p->id, b->tag.name, req->arena, &slug, err);
        detail = str_from(arena_printf(req->arena, "%.*s (tag: %.*s)", (int)p->title.len,
                                       p->title.ptr, (int)b->tag.name.len, b->tag.name.ptr));
    } else
        rc = store_post_delete(st, p->id, err);
    if (!rc && b->act != BULK_DELETE) {
        struct content_draft d; /* the post as the action left it */
        newsroom_draft_of(p, req->arena, &d);
        if (b->act == BULK_TAG)
            d.tags[d.ntags++] = b->tag.name;
        struct store_revision r;
        newsroom_revision_of(&d, b->act == BULK_TAG ? "save" : bulk_names[b->act], req->arena, &r);
        rc = store_revision_add(st, p->id, s->user_id, &r, err);
    }
    if (rc)
        return rc;
    struct str target = str_from(
        arena_printf(req->arena, "post:%lld /%.*s/", (long long)p->id, (int)slug.len, slug.ptr));
    return store_audit(st, s->user_id, audit, target, detail, admin_client_address(app, req), err);
}

/* Every post not skipped, in one transaction: all are changed, or none. */
static enum err_code bulk_apply(struct app *app, const struct request *req, const struct bulk *b,
                                struct err *err)
{
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < b->n; i++)
        if (!b->skip[i])
            rc = bulk_one(app, req, b, &b->posts[i], err);
    return store_tx_end(st, rc, err);
}

enum err_code admin_posts_bulk(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    struct bulk b;
    enum err_code rc = bulk_of(req, &b, err);
    if (rc)
        return rc;
    if (!str_eq_cstr(admin_field(req, "confirm"), "1") || !b.ndo)
        return bulk_page(app, req, res, 200, &b, false, NULL);
    if (b.act == BULK_DELETE && !str_eq_cstr(admin_field(req, "sure"), "yes"))
        return bulk_page(app, req, res, 400, &b, false,
                         "Tick “Yes, delete these posts for good” to confirm.");
    rc = bulk_apply(app, req, &b, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < b.n; i++)
        if (b.skip[i]) /* never silently: the result says which were left, and why */
            return bulk_page(app, req, res, 200, &b, true, NULL);
    return admin_redirect(res, arena_strndup(req->arena, b.back.ptr, b.back.len));
}
