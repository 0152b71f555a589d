/*
 * The feed writers and sitemaps through feed/feed.h: golden documents in tests/spec/feed/
 * (escaping, dates, ids, empty feeds), and properties no example list can cover (every
 * byte value in a title, the buffer's cap).
 *
 * An example's input describes the call, one "key: value" a line. The first lines are the
 * feed's (format, site, title, description, language, page, self, updated, publication);
 * a line "post" or "url" starts an item, whose lines follow (uuid, slug, title, html,
 * plaintext, excerpt, published, updated, tag, author as "slug|name"; path, lastmod,
 * title, published). Values may spell bytes as \xNN, a newline as \n and a backslash as
 * \\; dates are RFC 3339.
 */
#include "feed/feed.h"

#include "support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 8
#define MAX_LIST 4

struct call {
    const char *format;
    struct feed_info info;
    struct str publication;
    struct content_post posts[MAX_ITEMS];
    struct content_tag tags[MAX_ITEMS][MAX_LIST];
    struct content_author authors[MAX_ITEMS][MAX_LIST];
    struct feed_url urls[MAX_ITEMS];
    size_t nposts, nurls;
};

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The value with its escapes decoded; lives in a. */
static struct str unescape(const char *p, size_t n, struct arena *a)
{
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\' && i + 3 < n && p[i + 1] == 'x' && hexval(p[i + 2]) >= 0 &&
            hexval(p[i + 3]) >= 0) {
            out[j++] = (char)(hexval(p[i + 2]) * 16 + hexval(p[i + 3]));
            i += 3;
        } else if (p[i] == '\\' && i + 1 < n && (p[i + 1] == 'n' || p[i + 1] == '\\')) {
            out[j++] = p[i + 1] == 'n' ? '\n' : '\\';
            i++;
        } else {
            out[j++] = p[i];
        }
    }
    out[j] = '\0';
    return (struct str){out, j};
}

static int64_t date(struct str v)
{
    int64_t t = 0;
    cr_assert(time_parse_iso(v, &t), "bad date '%.*s' in the example", (int)v.len, v.ptr);
    return t;
}

static void set_post(struct call *c, const char *key, struct str v)
{
    size_t i = c->nposts - 1;
    struct content_post *p = &c->posts[i];
    if (!strcmp(key, "uuid"))
        p->uuid = v;
    else if (!strcmp(key, "slug"))
        p->slug = v;
    else if (!strcmp(key, "title"))
        p->title = v;
    else if (!strcmp(key, "html"))
        p->html = v;
    else if (!strcmp(key, "plaintext"))
        p->plaintext = v;
    else if (!strcmp(key, "excerpt"))
        p->custom_excerpt = v;
    else if (!strcmp(key, "published"))
        p->published_at = date(v);
    else if (!strcmp(key, "updated"))
        p->updated_at = date(v);
    else if (!strcmp(key, "revised"))
        p->revised_at = date(v);
    else if (!strcmp(key, "correction"))
        p->correction = v;
    else if (!strcmp(key, "corrected"))
        p->corrected_at = date(v);
    else if (!strcmp(key, "tag")) {
        cr_assert_lt(p->ntags, MAX_LIST);
        c->tags[i][p->ntags++].name = v;
        p->tags = c->tags[i];
    } else if (!strcmp(key, "author")) {
        cr_assert_lt(p->nauthors, MAX_LIST);
        const char *bar = memchr(v.ptr, '|', v.len);
        cr_assert(bar, "author is 'slug|name'");
        struct content_author *au = &c->authors[i][p->nauthors++];
        au->slug = (struct str){v.ptr, (size_t)(bar - v.ptr)};
        au->name = (struct str){bar + 1, v.len - (size_t)(bar - v.ptr) - 1};
        p->authors = c->authors[i];
    } else
        cr_assert_fail("unknown post key '%s'", key);
}

static void set_url(struct call *c, const char *key, struct str v)
{
    struct feed_url *u = &c->urls[c->nurls - 1];
    if (!strcmp(key, "path"))
        u->path = v;
    else if (!strcmp(key, "lastmod"))
        u->lastmod = date(v);
    else if (!strcmp(key, "title"))
        u->title = v;
    else if (!strcmp(key, "published"))
        u->published_at = date(v);
    else
        cr_assert_fail("unknown url key '%s'", key);
}

