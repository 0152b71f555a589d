/*
 * The Ghost-compatible Content API against the real server: keys, statuses and Ghost's
 * error envelope, CORS, the slash redirect, caching and revocation, the key shape of a
 * post against Ghost's (tests/spec/ghost/post.json), and Ghost's own JavaScript client
 * (tests/js/content-api.mjs).
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;
static char key[64];

/* Beside 24 demo posts: one with known content, and a content key. */
static void known_post_and_key(struct srv *s)
{
    srv_add_post(s, "known.md",
                 "---\ntitle: Ghost client check\nslug: ghost-client-check\n"
                 "tags: [Ghost check, Second]\nexcerpt: A custom excerpt\nfeatured: true\n---\n"
                 "A short body.\n");
    srv_content_key(s, key);
}

HTTP_SUITE(http_content_api, srv, 180, .posts = 24, .before_start = known_post_and_key);

/* GET path with its first "%s" replaced by the key. */
static void get(const char *path, struct resp *r)
{
    char full[8192];
    const char *at = strstr(path, "%s");
    cr_assert(at && strlen(path) + strlen(key) < sizeof(full));
    snprintf(full, sizeof(full), "%.*s%s%s", (int)(at - path), path, key, at + 2);
    http_req(&srv, "GET", full, r);
}

static json_t *body_json(const struct resp *r)
{
    json_error_t e;
    json_t *j = json_loadb(r->body, r->body_len, 0, &e);
    cr_assert(j, "not JSON (%s): %.*s", e.text, (int)r->body_len, r->body);
    return j;
}

