/*
 * The post editor: the form with live preview, saving with the actions a desk needs
 * (save draft, publish now, schedule, update, unpublish), deleting, and the preview.
 *
 * Each save is one transaction: the post, a revision of what was saved, and for
 * publication changes an audit entry. The change log in that transaction refreshes the
 * public pages the moment it commits. A save that is refused for what the form says
 * shows the form again, with the editor's text and the reason, never losing what they
 * typed.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "newsroom/newsroom.h"

#include <string.h>

/* What the form shows: a stored post, or what was just submitted (after an error). */
struct form {
    int64_t id;
    struct str title, slug, markdown, tags, authors, excerpt, image, image_alt, publish_at;
    bool featured;
    enum content_status status;
    struct str preview; /* rendered HTML */
    struct str url;     /* the public URL when published */
};

struct admin_button {
    struct str action;
    struct str label;
    struct str cls;
};

static const struct render_field button_fields[] = {
    RENDER_STR_FIELD(struct admin_button, action),
    RENDER_STR_FIELD(struct admin_button, label),
    RENDER_STR_FIELD(struct admin_button, cls),
};
static const struct render_type button_type = RENDER_TYPE(struct admin_button, button_fields);

struct admin_editor_view {
    int64_t id; /* 0: a new post */
    struct str heading;
    struct str status;
    struct str url;
    struct str save_url;
    struct str title, markdown, tags, authors, excerpt, image, image_alt, slug, publish_at;
    struct str preview; /* HTML our Markdown renderer made */
    bool featured;
    bool can_publish;
    const struct admin_button *buttons;
    size_t nbuttons;
};

static const struct render_field editor_fields[] = {
    RENDER_INT_FIELD(struct admin_editor_view, id),
    RENDER_STR_FIELD(struct admin_editor_view, heading),
    RENDER_STR_FIELD(struct admin_editor_view, status),
    RENDER_STR_FIELD(struct admin_editor_view, url),
    RENDER_STR_FIELD(struct admin_editor_view, save_url),
    RENDER_STR_FIELD(struct admin_editor_view, title),
    RENDER_STR_FIELD(struct admin_editor_view, markdown),
    RENDER_STR_FIELD(struct admin_editor_view, tags),
    RENDER_STR_FIELD(struct admin_editor_view, authors),
    RENDER_STR_FIELD(struct admin_editor_view, excerpt),
    RENDER_STR_FIELD(struct admin_editor_view, image),
    RENDER_STR_FIELD(struct admin_editor_view, image_alt),
    RENDER_STR_FIELD(struct admin_editor_view, slug),
    RENDER_STR_FIELD(struct admin_editor_view, publish_at),
    RENDER_HTML_FIELD(struct admin_editor_view, preview),
    RENDER_BOOL_FIELD(struct admin_editor_view, featured),
    RENDER_BOOL_FIELD(struct admin_editor_view, can_publish),
    RENDER_LIST_FIELD(struct admin_editor_view, buttons, nbuttons, &button_type),
};
const struct render_type admin_editor_type = RENDER_TYPE(struct admin_editor_view, editor_fields);

/* ---- the form's view ------------------------------------------------------------------ */

static void add_button(struct admin_button *b, size_t *n, const char *action, const char *label,
                       const char *cls)
{
    b[(*n)++] = (struct admin_button){str_from(action), str_from(label), str_from(cls)};
}

/* The actions the form offers for a post in status st. */
static size_t buttons_of(enum content_status st, bool can_publish, struct admin_button out[4])
{
    size_t n = 0;
    if (st == CONTENT_PUBLISHED) {
        if (can_publish) {
            add_button(out, &n, "update", "Update", "");
            add_button(out, &n, "unpublish", "Unpublish", "secondary");
        }
        return n;
    }
    add_button(out, &n, "save", st == CONTENT_SCHEDULED ? "Save" : "Save draft",
               can_publish ? "secondary" : "");
    if (!can_publish)
        return n;
    add_button(out, &n, "publish", "Publish now", "");
    add_button(out, &n, "schedule", "Schedule", "secondary");
    if (st == CONTENT_SCHEDULED)
        add_button(out, &n, "unpublish", "Back to draft", "secondary");
    return n;
}

