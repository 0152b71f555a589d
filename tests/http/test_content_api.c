/*
 * The Ghost-compatible Content API against the real server: keys, statuses and Ghost's
 * error envelope, CORS, the slash redirect, caching and revocation, the key shape of a
 * post against Ghost's (tests/spec/ghost/post.json), and Ghost's own JavaScript client
 * (tests/js/content-api.mjs).
 */
#include "harness.h"
#include "staff.h"

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

/* ---- answers as Ghost gives them ----------------------------------------------------- */

/*
 * A second site, for what an import from Ghost leaves behind: Ghost ids on a post, a tag
 * and a byline, posts_meta, a location, an internal "#tag" first on a post, a tag and a
 * person with no published post, and a body whose plain text an older renderer wrote
 * (the server makes it again when it opens the database).
 */
static struct srv gsrv;
static char gkey[64];

#define G_POST "5f1e2d3c4b5a69788796a5b4"
#define G_TAG "5f1e2d3c4b5a69788796a5c0"
#define G_DESK "5f1e2d3c4b5a69788796a5d0"

static void ghost_rows(struct srv *s)
{
    srv_add_post(s, "tram.md",
                 "---\ntitle: Tram line suspended\nslug: tram-line\n"
                 "tags: [\"#breaking\", Transport]\n---\n"
                 "First paragraph.\n\nSecond paragraph.\n\n- one\n- two\n");
    srv_add_post(s, "imported.md",
                 "---\ntitle: Imported from Ghost\nslug: imported-from-ghost\n"
                 "tags: [Transport]\n---\nBody.\n");
    srv_add_post(s, "plain.md", "---\ntitle: Plain news\nslug: plain-news\n---\nJust news.\n");
    static const char *const sql[] = {
        "UPDATE posts SET ghost_id = '" G_POST "' WHERE slug = 'imported-from-ghost'",
        "UPDATE tags SET ghost_id = '" G_TAG "' WHERE slug = 'transport'",
        "UPDATE users SET ghost_id = '" G_DESK "', location = 'Kyiv' WHERE slug = 'news-desk'",
        "INSERT INTO post_meta(post_id, meta_title, meta_description, og_image, og_title,"
        " twitter_title, twitter_image, canonical_url) SELECT id, 'Meta title',"
        " 'Meta description', '/content/og.jpg', 'OG title', 'Twitter title',"
        " 'https://cdn.example/tw.jpg', 'https://elsewhere.example/first/' FROM posts"
        " WHERE slug = 'imported-from-ghost'",
        "INSERT INTO tags(slug, name, created_at) VALUES ('no-posts', 'No posts', 0)",
        "INSERT INTO tags(slug, name, created_at) VALUES ('later', 'Later', 0)",
        "INSERT INTO users(slug, name, role, created_at, updated_at)"
        " VALUES ('silent', 'Silent Writer', 'author', 0, 0)",
        /* as the renderer before Ghost's plain text wrote it, in a database it made */
        "DELETE FROM settings WHERE key = 'plaintext_format'",
        "UPDATE post_bodies SET plaintext = 'First paragraph.\nSecond paragraph.\none\ntwo'"
        " WHERE post_id = (SELECT id FROM posts WHERE slug = 'tram-line')",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        free(db_query(s, sql[i]));
    cr_assert_eq(staff_add(s, "ed@desk.example", "Ed Itor", "editor", "a long pass phrase 7"), 0);
    srv_content_key(s, gkey);
}

HTTP_SUITE(http_content_api_ghost, gsrv, 180, .posts = 3, .before_start = ghost_rows);

/* GET path on the second site, its first "%s" replaced by the key; the body as JSON. */
static json_t *gget(const char *path, int want_status)
{
    char full[4096];
    const char *at = strstr(path, "%s");
    cr_assert(at && strlen(path) + strlen(gkey) < sizeof(full));
    snprintf(full, sizeof(full), "%.*s%s%s", (int)(at - path), path, gkey, at + 2);
    struct resp r;
    http_req(&gsrv, "GET", full, &r);
    cr_expect_eq(r.status, want_status, "%s: %d %s", path, r.status, r.body);
    json_t *j = body_json(&r);
    resp_free(&r);
    return j;
}

static json_t *first_of(json_t *j, const char *name)
{
    json_t *o = json_array_get(json_object_get(j, name), 0);
    cr_assert(json_is_object(o), "no %s[0]", name);
    return o;
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The slugs of an answer's posts, comma-separated, in order. */
static void slugs_of(json_t *j, const char *name, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(j, name), i, v)
    {
        k += (size_t)snprintf(out + k, n - k, "%s%s", i ? "," : "", jstr(v, "slug"));
        if (k >= n)
            break;
    }
}

Test(http_content_api_ghost, imported_rows_answer_with_their_ghost_ids)
{
    json_t *j = gget("/ghost/api/content/posts/slug/imported-from-ghost/?key=%s"
                     "&include=tags,authors",
                     200);
    json_t *p = first_of(j, "posts");
    cr_expect_str_eq(jstr(p, "id"), G_POST);
    cr_expect_str_eq(jstr(p, "comment_id"), G_POST);
    cr_expect_str_eq(jstr(json_object_get(p, "primary_tag"), "id"), G_TAG);
    json_t *au = json_object_get(p, "primary_author");
    cr_expect_str_eq(jstr(au, "id"), G_DESK);
    cr_expect_str_eq(jstr(au, "location"), "Kyiv");
    json_decref(j);
    /* and are found by them: reads, in any case, and filters */
    j = gget("/ghost/api/content/posts/" G_POST "/?key=%s", 200);
    cr_expect_str_eq(jstr(first_of(j, "posts"), "slug"), "imported-from-ghost");
    json_decref(j);
    j = gget("/ghost/api/content/posts/5F1E2D3C4B5A69788796A5B4/?key=%s", 200);
    json_decref(j);
    j = gget("/ghost/api/content/tags/" G_TAG "/?key=%s", 200);
    cr_expect_str_eq(jstr(first_of(j, "tags"), "slug"), "transport");
    json_decref(j);
    j = gget("/ghost/api/content/authors/" G_DESK "/?key=%s", 200);
    cr_expect_str_eq(jstr(first_of(j, "authors"), "slug"), "news-desk");
    cr_expect_str_eq(jstr(first_of(j, "authors"), "location"), "Kyiv");
    json_decref(j);
    j = gget("/ghost/api/content/posts/?key=%s&filter=tags.id:" G_TAG "%2Bid:-" G_POST, 200);
    char slugs[512];
    slugs_of(j, "posts", slugs, sizeof(slugs));
    cr_expect_str_eq(slugs, "tram-line");
    json_decref(j);
    /* a row made here keeps the id derived from its row id, and both kinds mix in lists */
    j = gget("/ghost/api/content/posts/slug/plain-news/?key=%s", 200);
    char ours[32];
    snprintf(ours, sizeof(ours), "%s", jstr(first_of(j, "posts"), "id"));
    cr_expect(strncmp(ours, "6e64", 4) == 0, "%s", ours);
    json_decref(j);
    char path[256];
    snprintf(path, sizeof(path), "/ghost/api/content/posts/?key=%%s&filter=id:[%s," G_POST "]",
             ours);
    j = gget(path, 200);
    slugs_of(j, "posts", slugs, sizeof(slugs));
    cr_expect_str_eq(slugs, "plain-news,imported-from-ghost", "in the order of the list");
    json_decref(j);
}

Test(http_content_api_ghost, malformed_ids_and_unknown_keys_as_ghost_says)
{
    static const char *const bad[] = {"not-an-id", "123", "6e64", "5f1e2d3c4b5a69788796a5bz"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), "/ghost/api/content/posts/%s/?key=%%s", bad[i]);
        json_t *j = gget(path, 422);
        json_t *e = first_of(j, "errors");
        cr_expect_str_eq(jstr(e, "type"), "ValidationError", "%s", bad[i]);
        cr_expect_str_eq(jstr(e, "message"), "Validation (matches) failed for id");
        json_decref(j);
    }
    json_t *j = gget("/ghost/api/content/posts/5f1e2d3c4b5a69788796a5ff/?key=%s", 404);
    cr_expect_str_eq(jstr(first_of(j, "errors"), "message"), "Post not found.");
    json_decref(j);
    struct resp r;
    http_req(&gsrv, "GET", "/ghost/api/content/posts/?key=0123456789abcdef0123456789", &r);
    cr_expect_eq(r.status, 401);
    j = body_json(&r);
    json_t *e = first_of(j, "errors");
    cr_expect_str_eq(jstr(e, "code"), "UNKNOWN_CONTENT_API_KEY");
    cr_expect_str_eq(jstr(e, "message"), "Unknown Content API Key");
    cr_expect(json_is_null(json_object_get(e, "context")));
    json_decref(j);
    resp_free(&r);
}

