/*
 * The post editor: the form with live preview, saving with the actions a desk needs
 * (save draft, publish now, schedule, update, unpublish), deleting, and the preview.
 *
 * Each save is one transaction: the post, a revision of what was saved, and for
 * publication changes an audit entry. The change log in that transaction refreshes the
 * public pages the moment it commits. A save that is refused for what the form says
 * shows the form again, with the editor's text and the reason, never losing what they
 * typed.
 *
 * The form carries the version of the post it was read at (posts.version): a save or an
 * autosave against another one is a conflict (409), its text kept as a 'conflict'
 * revision that the revision page shows next to the post. Autosave saves a draft itself
 * and keeps a pending revision for a live post; a text sent after the session ended
 * comes back through the login form (session.c) and is kept as an 'expired' revision.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "json/json.h"
#include "newsroom/newsroom.h"
#include "site/site.h"

#include <string.h>

/* What the form shows: a stored post, or what was just submitted (after an error). */
struct form {
    int64_t id;
    struct str title, slug, markdown, tags, authors, excerpt, image, image_alt, image_caption,
        publish_at;
    bool featured;
    enum content_status status;
    struct str preview; /* rendered HTML */
    struct str url;     /* the public URL when published */
    int64_t version;    /* the post's version the form was read at (0: none, or unknown) */
    int64_t updated_at;
    /* breaking news and placement: the time as the datetime-local field has it */
    bool breaking, pin_home, pin_section;
    struct str breaking_until, label;
    /* corrections: the note readers see, and a minor edit that leaves "Updated" alone */
    struct str correction;
    bool minor;
};

/* What the page adds around the form: a refused save, a text kept or pending, presence. */
struct extras {
    int64_t conflict_id; /* the refused text's 'conflict' revision */
    int64_t theirs_version;
    struct str conflict_action;
    int64_t pending_id; /* the session's autosave of a live post, not yet saved */
    struct str pending_when;
    int64_t kept_id; /* the text sent when the session had ended */
    struct str kept_when;
    struct str kept_restore; /* the link that fills the form with it */
    struct str others;       /* "Ana Reporter is also editing this post" */
    bool confirm_unpublish;  /* the step that asks before readers lose the story */
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
    struct str title, markdown, tags, authors, excerpt, image, image_alt, image_caption, slug,
        publish_at;
    struct str preview; /* HTML our Markdown renderer made */
    bool featured;
    bool can_publish;
    const struct admin_button *buttons;
    size_t nbuttons;
    int64_t version, updated_at;
    struct str autosave_url;
    int64_t conflict_id, theirs_version;
    struct str conflict_action;
    int64_t pending_id;
    struct str pending_when;
    int64_t kept_id;
    struct str kept_when;
    struct str kept_restore;
    struct str others;
    bool breaking, pin_home, pin_section;
    struct str breaking_until;
    bool label_breaking, label_live; /* which option of the label's select is chosen */
    /* corrections */
    struct str correction;
    int64_t correction_max;
    bool minor, show_minor, confirm_unpublish;
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
    RENDER_STR_FIELD(struct admin_editor_view, image_caption),
    RENDER_STR_FIELD(struct admin_editor_view, slug),
    RENDER_STR_FIELD(struct admin_editor_view, publish_at),
    RENDER_HTML_FIELD(struct admin_editor_view, preview),
    RENDER_BOOL_FIELD(struct admin_editor_view, featured),
    RENDER_BOOL_FIELD(struct admin_editor_view, can_publish),
    RENDER_LIST_FIELD(struct admin_editor_view, buttons, nbuttons, &button_type),
    RENDER_INT_FIELD(struct admin_editor_view, version),
    RENDER_INT_FIELD(struct admin_editor_view, updated_at),
    RENDER_STR_FIELD(struct admin_editor_view, autosave_url),
    RENDER_INT_FIELD(struct admin_editor_view, conflict_id),
    RENDER_INT_FIELD(struct admin_editor_view, theirs_version),
    RENDER_STR_FIELD(struct admin_editor_view, conflict_action),
    RENDER_INT_FIELD(struct admin_editor_view, pending_id),
    RENDER_STR_FIELD(struct admin_editor_view, pending_when),
    RENDER_INT_FIELD(struct admin_editor_view, kept_id),
    RENDER_STR_FIELD(struct admin_editor_view, kept_when),
    RENDER_STR_FIELD(struct admin_editor_view, kept_restore),
    RENDER_STR_FIELD(struct admin_editor_view, others),
    RENDER_BOOL_FIELD(struct admin_editor_view, breaking),
    RENDER_BOOL_FIELD(struct admin_editor_view, pin_home),
    RENDER_BOOL_FIELD(struct admin_editor_view, pin_section),
    RENDER_STR_FIELD(struct admin_editor_view, breaking_until),
    RENDER_BOOL_FIELD(struct admin_editor_view, label_breaking),
    RENDER_BOOL_FIELD(struct admin_editor_view, label_live),
    RENDER_STR_FIELD(struct admin_editor_view, correction),
    RENDER_INT_FIELD(struct admin_editor_view, correction_max),
    RENDER_BOOL_FIELD(struct admin_editor_view, minor),
    RENDER_BOOL_FIELD(struct admin_editor_view, show_minor),
    RENDER_BOOL_FIELD(struct admin_editor_view, confirm_unpublish),
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

static void editor_view(const struct form *f, const struct extras *x, bool can_publish,
                        struct arena *a, struct admin_editor_view *e)
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
        .image_caption = f->image_caption,
        .slug = f->slug,
        .publish_at = f->publish_at,
        .preview = f->preview,
        .featured = f->featured,
        .can_publish = can_publish,
        .version = f->version,
        .updated_at = f->updated_at,
        .conflict_id = x->conflict_id,
        .theirs_version = x->theirs_version,
        .conflict_action = x->conflict_action,
        .pending_id = x->pending_id,
        .pending_when = x->pending_when,
        .kept_id = x->kept_id,
        .kept_when = x->kept_when,
        .kept_restore = x->kept_restore,
        .others = x->others,
        .breaking = f->breaking,
        .pin_home = f->pin_home,
        .pin_section = f->pin_section,
        .breaking_until = f->breaking_until,
        .label_breaking = str_eq_cstr(f->label, "breaking"),
        .label_live = str_eq_cstr(f->label, "live"),
        .correction = f->correction,
        .correction_max = CONTENT_CORRECTION_MAX,
        .minor = f->minor,
        .show_minor = f->status == CONTENT_PUBLISHED && can_publish,
        .confirm_unpublish = x->confirm_unpublish,
    };
    e->autosave_url =
        str_from(f->id ? arena_printf(a, "/admin/posts/%lld/autosave/", (long long)f->id)
                       : "/admin/posts/new/autosave/");
    e->save_url = f->id ? str_from(arena_printf(a, "/admin/posts/%lld/", (long long)f->id))
                        : STR_LIT("/admin/posts/new/");
    struct admin_button *b = arena_calloc(a, 4, sizeof(*b));
    e->nbuttons = buttons_of(f->status, can_publish, b);
    if (x->confirm_unpublish) { /* the one button left is the confirmation's */
        e->nbuttons = 0;
        add_button(b, &e->nbuttons, "unpublish", "Yes, unpublish", "danger");
    }
    e->buttons = b;
}

