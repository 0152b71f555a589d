/*
 * libFuzzer target: multipart/form-data bodies (http/multipart.c), as the upload form
 * sends them. The input's first line is the Content-Type header; the rest is the body.
 * Every part must lie inside the body and every file name must be a safe base name.
 */
#include "http/http.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(struct str s, struct str body)
{
    return s.ptr >= body.ptr && s.ptr + s.len <= body.ptr + body.len;
}

static void check_part(const struct http_part *p, struct str body)
{
    if (!inside(p->body, body) || !inside(p->name, body) || !p->name.len ||
        !utf8_valid(p->name.ptr, p->name.len))
        __builtin_trap();
    struct str f = p->filename;
    if (p->is_file && (!f.len || memchr(f.ptr, '/', f.len) || memchr(f.ptr, '\\', f.len) ||
                       memchr(f.ptr, '\0', f.len) || str_eq_cstr(f, "..") || str_eq_cstr(f, ".") ||
                       !utf8_valid(f.ptr, f.len)))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    struct str ct = {(const char *)data, nl ? (size_t)(nl - data) : size};
    struct str body = nl ? (struct str){(const char *)nl + 1, size - ct.len - 1} : STR_LIT("");
    struct arena a;
    arena_init(&a);
    struct http_multipart m;
    struct err err = {0};
    enum err_code rc = http_multipart_parse(ct, body, &a, &m, &err);
    if (rc != ERR_OK && (rc != ERR_INVALID || m.n || !err.msg[0]))
        __builtin_trap();
    for (size_t i = 0; i < m.n; i++)
        check_part(&m.parts[i], body);
    arena_release(&a);
    return 0;
}
