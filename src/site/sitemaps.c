/*
 * /sitemap.xml (an index), the post, tag and author sitemaps (posts split into files of
 * SITEMAP_POSTS_PER_FILE), /sitemap-news.xml (the last 48 hours) and /robots.txt.
 */
#include "site/site_int.h"

#include "app.h"
#include "feed/feed.h"
#include "http/http.h"
#include "store/store.h"

#include <string.h>

#define SITEMAP_TYPE "application/xml; charset=utf-8"
/*
 * Posts per sitemap file: a tenth of the protocol's FEED_SITEMAP_MAX_URLS. A publish moves
 * every file along by one post, so each is rendered again when next asked for: at a
 * million posts 50,000 URLs took 220 ms (SQLite's reads and the XML), 10,000 took 30 to
 * 85 ms on a busy machine, 5,000 stay well under 50 ms; a million posts are 200 files.
 */
#define SITEMAP_POSTS_PER_FILE 5000
_Static_assert(SITEMAP_POSTS_PER_FILE <= FEED_SITEMAP_MAX_URLS, "STANDARDS.md S5");

static struct feed_url *urls_of(const struct store_sitemap_entry *e, size_t n, const char *prefix,
                                struct arena *a)
{
    struct feed_url *u = arena_calloc(a, n ? n : 1, sizeof(*u));
    for (size_t i = 0; i < n; i++) {
        u[i].path = arena_cat3(a, prefix, e[i].slug, "/");
        u[i].lastmod = e[i].lastmod;
        u[i].title = e[i].title;
        u[i].published_at = e[i].published_at;
    }
    return u;
}

static struct str posts_file(int64_t i, struct arena *a)
{
    return i == 0 ? STR_LIT("/sitemap-posts.xml")
                  : str_from(arena_printf(a, "/sitemap-posts-%lld.xml", (long long)i + 1));
}

static int64_t newest(const struct store_sitemap_entry *e, size_t n)
{
    int64_t t = 0;
    for (size_t i = 0; i < n; i++)
        t = e[i].lastmod > t ? e[i].lastmod : t;
    return t;
}

enum err_code site_sitemap_index(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    int64_t *mods;
    size_t nfiles;
    struct store_sitemap_entry *tags, *authors;
    size_t ntags, nauthors;
    struct store *st = app_store(req);
    /* with the cache the feed index is kept fresh: its keys carry each post's lastmod */
    enum err_code rc = app->cache ? site_feed_slices(app->site, st, SITEMAP_POSTS_PER_FILE,
                                                     req->arena, &mods, &nfiles, err)
                                  : store_sitemap_slices(st, SITEMAP_POSTS_PER_FILE, req->arena,
                                                         &mods, &nfiles, err);
    if (!rc)
        rc = store_sitemap(st, STORE_SITEMAP_TAGS, 0, 0, 0, req->arena, &tags, &ntags, err);
    if (!rc)
        rc =
            store_sitemap(st, STORE_SITEMAP_AUTHORS, 0, 0, 0, req->arena, &authors, &nauthors, err);
    if (rc)
        return rc;
    struct store_sitemap_entry *pages;
    size_t npages;
    if (!rc)
        rc = store_sitemap(st, STORE_SITEMAP_PAGES, 0, 0, 0, req->arena, &pages, &npages, err);
    if (rc)
        return rc;
    struct feed_url *u = arena_calloc(req->arena, nfiles + 4, sizeof(*u));
    size_t n = 0;
    for (size_t i = 0; i < nfiles; i++)
        u[n++] = (struct feed_url){.path = posts_file((int64_t)i, req->arena), .lastmod = mods[i]};
    /* as Ghost lists them: the static pages (About, Contact) have a sitemap of their own */
    u[n++] =
        (struct feed_url){.path = STR_LIT("/sitemap-pages.xml"), .lastmod = newest(pages, npages)};
    u[n++] =
        (struct feed_url){.path = STR_LIT("/sitemap-tags.xml"), .lastmod = newest(tags, ntags)};
    u[n++] = (struct feed_url){.path = STR_LIT("/sitemap-authors.xml"),
                               .lastmod = newest(authors, nauthors)};
    u[n++] = (struct feed_url){.path = STR_LIT("/sitemap-news.xml")};
    http_response_dep(res, "list");
    res->content_type = SITEMAP_TYPE;
    return feed_sitemap_index(app->site->settings.url, u, n, &res->body);
}

/*
 * The posts from offset on, a file's worth. A deep file starts from the feed index's
 * cursor (feedindex.c) when the cache keeps it fresh: one index seek instead of an
 * OFFSET walk of up to a million entries.
 */
