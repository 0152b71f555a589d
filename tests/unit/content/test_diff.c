#include "content/content.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/* The diff as one string: "=a" kept, "+b" added, "-c" removed, joined by '|'. */
static const char *diff_of(const char *from, const char *to, struct arena *a)
{
    struct content_diff_line *v = NULL;
    size_t n = 99;
    struct err err = {0};
    cr_assert_eq(content_diff_lines(str_from(from), str_from(to), a, &v, &n, &err), ERR_OK, "%s",
                 err.msg);
    static char out[4096];
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char op = v[i].op == CONTENT_DIFF_SAME ? '=' : v[i].op == CONTENT_DIFF_ADD ? '+' : '-';
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%c%.*s", i ? "|" : "", op,
                                (int)v[i].text.len, v[i].text.ptr);
    }
    return out;
}

static struct arena a;

static void setup(void)
{
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(content_diff, .init = setup, .fini = teardown);

Test(content_diff, identical_texts_keep_every_line)
{
    cr_expect_str_eq(diff_of("one\ntwo\nthree", "one\ntwo\nthree", &a), "=one|=two|=three");
}

Test(content_diff, an_insertion_is_one_added_line)
{
    cr_expect_str_eq(diff_of("one\nthree", "one\ntwo\nthree", &a), "=one|+two|=three");
    cr_expect_str_eq(diff_of("one", "zero\none", &a), "+zero|=one");
    cr_expect_str_eq(diff_of("one", "one\ntwo", &a), "=one|+two");
}

Test(content_diff, a_deletion_is_one_removed_line)
{
    cr_expect_str_eq(diff_of("one\ntwo\nthree", "one\nthree", &a), "=one|-two|=three");
    cr_expect_str_eq(diff_of("one\ntwo", "two", &a), "-one|=two");
}

Test(content_diff, a_changed_line_is_removed_then_added)
{
    cr_expect_str_eq(
        diff_of("Winds of 20 m/s.\nSchools closed.", "Winds of 30 m/s.\nSchools closed.", &a),
        "-Winds of 20 m/s.|+Winds of 30 m/s.|=Schools closed.");
}

Test(content_diff, crlf_and_lf_endings_compare_equal)
{
    cr_expect_str_eq(diff_of("one\r\ntwo\r\n", "one\ntwo\n", &a), "=one|=two");
    cr_expect_str_eq(diff_of("a\r\nb", "a\nc", &a), "=a|-b|+c");
}

Test(content_diff, empty_lines_are_lines_but_a_final_ending_is_not)
{
    cr_expect_str_eq(diff_of("a\n\nb\n", "a\nb", &a), "=a|-|=b");
}

Test(content_diff, an_empty_side_adds_or_removes_everything)
{
    cr_expect_str_eq(diff_of("", "one\ntwo", &a), "+one|+two");
    cr_expect_str_eq(diff_of("one\ntwo", "", &a), "-one|-two");
    cr_expect_str_eq(diff_of("", "", &a), "");
}

/* A text of n lines "line i" (with every seventh changed when alt). */
static struct str lines(size_t n, bool alt, struct arena *ar)
{
    struct buf b;
    buf_init(&b, 1024 * 1024);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "line %zu%s\n", i, alt && i % 7 == 0 ? " changed" : "");
    struct str s = arena_str(ar, buf_str(&b));
    buf_release(&b);
    return s;
}

Test(content_diff, the_largest_input_is_compared_and_one_more_line_is_refused)
{
    struct content_diff_line *v;
    size_t n;
    struct err err = {0};
    struct str x = lines(CONTENT_DIFF_LINES_MAX, false, &a);
    struct str y = lines(CONTENT_DIFF_LINES_MAX, true, &a);
    cr_assert_eq(content_diff_lines(x, y, &a, &v, &n, &err), ERR_OK);
    size_t changed = (CONTENT_DIFF_LINES_MAX + 6) / 7;
    cr_expect_eq(n, CONTENT_DIFF_LINES_MAX + changed);
    struct str big = lines(CONTENT_DIFF_LINES_MAX + 1, false, &a);
    cr_expect_eq(content_diff_lines(big, y, &a, &v, &n, &err), ERR_TOOBIG);
    cr_expect_eq(content_diff_lines(x, big, &a, &v, &n, &err), ERR_TOOBIG);
    cr_expect(strstr(err.msg, "2000"), "%s", err.msg);
}
