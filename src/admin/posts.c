/*
 * The editor: the post list, the post form with live preview, saving with the actions a
 * desk needs (save draft, publish now, schedule, update, unpublish, delete), and
 * revisions with their diffs and restore.
 *
 * Each save is one transaction: the post, a revision of what was saved, and for
 * publication changes an audit entry. The change log in that transaction refreshes the
 * public pages the moment it commits.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "newsroom/newsroom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PAGE 50

static const char *status_label(enum content_status s)
{
    return content_status_name(s);
}

/* Whether s is among the post's authors. */
static bool is_own(const struct content_post *p, const struct admin_session *s)
{
    for (size_t i = 0; i < p->nauthors; i++)
        if (p->authors[i].id == s->user_id)
            return true;
    return false;
}

static struct auth_post rights_of(const struct content_post *p, const struct admin_session *s)
{
    return (struct auth_post){.own = is_own(p, s), .published = p->status != CONTENT_DRAFT};
}

/* ---- the list ---------------------------------------------------------------------- */

static void options_authors(struct buf *b, struct store_user *users, size_t n, int64_t sel)
{
    for (size_t i = 0; i < n; i++)
        h(b, "<option value=\"%d\"%R>%S</option>", (long long)users[i].id,
          users[i].id == sel ? " selected" : "", users[i].name);
}

enum err_code admin_posts(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    struct store *st = app_store(req);
    struct store_admin_query q = {.limit = LIST_PAGE};
    struct str v;
    int64_t n;
    static const char *const statuses[] = {"draft", "scheduled", "published"};
    if (http_request_query(req, "status", &v) == ERR_OK)
        for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
            if (str_eq_cstr(v, statuses[i]))
                q.status = statuses[i];
    if (http_request_query(req, "author", &v) == ERR_OK && str_to_i64(v, &n) && n > 0)
        q.author_id = n;
    if (http_request_query(req, "tag", &v) == ERR_OK && str_to_i64(v, &n) && n > 0)
        q.tag_id = n;
    if (http_request_query(req, "q", &v) == ERR_OK)
        q.q = str_trim(v);
    if (q.q.len > 200)
        q.q.len = 200;
    int64_t page = admin_query_page(req);
    q.offset = (page - 1) * LIST_PAGE;

    struct content_post *posts;
    size_t count;
    int64_t total;
    struct store_user *users;
    size_t nusers;
    struct store_tag_row *tags;
    size_t ntags;
    enum err_code rc = store_admin_posts(st, &q, req->arena, &posts, &count, &total, err);
    if (!rc)
        rc = store_users_all(st, req->arena, &users, &nusers, err);
    if (!rc)
        rc = store_tags_all(st, req->arena, &tags, &ntags, err);
    if (rc) {
        log_error("admin posts: %s", err->msg);
        return rc;
    }

    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Posts", "posts");
    h(&b,
      "<h1>Posts</h1><form class=\"filters\" method=\"get\" action=\"/admin/\" "
      "role=\"search\"><div><label for=\"q\">Title</label><input id=\"q\" name=\"q\" "
      "type=\"search\" value=\"%S\"></div><div><label for=\"status\">Status</label>"
      "<select id=\"status\" name=\"status\"><option value=\"\">Any</option>",
      q.q);
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
        h(&b, "<option%R>%R</option>", q.status == statuses[i] ? " selected" : "", statuses[i]);
    h(&b, "</select></div><div><label for=\"author\">Author</label><select id=\"author\" "
          "name=\"author\"><option value=\"\">Anyone</option>");
    options_authors(&b, users, nusers, q.author_id);
    h(&b, "</select></div><div><label for=\"tag\">Tag</label><select id=\"tag\" name=\"tag\">"
          "<option value=\"\">Any</option>");
    for (size_t i = 0; i < ntags; i++)
        h(&b, "<option value=\"%d\"%R>%S</option>", (long long)tags[i].tag.id,
          tags[i].tag.id == q.tag_id ? " selected" : "", tags[i].tag.name);
    h(&b, "</select></div><button type=\"submit\">Filter</button></form>");
    h(&b, "<p class=\"muted\">%d post%R</p>", (long long)total, total == 1 ? "" : "s");
    h(&b, "<table class=\"wide\"><thead><tr><th>Title</th><th>Status</th><th>Author</th>"
          "<th>Section</th><th>Updated</th></tr></thead><tbody>");
    for (size_t i = 0; i < count; i++) {
        const struct content_post *p = &posts[i];
        char when[64];
        h(&b, "<tr><td><a href=\"/admin/posts/%d/\">%S</a>%R</td><td class=\"status\">%s",
          (long long)p->id, p->title, p->featured ? " ★" : "", status_label(p->status));
        if (p->status == CONTENT_SCHEDULED)
            h(&b, "<br><small>for %s</small>", admin_when(p->published_at, when));
        h(&b, "</td><td>%S</td><td>%S</td><td>%s</td></tr>",
          p->nauthors ? p->authors[0].name : STR_LIT(""), p->ntags ? p->tags[0].name : STR_LIT(""),
          admin_when(p->updated_at, when));
    }
    h(&b, "</tbody></table>");
    if (q.offset + (int64_t)count < total) {
        h(&b, "<p><a href=\"/admin/?page=%d", (long long)page + 1);
        if (q.status)
            h(&b, "&amp;status=%s", q.status);
        if (q.author_id)
            h(&b, "&amp;author=%d", (long long)q.author_id);
        if (q.tag_id)
            h(&b, "&amp;tag=%d", (long long)q.tag_id);
        h(&b, "\">Older posts</a></p>");
    }
    admin_page_end(&b);
    return admin_send(res, 200, &b);
}