static void editor_view(const struct form *f, bool can_publish, struct arena *a,
                        struct admin_editor_view *e)
{
    *e = (struct admin_editor_view){
        .id = f->id,
        .heading = f->id ? STR_LIT("Edit post") : STR_LIT("New post"),
        .status = str_from(content_status_name(f->status)),
        .url = f->url,
        .title = f->title,
        .markdown = f->markdown,
        .tags = f->tags,
        .authors = f->authors,
        .excerpt = f->excerpt,
        .image = f->image,
        .image_alt = f->image_alt,
        .slug = f->slug,
        .publish_at = f->publish_at,
        .preview = f->preview,
        .featured = f->featured,
        .can_publish = can_publish,
    };
    e->save_url = f->id ? str_from(arena_printf(a, "/admin/posts/%lld/", (long long)f->id))
                        : STR_LIT("/admin/posts/new/");
    struct admin_button *b = arena_calloc(a, 4, sizeof(*b));
    e->nbuttons = buttons_of(f->status, can_publish, b);
    e->buttons = b;
}

static enum err_code render_form(struct app *app, const struct request *req, struct response *res,
                                 int status, const struct form *f, const char *error,
                                 const char *notice)
{
    const struct admin_session *s = admin_session_of(req);
    struct auth_post rights = {.own = true, .published = f->status != CONTENT_DRAFT};
    struct admin_editor_view e;
    editor_view(f, auth_can(s->role, AUTH_POST_PUBLISH, &rights), req->arena, &e);
    struct admin_view v = {.title = e.heading, .editor = &e};
    v.tools = admin_tools_of(req, &(struct admin_tools_in){f->id, f->status, f->tags, f->markdown,
                                                           f->preview, f->image});
    admin_view_notices(&v, error, notice);
    return admin_show(app, req, res, status, ADMIN_TPL_EDITOR, f->id ? "posts" : "new", &v);
}

/* ---- the form's contents ------------------------------------------------------------- */

/* The names of a post's tags, or the slugs of its authors: "a, b, c", in a. */
static struct str join(const struct content_post *p, bool authors, struct arena *a)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    size_t n = authors ? p->nauthors : p->ntags;
    for (size_t i = 0; i < n; i++) {
        struct str s = authors ? p->authors[i].slug : p->tags[i].name;
        buf_printf(&b, "%s%.*s", i ? ", " : "", (int)s.len, s.ptr);
    }
    struct str out = arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

/* "/slug/" while published: where readers see it. */
static struct str public_url(const struct content_post *p, struct arena *a)
{
    if (p->status != CONTENT_PUBLISHED)
        return STR_LIT("");
    return str_from(arena_printf(a, "/%.*s/", (int)p->slug.len, p->slug.ptr));
}

static void form_from_post(struct form *f, const struct content_post *p, struct arena *a)
{
    *f = (struct form){
        .id = p->id,
        .title = p->title,
        .slug = p->slug,
        .markdown = p->markdown,
        .tags = join(p, false, a),
        .authors = join(p, true, a),
        .excerpt = p->custom_excerpt,
        .image = p->feature_image,
        .image_alt = p->feature_image_alt,
        .featured = p->featured,
        .status = p->status,
        .preview = p->html,
        .url = public_url(p, a),
    };
    if (p->status == CONTENT_SCHEDULED) {
        char when[20];
        time_fmt_input_local(p->published_at, when);
        f->publish_at = str_from(arena_strndup(a, when, strlen(when)));
    }
}

static void form_from_request(struct form *f, const struct request *req)
{
    f->title = admin_field(req, "title");
    f->slug = admin_field(req, "slug");
    f->markdown = admin_field_raw(req, "markdown");
    f->tags = admin_field(req, "tags");
    f->authors = admin_field(req, "authors");
    f->excerpt = admin_field(req, "excerpt");
    f->image = admin_field(req, "feature_image");
    f->image_alt = admin_field(req, "feature_image_alt");
    f->publish_at = admin_field(req, "publish_at");
    f->featured = admin_field(req, "featured").len > 0;
}

/* What the editor is told after a save redirected back to the form (?saved=...). */
static const char *saved_notice(const struct request *req)
{
    if (!admin_query_has(req, "saved"))
        return NULL;
    struct str saved = admin_query(req, "saved");
    return str_eq_cstr(saved, "published")   ? "Published: readers see it now."
           : str_eq_cstr(saved, "scheduled") ? "Scheduled."
           : str_eq_cstr(saved, "draft")     ? "Saved as a draft."
           : str_eq_cstr(saved, "restored")  ? "Revision restored."
                                             : "Saved.";
}

