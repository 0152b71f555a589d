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

struct admin_setting_field {
    struct str key;
    struct str help;
    struct str value;
    bool zone_note; /* the time zone, changed but not yet in use */
    bool image;     /* logo, icon: an upload with a preview (media.js) */
};

static const struct render_field field_fields[] = {
    RENDER_STR_FIELD(struct admin_setting_field, key),
    RENDER_STR_FIELD(struct admin_setting_field, help),
    RENDER_STR_FIELD(struct admin_setting_field, value),
    RENDER_BOOL_FIELD(struct admin_setting_field, zone_note),
    RENDER_BOOL_FIELD(struct admin_setting_field, image),
};
static const struct render_type field_type = RENDER_TYPE(struct admin_setting_field, field_fields);

struct admin_settings_view {
    const struct admin_setting_field *fields;
    size_t nfields;
    struct str running; /* the time zone dates are shown in until a restart */
};

static const struct render_field settings_fields[] = {
    RENDER_LIST_FIELD(struct admin_settings_view, fields, nfields, &field_type),
    RENDER_STR_FIELD(struct admin_settings_view, running),
};
const struct render_type admin_settings_type =
    RENDER_TYPE(struct admin_settings_view, settings_fields);

/* The form: values as submitted (after an error), else as stored. */
static enum err_code page(struct app *app, const struct request *req, struct response *res,
                          int status, const char *error, const char *notice,
                          const struct str *values)
{
    size_t n;
    const struct site_setting_def *defs = site_setting_defs(&n);
    struct admin_settings_view sv = {.nfields = n};
    sv.running = site_settings_of(app->site)->timezone;
    struct admin_setting_field *fields = arena_calloc(req->arena, n, sizeof(*fields));
    for (size_t i = 0; i < n; i++) {
        struct str v = values ? values[i] : current(req, &defs[i]);
        bool zone = strcmp(defs[i].key, "timezone") == 0 && !str_eq(v, sv.running);
        bool image = strcmp(defs[i].key, "logo") == 0 || strcmp(defs[i].key, "icon") == 0;
        fields[i] = (struct admin_setting_field){str_from(defs[i].key), str_from(defs[i].help), v,
                                                 zone, image};
    }
    sv.fields = fields;
    struct admin_view view = {.title = STR_LIT("Settings"), .settings = &sv};
    admin_view_notices(&view, error, notice);
    return admin_show(app, req, res, status, ADMIN_TPL_SETTINGS, "settings", &view);
}

enum err_code admin_settings(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)err;
    bool done = admin_query_has(req, "saved");
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
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = ERR_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        struct str was = current(req, &defs[i]);
        if (!str_eq(was, norm[i]))
            rc = store_setting_set(st, defs[i].key, norm[i], err);
    }
    if (!rc)
        rc = store_audit(st, s->user_id, "change settings", STR_LIT("site"), STR_LIT(""),
                         admin_client_address(app, req), err);
    if (store_tx_end(st, rc, err))
        return page(app, req, res, 400, err->msg, NULL, values);
    /* without a cache no sync runs: apply them here (with one, its sync does it too) */
    if (!app->cache && app->reload)
        app->reload(app, app_store(req));
    return admin_redirect(res, "/admin/settings/?saved=1");
}
