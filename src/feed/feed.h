/*
 * feed: the site's syndication formats, RSS 2.0, Atom (RFC 4287) and JSON Feed 1.1,
 * written from posts and the feed's description. Pure functions over their inputs:
 * no I/O, thread-safe; output goes to the caller's capped buffer.
 *
 * Every text is made safe for its format whatever it holds: XML special characters are
 * escaped, characters XML 1.0 forbids (C0 controls but tab, newline and return) are
 * dropped, and invalid UTF-8 becomes U+FFFD, so a hostile title still gives a
 * well-formed document. Post identifiers are the posts' UUIDs (RSS guid with
 * isPermaLink="false", Atom "urn:uuid:", JSON Feed id): they never change when a post
 * is edited or its slug changes (RSS 2.0 guid, RFC 4287 4.2.6, JSON Feed 1.1 id).
 */
#ifndef FEED_H
#define FEED_H

#include "base/base.h"
#include "content/content.h"

enum feed_format { FEED_RSS, FEED_ATOM, FEED_JSON };

/*
 * A post's feature image as feeds carry it: RSS media:content (Media RSS), Atom
 * link rel="enclosure", JSON Feed "image".
 */
struct feed_image {
    struct str url;    /* absolute; empty: the post has none */
    struct str type;   /* "image/jpeg"; empty when unknown (an image hosted elsewhere) */
    int width, height; /* 0 when unknown */
    struct str alt;    /* may be empty */
};

/* What the feed is: its title, where it lives, and the page it follows. */
struct feed_info {
    struct str title;
    struct str description;
    struct str language;             /* BCP 47 */
    struct str site_url;             /* absolute, no trailing slash */
    struct str page_path;            /* the HTML page this feed follows: "/", "/tag/x/" */
    struct str self_path;            /* this feed: "/rss/", "/tag/x/atom/" */
    int64_t updated;                 /* the newest change among the items (0: none) */
    const struct feed_image *images; /* one per post, in the same order; NULL: none */
    /*
     * The WebSub hub subscribers of this feed use (absolute; empty: none): RSS and Atom
     * carry it as a link rel="hub" beside rel="self", JSON Feed as "hubs" (WebSub 4).
     */
    struct str hub_url;
};

/*
 * One item: a post with its full HTML (content.html), primary tag and authors. The
 * post's url is site_url + "/" + slug + "/".
 */

/** The media type of a format ("application/rss+xml; charset=utf-8", ...). */
const char *feed_content_type(enum feed_format f);

/**
 * Writes the feed of posts[0..n) in format f to out. Fails only with ERR_TOOBIG when
 * out reaches its cap.
 */
enum err_code feed_write(enum feed_format f, const struct feed_info *info,
                         const struct content_post *posts, size_t n, struct buf *out);

/* ---- sitemaps (sitemaps.org 0.9, Google News) ------------------------------------- */

/* The protocol's limits per file (STANDARDS.md S5, N2). */
#define FEED_SITEMAP_MAX_URLS 50000
#define FEED_SITEMAP_MAX_BYTES (50 * 1024 * 1024)
#define FEED_NEWS_MAX 1000
#define FEED_NEWS_WINDOW (48 * 3600)

/* One <url> or <sitemap>: a path under the site, with what a crawler is told of it. */
struct feed_url {
    struct str path;      /* "/slug/", "/tag/x/", "/sitemap-posts.xml" */
    int64_t lastmod;      /* 0: none */
    struct str title;     /* news sitemap only */
    int64_t published_at; /* news sitemap only */
};

/** A <sitemapindex> of the files in urls. */
enum err_code feed_sitemap_index(struct str site_url, const struct feed_url *urls, size_t n,
                                 struct buf *out);
/** A <urlset> of urls (the caller keeps it within FEED_SITEMAP_MAX_URLS). */
enum err_code feed_sitemap_urls(struct str site_url, const struct feed_url *urls, size_t n,
                                struct buf *out);
/** A Google News <urlset>: publication name and language, date and title per article. */
enum err_code feed_sitemap_news(struct str site_url, struct str publication, struct str language,
                                const struct feed_url *urls, size_t n, struct buf *out);

#endif