static enum err_code render_page(struct app *app, const struct request *req, struct response *res,
                                 int status, const struct form *f, const struct extras *x,
                                 const char *error, const char *notice)
{
    const struct admin_session *s = admin_session_of(req);
    struct auth_post rights = {.own = true, .published = f->status != CONTENT_DRAFT};
    struct admin_editor_view e;
    editor_view(f, x, auth_can(s->role, AUTH_POST_PUBLISH, &rights), req->arena, &e);
    struct admin_view v = {.title = e.heading, .editor = &e};
    v.tools = admin_tools_of(req, &(struct admin_tools_in){f->id, f->status, f->tags, f->markdown,
                                                           f->preview, f->image});
    admin_view_notices(&v, error, notice);
    return admin_show(app, req, res, status, ADMIN_TPL_EDITOR, f->id ? "posts" : "new", &v);
}

static enum err_code render_form(struct app *app, const struct request *req, struct response *res,
                                 int status, const struct form *f, const char *error,
                                 const char *notice)
{
    struct extras x = {0};
    return render_page(app, req, res, status, f, &x, error, notice);
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

/* t as a datetime-local field shows it, in the site's time zone, in a. */
static struct str input_time(int64_t t, struct arena *a)
{
    char when[20];
    time_fmt_input_local(t, when);
    return str_from(arena_strndup(a, when, strlen(when)));
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
        .image_caption = p->feature_image_caption,
        .featured = p->featured,
        .status = p->status,
        .preview = p->html,
        .url = public_url(p, a),
        .breaking = p->breaking,
        .pin_home = (p->pinned & CONTENT_PIN_HOME) != 0,
        .pin_section = (p->pinned & CONTENT_PIN_SECTION) != 0,
        .label = str_from(content_label_name(p->label)),
        .correction = p->correction,
    };
    if (p->status == CONTENT_SCHEDULED)
        f->publish_at = input_time(p->published_at, a);
    if (p->breaking && p->breaking_until)
        f->breaking_until = input_time(p->breaking_until, a);
}

