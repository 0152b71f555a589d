/*
 * Nothing typed is lost, in a real browser (tests/browser/editing.mjs): one test per way a
 * story used to disappear — a second editor's save, leaving the page, a tab that died, a
 * session that ended while writing — and the presence note.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#define PASSWORD "correct horse battery"

static struct srv srv;

static void two_editors(struct srv *s)
{
    cr_assert_eq(staff_add(s, "ana@example.org", "Ana Reporter", "editor", PASSWORD), 0);
    cr_assert_eq(staff_add(s, "ben@example.org", "Ben Editor", "editor", PASSWORD), 0);
}

HTTP_SUITE(http_browser_editing, srv, 300, .posts = 3, .before_start = two_editors);

static int editing(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/editing.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser' '%s'",
                    check, srv.port, cwd, srv.db);
}

Test(http_browser_editing, two_editors_the_second_save_is_refused_and_both_texts_shown)
{
    cr_expect_eq(editing("conflict"), 0, "editing.mjs conflict failed (above)");
}

Test(http_browser_editing, leaving_with_unsaved_text_asks_first)
{
    cr_expect_eq(editing("leave"), 0, "editing.mjs leave failed (above)");
}

Test(http_browser_editing, a_tab_that_died_after_autosave_lost_nothing)
{
    cr_expect_eq(editing("crash"), 0, "editing.mjs crash failed (above)");
}

Test(http_browser_editing, a_session_that_ended_while_writing_lost_nothing)
{
    cr_expect_eq(editing("expiry"), 0, "editing.mjs expiry failed (above)");
}

Test(http_browser_editing, two_editors_see_each_other)
{
    cr_expect_eq(editing("presence"), 0, "editing.mjs presence failed (above)");
}
