/* Sitemaps and robots.txt, validated by xmllint against the sitemaps.org schemas. */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_sitemaps, srv, 120, .posts = 30);

/* Fetches path and validates it against schema; returns the response (caller frees). */
static void validate(const char *path, const char *schema, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    cr_assert_eq(r->status, 200, "%s", path);
    char file[SRV_PATH_MAX];
    cr_expect_eq(xml_check(schema, srv_save(&srv, r, "sitemap.xml", file)), 0,
                 "%s does not validate against %s", path, schema ? schema : "XML 1.0");
}

Test(http_sitemaps, index_and_its_sitemaps_validate)
{
    struct resp idx, posts, tags, authors, news;
    validate("/sitemap.xml", "siteindex-0.9.xsd", &idx);
    cr_expect(body_has(&idx, "<loc>http://127.0.0.1:8080/sitemap-posts.xml</loc>"));
    cr_expect(body_has(&idx, "/sitemap-tags.xml</loc>"));
    cr_expect(body_has(&idx, "/sitemap-authors.xml</loc>"));
    validate("/sitemap-posts.xml", "sitemap-0.9.xsd", &posts);
    cr_expect_eq(body_count(&posts, "<url>"), 30);
    cr_expect(body_has(&posts, "<lastmod>2026-11-20T12:00:00Z</lastmod>"));
    validate("/sitemap-tags.xml", "sitemap-0.9.xsd", &tags);
    cr_expect(body_has(&tags, "<loc>http://127.0.0.1:8080/tag/news-feed/</loc>"));
    validate("/sitemap-authors.xml", "sitemap-0.9.xsd", &authors);
    cr_expect(body_has(&authors, "/author/news-desk/</loc>"));
    /* no post of the demo is 48 hours young: an empty news sitemap, which Google accepts
     * (the urlset schema wants one url, so only well-formedness applies) */
    validate("/sitemap-news.xml", NULL, &news);
    cr_expect_eq(body_count(&news, "<url>"), 0);
    resp_free(&idx), resp_free(&posts), resp_free(&tags), resp_free(&authors), resp_free(&news);
}

Test(http_sitemaps, news_lists_only_the_last_two_days)
{
    srv_add_post(&srv, "fresh.md", "---\ntitle: \"Fresh & new <report>\"\n---\nBody.\n");
    struct resp news;
    validate("/sitemap-news.xml", "sitemap-with-news.local.xsd", &news);
    cr_expect_eq(body_count(&news, "<news:news>"), 1, "the demo posts are older than 48 hours");
    cr_expect(body_has(&news, "<news:title>Fresh &amp; new &lt;report&gt;</news:title>"));
    cr_expect(body_has(&news, "<news:language>en</news:language>"));
    resp_free(&news);
    struct resp posts;
    validate("/sitemap-posts.xml", "sitemap-0.9.xsd", &posts);
    cr_expect_eq(body_count(&posts, "<url>"), 31, "the index follows the publish at once");
    resp_free(&posts);
}

Test(http_sitemaps, robots_and_missing_files)
{
    struct resp robots, none;
    http_req(&srv, "GET", "/robots.txt", &robots);
    cr_assert_eq(robots.status, 200);
    cr_expect(body_has(&robots, "Sitemap: http://127.0.0.1:8080/sitemap.xml\n"));
    http_req(&srv, "GET", "/sitemap-posts-2.xml", &none);
    cr_expect_eq(none.status, 404, "no second file for 30 posts");
    resp_free(&robots);
    resp_free(&none);
}