/* A positive number from a form field, or 0. */
static int64_t field_id(const struct request *req, const char *name)
{
    int64_t n;
    return str_to_i64(admin_field(req, name), &n) && n > 0 ? n : 0;
}

static void form_from_request(struct form *f, const struct request *req)
{
    f->version = field_id(req, "version");
    f->updated_at = field_id(req, "updated_at");
    f->title = admin_field(req, "title");
    f->slug = admin_field(req, "slug");
    f->markdown = admin_field_raw(req, "markdown");
    f->tags = admin_field(req, "tags");
    f->authors = admin_field(req, "authors");
    f->excerpt = admin_field(req, "excerpt");
    f->image = admin_field(req, "feature_image");
    f->image_alt = admin_field(req, "feature_image_alt");
    f->image_caption = admin_field(req, "feature_image_caption");
    f->publish_at = admin_field(req, "publish_at");
    f->featured = admin_field(req, "featured").len > 0;
    f->breaking = admin_field(req, "breaking").len > 0;
    f->breaking_until = admin_field(req, "breaking_until");
    f->label = admin_field(req, "label");
    f->pin_home = admin_field(req, "pin_home").len > 0;
    f->pin_section = admin_field(req, "pin_section").len > 0;
    f->correction = admin_field_raw(req, "correction");
    f->minor = admin_field(req, "minor").len > 0;
}

/* What the editor is told after a save redirected back to the form (?saved=...). */
static const char *saved_notice(const struct request *req)
{
    if (!admin_query_has(req, "saved"))
        return NULL;
    static const struct {
        const char *key, *notice;
    } notices[] = {
        {"published", "Published: readers see it now."},
        {"updated", "Updated: readers see it now."},
        {"minor", "Updated (minor edit): readers see it now, not marked as updated."},
        {"unpublished", "Unpublished: readers no longer see it."},
        {"unscheduled", "Back to draft: it will not be published."},
        {"scheduled", "Scheduled: readers see it at the time set."},
        {"draft", "Saved as a draft: readers do not see it."},
        {"restored-live", "Revision restored: readers see it now."},
        {"restored", "Revision restored."},
    };
    struct str saved = admin_query(req, "saved");
    for (size_t i = 0; i < ARRAY_LEN(notices); i++)
        if (str_eq_cstr(saved, notices[i].key))
            return notices[i].notice;
    return "Saved.";
}

/* The route's {id}: 0 for a new post, ERR_NOTFOUND for an id that is not a number. */
static enum err_code route_post_id(const struct request *req, int64_t *id, struct err *err)
{
    *id = admin_param_id(req);
    if (!*id && http_request_param(req, "id").len)
        return err_set(err, ERR_NOTFOUND, "that is not a post's address");
    return ERR_OK;
}

/* "10:42" in the site's time zone, in a. */
static struct str clock_of(int64_t t, struct arena *a)
{
    struct time_local l;
    time_fmt_local(t, &l);
    return str_from(arena_strdup(a, l.clock));
}

/* The revision the query's `name` names, when it is one of post id's. */
static bool query_revision(const struct request *req, const char *name, int64_t id,
                           struct store_revision *r)
{
    int64_t rev;
    struct err e = {0};
    return str_to_i64(admin_query(req, name), &rev) && rev > 0 &&
           store_revision_get(app_store(req), rev, req->arena, r, &e) == ERR_OK && r->post_id == id;
}

/*
 * ?restore=REV: a kept text (a refused save, an autosave, a text sent after the session
 * ended) back in the form, not in the post. The form's version is the one the text was
 * written against (?v=, or the post's when it has not changed since): saving it over a
 * newer post is a conflict like any other.
 */
static const char *restore_into(const struct request *req, struct form *f)
{
    struct store_revision r;
    if (!query_revision(req, "restore", f->id, &r))
        return NULL;
    f->title = r.title;
    f->markdown = r.markdown;
    if (r.recorded) { /* every field it kept, as the editor had them */
        f->excerpt = r.excerpt;
        f->tags = r.tags;
        f->authors = r.authors;
        f->image = r.feature_image;
        f->image_alt = r.feature_image_alt;
        f->image_caption = r.feature_image_caption;
        f->correction = r.correction;
        f->minor = r.minor;
    }
    int64_t v;
    if (str_to_i64(admin_query(req, "v"), &v) && v > 0) /* 0: not known */
        f->version = v;
    else if (r.created_at < f->updated_at)
        f->version = 0;
    return "Your kept text is back in the form: it is not saved yet.";
}

