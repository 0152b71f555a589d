/*
 * site: the reader's HTML pages, the news feed, article, section (tag) and author pages,
 * "Show More" batches, theme assets and error pages, and the site's settings.
 *
 * A struct site holds what is fixed while serving: the settings read at start-up, the
 * compiled theme and its assets in memory. It is built once, then only read, by any
 * number of threads. Handlers read the database through the worker's connection.
 */
#ifndef SITE_H
#define SITE_H

#include "base/base.h"

struct app;
struct request;
struct site;
struct response;
struct store;

/* ---- settings -------------------------------------------------------------------- */

struct site_settings {
    struct str title;
    struct str description;
    struct str url;      /* absolute, no trailing slash: "https://news.example.org" */
    struct str language; /* BCP 47: "en", "uk" */
    struct str timezone; /* IANA: "Europe/Kyiv" */
    struct str contact_email;
    int64_t posts_per_page;
    /*
     * The settings 'logo' and 'icon' as the pages use them: a photo of ours becomes the URL
     * of a rendition just large enough, with the photo's size and type; another address
     * stays as it is (size 0, type empty). Empty when not set.
     */
    struct str logo;
    int64_t logo_width, logo_height;
    struct str icon;
    struct str icon_type;
    struct str accent_color; /* "#RRGGBB" checked for contrast, or empty: the theme's own */
    struct str navigation;   /* Ghost's navigation: [{"label": ..., "url": ...}], checked */
};

/* A setting's name, its label in a form, what it means, and its default. */
struct site_setting_def {
    const char *key;
    const char *label;
    const char *help;
    const char *fallback;
};

/* The navigation before anyone sets one: the sections menu the theme always had. */
#define SITE_NAVIGATION_DEFAULT "[{\"label\":\"News Feed\",\"url\":\"/tag/news-feed/\"}]"
/* The most links the navigation may have. */
#define SITE_NAVIGATION_MAX 20
/* WCAG 2.1 AA for normal text: what the brand colour must reach against white. */
#define SITE_CONTRAST_MIN 4.5

/* One link of the navigation menu. */
struct site_nav_item {
    struct str label;
    struct str url; /* a path on the site ("/tag/world/") or an absolute http(s) URL */
};

/** The known settings, in display order. */
const struct site_setting_def *site_setting_defs(size_t *n);
/**
 * Checks value for key: unknown keys and bad values are ERR_INVALID with a message saying
 * what is expected. *normalized receives the value to store (e.g. a URL without its
 * trailing slash), living in a.
 */
enum err_code site_setting_check(const char *key, struct str value, struct arena *a,
                                 struct str *normalized, struct err *err);
/**
 * The links of a navigation setting (a JSON array of {"label", "url"}; empty text is no
 * links). ERR_INVALID says which link is wrong and why. Results live in a.
 */
enum err_code site_navigation_parse(struct str text, struct arena *a, struct site_nav_item **out,
                                    size_t *n, struct err *err);
/** The links as the setting stores them: compact JSON, in a. */
struct str site_navigation_json(const struct site_nav_item *items, size_t n, struct arena *a);
/**
 * The contrast ratio (WCAG 2.1) of a "#RRGGBB" colour with white, 1 to 21, rounded down to
 * two decimals as people are shown it; false when hex is not such a colour.
 */
bool site_color_contrast(struct str hex, double *ratio);
/** Reads every setting, defaults filled in. Results live in a. */
enum err_code site_settings_load(struct store *st, struct arena *a, struct site_settings *out,
                                 struct err *err);

/* ---- the site -------------------------------------------------------------------- */

/**
 * Compiles the theme in theme_dir and loads its assets; copies settings. Theme errors
 * name the file and line. Caller frees with site_free().
 */
enum err_code site_open(const char *theme_dir, const struct site_settings *settings,
                        struct site **out, struct err *err);
void site_free(struct site *site);
/** The settings the site was opened with. */
const struct site_settings *site_settings_of(const struct site *site);

/* ---- handlers (route_handler_fn) ------------------------------------------------- */

