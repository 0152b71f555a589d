/* The response cache: validators, compression, and freshness after writes. */
#include "harness.h"
#include "staff.h"

#include <brotli/decode.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static struct srv srv;

HTTP_SUITE(http_cache, srv, 60, .posts = 30);

static void get_with(const char *path, const char *headers, struct resp *r)
{
    char req[4096];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n",
                     path, headers);
    http_raw(&srv, req, (size_t)n, r);
}

static char *header(const struct resp *r, const char *name)
{
    char *v = resp_header(r, name);
    return v ? v : strdup("");
}

Test(http_cache, second_request_is_a_hit_with_the_same_bytes)
{
    struct resp a, b;
    http_req(&srv, "GET", "/", &a);
    http_req(&srv, "GET", "/", &b);
    char *xa = header(&a, "x-cache"), *xb = header(&b, "x-cache");
    cr_expect_str_eq(xa, "MISS");
    cr_expect_str_eq(xb, "HIT");
    cr_assert_eq(a.body_len, b.body_len);
    cr_assert(memcmp(a.body, b.body, a.body_len) == 0);
    char *etag = header(&b, "etag"), *lm = header(&b, "last-modified"), *vary = header(&b, "vary");
    cr_expect(etag[0] == '"' && etag[strlen(etag) - 1] == '"', "strong etag: %s", etag);
    cr_expect(strstr(lm, " GMT"), "last-modified: %s", lm);
    cr_expect_str_eq(vary, "Accept-Encoding");
    free(xa), free(xb), free(etag), free(lm), free(vary);
    resp_free(&a);
    resp_free(&b);
}

Test(http_cache, conditional_requests)
{
    struct resp a, r304, r200, ims, both, head;
    http_req(&srv, "GET", "/tag/news-feed/", &a);
    char *etag = header(&a, "etag"), *lm = header(&a, "last-modified");
    char h[512];
    snprintf(h, sizeof(h), "If-None-Match: \"nope\", %s\r\n", etag);
    get_with("/tag/news-feed/", h, &r304);
    cr_assert_eq(r304.status, 304);
    cr_assert_eq(r304.body_len, 0);
    char *e304 = header(&r304, "etag");
    cr_expect_str_eq(e304, etag, "a 304 carries the ETag");
    char *cl = resp_header(&r304, "content-length");
    cr_expect(!cl || strcmp(cl, "0") != 0, "no Content-Length: 0 on a 304");
    snprintf(h, sizeof(h), "If-None-Match: W/%s\r\n", etag);
    get_with("/tag/news-feed/", h, &r200);
    cr_expect_eq(r200.status, 304, "weak comparison");
    snprintf(h, sizeof(h), "If-Modified-Since: %s\r\n", lm);
    get_with("/tag/news-feed/", h, &ims);
    cr_expect_eq(ims.status, 304);
    snprintf(h, sizeof(h), "If-None-Match: \"other\"\r\nIf-Modified-Since: %s\r\n", lm);
    get_with("/tag/news-feed/", h, &both);
    cr_expect_eq(both.status, 200, "If-None-Match wins over If-Modified-Since");
    http_req(&srv, "HEAD", "/tag/news-feed/", &head);
    cr_expect_eq(head.status, 200);
    cr_expect_eq(head.body_len, 0);
    free(etag), free(lm), free(e304), free(cl);
    resp_free(&a), resp_free(&r304), resp_free(&r200), resp_free(&ims), resp_free(&both);
    resp_free(&head);
}

