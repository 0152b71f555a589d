/*
 * The posts sitemap cut into files of 5,000: the index's files and their lastmods, kept in
 * memory with the feed's page boundaries, must say what SQLite says (the server without
 * its cache computes them there), also after a publish, an edit and an unpublish.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_sitemap_files, srv, 180, .posts = 5003, .prepare_only = true);

static char *get(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    char *body = r.status == 200 ? strdup(r.body) : strdup("404");
    resp_free(&r);
    return body;
}

static const char *const paths[] = {"/sitemap.xml", "/sitemap-posts.xml", "/sitemap-posts-2.xml",
                                    "/sitemap-posts-3.xml"};
enum { NPATHS = sizeof(paths) / sizeof(paths[0]) };

static void get_all(char *out[NPATHS])
{
    for (int i = 0; i < NPATHS; i++)
        out[i] = get(paths[i]);
}

/*
 * A write made while the cached server runs with its boundaries built (so they are
 * patched, not rebuilt): what it serves then must be what the server without a cache
 * computes in SQLite.
 */
static void check_write(const char *what, void (*write)(void))
{
    char *cached[NPATHS], *plain[NPATHS];
    srv_start(&srv);
    get_all(cached);
    for (int i = 0; i < NPATHS; i++)
        free(cached[i]);
    write();
    get_all(cached);
    srv_stop(&srv);
    srv_start_with(&srv, "--cache-mb", "0");
    get_all(plain);
    srv_stop(&srv);
    for (int i = 0; i < NPATHS; i++) {
        cr_expect_str_eq(cached[i], plain[i], "after %s: %s", what, paths[i]);
        free(cached[i]);
        free(plain[i]);
    }
}

static void update(const char *slug, const char *text)
{
    char path[SRV_PATH_MAX], *errout = NULL;
    srv_write(&srv, "update.md", text, path);
    cr_assert_eq(run_newsdesk(NULL, &errout, "post", "update", "--db", srv.db, slug, path, NULL), 0,
                 "post update %s: %s", slug, errout ? errout : "");
    free(errout);
}

static char oldest[128]; /* the slug of the oldest post, in file 2 */

static void edit_oldest(void)
{
    update(oldest, "---\ntitle: An old story, corrected\n---\nNew body.\n");
}

static void publish(void)
{
    srv_add_post(&srv, "new.md", "---\ntitle: Newest\n---\nBody.\n");
}

static void unpublish(void)
{
    update("newest", "---\ntitle: Gone\nstatus: draft\n---\nBody.\n");
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The <lastmod> the index gives file (e.g. "sitemap-posts-2.xml"). */
static char *index_lastmod(const char *index, const char *file)
{
    char mark[128];
    snprintf(mark, sizeof(mark), "/%s</loc><lastmod>", file);
    const char *p = strstr(index, mark);
    cr_assert(p, "%s is not in the index", file);
    p += strlen(mark);
    return strndup(p, strcspn(p, "<"));
}

Test(http_sitemap_files, files_and_lastmods_follow_writes)
{
    srv_start(&srv);
    char *idx = get("/sitemap.xml"), *one = get("/sitemap-posts.xml"),
         *two = get("/sitemap-posts-2.xml"), *three = get("/sitemap-posts-3.xml");
    srv_stop(&srv);
    cr_expect_eq(count(one, "<url>"), 5000);
    cr_expect_eq(count(two, "<url>"), 3);
    cr_expect_str_eq(three, "404");
    cr_expect_eq(count(idx, "sitemap-posts"), 2);
    const char *loc = strstr(two, "<loc>http://127.0.0.1:8080/");
    cr_assert(loc);
    loc += strlen("<loc>http://127.0.0.1:8080/");
    snprintf(oldest, sizeof(oldest), "%.*s", (int)strcspn(loc, "/"), loc);
    char *before = index_lastmod(idx, "sitemap-posts-2.xml");

    check_write("an edit of an old post", edit_oldest);
    srv_start(&srv);
    free(idx), free(two);
    idx = get("/sitemap.xml");
    two = get("/sitemap-posts-2.xml");
    srv_stop(&srv);
    char *after = index_lastmod(idx, "sitemap-posts-2.xml");
    cr_expect_str_gt(after, before, "an edit in file 2 moves its lastmod");
    char want[64];
    snprintf(want, sizeof(want), "<lastmod>%s</lastmod>", after);
    cr_expect(strstr(two, want), "the file's newest <lastmod> is the index's");

    check_write("a publish", publish);
    srv_start(&srv);
    free(two);
    two = get("/sitemap-posts-2.xml");
    srv_stop(&srv);
    cr_expect_eq(count(two, "<url>"), 4, "a publish moves one post into file 2");
    check_write("an unpublish", unpublish);
    free(before), free(after), free(idx), free(one), free(two), free(three);
}