Test(http_content_api_ghost, internal_tags_are_never_shown_to_readers)
{
    json_t *j = gget("/ghost/api/content/posts/slug/tram-line/?key=%s&include=tags", 200);
    json_t *p = first_of(j, "posts");
    json_t *t0 = json_array_get(json_object_get(p, "tags"), 0);
    cr_expect_str_eq(jstr(t0, "slug"), "hash-breaking", "#breaking is slugged as Ghost does");
    cr_expect_str_eq(jstr(t0, "visibility"), "internal");
    cr_expect(json_is_null(json_object_get(p, "primary_tag")), "an internal tag is no primary");
    json_decref(j);
    j = gget("/ghost/api/content/tags/?key=%s&limit=all", 200);
    char slugs[1024];
    slugs_of(j, "tags", slugs, sizeof(slugs));
    cr_expect(!strstr(slugs, "hash-breaking"), "tags/ lists public tags: %s", slugs);
    json_decref(j);
    j = gget("/ghost/api/content/tags/?key=%s&filter=visibility:internal", 200);
    slugs_of(j, "tags", slugs, sizeof(slugs));
    cr_expect(strstr(slugs, "hash-breaking") && !strstr(slugs, "transport"),
              "a filter asks for internal ones, as in Ghost: %s", slugs);
    json_decref(j);
    j = gget("/ghost/api/content/tags/slug/hash-breaking/?key=%s", 404);
    json_decref(j);
    j = gget("/ghost/api/content/posts/?key=%s&filter=primary_tag:hash-breaking", 200);
    cr_expect_eq(json_array_size(json_object_get(j, "posts")), 0);
    json_decref(j);
    /* the reader's site: no page, no feed, no sitemap entry, no section label */
    static const char *const gone[] = {"/tag/hash-breaking/", "/tag/hash-breaking/rss/",
                                       "/more/?tag=hash-breaking"};
    struct resp r;
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
        http_req(&gsrv, "GET", gone[i], &r);
        cr_expect_eq(r.status, 404, "%s: %d", gone[i], r.status);
        resp_free(&r);
    }
    static const char *const pages[] = {"/tram-line/", "/", "/sitemap-tags.xml", "/rss/"};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        http_req(&gsrv, "GET", pages[i], &r);
        cr_expect_eq(r.status, 200, "%s", pages[i]);
        cr_expect(!body_has(&r, "hash-breaking") && !body_has(&r, "#breaking"),
                  "%s shows the internal tag", pages[i]);
        resp_free(&r);
    }
    http_req(&gsrv, "GET", "/tram-line/", &r);
    cr_expect(body_has(&r, "/tag/transport/"), "the public tag is still listed");
    resp_free(&r);
}