Test(http_cache, gzip_and_brotli_variants)
{
    struct resp id, gz, br, refused;
    http_req(&srv, "GET", "/", &id);
    get_with("/", "Accept-Encoding: gzip\r\n", &gz);
    get_with("/", "Accept-Encoding: gzip, deflate, br\r\n", &br);
    get_with("/", "Accept-Encoding: gzip;q=0, br;q=0\r\n", &refused);
    char *ce_gz = header(&gz, "content-encoding"), *ce_br = header(&br, "content-encoding");
    char *ce_no = header(&refused, "content-encoding");
    cr_assert_str_eq(ce_gz, "gzip");
    cr_assert_str_eq(ce_br, "br");
    cr_assert_str_eq(ce_no, "");
    char *t_id = header(&id, "etag"), *t_gz = header(&gz, "etag"), *t_br = header(&br, "etag");
    cr_expect(strcmp(t_id, t_gz) && strcmp(t_id, t_br) && strcmp(t_gz, t_br),
              "one strong ETag per encoding");
    /* both decode to the identity bytes */
    char *out = malloc(id.body_len + 1);
    uLongf outlen = id.body_len;
    z_stream z = {0};
    inflateInit2(&z, 15 + 16);
    z.next_in = (Bytef *)gz.body;
    z.avail_in = (uInt)gz.body_len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)outlen;
    cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    cr_assert_eq(z.total_out, id.body_len);
    cr_assert(memcmp(out, id.body, id.body_len) == 0);
    inflateEnd(&z);
    size_t blen = id.body_len;
    cr_assert_eq(
        BrotliDecoderDecompress(br.body_len, (const uint8_t *)br.body, &blen, (uint8_t *)out),
        BROTLI_DECODER_RESULT_SUCCESS);
    cr_assert_eq(blen, id.body_len);
    cr_assert(memcmp(out, id.body, id.body_len) == 0);
    free(out);
    free(ce_gz), free(ce_br), free(ce_no), free(t_id), free(t_gz), free(t_br);
    resp_free(&id), resp_free(&gz), resp_free(&br), resp_free(&refused);
}

static void add_post(const char *title, const char *tags)
{
    char text[512];
    snprintf(text, sizeof(text), "---\ntitle: %s\ntags: [%s]\n---\nBody.\n", title, tags);
    srv_add_post(&srv, "new.md", text);
}

/*
 * The X-Cache of a GET of path: "HIT", "MISS", "" (none) or "?" (anything else). A
 * constant, never a buffer shared between calls, so two calls' answers can be compared.
 */
static const char *xcache(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    char *x = header(&r, "x-cache");
    const char *v = !strcmp(x, "HIT") ? "HIT" : !strcmp(x, "MISS") ? "MISS" : !*x ? "" : "?";
    free(x);
    resp_free(&r);
    return v;
}

Test(http_cache, a_publish_is_visible_as_soon_as_it_returns)
{
    struct resp home, tag, article, other;
    http_req(&srv, "GET", "/", &home);
    char *more = body_attr(&home, "data-more");
    const char *mark = "class=\"teaser-title\"><a href=\"";
    char *p = strstr(home.body, mark) + strlen(mark);
    char *url = strndup(p, strcspn(p, "\""));
    /* warm: the home page, a tag page, an article, an unrelated tag */
    cr_assert_str_eq(xcache("/"), "HIT");
    xcache("/tag/news-feed/");
    xcache(url);
    xcache("/tag/weather/");
    cr_assert_str_eq(xcache("/tag/news-feed/"), "HIT");
    cr_assert_str_eq(xcache(url), "HIT");

    /* a 404 is not kept: the slug may be published a moment later */
    struct resp missing;
    http_req(&srv, "GET", "/breaking-story/", &missing);
    cr_assert_eq(missing.status, 404);
    add_post("Breaking story", "News Feed");

    resp_free(&home);
    http_req(&srv, "GET", "/", &home);
    cr_expect(body_has(&home, "href=\"/breaking-story/\""), "home shows the new post at once");
    http_req(&srv, "GET", "/tag/news-feed/", &tag);
    cr_expect(body_has(&tag, "href=\"/breaking-story/\""), "its section shows it");
    http_req(&srv, "GET", url, &article);
    cr_expect(body_has(&article, "href=\"/breaking-story/\""), "latest items under articles");
    http_req(&srv, "GET", "/breaking-story/", &other);
    cr_expect_eq(other.status, 200);
    /* what cannot show it stays cached */
    cr_expect_str_eq(xcache("/tag/weather/"), "HIT", "an unrelated section is not rendered again");
    free(more);
    free(url);
    resp_free(&home), resp_free(&tag), resp_free(&article), resp_free(&other);
    resp_free(&missing);
}

Test(http_cache, sessions_and_credentials_bypass_the_cache)
{
    xcache("/");
    struct resp r, c2;
    get_with("/", "Cookie: nd_session=abc\r\n", &r);
    char *x = header(&r, "x-cache");
    cr_expect_str_eq(x, "", "not served from or into the shared cache");
    get_with("/", "Cookie: _ga=GA1.2.3\r\n", &c2);
    char *x2 = header(&c2, "x-cache");
    cr_expect_str_eq(x2, "HIT", "other cookies do not matter");
    free(x), free(x2);
    resp_free(&r), resp_free(&c2);
}

