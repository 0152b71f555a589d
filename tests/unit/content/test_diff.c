#include "content/content.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

typedef enum err_code (*diff_fn)(struct str, struct str, struct arena *,
                                 struct content_diff_line **, size_t *, struct err *);

/* The diff fn gives as one string: "=a" kept, "+b" added, "-c" removed, joined by '|'. */
static const char *diff_by(diff_fn fn, const char *from, const char *to, struct arena *a)
{
    struct content_diff_line *v = NULL;
    size_t n = 99;
    struct err err = {0};
    cr_assert_eq(fn(str_from(from), str_from(to), a, &v, &n, &err), ERR_OK, "%s", err.msg);
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

static const char *diff_of(const char *from, const char *to, struct arena *a)
{
    return diff_by(content_diff_lines, from, to, a);
}

static const char *words_of(const char *from, const char *to, struct arena *a)
{
    return diff_by(content_diff_words, from, to, a);
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

/* n items "<word>i" each followed by end, with every seventh marked by `changed` when alt. */
static struct str numbered(size_t n, bool alt, const char *word, const char *changed,
                           const char *end, struct arena *ar)
{
    struct buf b;
    buf_init(&b, 1024 * 1024);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%zu%s%s", word, i, alt && i % 7 == 0 ? changed : "", end);
    struct str s = arena_str(ar, buf_str(&b));
    buf_release(&b);
    return s;
}

/* A text of n lines "line i" (with every seventh changed when alt). */
static struct str lines(size_t n, bool alt, struct arena *ar)
{
    return numbered(n, alt, "line ", " changed", "\n", ar);
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

/* ---- words ------------------------------------------------------------------------- */

Test(content_diff, a_changed_word_is_removed_then_added_in_its_place)
{
    cr_expect_str_eq(words_of("Winds of 20 m/s.", "Winds of 30 m/s.", &a),
                     "=Winds of |-20|+30|= m/s.");
}

Test(content_diff, identical_texts_are_one_kept_piece)
{
    cr_expect_str_eq(words_of("Schools closed.\nRoads open.", "Schools closed.\nRoads open.", &a),
                     "=Schools closed.\nRoads open.");
    cr_expect_str_eq(words_of("", "", &a), "");
}

Test(content_diff, insertions_and_deletions_of_words)
{
    cr_expect_str_eq(words_of("The council voted.", "The city council voted.", &a),
                     "=The |+city |=council voted.");
    cr_expect_str_eq(words_of("The city council voted.", "The council voted.", &a),
                     "=The |-city |=council voted.");
    cr_expect_str_eq(words_of("", "Breaking", &a), "+Breaking");
    cr_expect_str_eq(words_of("Breaking", "", &a), "-Breaking");
}

Test(content_diff, punctuation_is_a_word_of_its_own)
{
    cr_expect_str_eq(words_of("Storm, rain", "Storm; rain", &a), "=Storm|-,|+;|= rain");
    cr_expect_str_eq(words_of("Politics, Local", "Politics, World", &a),
                     "=Politics, |-Local|+World");
}

Test(content_diff, a_run_of_changes_reads_old_then_new)
{
    /* the kept space between the changed words ends neither side's run */
    cr_expect_str_eq(words_of("red fox", "blue cat", &a), "-red|+blue|= |-fox|+cat");
    cr_expect_str_eq(words_of("one two three", "one 2 3 three", &a), "=one |-two|+2 3|= three");
}

Test(content_diff, non_ascii_letters_stay_in_their_word)
{
    cr_expect_str_eq(words_of("Zürich café", "Zürich cafés", &a), "=Zürich |-café|+cafés");
}

/* n words "wI" (every seventh changed when alt), each followed by a space. */
static struct str words(size_t n, bool alt, struct arena *ar)
{
    return numbered(n, alt, "w", "x", " ", ar);
}

Test(content_diff, the_word_bound_counts_only_the_changed_middle)
{
    struct content_diff_line *v;
    size_t n;
    struct err err = {0};
    /* 1,000 words and their spaces: just under 2,000 tokens to compare, within the bound */
    struct str x = words(1000, false, &a), y = words(1000, true, &a);
    cr_assert_eq(content_diff_words(x, y, &a, &v, &n, &err), ERR_OK, "%s", err.msg);
    cr_expect_eq(v[0].op, CONTENT_DIFF_DEL);
    cr_expect(str_eq(v[0].text, STR_LIT("w0")));
    /* one more word in the middle is past the bound */
    struct str more = words(1001, true, &a);
    cr_expect_eq(content_diff_words(x, more, &a, &v, &n, &err), ERR_TOOBIG);
    cr_expect(strstr(err.msg, "2000"), "%s", err.msg);
    /* but a long text with one word changed compares: only the middle counts */
    struct str long1 = words(20000, false, &a);
    char *edited = arena_strndup(&a, long1.ptr, long1.len);
    edited[long1.len / 2] = 'Q';
    cr_expect_eq(content_diff_words(long1, str_from(edited), &a, &v, &n, &err), ERR_OK, "%s",
                 err.msg);
    cr_expect_eq(n, 4);
}
