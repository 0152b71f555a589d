/*
 * Ghost's Admin API against the real server: every refusal of a token (signed here with
 * libsodium, independently of the server's code) in Ghost's 401 shape, posts and pages
 * from add to delete with the updated_at collision, HTML through the sanitiser, tags,
 * users, an image upload of a real JPEG, a contributor's session held to its role, and
 * Ghost's own JavaScript client (tests/js/admin-api.mjs).
 */
#include "harness.h"
#include "photos.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct srv srv;
static char kid[32], secret[80];

static void make_keys(struct srv *s)
{
    char *out = NULL;
    cr_assert_eq(run_newsdesk(&out, NULL, "apikey", "add", "--db", s->db, "--type", "admin",
                              "--name", "Publishing script", NULL),
                 0);
    cr_assert(strlen(out) == 24 + 1 + 64 + 1 && out[24] == ':', "not id:secret: '%s'", out);
    snprintf(kid, sizeof(kid), "%.24s", out);
    snprintf(secret, sizeof(secret), "%.64s", out + 25);
    free(out);
}

HTTP_SUITE(http_admin_api, srv, 180, .posts = 3, .before_start = make_keys);

/* ---- tokens made here --------------------------------------------------------------- */

static void b64url(const void *p, size_t n, char *out, size_t cap)
{
    sodium_bin2base64(out, cap, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* A JWT of header and payload (JSON texts) signed with HS256 under the hex key. */
static char *sign(const char *header, const char *payload, const char *hexkey)
{
    char h[1024], p[1024], sig[64];
    b64url(header, strlen(header), h, sizeof(h));
    b64url(payload, strlen(payload), p, sizeof(p));
    char *msg = malloc(4096);
    int n = snprintf(msg, 4096, "%s.%s", h, p);
    unsigned char k[32], mac[32];
    cr_assert_eq(sodium_hex2bin(k, sizeof(k), hexkey, strlen(hexkey), NULL, NULL, NULL), 0);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k, sizeof(k));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
    crypto_auth_hmacsha256_final(&st, mac);
    b64url(mac, sizeof(mac), sig, sizeof(sig));
    snprintf(msg + n, 4096 - (size_t)n, ".%s", sig);
    return msg;
}

/* A token as Ghost's client makes it for key id k: iat now + skew, exp iat + life. */
static char *token_for(const char *k, const char *aud, long skew, long life)
{
    char header[256], payload[256];
    long now = (long)time(NULL) + skew;
    snprintf(header, sizeof(header), "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", k);
    snprintf(payload, sizeof(payload), "{\"iat\":%ld,\"exp\":%ld,\"aud\":\"%s\"}", now, now + life,
             aud);
    return sign(header, payload, secret);
}

static char *token(void)
{
    return token_for(kid, "/admin/", 0, 300);
}

/* ---- requests --------------------------------------------------------------------------- */

/* method path with extra header lines (may be NULL) and a JSON body (may be NULL). */
static void call(const char *method, const char *path, const char *headers, const char *body,
                 struct resp *r)
{
    size_t blen = body ? strlen(body) : 0;
    size_t cap = blen + 8192;
    char *req = malloc(cap);
    int n = snprintf(
        req, cap,
        "%s /ghost/api/admin/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
        "%s%s%zu\r\n\r\n",
        method, path, srv.port, headers ? headers : "",
        body ? "Content-Type: application/json\r\nContent-Length: " : "Content-Length: ", blen);
    memcpy(req + n, body ? body : "", blen);
    http_raw(&srv, req, (size_t)n + blen, r);
    free(req);
}

/* method path with a fresh token of the admin key. */
static void api(const char *method, const char *path, const char *body, struct resp *r)
{
    char *t = token();
    char h[2048];
    snprintf(h, sizeof(h), "Authorization: Ghost %s\r\n", t);
    free(t);
    call(method, path, h, body, r);
}

static json_t *body_json(const struct resp *r)
{
    json_error_t e;
    json_t *j = json_loadb(r->body, r->body_len, 0, &e);
    cr_assert(j, "not JSON (%s): %.*s", e.text, (int)r->body_len, r->body);
    return j;
}

/* Ghost's error envelope with this status, type, and (when not NULL) code and message. */
static void expect_error(const struct resp *r, int status, const char *type, const char *code,
                         const char *message)
{
    cr_expect_eq(r->status, status, "status %d, want %d: %s", r->status, status, r->body);
    json_t *j = body_json(r);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert(json_is_object(e), "no errors[0]: %s", r->body);
    cr_expect_str_eq(json_string_value(json_object_get(e, "type")), type);
    if (code)
        cr_expect_str_eq(json_string_value(json_object_get(e, "code")), code, "%s", r->body);
    if (message)
        cr_expect_str_eq(json_string_value(json_object_get(e, "message")), message);
    json_decref(j);
}

/* The first object of the answer's array root (a new reference). */
static json_t *first(const struct resp *r, const char *root)
{
    json_t *j = body_json(r);
    json_t *o = json_array_get(json_object_get(j, root), 0);
    cr_assert(json_is_object(o), "no %s[0]: %s", root, r->body);
    json_incref(o);
    json_decref(j);
    return o;
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* ---- refusals ------------------------------------------------------------------------- */

static void refused_with(const char *tok, int status, const char *type, const char *code,
                         const char *message)
{
    char h[4096];
    snprintf(h, sizeof(h), "Authorization: Ghost %s\r\n", tok);
    struct resp r;
    call("GET", "posts/", h, NULL, &r);
    expect_error(&r, status, type, code, message);
    resp_free(&r);
}

Test(http_admin_api, no_credentials_is_ghosts_403)
{
    struct resp r;
    call("GET", "posts/", NULL, NULL, &r);
    expect_error(&r, 403, "NoPermissionError", NULL, "Authorization failed");
    resp_free(&r);
    call("GET", "posts/", "Authorization: Bearer abc\r\n", NULL, &r);
    expect_error(&r, 401, "UnauthorizedError", "INVALID_AUTH_HEADER", NULL);
    resp_free(&r);
}

Test(http_admin_api, a_good_token_gets_in_with_every_audience_ghost_accepts)
{
    const char *auds[] = {"/admin/", "/v2/admin/", "/v3/admin/", "/v4/admin/", "/canary/admin/"};
    for (size_t i = 0; i < sizeof(auds) / sizeof(auds[0]); i++) {
        char *t = token_for(kid, auds[i], 0, 300);
        char h[2048];
        snprintf(h, sizeof(h), "Authorization: Ghost %s\r\n", t);
        struct resp r;
        call("GET", "posts/", h, NULL, &r);
        cr_expect_eq(r.status, 200, "%s: %d %s", auds[i], r.status, r.body);
        resp_free(&r);
        free(t);
    }
}

Test(http_admin_api, bad_tokens_get_ghosts_401)
{
    char *t = token_for(kid, "/admin/", -400, 300);
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT", "Invalid token: jwt expired");
    free(t);
    t = token_for(kid, "/admin/", 600, 300);
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT",
                 "Invalid token: jwt issued in the future");
    free(t);
    t = token_for(kid, "/admin/", 0, 3600);
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT", NULL);
    free(t);
    t = token_for(kid, "/content/", 0, 300);
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT",
                 "Invalid token: jwt audience invalid. expected: /admin/");
    free(t);
    /* signed with another secret */
    long now = (long)time(NULL);
    char header[256], payload[256];
    snprintf(header, sizeof(header), "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kid);
    snprintf(payload, sizeof(payload), "{\"iat\":%ld,\"exp\":%ld,\"aud\":\"/admin/\"}", now,
             now + 300);
    char other[65];
    memcpy(other, secret, 65);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    t = sign(header, payload, other);
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT", "Invalid token: invalid signature");
    free(t);
    /* alg none, with and without a signature; RS256 */
    snprintf(header, sizeof(header), "{\"alg\":\"none\",\"kid\":\"%s\"}", kid);
    t = sign(header, payload, secret);
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT", "Invalid token: invalid algorithm");
    strrchr(t, '.')[1] = '\0';
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT", "Invalid token: invalid algorithm");
    free(t);
    snprintf(header, sizeof(header), "{\"alg\":\"RS256\",\"kid\":\"%s\"}", kid);
    t = sign(header, payload, secret);
    refused_with(t, 401, "UnauthorizedError", "INVALID_JWT", "Invalid token: invalid algorithm");
    free(t);
}

Test(http_admin_api, malformed_tokens_and_unknown_keys_are_refused)
{
    refused_with("not-a-jwt", 400, "BadRequestError", "INVALID_JWT", "Invalid token");
    refused_with("e30.e30.e30", 400, "BadRequestError", "MISSING_ADMIN_API_KID",
                 "Admin API kid missing.");
    refused_with("%%%.###.@@@", 400, "BadRequestError", "INVALID_JWT", NULL);
    char *t = token_for("0123456789abcdef01234567", "/admin/", 0, 300);
    refused_with(t, 401, "UnauthorizedError", "UNKNOWN_ADMIN_API_KEY", "Unknown Admin API Key");
    free(t);
}

Test(http_admin_api, a_content_key_or_a_revoked_key_cannot_sign)
{
    char key[27];
    srv_content_key(&srv, key);
    char *ckid = db_query(&srv, "SELECT key_id FROM api_keys WHERE type = 'content'");
    cr_assert(ckid && strlen(ckid) == 24, "content key without a key_id");
    /* signed with the admin secret under the content key's id: the type decides first */
    char *t = token_for(ckid, "/admin/", 0, 300);
    refused_with(t, 401, "UnauthorizedError", "INVALID_API_KEY_TYPE", "Invalid API Key type");
    free(t);
    free(ckid);
    char *id = db_query(&srv, "SELECT id FROM api_keys WHERE type = 'admin'");
    cr_assert_eq(run_newsdesk(NULL, NULL, "apikey", "revoke", "--db", srv.db, id, NULL), 0);
    free(id);
    t = token();
    refused_with(t, 401, "UnauthorizedError", "UNKNOWN_ADMIN_API_KEY", "Unknown Admin API Key");
    free(t);
}

Test(http_admin_api, apikey_list_never_shows_an_admin_secret)
{
    char *out = NULL;
    cr_assert_eq(run_newsdesk(&out, NULL, "apikey", "list", "--db", srv.db, NULL), 0);
    cr_expect(strstr(out, kid), "the key id is listed: %s", out);
    cr_expect(!strstr(out, secret), "the secret is listed: %s", out);
    cr_expect(strstr(out, "admin"));
    free(out);
}

/* ---- posts ---------------------------------------------------------------------------- */

/* Adds a post from JSON (the object inside "posts"); returns the answer's post. */
static json_t *add_post(const char *query, const char *obj)
{
    size_t cap = strlen(obj) + 64;
    char *body = malloc(cap);
    snprintf(body, cap, "{\"posts\":[%s]}", obj);
    char path[256];
    snprintf(path, sizeof(path), "posts/%s", query);
    struct resp r;
    api("POST", path, body, &r);
    free(body);
    cr_assert_eq(r.status, 201, "add: %d %s", r.status, r.body);
    json_t *p = first(&r, "posts");
    resp_free(&r);
    return p;
}

Test(http_admin_api, a_post_goes_from_add_to_delete)
{
    json_t *p = add_post("", "{\"title\":\"Admin round trip\",\"markdown\":\"First *words*.\","
                             "\"tags\":[\"Transport\",{\"name\":\"City\"}],"
                             "\"custom_excerpt\":\"Short\",\"featured\":true}");
    cr_expect_str_eq(str_of(p, "status"), "draft");
    cr_expect_str_eq(str_of(p, "slug"), "admin-round-trip");
    cr_expect(json_is_true(json_object_get(p, "featured")));
    json_t *tags = json_object_get(p, "tags");
    cr_expect_eq(json_array_size(tags), 2);
    cr_expect_str_eq(str_of(json_array_get(tags, 0), "name"), "Transport");
    cr_expect(json_is_null(json_object_get(p, "lexical")));
    char id[32], path[128], updated[64];
    snprintf(id, sizeof(id), "%s", str_of(p, "id"));
    snprintf(updated, sizeof(updated), "%s", str_of(p, "updated_at"));
    json_decref(p);

    /* read by id (with html) and by slug; browse shows the draft */
    struct resp r;
    snprintf(path, sizeof(path), "posts/%s/?formats=html", id);
    api("GET", path, NULL, &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    p = first(&r, "posts");
    cr_expect(strstr(str_of(p, "html"), "<em>words</em>"), "%s", str_of(p, "html"));
    json_decref(p);
    resp_free(&r);
    api("GET", "posts/slug/admin-round-trip/", NULL, &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    api("GET", "posts/?filter=status:draft", NULL, &r);
    cr_expect(body_has(&r, "admin-round-trip"), "%s", r.body);
    resp_free(&r);
    /* the reader sees nothing of a draft */
    http_req(&srv, "GET", "/admin-round-trip/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);

    /* edit: publish it, at the updated_at read; a second edit at the old one collides */
    sleep(1); /* updated_at has a resolution of one second */
    char body[512];
    snprintf(body, sizeof(body),
             "{\"posts\":[{\"title\":\"Admin round trip, updated\",\"status\":\"published\","
             "\"updated_at\":\"%s\"}]}",
             updated);
    snprintf(path, sizeof(path), "posts/%s/", id);
    api("PUT", path, body, &r);
    cr_assert_eq(r.status, 200, "edit: %s", r.body);
    p = first(&r, "posts");
    cr_expect_str_eq(str_of(p, "status"), "published");
    cr_expect_str_eq(str_of(p, "title"), "Admin round trip, updated");
    cr_expect_eq(json_array_size(json_object_get(p, "tags")), 2, "tags kept by an edit");
    json_decref(p);
    resp_free(&r);
    api("PUT", path, body, &r);
    expect_error(&r, 409, "UpdateCollisionError", "UPDATE_COLLISION",
                 "Saving failed! Someone else is editing this post.");
    resp_free(&r);
    http_req(&srv, "GET", "/admin-round-trip/", &r);
    cr_expect_eq(r.status, 200, "published for readers");
    cr_expect(body_has(&r, "Admin round trip, updated"));
    resp_free(&r);
    char *revs = db_query(&srv, "SELECT count(*) FROM revisions WHERE post_id = "
                                "(SELECT id FROM posts WHERE slug = 'admin-round-trip')");
    cr_expect_str_eq(revs, "2", "one revision per save");
    free(revs);
    char *audit = db_query(&srv, "SELECT detail FROM audit WHERE action = 'publish'");
    cr_expect(audit && strstr(audit, kid), "the audit log names the key: %s", audit);
    free(audit);

    /* delete: 204 without a body, then 404 for the API and for readers */
    api("DELETE", path, NULL, &r);
    cr_expect_eq(r.status, 204);
    cr_expect_eq(r.body_len, 0);
    resp_free(&r);
    api("GET", path, NULL, &r);
    expect_error(&r, 404, "NotFoundError", NULL, "Post not found.");
    resp_free(&r);
    http_req(&srv, "GET", "/admin-round-trip/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
}

Test(http_admin_api, html_is_converted_and_sanitised)
{
    json_t *p = add_post("?source=html",
                         "{\"title\":\"From HTML\",\"status\":\"published\",\"html\":"
                         "\"<p>Safe <strong>text</strong></p><script>alert(1)</script>"
                         "<img src=x onerror=alert(2)><p><a href=\\\"javascript:alert(3)\\\">"
                         "link</a></p>\"}");
    json_decref(p);
    struct resp r;
    http_req(&srv, "GET", "/from-html/", &r);
    cr_assert_eq(r.status, 200);
    cr_expect(body_has(&r, "Safe"));
    cr_expect(!body_has(&r, "alert("), "script survived: %s", r.body);
    cr_expect(!body_has(&r, "onerror"));
    cr_expect(!body_has(&r, "javascript:"));
    resp_free(&r);
    /* Ghost's editor's own format: a Lexical document, as a JSON string */
    p = add_post("", "{\"title\":\"From Lexical\",\"lexical\":\"{\\\"root\\\":{\\\"children\\\":["
                     "{\\\"children\\\":[{\\\"detail\\\":0,\\\"format\\\":1,\\\"mode\\\":"
                     "\\\"normal\\\",\\\"style\\\":\\\"\\\",\\\"text\\\":\\\"Bold words\\\","
                     "\\\"type\\\":\\\"text\\\",\\\"version\\\":1}],\\\"direction\\\":"
                     "\\\"ltr\\\",\\\"format\\\":\\\"\\\",\\\"indent\\\":0,\\\"type\\\":"
                     "\\\"paragraph\\\",\\\"version\\\":1}],\\\"direction\\\":\\\"ltr\\\","
                     "\\\"format\\\":\\\"\\\",\\\"indent\\\":0,\\\"type\\\":\\\"root\\\","
                     "\\\"version\\\":1}}\"}");
    char path[128];
    snprintf(path, sizeof(path), "posts/%s/?formats=html", str_of(p, "id"));
    json_decref(p);
    api("GET", path, NULL, &r);
    cr_expect(body_has(&r, "<strong>Bold words</strong>"), "%s", r.body);
    resp_free(&r);
    /* without ?source=html Ghost ignores html: a post without a body */
    p = add_post("", "{\"title\":\"Ignored HTML\",\"html\":\"<p>not taken</p>\"}");
    json_decref(p);
    char *md = db_query(
        &srv, "SELECT length(b.markdown) FROM post_bodies b JOIN posts p ON p.id = b.post_id "
              "WHERE p.slug = 'ignored-html'");
    cr_expect_str_eq(md, "0");
    free(md);
}

Test(http_admin_api, bad_input_is_ghosts_validation_error_and_changes_nothing)
{
    char *before = db_query(&srv, "SELECT count(*) FROM posts");
    struct resp r;
    api("POST", "posts/", "{\"posts\":[{\"markdown\":\"no title\"}]}", &r);
    expect_error(&r, 422, "ValidationError", NULL, "Validation error, cannot save post.");
    resp_free(&r);
    api("POST", "posts/", "{\"post\":[{\"title\":\"x\"}]}", &r);
    expect_error(&r, 422, "ValidationError", NULL, "No root key ('posts') provided.");
    resp_free(&r);
    api("POST", "posts/", "{\"posts\":[{\"title\":", &r);
    expect_error(&r, 400, "BadRequestError", NULL, NULL);
    resp_free(&r);
    api("POST", "posts/", "{\"posts\":[{\"title\":\"x\",\"visibility\":\"paid\"}]}", &r);
    expect_error(&r, 422, "ValidationError", NULL, NULL);
    resp_free(&r);
    api("POST", "posts/", "{\"posts\":[{\"title\":\"x\",\"status\":\"gone\"}]}", &r);
    expect_error(&r, 422, "ValidationError", NULL, NULL);
    resp_free(&r);
    api("POST", "posts/", "{\"posts\":[{\"title\":\"x\",\"status\":\"scheduled\"}]}", &r);
    expect_error(&r, 422, "ValidationError", NULL, NULL);
    resp_free(&r);
    api("GET", "posts/not-an-id/", NULL, &r);
    expect_error(&r, 422, "ValidationError", NULL, NULL);
    resp_free(&r);
    const char *far[] = {"posts/?page=9223372036854775807&limit=100",
                         "tags/?page=9223372036854775807", "users/?page=9223372036854775807"};
    for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
        api("GET", far[i], NULL, &r);
        cr_expect_eq(r.status, 200, "%s: %s", far[i], r.body);
        resp_free(&r);
    }
    api("GET", "posts/?filter=nosuchfield:1", NULL, &r);
    expect_error(&r, 400, "BadRequestError", NULL, NULL);
    resp_free(&r);
    api("GET", "posts/0123456789abcdef01234567/", NULL, &r);
    expect_error(&r, 404, "NotFoundError", NULL, NULL);
    resp_free(&r);
    /* a body past the JSON limit (2 MB) is refused from its Content-Length, before it is
     * read: h2o's own 413 (http/server.c), not Ghost's envelope */
    size_t big = 3 * 1024 * 1024;
    char *huge = malloc(big + 64);
    int n = snprintf(huge, 64, "{\"posts\":[{\"title\":\"x\",\"markdown\":\"");
    memset(huge + n, 'a', big);
    snprintf(huge + n + big, 64, "\"}]}");
    api("POST", "posts/", huge, &r);
    free(huge);
    cr_expect_eq(r.status, 413);
    resp_free(&r);
    char *after = db_query(&srv, "SELECT count(*) FROM posts");
    cr_expect_str_eq(after, before);
    free(before);
    free(after);
}

Test(http_admin_api, pages_are_pages)
{
    struct resp r;
    api("POST", "pages/",
        "{\"pages\":[{\"title\":\"About us\",\"markdown\":\"Who we are.\","
        "\"status\":\"published\"}]}",
        &r);
    cr_assert_eq(r.status, 201, "%s", r.body);
    json_t *p = first(&r, "pages");
    char path[128];
    snprintf(path, sizeof(path), "posts/%s/", str_of(p, "id"));
    json_decref(p);
    resp_free(&r);
    api("GET", path, NULL, &r); /* a page is not a post */
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    api("GET", "pages/slug/about-us/", NULL, &r);
    cr_expect_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
    http_req(&srv, "GET", "/about-us/", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
}

/* ---- tags, users, site, images -------------------------------------------------------- */

Test(http_admin_api, tags_from_add_to_delete)
{
    struct resp r;
    api("POST", "tags/", "{\"tags\":[{\"name\":\"Elections\",\"description\":\"Votes\"}]}", &r);
    cr_assert_eq(r.status, 201, "%s", r.body);
    json_t *t = first(&r, "tags");
    cr_expect_str_eq(str_of(t, "slug"), "elections");
    cr_expect_str_eq(str_of(t, "description"), "Votes");
    char path[128];
    snprintf(path, sizeof(path), "tags/%s/", str_of(t, "id"));
    json_decref(t);
    resp_free(&r);
    json_t *p = add_post("", "{\"title\":\"Tagged\",\"status\":\"published\","
                             "\"tags\":[{\"slug\":\"elections\"}]}");
    cr_expect_str_eq(str_of(json_array_get(json_object_get(p, "tags"), 0), "name"), "Elections");
    json_decref(p);
    api("PUT", path, "{\"tags\":[{\"name\":\"Elections 2026\"}]}", &r);
    cr_expect_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
    api("GET", "tags/slug/elections/", NULL, &r);
    cr_expect(body_has(&r, "Elections 2026"), "%s", r.body);
    resp_free(&r);
    api("POST", "tags/", "{\"tags\":[{\"name\":\"#breaking\"}]}", &r);
    cr_expect(body_has(&r, "\"visibility\":\"internal\""), "%s", r.body);
    cr_expect(body_has(&r, "\"slug\":\"hash-breaking\""), "%s", r.body);
    resp_free(&r);
    json_t *internal = add_post("", "{\"title\":\"Breaking\",\"tags\":[\"#flash\"]}");
    json_t *it = json_array_get(json_object_get(internal, "tags"), 0);
    cr_expect_str_eq(str_of(it, "visibility"), "internal");
    cr_expect_str_eq(str_of(it, "slug"), "hash-flash");
    json_decref(internal);
    api("DELETE", path, NULL, &r);
    cr_expect_eq(r.status, 204);
    resp_free(&r);
    api("GET", path, NULL, &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    char *n = db_query(&srv, "SELECT count(*) FROM post_tags WHERE post_id = "
                             "(SELECT id FROM posts WHERE slug = 'tagged')");
    cr_expect_str_eq(n, "0", "the post lost the tag");
    free(n);
}

Test(http_admin_api, users_are_read_without_secrets)
{
    cr_assert_eq(staff_add(&srv, "ed@example.org", "Ed Itor", "editor", "correct horse battery"),
                 0);
    srv_login_public(&srv, "ed@example.org"); /* the Admin API shows staff their e-mails */
    struct resp r;
    api("GET", "users/?include=roles", NULL, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "ed@example.org"));
    cr_expect(body_has(&r, "\"Editor\""), "%s", r.body);
    cr_expect(!body_has(&r, "argon2"), "a password hash in %s", r.body);
    resp_free(&r);
    api("GET", "users/email/ed@example.org/", NULL, &r);
    cr_expect_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
    api("GET", "users/slug/nobody-here/", NULL, &r);
    expect_error(&r, 404, "NotFoundError", NULL, NULL);
    resp_free(&r);
}

Test(http_admin_api, site_is_public)
{
    struct resp r;
    call("GET", "site/", NULL, NULL, &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    json_t *j = body_json(&r);
    json_t *s = json_object_get(j, "site");
    cr_expect(json_is_string(json_object_get(s, "title")));
    cr_expect(json_is_string(json_object_get(s, "url")));
    cr_expect(json_is_string(json_object_get(s, "version")));
    json_decref(j);
    resp_free(&r);
}

Test(http_admin_api, an_image_upload_lands_in_the_library)
{
    char path[SRV_PATH_MAX];
    photo_make(&srv, "upload.jpg", 640, 480, path);
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    static char jpeg[4 * 1024 * 1024];
    size_t n = fread(jpeg, 1, sizeof(jpeg), f);
    fclose(f);
    const char *b = "----ndboundary";
    char head[1024], tail[512];
    int hn = snprintf(head, sizeof(head),
                      "--%s\r\nContent-Disposition: form-data; name=\"ref\"\r\n\r\nmy-ref\r\n"
                      "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
                      "filename=\"upload.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n",
                      b, b);
    int tn = snprintf(tail, sizeof(tail), "\r\n--%s--\r\n", b);
    size_t blen = (size_t)hn + n + (size_t)tn;
    char *t = token();
    char *req = malloc(blen + 4096);
    int rn =
        snprintf(req, 4096,
                 "POST /ghost/api/admin/images/upload/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                 "Connection: close\r\nAuthorization: Ghost %s\r\n"
                 "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n\r\n",
                 srv.port, t, b, blen);
    free(t);
    memcpy(req + rn, head, (size_t)hn);
    memcpy(req + rn + hn, jpeg, n);
    memcpy(req + rn + hn + n, tail, (size_t)tn);
    struct resp r;
    http_raw(&srv, req, (size_t)rn + blen, &r);
    free(req);
    cr_assert_eq(r.status, 201, "%s", r.body);
    json_t *img = first(&r, "images");
    cr_expect_str_eq(str_of(img, "ref"), "my-ref");
    const char *url = str_of(img, "url");
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "http://");
    cr_expect(strncmp(url, prefix, 7) == 0 && strstr(url, "/content/images/"), "%s", url);
    const char *local = strstr(url, "/content/images/");
    struct resp g;
    http_req(&srv, "GET", local, &g);
    cr_expect_eq(g.status, 200, "the uploaded image is served");
    resp_free(&g);
    json_decref(img);
    resp_free(&r);
    /* not an image */
    t = token();
    char h[2048];
    snprintf(h, sizeof(h), "Authorization: Ghost %s\r\n", t);
    free(t);
    call("POST", "images/upload/", h, "{}", &r);
    cr_expect(r.status == 415 || r.status == 422, "%d %s", r.status, r.body);
    resp_free(&r);
}

/* ---- a session ------------------------------------------------------------------------ */

static void as_staff(const struct staff *st, const char *method, const char *path,
                     const char *origin, const char *body, struct resp *r)
{
    char h[512];
    int n = snprintf(h, sizeof(h), "Cookie: nd_session=%s\r\n", st->session);
    if (origin)
        snprintf(h + n, sizeof(h) - (size_t)n, "Origin: %s\r\n", origin);
    call(method, path, h, body, r);
}

/* A browser sends the newsroom's session to the Admin API too: the cookie has both paths. */
Test(http_admin_api, the_session_cookie_is_scoped_to_the_admin_api_too)
{
    cr_assert_eq(staff_add(&srv, "sc@example.org", "Ess Cee", "editor", "correct horse battery"),
                 0);
    struct staff st;
    cr_assert_eq(staff_login(&srv, "sc@example.org", "correct horse battery", &st), 303);
    struct resp r;
    staff_post(&srv, &st, "/admin/logout/", "", &r);
    cr_expect(strstr(r.head, "nd_session=; Path=/admin/;"), "%s", r.head);
    cr_expect(strstr(r.head, "nd_session=; Path=/ghost/api/admin/;"), "%s", r.head);
    resp_free(&r);
}

Test(http_admin_api, a_contributor_session_is_held_to_its_role)
{
    cr_assert_eq(
        staff_add(&srv, "cj@example.org", "Cee Jay", "contributor", "correct horse battery"), 0);
    struct staff st;
    cr_assert_eq(staff_login(&srv, "cj@example.org", "correct horse battery", &st), 303);
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    struct resp r;
    /* Ghost ties a session to its origin: none, or another, is refused */
    as_staff(&st, "GET", "posts/", NULL, NULL, &r);
    expect_error(&r, 400, "BadRequestError", NULL, "Request made from incorrect origin.");
    resp_free(&r);
    as_staff(&st, "GET", "posts/", "http://evil.example", NULL, &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    as_staff(&st, "POST", "posts/", origin,
             "{\"posts\":[{\"title\":\"Contributor draft\",\"markdown\":\"Mine.\"}]}", &r);
    cr_assert_eq(r.status, 201, "%s", r.body);
    json_t *p = first(&r, "posts");
    cr_expect_str_eq(str_of(json_array_get(json_object_get(p, "authors"), 0), "name"), "Cee Jay");
    char own[128], own_body[256];
    snprintf(own, sizeof(own), "posts/%s/", str_of(p, "id"));
    snprintf(own_body, sizeof(own_body),
             "{\"posts\":[{\"title\":\"Contributor draft, better\",\"updated_at\":\"%s\"}]}",
             str_of(p, "updated_at"));
    json_decref(p);
    resp_free(&r);
    as_staff(&st, "PUT", own, origin, own_body, &r); /* their own draft: yes */
    cr_expect_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
    as_staff(&st, "POST", "posts/", origin,
             "{\"posts\":[{\"title\":\"Contributor publish\",\"status\":\"published\"}]}", &r);
    expect_error(&r, 403, "NoPermissionError", NULL, NULL);
    resp_free(&r);
    /* someone else's post (a demo post, by the desk) */
    api("GET", "posts/?limit=1&filter=status:published", NULL, &r);
    json_t *other = first(&r, "posts");
    char path[128], body[256];
    snprintf(path, sizeof(path), "posts/%s/", str_of(other, "id"));
    snprintf(body, sizeof(body), "{\"posts\":[{\"title\":\"Hijacked\",\"updated_at\":\"%s\"}]}",
             str_of(other, "updated_at"));
    json_decref(other);
    resp_free(&r);
    as_staff(&st, "PUT", path, origin, body, &r);
    expect_error(&r, 403, "NoPermissionError", NULL, NULL);
    resp_free(&r);
    as_staff(&st, "DELETE", path, origin, NULL, &r);
    expect_error(&r, 403, "NoPermissionError", NULL, NULL);
    resp_free(&r);
    as_staff(&st, "POST", "tags/", origin, "{\"tags\":[{\"name\":\"Mine\"}]}", &r);
    expect_error(&r, 403, "NoPermissionError", NULL, NULL);
    resp_free(&r);
}

/* ---- Ghost's own client ----------------------------------------------------------------- */

Test(http_admin_api, ghosts_own_client_publishes)
{
    char dir[SRV_PATH_MAX];
    photo_make(&srv, "client.jpg", 320, 240, dir);
    cr_expect_eq(node_run("tests/js/admin-api.mjs 'http://127.0.0.1:%d' '%s:%s' '%s'", srv.port,
                          kid, secret, dir),
                 0, "@tryghost/admin-api disagreed (see above)");
}

Test(http_admin_api, an_imported_posts_ghost_id_still_names_it)
{
    json_t *p = add_post("", "{\"title\":\"Came from Ghost\",\"tags\":[\"Imported\"]}");
    json_decref(p);
    free(db_query(&srv, "UPDATE posts SET ghost_id = '5f1e2d3c4b5a69788796a5b4'"
                        " WHERE slug = 'came-from-ghost'"));
    free(db_query(&srv, "UPDATE tags SET ghost_id = '6a6b6c6d6e6f606162636465'"
                        " WHERE slug = 'imported'"));
    struct resp r;
    api("GET", "posts/5F1E2D3C4B5A69788796A5B4/", NULL, &r); /* any case, as Ghost */
    cr_assert_eq(r.status, 200, "%s", r.body);
    p = first(&r, "posts");
    cr_expect_str_eq(str_of(p, "id"), "5f1e2d3c4b5a69788796a5b4");
    json_decref(p);
    resp_free(&r);
    api("GET", "tags/6a6b6c6d6e6f606162636465/", NULL, &r);
    cr_expect_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
    json_t *q = add_post("", "{\"title\":\"Tagged by Ghost id\","
                             "\"tags\":[{\"id\":\"6a6b6c6d6e6f606162636465\"}]}");
    cr_expect_str_eq(str_of(json_array_get(json_object_get(q, "tags"), 0), "name"), "Imported");
    json_decref(q);
}

Test(http_admin_api, apikey_add_refuses_what_it_cannot_make)
{
    char *err = NULL;
    cr_expect_neq(run_newsdesk(NULL, &err, "apikey", "add", "--db", srv.db, "--type", "staff",
                               "--name", "x", NULL),
                  0);
    cr_expect(err && strstr(err, "--type must be content or admin"), "%s", err);
    free(err);
    cr_expect_neq(run_newsdesk(NULL, NULL, "apikey", "add", "--db", srv.db, "--type", "admin",
                               "--name", "", NULL),
                  0);
    char *n = db_query(&srv, "SELECT count(*) FROM api_keys");
    cr_expect_str_eq(n, "1", "nothing half-made");
    free(n);
    /* every key, content keys too, has a public id of 24 hex digits */
    char key[27];
    srv_content_key(&srv, key);
    n = db_query(&srv, "SELECT count(*) FROM api_keys WHERE length(key_id) = 24"
                       " AND ltrim(key_id, '0123456789abcdef') = ''");
    cr_expect_str_eq(n, "2");
    free(n);
}