Test(http_content_api_ghost, tags_and_authors_without_published_posts_are_not_there)
{
    json_t *j = gget("/ghost/api/content/tags/?key=%s&limit=all", 200);
    char slugs[1024];
    slugs_of(j, "tags", slugs, sizeof(slugs));
    cr_expect(!strstr(slugs, "no-posts") && strstr(slugs, "transport"), "%s", slugs);
    json_decref(j);
    j = gget("/ghost/api/content/tags/slug/no-posts/?key=%s", 404);
    cr_expect_str_eq(jstr(first_of(j, "errors"), "message"), "Tag not found.");
    json_decref(j);
    j = gget("/ghost/api/content/authors/?key=%s&limit=all&include=count.posts", 200);
    json_t *a;
    size_t i;
    json_array_foreach(json_object_get(j, "authors"), i, a)
    {
        cr_expect_neq(strcmp(jstr(a, "slug"), "silent"), 0, "an author without posts");
        cr_expect_gt(json_integer_value(json_object_get(json_object_get(a, "count"), "posts")), 0,
                     "%s has no published post", jstr(a, "slug"));
    }
    json_decref(j);
    j = gget("/ghost/api/content/authors/slug/silent/?key=%s", 404);
    cr_expect_str_eq(jstr(first_of(j, "errors"), "message"), "Author not found.");
    json_decref(j);
}

