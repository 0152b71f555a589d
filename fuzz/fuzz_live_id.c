/* libFuzzer target: a live stream's Last-Event-ID and ?since=, the client's own numbers. */
#include "live/live.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str in = {(const char *)data, size};
    uint64_t id;
    if (!live_parse_id(in, &id))
        return 0;
    /* what passes is digits only and reads back as itself (leading zeros aside) */
    char back[32];
    int n = snprintf(back, sizeof(back), "%llu", (unsigned long long)id);
    size_t zeros = 0;
    while (zeros + 1 < size && data[zeros] == '0')
        zeros++;
    if (size == 0 || size > 18 || (size_t)n != size - zeros ||
        memcmp(back, data + zeros, (size_t)n))
        __builtin_trap();
    return 0;
}