static void set_feed(struct call *c, const char *key, struct str v)
{
    struct feed_info *f = &c->info;
    if (!strcmp(key, "format"))
        c->format = v.ptr;
    else if (!strcmp(key, "site"))
        f->site_url = v;
    else if (!strcmp(key, "title"))
        f->title = v;
    else if (!strcmp(key, "description"))
        f->description = v;
    else if (!strcmp(key, "language"))
        f->language = v;
    else if (!strcmp(key, "page"))
        f->page_path = v;
    else if (!strcmp(key, "self"))
        f->self_path = v;
    else if (!strcmp(key, "updated"))
        f->updated = date(v);
    else if (!strcmp(key, "hub"))
        f->hub_url = v;
    else if (!strcmp(key, "publication"))
        c->publication = v;
    else
        cr_assert_fail("unknown feed key '%s'", key);
}

static void parse(const char *input, struct arena *a, struct call *c)
{
    memset(c, 0, sizeof(*c));
    for (const char *p = input; *p;) {
        size_t n = strcspn(p, "\n");
        const char *colon = memchr(p, ':', n);
        if (n == 4 && !strncmp(p, "post", 4)) {
            cr_assert_lt(c->nposts, MAX_ITEMS);
            c->nposts++;
        } else if (n == 3 && !strncmp(p, "url", 3)) {
            cr_assert_lt(c->nurls, MAX_ITEMS);
            c->nurls++;
        } else if (colon) {
            char *key = arena_strndup(a, p, (size_t)(colon - p));
            const char *v = colon + (colon[1] == ' ' ? 2 : 1);
            struct str val = unescape(v, (size_t)(p + n - v), a);
            if (c->nposts)
                set_post(c, key, val);
            else if (c->nurls)
                set_url(c, key, val);
            else
                set_feed(c, key, val);
        } else {
            cr_assert(n == 0, "not 'key: value': '%.*s'", (int)n, p);
        }
        p += n + (p[n] == '\n');
    }
    cr_assert(c->format, "the example names no format");
}

static enum err_code run(const struct call *c, struct buf *out)
{
    const char *f = c->format;
    if (!strcmp(f, "rss"))
        return feed_write(FEED_RSS, &c->info, c->posts, c->nposts, out);
    if (!strcmp(f, "atom"))
        return feed_write(FEED_ATOM, &c->info, c->posts, c->nposts, out);
    if (!strcmp(f, "json"))
        return feed_write(FEED_JSON, &c->info, c->posts, c->nposts, out);
    if (!strcmp(f, "sitemap-index"))
        return feed_sitemap_index(c->info.site_url, c->urls, c->nurls, out);
    if (!strcmp(f, "sitemap-urls"))
        return feed_sitemap_urls(c->info.site_url, c->urls, c->nurls, out);
    if (!strcmp(f, "sitemap-news"))
        return feed_sitemap_news(c->info.site_url, c->publication, c->info.language, c->urls,
                                 c->nurls, out);
    cr_assert_fail("unknown format '%s'", f);
    return ERR_INTERNAL;
}

static void run_spec(const char *file)
{
    const char *dir = getenv("NEWSDESK_SPEC");
    char path[512];
    snprintf(path, sizeof(path), "%s/feed/%s", dir ? dir : "tests/spec", file);
    size_t n;
    struct spec_example *ex = spec_load(path, &n);
    cr_assert_gt(n, 0, "no examples in %s", path);
    for (size_t i = 0; i < n; i++) {
        struct arena a;
        arena_init(&a);
        struct call c;
        parse(ex[i].input, &a, &c);
        struct buf out;
        buf_init(&out, 1 << 20);
        enum err_code rc = run(&c, &out);
        cr_expect_eq(rc, ERR_OK, "%s:%d (%s)", file, ex[i].line, ex[i].name);
        const char *got = out.ptr ? out.ptr : "";
        cr_expect_str_eq(got, ex[i].expected, "%s:%d (%s):\n--- got\n%s--- want\n%s", file,
                         ex[i].line, ex[i].name, got, ex[i].expected);
        buf_release(&out);
        arena_release(&a);
    }
    spec_free(ex, n);
}

