/*
 * Turning an entry into a response: content negotiation, conditional requests and, for
 * what is never compressed (photos), byte ranges (RFC 9110 12.5.3, 13.1.2, 13.1.3,
 * 13.1.5, 13.2.2, 14, 15.3.7, 15.4.5, 15.5.17).
 */
#include "cache/cache_int.h"

#include <stdio.h>
#include <string.h>

/* The q-value of coding in an Accept-Encoding list (0 when absent or refused). */
static double accepts(struct str ae, const char *coding)
{
    size_t clen = strlen(coding);
    while (ae.len) {
        const char *comma = memchr(ae.ptr, ',', ae.len);
        struct str item = {ae.ptr, comma ? (size_t)(comma - ae.ptr) : ae.len};
        ae.ptr += item.len + (comma ? 1 : 0);
        ae.len -= item.len + (comma ? 1 : 0);
        const char *semi = memchr(item.ptr, ';', item.len);
        struct str name =
            str_trim((struct str){item.ptr, semi ? (size_t)(semi - item.ptr) : item.len});
        if (name.len != clen || !str_case_eq(name, coding))
            continue;
        if (!semi)
            return 1.0;
        struct str param = str_trim((struct str){semi + 1, item.len - name.len - 1});
        /* "q=0", "q=0.0", "q=0.000" refuse; anything else accepts */
        if (param.len >= 3 && (param.ptr[0] == 'q' || param.ptr[0] == 'Q') && param.ptr[1] == '=') {
            for (size_t i = 2; i < param.len; i++)
                if (param.ptr[i] >= '1' && param.ptr[i] <= '9')
                    return 1.0;
            return 0.0;
        }
        return 1.0;
    }
    return 0.0;
}

static const struct cache_variant *variant(struct cache_entry *e, enum cache_variant_kind k)
{
    struct cache_variant *v = &e->v[k];
    int st = atomic_load_explicit(&v->state, memory_order_acquire);
    if (st == VARIANT_READY)
        return v;
    int expect = VARIANT_NONE;
    if (st != VARIANT_NONE || !atomic_compare_exchange_strong(&v->state, &expect, VARIANT_BUSY))
        return NULL; /* being made by another thread, or not worth it: use another */
    if (!cache_compress(&e->v[VARIANT_IDENTITY], k, v)) {
        atomic_store(&v->state, VARIANT_USELESS);
        return NULL;
    }
    atomic_fetch_add(&e->bytes, v->len);
    atomic_fetch_add(&e->cache->total_bytes, v->len);
    atomic_store_explicit(&v->state, VARIANT_READY, memory_order_release);
    return v;
}

static const struct cache_variant *negotiate(struct cache_entry *e, const struct request *req,
                                             enum cache_variant_kind *kind)
{
    struct str ae = http_request_header(req, "accept-encoding");
    const struct cache_variant *v = NULL;
    *kind = VARIANT_IDENTITY;
    if (e->compressible && ae.ptr && accepts(ae, "br") > 0 && (v = variant(e, VARIANT_BR)))
        *kind = VARIANT_BR;
    else if (e->compressible && ae.ptr && accepts(ae, "gzip") > 0 && (v = variant(e, VARIANT_GZIP)))
        *kind = VARIANT_GZIP;
    return v ? v : &e->v[VARIANT_IDENTITY];
}

/* If-None-Match against etag, by weak comparison (13.1.2): W/ prefixes do not matter. */
static bool none_match(struct str inm, const char *etag)
{
    struct str tag = str_from(etag);
    while (inm.len) {
        const char *comma = memchr(inm.ptr, ',', inm.len);
        size_t n = comma ? (size_t)(comma - inm.ptr) : inm.len;
        struct str item = str_trim((struct str){inm.ptr, n});
        inm.ptr += n + (comma ? 1 : 0);
        inm.len -= n + (comma ? 1 : 0);
        if (str_eq_cstr(item, "*"))
            return true;
        if (str_starts_with(item, "W/")) {
            item.ptr += 2;
            item.len -= 2;
        }
        if (str_eq(item, tag))
            return true;
    }
    return false;
}

static bool not_modified(const struct cache_entry *e, const struct cache_variant *v,
                         const struct request *req)
{
    if (!(req->method & (HTTP_GET | HTTP_HEAD)))
        return false;
    struct str inm = http_request_header(req, "if-none-match");
    if (inm.ptr) /* 13.2.2: If-None-Match wins over If-Modified-Since */
        return none_match(inm, v->etag);
    struct str ims = http_request_header(req, "if-modified-since");
    int64_t t;
    if (!ims.ptr || !time_parse_http(ims, &t) || t > time_now())
        return false;
    return e->last_modified <= t;
}

/* A decimal byte position: digits only, no sign, no overflow. */
static bool parse_pos(struct str s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s.len || s.len > 19)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s.ptr[i] - '0');
    }
    *out = v;
    return true;
}

enum range_kind { RANGE_NONE, RANGE_ONE, RANGE_UNSATISFIABLE };

/*
 * One range of "bytes=a-b", "bytes=a-" or "bytes=-n" over len bytes, as [*first, *last].
 * Anything else (other units, several ranges, bad syntax) is RANGE_NONE: the whole
 * representation is sent, as 14.2 allows.
 */
