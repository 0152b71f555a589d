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

/* What the feed is: its title, where it lives, and the page it follows. */
struct feed_info {
    struct str title;
    struct str description;
    struct str language; /* BCP 47 */
    struct str site_url; /* absolute, no trailing slash */
    struct str page_path; /* the HTML page this feed follows: "/", "/tag/x/" */
    struct str self_path; /* this feed: "/rss/", "/tag/x/atom/" */
    int64_t updated;      /* the newest change among the items (0: none) */
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

#endif
