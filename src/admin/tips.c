/*
 * The tips inbox: what readers sent through /tips/, newest first, for Editors and
 * Administrators. Every field is the reader's text and is shown escaped; a link is made
 * clickable only when it is http(s), and then with rel="noopener noreferrer nofollow".
 *
 * A tip is unread until an editor opens its own page, /admin/tips/{id}/ (the count in
 * the header counts the unread); "Mark as unread" puts it back. On that page: the
 * article it was sent from, the reader's photos (stripped of their metadata, served to
 * staff only, from /admin/tips/{id}/photos/{key}/), who it is assigned to, and "Turn
 * into a draft". The reader's name and e-mail never leave the tip: not into a draft,
 * nor the audit log.
 */
#include "admin/admin_int.h"

#include "media/media.h"
#include "newsroom/newsroom.h"

#include <string.h>

#define TIPS_PAGE 50
/* a draft's title from the tip's first words */
#define TIP_TITLE_CHARS 80
/* the inbox's thumbnails: the rendition at or above this width */
#define TIP_THUMB_WIDTH 640

/* ---- the inbox --------------------------------------------------------------------- */

struct admin_tip_item {
    int64_t id;
    struct str when;
    bool handled, unread;
    struct str message, from, email, about, address, handled_by, link;
    bool link_http; /* an http(s) link, made clickable */
    struct str page, post_title, assigned_name, draft_title;
    int64_t post_id, draft_id;
    struct str action, action_label;
};

static const struct render_field item_fields[] = {
    RENDER_INT_FIELD(struct admin_tip_item, id),
    RENDER_STR_FIELD(struct admin_tip_item, when),
    RENDER_BOOL_FIELD(struct admin_tip_item, handled),
    RENDER_BOOL_FIELD(struct admin_tip_item, unread),
    RENDER_STR_FIELD(struct admin_tip_item, message),
    RENDER_STR_FIELD(struct admin_tip_item, from),
    RENDER_STR_FIELD(struct admin_tip_item, email),
    RENDER_STR_FIELD(struct admin_tip_item, about),
    RENDER_STR_FIELD(struct admin_tip_item, address),
    RENDER_STR_FIELD(struct admin_tip_item, handled_by),
    RENDER_STR_FIELD(struct admin_tip_item, link),
    RENDER_BOOL_FIELD(struct admin_tip_item, link_http),
    RENDER_STR_FIELD(struct admin_tip_item, page),
    RENDER_STR_FIELD(struct admin_tip_item, post_title),
    RENDER_STR_FIELD(struct admin_tip_item, assigned_name),
    RENDER_STR_FIELD(struct admin_tip_item, draft_title),
    RENDER_INT_FIELD(struct admin_tip_item, post_id),
    RENDER_INT_FIELD(struct admin_tip_item, draft_id),
    RENDER_STR_FIELD(struct admin_tip_item, action),
    RENDER_STR_FIELD(struct admin_tip_item, action_label),
};
static const struct render_type item_type = RENDER_TYPE(struct admin_tip_item, item_fields);

struct admin_tips_view {
    int64_t total;
    struct str plural;
    int64_t open;
    const struct admin_nav_item *filters;
    size_t nfilters;
    const struct admin_tip_item *items;
    size_t nitems;
    struct str more_url; /* empty: no older tips */
};

static const struct render_field filter_fields[] = {
    RENDER_STR_FIELD(struct admin_nav_item, href),
    RENDER_STR_FIELD(struct admin_nav_item, label),
    RENDER_BOOL_FIELD(struct admin_nav_item, current),
};
static const struct render_type filter_type = RENDER_TYPE(struct admin_nav_item, filter_fields);

