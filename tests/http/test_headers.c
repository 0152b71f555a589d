/*
 * The security headers each audience gets (OWASP's CSP cheat sheet, STANDARDS.md 10.3):
 * a reader's pages a strict CSP, nosniff, a referrer policy and X-Frame-Options, rendered,
 * from the cache and as 304s; feeds, sitemaps, assets and the Content API nosniff and a
 * CSP that allows nothing; the newsroom nosniff beside its own headers.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;
static char key[64];

static void content_key(struct srv *s)
{
    srv_content_key(s, key);
}

HTTP_SUITE(http_headers, srv, 60, .posts = 20, .before_start = content_key);

#define CSP_PAGE                                                                                   \
    "default-src 'self'; img-src 'self' https: http: data:; script-src 'self'; style-src 'self'; " \
    "frame-src https://www.youtube-nocookie.com https://platform.twitter.com https://t.me "        \
    "https://www.instagram.com https://www.facebook.com https://embed.bsky.app; "                  \
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
#define CSP_NONE "default-src 'none'; frame-ancestors 'none'"

/* Expects header name to be value (NULL: absent) on r, the answer to path. */
static void expect_header(const struct resp *r, const char *path, const char *name,
                          const char *value)
{
    char *v = resp_header(r, name);
    if (value)
        cr_expect(v && strcmp(v, value) == 0, "%s: %s is '%s', not '%s'", path, name,
                  v ? v : "(absent)", value);
    else
        cr_expect(!v, "%s: %s is '%s', expected none", path, name, v);
    free(v);
}

static void expect_page(const struct resp *r, const char *path)
{
    expect_header(r, path, "content-security-policy", CSP_PAGE);
    expect_header(r, path, "x-content-type-options", "nosniff");
    expect_header(r, path, "referrer-policy", "strict-origin-when-cross-origin");
    expect_header(r, path, "x-frame-options", "DENY");
}

static void expect_data(const struct resp *r, const char *path)
{
    expect_header(r, path, "content-security-policy", CSP_NONE);
    expect_header(r, path, "x-content-type-options", "nosniff");
    expect_header(r, path, "referrer-policy", "strict-origin-when-cross-origin");
    expect_header(r, path, "x-frame-options", NULL);
}

static void get(const char *path, int status, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    cr_assert_eq(r->status, status, "%s: status %d", path, r->status);
}

/* The home page's first article and its Show More fragment's URL (&amp; unescaped). */
static void home_links(char **article, char **more)
{
    struct resp r;
    get("/", 200, &r);
    *article = body_between(&r, "class=\"teaser-title\"><a href=\"", "\"");
    *more = body_attr(&r, "data-more");
    resp_free(&r);
    cr_assert(*article && *more, "a teaser and Show More on the home page");
    char *w = *more;
    for (const char *p = *more; *p; p++) {
        *w++ = *p;
        if (strncmp(p, "&amp;", 5) == 0)
            p += 4;
    }
    *w = '\0';
}

Test(http_headers, every_page_type_twice_rendered_then_cached)
{
    char *article, *more;
    home_links(&article, &more);
    const char *paths[] = {"/",  "/page/2/", "/tag/news-feed/", "/author/news-desk/", "/tips/",
                           more, article};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        for (int pass = 0; pass < 2; pass++) {
            struct resp r;
            get(paths[i], 200, &r);
            char *x = resp_header(&r, "x-cache");
            if (pass == 1 && strcmp(paths[i], "/tips/") != 0)
                cr_expect(x && strcmp(x, "HIT") == 0, "%s: second request a hit", paths[i]);
            free(x);
            expect_page(&r, paths[i]);
            resp_free(&r);
        }
    free(article);
    free(more);
}

Test(http_headers, a_304_carries_them)
{
    struct resp a, r;
    get("/tag/news-feed/", 200, &a);
    char *etag = resp_header(&a, "etag");
    cr_assert(etag);
    char req[512];
    int n = snprintf(req, sizeof(req),
                     "GET /tag/news-feed/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n"
                     "Connection: close\r\n\r\n",
                     etag);
    http_raw(&srv, req, (size_t)n, &r);
    cr_assert_eq(r.status, 304);
    expect_page(&r, "/tag/news-feed/ (304)");
    free(etag);
    resp_free(&a);
    resp_free(&r);
}

Test(http_headers, error_pages_and_redirects)
{
    const char *missing[] = {"/no-such-post/", "/tag/nope/", "/tag/nope/rss/", "/assets/nope.css"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        struct resp r;
        get(missing[i], 404, &r);
        expect_page(&r, missing[i]);
        resp_free(&r);
    }
    struct resp r;
    get("/tag/news-feed", 301, &r);
    expect_page(&r, "/tag/news-feed");
    resp_free(&r);
}

Test(http_headers, feeds_sitemaps_robots_and_assets)
{
    const char *paths[] = {"/rss/",
                           "/atom/",
                           "/feed.json",
                           "/tag/news-feed/rss/",
                           "/sitemap.xml",
                           "/robots.txt",
                           "/assets/style.css",
                           "/assets/app.js",
                           "/assets/favicon.svg"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        for (int pass = 0; pass < 2; pass++) {
            struct resp r;
            get(paths[i], 200, &r);
            expect_data(&r, paths[i]);
            resp_free(&r);
        }
}

Test(http_headers, the_content_api)
{
    char path[256];
    snprintf(path, sizeof(path), "/ghost/api/content/posts/?key=%s", key);
    for (int pass = 0; pass < 2; pass++) {
        struct resp r;
        get(path, 200, &r);
        expect_data(&r, "the API's posts");
        expect_header(&r, "the API's posts", "access-control-allow-origin", "*");
        resp_free(&r);
    }
    struct resp r;
    get("/ghost/api/content/posts/?key=0123456789abcdef0123456789", 401, &r);
    expect_data(&r, "the API's 401");
    resp_free(&r);
}

Test(http_headers, the_newsroom)
{
    const char *paths[] = {"/admin/login/", "/admin/assets/admin.css", "/admin/assets/admin.js"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct resp r;
        get(paths[i], 200, &r);
        expect_header(&r, paths[i], "x-content-type-options", "nosniff");
        resp_free(&r);
    }
    struct resp r;
    get("/admin/login/", 200, &r);
    expect_header(&r, "/admin/login/", "x-frame-options", "DENY");
    char *csp = resp_header(&r, "content-security-policy");
    cr_expect(csp && strstr(csp, "frame-ancestors 'none'"), "the newsroom's own CSP: %s", csp);
    free(csp);
    resp_free(&r);
    get("/admin/", 303, &r); /* no session: to the login page */
    expect_header(&r, "/admin/", "x-content-type-options", "nosniff");
    resp_free(&r);
}
