/*
 * A second data set: posts whose titles, tags and bodies carry everything that breaks
 * naive XML and JSON writers. Every validator of the feed and sitemap tests runs on it.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

static const char *const titles[] = {
    "Tom & Jerry <b>bold</b> \\\"quoted\\\" 'apostrophes'",
    "CDATA ends here ]]> and here ]]>",
    "</script><script>alert(1)</script><!--",
    "Control \x01 \x08 \x1f bytes",
    "Київ: сирени, світло & вода",
    "RTL مرحبا and emoji \xF0\x9F\x93\xB0 news",
    "&amp; &lt; already &#x26; escaped &bogus;",
    "A very long headline that goes on and on and on and on and on and on and on and on and "
    "on and on and on and on and on and on and on and on and on and on and on and on end",
};

static void hostile_posts(struct srv *s)
{
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
        char name[32], text[2048];
        snprintf(name, sizeof(name), "h%zu.md", i);
        snprintf(text, sizeof(text),
                 "---\ntitle: \"%s\"\ntags: [News Feed, \"R&D <lab>\", \"]]> CDATA\"]\n"
                 "excerpt: \"Excerpt with <tags> & ]]> too\"\n---\n"
                 "Body with <script>alert('x')</script>, ]]>, <![CDATA[ x ]]>, & &amp; &#0;\n\n"
                 "> \"A quote\" — <i>someone</i>\n\n[link](javascript:alert(1)) \x01\x02\x7f\n",
                 titles[i]);
        srv_add_post(s, name, text);
    }
}

HTTP_SUITE(http_hostile, srv, 120, .before_start = hostile_posts);

/* Fetches path into the file `out` of the server's folder (file: its path); returns the
 * status. */
static int fetch(const char *path, char file[SRV_PATH_MAX], struct resp *r)
{
    http_req(&srv, "GET", path, r);
    srv_save(&srv, r, "out", file);
    return r->status;
}

Test(http_hostile, feeds_sitemaps_and_pages_stay_valid)
{
    char file[SRV_PATH_MAX];
    const char *bases[] = {"/", "/tag/news-feed/", "/tag/r-d-lab/", "/author/news-desk/"};
    for (size_t i = 0; i < 4; i++) {
        char p[128];
        struct resp r;
        snprintf(p, sizeof(p), "%srss/", bases[i]);
        cr_assert_eq(fetch(p, file, &r), 200, "%s", p);
        cr_expect_eq(xml_check(NULL, file), 0, "%s well-formed", p);
        resp_free(&r);
        snprintf(p, sizeof(p), "%satom/", bases[i]);
        cr_assert_eq(fetch(p, file, &r), 200, "%s", p);
        cr_expect_eq(xml_check("atom-rfc4287.rnc", file), 0, "%s valid Atom", p);
        resp_free(&r);
        snprintf(p, sizeof(p), "%sfeed.json", bases[i]);
        cr_assert_eq(fetch(p, file, &r), 200, "%s", p);
        json_error_t e;
        json_t *j = json_loadb(r.body, r.body_len, 0, &e);
        cr_expect(j, "%s: %s", p, e.text);
        cr_expect_eq(json_array_size(json_object_get(j, "items")), 8u, "%s: every post", p);
        json_decref(j);
        resp_free(&r);
    }
    struct resp r;
    cr_assert_eq(fetch("/sitemap.xml", file, &r), 200);
    cr_expect_eq(xml_check("siteindex-0.9.xsd", file), 0);
    resp_free(&r);
    const char *maps[] = {"/sitemap-posts.xml", "/sitemap-tags.xml", "/sitemap-authors.xml"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(fetch(maps[i], file, &r), 200);
        cr_expect_eq(xml_check("sitemap-0.9.xsd", file), 0, "%s", maps[i]);
        resp_free(&r);
    }
    cr_assert_eq(fetch("/sitemap-news.xml", file, &r), 200);
    cr_expect_eq(xml_check("sitemap-with-news.local.xsd", file), 0, "news sitemap");
    cr_expect_eq(body_count(&r, "<news:news>"), 8);
    resp_free(&r);
}

Test(http_hostile, every_article_page_has_parseable_json_ld)
{
    struct resp sm;
    http_req(&srv, "GET", "/sitemap-posts.xml", &sm);
    const char *mark = "<loc>http://127.0.0.1:8080";
    int pages = 0;
    for (const char *p = strstr(sm.body, mark); p; p = strstr(p, mark)) {
        p += strlen(mark);
        char *path = strndup(p, strcspn(p, "<"));
        struct resp r;
        http_req(&srv, "GET", path, &r);
        cr_expect_eq(r.status, 200, "%s", path);
        char *ld = body_between(&r, "<script type=\"application/ld+json\">", "</script>");
        cr_assert(ld, "%s has no JSON-LD", path);
        json_error_t e;
        json_t *j = json_loads(ld, 0, &e);
        cr_expect(j, "%s: %s", path, e.text);
        free(ld);
        cr_expect(json_string_value(json_object_get(j, "headline")));
        cr_expect(!strstr(r.body, "<script>alert"), "%s: raw script in the page", path);
        cr_expect(!strstr(r.body, "href=\"javascript:"), "%s: javascript: link", path);
        json_decref(j);
        resp_free(&r);
        free(path);
        pages++;
    }
    cr_expect_eq(pages, 8);
    resp_free(&sm);
    cr_expect_eq(node_run("tests/js/feeds.mjs 'http://127.0.0.1:%d/' 'Київ: сирени, світло & вода'",
                          srv.port),
                 0, "the feed readers read the hostile feed");
}
