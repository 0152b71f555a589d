/*
 * Sitemaps: the index, URL sets and the Google News extension (STANDARDS.md 4 and 5).
 * Locations are absolute (S3); dates are W3C datetimes in UTC (S4, N3).
 */
#include "feed/feed.h"

#include <string.h>

#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_NEWS "http://www.google.com/schemas/sitemap-news/0.9"

/* Text made XML-safe as in feed.c: escaped, no forbidden controls, valid UTF-8. */
static enum err_code text(struct buf *out, struct str s)
{
    for (size_t i = 0; i < s.len;) {
        unsigned char c = (unsigned char)s.ptr[i];
        size_t run = i;
        while (run < s.len && (unsigned char)s.ptr[run] >= 0x20 && (unsigned char)s.ptr[run] < 0x80)
            run++;
        enum err_code rc = buf_append_html(out, s.ptr + i, run - i);
        if (rc)
            return rc;
        if (run == s.len)
            break;
        i = run;
        c = (unsigned char)s.ptr[i];
        uint32_t cp;
        size_t len = c < 0x80 ? 1 : utf8_decode(s.ptr + i, s.len - i, &cp);
        if (c < 0x80)
            rc = (c == '\t' || c == '\n' || c == '\r') ? buf_putc(out, (char)c) : ERR_OK;
        else if (!len)
            rc = buf_puts(out, "\xEF\xBF\xBD");
        else
            rc = buf_append(out, s.ptr + i, len);
        if (rc)
            return rc;
        i += len ? len : 1;
    }
    return ERR_OK;
}

static enum err_code loc(struct buf *out, struct str site_url, struct str path)
{
    enum err_code rc = buf_puts(out, "<loc>");
    if (!rc)
        rc = text(out, site_url);
    if (!rc)
        rc = text(out, path);
    return rc ? rc : buf_puts(out, "</loc>");
}

static enum err_code lastmod(struct buf *out, const char *tag, int64_t t)
{
    if (!t)
        return ERR_OK;
    char iso[32];
    time_fmt_iso_utc(t, iso);
    return buf_printf(out, "<%s>%s</%s>", tag, iso, tag);
}

enum err_code feed_sitemap_index(struct str site_url, const struct feed_url *urls, size_t n,
                                 struct buf *out)
{
    enum err_code rc = buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                     "<sitemapindex xmlns=\"" NS_SITEMAP "\">\n");
    for (size_t i = 0; !rc && i < n; i++) {
        rc = buf_puts(out, "<sitemap>");
        if (!rc)
            rc = loc(out, site_url, urls[i].path);
        if (!rc)
            rc = lastmod(out, "lastmod", urls[i].lastmod);
        if (!rc)
            rc = buf_puts(out, "</sitemap>\n");
    }
    return rc ? rc : buf_puts(out, "</sitemapindex>\n");
}

enum err_code feed_sitemap_urls(struct str site_url, const struct feed_url *urls, size_t n,
                                struct buf *out)
{
    enum err_code rc = buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                     "<urlset xmlns=\"" NS_SITEMAP "\">\n");
    for (size_t i = 0; !rc && i < n; i++) {
        rc = buf_puts(out, "<url>");
        if (!rc)
            rc = loc(out, site_url, urls[i].path);
        if (!rc)
            rc = lastmod(out, "lastmod", urls[i].lastmod);
        if (!rc)
            rc = buf_puts(out, "</url>\n");
    }
    return rc ? rc : buf_puts(out, "</urlset>\n");
}

static enum err_code news_entry(struct buf *out, struct str site_url, struct str publication,
                                struct str language, const struct feed_url *u)
{
    enum err_code rc = buf_puts(out, "<url>");
    if (!rc)
        rc = loc(out, site_url, u->path);
    if (!rc)
        rc = buf_puts(out, "<news:news><news:publication><news:name>");
    if (!rc)
        rc = text(out, publication);
    if (!rc)
        rc = buf_puts(out, "</news:name><news:language>");
    if (!rc)
        rc = text(out, language);
    if (!rc)
        rc = buf_puts(out, "</news:language></news:publication>");
    if (!rc)
        rc = lastmod(out, "news:publication_date", u->published_at);
    if (!rc)
        rc = buf_puts(out, "<news:title>");
    if (!rc)
        rc = text(out, u->title);
    return rc ? rc : buf_puts(out, "</news:title></news:news></url>\n");
}

enum err_code feed_sitemap_news(struct str site_url, struct str publication, struct str language,
                                const struct feed_url *urls, size_t n, struct buf *out)
{
    enum err_code rc =
        buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<urlset xmlns=\"" NS_SITEMAP "\" xmlns:news=\"" NS_NEWS "\">\n");
    for (size_t i = 0; !rc && i < n; i++)
        rc = news_entry(out, site_url, publication, language, &urls[i]);
    return rc ? rc : buf_puts(out, "</urlset>\n");
}
