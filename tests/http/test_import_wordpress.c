/*
 * `newsdesk import wordpress` on the real export (../shared/import-fixtures/, WordPress
 * 6.1.9's own exporter) and its uploads folder, then the real server: every post, tag and
 * person where they belong, the feature image served, WordPress's old addresses answered
 * with 301s, a second import changing nothing, and the hostile bodies harmless.
 */
#include "harness.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct srv srv;
static char fixture[512], uploads[512];
static char *import_out; /* the first import's report */

static void find_fixtures(void)
{
    const char *dir = "../shared/import-fixtures/"; /* from the project root */
    snprintf(fixture, sizeof(fixture), "%swordpress-export.xml", dir);
    snprintf(uploads, sizeof(uploads), "%swordpress-uploads", dir);
}

static int import_fixture(const struct srv *s, char **out, char **errout)
{
    return run_newsdesk(out, errout, "import", "wordpress", fixture, "--uploads", uploads, "--db",
                        s->db, NULL);
}

static void import_before_start(struct srv *s)
{
    find_fixtures();
    char *errout = NULL;
    int rc = import_fixture(s, &import_out, &errout);
    cr_assert_eq(rc, 0, "import failed: %s", errout ? errout : "");
    free(errout);
}

HTTP_SUITE(http_import_wordpress, srv, 120, .before_start = import_before_start);

static void expect_query(const char *sql, const char *want)
{
    char *got = db_query(&srv, sql);
    cr_expect_str_eq(got, want, "%s", sql);
    free(got);
}

