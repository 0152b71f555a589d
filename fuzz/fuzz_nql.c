/*
 * libFuzzer target: Ghost's NQL filter language (api/nql.c), the parser of ?filter=.
 * Whatever it accepts must be a well-formed tree within the limits; whatever it refuses
 * must say why.
 */
#include "api/api.h"
#include "store/store.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every node is well formed: groups have operands, comparisons a field and values. */
static void check(const struct store_cond *k, int depth)
{
    if (depth > 2 * API_NQL_DEPTH_MAX + 4)
        __builtin_trap();
    if (k->kind == STORE_COND_CMP) {
        if (!k->field.len || (k->nvals == 0 && k->op != STORE_OP_IN && k->op != STORE_OP_NIN) ||
            k->nvals > API_NQL_VALUES_MAX)
            __builtin_trap();
        return;
    }
    if (k->nkids < 2)
        __builtin_trap();
    for (size_t i = 0; i < k->nkids; i++)
        check(&k->kids[i], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct store_cond *root = NULL;
    bool clock = false;
    struct err err = {0};
    if (api_nql_parse((struct str){(const char *)data, size}, 1764000000, &a, &root, &clock,
                      &err) == ERR_OK)
        check(root, 0);
    else if (!err.msg[0])
        __builtin_trap(); /* a refusal always says why */
    arena_release(&a);
    return 0;
}
