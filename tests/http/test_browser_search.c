/*
 * The reader's search in a real browser (tests/browser/search.mjs): suggestions under the
 * header's box as one types, Enter to the results page, axe-core on the results page
 * (light and dark, phone and desktop), and everything without JavaScript.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

static struct srv srv;

/* Twelve stories with one word in common: more than a page of results. */
static void wombats(struct srv *s)
{
    for (int i = 0; i < 12; i++) {
        char name[32], text[256];
        snprintf(name, sizeof(name), "w%d.md", i);
        snprintf(text, sizeof(text),
                 "---\ntitle: Wombat report %d\nslug: wombat-%d\ntags: [News Feed]\n"
                 "published_at: 2026-11-%02dT08:00:00Z\n---\nA wombat was seen near the "
                 "river bridge, the %d-th this month.\n",
                 i, i, i + 1, i);
        srv_add_post(s, name, text);
    }
}

HTTP_SUITE(http_browser_search, srv, 300, .posts = 5, .before_start = wombats);

static int search(const char *what)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/search.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser-search'",
                    what, srv.port, cwd);
}

Test(http_browser_search, typing_suggests_and_enter_opens_the_results)
{
    cr_expect_eq(search("type"), 0, "search.mjs type failed (its checks are above)");
}

Test(http_browser_search, axe_wcag21_aa_on_results_light_dark_phone_desktop)
{
    cr_expect_eq(search("axe"), 0, "axe-core found violations (above)");
}

Test(http_browser_search, works_without_javascript)
{
    cr_expect_eq(search("no-js"), 0, "search.mjs no-js failed (its checks are above)");
}
