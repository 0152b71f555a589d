/*
 * The Content API's key check: a key is known when it is exactly one of the active
 * keys' secrets, whichever of them, and never otherwise.
 */
#include "auth/auth.h"

#include <criterion/criterion.h>

static void init(void)
{
    struct err err = {0};
    cr_assert_eq(auth_init(&err), ERR_OK, "%s", err.msg);
}

TestSuite(auth_apikey, .init = init);

static const struct str active[] = {
    STR_LIT("0d24a422558b5e65383d219d28"),
    STR_LIT("9f1c0e7a33b24d5e8a6b7c0d11"),
    STR_LIT("41aa8c2e0b9d47f3a5e6c7d822"),
};

Test(auth_apikey, any_active_key_is_known)
{
    for (size_t i = 0; i < ARRAY_LEN(active); i++)
        cr_expect(auth_apikey_known(active[i], active, ARRAY_LEN(active)), "key %zu", i);
    /* a copy elsewhere in memory: the bytes count, not the pointer */
    char copy[] = "41aa8c2e0b9d47f3a5e6c7d822";
    cr_expect(auth_apikey_known(str_from(copy), active, ARRAY_LEN(active)));
}

Test(auth_apikey, near_misses_are_unknown)
{
    static const char *const wrong[] = {
        "0d24a422558b5e65383d219d29",  /* last digit */
        "1d24a422558b5e65383d219d28",  /* first digit */
        "0d24a422558b5e65383d219d2",   /* a prefix */
        "0d24a422558b5e65383d219d280", /* one more byte */
        "0D24A422558B5E65383D219D28",  /* case */
        "",
    };
    for (size_t i = 0; i < ARRAY_LEN(wrong); i++)
        cr_expect(!auth_apikey_known(str_from(wrong[i]), active, ARRAY_LEN(active)), "'%s'",
                  wrong[i]);
    /* a key with a NUL inside is not its prefix */
    struct str nul = {"0d24a422558b5e65383d219d28\0", 27};
    cr_expect(!auth_apikey_known(nul, active, ARRAY_LEN(active)));
}

/* A revoked key is simply no longer among the active ones: it stops at the next check. */
Test(auth_apikey, a_revoked_key_is_unknown)
{
    cr_expect(auth_apikey_known(active[1], active, 3));
    struct str after_revoke[] = {active[0], active[2]};
    cr_expect(!auth_apikey_known(active[1], after_revoke, 2));
    cr_expect(!auth_apikey_known(active[0], NULL, 0), "no active keys: nothing is known");
}

/* An empty secret in the table (a damaged row) never matches, not even an empty key. */
Test(auth_apikey, an_empty_secret_matches_nothing)
{
    struct str keys[] = {STR_LIT(""), active[0]};
    cr_expect(!auth_apikey_known(STR_LIT(""), keys, 2));
    cr_expect(!auth_apikey_known(STR_NULL, keys, 2));
    cr_expect(auth_apikey_known(active[0], keys, 2));
}
