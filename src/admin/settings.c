/*
 * The site's settings, for Administrators: the same keys, help and checks as
 * `newsdesk settings`. Saving logs a change that every server (this one and any other on
 * the database) turns into a new site at once; a new time zone waits for a restart.
 */
#include "admin/admin_int.h"

#include "site/site.h"

#include <string.h>

/* The stored value of key, or its default. */
static struct str current(const struct request *req, const struct site_setting_def *d)
{
    struct str v;
    if (store_setting_get(app_store(req), d->key, req->arena, &v, NULL) == ERR_OK)
        return v;
    return str_from(d->fallback);
}

static enum err_code page(struct app *app, const struct request *req, struct response *res,
                          int status, const char *error, const char *notice,
                          const struct str *values)
{
    const struct admin_session *s = admin_session_of(req);
    size_t n;
    const struct site_setting_def *defs = site_setting_defs(&n);
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Settings", "settings");
    h(&b, "<h1>Settings</h1>");
    admin_notice(&b, "error", error);
    admin_notice(&b, "ok", notice);
    h(&b, "<form method=\"post\" action=\"/admin/settings/\">");
    admin_csrf_field(&b, s);
    struct str running = site_settings_of(app->site)->timezone;
    for (size_t i = 0; i < n; i++) {
        struct str v = values ? values[i] : current(req, &defs[i]);
        h(&b,
          "<label for=\"%s\">%s <small>(%s)</small></label><input id=\"%s\" name=\"%s\" "
          "type=\"text\" value=\"%S\">",
          defs[i].key, defs[i].key, defs[i].help, defs[i].key, defs[i].key, v);
        if (strcmp(defs[i].key, "timezone") == 0 && !str_eq(v, running))
            h(&b, "<p class=\"muted\">Dates are shown in %S until the server restarts.</p>",
              running);
    }
    h(&b, "<div class=\"actions\"><button type=\"submit\">Save settings</button>"
          "<span class=\"muted\">Changes show on the site at once; a new time zone when the "
          "server restarts.</span></div></form>");
    admin_page_end(&b);
    return admin_send(res, status, &b);
}

enum err_code admin_settings(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)err;
    struct str saved;
    bool done = http_request_query(req, "saved", &saved) == ERR_OK;
    return page(app, req, res, 200, NULL, done ? "Settings saved." : NULL, NULL);
}

enum err_code admin_settings_save(struct app *app, const struct request *req, struct response *res,
                                  struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    size_t n;
    const struct site_setting_def *defs = site_setting_defs(&n);
    struct str *values = arena_calloc(req->arena, n, sizeof(*values));
    struct str *norm = arena_calloc(req->arena, n, sizeof(*norm));
    for (size_t i = 0; i < n; i++) {
        values[i] = admin_field(req, defs[i].key);
        if (site_setting_check(defs[i].key, values[i], req->arena, &norm[i], err))
            return page(app, req, res, 400, err->msg, NULL, values);
    }
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        struct str was = current(req, &defs[i]);
        if (!str_eq(was, norm[i]))
            rc = store_setting_set(st, defs[i].key, norm[i], err);
    }
    if (!rc)
        rc = store_audit(st, s->user_id, "change settings", STR_LIT("site"), STR_LIT(""),
                         admin_client_address(app, req), err);
    if (admin_write_end(app, rc, err))
        return page(app, req, res, 400, err->msg, NULL, values);
    /* without a cache no sync runs: apply them here (with one, its sync does it too) */
    if (!app->cache && app->reload)
        app->reload(app, app_store(req));
    return admin_redirect(res, "/admin/settings/?saved=1");
}
