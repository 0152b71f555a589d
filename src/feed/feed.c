/*
 * RSS 2.0 (RSS Advisory Board 2.0.11 and its Best Practices Profile), Atom (RFC 4287)
 * and JSON Feed 1.1 (with json/). See STANDARDS.md sections 1-3.
 */
#include "feed/feed.h"

#include "json/json.h"

#include <stdio.h>
#include <string.h>

#define FEED_SUMMARY_CHARS 300
#define FEED_GENERATOR "Newsdesk"

const char *feed_content_type(enum feed_format f)
{
    switch (f) {
    case FEED_RSS:
        return "application/rss+xml; charset=utf-8";
    case FEED_ATOM:
        return "application/atom+xml; charset=utf-8";
    default:
        return "application/feed+json; charset=utf-8";
    }
}

/*
 * s as valid UTF-8 without the characters XML 1.0 forbids (C0 controls other than tab,
 * newline and return): invalid bytes become U+FFFD, forbidden ones are dropped. Valid for
 * JSON too. Result lives in a.
 */
static struct str clean(struct str s, struct arena *a)
{
    char *out = arena_alloc(a, s.len * 3 + 1);
    size_t n = 0;
    for (size_t i = 0; i < s.len;) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x80) {
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                out[n++] = (char)c;
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(s.ptr + i, s.len - i, &cp);
        if (!len) {
            memcpy(out + n, "\xEF\xBF\xBD", 3);
            n += 3;
            i++;
            continue;
        }
        /* U+FFFE and U+FFFF are not XML characters either */
        if (cp != 0xFFFE && cp != 0xFFFF) {
            memcpy(out + n, s.ptr + i, len);
            n += len;
        }
        i += len;
    }
    out[n] = '\0';
    return (struct str){out, n};
}

struct writer {
    struct buf *out;
    struct arena *a;
    enum err_code rc;
};

static void put(struct writer *w, const char *s)
{
    if (!w->rc)
        w->rc = buf_puts(w->out, s);
}

/* Escaped XML character data or attribute value. */
static void put_text(struct writer *w, struct str s)
{
    struct str c = clean(s, w->a);
    if (!w->rc)
        w->rc = buf_append_html(w->out, c.ptr, c.len);
}

/* <name>text</name> */
static void element(struct writer *w, const char *name, struct str text)
{
    put(w, "<");
    put(w, name);
    put(w, ">");
    put_text(w, text);
    put(w, "</");
    put(w, name);
    put(w, ">\n");
}

static struct str post_url(const struct feed_info *info, const struct content_post *p,
                           struct arena *a)
{
    return str_from(arena_printf(a, "%.*s/%.*s/", (int)info->site_url.len, info->site_url.ptr,
                                 (int)p->slug.len, p->slug.ptr));
}

static struct str abs_url(const struct feed_info *info, struct str path, struct arena *a)
{
    return str_from(arena_printf(a, "%.*s%.*s", (int)info->site_url.len, info->site_url.ptr,
                                 (int)path.len, path.ptr));
}

static struct str summary(const struct content_post *p, struct arena *a)
{
    return content_excerpt(p->custom_excerpt, p->plaintext, FEED_SUMMARY_CHARS, a);
}

/*
 * An entry's "updated" (Atom updated, JSON Feed date_modified): the last update readers
 * were told of (revised_at), as the article's "Updated" and its JSON-LD dateModified say;
 * a minor edit (a typo) leaves it, so readers are not sent the story again for a comma.
 */
static int64_t modified(const struct content_post *p)
{
    return p->revised_at > p->published_at ? p->revised_at : p->published_at;
}

/* The note's lines, escaped for HTML, with <br> between them. */
static enum err_code append_note(struct buf *b, struct str s)
{
    enum err_code rc = ERR_OK;
    while (s.len && !rc) {
        const char *nl = memchr(s.ptr, '\n', s.len);
        size_t len = nl ? (size_t)(nl - s.ptr) : s.len;
        struct str line = str_trim((struct str){s.ptr, len});
        rc = buf_append_html(b, line.ptr, line.len);
        s.ptr += len + (nl ? 1 : 0);
        s.len -= len + (nl ? 1 : 0);
        if (!rc && s.len && line.len)
            rc = buf_puts(b, "<br>");
    }
    return rc;
}

