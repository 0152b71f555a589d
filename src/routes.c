/*
 * The route table and the one dispatcher that applies its flags. Order matters: the
 * first pattern that matches wins, so the article catch-all "/{slug}/" comes last.
 */
#include "routes.h"

#include "admin/admin.h"
#include "api/api.h"
#include "api/api_admin.h"
#include "app.h"
#include "cache/cache.h"
#include "content/content.h"
#include "http/http.h"
#include "media/media.h"
#include "site/site.h"
#include "store/store.h"
#include "websub/websub.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define GET_HEAD (HTTP_GET | HTTP_HEAD)

static const char *const more_params[] = {"before", "tag", "author", "exclude", NULL};
static const char *const tips_params[] = {"about", "post", "sent", NULL};

/* staff routes: a session of at least this role; posts are checked with CSRF too */
#define ANY_STAFF (ROUTE_ADMIN | ROUTE_STAFF(AUTH_CONTRIBUTOR))
#define EDITORS (ROUTE_ADMIN | ROUTE_STAFF(AUTH_EDITOR))
#define ADMINS (ROUTE_ADMIN | ROUTE_STAFF(AUTH_ADMINISTRATOR))
#define STAFF_POST(role) (ROUTE_ADMIN | ROUTE_STAFF(role) | ROUTE_CSRF)
#define FORM_MAX (CONTENT_MARKDOWN_MAX + 64 * 1024) /* a post: its body and its fields */
static const char *const asset_params[] = {"v", NULL};
/* the Content API's cache key: the key and what shapes the answer (Ghost's parameters) */
static const char *const api_params[] = {"key",   "include", "fields", "formats", "filter",
                                         "limit", "page",    "order",  NULL};

#define API_GET (ROUTE_CACHEABLE | ROUTE_API)
#define PAGE (ROUTE_CACHEABLE | ROUTE_PAGE) /* a reader's HTML page */
#define FEED (ROUTE_CACHEABLE | ROUTE_FEED) /* a feed, with its WebSub hub */
#define CONTENT "/ghost/api/content/"
#define ADMIN_API "/ghost/api/admin/"
#define ADMIN_JSON API_ADMIN_JSON_MAX /* a post's JSON: its fields and its body */

/*
 * The paths whose next segment is a secret token: a preview link's and a one-time link's.
 * The access log masks it (http_config's secret_paths), and their answers send only the
 * origin in Referer, so that the page's own requests (its stylesheet, its form) do not
 * carry the token into the log either. strict-origin still sends Origin with the form's
 * POST, which the CSRF check needs; no-referrer would not.
 */
const char *const routes_secret_paths[] = {"/preview/", "/admin/reset/", NULL};
/* the editor's page after "Share a preview" shows the new link (admin/share.c) */
const char *const routes_secret_params[] = {"preview_link", NULL};

static bool secret_path(struct str path)
{
    for (const char *const *p = routes_secret_paths; *p; p++)
        if (str_starts_with(path, *p))
            return true;
    return false;
}

