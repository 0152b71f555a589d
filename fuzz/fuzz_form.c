/*
 * libFuzzer target: what the newsroom reads from a browser — a form body
 * (application/x-www-form-urlencoded), the Cookie header, and a typed date and time.
 * The input is split at the first two NUL bytes into body, cookie and date.
 */
#include "http/http.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct str part(const uint8_t **p, size_t *left)
{
    const uint8_t *nul = memchr(*p, 0, *left);
    struct str s = {(const char *)*p, nul ? (size_t)(nul - *p) : *left};
    *left -= s.len + (nul ? 1 : 0);
    *p += s.len + (nul ? 1 : 0);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    const uint8_t *p = data;
    size_t left = size;
    struct str body = part(&p, &left), cookie = part(&p, &left), date = part(&p, &left);
    struct http_header hs[] = {
        {STR_LIT("content-type"), STR_LIT("application/x-www-form-urlencoded")},
        {STR_LIT("cookie"), cookie},
    };
    struct request req = {.arena = &a, .body = body, .headers = hs, .nheaders = 2};
    static const char *const fields[] = {"csrf", "title", "markdown", "tags", "action", ""};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        struct str v;
        if (http_form_get(&req, fields[i], &v) == ERR_OK &&
            (!utf8_valid(v.ptr, v.len) || memchr(v.ptr, '\0', v.len) || v.len > body.len))
            __builtin_trap();
    }
    struct str c = http_request_cookie(&req, "nd_session");
    if (c.ptr && (c.ptr < cookie.ptr || c.ptr + c.len > cookie.ptr + cookie.len))
        __builtin_trap();
    int64_t t;
    time_parse_local(date, &t);
    arena_release(&a);
    return 0;
}