static enum range_kind parse_range(struct str r, size_t len, size_t *first, size_t *last)
{
    r = str_trim(r);
    if (!str_starts_with(r, "bytes=") || memchr(r.ptr, ',', r.len))
        return RANGE_NONE;
    struct str spec = str_trim((struct str){r.ptr + 6, r.len - 6});
    const char *dash = memchr(spec.ptr, '-', spec.len);
    if (!dash)
        return RANGE_NONE;
    struct str a = {spec.ptr, (size_t)(dash - spec.ptr)};
    struct str b = {dash + 1, spec.len - a.len - 1};
    uint64_t x = 0, y = 0;
    if (!a.len) { /* the last y bytes */
        if (!parse_pos(b, &y))
            return RANGE_NONE;
        if (y == 0 || len == 0)
            return RANGE_UNSATISFIABLE;
        *first = y >= len ? 0 : len - (size_t)y;
        *last = len - 1;
        return RANGE_ONE;
    }
    if (!parse_pos(a, &x) || (b.len && (!parse_pos(b, &y) || y < x)))
        return RANGE_NONE;
    if (x >= len)
        return RANGE_UNSATISFIABLE;
    *first = (size_t)x;
    *last = b.len && y < len ? (size_t)y : len - 1;
    return RANGE_ONE;
}

/* If-Range (13.1.5): the range applies only to the representation the client has. */
static bool if_range_ok(const struct cache_entry *e, const struct cache_variant *v,
                        const struct request *req)
{
    struct str ir = str_trim(http_request_header(req, "if-range"));
    if (!ir.ptr)
        return true;
    if (ir.len && ir.ptr[0] == '"') /* strong comparison: a W/ tag never matches */
        return str_eq_cstr(ir, v->etag);
    if (str_starts_with(ir, "W/"))
        return false;
    int64_t t;
    return time_parse_http(ir, &t) && t == e->last_modified;
}

/*
 * A byte range of an entry that is never compressed (a photo): 206 with Content-Range,
 * or 416 when no byte of it exists. True when res was made partial or refused.
 */
static bool serve_range(const struct cache_entry *e, const struct cache_variant *v,
                        const struct request *req, struct response *res)
{
    struct str range = http_request_header(req, "range");
    size_t first = 0, last = 0;
    if (!range.ptr || req->method != HTTP_GET || !if_range_ok(e, v, req))
        return false;
    enum range_kind k = parse_range(range, v->len, &first, &last);
    if (k == RANGE_NONE)
        return false;
    char *cr = arena_alloc(res->arena, 64);
    if (k == RANGE_UNSATISFIABLE) {
        snprintf(cr, 64, "bytes */%zu", v->len);
        res->status = 416;
        res->content_type = NULL;
        res->body_ref = STR_LIT("");
    } else {
        snprintf(cr, 64, "bytes %zu-%zu/%zu", first, last, v->len);
        res->status = 206;
        res->body_ref = (struct str){v->data + first, last - first + 1};
    }
    http_response_header_ref(res, STR_LIT("content-range"), str_from(cr));
    return true;
}

void cache_entry_serve(struct cache_entry *e, const struct request *req, struct response *res,
                       const char *how)
{
    enum cache_variant_kind kind;
    const struct cache_variant *v = negotiate(e, req, &kind);
    res->nheaders = 0;
    buf_reset(&res->body);
    if (res->body_release)
        res->body_release(res->body_release_arg);
    res->content_type = e->content_type;
    res->body_release = cache_entry_release;
    res->body_release_arg = e;
    http_response_header_ref(res, STR_LIT("etag"), str_from(v->etag));
    http_response_header_ref(res, STR_LIT("last-modified"), str_from(e->last_modified_str));
    if (e->compressible)
        http_response_header_ref(res, STR_LIT("vary"), STR_LIT("Accept-Encoding"));
    else
        http_response_header_ref(res, STR_LIT("accept-ranges"), STR_LIT("bytes"));
    /* for operators and tests: whether this response came from memory or was rendered */
    http_response_header_ref(res, STR_LIT("x-cache"), str_from(how));
    if (e->cache_control)
        http_response_header_ref(res, STR_LIT("cache-control"), str_from(e->cache_control));
    /* what a shared cache in front is purged by (purge.h): Fastly and xkey, Cloudflare */
    http_response_header_ref(res, STR_LIT("surrogate-key"), str_from(e->surrogate_key));
    http_response_header_ref(res, STR_LIT("cache-tag"), str_from(e->cache_tag));
    if (not_modified(e, v, req)) {
        /* 15.4.5: the validators and Vary/Cache-Control a 200 would carry, no body */
        res->status = 304;
        res->content_type = NULL;
        res->body_ref = STR_LIT("");
        return;
    }
    if (kind != VARIANT_IDENTITY)
        http_response_header_ref(res, STR_LIT("content-encoding"),
                                 kind == VARIANT_GZIP ? STR_LIT("gzip") : STR_LIT("br"));
    if (!e->compressible && serve_range(e, v, req, res))
        return;
    res->status = 200;
    res->body_ref = (struct str){v->data, v->len};
}
