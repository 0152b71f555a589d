/*
 * The reader's search through the real server: /search/?q= finds a word that is only in
 * one post's body, phrases, exclusions, tag and date filters, Ukrainian with and without
 * apostrophes and diacritics; a post is found right after it is published and not after
 * it is unpublished or deleted; a renamed tag is found by its new name. Hostile queries
 * each get a page (200, or 400 when too long), never a 5xx. Results are cached under the
 * query's normal form, made stale by a publish, and a flood of distinct queries leaves
 * the cached home page and article in place. /search.json and /opensearch.xml too.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff ed;

static void newsroom(struct srv *s)
{
    cr_assert_eq(staff_add(s, "ed@example.org", "Eda Editor", "editor", PW), 0);
    srv_add_post(s, "drone.md",
                 "---\ntitle: Night attack on the capital\nslug: night-attack\n"
                 "tags: [World]\npublished_at: 2026-01-10T08:00:00Z\n---\n"
                 "Air defence shot down most drones over Kyiv. A witness said the "
                 "power station was hit near the zoplanktonic lake.\n");
    srv_add_post(s, "station.md",
                 "---\ntitle: Station reopens\nslug: station-reopens\n"
                 "tags: [City]\npublished_at: 2026-02-15T08:00:00Z\n---\n"
                 "The station near the power plant is open again after repairs.\n");
    srv_add_post(s, "meat.md",
                 "---\ntitle: Ціни на м’ясо зросли\nslug: tsiny-na-miaso\n"
                 "tags: [City]\npublished_at: 2026-03-01T08:00:00Z\n---\n"
                 "У Києві подорожчало м’ясо та молоко. Кафе «Café Résumé» підняло ціни.\n");
}

HTTP_SUITE(http_search, srv, 240, .posts = 3, .before_start = newsroom);
/* a cache small enough that a flood of searches would evict every page were they shared */
static const char *const small_cache[] = {"--cache-mb", "2", NULL};
HTTP_SUITE(http_search_cache, srv, 300, .posts = 3, .before_start = newsroom,
           .serve_args = small_cache);

/* GET path; the status; the response in *r (freed by the caller). */
static int get(const char *path, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    return r->status;
}

/* Whether the results page for the (encoded) query links to the article at url. */
static bool finds(const char *q, const char *url)
{
    char path[1024], link[300];
    snprintf(path, sizeof(path), "/search/?q=%s", q);
    snprintf(link, sizeof(link), "<h3 class=\"teaser-title\"><a href=\"%s\">", url);
    struct resp r;
    cr_assert_eq(get(path, &r), 200, "%s: %d", path, r.status);
    bool found = body_has(&r, link);
    resp_free(&r);
    return found;
}

Test(http_search, a_word_only_in_one_body_finds_that_post)
{
    cr_expect(finds("zoplanktonic", "/night-attack/"));
    cr_expect(!finds("zoplanktonic", "/station-reopens/"));
    struct resp r;
    get("/search/?q=zoplanktonic", &r);
    cr_expect(body_has(&r, "1 result for"), "the count is shown");
    cr_expect(body_has(&r, "<mark>zoplanktonic</mark>"), "the match is marked in the snippet");
    cr_expect(body_has(&r, "<time datetime=\"2026-01-10"), "its date");
    cr_expect(body_has(&r, "class=\"section\" href=\"/tag/world/\">World</a>"), "its section");
    cr_expect(body_has(&r, "value=\"zoplanktonic\""), "the box keeps the query");
    resp_free(&r);
}

Test(http_search, phrase_exclusion_tag_and_date_filters)
{
    /* both posts have "power" and "station"; only one has the phrase */
    cr_expect(finds("power+station", "/night-attack/"));
    cr_expect(finds("power+station", "/station-reopens/"));
    cr_expect(finds("%22power+station%22", "/night-attack/"));
    cr_expect(!finds("%22power+station%22", "/station-reopens/"));
    cr_expect(!finds("station+-drones", "/night-attack/"));
    cr_expect(finds("station+-drones", "/station-reopens/"));
    cr_expect(finds("station+tag%3Acity", "/station-reopens/"));
    cr_expect(!finds("station+tag%3Acity", "/night-attack/"));
    cr_expect(finds("station+after%3A2026-02-01", "/station-reopens/"));
    cr_expect(!finds("station+after%3A2026-02-01", "/night-attack/"));
    cr_expect(finds("station+before%3A2026-02-01", "/night-attack/"));
    cr_expect(!finds("station+before%3A2026-02-01", "/station-reopens/"));
}

