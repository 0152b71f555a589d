/* Preview links' tokens: what verifies, and every way a token can fail to. */
#include "auth/auth.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static const struct str key = {"0123456789abcdef0123456789abcdef", 32};
static const struct str other = {"0123456789abcdef0123456789abcdeg", 32};

static void init(void)
{
    struct err err = {0};
    cr_assert_eq(auth_init(&err), ERR_OK, "%s", err.msg);
}

TestSuite(auth_preview, .init = init);

static enum auth_preview_check verify(struct str k, const char *token, int64_t now)
{
    int64_t id = -1, exp = -1;
    enum auth_preview_check c = auth_preview_verify(k, str_from(token), now, &id, &exp);
    if (c != AUTH_PREVIEW_INVALID)
        cr_assert(id > 0 && exp > 0);
    return c;
}

Test(auth_preview, a_fresh_token_verifies_and_names_its_post)
{
    char t[AUTH_PREVIEW_TOKEN_MAX];
    auth_preview_sign(key, 42, 1800000000, t);
    cr_assert(strncmp(t, "42.1800000000.", 14) == 0, "%s", t);
    cr_assert_eq(strlen(t), 14 + 43, "%s", t);
    int64_t id = 0, exp = 0;
    cr_assert_eq(auth_preview_verify(key, str_from(t), 1799999999, &id, &exp), AUTH_PREVIEW_OK);
    cr_assert_eq(id, 42);
    cr_assert_eq(exp, 1800000000);
    char again[AUTH_PREVIEW_TOKEN_MAX];
    auth_preview_sign(key, 42, 1800000000, again);
    cr_assert_str_eq(t, again, "signing is deterministic");
}

Test(auth_preview, expired_at_its_time_and_after)
{
    char t[AUTH_PREVIEW_TOKEN_MAX];
    auth_preview_sign(key, 7, 1000, t);
    cr_assert_eq(verify(key, t, 999), AUTH_PREVIEW_OK);
    cr_assert_eq(verify(key, t, 1000), AUTH_PREVIEW_EXPIRED);
    cr_assert_eq(verify(key, t, 5000), AUTH_PREVIEW_EXPIRED);
}

Test(auth_preview, every_tampered_byte_is_refused)
{
    char t[AUTH_PREVIEW_TOKEN_MAX];
    auth_preview_sign(key, 123, 1800000000, t);
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++) {
        char bad[AUTH_PREVIEW_TOKEN_MAX];
        memcpy(bad, t, n + 1);
        /* a digit stays a digit, a base64 character stays one: only the MAC can tell */
        bad[i] = bad[i] == '9' ? '8' : bad[i] == 'A' ? 'B' : bad[i] == '.' ? '.' : (char)'9';
        if (bad[i] == t[i])
            continue;
        cr_expect_eq(verify(key, bad, 0), AUTH_PREVIEW_INVALID, "byte %zu changed: %s", i, bad);
    }
}

Test(auth_preview, another_post_or_a_later_time_needs_a_new_mac)
{
    char t[AUTH_PREVIEW_TOKEN_MAX], forged[AUTH_PREVIEW_TOKEN_MAX * 2];
    auth_preview_sign(key, 5, 1000, t);
    const char *mac = strrchr(t, '.') + 1;
    snprintf(forged, sizeof(forged), "6.1000.%s", mac);
    cr_assert_eq(verify(key, forged, 0), AUTH_PREVIEW_INVALID, "another post");
    snprintf(forged, sizeof(forged), "5.99999999999.%s", mac);
    cr_assert_eq(verify(key, forged, 2000), AUTH_PREVIEW_INVALID, "extended: not 'expired'");
}

Test(auth_preview, a_wrong_key_is_refused)
{
    char t[AUTH_PREVIEW_TOKEN_MAX];
    auth_preview_sign(key, 5, 1800000000, t);
    cr_assert_eq(verify(other, t, 0), AUTH_PREVIEW_INVALID);
    cr_assert_eq(verify((struct str){"", 0}, t, 0), AUTH_PREVIEW_INVALID);
}

Test(auth_preview, overflowing_and_noncanonical_numbers_are_refused)
{
    char t[AUTH_PREVIEW_TOKEN_MAX], bad[AUTH_PREVIEW_TOKEN_MAX * 2];
    auth_preview_sign(key, 5, 1000, t);
    const char *mac = strrchr(t, '.') + 1;
    const char *heads[] = {"9223372036854775808.1000",
                           "99999999999999999999.1000",
                           "5.18446744073709551617",
                           "05.1000",
                           "+5.1000",
                           "-5.1000",
                           "5.-1000",
                           "0.1000",
                           "5.0",
                           " 5.1000",
                           "5.1000 ",
                           ".1000",
                           "5.",
                           "5x.1000"};
    for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        snprintf(bad, sizeof(bad), "%s.%s", heads[i], mac);
        cr_expect_eq(verify(key, bad, 0), AUTH_PREVIEW_INVALID, "%s", bad);
    }
    /* the largest numbers that fit are fine to sign and check */
    auth_preview_sign(key, INT64_MAX, INT64_MAX, t);
    cr_assert_eq(verify(key, t, 0), AUTH_PREVIEW_OK, "%s", t);
}

Test(auth_preview, garbage_and_bad_base64_are_refused)
{
    char t[AUTH_PREVIEW_TOKEN_MAX], bad[AUTH_PREVIEW_TOKEN_MAX * 2];
    auth_preview_sign(key, 5, 1000, t);
    const char *garbage[] = {"",        ".",   "..",          "5.1000",
                             "5.1000.", "abc", "5.1000.!!!!", "5.1000.AAAA"};
    for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++)
        cr_expect_eq(verify(key, garbage[i], 0), AUTH_PREVIEW_INVALID, "'%s'", garbage[i]);
    snprintf(bad, sizeof(bad), "%s=", t);
    cr_expect_eq(verify(key, bad, 0), AUTH_PREVIEW_INVALID, "padding added");
    snprintf(bad, sizeof(bad), "%sA", t);
    cr_expect_eq(verify(key, bad, 0), AUTH_PREVIEW_INVALID, "a byte more");
    snprintf(bad, sizeof(bad), "%.*s", (int)strlen(t) - 1, t);
    cr_expect_eq(verify(key, bad, 0), AUTH_PREVIEW_INVALID, "a byte less");
    snprintf(bad, sizeof(bad), "%s", t);
    char *m = strrchr(bad, '.') + 1;
    m[3] = '+'; /* standard base64, not base64url */
    cr_expect_eq(verify(key, bad, 0), AUTH_PREVIEW_INVALID, "'+' is not base64url");
    m[3] = '\0';
    cr_expect_eq(auth_preview_verify(key, (struct str){NULL, 0}, 0, &(int64_t){0}, &(int64_t){0}),
                 AUTH_PREVIEW_INVALID, "no token");
}