/* The session's pending autosave of a scheduled or published post, when it differs. */
static void pending_of(const struct request *req, const struct content_post *p, struct extras *x)
{
    struct store_revision r;
    struct err e = {0};
    if (p->status == CONTENT_DRAFT ||
        store_revision_pending(app_store(req), p->id, admin_session_of(req)->user_id, req->arena,
                               &r, &e))
        return;
    if (str_eq(r.markdown, p->markdown) && str_eq(r.title, p->title) &&
        (!r.recorded || str_eq(r.correction, p->correction)))
        return;
    x->pending_id = r.id;
    x->pending_when = clock_of(r.created_at, req->arena);
}

static enum err_code post_page(struct app *app, const struct request *req, struct response *res,
                               const struct content_post *p, struct err *err)
{
    struct form f;
    struct extras x = {0};
    int64_t version, updated;
    /* the version before the text: a change in between shows as a conflict, never lost */
    enum err_code rc = store_post_version(app_store(req), p->id, &version, &updated, err);
    if (rc)
        return rc;
    form_from_post(&f, p, req->arena);
    f.version = version;
    f.updated_at = updated;
    struct store_revision kept;
    if (query_revision(req, "kept", p->id, &kept)) {
        x.kept_id = kept.id;
        x.kept_when = clock_of(kept.created_at, req->arena);
        int64_t v;
        if (!str_to_i64(admin_query(req, "v"), &v) || v < 0)
            v = 0;
        x.kept_restore = str_from(arena_printf(req->arena, "/admin/posts/%lld/?restore=%lld&v=%lld",
                                               (long long)p->id, (long long)kept.id, (long long)v));
    }
    const char *notice = restore_into(req, &f);
    if (!notice)
        pending_of(req, p, &x);
    x.others = admin_presence_note(app, req, p->id);
    return render_page(app, req, res, 200, &f, &x, NULL, notice ? notice : saved_notice(req));
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
    return rc ? rc : post_page(app, req, res, &p, err);
}

/* ---- saving -------------------------------------------------------------------------- */

enum action { ACT_SAVE, ACT_PUBLISH, ACT_SCHEDULE, ACT_UPDATE, ACT_UNPUBLISH };

static const char *const action_names[] = {"save", "publish", "schedule", "update", "unpublish"};

