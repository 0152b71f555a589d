/*
 * Errors found before routing (a target too long, a path that does not decode, dot
 * segments, header fields too large) are answered for the audience of the path asked, as
 * routed errors are: Ghost's JSON envelope with CORS under the API, the newsroom's page
 * under /admin/, the theme's page elsewhere. Also: a page past the last one in the
 * Content API, and no cleartext HTTP/2.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;
static char key[64];

static void add_key(struct srv *s)
{
    srv_content_key(s, key);
}

HTTP_SUITE(http_api_errors, srv, 120, .posts = 5, .before_start = add_key);

/* Ghost's envelope with this status, and the headers every API answer carries. */
static void expect_api_error(const struct resp *r, int status)
{
    cr_expect_eq(r->status, status, "status %d, want %d: %.*s", r->status, status, (int)r->body_len,
                 r->body);
    json_error_t e;
    json_t *j = json_loadb(r->body, r->body_len, 0, &e);
    cr_assert(j, "not JSON (%s): %.*s", e.text, (int)r->body_len, r->body);
    json_t *err0 = json_array_get(json_object_get(j, "errors"), 0);
    cr_expect(json_is_object(err0), "no errors[0]");
    cr_expect(json_is_string(json_object_get(err0, "message")));
    cr_expect(json_is_string(json_object_get(err0, "type")));
    json_decref(j);
    char *ct = resp_header(r, "content-type");
    cr_expect(ct && strstr(ct, "application/json"), "content-type %s", ct);
    char *acao = resp_header(r, "access-control-allow-origin");
    cr_expect(acao && strcmp(acao, "*") == 0, "CORS: %s", acao);
    char *cv = resp_header(r, "content-version");
    cr_expect(cv != NULL, "no Content-Version");
    char *nosniff = resp_header(r, "x-content-type-options");
    cr_expect(nosniff && strcmp(nosniff, "nosniff") == 0);
    free(ct);
    free(acao);
    free(cv);
    free(nosniff);
}

static void expect_api_get(const char *path, int status)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    expect_api_error(&r, status);
    resp_free(&r);
}

/* The theme's error page (themes/default/error.html), with the pages' headers. */
static void expect_theme_page(const char *path, int status)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_expect_eq(r.status, status, "%s: %d", path, r.status);
    cr_expect(body_has(&r, "class=\"wrap error-page\""), "%s: not the theme's page", path);
    char *csp = resp_header(&r, "content-security-policy");
    cr_expect(csp && strstr(csp, "default-src 'self'"), "%s: CSP %s", path, csp);
    free(csp);
    resp_free(&r);
}

static char *long_path(const char *prefix, size_t n)
{
    char *p = malloc(n + 1);
    size_t k = strlen(prefix);
    memcpy(p, prefix, k);
    memset(p + k, 'a', n - k);
    p[n] = '\0';
    return p;
}

Test(http_api_errors, api_uri_too_long_is_ghosts_envelope)
{
    char *path = long_path("/ghost/api/content/posts/", 9000);
    expect_api_get(path, 414);
    free(path);
}

Test(http_api_errors, api_bad_encoding_nul_and_dot_segments_are_ghosts_envelope)
{
    expect_api_get("/ghost/api/content/posts/%ff/", 400);
    expect_api_get("/ghost/api/content/posts/%00/", 400);
    expect_api_get("/ghost/api/content/..%2fposts/", 400);
    expect_api_get("/ghost/api/content/posts/%zz/", 400);
}

Test(http_api_errors, api_header_fields_too_large_are_ghosts_envelope)
{
    size_t n = 20000;
    char *req = malloc(n + 200);
    int k = snprintf(req, 200,
                     "GET /ghost/api/content/posts/ HTTP/1.1\r\nHost: x\r\n"
                     "Connection: close\r\nX-Big: ");
    memset(req + k, 'b', n);
    strcpy(req + k + n, "\r\n\r\n");
    struct resp r;
    http_raw(&srv, req, strlen(req), &r);
    expect_api_error(&r, 431);
    resp_free(&r);
    free(req);
}

Test(http_api_errors, readers_still_get_the_themes_page)
{
    expect_theme_page("/tag/%ff/", 400);
    expect_theme_page("/a%00b/", 400);
    expect_theme_page("/tag/..%2fx/", 400);
    char *path = long_path("/tag/", 9000);
    expect_theme_page(path, 414);
    free(path);
}