Test(http_search, ukrainian_apostrophes_and_diacritics)
{
    /* м’ясо (U+2019), м'ясо (ASCII), мʼясо (U+02BC) find each other */
    cr_expect(finds("%D0%BC%E2%80%99%D1%8F%D1%81%D0%BE", "/tsiny-na-miaso/"));
    cr_expect(finds("%D0%BC'%D1%8F%D1%81%D0%BE", "/tsiny-na-miaso/"));
    cr_expect(finds("%D0%BC%CA%BC%D1%8F%D1%81%D0%BE", "/tsiny-na-miaso/"));
    /* upper case Cyrillic: МОЛОКО */
    cr_expect(finds("%D0%9C%D0%9E%D0%9B%D0%9E%D0%9A%D0%9E", "/tsiny-na-miaso/"));
    /* diacritics: resume finds Résumé, and Résumé finds it too */
    cr_expect(finds("resume", "/tsiny-na-miaso/"));
    cr_expect(finds("R%C3%A9sum%C3%A9", "/tsiny-na-miaso/"));
    /* the transliterated slug: miaso */
    cr_expect(finds("miaso", "/tsiny-na-miaso/"));
}

static long login_and_publish(const char *title, const char *slug, const char *body)
{
    cr_assert_eq(staff_login(&srv, "ed@example.org", PW, &ed), 303);
    char *t = form_enc(title), *b = form_enc(body), form[2048];
    snprintf(form, sizeof(form), "title=%s&slug=%s&markdown=%s&action=publish", t, slug, b);
    free(t);
    free(b);
    struct resp r;
    staff_post(&srv, &ed, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303, "%d: %.*s", r.status, (int)r.body_len, r.body);
    long id = post_id_of(&r);
    resp_free(&r);
    return id;
}

Test(http_search, found_right_after_publish_and_not_after_unpublish_or_delete)
{
    /* asked first, so the empty answer is cached: the publish must make it stale */
    cr_expect(!finds("quokka", "/quokka-escape/"));
    long id = login_and_publish("Quokka escapes", "quokka-escape", "A quokka left the zoo.");
    cr_expect(finds("quokka", "/quokka-escape/"), "found at once after publishing");
    char form[256];
    snprintf(form, sizeof(form), "action=unpublish&ids=%ld&confirm=1&back=%%2Fadmin%%2F", id);
    struct resp r;
    staff_post(&srv, &ed, "/admin/posts/bulk/", form, &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect(!finds("quokka", "/quokka-escape/"), "not found once unpublished");
    long id2 = login_and_publish("Quokka returns", "quokka-returns", "The quokka came back.");
    cr_expect(finds("quokka", "/quokka-returns/"));
    snprintf(form, sizeof(form), "action=delete&ids=%ld&confirm=1&sure=yes", id2);
    staff_post(&srv, &ed, "/admin/posts/bulk/", form, &r);
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM posts WHERE id = %ld", id2), 0,
                 "the post is deleted");
    cr_expect(!finds("quokka", "/quokka-returns/"), "not found once deleted");
}

Test(http_search, a_renamed_tag_is_found_by_its_new_name)
{
    cr_expect(!finds("metropolis", "/station-reopens/"));
    cr_assert_eq(staff_login(&srv, "ed@example.org", PW, &ed), 303);
    char *id = db_query(&srv, "SELECT id FROM tags WHERE slug = 'city'");
    char path[64];
    snprintf(path, sizeof(path), "/admin/tags/%s/", id);
    free(id);
    struct resp r;
    staff_post(&srv, &ed, path, "name=Metropolis&slug=city&description=", &r);
    cr_expect_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    cr_expect(finds("metropolis", "/station-reopens/"), "found by the tag's new name");
}

/* Each hostile query (encoded) is answered with the search page: 200, never a 5xx. */
Test(http_search, hostile_queries_get_a_page)
{
    static const char *const qs[] = {
        "%22",       "*",
        "NEAR(",     "AND+OR",
        "NOT",       "%22%22%22",
        "a%00b",     "%00",
        "%FF%FE%80", "%C3",
        "%25",       "%",
        "%zz",       "(((",
        "-",         "-drones",
        "tag%3A",    "tag%3A%22",
        "after%3Ax", "%5E*%3A%7B%7D",
        "col%3Aval", "a+NEAR%2F3+b",
        "%E2%80%AE", "%F0%9F%92%A5",
        "\\",
    };
    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), "/search/?q=%s", qs[i]);
        struct resp r;
        cr_expect_eq(get(path, &r), 200, "%s: %d", path, r.status);
        cr_expect(body_has(&r, "<form class=\"search-form\""), "%s: the page", path);
        resp_free(&r);
        snprintf(path, sizeof(path), "/search.json?q=%s", qs[i]);
        cr_expect_eq(get(path, &r), 200, "%s: %d", path, r.status);
        resp_free(&r);
    }
}

