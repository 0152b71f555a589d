/*
 * Passwords and tokens, through libsodium.
 *
 * argon2id at OWASP's Password Storage Cheat Sheet parameters: m = 19 MiB, t = 2, p = 1
 * (libsodium's crypto_pwhash always uses one lane). The encoded hash carries its
 * parameters, so raising them later still verifies old hashes.
 */
#include "auth/auth.h"

#include <sodium.h>
#include <string.h>

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)

/*
 * Verified against when an account has no hash, so that an unknown e-mail costs the same
 * work as a wrong password. The hash of a random string nobody kept, at our parameters:
 * fixed here rather than computed at start-up, where it cost 35 ms.
 */
static const char dummy_hash[] = "$argon2id$v=19$m=19456,t=2,p=1$S4h4PSZatyMUM/iujI/zYQ$"
                                 "dqjyEzV0RrkyME12GLsOzuCDEUZJxkuEcLoSwcuVRDs";

enum err_code auth_init(struct err *err)
{
    if (sodium_init() < 0)
        return err_set(err, ERR_INTERNAL, "cannot initialise libsodium");
    return ERR_OK;
}

enum err_code auth_password_check(struct str pw, struct err *err)
{
    if (pw.len < AUTH_PASSWORD_MIN)
        return err_set(err, ERR_INVALID, "the password must be at least %d characters long",
                       AUTH_PASSWORD_MIN);
    if (pw.len > AUTH_PASSWORD_MAX)
        return err_set(err, ERR_INVALID, "the password must be at most %d characters long",
                       AUTH_PASSWORD_MAX);
    if (!utf8_valid(pw.ptr, pw.len) || memchr(pw.ptr, '\0', pw.len))
        return err_set(err, ERR_INVALID, "the password must be valid UTF-8 text");
    return ERR_OK;
}

enum err_code auth_password_hash(struct str pw, char out[AUTH_HASH_MAX], struct err *err)
{
    _Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_MAX, "hash buffer too small");
    enum err_code rc = auth_password_check(pw, err);
    if (rc)
        return rc;
    if (crypto_pwhash_str_alg(out, pw.ptr, pw.len, PW_OPSLIMIT, PW_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return err_set(err, ERR_INTERNAL, "cannot hash the password: out of memory");
    return ERR_OK;
}

bool auth_password_verify(const char *hash, struct str pw)
{
    bool real = hash && hash[0] && pw.len <= AUTH_PASSWORD_MAX;
    const char *h = real ? hash : dummy_hash;
    if (pw.len > AUTH_PASSWORD_MAX)
        pw.len = AUTH_PASSWORD_MAX;
    bool ok = crypto_pwhash_str_verify(h, pw.ptr ? pw.ptr : "", pw.len) == 0;
    return real && ok;
}

void auth_token_new(char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void auth_sha256(struct str bytes, unsigned char out[32])
{
    crypto_hash_sha256(out, (const unsigned char *)bytes.ptr, bytes.len);
}

void auth_token_hash(struct str token, unsigned char out[32])
{
    auth_sha256(token, out);
}

bool auth_secret_eq(struct str a, struct str b)
{
    if (a.len != b.len || !a.len)
        return false;
    return sodium_memcmp(a.ptr, b.ptr, a.len) == 0;
}