/* Ghost's error envelope with this status and type. */
static void expect_error(const struct resp *r, int status, const char *type)
{
    cr_expect_eq(r->status, status, "status %d, want %d: %s", r->status, status, r->body);
    json_t *j = body_json(r);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert(json_is_object(e), "no errors[0]");
    cr_expect_str_eq(json_string_value(json_object_get(e, "type")), type);
    cr_expect(json_is_string(json_object_get(e, "message")));
    static const char *const keys[] = {"context", "details", "property",
                                       "help",    "code",    "ghostErrorCode"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        cr_expect(json_object_get(e, keys[i]) != NULL, "no '%s' in the error", keys[i]);
    cr_expect_eq(strlen(json_string_value(json_object_get(e, "id"))), 36);
    char *cors = resp_header(r, "access-control-allow-origin");
    cr_expect(cors && strcmp(cors, "*") == 0, "CORS on errors too");
    free(cors);
    json_decref(j);
}

Test(http_content_api, keys_statuses_and_the_error_envelope)
{
    struct resp r;
    http_req(&srv, "GET", "/ghost/api/content/posts/", &r);
    expect_error(&r, 403, "NoPermissionError");
    resp_free(&r);
    http_req(&srv, "GET", "/ghost/api/content/posts/?key=0123456789abcdef0123456789", &r);
    expect_error(&r, 401, "UnauthorizedError");
    resp_free(&r);
    get("/ghost/api/content/posts/?key=%s&filter=tag:(", &r);
    expect_error(&r, 400, "BadRequestError");
    resp_free(&r);
    get("/ghost/api/content/posts/?key=%s&filter=password:x", &r);
    expect_error(&r, 400, "BadRequestError");
    resp_free(&r);
    get("/ghost/api/content/posts/?key=%s&filter=published_at:%3E%27not%20a%20date%27", &r);
    expect_error(&r, 400, "BadRequestError");
    resp_free(&r);
    get("/ghost/api/content/posts/slug/no-such-post/?key=%s", &r);
    expect_error(&r, 404, "NotFoundError");
    resp_free(&r);
    get("/ghost/api/content/posts/6e640001ffffffffffffffff/?key=%s", &r);
    expect_error(&r, 404, "NotFoundError");
    resp_free(&r);
    get("/ghost/api/content/nothing/?key=%s", &r);
    expect_error(&r, 404, "NotFoundError");
    resp_free(&r);
}

Test(http_content_api, cors_version_and_the_slash_redirect)
{
    struct resp r;
    get("/ghost/api/content/posts/?key=%s", &r);
    cr_assert_eq(r.status, 200);
    char *cors = resp_header(&r, "access-control-allow-origin");
    char *ver = resp_header(&r, "content-version");
    char *ct = resp_header(&r, "content-type");
    cr_expect(cors && strcmp(cors, "*") == 0);
    cr_expect(ver && strncmp(ver, "v6.", 3) == 0);
    cr_expect_str_eq(ct, "application/json; charset=utf-8");
    free(cors);
    free(ver);
    free(ct);
    resp_free(&r);
    get("/ghost/api/content/posts?key=%s&limit=2", &r);
    cr_expect_eq(r.status, 301);
    char *loc = resp_header(&r, "location");
    cr_expect(loc && strstr(loc, "/ghost/api/content/posts/?key="), "location %s", loc);
    free(loc);
    resp_free(&r);
    const char pre[] = "OPTIONS /ghost/api/content/posts/ HTTP/1.1\r\nHost: x\r\n"
                       "Origin: https://app.example\r\nAccess-Control-Request-Method: GET\r\n"
                       "Access-Control-Request-Headers: accept-version\r\n"
                       "Connection: close\r\n\r\n";
    http_raw(&srv, pre, sizeof(pre) - 1, &r);
    cr_expect(r.status == 204 || r.status == 200, "preflight %d", r.status);
    cors = resp_header(&r, "access-control-allow-origin");
    char *hdrs = resp_header(&r, "access-control-allow-headers");
    cr_expect(cors && strcmp(cors, "*") == 0);
    cr_expect(hdrs && strstr(hdrs, "accept-version"));
    free(cors);
    free(hdrs);
    resp_free(&r);
}

Test(http_content_api, pagination_and_limits)
{
    struct resp r;
    get("/ghost/api/content/posts/?key=%s&limit=1000&fields=id", &r);
    cr_assert_eq(r.status, 200);
    json_t *j = body_json(&r);
    json_t *p = json_object_get(json_object_get(j, "meta"), "pagination");
    cr_expect_eq(json_integer_value(json_object_get(p, "limit")), 100, "limit is capped at 100");
    cr_expect_eq(json_integer_value(json_object_get(p, "total")), 25);
    cr_expect_eq(json_array_size(json_object_get(j, "posts")), 25);
    json_decref(j);
    resp_free(&r);
    get("/ghost/api/content/posts/?key=%s", &r);
    j = body_json(&r);
    p = json_object_get(json_object_get(j, "meta"), "pagination");
    cr_expect_eq(json_integer_value(json_object_get(p, "limit")), 15, "default limit 15");
    cr_expect_eq(json_integer_value(json_object_get(p, "pages")), 2);
    cr_expect_eq(json_integer_value(json_object_get(p, "next")), 2);
    cr_expect(json_is_null(json_object_get(p, "prev")));
    json_decref(j);
    resp_free(&r);
    get("/ghost/api/content/posts/?key=%s&limit=0", &r);
    expect_error(&r, 400, "BadRequestError");
    resp_free(&r);
}

/* Same keys, same JSON types as Ghost's object (nested objects and arrays' first items). */
static void same_shape(json_t *ghost, json_t *ours, const char *where)
{
    cr_assert(ours, "%s: missing", where);
    cr_expect_eq(json_typeof(ours) == JSON_FALSE ? JSON_TRUE : json_typeof(ours),
                 json_typeof(ghost) == JSON_FALSE ? JSON_TRUE : json_typeof(ghost),
                 "%s: type differs", where);
    if (json_is_array(ghost) && json_array_size(ghost)) {
        cr_assert_eq(json_array_size(ours), json_array_size(ghost), "%s: length", where);
        char sub[256];
        snprintf(sub, sizeof(sub), "%s[0]", where);
        same_shape(json_array_get(ghost, 0), json_array_get(ours, 0), sub);
    }
    if (!json_is_object(ghost))
        return;
    const char *k;
    json_t *v;
    json_object_foreach(ghost, k, v)
    {
        char sub[256];
        snprintf(sub, sizeof(sub), "%s.%s", where, k);
        cr_expect(json_object_get(ours, k), "%s: missing", sub);
        if (json_object_get(ours, k))
            same_shape(v, json_object_get(ours, k), sub);
    }
    json_object_foreach(ours, k, v)
    {
        cr_expect(json_object_get(ghost, k), "%s.%s: Ghost has no such key", where, k);
    }
}

Test(http_content_api, a_post_has_ghosts_keys_and_types)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/ghost/post.json",
             getenv("NEWSDESK_SPEC") ? getenv("NEWSDESK_SPEC") : "tests/spec");
    json_error_t e;
    json_t *ghost = json_load_file(path, 0, &e);
    cr_assert(ghost, "cannot read %s: %s", path, e.text);
    struct resp r;
    get("/ghost/api/content/posts/slug/ghost-client-check/?key=%s&include=tags,authors", &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    json_t *ours = body_json(&r);
    cr_expect(!json_object_get(ours, "meta"), "a read has no meta");
    same_shape(ghost, ours, "");
    json_t *post = json_array_get(json_object_get(ours, "posts"), 0);
    const char *id = json_string_value(json_object_get(post, "id"));
    cr_expect(id && strlen(id) == 24 && strspn(id, "0123456789abcdef") == 24, "id %s", id);
    const char *date = json_string_value(json_object_get(post, "published_at"));
    cr_expect(date && strlen(date) == 29 && strcmp(date + 19, ".000+00:00") == 0, "date %s", date);
    json_decref(ours);
    json_decref(ghost);
    resp_free(&r);
}