static enum err_code posts_slice(struct app *app, const struct request *req, int64_t offset,
                                 struct store_sitemap_entry **e, size_t *count, struct err *err)
{
    struct store *st = app_store(req);
    if (offset == 0 || !app->cache)
        return store_sitemap(st, STORE_SITEMAP_POSTS, offset, SITEMAP_POSTS_PER_FILE, 0, req->arena,
                             e, count, err);
    struct store_cursor c;
    struct store_filter all = {0};
    enum err_code rc = site_feed_cursor(app->site, st, &all, offset - 1, &c, err);
    if (rc)
        return rc;
    return store_sitemap_after(st, &c, SITEMAP_POSTS_PER_FILE, req->arena, e, count, err);
}

/* /sitemap-posts.xml is file 1, /sitemap-posts-N.xml file N (N >= 2). */
enum err_code site_sitemap_posts(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    struct str n = http_request_param(req, "n");
    int64_t file = 1;
    if (n.len && (n.ptr[0] == '0' || !str_to_i64(n, &file) || file < 2 || file > 1000000))
        return ERR_NOTFOUND;
    struct store_sitemap_entry *e;
    size_t count;
    enum err_code rc = posts_slice(app, req, (file - 1) * SITEMAP_POSTS_PER_FILE, &e, &count, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "there is no sitemap file %lld", (long long)file);
    if (rc)
        return rc;
    if (count == 0 && file > 1)
        return ERR_NOTFOUND;
    http_response_dep(res, "list");
    res->content_type = SITEMAP_TYPE;
    res->last_modified = newest(e, count);
    return feed_sitemap_urls(app->site->settings.url, urls_of(e, count, "/", req->arena), count,
                             &res->body);
}

static enum err_code people_or_tags(struct app *app, const struct request *req,
                                    struct response *res, enum store_sitemap_kind kind,
                                    const char *prefix)
{
    struct err err = {0};
    struct store_sitemap_entry *e;
    size_t count;
    enum err_code rc = store_sitemap(app_store(req), kind, 0, 0, 0, req->arena, &e, &count, &err);
    if (rc)
        return rc;
    http_response_dep(res, "list");
    res->content_type = SITEMAP_TYPE;
    res->last_modified = newest(e, count);
    return feed_sitemap_urls(app->site->settings.url, urls_of(e, count, prefix, req->arena), count,
                             &res->body);
}

enum err_code site_sitemap_tags(struct app *app, const struct request *req, struct response *res,
                                struct err *err)
{
    (void)err;
    return people_or_tags(app, req, res, STORE_SITEMAP_TAGS, "/tag/");
}

enum err_code site_sitemap_authors(struct app *app, const struct request *req, struct response *res,
                                   struct err *err)
{
    (void)err;
    return people_or_tags(app, req, res, STORE_SITEMAP_AUTHORS, "/author/");
}

enum err_code site_sitemap_pages(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    (void)err;
    return people_or_tags(app, req, res, STORE_SITEMAP_PAGES, "/");
}

/* Google wants ISO 639 ("en", "uk"), with zh-cn and zh-tw the exceptions (N3). */
static struct str news_language(struct str lang, struct arena *a)
{
    char out[8];
    size_t n = 0;
    bool zh = lang.len >= 5 && (str_starts_with(lang, "zh-") || str_starts_with(lang, "zh_"));
    for (size_t i = 0; i < lang.len && n < (zh ? 5u : 3u); i++) {
        char c = lang.ptr[i];
        if (c == '-' || c == '_') {
            if (!zh)
                break;
            c = '-';
        }
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return arena_str(a, (struct str){out, n});
}

/* The publication's name as Google shows it: without parentheses (N3). */
static struct str publication(struct str title, struct arena *a)
{
    char *out = arena_alloc(a, title.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < title.len; i++)
        if (title.ptr[i] != '(' && title.ptr[i] != ')')
            out[n++] = title.ptr[i];
    out[n] = '\0';
    return str_trim((struct str){out, n});
}

enum err_code site_sitemap_news(struct app *app, const struct request *req, struct response *res,
                                struct err *err)
{
    struct store_sitemap_entry *e;
    size_t count;
    enum err_code rc = store_sitemap(app_store(req), STORE_SITEMAP_NEWS, 0, FEED_NEWS_MAX,
                                     time_now() - FEED_NEWS_WINDOW, req->arena, &e, &count, err);
    if (rc)
        return rc;
    const struct site_settings *s = &app->site->settings;
    res->content_type = SITEMAP_TYPE;
    http_response_header(res, "cache-control", STR_LIT("public, max-age=60"));
    return feed_sitemap_news(s->url, publication(s->title, req->arena),
                             news_language(s->language, req->arena),
                             urls_of(e, count, "/", req->arena), count, &res->body);
}

enum err_code site_robots(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    (void)err;
    (void)req;
    const struct str url = app->site->settings.url;
    res->content_type = "text/plain; charset=utf-8";
    return buf_printf(&res->body,
                      "User-agent: *\nAllow: /\nDisallow: /more/\nDisallow: /metrics\n\n"
                      "Sitemap: %.*s/sitemap.xml\n",
                      (int)url.len, url.ptr);
}
