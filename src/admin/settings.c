/*
 * The site's settings, for Administrators: the same keys, help and checks as
 * `newsdesk settings`, each with a label and the control that suits it (the time zone
 * from the system's list, the navigation as rows of label and address, the brand colour
 * with its contrast). Saving logs a change that every server (this one and any other on
 * the database) turns into a new site at once, time zone included.
 */
#include "admin/admin_int.h"

#include "json/json.h"
#include "site/site.h"

#include <stdio.h>
#include <string.h>

/* Empty rows under the navigation's links, for new ones (save to get more). */
#define NAV_BLANK_ROWS 3
/* The colour the picker shows when the theme's own is in use. */
#define THEME_ACCENT "#b3261e"

/* The stored value of key, or its default. */
static struct str current(const struct request *req, const struct site_setting_def *d)
{
    struct str v;
    if (store_setting_get(app_store(req), d->key, req->arena, &v, NULL) == ERR_OK)
        return v;
    return str_from(d->fallback);
}

struct admin_zone_option {
    struct str name;
    bool selected;
};

struct admin_nav_row {
    int64_t n; /* 1-based, for the labels */
    int64_t i; /* 0-based, for the field names */
    struct str label;
    struct str url;
};

struct admin_setting_field {
    struct str key;
    struct str label;
    struct str help;
    struct str value;
    struct str type; /* the <input> type of a plain field */
    bool plain;      /* a text, e-mail, URL or number field */
    bool image;      /* logo, icon: an upload with a preview (media.js) */
    bool zone;       /* a choice of the system's time zones */
    bool color;      /* the brand colour: a picker, the text, the contrast */
    bool nav;        /* the navigation: rows of label and address */
    const struct admin_zone_option *zones;
    size_t nzones;
    const struct admin_nav_row *rows;
    size_t nrows;
    struct str picker;   /* the colour for <input type=color> */
    struct str contrast; /* "5.91:1 with white: enough (4.5:1 needed)" */
};

static const struct render_field zone_fields[] = {
    RENDER_STR_FIELD(struct admin_zone_option, name),
    RENDER_BOOL_FIELD(struct admin_zone_option, selected),
};
static const struct render_type zone_type = RENDER_TYPE(struct admin_zone_option, zone_fields);

static const struct render_field row_fields[] = {
    RENDER_INT_FIELD(struct admin_nav_row, n),
    RENDER_INT_FIELD(struct admin_nav_row, i),
    RENDER_STR_FIELD(struct admin_nav_row, label),
    RENDER_STR_FIELD(struct admin_nav_row, url),
};
static const struct render_type row_type = RENDER_TYPE(struct admin_nav_row, row_fields);

static const struct render_field field_fields[] = {
    RENDER_STR_FIELD(struct admin_setting_field, key),
    RENDER_STR_FIELD(struct admin_setting_field, label),
    RENDER_STR_FIELD(struct admin_setting_field, help),
    RENDER_STR_FIELD(struct admin_setting_field, value),
    RENDER_STR_FIELD(struct admin_setting_field, type),
    RENDER_BOOL_FIELD(struct admin_setting_field, plain),
    RENDER_BOOL_FIELD(struct admin_setting_field, image),
    RENDER_BOOL_FIELD(struct admin_setting_field, zone),
    RENDER_BOOL_FIELD(struct admin_setting_field, color),
    RENDER_BOOL_FIELD(struct admin_setting_field, nav),
    RENDER_LIST_FIELD(struct admin_setting_field, zones, nzones, &zone_type),
    RENDER_LIST_FIELD(struct admin_setting_field, rows, nrows, &row_type),
    RENDER_STR_FIELD(struct admin_setting_field, picker),
    RENDER_STR_FIELD(struct admin_setting_field, contrast),
};
static const struct render_type field_type = RENDER_TYPE(struct admin_setting_field, field_fields);

struct admin_settings_view {
    const struct admin_setting_field *fields;
    size_t nfields;
};

static const struct render_field settings_fields[] = {
    RENDER_LIST_FIELD(struct admin_settings_view, fields, nfields, &field_type),
};
const struct render_type admin_settings_type =
    RENDER_TYPE(struct admin_settings_view, settings_fields);

/* The system's zones, value chosen (and listed, should the system no longer have it). */
static void zone_options(struct admin_setting_field *f, struct arena *a)
{
    struct str *names;
    size_t n = time_zone_names(a, &names);
    struct admin_zone_option *o = arena_calloc(a, n + 1, sizeof(*o));
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        o[i] = (struct admin_zone_option){names[i], str_eq(names[i], f->value)};
        found = found || o[i].selected;
    }
    if (!found)
        o[n++] = (struct admin_zone_option){f->value, true};
    f->zones = o;
    f->nzones = n;
}

/*
 * The rows of a navigation value, read leniently: after an error the form shows what was
 * sent, wrong link included, for it to be put right.
 */
