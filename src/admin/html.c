/*
 * The admin's HTML: a printf that escapes by default, the page chrome, and the small
 * helpers every admin handler uses (form fields, the write connection, redirects).
 */
#include "admin/admin_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void h(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%' || !p[1]) {
            const char *next = strchr(p, '%');
            size_t n = next ? (size_t)(next - p) : strlen(p);
            buf_append(b, p, n ? n : 1);
            p += (n ? n : 1) - 1;
            continue;
        }
        switch (*++p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            buf_append_html(b, s ? s : "", s ? strlen(s) : 0);
            break;
        }
        case 'S': {
            struct str s = va_arg(ap, struct str);
            buf_append_html(b, s.ptr ? s.ptr : "", s.len);
            break;
        }
        case 'R':
            buf_puts(b, va_arg(ap, const char *));
            break;
        case 'H':
            buf_append_str(b, va_arg(ap, struct str));
            break;
        case 'd':
            buf_printf(b, "%lld", va_arg(ap, long long));
            break;
        default:
            buf_putc(b, *p);
            break;
        }
    }
    va_end(ap);
}

/* The admin's stylesheet and script, served from /admin/admin.css and /admin/admin.js so
 * that the pages' Content-Security-Policy allows no inline script or style. */
static const char admin_css[] =
    ":root{color-scheme:light dark;--fg:#1a1a1a;--bg:#fff;--muted:#5c5c5c;--line:#d6d6d6;"
    "--accent:#0b57d0;--bad:#b3261e;--ok:#146c2e}"
    "@media(prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161616;--muted:#a8a8a8;"
    "--line:#3a3a3a;--accent:#8ab4f8;--bad:#f2b8b5;--ok:#8fd19e}}"
    "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);"
    "background:var(--bg)}a{color:var(--accent)}"
    "header{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;padding:.5rem 1rem;"
    "border-bottom:1px solid var(--line)}header nav{display:flex;flex-wrap:wrap;gap:.25rem .9rem}"
    "header nav a[aria-current]{font-weight:700;text-decoration:none}"
    ".who{margin-left:auto;display:flex;gap:.5rem;align-items:center;color:var(--muted)}"
    "main{max-width:60rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.5rem;margin:.5rem 0 1rem}"
    "label{display:block;font-weight:600;margin:.75rem 0 .25rem}"
    "input,textarea,select,button{font:inherit;color:inherit;background:var(--bg);"
    "border:1px solid var(--line);border-radius:4px;padding:.45rem .6rem;max-width:100%}"
    "input[type=text],input[type=email],input[type=url],input[type=password],"
    "input[type=search],textarea{width:100%}"
    "textarea{min-height:16rem;font-family:ui-monospace,monospace}"
    "button{cursor:pointer;background:var(--accent);color:var(--bg);border-color:var(--accent)}"
    "button.secondary{background:var(--bg);color:var(--accent)}"
    "button.danger{background:var(--bad);border-color:var(--bad);color:var(--bg)}"
    ":focus-visible{outline:3px solid var(--accent);outline-offset:2px}"
    ".actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0;align-items:center}"
    ".notice{padding:.6rem .8rem;border-radius:4px;border:1px solid}"
    ".notice.error{color:var(--bad)}.notice.ok{color:var(--ok)}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;"
    "border-bottom:1px solid var(--line);vertical-align:top}"
    ".muted,small{color:var(--muted)}.status{font-size:.85em;text-transform:uppercase}"
    ".filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.filters label{margin:0}"
    ".cols{display:grid;gap:1rem}@media(min-width:60rem){.cols{grid-template-columns:1fr 1fr}}"
    ".preview{border:1px solid var(--line);border-radius:4px;padding:0 1rem;overflow-wrap:anywhere}"
    ".tip{border-bottom:1px solid var(--line);padding:.75rem 0}"
    ".tip p{white-space:pre-wrap;overflow-wrap:anywhere}"
    "ins{background:#1a7f3733;text-decoration:none}del{background:#cf222e33}"
    "pre.diff{white-space:pre-wrap;overflow-wrap:anywhere}"
    ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem}"
    "@media(max-width:40rem){table.wide thead{display:none}table.wide td{display:block;"
    "border:0;padding:.1rem .4rem}table.wide tr{display:block;border-bottom:1px solid "
    "var(--line);padding:.4rem 0}}"
    ".plain{margin:0;font-weight:400}.bio{min-height:6rem;font-family:inherit}"
    ".tip h2{font-size:1rem}";

