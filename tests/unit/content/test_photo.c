/*
 * Photos of the site's library in the Markdown renderer (src/content/photo.c and the pass
 * in markdown.c): the figure for an image alone in its paragraph, the sized inline image,
 * alt text, caption and credit, escaping, the lead photo, and images that stay as they were.
 */
#include "content/content.h"
#include "content/content_int.h"

#include "support.h"

#include <criterion/criterion.h>
#include <string.h>

static struct arena a;
static struct err err;

static void setup(void)
{
    arena_init(&a);
    err = (struct err){ERR_OK, ""};
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(content_photo, .init = setup, .fini = teardown, .timeout = 30);

/* The library the tests render against: one photo per URL below, the rest unknown. */
static struct content_photo harbour = {
    .width = 3000,
    .height = 2000,
    .src = STR_LIT("/content/images/size/w1280/0123456789abcdef/harbour.jpg"),
    .srcset = STR_LIT("/w320/h.jpg 320w, /w640/h.jpg 640w"),
    .srcset_webp = STR_LIT("/w320/h.webp 320w, /w640/h.webp 640w"),
    .srcset_avif = STR_LIT("/w320/h.avif 320w, /w640/h.avif 640w"),
    .alt = STR_LIT("Boats in the harbour at dawn"),
    .caption = STR_LIT("The harbour on Monday"),
    .credit = STR_LIT("Photo: Ana Reporter"),
};

static int calls;

static bool find(void *ctx, struct str url, struct arena *ar, struct content_photo *out)
{
    (void)ar;
    calls++;
    const struct content_photo *lib = ctx;
    if (str_eq_cstr(url, "/content/images/0123456789abcdef/harbour.jpg")) {
        *out = lib[0];
        return true;
    }
    if (str_eq_cstr(url, "/content/images/fedcba9876543210/x.png")) {
        *out = lib[1];
        return true;
    }
    return false;
}

static const char *render_with(const char *md, const struct content_photo *lib, bool lead,
                               struct str *text)
{
    struct content_photos photos = {find, (void *)lib, lead};
    struct str html, t;
    enum err_code rc = content_markdown_render(str_from(md), &photos, &a, &html, &t, &err);
    cr_assert_eq(rc, ERR_OK, "%s: %s", md, err.msg);
    if (text)
        *text = t;
    return html.ptr;
}

static const char *render(const char *md)
{
    struct content_photo lib[2] = {harbour, harbour};
    return render_with(md, lib, false, NULL);
}

#define SIZES "sizes=\"" CONTENT_PHOTO_SIZES "\""
#define IMG_ATTRS                                                                                  \
    "<img width=\"3000\" height=\"2000\" "                                                         \
    "src=\"/content/images/size/w1280/0123456789abcdef/harbour.jpg\" "                             \
    "srcset=\"/w320/h.jpg 320w, /w640/h.jpg 640w\" " SIZES

Test(content_photo, alone_in_its_paragraph_is_a_figure_exactly)
{
    const char *html = render("Before.\n\n![Boats at dawn](/content/images/0123456789abcdef/"
                              "harbour.jpg)\n\nAfter.");
    cr_expect_str_eq(html, "<p>Before.</p>\n"
                           "<figure class=\"photo\"><picture>"
                           "<source type=\"image/avif\" srcset=\"/w320/h.avif 320w, /w640/h.avif "
                           "640w\" " SIZES ">"
                           "<source type=\"image/webp\" srcset=\"/w320/h.webp 320w, /w640/h.webp "
                           "640w\" " SIZES ">" IMG_ATTRS
                           " alt=\"Boats at dawn\" loading=\"lazy\" decoding=\"async\"></picture>"
                           "<figcaption>The harbour on Monday <span class=\"credit\">Photo: Ana "
                           "Reporter</span></figcaption></figure>\n"
                           "<p>After.</p>\n");
}

Test(content_photo, the_markdown_title_is_the_caption)
{
    const char *html =
        render("![a](/content/images/0123456789abcdef/harbour.jpg \"Fire on the pier\")");
    cr_expect(strstr(html, "<figcaption>Fire on the pier <span class=\"credit\">"), "%s", html);
    cr_expect(!strstr(html, "Monday"), "%s", html);
    cr_expect(!strstr(html, "title="), "the caption is not repeated as a tooltip: %s", html);
}

Test(content_photo, alt_from_markdown_else_library_and_empty_when_decorative)
{
    struct content_photo lib[2] = {harbour, harbour};
    const char *html =
        render_with("![](/content/images/0123456789abcdef/harbour.jpg)", lib, false, NULL);
    cr_expect(strstr(html, " alt=\"Boats in the harbour at dawn\" "), "%s", html);
    lib[0].decorative = true;
    html = render_with("![Boats](/content/images/0123456789abcdef/harbour.jpg)", lib, false, NULL);
    cr_expect(strstr(html, " alt=\"\" "), "%s", html);
    cr_expect(!strstr(html, "Boats"), "%s", html);
}

Test(content_photo, no_caption_and_no_credit_no_figcaption)
{
    struct content_photo lib[2] = {harbour, harbour};
    lib[0].caption = STR_NULL;
    lib[0].credit = STR_NULL;
    const char *html =
        render_with("![a](/content/images/0123456789abcdef/harbour.jpg)", lib, false, NULL);
    cr_expect(strstr(html, "</picture></figure>"), "%s", html);
    lib[0].credit = STR_LIT("AP");
    html = render_with("![a](/content/images/0123456789abcdef/harbour.jpg)", lib, false, NULL);
    cr_expect(strstr(html, "<figcaption><span class=\"credit\">AP</span></figcaption>"), "%s",
              html);
}

Test(content_photo, formats_without_renditions_have_no_source)
{
    struct content_photo lib[2] = {harbour, harbour};
    lib[0].srcset_avif = STR_NULL;
    const char *html =
        render_with("![a](/content/images/0123456789abcdef/harbour.jpg)", lib, false, NULL);
    cr_expect(!strstr(html, "image/avif"), "%s", html);
    cr_expect(strstr(html, "<picture><source type=\"image/webp\""), "%s", html);
}

Test(content_photo, everything_is_escaped)
{
    struct content_photo lib[2] = {harbour, harbour};
    lib[0].caption = STR_LIT("<script>alert(1)</script> & \"quotes\"");
    lib[0].credit = STR_LIT("Photo: <b>Ana</b> 'A'");
    lib[0].src = STR_LIT("/content/images/\"onerror=\"x.jpg");
    lib[0].srcset_webp = STR_LIT("/a.webp\"><script> 320w");
    const char *html = render_with(
        "![a \"q\" \\<b> & c](/content/images/0123456789abcdef/harbour.jpg)", lib, false, NULL);
    cr_expect(!strstr(html, "<script"), "%s", html);
    cr_expect(!strstr(html, "<b>"), "%s", html);
    cr_expect(!strstr(html, "\"onerror"), "%s", html);
    cr_expect(strstr(html, "alt=\"a &quot;q&quot; &lt;b&gt; &amp; c\""), "%s", html);
    cr_expect(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"), "%s",
              html);
    cr_expect(strstr(html, "src=\"/content/images/&quot;onerror=&quot;x.jpg\""), "%s", html);
    html = render_with("![a](/content/images/0123456789abcdef/harbour.jpg \"<i>t</i>\")", lib,
                       false, NULL);
    cr_expect(strstr(html, "<figcaption>&lt;i&gt;t&lt;/i&gt; <span"), "%s", html);
}

Test(content_photo, inline_gets_sizes_and_srcset_but_no_figure)
{
    const char *html = render("Seen from ![the pier](/content/images/0123456789abcdef/harbour.jpg "
                              "\"Pier\") at dawn.");
    cr_expect_str_eq(html, "<p>Seen from " IMG_ATTRS " alt=\"the pier\" title=\"Pier\" "
                           "loading=\"lazy\" decoding=\"async\"> at dawn.</p>\n");
}

Test(content_photo, only_a_top_level_paragraph_becomes_a_figure)
{
    const char *html = render("- ![a](/content/images/0123456789abcdef/harbour.jpg)\n\n"
                              "> ![b](/content/images/0123456789abcdef/harbour.jpg)\n\n"
                              "[![c](/content/images/0123456789abcdef/harbour.jpg)](/x/)\n\n"
                              "![d](/content/images/0123456789abcdef/harbour.jpg) "
                              "![e](/content/images/0123456789abcdef/harbour.jpg)");
    cr_expect(!strstr(html, "<figure"), "%s", html);
    cr_expect(!strstr(html, "<picture"), "%s", html);
    size_t n = 0;
    for (const char *p = html; (p = strstr(p, "<img width=\"3000\"")); p++)
        n++;
    cr_expect_eq(n, 5, "%s", html);
    cr_expect(strstr(html, "<a href=\"/x/\"><img width="), "%s", html);
}

Test(content_photo, other_images_stay_as_they_were)
{
    const char *md = "![a](https://elsewhere.example/a.jpg \"t\")\n\n"
                     "![b](/content/images/ffffffffffffffff/unknown.jpg)\n\nx ![c](/c.png) y";
    struct str with, without, t1, t2;
    struct content_photos photos = {find, &harbour, true};
    cr_assert_eq(content_markdown_render(str_from(md), &photos, &a, &with, &t1, &err), ERR_OK);
    cr_assert_eq(content_markdown_render(str_from(md), NULL, &a, &without, &t2, &err), ERR_OK);
    cr_expect_str_eq(with.ptr, without.ptr);
    cr_expect_str_eq(with.ptr,
                     "<p><img loading=\"lazy\" decoding=\"async\" "
                     "src=\"https://elsewhere.example/a.jpg\" alt=\"a\" title=\"t\" /></p>\n"
                     "<p><img loading=\"lazy\" decoding=\"async\" "
                     "src=\"/content/images/ffffffffffffffff/unknown.jpg\" alt=\"b\" /></p>\n"
                     "<p>x <img loading=\"lazy\" decoding=\"async\" src=\"/c.png\" "
                     "alt=\"c\" /> y</p>\n");
    cr_expect_str_eq(t1.ptr, t2.ptr);
}

Test(content_photo, the_lead_photo_is_eager_and_first_the_rest_lazy)
{
    struct content_photo lib[2] = {harbour, harbour};
    const char *md = "![x](https://elsewhere.example/x.jpg)\n\nText.\n\n"
                     "![a](/content/images/0123456789abcdef/harbour.jpg)\n\n"
                     "![b](/content/images/fedcba9876543210/x.png)";
    const char *html = render_with(md, lib, true, NULL);
    const char *first = strstr(html, "alt=\"a\"");
    const char *second = strstr(html, "alt=\"b\"");
    cr_assert(first && second, "%s", html);
    cr_expect_eq(strncmp(first, "alt=\"a\" fetchpriority=\"high\" decoding=\"async\">", 46), 0,
                 "%s", html);
    cr_expect_eq(strncmp(second, "alt=\"b\" loading=\"lazy\"", 22), 0, "%s", html);
    html = render_with(md, lib, false, NULL);
    cr_expect(!strstr(html, "fetchpriority"), "a feature image leads instead: %s", html);
}

Test(content_photo, plain_text_and_reading_time_are_unchanged)
{
    const char *md = "Words here.\n\n![Alt words](/content/images/0123456789abcdef/harbour.jpg)"
                     "\n\nMore ![x](/content/images/0123456789abcdef/harbour.jpg) words.";
    struct content_photo lib[2] = {harbour, harbour};
    struct str t1, t2, h2;
    const char *h1 = render_with(md, lib, false, &t1);
    cr_assert_eq(content_markdown_render(str_from(md), NULL, &a, &h2, &t2, &err), ERR_OK);
    cr_expect_str_eq(t1.ptr, t2.ptr);
    /* Ghost counts <img> elements: a <picture> with its <source>s is one image */
    cr_expect_eq(content_image_count(str_from(h1)), 2);
    cr_expect_eq(content_image_count(h2), 2);
}

Test(content_photo, the_library_is_asked_once_per_image)
{
    calls = 0;
    render("![a](/content/images/0123456789abcdef/harbour.jpg)\n\n![b](/other.png)\n\n"
           "![![inner](/content/images/0123456789abcdef/harbour.jpg)](/x.png)");
    cr_expect_eq(calls, 3);
}
