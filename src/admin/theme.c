/*
 * The newsroom's theme (themes/admin/): every page's template compiled once against
 * admin_view_type, and the stylesheet and script read once, when the server starts.
 * Serving never touches the disk.
 */
#include "admin/admin_int.h"

#include <stdlib.h>

static const char *const tpl_names[ADMIN_TPL__COUNT] = {
#define ADMIN_TPL_NAME(NAME, name) [ADMIN_TPL_##NAME] = #name,
    ADMIN_PAGES(ADMIN_TPL_NAME)
#undef ADMIN_TPL_NAME
};

enum err_code admin_theme_load(const char *dir, struct admin_theme **out, struct err *err)
{
    struct admin_theme *t = xcalloc(1, sizeof(*t));
    enum err_code rc =
        render_theme_load(dir, &admin_view_type, tpl_names, ADMIN_TPL__COUNT, &t->tpls, err);
    if (!rc)
        rc = render_theme_file(dir, "assets/admin.css", &t->css, err);
    if (!rc)
        rc = render_theme_file(dir, "assets/admin.js", &t->js, err);
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
    buf_release(&t->css);
    buf_release(&t->js);
    free(t);
}

/* /admin/admin.css and /admin/admin.js: the same for everyone, no session needed. */
static enum err_code send_static(struct response *res, const char *type, const struct buf *b)
{
    res->content_type = type;
    res->cache_control = "public, max-age=300";
    http_response_header(res, "x-content-type-options", STR_LIT("nosniff"));
    return buf_append_str(&res->body, buf_str(b));
}

enum err_code admin_asset_css(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    (void)err;
    (void)req;
    return send_static(res, "text/css; charset=utf-8", &app->admin->css);
}

enum err_code admin_asset_js(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)err;
    (void)req;
    return send_static(res, "text/javascript; charset=utf-8", &app->admin->js);
}
