/*
 * The newsroom in a real browser (tests/browser/newsroom.mjs): what the README tells a new
 * user to do — an administrator made with `newsdesk user add`, a first post written and
 * published in the browser — a reader's tip on its way to the inbox, and axe-core, the Nu
 * HTML Checker and a phone's width on the newsroom's own pages.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define EMAIL "you@example.org"
#define PASSWORD "a long and private passphrase"

static struct srv srv;

static void administrator(struct srv *s)
{
    cr_assert_eq(staff_add(s, EMAIL, "Your Name", "administrator", PASSWORD), 0);
}

HTTP_SUITE(http_browser_newsroom, srv, 300, .posts = 20, .before_start = administrator);

static int newsroom(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/newsroom.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser' '" EMAIL "' '" PASSWORD "'",
                    check, srv.port, cwd);
}

Test(http_browser_newsroom, a_first_post_from_the_readme_in_the_browser)
{
    cr_expect_eq(newsroom("first-post"), 0, "newsroom.mjs first-post failed (above)");
}

Test(http_browser_newsroom, a_readers_tip_reaches_the_inbox_escaped)
{
    cr_expect_eq(newsroom("tips"), 0, "newsroom.mjs tips failed (above)");
}

Test(http_browser_newsroom, axe_wcag21_aa_on_the_newsroom)
{
    cr_expect_eq(newsroom("axe"), 0, "axe-core found violations in the newsroom (above)");
}

Test(http_browser_newsroom, the_newsroom_fits_a_phone)
{
    cr_expect_eq(newsroom("phone"), 0, "a newsroom page overflows at 360 px (above)");
}

Test(http_browser_newsroom, nu_html_checker_on_the_newsroom)
{
    cr_expect_eq(newsroom("vnu"), 0, "the Nu HTML Checker found errors in the newsroom (above)");
}
