/*
 * Preview links: staff share a draft or a scheduled post before it is published, by a
 * signed link that expires (admin/share.c makes them; auth/preview.c signs and checks).
 * The page is the article as readers will see it, rendered by the same code as a
 * published one (site_article), with a banner and noindex. Nothing about it is cached:
 * the route is not ROUTE_CACHEABLE and every answer, errors included, says no-store.
 */
#include "site/site_int.h"

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"
#include "store/store.h"

/* What every answer of a preview link carries: it is private and short-lived. */
static void private_headers(struct response *res)
{
    http_response_header_ref(res, STR_LIT("cache-control"), STR_LIT("no-store"));
    http_response_header_ref(res, STR_LIT("x-robots-tag"), STR_LIT("noindex, nofollow"));
}

/*
 * The theme's error page with the link's own message (the site's 404 page says only
 * "not found"), sent no-store and noindex like the preview itself: http_send_err() drops
 * the handler's headers before it calls this.
 */
static enum err_code preview_error_page(void *ctx, const struct request *req, struct response *res,
                                        enum err_code code, const char *msg)
{
    struct app *app = ctx;
    if (code != ERR_NOTFOUND && code != ERR_GONE)
        return site_error_page(ctx, req, res, code, msg);
    struct view_error *e = arena_calloc(req->arena, 1, sizeof(*e));
    e->status = err_http_status(code);
    e->heading = code == ERR_GONE ? STR_LIT("Preview expired") : STR_LIT("Preview not found");
    e->message = str_from(arena_strdup(req->arena, msg));
    struct view_page page;
    site_page_init(&page, app->site, req, "/");
    page.error = e;
    page.preview = true;
    page.title =
        str_from(arena_printf(req->arena, "%.*s – %.*s", (int)e->heading.len, e->heading.ptr,
                              (int)app->site->settings.title.len, app->site->settings.title.ptr));
    private_headers(res);
    return site_render(app->site, SITE_TPL_ERROR, &page, res);
}

/* The post the token names, or the reason the link shows none. */
static enum err_code post_of_token(const struct request *req, struct content_post *p,
                                   struct err *err)
{
    struct str key;
    enum err_code rc = store_secret_get(app_store(req), "preview", req->arena, &key, err);
    if (rc)
        return rc == ERR_NOTFOUND ? err_set(err, ERR_INTERNAL, "no preview key") : rc;
    int64_t id = 0, expires = 0;
    switch (auth_preview_verify(key, http_request_param(req, "token"), time_now(), &id, &expires)) {
    case AUTH_PREVIEW_OK:
        break;
    case AUTH_PREVIEW_EXPIRED:
        return err_set(err, ERR_GONE,
                       "This preview link has expired: ask the newsroom for a new one.");
    default:
        return err_set(err, ERR_NOTFOUND, "This preview link is not valid.");
    }
    rc = store_post_by_id(app_store(req), id, req->arena, p, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "This preview link is not valid: the post was deleted.");
    return rc;
}

enum err_code site_preview(struct app *app, const struct request *req, struct response *res,
                           struct err *err)
{
    res->error_page = preview_error_page;
    res->error_ctx = app;
    struct content_post post;
    enum err_code rc = post_of_token(req, &post, err);
    if (rc)
        return rc;
    char *url = arena_printf(req->arena, "/%.*s/", (int)post.slug.len, post.slug.ptr);
    if (post.status == CONTENT_PUBLISHED) {
        http_response_redirect(res, 302, str_from(url));
        private_headers(res);
        return ERR_OK;
    }
    /* a draft has no date yet: show it as if published now; a scheduled post, its time */
    if (!post.published_at)
        post.published_at = time_now();
    struct view_page page;
    site_page_init(&page, app->site, req, url);
    page.preview = true;
    rc = site_article(app, req, res, &post, &page, err);
    res->ndeps = 0; /* nothing to cache: the route is not cacheable */
    private_headers(res);
    return rc;
}
