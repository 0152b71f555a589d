/* RSS, Atom and JSON Feed, checked by xmllint, jing (RFC 4287's schema) and jansson. */
#include "harness.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_feeds, srv, 120, .posts = 25);

/* WebSub 4: Link headers name the hub and the feed itself, as its rel=self does. */
static void check_hub_header(const struct resp *r, const char *path)
{
    char *link = resp_header(r, "link");
    char want[256];
    snprintf(want, sizeof(want),
             "<http://127.0.0.1:8080/websub/>; rel=\"hub\", <http://127.0.0.1:8080%s>; "
             "rel=\"self\"",
             path);
    cr_expect(link && strcmp(link, want) == 0, "%s: Link %s", path, link ? link : "(none)");
    free(link);
}

static void check_rss(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_assert_eq(r.status, 200, "%s", path);
    char *ct = resp_header(&r, "content-type");
    cr_expect_str_eq(ct, "application/rss+xml; charset=utf-8");
    cr_expect(body_has(&r, "<rss version=\"2.0\""));
    cr_expect(body_has(&r, "<atom:link rel=\"self\" type=\"application/rss+xml\""));
    cr_expect(body_has(&r, "<guid isPermaLink=\"false\">"));
    cr_expect(body_has(&r, "<atom:link rel=\"hub\" href=\"http://127.0.0.1:8080/websub/\"/>"),
              "%s names no WebSub hub", path);
    check_hub_header(&r, path);
    char file[SRV_PATH_MAX];
    cr_expect_eq(xml_check(NULL, srv_save(&srv, &r, "feed.rss", file)), 0,
                 "%s is not well-formed XML", path);
    free(ct);
    resp_free(&r);
}

static void check_atom(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_assert_eq(r.status, 200, "%s", path);
    char *ct = resp_header(&r, "content-type");
    cr_expect_str_eq(ct, "application/atom+xml; charset=utf-8");
    char file[SRV_PATH_MAX];
    cr_expect_eq(xml_check("atom-rfc4287.rnc", srv_save(&srv, &r, "feed.atom", file)), 0,
                 "%s is not valid Atom (RFC 4287 schema)", path);
    cr_expect(body_has(&r, "<id>urn:uuid:"));
    cr_expect(body_has(&r, "<link rel=\"hub\" href=\"http://127.0.0.1:8080/websub/\"/>"),
              "%s names no WebSub hub", path);
    check_hub_header(&r, path);
    free(ct);
    resp_free(&r);
}

static void check_json(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_assert_eq(r.status, 200, "%s", path);
    char *ct = resp_header(&r, "content-type");
    cr_expect_str_eq(ct, "application/feed+json; charset=utf-8");
    json_error_t e;
    json_t *feed = json_loadb(r.body, r.body_len, 0, &e);
    cr_assert(feed, "%s: %s", path, e.text);
    cr_expect_str_eq(json_string_value(json_object_get(feed, "version")),
                     "https://jsonfeed.org/version/1.1");
    cr_expect(json_is_string(json_object_get(feed, "title")));
    cr_expect(json_is_string(json_object_get(feed, "feed_url")));
    json_t *hub = json_array_get(json_object_get(feed, "hubs"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(hub, "type")), "WebSub");
    cr_expect_str_eq(json_string_value(json_object_get(hub, "url")),
                     "http://127.0.0.1:8080/websub/");
    check_hub_header(&r, path);
    json_t *items = json_object_get(feed, "items");
    cr_assert(json_is_array(items) && json_array_size(items) > 0);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        cr_expect(json_is_string(json_object_get(item, "id")), "item id is a string");
        cr_expect(json_is_string(json_object_get(item, "content_html")));
        const char *url = json_string_value(json_object_get(item, "url"));
        cr_expect(url && strncmp(url, "http", 4) == 0, "absolute url");
        const char *d = json_string_value(json_object_get(item, "date_published"));
        cr_expect(d && strlen(d) == 20 && d[10] == 'T' && d[19] == 'Z', "RFC 3339: %s", d);
    }
    json_decref(feed);
    free(ct);
    resp_free(&r);
}