/* A long query of n copies of unit (encoded), then its status. */
static int long_query(const char *unit, size_t n, struct resp *r)
{
    size_t ul = strlen(unit);
    char *path = malloc(n * ul + 32);
    strcpy(path, "/search/?q=");
    for (size_t i = 0; i < n; i++)
        memcpy(path + 11 + i * ul, unit, ul);
    path[11 + n * ul] = '\0';
    int status = get(path, r);
    free(path);
    return status;
}

Test(http_search, long_queries_and_many_terms)
{
    struct resp r;
    /* 2 KB of punctuation: past SEARCH_QUERY_MAX, a message on the page */
    cr_expect_eq(long_query("%21", 2048, &r), 400);
    cr_expect(body_has(&r, "longer than 500 bytes"), "says why");
    cr_expect(body_has(&r, "<form class=\"search-form\""), "with the form to shorten it");
    resp_free(&r);
    /* 1,000 terms in 500 bytes' worth: the query within the limit is answered */
    cr_expect_eq(long_query("a+", 250, &r), 200);
    resp_free(&r);
    /* 1,000 terms: too long, a page */
    cr_expect_eq(long_query("ab+", 1000, &r), 400);
    resp_free(&r);
    /* 240 distinct two-letter words (480 bytes): more than the store looks for */
    char *path = malloc(2048);
    strcpy(path, "/search/?q=");
    size_t at = strlen(path);
    for (int i = 0; i < 160; i++)
        at += (size_t)sprintf(path + at, "%c%c+", 'a' + i / 26, 'a' + i % 26);
    cr_expect_eq(get(path, &r), 200);
    cr_expect(body_has(&r, "left out"), "says terms were left out");
    resp_free(&r);
    free(path);
    /* 10 KB of punctuation as typed: a URI longer than the server takes, 414 */
    cr_expect_eq(long_query("!", 10240, &r), 414);
    resp_free(&r);
}

Test(http_search, empty_query_is_the_form_alone)
{
    static const char *const paths[] = {"/search/", "/search/?q=", "/search/?q=+++",
                                        "/search/?x=1"};
    for (size_t i = 0; i < 4; i++) {
        struct resp r;
        cr_expect_eq(get(paths[i], &r), 200, "%s", paths[i]);
        cr_expect(body_has(&r, "<form class=\"search-form\""));
        cr_expect(!body_has(&r, "search-results"), "%s: no results section", paths[i]);
        cr_expect(!body_has(&r, "notice-error"), "%s: no error", paths[i]);
        resp_free(&r);
    }
}

Test(http_search, more_results_by_cursor_and_a_damaged_one)
{
    /* "demo" posts and ours: more than a page matches a common word? use a prefix */
    struct resp r;
    cr_expect_eq(get("/search/?q=station&c=zzz", &r), 400);
    cr_expect(body_has(&r, "damaged"), "says the link is damaged");
    resp_free(&r);
    cr_expect_eq(get("/search/?q=station&c=7ff8000000000000-1", &r), 400, "a NaN score");
    resp_free(&r);
    cr_expect_eq(get("/search/?q=station&c=3ff0000000000000-99999999999999999999", &r), 400);
    resp_free(&r);
    /* a well-formed cursor past everything: an empty page, no crash */
    cr_expect_eq(get("/search/?q=station&c=fff0000000000000-1", &r), 200);
    resp_free(&r);
}

Test(http_search, pages_through_results_by_cursor)
{
    /* eleven posts with one word: a page of ten, then the eleventh */
    for (int i = 0; i < 11; i++) {
        char name[32], text[256];
        snprintf(name, sizeof(name), "w%d.md", i);
        snprintf(text, sizeof(text),
                 "---\ntitle: Wombat report %d\nslug: wombat-%d\n"
                 "published_at: 2026-04-%02dT08:00:00Z\n---\nA wombat was seen.\n",
                 i, i, i + 1);
        srv_add_post(&srv, name, text);
    }
    struct resp r;
    cr_assert_eq(get("/search/?q=wombat", &r), 200);
    cr_expect(body_has(&r, "11 results for"));
    cr_expect_eq(body_count(&r, "class=\"teaser-title\""), 10);
    char *more = body_between(&r, "<a rel=\"next\" href=\"", "\"");
    cr_assert(more, "a More results link");
    resp_free(&r);
    /* the link is HTML-escaped: &amp; */
    char path[512];
    char *amp = strstr(more, "&amp;");
    cr_assert(amp);
    snprintf(path, sizeof(path), "%.*s&%s", (int)(amp - more), more, amp + 5);
    free(more);
    cr_assert_eq(get(path, &r), 200, "%s", path);
    cr_expect_eq(body_count(&r, "class=\"teaser-title\""), 1, "the eleventh");
    cr_expect(!body_has(&r, "<a rel=\"next\""), "and no further page");
    resp_free(&r);
}

