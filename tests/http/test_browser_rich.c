/*
 * The post editor's rich-text mode in a real browser (tests/browser/rich.mjs): Markdown
 * round-trips through it byte for byte, what is typed in it is saved as Markdown, pasted
 * word-processor HTML is cleaned and never runs, a post it cannot hold stays in Markdown,
 * and axe-core and a phone's width on the editor in rich mode.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EMAIL "rich@example.org"
#define PASSWORD "a long and private passphrase"

static struct srv srv;

static void editor_account(struct srv *s)
{
    cr_assert_eq(staff_add(s, EMAIL, "Rich Editor", "editor", PASSWORD), 0);
}

HTTP_SUITE(http_browser_rich, srv, 300, .posts = 2, .before_start = editor_account);

static int rich(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/rich.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser' '" EMAIL "' '" PASSWORD "'",
                    check, srv.port, cwd);
}

Test(http_browser_rich, canonical_markdown_round_trips_byte_for_byte)
{
    cr_expect_eq(rich("round-trip"), 0, "rich.mjs round-trip failed (above)");
}

Test(http_browser_rich, a_post_typed_in_rich_text_is_saved_as_markdown)
{
    cr_expect_eq(rich("typed"), 0, "rich.mjs typed failed (above)");
}

Test(http_browser_rich, pasted_word_processor_html_is_cleaned_and_never_runs)
{
    cr_expect_eq(rich("paste"), 0, "rich.mjs paste failed (above)");
}

Test(http_browser_rich, a_table_keeps_the_post_in_markdown)
{
    cr_expect_eq(rich("refuse"), 0, "rich.mjs refuse failed (above)");
}

Test(http_browser_rich, axe_wcag21_aa_on_the_rich_editor)
{
    cr_expect_eq(rich("axe"), 0, "axe-core found violations in the rich editor (above)");
}

Test(http_browser_rich, the_rich_editor_fits_a_phone)
{
    cr_expect_eq(rich("phone"), 0, "the rich editor overflows at 360 px (above)");
}
