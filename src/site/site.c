#include "site/site_int.h"

#include "app.h"
#include "http/http.h"

#include <stdlib.h>

static const char *const tpl_names[SITE_TPL__COUNT] = {
    [SITE_TPL_INDEX] = "index",   [SITE_TPL_POST] = "post", [SITE_TPL_ERROR] = "error",
    [SITE_TPL_MORE] = "more",     [SITE_TPL_TIPS] = "tips", [SITE_TPL_PAGE] = "page",
    [SITE_TPL_SEARCH] = "search", [SITE_TPL_LIVE] = "live",
};

static struct str keep(struct arena *a, struct str s)
{
    return arena_str(a, s);
}

/*
 * The navigation and brand colour settings, both checked when they were set. The colour
 * goes at the end of the theme's style.css rather than into the page: the site's
 * Content-Security-Policy allows no inline style, and it costs no request. It applies to
 * the light scheme on screen; dark mode and print keep the theme's own colours, which
 * the brand colour (checked against white) may not suit.
 */
static void apply_look(struct site *site)
{
    struct err err = {0};
    const struct site_settings *s = &site->settings;
    if (site_navigation_parse(s->navigation, &site->arena, &site->nav, &site->nnav, &err))
        log_warn("navigation setting ignored: %s", err.msg);
    if (!s->accent_color.len)
        return;
    char *rule = arena_printf(&site->arena,
                              "\n/* the site's brand colour (setting accent_color) */\n"
                              "@media screen and (prefers-color-scheme: light) { :root { "
                              "--accent: %.*s; } }\n",
                              (int)s->accent_color.len, s->accent_color.ptr);
    render_assets_append(&site->assets, STR_LIT("style.css"), str_from(rule));
}

enum err_code site_open(const char *theme_dir, const struct site_settings *settings,
                        struct site **out, struct err *err)
{
    struct site *site = xcalloc(1, sizeof(*site));
    arena_init(&site->arena);
    struct arena *a = &site->arena;
    site->settings = *settings;
    site->settings.title = keep(a, settings->title);
    site->settings.description = keep(a, settings->description);
    site->settings.url = keep(a, settings->url);
    site->settings.language = keep(a, settings->language);
    site->settings.timezone = keep(a, settings->timezone);
    site->settings.contact_email = keep(a, settings->contact_email);
    site->settings.logo = keep(a, settings->logo);
    site->settings.icon = keep(a, settings->icon);
    site->settings.icon_type = keep(a, settings->icon_type);
    site->settings.accent_color = keep(a, settings->accent_color);
    site->settings.navigation = keep(a, settings->navigation);
    site_feed_index_init(site);
    const struct site_settings *s = &site->settings;
    site->view =
        (struct view_site){s->title, s->description, s->url,         s->language, s->contact_email,
                           s->logo,  s->logo_width,  s->logo_height, s->icon,     s->icon_type};
    enum err_code rc = render_theme_load(theme_dir, &site_view_page_type, tpl_names,
                                         SITE_TPL__COUNT, &site->theme, err);
    if (!rc)
        rc = render_assets_load(theme_dir, &site->assets, err);
    if (!rc)
        apply_look(site);
    if (rc) {
        site_free(site);
        return rc;
    }
    *out = site;
    return ERR_OK;
}

const struct site_settings *site_settings_of(const struct site *site)
{
    return &site->settings;
}

void site_free(struct site *site)
{
    if (!site)
        return;
    render_theme_free(site->theme);
    render_assets_free(&site->assets);
    site_feed_index_release(site);
    arena_release(&site->arena);
    free(site);
}

/* ---- the theme's static files -------------------------------------------------------- */

struct str site_asset_url(const struct site *site, const char *path, struct arena *a)
{
    const struct render_asset *f = render_assets_find(&site->assets, str_from(path));
    return str_from(f ? arena_printf(a, "/assets/%s?v=%s", path, f->fingerprint)
                      : arena_printf(a, "/assets/%s", path));
}

enum err_code site_asset(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    (void)err;
    const struct render_assets *set = &app->site->assets;
    const struct render_asset *f = render_assets_find(set, http_request_param(req, "path"));
    if (!f)
        return ERR_NOTFOUND;
    struct str v = STR_LIT("");
    http_request_query(req, "v", &v); /* absent or unreadable: not pinned */
    res->cache_control = render_asset_cache_control(set, f, v);
    res->content_type = f->content_type;
    return buf_append(&res->body, f->data, f->len);
}
