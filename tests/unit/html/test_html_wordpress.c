/*
 * WordPress's post_content made ready for html_to_markdown (html_wp_prepare): block
 * comments, shortcodes, wpautop, and the fixture's block-editor post through to Markdown.
 */
#include "html/html.h"
#include "content/content.h"

#include "support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
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

TestSuite(html_wp, .init = setup, .fini = teardown, .timeout = 30);

static const char *prep(const char *in, struct html_report *rep)
{
    struct err err = {ERR_OK, ""};
    struct str out;
    cr_assert_eq(html_wp_prepare(str_from(in), &a, &out, rep, &err), ERR_OK, "%s", err.msg);
    return out.ptr;
}

static void check(const char *in, const char *want)
{
    const char *got = prep(in, NULL);
    cr_expect_str_eq(got, want, "from %s got %s", in, got);
}

static const char *to_md(const char *in, struct html_report *rep)
{
    struct str md;
    cr_assert_eq(html_to_markdown(str_from(prep(in, rep)), NULL, &a, &md, rep, NULL), ERR_OK);
    return md.ptr;
}

static size_t count_of(const struct html_report *r, const char *what)
{
    for (size_t i = 0; i < r->nkinds; i++) {
        if (strcmp(r->kinds[i].what, what) == 0)
            return r->kinds[i].count;
    }
    return 0;
}

Test(html_wp, autop_paragraphs_and_breaks)
{
    check("First line\nsecond line\n\nNext paragraph", "<p>First line<br />\nsecond line</p>\n"
                                                       "<p>Next paragraph</p>\n");
    check("<p>Already</p>\n\n<p>wrapped</p>", "<p>Already</p><p>wrapped</p>");
    check("Text\n<ul>\n<li>Item</li>\n</ul>\nAfter",
          "<p>Text</p>\n<ul><li>Item</li></ul><p>After</p>\n");
    check("<blockquote>Quoted</blockquote>", "<blockquote><p>Quoted</p>\n</blockquote>");
    check("a<br />\nb", "<p>a<br />b</p>\n");
    check("<em>x</em>\n<strong>y</strong>", "<p><em>x</em><br />\n<strong>y</strong></p>\n");
    check("1 < 2\n\n3", "<p>1 < 2</p>\n<p>3</p>\n");
}

Test(html_wp, autop_leaves_pre_alone)
{
    check("Code:\n\n<pre>line 1\n\nline 2\n</pre>\n\nafter",
          "<p>Code:</p>\n<pre>line 1\n\nline 2\n</pre><p>after</p>\n");
    const char *md = to_md("Code:\n\n<pre>line 1\n\nline 2\n</pre>\n\nafter", NULL);
    cr_expect_str_eq(md, "Code:\n\n```\nline 1\n\nline 2\n```\n\nafter");
}

Test(html_wp, block_posts_are_not_autopd)
{
    check(
        "<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator /-->",
        "\n<p>One\ntwo</p>\n\n\n");
    check("<!-- a comment -->text", "<!-- a comment --><p>text</p>\n");
}

Test(html_wp, captions)
{
    check("[caption id=\"attachment_73\" align=\"alignnone\" width=\"300\"]<img src=\"/a.png\" "
          "alt=\"Embankment\" /> The embankment[/caption]",
          "<figure><img src=\"/a.png\" alt=\"Embankment\" /><figcaption>The "
          "embankment</figcaption></figure>");
    cr_expect_str_eq(
        to_md("[caption id=\"x\" width=\"300\"]<a href=\"/big.png\"><img src=\"/a.png\" "
              "alt=\"E\" /></a> The <em>embankment</em>[/caption]",
              NULL),
        "[![E](/a.png \"The embankment\")](/big.png)");
    cr_expect_str_eq(
        to_md("[caption caption=\"Old style\"]<img src=\"/a.png\" alt=\"E\">[/caption]", NULL),
        "![E](/a.png \"Old style\")");
}