static const struct route routes[] = {
    {GET_HEAD, "/", site_home, PAGE, 0, NULL},
    {GET_HEAD, "/page/{n}/", site_home, PAGE, 0, NULL},
    {GET_HEAD, "/more/", site_more, PAGE, 0, more_params},
    {GET_HEAD, "/tag/{slug}/", site_tag, PAGE, 0, NULL},
    {GET_HEAD, "/tag/{slug}/page/{n}/", site_tag, PAGE, 0, NULL},
    {GET_HEAD, "/author/{slug}/", site_author, PAGE, 0, NULL},
    {GET_HEAD, "/author/{slug}/page/{n}/", site_author, PAGE, 0, NULL},
    /* live updates: server-sent events, open until the reader leaves (site/live.c) */
    {GET_HEAD, "/live/", site_live, 0, 0, NULL},
    {GET_HEAD, "/tag/{slug}/live/", site_live_tag, 0, 0, NULL},
    {GET_HEAD, "/author/{slug}/live/", site_live_author, 0, 0, NULL},
    {GET_HEAD, "/rss/", site_rss, FEED, 0, NULL},
    {GET_HEAD, "/atom/", site_atom, FEED, 0, NULL},
    {GET_HEAD, "/feed.json", site_json_feed, FEED, 0, NULL},
    {GET_HEAD, "/tag/{slug}/rss/", site_rss, FEED, 0, NULL},
    {GET_HEAD, "/tag/{slug}/atom/", site_atom, FEED, 0, NULL},
    {GET_HEAD, "/tag/{slug}/feed.json", site_json_feed, FEED, 0, NULL},
    {GET_HEAD, "/author/{slug}/rss/", site_rss, FEED, 0, NULL},
    {GET_HEAD, "/author/{slug}/atom/", site_atom, FEED, 0, NULL},
    {GET_HEAD, "/author/{slug}/feed.json", site_json_feed, FEED, 0, NULL},
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
    /* photos: the same bytes for everyone, never changing under a path (media/serve.c) */
    {GET_HEAD, "/content/images/{*path}", site_image, ROUTE_CACHEABLE | ROUTE_SHARED, 0, NULL},
    {GET_HEAD, "/metrics", site_metrics, 0, 0, NULL},
    {GET_HEAD, "/healthz", site_healthz, 0, 0, NULL},
    {GET_HEAD, "/readyz", site_readyz, 0, 0, NULL},
    /* a draft shared by a signed link: never cached, never indexed (site/preview.c) */
    {GET_HEAD, "/preview/{token}/", site_preview, ROUTE_PAGE, 0, NULL},
    {GET_HEAD, "/tips/", site_tips, PAGE, 0, tips_params},
    /* keyed by the query's normal form (site_search_key), in the searches' own cache */
    {GET_HEAD, "/search/", site_search, PAGE | ROUTE_SEARCH, 0, NULL},
    {GET_HEAD, "/search.json", site_search_json, ROUTE_CACHEABLE | ROUTE_SEARCH, 0, NULL},
    {GET_HEAD, "/opensearch.xml", site_opensearch, ROUTE_CACHEABLE, 0, NULL},
    {HTTP_POST, "/tips/", site_tips_post, ROUTE_ORIGIN | ROUTE_PAGE, ROUTE_BODY_TIPS, NULL},
    /*
     * The WebSub hub (websub/): feed readers' servers subscribe from anywhere, so neither
     * CSRF nor Origin applies (nothing rides on a browser's cookies); a form of a few fields
     */
    {HTTP_POST, SITE_HUB_PATH, websub_hub_post, 0, WEBSUB_BODY_MAX, NULL},

    {GET_HEAD, "/admin/assets/{*path}", admin_asset, ROUTE_ADMIN | ROUTE_CACHEABLE | ROUTE_SHARED,
     0, asset_params},
    {GET_HEAD, "/admin/login/", admin_login_form, ROUTE_ADMIN, 0, NULL},
    /* FORM_MAX: the login form carries an editor's text when the session ended mid-save */
    {HTTP_POST, "/admin/login/", admin_login, ROUTE_ADMIN | ROUTE_CSRF, FORM_MAX, NULL},
    /* a one-time link to set a password (admin/accounts.c): no session, the login's checks */
    {GET_HEAD, "/admin/reset/{token}/", admin_reset_form, ROUTE_ADMIN, 0, NULL},
    {HTTP_POST, "/admin/reset/{token}/", admin_reset, ROUTE_ADMIN | ROUTE_CSRF, 8192, NULL},
    {GET_HEAD, "/admin/session/", admin_session_info, ROUTE_ADMIN, 0, NULL},
    {HTTP_POST, "/admin/logout/", admin_logout, STAFF_POST(AUTH_CONTRIBUTOR), 4096, NULL},
    {GET_HEAD, "/admin/", admin_posts, ANY_STAFF, 0, NULL},
    {GET_HEAD, "/admin/posts/new/", admin_post_form, ANY_STAFF, 0, NULL},
    {HTTP_POST, "/admin/posts/new/", admin_post_save, STAFF_POST(AUTH_CONTRIBUTOR), FORM_MAX, NULL},
    {HTTP_POST, "/admin/posts/new/autosave/", admin_post_autosave, STAFF_POST(AUTH_CONTRIBUTOR),
     FORM_MAX, NULL},
    {HTTP_POST, "/admin/posts/{id}/autosave/", admin_post_autosave, STAFF_POST(AUTH_CONTRIBUTOR),
     FORM_MAX, NULL},
    {HTTP_POST, "/admin/posts/{id}/autosave/discard/", admin_post_autosave_discard,
     STAFF_POST(AUTH_CONTRIBUTOR), 4096, NULL},
    {HTTP_POST, "/admin/posts/{id}/editing/", admin_post_editing, STAFF_POST(AUTH_CONTRIBUTOR),
     4096, NULL},
    {HTTP_POST, "/admin/preview/", admin_preview, STAFF_POST(AUTH_CONTRIBUTOR), FORM_MAX, NULL},
    {HTTP_POST, "/admin/posts/bulk/", admin_posts_bulk, STAFF_POST(AUTH_CONTRIBUTOR), 32 * 1024,
     NULL},
    {GET_HEAD, "/admin/posts/{id}/", admin_post_form, ANY_STAFF, 0, NULL},
    {HTTP_POST, "/admin/posts/{id}/", admin_post_save, STAFF_POST(AUTH_CONTRIBUTOR), FORM_MAX,
     NULL},
    {HTTP_POST, "/admin/posts/{id}/delete/", admin_post_delete, STAFF_POST(AUTH_CONTRIBUTOR), 4096,
     NULL},
    {HTTP_POST, "/admin/posts/{id}/share/", admin_post_share, STAFF_POST(AUTH_CONTRIBUTOR), 4096,
     NULL},
    {HTTP_POST, "/admin/media/", admin_media_upload, STAFF_POST(AUTH_CONTRIBUTOR), ROUTE_BODY_MEDIA,
     NULL},
    {GET_HEAD, "/admin/api/tags/", admin_api_tags, ANY_STAFF, 0, NULL},
    {GET_HEAD, "/admin/api/staff/", admin_api_staff, ANY_STAFF, 0, NULL},
    {GET_HEAD, "/admin/posts/{id}/revisions/", admin_revisions, ANY_STAFF, 0, NULL},
    {GET_HEAD, "/admin/revisions/{id}/", admin_revision, ANY_STAFF, 0, NULL},
    {HTTP_POST, "/admin/revisions/{id}/restore/", admin_revision_restore,
     STAFF_POST(AUTH_CONTRIBUTOR), 4096, NULL},
    {GET_HEAD, "/admin/tips/", admin_tips, EDITORS, 0, NULL},
    {GET_HEAD, "/admin/tips/{id}/", admin_tip, EDITORS, 0, NULL},
    {GET_HEAD, "/admin/tips/{id}/photos/{key}/", admin_tip_photo, EDITORS, 0, NULL},
    {HTTP_POST, "/admin/tips/{id}/", admin_tip_action, STAFF_POST(AUTH_EDITOR), 4096, NULL},
    {GET_HEAD, "/admin/staff/", admin_staff, ANY_STAFF, 0, NULL},
    {HTTP_POST, "/admin/staff/", admin_staff_add, STAFF_POST(AUTH_EDITOR), 8192, NULL},
    {GET_HEAD, "/admin/staff/{id}/", admin_profile, ANY_STAFF, 0, NULL},
    {HTTP_POST, "/admin/staff/{id}/", admin_profile_save, STAFF_POST(AUTH_CONTRIBUTOR), 16384,
     NULL},
    {HTTP_POST, "/admin/staff/{id}/access/", admin_staff_access, STAFF_POST(AUTH_ADMINISTRATOR),
     4096, NULL},
    {HTTP_POST, "/admin/staff/{id}/link/", admin_staff_link, STAFF_POST(AUTH_ADMINISTRATOR), 4096,
     NULL},
    {GET_HEAD, "/admin/tags/", admin_tags, EDITORS, 0, NULL},
    {HTTP_POST, "/admin/tags/{id}/", admin_tag_save, STAFF_POST(AUTH_EDITOR), 8192, NULL},
    /* the media library (admin/media.c); the upload, POST /admin/media/, is media/'s */
    {GET_HEAD, "/admin/media/", admin_media, ANY_STAFF, 0, NULL},
    {GET_HEAD, "/admin/api/media/", admin_api_media, ANY_STAFF, 0, NULL},
    {GET_HEAD, "/admin/media/{key}/", admin_media_edit, ANY_STAFF, 0, NULL},
    {HTTP_POST, "/admin/media/{key}/", admin_media_save, STAFF_POST(AUTH_CONTRIBUTOR), 16384, NULL},
    {HTTP_POST, "/admin/media/{key}/delete/", admin_media_delete, STAFF_POST(AUTH_CONTRIBUTOR),
     4096, NULL},
    {GET_HEAD, "/admin/audit/", admin_audit, ADMINS, 0, NULL},
    {GET_HEAD, "/admin/settings/", admin_settings, ADMINS, 0, NULL},
    {HTTP_POST, "/admin/settings/", admin_settings_save, STAFF_POST(AUTH_ADMINISTRATOR), 16384,
     NULL},
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

    /* Ghost's Admin API (api/admin*.c): a key's JWT or a session; never cached */
    {GET_HEAD, ADMIN_API "site/", api_admin_site, ROUTE_API, 0, NULL},
    {GET_HEAD, ADMIN_API "posts/", api_admin_posts_browse, ROUTE_API, 0, NULL},
    {HTTP_POST, ADMIN_API "posts/", api_admin_posts_add, ROUTE_API, ADMIN_JSON, NULL},
    {GET_HEAD, ADMIN_API "posts/slug/{slug}/", api_admin_posts_read, ROUTE_API, 0, NULL},
    {GET_HEAD, ADMIN_API "posts/{id}/", api_admin_posts_read, ROUTE_API, 0, NULL},
    {HTTP_PUT, ADMIN_API "posts/{id}/", api_admin_posts_edit, ROUTE_API, ADMIN_JSON, NULL},
    {HTTP_DELETE, ADMIN_API "posts/{id}/", api_admin_posts_delete, ROUTE_API, 4096, NULL},
    {GET_HEAD, ADMIN_API "pages/", api_admin_posts_browse, ROUTE_API, 0, NULL},
    {HTTP_POST, ADMIN_API "pages/", api_admin_posts_add, ROUTE_API, ADMIN_JSON, NULL},
    {GET_HEAD, ADMIN_API "pages/slug/{slug}/", api_admin_posts_read, ROUTE_API, 0, NULL},
    {GET_HEAD, ADMIN_API "pages/{id}/", api_admin_posts_read, ROUTE_API, 0, NULL},
    {HTTP_PUT, ADMIN_API "pages/{id}/", api_admin_posts_edit, ROUTE_API, ADMIN_JSON, NULL},
    {HTTP_DELETE, ADMIN_API "pages/{id}/", api_admin_posts_delete, ROUTE_API, 4096, NULL},
    {GET_HEAD, ADMIN_API "tags/", api_admin_tags_browse, ROUTE_API, 0, NULL},
    {HTTP_POST, ADMIN_API "tags/", api_admin_tags_add, ROUTE_API, ADMIN_JSON, NULL},
    {GET_HEAD, ADMIN_API "tags/slug/{slug}/", api_admin_tags_read, ROUTE_API, 0, NULL},
    {GET_HEAD, ADMIN_API "tags/{id}/", api_admin_tags_read, ROUTE_API, 0, NULL},
    {HTTP_PUT, ADMIN_API "tags/{id}/", api_admin_tags_edit, ROUTE_API, ADMIN_JSON, NULL},
    {HTTP_DELETE, ADMIN_API "tags/{id}/", api_admin_tags_delete, ROUTE_API, 4096, NULL},
    {GET_HEAD, ADMIN_API "users/", api_admin_users_browse, ROUTE_API, 0, NULL},
    {GET_HEAD, ADMIN_API "users/slug/{slug}/", api_admin_users_read, ROUTE_API, 0, NULL},
    {GET_HEAD, ADMIN_API "users/email/{email}/", api_admin_users_read, ROUTE_API, 0, NULL},
    {GET_HEAD, ADMIN_API "users/{id}/", api_admin_users_read, ROUTE_API, 0, NULL},
    {HTTP_POST, ADMIN_API "images/upload/", api_admin_images_upload, ROUTE_API, ROUTE_BODY_MEDIA,
     NULL},
    {GET_HEAD, ADMIN_API "{*rest}", api_admin_not_found, ROUTE_API, 0, NULL},

    {GET_HEAD, "/{slug}/", site_post, PAGE, 0, NULL},
};

