/*
 * The editor's form tools in a real browser (tests/browser/form.mjs): the tag picker by
 * keyboard and the confirmation of a new tag, wide images at a desktop's and a phone's
 * width, the live word count, a draft's preview link, and axe-core on them.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#define EMAIL "desk@example.org"
#define PASSWORD "a long and private passphrase"

static struct srv srv;

static void administrator(struct srv *s)
{
    cr_assert_eq(staff_add(s, EMAIL, "Desk Editor", "administrator", PASSWORD), 0);
    srv_add_post(s, "seed.md", "---\ntitle: Seed\ntags: [Politics, Economy]\n---\nSeed.\n");
}

HTTP_SUITE(http_browser_form, srv, 300, .posts = 5, .before_start = administrator);

static int form(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/form.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser' '" EMAIL "' '" PASSWORD "'",
                    check, srv.port, cwd);
}

Test(http_browser_form, tags_are_picked_by_keyboard_and_new_ones_confirmed)
{
    cr_expect_eq(form("tags"), 0, "form.mjs tags failed (above)");
}

Test(http_browser_form, wide_images_hold_at_desktop_and_phone_widths)
{
    cr_expect_eq(form("wide"), 0, "form.mjs wide failed (above)");
}

Test(http_browser_form, the_word_count_follows_the_typing)
{
    cr_expect_eq(form("count"), 0, "form.mjs count failed (above)");
}

Test(http_browser_form, a_preview_link_opens_the_draft_noindex)
{
    cr_expect_eq(form("share"), 0, "form.mjs share failed (above)");
}

Test(http_browser_form, axe_wcag21_aa_on_the_pickers)
{
    cr_expect_eq(form("axe"), 0, "axe-core found violations in the editor's tools (above)");
}