Test(http_cache, unknown_query_parameters_share_the_page)
{
    xcache("/tag/news-feed/");
    cr_expect_str_eq(xcache("/tag/news-feed/?utm_source=newsletter"), "HIT");
    cr_expect_str_eq(xcache("/tag/news-feed/?x=1&y=2&z=3"), "HIT");
    /* a flood of random parameters renders the home page once and adds nothing more */
    cr_expect_str_eq(xcache("/?junk=0"), "MISS", "the home page was not rendered yet");
    for (int i = 1; i < 50; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/?junk=%d", i);
        cr_expect_str_eq(xcache(path), "HIT", "%s is the home page", path);
    }
    cr_expect_str_eq(xcache("/"), "HIT", "kept under the home page's own key");
}

static long long metric(const char *name)
{
    struct resp r;
    http_req(&srv, "GET", "/metrics", &r);
    cr_assert_eq(r.status, 200);
    char pat[128];
    snprintf(pat, sizeof(pat), "\n%s ", name);
    const char *p = strstr(r.body, pat);
    cr_assert(p, "no %s in /metrics", name);
    long long v = strtoll(p + strlen(pat), NULL, 10);
    resp_free(&r);
    return v;
}

Test(http_cache, two_hundred_concurrent_misses_render_once)
{
    enum { N = 200 };
    long long misses = metric("newsdesk_cache_misses_total{cache=\"pages\"}");
    long long stores = metric("newsdesk_cache_stores_total{cache=\"pages\"}");
    int fds[N];
    for (int i = 0; i < N; i++)
        fds[i] = http_open(&srv);
    const char req[] = "GET /page/2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (int i = 0; i < N; i++)
        http_send_all(fds[i], req, sizeof(req) - 1);
    int ok = 0;
    for (int i = 0; i < N; i++) {
        struct resp r;
        http_read_response(fds[i], &r);
        ok += r.status == 200;
        resp_free(&r);
    }
    cr_assert_eq(ok, N);
    cr_expect_eq(metric("newsdesk_cache_misses_total{cache=\"pages\"}") - misses, 1,
                 "one rendering");
    cr_expect_eq(metric("newsdesk_cache_stores_total{cache=\"pages\"}") - stores, 1);
}

Test(http_cache, metrics_are_not_served_through_a_proxy)
{
    struct resp direct, proxied;
    http_req(&srv, "GET", "/metrics", &direct);
    cr_expect_eq(direct.status, 200);
    get_with("/metrics", "X-Forwarded-For: 203.0.113.7\r\n", &proxied);
    cr_expect_eq(proxied.status, 404);
    resp_free(&direct);
    resp_free(&proxied);
}

Test(http_cache, cache_control_by_kind)
{
    struct resp page, feed, pinned, plain, home;
    http_req(&srv, "GET", "/", &home);
    char *css = body_attr(&home, "href");
    const char *p = strstr(home.body, "rel=\"stylesheet\" href=\"");
    cr_assert(p);
    p += strlen("rel=\"stylesheet\" href=\"");
    char *css_url = strndup(p, strcspn(p, "\""));
    cr_assert(strstr(css_url, "/assets/style.css?v="), "fingerprinted: %s", css_url);
    http_req(&srv, "GET", "/tag/news-feed/", &page);
    http_req(&srv, "GET", "/rss/", &feed);
    http_req(&srv, "GET", css_url, &pinned);
    http_req(&srv, "GET", "/assets/style.css", &plain);
    char *cp = resp_header(&page, "cache-control"), *cf = resp_header(&feed, "cache-control");
    char *ci = resp_header(&pinned, "cache-control"), *cs = resp_header(&plain, "cache-control");
    cr_expect_str_eq(cp, "public, max-age=60, stale-while-revalidate=300");
    cr_expect_str_eq(cf, "public, max-age=60, stale-while-revalidate=300");
    cr_expect_str_eq(ci, "public, max-age=31536000, immutable");
    cr_expect_str_eq(cs, "public, max-age=300");
    free(css), free(css_url), free(cp), free(cf), free(ci), free(cs);
    resp_free(&page), resp_free(&feed), resp_free(&pinned), resp_free(&plain);
    resp_free(&home);
}

Test(http_cache, site_url_option_makes_absolute_urls)
{
    srv_stop(&srv);
    srv_start_with(&srv, "--site-url", "https://news.example.org/");
    struct resp page, rss;
    http_req(&srv, "GET", "/tag/news-feed/", &page);
    http_req(&srv, "GET", "/rss/", &rss);
    cr_expect(body_has(
        &page, "<link rel=\"canonical\" href=\"https://news.example.org/tag/news-feed/\">"));
    cr_expect(body_has(&rss, "<link>https://news.example.org/</link>"));
    cr_expect(body_has(&rss, "href=\"https://news.example.org/rss/\""));
    resp_free(&page), resp_free(&rss);
}

