/*
 * Photos in a real browser (tests/browser/photos.mjs and the Lighthouse gate of
 * tests/browser/gates.mjs) on an article with a feature image and three body photos made
 * in the test: the renditions the browser picks at 360 px and 1280 px, sizes on every
 * <img>, no layout shift, axe-core, the Nu HTML Checker, and Lighthouse's four categories
 * at 0.95 or more.
 */
#include "harness.h"
#include "photos.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

static struct srv srv;
static struct photo_story story;

static void before(struct srv *s)
{
    photo_story_add(s, &story);
}

HTTP_SUITE(http_browser_photos, srv, 300, .posts = 10, .before_start = before);
/* Lighthouse times the page's main thread: run alone, as tools/run-tests.sh runs its suites */
HTTP_SUITE(lighthouse_photos, srv, 600, .posts = 10, .before_start = before);

static int node(const char *script, const char *what)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/%s %s 'http://127.0.0.1:%d/' '%s/build/artifacts/photos' "
                    "/photo-story/",
                    script, what, srv.port, cwd);
}

Test(http_browser_photos, the_browser_picks_webp_or_avif_and_nothing_shifts)
{
    cr_expect_eq(node("photos.mjs", "picks"), 0, "photos.mjs picks failed (its checks are above)");
}

Test(http_browser_photos, axe_wcag21_aa_on_the_photo_article)
{
    cr_expect_eq(node("photos.mjs", "axe"), 0, "axe-core found violations (above)");
}

Test(http_browser_photos, nu_html_checker_on_the_photo_article)
{
    cr_expect_eq(node("gates.mjs", "vnu"), 0, "the Nu HTML Checker found errors (above)");
}

Test(lighthouse_photos, the_photo_article_scores_095_everywhere)
{
    cr_expect_eq(node("gates.mjs", "lighthouse"), 0,
                 "a Lighthouse category is under 0.95 on the photo article (scores above)");
}
