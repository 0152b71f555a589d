/* Ghost's Admin API tokens: what verifies, and every way a token is refused, with Ghost's words. */
#include "auth/auth.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define KID "5f0c1a2b3c4d5e6f70819203"
static const struct str kid = {KID, 24};
static const struct str secret = {
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 64};
static const struct str other = {"00112233445566778899aabbccddeeff00112233445566778899aabbccddeefe",
                                 64};
#define NOW INT64_C(1800000000)

static struct arena a;

static void init(void)
{
    struct err err = {0};
    cr_assert_eq(auth_init(&err), ERR_OK, "%s", err.msg);
    arena_init(&a);
}

static void fini(void)
{
    arena_release(&a);
}

TestSuite(auth_jwt, .init = init, .fini = fini);

static enum err_code verify(const char *token, struct str key, struct err *err)
{
    *err = (struct err){0};
    return auth_jwt_verify(str_from(token), key, NOW, &a, err);
}

static void refused(const char *token, struct str key, const char *why)
{
    struct err err;
    cr_expect_eq(verify(token, key, &err), ERR_AUTH, "'%s' not refused", token);
    char want[256];
    snprintf(want, sizeof(want), "Invalid token: %s\n\nINVALID_JWT", why);
    cr_expect_str_eq(err.msg, want);
}

/* A token with the given parts (JSON texts), signed with key over them. */
static char *forge(const char *header, const char *payload, struct str key)
{
    char h[512], p[512];
    sodium_bin2base64(h, sizeof(h), (const unsigned char *)header, strlen(header),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_bin2base64(p, sizeof(p), (const unsigned char *)payload, strlen(payload),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *msg = arena_printf(&a, "%s.%s", h, p);
    unsigned char k[32], mac[32];
    sodium_hex2bin(k, sizeof(k), key.ptr, key.len, NULL, NULL, NULL);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k, sizeof(k));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
    crypto_auth_hmacsha256_final(&st, mac);
    char sig[64];
    sodium_bin2base64(sig, sizeof(sig), mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return arena_printf(&a, "%s.%s", msg, sig);
}

Test(auth_jwt, a_token_as_ghosts_client_makes_it_verifies)
{
    const char *auds[] = {"/admin/", "/v2/admin/", "/v3/admin/", "/v4/admin/", "/canary/admin/"};
    for (size_t i = 0; i < sizeof(auds) / sizeof(auds[0]); i++) {
        char *t = auth_jwt_sign(kid, secret, auds[i], NOW - 10, NOW + 290, &a);
        struct err err;
        cr_expect_eq(verify(t, secret, &err), ERR_OK, "%s: %s", auds[i], err.msg);
        struct auth_jwt j;
        cr_assert_eq(auth_jwt_decode(str_from(t), &a, &j, &err), ERR_OK);
        cr_expect(str_eq_cstr(j.kid, KID));
    }
    /* and one made independently of auth_jwt_sign, with jsonwebtoken's header order */
    char *t = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}",
                    "{\"iat\":1799999990,\"exp\":1800000290,\"aud\":\"/admin/\"}", secret);
    struct err err;
    cr_expect_eq(verify(t, secret, &err), ERR_OK, "%s", err.msg);
}

Test(auth_jwt, expired_old_future_and_long_lived_tokens_are_refused)
{
    refused(auth_jwt_sign(kid, secret, "/admin/", NOW - 300, NOW, &a), secret, "jwt expired");
    refused(auth_jwt_sign(kid, secret, "/admin/", NOW - 400, NOW + 10, &a), secret,
            "maxAge exceeded");
    refused(auth_jwt_sign(kid, secret, "/admin/", NOW + 120, NOW + 300, &a), secret,
            "jwt issued in the future");
    refused(auth_jwt_sign(kid, secret, "/admin/", NOW, NOW + 301, &a), secret,
            "jwt lifetime exceeds 5 minutes (exp - iat)");
    refused(forge("{\"alg\":\"HS256\",\"kid\":\"" KID "\"}", "{\"aud\":\"/admin/\"}", secret),
            secret, "jwt exp required");
    refused(forge("{\"alg\":\"HS256\",\"kid\":\"" KID "\"}",
                  "{\"exp\":1800000100,\"aud\":\"/admin/\"}", secret),
            secret, "iat required when maxAge is specified");
    refused(forge("{\"alg\":\"HS256\",\"kid\":\"" KID "\"}",
                  "{\"iat\":1800000000.5,\"exp\":1800000100,\"aud\":\"/admin/\"}", secret),
            secret, "iat required when maxAge is specified");
}

Test(auth_jwt, a_wrong_audience_is_refused)
{
    const char *bad[] = {"/content/", "/admin", "admin", "/ghost/api/admin/", "", "/v2/content/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        refused(auth_jwt_sign(kid, secret, bad[i], NOW, NOW + 60, &a), secret,
                "jwt audience invalid. expected: /admin/");
    refused(forge("{\"alg\":\"HS256\",\"kid\":\"" KID "\"}",
                  "{\"iat\":1800000000,\"exp\":1800000100}", secret),
            secret, "jwt audience invalid. expected: /admin/");
}

