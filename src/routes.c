/*
 * The route table and the one dispatcher that applies its flags. Order matters: the
 * first pattern that matches wins, so the article catch-all "/{slug}/" comes last.
 */
#include "routes.h"

#include "api/api.h"
#include "app.h"
#include "cache/cache.h"
#include "http/http.h"
#include "site/site.h"

#include <string.h>

#define GET_HEAD (HTTP_GET | HTTP_HEAD)

static const char *const more_params[] = {"before", "tag", "author", "exclude", NULL};
static const char *const asset_params[] = {"v", NULL};
/* the Content API's cache key: the key and what shapes the answer (Ghost's parameters) */
static const char *const api_params[] = {"key",  "include", "fields", "formats", "filter",
                                         "limit", "page",   "order",  NULL};

#define API_GET (ROUTE_CACHEABLE | ROUTE_API)
#define CONTENT "/ghost/api/content/"

static const struct route routes[] = {
    {GET_HEAD, "/", site_home, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/page/{n}/", site_home, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/more/", site_more, ROUTE_CACHEABLE, 0, more_params},
    {GET_HEAD, "/tag/{slug}/", site_tag, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/tag/{slug}/page/{n}/", site_tag, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/author/{slug}/", site_author, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/author/{slug}/page/{n}/", site_author, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/rss/", site_rss, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/atom/", site_atom, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/feed.json", site_json_feed, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/tag/{slug}/rss/", site_rss, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/tag/{slug}/atom/", site_atom, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/tag/{slug}/feed.json", site_json_feed, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/author/{slug}/rss/", site_rss, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/author/{slug}/atom/", site_atom, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/author/{slug}/feed.json", site_json_feed, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/sitemap.xml", site_sitemap_index, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/sitemap-posts.xml", site_sitemap_posts, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/sitemap-posts-{n}.xml", site_sitemap_posts, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/sitemap-tags.xml", site_sitemap_tags, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/sitemap-authors.xml", site_sitemap_authors, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/sitemap-pages.xml", site_sitemap_pages, ROUTE_CACHEABLE, 0, NULL},
    /* not cached: which posts it lists depends on the clock, not only on writes */
    {GET_HEAD, "/sitemap-news.xml", site_sitemap_news, 0, 0, NULL},
    {GET_HEAD, "/robots.txt", site_robots, ROUTE_CACHEABLE, 0, NULL},
    {GET_HEAD, "/assets/{*path}", site_asset, ROUTE_CACHEABLE, 0, asset_params},
    {GET_HEAD, "/metrics", site_metrics, 0, 0, NULL},
    {GET_HEAD, CONTENT, api_content_root, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "posts/", api_browse, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "posts/slug/{slug}/", api_read_slug, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "posts/{id}/", api_read_id, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "pages/", api_browse, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "pages/slug/{slug}/", api_read_slug, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "pages/{id}/", api_read_id, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "authors/", api_browse, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "authors/slug/{slug}/", api_read_slug, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "authors/{id}/", api_read_id, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "tags/", api_browse, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "tags/slug/{slug}/", api_read_slug, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "tags/{id}/", api_read_id, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "settings/", api_settings, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "tiers/", api_empty, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "newsletters/", api_empty, API_GET, 0, api_params},
    {GET_HEAD, CONTENT "{*rest}", api_not_found, ROUTE_API, 0, NULL},
    {HTTP_OPTIONS, CONTENT "{*rest}", api_preflight, ROUTE_API, 0, NULL},
    {GET_HEAD, "/{slug}/", site_post, ROUTE_CACHEABLE, 0, NULL},
};

/* First segments that fixed routes own, now or in planned ones: never post slugs. */
static const char *const reserved[] = {"page",  "more",  "tag",    "author", "assets",
                                       "rss",   "atom",  "ghost",  "admin",  "tips",
                                       "search", "live", "metrics", "sitemap.xml", "robots.txt",
                                       "feed.json", "favicon.ico"};

bool routes_slug_reserved(struct str slug)
{
    for (size_t i = 0; i < ARRAY_LEN(reserved); i++)
        if (str_eq_cstr(slug, reserved[i]))
            return true;
    return false;
}

size_t routes_body_max(void)
{
    size_t max = 0;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++)
        if (routes[i].body_max > max)
            max = routes[i].body_max;
    return max ? max : 1024;
}

