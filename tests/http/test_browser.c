/*
 * The reader's experience in a real browser: Debian's chromium driven by playwright-core
 * (tests/browser/reader.mjs) and the quality gates (tests/browser/gates.mjs: axe-core,
 * the Nu HTML Checker, Lighthouse), against the real server. One Criterion test per check,
 * so a failure names what broke; the scripts print each failed check above it.
 *
 * Screenshots, reports and the checked HTML go to build/artifacts/; the phone screenshots
 * of the home page and an article, as the README shows them, go to NEWSDESK_SCREENSHOTS:
 * build/screenshots/ unless `make screenshots` names docs/screenshots/ (so that a test run
 * leaves the checkout as it was).
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct srv srv;

/* The demo site: 40 posts, the newest dated 2026-11-20T12:00:00Z (harness.c), so
 * page 1 holds 15, Show More adds 15 and then the last 10. */
HTTP_SUITE(http_browser, srv, 300, .posts = 40);
/* Lighthouse times the page's main thread: tools/run-tests.sh runs this suite alone, after
 * the others, so their load does not count against the page */
HTTP_SUITE(lighthouse, srv, 600, .posts = 40);

/*
 * The bad-input data set (tests/browser/fixtures/): a 298-byte headline, a 120-letter word,
 * Arabic, Hebrew and Cyrillic posts, a post with no excerpt or body, a tag with one post
 * and an author with no avatar and no bio. The CLI has no command for authors yet, so that
 * one is written with the SQLite shell, before the server starts.
 */
static void bad_input(struct srv *s)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd),
             "sqlite3 '%s' \"INSERT INTO users(slug, name, created_at, updated_at) "
             "VALUES('bare-author', 'Оксана Без-Аватара', 0, 0)\"",
             s->db);
    cr_assert_eq(system(cmd), 0, "cannot add the bare author");
    snprintf(cmd, sizeof(cmd), "'%s' post add --db '%s' tests/browser/fixtures/*.md >/dev/null",
             getenv("NEWSDESK_BIN") ? getenv("NEWSDESK_BIN") : "build/test/newsdesk", s->db);
    cr_assert_eq(system(cmd), 0, "cannot add the fixtures");
}

HTTP_SUITE(http_browser_bad, srv, 300, .before_start = bad_input);

/* Runs `node tests/browser/SCRIPT WHAT URL ARTIFACTS [more]`; returns its exit status. */
static int node(const char *script, const char *what, const char *artifacts, const char *more)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/%s %s 'http://127.0.0.1:%d/' '%s/build/artifacts/%s' %s", script,
                    what, srv.port, cwd, artifacts, more ? more : "");
}

#define READER(name, check)                                                                        \
    Test(http_browser, name)                                                                       \
    {                                                                                              \
        cr_expect_eq(node("reader.mjs", check, "browser", NULL), 0,                                \
                     "reader.mjs %s failed (its checks are above)", check);                        \
    }

READER(show_more_appends_focuses_and_announces, "show-more")
READER(no_javascript_pages_through_links, "no-js")
READER(article_shows_every_part, "article")
READER(not_found_page, "not-found")
READER(page_weight_and_render_blocking, "budget")
READER(reading_comfort, "comfort")

Test(http_browser, phone_and_desktop_screenshots)
{
    char readme[600], cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    const char *dir = getenv("NEWSDESK_SCREENSHOTS");
    if (dir)
        snprintf(readme, sizeof(readme), "'%s'", dir);
    else
        snprintf(readme, sizeof(readme), "'%s/build/screenshots'", cwd);
    cr_expect_eq(node("reader.mjs", "viewports", "browser", readme), 0,
                 "reader.mjs viewports failed (its checks are above)");
}

Test(http_browser, axe_wcag21_aa)
{
    cr_expect_eq(node("gates.mjs", "axe", "browser", NULL), 0, "axe-core found violations");
}

Test(http_browser, nu_html_checker)
{
    cr_expect_eq(node("gates.mjs", "vnu", "browser", NULL), 0, "the Nu HTML Checker found errors");
}

Test(lighthouse, mobile_home_article_tag_author)
{
    cr_expect_eq(node("gates.mjs", "lighthouse", "browser", NULL), 0,
                 "a Lighthouse category is under 0.95 (scores above)");
}

Test(http_browser_bad, layout_holds_at_360px)
{
    cr_expect_eq(node("reader.mjs", "overflow", "browser-bad", NULL), 0,
                 "a page of the bad-input data set overflows (above)");
}

static const char *const bad_pages = "/ /long-headline/ /long-word/ /arabic-metro/ /hebrew-metro/ "
                                     "/kyiv-metro/ /no-excerpt/ /tag/odna-tema/ "
                                     "/author/bare-author/";

Test(http_browser_bad, axe_wcag21_aa)
{
    cr_expect_eq(node("gates.mjs", "axe", "browser-bad", bad_pages), 0,
                 "axe-core found violations");
}

Test(http_browser_bad, nu_html_checker)
{
    cr_expect_eq(node("gates.mjs", "vnu", "browser-bad", bad_pages), 0,
                 "the Nu HTML Checker found errors");
}
