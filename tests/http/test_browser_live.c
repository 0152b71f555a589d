/*
 * Live updates in a real browser (tests/browser/live.mjs): a story published through the
 * editor in one tab shows "1 new story" on the home page open in another within a second,
 * goes in at the top on a click without moving what was on screen, passes axe-core, goes
 * straight in for a reader at the top, and leaves the page when unpublished; a hidden tab
 * takes up where it left off when shown again, on a phone.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

static struct srv srv;

static void an_editor(struct srv *s)
{
    cr_assert_eq(staff_add(s, "eda@example.org", "Eda Editor", "editor", "correct horse battery"),
                 0);
}

/* twenty stories: a feed longer than the screen, so the reader can be inside it */
HTTP_SUITE(http_browser_live, srv, 300, .posts = 20, .before_start = an_editor);

static int live(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/live.mjs %s 'http://127.0.0.1:%d/' '%s/build/artifacts/browser'",
                    check, srv.port, cwd);
}

Test(http_browser_live, a_published_story_appears_without_moving_the_page)
{
    cr_expect_eq(live("notice"), 0, "live.mjs notice failed (its checks are above)");
}

Test(http_browser_live, a_hidden_tab_catches_up_when_shown_on_a_phone)
{
    cr_expect_eq(live("hidden"), 0, "live.mjs hidden failed (its checks are above)");
}
