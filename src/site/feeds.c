/*
 * The feeds of the site, a tag and an author, in the three formats of feed/. They list
 * the same posts as the first page of the HTML list they follow, with full bodies.
 */
#include "site/site_int.h"

#include "app.h"
#include "feed/feed.h"
#include "http/http.h"
#include "media/media.h"
#include "store/store.h"

#include <string.h>

/* Which list a feed request names: the whole feed, or a tag's or an author's (by route). */
struct feed_scope {
    struct store_filter filter;
    struct str page_path;
    struct str title;
    struct str description;
};

static enum err_code scope_of(struct app *app, const struct request *req, struct response *res,
                              struct feed_scope *sc, struct err *err)
{
    const struct site *site = app->site;
    struct str slug = http_request_param(req, "slug");
    memset(sc, 0, sizeof(*sc));
    sc->title = site->settings.title;
    sc->description = site->settings.description;
    sc->page_path = STR_LIT("/");
    if (!slug.len) {
        http_response_dep(res, "list");
        return ERR_OK;
    }
    enum err_code rc;
    struct str name;
    bool is_tag = str_starts_with(req->path, "/tag/");
    if (is_tag) {
        struct content_tag t;
        rc = site_public_tag(app_store(req), slug, req->arena, &t, err);
        sc->filter.tag_id = rc ? 0 : t.id;
        name = rc ? STR_NULL : t.name;
        if (!rc && t.description.len)
            sc->description = t.description;
    } else {
        struct content_author au;
        rc = store_author_by_slug(app_store(req), slug, req->arena, &au, err);
        sc->filter.author_id = rc ? 0 : au.id;
        name = rc ? STR_NULL : au.name;
        if (!rc && au.bio.len)
            sc->description = au.bio;
    }
    if (rc)
        return rc; /* a feed of something that does not exist is a 404, not an empty feed */
    http_response_dep(res, is_tag ? "tag:%lld" : "author:%lld",
                      (long long)(is_tag ? sc->filter.tag_id : sc->filter.author_id));
    sc->page_path = arena_cat3(req->arena, is_tag ? "/tag/" : "/author/", slug, "/");
    sc->title = str_from(arena_printf(req->arena, "%.*s – %.*s", (int)name.len, name.ptr,
                                      (int)site->settings.title.len, site->settings.title.ptr));
    return ERR_OK;
}

/*
 * Each post's feature image for the feed: a photo of ours at MEDIA_SOCIAL_WIDTH with its
 * type and size, another image by its URL alone. The bodies' photo URLs become absolute:
 * a feed reader shows them away from the site.
 */
static const struct feed_image *feed_images(struct app *app, const struct request *req,
                                            struct response *res, struct content_post *posts,
                                            size_t n)
{
    struct feed_image *v = arena_calloc(req->arena, n ? n : 1, sizeof(*v));
    struct str site_url = app->site->settings.url;
    for (size_t i = 0; i < n; i++) {
        posts[i].html = media_html_absolute(posts[i].html, site_url, req->arena);
        struct view_page pg;
        memset(&pg, 0, sizeof(pg));
        site_photos_page_image(app_store(req), app->site, posts[i].feature_image,
                               posts[i].feature_image_alt, &pg, res);
        v[i] = (struct feed_image){.url = pg.image,
                                   .type = pg.image_type,
                                   .width = (int)pg.image_width,
                                   .height = (int)pg.image_height,
                                   .alt = pg.image_alt};
    }
    return v;
}

static enum err_code serve_feed(struct app *app, const struct request *req, struct response *res,
                                enum feed_format f, struct err *err)
{
    struct feed_scope sc;
    enum err_code rc = scope_of(app, req, res, &sc, err);
    struct content_post *posts = NULL;
    size_t n = 0;
    if (!rc)
        rc = store_posts_list(app_store(req), &sc.filter, 0, app->site->settings.posts_per_page,
                              req->arena, &posts, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = store_post_feed_item(app_store(req), &posts[i], req->arena, err);
        int64_t t = posts[i].updated_at > posts[i].published_at ? posts[i].updated_at
                                                                : posts[i].published_at;
        if (t > res->last_modified)
            res->last_modified = t;
    }
    if (rc)
        return rc;
    const struct site_settings *s = &app->site->settings;
    struct feed_info info = {
        .title = sc.title,
        .description = sc.description,
        .language = s->language,
        .site_url = s->url,
        .page_path = sc.page_path,
        .self_path = req->path,
        .updated = res->last_modified,
        .images = feed_images(app, req, res, posts, n),
        .hub_url =
            str_from(arena_printf(req->arena, "%.*s" SITE_HUB_PATH, (int)s->url.len, s->url.ptr)),
    };
    res->content_type = feed_content_type(f);
    return feed_write(f, &info, posts, n, &res->body);
}

enum err_code site_rss(struct app *app, const struct request *req, struct response *res,
                       struct err *err)
{
    return serve_feed(app, req, res, FEED_RSS, err);
}

enum err_code site_atom(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    return serve_feed(app, req, res, FEED_ATOM, err);
}

enum err_code site_json_feed(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    return serve_feed(app, req, res, FEED_JSON, err);
}

/* The feeds a topic may name: the route table's patterns for them, with their handlers. */
static const struct {
    const char *pattern;
    enum err_code (*handler)(struct app *, const struct request *, struct response *, struct err *);
} topics[] = {
    {"/rss/", site_rss},
    {"/atom/", site_atom},
    {"/feed.json", site_json_feed},
    {"/tag/{slug}/rss/", site_rss},
    {"/tag/{slug}/atom/", site_atom},
    {"/tag/{slug}/feed.json", site_json_feed},
    {"/author/{slug}/rss/", site_rss},
    {"/author/{slug}/atom/", site_atom},
    {"/author/{slug}/feed.json", site_json_feed},
};

/*
 * The handler itself runs, on a request made here rather than read from a socket, so a
 * subscriber is sent exactly the bytes a reader's GET of the topic gets.
 */
enum err_code site_feed_render(struct app *app, struct store *st, struct str path, struct arena *a,
                               struct site_feed *out, struct err *err)
{
    struct worker w = {.index = 0, .store = st};
    struct request req = {.method = HTTP_GET, .path = path, .raw_path = path, .arena = a};
    req.worker = &w;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < ARRAY_LEN(topics); i++) {
        if (!http_route_match(topics[i].pattern, path, &req))
            continue;
        struct response res;
        http_response_init(&res, a, HTTP_RESPONSE_MAX);
        enum err_code rc = topics[i].handler(app, &req, &res, err);
        if (!rc) {
            out->body = arena_str(a, buf_str(&res.body));
            out->content_type = res.content_type;
            /* scope_of names the list the feed follows first */
            out->dep = res.ndeps ? arena_str(a, res.deps[0]) : STR_LIT("list");
        }
        http_response_release(&res);
        if (rc == ERR_NOTFOUND)
            return err_set(err, ERR_NOTFOUND, "no such feed '%.*s'", (int)path.len, path.ptr);
        return rc;
    }
    return err_set(err, ERR_NOTFOUND, "'%.*s' is not one of the site's feeds", (int)path.len,
                   path.ptr);
}
