/*
 * libFuzzer target: the HTTP/1 request-head framing check (http_head_check), which reads the
 * raw head a client sent. The first byte picks the method and version; the rest is the head.
 * Whatever it decides, it must decide without reading past the bytes given, and a head it
 * accepts must name exactly one way to find the end of the body.
 */
#include "http/http_int.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const methods[] = {"GET", "POST", "HEAD", "OPTIONS"};
    struct str method = str_from(methods[data[0] & 3]);
    bool http11 = (data[0] & 4) != 0;
    struct str head = {(const char *)data + 1, size - 1};
    struct err err = {0};
    enum err_code rc = http_head_check(head, method, http11, &err);
    if (rc != ERR_OK && rc != ERR_INVALID && rc != ERR_INTERNAL)
        __builtin_trap();
    if (rc != ERR_OK && !err.msg[0])
        __builtin_trap(); /* every refusal says why */
    return 0;
}
