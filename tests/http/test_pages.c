/* Every page type of the reader's site, against the real binary. */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_pages, srv, 60, .posts = 40);

/* The first href="..." after marker in the body (malloc'd), or NULL. */
static char *href_after(const struct resp *r, const char *marker)
{
    const char *p = strstr(r->body, marker);
    if (!p)
        return NULL;
    p = strstr(p, "href=\"");
    if (!p)
        return NULL;
    p += 6;
    return strndup(p, strcspn(p, "\""));
}

Test(http_pages, home_lists_fifteen_teasers_and_show_more)
{
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_assert_eq(r.status, 200);
    char *ct = resp_header(&r, "content-type");
    cr_assert_str_eq(ct, "text/html; charset=utf-8");
    cr_assert_eq(body_count(&r, "<li class=\"teaser\" data-id="), 15);
    cr_assert(body_has(&r, "class=\"show-more\" href=\"/page/2/\""));
    char *more = body_attr(&r, "data-more");
    cr_assert(more && strncmp(more, "/more/?before=", 14) == 0, "data-more: %s", more);
    cr_assert(body_has(&r, "<time datetime=\"2026-11-20T12:00:00"));
    cr_assert(body_has(&r, "<html lang=\"en\">"));
    free(more);
    free(ct);
    resp_free(&r);
}

Test(http_pages, content_length_and_date_headers)
{
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    char *cl = resp_header(&r, "content-length"), *date = resp_header(&r, "date");
    cr_assert(cl && (size_t)strtoul(cl, NULL, 10) == r.body_len, "content-length %s vs %zu", cl,
              r.body_len);
    cr_assert(date && strlen(date) == 29 && strstr(date, " GMT"), "date: %s", date);
    free(cl);
    free(date);
    resp_free(&r);
}

Test(http_pages, head_has_headers_and_no_body)
{
    struct resp get, head;
    http_req(&srv, "GET", "/", &get);
    http_req(&srv, "HEAD", "/", &head);
    cr_assert_eq(head.status, 200);
    cr_assert_eq(head.body_len, 0);
    char *a = resp_header(&get, "content-length"), *b = resp_header(&head, "content-length");
    cr_assert_str_eq(a, b);
    char *ct = resp_header(&head, "content-type");
    cr_assert_str_eq(ct, "text/html; charset=utf-8");
    free(a);
    free(b);
    free(ct);
    resp_free(&get);
    resp_free(&head);
}

Test(http_pages, article_has_every_part)
{
    struct resp home, r;
    http_req(&srv, "GET", "/", &home);
    char *url = href_after(&home, "class=\"teaser-title\"");
    cr_assert(url);
    http_req(&srv, "GET", url, &r);
    cr_assert_eq(r.status, 200, "GET %s", url);
    cr_assert(body_has(&r, "class=\"section\" href=\"/tag/"), "section label");
    cr_assert(body_has(&r, "<h1 class=\"post-title\">"), "headline");
    cr_assert(body_has(&r, " min read</span>"), "reading time");
    cr_assert(body_has(&r, "<time datetime=\""), "date");
    cr_assert(body_has(&r, "<blockquote>"), "quotation");
    cr_assert(body_has(&r, "<aside class=\"author-card\""), "author card");
    cr_assert(body_has(&r, "class=\"avatar"), "avatar");
    cr_assert(body_has(&r, "class=\"author-bio\""), "bio");
    cr_assert(body_has(&r, "feedback and news tips"), "contact invitation");
    cr_assert(body_has(&r, "href=\"mailto:"), "contact link");
    cr_assert(body_has(&r, "class=\"read-more\" href=\"/author/"), "read more");
    cr_assert(body_has(&r, "class=\"show-more\""), "show more");
    cr_assert(body_count(&r, "<li class=\"teaser\" data-id=") >= 1, "latest items");
    /* the article itself is not among its latest other items */
    char teaser_link[300];
    snprintf(teaser_link, sizeof(teaser_link), "class=\"teaser-title\"><a href=\"%s\"", url);
    cr_assert(!body_has(&r, teaser_link));
    free(url);
    resp_free(&home);
    resp_free(&r);
}