/* The route's {id}: 0 for a new post, ERR_NOTFOUND for an id that is not a number. */
static enum err_code route_post_id(const struct request *req, int64_t *id, struct err *err)
{
    *id = admin_param_id(req);
    if (!*id && http_request_param(req, "id").len)
        return err_set(err, ERR_NOTFOUND, "that is not a post's address");
    return ERR_OK;
}

enum err_code admin_post_form(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    int64_t id;
    enum err_code rc = route_post_id(req, &id, err);
    if (rc)
        return rc;
    struct form f = {.status = CONTENT_DRAFT};
    if (!id) {
        f.authors = admin_session_of(req)->slug;
        return render_form(app, req, res, 200, &f, NULL, NULL);
    }
    struct content_post p;
    rc = admin_post_for(req, id, AUTH_POST_WRITE, &p, err);
    if (rc)
        return rc;
    form_from_post(&f, &p, req->arena);
    return render_form(app, req, res, 200, &f, NULL, saved_notice(req));
}

/* ---- saving -------------------------------------------------------------------------- */

/*
 * s cut at each comma, each item trimmed, empty ones dropped ("a, b, c" → tags), in a.
 */
static size_t split_list(struct str s, struct arena *a, struct str **out)
{
    size_t cap = 1;
    for (size_t i = 0; i < s.len; i++)
        cap += s.ptr[i] == ',';
    struct str *v = arena_calloc(a, cap, sizeof(*v));
    size_t n = 0;
    while (s.len) {
        const char *at = memchr(s.ptr, ',', s.len);
        size_t len = at ? (size_t)(at - s.ptr) : s.len;
        struct str item = str_trim((struct str){s.ptr, len});
        if (item.len)
            v[n++] = item;
        s.ptr += len + (at ? 1 : 0);
        s.len -= len + (at ? 1 : 0);
    }
    *out = v;
    return n;
}

enum action { ACT_SAVE, ACT_PUBLISH, ACT_SCHEDULE, ACT_UPDATE, ACT_UNPUBLISH };

static const char *const action_names[] = {"save", "publish", "schedule", "update", "unpublish"};

/* The form's action; an unknown or missing one saves. */
static enum action action_of(const struct request *req)
{
    struct str s = admin_field(req, "action");
    for (size_t i = 0; i < ARRAY_LEN(action_names); i++)
        if (str_eq_cstr(s, action_names[i]))
            return (enum action)i;
    return ACT_SAVE;
}

/* Below Editor, you stay on your own byline: the session's slug goes first if missing. */
static void keep_own_byline(const struct admin_session *s, struct content_draft *d, struct arena *a)
{
    for (size_t i = 0; i < d->nauthors; i++)
        if (str_eq(d->authors[i], s->slug))
            return;
    if (s->role >= AUTH_EDITOR)
        return;
    struct str *v = arena_calloc(a, d->nauthors + 1, sizeof(*v));
    v[0] = s->slug;
    memcpy(v + 1, d->authors, d->nauthors * sizeof(*v));
    d->authors = v;
    d->nauthors++;
}

/* The time a schedule asks for: a valid local time in the future, for an unpublished post. */
static enum err_code schedule_at(const struct form *f, enum content_status was, int64_t *at,
                                 struct err *err)
{
    if (!f->publish_at.len)
        return err_set(err, ERR_INVALID, "choose a date and time to schedule it for");
    if (!time_parse_local(f->publish_at, at))
        return err_set(err, ERR_INVALID, "'%.*s' is not a date and time",
                       (int)(f->publish_at.len > 40 ? 40 : f->publish_at.len), f->publish_at.ptr);
    if (*at <= time_now())
        return err_set(err, ERR_INVALID,
                       "that time has passed: choose a time in the future, or publish now");
    if (was == CONTENT_PUBLISHED)
        return err_set(err, ERR_INVALID, "it is already published: unpublish it first");
    return ERR_OK;
}