Test(http_content_api, cached_answers_follow_writes_and_revocations)
{
    struct resp r;
    get("/ghost/api/content/posts/?key=%s&fields=slug&limit=1", &r);
    cr_assert_eq(r.status, 200);
    resp_free(&r);
    get("/ghost/api/content/posts/?key=%s&fields=slug&limit=1", &r);
    char *x = resp_header(&r, "x-cache");
    cr_expect(x && strcmp(x, "HIT") == 0, "the second answer comes from the cache");
    free(x);
    resp_free(&r);
    /* a new post is in the next answer */
    srv_add_post(&srv, "fresh.md", "---\ntitle: Fresh from the desk\n---\nNew.\n");
    get("/ghost/api/content/posts/?key=%s&fields=slug&limit=1", &r);
    cr_expect(body_has(&r, "fresh-from-the-desk"), "%s", r.body);
    resp_free(&r);
    get("/ghost/api/content/posts/?key=%s&fields=slug&limit=1", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    /* a revoked key stops at once, its cached answers too */
    cr_assert_eq(run_newsdesk(NULL, NULL, "apikey", "revoke", "--db", srv.db, "1", NULL), 0);
    get("/ghost/api/content/posts/?key=%s&fields=slug&limit=1", &r);
    expect_error(&r, 401, "UnauthorizedError");
    resp_free(&r);
    char *out = NULL;
    run_newsdesk(&out, NULL, "apikey", "add", "--db", srv.db, "--type", "content", "--name",
                 "again", NULL);
    cr_assert(out && strlen(out) == 27);
    snprintf(key, sizeof(key), "%.26s", out);
    free(out);
    get("/ghost/api/content/posts/?key=%s&fields=slug&limit=1", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
}

Test(http_content_api, hostile_filters_are_refused_cleanly)
{
    static const char *const filters[] = {
        "tag:'unterminated",
        "((((((((((((((((((((((((((((((tag:a))))))))))))))))))))))))))))))",
        "tag:[a,b",
        "tag:a%2B",
        ",",
        "tag::x",
        "tag:a)",
        "%00",
        "tag:%FF",
        "published_at:>now-99999999999d",
        "featured:maybe",
        "tag:~null"};
    for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "/ghost/api/content/posts/?key=%s&filter=%s", "%s",
                 filters[i]);
        struct resp r;
        get(path, &r);
        cr_expect(r.status == 400, "filter %s: %d", filters[i], r.status);
        resp_free(&r);
    }
    /* a long list within the URI limit still answers */
    char path[8000];
    size_t n = (size_t)snprintf(path, sizeof(path), "%s",
                                "/ghost/api/content/posts/?key=%s&filter=slug:[");
    for (int i = 0; i < 400; i++)
        n += (size_t)snprintf(path + n, sizeof(path) - n, "%sa%d", i ? "," : "", i);
    snprintf(path + n, sizeof(path) - n, "]");
    struct resp r;
    get(path, &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
}

Test(http_content_api, pages_are_served_and_kept_out_of_lists)
{
    struct resp r;
    http_req(&srv, "GET", "/about/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "class=\"post page\""));
    resp_free(&r);
    http_req(&srv, "GET", "/rss/", &r);
    cr_expect(!body_has(&r, "/about/"), "a page is not in the feed");
    resp_free(&r);
    http_req(&srv, "GET", "/", &r);
    cr_expect(!body_has(&r, "href=\"/contact/\""), "nor on the home page");
    resp_free(&r);
    http_req(&srv, "GET", "/sitemap-posts.xml", &r);
    cr_expect(!body_has(&r, "/about/"));
    resp_free(&r);
    http_req(&srv, "GET", "/sitemap-pages.xml", &r);
    cr_expect(body_has(&r, "/about/") && body_has(&r, "/contact/"));
    resp_free(&r);
    http_req(&srv, "GET", "/sitemap.xml", &r);
    cr_expect(body_has(&r, "/sitemap-pages.xml"));
    resp_free(&r);
}

Test(http_content_api, ghosts_own_client_reads_everything)
{
    cr_expect_eq(node_run("tests/js/content-api.mjs 'http://127.0.0.1:%d' '%s'", srv.port, key), 0,
                 "@tryghost/content-api disagreed (see above)");
}

Test(http_content_api, a_wrong_method_is_answered_in_the_envelope)
{
    struct resp r;
    http_req(&srv, "POST", "/ghost/api/content/posts/", &r);
    cr_expect_eq(r.status, 405);
    char *ct = resp_header(&r, "content-type");
    cr_expect(ct && strstr(ct, "application/json"), "%s", ct);
    free(ct);
    cr_expect(body_has(&r, "\"MethodNotAllowedError\""));
    char *allow = resp_header(&r, "allow");
    cr_expect(allow && strcmp(allow, "GET, HEAD, OPTIONS") == 0, "%s", allow);
    free(allow);
    resp_free(&r);
}