/* The action a field names; an unknown or missing one saves. */
static enum action action_of(const struct request *req, const char *field)
{
    struct str s = admin_field(req, field);
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

/*
 * Breaking news and placement as the form asks: the end time is a valid local time, and
 * only with Breaking news ticked (a time left behind would otherwise mark the post again).
 * Whether the post may have them is the newsroom's to say (newsroom_post_add/update).
 */
static enum err_code desk_of(const struct form *f, struct content_draft *d, struct err *err)
{
    d->breaking = f->breaking;
    d->pinned = (f->pin_home ? CONTENT_PIN_HOME : 0) | (f->pin_section ? CONTENT_PIN_SECTION : 0);
    if (!content_label_parse(f->label, &d->label))
        return err_set(err, ERR_INVALID, "choose a label from the list: none, Breaking or Live");
    if (!f->breaking_until.len)
        return ERR_OK;
    if (!f->breaking)
        return err_set(err, ERR_INVALID,
                       "tick Breaking news to set when it ends, or clear the time");
    if (!time_parse_local(f->breaking_until, &d->breaking_until))
        return err_set(err, ERR_INVALID, "'%.*s' is not a date and time",
                       (int)(f->breaking_until.len > 40 ? 40 : f->breaking_until.len),
                       f->breaking_until.ptr);
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

/* The draft the form's fields describe, unchecked (as a kept text's revision records it):
 * no session is needed, for the text carried through the login form has none yet. */
static void form_draft(const struct request *req, const struct form *f, struct content_draft *d)
{
    *d = (struct content_draft){
        .title = f->title,
        .slug = f->slug,
        .markdown = f->markdown,
        .custom_excerpt = f->excerpt,
        .feature_image = f->image,
        .feature_image_alt = f->image_alt,
        .feature_image_caption = f->image_caption,
        .featured = f->featured,
        .correction = f->correction,
        .minor = f->minor,
    };
    d->ntags = newsroom_list_split(f->tags, req->arena, &d->tags);
    d->nauthors = newsroom_list_split(f->authors, req->arena, &d->authors);
}

/* The revision that keeps the form's text as it is, under `action`, in the request's arena. */
static void form_revision(const struct request *req, const struct form *f, const char *action,
                          struct store_revision *r)
{
    struct content_draft d;
    form_draft(req, f, &d);
    newsroom_revision_of(&d, action, req->arena, r);
}

/*
 * The draft the form describes, with the status and time the action asks for. Returns
 * ERR_INVALID / ERR_TOOBIG with a message for the editor.
 */
static enum err_code build_draft(const struct request *req, const struct form *f,
                                 const struct content_post *old, enum action act,
                                 struct content_draft *d, struct err *err)
{
    form_draft(req, f, d);
    keep_own_byline(admin_session_of(req), d, req->arena);
    enum err_code rc = content_draft_check(d, err);
    if (!rc)
        rc = desk_of(f, d, err);
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

/* A save against another version than the stored one: who made that one, and when. */
struct conflict {
    int64_t version; /* the stored one; 0: no conflict */
    int64_t rev_id;  /* the refused text, kept as a 'conflict' revision */
    struct str by;   /* who saved the stored version ("" when unknown: the CLI, the scheduler) */
    int64_t by_id;
    int64_t at;
};

/* A save in progress: the post as it was (old, when have_old) and what the form asks. */
struct save {
    struct form f;
    enum action act;
    struct content_post old;
    bool have_old;
    struct content_draft d;
    struct conflict c;
};

/*
 * ERR_CONFLICT (and sv->c) when the form was not read at the stored version of the post,
 * or says no version at all. Inside the write transaction, so no save slips in between.
 */
static enum err_code check_version(struct store *st, const struct request *req, struct save *sv,
                                   struct err *err)
{
    if (!sv->have_old)
        return ERR_OK;
    int64_t version, updated;
    enum err_code rc = store_post_version(st, sv->f.id, &version, &updated, err);
    if (rc || sv->f.version == version)
        return rc;
    sv->c = (struct conflict){.version = version, .at = updated};
    struct store_revision r;
    rc = store_revision_last_change(st, sv->f.id, sv->old.status == CONTENT_DRAFT, req->arena, &r,
                                    err);
    if (rc && rc != ERR_NOTFOUND)
        return rc;
    /* the revision names who only if it came with the change (the CLI leaves none) */
    if (!rc && r.created_at >= updated) {
        sv->c.by = r.user_name;
        sv->c.by_id = r.user_id;
        sv->c.at = r.created_at;
    }
    return err_set(err, ERR_CONFLICT, "this post changed after you opened it");
}

/* A refused save's text, kept as a revision in its own committed transaction. */
static enum err_code keep_conflict(struct store *st, const struct request *req, struct save *sv,
                                   struct err *err)
{
    struct err e = {0};
    struct store_revision r;
    form_revision(req, &sv->f, "conflict", &r);
    enum err_code rc =
        store_revision_keep(st, sv->f.id, admin_session_of(req)->user_id, &r, &sv->c.rev_id, &e);
    rc = store_tx_end(st, rc, &e);
    if (rc)
        return err_set(err, rc, "%s", e.msg);
    return err_set(err, ERR_CONFLICT, "this post changed after you opened it");
}

/*
 * A stale form is refused before its contents are checked, whatever the action: the
 * reader's connection says so cheaply, and the writer's transaction confirms it (and
 * keeps the text). write_post checks again: this one only answers early.
 */
static enum err_code refuse_stale(struct app *app, const struct request *req, struct save *sv,
                                  struct err *err)
{
    int64_t version, updated;
    if (!sv->have_old)
        return ERR_OK;
    enum err_code rc = store_post_version(app_store(req), sv->f.id, &version, &updated, err);
    if (rc || sv->f.version == version)
        return rc;
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = check_version(st, req, sv, err);
    if (rc == ERR_CONFLICT && sv->c.version)
        return keep_conflict(st, req, sv, err);
    return store_tx_end(st, rc, err);
}

/* The post, its revision and, for a change readers see, an audit line: one transaction. */
static enum err_code write_post(struct app *app, const struct request *req, struct save *sv,
                                int64_t *id, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct newsroom_opts opts = {.may_create_tags = auth_can(s->role, AUTH_TAG_CREATE, NULL),
                                 .default_author = s->user_id,
                                 .site_url = site_settings_of(app->site)->url};
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = check_version(st, req, sv, err);
    if (rc == ERR_CONFLICT && sv->c.version)
        return keep_conflict(st, req, sv, err);
    struct str slug;
    if (!rc)
        rc = sv->have_old ? newsroom_post_update(st, *id, &sv->d, &opts, req->arena, &slug, err)
                          : newsroom_post_add(st, &sv->d, &opts, req->arena, id, &slug, err);
    const char *what =
        audit_of(sv->have_old ? sv->old.status : CONTENT_DRAFT, sv->d.status, !sv->have_old);
    struct store_revision r;
    newsroom_revision_of(&sv->d, action_names[sv->act], req->arena, &r);
    if (!rc)
        rc = store_revision_add(st, *id, s->user_id, &r, err);
    if (!rc) /* saved: the session's pending autosave of it is not pending any more */
        rc = store_revision_pending_drop(st, *id, s->user_id, err);
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
    *sv = (struct save){.f = {.id = id, .status = CONTENT_DRAFT}};
    form_from_request(&sv->f, req);
    sv->act = action_of(req, "action");
    if (str_eq_cstr(admin_field(req, "action"), "mine")) {
        /* "Save mine over theirs": deliberate, against the version the conflict showed */
        sv->act = action_of(req, "mine_action");
        sv->f.version = field_id(req, "theirs_version");
    }
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

/* What the editor is told of a conflict: who saved the post, and when. */
static const char *conflict_message(const struct request *req, const struct conflict *c)
{
    struct str at = clock_of(c->at, req->arena);
    const char *rest = "Your text is below and kept as a revision: compare the two, then save "
                       "yours over theirs or copy from theirs.";
    if (c->by_id && c->by_id == admin_session_of(req)->user_id)
        return arena_printf(req->arena,
                            "You saved this post at %.*s in another tab or window, after this "
                            "page opened it. %s",
                            (int)at.len, at.ptr, rest);
    if (c->by.len)
        return arena_printf(req->arena, "%.*s saved this post at %.*s, after you opened it. %s",
                            (int)c->by.len, c->by.ptr, (int)at.len, at.ptr, rest);
    return arena_printf(req->arena, "This post was changed at %.*s, after you opened it. %s",
                        (int)at.len, at.ptr, rest);
}

/* 409: the form again with the refused text, what happened, and the ways on. */
static enum err_code render_conflict(struct app *app, const struct request *req,
                                     struct response *res, const struct save *sv)
{
    struct extras x = {.conflict_id = sv->c.rev_id,
                       .theirs_version = sv->c.version,
                       .conflict_action = str_from(action_names[sv->act])};
    return render_page(app, req, res, 409, &sv->f, &x, conflict_message(req, &sv->c), NULL);
}

/* Unpublishing a live post asks first (the form again, with a confirming button). */
static bool unpublish_unconfirmed(const struct request *req, const struct save *sv)
{
    return sv->act == ACT_UNPUBLISH && sv->have_old && sv->old.status == CONTENT_PUBLISHED &&
           !str_eq_cstr(admin_field(req, "confirm"), "yes");
}

/* What saved_notice tells the editor after sv: what readers now see. */
static const char *saved_key(const struct save *sv)
{
    enum content_status was = sv->have_old ? sv->old.status : CONTENT_DRAFT;
    if (was == CONTENT_PUBLISHED && sv->d.status == CONTENT_PUBLISHED)
        return sv->d.minor ? "minor" : "updated";
    if (sv->act == ACT_UNPUBLISH && was != CONTENT_DRAFT)
        return was == CONTENT_PUBLISHED ? "unpublished" : "unscheduled";
    return content_status_name(sv->d.status);
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
    if (!rc)
        rc = refuse_stale(app, req, &sv, err);
    if (rc == ERR_CONFLICT && sv.c.version)
        return render_conflict(app, req, res, &sv);
    if (rc)
        return rc;
    const char *refusal = publish_refusal(req, &sv);
    if (refusal)
        return render_form(app, req, res, 403, &sv.f, refusal, NULL);
    if (unpublish_unconfirmed(req, &sv))
        return render_page(app, req, res, 200, &sv.f, &(struct extras){.confirm_unpublish = true},
                           NULL,
                           "Unpublish it? Readers will no longer see it: its page and its place "
                           "in the feeds go at once. Nothing has changed yet.");
    rc = build_draft(req, &sv.f, sv.have_old ? &sv.old : NULL, sv.act, &sv.d, err);
    if (!rc)
        rc = write_post(app, req, &sv, &id, err);
    if (rc == ERR_CONFLICT && sv.c.version)
        return render_conflict(app, req, res, &sv);
    if (rc == ERR_BUSY || rc == ERR_INTERNAL || rc == ERR_IO)
        return rc;
    if (rc)
        return render_form(app, req, res, status_of_refusal(rc), &sv.f, err->msg, NULL);
    return admin_redirect(res, arena_printf(req->arena, "/admin/posts/%lld/?saved=%s",
                                            (long long)id, saved_key(&sv)));
}

/* ---- autosave ------------------------------------------------------------------------ */

/*
 * While the editor types, the script posts the form here every few seconds. A draft is
 * saved itself (one 'autosave' revision per post and user, replaced in place, not one a
 * keystroke); a new post becomes a draft at its first autosave with a title or a body; a
 * scheduled or published post is never changed: the text is kept as the session's
 * pending 'autosave' revision, offered back when the post is opened again. The version
 * is checked exactly as for a save, so an autosave never overwrites another's change.
 */

struct autosaved {
    int64_t id, version, updated_at;
    bool pending; /* kept as a revision; the post is as it was */
};

/* The draft saved itself (created when new), in the caller's transaction. */
static enum err_code autosave_draft(struct app *app, const struct request *req, struct save *sv,
                                    int64_t *id, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct newsroom_opts opts = {.may_create_tags = auth_can(s->role, AUTH_TAG_CREATE, NULL),
                                 .default_author = s->user_id,
                                 .site_url = site_settings_of(app->site)->url};
    struct store *st = app->writer;
    struct str slug;
    if (sv->have_old)
        return newsroom_post_update(st, *id, &sv->d, &opts, req->arena, &slug, err);
    enum err_code rc = newsroom_post_add(st, &sv->d, &opts, req->arena, id, &slug, err);
    if (!rc)
        rc = store_audit(st, s->user_id, "create",
                         str_from(arena_printf(req->arena, "post:%lld /%.*s/", (long long)*id,
                                               (int)slug.len, slug.ptr)),
                         str_trim(sv->d.title), admin_client_address(app, req), err);
    return rc;
}

static enum err_code write_autosave(struct app *app, const struct request *req, struct save *sv,
                                    struct autosaved *out, struct err *err)
{
    struct store *st = app->writer;
    int64_t user = admin_session_of(req)->user_id, rev;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = check_version(st, req, sv, err);
    out->id = sv->f.id;
    out->pending = sv->have_old && sv->old.status != CONTENT_DRAFT;
    if (!rc && !out->pending)
        rc = autosave_draft(app, req, sv, &out->id, err);
    struct store_revision r;
    form_revision(req, &sv->f, "autosave", &r);
    if (!rc)
        rc = store_revision_pending_set(st, out->id, user, &r, &rev, err);
    if (!rc)
        rc = store_post_version(st, out->id, &out->version, &out->updated_at, err);
    return store_tx_end(st, rc, err);
}

static enum err_code autosave_refused(struct response *res, enum err_code rc, const char *msg)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "error", str_from(msg));
    return admin_json(res, err_http_status(rc), o);
}

/* 409 {error, by, at}: the page stops autosaving and says so, keeping the text. */
static enum err_code autosave_conflict(const struct request *req, struct response *res,
                                       const struct save *sv)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "error", str_from(conflict_message(req, &sv->c)));
    bool self = sv->c.by_id && sv->c.by_id == admin_session_of(req)->user_id;
    json_obj_set_str(o, "by", self ? STR_LIT("you, in another tab") : sv->c.by);
    json_obj_set_str(o, "at", clock_of(sv->c.at, req->arena));
    json_obj_set_int(o, "version", sv->c.version);
    return admin_json(res, 409, o);
}