Test(http_content_api_ghost, a_list_of_slugs_gives_the_lists_order)
{
    char slugs[512];
    json_t *j = gget("/ghost/api/content/posts/?key=%s"
                     "&filter=slug:[tram-line,plain-news,imported-from-ghost]",
                     200);
    slugs_of(j, "posts", slugs, sizeof(slugs));
    cr_expect_str_eq(slugs, "tram-line,plain-news,imported-from-ghost");
    json_decref(j);
    j = gget("/ghost/api/content/posts/?key=%s"
             "&filter=slug:[imported-from-ghost,tram-line,plain-news]%2Bfeatured:false",
             200);
    slugs_of(j, "posts", slugs, sizeof(slugs));
    cr_expect_str_eq(slugs, "imported-from-ghost,tram-line,plain-news");
    json_decref(j);
    /* an order asked for wins */
    j = gget("/ghost/api/content/posts/?key=%s&order=title%20asc"
             "&filter=slug:[tram-line,plain-news,imported-from-ghost]",
             200);
    slugs_of(j, "posts", slugs, sizeof(slugs));
    cr_expect_str_eq(slugs, "imported-from-ghost,plain-news,tram-line");
    json_decref(j);
    j = gget("/ghost/api/content/tags/?key=%s&filter=slug:[transport,news-feed]", 200);
    slugs_of(j, "tags", slugs, sizeof(slugs));
    cr_expect_str_eq(slugs, "transport,news-feed");
    json_decref(j);
}

Test(http_content_api_ghost, settings_have_every_key_of_ghosts)
{
    /* test/e2e-api/content/__snapshots__/settings.test.js.snap */
    static const char *const keys[] = {"accent_color",
                                       "codeinjection_foot",
                                       "codeinjection_head",
                                       "comments_enabled",
                                       "cover_image",
                                       "description",
                                       "facebook",
                                       "firstpromoter_account",
                                       "icon",
                                       "lang",
                                       "locale",
                                       "logo",
                                       "members_enabled",
                                       "members_invite_only",
                                       "members_support_address",
                                       "meta_description",
                                       "meta_title",
                                       "navigation",
                                       "og_description",
                                       "og_image",
                                       "og_title",
                                       "paid_members_enabled",
                                       "portal_button",
                                       "portal_button_icon",
                                       "portal_button_signup_text",
                                       "portal_button_style",
                                       "portal_name",
                                       "portal_plans",
                                       "portal_signup_checkbox_required",
                                       "portal_signup_terms_html",
                                       "recommendations_enabled",
                                       "secondary_navigation",
                                       "timezone",
                                       "title",
                                       "twitter",
                                       "twitter_description",
                                       "twitter_image",
                                       "twitter_title",
                                       "url",
                                       "version"};
    json_t *j = gget("/ghost/api/content/settings/?key=%s", 200);
    json_t *s = json_object_get(j, "settings");
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        cr_expect(json_object_get(s, keys[i]), "settings have no '%s'", keys[i]);
    cr_expect_eq(json_object_size(s), sizeof(keys) / sizeof(keys[0]), "and no other");
    cr_expect(json_is_null(json_object_get(s, "accent_color")));
    cr_expect(json_is_false(json_object_get(s, "members_enabled")), "no members here");
    cr_expect_str_eq(jstr(s, "comments_enabled"), "off");
    cr_expect(json_is_string(json_object_get(s, "title")) && jstr(s, "version"));
    cr_expect(json_is_object(json_object_get(j, "meta")));
    json_decref(j);
}

