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

static void setup(void)
{
    srv_prepare(&srv, 0);
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
        char path[400];
        snprintf(path, sizeof(path), "%s/h%zu.md", srv.dir, i);
        FILE *f = fopen(path, "w");
        cr_assert(f);
        fprintf(f,
                "---\ntitle: \"%s\"\ntags: [News Feed, \"R&D <lab>\", \"]]> CDATA\"]\n"
                "excerpt: \"Excerpt with <tags> & ]]> too\"\n---\n"
                "Body with <script>alert('x')</script>, ]]>, <![CDATA[ x ]]>, & &amp; &#0;\n\n"
                "> \"A quote\" — <i>someone</i>\n\n[link](javascript:alert(1)) \x01\x02\x7f\n",
                titles[i]);
        fclose(f);
        char *err = NULL;
        int rc = run_newsdesk(NULL, &err, "post", "add", "--db", srv.db, path, NULL);
        cr_assert_eq(rc, 0, "post %zu: %s", i, err);
        free(err);
    }
    srv_start(&srv);
}

static void teardown(void)
{
    srv_stop(&srv);
    srv_cleanup(&srv);
}

TestSuite(http_hostile, .init = setup, .fini = teardown, .timeout = 120);

static const char *schemas(void)
{
    const char *s = getenv("NEWSDESK_SCHEMAS");
    return s ? s : "tests/schemas";
}

/* Fetches path to a file; returns the status. */
static int fetch(const char *path, const char *file, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    FILE *f = fopen(file, "wb");
    cr_assert(f);
    fwrite(r->body, 1, r->body_len, f);
    fclose(f);
    return r->status;
}

static int sh(const char *tool, const char *schema, const char *file)
{
    char cmd[1200];
    if (!strcmp(tool, "jing"))
        snprintf(cmd, sizeof(cmd), "jing -c '%s/%s' '%s' 2>/dev/null", schemas(), schema, file);
    else if (schema)
        snprintf(cmd, sizeof(cmd), "xmllint --noout --nonet --schema '%s/%s' '%s' 2>/dev/null",
                 schemas(), schema, file);
    else
        snprintf(cmd, sizeof(cmd), "xmllint --noout --nonet '%s'", file);
    return system(cmd);
}

Test(http_hostile, feeds_sitemaps_and_pages_stay_valid)
{
    char file[400];
    snprintf(file, sizeof(file), "%s/out", srv.dir);
    const char *bases[] = {"/", "/tag/news-feed/", "/tag/r-d-lab/", "/author/news-desk/"};
    for (size_t i = 0; i < 4; i++) {
        char p[128];
        struct resp r;
        snprintf(p, sizeof(p), "%srss/", bases[i]);
        cr_assert_eq(fetch(p, file, &r), 200, "%s", p);
        cr_expect_eq(sh("xmllint", NULL, file), 0, "%s well-formed", p);
        resp_free(&r);
        snprintf(p, sizeof(p), "%satom/", bases[i]);
        cr_assert_eq(fetch(p, file, &r), 200, "%s", p);
        cr_expect_eq(sh("jing", "atom-rfc4287.rnc", file), 0, "%s valid Atom", p);
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
    cr_expect_eq(sh("xmllint", "siteindex-0.9.xsd", file), 0);
    resp_free(&r);
    const char *maps[] = {"/sitemap-posts.xml", "/sitemap-tags.xml", "/sitemap-authors.xml"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(fetch(maps[i], file, &r), 200);
        cr_expect_eq(sh("xmllint", "sitemap-0.9.xsd", file), 0, "%s", maps[i]);
        resp_free(&r);
    }
    cr_assert_eq(fetch("/sitemap-news.xml", file, &r), 200);
    cr_expect_eq(sh("xmllint", "sitemap-with-news.local.xsd", file), 0, "news sitemap");
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
        const char *open = "<script type=\"application/ld+json\">";
        const char *s = strstr(r.body, open);
        cr_assert(s, "%s has no JSON-LD", path);
        s += strlen(open);
        const char *end = strstr(s, "</script>");
        json_error_t e;
        json_t *j = json_loadb(s, (size_t)(end - s), 0, &e);
        cr_expect(j, "%s: %s", path, e.text);
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
    char cmd[600];
    snprintf(cmd, sizeof(cmd),
             "node tests/js/feeds.mjs 'http://127.0.0.1:%d/' "
             "'Київ: сирени, світло & вода' >&2",
             srv.port);
    cr_expect_eq(system(cmd), 0, "the feed readers read the hostile feed");
}