/* A route's body limit: its own, or the photo upload's from the site's photo limit. */
static size_t body_max_of(const struct app *app, const struct route *r)
{
    if (r->body_max == ROUTE_BODY_TIPS)
        return SITE_TIPS_BODY_MAX;
    if (r->body_max != ROUTE_BODY_MEDIA)
        return r->body_max;
    size_t photo =
        app && app->media ? media_config_of(app->media)->bytes_max : MEDIA_BYTES_MAX_DEFAULT;
    return photo + ROUTE_MEDIA_FORM_OVERHEAD;
}

/* The largest limit of the routes that take a form (all but those taking photos). */
static size_t forms_max(void)
{
    size_t max = 0;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++)
        if (routes[i].body_max < ROUTE_BODY_TIPS && routes[i].body_max > max)
            max = routes[i].body_max;
    return max ? max : 1024;
}

size_t routes_body_max(const struct app *app)
{
    size_t max = forms_max();
    for (size_t i = 0; i < ARRAY_LEN(routes); i++)
        if (body_max_of(app, &routes[i]) > max)
            max = body_max_of(app, &routes[i]);
    return max;
}

/*
 * The kinds of route /metrics counts requests by: a few, fixed, so that the series stay
 * few whatever paths are asked. 0, "other", is also every request no route takes (a 404,
 * a wrong method, a refusal before routing) and the redirects of old addresses.
 */
