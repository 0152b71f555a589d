/*
 * HTML to Markdown (html/html.h): the allowlist, escaping, the report, and the real bodies
 * of the Ghost and WordPress exports (tests/unit/html/fixtures/, copied from the exports by
 * extract.py), each converted and then rendered by content/ to check what readers get.
 */
#include "html/html.h"
#include "html/html_int.h"
#include "content/content.h"

#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct arena a;

static void setup(void)
{
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(html_markdown, .init = setup, .fini = teardown, .timeout = 60);

static const char *md_of(const char *html, struct html_report *rep)
{
    struct err err = {ERR_OK, ""};
    struct str md;
    enum err_code rc = html_to_markdown(str_from(html), NULL, &a, &md, rep, &err);
    cr_assert_eq(rc, ERR_OK, "%s", err.msg);
    return md.ptr;
}

static const char *render(const char *md)
{
    struct err err = {ERR_OK, ""};
    struct str html, text;
    enum err_code rc = content_markdown_render(str_from(md), NULL, &a, &html, &text, &err);
    cr_assert_eq(rc, ERR_OK, "%s: %s", err.msg, md);
    return html.ptr;
}

/* html → Markdown must be want; that Markdown rendered must be rendered (when given). */
static void check(const char *html, const char *want, const char *rendered)
{
    const char *md = md_of(html, NULL);
    cr_expect_str_eq(md, want, "from %s", html);
    if (rendered)
        cr_expect_str_eq(render(md), rendered, "from %s", md);
}

static size_t count_of(const struct html_report *r, const char *what)
{
    for (size_t i = 0; i < r->nkinds; i++) {
        if (strcmp(r->kinds[i].what, what) == 0)
            return r->kinds[i].count;
    }
    return 0;
}

Test(html_markdown, paragraphs_and_headings)
{
    check("<p>One</p><p>Two</p>", "One\n\nTwo", "<p>One</p>\n<p>Two</p>\n");
    check("<h2 id=\"code\">Code</h2><p>x</p>", "## Code\n\nx", "<h2>Code</h2>\n<p>x</p>\n");
    check("<h7>x</h7>", "x", NULL);
    check("<p>  a \n b  </p>", "a b", NULL);
    check("<p></p><h3></h3><p>x</p>", "x", NULL);
    check("bare text<p>para</p>tail", "bare text\n\npara\n\ntail", NULL);
}

Test(html_markdown, emphasis_and_spaces)
{
    check("<p>a<strong> bold </strong>b</p>", "a **bold** b", "<p>a <strong>bold</strong> b</p>\n");
    check("<p><b>x</b><i>y</i><em></em><s>z</s><del>w</del></p>", "**x***y*~~z~~~~w~~", NULL);
    check("<p><strong></strong></p><p>x</p>", "x", NULL);
    check("<p><code>inline code</code> and <code>a`b</code></p>", "`inline code` and ``a`b``",
          "<p><code>inline code</code> and <code>a`b</code></p>\n");
    check("<p><code>`x`</code></p>", "`` `x` ``", "<p><code>`x`</code></p>\n");
}

Test(html_markdown, escaping_keeps_text_text)
{
    check("<p>*not* _em_ [x](y) &lt;b&gt;bold&lt;/b&gt; a\\b ~~s~~ `c`</p>",
          "\\*not\\* \\_em\\_ \\[x\\](y) \\<b>bold\\</b> a\\\\b \\~\\~s\\~\\~ \\`c\\`",
          "<p>*not* _em_ [x](y) &lt;b&gt;bold&lt;/b&gt; a\\b ~~s~~ `c`</p>\n");
    check("<p># not a heading</p><p>1. not a list</p><p>- no</p><p>&gt; no</p><p>+ no</p>",
          "\\# not a heading\n\n1\\. not a list\n\n\\- no\n\n\\> no\n\n\\+ no", NULL);
    check("<p>a<br>1. b<br>## c</p>", "a\\\n1\\. b\\\n\\## c",
          "<p>a<br />\n1. b<br />\n## c</p>\n");
    check("<p>&amp;copy; &amp;#65; AT&amp;T</p>", "\\&copy; \\&#65; AT\\&T",
          "<p>&amp;copy; &amp;#65; AT&amp;T</p>\n");
    check("<p>a | b</p>", "a \\| b", NULL);
}

Test(html_markdown, breaks_and_rules)
{
    check("<p>a<br>b<br><br></p>", "a\\\nb", "<p>a<br />\nb</p>\n");
    check("<p><br>a</p><hr><p>b</p>", "a\n\n---\n\nb", "<p>a</p>\n<hr />\n<p>b</p>\n");
    check("<h2>a<br>b</h2>", "## a b", NULL);
}

Test(html_markdown, quotes)
{
    check("<blockquote>Said.</blockquote>", "> Said.",
          "<blockquote>\n<p>Said.</p>\n</blockquote>\n");
    check("<blockquote><p>a</p><p>b</p></blockquote><p>c</p>", "> a\n>\n> b\n\nc", NULL);
    check("<blockquote>a</blockquote><blockquote>b</blockquote>", "> a\n\n> b",
          "<blockquote>\n<p>a</p>\n</blockquote>\n<blockquote>\n<p>b</p>\n</blockquote>\n");
    check("<blockquote><blockquote>deep</blockquote></blockquote>", "> > deep", NULL);
}

Test(html_markdown, lists)
{
    check("<ul><li>a</li><li>b</li></ul>", "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    check("<ol start=\"3\"><li>a</li><li>b</li></ol>", "3. a\n4. b",
          "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n");
    check("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c",
          "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>\n");
    check("<ul><li>a</li></ul><ul><li>b</li></ul>", "- a\n\n* b", NULL);
    check("<ol><li>a</li></ol><ol><li>b</li></ol>", "1. a\n\n1) b", NULL);
    check("<p>x</p><ol start=\"2\"><li>a</li></ol>", "x\n\n2. a", NULL);
    check("<ul><li></li><li>b</li></ul>", "- b", NULL);
    check("<ol><li><p>a</p><p>b</p></li></ol>", "1. a\n\n   b", NULL);
}

Test(html_markdown, code_blocks)
{
    check("<pre><code class=\"language-c\">#include &lt;stdio.h&gt;\nint x;\n</code></pre>",
          "```c\n#include <stdio.h>\nint x;\n```",
          "<pre><code class=\"language-c\">#include &lt;stdio.h&gt;\nint x;\n</code></pre>\n");
    check("<pre>a ``` b\n  indented</pre>", "````\na ``` b\n  indented\n````", NULL);
    check("<pre class=\"x\"><code class=\"language-a&quot;b\">x</code></pre>", "```\nx\n```", NULL);
    check("<ul><li>a<pre>x\ny</pre></li></ul>", "- a\n\n  ```\n  x\n  y\n  ```", NULL);
    check("<blockquote><pre>x</pre></blockquote>", "> ```\n> x\n> ```", NULL);
}

Test(html_markdown, links)
{
    check("<a href=\"https://example.org/report\" title=\"The report\">link</a>",
          "[link](https://example.org/report \"The report\")",
          "<p><a href=\"https://example.org/report\" title=\"The report\">link</a></p>\n");
    check("<a href=\"/about/\">a</a> <a href=\"#top\">b</a> <a href=\"mailto:x@example.org\">c</a>",
          "[a](/about/) [b](#top) [c](mailto:x@example.org)", NULL);
    check("<a href=\"https://e.org/a b(c)\">x</a>", "[x](https://e.org/a%20b\\(c\\))",
          "<p><a href=\"https://e.org/a%20b(c)\">x</a></p>\n");
    check("<a href=\"https://e.org/\"></a>x", "x", NULL);
    check("<a name=\"x\">anchor</a>", "anchor", NULL);
    check("<a href=\"https://e.org/\"><p>a</p><p>b</p></a>",
          "[a](https://e.org/)\n\n[b](https://e.org/)", NULL);
}

Test(html_markdown, hostile_urls)
{
    struct html_report r = {0};
    const char *md =
        md_of("<a href=\"javascript:alert(1)\">a</a> <a href=\" JaVa\tScRiPt:x\">b</a> "
              "<img src=\"data:image/png;base64,xx\" alt=\"d\"> "
              "<a href=\"vbscript:x\">c</a> <img src=\"http://e.org/i.png\">"
              "<a href=\"mailto:x@e.org\"><img src=\"mailto:x@e.org\"></a>",
              &r);
    cr_expect_str_eq(md, "a b c ![](http://e.org/i.png)");
    cr_expect_eq(count_of(&r, "javascript: URL"), 2);
    cr_expect_eq(count_of(&r, "data: URL"), 1);
    cr_expect_eq(count_of(&r, "vbscript: URL"), 1);
    cr_expect_eq(count_of(&r, "mailto: URL"), 1);
}

Test(html_markdown, dropped_with_content)
{
    struct html_report r = {0};
    const char *md =
        md_of("<p onclick=\"x()\" style=\"color:red\" class=\"c\">a</p><script>alert(1)</script>"
              "<style>p{}</style><template><p>t</p></template><noscript>n</noscript>"
              "<form><input value=v><button>b</button></form><svg><text>s</text></svg>"
              "<math><mi>m</mi></math><object>o</object><embed src=x><iframe "
              "src=\"https://evil.example/\">"
              "</iframe><img src=\"/i.png\" onerror=\"alert(1)\"><span>kept</span> "
              "<custom-el>too</custom-el>",
              &r);
    cr_expect_str_eq(md, "a\n\n![](/i.png)kept too");
    const char *gone[] = {"script",  "style",   "template",       "noscript", "form",
                          "svg",     "math",    "object",         "embed",    "iframe",
                          "onclick", "onerror", "style attribute"};
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
        cr_expect_eq(count_of(&r, gone[i]), 1, "%s", gone[i]);
    cr_expect_eq(count_of(&r, "class"), 0);
    cr_expect_eq(r.total, 13);
    cr_expect_str_eq(html_report_format(&r, &a).ptr, "onclick \xc3\x97"
                                                     "1, style attribute \xc3\x97"
                                                     "1, script \xc3\x97"
                                                     "1, style \xc3\x97"
                                                     "1, template \xc3\x97"
                                                     "1, noscript \xc3\x97"
                                                     "1, form \xc3\x97"
                                                     "1, svg \xc3\x97"
                                                     "1, math \xc3\x97"
                                                     "1, object \xc3\x97"
                                                     "1, embed \xc3\x97"
                                                     "1, iframe \xc3\x97"
                                                     "1, onerror \xc3\x97"
                                                     "1");
}

Test(html_markdown, images_and_figures)
{
    check("<img src=\"/a.png\" alt=\"An *alt*\" title=\"T &quot;q&quot;\">",
          "![An \\*alt\\*](/a.png \"T \\\"q\\\"\")", NULL);
    check("<figure class=\"kg-card kg-image-card kg-card-hascaption\"><img src=\"/a.png\" "
          "class=\"kg-image\" alt=\"Archive\" loading=\"lazy\"><figcaption>From the "
          "<a href=\"/x\">archive</a></figcaption></figure><p>next</p>",
          "![Archive](/a.png \"From the archive\")\n\nnext",
          "<p><img loading=\"lazy\" decoding=\"async\" src=\"/a.png\" alt=\"Archive\" "
          "title=\"From the archive\" /></p>\n<p>next</p>\n");
    check("<figure><a href=\"https://e.org/\"><img src=\"/a.png\" alt=\"\"></a></figure>",
          "[![](/a.png)](https://e.org/)", NULL);
    check("<figure><blockquote>q</blockquote><figcaption>who</figcaption></figure>", "> q\n\nwho",
          NULL);
}

Test(html_markdown, embeds_become_links)
{
    check("<p>a</p><figure class=\"kg-card kg-embed-card\"><iframe width=\"200\" "
          "src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed\"></iframe>"
          "<figcaption>The session</figcaption></figure>",
          "a\n\n<https://www.youtube.com/watch?v=dQw4w9WgXcQ>\n\nThe session", NULL);
    const char *html =
        render(md_of("<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\">"
                     "</iframe>",
                     NULL));
    cr_expect(strstr(html, "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ") !=
                  NULL,
              "%s", html);
    check("<iframe src=\"https://player.vimeo.com/video/76979871\"></iframe>",
          "<https://vimeo.com/76979871>", NULL);
    check("<iframe src=\"https://platform.twitter.com/embed/Tweet.html?id=1234567890\"></iframe>",
          "<https://x.com/i/status/1234567890>", NULL);
}

Test(html_markdown, tables)
{
    check("<table><thead><tr><th>A</th><th>B|C</th></tr></thead><tbody><tr><td><b>1</b></td>"
          "<td>2</td></tr><tr><td>3</td></tr></tbody></table>",
          "| A | B\\|C |\n| --- | --- |\n| **1** | 2 |\n| 3 |  |",
          "<table>\n<thead>\n<tr>\n<th>A</th>\n<th>B|C</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
          "<td><strong>1</strong></td>\n<td>2</td>\n</tr>\n<tr>\n<td>3</td>\n<td></td>\n</tr>\n"
          "</tbody>\n</table>\n");
    check("<table><tr><td colspan=2>wide</td></tr><tr><td>a</td><td>b</td></tr></table>",
          "wide\n\na b", NULL);
}

Test(html_markdown, ghost_comments_and_wrappers)
{
    check("<!--kg-card-begin: html--><div class=\"kg-card\"><p>Raw <b>card</b></p></div>"
          "<!--kg-card-end: html-->",
          "Raw **card**", NULL);
}

Test(html_markdown, limits)
{
    struct err err = {ERR_OK, ""};
    struct str md;
    char *big = test_repeat("a", HTML_INPUT_MAX + 1);
    cr_expect_eq(html_to_markdown(str_from(big), NULL, &a, &md, NULL, &err), ERR_TOOBIG);
    free(big);
    /* deep nesting: flattened, never a stack overflow */
    char *deep = test_repeat("<blockquote><ul><li>", 20000);
    struct html_report r = {0};
    cr_assert_eq(html_to_markdown(str_from(deep), NULL, &a, &md, &r, &err), ERR_OK);
    cr_expect(count_of(&r, "nesting too deep") > 0);
    render(md.ptr);
    free(deep);
    char *divs = test_repeat("<div><span><b>", 20000);
    cr_assert_eq(html_to_markdown(str_from(divs), NULL, &a, &md, NULL, &err), ERR_OK);
    free(divs);
    r = (struct html_report){0};
    cr_assert_eq(html_to_markdown(STR_LIT("<p>a\xff\xfe b</p>"), NULL, &a, &md, &r, &err), ERR_OK);
    cr_expect(utf8_valid(md.ptr, md.len));
    cr_expect_eq(count_of(&r, "invalid UTF-8"), 2);
    cr_assert_eq(html_to_markdown(STR_NULL, NULL, &a, &md, NULL, &err), ERR_OK);
    cr_expect_str_eq(md.ptr, "");
}

static struct str rewrite(void *ctx, struct str url, bool image, struct arena *ar)
{
    (void)ctx;
    if (str_starts_with(url, "__GHOST_URL__"))
        return arena_cat3(ar, image ? "/photos" : "https://news.example",
                          (struct str){url.ptr + 13, url.len - 13}, "");
    if (str_eq_cstr(url, "https://drop.example/"))
        return STR_NULL;
    return url;
}

Test(html_markdown, url_callback)
{
    struct html_opts o = {rewrite, NULL};
    struct err err = {ERR_OK, ""};
    struct str md;
    cr_assert_eq(html_to_markdown(STR_LIT("<a href=\"__GHOST_URL__/about/\">a</a> "
                                          "<img src=\"__GHOST_URL__/content/x.png\"> "
                                          "<a href=\"https://drop.example/\">kept text</a>"),
                                  &o, &a, &md, NULL, &err),
                 ERR_OK);
    cr_expect_str_eq(md.ptr,
                     "[a](https://news.example/about/) ![](/photos/content/x.png) kept text");
}

/* ---- the real bodies -------------------------------------------------------------- */

static char *fixture(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/unit/html/fixtures/%s", name);
    return test_read_file(path, NULL);
}

Test(html_markdown, ghost_hostile_post)
{
    char *html = fixture("ghost-00.html");
    struct html_report r = {0};
    const char *md = md_of(html, &r);
    const char *out = render(md);
    cr_expect(strstr(out, "<blockquote>\n<p>“We will rebuild the bridge by spring,” the mayor "
                          "said.</p>\n</blockquote>") != NULL,
              "%s", out);
    cr_expect(
        strstr(out, "<pre><code class=\"language-c\">#include &lt;stdio.h&gt;\nint main(void) "
                    "{ puts(&quot;hi &amp;amp; bye&quot;); return 0; }\n</code></pre>") ||
            strstr(out, "<pre><code class=\"language-c\">#include &lt;stdio.h&gt;\nint "
                        "main(void) { puts(&quot;hi &amp; bye&quot;); return 0; }\n</code></pre>"),
        "%s", out);
    cr_expect(strstr(out, "<h2>Code</h2>") != NULL, "%s", out);
    cr_expect(strstr(out, "<li>Second bullet with <a href=\"__GHOST_URL__/about-the-newsroom/\">an "
                          "internal link</a></li>") != NULL,
              "%s", out);
    cr_expect(strstr(out, "<ol>\n<li>Step one</li>") != NULL, "%s", out);
    cr_expect(strstr(out, "angle brackets &lt;b&gt; kept as text.") != NULL, "%s", out);
    cr_expect(strstr(out, "src=\"__GHOST_URL__/content/images/2026/11/dnipro-evening.png\" "
                          "alt=\"Inline picture of the embankment\"") != NULL,
              "%s", out);
    free(html);
}

static void check_wp_hostile(const char *name, size_t scripts)
{
    char *html = fixture(name);
    struct html_report r = {0};
    const char *out = render(md_of(html, &r));
    cr_expect(strstr(out, "<script") == NULL && strstr(out, "onerror=") == NULL &&
                  strstr(out, "onclick=") == NULL,
              "%s", out);
    cr_expect(strstr(out, "<a href=\"https://example.org/report\" title=\"The report\">link to the "
                          "report</a>") != NULL,
              "%s", out);
    cr_expect(strstr(out, "<blockquote>\n<p>“We will rebuild") != NULL, "%s", out);
    cr_expect(strstr(out, "#include &lt;stdio.h&gt;") != NULL, "%s", out);
    cr_expect_eq(count_of(&r, "script"), scripts);
    cr_expect_eq(count_of(&r, "onerror"), scripts);
    cr_expect_eq(count_of(&r, "onclick"), scripts);
    free(html);
}

Test(html_markdown, wordpress_hostile_posts)
{
    check_wp_hostile("wp-76.content", 1); /* saved by an Administrator: verbatim */
    check_wp_hostile("wp-75.content", 0); /* an Author's: kses took the tags, left the text */
}

Test(html_markdown, wordpress_block_post)
{
    char *html = fixture("wp-74.content");
    const char *md = md_of(html, NULL);
    const char *out = render(md);
    cr_expect(strstr(out, "<h2>What we know</h2>") != NULL, "%s", out);
    cr_expect(strstr(out, "<li>Two districts affected</li>") != NULL, "%s", out);
    cr_expect(strstr(out, "title=\"The embankment\"") != NULL, "%s", out);
    cr_expect(strstr(out, "if (a[b[0]]&gt;1) { return; }") != NULL, "%s", out);
    cr_expect(strstr(md, "wp:") == NULL, "%s", md);
    free(html);
}

Test(html_markdown, every_ghost_fixture_renders)
{
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof(name), "ghost-%02d.html", i);
        char *html = fixture(name);
        struct html_report r = {0};
        const char *out = render(md_of(html, &r));
        cr_expect_eq(r.total, 0, "%s: %s", name, html_report_format(&r, &a).ptr);
        cr_expect(strlen(out) > 0);
        free(html);
    }
}