Test(http_feeds, every_feed_in_every_format)
{
    const char *bases[] = {"/", "/tag/news-feed/", "/author/news-desk/"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof(p), "%srss/", bases[i]);
        check_rss(p);
        snprintf(p, sizeof(p), "%satom/", bases[i]);
        check_atom(p);
        snprintf(p, sizeof(p), "%sfeed.json", bases[i]);
        check_json(p);
    }
}

Test(http_feeds, cached_feeds_and_304s_keep_their_hub_links)
{
    struct resp first, again;
    http_req(&srv, "GET", "/tag/news-feed/rss/", &first);
    http_req(&srv, "GET", "/tag/news-feed/rss/", &again);
    char *hit = resp_header(&again, "x-cache");
    cr_expect_str_eq(hit, "HIT");
    check_hub_header(&again, "/tag/news-feed/rss/");
    char *etag = resp_header(&again, "etag");
    char req[512];
    snprintf(req, sizeof(req),
             "GET /tag/news-feed/rss/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n"
             "Connection: close\r\n\r\n",
             etag);
    struct resp nm;
    http_raw(&srv, req, strlen(req), &nm);
    cr_expect_eq(nm.status, 304);
    check_hub_header(&nm, "/tag/news-feed/rss/");
    free(hit);
    free(etag);
    resp_free(&first);
    resp_free(&again);
    resp_free(&nm);
}

Test(http_feeds, feeds_of_nothing_are_404)
{
    const char *paths[] = {"/tag/nope/rss/", "/tag/nope/atom/", "/author/nobody/feed.json"};
    for (size_t i = 0; i < 3; i++) {
        struct resp r;
        http_req(&srv, "GET", paths[i], &r);
        cr_expect_eq(r.status, 404, "%s", paths[i]);
        resp_free(&r);
    }
}

Test(http_feeds, pages_announce_their_feeds)
{
    struct resp home, tag;
    http_req(&srv, "GET", "/", &home);
    http_req(&srv, "GET", "/tag/news-feed/", &tag);
    cr_expect(body_has(&home, "type=\"application/rss+xml\""));
    cr_expect(body_has(&home, "href=\"/atom/\""));
    cr_expect(body_has(&home, "href=\"/feed.json\""));
    cr_expect(body_has(&tag, "href=\"/tag/news-feed/rss/\""));
    resp_free(&home);
    resp_free(&tag);
}

Test(http_feeds, hostile_text_stays_well_formed_and_new_posts_show_at_once)
{
    srv_add_post(
        &srv, "hostile.md",
        "---\ntitle: \"Tom & Jerry <b>]]> \\\"quoted\\\" 'single'\"\ntags: [News Feed, \"R&D "
        "<x>\"]\n"
        "---\nBody with ]]> and <script>alert(1)</script> and \x01\x02 control bytes & more.\n");
    struct resp rss;
    http_req(&srv, "GET", "/rss/", &rss);
    cr_expect(body_has(&rss, "Tom &amp; Jerry &lt;b&gt;]]&gt;"), "the new post, escaped, at once");
    resp_free(&rss);
    check_rss("/rss/");
    check_atom("/atom/");
    check_json("/feed.json");
    check_rss("/tag/r-d-x/rss/");
}

Test(http_feeds, real_feed_readers_read_what_was_published)
{
    srv_add_post(&srv, "readers.md", "---\ntitle: \"Readers & <feeds> agree\"\n---\nBody.\n");
    cr_expect_eq(
        node_run("tests/js/feeds.mjs 'http://127.0.0.1:%d/' 'Readers & <feeds> agree'", srv.port),
        0, "rss-parser or feed-extractor disagreed (see above)");
}