enum route_class {
    CLASS_OTHER,
    CLASS_HOME,
    CLASS_ARTICLE,
    CLASS_TAG,
    CLASS_AUTHOR,
    CLASS_LIST,
    CLASS_FEED,
    CLASS_SITEMAP,
    CLASS_SEARCH,
    CLASS_LIVE,
    CLASS_TIPS,
    CLASS_MEDIA,
    CLASS_ASSETS,
    CLASS_API_CONTENT,
    CLASS_API_ADMIN,
    CLASS_ADMIN,
    CLASS_WEBSUB,
    CLASS_OPS,
    CLASS__COUNT
};

const char *const routes_classes[] = {"other", "home",   "article", "tag",         "author",
                                      "list",  "feed",   "sitemap", "search",      "live",
                                      "tips",  "media",  "assets",  "api_content", "api_admin",
                                      "admin", "websub", "ops",     NULL};
_Static_assert(ARRAY_LEN(routes_classes) == CLASS__COUNT + 1, "a name for every class");
_Static_assert(CLASS__COUNT <= HTTP_ROUTE_CLASSES_MAX, "the server counts this many classes");

/* A route's class, from its pattern's prefix and flags; the first rule that applies wins. */
static enum route_class class_of(const struct route *r)
{
    static const struct {
        const char *prefix;
        enum route_class c;
    } by_prefix[] = {
        {CONTENT, CLASS_API_CONTENT},
        {ADMIN_API, CLASS_API_ADMIN},
        {"/admin/assets/", CLASS_ASSETS},
        {"/admin/", CLASS_ADMIN},
        {"/assets/", CLASS_ASSETS},
        {"/content/images/", CLASS_MEDIA},
        {"/metrics", CLASS_OPS},
        {"/healthz", CLASS_OPS},
        {"/readyz", CLASS_OPS},
        {SITE_HUB_PATH, CLASS_WEBSUB},
        {"/sitemap", CLASS_SITEMAP},
        {"/robots.txt", CLASS_SITEMAP},
        {"/opensearch.xml", CLASS_SEARCH},
        {"/tips/", CLASS_TIPS},
        {"/more/", CLASS_LIST},
    };
    struct str pattern = str_from(r->pattern);
    for (size_t i = 0; i < ARRAY_LEN(by_prefix); i++)
        if (str_starts_with(pattern, by_prefix[i].prefix))
            return by_prefix[i].c;
    if (r->flags & ROUTE_FEED)
        return CLASS_FEED;
    if (r->flags & ROUTE_SEARCH)
        return CLASS_SEARCH;
    if (r->handler == site_live || r->handler == site_live_tag || r->handler == site_live_author)
        return CLASS_LIVE;
    if (r->handler == site_home)
        return CLASS_HOME;
    if (r->handler == site_tag)
        return CLASS_TAG;
    if (r->handler == site_author)
        return CLASS_AUTHOR;
    /* an article, a page, a draft's preview: a post rendered */
    return r->handler == site_post || r->handler == site_preview ? CLASS_ARTICLE : CLASS_OTHER;
}