Test(http_content_api_ghost, posts_meta_in_the_api_and_on_the_page)
{
    json_t *j = gget("/ghost/api/content/posts/slug/imported-from-ghost/?key=%s", 200);
    json_t *p = first_of(j, "posts");
    cr_expect_str_eq(jstr(p, "meta_title"), "Meta title");
    cr_expect_str_eq(jstr(p, "meta_description"), "Meta description");
    cr_expect_str_eq(jstr(p, "og_title"), "OG title");
    cr_expect(json_is_null(json_object_get(p, "og_description")));
    cr_expect_str_eq(jstr(p, "twitter_title"), "Twitter title");
    cr_expect_str_eq(jstr(p, "twitter_image"), "https://cdn.example/tw.jpg");
    cr_expect_str_eq(jstr(p, "canonical_url"), "https://elsewhere.example/first/");
    const char *og = jstr(p, "og_image");
    cr_expect(og && strncmp(og, "http", 4) == 0 && strstr(og, "/content/og.jpg"), "%s", og);
    json_decref(j);
    j = gget("/ghost/api/content/posts/slug/plain-news/?key=%s", 200);
    cr_expect(json_is_null(json_object_get(first_of(j, "posts"), "meta_title")));
    json_decref(j);
    struct resp r;
    http_req(&gsrv, "GET", "/imported-from-ghost/", &r);
    cr_assert_eq(r.status, 200);
    cr_expect(body_has(&r, "<title>Meta title</title>"));
    cr_expect(body_has(&r, "<meta name=\"description\" content=\"Meta description\">"));
    cr_expect(body_has(&r, "<link rel=\"canonical\" href=\"https://elsewhere.example/first/\">"));
    cr_expect(body_has(&r, "<meta property=\"og:title\" content=\"OG title\">"));
    cr_expect(body_has(&r, "<meta property=\"og:description\" content=\"Meta description\">"));
    cr_expect(body_has(&r, "/content/og.jpg\">"), "og:image");
    cr_expect(body_has(&r, "<meta name=\"twitter:title\" content=\"Twitter title\">"));
    cr_expect(body_has(&r, "<meta name=\"twitter:image\" content=\"https://cdn.example/tw.jpg\">"));
    resp_free(&r);
    http_req(&gsrv, "GET", "/plain-news/", &r);
    cr_expect(body_has(&r, "<meta property=\"og:title\" content=\"Plain news"), "own title");
    resp_free(&r);
    http_req(&gsrv, "GET", "/author/news-desk/", &r);
    cr_expect(body_has(&r, "Kyiv"), "the author's location");
    resp_free(&r);
}

Test(http_content_api_ghost, plaintext_and_excerpt_separate_blocks_as_ghost_does)
{
    /* the stored text was the older renderer's: the server made it again at start */
    json_t *j = gget("/ghost/api/content/posts/slug/tram-line/?key=%s&formats=plaintext", 200);
    json_t *p = first_of(j, "posts");
    const char *want = "First paragraph.\n\nSecond paragraph.\n\n * one\n * two";
    cr_expect_str_eq(jstr(p, "plaintext"), want);
    cr_expect_str_eq(jstr(p, "excerpt"), want);
    json_decref(j);
    char *fmt = db_query(&gsrv, "SELECT value FROM settings WHERE key = 'plaintext_format'");
    cr_expect_str_eq(fmt, "ghost-html-to-plaintext");
    free(fmt);
}

Test(http_content_api_ghost, ghosts_own_client_sees_the_same)
{
    cr_expect_eq(
        node_run("tests/js/content-api.mjs 'http://127.0.0.1:%d' '%s' --answers", gsrv.port, gkey),
        0, "@tryghost/content-api disagreed (see above)");
}

Test(http_content_api_ghost, a_tag_renamed_to_a_hash_name_becomes_internal)
{
    struct staff ed;
    cr_assert_eq(staff_login(&gsrv, "ed@desk.example", "a long pass phrase 7", &ed), 303);
    char *id = db_query(&gsrv, "SELECT id FROM tags WHERE slug = 'later'");
    char path[64];
    snprintf(path, sizeof(path), "/admin/tags/%s/", id);
    free(id);
    struct resp r;
    staff_post(&gsrv, &ed, path, "name=%23later&slug=hash-later&description=", &r);
    cr_expect_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    char *vis = db_query(&gsrv, "SELECT visibility FROM tags WHERE slug = 'hash-later'");
    cr_expect_str_eq(vis, "internal", "as Ghost's tag model makes a #name internal");
    free(vis);
    http_req(&gsrv, "GET", "/tag/hash-later/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    staff_get(&gsrv, &ed, "/admin/tags/", &r);
    cr_expect(body_has(&r, "hash-breaking") && body_has(&r, "hash-later"),
              "the newsroom still lists internal tags");
    resp_free(&r);
}