static const struct render_field tips_fields[] = {
    RENDER_INT_FIELD(struct admin_tips_view, total),
    RENDER_STR_FIELD(struct admin_tips_view, plural),
    RENDER_INT_FIELD(struct admin_tips_view, open),
    RENDER_LIST_FIELD(struct admin_tips_view, filters, nfilters, &filter_type),
    RENDER_LIST_FIELD(struct admin_tips_view, items, nitems, &item_type),
    RENDER_STR_FIELD(struct admin_tips_view, more_url),
};
const struct render_type admin_tips_type = RENDER_TYPE(struct admin_tips_view, tips_fields);

static void item_of(const struct store_tip *t, struct arena *a, struct admin_tip_item *it)
{
    *it = (struct admin_tip_item){
        .id = t->id,
        .when = admin_when(t->created_at, a),
        .handled = t->handled_at != 0,
        .unread = t->read_at == 0,
        .message = t->message,
        .from = admin_or(t->name, "(no name)"),
        .email = t->email,
        .about = t->about,
        .address = t->address,
        .handled_by = admin_or(t->handled_by, "—"),
        .link = t->link,
        .link_http = str_starts_with(t->link, "https://") || str_starts_with(t->link, "http://"),
        .page = t->page,
        .post_title = t->post_id ? t->post_title : STR_LIT(""),
        .assigned_name = t->assigned_name,
        .post_id = t->post_id,
        .draft_id = t->draft_id,
        .draft_title = admin_or(t->draft_title, "(untitled)"),
    };
    it->action = it->handled ? STR_LIT("reopen") : STR_LIT("handled");
    it->action_label = it->handled ? STR_LIT("Mark not handled") : STR_LIT("Mark handled");
}

/* The inbox's filters, in the query's words: ?whose=mine|unassigned, ?state=unread|open|handled */
static const char *const whose_names[] = {"", "mine", "unassigned"};
static const char *const whose_labels[] = {"Everyone's", "Assigned to me", "Unassigned"};
static const char *const state_names[] = {"", "unread", "open", "handled"};
static const char *const state_labels[] = {"All", "Unread", "Not handled", "Handled"};

static int name_index(struct str v, const char *const *names, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (str_eq_cstr(v, names[i]))
            return (int)i;
    return 0;
}

/* "/admin/tips/?whose=mine&state=unread", leaving out what is "all". */
static struct str filter_url(int whose, int state, int64_t page, struct arena *a)
{
    return str_from(arena_printf(
        a, "/admin/tips/?%s%s%s%s%s%s", whose ? "whose=" : "", whose_names[whose],
        whose && state ? "&" : "", state ? "state=" : "", state_names[state],
        page > 1 ? arena_printf(a, "%spage=%lld", whose || state ? "&" : "", (long long)page)
                 : ""));
}

/* The filter links: who it is assigned to, then its state. */
static void filters_of(int whose, int state, struct arena *a, struct admin_tips_view *tv)
{
    size_t nw = ARRAY_LEN(whose_names), ns = ARRAY_LEN(state_names);
    struct admin_nav_item *f = arena_calloc(a, nw + ns, sizeof(*f));
    for (size_t i = 0; i < nw; i++)
        f[i] = (struct admin_nav_item){.href = filter_url((int)i, state, 1, a),
                                       .label = str_from(whose_labels[i]),
                                       .current = (int)i == whose};
    for (size_t i = 0; i < ns; i++)
        f[nw + i] = (struct admin_nav_item){.href = filter_url(whose, (int)i, 1, a),
                                            .label = str_from(state_labels[i]),
                                            .current = (int)i == state};
    tv->filters = f;
    tv->nfilters = nw + ns;
}