Test(http_api_errors, staff_get_the_newsrooms_page)
{
    struct resp r;
    http_req(&srv, "GET", "/admin/posts/%ff/", &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "/admin/assets/admin.css"), "not the newsroom's page: %.*s",
              (int)r.body_len, r.body);
    cr_expect(!body_has(&r, "class=\"wrap error-page\""), "the theme's page");
    resp_free(&r);
}

static json_t *pagination_of(const char *query, struct resp *r, json_t **root)
{
    char path[256];
    snprintf(path, sizeof(path), "/ghost/api/content/posts/?key=%s&%s", key, query);
    http_req(&srv, "GET", path, r);
    cr_assert_eq(r->status, 200, "%s: %d %.*s", query, r->status, (int)r->body_len, r->body);
    json_error_t e;
    *root = json_loadb(r->body, r->body_len, 0, &e);
    cr_assert(*root, "not JSON: %s", e.text);
    return json_object_get(json_object_get(*root, "meta"), "pagination");
}

Test(http_api_errors, a_page_past_the_last_is_empty_and_echoed)
{
    struct resp r;
    json_t *j;
    json_t *p = pagination_of("page=999999999", &r, &j);
    cr_expect_eq(json_array_size(json_object_get(j, "posts")), 0);
    cr_expect_eq(json_integer_value(json_object_get(p, "page")), 999999999, "as asked");
    cr_expect_eq(json_integer_value(json_object_get(p, "pages")), 1);
    cr_expect_eq(json_integer_value(json_object_get(p, "total")), 5);
    cr_expect(json_is_null(json_object_get(p, "next")));
    cr_expect(json_is_null(json_object_get(p, "prev")), "Ghost: no prev with one page");
    json_decref(j);
    resp_free(&r);
    /* the largest int64: its offset would overflow */
    p = pagination_of("page=9223372036854775807&limit=100", &r, &j);
    cr_expect_eq(json_array_size(json_object_get(j, "posts")), 0);
    cr_expect_eq(json_integer_value(json_object_get(p, "page")), INT64_MAX);
    cr_expect(json_is_null(json_object_get(p, "next")));
    json_decref(j);
    resp_free(&r);
    p = pagination_of("page=4&limit=2", &r, &j);
    cr_expect_eq(json_integer_value(json_object_get(p, "pages")), 3);
    cr_expect_eq(json_integer_value(json_object_get(p, "prev")), 3, "Ghost: page - 1");
    cr_expect(json_is_null(json_object_get(p, "next")));
    json_decref(j);
    resp_free(&r);
    char path[256];
    snprintf(path, sizeof(path), "/ghost/api/content/posts/?key=%s&page=99999999999999999999", key);
    expect_api_get(path, 400);
}

/* curl's status line and exit status for a request over cleartext HTTP/2. */
static int curl_h2c(const char *flag, char *line, size_t n)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd),
             "curl -s -i --max-time 10 %s http://127.0.0.1:%d/ghost/api/content/ 2>/dev/null", flag,
             srv.port);
    FILE *f = popen(cmd, "r");
    cr_assert(f);
    line[0] = '\0';
    if (!fgets(line, (int)n, f))
        line[0] = '\0';
    char rest[4096];
    while (fread(rest, 1, sizeof(rest), f) > 0)
        ;
    return pclose(f);
}

Test(http_api_errors, no_cleartext_http2)
{
    char line[256];
    cr_expect_eq(curl_h2c("--http2", line, sizeof(line)), 0);
    cr_expect(strncmp(line, "HTTP/1.1 ", 9) == 0, "an upgrade was answered with: %s", line);
    cr_expect(strncmp(line, "HTTP/1.1 101", 12) != 0, "switched protocols: %s", line);
    /* prior knowledge: h2o reads the preface as HTTP/1 and refuses it, curl then fails */
    int st = curl_h2c("--http2-prior-knowledge", line, sizeof(line));
    cr_expect(st != 0, "an HTTP/2 connection without TLS was accepted: %s", line);
    cr_expect(strncmp(line, "HTTP/2", 6) != 0, "served HTTP/2: %s", line);
    struct resp r;
    static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    http_raw(&srv, preface, sizeof(preface) - 1, &r);
    cr_expect_eq(r.status, 400, "the preface read as HTTP/1: %d", r.status);
    resp_free(&r);
}