/* The status and publication time the action asks for, from a post that was `old`. */
static enum err_code apply_action(const struct form *f, const struct content_post *old,
                                  enum action act, struct content_draft *d, struct err *err)
{
    enum content_status was = old ? old->status : CONTENT_DRAFT;
    d->status = act == ACT_UNPUBLISH ? CONTENT_DRAFT : was;
    if (act == ACT_SAVE && was == CONTENT_SCHEDULED && old) {
        d->has_published_at = true;
        d->published_at = old->published_at;
    }
    if (act == ACT_PUBLISH) {
        d->status = CONTENT_PUBLISHED;
        /* published now, not at a time once scheduled */
        d->has_published_at = was != CONTENT_PUBLISHED;
        d->published_at = d->has_published_at ? time_now() : 0;
    }
    if (act != ACT_SCHEDULE)
        return ERR_OK;
    d->status = CONTENT_SCHEDULED;
    d->has_published_at = true;
    return schedule_at(f, was, &d->published_at, err);
}

/*
 * The draft the form describes, with the status and time the action asks for. Returns
 * ERR_INVALID / ERR_TOOBIG with a message for the editor.
 */
static enum err_code build_draft(const struct request *req, const struct form *f,
                                 const struct content_post *old, enum action act,
                                 struct content_draft *d, struct err *err)
{
    *d = (struct content_draft){
        .title = f->title,
        .slug = f->slug,
        .markdown = f->markdown,
        .custom_excerpt = f->excerpt,
        .feature_image = f->image,
        .feature_image_alt = f->image_alt,
        .featured = f->featured,
    };
    d->ntags = split_list(f->tags, req->arena, &d->tags);
    d->nauthors = split_list(f->authors, req->arena, &d->authors);
    keep_own_byline(admin_session_of(req), d, req->arena);
    enum err_code rc = content_draft_check(d, err);
    if (!rc)
        rc = admin_picks_check(req, d, err); /* no new tag without confirmation (pickers.c) */
    return rc ? rc : apply_action(f, old, act, d, err);
}

/* The audit name of a transition, or NULL when it is not one worth a line. */
static const char *audit_of(enum content_status was, enum content_status now, bool created)
{
    if (now == CONTENT_PUBLISHED && was != CONTENT_PUBLISHED)
        return "publish";
    if (now == CONTENT_SCHEDULED && was != CONTENT_SCHEDULED)
        return "schedule";
    if (was == CONTENT_PUBLISHED && now != CONTENT_PUBLISHED)
        return "unpublish";
    if (was == CONTENT_SCHEDULED && now == CONTENT_DRAFT)
        return "unschedule";
    if (was == CONTENT_PUBLISHED && now == CONTENT_PUBLISHED)
        return "correct";
    return created ? "create" : NULL;
}

/* A save in progress: the post as it was (old, when have_old) and what the form asks. */
struct save {
    struct form f;
    enum action act;
    struct content_post old;
    bool have_old;
    struct content_draft d;
};

/* The post, its revision and, for a change readers see, an audit line: one transaction. */
static enum err_code write_post(struct app *app, const struct request *req, struct save *sv,
                                int64_t *id, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct newsroom_opts opts = {.may_create_tags = auth_can(s->role, AUTH_TAG_CREATE, NULL),
                                 .default_author = s->user_id};
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    struct str slug;
    rc = sv->have_old ? newsroom_post_update(st, *id, &sv->d, &opts, req->arena, &slug, err)
                      : newsroom_post_add(st, &sv->d, &opts, req->arena, id, &slug, err);
    const char *what =
        audit_of(sv->have_old ? sv->old.status : CONTENT_DRAFT, sv->d.status, !sv->have_old);
    if (!rc)
        rc = store_revision_add(st, *id, s->user_id, action_names[sv->act], str_trim(sv->d.title),
                                sv->d.markdown, err);
    if (!rc && what)
        rc = store_audit(st, s->user_id, what,
                         str_from(arena_printf(req->arena, "post:%lld /%.*s/", (long long)*id,
                                               (int)slug.len, slug.ptr)),
                         str_trim(sv->d.title), admin_client_address(app, req), err);
    return store_tx_end(st, rc, err);
}

/* Why this session may not make the change readers would see, or NULL when it may. */
static const char *publish_refusal(const struct request *req, const struct save *sv)
{
    const struct admin_session *s = admin_session_of(req);
    struct auth_post rights = sv->have_old ? admin_post_rights(&sv->old, s)
                                           : (struct auth_post){.own = true, .published = false};
    bool public_change = sv->act == ACT_PUBLISH || sv->act == ACT_SCHEDULE ||
                         sv->act == ACT_UNPUBLISH ||
                         (sv->have_old && sv->old.status == CONTENT_PUBLISHED);
    if (!public_change || auth_can(s->role, AUTH_POST_PUBLISH, &rights))
        return NULL;
    return s->role == AUTH_CONTRIBUTOR ? "Contributors cannot publish or schedule: save the "
                                         "draft and ask an editor to publish it."
                                       : "You can publish only your own posts.";
}

