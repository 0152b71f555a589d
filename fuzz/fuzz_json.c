/*
 * libFuzzer target: json/'s parser, which the Admin API runs on request bodies, and its
 * writer. Whatever it accepts must be within the limits and write back to text that
 * parses to the same bytes again; script-safe output must hold no '<', '>' or '&';
 * whatever it refuses must say why and hand back no tree.
 */
#include "json/json.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct json_limits limits = {64 * 1024, 32};

/* No array or object in v sits deeper than the limit (the recursion stops at it). */
static void check_depth(const struct json *v, unsigned level)
{
    enum json_kind k = json_kind_of(v);
    if (k != JSON_KIND_ARR && k != JSON_KIND_OBJ)
        return;
    if (++level > limits.max_depth)
        __builtin_trap();
    for (size_t i = 0; i < json_arr_len(v); i++)
        check_depth(json_arr_get(v, i), level);
    struct json_iter it;
    struct str key;
    const struct json *m;
    json_iter_init(&it, v);
    while (json_iter_next(&it, &key, &m))
        check_depth(m, level);
}

static void check_round_trip(const struct json *v)
{
    struct buf once, twice, safe;
    buf_init(&once, 1 << 20);
    buf_init(&twice, 1 << 20);
    buf_init(&safe, 1 << 20);
    struct json *again = NULL;
    if (json_write(v, JSON_WRITE_COMPACT, &once, NULL) ||
        json_parse(buf_str(&once), &(struct json_limits){1 << 20, 32}, &again, NULL) ||
        json_write(again, JSON_WRITE_COMPACT, &twice, NULL) || once.len != twice.len ||
        memcmp(once.ptr, twice.ptr, once.len) != 0)
        __builtin_trap();
    if (json_write(v, JSON_WRITE_SCRIPT_SAFE, &safe, NULL) || memchr(safe.ptr, '<', safe.len) ||
        memchr(safe.ptr, '>', safe.len) || memchr(safe.ptr, '&', safe.len))
        __builtin_trap();
    json_free(again);
    buf_release(&once);
    buf_release(&twice);
    buf_release(&safe);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json *v = NULL;
    struct err err = {0};
    if (json_parse((struct str){(const char *)data, size}, &limits, &v, &err) == ERR_OK) {
        check_depth(v, 0);
        check_round_trip(v);
        json_free(v);
    } else if (!err.msg[0] || v) {
        __builtin_trap(); /* a refusal always says why, and leaves nothing behind */
    }
    return 0;
}
