/*
 * Preview links' tokens: HMAC-SHA256 (RFC 2104, libsodium's crypto_auth_hmacsha256) over
 * the post id and the expiry. The numbers are written in one canonical form and parsed
 * strictly, so one (id, expiry) pair has exactly one signed text: "012" or "+12" are not
 * other spellings of 12 that a MAC check would need to think about.
 */
#include "auth/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define MAC_B64_LEN 43 /* 32 bytes, base64url without padding */

static void mac_of(struct str key, const char *msg, size_t len,
                   unsigned char out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    /* any key length: init hashes a long key as RFC 2104 says */
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key.ptr, key.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, len);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof(st));
}

void auth_preview_sign(struct str key, int64_t post_id, int64_t expires,
                       char out[AUTH_PREVIEW_TOKEN_MAX])
{
    int n =
        snprintf(out, AUTH_PREVIEW_TOKEN_MAX, "%lld.%lld", (long long)post_id, (long long)expires);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    mac_of(key, out, (size_t)n, mac);
    out[n] = '.';
    sodium_bin2base64(out + n + 1, AUTH_PREVIEW_TOKEN_MAX - (size_t)n - 1, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* A positive decimal without sign or leading zero that fits an int64_t; false otherwise. */
static bool parse_positive(struct str s, int64_t *out)
{
    if (!s.len || s.len > 19 || s.ptr[0] == '0')
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s.ptr[i] - '0'); /* 19 digits fit a uint64_t */
    }
    if (v > (uint64_t)INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

/* token cut at its two dots: the signed text "ID.EXPIRES", its two numbers, the MAC. */
static bool split_token(struct str token, struct str *signed_text, struct str *id, struct str *exp,
                        struct str *mac)
{
    const char *dot1 = memchr(token.ptr, '.', token.len);
    if (!dot1)
        return false;
    size_t rest = token.len - (size_t)(dot1 + 1 - token.ptr);
    const char *dot2 = memchr(dot1 + 1, '.', rest);
    if (!dot2)
        return false;
    *id = (struct str){token.ptr, (size_t)(dot1 - token.ptr)};
    *exp = (struct str){dot1 + 1, (size_t)(dot2 - dot1 - 1)};
    *signed_text = (struct str){token.ptr, (size_t)(dot2 - token.ptr)};
    *mac = (struct str){dot2 + 1, token.len - signed_text->len - 1};
    return true;
}

enum auth_preview_check auth_preview_verify(struct str key, struct str token, int64_t now,
                                            int64_t *post_id, int64_t *expires)
{
    struct str text, id_s, exp_s, mac_s;
    int64_t id, exp;
    if (!token.ptr || token.len >= AUTH_PREVIEW_TOKEN_MAX ||
        !split_token(token, &text, &id_s, &exp_s, &mac_s) || mac_s.len != MAC_B64_LEN ||
        !parse_positive(id_s, &id) || !parse_positive(exp_s, &exp))
        return AUTH_PREVIEW_INVALID;
    unsigned char given[crypto_auth_hmacsha256_BYTES], want[crypto_auth_hmacsha256_BYTES];
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(given, sizeof(given), mac_s.ptr, mac_s.len, NULL, &got, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        got != sizeof(given) || end != mac_s.ptr + mac_s.len)
        return AUTH_PREVIEW_INVALID;
    mac_of(key, text.ptr, text.len, want);
    if (sodium_memcmp(given, want, sizeof(want)) != 0)
        return AUTH_PREVIEW_INVALID;
    *post_id = id;
    *expires = exp;
    return now >= exp ? AUTH_PREVIEW_EXPIRED : AUTH_PREVIEW_OK;
}
