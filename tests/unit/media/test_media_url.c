#include "media/media.h"

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

TestSuite(media_url, .init = setup, .fini = teardown);

#define KEY "0123456789abcdef"
#define SITE "https://news.example"

static bool parse(const char *url, struct media_ref *ref)
{
    return media_parse_url(str_from(url), STR_LIT(SITE), ref);
}

Test(media_url, ghost_shapes_are_recognised)
{
    struct media_ref r;
    cr_assert(parse("/content/images/" KEY "/harbour-at-dawn.jpg", &r));
    cr_expect_str_eq(r.key, KEY);
    cr_expect_eq(r.width, 0);
    cr_expect_eq(r.format, MEDIA_NONE);
    cr_assert(parse("/content/images/size/w600/" KEY "/harbour.jpg", &r));
    cr_expect_eq(r.width, 600);
    cr_expect_eq(r.format, MEDIA_NONE);
    cr_assert(parse(SITE "/content/images/size/w640/format/webp/" KEY "/h.png", &r));
    cr_expect_eq(r.width, 640);
    cr_expect_eq(r.format, MEDIA_WEBP);
    cr_assert(parse(SITE "/content/images/size/w1/format/avif/" KEY "/h.jpg", &r));
    cr_expect_eq(r.format, MEDIA_AVIF);
    cr_assert(
        media_parse_url(str_from(SITE "/content/images/" KEY "/h.jpg"), STR_LIT(SITE "/"), &r),
        "a site URL with a trailing slash");
}

Test(media_url, anything_else_is_refused)
{
    static const char *const bad[] = {
        "",
        "/content/images/",
        "/content/images/" KEY,
        "/content/images/" KEY "/",
        "/content/images/0123456789ABCDEF/h.jpg",  /* upper case */
        "/content/images/0123456789abcde/h.jpg",   /* 15 digits */
        "/content/images/0123456789abcdef0/h.jpg", /* 17 */
        "/content/images/0123456789abcdeg/h.jpg",
        "/content/images/" KEY "/h.jpg/",
        "/content/images/" KEY "/../h.jpg",
        "/content/images/" KEY "/h..jpg",
        "/content/images/" KEY "/.jpg",
        "/content/images/" KEY "/h",
        "/content/images/" KEY "/h.",
        "/content/images/" KEY "/a b.jpg",
        "/content/images/" KEY "/a%2f.jpg",
        "/content/images/" KEY "/h.jpg?x=1",
        "/content/images/size/w0/" KEY "/h.jpg",
        "/content/images/size/w060/" KEY "/h.jpg",
        "/content/images/size/w-1/" KEY "/h.jpg",
        "/content/images/size/w6x/" KEY "/h.jpg",
        "/content/images/size/w123456/" KEY "/h.jpg",
        "/content/images/size/600/" KEY "/h.jpg",
        "/content/images/size/w600/format/gif/" KEY "/h.jpg",
        "/content/images/size/w600/format/" KEY "/h.jpg",
        "/content/images/format/webp/" KEY "/h.jpg",
        "/content/images/size/" KEY "/h.jpg",
        "/content/images/x/" KEY "/h.jpg",
        "/images/" KEY "/h.jpg",
        "//evil.example/content/images/" KEY "/h.jpg",
        "https://evil.example/content/images/" KEY "/h.jpg",
        SITE ".evil/content/images/" KEY "/h.jpg",
        "http://news.example/content/images/" KEY "/h.jpg",
        "content/images/" KEY "/h.jpg",
    };
    struct media_ref r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_expect(!parse(bad[i], &r), "'%s' was taken", bad[i]);
    char nul[] = "/content/images/" KEY "/h.jpg";
    nul[sizeof(nul) - 4] = '\0';
    cr_expect(!media_parse_url((struct str){nul, sizeof(nul) - 1}, STR_LIT(SITE), &r));
}

Test(media_url, widths_never_upscale_and_reach_the_photos_own)
{
    int w[MEDIA_WIDTHS_MAX];
    struct media_item m = {.width = 4000};
    cr_assert_eq(media_widths(&m, w), 6);
    cr_expect_eq(w[0], 320);
    cr_expect_eq(w[5], 2400);
    m.width = 1000;
    cr_assert_eq(media_widths(&m, w), 3);
    cr_expect_eq(w[2], 960);
    m.width = 640;
    cr_assert_eq(media_widths(&m, w), 2, "640 wide: 320, then its own width");
    cr_expect_eq(w[1], 640);
    m.width = 480;
    cr_assert_eq(media_widths(&m, w), 2, "480 wide: not a 320 stretched to fill the column");
    cr_expect_eq(w[1], 480);
    m.width = 2000;
    cr_assert_eq(media_widths(&m, w), 5, "1920 is within a fifth of 2000");
    cr_expect_eq(w[4], 1920);
    m.width = 200;
    cr_assert_eq(media_widths(&m, w), 1);
    cr_expect_eq(w[0], 200, "narrower than the smallest: its own width");
}

Test(media_url, paths_round_trip)
{
    struct media_item m = {
        .key = KEY, .name = STR_LIT("harbour"), .format = MEDIA_JPEG, .width = 3000};
    cr_expect(
        str_eq_cstr(media_path(&m, 0, MEDIA_NONE, &a), "/content/images/" KEY "/harbour.jpg"));
    struct str p = media_path(&m, 640, MEDIA_WEBP, &a);
    cr_expect(str_eq_cstr(p, "/content/images/size/w640/format/webp/" KEY "/harbour.jpg"));
    struct media_ref r;
    cr_assert(media_parse_url(p, STR_NULL, &r));
    cr_expect_eq(r.width, 640);
    cr_expect_eq(r.format, MEDIA_WEBP);
    m.format = MEDIA_PNG;
    cr_expect(str_eq_cstr(media_path(&m, 1200, MEDIA_NONE, &a),
                          "/content/images/size/w1200/" KEY "/harbour.png"));
    cr_expect(str_eq_cstr(media_path(&m, 1200, MEDIA_PNG, &a),
                          "/content/images/size/w1200/" KEY "/harbour.png"));
}
