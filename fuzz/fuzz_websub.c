/*
 * libFuzzer target: a WebSub subscription request's form body (websub_request_parse),
 * and the same bytes as a callback URL and as a literal address. A request either fails
 * with a message or gives fields that hold what the checks promise: a known mode, an
 * http(s) callback within its limit, a secret under 200 bytes, a lease within bounds.
 */
#include "websub/websub.h"

#include "http/http.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct http_header form = {STR_LIT("content-type"),
                               STR_LIT("application/x-www-form-urlencoded")};
    struct str body = {(const char *)data, size};
    struct request req = {.arena = &a, .body = body, .headers = &form, .nheaders = 1};
    struct websub_request r;
    struct err err = {0};
    bool allow = size && (data[0] & 1);
    if (websub_request_parse(&req, allow, &r, &err) == ERR_OK) {
        if (r.mode != WEBSUB_SUBSCRIBE && r.mode != WEBSUB_UNSUBSCRIBE)
            __builtin_trap();
        if (r.callback.len > WEBSUB_CALLBACK_MAX || r.secret.len > WEBSUB_SECRET_MAX ||
            !(str_starts_with(r.callback, "http://") || str_starts_with(r.callback, "https://")))
            __builtin_trap();
        if (r.mode == WEBSUB_SUBSCRIBE &&
            (r.lease_seconds < WEBSUB_LEASE_MIN || r.lease_seconds > WEBSUB_LEASE_MAX))
            __builtin_trap();
    } else if (!err.msg[0]) {
        __builtin_trap();
    }
    struct str host;
    if (size <= WEBSUB_CALLBACK_MAX)
        (void)websub_callback_check(body, allow, &a, &host, &err);
    (void)websub_literal_public((struct str){body.ptr, size < 64 ? size : 64});
    arena_release(&a);
    return 0;
}