Test(html_wp, shortcodes)
{
    struct html_report r = {0};
    const char *md =
        to_md("Before [gallery ids=\"1,2\"] and [contact-form-7 id=\"5\" title=\"C\"]\n\n"
              "[audio src=\"/a.mp3\"][/audio][su_note]Kept text[/su_note] after\n\n"
              "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]",
              &r);
    cr_expect_str_eq(md, "Before and\n\nKept text after\n\n"
                         "[https://www.youtube.com/watch?v=dQw4w9WgXcQ](https://www.youtube.com/"
                         "watch?v=dQw4w9WgXcQ)");
    cr_expect_eq(count_of(&r, "[gallery]"), 1);
    cr_expect_eq(count_of(&r, "[contact-form-7]"), 1);
    cr_expect_eq(count_of(&r, "[audio]"), 1);
    cr_expect_eq(count_of(&r, "[su_note]"), 1);
    cr_expect_eq(count_of(&r, "[embed]"), 1);
    struct str html, text;
    cr_assert_eq(content_markdown_render(str_from(md), NULL, &a, &html, &text, NULL), ERR_OK);
    cr_expect(strstr(html.ptr, "data-embed=") != NULL, "%s", html.ptr);
}

Test(html_wp, brackets_that_are_not_shortcodes)
{
    struct html_report r = {0};
    const char *out = prep("A footnote[1], [sic], [Editor's note], [a] b [/x], [[gallery]] and "
                           "arr[i] = [0-9]",
                           &r);
    cr_expect_str_eq(out, "<p>A footnote[1], [sic], [Editor's note], [a] b [/x], [gallery] and "
                          "arr[i] = [0-9]</p>\n");
    cr_expect_eq(r.total, 0);
}

Test(html_wp, fixture_block_post)
{
    char *in = test_read_file("tests/unit/html/fixtures/wp-74.content", NULL);
    const char *md = to_md(in, NULL);
    cr_expect_str_eq(
        md, "Written in the block editor, with [a link](https://example.org/).\n\n"
            "## What we know\n\n"
            "- Two districts affected\n- Repairs under way\n\n"
            "> It will take a week.\n>\n> City engineer\n\n"
            "![Embankment](http://127.0.0.1:18082/wp-content/uploads/2024/10/"
            "dnipro-evening.png \"The embankment\")\n\n"
            "```\nif (a[b[0]]>1) { return; }  /* curl http://127.0.0.1:18082/feed/ */\n```");
    free(in);
}

Test(html_wp, fixture_hostile_posts)
{
    const char *names[] = {"tests/unit/html/fixtures/wp-75.content",
                           "tests/unit/html/fixtures/wp-76.content"};
    for (size_t i = 0; i < 2; i++) {
        char *in = test_read_file(names[i], NULL);
        struct html_report r = {0};
        const char *md = to_md(in, &r);
        struct str html, text;
        cr_assert_eq(content_markdown_render(str_from(md), NULL, &a, &html, &text, NULL), ERR_OK);
        cr_expect(strstr(html.ptr, "<script") == NULL && strstr(html.ptr, "onerror=") == NULL, "%s",
                  html.ptr);
        cr_expect(strstr(html.ptr, "<li>Step two</li>") != NULL, "%s", html.ptr);
        cr_expect(strstr(md, "Closing paragraph: ampersand & angle brackets \\<b> kept as text.") !=
                      NULL,
                  "%s", md);
        free(in);
    }
}

Test(html_wp, limits)
{
    struct str out;
    char *big = test_repeat("a", HTML_INPUT_MAX + 1);
    cr_expect_eq(html_wp_prepare(str_from(big), &a, &out, NULL, NULL), ERR_TOOBIG);
    free(big);
    char *many = test_repeat("a\n", 100000);
    cr_assert_eq(html_wp_prepare(str_from(many), &a, &out, NULL, NULL), ERR_OK);
    free(many);
    char *open = test_repeat("[gallery x=\"1\"][caption]", 20000);
    cr_assert_eq(html_wp_prepare(str_from(open), &a, &out, NULL, NULL), ERR_OK);
    free(open);
}
