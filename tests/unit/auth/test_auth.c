#include "auth/auth.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static void init(void)
{
    struct err err = {0};
    cr_assert_eq(auth_init(&err), ERR_OK, "%s", err.msg);
}

TestSuite(auth, .init = init);

Test(auth, roles_parse_and_order)
{
    enum auth_role r;
    cr_assert(auth_role_parse(STR_LIT("editor"), &r));
    cr_assert_eq(r, AUTH_EDITOR);
    cr_assert(!auth_role_parse(STR_LIT("desk"), &r), "a desk never logs in");
    cr_assert(!auth_role_parse(STR_LIT("Editor"), &r));
    cr_assert(!auth_role_parse(STR_LIT(""), &r));
    cr_assert_str_eq(auth_role_name(AUTH_ADMINISTRATOR), "administrator");
    cr_assert(AUTH_CONTRIBUTOR < AUTH_AUTHOR && AUTH_AUTHOR < AUTH_EDITOR &&
              AUTH_EDITOR < AUTH_ADMINISTRATOR);
}

/* Ghost's matrix, row by row: (role, action, own, published) → allowed. */
Test(auth, the_permission_matrix)
{
    static const struct {
        enum auth_role role;
        enum auth_action act;
        bool own, published, allowed;
    } rows[] = {
        {AUTH_CONTRIBUTOR, AUTH_POST_WRITE, true, false, true},
        {AUTH_CONTRIBUTOR, AUTH_POST_WRITE, true, true, false},
        {AUTH_CONTRIBUTOR, AUTH_POST_WRITE, false, false, false},
        {AUTH_CONTRIBUTOR, AUTH_POST_PUBLISH, true, false, false},
        {AUTH_CONTRIBUTOR, AUTH_POST_DELETE, true, false, true},
        {AUTH_CONTRIBUTOR, AUTH_POST_DELETE, true, true, false},
        {AUTH_CONTRIBUTOR, AUTH_TAG_CREATE, false, false, false},
        {AUTH_CONTRIBUTOR, AUTH_TIPS_READ, false, false, false},
        {AUTH_AUTHOR, AUTH_POST_WRITE, true, true, true},
        {AUTH_AUTHOR, AUTH_POST_WRITE, false, false, false},
        {AUTH_AUTHOR, AUTH_POST_PUBLISH, true, false, true},
        {AUTH_AUTHOR, AUTH_POST_PUBLISH, false, false, false},
        {AUTH_AUTHOR, AUTH_POST_DELETE, false, true, false},
        {AUTH_AUTHOR, AUTH_TAG_CREATE, false, false, true},
        {AUTH_AUTHOR, AUTH_TAGS_MANAGE, false, false, false},
        {AUTH_AUTHOR, AUTH_TIPS_READ, false, false, false},
        {AUTH_EDITOR, AUTH_POST_WRITE, false, true, true},
        {AUTH_EDITOR, AUTH_POST_PUBLISH, false, false, true},
        {AUTH_EDITOR, AUTH_POST_DELETE, false, true, true},
        {AUTH_EDITOR, AUTH_TAGS_MANAGE, false, false, true},
        {AUTH_EDITOR, AUTH_TIPS_READ, false, false, true},
        {AUTH_EDITOR, AUTH_STAFF_MANAGE, false, false, true},
        {AUTH_EDITOR, AUTH_STAFF_ROLES, false, false, false},
        {AUTH_EDITOR, AUTH_AUDIT_READ, false, false, false},
        {AUTH_ADMINISTRATOR, AUTH_STAFF_ROLES, false, false, true},
        {AUTH_ADMINISTRATOR, AUTH_AUDIT_READ, false, false, true},
        {AUTH_NONE, AUTH_POST_WRITE, true, false, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        struct auth_post p = {rows[i].own, rows[i].published};
        cr_expect_eq(auth_can(rows[i].role, rows[i].act, &p), rows[i].allowed, "row %zu", i);
    }
}

Test(auth, profiles_and_grants)
{
    cr_assert(auth_can_edit_profile(AUTH_CONTRIBUTOR, true, AUTH_CONTRIBUTOR, false));
    cr_assert(!auth_can_edit_profile(AUTH_AUTHOR, false, AUTH_CONTRIBUTOR, false));
    cr_assert(auth_can_edit_profile(AUTH_EDITOR, false, AUTH_AUTHOR, false));
    cr_assert(auth_can_edit_profile(AUTH_EDITOR, false, AUTH_NONE, true), "desks");
    cr_assert(!auth_can_edit_profile(AUTH_EDITOR, false, AUTH_EDITOR, false), "peers");
    cr_assert(auth_can_edit_profile(AUTH_ADMINISTRATOR, false, AUTH_ADMINISTRATOR, false));
    cr_assert(auth_can_grant(AUTH_EDITOR, AUTH_AUTHOR));
    cr_assert(!auth_can_grant(AUTH_EDITOR, AUTH_EDITOR));
    cr_assert(auth_can_grant(AUTH_ADMINISTRATOR, AUTH_ADMINISTRATOR));
    cr_assert(!auth_can_grant(AUTH_AUTHOR, AUTH_CONTRIBUTOR));
    cr_assert(!auth_can_grant(AUTH_ADMINISTRATOR, AUTH_NONE));
}

Test(auth, passwords_hash_with_argon2id_and_verify)
{
    char hash[AUTH_HASH_MAX];
    struct err err = {0};
    cr_assert_eq(auth_password_hash(STR_LIT("correct horse battery"), hash, &err), ERR_OK);
    cr_assert(strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "%s", hash);
    cr_assert(auth_password_verify(hash, STR_LIT("correct horse battery")));
    cr_assert(!auth_password_verify(hash, STR_LIT("correct horse batterY")));
    cr_assert(!auth_password_verify(hash, STR_LIT("")));
    cr_assert(!auth_password_verify(NULL, STR_LIT("correct horse battery")));
    cr_assert(!auth_password_verify("", STR_LIT("")));
    char again[AUTH_HASH_MAX];
    auth_password_hash(STR_LIT("correct horse battery"), again, &err);
    cr_assert_str_neq(hash, again, "salted");
    cr_assert_eq(auth_password_hash(STR_LIT("short"), hash, &err), ERR_INVALID);
    cr_assert(strstr(err.msg, "at least"));
    cr_assert_eq(auth_password_check((struct str){"abcdefghij\xff", 11}, &err), ERR_INVALID);
}

Test(auth, tokens_are_random_urlsafe_and_hashed)
{
    char a[AUTH_TOKEN_LEN + 1], b[AUTH_TOKEN_LEN + 1];
    auth_token_new(a);
    auth_token_new(b);
    cr_assert_eq(strlen(a), AUTH_TOKEN_LEN);
    cr_assert_str_neq(a, b);
    cr_assert_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                 AUTH_TOKEN_LEN);
    unsigned char h1[32], h2[32];
    auth_token_hash(str_from(a), h1);
    auth_token_hash(str_from(a), h2);
    cr_assert(memcmp(h1, h2, 32) == 0);
    cr_assert(auth_secret_eq(str_from(a), str_from(a)));
    cr_assert(!auth_secret_eq(str_from(a), str_from(b)));
    cr_assert(!auth_secret_eq(STR_LIT(""), STR_LIT("")), "an empty secret never matches");
    cr_assert(!auth_secret_eq(str_from(a), (struct str){a, AUTH_TOKEN_LEN - 1}));
}