/* ---- the form ---------------------------------------------------------------------- */

/* What the form shows: a stored post, or what was just submitted (after an error). */
struct form {
    int64_t id;
    struct str title, slug, markdown, tags, authors, excerpt, image, image_alt, publish_at;
    bool featured;
    enum content_status status;
    struct str preview; /* rendered HTML */
    struct str url;     /* the public URL when published */
};

static struct str join_tags(const struct content_post *p, struct arena *a)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    for (size_t i = 0; i < p->ntags; i++)
        buf_printf(&b, "%s%.*s", i ? ", " : "", (int)p->tags[i].name.len, p->tags[i].name.ptr);
    struct str out = arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

static struct str join_authors(const struct content_post *p, struct arena *a)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    for (size_t i = 0; i < p->nauthors; i++)
        buf_printf(&b, "%s%.*s", i ? ", " : "", (int)p->authors[i].slug.len,
                   p->authors[i].slug.ptr);
    struct str out = arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

static void form_from_post(struct form *f, const struct content_post *p, struct arena *a)
{
    memset(f, 0, sizeof(*f));
    f->id = p->id;
    f->title = p->title;
    f->slug = p->slug;
    f->markdown = p->markdown;
    f->tags = join_tags(p, a);
    f->authors = join_authors(p, a);
    f->excerpt = p->custom_excerpt;
    f->image = p->feature_image;
    f->image_alt = p->feature_image_alt;
    f->featured = p->featured;
    f->status = p->status;
    f->preview = p->html;
    if (p->status == CONTENT_SCHEDULED) {
        char when[20];
        time_fmt_input_local(p->published_at, when);
        f->publish_at = str_from(arena_strndup(a, when, strlen(when)));
    }
    if (p->status == CONTENT_PUBLISHED)
        f->url = str_from(arena_printf(a, "/%.*s/", (int)p->slug.len, p->slug.ptr));
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

static void button(struct buf *b, const char *action, const char *label, const char *cls)
{
    h(b, "<button type=\"submit\" name=\"action\" value=\"%R\" class=\"%R\">%R</button>", action,
      cls, label);
}

static enum err_code render_form(const struct request *req, struct response *res, int status,
                                 const struct form *f, const char *error, const char *notice)
{
    const struct admin_session *s = admin_session_of(req);
    struct auth_post rights = {.own = true, .published = f->status != CONTENT_DRAFT};
    bool can_publish = auth_can(s->role, AUTH_POST_PUBLISH, &rights);
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, f->id ? "Edit post" : "New post", f->id ? "posts" : "new");
    h(&b, "<h1>%R</h1>", f->id ? "Edit post" : "New post");
    admin_notice(&b, "error", error);
    admin_notice(&b, "ok", notice);
    if (f->id) {
        h(&b, "<p class=\"muted\">Status: <strong class=\"status\">%s</strong>",
          status_label(f->status));
        if (f->url.len)
            h(&b, " · <a href=\"%S\">View on the site</a>", f->url);
        h(&b, " · <a href=\"/admin/posts/%d/revisions/\">Revisions</a></p>", (long long)f->id);
    }
    if (f->id)
        h(&b, "<form method=\"post\" action=\"/admin/posts/%d/\" id=\"post-form\">",
          (long long)f->id);
    else
        h(&b, "<form method=\"post\" action=\"/admin/posts/new/\" id=\"post-form\">");
    admin_csrf_field(&b, s);
    h(&b,
      "<label for=\"title\">Title</label><input id=\"title\" name=\"title\" type=\"text\" "
      "required maxlength=\"300\" value=\"%S\">"
      "<div class=\"cols\"><div><label for=\"markdown\">Body (Markdown)</label>"
      "<textarea id=\"markdown\" name=\"markdown\">%S</textarea></div>"
      "<div><p id=\"preview-label\"><strong>Preview</strong></p>"
      "<div class=\"preview\" id=\"preview\" aria-labelledby=\"preview-label\" "
      "aria-live=\"polite\">%H</div></div></div>"
      "<label for=\"tags\">Tags <small>(comma-separated; the first is the section)</small>"
      "</label><input id=\"tags\" name=\"tags\" type=\"text\" value=\"%S\">"
      "<label for=\"authors\">Authors <small>(slugs, comma-separated; the first is the "
      "byline)</small></label><input id=\"authors\" name=\"authors\" type=\"text\" "
      "value=\"%S\">"
      "<label for=\"excerpt\">Custom excerpt</label><input id=\"excerpt\" name=\"excerpt\" "
      "type=\"text\" maxlength=\"300\" value=\"%S\">"
      "<label for=\"feature_image\">Feature image URL</label><input id=\"feature_image\" "
      "name=\"feature_image\" type=\"text\" inputmode=\"url\" value=\"%S\">"
      "<label for=\"feature_image_alt\">Feature image alt text</label>"
      "<input id=\"feature_image_alt\" name=\"feature_image_alt\" type=\"text\" value=\"%S\">"
      "<label for=\"slug\">Slug <small>(the address: /slug/; empty: from the title)</small>"
      "</label><input id=\"slug\" name=\"slug\" type=\"text\" value=\"%S\">"
      "<label><input type=\"checkbox\" name=\"featured\" value=\"1\"%R> Featured</label>",
      f->title, f->markdown, f->preview, f->tags, f->authors, f->excerpt, f->image, f->image_alt,
      f->slug, f->featured ? " checked" : "");
    if (can_publish)
        h(&b,
          "<label for=\"publish_at\">Schedule for <small>(the site's time zone)</small>"
          "</label><input id=\"publish_at\" name=\"publish_at\" type=\"datetime-local\" "
          "value=\"%S\">",
          f->publish_at);
    h(&b, "<div class=\"actions\">");
    if (f->status == CONTENT_PUBLISHED) {
        if (can_publish) {
            button(&b, "update", "Update", "");
            button(&b, "unpublish", "Unpublish", "secondary");
        }
    } else {
        button(&b, "save", f->status == CONTENT_SCHEDULED ? "Save" : "Save draft",
               can_publish ? "secondary" : "");
        if (can_publish) {
            button(&b, "publish", "Publish now", "");
            button(&b, "schedule", "Schedule", "secondary");
        }
        if (f->status == CONTENT_SCHEDULED && can_publish)
            button(&b, "unpublish", "Back to draft", "secondary");
    }
    h(&b, "</div></form>");
    if (f->id)
        h(&b,
          "<form method=\"post\" action=\"/admin/posts/%d/delete/\" class=\"actions\">"
          "<input type=\"hidden\" name=\"csrf\" value=\"%S\"><label class=\"plain\">"
          "<input type=\"checkbox\" name=\"confirm\" value=\"yes\" "
          "required> Yes, delete this post for good</label>"
          "<button type=\"submit\" class=\"danger\">Delete</button></form>",
          (long long)f->id, s->csrf);
    admin_page_end(&b);
    return admin_send(res, status, &b);
}

