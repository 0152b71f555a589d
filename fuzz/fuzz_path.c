/* libFuzzer target: request-target decoding (path and query), the first parser of input. */
#include "http/http.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct str in = {(const char *)data, size};
    struct str out;
    if (http_path_decode(in, &a, &out, NULL) == ERR_OK) {
        /* what passes is valid UTF-8 without NUL or dot segments */
        if (!utf8_valid(out.ptr, out.len) || memchr(out.ptr, '\0', out.len))
            __builtin_trap();
        struct request req = {.arena = &a};
        http_route_match("/tag/{slug}/page/{n}/", out, &req);
        http_route_match("/assets/{*path}", out, &req);
    }
    static const char *const keep[] = {"before", "tag", NULL};
    struct request req = {.arena = &a, .query = in};
    struct str v;
    http_request_query(&req, "before", &v);
    struct str kept = http_query_keep(&req, keep);
    if (kept.len > in.len)
        __builtin_trap();
    arena_release(&a);
    return 0;
}