Test(feed, spec_rss)
{
    run_spec("rss.txt");
}

Test(feed, spec_atom)
{
    run_spec("atom.txt");
}

Test(feed, spec_json)
{
    run_spec("json.txt");
}

Test(feed, spec_sitemaps)
{
    run_spec("sitemap.txt");
}

Test(feed, content_types)
{
    cr_expect_str_eq(feed_content_type(FEED_RSS), "application/rss+xml; charset=utf-8");
    cr_expect_str_eq(feed_content_type(FEED_ATOM), "application/atom+xml; charset=utf-8");
    cr_expect_str_eq(feed_content_type(FEED_JSON), "application/feed+json; charset=utf-8");
}

/* ---- properties ------------------------------------------------------------------- */

static const struct feed_info info = {
    .title = STR_LIT("The Desk"),
    .language = STR_LIT("en"),
    .site_url = STR_LIT("https://news.example.org"),
    .page_path = STR_LIT("/"),
    .self_path = STR_LIT("/rss/"),
    .updated = 1795681800,
};

/* One post whose title is every byte value from 1 to 255, then "end". */
static struct content_post every_byte_post(char title[300])
{
    size_t n = 0;
    for (int b = 1; b < 256; b++)
        title[n++] = (char)b;
    memcpy(title + n, "end", 4);
    return (struct content_post){
        .uuid = STR_LIT("5f0c6a52-7c1e-4c55-9f3e-0a4b1e2d3c4f"),
        .slug = STR_LIT("bytes"),
        .title = {title, n + 3},
        .html = {title, n + 3},
        .plaintext = STR_LIT("Body."),
        .published_at = 1795681800,
    };
}

/* True when s is valid UTF-8 with no C0 control but tab, newline and return. */
static bool xml_safe(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
    }
    return utf8_valid(s, n);
}

Test(feed, every_byte_value_gives_a_well_formed_document)
{
    char title[300];
    struct content_post p = every_byte_post(title);
    const enum feed_format formats[] = {FEED_RSS, FEED_ATOM, FEED_JSON};
    for (size_t f = 0; f < 3; f++) {
        struct buf out;
        buf_init(&out, 1 << 20);
        cr_assert_eq(feed_write(formats[f], &info, &p, 1, &out), ERR_OK);
        cr_expect(xml_safe(out.ptr, out.len), "format %zu: a control byte or bad UTF-8", f);
        if (formats[f] == FEED_JSON) {
            json_error_t e;
            json_t *j = json_loadb(out.ptr, out.len, 0, &e);
            cr_assert(j, "not JSON: %s", e.text);
            const char *t = json_string_value(
                json_object_get(json_array_get(json_object_get(j, "items"), 0), "title"));
            cr_expect(t && strstr(t, "end") && strchr(t, '<') && strchr(t, '&'),
                      "the title survives, cleaned: %s", t);
            json_decref(j);
        } else {
            /* the only '<' and '&' left are markup and entities: none from the title */
            cr_expect(strstr(out.ptr, "!&quot;#$%&amp;&#39;()*+,-./0123456789:;&lt;=&gt;?@"),
                      "format %zu: the title's ASCII escaped in order:\n%s", f, out.ptr);
        }
        buf_release(&out);
    }
}

Test(feed, a_full_buffer_is_toobig_for_every_writer)
{
    struct content_post p = {
        .uuid = STR_LIT("5f0c6a52-7c1e-4c55-9f3e-0a4b1e2d3c4f"),
        .slug = STR_LIT("a"),
        .title = STR_LIT("A"),
        .html = STR_LIT("<p>A</p>"),
        .published_at = 1795681800,
    };
    struct feed_url u = {.path = STR_LIT("/a/"), .title = STR_LIT("A"), .published_at = 1};
    for (int f = 0; f < 3; f++) {
        struct buf out;
        buf_init(&out, 64);
        cr_expect_eq(feed_write((enum feed_format)f, &info, &p, 1, &out), ERR_TOOBIG, "%d", f);
        buf_release(&out);
    }
    struct buf out;
    buf_init(&out, 64);
    cr_expect_eq(feed_sitemap_urls(info.site_url, &u, 1, &out), ERR_TOOBIG);
    buf_reset(&out);
    cr_expect_eq(feed_sitemap_index(info.site_url, &u, 1, &out), ERR_TOOBIG);
    buf_reset(&out);
    cr_expect_eq(feed_sitemap_news(info.site_url, STR_LIT("The Desk"), STR_LIT("en"), &u, 1, &out),
                 ERR_TOOBIG);
    buf_release(&out);
}