/*
 * Each pattern's first segment when it is literal ("admin" of "/admin/posts/{id}/"), so
 * that a request skips the routes of other first segments with one comparison instead of
 * a match: the table has grown past sixty routes, and a cached page's whole cost is a few
 * microseconds. first_any marks patterns whose first segment has a parameter.
 */
static struct str first_seg[ARRAY_LEN(routes)];
static bool first_any[ARRAY_LEN(routes)];
static unsigned char route_class[ARRAY_LEN(routes)]; /* class_of, once */
static pthread_once_t first_once = PTHREAD_ONCE_INIT;

static struct str first_segment(struct str path)
{
    if (!path.len || path.ptr[0] != '/')
        return STR_LIT("");
    const char *slash = memchr(path.ptr + 1, '/', path.len - 1);
    return (struct str){path.ptr + 1, slash ? (size_t)(slash - path.ptr - 1) : path.len - 1};
}

static void first_init(void)
{
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        first_seg[i] = first_segment(str_from(routes[i].pattern));
        first_any[i] = memchr(first_seg[i].ptr, '{', first_seg[i].len) != NULL;
        route_class[i] = (unsigned char)class_of(&routes[i]);
        /* every route has a class of its own: "other" is for requests no route takes */
        assert(route_class[i] != CLASS_OTHER);
        /* a post whose slug is a fixed route's first segment could never be reached */
        assert(first_any[i] || !content_slug_valid(first_seg[i]) ||
               content_slug_reserved(first_seg[i]));
    }
}