static enum err_code autosave_answer(const struct request *req, struct response *res,
                                     const struct autosaved *out)
{
    struct json *o = json_obj_new();
    json_obj_set_int(o, "id", out->id);
    json_obj_set_int(o, "version", out->version);
    json_obj_set_int(o, "updated_at", out->updated_at);
    json_obj_set_str(o, "saved_at", clock_of(time_now(), req->arena));
    json_obj_set_bool(o, "pending", out->pending);
    json_obj_set_str(o, "url",
                     str_from(arena_printf(req->arena, "/admin/posts/%lld/", (long long)out->id)));
    return admin_json(res, 200, o);
}

/* The form as an autosave sees it: always a plain save, never an empty title. */
static enum err_code autosave_of(const struct request *req, int64_t id, struct save *sv,
                                 struct err *err)
{
    enum err_code rc = save_of(req, id, sv, err);
    if (rc)
        return rc;
    sv->act = ACT_SAVE;
    if (sv->f.markdown.len > CONTENT_MARKDOWN_MAX)
        return err_set(err, ERR_TOOBIG, "the body is larger than %d KB: not saved",
                       CONTENT_MARKDOWN_MAX / 1024);
    if (sv->f.correction.len > CONTENT_CORRECTION_MAX)
        return err_set(err, ERR_TOOBIG, "the correction note is longer than %d bytes: not saved",
                       CONTENT_CORRECTION_MAX);
    if (!sv->f.title.len)
        sv->f.title = STR_LIT("Untitled");
    if (sv->have_old && sv->old.status != CONTENT_DRAFT)
        return ERR_OK;
    return build_draft(req, &sv->f, sv->have_old ? &sv->old : NULL, ACT_SAVE, &sv->d, err);
}

