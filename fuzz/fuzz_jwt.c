/*
 * libFuzzer target: Ghost's Admin API tokens (auth/jwt.c), read from the Authorization
 * header of anyone. Whatever is refused must say why in Ghost's words; a token that
 * verifies must also decode, and must verify only under its own key.
 */
#include "auth/auth.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW INT64_C(1800000000)

static const struct str key = {"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                               64};
static const struct str other = {"ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
                                 64};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready && auth_init(NULL) == ERR_OK)
        ready = true;
    struct arena a;
    arena_init(&a);
    struct str token = {(const char *)data, size};
    struct auth_jwt j;
    struct err derr = {0}, err = {0};
    enum err_code decoded = auth_jwt_decode(token, &a, &j, &derr);
    if (decoded && !strstr(derr.msg, "\n\n"))
        __builtin_trap(); /* every refusal carries Ghost's code */
    enum err_code rc = auth_jwt_verify(token, key, NOW, &a, &err);
    if (rc && strncmp(err.msg, "Invalid token: ", 15) != 0)
        __builtin_trap();
    /* a token that verifies is well formed (its kid may still be missing) ... */
    if (rc == ERR_OK && decoded && strncmp(derr.msg, "Admin API kid missing.", 22) != 0)
        __builtin_trap();
    /* ... and verifies under its own key only */
    if (rc == ERR_OK && auth_jwt_verify(token, other, NOW, &a, NULL) == ERR_OK)
        __builtin_trap();
    arena_release(&a);
    return 0;
}
