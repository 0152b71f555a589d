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
