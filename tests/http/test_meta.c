/* What search engines and social sites read in a page's head: JSON-LD and Open Graph. */
#include "harness.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_meta, srv, 60, .posts = 20);

/* The page's JSON-LD, parsed; fails the test when there is none or it is not JSON. */
static json_t *jsonld(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_assert_eq(r.status, 200, "%s", path);
    char *ld = body_between(&r, "<script type=\"application/ld+json\">", "</script>");
    cr_assert(ld, "%s has no JSON-LD", path);
    json_error_t e;
    json_t *j = json_loads(ld, 0, &e);
    cr_assert(j, "%s: bad JSON-LD: %s", path, e.text);
    free(ld);
    resp_free(&r);
    return j;
}

static const char *field(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static bool absolute(const char *url)
{
    return url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
}

/* "2026-11-20T12:00:00+00:00": ISO 8601 with a zone */
static bool dated(const char *d)
{
    return d && strlen(d) == 25 && d[10] == 'T' && (d[19] == '+' || d[19] == '-') && d[22] == ':';
}

static char *first_article(void)
{
    struct resp home;
    http_req(&srv, "GET", "/", &home);
    const char *mark = "class=\"teaser-title\"><a href=\"";
    const char *p = strstr(home.body, mark) + strlen(mark);
    char *url = strndup(p, strcspn(p, "\""));
    resp_free(&home);
    return url;
}

Test(http_meta, news_article)
{
    char *url = first_article();
    json_t *j = jsonld(url);
    cr_expect_str_eq(field(j, "@context"), "https://schema.org");
    cr_expect_str_eq(field(j, "@type"), "NewsArticle");
    cr_expect(field(j, "headline"));
    cr_expect(dated(field(j, "datePublished")), "%s", field(j, "datePublished"));
    cr_expect(dated(field(j, "dateModified")));
    cr_expect(strcmp(field(j, "dateModified"), field(j, "datePublished")) >= 0);
    json_t *authors = json_object_get(j, "author");
    cr_assert(json_array_size(authors) >= 1);
    cr_expect(field(json_array_get(authors, 0), "name"));
    cr_expect(absolute(field(json_array_get(authors, 0), "url")));
    cr_expect(field(json_object_get(j, "publisher"), "name"));
    cr_expect(absolute(field(json_object_get(j, "mainEntityOfPage"), "@id")));
    json_decref(j);
    struct resp r;
    http_req(&srv, "GET", url, &r);
    cr_expect(body_has(&r, "<meta property=\"og:type\" content=\"article\">"));
    cr_expect(body_has(&r, "<meta property=\"article:published_time\" content=\"2026-"));
    cr_expect(body_has(&r, "<meta property=\"article:section\" content=\""));
    cr_expect(body_has(&r, "<meta property=\"og:url\" content=\"http://"));
    cr_expect(body_has(&r, "<meta name=\"twitter:card\""));
    cr_expect(!body_has(&r, "<link rel=\"next\""), "an article is not a paged list");
    resp_free(&r);
    free(url);
}

Test(http_meta, website_person_and_collection)
{
    json_t *home = jsonld("/");
    cr_expect_str_eq(field(home, "@type"), "WebSite");
    cr_expect(absolute(field(home, "url")));
    json_t *desk = jsonld("/author/news-desk/");
    cr_expect_str_eq(field(desk, "@type"), "Organization", "a desk is an organization");
    cr_expect(absolute(field(desk, "image")));
    json_t *tag = jsonld("/tag/news-feed/");
    cr_expect_str_eq(field(tag, "@type"), "CollectionPage");
    cr_expect_str_eq(field(tag, "name"), "News Feed");
    json_decref(home);
    json_decref(desk);
    json_decref(tag);
    struct resp p2;
    http_req(&srv, "GET", "/page/2/", &p2);
    cr_expect(body_has(&p2, "<link rel=\"prev\" href=\"/\">"));
    resp_free(&p2);
}

Test(http_meta, a_hostile_title_cannot_leave_its_script)
{
    srv_add_post(&srv, "x.md",
                 "---\ntitle: \"</script><script>alert(1)</script> & <!-- \\\"x\\\"\"\nslug: "
                 "hostile\n---\nB\n");
    json_t *j = jsonld("/hostile/");
    cr_expect_str_eq(field(j, "headline"), "</script><script>alert(1)</script> & <!-- \"x\"");
    json_decref(j);
    struct resp r;
    http_req(&srv, "GET", "/hostile/", &r);
    cr_expect_eq(body_count(&r, "<script>alert(1)"), 0, "never raw in the page");
    resp_free(&r);
}
