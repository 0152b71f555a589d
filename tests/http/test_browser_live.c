/*
 * Live updates in a real browser (tests/browser/live.mjs): a story published through the
 * editor in one tab shows "1 new story" on the home page open in another within a second,
 * goes in at the top on a click without moving what was on screen, passes axe-core, goes
 * straight in for a reader at the top, and leaves the page when unpublished.
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

Test(http_browser_live, a_published_story_appears_without_moving_the_page)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    cr_expect_eq(node_run("tests/browser/live.mjs notice 'http://127.0.0.1:%d/' "
                          "'%s/build/artifacts/browser'",
                          srv.port, cwd),
                 0, "live.mjs notice failed (its checks are above)");
}
