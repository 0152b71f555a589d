#include "base.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int status;
    const char *msg;
} err_table[] = {
#define ERR_ROW_(name, status, msg) {#name, status, msg},
    ERR_CODES(ERR_ROW_)
#undef ERR_ROW_
};

enum err_code err_set(struct err *err, enum err_code code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void err_prefix(struct err *err, const char *fmt, ...)
{
    if (!err)
        return;
    /*
     * Built in a separate buffer and copied back: snprintf("%s: %s") straight into
     * err->msg trips -Wformat-truncation, and overlapping memmoves trip -Warray-bounds.
     */
    char out[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, sizeof(out), fmt, ap);
    va_end(ap);
    size_t used = n < 0 ? 0 : ((size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
    size_t room = sizeof(out) - 1 - used;
    size_t mlen = strnlen(err->msg, sizeof(err->msg) - 1);
    if (room >= 2) {
        out[used++] = ':';
        out[used++] = ' ';
        room -= 2;
        if (mlen > room)
            mlen = room;
        memcpy(out + used, err->msg, mlen);
        used += mlen;
    }
    out[used] = '\0';
    memcpy(err->msg, out, used + 1);
}

static bool known(enum err_code code)
{
    return (unsigned)code < ERR__COUNT;
}

int err_http_status(enum err_code code)
{
    return known(code) ? err_table[code].status : 500;
}

const char *err_name(enum err_code code)
{
    return known(code) ? err_table[code].name : "INTERNAL";
}

const char *err_default_msg(enum err_code code)
{
    return known(code) ? err_table[code].msg : "internal error";
}
