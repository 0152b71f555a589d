/* Deep pages start from in-memory page boundaries: they must match SQLite's OFFSET. */
#include "harness.h"

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