/* The first route whose pattern matches; *allowed collects the methods of all matches. */
static const struct route *find(struct request *req, struct str path, unsigned *allowed)
{
    pthread_once(&first_once, first_init);
    struct str seg = first_segment(path);
    *allowed = 0;
    const struct route *hit = NULL;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        if (!first_any[i] && !str_eq(first_seg[i], seg))
            continue;
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

size_t routes_body_limit(void *ctx, enum http_method method, struct str raw_path)
{
    struct arena a;
    arena_init(&a);
    struct request req = {.method = method, .arena = &a};
    unsigned allowed;
    const struct route *r = find(&req, raw_path, &allowed);
    arena_release(&a);
    return r ? body_max_of(ctx, r) : forms_max();
}

/* The Allow header of a 405 (RFC 9110 15.5.6): every method the path takes. */
static void add_allow(struct response *res, unsigned allowed)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{HTTP_GET, "GET"}, {HTTP_HEAD, "HEAD"},     {HTTP_POST, "POST"},
                 {HTTP_PUT, "PUT"}, {HTTP_DELETE, "DELETE"}, {HTTP_OPTIONS, "OPTIONS"}};
    char allow[64] = "";
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (allowed & names[i].bit)
            snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
                     allow[0] ? ", " : "", names[i].name);
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

/*
 * An old address of an imported site (WordPress's /?p=65, /2024/10/slug/, /category/x/)
 * answers 301 with its new one. One indexed read, and only for what would be a reader's
 * 404 (or "/" with a p parameter): found and cached pages never pay for it. The 301 is
 * not cached (the cache keeps 200s), as a 404 is not.
 */
static bool redirect_old(struct request *req, struct response *res)
{
    static const char *const p_only[] = {"p", "page_id", NULL}; /* WordPress's post, page */
    if (!(req->method & GET_HEAD))
        return false;
    struct str from = req->path;
    if (str_eq_cstr(req->path, "/")) {
        struct str p = http_query_keep(req, p_only);
        if (!p.len)
            return false;
        from = str_from(arena_printf(req->arena, "/?%.*s", (int)p.len, p.ptr));
    }
    struct str to;
    struct err err = {0};
    if (store_redirect_get(app_store(req), from, req->arena, &to, &err))
        return false;
    http_response_redirect(res, 301, to);
    return true;
}

static enum err_code run(struct app *app, const struct route *r, struct request *req,
                         struct response *res, struct err *err)
{
    enum err_code rc = r->handler(app, req, res, err);
    if (!rc && res->cache_control && (!app->cache || !(r->flags & ROUTE_CACHEABLE)))
        http_response_header(res, "cache-control", str_from(res->cache_control));
    return rc;
}

/* The handler; a reader's page it did not find may be an old address that moved. */
static enum err_code run_or_redirect(struct app *app, const struct route *r, struct request *req,
                                     struct response *res, struct err *err)
{
    enum err_code rc = run(app, r, req, res, err);
    if (rc == ERR_NOTFOUND && (r->flags & ROUTE_PAGE) && redirect_old(req, res))
        return ERR_OK;
    return rc;
}

/*
 * A public page asked for with credentials: rendered for them alone, and said to be so, so
 * that no shared cache in front keeps it for others and no browser keeps it on disk
 * (RFC 9111 5.2.2.5, 5.2.2.7; STANDARDS.md H8). Without a Cache-Control at all a cache
 * may pick a lifetime of its own (RFC 9111 4.2.2; Varnish's default_ttl).
 */