Test(http_import_wordpress, every_post_tag_and_person)
{
    expect_query("SELECT count(*) FROM posts WHERE type = 'post'", "71");
    expect_query("SELECT count(*) FROM posts WHERE type = 'page'", "2");
    expect_query("SELECT count(*) FROM posts WHERE type = 'post' AND status = 'published'", "67");
    expect_query("SELECT group_concat(slug, ' ') FROM (SELECT slug FROM posts WHERE status = "
                 "'draft' ORDER BY slug)",
                 "draft-council-budget-vote-preview private-staff-rota-for-the-holidays "
                 "protected-embargoed-figures");
    expect_query("SELECT slug FROM posts WHERE status = 'scheduled'",
                 "scheduled-new-metro-timetable-takes-effect");
    expect_query("SELECT count(*) FROM tags", "35");
    expect_query("SELECT slug FROM tags WHERE name = 'Київ'", "kyiv");
    expect_query("SELECT count(*) FROM users WHERE email LIKE '%@example.com'", "14");
    expect_query("SELECT name FROM users WHERE email = 'oksana@example.com'", "Оксана Мельник");
    /* post 64: primary category first (World, the lowest term id), then categories, then tags */
    expect_query("SELECT group_concat(t.slug, ' ') FROM (SELECT t.slug FROM post_tags pt JOIN tags "
                 "t ON t.id = pt.tag_id JOIN posts p ON p.id = pt.post_id WHERE p.slug = "
                 "'eu-ministers-agree-on-winter-energy-support' ORDER BY pt.sort_order) t",
                 "world europe politics breaking-news europe-desk kyiv");
    expect_query("SELECT featured FROM posts WHERE slug = "
                 "'eu-ministers-agree-on-winter-energy-support'",
                 "1");
    expect_query("SELECT published_at FROM posts WHERE slug = "
                 "'eu-ministers-agree-on-winter-energy-support'",
                 "1727947800");
    struct resp r;
    http_req(&srv, "GET", "/eu-ministers-agree-on-winter-energy-support/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "EU ministers agree on winter energy support"));
    resp_free(&r);
    http_req(&srv, "GET", "/kyiv-hotuietsia-do-zymy-hrafiky-vidkliu/", &r);
    cr_expect_eq(r.status, 200, "post 77, its Cyrillic slug transliterated");
    resp_free(&r);
    http_req(&srv, "GET", "/tag/europe/", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
}

Test(http_import_wordpress, feature_image_served)
{
    char *src = db_query(&srv, "SELECT feature_image FROM posts WHERE slug = "
                               "'evening-light-returns-to-the-dnipro-embankment'");
    cr_assert(src[0] == '/', "the image was taken in, not left at its old address: '%s'", src);
    char *alt = db_query(&srv, "SELECT feature_image_alt FROM posts WHERE slug = "
                               "'evening-light-returns-to-the-dnipro-embankment'");
    cr_expect_str_eq(alt, "The Dnipro embankment at dusk, lamps just lit");
    struct resp r;
    http_req(&srv, "GET", src, &r);
    cr_expect_eq(r.status, 200, "%s", src);
    char *type = resp_header(&r, "content-type");
    cr_expect(type && strncmp(type, "image/", 6) == 0, "%s", type ? type : "(none)");
    free(type);
    resp_free(&r);
    free(alt);
    free(src);
}

static void expect_301(const char *from, const char *to)
{
    struct resp r;
    http_req(&srv, "GET", from, &r);
    cr_expect_eq(r.status, 301, "%s: %d", from, r.status);
    char *loc = resp_header(&r, "location");
    cr_expect(loc && strcmp(loc, to) == 0, "%s → %s, want %s", from, loc ? loc : "(none)", to);
    free(loc);
    resp_free(&r);
}

Test(http_import_wordpress, old_addresses_answer_301)
{
    expect_301("/?p=72", "/evening-light-returns-to-the-dnipro-embankment/");
    expect_301("/2024/10/evening-light-returns-to-the-dnipro-embankment/",
               "/evening-light-returns-to-the-dnipro-embankment/");
    expect_301("/category/world/europe/", "/tag/europe/");
    expect_301("/category/europe/", "/tag/europe/");
    expect_301("/author/oksana/", "/author/oksana-melnyk/");
    expect_301("/about-the-newsroom/contacts/", "/contacts/");
    expect_301("/?page_id=69", "/about-the-newsroom/");
    /* WordPress's percent-encoded Cyrillic, as a browser sends it (capital hex digits) */
    expect_301("/2024/10/%D0%9A%D0%B8%D1%97%D0%B2-%D0%B3%D0%BE%D1%82%D1%83%D1%94%D1%82%D1%8C%D1%81"
               "%D1%8F-%D0%B4%D0%BE-%D0%B7%D0%B8%D0%BC%D0%B8-%D0%B3%D1%80%D0%B0%D1%84%D1%96%D0%BA"
               "%D0%B8-%D0%B2%D1%96%D0%B4%D0%BA%D0%BB%D1%8E/",
               "/kyiv-hotuietsia-do-zymy-hrafiky-vidkliu/");
    expect_301("/tag/%d0%9a%d0%b8%d1%97%d0%b2/", "/tag/kyiv/");
    struct resp r;
    http_req(&srv, "GET", "/?p=65", &r);
    cr_expect_neq(r.status, 301, "a draft had no public address");
    resp_free(&r);
}

static const char snapshot_sql[] =
    "SELECT (SELECT group_concat(x, '|') FROM (SELECT id || slug || title || status || "
    "ifnull(published_at, '') || updated_at || feature_image || version AS x FROM posts ORDER BY "
    "id)) || (SELECT group_concat(x, '|') FROM (SELECT id || slug || name AS x FROM tags ORDER BY "
    "id)) || (SELECT group_concat(x, '|') FROM (SELECT id || name AS x FROM users ORDER BY id)) || "
    "(SELECT group_concat(x, '|') FROM (SELECT from_path || to_path AS x FROM redirects ORDER BY "
    "from_path)) || (SELECT count(*) FROM post_tags) || (SELECT count(*) FROM media)";

Test(http_import_wordpress, importing_twice_is_importing_once)
{
    char *once = db_query(&srv, snapshot_sql);
    cr_assert_gt(strlen(once), 1000);
    char *out = NULL;
    cr_assert_eq(import_fixture(&srv, &out, NULL), 0);
    char *twice = db_query(&srv, snapshot_sql);
    cr_expect_str_eq(once, twice);
    free(out);
    free(once);
    free(twice);
}

static void expect_harmless(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_assert_eq(r.status, 200, "%s", path);
    const char *body = r.body;
    cr_expect(!strstr(body, "<script>alert"), "%s: a script", path);
    cr_expect(!strstr(body, "onerror="), "%s: onerror", path);
    cr_expect(!strstr(body, "onclick="), "%s: onclick", path);
    cr_expect(strstr(body, "Paragraph with an onclick attribute."), "%s: its text stays", path);
    cr_expect(strstr(body, "language-c") || strstr(body, "<pre"), "%s: the code block stays", path);
    resp_free(&r);
}

Test(http_import_wordpress, hostile_bodies_harmless_and_reported)
{
    expect_harmless("/rich-html-saved-by-an-author/");
    expect_harmless("/rich-html-saved-by-the-administrator/");
    cr_assert_not_null(import_out);
    cr_expect(strstr(import_out, "rich-html-saved-by-the-administrator"),
              "the report names the post: %s", import_out);
    cr_expect(strstr(import_out, "script"), "the report says a script was dropped: %s", import_out);
    cr_expect(strstr(import_out, "onerror"), "the report says onerror was dropped: %s", import_out);
}

Test(http_import_wordpress, shortcodes_listed_in_the_report)
{
    char *out = NULL, *errout = NULL;
    int rc = run_newsdesk(&out, &errout, "import", "wordpress",
                          "fuzz/corpus/import_wordpress/minimal.xml", "--db", srv.db, NULL);
    cr_assert_eq(rc, 0, "%s", errout ? errout : "");
    cr_expect(strstr(out, "[gallery]"), "the report lists the shortcode: %s", out);
    cr_expect(strstr(out, "nav_menu_item"), "%s", out);
    free(out);
    free(errout);
}

Test(http_import_wordpress, hostile_files_refused_nothing_written)
{
    const char *files[] = {"billion-laughs.xml", "external-entity.xml", "plain-rss.xml",
                           "truncated.xml"};
    char *before = db_query(&srv, snapshot_sql);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[256], *errout = NULL;
        snprintf(path, sizeof(path), "fuzz/corpus/import_wordpress/%s", files[i]);
        int rc = run_newsdesk(NULL, &errout, "import", "wordpress", path, "--db", srv.db, NULL);
        cr_expect_neq(rc, 0, "%s was imported", files[i]);
        cr_expect(errout && strstr(errout, files[i]), "the message names the file: %s",
                  errout ? errout : "");
        free(errout);
    }
    char *after = db_query(&srv, snapshot_sql);
    cr_expect_str_eq(before, after, "a refused file changed the database");
    free(before);
    free(after);
}
