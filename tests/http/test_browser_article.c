/*
 * Issue 15's browser acceptance: a breaking story with a standfirst, two bylines and a
 * correction, read in Debian's chromium at 360 px and 1,280 px (tests/browser/article.mjs),
 * then the quality gates on it (tests/browser/gates.mjs): axe-core, the Nu HTML Checker
 * and, in a suite of its own that tools/run-tests.sh runs alone, Lighthouse.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#define ARTICLE "/bridge-closed/"

static struct srv srv;

static void breaking_story(struct srv *s)
{
    cr_assert_eq(staff_add(s, "olena@example.org", "Olena Reporter", "author",
                           "a long and private passphrase"),
                 0);
    srv_add_post(s, "bridge.md",
                 "---\n"
                 "title: The river bridge is closed after a crack is found in a pier\n"
                 "slug: bridge-closed\n"
                 "excerpt: Engineers found the crack during a routine check; buses take the "
                 "long way round until at least Monday.\n"
                 "tags: [News Feed]\n"
                 "authors: [news-desk, olena-reporter]\n"
                 "published_at: 2026-11-20T13:00:00Z\n"
                 "breaking: true\n"
                 "correction: An earlier version of this story gave the wrong pier number.\n"
                 "---\n"
                 "The city closed the river bridge to all traffic on Friday afternoon after "
                 "engineers found a crack in its third pier.\n\n"
                 "Buses on routes 4 and 12 cross by the northern bridge instead, adding about "
                 "ten minutes to each trip. The council expects to say more on Monday.\n");
}

HTTP_SUITE(http_browser_article, srv, 300, .posts = 5, .before_start = breaking_story);
/* Lighthouse alone on a quiet machine (tools/run-tests.sh runs lighthouse* suites last) */
HTTP_SUITE(lighthouse_article, srv, 600, .posts = 5, .before_start = breaking_story);

/* `node tests/browser/SCRIPT WHAT URL ARTIFACTS [PATHS]`: its exit status. */
static int node(const char *script, const char *what, const char *path, const char *paths)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/%s %s 'http://127.0.0.1:%d%s' '%s/build/artifacts/"
                    "browser-article' %s",
                    script, what, srv.port, path, cwd, paths);
}

Test(http_browser_article, byline_standfirst_correction_and_banner_at_360_and_1280_px)
{
    cr_expect_eq(node("article.mjs", "layout", ARTICLE, ""), 0,
                 "article.mjs layout failed (its checks are above)");
}

Test(http_browser_article, copy_link_copies_and_announces)
{
    cr_expect_eq(node("article.mjs", "copy", ARTICLE, ""), 0,
                 "article.mjs copy failed (its checks are above)");
}

Test(http_browser_article, axe_wcag21_aa)
{
    cr_expect_eq(node("gates.mjs", "axe", "/", ARTICLE " /"), 0, "axe-core found violations");
}

Test(http_browser_article, nu_html_checker)
{
    cr_expect_eq(node("gates.mjs", "vnu", "/", ARTICLE " /"), 0,
                 "the Nu HTML Checker found errors");
}

Test(lighthouse_article, the_article_scores_at_least_095)
{
    cr_expect_eq(node("gates.mjs", "lighthouse", "/", ARTICLE), 0,
                 "a Lighthouse category is under 0.95 (scores above)");
}
