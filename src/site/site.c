#include "site/site_int.h"

#include <stdlib.h>

static const char *const tpl_names[SITE_TPL__COUNT] = {
    [SITE_TPL_INDEX] = "index", [SITE_TPL_POST] = "post", [SITE_TPL_ERROR] = "error",
    [SITE_TPL_MORE] = "more",   [SITE_TPL_TIPS] = "tips", [SITE_TPL_PAGE] = "page",
};

static struct str keep(struct arena *a, struct str s)
{
    return arena_str(a, s);
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
    site_feed_index_init(site);
    site->view =
        (struct view_site){site->settings.title, site->settings.description, site->settings.url,
                           site->settings.language, site->settings.contact_email};
    enum err_code rc = render_theme_load(theme_dir, &site_view_page_type, tpl_names,
                                         SITE_TPL__COUNT, &site->theme, err);
    if (!rc)
        rc = site_assets_load(site, theme_dir, err);
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
    site_assets_free(site);
    site_feed_index_release(site);
    arena_release(&site->arena);
    free(site);
}