Test(auth, limiter_blocks_within_the_window_and_forgets_after)
{
    struct auth_limiter *l = auth_limiter_new(3, 60, 64);
    int64_t wait = 0;
    for (int i = 0; i < 3; i++) {
        cr_assert(!auth_limiter_blocked(l, STR_LIT("a"), 1000 + i, &wait));
        auth_limiter_hit(l, STR_LIT("a"), 1000 + i);
    }
    cr_assert(auth_limiter_blocked(l, STR_LIT("a"), 1010, &wait));
    cr_assert_eq(wait, 50);
    cr_assert(!auth_limiter_blocked(l, STR_LIT("b"), 1010, &wait), "keys are apart");
    cr_assert(!auth_limiter_blocked(l, STR_LIT("a"), 1060, &wait), "the oldest expired");
    auth_limiter_clear(l, STR_LIT("a"));
    cr_assert(!auth_limiter_blocked(l, STR_LIT("a"), 1010, &wait));
    auth_limiter_free(l);
}

Test(auth, limiter_memory_stays_bounded_under_a_flood)
{
    struct auth_limiter *l = auth_limiter_new(2, 600, 64);
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
        auth_limiter_hit(l, str_from(key), 1000 + i / 1000);
    }
    /* the table still counts: a key hit twice now is blocked */
    auth_limiter_hit(l, str_from(key), 2000);
    auth_limiter_hit(l, str_from(key), 2000);
    int64_t wait;
    cr_assert(auth_limiter_blocked(l, str_from(key), 2000, &wait));
    auth_limiter_free(l);
}
