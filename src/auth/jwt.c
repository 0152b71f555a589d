/*
 * Ghost's Admin API tokens: compact JWS (RFC 7515) with HS256 (RFC 7518 3.2), checked as
 * Ghost's admin.js does with jsonwebtoken, and with its messages, so a client sees the
 * same refusals: the algorithm first, then the signature, then exp, aud and the age.
 *
 * Only HS256 is accepted, whatever the header claims: "alg": "none" or an RSA algorithm
 * (the classic confusion attacks) never reach the MAC check. The MAC is compared with
 * sodium_memcmp, in time independent of where the bytes differ. The header and payload
 * are parsed by json/ with small limits; nothing of them is believed before the MAC.
 */
#include "auth/auth.h"

#include "json/json.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SIG_B64_LEN 43 /* 32 bytes, base64url without padding */
#define PART_MAX 2048  /* decoded bytes of a header or payload */

#define INVALID_JWT "\n\nINVALID_JWT"

static const char *const audiences[] = {"/admin/",    "/v2/admin/", "/v3/admin/",
                                        "/v4/admin/", "/v5/admin/", "/canary/admin/"};

/* The three parts of a compact JWS; false unless exactly two dots. */
static bool split(struct str t, struct str parts[3])
{
    const char *d1 = memchr(t.ptr, '.', t.len);
    if (!d1)
        return false;
    const char *rest = d1 + 1;
    const char *d2 = memchr(rest, '.', (size_t)(t.ptr + t.len - rest));
    if (!d2 || memchr(d2 + 1, '.', (size_t)(t.ptr + t.len - d2 - 1)))
        return false;
    parts[0] = (struct str){t.ptr, (size_t)(d1 - t.ptr)};
    parts[1] = (struct str){rest, (size_t)(d2 - rest)};
    parts[2] = (struct str){d2 + 1, (size_t)(t.ptr + t.len - d2 - 1)};
    return parts[0].len && parts[1].len;
}

/* A base64url part decoded and parsed as a JSON object (*out: caller frees); false if not. */
static bool part_json(struct str b64, struct json **out)
{
    unsigned char bin[PART_MAX];
    size_t n;
    const char *end;
    *out = NULL;
    if (b64.len > PART_MAX ||
        sodium_base642bin(bin, sizeof(bin), b64.ptr, b64.len, NULL, &n, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != b64.ptr + b64.len)
        return false;
    const struct json_limits lim = {.max_bytes = PART_MAX, .max_depth = 4};
    if (json_parse((struct str){(const char *)bin, n}, &lim, out, NULL))
        return false;
    if (json_kind_of(*out) == JSON_KIND_OBJ)
        return true;
    json_free(*out);
    *out = NULL;
    return false;
}

enum err_code auth_jwt_decode(struct str token, struct arena *a, struct auth_jwt *out,
                              struct err *err)
{
    struct str parts[3];
    struct json *h;
    *out = (struct auth_jwt){0};
    if (token.len > AUTH_JWT_MAX || !split(token, parts) || !part_json(parts[0], &h))
        return err_set(err, ERR_INVALID, "Invalid token" INVALID_JWT);
    struct str kid;
    bool has = json_as_str(json_obj_get(h, "kid"), &kid) && kid.len;
    if (has)
        out->kid = (struct str){arena_strndup(a, kid.ptr, kid.len), kid.len};
    json_free(h);
    if (!has)
        return err_set(err, ERR_INVALID, "Admin API kid missing.\n\nMISSING_ADMIN_API_KID");
    return ERR_OK;
}

static void mac_of(const unsigned char *key, size_t keylen, struct str msg,
                   unsigned char out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, keylen);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg.ptr, msg.len);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof(st));
}

/* The secret's bytes; false when it is not AUTH_ADMIN_SECRET_HEX hex digits. */
static bool secret_bytes(struct str hex, unsigned char key[AUTH_ADMIN_SECRET_HEX / 2])
{
    size_t n;
    const char *end;
    return hex.len == AUTH_ADMIN_SECRET_HEX &&
           sodium_hex2bin(key, AUTH_ADMIN_SECRET_HEX / 2, hex.ptr, hex.len, NULL, &n, &end) == 0 &&
           n == AUTH_ADMIN_SECRET_HEX / 2 && end == hex.ptr + hex.len;
}

