#include "content/content.h"

#include <criterion/criterion.h>
#include <string.h>

static struct arena a;

static void setup(void)
{
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
}

static void expect_excerpt(const char *custom, const char *text, size_t max, const char *want)
{
    struct str got = content_excerpt(str_from(custom), str_from(text), max, &a);
    cr_expect(str_eq_cstr(got, want), "excerpt(\"%s\", %zu): \"%.*s\", want \"%s\"", text, max,
              (int)got.len, got.ptr, want);
    cr_expect_eq(got.ptr[got.len], '\0');
}

TestSuite(content_excerpt, .init = setup, .fini = teardown);

Test(content_excerpt, custom_wins)
{
    expect_excerpt("  Custom teaser \n", "Plain text", 5, "Custom teaser");
    /* returned as written: no cut, no collapsing inside */
    expect_excerpt("A  long   custom excerpt", "x", 3, "A  long   custom excerpt");
    /* blank custom excerpt: the plain text is used */
    expect_excerpt(" \t\n", "Plain text", 50, "Plain text");
}

Test(content_excerpt, no_cut)
{
    expect_excerpt("", "Hello world", 50, "Hello world");
    expect_excerpt("", "The quick", 9, "The quick");
    expect_excerpt("", "The quick   \n", 9, "The quick");
    expect_excerpt("", "   leading", 20, "leading");
    expect_excerpt("", "Hello\n\n  world\t!", 50, "Hello world !");
    expect_excerpt("", "", 10, "");
    expect_excerpt("", " \n\t ", 10, "");
}

Test(content_excerpt, cut_at_word_boundary)
{
    /* "The quick br" would split "brown": back to the space, then "…" */
    expect_excerpt("", "The quick brown fox", 12, "The quick…");
    /* the limit falls on a space */
    expect_excerpt("", "The quick brown", 9, "The quick…");
    expect_excerpt("", "The quick\n\nbrown", 10, "The quick…");
    /* collapsing happens before counting: "a b c d" is 7 characters */
    expect_excerpt("", "a \n\n b \t c   d e", 7, "a b c d…");
    /* one word longer than the limit is cut inside */
    expect_excerpt("", "Supercalifragilistic", 5, "Super…");
    expect_excerpt("", "Supercalifragilistic word", 5, "Super…");
    expect_excerpt("", "anything", 0, "");
}

Test(content_excerpt, counts_code_points)
{
    /* 10 characters are "Київ — стол", inside a word: back to the space after "—" */
    expect_excerpt("", "Київ — столиця України", 10, "Київ —…");
    expect_excerpt("", "Київ — столиця України", 14, "Київ — столиця…");
    expect_excerpt("", "Київ — столиця України", 22, "Київ — столиця України");
    /* no spaces in Chinese: cut at the limit, between characters */
    expect_excerpt("", "我爱北京天安门", 3, "我爱北…");
    /* four-byte characters */
    expect_excerpt("", "😀😀😀😀", 2, "😀😀…");
    /* a bad byte becomes U+FFFD, one character */
    expect_excerpt("",
                   "ab\xFF"
                   "cd",
                   3, "ab\xEF\xBF\xBD…");
    expect_excerpt("", "ab\xFF", 10, "ab\xEF\xBF\xBD");
}

Test(content_excerpt, never_splits_a_character)
{
    /* every limit on a text of two-, three- and four-byte characters gives valid UTF-8 */
    const char *text = "ґ日😀 ґ日😀 ґ日😀 ґґґґ 日日日 😀😀😀";
    for (size_t max = 0; max < 30; max++) {
        struct str got = content_excerpt(STR_NULL, str_from(text), max, &a);
        cr_expect(utf8_valid(got.ptr, got.len), "max %zu", max);
        size_t chars = 0;
        for (size_t i = 0; i < got.len; i++)
            chars += ((unsigned char)got.ptr[i] & 0xC0) != 0x80;
        cr_expect_leq(chars, max + 1, "max %zu: %zu characters", max, chars);
    }
}

Test(content_excerpt, huge_limit)
{
    expect_excerpt("", "short", SIZE_MAX, "short");
    struct str got = content_excerpt(STR_NULL, STR_NULL, 10, &a);
    cr_expect_eq(got.len, 0);
}

Test(content_excerpt, no_punctuation_before_the_ellipsis)
{
    struct arena ar;
    arena_init(&ar);
    struct str out =
        content_excerpt(STR_NULL, STR_LIT("The mayor said so. Then she left the hall."), 19, &ar);
    cr_assert(str_eq_cstr(out, "The mayor said so…"), "got '%.*s'", (int)out.len, out.ptr);
    arena_release(&ar);
}
