/*
 * The post list's bulk actions in a real browser (tests/browser/bulk.mjs): two drafts
 * ticked, published after the confirmation, on the home page; the list at a phone's width.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#define EMAIL "desk@example.org"
#define PASSWORD "a long and private passphrase"

static struct srv srv;

static void desk_with_drafts(struct srv *s)
{
    cr_assert_eq(staff_add(s, EMAIL, "Desk Editor", "administrator", PASSWORD), 0);
    srv_add_post(s, "a.md",
                 "---\ntitle: Ferry timetable changes\nstatus: draft\n---\nNew times.\n");
    srv_add_post(s, "b.md", "---\ntitle: Library opens late\nstatus: draft\n---\nUntil ten.\n");
}

HTTP_SUITE(http_browser_bulk, srv, 300, .posts = 20, .before_start = desk_with_drafts);

static int bulk(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/bulk.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser' '" EMAIL "' '" PASSWORD "'",
                    check, srv.port, cwd);
}

Test(http_browser_bulk, two_drafts_published_at_once_reach_the_home_page)
{
    cr_expect_eq(bulk("publish"), 0, "bulk.mjs publish failed (above)");
}

Test(http_browser_bulk, the_post_list_fits_a_phone)
{
    cr_expect_eq(bulk("phone"), 0, "the post list overflows at 360 px (above)");
}

Test(http_browser_bulk, axe_wcag21_aa_on_the_list_and_the_confirmation)
{
    cr_expect_eq(bulk("axe"), 0, "axe-core found violations (above)");
}
