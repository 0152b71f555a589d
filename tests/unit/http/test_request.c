#include "http/http.h"

#include <criterion/criterion.h>
#include <string.h>

static struct arena a;

static void setup(void)
{
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(http_request, .init = setup, .fini = teardown);

static enum err_code decode(const char *raw, struct str *out)
{
    return http_path_decode(str_from(raw), &a, out, NULL);
}

Test(http_request, path_decoding)
{
    struct str out;
    cr_assert_eq(decode("/tag/news-feed/", &out), ERR_OK);
    cr_assert(str_eq_cstr(out, "/tag/news-feed/"));
    cr_assert_eq(decode("/%D0%9A%D0%B8%D1%97%D0%B2/", &out), ERR_OK);
    cr_assert(str_eq_cstr(out, "/Київ/"));
    cr_assert_eq(decode("/a+b/", &out), ERR_OK);
    cr_assert(str_eq_cstr(out, "/a+b/"), "'+' is literal in paths");
    cr_assert_eq(decode("/%zz", &out), ERR_INVALID);
    cr_assert_eq(decode("/%4", &out), ERR_INVALID);
    cr_assert_eq(decode("/%", &out), ERR_INVALID);
    cr_assert_eq(decode("/%00", &out), ERR_INVALID);
    cr_assert_eq(decode("/%c0%af", &out), ERR_INVALID);
    cr_assert_eq(decode("/..", &out), ERR_INVALID);
    cr_assert_eq(decode("/a/../b", &out), ERR_INVALID);
    cr_assert_eq(decode("/a/./b", &out), ERR_INVALID);
    cr_assert_eq(decode("/%2e%2E/", &out), ERR_INVALID);
    cr_assert_eq(decode("/.well-known/x", &out), ERR_OK);
    cr_assert_eq(decode("/a..b/", &out), ERR_OK);
    cr_assert_eq(decode("relative", &out), ERR_INVALID);
    cr_assert_eq(decode("", &out), ERR_INVALID);
}

Test(http_request, route_matching)
{
    struct request req = {.arena = &a};
    cr_assert(http_route_match("/", STR_LIT("/"), &req));
    cr_assert(!http_route_match("/", STR_LIT("/x/"), &req));
    cr_assert(http_route_match("/tag/{slug}/", STR_LIT("/tag/news-feed/"), &req));
    cr_assert(str_eq_cstr(http_request_param(&req, "slug"), "news-feed"));
    cr_assert(!http_route_match("/tag/{slug}/", STR_LIT("/tag/news-feed"), &req));
    cr_assert(!http_route_match("/tag/{slug}/", STR_LIT("/tag//"), &req));
    cr_assert(!http_route_match("/tag/{slug}/", STR_LIT("/tag/a/b/"), &req));
    cr_assert(http_route_match("/tag/{slug}/page/{n}/", STR_LIT("/tag/x/page/3/"), &req));
    cr_assert(str_eq_cstr(http_request_param(&req, "n"), "3"));
    cr_assert(http_route_match("/assets/{*path}", STR_LIT("/assets/avatars/desk.svg"), &req));
    cr_assert(str_eq_cstr(http_request_param(&req, "path"), "avatars/desk.svg"));
    cr_assert(http_route_match("/{slug}/", STR_LIT("/hello/"), &req));
    cr_assert(!http_route_match("/{slug}/", STR_LIT("/hello/world/"), &req));
}

Test(http_request, query_parameters)
{
    struct request req = {.arena = &a, .query = STR_LIT("before=1.2&tag=news%20feed&q=a+b&e=")};
    struct str v;
    cr_assert(!http_request_query(&req, "before", &v) && str_eq_cstr(v, "1.2"));
    cr_assert(!http_request_query(&req, "tag", &v) && str_eq_cstr(v, "news feed"));
    cr_assert(!http_request_query(&req, "q", &v) && str_eq_cstr(v, "a b"));
    cr_assert(!http_request_query(&req, "e", &v) && v.len == 0);
    cr_assert_eq(http_request_query(&req, "missing", &v), ERR_NOTFOUND);
    struct request bad = {.arena = &a, .query = STR_LIT("x=%zz&y=%00")};
    cr_assert_eq(http_request_query(&bad, "x", &v), ERR_INVALID);
    cr_assert_eq(http_request_query(&bad, "y", &v), ERR_INVALID);
}

Test(http_request, response_headers_never_split)
{
    struct response res;
    http_response_init(&res, &a, 1024);
    http_response_header(&res, "location", STR_LIT("/x\r\nSet-Cookie: evil"));
    cr_assert_eq(res.nheaders, 1);
    cr_assert(!memchr(res.headers[0].value.ptr, '\n', res.headers[0].value.len));
    http_response_release(&res);
}

Test(http_request, query_keep_drops_unknown_parameters)
{
    static const char *const keep[] = {"before", "tag", NULL};
    struct request req = {.arena = &a, .query = STR_LIT("utm_source=x&before=1.2&zz&tag=a%20b")};
    cr_assert(str_eq_cstr(http_query_keep(&req, keep), "before=1.2&tag=a%20b"));
    req.query = STR_LIT("utm_source=x&fbclid=y");
    cr_assert_eq(http_query_keep(&req, keep).len, 0);
    cr_assert_eq(http_query_keep(&req, NULL).len, 0);
    req.query = STR_LIT("before=1&before=2");
    cr_assert(str_eq_cstr(http_query_keep(&req, keep), "before=1&before=2"));
}

Test(http_request, parameters_inside_a_segment)
{
    struct request req = {.arena = &a};
    cr_assert(http_route_match("/sitemap-posts-{n}.xml", STR_LIT("/sitemap-posts-2.xml"), &req));
    cr_assert(str_eq_cstr(http_request_param(&req, "n"), "2"));
    cr_assert(!http_route_match("/sitemap-posts-{n}.xml", STR_LIT("/sitemap-posts-.xml"), &req));
    cr_assert(!http_route_match("/sitemap-posts-{n}.xml", STR_LIT("/sitemap-posts.xml"), &req));
    cr_assert(!http_route_match("/sitemap-posts-{n}.xml", STR_LIT("/sitemap-tags-2.xml"), &req));
    cr_assert(!http_route_match("/sitemap-posts-{n}.xml", STR_LIT("/sitemap-posts-2.xm"), &req));
}
