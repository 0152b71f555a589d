/*
 * Showing a page: the chrome every page shares (header, navigation for the session's
 * role, the CSRF token), the headers every page is sent with, and the newsroom's error
 * page, which routes.c uses for every refusal on /admin/.
 */
#include "admin/admin_int.h"

#include "api/api.h"

#include <stdio.h>
#include <string.h>

/* The navigation, in order, with the least role that may open each link. */
static const struct {
    const char *key, *href, *label;
    enum auth_role min;
} nav[] = {
    {"posts", "/admin/", "Posts", AUTH_CONTRIBUTOR},
    {"new", "/admin/posts/new/", "New post", AUTH_CONTRIBUTOR},
    {"media", "/admin/media/", "Photos", AUTH_CONTRIBUTOR},
    {"tips", "/admin/tips/", "Tips", AUTH_EDITOR},
    {"tags", "/admin/tags/", "Tags", AUTH_EDITOR},
    {"staff", "/admin/staff/", "Staff", AUTH_CONTRIBUTOR},
    {"audit", "/admin/audit/", "Audit log", AUTH_ADMINISTRATOR},
    {"settings", "/admin/settings/", "Settings", AUTH_ADMINISTRATOR},
};

/*
 * The tips nobody has opened, for the header of those who read them: one count over
 * the partial index tips_unread, on every newsroom page. A failure shows no count.
 */
static void count_unread(const struct request *req, struct admin_nav_item *it)
{
    int64_t n = 0;
    if (store_tips_unread(app_store(req), &n, NULL) || n <= 0)
        return;
    it->count = n;
    it->count_label =
        str_from(arena_printf(req->arena, "%lld unread tip%s", (long long)n, n == 1 ? "" : "s"));
}

/* The header's view of the session: who, and the links their role may open. */
static void chrome_of(const struct request *req, const struct admin_session *s, const char *active,
                      struct admin_view *v)
{
    struct arena *a = req->arena;
    struct admin_user_view *u = arena_calloc(a, 1, sizeof(*u));
    *u = (struct admin_user_view){s->name, str_from(auth_role_name(s->role))};
    struct admin_nav_item *items = arena_calloc(a, ARRAY_LEN(nav), sizeof(*items));
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(nav); i++) {
        if (s->role < nav[i].min)
            continue;
        bool current = active && strcmp(active, nav[i].key) == 0;
        items[n] = (struct admin_nav_item){
            .href = str_from(nav[i].href), .label = str_from(nav[i].label), .current = current};
        if (strcmp(nav[i].key, "tips") == 0)
            count_unread(req, &items[n]);
        n++;
    }
    v->user = u;
    v->nav = items;
    v->nnav = n;
    v->csrf = s->csrf;
}

/* What every newsroom page is sent with: never cached, never framed, no inline code. */
static void page_headers(struct response *res, int status)
{
    res->status = status;
    res->content_type = "text/html; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    http_response_header(res, "x-frame-options", STR_LIT("DENY"));
    http_response_header(res, "content-security-policy",
                         STR_LIT("default-src 'self'; img-src 'self' https: http: data: blob:; "
                                 "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"));
    http_response_header(res, "referrer-policy", STR_LIT("same-origin"));
}

enum err_code admin_show(const struct app *app, const struct request *req, struct response *res,
                         int status, enum admin_tpl tpl, const char *active, struct admin_view *v)
{
    const struct admin_session *s = admin_session_of(req);
    if (s)
        chrome_of(req, s, active, v);
    v->assets_v = str_from(admin_assets_version(app));
    enum err_code rc = render_tpl_exec(render_theme_tpl(app->admin->tpls, tpl), v, &res->body);
    if (rc)
        return rc;
    page_headers(res, status);
    return ERR_OK;
}

void admin_view_notices(struct admin_view *v, const char *alert, const char *notice)
{
    v->alert = str_from(alert ? alert : "");
    v->notice = str_from(notice ? notice : "");
}

/* ---- the error page ------------------------------------------------------------------ */

struct admin_error_view {
    struct str heading;
    bool login; /* the session ended: a link to log in again */
};

static const struct render_field error_fields[] = {
    RENDER_STR_FIELD(struct admin_error_view, heading),
    RENDER_BOOL_FIELD(struct admin_error_view, login),
};
const struct render_type admin_error_type = RENDER_TYPE(struct admin_error_view, error_fields);

/* The heading of an error's page: what happened, in the newsroom's words. */
static const char *error_heading(enum err_code code)
{
    switch (code) {
    case ERR_INVALID:
    case ERR_CONFLICT:
        return "Not done";
    case ERR_AUTH:
        return "Log in again";
    case ERR_FORBIDDEN:
        return "Not allowed";
    case ERR_NOTFOUND:
        return "Not found";
    case ERR_TOOBIG:
        return "Too large";
    case ERR_LIMIT:
        return "Too many attempts";
    case ERR_GONE:
        return "No longer valid";
    default:
        return "Something went wrong";
    }
}

/* A save of the editor's form ("/admin/posts/new/", "/admin/posts/12/") with its text. */
static bool editor_save(const struct request *req)
{
    struct str p = req->path, pre = STR_LIT("/admin/posts/");
    if (!str_starts_with(p, "/admin/posts/") || p.len < pre.len + 2 || p.ptr[p.len - 1] != '/')
        return false;
    struct str mid = {p.ptr + pre.len, p.len - pre.len - 1};
    int64_t id;
    struct str md;
    return (str_eq_cstr(mid, "new") || (str_to_i64(mid, &id) && id > 0)) &&
           http_form_get(req, "markdown", &md) == ERR_OK;
}

enum err_code admin_error_page(void *ctx, const struct request *req, struct response *res,
                               enum err_code code, const char *msg)
{
    /* a script's upload: Ghost's JSON envelope, which the editor's script reads */
    if (admin_wants_json(req))
        return api_error_page(ctx, req, res, code, msg);
    /* only our own pages' saves: another site must not fill a login form with its text */
    if (code == ERR_AUTH && req->method == HTTP_POST && editor_save(req) &&
        admin_same_origin(ctx, req))
        return admin_login_carry(ctx, req, res);
    if (code == ERR_AUTH && (req->method & (HTTP_GET | HTTP_HEAD))) {
        char *next = arena_printf(req->arena, "/admin/login/?next=%.*s", (int)req->raw_path.len,
                                  req->raw_path.ptr);
        return admin_redirect(res, next);
    }
    /* a spent one-time link (accounts.c): the way on is the login form, not the posts */
    struct admin_error_view e = {str_from(error_heading(code)),
                                 code == ERR_AUTH || code == ERR_GONE};
    struct admin_view v = {.title = e.heading, .error = &e};
    v.alert = str_from(msg ? msg : err_default_msg(code));
    return admin_show(ctx, req, res, err_http_status(code), ADMIN_TPL_ERROR, NULL, &v);
}

/* ---- small formats the pages share ---------------------------------------------------- */

struct str admin_when(int64_t t, struct arena *a)
{
    if (!t)
        return STR_LIT("—");
    struct time_local l;
    time_fmt_local(t, &l);
    return str_from(arena_printf(a, "%s, %s", l.date, l.clock));
}

struct str admin_plural(int64_t n)
{
    return n == 1 ? STR_LIT("") : STR_LIT("s");
}

struct str admin_or(struct str s, const char *otherwise)
{
    return s.len ? s : str_from(otherwise);
}
