/*
 * Ghost's plain text (html_to_plaintext): the fixture's html against the plaintext Ghost
 * 5.130 stored for the same post, and the rules one by one.
 */
#include "html/html.h"

#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static struct arena a;

static void setup(void)
{
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(html_plaintext, .init = setup, .fini = teardown, .timeout = 30);

static void check(const char *html, const char *want)
{
    struct str text;
    cr_assert_eq(html_to_plaintext(str_from(html), &a, &text, NULL), ERR_OK);
    cr_expect_str_eq(text.ptr, want, "from %s got %s", html, text.ptr);
}

Test(html_plaintext, blocks)
{
    check("<p>One</p><p>Two</p>", "One\n\nTwo");
    check("<p>a</p><h2 id=\"x\">Head</h2><p>b</p>", "a\n\n\nHead\n\nb");
    check("<p>a</p><h4>Head</h4><p>b</p>", "a\n\nHead\n\nb");
    check("<blockquote>Said.</blockquote><p>x</p>", "Said.\n\nx");
    check("<p>a<br>b</p>", "a\nb");
    check("<p>  a \n b  </p>", "a\nb");
    check("<p>x</p><hr><figure><img src=\"/a.png\"><figcaption>Cap</figcaption></figure><p>y</p>",
          "x\n\ny");
    check("<p>See <a href=\"https://e.org/\">the site</a>.</p>", "See the site.");
    check("<div>a</div><div>b</div>", "a\nb");
    check("<p>&lt;b&gt; &amp;</p><script>x</script>", "<b> &");
}

Test(html_plaintext, lists)
{
    check("<ul><li>a</li><li>b</li></ul>", " * a\n * b");
    check("<ol><li>a</li><li>b</li></ol>", " 1. a\n 2. b");
    check("<ol start=\"9\"><li>a</li><li>b</li></ol>", " 9.  a\n 10. b");
    check("<p>x</p><ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><p>y</p>",
          "x\n\n * a\n   * b\n * c\n\ny");
    check("<ul><li>a<br>b</li></ul>", " * a\n   b");
}

Test(html_plaintext, pre)
{
    check("<p>a</p><pre><code>x\n  y\n</code></pre><p>b</p>", "a\n\nx\n  y\n\n\nb");
}

Test(html_plaintext, ghost_fixtures)
{
    for (int i = 0; i < 10; i++) {
        char path[96];
        snprintf(path, sizeof(path), "tests/unit/html/fixtures/ghost-%02d.html", i);
        char *html = test_read_file(path, NULL);
        snprintf(path, sizeof(path), "tests/unit/html/fixtures/ghost-%02d.plaintext", i);
        char *want = test_read_file(path, NULL);
        struct str text;
        cr_assert_eq(html_to_plaintext(str_from(html), &a, &text, NULL), ERR_OK);
        cr_expect_str_eq(text.ptr, want, "%s", path);
        free(html);
        free(want);
    }
}
