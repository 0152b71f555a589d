/*
 * A growable buffer with a cap fixed at init, after curl's dynbuf: input from outside
 * can make it fail with ERR_TOOBIG but never make the process allocate without bound.
 */
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_release(struct buf *b)
{
    free(b->ptr);
    buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

static enum err_code buf_grow(struct buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return ERR_TOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return ERR_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    b->ptr = xrealloc(b->ptr, cap);
    b->cap = cap;
    return ERR_OK;
}

enum err_code buf_append(struct buf *b, const void *p, size_t n)
{
    enum err_code rc = buf_grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return ERR_OK;
}

enum err_code buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

enum err_code buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

enum err_code buf_append_str(struct buf *b, struct str s)
{
    return buf_append(b, s.ptr, s.len);
}

enum err_code buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return ERR_INVALID;
    enum err_code rc = buf_grow(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return ERR_OK;
}

enum err_code buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum err_code rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

/*
 * Runs of bytes that need no escape are copied whole and each escape is appended with its
 * known length: every value a template prints passes through here.
 */
struct html_escape {
    const char *text;
    size_t len;
};

enum err_code buf_append_html(struct buf *b, const char *s, size_t n)
{
    static const struct html_escape esc[256] = {
        ['&'] = {"&amp;", 5},  ['<'] = {"&lt;", 4},   ['>'] = {"&gt;", 4},
        ['"'] = {"&quot;", 6}, ['\''] = {"&#39;", 5},
    };
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const struct html_escape *e = &esc[(unsigned char)s[i]];
        if (!e->len)
            continue;
        enum err_code rc = buf_append(b, s + start, i - start);
        if (!rc)
            rc = buf_append(b, e->text, e->len);
        if (rc)
            return rc;
        start = i + 1;
    }
    return buf_append(b, s + start, n - start);
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *p = b->ptr ? b->ptr : xstrdup("");
    if (len)
        *len = b->len;
    buf_init(b, b->max);
    return p;
}
