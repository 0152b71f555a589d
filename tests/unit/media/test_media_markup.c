/*
 * What pages print of a photo (src/media/markup.c): the srcsets of each format, the
 * fallback src, the nearest width, and photo paths made absolute for feeds and the API.
 */
#include "media/media.h"

#include "content/content.h"
#include "support.h"

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

TestSuite(media_markup, .init = setup, .fini = teardown, .timeout = 30);

static struct media_item photo(int w, int h, unsigned formats)
{
    return (struct media_item){.key = "0123456789abcdef",
                               .name = STR_LIT("harbour"),
                               .format = MEDIA_JPEG,
                               .width = w,
                               .height = h,
                               .formats = formats,
                               .alt = STR_LIT("Boats"),
                               .caption = STR_LIT("Dawn"),
                               .credit = STR_LIT("Ana")};
}

#define P "/content/images/size/"
#define K "0123456789abcdef/harbour.jpg"

Test(media_markup, every_format_its_srcset_and_a_src_of_at_most_1280)
{
    struct media_item m = photo(3000, 2000, 1u << MEDIA_JPEG | 1u << MEDIA_WEBP | 1u << MEDIA_AVIF);
    struct content_photo ph;
    media_photo_fill(&m, &a, &ph);
    cr_expect_eq(ph.width, 3000);
    cr_expect_eq(ph.height, 2000);
    cr_expect_str_eq(ph.src.ptr, P "w1280/" K);
    cr_expect_str_eq(ph.srcset.ptr,
                     P "w320/" K " 320w, " P "w640/" K " 640w, " P "w960/" K " 960w, " P "w1280/" K
                       " 1280w, " P "w1920/" K " 1920w, " P "w2400/" K " 2400w");
    cr_expect(strstr(ph.srcset_webp.ptr, P "w320/format/webp/" K " 320w, "), "%s",
              ph.srcset_webp.ptr);
    cr_expect(strstr(ph.srcset_avif.ptr, P "w2400/format/avif/" K " 2400w"), "%s",
              ph.srcset_avif.ptr);
    cr_expect_str_eq(ph.alt.ptr, "Boats");
    cr_expect_str_eq(ph.credit.ptr, "Ana");
}

Test(media_markup, no_upscaling_and_no_format_it_lacks)
{
    struct media_item m = photo(800, 600, 1u << MEDIA_JPEG | 1u << MEDIA_WEBP);
    struct content_photo ph;
    media_photo_fill(&m, &a, &ph);
    cr_expect_str_eq(ph.srcset.ptr, P "w320/" K " 320w, " P "w640/" K " 640w");
    cr_expect_str_eq(ph.src.ptr, P "w640/" K);
    cr_expect_eq(ph.srcset_avif.len, 0);
    struct media_item tiny = photo(200, 100, 1u << MEDIA_JPEG);
    media_photo_fill(&tiny, &a, &ph);
    cr_expect_str_eq(ph.srcset.ptr, P "w200/" K " 200w");
    cr_expect_eq(ph.srcset_webp.len, 0);
    cr_expect_eq(media_width_at_least(&m, 192), 320);
    cr_expect_eq(media_width_at_least(&m, 641), 640, "the largest when none is as wide");
    cr_expect_eq(media_width_at_least(&tiny, 192), 200);
}

Test(media_markup, photo_paths_become_absolute_in_attributes_only)
{
    const char *html = "<p><img src=\"/content/images/size/w320/k/a.jpg\" srcset=\"/content/"
                       "images/size/w320/k/a.jpg 320w, /content/images/size/w640/k/a.jpg 640w\">"
                       " see /content/images/k/a.jpg <a href=\"/content/images/k/a.jpg\">x</a> "
                       "https://s.example/content/images/k/b.jpg</p>";
    struct str out = media_html_absolute(str_from(html), STR_LIT("https://s.example"), &a);
    cr_expect_str_eq(out.ptr, "<p><img src=\"https://s.example/content/images/size/w320/k/a.jpg\" "
                              "srcset=\"https://s.example/content/images/size/w320/k/a.jpg 320w, "
                              "https://s.example/content/images/size/w640/k/a.jpg 640w\"> see "
                              "/content/images/k/a.jpg <a href=\"https://s.example/content/images/"
                              "k/a.jpg\">x</a> https://s.example/content/images/k/b.jpg</p>");
    struct str same = media_html_absolute(STR_LIT("<p>no photo</p>"), STR_LIT("https://s"), &a);
    cr_expect_str_eq(same.ptr, "<p>no photo</p>");
    struct str none = media_html_absolute(str_from(html), STR_NULL, &a);
    cr_expect_str_eq(none.ptr, html);
}