static enum err_code may_read(const struct request *req, struct err *err)
{
    if (!auth_can(admin_session_of(req)->role, AUTH_TIPS_READ, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors and administrators read the tips inbox");
    return ERR_OK;
}

enum err_code admin_tips(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    enum err_code rc = may_read(req, err);
    if (rc)
        return rc;
    int64_t page = admin_query_page(req);
    int whose = name_index(admin_query(req, "whose"), whose_names, ARRAY_LEN(whose_names));
    int state = name_index(admin_query(req, "state"), state_names, ARRAY_LEN(state_names));
    struct store_tips_query q = {.whose = (enum store_tips_whose)whose,
                                 .user = admin_session_of(req)->user_id,
                                 .state = (enum store_tips_state)state,
                                 .offset = (page - 1) * TIPS_PAGE,
                                 .limit = TIPS_PAGE};
    struct store_tip *tips;
    struct admin_tips_view tv = {0};
    rc = store_tips(app_store(req), &q, req->arena, &tips, &tv.nitems, &tv.total, &tv.open, err);
    if (rc)
        return rc;
    struct admin_tip_item *items = arena_calloc(req->arena, tv.nitems + 1, sizeof(*items));
    for (size_t i = 0; i < tv.nitems; i++)
        item_of(&tips[i], req->arena, &items[i]);
    tv.items = items;
    tv.plural = admin_plural(tv.total);
    filters_of(whose, state, req->arena, &tv);
    if (page * TIPS_PAGE < tv.total)
        tv.more_url = filter_url(whose, state, page + 1, req->arena);
    struct admin_view v = {.title = STR_LIT("Tips"), .tips = &tv};
    return admin_show(app, req, res, 200, ADMIN_TPL_TIPS, "tips", &v);
}

/* ---- one tip ----------------------------------------------------------------------- */

struct admin_tip_photo {
    struct str key;
    struct str thumb, full; /* staff-only URLs */
    int64_t width, height;  /* the thumbnail's */
    struct str removed;     /* what stripping took away */
    bool private;           /* not in the library yet */
};

static const struct render_field photo_fields[] = {
    RENDER_STR_FIELD(struct admin_tip_photo, key),
    RENDER_STR_FIELD(struct admin_tip_photo, thumb),
    RENDER_STR_FIELD(struct admin_tip_photo, full),
    RENDER_INT_FIELD(struct admin_tip_photo, width),
    RENDER_INT_FIELD(struct admin_tip_photo, height),
    RENDER_STR_FIELD(struct admin_tip_photo, removed),
    RENDER_BOOL_FIELD(struct admin_tip_photo, private),
};
static const struct render_type photo_type = RENDER_TYPE(struct admin_tip_photo, photo_fields);

struct admin_tip_view {
    const struct admin_tip_item *tip;
    const struct admin_tip_photo *photos;
    size_t nphotos;
    const struct admin_option *editors; /* "Assign to": id 0 is nobody */
    size_t neditors;
};

static const struct render_field tip_fields[] = {
    RENDER_OBJ_FIELD(struct admin_tip_view, tip, &item_type),
    RENDER_LIST_FIELD(struct admin_tip_view, photos, nphotos, &photo_type),
    RENDER_LIST_FIELD(struct admin_tip_view, editors, neditors, &admin_option_type),
};
const struct render_type admin_tip_type = RENDER_TYPE(struct admin_tip_view, tip_fields);

/* Whether u may be given tips: an active editor or administrator with a login. */
static bool is_assignable(const struct store_user *u)
{
    return str_eq_cstr(u->status, "active") && u->password_hash.len &&
           (str_eq_cstr(u->role, "editor") || str_eq_cstr(u->role, "administrator"));
}

/* "Assign to": nobody, then each editor and administrator; `chosen` selected. */
static enum err_code editors_of(struct store *st, int64_t chosen, struct arena *a,
                                struct admin_tip_view *tv, struct err *err)
{
    struct store_user *users;
    size_t n;
    enum err_code rc = store_users_all(st, a, &users, &n, err);
    if (rc)
        return rc;
    struct admin_option *o = arena_calloc(a, n + 1, sizeof(*o));
    o[0] = (struct admin_option){0, STR_LIT("Nobody"), chosen == 0};
    size_t k = 1;
    for (size_t i = 0; i < n; i++)
        if (is_assignable(&users[i]))
            o[k++] = (struct admin_option){users[i].id, users[i].name, users[i].id == chosen};
    tv->editors = o;
    tv->neditors = k;
    return ERR_OK;
}

static enum err_code photos_of(struct store *st, int64_t id, struct arena *a,
                               struct admin_tip_view *tv, struct err *err)
{
    struct media_item *m;
    size_t n;
    enum err_code rc = store_tip_photos(st, id, a, &m, &n, err);
    if (rc)
        return rc;
    struct admin_tip_photo *p = arena_calloc(a, n + 1, sizeof(*p));
    for (size_t i = 0; i < n; i++) {
        int w = media_width_at_least(&m[i], TIP_THUMB_WIDTH);
        char *base = arena_printf(a, "/admin/tips/%lld/photos/%s/", (long long)id, m[i].key);
        p[i] = (struct admin_tip_photo){
            .key = str_from(arena_strndup(a, m[i].key, strlen(m[i].key))),
            .thumb = str_from(arena_printf(a, "%s?w=%d", base, w)),
            .full = str_from(base),
            .width = w,
            .height = m[i].width ? (int64_t)m[i].height * w / m[i].width : w,
            .removed = m[i].removed,
            .private = m[i].private,
        };
    }
    tv->photos = p;
    tv->nphotos = n;
    return ERR_OK;
}

/* Opening a tip reads it: the header's count goes down. */
static enum err_code mark_read(struct app *app, int64_t id, struct err *err)
{
    enum err_code rc = store_tx_begin(app->writer, err);
    if (!rc)
        rc = store_tx_end(app->writer, store_tip_read(app->writer, id, true, err), err);
    return rc;
}

static const char *notice_of(struct str done)
{
    static const struct {
        const char *key, *text;
    } notices[] = {
        {"unread", "Marked as unread."},
        {"handled", "Marked handled."},
        {"reopen", "Marked not handled."},
        {"assign", "Assignment saved."},
        {"library", "Added to the photo library: give it alt text there before using it."},
    };
    for (size_t i = 0; i < ARRAY_LEN(notices); i++)
        if (str_eq_cstr(done, notices[i].key))
            return notices[i].text;
    return NULL;
}

enum err_code admin_tip(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    enum err_code rc = may_read(req, err);
    if (rc)
        return rc;
    int64_t id = admin_param_id(req);
    struct str done = admin_query(req, "done");
    struct store *st = app_store(req);
    struct store_tip t;
    struct admin_tip_view *tv = arena_calloc(req->arena, 1, sizeof(*tv));
    rc = store_tip_get(st, id, req->arena, &t, err);
    /*
     * A write only the first time: "Mark as unread" lands here too, and opening it again
     * must not undo that.
     */
    if (!rc && !t.read_at && !str_eq_cstr(done, "unread")) {
        rc = mark_read(app, id, err);
        t.read_at = time_now();
    }
    if (!rc)
        rc = photos_of(st, id, req->arena, tv, err);
    if (!rc)
        rc = editors_of(st, t.assigned_to, req->arena, tv, err);
    if (rc)
        return rc;
    struct admin_tip_item *it = arena_calloc(req->arena, 1, sizeof(*it));
    item_of(&t, req->arena, it);
    tv->tip = it;
    struct admin_view v = {.title = str_from(arena_printf(req->arena, "Tip #%lld", (long long)id)),
                           .tip = tv};
    admin_view_notices(&v, NULL, notice_of(done));
    return admin_show(app, req, res, 200, ADMIN_TPL_TIP, "tips", &v);
}

/* GET /admin/tips/{id}/photos/{key}/[?w=640]: a reader's photo, stripped, to staff only. */
enum err_code admin_tip_photo(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    enum err_code rc = may_read(req, err);
    if (rc)
        return rc;
    if (!app->media)
        return err_set(err, ERR_BUSY, "photos cannot be shown right now");
    struct media_item *m;
    size_t n;
    rc = store_tip_photos(app_store(req), admin_param_id(req), req->arena, &m, &n, err);
    if (rc)
        return rc;
    struct str key = http_request_param(req, "key");
    int64_t w = 0;
    struct str ws = admin_query(req, "w");
    if (ws.len && (!str_to_i64(ws, &w) || w < 0))
        w = 0;
    for (size_t i = 0; i < n; i++)
        if (str_eq_cstr(key, m[i].key))
            return media_serve_staff(app->media, app_store(req), &m[i], (int)(w > 4096 ? 4096 : w),
                                     req->arena, res, err);
    return err_set(err, ERR_NOTFOUND, "no such photo in this tip");
}

/* ---- what editors do to a tip ------------------------------------------------------ */

/* The draft's body: the tip quoted, and where it came from; never who sent it. */
static struct str draft_markdown(const struct store_tip *t, struct arena *a)
{
    struct buf b;
    buf_init(&b, 4 * t->message.len + 4096);
    struct str m = str_trim(t->message);
    buf_append(&b, "> ", 2);
    for (size_t i = 0; i < m.len; i++) {
        if (m.ptr[i] == '\r')
            continue;
        buf_append(&b, &m.ptr[i], 1);
        if (m.ptr[i] == '\n')
            buf_append(&b, "> ", 2);
    }
    struct time_local l;
    time_fmt_local(t->created_at, &l);
    buf_printf(&b, "\n\nFrom reader tip #%lld, received %s at %s", (long long)t->id, l.date,
               l.clock);
    if (t->page.len)
        buf_printf(&b, ", sent from the article %.*s", (int)t->page.len, t->page.ptr);
    buf_append(&b, ".\n", 2);
    if (t->link.len)
        buf_printf(&b, "\nLink sent with the tip: <%.*s>\n", (int)t->link.len, t->link.ptr);
    struct str out = arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

/* A new draft of the editor's quoting the tip; *post its id. Inside the caller's transaction. */
static enum err_code make_draft(struct store *st, const struct request *req,
                                const struct store_tip *t, int64_t *post, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    if (t->draft_id)
        return err_set(err, ERR_CONFLICT, "a draft was already made from this tip: open it");
    struct str *author = arena_calloc(req->arena, 1, sizeof(*author));
    *author = s->slug;
    struct str words =
        content_excerpt(STR_LIT(""), str_trim(t->message), TIP_TITLE_CHARS, req->arena);
    struct content_draft d = {
        .title = str_from(arena_printf(req->arena, "Tip: %.*s", (int)words.len, words.ptr)),
        .markdown = draft_markdown(t, req->arena),
        .authors = author,
        .nauthors = 1,
        .status = CONTENT_DRAFT,
    };
    struct newsroom_opts opts = {.default_author = s->user_id};
    struct str slug;
    enum err_code rc = content_draft_check(&d, err);
    if (!rc)
        rc = newsroom_post_add(st, &d, &opts, req->arena, post, &slug, err);
    if (!rc)
        rc = store_tip_set_draft(st, t->id, *post, err);
    return rc;
}

/* The assignee the form names: nobody (0), or an active editor or administrator. */
static enum err_code assignee(struct store *st, const struct request *req, int64_t *user,
                              struct err *err)
{
    struct str v = admin_field(req, "assigned_to");
    struct store_user u;
    if (!str_to_i64(v, user) || *user < 0)
        return err_set(err, ERR_INVALID, "choose someone to assign the tip to");
    if (!*user)
        return ERR_OK;
    enum err_code rc = store_user_by_id(st, *user, req->arena, &u, err);
    if (rc == ERR_NOTFOUND || (!rc && !is_assignable(&u)))
        return err_set(err, ERR_INVALID, "tips go to editors and administrators only");
    return rc;
}

/* Adds the tip's photo named by the form's key to the library. */
static enum err_code to_library(struct store *st, const struct request *req, int64_t id,
                                struct err *err)
{
    struct media_item *m;
    size_t n;
    struct str key = admin_field(req, "key");
    enum err_code rc = store_tip_photos(st, id, req->arena, &m, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        if (str_eq_cstr(key, m[i].key))
            return store_media_publish(st, key, err);
    return rc ? rc : err_set(err, ERR_NOTFOUND, "no such photo in this tip");
}

/* The form's action values, in the enum's order (notice_of knows them too). */
enum action { ACT_HANDLED, ACT_REOPEN, ACT_UNREAD, ACT_ASSIGN, ACT_DRAFT, ACT_LIBRARY, ACT_DELETE };
static const char *const action_names[] = {"handled", "reopen",  "unread", "assign",
                                           "draft",   "library", "delete"};

/* The change itself, inside the caller's transaction; *audit what the audit log says. */
static enum err_code act_on(struct store *st, const struct request *req, enum action act,
                            int64_t id, int64_t *post, const char **audit, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store_tip t;
    int64_t user;
    enum err_code rc;
    *audit = NULL;
    switch (act) {
    case ACT_HANDLED:
    case ACT_REOPEN:
        return store_tip_handle(st, id, act == ACT_HANDLED ? s->user_id : 0, err);
    case ACT_UNREAD:
        return store_tip_read(st, id, false, err);
    case ACT_ASSIGN:
        rc = assignee(st, req, &user, err);
        *audit = "assign tip";
        return rc ? rc : store_tip_assign(st, id, user, err);
    case ACT_DRAFT:
        rc = store_tip_get(st, id, req->arena, &t, err);
        *audit = "draft from tip";
        return rc ? rc : make_draft(st, req, &t, post, err);
    case ACT_LIBRARY:
        *audit = "add tip photo to library";
        return to_library(st, req, id, err);
    case ACT_DELETE:
        *audit = "delete tip";
        return store_tip_delete(st, id, err);
    }
    return err_set(err, ERR_INVALID, "unknown action");
}

/* What the audit log keeps of it: the tip and the post or the photo, no reader's words. */
static struct str audit_target(const struct request *req, enum action act, int64_t id, int64_t post)
{
    if (act == ACT_DRAFT)
        return str_from(
            arena_printf(req->arena, "tip:%lld post:%lld", (long long)id, (long long)post));
    if (act == ACT_LIBRARY) {
        struct str key = admin_field(req, "key");
        return str_from(
            arena_printf(req->arena, "tip:%lld media:%.*s", (long long)id, (int)key.len, key.ptr));
    }
    return str_from(arena_printf(req->arena, "tip:%lld", (long long)id));
}

/* Where the editor goes next: the list, the tip with what was done, or the new draft. */
static const char *next_of(const struct request *req, enum action act, int64_t id, int64_t post)
{
    if (act == ACT_DELETE)
        return "/admin/tips/";
    if (act == ACT_DRAFT)
        return arena_printf(req->arena, "/admin/posts/%lld/", (long long)post);
    struct str back = admin_field(req, "back");
    if (str_eq_cstr(back, "list") && act != ACT_UNREAD)
        return "/admin/tips/";
    return arena_printf(req->arena, "/admin/tips/%lld/?done=%s", (long long)id, action_names[act]);
}

enum err_code admin_tip_action(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_TIPS_READ, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors and administrators handle tips");
    int64_t id = admin_param_id(req);
    struct str name = admin_field(req, "action");
    size_t i = 0;
    while (i < ARRAY_LEN(action_names) && !str_eq_cstr(name, action_names[i]))
        i++;
    if (i == ARRAY_LEN(action_names))
        return err_set(err, ERR_INVALID, "unknown action");
    enum action act = (enum action)i;
    struct store *st = app->writer;
    int64_t post = 0;
    const char *audit;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = act_on(st, req, act, id, &post, &audit, err);
    if (!rc && audit)
        rc = store_audit(st, s->user_id, audit, audit_target(req, act, id, post), STR_LIT(""),
                         admin_client_address(app, req), err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, next_of(req, act, id, post));
}