/*
 * Post id, after checking the session may do act to it (AUTH_POST_WRITE or
 * AUTH_POST_DELETE): ERR_NOTFOUND when there is no such post, ERR_FORBIDDEN when the
 * session may not.
 */
static enum err_code post_for(const struct request *req, int64_t id, enum auth_action act,
                              struct content_post *p, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    enum err_code rc = store_post_by_id(app_store(req), id, req->arena, p, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such post: it may have been deleted");
    if (rc)
        return rc;
    struct auth_post rights = rights_of(p, s);
    if (auth_can(s->role, act, &rights))
        return ERR_OK;
    if (act == AUTH_POST_DELETE)
        return err_set(err, ERR_FORBIDDEN,
                       "only an editor, or the post's own author, can delete it");
    return err_set(err, ERR_FORBIDDEN, "%s",
                   s->role == AUTH_CONTRIBUTOR
                       ? "contributors can edit only their own unpublished drafts"
                       : "authors can edit only their own posts");
}

enum err_code admin_post_form(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    struct form f = {0};
    int64_t id = admin_param_id(req);
    if (!id && http_request_param(req, "id").len)
        return err_set(err, ERR_NOTFOUND, "that is not a post's address");
    struct str saved;
    const char *notice = NULL;
    if (http_request_query(req, "saved", &saved) == ERR_OK)
        notice = str_eq_cstr(saved, "published")   ? "Published: readers see it now."
                 : str_eq_cstr(saved, "scheduled") ? "Scheduled."
                 : str_eq_cstr(saved, "draft")     ? "Saved as a draft."
                 : str_eq_cstr(saved, "restored")  ? "Revision restored."
                                                   : "Saved.";
    if (!id) {
        f.status = CONTENT_DRAFT;
        f.authors = s->slug;
        return render_form(req, res, 200, &f, NULL, NULL);
    }
    struct content_post p;
    enum err_code rc = post_for(req, id, AUTH_POST_WRITE, &p, err);
    if (rc)
        return rc;
    form_from_post(&f, &p, req->arena);
    return render_form(req, res, 200, &f, NULL, notice);
}

/*
 * s cut at each sep, in a. With trim, items lose surrounding white space and empty ones
 * are dropped ("a, b, c" → tags); without, every piece stays (the lines of a text).
 */
static size_t split(struct str s, char sep, bool trim, struct arena *a, struct str **out)
{
    size_t cap = 1;
    for (size_t i = 0; i < s.len; i++)
        cap += s.ptr[i] == sep;
    struct str *v = arena_calloc(a, cap, sizeof(*v));
    size_t n = 0;
    while (s.len) {
        const char *at = memchr(s.ptr, sep, s.len);
        size_t len = at ? (size_t)(at - s.ptr) : s.len;
        struct str item = (struct str){s.ptr, len};
        if (trim)
            item = str_trim(item);
        if (item.len || !trim)
            v[n++] = item;
        s.ptr += len + (at ? 1 : 0);
        s.len -= len + (at ? 1 : 0);
    }
    *out = v;
    return n;
}

enum action { ACT_SAVE, ACT_PUBLISH, ACT_SCHEDULE, ACT_UPDATE, ACT_UNPUBLISH };

static bool parse_action(struct str s, enum action *out)
{
    static const char *const names[] = {"save", "publish", "schedule", "update", "unpublish"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (str_eq_cstr(s, names[i])) {
            *out = (enum action)i;
            return true;
        }
    return false;
}

static const char *const action_names[] = {"save", "publish", "schedule", "update", "unpublish"};

/*
 * The draft the form describes, with the status and time the action asks for. Returns
 * ERR_INVALID / ERR_FORBIDDEN with a message for the editor.
 */
static enum err_code build_draft(const struct request *req, const struct form *f,
                                 const struct content_post *old, enum action act,
                                 struct content_draft *d, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    memset(d, 0, sizeof(*d));
    d->title = f->title;
    d->slug = f->slug;
    d->markdown = f->markdown;
    d->custom_excerpt = f->excerpt;
    d->feature_image = f->image;
    d->feature_image_alt = f->image_alt;
    d->featured = f->featured;
    d->ntags = split(f->tags, ',', true, req->arena, &d->tags);
    d->nauthors = split(f->authors, ',', true, req->arena, &d->authors);
    /* below Editor, you stay on your own byline */
    bool self = false;
    for (size_t i = 0; i < d->nauthors; i++)
        self = self || str_eq(d->authors[i], s->slug);
    if (s->role < AUTH_EDITOR && !self) {
        struct str *v = arena_calloc(req->arena, d->nauthors + 1, sizeof(*v));
        v[0] = s->slug;
        memcpy(v + 1, d->authors, d->nauthors * sizeof(*v));
        d->authors = v;
        d->nauthors++;
    }
    enum err_code rc = content_draft_check(d, err);
    if (rc)
        return rc;
    enum content_status was = old ? old->status : CONTENT_DRAFT;
    switch (act) {
    case ACT_SAVE:
    case ACT_UPDATE:
        d->status = was;
        break;
    case ACT_PUBLISH:
        d->status = CONTENT_PUBLISHED;
        if (was != CONTENT_PUBLISHED) {
            /* published now, not at a time once scheduled */
            d->has_published_at = true;
            d->published_at = time_now();
        }
        break;
    case ACT_UNPUBLISH:
        d->status = CONTENT_DRAFT;
        break;
    case ACT_SCHEDULE: {
        int64_t at;
        if (!f->publish_at.len)
            return err_set(err, ERR_INVALID, "choose a date and time to schedule it for");
        if (!time_parse_local(f->publish_at, &at))
            return err_set(err, ERR_INVALID, "'%.*s' is not a date and time",
                           (int)(f->publish_at.len > 40 ? 40 : f->publish_at.len),
                           f->publish_at.ptr);
        if (at <= time_now())
            return err_set(err, ERR_INVALID,
                           "that time has passed: choose a time in the future, or publish now");
        if (was == CONTENT_PUBLISHED)
            return err_set(err, ERR_INVALID, "it is already published: unpublish it first");
        d->status = CONTENT_SCHEDULED;
        d->has_published_at = true;
        d->published_at = at;
        break;
    }
    }
    if (act == ACT_SAVE && was == CONTENT_SCHEDULED && old) {
        d->has_published_at = true;
        d->published_at = old->published_at;
    }
    return ERR_OK;
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

enum err_code admin_post_save(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    int64_t id = admin_param_id(req);
    if (!id && http_request_param(req, "id").len)
        return err_set(err, ERR_NOTFOUND, "that is not a post's address");
    struct form f = {.id = id, .status = CONTENT_DRAFT};
    form_from_request(&f, req);
    enum action act;
    if (!parse_action(admin_field(req, "action"), &act))
        act = ACT_SAVE;

    struct content_post old;
    bool have_old = false;
    if (id) {
        enum err_code rc = post_for(req, id, AUTH_POST_WRITE, &old, err);
        if (rc)
            return rc;
        have_old = true;
        f.status = old.status;
        f.url = old.status == CONTENT_PUBLISHED
                    ? str_from(arena_printf(req->arena, "/%.*s/", (int)old.slug.len, old.slug.ptr))
                    : STR_LIT("");
    }
    /* writing was checked above (any staff may start a post); now what readers see */
    struct auth_post rights =
        have_old ? rights_of(&old, s) : (struct auth_post){.own = true, .published = false};
    bool public_change = act == ACT_PUBLISH || act == ACT_SCHEDULE || act == ACT_UNPUBLISH ||
                         (have_old && old.status == CONTENT_PUBLISHED);
    if (public_change && !auth_can(s->role, AUTH_POST_PUBLISH, &rights))
        return render_form(req, res, 403, &f,
                           s->role == AUTH_CONTRIBUTOR
                               ? "Contributors cannot publish or schedule: save the draft and "
                                 "ask an editor to publish it."
                               : "You can publish only your own posts.",
                           NULL);

    struct content_draft d;
    enum err_code rc = build_draft(req, &f, have_old ? &old : NULL, act, &d, err);
    if (rc)
        return render_form(req, res, rc == ERR_TOOBIG ? 413 : 400, &f, err->msg, NULL);

    struct newsroom_opts opts = {.may_create_tags = auth_can(s->role, AUTH_TAG_CREATE, NULL),
                                 .default_author = s->user_id};
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    struct str slug;
    if (have_old)
        rc = newsroom_post_update(st, id, &d, &opts, req->arena, &slug, err);
    else
        rc = newsroom_post_add(st, &d, &opts, req->arena, &id, &slug, err);
    const char *what = audit_of(have_old ? old.status : CONTENT_DRAFT, d.status, !have_old);
    if (!rc)
        rc = store_revision_add(st, id, s->user_id, action_names[act], str_trim(d.title),
                                d.markdown, err);
    if (!rc && what)
        rc = store_audit(st, s->user_id, what,
                         str_from(arena_printf(req->arena, "post:%lld /%.*s/", (long long)id,
                                               (int)slug.len, slug.ptr)),
                         str_trim(d.title), admin_client_address(app, req), err);
    rc = admin_write_end(app, rc, err);
    if (rc == ERR_BUSY || rc == ERR_INTERNAL || rc == ERR_IO) {
        log_error("saving post: %s", err->msg);
        return rc;
    }
    if (rc)
        return render_form(req, res,
                           rc == ERR_FORBIDDEN  ? 403
                           : rc == ERR_CONFLICT ? 409
                                                : 400,
                           &f, err->msg, NULL);
    return admin_redirect(res, arena_printf(req->arena, "/admin/posts/%lld/?saved=%s",
                                            (long long)id, content_status_name(d.status)));
}

enum err_code admin_post_delete(struct app *app, const struct request *req, struct response *res,
                                struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    int64_t id = admin_param_id(req);
    struct content_post p;
    enum err_code rc = post_for(req, id, AUTH_POST_DELETE, &p, err);
    if (rc)
        return rc;
    if (!str_eq_cstr(admin_field(req, "confirm"), "yes"))
        return err_set(err, ERR_INVALID, "tick “Yes, delete this post for good” to confirm");
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    rc = store_post_delete(st, id, err);
    if (!rc)
        rc = store_audit(st, s->user_id, "delete",
                         str_from(arena_printf(req->arena, "post:%lld /%.*s/", (long long)id,
                                               (int)p.slug.len, p.slug.ptr)),
                         p.title, admin_client_address(app, req), err);
    rc = admin_write_end(app, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, "/admin/");
}

enum err_code admin_preview(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    (void)app;
    struct str md = admin_field_raw(req, "markdown");
    struct str html, text;
    enum err_code rc = content_markdown_render(md, req->arena, &html, &text, err);
    res->content_type = "text/html; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    if (rc) {
        res->status = rc == ERR_TOOBIG ? 413 : 400;
        buf_puts(&res->body, "<p class=\"notice error\">");
        buf_append_html(&res->body, err->msg, strlen(err->msg));
        buf_puts(&res->body, "</p>");
        return ERR_OK;
    }
    buf_append_str(&res->body, html);
    return ERR_OK;
}

/* ---- revisions --------------------------------------------------------------------- */

/* The revision of the route's {id} and its post, after checking the session may edit it. */
static enum err_code revision_of(const struct request *req, struct store_revision *r,
                                 struct content_post *p, struct err *err)
{
    enum err_code rc = store_revision_get(app_store(req), admin_param_id(req), req->arena, r, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such revision: it may have been deleted");
    return rc ? rc : post_for(req, r->post_id, AUTH_POST_WRITE, p, err);
}

enum err_code admin_revisions(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    struct content_post p;
    enum err_code rc = post_for(req, admin_param_id(req), AUTH_POST_WRITE, &p, err);
    if (rc)
        return rc;
    struct store_revision *revs;
    size_t n;
    rc = store_revisions(app_store(req), p.id, req->arena, &revs, &n, err);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Revisions", "posts");
    h(&b, "<h1>Revisions of “%S”</h1><p><a href=\"/admin/posts/%d/\">Back to the post</a></p>",
      p.title, (long long)p.id);
    if (!n)
        h(&b, "<p class=\"muted\">No revisions yet: they are kept from the first save in the "
              "editor.</p>");
    h(&b, "<table class=\"wide\"><thead><tr><th>When</th><th>Who</th><th>Action</th>"
          "<th>Title</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        char when[64];
        h(&b,
          "<tr><td><a href=\"/admin/revisions/%d/\">%s</a></td><td>%S</td><td>%S</td>"
          "<td>%S</td></tr>",
          (long long)revs[i].id, admin_when(revs[i].created_at, when),
          revs[i].user_name.len ? revs[i].user_name : STR_LIT("—"), revs[i].action, revs[i].title);
    }
    h(&b, "</tbody></table>");
    admin_page_end(&b);
    return admin_send(res, 200, &b);
}

#define DIFF_LINES_MAX 2000

/*
 * A line diff from `from` to `to` by longest common subsequence: kept lines as they are,
 * removed in <del>, added in <ins>. Past DIFF_LINES_MAX lines a side (a table of 16 MB),
 * both texts are shown whole instead.
 */
static void diff(struct buf *b, struct str from, struct str to, struct arena *a)
{
    struct str *x, *y;
    size_t n = split(from, '\n', false, a, &x), m = split(to, '\n', false, a, &y);
    if (n > DIFF_LINES_MAX || m > DIFF_LINES_MAX) {
        h(b,
          "<p class=\"muted\">Too long to compare line by line; both versions follow.</p>"
          "<h2>This revision</h2><pre class=\"diff\">%S</pre><h2>Now</h2>"
          "<pre class=\"diff\">%S</pre>",
          from, to);
        return;
    }
    uint32_t *t = xcalloc((n + 1) * (m + 1), sizeof(uint32_t));
#define T(i, j) t[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            T(i, j) = str_eq(x[i], y[j])           ? T(i + 1, j + 1) + 1
                      : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j)
                                                   : T(i, j + 1);
    h(b, "<pre class=\"diff\">");
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && str_eq(x[i], y[j])) {
            h(b, "  %S\n", x[i]);
            i++, j++;
        } else if (j < m && (i == n || T(i, j + 1) >= T(i + 1, j))) {
            h(b, "<ins>+ %S</ins>\n", y[j++]);
        } else {
            h(b, "<del>- %S</del>\n", x[i++]);
        }
    }
#undef T
    h(b, "</pre>");
    free(t);
}