/* The first route whose pattern matches; *allowed collects the methods of all matches. */
static const struct route *find(struct request *req, struct str path, unsigned *allowed)
{
    *allowed = 0;
    const struct route *hit = NULL;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        if (!http_route_match(routes[i].pattern, path, req))
            continue;
        *allowed |= routes[i].methods;
        if (routes[i].methods & req->method) {
            hit = &routes[i];
            break;
        }
    }
    if (hit)
        http_route_match(hit->pattern, path, req); /* params of the winning route */
    return hit;
}

static void send_allow(struct request *req, struct response *res, unsigned allowed)
{
    http_send_err(req, res, ERR_METHOD, "method not allowed");
    const char *allow = (allowed & HTTP_POST) ? "GET, HEAD, POST" : "GET, HEAD";
    http_response_header(res, "allow", str_from(allow));
}

/*
 * "/tag/politics" → 301 "/tag/politics/" as Ghost does, when the slashed path would
 * match. Never for "//host" forms, which a browser reads as another site.
 */
static bool redirect_slash(struct request *req, struct response *res)
{
    struct str raw = req->raw_path;
    if (raw.len < 2 || raw.ptr[raw.len - 1] == '/' || str_starts_with(raw, "//") ||
        memchr(raw.ptr, '\\', raw.len))
        return false;
    char *slashed = arena_printf(req->arena, "%.*s/", (int)req->path.len, req->path.ptr);
    unsigned allowed;
    if (!find(req, str_from(slashed), &allowed) || !(req->method & GET_HEAD))
        return false;
    char *loc = req->query.len ? arena_printf(req->arena, "%.*s/?%.*s", (int)raw.len, raw.ptr,
                                              (int)req->query.len, req->query.ptr)
                               : arena_printf(req->arena, "%.*s/", (int)raw.len, raw.ptr);
    http_response_redirect(res, 301, str_from(loc));
    return true;
}

static void run(struct app *app, const struct route *r, struct request *req,
                struct response *res)
{
    enum err_code rc = r->handler(app, req, res);
    if (rc)
        http_send_err(req, res, rc, NULL);
    else if (res->cache_control && (!app->cache || !(r->flags & ROUTE_CACHEABLE)))
        http_response_header(res, "cache-control", str_from(res->cache_control));
}

/*
 * Only requests without credentials share cached responses: a request with our session
 * cookie or an Authorization header may be shown something personal (the editor's
 * views, later), which must never reach another reader. Other cookies (a reader's
 * analytics) do not change what we send.
 */
static bool anonymous(const struct request *req)
{
    struct str cookie = http_request_header(req, "cookie");
    return !http_request_header(req, "authorization").ptr &&
           (!cookie.ptr || !memmem(cookie.ptr, cookie.len, "nd_session=", 11));
}

/* The route's checks, then the cache or the handler. */
static void dispatch(struct app *app, const struct route *r, unsigned allowed,
                     struct request *req, struct response *res)
{
    if (!r) {
        if (allowed)
            send_allow(req, res, allowed);
        else if (!redirect_slash(req, res))
            http_send_err(req, res, ERR_NOTFOUND, NULL);
        return;
    }
    if (req->body.len > r->body_max) {
        http_send_err(req, res, ERR_TOOBIG, "request body too large");
        return;
    }
    if (!(r->flags & ROUTE_CACHEABLE) || !app->cache || !anonymous(req)) {
        run(app, r, req, res);
        return;
    }
    struct str query = http_query_keep(req, r->params);
    struct str key = query.len ? str_from(arena_printf(req->arena, "%.*s?%.*s",
                                                       (int)req->path.len, req->path.ptr,
                                                       (int)query.len, query.ptr))
                               : req->path;
    struct cache_ticket t;
    if (cache_serve(app->cache, key, req, res, &t))
        return;
    run(app, r, req, res);
    cache_store(app->cache, &t, req, res);
}

void routes_dispatch(void *ctx, struct request *req, struct response *res)
{
    struct app *app = ctx;
    unsigned allowed;
    const struct route *r = find(req, req->path, &allowed);
    if (!r || !(r->flags & ROUTE_API)) {
        dispatch(app, r, allowed, req, res);
        return;
    }
    /*
     * Ghost's API: errors in its JSON envelope, and CORS and Content-Version on every
     * answer, rendered or from the cache (which keeps bodies, not these headers).
     */
    res->error_page = api_error_page;
    res->error_ctx = app;
    dispatch(app, r, allowed, req, res);
    api_response_finish(req, res);
}