enum err_code admin_post_autosave(struct app *app, const struct request *req, struct response *res,
                                  struct err *err)
{
    int64_t id;
    struct save sv;
    enum err_code rc = route_post_id(req, &id, err);
    bool empty = !admin_field(req, "title").len && !str_trim(admin_field_raw(req, "markdown")).len;
    if (!rc && !id && empty) {
        struct json *o = json_obj_new();
        json_obj_set_bool(o, "saved", false);
        return admin_json(res, 200, o);
    }
    if (!rc)
        rc = autosave_of(req, id, &sv, err);
    struct autosaved out = {0};
    if (!rc)
        rc = write_autosave(app, req, &sv, &out, err);
    if (rc == ERR_CONFLICT && sv.c.version)
        return autosave_conflict(req, res, &sv);
    if (rc == ERR_BUSY || rc == ERR_INTERNAL || rc == ERR_IO)
        return rc;
    return rc ? autosave_refused(res, rc, err->msg) : autosave_answer(req, res, &out);
}

enum err_code admin_post_autosave_discard(struct app *app, const struct request *req,
                                          struct response *res, struct err *err)
{
    struct content_post p;
    enum err_code rc = admin_post_for(req, admin_param_id(req), AUTH_POST_WRITE, &p, err);
    struct store *st = app->writer;
    if (!rc)
        rc = store_tx_begin(st, err);
    if (!rc)
        rc = store_tx_end(
            st, store_revision_pending_drop(st, p.id, admin_session_of(req)->user_id, err), err);
    if (rc)
        return rc;
    return admin_redirect(res, arena_printf(req->arena, "/admin/posts/%lld/", (long long)p.id));
}

