/*
 * API keys. The Content API's key is a secret sent in every request's query (Ghost's
 * design): it is checked against every active key, in time that tells an attacker
 * nothing about which key or how many of its bytes matched. The Admin API's keys (a
 * key id and a secret that signs a JWT) will be checked here too.
 */
#include "auth/auth.h"

bool auth_apikey_known(struct str key, const struct str *active, size_t n)
{
    bool known = false;
    for (size_t i = 0; i < n; i++)
        known |= auth_secret_eq(key, active[i]);
    return known;
}