/*
 * The editor's live preview (the server renders with the site's own Markdown code, the
 * latest answer wins), and a confirmation for buttons that carry data-confirm.
 */
static const char admin_js[] =
    "(function(){var t=document.getElementById('markdown'),p=document.getElementById('preview'),"
    "c=document.querySelector('input[name=csrf]');if(t&&p&&c){var timer,seq=0;"
    "var go=function(){var n=++seq;fetch('/admin/preview/',{method:'POST',headers:{"
    "'Content-Type':'application/x-www-form-urlencoded','X-CSRF-Token':c.value},"
    "body:'markdown='+encodeURIComponent(t.value)}).then(function(r){return r.text()})"
    ".then(function(h){if(n===seq)p.innerHTML=h})};t.addEventListener('input',function(){"
    "clearTimeout(timer);timer=setTimeout(go,300)})}"
    "document.querySelectorAll('[data-confirm]').forEach(function(b){b.addEventListener("
    "'click',function(e){if(!confirm(b.dataset.confirm))e.preventDefault()})})})();\n";

void admin_page_begin(struct buf *b, const struct admin_session *s, const char *title,
                      const char *active)
{
    h(b,
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>%s · Newsdesk</title>"
      "<link rel=\"stylesheet\" href=\"/admin/admin.css\">"
      "<script src=\"/admin/admin.js\" defer></script></head>"
      "<body><a class=\"skip\" href=\"#main\">Skip to content</a>",
      title);
    if (s) {
        static const struct {
            const char *key, *href, *label;
            enum auth_role min;
        } nav[] = {
            {"posts", "/admin/", "Posts", AUTH_CONTRIBUTOR},
            {"new", "/admin/posts/new/", "New post", AUTH_CONTRIBUTOR},
            {"tips", "/admin/tips/", "Tips", AUTH_EDITOR},
            {"tags", "/admin/tags/", "Tags", AUTH_EDITOR},
            {"staff", "/admin/staff/", "Staff", AUTH_CONTRIBUTOR},
            {"audit", "/admin/audit/", "Audit log", AUTH_ADMINISTRATOR},
            {"settings", "/admin/settings/", "Settings", AUTH_ADMINISTRATOR},
        };
        h(b, "<header><strong>Newsdesk</strong><nav aria-label=\"Admin\">");
        for (size_t i = 0; i < ARRAY_LEN(nav); i++)
            if (s->role >= nav[i].min)
                h(b, "<a href=\"%R\"%R>%R</a>", nav[i].href,
                  active && strcmp(active, nav[i].key) == 0 ? " aria-current=\"page\"" : "",
                  nav[i].label);
        h(b,
          "<a href=\"/\">View site</a></nav><div class=\"who\"><span>%S (%s)</span>"
          "<form method=\"post\" action=\"/admin/logout/\">",
          s->name, auth_role_name(s->role));
        admin_csrf_field(b, s);
        h(b, "<button class=\"secondary\" type=\"submit\">Log out</button></form></div></header>");
    }
    h(b, "<main id=\"main\">");
}

void admin_page_end(struct buf *b)
{
    h(b, "</main></body></html>\n");
}

void admin_notice(struct buf *b, const char *kind, const char *msg)
{
    if (msg && *msg)
        h(b, "<p class=\"notice %R\" role=\"%R\">%s</p>", kind,
          strcmp(kind, "error") == 0 ? "alert" : "status", msg);
}

void admin_csrf_field(struct buf *b, const struct admin_session *s)
{
    h(b, "<input type=\"hidden\" name=\"csrf\" value=\"%S\">", s->csrf);
}

enum err_code admin_send(struct response *res, int status, struct buf *b)
{
    res->status = status;
    res->content_type = "text/html; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    http_response_header(res, "x-frame-options", STR_LIT("DENY"));
    http_response_header(res, "content-security-policy",
                         STR_LIT("default-src 'self'; img-src 'self' https: http: data:; "
                                 "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"));
    http_response_header(res, "referrer-policy", STR_LIT("same-origin"));
    buf_append_str(&res->body, buf_str(b));
    buf_release(b);
    return ERR_OK;
}