enum err_code admin_revision(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    struct store_revision r;
    struct content_post p;
    enum err_code rc = revision_of(req, &r, &p, err);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    char when[64];
    admin_page_begin(&b, s, "Revision", "posts");
    h(&b,
      "<h1>Revision of %s</h1><p>By %S · %S · <a href=\"/admin/posts/%d/revisions/\">"
      "All revisions</a></p>",
      admin_when(r.created_at, when), r.user_name.len ? r.user_name : STR_LIT("—"), r.action,
      (long long)p.id);
    h(&b, "<h2>Title</h2>");
    if (str_eq(r.title, p.title))
        h(&b, "<p>%S <small>(unchanged)</small></p>", r.title);
    else
        h(&b, "<p><del>%S</del> → <ins>%S</ins></p>", r.title, p.title);
    h(&b, "<h2>Body: from this revision to the current text</h2>");
    diff(&b, r.markdown, p.markdown, req->arena);
    struct auth_post rights = rights_of(&p, s);
    if (p.status != CONTENT_PUBLISHED || auth_can(s->role, AUTH_POST_PUBLISH, &rights)) {
        h(&b, "<form method=\"post\" action=\"/admin/revisions/%d/restore/\">", (long long)r.id);
        admin_csrf_field(&b, s);
        h(&b,
          "<div class=\"actions\"><button type=\"submit\">Restore this revision</button>"
          "<span class=\"muted\">Its title and body replace the current ones%R.</span>"
          "</div></form>",
          p.status == CONTENT_PUBLISHED ? ", on the site at once" : "");
    }
    admin_page_end(&b);
    return admin_send(res, 200, &b);
}

