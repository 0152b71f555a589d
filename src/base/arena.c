/*
 * A bump allocator in chunks. A request renders a page of a few tens of KB, so the
 * first chunk (16 KiB) usually serves the whole request with one malloc; a larger
 * allocation gets a chunk of its own so that it never wastes the rest of the current one.
 */
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 16384
#define ARENA_ALIGN 16

struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void arena_release(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    arena_init(a);
}

static struct arena_chunk *chunk_new(size_t size)
{
    struct arena_chunk *c = xmalloc(sizeof(*c) + size);
    c->next = NULL;
    c->size = size;
    return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (n == 0)
        n = ARENA_ALIGN;
    a->total += n;
    if (a->head && a->head->size - a->used >= n) {
        void *p = a->head->data + a->used;
        a->used += n;
        return p;
    }
    if (n > ARENA_CHUNK / 4) {
        /* big: its own chunk, linked behind head so head keeps its free room */
        struct arena_chunk *c = chunk_new(n);
        if (a->head) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            a->head = c;
            a->used = n;
        }
        return c->data;
    }
    struct arena_chunk *c = chunk_new(ARENA_CHUNK);
    c->next = a->head;
    a->head = c;
    a->used = n;
    return c->data;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        fprintf(stderr, "fatal: arena_calloc overflow\n");
        abort();
    }
    void *p = arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *arena_strndup(struct arena *a, const char *p, size_t n)
{
    char *s = arena_alloc(a, n + 1);
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

struct str arena_str(struct arena *a, struct str s)
{
    return (struct str){arena_strndup(a, s.ptr, s.len), s.len};
}

struct str arena_cat3(struct arena *a, const char *pre, struct str mid, const char *post)
{
    size_t n1 = strlen(pre), n3 = strlen(post), n = n1 + mid.len + n3;
    char *s = arena_alloc(a, n + 1);
    memcpy(s, pre, n1);
    if (mid.len)
        memcpy(s + n1, mid.ptr, mid.len);
    memcpy(s + n1 + mid.len, post, n3);
    s[n] = '\0';
    return (struct str){s, n};
}

struct str arena_url_encode(struct arena *a, struct str s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = arena_calloc(a, s.len * 3 + 1, 1), *o = out;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved) {
            *o++ = (char)c;
            continue;
        }
        *o++ = '%';
        *o++ = hex[c >> 4];
        *o++ = hex[c & 15];
    }
    return (struct str){out, (size_t)(o - out)};
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *s = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
