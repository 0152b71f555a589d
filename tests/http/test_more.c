/* "Show More": batches by cursor, while posts are published between clicks. */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_more, srv, 60, .posts = 40);

#define MAX_URLS 256

struct urls {
    char *v[MAX_URLS];
    size_t n;
};

static void collect(const struct resp *r, struct urls *u)
{
    const char *mark = "class=\"teaser-title\"><a href=\"";
    for (const char *p = strstr(r->body, mark); p; p = strstr(p, mark)) {
        p += strlen(mark);
        cr_assert(u->n < MAX_URLS);
        u->v[u->n++] = strndup(p, strcspn(p, "\""));
    }
}

/* data-more / data-next values are HTML-escaped: turn &amp; back into &. */
static char *unescape(char *s)
{
    char *w = s;
    for (char *p = s; *p; p++) {
        *w++ = *p;
        if (strncmp(p, "&amp;", 5) == 0)
            p += 4;
    }
    *w = '\0';
    return s;
}

static void add_post(const char *title, const char *when)
{
    char text[512];
    snprintf(text, sizeof(text),
             "---\ntitle: %s\npublished_at: %s\ntags: [News Feed]\n---\nBody of %s.\n", title, when,
             title);
    srv_add_post(&srv, "new.md", text);
}

static bool seen_twice(const struct urls *u)
{
    for (size_t i = 0; i < u->n; i++)
        for (size_t j = i + 1; j < u->n; j++)
            if (strcmp(u->v[i], u->v[j]) == 0)
                return true;
    return false;
}

static bool contains(const struct urls *u, const char *s)
{
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->v[i], s) == 0)
            return true;
    return false;
}

Test(http_more, cursor_neither_repeats_nor_skips_while_posts_arrive)
{
    struct urls seen = {0};
    struct resp home;
    http_req(&srv, "GET", "/", &home);
    collect(&home, &seen);
    cr_assert_eq(seen.n, 15);
    char *more = unescape(body_attr(&home, "data-more"));

    /* published after the page was loaded: must not show up in later batches */
    add_post("Fresh item one", "2026-11-25T08:00:00Z");
    add_post("Fresh item two", "2026-11-25T09:00:00Z");
    /* a late report dated inside the unseen part of the feed: must not be skipped */
    add_post("Late filed report", "2024-01-01T00:00:00Z");

    struct resp b1;
    http_req(&srv, "GET", more, &b1);
    cr_assert_eq(b1.status, 200);
    collect(&b1, &seen);
    cr_assert_eq(seen.n, 30);
    char *next = unescape(body_attr(&b1, "data-next"));
    cr_assert(next && *next, "a second batch is announced");

    struct resp b2;
    http_req(&srv, "GET", next, &b2);
    cr_assert_eq(b2.status, 200);
    collect(&b2, &seen);
    char *last = body_attr(&b2, "data-next");
    cr_assert(last && !*last, "no batch after the end");

    /* 40 demo posts + the late report; none of the fresh ones, none twice */
    cr_assert_eq(seen.n, 41, "saw %zu", seen.n);
    cr_assert(!seen_twice(&seen));
    cr_assert(contains(&seen, "/late-filed-report/"));
    cr_assert(!contains(&seen, "/fresh-item-one/"));

    /* a new page load starts from the newest */
    struct resp again;
    http_req(&srv, "GET", "/", &again);
    cr_assert(body_has(&again, "href=\"/fresh-item-two/\""));
    free(more);
    free(next);
    free(last);
    for (size_t i = 0; i < seen.n; i++)
        free(seen.v[i]);
    resp_free(&home);
    resp_free(&b1);
    resp_free(&b2);
    resp_free(&again);
}

Test(http_more, tag_batches_stay_in_the_tag)
{
    struct resp tag;
    http_req(&srv, "GET", "/tag/news-feed/", &tag);
    char *more = unescape(body_attr(&tag, "data-more"));
    cr_assert(more);
    struct resp b;
    http_req(&srv, "GET", more, &b);
    cr_assert_eq(b.status, 200);
    /* every teaser of a News Feed batch carries News Feed as its section or a tag */
    cr_assert(body_count(&b, "<li class=\"teaser\" data-id=") > 0);
    free(more);
    resp_free(&tag);
    resp_free(&b);
}

Test(http_more, bad_cursors_are_refused)
{
    const char *bad[] = {"/more/?before=abc",  "/more/?before=12",  "/more/?before=1.x",
                         "/more/?before=-1.5", "/more/?before=1.0", "/more/?before=%zz",
                         "/more/?exclude=abc"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct resp r;
        http_req(&srv, "GET", bad[i], &r);
        cr_expect_eq(r.status, 400, "%s: %d", bad[i], r.status);
        resp_free(&r);
    }
    struct resp r;
    http_req(&srv, "GET", "/more/?before=1.1&tag=no-such-tag", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
}