/* The cost of one conversion of a typical news body, printed for the record. */
Test(html_markdown, speed)
{
    char *body = fixture("ghost-06.html");
    char *html = test_repeat(body, 3000 / strlen(body) + 1);
    struct timespec t0, t1;
    int n = 300;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        struct arena x;
        arena_init(&x);
        struct str md;
        cr_assert_eq(html_to_markdown(str_from(html), NULL, &x, &md, NULL, NULL), ERR_OK);
        arena_release(&x);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us =
        ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / n;
    fprintf(stderr, "html_to_markdown: %zu bytes in %.1f us (sanitizer build)\n", strlen(html), us);
    free(html);
    free(body);
}

/*
 * The fast parser (src/html/fastparse.c) takes Ghost's rendered bodies, and where it takes
 * an input the Markdown is the one gumbo's tree gives.
 */
Test(html_markdown, fast_parser_agrees_with_gumbo)
{
    const char *names[] = {"ghost-00.html", "ghost-01.html", "ghost-02.html", "ghost-03.html",
                           "ghost-04.html", "ghost-05.html", "ghost-06.html", "ghost-07.html",
                           "ghost-08.html", "ghost-09.html", "wp-74.content", "wp-75.content",
                           "wp-76.content"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *html = fixture(names[i]);
        struct str md, ref;
        cr_assert_eq(html_to_markdown(str_from(html), NULL, &a, &md, NULL, NULL), ERR_OK);
        cr_assert_eq(html_to_markdown_gumbo(str_from(html), &a, &ref, NULL), ERR_OK);
        cr_expect(str_eq(md, ref), "%s:\n%s\n---\n%s", names[i], md.ptr, ref.ptr);
        if (names[i][0] == 'g')
            cr_expect(html_fast_parse(str_from(html), &a) != NULL, "%s", names[i]);
        free(html);
    }
    const char *declined[] = {"<p>a<div>b</div></p>",
                              "<b><i>x</b></i>",
                              "<ul><li>a<li>b</ul>",
                              "<table><tr><td>x</td></tr></table>",
                              "<p>&copy</p>",
                              "<P>x</P>",
                              "<script>x</script>",
                              "<p>a\r\nb</p>",
                              "<a href=\"x&copy=1\">y</a>",
                              "<p>&#150;</p>",
                              "<!-->x"};
    for (size_t i = 0; i < sizeof(declined) / sizeof(declined[0]); i++)
        cr_expect(html_fast_parse(str_from(declined[i]), &a) == NULL, "%s", declined[i]);
    const char *taken[] = {"<p>a &amp; b &lt;c&gt; &#8212; &#x41; &nbsp;</p>", "<pre>\nx\n</pre>",
                           "<a href=\"/x?a=1&amp;b=2\" title='t'>y</a>", "<img src=x alt><br/><hr>",
                           "<p>a & b</p><!-- c -->"};
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
        cr_expect(html_fast_parse(str_from(taken[i]), &a) != NULL, "%s", taken[i]);
        struct str md, ref;
        cr_assert_eq(html_to_markdown(str_from(taken[i]), NULL, &a, &md, NULL, NULL), ERR_OK);
        cr_assert_eq(html_to_markdown_gumbo(str_from(taken[i]), &a, &ref, NULL), ERR_OK);
        cr_expect(str_eq(md, ref), "%s:\n%s\n---\n%s", taken[i], md.ptr, ref.ptr);
    }
}