static void nav_rows(struct admin_setting_field *f, struct arena *a)
{
    const struct json_limits lim = {64 * 1024, 4};
    struct json *v = NULL;
    if (json_parse(f->value, &lim, &v, NULL))
        v = NULL;
    size_t n = json_arr_len(v), total = n + NAV_BLANK_ROWS;
    if (total > SITE_NAVIGATION_MAX)
        total = n > SITE_NAVIGATION_MAX ? n : SITE_NAVIGATION_MAX;
    struct admin_nav_row *rows = arena_calloc(a, total, sizeof(*rows));
    for (size_t i = 0; i < total; i++) {
        const struct json *o = json_arr_get(v, i);
        struct str label = STR_LIT(""), url = STR_LIT("");
        json_as_str(json_obj_get(o, "label"), &label);
        json_as_str(json_obj_get(o, "url"), &url);
        rows[i] = (struct admin_nav_row){(int64_t)i + 1, (int64_t)i, arena_str(a, label),
                                         arena_str(a, url)};
    }
    json_free(v);
    f->rows = rows;
    f->nrows = total;
}

static void color_check(struct admin_setting_field *f, struct arena *a)
{
    double ratio;
    f->picker = STR_LIT(THEME_ACCENT);
    if (!f->value.len) {
        f->contrast = STR_LIT("The theme's own colour is in use.");
        return;
    }
    if (!site_color_contrast(f->value, &ratio))
        return;
    f->picker = f->value;
    f->contrast = str_from(arena_printf(a, "Contrast with white: %.2f:1, %s (%.1f:1 needed).",
                                        ratio, ratio >= SITE_CONTRAST_MIN ? "enough" : "too low",
                                        SITE_CONTRAST_MIN));
}

static void field_of(struct admin_setting_field *f, const struct site_setting_def *d, struct str v,
                     struct arena *a)
{
    *f = (struct admin_setting_field){.key = str_from(d->key),
                                      .label = str_from(d->label),
                                      .help = str_from(d->help),
                                      .value = v,
                                      .type = STR_LIT("text")};
    if (strcmp(d->key, "logo") == 0 || strcmp(d->key, "icon") == 0)
        f->image = true;
    else if (strcmp(d->key, "timezone") == 0)
        f->zone = true;
    else if (strcmp(d->key, "accent_color") == 0)
        f->color = true;
    else if (strcmp(d->key, "navigation") == 0)
        f->nav = true;
    else
        f->plain = true;
    if (strcmp(d->key, "contact_email") == 0)
        f->type = STR_LIT("email");
    else if (strcmp(d->key, "url") == 0)
        f->type = STR_LIT("url");
    else if (strcmp(d->key, "posts_per_page") == 0)
        f->type = STR_LIT("number");
    if (f->zone)
        zone_options(f, a);
    if (f->nav)
        nav_rows(f, a);
    if (f->color)
        color_check(f, a);
}

/* The form: values as submitted (after an error), else as stored. */
static enum err_code page(struct app *app, const struct request *req, struct response *res,
                          int status, const char *error, const char *notice,
                          const struct str *values)
{
    size_t n;
    const struct site_setting_def *defs = site_setting_defs(&n);
    struct admin_settings_view sv = {.nfields = n};
    struct admin_setting_field *fields = arena_calloc(req->arena, n, sizeof(*fields));
    for (size_t i = 0; i < n; i++)
        field_of(&fields[i], &defs[i], values ? values[i] : current(req, &defs[i]), req->arena);
    sv.fields = fields;
    struct admin_view view = {.title = STR_LIT("Settings"), .settings = &sv};
    admin_view_notices(&view, error, notice);
    return admin_show(app, req, res, status, ADMIN_TPL_SETTINGS, "settings", &view);
}

/* The navigation rows as sent (nav_label_N, nav_url_N), wholly empty ones dropped. */
static struct str nav_submitted(const struct request *req)
{
    struct site_nav_item items[SITE_NAVIGATION_MAX + NAV_BLANK_ROWS];
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(items); i++) {
        char lk[32], uk[32];
        snprintf(lk, sizeof(lk), "nav_label_%zu", i);
        snprintf(uk, sizeof(uk), "nav_url_%zu", i);
        struct site_nav_item it = {admin_field(req, lk), admin_field(req, uk)};
        if (it.label.len || it.url.len)
            items[n++] = it;
    }
    return site_navigation_json(items, n, req->arena);
}

enum err_code admin_settings(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)err;
    bool done = admin_query_has(req, "saved");
    return page(app, req, res, 200, NULL, done ? "Settings saved: the site shows them now." : NULL,
                NULL);
}

enum err_code admin_settings_save(struct app *app, const struct request *req, struct response *res,
                                  struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    size_t n;
    const struct site_setting_def *defs = site_setting_defs(&n);
    struct str *values = arena_calloc(req->arena, n, sizeof(*values));
    struct str *norm = arena_calloc(req->arena, n, sizeof(*norm));
    /* a form without the navigation's rows (nav_rows) leaves the navigation as it is */
    bool rows = admin_field(req, "nav_rows").len > 0;
    for (size_t i = 0; i < n; i++) {
        bool nav = strcmp(defs[i].key, "navigation") == 0;
        values[i] = !nav   ? admin_field(req, defs[i].key)
                    : rows ? nav_submitted(req)
                           : current(req, &defs[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (site_setting_check(defs[i].key, values[i], req->arena, &norm[i], err))
            return page(app, req, res, 400, err->msg, NULL, values);
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
