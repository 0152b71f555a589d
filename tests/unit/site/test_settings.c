#include "site/site.h"

#include <criterion/criterion.h>
#include <string.h>

static enum err_code check(const char *key, const char *value, struct str *norm)
{
    static struct arena a; /* lives for the test process */
    struct err err = {0};
    return site_setting_check(key, str_from(value), &a, norm, &err);
}

Test(site_settings, accepts_good_values)
{
    struct str v;
    cr_assert_eq(check("title", "The Daily Desk", &v), ERR_OK);
    cr_assert_eq(check("url", "https://news.example.org/", &v), ERR_OK);
    cr_assert(str_eq_cstr(v, "https://news.example.org"), "trailing slash dropped");
    cr_assert_eq(check("url", "http://127.0.0.1:8080", &v), ERR_OK);
    cr_assert_eq(check("language", "uk", &v), ERR_OK);
    cr_assert_eq(check("language", "pt-BR", &v), ERR_OK);
    cr_assert_eq(check("timezone", "Europe/Kyiv", &v), ERR_OK);
    cr_assert_eq(check("timezone", "UTC", &v), ERR_OK);
    cr_assert_eq(check("posts_per_page", "15", &v), ERR_OK);
    cr_assert_eq(check("contact_email", "tips@example.org", &v), ERR_OK);
    cr_assert_eq(check("contact_email", "", &v), ERR_OK, "empty turns the address off");
    cr_assert_eq(check("description", "", &v), ERR_OK);
}

Test(site_settings, refuses_bad_values)
{
    struct str v;
    cr_assert_eq(check("colour", "red", &v), ERR_INVALID);
    cr_assert_eq(check("title", "   ", &v), ERR_INVALID);
    cr_assert_eq(check("title", "a\x01z", &v), ERR_INVALID);
    cr_assert_eq(check("title", "\xff\xfe", &v), ERR_INVALID);
    cr_assert_eq(check("url", "news.example.org", &v), ERR_INVALID);
    cr_assert_eq(check("url", "javascript:alert(1)", &v), ERR_INVALID);
    cr_assert_eq(check("url", "https://x.org/?q=1", &v), ERR_INVALID);
    cr_assert_eq(check("url", "https://", &v), ERR_INVALID);
    cr_assert_eq(check("url", "https://x.org/a\"b", &v), ERR_INVALID);
    cr_assert_eq(check("language", "english", &v), ERR_INVALID);
    cr_assert_eq(check("language", "e", &v), ERR_INVALID);
    cr_assert_eq(check("language", "en-", &v), ERR_INVALID);
    cr_assert_eq(check("timezone", "Europe/Atlantis", &v), ERR_INVALID);
    cr_assert_eq(check("timezone", "../../etc/passwd", &v), ERR_INVALID);
    cr_assert_eq(check("posts_per_page", "0", &v), ERR_INVALID);
    cr_assert_eq(check("posts_per_page", "101", &v), ERR_INVALID);
    cr_assert_eq(check("posts_per_page", "ten", &v), ERR_INVALID);
    cr_assert_eq(check("contact_email", "not-an-address", &v), ERR_INVALID);
    cr_assert_eq(check("contact_email", "a@b", &v), ERR_INVALID);
    cr_assert_eq(check("contact_email", "a b@example.org", &v), ERR_INVALID);
    cr_assert_eq(check("contact_email", "x@example.org>", &v), ERR_INVALID);
}

Test(site_settings, the_brand_colour_needs_4_5_to_1_against_white)
{
    struct str v;
    double r;
    cr_assert_eq(check("accent_color", "", &v), ERR_OK, "empty: the theme's own");
    cr_assert_eq(check("accent_color", "#767676", &v), ERR_OK, "4.54:1, the lightest grey");
    cr_assert_eq(check("accent_color", "#777777", &v), ERR_INVALID, "4.47:1");
    cr_assert_eq(check("accent_color", "#000000", &v), ERR_OK);
    cr_assert_eq(check("accent_color", "#FFFFFF", &v), ERR_INVALID);
    cr_assert_eq(check("accent_color", "#12345", &v), ERR_INVALID);
    cr_assert_eq(check("accent_color", "#12345g", &v), ERR_INVALID);
    cr_assert_eq(check("accent_color", "red", &v), ERR_INVALID);
    cr_assert(site_color_contrast(STR_LIT("#000000"), &r) && r == 21.0, "black: 21:1, got %f", r);
    cr_assert(site_color_contrast(STR_LIT("#ffffff"), &r) && r == 1.0);
}

Test(site_settings, navigation_is_ghosts_list_of_links)
{
    struct str v;
    cr_assert_eq(
        check("navigation", " [ {\"url\": \"/tag/world/\", \"label\": \" World \"} ] ", &v),
        ERR_OK);
    cr_assert(str_eq_cstr(v, "[{\"label\":\"World\",\"url\":\"/tag/world/\"}]"), "stored: %s",
              v.ptr);
    cr_assert_eq(check("navigation", "[]", &v), ERR_OK, "no menu at all");
    cr_assert_eq(check("navigation", "[{\"label\":\"A\",\"url\":\"https://x.org/a?b=1#c\"}]", &v),
                 ERR_OK);
    cr_assert_eq(check("navigation", "[{\"label\":\"A\",\"url\":\"//evil.example\"}]", &v),
                 ERR_INVALID);
    cr_assert_eq(check("navigation", "[{\"label\":\"A\",\"url\":\"javascript:x\"}]", &v),
                 ERR_INVALID);
    cr_assert_eq(check("navigation", "[{\"label\":\"\",\"url\":\"/\"}]", &v), ERR_INVALID);
    cr_assert_eq(check("navigation", "[{\"label\":\"A\"}]", &v), ERR_INVALID);
    cr_assert_eq(check("navigation", "{\"label\":\"A\",\"url\":\"/\"}", &v), ERR_INVALID);
    cr_assert_eq(check("navigation", "[1]", &v), ERR_INVALID);
    char many[2048] = "[";
    for (int i = 0; i < 21; i++)
        strcat(many, i ? ",{\"label\":\"A\",\"url\":\"/\"}" : "{\"label\":\"A\",\"url\":\"/\"}");
    strcat(many, "]");
    cr_assert_eq(check("navigation", many, &v), ERR_INVALID, "21 links");
}
