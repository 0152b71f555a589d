/*
 * Revisions: the list of a post's saved versions, one revision with its diff against
 * the current text, and restoring one.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "newsroom/newsroom.h"

#include <string.h>

/* The revision of the route's {id} and its post, after checking the session may edit it. */
static enum err_code revision_of(const struct request *req, struct store_revision *r,
                                 struct content_post *p, struct err *err)
{
    enum err_code rc = store_revision_get(app_store(req), admin_param_id(req), req->arena, r, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such revision: it may have been deleted");
    return rc ? rc : admin_post_for(req, r->post_id, AUTH_POST_WRITE, p, err);
}

/* ---- the list ------------------------------------------------------------------------ */

struct admin_revision_row {
    int64_t id;
    struct str when;
    struct str who;
    struct str action;
    struct str title;
};

static const struct render_field row_fields[] = {
    RENDER_INT_FIELD(struct admin_revision_row, id),
    RENDER_STR_FIELD(struct admin_revision_row, when),
    RENDER_STR_FIELD(struct admin_revision_row, who),
    RENDER_STR_FIELD(struct admin_revision_row, action),
    RENDER_STR_FIELD(struct admin_revision_row, title),
};
static const struct render_type row_type = RENDER_TYPE(struct admin_revision_row, row_fields);

struct admin_revisions_view {
    int64_t post_id;
    struct str post_title;
    const struct admin_revision_row *rows;
    size_t nrows;
};

static const struct render_field revisions_fields[] = {
    RENDER_INT_FIELD(struct admin_revisions_view, post_id),
    RENDER_STR_FIELD(struct admin_revisions_view, post_title),
    RENDER_LIST_FIELD(struct admin_revisions_view, rows, nrows, &row_type),
};
const struct render_type admin_revisions_type =
    RENDER_TYPE(struct admin_revisions_view, revisions_fields);

static struct admin_revision_row *rows_of(const struct store_revision *revs, size_t n,
                                          struct arena *a)
{
    struct admin_revision_row *rows = arena_calloc(a, n + 1, sizeof(*rows));
    for (size_t i = 0; i < n; i++)
        rows[i] = (struct admin_revision_row){revs[i].id, admin_when(revs[i].created_at, a),
                                              admin_or(revs[i].user_name, "—"), revs[i].action,
                                              revs[i].title};
    return rows;
}

enum err_code admin_revisions(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    struct content_post p;
    enum err_code rc = admin_post_for(req, admin_param_id(req), AUTH_POST_WRITE, &p, err);
    struct store_revision *revs;
    size_t n;
    if (!rc)
        rc = store_revisions(app_store(req), p.id, req->arena, &revs, &n, err);
    if (rc)
        return rc;
    struct admin_revisions_view rv = {p.id, p.title, rows_of(revs, n, req->arena), n};
    struct admin_view v = {.title = STR_LIT("Revisions"), .revisions = &rv};
    return admin_show(app, req, res, 200, ADMIN_TPL_REVISIONS, "posts", &v);
}

/* ---- one revision -------------------------------------------------------------------- */

struct admin_diff_line {
    bool same, added, removed;
    struct str text;
};

static const struct render_field line_fields[] = {
    RENDER_BOOL_FIELD(struct admin_diff_line, same),
    RENDER_BOOL_FIELD(struct admin_diff_line, added),
    RENDER_BOOL_FIELD(struct admin_diff_line, removed),
    RENDER_STR_FIELD(struct admin_diff_line, text),
};
static const struct render_type line_type = RENDER_TYPE(struct admin_diff_line, line_fields);

struct admin_revision_view {
    int64_t id;
    int64_t post_id;
    struct str when, who, action;
    bool title_same;
    struct str old_title, new_title;
    bool too_long; /* past content_diff_lines' bound: both texts whole */
    struct str from, to;
    const struct admin_diff_line *lines;
    size_t nlines;
    bool can_restore;
    bool published;
    bool side; /* a kept text (conflict, expired, autosave): theirs and yours side by side */
    struct str theirs, yours;
};

static const struct render_field revision_fields[] = {
    RENDER_INT_FIELD(struct admin_revision_view, id),
    RENDER_INT_FIELD(struct admin_revision_view, post_id),
    RENDER_STR_FIELD(struct admin_revision_view, when),
    RENDER_STR_FIELD(struct admin_revision_view, who),
    RENDER_STR_FIELD(struct admin_revision_view, action),
    RENDER_BOOL_FIELD(struct admin_revision_view, title_same),
    RENDER_STR_FIELD(struct admin_revision_view, old_title),
    RENDER_STR_FIELD(struct admin_revision_view, new_title),
    RENDER_BOOL_FIELD(struct admin_revision_view, too_long),
    RENDER_STR_FIELD(struct admin_revision_view, from),
    RENDER_STR_FIELD(struct admin_revision_view, to),
    RENDER_LIST_FIELD(struct admin_revision_view, lines, nlines, &line_type),
    RENDER_BOOL_FIELD(struct admin_revision_view, can_restore),
    RENDER_BOOL_FIELD(struct admin_revision_view, published),
    RENDER_BOOL_FIELD(struct admin_revision_view, side),
    RENDER_STR_FIELD(struct admin_revision_view, theirs),
    RENDER_STR_FIELD(struct admin_revision_view, yours),
};
const struct render_type admin_revision_type =
    RENDER_TYPE(struct admin_revision_view, revision_fields);

/* The body's diff from the revision to the current text, or both whole when too long. */
static void diff_view(struct str from, struct str to, struct arena *a,
                      struct admin_revision_view *v)
{
    struct content_diff_line *d;
    size_t n;
    if (content_diff_lines(from, to, a, &d, &n, NULL)) {
        v->too_long = true;
        v->from = from;
        v->to = to;
        return;
    }
    struct admin_diff_line *lines = arena_calloc(a, n + 1, sizeof(*lines));
    for (size_t i = 0; i < n; i++)
        lines[i] =
            (struct admin_diff_line){d[i].op == CONTENT_DIFF_SAME, d[i].op == CONTENT_DIFF_ADD,
                                     d[i].op == CONTENT_DIFF_DEL, d[i].text};
    v->lines = lines;
    v->nlines = n;
}

static void revision_view(const struct request *req, const struct store_revision *r,
                          const struct content_post *p, struct admin_revision_view *v)
{
    const struct admin_session *s = admin_session_of(req);
    struct auth_post rights = admin_post_rights(p, s);
    *v = (struct admin_revision_view){
        .id = r->id,
        .post_id = p->id,
        .when = admin_when(r->created_at, req->arena),
        .who = admin_or(r->user_name, "—"),
        .action = r->action,
        .title_same = str_eq(r->title, p->title),
        .old_title = r->title,
        .new_title = p->title,
        .published = p->status == CONTENT_PUBLISHED,
    };
    v->can_restore = !v->published || auth_can(s->role, AUTH_POST_PUBLISH, &rights);
    /* a text that was never saved over the post: the two versions whole, next to each other */
    v->side = str_eq_cstr(r->action, "conflict") || str_eq_cstr(r->action, "expired") ||
              str_eq_cstr(r->action, "autosave");
    v->theirs = p->markdown;
    v->yours = r->markdown;
    diff_view(r->markdown, p->markdown, req->arena, v);
}

enum err_code admin_revision(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    struct store_revision r;
    struct content_post p;
    enum err_code rc = revision_of(req, &r, &p, err);
    if (rc)
        return rc;
    struct admin_revision_view rv;
    revision_view(req, &r, &p, &rv);
    struct admin_view v = {.title = STR_LIT("Revision"), .revision = &rv};
    return admin_show(app, req, res, 200, ADMIN_TPL_REVISION, "posts", &v);
}

/* ---- restoring ----------------------------------------------------------------------- */

enum err_code admin_revision_restore(struct app *app, const struct request *req,
                                     struct response *res, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store_revision r;
    struct content_post p;
    enum err_code rc = revision_of(req, &r, &p, err);
    if (rc)
        return rc;
    struct auth_post rights = admin_post_rights(&p, s);
    if (p.status == CONTENT_PUBLISHED && !auth_can(s->role, AUTH_POST_PUBLISH, &rights))
        return err_set(err, ERR_FORBIDDEN,
                       "this post is published: only someone who may publish it can change it");
    struct content_draft d;
    newsroom_draft_of(&p, req->arena, &d);
    d.minor = false;
    d.title = r.title;
    d.markdown = r.markdown;
    struct newsroom_opts opts = {.may_create_tags = true, .default_author = s->user_id};
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    struct str slug;
    rc = newsroom_post_update(st, p.id, &d, &opts, req->arena, &slug, err);
    if (!rc)
        rc = store_revision_add(st, p.id, s->user_id, "restore", r.title, r.markdown, err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    return admin_redirect(
        res, arena_printf(req->arena, "/admin/posts/%lld/?saved=restored", (long long)p.id));
}