/* ---- a text sent after the session ended ---------------------------------------------- */

/* "/admin/posts/12/" → 12, "/admin/posts/new/" → 0, anything else → -1. */
static int64_t editor_path_id(struct str next)
{
    struct str pre = STR_LIT("/admin/posts/");
    if (!str_starts_with(next, "/admin/posts/") || next.len < pre.len + 2 ||
        next.ptr[next.len - 1] != '/')
        return -1;
    struct str mid = {next.ptr + pre.len, next.len - pre.len - 1};
    int64_t id;
    if (str_eq_cstr(mid, "new"))
        return 0;
    return str_to_i64(mid, &id) && id > 0 ? id : -1;
}

/* A new draft of s's holding the carried text (a post it may not write, or a new one). */
static enum err_code kept_draft(struct store *st, const struct request *req,
                                const struct admin_session *s, const struct form *f, int64_t *id,
                                struct err *err)
{
    struct str *author = arena_calloc(req->arena, 1, sizeof(*author));
    *author = s->slug;
    struct content_draft d = {.title = f->title.len ? f->title : STR_LIT("Untitled"),
                              .markdown = f->markdown,
                              .custom_excerpt = f->excerpt,
                              .authors = author,
                              .nauthors = 1,
                              .status = CONTENT_DRAFT};
    enum err_code rc = content_draft_check(&d, err);
    struct newsroom_opts opts = {.default_author = s->user_id};
    struct str slug;
    return rc ? rc : newsroom_post_add(st, &d, &opts, req->arena, id, &slug, err);
}

enum err_code admin_post_keep_expired(struct app *app, const struct request *req,
                                      const struct admin_session *s, struct str next,
                                      const char **location, struct err *err)
{
    struct form f = {0};
    form_from_request(&f, req);
    int64_t id = editor_path_id(next), rev;
    struct content_post p;
    bool may = false;
    if (id > 0) {
        enum err_code rc = store_post_by_id(app_store(req), id, req->arena, &p, err);
        if (rc && rc != ERR_NOTFOUND)
            return rc;
        struct auth_post rights = rc ? (struct auth_post){0} : admin_post_rights(&p, s);
        may = !rc && auth_can(s->role, AUTH_POST_WRITE, &rights);
    }
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (!rc && !may)
        rc = kept_draft(st, req, s, &f, &id, err);
    struct store_revision r;
    form_revision(req, &f, "expired", &r);
    if (!rc)
        rc = store_revision_keep(st, id, s->user_id, &r, &rev, err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    *location = may && f.version ? arena_printf(req->arena, "/admin/posts/%lld/?kept=%lld&v=%lld",
                                                (long long)id, (long long)rev, (long long)f.version)
                                 : arena_printf(req->arena, "/admin/posts/%lld/?kept=%lld",
                                                (long long)id, (long long)rev);
    return ERR_OK;
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
    return admin_redirect(res, "/admin/?deleted=1");
}

/*
 * The live preview's fragment: the post body as readers would see it, or the reason it
 * cannot be shown. A fragment for the editor's script, not a page: no template.
 */
enum err_code admin_preview(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    struct str md = admin_field_raw(req, "markdown");
    struct str html, text;
    /* photos of the library look as they will on the site */
    struct media_finder finder = {app_store(req), site_settings_of(app->site)->url};
    struct content_photos photos = {media_photo_find, &finder,
                                    !admin_field(req, "feature_image").len};
    enum err_code rc = content_markdown_render(md, &photos, req->arena, &html, &text, err);
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