static bool signature_ok(const struct str parts[3], struct str token, struct str secret_hex)
{
    unsigned char key[AUTH_ADMIN_SECRET_HEX / 2], want[crypto_auth_hmacsha256_BYTES];
    unsigned char got[crypto_auth_hmacsha256_BYTES];
    size_t n;
    const char *end;
    if (!secret_bytes(secret_hex, key))
        return false;
    struct str signed_part = {token.ptr, parts[0].len + 1 + parts[1].len};
    mac_of(key, sizeof(key), signed_part, want);
    sodium_memzero(key, sizeof(key));
    bool decoded = parts[2].len == SIG_B64_LEN &&
                   sodium_base642bin(got, sizeof(got), parts[2].ptr, parts[2].len, NULL, &n, &end,
                                     sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
                   n == sizeof(got) && end == parts[2].ptr + parts[2].len;
    /* compared even when the signature did not decode, so the time says nothing more */
    if (!decoded)
        memset(got, 0, sizeof(got));
    return sodium_memcmp(got, want, sizeof(want)) == 0 && decoded;
}

static bool audience_ok(const struct json *aud)
{
    struct str s;
    if (!json_as_str(aud, &s))
        return false;
    for (size_t i = 0; i < ARRAY_LEN(audiences); i++)
        if (str_eq_cstr(s, audiences[i]))
            return true;
    return false;
}

/* The payload's claims, in jsonwebtoken's order of checks. */
static enum err_code claims_check(const struct json *p, int64_t now, struct err *err)
{
    int64_t exp, iat;
    if (!json_as_int(json_obj_get(p, "exp"), &exp))
        return err_set(err, ERR_AUTH, "Invalid token: jwt exp required" INVALID_JWT);
    if (now >= exp)
        return err_set(err, ERR_AUTH, "Invalid token: jwt expired" INVALID_JWT);
    if (!audience_ok(json_obj_get(p, "aud")))
        return err_set(err, ERR_AUTH,
                       "Invalid token: jwt audience invalid. expected: /admin/" INVALID_JWT);
    if (!json_as_int(json_obj_get(p, "iat"), &iat))
        return err_set(err, ERR_AUTH,
                       "Invalid token: iat required when maxAge is specified" INVALID_JWT);
    if (now - iat > AUTH_JWT_MAX_AGE)
        return err_set(err, ERR_AUTH, "Invalid token: maxAge exceeded" INVALID_JWT);
    if (iat - now > AUTH_JWT_FUTURE_SKEW)
        return err_set(err, ERR_AUTH, "Invalid token: jwt issued in the future" INVALID_JWT);
    if (exp - iat > AUTH_JWT_MAX_AGE)
        return err_set(err, ERR_AUTH,
                       "Invalid token: jwt lifetime exceeds 5 minutes (exp - iat)" INVALID_JWT);
    return ERR_OK;
}

enum err_code auth_jwt_verify(struct str token, struct str secret_hex, int64_t now, struct arena *a,
                              struct err *err)
{
    (void)a;
    struct str parts[3];
    struct json *h = NULL, *p = NULL;
    enum err_code rc;
    if (token.len > AUTH_JWT_MAX || !split(token, parts) || !part_json(parts[0], &h) ||
        !part_json(parts[1], &p)) {
        rc = err_set(err, ERR_AUTH, "Invalid token: jwt malformed" INVALID_JWT);
        goto out;
    }
    struct str alg;
    if (!json_as_str(json_obj_get(h, "alg"), &alg) || !str_eq_cstr(alg, "HS256")) {
        rc = err_set(err, ERR_AUTH, "Invalid token: invalid algorithm" INVALID_JWT);
        goto out;
    }
    if (!signature_ok(parts, token, secret_hex)) {
        rc = err_set(err, ERR_AUTH, "Invalid token: invalid signature" INVALID_JWT);
        goto out;
    }
    rc = claims_check(p, now, err);
out:
    json_free(h);
    json_free(p);
    return rc;
}

/* s as base64url without padding, in a. */
static char *b64url(const unsigned char *s, size_t n, struct arena *a)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, cap);
    sodium_bin2base64(out, cap, s, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

char *auth_jwt_sign(struct str kid, struct str secret_hex, const char *aud, int64_t iat,
                    int64_t exp, struct arena *a)
{
    unsigned char key[AUTH_ADMIN_SECRET_HEX / 2], mac[crypto_auth_hmacsha256_BYTES];
    if (!secret_bytes(secret_hex, key))
        return NULL;
    char *h = arena_printf(a, "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"%.*s\"}", (int)kid.len,
                           kid.ptr);
    char *p = arena_printf(a, "{\"iat\":%lld,\"exp\":%lld,\"aud\":\"%s\"}", (long long)iat,
                           (long long)exp, aud);
    char *msg = arena_printf(a, "%s.%s", b64url((const unsigned char *)h, strlen(h), a),
                             b64url((const unsigned char *)p, strlen(p), a));
    mac_of(key, sizeof(key), str_from(msg), mac);
    sodium_memzero(key, sizeof(key));
    return arena_printf(a, "%s.%s", msg, b64url(mac, sizeof(mac), a));
}

enum err_code auth_jwt_key_usable(bool found, struct str type, int64_t revoked_at, struct err *err)
{
    if (!found || revoked_at)
        return err_set(err, ERR_AUTH, "Unknown Admin API Key\n\nUNKNOWN_ADMIN_API_KEY");
    if (!str_eq_cstr(type, "admin"))
        return err_set(err, ERR_AUTH, "Invalid API Key type\n\nINVALID_API_KEY_TYPE");
    return ERR_OK;
}