/* The form as submitted, over the post it edits (writing it was checked: any staff may start one).
 */
static enum err_code save_of(const struct request *req, int64_t id, struct save *sv,
                             struct err *err)
{
    sv->f = (struct form){.id = id, .status = CONTENT_DRAFT};
    form_from_request(&sv->f, req);
    sv->act = action_of(req);
    sv->have_old = id != 0;
    if (!id)
        return ERR_OK;
    enum err_code rc = admin_post_for(req, id, AUTH_POST_WRITE, &sv->old, err);
    if (rc)
        return rc;
    sv->f.status = sv->old.status;
    sv->f.url = public_url(&sv->old, req->arena);
    return ERR_OK;
}

static int status_of_refusal(enum err_code rc)
{
    return rc == ERR_FORBIDDEN ? 403 : rc == ERR_CONFLICT ? 409 : rc == ERR_TOOBIG ? 413 : 400;
}

enum err_code admin_post_save(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    int64_t id;
    struct save sv;
    enum err_code rc = route_post_id(req, &id, err);
    if (!rc)
        rc = save_of(req, id, &sv, err);
    if (rc)
        return rc;
    const char *refusal = publish_refusal(req, &sv);
    if (refusal)
        return render_form(app, req, res, 403, &sv.f, refusal, NULL);
    rc = build_draft(req, &sv.f, sv.have_old ? &sv.old : NULL, sv.act, &sv.d, err);
    if (!rc)
        rc = write_post(app, req, &sv, &id, err);
    if (rc == ERR_BUSY || rc == ERR_INTERNAL || rc == ERR_IO)
        return rc;
    if (rc)
        return render_form(app, req, res, status_of_refusal(rc), &sv.f, err->msg, NULL);
    return admin_redirect(res, arena_printf(req->arena, "/admin/posts/%lld/?saved=%s",
                                            (long long)id, content_status_name(sv.d.status)));
}

/* ---- deleting, previewing ------------------------------------------------------------ */

enum err_code admin_post_delete(struct app *app, const struct request *req, struct response *res,
                                struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    int64_t id = admin_param_id(req);
    struct content_post p;
    enum err_code rc = admin_post_for(req, id, AUTH_POST_DELETE, &p, err);
    if (rc)
        return rc;
    if (!str_eq_cstr(admin_field(req, "confirm"), "yes"))
        return err_set(err, ERR_INVALID, "tick “Yes, delete this post for good” to confirm");
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_post_delete(st, id, err);
    if (!rc)
        rc = store_audit(st, s->user_id, "delete",
                         str_from(arena_printf(req->arena, "post:%lld /%.*s/", (long long)id,
                                               (int)p.slug.len, p.slug.ptr)),
                         p.title, admin_client_address(app, req), err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, "/admin/");
}

/*
 * The live preview's fragment: the post body as readers would see it, or the reason it
 * cannot be shown. A fragment for the editor's script, not a page: no template.
 */
enum err_code admin_preview(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    (void)app;
    struct str md = admin_field_raw(req, "markdown");
    struct str html, text;
    enum err_code rc = content_markdown_render(md, req->arena, &html, &text, err);
    res->content_type = "text/html; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    if (!rc) {
        /* what the site will print as "N min read" (form.js shows it as staff type) */
        size_t image = admin_field(req, "feature_image").len ? 1 : 0;
        http_response_header(res, "x-word-count",
                             str_from(arena_printf(req->arena, "%zu", content_word_count(html))));
        http_response_header(
            res, "x-reading-minutes",
            str_from(arena_printf(req->arena, "%d", content_reading_minutes(html, image))));
        return buf_append_str(&res->body, html);
    }
    res->status = rc == ERR_TOOBIG ? 413 : 400;
    buf_puts(&res->body, "<p class=\"notice error\">");
    buf_append_html(&res->body, err->msg, strlen(err->msg));
    buf_puts(&res->body, "</p>");
    return ERR_OK;
}