Test(http_search, json_for_as_you_type)
{
    struct resp r;
    cr_assert_eq(get("/search.json?q=zoplank", &r), 200);
    char *ct = resp_header(&r, "content-type");
    cr_expect(ct && strstr(ct, "application/json"));
    free(ct);
    cr_expect(body_has(&r, "\"url\":\"/night-attack/\""), "the last word is a prefix: %s", r.body);
    cr_expect(body_has(&r, "<mark>"), "the snippet marks the match");
    cr_expect(body_has(&r, "\"section\":\"World\""));
    resp_free(&r);
    cr_assert_eq(get("/search.json?q=%3Cscript%3E", &r), 200);
    cr_expect(!body_has(&r, "<script>"), "the query is never echoed raw");
    resp_free(&r);
}

Test(http_search, opensearch_description_and_links)
{
    struct resp r;
    cr_assert_eq(get("/opensearch.xml", &r), 200);
    char *ct = resp_header(&r, "content-type");
    cr_expect(ct && strstr(ct, "application/opensearchdescription+xml"), "%s", ct);
    free(ct);
    cr_expect(body_has(&r, "/search/?q={searchTerms}"));
    char path[SRV_PATH_MAX];
    srv_save(&srv, &r, "opensearch.xml", path);
    cr_expect_eq(xml_check(NULL, path), 0, "well-formed XML");
    resp_free(&r);
    cr_assert_eq(get("/", &r), 200);
    cr_expect(body_has(&r, "rel=\"search\" type=\"application/opensearchdescription+xml\""));
    cr_expect(body_has(&r, "role=\"search\""), "the header's form");
    cr_expect(body_has(&r, "\"SearchAction\""), "the home page's JSON-LD");
    cr_expect(body_has(&r, "search_term_string"));
    resp_free(&r);
    cr_assert_eq(get("/night-attack/", &r), 200);
    cr_expect(body_has(&r, "<form class=\"site-search\" role=\"search\""),
              "the header's form on an article");
    resp_free(&r);
}

Test(http_search, results_empty_and_too_long_pages_are_valid_html)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    cr_expect_eq(node_run("tests/browser/gates.mjs vnu 'http://127.0.0.1:%d/' "
                          "'%s/build/artifacts/search' '/search/?q=station+%%22power%%22' "
                          "'/search/?q=' '/search/?q=%%3Cb%%3E%%22' '/search/?q=zz&c=x' "
                          "'/search/?q=wombat+after:2026-01-01'",
                          srv.port, cwd),
                 0, "the Nu HTML Checker found errors (above)");
}

/* ---- the cache -------------------------------------------------------------------- */

static char *x_cache(const char *path)
{
    struct resp r;
    cr_assert_eq(get(path, &r), 200, "%s", path);
    char *x = resp_header(&r, "x-cache");
    resp_free(&r);
    return x ? x : strdup("");
}

Test(http_search_cache, a_normalised_query_shares_the_entry_and_a_publish_refreshes_it)
{
    free(x_cache("/search/?q=Kyiv++DRONES"));
    char *x = x_cache("/search/?q=kyiv+drones");
    cr_expect_str_eq(x, "HIT", "\"Kyiv  DRONES\" and \"kyiv drones\" share one entry");
    free(x);
    x = x_cache("/search/?q=kyiv+drones&utm_source=x");
    cr_expect_str_eq(x, "HIT", "other parameters do not split it");
    free(x);
    cr_expect(!finds("platypus", "/platypus/"));
    srv_add_post(&srv, "platypus.md",
                 "---\ntitle: A platypus in the river\nslug: platypus\n---\nSeen at dawn.\n");
    cr_expect(finds("platypus", "/platypus/"), "a publish makes the new result appear at once");
}

Test(http_search_cache, a_flood_of_searches_leaves_the_pages_cached)
{
    const char *pages[] = {"/", "/night-attack/"};
    for (int i = 0; i < 2; i++)
        free(x_cache(pages[i]));
    for (int i = 0; i < 2; i++) {
        char *x = x_cache(pages[i]);
        cr_assert_str_eq(x, "HIT", "%s cached before the flood", pages[i]);
        free(x);
    }
    /* 3,000 distinct queries, each page some KB: many times the searches' share */
    for (int i = 0; i < 3000; i++) {
        char path[96];
        snprintf(path, sizeof(path), "/search/?q=flood%dword", i);
        struct resp r;
        cr_assert_eq(get(path, &r), 200, "%s", path);
        resp_free(&r);
    }
    for (int i = 0; i < 2; i++) {
        char *x = x_cache(pages[i]);
        cr_expect_str_eq(x, "HIT", "%s still served from the cache after the flood", pages[i]);
        free(x);
    }
}