static enum err_code run_personal(struct app *app, const struct route *r, struct request *req,
                                  struct response *res, struct err *err)
{
    enum err_code rc = run_or_redirect(app, r, req, res, err);
    if (!rc)
        http_response_header_ref(res, STR_LIT("cache-control"), STR_LIT("private, no-store"));
    return rc;
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

/* A staff route's session: ERR_AUTH (with the message the login page shows) when none. */
static enum err_code guard_session(struct app *app, const struct route *r, struct request *req,
                                   struct err *err)
{
    unsigned need = ROUTE_ROLE_OF(r->flags);
    struct admin_session *s = NULL;
    if (!need && !(r->flags & ROUTE_CSRF))
        return ERR_OK;
    enum err_code rc = admin_session_load(app, req, &s);
    if (rc && rc != ERR_NOTFOUND)
        return err_set(err, rc, "cannot read the session");
    if (need && !s)
        return err_set(err, ERR_AUTH, "your session has ended: log in again");
    req->session = s; /* also for a refusal's page: its navigation is the session's */
    if (need && s->role < need)
        return err_set(err, ERR_FORBIDDEN, "this needs the %s role or above; you are %s",
                       auth_role_name((enum auth_role)need), auth_role_name(s->role));
    return ERR_OK;
}

/*
 * The checks staff routes and state-changing requests need, before any handler runs:
 * a live session of the route's role, then for POSTs the Origin and the CSRF token.
 */
static enum err_code guard(struct app *app, const struct route *r, struct request *req,
                           struct err *err)
{
    enum err_code rc = guard_session(app, r, req, err);
    if (rc || req->method != HTTP_POST || !(r->flags & (ROUTE_CSRF | ROUTE_ORIGIN)))
        return rc;
    if (!admin_same_origin(app, req))
        return err_set(err, ERR_FORBIDDEN,
                       "cross-site request refused: send the form from this site's pages");
    /* a route without a role (the login form) checks its own double-submit token */
    const struct admin_session *s = ROUTE_ROLE_OF(r->flags) ? req->session : NULL;
    if ((r->flags & ROUTE_CSRF) && !admin_csrf_ok(req, s))
        return err_set(err, ERR_FORBIDDEN,
                       "missing or wrong CSRF token: reload the page and try again");
    return ERR_OK;
}

/* The cache's key: the path and the query parameters the route reads. */
static struct str cache_key(const struct route *r, const struct request *req)
{
    struct str query = http_query_keep(req, r->params);
    if (!query.len)
        return req->path;
    return str_from(arena_printf(req->arena, "%.*s?%.*s", (int)req->path.len, req->path.ptr,
                                 (int)query.len, query.ptr));
}

/*
 * The route's checks, then the cache or the handler. Every refusal and failure comes
 * back as an error for routes_dispatch to render; the cache stores only what a handler
 * answered without one.
 */
static enum err_code dispatch(struct app *app, const struct route *r, unsigned allowed,
                              struct request *req, struct response *res, struct err *err)
{
    if (!r && allowed)
        return err_set(err, ERR_METHOD, "method not allowed");
    if (!r)
        return redirect_slash(req, res) || redirect_old(req, res) ? ERR_OK : ERR_NOTFOUND;
    if (req->body.len > body_max_of(app, r))
        return err_set(err, ERR_TOOBIG, "request body too large");
    enum err_code rc = guard(app, r, req, err);
    if (rc)
        return rc;
    /* WordPress's /?p=ID: never the home page's cache entry */
    if (req->query.len && str_eq_cstr(req->path, "/") && redirect_old(req, res))
        return ERR_OK;
    struct cache *c = r->flags & ROUTE_SEARCH ? app->search_cache : app->cache;
    if (!(r->flags & ROUTE_CACHEABLE) || !c)
        return run_or_redirect(app, r, req, res, err);
    if (!anonymous(req) && !(r->flags & ROUTE_SHARED))
        return run_personal(app, r, req, res, err);
    struct str key = r->flags & ROUTE_SEARCH ? site_search_key(req) : cache_key(r, req);
    if (!key.ptr) /* a request answered with a message: nothing to share */
        return run_or_redirect(app, r, req, res, err);
    struct cache_ticket t;
    if (cache_serve(c, key, req, res, &t))
        return ERR_OK;
    rc = run_or_redirect(app, r, req, res, err);
    if (rc)
        res->status = err_http_status(rc); /* so the cache keeps nothing of it */
    cache_store(c, &t, req, res);
    return rc;
}

/*
 * What every answer is sent with against sniffing, framing and injected code (OWASP's CSP
 * cheat sheet, STANDARDS.md 10.3), per audience. They are added here, after the handler
 * or the cache, as the API's CORS is: cached entries keep bodies, not headers, so hits
 * and 304s get them too. Static strings by reference: a hit formats nothing.
 * A reader's page has no inline script or style (themes/default), so 'self' is enough;
 * images in posts may come from other sites, over http too (the editor, the CLI and profiles
 * take http:// images and avatars, and the newsroom's CSP shows them), and an embed card's
 * player (once the reader asks for it) from the six player origins of content/embed.c. Other
 * answers (feeds, sitemaps, assets, JSON) load nothing, so their policy allows nothing. The
 * newsroom's pages set their own CSP (admin/page.c); every newsroom answer gets nosniff here.
 */
#define CSP_PAGE                                                                                   \
    "default-src 'self'; img-src 'self' https: http: data:; script-src 'self'; style-src 'self'; " \
    "frame-src https://www.youtube-nocookie.com https://platform.twitter.com https://t.me "        \
    "https://www.instagram.com https://www.facebook.com https://embed.bsky.app; "                  \
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
#define CSP_NONE "default-src 'none'; frame-ancestors 'none'"

static void add_security_headers(struct response *res, bool staff, bool page)
{
    http_response_header_ref(res, STR_LIT("x-content-type-options"), STR_LIT("nosniff"));
    if (staff)
        return;
    http_response_header_ref(res, STR_LIT("content-security-policy"),
                             page ? STR_LIT(CSP_PAGE) : STR_LIT(CSP_NONE));
    http_response_header_ref(res, STR_LIT("referrer-policy"),
                             STR_LIT("strict-origin-when-cross-origin"));
    if (page) /* frame-ancestors, for browsers that predate it */
        http_response_header_ref(res, STR_LIT("x-frame-options"), STR_LIT("DENY"));
}

/*
 * WebSub 4: a feed's answer names the hub and, exactly as a subscriber must give it as
 * hub.topic, the feed itself. Here rather than in the handler: a cached entry keeps the
 * body, not the headers, so hits and 304s get them too.
 */
static void add_hub_links(const struct app *app, const struct request *req, struct response *res)
{
    struct str url = site_settings_of(app->site)->url;
    char *link = arena_printf(
        req->arena, "<%.*s" SITE_HUB_PATH ">; rel=\"hub\", <%.*s%.*s>; rel=\"self\"", (int)url.len,
        url.ptr, (int)url.len, url.ptr, (int)req->path.len, req->path.ptr);
    http_response_header_ref(res, STR_LIT("link"), str_from(link));
}

/* Who an answer is for: that chooses its error page and the headers it is sent with. */
enum audience { AUDIENCE_READER, AUDIENCE_STAFF, AUDIENCE_API };

/*
 * The route's audience; for a path no route takes (an unknown path, a wrong method, a
 * request the server refused before routing) the audience its prefix names, so that an
 * API client always gets Ghost's envelope and staff the newsroom's page. Before routing
 * path is the raw path: a prefix spelled with escapes ("/%67host/api/") is a reader's.
 */
static enum audience audience_of(const struct route *r, struct str path)
{
    if (r)
        return (r->flags & ROUTE_API)     ? AUDIENCE_API
               : (r->flags & ROUTE_ADMIN) ? AUDIENCE_STAFF
                                          : AUDIENCE_READER;
    if (str_starts_with(path, "/ghost/api/"))
        return AUDIENCE_API;
    return str_starts_with(path, "/admin/") ? AUDIENCE_STAFF : AUDIENCE_READER;
}

/* The audience's error page; a reader's is the theme's, the server's default. */
static void use_error_page(struct app *app, enum audience aud, struct response *res)
{
    if (aud == AUDIENCE_READER)
        return;
    res->error_page = aud == AUDIENCE_API ? api_error_page : admin_error_page;
    res->error_ctx = app;
}

/* What every answer of the audience carries, rendered, cached or refused. */
static void finish(const struct request *req, struct response *res, enum audience aud, bool page)
{
    if (aud == AUDIENCE_API)
        api_response_finish(req, res);
    add_security_headers(res, aud == AUDIENCE_STAFF, aud != AUDIENCE_API && page);
}

/*
 * Routes a request and turns an error into the answer for the route's audience: Ghost's
 * JSON envelope (with CORS and Content-Version on every answer, rendered or cached) for
 * the API, the newsroom's page for staff, and the theme's page (the server's default)
 * for readers. A request the server refused before routing (req->refused) gets the same
 * treatment, its audience read from the raw path, and nothing else runs for it.
 * http_send_err() counts it.
 */
void routes_dispatch(void *ctx, struct request *req, struct response *res)
{
    struct app *app = ctx;
    if (req->refused) {
        enum audience aud = audience_of(NULL, req->raw_path);
        use_error_page(app, aud, res);
        http_send_err(req, res, req->refused, req->refused_msg);
        finish(req, res, aud, true);
        return;
    }
    unsigned allowed;
    const struct route *r = find(req, req->path, &allowed);
    /* a wrong method or an unknown path under the API is still answered in its envelope */
    enum audience aud = audience_of(r, req->path);
    use_error_page(app, aud, res);
    res->route_class = r ? route_class[r - routes] : CLASS_OTHER;
    struct err err = {0};
    enum err_code rc = dispatch(app, r, allowed, req, res, &err);
    if (rc)
        http_send_err(req, res, rc, err.msg);
    /*
     * A reader's error names no data a purge could reach (purge.h): a shared cache in front
     * that kept the 404 of a post about to be published would hide the post after the
     * write. Without a Cache-Control a cache picks a lifetime of its own (RFC 9111 4.2.2).
     */
    if (rc && aud == AUDIENCE_READER)
        http_response_header_ref(res, STR_LIT("cache-control"), STR_LIT("no-store"));
    if (rc == ERR_METHOD)
        add_allow(res, allowed);
    if (!rc && r && (r->flags & ROUTE_FEED))
        add_hub_links(app, req, res);
    /* a reader's error is the theme's HTML page whatever the route; a redirect, a page's too */
    finish(req, res, aud, rc || !r || (r->flags & ROUTE_PAGE));
    /* after the page's own policy: of several, browsers take the last (W3C Referrer Policy) */
    if (secret_path(req->path))
        http_response_header_ref(res, STR_LIT("referrer-policy"), STR_LIT("strict-origin"));
}