Test(auth_jwt, a_wrong_signature_is_refused)
{
    char *t = auth_jwt_sign(kid, secret, "/admin/", NOW, NOW + 60, &a);
    refused(t, other, "invalid signature");
    char *flipped = arena_strndup(&a, t, strlen(t));
    size_t last = strlen(flipped) - 2;
    flipped[last] = flipped[last] == 'A' ? 'B' : 'A';
    refused(flipped, secret, "invalid signature");
    /* the payload changed after signing: the audience of another API */
    char *other_aud = auth_jwt_sign(kid, secret, "/content/", NOW, NOW + 60, &a);
    char *mixed = arena_printf(&a, "%.*s%s", (int)(strchr(other_aud, '.') - other_aud + 1),
                               other_aud, strchr(t, '.') + 1);
    cr_expect_eq(verify(mixed, secret, &(struct err){0}), ERR_OK); /* same payload: fine */
    char *swapped = arena_printf(&a, "%.*s%s", (int)(strrchr(other_aud, '.') - other_aud),
                                 other_aud, strrchr(t, '.'));
    refused(swapped, secret, "invalid signature");
    refused(arena_printf(&a, "%.*s.", (int)(strrchr(t, '.') - t), t), secret, "invalid signature");
    /* a secret that is not 64 hex digits signs nothing */
    refused(t, STR_LIT("00112233"), "invalid signature");
}

Test(auth_jwt, alg_none_and_rs256_are_refused_whatever_the_signature)
{
    const char *p = "{\"iat\":1800000000,\"exp\":1800000100,\"aud\":\"/admin/\"}";
    const char *hs[] = {"{\"alg\":\"none\",\"kid\":\"" KID "\"}",
                        "{\"alg\":\"RS256\",\"kid\":\"" KID "\"}",
                        "{\"alg\":\"HS512\",\"kid\":\"" KID "\"}",
                        "{\"alg\":\"hs256\",\"kid\":\"" KID "\"}", "{\"kid\":\"" KID "\"}"};
    for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++) {
        char *t = forge(hs[i], p, secret);
        refused(t, secret, "invalid algorithm");
        /* and "alg": "none" with no signature at all */
        refused(arena_printf(&a, "%.*s.", (int)(strrchr(t, '.') - t), t), secret,
                "invalid algorithm");
    }
}

Test(auth_jwt, malformed_tokens_are_refused)
{
    const char *bad[] = {"",
                         "abc",
                         "a.b",
                         "a.b.c.d",
                         "..",
                         "!!!.e30.abc",
                         "e30.!!!.abc",
                         "bm90IGpzb24.e30.abc", /* "not json" */
                         "WzFd.e30.abc",        /* [1]: not an object */
                         "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.abc"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        refused(bad[i], secret, "jwt malformed");
        struct err err = {0};
        struct auth_jwt j;
        enum err_code rc = auth_jwt_decode(str_from(bad[i]), &a, &j, &err);
        cr_expect_eq(rc, ERR_INVALID, "'%s'", bad[i]);
    }
    char big[AUTH_JWT_MAX + 10];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    big[10] = big[20] = '.';
    refused(big, secret, "jwt malformed");
}

Test(auth_jwt, decode_names_the_kid_or_says_it_is_missing)
{
    struct err err = {0};
    struct auth_jwt j;
    char *t = forge("{\"alg\":\"HS256\"}", "{}", secret);
    cr_expect_eq(auth_jwt_decode(str_from(t), &a, &j, &err), ERR_INVALID);
    cr_expect_str_eq(err.msg, "Admin API kid missing.\n\nMISSING_ADMIN_API_KID");
    t = forge("{\"alg\":\"HS256\",\"kid\":7}", "{}", secret);
    cr_expect_eq(auth_jwt_decode(str_from(t), &a, &j, &err), ERR_INVALID);
    err = (struct err){0};
    cr_expect_eq(auth_jwt_decode(STR_LIT("x.y.z"), &a, &j, &err), ERR_INVALID);
    cr_expect_str_eq(err.msg, "Invalid token\n\nINVALID_JWT");
}

Test(auth_jwt, only_an_active_admin_key_may_sign)
{
    struct err err = {0};
    cr_expect_eq(auth_jwt_key_usable(true, STR_LIT("admin"), 0, &err), ERR_OK);
    cr_expect_eq(auth_jwt_key_usable(true, STR_LIT("content"), 0, &err), ERR_AUTH);
    cr_expect_str_eq(err.msg, "Invalid API Key type\n\nINVALID_API_KEY_TYPE");
    cr_expect_eq(auth_jwt_key_usable(true, STR_LIT("admin"), NOW - 5, &err), ERR_AUTH);
    cr_expect_str_eq(err.msg, "Unknown Admin API Key\n\nUNKNOWN_ADMIN_API_KEY");
    cr_expect_eq(auth_jwt_key_usable(false, STR_LIT(""), 0, &err), ERR_AUTH);
    cr_expect_str_eq(err.msg, "Unknown Admin API Key\n\nUNKNOWN_ADMIN_API_KEY");
}