/* Runs cmd, returns its standard output (malloc'd). */
static char *shell(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    char *out = calloc(1, 65536);
    size_t n = fread(out, 1, 65535, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

Test(http_cache, curl_gets_brotli_and_a_304)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "curl -s -D - -o /dev/null -H 'Accept-Encoding: br' http://127.0.0.1:%d/", srv.port);
    char *head = shell(cmd);
    cr_expect(strcasestr(head, "content-encoding: br"), "%s", head);
    cr_expect(strcasestr(head, "vary: Accept-Encoding"), "%s", head);
    char *etag = strcasestr(head, "etag: ");
    cr_assert(etag);
    etag += 6;
    etag[strcspn(etag, "\r\n")] = '\0';
    snprintf(cmd, sizeof(cmd),
             "curl -s -o /dev/null -w '%%{http_code} %%{size_download}' -H 'Accept-Encoding: br'"
             " -H 'If-None-Match: %s' http://127.0.0.1:%d/",
             etag, srv.port);
    char *again = shell(cmd);
    cr_expect_str_eq(again, "304 0", "a repeated request with the ETag");
    snprintf(cmd, sizeof(cmd), "curl -s --compressed http://127.0.0.1:%d/ | grep -c teaser-title",
             srv.port);
    char *decoded = shell(cmd);
    cr_expect(atoi(decoded) > 0, "curl decodes the compressed page");
    free(head), free(again), free(decoded);
}

/*
 * A writer killed between its COMMIT and telling the caches leaves a committed change
 * nobody announced. The sqlite3 shell is such a writer: it never touches the stamp. The
 * server must notice by itself, within a second, and render the page again.
 */
Test(http_cache, a_change_nobody_announced_reaches_the_cache_within_a_second)
{
    char *id = db_query(&srv, "SELECT id FROM posts WHERE status = 'published' AND type = 'post' "
                              "ORDER BY published_at DESC, id DESC LIMIT 1");
    char *slug = db_query(&srv, "SELECT slug FROM posts WHERE status = 'published' AND "
                                "type = 'post' ORDER BY published_at DESC, id DESC LIMIT 1");
    char url[300], sql[600];
    snprintf(url, sizeof(url), "/%s/", slug);
    xcache(url);
    cr_assert_str_eq(xcache(url), "HIT");
    snprintf(sql, sizeof(sql),
             "UPDATE posts SET title = 'Changed behind the caches' WHERE id = %s; "
             "INSERT INTO changes(at, deps) VALUES (0, 'post:%s list');",
             id, id);
    free(db_query(&srv, sql));
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool seen = false;
    double waited = 0;
    while (!seen && waited < 3.0) {
        struct resp r;
        http_req(&srv, "GET", url, &r);
        seen = body_has(&r, "Changed behind the caches");
        resp_free(&r);
        if (!seen)
            usleep(50 * 1000);
        clock_gettime(CLOCK_MONOTONIC, &now);
        waited = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
    }
    cr_expect(seen, "the cached page never showed the change");
    cr_expect_leq(waited, 1.0, "the change took %.2f s to reach the cache", waited);
    free(id);
    free(slug);
}

/*
 * The newsroom's scripts are the same for everyone: staff requests (with the session
 * cookie) share one cached copy and get it compressed; the rich-text bundle alone is
 * 325 KB as sent before this.
 */
Test(http_cache, the_newsrooms_assets_are_cached_and_compressed_for_staff_too)
{
    struct resp a, b;
    const char *hdrs = "Accept-Encoding: gzip\r\nCookie: nd_session=whoever\r\n";
    get_with("/admin/assets/rich.js", hdrs, &a);
    get_with("/admin/assets/rich.js", hdrs, &b);
    cr_assert_eq(a.status, 200);
    char *enc = header(&b, "content-encoding"), *x = header(&b, "x-cache");
    cr_expect_str_eq(enc, "gzip");
    cr_expect_str_eq(x, "HIT", "a staff request shares the cached script");
    cr_expect_lt(b.body_len, 200 * 1024, "sent compressed (%zu bytes)", b.body_len);
    const char *h = b.head;
    int nosniff = 0;
    while ((h = strcasestr(h, "x-content-type-options:")))
        nosniff++, h++;
    cr_expect_eq(nosniff, 1, "one nosniff header, not two");
    free(enc), free(x);
    resp_free(&a), resp_free(&b);
}
