/*
 * HMAC-SHA256 for signatures others check: WebSub's X-Hub-Signature (WebSub 8). libsodium's
 * crypto_auth_hmacsha256 family hashes a key longer than the block as RFC 2104 says, so any
 * key a subscriber chose (up to 199 bytes) gives the digest their own HMAC computes.
 */
#include "auth/auth.h"

#include <sodium.h>

void auth_hmac_sha256_hex(struct str key, struct str msg, char out[65])
{
    crypto_auth_hmacsha256_state state;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&state, (const unsigned char *)key.ptr, key.len);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)msg.ptr, msg.len);
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}