enum err_code site_home(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
enum err_code site_post(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
enum err_code site_tag(struct app *app, const struct request *req, struct response *res,
                       struct err *err);
enum err_code site_author(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
/** RSS, Atom and JSON Feed of the feed, a tag or an author (the route says which). */
enum err_code site_rss(struct app *app, const struct request *req, struct response *res,
                       struct err *err);
enum err_code site_atom(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
enum err_code site_json_feed(struct app *app, const struct request *req, struct response *res,
                             struct err *err);
/* Where the site's WebSub hub answers (websub/), under the site's url. */
#define SITE_HUB_PATH "/websub/"

/* A feed rendered for the WebSub hub. */
struct site_feed {
    struct str body;
    const char *content_type; /* static: feed_content_type's */
    struct str dep;           /* the change-log key it follows: "list", "tag:3", "author:5" */
};

/**
 * The feed at path (one of the paths of the feed routes: "/rss/", "/tag/x/atom/",
 * "/author/y/feed.json") as a GET of it would answer, rendered without a socket through
 * the read connection st (the calling thread's own). ERR_NOTFOUND when path is no feed of
 * ours or names a tag or author that does not exist. Results live in a. Thread-safe as
 * the handlers are.
 */
enum err_code site_feed_render(struct app *app, struct store *st, struct str path, struct arena *a,
                               struct site_feed *out, struct err *err);
/** Sitemaps (sitemaps.org 0.9), the Google News sitemap and robots.txt. */
enum err_code site_sitemap_index(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
enum err_code site_sitemap_posts(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
enum err_code site_sitemap_tags(struct app *app, const struct request *req, struct response *res,
                                struct err *err);
enum err_code site_sitemap_authors(struct app *app, const struct request *req, struct response *res,
                                   struct err *err);
enum err_code site_sitemap_news(struct app *app, const struct request *req, struct response *res,
                                struct err *err);
enum err_code site_sitemap_pages(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
enum err_code site_robots(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
/*
 * Live updates (live.c): the streams of the feed (/live/), a tag's and an author's
 * (server-sent events, live.h), and the thread that follows the change log for them,
 * from the change head on, through its own read connection.
 */
struct live;
struct site_live;
enum err_code site_live(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
enum err_code site_live_tag(struct app *app, const struct request *req, struct response *res,
                            struct err *err);
enum err_code site_live_author(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code site_live_start(struct app *app, struct live *lv, int64_t from,
                              struct site_live **out, struct err *err);
void site_live_stop(struct site_live *sl);

/** A batch of teasers after a cursor, as an HTML fragment for "Show More". */
enum err_code site_more(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
/*
 * The tips form takes up to SITE_TIP_PHOTOS photos of at most SITE_TIP_PHOTO_BYTES each;
 * its body may hold that many at the limit and the text around them. One photo larger
 * than the limit still arrives whole, so the form can say which one and keep the text.
 */
#define SITE_TIP_PHOTOS 3
#define SITE_TIP_PHOTO_BYTES (10u * 1024 * 1024)
#define SITE_TIPS_BODY_MAX (SITE_TIP_PHOTOS * SITE_TIP_PHOTO_BYTES + 2u * 1024 * 1024)

/**
 * The reader's search (search.c): the results page /search/?q=&c= (the query's normal
 * form in the box, a page of results with snippets, "More results" by cursor; an empty
 * query is the form alone; one past SEARCH_QUERY_MAX is the form and a message, 400; a
 * damaged cursor ERR_INVALID), its JSON for as-you-type /search.json?q= (a few results,
 * the last word a prefix) and the OpenSearch description /opensearch.xml.
 */
enum err_code site_search(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code site_search_json(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code site_opensearch(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
/**
 * The cache key of a search request: its path, the query's normal form and the cursor,
 * so spellings that find the same posts share an entry; STR_NULL when the request is not
 * to be cached (too long, a damaged cursor). Result lives in req->arena.
 */
struct str site_search_key(const struct request *req);
/*
 * Searches the cache cannot answer are the expensive requests: serve --search-limit of
 * them per client address in this many seconds (routes.c), then 429 with Retry-After.
 */
#define SITE_SEARCH_LIMIT_WINDOW 10

/** The readers' tips form (GET) and what it sends (POST). */
enum err_code site_tips(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
enum err_code site_tips_post(struct app *app, const struct request *req, struct response *res,
                             struct err *err);
enum err_code site_asset(struct app *app, const struct request *req, struct response *res,
                         struct err *err);
/**
 * A photo, /content/images/... (media_serve): the canonical path of a rendition is sent
 * with immutable caching; any other path naming a stored photo is a 301 to its canonical
 * one (Ghost's /size/w600/ included); nothing else exists (404).
 */
enum err_code site_image(struct app *app, const struct request *req, struct response *res,
                         struct err *err);
/**
 * A draft shared through a preview link, /preview/{token}/ (auth_preview_verify): the
 * post's current text in the article's own template, marked as a preview, never cached
 * or indexed. A published post redirects to its address; a token that is not genuine or
 * names no post is 404, an expired one 410, each on the theme's error page saying so.
 */
enum err_code site_preview(struct app *app, const struct request *req, struct response *res,
                           struct err *err);
/** The server's counters for monitoring (Prometheus text), to loopback clients only. */
enum err_code site_metrics(struct app *app, const struct request *req, struct response *res,
                           struct err *err);
/** /healthz: 200 "ok" while the process serves at all (no database involved). */
enum err_code site_healthz(struct app *app, const struct request *req, struct response *res,
                           struct err *err);
/** /readyz: 200 "ready" when the database answers, else 503 with what is wrong. */
enum err_code site_readyz(struct app *app, const struct request *req, struct response *res,
                          struct err *err);

/**
 * The response cache's sync callback (cache_sync_fn): reads the change log through the
 * worker's connection and invalidates what each change touched.
 */
struct cache;
void site_cache_sync(void *ctx, void *worker, struct cache *c);

/** Renders the themed error page (http_send_err's renderer). ctx is the struct app. */
enum err_code site_error_page(void *ctx, const struct request *req, struct response *res,
                              enum err_code code, const char *msg);

#endif
