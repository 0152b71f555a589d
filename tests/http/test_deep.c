/*
 * Deep pages start from in-memory page boundaries: they must match SQLite's OFFSET, also
 * after the writes that the boundaries are patched for rather than rebuilt.
 */
#include "harness.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

static void one_post_a_page(struct srv *s)
{
    cr_assert_eq(
        run_newsdesk(NULL, NULL, "settings", "set", "--db", s->db, "posts_per_page", "1", NULL), 0);
}

HTTP_SUITE(http_deep, srv, 120, .posts = 420, .before_start = one_post_a_page,
           .prepare_only = true);

/* The one teaser link of a page (posts_per_page is 1), or "404". */
static char *item(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    char *out;
    const char *mark = "class=\"teaser-title\"><a href=\"";
    const char *p = strstr(r.body, mark);
    if (r.status != 200 || !p)
        out = strdup(r.status == 404 ? "404" : "?");
    else
        out = strndup(p + strlen(mark), strcspn(p + strlen(mark), "\""));
    resp_free(&r);
    return out;
}

Test(http_deep, boundaries_match_offsets_and_follow_publishing)
{
    const char *pages[] = {"/page/299/", "/page/301/", "/page/350/",
                           "/page/420/", "/page/421/", "/tag/news-feed/page/320/"};
    enum { N = sizeof(pages) / sizeof(pages[0]) };
    char *plain[N], *fast[N];
    srv_start_with(&srv, "--cache-mb", "0"); /* no cache: every page is an OFFSET */
    for (int i = 0; i < N; i++)
        plain[i] = item(pages[i]);
    srv_stop(&srv);
    srv_start(&srv);
    for (int i = 0; i < N; i++) {
        fast[i] = item(pages[i]);
        cr_expect_str_eq(fast[i], plain[i], "%s", pages[i]);
    }
    cr_expect_str_eq(fast[4], "404");
    /* a new post shifts every page by one, at once */
    srv_add_post(&srv, "new.md", "---\ntitle: Shift everything\n---\nBody.\n");
    char *after = item("/page/351/");
    cr_expect_str_eq(after, plain[2], "/page/351/ now shows what /page/350/ showed");
    char *last = item("/page/421/");
    cr_expect_str_eq(last, plain[3]);
    srv_stop(&srv);
    free(after);
    free(last);
    for (int i = 0; i < N; i++) {
        free(plain[i]);
        free(fast[i]);
    }
}

/* What SQLite says is at offset of the whole feed (tag NULL) or a tag's, or "404". */
static char *expected(const char *tag, int offset)
{
    char *v = tag ? db_queryf(&srv,
                              "SELECT '/' || p.slug || '/' FROM post_tags x JOIN posts p"
                              " ON p.id = x.post_id WHERE x.tag_id = (SELECT id FROM tags"
                              " WHERE slug = '%s') AND x.feed_at IS NOT NULL"
                              " ORDER BY x.feed_at DESC, x.post_id DESC LIMIT 1 OFFSET %d",
                              tag, offset)
                  : db_queryf(&srv,
                              "SELECT '/' || slug || '/' FROM posts WHERE status = 'published'"
                              " AND type = 'post' ORDER BY published_at DESC, id DESC"
                              " LIMIT 1 OFFSET %d",
                              offset);
    if (!v[0]) {
        free(v);
        v = strdup("404");
    }
    return v;
}

/* Every deep page the index serves against SQLite's answer, after `what`. */
static void check_pages(const char *what)
{
    static const int pages[] = {300, 301, 305, 330, 360, 400, 419, 420, 421, 422, 423};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        char path[64];
        snprintf(path, sizeof(path), "/page/%d/", pages[i]);
        char *got = item(path), *want = expected(NULL, pages[i] - 1);
        cr_expect_str_eq(got, want, "%s: %s", what, path);
        free(got);
        free(want);
        snprintf(path, sizeof(path), "/tag/news-feed/page/%d/", pages[i]);
        got = item(path);
        want = expected("news-feed", pages[i] - 1);
        cr_expect_str_eq(got, want, "%s: %s", what, path);
        free(got);
        free(want);
    }
}

/* `newsdesk post update` of the post at offset of the whole feed with front matter fm. */
static void update_at(int offset, const char *fm)
{
    char *slug = expected(NULL, offset), text[512], path[SRV_PATH_MAX], *errout = NULL;
    cr_assert_neq(slug[0], '4', "no post at offset %d", offset);
    slug[strlen(slug) - 1] = '\0';
    snprintf(text, sizeof(text), "---\ntitle: Moved %d\n%s\n---\nBody.\n", offset, fm);
    srv_write(&srv, "update.md", text, path);
    int rc = run_newsdesk(NULL, &errout, "post", "update", "--db", srv.db, slug + 1, path, NULL);
    cr_assert_eq(rc, 0, "post update %s: %s", slug + 1, errout ? errout : "");
    free(errout);
    free(slug);
}

Test(http_deep, patched_boundaries_follow_every_kind_of_write)
{
    srv_start(&srv);
    check_pages("at start"); /* builds the boundaries of both lists */
    srv_add_post(&srv, "newest.md", "---\ntitle: Newest\ntags: [News Feed]\n---\nBody.\n");
    check_pages("a new post first");
    update_at(355, "tags: [News Feed]\npublished_at: 2026-11-30T10:00:00Z");
    check_pages("an old post moved up");
    update_at(330, "tags: [News Feed]\nstatus: draft");
    check_pages("a post unpublished");
    update_at(310, "tags: [Elsewhere]");
    check_pages("a post moved out of the tag");
    update_at(200, "tags: [News Feed]\npublished_at: 2001-01-01T00:00:00Z");
    check_pages("a post moved to the very end");
    srv_add_post(&srv, "old.md",
                 "---\ntitle: Oldest\ntags: [News Feed]\npublished_at: 2000-06-01T00:00:00Z\n"
                 "---\nBody.\n");
    check_pages("a post added last");
    srv_stop(&srv);
}
