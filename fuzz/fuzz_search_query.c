/*
 * libFuzzer target: the reader's query language (search/query.c), the parser of the search
 * box. Any bytes are answered: only a query past SEARCH_QUERY_MAX is refused, and with a
 * message; every term is clean text the store can quote; the normal form parses again to
 * itself, with and without as-you-type prefixes.
 */
#include "search/search.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_terms(const struct search_query *q)
{
    if (q->store.nterms > STORE_SEARCH_TERMS_MAX || q->normal.len > SEARCH_QUERY_MAX)
        __builtin_trap();
    if (!q->normal.ptr || !utf8_valid(q->normal.ptr, q->normal.len))
        __builtin_trap();
    for (size_t i = 0; i < q->store.nterms; i++) {
        struct str t = q->store.terms[i].text;
        if (!t.len || !utf8_valid(t.ptr, t.len))
            __builtin_trap();
        for (size_t j = 0; j < t.len; j++)
            if ((unsigned char)t.ptr[j] < 0x20 || t.ptr[j] == 0x7F)
                __builtin_trap();
    }
}

/* parse(normal) == normal: the same terms, filters and text again. */
static void check_normal(const struct search_query *q, struct arena *a)
{
    struct search_query again;
    if (search_parse(q->normal, 0, a, &again, NULL) != ERR_OK)
        __builtin_trap();
    if (!str_eq(again.normal, q->normal) || again.store.nterms != q->store.nterms ||
        again.dropped || again.store.after != q->store.after ||
        again.store.before != q->store.before || !str_eq(again.store.tag, q->store.tag) ||
        !str_eq(again.store.author, q->store.author))
        __builtin_trap();
    for (size_t i = 0; i < q->store.nterms; i++) {
        const struct store_search_term *x = &q->store.terms[i], *y = &again.store.terms[i];
        if (!str_eq(x->text, y->text) || x->phrase != y->phrase || x->prefix != y->prefix ||
            x->exclude != y->exclude)
            __builtin_trap();
    }
}

static void one(struct str text, unsigned flags, struct arena *a)
{
    struct search_query q;
    struct err err = {0};
    enum err_code rc = search_parse(text, flags, a, &q, &err);
    if (rc == ERR_TOOBIG && text.len > SEARCH_QUERY_MAX && err.msg[0])
        return;
    if (rc != ERR_OK || text.len > SEARCH_QUERY_MAX)
        __builtin_trap();
    check_terms(&q);
    check_normal(&q, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct str text = {(const char *)data, size};
    one(text, 0, &a);
    one(text, SEARCH_PREFIX_LAST, &a);
    arena_release(&a);
    return 0;
}
