/* Malformed requests get a 4xx, and the server keeps serving everyone else. */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_bad, srv, 60, .posts = 5);

static void still_serving(void)
{
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_assert_eq(r.status, 200, "the server stopped serving");
    resp_free(&r);
}

static int status_of(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    int st = r.status;
    resp_free(&r);
    return st;
}

Test(http_bad, bad_percent_encoding)
{
    cr_expect_eq(status_of("/%zz/"), 400);
    cr_expect_eq(status_of("/%4/"), 400);
    cr_expect_eq(status_of("/abc%"), 400);
    cr_expect_eq(status_of("/%ff%fe/"), 400, "invalid UTF-8");
    still_serving();
}

Test(http_bad, nul_and_dot_segments)
{
    cr_expect_eq(status_of("/%00/"), 400);
    cr_expect_eq(status_of("/a%00b/"), 400);
    cr_expect_eq(status_of("/../etc/passwd"), 400);
    cr_expect_eq(status_of("/assets/../site.db"), 400);
    cr_expect_eq(status_of("/%2e%2e/%2e%2e/etc/passwd"), 400);
    cr_expect_eq(status_of("/tag/./"), 400);
    struct resp r;
    const char raw[] = "GET /a\0b/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    http_raw(&srv, raw, sizeof(raw) - 1, &r);
    cr_expect(r.status >= 400 && r.status < 500, "raw NUL: %d", r.status);
    resp_free(&r);
    still_serving();
}

Test(http_bad, uri_too_long)
{
    size_t n = 9000;
    char *path = malloc(n + 2);
    path[0] = '/';
    memset(path + 1, 'a', n);
    path[n + 1] = '\0';
    cr_expect_eq(status_of(path), 414);
    free(path);
    still_serving();
}

Test(http_bad, headers_too_large)
{
    size_t n = 20000;
    char *req = malloc(n + 200);
    int k = snprintf(req, 200, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ");
    memset(req + k, 'b', n);
    strcpy(req + k + n, "\r\n\r\n");
    struct resp r;
    http_raw(&srv, req, strlen(req), &r);
    cr_expect_eq(r.status, 431);
    resp_free(&r);
    free(req);
    still_serving();
}

Test(http_bad, too_many_headers)
{
    char req[8192];
    size_t k =
        (size_t)snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (int i = 0; i < 80; i++)
        k += (size_t)snprintf(req + k, sizeof(req) - k, "X-H%d: v\r\n", i);
    k += (size_t)snprintf(req + k, sizeof(req) - k, "\r\n");
    struct resp r;
    http_raw(&srv, req, k, &r);
    cr_expect_eq(r.status, 431);
    resp_free(&r);
    still_serving();
}

Test(http_bad, garbage_request_line)
{
    const char *reqs[] = {"HELLO\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                          "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"};
    for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
        struct resp r;
        http_raw(&srv, reqs[i], strlen(reqs[i]), &r);
        cr_expect(r.status >= 400 && r.status < 500, "request %zu: %d", i, r.status);
        resp_free(&r);
    }
    still_serving();
}

Test(http_bad, oversized_body)
{
    char req[512];
    int n = snprintf(req, sizeof(req),
                     "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n"
                     "Connection: close\r\n\r\nxxxx");
    struct resp r;
    http_raw(&srv, req, (size_t)n, &r);
    cr_expect(r.status == 413 || r.status == 405, "got %d", r.status);
    resp_free(&r);
    still_serving();
}