/* The heading of an error's page: what happened, in the newsroom's words. */
static const char *error_heading(enum err_code code)
{
    switch (code) {
    case ERR_INVALID:
        return "Not done";
    case ERR_AUTH:
        return "Log in again";
    case ERR_FORBIDDEN:
        return "Not allowed";
    case ERR_NOTFOUND:
        return "Not found";
    case ERR_CONFLICT:
        return "Not done";
    case ERR_TOOBIG:
        return "Too large";
    case ERR_LIMIT:
        return "Too many attempts";
    default:
        return "Something went wrong";
    }
}

enum err_code admin_error_page(void *ctx, const struct request *req, struct response *res,
                               enum err_code code, const char *msg)
{
    (void)ctx;
    if (code == ERR_AUTH && (req->method & (HTTP_GET | HTTP_HEAD))) {
        char *next = arena_printf(req->arena, "/admin/login/?next=%.*s", (int)req->raw_path.len,
                                  req->raw_path.ptr);
        return admin_redirect(res, next);
    }
    const char *title = error_heading(code);
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, admin_session_of(req), title, NULL);
    h(&b, "<h1>%s</h1>", title);
    admin_notice(&b, "error", msg ? msg : err_default_msg(code));
    if (code == ERR_AUTH)
        h(&b, "<p><a href=\"/admin/login/\">Log in</a></p>");
    else
        h(&b, "<p><a href=\"/admin/\">Back to the posts</a></p>");
    admin_page_end(&b);
    return admin_send(res, err_http_status(code), &b);
}

enum err_code admin_redirect(struct response *res, const char *location)
{
    http_response_redirect(res, 303, str_from(location));
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    return ERR_OK;
}

struct str admin_field_raw(const struct request *req, const char *name)
{
    struct str v;
    return http_form_get(req, name, &v) == ERR_OK ? v : STR_LIT("");
}

struct str admin_field(const struct request *req, const char *name)
{
    return str_trim(admin_field_raw(req, name));
}

int64_t admin_query_page(const struct request *req)
{
    struct str v;
    int64_t n;
    if (http_request_query(req, "page", &v) == ERR_OK && str_to_i64(v, &n) && n > 0 && n < 100000)
        return n;
    return 1;
}

int64_t admin_param_id(const struct request *req)
{
    int64_t id;
    struct str p = http_request_param(req, "id");
    return str_to_i64(p, &id) && id > 0 ? id : 0;
}

struct store *admin_write_begin(struct app *app, struct err *err)
{
    pthread_mutex_lock(&app->write_mu);
    if (store_begin(app->writer, err)) {
        pthread_mutex_unlock(&app->write_mu);
        return NULL;
    }
    return app->writer;
}

enum err_code admin_write_end(struct app *app, enum err_code rc, struct err *err)
{
    if (!rc)
        rc = store_commit(app->writer, err);
    if (rc)
        store_rollback(app->writer);
    pthread_mutex_unlock(&app->write_mu);
    return rc;
}

const char *admin_when(int64_t t, char out[64])
{
    if (!t) {
        snprintf(out, 64, "—");
        return out;
    }
    struct time_local l;
    time_fmt_local(t, &l);
    snprintf(out, 64, "%s, %s", l.date, l.clock);
    return out;
}

/* /admin/admin.css and /admin/admin.js: the same for everyone, no session needed. */
static enum err_code send_static(struct response *res, const char *type, const char *body,
                                 size_t len)
{
    res->content_type = type;
    res->cache_control = "public, max-age=300";
    http_response_header(res, "x-content-type-options", STR_LIT("nosniff"));
    return buf_append(&res->body, body, len);
}

enum err_code admin_asset_css(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    (void)err;
    (void)app;
    (void)req;
    return send_static(res, "text/css; charset=utf-8", admin_css, sizeof(admin_css) - 1);
}

enum err_code admin_asset_js(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)err;
    (void)app;
    (void)req;
    return send_static(res, "text/javascript; charset=utf-8", admin_js, sizeof(admin_js) - 1);
}
