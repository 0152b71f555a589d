/*
 * The newsroom's theme (themes/admin/): every page's template compiled once against
 * admin_view_type, and its assets/ (stylesheet, scripts) read once, when the server
 * starts. Serving never touches the disk.
 */
#include "admin/admin_int.h"

#include <stdlib.h>

static const char *const tpl_names[ADMIN_TPL__COUNT] = {
#define ADMIN_TPL_NAME(NAME, name) [ADMIN_TPL_##NAME] = #name,
    ADMIN_PAGES(ADMIN_TPL_NAME)
#undef ADMIN_TPL_NAME
};

/* What every page's head links to. */
static const char *const required[] = {"admin.css", "admin.js"};

enum err_code admin_theme_load(const char *dir, struct admin_theme **out, struct err *err)
{
    struct admin_theme *t = xcalloc(1, sizeof(*t));
    enum err_code rc =
        render_theme_load(dir, &admin_view_type, tpl_names, ADMIN_TPL__COUNT, &t->tpls, err);
    if (!rc)
        rc = render_assets_load(dir, &t->assets, err);
    for (size_t i = 0; !rc && i < ARRAY_LEN(required); i++)
        if (!render_assets_find(&t->assets, str_from(required[i])))
            rc = err_set(err, ERR_NOTFOUND, "%s/assets/%s is missing", dir, required[i]);
    if (rc) {
        admin_theme_free(t);
        return rc;
    }
    *out = t;
    return ERR_OK;
}

void admin_theme_free(struct admin_theme *t)
{
    if (!t)
        return;
    render_theme_free(t->tpls);
    render_assets_free(&t->assets);
    free(t);
}

const char *admin_assets_version(const struct app *app)
{
    return app->admin->assets.fingerprint;
}

/*
 * /admin/assets/...: the same for everyone, no session needed, and so kept in the
 * response cache with its compressed variants (the rich-text bundle is 325 KB, a third of
 * that in gzip) even for staff, whose requests carry the session cookie.
 */
enum err_code admin_asset(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    (void)err;
    const struct render_assets *set = &app->admin->assets;
    const struct render_asset *f = render_assets_find(set, http_request_param(req, "path"));
    if (!f)
        return ERR_NOTFOUND;
    struct str v = STR_LIT("");
    http_request_query(req, "v", &v); /* absent or unreadable: not pinned */
    res->cache_control = render_asset_cache_control(set, f, v);
    res->content_type = f->content_type;
    return buf_append(&res->body, f->data, f->len);
}
