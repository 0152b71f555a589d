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

/* An update of a live story saved as a minor edit (other saves are never "Updated"). */
static bool minor_update(const struct store_revision *r)
{
    return r->minor && str_eq_cstr(r->action, "update");
}

static struct admin_revision_row *rows_of(const struct store_revision *revs, size_t n,
                                          struct arena *a)
{
    struct admin_revision_row *rows = arena_calloc(a, n + 1, sizeof(*rows));
    for (size_t i = 0; i < n; i++) {
        struct str action = revs[i].action;
        if (minor_update(&revs[i])) /* readers were not told: the list says so too */
            action = str_from(arena_printf(a, "%.*s (minor edit)", (int)action.len, action.ptr));
        rows[i] =
            (struct admin_revision_row){revs[i].id, admin_when(revs[i].created_at, a),
                                        admin_or(revs[i].user_name, "—"), action, revs[i].title};
    }
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

/* A piece of a word diff: kept, added or removed words. */
struct admin_diff_piece {
    bool same, added, removed;
    struct str text;
};

static const struct render_field piece_fields[] = {
    RENDER_BOOL_FIELD(struct admin_diff_piece, same),
    RENDER_BOOL_FIELD(struct admin_diff_piece, added),
    RENDER_BOOL_FIELD(struct admin_diff_piece, removed),
    RENDER_STR_FIELD(struct admin_diff_piece, text),
};
static const struct render_type piece_type = RENDER_TYPE(struct admin_diff_piece, piece_fields);

/* One field of the post, from the revision to the current version. */
struct admin_diff_field {
    struct str name;
    bool same;         /* unchanged: its text once */
    bool not_recorded; /* a revision from before the field was kept */
    bool too_long;     /* past content_diff_words' bound: both texts whole */
    bool body;         /* the Markdown: kept in a <pre> */
    bool changed;      /* word by word, in pieces */
    struct str from, to;
    const struct admin_diff_piece *pieces;
    size_t npieces;
};

static const struct render_field field_fields[] = {
    RENDER_STR_FIELD(struct admin_diff_field, name),
    RENDER_BOOL_FIELD(struct admin_diff_field, same),
    RENDER_BOOL_FIELD(struct admin_diff_field, not_recorded),
    RENDER_BOOL_FIELD(struct admin_diff_field, too_long),
    RENDER_BOOL_FIELD(struct admin_diff_field, body),
    RENDER_BOOL_FIELD(struct admin_diff_field, changed),
    RENDER_STR_FIELD(struct admin_diff_field, from),
    RENDER_STR_FIELD(struct admin_diff_field, to),
    RENDER_LIST_FIELD(struct admin_diff_field, pieces, npieces, &piece_type),
};
static const struct render_type field_type = RENDER_TYPE(struct admin_diff_field, field_fields);

struct admin_revision_view {
    int64_t id;
    int64_t post_id;
    struct str when, who, action;
    bool minor;
    struct str old_title, new_title;
    const struct admin_diff_field *fields;
    size_t nfields;
    bool can_restore;
    bool published;
    bool confirming; /* the step that asks before the restore */
    bool side;       /* a kept text (conflict, expired, autosave): theirs and yours side by side */
    struct str theirs, yours;
};

static const struct render_field revision_fields[] = {
    RENDER_INT_FIELD(struct admin_revision_view, id),
    RENDER_INT_FIELD(struct admin_revision_view, post_id),
    RENDER_STR_FIELD(struct admin_revision_view, when),
    RENDER_STR_FIELD(struct admin_revision_view, who),
    RENDER_STR_FIELD(struct admin_revision_view, action),
    RENDER_BOOL_FIELD(struct admin_revision_view, minor),
    RENDER_STR_FIELD(struct admin_revision_view, old_title),
    RENDER_STR_FIELD(struct admin_revision_view, new_title),
    RENDER_LIST_FIELD(struct admin_revision_view, fields, nfields, &field_type),
    RENDER_BOOL_FIELD(struct admin_revision_view, can_restore),
    RENDER_BOOL_FIELD(struct admin_revision_view, published),
    RENDER_BOOL_FIELD(struct admin_revision_view, confirming),
    RENDER_BOOL_FIELD(struct admin_revision_view, side),
    RENDER_STR_FIELD(struct admin_revision_view, theirs),
    RENDER_STR_FIELD(struct admin_revision_view, yours),
};
const struct render_type admin_revision_type =
    RENDER_TYPE(struct admin_revision_view, revision_fields);

/* The word diff of one field from the revision's text to the post's, or both whole. */
static void diff_field(const char *name, struct str from, struct str to, bool recorded,
                       struct arena *a, struct admin_diff_field *f)
{
    *f = (struct admin_diff_field){.name = str_from(name), .from = from, .to = to};
    f->not_recorded = !recorded;
    f->same = recorded && str_eq(from, to);
    if (!recorded || f->same)
        return;
    struct content_diff_line *d;
    size_t n;
    if (content_diff_words(from, to, a, &d, &n, NULL)) {
        f->too_long = true;
        return;
    }
    struct admin_diff_piece *pieces = arena_calloc(a, n + 1, sizeof(*pieces));
    for (size_t i = 0; i < n; i++)
        pieces[i] =
            (struct admin_diff_piece){d[i].op == CONTENT_DIFF_SAME, d[i].op == CONTENT_DIFF_ADD,
                                      d[i].op == CONTENT_DIFF_DEL, d[i].text};
    f->pieces = pieces;
    f->npieces = n;
    f->changed = true;
}

/* "a, b" as the revision records the post's tags (names) or authors (slugs). */
static struct str joined(const struct content_post *p, bool authors, struct arena *a)
{
    struct content_draft d;
    newsroom_draft_of(p, a, &d);
    struct store_revision now;
    newsroom_revision_of(&d, "", a, &now);
    return authors ? now.authors : now.tags;
}

/* Every field a revision records, compared with the post as it is now. */
static void diff_fields(const struct store_revision *r, const struct content_post *p,
                        struct arena *a, struct admin_revision_view *v)
{
    struct admin_diff_field *f = arena_calloc(a, 9, sizeof(*f));
    bool rec = r->recorded;
    size_t n = 0;
    diff_field("Title", r->title, p->title, true, a, &f[n++]);
    diff_field("Excerpt", r->excerpt, p->custom_excerpt, rec, a, &f[n++]);
    diff_field("Tags", r->tags, joined(p, false, a), rec, a, &f[n++]);
    diff_field("Authors", r->authors, joined(p, true, a), rec, a, &f[n++]);
    diff_field("Feature image", r->feature_image, p->feature_image, rec, a, &f[n++]);
    diff_field("Feature image's alt text", r->feature_image_alt, p->feature_image_alt, rec, a,
               &f[n++]);
    diff_field("Feature image's caption", r->feature_image_caption, p->feature_image_caption, rec,
               a, &f[n++]);
    diff_field("Correction note", r->correction, p->correction, rec, a, &f[n++]);
    diff_field("Body", r->markdown, p->markdown, true, a, &f[n]);
    f[n++].body = true;
    v->fields = f;
    v->nfields = n;
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
        .minor = minor_update(r),
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
    diff_fields(r, p, req->arena, v);
}

static enum err_code show_revision(struct app *app, const struct request *req, struct response *res,
                                   bool confirming, struct err *err)
{
    struct store_revision r;
    struct content_post p;
    enum err_code rc = revision_of(req, &r, &p, err);
    if (rc)
        return rc;
    struct admin_revision_view rv;
    revision_view(req, &r, &p, &rv);
    rv.confirming = confirming && rv.can_restore;
    struct admin_view v = {.title = STR_LIT("Revision"), .revision = &rv};
    if (rv.confirming)
        admin_view_notices(&v, NULL,
                           rv.published ? "Restore this revision? Its fields replace the current "
                                          "ones and readers see it at once. Nothing has changed "
                                          "yet."
                                        : "Restore this revision? Its fields replace the "
                                          "current ones. Nothing has changed yet.");
    return admin_show(app, req, res, 200, ADMIN_TPL_REVISION, "posts", &v);
}

enum err_code admin_revision(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    return show_revision(app, req, res, false, err);
}

/* ---- restoring ----------------------------------------------------------------------- */

/*
 * Restoring asks first: without confirm=yes the POST shows the revision again with the
 * question and a confirming button (works without scripts), and changes nothing.
 */
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
    if (!str_eq_cstr(admin_field(req, "confirm"), "yes"))
        return show_revision(app, req, res, true, err);
    struct content_draft d;
    newsroom_draft_of(&p, req->arena, &d);
    d.minor = false;
    newsroom_revision_restore(&r, req->arena, &d);
    rc = content_draft_check(&d, err);
    if (rc)
        return rc;
    struct newsroom_opts opts = {.may_create_tags = true, .default_author = s->user_id};
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    struct str slug;
    struct store_revision now;
    newsroom_revision_of(&d, "restore", req->arena, &now);
    rc = newsroom_post_update(st, p.id, &d, &opts, req->arena, &slug, err);
    if (!rc)
        rc = store_revision_add(st, p.id, s->user_id, &now, err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    return admin_redirect(
        res, arena_printf(req->arena, "/admin/posts/%lld/?saved=%s", (long long)p.id,
                          p.status == CONTENT_PUBLISHED ? "restored-live" : "restored"));
}