/*
 * html (the post's, or its summary's) with the correction note after it as a marked
 * paragraph: feed readers show an item's content or description and drop elements they
 * do not know, so a paragraph with a bold "Correction" is what every reader displays.
 * The date is in the site's zone, as on the article.
 */
static struct str with_correction(struct str html, const struct content_post *p, struct arena *a)
{
    if (!p->correction.len)
        return html;
    struct time_local l;
    time_fmt_local(p->corrected_at ? p->corrected_at : p->updated_at, &l);
    struct buf b;
    buf_init(&b, html.len + p->correction.len * 10 + 256);
    enum err_code rc = buf_append(&b, html.ptr, html.len);
    if (!rc)
        rc = buf_printf(&b, "\n<p class=\"correction\"><strong>Corrected %s, %s:</strong> ", l.date,
                        l.clock);
    if (!rc)
        rc = append_note(&b, p->correction);
    if (!rc)
        rc = buf_puts(&b, "</p>");
    struct str out = rc ? html : arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

static struct str content_html(const struct content_post *p, struct arena *a)
{
    return with_correction(p->html, p, a);
}

/* Plain text as HTML (escaped), in a: "<script>" is shown as those characters, never run. */
static struct str text_html(struct str text, struct arena *a)
{
    struct buf b;
    buf_init(&b, text.len * 6 + 1);
    struct str html =
        buf_append_html(&b, text.ptr, text.len) ? STR_LIT("") : arena_str(a, buf_str(&b));
    buf_release(&b);
    return html;
}

/*
 * <name>text</name> for an element whose content readers take as HTML (RSS's description,
 * RSS 2.0 "entity-encoded HTML"): the plain text escaped for HTML, then for XML.
 */
static void html_element(struct writer *w, const char *name, struct str text)
{
    element(w, name, text_html(text, w->a));
}

/* RSS's description: the summary as HTML, with the correction after it. */
static struct str description_html(const struct content_post *p, struct arena *a)
{
    return with_correction(text_html(summary(p, a), a), p, a);
}

/* ---- RSS 2.0 ---------------------------------------------------------------------- */

/* Media RSS (rssboard.org/media-rss): the feature image, with its size when known. */
static void rss_image(struct writer *w, const struct feed_image *im)
{
    if (!im || !im->url.len)
        return;
    put(w, "<media:content medium=\"image\" url=\"");
    put_text(w, im->url);
    put(w, "\"");
    if (im->type.len) {
        put(w, " type=\"");
        put_text(w, im->type);
        put(w, "\"");
    }
    if (im->width > 0 && im->height > 0 && !w->rc)
        w->rc = buf_printf(w->out, " width=\"%d\" height=\"%d\"", im->width, im->height);
    if (!im->alt.len) {
        put(w, "/>\n");
        return;
    }
    put(w, ">\n<media:description type=\"plain\">");
    put_text(w, im->alt);
    put(w, "</media:description>\n</media:content>\n");
}

static void rss_item(struct writer *w, const struct feed_info *info, const struct content_post *p,
                     const struct feed_image *im)
{
    char date[40];
    time_fmt_http(p->published_at, date);
    put(w, "<item>\n");
    element(w, "title", p->title);
    element(w, "link", post_url(info, p, w->a));
    put(w, "<guid isPermaLink=\"false\">");
    put_text(w, p->uuid);
    put(w, "</guid>\n");
    element(w, "pubDate", str_from(date));
    for (size_t i = 0; i < p->nauthors; i++)
        element(w, "dc:creator", p->authors[i].name);
    for (size_t i = 0; i < p->ntags; i++)
        element(w, "category", p->tags[i].name);
    element(w, "description", description_html(p, w->a));
    element(w, "content:encoded", content_html(p, w->a));
    rss_image(w, im);
    put(w, "</item>\n");
}

static void rss(struct writer *w, const struct feed_info *info, const struct content_post *posts,
                size_t n)
{
    put(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\""
           " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
           " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
           " xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n");
    element(w, "title", info->title);
    element(w, "link", abs_url(info, info->page_path, w->a));
    html_element(w, "description", info->description.len ? info->description : info->title);
    element(w, "language", info->language);
    element(w, "generator", STR_LIT(FEED_GENERATOR));
    if (info->updated) {
        char date[40];
        time_fmt_http(info->updated, date);
        element(w, "lastBuildDate", str_from(date));
    }
    put(w, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
    put_text(w, abs_url(info, info->self_path, w->a));
    put(w, "\"/>\n");
    /* WebSub 4: the hub beside rel=self, in the Atom namespace RSS already declares */
    if (info->hub_url.len) {
        put(w, "<atom:link rel=\"hub\" href=\"");
        put_text(w, info->hub_url);
        put(w, "\"/>\n");
    }
    for (size_t i = 0; i < n; i++)
        rss_item(w, info, &posts[i], info->images ? &info->images[i] : NULL);
    put(w, "</channel>\n</rss>\n");
}

/* ---- Atom ------------------------------------------------------------------------- */

static void atom_link(struct writer *w, const char *rel, const char *type, struct str href)
{
    put(w, "<link rel=\"");
    put(w, rel);
    put(w, "\" type=\"");
    put(w, type);
    put(w, "\" href=\"");
    put_text(w, href);
    put(w, "\"/>\n");
}

static void atom_entry(struct writer *w, const struct feed_info *info, const struct content_post *p,
                       const struct feed_image *im)
{
    char pub[32], upd[32];
    time_fmt_iso_utc(p->published_at, pub);
    time_fmt_iso_utc(modified(p), upd);
    put(w, "<entry>\n<id>urn:uuid:");
    put_text(w, p->uuid);
    put(w, "</id>\n<title type=\"text\">");
    put_text(w, p->title);
    put(w, "</title>\n");
    atom_link(w, "alternate", "text/html", post_url(info, p, w->a));
    /* the feature image; RFC 4287 4.2.7.2: an enclosure's type says what it is */
    if (im && im->url.len && im->type.len) {
        char type[64];
        snprintf(type, sizeof(type), "%.*s", (int)im->type.len, im->type.ptr);
        atom_link(w, "enclosure", type, im->url);
    }
    element(w, "published", str_from(pub));
    element(w, "updated", str_from(upd));
    for (size_t i = 0; i < p->nauthors; i++) {
        put(w, "<author>\n");
        element(w, "name", p->authors[i].name);
        element(w, "uri",
                str_from(arena_printf(w->a, "%.*s/author/%.*s/", (int)info->site_url.len,
                                      info->site_url.ptr, (int)p->authors[i].slug.len,
                                      p->authors[i].slug.ptr)));
        put(w, "</author>\n");
    }
    for (size_t i = 0; i < p->ntags; i++) {
        put(w, "<category term=\"");
        put_text(w, p->tags[i].name);
        put(w, "\"/>\n");
    }
    put(w, "<summary type=\"text\">");
    put_text(w, summary(p, w->a));
    put(w, "</summary>\n<content type=\"html\">");
    put_text(w, content_html(p, w->a));
    put(w, "</content>\n</entry>\n");
}

static void atom(struct writer *w, const struct feed_info *info, const struct content_post *posts,
                 size_t n)
{
    char upd[32];
    time_fmt_iso_utc(info->updated, upd);
    put(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    put_text(w, info->language);
    put(w, "\">\n");
    /* the feed's own permanent address, minted once: RFC 4287 4.2.6 */
    element(w, "id", abs_url(info, info->self_path, w->a));
    put(w, "<title type=\"text\">");
    put_text(w, info->title);
    put(w, "</title>\n");
    if (info->description.len) {
        put(w, "<subtitle type=\"text\">");
        put_text(w, info->description);
        put(w, "</subtitle>\n");
    }
    element(w, "updated", str_from(upd));
    atom_link(w, "alternate", "text/html", abs_url(info, info->page_path, w->a));
    atom_link(w, "self", "application/atom+xml", abs_url(info, info->self_path, w->a));
    if (info->hub_url.len) { /* WebSub 4; a hub has no media type of its own */
        put(w, "<link rel=\"hub\" href=\"");
        put_text(w, info->hub_url);
        put(w, "\"/>\n");
    }
    put(w, "<author>\n");
    element(w, "name", info->title);
    put(w, "</author>\n");
    element(w, "generator", STR_LIT(FEED_GENERATOR));
    for (size_t i = 0; i < n; i++)
        atom_entry(w, info, &posts[i], info->images ? &info->images[i] : NULL);
    put(w, "</feed>\n");
}

/* ---- JSON Feed 1.1 ------------------------------------------------------------------ */

static struct json *jstr(struct str s, struct arena *a)
{
    return json_str_new(clean(s, a));
}

static struct json *jitem_authors(const struct feed_info *info, const struct content_post *p,
                                  struct arena *a)
{
    struct json *authors = json_arr_new();
    for (size_t i = 0; i < p->nauthors; i++) {
        struct json *au = json_obj_new();
        json_obj_set(au, "name", jstr(p->authors[i].name, a));
        json_obj_set_str(au, "url",
                         str_from(arena_printf(a, "%.*s/author/%.*s/", (int)info->site_url.len,
                                               info->site_url.ptr, (int)p->authors[i].slug.len,
                                               p->authors[i].slug.ptr)));
        json_arr_push(authors, au);
    }
    return authors;
}

static struct json *jitem(const struct feed_info *info, const struct content_post *p,
                          const struct feed_image *im, struct arena *a)
{
    char pub[32], upd[32];
    time_fmt_iso_utc(p->published_at, pub);
    time_fmt_iso_utc(modified(p), upd);
    struct json *item = json_obj_new();
    json_obj_set(item, "id", jstr(p->uuid, a));
    json_obj_set(item, "url", jstr(post_url(info, p, a), a));
    json_obj_set(item, "title", jstr(p->title, a));
    json_obj_set(item, "content_html", jstr(content_html(p, a), a));
    json_obj_set(item, "summary", jstr(summary(p, a), a));
    if (im && im->url.len)
        json_obj_set(item, "image", jstr(im->url, a));
    json_obj_set_str(item, "date_published", str_from(pub));
    json_obj_set_str(item, "date_modified", str_from(upd));
    json_obj_set(item, "authors", jitem_authors(info, p, a));
    struct json *tags = json_arr_new();
    for (size_t i = 0; i < p->ntags; i++)
        json_arr_push(tags, jstr(p->tags[i].name, a));
    json_obj_set(item, "tags", tags);
    return item;
}

static void json_feed(struct writer *w, const struct feed_info *info,
                      const struct content_post *posts, size_t n)
{
    struct json *feed = json_obj_new();
    json_obj_set_str(feed, "version", STR_LIT("https://jsonfeed.org/version/1.1"));
    json_obj_set(feed, "title", jstr(info->title, w->a));
    json_obj_set(feed, "home_page_url", jstr(abs_url(info, info->page_path, w->a), w->a));
    json_obj_set(feed, "feed_url", jstr(abs_url(info, info->self_path, w->a), w->a));
    if (info->description.len)
        json_obj_set(feed, "description", jstr(info->description, w->a));
    json_obj_set(feed, "language", jstr(info->language, w->a));
    if (info->hub_url.len) { /* JSON Feed 1.1 "hubs": the WebSub hub */
        struct json *hub = json_obj_new();
        json_obj_set_str(hub, "type", STR_LIT("WebSub"));
        json_obj_set(hub, "url", jstr(info->hub_url, w->a));
        struct json *hubs = json_arr_new();
        json_arr_push(hubs, hub);
        json_obj_set(feed, "hubs", hubs);
    }
    struct json *items = json_arr_new();
    for (size_t i = 0; i < n; i++)
        json_arr_push(items, jitem(info, &posts[i], info->images ? &info->images[i] : NULL, w->a));
    json_obj_set(feed, "items", items);
    if (!w->rc)
        w->rc = json_write(feed, JSON_WRITE_INDENT, w->out, NULL);
    json_free(feed);
    put(w, "\n");
}

enum err_code feed_write(enum feed_format f, const struct feed_info *info,
                         const struct content_post *posts, size_t n, struct buf *out)
{
    struct arena a;
    arena_init(&a);
    struct writer w = {out, &a, ERR_OK};
    if (f == FEED_RSS)
        rss(&w, info, posts, n);
    else if (f == FEED_ATOM)
        atom(&w, info, posts, n);
    else
        json_feed(&w, info, posts, n);
    arena_release(&a);
    return w.rc;
}