/* ---- feature images ------------------------------------------------------------------- */

static const char *feed_of(enum feed_format f, const struct feed_image *im, struct buf *out)
{
    struct content_post p = {
        .uuid = STR_LIT("5f0c6a52-7c1e-4c55-9f3e-0a4b1e2d3c4f"),
        .slug = STR_LIT("a"),
        .title = STR_LIT("A"),
        .html = STR_LIT("<p>A</p>"),
        .published_at = 1795681800,
    };
    struct feed_info fi = info;
    fi.images = im;
    buf_init(out, 1 << 20);
    cr_assert_eq(feed_write(f, &fi, &p, 1, out), ERR_OK);
    return out->ptr;
}

Test(feed, the_feature_image_in_every_format)
{
    const struct feed_image im = {
        .url = STR_LIT("https://news.example.org/content/images/size/w1200/0123456789abcdef/"
                       "h.jpg?a=1&b=2"),
        .type = STR_LIT("image/jpeg"),
        .width = 1200,
        .height = 800,
        .alt = STR_LIT("Boats <at> \"dawn\" & fog"),
    };
    struct buf out;
    const char *rss = feed_of(FEED_RSS, &im, &out);
    cr_expect(strstr(rss, " xmlns:media=\"http://search.yahoo.com/mrss/\">"), "%s", rss);
    cr_expect(strstr(rss, "<media:content medium=\"image\" url=\"https://news.example.org/content/"
                          "images/size/w1200/0123456789abcdef/h.jpg?a=1&amp;b=2\" "
                          "type=\"image/jpeg\" width=\"1200\" height=\"800\">\n"
                          "<media:description type=\"plain\">Boats &lt;at&gt; &quot;dawn&quot; "
                          "&amp; fog</media:description>\n</media:content>\n</item>"),
              "%s", rss);
    buf_release(&out);
    const char *atom = feed_of(FEED_ATOM, &im, &out);
    cr_expect(strstr(atom, "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"https://news."
                           "example.org/content/images/size/w1200/0123456789abcdef/h.jpg?a=1&amp;"
                           "b=2\"/>"),
              "%s", atom);
    buf_release(&out);
    const char *js = feed_of(FEED_JSON, &im, &out);
    json_error_t e;
    json_t *j = json_loads(js, 0, &e);
    cr_assert(j, "%s", e.text);
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "image")),
        "https://news.example.org/content/images/size/w1200/0123456789abcdef/h.jpg?a=1&b=2");
    json_decref(j);
    buf_release(&out);
}

Test(feed, an_image_of_unknown_type_is_no_atom_enclosure_and_none_is_nothing)
{
    const struct feed_image im = {.url = STR_LIT("https://elsewhere.example/a.jpg")};
    struct buf out;
    const char *rss = feed_of(FEED_RSS, &im, &out);
    cr_expect(strstr(rss, "<media:content medium=\"image\" url=\"https://elsewhere.example/a.jpg\""
                          "/>\n</item>"),
              "%s", rss);
    buf_release(&out);
    const char *atom = feed_of(FEED_ATOM, &im, &out);
    cr_expect(!strstr(atom, "enclosure"), "%s", atom);
    buf_release(&out);
    const struct feed_image none = {0};
    rss = feed_of(FEED_RSS, &none, &out);
    cr_expect(!strstr(rss, "<media:content"), "%s", rss);
    buf_release(&out);
    const char *js = feed_of(FEED_JSON, &none, &out);
    cr_expect(!strstr(js, "\"image\""), "%s", js);
    buf_release(&out);
}