Test(http_pages, pagination)
{
    struct resp p2, p3, p4, p1;
    http_req(&srv, "GET", "/page/2/", &p2);
    cr_assert_eq(p2.status, 200);
    cr_assert_eq(body_count(&p2, "<li class=\"teaser\" data-id="), 15);
    cr_assert(body_has(&p2, "rel=\"prev\" href=\"/\""));
    http_req(&srv, "GET", "/page/3/", &p3);
    cr_assert_eq(p3.status, 200);
    cr_assert_eq(body_count(&p3, "<li class=\"teaser\" data-id="), 10);
    cr_assert(!body_has(&p3, "class=\"show-more\""));
    http_req(&srv, "GET", "/page/4/", &p4);
    cr_assert_eq(p4.status, 404);
    cr_assert(body_has(&p4, "Page not found"), "themed 404");
    http_req(&srv, "GET", "/page/1/", &p1);
    cr_assert_eq(p1.status, 301);
    char *loc = resp_header(&p1, "location");
    cr_assert_str_eq(loc, "/");
    free(loc);
    resp_free(&p2);
    resp_free(&p3);
    resp_free(&p4);
    resp_free(&p1);
}

Test(http_pages, tag_and_author_pages)
{
    struct resp tag, author, tag2;
    http_req(&srv, "GET", "/tag/news-feed/", &tag);
    cr_assert_eq(tag.status, 200);
    cr_assert(body_has(&tag, "<h1 class=\"page-title\">News Feed</h1>"));
    cr_assert(body_count(&tag, "<li class=\"teaser\" data-id=") >= 15);
    cr_assert(body_has(&tag, "href=\"/tag/news-feed/page/2/\""));
    char *more = body_attr(&tag, "data-more");
    cr_assert(more && strstr(more, "tag=news-feed"), "%s", more);
    http_req(&srv, "GET", "/tag/news-feed/page/2/", &tag2);
    cr_assert_eq(tag2.status, 200);
    http_req(&srv, "GET", "/author/news-desk/", &author);
    cr_assert_eq(author.status, 200);
    cr_assert(body_has(&author, "<h1 class=\"page-title\">News Desk</h1>"));
    cr_assert(body_has(&author, "src=\"/assets/avatars/desk.svg\""));
    free(more);
    resp_free(&tag);
    resp_free(&tag2);
    resp_free(&author);
}

Test(http_pages, missing_things_get_the_themed_404)
{
    const char *paths[] = {
        "/no-such-post/", "/tag/no-such-tag/", "/author/nobody/", "/tag/news-feed/page/99/",
        "/a/b/c/d/",      "/assets/nope.css",  "/page/0/",        "/page/abc/",
        "/page/01/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct resp r;
        http_req(&srv, "GET", paths[i], &r);
        cr_expect_eq(r.status, 404, "%s: %d", paths[i], r.status);
        cr_expect(body_has(&r, "Page not found"), "%s is not the themed page", paths[i]);
        cr_expect(body_has(&r, "<link rel=\"stylesheet\""), "%s", paths[i]);
        resp_free(&r);
    }
}

Test(http_pages, trailing_slash_redirect)
{
    struct resp r;
    http_req(&srv, "GET", "/tag/news-feed", &r);
    cr_assert_eq(r.status, 301);
    char *loc = resp_header(&r, "location");
    cr_assert_str_eq(loc, "/tag/news-feed/");
    free(loc);
    resp_free(&r);
}

Test(http_pages, assets)
{
    struct resp css, js;
    http_req(&srv, "GET", "/assets/style.css", &css);
    cr_assert_eq(css.status, 200);
    char *ct = resp_header(&css, "content-type");
    cr_assert_str_eq(ct, "text/css; charset=utf-8");
    http_req(&srv, "GET", "/assets/app.js", &js);
    cr_assert_eq(js.status, 200);
    cr_assert(body_has(&js, "data-more"));
    free(ct);
    resp_free(&css);
    resp_free(&js);
}

Test(http_pages, keep_alive_serves_several_requests)
{
    const char *req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /page/2/ HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /assets/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    struct resp r;
    http_raw(&srv, req, strlen(req), &r);
    cr_assert_eq(r.status, 200);
    /* three responses on one connection */
    cr_assert_eq(body_count(&r, "HTTP/1.1 200 OK"), 2, "pipelined responses");
    resp_free(&r);
}

Test(http_pages, method_not_allowed)
{
    struct resp r;
    http_req(&srv, "DELETE", "/", &r);
    cr_assert_eq(r.status, 405);
    char *allow = resp_header(&r, "allow");
    cr_assert(allow && strstr(allow, "GET"));
    free(allow);
    resp_free(&r);
}