/* A draft of the post as it stands (for a restore that changes only title and body). */
static void draft_of(const struct content_post *p, struct arena *a, struct content_draft *d)
{
    memset(d, 0, sizeof(*d));
    d->title = p->title;
    d->slug = p->slug;
    d->markdown = p->markdown;
    d->custom_excerpt = p->custom_excerpt;
    d->feature_image = p->feature_image;
    d->feature_image_alt = p->feature_image_alt;
    d->featured = p->featured;
    d->status = p->status;
    d->has_published_at = p->published_at != 0;
    d->published_at = p->published_at;
    struct str *tags = arena_calloc(a, p->ntags + 1, sizeof(struct str));
    struct str *authors = arena_calloc(a, p->nauthors + 1, sizeof(struct str));
    for (size_t i = 0; i < p->ntags; i++)
        tags[i] = p->tags[i].name;
    for (size_t i = 0; i < p->nauthors; i++)
        authors[i] = p->authors[i].slug;
    d->tags = tags;
    d->ntags = p->ntags;
    d->authors = authors;
    d->nauthors = p->nauthors;
}

enum err_code admin_revision_restore(struct app *app, const struct request *req,
                                     struct response *res, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store_revision r;
    struct content_post p;
    enum err_code rc = revision_of(req, &r, &p, err);
    if (rc)
        return rc;
    struct auth_post rights = rights_of(&p, s);
    if (p.status == CONTENT_PUBLISHED && !auth_can(s->role, AUTH_POST_PUBLISH, &rights))
        return err_set(err, ERR_FORBIDDEN,
                       "this post is published: only someone who may publish it can change it");
    struct content_draft d;
    draft_of(&p, req->arena, &d);
    d.title = r.title;
    d.markdown = r.markdown;
    struct newsroom_opts opts = {.may_create_tags = true, .default_author = s->user_id};
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    struct str slug;
    rc = newsroom_post_update(st, p.id, &d, &opts, req->arena, &slug, err);
    if (!rc)
        rc = store_revision_add(st, p.id, s->user_id, "restore", r.title, r.markdown, err);
    rc = admin_write_end(app, rc, err);
    if (rc)
        return rc;
    return admin_redirect(
        res, arena_printf(req->arena, "/admin/posts/%lld/?saved=restored", (long long)p.id));
}
